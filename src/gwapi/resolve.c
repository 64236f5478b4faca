/* gwapi resolution: route parentRefs to Gateway listeners (Accepted) and
 * backendRefs to Services/ServiceImports (ResolvedRefs), pure functions
 * over a struct gw_lookup. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/xmalloc.h"

#include "gwapi_int.h"

#define GW_GROUP_MCS	"multicluster.x-k8s.io"

/* The GatewayClass of a Gateway through the lookup, or NULL. */
static const struct gw_gatewayclass *
gw_lookup_class(const struct gw_lookup *lk, const char *name)
{
	if (lk->gatewayclass == NULL)
		return NULL;
	return lk->gatewayclass(lk->arg, name);
}

/* Whether gw's GatewayClass exists and names our controller. */
int
gw_gateway_is_ours(const struct gw_gateway *gw, const struct gw_lookup *lk)
{
	const struct gw_gatewayclass	*gc;

	gc = gw_lookup_class(lk, gw->class_name);
	return gc != NULL && gc->ours;
}

/* Whether s ends with suffix (ASCII case-insensitive). */
static int
gw_has_suffix(const char *s, const char *suffix)
{
	size_t	ls = strlen(s), lx = strlen(suffix);

	return ls >= lx && gw_strcaseeq(s + ls - lx, suffix);
}

/* Whether listener and route hostnames intersect (wildcards "*.x"). */
int
gw_hostname_intersects(const char *l, const char *r)
{
	int	lw, rw;

	if (l == NULL || *l == '\0' || r == NULL || *r == '\0')
		return 1;
	lw = strncmp(l, "*.", 2) == 0;
	rw = strncmp(r, "*.", 2) == 0;
	if (!lw && !rw)
		return gw_strcaseeq(l, r);
	if (lw && rw)
		return gw_has_suffix(l + 1, r + 1) || gw_has_suffix(r + 1, l + 1);
	if (lw)
		return strlen(r) > strlen(l + 1) && gw_has_suffix(r, l + 1);
	return strlen(l) > strlen(r + 1) && gw_has_suffix(l, r + 1);
}

/* Route kinds a protocol serves by default; returns n. */
static size_t
gw_protocol_kinds(enum gw_protocol proto, const char *kinds[2])
{
	switch (proto) {
	case GW_PROTO_HTTP:
	case GW_PROTO_HTTPS:
		kinds[0] = UP_KIND_HTTPROUTE;
		kinds[1] = UP_KIND_GRPCROUTE;
		return 2;
	case GW_PROTO_TLS:
		kinds[0] = UP_KIND_TLSROUTE;
		return 1;
	default:
		return 0;
	}
}

/* Route kinds listener l supports (see gwapi.h). */
size_t
gw_listener_supported_kinds(const struct gw_listener *l, const char *kinds[2],
    int *invalid)
{
	const char	*def[2];
	size_t		 ndef, n = 0, i, j;
	int		 ok;

	*invalid = 0;
	kinds[0] = kinds[1] = NULL;
	ndef = gw_protocol_kinds(l->protocol, def);
	if (l->nkinds == 0) {
		for (i = 0; i < ndef; i++)
			kinds[i] = def[i];
		return ndef;
	}
	for (i = 0; i < l->nkinds; i++) {
		ok = 0;
		for (j = 0; j < ndef; j++) {
			if (strcmp(l->kinds[i].group, UP_GROUP_GATEWAY) == 0 &&
			    strcmp(l->kinds[i].kind, def[j]) == 0)
				ok = 1;
		}
		if (!ok) {
			*invalid = 1;
			continue;
		}
		for (j = 0; j < n && strcmp(kinds[j], l->kinds[i].kind) != 0;
		    j++)
			;
		if (j == n && n < 2)
			kinds[n++] = l->kinds[i].kind;
	}
	return n;
}

/* Whether a route from namespace ns passes allowedRoutes.namespaces. */
static int
gw_listener_ns_allows(const struct gw_gateway *gw, const struct gw_listener *l,
    const char *ns, const struct gw_lookup *lk)
{
	const struct gw_kv	*labels;
	size_t			 n;

	switch (l->from) {
	case GW_FROM_ALL:
		return 1;
	case GW_FROM_SAME:
		return strcmp(ns, gw->meta.ns) == 0;
	case GW_FROM_SELECTOR:
		if (lk->namespace_labels == NULL ||
		    lk->namespace_labels(lk->arg, ns, &labels, &n) != 0)
			return 0;
		return gw_selector_matches(&l->selector, labels, n);
	}
	return 0;
}

/* Whether listener l allows route kind k from namespace ns. */
int
gw_listener_allows(const struct gw_gateway *gw, const struct gw_listener *l,
    enum gw_route_kind k, const char *ns, const struct gw_lookup *lk,
    const char **why)
{
	const char	*kinds[2];
	size_t		 n, i;
	int		 invalid, kind_ok = 0;

	n = gw_listener_supported_kinds(l, kinds, &invalid);
	for (i = 0; i < n; i++) {
		if (strcmp(kinds[i], gw_route_kind_name(k)) == 0)
			kind_ok = 1;
	}
	if (!kind_ok) {
		*why = "route kind not allowed by the listener";
		return 0;
	}
	if (!gw_listener_ns_allows(gw, l, ns, lk)) {
		*why = "route namespace not allowed by the listener";
		return 0;
	}
	*why = NULL;
	return 1;
}

/* Set a parent result's outcome. */
static void
gw_parent_set(struct gw_parent_result *r, int accepted, const char *reason,
    const char *fmt, ...)
{
	va_list	ap;

	r->accepted = accepted;
	r->reason = reason;
	free(r->message);
	va_start(ap, fmt);
	xvasprintf(&r->message, fmt, ap);
	va_end(ap);
}

/* Whether listener l passes parentRef's sectionName and port. */
static int
gw_listener_selected(const struct gw_parent_ref *ref,
    const struct gw_listener *l)
{
	if (ref->section_name != NULL && strcmp(ref->section_name, l->name) != 0)
		return 0;
	return ref->port == 0 || ref->port == l->port;
}

/* Whether any route hostname intersects listener l's. */
static int
gw_listener_hosts(const struct gw_route *rt, const struct gw_listener *l)
{
	size_t	i;

	if (rt->nhostnames == 0 || l->hostname == NULL)
		return 1;
	for (i = 0; i < rt->nhostnames; i++) {
		if (gw_hostname_intersects(l->hostname, rt->hostnames[i]))
			return 1;
	}
	return 0;
}

/* Pick the listeners of gw the route attaches to through ref. */
static void
gw_parent_listeners(const struct gw_route *rt, const struct gw_parent_ref *ref,
    const struct gw_gateway *gw, const struct gw_lookup *lk,
    struct gw_parent_result *out)
{
	const struct gw_listener	*l;
	const char			*why = NULL;
	size_t				 i, selected = 0, allowed = 0;

	out->listeners = xcalloc(gw->nlisteners, sizeof *out->listeners);
	for (i = 0; i < gw->nlisteners; i++) {
		l = &gw->listeners[i];
		if (!gw_listener_selected(ref, l))
			continue;
		selected++;
		if (!gw_listener_allows(gw, l, rt->kind, rt->meta.ns, lk, &why))
			continue;
		allowed++;
		if (gw_listener_hosts(rt, l))
			out->listeners[out->nlisteners++] = i;
	}
	if (selected == 0)
		gw_parent_set(out, 0, UP_REASON_NO_MATCHING_PARENT,
		    "no listener of Gateway %s/%s matches%s%s%s", gw->meta.ns,
		    gw->meta.name, ref->section_name != NULL ?
		    " sectionName " : "", ref->section_name != NULL ?
		    ref->section_name : "", ref->port != 0 ? " and port" : "");
	else if (allowed == 0)
		gw_parent_set(out, 0, UP_REASON_NOT_ALLOWED, "%s %s/%s: %s",
		    gw_route_kind_name(rt->kind), rt->meta.ns, rt->meta.name,
		    why);
	else if (out->nlisteners == 0)
		gw_parent_set(out, 0, UP_REASON_NO_MATCHING_HOSTNAME,
		    "no listener hostname of Gateway %s/%s matches the "
		    "route's hostnames", gw->meta.ns, gw->meta.name);
	else if (rt->meta.nproblems != 0)
		gw_parent_set(out, 0, UP_REASON_UNSUPPORTED_VALUE, "%s",
		    rt->meta.problems[0]);
	else
		gw_parent_set(out, 1, UP_REASON_ACCEPTED, "%s", "");
}

/* Resolve parentRef i of a route. */
void
gw_resolve_parent(const struct gw_route *rt, size_t i,
    const struct gw_lookup *lk, struct gw_parent_result *out)
{
	const struct gw_parent_ref	*ref = &rt->parents[i];
	const struct gw_gateway		*gw = NULL;

	memset(out, 0, sizeof *out);
	out->index = i;
	if (strcmp(ref->group, UP_GROUP_GATEWAY) != 0 ||
	    strcmp(ref->kind, UP_KIND_GATEWAY) != 0) {
		gw_parent_set(out, 0, UP_REASON_NO_MATCHING_PARENT,
		    "parentRef kind %s/%s is not supported", ref->group,
		    ref->kind);
		return;
	}
	if (lk->gateway != NULL)
		gw = lk->gateway(lk->arg, ref->ns, ref->name);
	if (gw == NULL) {
		gw_parent_set(out, 0, UP_REASON_NO_MATCHING_PARENT,
		    "Gateway %s/%s not found", ref->ns, ref->name);
		return;
	}
	out->gateway = gw;
	out->ours = gw_gateway_is_ours(gw, lk);
	gw_parent_listeners(rt, ref, gw, lk, out);
}

/* Release a parent result's message and listener list. */
void
gw_parent_result_clear(struct gw_parent_result *r)
{
	free(r->message);
	free(r->listeners);
	memset(r, 0, sizeof *r);
}

/* Set a backend result's outcome. */
static void
gw_backend_set(struct gw_backend_result *r, int resolved, const char *reason,
    const char *fmt, ...)
{
	va_list	ap;

	r->resolved = resolved;
	r->reason = reason;
	free(r->message);
	va_start(ap, fmt);
	xvasprintf(&r->message, fmt, ap);
	va_end(ap);
}

/* Whether a cross-namespace reference is granted in the target's ns. */
static int
gw_backend_granted(const struct gw_route *rt, const struct gw_backend_ref *b,
    const struct gw_lookup *lk)
{
	const struct gw_refgrant *const	*grants;
	size_t				 n, i;

	if (lk->refgrants == NULL)
		return 0;
	n = lk->refgrants(lk->arg, b->ns, &grants);
	for (i = 0; i < n; i++) {
		if (gw_refgrant_permits(grants[i], UP_GROUP_GATEWAY,
		    gw_route_kind_name(rt->kind), rt->meta.ns, b->group,
		    b->kind, b->name))
			return 1;
	}
	return 0;
}

/* Resolve a Service backend (existence and port). */
static void
gw_backend_service(const struct gw_backend_ref *b, const struct gw_lookup *lk,
    struct gw_backend_result *out)
{
	if (lk->service != NULL)
		out->service = lk->service(lk->arg, b->ns, b->name);
	if (out->service == NULL) {
		gw_backend_set(out, 0, UP_REASON_BACKEND_NOT_FOUND,
		    "backendRef name: %s (Service %s/%s not found)", b->name,
		    b->ns, b->name);
		return;
	}
	if (b->port != 0 &&
	    (out->port = gw_service_port_find(out->service, b->port)) == NULL) {
		gw_backend_set(out, 0, UP_REASON_BACKEND_NOT_FOUND,
		    "backendRef name: %s (Service %s/%s has no port %d)",
		    b->name, b->ns, b->name, (int)b->port);
		return;
	}
	gw_backend_set(out, 1, UP_REASON_RESOLVED_REFS, "%s", "");
}

/* Resolve a ServiceImport backend. */
static void
gw_backend_import(const struct gw_backend_ref *b, const struct gw_lookup *lk,
    struct gw_backend_result *out)
{
	const struct gw_serviceimport	*si = NULL;

	if (lk->serviceimport != NULL)
		si = lk->serviceimport(lk->arg, b->ns, b->name);
	out->import = si;
	if (si == NULL)
		gw_backend_set(out, 0, UP_REASON_BACKEND_NOT_FOUND,
		    "backendRef name: %s (ServiceImport %s/%s not found)",
		    b->name, b->ns, b->name);
	else if (si->conflicting)
		gw_backend_set(out, 0, UP_REASON_CONFLICTING_IMPORT_ANN,
		    "conflicting ServiceImport annotations: %s cannot be "
		    "combined with export-name, aws-vpc or aws-eks-cluster-name",
		    UP_ANN_TARGET_GROUP_ARN);
	else if (si->arn_invalid)
		gw_backend_set(out, 0, UP_REASON_INVALID_EXTERNAL_TG,
		    "invalid external target group ARN \"%s\"",
		    si->target_group_arn);
	else
		gw_backend_set(out, 1, UP_REASON_RESOLVED_REFS, "%s", "");
}

/* Whether b names a ServiceImport (core, ours or the MCS API group). */
static int
gw_backend_is_import(const struct gw_backend_ref *b)
{
	return strcmp(b->kind, UP_KIND_SERVICEIMPORT) == 0 &&
	    (*b->group == '\0' || strcmp(b->group, UP_GROUP_APPNET) == 0 ||
	    strcmp(b->group, GW_GROUP_MCS) == 0);
}

/* Resolve backendRef (rule, backend) of a route. */
void
gw_resolve_backend(const struct gw_route *rt, size_t rule, size_t backend,
    const struct gw_lookup *lk, struct gw_backend_result *out)
{
	const struct gw_backend_ref	*b = &rt->rules[rule].backends[backend];
	int				 svc;

	memset(out, 0, sizeof *out);
	out->rule = rule;
	out->backend = backend;
	svc = *b->group == '\0' && strcmp(b->kind, UP_KIND_SERVICE) == 0;
	if (!svc && !gw_backend_is_import(b)) {
		gw_backend_set(out, 0, UP_REASON_INVALID_KIND,
		    "backendRef %s: unsupported kind %s%s%s", b->name,
		    b->group, *b->group != '\0' ? "/" : "", b->kind);
		return;
	}
	if (strcmp(b->ns, rt->meta.ns) != 0) {
		if (!gw_backend_granted(rt, b, lk)) {
			gw_backend_set(out, 0, UP_REASON_REF_NOT_PERMITTED,
			    "backendRef %s/%s: no ReferenceGrant in namespace "
			    "%s allows %s from namespace %s", b->ns, b->name,
			    b->ns, gw_route_kind_name(rt->kind), rt->meta.ns);
			return;
		}
		out->cross_ns = 1;
	}
	if (svc)
		gw_backend_service(b, lk, out);
	else
		gw_backend_import(b, lk, out);
}

/* Release a backend result's message. */
void
gw_backend_result_clear(struct gw_backend_result *r)
{
	free(r->message);
	memset(r, 0, sizeof *r);
}

/* The standalone decision for a route (see gwapi.h). */
int
gw_route_standalone(const struct gw_route *rt, const struct gw_lookup *lk)
{
	const struct gw_parent_ref	*ref;
	const struct gw_gateway		*gw;
	size_t				 i;

	if (rt->standalone >= 0)
		return rt->standalone;
	if (lk->gateway == NULL)
		return 0;
	for (i = 0; i < rt->nparents; i++) {
		ref = &rt->parents[i];
		if (strcmp(ref->group, UP_GROUP_GATEWAY) != 0 ||
		    strcmp(ref->kind, UP_KIND_GATEWAY) != 0)
			continue;
		gw = lk->gateway(lk->arg, ref->ns, ref->name);
		if (gw != NULL && gw->standalone == 1 &&
		    gw_gateway_is_ours(gw, lk))
			return 1;
	}
	return 0;
}

/* Resolve every backendRef and summarise ResolvedRefs. */
static void
gw_resolve_backends(const struct gw_route *rt, const struct gw_lookup *lk,
    struct gw_resolution *out)
{
	struct gw_backend_result	*br;
	size_t				 r, b, n = 0;

	for (r = 0; r < rt->nrules; r++)
		n += rt->rules[r].nbackends;
	out->backends = xcalloc(n == 0 ? 1 : n, sizeof *out->backends);
	out->resolved_refs = 1;
	out->resolved_reason = UP_REASON_RESOLVED_REFS;
	for (r = 0; r < rt->nrules; r++) {
		for (b = 0; b < rt->rules[r].nbackends; b++) {
			br = &out->backends[out->nbackends++];
			gw_resolve_backend(rt, r, b, lk, br);
			if (br->resolved || !out->resolved_refs)
				continue;
			out->resolved_refs = 0;
			out->resolved_reason = br->reason;
			out->resolved_message = xstrdup(br->message);
		}
	}
	if (out->resolved_message == NULL)
		out->resolved_message = xstrdup("");
}

/* Whether any resolved backend Service is dual-stack. */
static int
gw_resolution_dual_stack(const struct gw_resolution *res)
{
	size_t	i;

	for (i = 0; i < res->nbackends; i++) {
		if (res->backends[i].service != NULL &&
		    res->backends[i].service->nip_families > 1)
			return 1;
	}
	return 0;
}

/* Resolve a whole route: parents, backends, standalone. */
void
gw_resolve_route(const struct gw_route *rt, const struct gw_lookup *lk,
    struct gw_resolution *out)
{
	struct gw_parent_result	*pr;
	size_t			 i;
	int			 dual;

	memset(out, 0, sizeof *out);
	out->parents = xcalloc(rt->nparents == 0 ? 1 : rt->nparents,
	    sizeof *out->parents);
	out->nparents = rt->nparents;
	gw_resolve_backends(rt, lk, out);
	dual = gw_resolution_dual_stack(out);
	for (i = 0; i < rt->nparents; i++) {
		pr = &out->parents[i];
		gw_resolve_parent(rt, i, lk, pr);
		if (pr->ours)
			out->ours = 1;
		if (pr->accepted && dual)
			gw_parent_set(pr, 0, UP_REASON_UNSUPPORTED_VALUE, "%s",
			    UP_MSG_DUAL_STACK);
	}
	out->standalone = gw_route_standalone(rt, lk);
}

/* Release a resolution. */
void
gw_resolution_free(struct gw_resolution *res)
{
	size_t	i;

	for (i = 0; i < res->nparents; i++)
		gw_parent_result_clear(&res->parents[i]);
	for (i = 0; i < res->nbackends; i++)
		gw_backend_result_clear(&res->backends[i]);
	free(res->parents);
	free(res->backends);
	free(res->resolved_message);
	memset(res, 0, sizeof *res);
}

/* Whether parentRef ref names gateway gw. */
static int
gw_ref_names(const struct gw_parent_ref *ref, const struct gw_gateway *gw)
{
	return strcmp(ref->group, UP_GROUP_GATEWAY) == 0 &&
	    strcmp(ref->kind, UP_KIND_GATEWAY) == 0 &&
	    strcmp(ref->ns, gw->meta.ns) == 0 &&
	    strcmp(ref->name, gw->meta.name) == 0;
}

/* Count one route's attachments to gw's listeners (once per listener). */
static void
gw_count_route(const struct gw_gateway *gw, const struct gw_route *rt,
    const struct gw_lookup *lk, int32_t *counts, unsigned char *seen)
{
	struct gw_parent_result	pr;
	size_t			i, j;

	memset(seen, 0, gw->nlisteners);
	for (i = 0; i < rt->nparents; i++) {
		if (!gw_ref_names(&rt->parents[i], gw))
			continue;
		gw_resolve_parent(rt, i, lk, &pr);
		if (pr.accepted && pr.gateway != NULL &&
		    gw_ref_names(&rt->parents[i], pr.gateway)) {
			for (j = 0; j < pr.nlisteners; j++) {
				if (seen[pr.listeners[j]])
					continue;
				seen[pr.listeners[j]] = 1;
				counts[pr.listeners[j]]++;
			}
		}
		gw_parent_result_clear(&pr);
	}
}

/* attachedRoutes per listener of gw (see gwapi.h). */
void
gw_count_attached(const struct gw_gateway *gw,
    const struct gw_route *const *routes, size_t nroutes,
    const struct gw_lookup *lk, int32_t *counts)
{
	unsigned char	*seen;
	size_t		 i;

	memset(counts, 0, gw->nlisteners * sizeof *counts);
	seen = xcalloc(gw->nlisteners == 0 ? 1 : gw->nlisteners, 1);
	for (i = 0; i < nroutes; i++) {
		if (routes[i]->meta.deleting)
			continue;
		gw_count_route(gw, routes[i], lk, counts, seen);
	}
	free(seen);
}
