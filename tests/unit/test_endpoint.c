/* Tests for endpoint resolution (configured URLs, defaults, partitions). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "latticectl/aws.h"
#include "latticectl/creds.h"
#include "latticectl/xmalloc.h"
#include "testlib.h"

static const char *endpoint_envs[] = {
	"AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_VPC_LATTICE",
	"AWS_ENDPOINT_URL_EC2", "AWS_ENDPOINT_URL_IAM", "AWS_ENDPOINT_URL_STS",
	"AWS_ENDPOINT_URL_EKS", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
	"AWS_PROFILE", "AWS_REGION", "AWS_DEFAULT_REGION",
};

struct ep_case {
	const char	*region;
	const char	*config;	/* config file text, or NULL */
	const char	*env[4];	/* "NAME=value" */
	const char	*service;
	const char	*url;		/* NULL: expect an error */
	const char	*host;
	const char	*signing_region;
	const char	*source;
};

#define SVC_CFG \
    "[default]\n" \
    "services = local\n" \
    "endpoint_url = http://profile-wide:7000\n" \
    "[services local]\n" \
    "ec2 =\n" \
    "  endpoint_url = https://ec2.local:8443/\n" \
    "vpc-lattice =\n" \
    "  endpoint_url = http://lattice.alt:81\n"

static const struct ep_case ep_cases[] = {
	{ "us-west-2", NULL, { NULL }, "vpc-lattice",
	  "https://vpc-lattice.us-west-2.amazonaws.com",
	  "vpc-lattice.us-west-2.amazonaws.com", "us-west-2", "default" },
	{ "us-west-2", NULL, { NULL }, "ec2",
	  "https://ec2.us-west-2.amazonaws.com",
	  "ec2.us-west-2.amazonaws.com", "us-west-2", "default" },
	{ "eu-west-1", NULL, { NULL }, "sts",
	  "https://sts.eu-west-1.amazonaws.com",
	  "sts.eu-west-1.amazonaws.com", "eu-west-1", "default" },
	{ "ap-southeast-2", NULL, { NULL }, "eks",
	  "https://eks.ap-southeast-2.amazonaws.com",
	  "eks.ap-southeast-2.amazonaws.com", "ap-southeast-2", "default" },
	{ "cn-north-1", NULL, { NULL }, "ec2",
	  "https://ec2.cn-north-1.amazonaws.com.cn",
	  "ec2.cn-north-1.amazonaws.com.cn", "cn-north-1", "default" },
	{ "us-west-2", NULL, { NULL }, "iam", "https://iam.amazonaws.com",
	  "iam.amazonaws.com", "us-east-1", "default" },
	{ "cn-northwest-1", NULL, { NULL }, "iam",
	  "https://iam.cn-north-1.amazonaws.com.cn",
	  "iam.cn-north-1.amazonaws.com.cn", "cn-north-1", "default" },
	{ "us-gov-east-1", NULL, { NULL }, "iam",
	  "https://iam.us-gov.amazonaws.com", "iam.us-gov.amazonaws.com",
	  "us-gov-west-1", "default" },
	/* Service env var; trailing '/' dropped; port kept. */
	{ "us-west-2", NULL,
	  { "AWS_ENDPOINT_URL_VPC_LATTICE=http://localhost:4566/" },
	  "vpc-lattice", "http://localhost:4566", "localhost:4566",
	  "us-west-2", "AWS_ENDPOINT_URL_VPC_LATTICE" },
	/* Global env var; IAM still signs for us-east-1. */
	{ "eu-west-1", NULL, { "AWS_ENDPOINT_URL=http://127.0.0.1:5000" },
	  "iam", "http://127.0.0.1:5000", "127.0.0.1:5000", "us-east-1",
	  "AWS_ENDPOINT_URL" },
	/* The services section beats AWS_ENDPOINT_URL... */
	{ "us-west-2", NULL, { "AWS_ENDPOINT_URL=http://global:1" },
	  "sts", "http://global:1", "global:1", "us-west-2",
	  "AWS_ENDPOINT_URL" },
	{ "us-west-2", SVC_CFG, { "AWS_ENDPOINT_URL=http://global:1" },
	  "ec2", "https://ec2.local:8443", "ec2.local:8443", "us-west-2",
	  "profile:default services local" },
	/* ...and the hyphenated key is accepted too. */
	{ "us-west-2", SVC_CFG, { NULL }, "vpc-lattice",
	  "http://lattice.alt:81", "lattice.alt:81", "us-west-2",
	  "profile:default services local" },
	/* AWS_ENDPOINT_URL beats the profile's endpoint_url. */
	{ "us-west-2", SVC_CFG, { "AWS_ENDPOINT_URL=http://global:1" },
	  "eks", "http://global:1", "global:1", "us-west-2",
	  "AWS_ENDPOINT_URL" },
	{ "us-west-2", SVC_CFG, { NULL }, "eks",
	  "http://profile-wide:7000", "profile-wide:7000", "us-west-2",
	  "profile:default" },
	/* The service env var beats the services section. */
	{ "us-west-2", SVC_CFG,
	  { "AWS_ENDPOINT_URL_EC2=http://ec2.env:9" }, "ec2",
	  "http://ec2.env:9", "ec2.env:9", "us-west-2",
	  "AWS_ENDPOINT_URL_EC2" },
	/* Ignoring configured endpoints (env, then profile). */
	{ "us-west-2", SVC_CFG,
	  { "AWS_ENDPOINT_URL_EC2=http://ec2.env:9",
	    "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true" }, "ec2",
	  "https://ec2.us-west-2.amazonaws.com",
	  "ec2.us-west-2.amazonaws.com", "us-west-2", "default" },
	{ "us-west-2", "[default]\nignore_configured_endpoint_urls = true\n",
	  { "AWS_ENDPOINT_URL=http://global:1" }, "sts",
	  "https://sts.us-west-2.amazonaws.com",
	  "sts.us-west-2.amazonaws.com", "us-west-2", "default" },
	{ "us-west-2", "[default]\nignore_configured_endpoint_urls = true\n",
	  { "AWS_ENDPOINT_URL=http://global:1",
	    "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=false" }, "sts",
	  "http://global:1", "global:1", "us-west-2", "AWS_ENDPOINT_URL" },
	/* Default ports are not part of the host; IPv6 keeps brackets. */
	{ "us-west-2", NULL, { "AWS_ENDPOINT_URL=https://h.example:443/" },
	  "sts", "https://h.example:443", "h.example", "us-west-2",
	  "AWS_ENDPOINT_URL" },
	{ "us-west-2", NULL, { "AWS_ENDPOINT_URL=http://[::1]:8080/base/" },
	  "sts", "http://[::1]:8080/base", "[::1]:8080", "us-west-2",
	  "AWS_ENDPOINT_URL" },
	/* Errors. */
	{ "us-west-2", NULL, { "AWS_ENDPOINT_URL=ftp://x" }, "sts", NULL,
	  NULL, NULL, NULL },
	{ "us-west-2", NULL, { "AWS_ENDPOINT_URL=http://x/?a=b" }, "sts",
	  NULL, NULL, NULL, NULL },
	{ "us-west-2", NULL, { NULL }, "s3", NULL, NULL, NULL, NULL },
};

/* Make a context for region with config text (NULL: none). */
static struct aws *
make_aws(const char *dir, const char *region, const char *config)
{
	struct aws_config	 cfg;
	struct aws_creds	 creds;
	struct aws		*aws;
	char			*path, *cause = NULL;

	xasprintf(&path, "%s/config", dir);
	assert_int_equal(test_write_file(path, config != NULL ? config : "",
	    0600), 0);
	setenv("AWS_CONFIG_FILE", path, 1);
	setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials", 1);
	free(path);
	memset(&creds, 0, sizeof creds);
	creds.access_key_id = "AKIDEXAMPLE";
	creds.secret_access_key = "secret";
	memset(&cfg, 0, sizeof cfg);
	cfg.region = region;
	cfg.no_imds = 1;
	cfg.static_creds = &creds;
	if ((aws = aws_new(&cfg, &cause)) == NULL)
		fail_msg("aws_new: %s", cause);
	return aws;
}

/* Set "NAME=value" in the environment. */
static void
put_env(const char *kv)
{
	char	*name = xstrdup(kv), *eq = strchr(name, '=');

	*eq = '\0';
	setenv(name, eq + 1, 1);
	free(name);
}

/* Every row of the table. */
static void
test_endpoint_table(void **state)
{
	const struct ep_case	*c;
	struct aws_endpoint	 ep;
	struct aws		*aws;
	char			*dir, *cause, *path;
	size_t			 i, j;
	int			 rc;

	(void)state;
	dir = test_tmpdir();
	for (i = 0; i < sizeof ep_cases / sizeof ep_cases[0]; i++) {
		c = &ep_cases[i];
		for (j = 0; j < sizeof endpoint_envs / sizeof endpoint_envs[0];
		    j++)
			unsetenv(endpoint_envs[j]);
		for (j = 0; j < 4 && c->env[j] != NULL; j++)
			put_env(c->env[j]);
		aws = make_aws(dir, c->region, c->config);
		cause = NULL;
		rc = aws_endpoint_resolve(aws, c->service, &ep, &cause);
		if (c->url == NULL) {
			if (rc != -1 || cause == NULL)
				fail_msg("case %zu: expected an error", i);
			free(cause);
			aws_free(aws);
			continue;
		}
		if (rc != 0)
			fail_msg("case %zu: %s", i, cause);
		if (strcmp(ep.url, c->url) != 0 ||
		    strcmp(ep.host, c->host) != 0 ||
		    strcmp(ep.signing_region, c->signing_region) != 0 ||
		    strcmp(ep.signing_name, c->service) != 0 ||
		    strcmp(ep.source, c->source) != 0)
			fail_msg("case %zu: got %s host %s signed %s/%s "
			    "from %s", i, ep.url, ep.host, ep.signing_region,
			    ep.signing_name, ep.source);
		aws_endpoint_clear(&ep);
		assert_null(ep.url);
		aws_free(aws);
	}
	for (j = 0; j < sizeof endpoint_envs / sizeof endpoint_envs[0]; j++)
		unsetenv(endpoint_envs[j]);
	xasprintf(&path, "%s/config", dir);
	unlink(path);
	free(path);
	rmdir(dir);
	free(dir);
}

/* A context picked by --profile uses that profile's endpoint settings. */
static void
test_endpoint_profile(void **state)
{
	struct aws_config	 cfg;
	struct aws_creds	 creds;
	struct aws_endpoint	 ep;
	struct aws		*aws;
	char			*dir, *path, *cause = NULL;

	(void)state;
	dir = test_tmpdir();
	xasprintf(&path, "%s/config", dir);
	assert_int_equal(test_write_file(path, "[default]\n"
	    "endpoint_url = http://wrong:1\n"
	    "[profile local]\nendpoint_url = http://right:2\n", 0600), 0);
	setenv("AWS_CONFIG_FILE", path, 1);
	memset(&creds, 0, sizeof creds);
	creds.access_key_id = "AKIDEXAMPLE";
	creds.secret_access_key = "secret";
	memset(&cfg, 0, sizeof cfg);
	cfg.region = "us-west-2";
	cfg.profile = "local";
	cfg.no_imds = 1;
	cfg.static_creds = &creds;
	assert_non_null(aws = aws_new(&cfg, &cause));
	assert_int_equal(aws_endpoint_resolve(aws, "vpc-lattice", &ep, &cause),
	    0);
	assert_string_equal(ep.url, "http://right:2");
	assert_string_equal(ep.source, "profile:local");
	aws_endpoint_clear(&ep);
	aws_free(aws);
	unlink(path);
	rmdir(dir);
	free(path);
	free(dir);
	unsetenv("AWS_CONFIG_FILE");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_endpoint_table),
		cmocka_unit_test(test_endpoint_profile),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
