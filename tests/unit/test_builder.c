/*
 * Unit tests: the builder against the reference examples, one case per
 * manifest that holds routes (plus the ServiceExport manifests), each
 * built with the example's Gateway, Service and import objects.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "builder_fixture.h"
#include "testlib.h"

#define GWCLASS	"controller-installation/gatewayclass.yaml"

/* Load reference files (NULL-terminated) into a fresh fixture; skips the
 * test when the reference directory is missing. */
static void
load(struct fx *fx, ...)
{
	const char	*ref = test_reference_dir(), *rel;
	char		*cause = NULL;
	va_list		 ap;

	if (ref == NULL) {
		printf("SKIP: reference directory not found\n");
		skip();
	}
	fx_init(fx);
	if (fx_load_ref(fx, ref, GWCLASS, &cause) != 0)
		fail_msg("%s: %s", GWCLASS, cause);
	va_start(ap, fx);
	while ((rel = va_arg(ap, const char *)) != NULL) {
		if (fx_load_ref(fx, ref, rel, &cause) != 0)
			fail_msg("%s: %s", rel, cause);
	}
	va_end(ap);
}

/* Add inline manifests to the fixture. */
static void
load_text(struct fx *fx, const char *text)
{
	char	*cause = NULL;

	if (fx_load_text(fx, text, &cause) != 0)
		fail_msg("inline: %s", cause);
}

/* Assert the owned route TG: name prefix, port 80, protocol, version,
 * VPC, health check enabled state and its identity tags. */
static void
check_route_tg(const struct lm_target_group *tg, const char *svc,
    const char *route, const char *source, const char *proto,
    const char *version, int hc_enabled)
{
	char	prefix[128];

	assert_non_null(tg);
	assert_int_equal(tg->kind, LM_TG_OWNED);
	snprintf(prefix, sizeof prefix, "k8s-default-%s-", svc);
	assert_int_equal(strncmp(tg->name, prefix, strlen(prefix)), 0);
	assert_int_equal(strlen(tg->name), strlen(prefix) + 10);
	assert_string_equal(tg->type, "IP");
	assert_int_equal(tg->port, 80);
	assert_string_equal(tg->protocol, proto);
	if (version == NULL)
		assert_null(tg->protocol_version);
	else
		assert_string_equal(tg->protocol_version, version);
	assert_string_equal(tg->vpc_id, "vpc-0c1");
	assert_string_equal(tg->ip_address_type, "IPV4");
	assert_int_equal(tg->health_check.enabled, hc_enabled);
	assert_string_equal(fx_tag(&tg->tags, UP_TAG_MANAGED_BY),
	    "123456789012/c1/vpc-0c1");
	assert_string_equal(fx_tag(&tg->tags, UP_TAG_CLUSTER_NAME), "c1");
	assert_string_equal(fx_tag(&tg->tags, UP_TAG_SERVICE_NAME), svc);
	assert_string_equal(fx_tag(&tg->tags, UP_TAG_SERVICE_NAMESPACE),
	    "default");
	assert_string_equal(fx_tag(&tg->tags, UP_TAG_ROUTE_NAME), route);
	assert_string_equal(fx_tag(&tg->tags, UP_TAG_ROUTE_NAMESPACE),
	    "default");
	assert_string_equal(fx_tag(&tg->tags, UP_TAG_SOURCE_TYPE), source);
	assert_string_equal(fx_tag(&tg->tags, UP_TAG_PROTOCOL_VERSION),
	    version != NULL ? version : "");
}

/* Assert the service: name, tags, networks. */
static void
check_service(const struct lm_stack *s, const char *name, const char *route,
    const char *type, const char *sn)
{
	const struct lm_service	*svc;

	assert_non_null(s);
	svc = s->service;
	assert_non_null(svc);
	assert_string_equal(svc->name, name);
	assert_string_equal(fx_tag(&svc->tags, UP_TAG_MANAGED_BY),
	    "123456789012/c1/vpc-0c1");
	assert_string_equal(fx_tag(&svc->tags, UP_TAG_ROUTE_NAME), route);
	assert_string_equal(fx_tag(&svc->tags, UP_TAG_ROUTE_NAMESPACE),
	    "default");
	assert_string_equal(fx_tag(&svc->tags, UP_TAG_ROUTE_TYPE), type);
	if (sn == NULL) {
		assert_true(svc->standalone);
		assert_int_equal(svc->n_sn_names, 0);
	} else {
		assert_false(svc->standalone);
		assert_int_equal(svc->n_sn_names, 1);
		assert_string_equal(svc->sn_names[0], sn);
	}
}

/* Assert a rule: priority, path, method, forward keys and weights
 * (key NULL: fixed status w). */
static void
check_rule(const struct lm_rule *r, int prio, enum lm_path_kind pk,
    const char *path, const char *method, const char *key1, int w1,
    const char *key2, int w2)
{
	assert_int_equal(r->priority, prio);
	assert_int_equal(r->match.path_kind, pk);
	assert_string_equal(r->match.path, path);
	assert_int_equal(r->match.path_case_sensitive, 1);
	if (method == NULL)
		assert_null(r->match.method);
	else
		assert_string_equal(r->match.method, method);
	if (key1 == NULL) {
		assert_int_equal(r->action.kind, LM_ACTION_FIXED);
		assert_int_equal(r->action.status_code, w1);
		return;
	}
	assert_int_equal(r->action.kind, LM_ACTION_FORWARD);
	assert_int_equal(r->action.n_tgs, key2 != NULL ? 2 : 1);
	assert_string_equal(r->action.tgs[0].tg_key, key1);
	assert_int_equal(r->action.tgs[0].weight, w1);
	if (key2 != NULL) {
		assert_string_equal(r->action.tgs[1].tg_key, key2);
		assert_int_equal(r->action.tgs[1].weight, w2);
	}
	assert_string_equal(fx_tag(&r->tags, UP_TAG_MANAGED_BY),
	    "123456789012/c1/vpc-0c1");
	assert_int_equal(strncmp(r->name, "k8s-", 4), 0);
}

/* Assert an HTTP/HTTPS listener with fixed 404 default and n rules. */
static const struct lm_listener *
check_listener(const struct lm_stack *s, int port, const char *name,
    enum lm_listener_proto proto, size_t nrules)
{
	const struct lm_listener	*l = fx_listener(s, port);

	assert_non_null(l);
	assert_string_equal(l->name, name);
	assert_int_equal(l->protocol, proto);
	if (proto != LM_PROTO_TLS_PASSTHROUGH) {
		assert_int_equal(l->default_action.kind, LM_ACTION_FIXED);
		assert_int_equal(l->default_action.status_code, 404);
	}
	assert_int_equal(l->n_rules, nrules);
	return l;
}

/* Assert every parent's conditions. */
static void
check_status(const struct lm_route_result *res, int accepted,
    const char *reason, int resolved, const char *rreason)
{
	size_t	i;

	assert_true(res->ours);
	assert_true(res->nparents > 0);
	for (i = 0; i < res->nparents; i++) {
		assert_int_equal(res->parents[i].accepted, accepted);
		assert_string_equal(res->parents[i].accepted_reason, reason);
		assert_int_equal(res->parents[i].resolved, resolved);
		assert_string_equal(res->parents[i].resolved_reason, rreason);
	}
}

static const char parking_slices[] =
"apiVersion: discovery.k8s.io/v1\n"
"kind: EndpointSlice\n"
"metadata:\n"
"  name: parking-x1\n"
"  labels: {kubernetes.io/service-name: parking}\n"
"addressType: IPv4\n"
"ports: [{port: 8090, protocol: TCP}]\n"
"endpoints:\n"
"- addresses: [10.0.1.11]\n"
"  conditions: {ready: true}\n"
"- addresses: [10.0.1.10]\n"
"  conditions: {ready: true, serving: true, terminating: false}\n"
"- addresses: [10.0.1.12]\n"
"  conditions: {ready: false}\n"
"- addresses: [10.0.1.13]\n"
"  conditions: {ready: false, serving: true, terminating: true}\n"
"---\n"
"apiVersion: discovery.k8s.io/v1\n"
"kind: EndpointSlice\n"
"metadata:\n"
"  name: parking-x2\n"
"  labels: {kubernetes.io/service-name: parking}\n"
"addressType: IPv4\n"
"ports: [{port: 8090, protocol: TCP}]\n"
"endpoints:\n"
"- addresses: [10.0.2.20]\n"
"---\n"
"apiVersion: discovery.k8s.io/v1\n"
"kind: EndpointSlice\n"
"metadata:\n"
"  name: review-x1\n"
"  labels: {kubernetes.io/service-name: review}\n"
"addressType: IPv4\n"
"ports: [{port: 8090, protocol: TCP}]\n"
"endpoints:\n"
"- addresses: [10.0.3.30]\n"
"  conditions: {ready: true}\n";

/* rate-route-path.yaml: the lab's rates route, /parking and /review. */
static void
test_example_rates(void **state)
{
	struct fx		 fx;
	struct lm_route_result	 res;
	const struct lm_listener *l;
	const struct lm_target_group *tg;

	(void)state;
	load(&fx, "examples/my-hotel-gateway.yaml", "examples/parking.yaml",
	    "examples/review.yaml", "examples/rate-route-path.yaml", NULL);
	load_text(&fx, parking_slices);
	fx_build(&fx, "HTTPRoute", "rates", &res);
	check_status(&res, 1, "Accepted", 1, "ResolvedRefs");
	assert_int_equal(res.parents[0].port, 0);
	assert_string_equal(res.parents[0].section_name, "http");
	check_service(res.stack, "rates-default", "rates", "http", "my-hotel");
	assert_null(res.stack->service->custom_domain);
	assert_int_equal(res.stack->n_listeners, 1);
	l = check_listener(res.stack, 80, "rates-default-80-http",
	    LM_PROTO_HTTP, 2);
	check_rule(&l->rules[0], 1, LM_PATH_PREFIX, "/parking", NULL,
	    "svc/default/parking/80", 1, NULL, 0);
	check_rule(&l->rules[1], 2, LM_PATH_PREFIX, "/review", NULL,
	    "svc/default/review/80", 1, NULL, 0);
	assert_string_not_equal(l->rules[0].name, l->rules[1].name);
	assert_int_equal(res.stack->n_tgs, 2);
	tg = fx_tg(res.stack, "svc/default/parking/80");
	check_route_tg(tg, "parking", "rates", "HTTPRoute", "HTTP", "HTTP1",
	    1);
	assert_string_equal(tg->health_check.path, "/");
	assert_string_equal(tg->health_check.matcher, "200");
	assert_string_equal(tg->health_check.protocol, "HTTP");
	assert_string_equal(tg->health_check.protocol_version, "HTTP1");
	assert_int_equal(tg->health_check.interval_seconds, 30);
	assert_int_equal(tg->health_check.timeout_seconds, 5);
	assert_int_equal(tg->health_check.healthy_threshold, 5);
	assert_int_equal(tg->health_check.unhealthy_threshold, 2);
	assert_int_equal(tg->health_check.port, 0);
	/* ready, not terminating; sorted; second slice (no conditions) in */
	assert_int_equal(tg->n_targets, 3);
	assert_string_equal(tg->targets[0].ip, "10.0.1.10");
	assert_string_equal(tg->targets[1].ip, "10.0.1.11");
	assert_string_equal(tg->targets[2].ip, "10.0.2.20");
	assert_int_equal(tg->targets[0].port, 8090);
	tg = fx_tg(res.stack, "svc/default/review/80");
	check_route_tg(tg, "review", "rates", "HTTPRoute", "HTTP", "HTTP1", 1);
	assert_int_equal(tg->n_targets, 1);
	assert_string_not_equal(tg->name,
	    fx_tg(res.stack, "svc/default/parking/80")->name);
	lm_route_result_free(&res);
	fx_free(&fx);
}

/* inventory-route.yaml: no matches (PathPrefix "/"), weight 10. */
static void
test_example_inventory(void **state)
{
	struct fx		 fx;
	struct lm_route_result	 res;
	const struct lm_listener *l;

	(void)state;
	load(&fx, "examples/my-hotel-gateway.yaml",
	    "examples/inventory-ver1.yaml", "examples/inventory-route.yaml",
	    NULL);
	fx_build(&fx, "HTTPRoute", "inventory", &res);
	check_status(&res, 1, "Accepted", 1, "ResolvedRefs");
	check_service(res.stack, "inventory-default", "inventory", "http",
	    "my-hotel");
	l = check_listener(res.stack, 80, "inventory-default-80-http",
	    LM_PROTO_HTTP, 1);
	check_rule(&l->rules[0], 1, LM_PATH_PREFIX, "/", NULL,
	    "svc/default/inventory-ver1/80", 10, NULL, 0);
	assert_int_equal(res.stack->n_tgs, 1);
	check_route_tg(res.stack->tgs, "inventory-ver1", "inventory",
	    "HTTPRoute", "HTTP", "HTTP1", 1);
	assert_int_equal(res.stack->tgs[0].n_targets, 0);
	lm_route_result_free(&res);
	fx_free(&fx);
}

/* inventory-route-bluegreen.yaml: Service 10 + ServiceImport 90. */
static void
test_example_inventory_bluegreen(void **state)
{
	struct fx		 fx;
	struct lm_route_result	 res;
	const struct lm_listener *l;
	const struct lm_target_group *imp;

	(void)state;
	load(&fx, "examples/my-hotel-gateway.yaml",
	    "examples/inventory-ver1.yaml",
	    "examples/inventory-ver2-import.yaml",
	    "examples/inventory-route-bluegreen.yaml", NULL);
	fx_build(&fx, "HTTPRoute", "inventory", &res);
	check_status(&res, 1, "Accepted", 1, "ResolvedRefs");
	l = check_listener(res.stack, 80, "inventory-default-80-http",
	    LM_PROTO_HTTP, 1);
	check_rule(&l->rules[0], 1, LM_PATH_PREFIX, "/", NULL,
	    "svc/default/inventory-ver1/80", 10,
	    "import/default/inventory-ver2", 90);
	assert_int_equal(res.stack->n_tgs, 2);
	imp = fx_tg(res.stack, "import/default/inventory-ver2");
	assert_non_null(imp);
	assert_int_equal(imp->kind, LM_TG_IMPORT);
	assert_string_equal(imp->import_namespace, "default");
	assert_string_equal(imp->import_name, "inventory-ver2");
	assert_null(imp->import_cluster);
	assert_null(imp->name);
	assert_string_equal(imp->protocol, "HTTP");
	assert_string_equal(imp->protocol_version, "HTTP1");
	lm_route_result_free(&res);
	fx_free(&fx);
}

/* greeter-grpc-route.yaml on the multi-listener gateway (https). */
static void
test_example_greeter_grpc(void **state)
{
	struct fx		 fx;
	struct lm_route_result	 res;
	const struct lm_listener *l;
	const struct lm_target_group *tg;

	(void)state;
	load(&fx, "examples/my-hotel-gateway-multi-listeners.yaml",
	    "examples/greeter-grpc-server.yaml",
	    "examples/greeter-grpc-route.yaml", NULL);
	fx_build(&fx, "GRPCRoute", "greeter-grpc-route", &res);
	check_status(&res, 1, "Accepted", 1, "ResolvedRefs");
	check_service(res.stack, "greeter-grpc-route-default",
	    "greeter-grpc-route", "grpc", "my-hotel");
	assert_int_equal(res.stack->n_listeners, 1);	/* sectionName https */
	l = check_listener(res.stack, 443,
	    "greeter-grpc-route-default-443-https", LM_PROTO_HTTPS, 1);
	check_rule(&l->rules[0], 1, LM_PATH_EXACT,
	    "/helloworld.Greeter/SayHello", "POST",
	    "svc/default/greeter-grpc-server/443", 10, NULL, 0);
	tg = fx_tg(res.stack, "svc/default/greeter-grpc-server/443");
	check_route_tg(tg, "greeter-grpc-server", "greeter-grpc-route",
	    "GRPCRoute", "HTTP", "GRPC", 0);
	/* GRPC health checks speak HTTP1 */
	assert_string_equal(tg->health_check.protocol_version, "HTTP1");
	assert_null(res.stack->service->certificate_arn);
	lm_route_result_free(&res);
	fx_free(&fx);
}

/* my-httproute.yaml: two ServiceImports without ports. */
static void
test_example_my_httproute(void **state)
{
	struct fx		 fx;
	struct lm_route_result	 res;
	const struct lm_listener *l;

	(void)state;
	load(&fx, "examples/my-hotel-gateway.yaml",
	    "examples/service-1-import.yaml", "examples/service-2-import.yaml",
	    "examples/my-httproute.yaml", NULL);
	fx_build(&fx, "HTTPRoute", "my-httproute", &res);
	check_status(&res, 1, "Accepted", 1, "ResolvedRefs");
	check_service(res.stack, "my-httproute-default", "my-httproute",
	    "http", "my-hotel");
	l = check_listener(res.stack, 80, "my-httproute-default-80-http",
	    LM_PROTO_HTTP, 2);
	check_rule(&l->rules[0], 1, LM_PATH_PREFIX, "/service-1", NULL,
	    "import/default/service-1", 1, NULL, 0);
	check_rule(&l->rules[1], 2, LM_PATH_PREFIX, "/service-2", NULL,
	    "import/default/service-2", 1, NULL, 0);
	assert_int_equal(res.stack->n_tgs, 2);
	assert_int_equal(res.stack->tgs[0].kind, LM_TG_IMPORT);
	assert_int_equal(res.stack->tgs[1].kind, LM_TG_IMPORT);
	lm_route_result_free(&res);
	fx_free(&fx);
}

/* mixed-standalone-routes.yaml: gateway standalone, route overrides,
 * HTTP/HTTPS/TLS listeners, missing backends. */
static void
test_example_mixed_standalone(void **state)
{
	struct fx		 fx;
	struct lm_route_result	 res;
	const struct lm_listener *l;

	(void)state;
	load(&fx, "examples/mixed-standalone-routes.yaml", NULL);

	/* inherits standalone; no sectionName: HTTP 80 and HTTPS 443 */
	fx_build(&fx, "HTTPRoute", "inherited-standalone-route", &res);
	check_status(&res, 1, "Accepted", 1, "ResolvedRefs");
	check_service(res.stack, "inherited-standalone-default",
	    "inherited-standalone-route", "http", NULL);
	assert_int_equal(res.stack->n_listeners, 2);
	l = check_listener(res.stack, 80, "inherited-standalone-default-80-http",
	    LM_PROTO_HTTP, 1);
	check_rule(&l->rules[0], 1, LM_PATH_PREFIX, "/standalone", NULL,
	    "svc/default/standalone-service/80", 1, NULL, 0);
	check_listener(res.stack, 443,
	    "inherited-standalone-default-443-https", LM_PROTO_HTTPS, 1);
	lm_route_result_free(&res);

	/* standalone "false" on the route wins over the gateway */
	fx_build(&fx, "HTTPRoute", "networked-override-route", &res);
	check_status(&res, 1, "Accepted", 0, "BackendNotFound");
	check_service(res.stack, "networked-override-r-default",
	    "networked-override-route", "http", "mixed-gateway");
	l = fx_listener(res.stack, 80);
	assert_non_null(l);
	check_rule(&l->rules[0], 1, LM_PATH_PREFIX, "/networked", NULL, NULL,
	    500, NULL, 0);
	assert_int_equal(res.stack->n_tgs, 0);
	assert_true(fx_warned(&res, "dropped"));
	lm_route_result_free(&res);

	/* HTTPS only, custom domain from hostnames[0] */
	fx_build(&fx, "HTTPRoute", "https-standalone-route", &res);
	check_service(res.stack, "https-standalone-rou-default",
	    "https-standalone-route", "http", NULL);
	assert_string_equal(res.stack->service->custom_domain,
	    "api.example.com");
	assert_int_equal(res.stack->n_listeners, 1);
	check_listener(res.stack, 443, "https-standalone-rou-default-443-https",
	    LM_PROTO_HTTPS, 1);
	lm_route_result_free(&res);

	fx_build(&fx, "HTTPRoute", "https-networked-route", &res);
	check_status(&res, 1, "Accepted", 1, "ResolvedRefs");
	check_service(res.stack, "https-networked-rout-default",
	    "https-networked-route", "http", "mixed-gateway");
	assert_string_equal(res.stack->service->custom_domain,
	    "secure.example.com");
	l = check_listener(res.stack, 443,
	    "https-networked-rout-default-443-https", LM_PROTO_HTTPS, 1);
	check_rule(&l->rules[0], 1, LM_PATH_PREFIX, "/secure", NULL,
	    "svc/default/secure-service/443", 1, NULL, 0);
	lm_route_result_free(&res);

	/* TLS passthrough on 8443, its backend missing: fixed 500 */
	fx_build(&fx, "TLSRoute", "tls-standalone-route", &res);
	check_service(res.stack, "tls-standalone-route-default",
	    "tls-standalone-route", "tls", NULL);
	l = check_listener(res.stack, 8443,
	    "tls-standalone-route-default-8443-tls", LM_PROTO_TLS_PASSTHROUGH,
	    0);
	assert_int_equal(l->default_action.kind, LM_ACTION_FIXED);
	assert_int_equal(l->default_action.status_code, 500);
	lm_route_result_free(&res);

	fx_build(&fx, "TLSRoute", "tls-networked-route", &res);
	check_service(res.stack, "tls-networked-route-default",
	    "tls-networked-route", "tls", "mixed-gateway");
	assert_string_equal(res.stack->service->custom_domain,
	    "cache.example.com");
	lm_route_result_free(&res);
	fx_free(&fx);
}

/* rate-tlsroute-bluegreen.yaml: TLS passthrough forward to a Service
 * (TCP TG) and a ServiceImport. */
static void
test_example_tls_bluegreen(void **state)
{
	struct fx		 fx;
	struct lm_route_result	 res;
	const struct lm_listener *l;
	const struct lm_target_group *tg;

	(void)state;
	load(&fx, "examples/my-gateway-tls-passthrough.yaml",
	    "examples/tls-rate1.yaml", "examples/tls-rate2-import.yaml",
	    "examples/rate-tlsroute-bluegreen.yaml", NULL);
	fx_build(&fx, "TLSRoute", "rate-tls-passthrough", &res);
	check_status(&res, 1, "Accepted", 1, "ResolvedRefs");
	check_service(res.stack, "rate-tls-passthrough-default",
	    "rate-tls-passthrough", "tls", "my-hotel-tls-passthrough");
	assert_string_equal(res.stack->service->custom_domain,
	    "tls-rate.my-test.com");
	assert_int_equal(res.stack->n_listeners, 1);
	l = check_listener(res.stack, 443,
	    "rate-tls-passthrough-default-443-tls", LM_PROTO_TLS_PASSTHROUGH,
	    0);
	assert_int_equal(l->default_action.kind, LM_ACTION_FORWARD);
	assert_int_equal(l->default_action.n_tgs, 2);
	assert_string_equal(l->default_action.tgs[0].tg_key,
	    "svc/default/tls-rate1/443");
	assert_int_equal(l->default_action.tgs[0].weight, 10);
	assert_string_equal(l->default_action.tgs[1].tg_key,
	    "import/default/tls-rate2");
	assert_int_equal(l->default_action.tgs[1].weight, 90);
	tg = fx_tg(res.stack, "svc/default/tls-rate1/443");
	check_route_tg(tg, "tls-rate1", "rate-tls-passthrough", "TLSRoute",
	    "TCP", NULL, 0);
	tg = fx_tg(res.stack, "import/default/tls-rate2");
	assert_string_equal(tg->protocol, "TCP");
	lm_route_result_free(&res);
	fx_free(&fx);
}

/* tlsroute-nginx.yaml: single backend. */
static void
test_example_tlsroute_nginx(void **state)
{
	struct fx		 fx;
	struct lm_route_result	 res;
	const struct lm_listener *l;

	(void)state;
	load(&fx, "examples/my-gateway-tls-passthrough.yaml",
	    "examples/nginx-server-tls-passthrough.yaml",
	    "examples/tlsroute-nginx.yaml", NULL);
	fx_build(&fx, "TLSRoute", "nginx-tls-route", &res);
	check_status(&res, 1, "Accepted", 1, "ResolvedRefs");
	check_service(res.stack, "nginx-tls-route-default", "nginx-tls-route",
	    "tls", "my-hotel-tls-passthrough");
	l = check_listener(res.stack, 443, "nginx-tls-route-default-443-tls",
	    LM_PROTO_TLS_PASSTHROUGH, 0);
	assert_int_equal(l->default_action.n_tgs, 1);
	assert_int_equal(l->default_action.tgs[0].weight, 1);
	check_route_tg(fx_tg(res.stack, "svc/default/nginx-tls/443"),
	    "nginx-tls", "nginx-tls-route", "TLSRoute", "TCP", NULL, 0);
	lm_route_result_free(&res);
	fx_free(&fx);
}

/* standalone-grpcroute.yaml: service-only match; backend missing. */
static void
test_example_standalone_grpc(void **state)
{
	struct fx		 fx;
	struct lm_route_result	 res;
	const struct lm_listener *l;

	(void)state;
	load(&fx, "examples/my-gateway.yaml",
	    "examples/standalone-grpcroute.yaml", NULL);
	fx_build(&fx, "GRPCRoute", "standalone-grpc-service", &res);
	check_status(&res, 1, "Accepted", 0, "BackendNotFound");
	check_service(res.stack, "standalone-grpc-serv-default",
	    "standalone-grpc-service", "grpc", NULL);
	l = check_listener(res.stack, 80,
	    "standalone-grpc-serv-default-80-http", LM_PROTO_HTTP, 1);
	check_rule(&l->rules[0], 1, LM_PATH_PREFIX, "/greeter.Greeter/",
	    "POST", NULL, 500, NULL, 0);
	lm_route_result_free(&res);
	fx_free(&fx);
}

/* standalone-httproute.yaml with its Service defined inline. */
static void
test_example_standalone_http(void **state)
{
	struct fx		 fx;
	struct lm_route_result	 res;
	const struct lm_listener *l;

	(void)state;
	load(&fx, "examples/my-gateway.yaml",
	    "examples/standalone-httproute.yaml", NULL);
	load_text(&fx, "apiVersion: v1\nkind: Service\nmetadata:\n"
	    "  name: api-service\nspec:\n  ports:\n  - port: 8080\n");
	fx_build(&fx, "HTTPRoute", "standalone-service", &res);
	check_status(&res, 1, "Accepted", 1, "ResolvedRefs");
	check_service(res.stack, "standalone-service-default",
	    "standalone-service", "http", NULL);
	l = check_listener(res.stack, 80, "standalone-service-default-80-http",
	    LM_PROTO_HTTP, 1);
	check_rule(&l->rules[0], 1, LM_PATH_PREFIX, "/api", NULL,
	    "svc/default/api-service/8080", 1, NULL, 0);
	check_route_tg(fx_tg(res.stack, "svc/default/api-service/8080"),
	    "api-service", "standalone-service", "HTTPRoute", "HTTP", "HTTP1",
	    1);
	lm_route_result_free(&res);
	fx_free(&fx);
}

/* Assert one export TG. */
static void
check_export_tg(const struct lm_target_group *tg, const char *name, int port,
    const char *proto, const char *version, int hc)
{
	char	prefix[128];

	assert_non_null(tg);
	assert_int_equal(tg->kind, LM_TG_OWNED);
	snprintf(prefix, sizeof prefix, "k8s-default-%s-", name);
	assert_int_equal(strncmp(tg->name, prefix, strlen(prefix)), 0);
	assert_int_equal(tg->port, port);
	assert_string_equal(tg->protocol, proto);
	if (version == NULL)
		assert_null(tg->protocol_version);
	else
		assert_string_equal(tg->protocol_version, version);
	assert_int_equal(tg->health_check.enabled, hc);
	assert_string_equal(fx_tag(&tg->tags, UP_TAG_SOURCE_TYPE),
	    "ServiceExport");
	assert_string_equal(fx_tag(&tg->tags, UP_TAG_SERVICE_NAME), name);
	assert_string_equal(fx_tag(&tg->tags, UP_TAG_ROUTE_NAME), "<absent>");
	assert_string_equal(fx_tag(&tg->tags, UP_TAG_CLUSTER_NAME), "c1");
}

/* multi-protocol-service-export.yaml: three exported ports. */
static void
test_example_multi_protocol_export(void **state)
{
	struct fx		 fx;
	struct lm_stack		*s;
	char			*warn = NULL;

	(void)state;
	load(&fx, "examples/multi-protocol-service-export.yaml", NULL);
	/* its Service is not in the file: missing Service -> no stack */
	assert_int_equal(fx.nexports, 1);
	assert_null(lm_build_export(&fx.cfg, &fx.src, fx.exports[0], &warn));
	assert_non_null(warn);
	free(warn);
	load_text(&fx, "apiVersion: v1\nkind: Service\nmetadata:\n"
	    "  name: multi-protocol-service\nspec:\n  ports:\n"
	    "  - {name: http, port: 80}\n  - {name: grpc, port: 8081}\n"
	    "  - {name: tls, port: 443}\n");
	s = lm_build_export(&fx.cfg, &fx.src, fx.exports[0], NULL);
	assert_non_null(s);
	assert_null(s->service);
	assert_int_equal(s->owner.kind, LM_SRC_SERVICEEXPORT);
	assert_int_equal(s->n_tgs, 3);
	check_export_tg(fx_tg(s, "export/default/multi-protocol-service/80"),
	    "multi-protocol-service", 80, "HTTP", "HTTP1", 1);
	check_export_tg(fx_tg(s, "export/default/multi-protocol-service/8081"),
	    "multi-protocol-service", 8081, "HTTP", "GRPC", 0);
	check_export_tg(fx_tg(s, "export/default/multi-protocol-service/443"),
	    "multi-protocol-service", 443, "TCP", NULL, 0);
	lm_stack_free(s);
	fx_free(&fx);
}

/* tls-rate2 export + TargetGroupPolicy (TCP, health check off);
 * inventory-ver2 export; service-1 export. */
static void
test_example_exports(void **state)
{
	struct fx	 fx;
	struct lm_stack	*s;

	(void)state;
	load(&fx, "examples/tls-rate2.yaml", "examples/tls-rate2-export.yaml",
	    "examples/tls-rate2-targetgrouppolicy.yaml",
	    "examples/inventory-ver2.yaml",
	    "examples/inventory-ver2-export.yaml", NULL);
	assert_int_equal(fx.nexports, 2);
	s = lm_build_export(&fx.cfg, &fx.src, fx.exports[0], NULL);
	assert_non_null(s);
	assert_int_equal(s->n_tgs, 1);
	check_export_tg(&s->tgs[0], "tls-rate2", 443, "TCP", NULL, 0);
	lm_stack_free(s);
	s = lm_build_export(&fx.cfg, &fx.src, fx.exports[1], NULL);
	assert_non_null(s);
	check_export_tg(&s->tgs[0], "inventory-ver2", 80, "HTTP", "HTTP1", 1);
	lm_stack_free(s);
	fx_free(&fx);
}

/* Run the example-manifest builder tests. */
int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_example_rates),
		cmocka_unit_test(test_example_inventory),
		cmocka_unit_test(test_example_inventory_bluegreen),
		cmocka_unit_test(test_example_greeter_grpc),
		cmocka_unit_test(test_example_my_httproute),
		cmocka_unit_test(test_example_mixed_standalone),
		cmocka_unit_test(test_example_tls_bluegreen),
		cmocka_unit_test(test_example_tlsroute_nginx),
		cmocka_unit_test(test_example_standalone_grpc),
		cmocka_unit_test(test_example_standalone_http),
		cmocka_unit_test(test_example_multi_protocol_export),
		cmocka_unit_test(test_example_exports),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
