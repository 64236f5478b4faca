/* kubeconfig: kubectl's merge rules over several files, relative paths,
 * -data fields, errors naming file and field, tokenFile re-reads,
 * in-cluster config; resource descriptors, paths and Status errors. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "latticectl/json.h"
#include "latticectl/kube.h"
#include "latticectl/xmalloc.h"
#include "testlib.h"

#include "../../src/kube/kube_client_int.h"

/* Write dir/name and return the path (caller frees). */
static char *
put(const char *dir, const char *name, const char *text)
{
	char	*p;

	xasprintf(&p, "%s/%s", dir, name);
	assert_int_equal(test_write_file(p, text, 0600), 0);
	return p;
}

/* Clear the variables the loader reads. */
static int
setup_env(void **state)
{
	(void)state;
	unsetenv("KUBECONFIG");
	unsetenv("KUBERNETES_SERVICE_HOST");
	unsetenv("KUBERNETES_SERVICE_PORT");
	unsetenv(KUBE_INCLUSTER_DIR_ENV);
	unsetenv(KUBE_NO_NATIVE_EKS_ENV);
	return 0;
}

static const char *file_a =
    "apiVersion: v1\n"
    "kind: Config\n"
    "current-context: ctx-a\n"
    "clusters:\n"
    "- name: c1\n"
    "  cluster:\n"
    "    server: https://one.example:6443/\n"
    "    certificate-authority: certs/ca.pem\n"
    "users:\n"
    "- name: u1\n"
    "  user:\n"
    "    token: token-from-a\n"
    "contexts:\n"
    "- name: ctx-a\n"
    "  context: {cluster: c1, user: u1, namespace: team-a}\n";

static const char *file_b =
    "apiVersion: v1\n"
    "kind: Config\n"
    "current-context: ctx-b\n"
    "clusters:\n"
    "- name: c1\n"
    "  cluster: {server: 'https://loser.example'}\n"
    "- name: c2\n"
    "  cluster:\n"
    "    server: https://two.example\n"
    "    insecure-skip-tls-verify: true\n"
    "    tls-server-name: api.two\n"
    "    proxy-url: http://proxy:3128\n"
    "users:\n"
    "- name: u1\n"
    "  user: {token: token-from-b}\n"
    "- name: u2\n"
    "  user: {username: admin, password: s3cret}\n"
    "contexts:\n"
    "- name: ctx-a\n"
    "  context: {cluster: c2, user: u2}\n"
    "- name: ctx-b\n"
    "  context: {cluster: c2, user: u2}\n";

/* First file wins for current-context and for each named entry. */
static void
test_merge_first_wins(void **state)
{
	struct kube_config_opts	 o;
	struct kube_conn	*c;
	struct kube_creds	 cr;
	struct http_client_opts	 ho;
	char			*dir, *a, *b, *env, *cause = NULL, *ca;

	(void)state;
	dir = test_tmpdir();
	a = put(dir, "a.yaml", file_a);
	b = put(dir, "b.yaml", file_b);
	xasprintf(&env, "%s/missing.yaml:%s::%s", dir, a, b);
	setenv("KUBECONFIG", env, 1);
	memset(&o, 0, sizeof o);
	assert_int_equal(kube_conn_load(&o, &c, &cause), 0);
	assert_string_equal(kube_conn_context(c), "ctx-a");
	assert_string_equal(kube_conn_server(c), "https://one.example:6443");
	assert_string_equal(kube_conn_namespace(c), "team-a");
	assert_string_equal(kube_conn_source(c), a);
	assert_string_equal(kube_conn_auth_kind(c), "token");
	assert_int_equal(kube_conn_creds(c, &cr, NULL), 0);
	assert_string_equal(cr.token, "token-from-a");
	kube_creds_clear(&cr);
	kube_conn_http_opts(c, &ho);
	xasprintf(&ca, "%s/certs/ca.pem", dir);
	assert_string_equal(ho.tls.ca_file, ca);
	assert_int_equal(ho.tls.insecure, 0);
	assert_non_null(strstr(ho.user_agent, "latticectl/"));
	kube_conn_free(c);

	/* --context picks ctx-b from the second file; its user u2 too. */
	o.context = "ctx-b";
	o.ns = "override";
	assert_int_equal(kube_conn_load(&o, &c, &cause), 0);
	assert_string_equal(kube_conn_server(c), "https://two.example");
	assert_string_equal(kube_conn_namespace(c), "override");
	assert_string_equal(kube_conn_cluster(c), "c2");
	kube_conn_http_opts(c, &ho);
	assert_int_equal(ho.tls.insecure, 1);
	assert_string_equal(ho.tls.server_name, "api.two");
	assert_string_equal(ho.proxy, "http://proxy:3128");
	assert_int_equal(kube_conn_creds(c, &cr, NULL), 0);
	assert_string_equal(cr.username, "admin");
	assert_string_equal(cr.password, "s3cret");
	assert_null(cr.token);
	kube_creds_clear(&cr);
	kube_conn_free(c);

	/* Reversed order: b's current-context and b's c1 win. */
	free(env);
	xasprintf(&env, "%s:%s", b, a);
	setenv("KUBECONFIG", env, 1);
	o.context = "ctx-a";
	o.ns = NULL;
	assert_int_equal(kube_conn_load(&o, &c, &cause), 0);
	assert_string_equal(kube_conn_server(c), "https://two.example");
	assert_string_equal(kube_conn_namespace(c), "default");
	kube_conn_free(c);
	o.context = NULL;
	assert_int_equal(kube_conn_load(&o, &c, &cause), 0);
	assert_string_equal(kube_conn_context(c), "ctx-b");
	kube_conn_free(c);

	/* --kubeconfig beats KUBECONFIG. */
	o.kubeconfig = a;
	assert_int_equal(kube_conn_load(&o, &c, &cause), 0);
	assert_string_equal(kube_conn_context(c), "ctx-a");
	assert_string_equal(kube_conn_server(c), "https://one.example:6443");
	kube_conn_free(c);
	unsetenv("KUBECONFIG");
	free(ca);
	free(env);
	free(a);
	free(b);
	test_rm_tree(dir);
}

/* current-context from a later file when the first sets none. */
static void
test_merge_current_context_later(void **state)
{
	struct kube_conn	*c;
	char			*dir, *a, *b, *env, *cause = NULL;

	(void)state;
	dir = test_tmpdir();
	a = put(dir, "a", "clusters:\n- name: c\n  cluster: {server: "
	    "'http://a:1'}\ncontexts:\n- name: x\n  context: {cluster: c}\n");
	b = put(dir, "b", "current-context: x\nclusters:\n- name: c\n"
	    "  cluster: {server: 'http://b:1'}\n");
	xasprintf(&env, "%s:%s", a, b);
	setenv("KUBECONFIG", env, 1);
	assert_int_equal(kube_conn_load(NULL, &c, &cause), 0);
	assert_string_equal(kube_conn_context(c), "x");
	assert_string_equal(kube_conn_server(c), "http://a:1");
	assert_string_equal(kube_conn_auth_kind(c), "none");
	kube_conn_free(c);
	unsetenv("KUBECONFIG");
	free(env);
	free(a);
	free(b);
	test_rm_tree(dir);
}

/* Errors name the file and the field. */
static void
test_errors(void **state)
{
	static const struct {
		const char	*text;
		const char	*want;
	} cases[] = {
		{ "clusters: []\n", "current-context is not set" },
		{ "current-context: nope\n", "context \"nope\" not found" },
		{ "current-context: x\ncontexts:\n- name: x\n  context: "
		  "{cluster: gone}\n", "cluster \"gone\" not found" },
		{ "current-context: x\ncontexts:\n- name: x\n  context: "
		  "{cluster: c}\nclusters:\n- name: c\n  cluster: {}\n",
		  "cluster \"c\": server: missing" },
		{ "current-context: x\ncontexts:\n- name: x\n  context: "
		  "{cluster: c}\nclusters:\n- name: c\n  cluster: {server: "
		  "'https://h', certificate-authority-data: '!!notb64'}\n",
		  "certificate-authority-data: not valid base64" },
		{ "current-context: x\ncontexts:\n- name: x\n  context: "
		  "{cluster: c, user: u}\nclusters:\n- name: c\n  cluster: "
		  "{server: 'https://h'}\nusers:\n- name: u\n  user:\n    "
		  "exec: {command: p, apiVersion: "
		  "client.authentication.k8s.io/v1}\n",
		  "user \"u\": exec: interactiveMode: required" },
		{ "current-context: x\ncontexts:\n- name: x\n  context: "
		  "{cluster: c, user: u}\nclusters:\n- name: c\n  cluster: "
		  "{server: 'https://h'}\nusers:\n- name: u\n  user:\n    "
		  "exec: {command: p, apiVersion: "
		  "client.authentication.k8s.io/v1alpha1}\n",
		  "exec: apiVersion: \"client.authentication.k8s.io/v1alpha1\"" },
		{ "current-context: x\ncontexts:\n- name: x\n  context: "
		  "{cluster: c, user: u}\nclusters:\n- name: c\n  cluster: "
		  "{server: 'https://h'}\nusers:\n- name: u\n  user: "
		  "{client-certificate: a.crt}\n",
		  "client-certificate and client-key must be given together" },
		{ "current-context: x\ncontexts:\n- name: x\n  context: "
		  "{cluster: c}\nclusters:\n- name: c\n  cluster: "
		  "{server: 'https://h', insecure-skip-tls-verify: 'yes'}\n",
		  "insecure-skip-tls-verify: not a boolean" },
		{ "- a\n- b\n", "not a kubeconfig" },
		{ "a: [\n", "/cfg/bad.yaml" },
	};
	struct kube_conn	*c;
	char			*cause = NULL;
	size_t			 i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		assert_int_equal(kube_conn_load_text(cases[i].text,
		    strlen(cases[i].text), "/cfg/bad.yaml", NULL, &c, &cause),
		    -1);
		assert_null(c);
		assert_non_null(cause);
		if (strstr(cause, cases[i].want) == NULL ||
		    strstr(cause, "/cfg/bad.yaml") == NULL)
			fail_msg("case %zu: \"%s\" lacks \"%s\"", i, cause,
			    cases[i].want);
		free(cause);
		cause = NULL;
	}
}

/* An explicit --kubeconfig that does not exist is an error. */
static void
test_missing_explicit(void **state)
{
	struct kube_config_opts	 o;
	struct kube_conn	*c;
	char			*cause = NULL;

	(void)state;
	memset(&o, 0, sizeof o);
	o.kubeconfig = "/nonexistent/kubeconfig";
	assert_int_equal(kube_conn_load(&o, &c, &cause), -1);
	assert_non_null(strstr(cause, "/nonexistent/kubeconfig"));
	free(cause);
}

/* -data fields are decoded; files resolve against the kubeconfig dir. */
static void
test_data_and_relative_paths(void **state)
{
	static const char *text =
	    "current-context: x\n"
	    "contexts:\n- name: x\n  context: {cluster: c, user: u}\n"
	    "clusters:\n- name: c\n  cluster:\n    server: https://h\n"
	    "    certificate-authority: /abs/ca.pem\n"
	    "    certificate-authority-data: |\n"
	    "      LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCmNhCi0tLS0tRU5E\n"
	    "      IENFUlRJRklDQVRFLS0tLS0K\n"
	    "users:\n- name: u\n  user:\n"
	    "    client-certificate: ../pki/client.crt\n"
	    "    client-key-data: a2V5\n"
	    "    as: jane\n    as-groups: [devs, ops]\n";
	struct kube_conn	*c;
	struct http_client_opts	 ho;
	char			*cause = NULL;

	(void)state;
	assert_int_equal(kube_conn_load_text(text, strlen(text),
	    "/home/me/.kube/config", NULL, &c, &cause), 0);
	kube_conn_http_opts(c, &ho);
	assert_string_equal(ho.tls.ca_pem, "-----BEGIN CERTIFICATE-----\nca\n"
	    "-----END CERTIFICATE-----\n");
	assert_string_equal(ho.tls.ca_file, "/abs/ca.pem");
	assert_string_equal(ho.tls.cert_file, "/home/me/.kube/../pki/client.crt");
	assert_null(ho.tls.cert_pem);
	assert_string_equal(ho.tls.key_pem, "key");
	assert_null(ho.tls.key_file);
	assert_string_equal(kube_conn_auth_kind(c), "client-cert");
	kube_conn_free(c);
}

/* tokenFile is re-read once a minute; the last good value survives a
 * missing file; token is the fallback. */
static void
test_token_file_rotation(void **state)
{
	struct kube_conn	*c;
	struct kube_creds	 cr;
	char			*dir, *cfg, *tok, *cause = NULL;
	time_t			 now = 1000000;

	(void)state;
	dir = test_tmpdir();
	tok = put(dir, "tok", "first\n");
	cfg = put(dir, "config", "current-context: x\ncontexts:\n- name: x\n"
	    "  context: {cluster: c, user: u}\nclusters:\n- name: c\n"
	    "  cluster: {server: 'https://h'}\nusers:\n- name: u\n"
	    "  user: {tokenFile: tok, token: static}\n");
	setenv("KUBECONFIG", cfg, 1);
	assert_int_equal(kube_conn_load(NULL, &c, &cause), 0);
	kube_conn_set_clock(c, test_fixed_clock, &now);
	assert_string_equal(kube_conn_auth_kind(c), "tokenFile");
	assert_int_equal(kube_conn_creds(c, &cr, NULL), 0);
	assert_string_equal(cr.token, "first");
	assert_string_equal(cr.source, "tokenFile");
	kube_creds_clear(&cr);

	free(put(dir, "tok", "second"));
	now += 30;
	assert_int_equal(kube_conn_creds(c, &cr, NULL), 0);
	assert_string_equal(cr.token, "first");	/* not re-read yet */
	kube_creds_clear(&cr);
	now += KUBE_TOKEN_FILE_REREAD_S;
	assert_int_equal(kube_conn_creds(c, &cr, NULL), 0);
	assert_string_equal(cr.token, "second");
	kube_creds_clear(&cr);

	/* A 401 forces a re-read at once. */
	free(put(dir, "tok", "third"));
	kube_conn_creds_invalidate(c);
	assert_int_equal(kube_conn_creds(c, &cr, NULL), 0);
	assert_string_equal(cr.token, "third");
	kube_creds_clear(&cr);

	/* Missing file: keep the last good token. */
	unlink(tok);
	now += 2 * KUBE_TOKEN_FILE_REREAD_S;
	assert_int_equal(kube_conn_creds(c, &cr, NULL), 0);
	assert_string_equal(cr.token, "third");
	kube_creds_clear(&cr);
	kube_conn_free(c);

	/* Never readable: the static token. */
	assert_int_equal(kube_conn_load(NULL, &c, &cause), 0);
	assert_int_equal(kube_conn_creds(c, &cr, NULL), 0);
	assert_string_equal(cr.token, "static");
	kube_creds_clear(&cr);
	kube_conn_free(c);
	unsetenv("KUBECONFIG");
	free(tok);
	free(cfg);
	test_rm_tree(dir);
}

/* In-cluster: no kubeconfig, KUBERNETES_SERVICE_HOST/PORT, a service
 * account directory; IPv6 hosts get brackets; the token rotates. */
static void
test_in_cluster(void **state)
{
	struct kube_conn	*c;
	struct kube_creds	 cr;
	struct http_client_opts	 ho;
	char			*dir, *home, *ca, *cause = NULL;
	time_t			 now = 5000;

	(void)state;
	dir = test_tmpdir();
	home = test_tmpdir();
	setenv("HOME", home, 1);	/* no ~/.kube/config there */
	free(put(dir, "token", "sa-token-1\n"));
	ca = put(dir, "ca.crt", "-----BEGIN CERTIFICATE-----\n");
	free(put(dir, "namespace", "lattice-system\n"));
	setenv(KUBE_INCLUSTER_DIR_ENV, dir, 1);

	assert_int_equal(kube_conn_load(NULL, &c, &cause), -1);
	assert_non_null(strstr(cause, "no kubeconfig"));
	xfree_ptr(&cause);

	setenv("KUBERNETES_SERVICE_HOST", "fd00:10:96::1", 1);
	setenv("KUBERNETES_SERVICE_PORT", "443", 1);
	assert_int_equal(kube_conn_load(NULL, &c, &cause), 0);
	kube_conn_set_clock(c, test_fixed_clock, &now);
	assert_string_equal(kube_conn_server(c), "https://[fd00:10:96::1]:443");
	assert_string_equal(kube_conn_namespace(c), "lattice-system");
	assert_string_equal(kube_conn_context(c), "");
	assert_string_equal(kube_conn_auth_kind(c), "in-cluster");
	kube_conn_http_opts(c, &ho);
	assert_string_equal(ho.tls.ca_file, ca);
	assert_int_equal(kube_conn_creds(c, &cr, NULL), 0);
	assert_string_equal(cr.token, "sa-token-1");
	assert_string_equal(cr.source, "in-cluster");
	kube_creds_clear(&cr);
	free(put(dir, "token", "sa-token-2\n"));
	now += KUBE_TOKEN_FILE_REREAD_S;
	assert_int_equal(kube_conn_creds(c, &cr, NULL), 0);
	assert_string_equal(cr.token, "sa-token-2");
	kube_creds_clear(&cr);
	kube_conn_free(c);

	setenv("KUBERNETES_SERVICE_HOST", "10.96.0.1", 1);
	assert_int_equal(kube_conn_load(NULL, &c, &cause), 0);
	assert_string_equal(kube_conn_server(c), "https://10.96.0.1:443");
	kube_conn_free(c);

	setup_env(NULL);
	free(ca);
	test_rm_tree(home);
	test_rm_tree(dir);
}

/* Descriptors, lookups and paths. */
static void
test_resources_and_paths(void **state)
{
	const struct kube_resource	*r;
	char				*s;
	size_t				 n = 0;

	(void)state;
	while (kube_resources()[n] != NULL)
		n++;
	assert_true(n >= 25);
	assert_ptr_equal(kube_resource_find("svc"), &KUBE_RES_SERVICES);
	assert_ptr_equal(kube_resource_find("HTTPRoute"), &KUBE_RES_HTTPROUTES);
	assert_ptr_equal(kube_resource_find("httproute"), &KUBE_RES_HTTPROUTES);
	assert_ptr_equal(kube_resource_find("httproutes.gateway.networking.k8s.io"),
	    &KUBE_RES_HTTPROUTES);
	assert_ptr_equal(kube_resource_find("tgp"),
	    &KUBE_RES_TARGETGROUPPOLICIES);
	assert_ptr_equal(kube_resource_find("events"), &KUBE_RES_EVENTS);
	assert_ptr_equal(kube_resource_find("events."), &KUBE_RES_CORE_EVENTS);
	assert_null(kube_resource_find("widgets"));
	assert_null(kube_resource_find("httproutes.example.com"));

	s = kube_path(&KUBE_RES_SERVICES, "default", "web", NULL);
	assert_string_equal(s, "/api/v1/namespaces/default/services/web");
	free(s);
	s = kube_path(&KUBE_RES_HTTPROUTES, "a b", "r/1", "status");
	assert_string_equal(s, "/apis/gateway.networking.k8s.io/v1/namespaces/"
	    "a%20b/httproutes/r%2F1/status");
	free(s);
	s = kube_path(&KUBE_RES_HTTPROUTES, NULL, NULL, NULL);
	assert_string_equal(s, "/apis/gateway.networking.k8s.io/v1/httproutes");
	free(s);
	r = &KUBE_RES_GATEWAYCLASSES;
	s = kube_path(r, "ignored", "amazon-vpc-lattice", NULL);
	assert_string_equal(s, "/apis/gateway.networking.k8s.io/v1/"
	    "gatewayclasses/amazon-vpc-lattice");
	free(s);
	s = kube_api_version(&KUBE_RES_LEASES);
	assert_string_equal(s, "coordination.k8s.io/v1");
	free(s);
	s = kube_api_version(&KUBE_RES_PODS);
	assert_string_equal(s, "v1");
	free(s);
	s = kube_resource_fullname(&KUBE_RES_IAMAUTHPOLICIES);
	assert_string_equal(s, "iamauthpolicies.application-networking.k8s.aws");
	free(s);
}

/* Status objects become typed errors. */
static void
test_status_errors(void **state)
{
	struct kube_error	 e;
	cJSON			*st;
	char			*s;

	(void)state;
	memset(&e, 0, sizeof e);
	st = cJSON_Parse("{\"kind\":\"Status\",\"apiVersion\":\"v1\","
	    "\"status\":\"Failure\",\"message\":\"httproutes \\\"r\\\" not "
	    "found\",\"reason\":\"NotFound\",\"details\":{\"name\":\"r\","
	    "\"group\":\"gateway.networking.k8s.io\",\"kind\":\"httproutes\"},"
	    "\"code\":404}");
	kube_error_from_status(&e, st, 404);
	assert_int_equal(e.status, 404);
	assert_string_equal(e.reason, "NotFound");
	assert_string_equal(e.kind, "httproutes");
	assert_string_equal(e.name, "r");
	assert_true(kube_error_is_not_found(&e));
	assert_false(kube_error_is_conflict(&e));
	s = kube_error_string(&e);
	assert_string_equal(s, "NotFound (HTTP 404): httproutes \"r\" not found");
	free(s);
	cJSON_Delete(st);

	st = cJSON_Parse("{\"kind\":\"Status\",\"reason\":\"AlreadyExists\","
	    "\"code\":409,\"message\":\"exists\"}");
	kube_error_from_status(&e, st, 409);
	assert_true(kube_error_is_already_exists(&e));
	assert_false(kube_error_is_conflict(&e));
	cJSON_Delete(st);

	/* A watch ERROR event's object carries the code; not the HTTP 200. */
	st = cJSON_Parse("{\"kind\":\"Status\",\"status\":\"Failure\","
	    "\"message\":\"too old resource version: 1 (3171407)\","
	    "\"reason\":\"Expired\",\"code\":410}");
	kube_error_from_status(&e, st, 200);
	assert_true(kube_error_is_gone(&e));
	cJSON_Delete(st);

	/* Not a Status: reason from the HTTP status. */
	kube_error_from_status(&e, NULL, 409);
	assert_string_equal(e.reason, "Conflict");
	assert_true(kube_error_is_conflict(&e));
	kube_error_from_status(&e, NULL, 599);
	assert_string_equal(e.reason, "Unknown");
	assert_non_null(strstr(e.message, "599"));

	kube_error_transport(&e, "GET https://h/api: connection refused");
	assert_int_equal(e.transport, 1);
	assert_false(kube_error_is_not_found(&e));
	s = kube_error_string(&e);
	assert_string_equal(s, "GET https://h/api: connection refused");
	free(s);
	kube_error_clear(&e);
	assert_null(e.message);
}

/* Kubernetes version priority (discovery's order). */
static void
test_version_priority(void **state)
{
	(void)state;
	assert_true(kube_version_cmp("v1", "v1beta1") < 0);
	assert_true(kube_version_cmp("v2", "v1") < 0);
	assert_true(kube_version_cmp("v1beta2", "v1beta1") < 0);
	assert_true(kube_version_cmp("v1beta1", "v1alpha2") < 0);
	assert_true(kube_version_cmp("v1alpha3", "v1alpha2") < 0);
	assert_true(kube_version_cmp("v10", "v2") < 0);
	assert_true(kube_version_cmp("v1alpha1", "foo") < 0);
	assert_true(kube_version_cmp("bar", "foo") < 0);
	assert_int_equal(kube_version_cmp("v1", "v1"), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_merge_first_wins, setup_env),
		cmocka_unit_test_setup(test_merge_current_context_later,
		    setup_env),
		cmocka_unit_test_setup(test_errors, setup_env),
		cmocka_unit_test_setup(test_missing_explicit, setup_env),
		cmocka_unit_test_setup(test_data_and_relative_paths, setup_env),
		cmocka_unit_test_setup(test_token_file_rotation, setup_env),
		cmocka_unit_test_setup(test_in_cluster, setup_env),
		cmocka_unit_test(test_resources_and_paths),
		cmocka_unit_test(test_status_errors),
		cmocka_unit_test(test_version_priority),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
