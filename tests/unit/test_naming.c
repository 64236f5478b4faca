/* Unit tests: upstream-compatible names and tags (naming.c, tags.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/gwapi.h"
#include "latticectl/lmodel.h"

/* Whether s obeys a Lattice name pattern: [a-z0-9-], no '-' at the ends,
 * no "--", length lo..hi, not starting with bad_prefix. */
static int
lattice_name_ok(const char *s, size_t lo, size_t hi, const char *bad_prefix)
{
	size_t	len = strlen(s), i;

	if (len < lo || len > hi)
		return 0;
	for (i = 0; i < len; i++) {
		if (!(islower((unsigned char)s[i]) ||
		    isdigit((unsigned char)s[i]) || s[i] == '-'))
			return 0;
	}
	if (s[0] == '-' || s[len - 1] == '-' || strstr(s, "--") != NULL)
		return 0;
	return strncmp(s, bad_prefix, strlen(bad_prefix)) != 0;
}

struct trunc_case {
	const char	*in;
	size_t		 n;
	const char	*want;
};

/* lm_trunc: cut at n bytes, strip '-' at both ends. */
static void
test_trunc(void **state)
{
	static const struct trunc_case cases[] = {
		{ "abc", 2, "ab" },
		{ "abc", 10, "abc" },
		{ "-abc-", 10, "abc" },
		{ "ab-cd", 3, "ab" },		/* cut lands on '-' */
		{ "---", 3, "" },
		{ "", 5, "" },
		{ "a-b", 0, "" },
		{ "--x--y--", 5, "x" },
		{ "--x--y--", 8, "x--y" },	/* inner - kept */
	};
	size_t	i;
	char	*got;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		got = lm_trunc(cases[i].in, cases[i].n);
		assert_string_equal(got, cases[i].want);
		free(got);
	}
}

struct svc_case {
	const char	*route;
	const char	*ns;
	const char	*want;
};

/* Default service names: 20 + 18 truncation, cleaning. */
static void
test_service_name_default(void **state)
{
	static const struct svc_case cases[] = {
		/* the lab's routes */
		{ "rates", "default", "rates-default" },
		{ "inventory", "default", "inventory-default" },
		/* route cut at 20 */
		{ "a-very-long-route-name-here", "default",
		    "a-very-long-route-na-default" },
		/* 20th byte is '-': stripped */
		{ "abcdefghijklmnopqrs-tuv", "default",
		    "abcdefghijklmnopqrs-default" },
		/* namespace cut at 18 */
		{ "web", "aws-application-networking-system",
		    "web-aws-application-ne" },
		/* 18th byte of the namespace is '-': stripped */
		{ "web", "namespace-with-ab-cd", "web-namespace-with-ab" },
		/* exactly 20 + 18 */
		{ "abcdefghijklmnopqrst", "abcdefghijklmnopqr",
		    "abcdefghijklmnopqrst-abcdefghijklmnopqr" },
		/* route names may hold '.', Lattice names may not */
		{ "my.route", "default", "my-route-default" },
		{ "a--b", "ns", "a-b-ns" },
	};
	size_t	i;
	char	*got;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		got = lm_service_name_default(cases[i].route, cases[i].ns);
		assert_string_equal(got, cases[i].want);
		assert_true(lattice_name_ok(got, 3, 40, "svc-"));
		free(got);
	}
}

/* Two routes differing only after byte 20 truncate to one name: the
 * collision the builder must detect. */
static void
test_service_name_collision(void **state)
{
	char	*a, *b, *c;

	(void)state;
	a = lm_service_name_default("inventory-service-route-v1", "default");
	b = lm_service_name_default("inventory-service-route-v2", "default");
	c = lm_service_name_default("inventory-service-r", "default");
	assert_string_equal(a, b);
	assert_string_equal(a, "inventory-service-ro-default");
	assert_string_not_equal(a, c);
	free(a);
	free(b);
	free(c);
}

/* Listener names per protocol. */
static void
test_listener_name(void **state)
{
	char	*n;

	(void)state;
	n = lm_listener_name("rates-default", 80, LM_PROTO_HTTP);
	assert_string_equal(n, "rates-default-80-http");
	free(n);
	n = lm_listener_name("rates-default", 443, LM_PROTO_HTTPS);
	assert_string_equal(n, "rates-default-443-https");
	free(n);
	n = lm_listener_name("nginx-tls-route-default", 443,
	    LM_PROTO_TLS_PASSTHROUGH);
	assert_string_equal(n, "nginx-tls-route-default-443-tls");
	assert_true(lattice_name_ok(n, 3, 63, "listener-"));
	free(n);
	assert_string_equal(lm_listener_proto_str(LM_PROTO_TLS_PASSTHROUGH),
	    "TLS_PASSTHROUGH");
	assert_string_equal(lm_listener_proto_str(LM_PROTO_HTTPS), "HTTPS");
}

/* The 10-letter suffix of a TG name. */
static const char *
tg_suffix(const char *name)
{
	const char	*dash = strrchr(name, '-');
	size_t		 i;

	assert_non_null(dash);
	assert_int_equal(strlen(dash + 1), 10);
	for (i = 1; i <= 10; i++)
		assert_true(islower((unsigned char)dash[i]));
	return dash + 1;
}

/* TG names: format, determinism, 55-byte parts. */
static void
test_tg_name(void **state)
{
	char	*a, *b, *c, *lng;
	char	 ns[80], svc[80];

	(void)state;
	a = lm_tg_name("default", "parking", "seed-1");
	b = lm_tg_name("default", "parking", "seed-1");
	c = lm_tg_name("default", "parking", "seed-2");
	assert_int_equal(strncmp(a, "k8s-default-parking-", 20), 0);
	assert_string_equal(a, b);		/* deterministic */
	assert_string_not_equal(tg_suffix(a), tg_suffix(c));
	assert_true(lattice_name_ok(a, 3, 128, "tg-"));
	/* 55-byte parts, '-' at the cut stripped */
	memset(ns, 'n', 54);
	ns[54] = '-';
	strcpy(ns + 55, "tail");
	memset(svc, 's', 60);
	svc[60] = '\0';
	lng = lm_tg_name(ns, svc, "x");
	assert_int_equal(strlen(lng), 4 + 54 + 1 + 55 + 1 + 10);
	assert_true(lattice_name_ok(lng, 3, 128, "tg-"));
	assert_int_equal(strncmp(lng + 4, ns, 54), 0);
	assert_int_equal(lng[58], '-');
	tg_suffix(lng);
	free(a);
	free(b);
	free(c);
	free(lng);
}

/* Rule names: k8s-<10 digits>-rule-<priority>. */
static void
test_rule_name(void **state)
{
	char	*a, *b, *c;
	size_t	 i;

	(void)state;
	a = lm_rule_name("listener|m=|p2=/parking", 1);
	b = lm_rule_name("listener|m=|p2=/parking", 1);
	c = lm_rule_name("listener|m=|p2=/review", 2);
	assert_string_equal(a, b);
	assert_int_equal(strncmp(a, "k8s-", 4), 0);
	for (i = 4; i < 14; i++)
		assert_true(isdigit((unsigned char)a[i]));
	assert_string_equal(a + 14, "-rule-1");
	assert_string_equal(c + 14, "-rule-2");
	assert_int_not_equal(memcmp(a, c, 14), 0);
	assert_true(lattice_name_ok(a, 3, 63, "rule-"));
	free(a);
	free(b);
	free(c);
}

/* SourceTypeKey and RouteType values. */
static void
test_kind_strings(void **state)
{
	(void)state;
	assert_string_equal(lm_source_kind_str(LM_SRC_HTTPROUTE), "HTTPRoute");
	assert_string_equal(lm_source_kind_str(LM_SRC_GRPCROUTE), "GRPCRoute");
	assert_string_equal(lm_source_kind_str(LM_SRC_TLSROUTE), "TLSRoute");
	assert_string_equal(lm_source_kind_str(LM_SRC_SERVICEEXPORT),
	    "ServiceExport");
	assert_string_equal(lm_route_type_str(LM_SRC_HTTPROUTE), "http");
	assert_string_equal(lm_route_type_str(LM_SRC_GRPCROUTE), "grpc");
	assert_string_equal(lm_route_type_str(LM_SRC_TLSROUTE), "tls");
}

/* ManagedBy value; user tags never override system tags. */
static void
test_managed_by_and_user_tags(void **state)
{
	struct lm_config	cfg = { "123456789012", "c1", "vpc-0abc", NULL,
				    0 };
	struct gw_kv		user[] = {
		{ (char *)"team", (char *)"blue" },
		{ (char *)UP_TAG_MANAGED_BY, (char *)"evil" },
		{ (char *)"env", (char *)"prod" },
	};
	struct aws_tags		t = { 0 };
	char			*mb;

	(void)state;
	mb = lm_managed_by(&cfg);
	assert_string_equal(mb, "123456789012/c1/vpc-0abc");
	aws_tags_set(&t, UP_TAG_MANAGED_BY, mb);
	lm_tags_add_user(&t, user, 3);
	assert_int_equal(t.n, 3);
	assert_string_equal(aws_tags_get(&t, UP_TAG_MANAGED_BY), mb);
	assert_string_equal(aws_tags_get(&t, "team"), "blue");
	assert_string_equal(aws_tags_get(&t, "env"), "prod");
	aws_tags_free(&t);
	free(mb);
}

/* Run the naming tests. */
int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_trunc),
		cmocka_unit_test(test_service_name_default),
		cmocka_unit_test(test_service_name_collision),
		cmocka_unit_test(test_listener_name),
		cmocka_unit_test(test_tg_name),
		cmocka_unit_test(test_rule_name),
		cmocka_unit_test(test_kind_strings),
		cmocka_unit_test(test_managed_by_and_user_tags),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
