/* gwapi resolution: every Accepted and ResolvedRefs reason, ReferenceGrant
 * enforcement, standalone decision, listener status helpers. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/gwapi.h"
#include "latticectl/yaml.h"

#include "gw_fixture.h"

/* The world most tests share: our class, another class, the my-hotel
 * Gateway (default ns), a foreign Gateway, namespaces and Services. */
static const char *world =
    "kind: GatewayClass\nmetadata: {name: amazon-vpc-lattice}\n"
    "spec: {controllerName: application-networking.k8s.aws/gateway-api-controller}\n"
    "---\n"
    "kind: GatewayClass\nmetadata: {name: other}\n"
    "spec: {controllerName: example.com/other}\n"
    "---\n"
    "kind: Gateway\nmetadata: {name: my-hotel, namespace: default}\n"
    "spec:\n  gatewayClassName: amazon-vpc-lattice\n  listeners:\n"
    "  - {name: http, protocol: HTTP, port: 80}\n"
    "  - {name: https, protocol: HTTPS, port: 443, hostname: '*.example.com'}\n"
    "  - name: all\n    protocol: HTTP\n    port: 8080\n"
    "    allowedRoutes: {namespaces: {from: All}}\n"
    "  - name: sel\n    protocol: HTTP\n    port: 8081\n"
    "    allowedRoutes:\n      namespaces:\n        from: Selector\n"
    "        selector: {matchLabels: {team: a}}\n"
    "  - name: grpc-only\n    protocol: HTTP\n    port: 8082\n"
    "    allowedRoutes: {kinds: [{kind: GRPCRoute}]}\n"
    "  - name: tls\n    protocol: TLS\n    port: 8443\n"
    "    tls: {mode: Passthrough}\n"
    "---\n"
    "kind: Gateway\nmetadata: {name: foreign, namespace: default}\n"
    "spec:\n  gatewayClassName: other\n  listeners:\n"
    "  - {name: http, protocol: HTTP, port: 80}\n"
    "---\n"
    "kind: Namespace\nmetadata: {name: team-a, labels: {team: a}}\n"
    "---\n"
    "kind: Namespace\nmetadata: {name: team-b, labels: {team: b}}\n"
    "---\n"
    "kind: Service\nmetadata: {name: parking, namespace: default}\n"
    "spec: {ports: [{port: 80, targetPort: 8090}]}\n"
    "---\n"
    "kind: Service\nmetadata: {name: db, namespace: data}\n"
    "spec: {ports: [{port: 5432}]}\n"
    "---\n"
    "kind: Service\nmetadata: {name: dual, namespace: default}\n"
    "spec: {ipFamilies: [IPv4, IPv6], ports: [{port: 80}]}\n"
    "---\n"
    "kind: ServiceImport\nmetadata: {name: inventory-ver2, namespace: default}\n"
    "spec: {type: ClusterSetIP, ports: [{port: 80, protocol: TCP}]}\n"
    "---\n"
    "kind: ServiceImport\nmetadata:\n  name: bad-import\n"
    "  annotations:\n"
    "    application-networking.k8s.aws/target-group-arn: "
    "arn:aws:vpc-lattice:us-west-2:1:targetgroup/tg-0123456789abcdef0\n"
    "    application-networking.k8s.aws/export-name: x\n"
    "spec: {}\n"
    "---\n"
    "kind: ServiceImport\nmetadata:\n  name: bad-arn\n"
    "  annotations:\n"
    "    application-networking.k8s.aws/target-group-arn: nope\n"
    "spec: {}\n";

/* A snapshot holding the world. */
static struct gw_snapshot *
new_world(struct gw_lookup *lk)
{
	struct gw_snapshot	*s = gw_snapshot_new();

	gwf_snap(s, world);
	gw_snapshot_lookup(s, lk);
	return s;
}

/* Resolve parentRef 0 of a route given as YAML; returns the route. */
static struct gw_route *
parent0(const struct gw_lookup *lk, const char *text,
    struct gw_parent_result *pr)
{
	struct gw_route	*rt = gwf_route(text);

	gw_resolve_parent(rt, 0, lk, pr);
	return rt;
}

/* Assert a parent result's outcome. */
static void
assert_parent(const struct gw_parent_result *pr, int accepted,
    const char *reason)
{
	if (pr->accepted != accepted || strcmp(pr->reason, reason) != 0)
		fail_msg("parent: accepted=%d %s (%s), want %d %s",
		    pr->accepted, pr->reason, pr->message, accepted, reason);
}

/* Accepted, with the listeners the sectionName/port select. */
static void
test_parent_accepted(void **state)
{
	struct gw_parent_result	 pr;
	struct gw_lookup	 lk;
	struct gw_snapshot	*s = new_world(&lk);
	struct gw_route		*rt;

	(void)state;
	rt = parent0(&lk, "kind: HTTPRoute\nmetadata: {name: rates}\nspec:\n"
	    "  parentRefs: [{name: my-hotel, sectionName: http}]\n", &pr);
	assert_parent(&pr, 1, "Accepted");
	assert_true(pr.ours);
	assert_non_null(pr.gateway);
	assert_string_equal(pr.gateway->meta.name, "my-hotel");
	assert_int_equal(pr.nlisteners, 1);
	assert_int_equal(pr.listeners[0], 0);
	assert_string_equal(pr.message, "");
	gw_parent_result_clear(&pr);
	gw_route_free(rt);

	/* no sectionName: every listener that allows HTTPRoute from
	 * default (not the Selector one: default has no labels known,
	 * nor grpc-only, nor tls) */
	rt = parent0(&lk, "kind: HTTPRoute\nmetadata: {name: r}\nspec:\n"
	    "  parentRefs: [{name: my-hotel}]\n", &pr);
	assert_parent(&pr, 1, "Accepted");
	assert_int_equal(pr.nlisteners, 3);
	assert_int_equal(pr.listeners[0], 0);
	assert_int_equal(pr.listeners[1], 1);
	assert_int_equal(pr.listeners[2], 2);
	gw_parent_result_clear(&pr);
	gw_route_free(rt);

	/* port selects */
	rt = parent0(&lk, "kind: HTTPRoute\nmetadata: {name: r}\nspec:\n"
	    "  parentRefs: [{name: my-hotel, port: 8080}]\n", &pr);
	assert_parent(&pr, 1, "Accepted");
	assert_int_equal(pr.nlisteners, 1);
	assert_int_equal(pr.listeners[0], 2);
	gw_parent_result_clear(&pr);
	gw_route_free(rt);

	/* TLSRoute on the passthrough listener */
	rt = parent0(&lk, "kind: TLSRoute\nmetadata: {name: t}\nspec:\n"
	    "  parentRefs: [{name: my-hotel}]\n  hostnames: [a.b]\n"
	    "  rules: [{backendRefs: [{name: parking, port: 80}]}]\n", &pr);
	assert_parent(&pr, 1, "Accepted");
	assert_int_equal(pr.nlisteners, 1);
	assert_int_equal(pr.listeners[0], 5);
	gw_parent_result_clear(&pr);
	gw_route_free(rt);
	gw_snapshot_free(s);
}

/* NoMatchingParent: missing Gateway, unknown sectionName, port, kind. */
static void
test_parent_no_matching(void **state)
{
	struct gw_parent_result	 pr;
	struct gw_lookup	 lk;
	struct gw_snapshot	*s = new_world(&lk);
	struct gw_route		*rt;

	(void)state;
	rt = parent0(&lk, "kind: HTTPRoute\nmetadata: {name: r}\nspec:\n"
	    "  parentRefs: [{name: nope}]\n", &pr);
	assert_parent(&pr, 0, "NoMatchingParent");
	assert_null(pr.gateway);
	assert_false(pr.ours);
	assert_string_equal(pr.message, "Gateway default/nope not found");
	gw_parent_result_clear(&pr);
	gw_route_free(rt);

	rt = parent0(&lk, "kind: HTTPRoute\nmetadata: {name: r}\nspec:\n"
	    "  parentRefs: [{name: my-hotel, sectionName: missing}]\n", &pr);
	assert_parent(&pr, 0, "NoMatchingParent");
	assert_true(pr.ours);
	assert_int_equal(pr.nlisteners, 0);
	gw_parent_result_clear(&pr);
	gw_route_free(rt);

	rt = parent0(&lk, "kind: HTTPRoute\nmetadata: {name: r}\nspec:\n"
	    "  parentRefs: [{name: my-hotel, sectionName: http, port: 81}]\n",
	    &pr);
	assert_parent(&pr, 0, "NoMatchingParent");
	gw_parent_result_clear(&pr);
	gw_route_free(rt);

	rt = parent0(&lk, "kind: HTTPRoute\nmetadata: {name: r}\nspec:\n"
	    "  parentRefs: [{name: my-hotel, kind: Service, group: ''}]\n", &pr);
	assert_parent(&pr, 0, "NoMatchingParent");
	gw_parent_result_clear(&pr);
	gw_route_free(rt);

	/* a Gateway of another controller: resolved but not ours */
	rt = parent0(&lk, "kind: HTTPRoute\nmetadata: {name: r}\nspec:\n"
	    "  parentRefs: [{name: foreign}]\n", &pr);
	assert_false(pr.ours);
	assert_non_null(pr.gateway);
	gw_parent_result_clear(&pr);
	gw_route_free(rt);
	gw_snapshot_free(s);
}

/* NotAllowedByListeners: allowedRoutes Same from another namespace,
 * Selector, kinds. */
static void
test_parent_not_allowed(void **state)
{
	struct gw_parent_result	 pr;
	struct gw_lookup	 lk;
	struct gw_snapshot	*s = new_world(&lk);
	struct gw_route		*rt;

	(void)state;
	/* Same (the default) from namespace team-b */
	rt = parent0(&lk, "kind: HTTPRoute\nmetadata: {name: r, namespace: "
	    "team-b}\nspec:\n  parentRefs: [{name: my-hotel, namespace: "
	    "default, sectionName: http}]\n", &pr);
	assert_parent(&pr, 0, "NotAllowedByListeners");
	assert_string_equal(pr.message, "HTTPRoute team-b/r: route namespace "
	    "not allowed by the listener");
	gw_parent_result_clear(&pr);
	gw_route_free(rt);

	/* All lets it in */
	rt = parent0(&lk, "kind: HTTPRoute\nmetadata: {name: r, namespace: "
	    "team-b}\nspec:\n  parentRefs: [{name: my-hotel, namespace: "
	    "default, sectionName: all}]\n", &pr);
	assert_parent(&pr, 1, "Accepted");
	gw_parent_result_clear(&pr);
	gw_route_free(rt);

	/* Selector: team-a matches, team-b does not */
	rt = parent0(&lk, "kind: HTTPRoute\nmetadata: {name: r, namespace: "
	    "team-a}\nspec:\n  parentRefs: [{name: my-hotel, namespace: "
	    "default, sectionName: sel}]\n", &pr);
	assert_parent(&pr, 1, "Accepted");
	gw_parent_result_clear(&pr);
	gw_route_free(rt);
	rt = parent0(&lk, "kind: HTTPRoute\nmetadata: {name: r, namespace: "
	    "team-b}\nspec:\n  parentRefs: [{name: my-hotel, namespace: "
	    "default, sectionName: sel}]\n", &pr);
	assert_parent(&pr, 0, "NotAllowedByListeners");
	gw_parent_result_clear(&pr);
	gw_route_free(rt);

	/* kinds: HTTPRoute on grpc-only, TLSRoute on http */
	rt = parent0(&lk, "kind: HTTPRoute\nmetadata: {name: r}\nspec:\n"
	    "  parentRefs: [{name: my-hotel, sectionName: grpc-only}]\n", &pr);
	assert_parent(&pr, 0, "NotAllowedByListeners");
	assert_string_equal(pr.message, "HTTPRoute default/r: route kind not "
	    "allowed by the listener");
	gw_parent_result_clear(&pr);
	gw_route_free(rt);
	rt = parent0(&lk, "kind: GRPCRoute\nmetadata: {name: g}\nspec:\n"
	    "  parentRefs: [{name: my-hotel, sectionName: grpc-only}]\n", &pr);
	assert_parent(&pr, 1, "Accepted");
	gw_parent_result_clear(&pr);
	gw_route_free(rt);
	rt = parent0(&lk, "kind: TLSRoute\nmetadata: {name: t}\nspec:\n"
	    "  parentRefs: [{name: my-hotel, sectionName: http}]\n"
	    "  hostnames: [a.b]\n"
	    "  rules: [{backendRefs: [{name: parking, port: 80}]}]\n", &pr);
	assert_parent(&pr, 0, "NotAllowedByListeners");
	gw_parent_result_clear(&pr);
	gw_route_free(rt);
	gw_snapshot_free(s);
}

/* NoMatchingListenerHostname and UnsupportedValue. */
static void
test_parent_hostname_unsupported(void **state)
{
	struct gw_parent_result	 pr;
	struct gw_lookup	 lk;
	struct gw_snapshot	*s = new_world(&lk);
	struct gw_route		*rt;

	(void)state;
	rt = parent0(&lk, "kind: HTTPRoute\nmetadata: {name: r}\nspec:\n"
	    "  parentRefs: [{name: my-hotel, sectionName: https}]\n"
	    "  hostnames: [api.other.org]\n", &pr);
	assert_parent(&pr, 0, "NoMatchingListenerHostname");
	gw_parent_result_clear(&pr);
	gw_route_free(rt);
	rt = parent0(&lk, "kind: HTTPRoute\nmetadata: {name: r}\nspec:\n"
	    "  parentRefs: [{name: my-hotel, sectionName: https}]\n"
	    "  hostnames: [api.other.org, api.example.com]\n", &pr);
	assert_parent(&pr, 1, "Accepted");
	gw_parent_result_clear(&pr);
	gw_route_free(rt);

	rt = parent0(&lk, "kind: HTTPRoute\nmetadata: {name: rates}\nspec:\n"
	    "  parentRefs: [{name: my-hotel, sectionName: http}]\n"
	    "  rules:\n  - {matches: [{path: {type: PathPrefix, value: /a}}]}\n"
	    "  - {matches: [{path: {type: RegularExpression, value: /r.*}}]}\n",
	    &pr);
	assert_parent(&pr, 0, "UnsupportedValue");
	assert_string_equal(pr.message, "HTTPRoute default/rates: "
	    "spec.rules[1].matches[0].path.type: unsupported value "
	    "\"RegularExpression\"");
	assert_int_equal(pr.nlisteners, 1);
	gw_parent_result_clear(&pr);
	gw_route_free(rt);
	gw_snapshot_free(s);
}

/* Resolve backend (rule, backend) of a route given as YAML. */
static struct gw_route *
backend(const struct gw_lookup *lk, const char *text, size_t r, size_t b,
    struct gw_backend_result *br)
{
	struct gw_route	*rt = gwf_route(text);

	gw_resolve_backend(rt, r, b, lk, br);
	return rt;
}

/* Assert a backend result's outcome. */
static void
assert_backend(const struct gw_backend_result *br, int resolved,
    const char *reason)
{
	if (br->resolved != resolved || strcmp(br->reason, reason) != 0)
		fail_msg("backend: resolved=%d %s (%s), want %d %s",
		    br->resolved, br->reason, br->message, resolved, reason);
}

/* ResolvedRefs, BackendNotFound (object, port), InvalidKind. */
static void
test_backend_reasons(void **state)
{
	struct gw_backend_result br;
	struct gw_lookup	 lk;
	struct gw_snapshot	*s = new_world(&lk);
	struct gw_route		*rt;
	const char		*route =
	    "kind: HTTPRoute\nmetadata: {name: r}\nspec:\n  rules:\n"
	    "  - backendRefs:\n"
	    "    - {name: parking, port: 80}\n"
	    "    - {name: missing, port: 80}\n"
	    "    - {name: parking, port: 81}\n"
	    "    - {name: cm, kind: ConfigMap, group: ''}\n"
	    "    - {name: parking, kind: Service, group: example.com, port: 80}\n"
	    "    - {name: inventory-ver2, kind: ServiceImport}\n"
	    "    - {name: inventory-ver3, kind: ServiceImport, group: "
	    "application-networking.k8s.aws}\n"
	    "    - {name: bad-import, kind: ServiceImport}\n"
	    "    - {name: bad-arn, kind: ServiceImport}\n";

	(void)state;
	rt = backend(&lk, route, 0, 0, &br);
	assert_backend(&br, 1, "ResolvedRefs");
	assert_non_null(br.service);
	assert_int_equal(br.port->target_port, 8090);
	assert_false(br.cross_ns);
	gw_backend_result_clear(&br);
	gw_resolve_backend(rt, 0, 1, &lk, &br);
	assert_backend(&br, 0, "BackendNotFound");
	assert_string_equal(br.message, "backendRef name: missing (Service "
	    "default/missing not found)");
	gw_backend_result_clear(&br);
	gw_resolve_backend(rt, 0, 2, &lk, &br);
	assert_backend(&br, 0, "BackendNotFound");
	assert_non_null(br.service);
	assert_null(br.port);
	gw_backend_result_clear(&br);
	gw_resolve_backend(rt, 0, 3, &lk, &br);
	assert_backend(&br, 0, "InvalidKind");
	gw_backend_result_clear(&br);
	gw_resolve_backend(rt, 0, 4, &lk, &br);
	assert_backend(&br, 0, "InvalidKind");
	gw_backend_result_clear(&br);
	gw_resolve_backend(rt, 0, 5, &lk, &br);
	assert_backend(&br, 1, "ResolvedRefs");
	assert_non_null(br.import);
	assert_null(br.service);
	gw_backend_result_clear(&br);
	gw_resolve_backend(rt, 0, 6, &lk, &br);
	assert_backend(&br, 0, "BackendNotFound");
	gw_backend_result_clear(&br);
	gw_resolve_backend(rt, 0, 7, &lk, &br);
	assert_backend(&br, 0, "ConflictingServiceImportAnnotations");
	gw_backend_result_clear(&br);
	gw_resolve_backend(rt, 0, 8, &lk, &br);
	assert_backend(&br, 0, "InvalidExternalTargetGroup");
	gw_backend_result_clear(&br);
	gw_route_free(rt);
	gw_snapshot_free(s);
}

/* Cross-namespace backendRefs need a ReferenceGrant (we enforce it). */
static void
test_backend_refgrant(void **state)
{
	struct gw_backend_result br;
	struct gw_lookup	 lk;
	struct gw_snapshot	*s = new_world(&lk);
	struct gw_route		*rt;
	const char		*route =
	    "kind: HTTPRoute\nmetadata: {name: r, namespace: default}\n"
	    "spec:\n  rules:\n  - backendRefs: [{name: db, namespace: data, "
	    "port: 5432}]\n";

	(void)state;
	rt = backend(&lk, route, 0, 0, &br);
	assert_backend(&br, 0, "RefNotPermitted");
	assert_null(br.service);
	assert_string_equal(br.message, "backendRef data/db: no "
	    "ReferenceGrant in namespace data allows HTTPRoute from namespace "
	    "default");
	gw_backend_result_clear(&br);

	/* a grant for another name or another kind does not help */
	gwf_snap(s, "kind: ReferenceGrant\nmetadata: {name: g1, namespace: "
	    "data}\nspec:\n  from: [{group: gateway.networking.k8s.io, kind: "
	    "HTTPRoute, namespace: default}]\n"
	    "  to: [{group: '', kind: Service, name: other}]\n"
	    "---\n"
	    "kind: ReferenceGrant\nmetadata: {name: g2, namespace: data}\n"
	    "spec:\n  from: [{group: gateway.networking.k8s.io, kind: "
	    "GRPCRoute, namespace: default}]\n"
	    "  to: [{group: '', kind: Service}]\n"
	    "---\n"
	    "kind: ReferenceGrant\nmetadata: {name: g3, namespace: default}\n"
	    "spec:\n  from: [{group: gateway.networking.k8s.io, kind: "
	    "HTTPRoute, namespace: default}]\n"
	    "  to: [{group: '', kind: Service}]\n");
	gw_resolve_backend(rt, 0, 0, &lk, &br);
	assert_backend(&br, 0, "RefNotPermitted");
	gw_backend_result_clear(&br);

	/* the right grant, in the target's namespace */
	gwf_snap(s, "kind: ReferenceGrant\nmetadata: {name: g4, namespace: "
	    "data}\nspec:\n  from: [{group: gateway.networking.k8s.io, kind: "
	    "HTTPRoute, namespace: default}]\n"
	    "  to: [{group: '', kind: Service, name: db}]\n");
	gw_resolve_backend(rt, 0, 0, &lk, &br);
	assert_backend(&br, 1, "ResolvedRefs");
	assert_true(br.cross_ns);
	assert_string_equal(br.service->meta.ns, "data");
	gw_backend_result_clear(&br);
	gw_route_free(rt);
	gw_snapshot_free(s);
}

/* The whole route: parents, backends, ResolvedRefs summary, dual stack,
 * standalone. */
static void
test_resolve_route(void **state)
{
	struct gw_resolution	 res;
	struct gw_lookup	 lk;
	struct gw_snapshot	*s = new_world(&lk);
	struct gw_route		*rt;

	(void)state;
	rt = gwf_route("kind: HTTPRoute\nmetadata: {name: rates}\nspec:\n"
	    "  parentRefs: [{name: my-hotel, sectionName: http}, "
	    "{name: foreign}, {name: gone}]\n"
	    "  rules:\n  - backendRefs: [{name: parking, port: 80}]\n"
	    "  - backendRefs: [{name: x, port: 80}, {name: db, namespace: data,"
	    " port: 5432}]\n");
	gw_resolve_route(rt, &lk, &res);
	assert_int_equal(res.nparents, 3);
	assert_true(res.ours);
	assert_parent(&res.parents[0], 1, "Accepted");
	assert_false(res.parents[1].ours);
	assert_parent(&res.parents[2], 0, "NoMatchingParent");
	assert_int_equal(res.nbackends, 3);
	assert_int_equal(res.backends[2].rule, 1);
	assert_int_equal(res.backends[2].backend, 1);
	assert_false(res.resolved_refs);
	assert_string_equal(res.resolved_reason, "BackendNotFound");
	assert_string_equal(res.resolved_message, res.backends[1].message);
	assert_int_equal(res.standalone, 0);
	gw_resolution_free(&res);
	gw_route_free(rt);

	rt = gwf_route("kind: HTTPRoute\nmetadata: {name: ok}\nspec:\n"
	    "  parentRefs: [{name: my-hotel, sectionName: http}]\n"
	    "  rules:\n  - backendRefs: [{name: parking, port: 80}]\n");
	gw_resolve_route(rt, &lk, &res);
	assert_true(res.resolved_refs);
	assert_string_equal(res.resolved_reason, "ResolvedRefs");
	assert_string_equal(res.resolved_message, "");
	gw_resolution_free(&res);
	gw_route_free(rt);

	/* a dual-stack Service makes the route UnsupportedValue */
	rt = gwf_route("kind: HTTPRoute\nmetadata: {name: ds}\nspec:\n"
	    "  parentRefs: [{name: my-hotel, sectionName: http}]\n"
	    "  rules:\n  - backendRefs: [{name: dual, port: 80}]\n");
	gw_resolve_route(rt, &lk, &res);
	assert_true(res.resolved_refs);
	assert_parent(&res.parents[0], 0, "UnsupportedValue");
	assert_string_equal(res.parents[0].message,
	    "Dual stack Service is not supported");
	gw_resolution_free(&res);
	gw_route_free(rt);

	/* a route owned by nobody we know */
	rt = gwf_route("kind: HTTPRoute\nmetadata: {name: f}\nspec:\n"
	    "  parentRefs: [{name: foreign}]\n");
	gw_resolve_route(rt, &lk, &res);
	assert_false(res.ours);
	gw_resolution_free(&res);
	gw_route_free(rt);
	gw_snapshot_free(s);
}

/* Standalone: the route annotation wins, else any of our Gateways. */
static void
test_standalone(void **state)
{
	struct gw_lookup	 lk;
	struct gw_snapshot	*s = new_world(&lk);
	struct gw_route		*rt;

	(void)state;
	gwf_snap(s, "kind: Gateway\nmetadata:\n  name: solo\n"
	    "  annotations: {application-networking.k8s.aws/standalone: 'true'}\n"
	    "spec:\n  gatewayClassName: amazon-vpc-lattice\n  listeners:\n"
	    "  - {name: http, protocol: HTTP, port: 80}\n"
	    "---\n"
	    "kind: Gateway\nmetadata:\n  name: solo-foreign\n"
	    "  annotations: {application-networking.k8s.aws/standalone: 'true'}\n"
	    "spec:\n  gatewayClassName: other\n  listeners:\n"
	    "  - {name: http, protocol: HTTP, port: 80}\n");
	rt = gwf_route("kind: HTTPRoute\nmetadata: {name: a}\nspec:\n"
	    "  parentRefs: [{name: my-hotel}, {name: solo}]\n");
	assert_int_equal(gw_route_standalone(rt, &lk), 1);
	gw_route_free(rt);
	rt = gwf_route("kind: HTTPRoute\nmetadata:\n  name: b\n"
	    "  annotations: {application-networking.k8s.aws/standalone: 'false'}\n"
	    "spec:\n  parentRefs: [{name: solo}]\n");
	assert_int_equal(gw_route_standalone(rt, &lk), 0);
	gw_route_free(rt);
	rt = gwf_route("kind: HTTPRoute\nmetadata:\n  name: c\n"
	    "  annotations: {application-networking.k8s.aws/standalone: 'true'}\n"
	    "spec:\n  parentRefs: [{name: my-hotel}]\n");
	assert_int_equal(gw_route_standalone(rt, &lk), 1);
	gw_route_free(rt);
	rt = gwf_route("kind: HTTPRoute\nmetadata: {name: d}\nspec:\n"
	    "  parentRefs: [{name: my-hotel}, {name: solo-foreign}]\n");
	assert_int_equal(gw_route_standalone(rt, &lk), 0);
	gw_route_free(rt);
	gw_snapshot_free(s);
}

/* supportedKinds per protocol, InvalidRouteKinds, attachedRoutes. */
static void
test_listener_status(void **state)
{
	struct gw_lookup	 lk;
	struct gw_snapshot	*s = new_world(&lk);
	const struct gw_gateway	*gw;
	const struct gw_route *const *routes;
	struct gw_gateway	*bad;
	const char		*kinds[2];
	int32_t			 counts[6];
	size_t			 n;
	int			 invalid;

	(void)state;
	gw = lk.gateway(lk.arg, "default", "my-hotel");
	assert_non_null(gw);
	assert_true(gw_gateway_is_ours(gw, &lk));
	n = gw_listener_supported_kinds(&gw->listeners[0], kinds, &invalid);
	assert_int_equal(n, 2);
	assert_string_equal(kinds[0], "HTTPRoute");
	assert_string_equal(kinds[1], "GRPCRoute");
	assert_false(invalid);
	n = gw_listener_supported_kinds(&gw->listeners[4], kinds, &invalid);
	assert_int_equal(n, 1);
	assert_string_equal(kinds[0], "GRPCRoute");
	n = gw_listener_supported_kinds(&gw->listeners[5], kinds, &invalid);
	assert_int_equal(n, 1);
	assert_string_equal(kinds[0], "TLSRoute");
	bad = gwf_gateway("kind: Gateway\nmetadata: {name: b}\nspec:\n"
	    "  gatewayClassName: amazon-vpc-lattice\n  listeners:\n"
	    "  - name: h\n    protocol: HTTP\n    port: 80\n"
	    "    allowedRoutes: {kinds: [{kind: TCPRoute}, {kind: HTTPRoute}]}\n");
	n = gw_listener_supported_kinds(&bad->listeners[0], kinds, &invalid);
	assert_int_equal(n, 1);
	assert_string_equal(kinds[0], "HTTPRoute");
	assert_true(invalid);
	gw_gateway_free(bad);

	gwf_snap(s, "kind: HTTPRoute\nmetadata: {name: a}\nspec:\n"
	    "  parentRefs: [{name: my-hotel, sectionName: http}]\n"
	    "---\n"
	    "kind: HTTPRoute\nmetadata: {name: b}\nspec:\n"
	    "  parentRefs: [{name: my-hotel}, {name: my-hotel, sectionName: "
	    "http}]\n"
	    "---\n"
	    "kind: GRPCRoute\nmetadata: {name: g}\nspec:\n"
	    "  parentRefs: [{name: my-hotel, sectionName: grpc-only}]\n"
	    "---\n"
	    "kind: HTTPRoute\nmetadata: {name: other-ns, namespace: team-b}\n"
	    "spec:\n  parentRefs: [{name: my-hotel, namespace: default}]\n"
	    "---\n"
	    "kind: HTTPRoute\nmetadata:\n  name: deleting\n"
	    "  deletionTimestamp: '2024-01-01T00:00:00Z'\n"
	    "spec:\n  parentRefs: [{name: my-hotel, sectionName: http}]\n"
	    "---\n"
	    "kind: HTTPRoute\nmetadata: {name: regex}\nspec:\n"
	    "  parentRefs: [{name: my-hotel, sectionName: http}]\n"
	    "  rules: [{matches: [{path: {type: RegularExpression, value: /x}}]}]\n");
	routes = gw_snapshot_routes(s, &n);
	assert_int_equal(n, 6);
	gw_count_attached(gw, routes, n, &lk, counts);
	assert_int_equal(counts[0], 2);	/* a, b (once despite two refs) */
	assert_int_equal(counts[1], 1);	/* b */
	assert_int_equal(counts[2], 2);	/* b, other-ns (All) */
	assert_int_equal(counts[3], 0);	/* Selector: team-b not labelled a */
	assert_int_equal(counts[4], 1);	/* g */
	assert_int_equal(counts[5], 0);
	gw_snapshot_free(s);
}

/* The snapshot replaces objects of the same name and reads Namespaces. */
static void
test_snapshot_replace(void **state)
{
	struct gw_lookup	 lk;
	struct gw_snapshot	*s = new_world(&lk);
	const struct gw_service	*svc;
	const struct gw_kv	*labels;
	size_t			 n;
	char			*cause = NULL;
	cJSON			*obj;

	(void)state;
	gwf_snap(s, "kind: Service\nmetadata: {name: parking}\n"
	    "spec: {ports: [{port: 81}]}\n");
	svc = lk.service(lk.arg, "default", "parking");
	assert_int_equal(svc->ports[0].port, 81);
	assert_null(lk.service(lk.arg, "other", "parking"));
	assert_int_equal(lk.namespace_labels(lk.arg, "team-a", &labels, &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(labels[0].value, "a");
	assert_int_equal(lk.namespace_labels(lk.arg, "nope", &labels, &n), -1);
	obj = gwf_yaml("kind: Gateway\nmetadata: {name: x}\nspec: {}\n");
	assert_int_equal(gw_snapshot_add_json(s, obj, &cause), -1);
	assert_string_equal(cause, "Gateway default/x: spec.gatewayClassName: "
	    "required");
	free(cause);
	cJSON_Delete(obj);
	gw_snapshot_free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parent_accepted),
		cmocka_unit_test(test_parent_no_matching),
		cmocka_unit_test(test_parent_not_allowed),
		cmocka_unit_test(test_parent_hostname_unsupported),
		cmocka_unit_test(test_backend_reasons),
		cmocka_unit_test(test_backend_refgrant),
		cmocka_unit_test(test_resolve_route),
		cmocka_unit_test(test_standalone),
		cmocka_unit_test(test_listener_status),
		cmocka_unit_test(test_snapshot_replace),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
