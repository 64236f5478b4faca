/*
 * Fuzz the builder: the input is a route as JSON (kind HTTPRoute,
 * GRPCRoute or TLSRoute); when gwapi types it, build it against a fixed
 * world (GatewayClass, Gateways with HTTP/HTTPS/TLS listeners, Services,
 * a ServiceImport, EndpointSlices, a TargetGroupPolicy, other routes)
 * and check the model's invariants: every forward key names a TG of the
 * stack, priorities strictly increase and stay in 1..2000, weights in
 * 0..999, at most 10 TGs per action and 5 headers per match, names obey
 * Lattice's patterns, and a second build prints the same JSON.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../unit/builder_fixture.h"

#define FUZZ_MAX_INPUT	32768

static const char world[] =
"apiVersion: gateway.networking.k8s.io/v1\n"
"kind: GatewayClass\n"
"metadata: {name: amazon-vpc-lattice}\n"
"spec: {controllerName: application-networking.k8s.aws/gateway-api-controller}\n"
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
"    tls: {mode: Terminate, options: "
"{application-networking.k8s.aws/certificate-arn: arn:x}}\n"
"  - {name: tls, protocol: TLS, port: 8443, tls: {mode: Passthrough}}\n"
"---\n"
"apiVersion: gateway.networking.k8s.io/v1\n"
"kind: Gateway\n"
"metadata: {name: gw2, annotations: "
"{application-networking.k8s.aws/standalone: \"true\"}}\n"
"spec:\n"
"  gatewayClassName: amazon-vpc-lattice\n"
"  listeners: [{name: http, protocol: HTTP, port: 8080}]\n"
"---\n"
"apiVersion: v1\n"
"kind: Service\n"
"metadata: {name: a}\n"
"spec: {ports: [{name: http, port: 80, targetPort: 8080}, "
"{name: m, port: 9090}]}\n"
"---\n"
"apiVersion: v1\n"
"kind: Service\n"
"metadata: {name: b}\n"
"spec: {ports: [{port: 80}]}\n"
"---\n"
"apiVersion: application-networking.k8s.aws/v1alpha1\n"
"kind: ServiceImport\n"
"metadata: {name: imp}\n"
"spec: {type: ClusterSetIP, ports: [{port: 80, protocol: TCP}]}\n"
"---\n"
"apiVersion: discovery.k8s.io/v1\n"
"kind: EndpointSlice\n"
"metadata: {name: a-1, labels: {kubernetes.io/service-name: a}}\n"
"addressType: IPv4\n"
"ports: [{name: http, port: 8080}, {name: m, port: 9090}]\n"
"endpoints: [{addresses: [10.0.0.1, 10.0.0.2]}, {addresses: [10.0.0.3], "
"conditions: {ready: false}}]\n"
"---\n"
"apiVersion: application-networking.k8s.aws/v1alpha1\n"
"kind: TargetGroupPolicy\n"
"metadata: {name: p}\n"
"spec: {targetRef: {group: \"\", kind: Service, name: b}, protocol: HTTPS,"
" healthCheck: {enabled: true, path: /h}}\n"
"---\n"
"apiVersion: gateway.networking.k8s.io/v1\n"
"kind: HTTPRoute\n"
"metadata: {name: collide-with-me-please-1, creationTimestamp: "
"\"2020-01-01T00:00:00Z\"}\n"
"spec: {parentRefs: [{name: gw}], rules: [{backendRefs: [{name: a, "
"port: 80}]}]}\n";

/* Whether s obeys a Lattice name pattern (length lo..hi). */
static int
fuzz_name_ok(const char *s, size_t lo, size_t hi)
{
	size_t	len = strlen(s), i;

	if (len < lo || len > hi || s[0] == '-' || s[len - 1] == '-' ||
	    strstr(s, "--") != NULL)
		return 0;
	for (i = 0; i < len; i++) {
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return 0;
	}
	return 1;
}

/* Check one action against the stack. */
static void
fuzz_check_action(const struct lm_stack *s, const struct lm_action *a)
{
	size_t	i;

	if (a->kind == LM_ACTION_FIXED) {
		if (a->n_tgs != 0 || a->status_code < 200)
			abort();
		return;
	}
	if (a->n_tgs == 0 || a->n_tgs > LM_MAX_WEIGHTED_TGS)
		abort();
	for (i = 0; i < a->n_tgs; i++) {
		if (fx_tg(s, a->tgs[i].tg_key) == NULL ||
		    a->tgs[i].weight < 0 || a->tgs[i].weight > LM_MAX_WEIGHT)
			abort();
	}
}

/* Check one listener and its rules. */
static void
fuzz_check_listener(const struct lm_stack *s, const struct lm_listener *l)
{
	size_t	i;

	if (!fuzz_name_ok(l->name, 3, 63))
		abort();
	fuzz_check_action(s, &l->default_action);
	for (i = 0; i < l->n_rules; i++) {
		const struct lm_rule *r = &l->rules[i];

		if (r->priority < 1 || r->priority > LM_MAX_PRIORITY ||
		    (i > 0 && r->priority <= l->rules[i - 1].priority) ||
		    r->match.n_headers > LM_MAX_HEADER_MATCHES ||
		    !fuzz_name_ok(r->name, 3, 63))
			abort();
		fuzz_check_action(s, &r->action);
	}
}

/* The model's invariants. */
static void
fuzz_check(const struct lm_stack *s)
{
	size_t	i;

	if (s->service == NULL || !fuzz_name_ok(s->service->name, 3, 40))
		abort();
	for (i = 0; i < s->n_listeners; i++)
		fuzz_check_listener(s, &s->listeners[i]);
	for (i = 0; i < s->n_tgs; i++) {
		if (s->tgs[i].kind == LM_TG_OWNED &&
		    !fuzz_name_ok(s->tgs[i].name, 3, 128))
			abort();
	}
}

/* The stack as compact JSON (caller frees). */
static char *
fuzz_json(const struct lm_stack *s)
{
	cJSON	*j = lm_stack_to_json(s);
	char	*out = cJSON_PrintUnformatted(j);

	cJSON_Delete(j);
	return out;
}

/* Build twice, check invariants and determinism. */
static void
fuzz_build(struct fx *fx, const struct gw_route *r)
{
	struct lm_route_result	 a, b;
	char			*ja, *jb;

	lm_build_route(&fx->cfg, &fx->src, r, &a);
	if (a.stack == NULL) {
		lm_route_result_free(&a);
		return;
	}
	fuzz_check(a.stack);
	lm_build_route(&fx->cfg, &fx->src, r, &b);
	if (b.stack == NULL)
		abort();
	ja = fuzz_json(a.stack);
	jb = fuzz_json(b.stack);
	if (strcmp(ja, jb) != 0)
		abort();
	free(ja);
	free(jb);
	lm_route_result_free(&a);
	lm_route_result_free(&b);
}

/* One input: a route as JSON (the world is built once). */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct fx	*fx;
	struct gw_route		*r = NULL;
	cJSON			*obj;
	char			*cause = NULL;

	if (fx == NULL) {
		fx = xcalloc(1, sizeof *fx);
		fx_init(fx);
		if (fx_load_text(fx, world, &cause) != 0)
			abort();
	}
	if (size > FUZZ_MAX_INPUT)
		return 0;
	obj = cJSON_ParseWithLength((const char *)data, size);
	if (obj == NULL)
		return 0;
	if (gw_route_parse(obj, GW_ROUTE_ANY, &r, &cause) == 0) {
		fuzz_build(fx, r);
		gw_route_free(r);
	}
	free(cause);
	cJSON_Delete(obj);
	return 0;
}
