/* STS and the credential chain against moto_server. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "latticectl/aws.h"
#include "latticectl/json.h"
#include "latticectl/proc.h"
#include "latticectl/sts.h"
#include "latticectl/xmalloc.h"
#include "testlib.h"

#define MOTO_ACCOUNT	"123456789012"
#define ROLE_ARN	"arn:aws:iam::123456789012:role/gw-controller"
#define MOTO_SECRET	"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"

/* The group's moto and a scratch directory. */
struct itest {
	struct moto_env	 m;
	char		*dir;
};

/* Start moto once for the group. */
static int
group_setup(void **state)
{
	struct itest	*t;

	unsetenv("AWS_PROFILE");
	unsetenv("AWS_ACCESS_KEY_ID");
	unsetenv("AWS_SECRET_ACCESS_KEY");
	unsetenv("AWS_ROLE_ARN");
	unsetenv("AWS_WEB_IDENTITY_TOKEN_FILE");
	moto_env_setup(state, "itest_moto_sts", sizeof(struct itest));
	t = *state;
	t->dir = test_tmpdir();
	return 0;
}

/* Clean up, print what ran, stop moto. */
static int
group_teardown(void **state)
{
	struct itest	*t = *state;

	test_rm_tree(t->dir);
	return moto_env_teardown(state);
}

/* A context for moto resolving credentials through the chain. */
static struct aws *
chain_aws(struct itest *t, const char *profile)
{
	struct aws_config	 cfg;
	struct aws		*aws;
	char			*cause = NULL;

	setenv("AWS_ENDPOINT_URL", t->m.moto.url, 1);
	memset(&cfg, 0, sizeof cfg);
	cfg.region = "us-west-2";
	cfg.profile = profile;
	cfg.no_imds = 1;
	if ((aws = aws_new(&cfg, &cause)) == NULL)
		fail_msg("aws_new: %s", cause);
	aws_set_retry(aws, 2, 10, 50);
	return aws;
}

/* Assert GetCallerIdentity's ARN starts with prefix. */
static void
check_identity(struct aws *aws, const char *prefix)
{
	struct aws_error	err;
	struct sts_identity	id;
	char			*msg;

	memset(&err, 0, sizeof err);
	if (sts_get_caller_identity(aws, &id, &err) != 0) {
		msg = aws_error_string(&err);
		fail_msg("GetCallerIdentity: %s", msg);
	}
	assert_string_equal(id.account, MOTO_ACCOUNT);
	if (strncmp(id.arn, prefix, strlen(prefix)) != 0)
		fail_msg("arn %s does not start with %s", id.arn, prefix);
	assert_non_null(id.user_id);
	sts_identity_clear(&id);
}

/* GetCallerIdentity with the static keys. */
static void
test_caller_identity(void **state)
{
	struct itest	*t = moto_env_get(state);

	check_identity(t->m.aws, "arn:aws:sts::123456789012:user/moto");
	moto_env_op(&t->m, "GetCallerIdentity");
}

/* AssumeRole, then use the session to ask who we are. */
static void
test_assume_role(void **state)
{
	struct itest		*t = moto_env_get(state);
	struct aws		*as;
	struct aws_error	 err;
	struct aws_creds	 out;
	struct sts_assumed	 who;
	struct aws_config	 cfg;
	char			*cause = NULL;

	memset(&err, 0, sizeof err);
	moto_env_ok(&t->m, sts_assume_role(t->m.aws, NULL, ROLE_ARN, "s2",
	    "ext", 900, &out, &who, &err), &err, "AssumeRole");
	assert_non_null(out.session_token);
	assert_true(strncmp(out.access_key_id, "ASIA", 4) == 0);
	assert_true(out.expiration > 0);
	assert_string_equal(who.arn,
	    "arn:aws:sts::123456789012:assumed-role/gw-controller/s2");
	sts_assumed_clear(&who);

	memset(&cfg, 0, sizeof cfg);
	cfg.region = "us-west-2";
	cfg.no_imds = 1;
	cfg.static_creds = &out;
	as = aws_new(&cfg, &cause);
	assert_non_null(as);
	check_identity(as,
	    "arn:aws:sts::123456789012:assumed-role/gw-controller/s2");
	aws_free(as);
	aws_creds_clear(&out);
}

/* AssumeRoleWithWebIdentity (moto accepts any token). */
static void
test_web_identity(void **state)
{
	struct itest		*t = moto_env_get(state);
	struct aws_error	 err;
	struct aws_creds	 out;
	struct sts_assumed	 who;

	memset(&err, 0, sizeof err);
	moto_env_ok(&t->m, sts_assume_role_with_web_identity(t->m.aws,
	    ROLE_ARN, "s1", "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln", 0,
	    &out, &who, &err), &err, "AssumeRoleWithWebIdentity");
	assert_true(strncmp(out.access_key_id, "ASIA", 4) == 0);
	assert_non_null(out.secret_access_key);
	assert_string_equal(who.arn,
	    "arn:aws:sts::123456789012:assumed-role/gw-controller/s1");
	sts_assumed_clear(&who);
	aws_creds_clear(&out);
}

/* The chain: AWS_ROLE_ARN + token file (IRSA) against moto. */
static void
test_chain_web_identity(void **state)
{
	struct itest		*t = moto_env_get(state);
	struct aws		*aws;
	struct aws_creds	 c;
	char			*tok, *cause = NULL;

	xasprintf(&tok, "%s/token", t->dir);
	assert_int_equal(test_write_file(tok,
	    "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln", 0600), 0);
	setenv("AWS_CONFIG_FILE", "/dev/null", 1);
	setenv("AWS_SHARED_CREDENTIALS_FILE", "/dev/null", 1);
	setenv("AWS_ROLE_ARN", ROLE_ARN, 1);
	setenv("AWS_WEB_IDENTITY_TOKEN_FILE", tok, 1);
	setenv("AWS_ROLE_SESSION_NAME", "irsa", 1);
	aws = chain_aws(t, NULL);
	assert_int_equal(aws_get_creds(aws, &c, &cause), 0);
	assert_string_equal(c.source, "web-identity");
	assert_true(c.expiration > 0);
	aws_creds_clear(&c);
	check_identity(aws,
	    "arn:aws:sts::123456789012:assumed-role/gw-controller/irsa");
	aws_free(aws);
	unsetenv("AWS_ROLE_ARN");
	unsetenv("AWS_WEB_IDENTITY_TOKEN_FILE");
	unsetenv("AWS_ROLE_SESSION_NAME");
	free(tok);
}

/* The chain: a role profile sourcing static keys from the credentials
 * file. */
static void
test_chain_assume_role_profile(void **state)
{
	struct itest		*t = moto_env_get(state);
	struct aws		*aws;
	struct aws_creds	 c;
	char			*conf, *creds, *cause = NULL;

	xasprintf(&conf, "%s/config", t->dir);
	xasprintf(&creds, "%s/credentials", t->dir);
	assert_int_equal(test_write_file(conf, "[profile dev]\n"
	    "role_arn = " ROLE_ARN "\nsource_profile = base\n"
	    "role_session_name = from-profile\n", 0600), 0);
	assert_int_equal(test_write_file(creds, "[base]\n"
	    "aws_access_key_id = AKIAIOSFODNN7EXAMPLE\n"
	    "aws_secret_access_key = "
	    "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n", 0600), 0);
	setenv("AWS_CONFIG_FILE", conf, 1);
	setenv("AWS_SHARED_CREDENTIALS_FILE", creds, 1);
	aws = chain_aws(t, "dev");
	assert_int_equal(aws_get_creds(aws, &c, &cause), 0);
	assert_string_equal(c.source, "assume-role:dev");
	aws_creds_clear(&c);
	check_identity(aws, "arn:aws:sts::123456789012:assumed-role/"
	    "gw-controller/from-profile");
	aws_free(aws);
	setenv("AWS_CONFIG_FILE", "/dev/null", 1);
	setenv("AWS_SHARED_CREDENTIALS_FILE", "/dev/null", 1);
	free(conf);
	free(creds);
}

/* The latticectl binary next to this test's directory, or NULL. */
static char *
cli_path(void)
{
	char	 self[4096], *slash, *path;
	ssize_t	 n;

	n = readlink("/proc/self/exe", self, sizeof self - 1);
	if (n <= 0)
		return NULL;
	self[n] = '\0';
	if ((slash = strrchr(self, '/')) == NULL)
		return NULL;
	*slash = '\0';
	if ((slash = strrchr(self, '/')) == NULL)
		return NULL;
	*slash = '\0';
	xasprintf(&path, "%s/latticectl", self);
	if (access(path, X_OK) != 0) {
		free(path);
		return NULL;
	}
	return path;
}

/* Run argv (no shell) with env added and unset dropped; returns stdout,
 * or stderr when want_err (caller frees), and the exit status. */
static char *
run_capture(char *const argv[], char *const env[], char *const unset[],
    int want_err, int *status)
{
	struct proc_opts	 o;
	struct proc_result	 r;
	char			*cause = NULL, *out, path[] = "/tmp/lc-whoami-XXXXXX";
	int			 fd, saved = -1;

	memset(&o, 0, sizeof o);
	o.argv = argv;
	o.env = env;
	o.unset = unset;
	o.timeout_ms = 30000;
	if (want_err) {
		/* stderr passes through proc_run: point ours at a file. */
		fd = mkstemp(path);
		assert_true(fd != -1);
		fflush(stderr);
		saved = dup(2);
		dup2(fd, 2);
		close(fd);
	}
	if (proc_run(&o, &r, &cause) != 0)
		fail_msg("run %s: %s", argv[0], cause);
	if (want_err) {
		fflush(stderr);
		dup2(saved, 2);
		close(saved);
		out = test_read_file(path, NULL);
		unlink(path);
		assert_non_null(out);
	} else
		out = xstrdup(r.out);
	*status = r.exited ? r.status : 128 + r.signal;
	proc_result_free(&r);
	return out;
}

/* latticectl aws whoami against moto: JSON and text, no secrets. */
static void
test_whoami_cli(void **state)
{
	struct itest	*t = moto_env_get(state);
	cJSON		*doc;
	char		*bin, *url, *out;
	int		 status;

	if ((bin = cli_path()) == NULL) {
		printf("SKIP: latticectl binary not built\n");
		skip();
	}
	xasprintf(&url, "AWS_ENDPOINT_URL=%s", t->m.moto.url);
	{
		char *const argv[] = { bin, "aws", "whoami", "-o", "json",
		    NULL };
		char *const env[] = { "AWS_CONFIG_FILE=/dev/null",
		    "AWS_SHARED_CREDENTIALS_FILE=/dev/null",
		    "AWS_REGION=us-west-2", "AWS_EC2_METADATA_DISABLED=true", url,
		    "AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE",
		    "AWS_SECRET_ACCESS_KEY=" MOTO_SECRET,
		    "AWS_SESSION_TOKEN=sessiontoken123", NULL };

		out = run_capture(argv, env, NULL, 0, &status);
	}
	assert_int_equal(status, 0);
	assert_null(strstr(out, MOTO_SECRET));
	assert_null(strstr(out, "sessiontoken123"));
	doc = json_parse(out, strlen(out), "whoami", NULL);
	assert_non_null(doc);
	assert_string_equal(json_str(doc, "Account"), MOTO_ACCOUNT);
	assert_string_equal(json_str(doc, "CredentialSource"), "env");
	assert_string_equal(json_str(doc, "RegionSource"), "AWS_REGION");
	assert_string_equal(json_path_str(doc, "Endpoints.sts.Url"),
	    t->m.moto.url);
	assert_string_equal(json_path_str(doc, "Endpoints.iam.SigningRegion"),
	    "us-east-1");
	cJSON_Delete(doc);
	free(out);
	free(url);

	/* No credentials at all: exit 1 with the chain's message. */
	{
		char *const argv[] = { bin, "--region", "us-west-2", "aws",
		    "whoami", NULL };
		char *const env[] = { "AWS_CONFIG_FILE=/dev/null",
		    "AWS_SHARED_CREDENTIALS_FILE=/dev/null",
		    "AWS_EC2_METADATA_DISABLED=true", NULL };
		char *const unset[] = { "AWS_ACCESS_KEY_ID",
		    "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_ROLE_ARN",
		    "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_PROFILE", NULL };

		out = run_capture(argv, env, unset, 1, &status);
	}
	assert_int_equal(status, 1);
	assert_non_null(strstr(out, "no AWS credentials found"));
	free(out);
	free(bin);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_caller_identity),
		cmocka_unit_test(test_assume_role),
		cmocka_unit_test(test_web_identity),
		cmocka_unit_test(test_chain_web_identity),
		cmocka_unit_test(test_chain_assume_role_profile),
		cmocka_unit_test(test_whoami_cli),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
