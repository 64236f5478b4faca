/* sim_kube EndpointSlice controller: Service selector + Pods -> one
 * managed EndpointSlice per service (kubernetes.io/service-name), ports
 * named as the service's with targetPort resolved, endpoint conditions
 * ready/serving/terminating. Candidate pods come from a (namespace,
 * label) index built once a pass, not from a scan per service. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/json.h"
#include "latticectl/xmalloc.h"
#include "kube_int.h"

/* One (namespace, label=value) of an eligible pod. */
struct skube_lbl {
	char	*key;		/* "ns\x01label=value" */
	size_t	 idx;		/* index in the pods store */
};

struct skube_lbl_index {
	struct skube_lbl	*v;
	size_t		 n;
};

/* Whether a pod's labels satisfy a service's selector map. */
static int
skube_ctl_selects(const cJSON *sel, const cJSON *pod)
{
	const cJSON	*it, *labels = json_path(pod, "metadata.labels");
	const char	*v;

	if (cJSON_GetArraySize(sel) == 0)
		return 0;
	cJSON_ArrayForEach(it, sel) {
		v = json_str(labels, it->string);
		if (!cJSON_IsString(it) || v == NULL ||
		    strcmp(v, it->valuestring) != 0)
			return 0;
	}
	return 1;
}

/* Resolve a service port's targetPort against a pod (0: unresolved). */
static double
skube_ctl_target(const cJSON *sport, const cJSON *pod)
{
	const cJSON	*tp = cJSON_GetObjectItemCaseSensitive(sport,
	    "targetPort");
	const cJSON	*c, *p;

	if (cJSON_IsNumber(tp))
		return tp->valuedouble;
	if (!cJSON_IsString(tp))
		return json_num(sport, "port", 0);
	if (atoi(tp->valuestring) > 0)
		return atoi(tp->valuestring);
	cJSON_ArrayForEach(c, json_path(pod, "spec.containers")) {
		cJSON_ArrayForEach(p, json_path(c, "ports")) {
			if (json_str(p, "name") != NULL &&
			    strcmp(json_str(p, "name"), tp->valuestring) == 0)
				return json_num(p, "containerPort", 0);
		}
	}
	return 0;
}

/* The ports of a slice, resolved against the first pod. */
static cJSON *
skube_ctl_eps_ports(const cJSON *svc, const cJSON *pod)
{
	cJSON		*arr = cJSON_CreateArray(), *p;
	const cJSON	*sp;
	double		 port;

	cJSON_ArrayForEach(sp, json_path(svc, "spec.ports")) {
		port = pod != NULL ? skube_ctl_target(sp, pod) : 0;
		if (pod != NULL && port <= 0)
			continue;
		p = cJSON_CreateObject();
		cJSON_AddStringToObject(p, "name", json_str(sp, "name") ?
		    json_str(sp, "name") : "");
		if (pod != NULL)
			cJSON_AddNumberToObject(p, "port", port);
		cJSON_AddStringToObject(p, "protocol",
		    json_str(sp, "protocol") ? json_str(sp, "protocol") :
		    "TCP");
		if (json_str(sp, "appProtocol") != NULL)
			cJSON_AddStringToObject(p, "appProtocol",
			    json_str(sp, "appProtocol"));
		cJSON_AddItemToArray(arr, p);
	}
	return arr;
}

/* One endpoint for a pod. */
static cJSON *
skube_ctl_endpoint(const cJSON *pod)
{
	cJSON	*ep = cJSON_CreateObject(), *addrs, *cond, *ref;
	int	 ready = skube_ctl_pod_ready(pod);
	int	 term = json_path(pod, "metadata.deletionTimestamp") != NULL;

	addrs = cJSON_AddArrayToObject(ep, "addresses");
	cJSON_AddItemToArray(addrs, cJSON_CreateString(json_path_str(pod,
	    "status.podIP")));
	cond = cJSON_AddObjectToObject(ep, "conditions");
	cJSON_AddBoolToObject(cond, "ready", ready && !term);
	cJSON_AddBoolToObject(cond, "serving", ready);
	cJSON_AddBoolToObject(cond, "terminating", term);
	if (json_path_str(pod, "spec.nodeName") != NULL)
		cJSON_AddStringToObject(ep, "nodeName", json_path_str(pod,
		    "spec.nodeName"));
	ref = cJSON_AddObjectToObject(ep, "targetRef");
	cJSON_AddStringToObject(ref, "kind", "Pod");
	cJSON_AddStringToObject(ref, "namespace", skube_ns(pod));
	cJSON_AddStringToObject(ref, "name", skube_name(pod));
	cJSON_AddStringToObject(ref, "uid", json_path_str(pod, "metadata.uid") ?
	    json_path_str(pod, "metadata.uid") : "");
	cJSON_AddStringToObject(ep, "zone", "us-west-2a");
	return ep;
}

/* The managed slice's name: "<service>-" and 5 characters from its uid. */
static void
skube_eps_name(const cJSON *svc, char *buf, size_t len)
{
	unsigned long long	 h = 1469598103934665603ULL;
	const char		*p = json_path_str(svc, "metadata.uid");
	char			 sfx[6];
	size_t			 i;

	for (; p != NULL && *p != '\0'; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	for (i = 0; i < 5; i++, h /= 27)
		sfx[i] = "bcdfghjklmnpqrstvwxz2456789"[h % 27];
	sfx[5] = '\0';
	snprintf(buf, len, "%.200s-%s", skube_name(svc), sfx);
}

/* A new EndpointSlice object for a service. */
static cJSON *
skube_ctl_new_slice(const cJSON *svc)
{
	cJSON	*s = cJSON_CreateObject(), *meta, *labels, *ref;
	char	 name[300];

	skube_eps_name(svc, name, sizeof name);
	meta = cJSON_AddObjectToObject(s, "metadata");
	cJSON_AddStringToObject(meta, "name", name);
	cJSON_AddStringToObject(meta, "namespace", skube_ns(svc));
	labels = cJSON_AddObjectToObject(meta, "labels");
	cJSON_AddStringToObject(labels, "kubernetes.io/service-name",
	    skube_name(svc));
	cJSON_AddStringToObject(labels,
	    "endpointslice.kubernetes.io/managed-by",
	    "endpointslice-controller.k8s.io");
	ref = cJSON_CreateObject();
	cJSON_AddStringToObject(ref, "apiVersion", "v1");
	cJSON_AddStringToObject(ref, "kind", "Service");
	cJSON_AddStringToObject(ref, "name", skube_name(svc));
	cJSON_AddStringToObject(ref, "uid", json_path_str(svc, "metadata.uid"));
	cJSON_AddBoolToObject(ref, "controller", 1);
	cJSON_AddBoolToObject(ref, "blockOwnerDeletion", 1);
	cJSON_AddItemToArray(cJSON_AddArrayToObject(meta, "ownerReferences"),
	    ref);
	cJSON_AddStringToObject(s, "addressType", "IPv4");
	return s;
}

/* The managed slice of a service, or NULL. */
static struct skube_entry *
skube_ctl_find_slice(struct skube_store *eps, const cJSON *svc)
{
	struct skube_entry	*ent;
	const char		*l;
	char			 name[300];

	skube_eps_name(svc, name, sizeof name);
	ent = skube_store_find(eps, skube_ns(svc), name);
	if (ent == NULL)
		return NULL;
	l = json_str(json_path(ent->obj, "metadata.labels"),
	    "kubernetes.io/service-name");
	return l != NULL && strcmp(l, skube_name(svc)) == 0 ? ent : NULL;
}

/* Order index entries by key, then store index (pod name order). */
static int
skube_lbl_cmp(const void *a, const void *b)
{
	const struct skube_lbl	*x = a, *y = b;
	int			 c = strcmp(x->key, y->key);

	if (c != 0)
		return c;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* Whether a pod can be an endpoint (has an IP, not finished). */
static int
skube_eps_eligible(const cJSON *pod)
{
	const char	*phase = json_path_str(pod, "status.phase");

	return json_path_str(pod, "status.podIP") != NULL && (phase == NULL ||
	    (strcmp(phase, "Succeeded") != 0 && strcmp(phase, "Failed") != 0));
}

/* Index every label of every eligible pod. */
static void
skube_lbl_build(struct skube_store *pods, struct skube_lbl_index *ix)
{
	const cJSON	*l;
	size_t		 i;

	memset(ix, 0, sizeof *ix);
	for (i = 0; i < pods->n; i++) {
		if (!skube_eps_eligible(pods->v[i].obj))
			continue;
		cJSON_ArrayForEach(l, json_path(pods->v[i].obj,
		    "metadata.labels")) {
			if (!cJSON_IsString(l))
				continue;
			ix->v = xreallocarray(ix->v, ix->n + 1, sizeof *ix->v);
			xasprintf(&ix->v[ix->n].key, "%s\x01%s=%s",
			    skube_ns(pods->v[i].obj), l->string,
			    l->valuestring);
			ix->v[ix->n++].idx = i;
		}
	}
	if (ix->n > 1)
		qsort(ix->v, ix->n, sizeof *ix->v, skube_lbl_cmp);
}

/* Free the index. */
static void
skube_lbl_free(struct skube_lbl_index *ix)
{
	size_t	i;

	for (i = 0; i < ix->n; i++)
		free(ix->v[i].key);
	free(ix->v);
}

/* The first index entry with this key, or ix->n. */
static size_t
skube_lbl_find(const struct skube_lbl_index *ix, const char *key)
{
	size_t	lo = 0, hi = ix->n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (strcmp(ix->v[mid].key, key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The endpoints and ports a service's slice should hold. */
static void
skube_eps_content(struct skube_store *pods, const struct skube_lbl_index *ix,
    const cJSON *svc, cJSON **endpoints, cJSON **ports)
{
	const cJSON	*sel = json_path(svc, "spec.selector"), *first = NULL;
	const cJSON	*pod;
	char		*key;
	size_t		 i;

	*endpoints = cJSON_CreateArray();
	xasprintf(&key, "%s\x01%s=%s", skube_ns(svc), sel->child->string,
	    cJSON_IsString(sel->child) ? sel->child->valuestring : "");
	for (i = skube_lbl_find(ix, key); i < ix->n &&
	    strcmp(ix->v[i].key, key) == 0; i++) {
		pod = pods->v[ix->v[i].idx].obj;
		if (!skube_ctl_selects(sel, pod))
			continue;
		if (first == NULL)
			first = pod;
		cJSON_AddItemToArray(*endpoints, skube_ctl_endpoint(pod));
	}
	free(key);
	*ports = skube_ctl_eps_ports(svc, first);
}

/* Bring one service's slice up to date. */
static void
skube_eps_service(struct sim_kube *k, struct skube_rtype *ert,
    struct skube_store *pods, const struct skube_lbl_index *ix,
    const cJSON *svc)
{
	struct skube_entry	*ent;
	cJSON			*endpoints, *ports, *slice;

	if (!cJSON_IsObject(json_path(svc, "spec.selector")) ||
	    cJSON_GetArraySize(json_path(svc, "spec.selector")) == 0 ||
	    json_path(svc, "metadata.deletionTimestamp") != NULL)
		return;
	skube_eps_content(pods, ix, svc, &endpoints, &ports);
	ent = skube_ctl_find_slice(ert->store, svc);
	if (ent != NULL && json_equal(json_path(ent->obj, "endpoints"),
	    endpoints) && json_equal(json_path(ent->obj, "ports"), ports)) {
		cJSON_Delete(endpoints);
		cJSON_Delete(ports);
		return;
	}
	slice = ent != NULL ? cJSON_Duplicate(ent->obj, 1) :
	    skube_ctl_new_slice(svc);
	skube_set_item(slice, "endpoints", endpoints);
	skube_set_item(slice, "ports", ports);
	if (ent != NULL)
		skube_ctl_update(k, ert, slice);
	else
		skube_ctl_create(k, ert, slice);
}

/* Service + Pods -> EndpointSlices. */
void
skube_ctl_endpointslices(struct sim_kube *k)
{
	struct skube_rtype	*srt = skube_ctl_type(k, "", "services");
	struct skube_rtype	*prt = skube_ctl_type(k, "", "pods");
	struct skube_rtype	*ert = skube_ctl_type(k, "discovery.k8s.io",
				    "endpointslices");
	struct skube_lbl_index	 ix;
	size_t			 i;

	if (srt == NULL || prt == NULL || ert == NULL)
		return;
	skube_lbl_build(prt->store, &ix);
	for (i = 0; i < srt->store->n; i++)
		skube_eps_service(k, ert, prt->store, &ix,
		    srt->store->v[i].obj);
	skube_lbl_free(&ix);
}
