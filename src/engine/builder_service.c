/*
 * Builder: the Lattice service of a route (name, collisions, service
 * networks, tags) and its listeners.
 */
#include <stdlib.h>
#include <string.h>

#include "latticectl/gwapi.h"
#include "latticectl/lmodel.h"
#include "latticectl/xmalloc.h"

#include "builder_int.h"

/* The service name a route wants: the override, else the default; NULL
 * with *cause when it is not a valid Lattice service name. */
char *
lm_route_service_name(const struct gw_route *r, char **cause)
{
	char	*name;

	if (r->service_name_override != NULL)
		name = xstrdup(r->service_name_override);
	else
		name = lm_service_name_default(r->meta.name, r->meta.ns);
	if (gw_service_name_check(name, cause) != 0) {
		free(name);
		return NULL;
	}
	return name;
}

/* Whether any parentRef of r names a Gateway of our GatewayClass. */
static int
service_route_is_ours(const struct gw_route *r, const struct gw_lookup *lk)
{
	const struct gw_gateway	*gw;
	size_t			 i;

	if (lk == NULL || lk->gateway == NULL)
		return 0;
	for (i = 0; i < r->nparents; i++) {
		const struct gw_parent_ref *p = &r->parents[i];

		if (p->kind != NULL && strcmp(p->kind, UP_KIND_GATEWAY) != 0)
			continue;
		gw = lk->gateway(lk->arg, p->ns, p->name);
		if (gw != NULL && gw_gateway_is_ours(gw, lk))
			return 1;
	}
	return 0;
}

/* strcmp with NULL sorting last. */
static int
service_cmp_null_last(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return (a == NULL) - (b == NULL);
	return strcmp(a, b);
}

/* Whether route a came before route b: creationTimestamp, then
 * namespace, name and kind. */
static int
service_route_before(const struct lm_sources *src, const struct gw_route *a,
    const struct gw_route *b)
{
	const char	*ca = NULL, *cb = NULL;
	int		 c;

	if (src->created != NULL) {
		ca = src->created(src->arg, a);
		cb = src->created(src->arg, b);
	}
	if ((c = service_cmp_null_last(ca, cb)) != 0)
		return c < 0;
	if ((c = strcmp(a->meta.ns, b->meta.ns)) != 0)
		return c < 0;
	if ((c = strcmp(a->meta.name, b->meta.name)) != 0)
		return c < 0;
	return a->kind < b->kind;
}

/* Whether two routes are the same object (kind, namespace, name). */
static int
service_same_route(const struct gw_route *a, const struct gw_route *b)
{
	return a == b || (a->kind == b->kind &&
	    strcmp(a->meta.ns, b->meta.ns) == 0 &&
	    strcmp(a->meta.name, b->meta.name) == 0);
}

/* Conflicted when an earlier lattice route wants the same name. */
int
lm_check_collision(struct lm_build *b, const char *name)
{
	const struct gw_route *const	*routes;
	const struct gw_route		*r;
	char				*other;
	size_t				 n, i;
	int				 hit;

	if (b->src->routes == NULL)
		return 0;
	n = b->src->routes(b->src->arg, &routes);
	for (i = 0; i < n; i++) {
		r = routes[i];
		if (service_same_route(r, b->route) || r->meta.deleting ||
		    !service_route_before(b->src, r, b->route) ||
		    !service_route_is_ours(r, b->src->gw))
			continue;
		other = lm_route_service_name(r, NULL);
		hit = other != NULL && strcmp(other, name) == 0;
		free(other);
		if (!hit)
			continue;
		lm_reject(b, UP_REASON_CONFLICTED, "VPC Lattice service name "
		    "\"%s\" is already used by %s %s/%s", name,
		    gw_route_kind_name(r->kind), r->meta.ns, r->meta.name);
		return 1;
	}
	return 0;
}

/* Order strings (qsort of char *). */
static int
service_cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The service networks: one per accepted lattice parent Gateway. */
static void
service_networks(struct lm_build *b, struct lm_service *svc)
{
	const char	*sn;
	size_t		 i, j;

	if (svc->standalone)
		return;
	for (i = 0; i < b->res.nparents; i++) {
		const struct gw_parent_result *p = &b->res.parents[i];

		if (!p->ours || !p->accepted || p->gateway == NULL)
			continue;
		sn = lm_sn_name(b->cfg, p->gateway);
		for (j = 0; j < svc->n_sn_names; j++) {
			if (strcmp(svc->sn_names[j], sn) == 0)
				break;
		}
		if (j < svc->n_sn_names)
			continue;
		svc->sn_names = xreallocarray(svc->sn_names,
		    svc->n_sn_names + 1, sizeof *svc->sn_names);
		svc->sn_names[svc->n_sn_names++] = xstrdup(sn);
	}
	lm_sort(svc->sn_names, svc->n_sn_names, sizeof *svc->sn_names,
	    service_cmp_str);
}

/* Call fn on every listener of b->gateway an accepted parent attaches
 * the route to. */
static void
service_each_listener(struct lm_build *b,
    void (*fn)(struct lm_build *, const struct gw_listener *, void *),
    void *arg)
{
	size_t	i, j;

	for (i = 0; i < b->res.nparents; i++) {
		const struct gw_parent_result *p = &b->res.parents[i];

		if (!p->ours || !p->accepted || p->gateway != b->gateway)
			continue;
		for (j = 0; j < p->nlisteners; j++) {
			if (p->listeners[j] < b->gateway->nlisteners)
				fn(b, &b->gateway->listeners[p->listeners[j]],
				    arg);
		}
	}
}

/* Pick the first certificate ARN of an attached HTTPS listener. */
static void
service_cert_cb(struct lm_build *b, const struct gw_listener *l, void *arg)
{
	char	**cert = arg;

	(void)b;
	if (*cert == NULL && l->protocol == GW_PROTO_HTTPS &&
	    l->certificate_arn != NULL)
		*cert = xstrdup(l->certificate_arn);
}

/* The route's Lattice service. */
void
lm_build_service(struct lm_build *b, const char *name)
{
	struct lm_service	*svc;
	const struct gw_route	*r = b->route;

	svc = xcalloc(1, sizeof *svc);
	svc->name = xstrdup(name);
	if (r->nhostnames > 0)
		svc->custom_domain = xstrdup(r->hostnames[0]);
	service_each_listener(b, service_cert_cb, &svc->certificate_arn);
	svc->allow_takeover_from = xstrdup_or_null(r->allow_takeover_from);
	svc->standalone = b->res.standalone;
	service_networks(b, svc);
	aws_tags_set(&svc->tags, UP_TAG_MANAGED_BY, b->managed_by);
	aws_tags_set(&svc->tags, UP_TAG_ROUTE_NAME, r->meta.name);
	aws_tags_set(&svc->tags, UP_TAG_ROUTE_NAMESPACE, r->meta.ns);
	aws_tags_set(&svc->tags, UP_TAG_ROUTE_TYPE, lm_route_type_str(b->kind));
	lm_tags_add_user(&svc->tags, r->tags, r->ntags);
	b->stack->service = svc;
}

/* The Lattice protocol of a Gateway listener for this route kind; -1
 * when the pair cannot be served. */
static int
service_listener_proto(const struct lm_build *b, const struct gw_listener *l)
{
	switch (l->protocol) {
	case GW_PROTO_HTTP:
		return b->kind == LM_SRC_TLSROUTE ? -1 : LM_PROTO_HTTP;
	case GW_PROTO_HTTPS:
		return b->kind == LM_SRC_TLSROUTE ? -1 : LM_PROTO_HTTPS;
	case GW_PROTO_TLS:
		if (b->kind != LM_SRC_TLSROUTE ||
		    l->tls_mode != GW_TLS_PASSTHROUGH)
			return -1;
		return LM_PROTO_TLS_PASSTHROUGH;
	default:
		return -1;
	}
}

/* Add one Lattice listener for a Gateway listener (once per port). */
static void
service_listener_cb(struct lm_build *b, const struct gw_listener *gl,
    void *arg)
{
	struct lm_stack		*s = b->stack;
	struct lm_listener	*l;
	size_t			 i;
	int			 proto;

	(void)arg;
	if ((proto = service_listener_proto(b, gl)) < 0) {
		lm_warn(b->out, "listener %s (port %d) cannot serve a %s",
		    gl->name, (int)gl->port, gw_route_kind_name(b->route->kind));
		return;
	}
	for (i = 0; i < s->n_listeners; i++) {
		if (s->listeners[i].port == gl->port)
			return;
	}
	s->listeners = xreallocarray(s->listeners, s->n_listeners + 1,
	    sizeof *s->listeners);
	l = &s->listeners[s->n_listeners++];
	memset(l, 0, sizeof *l);
	l->protocol = (enum lm_listener_proto)proto;
	l->port = gl->port;
	l->name = lm_listener_name(s->service->name, l->port, l->protocol);
	aws_tags_set(&l->tags, UP_TAG_MANAGED_BY, b->managed_by);
	lm_tags_add_user(&l->tags, b->route->tags, b->route->ntags);
	if (l->protocol == LM_PROTO_TLS_PASSTHROUGH) {
		if (b->route->nrules > 1)
			lm_warn(b->out, "TLSRoute: only rule 0 of %zu is used",
			    b->route->nrules);
		lm_rule_action(b, 0, &l->default_action);
	} else {
		l->default_action.kind = LM_ACTION_FIXED;
		l->default_action.status_code = LM_DEFAULT_FIXED_STATUS;
		lm_build_rules(b, l);
	}
}

/* The route's listeners on its first lattice Gateway. */
void
lm_build_listeners(struct lm_build *b)
{
	service_each_listener(b, service_listener_cb, NULL);
}
