/*
 * Unit tests: the builder, one case per rule of issue 5 item 3 (matches,
 * GRPC, weights, invalid backends, multi-match expansion, priorities,
 * custom domain and certificate, health checks, targets, names,
 * collisions, tags), on inline manifests.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "builder_fixture.h"
#include "testlib.h"

#define CERT	"arn:aws:acm:us-west-2:123456789012:certificate/abc"

static const char base[] =
"apiVersion: gateway.networking.k8s.io/v1\n"
"kind: GatewayClass\n"
"metadata: {name: amazon-vpc-lattice}\n"
"spec: {controllerName: application-networking.k8s.aws/gateway-api-controller}\n"
"---\n"
"apiVersion: gateway.networking.k8s.io/v1\n"
"kind: GatewayClass\n"
"metadata: {name: other}\n"
"spec: {controllerName: example.com/other}\n"
"---\n"
"apiVersion: gateway.networking.k8s.io/v1\n"
"kind: Gateway\n"
"metadata: {name: gw}\n"
"spec:\n"
"  gatewayClassName: amazon-vpc-lattice\n"
"  listeners:\n"
"  - {name: http, protocol: HTTP, port: 80}\n"
"  - name: https\n"
"    protocol: HTTPS\n"
"    port: 443\n"
"    tls:\n"
"      mode: Terminate\n"
"      options: {application-networking.k8s.aws/certificate-arn: \"" CERT "\"}\n"
"---\n"
"apiVersion: gateway.networking.k8s.io/v1\n"
"kind: Gateway\n"
"metadata: {name: gw2}\n"
"spec:\n"
"  gatewayClassName: amazon-vpc-lattice\n"
"  listeners: [{name: http, protocol: HTTP, port: 8080}]\n"
"---\n"
"apiVersion: gateway.networking.k8s.io/v1\n"
"kind: Gateway\n"
"metadata: {name: foreign}\n"
"spec:\n"
"  gatewayClassName: other\n"
"  listeners: [{name: http, protocol: HTTP, port: 80}]\n"
"---\n"
"apiVersion: v1\n"
"kind: Service\n"
"metadata: {name: svc-a}\n"
"spec:\n"
"  ports:\n"
"  - {name: http, port: 80, targetPort: 8080}\n"
"  - {name: metrics, port: 9090, targetPort: 9090}\n"
"---\n"
"apiVersion: v1\n"
"kind: Service\n"
"metadata: {name: svc-b}\n"
"spec: {ports: [{port: 80, targetPort: 8090}]}\n"
"---\n"
"apiVersion: v1\n"
"kind: Service\n"
"metadata: {name: svc-dual}\n"
"spec: {ipFamilies: [IPv4, IPv6], ports: [{port: 80}]}\n";

/* A fixture with the base objects and then text. */
static void
setup(struct fx *fx, const char *text)
{
	char	*cause = NULL;

	fx_init(fx);
	if (fx_load_text(fx, base, &cause) != 0)
		fail_msg("base: %s", cause);
	if (text != NULL && fx_load_text(fx, text, &cause) != 0)
		fail_msg("inline: %s", cause);
}

/* The single HTTP listener of an accepted route. */
static const struct lm_listener *
http80(const struct lm_route_result *res)
{
	const struct lm_listener	*l;

	assert_non_null(res->stack);
	l = fx_listener(res->stack, 80);
	assert_non_null(l);
	return l;
}

/* Every lattice parent rejected with reason; no stack. */
static void
assert_rejected(const struct lm_route_result *res, const char *reason)
{
	size_t	i;

	assert_null(res->stack);
	assert_true(res->ours);
	for (i = 0; i < res->nparents; i++) {
		assert_false(res->parents[i].accepted);
		assert_string_equal(res->parents[i].accepted_reason, reason);
		assert_non_null(res->parents[i].accepted_message);
	}
}

#define ROUTE_HEAD(kind, name) \
	"apiVersion: gateway.networking.k8s.io/v1\n" \
	"kind: " kind "\n" \
	"metadata: {name: " name "}\n"

/* Path exact, method and header matches. */
static void
test_path_method_headers(void **state)
{
	struct fx		 fx;
	struct lm_route_result	 res;
	const struct lm_rule	*r;

	(void)state;
	setup(&fx, ROUTE_HEAD("HTTPRoute", "r")
	    "spec:\n"
	    "  parentRefs: [{name: gw, sectionName: http}]\n"
	    "  rules:\n"
	    "  - matches:\n"
	    "    - path: {type: Exact, value: /exact}\n"
	    "      method: GET\n"
	    "      headers:\n"
	    "      - {name: x-a, value: \"1\"}\n"
	    "      - {name: X-B, value: two}\n"
	    "    backendRefs: [{name: svc-a, port: 80}]\n");
	fx_build(&fx, "HTTPRoute", "r", &res);
	assert_int_equal(http80(&res)->n_rules, 1);
	r = &http80(&res)->rules[0];
	assert_int_equal(r->match.path_kind, LM_PATH_EXACT);
	assert_string_equal(r->match.path, "/exact");
	assert_int_equal(r->match.path_case_sensitive, 1);
	assert_string_equal(r->match.method, "GET");
	assert_int_equal(r->match.n_headers, 2);
	assert_string_equal(r->match.headers[0].name, "x-a");
	assert_string_equal(r->match.headers[0].value, "1");
	assert_int_equal(r->match.headers[0].kind, LM_HEADER_EXACT);
	assert_int_equal(r->match.headers[0].case_sensitive, 0);
	assert_string_equal(r->match.headers[1].name, "X-B");
	assert_string_equal(r->match.headers[1].value, "two");
	assert_int_equal(r->rule_index, 0);
	assert_int_equal(r->match_index, 0);
	lm_route_result_free(&res);
	fx_free(&fx);
}

/* Six header matches: more than Lattice's five. */
static void
test_too_many_headers(void **state)
{
	struct fx		 fx;
	struct lm_route_result	 res;

	(void)state;
	setup(&fx, ROUTE_HEAD("HTTPRoute", "r")
	    "spec:\n"
	    "  parentRefs: [{name: gw}]\n"
	    "  rules:\n"
	    "  - matches:\n"
	    "    - headers: [{name: a, value: \"1\"}, {name: b, value: \"1\"},"
	    " {name: c, value: \"1\"}, {name: d, value: \"1\"},"
	    " {name: e, value: \"1\"}, {name: f, value: \"1\"}]\n"
	    "    backendRefs: [{name: svc-a, port: 80}]\n");
	fx_build(&fx, "HTTPRoute", "r", &res);
	assert_rejected(&res, UP_REASON_UNSUPPORTED_VALUE);
	assert_non_null(strstr(res.parents[0].accepted_message, "header"));
	lm_route_result_free(&res);
	fx_free(&fx);
}

/* GRPC service/method to path matches, method POST. */
static void
test_grpc_matches(void **state)
{
	struct fx		 fx;
	struct lm_route_result	 res;
	const struct lm_listener *l;

	(void)state;
	setup(&fx, ROUTE_HEAD("GRPCRoute", "g")
	    "spec:\n"
	    "  parentRefs: [{name: gw, sectionName: http}]\n"
	    "  rules:\n"
	    "  - matches: [{method: {service: pkg.Svc, method: Get}}]\n"
	    "    backendRefs: [{name: svc-a, port: 80}]\n"
	    "  - matches:\n"
	    "    - method: {service: pkg.Svc}\n"
	    "      headers: [{name: tenant, value: acme}]\n"
	    "    backendRefs: [{name: svc-a, port: 80}]\n"
	    "  - backendRefs: [{name: svc-b, port: 80}]\n");
	fx_build(&fx, "GRPCRoute", "g", &res);
	l = http80(&res);
	assert_int_equal(l->n_rules, 3);
	assert_string_equal(l->rules[0].match.method, "POST");
	assert_int_equal(l->rules[0].match.path_kind, LM_PATH_EXACT);
	assert_string_equal(l->rules[0].match.path, "/pkg.Svc/Get");
	assert_string_equal(l->rules[1].match.method, "POST");
	assert_int_equal(l->rules[1].match.path_kind, LM_PATH_PREFIX);
	assert_string_equal(l->rules[1].match.path, "/pkg.Svc/");
	assert_int_equal(l->rules[1].match.n_headers, 1);
	assert_string_equal(l->rules[1].match.headers[0].name, "tenant");
	assert_string_equal(l->rules[2].match.method, "POST");
	assert_int_equal(l->rules[2].match.path_kind, LM_PATH_PREFIX);
	assert_string_equal(l->rules[2].match.path, "/");
	assert_string_equal(l->rules[2].action.tgs[0].tg_key,
	    "svc/default/svc-b/80");
	assert_string_equal(fx_tg(res.stack, "svc/default/svc-a/80")->
	    protocol_version, "GRPC");
	lm_route_result_free(&res);
	fx_free(&fx);
}

/* A GRPC method without a service cannot be expressed. */
static void
test_grpc_method_without_service(void **state)
{
	struct fx		 fx;
	struct lm_route_result	 res;

	(void)state;
	setup(&fx, ROUTE_HEAD("GRPCRoute", "g")
	    "spec:\n"
	    "  parentRefs: [{name: gw, sectionName: http}]\n"
	    "  rules:\n"
	    "  - matches: [{method: {method: Get}}, {method: {service: s.S}}]\n"
	    "    backendRefs: [{name: svc-a, port: 80}]\n");
	fx_build(&fx, "GRPCRoute", "g", &res);
	if (res.stack == NULL) {
		/* gwapi flags it: the route is UnsupportedValue */
		assert_rejected(&res, UP_REASON_UNSUPPORTED_VALUE);
	} else {
		/* else the builder drops that match and keeps the other */
		assert_int_equal(http80(&res)->n_rules, 1);
		assert_string_equal(http80(&res)->rules[0].match.path, "/s.S/");
		assert_true(fx_warned(&res, "cannot be expressed"));
	}
	lm_route_result_free(&res);
	fx_free(&fx);
}

/* Default weight 1, weight 0 kept, large weights scaled. */
static void
test_weights(void **state)
{
	struct fx		 fx;
	struct lm_route_result	 res;
	const struct lm_listener *l;

	(void)state;
	setup(&fx, ROUTE_HEAD("HTTPRoute", "w")
	    "spec:\n"
	    "  parentRefs: [{name: gw, sectionName: http}]\n"
	    "  rules:\n"
	    "  - matches: [{path: {value: /default}}]\n"
	    "    backendRefs: [{name: svc-a, port: 80}, "
	    "{name: svc-b, port: 80, weight: 0}]\n"
	    "  - matches: [{path: {value: /big}}]\n"
	    "    backendRefs: [{name: svc-a, port: 80, weight: 5000}, "
	    "{name: svc-b, port: 80, weight: 1000}]\n");
	fx_build(&fx, "HTTPRoute", "w", &res);
	l = http80(&res);
	assert_int_equal(l->rules[0].action.n_tgs, 2);
	assert_int_equal(l->rules[0].action.tgs[0].weight, 1);
	assert_int_equal(l->rules[0].action.tgs[1].weight, 0);
	assert_int_equal(l->rules[1].action.tgs[0].weight, 999);
	assert_int_equal(l->rules[1].action.tgs[1].weight, 199);
	assert_true(fx_warned(&res, "scaled"));
	lm_route_result_free(&res);
	fx_free(&fx);
}

/* Invalid backends are dropped; a rule left with none answers 500. */
static void
test_invalid_backends(void **state)
{
	struct fx		 fx;
	struct lm_route_result	 res;
	const struct lm_listener *l;

	(void)state;
	setup(&fx, ROUTE_HEAD("HTTPRoute", "i")
	    "spec:\n"
	    "  parentRefs: [{name: gw, sectionName: http}]\n"
	    "  rules:\n"
	    "  - matches: [{path: {value: /some}}]\n"
	    "    backendRefs: [{name: svc-a, port: 80, weight: 3}, "
	    "{name: missing, port: 80, weight: 7}]\n"
	    "  - matches: [{path: {value: /none}}]\n"
	    "    backendRefs: [{name: missing, port: 80}, "
	    "{name: cm, kind: ConfigMap, group: \"\"}]\n"
	    "  - matches: [{path: {value: /empty}}]\n");
	fx_build(&fx, "HTTPRoute", "i", &res);
	l = http80(&res);
	assert_int_equal(l->n_rules, 3);
	assert_int_equal(l->rules[0].action.kind, LM_ACTION_FORWARD);
	assert_int_equal(l->rules[0].action.n_tgs, 1);
	assert_string_equal(l->rules[0].action.tgs[0].tg_key,
	    "svc/default/svc-a/80");
	assert_int_equal(l->rules[0].action.tgs[0].weight, 3);
	assert_int_equal(l->rules[1].action.kind, LM_ACTION_FIXED);
	assert_int_equal(l->rules[1].action.status_code, 500);
	assert_int_equal(l->rules[2].action.kind, LM_ACTION_FIXED);
	assert_int_equal(l->rules[2].action.status_code, 500);
	assert_int_equal(res.stack->n_tgs, 1);
	assert_true(res.parents[0].accepted);
	assert_false(res.parents[0].resolved);
	assert_string_equal(res.parents[0].resolved_reason,
	    UP_REASON_BACKEND_NOT_FOUND);
	assert_true(fx_warned(&res, "dropped"));
	lm_route_result_free(&res);
	fx_free(&fx);
}

/* A rule with several matches becomes several Lattice rules. */
static void
test_multi_match_expansion(void **state)
{
	struct fx		 fx;
	struct lm_route_result	 res;
	const struct lm_listener *l;

	(void)state;
	setup(&fx, ROUTE_HEAD("HTTPRoute", "m")
	    "spec:\n"
	    "  parentRefs: [{name: gw, sectionName: http}]\n"
	    "  rules:\n"
	    "  - matches: [{path: {value: /a}}, {path: {type: Exact, value: /b},"
	    " method: PUT}]\n"
	    "    backendRefs: [{name: svc-a, port: 80}]\n"
	    "  - matches: [{path: {value: /c}}]\n"
	    "    backendRefs: [{name: svc-b, port: 80}]\n");
	fx_build(&fx, "HTTPRoute", "m", &res);
	l = http80(&res);
	assert_int_equal(l->n_rules, 3);
	assert_int_equal(l->rules[0].priority, 1);
	assert_string_equal(l->rules[0].match.path, "/a");
	assert_int_equal(l->rules[0].match_index, 0);
	assert_int_equal(l->rules[1].priority, 2);
	assert_string_equal(l->rules[1].match.path, "/b");
	assert_string_equal(l->rules[1].match.method, "PUT");
	assert_int_equal(l->rules[1].rule_index, 0);
	assert_int_equal(l->rules[1].match_index, 1);
	assert_string_equal(l->rules[1].action.tgs[0].tg_key,
	    "svc/default/svc-a/80");
	assert_int_equal(l->rules[2].priority, 3);
	assert_int_equal(l->rules[2].rule_index, 1);
	assert_string_not_equal(l->rules[0].name, l->rules[1].name);
	lm_route_result_free(&res);
	fx_free(&fx);
}

/* Annotated rules first with their value, then last + 1. */
static void
test_priority_annotations(void **state)
{
	struct fx		 fx;
	struct lm_route_result	 res;
	const struct lm_listener *l;

	(void)state;
	setup(&fx, "apiVersion: gateway.networking.k8s.io/v1\n"
	    "kind: HTTPRoute\n"
	    "metadata:\n"
	    "  name: p\n"
	    "  annotations:\n"
	    "    application-networking.k8s.aws/rule-0-priority: \"10\"\n"
	    "    application-networking.k8s.aws/rule-2-priority: \"5\"\n"
	    "spec:\n"
	    "  parentRefs: [{name: gw, sectionName: http}]\n"
	    "  rules:\n"
	    "  - matches: [{path: {value: /zero}}, {path: {value: /zero2}}]\n"
	    "  - matches: [{path: {value: /one}}]\n"
	    "  - matches: [{path: {value: /two}}]\n");
	fx_build(&fx, "HTTPRoute", "p", &res);
	l = http80(&res);
	assert_int_equal(l->n_rules, 4);
	/* rule 0 -> 10, its 2nd match 11, rule 2 -> 5, rule 1 -> 5+... */
	assert_string_equal(l->rules[0].match.path, "/two");
	assert_int_equal(l->rules[0].priority, 5);
	assert_string_equal(l->rules[1].match.path, "/one");
	assert_int_equal(l->rules[1].priority, 6);
	assert_string_equal(l->rules[2].match.path, "/zero");
	assert_int_equal(l->rules[2].priority, 10);
	assert_string_equal(l->rules[3].match.path, "/zero2");
	assert_int_equal(l->rules[3].priority, 11);
	lm_route_result_free(&res);
	fx_free(&fx);
}

/* Equal annotated priorities are made strictly increasing. */
static void
test_priority_collision(void **state)
{
	struct fx		 fx;
	struct lm_route_result	 res;
	const struct lm_listener *l;

	(void)state;
	setup(&fx, "apiVersion: gateway.networking.k8s.io/v1\n"
	    "kind: HTTPRoute\n"
	    "metadata:\n"
	    "  name: p\n"
	    "  annotations:\n"
	    "    application-networking.k8s.aws/rule-0-priority: \"2\"\n"
	    "    application-networking.k8s.aws/rule-1-priority: \"2\"\n"
	    "spec:\n"
	    "  parentRefs: [{name: gw, sectionName: http}]\n"
	    "  rules:\n"
	    "  - matches: [{path: {value: /a}}]\n"
	    "  - matches: [{path: {value: /b}}]\n"
	    "  - matches: [{path: {value: /c}}]\n");
	fx_build(&fx, "HTTPRoute", "p", &res);
	l = http80(&res);
	assert_int_equal(l->n_rules, 3);
	assert_string_equal(l->rules[0].match.path, "/a");
	assert_int_equal(l->rules[0].priority, 2);
	assert_string_equal(l->rules[1].match.path, "/b");
	assert_int_equal(l->rules[1].priority, 3);
	assert_string_equal(l->rules[2].match.path, "/c");
	assert_int_equal(l->rules[2].priority, 4);
	assert_true(fx_warned(&res, "priority 2 taken"));
	lm_route_result_free(&res);
	fx_free(&fx);
}

/* hostnames[0] becomes the custom domain; the HTTPS listener's
 * certificate-arn option the certificate; both listeners get rules. */
static void
test_custom_domain_and_cert(void **state)
{
	struct fx		 fx;
	struct lm_route_result	 res;
	const struct lm_listener *l;

	(void)state;
	setup(&fx, ROUTE_HEAD("HTTPRoute", "d")
	    "spec:\n"
	    "  hostnames: [api.example.com, www.example.com]\n"
	    "  parentRefs: [{name: gw}]\n"
	    "  rules: [{backendRefs: [{name: svc-a, port: 80}]}]\n");
	fx_build(&fx, "HTTPRoute", "d", &res);
	assert_non_null(res.stack);
	assert_string_equal(res.stack->service->custom_domain,
	    "api.example.com");
	assert_string_equal(res.stack->service->certificate_arn, CERT);
	assert_int_equal(res.stack->n_listeners, 2);
	l = fx_listener(res.stack, 443);
	assert_non_null(l);
	assert_string_equal(l->name, "d-default-443-https");
	assert_int_equal(l->protocol, LM_PROTO_HTTPS);
	assert_int_equal(l->n_rules, 1);
	assert_string_not_equal(l->rules[0].name, http80(&res)->rules[0].name);
	lm_route_result_free(&res);
	fx_free(&fx);
}

/* Health-check defaults per protocol version, TargetGroupPolicy
 * overrides and protocol. */
static void
test_health_checks(void **state)
{
	struct fx		 fx;
	struct lm_route_result	 res;
	const struct lm_target_group *a, *b;

	(void)state;
	setup(&fx, "apiVersion: application-networking.k8s.aws/v1alpha1\n"
	    "kind: TargetGroupPolicy\n"
	    "metadata: {name: tgp-a}\n"
	    "spec:\n"
	    "  targetRef: {group: \"\", kind: Service, name: svc-a}\n"
	    "  protocolVersion: HTTP2\n"
	    "---\n"
	    "apiVersion: application-networking.k8s.aws/v1alpha1\n"
	    "kind: TargetGroupPolicy\n"
	    "metadata: {name: tgp-b}\n"
	    "spec:\n"
	    "  targetRef: {group: \"\", kind: Service, name: svc-b}\n"
	    "  protocol: HTTPS\n"
	    "  healthCheck:\n"
	    "    enabled: true\n"
	    "    path: /healthz\n"
	    "    intervalSeconds: 10\n"
	    "    timeoutSeconds: 3\n"
	    "    healthyThresholdCount: 3\n"
	    "    unhealthyThresholdCount: 4\n"
	    "    statusMatch: \"200-299\"\n"
	    "    port: 8081\n"
	    "---\n"
	    ROUTE_HEAD("HTTPRoute", "h")
	    "spec:\n"
	    "  parentRefs: [{name: gw, sectionName: http}]\n"
	    "  rules: [{backendRefs: [{name: svc-a, port: 80}, "
	    "{name: svc-b, port: 80}]}]\n");
	fx_build(&fx, "HTTPRoute", "h", &res);
	a = fx_tg(res.stack, "svc/default/svc-a/80");
	b = fx_tg(res.stack, "svc/default/svc-b/80");
	assert_non_null(a);
	assert_non_null(b);
	assert_string_equal(a->protocol, "HTTP");
	assert_string_equal(a->protocol_version, "HTTP2");
	assert_false(a->health_check.enabled);
	assert_string_equal(a->health_check.protocol_version, "HTTP2");
	assert_string_equal(fx_tag(&a->tags, UP_TAG_PROTOCOL_VERSION), "HTTP2");
	assert_string_equal(b->protocol, "HTTPS");
	assert_string_equal(b->protocol_version, "HTTP1");
	assert_true(b->health_check.enabled);
	assert_string_equal(b->health_check.path, "/healthz");
	assert_int_equal(b->health_check.interval_seconds, 10);
	assert_int_equal(b->health_check.timeout_seconds, 3);
	assert_int_equal(b->health_check.healthy_threshold, 3);
	assert_int_equal(b->health_check.unhealthy_threshold, 4);
	assert_string_equal(b->health_check.matcher, "200-299");
	assert_int_equal(b->health_check.port, 8081);
	/* a policy changes the TG's identity, hence its name */
	assert_string_not_equal(a->name, b->name);
	lm_route_result_free(&res);
	fx_free(&fx);
}

static const char svc_a_slices[] =
"apiVersion: discovery.k8s.io/v1\n"
"kind: EndpointSlice\n"
"metadata:\n"
"  name: svc-a-1\n"
"  labels: {kubernetes.io/service-name: svc-a}\n"
"addressType: IPv4\n"
"ports: [{name: http, port: 8080}, {name: metrics, port: 9090}]\n"
"endpoints:\n"
"- addresses: [10.1.0.2, 10.1.0.1]\n"
"  conditions: {ready: true}\n"
"- addresses: [10.1.0.3]\n"
"  conditions: {ready: false}\n"
"---\n"
"apiVersion: discovery.k8s.io/v1\n"
"kind: EndpointSlice\n"
"metadata:\n"
"  name: svc-a-6\n"
"  labels: {kubernetes.io/service-name: svc-a}\n"
"addressType: IPv6\n"
"ports: [{name: http, port: 8080}]\n"
"endpoints: [{addresses: [\"fd00::1\"]}]\n"
"---\n"
"apiVersion: discovery.k8s.io/v1\n"
"kind: EndpointSlice\n"
"metadata:\n"
"  name: other-1\n"
"  labels: {kubernetes.io/service-name: svc-b}\n"
"addressType: IPv4\n"
"ports: [{port: 8090}]\n"
"endpoints: [{addresses: [10.2.0.1]}]\n";

/* Targets: the slice port named like the Service port, ready
 * endpoints, the TG's address family only. */
static void
test_targets_named_ports(void **state)
{
	struct fx		 fx;
	struct lm_route_result	 res;
	const struct lm_target_group *http, *metrics;

	(void)state;
	setup(&fx, svc_a_slices);
	(void)fx_load_text(&fx, ROUTE_HEAD("HTTPRoute", "t")
	    "spec:\n"
	    "  parentRefs: [{name: gw, sectionName: http}]\n"
	    "  rules:\n"
	    "  - matches: [{path: {value: /}}]\n"
	    "    backendRefs: [{name: svc-a, port: 80}]\n"
	    "  - matches: [{path: {value: /metrics}}]\n"
	    "    backendRefs: [{name: svc-a, port: 9090}]\n", NULL);
	fx_build(&fx, "HTTPRoute", "t", &res);
	http = fx_tg(res.stack, "svc/default/svc-a/80");
	metrics = fx_tg(res.stack, "svc/default/svc-a/9090");
	assert_non_null(http);
	assert_non_null(metrics);
	assert_int_equal(http->n_targets, 2);
	assert_string_equal(http->targets[0].ip, "10.1.0.1");
	assert_int_equal(http->targets[0].port, 8080);
	assert_string_equal(http->targets[1].ip, "10.1.0.2");
	assert_int_equal(http->targets[1].port, 8080);
	assert_int_equal(metrics->n_targets, 2);
	assert_int_equal(metrics->targets[0].port, 9090);
	assert_string_not_equal(http->name, metrics->name);
	lm_route_result_free(&res);
	fx_free(&fx);
}

/* Truncated default names and the override annotation. */
static void
test_names_and_override(void **state)
{
	struct fx		 fx;
	struct lm_route_result	 res;

	(void)state;
	setup(&fx, ROUTE_HEAD("HTTPRoute", "a-really-long-route-name-for-tests")
	    "spec:\n"
	    "  parentRefs: [{name: gw, sectionName: http}]\n"
	    "  rules: [{backendRefs: [{name: svc-a, port: 80}]}]\n"
	    "---\n"
	    "apiVersion: gateway.networking.k8s.io/v1\n"
	    "kind: HTTPRoute\n"
	    "metadata:\n"
	    "  name: o\n"
	    "  annotations:\n"
	    "    application-networking.k8s.aws/service-name-override: my-svc\n"
	    "spec:\n"
	    "  parentRefs: [{name: gw, sectionName: http}]\n"
	    "  rules: [{backendRefs: [{name: svc-a, port: 80}]}]\n");
	fx_build(&fx, "HTTPRoute", "a-really-long-route-name-for-tests", &res);
	assert_string_equal(res.stack->service->name,
	    "a-really-long-route-default");
	assert_string_equal(http80(&res)->name,
	    "a-really-long-route-default-80-http");
	lm_route_result_free(&res);
	fx_build(&fx, "HTTPRoute", "o", &res);
	assert_string_equal(res.stack->service->name, "my-svc");
	assert_string_equal(http80(&res)->name, "my-svc-80-http");
	lm_route_result_free(&res);
	fx_free(&fx);
}

/* "svc-..." stays an invalid Lattice name: UnsupportedValue. */
static void
test_invalid_service_name(void **state)
{
	struct fx		 fx;
	struct lm_route_result	 res;

	(void)state;
	setup(&fx, ROUTE_HEAD("HTTPRoute", "svc-x")
	    "spec:\n"
	    "  parentRefs: [{name: gw, sectionName: http}]\n"
	    "  rules: [{backendRefs: [{name: svc-a, port: 80}]}]\n");
	fx_build(&fx, "HTTPRoute", "svc-x", &res);
	assert_rejected(&res, UP_REASON_UNSUPPORTED_VALUE);
	lm_route_result_free(&res);
	fx_free(&fx);
}

#define LONG_ROUTE(name, ts) \
	"apiVersion: gateway.networking.k8s.io/v1\n" \
	"kind: HTTPRoute\n" \
	"metadata:\n" \
	"  name: " name "\n" \
	ts \
	"spec:\n" \
	"  parentRefs: [{name: gw, sectionName: http}]\n" \
	"  rules: [{backendRefs: [{name: svc-a, port: 80}]}]\n"

/* Two routes truncating to one service name: the later one (by
 * creationTimestamp) is Conflicted, the earlier one builds. */
static void
test_collision_by_time(void **state)
{
	struct fx		 fx;
	struct lm_route_result	 res;

	(void)state;
	setup(&fx, LONG_ROUTE("inventory-service-route-v1",
	    "  creationTimestamp: \"2024-05-02T10:00:00Z\"\n")
	    "---\n"
	    LONG_ROUTE("inventory-service-route-v2",
	    "  creationTimestamp: \"2024-05-01T10:00:00Z\"\n"));
	fx_build(&fx, "HTTPRoute", "inventory-service-route-v1", &res);
	assert_rejected(&res, UP_REASON_CONFLICTED);
	assert_non_null(strstr(res.parents[0].accepted_message,
	    "inventory-service-route-v2"));
	lm_route_result_free(&res);
	fx_build(&fx, "HTTPRoute", "inventory-service-route-v2", &res);
	assert_non_null(res.stack);
	assert_true(res.parents[0].accepted);
	assert_string_equal(res.stack->service->name,
	    "inventory-service-ro-default");
	lm_route_result_free(&res);
	fx_free(&fx);
}

/* Without timestamps the namespace/name order decides; a route of a
 * foreign class does not count. */
static void
test_collision_by_name(void **state)
{
	struct fx		 fx;
	struct lm_route_result	 res;

	(void)state;
	setup(&fx, LONG_ROUTE("inventory-service-route-b", "")
	    "---\n" LONG_ROUTE("inventory-service-route-a", "")
	    "---\n"
	    "apiVersion: gateway.networking.k8s.io/v1\n"
	    "kind: HTTPRoute\n"
	    "metadata: {name: inventory-service-route-0}\n"
	    "spec:\n"
	    "  parentRefs: [{name: foreign}]\n"
	    "  rules: [{backendRefs: [{name: svc-a, port: 80}]}]\n");
	fx_build(&fx, "HTTPRoute", "inventory-service-route-a", &res);
	assert_non_null(res.stack);
	lm_route_result_free(&res);
	fx_build(&fx, "HTTPRoute", "inventory-service-route-b", &res);
	assert_rejected(&res, UP_REASON_CONFLICTED);
	lm_route_result_free(&res);
	/* the foreign route is not ours at all */
	fx_build(&fx, "HTTPRoute", "inventory-service-route-0", &res);
	assert_false(res.ours);
	assert_null(res.stack);
	lm_route_result_free(&res);
	fx_free(&fx);
}

/* User tags from the annotation on every resource; system tags win. */
static void
test_user_tags(void **state)
{
	struct fx		 fx;
	struct lm_route_result	 res;
	const struct lm_listener *l;

	(void)state;
	setup(&fx, "apiVersion: gateway.networking.k8s.io/v1\n"
	    "kind: HTTPRoute\n"
	    "metadata:\n"
	    "  name: tg\n"
	    "  annotations:\n"
	    "    application-networking.k8s.aws/tags: \"team=blue, env=prod\"\n"
	    "spec:\n"
	    "  parentRefs: [{name: gw, sectionName: http}]\n"
	    "  rules: [{backendRefs: [{name: svc-a, port: 80}]}]\n");
	fx_build(&fx, "HTTPRoute", "tg", &res);
	l = http80(&res);
	assert_string_equal(fx_tag(&res.stack->service->tags, "team"), "blue");
	assert_string_equal(fx_tag(&res.stack->service->tags, "env"), "prod");
	assert_string_equal(fx_tag(&l->tags, "team"), "blue");
	assert_string_equal(fx_tag(&l->rules[0].tags, "env"), "prod");
	assert_string_equal(fx_tag(&res.stack->tgs[0].tags, "team"), "blue");
	assert_string_equal(fx_tag(&res.stack->tgs[0].tags, UP_TAG_MANAGED_BY),
	    "123456789012/c1/vpc-0c1");
	lm_route_result_free(&res);
	fx_free(&fx);
}

/* A dual-stack Service is refused as upstream does. */
static void
test_dual_stack(void **state)
{
	struct fx		 fx;
	struct lm_route_result	 res;

	(void)state;
	setup(&fx, ROUTE_HEAD("HTTPRoute", "ds")
	    "spec:\n"
	    "  parentRefs: [{name: gw, sectionName: http}]\n"
	    "  rules: [{backendRefs: [{name: svc-dual, port: 80}]}]\n");
	fx_build(&fx, "HTTPRoute", "ds", &res);
	assert_rejected(&res, UP_REASON_UNSUPPORTED_VALUE);
	assert_string_equal(res.parents[0].accepted_message, UP_MSG_DUAL_STACK);
	lm_route_result_free(&res);
	fx_free(&fx);
}

/* A route being deleted wants nothing; statuses are still produced. */
static void
test_deleting(void **state)
{
	struct fx		 fx;
	struct lm_route_result	 res;

	(void)state;
	setup(&fx, "apiVersion: gateway.networking.k8s.io/v1\n"
	    "kind: HTTPRoute\n"
	    "metadata:\n"
	    "  name: gone\n"
	    "  deletionTimestamp: \"2024-05-01T10:00:00Z\"\n"
	    "  finalizers: [httproute.k8s.aws/resources]\n"
	    "spec:\n"
	    "  parentRefs: [{name: gw}]\n"
	    "  rules: [{backendRefs: [{name: svc-a, port: 80}]}]\n");
	fx_build(&fx, "HTTPRoute", "gone", &res);
	assert_true(res.ours);
	assert_null(res.stack);
	assert_int_equal(res.nparents, 1);
	lm_route_result_free(&res);
	fx_free(&fx);
}

/* Two lattice parents: both service networks, listeners of the first;
 * ENABLE_SERVICE_NETWORK_OVERRIDE maps both to the default network. */
static void
test_service_networks(void **state)
{
	struct fx		 fx;
	struct lm_route_result	 res;

	(void)state;
	setup(&fx, ROUTE_HEAD("HTTPRoute", "two")
	    "spec:\n"
	    "  parentRefs: [{name: gw2}, {name: gw, sectionName: http}]\n"
	    "  rules: [{backendRefs: [{name: svc-a, port: 80}]}]\n");
	fx_build(&fx, "HTTPRoute", "two", &res);
	assert_int_equal(res.stack->service->n_sn_names, 2);
	assert_string_equal(res.stack->service->sn_names[0], "gw");
	assert_string_equal(res.stack->service->sn_names[1], "gw2");
	assert_int_equal(res.stack->n_listeners, 1);
	assert_int_equal(res.stack->listeners[0].port, 8080);
	lm_route_result_free(&res);
	fx.cfg.default_sn = "shared-sn";
	fx.cfg.sn_override = 1;
	fx_build(&fx, "HTTPRoute", "two", &res);
	assert_int_equal(res.stack->service->n_sn_names, 1);
	assert_string_equal(res.stack->service->sn_names[0], "shared-sn");
	lm_route_result_free(&res);
	fx_free(&fx);
}

/* Same inputs, byte-identical model (names included). */
static void
test_deterministic(void **state)
{
	struct fx		 fx;
	struct lm_route_result	 a, b;
	char			*ja, *jb;
	cJSON			*x, *y;

	(void)state;
	setup(&fx, svc_a_slices);
	(void)fx_load_text(&fx, ROUTE_HEAD("HTTPRoute", "det")
	    "spec:\n"
	    "  parentRefs: [{name: gw}]\n"
	    "  rules:\n"
	    "  - matches: [{path: {value: /x}}, {headers: [{name: h, "
	    "value: v}]}]\n"
	    "    backendRefs: [{name: svc-a, port: 80}, {name: svc-b, "
	    "port: 80}]\n", NULL);
	fx_build(&fx, "HTTPRoute", "det", &a);
	fx_build(&fx, "HTTPRoute", "det", &b);
	x = lm_stack_to_json(a.stack);
	y = lm_stack_to_json(b.stack);
	ja = cJSON_PrintUnformatted(x);
	jb = cJSON_PrintUnformatted(y);
	assert_string_equal(ja, jb);
	assert_non_null(strstr(ja, "\"name\":\"det-default-443-https\""));
	free(ja);
	free(jb);
	cJSON_Delete(x);
	cJSON_Delete(y);
	lm_route_result_free(&a);
	lm_route_result_free(&b);
	fx_free(&fx);
}

/* Run the per-rule builder tests. */
int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_path_method_headers),
		cmocka_unit_test(test_too_many_headers),
		cmocka_unit_test(test_grpc_matches),
		cmocka_unit_test(test_grpc_method_without_service),
		cmocka_unit_test(test_weights),
		cmocka_unit_test(test_invalid_backends),
		cmocka_unit_test(test_multi_match_expansion),
		cmocka_unit_test(test_priority_annotations),
		cmocka_unit_test(test_priority_collision),
		cmocka_unit_test(test_custom_domain_and_cert),
		cmocka_unit_test(test_health_checks),
		cmocka_unit_test(test_targets_named_ports),
		cmocka_unit_test(test_names_and_override),
		cmocka_unit_test(test_invalid_service_name),
		cmocka_unit_test(test_collision_by_time),
		cmocka_unit_test(test_collision_by_name),
		cmocka_unit_test(test_user_tags),
		cmocka_unit_test(test_dual_stack),
		cmocka_unit_test(test_deleting),
		cmocka_unit_test(test_service_networks),
		cmocka_unit_test(test_deterministic),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
