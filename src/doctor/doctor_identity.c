/* doctor, the controller's identity: the IRSA annotation, the role, its
 * trust policy naming the ServiceAccount, the policies attached granting
 * the recommended actions; and the Gateway API CRD versions. */
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/iam.h"
#include "latticectl/install.h"
#include "latticectl/json.h"
#include "latticectl/strbuf.h"
#include "latticectl/xmalloc.h"

#include "doctor_int.h"

#define DOC_IRSA_ANN	"eks.amazonaws.com/role-arn"
#define DOC_BUNDLE_ANN	"gateway.networking.k8s.io/bundle-version"
#define DOC_ROLE	"VPCLatticeControllerIAMRole"
#define DOC_POLICY	"VPCLatticeControllerIAMPolicy"

/* Skip the checks that need the role. */
static void
doc_identity_skip(struct doc *d, const char *why)
{
	doc_add(d, "cluster.iam-role", "IAM role", DOCTOR_SKIP,
	    "The controller's IAM role exists", why, NULL);
	doc_add(d, "cluster.iam-trust", "IAM role", DOCTOR_SKIP,
	    "The role trusts the controller's ServiceAccount", why, NULL);
	doc_add(d, "cluster.iam-policy", "IAM role", DOCTOR_SKIP,
	    "The role's policies grant the controller's actions", why, NULL);
}

/* cluster.irsa; sets d->role_arn. */
static void
doc_check_irsa(struct doc *d)
{
	const char	*t = "The controller's ServiceAccount has an IAM role "
	    "(IRSA)";
	cJSON		*sa = NULL;
	char		*cause = NULL, *subj, *fix;
	const char	*arn;
	int		 rc;

	xasprintf(&subj, "ServiceAccount/%s/%s", d->sa_ns, d->sa_name);
	xasprintf(&fix, "kubectl -n %s annotate serviceaccount %s "
	    DOC_IRSA_ANN "=arn:aws:iam::%s:role/" DOC_ROLE, d->sa_ns,
	    d->sa_name, d->account);
	rc = doc_kget(d, &KUBE_RES_SERVICEACCOUNTS, d->sa_ns, d->sa_name, &sa,
	    &cause);
	arn = json_str(json_path(sa, "metadata.annotations"), DOC_IRSA_ANN);
	if (rc != 0)
		doc_addf(d, "cluster.irsa", subj, DOCTOR_FAIL, t,
		    "latticectl install --only service-account",
		    "the ServiceAccount %s/%s %s", d->sa_ns, d->sa_name,
		    rc > 0 ? "does not exist" : cause);
	else if (arn == NULL || *arn == '\0')
		doc_addf(d, "cluster.irsa", subj, DOCTOR_FAIL, t, fix,
		    "no %s annotation: the controller has no AWS credentials "
		    "(EKS Pod Identity is not checked)", DOC_IRSA_ANN);
	else {
		d->role_arn = xstrdup(arn);
		doc_addf(d, "cluster.irsa", subj, DOCTOR_OK, t, NULL,
		    "%s=%s", DOC_IRSA_ANN, arn);
	}
	free(cause);
	free(fix);
	free(subj);
	cJSON_Delete(sa);
}

/* Does any string under o match the subject (IAM wildcards)? */
static int
doc_trust_names(const cJSON *o, const char *subject)
{
	const cJSON	*x;

	if (cJSON_IsString(o))
		return strncmp(o->valuestring, "system:serviceaccount:", 22) ==
		    0 && fnmatch(o->valuestring, subject, 0) == 0;
	cJSON_ArrayForEach(x, o) {
		if (doc_trust_names(x, subject))
			return 1;
	}
	return 0;
}

/* cluster.iam-trust */
static void
doc_check_trust(struct doc *d, const char *subj, const struct iam_role *r)
{
	const char	*t = "The role trusts the controller's ServiceAccount";
	cJSON		*doc;
	char		*sub, *fix, *cause = NULL;
	const char	*issuer = d->have_eks ? d->eks.oidc_issuer : NULL;

	xasprintf(&sub, "system:serviceaccount:%s:%s", d->sa_ns, d->sa_name);
	xasprintf(&fix, "aws iam update-assume-role-policy --role-name %s "
	    "--policy-document file://trust.json   # Condition StringEquals "
	    "<issuer>:sub = %s", r->name, sub);
	doc = json_parse(r->assume_role_policy_document != NULL ?
	    r->assume_role_policy_document : "", r->assume_role_policy_document
	    != NULL ? strlen(r->assume_role_policy_document) : 0,
	    "trust policy", &cause);
	if (doc == NULL || !doc_trust_names(doc, sub))
		doc_addf(d, "cluster.iam-trust", subj, DOCTOR_FAIL, t, fix,
		    "the trust policy of %s does not name %s%s%s", r->name, sub,
		    cause != NULL ? ": " : "", cause != NULL ? cause : "");
	else if (issuer != NULL && strncmp(issuer, "https://", 8) == 0 &&
	    strstr(r->assume_role_policy_document, issuer + 8) == NULL)
		doc_addf(d, "cluster.iam-trust", subj, DOCTOR_FAIL, t, fix,
		    "the trust policy names %s but not the cluster's OIDC "
		    "issuer %s", sub, issuer);
	else
		doc_addf(d, "cluster.iam-trust", subj, DOCTOR_OK, t, NULL,
		    "sts:AssumeRoleWithWebIdentity for %s", sub);
	cJSON_Delete(doc);
	free(cause);
	free(sub);
	free(fix);
}

/* The default version's document of a managed policy (parsed), or NULL. */
static cJSON *
doc_policy_doc(struct doc *d, const char *arn)
{
	struct iam_policy		 p;
	struct iam_policy_version	 v;
	struct aws_error		 err;
	cJSON				*doc = NULL;
	char				*cause = NULL;

	memset(&p, 0, sizeof(p));
	memset(&v, 0, sizeof(v));
	memset(&err, 0, sizeof(err));
	if (iam_get_policy(d->aws, arn, &p, &err) == 0 &&
	    iam_get_policy_version(d->aws, arn, p.default_version_id, &v,
	    &err) == 0 && v.document != NULL)
		doc = json_parse(v.document, strlen(v.document), arn, &cause);
	free(cause);
	aws_error_clear(&err);
	iam_policy_clear(&p);
	iam_policy_version_clear(&v);
	return doc;
}

/* Add action to sb ("a, b") when none of docs allows it. */
static void
doc_note_action(const cJSON *docs, const char *action, struct strbuf *sb)
{
	const cJSON	*x;
	int		 ok = 0;

	cJSON_ArrayForEach(x, docs)
		ok |= doctor_policy_allows(x, action);
	if (!ok)
		strbuf_addf(sb, "%s%s", sb->len > 0 ? ", " : "", action);
}

/* The recommended actions none of docs allows, as "a, b" ("" if none). */
static char *
doc_missing_actions(const cJSON *docs)
{
	cJSON		*rec = install_policy_document();
	const cJSON	*st, *a;
	struct strbuf	 sb;

	strbuf_init(&sb);
	cJSON_ArrayForEach(st, json_path(rec, "Statement")) {
		cJSON_ArrayForEach(a, json_path(st, "Action"))
			doc_note_action(docs, a->valuestring, &sb);
		if (cJSON_IsString(json_path(st, "Action")))
			doc_note_action(docs, json_path(st, "Action")->
			    valuestring, &sb);
	}
	cJSON_Delete(rec);
	return strbuf_detach(&sb, NULL);
}

/* cluster.iam-policy */
static void
doc_check_policy(struct doc *d, const char *subj, const char *role)
{
	const char			*t = "The role's policies grant the "
	    "controller's actions";
	struct iam_attached_policies	 ap;
	struct aws_error		 err;
	struct strbuf			 names;
	cJSON				*docs = cJSON_CreateArray(), *x;
	char				*missing = NULL, *fix;
	size_t				 i;

	memset(&ap, 0, sizeof(ap));
	memset(&err, 0, sizeof(err));
	strbuf_init(&names);
	xasprintf(&fix, "aws iam attach-role-policy --role-name %s "
	    "--policy-arn arn:aws:iam::%s:policy/" DOC_POLICY, role,
	    d->account);
	if (iam_list_attached_role_policies(d->aws, role, NULL, 0, &ap,
	    &err) != 0) {
		doc_addf(d, "cluster.iam-policy", subj, DOCTOR_FAIL, t, NULL,
		    "ListAttachedRolePolicies: %s", err.message);
		goto out;
	}
	for (i = 0; i < ap.n; i++) {
		strbuf_addf(&names, "%s%s", i > 0 ? ", " : "", ap.v[i].name);
		if ((x = doc_policy_doc(d, ap.v[i].arn)) != NULL)
			cJSON_AddItemToArray(docs, x);
	}
	missing = doc_missing_actions(docs);
	if (ap.n == 0)
		doc_addf(d, "cluster.iam-policy", subj, DOCTOR_FAIL, t, fix,
		    "no policy is attached to %s", role);
	else if (*missing != '\0')
		doc_addf(d, "cluster.iam-policy", subj, DOCTOR_FAIL, t, fix,
		    "attached (%s) but not allowed: %s", names.buf, missing);
	else
		doc_addf(d, "cluster.iam-policy", subj, DOCTOR_OK, t, NULL,
		    "attached: %s; every recommended action allowed",
		    names.buf);
out:
	free(missing);
	free(fix);
	strbuf_free(&names);
	cJSON_Delete(docs);
	aws_error_clear(&err);
	iam_attached_policies_free(&ap);
}

/* Describe the EKS cluster once (d->have_eks). */
static void
doc_eks_load(struct doc *d)
{
	struct aws_error	err;

	if (d->have_eks || d->cluster == NULL)
		return;
	memset(&err, 0, sizeof(err));
	memset(&d->eks, 0, sizeof(d->eks));
	if (eks_describe_cluster(d->aws, d->cluster, &d->eks, &err) == 0)
		d->have_eks = 1;
	else
		eks_cluster_clear(&d->eks);
	aws_error_clear(&err);
	if (d->have_eks && d->vpc_id == NULL && d->eks.vpc.vpc_id != NULL)
		d->vpc_id = xstrdup(d->eks.vpc.vpc_id);
}

/* The identity checks. */
void
doc_identity(struct doc *d)
{
	struct iam_role		 r;
	struct aws_error	 err;
	const char		*t = "The controller's IAM role exists", *name;
	char			*subj;

	doc_eks_load(d);
	doc_check_irsa(d);
	if (d->role_arn == NULL) {
		doc_identity_skip(d, "no role to check (no IRSA annotation)");
		return;
	}
	name = strrchr(d->role_arn, '/') != NULL ? strrchr(d->role_arn, '/')
	    + 1 : d->role_arn;
	xasprintf(&subj, "IAM role %s", name);
	memset(&r, 0, sizeof(r));
	memset(&err, 0, sizeof(err));
	if (iam_get_role(d->aws, name, &r, &err) != 0) {
		doc_addf(d, "cluster.iam-role", subj, DOCTOR_FAIL, t,
		    "latticectl install --only service-account",
		    "%s: %s", d->role_arn, err.code != NULL ? err.code :
		    "GetRole failed");
		doc_add(d, "cluster.iam-trust", subj, DOCTOR_SKIP, "The role "
		    "trusts the controller's ServiceAccount", "no role", NULL);
		doc_add(d, "cluster.iam-policy", subj, DOCTOR_SKIP, "The "
		    "role's policies grant the controller's actions",
		    "no role", NULL);
	} else {
		doc_addf(d, "cluster.iam-role", subj, DOCTOR_OK, t, NULL, "%s",
		    r.arn);
		doc_check_trust(d, subj, &r);
		doc_check_policy(d, subj, name);
	}
	aws_error_clear(&err);
	iam_role_clear(&r);
	free(subj);
}

/* "v1.2.3" >= "v1.0.0"? (major.minor compared) */
static int
doc_version_ok(const char *v, int major, int minor)
{
	int	ma = 0, mi = 0;

	if (v == NULL || sscanf(v[0] == 'v' ? v + 1 : v, "%d.%d", &ma,
	    &mi) < 1)
		return 0;
	return ma > major || (ma == major && mi >= minor);
}

/* cluster.crds: the Gateway API kinds served at the versions the
 * controller needs (v1 Gateway and HTTPRoute: bundle v1.0 or later). */
void
doc_crds(struct doc *d)
{
	const char	*t = "Gateway API CRDs at the versions the controller "
	    "needs";
	static const char *const kinds[] = { "gatewayclasses", "gateways",
	    "httproutes" };
	struct strbuf	 bad;
	cJSON		*crd = NULL;
	char		*ver = NULL, *cause = NULL, *name;
	const char	*bundle = NULL;
	size_t		 i;

	strbuf_init(&bad);
	for (i = 0; i < 3; i++) {
		if (kube_discover(d->kc, "gateway.networking.k8s.io", kinds[i],
		    &ver, &cause) != 0) {
			strbuf_addf(&bad, "%s%s not served", bad.len > 0 ?
			    "; " : "", kinds[i]);
			free(cause);
			cause = NULL;
		} else if (strcmp(ver, "v1") != 0)
			strbuf_addf(&bad, "%s%s served as %s, not v1",
			    bad.len > 0 ? "; " : "", kinds[i], ver);
		free(ver);
		ver = NULL;
	}
	name = xstrdup("httproutes.gateway.networking.k8s.io");
	if (doc_kget(d, &KUBE_RES_CRDS, NULL, name, &crd, &cause) == 0)
		bundle = json_str(json_path(crd, "metadata.annotations"),
		    DOC_BUNDLE_ANN);
	free(cause);
	if (bad.len == 0 && bundle != NULL && !doc_version_ok(bundle, 1, 0))
		strbuf_addf(&bad, "bundle %s is older than v1.0.0", bundle);
	if (bad.len > 0)
		doc_addf(d, "cluster.crds", "CRDs", DOCTOR_FAIL, t,
		    "kubectl apply -f https://github.com/kubernetes-sigs/"
		    "gateway-api/releases/download/v1.2.0/standard-install."
		    "yaml", "%s", bad.buf);
	else
		doc_addf(d, "cluster.crds", "CRDs", DOCTOR_OK, t, NULL,
		    "GatewayClass, Gateway, HTTPRoute served as v1 (bundle "
		    "%s)", bundle != NULL ? bundle : "unknown");
	cJSON_Delete(crd);
	free(name);
	strbuf_free(&bad);
}
