/* Tests for the credential provider chain (canned transport, env, files). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "latticectl/aws.h"
#include "latticectl/creds.h"
#include "latticectl/http.h"
#include "latticectl/xmalloc.h"
#include "testlib.h"

/* White-box: the provider internals (process timeout, URI checks). */
#include "../../src/aws/creds_int.h"

static const char *cred_envs[] = {
	"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
	"AWS_ROLE_ARN", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_SESSION_NAME",
	"AWS_PROFILE", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
	"AWS_CONTAINER_CREDENTIALS_FULL_URI",
	"AWS_CONTAINER_AUTHORIZATION_TOKEN",
	"AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
	"AWS_EC2_METADATA_DISABLED", "AWS_EC2_METADATA_SERVICE_ENDPOINT",
	"AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "AWS_ENDPOINT_URL",
	"AWS_ENDPOINT_URL_STS", "AWS_REGION", "AWS_DEFAULT_REGION",
	"AWS_MAX_ATTEMPTS",
};

/* Per-test state. */
struct fx {
	struct canned			 c;
	struct aws			*aws;
	struct aws_shared_config	*cfg;
	struct aws_cred_chain		*ch;
	char				*dir;
	struct aws_creds		 creds;
};

/* Clear the environment and make a temp dir. */
static int
fx_setup(void **state)
{
	struct fx	*f = xcalloc(1, sizeof *f);
	size_t		 i;

	for (i = 0; i < sizeof cred_envs / sizeof cred_envs[0]; i++)
		unsetenv(cred_envs[i]);
	setenv("AWS_CONFIG_FILE", "/dev/null", 1);
	setenv("AWS_SHARED_CREDENTIALS_FILE", "/dev/null", 1);
	f->dir = test_tmpdir();
	f->aws = canned_aws(&f->c);
	f->cfg = aws_shared_config_new();
	*state = f;
	return 0;
}

/* Free everything and remove the temp dir's files. */
static int
fx_teardown(void **state)
{
	struct fx	*f = *state;

	aws_creds_clear(&f->creds);
	aws_cred_chain_free(f->ch);
	aws_shared_config_free(f->cfg);
	aws_free(f->aws);
	canned_free(&f->c);
	test_rm_tree(f->dir);
	free(f);
	return 0;
}

/* Load config / credentials text and build the chain. */
static void
fx_chain(struct fx *f, const char *config, const char *credentials,
    const char *profile_flag, int no_imds)
{
	struct aws_config	 ac;
	char			*cause = NULL, *p;

	if (config != NULL && aws_shared_config_parse(f->cfg, config, "config",
	    0, &cause) != 0)
		fail_msg("config: %s", cause);
	if (credentials != NULL && aws_shared_config_parse(f->cfg,
	    credentials, "credentials", 1, &cause) != 0)
		fail_msg("credentials: %s", cause);
	memset(&ac, 0, sizeof ac);
	ac.profile = profile_flag;
	ac.no_imds = no_imds;
	p = aws_profile_name(&ac);
	f->ch = aws_cred_chain_new(f->aws, f->cfg, p, &ac);
	free(p);
}

/* Resolve, expecting success. */
static void
fx_get(struct fx *f)
{
	char	*cause = NULL;

	aws_creds_clear(&f->creds);
	if (aws_cred_chain_get(f->ch, &f->creds, &cause) != 0)
		fail_msg("chain: %s", cause);
}

/* Resolve, expecting failure; the message (caller frees). */
static char *
fx_fail(struct fx *f)
{
	char	*cause = NULL;

	aws_creds_clear(&f->creds);
	assert_int_equal(aws_cred_chain_get(f->ch, &f->creds, &cause), -1);
	assert_non_null(cause);
	return cause;
}

/* Write a file under the fixture's dir; returns the path (caller frees). */
static char *
fx_file(struct fx *f, const char *name, const char *text, int mode)
{
	char	*path;

	xasprintf(&path, "%s/%s", f->dir, name);
	assert_int_equal(test_write_file(path, text, mode), 0);
	return path;
}

/* An RFC 3339 time offset seconds from now. */
static void
iso_time(time_t offset, char *buf, size_t len)
{
	time_t		t = time(NULL) + offset;
	struct tm	tm;

	gmtime_r(&t, &tm);
	strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Queue an STS AssumeRole* success answer. */
static void
push_sts_creds(struct canned *c, const char *op, const char *akid,
    time_t expires_in)
{
	char	 exp[64], *xml;

	iso_time(expires_in, exp, sizeof exp);
	xasprintf(&xml,
	    "<%sResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
	    "<%sResult>"
	    "<AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/r/s"
	    "</Arn><AssumedRoleId>AROAEXAMPLE:s</AssumedRoleId>"
	    "</AssumedRoleUser>"
	    "<Credentials><AccessKeyId>%s</AccessKeyId>"
	    "<SecretAccessKey>secret-%s</SecretAccessKey>"
	    "<SessionToken>token-%s</SessionToken>"
	    "<Expiration>%s</Expiration></Credentials>"
	    "</%sResult><ResponseMetadata><RequestId>r1</RequestId>"
	    "</ResponseMetadata></%sResponse>", op, op, akid, akid, akid, exp,
	    op, op);
	canned_push(c, 200, xml, "Content-Type", "text/xml");
	free(xml);
}

/* Environment keys; a half-set pair is an error. */
static void
test_env(void **state)
{
	struct fx	*f = *state;
	char		*msg;

	setenv("AWS_ACCESS_KEY_ID", "AKIAENV", 1);
	setenv("AWS_SECRET_ACCESS_KEY", "envsecret", 1);
	setenv("AWS_SESSION_TOKEN", "envtoken", 1);
	fx_chain(f, NULL, "[default]\naws_access_key_id = AKIAFILE\n"
	    "aws_secret_access_key = filesecret\n", NULL, 1);
	fx_get(f);
	assert_string_equal(f->creds.access_key_id, "AKIAENV");
	assert_string_equal(f->creds.secret_access_key, "envsecret");
	assert_string_equal(f->creds.session_token, "envtoken");
	assert_string_equal(f->creds.source, "env");
	assert_int_equal(f->creds.expiration, 0);
	aws_cred_chain_free(f->ch);

	unsetenv("AWS_SECRET_ACCESS_KEY");
	f->ch = aws_cred_chain_new(f->aws, f->cfg, "default", NULL);
	msg = fx_fail(f);
	assert_string_equal(msg, "AWS_ACCESS_KEY_ID is set but "
	    "AWS_SECRET_ACCESS_KEY is not");
	free(msg);
	assert_int_equal(f->c.n_req, 0);
}

/* Static profile keys; --profile beats env keys, AWS_PROFILE does not. */
static void
test_profile_static(void **state)
{
	struct fx		*f = *state;
	struct aws_config	 ac;

	setenv("AWS_ACCESS_KEY_ID", "AKIAENV", 1);
	setenv("AWS_SECRET_ACCESS_KEY", "envsecret", 1);
	fx_chain(f, "[profile dev]\naws_access_key_id = AKIACONF\n"
	    "aws_secret_access_key = confsecret\n",
	    "[dev]\naws_access_key_id = AKIADEV\n"
	    "aws_secret_access_key = devsecret\naws_session_token = devtok\n",
	    "dev", 1);
	fx_get(f);
	assert_string_equal(f->creds.access_key_id, "AKIADEV");
	assert_string_equal(f->creds.secret_access_key, "devsecret");
	assert_string_equal(f->creds.session_token, "devtok");
	assert_string_equal(f->creds.source, "profile:dev");
	aws_cred_chain_free(f->ch);

	setenv("AWS_PROFILE", "dev", 1);
	memset(&ac, 0, sizeof ac);
	f->ch = aws_cred_chain_new(f->aws, f->cfg, "dev", &ac);
	fx_get(f);
	assert_string_equal(f->creds.source, "env");
}

/* Profile errors: missing explicit profile, half keys, SSO. */
static void
test_profile_errors(void **state)
{
	struct fx		*f = *state;
	struct aws_config	 ac;
	char			*msg;

	fx_chain(f, "[profile half]\naws_access_key_id = AKIAHALF\n"
	    "[profile sso]\nsso_session = corp\n", NULL, "nope", 1);
	msg = fx_fail(f);
	assert_string_equal(msg, "profile nope not found in the AWS config "
	    "or credentials file");
	free(msg);
	aws_cred_chain_free(f->ch);

	memset(&ac, 0, sizeof ac);
	ac.profile = "half";
	ac.no_imds = 1;
	f->ch = aws_cred_chain_new(f->aws, f->cfg, "half", &ac);
	msg = fx_fail(f);
	assert_string_equal(msg, "profile half: aws_access_key_id without "
	    "aws_secret_access_key");
	free(msg);
	aws_cred_chain_free(f->ch);

	ac.profile = "sso";
	f->ch = aws_cred_chain_new(f->aws, f->cfg, "sso", &ac);
	msg = fx_fail(f);
	assert_non_null(strstr(msg, "IAM Identity Center"));
	free(msg);
}

/* Nothing configured: the error lists what was tried; no requests. */
static void
test_nothing_found(void **state)
{
	struct fx	*f = *state;
	char		*msg;

	setenv("AWS_EC2_METADATA_DISABLED", "TRUE", 1);
	fx_chain(f, NULL, NULL, NULL, 0);
	msg = fx_fail(f);
	assert_string_equal(msg, "no AWS credentials found (tried env, "
	    "web-identity, profile:default (not found), container, "
	    "imds (disabled))");
	free(msg);
	assert_int_equal(f->c.n_req, 0);
}

/* IMDS that does not answer is reported, not fatal to the message. */
static void
test_imds_unreachable(void **state)
{
	struct fx	*f = *state;
	char		*msg;

	fx_chain(f, "[default]\nregion = us-west-2\n", NULL, NULL, 0);
	canned_push(&f->c, 0, NULL, NULL, NULL);
	msg = fx_fail(f);
	assert_non_null(strstr(msg, "profile:default, container, imds (imds "
	    "PUT /latest/api/token: canned: simulated connection failure)"));
	free(msg);
	assert_int_equal(f->c.n_req, 1);
}

/* Web identity from the environment: unsigned POST, token re-read. */
static void
test_web_identity(void **state)
{
	struct fx		*f = *state;
	struct canned_req	*r;
	char			*tok;

	tok = fx_file(f, "token", "eyJhbGciOiJSUzI1NiJ9.first\n", 0600);
	setenv("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/gw", 1);
	setenv("AWS_WEB_IDENTITY_TOKEN_FILE", tok, 1);
	setenv("AWS_ROLE_SESSION_NAME", "my session", 1);
	fx_chain(f, NULL, NULL, NULL, 1);
	push_sts_creds(&f->c, "AssumeRoleWithWebIdentity", "ASIAWEB1", 3600);
	fx_get(f);
	assert_string_equal(f->creds.access_key_id, "ASIAWEB1");
	assert_string_equal(f->creds.secret_access_key, "secret-ASIAWEB1");
	assert_string_equal(f->creds.session_token, "token-ASIAWEB1");
	assert_string_equal(f->creds.source, "web-identity");
	assert_true(f->creds.expiration > time(NULL) + 3000);
	assert_int_equal(f->c.n_req, 1);
	r = &f->c.req[0];
	assert_string_equal(r->method, "POST");
	assert_string_equal(r->url, "https://sts.us-west-2.amazonaws.com/");
	assert_true(test_form_has(r->body, "Action=AssumeRoleWithWebIdentity"));
	assert_true(test_form_has(r->body, "Version=2011-06-15"));
	assert_true(test_form_has(r->body,
	    "RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fgw"));
	assert_true(test_form_has(r->body, "RoleSessionName=my%20session"));
	assert_true(test_form_has(r->body,
	    "WebIdentityToken=eyJhbGciOiJSUzI1NiJ9.first"));
	assert_null(http_headers_get(&r->headers, "Authorization"));
	assert_null(http_headers_get(&r->headers, "X-Amz-Security-Token"));
	assert_non_null(strstr(http_headers_get(&r->headers, "Content-Type"),
	    "application/x-www-form-urlencoded"));

	/* Far from expiry: served from the cache. */
	fx_get(f);
	assert_string_equal(f->creds.access_key_id, "ASIAWEB1");
	assert_int_equal(f->c.n_req, 1);
	free(tok);
}

/* Credentials within 5 minutes of expiry are refreshed, re-reading the
 * token file; a failed refresh keeps still-valid credentials. */
static void
test_refresh(void **state)
{
	struct fx	*f = *state;
	char		*tok, *tok2;

	tok = fx_file(f, "token", "tok-one", 0600);
	setenv("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/gw", 1);
	setenv("AWS_WEB_IDENTITY_TOKEN_FILE", tok, 1);
	fx_chain(f, NULL, NULL, NULL, 1);
	push_sts_creds(&f->c, "AssumeRoleWithWebIdentity", "ASIAOLD", 200);
	push_sts_creds(&f->c, "AssumeRoleWithWebIdentity", "ASIANEW", 250);
	canned_push(&f->c, 400, "<ErrorResponse><Error><Type>Sender</Type>"
	    "<Code>InvalidIdentityToken</Code><Message>expired</Message>"
	    "</Error><RequestId>x</RequestId></ErrorResponse>", NULL, NULL);
	fx_get(f);
	assert_string_equal(f->creds.access_key_id, "ASIAOLD");
	assert_true(test_form_has(f->c.req[0].body,
	    "WebIdentityToken=tok-one"));
	assert_true(strncmp(f->c.req[0].body, "Action=", 7) == 0);

	/* The projected token rotates; the refresh must send the new one. */
	tok2 = fx_file(f, "token", "tok-two", 0600);
	fx_get(f);
	assert_string_equal(f->creds.access_key_id, "ASIANEW");
	assert_int_equal(f->c.n_req, 2);
	assert_true(test_form_has(f->c.req[1].body,
	    "WebIdentityToken=tok-two"));

	/* Refresh fails (not retryable): the old ones are still good. */
	fx_get(f);
	assert_int_equal(f->c.n_req, 3);
	assert_string_equal(f->creds.access_key_id, "ASIANEW");
	free(tok);
	free(tok2);
}

/* STS errors surface with their code; the token never appears. */
static void
test_web_identity_error(void **state)
{
	struct fx	*f = *state;
	char		*tok, *msg;

	tok = fx_file(f, "token", "secret-jwt-value", 0600);
	setenv("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/gw", 1);
	setenv("AWS_WEB_IDENTITY_TOKEN_FILE", tok, 1);
	fx_chain(f, NULL, NULL, NULL, 1);
	canned_push(&f->c, 400, "<ErrorResponse><Error><Type>Sender</Type>"
	    "<Code>AccessDenied</Code><Message>Not authorized</Message>"
	    "</Error><RequestId>x</RequestId></ErrorResponse>", NULL, NULL);
	msg = fx_fail(f);
	assert_non_null(strstr(msg, "AccessDenied"));
	assert_non_null(strstr(msg, "arn:aws:iam::123456789012:role/gw"));
	assert_null(strstr(msg, "secret-jwt-value"));
	assert_int_equal(f->c.n_req, 1);
	free(msg);

	/* Role ARN missing while the token file is set. */
	unsetenv("AWS_ROLE_ARN");
	msg = fx_fail(f);
	assert_string_equal(msg, "AWS_WEB_IDENTITY_TOKEN_FILE is set but "
	    "AWS_ROLE_ARN is not");
	free(msg);
	free(tok);
}

/* role_arn + web_identity_token_file in a profile. */
static void
test_profile_web_identity(void **state)
{
	struct fx	*f = *state;
	char		*tok, *cfg;

	tok = fx_file(f, "token", "profile-jwt", 0600);
	xasprintf(&cfg, "[profile wi]\nrole_arn = arn:aws:iam::1:role/wi\n"
	    "web_identity_token_file = %s\nrole_session_name = wis\n", tok);
	fx_chain(f, cfg, NULL, "wi", 1);
	push_sts_creds(&f->c, "AssumeRoleWithWebIdentity", "ASIAWI", 3600);
	fx_get(f);
	assert_string_equal(f->creds.access_key_id, "ASIAWI");
	assert_string_equal(f->creds.source, "web-identity:wi");
	assert_true(test_form_has(f->c.req[0].body,
	    "WebIdentityToken=profile-jwt"));
	assert_true(test_form_has(f->c.req[0].body, "RoleSessionName=wis"));
	assert_null(http_headers_get(&f->c.req[0].headers, "Authorization"));
	free(cfg);
	free(tok);
}

/* role_arn + source_profile: AssumeRole signed with the source keys. */
static void
test_assume_role(void **state)
{
	struct fx		*f = *state;
	struct canned_req	*r;
	const char		*auth;

	fx_chain(f, "[profile dev]\n"
	    "role_arn = arn:aws:iam::123456789012:role/dev\n"
	    "source_profile = base\n"
	    "role_session_name = s1\n"
	    "external_id = ext-42\n"
	    "duration_seconds = 1800\n",
	    "[base]\naws_access_key_id = AKIABASE\n"
	    "aws_secret_access_key = basesecret\n", "dev", 1);
	push_sts_creds(&f->c, "AssumeRole", "ASIADEV", 1800);
	fx_get(f);
	assert_string_equal(f->creds.access_key_id, "ASIADEV");
	assert_string_equal(f->creds.source, "assume-role:dev");
	assert_int_equal(f->c.n_req, 1);
	r = &f->c.req[0];
	assert_string_equal(r->method, "POST");
	assert_true(test_form_has(r->body, "Action=AssumeRole"));
	assert_true(test_form_has(r->body, "Version=2011-06-15"));
	assert_true(test_form_has(r->body,
	    "RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fdev"));
	assert_true(test_form_has(r->body, "RoleSessionName=s1"));
	assert_true(test_form_has(r->body, "ExternalId=ext-42"));
	assert_true(test_form_has(r->body, "DurationSeconds=1800"));
	auth = http_headers_get(&r->headers, "Authorization");
	assert_non_null(auth);
	assert_non_null(strstr(auth, "Credential=AKIABASE/"));
	assert_non_null(strstr(auth, "/us-west-2/sts/aws4_request"));
}

/* Role chaining through two profiles, and a profile sourcing itself. */
static void
test_assume_role_chain(void **state)
{
	struct fx	*f = *state;

	fx_chain(f, "[profile top]\n"
	    "role_arn = arn:aws:iam::123456789012:role/top\n"
	    "source_profile = mid\n"
	    "[profile mid]\n"
	    "role_arn = arn:aws:iam::123456789012:role/mid\n"
	    "source_profile = mid\n"
	    "aws_access_key_id = AKIAMID\n"
	    "aws_secret_access_key = midsecret\n", NULL, "top", 1);
	push_sts_creds(&f->c, "AssumeRole", "ASIAMID", 3600);
	push_sts_creds(&f->c, "AssumeRole", "ASIATOP", 3600);
	fx_get(f);
	assert_string_equal(f->creds.access_key_id, "ASIATOP");
	assert_int_equal(f->c.n_req, 2);
	assert_true(test_form_has(f->c.req[0].body,
	    "RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fmid"));
	assert_non_null(strstr(http_headers_get(&f->c.req[0].headers,
	    "Authorization"), "Credential=AKIAMID/"));
	assert_true(test_form_has(f->c.req[1].body,
	    "RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Ftop"));
	assert_non_null(strstr(http_headers_get(&f->c.req[1].headers,
	    "Authorization"), "Credential=ASIAMID/"));
	assert_string_equal(http_headers_get(&f->c.req[1].headers,
	    "X-Amz-Security-Token"), "token-ASIAMID");
}

/* source_profile loops and bad role settings are errors. */
static void
test_assume_role_errors(void **state)
{
	struct fx		*f = *state;
	struct aws_config	 ac;
	char			*msg;
	size_t			 i;
	static const struct {
		const char	*profile;
		const char	*want;
	} cases[] = {
		{ "a", "source_profile loop: a -> b -> a" },
		{ "both", "profile both sets both source_profile and "
		  "credential_source" },
		{ "badcs", "profile badcs: unknown credential_source Magic "
		  "(Environment, Ec2InstanceMetadata or EcsContainer)" },
		{ "nosrc", "profile nosrc: role_arn needs source_profile, "
		  "credential_source or web_identity_token_file" },
		{ "ghost", "profile ghost: source_profile missing not found" },
		{ "empty", "profile empty: source_profile blank has no "
		  "credentials" },
		{ "envcs", "profile envcs: credential_source Environment has "
		  "no credentials" },
	};

	fx_chain(f, "[profile a]\nrole_arn = arn:x:a\nsource_profile = b\n"
	    "[profile b]\nrole_arn = arn:x:b\nsource_profile = a\n"
	    "[profile both]\nrole_arn = arn:x\nsource_profile = a\n"
	    "credential_source = Environment\n"
	    "[profile badcs]\nrole_arn = arn:x\ncredential_source = Magic\n"
	    "[profile nosrc]\nrole_arn = arn:x\n"
	    "[profile ghost]\nrole_arn = arn:x\nsource_profile = missing\n"
	    "[profile empty]\nrole_arn = arn:x\nsource_profile = blank\n"
	    "[profile blank]\nregion = us-west-2\n"
	    "[profile envcs]\nrole_arn = arn:x\n"
	    "credential_source = Environment\n", NULL, "a", 1);
	memset(&ac, 0, sizeof ac);
	ac.no_imds = 1;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		aws_cred_chain_free(f->ch);
		ac.profile = cases[i].profile;
		f->ch = aws_cred_chain_new(f->aws, f->cfg, cases[i].profile,
		    &ac);
		msg = fx_fail(f);
		if (strcmp(msg, cases[i].want) != 0)
			fail_msg("%s: got \"%s\"", cases[i].profile, msg);
		free(msg);
	}
	assert_int_equal(f->c.n_req, 0);
}

/* credential_source = Environment / EcsContainer feed AssumeRole. */
static void
test_credential_source(void **state)
{
	struct fx	*f = *state;

	setenv("AWS_ACCESS_KEY_ID", "AKIAENVSRC", 1);
	setenv("AWS_SECRET_ACCESS_KEY", "envsecret", 1);
	fx_chain(f, "[profile e]\nrole_arn = arn:aws:iam::1:role/e\n"
	    "credential_source = Environment\n"
	    "[profile c]\nrole_arn = arn:aws:iam::1:role/c\n"
	    "credential_source = EcsContainer\n", NULL, "e", 1);
	push_sts_creds(&f->c, "AssumeRole", "ASIAE", 3600);
	fx_get(f);
	assert_string_equal(f->creds.access_key_id, "ASIAE");
	assert_string_equal(f->creds.source, "assume-role:e");
	assert_non_null(strstr(http_headers_get(&f->c.req[0].headers,
	    "Authorization"), "Credential=AKIAENVSRC/"));
	aws_cred_chain_free(f->ch);

	setenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials/x",
	    1);
	canned_push(&f->c, 200, "{\"AccessKeyId\":\"ASIACONT\","
	    "\"SecretAccessKey\":\"cs\",\"Token\":\"ct\","
	    "\"Expiration\":\"2099-01-01T00:00:00Z\"}", NULL, NULL);
	push_sts_creds(&f->c, "AssumeRole", "ASIAC", 3600);
	f->ch = aws_cred_chain_new(f->aws, f->cfg, "c", &(struct aws_config){
	    .profile = "c", .no_imds = 1 });
	fx_get(f);
	assert_string_equal(f->creds.access_key_id, "ASIAC");
	assert_string_equal(f->c.req[1].url,
	    "http://169.254.170.2/v2/credentials/x");
	assert_non_null(strstr(http_headers_get(&f->c.req[2].headers,
	    "Authorization"), "Credential=ASIACONT/"));
}

/* aws_split_command follows POSIX shlex rules. */
static void
test_split_command(void **state)
{
	static const struct {
		const char	*in;
		const char	*out[6];
	} cases[] = {
		{ "a b\tc", { "a", "b", "c" } },
		{ "  lead  trail  ", { "lead", "trail" } },
		{ "'single $x \\n' \"double \\\" \\\\ \\n\"",
		  { "single $x \\n", "double \" \\ \\n" } },
		{ "back\\ slash a\\'b", { "back slash", "a'b" } },
		{ "'' \"\" x", { "", "", "x" } },
		{ "con'cat'\"ed\"", { "concated" } },
		{ "a;b|c&d", { "a;b|c&d" } },
		{ "#not-a-comment", { "#not-a-comment" } },
		{ "", { NULL } },
	};
	char	**argv, *cause = NULL;
	size_t	  i, j;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		argv = aws_split_command(cases[i].in, &cause);
		assert_non_null(argv);
		for (j = 0; cases[i].out[j] != NULL; j++) {
			if (argv[j] == NULL ||
			    strcmp(argv[j], cases[i].out[j]) != 0)
				fail_msg("case %zu word %zu: got %s", i, j,
				    argv[j] != NULL ? argv[j] : "(end)");
		}
		assert_null(argv[j]);
		aws_argv_free(argv);
	}
	assert_null(aws_split_command("a 'open", &cause));
	assert_string_equal(cause, "unterminated quote");
	assert_null(aws_split_command("a \"open", &cause));
	assert_null(aws_split_command("trailing\\", &cause));
	assert_string_equal(cause, "trailing backslash");
	free(cause);
}

/* credential_process: argv arrives verbatim and no shell ever runs. */
static void
test_process(void **state)
{
	struct fx	*f = *state;
	char		*script, *cfg, *args, *want, *got, *marker;
	struct stat	 sb;
	int		 i;

	xasprintf(&args, "%s/args", f->dir);
	xasprintf(&cfg, "#!/bin/sh\n"
	    "for a in \"$@\"; do printf '%%s\\n' \"$a\"; done > '%s'\n"
	    "printf '%%s' '{\"Version\": 1, \"AccessKeyId\": \"AKIAPROC\", "
	    "\"SecretAccessKey\": \"procsecret\", \"SessionToken\": \"pt\", "
	    "\"Expiration\": \"2099-01-02T03:04:05Z\"}'\n", args);
	script = fx_file(f, "cred helper.sh", cfg, 0700);
	free(cfg);
	xasprintf(&cfg, "[default]\ncredential_process = \"%s\" "
	    "\"a; rm -rf x\" '$(touch %s/pwned1)' \"`touch %s/pwned2`\" "
	    "x;touch %s/pwned3 'it'\\''s' \"\" > %s/pwned4\n", script, f->dir,
	    f->dir, f->dir, f->dir);
	fx_chain(f, cfg, NULL, NULL, 1);
	free(cfg);
	fx_get(f);
	assert_string_equal(f->creds.access_key_id, "AKIAPROC");
	assert_string_equal(f->creds.secret_access_key, "procsecret");
	assert_string_equal(f->creds.session_token, "pt");
	assert_string_equal(f->creds.source, "process:default");
	assert_int_equal(f->creds.expiration, 4071006245);
	got = test_read_file(args, NULL);
	assert_non_null(got);
	xasprintf(&want, "a; rm -rf x\n$(touch %s/pwned1)\n`touch %s/pwned2`\n"
	    "x;touch\n%s/pwned3\nit's\n\n>\n%s/pwned4\n", f->dir, f->dir,
	    f->dir, f->dir);
	assert_string_equal(got, want);
	free(got);
	free(want);
	for (i = 1; i <= 4; i++) {
		xasprintf(&marker, "%s/pwned%d", f->dir, i);
		assert_int_equal(stat(marker, &sb), -1);
		free(marker);
	}
	free(script);
	free(args);
}

/* credential_process failures: status, bad JSON, version, timeout. */
static void
test_process_errors(void **state)
{
	struct fx		*f = *state;
	struct aws_creds	 c;
	char			*fail, *badv, *slow, *cmd, *cause = NULL;

	memset(&c, 0, sizeof c);
	fail = fx_file(f, "fail.sh", "#!/bin/sh\necho oops >&2\nexit 3\n",
	    0700);
	badv = fx_file(f, "badv.sh", "#!/bin/sh\necho '{\"Version\": 2, "
	    "\"AccessKeyId\": \"A\", \"SecretAccessKey\": \"S\"}'\n", 0700);
	slow = fx_file(f, "slow.sh", "#!/bin/sh\nexec sleep 30\n", 0700);

	assert_int_equal(creds_process(fail, "p", 5000, &c, &cause),
	    CREDS_ERROR);
	assert_non_null(strstr(cause, "exited with status 3"));
	assert_non_null(strstr(cause, "profile p: credential_process"));
	assert_int_equal(creds_process(badv, "p", 5000, &c, &cause),
	    CREDS_ERROR);
	assert_non_null(strstr(cause, "Version must be 1"));
	assert_int_equal(creds_process(slow, "p", 200, &c, &cause),
	    CREDS_ERROR);
	assert_non_null(strstr(cause, "timed out"));
	xasprintf(&cmd, "%s/does-not-exist", f->dir);
	assert_int_equal(creds_process(cmd, "p", 5000, &c, &cause),
	    CREDS_ERROR);
	assert_non_null(strstr(cause, "No such file"));
	assert_int_equal(creds_process("'unterminated", "p", 5000, &c,
	    &cause), CREDS_ERROR);
	assert_non_null(strstr(cause, "unterminated quote"));
	assert_null(c.access_key_id);
	free(cause);
	free(cmd);
	free(fail);
	free(badv);
	free(slow);
}

/* Container credentials: relative URI and the static token header. */
static void
test_container_relative(void **state)
{
	struct fx		*f = *state;
	struct canned_req	*r;

	setenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials/ab",
	    1);
	setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN", "Basic abc", 1);
	fx_chain(f, NULL, NULL, NULL, 1);
	canned_push(&f->c, 200, "{\"RoleArn\":\"arn:aws:iam::1:role/task\","
	    "\"AccessKeyId\":\"ASIATASK\",\"SecretAccessKey\":\"ts\","
	    "\"Token\":\"tt\",\"Expiration\":\"2099-01-01T00:00:00Z\"}",
	    NULL, NULL);
	fx_get(f);
	assert_string_equal(f->creds.access_key_id, "ASIATASK");
	assert_string_equal(f->creds.session_token, "tt");
	assert_string_equal(f->creds.source, "container");
	r = &f->c.req[0];
	assert_string_equal(r->method, "GET");
	assert_string_equal(r->url, "http://169.254.170.2/v2/credentials/ab");
	assert_string_equal(http_headers_get(&r->headers, "Authorization"),
	    "Basic abc");
}

/* EKS Pod Identity: full URI, token file (wins over the env token). */
static void
test_container_pod_identity(void **state)
{
	struct fx	*f = *state;
	char		*tok, *msg;

	tok = fx_file(f, "eks-pod-identity-token", "eks.pod.jwt\n", 0600);
	setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI",
	    "http://169.254.170.23/v1/credentials", 1);
	setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", tok, 1);
	setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN", "ignored", 1);
	fx_chain(f, NULL, NULL, NULL, 1);
	canned_push(&f->c, 200, "{\"AccessKeyId\":\"ASIAPOD\","
	    "\"SecretAccessKey\":\"ps\",\"Token\":\"pt\","
	    "\"Expiration\":\"2099-01-01T00:00:00Z\"}", NULL, NULL);
	fx_get(f);
	assert_string_equal(f->creds.access_key_id, "ASIAPOD");
	assert_string_equal(f->c.req[0].url,
	    "http://169.254.170.23/v1/credentials");
	assert_string_equal(http_headers_get(&f->c.req[0].headers,
	    "Authorization"), "eks.pod.jwt");

	/* A disallowed host stops the chain; no request is made. */
	aws_cred_chain_free(f->ch);
	setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI",
	    "http://attacker.example/creds", 1);
	f->ch = aws_cred_chain_new(f->aws, f->cfg, "default", NULL);
	msg = fx_fail(f);
	assert_non_null(strstr(msg, "host attacker.example is not a loopback"));
	assert_int_equal(f->c.n_req, 1);
	free(msg);

	/* The endpoint's errors are reported after 3 tries of a 5xx. */
	aws_cred_chain_free(f->ch);
	setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1:9/c",
	    1);
	canned_push(&f->c, 500, "{\"Message\":\"boom\"}", NULL, NULL);
	canned_push(&f->c, 500, "{\"Message\":\"boom\"}", NULL, NULL);
	canned_push(&f->c, 500, "{\"Message\":\"boom\"}", NULL, NULL);
	f->ch = aws_cred_chain_new(f->aws, f->cfg, "default", NULL);
	msg = fx_fail(f);
	assert_string_equal(msg, "container credentials: HTTP 500: boom");
	assert_int_equal(f->c.n_req, 4);
	free(msg);
	free(tok);
}

/* Which full URIs are allowed. */
static void
test_container_uri_rules(void **state)
{
	static const char *ok[] = {
		"https://creds.example.com/x", "http://127.0.0.1:8080/x",
		"http://127.9.8.7/", "http://[::1]:80/x",
		"http://[fd00:ec2::23]/v1", "http://169.254.170.2/v2",
		"http://169.254.170.23/v1", "http://localhost:51679/",
	};
	static const char *bad[] = {
		"http://example.com/", "http://169.254.169.254/latest",
		"http://[fd00:ec2::24]/", "ftp://127.0.0.1/",
		"http://10.0.0.1/", "not a url", "http://128.0.0.1/",
	};
	char	*cause = NULL;
	size_t	 i;

	(void)state;
	for (i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		if (creds_container_uri_ok(ok[i], &cause) != 0)
			fail_msg("%s rejected: %s", ok[i], cause);
	}
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (creds_container_uri_ok(bad[i], &cause) == 0)
			fail_msg("%s accepted", bad[i]);
	}
	free(cause);
}

/* IMDSv2: token PUT, role list, role document, token header. */
static void
test_imds(void **state)
{
	struct fx		*f = *state;
	struct canned_req	*r;

	setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://imds.test/", 1);
	fx_chain(f, NULL, NULL, NULL, 0);
	canned_push(&f->c, 200, "TOKEN123", NULL, NULL);
	canned_push(&f->c, 200, "node-role\n", NULL, NULL);
	canned_push(&f->c, 200, "{\"Code\":\"Success\",\"Type\":\"AWS-HMAC\","
	    "\"AccessKeyId\":\"ASIANODE\",\"SecretAccessKey\":\"ns\","
	    "\"Token\":\"nt\",\"Expiration\":\"2099-01-01T00:00:00Z\"}",
	    NULL, NULL);
	fx_get(f);
	assert_string_equal(f->creds.access_key_id, "ASIANODE");
	assert_string_equal(f->creds.source, "imds");
	assert_int_equal(f->c.n_req, 3);
	r = &f->c.req[0];
	assert_string_equal(r->method, "PUT");
	assert_string_equal(r->url, "http://imds.test/latest/api/token");
	assert_string_equal(http_headers_get(&r->headers,
	    "X-aws-ec2-metadata-token-ttl-seconds"), "21600");
	r = &f->c.req[1];
	assert_string_equal(r->method, "GET");
	assert_string_equal(r->url,
	    "http://imds.test/latest/meta-data/iam/security-credentials/");
	assert_string_equal(http_headers_get(&r->headers,
	    "X-aws-ec2-metadata-token"), "TOKEN123");
	r = &f->c.req[2];
	assert_string_equal(r->url, "http://imds.test/latest/meta-data/iam/"
	    "security-credentials/node-role");
	assert_string_equal(http_headers_get(&r->headers,
	    "X-aws-ec2-metadata-token"), "TOKEN123");
}

/* The region falls back to IMDS (placement/region) with a token. */
static void
test_region_imds(void **state)
{
	struct fx		*f = *state;
	struct aws_config	 ac;
	char			*region, *source, *cause = NULL;

	memset(&ac, 0, sizeof ac);
	canned_push(&f->c, 200, "T1", NULL, NULL);
	canned_push(&f->c, 200, "ap-northeast-3", NULL, NULL);
	assert_int_equal(aws_region_resolve(f->aws, &ac, f->cfg, "default",
	    &region, &source, &cause), 0);
	assert_string_equal(region, "ap-northeast-3");
	assert_string_equal(source, "imds");
	assert_string_equal(canned_path(&f->c.req[1]),
	    "/latest/meta-data/placement/region");
	assert_string_equal(http_headers_get(&f->c.req[1].headers,
	    "X-aws-ec2-metadata-token"), "T1");
	free(region);
	free(source);

	/* IMDS down: the documented error. */
	canned_push(&f->c, 0, NULL, NULL, NULL);
	assert_int_equal(aws_region_resolve(f->aws, &ac, f->cfg, "default",
	    &region, &source, &cause), -1);
	assert_string_equal(cause, "no region: set --region or AWS_REGION");
	free(cause);
}

/* aws_config.static_creds skip the chain. */
static void
test_static(void **state)
{
	struct fx		*f = *state;
	char			*cause = NULL;

	setenv("AWS_ACCESS_KEY_ID", "AKIAENV", 1);
	setenv("AWS_SECRET_ACCESS_KEY", "envsecret", 1);
	assert_int_equal(aws_get_creds(f->aws, &f->creds, &cause), 0);
	assert_string_equal(f->creds.access_key_id, "AKIDEXAMPLE");
	assert_string_equal(f->creds.source, "static");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, fx_setup, fx_teardown)
		T(test_env),
		T(test_profile_static),
		T(test_profile_errors),
		T(test_nothing_found),
		T(test_imds_unreachable),
		T(test_web_identity),
		T(test_refresh),
		T(test_web_identity_error),
		T(test_profile_web_identity),
		T(test_assume_role),
		T(test_assume_role_chain),
		T(test_assume_role_errors),
		T(test_credential_source),
		cmocka_unit_test(test_split_command),
		T(test_process),
		T(test_process_errors),
		T(test_container_relative),
		T(test_container_pod_identity),
		cmocka_unit_test(test_container_uri_rules),
		T(test_imds),
		T(test_region_imds),
		T(test_static),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
