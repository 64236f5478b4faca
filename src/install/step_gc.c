/* Step "gatewayclass": amazon-vpc-lattice with the controller's name,
 * created at the version the cluster serves; ready once the controller
 * has set Accepted=True. */
#include <stdlib.h>
#include <string.h>

#include "latticectl/error.h"
#include "latticectl/json.h"
#include "latticectl/kube.h"
#include "latticectl/kutil.h"
#include "latticectl/xmalloc.h"

#include "install_int.h"

/* What the step saw. */
struct gc_obs {
	struct kube_resource	res;	/* resolved (strings: the client's) */
	int			served;
	cJSON			*obj;	/* live, or NULL */
};

/* Free the observation data. */
static void
gc_free(void *p)
{
	struct gc_obs	*g = p;

	cJSON_Delete(g->obj);
	free(g);
}

/* Decide from the live object. */
static void
gc_have(struct irun *r, const struct gc_obs *g, struct iobs *o)
{
	const char	*name = r->in->lab->gatewayclass;
	const char	*ctl = json_path_str(g->obj, "spec.controllerName");
	const cJSON	*acc;

	acc = kube_conditions_find(json_path(g->obj, "status.conditions"),
	    "Accepted");
	iobs_exists(o, "GatewayClass %s (controller %s, Accepted=%s)", name,
	    ctl != NULL ? ctl : "?", json_str(acc, "status") != NULL ?
	    json_str(acc, "status") : "Unknown");
	if (ctl == NULL || strcmp(ctl, LAB_CONTROLLER_NAME) != 0)
		iobs_set(o, IHAVE_CONFLICT, "OtherController", "GatewayClass %s "
		    "belongs to controller %s, not %s", name, ctl != NULL ?
		    ctl : "(none)", LAB_CONTROLLER_NAME);
	else if (json_path(g->obj, "metadata.deletionTimestamp") != NULL)
		iobs_set(o, IHAVE_WAIT, "Deleting", "GatewayClass %s is being "
		    "deleted", name);
	else
		o->have = IHAVE_ALL;
}

/* Observe: discover the served version, GET the object. */
static int
gc_observe(struct irun *r, struct iobs *o, char **cause)
{
	struct kube_client	*kube;
	struct kube_error	 e = { 0 };
	struct gc_obs		*g = xcalloc(1, sizeof *g);
	char			*why = NULL;
	int			 rc;

	o->priv = g;
	o->priv_free = gc_free;
	if ((rc = inst_kube_obs(r, o, &kube, cause)) != 0)
		return rc == 1 ? 0 : rc;
	if ((rc = kube_resource_resolve(kube, &KUBE_RES_GATEWAYCLASSES,
	    &g->res, &why)) != 0) {
		iobs_exists(o, "GatewayClass kind not served (%s)", why);
		free(why);
		if (rc < 0)
			return INST_RETRY;
		o->have = IHAVE_NONE;
		return 0;
	}
	g->served = 1;
	if (kube_get(kube, &g->res, NULL, r->in->lab->gatewayclass, &g->obj,
	    &e) != 0) {
		if (!kube_error_is_not_found(&e))
			return inst_kube_fail(&e, "GET gatewayclass", cause);
		kube_error_clear(&e);
		iobs_exists(o, "no GatewayClass %s", r->in->lab->gatewayclass);
		o->have = IHAVE_NONE;
		return 0;
	}
	gc_have(r, g, o);
	if (r->in->o.dir == INSTALL_DOWN && o->have == IHAVE_CONFLICT)
		o->have = IHAVE_NONE;
	return 0;
}

/* Plan an install. */
static void
gc_plan(struct irun *r, const struct iobs *o, struct iplan *p)
{
	(void)o;
	iplan_add(p, icmd("kubectl", "apply", "-f", "https://raw."
	    "githubusercontent.com/aws/aws-application-networking-k8s/main/"
	    "files/controller-installation/gatewayclass.yaml", NULL),
	    "create GatewayClass %s for controller %s",
	    r->in->lab->gatewayclass, LAB_CONTROLLER_NAME);
}

/* Apply: create it at the served version. */
static int
gc_apply(struct irun *r, const struct iobs *o, char **cause)
{
	const struct gc_obs	*g = o->priv;
	struct kube_client	*kube;
	struct kube_error	 e = { 0 };
	cJSON			*obj;
	int			 rc;

	if (!g->served)
		return error_set(cause, "the GatewayClass kind is not served "
		    "yet (the controller step installs its CRD)"), INST_RETRY;
	if ((rc = inst_kube(r->in, &kube, cause)) != 0)
		return rc == 1 ? INST_RETRY : rc;
	obj = install_gatewayclass_object(r->in->lab->gatewayclass,
	    g->res.version);
	rc = kube_create(kube, &g->res, NULL, obj, NULL, &e);
	cJSON_Delete(obj);
	if (rc != 0 && !kube_error_is_already_exists(&e))
		return inst_kube_fail(&e, "create gatewayclass", cause);
	kube_error_clear(&e);
	irun_log(r, "created GatewayClass %s (%s)", r->in->lab->gatewayclass,
	    g->res.version);
	return 0;
}

/* Verify: Accepted=True, set by the controller. */
static int
gc_verify(struct irun *r, const struct iobs *o, char **cause)
{
	const struct gc_obs	*g = o->priv;
	const cJSON		*acc;

	acc = kube_conditions_find(json_path(g->obj, "status.conditions"),
	    "Accepted");
	if (json_str(acc, "status") != NULL &&
	    strcmp(json_str(acc, "status"), "True") == 0)
		return 0;
	error_set(cause, "waiting for the controller to accept GatewayClass "
	    "%s (Accepted=%s%s%s)", r->in->lab->gatewayclass,
	    json_str(acc, "status") != NULL ? json_str(acc, "status") :
	    "Unknown", json_str(acc, "reason") != NULL ? " " : "",
	    json_str(acc, "reason") != NULL ? json_str(acc, "reason") : "");
	return INST_WAIT;
}

/* Plan an uninstall. */
static void
gc_undo_plan(struct irun *r, const struct iobs *o, struct iplan *p)
{
	(void)o;
	iplan_add(p, icmd("kubectl", "delete", "gatewayclass",
	    r->in->lab->gatewayclass, NULL), "delete GatewayClass %s",
	    r->in->lab->gatewayclass);
}

/* Undo: DELETE. */
static int
gc_undo(struct irun *r, const struct iobs *o, char **cause)
{
	const struct gc_obs	*g = o->priv;
	struct kube_client	*kube;
	struct kube_error	 e = { 0 };
	int			 rc;

	if ((rc = inst_kube(r->in, &kube, cause)) != 0)
		return rc == 1 ? 0 : rc;
	if (kube_delete(kube, &g->res, NULL, r->in->lab->gatewayclass, NULL,
	    &e) != 0 && !kube_error_is_not_found(&e))
		return inst_kube_fail(&e, "delete gatewayclass", cause);
	kube_error_clear(&e);
	irun_log(r, "deleted GatewayClass %s", r->in->lab->gatewayclass);
	return 0;
}

const struct istep_ops istep_gatewayclass = {
	.id = "gatewayclass",
	.title = "GatewayClass amazon-vpc-lattice",
	.deps = { "controller", NULL },
	.observe = gc_observe,
	.plan = gc_plan,
	.apply = gc_apply,
	.verify = gc_verify,
	.undo_plan = gc_undo_plan,
	.undo = gc_undo,
};
