/* metrics_parse: a validating parser for the text exposition format. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/error.h"
#include "latticectl/metrics.h"
#include "latticectl/strbuf.h"
#include "latticectl/xmalloc.h"

#define MP_MAX_LABELS	64
#define MP_MAX_NUM	64

/* A family seen in HELP/TYPE lines or samples. */
struct mp_family {
	char	*name;
	char	*type;		/* NULL: untyped (no TYPE line) */
	char	*help;
	int	 sampled;	/* samples seen */
	int	 closed;	/* another family's lines followed */
};

struct mp {
	const char		*p;	/* cursor in the current line */
	const char		*end;	/* the line's end */
	size_t			 line;
	struct mp_family	*fam;
	size_t			 nfam;
	size_t			 fcap;
	size_t			 cur;	/* current family, or (size_t)-1 */
	struct metrics_sample	*out;
	size_t			 n;
	size_t			 cap;
	size_t			*lines;	/* line of each sample */
	char			**cause;
};

/* A histogram series being checked. */
struct mp_hgroup {
	char	*key;
	size_t	 line;
	size_t	 nbuckets;
	double	 last_le;
	double	 last_count;
	int	 has_inf;
	double	 inf_count;
	int	 has_sum;
	int	 has_count;
	double	 count;
};

/* Fail with "line N: message". */
static int
mp_fail(struct mp *mp, const char *fmt, ...)
{
	struct strbuf	sb = STRBUF_INIT;
	va_list		ap;

	strbuf_addf(&sb, "line %zu: ", mp->line);
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	error_set(mp->cause, "%s", strbuf_str(&sb));
	strbuf_free(&sb);
	return -1;
}

/* Whether c may start (first) or continue a metric (colon) or label name. */
static int
mp_name_char(char c, int first, int colon)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
	    (colon && c == ':') || (!first && c >= '0' && c <= '9');
}

/* Read a name at the cursor; NULL when there is none. */
static char *
mp_name(struct mp *mp, int colon)
{
	const char	*start = mp->p;

	if (mp->p >= mp->end || !mp_name_char(*mp->p, 1, colon))
		return NULL;
	while (mp->p < mp->end && mp_name_char(*mp->p, 0, colon))
		mp->p++;
	return xstrndup(start, (size_t)(mp->p - start));
}

/* Skip blanks and tabs. */
static void
mp_ws(struct mp *mp)
{
	while (mp->p < mp->end && (*mp->p == ' ' || *mp->p == '\t'))
		mp->p++;
}

/* The next blank-delimited token: its length (0 at the end). */
static size_t
mp_token(struct mp *mp, const char **tok)
{
	*tok = mp->p;
	while (mp->p < mp->end && *mp->p != ' ' && *mp->p != '\t')
		mp->p++;
	return (size_t)(mp->p - *tok);
}

/* The family named name; created when create is set, else -1. */
static size_t
mp_family(struct mp *mp, const char *name, int create)
{
	size_t	i;

	for (i = 0; i < mp->nfam; i++)
		if (strcmp(mp->fam[i].name, name) == 0)
			return i;
	if (!create)
		return (size_t)-1;
	if (mp->nfam == mp->fcap) {
		mp->fcap = mp->fcap == 0 ? 16 : mp->fcap * 2;
		mp->fam = xreallocarray(mp->fam, mp->fcap, sizeof *mp->fam);
	}
	memset(&mp->fam[mp->nfam], 0, sizeof *mp->fam);
	mp->fam[mp->nfam].name = xstrdup(name);
	return mp->nfam++;
}

/* Make family i the current one; its lines must be contiguous. */
static int
mp_enter(struct mp *mp, size_t i)
{
	if (i == mp->cur)
		return 0;
	if (mp->fam[i].closed)
		return mp_fail(mp, "lines of %s are not together",
		    mp->fam[i].name);
	if (mp->cur != (size_t)-1)
		mp->fam[mp->cur].closed = 1;
	mp->cur = i;
	return 0;
}

/* Unescape the rest of a HELP line (\\ and \n only). */
static int
mp_help_text(struct mp *mp, char **out)
{
	struct strbuf	sb = STRBUF_INIT;

	strbuf_init(&sb);
	for (; mp->p < mp->end; mp->p++) {
		if (*mp->p != '\\') {
			strbuf_addc(&sb, *mp->p);
			continue;
		}
		if (++mp->p >= mp->end || (*mp->p != '\\' && *mp->p != 'n')) {
			strbuf_free(&sb);
			return mp_fail(mp, "invalid escape in HELP");
		}
		strbuf_addc(&sb, *mp->p == 'n' ? '\n' : '\\');
	}
	*out = strbuf_detach(&sb, NULL);
	return 0;
}

/* Whether a TYPE value is known. */
static int
mp_valid_type(const char *t, size_t len)
{
	static const char *const types[] = { "counter", "gauge", "histogram",
	    "summary", "untyped", NULL };
	size_t	i;

	for (i = 0; types[i] != NULL; i++)
		if (strlen(types[i]) == len && strncmp(types[i], t, len) == 0)
			return 1;
	return 0;
}

/* The TYPE of family f from the rest of the line. */
static int
mp_type_line(struct mp *mp, struct mp_family *f)
{
	const char	*tok;
	size_t		 len;

	if (f->type != NULL)
		return mp_fail(mp, "second TYPE for %s", f->name);
	if (f->sampled)
		return mp_fail(mp, "TYPE for %s after its samples", f->name);
	len = mp_token(mp, &tok);
	if (!mp_valid_type(tok, len))
		return mp_fail(mp, "unknown type for %s", f->name);
	mp_ws(mp);
	if (mp->p != mp->end)
		return mp_fail(mp, "junk after TYPE %s", f->name);
	f->type = xstrndup(tok, len);
	return 0;
}

/* A line starting with '#': HELP, TYPE or a comment. */
static int
mp_meta(struct mp *mp)
{
	struct mp_family	*f;
	char			*name;
	int			 help, rc;

	mp->p++;
	mp_ws(mp);
	if (mp->end - mp->p < 5 || (mp->p[4] != ' ' && mp->p[4] != '\t') ||
	    (strncmp(mp->p, "HELP", 4) != 0 && strncmp(mp->p, "TYPE", 4) != 0))
		return 0;
	help = mp->p[0] == 'H';
	mp->p += 4;
	mp_ws(mp);
	if ((name = mp_name(mp, 1)) == NULL)
		return mp_fail(mp, "bad metric name in %s", help ? "HELP" :
		    "TYPE");
	if (mp->p < mp->end && *mp->p != ' ' && *mp->p != '\t') {
		free(name);
		return mp_fail(mp, "bad metric name in %s", help ? "HELP" :
		    "TYPE");
	}
	rc = mp_enter(mp, mp_family(mp, name, 1));
	free(name);
	if (rc != 0)
		return -1;
	f = &mp->fam[mp->cur];
	mp_ws(mp);
	if (!help)
		return mp_type_line(mp, f);
	if (f->help != NULL)
		return mp_fail(mp, "second HELP for %s", f->name);
	return mp_help_text(mp, &f->help);
}

/* A quoted label value (cursor on the opening quote), unescaped. */
static int
mp_label_value(struct mp *mp, char **out)
{
	struct strbuf	sb = STRBUF_INIT;

	strbuf_init(&sb);
	for (mp->p++; mp->p < mp->end && *mp->p != '"'; mp->p++) {
		if (*mp->p != '\\') {
			strbuf_addc(&sb, *mp->p);
			continue;
		}
		mp->p++;
		if (mp->p < mp->end && *mp->p == 'n')
			strbuf_addc(&sb, '\n');
		else if (mp->p < mp->end && (*mp->p == '\\' || *mp->p == '"'))
			strbuf_addc(&sb, *mp->p);
		else {
			strbuf_free(&sb);
			return mp_fail(mp, "invalid escape in a label value");
		}
	}
	if (mp->p >= mp->end) {
		strbuf_free(&sb);
		return mp_fail(mp, "unterminated label value");
	}
	mp->p++;
	*out = strbuf_detach(&sb, NULL);
	return 0;
}

/* Append a label to a sample, refusing duplicates (both taken). */
static int
mp_add_label(struct mp *mp, struct metrics_sample *s, char *name, char *val)
{
	size_t	i;

	for (i = 0; i < s->nlabels; i++) {
		if (strcmp(s->label_names[i], name) == 0) {
			free(name);
			free(val);
			return mp_fail(mp, "duplicate label %s",
			    s->label_names[i]);
		}
	}
	if (s->nlabels >= MP_MAX_LABELS) {
		free(name);
		free(val);
		return mp_fail(mp, "too many labels");
	}
	s->label_names = xreallocarray(s->label_names, s->nlabels + 1,
	    sizeof *s->label_names);
	s->label_values = xreallocarray(s->label_values, s->nlabels + 1,
	    sizeof *s->label_values);
	s->label_names[s->nlabels] = name;
	s->label_values[s->nlabels] = val;
	s->nlabels++;
	return 0;
}

/* One name="value" pair. */
static int
mp_label(struct mp *mp, struct metrics_sample *s)
{
	char	*name, *val = NULL;

	if ((name = mp_name(mp, 0)) == NULL)
		return mp_fail(mp, "bad label name");
	mp_ws(mp);
	if (mp->p >= mp->end || *mp->p != '=') {
		mp_fail(mp, "expected '=' after label %s", name);
		free(name);
		return -1;
	}
	mp->p++;
	mp_ws(mp);
	if (mp->p >= mp->end || *mp->p != '"') {
		free(name);
		return mp_fail(mp, "expected a quoted label value");
	}
	if (mp_label_value(mp, &val) != 0) {
		free(name);
		return -1;
	}
	return mp_add_label(mp, s, name, val);
}

/* The label set (cursor on '{'). */
static int
mp_labels(struct mp *mp, struct metrics_sample *s)
{
	mp->p++;
	for (;;) {
		mp_ws(mp);
		if (mp->p < mp->end && *mp->p == '}') {
			mp->p++;
			return 0;
		}
		if (mp_label(mp, s) != 0)
			return -1;
		mp_ws(mp);
		if (mp->p < mp->end && *mp->p == ',')
			mp->p++;
		else if (mp->p >= mp->end || *mp->p != '}')
			return mp_fail(mp, "expected ',' or '}' in labels");
	}
}

/* Parse a float token fully; 0 ok. */
static int
mp_float(const char *tok, size_t len, double *out)
{
	char	 buf[MP_MAX_NUM], *end;

	if (len == 0 || len >= sizeof buf)
		return -1;
	memcpy(buf, tok, len);
	buf[len] = '\0';
	errno = 0;
	*out = strtod(buf, &end);
	return *end == '\0' ? 0 : -1;
}

/* Value and optional timestamp after the labels. */
static int
mp_value(struct mp *mp, struct metrics_sample *s)
{
	const char	*tok;
	char		 buf[MP_MAX_NUM], *end;
	size_t		 len;

	mp_ws(mp);
	len = mp_token(mp, &tok);
	if (mp_float(tok, len, &s->value) != 0)
		return mp_fail(mp, "bad value for %s", s->name);
	mp_ws(mp);
	if (mp->p == mp->end)
		return 0;
	len = mp_token(mp, &tok);
	if (len >= sizeof buf)
		return mp_fail(mp, "bad timestamp");
	memcpy(buf, tok, len);
	buf[len] = '\0';
	errno = 0;
	s->timestamp_ms = strtoll(buf, &end, 10);
	if (*end != '\0' || errno != 0 || !(buf[0] == '-' ||
	    (buf[0] >= '0' && buf[0] <= '9')))
		return mp_fail(mp, "bad timestamp");
	s->has_timestamp = 1;
	mp_ws(mp);
	return mp->p == mp->end ? 0 : mp_fail(mp, "junk after the sample");
}

/* Whether name ends with suffix; the base length in *base. */
static int
mp_suffix(const char *name, const char *suffix, size_t *base)
{
	size_t	n = strlen(name), k = strlen(suffix);

	if (n <= k || strcmp(name + n - k, suffix) != 0)
		return 0;
	*base = n - k;
	return 1;
}

/* Whether family i has type t. */
static int
mp_is(const struct mp *mp, size_t i, const char *t)
{
	return i != (size_t)-1 && mp->fam[i].type != NULL &&
	    strcmp(mp->fam[i].type, t) == 0;
}

/* The family of a sample name (created untyped when unknown). */
static size_t
mp_sample_family(struct mp *mp, const char *name)
{
	static const char *const sfx[] = { "_bucket", "_sum", "_count" };
	size_t	 i, base, f;
	char	*b;

	f = mp_family(mp, name, 0);
	if (f != (size_t)-1 && !mp_is(mp, f, "histogram"))
		return f;
	for (i = 0; f == (size_t)-1 && i < 3; i++) {
		if (!mp_suffix(name, sfx[i], &base))
			continue;
		b = xstrndup(name, base);
		f = mp_family(mp, b, 0);
		free(b);
		if (!mp_is(mp, f, "histogram") && (i == 0 ||
		    !mp_is(mp, f, "summary")))
			f = (size_t)-1;
	}
	return f != (size_t)-1 ? f : mp_family(mp, name, 1);
}

/* Release one sample's strings. */
static void
mp_sample_clear(struct metrics_sample *s)
{
	size_t	i;

	for (i = 0; i < s->nlabels; i++) {
		free(s->label_names[i]);
		free(s->label_values[i]);
	}
	free(s->label_names);
	free(s->label_values);
	free(s->name);
	free(s->family);
	free(s->type);
	free(s->help);
	memset(s, 0, sizeof *s);
}

/* Append a parsed sample (taken). */
static void
mp_push(struct mp *mp, struct metrics_sample *s)
{
	if (mp->n == mp->cap) {
		mp->cap = mp->cap == 0 ? 64 : mp->cap * 2;
		mp->out = xreallocarray(mp->out, mp->cap, sizeof *mp->out);
		mp->lines = xreallocarray(mp->lines, mp->cap,
		    sizeof *mp->lines);
	}
	mp->lines[mp->n] = mp->line;
	mp->out[mp->n++] = *s;
}

/* A sample line. */
static int
mp_sample(struct mp *mp)
{
	struct metrics_sample	 s;
	size_t			 f;

	memset(&s, 0, sizeof s);
	if ((s.name = mp_name(mp, 1)) == NULL)
		return mp_fail(mp, "expected a metric name");
	mp_ws(mp);
	if (mp->p < mp->end && *mp->p == '{' && mp_labels(mp, &s) != 0)
		goto fail;
	if (mp_value(mp, &s) != 0)
		goto fail;
	f = mp_sample_family(mp, s.name);
	if (mp_enter(mp, f) != 0)
		goto fail;
	if (mp_is(mp, f, "histogram") &&
	    strcmp(s.name, mp->fam[f].name) == 0) {
		mp_fail(mp, "histogram %s has a sample without a suffix",
		    s.name);
		goto fail;
	}
	mp->fam[f].sampled = 1;
	s.family = xstrdup(mp->fam[f].name);
	mp_push(mp, &s);
	return 0;
fail:
	mp_sample_clear(&s);
	return -1;
}

/* One line (without its newline). */
static int
mp_line(struct mp *mp)
{
	mp_ws(mp);
	if (mp->p == mp->end)
		return 0;
	if (*mp->p == '#')
		return mp_meta(mp);
	return mp_sample(mp);
}

/* Compare strings for qsort. */
static int
mp_strcmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A series key: name (unless skip_name) and the labels sorted by name,
 * length-prefixed; the label skip is left out. */
static char *
mp_series_key(const struct metrics_sample *s, int skip_name,
    const char *skip)
{
	struct strbuf	  sb = STRBUF_INIT;
	char		**pairs;
	size_t		  i, n = 0;

	strbuf_init(&sb);
	pairs = xcalloc(s->nlabels + 1, sizeof *pairs);
	for (i = 0; i < s->nlabels; i++) {
		if (skip != NULL && strcmp(s->label_names[i], skip) == 0)
			continue;
		xasprintf(&pairs[n++], "%s%c%zu:%s", s->label_names[i], '\1',
		    strlen(s->label_values[i]), s->label_values[i]);
	}
	qsort(pairs, n, sizeof *pairs, mp_strcmp);
	strbuf_addf(&sb, "%s", skip_name ? s->family : s->name);
	for (i = 0; i < n; i++) {
		strbuf_addf(&sb, "%c%zu:%s", '\2', strlen(pairs[i]), pairs[i]);
		free(pairs[i]);
	}
	free(pairs);
	return strbuf_detach(&sb, NULL);
}

/* A series key and the sample it came from. */
struct mp_key {
	char	*key;
	size_t	 i;
};

/* Compare keys, then sample order, for qsort. */
static int
mp_keycmp(const void *a, const void *b)
{
	const struct mp_key	*x = a, *y = b;
	int			 c = strcmp(x->key, y->key);

	if (c != 0)
		return c;
	return x->i < y->i ? -1 : x->i > y->i;
}

/* No series may appear twice. */
static int
mp_check_duplicates(struct mp *mp)
{
	struct mp_key	*keys;
	size_t		 i;
	int		 rc = 0;

	keys = xcalloc(mp->n + 1, sizeof *keys);
	for (i = 0; i < mp->n; i++) {
		keys[i].key = mp_series_key(&mp->out[i], 0, NULL);
		keys[i].i = i;
	}
	qsort(keys, mp->n, sizeof *keys, mp_keycmp);
	for (i = 1; i < mp->n && rc == 0; i++) {
		if (strcmp(keys[i - 1].key, keys[i].key) == 0) {
			mp->line = mp->lines[keys[i].i];
			rc = mp_fail(mp, "duplicate series of %s",
			    mp->out[keys[i].i].name);
		}
	}
	for (i = 0; i < mp->n; i++)
		free(keys[i].key);
	free(keys);
	return rc;
}

/* The group of a histogram sample, created as needed. */
static struct mp_hgroup *
mp_hgroup(struct mp_hgroup **g, size_t *ng, const char *key, size_t line)
{
	size_t	i;

	for (i = 0; i < *ng; i++)
		if (strcmp((*g)[i].key, key) == 0)
			return &(*g)[i];
	*g = xreallocarray(*g, *ng + 1, sizeof **g);
	memset(&(*g)[*ng], 0, sizeof **g);
	(*g)[*ng].key = xstrdup(key);
	(*g)[*ng].line = line;
	return &(*g)[(*ng)++];
}

/* Check one _bucket sample against its series so far. */
static int
mp_check_bucket(struct mp *mp, struct mp_hgroup *h,
    const struct metrics_sample *s)
{
	const char	*le = metrics_sample_label(s, "le");
	double		 b;

	if (le == NULL || mp_float(le, strlen(le), &b) != 0 || isnan(b))
		return mp_fail(mp, "%s without a valid le label", s->name);
	if (h->nbuckets > 0 && !(b > h->last_le))
		return mp_fail(mp, "buckets of %s are not in increasing order",
		    s->family);
	if (h->nbuckets > 0 && s->value < h->last_count)
		return mp_fail(mp, "bucket counts of %s decrease", s->family);
	h->nbuckets++;
	h->last_le = b;
	h->last_count = s->value;
	if (isinf(b) && b > 0) {
		h->has_inf = 1;
		h->inf_count = s->value;
	}
	return 0;
}

/* Check a sample of a histogram family. */
static int
mp_check_hsample(struct mp *mp, struct mp_hgroup *h,
    const struct metrics_sample *s)
{
	size_t	base;

	if (mp_suffix(s->name, "_bucket", &base))
		return mp_check_bucket(mp, h, s);
	if (mp_suffix(s->name, "_sum", &base)) {
		h->has_sum = 1;
		return 0;
	}
	h->has_count = 1;
	h->count = s->value;
	return 0;
}

/* What a finished histogram series lacks, or NULL. */
static const char *
mp_hgroup_problem(const struct mp_hgroup *h)
{
	if (h->nbuckets == 0)
		return "no buckets";
	if (!h->has_inf)
		return "no le=\"+Inf\" bucket";
	if (!h->has_count)
		return "no _count";
	if (!h->has_sum)
		return "no _sum";
	if (h->inf_count != h->count)
		return "a +Inf bucket that differs from _count";
	return NULL;
}

/* Histogram rules over every series. */
static int
mp_check_histograms(struct mp *mp)
{
	struct mp_hgroup	*g = NULL, *h;
	const char		*why = NULL;
	size_t			 ng = 0, i;
	char			*key;
	int			 rc = 0;

	for (i = 0; i < mp->n && rc == 0; i++) {
		if (strcmp(mp->out[i].type, "histogram") != 0)
			continue;
		key = mp_series_key(&mp->out[i], 1, "le");
		h = mp_hgroup(&g, &ng, key, mp->lines[i]);
		free(key);
		mp->line = mp->lines[i];
		rc = mp_check_hsample(mp, h, &mp->out[i]);
	}
	for (i = 0; i < ng && rc == 0; i++) {
		if ((why = mp_hgroup_problem(&g[i])) != NULL) {
			mp->line = g[i].line;
			rc = mp_fail(mp, "histogram series has %s", why);
		}
	}
	for (i = 0; i < ng; i++)
		free(g[i].key);
	free(g);
	return rc;
}

/* Fill type and help of every sample from its family. */
static void
mp_annotate(struct mp *mp)
{
	struct mp_family	*f;
	size_t			 i;

	for (i = 0; i < mp->n; i++) {
		f = &mp->fam[mp_family(mp, mp->out[i].family, 0)];
		mp->out[i].type = xstrdup(f->type != NULL ? f->type :
		    "untyped");
		mp->out[i].help = xstrdup_or_null(f->help);
	}
}

/* Free the parser's families. */
static void
mp_free_families(struct mp *mp)
{
	size_t	i;

	for (i = 0; i < mp->nfam; i++) {
		free(mp->fam[i].name);
		free(mp->fam[i].type);
		free(mp->fam[i].help);
	}
	free(mp->fam);
	free(mp->lines);
}

/* Parse every line of the text. */
static int
mp_lines(struct mp *mp, const char *text, size_t len)
{
	const char	*s = text, *end = text + len, *nl;

	while (s < end) {
		nl = memchr(s, '\n', (size_t)(end - s));
		mp->line++;
		mp->p = s;
		mp->end = nl != NULL ? nl : end;
		if (memchr(s, '\0', (size_t)(mp->end - s)) != NULL)
			return mp_fail(mp, "NUL byte");
		if (mp_line(mp) != 0)
			return -1;
		s = nl != NULL ? nl + 1 : end;
	}
	return 0;
}

/* Parse and validate an exposition. */
int
metrics_parse(const char *text, size_t len, struct metrics_sample **out,
    size_t *n, char **cause)
{
	struct mp	mp;
	int		rc;

	memset(&mp, 0, sizeof mp);
	mp.cur = (size_t)-1;
	mp.cause = cause;
	*out = NULL;
	*n = 0;
	rc = mp_lines(&mp, text, len);
	if (rc == 0) {
		mp_annotate(&mp);
		rc = mp_check_histograms(&mp);
	}
	if (rc == 0)
		rc = mp_check_duplicates(&mp);
	mp_free_families(&mp);
	if (rc != 0) {
		metrics_samples_free(mp.out, mp.n);
		return -1;
	}
	*out = mp.out;
	*n = mp.n;
	return 0;
}

/* Free parsed samples. */
void
metrics_samples_free(struct metrics_sample *s, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		mp_sample_clear(&s[i]);
	free(s);
}

/* The value of a label, or NULL. */
const char *
metrics_sample_label(const struct metrics_sample *s, const char *name)
{
	size_t	i;

	for (i = 0; i < s->nlabels; i++)
		if (strcmp(s->label_names[i], name) == 0)
			return s->label_values[i];
	return NULL;
}
