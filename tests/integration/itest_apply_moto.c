/*
 * The mirror, plan and apply against moto_server, for what moto
 * implements (research/api_surfaces.md 2.1: creates, gets, lists and tags,
 * but no deletes, no ListRules, no targets): the rates route without
 * endpoints is created from an empty account, read back through the
 * client, a second pass makes no call at all, and a fresh mirror finds
 * the service and both target groups again by name and tags. Prints
 * SKIP when moto_server is missing.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/json.h"
#include "latticectl/lattice.h"
#include "latticectl/plan.h"
#include "latticectl/xmalloc.h"
#include "testlib.h"

#include "../unit/plan_fixture.h"

struct env {
	struct moto_env	 m;
};

/* Start moto for the group. */
static int
group_setup(void **state)
{
	return moto_env_setup(state, "itest_apply_moto", sizeof(struct env));
}

/* Stop moto. */
static int
group_teardown(void **state)
{
	return moto_env_teardown(state);
}

/* A mirror on moto. */
static struct mirror *
mm_mirror(struct env *e)
{
	struct mirror_config	cfg;

	memset(&cfg, 0, sizeof(cfg));
	cfg.managed_by = FX_MANAGED_BY;
	cfg.vpc_id = FX_VPC;
	return mirror_new(e->m.aws, &cfg);
}

/* Note the operations a mirror made as exercised. */
static void
mm_note(struct env *e, struct mirror *m)
{
	struct mirror_call_count	c[64];
	size_t				i, n;

	n = mirror_call_counts(m, c, 64);
	for (i = 0; i < n; i++) {
		assert_int_equal(c[i].errors, 0);
		moto_env_op(&e->m, c[i].op);
	}
}

/* The rates route without endpoints (moto has no RegisterTargets). */
static struct lm_stack *
mm_stack(void)
{
	struct lm_stack	*st = fx_rates();
	size_t		 i, j;

	for (i = 0; i < st->n_tgs; i++) {
		for (j = 0; j < st->tgs[i].n_targets; j++)
			free(st->tgs[i].targets[j].ip);
		st->tgs[i].n_targets = 0;
	}
	return st;
}

/* Create from empty, read back, zero calls, find again after restart. */
static void
test_apply_on_moto(void **state)
{
	struct env			*e = moto_env_get(state);
	struct lattice_create_service_network_input in = { 0 };
	struct lattice_service_network	 sn = { 0 };
	struct lattice_service		 svc = { 0 };
	struct aws_error		 err = { 0 };
	struct aws_tags			 tags = { 0 };
	struct lm_stack			*st = mm_stack();
	struct mirror			*m;
	struct plan_result		 r;
	cJSON				*j;
	const cJSON			*x;
	char				*cause = NULL;

	in.name = FX_SN;
	moto_env_ok(&e->m, lattice_create_service_network(e->m.aws, &in, &sn,
	    &err), &err, "CreateServiceNetwork");
	m = mm_mirror(e);
	if (plan_reconcile(m, st, 0, NULL, &r) != 0)
		fail_msg("reconcile on moto: %s", r.error);
	assert_true(r.converged);
	/* 2 TGs, service, association, listener, 2 rules */
	assert_int_equal(r.done, 7);
	assert_int_equal(mirror_calls(m, 1), 7);
	assert_non_null(r.service_arn);
	moto_env_ok(&e->m, lattice_get_service(e->m.aws, r.service_arn, &svc,
	    &err), &err, "GetService");
	assert_string_equal(svc.name, "rates-default");
	moto_env_ok(&e->m, lattice_list_tags(e->m.aws, r.service_arn, &tags,
	    &err), &err, "ListTagsForResource");
	assert_string_equal(aws_tags_get(&tags, UP_TAG_MANAGED_BY),
	    FX_MANAGED_BY);
	assert_string_equal(aws_tags_get(&tags, UP_TAG_ROUTE_TYPE), "http");
	aws_tags_free(&tags);
	lattice_service_free(&svc);
	plan_result_free(&r);
	/* A second pass: nothing to do, no call. */
	mm_note(e, m);
	mirror_reset_counts(m);
	if (plan_reconcile(m, st, 0, NULL, &r) != 0)
		fail_msg("second pass: %s", r.error);
	assert_true(r.converged);
	assert_int_equal(r.done, 0);
	assert_int_equal(mirror_calls(m, 0), 0);
	plan_result_free(&r);
	mirror_free(m);
	/* Restart: the listing finds the service and the TGs by tags. */
	m = mm_mirror(e);
	assert_int_equal(mirror_load(m, &cause), 0);
	j = mirror_stack_json(m, st);
	assert_string_equal(json_path_str(j, "service.name"), "rates-default");
	x = cJSON_GetObjectItem(j, "targetGroups");
	assert_int_equal(cJSON_GetArraySize(x), 2);
	assert_string_equal(json_str(cJSON_GetArrayItem(x, 0), "key"),
	    st->tgs[0].key);
	assert_string_equal(json_str(cJSON_GetArrayItem(x, 0), "name"),
	    st->tgs[0].name);
	cJSON_Delete(j);
	mm_note(e, m);
	mirror_free(m);
	lattice_service_network_free(&sn);
	lm_stack_free(st);
}

/* Run the apply test against moto. */
int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_apply_on_moto),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
