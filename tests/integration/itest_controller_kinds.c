/*
 * The engine on the other route kinds of the reference examples, in the
 * simulator: a GRPCRoute on an HTTPS listener (POST + exact
 * /service/method, a GRPC target group), a TLSRoute on a passthrough
 * listener (TLS_PASSTHROUGH forwarding by default action to a TCP target
 * group), and a blue/green HTTPRoute whose second backend is a
 * ServiceImport of a ServiceExport (the export's target group found by
 * tags, weights 10/90). Then plan is in sync, and deleting every route
 * and the export leaves nothing in Lattice.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "latticectl/kutil.h"
#include "ctl_fixture.h"

static struct cfx	fx;

/* Group setup: the simulator, the examples, two service networks. */
static int
setup(void **state)
{
	static const char *const files[] = { "my-hotel-gateway-multi-"
	    "listeners.yaml", "greeter-grpc-server.yaml",
	    "greeter-grpc-route.yaml", "my-gateway-tls-passthrough.yaml",
	    "nginx-server-tls-passthrough.yaml", "tlsroute-nginx.yaml",
	    "inventory-ver1.yaml", "inventory-ver2.yaml",
	    "inventory-ver2-export.yaml", "inventory-ver2-import.yaml",
	    "inventory-route-bluegreen.yaml", NULL };
	size_t	i;

	(void)state;
	if (test_reference_dir() == NULL) {
		printf("SKIP: reference directory not found\n");
		return -1;
	}
	cfx_start(&fx, 0);
	cfx_apply_text(&fx, CFX_GATEWAYCLASS);
	for (i = 0; files[i] != NULL; i++)
		cfx_apply_example(&fx, files[i]);
	fx.sn_arn = cfx_create_sn(&fx, CFX_SN);
	free(cfx_create_sn(&fx, "my-hotel-tls-passthrough"));
	cfx_wait_endpoints(&fx, "greeter-grpc-server", 2);
	cfx_wait_endpoints(&fx, "nginx-tls", 2);
	cfx_wait_endpoints(&fx, "inventory-ver1", 2);
	cfx_wait_endpoints(&fx, "inventory-ver2", 2);
	return 0;
}

/* Group teardown. */
static int
teardown(void **state)
{
	(void)state;
	cfx_stop(&fx);
	return 0;
}

/* The only listener of a service; caller frees. */
static void
listener_of(const char *svc_name, struct lattice_service *svc,
    struct lattice_listener *l)
{
	struct lattice_listener_list	ll;
	struct aws_error		err;

	memset(&err, 0, sizeof(err));
	assert_int_equal(cfx_service(&fx, svc_name, svc), 0);
	assert_int_equal(lattice_list_listeners(fx.aws, svc->id, NULL, &ll,
	    &err), 0);
	assert_int_equal(ll.n, 1);
	assert_int_equal(lattice_get_listener(fx.aws, svc->id, ll.items[0].id,
	    l, &err), 0);
	lattice_listener_list_free(&ll);
}

/* The first non-default rule of a listener; caller frees. */
static void
first_rule(const char *svc_id, const char *lid, struct lattice_rule *r)
{
	struct lattice_rule_list	rl;
	struct aws_error		err;
	size_t				i;
	int				found = 0;

	memset(&err, 0, sizeof(err));
	assert_int_equal(lattice_list_rules(fx.aws, svc_id, lid, NULL, &rl,
	    &err), 0);
	for (i = 0; i < rl.n && !found; i++) {
		if (rl.items[i].is_default)
			continue;
		assert_int_equal(lattice_get_rule(fx.aws, svc_id, lid,
		    rl.items[i].id, r, &err), 0);
		found = 1;
	}
	assert_true(found);
	lattice_rule_list_free(&rl);
}

/* A target group by id; caller frees. */
static void
tg_by_id(const char *id, struct lattice_target_group *tg)
{
	struct aws_error	err;

	memset(&err, 0, sizeof(err));
	assert_int_equal(lattice_get_target_group(fx.aws, id, tg, &err), 0);
}

/* The tag of an ARN (copy). */
static char *
tag_of(const char *arn, const char *key)
{
	struct aws_error	err;
	struct aws_tags		t;
	char			*v;

	memset(&err, 0, sizeof(err));
	memset(&t, 0, sizeof(t));
	assert_int_equal(lattice_list_tags(fx.aws, arn, &t, &err), 0);
	v = xstrdup_or_null(aws_tags_get(&t, key));
	aws_tags_free(&t);
	return v;
}

/* Converge everything once. */
static void
test_converge(void **state)
{
	struct controller_config	cfg;
	struct controller_summary	s;
	struct controller		*c;

	(void)state;
	cfx_config(&cfg);
	c = cfx_run(&fx, &cfg, &s);
	cfx_print_keys(c);
	assert_int_equal(s.failed + s.pending + s.blocked, 0);
	controller_free(c);
}

/* GRPCRoute: HTTPS listener, POST + exact path, GRPC target group. */
static void
test_grpc(void **state)
{
	struct lattice_service		svc;
	struct lattice_listener		l;
	struct lattice_rule		r;
	struct lattice_target_group	tg;
	char				*v;

	(void)state;
	listener_of("greeter-grpc-route-default", &svc, &l);
	assert_string_equal(l.name, "greeter-grpc-route-default-443-https");
	assert_string_equal(l.protocol, "HTTPS");
	assert_int_equal(l.default_action.kind, LATTICE_ACTION_FIXED_RESPONSE);
	assert_int_equal(l.default_action.status_code, 404);
	v = tag_of(svc.arn, UP_TAG_ROUTE_TYPE);
	assert_string_equal(v, UP_ROUTE_TYPE_GRPC);
	free(v);
	first_rule(svc.id, l.id, &r);
	assert_string_equal(r.match.method, "POST");
	assert_int_equal(r.match.path.kind, LATTICE_MATCH_EXACT);
	assert_string_equal(r.match.path.value, "/helloworld.Greeter/SayHello");
	assert_int_equal(r.action.n_target_groups, 1);
	assert_int_equal(r.action.target_groups[0].weight, 10);
	tg_by_id(r.action.target_groups[0].target_group_id, &tg);
	assert_string_equal(tg.config.protocol_version, "GRPC");
	v = tag_of(tg.arn, UP_TAG_SOURCE_TYPE);
	assert_string_equal(v, UP_SOURCE_GRPCROUTE);
	free(v);
	lattice_target_group_free(&tg);
	lattice_rule_free(&r);
	lattice_listener_free(&l);
	lattice_service_free(&svc);
}

/* TLSRoute: passthrough listener forwarding to a TCP target group. */
static void
test_tls(void **state)
{
	struct lattice_service		svc;
	struct lattice_listener		l;
	struct lattice_target_group	tg;

	(void)state;
	listener_of("nginx-tls-route-default", &svc, &l);
	assert_string_equal(l.name, "nginx-tls-route-default-443-tls");
	assert_string_equal(l.protocol, "TLS_PASSTHROUGH");
	assert_int_equal(l.port, 443);
	assert_int_equal(l.default_action.kind, LATTICE_ACTION_FORWARD);
	assert_int_equal(l.default_action.n_target_groups, 1);
	tg_by_id(l.default_action.target_groups[0].target_group_id, &tg);
	assert_string_equal(tg.config.protocol, "TCP");
	lattice_target_group_free(&tg);
	lattice_listener_free(&l);
	lattice_service_free(&svc);
}

/* Blue/green: Service (10) + ServiceImport of the export (90). */
static void
test_import(void **state)
{
	struct lattice_service		svc;
	struct lattice_listener		l;
	struct lattice_rule		r;
	struct lattice_target_group	tg;
	size_t				i;
	int				saw_export = 0;
	char				*v;

	(void)state;
	listener_of("inventory-default", &svc, &l);
	first_rule(svc.id, l.id, &r);
	assert_int_equal(r.action.n_target_groups, 2);
	for (i = 0; i < 2; i++) {
		tg_by_id(r.action.target_groups[i].target_group_id, &tg);
		v = tag_of(tg.arn, UP_TAG_SOURCE_TYPE);
		if (strcmp(v, UP_SOURCE_SERVICEEXPORT) == 0) {
			saw_export = 1;
			assert_int_equal(r.action.target_groups[i].weight, 90);
			free(v);
			v = tag_of(tg.arn, UP_TAG_SERVICE_NAME);
			assert_string_equal(v, "inventory-ver2");
		} else
			assert_int_equal(r.action.target_groups[i].weight, 10);
		free(v);
		lattice_target_group_free(&tg);
	}
	assert_true(saw_export);
	lattice_rule_free(&r);
	lattice_listener_free(&l);
	lattice_service_free(&svc);
}

/* plan is in sync; deleting everything leaves nothing. */
static void
test_delete_all(void **state)
{
	static const struct {
		const struct kube_resource	*res;
		const char			*name;
	} objs[] = {
		{ &KUBE_RES_GRPCROUTES, "greeter-grpc-route" },
		{ &KUBE_RES_TLSROUTES, "nginx-tls-route" },
		{ &KUBE_RES_HTTPROUTES, "inventory" },
		{ &KUBE_RES_SERVICEEXPORTS, "inventory-ver2" },
	};
	struct controller_config		 cfg;
	struct controller_summary		 s;
	struct controller			*c;
	struct lattice_service_list		 sl;
	struct lattice_target_group_list	 tl;
	struct kube_error			 e;
	struct aws_error			 err;
	struct strbuf				 sb;
	cJSON					*out = NULL;
	char					*cause = NULL;
	size_t					 i;

	(void)state;
	cfx_config(&cfg);
	if ((c = controller_new(fx.kc, fx.aws, &cfg, &cause)) == NULL ||
	    controller_load(c, NULL, &cause) != 0)
		fail_msg("%s", cause);
	strbuf_init(&sb);
	assert_int_equal(controller_plan(c, NULL, &out, &sb, &cause), 0);
	printf("%s", sb.buf);
	strbuf_free(&sb);
	cJSON_Delete(out);
	controller_free(c);
	memset(&e, 0, sizeof(e));
	for (i = 0; i < sizeof(objs) / sizeof(objs[0]); i++)
		assert_int_equal(kube_delete(fx.kc, objs[i].res, "default",
		    objs[i].name, NULL, &e), 0);
	controller_free(cfx_run(&fx, &cfg, &s));
	assert_int_equal(s.failed + s.pending, 0);
	memset(&err, 0, sizeof(err));
	assert_int_equal(lattice_list_services(fx.aws, NULL, &sl, &err), 0);
	assert_int_equal(sl.n, 0);
	lattice_service_list_free(&sl);
	cfx_tgs(&fx, &tl);
	assert_int_equal(tl.n, 0);
	lattice_target_group_list_free(&tl);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_converge),
		cmocka_unit_test(test_grpc),
		cmocka_unit_test(test_tls),
		cmocka_unit_test(test_import),
		cmocka_unit_test(test_delete_all),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
