/* Benchmark of the simulated AWS endpoint with 1,000 routes' worth of VPC
 * Lattice objects (1 service network; per route a service, listener, rule,
 * target group with 2 targets and an SN-service association), then memory
 * and per-request latency. A report, not a pass/fail test.
 *
 * The typed client (lattice.h) paces every call through its per-family
 * token bucket (vpc-lattice: 20 requests/s, burst 20) and aws.h has no
 * public knob to raise it, so the >= 2,000-sample latencies are taken with
 * SigV4-signed requests sent two ways: straight into sim_aws_handle (the
 * handler alone) and over real HTTP with the project's http_client. The
 * typed client gets one bucket burst (20 calls) per operation. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "latticectl/aws.h"
#include "latticectl/http.h"
#include "latticectl/httpd.h"
#include "latticectl/json.h"
#include "latticectl/lattice.h"
#include "latticectl/sigv4.h"
#include "latticectl/strbuf.h"
#include "latticectl/timeutil.h"
#include "latticectl/xmalloc.h"
#include "../src/sim/sim_aws.h"

#define ROUTES		1000
#define SAMPLES		2000	/* per operation and path */
#define TYPED_SAMPLES	20	/* one full token-bucket burst */
#define ID_LEN		64

enum bench_op {
	OP_GET_SERVICE,
	OP_LIST_SERVICES,
	OP_LIST_TARGETS,
	OP_GET_RULE,
	OP_N
};

static const struct {
	const char	*name;
	const char	*method;
	const char	*query;
} bench_ops[OP_N] = {
	{ "GetService", "GET", NULL },
	{ "ListServices (maxResults 100)", "GET", "maxResults=100" },
	{ "ListTargets (2 targets)", "POST", NULL },
	{ "GetRule", "GET", NULL },
};

struct bench {
	struct sim_aws		*sim;
	struct http_client	*http;
	char			 host[64];
	char			 sn[ID_LEN];
	char			(*svc)[ID_LEN];
	char			(*lst)[ID_LEN];
	char			(*rule)[ID_LEN];
	char			(*tg)[ID_LEN];
	uint64_t		 trace_us;	/* last typed exchange */
};

/* Resident set size in KiB from /proc/self/status (VmRSS). */
static long
rss_kib(void)
{
	FILE	*f = fopen("/proc/self/status", "r");
	char	 line[256];
	long	 kib = 0;

	if (f == NULL)
		return 0;
	while (fgets(line, sizeof line, f) != NULL) {
		if (sscanf(line, "VmRSS: %ld", &kib) == 1)
			break;
	}
	fclose(f);
	return kib;
}

/* Sign a Lattice request for the simulator into *h (caller frees). */
static void
bench_sign(struct bench *b, const char *method, const char *path,
    const char *query, const char *body, struct http_headers *h)
{
	struct sigv4_params	 p;
	struct sigv4_request	 r;
	char			*cause = NULL;

	memset(h, 0, sizeof *h);
	http_headers_add(h, "Host", b->host);
	if (body != NULL)
		http_headers_add(h, "Content-Type", "application/json");
	memset(&p, 0, sizeof p);
	p.access_key = SIM_ACCESS_KEY;
	p.secret_key = SIM_SECRET_KEY;
	p.region = SIM_REGION;
	p.service = LATTICE_SERVICE;
	p.now = time(NULL);
	memset(&r, 0, sizeof r);
	r.method = method;
	r.path = path;
	r.query = query;
	r.headers = h;
	r.payload = body;
	r.payload_len = body != NULL ? strlen(body) : 0;
	if (sigv4_sign(&p, &r, &cause) != 0) {
		fprintf(stderr, "sign: %s\n", cause);
		exit(1);
	}
}

/* Serve one signed request in process: status; body to *out (if set),
 * handler time to *ms (if set). */
static int
call_local(struct bench *b, const char *method, const char *path,
    const char *query, const char *body, char **out, double *ms)
{
	struct http_headers	 h;
	struct httpd_request	 req;
	struct httpd_response	 resp;
	uint64_t		 t0;

	bench_sign(b, method, path, query, body, &h);
	memset(&req, 0, sizeof req);
	memset(&resp, 0, sizeof resp);
	req.method = method;
	req.path = path;
	req.raw_path = path;
	req.query = query != NULL ? query : "";
	req.headers = h;
	req.body = body;
	req.body_len = body != NULL ? strlen(body) : 0;
	req.remote = "127.0.0.1:1";
	t0 = time_mono_us();
	sim_aws_handle(b->sim, &req, &resp);
	if (ms != NULL)
		*ms = (double)(time_mono_us() - t0) / 1000.0;
	if (out != NULL)
		*out = xstrdup(strbuf_str(&resp.body));
	strbuf_free(&resp.body);
	http_headers_free(&resp.headers);
	http_headers_free(&h);
	return resp.status;
}

/* Send one signed request over HTTP: status (0 on a transport error),
 * body size to *bytes, exchange time to *ms. */
static int
call_http(struct bench *b, const char *method, const char *path,
    const char *query, const char *body, size_t *bytes, double *ms)
{
	struct http_request	 req;
	struct http_response	 resp;
	char			*url, *cause = NULL;
	uint64_t		 t0;
	int			 status;

	xasprintf(&url, "http://%s%s%s%s", b->host, path, query != NULL ?
	    "?" : "", query != NULL ? query : "");
	memset(&req, 0, sizeof req);
	bench_sign(b, method, path, query, body, &req.headers);
	req.method = method;
	req.url = url;
	req.body = body;
	req.body_len = body != NULL ? strlen(body) : 0;
	http_response_init(&resp);
	t0 = time_mono_us();
	status = http_do(b->http, &req, &resp, &cause) == 0 ?
	    (int)resp.status : 0;
	*ms = (double)(time_mono_us() - t0) / 1000.0;
	*bytes = resp.body.len;
	if (status == 0)
		fprintf(stderr, "http: %s\n", cause);
	free(cause);
	http_response_free(&resp);
	http_request_free(&req);
	free(url);
	return status;
}

/* POST a create body in process and copy the new id; exits on failure. */
static void
create(struct bench *b, const char *path, const char *body, char *id)
{
	char		*out = NULL;
	cJSON		*j;
	const char	*s;
	int		 status;

	status = call_local(b, "POST", path, NULL, body, &out, NULL);
	j = cJSON_Parse(out);
	s = json_path_str(j, "id");
	if (status < 200 || status > 299 || (id != NULL && s == NULL)) {
		fprintf(stderr, "POST %s: %d %s\n", path, status, out);
		exit(1);
	}
	if (id != NULL)
		snprintf(id, ID_LEN, "%s", s);
	cJSON_Delete(j);
	free(out);
}

/* Create route i: target group + 2 targets, service, association,
 * listener and one forwarding rule. */
static void
load_route(struct bench *b, int i)
{
	char	 path[256], body[1024];

	snprintf(body, sizeof body, "{\"name\":\"app-%d-8090\",\"type\":\"IP\","
	    "\"config\":{\"port\":8090,\"protocol\":\"HTTP\",\"vpcIdentifier\":"
	    "\"vpc-0123456789abcdef0\"}}", i);
	create(b, "/targetgroups", body, b->tg[i]);
	snprintf(path, sizeof path, "/targetgroups/%s/registertargets",
	    b->tg[i]);
	snprintf(body, sizeof body, "{\"targets\":[{\"id\":\"10.%d.%d.1\"},"
	    "{\"id\":\"10.%d.%d.2\"}]}", i / 256, i % 256, i / 256, i % 256);
	create(b, path, body, NULL);
	snprintf(body, sizeof body, "{\"name\":\"route-%d-default\"}", i);
	create(b, "/services", body, b->svc[i]);
	snprintf(body, sizeof body, "{\"serviceIdentifier\":\"%s\","
	    "\"serviceNetworkIdentifier\":\"%s\"}", b->svc[i], b->sn);
	create(b, "/servicenetworkserviceassociations", body, NULL);
	snprintf(path, sizeof path, "/services/%s/listeners", b->svc[i]);
	create(b, path, "{\"name\":\"http-80\",\"protocol\":\"HTTP\",\"port\":"
	    "80,\"defaultAction\":{\"fixedResponse\":{\"statusCode\":404}}}",
	    b->lst[i]);
	snprintf(path, sizeof path, "/services/%s/listeners/%s/rules",
	    b->svc[i], b->lst[i]);
	snprintf(body, sizeof body, "{\"name\":\"app-%d-path\",\"priority\":1,"
	    "\"match\":{\"httpMatch\":{\"pathMatch\":{\"match\":{\"prefix\":"
	    "\"/app-%d\"}}}},\"action\":{\"forward\":{\"targetGroups\":[{"
	    "\"targetGroupIdentifier\":\"%s\",\"weight\":100}]}}}", i, i,
	    b->tg[i]);
	create(b, path, body, b->rule[i]);
}

/* The request path of op for route i. */
static void
op_path(struct bench *b, int op, int i, char *buf, size_t len)
{
	switch (op) {
	case OP_GET_SERVICE:
		snprintf(buf, len, "/services/%s", b->svc[i]);
		break;
	case OP_LIST_SERVICES:
		snprintf(buf, len, "/services");
		break;
	case OP_LIST_TARGETS:
		snprintf(buf, len, "/targetgroups/%s/listtargets", b->tg[i]);
		break;
	default:
		snprintf(buf, len, "/services/%s/listeners/%s/rules/%s",
		    b->svc[i], b->lst[i], b->rule[i]);
		break;
	}
}

/* Ascending doubles, for qsort. */
static int
cmp_double(const void *a, const void *b)
{
	double	x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Sort v and print mean, p50 and p99 (ms; the maximum when n < 100). */
static void
report(const char *path, const char *what, double *v, int n, int bad,
    size_t bytes)
{
	double	sum = 0;
	int	i;

	for (i = 0; i < n; i++)
		sum += v[i];
	qsort(v, (size_t)n, sizeof *v, cmp_double);
	printf("  %-6s %-30s n=%-4d mean %.3f ms  p50 %.3f ms  %s %.3f ms",
	    path, what, n, sum / n, v[n / 2], n < 100 ? "max" : "p99",
	    n < 100 ? v[n - 1] : v[(n * 99) / 100]);
	if (bytes > 0)
		printf("  (%zu B each)", bytes);
	if (bad > 0)
		printf("  (%d failed)", bad);
	printf("\n");
}

/* Time n signed requests of op, in process or over HTTP. */
static void
time_op(struct bench *b, int op, int n, int over_http)
{
	double	*v = xcalloc((size_t)n, sizeof *v);
	char	 path[256], *out = NULL;
	size_t	 bytes = 0;
	int	 i, status, bad = 0;

	for (i = 0; i < n; i++) {
		op_path(b, op, (i * 7) % ROUTES, path, sizeof path);
		if (over_http) {
			status = call_http(b, bench_ops[op].method, path,
			    bench_ops[op].query, NULL, &bytes, &v[i]);
		} else {
			status = call_local(b, bench_ops[op].method, path,
			    bench_ops[op].query, NULL, &out, &v[i]);
			bytes = strlen(out);
			free(out);
		}
		bad += status < 200 || status > 299;
	}
	report(over_http ? "http" : "local", bench_ops[op].name, v, n, bad,
	    bytes);
	free(v);
}

/* Trace hook: remember the duration of the last typed-client exchange. */
static void
typed_trace(void *arg, const struct http_trace *t)
{
	((struct bench *)arg)->trace_us = t->duration_us;
}

/* One typed-client call of op for route i; the item count to *items. */
static int
typed_call(struct aws *aws, struct bench *b, int op, int i, size_t *items,
    struct aws_error *err)
{
	struct lattice_service			s;
	struct lattice_rule			r;
	struct lattice_service_list		sl;
	struct lattice_target_list		tl;
	struct lattice_list_targets_input	ti;
	struct lattice_page			pg;
	int					rc;

	*items = 1;
	switch (op) {
	case OP_GET_SERVICE:
		rc = lattice_get_service(aws, b->svc[i], &s, err);
		lattice_service_free(&s);
		return rc;
	case OP_LIST_SERVICES:
		memset(&pg, 0, sizeof pg);
		pg.max_results = 100;
		pg.one_page = 1;
		rc = lattice_list_services(aws, &pg, &sl, err);
		*items = sl.n;
		lattice_service_list_free(&sl);
		return rc;
	case OP_LIST_TARGETS:
		memset(&ti, 0, sizeof ti);
		ti.target_group_identifier = b->tg[i];
		rc = lattice_list_targets(aws, &ti, &tl, err);
		*items = tl.n;
		lattice_target_list_free(&tl);
		return rc;
	default:
		rc = lattice_get_rule(aws, b->svc[i], b->lst[i], b->rule[i],
		    &r, err);
		lattice_rule_free(&r);
		return rc;
	}
}

/* Time one bucket burst of typed-client calls per operation: the whole
 * call (marshal, sign, HTTP, parse) and the HTTP exchange alone. */
static void
time_typed(struct bench *b, struct aws *aws)
{
	struct aws_error	 err;
	double			 call[TYPED_SAMPLES], wire[TYPED_SAMPLES];
	size_t			 items = 0;
	uint64_t		 t0;
	char			*s;
	int			 op, i, bad;

	memset(&err, 0, sizeof err);
	aws_set_trace(aws, typed_trace, b);
	for (op = 0; op < OP_N; op++) {
		time_sleep_ms(1100);	/* let the client's bucket refill */
		for (i = bad = 0; i < TYPED_SAMPLES; i++) {
			t0 = time_mono_us();
			if (typed_call(aws, b, op, (i * 37) % ROUTES, &items,
			    &err) != 0) {
				s = aws_error_string(&err);
				fprintf(stderr, "typed: %s\n", s);
				free(s);
				bad++;
			}
			aws_error_clear(&err);
			call[i] = (double)(time_mono_us() - t0) / 1000.0;
			wire[i] = (double)b->trace_us / 1000.0;
		}
		report("typed", bench_ops[op].name, call, TYPED_SAMPLES, bad,
		    0);
		report("typed", "  of which HTTP exchange", wire, TYPED_SAMPLES,
		    0, 0);
		printf("         (last call returned %zu item(s))\n", items);
	}
}

/* A typed client pointed at the simulator (static sim credentials). */
static struct aws *
typed_client(struct bench *b)
{
	struct aws_config	 cfg;
	struct aws_creds	 creds;
	struct aws		*aws;
	char			*url, *cause = NULL;

	xasprintf(&url, "http://%s", b->host);
	setenv("AWS_ENDPOINT_URL", url, 1);
	setenv("AWS_CONFIG_FILE", "/dev/null", 1);
	setenv("AWS_SHARED_CREDENTIALS_FILE", "/dev/null", 1);
	free(url);
	memset(&creds, 0, sizeof creds);
	creds.access_key_id = SIM_ACCESS_KEY;
	creds.secret_access_key = SIM_SECRET_KEY;
	creds.source = "static";
	memset(&cfg, 0, sizeof cfg);
	cfg.region = SIM_REGION;
	cfg.no_imds = 1;
	cfg.static_creds = &creds;
	if ((aws = aws_new(&cfg, &cause)) == NULL) {
		fprintf(stderr, "aws: %s\n", cause);
		exit(1);
	}
	aws_set_retry(aws, 1, 10, 50);
	return aws;
}

/* Create the simulator with quotas big enough for ROUTES routes. */
static struct sim_aws *
bench_sim(void)
{
	struct sim_aws_opts	o;

	memset(&o, 0, sizeof o);
	o.quotas.services = 2 * ROUTES;
	o.quotas.target_groups = 2 * ROUTES;
	o.quotas.associations_per_sn = 2 * ROUTES;
	return sim_aws_new(&o);
}

/* Load everything in process and report time and memory. */
static void
bench_load(struct bench *b)
{
	struct sim_aws_stats	 st;
	uint64_t		 t0;
	long			 base = rss_kib(), after;
	int			 i;

	b->sim = bench_sim();
	t0 = time_mono_ms();
	create(b, "/servicenetworks", "{\"name\":\"bench-net\"}", b->sn);
	for (i = 0; i < ROUTES; i++)
		load_route(b, i);
	sim_aws_stats(b->sim, &st);
	printf("load: %d routes (svc, listener, rule, tg + 2 targets, "
	    "SN assoc) in %llu ms, %llu signed requests in process\n", ROUTES,
	    (unsigned long long)(time_mono_ms() - t0),
	    (unsigned long long)st.requests);
	after = rss_kib();
	printf("memory: VmRSS %.1f MiB after load (%.1f MiB before, "
	    "+%.1f MiB)\n", after / 1024.0, base / 1024.0,
	    (after - base) / 1024.0);
}

int
main(void)
{
	struct bench		 b;
	struct httpd_opts	 ho;
	struct http_client_opts	 co;
	struct sim_aws_stats	 st;
	struct httpd		*h;
	struct aws		*aws;
	char			*cause = NULL;
	uint64_t		 t0 = time_mono_ms();
	int			 op;

	memset(&b, 0, sizeof b);
	b.svc = xcalloc(ROUTES, sizeof *b.svc);
	b.lst = xcalloc(ROUTES, sizeof *b.lst);
	b.rule = xcalloc(ROUTES, sizeof *b.rule);
	b.tg = xcalloc(ROUTES, sizeof *b.tg);
	snprintf(b.host, sizeof b.host, "vpc-lattice.%s.amazonaws.com",
	    SIM_REGION);
	bench_load(&b);
	memset(&ho, 0, sizeof ho);
	ho.listen = "127.0.0.1:0";
	if ((h = httpd_start(&ho, sim_aws_handle, b.sim, &cause)) == NULL) {
		fprintf(stderr, "httpd: %s\n", cause);
		return 1;
	}
	snprintf(b.host, sizeof b.host, "127.0.0.1:%d", httpd_port(h));
	memset(&co, 0, sizeof co);
	co.proxy = "";
	if ((b.http = http_client_new(&co, &cause)) == NULL) {
		fprintf(stderr, "http: %s\n", cause);
		return 1;
	}
	printf("latency, signed requests (local: sim_aws_handle in process; "
	    "http: http_do to %s, one keep-alive connection):\n", b.host);
	for (op = 0; op < OP_N; op++) {
		time_op(&b, op, SAMPLES, 0);
		time_op(&b, op, SAMPLES, 1);
	}
	printf("latency, typed client (lattice_*; its vpc-lattice token "
	    "bucket allows %d calls per burst, no public knob to raise it):\n",
	    TYPED_SAMPLES);
	aws = typed_client(&b);
	time_typed(&b, aws);
	sim_aws_stats(b.sim, &st);
	printf("simulator: %llu requests (%llu auth failures, %llu throttled,"
	    " %llu injected errors); VmRSS now %.1f MiB; total %llu ms\n",
	    (unsigned long long)st.requests,
	    (unsigned long long)st.auth_failures,
	    (unsigned long long)st.throttled,
	    (unsigned long long)st.injected_errors, rss_kib() / 1024.0,
	    (unsigned long long)(time_mono_ms() - t0));
	aws_free(aws);
	http_client_free(b.http);
	httpd_stop(h);
	sim_aws_free(b.sim);
	free(b.svc);
	free(b.lst);
	free(b.rule);
	free(b.tg);
	return 0;
}
