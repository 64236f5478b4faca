/* doctor, cluster side: the controller Deployment, the GatewayClass and
 * its leader, one controller only; the facts (cluster name, VPC,
 * ServiceAccount) read from the controller's configuration. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/error.h"
#include "latticectl/json.h"
#include "latticectl/kutil.h"
#include "latticectl/strbuf.h"
#include "latticectl/upstream.h"
#include "latticectl/xmalloc.h"

#include "doctor_int.h"

#define DOC_LEASE_CHURN	5	/* leader changes that look like a fight */

/* Is a Deployment one of the Lattice controllers (ours or upstream's)? */
static int
doc_is_controller(const cJSON *dep)
{
	const cJSON	*lb = json_path(dep, "metadata.labels");
	const char	*name = json_path_str(dep, "metadata.name");
	const char	*v;

	if (name != NULL && strcmp(name, DOCTOR_CTL_NAME) == 0)
		return 1;
	if ((v = json_str(lb, "app.kubernetes.io/instance")) != NULL &&
	    strcmp(v, DOCTOR_CTL_NAME) == 0)
		return 1;
	if ((v = json_str(lb, "control-plane")) != NULL &&
	    strcmp(v, DOCTOR_CTL_NAME) == 0)
		return 1;
	return (v = json_str(lb, "app.kubernetes.io/name")) != NULL &&
	    strcmp(v, "aws-gateway-controller-chart") == 0;
}

/* "ns/name" of an object (caller frees). */
static char *
doc_nsname(const cJSON *o)
{
	char	*s;

	xasprintf(&s, "%s/%s", json_path_str(o, "metadata.namespace") ?
	    json_path_str(o, "metadata.namespace") : "",
	    json_path_str(o, "metadata.name") ? json_path_str(o,
	    "metadata.name") : "?");
	return s;
}

/* A key of a ConfigMap (copy), or NULL. */
static char *
doc_cm_key(struct doc *d, const char *ns, const char *cm, const char *key)
{
	cJSON		*o = NULL;
	char		*cause = NULL, *v = NULL;
	const char	*s;

	if (doc_kget(d, &KUBE_RES_CONFIGMAPS, ns, cm, &o, &cause) == 0 &&
	    (s = json_str(json_path(o, "data"), key)) != NULL && *s != '\0')
		v = xstrdup(s);
	free(cause);
	cJSON_Delete(o);
	return v;
}

/* The value of env var name in the controller's pod template (value,
 * configMapKeyRef or envFrom), or NULL. */
static char *
doc_ctl_env(struct doc *d, const cJSON *dep, const char *name)
{
	const char	*ns = json_path_str(dep, "metadata.namespace");
	const cJSON	*c, *e, *ref;
	char		*v = NULL;

	cJSON_ArrayForEach(c, json_path(dep,
	    "spec.template.spec.containers")) {
		cJSON_ArrayForEach(e, json_path(c, "env")) {
			if (json_str(e, "name") == NULL ||
			    strcmp(json_str(e, "name"), name) != 0)
				continue;
			if (json_str(e, "value") != NULL &&
			    *json_str(e, "value") != '\0')
				return xstrdup(json_str(e, "value"));
			ref = json_path(e, "valueFrom.configMapKeyRef");
			if (ref != NULL && (v = doc_cm_key(d, ns, json_str(ref,
			    "name"), json_str(ref, "key"))) != NULL)
				return v;
		}
		cJSON_ArrayForEach(e, json_path(c, "envFrom")) {
			ref = json_path(e, "configMapRef");
			if (ref != NULL && (v = doc_cm_key(d, ns, json_str(ref,
			    "name"), name)) != NULL)
				return v;
		}
	}
	return NULL;
}

/* Cluster name and VPC: options, the controller, its ConfigMap, the
 * environment. */
static void
doc_facts(struct doc *d, const cJSON *dep)
{
	const char	*ns = dep != NULL ? json_path_str(dep,
	    "metadata.namespace") : d->ctl_ns;
	const char	*sa;

	if (d->o->cluster_name != NULL)
		d->cluster = xstrdup(d->o->cluster_name);
	if (d->cluster == NULL && dep != NULL)
		d->cluster = doc_ctl_env(d, dep, "CLUSTER_NAME");
	if (d->cluster == NULL)
		d->cluster = doc_cm_key(d, ns, DOCTOR_CTL_CONFIGMAP,
		    "CLUSTER_NAME");
	if (d->cluster == NULL && getenv("CLUSTER_NAME") != NULL &&
	    *getenv("CLUSTER_NAME") != '\0')
		d->cluster = xstrdup(getenv("CLUSTER_NAME"));
	if (d->o->vpc_id != NULL)
		d->vpc_id = xstrdup(d->o->vpc_id);
	if (d->vpc_id == NULL && dep != NULL)
		d->vpc_id = doc_ctl_env(d, dep, "CLUSTER_VPC_ID");
	if (d->vpc_id == NULL)
		d->vpc_id = doc_cm_key(d, ns, DOCTOR_CTL_CONFIGMAP,
		    "CLUSTER_VPC_ID");
	if (d->vpc_id == NULL && getenv("CLUSTER_VPC_ID") != NULL &&
	    *getenv("CLUSTER_VPC_ID") != '\0')
		d->vpc_id = xstrdup(getenv("CLUSTER_VPC_ID"));
	sa = dep != NULL ? json_path_str(dep,
	    "spec.template.spec.serviceAccountName") : NULL;
	d->sa_ns = xstrdup(ns);
	d->sa_name = xstrdup(sa != NULL ? sa : dep != NULL ? "default" :
	    DOCTOR_CTL_NAME);
}

/* The controller Deployment to check: the one in the controller
 * namespace, else the first. */
static const cJSON *
doc_main_deploy(struct doc *d)
{
	const cJSON	*x;

	cJSON_ArrayForEach(x, d->deploys) {
		if (json_path_str(x, "metadata.namespace") != NULL &&
		    strcmp(json_path_str(x, "metadata.namespace"),
		    d->ctl_ns) == 0)
			return x;
	}
	return cJSON_GetArrayItem(d->deploys, 0);
}

/* cluster.controller-running */
static void
doc_check_running(struct doc *d, const cJSON *dep)
{
	const char	*t = "The controller's pods are Ready";
	char		*nn, *subj, *fix;
	int		 want, ready;

	if (dep == NULL) {
		doc_addf(d, "cluster.controller-running", "Deployment/" DOCTOR_CTL_NAME,
		    DOCTOR_FAIL, t, "latticectl install --only controller",
		    "no controller Deployment (%s, or labelled "
		    "app.kubernetes.io/instance=%s) in any namespace",
		    DOCTOR_CTL_NAME, DOCTOR_CTL_NAME);
		return;
	}
	nn = doc_nsname(dep);
	xasprintf(&subj, "Deployment/%s", nn);
	want = (int)json_num(json_path(dep, "spec"), "replicas", 1);
	ready = (int)json_num(json_path(dep, "status"), "readyReplicas", 0);
	xasprintf(&fix, "kubectl -n %s describe deployment %s\nkubectl -n %s "
	    "logs deployment/%s", json_path_str(dep, "metadata.namespace"),
	    json_path_str(dep, "metadata.name"), json_path_str(dep,
	    "metadata.namespace"), json_path_str(dep, "metadata.name"));
	if (want == 0)
		doc_addf(d, "cluster.controller-running", subj, DOCTOR_FAIL, t,
		    fix, "%s is scaled to 0 replicas", nn);
	else if (ready < want)
		doc_addf(d, "cluster.controller-running", subj, ready == 0 ?
		    DOCTOR_FAIL : DOCTOR_WARN, t, fix, "%s: %d/%d pods Ready",
		    nn, ready, want);
	else
		doc_addf(d, "cluster.controller-running", subj, DOCTOR_OK, t,
		    NULL, "%s: %d/%d pods Ready", nn, ready, want);
	free(fix);
	free(subj);
	free(nn);
}

/* The leader Lease's holder and transitions ("" when none). */
static char *
doc_lease(struct doc *d, const char *ns, int *transitions)
{
	cJSON		*o = NULL;
	char		*cause = NULL, *s;
	const char	*h;

	*transitions = 0;
	if (doc_kget(d, &KUBE_RES_LEASES, ns, UP_LEADER_ELECTION_ID, &o,
	    &cause) != 0) {
		free(cause);
		return xstrdup("no leader Lease " UP_LEADER_ELECTION_ID
		    " (leader election off)");
	}
	h = json_path_str(o, "spec.holderIdentity");
	*transitions = (int)json_num(json_path(o, "spec"),
	    "leaseTransitions", 0);
	xasprintf(&s, "leader %s (Lease %s/%s, %d transitions)",
	    h != NULL && *h != '\0' ? h : "none", ns, UP_LEADER_ELECTION_ID,
	    *transitions);
	cJSON_Delete(o);
	return s;
}

/* cluster.gatewayclass: which controller owns our GatewayClass. */
static void
doc_check_class(struct doc *d, const char *lease)
{
	const char	*t = "The GatewayClass is owned by the Lattice controller "
	    "and Accepted";
	cJSON		*items = NULL;
	const cJSON	*gc, *ours = NULL, *named = NULL;
	char		*cause = NULL, *subj;
	const char	*cn;

	if (doc_klist(d, &KUBE_RES_GATEWAYCLASSES, NULL, NULL, &items,
	    &cause) != 0) {
		doc_addf(d, "cluster.gatewayclass", "GatewayClass", DOCTOR_FAIL,
		    t, "latticectl install --only gatewayclass",
		    "cannot list GatewayClasses: %s", cause != NULL ? cause :
		    "the CRD is not installed");
		free(cause);
		return;
	}
	cJSON_ArrayForEach(gc, items) {
		cn = json_path_str(gc, "spec.controllerName");
		if (ours == NULL && cn != NULL &&
		    strcmp(cn, UP_CONTROLLER_NAME) == 0)
			ours = gc;
		if (strcmp(json_path_str(gc, "metadata.name"),
		    UP_GATEWAYCLASS_NAME) == 0)
			named = gc;
	}
	if (ours == NULL) {
		doc_addf(d, "cluster.gatewayclass", "GatewayClass/"
		    UP_GATEWAYCLASS_NAME, DOCTOR_FAIL, t,
		    "latticectl install --only gatewayclass", "no GatewayClass "
		    "has controllerName %s%s%s", UP_CONTROLLER_NAME, named !=
		    NULL ? "; " UP_GATEWAYCLASS_NAME " belongs to " : "",
		    named != NULL ? json_path_str(named,
		    "spec.controllerName") : "");
		cJSON_Delete(items);
		return;
	}
	xasprintf(&subj, "GatewayClass/%s", json_path_str(ours,
	    "metadata.name"));
	if (!kube_conditions_is(json_path(ours, "status.conditions"),
	    "Accepted", "True"))
		doc_addf(d, "cluster.gatewayclass", subj, DOCTOR_FAIL, t,
		    "kubectl describe gatewayclass amazon-vpc-lattice",
		    "controllerName %s but not Accepted (is the controller "
		    "running?); %s", UP_CONTROLLER_NAME, lease);
	else
		doc_addf(d, "cluster.gatewayclass", subj, DOCTOR_OK, t, NULL,
		    "controllerName %s, Accepted=True; %s", UP_CONTROLLER_NAME,
		    lease);
	free(subj);
	cJSON_Delete(items);
}

/* cluster.single-controller: two Deployments or lease churn. */
static void
doc_check_single(struct doc *d, int transitions)
{
	const char	*t = "One controller reconciles the GatewayClass";
	const cJSON	*x;
	struct strbuf	 sb;
	char		*nn;
	int		 n = cJSON_GetArraySize(d->deploys);

	strbuf_init(&sb);
	cJSON_ArrayForEach(x, d->deploys) {
		nn = doc_nsname(x);
		strbuf_addf(&sb, "%s%s", sb.len > 0 ? ", " : "", nn);
		free(nn);
	}
	if (n > 1)
		doc_addf(d, "cluster.single-controller", "Deployments",
		    DOCTOR_FAIL, t, "kubectl -n NAMESPACE delete deployment "
		    "NAME   # keep one controller", "%d controller Deployments "
		    "fight over the Lattice resources: %s", n, sb.buf);
	else if (transitions >= DOC_LEASE_CHURN)
		doc_addf(d, "cluster.single-controller", "Lease/"
		    UP_LEADER_ELECTION_ID, DOCTOR_WARN, t, "kubectl get pods "
		    "-A -l app.kubernetes.io/instance=" DOCTOR_CTL_NAME,
		    "the leader Lease changed hands %d times (replicas "
		    "restarting, or two controllers)", transitions);
	else
		doc_addf(d, "cluster.single-controller", n == 1 ? sb.buf : "",
		    n == 1 ? DOCTOR_OK : DOCTOR_SKIP, t, NULL, "%s", n == 1 ?
		    "one controller Deployment, no leader churn" :
		    "no controller Deployment");
	strbuf_free(&sb);
}

/* The cluster side's controller checks; -1: the API does not answer. */
int
doc_cluster(struct doc *d, char **cause)
{
	cJSON		*items = NULL, *x, *next;
	const cJSON	*dep;
	char		*lease;
	int		 tr;

	if (doc_klist(d, &KUBE_RES_DEPLOYMENTS, NULL, NULL, &items,
	    cause) < 0)
		return error_wrap(cause, "list Deployments");
	d->deploys = cJSON_CreateArray();
	for (x = items != NULL ? items->child : NULL; x != NULL; x = next) {
		next = x->next;
		if (doc_is_controller(x))
			cJSON_AddItemToArray(d->deploys,
			    cJSON_DetachItemViaPointer(items, x));
	}
	cJSON_Delete(items);
	dep = doc_main_deploy(d);
	doc_facts(d, dep);
	doc_check_running(d, dep);
	lease = doc_lease(d, dep != NULL ? json_path_str(dep,
	    "metadata.namespace") : d->ctl_ns, &tr);
	doc_check_class(d, lease);
	doc_check_single(d, tr);
	free(lease);
	return 0;
}
