/* Unit tests of the controller's pieces without a network: key
 * parsing, the typed store and its lookups (EndpointSlices by
 * Service, ReferenceGrants by namespace, every route, creation times,
 * namespaces), the deletion stack and the configuration from upstream's
 * variables. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/json.h"
#include "latticectl/xmalloc.h"
#include "latticectl/yaml.h"
#include "../../src/engine/controller_int.h"

/* "Kind/ns/name" and "Kind/name"; malformed keys are refused. */
static void
test_key_split(void **state)
{
	char	*k, *ns, *n;

	(void)state;
	assert_int_equal(ctl_key_split("HTTPRoute/default/rates", &k, &ns,
	    &n), 0);
	assert_string_equal(k, "HTTPRoute");
	assert_string_equal(ns, "default");
	assert_string_equal(n, "rates");
	free(k);
	free(ns);
	free(n);
	assert_int_equal(ctl_key_split("GatewayClass/amazon-vpc-lattice", &k,
	    &ns, &n), 0);
	assert_null(ns);
	assert_string_equal(n, "amazon-vpc-lattice");
	free(k);
	free(n);
	assert_int_equal(ctl_key_split("nokind", &k, &ns, &n), -1);
	assert_int_equal(ctl_key_split("/a/b", &k, &ns, &n), -1);
	assert_int_equal(ctl_key_split("K/a/b/c", &k, &ns, &n), -1);
	assert_int_equal(ctl_key_split("K//b", &k, &ns, &n), -1);
}

/* Put one YAML document into the store as kind k. */
static void
put(struct cstore *s, enum cs_kind k, const char *text)
{
	cJSON	*docs;
	char	*cause = NULL;

	if (yaml_load(text, strlen(text), "inline", &docs, &cause) != 0)
		fail_msg("%s", cause);
	if (cs_put(s, k, cJSON_GetArrayItem(docs, 0), &cause) != 0)
		fail_msg("%s", cause);
	cJSON_Delete(docs);
}

/* Delete the object named by a YAML document. */
static void
del(struct cstore *s, enum cs_kind k, const char *text)
{
	cJSON	*docs;
	char	*cause = NULL;

	if (yaml_load(text, strlen(text), "inline", &docs, &cause) != 0)
		fail_msg("%s", cause);
	cs_del(s, k, cJSON_GetArrayItem(docs, 0));
	cJSON_Delete(docs);
}

#define SLICE(name, svc, ip) \
	"apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\n" \
	"metadata:\n  name: " name "\n  namespace: default\n" \
	"  labels:\n    kubernetes.io/service-name: " svc "\n" \
	"addressType: IPv4\nports:\n- port: 8090\nendpoints:\n" \
	"- addresses: [\"" ip "\"]\n"

#define ROUTE(name, ts) \
	"apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\n" \
	"metadata:\n  name: " name "\n  namespace: default\n" \
	"  creationTimestamp: \"" ts "\"\n" \
	"spec:\n  parentRefs:\n  - name: my-hotel\n"

/* The store's lookups follow puts, replacements and deletes. */
static void
test_store(void **state)
{
	struct cstore			*s = cs_new();
	struct cs_view			 v;
	const struct gw_endpointslice *const *sl;
	const struct gw_route *const	*routes;
	const struct gw_refgrant *const	*rg;
	const struct gw_kv		*labels;
	size_t				 n;

	(void)state;
	put(s, CS_SLICE, SLICE("parking-a", "parking", "10.0.0.1"));
	put(s, CS_SLICE, SLICE("parking-b", "parking", "10.0.0.2"));
	put(s, CS_SLICE, SLICE("review-a", "review", "10.0.0.3"));
	put(s, CS_HTTPROUTE, ROUTE("rates", "2026-01-01T00:00:00Z"));
	put(s, CS_HTTPROUTE, ROUTE("inventory", "2026-01-02T00:00:00Z"));
	put(s, CS_NAMESPACE, "apiVersion: v1\nkind: Namespace\nmetadata:\n"
	    "  name: team\n  labels:\n    shared: \"yes\"\n");
	put(s, CS_REFGRANT, "apiVersion: gateway.networking.k8s.io/v1beta1\n"
	    "kind: ReferenceGrant\nmetadata:\n  name: g\n  namespace: team\n"
	    "spec:\n  from:\n  - group: gateway.networking.k8s.io\n"
	    "    kind: HTTPRoute\n    namespace: default\n  to:\n"
	    "  - group: \"\"\n    kind: Service\n");
	cs_rdlock(s);
	cs_view_init(&v, s);
	assert_int_equal(v.src.slices(v.src.arg, "default", "parking", &sl),
	    2);
	assert_int_equal(v.src.slices(v.src.arg, "default", "review", &sl), 1);
	assert_int_equal(v.src.slices(v.src.arg, "other", "review", &sl), 0);
	n = v.src.routes(v.src.arg, &routes);
	assert_int_equal(n, 2);
	assert_string_equal(v.src.created(v.src.arg, cs_get(s, CS_HTTPROUTE,
	    "default", "rates")), "2026-01-01T00:00:00Z");
	assert_int_equal(v.lk.namespace_labels(v.lk.arg, "team", &labels, &n),
	    0);
	assert_int_equal(n, 1);
	assert_string_equal(labels[0].key, "shared");
	assert_int_equal(v.lk.namespace_labels(v.lk.arg, "nope", &labels, &n),
	    -1);
	assert_int_equal(v.lk.refgrants(v.lk.arg, "team", &rg), 1);
	assert_int_equal(v.lk.refgrants(v.lk.arg, "default", &rg), 0);
	cs_unlock(s);
	/* a slice moving to another Service, a deleted route */
	put(s, CS_SLICE, SLICE("parking-b", "review", "10.0.0.2"));
	del(s, CS_HTTPROUTE, ROUTE("rates", "x"));
	cs_rdlock(s);
	assert_int_equal(v.src.slices(v.src.arg, "default", "parking", &sl),
	    1);
	assert_string_equal(sl[0]->meta.name, "parking-a");
	assert_int_equal(v.src.slices(v.src.arg, "default", "review", &sl), 2);
	assert_int_equal(v.src.routes(v.src.arg, &routes), 1);
	assert_string_equal(routes[0]->meta.name, "inventory");
	assert_null(cs_get(s, CS_HTTPROUTE, "default", "rates"));
	cs_unlock(s);
	cs_free(s);
}

/* A parse error drops the older copy and reports the cause. */
static void
test_store_invalid(void **state)
{
	struct cstore	*s = cs_new();
	cJSON		*docs;
	char		*cause = NULL;
	const char	*bad = "apiVersion: gateway.networking.k8s.io/v1\n"
	    "kind: HTTPRoute\nmetadata:\n  name: rates\n  namespace: default\n"
	    "spec:\n  rules:\n  - backendRefs:\n    - name: x\n"
	    "      port: 70000\n";

	(void)state;
	put(s, CS_HTTPROUTE, ROUTE("rates", "2026-01-01T00:00:00Z"));
	assert_int_equal(yaml_load(bad, strlen(bad), "bad", &docs, &cause), 0);
	assert_int_equal(cs_put(s, CS_HTTPROUTE, cJSON_GetArrayItem(docs, 0),
	    &cause), -1);
	assert_non_null(strstr(cause, "70000"));
	free(cause);
	cJSON_Delete(docs);
	cs_rdlock(s);
	assert_null(cs_get(s, CS_HTTPROUTE, "default", "rates"));
	cs_unlock(s);
	cs_free(s);
}

/* The deletion stack names the owner and (optionally) the service. */
static void
test_delete_stack(void **state)
{
	struct lm_stack	*st;

	(void)state;
	st = ctl_route_delete_stack(NULL, GW_ROUTE_GRPC, "default", "greeter",
	    NULL);
	assert_int_equal(st->owner.kind, LM_SRC_GRPCROUTE);
	assert_string_equal(st->owner.namespace, "default");
	assert_string_equal(st->owner.name, "greeter");
	assert_string_equal(st->service->name, "greeter-default");
	assert_int_equal(st->n_tgs, 0);
	lm_stack_free(st);
	st = ctl_route_delete_stack(NULL, GW_ROUTE_HTTP, "default", "rates",
	    "my-override");
	assert_string_equal(st->service->name, "my-override");
	lm_stack_free(st);
	st = ctl_delete_stack(LM_SRC_SERVICEEXPORT, "default", "x", NULL);
	assert_null(st->service);
	lm_stack_free(st);
}

/* Upstream's variables fill what flags left unset. */
static void
test_config_env(void **state)
{
	struct controller_config	cfg;
	char				*cause = NULL;

	(void)state;
	setenv("CLUSTER_NAME", "c1", 1);
	setenv("CLUSTER_VPC_ID", "vpc-1", 1);
	setenv("AWS_ACCOUNT_ID", "", 1);
	setenv("DEFAULT_SERVICE_NETWORK", "my-hotel", 1);
	setenv("ENABLE_SERVICE_NETWORK_OVERRIDE", "TRUE", 1);
	setenv("ROUTE_MAX_CONCURRENT_RECONCILES", "8", 1);
	setenv("RECONCILE_DEFAULT_RESYNC_SECONDS", "120", 1);
	memset(&cfg, 0, sizeof(cfg));
	cfg.vpc_id = "vpc-flag";
	assert_int_equal(controller_config_env(&cfg, &cause), 0);
	assert_string_equal(cfg.cluster_name, "c1");
	assert_string_equal(cfg.vpc_id, "vpc-flag");	/* the flag wins */
	assert_null(cfg.account_id);			/* empty = unset */
	assert_string_equal(cfg.default_sn, "my-hotel");
	assert_int_equal(cfg.sn_override, 1);
	assert_int_equal(cfg.workers, 8);
	assert_int_equal(cfg.resync_s, 120);
	setenv("ROUTE_MAX_CONCURRENT_RECONCILES", "many", 1);
	memset(&cfg, 0, sizeof(cfg));
	assert_int_equal(controller_config_env(&cfg, &cause), -1);
	assert_non_null(strstr(cause, "ROUTE_MAX_CONCURRENT_RECONCILES"));
	free(cause);
	unsetenv("ROUTE_MAX_CONCURRENT_RECONCILES");
}

/* The controller refuses to start without a cluster name or VPC. */
static void
test_config_required(void **state)
{
	struct controller_config	 cfg;
	char				*cause = NULL;

	(void)state;
	memset(&cfg, 0, sizeof(cfg));
	cfg.account_id = "123456789012";
	cfg.vpc_id = "vpc-1";
	assert_null(controller_new(NULL, NULL, &cfg, &cause));
	assert_non_null(strstr(cause, "CLUSTER_NAME"));
	free(cause);
	cause = NULL;
	cfg.cluster_name = "c1";
	cfg.vpc_id = NULL;
	assert_null(controller_new(NULL, NULL, &cfg, &cause));
	assert_non_null(strstr(cause, "CLUSTER_VPC_ID"));
	free(cause);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_key_split),
		cmocka_unit_test(test_store),
		cmocka_unit_test(test_store_invalid),
		cmocka_unit_test(test_delete_stack),
		cmocka_unit_test(test_config_env),
		cmocka_unit_test(test_config_required),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
