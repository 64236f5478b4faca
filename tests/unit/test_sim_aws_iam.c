/* Tests for the simulated IAM and STS (src/sim/aws_iam.c, aws_sts.c):
 * signed (and, for web identity, unsigned) query requests through
 * sim_aws_handle. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <ctype.h>

#include <openssl/evp.h>

#include "testlib.h"
#include "test_sim_svcs.h"

#define ACCT		SIM_ACCOUNT_ID
#define ISSUER_HOST	"oidc.eks.us-west-2.amazonaws.com/id/" \
			"0123456789ABCDEF0123456789ABCDEF"
#define OIDC_ARN	"arn:aws:iam::" ACCT ":oidc-provider/" ISSUER_HOST
#define SA_SUB		"system:serviceaccount:aws-application-networking-" \
			"system:gateway-api-controller"
#define IRSA_TRUST \
	"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\"," \
	"\"Principal\":{\"Federated\":\"" OIDC_ARN "\"},\"Action\":" \
	"\"sts:AssumeRoleWithWebIdentity\",\"Condition\":{\"StringEquals\":{" \
	"\"" ISSUER_HOST ":sub\":\"" SA_SUB "\",\"" ISSUER_HOST ":aud\":" \
	"\"sts.amazonaws.com\"}}}]}"
#define ROOT_TRUST \
	"{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\"," \
	"\"Principal\":{\"AWS\":\"arn:aws:iam::" ACCT ":root\"},\"Action\":" \
	"\"sts:AssumeRole\"}}"
#define SVC_TRUST \
	"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\"," \
	"\"Principal\":{\"Service\":\"pods.eks.amazonaws.com\"},\"Action\":" \
	"[\"sts:AssumeRole\",\"sts:TagSession\"]}]}"

/* Percent-encode for a form body (caller frees). */
static char *
enc(const char *s)
{
	struct strbuf	sb = STRBUF_INIT;

	for (; *s != '\0'; s++) {
		if (isalnum((unsigned char)*s) || strchr("-_.~", *s) != NULL)
			strbuf_addc(&sb, *s);
		else
			strbuf_addf(&sb, "%%%02X", (unsigned char)*s);
	}
	return strbuf_detach(&sb, NULL);
}

/* Percent-decode (caller frees). */
static char *
dec(const char *s)
{
	struct strbuf	sb = STRBUF_INIT;
	unsigned int	c;

	for (; *s != '\0'; s++) {
		if (*s == '%' && sscanf(s + 1, "%2x", &c) == 1) {
			strbuf_addc(&sb, (char)c);
			s += 2;
		} else
			strbuf_addc(&sb, *s);
	}
	return strbuf_detach(&sb, NULL);
}

/* base64url without padding (caller frees). */
static char *
b64url(const char *s)
{
	char	*out = xmalloc(4 * (strlen(s) / 3 + 2));
	size_t	 i;

	EVP_EncodeBlock((unsigned char *)out, (const unsigned char *)s,
	    (int)strlen(s));
	for (i = 0; out[i] != '\0'; i++) {
		if (out[i] == '+')
			out[i] = '-';
		else if (out[i] == '/')
			out[i] = '_';
		else if (out[i] == '=')
			out[i] = '\0';
	}
	return out;
}

/* An unsigned JWT with these claims (signature part is junk). */
static char *
jwt(const char *sub, const char *aud, long exp)
{
	char	*payload, *h, *p, *out;

	xasprintf(&payload, "{\"iss\":\"https://" ISSUER_HOST "\",\"sub\":\"%s"
	    "\",\"aud\":[\"%s\"],\"exp\":%ld,\"iat\":1}", sub, aud, exp);
	h = b64url("{\"alg\":\"RS256\",\"kid\":\"sim\"}");
	p = b64url(payload);
	xasprintf(&out, "%s.%s.c2ln", h, p);
	free(payload);
	free(h);
	free(p);
	return out;
}

/* Expect a query-protocol error. */
static void
expect_error(struct sreply *r, int status, const char *code)
{
	char	*c = xp_code(r->body);

	assert_int_equal(r->status, status);
	assert_non_null(c);
	assert_string_equal(c, code);
	assert_int_equal(xp_count(r->body, "ErrorResponse/RequestId"), 1);
	free(c);
	sreply_free(r);
}

/* An IAM call with a formatted body; answers 200 or fails. */
static struct sreply
iam_ok(struct sim_aws *sim, const char *form)
{
	struct sreply	r = iam_q(sim, form);

	if (r.status != 200)
		fprintf(stderr, "unexpected: %s\n", r.body);
	assert_int_equal(r.status, 200);
	return r;
}

/* Create a role with a trust document. */
static void
make_role(struct sim_aws *sim, const char *name, const char *trust)
{
	struct sreply	 r;
	char		*form, *e = enc(trust);

	xasprintf(&form, "Action=CreateRole&Version=2010-05-08&RoleName=%s&"
	    "AssumeRolePolicyDocument=%s", name, e);
	r = iam_ok(sim, form);
	sreply_free(&r);
	free(form);
	free(e);
}

/* Create the lab's OIDC provider. */
static void
make_oidc(struct sim_aws *sim)
{
	struct sreply	r;

	r = iam_ok(sim, "Action=CreateOpenIDConnectProvider&Url=https%3A%2F%2F"
	    "oidc.eks.us-west-2.amazonaws.com%2Fid%2F0123456789ABCDEF0123456789"
	    "ABCDEF&ClientIDList.member.1=sts.amazonaws.com");
	sreply_free(&r);
}

/* The controller policy from the reference tree (or a small one). */
static char *
controller_policy(void)
{
	const char	*ref = test_reference_dir();
	char		*path, *text = NULL;

	if (ref != NULL) {
		xasprintf(&path, "%s/controller-installation/"
		    "recommended-inline-policy.json", ref);
		text = test_read_file(path, NULL);
		free(path);
	}
	if (text == NULL)
		text = xstrdup("{\"Version\":\"2012-10-17\",\"Statement\":[{"
		    "\"Effect\":\"Allow\",\"Action\":\"vpc-lattice:*\","
		    "\"Resource\":\"*\"}]}");
	return text;
}

/* CreatePolicy, GetPolicy, GetPolicyVersion (percent-encoded), and the
 * duplicate and malformed errors. */
static void
test_policy(void **state)
{
	struct sim_aws	*sim = sim_lab_new(0, 0);
	struct sreply	 r;
	char		*doc = controller_policy(), *e = enc(doc), *form, *t,
	    *d;
	char		*arn;

	(void)state;
	xasprintf(&form, "Action=CreatePolicy&Version=2010-05-08&PolicyName="
	    "VPCLatticeControllerIAMPolicy&PolicyDocument=%s", e);
	r = iam_ok(sim, form);
	assert_non_null(strstr(r.body, "<CreatePolicyResponse xmlns=\"https://"
	    "iam.amazonaws.com/doc/2010-05-08/\">"));
	assert_int_equal(xp_count(r.body, "ResponseMetadata/RequestId"), 1);
	arn = xp_text(r.body, "CreatePolicyResult/Policy/Arn");
	assert_string_equal(arn, "arn:aws:iam::" ACCT ":policy/"
	    "VPCLatticeControllerIAMPolicy");
	t = xp_text(r.body, "Policy/PolicyId");
	assert_true(strncmp(t, "ANPA", 4) == 0 && strlen(t) == 21);
	free(t);
	t = xp_text(r.body, "Policy/DefaultVersionId");
	assert_string_equal(t, "v1");
	free(t);
	sreply_free(&r);
	r = iam_q(sim, form);
	expect_error(&r, 409, "EntityAlreadyExists");
	free(form);
	xasprintf(&form, "Action=GetPolicyVersion&PolicyArn=%s&VersionId=v1",
	    arn);
	r = iam_ok(sim, form);
	free(form);
	t = xp_text(r.body, "PolicyVersion/Document");
	assert_true(strncmp(t, "%7B", 3) == 0);
	d = dec(t);
	assert_string_equal(d, doc);
	free(d);
	free(t);
	sreply_free(&r);
	xasprintf(&form, "Action=GetPolicyVersion&PolicyArn=%s&VersionId=v2",
	    arn);
	r = iam_q(sim, form);
	free(form);
	expect_error(&r, 404, "NoSuchEntity");
	r = iam_q(sim, "Action=CreatePolicy&PolicyName=bad&PolicyDocument="
	    "%7Bnot+json");
	expect_error(&r, 400, "MalformedPolicyDocument");
	r = iam_q(sim, "Action=CreatePolicy&PolicyName=bad&PolicyDocument="
	    "%7B%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%7D%5D%7D");
	expect_error(&r, 400, "MalformedPolicyDocument");
	r = iam_q(sim, "Action=CreatePolicy&PolicyName=bad%21name&"
	    "PolicyDocument=x");
	expect_error(&r, 400, "ValidationError");
	r = iam_q(sim, "Action=GetPolicy&PolicyArn=arn%3Aaws%3Aiam%3A%3Aaws%3A"
	    "policy%2FVPCLatticeFullAccess");
	assert_int_equal(r.status, 200);
	t = xp_text(r.body, "Policy/Description");
	assert_non_null(t);
	free(t);
	sreply_free(&r);
	r = iam_q(sim, "Action=GetPolicy&PolicyArn=arn%3Aaws%3Aiam%3A%3A" ACCT
	    "%3Apolicy%2Fnope");
	expect_error(&r, 404, "NoSuchEntity");
	r = iam_q(sim, "Action=GetPolicy&PolicyArn=nope");
	expect_error(&r, 400, "InvalidInput");
	free(arn);
	free(doc);
	free(e);
	sim_aws_free(sim);
}

/* ListPolicies: scopes and Marker/MaxItems paging. */
static void
test_list_policies(void **state)
{
	struct sim_aws	*sim = sim_lab_new(0, 0);
	struct sreply	 r;
	char		*form, *marker, *t, *m;
	int		 i;

	(void)state;
	for (i = 0; i < 3; i++) {
		xasprintf(&form, "Action=CreatePolicy&PolicyName=p%d&"
		    "PolicyDocument=%%7B%%22Statement%%22%%3A%%7B%%22Effect%%22"
		    "%%3A%%22Allow%%22%%2C%%22Action%%22%%3A%%22s3%%3A*%%22%%2C"
		    "%%22Resource%%22%%3A%%22*%%22%%7D%%7D", i);
		r = iam_ok(sim, form);
		sreply_free(&r);
		free(form);
	}
	r = iam_ok(sim, "Action=ListPolicies&Scope=Local");
	assert_int_equal(xp_count(r.body, "Policies/member"), 3);
	t = xp_text(r.body, "IsTruncated");
	assert_string_equal(t, "false");
	free(t);
	sreply_free(&r);
	r = iam_ok(sim, "Action=ListPolicies&Scope=AWS");
	assert_non_null(strstr(r.body, "<PolicyName>VPCLatticeFullAccess"
	    "</PolicyName>"));
	assert_null(strstr(r.body, "<PolicyName>p0</PolicyName>"));
	sreply_free(&r);
	r = iam_ok(sim, "Action=ListPolicies&Scope=Local&MaxItems=2");
	assert_int_equal(xp_count(r.body, "Policies/member"), 2);
	t = xp_text(r.body, "IsTruncated");
	assert_string_equal(t, "true");
	free(t);
	marker = xp_text(r.body, "ListPoliciesResult/Marker");
	sreply_free(&r);
	m = enc(marker);
	xasprintf(&form, "Action=ListPolicies&Scope=Local&MaxItems=2&Marker=%s",
	    m);
	r = iam_ok(sim, form);
	assert_int_equal(xp_count(r.body, "Policies/member"), 1);
	t = xp_text(r.body, "Policies/member/PolicyName");
	assert_string_equal(t, "p2");
	free(t);
	sreply_free(&r);
	r = iam_q(sim, "Action=ListPolicies&Scope=Mine");
	expect_error(&r, 400, "ValidationError");
	free(form);
	free(m);
	free(marker);
	sim_aws_free(sim);
}

/* Roles: create, get, attach, list attached, conflicts, trust update. */
static void
test_roles(void **state)
{
	struct sim_aws	*sim = sim_lab_new(0, 0);
	struct sreply	 r;
	char		*t, *d, *e;
	const char	*attach = "Action=AttachRolePolicy&RoleName=ctl&"
			    "PolicyArn=arn%3Aaws%3Aiam%3A%3Aaws%3Apolicy%2F"
			    "VPCLatticeFullAccess";

	(void)state;
	make_oidc(sim);
	make_role(sim, "ctl", IRSA_TRUST);
	r = iam_ok(sim, "Action=GetRole&RoleName=ctl");
	t = xp_text(r.body, "Role/Arn");
	assert_string_equal(t, "arn:aws:iam::" ACCT ":role/ctl");
	free(t);
	t = xp_text(r.body, "Role/RoleId");
	assert_true(strncmp(t, "AROA", 4) == 0 && strlen(t) == 21);
	free(t);
	t = xp_text(r.body, "Role/AssumeRolePolicyDocument");
	d = dec(t);
	assert_string_equal(d, IRSA_TRUST);
	free(d);
	free(t);
	sreply_free(&r);
	e = enc(IRSA_TRUST);
	xasprintf(&t, "Action=CreateRole&RoleName=CTL&AssumeRolePolicyDocument="
	    "%s", e);
	r = iam_q(sim, t);
	expect_error(&r, 409, "EntityAlreadyExists");
	free(t);
	free(e);
	r = iam_ok(sim, attach);
	sreply_free(&r);
	r = iam_ok(sim, attach);
	sreply_free(&r);
	r = iam_ok(sim, "Action=ListAttachedRolePolicies&RoleName=ctl");
	assert_int_equal(xp_count(r.body, "AttachedPolicies/member"), 1);
	t = xp_text(r.body, "AttachedPolicies/member/PolicyName");
	assert_string_equal(t, "VPCLatticeFullAccess");
	free(t);
	sreply_free(&r);
	r = iam_ok(sim, "Action=GetPolicy&PolicyArn=arn%3Aaws%3Aiam%3A%3Aaws%3A"
	    "policy%2FVPCLatticeFullAccess");
	t = xp_text(r.body, "Policy/AttachmentCount");
	assert_string_equal(t, "1");
	free(t);
	sreply_free(&r);
	r = iam_q(sim, "Action=AttachRolePolicy&RoleName=ctl&PolicyArn=arn%3A"
	    "aws%3Aiam%3A%3A" ACCT "%3Apolicy%2Fmissing");
	expect_error(&r, 404, "NoSuchEntity");
	r = iam_q(sim, "Action=DeleteRole&RoleName=ctl");
	expect_error(&r, 409, "DeleteConflict");
	r = iam_ok(sim, "Action=DetachRolePolicy&RoleName=ctl&PolicyArn="
	    "arn%3Aaws%3Aiam%3A%3Aaws%3Apolicy%2FVPCLatticeFullAccess");
	sreply_free(&r);
	r = iam_q(sim, "Action=DetachRolePolicy&RoleName=ctl&PolicyArn="
	    "arn%3Aaws%3Aiam%3A%3Aaws%3Apolicy%2FVPCLatticeFullAccess");
	expect_error(&r, 404, "NoSuchEntity");
	e = enc(SVC_TRUST);
	xasprintf(&t, "Action=UpdateAssumeRolePolicy&RoleName=ctl&"
	    "PolicyDocument=%s", e);
	r = iam_ok(sim, t);
	sreply_free(&r);
	free(t);
	free(e);
	r = iam_ok(sim, "Action=ListRoles");
	assert_int_equal(xp_count(r.body, "Roles/member"), 1);
	assert_non_null(strstr(r.body, "pods.eks.amazonaws.com"));
	sreply_free(&r);
	r = iam_q(sim, "Action=UpdateAssumeRolePolicy&RoleName=ctl&"
	    "PolicyDocument=%5B%5D");
	expect_error(&r, 400, "MalformedPolicyDocument");
	r = iam_ok(sim, "Action=DeleteRole&RoleName=ctl");
	sreply_free(&r);
	r = iam_q(sim, "Action=GetRole&RoleName=ctl");
	expect_error(&r, 404, "NoSuchEntity");
	r = iam_q(sim, "Action=GetRole");
	expect_error(&r, 400, "ValidationError");
	sim_aws_free(sim);
}

/* DeletePolicy: refused while attached, then gone. */
static void
test_delete_policy(void **state)
{
	struct sim_aws	*sim = sim_lab_new(0, 0);
	struct sreply	 r;
	const char	*del = "Action=DeletePolicy&PolicyArn=arn%3Aaws%3Aiam"
			    "%3A%3A" ACCT "%3Apolicy%2Fp";

	(void)state;
	r = iam_ok(sim, "Action=CreatePolicy&PolicyName=p&PolicyDocument=%7B"
	    "%22Statement%22%3A%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A"
	    "%22*%22%2C%22Resource%22%3A%22*%22%7D%7D");
	sreply_free(&r);
	make_role(sim, "r", ROOT_TRUST);
	r = iam_ok(sim, "Action=AttachRolePolicy&RoleName=r&PolicyArn=arn%3Aaws"
	    "%3Aiam%3A%3A" ACCT "%3Apolicy%2Fp");
	sreply_free(&r);
	r = iam_q(sim, del);
	expect_error(&r, 409, "DeleteConflict");
	r = iam_ok(sim, "Action=DetachRolePolicy&RoleName=r&PolicyArn=arn%3Aaws"
	    "%3Aiam%3A%3A" ACCT "%3Apolicy%2Fp");
	sreply_free(&r);
	r = iam_ok(sim, del);
	assert_non_null(strstr(r.body, "<DeletePolicyResponse"));
	sreply_free(&r);
	r = iam_q(sim, del);
	expect_error(&r, 404, "NoSuchEntity");
	sim_aws_free(sim);
}

/* OIDC providers: create, duplicate, get, list, delete. */
static void
test_oidc(void **state)
{
	struct sim_aws	*sim = sim_lab_new(0, 0);
	struct sreply	 r;
	char		*t;
	const char	*get = "Action=GetOpenIDConnectProvider&"
			    "OpenIDConnectProviderArn=arn%3Aaws%3Aiam%3A%3A"
			    ACCT "%3Aoidc-provider%2Foidc.eks.us-west-2."
			    "amazonaws.com%2Fid%2F0123456789ABCDEF0123456789"
			    "ABCDEF";

	(void)state;
	r = iam_ok(sim, "Action=CreateOpenIDConnectProvider&Url=https%3A%2F%2F"
	    "oidc.eks.us-west-2.amazonaws.com%2Fid%2F0123456789ABCDEF0123456789"
	    "ABCDEF&ClientIDList.member.1=sts.amazonaws.com&ThumbprintList."
	    "member.1=9e99a48a9960b14926bb7f3b02e22da2b0ab7280");
	t = xp_text(r.body, "OpenIDConnectProviderArn");
	assert_string_equal(t, OIDC_ARN);
	free(t);
	sreply_free(&r);
	r = iam_q(sim, "Action=CreateOpenIDConnectProvider&Url=https%3A%2F%2F"
	    "oidc.eks.us-west-2.amazonaws.com%2Fid%2F0123456789ABCDEF0123456789"
	    "ABCDEF");
	expect_error(&r, 409, "EntityAlreadyExists");
	r = iam_q(sim, "Action=CreateOpenIDConnectProvider&Url=http%3A%2F%2Fx");
	expect_error(&r, 400, "InvalidInput");
	r = iam_q(sim, "Action=CreateOpenIDConnectProvider&Url=https%3A%2F%2Fy&"
	    "ThumbprintList.member.1=abc");
	expect_error(&r, 400, "InvalidInput");
	r = iam_ok(sim, get);
	t = xp_text(r.body, "GetOpenIDConnectProviderResult/Url");
	assert_string_equal(t, ISSUER_HOST);
	free(t);
	t = xp_text(r.body, "ClientIDList/member");
	assert_string_equal(t, "sts.amazonaws.com");
	free(t);
	sreply_free(&r);
	r = iam_ok(sim, "Action=ListOpenIDConnectProviders");
	assert_int_equal(xp_count(r.body, "OpenIDConnectProviderList/member/"
	    "Arn"), 1);
	sreply_free(&r);
	xasprintf(&t, "Action=DeleteOpenIDConnectProvider&%s",
	    strchr(get, '&') + 1);
	r = iam_ok(sim, t);
	sreply_free(&r);
	free(t);
	r = iam_q(sim, get);
	expect_error(&r, 404, "NoSuchEntity");
	r = iam_q(sim, "Action=GetOpenIDConnectProvider&"
	    "OpenIDConnectProviderArn=bogus");
	expect_error(&r, 400, "InvalidInput");
	r = iam_q(sim, "Action=CreateUser&UserName=x");
	expect_error(&r, 400, "InvalidAction");
	sim_aws_free(sim);
}

/* GetCallerIdentity as XML and, with Accept: application/json, JSON. */
static void
test_caller_identity(void **state)
{
	struct sim_aws	*sim = sim_lab_new(0, 0);
	struct aws_creds c = sim_admin_creds();
	struct sreply	 r;
	cJSON		*j;
	char		*t;

	(void)state;
	r = sts_q(sim, "Action=GetCallerIdentity&Version=2011-06-15");
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "xmlns=\"https://sts.amazonaws.com/doc/"
	    "2011-06-15/\""));
	t = xp_text(r.body, "GetCallerIdentityResult/Arn");
	assert_string_equal(t, "arn:aws:iam::" ACCT ":user/sim-admin");
	free(t);
	t = xp_text(r.body, "GetCallerIdentityResult/Account");
	assert_string_equal(t, ACCT);
	free(t);
	sreply_free(&r);
	r = sim_call(sim, "GET", "sts", SIM_REGION, "/",
	    "Action=GetCallerIdentity&Version=2011-06-15", NULL, NULL,
	    "application/json", &c);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.ctype, "application/json");
	j = cJSON_Parse(r.body);
	assert_non_null(j);
	assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(
	    cJSON_GetObjectItem(cJSON_GetObjectItem(j,
	    "GetCallerIdentityResponse"), "GetCallerIdentityResult"),
	    "UserId")),
	    "AIDASIMULATORADMIN01");
	cJSON_Delete(j);
	sreply_free(&r);
	r = sts_q(sim, "Action=GetSessionToken");
	expect_error(&r, 400, "InvalidAction");
	sim_aws_free(sim);
}

/* AssumeRole: trusted, untrusted and missing roles; the new credentials
 * work and expire with the simulated clock. */
static void
test_assume_role(void **state)
{
	struct sim_aws	*sim = sim_lab_new(0, 0);
	struct aws_creds c;
	struct sreply	 r;
	char		*t;

	(void)state;
	make_role(sim, "admin", ROOT_TRUST);
	make_role(sim, "svc", SVC_TRUST);
	r = sts_q(sim, "Action=AssumeRole&RoleArn=arn%3Aaws%3Aiam%3A%3A" ACCT
	    "%3Arole%2Fadmin&RoleSessionName=s1&DurationSeconds=900");
	assert_int_equal(r.status, 200);
	memset(&c, 0, sizeof c);
	c.access_key_id = xp_text(r.body, "Credentials/AccessKeyId");
	c.secret_access_key = xp_text(r.body, "Credentials/SecretAccessKey");
	c.session_token = xp_text(r.body, "Credentials/SessionToken");
	assert_true(strncmp(c.access_key_id, "ASIA", 4) == 0 &&
	    strlen(c.access_key_id) == 20);
	assert_int_equal(strlen(c.secret_access_key), 40);
	t = xp_text(r.body, "AssumedRoleUser/Arn");
	assert_string_equal(t, "arn:aws:sts::" ACCT ":assumed-role/admin/s1");
	free(t);
	t = xp_text(r.body, "AssumedRoleUser/AssumedRoleId");
	assert_true(strncmp(t, "AROA", 4) == 0 && strstr(t, ":s1") != NULL);
	free(t);
	sreply_free(&r);
	r = sim_form(sim, "sts", "Action=GetCallerIdentity", &c);
	t = xp_text(r.body, "GetCallerIdentityResult/Arn");
	assert_string_equal(t, "arn:aws:sts::" ACCT ":assumed-role/admin/s1");
	free(t);
	sreply_free(&r);
	sim_aws_advance(sim, 901 * 1000);
	r = sim_form(sim, "sts", "Action=GetCallerIdentity", &c);
	expect_error(&r, 403, "ExpiredToken");
	r = sts_q(sim, "Action=AssumeRole&RoleArn=arn%3Aaws%3Aiam%3A%3A" ACCT
	    "%3Arole%2Fadmin&RoleSessionName=s2");
	assert_int_equal(r.status, 200);
	sreply_free(&r);
	r = sim_form(sim, "sts", "Action=GetCallerIdentity", &c);
	expect_error(&r, 403, "InvalidClientTokenId");	/* pruned */
	r = sts_q(sim, "Action=AssumeRole&RoleArn=arn%3Aaws%3Aiam%3A%3A" ACCT
	    "%3Arole%2Fsvc&RoleSessionName=s1");
	expect_error(&r, 403, "AccessDenied");
	r = sts_q(sim, "Action=AssumeRole&RoleArn=arn%3Aaws%3Aiam%3A%3A" ACCT
	    "%3Arole%2Fnone&RoleSessionName=s1");
	expect_error(&r, 403, "AccessDenied");
	r = sts_q(sim, "Action=AssumeRole&RoleArn=arn%3Aaws%3Aiam%3A%3A" ACCT
	    "%3Arole%2Fadmin&RoleSessionName=s");
	expect_error(&r, 400, "ValidationError");
	r = sts_q(sim, "Action=AssumeRole&RoleArn=arn%3Aaws%3Aiam%3A%3A" ACCT
	    "%3Arole%2Fadmin&RoleSessionName=s1&DurationSeconds=7200");
	expect_error(&r, 400, "ValidationError");
	free(c.access_key_id);
	free(c.secret_access_key);
	free(c.session_token);
	sim_aws_free(sim);
}

/* AssumeRoleWithWebIdentity (unsigned): the IRSA trust, and each way a
 * token is refused. */
static void
test_assume_web_identity(void **state)
{
	struct sim_aws	*sim = sim_lab_new(0, 0);
	struct sreply	 r;
	char		*tok, *form, *t;
	long		 later = (long)(sim_aws_now_ms(sim) / 1000) + 3600;
	const char	*pre = "Action=AssumeRoleWithWebIdentity&Version="
			    "2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A" ACCT
			    "%3Arole%2Fctl&RoleSessionName=s2&"
			    "WebIdentityToken=";

	(void)state;
	make_role(sim, "ctl", IRSA_TRUST);
	tok = jwt(SA_SUB, "sts.amazonaws.com", later);
	xasprintf(&form, "%s%s", pre, tok);
	r = sim_form(sim, "sts", form, NULL);
	expect_error(&r, 400, "InvalidIdentityToken");
	make_oidc(sim);
	r = sim_form(sim, "sts", form, NULL);
	assert_int_equal(r.status, 200);
	t = xp_text(r.body, "AssumedRoleUser/Arn");
	assert_string_equal(t, "arn:aws:sts::" ACCT ":assumed-role/ctl/s2");
	free(t);
	t = xp_text(r.body, "SubjectFromWebIdentityToken");
	assert_string_equal(t, SA_SUB);
	free(t);
	t = xp_text(r.body, "Audience");
	assert_string_equal(t, "sts.amazonaws.com");
	free(t);
	sreply_free(&r);
	free(form);
	free(tok);
	tok = jwt("system:serviceaccount:default:other", "sts.amazonaws.com",
	    later);
	xasprintf(&form, "%s%s", pre, tok);
	r = sim_form(sim, "sts", form, NULL);
	expect_error(&r, 403, "AccessDenied");
	free(form);
	free(tok);
	tok = jwt(SA_SUB, "other-audience", later);
	xasprintf(&form, "%s%s", pre, tok);
	r = sim_form(sim, "sts", form, NULL);
	expect_error(&r, 400, "InvalidIdentityToken");
	free(form);
	free(tok);
	tok = jwt(SA_SUB, "sts.amazonaws.com", 1000);
	xasprintf(&form, "%s%s", pre, tok);
	r = sim_form(sim, "sts", form, NULL);
	expect_error(&r, 400, "ExpiredTokenException");
	free(form);
	free(tok);
	xasprintf(&form, "%seyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln", pre);
	r = sim_form(sim, "sts", form, NULL);
	expect_error(&r, 400, "InvalidIdentityToken");
	free(form);
	xasprintf(&form, "%snot-a-jwt", pre);
	r = sim_form(sim, "sts", form, NULL);
	expect_error(&r, 400, "InvalidIdentityToken");
	free(form);
	r = sim_form(sim, "sts", "Action=GetCallerIdentity", NULL);
	assert_int_equal(r.status, 403);
	sreply_free(&r);
	sim_aws_free(sim);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_policy),
		cmocka_unit_test(test_list_policies),
		cmocka_unit_test(test_roles),
		cmocka_unit_test(test_delete_policy),
		cmocka_unit_test(test_oidc),
		cmocka_unit_test(test_caller_identity),
		cmocka_unit_test(test_assume_role),
		cmocka_unit_test(test_assume_web_identity),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
