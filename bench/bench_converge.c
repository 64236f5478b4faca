/*
 * Benchmark of the engine: converge N routes (default 100 and 1,000;
 * argv overrides) against the simulator over real HTTP, with per-request
 * latency and a Lattice rate limit (BENCH_LATENCY_MS, default 5;
 * BENCH_RATE requests/s, default 20; BENCH_CLIENT_RATE, the controller's
 * own Lattice rate (--lattice-rps), default BENCH_RATE; BENCH_DELAY_MS
 * create/delete delay, default 0; BENCH_WORKERS, default 8). Every route has one rule to one of
 * 20 Services (2 pods each) and hangs off one of N/250 Gateways (a service
 * network holds at most 500 services). Prints, per N: API calls per
 * operation against the minimum needed, wall time against the rate-limit
 * floor, the calls of a steady-state resync, single-change latency p50 and
 * p99 (patch a route -> its first Lattice write) and RSS (simulator
 * included). A report, not a pass/fail test.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "latticectl/aws.h"
#include "latticectl/controller.h"
#include "latticectl/httpd.h"
#include "latticectl/json.h"
#include "latticectl/lattice.h"
#include "latticectl/log.h"
#include "latticectl/strbuf.h"
#include "latticectl/timeutil.h"
#include "latticectl/upstream.h"
#include "latticectl/xmalloc.h"
#include "latticectl/yaml.h"
#include "../src/sim/sim.h"
#include "../src/sim/sim_aws.h"
#include "../src/sim/sim_kube.h"
#include "bench_util.h"

#define B_SERVICES	20
#define B_PER_GATEWAY	250
#define B_CHANGES	40
#define B_MAX_OPS	64
#define B_TIMEOUT_MS	(30ULL * 60 * 1000)
#define B_VPC		"vpc-0123456789abcdef0"

/* Lattice calls by operation (trace hook). */
struct ops {
	pthread_mutex_t	 mu;
	char		*name[B_MAX_OPS];
	unsigned	 count[B_MAX_OPS];
	size_t		 n;
	atomic_uint	 writes;
	atomic_ullong	 last_write_us;
};

struct bench {
	struct sim_kube		*sk;
	struct sim_aws		*sa;
	struct httpd		*kh;
	struct httpd		*ah;
	char			 kurl[64];
	char			 aurl[64];
	struct kube_client	*kc;
	struct aws		*aws;
	struct ops		 ops;
	size_t			 routes;
	size_t			 gateways;
	double			 rate;
	double			 client_rate;	/* controller lattice_rps */
};

/* Resident set size in MiB. */
static double
rss_mib(void)
{
	FILE	*f = fopen("/proc/self/statm", "r");
	long	 pages = 0, rss = 0;

	if (f == NULL)
		return 0;
	if (fscanf(f, "%ld %ld", &pages, &rss) != 2)
		rss = 0;
	fclose(f);
	return (double)rss * (double)sysconf(_SC_PAGESIZE) / (1024.0 * 1024.0);
}

/* Is "vpc-lattice:Op" a write? */
static int
is_write(const char *op)
{
	static const char *const w[] = { "Create", "Update", "Delete",
	    "Register", "Deregister", "Tag", "Untag", "Batch", "Put", NULL };
	size_t	i;

	for (i = 0; w[i] != NULL; i++) {
		if (strncmp(op, w[i], strlen(w[i])) == 0)
			return 1;
	}
	return 0;
}

/* Trace hook: count Lattice calls per operation. */
static void
trace(void *arg, const struct http_trace *t)
{
	struct ops	*o = arg;
	const char	*op;
	size_t		 i;

	if (t->op == NULL || strncmp(t->op, "vpc-lattice:", 12) != 0)
		return;
	op = t->op + 12;
	pthread_mutex_lock(&o->mu);
	for (i = 0; i < o->n && strcmp(o->name[i], op) != 0; i++)
		;
	if (i == o->n && o->n < B_MAX_OPS)
		o->name[o->n++] = xstrdup(op);
	if (i < B_MAX_OPS)
		o->count[i]++;
	pthread_mutex_unlock(&o->mu);
	if (is_write(op)) {
		atomic_fetch_add(&o->writes, 1);
		atomic_store(&o->last_write_us, time_mono_us());
	}
}

/* Zero the counters. */
static void
ops_reset(struct ops *o)
{
	pthread_mutex_lock(&o->mu);
	memset(o->count, 0, sizeof(o->count));
	pthread_mutex_unlock(&o->mu);
	atomic_store(&o->writes, 0);
}

/* Print the counters; returns the total. */
static unsigned
ops_print(struct ops *o, const char *indent)
{
	unsigned	total = 0;
	size_t		i;

	pthread_mutex_lock(&o->mu);
	for (i = 0; i < o->n; i++) {
		if (o->count[i] == 0)
			continue;
		printf("%s%-42s %7u\n", indent, o->name[i], o->count[i]);
		total += o->count[i];
	}
	pthread_mutex_unlock(&o->mu);
	printf("%s%-42s %7u\n", indent, "total", total);
	return total;
}

/* POST body to path on the simulated API; abort on failure. */
static void
kpost(struct bench *b, const char *path, const char *body)
{
	char	*out = NULL;
	int	 st = sim_kube_request(b->sk, "POST", path, body, NULL, &out);

	if (st != 201 && st != 200) {
		fprintf(stderr, "POST %s: %d %s\n", path, st, out);
		exit(1);
	}
	free(out);
}

/* Install the Gateway API CRDs from the reference set. */
static void
load_crds(struct bench *b)
{
	cJSON	*docs;
	char	*path, *txt, *cause = NULL;
	size_t	 i;

	for (i = 0; (path = bench_crd_path(i)) != NULL; i++) {
		if (yaml_load_file(path, &docs, &cause) != 0) {
			fprintf(stderr, "%s\n", cause);
			exit(1);
		}
		txt = json_print(cJSON_GetArrayItem(docs, 0));
		kpost(b, "/apis/apiextensions.k8s.io/v1/"
		    "customresourcedefinitions", txt);
		free(txt);
		cJSON_Delete(docs);
		free(path);
	}
}

/* The Kubernetes objects: class, gateways, services, routes. */
static void
load_objects(struct bench *b)
{
	const char	*gwp = "/apis/gateway.networking.k8s.io/v1/namespaces/"
	    "default/gateways";
	const char	*rp = "/apis/gateway.networking.k8s.io/v1/namespaces/"
	    "default/httproutes";
	char		*body;
	size_t		 i;

	kpost(b, "/apis/gateway.networking.k8s.io/v1/gatewayclasses",
	    "{\"metadata\":{\"name\":\"amazon-vpc-lattice\"},\"spec\":{"
	    "\"controllerName\":\"" UP_CONTROLLER_NAME "\"}}");
	for (i = 0; i < b->gateways; i++) {
		xasprintf(&body, "{\"metadata\":{\"name\":\"gw-%zu\"},\"spec\":"
		    "{\"gatewayClassName\":\"amazon-vpc-lattice\",\"listeners\":"
		    "[{\"name\":\"http\",\"protocol\":\"HTTP\",\"port\":80}]}}",
		    i);
		kpost(b, gwp, body);
		free(body);
	}
	for (i = 0; i < B_SERVICES; i++) {
		body = bench_backend_deployment(i);
		kpost(b, "/apis/apps/v1/namespaces/default/deployments", body);
		free(body);
		body = bench_backend_service(i);
		kpost(b, "/api/v1/namespaces/default/services", body);
		free(body);
	}
	for (i = 0; i < b->routes; i++) {
		xasprintf(&body, "{\"metadata\":{\"name\":\"r-%zu\"},\"spec\":{"
		    "\"parentRefs\":[{\"name\":\"gw-%zu\"}],\"rules\":[{"
		    "\"matches\":[{\"path\":{\"type\":\"PathPrefix\",\"value\":"
		    "\"/r%zu\"}}],\"backendRefs\":[{\"name\":\"svc-%zu\","
		    "\"port\":80}]}]}}", i, i / B_PER_GATEWAY, i,
		    i % B_SERVICES);
		kpost(b, rp, body);
		free(body);
	}
}

/* Ready endpoints in all EndpointSlices. */
static int
ready_endpoints(struct bench *b)
{
	cJSON	*l;
	char	*out = NULL;
	int	 n;

	sim_kube_request(b->sk, "GET", "/apis/discovery.k8s.io/v1/namespaces/"
	    "default/endpointslices", NULL, NULL, &out);
	l = out != NULL ? cJSON_Parse(out) : NULL;
	n = bench_ready_endpoints(l);
	cJSON_Delete(l);
	free(out);
	return n;
}

/* Start both simulators on loopback with the bench's faults. */
static void
start_sims(struct bench *b)
{
	struct sim_kube_opts	ko;
	struct sim_aws_opts	ao;
	struct httpd_opts	ho;
	char			*cause = NULL;
	unsigned		 delay = (unsigned)bench_env_long("BENCH_DELAY_MS", 0);

	memset(&ko, 0, sizeof(ko));
	ko.anonymous = 1;
	b->sk = sim_kube_new(&ko);
	memset(&ao, 0, sizeof(ao));
	ao.create_delay_ms = ao.delete_delay_ms = delay;
	ao.quotas.target_groups = 20000;	/* adjustable in AWS too */
	ao.quotas.services = 20000;
	ao.faults.latency_ms = (unsigned)bench_env_long("BENCH_LATENCY_MS", 5);
	ao.rate[SIM_FAMILY_LATTICE] = b->rate;
	b->sa = sim_aws_new(&ao);
	memset(&ho, 0, sizeof(ho));
	ho.listen = "127.0.0.1:0";
	if ((b->kh = httpd_start(&ho, sim_kube_handle, b->sk, &cause)) ==
	    NULL || (b->ah = httpd_start(&ho, sim_aws_handle, b->sa, &cause)) ==
	    NULL) {
		fprintf(stderr, "httpd: %s\n", cause);
		exit(1);
	}
	snprintf(b->kurl, sizeof(b->kurl), "http://127.0.0.1:%d",
	    httpd_port(b->kh));
	snprintf(b->aurl, sizeof(b->aurl), "http://127.0.0.1:%d",
	    httpd_port(b->ah));
}

/* The clients (AWS traced). */
static void
make_clients(struct bench *b)
{
	struct kube_conn_params	 p;
	struct aws_config	 cfg;
	struct aws_creds	 creds;
	char			*cause = NULL;

	memset(&p, 0, sizeof(p));
	p.server = b->kurl;
	b->kc = kube_client_new(kube_conn_new(&p), &cause);
	setenv("AWS_ENDPOINT_URL", b->aurl, 1);
	setenv("AWS_CONFIG_FILE", "/dev/null", 1);
	setenv("AWS_SHARED_CREDENTIALS_FILE", "/dev/null", 1);
	memset(&creds, 0, sizeof(creds));
	creds.access_key_id = SIM_ACCESS_KEY;
	creds.secret_access_key = SIM_SECRET_KEY;
	creds.source = "static";
	memset(&cfg, 0, sizeof(cfg));
	cfg.region = SIM_REGION;
	cfg.no_imds = 1;
	cfg.static_creds = &creds;
	if (b->kc == NULL || (b->aws = aws_new(&cfg, &cause)) == NULL) {
		fprintf(stderr, "clients: %s\n", cause);
		exit(1);
	}
	aws_set_trace(b->aws, trace, &b->ops);
}

/* One service network per Gateway. */
static void
make_sns(struct bench *b)
{
	struct lattice_create_service_network_input	 in;
	struct lattice_service_network			 sn;
	struct aws_error				 err;
	char						 name[32];
	size_t						 i;

	for (i = 0; i < b->gateways; i++) {
		snprintf(name, sizeof(name), "gw-%zu", i);
		memset(&in, 0, sizeof(in));
		memset(&err, 0, sizeof(err));
		in.name = name;
		if (lattice_create_service_network(b->aws, &in, &sn, &err) !=
		    0) {
			fprintf(stderr, "sn: %s\n", err.message);
			exit(1);
		}
		lattice_service_network_free(&sn);
	}
}

/* Order doubles. */
static int
cmp_double(const void *a, const void *b)
{
	double	x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Patch route i's path (a new value each time). */
static void
patch_route(struct bench *b, size_t i, int round)
{
	struct kube_error	 e;
	char			*path, *body;

	xasprintf(&path, "r-%zu", i);
	xasprintf(&body, "[{\"op\":\"replace\",\"path\":\"/spec/rules/0/"
	    "matches/0/path/value\",\"value\":\"/r%zu-v%d\"}]", i, round);
	memset(&e, 0, sizeof(e));
	if (kube_patch(b->kc, &KUBE_RES_HTTPROUTES, "default", path, NULL,
	    KUBE_PATCH_JSON, body, NULL, 0, NULL, &e) != 0)
		fprintf(stderr, "patch: %s\n", e.message);
	kube_error_clear(&e);
	free(path);
	free(body);
}

/* Single-change latency: patch -> first Lattice write; p50, p99 (ms). */
static void
change_latency(struct bench *b, struct controller *c)
{
	struct controller_summary	s;
	double				ms[B_CHANGES];
	uint64_t			t0, end;
	unsigned			before;
	size_t				i, n = 0;

	for (i = 0; i < B_CHANGES; i++) {
		before = atomic_load(&b->ops.writes);
		t0 = time_mono_us();
		patch_route(b, (i * 7919) % b->routes, (int)i);
		end = time_mono_ms() + 10000;
		while (atomic_load(&b->ops.writes) == before &&
		    time_mono_ms() < end)
			time_sleep_ms(1);
		if (atomic_load(&b->ops.writes) != before)
			ms[n++] = (double)(atomic_load(&b->ops.last_write_us) -
			    t0) / 1000.0;
		controller_wait_converged(c, 60000, &s);
	}
	qsort(ms, n, sizeof(ms[0]), cmp_double);
	if (n > 0)
		printf("  single change -> Lattice write (%zu changes, %zu "
		    "routes loaded): p50 %.1f ms, p99 %.1f ms\n", n, b->routes,
		    ms[n / 2], ms[(n * 99) / 100 < n ? (n * 99) / 100 : n - 1]);
}

/* Converge n routes and report. */
static void
run(size_t n, double rate, unsigned workers)
{
	struct controller_config	 cfg;
	struct controller_summary	 s;
	struct controller		*c;
	struct bench			 b;
	uint64_t			 t0, t1;
	unsigned			 total, writes;
	double				 rss0, secs, floor;
	char				*cause = NULL;

	memset(&b, 0, sizeof(b));
	pthread_mutex_init(&b.ops.mu, NULL);
	b.routes = n;
	b.gateways = (n + B_PER_GATEWAY - 1) / B_PER_GATEWAY;
	b.rate = rate;
	b.client_rate = (double)bench_env_long("BENCH_CLIENT_RATE", (long)rate);
	start_sims(&b);
	load_crds(&b);
	load_objects(&b);
	make_clients(&b);
	make_sns(&b);
	while (ready_endpoints(&b) < 2 * B_SERVICES)
		time_sleep_ms(50);
	ops_reset(&b.ops);
	rss0 = rss_mib();
	memset(&cfg, 0, sizeof(cfg));
	cfg.account_id = SIM_ACCOUNT_ID;
	cfg.cluster_name = "bench";
	cfg.vpc_id = B_VPC;
	cfg.once = 1;
	cfg.workers = workers;
	cfg.requeue_pending_s = 1;
	cfg.no_events = 1;
	cfg.lattice_rps = b.client_rate;
	printf("== %zu routes, %zu gateways, %d services, %u workers, Lattice "
	    "%.0f req/s (client %.0f req/s), latency %ld ms\n", n, b.gateways,
	    B_SERVICES, workers, rate, b.client_rate,
	    bench_env_long("BENCH_LATENCY_MS", 5));
	t0 = time_mono_ms();
	if ((c = controller_new(b.kc, b.aws, &cfg, &cause)) == NULL ||
	    controller_start(c, B_TIMEOUT_MS, &cause) != 0) {
		fprintf(stderr, "controller: %s\n", cause);
		exit(1);
	}
	if (controller_wait_converged(c, B_TIMEOUT_MS, &s) != 0)
		printf("  NOT CONVERGED in %llu ms\n", B_TIMEOUT_MS);
	t1 = time_mono_ms();
	secs = (double)(t1 - t0) / 1000.0;
	printf("  converge: %.2f s, %zu keys (%zu converged, %zu failed)\n",
	    secs, s.keys, s.converged, s.failed);
	printf("  Lattice calls by operation:\n");
	total = ops_print(&b.ops, "    ");
	writes = atomic_load(&b.ops.writes);
	printf("  writes %u; minimum needed %zu (per route: CreateTargetGroup, "
	    "RegisterTargets,\n    CreateService, CreateServiceNetworkService"
	    "Association, CreateListener, CreateRule)\n", writes, 6 * n);
	floor = rate < b.client_rate ? rate : b.client_rate;
	printf("  rate-limit floor %.2f s (%u calls at %.0f/s: server %.0f/s, "
	    "client %.0f/s); wall %.2f s (%.2fx)\n", total / floor, total,
	    floor, rate, b.client_rate, secs, secs / (total / floor));
	ops_reset(&b.ops);
	t0 = time_mono_ms();
	controller_resync(c, &cause);
	controller_wait_converged(c, B_TIMEOUT_MS, &s);
	secs = (double)(time_mono_ms() - t0) / 1000.0;
	printf("  steady-state resync: %.2f s, Lattice calls:\n", secs);
	ops_print(&b.ops, "    ");
	change_latency(&b, c);
	printf("  RSS %.1f MiB before the controller, %.1f MiB after "
	    "(simulator and %zu routes' objects included)\n", rss0, rss_mib(),
	    n);
	controller_free(c);
	aws_free(b.aws);
	kube_client_free(b.kc);
	sim_kube_shutdown(b.sk);
	httpd_stop(b.kh);
	httpd_stop(b.ah);
	sim_kube_free(b.sk);
	sim_aws_free(b.sa);
	while (b.ops.n > 0)
		free(b.ops.name[--b.ops.n]);
	pthread_mutex_destroy(&b.ops.mu);
}

int
main(int argc, char **argv)
{
	double		rate = (double)bench_env_long("BENCH_RATE", 20);
	unsigned	workers = (unsigned)bench_env_long("BENCH_WORKERS", 8);
	int		i;

	if (bench_ref_dir() == NULL) {
		fprintf(stderr, "bench_converge: reference directory not "
		    "found (set LATTICECTL_REFERENCE)\n");
		return 1;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	log_open(LOG_LEVEL_ERROR, LOG_FORMAT_TEXT, NULL);
	if (argc > 1) {
		for (i = 1; i < argc; i++)
			run((size_t)strtoul(argv[i], NULL, 10), rate, workers);
	} else {
		run(100, rate, workers);
		run(1000, rate, workers);
	}
	log_close();
	return 0;
}
