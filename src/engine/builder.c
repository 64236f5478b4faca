/*
 * The builder's entry points: Kubernetes objects (typed by gwapi) to the
 * desired Lattice model, plus the model's release functions.
 */
#include <stdlib.h>
#include <string.h>

#include "latticectl/gwapi.h"
#include "latticectl/lmodel.h"
#include "latticectl/xmalloc.h"

#include "builder_int.h"

/* Append a formatted warning to the result (once per text). */
void
lm_warn(struct lm_route_result *r, const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;
	size_t	 i;

	va_start(ap, fmt);
	xvasprintf(&msg, fmt, ap);
	va_end(ap);
	for (i = 0; i < r->nwarnings; i++) {
		if (strcmp(r->warnings[i], msg) == 0) {
			free(msg);
			return;
		}
	}
	r->warnings = xreallocarray(r->warnings, r->nwarnings + 1,
	    sizeof *r->warnings);
	r->warnings[r->nwarnings++] = msg;
}

/* Set Accepted False (reason, message) on every lattice parent. */
void
lm_reject(struct lm_build *b, const char *reason, const char *fmt, ...)
{
	va_list			 ap;
	char			*msg;
	struct lm_parent_status	*p;
	size_t			 i;

	va_start(ap, fmt);
	xvasprintf(&msg, fmt, ap);
	va_end(ap);
	for (i = 0; i < b->out->nparents; i++) {
		p = &b->out->parents[i];
		if (!p->ours)
			continue;
		p->accepted = 0;
		p->accepted_reason = reason;
		free(p->accepted_message);
		p->accepted_message = xstrdup(msg);
	}
	free(msg);
}

/* Copy one gwapi parent result into a status entry. */
static void
build_parent_status(const struct lm_build *b, size_t i,
    struct lm_parent_status *st)
{
	const struct gw_parent_result	*pr = &b->res.parents[i];
	const struct gw_parent_ref	*ref = &b->route->parents[pr->index];

	st->parent_index = pr->index;
	st->gateway_namespace = xstrdup_or_null(ref->ns);
	st->gateway_name = xstrdup_or_null(ref->name);
	st->section_name = xstrdup_or_null(ref->section_name);
	st->port = ref->port;
	st->ours = pr->ours;
	st->accepted = pr->accepted;
	st->accepted_reason = pr->reason;
	st->accepted_message = xstrdup_or_null(pr->message);
	st->resolved = b->res.resolved_refs;
	st->resolved_reason = b->res.resolved_reason;
	st->resolved_message = xstrdup_or_null(b->res.resolved_message);
}

/* The statuses of all parentRefs, from the resolution. */
static void
build_statuses(struct lm_build *b)
{
	size_t	i;

	b->out->nparents = b->res.nparents;
	if (b->res.nparents == 0)
		return;
	b->out->parents = xcalloc(b->res.nparents, sizeof *b->out->parents);
	for (i = 0; i < b->res.nparents; i++)
		build_parent_status(b, i, &b->out->parents[i]);
}

/* The first lattice gateway with an accepted parentRef, or NULL. */
static const struct gw_gateway *
build_first_gateway(const struct lm_build *b)
{
	size_t	i;

	for (i = 0; i < b->res.nparents; i++) {
		if (b->res.parents[i].ours && b->res.parents[i].accepted &&
		    b->res.parents[i].gateway != NULL)
			return b->res.parents[i].gateway;
	}
	return NULL;
}

/* Whether a resolved Service backend is dual stack (upstream refuses). */
static int
build_dual_stack(const struct lm_build *b)
{
	size_t	i;

	for (i = 0; i < b->res.nbackends; i++) {
		const struct gw_backend_result *br = &b->res.backends[i];

		if (br->resolved && br->service != NULL &&
		    br->service->nip_families > 1)
			return 1;
	}
	return 0;
}

/* Order listeners by port. */
static int
build_cmp_listener(const void *a, const void *b)
{
	const struct lm_listener *x = a, *y = b;

	return (x->port > y->port) - (x->port < y->port);
}

/* Order target groups by key. */
static int
build_cmp_tg(const void *a, const void *b)
{
	const struct lm_target_group *x = a, *y = b;

	return strcmp(x->key, y->key);
}

/* The checks that decide whether the route gets a stack at all; on
 * success *name is the service name. */
static int
build_admit(struct lm_build *b, char **name)
{
	char	*cause = NULL;

	*name = NULL;
	if (!b->res.ours || b->route->meta.deleting)
		return -1;
	b->gateway = build_first_gateway(b);
	if (b->gateway == NULL)
		return -1;
	if ((*name = lm_route_service_name(b->route, &cause)) == NULL) {
		lm_reject(b, UP_REASON_UNSUPPORTED_VALUE, "%s", cause);
		free(cause);
		return -1;
	}
	if (lm_check_collision(b, *name)) {
		xfree_ptr(name);
		return -1;
	}
	if (build_dual_stack(b)) {
		lm_reject(b, UP_REASON_UNSUPPORTED_VALUE, "%s",
		    UP_MSG_DUAL_STACK);
		xfree_ptr(name);
		return -1;
	}
	return 0;
}

/* The source kind of a route kind. */
static enum lm_source_kind
build_kind(enum gw_route_kind k)
{
	switch (k) {
	case GW_ROUTE_GRPC:
		return LM_SRC_GRPCROUTE;
	case GW_ROUTE_TLS:
		return LM_SRC_TLSROUTE;
	case GW_ROUTE_HTTP:
	default:
		return LM_SRC_HTTPROUTE;
	}
}

/* Build the desired stack and statuses of one route. */
void
lm_build_route(const struct lm_config *cfg, const struct lm_sources *src,
    const struct gw_route *route, struct lm_route_result *out)
{
	struct lm_build	 b;
	char		*name;

	memset(out, 0, sizeof *out);
	memset(&b, 0, sizeof b);
	b.cfg = cfg;
	b.src = src;
	b.route = route;
	b.kind = build_kind(route->kind);
	b.out = out;
	gw_resolve_route(route, src->gw, &b.res);
	out->ours = b.res.ours;
	build_statuses(&b);
	if (build_admit(&b, &name) == 0) {
		b.managed_by = lm_managed_by(cfg);
		b.stack = xcalloc(1, sizeof *b.stack);
		b.stack->owner.kind = b.kind;
		b.stack->owner.namespace = xstrdup(route->meta.ns);
		b.stack->owner.name = xstrdup(route->meta.name);
		lm_build_route_tgs(&b);
		lm_build_service(&b, name);
		lm_build_listeners(&b);
		lm_sort(b.stack->listeners, b.stack->n_listeners,
		    sizeof *b.stack->listeners, build_cmp_listener);
		lm_sort(b.stack->tgs, b.stack->n_tgs, sizeof *b.stack->tgs,
		    build_cmp_tg);
		out->stack = b.stack;
		free(name);
		free(b.managed_by);
	}
	gw_resolution_free(&b.res);
}

/* The service network of a Gateway. */
const char *
lm_sn_name(const struct lm_config *cfg, const struct gw_gateway *gw)
{
	if (cfg->sn_override && cfg->default_sn != NULL &&
	    *cfg->default_sn != '\0')
		return cfg->default_sn;
	return gw->meta.name;
}

/* ---- stack helpers and release ---- */

/* qsort that accepts an empty (NULL) array. */
void
lm_sort(void *base, size_t n, size_t size,
    int (*cmp)(const void *, const void *))
{
	if (n > 1)
		qsort(base, n, size, cmp);
}

/* Append a zeroed target group. */
struct lm_target_group *
lm_stack_add_tg(struct lm_stack *s)
{
	s->tgs = xreallocarray(s->tgs, s->n_tgs + 1, sizeof *s->tgs);
	memset(&s->tgs[s->n_tgs], 0, sizeof *s->tgs);
	return &s->tgs[s->n_tgs++];
}

/* The target group with that key, or NULL. */
struct lm_target_group *
lm_stack_find_tg(struct lm_stack *s, const char *key)
{
	size_t	i;

	for (i = 0; i < s->n_tgs; i++) {
		if (strcmp(s->tgs[i].key, key) == 0)
			return &s->tgs[i];
	}
	return NULL;
}

/* Free a health check's strings. */
void
lm_health_check_clear(struct lm_health_check *hc)
{
	free(hc->protocol);
	free(hc->protocol_version);
	free(hc->path);
	free(hc->matcher);
	memset(hc, 0, sizeof *hc);
}

/* Free a target group's members. */
void
lm_tg_clear(struct lm_target_group *tg)
{
	size_t	i;

	free(tg->key);
	free(tg->name);
	free(tg->type);
	free(tg->protocol);
	free(tg->protocol_version);
	free(tg->ip_address_type);
	free(tg->vpc_id);
	lm_health_check_clear(&tg->health_check);
	aws_tags_free(&tg->tags);
	for (i = 0; i < tg->n_targets; i++)
		free(tg->targets[i].ip);
	free(tg->targets);
	free(tg->import_namespace);
	free(tg->import_name);
	free(tg->import_cluster);
	free(tg->import_vpc);
	free(tg->arn);
	memset(tg, 0, sizeof *tg);
}

/* Free an action's members. */
void
lm_action_clear(struct lm_action *a)
{
	size_t	i;

	for (i = 0; i < a->n_tgs; i++)
		free(a->tgs[i].tg_key);
	free(a->tgs);
	memset(a, 0, sizeof *a);
}

/* Free a match's members. */
void
lm_match_clear(struct lm_match *m)
{
	size_t	i;

	free(m->method);
	free(m->path);
	for (i = 0; i < m->n_headers; i++) {
		free(m->headers[i].name);
		free(m->headers[i].value);
	}
	memset(m, 0, sizeof *m);
}

/* Free a listener's members. */
static void
lm_listener_clear(struct lm_listener *l)
{
	size_t	i;

	free(l->name);
	lm_action_clear(&l->default_action);
	for (i = 0; i < l->n_rules; i++) {
		free(l->rules[i].name);
		lm_match_clear(&l->rules[i].match);
		lm_action_clear(&l->rules[i].action);
		aws_tags_free(&l->rules[i].tags);
	}
	free(l->rules);
	aws_tags_free(&l->tags);
}

/* Free a service and its members. */
static void
lm_service_free(struct lm_service *s)
{
	size_t	i;

	if (s == NULL)
		return;
	free(s->name);
	free(s->custom_domain);
	free(s->certificate_arn);
	free(s->auth_type);
	free(s->allow_takeover_from);
	for (i = 0; i < s->n_sn_names; i++)
		free(s->sn_names[i]);
	free(s->sn_names);
	aws_tags_free(&s->tags);
	free(s);
}

/* Free a stack and everything in it. */
void
lm_stack_free(struct lm_stack *s)
{
	size_t	i;

	if (s == NULL)
		return;
	free(s->owner.namespace);
	free(s->owner.name);
	lm_service_free(s->service);
	for (i = 0; i < s->n_listeners; i++)
		lm_listener_clear(&s->listeners[i]);
	free(s->listeners);
	for (i = 0; i < s->n_tgs; i++)
		lm_tg_clear(&s->tgs[i]);
	free(s->tgs);
	free(s);
}

/* Free a route result's members (the struct itself is the caller's). */
void
lm_route_result_free(struct lm_route_result *r)
{
	size_t	i;

	lm_stack_free(r->stack);
	for (i = 0; i < r->nparents; i++) {
		free(r->parents[i].gateway_namespace);
		free(r->parents[i].gateway_name);
		free(r->parents[i].section_name);
		free(r->parents[i].accepted_message);
		free(r->parents[i].resolved_message);
	}
	free(r->parents);
	for (i = 0; i < r->nwarnings; i++)
		free(r->warnings[i]);
	free(r->warnings);
	memset(r, 0, sizeof *r);
}
