/* sim_kube Deployment controller: keep spec.replicas pods of the current
 * template (pod-template-hash), owned by the Deployment, and report the
 * status. Pods are found through an owner-uid index built once a pass,
 * so a pass costs O(P log P + D log P), not O(D * P). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/json.h"
#include "latticectl/xmalloc.h"
#include "kube_int.h"

/* One pod owned by a deployment, found in the index pass. */
struct skube_owned {
	const char	*uid;		/* owner uid (points into the pod) */
	size_t		 idx;		/* index in the pods store */
};

/* A deployment's pods, collected before any change. */
struct skube_dep_pods {
	char	**names;
	int	 *current;	/* current template */
	int	 *ready;
	size_t	  n;
};

/* Counts of a deployment's pods. */
struct skube_dep_count {
	long	total;		/* not being deleted */
	long	updated;	/* current template */
	long	ready;
};

/* Order owned entries by owner uid, then store index. */
static int
skube_owned_cmp(const void *a, const void *b)
{
	const struct skube_owned	*x = a, *y = b;
	int			 c = strcmp(x->uid, y->uid);

	if (c != 0)
		return c;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* Index the live pods by their Deployment owner's uid. */
static struct skube_owned *
skube_owned_index(struct skube_store *pods, size_t *n)
{
	struct skube_owned	*v = NULL;
	const cJSON		*r;
	size_t			 i;

	*n = 0;
	for (i = 0; i < pods->n; i++) {
		if (json_path(pods->v[i].obj,
		    "metadata.deletionTimestamp") != NULL)
			continue;
		cJSON_ArrayForEach(r, json_path(pods->v[i].obj,
		    "metadata.ownerReferences")) {
			if (json_str(r, "uid") == NULL ||
			    json_str(r, "kind") == NULL ||
			    strcmp(json_str(r, "kind"), "Deployment") != 0)
				continue;
			v = xreallocarray(v, *n + 1, sizeof *v);
			v[*n].uid = json_str(r, "uid");
			v[(*n)++].idx = i;
		}
	}
	if (*n > 1)
		qsort(v, *n, sizeof *v, skube_owned_cmp);
	return v;
}

/* A stable pod-template-hash (10 characters) for a template. */
static void
skube_dep_hash(const cJSON *tmpl, char *buf, size_t len)
{
	static const char	 alpha[] = "bcdfghjklmnpqrstvwxz2456789";
	char			*txt = json_print(tmpl);
	unsigned long long	 h = 1469598103934665603ULL;
	const char		*p;
	size_t			 i;

	for (p = txt; *p != '\0'; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	free(txt);
	for (i = 0; i + 1 < len && i < 10; i++) {
		buf[i] = alpha[h % (sizeof alpha - 1)];
		h /= sizeof alpha - 1;
	}
	buf[i] = '\0';
}

/* Collect a deployment's pods from the index (names copied). */
static void
skube_dep_collect(struct skube_store *pods, const struct skube_owned *ix,
    size_t nix, const char *uid, const char *hash, struct skube_dep_pods *dp)
{
	struct skube_owned	 key = { uid, 0 };
	const cJSON		*pod;
	const char		*ph;
	size_t			 lo = 0, hi = nix, mid;

	memset(dp, 0, sizeof *dp);
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (strcmp(ix[mid].uid, key.uid) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < nix && strcmp(ix[lo].uid, uid) == 0; lo++) {
		pod = pods->v[ix[lo].idx].obj;
		ph = json_path_str(pod, "metadata.labels.pod-template-hash");
		dp->names = xreallocarray(dp->names, dp->n + 1,
		    sizeof *dp->names);
		dp->current = xreallocarray(dp->current, dp->n + 1,
		    sizeof (int));
		dp->ready = xreallocarray(dp->ready, dp->n + 1, sizeof (int));
		dp->names[dp->n] = xstrdup(skube_name(pod));
		dp->current[dp->n] = ph != NULL && strcmp(ph, hash) == 0;
		dp->ready[dp->n++] = skube_ctl_pod_ready(pod);
	}
}

/* Free collected pods. */
static void
skube_dep_pods_free(struct skube_dep_pods *dp)
{
	size_t	i;

	for (i = 0; i < dp->n; i++)
		free(dp->names[i]);
	free(dp->names);
	free(dp->current);
	free(dp->ready);
}

/* A new pod for a deployment from its template. */
static cJSON *
skube_dep_new_pod(const cJSON *dep, const char *hash)
{
	const cJSON	*tmpl = json_path(dep, "spec.template");
	cJSON		*pod, *meta, *labels, *ref, *refs;
	char		 sfx[6], *name;

	pod = cJSON_CreateObject();
	meta = cJSON_Duplicate(json_path(tmpl, "metadata"), 1);
	if (!cJSON_IsObject(meta)) {
		cJSON_Delete(meta);
		meta = cJSON_CreateObject();
	}
	cJSON_AddItemToObject(pod, "metadata", meta);
	skube_rand_suffix(sfx, sizeof sfx);
	xasprintf(&name, "%.200s-%s-%s", skube_name(dep), hash, sfx);
	skube_set_str(meta, "name", name);
	free(name);
	skube_set_str(meta, "namespace", skube_ns(dep));
	labels = skube_child(meta, "labels", cJSON_Object);
	skube_set_str(labels, "pod-template-hash", hash);
	refs = cJSON_CreateArray();
	skube_set_item(meta, "ownerReferences", refs);
	ref = cJSON_CreateObject();
	cJSON_AddStringToObject(ref, "apiVersion", "apps/v1");
	cJSON_AddStringToObject(ref, "kind", "Deployment");
	cJSON_AddStringToObject(ref, "name", skube_name(dep));
	cJSON_AddStringToObject(ref, "uid", json_path_str(dep, "metadata.uid"));
	cJSON_AddBoolToObject(ref, "controller", 1);
	cJSON_AddBoolToObject(ref, "blockOwnerDeletion", 1);
	cJSON_AddItemToArray(refs, ref);
	cJSON_AddItemToObject(pod, "spec",
	    cJSON_Duplicate(json_path(tmpl, "spec"), 1));
	return pod;
}

/* Delete stale and surplus pods, create missing ones; counts after. */
static void
skube_dep_scale(struct sim_kube *k, struct skube_rtype *prt, const cJSON *dep,
    const char *hash, const struct skube_dep_pods *dp,
    struct skube_dep_count *c)
{
	long	want = (long)json_num(json_path(dep, "spec"), "replicas", 1);
	size_t	i;

	memset(c, 0, sizeof *c);
	for (i = 0; i < dp->n; i++) {
		if (!dp->current[i] || c->updated >= want) {
			skube_ctl_delete(k, prt, skube_ns(dep), dp->names[i]);
			continue;
		}
		c->updated++;
		c->total++;
		c->ready += dp->ready[i];
	}
	for (; c->updated < want; c->updated++, c->total++)
		skube_ctl_create(k, prt, skube_dep_new_pod(dep, hash));
}

/* The status a deployment should show. */
static cJSON *
skube_dep_status(const cJSON *dep, const struct skube_dep_count *c)
{
	cJSON		*st = cJSON_CreateObject(), *conds;
	const cJSON	*old = json_path(dep, "status.conditions");
	long		 want = (long)json_num(json_path(dep, "spec"),
	    "replicas", 1);
	int64_t		 gen = 1;

	json_int(json_path(dep, "metadata"), "generation", &gen);
	cJSON_AddNumberToObject(st, "observedGeneration", (double)gen);
	cJSON_AddNumberToObject(st, "replicas", c->total);
	cJSON_AddNumberToObject(st, "updatedReplicas", c->updated);
	cJSON_AddNumberToObject(st, "readyReplicas", c->ready);
	cJSON_AddNumberToObject(st, "availableReplicas", c->ready);
	if (c->total > c->ready)
		cJSON_AddNumberToObject(st, "unavailableReplicas",
		    c->total - c->ready);
	conds = cJSON_AddArrayToObject(st, "conditions");
	cJSON_AddItemToArray(conds, skube_ctl_cond(old, "Available",
	    c->ready >= want, c->ready >= want ? "MinimumReplicasAvailable" :
	    "MinimumReplicasUnavailable", c->ready >= want ?
	    "Deployment has minimum availability." :
	    "Deployment does not have minimum availability."));
	cJSON_AddItemToArray(conds, skube_ctl_cond(old, "Progressing", 1,
	    c->ready >= want ? "NewReplicaSetAvailable" : "ReplicaSetUpdated",
	    "ReplicaSet is progressing."));
	return st;
}

/* Reconcile one deployment (a copy) with its collected pods. */
static void
skube_dep_one(struct sim_kube *k, struct skube_rtype *drt,
    struct skube_rtype *prt, cJSON *dep, const char *hash,
    const struct skube_dep_pods *dp)
{
	struct skube_dep_count	c;

	skube_dep_scale(k, prt, dep, hash, dp, &c);
	skube_set_item(dep, "status", skube_dep_status(dep, &c));
	skube_ctl_update(k, drt, dep);
}

/* Deployment -> Pods, and each deployment's status. */
void
skube_ctl_deployments(struct sim_kube *k)
{
	struct skube_rtype	*drt = skube_ctl_type(k, "apps", "deployments");
	struct skube_rtype	*prt = skube_ctl_type(k, "", "pods");
	struct skube_owned	*ix;
	struct skube_dep_pods	*all;
	cJSON			**deps;
	char			(*hashes)[12];
	size_t			 nix, nd, i;

	if (drt == NULL || prt == NULL || drt->store->n == 0)
		return;
	nd = drt->store->n;
	ix = skube_owned_index(prt->store, &nix);
	all = xcalloc(nd, sizeof *all);
	deps = xcalloc(nd, sizeof *deps);
	hashes = xcalloc(nd, sizeof *hashes);
	for (i = 0; i < nd; i++) {	/* read everything before changing */
		deps[i] = cJSON_Duplicate(drt->store->v[i].obj, 1);
		skube_dep_hash(json_path(deps[i], "spec.template"), hashes[i],
		    12);
		skube_dep_collect(prt->store, ix, nix,
		    json_path_str(deps[i], "metadata.uid") ?
		    json_path_str(deps[i], "metadata.uid") : "", hashes[i],
		    &all[i]);
	}
	free(ix);
	for (i = 0; i < nd; i++) {
		if (json_path(deps[i], "metadata.deletionTimestamp") == NULL)
			skube_dep_one(k, drt, prt, deps[i], hashes[i], &all[i]);
		else
			cJSON_Delete(deps[i]);
		skube_dep_pods_free(&all[i]);
	}
	free(all);
	free(deps);
	free(hashes);
}
