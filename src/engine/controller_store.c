/* cstore: the controller's typed, indexed view of the Kubernetes objects
 * (gwapi objects by kind and key, EndpointSlices by Service,
 * ReferenceGrants by namespace, every route), and the builder's lookups
 * over it. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/error.h"
#include "latticectl/json.h"
#include "latticectl/kcache.h"
#include "latticectl/xmalloc.h"

#include "controller_int.h"

/* One stored object. */
struct cs_ent {
	enum cs_kind	 kind;
	void		*obj;
	char		*created;	/* routes: creationTimestamp */
};

struct cstore {
	pthread_rwlock_t	 rw;
	struct hmap		 by_kind[CS_KIND_MAX];	/* key -> cs_ent */
	struct hmap		 slices_by_svc;		/* "ns/svc" -> cs_vec */
	struct hmap		 grants_by_ns;		/* ns -> cs_vec */
	const struct gw_route	**routes;
	size_t			 nroutes;
};

static const struct {
	const struct kube_resource	*res;
	const char			*name;
} cs_kinds[CS_KIND_MAX] = {
	[CS_CLASS] = { &KUBE_RES_GATEWAYCLASSES, UP_KIND_GATEWAYCLASS },
	[CS_GATEWAY] = { &KUBE_RES_GATEWAYS, UP_KIND_GATEWAY },
	[CS_HTTPROUTE] = { &KUBE_RES_HTTPROUTES, UP_KIND_HTTPROUTE },
	[CS_GRPCROUTE] = { &KUBE_RES_GRPCROUTES, UP_KIND_GRPCROUTE },
	[CS_TLSROUTE] = { &KUBE_RES_TLSROUTES, UP_KIND_TLSROUTE },
	[CS_REFGRANT] = { &KUBE_RES_REFERENCEGRANTS, UP_KIND_REFERENCEGRANT },
	[CS_SERVICE] = { &KUBE_RES_SERVICES, UP_KIND_SERVICE },
	[CS_SLICE] = { &KUBE_RES_ENDPOINTSLICES, UP_KIND_ENDPOINTSLICE },
	[CS_EXPORT] = { &KUBE_RES_SERVICEEXPORTS, UP_KIND_SERVICEEXPORT },
	[CS_IMPORT] = { &KUBE_RES_SERVICEIMPORTS, UP_KIND_SERVICEIMPORT },
	[CS_TGP] = { &KUBE_RES_TARGETGROUPPOLICIES, UP_KIND_TGP },
	[CS_NAMESPACE] = { &KUBE_RES_NAMESPACES, "Namespace" },
	[CS_VAP] = { &KUBE_RES_VPCASSOCIATIONPOLICIES, UP_KIND_VAP },
	[CS_ALP] = { &KUBE_RES_ACCESSLOGPOLICIES, UP_KIND_ALP },
	[CS_IAP] = { &KUBE_RES_IAMAUTHPOLICIES, UP_KIND_IAP },
};

/* The static descriptor of a store kind. */
const struct kube_resource *
cs_kind_res(enum cs_kind k)
{
	return cs_kinds[k].res;
}

/* The Kubernetes kind name of a store kind. */
const char *
cs_kind_name(enum cs_kind k)
{
	return cs_kinds[k].name;
}

/* Whether a store kind holds routes. */
int
cs_is_route(enum cs_kind k)
{
	return k == CS_HTTPROUTE || k == CS_GRPCROUTE || k == CS_TLSROUTE;
}

/* The store kind of a route kind. */
enum cs_kind
cs_route_kind(enum gw_route_kind k)
{
	if (k == GW_ROUTE_GRPC)
		return CS_GRPCROUTE;
	if (k == GW_ROUTE_TLS)
		return CS_TLSROUTE;
	return CS_HTTPROUTE;
}

/* ---- parsing and freeing per kind ---- */

/* A namespace's name and labels. */
static struct cs_ns *
cs_ns_parse(const cJSON *obj)
{
	const cJSON	*labels, *l;
	struct cs_ns	*ns;
	const char	*name = json_path_str(obj, "metadata.name");

	if (name == NULL)
		return NULL;
	ns = xcalloc(1, sizeof(*ns));
	ns->name = xstrdup(name);
	labels = json_path(obj, "metadata.labels");
	ns->labels = xcalloc((size_t)cJSON_GetArraySize(labels) + 1,
	    sizeof(*ns->labels));
	cJSON_ArrayForEach(l, labels) {
		if (!cJSON_IsString(l) || l->string == NULL)
			continue;
		ns->labels[ns->nlabels].key = xstrdup(l->string);
		ns->labels[ns->nlabels++].value = xstrdup(l->valuestring);
	}
	return ns;
}

/* Free a namespace entry. */
static void
cs_ns_free(struct cs_ns *ns)
{
	if (ns == NULL)
		return;
	gw_kv_free(ns->labels, ns->nlabels);
	free(ns->name);
	free(ns);
}

/* Parse obj as kind k into *out. */
static int
cs_parse(enum cs_kind k, const cJSON *obj, void **out, char **cause)
{
	struct gw_gatewayclass	*gc;
	struct gw_gateway	*gw;
	struct gw_route		*r;
	struct gw_refgrant	*rg;
	struct gw_service	*svc;
	struct gw_endpointslice	*sl;
	struct gw_serviceexport	*ex;
	struct gw_serviceimport	*im;
	struct gw_tgpolicy	*tgp;
	struct gw_vapolicy	*vap;
	struct gw_alpolicy	*alp;
	struct gw_iampolicy	*iap;
	int			 rc = -1;

	*out = NULL;
	switch (k) {
	case CS_CLASS:
		if ((rc = gw_gatewayclass_parse(obj, &gc, cause)) == 0)
			*out = gc;
		break;
	case CS_GATEWAY:
		if ((rc = gw_gateway_parse(obj, &gw, cause)) == 0)
			*out = gw;
		break;
	case CS_HTTPROUTE:
	case CS_GRPCROUTE:
	case CS_TLSROUTE:
		if ((rc = gw_route_parse(obj, k == CS_HTTPROUTE ?
		    GW_ROUTE_HTTP : k == CS_GRPCROUTE ? GW_ROUTE_GRPC :
		    GW_ROUTE_TLS, &r, cause)) == 0)
			*out = r;
		break;
	case CS_REFGRANT:
		if ((rc = gw_refgrant_parse(obj, &rg, cause)) == 0)
			*out = rg;
		break;
	case CS_SERVICE:
		if ((rc = gw_service_parse(obj, &svc, cause)) == 0)
			*out = svc;
		break;
	case CS_SLICE:
		if ((rc = gw_endpointslice_parse(obj, &sl, cause)) == 0)
			*out = sl;
		break;
	case CS_EXPORT:
		if ((rc = gw_serviceexport_parse(obj, &ex, cause)) == 0)
			*out = ex;
		break;
	case CS_IMPORT:
		if ((rc = gw_serviceimport_parse(obj, &im, cause)) == 0)
			*out = im;
		break;
	case CS_TGP:
		if ((rc = gw_tgpolicy_parse(obj, &tgp, cause)) == 0)
			*out = tgp;
		break;
	case CS_VAP:
		if ((rc = gw_vapolicy_parse(obj, &vap, cause)) == 0)
			*out = vap;
		break;
	case CS_ALP:
		if ((rc = gw_alpolicy_parse(obj, &alp, cause)) == 0)
			*out = alp;
		break;
	case CS_IAP:
		if ((rc = gw_iampolicy_parse(obj, &iap, cause)) == 0)
			*out = iap;
		break;
	case CS_NAMESPACE:
		if ((*out = cs_ns_parse(obj)) != NULL)
			rc = 0;
		else
			rc = error_set(cause, "Namespace without a name");
		break;
	default:
		rc = error_set(cause, "unknown kind");
		break;
	}
	return rc;
}

/* Free an object of kind k. */
static void
cs_obj_free(enum cs_kind k, void *obj)
{
	switch (k) {
	case CS_CLASS: gw_gatewayclass_free(obj); break;
	case CS_GATEWAY: gw_gateway_free(obj); break;
	case CS_HTTPROUTE:
	case CS_GRPCROUTE:
	case CS_TLSROUTE: gw_route_free(obj); break;
	case CS_REFGRANT: gw_refgrant_free(obj); break;
	case CS_SERVICE: gw_service_free(obj); break;
	case CS_SLICE: gw_endpointslice_free(obj); break;
	case CS_EXPORT: gw_serviceexport_free(obj); break;
	case CS_IMPORT: gw_serviceimport_free(obj); break;
	case CS_TGP: gw_tgpolicy_free(obj); break;
	case CS_VAP: gw_vapolicy_free(obj); break;
	case CS_ALP: gw_alpolicy_free(obj); break;
	case CS_IAP: gw_iampolicy_free(obj); break;
	case CS_NAMESPACE: cs_ns_free(obj); break;
	default: break;
	}
}

/* Free an entry and its object. */
static void
cs_ent_free(void *p)
{
	struct cs_ent	*e = p;

	if (e == NULL)
		return;
	cs_obj_free(e->kind, e->obj);
	free(e->created);
	free(e);
}

/* Free a vector (map release function). */
static void
cs_vec_free(void *p)
{
	struct cs_vec	*v = p;

	if (v != NULL) {
		free(v->v);
		free(v);
	}
}

/* ---- derived indexes ---- */

/* Add p to the vector under key in map. */
static void
cs_vec_add(struct hmap *map, const char *key, const void *p)
{
	struct cs_vec	*v = hmap_get(map, key);

	if (v == NULL) {
		v = xcalloc(1, sizeof(*v));
		hmap_put(map, key, v);
	}
	if (v->n == v->cap) {
		v->cap = v->cap == 0 ? 4 : v->cap * 2;
		v->v = xreallocarray(v->v, v->cap, sizeof(*v->v));
	}
	v->v[v->n++] = p;
}

/* Remove p from the vector under key in map (dropped when empty). */
static void
cs_vec_remove(struct hmap *map, const char *key, const void *p)
{
	struct cs_vec	*v = hmap_get(map, key);
	size_t		 i;

	for (i = 0; v != NULL && i < v->n; i++) {
		if (v->v[i] == p) {
			memmove(&v->v[i], &v->v[i + 1],
			    (v->n - i - 1) * sizeof(*v->v));
			v->n--;
			break;
		}
	}
	if (v != NULL && v->n == 0)
		cs_vec_free(hmap_del(map, key));
}

/* Add or remove obj (kind k) in the derived indexes. */
static void
cs_index(struct cstore *s, enum cs_kind k, const void *obj, int add)
{
	const struct gw_endpointslice	*sl = obj;
	const struct gw_refgrant	*rg = obj;
	char				*key;

	if (k == CS_SLICE && sl->service_name != NULL) {
		xasprintf(&key, "%s/%s", sl->meta.ns, sl->service_name);
		if (add)
			cs_vec_add(&s->slices_by_svc, key, sl);
		else
			cs_vec_remove(&s->slices_by_svc, key, sl);
		free(key);
	} else if (k == CS_REFGRANT) {
		if (add)
			cs_vec_add(&s->grants_by_ns, rg->meta.ns, rg);
		else
			cs_vec_remove(&s->grants_by_ns, rg->meta.ns, rg);
	}
}

/* Collect every route of one map (hmap_each callback). */
static int
cs_collect_route(void *arg, const char *key, void *val)
{
	struct cstore	*s = arg;
	struct cs_ent	*e = val;

	(void)key;
	s->routes[s->nroutes++] = e->obj;
	return 0;
}

/* Rebuild the array of every route. */
static void
cs_rebuild_routes(struct cstore *s)
{
	size_t	n;

	n = hmap_count(&s->by_kind[CS_HTTPROUTE]) +
	    hmap_count(&s->by_kind[CS_GRPCROUTE]) +
	    hmap_count(&s->by_kind[CS_TLSROUTE]);
	free(s->routes);
	s->routes = xcalloc(n + 1, sizeof(*s->routes));
	s->nroutes = 0;
	hmap_each(&s->by_kind[CS_HTTPROUTE], cs_collect_route, s);
	hmap_each(&s->by_kind[CS_GRPCROUTE], cs_collect_route, s);
	hmap_each(&s->by_kind[CS_TLSROUTE], cs_collect_route, s);
}

/* ---- the store ---- */

/* An empty store. */
struct cstore *
cs_new(void)
{
	struct cstore		*s = xcalloc(1, sizeof(*s));
	pthread_rwlockattr_t	 a;

	pthread_rwlockattr_init(&a);
	/* Informer writes must not starve behind a stream of builds. */
	pthread_rwlockattr_setkind_np(&a,
	    PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
	pthread_rwlock_init(&s->rw, &a);
	pthread_rwlockattr_destroy(&a);
	return s;
}

/* Free the store and every object in it. */
void
cs_free(struct cstore *s)
{
	size_t	k;

	if (s == NULL)
		return;
	for (k = 0; k < CS_KIND_MAX; k++)
		hmap_free(&s->by_kind[k], cs_ent_free);
	hmap_free(&s->slices_by_svc, cs_vec_free);
	hmap_free(&s->grants_by_ns, cs_vec_free);
	free(s->routes);
	pthread_rwlock_destroy(&s->rw);
	free(s);
}

/* Remove the entry at key (write lock held). */
static void
cs_drop(struct cstore *s, enum cs_kind k, const char *key)
{
	struct cs_ent	*e = hmap_del(&s->by_kind[k], key);

	if (e == NULL)
		return;
	cs_index(s, k, e->obj, 0);
	cs_ent_free(e);
}

/* Parse obj and insert or replace it. */
int
cs_put(struct cstore *s, enum cs_kind k, const cJSON *obj, char **cause)
{
	struct cs_ent	*e;
	void		*typed;
	char		*key = kube_cache_key_of(obj);
	const char	*ts;
	int		 rc;

	if (key == NULL)
		return error_set(cause, "%s without a name", cs_kind_name(k));
	rc = cs_parse(k, obj, &typed, cause);
	pthread_rwlock_wrlock(&s->rw);
	cs_drop(s, k, key);
	if (rc == 0) {
		e = xcalloc(1, sizeof(*e));
		e->kind = k;
		e->obj = typed;
		ts = json_path_str(obj, "metadata.creationTimestamp");
		e->created = xstrdup_or_null(ts);
		hmap_put(&s->by_kind[k], key, e);
		cs_index(s, k, typed, 1);
	}
	if (cs_is_route(k))
		cs_rebuild_routes(s);
	pthread_rwlock_unlock(&s->rw);
	free(key);
	return rc;
}

/* Remove the object with obj's key. */
void
cs_del(struct cstore *s, enum cs_kind k, const cJSON *obj)
{
	char	*key = kube_cache_key_of(obj);

	if (key == NULL)
		return;
	pthread_rwlock_wrlock(&s->rw);
	cs_drop(s, k, key);
	if (cs_is_route(k))
		cs_rebuild_routes(s);
	pthread_rwlock_unlock(&s->rw);
	free(key);
}

/* Take the read lock. */
void
cs_rdlock(struct cstore *s)
{
	pthread_rwlock_rdlock(&s->rw);
}

/* Release the lock. */
void
cs_unlock(struct cstore *s)
{
	pthread_rwlock_unlock(&s->rw);
}

/* The object of kind k at ns/name (ns NULL: cluster-scoped), or NULL. */
const void *
cs_get(struct cstore *s, enum cs_kind k, const char *ns, const char *name)
{
	struct cs_ent	*e;
	char		*key;

	if (name == NULL)
		return NULL;
	if (ns != NULL && k != CS_CLASS && k != CS_NAMESPACE)
		xasprintf(&key, "%s/%s", ns, name);
	else
		key = xstrdup(name);
	e = hmap_get(&s->by_kind[k], key);
	free(key);
	return e != NULL ? e->obj : NULL;
}

struct cs_each_arg {
	int	(*fn)(void *, const void *);
	void	*arg;
};

/* Adapt an entry to the caller's function. */
static int
cs_each_one(void *arg, const char *key, void *val)
{
	struct cs_each_arg	*a = arg;

	(void)key;
	return a->fn(a->arg, ((struct cs_ent *)val)->obj);
}

/* Call fn on every object of kind k until it returns nonzero. */
void
cs_each(struct cstore *s, enum cs_kind k,
    int (*fn)(void *arg, const void *obj), void *arg)
{
	struct cs_each_arg	a = { fn, arg };

	hmap_each(&s->by_kind[k], cs_each_one, &a);
}

/* Every route (borrowed array). */
size_t
cs_routes(struct cstore *s, const struct gw_route *const **out)
{
	*out = s->routes;
	return s->nroutes;
}

/* A route's creationTimestamp, or NULL. */
const char *
cs_created(struct cstore *s, const struct gw_route *r)
{
	struct cs_ent	*e;
	char		*key;

	xasprintf(&key, "%s/%s", r->meta.ns, r->meta.name);
	e = hmap_get(&s->by_kind[cs_route_kind(r->kind)], key);
	free(key);
	return e != NULL && e->obj == r ? e->created : NULL;
}

/* The creationTimestamp of any stored object, or NULL. */
const char *
cs_created_of(struct cstore *s, enum cs_kind k, const char *ns,
    const char *name)
{
	struct cs_ent	*e;
	char		*key;

	if (ns != NULL && k != CS_CLASS && k != CS_NAMESPACE)
		xasprintf(&key, "%s/%s", ns, name);
	else
		key = xstrdup(name);
	e = hmap_get(&s->by_kind[k], key);
	free(key);
	return e != NULL ? e->created : NULL;
}

/* ---- lookups for gwapi and the builder ---- */

/* gw_lookup: a GatewayClass. */
static const struct gw_gatewayclass *
cs_lk_class(void *arg, const char *name)
{
	return cs_get(arg, CS_CLASS, NULL, name);
}

/* gw_lookup: a Gateway. */
static const struct gw_gateway *
cs_lk_gateway(void *arg, const char *ns, const char *name)
{
	return cs_get(arg, CS_GATEWAY, ns, name);
}

/* gw_lookup: a Service. */
static const struct gw_service *
cs_lk_service(void *arg, const char *ns, const char *name)
{
	return cs_get(arg, CS_SERVICE, ns, name);
}

/* gw_lookup: a ServiceImport. */
static const struct gw_serviceimport *
cs_lk_import(void *arg, const char *ns, const char *name)
{
	return cs_get(arg, CS_IMPORT, ns, name);
}

/* gw_lookup: the ReferenceGrants of a namespace. */
static size_t
cs_lk_grants(void *arg, const char *ns, const struct gw_refgrant *const **out)
{
	struct cstore	*s = arg;
	struct cs_vec	*v = hmap_get(&s->grants_by_ns, ns);

	*out = v != NULL ? (const struct gw_refgrant *const *)v->v : NULL;
	return v != NULL ? v->n : 0;
}

/* gw_lookup: a namespace's labels; -1 when unknown. */
static int
cs_lk_ns(void *arg, const char *ns, const struct gw_kv **labels, size_t *n)
{
	const struct cs_ns	*x = cs_get(arg, CS_NAMESPACE, NULL, ns);

	if (x == NULL)
		return -1;
	*labels = x->labels;
	*n = x->nlabels;
	return 0;
}

/* lm_sources: the EndpointSlices of a Service. */
static size_t
cs_src_slices(void *arg, const char *ns, const char *svc,
    const struct gw_endpointslice *const **out)
{
	struct cstore	*s = arg;
	struct cs_vec	*v;
	char		*key;

	xasprintf(&key, "%s/%s", ns, svc);
	v = hmap_get(&s->slices_by_svc, key);
	free(key);
	*out = v != NULL ? (const struct gw_endpointslice *const *)v->v :
	    NULL;
	return v != NULL ? v->n : 0;
}

struct cs_tgp_find {
	const char			*ns;
	const char			*kind;
	const char			*name;
	const struct gw_tgpolicy	*found;
};

/* Does this policy target the wanted object? */
static int
cs_tgp_match(void *arg, const void *obj)
{
	struct cs_tgp_find		*f = arg;
	const struct gw_tgpolicy	*p = obj;
	const char			*ns;

	ns = p->target.ns != NULL ? p->target.ns : p->meta.ns;
	if (p->target.kind != NULL && strcmp(p->target.kind, f->kind) == 0 &&
	    p->target.name != NULL && strcmp(p->target.name, f->name) == 0 &&
	    ns != NULL && strcmp(ns, f->ns) == 0) {
		f->found = p;
		return 1;
	}
	return 0;
}

/* lm_sources: the TargetGroupPolicy for kind/name in ns. */
static const struct gw_tgpolicy *
cs_src_tgp(void *arg, const char *ns, const char *kind, const char *name)
{
	struct cs_tgp_find	f = { ns, kind, name, NULL };

	cs_each(arg, CS_TGP, cs_tgp_match, &f);
	return f.found;
}

/* lm_sources: every route. */
static size_t
cs_src_routes(void *arg, const struct gw_route *const **out)
{
	return cs_routes(arg, out);
}

/* lm_sources: a route's creationTimestamp. */
static const char *
cs_src_created(void *arg, const struct gw_route *r)
{
	return cs_created(arg, r);
}

/* Lookups over the store for one build (read lock held meanwhile). */
void
cs_view_init(struct cs_view *v, struct cstore *s)
{
	memset(v, 0, sizeof(*v));
	v->s = s;
	v->lk.arg = s;
	v->lk.gatewayclass = cs_lk_class;
	v->lk.gateway = cs_lk_gateway;
	v->lk.service = cs_lk_service;
	v->lk.serviceimport = cs_lk_import;
	v->lk.refgrants = cs_lk_grants;
	v->lk.namespace_labels = cs_lk_ns;
	v->src.gw = &v->lk;
	v->src.arg = s;
	v->src.slices = cs_src_slices;
	v->src.tgpolicy = cs_src_tgp;
	v->src.routes = cs_src_routes;
	v->src.created = cs_src_created;
}
