/*
 * VPC Lattice client against moto_server 5.2.1: every one of the 35
 * operations moto implements, through our client over real HTTP, with
 * the results read back. Prints SKIP when moto is missing.
 *
 * moto quirks the assertions allow for (research/api_surfaces.md 2.1):
 * ids are uuid4 prefixes with hyphens (not [0-9a-z]{17}); a missing
 * resource is HTTP 400 ResourceNotFoundException (AWS: 404); ListServices
 * and ListServiceNetworks ignore maxResults (all items, no nextToken);
 * ListTargetGroups/ListListeners fail with maxResults (not sent here);
 * ListAccessLogSubscriptions answers "nextToken": "" and truncates to
 * maxResults; create calls succeed ACTIVE at once. SN-VPC association
 * listing paginates for real and is used to prove our nextToken loop.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/lattice.h"
#include "latticectl/xmalloc.h"
#include "testlib.h"

#define VPC	"vpc-0a1b2c3d4e5f60718"
#define LOGS	"arn:aws:logs:us-west-2:123456789012:log-group:lattice-itest"
#define LOGS2	"arn:aws:s3:::lattice-itest-logs"

/* The group's moto and the resources the steps create. */
struct env {
	struct moto_env	 m;
	int		 snva_list_calls;
	char		*sn_id, *sn_arn, *svc_id, *svc_arn, *tg_id, *lis_id;
};

/* Expect moto's not-found answer (400 there, 404 on AWS). */
static void
not_found(int rc, struct aws_error *err)
{
	assert_int_equal(rc, -1);
	assert_string_equal(err->code, "ResourceNotFoundException");
	assert_true(err->status == 400 || err->status == 404);
	aws_error_clear(err);
}

/* Count SN-VPC association list exchanges (trace hook). */
static void
count_calls(void *arg, const struct http_trace *t)
{
	struct env	*e = arg;

	if (t->op != NULL &&
	    strstr(t->op, "ListServiceNetworkVpcAssociations") != NULL)
		e->snva_list_calls++;
}

/* Start moto for the group. */
static int
group_setup(void **state)
{
	struct env	*e;

	moto_env_setup(state, "itest_moto_lattice", sizeof(struct env));
	e = *state;
	if (e->m.aws != NULL)
		aws_set_trace(e->m.aws, count_calls, e);
	return 0;
}

/* Free what the steps created, print what ran, stop moto. */
static int
group_teardown(void **state)
{
	struct env	*e = *state;

	free(e->sn_id);
	free(e->sn_arn);
	free(e->svc_id);
	free(e->svc_arn);
	free(e->tg_id);
	free(e->lis_id);
	return moto_env_teardown(state);
}

/* Create/Get/ListServiceNetworks. */
static void
test_service_networks(void **state)
{
	struct env					*e;
	struct lattice_create_service_network_input	 in = { 0 };
	struct lattice_service_network			 sn, got;
	struct lattice_service_network_list		 l;
	struct lattice_page				 page = { 1, NULL, 0 };
	struct aws_error				 err = { 0 };
	struct aws_tags					 tags = { 0 };
	size_t						 i, found = 0;

	e = moto_env_get(state);
	aws_tags_set(&tags, "application-networking.k8s.aws/ManagedBy",
	    "123456789012/c1/" VPC);
	in.name = "itest-hotel";
	in.auth_type = "NONE";
	in.tags = &tags;
	moto_env_ok(&e->m, lattice_create_service_network(e->m.aws, &in, &sn,
	    &err), &err, "CreateServiceNetwork");
	assert_true(strncmp(sn.id, "sn-", 3) == 0);
	assert_non_null(strstr(sn.arn, sn.id));
	assert_string_equal(sn.name, "itest-hotel");
	assert_string_equal(sn.auth_type, "NONE");
	e->sn_id = xstrdup(sn.id);
	e->sn_arn = xstrdup(sn.arn);

	moto_env_ok(&e->m, lattice_get_service_network(e->m.aws, sn.arn, &got,
	    &err), &err, "GetServiceNetwork");
	assert_string_equal(got.id, sn.id);
	assert_string_equal(got.name, "itest-hotel");
	lattice_service_network_free(&got);
	not_found(lattice_get_service_network(e->m.aws, "sn-0123456789abcdef0",
	    &got, &err), &err);

	in.name = "itest-other";
	in.tags = NULL;
	lattice_service_network_free(&sn);
	moto_env_ok(&e->m, lattice_create_service_network(e->m.aws, &in, &sn,
	    &err), &err, "CreateServiceNetwork");
	moto_env_ok(&e->m, lattice_list_service_networks(e->m.aws, &page, &l,
	    &err), &err, "ListServiceNetworks");
	assert_true(l.n >= 2);
	for (i = 0; i < l.n; i++)
		if (strcmp(l.items[i].id, e->sn_id) == 0 ||
		    strcmp(l.items[i].id, sn.id) == 0)
			found++;
	assert_int_equal(found, 2);
	lattice_service_network_list_free(&l);
	lattice_service_network_free(&sn);
	aws_tags_free(&tags);
}

/* Create/Get/ListServices. */
static void
test_services(void **state)
{
	struct env				*e = moto_env_get(state);
	struct lattice_create_service_input	 in = { 0 };
	struct lattice_service			 s, got;
	struct lattice_service_list		 l;
	struct lattice_page			 page = { 1, NULL, 0 };
	struct aws_error			 err = { 0 };
	size_t					 i;
	int					 found = 0;

	in.name = "rates-default";
	in.auth_type = "NONE";
	in.custom_domain_name = "rates.example.com";
	moto_env_ok(&e->m, lattice_create_service(e->m.aws, &in, &s, &err),
	    &err, "CreateService");
	assert_true(strncmp(s.id, "svc-", 4) == 0);
	assert_string_equal(s.name, "rates-default");
	assert_true(strcmp(s.status, "ACTIVE") == 0 ||
	    strcmp(s.status, "CREATE_IN_PROGRESS") == 0);
	/* moto puts the custom domain in dnsEntry; AWS a generated name. */
	assert_non_null(s.dns_entry.domain_name);
	assert_true(s.dns_entry.hosted_zone_id != NULL &&
	    s.dns_entry.hosted_zone_id[0] == 'Z');
	assert_string_equal(s.custom_domain_name, "rates.example.com");
	e->svc_id = xstrdup(s.id);
	e->svc_arn = xstrdup(s.arn);

	moto_env_ok(&e->m, lattice_get_service(e->m.aws, s.arn, &got, &err),
	    &err, "GetService");
	assert_string_equal(got.id, s.id);
	assert_string_equal(got.dns_entry.domain_name, s.dns_entry.domain_name);
	lattice_service_free(&got);
	not_found(lattice_get_service(e->m.aws, "svc-0123456789abcdef0", &got,
	    &err), &err);

	moto_env_ok(&e->m, lattice_list_services(e->m.aws, &page, &l, &err),
	    &err, "ListServices");
	for (i = 0; i < l.n; i++)
		if (strcmp(l.items[i].id, s.id) == 0)
			found = 1;
	assert_true(found);
	assert_null(l.next_token);
	lattice_service_list_free(&l);
	lattice_service_free(&s);
}

/* SN-VPC associations: create three, page through them one by one. */
static void
test_vpc_associations(void **state)
{
	struct env				*e = moto_env_get(state);
	struct lattice_create_sn_vpc_assoc_input in = { 0 };
	struct lattice_list_sn_vpc_assocs_input	 lin = { 0 };
	struct lattice_sn_vpc_assoc		 a;
	struct lattice_sn_vpc_assoc_list	 l;
	struct aws_error			 err = { 0 };
	const char *const			 sgs[] = {
	    "sg-0123456789abcdef0" };
	const char *const			 vpcs[] = { VPC, "vpc-2",
	    "vpc-3" };
	size_t					 i;

	for (i = 0; i < 3; i++) {
		memset(&in, 0, sizeof(in));
		in.service_network_identifier = e->sn_id;
		in.vpc_identifier = vpcs[i];
		in.security_group_ids = sgs;
		in.n_security_group_ids = i == 0 ? 1 : 0;
		moto_env_ok(&e->m, lattice_create_sn_vpc_assoc(e->m.aws, &in,
		    &a, &err), &err, "CreateServiceNetworkVpcAssociation");
		assert_true(strncmp(a.id, "snva-", 5) == 0);
		assert_non_null(a.status);
		if (i == 0) {
			assert_int_equal(a.n_security_group_ids, 1);
			assert_string_equal(a.security_group_ids[0], sgs[0]);
		}
		lattice_sn_vpc_assoc_free(&a);
	}
	lin.service_network_identifier = e->sn_id;
	lin.page.max_results = 1;
	e->snva_list_calls = 0;
	moto_env_ok(&e->m, lattice_list_sn_vpc_assocs(e->m.aws, &lin, &l, &err),
	    &err, "ListServiceNetworkVpcAssociations");
	assert_int_equal(l.n, 3);
	assert_true(e->snva_list_calls >= 3);	/* one per page */
	for (i = 0; i < 3; i++)
		assert_string_equal(l.items[i].service_network_id, e->sn_id);
	lattice_sn_vpc_assoc_list_free(&l);

	memset(&lin, 0, sizeof(lin));
	lin.vpc_identifier = "vpc-2";
	moto_env_ok(&e->m, lattice_list_sn_vpc_assocs(e->m.aws, &lin, &l, &err),
	    &err, "ListServiceNetworkVpcAssociations");
	assert_int_equal(l.n, 1);
	assert_string_equal(l.items[0].vpc_id, "vpc-2");
	lattice_sn_vpc_assoc_list_free(&l);
}

/* SN-service and SN-resource associations. */
static void
test_service_and_resource_associations(void **state)
{
	struct env					*e;
	struct lattice_create_sn_service_assoc_input	 sin = { 0 };
	struct lattice_list_sn_service_assocs_input	 slin = { 0 };
	struct lattice_create_sn_resource_assoc_input	 rin = { 0 };
	struct lattice_list_sn_resource_assocs_input	 rlin = { 0 };
	struct lattice_sn_service_assoc			 sa, sgot;
	struct lattice_sn_service_assoc_list		 sl;
	struct lattice_sn_resource_assoc		 ra, rgot;
	struct lattice_sn_resource_assoc_list		 rl;
	struct aws_error				 err = { 0 };

	e = moto_env_get(state);
	sin.service_identifier = e->svc_id;
	sin.service_network_identifier = e->sn_id;
	moto_env_ok(&e->m, lattice_create_sn_service_assoc(e->m.aws, &sin, &sa,
	    &err), &err, "CreateServiceNetworkServiceAssociation");
	assert_true(strncmp(sa.id, "snsa-", 5) == 0);
	assert_non_null(sa.dns_entry.domain_name);
	moto_env_ok(&e->m, lattice_get_sn_service_assoc(e->m.aws, sa.id, &sgot,
	    &err), &err, "GetServiceNetworkServiceAssociation");
	assert_string_equal(sgot.id, sa.id);
	assert_string_equal(sgot.service_id, e->svc_id);
	assert_string_equal(sgot.service_network_id, e->sn_id);
	lattice_sn_service_assoc_free(&sgot);
	slin.service_network_identifier = e->sn_id;
	moto_env_ok(&e->m, lattice_list_sn_service_assocs(e->m.aws, &slin, &sl,
	    &err), &err, "ListServiceNetworkServiceAssociations");
	assert_int_equal(sl.n, 1);
	assert_string_equal(sl.items[0].id, sa.id);
	lattice_sn_service_assoc_list_free(&sl);
	lattice_sn_service_assoc_free(&sa);

	rin.resource_configuration_identifier = "rcfg-0123456789abcdef0";
	rin.service_network_identifier = e->sn_id;
	rin.private_dns_enabled = LATTICE_TRUE;
	moto_env_ok(&e->m, lattice_create_sn_resource_assoc(e->m.aws, &rin, &ra,
	    &err), &err, "CreateServiceNetworkResourceAssociation");
	assert_true(strncmp(ra.id, "snra-", 5) == 0);
	moto_env_ok(&e->m, lattice_get_sn_resource_assoc(e->m.aws, ra.id, &rgot,
	    &err), &err, "GetServiceNetworkResourceAssociation");
	assert_string_equal(rgot.id, ra.id);
	assert_string_equal(rgot.service_network_id, e->sn_id);
	assert_int_equal(rgot.private_dns_enabled, LATTICE_TRUE);
	lattice_sn_resource_assoc_free(&rgot);
	rlin.service_network_identifier = e->sn_id;
	moto_env_ok(&e->m, lattice_list_sn_resource_assocs(e->m.aws, &rlin, &rl,
	    &err), &err, "ListServiceNetworkResourceAssociations");
	assert_int_equal(rl.n, 1);
	assert_string_equal(rl.items[0].id, ra.id);
	lattice_sn_resource_assoc_list_free(&rl);
	lattice_sn_resource_assoc_free(&ra);
}

/* Create/Get/ListTargetGroups with a full config. */
static void
test_target_groups(void **state)
{
	struct env					*e;
	struct lattice_create_target_group_input	 in = { 0 };
	struct lattice_list_target_groups_input		 lin = { 0 };
	struct lattice_tg_config			 c = { 0 };
	struct lattice_target_group			 tg, got;
	struct lattice_target_group_list		 l;
	struct aws_error				 err = { 0 };
	const struct lattice_health_check		*h;

	e = moto_env_get(state);
	c.port = 8090;
	c.protocol = "HTTP";
	c.protocol_version = "HTTP1";
	c.ip_address_type = "IPV4";
	c.vpc_identifier = VPC;
	c.health_check.present = 1;
	c.health_check.enabled = LATTICE_TRUE;
	c.health_check.path = "/healthz";
	c.health_check.interval_seconds = 10;
	c.health_check.healthy_threshold = 3;
	c.health_check.matcher_http_code = "200-299";
	in.name = "k8s-default-rates-abcdefghij";
	in.type = "IP";
	in.config = &c;
	moto_env_ok(&e->m, lattice_create_target_group(e->m.aws, &in, &tg,
	    &err), &err, "CreateTargetGroup");
	assert_true(strncmp(tg.id, "tg-", 3) == 0);
	assert_string_equal(tg.type, "IP");
	e->tg_id = xstrdup(tg.id);

	moto_env_ok(&e->m, lattice_get_target_group(e->m.aws, tg.id, &got,
	    &err), &err, "GetTargetGroup");
	assert_string_equal(got.name, "k8s-default-rates-abcdefghij");
	assert_int_equal(got.config.port, 8090);
	assert_string_equal(got.config.vpc_identifier, VPC);
	h = &got.config.health_check;
	assert_int_equal(h->present, 1);
	assert_string_equal(h->path, "/healthz");
	assert_int_equal(h->interval_seconds, 10);
	assert_int_equal(h->healthy_threshold, 3);
	assert_string_equal(h->matcher_http_code, "200-299");
	lattice_target_group_free(&got);

	lin.vpc_identifier = VPC;
	lin.target_group_type = "IP";
	moto_env_ok(&e->m, lattice_list_target_groups(e->m.aws, &lin, &l, &err),
	    &err, "ListTargetGroups");
	assert_int_equal(l.n, 1);
	assert_string_equal(l.items[0].id, tg.id);
	lattice_target_group_list_free(&l);
	lin.target_group_type = "LAMBDA";
	moto_env_ok(&e->m, lattice_list_target_groups(e->m.aws, &lin, &l, &err),
	    &err, "ListTargetGroups");
	assert_int_equal(l.n, 0);
	lattice_target_group_list_free(&l);
	lattice_target_group_free(&tg);
}

/* Listener (fixed 404 default) and a rule forwarding to the group. */
static void
test_listener_and_rule(void **state)
{
	struct env				*e = moto_env_get(state);
	struct lattice_create_listener_input	 lin = { 0 };
	struct lattice_create_rule_input	 rin = { 0 };
	struct lattice_rule_action		 def = { 0 }, fwd = { 0 };
	struct lattice_weighted_tg		 wtg = { NULL, 100 };
	struct lattice_header_match		 hm = { 0 };
	struct lattice_rule_match		 m = { 0 };
	struct lattice_listener			 l, got;
	struct lattice_listener_list		 ll;
	struct lattice_rule			 r;
	struct aws_error			 err = { 0 };

	def.kind = LATTICE_ACTION_FIXED_RESPONSE;
	def.status_code = 404;
	lin.service_identifier = e->svc_id;
	lin.name = "rates-default-80-http";
	lin.protocol = "HTTP";
	lin.port = 80;
	lin.default_action = &def;
	moto_env_ok(&e->m, lattice_create_listener(e->m.aws, &lin, &l, &err),
	    &err, "CreateListener");
	assert_true(strncmp(l.id, "listener-", 9) == 0);
	assert_int_equal(l.port, 80);
	e->lis_id = xstrdup(l.id);

	moto_env_ok(&e->m, lattice_get_listener(e->m.aws, e->svc_id, l.id, &got,
	    &err), &err, "GetListener");
	assert_string_equal(got.protocol, "HTTP");
	assert_int_equal(got.default_action.kind,
	    LATTICE_ACTION_FIXED_RESPONSE);
	assert_int_equal(got.default_action.status_code, 404);
	lattice_listener_free(&got);
	moto_env_ok(&e->m, lattice_list_listeners(e->m.aws, e->svc_id, NULL,
	    &ll, &err), &err, "ListListeners");
	assert_int_equal(ll.n, 1);
	assert_string_equal(ll.items[0].name, "rates-default-80-http");
	lattice_listener_list_free(&ll);

	m.method = "GET";
	m.path.kind = LATTICE_MATCH_PREFIX;
	m.path.value = "/rates";
	m.path.case_sensitive = LATTICE_TRUE;
	hm.name = "x-env";
	hm.kind = LATTICE_MATCH_EXACT;
	hm.value = "prod";
	m.headers = &hm;
	m.n_headers = 1;
	wtg.target_group_id = e->tg_id;
	fwd.kind = LATTICE_ACTION_FORWARD;
	fwd.target_groups = &wtg;
	fwd.n_target_groups = 1;
	rin.service_identifier = e->svc_id;
	rin.listener_identifier = l.id;
	rin.name = "rates-rule-1";
	rin.match = &m;
	rin.priority = 1;
	rin.action = &fwd;
	moto_env_ok(&e->m, lattice_create_rule(e->m.aws, &rin, &r, &err), &err,
	    "CreateRule");
	assert_true(strncmp(r.id, "rule-", 5) == 0);
	assert_int_equal(r.priority, 1);
	assert_string_equal(r.match.path.value, "/rates");
	assert_int_equal(r.match.path.kind, LATTICE_MATCH_PREFIX);
	assert_int_equal(r.match.n_headers, 1);
	assert_string_equal(r.match.headers[0].value, "prod");
	assert_int_equal(r.action.kind, LATTICE_ACTION_FORWARD);
	assert_string_equal(r.action.target_groups[0].target_group_id,
	    e->tg_id);
	assert_int_equal(r.action.target_groups[0].weight, 100);
	lattice_rule_free(&r);
	lattice_listener_free(&l);
}

/* Tag, untag and list tags by ARN. */
static void
test_tags(void **state)
{
	struct env		*e = moto_env_get(state);
	struct aws_tags		 tags = { 0 }, got;
	struct aws_error	 err = { 0 };
	const char *const	 drop[] = { "application-networking.k8s.aws/"
	    "RouteName" };

	aws_tags_set(&tags, "application-networking.k8s.aws/RouteName", "r");
	aws_tags_set(&tags, "team", "payments and rates");
	moto_env_ok(&e->m, lattice_tag_resource(e->m.aws, e->svc_arn, &tags,
	    &err), &err, "TagResource");
	moto_env_ok(&e->m, lattice_list_tags(e->m.aws, e->svc_arn, &got, &err),
	    &err, "ListTagsForResource");
	assert_string_equal(aws_tags_get(&got, "team"), "payments and rates");
	assert_string_equal(aws_tags_get(&got,
	    "application-networking.k8s.aws/RouteName"), "r");
	aws_tags_free(&got);
	moto_env_ok(&e->m, lattice_untag_resource(e->m.aws, e->svc_arn, drop, 1,
	    &err), &err, "UntagResource");
	moto_env_ok(&e->m, lattice_list_tags(e->m.aws, e->svc_arn, &got, &err),
	    &err, "ListTagsForResource");
	assert_null(aws_tags_get(&got,
	    "application-networking.k8s.aws/RouteName"));
	assert_non_null(aws_tags_get(&got, "team"));
	aws_tags_free(&got);
	aws_tags_free(&tags);
}

/* Auth policy on the service (by ARN) and a resource policy. */
static void
test_policies(void **state)
{
	struct env			*e = moto_env_get(state);
	struct lattice_auth_policy	 p;
	struct aws_error		 err = { 0 };
	const char			*doc = "{\"Version\":\"2012-10-17\","
	    "\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\","
	    "\"Action\":\"vpc-lattice-svcs:Invoke\",\"Resource\":\"*\"}]}";
	char				*got;

	moto_env_ok(&e->m, lattice_put_auth_policy(e->m.aws, e->svc_arn, doc,
	    &p, &err), &err, "PutAuthPolicy");
	assert_string_equal(p.policy, doc);
	assert_string_equal(p.state, "Inactive");	/* authType NONE */
	lattice_auth_policy_free(&p);
	moto_env_ok(&e->m, lattice_get_auth_policy(e->m.aws, e->svc_id, &p,
	    &err), &err, "GetAuthPolicy");
	assert_string_equal(p.policy, doc);
	assert_true(p.created_at.tv_sec > 1600000000);
	lattice_auth_policy_free(&p);
	moto_env_ok(&e->m, lattice_delete_auth_policy(e->m.aws, e->svc_id,
	    &err), &err, "DeleteAuthPolicy");
	not_found(lattice_get_auth_policy(e->m.aws, e->svc_id, &p, &err), &err);

	moto_env_ok(&e->m, lattice_put_resource_policy(e->m.aws, e->sn_arn, doc,
	    &err), &err, "PutResourcePolicy");
	moto_env_ok(&e->m, lattice_get_resource_policy(e->m.aws, e->sn_arn,
	    &got, &err), &err, "GetResourcePolicy");
	assert_string_equal(got, doc);
	free(got);
	moto_env_ok(&e->m, lattice_delete_resource_policy(e->m.aws, e->sn_arn,
	    &err), &err, "DeleteResourcePolicy");
	not_found(lattice_get_resource_policy(e->m.aws, e->sn_arn, &got, &err),
	    &err);
	assert_null(got);
}

/* Access log subscriptions: the whole life cycle. */
static void
test_access_logs(void **state)
{
	struct env					*e;
	struct lattice_create_access_log_sub_input	 in = { 0 };
	struct lattice_access_log_sub			 a, got;
	struct lattice_access_log_sub_list		 l;
	struct aws_error				 err = { 0 };

	e = moto_env_get(state);
	in.resource_identifier = e->svc_id;
	in.destination_arn = LOGS;
	moto_env_ok(&e->m, lattice_create_access_log_sub(e->m.aws, &in, &a,
	    &err), &err, "CreateAccessLogSubscription");
	assert_true(strncmp(a.id, "als-", 4) == 0);
	assert_string_equal(a.resource_id, e->svc_id);
	assert_string_equal(a.resource_arn, e->svc_arn);
	moto_env_ok(&e->m, lattice_get_access_log_sub(e->m.aws, a.id, &got,
	    &err), &err, "GetAccessLogSubscription");
	assert_string_equal(got.destination_arn, LOGS);
	assert_true(got.created_at.tv_sec > 1600000000);
	lattice_access_log_sub_free(&got);
	moto_env_ok(&e->m, lattice_list_access_log_subs(e->m.aws, e->svc_id,
	    NULL, &l, &err), &err, "ListAccessLogSubscriptions");
	assert_int_equal(l.n, 1);
	assert_string_equal(l.items[0].id, a.id);
	assert_null(l.next_token);
	lattice_access_log_sub_list_free(&l);
	moto_env_ok(&e->m, lattice_update_access_log_sub(e->m.aws, a.id, LOGS2,
	    &got, &err), &err, "UpdateAccessLogSubscription");
	assert_string_equal(got.destination_arn, LOGS2);
	lattice_access_log_sub_free(&got);
	moto_env_ok(&e->m, lattice_delete_access_log_sub(e->m.aws, a.id, &err),
	    &err, "DeleteAccessLogSubscription");
	not_found(lattice_get_access_log_sub(e->m.aws, a.id, &got, &err), &err);
	lattice_access_log_sub_free(&a);
}

/* All 35 moto operations ran (this runs last). */
static void
test_all_moto_operations(void **state)
{
	struct env	*e = moto_env_get(state);

	assert_int_equal(e->m.n_ops, 35);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_service_networks),
		cmocka_unit_test(test_services),
		cmocka_unit_test(test_vpc_associations),
		cmocka_unit_test(test_service_and_resource_associations),
		cmocka_unit_test(test_target_groups),
		cmocka_unit_test(test_listener_and_rule),
		cmocka_unit_test(test_tags),
		cmocka_unit_test(test_policies),
		cmocka_unit_test(test_access_logs),
		cmocka_unit_test(test_all_moto_operations),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
