/* The project's own controller manifest (controller.mode latticectl):
 * minimal CRDs for the kinds the engine watches (schemas left open: a
 * real cluster should carry the official Gateway API CRDs, which are then
 * kept as they are), then the objects of the engine's
 * deploy/latticectl-controller.yaml restated (RBAC, leader election, the
 * ConfigMap of upstream variables, the Deployment running `latticectl
 * controller`, the metrics Service) with the lab's values. */
#include <stdlib.h>
#include <string.h>

#include "latticectl/json.h"
#include "latticectl/xmalloc.h"

#include "install_int.h"

#define GW_GROUP	"gateway.networking.k8s.io"
#define AN_GROUP	"application-networking.k8s.aws"
#define GW_APPROVED	"https://github.com/kubernetes-sigs/gateway-api/pull/4530"
/* Names shared with deploy/latticectl-controller.yaml. */
#define MF_ROLE		"latticectl-controller"
#define MF_LEADER	"latticectl-leader-election"
#define MF_CONFIG	"latticectl-controller-config"
#define MF_METRICS	"latticectl-controller-metrics"
#define MF_CONTAINER	"manager"

/* One CRD: group, kind, plural, short name, scope, served versions (the
 * first is stored), status subresource. */
static const struct mf_crd {
	const char	*group;
	const char	*kind;
	const char	*plural;
	const char	*short_name;
	int		 cluster;
	const char	*versions[3];
	int		 status;
} mf_crds[] = {
	{ GW_GROUP, "GatewayClass", "gatewayclasses", "gc", 1,
	    { "v1", "v1beta1", NULL }, 1 },
	{ GW_GROUP, "Gateway", "gateways", "gtw", 0,
	    { "v1", "v1beta1", NULL }, 1 },
	{ GW_GROUP, "HTTPRoute", "httproutes", NULL, 0,
	    { "v1", "v1beta1", NULL }, 1 },
	{ GW_GROUP, "GRPCRoute", "grpcroutes", NULL, 0,
	    { "v1", NULL, NULL }, 1 },
	{ GW_GROUP, "TLSRoute", "tlsroutes", NULL, 0,
	    { "v1", NULL, NULL }, 1 },
	{ GW_GROUP, "ReferenceGrant", "referencegrants", "refgrant", 0,
	    { "v1beta1", "v1", NULL }, 0 },
	{ AN_GROUP, "ServiceExport", "serviceexports", NULL, 0,
	    { "v1alpha1", NULL, NULL }, 0 },
	{ AN_GROUP, "ServiceImport", "serviceimports", NULL, 0,
	    { "v1alpha1", NULL, NULL }, 0 },
	{ AN_GROUP, "TargetGroupPolicy", "targetgrouppolicies", "tgp", 0,
	    { "v1alpha1", NULL, NULL }, 1 },
	{ AN_GROUP, "VpcAssociationPolicy", "vpcassociationpolicies", "vap", 0,
	    { "v1alpha1", NULL, NULL }, 1 },
	{ AN_GROUP, "AccessLogPolicy", "accesslogpolicies", "alp", 0,
	    { "v1alpha1", NULL, NULL }, 1 },
	{ AN_GROUP, "IAMAuthPolicy", "iamauthpolicies", "iap", 0,
	    { "v1alpha1", NULL, NULL }, 1 },
	{ AN_GROUP, "ServiceNetwork", "servicenetworks", "sn", 1,
	    { "v1alpha1", NULL, NULL }, 1 },
	{ NULL, NULL, NULL, NULL, 0, { NULL, NULL, NULL }, 0 }
};

/* An object with apiVersion, kind, metadata.name (and namespace). */
static cJSON *
mf_object(const char *api, const char *kind, const char *name,
    const char *ns, cJSON **md)
{
	cJSON	*o = cJSON_CreateObject(), *m;

	cJSON_AddStringToObject(o, "apiVersion", api);
	cJSON_AddStringToObject(o, "kind", kind);
	m = cJSON_AddObjectToObject(o, "metadata");
	cJSON_AddStringToObject(m, "name", name);
	json_add_str_opt(m, "namespace", ns);
	if (md != NULL)
		*md = m;
	return o;
}

/* The lower-case singular of a kind. */
static char *
mf_lower(const char *s)
{
	char	*l = xstrdup(s), *p;

	for (p = l; *p != '\0'; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return l;
}

/* One version entry with an open schema. */
static cJSON *
mf_version(const char *name, int storage, int status)
{
	cJSON	*v = cJSON_CreateObject(), *sch;

	cJSON_AddStringToObject(v, "name", name);
	cJSON_AddTrueToObject(v, "served");
	cJSON_AddBoolToObject(v, "storage", storage);
	sch = cJSON_AddObjectToObject(cJSON_AddObjectToObject(v, "schema"),
	    "openAPIV3Schema");
	cJSON_AddStringToObject(sch, "type", "object");
	cJSON_AddTrueToObject(sch, "x-kubernetes-preserve-unknown-fields");
	if (status)
		cJSON_AddObjectToObject(cJSON_AddObjectToObject(v,
		    "subresources"), "status");
	return v;
}

/* A CustomResourceDefinition from a table row. */
static cJSON *
mf_crd(const struct mf_crd *c)
{
	cJSON	*o, *md, *spec, *names, *vs, *ann;
	char	*name, *s;
	size_t	 i;

	xasprintf(&name, "%s.%s", c->plural, c->group);
	o = mf_object("apiextensions.k8s.io/v1", "CustomResourceDefinition",
	    name, NULL, &md);
	free(name);
	ann = cJSON_AddObjectToObject(md, "annotations");
	if (strcmp(c->group, GW_GROUP) == 0)
		cJSON_AddStringToObject(ann, "api-approved.kubernetes.io",
		    GW_APPROVED);
	cJSON_AddStringToObject(ann, "latticectl/schema", "open (practice "
	    "lab); existing CRDs are kept");
	spec = cJSON_AddObjectToObject(o, "spec");
	cJSON_AddStringToObject(spec, "group", c->group);
	names = cJSON_AddObjectToObject(spec, "names");
	cJSON_AddStringToObject(names, "kind", c->kind);
	xasprintf(&s, "%sList", c->kind);
	cJSON_AddStringToObject(names, "listKind", s);
	free(s);
	cJSON_AddStringToObject(names, "plural", c->plural);
	s = mf_lower(c->kind);
	cJSON_AddStringToObject(names, "singular", s);
	free(s);
	if (c->short_name != NULL)
		cJSON_AddItemToObject(names, "shortNames",
		    cJSON_CreateStringArray(&c->short_name, 1));
	cJSON_AddStringToObject(spec, "scope", c->cluster ? "Cluster" :
	    "Namespaced");
	vs = cJSON_AddArrayToObject(spec, "versions");
	for (i = 0; i < 3 && c->versions[i] != NULL; i++)
		cJSON_AddItemToArray(vs, mf_version(c->versions[i], i == 0,
		    c->status));
	return o;
}

/* One RBAC rule. */
static cJSON *
mf_rule(const char *group, const char *resources, const char *verbs)
{
	cJSON	*r = cJSON_CreateObject(), *a;
	char	*copy, *tok, *save = NULL;
	int	 k;

	cJSON_AddItemToObject(r, "apiGroups", cJSON_CreateStringArray(&group,
	    1));
	for (k = 0; k < 2; k++) {
		a = cJSON_AddArrayToObject(r, k == 0 ? "resources" : "verbs");
		copy = xstrdup(k == 0 ? resources : verbs);
		for (tok = strtok_r(copy, ",", &save); tok != NULL;
		    tok = strtok_r(NULL, ",", &save))
			cJSON_AddItemToArray(a, cJSON_CreateString(tok));
		free(copy);
	}
	return r;
}

/* metadata.labels app.kubernetes.io/name: latticectl. */
static void
mf_label(cJSON *md)
{
	cJSON_AddStringToObject(cJSON_AddObjectToObject(md, "labels"),
	    "app.kubernetes.io/name", "latticectl");
}

/* The ClusterRole the engine needs (as deploy/latticectl-controller.yaml
 * grants it). */
static cJSON *
mf_role(void)
{
	const char	*rw = "get,list,watch,update,patch";
	cJSON		*o, *md, *rules;

	o = mf_object("rbac.authorization.k8s.io/v1", "ClusterRole",
	    MF_ROLE, NULL, &md);
	mf_label(md);
	rules = cJSON_AddArrayToObject(o, "rules");
	cJSON_AddItemToArray(rules, mf_rule("", "namespaces,services,pods",
	    "get,list,watch"));
	cJSON_AddItemToArray(rules, mf_rule("", "events",
	    "create,patch,update"));
	cJSON_AddItemToArray(rules, mf_rule("events.k8s.io", "events",
	    "create,patch,update"));
	cJSON_AddItemToArray(rules, mf_rule("discovery.k8s.io",
	    "endpointslices", "get,list,watch"));
	cJSON_AddItemToArray(rules, mf_rule(GW_GROUP, "gatewayclasses,"
	    "gateways,httproutes,grpcroutes,tlsroutes,referencegrants", rw));
	cJSON_AddItemToArray(rules, mf_rule(GW_GROUP, "gatewayclasses/status,"
	    "gateways/status,httproutes/status,grpcroutes/status,"
	    "tlsroutes/status", "get,update,patch"));
	cJSON_AddItemToArray(rules, mf_rule(GW_GROUP, "gateways/finalizers,"
	    "httproutes/finalizers,grpcroutes/finalizers,"
	    "tlsroutes/finalizers", "update"));
	cJSON_AddItemToArray(rules, mf_rule(AN_GROUP, "serviceexports,"
	    "serviceimports,targetgrouppolicies,vpcassociationpolicies,"
	    "accesslogpolicies,iamauthpolicies,servicenetworks", rw));
	cJSON_AddItemToArray(rules, mf_rule(AN_GROUP, "serviceexports/status,"
	    "serviceimports/status,targetgrouppolicies/status,"
	    "vpcassociationpolicies/status,accesslogpolicies/status,"
	    "iamauthpolicies/status,servicenetworks/status,"
	    "serviceexports/finalizers,serviceimports/finalizers,"
	    "servicenetworks/finalizers", "get,update,patch"));
	return o;
}

/* A (Cluster)RoleBinding of a (Cluster)Role to the lab's account. */
static cJSON *
mf_binding(const char *kind, const char *role, const char *name,
    const struct lab_config *lab)
{
	cJSON	*o, *md, *ref, *s;

	o = mf_object("rbac.authorization.k8s.io/v1", kind, name,
	    strcmp(kind, "RoleBinding") == 0 ? lab->ns : NULL, &md);
	mf_label(md);
	ref = cJSON_AddObjectToObject(o, "roleRef");
	cJSON_AddStringToObject(ref, "apiGroup", "rbac.authorization.k8s.io");
	cJSON_AddStringToObject(ref, "kind", role);
	cJSON_AddStringToObject(ref, "name", name);
	s = cJSON_CreateObject();
	cJSON_AddStringToObject(s, "kind", "ServiceAccount");
	cJSON_AddStringToObject(s, "name", lab->service_account);
	cJSON_AddStringToObject(s, "namespace", lab->ns);
	cJSON_AddItemToArray(cJSON_AddArrayToObject(o, "subjects"), s);
	return o;
}

/* The leader-election Role (Leases in the lab's namespace). */
static cJSON *
mf_leader_role(const struct lab_config *lab)
{
	cJSON	*o, *md;

	o = mf_object("rbac.authorization.k8s.io/v1", "Role", MF_LEADER,
	    lab->ns, &md);
	mf_label(md);
	cJSON_AddItemToArray(cJSON_AddArrayToObject(o, "rules"), mf_rule(
	    "coordination.k8s.io", "leases", "get,create,update"));
	return o;
}

/* The ConfigMap of the upstream controller's variables (values filled in
 * by install_lab_values). */
static cJSON *
mf_config(const struct lab_config *lab)
{
	static const char *const keys[] = { "REGION", "CLUSTER_NAME",
	    "CLUSTER_VPC_ID", "AWS_ACCOUNT_ID", "DEFAULT_SERVICE_NETWORK",
	    "ENABLE_SERVICE_NETWORK_OVERRIDE", "LATTICE_ENDPOINT", "LOG_LEVEL",
	    NULL };
	cJSON	*o, *md, *data;
	size_t	 i;

	o = mf_object("v1", "ConfigMap", MF_CONFIG, lab->ns, &md);
	mf_label(md);
	data = cJSON_AddObjectToObject(o, "data");
	for (i = 0; keys[i] != NULL; i++)
		cJSON_AddStringToObject(data, keys[i], "");
	cJSON_AddStringToObject(data, "ROUTE_MAX_CONCURRENT_RECONCILES", "4");
	cJSON_AddStringToObject(data, "RECONCILE_DEFAULT_RESYNC_SECONDS",
	    "300");
	return o;
}

/* The labels every piece of the Deployment carries. */
static cJSON *
mf_labels(const struct lab_config *lab, int selector)
{
	cJSON	*l = cJSON_CreateObject();

	cJSON_AddStringToObject(l, "app.kubernetes.io/name", "latticectl");
	cJSON_AddStringToObject(l, "app.kubernetes.io/instance",
	    lab->controller.release);
	if (!selector)
		cJSON_AddStringToObject(l, "control-plane",
		    "gateway-api-controller");
	return l;
}

/* A probe on the health port. */
static cJSON *
mf_probe(const char *path, int delay, int period)
{
	cJSON	*p = cJSON_CreateObject(), *g;

	g = cJSON_AddObjectToObject(p, "httpGet");
	cJSON_AddStringToObject(g, "path", path);
	cJSON_AddStringToObject(g, "port", "health");
	cJSON_AddNumberToObject(p, "initialDelaySeconds", delay);
	cJSON_AddNumberToObject(p, "periodSeconds", period);
	return p;
}

/* A named container port. */
static cJSON *
mf_port(const char *name, int port)
{
	cJSON	*p = cJSON_CreateObject();

	cJSON_AddStringToObject(p, "name", name);
	cJSON_AddNumberToObject(p, "containerPort", port);
	return p;
}

/* The controller container (`latticectl controller`). */
static cJSON *
mf_container(const struct lab_config *lab)
{
	static const char *const args[] = { "controller", "--leader-elect",
	    "--metrics-addr", ":8080", "--health-addr", ":8081" };
	cJSON	*c = cJSON_CreateObject(), *ef, *ports;

	cJSON_AddStringToObject(c, "name", MF_CONTAINER);
	cJSON_AddStringToObject(c, "image", lab->controller.image);
	cJSON_AddItemToObject(c, "args", cJSON_CreateStringArray(args, 6));
	ef = cJSON_CreateObject();
	cJSON_AddStringToObject(cJSON_AddObjectToObject(ef, "configMapRef"),
	    "name", MF_CONFIG);
	cJSON_AddItemToArray(cJSON_AddArrayToObject(c, "envFrom"), ef);
	ports = cJSON_AddArrayToObject(c, "ports");
	cJSON_AddItemToArray(ports, mf_port("metrics", 8080));
	cJSON_AddItemToArray(ports, mf_port("health", 8081));
	cJSON_AddItemToObject(c, "livenessProbe", mf_probe("/healthz", 15,
	    20));
	cJSON_AddItemToObject(c, "readinessProbe", mf_probe("/readyz", 5, 10));
	return c;
}

/* The Deployment. */
static cJSON *
mf_deployment(const struct lab_config *lab)
{
	cJSON	*o, *md, *spec, *tpl, *ps;

	o = mf_object("apps/v1", "Deployment", lab->controller.release,
	    lab->ns, &md);
	cJSON_AddItemToObject(md, "labels", mf_labels(lab, 0));
	spec = cJSON_AddObjectToObject(o, "spec");
	cJSON_AddNumberToObject(spec, "replicas", lab->controller.replicas);
	cJSON_AddItemToObject(cJSON_AddObjectToObject(spec, "selector"),
	    "matchLabels", mf_labels(lab, 1));
	tpl = cJSON_AddObjectToObject(spec, "template");
	cJSON_AddItemToObject(cJSON_AddObjectToObject(tpl, "metadata"),
	    "labels", mf_labels(lab, 0));
	ps = cJSON_AddObjectToObject(tpl, "spec");
	cJSON_AddStringToObject(ps, "serviceAccountName",
	    lab->service_account);
	cJSON_AddNumberToObject(ps, "terminationGracePeriodSeconds", 10);
	cJSON_AddTrueToObject(cJSON_AddObjectToObject(ps, "securityContext"),
	    "runAsNonRoot");
	cJSON_AddItemToArray(cJSON_AddArrayToObject(ps, "containers"),
	    mf_container(lab));
	return o;
}

/* The metrics Service. */
static cJSON *
mf_service(const struct lab_config *lab)
{
	cJSON	*o, *md, *spec, *p;

	o = mf_object("v1", "Service", MF_METRICS, lab->ns, &md);
	mf_label(md);
	spec = cJSON_AddObjectToObject(o, "spec");
	cJSON_AddItemToObject(spec, "selector", mf_labels(lab, 1));
	p = cJSON_CreateObject();
	cJSON_AddStringToObject(p, "name", "metrics");
	cJSON_AddNumberToObject(p, "port", 8080);
	cJSON_AddStringToObject(p, "targetPort", "metrics");
	cJSON_AddItemToArray(cJSON_AddArrayToObject(spec, "ports"), p);
	return o;
}

/* Set data[key] of a ConfigMap when value is set. */
static void
mf_set(cJSON *data, const char *key, const char *value)
{
	if (value == NULL)
		return;
	cJSON_DeleteItemFromObjectCaseSensitive(data, key);
	cJSON_AddStringToObject(data, key, value);
}

/* The lab's values in a latticectl manifest (ours or
 * deploy/latticectl-controller.yaml): the ConfigMap of variables, the
 * Deployment's image and replicas. */
void
install_lab_values(cJSON *objs, const struct lab_config *lab,
    const char *region, const char *account, const char *vpc_id)
{
	cJSON	*o, *data, *c, *spec;

	cJSON_ArrayForEach(o, objs) {
		if (kapply_is(o, "ConfigMap") && json_path_str(o,
		    "metadata.name") != NULL && strcmp(json_path_str(o,
		    "metadata.name"), MF_CONFIG) == 0) {
			if ((data = cJSON_GetObjectItem(o, "data")) == NULL)
				data = cJSON_AddObjectToObject(o, "data");
			mf_set(data, "REGION", region);
			mf_set(data, "CLUSTER_NAME", lab->cluster.name);
			mf_set(data, "CLUSTER_VPC_ID", vpc_id);
			mf_set(data, "AWS_ACCOUNT_ID", account);
			mf_set(data, "DEFAULT_SERVICE_NETWORK",
			    lab->controller.default_sn);
			mf_set(data, "LOG_LEVEL", lab->log_level);
		}
		if (!kapply_is(o, "Deployment"))
			continue;
		if ((spec = cJSON_GetObjectItem(o, "spec")) == NULL)
			continue;
		cJSON_DeleteItemFromObjectCaseSensitive(spec, "replicas");
		cJSON_AddNumberToObject(spec, "replicas",
		    lab->controller.replicas);
		cJSON_ArrayForEach(c, json_path(o,
		    "spec.template.spec.containers")) {
			if (json_str(c, "name") == NULL ||
			    strcmp(json_str(c, "name"), MF_CONTAINER) != 0)
				continue;
			cJSON_DeleteItemFromObjectCaseSensitive(c, "image");
			cJSON_AddStringToObject(c, "image",
			    lab->controller.image);
		}
	}
}

/* The minimal CRDs (an array). */
cJSON *
install_lab_crds(void)
{
	cJSON	*a = cJSON_CreateArray();
	size_t	 i;

	for (i = 0; mf_crds[i].group != NULL; i++)
		cJSON_AddItemToArray(a, mf_crd(&mf_crds[i]));
	return a;
}

/* The whole manifest, in apply order, with the lab's values. */
cJSON *
install_lab_manifest(const struct lab_config *lab, const char *region,
    const char *account, const char *vpc_id)
{
	cJSON	*a = install_lab_crds();

	cJSON_AddItemToArray(a, mf_role());
	cJSON_AddItemToArray(a, mf_binding("ClusterRoleBinding", "ClusterRole",
	    MF_ROLE, lab));
	cJSON_AddItemToArray(a, mf_leader_role(lab));
	cJSON_AddItemToArray(a, mf_binding("RoleBinding", "Role", MF_LEADER,
	    lab));
	cJSON_AddItemToArray(a, mf_config(lab));
	cJSON_AddItemToArray(a, mf_deployment(lab));
	cJSON_AddItemToArray(a, mf_service(lab));
	install_lab_values(a, lab, region, account, vpc_id);
	return a;
}
