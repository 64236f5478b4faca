/* The IAMAuthPolicy reconciler, as upstream's: the policy's targetRef (a
 * Gateway: its service network; an HTTPRoute or GRPCRoute: its Lattice
 * service) gets the auth policy (PutAuthPolicy, written only when it
 * differs) and auth type AWS_IAM; the annotations name the resource
 * (iam-auth-policy-resource-id, -type, -name). A target that changed
 * resets the previous resource; deletion resets it to auth type NONE and
 * removes the auth policy, then the finalizer. */
#include <stdlib.h>
#include <string.h>

#define LOG_MODULE "controller"
#include "latticectl/error.h"
#include "latticectl/log.h"
#include "latticectl/xmalloc.h"

#include "controller_int.h"

#define IAP_AUTH_IAM	"AWS_IAM"
#define IAP_AUTH_NONE	"NONE"

/* Is the resource id a service network's? */
static int
iap_is_sn(const char *id, const char *type)
{
	if (type != NULL)
		return strcmp(type, UP_IAP_TYPE_SN) == 0;
	return strncmp(id, "sn-", 3) == 0;
}

/* Read (type NULL: *got copied) or set the auth type of a service
 * network (sn) or service. */
static int
iap_auth(struct pctx *x, const char *id, int sn, const char *type,
    char **got, char **cause)
{
	static const char *const ops[2][2] = {
		{ "GetService", "GetServiceNetwork" },
		{ "UpdateService", "UpdateServiceNetwork" } };
	struct lattice_update_service_input	 in;
	struct lattice_service_network		 n;
	struct lattice_service			 s;
	struct aws_error			 err;
	int					 rc;

	memset(&err, 0, sizeof(err));
	memset(&n, 0, sizeof(n));
	memset(&s, 0, sizeof(s));
	if (type == NULL && sn)
		rc = lattice_get_service_network(x->c->aws, id, &n, &err);
	else if (type == NULL)
		rc = lattice_get_service(x->c->aws, id, &s, &err);
	else if (sn)
		rc = lattice_update_service_network(x->c->aws, id, type, &n,
		    &err);
	else {
		memset(&in, 0, sizeof(in));
		in.service_identifier = id;
		in.auth_type = type;
		rc = lattice_update_service(x->c->aws, &in, &s, &err);
	}
	ctl_pol_count(x, ops[type != NULL][sn != 0], rc == 0);
	if (got != NULL)
		*got = xstrdup_or_null(sn ? n.auth_type : s.auth_type);
	lattice_service_network_free(&n);
	lattice_service_free(&s);
	if (rc != 0)
		return ctl_pol_aws_fail(x, &err, id, cause);
	if (type != NULL)
		log_info("%s: %s auth type %s", x->key, id, type);
	return 0;
}

/* Do two policy documents say the same (as JSON, else as text)? */
static int
iap_same_policy(const char *a, const char *b)
{
	cJSON	*ja, *jb;
	int	 same;

	if (a == NULL || b == NULL)
		return a == b;
	ja = cJSON_Parse(a);
	jb = cJSON_Parse(b);
	same = ja != NULL && jb != NULL ? cJSON_Compare(ja, jb, 1) :
	    strcmp(a, b) == 0;
	cJSON_Delete(ja);
	cJSON_Delete(jb);
	return same;
}

/* Put the policy unless the resource has it already. */
static int
iap_put(struct pctx *x, char **cause)
{
	struct lattice_auth_policy	ap;
	struct aws_error		err;
	int				rc;

	memset(&err, 0, sizeof(err));
	memset(&ap, 0, sizeof(ap));
	rc = lattice_get_auth_policy(x->c->aws, x->id, &ap, &err);
	ctl_pol_count(x, "GetAuthPolicy", rc == 0);
	if (rc != 0 && (err.code == NULL || strcmp(err.code,
	    "ResourceNotFoundException") != 0)) {
		lattice_auth_policy_free(&ap);
		return ctl_pol_aws_fail(x, &err, "GetAuthPolicy", cause);
	}
	aws_error_clear(&err);
	if (rc == 0 && iap_same_policy(ap.policy, x->policy)) {
		lattice_auth_policy_free(&ap);
		return 0;
	}
	lattice_auth_policy_free(&ap);
	memset(&ap, 0, sizeof(ap));
	rc = lattice_put_auth_policy(x->c->aws, x->id, x->policy, &ap, &err);
	ctl_pol_count(x, "PutAuthPolicy", rc == 0);
	lattice_auth_policy_free(&ap);
	if (rc != 0 && err.status >= 400 && err.status < 500 &&
	    !err.throttling) {
		ctl_pol_verdict(x, UP_REASON_INVALID, "PutAuthPolicy: %s",
		    err.message != NULL ? err.message : err.code);
		aws_error_clear(&err);
		return 1;
	}
	if (rc != 0)
		return ctl_pol_aws_fail(x, &err, "PutAuthPolicy", cause);
	log_info("%s: auth policy put on %s", x->key, x->id);
	return 0;
}

/* Take a resource back: auth type NONE, no auth policy (gone is fine). */
static int
iap_reset(struct pctx *x, const char *id, const char *type, char **cause)
{
	struct aws_error	 err;
	int			 sn = iap_is_sn(id, type), rc;

	memset(&err, 0, sizeof(err));
	rc = lattice_delete_auth_policy(x->c->aws, id, &err);
	ctl_pol_count(x, "DeleteAuthPolicy", rc == 0);
	if (rc != 0 && (err.code == NULL || strcmp(err.code,
	    "ResourceNotFoundException") != 0))
		return ctl_pol_aws_fail(x, &err, "DeleteAuthPolicy", cause);
	if (rc != 0) {		/* the resource itself is gone */
		aws_error_clear(&err);
		return 0;
	}
	rc = iap_auth(x, id, sn, IAP_AUTH_NONE, NULL, cause);
	if (rc != 0 && *cause != NULL && strstr(*cause,
	    "ResourceNotFoundException") != NULL) {
		free(*cause);
		*cause = NULL;
		rc = 0;
	}
	return rc;
}

/* The policy is going: reset what its annotations name. */
static int
iap_undo(struct pctx *x, char **cause)
{
	const char	*id = ctl_pol_ann(x, UP_ANN_IAP_RESOURCE_ID);

	return id != NULL ? iap_reset(x, id, ctl_pol_ann(x,
	    UP_ANN_IAP_RESOURCE_TYPE), cause) : 0;
}

/* Apply an accepted policy to its resource. 1 when the verdict changed. */
static int
iap_apply(struct pctx *x, char **cause)
{
	const char	*old = ctl_pol_ann(x, UP_ANN_IAP_RESOURCE_ID);
	const char	*kv[6];
	char		*auth = NULL;
	int		 rc;

	if (ctl_pol_finalizer(x, UP_FIN_IAP, 1, cause) != 0)
		return -1;
	if (old != NULL && strcmp(old, x->id) != 0 && iap_reset(x, old,
	    ctl_pol_ann(x, UP_ANN_IAP_RESOURCE_TYPE), cause) != 0)
		return -1;
	if ((rc = iap_put(x, cause)) != 0)
		return rc;
	if (iap_auth(x, x->id, x->target_gw, NULL, &auth, cause) != 0)
		return -1;
	if (auth == NULL || strcmp(auth, IAP_AUTH_IAM) != 0)
		rc = iap_auth(x, x->id, x->target_gw, IAP_AUTH_IAM, NULL,
		    cause);
	free(auth);
	if (rc != 0)
		return -1;
	kv[0] = UP_ANN_IAP_RESOURCE_ID;
	kv[1] = x->id;
	kv[2] = UP_ANN_IAP_RESOURCE_TYPE;
	kv[3] = x->target_gw ? UP_IAP_TYPE_SN : UP_IAP_TYPE_SERVICE;
	kv[4] = UP_ANN_IAP_RESOURCE_NAME;
	kv[5] = x->lname;
	return ctl_pol_annotate(x, kv, 3, cause);
}

/* Reconcile "IAMAuthPolicy/ns/name". */
enum reconcile_outcome
ctl_iap_reconcile(struct controller *c, const char *key, uint64_t *after_ms,
    char **cause)
{
	static const struct pol_ops ops = { UP_FIN_IAP, iap_undo, iap_apply };

	return ctl_pol_reconcile(c, CS_IAP, key, &ops, after_ms, cause);
}
