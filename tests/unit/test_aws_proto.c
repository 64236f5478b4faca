/* Protocol layer tests: signing, retries, throttling, error forms. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>

#include "latticectl/aws.h"
#include "latticectl/json.h"
#include "latticectl/xmalloc.h"
#include "testlib.h"
#include "../../src/aws/aws_int.h"

/* A rest-json success: body parsed, request signed for the service. */
static void
test_restjson_ok(void **state)
{
	struct canned		 c = { 0 };
	struct aws		*aws = canned_aws(&c);
	struct aws_error	 err = { 0 };
	cJSON			*body = cJSON_CreateObject(), *out = NULL;
	const char		*auth;

	cJSON_AddStringToObject(body, "name", "svc-a");
	canned_push(&c, 201, "{\"id\":\"svc-0123456789abcdef0\"}", NULL, NULL);
	assert_int_equal(aws_restjson_call(aws, "vpc-lattice", "CreateService",
	    "POST", "/services", NULL, body, &out, &err), 0);
	assert_string_equal(json_str(out, "id"), "svc-0123456789abcdef0");
	assert_int_equal(c.n_req, 1);
	assert_string_equal(c.req[0].method, "POST");
	assert_string_equal(canned_path(&c.req[0]), "/services");
	assert_string_equal(c.req[0].body, "{\"name\":\"svc-a\"}");
	assert_string_equal(http_headers_get(&c.req[0].headers,
	    "Content-Type"), "application/json");
	auth = http_headers_get(&c.req[0].headers, "Authorization");
	assert_non_null(auth);
	assert_non_null(strstr(auth, "Credential=AKIDEXAMPLE/"));
	assert_non_null(strstr(auth, "/us-west-2/vpc-lattice/aws4_request"));
	assert_non_null(strstr(auth,
	    "SignedHeaders=content-type;host;x-amz-date"));
	assert_non_null(http_headers_get(&c.req[0].headers, "X-Amz-Date"));
	assert_string_equal(http_headers_get(&c.req[0].headers,
	    "amz-sdk-request"), "attempt=1; max=3");
	cJSON_Delete(out);
	cJSON_Delete(body);
	aws_free(aws);
	canned_free(&c);
}

/* A 404 with X-Amzn-ErrorType is parsed and not retried. */
static void
test_restjson_not_found(void **state)
{
	struct canned		 c = { 0 };
	struct aws		*aws = canned_aws(&c);
	struct aws_error	 err = { 0 };
	cJSON			*out = NULL;
	char			*s;

	canned_push(&c, 404, "{\"message\":\"Service svc-1 not found\","
	    "\"resourceId\":\"svc-1\"}", "X-Amzn-ErrorType",
	    "ResourceNotFoundException:http://internal.amazon.com/");
	assert_int_equal(aws_restjson_call(aws, "vpc-lattice", "GetService",
	    "GET", "/services/svc-1", NULL, NULL, &out, &err), -1);
	assert_null(out);
	assert_int_equal(c.n_req, 1);
	assert_string_equal(err.code, "ResourceNotFoundException");
	assert_string_equal(err.message, "Service svc-1 not found");
	assert_int_equal(err.status, 404);
	assert_false(err.retryable);
	assert_string_equal(err.op, "vpc-lattice:GetService");
	s = aws_error_string(&err);
	assert_string_equal(s, "vpc-lattice:GetService: "
	    "ResourceNotFoundException: Service svc-1 not found (HTTP 404)");
	free(s);
	aws_error_clear(&err);
	aws_free(aws);
	canned_free(&c);
}

/* __type with a namespace prefix gives the code; code member too. */
static void
test_restjson_type_forms(void **state)
{
	struct canned		 c = { 0 };
	struct aws		*aws = canned_aws(&c);
	struct aws_error	 err = { 0 };
	cJSON			*out = NULL;

	canned_push(&c, 409, "{\"__type\":\"com.amazonaws.vpclattice#"
	    "ConflictException\",\"message\":\"in use\"}", NULL, NULL);
	assert_int_equal(aws_restjson_call(aws, "vpc-lattice",
	    "DeleteTargetGroup", "DELETE", "/targetgroups/tg-1", NULL, NULL,
	    &out, &err), -1);
	assert_string_equal(err.code, "ConflictException");
	assert_string_equal(err.message, "in use");
	canned_push(&c, 400, "{\"code\":\"InvalidParameterException\","
	    "\"message\":\"bad\"}", NULL, NULL);
	assert_int_equal(aws_restjson_call(aws, "eks", "DescribeCluster",
	    "GET", "/clusters/x", NULL, NULL, &out, &err), -1);
	assert_string_equal(err.code, "InvalidParameterException");
	canned_push(&c, 403, "", NULL, NULL);
	assert_int_equal(aws_restjson_call(aws, "eks", "DescribeCluster",
	    "GET", "/clusters/x", NULL, NULL, &out, &err), -1);
	assert_string_equal(err.code, "Http403");
	aws_error_clear(&err);
	aws_free(aws);
	canned_free(&c);
}

/* Throttling is retried, honouring Retry-After, with the same body,
 * invocation id and clientToken on every attempt. */
static void
test_retry_throttle(void **state)
{
	struct canned		 c = { 0 };
	struct aws		*aws = canned_aws(&c);
	struct aws_error	 err = { 0 };
	cJSON			*body = cJSON_CreateObject(), *out = NULL;
	char			 tok[37];

	aws_client_token(tok);
	cJSON_AddStringToObject(body, "clientToken", tok);
	canned_push(&c, 429, "{\"message\":\"Rate exceeded\"}",
	    "X-Amzn-ErrorType", "ThrottlingException");
	canned_push(&c, 201, "{\"id\":\"sn-1\"}", NULL, NULL);
	assert_int_equal(aws_restjson_call(aws, "vpc-lattice",
	    "CreateServiceNetwork", "POST", "/servicenetworks", NULL, body,
	    &out, &err), 0);
	assert_int_equal(c.n_req, 2);
	assert_string_equal(c.req[0].body, c.req[1].body);
	assert_non_null(strstr(c.req[1].body, tok));
	assert_string_equal(http_headers_get(&c.req[0].headers,
	    "amz-sdk-invocation-id"), http_headers_get(&c.req[1].headers,
	    "amz-sdk-invocation-id"));
	assert_string_equal(http_headers_get(&c.req[1].headers,
	    "amz-sdk-request"), "attempt=2; max=3");
	assert_null(err.code);
	cJSON_Delete(out);
	cJSON_Delete(body);
	aws_free(aws);
	canned_free(&c);
}

/* 5xx and transport errors are retried up to max_attempts. */
static void
test_retry_exhausted(void **state)
{
	struct canned		 c = { 0 };
	struct aws		*aws = canned_aws(&c);
	struct aws_error	 err = { 0 };
	cJSON			*out = NULL;

	canned_push(&c, 0, NULL, NULL, NULL);
	canned_push(&c, 503, "", NULL, NULL);
	canned_push(&c, 500, "{\"message\":\"boom\"}", "X-Amzn-ErrorType",
	    "InternalServerException");
	canned_push(&c, 200, "{}", NULL, NULL);
	assert_int_equal(aws_restjson_call(aws, "vpc-lattice", "ListServices",
	    "GET", "/services", NULL, NULL, &out, &err), -1);
	assert_int_equal(c.n_req, 3);
	assert_string_equal(err.code, "InternalServerException");
	assert_true(err.retryable);
	assert_false(err.throttling);
	aws_error_clear(&err);
	aws_free(aws);
	canned_free(&c);
}

/* Query protocol: form body and IAM/STS error XML. */
static void
test_query_iam_error(void **state)
{
	struct canned		 c = { 0 };
	struct aws		*aws = canned_aws(&c);
	struct aws_error	 err = { 0 };
	struct aws_params	 p = { 0 };
	xmlDoc			*doc = NULL;

	aws_params_add(&p, "PolicyArn", "arn:aws:iam::123456789012:policy/x");
	canned_push(&c, 404, "<ErrorResponse xmlns=\"https://iam.amazonaws."
	    "com/doc/2010-05-08/\"><Error><Type>Sender</Type><Code>NoSuchEntity"
	    "</Code><Message>Policy x not found</Message></Error><RequestId>"
	    "4a5b</RequestId></ErrorResponse>", NULL, NULL);
	assert_int_equal(aws_query_call(aws, "iam", "GetPolicy", "2010-05-08",
	    &p, &doc, &err), -1);
	assert_string_equal(c.req[0].body, "Action=GetPolicy&Version="
	    "2010-05-08&PolicyArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Apolicy"
	    "%2Fx");
	assert_string_equal(c.req[0].method, "POST");
	assert_string_equal(canned_path(&c.req[0]), "/");
	assert_non_null(strstr(http_headers_get(&c.req[0].headers,
	    "Authorization"), "/us-east-1/iam/aws4_request"));
	assert_string_equal(err.code, "NoSuchEntity");
	assert_string_equal(err.message, "Policy x not found");
	assert_string_equal(err.request_id, "4a5b");
	assert_false(err.retryable);
	aws_params_free(&p);
	aws_error_clear(&err);
	aws_free(aws);
	canned_free(&c);
}

/* EC2's error XML form and its throttle code; then a result document. */
static void
test_query_ec2(void **state)
{
	struct canned		 c = { 0 };
	struct aws		*aws = canned_aws(&c);
	struct aws_error	 err = { 0 };
	xmlDoc			*doc = NULL;
	xmlNode			*res, *item;
	char			*s;
	int			 n = 0;

	canned_push(&c, 400, "<Response><Errors><Error><Code>"
	    "InvalidPermission.Duplicate</Code><Message>The specified rule "
	    "already exists</Message></Error></Errors><RequestID>r-1"
	    "</RequestID></Response>", NULL, NULL);
	assert_int_equal(aws_query_call(aws, "ec2",
	    "AuthorizeSecurityGroupIngress", "2016-11-15", NULL, &doc, &err),
	    -1);
	assert_string_equal(err.code, "InvalidPermission.Duplicate");
	assert_string_equal(err.request_id, "r-1");
	canned_push(&c, 503, "<Response><Errors><Error><Code>"
	    "RequestLimitExceeded</Code><Message>slow</Message></Error>"
	    "</Errors></Response>", NULL, NULL);
	canned_push(&c, 200, "<DescribeVpcsResponse xmlns=\"http://ec2."
	    "amazonaws.com/doc/2016-11-15/\"><requestId>r</requestId><vpcSet>"
	    "<item><vpcId>vpc-1</vpcId></item><item><vpcId>vpc-2</vpcId>"
	    "</item></vpcSet></DescribeVpcsResponse>", NULL, NULL);
	assert_int_equal(aws_query_call(aws, "ec2", "DescribeVpcs",
	    "2016-11-15", NULL, &doc, &err), 0);
	res = aws_xml_result(doc, "DescribeVpcs");
	AWS_XML_FOREACH(item, aws_xml_child(res, "vpcSet"), "item") {
		s = aws_xml_text(item, "vpcId");
		assert_string_equal(s, n == 0 ? "vpc-1" : "vpc-2");
		free(s);
		n++;
	}
	assert_int_equal(n, 2);
	xmlFreeDoc(doc);
	aws_error_clear(&err);
	aws_free(aws);
	canned_free(&c);
}

/* A non-XML failure body (moto's HTML 500) still yields an error. */
static void
test_query_html_failure(void **state)
{
	struct canned		 c = { 0 };
	struct aws		*aws = canned_aws(&c);
	struct aws_error	 err = { 0 };
	xmlDoc			*doc = NULL;

	aws_set_retry(aws, 1, 1, 1);
	canned_push(&c, 500, "<!DOCTYPE html><html><body>Internal Server "
	    "Error</body></html>", NULL, NULL);
	assert_int_equal(aws_query_call(aws, "ec2", "DescribeVpcs",
	    "2016-11-15", NULL, &doc, &err), -1);
	assert_string_equal(err.code, "Http500");
	assert_true(err.retryable);
	assert_int_equal(c.n_req, 1);
	aws_error_clear(&err);
	aws_free(aws);
	canned_free(&c);
}

/* Tags keep insertion order, replace on set, and convert to/from JSON. */
static void
test_tags(void **state)
{
	struct aws_tags	 t = { 0 }, u = { 0 };
	cJSON		*j;

	aws_tags_set(&t, "b", "1");
	aws_tags_set(&t, "a", "2");
	aws_tags_set(&t, "b", "3");
	assert_int_equal(t.n, 2);
	assert_string_equal(aws_tags_get(&t, "b"), "3");
	assert_null(aws_tags_get(&t, "c"));
	j = aws_tags_to_json(&t);
	aws_tags_from_json(&u, j);
	assert_int_equal(u.n, 2);
	assert_string_equal(u.keys[0], "b");
	assert_string_equal(aws_tags_get(&u, "a"), "2");
	cJSON_Delete(j);
	aws_tags_free(&t);
	aws_tags_free(&u);
}

/* The throttle code list is the SDKs'. */
static void
test_throttle_codes(void **state)
{
	assert_true(aws_error_is_throttle_code("ThrottlingException"));
	assert_true(aws_error_is_throttle_code("RequestLimitExceeded"));
	assert_true(aws_error_is_throttle_code("Throttling"));
	assert_false(aws_error_is_throttle_code("ConflictException"));
	assert_false(aws_error_is_throttle_code(NULL));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_restjson_ok),
		cmocka_unit_test(test_restjson_not_found),
		cmocka_unit_test(test_restjson_type_forms),
		cmocka_unit_test(test_retry_throttle),
		cmocka_unit_test(test_retry_exhausted),
		cmocka_unit_test(test_query_iam_error),
		cmocka_unit_test(test_query_ec2),
		cmocka_unit_test(test_query_html_failure),
		cmocka_unit_test(test_tags),
		cmocka_unit_test(test_throttle_codes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
