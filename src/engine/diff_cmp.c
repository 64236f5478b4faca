/*
 * Desired (lmodel) against actual (lattice.h) values: conversions for the
 * requests apply sends, and the comparisons the diff makes. Lattice
 * defaults are applied to both sides before comparing, so a value the
 * service filled in is not mistaken for drift.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "latticectl/strbuf.h"
#include "latticectl/xmalloc.h"

#include "mirror_int.h"

/* Equal strings where NULL equals "". */
static int
cmp_str(const char *a, const char *b)
{
	return strcmp(a != NULL ? a : "", b != NULL ? b : "") == 0;
}

/* A lattice boolean from an int. */
static enum lattice_bool
cmp_bool(int v)
{
	return v ? LATTICE_TRUE : LATTICE_FALSE;
}

/* A lattice boolean as an int (absent: false). */
static int
cmp_is_true(enum lattice_bool b)
{
	return b == LATTICE_TRUE;
}

/* The wire match kind of a header match. */
static enum lattice_match_kind
cmp_header_kind(enum lm_header_kind k)
{
	switch (k) {
	case LM_HEADER_PREFIX:
		return LATTICE_MATCH_PREFIX;
	case LM_HEADER_CONTAINS:
		return LATTICE_MATCH_CONTAINS;
	default:
		return LATTICE_MATCH_EXACT;
	}
}

/* The wire match kind of a path match. */
static enum lattice_match_kind
cmp_path_kind(enum lm_path_kind k)
{
	switch (k) {
	case LM_PATH_EXACT:
		return LATTICE_MATCH_EXACT;
	case LM_PATH_PREFIX:
		return LATTICE_MATCH_PREFIX;
	default:
		return LATTICE_MATCH_NONE;
	}
}

/* A lattice match borrowing the desired strings. */
void
mx_match_from_lm(const struct lm_match *d, struct mx_match_buf *b)
{
	size_t	i;

	memset(b, 0, sizeof(*b));
	b->m.present = 1;
	b->m.method = d->method;
	b->m.path.kind = cmp_path_kind(d->path_kind);
	if (b->m.path.kind != LATTICE_MATCH_NONE) {
		b->m.path.value = d->path;
		b->m.path.case_sensitive = cmp_bool(d->path_case_sensitive);
	}
	for (i = 0; i < d->n_headers && i < LM_MAX_HEADER_MATCHES; i++) {
		b->h[i].name = d->headers[i].name;
		b->h[i].kind = cmp_header_kind(d->headers[i].kind);
		b->h[i].value = d->headers[i].value;
		b->h[i].case_sensitive = cmp_bool(
		    d->headers[i].case_sensitive);
	}
	b->m.headers = i > 0 ? b->h : NULL;
	b->m.n_headers = i;
}

/* Is a desired header match among the actual ones? */
static int
cmp_header_in(const struct lm_header_match *h,
    const struct lattice_rule_match *a)
{
	const struct lattice_header_match	*x;
	size_t					 i;

	for (i = 0; i < a->n_headers; i++) {
		x = &a->headers[i];
		if (x->name != NULL && h->name != NULL &&
		    strcasecmp(x->name, h->name) == 0 &&
		    x->kind == cmp_header_kind(h->kind) &&
		    cmp_str(x->value, h->value) &&
		    cmp_is_true(x->case_sensitive) == (h->case_sensitive != 0))
			return 1;
	}
	return 0;
}

/* Same match (headers in any order, names without case)? */
int
mx_match_equal(const struct lm_match *d, const struct lattice_rule_match *a)
{
	size_t	i;

	if (!a->present)
		return d->method == NULL && d->path_kind == LM_PATH_NONE &&
		    d->n_headers == 0;
	if (!cmp_str(d->method, a->method) ||
	    a->path.kind != cmp_path_kind(d->path_kind))
		return 0;
	if (a->path.kind != LATTICE_MATCH_NONE &&
	    (!cmp_str(a->path.value, d->path) ||
	    cmp_is_true(a->path.case_sensitive) !=
	    (d->path_case_sensitive != 0)))
		return 0;
	if (a->n_headers != d->n_headers)
		return 0;
	for (i = 0; i < d->n_headers; i++) {
		if (!cmp_header_in(&d->headers[i], a))
			return 0;
	}
	return 1;
}

/* "GET /parking*", "=/exact", "x-env=prod", or "any". */
char *
mx_match_str(const struct lm_match *d)
{
	struct strbuf	sb;
	size_t		i;

	strbuf_init(&sb);
	if (d->method != NULL)
		strbuf_addf(&sb, "%s ", d->method);
	if (d->path_kind == LM_PATH_EXACT)
		strbuf_addf(&sb, "=%s ", d->path);
	else if (d->path_kind == LM_PATH_PREFIX)
		strbuf_addf(&sb, "%s* ", d->path);
	for (i = 0; i < d->n_headers; i++)
		strbuf_addf(&sb, "%s%s%s ", d->headers[i].name,
		    d->headers[i].kind == LM_HEADER_EXACT ? "=" :
		    d->headers[i].kind == LM_HEADER_PREFIX ? "^=" : "~=",
		    d->headers[i].value);
	if (sb.len == 0)
		strbuf_adds(&sb, "any");
	else
		strbuf_truncate(&sb, sb.len - 1);
	return strbuf_detach(&sb, NULL);
}

/* The desired target group with this key, or NULL. */
const struct lm_target_group *
mx_stack_tg(const struct lm_stack *st, const char *key)
{
	size_t	i;

	for (i = 0; key != NULL && i < st->n_tgs; i++) {
		if (st->tgs[i].key != NULL && strcmp(st->tgs[i].key, key) == 0)
			return &st->tgs[i];
	}
	return NULL;
}

/* Resolve forward target groups to ids (mu held). */
int
mx_action_ids(struct mirror *m, const struct lm_stack *st,
    const struct lm_action *act, const char **ids, int *pending)
{
	const struct lm_target_group	*d;
	struct mx_tg			*t;
	size_t				 i;

	if (act->kind != LM_ACTION_FORWARD)
		return 0;
	for (i = 0; i < act->n_tgs && i < LATTICE_MAX_WEIGHTED_TGS; i++) {
		if ((d = mx_stack_tg(st, act->tgs[i].tg_key)) == NULL)
			return -1;
		t = mx_tg_find(m, d);
		if (t == NULL && d->kind == LM_TG_ARN) {
			ids[i] = mx_ident_id(d->arn);
			continue;
		}
		if (t == NULL)
			return -1;
		if (t->tg.status != NULL && strcmp(t->tg.status,
		    "ACTIVE") != 0) {
			if (pending != NULL)
				*pending = 1;
			return -1;
		}
		ids[i] = t->tg.id;
	}
	return 0;
}

/* Is the weight of tg id in the actual action equal to w? */
static int
cmp_forward_has(const struct lattice_rule_action *a, const char *id, int w)
{
	size_t	i;

	for (i = 0; i < a->n_target_groups; i++) {
		if (cmp_str(mx_ident_id(a->target_groups[i].target_group_id),
		    id) && a->target_groups[i].weight == w)
			return 1;
	}
	return 0;
}

/* Same action (forward targets in any order)? */
int
mx_action_equal(struct mirror *m, const struct lm_stack *st,
    const struct lm_action *d, const struct lattice_rule_action *a)
{
	const char	*ids[LATTICE_MAX_WEIGHTED_TGS];
	size_t		 i;

	if (d->kind == LM_ACTION_FIXED)
		return a->kind == LATTICE_ACTION_FIXED_RESPONSE &&
		    a->status_code == d->status_code;
	if (a->kind != LATTICE_ACTION_FORWARD ||
	    a->n_target_groups != d->n_tgs ||
	    mx_action_ids(m, st, d, ids, NULL) != 0)
		return 0;
	for (i = 0; i < d->n_tgs; i++) {
		if (!cmp_forward_has(a, ids[i], d->tgs[i].weight))
			return 0;
	}
	return 1;
}

/* A lattice action with resolved ids (strings borrowed). */
void
mx_action_fill(const struct lm_action *d, const char **ids,
    struct lattice_weighted_tg *tgs, struct lattice_rule_action *out)
{
	size_t	i;

	memset(out, 0, sizeof(*out));
	if (d->kind == LM_ACTION_FIXED) {
		out->kind = LATTICE_ACTION_FIXED_RESPONSE;
		out->status_code = d->status_code;
		return;
	}
	out->kind = LATTICE_ACTION_FORWARD;
	for (i = 0; i < d->n_tgs && i < LATTICE_MAX_WEIGHTED_TGS; i++) {
		tgs[i].target_group_id = (char *)ids[i];
		tgs[i].weight = d->tgs[i].weight;
	}
	out->target_groups = tgs;
	out->n_target_groups = i;
}

/* A health check from the desired one (strings borrowed). */
void
mx_hc_fill(const struct lm_health_check *d, struct lattice_health_check *hc)
{
	memset(hc, 0, sizeof(*hc));
	hc->present = 1;
	hc->enabled = cmp_bool(d->enabled);
	hc->protocol = d->protocol;
	hc->protocol_version = d->protocol_version;
	hc->port = d->port;
	hc->path = d->path;
	hc->interval_seconds = d->interval_seconds;
	hc->timeout_seconds = d->timeout_seconds;
	hc->healthy_threshold = d->healthy_threshold;
	hc->unhealthy_threshold = d->unhealthy_threshold;
	hc->matcher_http_code = d->matcher;
}

/* A string with the Lattice default when absent. */
static const char *
cmp_dflt(const char *s, const char *dflt)
{
	return s != NULL && *s != '\0' ? s : dflt;
}

/* An integer with the Lattice default when absent (0). */
static int
cmp_dflt_int(int v, int dflt)
{
	return v != 0 ? v : dflt;
}

/* Note a string member that differs. */
static void
cmp_note_str(struct strbuf *sb, const char *what, const char *want,
    const char *have, const char *dflt)
{
	want = cmp_dflt(want, dflt);
	have = cmp_dflt(have, dflt);
	if (strcmp(want, have) != 0)
		strbuf_addf(sb, "%s%s %s->%s", sb->len > 0 ? ", " : "", what,
		    have, want);
}

/* Note an integer member that differs. */
static void
cmp_note_int(struct strbuf *sb, const char *what, int want, int have,
    int dflt)
{
	want = cmp_dflt_int(want, dflt);
	have = cmp_dflt_int(have, dflt);
	if (want != have)
		strbuf_addf(sb, "%s%s %d->%d", sb->len > 0 ? ", " : "", what,
		    have, want);
}

/* How the actual health check differs from the desired one. */
char *
mx_hc_diff(const struct lm_health_check *d,
    const struct lattice_health_check *a)
{
	struct strbuf	sb;
	int		have_on;

	strbuf_init(&sb);
	have_on = !a->present || a->enabled != LATTICE_FALSE;
	if (have_on != (d->enabled != 0))
		strbuf_addf(&sb, "enabled %s->%s", have_on ? "true" : "false",
		    d->enabled ? "true" : "false");
	if (!have_on && !d->enabled)
		return strbuf_detach(&sb, NULL);
	cmp_note_str(&sb, "protocol", d->protocol, a->protocol, "HTTP");
	cmp_note_str(&sb, "protocolVersion", d->protocol_version,
	    a->protocol_version, "HTTP1");
	cmp_note_int(&sb, "port", d->port, a->port, 0);
	cmp_note_str(&sb, "path", d->path, a->path, "/");
	cmp_note_int(&sb, "interval", d->interval_seconds,
	    a->interval_seconds, 30);
	cmp_note_int(&sb, "timeout", d->timeout_seconds, a->timeout_seconds,
	    5);
	cmp_note_int(&sb, "healthy", d->healthy_threshold,
	    a->healthy_threshold, 5);
	cmp_note_int(&sb, "unhealthy", d->unhealthy_threshold,
	    a->unhealthy_threshold, 2);
	cmp_note_str(&sb, "matcher", d->matcher, a->matcher_http_code, "200");
	return strbuf_detach(&sb, NULL);
}

/* The desired tags missing or different in have. */
char *
mx_tags_diff(const struct aws_tags *want, const struct aws_tags *have,
    struct aws_tags *missing)
{
	struct strbuf	 sb;
	const char	*v, *k;
	size_t		 i;

	strbuf_init(&sb);
	for (i = 0; i < want->n; i++) {
		v = aws_tags_get(have, want->keys[i]);
		if (v != NULL && strcmp(v, want->values[i]) == 0)
			continue;
		aws_tags_set(missing, want->keys[i], want->values[i]);
		k = want->keys[i];
		if (strncmp(k, UP_PREFIX, strlen(UP_PREFIX)) == 0)
			k += strlen(UP_PREFIX);
		strbuf_addf(&sb, "%s%s", sb.len > 0 ? "," : "", k);
	}
	return strbuf_detach(&sb, NULL);
}
