/* Step "namespace": aws-application-networking-system, labelled as the
 * upstream deploy-namesystem.yaml labels it. */
#include <stdlib.h>
#include <string.h>

#include "latticectl/error.h"
#include "latticectl/json.h"
#include "latticectl/kube.h"
#include "latticectl/xmalloc.h"

#include "install_int.h"

#define NS_LABEL	"control-plane"
#define NS_LABEL_VALUE	"gateway-api-controller"

/* Observe: GET the namespace. */
static int
ns_observe(struct irun *r, struct iobs *o, char **cause)
{
	struct kube_client	*kube;
	struct kube_error	 e = { 0 };
	cJSON			*obj = NULL;
	const char		*phase, *ns = r->in->lab->ns;
	int			 rc;

	if ((rc = inst_kube_obs(r, o, &kube, cause)) != 0)
		return rc == 1 ? 0 : rc;
	if (kube_get(kube, &KUBE_RES_NAMESPACES, NULL, ns, &obj, &e) != 0) {
		if (!kube_error_is_not_found(&e))
			return inst_kube_fail(&e, "GET namespace", cause);
		kube_error_clear(&e);
		iobs_exists(o, "no namespace %s", ns);
		o->have = IHAVE_NONE;
		return 0;
	}
	phase = json_path_str(obj, "status.phase");
	iobs_exists(o, "namespace %s %s", ns, phase != NULL ? phase : "");
	if (phase != NULL && strcmp(phase, "Terminating") == 0)
		iobs_set(o, IHAVE_WAIT, "Terminating", "namespace %s is being "
		    "deleted", ns);
	else
		o->have = IHAVE_ALL;
	cJSON_Delete(obj);
	return 0;
}

/* Plan an install. */
static void
ns_plan(struct irun *r, const struct iobs *o, struct iplan *p)
{
	(void)o;
	iplan_add(p, icmd("kubectl", "create", "namespace", r->in->lab->ns,
	    NULL), "create namespace %s (label %s=%s)", r->in->lab->ns,
	    NS_LABEL, NS_LABEL_VALUE);
}

/* Apply: POST the namespace. */
static int
ns_apply(struct irun *r, const struct iobs *o, char **cause)
{
	struct kube_client	*kube;
	struct kube_error	 e = { 0 };
	cJSON			*obj, *md;
	int			 rc;

	(void)o;
	if ((rc = inst_kube(r->in, &kube, cause)) != 0)
		return rc == 1 ? INST_RETRY : rc;
	obj = cJSON_CreateObject();
	cJSON_AddStringToObject(obj, "apiVersion", "v1");
	cJSON_AddStringToObject(obj, "kind", "Namespace");
	md = cJSON_AddObjectToObject(obj, "metadata");
	cJSON_AddStringToObject(md, "name", r->in->lab->ns);
	cJSON_AddStringToObject(cJSON_AddObjectToObject(md, "labels"),
	    NS_LABEL, NS_LABEL_VALUE);
	rc = kube_create(kube, &KUBE_RES_NAMESPACES, NULL, obj, NULL, &e);
	cJSON_Delete(obj);
	if (rc != 0 && !kube_error_is_already_exists(&e))
		return inst_kube_fail(&e, "create namespace", cause);
	kube_error_clear(&e);
	irun_log(r, "created namespace %s", r->in->lab->ns);
	return 0;
}

/* Verify: observed Active. */
static int
ns_verify(struct irun *r, const struct iobs *o, char **cause)
{
	(void)r;
	(void)o;
	(void)cause;
	return 0;
}

/* Plan an uninstall. */
static void
ns_undo_plan(struct irun *r, const struct iobs *o, struct iplan *p)
{
	(void)o;
	iplan_add(p, icmd("kubectl", "delete", "namespace", r->in->lab->ns,
	    NULL), "delete namespace %s and everything left in it",
	    r->in->lab->ns);
}

/* Undo: DELETE the namespace. */
static int
ns_undo(struct irun *r, const struct iobs *o, char **cause)
{
	struct kube_client	*kube;
	struct kube_error	 e = { 0 };
	int			 rc;

	(void)o;
	if ((rc = inst_kube(r->in, &kube, cause)) != 0)
		return rc == 1 ? 0 : rc;
	if (kube_delete(kube, &KUBE_RES_NAMESPACES, NULL, r->in->lab->ns,
	    NULL, &e) != 0 && !kube_error_is_not_found(&e))
		return inst_kube_fail(&e, "delete namespace", cause);
	kube_error_clear(&e);
	irun_log(r, "deleting namespace %s", r->in->lab->ns);
	return 0;
}

const struct istep_ops istep_namespace = {
	.id = "namespace",
	.title = "Controller namespace",
	.deps = { "cluster", NULL },
	.observe = ns_observe,
	.plan = ns_plan,
	.apply = ns_apply,
	.verify = ns_verify,
	.undo_plan = ns_undo_plan,
	.undo = ns_undo,
};
