/*
 * The installer's AWS steps against moto_server (prints SKIP when it is
 * not installed): the iam-policy step created, re-run without a change,
 * a policy with another document reported and kept, undone; the dry run
 * of the cluster step over moto's EKS, EC2 and IAM.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/iam.h"
#include "latticectl/install.h"
#include "latticectl/log.h"
#include "latticectl/sts.h"
#include "latticectl/xmalloc.h"
#include "testlib.h"

/* The group: moto, and the lab config of its account. */
struct env {
	struct moto_env		 m;
	struct lab_config	*lab;
	char			*dir;
};

/* Start moto; the lab names its account and region. */
static int
group_setup(void **state)
{
	struct env		*e;
	struct sts_identity	 id = { 0 };
	struct aws_error	 err = { 0 };
	char			*y, *cause = NULL;

	moto_env_setup(state, "itest_install_moto", sizeof(struct env));
	e = *state;
	if (e->m.aws == NULL)
		return 0;
	if (sts_get_caller_identity(e->m.aws, &id, &err) != 0)
		fail_msg("sts: %s", err.message);
	e->dir = test_tmpdir();
	xasprintf(&y, "region: %s\naccountId: '%s'\nkubeconfig: %s/kubeconfig\n"
	    "cluster:\n  subnets:\n    public: [a, b]\n", aws_region(e->m.aws),
	    id.account, e->dir);
	if (lab_config_parse(y, strlen(y), "lab.yaml", &e->lab, &cause) != 0)
		fail_msg("lab: %s", cause);
	free(y);
	sts_identity_clear(&id);
	return 0;
}

/* Free the lab and stop moto. */
static int
group_teardown(void **state)
{
	struct env	*e = *state;

	lab_config_free(e->lab);
	if (e->dir != NULL)
		test_rm_tree(e->dir);
	return moto_env_teardown(state);
}

/* One run; returns install_run's answer. */
static int
run(struct env *e, enum install_dir dir, const char *only,
    struct install_result *res)
{
	struct install_opts	 o = { 0 };
	struct install		*in;
	char			*cause = NULL;
	int			 rc;

	o.lab = e->lab;
	o.aws = e->m.aws;
	o.dir = dir;
	o.only = only;
	o.yes = 1;
	o.poll_ms = o.kube_poll_ms = 50;
	o.retry_base_ms = 10;
	o.timeout_ms = 60000;
	if ((in = install_new(&o, &cause)) == NULL)
		fail_msg("install_new: %s", cause);
	if ((rc = install_run(in, res, &cause)) < 0)
		fail_msg("install_run: %s", cause);
	install_free(in);
	return rc;
}

/* Create, re-run (nothing changes), undo. */
static void
test_iam_policy_step(void **state)
{
	struct env		*e = moto_env_get(state);
	struct install_result	 res;
	struct iam_policy	 pol = { 0 };
	struct aws_error	 err = { 0 };
	char			*arn;

	assert_int_equal(run(e, INSTALL_UP, "iam-policy", &res), 0);
	assert_int_equal(res.changed, 1);
	install_result_clear(&res);
	moto_env_op(&e->m, "CreatePolicy");
	xasprintf(&arn, "arn:aws:iam::%s:policy/VPCLatticeControllerIAMPolicy",
	    e->lab->account_id);
	assert_int_equal(iam_get_policy(e->m.aws, arn, &pol, &err), 0);
	iam_policy_clear(&pol);
	assert_int_equal(run(e, INSTALL_UP, "iam-policy", &res), 0);
	assert_int_equal(res.changed, 0);
	install_result_clear(&res);
	assert_int_equal(run(e, INSTALL_DOWN, "iam-policy", &res), 0);
	assert_int_equal(res.changed, 1);
	install_result_clear(&res);
	moto_env_op(&e->m, "DeletePolicy");
	assert_int_equal(iam_get_policy(e->m.aws, arn, &pol, &err), -1);
	assert_string_equal(err.code, "NoSuchEntity");
	aws_error_clear(&err);
	free(arn);
}

/* Another document under the name: reported, not overwritten. */
static void
test_iam_policy_differs(void **state)
{
	struct env		*e = moto_env_get(state);
	struct iam_policy_input	 pi = { 0 };
	struct iam_policy	 pol = { 0 };
	struct aws_error	 err = { 0 };
	struct install_result	 res;

	pi.name = "VPCLatticeControllerIAMPolicy";
	pi.document = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":"
	    "\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}]}";
	assert_int_equal(iam_create_policy(e->m.aws, &pi, &pol, &err), 0);
	assert_int_equal(run(e, INSTALL_UP, "iam-policy", &res), 1);
	assert_int_equal(res.failed, 1);
	install_result_clear(&res);
	assert_int_equal(run(e, INSTALL_DOWN, "iam-policy", &res), 0);
	assert_int_equal(res.n_left_behind, 1);
	install_result_clear(&res);
	assert_int_equal(iam_delete_policy(e->m.aws, pol.arn, &err), 0);
	iam_policy_clear(&pol);
}

/* The cluster step's dry run over moto (no VPC: it says so). */
static void
test_dry_run(void **state)
{
	struct env		*e = moto_env_get(state);
	struct install_opts	 o = { 0 };
	struct install		*in;
	struct strbuf		 text;
	char			*cause = NULL;

	o.lab = e->lab;
	o.aws = e->m.aws;
	o.only = "cluster,iam-policy";
	assert_non_null(in = install_new(&o, &cause));
	strbuf_init(&text);
	assert_int_equal(install_plan(in, &text, NULL, &cause), 0);
	assert_non_null(strstr(text.buf, "no EKS cluster c1"));
	assert_non_null(strstr(text.buf, "no VPC tagged Name="
	    "LatticeWorkshop-Clients-VPC"));
	assert_non_null(strstr(text.buf, "$ aws iam create-policy"));
	moto_env_op(&e->m, "DescribeCluster");
	strbuf_free(&text);
	install_free(in);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_iam_policy_step),
		cmocka_unit_test(test_iam_policy_differs),
		cmocka_unit_test(test_dry_run),
	};

	log_open(LOG_LEVEL_OFF, LOG_FORMAT_TEXT, NULL);
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
