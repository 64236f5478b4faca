/* status_gateway: Gateway conditions, addresses and listener status. */
#include <stdlib.h>
#include <string.h>

#include "latticectl/json.h"
#include "latticectl/kutil.h"
#include "latticectl/status.h"
#include "latticectl/xmalloc.h"
#include "status_int.h"

/* Replace (or add) member key of obj with val (taken). */
static void
status_put(cJSON *obj, const char *key, cJSON *val)
{
	if (cJSON_GetObjectItemCaseSensitive(obj, key) != NULL)
		cJSON_ReplaceItemInObjectCaseSensitive(obj, key, val);
	else
		cJSON_AddItemToObject(obj, key, val);
}

/* status of obj, created when missing. */
static cJSON *
status_of(cJSON *obj)
{
	cJSON	*st = cJSON_GetObjectItemCaseSensitive(obj, "status");

	if (cJSON_IsObject(st))
		return st;
	st = cJSON_CreateObject();
	status_put(obj, "status", st);
	return st;
}

/* The Programmed condition's reason and message (*msg freed by caller). */
static const char *
status_programmed(const struct status_gateway *g, char **msg)
{
	switch (g->sn) {
	case STATUS_SN_FOUND:
		xasprintf(msg, "%s%s", UP_MSG_SN_ARN_PREFIX,
		    g->sn_arn != NULL ? g->sn_arn : "");
		return UP_REASON_PROGRAMMED;
	case STATUS_SN_CONFLICT:
		*msg = xstrdup(STATUS_MSG_SN_CONFLICT);
		return UP_REASON_INVALID;
	default:
		*msg = xstrdup(UP_MSG_SN_NOT_FOUND);
		return UP_REASON_PENDING;
	}
}

/* status.conditions: Accepted and Programmed. */
static void
status_gw_conditions(cJSON *gw, const char *controller,
    const struct status_gateway *g, int64_t gen, const struct timespec *now)
{
	struct kube_condition	 c[2];
	const char		*reason;
	char			*msg;

	c[0] = status_cond(UP_COND_ACCEPTED, g->accepted, g->accepted ?
	    UP_REASON_ACCEPTED : UP_REASON_INVALID, controller, gen);
	reason = status_programmed(g, &msg);
	c[1] = status_cond(UP_COND_PROGRAMMED, g->sn == STATUS_SN_FOUND,
	    reason, msg, gen);
	kube_status_set_local(gw, c, 2, now);
	free(msg);
}

/* status.addresses: Hostname entries, or none. */
static void
status_gw_addresses(cJSON *st, const struct status_gateway *g)
{
	cJSON	*arr, *a;
	size_t	 i;

	if (g->naddresses == 0) {
		cJSON_DeleteItemFromObjectCaseSensitive(st, "addresses");
		return;
	}
	arr = cJSON_CreateArray();
	for (i = 0; i < g->naddresses; i++) {
		a = cJSON_CreateObject();
		cJSON_AddStringToObject(a, "type", "Hostname");
		cJSON_AddStringToObject(a, "value", g->addresses[i]);
		cJSON_AddItemToArray(arr, a);
	}
	status_put(st, "addresses", arr);
}

/* The old entry for a listener name, detached from old (or a new one). */
static cJSON *
status_gw_entry(cJSON *old, const char *name)
{
	cJSON		*e;
	const char	*n;

	cJSON_ArrayForEach(e, old) {
		n = json_str(e, "name");
		if (n != NULL && strcmp(n, name) == 0)
			return cJSON_DetachItemViaPointer(old, e);
	}
	e = cJSON_CreateObject();
	cJSON_AddStringToObject(e, "name", name);
	return e;
}

/* supportedKinds of a listener. */
static cJSON *
status_gw_kinds(const struct status_listener *l)
{
	cJSON	*arr = cJSON_CreateArray(), *k;
	size_t	 i;

	for (i = 0; i < l->nkinds; i++) {
		k = cJSON_CreateObject();
		cJSON_AddStringToObject(k, "group", UP_GROUP_GATEWAY);
		cJSON_AddStringToObject(k, "kind", l->kinds[i]);
		cJSON_AddItemToArray(arr, k);
	}
	return arr;
}

/* One listener's status entry (e changed in place). */
static void
status_gw_listener(cJSON *e, const struct status_listener *l,
    const struct status_gateway *g, int64_t gen, const struct timespec *now)
{
	struct kube_condition	 c;
	cJSON			*conds;
	int			 prog = g->sn == STATUS_SN_FOUND;

	status_put(e, "supportedKinds", status_gw_kinds(l));
	status_put(e, "attachedRoutes",
	    cJSON_CreateNumber((double)l->attached_routes));
	conds = cJSON_GetObjectItemCaseSensitive(e, "conditions");
	if (!cJSON_IsArray(conds)) {
		conds = cJSON_CreateArray();
		status_put(e, "conditions", conds);
	}
	c = status_cond(UP_COND_ACCEPTED, 1, UP_REASON_ACCEPTED, NULL, gen);
	kube_conditions_set(conds, &c, now);
	c = status_cond(UP_COND_RESOLVED_REFS, !l->invalid_kinds,
	    l->invalid_kinds ? UP_REASON_INVALID_ROUTE_KINDS :
	    UP_REASON_RESOLVED_REFS, l->invalid_kinds ? "allowedRoutes names "
	    "a route kind this controller does not support" : NULL, gen);
	kube_conditions_set(conds, &c, now);
	c = status_cond(UP_COND_PROGRAMMED, prog, prog ? UP_REASON_PROGRAMMED :
	    UP_REASON_PENDING, NULL, gen);
	kube_conditions_set(conds, &c, now);
}

/* status.listeners in spec order; entries keep their conditions' times;
 * listeners gone from the spec are dropped. */
static void
status_gw_listeners(cJSON *st, const struct status_gateway *g, int64_t gen,
    const struct timespec *now)
{
	cJSON	*old, *arr, *e;
	size_t	 i;

	old = cJSON_DetachItemFromObjectCaseSensitive(st, "listeners");
	if (g->nlisteners == 0) {
		cJSON_Delete(old);
		return;
	}
	arr = cJSON_AddArrayToObject(st, "listeners");
	for (i = 0; i < g->nlisteners; i++) {
		e = status_gw_entry(old, g->listeners[i].name);
		status_gw_listener(e, &g->listeners[i], g, gen, now);
		cJSON_AddItemToArray(arr, e);
	}
	cJSON_Delete(old);
}

/* Gateway status from the service network lookup and listener results. */
int
status_gateway_apply(cJSON *gw, const char *controller,
    const struct status_gateway *g, const struct timespec *now)
{
	cJSON	*before = status_snapshot(gw), *st;
	int64_t	 gen = status_generation(gw);

	status_gw_conditions(gw, controller, g, gen, now);
	st = status_of(gw);
	status_gw_addresses(st, g);
	status_gw_listeners(st, g, gen, now);
	return status_differs(before, gw);
}

struct status_gw_args {
	const char			*controller;
	const struct status_gateway	*g;
};

/* status_edit_fn for Gateways. */
static int
status_gw_edit(void *arg, cJSON *obj, const struct timespec *now)
{
	struct status_gw_args	*a = arg;

	return status_gateway_apply(obj, a->controller, a->g, now);
}

/* Write a Gateway's status. */
int
status_gateway_write(struct status_writer *sw, const struct kube_resource *res,
    const cJSON *cached, const struct status_gateway *g, cJSON **out,
    struct kube_error *e)
{
	struct status_gw_args	a = { sw->controller, g };

	return status_write(sw, res, cached, status_gw_edit, &a, out, e);
}
