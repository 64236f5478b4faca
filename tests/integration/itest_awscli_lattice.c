/*
 * Peer test: the real AWS CLI against the simulated VPC Lattice over HTTP.
 * Every Lattice operation the upstream controller uses is run through
 * `aws --endpoint-url http://127.0.0.1:PORT vpc-lattice ...` (argv, never
 * a shell), with a fresh HOME, no config files and the simulator's keys,
 * and its JSON output is checked. Prints SKIP when `aws` is missing, and
 * the list of operations exercised at the end.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sys/stat.h>
#include <sys/wait.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "latticectl/httpd.h"
#include "latticectl/json.h"
#include "latticectl/strbuf.h"
#include "latticectl/xmalloc.h"
#include "testlib.h"

#include "../../src/sim/sim_aws.h"

#define MAX_OPS	64

struct itest {
	struct sim_aws	*sim;
	struct httpd	*httpd;
	char		*aws;		/* path of the aws executable */
	char		*home;
	char		 url[64];
	const char	*secret;	/* the secret the CLI signs with */
	char		*ops[MAX_OPS];	/* operations that passed */
	int		 nops;
	/* ids carried from one stage to the next */
	char		 sn[64], svc[64], svc_arn[256], snsa[64], snva[64];
	char		 tg[64], lst[64], rule1[64], rule2[64], als[64];
};

static struct itest *T;

/* Find an executable on PATH (caller frees), or NULL. */
static char *
find_exe(const char *name)
{
	const char	*path = getenv("PATH"), *p, *end;
	char		*cand;

	for (p = path; p != NULL && *p != '\0'; p = *end ? end + 1 : end) {
		end = p + strcspn(p, ":");
		xasprintf(&cand, "%.*s/%s", (int)(end - p), p, name);
		if (access(cand, X_OK) == 0)
			return cand;
		free(cand);
	}
	return NULL;
}

/* The child's environment: only what the CLI needs. */
static char **
child_env(void)
{
	static const char *const keep[] = { "PATH", "PYENV_ROOT",
		"PYENV_VERSION", "LANG", "TMPDIR", NULL };
	char	**env;
	int	  n = 0, i;

	env = xcalloc(32, sizeof *env);
	for (i = 0; keep[i] != NULL; i++) {
		if (getenv(keep[i]) != NULL)
			xasprintf(&env[n++], "%s=%s", keep[i],
			    getenv(keep[i]));
	}
	xasprintf(&env[n++], "HOME=%s", T->home);
	xasprintf(&env[n++], "AWS_ACCESS_KEY_ID=%s", SIM_ACCESS_KEY);
	xasprintf(&env[n++], "AWS_SECRET_ACCESS_KEY=%s", T->secret);
	xasprintf(&env[n++], "AWS_DEFAULT_REGION=%s", SIM_REGION);
	env[n++] = xstrdup("AWS_CONFIG_FILE=/dev/null");
	env[n++] = xstrdup("AWS_SHARED_CREDENTIALS_FILE=/dev/null");
	env[n++] = xstrdup("AWS_EC2_METADATA_DISABLED=true");
	env[n++] = xstrdup("AWS_PAGER=");
	env[n++] = xstrdup("AWS_MAX_ATTEMPTS=1");
	env[n] = NULL;
	return env;
}

/* Run `aws --endpoint-url URL --output json vpc-lattice OP args...`;
 * returns the exit status; *out gets stdout parsed (NULL if not JSON),
 * *err stderr (caller frees both). */
static int
aws_run(cJSON **out, char **err, const char *op, const char *const *args)
{
	char		*argv[48], **env, *opath, *epath, *text;
	int		 argc = 0, i, st, fd;
	pid_t		 pid;

	argv[argc++] = T->aws;
	argv[argc++] = (char *)"--endpoint-url";
	argv[argc++] = T->url;
	argv[argc++] = (char *)"--output";
	argv[argc++] = (char *)"json";
	argv[argc++] = (char *)"vpc-lattice";
	argv[argc++] = (char *)op;
	for (i = 0; args != NULL && args[i] != NULL && argc < 47; i++)
		argv[argc++] = (char *)args[i];
	argv[argc] = NULL;
	xasprintf(&opath, "%s/out", T->home);
	xasprintf(&epath, "%s/err", T->home);
	env = child_env();
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		fd = open(opath, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		dup2(fd, 1);
		fd = open(epath, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		dup2(fd, 2);
		execve(T->aws, argv, env);
		_exit(127);
	}
	while (waitpid(pid, &st, 0) < 0)
		;
	for (i = 0; env[i] != NULL; i++)
		free(env[i]);
	free(env);
	text = test_read_file(opath, NULL);
	*out = text != NULL && *text != '\0' ? cJSON_Parse(text) : NULL;
	free(text);
	*err = test_read_file(epath, NULL);
	if (*err == NULL)
		*err = xstrdup("");
	free(opath);
	free(epath);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

/* Run an operation that must succeed; returns its JSON (may be NULL for
 * operations without output) and records it as exercised. */
static cJSON *
ok(const char *op, ...)
{
	const char	*args[40];
	va_list		 ap;
	cJSON		*out;
	char		*err;
	int		 n = 0, rc, i;

	va_start(ap, op);
	while (n < 39 && (args[n] = va_arg(ap, const char *)) != NULL)
		n++;
	args[n] = NULL;
	va_end(ap);
	rc = aws_run(&out, &err, op, args);
	if (rc != 0)
		fail_msg("aws vpc-lattice %s: exit %d: %s", op, rc, err);
	free(err);
	for (i = 0; i < T->nops; i++) {
		if (strcmp(T->ops[i], op) == 0)
			break;
	}
	if (i == T->nops && T->nops < MAX_OPS)
		T->ops[T->nops++] = xstrdup(op);
	return out;
}

/* Run an operation that must fail with an error code in stderr. */
static void
fails(const char *code, const char *op, ...)
{
	const char	*args[40];
	va_list		 ap;
	cJSON		*out;
	char		*err;
	int		 n = 0, rc;

	va_start(ap, op);
	while (n < 39 && (args[n] = va_arg(ap, const char *)) != NULL)
		n++;
	args[n] = NULL;
	va_end(ap);
	rc = aws_run(&out, &err, op, args);
	assert_int_not_equal(rc, 0);
	if (strstr(err, code) == NULL)
		fail_msg("aws vpc-lattice %s: want %s, got: %s", op, code, err);
	cJSON_Delete(out);
	free(err);
}

/* Copy a string member of out into buf and free out. */
static void
take(cJSON *out, const char *path, char *buf, size_t len)
{
	const char	*s = json_path_str(out, path);

	if (s == NULL)
		fail_msg("no %s in the CLI output", path);
	snprintf(buf, len, "%s", s);
	cJSON_Delete(out);
}

/* Start the simulator on a free port; skip without the CLI. */
static int
setup(void **state)
{
	struct httpd_opts	 o;
	char			*cause = NULL;

	(void)state;
	T = xcalloc(1, sizeof *T);
	T->aws = find_exe("aws");
	T->secret = SIM_SECRET_KEY;
	if (T->aws == NULL)
		return 0;
	T->sim = sim_aws_new(NULL);
	memset(&o, 0, sizeof o);
	o.listen = "127.0.0.1:0";
	T->httpd = httpd_start(&o, sim_aws_handle, T->sim, &cause);
	if (T->httpd == NULL) {
		fprintf(stderr, "httpd_start: %s\n", cause);
		free(cause);
		return -1;
	}
	snprintf(T->url, sizeof T->url, "http://127.0.0.1:%d",
	    httpd_port(T->httpd));
	T->home = test_tmpdir();
	return 0;
}

/* Stop everything and print the operations exercised. */
static int
teardown(void **state)
{
	int	i;

	(void)state;
	if (T->aws != NULL) {
		printf("awscli vpc-lattice operations exercised (%d):", T->nops);
		for (i = 0; i < T->nops; i++)
			printf(" %s", T->ops[i]);
		printf("\n");
	}
	for (i = 0; i < T->nops; i++)
		free(T->ops[i]);
	if (T->httpd != NULL)
		httpd_stop(T->httpd);
	sim_aws_free(T->sim);
	free(T->aws);
	free(T->home);
	free(T);
	return 0;
}

/* Skip a test when the CLI is not installed. */
static void
need_cli(void)
{
	if (T->aws == NULL) {
		printf("SKIP: aws CLI not found on PATH\n");
		skip();
	}
}

/* Service networks and services. */
static void
test_networks_services(void **state)
{
	cJSON	*out;

	(void)state;
	need_cli();
	take(ok("create-service-network", "--name", "my-hotel", NULL), "id",
	    T->sn, sizeof T->sn);
	assert_true(strncmp(T->sn, "sn-", 3) == 0 && strlen(T->sn) == 20);
	out = ok("get-service-network", "--service-network-identifier", T->sn,
	    NULL);
	assert_string_equal(json_str(out, "name"), "my-hotel");
	cJSON_Delete(out);
	out = ok("update-service-network", "--service-network-identifier",
	    T->sn, "--auth-type", "AWS_IAM", NULL);
	assert_string_equal(json_str(out, "authType"), "AWS_IAM");
	cJSON_Delete(out);
	out = ok("list-service-networks", NULL);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(out, "items")),
	    1);
	cJSON_Delete(out);
	out = ok("create-service", "--name", "rates-default", "--tags",
	    "{\"application-networking.k8s.aws/ManagedBy\":\"123456789012/c1/"
	    "vpc-1\"}", NULL);
	assert_string_equal(json_str(out, "status"), "ACTIVE");
	assert_non_null(strstr(json_path_str(out, "dnsEntry.domainName"),
	    ".vpc-lattice-svcs.us-west-2.on.aws"));
	snprintf(T->svc_arn, sizeof T->svc_arn, "%s", json_str(out, "arn"));
	take(out, "id", T->svc, sizeof T->svc);
	out = ok("get-service", "--service-identifier", T->svc_arn, NULL);
	assert_string_equal(json_str(out, "id"), T->svc);
	cJSON_Delete(out);
	out = ok("update-service", "--service-identifier", T->svc,
	    "--auth-type", "AWS_IAM", NULL);
	assert_string_equal(json_str(out, "authType"), "AWS_IAM");
	cJSON_Delete(out);
	fails("ResourceNotFoundException", "get-service",
	    "--service-identifier", "svc-0123456789abcdefg", NULL);
	fails("ConflictException", "create-service", "--name",
	    "rates-default", NULL);
	fails("ValidationException", "create-service", "--name", "Bad_Name",
	    NULL);
}

/* Paging through list-services with a page size of 1. */
static void
test_pagination(void **state)
{
	cJSON	*out;

	(void)state;
	need_cli();
	cJSON_Delete(ok("create-service", "--name", "page-a", NULL));
	cJSON_Delete(ok("create-service", "--name", "page-b", NULL));
	out = ok("list-services", "--page-size", "1", NULL);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(out, "items")),
	    3);
	cJSON_Delete(out);
	out = ok("list-services", "--max-results", "2", "--no-paginate", NULL);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(out, "items")),
	    2);
	assert_non_null(json_str(out, "nextToken"));
	cJSON_Delete(out);
}

/* Service and VPC associations. */
static void
test_associations(void **state)
{
	cJSON	*out;

	(void)state;
	need_cli();
	take(ok("create-service-network-service-association",
	    "--service-identifier", T->svc, "--service-network-identifier",
	    T->sn, NULL), "id", T->snsa, sizeof T->snsa);
	out = ok("get-service-network-service-association",
	    "--service-network-service-association-identifier", T->snsa, NULL);
	assert_string_equal(json_str(out, "serviceName"), "rates-default");
	cJSON_Delete(out);
	out = ok("list-service-network-service-associations",
	    "--service-network-identifier", T->sn, NULL);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(out, "items")),
	    1);
	cJSON_Delete(out);
	take(ok("create-service-network-vpc-association",
	    "--service-network-identifier", T->sn, "--vpc-identifier",
	    "vpc-0123456789abcdef0", "--security-group-ids",
	    "sg-0123456789abcdef0", NULL), "id", T->snva, sizeof T->snva);
	out = ok("get-service-network-vpc-association",
	    "--service-network-vpc-association-identifier", T->snva, NULL);
	assert_string_equal(json_str(out, "vpcId"), "vpc-0123456789abcdef0");
	cJSON_Delete(out);
	out = ok("list-service-network-vpc-associations", "--vpc-identifier",
	    "vpc-0123456789abcdef0", NULL);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(out, "items")),
	    1);
	cJSON_Delete(out);
	out = ok("update-service-network-vpc-association",
	    "--service-network-vpc-association-identifier", T->snva,
	    "--security-group-ids", "sg-11111111", NULL);
	assert_string_equal(cJSON_GetArrayItem(cJSON_GetObjectItem(out,
	    "securityGroupIds"), 0)->valuestring, "sg-11111111");
	cJSON_Delete(out);
	fails("ConflictException", "delete-service", "--service-identifier",
	    T->svc, NULL);
}

/* Target groups and targets. */
static void
test_target_groups(void **state)
{
	cJSON	*out;

	(void)state;
	need_cli();
	take(ok("create-target-group", "--name", "k8s-default-rates-abcdefghij",
	    "--type", "IP", "--config", "{\"port\":8090,\"protocol\":\"HTTP\","
	    "\"protocolVersion\":\"HTTP1\",\"vpcIdentifier\":"
	    "\"vpc-0123456789abcdef0\"}", NULL), "id", T->tg, sizeof T->tg);
	out = ok("get-target-group", "--target-group-identifier", T->tg, NULL);
	assert_string_equal(json_path_str(out, "config.healthCheck.path"), "/");
	cJSON_Delete(out);
	out = ok("list-target-groups", "--target-group-type", "IP", NULL);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(out, "items")),
	    1);
	cJSON_Delete(out);
	out = ok("update-target-group", "--target-group-identifier", T->tg,
	    "--health-check", "{\"path\":\"/healthz\"}", NULL);
	assert_string_equal(json_path_str(out, "config.healthCheck.path"),
	    "/healthz");
	cJSON_Delete(out);
	out = ok("register-targets", "--target-group-identifier", T->tg,
	    "--targets", "[{\"id\":\"10.0.1.10\",\"port\":8090},"
	    "{\"id\":\"10.0.1.11\",\"port\":8090}]", NULL);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(out,
	    "successful")), 2);
	cJSON_Delete(out);
	out = ok("list-targets", "--target-group-identifier", T->tg, NULL);
	assert_string_equal(json_str(cJSON_GetArrayItem(cJSON_GetObjectItem(
	    out, "items"), 0), "status"), "UNUSED");
	cJSON_Delete(out);
}

/* Listeners and rules. */
static void
test_listeners_rules(void **state)
{
	char	 fwd[256], *rules;
	cJSON	*out;

	(void)state;
	need_cli();
	take(ok("create-listener", "--service-identifier", T->svc, "--name",
	    "rates-default-80-http", "--protocol", "HTTP", "--port", "80",
	    "--default-action", "{\"fixedResponse\":{\"statusCode\":404}}",
	    NULL), "id", T->lst, sizeof T->lst);
	out = ok("get-listener", "--service-identifier", T->svc,
	    "--listener-identifier", T->lst, NULL);
	assert_int_equal(json_num(out, "port", 0), 80);
	cJSON_Delete(out);
	out = ok("list-listeners", "--service-identifier", T->svc, NULL);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(out, "items")),
	    1);
	cJSON_Delete(out);
	snprintf(fwd, sizeof fwd, "{\"forward\":{\"targetGroups\":[{"
	    "\"targetGroupIdentifier\":\"%s\",\"weight\":100}]}}", T->tg);
	cJSON_Delete(ok("update-listener", "--service-identifier", T->svc,
	    "--listener-identifier", T->lst, "--default-action", fwd, NULL));
	take(ok("create-rule", "--service-identifier", T->svc,
	    "--listener-identifier", T->lst, "--name", "first-rule", "--priority",
	    "1", "--match", "{\"httpMatch\":{\"pathMatch\":{\"match\":"
	    "{\"prefix\":\"/rates\"}}}}", "--action", fwd, NULL), "id",
	    T->rule1, sizeof T->rule1);
	take(ok("create-rule", "--service-identifier", T->svc,
	    "--listener-identifier", T->lst, "--name", "second-rule", "--priority",
	    "2", "--match", "{\"httpMatch\":{\"method\":\"GET\"}}", "--action",
	    "{\"fixedResponse\":{\"statusCode\":503}}", NULL), "id", T->rule2,
	    sizeof T->rule2);
	out = ok("get-rule", "--service-identifier", T->svc,
	    "--listener-identifier", T->lst, "--rule-identifier", T->rule1,
	    NULL);
	assert_int_equal(json_num(out, "priority", 0), 1);
	cJSON_Delete(out);
	out = ok("list-rules", "--service-identifier", T->svc,
	    "--listener-identifier", T->lst, NULL);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(out, "items")),
	    3);
	cJSON_Delete(out);
	out = ok("update-rule", "--service-identifier", T->svc,
	    "--listener-identifier", T->lst, "--rule-identifier", T->rule2,
	    "--priority", "5", NULL);
	assert_int_equal(json_num(out, "priority", 0), 5);
	cJSON_Delete(out);
	xasprintf(&rules, "[{\"ruleIdentifier\":\"%s\",\"priority\":1},"
	    "{\"ruleIdentifier\":\"%s\",\"priority\":5}]", T->rule2, T->rule1);
	out = ok("batch-update-rule", "--service-identifier", T->svc,
	    "--listener-identifier", T->lst, "--rules", rules, NULL);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(out,
	    "successful")), 2);
	cJSON_Delete(out);
	free(rules);
	out = ok("list-targets", "--target-group-identifier", T->tg, NULL);
	assert_string_equal(json_str(cJSON_GetArrayItem(cJSON_GetObjectItem(
	    out, "items"), 0), "status"), "HEALTHY");
	cJSON_Delete(out);
	fails("ConflictException", "delete-target-group",
	    "--target-group-identifier", T->tg, NULL);
}

/* Tags, auth policies and access log subscriptions. */
static void
test_tags_auth_logs(void **state)
{
	cJSON	*out;

	(void)state;
	need_cli();
	cJSON_Delete(ok("tag-resource", "--resource-arn", T->svc_arn, "--tags",
	    "{\"team\":\"payments\",\"tmp\":\"x\"}", NULL));
	cJSON_Delete(ok("untag-resource", "--resource-arn", T->svc_arn,
	    "--tag-keys", "tmp", NULL));
	out = ok("list-tags-for-resource", "--resource-arn", T->svc_arn, NULL);
	assert_string_equal(json_path_str(out, "tags.team"), "payments");
	assert_null(json_path(out, "tags.tmp"));
	cJSON_Delete(out);
	out = ok("put-auth-policy", "--resource-identifier", T->svc,
	    "--policy", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":"
	    "\"Allow\",\"Principal\":\"*\",\"Action\":\"vpc-lattice-svcs:Invoke\","
	    "\"Resource\":\"*\"}]}", NULL);
	assert_string_equal(json_str(out, "state"), "Active");
	cJSON_Delete(out);
	out = ok("get-auth-policy", "--resource-identifier", T->svc, NULL);
	assert_non_null(strstr(json_str(out, "policy"), "vpc-lattice-svcs"));
	cJSON_Delete(out);
	cJSON_Delete(ok("delete-auth-policy", "--resource-identifier", T->svc,
	    NULL));
	take(ok("create-access-log-subscription", "--resource-identifier",
	    T->svc, "--destination-arn", "arn:aws:logs:us-west-2:123456789012:"
	    "log-group:lattice", NULL), "id", T->als, sizeof T->als);
	out = ok("get-access-log-subscription",
	    "--access-log-subscription-identifier", T->als, NULL);
	assert_string_equal(json_str(out, "resourceId"), T->svc);
	cJSON_Delete(out);
	out = ok("list-access-log-subscriptions", "--resource-identifier",
	    T->svc, NULL);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(out, "items")),
	    1);
	cJSON_Delete(out);
	cJSON_Delete(ok("update-access-log-subscription",
	    "--access-log-subscription-identifier", T->als, "--destination-arn",
	    "arn:aws:s3:::lattice-access-logs", NULL));
	cJSON_Delete(ok("delete-access-log-subscription",
	    "--access-log-subscription-identifier", T->als, NULL));
}

/* Deletes, in dependency order. */
static void
test_deletes(void **state)
{
	cJSON	*out;

	(void)state;
	need_cli();
	out = ok("deregister-targets", "--target-group-identifier", T->tg,
	    "--targets", "[{\"id\":\"10.0.1.11\",\"port\":8090}]", NULL);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(out,
	    "successful")), 1);
	cJSON_Delete(out);
	cJSON_Delete(ok("delete-rule", "--service-identifier", T->svc,
	    "--listener-identifier", T->lst, "--rule-identifier", T->rule1,
	    NULL));
	cJSON_Delete(ok("delete-listener", "--service-identifier", T->svc,
	    "--listener-identifier", T->lst, NULL));
	cJSON_Delete(ok("delete-service-network-service-association",
	    "--service-network-service-association-identifier", T->snsa, NULL));
	cJSON_Delete(ok("delete-service-network-vpc-association",
	    "--service-network-vpc-association-identifier", T->snva, NULL));
	out = ok("delete-service", "--service-identifier", T->svc, NULL);
	assert_string_equal(json_str(out, "status"), "DELETE_IN_PROGRESS");
	cJSON_Delete(out);
	out = ok("delete-target-group", "--target-group-identifier", T->tg,
	    NULL);
	assert_string_equal(json_str(out, "status"), "DELETE_IN_PROGRESS");
	cJSON_Delete(out);
	cJSON_Delete(ok("delete-service-network", "--service-network-identifier",
	    T->sn, NULL));
	fails("ResourceNotFoundException", "get-service-network",
	    "--service-network-identifier", T->sn, NULL);
}

/* A wrong secret is refused with the real error; throttling reaches the
 * CLI as ThrottlingException. */
static void
test_auth_and_throttle(void **state)
{
	struct sim_faults	f;

	(void)state;
	need_cli();
	T->secret = "wrong-secret";
	fails("InvalidSignatureException", "list-services", NULL);
	T->secret = SIM_SECRET_KEY;
	memset(&f, 0, sizeof f);
	f.throttle_rate[SIM_FAMILY_LATTICE] = 1;
	sim_aws_set_faults(T->sim, &f, NULL);
	fails("ThrottlingException", "list-services", NULL);
	memset(&f, 0, sizeof f);
	sim_aws_set_faults(T->sim, &f, NULL);
}

/* Run the tests. */
int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_networks_services),
		cmocka_unit_test(test_pagination),
		cmocka_unit_test(test_associations),
		cmocka_unit_test(test_target_groups),
		cmocka_unit_test(test_listeners_rules),
		cmocka_unit_test(test_tags_auth_logs),
		cmocka_unit_test(test_deletes),
		cmocka_unit_test(test_auth_and_throttle),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
