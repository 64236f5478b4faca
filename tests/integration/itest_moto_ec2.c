/* EC2 client against moto_server: the lab's security-group step (find the
 * VPC Lattice prefix lists by name, authorize ingress from them, duplicate,
 * revoke) plus VPC/subnet lookups. Prints SKIP when moto is missing. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/ec2.h"
#include "latticectl/xmalloc.h"
#include "testlib.h"

#define PL_V4 "com.amazonaws.us-west-2.vpc-lattice"
#define PL_V6 "com.amazonaws.us-west-2.ipv6.vpc-lattice"

/* The group's moto and what the steps found. */
struct env {
	struct moto_env	 m;
	char		*vpc_id;
	char		*sg_id;
	char		*pl[2];
};

/* Start moto for the group. */
static int
group_setup(void **state)
{
	return moto_env_setup(state, "itest_moto_ec2", sizeof(struct env));
}

/* Free what the steps found, print what ran, stop moto. */
static int
group_teardown(void **state)
{
	struct env	*e = *state;

	free(e->vpc_id);
	free(e->sg_id);
	free(e->pl[0]);
	free(e->pl[1]);
	return moto_env_teardown(state);
}

/* The default VPC: found unfiltered, by id and by the is-default filter. */
static void
test_vpcs(void **state)
{
	struct env		*e = moto_env_get(state);
	struct aws_error	 err = { 0 };
	struct ec2_vpcs		 all = { 0 }, one = { 0 };
	struct ec2_filters	 f = { 0 };
	struct ec2_describe	 q = { 0 };
	const char		*ids[1];
	size_t			 i;

	moto_env_ok(&e->m, ec2_describe_vpcs(e->m.aws, NULL, &all, &err), &err,
	    "DescribeVpcs");
	assert_true(all.n >= 1);
	for (i = 0; i < all.n; i++) {
		if (all.v[i].is_default)
			e->vpc_id = xstrdup(all.v[i].id);
	}
	assert_non_null(e->vpc_id);
	ids[0] = e->vpc_id;
	q.ids = ids;
	q.n_ids = 1;
	moto_env_ok(&e->m, ec2_describe_vpcs(e->m.aws, &q, &one, &err), &err,
	    "DescribeVpcs");
	assert_int_equal(one.n, 1);
	assert_string_equal(one.v[0].id, e->vpc_id);
	assert_string_equal(one.v[0].cidr, "172.31.0.0/16");
	assert_string_equal(one.v[0].state, "available");
	ec2_vpcs_free(&one);
	ec2_filters_add(&f, "is-default", "true");
	q.ids = NULL;
	q.n_ids = 0;
	q.filters = &f;
	moto_env_ok(&e->m, ec2_describe_vpcs(e->m.aws, &q, &one, &err), &err,
	    "DescribeVpcs");
	assert_int_equal(one.n, 1);
	assert_string_equal(one.v[0].id, e->vpc_id);
	ec2_vpcs_free(&one);
	ec2_vpcs_free(&all);
	ec2_filters_free(&f);
}

/* Subnets of the default VPC through a vpc-id filter. */
static void
test_subnets(void **state)
{
	struct env		*e = moto_env_get(state);
	struct aws_error	 err = { 0 };
	struct ec2_subnets	 out = { 0 };
	struct ec2_filters	 f = { 0 };
	struct ec2_describe	 q = { NULL, 0, &f, 0 };
	size_t			 i;

	assert_non_null(e->vpc_id);
	ec2_filters_add(&f, "vpc-id", e->vpc_id);
	moto_env_ok(&e->m, ec2_describe_subnets(e->m.aws, &q, &out, &err), &err,
	    "DescribeSubnets");
	assert_true(out.n >= 3);
	for (i = 0; i < out.n; i++) {
		assert_string_equal(out.v[i].vpc_id, e->vpc_id);
		assert_non_null(out.v[i].cidr);
		assert_non_null(out.v[i].az);
		assert_true(strncmp(out.v[i].az, "us-west-2", 9) == 0);
		assert_true(strncmp(out.v[i].id, "subnet-", 7) == 0);
	}
	ec2_subnets_free(&out);
	ec2_filters_free(&f);
}

/* Find one managed prefix list by name and check its entries. */
static char *
find_prefix_list(struct env *e, const char *name, const char *family)
{
	struct aws_error		 err = { 0 };
	struct ec2_prefix_lists		 out = { 0 };
	struct ec2_filters		 f = { 0 };
	struct ec2_describe		 q = { NULL, 0, &f, 0 };
	char				*id;

	ec2_filters_add(&f, "prefix-list-name", name);
	moto_env_ok(&e->m, ec2_describe_prefix_lists(e->m.aws, &q, &out, &err),
	    &err, "DescribeManagedPrefixLists");
	assert_int_equal(out.n, 1);
	assert_string_equal(out.v[0].name, name);
	assert_string_equal(out.v[0].address_family, family);
	assert_string_equal(out.v[0].state, "create-complete");
	assert_true(strncmp(out.v[0].id, "pl-", 3) == 0);
	assert_non_null(out.v[0].arn);
	id = xstrdup(out.v[0].id);
	ec2_prefix_lists_free(&out);
	ec2_filters_free(&f);
	return id;
}

/* The lab's lookup: both Lattice prefix lists by name, and entries. */
static void
test_prefix_lists(void **state)
{
	struct env			*e = moto_env_get(state);
	struct aws_error		 err = { 0 };
	struct ec2_prefix_list_entries	 ent = { 0 };

	e->pl[0] = find_prefix_list(e, PL_V4, "IPv4");
	e->pl[1] = find_prefix_list(e, PL_V6, "IPv6");
	assert_string_not_equal(e->pl[0], e->pl[1]);
	moto_env_ok(&e->m, ec2_get_prefix_list_entries(e->m.aws, e->pl[0], 0,
	    &ent, &err), &err, "GetManagedPrefixListEntries");
	assert_true(ent.n >= 1);
	assert_string_equal(ent.v[0].cidr, "169.254.171.0/24");
	ec2_prefix_list_entries_free(&ent);
}

/* The default security group of the default VPC, by filters. */
static void
test_security_group(void **state)
{
	struct env			*e = moto_env_get(state);
	struct aws_error		 err = { 0 };
	struct ec2_security_groups	 out = { 0 };
	struct ec2_filters		 f = { 0 };
	struct ec2_describe		 q = { NULL, 0, &f, 0 };

	assert_non_null(e->vpc_id);
	ec2_filters_add(&f, "vpc-id", e->vpc_id);
	ec2_filters_add(&f, "group-name", "default");
	moto_env_ok(&e->m, ec2_describe_security_groups(e->m.aws, &q, &out,
	    &err), &err, "DescribeSecurityGroups");
	assert_int_equal(out.n, 1);
	assert_string_equal(out.v[0].name, "default");
	assert_string_equal(out.v[0].vpc_id, e->vpc_id);
	assert_true(out.v[0].n_egress >= 1);
	e->sg_id = xstrdup(out.v[0].id);
	ec2_security_groups_free(&out);
	ec2_filters_free(&f);
}

/* Does the group have an ingress permission from prefix list id? */
static int
sg_has_prefix_list(struct env *e, const char *pl)
{
	struct aws_error		 err = { 0 };
	struct ec2_security_groups	 out = { 0 };
	const char			*ids[1] = { e->sg_id };
	struct ec2_describe		 q = { ids, 1, NULL, 0 };
	size_t				 i, j;
	int				 found = 0;

	moto_env_ok(&e->m, ec2_describe_security_groups(e->m.aws, &q, &out,
	    &err), &err, "DescribeSecurityGroups");
	assert_int_equal(out.n, 1);
	for (i = 0; i < out.v[0].n_ingress; i++) {
		for (j = 0; j < out.v[0].ingress[i].n_prefix_lists; j++) {
			if (strcmp(out.v[0].ingress[i].prefix_lists[j].id,
			    pl) == 0 &&
			    strcmp(out.v[0].ingress[i].protocol, "-1") == 0)
				found = 1;
		}
	}
	ec2_security_groups_free(&out);
	return found;
}

/* Build the lab's two permissions: all traffic from each prefix list. */
static void
lab_permissions(struct env *e, struct ec2_ip_permission perm[2])
{
	ec2_ip_permission_init(&perm[0], "-1");
	ec2_ip_permission_add_prefix_list(&perm[0], e->pl[0], "lattice");
	ec2_ip_permission_init(&perm[1], "-1");
	ec2_ip_permission_add_prefix_list(&perm[1], e->pl[1], "lattice ipv6");
}

/* Authorize, see the rules, duplicate fails, revoke removes them. */
static void
test_authorize_revoke(void **state)
{
	struct env			*e = moto_env_get(state);
	struct aws_error		 err = { 0 };
	struct ec2_ip_permission	 perm[2];
	struct ec2_sg_rules		 created = { 0 }, rules = { 0 };
	struct ec2_filters		 f = { 0 };
	struct ec2_describe		 q = { NULL, 0, &f, 0 };
	size_t				 i, n_pl = 0;

	assert_non_null(e->sg_id);
	assert_non_null(e->pl[1]);
	lab_permissions(e, perm);
	/* One call per list, as the lab does (moto 5.2 reports only the
	 * last permission's rules when a call carries several). */
	for (i = 0; i < 2; i++) {
		moto_env_ok(&e->m, ec2_authorize_sg_ingress(e->m.aws, e->sg_id,
		    &perm[i], 1, &created, &err), &err,
		    "AuthorizeSecurityGroupIngress");
		assert_int_equal(created.n, i + 1);
		assert_true(strncmp(created.v[i].id, "sgr-", 4) == 0);
		assert_false(created.v[i].is_egress);
		assert_string_equal(created.v[i].protocol, "-1");
		assert_string_equal(created.v[i].prefix_list_id, e->pl[i]);
	}
	assert_true(sg_has_prefix_list(e, e->pl[0]));
	assert_true(sg_has_prefix_list(e, e->pl[1]));

	/* The lab's verification: describe-security-group-rules. */
	ec2_filters_add(&f, "group-id", e->sg_id);
	moto_env_ok(&e->m, ec2_describe_sg_rules(e->m.aws, &q, &rules, &err),
	    &err, "DescribeSecurityGroupRules");
	for (i = 0; i < rules.n; i++) {
		if (rules.v[i].prefix_list_id != NULL && !rules.v[i].is_egress)
			n_pl++;
	}
	assert_int_equal(n_pl, 2);

	/* Doing it again: InvalidPermission.Duplicate. */
	assert_int_equal(ec2_authorize_sg_ingress(e->m.aws, e->sg_id, perm, 1,
	    NULL, &err), -1);
	assert_string_equal(err.code, "InvalidPermission.Duplicate");
	assert_int_equal(err.status, 400);
	aws_error_clear(&err);

	moto_env_ok(&e->m, ec2_revoke_sg_ingress(e->m.aws, e->sg_id, perm, 2,
	    NULL, &err), &err, "RevokeSecurityGroupIngress");
	assert_false(sg_has_prefix_list(e, e->pl[0]));
	assert_false(sg_has_prefix_list(e, e->pl[1]));
	ec2_sg_rules_free(&created);
	ec2_sg_rules_free(&rules);
	ec2_filters_free(&f);
	ec2_ip_permission_clear(&perm[0]);
	ec2_ip_permission_clear(&perm[1]);
}

/* A missing group id: moto's EC2 error code. */
static void
test_missing_group(void **state)
{
	struct env			*e = moto_env_get(state);
	struct aws_error		 err = { 0 };
	struct ec2_security_groups	 out = { 0 };
	const char			*ids[1] = { "sg-0000000000000000f" };
	struct ec2_describe		 q = { ids, 1, NULL, 0 };

	assert_int_equal(ec2_describe_security_groups(e->m.aws, &q, &out, &err),
	    -1);
	assert_string_equal(err.code, "InvalidGroup.NotFound");
	assert_int_equal(out.n, 0);
	aws_error_clear(&err);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vpcs),
		cmocka_unit_test(test_subnets),
		cmocka_unit_test(test_prefix_lists),
		cmocka_unit_test(test_security_group),
		cmocka_unit_test(test_authorize_revoke),
		cmocka_unit_test(test_missing_group),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
