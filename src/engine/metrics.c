/* metrics: the registry and the text exposition renderer. */
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LOG_MODULE "metrics"
#include "latticectl/log.h"
#include "latticectl/metrics.h"
#include "latticectl/xmalloc.h"

const double metrics_default_buckets[] = {
	0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10
};
const size_t metrics_default_nbuckets =
    sizeof metrics_default_buckets / sizeof metrics_default_buckets[0];

struct mseries {
	char		**vals;
	double		  value;
	uint64_t	 *buckets;	/* per bucket, not cumulative; +Inf last */
	double		  sum;
	uint64_t	  count;
};

struct metric {
	struct metrics	 *reg;
	char		 *name;
	char		 *help;
	enum metric_type  type;
	char		**labels;
	size_t		  nlabels;
	double		 *bounds;
	size_t		  nbounds;
	struct mseries	**series;	/* sorted by label values */
	size_t		  nseries;
	size_t		  cap;
};

struct mcollector {
	unsigned		 id;
	metrics_collect_fn	 fn;
	void			*arg;
};

struct metrics {
	pthread_mutex_t		  mu;	/* families and series */
	struct metric		**fam;	/* sorted by name */
	size_t			  nfam;
	size_t			  cap;
	pthread_mutex_t		  cmu;	/* collectors */
	struct mcollector	 *col;
	size_t			  ncol;
	size_t			  ccap;
	unsigned		  next_id;
};

/* An empty registry. */
struct metrics *
metrics_new(void)
{
	struct metrics	*m = xcalloc(1, sizeof *m);

	pthread_mutex_init(&m->mu, NULL);
	pthread_mutex_init(&m->cmu, NULL);
	m->next_id = 1;
	return m;
}

/* Free a series. */
static void
mseries_free(struct mseries *s, size_t nlabels)
{
	size_t	i;

	for (i = 0; i < nlabels; i++)
		free(s->vals[i]);
	free(s->vals);
	free(s->buckets);
	free(s);
}

/* Free a family. */
static void
metric_free(struct metric *f)
{
	size_t	i;

	for (i = 0; i < f->nseries; i++)
		mseries_free(f->series[i], f->nlabels);
	for (i = 0; i < f->nlabels; i++)
		free(f->labels[i]);
	free(f->labels);
	free(f->series);
	free(f->bounds);
	free(f->name);
	free(f->help);
	free(f);
}

/* Free the registry and its families. */
void
metrics_free(struct metrics *m)
{
	size_t	i;

	if (m == NULL)
		return;
	for (i = 0; i < m->nfam; i++)
		metric_free(m->fam[i]);
	free(m->fam);
	free(m->col);
	pthread_mutex_destroy(&m->mu);
	pthread_mutex_destroy(&m->cmu);
	free(m);
}

/* Whether s is a valid metric (colon 1) or label (colon 0) name. */
static int
metrics_valid_name(const char *s, int colon)
{
	const char	*p;

	if (s == NULL || *s == '\0' || (*s >= '0' && *s <= '9'))
		return 0;
	for (p = s; *p != '\0'; p++) {
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '_' ||
		    (colon && *p == ':')))
			return 0;
	}
	return colon || strncmp(s, "__", 2) != 0;
}

/* Check a label list: count, names, duplicates; -1 when unusable. */
static int
metrics_check_labels(const char *const *labels, enum metric_type type,
    size_t *n)
{
	size_t	i, j;

	for (*n = 0; labels != NULL && labels[*n] != NULL; (*n)++) {
		if (*n >= METRICS_MAX_LABELS ||
		    !metrics_valid_name(labels[*n], 0))
			return -1;
		if (type == METRIC_HISTOGRAM && strcmp(labels[*n], "le") == 0)
			return -1;
	}
	for (i = 0; i < *n; i++)
		for (j = i + 1; j < *n; j++)
			if (strcmp(labels[i], labels[j]) == 0)
				return -1;
	return 0;
}

/* Index of family name, or where it would go (*found says which). */
static size_t
metrics_find(const struct metrics *m, const char *name, int *found)
{
	size_t	lo = 0, hi = m->nfam, mid;
	int	c;

	*found = 0;
	while (lo < hi) {
		mid = (lo + hi) / 2;
		c = strcmp(m->fam[mid]->name, name);
		if (c == 0) {
			*found = 1;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Whether an existing family matches a registration. */
static int
metric_same(const struct metric *f, enum metric_type type,
    const char *const *labels, size_t n)
{
	size_t	i;

	if (f->type != type || f->nlabels != n)
		return 0;
	for (i = 0; i < n; i++)
		if (strcmp(f->labels[i], labels[i]) != 0)
			return 0;
	return 1;
}

/* Find or create the series for vals (registry lock held). */
static struct mseries *metric_series(struct metric *, const char *const *);

/* A new family (no lock needed: not yet shared). */
static struct metric *
metric_make(struct metrics *m, const char *name, const char *help,
    enum metric_type type, const char *const *labels, size_t n,
    const double *bounds, size_t nb)
{
	struct metric	*f = xcalloc(1, sizeof *f);
	size_t		 i;

	f->reg = m;
	f->name = xstrdup(name);
	f->help = xstrdup(help != NULL ? help : "");
	f->type = type;
	f->nlabels = n;
	f->labels = xcalloc(n + 1, sizeof *f->labels);
	for (i = 0; i < n; i++)
		f->labels[i] = xstrdup(labels[i]);
	if (type == METRIC_HISTOGRAM) {
		f->nbounds = nb;
		f->bounds = xcalloc(nb + 1, sizeof *f->bounds);
		memcpy(f->bounds, bounds, nb * sizeof *bounds);
	}
	if (n == 0)
		(void)metric_series(f, NULL);
	return f;
}

/* Whether histogram bounds are finite and strictly increasing. */
static int
metrics_valid_bounds(const double *b, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (!isfinite(b[i]) || (i > 0 && !(b[i] > b[i - 1])))
			return 0;
	}
	return 1;
}

/* Register or find a family of any type. */
static struct metric *
metrics_register(struct metrics *m, const char *name, const char *help,
    enum metric_type type, const char *const *labels, const double *bounds,
    size_t nb)
{
	struct metric	*f;
	size_t		 n, at;
	int		 found;

	if (!metrics_valid_name(name, 1) ||
	    metrics_check_labels(labels, type, &n) != 0 ||
	    (type == METRIC_HISTOGRAM && !metrics_valid_bounds(bounds, nb))) {
		log_warn("metric %s: invalid name, labels or buckets",
		    name != NULL ? name : "(null)");
		return NULL;
	}
	pthread_mutex_lock(&m->mu);
	at = metrics_find(m, name, &found);
	if (found) {
		f = m->fam[at];
		pthread_mutex_unlock(&m->mu);
		if (metric_same(f, type, labels, n))
			return f;
		log_warn("metric %s: registered with another type or labels",
		    name);
		return NULL;
	}
	f = metric_make(m, name, help, type, labels, n, bounds, nb);
	if (m->nfam == m->cap) {
		m->cap = m->cap == 0 ? 32 : m->cap * 2;
		m->fam = xreallocarray(m->fam, m->cap, sizeof *m->fam);
	}
	memmove(m->fam + at + 1, m->fam + at, (m->nfam - at) * sizeof *m->fam);
	m->fam[at] = f;
	m->nfam++;
	pthread_mutex_unlock(&m->mu);
	return f;
}

/* Register a counter. */
struct metric *
metrics_counter(struct metrics *m, const char *name, const char *help,
    const char *const *labels)
{
	return metrics_register(m, name, help, METRIC_COUNTER, labels, NULL, 0);
}

/* Register a gauge. */
struct metric *
metrics_gauge(struct metrics *m, const char *name, const char *help,
    const char *const *labels)
{
	return metrics_register(m, name, help, METRIC_GAUGE, labels, NULL, 0);
}

/* Register a histogram. */
struct metric *
metrics_histogram(struct metrics *m, const char *name, const char *help,
    const char *const *labels, const double *bounds, size_t n)
{
	if (bounds == NULL) {
		bounds = metrics_default_buckets;
		n = metrics_default_nbuckets;
	}
	return metrics_register(m, name, help, METRIC_HISTOGRAM, labels,
	    bounds, n);
}

/* The type of a family. */
enum metric_type
metric_type(const struct metric *f)
{
	return f->type;
}

/* Compare label values with a series' (NULL reads as ""). */
static int
metric_cmp_vals(const struct metric *f, const char *const *vals,
    const struct mseries *s)
{
	size_t		 i;
	const char	*v;
	int		 c;

	for (i = 0; i < f->nlabels; i++) {
		v = vals != NULL && vals[i] != NULL ? vals[i] : "";
		if ((c = strcmp(v, s->vals[i])) != 0)
			return c;
	}
	return 0;
}

/* Index of the series for vals, or its insertion point. */
static size_t
metric_find(const struct metric *f, const char *const *vals, int *found)
{
	size_t	lo = 0, hi = f->nseries, mid;
	int	c;

	*found = 0;
	while (lo < hi) {
		mid = (lo + hi) / 2;
		c = metric_cmp_vals(f, vals, f->series[mid]);
		if (c == 0) {
			*found = 1;
			return mid;
		}
		if (c > 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Find or create the series for vals. */
static struct mseries *
metric_series(struct metric *f, const char *const *vals)
{
	struct mseries	*s;
	size_t		 at, i;
	int		 found;

	at = metric_find(f, vals, &found);
	if (found)
		return f->series[at];
	s = xcalloc(1, sizeof *s);
	s->vals = xcalloc(f->nlabels + 1, sizeof *s->vals);
	for (i = 0; i < f->nlabels; i++)
		s->vals[i] = xstrdup(vals != NULL && vals[i] != NULL ?
		    vals[i] : "");
	if (f->type == METRIC_HISTOGRAM)
		s->buckets = xcalloc(f->nbounds + 1, sizeof *s->buckets);
	if (f->nseries == f->cap) {
		f->cap = f->cap == 0 ? 8 : f->cap * 2;
		f->series = xreallocarray(f->series, f->cap, sizeof *f->series);
	}
	memmove(f->series + at + 1, f->series + at,
	    (f->nseries - at) * sizeof *f->series);
	f->series[at] = s;
	f->nseries++;
	return s;
}

/* Add v to a counter or gauge. */
void
metric_add(struct metric *f, const char *const *vals, double v)
{
	if (f == NULL || f->type == METRIC_HISTOGRAM ||
	    (f->type == METRIC_COUNTER && !(v >= 0)))
		return;
	pthread_mutex_lock(&f->reg->mu);
	metric_series(f, vals)->value += v;
	pthread_mutex_unlock(&f->reg->mu);
}

/* Add one. */
void
metric_inc(struct metric *f, const char *const *vals)
{
	metric_add(f, vals, 1);
}

/* Set a gauge (or mirror a counter). */
void
metric_set(struct metric *f, const char *const *vals, double v)
{
	if (f == NULL || f->type == METRIC_HISTOGRAM)
		return;
	pthread_mutex_lock(&f->reg->mu);
	metric_series(f, vals)->value = v;
	pthread_mutex_unlock(&f->reg->mu);
}

/* Record one observation in a histogram. */
void
metric_observe(struct metric *f, const char *const *vals, double v)
{
	struct mseries	*s;
	size_t		 i;

	if (f == NULL || f->type != METRIC_HISTOGRAM)
		return;
	for (i = 0; i < f->nbounds && !(v <= f->bounds[i]); i++)
		;
	pthread_mutex_lock(&f->reg->mu);
	s = metric_series(f, vals);
	s->buckets[i]++;
	s->count++;
	s->sum += v;
	pthread_mutex_unlock(&f->reg->mu);
}

/* A series' value (histogram: count, or sum when want_sum). */
static double
metric_read(struct metric *f, const char *const *vals, int want_sum)
{
	struct mseries	*s;
	double		 v = 0;
	size_t		 at;
	int		 found;

	if (f == NULL)
		return 0;
	pthread_mutex_lock(&f->reg->mu);
	at = metric_find(f, vals, &found);
	if (found) {
		s = f->series[at];
		if (f->type != METRIC_HISTOGRAM)
			v = s->value;
		else
			v = want_sum ? s->sum : (double)s->count;
	}
	pthread_mutex_unlock(&f->reg->mu);
	return v;
}

/* A series' value or histogram count. */
double
metric_get(struct metric *f, const char *const *vals)
{
	return metric_read(f, vals, 0);
}

/* A histogram series' sum. */
double
metric_sum(struct metric *f, const char *const *vals)
{
	return metric_read(f, vals, 1);
}

/* Drop a series. */
void
metric_remove(struct metric *f, const char *const *vals)
{
	size_t	at;
	int	found;

	if (f == NULL || f->nlabels == 0)
		return;
	pthread_mutex_lock(&f->reg->mu);
	at = metric_find(f, vals, &found);
	if (found) {
		mseries_free(f->series[at], f->nlabels);
		memmove(f->series + at, f->series + at + 1,
		    (f->nseries - at - 1) * sizeof *f->series);
		f->nseries--;
	}
	pthread_mutex_unlock(&f->reg->mu);
}

/* Add a collector. */
unsigned
metrics_add_collector(struct metrics *m, metrics_collect_fn fn, void *arg)
{
	unsigned	id;

	pthread_mutex_lock(&m->cmu);
	if (m->ncol == m->ccap) {
		m->ccap = m->ccap == 0 ? 4 : m->ccap * 2;
		m->col = xreallocarray(m->col, m->ccap, sizeof *m->col);
	}
	id = m->next_id++;
	m->col[m->ncol].id = id;
	m->col[m->ncol].fn = fn;
	m->col[m->ncol].arg = arg;
	m->ncol++;
	pthread_mutex_unlock(&m->cmu);
	return id;
}

/* Remove a collector (waits for a render using it). */
void
metrics_remove_collector(struct metrics *m, unsigned id)
{
	size_t	i;

	pthread_mutex_lock(&m->cmu);
	for (i = 0; i < m->ncol; i++) {
		if (m->col[i].id == id) {
			memmove(m->col + i, m->col + i + 1,
			    (m->ncol - i - 1) * sizeof *m->col);
			m->ncol--;
			break;
		}
	}
	pthread_mutex_unlock(&m->cmu);
}

/* Format a value: integers without a fraction, the shortest round trip
 * otherwise, +Inf/-Inf/NaN. */
void
metrics_format_value(double v, char *buf, size_t len)
{
	if (isnan(v))
		snprintf(buf, len, "NaN");
	else if (isinf(v))
		snprintf(buf, len, "%s", v > 0 ? "+Inf" : "-Inf");
	else if (v == floor(v) && fabs(v) < 1e15)
		snprintf(buf, len, "%.0f", v == 0 ? 0.0 : v);
	else {
		snprintf(buf, len, "%.15g", v);
		if (strtod(buf, NULL) != v)
			snprintf(buf, len, "%.17g", v);
	}
}

/* Append s escaped for a HELP line (quote 0) or a label value (1). */
static void
metrics_escape(struct strbuf *sb, const char *s, int quote)
{
	for (; *s != '\0'; s++) {
		if (*s == '\\')
			strbuf_adds(sb, "\\\\");
		else if (*s == '\n')
			strbuf_adds(sb, "\\n");
		else if (quote && *s == '"')
			strbuf_adds(sb, "\\\"");
		else
			strbuf_addc(sb, *s);
	}
}

/* Append "{a="x",b="y"[,le="..."]}" (nothing when there are no labels). */
static void
metrics_labels(struct strbuf *sb, const struct metric *f,
    const struct mseries *s, const char *le)
{
	size_t	i;

	if (f->nlabels == 0 && le == NULL)
		return;
	strbuf_addc(sb, '{');
	for (i = 0; i < f->nlabels; i++) {
		strbuf_addf(sb, "%s%s=\"", i > 0 ? "," : "", f->labels[i]);
		metrics_escape(sb, s->vals[i], 1);
		strbuf_addc(sb, '"');
	}
	if (le != NULL)
		strbuf_addf(sb, "%sle=\"%s\"", f->nlabels > 0 ? "," : "", le);
	strbuf_addc(sb, '}');
}

/* One sample line: name suffix labels value. */
static void
metrics_line(struct strbuf *sb, const struct metric *f,
    const struct mseries *s, const char *suffix, const char *le, double v)
{
	char	num[64];

	strbuf_adds(sb, f->name);
	strbuf_adds(sb, suffix);
	metrics_labels(sb, f, s, le);
	metrics_format_value(v, num, sizeof num);
	strbuf_addf(sb, " %s\n", num);
}

/* The lines of one histogram series. */
static void
metrics_render_hist(struct strbuf *sb, const struct metric *f,
    const struct mseries *s)
{
	char		le[64];
	uint64_t	cum = 0;
	size_t		i;

	for (i = 0; i < f->nbounds; i++) {
		cum += s->buckets[i];
		metrics_format_value(f->bounds[i], le, sizeof le);
		metrics_line(sb, f, s, "_bucket", le, (double)cum);
	}
	metrics_line(sb, f, s, "_bucket", "+Inf", (double)s->count);
	metrics_line(sb, f, s, "_sum", NULL, s->sum);
	metrics_line(sb, f, s, "_count", NULL, (double)s->count);
}

/* One family: HELP, TYPE and its series. */
static void
metrics_render_family(struct strbuf *sb, const struct metric *f)
{
	static const char *const types[] = { "counter", "gauge", "histogram" };
	size_t	i;

	if (f->nseries == 0)
		return;
	strbuf_addf(sb, "# HELP %s ", f->name);
	metrics_escape(sb, f->help, 0);
	strbuf_addf(sb, "\n# TYPE %s %s\n", f->name, types[f->type]);
	for (i = 0; i < f->nseries; i++) {
		if (f->type == METRIC_HISTOGRAM)
			metrics_render_hist(sb, f, f->series[i]);
		else
			metrics_line(sb, f, f->series[i], "", NULL,
			    f->series[i]->value);
	}
}

/* Run the collectors, then render every family. */
void
metrics_render(struct metrics *m, struct strbuf *sb)
{
	size_t	i;

	pthread_mutex_lock(&m->cmu);
	for (i = 0; i < m->ncol; i++)
		m->col[i].fn(m->col[i].arg);
	pthread_mutex_unlock(&m->cmu);
	pthread_mutex_lock(&m->mu);
	for (i = 0; i < m->nfam; i++)
		metrics_render_family(sb, m->fam[i]);
	pthread_mutex_unlock(&m->mu);
}
