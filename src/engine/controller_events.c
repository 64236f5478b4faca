/* Informer handlers: keep the typed store current and queue the keys a
 * change affects (a route and its Gateways; a Gateway and its routes; a
 * Service or EndpointSlice and the routes and exports using it; ...). */
#include <stdlib.h>
#include <string.h>

#define LOG_MODULE "controller"
#include "latticectl/json.h"
#include "latticectl/kcache.h"
#include "latticectl/log.h"
#include "latticectl/xmalloc.h"

#include "controller_int.h"

/* Split "Kind/ns/name" (or "Kind/name") into copies. */
int
ctl_key_split(const char *key, char **kind, char **ns, char **name)
{
	const char	*a, *b;

	*kind = *ns = *name = NULL;
	if ((a = strchr(key, '/')) == NULL || a == key || a[1] == '\0')
		return -1;
	*kind = xstrndup(key, (size_t)(a - key));
	if ((b = strchr(a + 1, '/')) == NULL) {
		*name = xstrdup(a + 1);
		return 0;
	}
	if (b == a + 1 || b[1] == '\0' || strchr(b + 1, '/') != NULL) {
		free(*kind);
		*kind = NULL;
		return -1;
	}
	*ns = xstrndup(a + 1, (size_t)(b - a - 1));
	*name = xstrdup(b + 1);
	return 0;
}

/* Queue "prefix/rest" on r. */
static void
ctl_add(struct reconciler *r, const char *prefix, const char *rest)
{
	char	*key;

	xasprintf(&key, "%s/%s", prefix, rest);
	reconcile_add(r, key);
	free(key);
}

/* Queue the routes found under value in a route index. */
static void
ctl_routes_by_index(struct controller *c, const char *index,
    const char *value)
{
	static const enum cs_kind kinds[] = { CS_HTTPROUTE, CS_GRPCROUTE,
	    CS_TLSROUTE };
	struct kube_obj	**objs;
	size_t		  i, j, n;

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		if (c->inf[kinds[i]] == NULL)
			continue;
		objs = kube_cache_by_index(kube_informer_cache(c->inf[kinds[i]]),
		    index, value, &n);
		for (j = 0; j < n; j++)
			ctl_add(c->routes, cs_kind_name(kinds[i]),
			    kube_obj_key(objs[j]));
		kube_objs_free(objs, n);
	}
}

/* What policies to look for. */
struct ctl_tgp_find {
	struct controller	*c;
	const char		*kind;	/* targetRef kind, or NULL: any */
	const char		*ns;
	const char		*name;
};

/* Queue a policy that targets what the filter names (cs_each). */
static int
ctl_tgp_queue(void *arg, const void *obj)
{
	struct ctl_tgp_find		*f = arg;
	const struct gw_tgpolicy	*p = obj;
	char				*key;

	if (strcmp(p->meta.ns, f->ns) != 0 || (f->kind != NULL &&
	    (p->target.kind == NULL || p->target.name == NULL ||
	    strcmp(p->target.kind, f->kind) != 0 ||
	    strcmp(p->target.name, f->name) != 0)))
		return 0;
	xasprintf(&key, "%s/%s/%s", UP_KIND_TGP, p->meta.ns, p->meta.name);
	reconcile_add(f->c->policies, key);
	free(key);
	return 0;
}

/* Queue the TargetGroupPolicies of ns targeting kind/name (kind NULL:
 * every policy of ns). */
static void
ctl_tgps(struct controller *c, const char *kind, const char *ns,
    const char *name)
{
	struct ctl_tgp_find	f = { c, kind, ns, name };

	if (ns == NULL)
		return;
	cs_rdlock(c->store);
	cs_each(c->store, CS_TGP, ctl_tgp_queue, &f);
	cs_unlock(c->store);
}

/* A Service changed ("ns/name"): its routes and its export. */
static void
ctl_service_changed(struct controller *c, const char *svc_key)
{
	struct kube_obj	*o;
	const char	*slash = strchr(svc_key, '/');
	char		*ns;

	ctl_routes_by_index(c, KUBE_INDEX_ROUTE_BACKENDS, svc_key);
	if (c->inf[CS_EXPORT] == NULL || slash == NULL)
		return;
	ns = xstrndup(svc_key, (size_t)(slash - svc_key));
	o = kube_cache_get(kube_informer_cache(c->inf[CS_EXPORT]), ns,
	    slash + 1);
	if (o != NULL)
		ctl_add(c->exports, UP_KIND_SERVICEEXPORT, svc_key);
	kube_obj_unref(o);
	free(ns);
}

/* What a route filter matches. */
struct ctl_route_filter {
	struct controller	*c;
	const char		*ns;		/* routes in ns, or NULL */
	const char		*import_ns;	/* ServiceImport backends */
	const char		*import_name;
	int			 all;
};

/* Does route r use the ServiceImport the filter names? */
static int
ctl_route_uses_import(const struct gw_route *r, const char *ns,
    const char *name)
{
	const struct gw_backend_ref	*b;
	size_t				 i, j;

	for (i = 0; i < r->nrules; i++) {
		for (j = 0; j < r->rules[i].nbackends; j++) {
			b = &r->rules[i].backends[j];
			if (strcmp(b->kind, UP_KIND_SERVICEIMPORT) == 0 &&
			    strcmp(b->name, name) == 0 && (ns == NULL ||
			    strcmp(b->ns != NULL ? b->ns : r->meta.ns, ns) ==
			    0))
				return 1;
		}
	}
	return 0;
}

/* Queue the routes of the store that match a filter. */
static void
ctl_routes_matching(struct controller *c, const struct ctl_route_filter *f)
{
	const struct gw_route *const	*routes;
	const struct gw_route		*r;
	struct strbuf			 sb;
	size_t				 i, n;

	strbuf_init(&sb);
	cs_rdlock(c->store);
	n = cs_routes(c->store, &routes);
	for (i = 0; i < n; i++) {
		r = routes[i];
		if (!f->all && f->ns != NULL && strcmp(r->meta.ns, f->ns) != 0)
			continue;
		if (!f->all && f->import_name != NULL &&
		    !ctl_route_uses_import(r, f->import_ns, f->import_name))
			continue;
		strbuf_reset(&sb);
		strbuf_addf(&sb, "%s/%s/%s", gw_route_kind_name(r->kind),
		    r->meta.ns, r->meta.name);
		reconcile_add(c->routes, sb.buf);
	}
	cs_unlock(c->store);
	strbuf_free(&sb);
}

/* Queue the routes whose ServiceImport backends name an export. */
void
ctl_queue_importers(struct controller *c, const char *name)
{
	struct ctl_route_filter	f;

	memset(&f, 0, sizeof(f));
	f.c = c;
	f.import_name = name;
	ctl_routes_matching(c, &f);
}

/* A route changed: the route and the Gateways it names. */
static void
ctl_route_changed(struct controller *c, enum cs_kind k, const cJSON *obj,
    const char *key)
{
	struct kube_strv	parents;
	size_t			i;

	memset(&parents, 0, sizeof(parents));
	ctl_add(c->routes, cs_kind_name(k), key);
	kube_index_route_parents(NULL, obj, &parents);
	for (i = 0; i < parents.n; i++)
		ctl_add(c->gateways, UP_KIND_GATEWAY, parents.v[i]);
	kube_strv_free(&parents);
}

/* A GatewayClass changed: the class, and every Gateway of it. */
static void
ctl_class_changed(struct controller *c, const char *name)
{
	struct kube_obj	**objs;
	size_t		  i, n;
	const char	 *cls;

	ctl_add(c->gateways, UP_KIND_GATEWAYCLASS, name);
	if (c->inf[CS_GATEWAY] == NULL)
		return;
	objs = kube_cache_snapshot(kube_informer_cache(c->inf[CS_GATEWAY]),
	    &n);
	for (i = 0; i < n; i++) {
		cls = json_path_str(kube_obj_json(objs[i]),
		    "spec.gatewayClassName");
		if (cls == NULL || strcmp(cls, name) != 0)
			continue;
		ctl_add(c->gateways, UP_KIND_GATEWAY, kube_obj_key(objs[i]));
		ctl_routes_by_index(c, KUBE_INDEX_ROUTE_PARENTS,
		    kube_obj_key(objs[i]));
	}
	kube_objs_free(objs, n);
}

/* A TargetGroupPolicy changed: what it targets. */
static void
ctl_tgp_changed(struct controller *c, const cJSON *obj)
{
	const char	*kind, *name, *ns;
	char		*key;

	kind = json_path_str(obj, "spec.targetRef.kind");
	name = json_path_str(obj, "spec.targetRef.name");
	ns = json_path_str(obj, "spec.targetRef.namespace");
	if (ns == NULL)
		ns = json_path_str(obj, "metadata.namespace");
	if (kind == NULL || name == NULL || ns == NULL)
		return;
	xasprintf(&key, "%s/%s", ns, name);
	if (strcmp(kind, UP_KIND_SERVICE) == 0)
		ctl_service_changed(c, key);
	else if (strcmp(kind, UP_KIND_SERVICEEXPORT) == 0)
		ctl_add(c->exports, UP_KIND_SERVICEEXPORT, key);
	free(key);
}

/* A policy changed or went: the policies on the same target (one held
 * back as Conflicted may take over). */
static void
ctl_pol_siblings(struct controller *c, const cJSON *obj)
{
	const char	*ns = json_path_str(obj, "spec.targetRef.namespace");

	if (ns == NULL)
		ns = json_path_str(obj, "metadata.namespace");
	ctl_queue_policies(c, json_path_str(obj, "spec.targetRef.kind"), ns,
	    json_path_str(obj, "spec.targetRef.name"));
}

/* Queue the keys one version of an object affects. */
static void
ctl_affected(struct controller *c, enum cs_kind k, const cJSON *obj)
{
	struct ctl_route_filter	 f;
	struct kube_strv	 svcs;
	char			*key = kube_cache_key_of(obj);
	size_t			 i;

	if (key == NULL)
		return;
	memset(&f, 0, sizeof(f));
	f.c = c;
	switch (k) {
	case CS_CLASS:
		ctl_class_changed(c, key);
		break;
	case CS_GATEWAY:
		ctl_add(c->gateways, UP_KIND_GATEWAY, key);
		ctl_routes_by_index(c, KUBE_INDEX_ROUTE_PARENTS, key);
		ctl_queue_policies(c, UP_KIND_GATEWAY, json_path_str(obj,
		    "metadata.namespace"), json_path_str(obj, "metadata.name"));
		break;
	case CS_HTTPROUTE:
	case CS_GRPCROUTE:
	case CS_TLSROUTE:
		ctl_route_changed(c, k, obj, key);
		ctl_queue_policies(c, cs_kind_name(k), json_path_str(obj,
		    "metadata.namespace"), json_path_str(obj, "metadata.name"));
		break;
	case CS_VAP:
	case CS_ALP:
	case CS_IAP:
		ctl_add(c->policies, cs_kind_name(k), key);
		ctl_pol_siblings(c, obj);
		break;
	case CS_SERVICE:
		ctl_service_changed(c, key);
		ctl_tgps(c, UP_KIND_SERVICE, json_path_str(obj,
		    "metadata.namespace"), json_path_str(obj, "metadata.name"));
		break;
	case CS_SLICE:
		memset(&svcs, 0, sizeof(svcs));
		kube_index_slice_service(NULL, obj, &svcs);
		for (i = 0; i < svcs.n; i++)
			ctl_service_changed(c, svcs.v[i]);
		kube_strv_free(&svcs);
		break;
	case CS_EXPORT:
		ctl_add(c->exports, UP_KIND_SERVICEEXPORT, key);
		ctl_tgps(c, UP_KIND_SERVICEEXPORT, json_path_str(obj,
		    "metadata.namespace"), json_path_str(obj, "metadata.name"));
		f.import_name = json_path_str(obj, "metadata.name");
		ctl_routes_matching(c, &f);
		break;
	case CS_IMPORT:
		f.import_ns = json_path_str(obj, "metadata.namespace");
		f.import_name = json_path_str(obj, "metadata.name");
		ctl_routes_matching(c, &f);
		break;
	case CS_TGP:
		ctl_tgp_changed(c, obj);
		ctl_tgps(c, NULL, json_path_str(obj, "metadata.namespace"),
		    NULL);
		ctl_add(c->policies, UP_KIND_TGP, key);
		break;
	case CS_NAMESPACE:
		f.ns = key;
		ctl_routes_matching(c, &f);
		break;
	case CS_REFGRANT:
	default:
		f.all = 1;
		ctl_routes_matching(c, &f);
		break;
	}
	free(key);
}

/* Apply a change to the store, then queue what it affects. */
static void
ctl_on_change(struct ctl_hctx *h, const cJSON *old, const cJSON *obj)
{
	struct controller	*c = h->c;
	char			*cause = NULL;

	if (obj != NULL && cs_put(c->store, h->kind, obj, &cause) != 0) {
		log_warn("%s", cause);
		free(cause);
	} else if (obj == NULL)
		cs_del(c->store, h->kind, old);
	if (old != NULL)
		ctl_affected(c, h->kind, old);
	if (obj != NULL)
		ctl_affected(c, h->kind, obj);
}

/* Informer handler: an object appeared. */
static void
ctl_on_add(void *arg, const cJSON *obj)
{
	ctl_on_change(arg, NULL, obj);
}

/* Informer handler: an object changed. */
static void
ctl_on_update(void *arg, const cJSON *old, const cJSON *obj)
{
	ctl_on_change(arg, old, obj);
}

/* Informer handler: an object went away. */
static void
ctl_on_del(void *arg, const cJSON *old)
{
	ctl_on_change(arg, old, NULL);
}

/* The handlers of kind k's informer. */
void
ctl_handlers(struct controller *c, enum cs_kind k, struct kube_handler *h)
{
	memset(h, 0, sizeof(*h));
	h->add = ctl_on_add;
	h->update = ctl_on_update;
	h->del = ctl_on_del;
	h->arg = &c->hctx[k];
}

/* Queue one stored object's key on r (cs_each callback helpers). */
struct ctl_all {
	struct controller	*c;
	enum cs_kind		 kind;
};

/* Queue the key of a Gateway, GatewayClass, ServiceExport or policy. */
static int
ctl_all_one(void *arg, const void *obj)
{
	struct ctl_all			*a = arg;
	const struct gw_meta		*m;
	const struct gw_target_ref	*t;
	char				 buf[512];

	if (a->kind == CS_VAP || a->kind == CS_ALP || a->kind == CS_IAP) {
		ctl_pol_head(a->kind, obj, &m, &t);
		gw_meta_key(m, buf, sizeof(buf));
		ctl_add(a->c->policies, cs_kind_name(a->kind), buf);
		return 0;
	}
	if (a->kind == CS_EXPORT)
		m = &((const struct gw_serviceexport *)obj)->meta;
	else if (a->kind == CS_TGP)
		m = &((const struct gw_tgpolicy *)obj)->meta;
	else if (a->kind == CS_GATEWAY)
		m = &((const struct gw_gateway *)obj)->meta;
	else
		m = &((const struct gw_gatewayclass *)obj)->meta;
	gw_meta_key(m, buf, sizeof(buf));
	if (a->kind == CS_EXPORT)
		ctl_add(a->c->exports, UP_KIND_SERVICEEXPORT, buf);
	else if (a->kind == CS_TGP)
		ctl_add(a->c->policies, UP_KIND_TGP, buf);
	else
		ctl_add(a->c->gateways, cs_kind_name(a->kind), buf);
	return 0;
}

/* Queue every key the store knows. */
void
ctl_queue_all(struct controller *c)
{
	static const enum cs_kind kinds[] = { CS_CLASS, CS_GATEWAY,
	    CS_EXPORT, CS_TGP, CS_VAP, CS_ALP, CS_IAP };
	struct ctl_route_filter	 f;
	struct ctl_all		 a;
	size_t			 i;

	memset(&f, 0, sizeof(f));
	f.c = c;
	f.all = 1;
	ctl_routes_matching(c, &f);
	a.c = c;
	cs_rdlock(c->store);
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		a.kind = kinds[i];
		cs_each(c->store, kinds[i], ctl_all_one, &a);
	}
	cs_unlock(c->store);
	if (c->cfg.default_sn != NULL)
		reconcile_add(c->gateways, CTL_KEY_DEFAULT_SN);
}
