/* Unit tests of the pure pieces around the policy reconcilers and the
 * resync economy: access log destination types, security group set
 * comparison, the typed store holding VpcAssociation, AccessLog and
 * IAMAuth policies (and their heads), the mirror's "unchanged since we
 * knew it" test on listed summaries, the Lattice rate knob (LATTICE_RPS,
 * aws_set_rate). */
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
#include "../../src/aws/aws_int.h"
#include "../../src/engine/controller_int.h"
#include "../../src/engine/mirror_int.h"

/* Destination types by ARN service. */
static void
test_dest_kind(void **state)
{
	(void)state;
	assert_string_equal(ctl_pol_dest_kind("arn:aws:logs:us-west-2:1:"
	    "log-group:a"), "logs");
	assert_string_equal(ctl_pol_dest_kind("arn:aws:s3:::bucket"), "s3");
	assert_string_equal(ctl_pol_dest_kind("arn:aws:firehose:us-west-2:1:"
	    "deliverystream/x"), "firehose");
	assert_string_equal(ctl_pol_dest_kind("arn:aws:sqs:us-west-2:1:q"),
	    "");
	assert_string_equal(ctl_pol_dest_kind("arn:aws:logsx:r:1:x"), "");
	assert_string_equal(ctl_pol_dest_kind("logs"), "");
	assert_string_equal(ctl_pol_dest_kind(NULL), "");
}

/* Security group lists compare as sets, without reordering the input. */
static void
test_same_sgs(void **state)
{
	char	*a[] = { "sg-2", "sg-1" };
	char	*b[] = { "sg-1", "sg-2" };
	char	*c[] = { "sg-1", "sg-3" };

	(void)state;
	assert_true(ctl_vap_same_sgs(a, 2, b, 2));
	assert_string_equal(a[0], "sg-2");
	assert_false(ctl_vap_same_sgs(a, 2, c, 2));
	assert_false(ctl_vap_same_sgs(a, 2, b, 1));
	assert_true(ctl_vap_same_sgs(a, 0, b, 0));
}

/* Put one object of kind k from YAML text. */
static void
put(struct cstore *s, enum cs_kind k, const char *text)
{
	cJSON	*docs = NULL;
	char	*cause = NULL;

	if (yaml_load(text, strlen(text), "test", &docs, &cause) != 0)
		fail_msg("yaml: %s", cause);
	if (cs_put(s, k, cJSON_GetArrayItem(docs, 0), &cause) != 0)
		fail_msg("cs_put: %s", cause);
	cJSON_Delete(docs);
}

#define POL(kind, name, tkind, extra) \
	"apiVersion: application-networking.k8s.aws/v1alpha1\n" \
	"kind: " kind "\nmetadata:\n  name: " name "\n  namespace: default\n" \
	"  creationTimestamp: \"2026-01-01T00:00:00Z\"\nspec:\n" \
	"  targetRef:\n    group: gateway.networking.k8s.io\n" \
	"    kind: " tkind "\n    name: my-hotel\n" extra

/* The store parses the three policy kinds; their heads are found. */
static void
test_store_policies(void **state)
{
	struct cstore			*s = cs_new();
	const struct gw_meta		*m;
	const struct gw_target_ref	*t;
	const struct gw_vapolicy	*v;
	const struct gw_alpolicy	*a;
	const struct gw_iampolicy	*i;

	(void)state;
	put(s, CS_VAP, POL("VpcAssociationPolicy", "vap", "Gateway",
	    "  securityGroupIds: [sg-1, sg-2]\n  associateWithVpc: false\n"));
	put(s, CS_ALP, POL("AccessLogPolicy", "alp", "Gateway",
	    "  destinationArn: arn:aws:s3:::b\n"));
	put(s, CS_IAP, POL("IAMAuthPolicy", "iap", "HTTPRoute",
	    "  policy: '{\"Statement\":[]}'\n"));
	cs_rdlock(s);
	v = cs_get(s, CS_VAP, "default", "vap");
	a = cs_get(s, CS_ALP, "default", "alp");
	i = cs_get(s, CS_IAP, "default", "iap");
	assert_non_null(v);
	assert_non_null(a);
	assert_non_null(i);
	assert_int_equal(v->nsecurity_groups, 2);
	assert_false(v->associate);
	assert_string_equal(a->destination_arn, "arn:aws:s3:::b");
	assert_string_equal(i->policy, "{\"Statement\":[]}");
	ctl_pol_head(CS_VAP, v, &m, &t);
	assert_string_equal(m->name, "vap");
	assert_string_equal(t->kind, "Gateway");
	ctl_pol_head(CS_ALP, a, &m, &t);
	assert_string_equal(m->name, "alp");
	assert_string_equal(t->ns, "default");
	ctl_pol_head(CS_IAP, i, &m, &t);
	assert_string_equal(m->name, "iap");
	assert_string_equal(t->kind, "HTTPRoute");
	assert_string_equal(cs_kind_name(CS_IAP), "IAMAuthPolicy");
	cs_unlock(s);
	cs_free(s);
}

/* A time. */
static struct timespec
ts(long s, long ns)
{
	struct timespec	t = { s, ns };

	return t;
}

/* Listed summaries against what the mirror knows. */
static void
test_unchanged(void **state)
{
	struct timespec	c = ts(100, 5), u = ts(100, 5), later = ts(200, 0);
	struct timespec	zero = ts(0, 0);

	(void)state;
	/* known from our create (no timestamps), never updated: unchanged */
	assert_true(mx_unchanged(&c, &u, &zero));
	/* known from our create, updated since (out of band): changed */
	assert_false(mx_unchanged(&c, &later, &zero));
	/* known from a read: unchanged while lastUpdatedAt is the same */
	assert_true(mx_unchanged(&c, &later, &later));
	assert_false(mx_unchanged(&c, &later, &u));
	/* a summary without lastUpdatedAt says nothing new */
	assert_true(mx_unchanged(&c, &zero, &u));
}

/* LATTICE_RPS and LATTICE_BURST fill the config; a bad value fails. */
static void
test_rate_env(void **state)
{
	struct controller_config	cfg;
	char				*cause = NULL;

	(void)state;
	memset(&cfg, 0, sizeof(cfg));
	setenv("LATTICE_RPS", "7.5", 1);
	setenv("LATTICE_BURST", "3", 1);
	assert_int_equal(controller_config_env(&cfg, &cause), 0);
	assert_true(cfg.lattice_rps == 7.5);
	assert_true(cfg.lattice_burst == 3);
	memset(&cfg, 0, sizeof(cfg));
	cfg.lattice_rps = 2;	/* a flag wins */
	assert_int_equal(controller_config_env(&cfg, &cause), 0);
	assert_true(cfg.lattice_rps == 2);
	setenv("LATTICE_RPS", "fast", 1);
	memset(&cfg, 0, sizeof(cfg));
	assert_int_equal(controller_config_env(&cfg, &cause), -1);
	assert_non_null(strstr(cause, "LATTICE_RPS"));
	free(cause);
	unsetenv("LATTICE_RPS");
	unsetenv("LATTICE_BURST");
}

/* aws_set_rate changes one family's bucket (rate, burst, AIMD ceiling);
 * unknown families share "other"; no limit is a very high rate. */
static void
test_set_rate(void **state)
{
	struct aws_config	 cfg;
	struct aws_creds	 creds;
	struct aws		*aws;
	char			*cause = NULL;
	size_t			 i, lat = 0, other = 0;

	(void)state;
	setenv("AWS_CONFIG_FILE", "/dev/null", 1);
	setenv("AWS_SHARED_CREDENTIALS_FILE", "/dev/null", 1);
	memset(&creds, 0, sizeof(creds));
	creds.access_key_id = "AKIDEXAMPLE";
	creds.secret_access_key = "secret";
	memset(&cfg, 0, sizeof(cfg));
	cfg.region = "us-west-2";
	cfg.no_imds = 1;
	cfg.static_creds = &creds;
	if ((aws = aws_new(&cfg, &cause)) == NULL)
		fail_msg("aws_new: %s", cause);
	for (i = 0; i < AWS_N_FAMILIES; i++) {
		if (strcmp(aws->families[i].service, "vpc-lattice") == 0)
			lat = i;
		if (strcmp(aws->families[i].service, "other") == 0)
			other = i;
	}
	assert_int_equal(aws_set_rate(aws, "vpc-lattice", 50, 10), 0);
	assert_true(aws->families[lat].bucket.rate == 50);
	assert_true(aws->families[lat].bucket.burst == 10);
	assert_true(aws->families[lat].max_rate == 50);
	assert_int_equal(aws_set_rate(aws, "vpc-lattice", 5, 0), 0);
	assert_true(aws->families[lat].bucket.burst == 5);
	assert_true(aws->families[lat].bucket.tokens <= 5);
	assert_int_equal(aws_set_rate(aws, "vpc-lattice", 0, 0), 0);
	assert_true(aws->families[lat].bucket.rate >= 1e6);
	assert_int_equal(aws_set_rate(aws, "no-such", 3, 1), 0);
	assert_true(aws->families[other].bucket.rate == 3);
	assert_int_equal(aws_set_rate(aws, NULL, 3, 1), -1);
	aws_free(aws);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dest_kind),
		cmocka_unit_test(test_same_sgs),
		cmocka_unit_test(test_store_policies),
		cmocka_unit_test(test_unchanged),
		cmocka_unit_test(test_rate_env),
		cmocka_unit_test(test_set_rate),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
