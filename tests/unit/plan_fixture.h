/*
 * Shared fixture of the plan tests (tests/unit/test_diff.c and
 * tests/integration/itest_apply*.c): the lab's "rates" route as a desired
 * stack (HTTPRoute default/rates on Gateway my-hotel, /parking -> Service
 * parking, /review -> Service review), edits of it, and a mirror filled
 * by hand to be equal to a stack (for pure diff tests). Header-only:
 * every function is static inline. Stacks are allocated the way the
 * builder allocates them, so lm_stack_free releases them.
 */
#ifndef PLAN_FIXTURE_H
#define PLAN_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/lattice.h"
#include "latticectl/lmodel.h"
#include "latticectl/plan.h"
#include "latticectl/strbuf.h"
#include "latticectl/upstream.h"
#include "latticectl/xmalloc.h"

#define FX_ACCOUNT	"123456789012"
#define FX_CLUSTER	"c1"
#define FX_VPC		"vpc-0123456789abcdef0"
#define FX_MANAGED_BY	FX_ACCOUNT "/" FX_CLUSTER "/" FX_VPC
#define FX_SN		"my-hotel"
#define FX_NS		"default"
#define FX_ROUTE	"rates"

/* The route TG tags of backend svc. */
static inline void
fx_tg_tags(struct aws_tags *t, const char *route, const char *svc,
    const char *pv)
{
	aws_tags_set(t, UP_TAG_MANAGED_BY, FX_MANAGED_BY);
	aws_tags_set(t, UP_TAG_CLUSTER_NAME, FX_CLUSTER);
	aws_tags_set(t, UP_TAG_SERVICE_NAME, svc);
	aws_tags_set(t, UP_TAG_SERVICE_NAMESPACE, FX_NS);
	aws_tags_set(t, UP_TAG_SOURCE_TYPE, UP_SOURCE_HTTPROUTE);
	aws_tags_set(t, UP_TAG_ROUTE_NAME, route);
	aws_tags_set(t, UP_TAG_ROUTE_NAMESPACE, FX_NS);
	aws_tags_set(t, UP_TAG_PROTOCOL_VERSION, pv);
}

/* Fill an owned route TG for backend svc with n targets 10.0.<net>.k. */
static inline void
fx_tg(struct lm_target_group *tg, const char *route, const char *svc,
    int net, size_t n)
{
	char	*seed;
	size_t	 i;

	memset(tg, 0, sizeof(*tg));
	tg->kind = LM_TG_OWNED;
	xasprintf(&tg->key, "svc/%s/%s/80", FX_NS, svc);
	xasprintf(&seed, "%s/%s/%s", route, FX_NS, svc);
	tg->name = lm_tg_name(FX_NS, svc, seed);
	free(seed);
	tg->type = xstrdup("IP");
	tg->port = 80;
	tg->protocol = xstrdup("HTTP");
	tg->protocol_version = xstrdup("HTTP1");
	tg->ip_address_type = xstrdup("IPV4");
	tg->vpc_id = xstrdup(FX_VPC);
	tg->health_check.enabled = 1;
	tg->health_check.protocol = xstrdup("HTTP");
	tg->health_check.protocol_version = xstrdup("HTTP1");
	tg->health_check.path = xstrdup("/");
	tg->health_check.interval_seconds = 30;
	tg->health_check.timeout_seconds = 5;
	tg->health_check.healthy_threshold = 5;
	tg->health_check.unhealthy_threshold = 2;
	tg->health_check.matcher = xstrdup("200");
	fx_tg_tags(&tg->tags, route, svc, "HTTP1");
	tg->targets = xcalloc(n + 1, sizeof(*tg->targets));
	for (i = 0; i < n; i++) {
		xasprintf(&tg->targets[i].ip, "10.0.%d.%zu", net, i + 1);
		tg->targets[i].port = 8090;
	}
	tg->n_targets = n;
}

/* Fill a rule: prefix path -> one TG key, weight w. */
static inline void
fx_rule(struct lm_rule *r, const char *route, int prio, const char *path,
    const char *key, int w)
{
	char	*seed;

	memset(r, 0, sizeof(*r));
	xasprintf(&seed, "%s/%s/%s", FX_NS, route, path);
	r->name = lm_rule_name(seed, prio);
	free(seed);
	r->priority = prio;
	r->match.path_kind = LM_PATH_PREFIX;
	r->match.path = xstrdup(path);
	r->match.path_case_sensitive = 1;
	r->action.kind = LM_ACTION_FORWARD;
	r->action.tgs = xcalloc(1, sizeof(*r->action.tgs));
	r->action.tgs[0].tg_key = xstrdup(key);
	r->action.tgs[0].weight = w;
	r->action.n_tgs = 1;
	aws_tags_set(&r->tags, UP_TAG_MANAGED_BY, FX_MANAGED_BY);
	r->rule_index = (size_t)prio - 1;
}

/* The lab's rates route (named route): /parking -> parking (2 pods),
 * /review -> review (1 pod), listener HTTP 80 of Gateway my-hotel. */
static inline struct lm_stack *
fx_route(const char *route)
{
	struct lm_stack		*st = xcalloc(1, sizeof(*st));
	struct lm_service	*s;
	struct lm_listener	*l;

	st->owner.kind = LM_SRC_HTTPROUTE;
	st->owner.namespace = xstrdup(FX_NS);
	st->owner.name = xstrdup(route);
	s = st->service = xcalloc(1, sizeof(*s));
	s->name = lm_service_name_default(route, FX_NS);
	s->sn_names = xcalloc(1, sizeof(*s->sn_names));
	s->sn_names[0] = xstrdup(FX_SN);
	s->n_sn_names = 1;
	aws_tags_set(&s->tags, UP_TAG_MANAGED_BY, FX_MANAGED_BY);
	aws_tags_set(&s->tags, UP_TAG_ROUTE_NAME, route);
	aws_tags_set(&s->tags, UP_TAG_ROUTE_NAMESPACE, FX_NS);
	aws_tags_set(&s->tags, UP_TAG_ROUTE_TYPE, UP_ROUTE_TYPE_HTTP);
	st->listeners = xcalloc(1, sizeof(*st->listeners));
	st->n_listeners = 1;
	l = &st->listeners[0];
	l->name = lm_listener_name(s->name, 80, LM_PROTO_HTTP);
	l->protocol = LM_PROTO_HTTP;
	l->port = 80;
	l->default_action.kind = LM_ACTION_FIXED;
	l->default_action.status_code = LM_DEFAULT_FIXED_STATUS;
	aws_tags_set(&l->tags, UP_TAG_MANAGED_BY, FX_MANAGED_BY);
	l->rules = xcalloc(2, sizeof(*l->rules));
	l->n_rules = 2;
	fx_rule(&l->rules[0], route, 1, "/parking", "svc/default/parking/80",
	    1);
	fx_rule(&l->rules[1], route, 2, "/review", "svc/default/review/80", 1);
	st->tgs = xcalloc(2, sizeof(*st->tgs));
	st->n_tgs = 2;
	fx_tg(&st->tgs[0], route, "parking", 1, 2);
	fx_tg(&st->tgs[1], route, "review", 2, 1);
	return st;
}

/* The lab's rates route. */
static inline struct lm_stack *
fx_rates(void)
{
	return fx_route(FX_ROUTE);
}

/* Remove rule ri of listener 0 (and the TGs no rule uses any more). */
static inline void
fx_drop_rule(struct lm_stack *st, size_t ri)
{
	struct lm_listener	*l = &st->listeners[0];
	struct lm_rule		*r = &l->rules[ri];
	char			*key = xstrdup(r->action.tgs[0].tg_key);
	size_t			 i, j, used;

	free(r->name);
	free(r->match.path);
	for (i = 0; i < r->action.n_tgs; i++)
		free(r->action.tgs[i].tg_key);
	free(r->action.tgs);
	aws_tags_free(&r->tags);
	memmove(r, r + 1, (l->n_rules - ri - 1) * sizeof(*r));
	l->n_rules--;
	for (i = used = 0; i < l->n_rules; i++)
		for (j = 0; j < l->rules[i].action.n_tgs; j++)
			used |= strcmp(l->rules[i].action.tgs[j].tg_key,
			    key) == 0;
	for (i = 0; !used && i < st->n_tgs; i++) {
		if (strcmp(st->tgs[i].key, key) != 0)
			continue;
		/* Free by swapping it to the end and letting a one-TG stack
		 * release it. */
		{
			struct lm_stack *tmp = xcalloc(1, sizeof(*tmp));

			tmp->tgs = xcalloc(1, sizeof(*tmp->tgs));
			tmp->tgs[0] = st->tgs[i];
			tmp->n_tgs = 1;
			lm_stack_free(tmp);
		}
		memmove(&st->tgs[i], &st->tgs[i + 1],
		    (st->n_tgs - i - 1) * sizeof(st->tgs[0]));
		st->n_tgs--;
		break;
	}
	free(key);
}

/* Make rule ri of listener 0 forward to both TGs with weights a and b. */
static inline void
fx_split(struct lm_stack *st, size_t ri, int a, int b)
{
	struct lm_action	*act = &st->listeners[0].rules[ri].action;
	size_t			 i;

	for (i = 0; i < act->n_tgs; i++)
		free(act->tgs[i].tg_key);
	free(act->tgs);
	act->tgs = xcalloc(2, sizeof(*act->tgs));
	act->tgs[0].tg_key = xstrdup(st->tgs[0].key);
	act->tgs[0].weight = a;
	act->tgs[1].tg_key = xstrdup(st->tgs[1].key);
	act->tgs[1].weight = b;
	act->n_tgs = 2;
}

/* A plan's operations as "kind resource: reason" lines (caller frees). */
static inline char *
fx_plan_text(const struct plan *p)
{
	struct strbuf	sb;
	size_t		i;

	strbuf_init(&sb);
	for (i = 0; i < p->n_ops; i++)
		strbuf_addf(&sb, "%s %s: %s\n",
		    plan_op_kind_str(p->ops[i].kind), p->ops[i].resource,
		    p->ops[i].reason);
	return strbuf_detach(&sb, NULL);
}

/* How many operations of a kind the plan has. */
static inline size_t
fx_count(const struct plan *p, enum plan_op_kind k)
{
	size_t	i, n = 0;

	for (i = 0; i < p->n_ops; i++)
		n += p->ops[i].kind == k;
	return n;
}

/* Index of the first operation of a kind, or -1. */
static inline int
fx_index(const struct plan *p, enum plan_op_kind k)
{
	size_t	i;

	for (i = 0; i < p->n_ops; i++)
		if (p->ops[i].kind == k)
			return (int)i;
	return -1;
}

#endif
