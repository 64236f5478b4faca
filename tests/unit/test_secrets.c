/*
 * Secret hygiene and safety across modules:
 *   - no log line, at trace level and in both formats, holds the secret
 *     access key, the session token or a bearer token, while the real
 *     paths handle them: SigV4-signed AWS calls (static keys and the
 *     credential chain through credential_process) against a server that
 *     echoes the credentials back in its errors, retries and the trace
 *     hook; the Kubernetes client with a static bearer token and with an
 *     exec credential plugin, through a 401 and the credential refresh;
 *   - a server certificate from the wrong CA fails with an error naming
 *     the certificate problem and no request ever reaches the server (no
 *     fallback to insecure), for the Kubernetes and the AWS clients;
 *   - external programs (exec plugin, credential_process, proc_run as
 *     used for helm) get shell metacharacters verbatim: no shell runs;
 *   - the simulator's credential files (kubeconfig, writer files, state
 *     file) and the kubeconfig install writes are 0600.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "latticectl/aws.h"
#include "latticectl/json.h"
#include "latticectl/kube.h"
#include "latticectl/lattice.h"
#include "latticectl/log.h"
#include "latticectl/proc.h"
#include "latticectl/xmalloc.h"
#include "testlib.h"
#include "testsrv.h"
#include "../../src/install/install_int.h"
#include "../../src/sim/sim.h"

#define S_AK		"AKIAR8SECRETTEST0001"
#define S_SK		"r8SecretKey/ShouldNeverBeLogged+0123456789"
#define S_TOKEN		"r8SessionTokenNeverLogged0123456789abcdefXYZ"
#define S_BEARER	"r8BearerTokenNeverLogged-0123456789abcdef"
#define S_EXEC_TOKEN	"r8ExecPluginTokenNeverLogged-0123456789"
#define S_PROC_SK	"r8ProcessSecretKeyNeverLogged/0123456789"
#define S_PROC_TOKEN	"r8ProcessSessionTokenNeverLogged0123456789"
#define S_META		"$(touch %s/pwned); rm -rf %s/x `touch %s/pwned2` ;|&"

static const char *const s_secrets[] = { S_SK, S_TOKEN, S_BEARER,
	S_EXEC_TOKEN, S_PROC_SK, S_PROC_TOKEN, NULL };

/* Captured log output. */
struct s_cap {
	FILE	*f;
	char	*buf;
	size_t	 len;
};

/* Send every log line, at trace level, in format fmt, to memory. */
static void
cap_begin(struct s_cap *c, enum log_format fmt)
{
	memset(c, 0, sizeof(*c));
	c->f = open_memstream(&c->buf, &c->len);
	assert_non_null(c->f);
	log_open(LOG_LEVEL_TRACE, fmt, c->f);
}

/* Stop capturing; assert no secret is in the output, and that
 * something was logged. Frees the buffer. */
static void
cap_end(struct s_cap *c, const char *what)
{
	size_t	i;

	log_close();
	fclose(c->f);
	for (i = 0; s_secrets[i] != NULL; i++) {
		if (strstr(c->buf, s_secrets[i]) != NULL)
			fail_msg("%s: log holds secret %s:\n%s", what,
			    s_secrets[i], c->buf);
	}
	assert_true(c->len > 0);
	if (getenv("TEST_SECRETS_DUMP") != NULL)
		printf("---- %s\n%s", what, c->buf);
	free(c->buf);
	log_open(LOG_LEVEL_OFF, LOG_FORMAT_TEXT, NULL);
}

/* Isolate from the caller's AWS and kube settings. */
static int
s_setup(void **state)
{
	static const char *unset[] = { "KUBECONFIG", "KUBERNETES_SERVICE_HOST",
	    "AWS_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
	    "AWS_SESSION_TOKEN", "AWS_ROLE_ARN", "AWS_WEB_IDENTITY_TOKEN_FILE",
	    "AWS_CA_BUNDLE", "AWS_ENDPOINT_URL", NULL };
	size_t	i;

	(void)state;
	for (i = 0; unset[i] != NULL; i++)
		unsetenv(unset[i]);
	setenv("AWS_CONFIG_FILE", "/dev/null", 1);
	setenv("AWS_SHARED_CREDENTIALS_FILE", "/dev/null", 1);
	setenv("AWS_EC2_METADATA_DISABLED", "true", 1);
	setenv("AWS_REGION", "us-west-2", 1);
	return 0;
}

/* A server that echoes the request's credentials in its answers: AWS
 * requests get a retryable 500 quoting Authorization and the security
 * token; Kubernetes ones a 401 quoting the bearer token (then 200). */
static void
s_echo(void *arg, const struct testsrv_req *rq, struct testsrv_resp *rs)
{
	const char	*auth = http_headers_get(&rq->headers, "Authorization");
	const char	*tok = http_headers_get(&rq->headers,
	    "X-Amz-Security-Token");
	unsigned	*n = arg;

	if (strncmp(rq->path, "/api", 4) == 0) {
		if ((*n)++ % 2 == 0) {
			rs->status = 401;
			strbuf_addf(&rs->body, "{\"kind\":\"Status\",\"status\":"
			    "\"Failure\",\"reason\":\"Unauthorized\",\"code\":401,"
			    "\"message\":\"bad token %s; Authorization: %s\"}",
			    auth != NULL && strlen(auth) > 7 ? auth + 7 : "",
			    auth != NULL ? auth : "");
		} else
			strbuf_adds(&rs->body, "{\"kind\":\"Namespace\","
			    "\"apiVersion\":\"v1\",\"metadata\":{\"name\":"
			    "\"default\"}}");
		http_headers_set(&rs->headers, "Content-Type",
		    "application/json");
		return;
	}
	rs->status = 500;
	http_headers_set(&rs->headers, "X-Amzn-ErrorType",
	    "InternalServerException");
	http_headers_set(&rs->headers, "Content-Type", "application/json");
	strbuf_addf(&rs->body, "{\"message\":\"bad security token %s; "
	    "SessionToken=%s X-Amz-Security-Token: %s Authorization: %s\"}",
	    tok != NULL ? tok : "", tok != NULL ? tok : "", tok != NULL ? tok :
	    "", auth != NULL ? auth : "");
}

/* Trace hook as an application would write one: log every field. */
static void
s_trace(void *arg, const struct http_trace *t)
{
	(void)arg;
	log_msg(LOG_LEVEL_DEBUG, "trace", "%s %s %s -> %ld (%zu/%zu bytes, "
	    "%u retries%s)", t->op != NULL ? t->op : "-", t->method, t->url,
	    t->status, t->bytes_out, t->bytes_in, t->retries,
	    t->transport_error ? ", transport error" : "");
}

/* One ListServices call against url with aws; logs the error as the
 * controller does. */
static void
s_aws_call(struct aws *aws)
{
	struct lattice_service_list	l;
	struct aws_error		err;

	memset(&err, 0, sizeof(err));
	aws_set_retry(aws, 2, 1, 2);
	aws_set_trace(aws, s_trace, NULL);
	assert_int_not_equal(lattice_list_services(aws, NULL, &l, &err), 0);
	log_error("apply: list services: %s: %s (HTTP %ld)", err.code,
	    err.message, err.status);
	aws_error_clear(&err);
}

/* The credential_process program: records its arguments (one per line)
 * in DIR/args and prints credentials. */
static char *
s_write_proc(const char *dir)
{
	char	*path, *text;

	xasprintf(&text, "#!/bin/sh\n"
	    "for a in \"$@\"; do printf '%%s\\n' \"$a\"; done > '%s/args'\n"
	    "printf '{\"Version\":1,\"AccessKeyId\":\"AKIAR8PROCESS0000001\","
	    "\"SecretAccessKey\":\"" S_PROC_SK "\",\"SessionToken\":\""
	    S_PROC_TOKEN "\"}'\n", dir);
	xasprintf(&path, "%s/proc.sh", dir);
	assert_int_equal(test_write_file(path, text, 0755), 0);
	free(text);
	return path;
}

/* The metacharacter argument for dir. */
static char *
s_meta(const char *dir)
{
	char	*m;

	xasprintf(&m, S_META, dir, dir, dir);
	return m;
}

/* The recorded arguments equal want (lines), and no marker file. */
static void
s_check_args(const char *dir, const char *want)
{
	char	*path, *got;

	xasprintf(&path, "%s/args", dir);
	got = test_read_file(path, NULL);
	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
	free(path);
	xasprintf(&path, "%s/pwned", dir);
	assert_int_not_equal(access(path, F_OK), 0);
	free(path);
	xasprintf(&path, "%s/pwned2", dir);
	assert_int_not_equal(access(path, F_OK), 0);
	free(path);
}

/* AWS paths: static keys with a session token, then the credential
 * chain through credential_process (arguments with metacharacters). */
static void
s_aws_paths(enum log_format fmt)
{
	struct testsrv_opts	 so;
	struct testsrv		*srv;
	struct aws_config	 cfg;
	struct aws_creds	 creds, got;
	struct aws		*aws;
	struct s_cap		 cap;
	unsigned		 n = 0;
	char			*dir, *prog, *meta, *conf, *text, *want;
	char			*cause = NULL;

	memset(&so, 0, sizeof(so));
	so.handler = s_echo;
	so.arg = &n;
	if ((srv = testsrv_start(&so, &cause)) == NULL)
		fail_msg("testsrv: %s", cause);
	setenv("AWS_ENDPOINT_URL", testsrv_url(srv), 1);
	dir = test_tmpdir();
	cap_begin(&cap, fmt);

	memset(&creds, 0, sizeof(creds));
	creds.access_key_id = (char *)S_AK;
	creds.secret_access_key = (char *)S_SK;
	creds.session_token = (char *)S_TOKEN;
	creds.source = (char *)"static";
	memset(&cfg, 0, sizeof(cfg));
	cfg.region = "us-west-2";
	cfg.no_imds = 1;
	cfg.static_creds = &creds;
	if ((aws = aws_new(&cfg, &cause)) == NULL)
		fail_msg("aws_new: %s", cause);
	s_aws_call(aws);
	aws_free(aws);

	prog = s_write_proc(dir);
	meta = s_meta(dir);
	xasprintf(&text, "[profile r8]\nregion = us-west-2\n"
	    "credential_process = %s \"%s\" 'two words' plain\n", prog, meta);
	xasprintf(&conf, "%s/config", dir);
	assert_int_equal(test_write_file(conf, text, 0600), 0);
	setenv("AWS_CONFIG_FILE", conf, 1);
	memset(&cfg, 0, sizeof(cfg));
	cfg.profile = "r8";
	cfg.no_imds = 1;
	if ((aws = aws_new(&cfg, &cause)) == NULL)
		fail_msg("aws_new (profile): %s", cause);
	if (aws_get_creds(aws, &got, &cause) != 0)
		fail_msg("credential_process: %s", cause);
	assert_string_equal(got.secret_access_key, S_PROC_SK);
	log_debug("got credentials from %s", got.source);
	aws_creds_clear(&got);
	s_aws_call(aws);
	aws_free(aws);
	setenv("AWS_CONFIG_FILE", "/dev/null", 1);
	cap_end(&cap, fmt == LOG_FORMAT_JSON ? "aws (json)" : "aws (text)");

	xasprintf(&want, "%s\ntwo words\nplain\n", meta);
	s_check_args(dir, want);
	free(want);
	free(text);
	free(conf);
	free(meta);
	free(prog);
	test_rm_tree(dir);
	testsrv_stop(srv);
	unsetenv("AWS_ENDPOINT_URL");
}

/* The exec plugin: records its arguments in DIR/args, prints a token. */
static void
s_write_plugin(const char *dir)
{
	char	*path, *text;

	xasprintf(&text, "#!/bin/sh\n"
	    "for a in \"$@\"; do printf '%%s\\n' \"$a\"; done > '%s/args'\n"
	    "printf '{\"apiVersion\":\"client.authentication.k8s.io/v1\","
	    "\"kind\":\"ExecCredential\",\"status\":{\"token\":\""
	    S_EXEC_TOKEN "\"}}'\n", dir);
	xasprintf(&path, "%s/plugin.sh", dir);
	assert_int_equal(test_write_file(path, text, 0755), 0);
	free(text);
	free(path);
}

/* GET the default namespace (first answer 401: a credential refresh). */
static void
s_kube_get(struct kube_conn *conn)
{
	struct kube_client	*kc;
	struct kube_error	 e;
	cJSON			*o = NULL;
	char			*cause = NULL;

	if ((kc = kube_client_new(conn, &cause)) == NULL)
		fail_msg("kube client: %s", cause);
	kube_client_set_trace(kc, s_trace, NULL);
	memset(&e, 0, sizeof(e));
	if (kube_get(kc, &KUBE_RES_NAMESPACES, NULL, "default", &o, &e) != 0)
		log_error("get namespace: %s (%ld)", e.message, e.status);
	kube_error_clear(&e);
	cJSON_Delete(o);
	/* A second, direct 401 path: the error as the CLI prints it. */
	memset(&e, 0, sizeof(e));
	if (kube_request(kc, "GET", "/api/v1/namespaces/x", NULL, NULL, NULL,
	    NULL, NULL, &e) != 0)
		log_error("%s", e.message);
	kube_error_clear(&e);
	kube_client_free(kc);
}

/* Kubernetes paths: a static bearer token, then an exec plugin with
 * shell metacharacters in its arguments. */
static void
s_kube_paths(enum log_format fmt)
{
	struct kube_conn_params	 p;
	struct kube_conn	*conn;
	struct testsrv_opts	 so;
	struct testsrv		*srv;
	struct s_cap		 cap;
	unsigned		 n = 0;
	char			*dir, *meta, *text, *path, *want, *cause = NULL;

	memset(&so, 0, sizeof(so));
	so.handler = s_echo;
	so.arg = &n;
	if ((srv = testsrv_start(&so, &cause)) == NULL)
		fail_msg("testsrv: %s", cause);
	dir = test_tmpdir();
	s_write_plugin(dir);
	meta = s_meta(dir);
	cap_begin(&cap, fmt);

	memset(&p, 0, sizeof(p));
	p.server = testsrv_url(srv);
	p.token = S_BEARER;
	s_kube_get(kube_conn_new(&p));

	xasprintf(&text, "current-context: x\n"
	    "contexts:\n- name: x\n  context: {cluster: c, user: u}\n"
	    "clusters:\n- name: c\n  cluster:\n    server: %s\n"
	    "users:\n- name: u\n  user:\n    exec:\n"
	    "      command: ./plugin.sh\n"
	    "      apiVersion: client.authentication.k8s.io/v1\n"
	    "      interactiveMode: Never\n"
	    "      args: ['%s', 'two words', plain]\n", testsrv_url(srv), meta);
	xasprintf(&path, "%s/config", dir);
	if (kube_conn_load_text(text, strlen(text), path, NULL, &conn,
	    &cause) != 0)
		fail_msg("kubeconfig: %s", cause);
	s_kube_get(conn);
	cap_end(&cap, fmt == LOG_FORMAT_JSON ? "kube (json)" : "kube (text)");

	xasprintf(&want, "%s\ntwo words\nplain\n", meta);
	s_check_args(dir, want);
	free(want);
	free(path);
	free(text);
	free(meta);
	test_rm_tree(dir);
	testsrv_stop(srv);
}

/* No secret in any log line, text format. */
static void
test_no_secret_text(void **state)
{
	(void)state;
	s_aws_paths(LOG_FORMAT_TEXT);
	s_kube_paths(LOG_FORMAT_TEXT);
}

/* No secret in any log line, JSON format. */
static void
test_no_secret_json(void **state)
{
	(void)state;
	s_aws_paths(LOG_FORMAT_JSON);
	s_kube_paths(LOG_FORMAT_JSON);
}

/* Does msg name a certificate problem? */
static int
s_names_cert(const char *msg)
{
	return msg != NULL && strcasestr(msg, "certificate") != NULL;
}

/* A server certificate from another CA: both clients refuse, with a
 * clear error, and nothing reaches the server. */
static void
test_wrong_ca(void **state)
{
	struct testsrv_pki	 pki;
	struct testsrv_opts	 so;
	struct testsrv		*srv;
	struct kube_conn_params	 p;
	struct kube_client	*kc;
	struct kube_error	 e;
	struct aws_config	 cfg;
	struct aws_creds	 creds;
	struct aws_error	 err;
	struct lattice_service_list l;
	struct aws		*aws;
	cJSON			*o = NULL;
	char			*cause = NULL, *dir, *ca;

	(void)state;
	if (testsrv_make_pki(&pki, NULL, &cause) != 0)
		fail_msg("pki: %s", cause);
	memset(&so, 0, sizeof(so));
	so.cert_pem = pki.server_cert_pem;
	so.key_pem = pki.server_key_pem;
	if ((srv = testsrv_start(&so, &cause)) == NULL)
		fail_msg("testsrv: %s", cause);

	/* Kubernetes: a CA that signed nothing here, then no CA at all. */
	memset(&p, 0, sizeof(p));
	p.server = testsrv_url(srv);
	p.ca_pem = pki.other_ca_pem;
	p.token = S_BEARER;
	if ((kc = kube_client_new(kube_conn_new(&p), &cause)) == NULL)
		fail_msg("kube client: %s", cause);
	memset(&e, 0, sizeof(e));
	assert_int_not_equal(kube_get(kc, &KUBE_RES_NAMESPACES, NULL,
	    "default", &o, &e), 0);
	printf("kube, wrong CA: %s\n", e.message);
	assert_true(e.transport);
	assert_true(s_names_cert(e.message));
	kube_error_clear(&e);
	kube_client_free(kc);
	p.ca_pem = NULL;
	if ((kc = kube_client_new(kube_conn_new(&p), &cause)) == NULL)
		fail_msg("kube client: %s", cause);
	memset(&e, 0, sizeof(e));
	assert_int_not_equal(kube_get(kc, &KUBE_RES_NAMESPACES, NULL,
	    "default", &o, &e), 0);
	printf("kube, system CAs: %s\n", e.message);
	assert_true(s_names_cert(e.message));
	kube_error_clear(&e);
	kube_client_free(kc);

	/* AWS: AWS_CA_BUNDLE-style ca_file with the other CA. */
	dir = test_tmpdir();
	xasprintf(&ca, "%s/ca.pem", dir);
	assert_int_equal(test_write_file(ca, pki.other_ca_pem, 0600), 0);
	setenv("AWS_ENDPOINT_URL", testsrv_url(srv), 1);
	memset(&creds, 0, sizeof(creds));
	creds.access_key_id = (char *)S_AK;
	creds.secret_access_key = (char *)S_SK;
	creds.source = (char *)"static";
	memset(&cfg, 0, sizeof(cfg));
	cfg.region = "us-west-2";
	cfg.no_imds = 1;
	cfg.static_creds = &creds;
	cfg.ca_file = ca;
	if ((aws = aws_new(&cfg, &cause)) == NULL)
		fail_msg("aws_new: %s", cause);
	aws_set_retry(aws, 1, 1, 1);
	memset(&err, 0, sizeof(err));
	assert_int_not_equal(lattice_list_services(aws, NULL, &l, &err), 0);
	printf("aws, wrong CA: %s\n", err.message);
	assert_int_equal(err.status, 0);
	assert_true(s_names_cert(err.message));
	aws_error_clear(&err);
	aws_free(aws);
	unsetenv("AWS_ENDPOINT_URL");

	/* No request was ever served: no fallback to plain or insecure. */
	assert_int_equal(testsrv_requests(srv), 0);
	log_close();
	testsrv_stop(srv);
	testsrv_pki_free(&pki);
	free(ca);
	test_rm_tree(dir);
}

/* proc_run (the runner behind helm and the other tools) passes shell
 * metacharacters verbatim. */
static void
test_proc_no_shell(void **state)
{
	struct proc_opts	 po;
	struct proc_result	 res;
	char			*dir, *meta, *prog, *want, *argv[5];
	char			*cause = NULL;

	(void)state;
	dir = test_tmpdir();
	prog = s_write_proc(dir);
	meta = s_meta(dir);
	argv[0] = prog;
	argv[1] = meta;
	argv[2] = (char *)"--set=a=$(id)";
	argv[3] = (char *)"x;y";
	argv[4] = NULL;
	memset(&po, 0, sizeof(po));
	po.argv = argv;
	po.timeout_ms = 10000;
	if (proc_run(&po, &res, &cause) != 0)
		fail_msg("proc_run: %s", cause);
	assert_true(res.exited);
	assert_int_equal(res.status, 0);
	proc_result_free(&res);
	xasprintf(&want, "%s\n--set=a=$(id)\nx;y\n", meta);
	s_check_args(dir, want);
	free(want);
	free(meta);
	free(prog);
	test_rm_tree(dir);
}

/* helm as the install step runs it: the argv it builds (a kubeconfig
 * path full of metacharacters) through proc_run reaches helm verbatim. */
static void
test_helm_no_shell(void **state)
{
	struct install_opts	 o;
	struct proc_opts	 po;
	struct proc_result	 res;
	struct lab_config	*lab;
	struct canned		 c;
	struct install		*in;
	const char		*y = "region: us-west-2\n";
	char			**v, *dir, *prog, *meta, *want, *cause = NULL;
	struct strbuf		 sb;
	size_t			 i;

	(void)state;
	dir = test_tmpdir();
	prog = s_write_proc(dir);
	meta = s_meta(dir);
	if (lab_config_parse(y, strlen(y), "lab.yaml", &lab, &cause) != 0)
		fail_msg("%s", cause);
	memset(&c, 0, sizeof(c));
	memset(&o, 0, sizeof(o));
	o.lab = lab;
	o.aws = canned_aws(&c);
	o.kubeconfig = meta;
	if ((in = install_new(&o, &cause)) == NULL)
		fail_msg("install_new: %s", cause);
	in->f.resolved = 1;
	in->f.region = xstrdup("us-west-2");
	in->f.account = xstrdup("123456789012");
	in->f.vpc_id = xstrdup("vpc-0123");
	in->f.cluster_arn = xstrdup("arn:aws:eks:us-west-2:123456789012:"
	    "cluster/c1");
	in->s_helm = prog;
	v = helm_install_argv(in, 1);
	in->s_helm = NULL;
	memset(&po, 0, sizeof(po));
	po.argv = v;
	po.timeout_ms = 10000;
	if (proc_run(&po, &res, &cause) != 0)
		fail_msg("proc_run: %s", cause);
	assert_int_equal(res.status, 0);
	proc_result_free(&res);
	strbuf_init(&sb);
	for (i = 1; v[i] != NULL; i++)
		strbuf_addf(&sb, "%s\n", v[i]);
	want = strbuf_detach(&sb, NULL);
	assert_non_null(strstr(want, meta));
	s_check_args(dir, want);
	free(want);
	helm_argv_free(v);
	install_free(in);
	aws_free(o.aws);
	canned_free(&c);
	lab_config_free(lab);
	free(meta);
	free(prog);
	test_rm_tree(dir);
}

/* Assert path exists with no group or other permissions. */
static void
s_private(const char *path)
{
	struct stat	sb;

	if (stat(path, &sb) != 0)
		fail_msg("%s: missing", path);
	if ((sb.st_mode & 077) != 0)
		fail_msg("%s: mode %03o (want 0600)", path,
		    (unsigned)(sb.st_mode & 0777));
}

/* The simulator's kubeconfig (token), writer files (keys) and state
 * file (token, CA key) are 0600, whatever the umask. */
static void
test_sim_files_private(void **state)
{
	static const char *const writers[] = { "w1", NULL };
	struct sim_opts	 o;
	struct sim	*sim;
	mode_t		 old;
	char		*dir, *simdir, *statef, *path, *cause = NULL;

	(void)state;
	dir = test_tmpdir();
	xasprintf(&simdir, "%s/sim", dir);
	xasprintf(&statef, "%s/state.json", dir);
	old = umask(0);
	memset(&o, 0, sizeof(o));
	o.listen = "127.0.0.1:0";
	o.aws_listen = "127.0.0.1:0";
	o.dir = simdir;
	o.state_file = statef;
	o.writers = writers;
	if (sim_start(&o, &sim, &cause) != 0)
		fail_msg("sim: %s", cause);
	if (sim_save(sim, &cause) != 0)
		fail_msg("save: %s", cause);
	s_private(simdir);
	s_private(sim_kubeconfig_path(sim));
	s_private(statef);
	xasprintf(&path, "%s/writer-w1.env", simdir);
	s_private(path);
	free(path);
	xasprintf(&path, "%s/writer-w1.kubeconfig", simdir);
	s_private(path);
	free(path);
	sim_stop(sim);

	/* The kubeconfig install writes, new and replacing a 0644 one. */
	xasprintf(&path, "%s/kube/config", dir);
	if (kubecfg_put_eks(path, "lab", "https://k.example", "Q0E=",
	    "us-west-2", "lab", &cause) != 0)
		fail_msg("kubecfg: %s", cause);
	s_private(path);
	assert_int_equal(chmod(path, 0644), 0);
	if (kubecfg_put_eks(path, "lab2", "https://k2.example", "Q0E=",
	    "us-west-2", "lab2", &cause) != 0)
		fail_msg("kubecfg: %s", cause);
	s_private(path);
	free(path);
	umask(old);
	free(statef);
	free(simdir);
	test_rm_tree(dir);
}

/* Registered secrets are redacted; rotating ones stay bounded and the
 * newest are always kept. */
static void
test_log_secret_rotation(void **state)
{
	char	*v, *line;
	int	 i;

	(void)state;
	log_open(LOG_LEVEL_OFF, LOG_FORMAT_TEXT, NULL);
	for (i = 0; i < 1000; i++) {
		xasprintf(&v, "rotating-token-%04d-r8", i);
		log_add_secret(v);
		free(v);
	}
	line = log_redact("a rotating-token-0999-r8 b rotating-token-0990-r8");
	assert_null(strstr(line, "rotating-token-0999"));
	assert_null(strstr(line, "rotating-token-0990"));
	free(line);
	log_close();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_no_secret_text, s_setup),
		cmocka_unit_test_setup(test_no_secret_json, s_setup),
		cmocka_unit_test_setup(test_wrong_ca, s_setup),
		cmocka_unit_test_setup(test_proc_no_shell, s_setup),
		cmocka_unit_test_setup(test_helm_no_shell, s_setup),
		cmocka_unit_test_setup(test_sim_files_private, s_setup),
		cmocka_unit_test(test_log_secret_rotation),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
