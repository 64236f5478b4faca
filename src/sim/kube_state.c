/* sim_kube state file: every stored object and the resourceVersion. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LOG_MODULE "sim-kube"
#include "latticectl/error.h"
#include "latticectl/json.h"
#include "latticectl/log.h"
#include "latticectl/xmalloc.h"
#include "kube_int.h"

#define KUBE_STATE_KIND		"LatticectlSimKubeState"
#define KUBE_CRD_STORE		"apiextensions.k8s.io/customresourcedefinitions"

/* The state as a tree (lock held). */
cJSON *
skube_state_save(struct sim_kube *k)
{
	struct skube_store	*st;
	cJSON			*root, *objs, *arr;
	char			 rv[32];
	size_t			 i;

	root = cJSON_CreateObject();
	cJSON_AddStringToObject(root, "kind", KUBE_STATE_KIND);
	snprintf(rv, sizeof rv, "%llu", (unsigned long long)k->rv);
	cJSON_AddStringToObject(root, "resourceVersion", rv);
	objs = cJSON_AddObjectToObject(root, "objects");
	for (st = k->stores; st != NULL; st = st->next) {
		if (st->n == 0)
			continue;
		arr = cJSON_AddArrayToObject(objs, st->id);
		for (i = 0; i < st->n; i++)
			cJSON_AddItemToArray(arr,
			    cJSON_Duplicate(st->v[i].obj, 1));
	}
	return root;
}

/* The served type whose store has this id, or NULL. */
static struct skube_rtype *
skube_state_type(struct sim_kube *k, const char *id)
{
	struct skube_rtype	*rt;

	for (rt = k->types; rt != NULL; rt = rt->next) {
		if (rt->active && rt->store != NULL &&
		    strcmp(rt->store->id, id) == 0)
			return rt;
	}
	return NULL;
}

/* Load one store's objects (copies); bad objects are skipped. */
static void
skube_state_store(struct sim_kube *k, const char *id, const cJSON *arr,
    uint64_t *maxrv)
{
	struct skube_rtype	*rt = skube_state_type(k, id);
	const cJSON		*o;

	if (rt == NULL) {
		log_warn("state: no resource for %s; objects skipped", id);
		return;
	}
	cJSON_ArrayForEach(o, arr) {
		if (!cJSON_IsObject(o) || skube_name(o) == NULL ||
		    (rt->store->namespaced && skube_ns(o) == NULL))
			continue;
		if (skube_rv_of(o) > *maxrv)
			*maxrv = skube_rv_of(o);
		skube_store_put_raw(rt->store, cJSON_Duplicate(o, 1));
	}
}

/* Register the CRDs of a state before their objects load. */
static void
skube_state_crds(struct sim_kube *k, const cJSON *arr)
{
	const cJSON	*crd;
	struct skube_err	 e;

	cJSON_ArrayForEach(crd, arr) {
		memset(&e, 0, sizeof e);
		if (skube_reg_check_crd(k, crd, &e) != 0 ||
		    skube_reg_crd(k, crd, &e) != 0)
			log_warn("state: CRD %s skipped: %s", skube_name(crd) ?
			    skube_name(crd) : "?", e.message);
		skube_err_free(&e);
	}
}

/* Replace the state with a saved one (lock held). */
int
skube_state_load(struct sim_kube *k, const cJSON *root, char **cause)
{
	struct skube_store	*st;
	struct skube_rtype	*rt;
	const cJSON		*objs, *arr;
	const char		*rv = json_str(root, "resourceVersion");
	uint64_t		 maxrv;

	objs = json_path(root, "objects");
	if (json_str(root, "kind") == NULL ||
	    strcmp(json_str(root, "kind"), KUBE_STATE_KIND) != 0 ||
	    !cJSON_IsObject(objs) || rv == NULL)
		return error_set(cause, "state: not a simulator Kubernetes "
		    "state");
	for (rt = k->types; rt != NULL; rt = rt->next) {
		if (rt->crd != NULL)
			rt->active = 0;
	}
	for (st = k->stores; st != NULL; st = st->next)
		skube_store_clear(st);
	maxrv = strtoull(rv, NULL, 10);
	skube_state_crds(k, cJSON_GetObjectItemCaseSensitive(objs,
	    KUBE_CRD_STORE));
	cJSON_ArrayForEach(arr, objs) {
		if (arr->string != NULL && cJSON_IsArray(arr))
			skube_state_store(k, arr->string, arr, &maxrv);
	}
	k->rv = maxrv;
	for (st = k->stores; st != NULL; st = st->next)
		st->compacted_rv = k->rv;
	k->reg_gen++;
	k->ctl_dep_sig = k->ctl_eps_sig = 0;	/* controllers look again */
	pthread_cond_broadcast(&k->changed);
	return 0;
}
