/* The practice lab's sample workloads, restated as data: the my-hotel
 * Gateway, the parking and review services, the rates route (/parking,
 * /review) and inventory (ver1 and its route). The demo applies them
 * from a menu the way the lab's `kubectl apply -f` steps do. */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "latticectl/error.h"
#include "latticectl/install.h"
#include "latticectl/kube.h"
#include "latticectl/xmalloc.h"

#include "install_int.h"

#define WL_GATEWAY	"my-hotel"
#define WL_LISTENER	"http"
#define WL_IMAGE	"public.ecr.aws/x2j8p8w7/http-server:latest"
#define WL_SVC_PORT	80
#define WL_POD_PORT	8090
#define WL_REPLICAS	2
#define WL_GW_API	"gateway.networking.k8s.io/v1"

static const struct install_workload wl_table[] = {
	{ "gateway", "my-hotel Gateway (service network)" },
	{ "parking", "parking Deployment + Service" },
	{ "review", "review Deployment + Service" },
	{ "rates", "rates HTTPRoute (/parking, /review)" },
	{ "inventory", "inventory-ver1 + inventory HTTPRoute" },
	{ NULL, NULL }
};

/* The workloads in apply order (terminated by a NULL id). */
const struct install_workload *
install_workloads(void)
{
	return wl_table;
}

/* An object with apiVersion, kind and metadata.name (and labels app). */
static cJSON *
wl_object(const char *api, const char *kind, const char *name,
    const char *app, cJSON **spec)
{
	cJSON	*o = cJSON_CreateObject(), *md, *l;

	cJSON_AddStringToObject(o, "apiVersion", api);
	cJSON_AddStringToObject(o, "kind", kind);
	md = cJSON_AddObjectToObject(o, "metadata");
	cJSON_AddStringToObject(md, "name", name);
	if (app != NULL) {
		l = cJSON_AddObjectToObject(md, "labels");
		cJSON_AddStringToObject(l, "app", app);
	}
	*spec = cJSON_AddObjectToObject(o, "spec");
	return o;
}

/* The lab's Gateway: one HTTP listener on port 80. */
static cJSON *
wl_gateway(const char *gatewayclass)
{
	cJSON	*spec, *o = wl_object(WL_GW_API, "Gateway", WL_GATEWAY, NULL,
	    &spec), *ls, *l;

	cJSON_AddStringToObject(spec, "gatewayClassName", gatewayclass);
	ls = cJSON_AddArrayToObject(spec, "listeners");
	l = cJSON_CreateObject();
	cJSON_AddStringToObject(l, "name", WL_LISTENER);
	cJSON_AddStringToObject(l, "protocol", "HTTP");
	cJSON_AddNumberToObject(l, "port", WL_SVC_PORT);
	cJSON_AddItemToArray(ls, l);
	return o;
}

/* A Deployment of the lab's http-server image (PodName says who). */
static cJSON *
wl_deployment(const char *name, const char *container, const char *podname)
{
	cJSON	*spec, *o = wl_object("apps/v1", "Deployment", name, name,
	    &spec), *sel, *tpl, *md, *ps, *cs, *c, *env, *e;

	cJSON_AddNumberToObject(spec, "replicas", WL_REPLICAS);
	sel = cJSON_AddObjectToObject(spec, "selector");
	cJSON_AddStringToObject(cJSON_AddObjectToObject(sel, "matchLabels"),
	    "app", name);
	tpl = cJSON_AddObjectToObject(spec, "template");
	md = cJSON_AddObjectToObject(tpl, "metadata");
	cJSON_AddStringToObject(cJSON_AddObjectToObject(md, "labels"), "app",
	    name);
	ps = cJSON_AddObjectToObject(tpl, "spec");
	cs = cJSON_AddArrayToObject(ps, "containers");
	c = cJSON_CreateObject();
	cJSON_AddStringToObject(c, "name", container);
	cJSON_AddStringToObject(c, "image", WL_IMAGE);
	env = cJSON_AddArrayToObject(c, "env");
	e = cJSON_CreateObject();
	cJSON_AddStringToObject(e, "name", "PodName");
	cJSON_AddStringToObject(e, "value", podname);
	cJSON_AddItemToArray(env, e);
	cJSON_AddItemToArray(cs, c);
	return o;
}

/* A Service on port 80 to the pods' 8090. */
static cJSON *
wl_service(const char *name)
{
	cJSON	*spec, *o = wl_object("v1", "Service", name, NULL, &spec),
		*ports, *p;

	cJSON_AddStringToObject(cJSON_AddObjectToObject(spec, "selector"),
	    "app", name);
	ports = cJSON_AddArrayToObject(spec, "ports");
	p = cJSON_CreateObject();
	cJSON_AddStringToObject(p, "protocol", "TCP");
	cJSON_AddNumberToObject(p, "port", WL_SVC_PORT);
	cJSON_AddNumberToObject(p, "targetPort", WL_POD_PORT);
	cJSON_AddItemToArray(ports, p);
	return o;
}

/* One route rule: a Service backend, weight (0: none), path prefix
 * (NULL: no match). */
static cJSON *
wl_rule(const char *backend, int weight, const char *prefix)
{
	cJSON	*r = cJSON_CreateObject(), *brs, *b, *ms, *m, *p;

	brs = cJSON_AddArrayToObject(r, "backendRefs");
	b = cJSON_CreateObject();
	cJSON_AddStringToObject(b, "name", backend);
	cJSON_AddStringToObject(b, "kind", "Service");
	cJSON_AddNumberToObject(b, "port", WL_SVC_PORT);
	if (weight > 0)
		cJSON_AddNumberToObject(b, "weight", weight);
	cJSON_AddItemToArray(brs, b);
	if (prefix != NULL) {
		ms = cJSON_AddArrayToObject(r, "matches");
		m = cJSON_CreateObject();
		p = cJSON_AddObjectToObject(m, "path");
		cJSON_AddStringToObject(p, "type", "PathPrefix");
		cJSON_AddStringToObject(p, "value", prefix);
		cJSON_AddItemToArray(ms, m);
	}
	return r;
}

/* An HTTPRoute attached to my-hotel's http listener; rules added by the
 * caller to *rules. */
static cJSON *
wl_route(const char *name, cJSON **rules)
{
	cJSON	*spec, *o = wl_object(WL_GW_API, "HTTPRoute", name, NULL,
	    &spec), *prs, *pr;

	prs = cJSON_AddArrayToObject(spec, "parentRefs");
	pr = cJSON_CreateObject();
	cJSON_AddStringToObject(pr, "name", WL_GATEWAY);
	cJSON_AddStringToObject(pr, "sectionName", WL_LISTENER);
	cJSON_AddItemToArray(prs, pr);
	*rules = cJSON_AddArrayToObject(spec, "rules");
	return o;
}

/* Add a service's Deployment and Service to arr. */
static void
wl_add_service(cJSON *arr, const char *name, const char *container,
    const char *podname)
{
	cJSON_AddItemToArray(arr, wl_deployment(name, container, podname));
	cJSON_AddItemToArray(arr, wl_service(name));
}

/* The objects of workload id, in apply order; NULL when unknown. */
cJSON *
install_workload_objects(const char *id, const char *gatewayclass)
{
	cJSON	*arr, *rt, *rules;

	if (gatewayclass == NULL)
		gatewayclass = LAB_DEFAULT_GATEWAYCLASS;
	arr = cJSON_CreateArray();
	if (strcmp(id, "gateway") == 0)
		cJSON_AddItemToArray(arr, wl_gateway(gatewayclass));
	else if (strcmp(id, "parking") == 0)
		wl_add_service(arr, "parking", "parking",
		    "parking handler pod");
	else if (strcmp(id, "review") == 0)
		wl_add_service(arr, "review", "aug24-review",
		    "review handler pod");
	else if (strcmp(id, "rates") == 0) {
		rt = wl_route("rates", &rules);
		cJSON_AddItemToArray(rules, wl_rule("parking", 0, "/parking"));
		cJSON_AddItemToArray(rules, wl_rule("review", 0, "/review"));
		cJSON_AddItemToArray(arr, rt);
	} else if (strcmp(id, "inventory") == 0) {
		wl_add_service(arr, "inventory-ver1", "inventory-ver1",
		    "Inventory-ver1 handler pod");
		rt = wl_route("inventory", &rules);
		cJSON_AddItemToArray(rules, wl_rule("inventory-ver1", 10,
		    NULL));
		cJSON_AddItemToArray(arr, rt);
	} else {
		cJSON_Delete(arr);
		return NULL;
	}
	return arr;
}

/* The objects of id or an error naming it. */
static cJSON *
wl_objects_or_fail(const char *id, const char *gatewayclass, char **cause)
{
	cJSON	*objs = install_workload_objects(id, gatewayclass);

	if (objs == NULL)
		error_set(cause, "unknown workload '%s' (gateway, parking, "
		    "review, rates, inventory)", id);
	return objs;
}

/* What wl_each does to one object: 1 to go on; anything else stops the
 * walk and is its result. */
typedef int (*wl_fn)(struct kapply *, const cJSON *obj, const char *ns,
    char **cause);

/* Run fn on every object of workload id in ns through one kapply, in
 * order or (reverse) last first: the result of the fn that stopped, 1
 * when every fn went on, -1 with *cause when id is unknown. */
static int
wl_each(struct kube_client *kc, const char *id, const char *gatewayclass,
    int reverse, wl_fn fn, const char *ns, char **cause)
{
	struct kapply	*ka;
	cJSON		*objs;
	int		 i, n, rc = 1;

	if ((objs = wl_objects_or_fail(id, gatewayclass, cause)) == NULL)
		return -1;
	ka = kapply_new(kc);
	n = cJSON_GetArraySize(objs);
	for (i = 0; i < n && rc == 1; i++)
		rc = fn(ka, cJSON_GetArrayItem(objs, reverse ? n - 1 - i : i),
		    ns, cause);
	kapply_free(ka);
	cJSON_Delete(objs);
	return rc;
}

/* Create or update one object (a wl_fn). */
static int
wl_apply_one(struct kapply *ka, const cJSON *o, const char *ns,
    char **cause)
{
	int	changed = 0;

	return kapply_apply(ka, o, ns, &changed, cause) != 0 ? -1 : 1;
}

/* Delete one object (a wl_fn). */
static int
wl_delete_one(struct kapply *ka, const cJSON *o, const char *ns,
    char **cause)
{
	return kapply_delete(ka, o, ns, cause) != 0 ? -1 : 1;
}

/* Whether one object exists (a wl_fn): go on when it does; 0 when it is
 * absent or being deleted; -1 on error. */
static int
wl_state_one(struct kapply *ka, const cJSON *o, const char *ns,
    char **cause)
{
	cJSON	*live = NULL;
	int	 st;

	st = kapply_state(ka, o, ns, &live, cause);
	cJSON_Delete(live);
	if (st < 0)
		return -1;
	if (st == 0 || st == 3)
		return 0;
	return 1;
}

/* Create or update every object of workload id in ns. */
int
install_workload_apply(struct kube_client *kc, const char *id,
    const char *ns, const char *gatewayclass, char **cause)
{
	return wl_each(kc, id, gatewayclass, 0, wl_apply_one, ns, cause) == 1 ?
	    0 : -1;
}

/* Delete every object of workload id in ns, routes first. */
int
install_workload_delete(struct kube_client *kc, const char *id,
    const char *ns, char **cause)
{
	return wl_each(kc, id, NULL, 1, wl_delete_one, ns, cause) == 1 ? 0 :
	    -1;
}

/* 1 when every object of id exists in ns (being deleted counts as
 * gone), 0 when not, -1 with *cause. */
int
install_workload_state(struct kube_client *kc, const char *id,
    const char *ns, char **cause)
{
	return wl_each(kc, id, NULL, 0, wl_state_one, ns, cause);
}
