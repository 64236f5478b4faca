/* Tests for the STS client over the canned transport. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/aws.h"
#include "latticectl/sts.h"
#include "latticectl/xmalloc.h"
#include "testlib.h"

#define NS "xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\""

static const char *caller_xml =
    "<GetCallerIdentityResponse " NS ">"
    "<GetCallerIdentityResult>"
    "<Arn>arn:aws:sts::123456789012:assumed-role/gw/s2</Arn>"
    "<UserId>AROARZPUZDIKCPNBACALS:s2</UserId>"
    "<Account>123456789012</Account>"
    "</GetCallerIdentityResult>"
    "<ResponseMetadata><RequestId>01234567-89ab</RequestId>"
    "</ResponseMetadata></GetCallerIdentityResponse>";

static const char *assume_xml =
    "<AssumeRoleResponse " NS "><AssumeRoleResult>"
    "<AssumedRoleUser><AssumedRoleId>AROA3XFRBF535PLBIFPI4:s1"
    "</AssumedRoleId>"
    "<Arn>arn:aws:sts::123456789012:assumed-role/demo/s1</Arn>"
    "</AssumedRoleUser>"
    "<Credentials><AccessKeyId>ASIAJEXAMPLEXEG2JICEA</AccessKeyId>"
    "<SecretAccessKey>9drTJvcXLB89EXAMPLELB8923FB892xMFI</SecretAccessKey>"
    "<SessionToken>AQoXdzELDDY//////////wEaoAK1wvxJY12r2IrDFT2IvAzTCn3zHoZ7"
    "</SessionToken><Expiration>2011-07-15T23:28:33.359Z</Expiration>"
    "</Credentials><PackedPolicySize>6</PackedPolicySize>"
    "</AssumeRoleResult><ResponseMetadata><RequestId>c6104cbe"
    "</RequestId></ResponseMetadata></AssumeRoleResponse>";

static const char *webid_xml =
    "<AssumeRoleWithWebIdentityResponse " NS ">"
    "<AssumeRoleWithWebIdentityResult>"
    "<SubjectFromWebIdentityToken>system:serviceaccount:aws-application-"
    "networking-system:gateway-api-controller"
    "</SubjectFromWebIdentityToken>"
    "<Audience>sts.amazonaws.com</Audience>"
    "<AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/gw/s1"
    "</Arn><AssumedRoleId>AROAEXAMPLE:s1</AssumedRoleId>"
    "</AssumedRoleUser>"
    "<Credentials><SessionToken>FwoGZXIvYXdzEXAMPLE</SessionToken>"
    "<SecretAccessKey>wJalrXUtnFEMIEXAMPLE</SecretAccessKey>"
    "<Expiration>2030-01-01T00:00:00Z</Expiration>"
    "<AccessKeyId>ASIAWEBEXAMPLE</AccessKeyId></Credentials>"
    "<Provider>oidc.eks.us-west-2.amazonaws.com/id/ABC</Provider>"
    "</AssumeRoleWithWebIdentityResult>"
    "<ResponseMetadata><RequestId>ad4156e9</RequestId></ResponseMetadata>"
    "</AssumeRoleWithWebIdentityResponse>";

/* A clean environment for canned_aws. */
static int
env_setup(void **state)
{
	(void)state;
	unsetenv("AWS_ENDPOINT_URL");
	unsetenv("AWS_ENDPOINT_URL_STS");
	unsetenv("AWS_PROFILE");
	setenv("AWS_CONFIG_FILE", "/dev/null", 1);
	setenv("AWS_SHARED_CREDENTIALS_FILE", "/dev/null", 1);
	return 0;
}

/* GetCallerIdentity: a signed POST; Account, Arn, UserId parsed. */
static void
test_caller_identity(void **state)
{
	struct canned		 c;
	struct aws		*aws;
	struct aws_error	 err;
	struct sts_identity	 id;
	const char		*auth;

	(void)state;
	memset(&c, 0, sizeof c);
	memset(&err, 0, sizeof err);
	aws = canned_aws(&c);
	canned_push(&c, 200, caller_xml, "Content-Type", "text/xml");
	assert_int_equal(sts_get_caller_identity(aws, &id, &err), 0);
	assert_string_equal(id.account, "123456789012");
	assert_string_equal(id.arn, "arn:aws:sts::123456789012:assumed-role/"
	    "gw/s2");
	assert_string_equal(id.user_id, "AROARZPUZDIKCPNBACALS:s2");
	assert_int_equal(c.n_req, 1);
	assert_string_equal(c.req[0].method, "POST");
	assert_string_equal(c.req[0].url,
	    "https://sts.us-west-2.amazonaws.com/");
	assert_true(test_form_has(c.req[0].body, "Action=GetCallerIdentity"));
	assert_true(test_form_has(c.req[0].body, "Version=2011-06-15"));
	auth = http_headers_get(&c.req[0].headers, "Authorization");
	assert_non_null(auth);
	assert_non_null(strstr(auth, "Credential=AKIDEXAMPLE/"));
	assert_non_null(strstr(auth, "/us-west-2/sts/aws4_request"));
	sts_identity_clear(&id);
	assert_null(id.arn);

	/* A query-protocol error reaches the caller with its code. */
	canned_push(&c, 403, "<ErrorResponse " NS "><Error><Type>Sender</Type>"
	    "<Code>InvalidClientTokenId</Code><Message>The security token "
	    "included in the request is invalid.</Message></Error>"
	    "<RequestId>e1</RequestId></ErrorResponse>", NULL, NULL);
	assert_int_equal(sts_get_caller_identity(aws, &id, &err), -1);
	assert_string_equal(err.code, "InvalidClientTokenId");
	assert_int_equal(err.status, 403);
	assert_null(id.account);
	aws_error_clear(&err);
	aws_free(aws);
	canned_free(&c);
}

/* AssumeRole with the context's own keys and with explicit ones. */
static void
test_assume_role(void **state)
{
	struct canned		 c;
	struct aws		*aws;
	struct aws_error	 err;
	struct aws_creds	 out, src;
	struct sts_assumed	 who;

	(void)state;
	memset(&c, 0, sizeof c);
	memset(&err, 0, sizeof err);
	aws = canned_aws(&c);
	canned_push(&c, 200, assume_xml, NULL, NULL);
	assert_int_equal(sts_assume_role(aws, NULL,
	    "arn:aws:iam::123456789012:role/demo", "s1", NULL, 0, &out, &who,
	    &err), 0);
	assert_string_equal(out.access_key_id, "ASIAJEXAMPLEXEG2JICEA");
	assert_string_equal(out.secret_access_key,
	    "9drTJvcXLB89EXAMPLELB8923FB892xMFI");
	assert_string_equal(out.session_token,
	    "AQoXdzELDDY//////////wEaoAK1wvxJY12r2IrDFT2IvAzTCn3zHoZ7");
	assert_int_equal(out.expiration, 1310772513);
	assert_string_equal(who.arn,
	    "arn:aws:sts::123456789012:assumed-role/demo/s1");
	assert_string_equal(who.assumed_role_id, "AROA3XFRBF535PLBIFPI4:s1");
	assert_false(test_form_has(c.req[0].body, "ExternalId="));
	assert_null(strstr(c.req[0].body, "DurationSeconds"));
	assert_non_null(strstr(http_headers_get(&c.req[0].headers,
	    "Authorization"), "Credential=AKIDEXAMPLE/"));
	aws_creds_clear(&out);
	sts_assumed_clear(&who);

	memset(&src, 0, sizeof src);
	src.access_key_id = "ASIASOURCE";
	src.secret_access_key = "sourcesecret";
	src.session_token = "sourcetoken";
	canned_push(&c, 200, assume_xml, NULL, NULL);
	assert_int_equal(sts_assume_role(aws, &src,
	    "arn:aws:iam::123456789012:role/demo", "s1", "ext id", 900, &out,
	    NULL, &err), 0);
	assert_true(test_form_has(c.req[1].body, "ExternalId=ext%20id"));
	assert_true(test_form_has(c.req[1].body, "DurationSeconds=900"));
	assert_non_null(strstr(http_headers_get(&c.req[1].headers,
	    "Authorization"), "Credential=ASIASOURCE/"));
	assert_string_equal(http_headers_get(&c.req[1].headers,
	    "X-Amz-Security-Token"), "sourcetoken");
	aws_creds_clear(&out);

	/* A result without Credentials is an error, not empty keys. */
	canned_push(&c, 200, "<AssumeRoleResponse><AssumeRoleResult>"
	    "</AssumeRoleResult></AssumeRoleResponse>", NULL, NULL);
	assert_int_equal(sts_assume_role(aws, NULL, "arn:x", "s", NULL, 0,
	    &out, NULL, &err), -1);
	assert_string_equal(err.code, "InvalidResponse");
	assert_null(out.access_key_id);
	aws_error_clear(&err);
	aws_free(aws);
	canned_free(&c);
}

/* AssumeRoleWithWebIdentity: unsigned form POST; who is filled. */
static void
test_web_identity(void **state)
{
	struct canned		 c;
	struct aws		*aws;
	struct aws_error	 err;
	struct aws_creds	 out;
	struct sts_assumed	 who;
	struct canned_req	*r;

	(void)state;
	memset(&c, 0, sizeof c);
	memset(&err, 0, sizeof err);
	aws = canned_aws(&c);
	canned_push(&c, 200, webid_xml, NULL, NULL);
	assert_int_equal(sts_assume_role_with_web_identity(aws,
	    "arn:aws:iam::123456789012:role/gw", "s1", "a.b+c/d=", 900, &out,
	    &who, &err), 0);
	assert_string_equal(out.access_key_id, "ASIAWEBEXAMPLE");
	assert_string_equal(out.session_token, "FwoGZXIvYXdzEXAMPLE");
	assert_int_equal(out.expiration, 1893456000);
	assert_string_equal(who.arn, "arn:aws:sts::123456789012:assumed-role/"
	    "gw/s1");
	assert_string_equal(who.subject, "system:serviceaccount:aws-"
	    "application-networking-system:gateway-api-controller");
	assert_string_equal(who.audience, "sts.amazonaws.com");
	assert_string_equal(who.provider,
	    "oidc.eks.us-west-2.amazonaws.com/id/ABC");
	r = &c.req[0];
	assert_string_equal(r->url, "https://sts.us-west-2.amazonaws.com/");
	assert_true(test_form_has(r->body, "Action=AssumeRoleWithWebIdentity"));
	assert_true(test_form_has(r->body, "WebIdentityToken=a.b%2Bc%2Fd%3D"));
	assert_true(test_form_has(r->body, "DurationSeconds=900"));
	assert_null(http_headers_get(&r->headers, "Authorization"));
	assert_null(http_headers_get(&r->headers, "X-Amz-Date"));
	aws_creds_clear(&out);
	sts_assumed_clear(&who);
	aws_free(aws);
	canned_free(&c);
}

/* Transient failures of the unsigned call are retried; others are not. */
static void
test_web_identity_retry(void **state)
{
	struct canned		 c;
	struct aws		*aws;
	struct aws_error	 err;
	struct aws_creds	 out;

	(void)state;
	memset(&c, 0, sizeof c);
	memset(&err, 0, sizeof err);
	aws = canned_aws(&c);
	canned_push(&c, 0, NULL, NULL, NULL);
	canned_push(&c, 400, "<ErrorResponse><Error><Type>Sender</Type>"
	    "<Code>IDPCommunicationError</Code><Message>try again</Message>"
	    "</Error><RequestId>x</RequestId></ErrorResponse>", NULL, NULL);
	canned_push(&c, 200, webid_xml, NULL, NULL);
	assert_int_equal(sts_assume_role_with_web_identity(aws, "arn:x", "s",
	    "tok", 0, &out, NULL, &err), 0);
	assert_int_equal(c.n_req, 3);
	assert_string_equal(out.access_key_id, "ASIAWEBEXAMPLE");
	aws_creds_clear(&out);

	canned_push(&c, 400, "<ErrorResponse><Error><Type>Sender</Type>"
	    "<Code>InvalidIdentityToken</Code><Message>bad</Message></Error>"
	    "<RequestId>x</RequestId></ErrorResponse>", NULL, NULL);
	assert_int_equal(sts_assume_role_with_web_identity(aws, "arn:x", "s",
	    "tok", 0, &out, NULL, &err), -1);
	assert_int_equal(c.n_req, 4);
	assert_string_equal(err.code, "InvalidIdentityToken");
	assert_string_equal(err.op, "sts:AssumeRoleWithWebIdentity");
	aws_error_clear(&err);

	/* Three transport failures: give up with RequestError. */
	canned_push(&c, 0, NULL, NULL, NULL);
	canned_push(&c, 0, NULL, NULL, NULL);
	canned_push(&c, 0, NULL, NULL, NULL);
	assert_int_equal(sts_assume_role_with_web_identity(aws, "arn:x", "s",
	    "tok", 0, &out, NULL, &err), -1);
	assert_int_equal(c.n_req, 7);
	assert_string_equal(err.code, "RequestError");
	aws_error_clear(&err);
	aws_free(aws);
	canned_free(&c);
}

/* A configured STS endpoint is used for the unsigned call too. */
static void
test_web_identity_endpoint(void **state)
{
	struct canned		 c;
	struct aws		*aws;
	struct aws_error	 err;
	struct aws_creds	 out;

	(void)state;
	setenv("AWS_ENDPOINT_URL_STS", "http://localhost:4566/", 1);
	memset(&c, 0, sizeof c);
	memset(&err, 0, sizeof err);
	aws = canned_aws(&c);
	canned_push(&c, 200, webid_xml, NULL, NULL);
	assert_int_equal(sts_assume_role_with_web_identity(aws, "arn:x", "s",
	    "tok", 0, &out, NULL, &err), 0);
	assert_string_equal(c.req[0].url, "http://localhost:4566/");
	aws_creds_clear(&out);
	aws_free(aws);
	canned_free(&c);
	unsetenv("AWS_ENDPOINT_URL_STS");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_caller_identity, env_setup),
		cmocka_unit_test_setup(test_assume_role, env_setup),
		cmocka_unit_test_setup(test_web_identity, env_setup),
		cmocka_unit_test_setup(test_web_identity_retry, env_setup),
		cmocka_unit_test_setup(test_web_identity_endpoint, env_setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
