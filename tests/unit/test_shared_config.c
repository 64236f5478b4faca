/* Tests for the shared config/credentials file parser and region choice. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "latticectl/creds.h"
#include "latticectl/xmalloc.h"
#include "testlib.h"

/* Parse text as one file kind into a fresh config (asserting success). */
static struct aws_shared_config *
parse_ok(const char *text, int is_credentials)
{
	struct aws_shared_config	*cfg = aws_shared_config_new();
	char				*cause = NULL;

	if (aws_shared_config_parse(cfg, text, "f", is_credentials,
	    &cause) != 0)
		fail_msg("parse failed: %s", cause);
	return cfg;
}

/* Parse text expecting an error; return the message (caller frees). */
static char *
parse_err(const char *text, int is_credentials)
{
	struct aws_shared_config	*cfg = aws_shared_config_new();
	char				*cause = NULL;

	assert_int_equal(aws_shared_config_parse(cfg, text, "cfgfile",
	    is_credentials, &cause), -1);
	assert_non_null(cause);
	aws_shared_config_free(cfg);
	return cause;
}

/* Profiles, comments, trimming, lower-cased keys, quoted names. */
static void
test_config_sections(void **state)
{
	struct aws_shared_config	*cfg;

	(void)state;
	cfg = parse_ok(
	    "# comment\n"
	    "; another\n"
	    "[default]\n"
	    "region = us-west-2\n"
	    "  \n"
	    "[profile dev]   # trailing comment\n"
	    "\tRegion=eu-west-1   \n"
	    "\tOutput =  json\n"
	    "[profile \"two words\"]\n"
	    "region = ap-south-1\n"
	    "[profile]\n"
	    "region = nowhere-1\n"
	    "[plain]\n"
	    "region = nowhere-2\n"
	    "[sso-session corp]\n"
	    "sso_region = us-east-1\n", 0);
	assert_string_equal(aws_shared_config_get(cfg, "default", "region"),
	    "us-west-2");
	assert_string_equal(aws_shared_config_get(cfg, "dev", "region"),
	    "eu-west-1");
	assert_string_equal(aws_shared_config_get(cfg, "dev", "REGION"),
	    "eu-west-1");
	assert_string_equal(aws_shared_config_get(cfg, "dev", "output"),
	    "json");
	assert_string_equal(aws_shared_config_get(cfg, "two words", "region"),
	    "ap-south-1");
	assert_true(aws_shared_config_has_profile(cfg, "dev"));
	assert_false(aws_shared_config_has_profile(cfg, "plain"));
	assert_false(aws_shared_config_has_profile(cfg, "profile"));
	assert_false(aws_shared_config_has_profile(cfg, "corp"));
	assert_null(aws_shared_config_get(cfg, "dev", "missing"));
	assert_string_equal(aws_shared_config_section_get(cfg, "sso-session",
	    "corp", "sso_region"), "us-east-1");
	aws_shared_config_free(cfg);
}

/* The credentials file wins over the config file for keys it sets. */
static void
test_credentials_win(void **state)
{
	struct aws_shared_config	*cfg = aws_shared_config_new();
	char				*cause = NULL;

	(void)state;
	assert_int_equal(aws_shared_config_parse(cfg,
	    "[profile dev]\naws_access_key_id = FROMCONFIG\nregion = r1\n",
	    "config", 0, &cause), 0);
	assert_int_equal(aws_shared_config_parse(cfg,
	    "[dev]\naws_access_key_id = FROMCREDS\n"
	    "[profile x]\naws_access_key_id = PX\n", "credentials", 1,
	    &cause), 0);
	assert_string_equal(aws_shared_config_get(cfg, "dev",
	    "aws_access_key_id"), "FROMCREDS");
	assert_string_equal(aws_shared_config_get(cfg, "dev", "region"), "r1");
	/* In the credentials file "[profile x]" is a profile named so. */
	assert_string_equal(aws_shared_config_get(cfg, "profile x",
	    "aws_access_key_id"), "PX");
	assert_null(aws_shared_config_get(cfg, "x", "aws_access_key_id"));
	aws_shared_config_free(cfg);
}

/* Nested sub-sections and continuation lines. */
static void
test_nested(void **state)
{
	struct aws_shared_config	*cfg;

	(void)state;
	cfg = parse_ok(
	    "[profile dev]\n"
	    "services = local\n"
	    "s3 =\n"
	    "  max_concurrent_requests = 10\n"
	    "  Addressing_Style = path\n"
	    "note = first\n"
	    "   second line\n"
	    "region = us-east-2\n"
	    "[services local]\n"
	    "vpc_lattice =\n"
	    "    endpoint_url = http://localhost:4566\n"
	    "ec2 =\n"
	    "    endpoint_url = http://localhost:4567/\n", 0);
	assert_string_equal(aws_shared_config_get(cfg, "dev", "s3"), "");
	assert_string_equal(aws_shared_config_get(cfg, "dev",
	    "s3.max_concurrent_requests"), "10");
	assert_string_equal(aws_shared_config_get(cfg, "dev",
	    "s3.addressing_style"), "path");
	assert_string_equal(aws_shared_config_get(cfg, "dev", "note"),
	    "first\nsecond line");
	assert_string_equal(aws_shared_config_get(cfg, "dev", "region"),
	    "us-east-2");
	assert_string_equal(aws_shared_config_section_get(cfg, "services",
	    "local", "vpc_lattice.endpoint_url"), "http://localhost:4566");
	assert_string_equal(aws_shared_config_section_get(cfg, "services",
	    "local", "ec2.endpoint_url"), "http://localhost:4567/");
	assert_null(aws_shared_config_section_get(cfg, "services", "other",
	    "ec2.endpoint_url"));
	aws_shared_config_free(cfg);
}

/* Repeated keys and sections: the later one wins; CRLF and a BOM. */
static void
test_duplicates_crlf(void **state)
{
	struct aws_shared_config	*cfg;

	(void)state;
	cfg = parse_ok("\xef\xbb\xbf[a]\r\nk = 1\r\nk = 2\r\n[b]\r\nk = x\r\n"
	    "[a]\r\nj = 3\r\n", 1);
	assert_string_equal(aws_shared_config_get(cfg, "a", "k"), "2");
	assert_string_equal(aws_shared_config_get(cfg, "a", "j"), "3");
	assert_string_equal(aws_shared_config_get(cfg, "b", "k"), "x");
	aws_shared_config_free(cfg);
	cfg = parse_ok("[default]\nregion = r1\nx = 1\n"
	    "[profile default]\nregion = r2\n", 0);
	assert_string_equal(aws_shared_config_get(cfg, "default", "region"),
	    "r2");
	assert_string_equal(aws_shared_config_get(cfg, "default", "x"), "1");
	aws_shared_config_free(cfg);
}

/* Malformed lines fail with file:line. */
static void
test_malformed(void **state)
{
	static const struct {
		const char	*text;
		const char	*want;
	} cases[] = {
		{ "region = x\n", "cfgfile:1: line outside a section" },
		{ "[a]\n\nnot a pair\n", "cfgfile:3: expected 'key = value'" },
		{ "[a]\n[b\n", "cfgfile:2: unterminated section header" },
		{ "[a]\n = v\n", "cfgfile:2: empty key" },
		{ "[ ]\n", "cfgfile:1: empty section name" },
		{ "[a] junk\n", "cfgfile:1: text after section header" },
		{ "[a]\ns3 =\n  nested-without-equals\n",
		  "cfgfile:3: expected 'key = value' in nested section" },
	};
	char	*msg;
	size_t	 i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		msg = parse_err(cases[i].text, i % 2);
		assert_string_equal(msg, cases[i].want);
		free(msg);
	}
}

/* aws_shared_config_load reads both files from the env paths. */
static void
test_load_files(void **state)
{
	struct aws_shared_config	*cfg;
	char				*dir, *conf, *creds, *cause = NULL;

	(void)state;
	dir = test_tmpdir();
	xasprintf(&conf, "%s/config", dir);
	xasprintf(&creds, "%s/credentials", dir);
	assert_int_equal(test_write_file(conf, "[profile p]\nregion = r\n",
	    0600), 0);
	assert_int_equal(test_write_file(creds, "[p]\naws_access_key_id = A\n",
	    0600), 0);
	setenv("AWS_CONFIG_FILE", conf, 1);
	setenv("AWS_SHARED_CREDENTIALS_FILE", creds, 1);
	assert_int_equal(aws_shared_config_load(&cfg, &cause), 0);
	assert_string_equal(aws_shared_config_get(cfg, "p", "region"), "r");
	assert_string_equal(aws_shared_config_get(cfg, "p",
	    "aws_access_key_id"), "A");
	aws_shared_config_free(cfg);

	/* "~/" expands to HOME; missing files are fine. */
	setenv("HOME", dir, 1);
	setenv("AWS_CONFIG_FILE", "~/config", 1);
	setenv("AWS_SHARED_CREDENTIALS_FILE", "~/nope", 1);
	assert_int_equal(aws_shared_config_load(&cfg, &cause), 0);
	assert_string_equal(aws_shared_config_get(cfg, "p", "region"), "r");
	assert_null(aws_shared_config_get(cfg, "p", "aws_access_key_id"));
	aws_shared_config_free(cfg);

	/* A malformed file names itself and the line. */
	assert_int_equal(test_write_file(conf, "[profile p]\nbad\n", 0600), 0);
	assert_int_equal(aws_shared_config_load(&cfg, &cause), -1);
	assert_null(cfg);
	assert_non_null(strstr(cause, "/config:2: expected"));
	free(cause);
	unlink(conf);
	unlink(creds);
	rmdir(dir);
	free(conf);
	free(creds);
	free(dir);
}

/* Region order: flag, AWS_REGION, AWS_DEFAULT_REGION, profile, else error. */
static void
test_region_order(void **state)
{
	struct aws_shared_config	*cfg;
	struct aws_config		 ac;
	char				*region, *source, *cause = NULL;

	(void)state;
	cfg = parse_ok("[profile dev]\nregion = eu-central-1\n", 0);
	memset(&ac, 0, sizeof ac);
	ac.no_imds = 1;
	ac.region = "ap-east-1";
	setenv("AWS_REGION", "us-east-2", 1);
	setenv("AWS_DEFAULT_REGION", "us-west-1", 1);
	assert_int_equal(aws_region_resolve(NULL, &ac, cfg, "dev", &region,
	    &source, &cause), 0);
	assert_string_equal(region, "ap-east-1");
	assert_string_equal(source, "--region");
	free(region);
	free(source);
	ac.region = NULL;
	assert_int_equal(aws_region_resolve(NULL, &ac, cfg, "dev", &region,
	    &source, &cause), 0);
	assert_string_equal(region, "us-east-2");
	assert_string_equal(source, "AWS_REGION");
	free(region);
	free(source);
	unsetenv("AWS_REGION");
	assert_int_equal(aws_region_resolve(NULL, &ac, cfg, "dev", &region,
	    &source, &cause), 0);
	assert_string_equal(region, "us-west-1");
	assert_string_equal(source, "AWS_DEFAULT_REGION");
	free(region);
	free(source);
	unsetenv("AWS_DEFAULT_REGION");
	assert_int_equal(aws_region_resolve(NULL, &ac, cfg, "dev", &region,
	    &source, &cause), 0);
	assert_string_equal(region, "eu-central-1");
	assert_string_equal(source, "profile:dev");
	free(region);
	free(source);
	assert_int_equal(aws_region_resolve(NULL, &ac, cfg, "other", &region,
	    &source, &cause), -1);
	assert_string_equal(cause, "no region: set --region or AWS_REGION");
	free(cause);
	cause = NULL;
	setenv("AWS_REGION", "us-west-2/../x", 1);
	assert_int_equal(aws_region_resolve(NULL, &ac, cfg, "dev", &region,
	    &source, &cause), -1);
	assert_non_null(strstr(cause, "invalid region"));
	free(cause);
	unsetenv("AWS_REGION");
	aws_shared_config_free(cfg);
}

/* The profile name: flag, AWS_PROFILE, "default". */
static void
test_profile_name(void **state)
{
	struct aws_config	 ac;
	char			*p;

	(void)state;
	memset(&ac, 0, sizeof ac);
	unsetenv("AWS_PROFILE");
	p = aws_profile_name(&ac);
	assert_string_equal(p, "default");
	free(p);
	setenv("AWS_PROFILE", "envp", 1);
	p = aws_profile_name(&ac);
	assert_string_equal(p, "envp");
	free(p);
	ac.profile = "flagp";
	p = aws_profile_name(&ac);
	assert_string_equal(p, "flagp");
	free(p);
	unsetenv("AWS_PROFILE");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_config_sections),
		cmocka_unit_test(test_credentials_win),
		cmocka_unit_test(test_nested),
		cmocka_unit_test(test_duplicates_crlf),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_load_files),
		cmocka_unit_test(test_region_order),
		cmocka_unit_test(test_profile_name),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
