/* The kube REST client against the simulated Kubernetes API over TLS
 * (sim_kube in-process behind httpd): kubeconfig + bearer token, CRUD,
 * list paging, patches, /status, finalizers, typed 404/409 errors,
 * discovery before and after installing CRDs, a watch stream. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <openssl/evp.h>

#include "latticectl/httpd.h"
#include "latticectl/json.h"
#include "latticectl/kube.h"
#include "latticectl/strbuf.h"
#include "latticectl/xmalloc.h"
#include "latticectl/yaml.h"
#include "testlib.h"
#include "../../src/sim/sim_kube.h"
#include "../../src/sim/sim_tls.h"

#define TOKEN	"itest-kube-client-token"
#define GW_CRDS	"gateway-api-v1.5.1/gateway.networking.k8s.io_"

struct env {
	struct sim_kube		*k;
	struct httpd		*h;
	struct sim_tls		 tls;
	char			*dir;
	char			*kubeconfig;
	struct kube_client	*kc;
};

/* Write a kubeconfig for the server with the given token. */
static char *
write_kubeconfig(struct env *e, const char *name, const char *token)
{
	unsigned char	*ca;
	size_t		 len = strlen(e->tls.ca_cert_pem);
	char		*text, *path;

	ca = xmalloc((len + 2) / 3 * 4 + 1);
	EVP_EncodeBlock(ca, (const unsigned char *)e->tls.ca_cert_pem,
	    (int)len);
	xasprintf(&text, "apiVersion: v1\nkind: Config\n"
	    "clusters:\n- name: sim\n  cluster:\n"
	    "    server: https://127.0.0.1:%d\n"
	    "    certificate-authority-data: %s\n"
	    "users:\n- name: admin\n  user:\n    token: %s\n"
	    "contexts:\n- name: sim\n  context: {cluster: sim, user: admin, "
	    "namespace: itest}\ncurrent-context: sim\n", httpd_port(e->h), ca,
	    token);
	xasprintf(&path, "%s/%s", e->dir, name);
	assert_int_equal(test_write_file(path, text, 0600), 0);
	free(ca);
	free(text);
	return path;
}

/* A client from a kubeconfig file. */
static struct kube_client *
client_from(const char *kubeconfig)
{
	struct kube_config_opts	 o;
	struct kube_conn	*c;
	struct kube_client	*kc;
	char			*cause = NULL;

	memset(&o, 0, sizeof o);
	o.kubeconfig = kubeconfig;
	if (kube_conn_load(&o, &c, &cause) != 0)
		fail_msg("kubeconfig: %s", cause);
	if ((kc = kube_client_new(c, &cause)) == NULL)
		fail_msg("client: %s", cause);
	return kc;
}

/* Group setup: TLS simulator, kubeconfig, client, namespace "itest". */
static int
setup(void **state)
{
	static const char *const tokens[] = { TOKEN, NULL };
	struct sim_kube_opts	 ko;
	struct httpd_opts	 ho;
	struct kube_error	 err;
	struct env		*e;
	cJSON			*ns;
	char			*cause = NULL;

	e = xcalloc(1, sizeof *e);
	memset(&ko, 0, sizeof ko);
	ko.tokens = tokens;
	ko.no_controllers = 1;
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
	e->kubeconfig = write_kubeconfig(e, "kubeconfig", TOKEN);
	e->kc = client_from(e->kubeconfig);
	memset(&err, 0, sizeof err);
	ns = cJSON_Parse("{\"apiVersion\":\"v1\",\"kind\":\"Namespace\","
	    "\"metadata\":{\"name\":\"itest\"}}");
	if (kube_create(e->kc, &KUBE_RES_NAMESPACES, NULL, ns, NULL, &err) != 0)
		fail_msg("namespace: %s", err.message);
	cJSON_Delete(ns);
	*state = e;
	return 0;
}

/* Group teardown. */
static int
teardown(void **state)
{
	struct env	*e = *state;

	kube_client_free(e->kc);
	httpd_stop(e->h);
	sim_kube_free(e->k);
	sim_tls_free(&e->tls);
	test_rm_tree(e->dir);
	free(e->kubeconfig);
	free(e);
	return 0;
}

/* A ConfigMap object (caller deletes). */
static cJSON *
configmap(const char *name, const char *label)
{
	cJSON	*o;
	char	*text;

	xasprintf(&text, "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\","
	    "\"metadata\":{\"name\":\"%s\",\"labels\":{\"set\":\"%s\"}},"
	    "\"data\":{\"k\":\"v\"}}", name, label);
	o = cJSON_Parse(text);
	free(text);
	return o;
}

/* Create, get, update, conflict, already-exists, delete, not-found. */
static void
test_crud(void **state)
{
	struct env		*e = *state;
	struct kube_error	 err;
	cJSON			*obj, *out, *got;
	char			*rv;

	memset(&err, 0, sizeof err);
	obj = configmap("crud", "a");
	if (kube_create(e->kc, &KUBE_RES_CONFIGMAPS, NULL, obj, &out, &err) != 0)
		fail_msg("create: %s", err.message);
	assert_string_equal(json_path_str(out, "metadata.namespace"), "itest");
	assert_non_null(json_path_str(out, "metadata.uid"));
	rv = xstrdup(json_path_str(out, "metadata.resourceVersion"));
	cJSON_Delete(out);

	assert_int_equal(kube_create(e->kc, &KUBE_RES_CONFIGMAPS, "itest", obj,
	    NULL, &err), -1);
	assert_true(kube_error_is_already_exists(&err));
	assert_string_equal(err.name, "crud");
	cJSON_Delete(obj);

	assert_int_equal(kube_get(e->kc, &KUBE_RES_CONFIGMAPS, "itest", "crud",
	    &got, &err), 0);
	assert_string_equal(json_path_str(got, "data.k"), "v");
	cJSON_ReplaceItemInObject(cJSON_GetObjectItem(got, "data"), "k",
	    cJSON_CreateString("v2"));
	assert_int_equal(kube_update(e->kc, &KUBE_RES_CONFIGMAPS, NULL, got,
	    &out, &err), 0);
	assert_string_equal(json_path_str(out, "data.k"), "v2");
	assert_string_not_equal(json_path_str(out, "metadata.resourceVersion"),
	    rv);
	cJSON_Delete(out);
	/* got still carries the old resourceVersion: a stale write. */
	assert_int_equal(kube_update(e->kc, &KUBE_RES_CONFIGMAPS, NULL, got,
	    NULL, &err), -1);
	assert_true(kube_error_is_conflict(&err));
	assert_int_equal(err.status, 409);
	cJSON_Delete(got);
	free(rv);

	assert_int_equal(kube_delete(e->kc, &KUBE_RES_CONFIGMAPS, "itest",
	    "crud", "Background", &err), 0);
	assert_int_equal(kube_get(e->kc, &KUBE_RES_CONFIGMAPS, "itest", "crud",
	    &got, &err), -1);
	assert_null(got);
	assert_true(kube_error_is_not_found(&err));
	assert_string_equal(err.reason, "NotFound");
	assert_string_equal(err.name, "crud");
	assert_int_equal(kube_delete(e->kc, &KUBE_RES_CONFIGMAPS, "itest",
	    "crud", NULL, &err), -1);
	assert_true(kube_error_is_not_found(&err));
	kube_error_clear(&err);
}

/* Paging follows continue to the end; selectors filter. */
static void
test_list_paging(void **state)
{
	struct env		*e = *state;
	struct kube_list_opts	 lo;
	struct kube_error	 err;
	cJSON			*obj, *items, *it;
	char			 name[32], *rv;
	int			 i, seen[10];

	memset(&err, 0, sizeof err);
	for (i = 0; i < 10; i++) {
		snprintf(name, sizeof name, "page-%d", i);
		obj = configmap(name, i % 2 == 0 ? "even" : "odd");
		assert_int_equal(kube_create(e->kc, &KUBE_RES_CONFIGMAPS,
		    "itest", obj, NULL, &err), 0);
		cJSON_Delete(obj);
	}
	memset(&lo, 0, sizeof lo);
	lo.limit = 3;
	lo.label_selector = "set in (even,odd)";
	assert_int_equal(kube_list_all(e->kc, &KUBE_RES_CONFIGMAPS, "itest",
	    &lo, &items, &rv, &err), 0);
	assert_int_equal(cJSON_GetArraySize(items), 10);
	assert_non_null(rv);
	assert_true(*rv != '\0');
	memset(seen, 0, sizeof seen);
	cJSON_ArrayForEach(it, items) {
		assert_string_equal(json_str(it, "kind"), "ConfigMap");
		assert_string_equal(json_str(it, "apiVersion"), "v1");
		assert_int_equal(sscanf(json_path_str(it, "metadata.name"),
		    "page-%d", &i), 1);
		seen[i]++;
	}
	for (i = 0; i < 10; i++)
		assert_int_equal(seen[i], 1);
	cJSON_Delete(items);
	free(rv);

	lo.label_selector = "set=even";
	assert_int_equal(kube_list_all(e->kc, &KUBE_RES_CONFIGMAPS, NULL, &lo,
	    &items, NULL, &err), 0);
	assert_int_equal(cJSON_GetArraySize(items), 5);
	cJSON_Delete(items);
	kube_error_clear(&err);
}

/* Merge, JSON (with a failing test op), strategic and apply patches. */
static void
test_patches(void **state)
{
	struct env		*e = *state;
	struct kube_error	 err;
	const cJSON		*mf;
	cJSON			*obj, *out;
	int			 found;

	memset(&err, 0, sizeof err);
	obj = configmap("patchme", "p");
	assert_int_equal(kube_create(e->kc, &KUBE_RES_CONFIGMAPS, "itest", obj,
	    NULL, &err), 0);
	cJSON_Delete(obj);
	assert_int_equal(kube_patch(e->kc, &KUBE_RES_CONFIGMAPS, "itest",
	    "patchme", NULL, KUBE_PATCH_MERGE,
	    "{\"data\":{\"k\":null,\"m\":\"merged\"}}", NULL, 0, &out, &err), 0);
	assert_null(json_path(out, "data.k"));
	assert_string_equal(json_path_str(out, "data.m"), "merged");
	cJSON_Delete(out);

	assert_int_equal(kube_patch(e->kc, &KUBE_RES_CONFIGMAPS, "itest",
	    "patchme", NULL, KUBE_PATCH_JSON,
	    "[{\"op\":\"test\",\"path\":\"/data/m\",\"value\":\"merged\"},"
	    "{\"op\":\"add\",\"path\":\"/data/j\",\"value\":\"json\"}]", NULL, 0,
	    &out, &err), 0);
	assert_string_equal(json_path_str(out, "data.j"), "json");
	cJSON_Delete(out);
	assert_int_equal(kube_patch(e->kc, &KUBE_RES_CONFIGMAPS, "itest",
	    "patchme", NULL, KUBE_PATCH_JSON,
	    "[{\"op\":\"test\",\"path\":\"/data/m\",\"value\":\"other\"}]", NULL,
	    0, &out, &err), -1);
	assert_null(out);
	assert_true(err.status >= 400);
	assert_non_null(err.reason);

	assert_int_equal(kube_patch(e->kc, &KUBE_RES_CONFIGMAPS, "itest",
	    "patchme", NULL, KUBE_PATCH_STRATEGIC,
	    "{\"metadata\":{\"labels\":{\"smp\":\"yes\"}}}", NULL, 0, &out,
	    &err), 0);
	assert_string_equal(json_path_str(out, "metadata.labels.smp"), "yes");
	assert_string_equal(json_path_str(out, "metadata.labels.set"), "p");
	cJSON_Delete(out);

	/* Server-side apply creates a missing object. */
	assert_int_equal(kube_patch(e->kc, &KUBE_RES_CONFIGMAPS, "itest",
	    "applied", NULL, KUBE_PATCH_APPLY,
	    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: applied\n"
	    "data:\n  owner: latticectl\n", "latticectl-itest", 1, &out,
	    &err), 0);
	assert_string_equal(json_path_str(out, "data.owner"), "latticectl");
	cJSON_Delete(out);
	assert_int_equal(kube_get(e->kc, &KUBE_RES_CONFIGMAPS, "itest",
	    "applied", &out, &err), 0);
	found = 0;
	cJSON_ArrayForEach(mf, json_path(out, "metadata.managedFields")) {
		if (json_str(mf, "manager") != NULL &&
		    strcmp(json_str(mf, "manager"), "latticectl-itest") == 0)
			found = 1;
	}
	assert_true(found);
	cJSON_Delete(out);
	kube_error_clear(&err);
}

/* Install a CRD from the reference set through the client. */
static void
install_crd(struct env *e, const char *rel)
{
	struct kube_error	 err;
	cJSON			*docs;
	char			*path, *cause = NULL;
	const char		*ref = test_reference_dir();

	if (ref == NULL)
		fail_msg("reference directory not found");
	xasprintf(&path, "%s/crds/%s", ref, rel);
	if (yaml_load_file(path, &docs, &cause) != 0)
		fail_msg("%s", cause);
	memset(&err, 0, sizeof err);
	if (kube_create(e->kc, &KUBE_RES_CRDS, NULL,
	    cJSON_GetArrayItem(docs, 0), NULL, &err) != 0 &&
	    !kube_error_is_already_exists(&err))
		fail_msg("CRD %s: %s", rel, err.message);
	kube_error_clear(&err);
	cJSON_Delete(docs);
	free(path);
}

/* Missing CRDs are named; once installed, v1 beats v1beta1. */
static void
test_discovery(void **state)
{
	struct env		*e = *state;
	struct kube_resource	 r;
	char			*v, *cause = NULL;

	assert_int_equal(kube_discover(e->kc, "", "configmaps", &v, &cause), 0);
	assert_string_equal(v, "v1");
	free(v);
	assert_int_equal(kube_discover(e->kc, "coordination.k8s.io", "leases",
	    &v, &cause), 0);
	assert_string_equal(v, "v1");
	free(v);
	assert_int_equal(kube_resource_resolve(e->kc, &KUBE_RES_HTTPROUTES, &r,
	    &cause), 1);
	assert_non_null(strstr(cause, "httproutes.gateway.networking.k8s.io"));
	assert_non_null(strstr(cause, "CRD"));
	xfree_ptr(&cause);

	install_crd(e, GW_CRDS "httproutes.yaml");
	install_crd(e, GW_CRDS "referencegrants.yaml");
	kube_discovery_invalidate(e->kc);
	if (kube_resource_resolve(e->kc, &KUBE_RES_HTTPROUTES, &r, &cause) != 0)
		fail_msg("resolve: %s", cause);
	assert_string_equal(r.version, "v1");
	/* referencegrants: served as v1 and v1beta1 (storage); v1 wins. */
	assert_int_equal(kube_discover(e->kc, "gateway.networking.k8s.io",
	    "referencegrants", &v, &cause), 0);
	assert_string_equal(v, "v1");
	free(v);
}

/* /status: status writes keep generation; spec writes ignore status;
 * a finalizer makes DELETE answer 202 and set deletionTimestamp. */
static void
test_status_and_finalizers(void **state)
{
	struct env		*e = *state;
	struct kube_error	 err;
	cJSON			*obj, *out, *st;
	int64_t			 gen1 = 0, gen2 = 0;
	char			*cause = NULL;
	long			 status = 0;
	char			*path;

	memset(&err, 0, sizeof err);
	install_crd(e, GW_CRDS "httproutes.yaml");
	kube_discovery_invalidate(e->kc);
	{
		struct kube_resource r;

		if (kube_resource_resolve(e->kc, &KUBE_RES_HTTPROUTES, &r,
		    &cause) != 0)
			fail_msg("resolve: %s", cause);
	}
	obj = cJSON_Parse("{\"apiVersion\":\"gateway.networking.k8s.io/v1\","
	    "\"kind\":\"HTTPRoute\",\"metadata\":{\"name\":\"rt\","
	    "\"finalizers\":[\"httproute.k8s.aws/resources\"]},\"spec\":"
	    "{\"parentRefs\":[{\"name\":\"gw\"}]}}");
	if (kube_create(e->kc, &KUBE_RES_HTTPROUTES, "itest", obj, &out,
	    &err) != 0)
		fail_msg("create route: %s", err.message);
	cJSON_Delete(obj);
	assert_int_equal(json_int(json_path(out, "metadata"), "generation",
	    &gen1), 0);
	st = cJSON_Parse("{\"parents\":[{\"parentRef\":{\"name\":\"gw\"},"
	    "\"controllerName\":\"application-networking.k8s.aws/"
	    "gateway-api-controller\",\"conditions\":[{\"type\":\"Accepted\","
	    "\"status\":\"True\",\"reason\":\"Accepted\",\"message\":\"\","
	    "\"observedGeneration\":1,\"lastTransitionTime\":"
	    "\"2026-11-28T06:00:00Z\"}]}]}");
	cJSON_AddItemToObject(out, "status", st);
	if (kube_update_status(e->kc, &KUBE_RES_HTTPROUTES, NULL, out, &obj,
	    &err) != 0)
		fail_msg("status: %s", err.message);
	cJSON_Delete(out);
	assert_string_equal(json_path_str(cJSON_GetArrayItem(json_path(obj,
	    "status.parents"), 0), "parentRef.name"), "gw");
	assert_int_equal(json_int(json_path(obj, "metadata"), "generation",
	    &gen2), 0);
	assert_int_equal(gen1, gen2);
	assert_int_equal(cJSON_GetArraySize(json_path(obj, "status.parents")),
	    1);
	cJSON_Delete(obj);

	assert_int_equal(kube_patch(e->kc, &KUBE_RES_HTTPROUTES, "itest", "rt",
	    "status", KUBE_PATCH_MERGE, "{\"status\":{\"parents\":[]}}", NULL,
	    0, &out, &err), 0);
	assert_int_equal(cJSON_GetArraySize(json_path(out, "status.parents")),
	    0);
	cJSON_Delete(out);

	/* DELETE with a finalizer: 202, object kept with deletionTimestamp. */
	path = kube_path(&KUBE_RES_HTTPROUTES, "itest", "rt", NULL);
	assert_int_equal(kube_request(e->kc, "DELETE", path, NULL, NULL, NULL,
	    &status, NULL, &err), 0);
	assert_int_equal(status, 202);
	free(path);
	assert_int_equal(kube_get(e->kc, &KUBE_RES_HTTPROUTES, "itest", "rt",
	    &out, &err), 0);
	assert_non_null(json_path_str(out, "metadata.deletionTimestamp"));
	cJSON_Delete(out);
	assert_int_equal(kube_patch(e->kc, &KUBE_RES_HTTPROUTES, "itest", "rt",
	    NULL, KUBE_PATCH_MERGE, "{\"metadata\":{\"finalizers\":null}}",
	    NULL, 0, NULL, &err), 0);
	assert_int_equal(kube_get(e->kc, &KUBE_RES_HTTPROUTES, "itest", "rt",
	    &out, &err), -1);
	assert_true(kube_error_is_not_found(&err));
	kube_error_clear(&err);
}

/* Collects watch bytes. */
static int
collect(void *arg, const char *data, size_t len)
{
	strbuf_add(arg, data, len);
	return 0;
}

/* A watch stream ends cleanly at timeoutSeconds; a wrong token is a
 * typed 401. */
static void
test_watch_and_auth(void **state)
{
	struct env		*e = *state;
	struct kube_error	 err;
	struct kube_client	*bad;
	struct strbuf		 sb;
	cJSON			*obj;
	char			*path, *kc2;

	memset(&err, 0, sizeof err);
	obj = configmap("watched", "w");
	assert_int_equal(kube_create(e->kc, &KUBE_RES_CONFIGMAPS, "itest", obj,
	    NULL, &err), 0);
	cJSON_Delete(obj);
	strbuf_init(&sb);
	path = kube_path(&KUBE_RES_CONFIGMAPS, "itest", NULL, NULL);
	if (kube_stream(e->kc, path, "watch=1&timeoutSeconds=1&"
	    "labelSelector=set%3Dw", collect, &sb, NULL, NULL, &err) != 0)
		fail_msg("watch: %s", err.message);
	assert_non_null(strstr(sb.buf, "\"type\":\"ADDED\""));
	assert_non_null(strstr(sb.buf, "\"watched\""));
	assert_null(strstr(sb.buf, "page-1"));
	strbuf_free(&sb);

	kc2 = write_kubeconfig(e, "bad", "not-the-token");
	bad = client_from(kc2);
	assert_int_equal(kube_get(bad, &KUBE_RES_CONFIGMAPS, "itest", "watched",
	    &obj, &err), -1);
	assert_int_equal(err.status, 401);
	assert_string_equal(err.reason, "Unauthorized");
	kube_client_free(bad);
	free(kc2);
	free(path);
	kube_error_clear(&err);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_crud),
		cmocka_unit_test(test_list_paging),
		cmocka_unit_test(test_patches),
		cmocka_unit_test(test_discovery),
		cmocka_unit_test(test_status_and_finalizers),
		cmocka_unit_test(test_watch_and_auth),
	};

	unsetenv("KUBECONFIG");
	unsetenv("https_proxy");
	unsetenv("HTTPS_PROXY");
	return cmocka_run_group_tests(tests, setup, teardown);
}
