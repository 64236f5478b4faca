/* sim_kube built-in controllers on a background thread: namespaces,
 * default service accounts, Deployment -> Pods, a kubelet that schedules
 * and readies pods, Service + Pods -> EndpointSlices. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define LOG_MODULE "sim-kube"
#include "latticectl/json.h"
#include "latticectl/log.h"
#include "latticectl/rand.h"
#include "latticectl/xmalloc.h"
#include "kube_int.h"

#define KUBE_NODE_NAME		"sim-node-1"
#define KUBE_NODE_IP		"10.0.1.10"

/* Controllers write without managedFields bookkeeping (cheaper). */
static const struct skube_wopts skube_ctl_w = {
	0, NULL, "Update", 0, 1
};

/* The served type of a built-in resource. */
struct skube_rtype *
skube_ctl_type(struct sim_kube *k, const char *group, const char *plural)
{
	return skube_reg_find(k, group, "v1", plural);
}

/* Create an object as a controller; logs failures. */
void
skube_ctl_create(struct sim_kube *k, struct skube_rtype *rt, cJSON *obj)
{
	struct skube_err	 e;
	cJSON		*out = NULL;

	memset(&e, 0, sizeof e);
	if (skube_op_create(k, rt, skube_ns(obj), obj, &skube_ctl_w, &out,
	    &e) != 0)
		log_debug("controller create %s: %s", rt->kind, e.message);
	cJSON_Delete(out);
	skube_err_free(&e);
}

/* Replace an object (owned) as a controller (status included). */
void
skube_ctl_update(struct sim_kube *k, struct skube_rtype *rt, cJSON *obj)
{
	struct skube_err	 e;
	cJSON		*out = NULL;
	char		*ns, *name;

	memset(&e, 0, sizeof e);
	ns = xstrdup_or_null(skube_ns(obj));
	name = xstrdup_or_null(skube_name(obj));
	if (name != NULL && skube_op_update(k, rt, ns, name, NULL, obj,
	    &skube_ctl_w, &out, &e) != 0)
		log_debug("controller update %s/%s: %s", rt->kind, name,
		    e.message);
	if (name == NULL)
		cJSON_Delete(obj);
	cJSON_Delete(out);
	skube_err_free(&e);
	free(ns);
	free(name);
}

/* Delete an object as a controller. */
void
skube_ctl_delete(struct sim_kube *k, struct skube_rtype *rt, const char *ns,
    const char *name)
{
	struct skube_err	 e;
	cJSON		*out = NULL;

	memset(&e, 0, sizeof e);
	skube_op_delete(k, rt, ns, name, NULL, &skube_ctl_w, &out, &e);
	cJSON_Delete(out);
	skube_err_free(&e);
}

/* Whether a pod is Ready. */
int
skube_ctl_pod_ready(const cJSON *pod)
{
	const cJSON	*c;

	cJSON_ArrayForEach(c, json_path(pod, "status.conditions")) {
		if (json_str(c, "type") != NULL &&
		    strcmp(json_str(c, "type"), "Ready") == 0)
			return json_str(c, "status") != NULL &&
			    strcmp(json_str(c, "status"), "True") == 0;
	}
	return 0;
}

/* A condition, keeping the old transition time when unchanged. */
cJSON *
skube_ctl_cond(const cJSON *oldconds, const char *type, int ok,
    const char *reason, const char *msg)
{
	cJSON		*c = cJSON_CreateObject();
	const cJSON	*o;
	const char	*status = ok ? "True" : "False", *t = NULL;
	char		 now[40];

	cJSON_ArrayForEach(o, oldconds) {
		if (json_str(o, "type") != NULL && strcmp(json_str(o, "type"),
		    type) == 0 && json_str(o, "status") != NULL &&
		    strcmp(json_str(o, "status"), status) == 0)
			t = json_str(o, "lastTransitionTime");
	}
	skube_now(now, sizeof now, 0);
	cJSON_AddStringToObject(c, "type", type);
	cJSON_AddStringToObject(c, "status", status);
	cJSON_AddStringToObject(c, "lastUpdateTime", t != NULL ? t : now);
	cJSON_AddStringToObject(c, "lastTransitionTime", t != NULL ? t : now);
	cJSON_AddStringToObject(c, "reason", reason);
	cJSON_AddStringToObject(c, "message", msg);
	return c;
}

/* Names of the objects of a store in namespace ns (NULL-terminated). */
static char **
skube_ctl_names(struct skube_store *st, const char *ns, size_t *n)
{
	char	**v = NULL, *prefix;
	size_t	  i;

	*n = 0;
	xasprintf(&prefix, "%s/", ns);
	for (i = skube_store_lower(st, prefix); i < st->n &&
	    strncmp(st->v[i].key, prefix, strlen(prefix)) == 0; i++) {
		v = xreallocarray(v, *n + 1, sizeof *v);
		v[(*n)++] = xstrdup(skube_name(st->v[i].obj));
	}
	free(prefix);
	return v;
}

/* Free a name list. */
static void
skube_ctl_names_free(char **v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* Delete everything in namespace ns; returns how many objects remain. */
static size_t
skube_ctl_empty_ns(struct sim_kube *k, const char *ns)
{
	struct skube_store	*st;
	struct skube_rtype	*rt;
	struct skube_entry	*ent;
	char			**names;
	size_t			  n, i, left = 0;

	for (st = k->stores; st != NULL; st = st->next) {
		if (!st->namespaced || (rt = skube_reg_storage(k, st)) == NULL)
			continue;
		names = skube_ctl_names(st, ns, &n);
		for (i = 0; i < n; i++) {
			ent = skube_store_find(st, ns, names[i]);
			if (ent != NULL && json_path(ent->obj,
			    "metadata.deletionTimestamp") == NULL)
				skube_ctl_delete(k, rt, ns, names[i]);
		}
		skube_ctl_names_free(names, n);
		names = skube_ctl_names(st, ns, &n);
		left += n;
		skube_ctl_names_free(names, n);
	}
	return left;
}

/* Finish terminating namespaces whose contents are gone. */
static void
skube_ctl_namespaces(struct sim_kube *k)
{
	struct skube_rtype	*rt = skube_ctl_type(k, "", "namespaces");
	struct skube_entry	*ent;
	cJSON			*gone;
	char			**names;
	size_t			  n, i;

	if (rt == NULL)
		return;
	names = skube_ctl_names(rt->store, "", &n);
	for (i = 0; i < n; i++) {
		ent = skube_store_find(rt->store, NULL, names[i]);
		if (ent == NULL || json_path(ent->obj,
		    "metadata.deletionTimestamp") == NULL)
			continue;
		if (skube_ctl_empty_ns(k, names[i]) > 0 ||
		    skube_has_finalizers(ent->obj))
			continue;
		gone = skube_store_remove(k, rt->store, ent);
		cJSON_Delete(gone);
	}
	skube_ctl_names_free(names, n);
}

/* Every active namespace gets a "default" ServiceAccount. */
static void
skube_ctl_serviceaccounts(struct sim_kube *k)
{
	struct skube_rtype	*nrt = skube_ctl_type(k, "", "namespaces");
	struct skube_rtype	*srt = skube_ctl_type(k, "", "serviceaccounts");
	char			**names;
	cJSON			*sa;
	size_t			  n, i;

	if (nrt == NULL || srt == NULL)
		return;
	names = skube_ctl_names(nrt->store, "", &n);
	for (i = 0; i < n; i++) {
		if (skube_store_find(srt->store, names[i], "default") != NULL ||
		    json_path(skube_store_find(nrt->store, NULL, names[i])->obj,
		    "metadata.deletionTimestamp") != NULL)
			continue;
		sa = cJSON_CreateObject();
		cJSON_AddStringToObject(skube_meta(sa), "name", "default");
		cJSON_AddStringToObject(skube_meta(sa), "namespace", names[i]);
		skube_ctl_create(k, srt, sa);
	}
	skube_ctl_names_free(names, n);
}

/* Next pod IP from 10.244.0.0/16. */
static void
skube_ctl_pod_ip(struct sim_kube *k, char *buf, size_t len)
{
	if (k->next_pod_ip < 2 || k->next_pod_ip > 65533)
		k->next_pod_ip = 2;
	snprintf(buf, len, "10.244.%u.%u", k->next_pod_ip >> 8,
	    k->next_pod_ip & 255);
	k->next_pod_ip++;
	if ((k->next_pod_ip & 255) == 0 || (k->next_pod_ip & 255) == 255)
		k->next_pod_ip = (k->next_pod_ip | 255) + 2;
}

/* Schedule a pod: node, IP, PodScheduled. */
static void
skube_ctl_schedule(struct sim_kube *k, cJSON *pod)
{
	cJSON	*st = skube_child(pod, "status", cJSON_Object), *ips, *ipo;
	char	 ip[32], now[40];

	skube_set_str(skube_child(pod, "spec", cJSON_Object), "nodeName",
	    KUBE_NODE_NAME);
	skube_ctl_pod_ip(k, ip, sizeof ip);
	skube_now(now, sizeof now, 0);
	skube_set_str(st, "phase", "Pending");
	skube_set_str(st, "hostIP", KUBE_NODE_IP);
	skube_set_str(st, "podIP", ip);
	ips = cJSON_CreateArray();
	ipo = cJSON_CreateObject();
	cJSON_AddStringToObject(ipo, "ip", ip);
	cJSON_AddItemToArray(ips, ipo);
	skube_set_item(st, "podIPs", ips);
	skube_set_str(st, "startTime", now);
	ips = cJSON_CreateArray();
	cJSON_AddItemToArray(ips, skube_ctl_cond(NULL, "PodScheduled", 1, "",
	    ""));
	skube_set_item(st, "conditions", ips);
}

/* Container statuses: every container running and ready. */
static cJSON *
skube_ctl_containers(const cJSON *pod, const char *now)
{
	cJSON		*arr = cJSON_CreateArray(), *cs, *run;
	const cJSON	*c;
	char		 id[80], hex[17];

	cJSON_ArrayForEach(c, json_path(pod, "spec.containers")) {
		cs = cJSON_CreateObject();
		snprintf(hex, sizeof hex, "%016llx",
		    (unsigned long long)rand_u64());
		snprintf(id, sizeof id, "containerd://%s%s", hex, hex);
		cJSON_AddStringToObject(cs, "name", json_str(c, "name") ?
		    json_str(c, "name") : "");
		cJSON_AddStringToObject(cs, "image", json_str(c, "image") ?
		    json_str(c, "image") : "");
		cJSON_AddStringToObject(cs, "imageID", "");
		cJSON_AddStringToObject(cs, "containerID", id);
		cJSON_AddBoolToObject(cs, "ready", 1);
		cJSON_AddBoolToObject(cs, "started", 1);
		cJSON_AddNumberToObject(cs, "restartCount", 0);
		run = cJSON_AddObjectToObject(cJSON_AddObjectToObject(cs,
		    "state"), "running");
		cJSON_AddStringToObject(run, "startedAt", now);
		cJSON_AddItemToArray(arr, cs);
	}
	return arr;
}

/* Start a scheduled pod: Running and Ready. */
static void
skube_ctl_run_pod(cJSON *pod)
{
	cJSON		*st = skube_child(pod, "status", cJSON_Object), *conds;
	const cJSON	*old = json_path(pod, "status.conditions");
	char		 now[40];

	skube_now(now, sizeof now, 0);
	skube_set_str(st, "phase", "Running");
	conds = cJSON_CreateArray();
	cJSON_AddItemToArray(conds, skube_ctl_cond(old,
	    "PodReadyToStartContainers", 1, "", ""));
	cJSON_AddItemToArray(conds, skube_ctl_cond(old, "Initialized", 1, "",
	    ""));
	cJSON_AddItemToArray(conds, skube_ctl_cond(old, "Ready", 1, "", ""));
	cJSON_AddItemToArray(conds, skube_ctl_cond(old, "ContainersReady", 1,
	    "", ""));
	cJSON_AddItemToArray(conds, skube_ctl_cond(old, "PodScheduled", 1, "",
	    ""));
	skube_set_item(st, "conditions", conds);
	skube_set_item(st, "containerStatuses", skube_ctl_containers(pod, now));
}

/* One pod's kubelet step; returns 1 when the entry was removed. */
static int
skube_ctl_pod(struct sim_kube *k, struct skube_rtype *prt,
    struct skube_entry *ent, uint64_t now)
{
	cJSON		*pod, *gone;
	const char	*phase = json_path_str(ent->obj, "status.phase");
	char		*uid;

	if (json_path(ent->obj, "metadata.deletionTimestamp") != NULL) {
		if (skube_has_finalizers(ent->obj) || now < ent->due_ms)
			return 0;
		uid = xstrdup_or_null(json_path_str(ent->obj, "metadata.uid"));
		gone = skube_store_remove(k, prt->store, ent);
		cJSON_Delete(gone);
		skube_op_gc(k, uid);
		free(uid);
		return 1;
	}
	if (json_path_str(ent->obj, "status.podIP") == NULL) {
		pod = cJSON_Duplicate(ent->obj, 1);
		skube_ctl_schedule(k, pod);
		ent->due_ms = now + k->pod_ready_ms;
		skube_ctl_update(k, prt, pod);
	} else if (phase != NULL && strcmp(phase, "Pending") == 0 &&
	    now >= ent->due_ms) {
		pod = cJSON_Duplicate(ent->obj, 1);
		skube_ctl_run_pod(pod);
		skube_ctl_update(k, prt, pod);
	}
	return 0;
}

/* The kubelet: schedule, start and finish deleting pods. */
static void
skube_ctl_kubelet(struct sim_kube *k)
{
	struct skube_rtype	*prt = skube_ctl_type(k, "", "pods");
	uint64_t		 now = skube_mono_ms();
	size_t			 i;

	if (prt == NULL)
		return;
	for (i = 0; i < prt->store->n;) {
		if (!skube_ctl_pod(k, prt, &prt->store->v[i], now))
			i++;
	}
}

/* A signature of the stores a controller reads: changes when any does. */
static uint64_t
skube_ctl_sig(struct sim_kube *k, const char *g1, const char *r1,
    const char *g2, const char *r2)
{
	struct skube_rtype	*a = skube_ctl_type(k, g1, r1);
	struct skube_rtype	*b = skube_ctl_type(k, g2, r2);
	uint64_t		 s = 0;

	if (a != NULL)
		s = skube_store_last_rv(a->store);
	if (b != NULL)
		s = s * 1000003ULL + skube_store_last_rv(b->store);
	return s;
}

/* One pass of every controller (lock held). The Deployment and
 * EndpointSlice controllers run only when their inputs changed. */
void
skube_ctl_pass(struct sim_kube *k)
{
	uint64_t	sig;

	skube_ctl_namespaces(k);
	skube_ctl_serviceaccounts(k);
	sig = skube_ctl_sig(k, "apps", "deployments", "", "pods");
	if (sig != k->ctl_dep_sig) {
		skube_ctl_deployments(k);
		k->ctl_dep_sig = sig;
	}
	skube_ctl_kubelet(k);
	sig = skube_ctl_sig(k, "", "services", "", "pods");
	if (sig != k->ctl_eps_sig) {
		skube_ctl_endpointslices(k);
		k->ctl_eps_sig = sig;
	}
}

/* The controller thread: a pass every tick until stopped. */
static void *
skube_ctl_main(void *arg)
{
	struct sim_kube	*k = arg;
	struct timespec	 ts;

	pthread_mutex_lock(&k->lock);
	while (!k->stopping) {
		skube_ctl_pass(k);
		clock_gettime(CLOCK_MONOTONIC, &ts);
		ts.tv_nsec += (long)k->tick_ms * 1000000L;
		ts.tv_sec += ts.tv_nsec / 1000000000L;
		ts.tv_nsec %= 1000000000L;
		pthread_cond_timedwait(&k->ctl_cond, &k->lock, &ts);
	}
	pthread_mutex_unlock(&k->lock);
	return NULL;
}

/* Start the controller thread (lock not held). */
void
skube_ctl_start(struct sim_kube *k)
{
	if (pthread_create(&k->ctl, NULL, skube_ctl_main, k) == 0)
		k->ctl_running = 1;
	else
		log_warn("cannot start the controller thread");
}

/* Stop and join the controller thread, end watches (lock not held). */
void
skube_ctl_stop(struct sim_kube *k)
{
	pthread_mutex_lock(&k->lock);
	k->stopping = 1;
	pthread_cond_broadcast(&k->changed);
	pthread_cond_broadcast(&k->ctl_cond);
	pthread_mutex_unlock(&k->lock);
	if (k->ctl_running)
		pthread_join(k->ctl, NULL);
	k->ctl_running = 0;
}

/* Create an object from JSON text as a controller (seeding). */
static void
skube_seed_obj(struct sim_kube *k, const char *group, const char *plural,
    const char *json)
{
	struct skube_rtype	*rt = skube_ctl_type(k, group, plural);
	cJSON			*obj = cJSON_Parse(json);

	if (rt != NULL && obj != NULL)
		skube_ctl_create(k, rt, obj);
	else
		cJSON_Delete(obj);
}

/* The objects a fresh cluster has: namespaces, a node, the kubernetes
 * service. */
void
skube_seed(struct sim_kube *k)
{
	static const char *const nss[] = { "default", "kube-system",
	    "kube-public", "kube-node-lease", NULL };
	char	*json;
	size_t	 i;

	for (i = 0; nss[i] != NULL; i++) {
		xasprintf(&json, "{\"metadata\":{\"name\":\"%s\"}}", nss[i]);
		skube_seed_obj(k, "", "namespaces", json);
		free(json);
	}
	skube_seed_obj(k, "", "nodes", "{\"metadata\":{\"name\":\""
	    KUBE_NODE_NAME "\",\"labels\":{\"kubernetes.io/hostname\":\""
	    KUBE_NODE_NAME "\","
	    "\"topology.kubernetes.io/zone\":\"us-west-2a\","
	    "\"nodegroup-type\":\"managed\"}},"
	    "\"spec\":{\"podCIDR\":\"10.244.0.0/16\"},"
	    "\"status\":{\"conditions\":[{\"type\":\"Ready\","
	    "\"status\":\"True\",\"reason\":\"KubeletReady\","
	    "\"message\":\"kubelet is posting ready status\"}],"
	    "\"addresses\":[{\"type\":\"InternalIP\","
	    "\"address\":\"" KUBE_NODE_IP "\"}],"
	    "\"nodeInfo\":{\"kubeletVersion\":\"v1.32.4\","
	    "\"osImage\":\"latticectl simulator\","
	    "\"containerRuntimeVersion\":\"containerd://1.7.0\","
	    "\"architecture\":\"amd64\",\"operatingSystem\":\"linux\"}}}");
	skube_seed_obj(k, "", "services", "{\"metadata\":{\"name\":"
	    "\"kubernetes\",\"namespace\":\"default\",\"labels\":{"
	    "\"component\":\"apiserver\",\"provider\":\"kubernetes\"}},"
	    "\"spec\":{\"clusterIP\":\"10.96.0.1\",\"ports\":[{\"name\":"
	    "\"https\",\"port\":443,\"protocol\":\"TCP\",\"targetPort\":"
	    "443}]}}");
}
