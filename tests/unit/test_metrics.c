/* Metrics (metrics.h): the registry, the exposition text (an exact golden
 * rendering, then parsed back line by line: HELP/TYPE, label escaping,
 * histogram _bucket/_sum/_count and le="+Inf"), the validating parser's
 * refusals, the AWS and Kubernetes trace hooks on real clients, and the
 * /metrics, /healthz and /readyz endpoints over HTTP. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/aws.h"
#include "latticectl/http.h"
#include "latticectl/lattice.h"
#include "latticectl/metrics.h"
#include "latticectl/strbuf.h"
#include "latticectl/xmalloc.h"
#include "ksim_fixture.h"
#include "testlib.h"

/* Render a registry (caller frees). */
static char *
render(struct metrics *m)
{
	struct strbuf	sb = STRBUF_INIT;

	strbuf_init(&sb);
	metrics_render(m, &sb);
	return strbuf_detach(&sb, NULL);
}

/* A registry with one of each kind, escaping included. */
static struct metrics *
sample_registry(void)
{
	static const char *const l2[] = { "path", "code", NULL };
	static const char *const l1[] = { "svc", NULL };
	static const double b[] = { 0.1, 1, 2.5 };
	struct metrics	*m = metrics_new();
	struct metric	*c, *g, *h;
	const char	*v1[] = { "a\\b\"c\nd", "200" };
	const char	*v2[] = { "/x", "500" };
	const char	*s1[] = { "lattice" };

	c = metrics_counter(m, "req_total", "Requests, by path\\code.\nTwo "
	    "lines.", l2);
	g = metrics_gauge(m, "up", "Whether up.", NULL);
	h = metrics_histogram(m, "lat_seconds", "Latency.", l1, b, 3);
	metric_inc(c, v1);
	metric_add(c, v1, 2);
	metric_inc(c, v2);
	metric_add(c, v2, -5);		/* ignored: counters only grow */
	metric_set(g, NULL, 1);
	metric_observe(h, s1, 0.0625);
	metric_observe(h, s1, 0.5);
	metric_observe(h, s1, 0.75);
	metric_observe(h, s1, 7);
	return m;
}

/* The exact text: families by name, series by label values, escapes,
 * cumulative buckets and +Inf, integers without fractions. */
static void
test_render_golden(void **state)
{
	struct metrics	*m = sample_registry();
	char		*txt = render(m);

	(void)state;
	assert_string_equal(txt,
	    "# HELP lat_seconds Latency.\n"
	    "# TYPE lat_seconds histogram\n"
	    "lat_seconds_bucket{svc=\"lattice\",le=\"0.1\"} 1\n"
	    "lat_seconds_bucket{svc=\"lattice\",le=\"1\"} 3\n"
	    "lat_seconds_bucket{svc=\"lattice\",le=\"2.5\"} 3\n"
	    "lat_seconds_bucket{svc=\"lattice\",le=\"+Inf\"} 4\n"
	    "lat_seconds_sum{svc=\"lattice\"} 8.3125\n"
	    "lat_seconds_count{svc=\"lattice\"} 4\n"
	    "# HELP req_total Requests, by path\\\\code.\\nTwo lines.\n"
	    "# TYPE req_total counter\n"
	    "req_total{path=\"/x\",code=\"500\"} 1\n"
	    "req_total{path=\"a\\\\b\\\"c\\nd\",code=\"200\"} 3\n"
	    "# HELP up Whether up.\n"
	    "# TYPE up gauge\n"
	    "up 1\n");
	free(txt);
	metrics_free(m);
}

/* The first sample named name, or NULL. */
static const struct metrics_sample *
find(const struct metrics_sample *s, size_t n, const char *name,
    const char *label, const char *value)
{
	const char	*v;
	size_t		 i;

	for (i = 0; i < n; i++) {
		if (strcmp(s[i].name, name) != 0)
			continue;
		v = label != NULL ? metrics_sample_label(&s[i], label) : NULL;
		if (label == NULL || (v != NULL && strcmp(v, value) == 0))
			return &s[i];
	}
	return NULL;
}

/* Parsing the rendering back gives the same families, help texts, types,
 * unescaped label values and histogram invariants. */
static void
test_parse_roundtrip(void **state)
{
	struct metrics			*m = sample_registry();
	struct metrics_sample		*s;
	const struct metrics_sample	*x;
	char				*txt = render(m), *cause = NULL;
	size_t				 n;

	(void)state;
	if (metrics_parse(txt, strlen(txt), &s, &n, &cause) != 0)
		fail_msg("%s", cause);
	assert_int_equal(n, 9);
	x = find(s, n, "req_total", "path", "a\\b\"c\nd");
	assert_non_null(x);
	assert_string_equal(x->type, "counter");
	assert_string_equal(x->family, "req_total");
	assert_string_equal(x->help, "Requests, by path\\code.\nTwo lines.");
	assert_string_equal(metrics_sample_label(x, "code"), "200");
	assert_true(x->value == 3);
	x = find(s, n, "lat_seconds_bucket", "le", "+Inf");
	assert_non_null(x);
	assert_string_equal(x->family, "lat_seconds");
	assert_string_equal(x->type, "histogram");
	assert_true(x->value == 4);
	x = find(s, n, "lat_seconds_count", NULL, NULL);
	assert_true(x->value == 4);
	x = find(s, n, "lat_seconds_sum", NULL, NULL);
	assert_true(x->value == 8.3125);
	x = find(s, n, "up", NULL, NULL);
	assert_string_equal(x->type, "gauge");
	assert_int_equal(x->nlabels, 0);
	metrics_samples_free(s, n);
	free(txt);
	metrics_free(m);
}

/* What the parser accepts beyond our own output. */
static void
test_parse_accepts(void **state)
{
	static const char *txt =
	    "# a comment\n"
	    "\n"
	    "# HELP s A summary.\n"
	    "# TYPE s summary\n"
	    "s{quantile=\"0.5\"} 1.5e+00\n"
	    "s_sum 10\n"
	    "s_count 3 1700000000000\n"
	    "plain_metric   -Inf\n"
	    "x{a=\"1\",} NaN\n"
	    "  y{ a = \"2\" , b=\"\" } +Inf -5\n";
	struct metrics_sample	*s;
	char			*cause = NULL;
	size_t			 n;

	(void)state;
	if (metrics_parse(txt, strlen(txt), &s, &n, &cause) != 0)
		fail_msg("%s", cause);
	assert_int_equal(n, 6);
	assert_string_equal(s[1].family, "s");
	assert_string_equal(s[1].type, "summary");
	assert_true(s[2].has_timestamp);
	assert_true(s[2].timestamp_ms == 1700000000000LL);
	assert_string_equal(s[3].type, "untyped");
	assert_true(isinf(s[3].value) && s[3].value < 0);
	assert_true(isnan(s[4].value));
	assert_string_equal(metrics_sample_label(&s[5], "b"), "");
	assert_true(s[5].timestamp_ms == -5);
	metrics_samples_free(s, n);
}

/* Invalid expositions are refused with the line and the reason. */
static void
test_parse_refuses(void **state)
{
	static const struct {
		const char	*txt;
		const char	*why;
	} bad[] = {
		{ "# TYPE a counter\n# TYPE a counter\na 1\n", "line 2: second TYPE" },
		{ "a 1\n# TYPE a counter\n", "line 2: TYPE for a after" },
		{ "# HELP a x\n# HELP a y\n", "second HELP" },
		{ "# TYPE a bogus\n", "unknown type" },
		{ "a 1\nb 1\na{x=\"1\"} 2\n", "line 3: lines of a are not" },
		{ "a{x=\"\\q\"} 1\n", "invalid escape" },
		{ "# HELP a bad \\t\n", "invalid escape in HELP" },
		{ "a{x=\"1} 1\n", "unterminated" },
		{ "a{x=\"1\" y=\"2\"} 1\n", "expected ',' or '}'" },
		{ "a{x=\"1\",x=\"2\"} 1\n", "duplicate label x" },
		{ "a{1x=\"1\"} 1\n", "bad label name" },
		{ "a one\n", "bad value" },
		{ "a 1 2 3\n", "junk after" },
		{ "a 1 x\n", "bad timestamp" },
		{ "a 1\na 2\n", "line 2: duplicate series of a" },
		{ "a{x=\"1\",y=\"2\"} 1\na{y=\"2\",x=\"1\"} 2\n", "duplicate" },
		{ "1a 1\n", "expected a metric name" },
		{ "# TYPE h histogram\nh 1\n", "without a suffix" },
		{ "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_sum 1\n"
		  "h_count 1\n", "no le=\"+Inf\"" },
		{ "# TYPE h histogram\nh_bucket{le=\"1\"} 2\n"
		  "h_bucket{le=\"0.5\"} 2\n", "not in increasing order" },
		{ "# TYPE h histogram\nh_bucket{le=\"1\"} 2\n"
		  "h_bucket{le=\"+Inf\"} 1\n", "decrease" },
		{ "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 2\nh_sum 1\n"
		  "h_count 3\n", "differs from _count" },
		{ "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 2\nh_count 2\n",
		  "no _sum" },
		{ "# TYPE h histogram\nh_bucket 2\n", "without a valid le" },
		{ "# TYPE h histogram\nh_sum 2\nh_count 2\n", "no buckets" },
	};
	struct metrics_sample	*s;
	char			*cause;
	size_t			 i, n;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		cause = NULL;
		if (metrics_parse(bad[i].txt, strlen(bad[i].txt), &s, &n,
		    &cause) == 0)
			fail_msg("accepted: %s", bad[i].txt);
		if (strstr(cause, bad[i].why) == NULL)
			fail_msg("%s: got \"%s\", want \"%s\"", bad[i].txt,
			    cause, bad[i].why);
		assert_null(s);
		free(cause);
	}
}

/* Registration: same family back, refusals for clashes and bad names. */
static void
test_register(void **state)
{
	static const char *const la[] = { "a", NULL };
	static const char *const lb[] = { "b", NULL };
	static const char *const lle[] = { "le", NULL };
	static const char *const ldup[] = { "a", "a", NULL };
	static const char *const lres[] = { "__x", NULL };
	static const double bad[] = { 1, 1 };
	struct metrics	*m = metrics_new();
	struct metric	*c;

	(void)state;
	c = metrics_counter(m, "c_total", "C.", la);
	assert_non_null(c);
	assert_ptr_equal(metrics_counter(m, "c_total", "other help", la), c);
	assert_null(metrics_gauge(m, "c_total", "C.", la));
	assert_null(metrics_counter(m, "c_total", "C.", lb));
	assert_null(metrics_counter(m, "c_total", "C.", NULL));
	assert_null(metrics_counter(m, "9lives", "x", NULL));
	assert_null(metrics_counter(m, "bad-name", "x", NULL));
	assert_non_null(metrics_counter(m, "ns:sub_total", "x", NULL));
	assert_null(metrics_counter(m, "d", "x", ldup));
	assert_null(metrics_counter(m, "e", "x", lres));
	assert_null(metrics_histogram(m, "h", "x", lle, NULL, 0));
	assert_null(metrics_histogram(m, "h", "x", NULL, bad, 2));
	assert_int_equal(metric_type(c), METRIC_COUNTER);
	metrics_free(m);
}

/* Series values: counters only grow, gauges move, histograms count and
 * sum, removal, NULL metrics are no-ops. */
static void
test_values(void **state)
{
	static const char *const la[] = { "a", NULL };
	static const double b[] = { 1 };
	struct metrics	*m = metrics_new();
	struct metric	*c, *g, *h;
	const char	*x[] = { "x" }, *y[] = { "y" };

	(void)state;
	c = metrics_counter(m, "c_total", "C.", la);
	g = metrics_gauge(m, "g", "G.", la);
	h = metrics_histogram(m, "h", "H.", la, b, 1);
	metric_inc(c, x);
	metric_add(c, x, 2.5);
	metric_add(c, x, -1);
	assert_true(metric_get(c, x) == 3.5);
	assert_true(metric_get(c, y) == 0);
	metric_set(g, y, 4);
	metric_add(g, y, -6);
	assert_true(metric_get(g, y) == -2);
	metric_observe(h, x, 0.5);
	metric_observe(h, x, 3);
	assert_true(metric_get(h, x) == 2);
	assert_true(metric_sum(h, x) == 3.5);
	metric_observe(c, x, 1);		/* wrong type: ignored */
	metric_set(h, x, 1);
	assert_true(metric_get(h, x) == 2);
	metric_remove(c, x);
	assert_true(metric_get(c, x) == 0);
	metric_inc(NULL, x);
	metric_observe(NULL, x, 1);
	assert_true(metric_get(NULL, x) == 0);
	metrics_free(m);
}

/* Number formatting. */
static void
test_format_value(void **state)
{
	static const struct {
		double		 v;
		const char	*s;
	} cases[] = {
		{ 0, "0" }, { -0.0, "0" }, { 1, "1" }, { -42, "-42" },
		{ 0.25, "0.25" }, { 0.1, "0.1" }, { 1e20, "1e+20" },
		{ 1.0 / 3, "0.33333333333333331" }, { 123456789012, "123456789012" },
	};
	char	buf[64];
	size_t	i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		metrics_format_value(cases[i].v, buf, sizeof buf);
		assert_string_equal(buf, cases[i].s);
	}
	metrics_format_value(INFINITY, buf, sizeof buf);
	assert_string_equal(buf, "+Inf");
	metrics_format_value(-INFINITY, buf, sizeof buf);
	assert_string_equal(buf, "-Inf");
	metrics_format_value(NAN, buf, sizeof buf);
	assert_string_equal(buf, "NaN");
}

/* A series of the registry by name and label values. */
static double
value_of(struct metrics *m, const char *name, const char *const *labels,
    const char *const *vals)
{
	struct metric	*f = metrics_counter(m, name, "", labels);

	return metric_get(f, vals);
}

/* The AWS hook on a real client: service and operation from the op,
 * outcomes from statuses, retries counted. */
static void
test_trace_aws(void **state)
{
	static const char *const l4[] = { "service", "operation", "code",
	    "outcome", NULL };
	static const char *const l2[] = { "service", "operation", NULL };
	const char	*ok[] = { "vpc-lattice", "GetServiceNetwork", "200",
	    "success" };
	const char	*thr[] = { "vpc-lattice", "GetServiceNetwork", "429",
	    "throttled" };
	const char	*nf[] = { "vpc-lattice", "GetServiceNetwork", "404",
	    "client_error" };
	const char	*op[] = { "vpc-lattice", "GetServiceNetwork" };
	struct metrics			*m = metrics_new();
	struct canned			 c;
	struct aws			*aws;
	struct aws_error		 err;
	struct lattice_service_network	 sn;

	(void)state;
	memset(&c, 0, sizeof c);
	memset(&err, 0, sizeof err);
	aws = canned_aws(&c);
	aws_set_trace(aws, metrics_trace_aws, m);
	canned_push(&c, 429, "{\"message\":\"slow down\"}", "x-amzn-ErrorType",
	    "ThrottlingException");
	canned_push(&c, 200, "{\"id\":\"sn-0123456789abcdef0\",\"name\":\"n\"}",
	    NULL, NULL);
	canned_push(&c, 404, "{\"message\":\"no\"}", "x-amzn-ErrorType",
	    "ResourceNotFoundException");
	memset(&sn, 0, sizeof sn);
	assert_int_equal(lattice_get_service_network(aws, "n", &sn, &err), 0);
	lattice_service_network_free(&sn);
	memset(&sn, 0, sizeof sn);
	assert_int_equal(lattice_get_service_network(aws, "n", &sn, &err), -1);
	lattice_service_network_free(&sn);
	aws_error_clear(&err);
	assert_true(value_of(m, "latticectl_aws_api_requests_total", l4, ok)
	    == 1);
	assert_true(value_of(m, "latticectl_aws_api_requests_total", l4, thr)
	    == 1);
	assert_true(value_of(m, "latticectl_aws_api_requests_total", l4, nf)
	    == 1);
	assert_true(value_of(m, "latticectl_aws_api_retries_total", l2, op)
	    == 1);
	assert_true(metric_get(metrics_histogram(m,
	    "latticectl_aws_api_request_duration_seconds", "", l2, NULL, 0),
	    op) == 3);
	aws_free(aws);
	canned_free(&c);
	metrics_free(m);
}

/* The Kubernetes hook on a real client against the simulator: verbs
 * and resources from methods and paths. */
static void
test_trace_kube(void **state)
{
	static const char *const l4[] = { "verb", "resource", "code",
	    "outcome", NULL };
	const char		*get[] = { "get", "namespaces", "200", "success" };
	const char		*list[] = { "list", "services", "200",
	    "success" };
	const char		*miss[] = { "get", "configmaps", "404",
	    "client_error" };
	const char		*create[] = { "create", "configmaps", "201",
	    "success" };
	struct metrics		*m = metrics_new();
	struct ksim		 x;
	struct kube_client	*kc;
	struct kube_error	 e;
	cJSON			*o = NULL, *items = NULL;

	(void)state;
	assert_int_equal(ksim_start(&x, NULL), 0);
	kc = ksim_client(&x);
	kube_client_set_trace(kc, metrics_trace_kube, m);
	memset(&e, 0, sizeof e);
	assert_int_equal(kube_get(kc, &KUBE_RES_NAMESPACES, NULL, "default",
	    &o, &e), 0);
	cJSON_Delete(o);
	assert_int_equal(kube_list_all(kc, &KUBE_RES_SERVICES, "default", NULL,
	    &items, NULL, &e), 0);
	cJSON_Delete(items);
	assert_int_equal(kube_get(kc, &KUBE_RES_CONFIGMAPS, "default", "nope",
	    &o, &e), -1);
	o = cJSON_Parse("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\","
	    "\"metadata\":{\"name\":\"c\"}}");
	assert_int_equal(kube_create(kc, &KUBE_RES_CONFIGMAPS, "default", o,
	    NULL, &e), 0);
	cJSON_Delete(o);
	kube_error_clear(&e);
	assert_true(value_of(m, "latticectl_kube_api_requests_total", l4, get)
	    == 1);
	assert_true(value_of(m, "latticectl_kube_api_requests_total", l4, list)
	    == 1);
	assert_true(value_of(m, "latticectl_kube_api_requests_total", l4, miss)
	    == 1);
	assert_true(value_of(m, "latticectl_kube_api_requests_total", l4,
	    create) == 1);
	kube_client_free(kc);
	ksim_stop(&x);
	metrics_free(m);
}

/* Path and verb classification on synthetic traces. */
static void
test_trace_kube_paths(void **state)
{
	static const char *const l4[] = { "verb", "resource", "code",
	    "outcome", NULL };
	static const struct {
		const char	*op, *method, *url;
		const char	*verb, *res;
	} cases[] = {
		{ "PUT", "PUT", "https://h:6443/apis/gateway.networking.k8s.io/"
		  "v1/namespaces/d/httproutes/r/status", "update",
		  "httproutes/status" },
		{ "WATCH", "GET", "https://h/apis/gateway.networking.k8s.io/v1/"
		  "httproutes", "watch", "httproutes" },
		{ "GET", "GET", "https://h/api/v1/namespaces", "list",
		  "namespaces" },
		{ "GET", "GET", "https://h/api/v1/namespaces/x/status", "get",
		  "namespaces/status" },
		{ "DELETE", "DELETE", "https://h/api/v1/namespaces/d/pods",
		  "deletecollection", "pods" },
		{ "PATCH", "PATCH", "http://h/apis/coordination.k8s.io/v1/"
		  "namespaces/ns/leases/l", "patch", "leases" },
		{ "GET", "GET", "https://h/version", "get", "discovery" },
		{ "GET", "GET", "https://h/apis/x.io/v1", "get", "api" },
	};
	static const char *const ln[] = { "name", NULL };
	const char		*lv[] = { "amazon-vpc-lattice.io" };
	struct metrics		*m = metrics_new();
	struct http_trace	 t;
	const char		*v[4];
	size_t			 i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		memset(&t, 0, sizeof t);
		t.op = cases[i].op;
		t.method = cases[i].method;
		t.url = cases[i].url;
		t.status = 200;
		metrics_trace_kube(m, &t);
		v[0] = cases[i].verb;
		v[1] = cases[i].res;
		v[2] = "200";
		v[3] = "success";
		if (value_of(m, "latticectl_kube_api_requests_total", l4, v)
		    != 1)
			fail_msg("%s %s: not %s %s", cases[i].method,
			    cases[i].url, cases[i].verb, cases[i].res);
	}
	assert_string_equal(metrics_outcome(0, 1), "transport_error");
	assert_string_equal(metrics_outcome(503, 0), "server_error");
	assert_string_equal(metrics_outcome(304, 0), "success");
	metrics_set_leader(m, "amazon-vpc-lattice.io", 1);
	assert_true(metric_get(metrics_gauge(m, "leader_election_master_status",
	    "", ln), lv) == 1);
	metrics_set_leader(m, "amazon-vpc-lattice.io", 0);
	assert_true(metric_get(metrics_gauge(m, "leader_election_master_status",
	    "", ln), lv) == 0);
	metrics_free(m);
}

struct probe {
	int	ready;
};

/* readyz: ready once the flag is set. */
static int
probe_ready(void *arg, char **why)
{
	struct probe	*p = arg;

	if (p->ready)
		return 0;
	*why = xstrdup("informers not synced");
	return -1;
}

/* GET url: status, body and content type (caller frees). */
static long
http_get(struct http_client *hc, const char *method, const char *url,
    char **body, char **ctype)
{
	struct http_request	req;
	struct http_response	resp;
	char			*cause = NULL;
	long			 st;

	memset(&req, 0, sizeof req);
	req.method = method;
	req.url = url;
	http_response_init(&resp);
	if (http_do(hc, &req, &resp, &cause) != 0)
		fail_msg("%s", cause);
	st = resp.status;
	*body = xstrdup(strbuf_str(&resp.body));
	*ctype = xstrdup_or_null(http_headers_get(&resp.headers,
	    "Content-Type"));
	http_response_free(&resp);
	return st;
}

/* GET and check status (and a body substring). */
static void
expect(struct http_client *hc, const char *method, int port,
    const char *path, long status, const char *has)
{
	char	url[128], *body, *ct;

	snprintf(url, sizeof url, "http://127.0.0.1:%d%s", port, path);
	assert_int_equal(http_get(hc, method, url, &body, &ct), status);
	if (has != NULL && strstr(body, has) == NULL)
		fail_msg("%s: \"%s\" lacks \"%s\"", path, body, has);
	free(body);
	free(ct);
}

/* One shared server: /metrics parses, /healthz ok, /readyz follows the
 * callback, other paths and methods are refused. */
static void
test_server_shared(void **state)
{
	struct metrics_server_opts	 o;
	struct metrics_server		*srv;
	struct metrics			*m = sample_registry();
	struct metrics_sample		*s;
	struct http_client		*hc;
	struct http_client_opts		 ho;
	struct probe			 p = { 0 };
	char				*cause = NULL, *body, *ct, url[128];
	size_t				 n;
	int				 port;

	(void)state;
	memset(&o, 0, sizeof o);
	o.metrics_addr = o.health_addr = "127.0.0.1:0";
	o.metrics = m;
	o.readyz = probe_ready;
	o.check_arg = &p;
	if ((srv = metrics_server_start(&o, &cause)) == NULL)
		fail_msg("%s", cause);
	port = metrics_server_port(srv, 0);
	assert_int_equal(metrics_server_port(srv, 1), port);
	memset(&ho, 0, sizeof ho);
	hc = http_client_new(&ho, &cause);
	snprintf(url, sizeof url, "http://127.0.0.1:%d/metrics", port);
	assert_int_equal(http_get(hc, "GET", url, &body, &ct), 200);
	assert_string_equal(ct, METRICS_CONTENT_TYPE);
	if (metrics_parse(body, strlen(body), &s, &n, &cause) != 0)
		fail_msg("%s", cause);
	assert_int_equal(n, 9);
	metrics_samples_free(s, n);
	free(body);
	free(ct);
	expect(hc, "GET", port, "/healthz", 200, "ok");
	expect(hc, "GET", port, "/readyz", 503, "informers not synced");
	p.ready = 1;
	expect(hc, "GET", port, "/readyz", 200, "ok");
	expect(hc, "GET", port, "/nope", 404, NULL);
	expect(hc, "POST", port, "/metrics", 405, NULL);
	http_client_free(hc);
	metrics_server_stop(srv);
	metrics_free(m);
}

/* Two servers: each serves only its own paths; a taken port fails. */
static void
test_server_split(void **state)
{
	struct metrics_server_opts	 o;
	struct metrics_server		*srv, *srv2;
	struct metrics			*m = metrics_new();
	struct http_client		*hc;
	struct http_client_opts		 ho;
	char				*cause = NULL, addr[64];
	int				 mp, hp;

	(void)state;
	memset(&o, 0, sizeof o);
	o.metrics_addr = "127.0.0.1:0";
	o.health_addr = ":0";
	o.metrics = m;
	if ((srv = metrics_server_start(&o, &cause)) == NULL)
		fail_msg("%s", cause);
	mp = metrics_server_port(srv, 0);
	hp = metrics_server_port(srv, 1);
	assert_true(mp != hp);
	memset(&ho, 0, sizeof ho);
	hc = http_client_new(&ho, &cause);
	expect(hc, "GET", mp, "/metrics", 200, NULL);
	expect(hc, "GET", mp, "/healthz", 404, NULL);
	expect(hc, "GET", hp, "/healthz", 200, "ok");
	expect(hc, "GET", hp, "/readyz", 200, "ok");
	expect(hc, "GET", hp, "/metrics", 404, NULL);
	http_client_free(hc);
	snprintf(addr, sizeof addr, "127.0.0.1:%d", mp);
	o.metrics_addr = addr;
	o.health_addr = NULL;
	assert_null(srv2 = metrics_server_start(&o, &cause));
	assert_non_null(strstr(cause, "metrics server"));
	free(cause);
	metrics_server_stop(srv);
	metrics_free(m);
}

/* Run the metrics tests. */
int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_render_golden),
		cmocka_unit_test(test_parse_roundtrip),
		cmocka_unit_test(test_parse_accepts),
		cmocka_unit_test(test_parse_refuses),
		cmocka_unit_test(test_register),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_format_value),
		cmocka_unit_test(test_trace_aws),
		cmocka_unit_test(test_trace_kube),
		cmocka_unit_test(test_trace_kube_paths),
		cmocka_unit_test(test_server_shared),
		cmocka_unit_test(test_server_split),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
