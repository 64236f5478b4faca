/* Tests for the simulated VPC Lattice: each operation family, IDs, ARNs,
 * DNS, validation, conflicts, quotas, pagination, transitions, target
 * health, tags, auth policies, access logs, clientToken idempotency. */
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

struct fx {
	struct sim_aws	*sim;
	int		 status;
	char		 errtype[128];
	char		 retry_after[16];
};

/* Sign and send one Lattice request; returns the parsed body (caller
 * deletes; NULL when empty) and fails the test when the status is not
 * want. */
static cJSON *
lreq(struct fx *f, const char *method, const char *target, const char *body,
    int want)
{
	struct http_headers	 h = { NULL, 0, 0 };
	struct sigv4_params	 p;
	struct sigv4_request	 r;
	struct httpd_request	 req;
	struct httpd_response	 resp;
	char			*path, *q, *query = NULL, *cause = NULL;
	const char		*e;
	cJSON			*json;

	path = xstrdup(target);
	if ((q = strchr(path, '?')) != NULL) {
		*q = '\0';
		query = q + 1;
	}
	http_headers_add(&h, "Host", "vpc-lattice.us-west-2.amazonaws.com");
	if (body != NULL)
		http_headers_add(&h, "Content-Type", "application/json");
	memset(&p, 0, sizeof p);
	p.access_key = SIM_ACCESS_KEY;
	p.secret_key = SIM_SECRET_KEY;
	p.region = SIM_REGION;
	p.service = "vpc-lattice";
	p.now = (time_t)(sim_aws_now_ms(f->sim) / 1000);
	memset(&r, 0, sizeof r);
	r.method = method;
	r.path = path;
	r.query = query;
	r.headers = &h;
	r.payload = body;
	r.payload_len = body != NULL ? strlen(body) : 0;
	assert_int_equal(sigv4_sign(&p, &r, &cause), 0);
	memset(&req, 0, sizeof req);
	memset(&resp, 0, sizeof resp);
	req.method = method;
	req.path = path;
	req.raw_path = path;
	req.query = query != NULL ? query : "";
	req.headers = h;
	req.body = body;
	req.body_len = body != NULL ? strlen(body) : 0;
	sim_aws_handle(f->sim, &req, &resp);
	f->status = resp.status;
	e = http_headers_get(&resp.headers, "X-Amzn-ErrorType");
	snprintf(f->errtype, sizeof f->errtype, "%s", e != NULL ? e : "");
	e = http_headers_get(&resp.headers, "Retry-After");
	snprintf(f->retry_after, sizeof f->retry_after, "%s", e != NULL ? e :
	    "");
	if (resp.status != want)
		fail_msg("%s %s: status %d, want %d: %s", method, target,
		    resp.status, want, strbuf_str(&resp.body));
	json = resp.body.len > 0 ? cJSON_Parse(resp.body.buf) : NULL;
	strbuf_free(&resp.body);
	http_headers_free(&resp.headers);
	http_headers_free(&h);
	free(path);
	return json;
}

/* Send and drop the body. */
static void
lreq0(struct fx *f, const char *method, const char *target,
    const char *body, int want)
{
	cJSON_Delete(lreq(f, method, target, body, want));
}

/* Copy a string member out of a response. */
static void
get_str(const cJSON *j, const char *key, char *out, size_t len)
{
	const char	*s = json_path_str(j, key);

	assert_non_null(s);
	snprintf(out, len, "%s", s);
}

/* Create something with a JSON body and return its id. */
static void
create_id(struct fx *f, const char *target, const char *body, int want,
    char *id, size_t len)
{
	cJSON	*j = lreq(f, "POST", target, body, want);

	get_str(j, "id", id, len);
	cJSON_Delete(j);
}

/* Is s PREFIX- and 17 of [0-9a-z]? */
static int
id_ok(const char *s, const char *prefix)
{
	size_t	n = strlen(prefix);

	return strncmp(s, prefix, n) == 0 && s[n] == '-' &&
	    strlen(s + n + 1) == 17 &&
	    strspn(s + n + 1, "0123456789abcdefghijklmnopqrstuvwxyz") == 17;
}

/* A fixture with the given delays. */
static struct fx *
fx_new(unsigned create_ms, unsigned delete_ms, unsigned health_ms,
    unsigned drain_ms)
{
	struct sim_aws_opts	 o;
	struct fx		*f = xcalloc(1, sizeof *f);

	memset(&o, 0, sizeof o);
	o.create_delay_ms = create_ms;
	o.delete_delay_ms = delete_ms;
	o.health_delay_ms = health_ms;
	o.drain_ms = drain_ms;
	o.quotas.targets_per_tg = 3;
	f->sim = sim_aws_new(&o);
	return f;
}

/* Free a fixture. */
static void
fx_free(struct fx *f)
{
	sim_aws_free(f->sim);
	free(f);
}

/* A target group body for an IP group in a VPC. */
#define TG_BODY(name) "{\"name\":\"" name "\",\"type\":\"IP\",\"config\":" \
	"{\"port\":8080,\"protocol\":\"HTTP\",\"vpcIdentifier\":" \
	"\"vpc-0123456789abcdef0\"}}"

/* Services: create (IDs, ARN, DNS), get by id and ARN, list, update,
 * delete, 404 afterwards. */
static void
test_service_crud(void **state)
{
	struct fx	*f = fx_new(0, 0, 0, 0);
	cJSON		*j;
	char		 id[64], arn[256], t[512], dn[256];

	(void)state;
	j = lreq(f, "POST", "/services", "{\"name\":\"rates-default\","
	    "\"tags\":{\"k\":\"v\"}}", 201);
	get_str(j, "id", id, sizeof id);
	get_str(j, "arn", arn, sizeof arn);
	assert_true(id_ok(id, "svc"));
	snprintf(t, sizeof t, "arn:aws:vpc-lattice:us-west-2:123456789012:"
	    "service/%s", id);
	assert_string_equal(arn, t);
	assert_string_equal(json_str(j, "status"), "ACTIVE");
	assert_string_equal(json_str(j, "authType"), "NONE");
	get_str(j, "dnsEntry.domainName", dn, sizeof dn);
	snprintf(t, sizeof t, "rates-default-%s.", id + 4);
	assert_true(strncmp(dn, t, strlen(t)) == 0);
	assert_non_null(strstr(dn, ".vpc-lattice-svcs.us-west-2.on.aws"));
	assert_int_equal(json_path_str(j, "dnsEntry.hostedZoneId")[0], 'Z');
	assert_null(cJSON_GetObjectItem(j, "_tags"));
	cJSON_Delete(j);
	snprintf(t, sizeof t, "/services/%s", id);
	j = lreq(f, "GET", t, NULL, 200);
	assert_string_equal(json_str(j, "name"), "rates-default");
	assert_non_null(json_str(j, "createdAt"));
	assert_non_null(strchr(json_str(j, "createdAt"), 'T'));
	cJSON_Delete(j);
	snprintf(t, sizeof t, "/services/arn%%3Aaws%%3Avpc-lattice%%3A"
	    "us-west-2%%3A123456789012%%3Aservice%%2F%s", id);
	lreq0(f, "GET", t, NULL, 200);
	j = lreq(f, "GET", "/services", NULL, 200);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(j, "items")),
	    1);
	assert_null(cJSON_GetObjectItem(j, "nextToken"));
	cJSON_Delete(j);
	snprintf(t, sizeof t, "/services/%s", id);
	j = lreq(f, "PATCH", t, "{\"authType\":\"AWS_IAM\"}", 200);
	assert_string_equal(json_str(j, "authType"), "AWS_IAM");
	cJSON_Delete(j);
	j = lreq(f, "DELETE", t, NULL, 200);
	assert_string_equal(json_str(j, "status"), "DELETE_IN_PROGRESS");
	cJSON_Delete(j);
	j = lreq(f, "GET", t, NULL, 404);
	assert_string_equal(f->errtype, "ResourceNotFoundException");
	assert_string_equal(json_str(j, "resourceId"), id);
	assert_string_equal(json_str(j, "resourceType"), "SERVICE");
	cJSON_Delete(j);
	fx_free(f);
}

/* Names and identifiers are validated like the model says. */
static void
test_validation(void **state)
{
	struct fx	*f = fx_new(0, 0, 0, 0);
	static const char *const bad[] = { "Bad_Name", "ab", "svc-reserved",
		"a--b", "-lead", "trail-", NULL };
	char		 body[128];
	cJSON		*j;
	size_t		 i;

	(void)state;
	for (i = 0; bad[i] != NULL; i++) {
		snprintf(body, sizeof body, "{\"name\":\"%s\"}", bad[i]);
		j = lreq(f, "POST", "/services", body, 400);
		assert_string_equal(f->errtype, "ValidationException");
		assert_string_equal(json_str(j, "reason"),
		    "fieldValidationFailed");
		assert_string_equal(json_path_str(cJSON_GetArrayItem(
		    cJSON_GetObjectItem(j, "fieldList"), 0), "name"), "name");
		cJSON_Delete(j);
	}
	lreq0(f, "POST", "/services", "{}", 400);
	lreq0(f, "POST", "/services", "{\"name\":\"ok-name\","
	    "\"authType\":\"MAYBE\"}", 400);
	j = lreq(f, "POST", "/services", "not json", 400);
	assert_string_equal(json_str(j, "reason"), "cannotParse");
	cJSON_Delete(j);
	lreq0(f, "GET", "/services/svc-NOTVALID", NULL, 400);
	lreq0(f, "GET", "/services/svc-0123456789abcdefg", NULL, 404);
	lreq0(f, "POST", "/servicenetworks", "{\"name\":\"sn-names-ok\"}", 201);
	lreq0(f, "POST", "/targetgroups", "{\"name\":\"tg-x\",\"type\":\"IP\","
	    "\"config\":{\"port\":80,\"protocol\":\"HTTP\","
	    "\"vpcIdentifier\":\"vpc-12345678\"}}", 400);
	lreq0(f, "POST", "/targetgroups", "{\"name\":\"noconfig\","
	    "\"type\":\"IP\"}", 400);
	lreq0(f, "POST", "/targetgroups", "{\"name\":\"badvpc\",\"type\":\"IP\","
	    "\"config\":{\"port\":80,\"protocol\":\"HTTP\","
	    "\"vpcIdentifier\":\"vpc-1\"}}", 400);
	lreq0(f, "POST", "/services", "{\"name\":\"tagged\",\"tags\":"
	    "{\"aws:x\":\"1\"}}", 400);
	fx_free(f);
}

/* Duplicate names, deleting an associated service or network, a VPC in
 * two networks: ConflictException 409. */
static void
test_conflicts(void **state)
{
	struct fx	*f = fx_new(0, 0, 0, 0);
	char		 svc[64], sn[64], sn2[64], snsa[64], snva[64], t[512];
	cJSON		*j;

	(void)state;
	create_id(f, "/services", "{\"name\":\"dup\"}", 201, svc, sizeof svc);
	j = lreq(f, "POST", "/services", "{\"name\":\"dup\"}", 409);
	assert_string_equal(f->errtype, "ConflictException");
	assert_string_equal(json_str(j, "resourceId"), svc);
	cJSON_Delete(j);
	create_id(f, "/servicenetworks", "{\"name\":\"net\"}", 201, sn,
	    sizeof sn);
	create_id(f, "/servicenetworks", "{\"name\":\"net2\"}", 201, sn2,
	    sizeof sn2);
	lreq0(f, "POST", "/servicenetworks", "{\"name\":\"net\"}", 409);
	snprintf(t, sizeof t, "{\"serviceIdentifier\":\"%s\","
	    "\"serviceNetworkIdentifier\":\"%s\"}", svc, sn);
	j = lreq(f, "POST", "/servicenetworkserviceassociations", t, 200);
	get_str(j, "id", snsa, sizeof snsa);
	assert_true(id_ok(snsa, "snsa"));
	assert_string_equal(json_str(j, "createdBy"), "123456789012");
	assert_non_null(json_path_str(j, "dnsEntry.domainName"));
	cJSON_Delete(j);
	lreq0(f, "POST", "/servicenetworkserviceassociations", t, 409);
	snprintf(t, sizeof t, "{\"serviceNetworkIdentifier\":\"%s\","
	    "\"vpcIdentifier\":\"vpc-0123456789abcdef0\","
	    "\"securityGroupIds\":[\"sg-0123456789abcdef0\"]}", sn);
	create_id(f, "/servicenetworkvpcassociations", t, 200, snva,
	    sizeof snva);
	snprintf(t, sizeof t, "{\"serviceNetworkIdentifier\":\"%s\","
	    "\"vpcIdentifier\":\"vpc-0123456789abcdef0\"}", sn2);
	lreq0(f, "POST", "/servicenetworkvpcassociations", t, 409);
	snprintf(t, sizeof t, "/services/%s", svc);
	lreq0(f, "DELETE", t, NULL, 409);
	snprintf(t, sizeof t, "/servicenetworks/%s", sn);
	j = lreq(f, "GET", t, NULL, 200);
	assert_int_equal(json_num(j, "numberOfAssociatedServices", -1), 1);
	assert_int_equal(json_num(j, "numberOfAssociatedVPCs", -1), 1);
	cJSON_Delete(j);
	lreq0(f, "DELETE", t, NULL, 409);
	snprintf(t, sizeof t, "/servicenetworkserviceassociations/%s", snsa);
	j = lreq(f, "DELETE", t, NULL, 200);
	assert_string_equal(json_str(j, "status"), "DELETE_IN_PROGRESS");
	cJSON_Delete(j);
	snprintf(t, sizeof t, "/servicenetworkvpcassociations/%s", snva);
	lreq0(f, "PATCH", t, "{\"securityGroupIds\":[]}", 400);
	j = lreq(f, "PATCH", t, "{\"securityGroupIds\":"
	    "[\"sg-11111111\"]}", 200);
	assert_string_equal(cJSON_GetArrayItem(cJSON_GetObjectItem(j,
	    "securityGroupIds"), 0)->valuestring, "sg-11111111");
	cJSON_Delete(j);
	lreq0(f, "DELETE", t, NULL, 200);
	snprintf(t, sizeof t, "/servicenetworks/%s", sn);
	lreq0(f, "DELETE", t, NULL, 204);
	snprintf(t, sizeof t, "/services/%s", svc);
	lreq0(f, "DELETE", t, NULL, 200);
	fx_free(f);
}

/* Association lists filter by network and by service. */
static void
test_association_lists(void **state)
{
	struct fx	*f = fx_new(0, 0, 0, 0);
	char		 s1[64], s2[64], sn[64], t[512];
	cJSON		*j;

	(void)state;
	create_id(f, "/services", "{\"name\":\"one\"}", 201, s1, sizeof s1);
	create_id(f, "/services", "{\"name\":\"two\"}", 201, s2, sizeof s2);
	create_id(f, "/servicenetworks", "{\"name\":\"net\"}", 201, sn,
	    sizeof sn);
	snprintf(t, sizeof t, "{\"serviceIdentifier\":\"%s\","
	    "\"serviceNetworkIdentifier\":\"%s\"}", s1, sn);
	lreq0(f, "POST", "/servicenetworkserviceassociations", t, 200);
	snprintf(t, sizeof t, "{\"serviceIdentifier\":\"%s\","
	    "\"serviceNetworkIdentifier\":\"%s\"}", s2, sn);
	lreq0(f, "POST", "/servicenetworkserviceassociations", t, 200);
	snprintf(t, sizeof t, "/servicenetworkserviceassociations?"
	    "serviceIdentifier=%s", s2);
	j = lreq(f, "GET", t, NULL, 200);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(j, "items")),
	    1);
	assert_string_equal(json_str(cJSON_GetArrayItem(cJSON_GetObjectItem(j,
	    "items"), 0), "serviceName"), "two");
	cJSON_Delete(j);
	snprintf(t, sizeof t, "/servicenetworkserviceassociations?"
	    "serviceNetworkIdentifier=%s", sn);
	j = lreq(f, "GET", t, NULL, 200);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(j, "items")),
	    2);
	cJSON_Delete(j);
	fx_free(f);
}

/* Listeners: create with a default action, quota of 2 per service (402),
 * duplicate port (409), get/list/update/delete. */
static void
test_listeners(void **state)
{
	struct fx	*f = fx_new(0, 0, 0, 0);
	char		 svc[64], lst[64], t[512], path[256];
	cJSON		*j;

	(void)state;
	create_id(f, "/services", "{\"name\":\"web\"}", 201, svc, sizeof svc);
	snprintf(path, sizeof path, "/services/%s/listeners", svc);
	j = lreq(f, "POST", path, "{\"name\":\"web-80-http\",\"protocol\":"
	    "\"HTTP\",\"defaultAction\":{\"fixedResponse\":"
	    "{\"statusCode\":404}}}", 201);
	get_str(j, "id", lst, sizeof lst);
	assert_true(id_ok(lst, "listener"));
	assert_int_equal(json_num(j, "port", 0), 80);
	assert_string_equal(json_str(j, "serviceId"), svc);
	assert_non_null(strstr(json_str(j, "arn"), "/listener/listener-"));
	cJSON_Delete(j);
	lreq0(f, "POST", path, "{\"name\":\"other\",\"protocol\":\"HTTP\","
	    "\"port\":80,\"defaultAction\":{\"fixedResponse\":"
	    "{\"statusCode\":404}}}", 409);
	lreq0(f, "POST", path, "{\"name\":\"web-443-https\",\"protocol\":"
	    "\"HTTPS\",\"defaultAction\":{\"fixedResponse\":"
	    "{\"statusCode\":404}}}", 201);
	j = lreq(f, "POST", path, "{\"name\":\"third\",\"protocol\":\"HTTP\","
	    "\"port\":8080,\"defaultAction\":{\"fixedResponse\":"
	    "{\"statusCode\":404}}}", 402);
	assert_string_equal(f->errtype, "ServiceQuotaExceededException");
	assert_string_equal(json_str(j, "quotaCode"), "L-D64E952E");
	assert_string_equal(json_str(j, "serviceCode"), "vpc-lattice");
	cJSON_Delete(j);
	lreq0(f, "POST", path, "{\"name\":\"tls\",\"protocol\":"
	    "\"TLS_PASSTHROUGH\",\"defaultAction\":{\"fixedResponse\":"
	    "{\"statusCode\":404}}}", 400);
	lreq0(f, "POST", path, "{\"name\":\"both\",\"protocol\":\"HTTP\","
	    "\"defaultAction\":{\"fixedResponse\":{\"statusCode\":404},"
	    "\"forward\":{\"targetGroups\":[]}}}", 400);
	j = lreq(f, "GET", path, NULL, 200);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(j, "items")),
	    2);
	cJSON_Delete(j);
	snprintf(t, sizeof t, "%s/%s", path, lst);
	j = lreq(f, "PATCH", t, "{\"defaultAction\":{\"fixedResponse\":"
	    "{\"statusCode\":503}}}", 200);
	assert_int_equal(json_num(cJSON_GetObjectItem(j, "defaultAction")->child,
	    "statusCode", 0), 503);
	cJSON_Delete(j);
	lreq0(f, "GET", t, NULL, 200);
	lreq0(f, "DELETE", t, NULL, 204);
	lreq0(f, "GET", t, NULL, 404);
	fx_free(f);
}

/* Make a service with one listener; ids out. */
static void
svc_with_listener(struct fx *f, const char *name, char *svc, char *lst)
{
	char	body[128], path[128];

	snprintf(body, sizeof body, "{\"name\":\"%s\"}", name);
	create_id(f, "/services", body, 201, svc, 64);
	snprintf(path, sizeof path, "/services/%s/listeners", svc);
	create_id(f, path, "{\"name\":\"l-80\",\"protocol\":\"HTTP\","
	    "\"defaultAction\":{\"fixedResponse\":{\"statusCode\":404}}}", 201,
	    lst, 64);
}

/* A rule body forwarding to a group at a priority. */
static void
rule_body(char *out, size_t len, const char *name, int prio,
    const char *tg)
{
	snprintf(out, len, "{\"name\":\"%s\",\"priority\":%d,\"match\":"
	    "{\"httpMatch\":{\"method\":\"GET\",\"pathMatch\":{\"match\":"
	    "{\"prefix\":\"/rates\"},\"caseSensitive\":false},"
	    "\"headerMatches\":[{\"name\":\"x-env\",\"match\":"
	    "{\"exact\":\"prod\"}}]}},\"action\":{\"forward\":"
	    "{\"targetGroups\":[{\"targetGroupIdentifier\":\"%s\"}]}}}",
	    name, prio, tg);
}

/* Rules: default rule listed, priorities unique, quota 10, update, batch
 * swap, delete; a missing target group is 404. */
static void
test_rules(void **state)
{
	struct fx	*f = fx_new(0, 0, 0, 0);
	char		 svc[64], lst[64], tg[64], r1[64], r2[64], name[32];
	char		 path[256], t[1024], b[1024];
	cJSON		*j, *items, *it;
	int		 i, ndef = 0;

	(void)state;
	svc_with_listener(f, "rules", svc, lst);
	create_id(f, "/targetgroups", TG_BODY("rules-tg"), 201, tg, sizeof tg);
	snprintf(path, sizeof path, "/services/%s/listeners/%s/rules", svc,
	    lst);
	rule_body(b, sizeof b, "r-one", 1, tg);
	j = lreq(f, "POST", path, b, 201);
	get_str(j, "id", r1, sizeof r1);
	assert_true(id_ok(r1, "rule"));
	assert_int_equal(json_num(cJSON_GetArrayItem(json_path(j,
	    "action.forward.targetGroups"), 0), "weight", 0), 100);
	cJSON_Delete(j);
	rule_body(b, sizeof b, "r-dup", 1, tg);
	lreq0(f, "POST", path, b, 409);
	rule_body(b, sizeof b, "r-nogroup", 7, "tg-0123456789abcdefg");
	lreq0(f, "POST", path, b, 404);
	rule_body(b, sizeof b, "r-two", 2, tg);
	create_id(f, path, b, 201, r2, sizeof r2);
	for (i = 3; i <= 10; i++) {
		snprintf(name, sizeof name, "r-%d", i);
		rule_body(b, sizeof b, name, i, tg);
		lreq0(f, "POST", path, b, 201);
	}
	rule_body(b, sizeof b, "r-eleven", 11, tg);
	lreq0(f, "POST", path, b, 402);
	snprintf(t, sizeof t, "%s?maxResults=100", path);
	j = lreq(f, "GET", t, NULL, 200);
	items = cJSON_GetObjectItem(j, "items");
	assert_int_equal(cJSON_GetArraySize(items), 11);
	cJSON_ArrayForEach(it, items)
		ndef += cJSON_IsTrue(cJSON_GetObjectItem(it, "isDefault"));
	assert_int_equal(ndef, 1);
	cJSON_Delete(j);
	snprintf(t, sizeof t, "{\"rules\":[{\"ruleIdentifier\":\"%s\","
	    "\"priority\":2},{\"ruleIdentifier\":\"%s\",\"priority\":1},"
	    "{\"ruleIdentifier\":\"rule-0123456789abcdefg\",\"priority\":50}]}",
	    r1, r2);
	j = lreq(f, "PATCH", path, t, 200);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(j,
	    "successful")), 2);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(j,
	    "unsuccessful")), 1);
	cJSON_Delete(j);
	snprintf(t, sizeof t, "%s/%s", path, r1);
	j = lreq(f, "GET", t, NULL, 200);
	assert_int_equal(json_num(j, "priority", 0), 2);
	assert_false(cJSON_IsTrue(cJSON_GetObjectItem(j, "isDefault")));
	cJSON_Delete(j);
	lreq0(f, "PATCH", t, "{\"priority\":1}", 409);
	j = lreq(f, "PATCH", t, "{\"priority\":20}", 200);
	assert_int_equal(json_num(j, "priority", 0), 20);
	cJSON_Delete(j);
	lreq0(f, "DELETE", t, NULL, 204);
	lreq0(f, "GET", t, NULL, 404);
	fx_free(f);
}

/* Target groups: defaults filled, in-use conflict, health states. */
static void
test_target_groups(void **state)
{
	struct fx	*f = fx_new(0, 0, 0, 0);
	char		 svc[64], lst[64], tg[64], path[256], t[1024];
	cJSON		*j, *items;

	(void)state;
	j = lreq(f, "POST", "/targetgroups", TG_BODY("health-tg"), 201);
	get_str(j, "id", tg, sizeof tg);
	assert_true(id_ok(tg, "tg"));
	assert_string_equal(json_path_str(j, "config.protocolVersion"),
	    "HTTP1");
	assert_string_equal(json_path_str(j, "config.ipAddressType"), "IPV4");
	assert_true(cJSON_IsTrue(json_path(j, "config.healthCheck.enabled")));
	assert_string_equal(json_path_str(j, "config.healthCheck.path"), "/");
	cJSON_Delete(j);
	lreq0(f, "POST", "/targetgroups", TG_BODY("health-tg"), 409);
	snprintf(path, sizeof path, "/targetgroups/%s/registertargets", tg);
	j = lreq(f, "POST", path, "{\"targets\":[{\"id\":\"10.0.0.1\"},"
	    "{\"id\":\"10.0.0.2\",\"port\":9090},{\"id\":\"not-an-ip\"}]}",
	    200);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(j,
	    "successful")), 2);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(j,
	    "unsuccessful")), 1);
	cJSON_Delete(j);
	lreq0(f, "POST", path, "{\"targets\":[{\"id\":\"10.0.0.3\"},"
	    "{\"id\":\"10.0.0.4\"}]}", 402);
	snprintf(path, sizeof path, "/targetgroups/%s/listtargets", tg);
	j = lreq(f, "POST", path, NULL, 200);
	items = cJSON_GetObjectItem(j, "items");
	assert_int_equal(cJSON_GetArraySize(items), 2);
	assert_string_equal(json_str(cJSON_GetArrayItem(items, 0), "status"),
	    "UNUSED");
	assert_int_equal(json_num(cJSON_GetArrayItem(items, 0), "port", 0),
	    8080);
	cJSON_Delete(j);
	svc_with_listener(f, "uses-tg", svc, lst);
	snprintf(t, sizeof t, "/services/%s/listeners/%s", svc, lst);
	snprintf(path, sizeof path, "{\"defaultAction\":{\"forward\":"
	    "{\"targetGroups\":[{\"targetGroupIdentifier\":\"%s\","
	    "\"weight\":10}]}}}", tg);
	lreq0(f, "PATCH", t, path, 200);
	snprintf(path, sizeof path, "/targetgroups/%s/listtargets", tg);
	j = lreq(f, "POST", path, "{\"targets\":[{\"id\":\"10.0.0.1\"}]}",
	    200);
	items = cJSON_GetObjectItem(j, "items");
	assert_int_equal(cJSON_GetArraySize(items), 1);
	assert_string_equal(json_str(cJSON_GetArrayItem(items, 0), "status"),
	    "HEALTHY");
	cJSON_Delete(j);
	snprintf(t, sizeof t, "/targetgroups/%s", tg);
	j = lreq(f, "GET", t, NULL, 200);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(j,
	    "serviceArns")), 1);
	cJSON_Delete(j);
	lreq0(f, "DELETE", t, NULL, 409);
	lreq0(f, "PATCH", t, "{\"healthCheck\":{\"enabled\":false}}", 200);
	j = lreq(f, "POST", path, NULL, 200);
	assert_string_equal(json_str(cJSON_GetArrayItem(cJSON_GetObjectItem(j,
	    "items"), 0), "status"), "UNAVAILABLE");
	cJSON_Delete(j);
	lreq0(f, "PATCH", t, "{\"healthCheck\":{\"healthyThresholdCount\":"
	    "50}}", 400);
	j = lreq(f, "GET", "/targetgroups?targetGroupType=IP&vpcIdentifier="
	    "vpc-0123456789abcdef0", NULL, 200);
	items = cJSON_GetObjectItem(j, "items");
	assert_int_equal(cJSON_GetArraySize(items), 1);
	assert_int_equal(json_num(cJSON_GetArrayItem(items, 0), "port", 0),
	    8080);
	cJSON_Delete(j);
	j = lreq(f, "GET", "/targetgroups?targetGroupType=LAMBDA", NULL, 200);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(j, "items")),
	    0);
	cJSON_Delete(j);
	fx_free(f);
}

/* Transitions on the simulated clock: CREATE_IN_PROGRESS -> ACTIVE,
 * DELETE_IN_PROGRESS -> gone, INITIAL -> HEALTHY, DRAINING -> gone. */
static void
test_transitions(void **state)
{
	struct fx	*f = fx_new(1000, 2000, 3000, 4000);
	char		 svc[64], lst[64], tg[64], t[512], path[256];
	cJSON		*j;

	(void)state;
	j = lreq(f, "POST", "/targetgroups", TG_BODY("slow-tg"), 201);
	assert_string_equal(json_str(j, "status"), "CREATE_IN_PROGRESS");
	get_str(j, "id", tg, sizeof tg);
	cJSON_Delete(j);
	svc_with_listener(f, "slow", svc, lst);
	snprintf(t, sizeof t, "/services/%s", svc);
	j = lreq(f, "GET", t, NULL, 200);
	assert_string_equal(json_str(j, "status"), "CREATE_IN_PROGRESS");
	cJSON_Delete(j);
	sim_aws_advance(f->sim, 1000);
	j = lreq(f, "GET", t, NULL, 200);
	assert_string_equal(json_str(j, "status"), "ACTIVE");
	cJSON_Delete(j);
	snprintf(t, sizeof t, "/services/%s/listeners/%s", svc, lst);
	snprintf(path, sizeof path, "{\"defaultAction\":{\"forward\":"
	    "{\"targetGroups\":[{\"targetGroupIdentifier\":\"%s\"}]}}}", tg);
	lreq0(f, "PATCH", t, path, 200);
	snprintf(path, sizeof path, "/targetgroups/%s/registertargets", tg);
	lreq0(f, "POST", path, "{\"targets\":[{\"id\":\"10.1.0.1\"}]}", 200);
	snprintf(path, sizeof path, "/targetgroups/%s/listtargets", tg);
	j = lreq(f, "POST", path, NULL, 200);
	assert_string_equal(json_path_str(cJSON_GetArrayItem(
	    cJSON_GetObjectItem(j, "items"), 0), "status"), "INITIAL");
	cJSON_Delete(j);
	sim_aws_advance(f->sim, 3000);
	j = lreq(f, "POST", path, NULL, 200);
	assert_string_equal(json_path_str(cJSON_GetArrayItem(
	    cJSON_GetObjectItem(j, "items"), 0), "status"), "HEALTHY");
	cJSON_Delete(j);
	snprintf(t, sizeof t, "/targetgroups/%s/deregistertargets", tg);
	lreq0(f, "POST", t, "{\"targets\":[{\"id\":\"10.1.0.1\"}]}", 200);
	j = lreq(f, "POST", path, NULL, 200);
	assert_string_equal(json_path_str(cJSON_GetArrayItem(
	    cJSON_GetObjectItem(j, "items"), 0), "status"), "DRAINING");
	cJSON_Delete(j);
	sim_aws_advance(f->sim, 4000);
	j = lreq(f, "POST", path, NULL, 200);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(j, "items")),
	    0);
	cJSON_Delete(j);
	snprintf(t, sizeof t, "/services/%s", svc);
	lreq0(f, "DELETE", t, NULL, 200);
	j = lreq(f, "GET", t, NULL, 200);
	assert_string_equal(json_str(j, "status"), "DELETE_IN_PROGRESS");
	cJSON_Delete(j);
	sim_aws_advance(f->sim, 2000);
	lreq0(f, "GET", t, NULL, 404);
	fx_free(f);
}

/* Pagination: opaque nextToken, maxResults validated 1-100. */
static void
test_pagination(void **state)
{
	struct fx	*f = fx_new(0, 0, 0, 0);
	char		 name[32], body[64], t[1024], tok[512];
	cJSON		*j;
	int		 i, total = 0, pages = 0;

	(void)state;
	for (i = 0; i < 5; i++) {
		snprintf(name, sizeof name, "page-svc-%d", i);
		snprintf(body, sizeof body, "{\"name\":\"%s\"}", name);
		lreq0(f, "POST", "/services", body, 201);
	}
	tok[0] = '\0';
	do {
		if (tok[0] == '\0')
			snprintf(t, sizeof t, "/services?maxResults=2");
		else
			snprintf(t, sizeof t, "/services?maxResults=2&"
			    "nextToken=%s", tok);
		j = lreq(f, "GET", t, NULL, 200);
		total += cJSON_GetArraySize(cJSON_GetObjectItem(j, "items"));
		tok[0] = '\0';
		if (json_str(j, "nextToken") != NULL) {
			const char	*s = json_str(j, "nextToken");
			char		*o = tok;

			for (; *s != '\0'; s++)
				o += *s == '=' || *s == '+' || *s == '/' ?
				    sprintf(o, "%%%02X", *s) :
				    sprintf(o, "%c", *s);
		}
		cJSON_Delete(j);
		pages++;
	} while (tok[0] != '\0' && pages < 10);
	assert_int_equal(total, 5);
	assert_int_equal(pages, 3);
	lreq0(f, "GET", "/services?maxResults=0", NULL, 400);
	lreq0(f, "GET", "/services?maxResults=101", NULL, 400);
	lreq0(f, "GET", "/services?maxResults=x", NULL, 400);
	lreq0(f, "GET", "/services?nextToken=garbage", NULL, 400);
	fx_free(f);
}

/* Tags by ARN, auth policies (Active only with AWS_IAM). */
static void
test_tags_and_auth(void **state)
{
	struct fx	*f = fx_new(0, 0, 0, 0);
	char		 svc[64], arn[256], t[1024], enc[512], *o;
	const char	*s;
	cJSON		*j;

	(void)state;
	j = lreq(f, "POST", "/services", "{\"name\":\"tagged\",\"tags\":"
	    "{\"a\":\"1\",\"b\":\"2\"}}", 201);
	get_str(j, "id", svc, sizeof svc);
	get_str(j, "arn", arn, sizeof arn);
	cJSON_Delete(j);
	for (s = arn, o = enc; *s != '\0'; s++)
		o += *s == ':' || *s == '/' ? sprintf(o, "%%%02X", *s) :
		    sprintf(o, "%c", *s);
	snprintf(t, sizeof t, "/tags/%s", enc);
	lreq0(f, "POST", t, "{\"tags\":{\"c\":\"3\"}}", 200);
	snprintf(t, sizeof t, "/tags/%s?tagKeys=a&tagKeys=b", enc);
	lreq0(f, "DELETE", t, NULL, 200);
	snprintf(t, sizeof t, "/tags/%s", enc);
	j = lreq(f, "GET", t, NULL, 200);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(j, "tags")),
	    1);
	assert_string_equal(json_path_str(j, "tags.c"), "3");
	cJSON_Delete(j);
	lreq0(f, "GET", "/tags/arn%3Aaws%3Avpc-lattice%3Aus-west-2%3A"
	    "123456789012%3Aservice%2Fsvc-0000000000000000a", NULL, 404);
	snprintf(t, sizeof t, "/authpolicy/%s", svc);
	lreq0(f, "GET", t, NULL, 404);
	j = lreq(f, "PUT", t, "{\"policy\":\"{\\\"Version\\\":\\\"2012-10-17\\\","
	    "\\\"Statement\\\":[]}\"}", 200);
	assert_string_equal(json_str(j, "state"), "Inactive");
	cJSON_Delete(j);
	lreq0(f, "PUT", t, "{\"policy\":\"not a policy\"}", 400);
	snprintf(t, sizeof t, "/services/%s", svc);
	lreq0(f, "PATCH", t, "{\"authType\":\"AWS_IAM\"}", 200);
	snprintf(t, sizeof t, "/authpolicy/%s", svc);
	j = lreq(f, "GET", t, NULL, 200);
	assert_string_equal(json_str(j, "state"), "Active");
	assert_non_null(json_str(j, "createdAt"));
	cJSON_Delete(j);
	lreq0(f, "DELETE", t, NULL, 204);
	lreq0(f, "GET", t, NULL, 404);
	fx_free(f);
}

/* Access log subscriptions: create, one per destination kind, list by
 * resource (required), update, delete. */
static void
test_access_logs(void **state)
{
	struct fx	*f = fx_new(0, 0, 0, 0);
	char		 svc[64], als[64], t[512];
	cJSON		*j;

	(void)state;
	create_id(f, "/services", "{\"name\":\"logged\"}", 201, svc,
	    sizeof svc);
	snprintf(t, sizeof t, "{\"resourceIdentifier\":\"%s\","
	    "\"destinationArn\":\"arn:aws:logs:us-west-2:123456789012:"
	    "log-group:lattice\"}", svc);
	j = lreq(f, "POST", "/accesslogsubscriptions", t, 201);
	get_str(j, "id", als, sizeof als);
	assert_true(id_ok(als, "als"));
	assert_string_equal(json_str(j, "resourceId"), svc);
	cJSON_Delete(j);
	lreq0(f, "POST", "/accesslogsubscriptions", t, 409);
	snprintf(t, sizeof t, "{\"resourceIdentifier\":\"%s\","
	    "\"destinationArn\":\"arn:aws:s3:::lattice-logs-bucket\"}", svc);
	lreq0(f, "POST", "/accesslogsubscriptions", t, 201);
	lreq0(f, "GET", "/accesslogsubscriptions", NULL, 400);
	snprintf(t, sizeof t, "/accesslogsubscriptions?resourceIdentifier=%s",
	    svc);
	j = lreq(f, "GET", t, NULL, 200);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(j, "items")),
	    2);
	cJSON_Delete(j);
	snprintf(t, sizeof t, "/accesslogsubscriptions/%s", als);
	lreq0(f, "PATCH", t, "{\"destinationArn\":\"arn:aws:s3:::other-bucket"
	    "-name\"}", 409);
	j = lreq(f, "PATCH", t, "{\"destinationArn\":\"arn:aws:firehose:"
	    "us-west-2:123456789012:deliverystream/lattice\"}", 200);
	assert_non_null(strstr(json_str(j, "destinationArn"), "firehose"));
	cJSON_Delete(j);
	lreq0(f, "GET", t, NULL, 200);
	lreq0(f, "DELETE", t, NULL, 204);
	lreq0(f, "GET", t, NULL, 404);
	fx_free(f);
}

/* clientToken: the same request returns the same resource; different
 * parameters with the same token are a conflict. */
static void
test_client_token(void **state)
{
	struct fx	*f = fx_new(0, 0, 0, 0);
	char		 a[64], b[64];

	(void)state;
	create_id(f, "/servicenetworks", "{\"name\":\"idem\",\"clientToken\":"
	    "\"tok-1\"}", 201, a, sizeof a);
	create_id(f, "/servicenetworks", "{\"name\":\"idem\",\"clientToken\":"
	    "\"tok-1\"}", 201, b, sizeof b);
	assert_string_equal(a, b);
	lreq0(f, "POST", "/servicenetworks", "{\"name\":\"idem-other\","
	    "\"clientToken\":\"tok-1\"}", 409);
	fx_free(f);
}

/* Deleting a service removes its listeners and rules; the target group
 * is then free to delete. */
static void
test_delete_cascade(void **state)
{
	struct fx	*f = fx_new(0, 0, 0, 0);
	char		 svc[64], lst[64], tg[64], t[512], b[1024];

	(void)state;
	svc_with_listener(f, "cascade", svc, lst);
	create_id(f, "/targetgroups", TG_BODY("cascade-tg"), 201, tg,
	    sizeof tg);
	snprintf(t, sizeof t, "/services/%s/listeners/%s/rules", svc, lst);
	rule_body(b, sizeof b, "r-one", 1, tg);
	lreq0(f, "POST", t, b, 201);
	snprintf(t, sizeof t, "/targetgroups/%s", tg);
	lreq0(f, "DELETE", t, NULL, 409);
	snprintf(t, sizeof t, "/services/%s", svc);
	lreq0(f, "DELETE", t, NULL, 200);
	snprintf(t, sizeof t, "/services/%s/listeners/%s", svc, lst);
	lreq0(f, "GET", t, NULL, 404);
	snprintf(t, sizeof t, "/targetgroups/%s", tg);
	lreq0(f, "DELETE", t, NULL, 200);
	fx_free(f);
}

/* Run the tests. */
int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_service_crud),
		cmocka_unit_test(test_validation),
		cmocka_unit_test(test_conflicts),
		cmocka_unit_test(test_association_lists),
		cmocka_unit_test(test_listeners),
		cmocka_unit_test(test_rules),
		cmocka_unit_test(test_target_groups),
		cmocka_unit_test(test_transitions),
		cmocka_unit_test(test_pagination),
		cmocka_unit_test(test_tags_and_auth),
		cmocka_unit_test(test_access_logs),
		cmocka_unit_test(test_client_token),
		cmocka_unit_test(test_delete_cascade),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
