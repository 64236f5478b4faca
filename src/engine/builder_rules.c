/*
 * Builder: Lattice rules of a route. Each Gateway API match becomes one
 * Lattice rule (multi-match rules are expanded, beyond upstream);
 * priorities follow upstream's rule-<i>-priority algorithm and are then
 * made strictly increasing.
 */
#include <stdlib.h>
#include <string.h>

#include "latticectl/gwapi.h"
#include "latticectl/lmodel.h"
#include "latticectl/strbuf.h"
#include "latticectl/xmalloc.h"

#include "builder_int.h"

/* One Lattice rule in the making. */
struct rule_entry {
	size_t		 rule;		/* spec.rules index */
	int		 match;		/* matches index, -1: match all */
	int		 annotated;	/* rule has a priority annotation */
	int		 priority;
	size_t		 order;		/* assignment order (tie-break) */
	struct lm_match	 m;
};

/* Deep-copy an action. */
void
lm_action_copy(struct lm_action *dst, const struct lm_action *src)
{
	size_t	i;

	*dst = *src;
	dst->tgs = NULL;
	if (src->n_tgs == 0)
		return;
	dst->tgs = xcalloc(src->n_tgs, sizeof *dst->tgs);
	for (i = 0; i < src->n_tgs; i++) {
		dst->tgs[i].tg_key = xstrdup(src->tgs[i].tg_key);
		dst->tgs[i].weight = src->tgs[i].weight;
	}
}

/* Add weight for key to a forward action (merging repeated keys). */
static int
rules_add_weighted(struct lm_action *a, const char *key, int weight)
{
	size_t	i;

	for (i = 0; i < a->n_tgs; i++) {
		if (strcmp(a->tgs[i].tg_key, key) == 0) {
			if (a->tgs[i].weight < 1000000000 - weight)
				a->tgs[i].weight += weight;
			return 0;
		}
	}
	if (a->n_tgs == LM_MAX_WEIGHTED_TGS)
		return -1;
	a->tgs = xreallocarray(a->tgs, a->n_tgs + 1, sizeof *a->tgs);
	a->tgs[a->n_tgs].tg_key = xstrdup(key);
	a->tgs[a->n_tgs].weight = weight;
	a->n_tgs++;
	return 0;
}

/* Whether backend result br belongs to rule i and has a target group in
 * the stack; *key gets the key. */
static int
rules_backend_usable(struct lm_build *b, const struct gw_backend_result *br,
    char **key)
{
	*key = NULL;
	if (!br->resolved) {
		lm_warn(b->out, "rule %zu backendRef %zu dropped: %s: %s",
		    br->rule, br->backend, br->reason,
		    br->message != NULL ? br->message : "");
		return 0;
	}
	*key = lm_backend_tg_key(b, br);
	if (*key == NULL || lm_stack_find_tg(b->stack, *key) == NULL) {
		xfree_ptr(key);
		return 0;
	}
	return 1;
}

/* Lattice weights stop at 999: scale larger ones down, keeping the
 * ratios (and keeping non-zero weights non-zero). */
static void
rules_scale_weights(struct lm_build *b, size_t rule, struct lm_action *a)
{
	size_t	i;
	int	max = 0;

	for (i = 0; i < a->n_tgs; i++) {
		if (a->tgs[i].weight > max)
			max = a->tgs[i].weight;
	}
	if (max <= LM_MAX_WEIGHT)
		return;
	lm_warn(b->out, "rule %zu: weights scaled to fit 0..%d", rule,
	    LM_MAX_WEIGHT);
	for (i = 0; i < a->n_tgs; i++) {
		int w = a->tgs[i].weight;

		a->tgs[i].weight = (int)((long long)w * LM_MAX_WEIGHT / max);
		if (w > 0 && a->tgs[i].weight == 0)
			a->tgs[i].weight = 1;
	}
}

/* The action of spec.rules[i]: weighted forward to its valid backends,
 * or fixed 500 when it has none. */
void
lm_rule_action(struct lm_build *b, size_t rule, struct lm_action *a)
{
	const struct gw_backend_result	*br;
	char				*key;
	size_t				 i;
	int				 w;

	memset(a, 0, sizeof *a);
	a->kind = LM_ACTION_FORWARD;
	for (i = 0; i < b->res.nbackends; i++) {
		br = &b->res.backends[i];
		if (br->rule != rule || !rules_backend_usable(b, br, &key))
			continue;
		w = b->route->rules[rule].backends[br->backend].weight;
		if (rules_add_weighted(a, key, w) != 0)
			lm_warn(b->out, "rule %zu: more than %d target groups, "
			    "%s dropped", rule, LM_MAX_WEIGHTED_TGS, key);
		free(key);
	}
	rules_scale_weights(b, rule, a);
	if (a->n_tgs == 0) {
		a->kind = LM_ACTION_FIXED;
		a->status_code = LM_INVALID_BACKEND_STATUS;
	}
}

/* Copy the header matches (exact, value case-insensitive as upstream). */
static int
rules_headers(const struct gw_match *gm, struct lm_match *m)
{
	size_t	i;

	if (gm->nheaders > LM_MAX_HEADER_MATCHES)
		return -1;
	for (i = 0; i < gm->nheaders; i++) {
		if (gm->headers[i].regex)
			return -1;
		m->headers[i].name = xstrdup(gm->headers[i].name);
		m->headers[i].kind = LM_HEADER_EXACT;
		m->headers[i].value = xstrdup(gm->headers[i].value);
		m->headers[i].case_sensitive = 0;
	}
	m->n_headers = gm->nheaders;
	return 0;
}

/* Set a path match. */
static void
rules_path(struct lm_match *m, enum lm_path_kind kind, const char *path)
{
	m->path_kind = kind;
	m->path = xstrdup(path);
	m->path_case_sensitive = 1;
}

/* An HTTPRoute match as a Lattice match; -1 when inexpressible. */
static int
rules_http_match(const struct gw_match *gm, struct lm_match *m)
{
	if (gm->unsupported)
		return -1;
	switch (gm->path_type) {
	case GW_PATH_EXACT:
		rules_path(m, LM_PATH_EXACT, gm->path);
		break;
	case GW_PATH_PREFIX:
		rules_path(m, LM_PATH_PREFIX, gm->path);
		break;
	case GW_PATH_NONE:
		rules_path(m, LM_PATH_PREFIX, "/");
		break;
	default:
		return -1;
	}
	m->method = xstrdup_or_null(gm->method);
	return rules_headers(gm, m);
}

/* A GRPCRoute match: POST plus "/svc/method" exact, "/svc/" prefix or
 * "/" prefix; a method without a service is inexpressible (-1). */
static int
rules_grpc_match(const struct gw_match *gm, struct lm_match *m)
{
	char	*path;

	if (gm->unsupported)
		return -1;
	if (gm->grpc_service == NULL && gm->grpc_method != NULL)
		return -1;
	m->method = xstrdup("POST");
	if (gm->grpc_service == NULL)
		rules_path(m, LM_PATH_PREFIX, "/");
	else if (gm->grpc_method == NULL) {
		xasprintf(&path, "/%s/", gm->grpc_service);
		rules_path(m, LM_PATH_PREFIX, path);
		free(path);
	} else {
		xasprintf(&path, "/%s/%s", gm->grpc_service, gm->grpc_method);
		rules_path(m, LM_PATH_EXACT, path);
		free(path);
	}
	return rules_headers(gm, m);
}

/* The match that matches everything (a rule without matches). */
static void
rules_match_all(const struct lm_build *b, struct lm_match *m)
{
	if (b->kind == LM_SRC_GRPCROUTE)
		m->method = xstrdup("POST");
	rules_path(m, LM_PATH_PREFIX, "/");
}

/* Append an entry for spec.rules[i].matches[j] (j -1: match all). */
static void
rules_add_entry(struct lm_build *b, size_t i, int j, struct rule_entry **ev,
    size_t *n)
{
	const struct gw_rule	*gr = &b->route->rules[i];
	struct rule_entry	 e;
	int			 rc = 0;

	memset(&e, 0, sizeof e);
	e.rule = i;
	e.match = j;
	e.annotated = gr->has_priority;
	if (j < 0)
		rules_match_all(b, &e.m);
	else if (b->kind == LM_SRC_GRPCROUTE)
		rc = rules_grpc_match(&gr->matches[j], &e.m);
	else
		rc = rules_http_match(&gr->matches[j], &e.m);
	if (rc != 0) {
		lm_warn(b->out, "rule %zu match %d cannot be expressed in VPC "
		    "Lattice; dropped", i, j);
		lm_match_clear(&e.m);
		return;
	}
	*ev = xreallocarray(*ev, *n + 1, sizeof **ev);
	(*ev)[(*n)++] = e;
}

/* Expand every rule into one entry per match. */
static struct rule_entry *
rules_expand(struct lm_build *b, size_t *n)
{
	struct rule_entry	*ev = NULL;
	size_t			 i, j;

	*n = 0;
	for (i = 0; i < b->route->nrules; i++) {
		const struct gw_rule *gr = &b->route->rules[i];

		if (gr->nmatches == 0)
			rules_add_entry(b, i, -1, &ev, n);
		for (j = 0; j < gr->nmatches; j++)
			rules_add_entry(b, i, (int)j, &ev, n);
	}
	return ev;
}

/* Upstream's order: annotated rules first (index order) with their
 * value, then each other entry at the last assigned priority + 1; the
 * further matches of an annotated rule follow it the same way. */
static void
rules_assign(const struct lm_build *b, struct rule_entry *ev, size_t n)
{
	size_t	i, order = 0;
	int	last = 0, pass;

	for (pass = 1; pass >= 0; pass--) {
		for (i = 0; i < n; i++) {
			if (ev[i].annotated != pass)
				continue;
			if (pass && (i == 0 || ev[i - 1].rule != ev[i].rule))
				last = b->route->rules[ev[i].rule].priority;
			else
				last++;
			ev[i].priority = last;
			ev[i].order = order++;
		}
	}
}

/* Order entries by priority, then assignment order. */
static int
rules_cmp_entry(const void *a, const void *b)
{
	const struct rule_entry *x = a, *y = b;

	if (x->priority != y->priority)
		return (x->priority > y->priority) - (x->priority < y->priority);
	return (x->order > y->order) - (x->order < y->order);
}

/* Sort by priority and make priorities strictly increasing. */
static void
rules_order(struct lm_build *b, struct rule_entry *ev, size_t n)
{
	size_t	i;

	lm_sort(ev, n, sizeof *ev, rules_cmp_entry);
	for (i = 1; i < n; i++) {
		if (ev[i].priority > ev[i - 1].priority)
			continue;
		lm_warn(b->out, "rule %zu: priority %d taken, using %d",
		    ev[i].rule, ev[i].priority, ev[i - 1].priority + 1);
		ev[i].priority = ev[i - 1].priority + 1;
	}
}

/* A canonical text of a match (seed of the rule name). */
static void
rules_match_text(const struct lm_match *m, struct strbuf *sb)
{
	size_t	i;

	strbuf_addf(sb, "m=%s|p%d=%s", m->method != NULL ? m->method : "",
	    (int)m->path_kind, m->path != NULL ? m->path : "");
	for (i = 0; i < m->n_headers; i++)
		strbuf_addf(sb, "|h=%s:%s", m->headers[i].name,
		    m->headers[i].value);
}

/* Turn an entry into a Lattice rule of listener l (takes its match). */
static void
rules_emit(struct lm_build *b, struct lm_listener *l, struct rule_entry *e,
    const struct lm_action *actions)
{
	struct lm_rule	*r = &l->rules[l->n_rules++];
	struct strbuf	 seed = STRBUF_INIT;

	memset(r, 0, sizeof *r);
	r->priority = e->priority;
	r->match = e->m;
	memset(&e->m, 0, sizeof e->m);
	r->rule_index = e->rule;
	r->match_index = e->match;
	lm_action_copy(&r->action, &actions[e->rule]);
	strbuf_addf(&seed, "%s|", l->name);
	rules_match_text(&r->match, &seed);
	r->name = lm_rule_name(strbuf_str(&seed), r->priority);
	strbuf_free(&seed);
	aws_tags_set(&r->tags, UP_TAG_MANAGED_BY, b->managed_by);
	lm_tags_add_user(&r->tags, b->route->tags, b->route->ntags);
}

/* The rules of one HTTP/HTTPS listener. */
void
lm_build_rules(struct lm_build *b, struct lm_listener *l)
{
	struct rule_entry	*ev;
	struct lm_action	*actions;
	size_t			 n, i;

	ev = rules_expand(b, &n);
	rules_assign(b, ev, n);
	rules_order(b, ev, n);
	actions = xcalloc(b->route->nrules + 1, sizeof *actions);
	for (i = 0; i < b->route->nrules; i++)
		lm_rule_action(b, i, &actions[i]);
	l->rules = xcalloc(n + 1, sizeof *l->rules);
	for (i = 0; i < n; i++) {
		if (ev[i].priority > LM_MAX_PRIORITY) {
			lm_warn(b->out, "rule %zu: priority %d above %d; "
			    "dropped", ev[i].rule, ev[i].priority,
			    LM_MAX_PRIORITY);
			lm_match_clear(&ev[i].m);
			continue;
		}
		rules_emit(b, l, &ev[i], actions);
	}
	for (i = 0; i < b->route->nrules; i++)
		lm_action_clear(&actions[i]);
	free(actions);
	free(ev);
}
