/* Tests for the simulator's AWS framework: SigV4 verification (header and
 * presigned), error shapes per protocol, faults, the spec parser, state. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/json.h"
#include "latticectl/sigv4.h"
#include "latticectl/xmalloc.h"

#include "../../src/sim/sim_aws.h"

struct tresp {
	int			 status;
	struct http_headers	 headers;
	char			*body;
	cJSON			*json;
};

struct treq {
	const char	*service;	/* signing name; NULL: vpc-lattice */
	const char	*ak;
	const char	*sk;
	const char	*token;
	const char	*region;
	int64_t		 skew_s;	/* added to the signing time */
	int		 unsigned_req;
	int		 presign;
	const char	*tamper_body;	/* body sent instead of the signed */
};

/* Free a response. */
static void
tresp_free(struct tresp *r)
{
	http_headers_free(&r->headers);
	free(r->body);
	cJSON_Delete(r->json);
	memset(r, 0, sizeof *r);
}

/* Hand a request to sim_aws_handle and collect the answer. */
static void
tsend(struct sim_aws *sim, const char *method, const char *raw_path,
    const char *query, struct http_headers *h, const char *body,
    struct tresp *out)
{
	struct httpd_request	 req;
	struct httpd_response	 resp;
	char			*path;

	memset(&req, 0, sizeof req);
	memset(&resp, 0, sizeof resp);
	path = sim_aws_unescape(raw_path, strlen(raw_path), 0);
	req.method = method;
	req.path = path;
	req.raw_path = raw_path;
	req.query = query != NULL ? query : "";
	req.headers = *h;
	req.body = body;
	req.body_len = body != NULL ? strlen(body) : 0;
	req.remote = "127.0.0.1:1";
	sim_aws_handle(sim, &req, &resp);
	memset(out, 0, sizeof *out);
	out->status = resp.status;
	out->headers = resp.headers;
	out->body = resp.body.buf != NULL ? strbuf_detach(&resp.body, NULL) :
	    xstrdup("");
	out->json = cJSON_Parse(out->body);
	free(path);
}

/* Sign (or not) and send one request; target is "/path?query". */
static void
tcall(struct sim_aws *sim, const struct treq *o, const char *method,
    const char *target, const char *body, struct tresp *out)
{
	struct http_headers	 h = { NULL, 0, 0 };
	struct sigv4_params	 p;
	struct sigv4_request	 r;
	char			*path, *query = NULL, *q, *cause = NULL;
	char			*presigned = NULL;

	path = xstrdup(target);
	if ((q = strchr(path, '?')) != NULL) {
		*q = '\0';
		query = q + 1;
	}
	http_headers_add(&h, "Host", "127.0.0.1:4566");
	if (body != NULL)
		http_headers_add(&h, "Content-Type", "application/json");
	memset(&p, 0, sizeof p);
	p.access_key = o->ak != NULL ? o->ak : SIM_ACCESS_KEY;
	p.secret_key = o->sk != NULL ? o->sk : SIM_SECRET_KEY;
	p.session_token = o->token;
	p.region = o->region != NULL ? o->region : SIM_REGION;
	p.service = o->service != NULL ? o->service : "vpc-lattice";
	p.now = (time_t)(sim_aws_now_ms(sim) / 1000 + o->skew_s);
	memset(&r, 0, sizeof r);
	r.method = method;
	r.path = path;
	r.query = query;
	r.headers = &h;
	r.payload = body;
	r.payload_len = body != NULL ? strlen(body) : 0;
	if (o->presign) {
		assert_int_equal(sigv4_presign(&p, &r, &presigned, &cause), 0);
		query = presigned;
	} else if (!o->unsigned_req)
		assert_int_equal(sigv4_sign(&p, &r, &cause), 0);
	tsend(sim, method, path, query, &h, o->tamper_body != NULL ?
	    o->tamper_body : body, out);
	http_headers_free(&h);
	free(presigned);
	free(path);
}

/* The error code a rest-json answer carries. */
static const char *
terr(const struct tresp *r)
{
	return http_headers_get(&r->headers, "X-Amzn-ErrorType");
}

static const struct treq plain = { 0 };

/* A signed request with the seeded user works. */
static void
test_signature_ok(void **state)
{
	struct sim_aws	*sim = sim_aws_new(NULL);
	struct tresp	 r;

	(void)state;
	tcall(sim, &plain, "GET", "/services", NULL, &r);
	assert_int_equal(r.status, 200);
	assert_non_null(cJSON_GetObjectItem(r.json, "items"));
	assert_non_null(http_headers_get(&r.headers, "x-amzn-RequestId"));
	tresp_free(&r);
	sim_aws_free(sim);
}

/* Wrong secret, tampered body: InvalidSignatureException 403. */
static void
test_signature_bad(void **state)
{
	struct sim_aws	*sim = sim_aws_new(NULL);
	struct treq	 o = { 0 };
	struct tresp	 r;
	struct sim_aws_stats st;

	(void)state;
	o.sk = "not-the-secret";
	tcall(sim, &o, "GET", "/services", NULL, &r);
	assert_int_equal(r.status, 403);
	assert_string_equal(terr(&r), "InvalidSignatureException");
	assert_non_null(strstr(json_str(r.json, "message"),
	    "does not match"));
	tresp_free(&r);
	memset(&o, 0, sizeof o);
	o.tamper_body = "{\"name\":\"other\"}";
	tcall(sim, &o, "POST", "/services", "{\"name\":\"svc-one\"}", &r);
	assert_int_equal(r.status, 403);
	assert_string_equal(terr(&r), "InvalidSignatureException");
	tresp_free(&r);
	sim_aws_stats(sim, &st);
	assert_int_equal(st.auth_failures, 2);
	sim_aws_free(sim);
}

/* An unknown access key: UnrecognizedClientException 403. */
static void
test_unknown_key(void **state)
{
	struct sim_aws	*sim = sim_aws_new(NULL);
	struct treq	 o = { 0 };
	struct tresp	 r;

	(void)state;
	o.ak = "AKIANOBODYKNOWSTHIS0";
	tcall(sim, &o, "GET", "/services", NULL, &r);
	assert_int_equal(r.status, 403);
	assert_string_equal(terr(&r), "UnrecognizedClientException");
	assert_string_equal(json_str(r.json, "message"),
	    "The security token included in the request is invalid.");
	tresp_free(&r);
	sim_aws_free(sim);
}

/* Signed 20 minutes ago (or ahead): signature expired. */
static void
test_expired(void **state)
{
	struct sim_aws	*sim = sim_aws_new(NULL);
	struct treq	 o = { 0 };
	struct tresp	 r;

	(void)state;
	o.skew_s = -20 * 60;
	tcall(sim, &o, "GET", "/services", NULL, &r);
	assert_int_equal(r.status, 403);
	assert_string_equal(terr(&r), "InvalidSignatureException");
	assert_non_null(strstr(json_str(r.json, "message"),
	    "Signature expired"));
	tresp_free(&r);
	o.skew_s = 20 * 60;
	tcall(sim, &o, "GET", "/services", NULL, &r);
	assert_int_equal(r.status, 403);
	assert_non_null(strstr(json_str(r.json, "message"), "not yet current"));
	tresp_free(&r);
	o.skew_s = -10 * 60;
	tcall(sim, &o, "GET", "/services", NULL, &r);
	assert_int_equal(r.status, 200);
	tresp_free(&r);
	sim_aws_free(sim);
}

/* No credentials at all; a scope for another service or region. */
static void
test_missing_and_scope(void **state)
{
	struct sim_aws	*sim = sim_aws_new(NULL);
	struct treq	 o = { 0 };
	struct tresp	 r;

	(void)state;
	o.unsigned_req = 1;
	tcall(sim, &o, "GET", "/services", NULL, &r);
	assert_int_equal(r.status, 403);
	assert_string_equal(terr(&r), "MissingAuthenticationTokenException");
	tresp_free(&r);
	memset(&o, 0, sizeof o);
	o.service = "no-such-service";
	tcall(sim, &o, "GET", "/services", NULL, &r);
	assert_int_equal(r.status, 403);
	assert_string_equal(terr(&r), "InvalidSignatureException");
	tresp_free(&r);
	memset(&o, 0, sizeof o);
	o.region = "eu-west-1";
	tcall(sim, &o, "GET", "/services", NULL, &r);
	assert_int_equal(r.status, 403);
	assert_non_null(strstr(json_str(r.json, "message"), "valid region"));
	tresp_free(&r);
	sim_aws_free(sim);
}

/* A presigned request verifies; a changed one does not. */
static void
test_presigned(void **state)
{
	struct sim_aws	*sim = sim_aws_new(NULL);
	struct treq	 o = { 0 };
	struct tresp	 r;

	(void)state;
	o.presign = 1;
	tcall(sim, &o, "GET", "/services?maxResults=5", NULL, &r);
	assert_int_equal(r.status, 200);
	tresp_free(&r);
	o.sk = "wrong";
	tcall(sim, &o, "GET", "/services", NULL, &r);
	assert_int_equal(r.status, 403);
	tresp_free(&r);
	o.sk = NULL;
	o.skew_s = -3600;
	tcall(sim, &o, "GET", "/services", NULL, &r);
	assert_int_equal(r.status, 403);
	assert_non_null(strstr(json_str(r.json, "message"), "expired"));
	tresp_free(&r);
	sim_aws_free(sim);
}

/* Session credentials: the token must match; expired tokens fail. */
static void
test_session_token(void **state)
{
	struct sim_aws	*sim = sim_aws_new(NULL);
	struct treq	 o = { 0 };
	struct tresp	 r;

	(void)state;
	sim_aws_add_user(sim, "ASIASIMTEMP000000001", "temp-secret", "tok-1",
	    "arn:aws:sts::123456789012:assumed-role/r/s", "AROA1:s", 0);
	o.ak = "ASIASIMTEMP000000001";
	o.sk = "temp-secret";
	tcall(sim, &o, "GET", "/services", NULL, &r);
	assert_int_equal(r.status, 403);
	assert_string_equal(terr(&r), "UnrecognizedClientException");
	tresp_free(&r);
	o.token = "tok-1";
	tcall(sim, &o, "GET", "/services", NULL, &r);
	assert_int_equal(r.status, 200);
	tresp_free(&r);
	sim_aws_add_user(sim, "ASIASIMTEMP000000001", "temp-secret", "tok-1",
	    NULL, NULL, sim_aws_now_ms(sim) - 1000);
	tcall(sim, &o, "GET", "/services", NULL, &r);
	assert_int_equal(r.status, 403);
	assert_string_equal(terr(&r), "ExpiredTokenException");
	tresp_free(&r);
	sim_aws_free(sim);
}

/* A percent-encoded ARN in the path verifies (double-encoded canonical
 * URI, as botocore signs it). */
static void
test_encoded_arn_path(void **state)
{
	struct sim_aws	*sim = sim_aws_new(NULL);
	struct tresp	 r;
	char		 target[512], *enc, *p;
	const char	*arn;

	(void)state;
	tcall(sim, &plain, "POST", "/services", "{\"name\":\"enc-test\"}", &r);
	assert_int_equal(r.status, 201);
	arn = json_str(r.json, "arn");
	enc = xmalloc(strlen(arn) * 3 + 1);
	for (p = enc; *arn != '\0'; arn++) {
		if (*arn == ':' || *arn == '/')
			p += sprintf(p, "%%%02X", (unsigned char)*arn);
		else
			*p++ = *arn;
	}
	*p = '\0';
	tresp_free(&r);
	snprintf(target, sizeof target, "/tags/%s?tagKeys=a&tagKeys=b", enc);
	tcall(sim, &plain, "DELETE", target, NULL, &r);
	assert_int_equal(r.status, 200);
	tresp_free(&r);
	free(enc);
	sim_aws_free(sim);
}

/* A fake query-protocol and EC2-protocol service, for the error shapes. */
static void
fake_handle(struct sim_aws_call *call)
{
	if (strcmp(call->req->path, "/unknown") == 0)
		sim_aws_unknown_op(call, "Nope");
	else
		sim_aws_reply_xml(call, 200, "<ok/>");
}

/* STS-style: AssumeRoleWithWebIdentity may come unsigned. */
static int
fake_unsigned(const struct httpd_request *req)
{
	return req->body != NULL && strstr(req->body,
	    "Action=AssumeRoleWithWebIdentity") != NULL;
}

static const struct sim_aws_service fake_query = {
	.signing_name = "fakequery", .proto = SIM_AWS_QUERY,
	.family = SIM_FAMILY_STS,
	.xmlns = "https://sts.amazonaws.com/doc/2011-06-15/",
	.handle = fake_handle, .unsigned_ok = fake_unsigned,
};
static const struct sim_aws_service fake_ec2 = {
	.signing_name = "fakeec2", .proto = SIM_AWS_EC2,
	.family = SIM_FAMILY_EC2, .handle = fake_handle,
};

/* Query and EC2 protocols answer in their own error shapes. */
static void
test_error_shapes(void **state)
{
	struct sim_aws	*sim = sim_aws_new(NULL);
	struct http_headers h = { NULL, 0, 0 };
	struct treq	 o = { 0 };
	struct tresp	 r;

	(void)state;
	assert_int_equal(sim_aws_register(sim, &fake_query), 0);
	assert_int_equal(sim_aws_register(sim, &fake_query), -1);
	assert_int_equal(sim_aws_register(sim, &fake_ec2), 0);
	o.service = "fakequery";
	o.sk = "bad";
	tcall(sim, &o, "POST", "/", "Action=GetCallerIdentity", &r);
	assert_int_equal(r.status, 403);
	assert_non_null(strstr(r.body, "<ErrorResponse"));
	assert_non_null(strstr(r.body, "<Type>Sender</Type>"));
	assert_non_null(strstr(r.body, "<Code>SignatureDoesNotMatch</Code>"));
	tresp_free(&r);
	o.service = "fakeec2";
	tcall(sim, &o, "POST", "/", "Action=DescribeVpcs", &r);
	assert_int_equal(r.status, 401);
	assert_non_null(strstr(r.body, "<Response><Errors><Error>"
	    "<Code>AuthFailure</Code>"));
	tresp_free(&r);
	o.sk = NULL;
	tcall(sim, &o, "POST", "/unknown", "Action=Nope", &r);
	assert_int_equal(r.status, 400);
	assert_non_null(strstr(r.body, "<Code>InvalidAction</Code>"));
	tresp_free(&r);
	http_headers_add(&h, "Host", "127.0.0.1:4566");
	tsend(sim, "POST", "/", NULL, &h,
	    "Action=AssumeRoleWithWebIdentity&RoleArn=x", &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.body, "<ok/>");
	tresp_free(&r);
	http_headers_free(&h);
	sim_aws_free(sim);
}

/* A Lattice path that is no operation. */
static void
test_unknown_operation(void **state)
{
	struct sim_aws	*sim = sim_aws_new(NULL);
	struct tresp	 r;

	(void)state;
	tcall(sim, &plain, "GET", "/nothing/here", NULL, &r);
	assert_int_equal(r.status, 404);
	assert_string_equal(terr(&r), "UnknownOperationException");
	tresp_free(&r);
	tcall(sim, &plain, "PUT", "/services", "{}", &r);
	assert_int_equal(r.status, 404);
	tresp_free(&r);
	sim_aws_free(sim);
}

/* The --faults parser: values, and errors that name the field. */
static void
test_faults_parse(void **state)
{
	struct sim_faults	 f;
	double			 rate[SIM_FAMILY_MAX];
	char			*cause = NULL;

	(void)state;
	assert_int_equal(sim_faults_parse("throttle=lattice:0.3,error=0.05,"
	    "latency=50ms,watchdrop=10s,rate=lattice:10", &f, rate, &cause), 0);
	assert_true(f.throttle_rate[SIM_FAMILY_LATTICE] == 0.3);
	assert_true(f.throttle_rate[SIM_FAMILY_EC2] == 0);
	assert_true(f.error_rate == 0.05);
	assert_int_equal(f.latency_ms, 50);
	assert_int_equal(f.watch_drop_s, 10);
	assert_true(rate[SIM_FAMILY_LATTICE] == 10);
	assert_true(rate[SIM_FAMILY_IAM] == 0);
	assert_int_equal(sim_faults_parse("throttle=0.5,latency=2s,"
	    "watchdrop=1m", &f, rate, &cause), 0);
	assert_true(f.throttle_rate[SIM_FAMILY_EKS] == 0.5);
	assert_int_equal(f.latency_ms, 2000);
	assert_int_equal(f.watch_drop_s, 60);
	assert_int_equal(sim_faults_parse("", &f, rate, &cause), 0);
	assert_int_equal(sim_faults_parse("bogus=1", &f, rate, &cause), -1);
	assert_non_null(strstr(cause, "unknown field 'bogus'"));
	assert_int_equal(sim_faults_parse("throttle=lat:0.1", &f, rate,
	    &cause), -1);
	assert_non_null(strstr(cause, "unknown API family 'lat'"));
	assert_int_equal(sim_faults_parse("error=1.5", &f, rate, &cause), -1);
	assert_non_null(strstr(cause, "error"));
	assert_int_equal(sim_faults_parse("latency=fast", &f, rate, &cause),
	    -1);
	assert_non_null(strstr(cause, "latency"));
	assert_int_equal(sim_faults_parse("rate=ec2:-3", &f, rate, &cause),
	    -1);
	assert_non_null(strstr(cause, "rate"));
	assert_int_equal(sim_faults_parse("latency", &f, rate, &cause), -1);
	assert_non_null(strstr(cause, "FIELD=VALUE"));
	free(cause);
}

/* Throttle 100%: 429 + Retry-After (rest-json), 400 Throttling (query),
 * 503 RequestLimitExceeded (EC2); error 100%: 500. */
static void
test_fault_throttle(void **state)
{
	struct sim_aws		*sim = sim_aws_new(NULL);
	struct sim_faults	 f;
	struct treq		 o = { 0 };
	struct tresp		 r;
	struct sim_aws_stats	 st;

	(void)state;
	sim_aws_register(sim, &fake_query);
	sim_aws_register(sim, &fake_ec2);
	memset(&f, 0, sizeof f);
	f.throttle_rate[SIM_FAMILY_LATTICE] = 1;
	f.throttle_rate[SIM_FAMILY_STS] = 1;
	f.throttle_rate[SIM_FAMILY_EC2] = 1;
	sim_aws_set_faults(sim, &f, NULL);
	tcall(sim, &plain, "GET", "/services", NULL, &r);
	assert_int_equal(r.status, 429);
	assert_string_equal(terr(&r), "ThrottlingException");
	assert_string_equal(http_headers_get(&r.headers, "Retry-After"), "1");
	tresp_free(&r);
	o.service = "fakequery";
	tcall(sim, &o, "POST", "/", "Action=GetCallerIdentity", &r);
	assert_int_equal(r.status, 400);
	assert_non_null(strstr(r.body, "<Code>Throttling</Code>"));
	tresp_free(&r);
	o.service = "fakeec2";
	tcall(sim, &o, "POST", "/", "Action=DescribeVpcs", &r);
	assert_int_equal(r.status, 503);
	assert_non_null(strstr(r.body, "<Code>RequestLimitExceeded</Code>"));
	tresp_free(&r);
	memset(&f, 0, sizeof f);
	f.error_rate = 1;
	sim_aws_set_faults(sim, &f, NULL);
	tcall(sim, &plain, "GET", "/services", NULL, &r);
	assert_int_equal(r.status, 500);
	assert_string_equal(terr(&r), "InternalServerException");
	tresp_free(&r);
	sim_aws_stats(sim, &st);
	assert_int_equal(st.throttled, 3);
	assert_int_equal(st.injected_errors, 1);
	sim_aws_free(sim);
}

/* A token bucket of almost nothing: one request passes, the next is
 * throttled; other families are not affected. */
static void
test_fault_rate(void **state)
{
	struct sim_aws_opts	 opts;
	struct sim_aws		*sim;
	struct tresp		 r;

	(void)state;
	memset(&opts, 0, sizeof opts);
	opts.rate[SIM_FAMILY_LATTICE] = 0.0001;
	sim = sim_aws_new(&opts);
	tcall(sim, &plain, "GET", "/services", NULL, &r);
	assert_int_equal(r.status, 200);
	tresp_free(&r);
	tcall(sim, &plain, "GET", "/services", NULL, &r);
	assert_int_equal(r.status, 429);
	tresp_free(&r);
	sim_aws_free(sim);
}

/* Save and load keep resources and users. */
static void
test_save_load(void **state)
{
	struct sim_aws	*a = sim_aws_new(NULL), *b = sim_aws_new(NULL);
	struct tresp	 r;
	struct treq	 o = { 0 };
	char		 target[128], *cause = NULL, id[64];
	cJSON		*saved, *bad;

	(void)state;
	sim_aws_add_user(a, "AKIASECONDUSER000001", "second", NULL,
	    "arn:aws:iam::123456789012:user/second", NULL, 0);
	tcall(a, &plain, "POST", "/services", "{\"name\":\"kept\"}", &r);
	assert_int_equal(r.status, 201);
	snprintf(id, sizeof id, "%s", json_str(r.json, "id"));
	tresp_free(&r);
	saved = sim_aws_save(a);
	assert_int_equal(sim_aws_load(b, saved, &cause), 0);
	snprintf(target, sizeof target, "/services/%s", id);
	o.ak = "AKIASECONDUSER000001";
	o.sk = "second";
	tcall(b, &o, "GET", target, NULL, &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(json_str(r.json, "name"), "kept");
	tresp_free(&r);
	bad = cJSON_Parse("{\"version\":99}");
	assert_int_equal(sim_aws_load(b, bad, &cause), -1);
	assert_non_null(strstr(cause, "version"));
	free(cause);
	cJSON_Delete(bad);
	cJSON_Delete(saved);
	sim_aws_free(a);
	sim_aws_free(b);
}

/* Random request ids, JSON content type on answers. */
static void
test_reply_headers(void **state)
{
	struct sim_aws	*sim = sim_aws_new(NULL);
	struct tresp	 a, b;

	(void)state;
	tcall(sim, &plain, "GET", "/services", NULL, &a);
	tcall(sim, &plain, "GET", "/services", NULL, &b);
	assert_string_equal(http_headers_get(&a.headers, "Content-Type"),
	    "application/json");
	assert_string_not_equal(http_headers_get(&a.headers,
	    "x-amzn-RequestId"), http_headers_get(&b.headers,
	    "x-amzn-RequestId"));
	tresp_free(&a);
	tresp_free(&b);
	sim_aws_free(sim);
}

/* Run the tests. */
int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_signature_ok),
		cmocka_unit_test(test_signature_bad),
		cmocka_unit_test(test_unknown_key),
		cmocka_unit_test(test_expired),
		cmocka_unit_test(test_missing_and_scope),
		cmocka_unit_test(test_presigned),
		cmocka_unit_test(test_session_token),
		cmocka_unit_test(test_encoded_arn_path),
		cmocka_unit_test(test_error_shapes),
		cmocka_unit_test(test_unknown_operation),
		cmocka_unit_test(test_faults_parse),
		cmocka_unit_test(test_fault_throttle),
		cmocka_unit_test(test_fault_rate),
		cmocka_unit_test(test_save_load),
		cmocka_unit_test(test_reply_headers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
