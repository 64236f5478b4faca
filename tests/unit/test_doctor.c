/* doctor's pure parts: IAM action matching against the recommended
 * policy, reason codes, exit codes, check lookup, the human table and
 * how plan operations (drift, or waits on a transition) rate a check. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "latticectl/doctor.h"
#include "latticectl/install.h"
#include "latticectl/json.h"
#include "latticectl/strbuf.h"
#include "../../src/doctor/doctor_int.h"

/* Parse a JSON literal (test input). */
static cJSON *
td_json(const char *s)
{
	char	*cause = NULL;
	cJSON	*o = json_parse(s, strlen(s), "test", &cause);

	if (o == NULL)
		fail_msg("%s", cause);
	return o;
}

/* Actions: exact, service wildcard, prefix wildcard, case, Deny. */
static void
test_policy_allows(void **state)
{
	cJSON	*d;

	(void)state;
	d = td_json("{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":"
	    "[\"vpc-lattice:*\",\"ec2:Describe*\"],\"Resource\":\"*\"},"
	    "{\"Effect\":\"Deny\",\"Action\":\"iam:PassRole\"}]}");
	assert_true(doctor_policy_allows(d, "vpc-lattice:CreateService"));
	assert_true(doctor_policy_allows(d, "vpc-lattice:*"));
	assert_true(doctor_policy_allows(d, "EC2:DescribeSecurityGroups"));
	assert_false(doctor_policy_allows(d, "ec2:AuthorizeSecurityGroupIngress"));
	assert_false(doctor_policy_allows(d, "iam:PassRole"));
	assert_false(doctor_policy_allows(d, "tag:GetResources"));
	cJSON_Delete(d);
	/* a single statement object and a string Action */
	d = td_json("{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"*\"}}");
	assert_true(doctor_policy_allows(d, "logs:CreateLogDelivery"));
	cJSON_Delete(d);
	assert_false(doctor_policy_allows(NULL, "s3:GetObject"));
}

/* The recommended policy allows every action it lists. */
static void
test_recommended_policy_complete(void **state)
{
	cJSON		*rec = install_policy_document();
	const cJSON	*st, *a;
	int		 n = 0;

	(void)state;
	cJSON_ArrayForEach(st, json_path(rec, "Statement")) {
		cJSON_ArrayForEach(a, json_path(st, "Action")) {
			assert_true(doctor_policy_allows(rec, a->valuestring));
			n++;
		}
	}
	assert_true(n >= 10);
	assert_true(doctor_policy_allows(rec, "vpc-lattice:RegisterTargets"));
	cJSON_Delete(rec);
}

/* Reason codes in plain words. */
static void
test_reason_text(void **state)
{
	(void)state;
	assert_non_null(strstr(doctor_reason_text(
	    "Target.ResponseCodeMismatch"), "404"));
	assert_non_null(strstr(doctor_reason_text("Target.NotRegistered"),
	    "not registered"));
	assert_non_null(strstr(doctor_reason_text("Target.Timeout"),
	    "prefix lists"));
	assert_string_equal(doctor_reason_text("Weird.Code"),
	    "an unknown reason code");
	assert_string_equal(doctor_reason_text(NULL), "no reason given");
}

static const char td_report[] =
	"{\"target\":null,\"checkedAt\":\"2026-11-28T10:00:00Z\","
	"\"summary\":{\"ok\":2,\"warn\":1,\"fail\":1,\"skip\":1},\"checks\":["
	"{\"id\":\"cluster.irsa\",\"group\":\"cluster\",\"subject\":"
	"\"ServiceAccount/ns/sa\",\"status\":\"OK\",\"title\":\"IRSA\","
	"\"evidence\":\"annotated\",\"fix\":\"\"},"
	"{\"id\":\"network.sg-prefix-list\",\"group\":\"network\",\"subject\":"
	"\"sg-0abc (cluster security group)\",\"status\":\"FAIL\",\"title\":"
	"\"SG admits\",\"evidence\":\"no rule from pl-1\",\"fix\":"
	"\"aws ec2 authorize-security-group-ingress --group-id sg-0abc\"},"
	"{\"id\":\"route.targets\",\"group\":\"route\",\"subject\":"
	"\"HTTPRoute/default/rates\",\"status\":\"WARN\",\"title\":"
	"\"Targets\",\"evidence\":\"line one\\nline two\",\"fix\":\"x\"},"
	"{\"id\":\"route.targets\",\"group\":\"route\",\"subject\":"
	"\"HTTPRoute/default/rates\",\"status\":\"OK\",\"title\":"
	"\"Targets\",\"evidence\":\"\",\"fix\":\"\"},"
	"{\"id\":\"route.quotas\",\"group\":\"route\",\"subject\":"
	"\"HTTPRoute/default/rates\",\"status\":\"SKIP\",\"title\":"
	"\"Quotas\",\"evidence\":\"\",\"fix\":\"\"}]}";

/* Exit codes and the worst status of an id. */
static void
test_exit_and_status(void **state)
{
	cJSON	*r = td_json(td_report), *c;

	(void)state;
	assert_int_equal(doctor_exit_code(r), 1);
	assert_int_equal(doctor_check_status(r, "cluster.irsa"), DOCTOR_OK);
	assert_int_equal(doctor_check_status(r, "route.targets"),
	    DOCTOR_WARN);
	assert_int_equal(doctor_check_status(r, "route.quotas"), DOCTOR_SKIP);
	assert_int_equal(doctor_check_status(r, "nope"), -1);
	/* only OK and SKIP: exit 0 */
	cJSON_DeleteItemFromArray(cJSON_GetObjectItem(r, "checks"), 2);
	cJSON_DeleteItemFromArray(cJSON_GetObjectItem(r, "checks"), 1);
	assert_int_equal(doctor_exit_code(r), 0);
	c = cJSON_CreateObject();
	assert_int_equal(doctor_exit_code(c), 0);
	cJSON_Delete(c);
	cJSON_Delete(r);
	assert_string_equal(doctor_status_str(DOCTOR_FAIL), "FAIL");
}

/* The table: groups once, route heading by subject, icons, evidence
 * lines and the fix indented, no fix for OK, the summary. */
static void
test_format_table(void **state)
{
	cJSON		*r = td_json(td_report);
	struct strbuf	 sb;
	const char	*s;

	(void)state;
	strbuf_init(&sb);
	doctor_format_table(r, 0, &sb);
	s = sb.buf;
	printf("%s", s);
	assert_non_null(strstr(s, "Cluster\n  \u2714 OK   IRSA "
	    "[ServiceAccount/ns/sa]  (cluster.irsa)\n        annotated\n"));
	assert_non_null(strstr(s, "\nNetwork\n  \u2718 FAIL SG admits"));
	assert_non_null(strstr(s, "        fix:\n          $ aws ec2 "
	    "authorize-security-group-ingress --group-id sg-0abc\n"));
	assert_non_null(strstr(s, "\nRoute HTTPRoute/default/rates\n"
	    "  ! WARN Targets  (route.targets)\n        line one\n"
	    "        line two\n"));
	assert_null(strstr(strstr(s, "Route HTTPRoute") + 1, "Route HTTP"));
	assert_non_null(strstr(s, "  - SKIP Quotas  (route.quotas)\n"));
	assert_non_null(strstr(s, "2 ok, 1 warn, 1 fail, 1 skipped"));
	assert_null(strstr(s, "\033["));
	strbuf_reset(&sb);
	doctor_format_table(r, 1, &sb);
	assert_non_null(strstr(sb.buf, "\033[31m\u2718 FAIL\033[0m"));
	strbuf_free(&sb);
	cJSON_Delete(r);
}

/* Plan operations by family: none OK, only "wait" WARN (progressing,
 * by the resource's first word), any other operation FAIL. */
static void
test_plan_status(void **state)
{
	static const char *const svc[] = { "service", NULL };
	static const char *const assoc[] = { "association", NULL };
	static const char *const rules[] = { "listener", "rule", NULL };
	cJSON	*p;
	char	*ops;

	(void)state;
	p = td_json("{\"operations\":[{\"op\":\"wait\",\"resource\":"
	    "\"association rates-default -> my-hotel\",\"reason\":"
	    "\"CREATE_IN_PROGRESS\"}]}");
	assert_int_equal(doc_plan_status(p, assoc, &ops), DOCTOR_WARN);
	assert_string_equal(ops, "wait association rates-default -> my-hotel "
	    "(CREATE_IN_PROGRESS)");
	free(ops);
	/* a wait on an association is not rules drift, nor the service's */
	assert_int_equal(doc_plan_status(p, rules, &ops), DOCTOR_OK);
	assert_string_equal(ops, "");
	free(ops);
	assert_int_equal(doc_plan_status(p, svc, &ops), DOCTOR_OK);
	free(ops);
	cJSON_Delete(p);
	p = td_json("{\"operations\":[{\"op\":\"wait\",\"resource\":"
	    "\"service rates-default\",\"reason\":\"DELETE_IN_PROGRESS\"},"
	    "{\"op\":\"create-rule\",\"resource\":\"rule 1 (/parking) on "
	    "http\",\"reason\":\"missing\"},{\"op\":\"create-association\","
	    "\"resource\":\"association a -> b\",\"reason\":\"missing\"}]}");
	assert_int_equal(doc_plan_status(p, svc, &ops), DOCTOR_WARN);
	free(ops);
	assert_int_equal(doc_plan_status(p, rules, &ops), DOCTOR_FAIL);
	assert_string_equal(ops, "create-rule rule 1 (/parking) on http "
	    "(missing)");
	free(ops);
	assert_int_equal(doc_plan_status(p, assoc, &ops), DOCTOR_FAIL);
	free(ops);
	cJSON_Delete(p);
	/* no plan (in sync) */
	assert_int_equal(doc_plan_status(NULL, rules, &ops), DOCTOR_OK);
	free(ops);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_policy_allows),
		cmocka_unit_test(test_recommended_policy_complete),
		cmocka_unit_test(test_reason_text),
		cmocka_unit_test(test_exit_and_status),
		cmocka_unit_test(test_format_table),
		cmocka_unit_test(test_plan_status),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
