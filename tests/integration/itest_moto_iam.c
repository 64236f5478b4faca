/* IAM client against moto_server: the lab's iam-policy and
 * service-account steps (policy, OIDC provider, IRSA role, attach) and
 * their undo, plus Marker paging. Prints SKIP when moto is missing. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/iam.h"
#include "latticectl/json.h"
#include "latticectl/xmalloc.h"
#include "testlib.h"

#define POLICY_NAME "VPCLatticeControllerIAMPolicy"
#define ROLE_NAME "gateway-api-controller-irsa"
#define ISSUER_HOST "oidc.eks.us-west-2.amazonaws.com/id/" \
	"EXAMPLED539D4633E53DE1B71EXAMPLE"

static const char policy_doc[] =
    "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", "
    "\"Action\": [\"vpc-lattice:*\", \"ec2:DescribeVpcs\", "
    "\"ec2:DescribeSubnets\", \"ec2:DescribeTags\", "
    "\"ec2:DescribeSecurityGroups\", \"logs:CreateLogDelivery\", "
    "\"tag:GetResources\"], \"Resource\": \"*\"}]}";

/* The group's moto and what the steps created. */
struct env {
	struct moto_env	 m;
	char		*policy_arn;
	char		*oidc_arn;
	int		 list_calls;	/* ListPolicies exchanges seen */
};

/* Count ListPolicies exchanges (the trace hook). */
static void
count_list_calls(void *arg, const struct http_trace *t)
{
	struct env	*e = arg;

	if (t->op != NULL && strstr(t->op, "ListPolicies") != NULL)
		e->list_calls++;
}

/* Start moto for the group. */
static int
group_setup(void **state)
{
	return moto_env_setup(state, "itest_moto_iam", sizeof(struct env));
}

/* Free what the steps created, print what ran, stop moto. */
static int
group_teardown(void **state)
{
	struct env	*e = *state;

	free(e->policy_arn);
	free(e->oidc_arn);
	return moto_env_teardown(state);
}

/* Are two JSON texts the same document? */
static int
same_json(const char *a, const char *b)
{
	cJSON	*ja, *jb;
	int	 eq;

	ja = cJSON_Parse(a);
	jb = cJSON_Parse(b);
	eq = ja != NULL && jb != NULL && json_equal(ja, jb);
	cJSON_Delete(ja);
	cJSON_Delete(jb);
	return eq;
}

/* The policy step: create, get, find in Local list, read v1. */
static void
test_policy(void **state)
{
	struct env			*e = moto_env_get(state);
	struct aws_error		 err = { 0 };
	struct iam_policy_input		 in = { 0 };
	struct iam_policy		 pol = { 0 };
	struct iam_policies		 list = { 0 };
	struct iam_policy_query		 q = { IAM_SCOPE_LOCAL, NULL, 0, 0 };
	struct iam_policy_version	 pv = { 0 };
	size_t				 i, found = 0;

	in.name = POLICY_NAME;
	in.document = policy_doc;
	moto_env_ok(&e->m, iam_create_policy(e->m.aws, &in, &pol, &err), &err,
	    "CreatePolicy");
	assert_string_equal(pol.arn,
	    "arn:aws:iam::123456789012:policy/" POLICY_NAME);
	assert_string_equal(pol.default_version_id, "v1");
	assert_int_equal(pol.attachment_count, 0);
	e->policy_arn = xstrdup(pol.arn);
	iam_policy_clear(&pol);

	moto_env_ok(&e->m, iam_get_policy(e->m.aws, e->policy_arn, &pol, &err),
	    &err, "GetPolicy");
	assert_string_equal(pol.name, POLICY_NAME);
	assert_true(pol.create_date.tv_sec > 0);
	iam_policy_clear(&pol);

	moto_env_ok(&e->m, iam_list_policies(e->m.aws, &q, &list, &err), &err,
	    "ListPolicies");
	for (i = 0; i < list.n; i++) {
		if (strcmp(list.v[i].arn, e->policy_arn) == 0)
			found++;
	}
	assert_int_equal(found, 1);
	iam_policies_free(&list);

	moto_env_ok(&e->m, iam_get_policy_version(e->m.aws, e->policy_arn, "v1",
	    &pv, &err), &err, "GetPolicyVersion");
	assert_true(pv.is_default);
	if (!same_json(pv.document, policy_doc))
		fail_msg("policy document differs: %s", pv.document);
	iam_policy_version_clear(&pv);
}

/* A second page through Marker: three policies, one per page. */
static void
test_list_policies_pages(void **state)
{
	struct env		*e = moto_env_get(state);
	struct aws_error	 err = { 0 };
	struct iam_policy_input	 in = { 0 };
	struct iam_policy	 pol = { 0 };
	struct iam_policies	 list = { 0 };
	struct iam_policy_query	 q = { IAM_SCOPE_LOCAL, "/paged/", 0, 1 };
	const char		*names[] = { "paged-a", "paged-b", "paged-c" };
	size_t			 i;

	in.document = policy_doc;
	in.path = "/paged/";
	for (i = 0; i < 3; i++) {
		in.name = names[i];
		moto_env_ok(&e->m, iam_create_policy(e->m.aws, &in, &pol, &err),
		    &err, "CreatePolicy");
		iam_policy_clear(&pol);
	}
	e->list_calls = 0;
	aws_set_trace(e->m.aws, count_list_calls, e);
	moto_env_ok(&e->m, iam_list_policies(e->m.aws, &q, &list, &err), &err,
	    "ListPolicies");
	aws_set_trace(e->m.aws, NULL, NULL);
	assert_int_equal(list.n, 3);
	/* One policy per page; moto 5.2 also answers a full last page with
	 * IsTruncated, so a fourth, empty page may follow. */
	assert_true(e->list_calls >= 3 && e->list_calls <= 4);
	for (i = 0; i < 3; i++) {
		assert_string_equal(list.v[i].path, "/paged/");
		moto_env_ok(&e->m, iam_delete_policy(e->m.aws, list.v[i].arn,
		    &err), &err, "DeletePolicy");
	}
	iam_policies_free(&list);
}

/* The OIDC provider for the cluster issuer. */
static void
test_oidc(void **state)
{
	struct env			*e = moto_env_get(state);
	struct aws_error		 err = { 0 };
	struct iam_oidc_input		 in = { 0 };
	struct iam_oidc_provider	 pr = { 0 };
	struct iam_oidc_providers	 list = { 0 };
	const char			*clients[] = { "sts.amazonaws.com" };
	const char			*thumbs[] = {
		"9e99a48a9960b14926bb7f3b02e22da2b0ab7280" };
	size_t				 i, found = 0;

	in.url = "https://" ISSUER_HOST;
	in.client_ids = clients;
	in.n_client_ids = 1;
	in.thumbprints = thumbs;
	in.n_thumbprints = 1;
	moto_env_ok(&e->m, iam_create_oidc_provider(e->m.aws, &in, &e->oidc_arn,
	    &err), &err, "CreateOpenIDConnectProvider");
	assert_string_equal(e->oidc_arn,
	    "arn:aws:iam::123456789012:oidc-provider/" ISSUER_HOST);
	moto_env_ok(&e->m, iam_get_oidc_provider(e->m.aws, e->oidc_arn, &pr,
	    &err), &err, "GetOpenIDConnectProvider");
	assert_non_null(strstr(pr.url, ISSUER_HOST));
	assert_int_equal(pr.n_client_ids, 1);
	assert_string_equal(pr.client_ids[0], "sts.amazonaws.com");
	assert_int_equal(pr.n_thumbprints, 1);
	assert_string_equal(pr.thumbprints[0], thumbs[0]);
	iam_oidc_provider_clear(&pr);
	moto_env_ok(&e->m, iam_list_oidc_providers(e->m.aws, &list, &err), &err,
	    "ListOpenIDConnectProviders");
	for (i = 0; i < list.n; i++) {
		if (strcmp(list.v[i].arn, e->oidc_arn) == 0)
			found++;
	}
	assert_int_equal(found, 1);
	iam_oidc_providers_free(&list);
}

/* The IRSA trust policy for the controller's service account. */
static char *
trust_policy(const char *oidc_arn, const char *sa)
{
	char	*doc;

	xasprintf(&doc, "{\"Version\": \"2012-10-17\", \"Statement\": [{"
	    "\"Effect\": \"Allow\", \"Principal\": {\"Federated\": \"%s\"}, "
	    "\"Action\": \"sts:AssumeRoleWithWebIdentity\", \"Condition\": {"
	    "\"StringEquals\": {\"" ISSUER_HOST ":aud\": "
	    "\"sts.amazonaws.com\", "
	    "\"" ISSUER_HOST ":sub\": \"system:serviceaccount:"
	    "aws-application-networking-system:%s\"}}}]}", oidc_arn, sa);
	return doc;
}

/* The role: create, get, update trust, attach, list, detach. */
static void
test_role(void **state)
{
	struct env			*e = moto_env_get(state);
	struct aws_error		 err = { 0 };
	struct iam_role_input		 in = { 0 };
	struct iam_role			 role = { 0 };
	struct iam_attached_policies	 att = { 0 };
	struct iam_policy		 pol = { 0 };
	char				*doc, *doc2;

	assert_non_null(e->oidc_arn);
	assert_non_null(e->policy_arn);
	doc = trust_policy(e->oidc_arn, "gateway-api-controller");
	doc2 = trust_policy(e->oidc_arn, "gateway-api-controller-2");
	in.name = ROLE_NAME;
	in.assume_role_policy_document = doc;
	in.description = "latticectl IRSA role";
	moto_env_ok(&e->m, iam_create_role(e->m.aws, &in, &role, &err), &err,
	    "CreateRole");
	assert_string_equal(role.arn,
	    "arn:aws:iam::123456789012:role/" ROLE_NAME);
	assert_true(same_json(role.assume_role_policy_document, doc));
	iam_role_clear(&role);

	moto_env_ok(&e->m, iam_update_assume_role_policy(e->m.aws, ROLE_NAME,
	    doc2, &err), &err, "UpdateAssumeRolePolicy");
	moto_env_ok(&e->m, iam_get_role(e->m.aws, ROLE_NAME, &role, &err), &err,
	    "GetRole");
	assert_string_equal(role.name, ROLE_NAME);
	if (!same_json(role.assume_role_policy_document, doc2))
		fail_msg("trust policy: %s", role.assume_role_policy_document);
	iam_role_clear(&role);

	moto_env_ok(&e->m, iam_attach_role_policy(e->m.aws, ROLE_NAME,
	    e->policy_arn, &err), &err, "AttachRolePolicy");
	moto_env_ok(&e->m, iam_list_attached_role_policies(e->m.aws, ROLE_NAME,
	    NULL, 0, &att, &err), &err, "ListAttachedRolePolicies");
	assert_int_equal(att.n, 1);
	assert_string_equal(att.v[0].arn, e->policy_arn);
	assert_string_equal(att.v[0].name, POLICY_NAME);
	iam_attached_policies_free(&att);
	moto_env_ok(&e->m, iam_get_policy(e->m.aws, e->policy_arn, &pol, &err),
	    &err, "GetPolicy");
	assert_int_equal(pol.attachment_count, 1);
	iam_policy_clear(&pol);

	moto_env_ok(&e->m, iam_detach_role_policy(e->m.aws, ROLE_NAME,
	    e->policy_arn, &err), &err, "DetachRolePolicy");
	moto_env_ok(&e->m, iam_list_attached_role_policies(e->m.aws, ROLE_NAME,
	    NULL, 0, &att, &err), &err, "ListAttachedRolePolicies");
	assert_int_equal(att.n, 0);
	free(doc);
	free(doc2);
}

/* Errors the installer relies on: exists, missing, not attachable. */
static void
test_errors(void **state)
{
	struct env		*e = moto_env_get(state);
	struct aws_error	 err = { 0 };
	struct iam_policy	 pol = { 0 };
	struct iam_policy_input	 in = { 0 };

	assert_int_equal(iam_get_policy(e->m.aws,
	    "arn:aws:iam::aws:policy/VPCLatticeFullAccess", &pol, &err), -1);
	assert_string_equal(err.code, "NoSuchEntity");
	aws_error_clear(&err);
	in.name = POLICY_NAME;
	in.document = policy_doc;
	assert_int_equal(iam_create_policy(e->m.aws, &in, &pol, &err), -1);
	assert_string_equal(err.code, "EntityAlreadyExists");
	aws_error_clear(&err);
	assert_int_equal(iam_attach_role_policy(e->m.aws, ROLE_NAME,
	    "arn:aws:iam::123456789012:policy/missing", &err), -1);
	assert_string_equal(err.code, "NoSuchEntity");
	aws_error_clear(&err);
}

/* Undo: delete role, policy and provider; they are gone afterwards. */
static void
test_undo(void **state)
{
	struct env			*e = moto_env_get(state);
	struct aws_error		 err = { 0 };
	struct iam_role			 role = { 0 };
	struct iam_policy		 pol = { 0 };
	struct iam_oidc_providers	 list = { 0 };

	moto_env_ok(&e->m, iam_delete_role(e->m.aws, ROLE_NAME, &err), &err,
	    "DeleteRole");
	assert_int_equal(iam_get_role(e->m.aws, ROLE_NAME, &role, &err), -1);
	assert_string_equal(err.code, "NoSuchEntity");
	aws_error_clear(&err);
	moto_env_ok(&e->m, iam_delete_policy(e->m.aws, e->policy_arn, &err),
	    &err, "DeletePolicy");
	assert_int_equal(iam_get_policy(e->m.aws, e->policy_arn, &pol, &err),
	    -1);
	assert_string_equal(err.code, "NoSuchEntity");
	aws_error_clear(&err);
	moto_env_ok(&e->m, iam_delete_oidc_provider(e->m.aws, e->oidc_arn,
	    &err), &err, "DeleteOpenIDConnectProvider");
	moto_env_ok(&e->m, iam_list_oidc_providers(e->m.aws, &list, &err), &err,
	    "ListOpenIDConnectProviders");
	assert_int_equal(list.n, 0);
	iam_oidc_providers_free(&list);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_policy),
		cmocka_unit_test(test_list_policies_pages),
		cmocka_unit_test(test_oidc),
		cmocka_unit_test(test_role),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_undo),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
