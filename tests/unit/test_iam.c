/* IAM client tests against the canned transport: form fields sent, typed
 * results from real-shaped XML, Marker/IsTruncated pages, error XML. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "latticectl/http.h"
#include "latticectl/iam.h"
#include "latticectl/xmalloc.h"
#include "testlib.h"

#define NS "xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\""
#define META "<ResponseMetadata><RequestId>7a62c49f-347e-4fc4-9331-" \
	"6e8eEXAMPLE</RequestId></ResponseMetadata>"
#define POLICY_ARN "arn:aws:iam::123456789012:policy/" \
	"VPCLatticeControllerIAMPolicy"
#define OIDC_ARN "arn:aws:iam::123456789012:oidc-provider/" \
	"oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"

/* Operations the tests below exercised (checked at the end). */
static struct test_ops iam_ops = { .svc = "iam", .names = {
	"CreatePolicy", "GetPolicy", "ListPolicies", "DeletePolicy",
	"GetPolicyVersion", "CreateRole", "GetRole", "DeleteRole",
	"UpdateAssumeRolePolicy", "AttachRolePolicy", "DetachRolePolicy",
	"ListAttachedRolePolicies", "CreateOpenIDConnectProvider",
	"GetOpenIDConnectProvider", "ListOpenIDConnectProviders",
	"DeleteOpenIDConnectProvider", NULL
} };

/* The controller's trust policy shape (quotes, colons, spaces, '+'). */
static const char trust_doc[] =
    "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", "
    "\"Principal\": {\"Federated\": \"arn:aws:iam::123456789012:"
    "oidc-provider/oidc.eks.us-west-2.amazonaws.com/id/ABC\"}, \"Action\": "
    "\"sts:AssumeRoleWithWebIdentity\", \"Condition\": {\"StringEquals\": {"
    "\"oidc.eks.us-west-2.amazonaws.com/id/ABC:sub\": \"system:"
    "serviceaccount:aws-application-networking-system:gateway-api-"
    "controller\", \"x+y\": \"100%\"}}}]}";

/* Assert that request i is op with exactly these extra fields, signed
 * for IAM's global region. */
static void
check_form(struct canned *c, size_t i, const char *op, size_t nfields,
    const char *const *kv)
{
	const char	*auth;

	assert_true(i < c->n_req);
	auth = http_headers_get(&c->req[i].headers, "Authorization");
	assert_non_null(auth);
	assert_non_null(strstr(auth, "/us-east-1/iam/aws4_request"));
	canned_check_form(c, i, op, "2010-05-08", nfields, kv);
	test_ops_seen(&iam_ops, op);
}

/* Epoch seconds of a UTC calendar time. */
static time_t
utc(int y, int mo, int d, int h, int mi, int s)
{
	struct tm	tm;

	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = s;
	return timegm(&tm);
}

/* A <Policy> element body. */
#define POLICY_XML(name, count) \
	"<PolicyName>" name "</PolicyName><DefaultVersionId>v1" \
	"</DefaultVersionId><PolicyId>ANPA4ITCK5KJMEXAMPLE</PolicyId>" \
	"<Path>/</Path><Arn>arn:aws:iam::123456789012:policy/" name "</Arn>" \
	"<AttachmentCount>" count "</AttachmentCount>" \
	"<PermissionsBoundaryUsageCount>0</PermissionsBoundaryUsageCount>" \
	"<IsAttachable>true</IsAttachable><CreateDate>2026-11-28T06:22:11Z" \
	"</CreateDate><UpdateDate>2026-11-28T06:22:11Z</UpdateDate>"

/* CreatePolicy: every input field, document round trip, typed policy. */
static void
test_create_policy(void **state)
{
	struct canned		 c = { 0 };
	struct aws		*aws = canned_aws(&c);
	struct aws_error	 err = { 0 };
	struct aws_tags		 tags = { 0 };
	struct iam_policy	 pol = { 0 };
	struct iam_policy_input	 in = { 0 };
	const char		*doc = "{\"Version\": \"2012-10-17\", "
	    "\"Statement\": [{\"Effect\": \"Allow\", \"Action\": "
	    "[\"vpc-lattice:*\", \"ec2:DescribeVpcs\"], \"Resource\": \"*\"}]}";
	const char *const	 kv[] = {
		"PolicyName", "VPCLatticeControllerIAMPolicy",
		"Path", "/",
		"PolicyDocument", doc,
		"Description", "Gateway API controller & friends",
		"Tags.member.1.Key", "latticectl/step",
		"Tags.member.1.Value", "iam-policy",
	};

	aws_tags_set(&tags, "latticectl/step", "iam-policy");
	in.name = "VPCLatticeControllerIAMPolicy";
	in.document = doc;
	in.path = "/";
	in.description = "Gateway API controller & friends";
	in.tags = &tags;
	canned_push(&c, 200, "<CreatePolicyResponse " NS "><CreatePolicyResult>"
	    "<Policy>" POLICY_XML("VPCLatticeControllerIAMPolicy", "0")
	    "</Policy></CreatePolicyResult>" META "</CreatePolicyResponse>",
	    NULL, NULL);
	assert_int_equal(iam_create_policy(aws, &in, &pol, &err), 0);
	check_form(&c, 0, "CreatePolicy", 6, kv);
	assert_string_equal(pol.arn, POLICY_ARN);
	assert_string_equal(pol.name, "VPCLatticeControllerIAMPolicy");
	assert_string_equal(pol.id, "ANPA4ITCK5KJMEXAMPLE");
	assert_string_equal(pol.path, "/");
	assert_string_equal(pol.default_version_id, "v1");
	assert_int_equal(pol.attachment_count, 0);
	assert_true(pol.is_attachable);
	assert_int_equal(pol.create_date.tv_sec,
	    utc(2026, 11, 28, 6, 22, 11));
	iam_policy_clear(&pol);
	assert_null(pol.arn);
	aws_tags_free(&tags);
	aws_free(aws);
	canned_free(&c);
}

/* GetPolicy, then NoSuchEntity in <ErrorResponse> form. */
static void
test_get_policy(void **state)
{
	struct canned		 c = { 0 };
	struct aws		*aws = canned_aws(&c);
	struct aws_error	 err = { 0 };
	struct iam_policy	 pol = { 0 };
	const char *const	 kv[] = { "PolicyArn", POLICY_ARN };

	canned_push(&c, 200, "<GetPolicyResponse " NS "><GetPolicyResult>"
	    "<Policy>" POLICY_XML("VPCLatticeControllerIAMPolicy", "2")
	    "</Policy></GetPolicyResult>" META "</GetPolicyResponse>",
	    NULL, NULL);
	canned_push(&c, 404, "<ErrorResponse " NS "><Error><Type>Sender</Type>"
	    "<Code>NoSuchEntity</Code><Message>Policy arn:aws:iam::aws:policy/"
	    "VPCLatticeFullAccess not found</Message></Error><RequestId>"
	    "req-404</RequestId></ErrorResponse>", NULL, NULL);
	assert_int_equal(iam_get_policy(aws, POLICY_ARN, &pol, &err), 0);
	check_form(&c, 0, "GetPolicy", 1, kv);
	assert_string_equal(pol.arn, POLICY_ARN);
	assert_int_equal(pol.attachment_count, 2);
	iam_policy_clear(&pol);
	assert_int_equal(iam_get_policy(aws,
	    "arn:aws:iam::aws:policy/VPCLatticeFullAccess", &pol, &err), -1);
	assert_int_equal(c.n_req, 2);
	assert_string_equal(err.code, "NoSuchEntity");
	assert_int_equal(err.status, 404);
	assert_string_equal(err.request_id, "req-404");
	assert_string_equal(err.op, "iam:GetPolicy");
	assert_null(pol.arn);
	aws_error_clear(&err);
	aws_free(aws);
	canned_free(&c);
}

/* ListPolicies: Scope/OnlyAttached/PathPrefix/MaxItems, two pages. */
static void
test_list_policies(void **state)
{
	struct canned		 c = { 0 };
	struct aws		*aws = canned_aws(&c);
	struct aws_error	 err = { 0 };
	struct iam_policies	 out = { 0 };
	struct iam_policy_query	 q = { IAM_SCOPE_LOCAL, "/", 1, 1 };
	const char *const	 p1[] = {
		"Scope", "Local", "OnlyAttached", "true", "PathPrefix", "/",
		"MaxItems", "1",
	};
	const char *const	 p2[] = {
		"Scope", "Local", "OnlyAttached", "true", "PathPrefix", "/",
		"MaxItems", "1", "Marker", "AAE/page+2==",
	};

	canned_push(&c, 200, "<ListPoliciesResponse " NS "><ListPoliciesResult>"
	    "<IsTruncated>true</IsTruncated><Marker>AAE/page+2==</Marker>"
	    "<Policies><member>" POLICY_XML("VPCLatticeControllerIAMPolicy",
	    "1") "</member></Policies></ListPoliciesResult>" META
	    "</ListPoliciesResponse>", NULL, NULL);
	canned_push(&c, 200, "<ListPoliciesResponse " NS "><ListPoliciesResult>"
	    "<IsTruncated>false</IsTruncated><Marker>ignored</Marker>"
	    "<Policies><member>" POLICY_XML("Other", "0") "</member>"
	    "</Policies></ListPoliciesResult>" META "</ListPoliciesResponse>",
	    NULL, NULL);
	assert_int_equal(iam_list_policies(aws, &q, &out, &err), 0);
	assert_int_equal(c.n_req, 2);
	check_form(&c, 0, "ListPolicies", 4, p1);
	check_form(&c, 1, "ListPolicies", 5, p2);
	assert_int_equal(out.n, 2);
	assert_string_equal(out.v[0].arn, POLICY_ARN);
	assert_int_equal(out.v[0].attachment_count, 1);
	assert_string_equal(out.v[1].name, "Other");
	iam_policies_free(&out);
	assert_string_equal(iam_scope_name(IAM_SCOPE_AWS), "AWS");
	assert_string_equal(iam_scope_name(IAM_SCOPE_ALL), "All");
	aws_free(aws);
	canned_free(&c);
}

/* DeletePolicy, then DeleteConflict. */
static void
test_delete_policy(void **state)
{
	struct canned		 c = { 0 };
	struct aws		*aws = canned_aws(&c);
	struct aws_error	 err = { 0 };
	const char *const	 kv[] = { "PolicyArn", POLICY_ARN };

	canned_push(&c, 200, "<DeletePolicyResponse " NS ">" META
	    "</DeletePolicyResponse>", NULL, NULL);
	canned_push(&c, 409, "<ErrorResponse " NS "><Error><Type>Sender</Type>"
	    "<Code>DeleteConflict</Code><Message>Cannot delete a policy "
	    "attached to entities.</Message></Error><RequestId>r</RequestId>"
	    "</ErrorResponse>", NULL, NULL);
	assert_int_equal(iam_delete_policy(aws, POLICY_ARN, &err), 0);
	check_form(&c, 0, "DeletePolicy", 1, kv);
	assert_int_equal(iam_delete_policy(aws, POLICY_ARN, &err), -1);
	assert_string_equal(err.code, "DeleteConflict");
	assert_int_equal(err.status, 409);
	aws_error_clear(&err);
	aws_free(aws);
	canned_free(&c);
}

/* GetPolicyVersion: the percent-encoded document comes back decoded. */
static void
test_get_policy_version(void **state)
{
	struct canned			 c = { 0 };
	struct aws			*aws = canned_aws(&c);
	struct aws_error		 err = { 0 };
	struct iam_policy_version	 pv = { 0 };
	const char *const		 kv[] = {
		"PolicyArn", POLICY_ARN, "VersionId", "v1",
	};

	canned_push(&c, 200, "<GetPolicyVersionResponse " NS ">"
	    "<GetPolicyVersionResult><PolicyVersion><Document>"
	    "%7B%22Version%22%3A%20%222012-10-17%22%2C%20%22Statement%22%3A%20"
	    "%5B%7B%22Effect%22%3A%20%22Allow%22%2C%20%22Action%22%3A%20%22"
	    "vpc-lattice%3A%2A%22%2C%20%22Resource%22%3A%20%22%2A%22%7D%5D%7D"
	    "</Document><VersionId>v1</VersionId><IsDefaultVersion>true"
	    "</IsDefaultVersion><CreateDate>2026-11-28T06:22:11.342Z"
	    "</CreateDate></PolicyVersion></GetPolicyVersionResult>" META
	    "</GetPolicyVersionResponse>", NULL, NULL);
	assert_int_equal(iam_get_policy_version(aws, POLICY_ARN, "v1", &pv,
	    &err), 0);
	check_form(&c, 0, "GetPolicyVersion", 2, kv);
	assert_string_equal(pv.document, "{\"Version\": \"2012-10-17\", "
	    "\"Statement\": [{\"Effect\": \"Allow\", \"Action\": "
	    "\"vpc-lattice:*\", \"Resource\": \"*\"}]}");
	assert_string_equal(pv.version_id, "v1");
	assert_true(pv.is_default);
	assert_int_equal(pv.create_date.tv_sec, utc(2026, 11, 28, 6, 22, 11));
	iam_policy_version_clear(&pv);
	aws_free(aws);
	canned_free(&c);
}

/* A <Role> element with the encoded trust policy. */
static char *
role_xml(const char *op)
{
	char	*enc, *xml;

	enc = http_urlencode(trust_doc, 0);
	xasprintf(&xml, "<%sResponse " NS "><%sResult><Role><Path>/</Path>"
	    "<RoleName>gateway-api-controller</RoleName><RoleId>"
	    "AROA4ITCK5KJMEXAMPLE</RoleId><Arn>arn:aws:iam::123456789012:role/"
	    "gateway-api-controller</Arn><CreateDate>2026-11-28T06:22:12Z"
	    "</CreateDate><AssumeRolePolicyDocument>%s"
	    "</AssumeRolePolicyDocument><MaxSessionDuration>3600"
	    "</MaxSessionDuration><RoleLastUsed/></Role></%sResult>" META
	    "</%sResponse>", op, op, enc, op, op);
	free(enc);
	return xml;
}

/* CreateRole and GetRole: fields sent, trust document decoded. */
static void
test_create_get_role(void **state)
{
	struct canned		 c = { 0 };
	struct aws		*aws = canned_aws(&c);
	struct aws_error	 err = { 0 };
	struct iam_role		 role = { 0 };
	struct iam_role_input	 in = { 0 };
	char			*xml;
	const char *const	 kv[] = {
		"RoleName", "gateway-api-controller",
		"AssumeRolePolicyDocument", trust_doc,
		"Description", "IRSA role",
		"MaxSessionDuration", "7200",
	};
	const char *const	 kv2[] = {
		"RoleName", "gateway-api-controller",
	};

	in.name = "gateway-api-controller";
	in.assume_role_policy_document = trust_doc;
	in.description = "IRSA role";
	in.max_session_duration = 7200;
	xml = role_xml("CreateRole");
	canned_push(&c, 200, xml, NULL, NULL);
	free(xml);
	xml = role_xml("GetRole");
	canned_push(&c, 200, xml, NULL, NULL);
	free(xml);
	assert_int_equal(iam_create_role(aws, &in, &role, &err), 0);
	check_form(&c, 0, "CreateRole", 4, kv);
	assert_string_equal(role.arn,
	    "arn:aws:iam::123456789012:role/gateway-api-controller");
	assert_string_equal(role.assume_role_policy_document, trust_doc);
	iam_role_clear(&role);
	assert_int_equal(iam_get_role(aws, "gateway-api-controller", &role,
	    &err), 0);
	check_form(&c, 1, "GetRole", 1, kv2);
	assert_string_equal(role.name, "gateway-api-controller");
	assert_string_equal(role.id, "AROA4ITCK5KJMEXAMPLE");
	assert_string_equal(role.path, "/");
	assert_int_equal(role.max_session_duration, 3600);
	assert_int_equal(role.create_date.tv_sec, utc(2026, 11, 28, 6, 22, 12));
	assert_string_equal(role.assume_role_policy_document, trust_doc);
	assert_null(role.description);
	iam_role_clear(&role);
	aws_free(aws);
	canned_free(&c);
}

/* CreateRole on an existing name: EntityAlreadyExists. */
static void
test_create_role_exists(void **state)
{
	struct canned		 c = { 0 };
	struct aws		*aws = canned_aws(&c);
	struct aws_error	 err = { 0 };
	struct iam_role		 role = { 0 };
	struct iam_role_input	 in = { 0 };

	in.name = "gateway-api-controller";
	in.assume_role_policy_document = trust_doc;
	canned_push(&c, 409, "<ErrorResponse " NS "><Error><Type>Sender</Type>"
	    "<Code>EntityAlreadyExists</Code><Message>Role with name "
	    "gateway-api-controller already exists.</Message></Error>"
	    "<RequestId>r</RequestId></ErrorResponse>", NULL, NULL);
	assert_int_equal(iam_create_role(aws, &in, &role, &err), -1);
	assert_string_equal(err.code, "EntityAlreadyExists");
	assert_null(role.arn);
	aws_error_clear(&err);
	aws_free(aws);
	canned_free(&c);
}

/* The write-only role calls send exactly their two or one fields. */
static void
test_role_writes(void **state)
{
	struct canned		 c = { 0 };
	struct aws		*aws = canned_aws(&c);
	struct aws_error	 err = { 0 };
	const char *const	 upd[] = {
		"RoleName", "gateway-api-controller",
		"PolicyDocument", trust_doc,
	};
	const char *const	 att[] = {
		"RoleName", "gateway-api-controller", "PolicyArn", POLICY_ARN,
	};
	const char *const	 del[] = {
		"RoleName", "gateway-api-controller",
	};

	canned_push(&c, 200, "<UpdateAssumeRolePolicyResponse " NS ">" META
	    "</UpdateAssumeRolePolicyResponse>", NULL, NULL);
	canned_push(&c, 200, "<AttachRolePolicyResponse " NS ">" META
	    "</AttachRolePolicyResponse>", NULL, NULL);
	canned_push(&c, 200, "<DetachRolePolicyResponse " NS ">" META
	    "</DetachRolePolicyResponse>", NULL, NULL);
	canned_push(&c, 200, "<DeleteRoleResponse " NS ">" META
	    "</DeleteRoleResponse>", NULL, NULL);
	canned_push(&c, 404, "<ErrorResponse " NS "><Error><Type>Sender</Type>"
	    "<Code>NoSuchEntity</Code><Message>Policy " POLICY_ARN " does not "
	    "exist or is not attachable.</Message></Error></ErrorResponse>",
	    NULL, NULL);
	assert_int_equal(iam_update_assume_role_policy(aws,
	    "gateway-api-controller", trust_doc, &err), 0);
	assert_int_equal(iam_attach_role_policy(aws, "gateway-api-controller",
	    POLICY_ARN, &err), 0);
	assert_int_equal(iam_detach_role_policy(aws, "gateway-api-controller",
	    POLICY_ARN, &err), 0);
	assert_int_equal(iam_delete_role(aws, "gateway-api-controller", &err),
	    0);
	check_form(&c, 0, "UpdateAssumeRolePolicy", 2, upd);
	check_form(&c, 1, "AttachRolePolicy", 2, att);
	check_form(&c, 2, "DetachRolePolicy", 2, att);
	check_form(&c, 3, "DeleteRole", 1, del);
	assert_int_equal(iam_attach_role_policy(aws, "gateway-api-controller",
	    POLICY_ARN, &err), -1);
	assert_string_equal(err.code, "NoSuchEntity");
	assert_string_equal(err.op, "iam:AttachRolePolicy");
	aws_error_clear(&err);
	aws_free(aws);
	canned_free(&c);
}

/* ListAttachedRolePolicies: two pages by Marker. */
static void
test_list_attached(void **state)
{
	struct canned			 c = { 0 };
	struct aws			*aws = canned_aws(&c);
	struct aws_error		 err = { 0 };
	struct iam_attached_policies	 out = { 0 };
	const char *const		 p1[] = {
		"RoleName", "gateway-api-controller",
	};
	const char *const		 p2[] = {
		"RoleName", "gateway-api-controller", "Marker", "m2",
	};

	canned_push(&c, 200, "<ListAttachedRolePoliciesResponse " NS ">"
	    "<ListAttachedRolePoliciesResult><AttachedPolicies><member>"
	    "<PolicyName>VPCLatticeControllerIAMPolicy</PolicyName><PolicyArn>"
	    POLICY_ARN "</PolicyArn></member></AttachedPolicies><IsTruncated>"
	    "true</IsTruncated><Marker>m2</Marker>"
	    "</ListAttachedRolePoliciesResult>" META
	    "</ListAttachedRolePoliciesResponse>", NULL, NULL);
	canned_push(&c, 200, "<ListAttachedRolePoliciesResponse " NS ">"
	    "<ListAttachedRolePoliciesResult><AttachedPolicies><member>"
	    "<PolicyName>AmazonEKSWorkerNodePolicy</PolicyName><PolicyArn>"
	    "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy</PolicyArn>"
	    "</member></AttachedPolicies><IsTruncated>false</IsTruncated>"
	    "</ListAttachedRolePoliciesResult>" META
	    "</ListAttachedRolePoliciesResponse>", NULL, NULL);
	assert_int_equal(iam_list_attached_role_policies(aws,
	    "gateway-api-controller", NULL, 0, &out, &err), 0);
	assert_int_equal(c.n_req, 2);
	check_form(&c, 0, "ListAttachedRolePolicies", 1, p1);
	check_form(&c, 1, "ListAttachedRolePolicies", 2, p2);
	assert_int_equal(out.n, 2);
	assert_string_equal(out.v[0].name, "VPCLatticeControllerIAMPolicy");
	assert_string_equal(out.v[0].arn, POLICY_ARN);
	assert_string_equal(out.v[1].arn,
	    "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy");
	iam_attached_policies_free(&out);
	aws_free(aws);
	canned_free(&c);
}

/* CreateOpenIDConnectProvider: the wire example's fields, ARN back. */
static void
test_create_oidc(void **state)
{
	struct canned		 c = { 0 };
	struct aws		*aws = canned_aws(&c);
	struct aws_error	 err = { 0 };
	struct iam_oidc_input	 in = { 0 };
	const char		*clients[] = { "sts.amazonaws.com" };
	const char		*thumbs[] = {
		"9e99a48a9960b14926bb7f3b02e22da2b0ab7280",
		"06b25927c42a721631c1efd9431e648fa62e1e39",
	};
	char			*arn = NULL;
	const char *const	 kv[] = {
		"Url", "https://oidc.eks.us-west-2.amazonaws.com/id/ABC",
		"ClientIDList.member.1", "sts.amazonaws.com",
		"ThumbprintList.member.1",
		"9e99a48a9960b14926bb7f3b02e22da2b0ab7280",
		"ThumbprintList.member.2",
		"06b25927c42a721631c1efd9431e648fa62e1e39",
	};

	in.url = "https://oidc.eks.us-west-2.amazonaws.com/id/ABC";
	in.client_ids = clients;
	in.n_client_ids = 1;
	in.thumbprints = thumbs;
	in.n_thumbprints = 2;
	canned_push(&c, 200, "<CreateOpenIDConnectProviderResponse " NS ">"
	    "<CreateOpenIDConnectProviderResult><OpenIDConnectProviderArn>"
	    OIDC_ARN "</OpenIDConnectProviderArn>"
	    "</CreateOpenIDConnectProviderResult>" META
	    "</CreateOpenIDConnectProviderResponse>", NULL, NULL);
	assert_int_equal(iam_create_oidc_provider(aws, &in, &arn, &err), 0);
	check_form(&c, 0, "CreateOpenIDConnectProvider", 4, kv);
	assert_string_equal(arn, OIDC_ARN);
	free(arn);
	aws_free(aws);
	canned_free(&c);
}

/* Get, List and Delete OpenID Connect providers. */
static void
test_oidc_get_list_delete(void **state)
{
	struct canned			 c = { 0 };
	struct aws			*aws = canned_aws(&c);
	struct aws_error		 err = { 0 };
	struct iam_oidc_provider	 pr = { 0 };
	struct iam_oidc_providers	 list = { 0 };
	const char *const		 kv[] = {
		"OpenIDConnectProviderArn", OIDC_ARN,
	};

	canned_push(&c, 200, "<GetOpenIDConnectProviderResponse " NS ">"
	    "<GetOpenIDConnectProviderResult><ThumbprintList><member>"
	    "9e99a48a9960b14926bb7f3b02e22da2b0ab7280</member></ThumbprintList>"
	    "<CreateDate>2026-11-28T06:30:00Z</CreateDate><ClientIDList>"
	    "<member>"
	    "sts.amazonaws.com</member><member>other</member></ClientIDList>"
	    "<Url>oidc.eks.us-west-2.amazonaws.com/id/"
	    "EXAMPLED539D4633E53DE1B71EXAMPLE</Url><Tags><member><Key>"
	    "alpha.eksctl.io/cluster-name</Key><Value>c1</Value></member>"
	    "</Tags></GetOpenIDConnectProviderResult>" META
	    "</GetOpenIDConnectProviderResponse>", NULL, NULL);
	canned_push(&c, 200, "<ListOpenIDConnectProvidersResponse " NS ">"
	    "<ListOpenIDConnectProvidersResult><OpenIDConnectProviderList>"
	    "<member><Arn>" OIDC_ARN "</Arn></member><member><Arn>"
	    "arn:aws:iam::123456789012:oidc-provider/token.actions."
	    "githubusercontent.com</Arn></member></OpenIDConnectProviderList>"
	    "</ListOpenIDConnectProvidersResult>" META
	    "</ListOpenIDConnectProvidersResponse>", NULL, NULL);
	canned_push(&c, 200, "<DeleteOpenIDConnectProviderResponse " NS ">"
	    META "</DeleteOpenIDConnectProviderResponse>", NULL, NULL);
	assert_int_equal(iam_get_oidc_provider(aws, OIDC_ARN, &pr, &err), 0);
	check_form(&c, 0, "GetOpenIDConnectProvider", 1, kv);
	assert_string_equal(pr.arn, OIDC_ARN);
	assert_string_equal(pr.url, "oidc.eks.us-west-2.amazonaws.com/id/"
	    "EXAMPLED539D4633E53DE1B71EXAMPLE");
	assert_int_equal(pr.n_client_ids, 2);
	assert_string_equal(pr.client_ids[0], "sts.amazonaws.com");
	assert_string_equal(pr.client_ids[1], "other");
	assert_int_equal(pr.n_thumbprints, 1);
	assert_string_equal(pr.thumbprints[0],
	    "9e99a48a9960b14926bb7f3b02e22da2b0ab7280");
	assert_int_equal(pr.create_date.tv_sec, utc(2026, 11, 28, 6, 30, 0));
	assert_string_equal(aws_tags_get(&pr.tags,
	    "alpha.eksctl.io/cluster-name"), "c1");
	iam_oidc_provider_clear(&pr);
	assert_int_equal(iam_list_oidc_providers(aws, &list, &err), 0);
	check_form(&c, 1, "ListOpenIDConnectProviders", 0, NULL);
	assert_int_equal(list.n, 2);
	assert_string_equal(list.v[0].arn, OIDC_ARN);
	assert_null(list.v[0].url);
	iam_oidc_providers_free(&list);
	assert_int_equal(iam_delete_oidc_provider(aws, OIDC_ARN, &err), 0);
	check_form(&c, 2, "DeleteOpenIDConnectProvider", 1, kv);
	aws_free(aws);
	canned_free(&c);
}

/* A 200 without the expected result element is an error, not empty. */
static void
test_bad_response(void **state)
{
	struct canned		 c = { 0 };
	struct aws		*aws = canned_aws(&c);
	struct aws_error	 err = { 0 };
	struct iam_policy	 pol = { 0 };
	char			*arn = NULL;
	struct iam_oidc_input	 in = { 0 };

	in.url = "https://x";
	canned_push(&c, 200, "<GetPolicyResponse " NS "><GetPolicyResult/>"
	    "</GetPolicyResponse>", NULL, NULL);
	canned_push(&c, 200, "<CreateOpenIDConnectProviderResponse " NS ">"
	    "<CreateOpenIDConnectProviderResult/>"
	    "</CreateOpenIDConnectProviderResponse>", NULL, NULL);
	assert_int_equal(iam_get_policy(aws, POLICY_ARN, &pol, &err), -1);
	assert_string_equal(err.code, "InvalidResponse");
	assert_string_equal(err.op, "iam:GetPolicy");
	aws_error_clear(&err);
	assert_int_equal(iam_create_oidc_provider(aws, &in, &arn, &err), -1);
	assert_string_equal(err.code, "InvalidResponse");
	assert_null(arn);
	aws_error_clear(&err);
	aws_free(aws);
	canned_free(&c);
}

/* Report how many of the client's operations the tests covered. */
static int
report_coverage(void **state)
{
	return test_ops_report(&iam_ops);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_create_policy),
		cmocka_unit_test(test_get_policy),
		cmocka_unit_test(test_list_policies),
		cmocka_unit_test(test_delete_policy),
		cmocka_unit_test(test_get_policy_version),
		cmocka_unit_test(test_create_get_role),
		cmocka_unit_test(test_create_role_exists),
		cmocka_unit_test(test_role_writes),
		cmocka_unit_test(test_list_attached),
		cmocka_unit_test(test_create_oidc),
		cmocka_unit_test(test_oidc_get_list_delete),
		cmocka_unit_test(test_bad_response),
	};

	return cmocka_run_group_tests(tests, NULL, report_coverage);
}
