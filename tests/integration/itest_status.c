/* Integration: the reconciler framework, the status writer and metrics
 * together against the simulated Kubernetes API over HTTP. An HTTPRoute
 * informer feeds a gated reconciler whose reconcile function adds the
 * finalizer, writes route status and annotations from the informer's
 * cache; a follower (gate closed) writes nothing; as leader it converges;
 * a resync in steady state makes zero writes; /metrics and /readyz
 * report it; deleting a route removes the finalizer and forgets the key.
 * Prints the counters observed. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/http.h"
#include "latticectl/json.h"
#include "latticectl/kinformer.h"
#include "latticectl/kutil.h"
#include "latticectl/metrics.h"
#include "latticectl/reconcile.h"
#include "latticectl/status.h"
#include "latticectl/timeutil.h"
#include "latticectl/xmalloc.h"
#include "latticectl/yaml.h"
#include "../unit/ksim_fixture.h"
#include "testlib.h"

#define WAIT_MS		20000
#define ROUTES_PATH	"/apis/gateway.networking.k8s.io/v1/namespaces/" \
	"default/httproutes"

struct ctl {
	struct ksim		 x;
	struct kube_client	*kc;
	struct kube_informer	*inf;
	struct reconciler	*r;
	struct status_writer	*sw;
	struct metrics		*m;
	atomic_int		 leader;
	atomic_int		 gone;
};

/* Queue an object's key. */
static void
ctl_enqueue(struct ctl *c, const cJSON *obj)
{
	char	*key = kube_cache_key_of(obj);

	if (key != NULL)
		reconcile_add(c->r, key);
	free(key);
}

/* Informer add handler. */
static void
h_add(void *arg, const cJSON *obj)
{
	ctl_enqueue(arg, obj);
}

/* Informer update handler. */
static void
h_update(void *arg, const cJSON *old, const cJSON *obj)
{
	(void)old;
	ctl_enqueue(arg, obj);
}

/* Informer delete handler. */
static void
h_del(void *arg, const cJSON *old)
{
	ctl_enqueue(arg, old);
}

/* The leader gate. */
static int
ctl_gate(void *arg)
{
	return atomic_load(&((struct ctl *)arg)->leader);
}

/* Per-parentRef results: parents named my-hotel are ours and fine. */
static size_t
ctl_parents(const cJSON *route, struct lm_parent_status *p, size_t max)
{
	const cJSON	*ref;
	size_t		 n = 0;

	cJSON_ArrayForEach(ref, json_path(route, "spec.parentRefs")) {
		if (n == max)
			break;
		memset(&p[n], 0, sizeof p[n]);
		p[n].parent_index = n;
		p[n].ours = json_str(ref, "name") != NULL &&
		    strcmp(json_str(ref, "name"), "my-hotel") == 0;
		p[n].accepted = p[n].resolved = 1;
		p[n].accepted_reason = UP_REASON_ACCEPTED;
		p[n].resolved_reason = UP_REASON_RESOLVED_REFS;
		n++;
	}
	return n;
}

/* Continue with the server's newest copy when a step returned one. */
static void
ctl_advance(cJSON **cur, cJSON *out)
{
	if (out != NULL) {
		cJSON_Delete(*cur);
		*cur = out;
	}
}

/* The steps of a live route: finalizer, status, annotations. */
static int
ctl_upsert(struct ctl *c, cJSON **cur, struct kube_error *e)
{
	struct lm_parent_status		 p[8];
	struct status_route_annotations	 a;
	cJSON				*out;
	char				*dns, *arn;
	int				 rc;

	if (status_finalizer_add(c->sw, &KUBE_RES_HTTPROUTES, *cur,
	    UP_FIN_HTTPROUTE, &out, e) != 0)
		return -1;
	ctl_advance(cur, out);
	if (status_route_write(c->sw, &KUBE_RES_HTTPROUTES, *cur, p,
	    ctl_parents(*cur, p, 8), &out, e) != 0)
		return -1;
	ctl_advance(cur, out);
	xasprintf(&dns, "%s-%s.7d67968.vpc-lattice-svcs.us-west-2.on.aws",
	    json_path_str(*cur, "metadata.name"),
	    json_path_str(*cur, "metadata.namespace"));
	xasprintf(&arn, "arn:aws:vpc-lattice:us-west-2:123456789012:service/"
	    "svc-%s", json_path_str(*cur, "metadata.name"));
	a.dns_name = dns;
	a.service_arn = arn;
	rc = status_route_annotate(c->sw, &KUBE_RES_HTTPROUTES, *cur, &a, &out,
	    e);
	ctl_advance(cur, out);
	free(dns);
	free(arn);
	return rc;
}

/* The reconcile function: the informer's copy decides. */
static enum reconcile_outcome
ctl_reconcile(void *arg, const char *key, uint64_t *after, char **cause)
{
	struct ctl		*c = arg;
	struct kube_obj		*o;
	struct kube_error	 e;
	cJSON			*cur;
	char			*ns = xstrdup(key), *name;
	int			 rc;

	(void)after;
	name = strchr(ns, '/');
	*name++ = '\0';
	o = kube_cache_get(kube_informer_cache(c->inf), ns, name);
	free(ns);
	if (o == NULL) {
		atomic_fetch_add(&c->gone, 1);
		return RECONCILE_GONE;
	}
	cur = cJSON_Duplicate(kube_obj_json(o), 1);
	kube_obj_unref(o);
	memset(&e, 0, sizeof e);
	if (json_path(cur, "metadata.deletionTimestamp") != NULL)
		rc = status_finalizer_remove(c->sw, &KUBE_RES_HTTPROUTES, cur,
		    UP_FIN_HTTPROUTE, NULL, &e);
	else
		rc = ctl_upsert(c, &cur, &e);
	cJSON_Delete(cur);
	if (rc != 0)
		*cause = kube_error_string(&e);
	kube_error_clear(&e);
	return rc == 0 ? RECONCILE_DONE : RECONCILE_ERROR;
}

/* readyz: informer synced and leading. */
static int
ctl_ready(void *arg, char **why)
{
	struct ctl	*c = arg;

	if (!kube_informer_synced(c->inf)) {
		*why = xstrdup("informers not synced");
		return -1;
	}
	if (!atomic_load(&c->leader)) {
		*why = xstrdup("not leading");
		return -1;
	}
	return 0;
}

/* POST an object from a reference file (first document). */
static void
post_ref(struct ctl *c, const char *path, const char *rel)
{
	cJSON	*docs;
	char	*file, *body, *cause = NULL;

	xasprintf(&file, "%s/%s", test_reference_dir(), rel);
	if (yaml_load_file(file, &docs, &cause) != 0)
		fail_msg("%s", cause);
	body = json_print(cJSON_GetArrayItem(docs, 0));
	assert_int_equal(ksim_req(&c->x, "POST", path, body, NULL), 201);
	free(body);
	free(file);
	cJSON_Delete(docs);
}

/* Create a route named name with one parent. */
static void
post_route(struct ctl *c, const char *name, const char *parent)
{
	char	*body;

	xasprintf(&body, "{\"apiVersion\":\"gateway.networking.k8s.io/v1\","
	    "\"kind\":\"HTTPRoute\",\"metadata\":{\"name\":\"%s\"},\"spec\":{"
	    "\"parentRefs\":[{\"name\":\"%s\"}],\"rules\":[{\"backendRefs\":[{"
	    "\"name\":\"svc\",\"port\":80}]}]}}", name, parent);
	assert_int_equal(ksim_req(&c->x, "POST", ROUTES_PATH, body, NULL),
	    201);
	free(body);
}

/* Whether the server's copy of a route is fully reconciled and the
 * informer has caught up with it. */
static int
route_settled(struct ctl *c, const char *name)
{
	struct kube_obj	*o;
	cJSON		*srv = NULL;
	char		*path;
	int		 ok;

	xasprintf(&path, "%s/%s", ROUTES_PATH, name);
	ok = ksim_req(&c->x, "GET", path, NULL, &srv) == 200 &&
	    kube_finalizer_has(srv, UP_FIN_HTTPROUTE) &&
	    json_str(json_path(srv, "metadata.annotations"),
	    UP_ANN_ASSIGNED_DNS) != NULL &&
	    kube_conditions_is(json_path(cJSON_GetArrayItem(json_path(srv,
	    "status.parents"), 0), "conditions"), "Accepted", "True");
	free(path);
	o = kube_cache_get(kube_informer_cache(c->inf), "default", name);
	ok = ok && o != NULL && strcmp(kube_obj_rv(o),
	    json_path_str(srv, "metadata.resourceVersion")) == 0;
	kube_obj_unref(o);
	cJSON_Delete(srv);
	return ok;
}

/* Poll until every route settled and the reconciler is idle. */
static int
wait_settled(struct ctl *c, const char *const *names, size_t n)
{
	uint64_t	end = time_mono_ms() + WAIT_MS;
	size_t		i;

	while (time_mono_ms() < end) {
		for (i = 0; i < n && route_settled(c, names[i]); i++)
			;
		if (i == n && reconcile_wait_idle(c->r, WAIT_MS) == 0) {
			for (i = 0; i < n && route_settled(c, names[i]); i++)
				;
			if (i == n)
				return 1;
		}
		time_sleep_ms(5);
	}
	return 0;
}

/* Writes the simulator has seen. */
static int
writes(struct ctl *c)
{
	return atomic_load(&c->x.puts) + atomic_load(&c->x.patches);
}

/* GET a URL: status and body (caller frees). */
static long
fetch(const char *url, char **body)
{
	struct http_client_opts	 ho;
	struct http_client	*hc;
	struct http_request	 req;
	struct http_response	 resp;
	char			*cause = NULL;
	long			 st;

	memset(&ho, 0, sizeof ho);
	hc = http_client_new(&ho, &cause);
	memset(&req, 0, sizeof req);
	req.url = url;
	http_response_init(&resp);
	if (http_do(hc, &req, &resp, &cause) != 0)
		fail_msg("%s", cause);
	st = resp.status;
	*body = xstrdup(strbuf_str(&resp.body));
	http_response_free(&resp);
	http_client_free(hc);
	return st;
}

/* The value of the first sample matching name and two labels, or -1. */
static double
sample2(const char *text, const char *name, const char *l1,
    const char *v1, const char *l2, const char *v2)
{
	struct metrics_sample	*s;
	const char		*a, *b;
	char			*cause = NULL;
	size_t			 n, i;
	double			 v = -1;

	if (metrics_parse(text, strlen(text), &s, &n, &cause) != 0)
		fail_msg("metrics: %s", cause);
	for (i = 0; i < n && v < 0; i++) {
		a = metrics_sample_label(&s[i], l1);
		b = metrics_sample_label(&s[i], l2);
		if (strcmp(s[i].name, name) == 0 && a != NULL &&
		    strcmp(a, v1) == 0 && b != NULL && strcmp(b, v2) == 0)
			v = s[i].value;
	}
	metrics_samples_free(s, n);
	return v;
}

/* Start the simulator, CRDs, Gateway, routes, informer and reconciler. */
static int
ctl_setup(struct ctl *c)
{
	struct kube_informer_opts	 io;
	struct kube_handler		 h;
	struct reconcile_opts		 ro;
	struct status_writer_opts	 so;
	char				*cause = NULL;

	memset(c, 0, sizeof *c);
	if (ksim_start(&c->x, NULL) != 0)
		return -1;
	post_ref(c, "/apis/apiextensions.k8s.io/v1/customresourcedefinitions",
	    "crds/gateway-api-v1.5.1/gateway.networking.k8s.io_gateways.yaml");
	post_ref(c, "/apis/apiextensions.k8s.io/v1/customresourcedefinitions",
	    "crds/gateway-api-v1.5.1/gateway.networking.k8s.io_httproutes.yaml");
	post_ref(c, "/apis/gateway.networking.k8s.io/v1/namespaces/default/"
	    "gateways", "examples/my-hotel-gateway.yaml");
	post_ref(c, ROUTES_PATH, "examples/rate-route-path.yaml");
	post_route(c, "inventory", "my-hotel");
	post_route(c, "elsewhere", "other-gateway");
	c->kc = ksim_client(&c->x);
	c->m = metrics_new();
	kube_client_set_trace(c->kc, metrics_trace_kube, c->m);
	memset(&so, 0, sizeof so);
	so.kc = c->kc;
	c->sw = status_writer_new(&so);
	memset(&ro, 0, sizeof ro);
	ro.name = "httproute";
	ro.workers = 2;
	ro.fn = ctl_reconcile;
	ro.arg = c;
	ro.gate = ctl_gate;
	ro.gate_arg = c;
	ro.metrics = c->m;
	c->r = reconcile_new(&ro);
	memset(&io, 0, sizeof io);
	io.res = &KUBE_RES_HTTPROUTES;
	c->inf = kube_informer_new(c->kc, &io);
	memset(&h, 0, sizeof h);
	h.add = h_add;
	h.update = h_update;
	h.del = h_del;
	h.arg = c;
	kube_informer_add_handler(c->inf, &h);
	if (reconcile_start(c->r, &cause) != 0 ||
	    kube_informer_start(c->inf, &cause) != 0)
		fail_msg("%s", cause);
	return 0;
}

/* Stop everything. */
static void
ctl_teardown(struct ctl *c)
{
	kube_informer_stop(c->inf);
	reconcile_stop(c->r, RECONCILE_STOP_DRAIN);
	reconcile_free(c->r);
	kube_informer_free(c->inf);
	status_writer_free(c->sw);
	kube_client_free(c->kc);
	metrics_free(c->m);
	ksim_stop(&c->x);
}

/* Depth at least n. */
static int
wait_depth(struct reconciler *r, size_t n)
{
	struct reconcile_stats	st;
	uint64_t		end = time_mono_ms() + WAIT_MS;

	do {
		reconcile_stats(r, &st);
		if (st.depth >= n)
			return 1;
		time_sleep_ms(2);
	} while (time_mono_ms() < end);
	return 0;
}

/* Poll until a reconcile found a key gone. */
static int
wait_gone(struct ctl *c)
{
	uint64_t	end = time_mono_ms() + WAIT_MS;

	while (atomic_load(&c->gone) == 0 && time_mono_ms() < end)
		time_sleep_ms(5);
	return atomic_load(&c->gone) > 0;
}

/* The whole loop: follower, leader, steady state, metrics, deletion. */
static void
test_controller_loop(void **state)
{
	static const char *const names[] = { "rates", "inventory",
	    "elsewhere" };
	struct metrics_server_opts	 mo;
	struct metrics_server		*srv;
	struct reconcile_stats		 rs;
	struct status_stats		 ss;
	struct ctl			 c;
	char				*cause = NULL, *body, url[128];
	int				 w0, w1;
	cJSON				*o = NULL;

	(void)state;
	if (test_reference_dir() == NULL) {
		printf("SKIP: ../shared/reference not found\n");
		skip();
	}
	assert_int_equal(ctl_setup(&c), 0);
	memset(&mo, 0, sizeof mo);
	mo.metrics_addr = mo.health_addr = "127.0.0.1:0";
	mo.metrics = c.m;
	mo.readyz = ctl_ready;
	mo.check_arg = &c;
	if ((srv = metrics_server_start(&mo, &cause)) == NULL)
		fail_msg("%s", cause);

	/* a follower keeps its cache warm and writes nothing */
	assert_int_equal(kube_informer_wait_synced(c.inf, WAIT_MS), 1);
	assert_true(wait_depth(c.r, 3));
	assert_int_equal(writes(&c), 0);
	snprintf(url, sizeof url, "http://127.0.0.1:%d/readyz",
	    metrics_server_port(srv, 1));
	assert_int_equal(fetch(url, &body), 503);
	assert_non_null(strstr(body, "not leading"));
	free(body);

	/* as leader: finalizer, status and annotations on every route */
	atomic_store(&c.leader, 1);
	reconcile_gate_changed(c.r);
	assert_true(wait_settled(&c, names, 2));
	assert_int_equal(ksim_req(&c.x, "GET", ROUTES_PATH "/elsewhere", NULL,
	    &o), 200);
	assert_int_equal(cJSON_GetArraySize(json_path(o, "status.parents")), 0);
	cJSON_Delete(o);
	w0 = writes(&c);
	printf("converged: %d writes for 3 routes (minimum 8)\n", w0);
	/* finalizer, status and annotations for two routes, finalizer and
	 * annotations for the third: reconciles that saw our own writes
	 * late wrote nothing */
	assert_int_equal(w0, 8);

	/* steady state: a full resync writes nothing */
	reconcile_resync(c.r);
	assert_int_equal(reconcile_wait_idle(c.r, WAIT_MS), 0);
	w1 = writes(&c);
	printf("resync: %d writes\n", w1 - w0);
	assert_int_equal(w1, w0);

	/* metrics and readiness */
	assert_int_equal(fetch(url, &body), 200);
	free(body);
	snprintf(url, sizeof url, "http://127.0.0.1:%d/metrics",
	    metrics_server_port(srv, 0));
	assert_int_equal(fetch(url, &body), 200);
	assert_true(sample2(body, "controller_runtime_reconcile_total",
	    "controller", "httproute", "result", "success") >= 6);
	assert_true(sample2(body, "latticectl_kube_api_requests_total",
	    "verb", "update", "resource", "httproutes/status") >= 2);
	assert_true(sample2(body, "latticectl_kube_api_requests_total",
	    "verb", "list", "resource", "httproutes") >= 1);
	assert_true(sample2(body, "workqueue_depth", "name", "httproute",
	    "name", "httproute") == 0);
	free(body);

	/* deletion: the finalizer goes, the object goes, the key is forgotten */
	assert_int_equal(ksim_req(&c.x, "DELETE", ROUTES_PATH "/rates", NULL,
	    NULL), 202);
	assert_true(wait_gone(&c));
	assert_int_equal(ksim_req(&c.x, "GET", ROUTES_PATH "/rates", NULL,
	    NULL), 404);
	assert_int_equal(reconcile_wait_idle(c.r, WAIT_MS), 0);
	reconcile_stats(c.r, &rs);
	status_writer_stats(c.sw, &ss);
	printf("reconciles %llu, errors %llu; status writes %llu, unchanged "
	    "%llu, stale %llu, conflicts %llu\n",
	    (unsigned long long)rs.processed, (unsigned long long)rs.errors,
	    (unsigned long long)ss.writes, (unsigned long long)ss.unchanged,
	    (unsigned long long)ss.stale, (unsigned long long)ss.conflicts);
	assert_int_equal(rs.known, 2);
	assert_int_equal(ss.errors, 0);
	metrics_server_stop(srv);
	ctl_teardown(&c);
}

/* Run the status integration tests. */
int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_controller_loop),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
