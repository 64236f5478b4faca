/* The status writer (status.h): pure edits of route, Gateway and policy
 * status, then the writers against the simulated Kubernetes API with the
 * real Gateway API CRDs: one PUT per change, zero requests when nothing
 * changed, lastTransitionTime kept unless a status flips, conflicts on a
 * stale cache, annotations, finalizers and events. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/json.h"
#include "latticectl/kevents.h"
#include "latticectl/kutil.h"
#include "latticectl/status.h"
#include "latticectl/xmalloc.h"
#include "latticectl/yaml.h"
#include "ksim_fixture.h"
#include "testlib.h"

#define T1	"2023-11-14T22:13:20Z"	/* 1700000000 */
#define T2	"2023-11-14T22:15:00Z"	/* 1700000100 */
#define ROUTE	"/apis/gateway.networking.k8s.io/v1/namespaces/default/" \
	"httproutes/rates"
#define GW	"/apis/gateway.networking.k8s.io/v1/namespaces/default/" \
	"gateways/my-hotel"
#define CTL	UP_CONTROLLER_NAME

/* ------------------------------------------------------------------ */
/* Pure edits                                                         */

/* A timespec at epoch seconds. */
static struct timespec
at(time_t s)
{
	struct timespec	ts = { s, 0 };

	return ts;
}

/* A per-parentRef result. */
static struct lm_parent_status
parent(size_t idx, int ours, int acc, const char *ar, const char *am,
    int res, const char *rr, const char *rm)
{
	struct lm_parent_status	p;

	memset(&p, 0, sizeof p);
	p.parent_index = idx;
	p.ours = ours;
	p.accepted = acc;
	p.accepted_reason = ar;
	p.accepted_message = (char *)am;
	p.resolved = res;
	p.resolved_reason = rr;
	p.resolved_message = (char *)rm;
	return p;
}

/* The conditions of status.parents[i]. */
static const cJSON *
pconds(const cJSON *o, int i)
{
	return json_path(cJSON_GetArrayItem(json_path(o, "status.parents"), i),
	    "conditions");
}

/* A condition's field. */
static const char *
cf(const cJSON *conds, const char *type, const char *field)
{
	return json_str(kube_conditions_find(conds, type), field);
}

/* Our entries per parentRef of a lattice Gateway; another controller's
 * entry stays, our stale one goes; unchanged input changes nothing;
 * a message change keeps lastTransitionTime, a status flip moves it. */
static void
test_route_apply(void **state)
{
	struct lm_parent_status	 p[3];
	struct timespec		 t1 = at(1700000000), t2 = at(1700000100);
	cJSON			*o;
	const cJSON		*c;

	(void)state;
	o = cJSON_Parse("{\"metadata\":{\"name\":\"r\",\"generation\":3},"
	    "\"spec\":{\"parentRefs\":[{\"name\":\"gw\"},{\"name\":\"other\"},"
	    "{\"name\":\"gw\",\"sectionName\":\"https\"}]},"
	    "\"status\":{\"parents\":[{\"parentRef\":{\"name\":\"other\"},"
	    "\"controllerName\":\"example.com/ctl\",\"conditions\":[]},"
	    "{\"parentRef\":{\"name\":\"old\"},\"controllerName\":\"" CTL "\","
	    "\"conditions\":[]}]}}");
	p[0] = parent(0, 1, 1, UP_REASON_ACCEPTED, NULL, 1,
	    UP_REASON_RESOLVED_REFS, NULL);
	p[1] = parent(1, 0, 0, UP_REASON_NO_MATCHING_PARENT, "x", 1, NULL,
	    NULL);
	p[2] = parent(2, 1, 0, UP_REASON_NO_MATCHING_PARENT, "no https", 0,
	    UP_REASON_BACKEND_NOT_FOUND, "backendRef name: parking");
	assert_int_equal(status_route_apply(o, CTL, p, 3, &t1), 1);
	assert_int_equal(cJSON_GetArraySize(json_path(o, "status.parents")),
	    3);
	assert_string_equal(json_path_str(cJSON_GetArrayItem(json_path(o,
	    "status.parents"), 0), "controllerName"), "example.com/ctl");
	c = pconds(o, 1);
	assert_string_equal(cf(c, "Accepted", "status"), "True");
	assert_string_equal(cf(c, "ResolvedRefs", "reason"), "ResolvedRefs");
	assert_int_equal((int)json_num(kube_conditions_find(c, "Accepted"),
	    "observedGeneration", 0), 3);
	c = pconds(o, 2);
	assert_string_equal(json_path_str(cJSON_GetArrayItem(json_path(o,
	    "status.parents"), 2), "parentRef.sectionName"), "https");
	assert_string_equal(cf(c, "Accepted", "reason"), "NoMatchingParent");
	assert_string_equal(cf(c, "Accepted", "message"), "no https");
	assert_string_equal(cf(c, "ResolvedRefs", "status"), "False");
	assert_string_equal(cf(c, "ResolvedRefs", "message"),
	    "backendRef name: parking");
	assert_string_equal(cf(c, "ResolvedRefs", "lastTransitionTime"), T1);
	assert_int_equal(status_route_apply(o, CTL, p, 3, &t2), 0);
	p[2].resolved_message = "backendRef name: review";
	assert_int_equal(status_route_apply(o, CTL, p, 3, &t2), 1);
	assert_string_equal(cf(pconds(o, 2), "ResolvedRefs",
	    "lastTransitionTime"), T1);
	p[2].resolved = 1;
	p[2].resolved_reason = UP_REASON_RESOLVED_REFS;
	assert_int_equal(status_route_apply(o, CTL, p, 3, &t2), 1);
	assert_string_equal(cf(pconds(o, 2), "ResolvedRefs",
	    "lastTransitionTime"), T2);
	assert_string_equal(cf(pconds(o, 2), "Accepted",
	    "lastTransitionTime"), T1);
	/* no parent is ours any more: our entries go, the other stays */
	assert_int_equal(status_route_apply(o, CTL, p + 1, 1, &t2), 1);
	assert_int_equal(cJSON_GetArraySize(json_path(o, "status.parents")),
	    1);
	cJSON_Delete(o);
	/* nothing to say and no status: no status is made up */
	o = cJSON_Parse("{\"metadata\":{\"name\":\"r\"},\"spec\":{}}");
	assert_int_equal(status_route_apply(o, CTL, p + 1, 1, &t1), 0);
	assert_null(json_path(o, "status"));
	cJSON_Delete(o);
}

/* Gateway: Accepted with the controller name, Programmed per service
 * network lookup, Hostname addresses, listeners in spec order with kinds,
 * counts and conditions; times kept across rewrites. */
static void
test_gateway_apply(void **state)
{
	static const char *const kinds[] = { "HTTPRoute", "GRPCRoute" };
	static const char *const addr[] = { "rates-default.7d67968.vpc-"
	    "lattice-svcs.us-west-2.on.aws" };
	struct status_listener	 l[2];
	struct status_gateway	 g;
	struct timespec		 t1 = at(1700000000), t2 = at(1700000100);
	cJSON			*o;
	const cJSON		*c, *ls;

	(void)state;
	o = cJSON_Parse("{\"metadata\":{\"name\":\"my-hotel\","
	    "\"generation\":2},\"status\":{\"listeners\":[{\"name\":\"gone\","
	    "\"attachedRoutes\":1,\"supportedKinds\":[],\"conditions\":[]}]}}");
	memset(l, 0, sizeof l);
	l[0].name = "http";
	l[0].attached_routes = 2;
	l[0].kinds = kinds;
	l[0].nkinds = 1;
	l[1].name = "tls";
	l[1].kinds = kinds;
	l[1].nkinds = 2;
	l[1].invalid_kinds = 1;
	memset(&g, 0, sizeof g);
	g.accepted = 1;
	g.sn = STATUS_SN_NOT_FOUND;
	g.listeners = l;
	g.nlisteners = 2;
	assert_int_equal(status_gateway_apply(o, CTL, &g, &t1), 1);
	c = json_path(o, "status.conditions");
	assert_string_equal(cf(c, "Accepted", "message"), CTL);
	assert_string_equal(cf(c, "Programmed", "status"), "False");
	assert_string_equal(cf(c, "Programmed", "reason"), "Pending");
	assert_string_equal(cf(c, "Programmed", "message"),
	    "VPC Lattice Service Network not found");
	assert_null(json_path(o, "status.addresses"));
	ls = json_path(o, "status.listeners");
	assert_int_equal(cJSON_GetArraySize(ls), 2);
	assert_string_equal(json_str(cJSON_GetArrayItem(ls, 0), "name"),
	    "http");
	assert_int_equal((int)json_num(cJSON_GetArrayItem(ls, 0),
	    "attachedRoutes", -1), 2);
	assert_string_equal(json_path_str(cJSON_GetArrayItem(json_path(
	    cJSON_GetArrayItem(ls, 0), "supportedKinds"), 0), "group"),
	    "gateway.networking.k8s.io");
	assert_string_equal(cf(json_path(cJSON_GetArrayItem(ls, 1),
	    "conditions"), "ResolvedRefs", "reason"), "InvalidRouteKinds");
	assert_int_equal(status_gateway_apply(o, CTL, &g, &t2), 0);
	g.sn = STATUS_SN_FOUND;
	g.sn_arn = "arn:aws:vpc-lattice:us-west-2:123456789012:"
	    "servicenetwork/sn-0123456789abcdef0";
	g.addresses = addr;
	g.naddresses = 1;
	assert_int_equal(status_gateway_apply(o, CTL, &g, &t2), 1);
	c = json_path(o, "status.conditions");
	assert_string_equal(cf(c, "Programmed", "message"),
	    "aws-service-network-arn: arn:aws:vpc-lattice:us-west-2:"
	    "123456789012:servicenetwork/sn-0123456789abcdef0");
	assert_string_equal(cf(c, "Programmed", "lastTransitionTime"), T2);
	assert_string_equal(cf(c, "Accepted", "lastTransitionTime"), T1);
	assert_string_equal(json_path_str(cJSON_GetArrayItem(json_path(o,
	    "status.addresses"), 0), "type"), "Hostname");
	ls = json_path(o, "status.listeners");
	assert_string_equal(cf(json_path(cJSON_GetArrayItem(ls, 0),
	    "conditions"), "Accepted", "lastTransitionTime"), T1);
	g.sn = STATUS_SN_CONFLICT;
	assert_int_equal(status_gateway_apply(o, CTL, &g, &t2), 1);
	assert_string_equal(cf(json_path(o, "status.conditions"), "Programmed",
	    "message"), STATUS_MSG_SN_CONFLICT);
	assert_string_equal(cf(json_path(o, "status.conditions"), "Programmed",
	    "reason"), "Invalid");
	cJSON_Delete(o);
}

/* Policy and GatewayClass Accepted. */
static void
test_accepted_apply(void **state)
{
	struct timespec	 t1 = at(1700000000);
	cJSON		*o = cJSON_Parse("{\"metadata\":{\"generation\":4}}");

	(void)state;
	assert_int_equal(status_accepted_apply(o, UP_REASON_TARGET_NOT_FOUND,
	    "targetRef not found", &t1), 1);
	assert_string_equal(cf(json_path(o, "status.conditions"), "Accepted",
	    "status"), "False");
	assert_int_equal(status_accepted_apply(o, UP_REASON_TARGET_NOT_FOUND,
	    "targetRef not found", &t1), 0);
	assert_int_equal(status_accepted_apply(o, UP_REASON_ACCEPTED, NULL,
	    &t1), 1);
	assert_string_equal(cf(json_path(o, "status.conditions"), "Accepted",
	    "status"), "True");
	assert_int_equal((int)json_num(kube_conditions_find(json_path(o,
	    "status.conditions"), "Accepted"), "observedGeneration", 0), 4);
	cJSON_Delete(o);
}

/* ------------------------------------------------------------------ */
/* Against the simulated API                                          */

struct env {
	struct ksim		 x;
	struct kube_client	*kc;
	struct status_writer	*sw;
	struct kube_recorder	*rec;
	atomic_int		 calls;	/* requests the client made */
	struct timespec		 now;
};

/* The writer's clock. */
static struct timespec
env_now(void *arg)
{
	return ((struct env *)arg)->now;
}

/* Count every exchange of the client. */
static void
env_trace(void *arg, const struct http_trace *t)
{
	(void)t;
	atomic_fetch_add(&((struct env *)arg)->calls, 1);
}

/* Create an object from YAML/JSON through the simulator; its status. */
static int
env_create(struct env *e, const char *path, const cJSON *obj)
{
	char	*body = json_print(obj);
	int	 st;

	st = ksim_req(&e->x, "POST", path, body, NULL);
	free(body);
	return st;
}

/* Load the first document of a reference file. */
static cJSON *
ref_doc(const char *rel)
{
	cJSON	*docs, *d;
	char	*path, *cause = NULL;

	if (test_reference_dir() == NULL)
		return NULL;
	xasprintf(&path, "%s/%s", test_reference_dir(), rel);
	if (yaml_load_file(path, &docs, &cause) != 0)
		fail_msg("%s", cause);
	free(path);
	d = cJSON_DetachItemFromArray(docs, 0);
	cJSON_Delete(docs);
	return d;
}

/* Install a CRD from the reference set. */
static void
env_crd(struct env *e, const char *rel)
{
	cJSON	*d = ref_doc(rel);

	assert_int_equal(env_create(e, "/apis/apiextensions.k8s.io/v1/"
	    "customresourcedefinitions", d), 201);
	cJSON_Delete(d);
}

/* Start the simulator with the Gateway API CRDs, the lab's Gateway and
 * route; SKIP without the reference directory. */
static int
setup(void **state)
{
	struct status_writer_opts	 so;
	struct kube_recorder_opts	 ro;
	struct env			*e;
	cJSON				*d;

	if (test_reference_dir() == NULL) {
		printf("SKIP: ../shared/reference not found\n");
		*state = NULL;
		return 0;
	}
	e = xcalloc(1, sizeof *e);
	if (ksim_start(&e->x, NULL) != 0)
		return -1;
	env_crd(e, "crds/gateway-api-v1.5.1/gateway.networking.k8s.io_"
	    "gatewayclasses.yaml");
	env_crd(e, "crds/gateway-api-v1.5.1/gateway.networking.k8s.io_"
	    "gateways.yaml");
	env_crd(e, "crds/gateway-api-v1.5.1/gateway.networking.k8s.io_"
	    "httproutes.yaml");
	env_crd(e, "crds/aws-application-networking/application-networking."
	    "k8s.aws_targetgrouppolicies.yaml");
	d = ref_doc("examples/my-hotel-gateway.yaml");
	assert_int_equal(env_create(e, "/apis/gateway.networking.k8s.io/v1/"
	    "namespaces/default/gateways", d), 201);
	cJSON_Delete(d);
	d = ref_doc("examples/rate-route-path.yaml");
	assert_int_equal(env_create(e, "/apis/gateway.networking.k8s.io/v1/"
	    "namespaces/default/httproutes", d), 201);
	cJSON_Delete(d);
	e->kc = ksim_client(&e->x);
	kube_client_set_trace(e->kc, env_trace, e);
	memset(&ro, 0, sizeof ro);
	ro.instance = "test";
	e->rec = kube_recorder_new(e->kc, &ro);
	memset(&so, 0, sizeof so);
	so.kc = e->kc;
	so.rec = e->rec;
	so.now = env_now;
	so.now_arg = e;
	e->sw = status_writer_new(&so);
	e->now = at(1700000000);
	*state = e;
	return 0;
}

/* Tear the environment down. */
static int
teardown(void **state)
{
	struct env	*e = *state;

	if (e == NULL)
		return 0;
	status_writer_free(e->sw);
	kube_recorder_free(e->rec);
	kube_client_free(e->kc);
	ksim_stop(&e->x);
	free(e);
	return 0;
}

/* The object at path, as the informer would hold it (not counted). */
static cJSON *
get(struct env *e, const char *path)
{
	cJSON	*o = NULL;

	assert_int_equal(ksim_req(&e->x, "GET", path, NULL, &o), 200);
	return o;
}

/* Requests made since the last call. */
static int
calls(struct env *e)
{
	return atomic_exchange(&e->calls, 0);
}

/* Skip when the environment could not be made. */
#define NEED_ENV(e) do {						\
	if ((e) == NULL) {						\
		skip();							\
		return;							\
	}								\
} while (0)

/* An external change to the route (a label), as another client would. */
static void
touch(struct env *e)
{
	char	*out = NULL;

	assert_int_equal(sim_kube_request(e->x.sk, "PATCH", ROUTE,
	    "{\"metadata\":{\"labels\":{\"touched\":\"yes\"}}}",
	    "application/merge-patch+json", &out), 200);
	free(out);
}

/* Route status: one PUT, then zero requests for the same status (also
 * from the server's answer used as the next cache); a message change is
 * one PUT and keeps lastTransitionTime; a cache older than our own last
 * write is skipped (stale); a cache outdated by someone else costs a
 * conflict and a re-read. */
static void
test_route_write(void **state)
{
	struct env		*e = *state;
	struct lm_parent_status	 p[1];
	struct kube_error	 err;
	struct status_stats	 st;
	cJSON			*r, *older, *out = NULL, *out2 = NULL;
	const cJSON		*c;

	NEED_ENV(e);
	memset(&err, 0, sizeof err);
	p[0] = parent(0, 1, 1, UP_REASON_ACCEPTED, NULL, 0,
	    UP_REASON_BACKEND_NOT_FOUND, "backendRef name: parking");
	r = get(e, ROUTE);
	calls(e);
	assert_int_equal(status_route_write(e->sw, &KUBE_RES_HTTPROUTES, r, p,
	    1, &out, &err), 0);
	assert_int_equal(calls(e), 1);
	cJSON_Delete(r);
	r = get(e, ROUTE);
	assert_non_null(out);
	assert_string_equal(json_path_str(out, "metadata.resourceVersion"),
	    json_path_str(r, "metadata.resourceVersion"));
	/* the server's answer serves as the cache of the next step */
	assert_int_equal(status_route_write(e->sw, &KUBE_RES_HTTPROUTES, out,
	    p, 1, &out2, &err), 0);
	assert_null(out2);
	assert_int_equal(calls(e), 0);
	cJSON_Delete(out);
	assert_true(json_equal(json_path(cJSON_GetArrayItem(json_path(r,
	    "status.parents"), 0), "parentRef"), cJSON_GetArrayItem(
	    json_path(r, "spec.parentRefs"), 0)));
	assert_string_equal(json_path_str(cJSON_GetArrayItem(json_path(r,
	    "status.parents"), 0), "controllerName"), CTL);
	c = pconds(r, 0);
	assert_string_equal(cf(c, "Accepted", "status"), "True");
	assert_string_equal(cf(c, "ResolvedRefs", "reason"), "BackendNotFound");
	assert_string_equal(cf(c, "ResolvedRefs", "lastTransitionTime"), T1);
	assert_int_equal((int)json_num(kube_conditions_find(c, "Accepted"),
	    "observedGeneration", 0), 1);

	/* the second write of the same status makes no request at all */
	e->now = at(1700000100);
	assert_int_equal(status_route_write(e->sw, &KUBE_RES_HTTPROUTES, r, p,
	    1, NULL, &err), 0);
	assert_int_equal(calls(e), 0);
	older = r;

	/* a message change: one PUT, lastTransitionTime preserved */
	r = get(e, ROUTE);
	p[0].resolved_message = "backendRef name: review";
	assert_int_equal(status_route_write(e->sw, &KUBE_RES_HTTPROUTES, r, p,
	    1, NULL, &err), 0);
	assert_int_equal(calls(e), 1);
	cJSON_Delete(r);
	r = get(e, ROUTE);
	assert_string_equal(cf(pconds(r, 0), "ResolvedRefs", "message"),
	    "backendRef name: review");
	assert_string_equal(cf(pconds(r, 0), "ResolvedRefs",
	    "lastTransitionTime"), T1);

	/* outdated by another client: PUT 409, then GET + PUT */
	touch(e);
	p[0].resolved = 1;
	p[0].resolved_reason = UP_REASON_RESOLVED_REFS;
	p[0].resolved_message = NULL;
	assert_int_equal(status_route_write(e->sw, &KUBE_RES_HTTPROUTES, r, p,
	    1, NULL, &err), 0);
	assert_int_equal(calls(e), 3);
	cJSON_Delete(r);

	/* a copy older than our own last write: nothing sent (stale) */
	assert_int_equal(status_route_write(e->sw, &KUBE_RES_HTTPROUTES,
	    older, p, 1, NULL, &err), 0);
	assert_int_equal(calls(e), 0);
	cJSON_Delete(older);

	r = get(e, ROUTE);
	assert_string_equal(json_path_str(r, "metadata.labels.touched"), "yes");
	assert_string_equal(cf(pconds(r, 0), "ResolvedRefs", "status"), "True");
	assert_string_equal(cf(pconds(r, 0), "ResolvedRefs",
	    "lastTransitionTime"), T2);
	assert_string_equal(cf(pconds(r, 0), "Accepted", "lastTransitionTime"),
	    T1);
	assert_int_equal(status_route_write(e->sw, &KUBE_RES_HTTPROUTES, r, p,
	    1, NULL, &err), 0);
	assert_int_equal(calls(e), 0);
	cJSON_Delete(r);
	status_writer_stats(e->sw, &st);
	assert_int_equal(st.conflicts, 1);
	assert_int_equal(st.writes, 4);
	assert_int_equal(st.unchanged, 3);
	assert_int_equal(st.stale, 1);
	assert_int_equal(st.errors, 0);
	kube_error_clear(&err);
}

/* Gateway status round trip through the CRD schema; zero requests the
 * second time. */
static void
test_gateway_write(void **state)
{
	static const char *const kinds[] = { "HTTPRoute" };
	static const char *const addr[] = { "rates-default.vpc-lattice-svcs."
	    "us-west-2.on.aws" };
	struct env		*e = *state;
	struct status_listener	 l;
	struct status_gateway	 g;
	struct kube_error	 err;
	cJSON			*o;

	NEED_ENV(e);
	memset(&err, 0, sizeof err);
	memset(&l, 0, sizeof l);
	l.name = "http";
	l.attached_routes = 1;
	l.kinds = kinds;
	l.nkinds = 1;
	memset(&g, 0, sizeof g);
	g.accepted = 1;
	g.sn = STATUS_SN_FOUND;
	g.sn_arn = "arn:aws:vpc-lattice:us-west-2:123456789012:"
	    "servicenetwork/sn-0123456789abcdef0";
	g.addresses = addr;
	g.naddresses = 1;
	g.listeners = &l;
	g.nlisteners = 1;
	o = get(e, GW);
	calls(e);
	assert_int_equal(status_gateway_write(e->sw, &KUBE_RES_GATEWAYS, o, &g,
	    NULL, &err), 0);
	assert_int_equal(calls(e), 1);
	cJSON_Delete(o);
	o = get(e, GW);
	assert_string_equal(cf(json_path(o, "status.conditions"), "Programmed",
	    "status"), "True");
	assert_int_equal((int)json_num(cJSON_GetArrayItem(json_path(o,
	    "status.listeners"), 0), "attachedRoutes", -1), 1);
	assert_string_equal(json_path_str(cJSON_GetArrayItem(json_path(o,
	    "status.addresses"), 0), "value"), addr[0]);
	assert_int_equal(status_gateway_write(e->sw, &KUBE_RES_GATEWAYS, o, &g,
	    NULL, &err), 0);
	assert_int_equal(calls(e), 0);
	cJSON_Delete(o);
	kube_error_clear(&err);
}

/* Annotations: one merge patch, then nothing; NULL leaves a key alone. */
static void
test_annotations(void **state)
{
	struct env			*e = *state;
	struct status_route_annotations	 a;
	struct kube_error		 err;
	cJSON				*r;

	NEED_ENV(e);
	memset(&err, 0, sizeof err);
	a.dns_name = "rates-default-0a1b2c3d4e5f6a7b8.7d67968.vpc-lattice-svcs."
	    "us-west-2.on.aws";
	a.service_arn = "arn:aws:vpc-lattice:us-west-2:123456789012:service/"
	    "svc-0a1b2c3d4e5f6a7b8";
	r = get(e, ROUTE);
	calls(e);
	assert_int_equal(status_route_annotate(e->sw, &KUBE_RES_HTTPROUTES, r,
	    &a, NULL, &err), 0);
	assert_int_equal(calls(e), 1);
	cJSON_Delete(r);
	r = get(e, ROUTE);
	assert_string_equal(json_str(json_path(r, "metadata.annotations"),
	    UP_ANN_ASSIGNED_DNS), a.dns_name);
	assert_string_equal(json_str(json_path(r, "metadata.annotations"),
	    UP_ANN_SERVICE_ARN), a.service_arn);
	assert_int_equal(status_route_annotate(e->sw, &KUBE_RES_HTTPROUTES, r,
	    &a, NULL, &err), 0);
	a.dns_name = NULL;
	assert_int_equal(status_route_annotate(e->sw, &KUBE_RES_HTTPROUTES, r,
	    &a, NULL, &err), 0);
	assert_int_equal(calls(e), 0);
	cJSON_Delete(r);
	kube_error_clear(&err);
}

/* Finalizers: added once, refused while deleting, removed once; the last
 * removal lets the deletion finish; removing from a gone object is fine. */
static void
test_finalizers(void **state)
{
	struct env		*e = *state;
	struct kube_error	 err;
	cJSON			*r, *stale, *out = NULL;

	NEED_ENV(e);
	memset(&err, 0, sizeof err);
	r = get(e, ROUTE);
	calls(e);
	assert_int_equal(status_finalizer_add(e->sw, &KUBE_RES_HTTPROUTES, r,
	    UP_FIN_HTTPROUTE, &out, &err), 0);
	assert_int_equal(calls(e), 1);
	assert_true(kube_finalizer_has(out, UP_FIN_HTTPROUTE));
	cJSON_Delete(out);
	cJSON_Delete(r);
	r = get(e, ROUTE);
	assert_true(kube_finalizer_has(r, UP_FIN_HTTPROUTE));
	assert_int_equal(status_finalizer_add(e->sw, &KUBE_RES_HTTPROUTES, r,
	    UP_FIN_HTTPROUTE, NULL, &err), 0);
	assert_int_equal(calls(e), 0);
	cJSON_Delete(r);
	assert_int_equal(ksim_req(&e->x, "DELETE", ROUTE, NULL, NULL), 202);
	r = get(e, ROUTE);
	assert_non_null(json_path(r, "metadata.deletionTimestamp"));
	assert_int_equal(status_finalizer_add(e->sw, &KUBE_RES_HTTPROUTES, r,
	    "example.com/other", NULL, &err), -1);
	assert_non_null(strstr(err.message, "being deleted"));
	assert_int_equal(calls(e), 0);
	assert_int_equal(status_finalizer_remove(e->sw, &KUBE_RES_HTTPROUTES, r,
	    UP_FIN_HTTPROUTE, NULL, &err), 0);
	assert_int_equal(calls(e), 1);
	assert_int_equal(ksim_req(&e->x, "GET", ROUTE, NULL, NULL), 404);
	stale = r;
	assert_int_equal(status_finalizer_remove(e->sw, &KUBE_RES_HTTPROUTES,
	    stale, UP_FIN_HTTPROUTE, NULL, &err), 0);
	assert_int_equal(calls(e), 1);
	/* writing the status of a gone route is not an error either */
	assert_int_equal(status_accepted_write(e->sw, &KUBE_RES_HTTPROUTES,
	    stale, UP_REASON_INVALID, "x", NULL, &err), 0);
	cJSON_Delete(stale);
	kube_error_clear(&err);
}

/* A policy's Accepted condition through its CRD; events are recorded. */
static void
test_policy_and_events(void **state)
{
	struct env		*e = *state;
	struct kube_error	 err;
	struct status_stats	 st;
	cJSON			*o;

	NEED_ENV(e);
	memset(&err, 0, sizeof err);
	o = cJSON_Parse("{\"apiVersion\":\"application-networking.k8s.aws/"
	    "v1alpha1\",\"kind\":\"TargetGroupPolicy\",\"metadata\":{\"name\":"
	    "\"tgp\",\"namespace\":\"default\"},\"spec\":{\"targetRef\":{"
	    "\"group\":\"\",\"kind\":\"Service\",\"name\":\"nope\"},"
	    "\"protocol\":\"HTTP\"}}");
	assert_int_equal(env_create(e, "/apis/application-networking.k8s.aws/"
	    "v1alpha1/namespaces/default/targetgrouppolicies", o), 201);
	cJSON_Delete(o);
	o = get(e, "/apis/application-networking.k8s.aws/v1alpha1/namespaces/"
	    "default/targetgrouppolicies/tgp");
	calls(e);
	assert_int_equal(status_accepted_write(e->sw,
	    &KUBE_RES_TARGETGROUPPOLICIES, o, UP_REASON_TARGET_NOT_FOUND,
	    "targetRef not found, target=default/nope", NULL, &err), 0);
	assert_int_equal(calls(e), 1);
	cJSON_Delete(o);
	o = get(e, "/apis/application-networking.k8s.aws/v1alpha1/namespaces/"
	    "default/targetgrouppolicies/tgp");
	assert_string_equal(cf(json_path(o, "status.conditions"), "Accepted",
	    "reason"), "TargetNotFound");
	assert_int_equal(status_accepted_write(e->sw,
	    &KUBE_RES_TARGETGROUPPOLICIES, o, UP_REASON_TARGET_NOT_FOUND,
	    "targetRef not found, target=default/nope", NULL, &err), 0);
	assert_int_equal(calls(e), 0);
	assert_int_equal(status_event(e->sw, o, "Warning",
	    UP_EVENT_FAILED_BUILD_MODEL, "Failed build model due to %s",
	    "no target"), 0);
	status_writer_stats(e->sw, &st);
	assert_int_equal(st.events, 1);
	cJSON_Delete(o);
	kube_error_clear(&err);
}

/* Run the status tests. */
int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_route_apply),
		cmocka_unit_test(test_gateway_apply),
		cmocka_unit_test(test_accepted_apply),
		cmocka_unit_test_setup_teardown(test_route_write, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_gateway_write, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_annotations, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_finalizers, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_policy_and_events, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
