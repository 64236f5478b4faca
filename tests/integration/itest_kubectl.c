/* The real kubectl against the simulated Kubernetes API server: an httpd
 * with TLS and token auth serving sim_kube in-process, a kubeconfig with
 * certificate-authority-data, a fresh HOME and KUBECACHEDIR. Every verb
 * exercised is printed. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "latticectl/httpd.h"
#include "latticectl/json.h"
#include "latticectl/strbuf.h"
#include "latticectl/timeutil.h"
#include "latticectl/xmalloc.h"
#include "testlib.h"
#include "../../src/sim/sim_kube.h"
#include "../../src/sim/sim_tls.h"

#define TOKEN		"itest-admin-token"
#define KUBECTL_TIMEOUT_MS	90000

struct env {
	struct sim_kube	*k;
	struct httpd	*h;
	struct sim_tls	 tls;
	char		*dir;
	char		 kubeconfig[512];
	char		 home[512];
	char		 cache[512];
	const char	*ref;
};

static struct env *g_env;

/* Whether kubectl is on PATH. */
static int
have_kubectl(void)
{
	const char	*path = getenv("PATH");
	char		*copy, *p, *save = NULL, cand[1024];
	int		 found = 0;

	if (path == NULL)
		path = "/usr/bin:/bin";
	copy = xstrdup(path);
	for (p = strtok_r(copy, ":", &save); p != NULL && !found;
	    p = strtok_r(NULL, ":", &save)) {
		snprintf(cand, sizeof cand, "%s/kubectl", p);
		found = access(cand, X_OK) == 0;
	}
	free(copy);
	return found;
}

/* Set up the child's environment and exec kubectl. */
static void
child_exec(struct env *e, char **argv, int outfd)
{
	dup2(outfd, 1);
	dup2(outfd, 2);
	setenv("HOME", e->home, 1);
	setenv("KUBECONFIG", e->kubeconfig, 1);
	setenv("KUBECACHEDIR", e->cache, 1);
	unsetenv("KUBERNETES_SERVICE_HOST");
	unsetenv("HTTPS_PROXY");
	unsetenv("https_proxy");
	setenv("NO_PROXY", "127.0.0.1,localhost", 1);
	execvp("kubectl", argv);
	_exit(127);
}

/* Start kubectl with argv (argv[0] ignored); *fd reads its output. */
static pid_t
kubectl_start(struct env *e, char **argv, int *fd)
{
	int	p[2];
	pid_t	pid;

	if (pipe(p) != 0)
		return -1;
	argv[0] = "kubectl";
	if ((pid = fork()) == 0) {
		close(p[0]);
		child_exec(e, argv, p[1]);
	}
	close(p[1]);
	*fd = p[0];
	return pid;
}

/* Read what is available from fd into out (waits up to ms). */
static int
read_some(int fd, struct strbuf *out, int ms)
{
	fd_set		rs;
	struct timeval	tv;
	char		buf[8192];
	ssize_t		n;

	FD_ZERO(&rs);
	FD_SET(fd, &rs);
	tv.tv_sec = ms / 1000;
	tv.tv_usec = (ms % 1000) * 1000;
	if (select(fd + 1, &rs, NULL, NULL, &tv) <= 0)
		return 0;
	n = read(fd, buf, sizeof buf);
	if (n <= 0)
		return -1;
	strbuf_add(out, buf, (size_t)n);
	return 1;
}

/* Run kubectl to completion; the exit status, output in out. */
static int
kubectl_argv(struct env *e, struct strbuf *out, char **argv)
{
	uint64_t	deadline = time_mono_ms() + KUBECTL_TIMEOUT_MS;
	int		fd, status = -1;
	pid_t		pid;

	strbuf_reset(out);
	if ((pid = kubectl_start(e, argv, &fd)) < 0)
		return -1;
	while (read_some(fd, out, 200) >= 0 && time_mono_ms() < deadline)
		;
	if (time_mono_ms() >= deadline)
		kill(pid, SIGKILL);
	close(fd);
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* Run kubectl with a NULL-terminated list of arguments. */
static int
kubectl(struct strbuf *out, ...)
{
	char	*argv[64];
	va_list	 ap;
	int	 n = 1;

	va_start(ap, out);
	while (n < 63 && (argv[n] = va_arg(ap, char *)) != NULL)
		n++;
	va_end(ap);
	argv[n] = NULL;
	return kubectl_argv(g_env, out, argv);
}

/* Run and require success; prints the verb. */
static void
must(const char *verb, struct strbuf *out, int rc)
{
	if (rc != 0)
		fail_msg("kubectl %s failed (%d): %s", verb, rc, out->buf);
	printf("kubectl %s: ok\n", verb);
}

/* Write a manifest into the temp dir; returns its path (static buffer). */
static const char *
manifest(const char *name, const char *text)
{
	static char	path[4][600];
	static int	which;
	char		*p = path[which++ % 4];

	snprintf(p, 600, "%s/%s", g_env->dir, name);
	assert_int_equal(test_write_file(p, text, 0600), 0);
	return p;
}

/* Write the kubeconfig (0600) with the CA and the token. */
static void
write_kubeconfig(struct env *e)
{
	char	*ca, *text;
	size_t	 len = strlen(e->tls.ca_cert_pem);

	ca = xmalloc(4 * ((len + 2) / 3) + 1);
	EVP_EncodeBlock((unsigned char *)ca, (const unsigned char *)
	    e->tls.ca_cert_pem, (int)len);
	xasprintf(&text, "apiVersion: v1\nkind: Config\nclusters:\n"
	    "- name: sim\n"
	    "  cluster:\n    server: https://127.0.0.1:%d\n"
	    "    certificate-authority-data: %s\nusers:\n- name: admin\n"
	    "  user:\n    token: %s\ncontexts:\n- name: sim\n  context:\n"
	    "    cluster: sim\n    user: admin\n    namespace: default\n"
	    "current-context: sim\n", httpd_port(e->h), ca, TOKEN);
	snprintf(e->kubeconfig, sizeof e->kubeconfig, "%s/kubeconfig", e->dir);
	assert_int_equal(test_write_file(e->kubeconfig, text, 0600), 0);
	free(ca);
	free(text);
}

/* Group setup: the server and the kubectl environment. */
static int
setup(void **state)
{
	static const char *const tokens[] = { TOKEN, NULL };
	struct sim_kube_opts	 ko;
	struct httpd_opts	 ho;
	struct env		*e;
	char			*cause = NULL;

	if (!have_kubectl()) {
		printf("SKIP: kubectl not found on PATH\n");
		*state = NULL;
		return 0;
	}
	e = xcalloc(1, sizeof *e);
	memset(&ko, 0, sizeof ko);
	ko.tokens = tokens;
	ko.pod_ready_ms = 300;
	e->k = sim_kube_new(&ko);
	if (sim_tls_generate(&e->tls, NULL, 1, &cause) != 0)
		fail_msg("tls: %s", cause);
	memset(&ho, 0, sizeof ho);
	ho.listen = "127.0.0.1:0";
	ho.tls_cert_pem = e->tls.cert_pem;
	ho.tls_key_pem = e->tls.key_pem;
	if ((e->h = httpd_start(&ho, sim_kube_handle, e->k, &cause)) == NULL)
		fail_msg("httpd: %s", cause);
	e->dir = test_tmpdir();
	snprintf(e->home, sizeof e->home, "%s/home", e->dir);
	snprintf(e->cache, sizeof e->cache, "%s/cache", e->dir);
	mkdir(e->home, 0700);
	write_kubeconfig(e);
	e->ref = test_reference_dir();
	g_env = e;
	*state = e;
	return 0;
}

/* Group teardown. */
static int
teardown(void **state)
{
	struct env	*e = *state;

	if (e == NULL)
		return 0;
	httpd_stop(e->h);
	sim_kube_free(e->k);
	sim_tls_free(&e->tls);
	test_rm_tree(e->dir);
	free(e);
	return 0;
}

#define NEED_ENV(state) do { \
	if (*(state) == NULL) { \
		printf("SKIP: kubectl not found on PATH\n"); \
		skip(); \
	} \
} while (0)

/* get (table), version, create namespace, create/get configmaps. */
static void
test_basic_verbs(void **state)
{
	struct strbuf	out;

	NEED_ENV(state);
	strbuf_init(&out);
	must("version", &out, kubectl(&out, "version", "-o", "json", NULL));
	assert_non_null(strstr(out.buf, "\"serverVersion\""));
	must("get namespaces (table)", &out, kubectl(&out, "get",
	    "namespaces", NULL));
	assert_non_null(strstr(out.buf, "NAME"));
	assert_non_null(strstr(out.buf, "STATUS"));
	assert_non_null(strstr(out.buf, "Active"));
	assert_non_null(strstr(out.buf, "kube-system"));
	must("create namespace", &out, kubectl(&out, "create", "namespace",
	    "lab", NULL));
	must("create configmap", &out, kubectl(&out, "-n", "lab", "create",
	    "configmap", "cm1", "--from-literal=a=1", NULL));
	must("get -o yaml", &out, kubectl(&out, "-n", "lab", "get", "cm",
	    "cm1", "-o", "yaml", NULL));
	assert_non_null(strstr(out.buf, "a: \"1\""));
	assert_non_null(strstr(out.buf, "resourceVersion:"));
	must("get -o json", &out, kubectl(&out, "-n", "lab", "get",
	    "configmaps", "-o", "json", NULL));
	assert_non_null(strstr(out.buf, "\"kind\": \"List\""));
	assert_non_null(strstr(out.buf, "\"cm1\""));
	must("get nodes", &out, kubectl(&out, "get", "nodes", NULL));
	assert_non_null(strstr(out.buf, "Ready"));
	assert_int_not_equal(kubectl(&out, "-n", "lab", "get", "cm", "nope",
	    NULL), 0);
	assert_non_null(strstr(out.buf, "NotFound"));
	printf("kubectl get (missing object -> NotFound): ok\n");
	strbuf_free(&out);
}

/* patch (merge, json), label, annotate. */
static void
test_patch_label_annotate(void **state)
{
	struct strbuf	out;

	NEED_ENV(state);
	strbuf_init(&out);
	must("patch --type merge", &out, kubectl(&out, "-n", "lab", "patch",
	    "cm", "cm1", "--type", "merge", "-p", "{\"data\":{\"b\":\"2\"}}",
	    NULL));
	must("patch --type json", &out, kubectl(&out, "-n", "lab", "patch",
	    "cm", "cm1", "--type", "json", "-p",
	    "[{\"op\":\"add\",\"path\":\"/data/c\",\"value\":\"3\"}]", NULL));
	must("label", &out, kubectl(&out, "-n", "lab", "label", "cm", "cm1",
	    "env=dev", NULL));
	must("annotate", &out, kubectl(&out, "-n", "lab", "annotate", "cm",
	    "cm1", "note=hello", NULL));
	must("get -l (label selector)", &out, kubectl(&out, "-n", "lab", "get",
	    "cm", "-l", "env in (dev,prod)", "-o",
	    "jsonpath={.items[*].metadata.name}", NULL));
	assert_string_equal(out.buf, "cm1");
	must("get -o jsonpath", &out, kubectl(&out, "-n", "lab", "get", "cm",
	    "cm1", "-o", "jsonpath={.data.b}{.data.c}"
	    "{.metadata.annotations.note}", NULL));
	assert_string_equal(out.buf, "23hello");
	must("label --overwrite / remove", &out, kubectl(&out, "-n", "lab",
	    "label", "cm", "cm1", "env-", NULL));
	strbuf_free(&out);
}

static const char *app_yaml = "apiVersion: apps/v1\nkind: Deployment\nmetadata:"
    "\n  name: web\n  namespace: lab\nspec:\n  replicas: %d\n  selector:\n    "
    "matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n "
    "       app: web\n    spec:\n      containers:\n      - name: web\n        "
    "image: nginx\n        ports:\n        - containerPort: 8090\n          "
    "name: http\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  "
    "namespace: lab\nspec:\n  selector:\n    app: web\n  ports:\n  - name: "
    "http\n    port: 80\n    targetPort: http\n";

/* Poll kubectl until its output equals want (bounded). */
static int
wait_output(struct strbuf *out, const char *want, char **argv)
{
	int	i;

	for (i = 0; i < 60; i++) {
		if (kubectl_argv(g_env, out, argv) == 0 &&
		    strcmp(out->buf, want) == 0)
			return 1;
		time_sleep_ms(250);
	}
	return 0;
}

/* apply -f (create, then configure), pods Ready, endpoint slices. */
static void
test_apply_workload(void **state)
{
	struct strbuf	 out;
	char		*text;
	char		*pods[] = { NULL, "-n", "lab", "get", "pods", "-o",
			    "jsonpath={range .items[*]}{.status.phase} {end}",
			        NULL };
	char		*eps[] = { NULL, "-n", "lab", "get", "endpointslices",
			    "-l", "kubernetes.io/service-name=web", "-o",
			    "jsonpath={.items[0].endpoints["
			        "*].conditions.ready}", NULL };

	NEED_ENV(state);
	strbuf_init(&out);
	xasprintf(&text, app_yaml, 1);
	must("apply -f (create, client-side validation)", &out, kubectl(&out,
	    "apply", "-f", manifest("app.yaml", text), NULL));
	assert_non_null(strstr(out.buf, "deployment.apps/web created"));
	assert_non_null(strstr(out.buf, "service/web created"));
	free(text);
	xasprintf(&text, app_yaml, 2);
	must("apply -f (configure)", &out, kubectl(&out, "apply", "-f",
	    manifest("app.yaml", text), NULL));
	assert_non_null(strstr(out.buf, "deployment.apps/web configured"));
	assert_non_null(strstr(out.buf, "service/web unchanged"));
	free(text);
	assert_true(wait_output(&out, "Running Running ", pods));
	printf("kubectl get pods (Deployment -> 2 Running pods): ok\n");
	assert_true(wait_output(&out, "true true", eps));
	printf("kubectl get endpointslices (2 ready endpoints): ok\n");
	must("get pods -o wide", &out, kubectl(&out, "-n", "lab", "get", "pods",
	    "-o", "wide", NULL));
	assert_non_null(strstr(out.buf, "10.244."));
	assert_non_null(strstr(out.buf, "1/1"));
	must("get svc,deploy", &out, kubectl(&out, "-n", "lab", "get",
	    "svc,deploy", NULL));
	assert_non_null(strstr(out.buf, "80/TCP"));
	assert_non_null(strstr(out.buf, "2/2"));
	must("apply --server-side", &out, kubectl(&out, "apply",
	    "--server-side", "-f", manifest("ssa.yaml", "apiVersion: v1\n"
	    "kind: ConfigMap\nmetadata:\n  name: ssa\n  namespace: lab\n"
	    "data:\n  k: v\n"), NULL));
	assert_non_null(strstr(out.buf, "serverside-applied"));
	must("create -f", &out, kubectl(&out, "create", "-f",
	    manifest("sa.yaml", "apiVersion: v1\nkind: ServiceAccount\n"
	    "metadata:\n  name: robot\n  namespace: lab\n"), NULL));
	assert_int_not_equal(kubectl(&out, "create", "-f",
	    manifest("sa.yaml", "apiVersion: v1\nkind: ServiceAccount\n"
	    "metadata:\n  name: robot\n  namespace: lab\n"), NULL), 0);
	assert_non_null(strstr(out.buf, "AlreadyExists"));
	printf("kubectl create (existing -> AlreadyExists): ok\n");
	strbuf_free(&out);
}

/* delete, with a finalizer holding the object. */
static void
test_delete_finalizer(void **state)
{
	struct strbuf	out;

	NEED_ENV(state);
	strbuf_init(&out);
	must("apply (object with finalizer)", &out, kubectl(&out, "apply", "-f",
	    manifest("fin.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n"
	    "  name: fin\n  namespace: lab\n  finalizers:\n"
	    "  - example.com/hold\n"), NULL));
	must("delete --wait=false (finalizer pending)", &out, kubectl(&out,
	    "-n", "lab", "delete", "cm", "fin", "--wait=false", NULL));
	must("get deletionTimestamp", &out, kubectl(&out, "-n", "lab", "get",
	    "cm", "fin", "-o", "jsonpath={.metadata.deletionTimestamp}", NULL));
	assert_true(out.len >= 20);
	must("patch (remove finalizer)", &out, kubectl(&out, "-n", "lab",
	    "patch", "cm", "fin", "--type", "json", "-p",
	    "[{\"op\":\"remove\",\"path\":\"/metadata/finalizers\"}]", NULL));
	assert_int_not_equal(kubectl(&out, "-n", "lab", "get", "cm", "fin",
	    NULL), 0);
	assert_non_null(strstr(out.buf, "NotFound"));
	must("delete", &out, kubectl(&out, "-n", "lab", "delete", "cm", "cm1",
	    NULL));
	assert_non_null(strstr(out.buf, "deleted"));
	strbuf_free(&out);
}

/* get -w: an event arrives on the stream. */
static void
test_watch(void **state)
{
	struct strbuf	 out, w;
	char		*argv[] = { NULL, "-n", "lab", "get", "cm", "-w",
			    "--request-timeout=60s", NULL };
	uint64_t	 deadline;
	int		 fd, status;
	pid_t		 pid;

	NEED_ENV(state);
	strbuf_init(&out);
	strbuf_init(&w);
	pid = kubectl_start(g_env, argv, &fd);
	assert_true(pid > 0);
	deadline = time_mono_ms() + 30000;
	while (strstr(w.buf, "ssa") == NULL && time_mono_ms() < deadline)
		read_some(fd, &w, 200);
	must("create (while watching)", &out, kubectl(&out, "-n", "lab",
	    "create", "configmap", "watched", NULL));
	while (strstr(w.buf, "watched") == NULL && time_mono_ms() < deadline)
		if (read_some(fd, &w, 200) < 0)
			break;
	kill(pid, SIGTERM);
	close(fd);
	waitpid(pid, &status, 0);
	if (strstr(w.buf, "watched") == NULL)
		fail_msg("kubectl get -w saw no event: %s", w.buf);
	printf("kubectl get -w: ok\n");
	strbuf_free(&w);
	strbuf_free(&out);
}

/* The real CRDs (server-side: the big ones exceed the annotation limit
 * of client-side apply), then the reference examples. */
static void
test_crds_and_examples(void **state)
{
	struct strbuf	 out;
	char		 gw[600], aws[600], ex[600], p1[700], p2[700];
	const char	*ref = g_env->ref;

	NEED_ENV(state);
	if (ref == NULL) {
		printf("SKIP: ../shared/reference not found\n");
		skip();
	}
	strbuf_init(&out);
	snprintf(gw, sizeof gw, "%s/crds/gateway-api-v1.5.1", ref);
	snprintf(aws, sizeof aws, "%s/crds/aws-application-networking", ref);
	snprintf(ex, sizeof ex, "%s/examples", ref);
	must("apply --server-side -f (Gateway API CRDs)", &out, kubectl(&out,
	    "apply", "--server-side", "-f", gw, NULL));
	assert_non_null(strstr(out.buf, "httproutes.gateway.networking.k8s.io "
	    "serverside-applied"));
	must("apply -f (AWS CRDs, client-side)", &out, kubectl(&out, "apply",
	    "-f", aws, NULL));
	assert_non_null(strstr(out.buf, "created"));
	snprintf(p1, sizeof p1, "%s/my-hotel-gateway.yaml", ex);
	snprintf(p2, sizeof p2, "%s/rate-route-path.yaml", ex);
	must("apply -f (Gateway example)", &out, kubectl(&out, "apply", "-f",
	    p1, NULL));
	must("apply -f (HTTPRoute example)", &out, kubectl(&out, "apply",
	    "-f", p2, NULL));
	snprintf(p1, sizeof p1, "%s/parking.yaml", ex);
	snprintf(p2, sizeof p2, "%s/inventory-ver2-export.yaml", ex);
	must("apply -f (parking workload)", &out, kubectl(&out, "apply", "-f",
	    p1, NULL));
	must("apply -f (ServiceExport)", &out, kubectl(&out, "apply", "-f",
	    p2, NULL));
	must("get gateway", &out, kubectl(&out, "get", "gateway", NULL));
	assert_non_null(strstr(out.buf, "my-hotel"));
	assert_non_null(strstr(out.buf, "amazon-vpc-lattice"));
	must("get httproute", &out, kubectl(&out, "get", "httproute", "rates",
	    "-o", "yaml", NULL));
	assert_non_null(strstr(out.buf, "PathPrefix"));
	must("get serviceexport", &out, kubectl(&out, "get", "serviceexports",
	    NULL));
	assert_non_null(strstr(out.buf, "inventory-ver2"));
	/* re-applying sends the defaulted lists back (as against a real
	 * server); the object must not change: generation stays 1 */
	snprintf(p2, sizeof p2, "%s/rate-route-path.yaml", ex);
	must("apply -f (again)", &out, kubectl(&out, "apply", "-f", p2, NULL));
	must("get generation", &out, kubectl(&out, "get", "httproute", "rates",
	    "-o", "jsonpath={.metadata.generation}", NULL));
	assert_string_equal(out.buf, "1");
	snprintf(p1, sizeof p1, "%s/inventory-ver2-export.yaml", ex);
	must("apply -f (again: unchanged)", &out, kubectl(&out, "apply", "-f",
	    p1, NULL));
	assert_non_null(strstr(out.buf, "unchanged"));
	must("delete -f", &out, kubectl(&out, "delete", "-f", p2, NULL));
	must("get crd", &out, kubectl(&out, "get", "crd", NULL));
	assert_non_null(strstr(out.buf, "gateways.gateway.networking.k8s.io"));
	strbuf_free(&out);
}

/* Namespace deletion removes its objects. */
static void
test_namespace_delete(void **state)
{
	struct strbuf	out;

	NEED_ENV(state);
	strbuf_init(&out);
	must("delete namespace", &out, kubectl(&out, "delete", "namespace",
	    "lab", "--timeout=60s", NULL));
	assert_int_not_equal(kubectl(&out, "get", "namespace", "lab", NULL), 0);
	assert_non_null(strstr(out.buf, "NotFound"));
	strbuf_free(&out);
}

/* A wrong token is refused with 401. */
static void
test_unauthorized(void **state)
{
	struct strbuf	 out;
	char		*text, *bad;

	NEED_ENV(state);
	strbuf_init(&out);
	text = test_read_file(g_env->kubeconfig, NULL);
	assert_non_null(text);
	bad = xstrdup(text);
	memcpy(strstr(bad, TOKEN), "wrong", 5);
	assert_int_equal(test_write_file(g_env->kubeconfig, bad, 0600), 0);
	free(bad);
	assert_int_not_equal(kubectl(&out, "get", "pods", NULL), 0);
	assert_true(strstr(out.buf, "Unauthorized") != NULL ||
	    strstr(out.buf, "provide credentials") != NULL);
	printf("kubectl with a wrong token -> Unauthorized: ok\n");
	assert_int_equal(test_write_file(g_env->kubeconfig, text, 0600), 0);
	free(text);
	strbuf_free(&out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_basic_verbs),
		cmocka_unit_test(test_patch_label_annotate),
		cmocka_unit_test(test_apply_workload),
		cmocka_unit_test(test_delete_finalizer),
		cmocka_unit_test(test_watch),
		cmocka_unit_test(test_crds_and_examples),
		cmocka_unit_test(test_namespace_delete),
		cmocka_unit_test(test_unauthorized),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, setup, teardown);
}
