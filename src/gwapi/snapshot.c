/* gwapi snapshot: owned parsed objects behind a ready struct gw_lookup.
 * Lookups scan linearly (fine for thousands of objects). */
#include <stdlib.h>
#include <string.h>

#include "latticectl/error.h"
#include "latticectl/json.h"
#include "latticectl/xmalloc.h"

#include "gwapi_int.h"

/* A growable array of object pointers. */
struct gw_vec {
	void	**v;
	size_t	  n;
};

struct gw_ns {
	char		*name;
	struct gw_kv	*labels;
	size_t		 nlabels;
};

struct gw_snapshot {
	struct gw_vec	 classes;
	struct gw_vec	 gateways;
	struct gw_vec	 routes;
	struct gw_vec	 services;
	struct gw_vec	 imports;
	struct gw_vec	 grants;
	struct gw_ns	*nss;	/* grants are kept sorted by namespace */
	size_t		 nnss;
};

/* A new empty snapshot. */
struct gw_snapshot *
gw_snapshot_new(void)
{
	return xcalloc(1, sizeof (struct gw_snapshot));
}

/* The struct gw_meta every object starts with. */
static const struct gw_meta *
gw_vec_meta(const void *obj)
{
	return (const struct gw_meta *)obj;
}

/* Free every object of a vector through its meta's arena. */
static void
gw_vec_free(struct gw_vec *v)
{
	size_t	i;

	for (i = 0; i < v->n; i++)
		gw_arena_free(gw_vec_meta(v->v[i])->arena);
	free(v->v);
	v->v = NULL;
	v->n = 0;
}

/* Free a snapshot and everything in it. */
void
gw_snapshot_free(struct gw_snapshot *s)
{
	size_t	i;

	if (s == NULL)
		return;
	gw_vec_free(&s->classes);
	gw_vec_free(&s->gateways);
	gw_vec_free(&s->routes);
	gw_vec_free(&s->services);
	gw_vec_free(&s->imports);
	gw_vec_free(&s->grants);
	for (i = 0; i < s->nnss; i++) {
		free(s->nss[i].name);
		gw_kv_free(s->nss[i].labels, s->nss[i].nlabels);
	}
	free(s->nss);
	free(s);
}

/* Index of the object named ns/name (ns NULL: cluster-scoped), or -1. */
static long
gw_vec_find(const struct gw_vec *v, const char *ns, const char *name)
{
	const struct gw_meta	*m;
	size_t			 i;

	for (i = 0; i < v->n; i++) {
		m = gw_vec_meta(v->v[i]);
		if (gw_streq(m->ns, ns) && strcmp(m->name, name) == 0)
			return (long)i;
	}
	return -1;
}

/* Add obj, replacing (freeing) one with the same namespace/name. */
static void
gw_vec_put(struct gw_vec *v, void *obj)
{
	const struct gw_meta	*m = gw_vec_meta(obj);
	long			 i;

	if ((i = gw_vec_find(v, m->ns, m->name)) >= 0) {
		gw_arena_free(gw_vec_meta(v->v[i])->arena);
		v->v[i] = obj;
		return;
	}
	v->v = xreallocarray(v->v, v->n + 1, sizeof *v->v);
	v->v[v->n++] = obj;
}

/* The object ns/name of a vector, or NULL. */
static const void *
gw_vec_get(const struct gw_vec *v, const char *ns, const char *name)
{
	long	i;

	if (name == NULL)
		return NULL;
	i = gw_vec_find(v, ns, name);
	return i < 0 ? NULL : v->v[i];
}

/* Add a GatewayClass (owned). */
void
gw_snapshot_add_gatewayclass(struct gw_snapshot *s, struct gw_gatewayclass *o)
{
	gw_vec_put(&s->classes, o);
}

/* Add a Gateway (owned). */
void
gw_snapshot_add_gateway(struct gw_snapshot *s, struct gw_gateway *o)
{
	gw_vec_put(&s->gateways, o);
}

/* Add a route (owned; one name space per kind). */
void
gw_snapshot_add_route(struct gw_snapshot *s, struct gw_route *o)
{
	const struct gw_route	*r;
	size_t			 i;

	for (i = 0; i < s->routes.n; i++) {
		r = s->routes.v[i];
		if (r->kind == o->kind && strcmp(r->meta.ns, o->meta.ns) == 0 &&
		    strcmp(r->meta.name, o->meta.name) == 0) {
			gw_route_free(s->routes.v[i]);
			s->routes.v[i] = o;
			return;
		}
	}
	s->routes.v = xreallocarray(s->routes.v, s->routes.n + 1,
	    sizeof *s->routes.v);
	s->routes.v[s->routes.n++] = o;
}

/* Add a Service (owned). */
void
gw_snapshot_add_service(struct gw_snapshot *s, struct gw_service *o)
{
	gw_vec_put(&s->services, o);
}

/* Add a ServiceImport (owned). */
void
gw_snapshot_add_serviceimport(struct gw_snapshot *s,
    struct gw_serviceimport *o)
{
	gw_vec_put(&s->imports, o);
}

/* Order objects by namespace (qsort). */
static int
gw_vec_cmp_ns(const void *a, const void *b)
{
	return strcmp(gw_vec_meta(*(void *const *)a)->ns,
	    gw_vec_meta(*(void *const *)b)->ns);
}

/* Add a ReferenceGrant (owned); grants stay sorted by namespace. */
void
gw_snapshot_add_refgrant(struct gw_snapshot *s, struct gw_refgrant *o)
{
	gw_vec_put(&s->grants, o);
	qsort(s->grants.v, s->grants.n, sizeof *s->grants.v, gw_vec_cmp_ns);
}

/* Set a namespace's labels (copied). */
void
gw_snapshot_add_namespace(struct gw_snapshot *s, const char *ns,
    const struct gw_kv *labels, size_t n)
{
	struct gw_ns	*e = NULL;
	size_t		 i;

	for (i = 0; i < s->nnss && e == NULL; i++) {
		if (strcmp(s->nss[i].name, ns) == 0)
			e = &s->nss[i];
	}
	if (e == NULL) {
		s->nss = xreallocarray(s->nss, s->nnss + 1, sizeof *s->nss);
		e = &s->nss[s->nnss++];
		e->name = xstrdup(ns);
	} else
		gw_kv_free(e->labels, e->nlabels);
	e->nlabels = n;
	e->labels = xcalloc(n == 0 ? 1 : n, sizeof *e->labels);
	for (i = 0; i < n; i++) {
		e->labels[i].key = xstrdup(labels[i].key);
		e->labels[i].value = xstrdup(labels[i].value);
	}
}

/* A Namespace object's labels into the snapshot. */
static int
gw_snapshot_namespace_json(struct gw_snapshot *s, const cJSON *obj,
    char **cause)
{
	struct gw_kv	*kv;
	const cJSON	*labels, *it;
	const char	*name;
	size_t		 n = 0;

	if ((name = json_path_str(obj, "metadata.name")) == NULL)
		return error_set(cause, "Namespace: metadata.name: required");
	labels = cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetObjectItemCaseSensitive(obj, "metadata"), "labels");
	if (!cJSON_IsObject(labels))
		labels = NULL;
	kv = xcalloc((size_t)cJSON_GetArraySize(labels) + 1, sizeof *kv);
	cJSON_ArrayForEach(it, labels) {
		if (!cJSON_IsString(it) || it->string == NULL)
			continue;
		kv[n].key = it->string;
		kv[n++].value = it->valuestring;
	}
	gw_snapshot_add_namespace(s, name, kv, n);
	free(kv);
	return 0;
}

/* Parse obj by its kind and add it (unsupported kinds skipped). */
int
gw_snapshot_add_json(struct gw_snapshot *s, const cJSON *obj, char **cause)
{
	const char	*kind = json_str(obj, "kind");
	void		*o;

	if (kind == NULL)
		return error_set(cause, "object without a kind");
	if (strcmp(kind, "Namespace") == 0)
		return gw_snapshot_namespace_json(s, obj, cause);
	if (strcmp(kind, UP_KIND_GATEWAYCLASS) == 0) {
		if (gw_gatewayclass_parse(obj, (struct gw_gatewayclass **)&o,
		    cause) != 0)
			return -1;
		gw_snapshot_add_gatewayclass(s, o);
	} else if (strcmp(kind, UP_KIND_GATEWAY) == 0) {
		if (gw_gateway_parse(obj, (struct gw_gateway **)&o, cause) != 0)
			return -1;
		gw_snapshot_add_gateway(s, o);
	} else if (gw_route_kind_from_name(kind) != GW_ROUTE_ANY) {
		if (gw_route_parse(obj, GW_ROUTE_ANY, (struct gw_route **)&o,
		    cause) != 0)
			return -1;
		gw_snapshot_add_route(s, o);
	} else if (strcmp(kind, UP_KIND_SERVICE) == 0) {
		if (gw_service_parse(obj, (struct gw_service **)&o, cause) != 0)
			return -1;
		gw_snapshot_add_service(s, o);
	} else if (strcmp(kind, UP_KIND_SERVICEIMPORT) == 0) {
		if (gw_serviceimport_parse(obj, (struct gw_serviceimport **)&o,
		    cause) != 0)
			return -1;
		gw_snapshot_add_serviceimport(s, o);
	} else if (strcmp(kind, UP_KIND_REFERENCEGRANT) == 0) {
		if (gw_refgrant_parse(obj, (struct gw_refgrant **)&o,
		    cause) != 0)
			return -1;
		gw_snapshot_add_refgrant(s, o);
	}
	return 0;
}

/* The routes held. */
const struct gw_route *const *
gw_snapshot_routes(const struct gw_snapshot *s, size_t *n)
{
	*n = s->routes.n;
	return (const struct gw_route *const *)s->routes.v;
}

/* Lookup callback: GatewayClass by name. */
static const struct gw_gatewayclass *
gw_snap_class(void *arg, const char *name)
{
	return gw_vec_get(&((struct gw_snapshot *)arg)->classes, NULL, name);
}

/* Lookup callback: Gateway by ns/name. */
static const struct gw_gateway *
gw_snap_gateway(void *arg, const char *ns, const char *name)
{
	return gw_vec_get(&((struct gw_snapshot *)arg)->gateways, ns, name);
}

/* Lookup callback: Service by ns/name. */
static const struct gw_service *
gw_snap_service(void *arg, const char *ns, const char *name)
{
	return gw_vec_get(&((struct gw_snapshot *)arg)->services, ns, name);
}

/* Lookup callback: ServiceImport by ns/name. */
static const struct gw_serviceimport *
gw_snap_import(void *arg, const char *ns, const char *name)
{
	return gw_vec_get(&((struct gw_snapshot *)arg)->imports, ns, name);
}

/* Lookup callback: the ReferenceGrants of ns (a range of the sorted
 * vector, so concurrent readers are safe). */
static size_t
gw_snap_grants(void *arg, const char *ns,
    const struct gw_refgrant *const **out)
{
	struct gw_snapshot	*s = arg;
	size_t			 i, start;

	*out = NULL;
	if (s->grants.n == 0)
		return 0;
	for (i = 0; i < s->grants.n &&
	    strcmp(gw_vec_meta(s->grants.v[i])->ns, ns) < 0; i++)
		;
	start = i;
	while (i < s->grants.n &&
	    strcmp(gw_vec_meta(s->grants.v[i])->ns, ns) == 0)
		i++;
	*out = (const struct gw_refgrant *const *)(s->grants.v + start);
	return i - start;
}

/* Lookup callback: labels of namespace ns. */
static int
gw_snap_ns_labels(void *arg, const char *ns, const struct gw_kv **labels,
    size_t *n)
{
	struct gw_snapshot	*s = arg;
	size_t			 i;

	for (i = 0; i < s->nnss; i++) {
		if (strcmp(s->nss[i].name, ns) == 0) {
			*labels = s->nss[i].labels;
			*n = s->nss[i].nlabels;
			return 0;
		}
	}
	return -1;
}

/* Fill a lookup reading the snapshot. */
void
gw_snapshot_lookup(struct gw_snapshot *s, struct gw_lookup *lk)
{
	memset(lk, 0, sizeof *lk);
	lk->arg = s;
	lk->gatewayclass = gw_snap_class;
	lk->gateway = gw_snap_gateway;
	lk->service = gw_snap_service;
	lk->serviceimport = gw_snap_import;
	lk->refgrants = gw_snap_grants;
	lk->namespace_labels = gw_snap_ns_labels;
}
