/* Step "service-account" (IRSA): the IAM OIDC provider of the cluster's
 * issuer, a role trusting system:serviceaccount:<ns>:<sa> (audience
 * sts.amazonaws.com) with the controller policy attached, and the
 * ServiceAccount annotated eks.amazonaws.com/role-arn. */
#include <stdlib.h>
#include <string.h>

#include "latticectl/error.h"
#include "latticectl/iam.h"
#include "latticectl/json.h"
#include "latticectl/kube.h"
#include "latticectl/kutil.h"
#include "latticectl/xmalloc.h"

#include "iamutil.h"
#include "install_int.h"

#define SA_ANNOTATION	"eks.amazonaws.com/role-arn"
#define SA_AUDIENCE	"sts.amazonaws.com"

/* What the step saw. */
struct sa_obs {
	char	*issuer_host;	/* oidc.eks.<r>.amazonaws.com/id/X */
	char	*provider_arn;	/* ours, from the issuer or the trust */
	int	 provider;	/* exists */
	char	*role_arn;
	char	*policy_arn;
	int	 role;
	int	 trust_ok;
	int	 attached;
	int	 kube;		/* a client was available */
	int	 sa;		/* the ServiceAccount exists */
	int	 annotated;	/* with our role ARN */
};

/* Free the observation data. */
static void
sa_free(void *p)
{
	struct sa_obs	*s = p;

	free(s->issuer_host);
	free(s->provider_arn);
	free(s->role_arn);
	free(s->policy_arn);
	free(s);
}

/* The issuer of the cluster (host and path, no scheme). */
static int
sa_issuer(struct irun *r, struct sa_obs *s, char **cause)
{
	struct eks_cluster	 c;
	const char		*iss;
	int			 rc;

	if ((rc = inst_cluster(r->in, &c, cause)) < 0)
		return rc;
	iss = rc == 0 ? c.oidc_issuer : NULL;
	if (iss != NULL && strncmp(iss, "https://", 8) == 0)
		iss += 8;
	if (iss != NULL && *iss != '\0') {
		s->issuer_host = xstrdup(iss);
		xasprintf(&s->provider_arn, "arn:aws:iam::%s:oidc-provider/%s",
		    r->in->f.account, iss);
	}
	eks_cluster_clear(&c);
	return 0;
}

/* Does the OIDC provider exist? */
static int
sa_provider(struct irun *r, struct sa_obs *s, char **cause)
{
	struct iam_oidc_providers	 l = { 0 };
	struct aws_error		 err = { 0 };
	size_t				 i;

	if (s->provider_arn == NULL)
		return 0;
	if (iam_list_oidc_providers(r->in->aws, &l, &err) != 0)
		return inst_aws_fail(&err, "iam ListOpenIDConnectProviders",
		    cause);
	for (i = 0; i < l.n; i++)
		if (strcmp(l.v[i].arn, s->provider_arn) == 0)
			s->provider = 1;
	iam_oidc_providers_free(&l);
	return 0;
}

/* The desired trust document (NULL without an issuer). */
static cJSON *
sa_trust(struct irun *r, const struct sa_obs *s)
{
	if (s->issuer_host == NULL)
		return NULL;
	return inst_trust_irsa(s->provider_arn, s->issuer_host, r->in->lab->ns,
	    r->in->lab->service_account);
}

/* The role: exists, trust, attachment; the provider from its trust when
 * the cluster is gone. */
static int
sa_role(struct irun *r, struct sa_obs *s, char **cause)
{
	struct iam_role	 role;
	cJSON		*have, *want;
	const char	*fed;
	int		 rc;

	if ((rc = irole_get(r->in, r->in->lab->role_name, &role, cause)) < 0)
		return rc;
	if (rc == 1)
		return 0;
	s->role = 1;
	have = role.assume_role_policy_document != NULL ?
	    cJSON_Parse(role.assume_role_policy_document) : NULL;
	want = sa_trust(r, s);
	s->trust_ok = have != NULL && want != NULL &&
	    inst_policy_equal(have, want);
	fed = json_path_str(cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(
	    have, "Statement"), 0), "Principal.Federated");
	if (s->provider_arn == NULL && fed != NULL)
		s->provider_arn = xstrdup(fed);
	cJSON_Delete(have);
	cJSON_Delete(want);
	iam_role_clear(&role);
	rc = irole_has_policy(r->in, r->in->lab->role_name, s->policy_arn,
	    cause);
	if (rc < 0)
		return rc;
	s->attached = rc;
	return 0;
}

/* The ServiceAccount and its annotation. */
static int
sa_account(struct irun *r, struct sa_obs *s, char **cause)
{
	struct kube_client	*kube;
	struct kube_error	 e = { 0 };
	cJSON			*obj = NULL;
	const char		*ann;
	char			*why = NULL;

	if (inst_kube(r->in, &kube, &why) != 0) {
		free(why);
		return 0;
	}
	s->kube = 1;
	if (kube_get(kube, &KUBE_RES_SERVICEACCOUNTS, r->in->lab->ns,
	    r->in->lab->service_account, &obj, &e) != 0) {
		if (kube_error_is_not_found(&e)) {
			kube_error_clear(&e);
			return 0;
		}
		return inst_kube_fail(&e, "GET serviceaccount", cause);
	}
	s->sa = 1;
	ann = json_str(json_path(obj, "metadata.annotations"), SA_ANNOTATION);
	s->annotated = ann != NULL && strcmp(ann, s->role_arn) == 0;
	cJSON_Delete(obj);
	return 0;
}

/* Describe and decide. */
static void
sa_have(struct irun *r, const struct sa_obs *s, struct iobs *o)
{
	const struct lab_config	*lab = r->in->lab;

	iobs_exists(o, "OIDC provider %s", s->provider ? "present" :
	    s->issuer_host == NULL ? "unknown (no cluster)" : "missing");
	iobs_exists(o, "IAM role %s %s", lab->role_name, !s->role ? "missing" :
	    s->trust_ok ? "trusting the service account" :
	    "with another trust policy");
	iobs_exists(o, "policy %s", s->attached ? "attached" : "not attached");
	iobs_exists(o, "ServiceAccount %s/%s %s", lab->ns,
	    lab->service_account, !s->sa ? "missing" : s->annotated ?
	    "annotated" : "not annotated");
	if (r->in->o.dir == INSTALL_DOWN)
		o->have = s->provider || s->role || s->sa ? IHAVE_SOME :
		    IHAVE_NONE;
	else if (s->issuer_host == NULL || !s->kube)
		iobs_set(o, IHAVE_BLOCKED, "NoCluster", "waiting for cluster "
		    "%s", lab->cluster.name);
	else if (s->provider && s->role && s->trust_ok && s->attached &&
	    s->sa && s->annotated)
		o->have = IHAVE_ALL;
	else
		o->have = s->provider || s->role || s->sa ? IHAVE_SOME :
		    IHAVE_NONE;
}

/* Observe. */
static int
sa_observe(struct irun *r, struct iobs *o, char **cause)
{
	struct sa_obs	*s = xcalloc(1, sizeof *s);
	int		 rc;

	o->priv = s;
	o->priv_free = sa_free;
	s->role_arn = inst_iam_arn(r->in, "role", r->in->lab->role_name);
	s->policy_arn = inst_iam_arn(r->in, "policy", r->in->lab->policy_name);
	if ((rc = sa_issuer(r, s, cause)) != 0 ||
	    (rc = sa_role(r, s, cause)) != 0 ||
	    (rc = sa_provider(r, s, cause)) != 0 ||
	    (rc = sa_account(r, s, cause)) != 0)
		return rc;
	sa_have(r, s, o);
	return 0;
}

/* Plan an install. */
static void
sa_plan(struct irun *r, const struct iobs *o, struct iplan *p)
{
	const struct lab_config	*lab = r->in->lab;
	const struct sa_obs	*s = o->priv;
	char			*url, *kv, *subj;

	xasprintf(&url, "https://%s", s->issuer_host != NULL ?
	    s->issuer_host : "<issuer of cluster>");
	xasprintf(&kv, "%s=%s", SA_ANNOTATION, s->role_arn);
	xasprintf(&subj, "system:serviceaccount:%s:%s", lab->ns,
	    lab->service_account);
	if (!s->provider)
		iplan_add(p, icmd("aws", "iam", "create-open-id-connect-provider",
		    "--url", url, "--client-id-list", SA_AUDIENCE, NULL),
		    "create the IAM OIDC provider of cluster %s (eksctl utils "
		    "associate-iam-oidc-provider)", lab->cluster.name);
	if (!s->role)
		iplan_add(p, icmd("aws", "iam", "create-role", "--role-name",
		    lab->role_name, "--assume-role-policy-document",
		    "file://irsa-trust.json", NULL), "create IAM role %s trusting "
		    "%s (audience %s)", lab->role_name, subj, SA_AUDIENCE);
	else if (!s->trust_ok)
		iplan_add(p, icmd("aws", "iam", "update-assume-role-policy",
		    "--role-name", lab->role_name, "--policy-document",
		    "file://irsa-trust.json", NULL), "make IAM role %s trust %s",
		    lab->role_name, subj);
	if (!s->attached)
		iplan_add(p, icmd("aws", "iam", "attach-role-policy",
		    "--role-name", lab->role_name, "--policy-arn", s->policy_arn,
		    NULL), "attach %s to %s", lab->policy_name, lab->role_name);
	if (!s->sa)
		iplan_add(p, icmd("kubectl", "create", "serviceaccount",
		    lab->service_account, "-n", lab->ns, NULL), "create "
		    "ServiceAccount %s/%s", lab->ns, lab->service_account);
	if (!s->annotated)
		iplan_add(p, icmd("kubectl", "annotate", "serviceaccount", "-n",
		    lab->ns, lab->service_account, kv, "--overwrite", NULL),
		    "annotate it with the role ARN (the lab: eksctl create "
		    "iamserviceaccount ... --approve)");
	free(url);
	free(kv);
	free(subj);
}

/* Create the OIDC provider. */
static int
sa_make_provider(struct irun *r, const struct sa_obs *s, char **cause)
{
	struct iam_oidc_input	 in = { 0 };
	struct aws_error	 err = { 0 };
	const char		*aud[1] = { SA_AUDIENCE };
	char			*url, *arn = NULL;
	int			 rc;

	xasprintf(&url, "https://%s", s->issuer_host);
	in.url = url;
	in.client_ids = aud;
	in.n_client_ids = 1;
	rc = iam_create_oidc_provider(r->in->aws, &in, &arn, &err);
	free(url);
	free(arn);
	if (rc != 0 && !inst_aws_is(&err, "EntityAlreadyExists", NULL))
		return inst_aws_fail(&err, "iam CreateOpenIDConnectProvider",
		    cause);
	aws_error_clear(&err);
	irun_log(r, "created OIDC provider %s", s->provider_arn);
	return 0;
}

/* Create the role (or fix its trust) and attach the policy. */
static int
sa_make_role(struct irun *r, const struct sa_obs *s, char **cause)
{
	const char		*pol[2] = { s->policy_arn, NULL };
	struct aws_error	 err = { 0 };
	cJSON			*trust = sa_trust(r, s);
	char			*doc;
	int			 rc = 0;

	if (s->role && !s->trust_ok) {
		doc = json_print(trust);
		if (iam_update_assume_role_policy(r->in->aws,
		    r->in->lab->role_name, doc, &err) != 0)
			rc = inst_aws_fail(&err, "iam UpdateAssumeRolePolicy",
			    cause);
		free(doc);
	}
	if (rc == 0)
		rc = irole_ensure(r->in, r->in->lab->role_name, trust, pol,
		    cause);
	cJSON_Delete(trust);
	if (rc == 0)
		irun_log(r, "role %s trusts the service account, policy "
		    "attached", r->in->lab->role_name);
	return rc;
}

/* Create or annotate the ServiceAccount. */
static int
sa_make_account(struct irun *r, const struct sa_obs *s, char **cause)
{
	const struct lab_config	*lab = r->in->lab;
	struct kube_client	*kube;
	struct kube_error	 e = { 0 };
	const char		*kv[2] = { SA_ANNOTATION, s->role_arn };
	cJSON			*obj, *md;
	int			 rc;

	if ((rc = inst_kube(r->in, &kube, cause)) != 0)
		return rc == 1 ? INST_RETRY : rc;
	if (!s->sa) {
		obj = cJSON_CreateObject();
		cJSON_AddStringToObject(obj, "apiVersion", "v1");
		cJSON_AddStringToObject(obj, "kind", "ServiceAccount");
		md = cJSON_AddObjectToObject(obj, "metadata");
		cJSON_AddStringToObject(md, "name", lab->service_account);
		cJSON_AddStringToObject(md, "namespace", lab->ns);
		cJSON_AddStringToObject(cJSON_AddObjectToObject(md,
		    "annotations"), SA_ANNOTATION, s->role_arn);
		rc = kube_create(kube, &KUBE_RES_SERVICEACCOUNTS, lab->ns, obj,
		    NULL, &e);
		cJSON_Delete(obj);
		if (rc == 0)
			return 0;
		if (!kube_error_is_already_exists(&e))
			return inst_kube_fail(&e, "create serviceaccount",
			    cause);
		kube_error_clear(&e);
	}
	if (kube_annotations_patch(kube, &KUBE_RES_SERVICEACCOUNTS, lab->ns,
	    lab->service_account, kv, 1, NULL, &e) != 0)
		return inst_kube_fail(&e, "annotate serviceaccount", cause);
	return 0;
}

/* Apply every missing piece. */
static int
sa_apply(struct irun *r, const struct iobs *o, char **cause)
{
	const struct sa_obs	*s = o->priv;
	int			 rc = 0;

	if (s->issuer_host == NULL)
		return error_set(cause, "cluster %s has no OIDC issuer yet",
		    r->in->lab->cluster.name), INST_RETRY;
	if (!s->provider)
		rc = sa_make_provider(r, s, cause);
	if (rc == 0 && (!s->role || !s->trust_ok || !s->attached))
		rc = sa_make_role(r, s, cause);
	if (rc == 0 && (!s->sa || !s->annotated))
		rc = sa_make_account(r, s, cause);
	return rc;
}

/* Verify: everything was observed. */
static int
sa_verify(struct irun *r, const struct iobs *o, char **cause)
{
	(void)r;
	(void)o;
	(void)cause;
	return 0;
}

/* Plan an uninstall. */
static void
sa_undo_plan(struct irun *r, const struct iobs *o, struct iplan *p)
{
	const struct lab_config	*lab = r->in->lab;
	const struct sa_obs	*s = o->priv;

	if (s->sa)
		iplan_add(p, icmd("kubectl", "delete", "serviceaccount", "-n",
		    lab->ns, lab->service_account, NULL), "delete "
		    "ServiceAccount %s/%s (the lab: eksctl delete "
		    "iamserviceaccount)", lab->ns, lab->service_account);
	if (s->role)
		irole_undo_plan(p, lab->role_name);
	if (s->provider && s->provider_arn != NULL)
		iplan_add(p, icmd("aws", "iam", "delete-open-id-connect-provider",
		    "--open-id-connect-provider-arn", s->provider_arn, NULL),
		    "delete the cluster's IAM OIDC provider");
}

/* Undo: ServiceAccount, role, OIDC provider. */
static int
sa_undo(struct irun *r, const struct iobs *o, char **cause)
{
	const struct sa_obs	*s = o->priv;
	struct kube_client	*kube;
	struct kube_error	 e = { 0 };
	struct aws_error	 err = { 0 };
	int			 rc;

	if (s->sa && inst_kube(r->in, &kube, NULL) == 0 &&
	    kube_delete(kube, &KUBE_RES_SERVICEACCOUNTS, r->in->lab->ns,
	    r->in->lab->service_account, NULL, &e) != 0 &&
	    !kube_error_is_not_found(&e))
		return inst_kube_fail(&e, "delete serviceaccount", cause);
	kube_error_clear(&e);
	if (s->role && (rc = irole_remove(r->in, r->in->lab->role_name,
	    cause)) != 0)
		return rc;
	if (s->provider && iam_delete_oidc_provider(r->in->aws,
	    s->provider_arn, &err) != 0 && !inst_aws_is(&err, "NoSuchEntity",
	    NULL))
		return inst_aws_fail(&err, "iam DeleteOpenIDConnectProvider",
		    cause);
	aws_error_clear(&err);
	irun_log(r, "removed the service account's identity");
	return 0;
}

const struct istep_ops istep_sa = {
	.id = "service-account",
	.title = "Service account identity (IRSA)",
	.deps = { "cluster", "iam-policy", "namespace", NULL },
	.observe = sa_observe,
	.plan = sa_plan,
	.apply = sa_apply,
	.verify = sa_verify,
	.undo_plan = sa_undo_plan,
	.undo = sa_undo,
};
