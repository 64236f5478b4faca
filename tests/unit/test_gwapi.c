/* gwapi parsing: every reference example parses into typed views with
 * the CRD defaults; invalid objects fail naming object and field;
 * unsupported values and ignored fields are listed. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/gwapi.h"
#include "latticectl/yaml.h"
#include "testlib.h"

#include "gw_fixture.h"

/* Kinds counted by parse_any. */
enum { K_GC, K_GW, K_HTTP, K_GRPC, K_TLS, K_SVC, K_EPS, K_RG, K_SE, K_SI,
    K_TGP, K_VAP, K_ALP, K_IAP, K_OTHER, K_MAX };

/* Parse obj by its kind and free the result; *kind gets the K_ index,
 * *problems the number of problems. 0 ok, -1 with *cause. */
static int
parse_any(const cJSON *obj, int *kind, size_t *problems, char **cause)
{
	const cJSON	*k = cJSON_GetObjectItemCaseSensitive(obj, "kind");
	const char	*s = cJSON_IsString(k) ? k->valuestring : "";
	union {
		struct gw_gatewayclass *gc; struct gw_gateway *gw;
		struct gw_route *rt; struct gw_service *svc;
		struct gw_endpointslice *es; struct gw_refgrant *rg;
		struct gw_serviceexport *se; struct gw_serviceimport *si;
		struct gw_tgpolicy *tgp; struct gw_vapolicy *vap;
		struct gw_alpolicy *alp; struct gw_iampolicy *iap;
	} u;
	int		 rc = 0;

	*problems = 0;
#define P(name, K, fn, field, freefn) \
	else if (strcmp(s, name) == 0) { \
		*kind = K; \
		if ((rc = fn(obj, &u.field, cause)) == 0) { \
			*problems = u.field->meta.nproblems; \
			freefn(u.field); \
		} \
	}
	if (0) {
	}
	P("GatewayClass", K_GC, gw_gatewayclass_parse, gc, gw_gatewayclass_free)
	P("Gateway", K_GW, gw_gateway_parse, gw, gw_gateway_free)
	P("Service", K_SVC, gw_service_parse, svc, gw_service_free)
	P("EndpointSlice", K_EPS, gw_endpointslice_parse, es,
	    gw_endpointslice_free)
	P("ReferenceGrant", K_RG, gw_refgrant_parse, rg, gw_refgrant_free)
	P("ServiceExport", K_SE, gw_serviceexport_parse, se,
	    gw_serviceexport_free)
	P("ServiceImport", K_SI, gw_serviceimport_parse, si,
	    gw_serviceimport_free)
	P("TargetGroupPolicy", K_TGP, gw_tgpolicy_parse, tgp, gw_tgpolicy_free)
	P("VpcAssociationPolicy", K_VAP, gw_vapolicy_parse, vap,
	    gw_vapolicy_free)
	P("AccessLogPolicy", K_ALP, gw_alpolicy_parse, alp, gw_alpolicy_free)
	P("IAMAuthPolicy", K_IAP, gw_iampolicy_parse, iap, gw_iampolicy_free)
#undef P
	else if (gw_route_kind_from_name(s) != GW_ROUTE_ANY) {
		*kind = K_HTTP + (int)gw_route_kind_from_name(s);
		if ((rc = gw_route_parse(obj, GW_ROUTE_ANY, &u.rt, cause)) == 0) {
			*problems = u.rt->meta.nproblems;
			gw_route_free(u.rt);
		}
	} else
		*kind = K_OTHER;
	return rc;
}

/* The parse error of a YAML object (caller frees); fails if it parses. */
static char *
parse_err(const char *text)
{
	cJSON	*obj = gwf_yaml(text);
	char	*cause = NULL;
	size_t	 np;
	int	 kind;

	if (parse_any(obj, &kind, &np, &cause) == 0)
		fail_msg("parsed, expected an error: %s", text);
	cJSON_Delete(obj);
	assert_non_null(cause);
	return cause;
}

/* Assert the parse error of text equals want. */
static void
assert_err(const char *text, const char *want)
{
	char	*cause = parse_err(text);

	if (strcmp(cause, want) != 0)
		fail_msg("error\n  got  %s\n  want %s", cause, want);
	free(cause);
}

/* Whether one of the object's problems equals want. */
static int
has_msg(char **v, size_t n, const char *want)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (strcmp(v[i], want) == 0)
			return 1;
	}
	for (i = 0; i < n; i++)
		print_message("  have: %s\n", v[i]);
	return 0;
}

/* Every reference example manifest parses; kinds are all covered. */
static void
test_examples_parse(void **state)
{
	char		 path[1024], *cause = NULL;
	const char	*ref = test_reference_dir();
	struct dirent	*de;
	cJSON		*docs, *it;
	size_t		 counts[K_MAX] = { 0 }, np, files = 0;
	DIR		*d;
	int		 kind;

	(void)state;
	if (ref == NULL) {
		print_message("SKIP: reference directory not found\n");
		skip();
	}
	snprintf(path, sizeof path, "%s/examples", ref);
	assert_non_null(d = opendir(path));
	while ((de = readdir(d)) != NULL) {
		if (strstr(de->d_name, ".yaml") == NULL)
			continue;
		snprintf(path, sizeof path, "%s/examples/%s", ref, de->d_name);
		if (yaml_load_file(path, &docs, &cause) != 0)
			fail_msg("%s: %s", path, cause);
		files++;
		cJSON_ArrayForEach(it, docs) {
			if (parse_any(it, &kind, &np, &cause) != 0)
				fail_msg("%s: %s", de->d_name, cause);
			if (np != 0)
				fail_msg("%s: %zu unexpected problems",
				    de->d_name, np);
			counts[kind]++;
		}
		cJSON_Delete(docs);
	}
	closedir(d);
	assert_true(files >= 30);
	assert_true(counts[K_GW] >= 5);
	assert_true(counts[K_HTTP] >= 8);
	assert_true(counts[K_GRPC] >= 2);
	assert_true(counts[K_TLS] >= 3);
	assert_true(counts[K_SVC] >= 8);
	assert_true(counts[K_SE] >= 4);
	assert_true(counts[K_SI] >= 4);
	assert_true(counts[K_TGP] >= 1);
}

/* Load one example file's documents (caller deletes). */
static cJSON *
load_example(const char *name)
{
	char		 path[1024], *cause = NULL;
	const char	*ref = test_reference_dir();
	cJSON		*docs;

	if (ref == NULL) {
		print_message("SKIP: reference directory not found\n");
		skip();
	}
	snprintf(path, sizeof path, "%s/examples/%s", ref, name);
	if (yaml_load_file(path, &docs, &cause) != 0)
		fail_msg("%s: %s", path, cause);
	return docs;
}

/* rate-route-path.yaml: the lab's rates route with defaults applied. */
static void
test_example_rates(void **state)
{
	cJSON		*docs = load_example("rate-route-path.yaml");
	struct gw_route	*rt;
	char		*cause = NULL;

	(void)state;
	if (gw_route_parse(cJSON_GetArrayItem(docs, 0), GW_ROUTE_HTTP, &rt,
	    &cause) != 0)
		fail_msg("%s", cause);
	cJSON_Delete(docs);
	assert_string_equal(rt->meta.kind, "HTTPRoute");
	assert_string_equal(rt->meta.ns, "default");
	assert_string_equal(rt->meta.name, "rates");
	assert_int_equal(rt->nparents, 1);
	assert_string_equal(rt->parents[0].group, "gateway.networking.k8s.io");
	assert_string_equal(rt->parents[0].kind, "Gateway");
	assert_string_equal(rt->parents[0].ns, "default");
	assert_string_equal(rt->parents[0].name, "my-hotel");
	assert_string_equal(rt->parents[0].section_name, "http");
	assert_int_equal(rt->parents[0].port, 0);
	assert_non_null(cJSON_GetObjectItem(rt->parents[0].raw, "sectionName"));
	assert_null(cJSON_GetObjectItem(rt->parents[0].raw, "group"));
	assert_int_equal(rt->nrules, 2);
	assert_int_equal(rt->rules[1].nmatches, 1);
	assert_int_equal(rt->rules[1].matches[0].path_type, GW_PATH_PREFIX);
	assert_string_equal(rt->rules[1].matches[0].path, "/review");
	assert_null(rt->rules[1].matches[0].method);
	assert_int_equal(rt->rules[1].nbackends, 1);
	assert_string_equal(rt->rules[1].backends[0].group, "");
	assert_string_equal(rt->rules[1].backends[0].kind, "Service");
	assert_string_equal(rt->rules[1].backends[0].ns, "default");
	assert_string_equal(rt->rules[1].backends[0].name, "review");
	assert_int_equal(rt->rules[1].backends[0].port, 80);
	assert_int_equal(rt->rules[1].backends[0].weight, 1);
	assert_int_equal(rt->rules[1].has_priority, 0);
	assert_int_equal(rt->standalone, -1);
	assert_null(rt->service_name_override);
	assert_int_equal(rt->meta.nproblems, 0);
	assert_int_equal(gw_route_check(rt, &cause), 0);
	gw_route_free(rt);
}

/* greeter-grpc-route.yaml: GRPC service/method and weights. */
static void
test_example_grpc(void **state)
{
	cJSON		*docs = load_example("greeter-grpc-route.yaml");
	struct gw_route	*rt;
	char		*cause = NULL;

	(void)state;
	if (gw_route_parse(cJSON_GetArrayItem(docs, 0), GW_ROUTE_ANY, &rt,
	    &cause) != 0)
		fail_msg("%s", cause);
	cJSON_Delete(docs);
	assert_int_equal(rt->kind, GW_ROUTE_GRPC);
	assert_string_equal(gw_route_type_tag(rt->kind), "grpc");
	assert_string_equal(gw_route_finalizer(rt->kind),
	    "grpcroute.k8s.aws/resources");
	assert_string_equal(rt->rules[0].matches[0].grpc_service,
	    "helloworld.Greeter");
	assert_string_equal(rt->rules[0].matches[0].grpc_method, "SayHello");
	assert_int_equal(rt->rules[0].matches[0].path_type, GW_PATH_NONE);
	assert_int_equal(rt->rules[0].backends[0].weight, 10);
	assert_int_equal(rt->rules[0].backends[0].port, 443);
	gw_route_free(rt);
}

/* Gateways: TLS passthrough, HTTPS terminate with certificate ARN,
 * standalone annotation, allowedRoutes. */
static void
test_gateway_listeners(void **state)
{
	struct gw_gateway	*gw;

	(void)state;
	gw = gwf_gateway(
	    "apiVersion: gateway.networking.k8s.io/v1\n"
	    "kind: Gateway\n"
	    "metadata:\n"
	    "  name: my-hotel\n"
	    "  namespace: hotel\n"
	    "  annotations: {application-networking.k8s.aws/standalone: 'True'}\n"
	    "spec:\n"
	    "  gatewayClassName: amazon-vpc-lattice\n"
	    "  listeners:\n"
	    "  - {name: http, protocol: HTTP, port: 80}\n"
	    "  - name: https\n"
	    "    protocol: HTTPS\n"
	    "    port: 443\n"
	    "    hostname: '*.example.com'\n"
	    "    tls:\n"
	    "      mode: Terminate\n"
	    "      options:\n"
	    "        application-networking.k8s.aws/certificate-arn: arn:aws:acm:us-west-2:1:certificate/x\n"
	    "    allowedRoutes:\n"
	    "      namespaces:\n"
	    "        from: Selector\n"
	    "        selector:\n"
	    "          matchLabels: {team: a}\n"
	    "          matchExpressions:\n"
	    "          - {key: env, operator: In, values: [prod, dev]}\n"
	    "      kinds: [{kind: HTTPRoute}]\n"
	    "  - name: tls\n"
	    "    protocol: TLS\n"
	    "    port: 8443\n"
	    "    tls: {mode: Passthrough}\n");
	assert_string_equal(gw->meta.ns, "hotel");
	assert_string_equal(gw->class_name, "amazon-vpc-lattice");
	assert_int_equal(gw->standalone, 1);
	assert_int_equal(gw->nlisteners, 3);
	assert_int_equal(gw->listeners[0].protocol, GW_PROTO_HTTP);
	assert_int_equal(gw->listeners[0].tls_mode, GW_TLS_NONE);
	assert_int_equal(gw->listeners[0].from, GW_FROM_SAME);
	assert_null(gw->listeners[0].hostname);
	assert_int_equal(gw->listeners[1].protocol, GW_PROTO_HTTPS);
	assert_int_equal(gw->listeners[1].tls_mode, GW_TLS_TERMINATE);
	assert_string_equal(gw->listeners[1].certificate_arn,
	    "arn:aws:acm:us-west-2:1:certificate/x");
	assert_string_equal(gw->listeners[1].hostname, "*.example.com");
	assert_int_equal(gw->listeners[1].from, GW_FROM_SELECTOR);
	assert_int_equal(gw->listeners[1].selector.nmatch_labels, 1);
	assert_int_equal(gw->listeners[1].selector.nexprs, 1);
	assert_int_equal(gw->listeners[1].selector.exprs[0].op, GW_SEL_IN);
	assert_int_equal(gw->listeners[1].nkinds, 1);
	assert_string_equal(gw->listeners[1].kinds[0].group,
	    "gateway.networking.k8s.io");
	assert_int_equal(gw->listeners[2].protocol, GW_PROTO_TLS);
	assert_int_equal(gw->listeners[2].tls_mode, GW_TLS_PASSTHROUGH);
	assert_int_equal(gw->meta.nproblems, 0);
	gw_gateway_free(gw);
}

/* Invalid objects: the error names object, field and what is wrong. */
static const struct {
	const char	*yaml;
	const char	*want;
} invalid_cases[] = {
	{ "kind: HTTPRoute\nmetadata: {name: rates}\nspec:\n"
	    "  rules:\n  - backendRefs: [{name: a, port: 80}, {name: b, port: 70000}]\n",
	    "HTTPRoute default/rates: spec.rules[0].backendRefs[1].port: "
	    "70000 out of range 1..65535" },
	{ "kind: HTTPRoute\nmetadata: {namespace: x}\nspec: {}\n",
	    "HTTPRoute: metadata.name: required" },
	{ "kind: HTTPRoute\nmetadata: {name: r, namespace: x}\n",
	    "HTTPRoute x/r: spec: required" },
	{ "kind: HTTPRoute\nmetadata: {name: r}\nspec:\n  rules:\n"
	    "  - matches: [{path: {type: Exact, value: nope}}]\n",
	    "HTTPRoute default/r: spec.rules[0].matches[0].path.value: must be "
	    "an absolute path starting with '/'" },
	{ "kind: HTTPRoute\nmetadata: {name: r}\nspec:\n  rules:\n"
	    "  - matches: [{method: FETCH}]\n",
	    "HTTPRoute default/r: spec.rules[0].matches[0].method: "
	    "unsupported value \"FETCH\"" },
	{ "kind: HTTPRoute\nmetadata: {name: r}\nspec:\n  rules:\n"
	    "  - backendRefs: [{name: svc}]\n",
	    "HTTPRoute default/r: spec.rules[0].backendRefs[0].port: required "
	    "for a Service backend" },
	{ "kind: HTTPRoute\nmetadata: {name: r}\nspec:\n"
	    "  parentRefs: [{sectionName: http}]\n",
	    "HTTPRoute default/r: spec.parentRefs[0].name: required" },
	{ "kind: HTTPRoute\nmetadata: {name: r}\nspec:\n"
	    "  hostnames: a.example.com\n",
	    "HTTPRoute default/r: spec.hostnames: expected an array" },
	{ "kind: GRPCRoute\nmetadata: {name: g}\nspec:\n  rules:\n"
	    "  - matches: [{method: {type: Exact}}]\n",
	    "GRPCRoute default/g: spec.rules[0].matches[0].method: one or both "
	    "of 'service' or 'method' must be specified" },
	{ "kind: TLSRoute\nmetadata: {name: t}\nspec:\n"
	    "  hostnames: [a.b]\n  rules: [{}]\n",
	    "TLSRoute default/t: spec.rules[0].backendRefs: at least one "
	    "backendRef required" },
	{ "kind: Gateway\nmetadata: {name: g}\nspec:\n"
	    "  gatewayClassName: c\n  listeners: [{name: a, protocol: HTTP, "
	    "port: '80'}]\n",
	    "Gateway default/g: spec.listeners[0].port: expected an integer" },
	{ "kind: Gateway\nmetadata: {name: g}\nspec:\n"
	    "  gatewayClassName: c\n  listeners:\n"
	    "  - {name: a, protocol: HTTP, port: 80}\n"
	    "  - {name: a, protocol: HTTP, port: 81}\n",
	    "Gateway default/g: spec.listeners[1].name: duplicate listener "
	    "name \"a\"" },
	{ "kind: Gateway\nmetadata: {name: g}\nspec:\n"
	    "  gatewayClassName: c\n  listeners: [{name: t, protocol: TLS, "
	    "port: 443}]\n",
	    "Gateway default/g: spec.listeners[0].tls: required for protocol "
	    "TLS" },
	{ "kind: Gateway\nmetadata: {name: g}\nspec:\n"
	    "  gatewayClassName: c\n  listeners: [{name: h, protocol: HTTP, "
	    "port: 80, tls: {mode: Terminate}}]\n",
	    "Gateway default/g: spec.listeners[0].tls: not allowed for "
	    "protocol HTTP" },
	{ "kind: Gateway\nmetadata: {name: g}\nspec:\n"
	    "  gatewayClassName: c\n  listeners: []\n",
	    "Gateway default/g: spec.listeners: at least one listener "
	    "required" },
	{ "kind: GatewayClass\nmetadata: {name: c}\nspec: {}\n",
	    "GatewayClass c: spec.controllerName: required" },
	{ "kind: ReferenceGrant\nmetadata: {name: rg, namespace: b}\n"
	    "spec:\n  from: [{group: gateway.networking.k8s.io, kind: "
	    "HTTPRoute, namespace: a}]\n",
	    "ReferenceGrant b/rg: spec.to: required" },
	{ "kind: Service\nmetadata: {name: s, labels: {a: 1}}\n",
	    "Service default/s: metadata.labels.a: expected a string" },
	{ "kind: TargetGroupPolicy\nmetadata: {name: p}\nspec:\n"
	    "  targetRef: {kind: Service, name: s}\n"
	    "  healthCheck: {intervalSeconds: 1}\n",
	    "TargetGroupPolicy default/p: spec.healthCheck.intervalSeconds: "
	    "1 out of range 5..300" },
	{ "kind: ServiceExport\nmetadata: {name: e}\nspec:\n"
	    "  exportedPorts: [{port: 80, routeType: UDP}]\n",
	    "ServiceExport default/e: spec.exportedPorts[0].routeType: "
	    "unsupported value \"UDP\"" },
	{ "kind: IAMAuthPolicy\nmetadata: {name: i}\nspec:\n"
	    "  policy: '{}'\n",
	    "IAMAuthPolicy default/i: spec.targetRef: required" },
};

/* Each invalid case fails with exactly its error. */
static void
test_invalid_errors(void **state)
{
	size_t	i;

	(void)state;
	for (i = 0; i < sizeof invalid_cases / sizeof invalid_cases[0]; i++)
		assert_err(invalid_cases[i].yaml, invalid_cases[i].want);
}

/* Objects that are not objects of the kind asked for. */
static void
test_invalid_shapes(void **state)
{
	struct gw_route		*rt;
	struct gw_gateway	*gw;
	cJSON			*arr = cJSON_CreateArray(), *obj;
	char			*cause = NULL;

	(void)state;
	assert_int_equal(gw_route_parse(arr, GW_ROUTE_HTTP, &rt, &cause), -1);
	assert_string_equal(cause, "HTTPRoute: expected a JSON object");
	assert_null(rt);
	free(cause);
	cause = NULL;
	cJSON_Delete(arr);
	obj = gwf_yaml("kind: HTTPRoute\nmetadata: {name: r}\nspec: {}\n");
	assert_int_equal(gw_gateway_parse(obj, &gw, &cause), -1);
	assert_string_equal(cause, "Gateway: kind: expected \"Gateway\"");
	free(cause);
	cause = NULL;
	cJSON_DeleteItemFromObject(obj, "kind");
	assert_int_equal(gw_route_parse(obj, GW_ROUTE_ANY, &rt, &cause), -1);
	assert_string_equal(cause, "route: kind: expected HTTPRoute, "
	    "GRPCRoute or TLSRoute");
	free(cause);
	/* Without a kind, the caller's kind is taken (informer lists). */
	assert_int_equal(gw_route_parse(obj, GW_ROUTE_GRPC, &rt, &cause), 0);
	assert_int_equal(rt->kind, GW_ROUTE_GRPC);
	assert_int_equal(rt->nrules, 1);
	assert_int_equal(rt->rules[0].nmatches, 1);
	assert_null(rt->rules[0].matches[0].grpc_service);
	gw_route_free(rt);
	cJSON_Delete(obj);
}

/* Valid Gateway API that VPC Lattice cannot do: problems, not errors. */
static void
test_unsupported_values(void **state)
{
	struct gw_route	*rt;
	char		*cause = NULL;

	(void)state;
	rt = gwf_route(
	    "kind: HTTPRoute\n"
	    "metadata:\n"
	    "  name: rates\n"
	    "  annotations:\n"
	    "    application-networking.k8s.aws/rule-2-priority: '300'\n"
	    "    application-networking.k8s.aws/service-name-override: svc-bad\n"
	    "spec:\n"
	    "  rules:\n"
	    "  - matches: [{path: {type: Exact, value: /ok}}]\n"
	    "  - matches:\n"
	    "    - path: {type: RegularExpression, value: '/r.*'}\n"
	    "    - queryParams: [{name: a, value: b}]\n"
	    "    - headers:\n"
	    "      - {name: a, value: '1'}\n"
	    "      - {name: b, value: '2'}\n"
	    "      - {name: c, value: '3'}\n"
	    "      - {name: d, value: '4'}\n"
	    "      - {name: e, value: '5'}\n"
	    "      - {name: f, value: '6'}\n"
	    "    - headers: [{name: x, type: RegularExpression, value: '.*'}]\n"
	    "  - {}\n");
	assert_true(has_msg(rt->meta.problems, rt->meta.nproblems,
	    "HTTPRoute default/rates: spec.rules[1].matches[0].path.type: "
	    "unsupported value \"RegularExpression\""));
	assert_true(has_msg(rt->meta.problems, rt->meta.nproblems,
	    "HTTPRoute default/rates: spec.rules[1].matches[1].queryParams: "
	    "unsupported (VPC Lattice has no query parameter match)"));
	assert_true(has_msg(rt->meta.problems, rt->meta.nproblems,
	    "HTTPRoute default/rates: spec.rules[1].matches[2].headers: 6 "
	    "header matches, VPC Lattice allows at most 5"));
	assert_true(has_msg(rt->meta.problems, rt->meta.nproblems,
	    "HTTPRoute default/rates: spec.rules[1].matches[3].headers[0]."
	    "type: unsupported value \"RegularExpression\""));
	assert_true(has_msg(rt->meta.problems, rt->meta.nproblems,
	    "HTTPRoute default/rates: metadata.annotations[application-"
	    "networking.k8s.aws/rule-2-priority]: priority 300 out of range "
	    "1..100"));
	assert_true(has_msg(rt->meta.problems, rt->meta.nproblems,
	    "HTTPRoute default/rates: metadata.annotations[application-"
	    "networking.k8s.aws/service-name-override]: invalid service name "
	    "override 'svc-bad': service name cannot start with 'svc-'"));
	assert_int_equal(rt->meta.nproblems, 6);
	assert_int_equal(rt->rules[0].unsupported, 0);
	assert_int_equal(rt->rules[1].unsupported, 1);
	assert_int_equal(rt->rules[1].matches[0].unsupported, 1);
	assert_int_equal(rt->rules[1].matches[0].path_type, GW_PATH_REGEX);
	assert_int_equal(rt->rules[1].matches[3].headers[0].regex, 1);
	assert_int_equal(rt->rules[2].unsupported, 1);
	/* an empty rule gets the default match */
	assert_string_equal(rt->rules[2].matches[0].path, "/");
	assert_null(rt->service_name_override);
	assert_int_equal(gw_route_check(rt, &cause), -1);
	assert_string_equal(cause, rt->meta.problems[0]);
	free(cause);
	gw_route_free(rt);
}

/* GRPC and TLS unsupported values; unsupported listener protocols. */
static void
test_unsupported_other(void **state)
{
	struct gw_route		*rt;
	struct gw_gateway	*gw;

	(void)state;
	rt = gwf_route("kind: GRPCRoute\nmetadata: {name: g, namespace: n}\n"
	    "spec:\n  rules:\n  - matches:\n    - method: {method: Get}\n"
	    "    - method: {type: RegularExpression, service: 'a.*'}\n");
	assert_true(has_msg(rt->meta.problems, rt->meta.nproblems,
	    "GRPCRoute n/g: spec.rules[0].matches[0].method.method: "
	    "unsupported without a service (VPC Lattice has no suffix match)"));
	assert_true(has_msg(rt->meta.problems, rt->meta.nproblems,
	    "GRPCRoute n/g: spec.rules[0].matches[1].method.type: unsupported "
	    "value \"RegularExpression\""));
	gw_route_free(rt);
	rt = gwf_route("kind: TLSRoute\nmetadata: {name: t}\nspec:\n"
	    "  rules:\n  - backendRefs: [{name: a, port: 443}]\n"
	    "  - backendRefs: [{name: b, port: 443}]\n");
	assert_true(has_msg(rt->meta.problems, rt->meta.nproblems,
	    "TLSRoute default/t: spec.rules: 2 rules, a TLSRoute must have "
	    "exactly 1"));
	assert_true(has_msg(rt->meta.problems, rt->meta.nproblems,
	    "TLSRoute default/t: spec.hostnames: required for a TLSRoute"));
	assert_int_equal(rt->rules[0].nmatches, 0);
	gw_route_free(rt);
	gw = gwf_gateway("kind: Gateway\nmetadata: {name: g}\nspec:\n"
	    "  gatewayClassName: c\n  listeners:\n"
	    "  - {name: t, protocol: TCP, port: 9000}\n"
	    "  - {name: s, protocol: TLS, port: 443, tls: {mode: Terminate}}\n");
	assert_int_equal(gw->listeners[0].protocol, GW_PROTO_OTHER);
	assert_string_equal(gw->listeners[0].protocol_str, "TCP");
	assert_true(has_msg(gw->meta.problems, gw->meta.nproblems,
	    "Gateway default/g: spec.listeners[0].protocol: unsupported value "
	    "\"TCP\""));
	assert_true(has_msg(gw->meta.problems, gw->meta.nproblems,
	    "Gateway default/g: spec.listeners[1].tls: mode: unsupported "
	    "value \"Terminate\" for protocol TLS (only Passthrough)"));
	gw_gateway_free(gw);
}

/* Fields accepted but ignored are listed; duplicate headers dropped. */
static void
test_ignored_fields(void **state)
{
	struct gw_route	*rt;

	(void)state;
	rt = gwf_route("kind: HTTPRoute\nmetadata:\n  name: r\n"
	    "  annotations: {application-networking.k8s.aws/rule-0-priority: "
	    "high}\n"
	    "spec:\n  rules:\n"
	    "  - filters: [{type: RequestHeaderModifier}]\n"
	    "    matches:\n    - headers:\n"
	    "      - {name: X-Env, value: a}\n      - {name: x-env, value: b}\n"
	    "    backendRefs: [{name: s, port: 80, filters: [{type: x}]}]\n");
	assert_int_equal(rt->meta.nproblems, 0);
	assert_true(has_msg(rt->meta.ignored, rt->meta.nignored,
	    "HTTPRoute default/r: spec.rules[0].filters: ignored"));
	assert_true(has_msg(rt->meta.ignored, rt->meta.nignored,
	    "HTTPRoute default/r: spec.rules[0].backendRefs[0].filters: "
	    "ignored"));
	assert_true(has_msg(rt->meta.ignored, rt->meta.nignored,
	    "HTTPRoute default/r: spec.rules[0].matches[0].headers[1].name: "
	    "duplicate header \"x-env\" ignored"));
	assert_true(has_msg(rt->meta.ignored, rt->meta.nignored,
	    "HTTPRoute default/r: metadata.annotations[application-networking."
	    "k8s.aws/rule-0-priority]: invalid priority \"high\" ignored"));
	assert_int_equal(rt->rules[0].matches[0].nheaders, 1);
	assert_string_equal(rt->rules[0].matches[0].headers[0].value, "a");
	assert_int_equal(rt->rules[0].has_priority, 0);
	gw_route_free(rt);
}

/* Route annotations: priorities, override, takeover, tags, standalone,
 * metadata fields. */
static void
test_route_annotations(void **state)
{
	struct gw_route	*rt;
	char		 key[64];

	(void)state;
	rt = gwf_route("kind: HTTPRoute\nmetadata:\n  name: r\n"
	    "  namespace: ns1\n  generation: 7\n  uid: u-1\n"
	    "  resourceVersion: '42'\n"
	    "  deletionTimestamp: '2024-01-01T00:00:00Z'\n"
	    "  finalizers: [httproute.k8s.aws/resources]\n"
	    "  annotations:\n"
	    "    application-networking.k8s.aws/rule-1-priority: '7'\n"
	    "    application-networking.k8s.aws/service-name-override: my-svc-1\n"
	    "    application-networking.k8s.aws/allow-takeover-from: 1/c/vpc-1\n"
	    "    application-networking.k8s.aws/standalone: ' FALSE '\n"
	    "    application-networking.k8s.aws/tags: 'Team = a , env=prod,"
	    "aws:x=1,application-networking.k8s.aws/ManagedBy=me,bad,Team=b,"
	    "k=,=v,q=a|b'\n"
	    "spec:\n  rules: [{}, {}]\n");
	assert_int_equal(rt->meta.generation, 7);
	assert_string_equal(rt->meta.uid, "u-1");
	assert_string_equal(rt->meta.resource_version, "42");
	assert_int_equal(rt->meta.deleting, 1);
	assert_true(gw_meta_has_finalizer(&rt->meta,
	    "httproute.k8s.aws/resources"));
	assert_false(gw_meta_has_finalizer(&rt->meta, "x"));
	assert_string_equal(gw_meta_key(&rt->meta, key, sizeof key), "ns1/r");
	assert_int_equal(rt->rules[0].has_priority, 0);
	assert_int_equal(rt->rules[1].has_priority, 1);
	assert_int_equal(rt->rules[1].priority, 7);
	assert_string_equal(rt->service_name_override, "my-svc-1");
	assert_string_equal(rt->allow_takeover_from, "1/c/vpc-1");
	assert_int_equal(rt->standalone, 0);
	assert_int_equal(rt->ntags, 2);
	assert_string_equal(rt->tags[0].key, "Team");
	assert_string_equal(rt->tags[0].value, "a");
	assert_string_equal(rt->tags[1].key, "env");
	assert_string_equal(rt->tags[1].value, "prod");
	assert_int_equal(rt->meta.nproblems, 0);
	assert_int_equal(rt->meta.nignored, 1);
	gw_route_free(rt);
}

/* The tags annotation parser: limits, order, reserved prefixes. */
static void
test_tags_parse(void **state)
{
	struct gw_kv	*kv;
	char		 buf[8192], key[300], val[300];
	size_t		 n, skipped, i, len = 0;

	(void)state;
	skipped = gw_tags_parse("", &kv, &n);
	assert_int_equal(n, 0);
	assert_null(kv);
	assert_int_equal(skipped, 0);
	skipped = gw_tags_parse(" a=1 ,, b = x y ,AWS:k=v, c=d@e.f/g:h+i-j_", &kv,
	    &n);
	assert_int_equal(n, 3);
	assert_string_equal(kv[1].value, "x y");
	assert_string_equal(kv[2].value, "d@e.f/g:h+i-j_");
	assert_int_equal(skipped, 1);
	gw_kv_free(kv, n);
	/* 60 tags: 50 taken; reserved ones count toward the 50 */
	buf[0] = '\0';
	len += (size_t)snprintf(buf, sizeof buf, "aws:r=1");
	for (i = 0; i < 59; i++)
		len += (size_t)snprintf(buf + len, sizeof buf - len, ",k%zu=v",
		    i);
	skipped = gw_tags_parse(buf, &kv, &n);
	assert_int_equal(n, 49);
	assert_int_equal(skipped, 11);
	assert_string_equal(kv[48].key, "k48");
	gw_kv_free(kv, n);
	/* key 128 ok, 129 skipped; value 256 ok, 257 skipped */
	memset(key, 'k', 129);
	key[129] = '\0';
	memset(val, 'v', 257);
	val[257] = '\0';
	snprintf(buf, sizeof buf, "%.128s=1,%s=2,a=%.256s,b=%s", key, key, val,
	    val);
	skipped = gw_tags_parse(buf, &kv, &n);
	assert_int_equal(n, 2);
	assert_int_equal(strlen(kv[0].key), 128);
	assert_int_equal(strlen(kv[1].value), 256);
	assert_int_equal(skipped, 2);
	gw_kv_free(kv, n);
	/* non-ASCII letters are allowed */
	skipped = gw_tags_parse("équipe=café", &kv, &n);
	assert_int_equal(n, 1);
	assert_int_equal(skipped, 0);
	gw_kv_free(kv, n);
}

/* service-name-override rules (upstream messages). */
static void
test_service_name_check(void **state)
{
	static const struct {
		const char	*name;
		const char	*why;	/* NULL: valid */
	} cases[] = {
		{ "abc", NULL },
		{ "my-svc-01", NULL },
		{ "0123456789012345678901234567890123456789", NULL },
		{ "ab", "at least 3 characters" },
		{ "01234567890123456789012345678901234567890", "exceed 40" },
		{ "My-svc", "only lowercase" },
		{ "my_svc", "only lowercase" },
		{ "svc-abc", "start with 'svc-'" },
		{ "-abc", "start with a hyphen" },
		{ "abc-", "end with a hyphen" },
		{ "a--b", "double hyphens" },
	};
	char	*cause;
	size_t	 i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		cause = NULL;
		if (cases[i].why == NULL) {
			assert_int_equal(gw_service_name_check(cases[i].name,
			    &cause), 0);
			continue;
		}
		assert_int_equal(gw_service_name_check(cases[i].name, &cause),
		    -1);
		if (strstr(cause, cases[i].why) == NULL)
			fail_msg("%s: %s", cases[i].name, cause);
		free(cause);
	}
	assert_true(gw_ann_true("true"));
	assert_true(gw_ann_true(" TRUE\t"));
	assert_false(gw_ann_true("yes"));
	assert_false(gw_ann_true(""));
	assert_false(gw_ann_true(NULL));
}

/* Service ports and EndpointSlice endpoints with Kubernetes defaults. */
static void
test_service_and_slice(void **state)
{
	struct gw_service	*svc;
	struct gw_endpointslice	*es;
	cJSON			*obj;
	char			*cause = NULL;

	(void)state;
	obj = gwf_yaml("apiVersion: v1\nkind: Service\n"
	    "metadata: {name: parking, namespace: hotel}\n"
	    "spec:\n  selector: {app: parking}\n  ipFamilies: [IPv4]\n"
	    "  ports:\n  - {name: http, port: 80, targetPort: 8090}\n"
	    "  - {port: 81, targetPort: web, protocol: TCP}\n  - {port: 82}\n");
	if (gw_service_parse(obj, &svc, &cause) != 0)
		fail_msg("%s", cause);
	cJSON_Delete(obj);
	assert_string_equal(svc->type, "ClusterIP");
	assert_int_equal(svc->nselector, 1);
	assert_int_equal(svc->nports, 3);
	assert_string_equal(svc->ports[0].name, "http");
	assert_int_equal(svc->ports[0].target_port, 8090);
	assert_null(svc->ports[1].name);
	assert_string_equal(svc->ports[1].target_port_name, "web");
	assert_int_equal(svc->ports[1].target_port, 0);
	assert_int_equal(svc->ports[2].target_port, 82);
	assert_string_equal(svc->ports[2].protocol, "TCP");
	assert_ptr_equal(gw_service_port_find(svc, 81), &svc->ports[1]);
	assert_null(gw_service_port_find(svc, 83));
	gw_service_free(svc);

	obj = gwf_yaml("apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\n"
	    "metadata:\n  name: parking-abc\n  namespace: hotel\n"
	    "  labels: {kubernetes.io/service-name: parking}\n"
	    "addressType: IPv4\n"
	    "ports: [{name: http, port: 8090, protocol: TCP}]\n"
	    "endpoints:\n"
	    "- addresses: [10.0.0.1]\n"
	    "  conditions: {ready: true}\n"
	    "  targetRef: {kind: Pod, namespace: hotel, name: p-1}\n"
	    "- addresses: [10.0.0.2]\n"
	    "  conditions: {ready: false, serving: true, terminating: true}\n"
	    "- addresses: [10.0.0.3]\n");
	if (gw_endpointslice_parse(obj, &es, &cause) != 0)
		fail_msg("%s", cause);
	cJSON_Delete(obj);
	assert_string_equal(es->service_name, "parking");
	assert_string_equal(es->address_type, "IPv4");
	assert_int_equal(es->nports, 1);
	assert_int_equal(es->ports[0].port, 8090);
	assert_int_equal(es->nendpoints, 3);
	assert_string_equal(es->endpoints[0].addresses[0], "10.0.0.1");
	assert_string_equal(es->endpoints[0].target_name, "p-1");
	assert_true(es->endpoints[0].ready && es->endpoints[0].serving);
	assert_false(es->endpoints[0].terminating);
	assert_false(es->endpoints[1].ready);
	assert_true(es->endpoints[1].serving && es->endpoints[1].terminating);
	assert_true(es->endpoints[2].ready && es->endpoints[2].serving);
	assert_false(es->endpoints[2].terminating);
	gw_endpointslice_free(es);
}

/* ServiceExport and ServiceImport annotations. */
static void
test_export_import(void **state)
{
	struct gw_serviceexport	*se;
	struct gw_serviceimport	*si;
	cJSON			*obj;
	char			*cause = NULL;

	(void)state;
	obj = gwf_yaml("kind: ServiceExport\nmetadata:\n  name: e\n"
	    "  annotations:\n"
	    "    application-networking.k8s.aws/federation: amazon-vpc-lattice\n"
	    "    application-networking.k8s.aws/service-name: ' real-svc '\n"
	    "    application-networking.k8s.aws/port: '80,8080'\n"
	    "spec:\n  exportedPorts: [{port: 80, routeType: HTTP}, "
	    "{port: 443, routeType: TLS}]\n");
	if (gw_serviceexport_parse(obj, &se, &cause) != 0)
		fail_msg("%s", cause);
	cJSON_Delete(obj);
	assert_true(se->federated);
	assert_string_equal(se->service_name, "real-svc");
	assert_int_equal(se->nlegacy_ports, 2);
	assert_int_equal(se->legacy_ports[1], 8080);
	assert_int_equal(se->nports, 2);
	assert_string_equal(se->ports[1].route_type, "TLS");
	gw_serviceexport_free(se);

	obj = gwf_yaml("kind: ServiceImport\nmetadata:\n  name: i\n"
	    "  annotations:\n"
	    "    application-networking.k8s.aws/target-group-arn: "
	    "arn:aws:vpc-lattice:us-west-2:123456789012:targetgroup/"
	    "tg-0123456789abcdef0\n"
	    "spec: {ports: [{port: 80, protocol: TCP}]}\n");
	if (gw_serviceimport_parse(obj, &si, &cause) != 0)
		fail_msg("%s", cause);
	cJSON_Delete(obj);
	assert_string_equal(si->type, "ClusterSetIP");
	assert_string_equal(si->target_group_id, "tg-0123456789abcdef0");
	assert_false(si->conflicting);
	assert_false(si->arn_invalid);
	assert_int_equal(si->meta.nproblems, 0);
	gw_serviceimport_free(si);

	obj = gwf_yaml("kind: ServiceImport\nmetadata:\n  name: i\n"
	    "  annotations:\n"
	    "    application-networking.k8s.aws/target-group-arn: "
	    "arn:aws:elasticloadbalancing:us-west-2:1:targetgroup/x\n"
	    "    application-networking.k8s.aws/aws-eks-cluster-name: c2\n"
	    "spec: {}\n");
	if (gw_serviceimport_parse(obj, &si, &cause) != 0)
		fail_msg("%s", cause);
	cJSON_Delete(obj);
	assert_true(si->conflicting);
	assert_true(si->arn_invalid);
	assert_string_equal(si->eks_cluster, "c2");
	assert_int_equal(si->meta.nproblems, 1);
	gw_serviceimport_free(si);
}

/* The four policies. */
static void
test_policies(void **state)
{
	struct gw_tgpolicy	*tgp;
	struct gw_vapolicy	*vap;
	struct gw_alpolicy	*alp;
	struct gw_iampolicy	*iap;
	cJSON			*obj;
	char			*cause = NULL;

	(void)state;
	obj = gwf_yaml("kind: TargetGroupPolicy\nmetadata: {name: p, "
	    "namespace: n}\nspec:\n  targetRef: {kind: Service, name: s}\n"
	    "  protocol: HTTP\n  protocolVersion: HTTP2\n"
	    "  healthCheck: {enabled: true, intervalSeconds: 10, "
	    "timeoutSeconds: 1, healthyThresholdCount: 3, path: /health, "
	    "statusMatch: '200-299', protocol: HTTPS, protocolVersion: HTTP1}\n");
	if (gw_tgpolicy_parse(obj, &tgp, &cause) != 0)
		fail_msg("%s", cause);
	cJSON_Delete(obj);
	assert_string_equal(tgp->target.group, "");
	assert_string_equal(tgp->target.ns, "n");
	assert_string_equal(tgp->protocol_version, "HTTP2");
	assert_true(tgp->has_health_check);
	assert_true(tgp->health_check.has_enabled && tgp->health_check.enabled);
	assert_int_equal(tgp->health_check.interval, 10);
	assert_int_equal(tgp->health_check.unhealthy, 0);
	assert_string_equal(tgp->health_check.path, "/health");
	assert_string_equal(tgp->health_check.protocol, "HTTPS");
	assert_int_equal(tgp->meta.nproblems, 0);
	gw_tgpolicy_free(tgp);

	obj = gwf_yaml("kind: TargetGroupPolicy\nmetadata: {name: p}\nspec:\n"
	    "  targetRef: {kind: Gateway, name: g}\n  protocol: UDP\n");
	if (gw_tgpolicy_parse(obj, &tgp, &cause) != 0)
		fail_msg("%s", cause);
	cJSON_Delete(obj);
	assert_int_equal(tgp->meta.nproblems, 2);
	assert_string_equal(tgp->meta.problems[0], "TargetGroupPolicy default/p:"
	    " spec.protocol: unsupported value \"UDP\"");
	assert_string_equal(tgp->meta.problems[1], "TargetGroupPolicy default/p:"
	    " spec.targetRef.kind: unsupported value \"Gateway\"");
	gw_tgpolicy_free(tgp);

	obj = gwf_yaml("kind: VpcAssociationPolicy\nmetadata: {name: v}\n"
	    "spec:\n  targetRef: {group: gateway.networking.k8s.io, kind: "
	    "Gateway, name: g}\n  securityGroupIds: [sg-1, sg-2]\n");
	if (gw_vapolicy_parse(obj, &vap, &cause) != 0)
		fail_msg("%s", cause);
	cJSON_Delete(obj);
	assert_true(vap->associate);
	assert_int_equal(vap->nsecurity_groups, 2);
	gw_vapolicy_free(vap);

	obj = gwf_yaml("kind: AccessLogPolicy\nmetadata: {name: a, namespace: "
	    "n}\nspec:\n  destinationArn: arn:aws:s3:::bucket\n"
	    "  targetRef: {kind: HTTPRoute, name: r, namespace: other}\n");
	if (gw_alpolicy_parse(obj, &alp, &cause) != 0)
		fail_msg("%s", cause);
	cJSON_Delete(obj);
	assert_string_equal(alp->destination_arn, "arn:aws:s3:::bucket");
	assert_int_equal(alp->meta.nproblems, 1);
	gw_alpolicy_free(alp);

	obj = gwf_yaml("kind: IAMAuthPolicy\nmetadata: {name: i}\nspec:\n"
	    "  targetRef: {kind: Gateway, name: g}\n  policy: '{\"a\":1}'\n");
	if (gw_iampolicy_parse(obj, &iap, &cause) != 0)
		fail_msg("%s", cause);
	cJSON_Delete(obj);
	assert_string_equal(iap->policy, "{\"a\":1}");
	assert_int_equal(iap->meta.nproblems, 0);
	gw_iampolicy_free(iap);
}

/* ReferenceGrant parse and matching. */
static void
test_refgrant(void **state)
{
	struct gw_refgrant	*g;
	cJSON			*obj;
	char			*cause = NULL;

	(void)state;
	obj = gwf_yaml("apiVersion: gateway.networking.k8s.io/v1beta1\n"
	    "kind: ReferenceGrant\nmetadata: {name: g, namespace: back}\n"
	    "spec:\n  from:\n  - {group: gateway.networking.k8s.io, kind: "
	    "HTTPRoute, namespace: front}\n"
	    "  to:\n  - {group: '', kind: Service, name: db}\n"
	    "  - {group: '', kind: Service, name: ''}\n");
	if (gw_refgrant_parse(obj, &g, &cause) != 0)
		fail_msg("%s", cause);
	cJSON_Delete(obj);
	assert_int_equal(g->nfrom, 1);
	assert_int_equal(g->nto, 2);
	assert_null(g->to[1].name);
	assert_true(gw_refgrant_permits(g, "gateway.networking.k8s.io",
	    "HTTPRoute", "front", "", "Service", "anything"));
	assert_false(gw_refgrant_permits(g, "gateway.networking.k8s.io",
	    "GRPCRoute", "front", "", "Service", "db"));
	assert_false(gw_refgrant_permits(g, "gateway.networking.k8s.io",
	    "HTTPRoute", "other", "", "Service", "db"));
	assert_false(gw_refgrant_permits(g, "gateway.networking.k8s.io",
	    "HTTPRoute", "front", "", "ServiceImport", "db"));
	gw_refgrant_free(g);
}

/* Label selectors. */
static void
test_selector(void **state)
{
	struct gw_gateway	*gw;
	const struct gw_selector *s;
	struct gw_kv		 a[] = { { "team", "a" }, { "env", "prod" } };
	struct gw_kv		 b[] = { { "team", "a" }, { "env", "test" } };
	struct gw_kv		 c[] = { { "team", "a" } };

	(void)state;
	gw = gwf_gateway("kind: Gateway\nmetadata: {name: g}\nspec:\n"
	    "  gatewayClassName: c\n  listeners:\n  - name: h\n"
	    "    protocol: HTTP\n    port: 80\n    allowedRoutes:\n"
	    "      namespaces:\n        from: Selector\n        selector:\n"
	    "          matchLabels: {team: a}\n"
	    "          matchExpressions:\n"
	    "          - {key: env, operator: NotIn, values: [test]}\n"
	    "          - {key: team, operator: Exists}\n");
	s = &gw->listeners[0].selector;
	assert_true(gw_selector_matches(s, a, 2));
	assert_false(gw_selector_matches(s, b, 2));
	assert_true(gw_selector_matches(s, c, 1));
	assert_false(gw_selector_matches(s, NULL, 0));
	gw_gateway_free(gw);
}

/* Hostname intersection, Gateway API rules. */
static void
test_hostnames(void **state)
{
	(void)state;
	assert_true(gw_hostname_intersects(NULL, "a.b"));
	assert_true(gw_hostname_intersects("a.b", NULL));
	assert_true(gw_hostname_intersects("a.example.com", "A.Example.com"));
	assert_false(gw_hostname_intersects("a.example.com", "b.example.com"));
	assert_true(gw_hostname_intersects("*.example.com", "a.example.com"));
	assert_true(gw_hostname_intersects("*.example.com", "a.b.example.com"));
	assert_false(gw_hostname_intersects("*.example.com", "example.com"));
	assert_false(gw_hostname_intersects("*.example.com", "aexample.com"));
	assert_true(gw_hostname_intersects("a.example.com", "*.example.com"));
	assert_true(gw_hostname_intersects("*.example.com", "*.a.example.com"));
	assert_true(gw_hostname_intersects("*.a.example.com", "*.example.com"));
	assert_false(gw_hostname_intersects("*.example.com", "*.example.org"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_examples_parse),
		cmocka_unit_test(test_example_rates),
		cmocka_unit_test(test_example_grpc),
		cmocka_unit_test(test_gateway_listeners),
		cmocka_unit_test(test_invalid_errors),
		cmocka_unit_test(test_invalid_shapes),
		cmocka_unit_test(test_unsupported_values),
		cmocka_unit_test(test_unsupported_other),
		cmocka_unit_test(test_ignored_fields),
		cmocka_unit_test(test_route_annotations),
		cmocka_unit_test(test_tags_parse),
		cmocka_unit_test(test_service_name_check),
		cmocka_unit_test(test_service_and_slice),
		cmocka_unit_test(test_export_import),
		cmocka_unit_test(test_policies),
		cmocka_unit_test(test_refgrant),
		cmocka_unit_test(test_selector),
		cmocka_unit_test(test_hostnames),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
