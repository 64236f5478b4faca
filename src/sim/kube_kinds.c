/* sim_kube per-kind behaviour: defaults and validation of built-in kinds,
 * CRD registration, the two views of events. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/json.h"
#include "latticectl/xmalloc.h"
#include "kube_int.h"

/* Field renames between core v1 and events.k8s.io/v1 events. */
static const char *const skube_event_fields[][2] = {
	{ "involvedObject", "regarding" },
	{ "message", "note" },
	{ "source", "deprecatedSource" },
	{ "firstTimestamp", "deprecatedFirstTimestamp" },
	{ "lastTimestamp", "deprecatedLastTimestamp" },
	{ "count", "deprecatedCount" },
	{ "reportingComponent", "reportingController" },
	{ NULL, NULL }
};

/* Rename member from -> to (dropping an existing "to"). */
static void
skube_rename(cJSON *obj, const char *from, const char *to)
{
	cJSON	*v = cJSON_DetachItemFromObjectCaseSensitive(obj, from);

	if (v != NULL)
		skube_set_item(obj, to, v);
}

/* events.k8s.io shape -> stored (core) shape. */
void
skube_event_to_core(cJSON *obj)
{
	size_t	i;

	for (i = 0; skube_event_fields[i][0] != NULL; i++)
		skube_rename(obj, skube_event_fields[i][1],
		    skube_event_fields[i][0]);
}

/* Stored (core) shape -> events.k8s.io shape. */
void
skube_event_to_events(cJSON *obj)
{
	size_t	i;

	for (i = 0; skube_event_fields[i][0] != NULL; i++)
		skube_rename(obj, skube_event_fields[i][0],
		    skube_event_fields[i][1]);
}

/* Set key to a default when missing. */
static void
skube_default_str(cJSON *obj, const char *key, const char *val)
{
	if (!skube_has(obj, key))
		cJSON_AddStringToObject(obj, key, val);
}

/* Set key to a numeric default when missing. */
static void
skube_default_num(cJSON *obj, const char *key, double val)
{
	if (!skube_has(obj, key))
		cJSON_AddNumberToObject(obj, key, val);
}

/* Namespace: finalizer, phase, name label. */
static void
skube_ns_defaults(struct sim_kube *k, const struct skube_rtype *rt, cJSON *obj,
    const cJSON *old)
{
	cJSON	*spec, *st, *labels, *fin;

	(void)k;
	(void)rt;
	spec = skube_child(obj, "spec", cJSON_Object);
	fin = skube_child(spec, "finalizers", cJSON_Array);
	if (old == NULL && cJSON_GetArraySize(fin) == 0)
		cJSON_AddItemToArray(fin, cJSON_CreateString("kubernetes"));
	st = skube_child(obj, "status", cJSON_Object);
	skube_default_str(st, "phase", "Active");
	labels = skube_child(skube_meta(obj), "labels", cJSON_Object);
	skube_set_str(labels, "kubernetes.io/metadata.name", skube_name(obj));
}

/* Next service ClusterIP from 10.96.0.0/12 (skipping .0 and .1). */
static void
skube_next_svc_ip(struct sim_kube *k, char *buf, size_t len)
{
	uint32_t	ip;

	if (k->next_svc_ip < 10 || k->next_svc_ip >= (1u << 20) - 1)
		k->next_svc_ip = 10;
	ip = (10u << 24 | 96u << 16) + k->next_svc_ip++;
	snprintf(buf, len, "%u.%u.%u.%u", ip >> 24, (ip >> 16) & 255,
	    (ip >> 8) & 255, ip & 255);
}

/* Service ports: protocol and targetPort defaults. */
static void
skube_svc_ports(cJSON *spec)
{
	cJSON		*p;
	const cJSON	*port;

	cJSON_ArrayForEach(p, json_path(spec, "ports")) {
		if (!cJSON_IsObject(p))
			continue;
		skube_default_str(p, "protocol", "TCP");
		port = cJSON_GetObjectItemCaseSensitive(p, "port");
		if (!skube_has(p, "targetPort") && cJSON_IsNumber(port))
			cJSON_AddNumberToObject(p, "targetPort",
			    port->valuedouble);
	}
}

/* Service: type, ClusterIP (kept across updates), ports. */
static void
skube_svc_defaults(struct sim_kube *k, const struct skube_rtype *rt, cJSON *obj,
    const cJSON *old)
{
	cJSON		*spec = skube_child(obj, "spec", cJSON_Object), *ips;
	const char	*ip, *type;
	char		 buf[32];

	(void)rt;
	skube_default_str(spec, "type", "ClusterIP");
	type = json_str(spec, "type");
	ip = json_str(spec, "clusterIP");
	if ((ip == NULL || *ip == '\0') && old != NULL &&
	    json_path_str(old, "spec.clusterIP") != NULL)
		skube_set_str(spec, "clusterIP",
		    json_path_str(old, "spec.clusterIP"));
	else if ((ip == NULL || *ip == '\0') && type != NULL &&
	    strcmp(type, "ExternalName") != 0) {
		skube_next_svc_ip(k, buf, sizeof buf);
		skube_set_str(spec, "clusterIP", buf);
	}
	if ((ip = json_str(spec, "clusterIP")) != NULL &&
	    !skube_has(spec, "clusterIPs")) {
		ips = cJSON_AddArrayToObject(spec, "clusterIPs");
		cJSON_AddItemToArray(ips, cJSON_CreateString(ip));
	}
	skube_default_str(spec, "sessionAffinity", "None");
	skube_default_str(spec, "internalTrafficPolicy", "Cluster");
	skube_default_str(spec, "ipFamilyPolicy", "SingleStack");
	if (!skube_has(spec, "ipFamilies"))
		cJSON_AddItemToArray(cJSON_AddArrayToObject(spec, "ipFamilies"),
		    cJSON_CreateString("IPv4"));
	skube_svc_ports(spec);
	skube_child(skube_child(obj, "status", cJSON_Object), "loadBalancer",
	    cJSON_Object);
}

/* Set a 422 Invalid error about one field. */
static int
skube_invalid(struct skube_err *e, const struct skube_rtype *rt,
    const cJSON *obj, const char *field, const char *what)
{
	const char	*name = skube_name(obj);

	skube_err_set(e, 422, "Invalid", "%s \"%s\" is invalid: %s: %s",
	    rt->kind, name != NULL ? name : "", field, what);
	skube_err_cause(e, "FieldValueInvalid", field, what);
	skube_err_details(e, rt->group, rt->kind, name);
	return -1;
}

/* Service: every port needs a number in range. */
static int
skube_svc_validate(struct sim_kube *k, const struct skube_rtype *rt,
    const cJSON *obj, const cJSON *old, struct skube_err *e)
{
	const cJSON	*p;
	double		 port;

	(void)k;
	(void)old;
	cJSON_ArrayForEach(p, json_path(obj, "spec.ports")) {
		port = json_num(p, "port", -1);
		if (port < 1 || port > 65535)
			return skube_invalid(e, rt, obj, "spec.ports[].port",
			    "Invalid value: must be between 1 and 65535, "
			    "inclusive");
	}
	return 0;
}

/* Containers need a name and an image. */
static int
skube_check_containers(const struct skube_rtype *rt, const cJSON *obj,
    const cJSON *spec, const char *field, struct skube_err *e)
{
	const cJSON	*c, *list = json_path(spec, "containers");
	char		 f[96];

	snprintf(f, sizeof f, "%s.containers", field);
	if (cJSON_GetArraySize(list) == 0)
		return skube_invalid(e, rt, obj, f, "Required value");
	cJSON_ArrayForEach(c, list) {
		if (json_str(c, "name") == NULL || json_str(c, "image") == NULL)
			return skube_invalid(e, rt, obj, f,
			    "Required value: name and image");
	}
	return 0;
}

/* Pod: status and spec defaults. */
static void
skube_pod_defaults(struct sim_kube *k, const struct skube_rtype *rt, cJSON *obj,
    const cJSON *old)
{
	cJSON	*spec = skube_child(obj, "spec", cJSON_Object), *c;

	(void)k;
	(void)rt;
	skube_default_str(spec, "restartPolicy", "Always");
	skube_default_str(spec, "dnsPolicy", "ClusterFirst");
	skube_default_str(spec, "schedulerName", "default-scheduler");
	skube_default_num(spec, "terminationGracePeriodSeconds", 30);
	cJSON_ArrayForEach(c, json_path(spec, "containers")) {
		if (cJSON_IsObject(c))
			skube_default_str(c, "imagePullPolicy", "IfNotPresent");
	}
	if (old == NULL && !skube_has(obj, "status")) {
		c = cJSON_AddObjectToObject(obj, "status");
		cJSON_AddStringToObject(c, "phase", "Pending");
		cJSON_AddStringToObject(c, "qosClass", "BestEffort");
	}
}

/* Pod: containers required. */
static int
skube_pod_validate(struct sim_kube *k, const struct skube_rtype *rt,
    const cJSON *obj, const cJSON *old, struct skube_err *e)
{
	(void)k;
	(void)old;
	return skube_check_containers(rt, obj, json_path(obj, "spec"), "spec",
	    e);
}

/* Deployment: replicas, strategy and the like. */
static void
skube_deploy_defaults(struct sim_kube *k, const struct skube_rtype *rt,
    cJSON *obj, const cJSON *old)
{
	cJSON	*spec = skube_child(obj, "spec", cJSON_Object), *strat, *ru;

	(void)k;
	(void)rt;
	(void)old;
	skube_default_num(spec, "replicas", 1);
	skube_default_num(spec, "revisionHistoryLimit", 10);
	skube_default_num(spec, "progressDeadlineSeconds", 600);
	strat = skube_child(spec, "strategy", cJSON_Object);
	skube_default_str(strat, "type", "RollingUpdate");
	if (strcmp(json_str(strat, "type") != NULL ? json_str(strat, "type") :
	    "", "RollingUpdate") == 0) {
		ru = skube_child(strat, "rollingUpdate", cJSON_Object);
		skube_default_str(ru, "maxSurge", "25%");
		skube_default_str(ru, "maxUnavailable", "25%");
	}
}

/* Deployment: selector present and matching the template labels. */
static int
skube_deploy_validate(struct sim_kube *k, const struct skube_rtype *rt,
    const cJSON *obj, const cJSON *old, struct skube_err *e)
{
	const cJSON	*ml = json_path(obj, "spec.selector.matchLabels");
	const cJSON	*tl = json_path(obj, "spec.template.metadata.labels");
	const cJSON	*it;
	const char	*v;

	(void)k;
	(void)old;
	if (!cJSON_IsObject(json_path(obj, "spec.selector")))
		return skube_invalid(e, rt, obj, "spec.selector", "Required "
		    "value");
	cJSON_ArrayForEach(it, ml) {
		v = json_str(tl, it->string);
		if (!cJSON_IsString(it) || v == NULL ||
		    strcmp(v, it->valuestring) != 0)
			return skube_invalid(e, rt, obj,
			    "spec.template.metadata.labels", "Invalid value: "
			    "`selector` does not match template `labels`");
	}
	return skube_check_containers(rt, obj,
	    json_path(obj, "spec.template.spec"), "spec.template.spec", e);
}

/* Secret: stringData folded into data (base64), type Opaque. */
static void
skube_secret_defaults(struct sim_kube *k, const struct skube_rtype *rt,
    cJSON *obj, const cJSON *old)
{
	cJSON	*sd, *data, *it;
	char	*b64;

	(void)k;
	(void)rt;
	(void)old;
	skube_default_str(obj, "type", "Opaque");
	sd = cJSON_DetachItemFromObjectCaseSensitive(obj, "stringData");
	if (sd == NULL)
		return;
	data = skube_child(obj, "data", cJSON_Object);
	cJSON_ArrayForEach(it, sd) {
		if (!cJSON_IsString(it))
			continue;
		b64 = skube_b64(it->valuestring, strlen(it->valuestring));
		skube_set_str(data, it->string, b64);
		free(b64);
	}
	cJSON_Delete(sd);
}

/* EndpointSlice: addressType required. */
static int
skube_eps_validate(struct sim_kube *k, const struct skube_rtype *rt,
    const cJSON *obj, const cJSON *old, struct skube_err *e)
{
	(void)k;
	(void)old;
	if (json_str(obj, "addressType") == NULL)
		return skube_invalid(e, rt, obj, "addressType", "Required "
		    "value");
	return 0;
}

/* CRD: checked against the registry. */
static int
skube_crd_validate(struct sim_kube *k, const struct skube_rtype *rt,
    const cJSON *obj, const cJSON *old, struct skube_err *e)
{
	(void)rt;
	(void)old;
	return skube_reg_check_crd(k, obj, e);
}

/* One True condition. */
static cJSON *
skube_condition(const char *type, const char *reason, const char *msg)
{
	cJSON	*c = cJSON_CreateObject();
	char	 now[40];

	skube_now(now, sizeof now, 0);
	cJSON_AddStringToObject(c, "type", type);
	cJSON_AddStringToObject(c, "status", "True");
	cJSON_AddStringToObject(c, "lastTransitionTime", now);
	cJSON_AddStringToObject(c, "reason", reason);
	cJSON_AddStringToObject(c, "message", msg);
	return c;
}

/* CRD: accepted names, Established, stored versions. */
static void
skube_crd_defaults(struct sim_kube *k, const struct skube_rtype *rt, cJSON *obj,
    const cJSON *old)
{
	cJSON		*st, *conds, *sv;
	const cJSON	*v;

	(void)k;
	(void)rt;
	(void)old;
	st = skube_child(obj, "status", cJSON_Object);
	conds = cJSON_CreateArray();
	cJSON_AddItemToArray(conds, skube_condition("NamesAccepted",
	    "NoConflicts", "no conflicts found"));
	cJSON_AddItemToArray(conds, skube_condition("Established",
	    "InitialNamesAccepted", "the initial names have been accepted"));
	skube_set_item(st, "conditions", conds);
	if (json_path(obj, "spec.names") != NULL)
		skube_set_item(st, "acceptedNames",
		    cJSON_Duplicate(json_path(obj, "spec.names"), 1));
	sv = cJSON_CreateArray();
	cJSON_ArrayForEach(v, json_path(obj, "spec.versions")) {
		if (json_bool(v, "storage", 0) && json_str(v, "name") != NULL)
			cJSON_AddItemToArray(sv, cJSON_CreateString(json_str(v,
			    "name")));
	}
	skube_set_item(st, "storedVersions", sv);
}

/* CRD committed: serve its kinds, or drop them and their objects. */
static void
skube_crd_committed(struct sim_kube *k, const struct skube_rtype *rt,
    const cJSON *obj, const cJSON *old)
{
	struct skube_rtype	*crt;
	struct skube_err		 e;
	cJSON			*gone;

	(void)rt;
	memset(&e, 0, sizeof e);
	if (obj != NULL) {
		skube_reg_crd(k, obj, &e);
		skube_err_free(&e);
		return;
	}
	for (crt = k->types; crt != NULL; crt = crt->next) {
		if (crt->crd == NULL || skube_name(old) == NULL ||
		    strcmp(crt->crd, skube_name(old)) != 0 || !crt->active)
			continue;
		while (crt->store->n > 0) {
			gone = skube_store_remove(k, crt->store,
			    &crt->store->v[crt->store->n - 1]);
			cJSON_Delete(gone);
		}
	}
	skube_reg_uncrd(k, skube_name(old));
}

static const struct skube_kind_ops skube_ops_ns = {
	skube_ns_defaults, NULL, NULL
};
static const struct skube_kind_ops skube_ops_svc = {
	skube_svc_defaults, skube_svc_validate, NULL
};
static const struct skube_kind_ops skube_ops_pod = {
	skube_pod_defaults, skube_pod_validate, NULL
};
static const struct skube_kind_ops skube_ops_deploy = {
	skube_deploy_defaults, skube_deploy_validate, NULL
};
static const struct skube_kind_ops skube_ops_secret = {
	skube_secret_defaults, NULL, NULL
};
static const struct skube_kind_ops skube_ops_eps = {
	NULL, skube_eps_validate, NULL
};
static const struct skube_kind_ops skube_ops_crd = {
	skube_crd_defaults, skube_crd_validate, skube_crd_committed
};

/* The behaviour of a built-in kind, or NULL. */
const struct skube_kind_ops *
skube_kind_ops(const char *group, const char *kind)
{
	if (*group == '\0' && strcmp(kind, "Namespace") == 0)
		return &skube_ops_ns;
	if (*group == '\0' && strcmp(kind, "Service") == 0)
		return &skube_ops_svc;
	if (*group == '\0' && strcmp(kind, "Pod") == 0)
		return &skube_ops_pod;
	if (*group == '\0' && strcmp(kind, "Secret") == 0)
		return &skube_ops_secret;
	if (strcmp(group, "apps") == 0 && strcmp(kind, "Deployment") == 0)
		return &skube_ops_deploy;
	if (strcmp(group, "discovery.k8s.io") == 0)
		return &skube_ops_eps;
	if (strcmp(group, "apiextensions.k8s.io") == 0)
		return &skube_ops_crd;
	return NULL;
}
