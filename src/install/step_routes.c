/* Step "routes" (uninstall only, first): the routes attached to Gateways
 * of our GatewayClass and the ServiceExports are deleted while the
 * controller still runs, so it removes the Lattice services, listeners,
 * rules and target groups it made (their finalizers go when it is done);
 * then the Gateways. Objects whose finalizers stay past the wait limit
 * are reported as left behind, with their Lattice resources. */
#include <stdlib.h>
#include <string.h>

#include "latticectl/error.h"
#include "latticectl/json.h"
#include "latticectl/kube.h"
#include "latticectl/strbuf.h"
#include "latticectl/xmalloc.h"

#include "install_int.h"

#define RT_KINDS	5	/* HTTPRoute GRPCRoute TLSRoute Export Gateway */
#define RT_GATEWAY	4

/* What the step saw, per kind. */
struct rt_obs {
	struct kube_resource	 res[RT_KINDS];
	int			 served[RT_KINDS];
	cJSON			*objs[RT_KINDS];	/* ours only */
	int			 live;		/* not being deleted */
	int			 routes_live;	/* of them, routes + exports */
	int			 deleting;
	int			 routes;	/* routes + exports, any state */
	struct strbuf		 stuck;		/* kind ns/name [finalizers] */
};

static const struct kube_resource *const rt_res[RT_KINDS] = {
	&KUBE_RES_HTTPROUTES, &KUBE_RES_GRPCROUTES, &KUBE_RES_TLSROUTES,
	&KUBE_RES_SERVICEEXPORTS, &KUBE_RES_GATEWAYS
};

/* Free the observation data. */
static void
rt_free(void *p)
{
	struct rt_obs	*s = p;
	int		 k;

	for (k = 0; k < RT_KINDS; k++)
		cJSON_Delete(s->objs[k]);
	strbuf_free(&s->stuck);
	free(s);
}

/* Is the route attached to one of our Gateways (by ns/name)? */
static int
rt_attached(const cJSON *route, const cJSON *gws)
{
	const cJSON	*ref, *gw;
	const char	*rns = json_path_str(route, "metadata.namespace");
	const char	*ns, *kind;

	cJSON_ArrayForEach(ref, json_path(route, "spec.parentRefs")) {
		kind = json_str(ref, "kind");
		if (kind != NULL && strcmp(kind, "Gateway") != 0)
			continue;
		ns = json_str(ref, "namespace") != NULL ?
		    json_str(ref, "namespace") : rns;
		cJSON_ArrayForEach(gw, gws) {
			if (ns != NULL && json_str(ref, "name") != NULL &&
			    strcmp(json_str(ref, "name"), json_path_str(gw,
			    "metadata.name")) == 0 && strcmp(ns, json_path_str(gw,
			    "metadata.namespace")) == 0)
				return 1;
		}
	}
	return 0;
}

/* Keep the objects of one kind that are ours (taken from items). */
static cJSON *
rt_filter(struct irun *r, int k, cJSON *items, const cJSON *gws)
{
	cJSON		*out = cJSON_CreateArray(), *o, *next;
	const char	*cls;
	int		 keep;

	for (o = items != NULL ? items->child : NULL; o != NULL; o = next) {
		next = o->next;
		if (k == RT_GATEWAY) {
			cls = json_path_str(o, "spec.gatewayClassName");
			keep = cls != NULL && strcmp(cls,
			    r->in->lab->gatewayclass) == 0;
		} else
			keep = k == 3 || rt_attached(o, gws);
		if (keep)
			cJSON_AddItemToArray(out, cJSON_DetachItemViaPointer(
			    items, o));
	}
	cJSON_Delete(items);
	return out;
}

/* List one kind (all namespaces) when it is served. */
static int
rt_list(struct irun *r, struct kube_client *kube, struct rt_obs *s, int k,
    char **cause)
{
	struct kube_error	 e = { 0 };
	cJSON			*items = NULL;
	char			*why = NULL;
	int			 rc;

	rc = kube_resource_resolve(kube, rt_res[k], &s->res[k], &why);
	free(why);
	if (rc != 0) {
		s->objs[k] = cJSON_CreateArray();
		return rc < 0 ? INST_RETRY : 0;
	}
	s->served[k] = 1;
	if (kube_list_all(kube, &s->res[k], NULL, NULL, &items, NULL,
	    &e) != 0)
		return inst_kube_fail(&e, "list", cause);
	s->objs[k] = rt_filter(r, k, items, s->objs[RT_GATEWAY]);
	return 0;
}

/* Count live and deleting objects; note the deleting ones. */
static void
rt_count(struct rt_obs *s)
{
	const cJSON	*o, *f;
	int		 k;

	for (k = 0; k < RT_KINDS; k++) {
		cJSON_ArrayForEach(o, s->objs[k]) {
			if (k != RT_GATEWAY)
				s->routes++;
			if (json_path(o, "metadata.deletionTimestamp") == NULL) {
				s->live++;
				s->routes_live += k != RT_GATEWAY;
				continue;
			}
			s->deleting++;
			strbuf_addf(&s->stuck, "%s%s %s/%s [", s->stuck.len ?
			    ", " : "", s->res[k].kind, json_path_str(o,
			    "metadata.namespace"), json_path_str(o,
			    "metadata.name"));
			cJSON_ArrayForEach(f, json_path(o,
			    "metadata.finalizers"))
				strbuf_addf(&s->stuck, "%s%s", f == json_path(o,
				    "metadata.finalizers")->child ? "" : " ",
				    cJSON_GetStringValue(f));
			strbuf_addc(&s->stuck, ']');
		}
	}
}

/* Decide. */
static void
rt_have(struct irun *r, struct rt_obs *s, struct iobs *o)
{
	iobs_exists(o, "%d routes and exports, %d Gateways of class %s%s",
	    s->routes, cJSON_GetArraySize(s->objs[RT_GATEWAY]),
	    r->in->lab->gatewayclass, s->deleting ? " (some being deleted)" :
	    "");
	if (s->routes_live || (s->live && !s->deleting))
		o->have = IHAVE_SOME;
	else if (!s->deleting)
		o->have = IHAVE_NONE;
	else if (inst_wait_budget(r) != 0)
		iobs_set(o, IHAVE_CONFLICT, "LeftBehind", "still being deleted "
		    "(their Lattice resources may remain; is the controller "
		    "running?): %s", s->stuck.buf);
	else
		iobs_set(o, IHAVE_WAIT, "Finalizers", "waiting for the "
		    "controller to remove the Lattice resources of: %s",
		    s->stuck.buf);
}

/* Observe. */
static int
rt_observe(struct irun *r, struct iobs *o, char **cause)
{
	struct kube_client	*kube;
	struct rt_obs		*s = xcalloc(1, sizeof *s);
	int			 k, rc;

	o->priv = s;
	o->priv_free = rt_free;
	strbuf_init(&s->stuck);
	if ((rc = inst_kube_obs(r, o, &kube, cause)) != 0)
		return rc == 1 ? 0 : rc;
	if ((rc = rt_list(r, kube, s, RT_GATEWAY, cause)) != 0)
		return rc;
	for (k = 0; k < RT_GATEWAY; k++)
		if ((rc = rt_list(r, kube, s, k, cause)) != 0)
			return rc;
	rt_count(s);
	rt_have(r, s, o);
	return 0;
}

/* Plan an install: nothing (uninstall only). */
static void
rt_plan(struct irun *r, const struct iobs *o, struct iplan *p)
{
	(void)r;
	(void)o;
	(void)p;
}

/* Plan an uninstall. */
static void
rt_undo_plan(struct irun *r, const struct iobs *o, struct iplan *p)
{
	const struct rt_obs	*s = o->priv;
	const cJSON		*obj;
	int			 k;

	(void)r;
	for (k = 0; k < RT_KINDS; k++) {
		cJSON_ArrayForEach(obj, s->objs[k])
			iplan_add(p, icmd("kubectl", "delete", s->res[k].resource,
			    "-n", json_path_str(obj, "metadata.namespace"),
			    json_path_str(obj, "metadata.name"), NULL), "delete "
			    "%s %s/%s%s", s->res[k].kind, json_path_str(obj,
			    "metadata.namespace"), json_path_str(obj,
			    "metadata.name"), k == RT_GATEWAY ? " (after its "
			    "routes)" : " (the controller removes its Lattice "
			    "resources)");
	}
}

/* Delete the live objects of one kind. */
static int
rt_delete(struct irun *r, struct kube_client *kube, struct rt_obs *s,
    int k, char **cause)
{
	struct kube_error	 e = { 0 };
	const cJSON		*o;

	cJSON_ArrayForEach(o, s->objs[k]) {
		if (json_path(o, "metadata.deletionTimestamp") != NULL)
			continue;
		if (kube_delete(kube, &s->res[k], json_path_str(o,
		    "metadata.namespace"), json_path_str(o, "metadata.name"),
		    NULL, &e) != 0 && !kube_error_is_not_found(&e))
			return inst_kube_fail(&e, "delete", cause);
		kube_error_clear(&e);
		irun_log(r, "deleting %s %s/%s", s->res[k].kind,
		    json_path_str(o, "metadata.namespace"),
		    json_path_str(o, "metadata.name"));
	}
	return 0;
}

/* Undo: routes and exports, then (once they are gone) Gateways. */
static int
rt_undo(struct irun *r, const struct iobs *o, char **cause)
{
	struct rt_obs		*s = o->priv;
	struct kube_client	*kube;
	int			 k, rc;

	if ((rc = inst_kube(r->in, &kube, cause)) != 0)
		return rc == 1 ? 0 : rc;
	for (k = 0; k < RT_GATEWAY; k++)
		if ((rc = rt_delete(r, kube, s, k, cause)) != 0)
			return rc;
	if (s->routes == 0)
		return rt_delete(r, kube, s, RT_GATEWAY, cause);
	return 0;
}

/* Verify (unused: uninstall only). */
static int
rt_verify(struct irun *r, const struct iobs *o, char **cause)
{
	(void)r;
	(void)o;
	(void)cause;
	return 0;
}

/* Apply (unused: uninstall only). */
static int
rt_apply(struct irun *r, const struct iobs *o, char **cause)
{
	(void)r;
	(void)o;
	(void)cause;
	return 0;
}

const struct istep_ops istep_routes = {
	.id = "routes",
	.title = "Routes and their Lattice resources",
	.deps = { "gatewayclass", NULL },
	.uninstall_only = 1,
	.observe = rt_observe,
	.plan = rt_plan,
	.apply = rt_apply,
	.verify = rt_verify,
	.undo_plan = rt_undo_plan,
	.undo = rt_undo,
};
