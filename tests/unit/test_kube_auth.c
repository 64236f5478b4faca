/* kube auth: exec credential plugins (a fake plugin script: env, args,
 * stdin, KUBERNETES_EXEC_INFO, caching until expiry, re-run after expiry
 * and after a 401, errors, timeout) and the native EKS token (decoded,
 * and compared with botocore's presigner under a fixed clock). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "latticectl/aws.h"
#include "latticectl/ekstoken.h"
#include "latticectl/http.h"
#include "latticectl/json.h"
#include "latticectl/kube.h"
#include "latticectl/xmalloc.h"
#include "testlib.h"

#define T_KEY		"AKIDEXAMPLE"
#define T_SECRET	"wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
#define T_NOW		1795847323	/* 2026-11-28T06:28:43Z */
#define T_EXP		"2030-01-01T00:00:00Z"
#define T_EXP_EPOCH	1893456000

static const char *plugin_script =
    "#!/bin/sh\n"
    "dir=$(dirname \"$0\")\n"
    "n=$(( $(cat \"$dir/count\" 2>/dev/null || echo 0) + 1 ))\n"
    "echo $n > \"$dir/count\"\n"
    "{\n"
    "  echo \"args=$*\"\n"
    "  echo \"FOO=$FOO\"\n"
    "  if read -r line; then echo stdin=data; else echo stdin=eof; fi\n"
    "  echo \"$KUBERNETES_EXEC_INFO\"\n"
    "} > \"$dir/run.$n\"\n"
    "case \"$MODE\" in\n"
    "fail) echo 'plugin: no credentials today' >&2; exit 3;;\n"
    "sleep) exec sleep 10;;\n"
    "cert) printf '{\"apiVersion\":\"%s\",\"kind\":\"ExecCredential\","
    "\"status\":{\"clientCertificateData\":\"CERT%s\","
    "\"clientKeyData\":\"KEY\"}}' \"$API\" \"$n\"; exit 0;;\n"
    "esac\n"
    "exp=''\n"
    "[ -n \"$EXP\" ] && exp=\",\\\"expirationTimestamp\\\":\\\"$EXP\\\"\"\n"
    "printf '{\"apiVersion\":\"%s\",\"kind\":\"ExecCredential\","
    "\"status\":{\"token\":\"tok-%s\"%s}}' \"${OUT_API:-$API}\" \"$n\" "
    "\"$exp\"\n";

/* Isolate from the caller's AWS and kube settings. */
static int
setup_env(void **state)
{
	static const char *unset[] = { "KUBECONFIG", "KUBERNETES_SERVICE_HOST",
	    KUBE_NO_NATIVE_EKS_ENV, "AWS_PROFILE", "AWS_ACCESS_KEY_ID",
	    "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_REGION",
	    "AWS_DEFAULT_REGION", "AWS_ROLE_ARN", "AWS_WEB_IDENTITY_TOKEN_FILE",
	    "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_STS", NULL };
	size_t	i;

	(void)state;
	for (i = 0; unset[i] != NULL; i++)
		unsetenv(unset[i]);
	setenv("AWS_CONFIG_FILE", "/dev/null", 1);
	setenv("AWS_SHARED_CREDENTIALS_FILE", "/dev/null", 1);
	setenv("AWS_EC2_METADATA_DISABLED", "true", 1);
	return 0;
}

/* A temp dir with the plugin and a kubeconfig whose user has exec:
 * user_yaml is the text under "exec:" (indented 4). */
static char *
make_config(const char *user_yaml, struct kube_conn **c,
    const struct kube_config_opts *o, char **cause)
{
	char	*dir, *path, *text;
	int	 rc;

	dir = test_tmpdir();
	xasprintf(&path, "%s/plugin.sh", dir);
	assert_int_equal(test_write_file(path, plugin_script, 0755), 0);
	free(path);
	xasprintf(&text,
	    "current-context: x\n"
	    "contexts:\n- name: x\n  context: {cluster: c, user: u}\n"
	    "clusters:\n- name: c\n  cluster:\n"
	    "    server: https://k8s.example:6443\n"
	    "    certificate-authority-data: Q0EtUEVN\n"
	    "    extensions:\n"
	    "    - name: client.authentication.k8s.io/exec\n"
	    "      extension: {audience: lab}\n"
	    "users:\n- name: u\n  user:\n    exec:\n%s", user_yaml);
	xasprintf(&path, "%s/config", dir);
	assert_int_equal(test_write_file(path, text, 0600), 0);
	free(text);
	setenv("KUBECONFIG", path, 1);
	free(path);
	rc = kube_conn_load(o, c, cause);
	unsetenv("KUBECONFIG");
	if (rc != 0)
		*c = NULL;
	return dir;
}

/* The text of dir/run.n (caller frees). */
static char *
run_record(const char *dir, int n)
{
	char	*path, *text;

	xasprintf(&path, "%s/run.%d", dir, n);
	text = test_read_file(path, NULL);
	free(path);
	assert_non_null(text);
	return text;
}

/* Token from creds, asserting success (caller frees). */
static char *
get_token(struct kube_conn *c)
{
	struct kube_creds	 cr;
	char			*cause = NULL, *t;

	if (kube_conn_creds(c, &cr, &cause) != 0)
		fail_msg("creds: %s", cause);
	assert_non_null(cr.token);
	t = xstrdup(cr.token);
	kube_creds_clear(&cr);
	return t;
}

/* v1 plugin: env, args, stdin closed, exec info with cluster, cache
 * until expirationTimestamp, re-run after expiry and after a 401. */
static void
test_exec_v1(void **state)
{
	struct kube_conn	*c;
	struct kube_creds	 cr;
	cJSON			*info;
	char			*dir, *rec, *line, *t, *cause = NULL;
	int			 fds[2], saved;
	time_t			 now = T_EXP_EPOCH - 3600;

	(void)state;
	dir = make_config(
	    "      command: ./plugin.sh\n"
	    "      apiVersion: client.authentication.k8s.io/v1\n"
	    "      interactiveMode: Never\n"
	    "      provideClusterInfo: true\n"
	    "      args: [a, 'b c']\n"
	    "      env:\n"
	    "      - {name: FOO, value: bar}\n"
	    "      - {name: API, value: client.authentication.k8s.io/v1}\n"
	    "      - {name: EXP, value: '" T_EXP "'}\n", &c, NULL, &cause);
	if (c == NULL)
		fail_msg("load: %s", cause);
	assert_string_equal(kube_conn_auth_kind(c), "exec");
	kube_conn_set_clock(c, test_fixed_clock, &now);

	/* Our stdin has data; interactiveMode Never must hide it. */
	assert_int_equal(pipe(fds), 0);
	assert_int_equal(write(fds[1], "hello\n", 6), 6);
	close(fds[1]);
	saved = dup(0);
	dup2(fds[0], 0);
	close(fds[0]);
	assert_int_equal(kube_conn_creds(c, &cr, &cause), 0);
	dup2(saved, 0);
	close(saved);
	assert_string_equal(cr.token, "tok-1");
	assert_string_equal(cr.source, "exec");
	assert_int_equal(cr.expiry, T_EXP_EPOCH);
	kube_creds_clear(&cr);

	rec = run_record(dir, 1);
	assert_non_null(strstr(rec, "args=a b c\n"));
	assert_non_null(strstr(rec, "FOO=bar\n"));
	assert_non_null(strstr(rec, "stdin=eof\n"));
	line = strchr(strstr(rec, "stdin=eof\n"), '\n') + 1;
	assert_non_null(info = cJSON_Parse(line));
	assert_string_equal(json_str(info, "apiVersion"),
	    "client.authentication.k8s.io/v1");
	assert_string_equal(json_str(info, "kind"), "ExecCredential");
	assert_false(cJSON_IsTrue(json_path(info, "spec.interactive")));
	assert_string_equal(json_path_str(info, "spec.cluster.server"),
	    "https://k8s.example:6443");
	assert_string_equal(json_path_str(info,
	    "spec.cluster.certificate-authority-data"), "Q0EtUEVN");
	assert_string_equal(json_path_str(info, "spec.cluster.config.audience"),
	    "lab");
	cJSON_Delete(info);
	free(rec);

	/* Cached until the expiry. */
	now = T_EXP_EPOCH - 1;
	t = get_token(c);
	assert_string_equal(t, "tok-1");
	free(t);
	assert_int_equal(kube_conn_exec_runs(c), 1);
	now = T_EXP_EPOCH;
	t = get_token(c);
	assert_string_equal(t, "tok-2");
	free(t);
	assert_int_equal(kube_conn_exec_runs(c), 2);

	/* A 401 drops the cache. */
	now = T_EXP_EPOCH - 3600;
	kube_conn_creds_invalidate(c);
	t = get_token(c);
	assert_string_equal(t, "tok-3");
	free(t);
	assert_int_equal(kube_conn_exec_runs(c), 3);
	kube_conn_free(c);
	test_rm_tree(dir);
}

/* v1beta1: interactiveMode optional; no expiry means cached until a 401;
 * no cluster info unless asked. */
static void
test_exec_v1beta1_no_expiry(void **state)
{
	struct kube_conn	*c;
	cJSON			*info;
	char			*dir, *rec, *t, *cause = NULL;
	time_t			 now = 100;

	(void)state;
	dir = make_config(
	    "      command: ./plugin.sh\n"
	    "      apiVersion: client.authentication.k8s.io/v1beta1\n"
	    "      env:\n"
	    "      - {name: API, value: client.authentication.k8s.io/v1beta1}\n",
	    &c, NULL, &cause);
	if (c == NULL)
		fail_msg("load: %s", cause);
	kube_conn_set_clock(c, test_fixed_clock, &now);
	t = get_token(c);
	assert_string_equal(t, "tok-1");
	free(t);
	now += 365 * 86400;
	t = get_token(c);
	assert_string_equal(t, "tok-1");
	free(t);
	assert_int_equal(kube_conn_exec_runs(c), 1);
	rec = run_record(dir, 1);
	assert_non_null(info = cJSON_Parse(strstr(rec, "stdin=eof\n") + 10));
	assert_string_equal(json_str(info, "apiVersion"),
	    "client.authentication.k8s.io/v1beta1");
	assert_null(json_path(info, "spec.cluster"));
	cJSON_Delete(info);
	free(rec);
	kube_conn_creds_invalidate(c);
	t = get_token(c);
	assert_string_equal(t, "tok-2");
	free(t);
	kube_conn_free(c);
	test_rm_tree(dir);
}

/* A plugin may answer with a client certificate and key. */
static void
test_exec_client_cert(void **state)
{
	struct kube_conn	*c;
	struct kube_creds	 cr;
	char			*dir, *cause = NULL;

	(void)state;
	dir = make_config(
	    "      command: ./plugin.sh\n"
	    "      apiVersion: client.authentication.k8s.io/v1\n"
	    "      interactiveMode: IfAvailable\n"
	    "      env:\n"
	    "      - {name: MODE, value: cert}\n"
	    "      - {name: API, value: client.authentication.k8s.io/v1}\n",
	    &c, NULL, &cause);
	if (c == NULL)
		fail_msg("load: %s", cause);
	assert_int_equal(kube_conn_creds(c, &cr, &cause), 0);
	assert_null(cr.token);
	assert_string_equal(cr.cert_pem, "CERT1");
	assert_string_equal(cr.key_pem, "KEY");
	kube_creds_clear(&cr);
	kube_conn_free(c);
	test_rm_tree(dir);
}

/* Failures: exit status (with the install hint), wrong apiVersion in the
 * output, a plugin that hangs, a missing command. */
static void
test_exec_errors(void **state)
{
	static const struct {
		const char	*yaml;
		const char	*want;
	} cases[] = {
		{ "      env: [{name: MODE, value: fail}]\n",
		  "exited with status 3" },
		{ "      env: [{name: OUT_API, value: "
		  "client.authentication.k8s.io/v1beta1}]\n",
		  "output apiVersion \"client.authentication.k8s.io/v1beta1\"" },
		{ "      env: [{name: MODE, value: sleep}]\n", "timed out" },
	};
	struct kube_config_opts	 o;
	struct kube_conn	*c;
	struct kube_creds	 cr;
	char			*dir, *yaml, *cause = NULL;
	size_t			 i;

	(void)state;
	memset(&o, 0, sizeof o);
	o.exec_timeout_ms = 300;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		xasprintf(&yaml, "      command: ./plugin.sh\n"
		    "      apiVersion: client.authentication.k8s.io/v1\n"
		    "      interactiveMode: Never\n"
		    "      installHint: install the lab plugin\n%s",
		    cases[i].yaml);
		dir = make_config(yaml, &c, &o, &cause);
		free(yaml);
		if (c == NULL)
			fail_msg("load: %s", cause);
		assert_int_equal(kube_conn_creds(c, &cr, &cause), -1);
		if (strstr(cause, cases[i].want) == NULL ||
		    strstr(cause, "user \"u\"") == NULL ||
		    strstr(cause, "install the lab plugin") == NULL)
			fail_msg("case %zu: %s", i, cause);
		xfree_ptr(&cause);
		kube_conn_free(c);
		test_rm_tree(dir);
	}
	dir = make_config("      command: no-such-plugin-xyz\n"
	    "      apiVersion: client.authentication.k8s.io/v1\n"
	    "      interactiveMode: Never\n", &c, NULL, &cause);
	assert_int_equal(kube_conn_creds(c, &cr, &cause), -1);
	assert_non_null(strstr(cause, "no-such-plugin-xyz"));
	free(cause);
	kube_conn_free(c);
	test_rm_tree(dir);
}

/* Value of query parameter key in url (decoded, caller frees), or NULL. */
static char *
url_param(const char *url, const char *key)
{
	const char	*p, *end;
	char		*raw, *v;
	size_t		 klen = strlen(key);

	for (p = strchr(url, '?'); p != NULL; p = strchr(p + 1, '&')) {
		if (strncmp(p + 1, key, klen) == 0 && p[1 + klen] == '=') {
			end = strchr(p + 1, '&');
			raw = end != NULL ? xstrndup(p + 2 + klen,
			    (size_t)(end - p - 2 - klen)) : xstrdup(p + 2 + klen);
			v = http_urldecode(raw);
			free(raw);
			return v;
		}
	}
	return NULL;
}

static const char *eks_exec_yaml =
    "      command: aws\n"
    "      apiVersion: client.authentication.k8s.io/v1beta1\n"
    "      args: [--region, us-west-2, eks, get-token, --cluster-name,"
    " lab-c1, --output, json]\n"
    "      env:\n"
    "      - {name: AWS_ACCESS_KEY_ID, value: " T_KEY "}\n"
    "      - {name: AWS_SECRET_ACCESS_KEY, value: " T_SECRET "}\n";

/* `aws eks get-token` becomes a native token: no process, the same
 * presigned URL, cached for 14 minutes. */
static void
test_native_eks(void **state)
{
	struct kube_conn	*c;
	struct kube_creds	 cr;
	struct aws_creds	 ac;
	char			*dir, *url, *v, *want, *t, *cause = NULL;
	time_t			 now = T_NOW, exp;

	(void)state;
	dir = make_config(eks_exec_yaml, &c, NULL, &cause);
	if (c == NULL)
		fail_msg("load: %s", cause);
	assert_string_equal(kube_conn_auth_kind(c), "eks-native");
	kube_conn_set_clock(c, test_fixed_clock, &now);
	if (kube_conn_creds(c, &cr, &cause) != 0)
		fail_msg("creds: %s", cause);
	assert_string_equal(cr.source, "eks-native");
	assert_int_equal(cr.expiry, T_NOW + EKSTOKEN_LIFETIME);
	assert_int_equal(kube_conn_exec_runs(c), 0);

	assert_int_equal(ekstoken_decode(cr.token, &url, &cause), 0);
	assert_true(strncmp(url, "https://sts.us-west-2.amazonaws.com/?", 37)
	    == 0);
	v = url_param(url, "X-Amz-Credential");
	assert_string_equal(v, T_KEY "/20261128/us-west-2/sts/aws4_request");
	free(v);
	v = url_param(url, "X-Amz-Date");
	assert_string_equal(v, "20261128T062843Z");
	free(v);
	v = url_param(url, "X-Amz-SignedHeaders");
	assert_string_equal(v, "host;x-k8s-aws-id");
	free(v);
	free(url);

	/* The same inputs through ekstoken directly: the cluster name is
	 * signed into the token, so equality proves "lab-c1". */
	memset(&ac, 0, sizeof ac);
	ac.access_key_id = (char *)T_KEY;
	ac.secret_access_key = (char *)T_SECRET;
	assert_int_equal(ekstoken_build(&ac, "us-west-2", "lab-c1", T_NOW,
	    &want, &exp, NULL), 0);
	assert_string_equal(cr.token, want);
	free(want);
	assert_int_equal(ekstoken_build(&ac, "us-west-2", "other", T_NOW,
	    &want, &exp, NULL), 0);
	assert_string_not_equal(cr.token, want);
	free(want);

	/* Cached until expiry, then signed again at the new time. */
	now = T_NOW + EKSTOKEN_LIFETIME - 1;
	t = get_token(c);
	assert_string_equal(t, cr.token);
	free(t);
	now = T_NOW + EKSTOKEN_LIFETIME;
	t = get_token(c);
	assert_string_not_equal(t, cr.token);
	assert_int_equal(ekstoken_decode(t, &url, NULL), 0);
	v = url_param(url, "X-Amz-Date");
	assert_string_equal(v, "20261128T064243Z");
	free(v);
	free(url);
	free(t);
	kube_creds_clear(&cr);
	assert_int_equal(kube_conn_exec_runs(c), 0);
	kube_conn_free(c);
	test_rm_tree(dir);
}

/* Region from the exec env, --cluster-id, absolute aws path. */
static void
test_native_eks_variants(void **state)
{
	struct kube_conn	*c;
	struct aws_creds	 ac;
	char			*dir, *t, *want, *cause = NULL;
	time_t			 now = T_NOW;

	(void)state;
	dir = make_config(
	    "      command: /usr/local/bin/aws\n"
	    "      apiVersion: client.authentication.k8s.io/v1beta1\n"
	    "      args: [eks, get-token, --cluster-id=0123abcd]\n"
	    "      env:\n"
	    "      - {name: AWS_REGION, value: eu-west-1}\n"
	    "      - {name: AWS_ACCESS_KEY_ID, value: " T_KEY "}\n"
	    "      - {name: AWS_SECRET_ACCESS_KEY, value: " T_SECRET "}\n"
	    "      - {name: AWS_SESSION_TOKEN, value: sess-tok}\n",
	    &c, NULL, &cause);
	if (c == NULL)
		fail_msg("load: %s", cause);
	assert_string_equal(kube_conn_auth_kind(c), "eks-native");
	kube_conn_set_clock(c, test_fixed_clock, &now);
	t = get_token(c);
	memset(&ac, 0, sizeof ac);
	ac.access_key_id = (char *)T_KEY;
	ac.secret_access_key = (char *)T_SECRET;
	ac.session_token = (char *)"sess-tok";
	assert_int_equal(ekstoken_build(&ac, "eu-west-1", "0123abcd", T_NOW,
	    &want, NULL, NULL), 0);
	assert_string_equal(t, want);
	free(want);
	free(t);
	kube_conn_free(c);
	test_rm_tree(dir);
}

/* When the token must come from the real aws CLI. */
static void
test_native_eks_off(void **state)
{
	static const char *spawned[] = {
		/* --role-arn */
		"      command: aws\n"
		"      apiVersion: client.authentication.k8s.io/v1beta1\n"
		"      args: [eks, get-token, --cluster-name, c1, --role-arn,"
		" 'arn:aws:iam::123456789012:role/x']\n",
		/* an AWS_ variable we cannot apply */
		"      command: aws\n"
		"      apiVersion: client.authentication.k8s.io/v1beta1\n"
		"      args: [eks, get-token, --cluster-name, c1]\n"
		"      env: [{name: AWS_CONFIG_FILE, value: /x}]\n",
		/* not get-token */
		"      command: aws\n"
		"      apiVersion: client.authentication.k8s.io/v1beta1\n"
		"      args: [eks, describe-cluster, --name, c1]\n",
		/* not aws */
		"      command: aws-iam-authenticator\n"
		"      apiVersion: client.authentication.k8s.io/v1beta1\n"
		"      args: [token, -i, c1]\n",
	};
	struct kube_config_opts	 o;
	struct kube_conn	*c;
	char			*dir, *cause = NULL;
	size_t			 i;

	(void)state;
	for (i = 0; i < sizeof spawned / sizeof spawned[0]; i++) {
		dir = make_config(spawned[i], &c, NULL, &cause);
		if (c == NULL)
			fail_msg("load %zu: %s", i, cause);
		assert_string_equal(kube_conn_auth_kind(c), "exec");
		kube_conn_free(c);
		test_rm_tree(dir);
	}
	memset(&o, 0, sizeof o);
	o.no_native_eks_token = 1;
	dir = make_config(eks_exec_yaml, &c, &o, &cause);
	assert_string_equal(kube_conn_auth_kind(c), "exec");
	kube_conn_free(c);
	test_rm_tree(dir);
	setenv(KUBE_NO_NATIVE_EKS_ENV, "1", 1);
	dir = make_config(eks_exec_yaml, &c, NULL, &cause);
	assert_string_equal(kube_conn_auth_kind(c), "exec");
	kube_conn_free(c);
	test_rm_tree(dir);
	unsetenv(KUBE_NO_NATIVE_EKS_ENV);
}

/* botocore's presigner with a frozen clock, independent of our code. */
static const char *boto_script =
    "import base64, datetime, sys\n"
    "from unittest import mock\n"
    "import botocore.auth, botocore.session\n"
    "epoch, ak, sk, tok, region, cluster = sys.argv[1:7]\n"
    "when = datetime.datetime(1970, 1, 1) + "
    "datetime.timedelta(seconds=int(epoch))\n"
    "sess = botocore.session.Session()\n"
    "sess.set_credentials(ak, sk, tok or None)\n"
    "sts = sess.create_client('sts', region_name=region,\n"
    "    endpoint_url='https://sts.%s.amazonaws.com' % region)\n"
    "def add_cluster(request, **kwargs):\n"
    "    request.headers['x-k8s-aws-id'] = cluster\n"
    "sts.meta.events.register('before-sign.sts.GetCallerIdentity',"
    " add_cluster)\n"
    "if hasattr(botocore.auth, 'get_current_datetime'):\n"
    "    patch = mock.patch.object(botocore.auth, 'get_current_datetime',\n"
    "        return_value=when)\n"
    "else:\n"
    "    patch = mock.patch('botocore.auth.datetime')\n"
    "with patch as p:\n"
    "    if not hasattr(botocore.auth, 'get_current_datetime'):\n"
    "        p.datetime.utcnow.return_value = when\n"
    "    url = sts.generate_presigned_url('get_caller_identity', Params={},\n"
    "        ExpiresIn=60, HttpMethod='GET')\n"
    "print('k8s-aws-v1.' + base64.urlsafe_b64encode(url.encode())"
    ".decode().rstrip('='))\n";

/* Our kubeconfig-driven token equals botocore's, byte for byte. */
static void
test_native_eks_botocore(void **state)
{
	struct kube_conn	*c;
	char			*args[8];
	char			*out = NULL, *dir, *t, *cause = NULL, ts[32];
	time_t			 now = T_NOW;

	(void)state;
	if (!test_have_botocore()) {
		printf("SKIP: python3 with botocore is not available\n");
		skip();
	}
	snprintf(ts, sizeof ts, "%ld", (long)T_NOW);
	args[0] = ts;
	args[1] = T_KEY;
	args[2] = T_SECRET;
	args[3] = "";
	args[4] = "us-west-2";
	args[5] = "lab-c1";
	args[6] = NULL;
	assert_int_equal(test_python(boto_script, args, &out), 0);
	out[strcspn(out, "\n")] = '\0';

	dir = make_config(eks_exec_yaml, &c, NULL, &cause);
	if (c == NULL)
		fail_msg("load: %s", cause);
	kube_conn_set_clock(c, test_fixed_clock, &now);
	t = get_token(c);
	assert_string_equal(t, out);
	printf("native EKS token matches botocore's presigner\n");
	free(t);
	free(out);
	kube_conn_free(c);
	test_rm_tree(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_exec_v1, setup_env),
		cmocka_unit_test_setup(test_exec_v1beta1_no_expiry, setup_env),
		cmocka_unit_test_setup(test_exec_client_cert, setup_env),
		cmocka_unit_test_setup(test_exec_errors, setup_env),
		cmocka_unit_test_setup(test_native_eks, setup_env),
		cmocka_unit_test_setup(test_native_eks_variants, setup_env),
		cmocka_unit_test_setup(test_native_eks_off, setup_env),
		cmocka_unit_test_setup(test_native_eks_botocore, setup_env),
	};

	int	fd;

	/* Plugins in IfAvailable mode would inherit a terminal. */
	if ((fd = open("/dev/null", O_RDONLY)) != -1) {
		dup2(fd, 0);
		close(fd);
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
