/* Tests for the simulated Kubernetes API server (sim_kube): discovery,
 * the object store semantics, lists, patches, watch history, auth,
 * controllers and the state file. In-process, no HTTP. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/json.h"
#include "latticectl/strbuf.h"
#include "latticectl/timeutil.h"
#include "latticectl/xmalloc.h"
#include "../../src/sim/kube_int.h"

/* A simulator without the controller thread (passes run by hand). */
static struct sim_kube *
new_sim(unsigned history)
{
	struct sim_kube_opts	o;
	static const char *const tokens[] = { "t0ken", NULL };

	memset(&o, 0, sizeof o);
	o.tokens = tokens;
	o.no_controllers = 1;
	o.pod_ready_ms = 1;
	o.pod_terminate_ms = 1;
	o.history = history;
	o.bookmark_ms = 1;
	return sim_kube_new(&o);
}

/* Request in-process; *out parsed (caller frees). */
static int
req(struct sim_kube *k, const char *method, const char *path,
    const char *body, const char *ctype, cJSON **out)
{
	char	*txt = NULL;
	int	 st;

	st = sim_kube_request(k, method, path, body, ctype, &txt);
	if (out != NULL)
		*out = cJSON_Parse(txt);
	free(txt);
	return st;
}

/* Status of a request, discarding the body. */
static int
req_st(struct sim_kube *k, const char *method, const char *path,
    const char *body)
{
	return req(k, method, path, body, NULL, NULL);
}

/* A string at a dotted path of a tree ("" when missing). */
static const char *
s_at(const cJSON *o, const char *path)
{
	const char	*s = json_path_str(o, path);

	return s != NULL ? s : "";
}

struct raw {
	struct httpd_request	 req;
	struct httpd_response	 resp;
};

/* Run the handler with a body of any bytes; resp kept in r. */
static void
raw_body(struct sim_kube *k, struct raw *r, const char *method,
    const char *path, const char *ctype, const void *body, size_t len)
{
	memset(r, 0, sizeof *r);
	r->req.method = method;
	r->req.path = path;
	r->req.raw_path = path;
	r->req.query = "";
	r->req.remote = "test";
	r->req.body = body;
	r->req.body_len = len;
	http_headers_add(&r->req.headers, "Content-Type", ctype);
	http_headers_add(&r->req.headers, "Authorization", "Bearer t0ken");
	strbuf_init(&r->resp.body);
	r->resp.status = 200;
	sim_kube_handle(k, &r->req, &r->resp);
}

/* Run the handler with full control of headers; resp kept in r. */
static void
raw(struct sim_kube *k, struct raw *r, const char *method, const char *path,
    const char *query, const char *accept, const char *auth)
{
	memset(r, 0, sizeof *r);
	r->req.method = method;
	r->req.path = path;
	r->req.raw_path = path;
	r->req.query = query != NULL ? query : "";
	r->req.remote = "test";
	if (accept != NULL)
		http_headers_add(&r->req.headers, "Accept", accept);
	if (auth != NULL)
		http_headers_add(&r->req.headers, "Authorization", auth);
	strbuf_init(&r->resp.body);
	r->resp.status = 200;
	sim_kube_handle(k, &r->req, &r->resp);
}

/* Free a raw exchange (and its stream). */
static void
raw_free(struct raw *r)
{
	if (r->resp.stream_free != NULL)
		r->resp.stream_free(r->resp.stream_arg);
	http_headers_free(&r->req.headers);
	http_headers_free(&r->resp.headers);
	strbuf_free(&r->resp.body);
}

/* Read stream output until it has n lines or the stream ends. */
static int
read_lines(struct raw *r, struct strbuf *sb, int n)
{
	char	buf[4096];
	ssize_t	got;
	int	lines = 0, idle = 0;
	size_t	i;

	while (lines < n && idle < 40) {
		got = r->resp.stream(r->resp.stream_arg, buf, sizeof buf);
		if (got < 0)
			return -1;
		idle = got == 0 ? idle + 1 : 0;
		strbuf_add(sb, buf, (size_t)got);
		for (lines = 0, i = 0; i < sb->len; i++)
			lines += sb->buf[i] == '\n';
	}
	return lines;
}

/* Whether the printed tree contains text. */
static int
has_text(const cJSON *o, const char *text)
{
	char	*p = json_print(o);
	int	 yes = strstr(p, text) != NULL;

	free(p);
	return yes;
}

/* json_equal against JSON text. */
static int
eq_text(const cJSON *o, const char *text)
{
	cJSON	*t = cJSON_Parse(text);
	int	 yes = json_equal(o, t);

	cJSON_Delete(t);
	return yes;
}

/* Discovery documents kubectl needs. */
static void
test_discovery(void **state)
{
	struct sim_kube	*k = new_sim(0);
	cJSON		*o;
	const cJSON	*r;
	int		 found = 0;

	(void)state;
	assert_int_equal(req(k, "GET", "/api", NULL, NULL, &o), 200);
	assert_string_equal(s_at(o, "kind"), "APIVersions");
	cJSON_Delete(o);
	assert_int_equal(req(k, "GET", "/apis", NULL, NULL, &o), 200);
	assert_string_equal(s_at(o, "kind"), "APIGroupList");
	assert_true(has_text(json_path(o, "groups"), "\"name\":\"apps\""));
	cJSON_Delete(o);
	assert_int_equal(req(k, "GET", "/api/v1", NULL, NULL, &o), 200);
	cJSON_ArrayForEach(r, json_path(o, "resources")) {
		if (strcmp(s_at(r, "name"), "pods") == 0) {
			found = 1;
			assert_string_equal(s_at(r, "kind"), "Pod");
			assert_string_equal(s_at(r, "singularName"), "pod");
			assert_true(skube_str_in(json_path(r, "shortNames"),
			    "po"));
			assert_true(skube_str_in(json_path(r, "verbs"),
			    "watch"));
		}
	}
	assert_true(found);
	cJSON_Delete(o);
	assert_int_equal(req(k, "GET", "/apis/apps/v1", NULL, NULL, &o), 200);
	assert_string_equal(s_at(o, "groupVersion"), "apps/v1");
	cJSON_Delete(o);
	assert_int_equal(req_st(k, "GET", "/apis/nope.example/v1", NULL), 404);
	assert_int_equal(req_st(k, "GET", "/openapi/v2", NULL), 404);
	assert_int_equal(req(k, "GET", "/version", NULL, NULL, &o), 200);
	assert_string_equal(s_at(o, "major"), "1");
	cJSON_Delete(o);
	sim_kube_free(k);
}

/* OpenAPI v3 root and a GV document with the patch op kubectl checks. */
static void
test_openapi(void **state)
{
	struct sim_kube	*k = new_sim(0);
	cJSON		*o;
	const cJSON	*p, *op;
	int		 found = 0;

	(void)state;
	assert_int_equal(req(k, "GET", "/openapi/v3", NULL, NULL, &o), 200);
	p = cJSON_GetObjectItem(json_path(o, "paths"), "apis/apps/v1");
	assert_non_null(p);
	assert_non_null(strstr(s_at(p, "serverRelativeURL"),
	    "/openapi/v3/apis/apps/v1?hash="));
	cJSON_Delete(o);
	assert_int_equal(req(k, "GET", "/openapi/v3/api/v1", NULL, NULL, &o),
	    200);
	cJSON_ArrayForEach(p, json_path(o, "paths")) {
		op = cJSON_GetObjectItem(p, "patch");
		if (strcmp(s_at(op, "x-kubernetes-group-version-kind.kind"),
		    "ConfigMap") == 0) {
			found = 1;
			assert_string_equal(s_at(cJSON_GetArrayItem(json_path(
			    op, "parameters"), 0), "name"), "fieldValidation");
			assert_string_equal(p->string,
			    "/api/v1/namespaces/{namespace}/configmaps/{name}");
		}
	}
	assert_true(found);
	cJSON_Delete(o);
	assert_int_equal(req_st(k, "GET", "/openapi/v3/apis/nope/v1", NULL),
	    404);
	sim_kube_free(k);
}

/* Create: metadata stamped; duplicates, missing namespace, bad names. */
static void
test_create_errors(void **state)
{
	struct sim_kube	*k = new_sim(0);
	cJSON		*o;
	const char	*cm = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\","
			    "\"metadata\":{\"name\":\"a\"},\"data\":{\"x\":"
			        "\"1\"}}";

	(void)state;
	assert_int_equal(req(k, "POST", "/api/v1/namespaces/default/configmaps",
	    cm, NULL, &o), 201);
	assert_int_equal(strlen(s_at(o, "metadata.uid")), 36);
	assert_true(strlen(s_at(o, "metadata.creationTimestamp")) > 0);
	assert_true(skube_rv_of(o) > 0);
	assert_string_equal(s_at(o, "metadata.namespace"), "default");
	cJSON_Delete(o);
	assert_int_equal(req(k, "POST", "/api/v1/namespaces/default/configmaps",
	    cm, NULL, &o), 409);
	assert_string_equal(s_at(o, "reason"), "AlreadyExists");
	assert_string_equal(s_at(o, "kind"), "Status");
	assert_string_equal(s_at(o, "details.name"), "a");
	assert_string_equal(s_at(o, "details.kind"), "configmaps");
	assert_string_equal(s_at(o, "message"), "configmaps \"a\" already "
	    "exists");
	cJSON_Delete(o);
	assert_int_equal(req(k, "POST", "/api/v1/namespaces/nope/configmaps",
	    cm, NULL, &o), 404);
	assert_string_equal(s_at(o, "message"), "namespaces \"nope\" not "
	    "found");
	cJSON_Delete(o);
	assert_int_equal(req(k, "POST", "/api/v1/namespaces/default/configmaps",
	    "{\"metadata\":{\"name\":\"Bad_Name\"}}", NULL, &o), 422);
	assert_string_equal(s_at(o, "reason"), "Invalid");
	cJSON_Delete(o);
	assert_int_equal(req_st(k, "POST",
	    "/api/v1/namespaces/default/configmaps", "{\"kind\":\"Secret\","
	    "\"metadata\":{\"name\":\"b\"}}"), 400);
	assert_int_equal(req_st(k, "POST",
	    "/api/v1/namespaces/other/configmaps", "{\"metadata\":{\"name\":"
	    "\"b\",\"namespace\":\"default\"}}"), 400);
	assert_int_equal(req_st(k, "POST",
	    "/api/v1/namespaces/default/configmaps", "not json"), 400);
	assert_int_equal(req(k, "POST", "/api/v1/namespaces/default/configmaps",
	    "{\"metadata\":{\"generateName\":\"gen-\"}}", NULL, &o), 201);
	assert_int_equal(strncmp(s_at(o, "metadata.name"), "gen-", 4), 0);
	assert_int_equal(strlen(s_at(o, "metadata.name")), 9);
	cJSON_Delete(o);
	assert_int_equal(req(k, "GET",
	    "/api/v1/namespaces/default/configmaps/zz", NULL, NULL, &o), 404);
	assert_string_equal(s_at(o, "reason"), "NotFound");
	cJSON_Delete(o);
	assert_int_equal(req_st(k, "GET", "/api/v1/nonsense", NULL), 404);
	sim_kube_free(k);
}

/* PUT: optimistic concurrency and generation. */
static void
test_update_conflict_generation(void **state)
{
	struct sim_kube	*k = new_sim(0);
	cJSON		*o, *o2;
	char		*body;
	const char	*dep = "{\"apiVersion\":\"apps/v1\",\"kind\":"
	    "\"Deployment\",\"metadata\":{\"name\":\"d\"},\"spec\":{"
	    "\"replicas\":1,\"selector\":{\"matchLabels\":{\"app\":\"d\"}},"
	    "\"template\":{\"metadata\":{\"labels\":{\"app\":\"d\"}},\"spec\":{"
	    "\"containers\":[{\"name\":\"c\",\"image\":\"nginx\"}]}}}}";
	const char	*path =
	    "/apis/apps/v1/namespaces/default/deployments/d";

	(void)state;
	assert_int_equal(req(k, "POST", "/apis/apps/v1/namespaces/default/"
	    "deployments", dep, NULL, &o), 201);
	assert_int_equal((int)json_num(json_path(o, "metadata"), "generation",
	    0), 1);
	/* label change: no generation bump */
	skube_set_item(json_path(o, "metadata") ? (cJSON *)json_path(o,
	    "metadata") : NULL, "labels", cJSON_Parse("{\"x\":\"y\"}"));
	body = json_print(o);
	assert_int_equal(req(k, "PUT", path, body, NULL, &o2), 200);
	assert_int_equal((int)json_num(json_path(o2, "metadata"), "generation",
	    0), 1);
	assert_true(skube_rv_of(o2) > skube_rv_of(o));
	/* the stale copy now conflicts */
	assert_int_equal(req(k, "PUT", path, body, NULL, NULL), 409);
	free(body);
	cJSON_Delete(o);
	assert_int_equal(req_st(k, "PUT", path, "x"), 400);
	/* spec change: generation 2 */
	skube_set_num((cJSON *)json_path(o2, "spec"), "replicas", 3);
	body = json_print(o2);
	assert_int_equal(req(k, "PUT", path, body, NULL, &o), 200);
	assert_int_equal((int)json_num(json_path(o, "metadata"), "generation",
	    0), 2);
	assert_int_equal((int)json_num(json_path(o, "spec"), "replicas", 0), 3);
	free(body);
	cJSON_Delete(o);
	cJSON_Delete(o2);
	sim_kube_free(k);
}

static const char *test_crd = "{\"apiVersion\":\"apiextensions.k8s.io/v1\","
    "\"kind\":\"CustomResourceDefinition\",\"metadata\":{\"name\":"
    "\"widgets.example.com\"},\"spec\":{\"group\":\"example.com\",\"scope\":"
    "\"Namespaced\",\"names\":{\"plural\":\"widgets\",\"singular\":\"widget\","
    "\"kind\":\"Widget\",\"shortNames\":[\"wd\"]},\"versions\":[{\"name\":"
    "\"v1\",\"served\":true,\"storage\":true,\"subresources\":{\"status\":{}},"
    "\"additionalPrinterColumns\":[{\"name\":\"Size\",\"type\":\"integer\","
    "\"jsonPath\":\".spec.size\"},{\"name\":\"Ready\",\"type\":\"string\","
    "\"jsonPath\":\".status.conditions[?(@.type==\\\"Ready\\\")].status\"}],"
    "\"schema\":{\"openAPIV3Schema\":{\"type\":\"object\",\"properties\":{"
    "\"spec\":{\"type\":\"object\",\"properties\":{\"size\":{\"type\":"
    "\"integer\",\"default\":7},\"mode\":{\"type\":\"string\"}}}}}}}]}}";

/* CRDs register kinds; CRs honour /status, defaults and deletion. */
static void
test_crd_status(void **state)
{
	struct sim_kube	*k = new_sim(0);
	cJSON		*o;
	char		*body;
	const char	*cr = "{\"apiVersion\":\"example.com/v1\",\"kind\":"
	    "\"Widget\",\"metadata\":{\"name\":\"w\"},\"spec\":{\"mode\":"
	    "\"a\"},\"status\":{\"x\":1}}";
	const char	*path =
	    "/apis/example.com/v1/namespaces/default/widgets/w";

	(void)state;
	assert_int_equal(req_st(k, "POST", "/apis/example.com/v1/namespaces/"
	    "default/widgets", cr), 404);
	assert_int_equal(req(k, "POST", "/apis/apiextensions.k8s.io/v1/"
	    "customresourcedefinitions", test_crd, NULL, &o), 201);
	assert_true(has_text(json_path(o, "status"), "Established"));
	cJSON_Delete(o);
	assert_int_equal(req(k, "GET", "/apis/example.com/v1", NULL, NULL, &o),
	    200);
	assert_non_null(json_path(o, "resources"));
	cJSON_Delete(o);
	assert_int_equal(req(k, "POST",
	    "/apis/example.com/v1/namespaces/default/widgets", cr, NULL, &o),
	    201);
	assert_null(json_path(o, "status"));		/* dropped on create */
	assert_int_equal((int)json_num(json_path(o, "spec"), "size", 0), 7);
	skube_set_item(o, "status", cJSON_Parse("{\"phase\":\"ok\"}"));
	body = json_print(o);
	cJSON_Delete(o);
	assert_int_equal(req(k, "PUT", path, body, NULL, &o), 200);
	assert_null(json_path(o, "status"));	/* main ignores status */
	cJSON_Delete(o);
	assert_int_equal(req(k, "GET", path, NULL, NULL, &o), 200);
	free(body);
	skube_set_item(o, "status", cJSON_Parse("{\"phase\":\"ok\"}"));
	skube_set_item((cJSON *)json_path(o, "spec"), "mode",
	    cJSON_CreateString("z"));
	body = json_print(o);
	cJSON_Delete(o);
	assert_int_equal(req(k, "PUT",
	    "/apis/example.com/v1/namespaces/default/widgets/w/status", body,
	    NULL, &o), 200);
	assert_string_equal(s_at(o, "status.phase"), "ok");
	assert_string_equal(s_at(o, "spec.mode"), "a"); /* status ignores it */
	assert_int_equal((int)json_num(json_path(o, "metadata"), "generation",
	    0), 1);
	free(body);
	cJSON_Delete(o);
	/* strategic merge is not for custom resources */
	assert_int_equal(req_st(k, "PATCH", path, NULL), 415);
	assert_int_equal(req(k, "PATCH", path, "{\"spec\":{\"mode\":\"b\"}}",
	    "application/strategic-merge-patch+json", NULL), 415);
	/* deleting the CRD removes the kind and its objects */
	assert_int_equal(req_st(k, "DELETE", "/apis/apiextensions.k8s.io/v1/"
	    "customresourcedefinitions/widgets.example.com", NULL), 200);
	assert_int_equal(req_st(k, "GET", path, NULL), 404);
	assert_int_equal(req_st(k, "GET", "/apis/example.com/v1", NULL), 404);
	/* a CRD whose name does not match is invalid */
	assert_int_equal(req_st(k, "POST",
	    "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", "{"
	    "\"metadata\":{\"name\":\"x.y\"},\"spec\":{\"group\":"
	    "\"example.com\",\"names\":{\"plural\":\"a\",\"kind\":\"A\"},"
	    "\"scope\":\"Cluster\",\"versions\":[{\"name\":\"v1\",\"served\":"
	    "true,\"storage\":true}]}}"), 422);
	sim_kube_free(k);
}

/* Finalizers: DELETE gives 202 and keeps the object until removed. */
static void
test_finalizers(void **state)
{
	struct sim_kube	*k = new_sim(0);
	cJSON		*o;
	const char	*path = "/api/v1/namespaces/default/configmaps/f";

	(void)state;
	assert_int_equal(req_st(k, "POST",
	    "/api/v1/namespaces/default/configmaps", "{\"metadata\":{\"name\":"
	    "\"f\",\"finalizers\":[\"example.com/x\"]}}"), 201);
	assert_int_equal(req(k, "DELETE", path, "{\"kind\":\"DeleteOptions\","
	    "\"apiVersion\":\"v1\",\"propagationPolicy\":\"Background\"}", NULL,
	    &o), 202);
	assert_true(strlen(s_at(o, "metadata.deletionTimestamp")) > 0);
	cJSON_Delete(o);
	assert_int_equal(req(k, "GET", path, NULL, NULL, &o), 200);
	assert_true(strlen(s_at(o, "metadata.deletionTimestamp")) > 0);
	cJSON_Delete(o);
	assert_int_equal(req(k, "PATCH", path, "{\"metadata\":{\"finalizers\":"
	    "[\"example.com/x\",\"example.com/new\"]}}",
	    "application/merge-patch+json", &o), 422);
	assert_non_null(strstr(s_at(o, "message"), "no new finalizers"));
	cJSON_Delete(o);
	assert_int_equal(req(k, "PATCH", path, "{\"metadata\":{\"finalizers\":"
	    "null}}", "application/merge-patch+json", NULL), 200);
	assert_int_equal(req_st(k, "GET", path, NULL), 404);
	sim_kube_free(k);
}

/* Namespace deletion: Terminating, contents removed, then gone. */
static void
test_namespace_deletion(void **state)
{
	struct sim_kube	*k = new_sim(0);
	cJSON		*o;

	(void)state;
	assert_int_equal(req_st(k, "POST", "/api/v1/namespaces",
	    "{\"metadata\":{\"name\":\"lab\"}}"), 201);
	assert_int_equal(req_st(k, "POST", "/api/v1/namespaces/lab/configmaps",
	    "{\"metadata\":{\"name\":\"c\"}}"), 201);
	assert_int_equal(req(k, "DELETE", "/api/v1/namespaces/lab", NULL, NULL,
	    &o), 200);
	assert_string_equal(s_at(o, "status.phase"), "Terminating");
	cJSON_Delete(o);
	assert_int_equal(req(k, "POST", "/api/v1/namespaces/lab/configmaps",
	    "{\"metadata\":{\"name\":\"d\"}}", NULL, &o), 403);
	assert_string_equal(s_at(o, "reason"), "Forbidden");
	cJSON_Delete(o);
	sim_kube_reconcile(k);
	assert_int_equal(req_st(k, "GET", "/api/v1/namespaces/lab/configmaps/c",
	    NULL), 404);
	assert_int_equal(req_st(k, "GET", "/api/v1/namespaces/lab", NULL), 404);
	sim_kube_free(k);
}

/* Lists: paging with continue, selectors, all namespaces. */
static void
test_list_paging_selectors(void **state)
{
	struct sim_kube	*k = new_sim(0);
	cJSON		*o;
	char		 path[2048], body[256], tok[1024];
	int		 i, total = 0, pages = 0;

	(void)state;
	for (i = 0; i < 7; i++) {
		snprintf(body, sizeof body, "{\"metadata\":{\"name\":\"cm%d\","
		    "\"labels\":{\"app\":\"%s\",\"tier\":\"t%d\"}}}", i,
		    i % 2 ? "odd" : "even", i);
		assert_int_equal(req_st(k, "POST",
		    "/api/v1/namespaces/default/configmaps", body), 201);
	}
	tok[0] = '\0';
	do {
		snprintf(path, sizeof path, "/api/v1/namespaces/default/"
		    "configmaps?limit=3%s%s", tok[0] ? "&continue=" : "", tok);
		assert_int_equal(req(k, "GET", path, NULL, NULL, &o), 200);
		assert_string_equal(s_at(o, "kind"), "ConfigMapList");
		total += cJSON_GetArraySize(json_path(o, "items"));
		snprintf(tok, sizeof tok, "%s", s_at(o, "metadata.continue"));
		if (tok[0] != '\0')
			assert_true(json_num(json_path(o, "metadata"),
			    "remainingItemCount", -1) > 0);
		pages++;
		cJSON_Delete(o);
	} while (tok[0] != '\0' && pages < 10);
	assert_int_equal(total, 7);
	assert_int_equal(pages, 3);
	assert_int_equal(req_st(k, "GET", "/api/v1/namespaces/default/"
	    "configmaps?continue=garbage", NULL), 400);
#define COUNT(q, n) do { \
	assert_int_equal(req(k, "GET", "/api/v1/configmaps?" q, NULL, NULL, \
	    &o), 200); \
	assert_int_equal(cJSON_GetArraySize(json_path(o, "items")), n); \
	cJSON_Delete(o); \
} while (0)
	COUNT("labelSelector=app%3Dodd", 3);
	COUNT("labelSelector=app%3D%3Deven", 4);
	COUNT("labelSelector=app!%3Dodd", 4);
	COUNT("labelSelector=tier+in+(t1,t2,t9)", 2);
	COUNT("labelSelector=tier+notin+(t1,t2)", 5);
	COUNT("labelSelector=app,tier%3Dt0", 1);
	COUNT("labelSelector=!app", 0);
	COUNT("labelSelector=missing", 0);
	COUNT("fieldSelector=metadata.name%3Dcm3", 1);
	COUNT("fieldSelector=metadata.name!%3Dcm3,metadata.namespace%3Ddefault",
	    6);
	COUNT("fieldSelector=metadata.namespace%3Dkube-system", 0);
#undef COUNT
	assert_int_equal(req_st(k, "GET", "/api/v1/configmaps?labelSelector="
	    "a+in+(b", NULL), 400);
	sim_kube_free(k);
}

/* Selector parser edge cases. */
static void
test_selectors(void **state)
{
	struct skube_sel	 s;
	cJSON		*o = cJSON_Parse("{\"metadata\":{\"name\":\"n\","
	    "\"labels\":"
			    "{\"a\":\"1\",\"b\":\"x\",\"k8s.io/c\":\"v\"}},"
			    "\"status\":{\"phase\":\"Running\"}}");
	char		*cause = NULL;

	(void)state;
#define MATCH(sel, f, want) do { \
	assert_int_equal(skube_sel_parse(&s, sel, f, &cause), 0); \
	assert_int_equal(skube_sel_match(&s, o), want); \
	skube_sel_free(&s); \
} while (0)
	MATCH("", 0, 1);
	MATCH("a=1", 0, 1);
	MATCH(" a = 1 , b==x ", 0, 1);
	MATCH("a!=1", 0, 0);
	MATCH("z!=1", 0, 1);
	MATCH("a in (1, 2)", 0, 1);
	MATCH("a notin (1)", 0, 0);
	MATCH("z notin (1)", 0, 1);
	MATCH("k8s.io/c", 0, 1);
	MATCH("!k8s.io/c", 0, 0);
	MATCH("a>0", 0, 1);
	MATCH("a<1", 0, 0);
	MATCH("status.phase=Running", 1, 1);
	MATCH("status.phase!=Running", 1, 0);
	MATCH("metadata.name==n", 1, 1);
#undef MATCH
	assert_int_equal(skube_sel_parse(&s, "a in 1", 0, &cause), -1);
	free(cause);
	cause = NULL;
	assert_int_equal(skube_sel_parse(&s, "a=b=c=@", 0, &cause), -1);
	free(cause);
	cause = NULL;
	assert_int_equal(skube_sel_parse(&s, "justaword", 1, &cause), -1);
	free(cause);
	cJSON_Delete(o);
}

/* JSON merge and RFC 6902 patches on trees. */
static void
test_patch_primitives(void **state)
{
	cJSON		*doc, *p, *m;
	struct skube_err	 e;

	(void)state;
	memset(&e, 0, sizeof e);
	doc = cJSON_Parse("{\"a\":{\"b\":1,\"c\":[1,2]},\"d\":\"x\"}");
	p = cJSON_Parse("{\"a\":{\"b\":null,\"c\":[3]},\"e\":{\"f\":true}}");
	m = skube_merge_patch(doc, p);
	assert_true(eq_text(m,
	    "{\"a\":{\"c\":[3]},\"d\":\"x\",\"e\":{\"f\":true}}"));
	cJSON_Delete(m);
	cJSON_Delete(p);
	p = cJSON_Parse("[{\"op\":\"add\",\"path\":\"/a/c/-\",\"value\":9},"
	    "{\"op\":\"replace\",\"path\":\"/d\",\"value\":\"y\"},"
	    "{\"op\":\"remove\",\"path\":\"/a/b\"},"
	    "{\"op\":\"copy\",\"from\":\"/d\",\"path\":\"/g~1h\"},"
	    "{\"op\":\"move\",\"from\":\"/a/c/0\",\"path\":\"/a/c/1\"},"
	    "{\"op\":\"test\",\"path\":\"/g~1h\",\"value\":\"y\"}]");
	assert_int_equal(skube_json_patch(&doc, p, &e), 0);
	m = cJSON_Parse("{\"a\":{\"c\":[2,1,9]},\"d\":\"y\",\"g/h\":\"y\"}");
	assert_true(json_equal(doc, m));
	cJSON_Delete(m);
	cJSON_Delete(p);
	p = cJSON_Parse("[{\"op\":\"test\",\"path\":\"/d\",\"value\":"
	    "\"nope\"}]");
	assert_int_equal(skube_json_patch(&doc, p, &e), -1);
	assert_int_equal(e.code, 422);
	skube_err_free(&e);
	cJSON_Delete(p);
	p = cJSON_Parse("[{\"op\":\"replace\",\"path\":\"/nope\",\"value\":"
	    "1}]");
	assert_int_equal(skube_json_patch(&doc, p, &e), -1);
	skube_err_free(&e);
	cJSON_Delete(p);
	p = cJSON_Parse("[{\"op\":\"move\",\"from\":\"/a\",\"path\":"
	    "\"/a/x\"}]");
	assert_int_equal(skube_json_patch(&doc, p, &e), -1);
	skube_err_free(&e);
	cJSON_Delete(p);
	p = cJSON_Parse("{\"op\":\"add\"}");
	assert_int_equal(skube_json_patch(&doc, p, &e), -1);
	assert_int_equal(e.code, 400);
	skube_err_free(&e);
	cJSON_Delete(p);
	cJSON_Delete(doc);
}

/* PATCH over HTTP semantics: merge, json, strategic, apply, dry run. */
static void
test_patch_requests(void **state)
{
	struct sim_kube	*k = new_sim(0);
	cJSON		*o;
	const char	*path =
	    "/apis/apps/v1/namespaces/default/deployments/d";
	const char	*dep = "{\"metadata\":{\"name\":\"d\"},\"spec\":{"
	    "\"selector\":{\"matchLabels\":{\"app\":\"d\"}},\"template\":{"
	    "\"metadata\":{\"labels\":{\"app\":\"d\"}},\"spec\":{"
	    "\"containers\":[{\"name\":\"a\",\"image\":\"one\",\"ports\":[{"
	    "\"containerPort\":80}]},{\"name\":\"b\",\"image\":\"two\"}]}}}}";

	(void)state;
	assert_int_equal(req_st(k, "POST", "/apis/apps/v1/namespaces/default/"
	    "deployments", dep), 201);
	assert_int_equal(req(k, "PATCH", path, "{\"spec\":{\"template\":{"
	    "\"spec\":{\"$setElementOrder/containers\":[{\"name\":\"a\"},{"
	    "\"name\":\"b\"}],\"containers\":[{\"name\":\"b\",\"image\":"
	    "\"three\"}]}}}}", "application/strategic-merge-patch+json", &o),
	    200);
	assert_int_equal(cJSON_GetArraySize(json_path(o,
	    "spec.template.spec.containers")), 2);
	assert_string_equal(s_at(cJSON_GetArrayItem(json_path(o,
	    "spec.template.spec.containers"), 1), "image"), "three");
	assert_string_equal(s_at(cJSON_GetArrayItem(json_path(o,
	    "spec.template.spec.containers"), 0), "image"), "one");
	assert_null(json_path(o,
	    "spec.template.spec.$setElementOrder/containers"));
	assert_int_equal((int)json_num(json_path(o, "metadata"), "generation",
	    0), 2);
	cJSON_Delete(o);
	assert_int_equal(req(k, "PATCH", path, "{\"metadata\":{\"labels\":"
	    "{\"x\":\"1\"}}}", "application/merge-patch+json", &o), 200);
	assert_string_equal(s_at(o, "metadata.labels.x"), "1");
	assert_int_equal((int)json_num(json_path(o, "metadata"), "generation",
	    0), 2);
	cJSON_Delete(o);
	assert_int_equal(req(k, "PATCH", path, "[{\"op\":\"replace\",\"path\":"
	    "\"/spec/replicas\",\"value\":4}]", "application/json-patch+json",
	    &o), 200);
	assert_int_equal((int)json_num(json_path(o, "spec"), "replicas", 0), 4);
	cJSON_Delete(o);
	assert_int_equal(req(k, "PATCH", path, "[{\"op\":\"test\",\"path\":"
	    "\"/spec/replicas\",\"value\":5}]", "application/json-patch+json",
	    NULL), 422);
	assert_int_equal(req(k, "PATCH", path, "[{\"op\":\"replace\",\"path\":"
	    "\"/metadata/resourceVersion\",\"value\":\"1\"}]",
	    "application/json-patch+json", NULL), 409);
	assert_int_equal(req(k, "PATCH", path, "{}", "text/plain", NULL), 415);
	/* dry run changes nothing */
	assert_int_equal(req(k, "PATCH", "/apis/apps/v1/namespaces/default/"
	    "deployments/d?dryRun=All", "{\"spec\":{\"replicas\":9}}",
	    "application/merge-patch+json", &o), 200);
	assert_int_equal((int)json_num(json_path(o, "spec"), "replicas", 0), 9);
	cJSON_Delete(o);
	assert_int_equal(req(k, "GET", path, NULL, NULL, &o), 200);
	assert_int_equal((int)json_num(json_path(o, "spec"), "replicas", 0), 4);
	cJSON_Delete(o);
	assert_int_equal(req_st(k, "POST", "/api/v1/namespaces/default/"
	    "configmaps?dryRun=All", "{\"metadata\":{\"name\":\"dry\"}}"), 201);
	assert_int_equal(req_st(k, "GET", "/api/v1/namespaces/default/"
	    "configmaps/dry", NULL), 404);
	sim_kube_free(k);
}

/* Server-side apply: create, merge, managedFields, fieldManager. */
static void
test_server_side_apply(void **state)
{
	struct sim_kube	*k = new_sim(0);
	cJSON		*o;
	const cJSON	*mf;
	const char	*path = "/api/v1/namespaces/default/configmaps/ssa";

	(void)state;
	assert_int_equal(req(k, "PATCH", path, "apiVersion: v1\nkind: "
	    "ConfigMap\nmetadata:\n  name: ssa\ndata:\n  a: \"1\"\n",
	    "application/apply-patch+yaml", NULL), 400);
	assert_int_equal(req(k, "PATCH",
	    "/api/v1/namespaces/default/configmaps/ssa?fieldManager=me&"
	    "force=true", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: "
	    "ssa\ndata:\n  a: \"1\"\n", "application/apply-patch+yaml", &o),
	    201);
	mf = cJSON_GetArrayItem(json_path(o, "metadata.managedFields"), 0);
	assert_string_equal(s_at(mf, "manager"), "me");
	assert_string_equal(s_at(mf, "operation"), "Apply");
	assert_non_null(json_path(mf, "fieldsV1.f:data.f:a"));
	cJSON_Delete(o);
	assert_int_equal(req(k, "PATCH",
	    "/api/v1/namespaces/default/configmaps/ssa?fieldManager=me", "{"
	    "\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{"
	    "\"name\":\"ssa\"},\"data\":{\"b\":\"2\"}}",
	    "application/apply-patch+yaml", &o), 200);
	assert_string_equal(s_at(o, "data.a"), "1");
	assert_string_equal(s_at(o, "data.b"), "2");
	assert_int_equal(cJSON_GetArraySize(json_path(o,
	    "metadata.managedFields")), 1);
	cJSON_Delete(o);
	assert_int_equal(req_st(k, "PATCH", "/api/v1/namespaces/default/"
	    "configmaps/ssa?fieldManager=me", NULL), 415);
	sim_kube_free(k);
}

/* Table output for lists and single objects, with CRD columns. */
static void
test_table(void **state)
{
	struct sim_kube	*k = new_sim(0);
	struct raw	 r;
	cJSON		*o;
	const char	*acc = "application/json;as=Table;v=v1;g=meta.k8s.io,"
			    "application/json";

	(void)state;
	raw(k, &r, "GET", "/api/v1/namespaces", NULL, acc, "Bearer t0ken");
	o = cJSON_Parse(r.resp.body.buf);
	assert_string_equal(s_at(o, "kind"), "Table");
	assert_string_equal(s_at(cJSON_GetArrayItem(json_path(o,
	    "columnDefinitions"), 1), "name"), "Status");
	assert_true(cJSON_GetArraySize(json_path(o, "rows")) >= 4);
	assert_string_equal(s_at(cJSON_GetArrayItem(json_path(o, "rows"), 0),
	    "object.kind"), "PartialObjectMetadata");
	cJSON_Delete(o);
	raw_free(&r);
	assert_int_equal(req_st(k, "POST", "/apis/apiextensions.k8s.io/v1/"
	    "customresourcedefinitions", test_crd), 201);
	assert_int_equal(req_st(k, "POST", "/apis/example.com/v1/namespaces/"
	    "default/widgets", "{\"metadata\":{\"name\":\"w\"},\"spec\":"
	    "{\"size\":3}}"), 201);
	assert_int_equal(req_st(k, "PATCH",
	    "/apis/example.com/v1/namespaces/default/widgets/w/status", "{"
	    "\"status\":{\"conditions\":[{\"type\":\"Other\",\"status\":"
	    "\"False\"},{\"type\":\"Ready\",\"status\":\"True\"}]}}"), 415);
	assert_int_equal(req(k, "PATCH",
	    "/apis/example.com/v1/namespaces/default/widgets/w/status", "{"
	    "\"status\":{\"conditions\":[{\"type\":\"Other\",\"status\":"
	    "\"False\"},{\"type\":\"Ready\",\"status\":\"True\"}]}}",
	    "application/merge-patch+json", NULL), 200);
	raw(k, &r, "GET", "/apis/example.com/v1/namespaces/default/widgets/w",
	    NULL, acc, "Bearer t0ken");
	assert_int_equal(r.resp.status, 200);
	o = cJSON_Parse(r.resp.body.buf);
	assert_string_equal(s_at(cJSON_GetArrayItem(json_path(o,
	    "columnDefinitions"), 1), "name"), "Size");
	assert_true(eq_text(json_path(cJSON_GetArrayItem(json_path(o, "rows"),
	    0), "cells"), "[\"w\",3,\"True\"]"));
	cJSON_Delete(o);
	raw_free(&r);
	sim_kube_free(k);
}

/* Watch: initial ADDED, changes, resume, bookmarks, selectors. */
static void
test_watch(void **state)
{
	struct sim_kube	*k = new_sim(0);
	struct raw	 r;
	struct strbuf	 sb;
	cJSON		*o;
	char		 q[128];
	uint64_t	 rv;

	(void)state;
	assert_int_equal(req(k, "POST", "/api/v1/namespaces/default/configmaps",
	    "{\"metadata\":{\"name\":\"w1\",\"labels\":{\"x\":\"1\"}}}", NULL,
	    &o), 201);
	rv = skube_rv_of(o);
	cJSON_Delete(o);
	raw(k, &r, "GET", "/api/v1/namespaces/default/configmaps",
	    "watch=1&labelSelector=x%3D1", NULL, "Bearer t0ken");
	assert_non_null(r.resp.stream);
	strbuf_init(&sb);
	assert_int_equal(read_lines(&r, &sb, 1), 1);
	assert_non_null(strstr(sb.buf, "{\"type\":\"ADDED\""));
	assert_non_null(strstr(sb.buf, "\"w1\""));
	assert_int_equal(req_st(k, "POST",
	    "/api/v1/namespaces/default/configmaps", "{\"metadata\":{\"name\":"
	    "\"w2\",\"labels\":{\"x\":\"2\"}}}"), 201);
	assert_int_equal(req(k, "PATCH",
	    "/api/v1/namespaces/default/configmaps/w1", "{\"data\":{\"a\":"
	    "\"b\"}}", "application/merge-patch+json", NULL), 200);
	assert_int_equal(req_st(k, "DELETE",
	    "/api/v1/namespaces/default/configmaps/w1", NULL), 200);
	assert_int_equal(read_lines(&r, &sb, 3), 3);
	assert_non_null(strstr(sb.buf, "\"type\":\"MODIFIED\""));
	assert_non_null(strstr(sb.buf, "\"type\":\"DELETED\""));
	assert_null(strstr(sb.buf, "\"w2\""));	/* filtered out */
	raw_free(&r);
	/* resume from the create: MODIFIED, DELETED (no synthetic ADDED) */
	snprintf(q, sizeof q, "watch=true&resourceVersion=%llu&"
	    "allowWatchBookmarks=true&fieldSelector=metadata.name%%3Dw1",
	    (unsigned long long)rv);
	raw(k, &r, "GET", "/api/v1/namespaces/default/configmaps", q, NULL,
	    "Bearer t0ken");
	strbuf_reset(&sb);
	assert_int_equal(read_lines(&r, &sb, 3), 3);
	assert_int_equal(strncmp(sb.buf, "{\"type\":\"MODIFIED\"", 18), 0);
	assert_non_null(strstr(sb.buf, "\"type\":\"BOOKMARK\""));
	raw_free(&r);
	/* timeoutSeconds ends the stream */
	raw(k, &r, "GET", "/api/v1/namespaces/default/configmaps",
	    "watch=1&timeoutSeconds=1&resourceVersion=999999", NULL, "Bearer "
	    "t0ken");
	strbuf_reset(&sb);
	assert_int_equal(read_lines(&r, &sb, 100), -1);
	raw_free(&r);
	strbuf_free(&sb);
	sim_kube_free(k);
}

/* Watch from a version older than the bounded history: ERROR 410. */
static void
test_watch_expired(void **state)
{
	struct sim_kube	*k = new_sim(3);
	struct raw	 r;
	struct strbuf	 sb;
	char		 body[128];
	int		 i;

	(void)state;
	for (i = 0; i < 6; i++) {
		snprintf(body, sizeof body, "{\"metadata\":{\"name\":\"e%d\"}}",
		    i);
		assert_int_equal(req_st(k, "POST",
		    "/api/v1/namespaces/default/configmaps", body), 201);
	}
	raw(k, &r, "GET", "/api/v1/configmaps", "watch=1&resourceVersion=2",
	    NULL, "Bearer t0ken");
	strbuf_init(&sb);
	assert_int_equal(read_lines(&r, &sb, 1), 1);
	assert_non_null(strstr(sb.buf, "\"type\":\"ERROR\""));
	assert_non_null(strstr(sb.buf, "\"code\":410"));
	assert_non_null(strstr(sb.buf, "\"reason\":\"Expired\""));
	assert_non_null(strstr(sb.buf, "too old resource version: 2"));
	assert_int_equal(read_lines(&r, &sb, 2), -1);	/* and ends */
	raw_free(&r);
	strbuf_free(&sb);
	sim_kube_free(k);
}

/* Verifier for EKS tokens used by the auth test. */
static int
fake_verify(void *arg, const char *token, char **user, char **cause)
{
	(void)arg;
	if (strcmp(token, "k8s-aws-v1.good") == 0) {
		*user = xstrdup("arn:aws:iam::123456789012:user/sim");
		return 0;
	}
	*cause = xstrdup("signature mismatch");
	return -1;
}

/* Bearer tokens: static and EKS; 401 otherwise. */
static void
test_auth(void **state)
{
	struct sim_kube_opts	 o;
	struct sim_kube		*k;
	struct raw		 r;
	static const char *const tokens[] = { "secret1", NULL };
	cJSON			*s;

	(void)state;
	memset(&o, 0, sizeof o);
	o.tokens = tokens;
	o.verify_eks = fake_verify;
	o.no_controllers = 1;
	k = sim_kube_new(&o);
#define AUTH(hdr, want) do { \
	raw(k, &r, "GET", "/api/v1/namespaces", NULL, NULL, hdr); \
	assert_int_equal(r.resp.status, want); \
	raw_free(&r); \
} while (0)
	AUTH(NULL, 401);
	AUTH("Bearer wrong", 401);
	AUTH("Basic secret1", 401);
	AUTH("Bearer secret1", 200);
	AUTH("bearer secret1", 200);
	AUTH("Bearer k8s-aws-v1.good", 200);
	AUTH("Bearer k8s-aws-v1.tampered", 401);
#undef AUTH
	raw(k, &r, "GET", "/api/v1/namespaces", NULL, NULL, NULL);
	s = cJSON_Parse(r.resp.body.buf);
	assert_string_equal(s_at(s, "reason"), "Unauthorized");
	assert_int_equal((int)json_num(s, "code", 0), 401);
	cJSON_Delete(s);
	raw_free(&r);
	raw(k, &r, "GET", "/version", NULL, NULL, NULL);
	assert_int_equal(r.resp.status, 200);
	raw_free(&r);
	sim_kube_free(k);
	o.anonymous = 1;
	o.tokens = NULL;
	k = sim_kube_new(&o);
	raw(k, &r, "GET", "/api/v1/namespaces", NULL, NULL, NULL);
	assert_int_equal(r.resp.status, 200);
	raw_free(&r);
	sim_kube_free(k);
}

/* Run controller passes until pred holds (bounded). */
static int
settle(struct sim_kube *k, int (*pred)(struct sim_kube *))
{
	int	i;

	for (i = 0; i < 200; i++) {
		sim_kube_reconcile(k);
		if (pred(k))
			return 1;
		time_sleep_ms(5);
	}
	return 0;
}

/* Whether the "web" slice has n ready endpoints. */
static int
slice_ready(struct sim_kube *k, int n)
{
	cJSON		*o;
	const cJSON	*ep;
	int		 ready = 0;

	if (req(k, "GET", "/apis/discovery.k8s.io/v1/namespaces/default/"
	    "endpointslices?labelSelector=kubernetes.io%2Fservice-name%3Dweb",
	    NULL, NULL, &o) != 200)
		return 0;
	cJSON_ArrayForEach(ep, json_path(cJSON_GetArrayItem(json_path(o,
	    "items"), 0), "endpoints"))
		ready += json_bool(json_path(ep, "conditions"), "ready", 0);
	cJSON_Delete(o);
	return ready == n;
}

/* Predicates for settle(). */
static int
two_ready(struct sim_kube *k)
{
	return slice_ready(k, 2);
}

static int
one_ready(struct sim_kube *k)
{
	return slice_ready(k, 1);
}

/* Whether no pods remain in default. */
static int
no_pods(struct sim_kube *k)
{
	cJSON	*o;
	int	 n;

	req(k, "GET", "/api/v1/namespaces/default/pods", NULL, NULL, &o);
	n = cJSON_GetArraySize(json_path(o, "items"));
	cJSON_Delete(o);
	return n == 0;
}

/* Whether deployment "web" reports 2 ready replicas. */
static int
dep_ready(struct sim_kube *k)
{
	cJSON	*o;
	int	 n;

	req(k, "GET", "/apis/apps/v1/namespaces/default/deployments/web", NULL,
	    NULL, &o);
	n = (int)json_num(json_path(o, "status"), "readyReplicas", 0);
	cJSON_Delete(o);
	return n == 2;
}

/* Deployment -> Pods -> EndpointSlice; scale down; garbage collection. */
static void
test_controllers(void **state)
{
	struct sim_kube	*k = new_sim(0);
	cJSON		*o, *pod, *slice;
	const cJSON	*p;

	(void)state;
	assert_int_equal(req_st(k, "POST",
	    "/apis/apps/v1/namespaces/default/deployments", "{\"metadata\":{"
	    "\"name\":\"web\"},\"spec\":{\"replicas\":2,\"selector\":{"
	    "\"matchLabels\":{\"app\":\"web\"}},\"template\":{\"metadata\":{"
	    "\"labels\":{\"app\":\"web\"}},\"spec\":{\"containers\":[{\"name\":"
	    "\"c\",\"image\":\"img\",\"ports\":[{\"name\":\"http\","
	    "\"containerPort\":8090}]}]}}}}"), 201);
	assert_int_equal(req_st(k, "POST",
	    "/api/v1/namespaces/default/services", "{\"metadata\":{\"name\":"
	    "\"web\"},\"spec\":{\"selector\":{\"app\":\"web\"},\"ports\":[{"
	    "\"name\":\"web\",\"port\":80,\"targetPort\":\"http\"}]}}"), 201);
	assert_true(settle(k, two_ready));
	assert_int_equal(req(k, "GET", "/api/v1/namespaces/default/pods", NULL,
	    NULL, &o), 200);
	assert_int_equal(cJSON_GetArraySize(json_path(o, "items")), 2);
	pod = cJSON_GetArrayItem(json_path(o, "items"), 0);
	assert_string_equal(s_at(pod, "status.phase"), "Running");
	assert_int_equal(strncmp(s_at(pod, "status.podIP"), "10.244.", 7), 0);
	assert_string_equal(s_at(cJSON_GetArrayItem(json_path(pod,
	    "metadata.ownerReferences"), 0), "kind"), "Deployment");
	assert_string_equal(s_at(pod, "metadata.labels.app"), "web");
	cJSON_Delete(o);
	assert_int_equal(req(k, "GET", "/apis/discovery.k8s.io/v1/namespaces/"
	    "default/endpointslices", NULL, NULL, &o), 200);
	slice = cJSON_GetArrayItem(json_path(o, "items"), 0);
	p = cJSON_GetArrayItem(json_path(slice, "ports"), 0);
	assert_string_equal(s_at(p, "name"), "web");
	assert_int_equal((int)json_num(p, "port", 0), 8090);
	assert_string_equal(s_at(slice, "addressType"), "IPv4");
	assert_string_equal(s_at(cJSON_GetArrayItem(json_path(slice,
	    "endpoints"), 0), "targetRef.kind"), "Pod");
	cJSON_Delete(o);
	assert_true(settle(k, dep_ready));
	/* scale down: one pod goes terminating, then away */
	assert_int_equal(req(k, "PATCH", "/apis/apps/v1/namespaces/default/"
	    "deployments/web", "{\"spec\":{\"replicas\":1}}",
	    "application/merge-patch+json", NULL), 200);
	assert_true(settle(k, one_ready));
	/* deleting the deployment collects its pods */
	assert_int_equal(req_st(k, "DELETE", "/apis/apps/v1/namespaces/default/"
	    "deployments/web", NULL), 200);
	assert_true(settle(k, no_pods));
	assert_true(settle(k, no_pods));
	assert_true(slice_ready(k, 0));
	sim_kube_free(k);
}

/* The events.k8s.io view of core events. */
static void
test_events_views(void **state)
{
	struct sim_kube	*k = new_sim(0);
	cJSON		*o;

	(void)state;
	assert_int_equal(req(k, "POST",
	    "/apis/events.k8s.io/v1/namespaces/default/events", "{\"metadata\":"
	    "{\"name\":\"ev1\"},\"regarding\":{\"kind\":\"Pod\",\"name\":"
	    "\"p\"},\"note\":\"hello\",\"reason\":\"R\",\"action\":\"A\","
	    "\"reportingController\":\"x/y\",\"reportingInstance\":\"i\","
	    "\"eventTime\":\"2026-01-01T00:00:00.000000Z\",\"type\":"
	    "\"Normal\"}", NULL, &o), 201);
	assert_string_equal(s_at(o, "apiVersion"), "events.k8s.io/v1");
	assert_string_equal(s_at(o, "note"), "hello");
	cJSON_Delete(o);
	assert_int_equal(req(k, "GET", "/api/v1/namespaces/default/events/ev1",
	    NULL, NULL, &o), 200);
	assert_string_equal(s_at(o, "apiVersion"), "v1");
	assert_string_equal(s_at(o, "message"), "hello");
	assert_string_equal(s_at(o, "involvedObject.name"), "p");
	assert_string_equal(s_at(o, "reportingComponent"), "x/y");
	cJSON_Delete(o);
	sim_kube_free(k);
}

/* State file round trip, CRDs included. */
static void
test_state_roundtrip(void **state)
{
	struct sim_kube	*a = new_sim(0), *b = new_sim(0);
	cJSON		*s, *o;
	char		*cause = NULL;

	(void)state;
	assert_int_equal(req_st(a, "POST", "/apis/apiextensions.k8s.io/v1/"
	    "customresourcedefinitions", test_crd), 201);
	assert_int_equal(req_st(a, "POST", "/apis/example.com/v1/namespaces/"
	    "default/widgets", "{\"metadata\":{\"name\":\"kept\"},"
	    "\"spec\":{}}"), 201);
	assert_int_equal(req_st(a, "POST", "/api/v1/namespaces/default/secrets",
	    "{\"metadata\":{\"name\":\"s\"},\"stringData\":{\"k\":\"hi\"}}"),
	    201);
	s = sim_kube_save(a);
	assert_int_equal(sim_kube_load(b, s, &cause), 0);
	cJSON_Delete(s);
	assert_int_equal(req(b, "GET",
	    "/apis/example.com/v1/namespaces/default/widgets/kept", NULL, NULL,
	    &o), 200);
	assert_int_equal((int)json_num(json_path(o, "spec"), "size", 0), 7);
	cJSON_Delete(o);
	assert_int_equal(req(b, "GET", "/api/v1/namespaces/default/secrets/s",
	    NULL, NULL, &o), 200);
	assert_string_equal(s_at(o, "data.k"), "aGk=");
	cJSON_Delete(o);
	/* new writes get fresh resourceVersions */
	assert_int_equal(req(b, "POST", "/api/v1/namespaces/default/configmaps",
	    "{\"metadata\":{\"name\":\"after\"}}", NULL, &o), 201);
	assert_true(skube_rv_of(o) > 5);
	cJSON_Delete(o);
	o = cJSON_Parse("{\"kind\":\"Other\"}");
	assert_int_equal(sim_kube_load(b, o, &cause), -1);
	free(cause);
	cJSON_Delete(o);
	sim_kube_free(a);
	sim_kube_free(b);
}

/* kubectl's protobuf bodies (captured from kubectl 1.32 create). */
static const unsigned char pb_configmap[] = {
	0x6b, 0x38, 0x73, 0x00, 0x0a, 0x0f, 0x0a, 0x02, 0x76, 0x31, 0x12, 0x09,
	0x43, 0x6f, 0x6e, 0x66, 0x69, 0x67, 0x4d, 0x61, 0x70, 0x12, 0x1d, 0x0a,
	0x13, 0x0a, 0x01, 0x63, 0x12, 0x00, 0x1a, 0x02, 0x66, 0x7a, 0x22, 0x00,
	0x2a, 0x00, 0x32, 0x00, 0x38, 0x00, 0x42, 0x00, 0x12, 0x06, 0x0a, 0x01,
	0x61, 0x12, 0x01, 0x62, 0x1a, 0x00, 0x22, 0x00
};
static const unsigned char pb_deployment[] = {
	0x6b, 0x38, 0x73, 0x00, 0x0a, 0x15, 0x0a, 0x07, 0x61, 0x70, 0x70, 0x73,
	0x2f, 0x76, 0x31, 0x12, 0x0a, 0x44, 0x65, 0x70, 0x6c, 0x6f, 0x79, 0x6d,
	0x65, 0x6e, 0x74, 0x12, 0xb2, 0x01, 0x0a, 0x1d, 0x0a, 0x01, 0x64, 0x12,
	0x00, 0x1a, 0x02, 0x66, 0x7a, 0x22, 0x00, 0x2a, 0x00, 0x32, 0x00, 0x38,
	0x00, 0x42, 0x00, 0x5a, 0x08, 0x0a, 0x03, 0x61, 0x70, 0x70, 0x12, 0x01,
	0x64, 0x12, 0x82, 0x01, 0x08, 0x01, 0x12, 0x0a, 0x0a, 0x08, 0x0a, 0x03,
	0x61, 0x70, 0x70, 0x12, 0x01, 0x64, 0x1a, 0x6a, 0x0a, 0x1a, 0x0a, 0x00,
	0x12, 0x00, 0x1a, 0x00, 0x22, 0x00, 0x2a, 0x00, 0x32, 0x00, 0x38, 0x00,
	0x42, 0x00, 0x5a, 0x08, 0x0a, 0x03, 0x61, 0x70, 0x70, 0x12, 0x01, 0x64,
	0x12, 0x4c, 0x12, 0x2e, 0x0a, 0x05, 0x6e, 0x67, 0x69, 0x6e, 0x78, 0x12,
	0x05, 0x6e, 0x67, 0x69, 0x6e, 0x78, 0x2a, 0x00, 0x32, 0x0a, 0x0a, 0x00,
	0x10, 0x00, 0x18, 0x50, 0x22, 0x00, 0x2a, 0x00, 0x42, 0x00, 0x6a, 0x00,
	0x72, 0x00, 0x80, 0x01, 0x00, 0x88, 0x01, 0x00, 0x90, 0x01, 0x00, 0xa2,
	0x01, 0x00, 0x1a, 0x00, 0x32, 0x00, 0x42, 0x00, 0x4a, 0x00, 0x52, 0x00,
	0x58, 0x00, 0x60, 0x00, 0x68, 0x00, 0x82, 0x01, 0x00, 0x8a, 0x01, 0x00,
	0x9a, 0x01, 0x00, 0xc2, 0x01, 0x00, 0x22, 0x02, 0x0a, 0x00, 0x28, 0x00,
	0x38, 0x00, 0x1a, 0x0c, 0x08, 0x00, 0x10, 0x00, 0x18, 0x00, 0x20, 0x00,
	0x28, 0x00, 0x38, 0x00, 0x1a, 0x00, 0x22, 0x00
};

/* Protobuf request bodies decode like their JSON twins. */
static void
test_protobuf(void **state)
{
	struct sim_kube	*k = new_sim(0);
	struct raw	 r;
	cJSON		*o;
	const char	*pb = "application/vnd.kubernetes.protobuf";

	(void)state;
	assert_int_equal(req_st(k, "POST", "/api/v1/namespaces",
	    "{\"metadata\":{\"name\":\"fz\"}}"), 201);
	raw_body(k, &r, "POST", "/api/v1/namespaces/fz/configmaps", pb,
	    pb_configmap, sizeof pb_configmap);
	assert_int_equal(r.resp.status, 201);
	o = cJSON_Parse(r.resp.body.buf);
	assert_string_equal(s_at(o, "data.a"), "b");
	assert_string_equal(s_at(o, "metadata.name"), "c");
	assert_null(json_path(o, "metadata.generateName"));	/* "" dropped */
	cJSON_Delete(o);
	raw_free(&r);
	raw_body(k, &r, "POST", "/apis/apps/v1/namespaces/fz/deployments", pb,
	    pb_deployment, sizeof pb_deployment);
	assert_int_equal(r.resp.status, 201);
	o = cJSON_Parse(r.resp.body.buf);
	assert_int_equal((int)json_num(json_path(o, "spec"), "replicas", 0), 1);
	assert_string_equal(s_at(o, "spec.selector.matchLabels.app"), "d");
	assert_string_equal(s_at(cJSON_GetArrayItem(json_path(o,
	    "spec.template.spec.containers"), 0), "image"), "nginx");
	assert_int_equal((int)json_num(cJSON_GetArrayItem(json_path(
	    cJSON_GetArrayItem(json_path(o, "spec.template.spec.containers"),
	    0), "ports"), 0), "containerPort", 0), 80);
	assert_string_equal(s_at(o, "spec.strategy.type"), "RollingUpdate");
	assert_null(json_path(o, "spec.template.metadata.creationTimestamp"));
	cJSON_Delete(o);
	raw_free(&r);
	/* truncated, unknown kinds and garbage are refused, not crashed on */
	raw_body(k, &r, "POST", "/api/v1/namespaces/fz/configmaps", pb,
	    pb_configmap, sizeof pb_configmap - 7);
	assert_int_equal(r.resp.status, 415);
	raw_free(&r);
	raw_body(k, &r, "POST", "/api/v1/namespaces/fz/configmaps", pb,
	    "k8s\0\x0a\x04\x12\x02XY\x12\x00", 12);
	assert_int_equal(r.resp.status, 415);
	raw_free(&r);
	raw_body(k, &r, "POST", "/api/v1/namespaces/fz/configmaps", pb,
	    "garbage", 7);
	assert_int_equal(r.resp.status, 415);
	raw_free(&r);
	sim_kube_free(k);
}

/* Faults: random 500 on resources (not discovery), dropped watches. */
static void
test_faults(void **state)
{
	struct sim_kube		*k = new_sim(0);
	struct sim_kube_faults	 f;
	struct raw		 r;
	struct strbuf		 sb;
	cJSON			*o;

	(void)state;
	memset(&f, 0, sizeof f);
	f.error_rate = 1.0;
	sim_kube_set_faults(k, &f);
	assert_int_equal(req(k, "GET", "/api/v1/namespaces", NULL, NULL, &o),
	    500);
	assert_string_equal(s_at(o, "reason"), "InternalError");
	cJSON_Delete(o);
	assert_int_equal(req_st(k, "GET", "/apis", NULL), 200);
	f.error_rate = 0;
	f.watch_drop_s = 1;
	sim_kube_set_faults(k, &f);
	assert_int_equal(req_st(k, "GET", "/api/v1/namespaces", NULL), 200);
	raw(k, &r, "GET", "/api/v1/namespaces", "watch=1&timeoutSeconds=3600",
	    NULL, "Bearer t0ken");
	strbuf_init(&sb);
	assert_int_equal(read_lines(&r, &sb, 1000), -1);	/* dropped */
	assert_non_null(strstr(sb.buf, "\"ADDED\""));
	raw_free(&r);
	strbuf_free(&sb);
	/* watches cannot go through the in-process request API */
	assert_int_equal(req_st(k, "GET", "/api/v1/namespaces?watch=1", NULL),
	    400);
	sim_kube_free(k);
}

/* Delete collection with a selector; Orphan keeps dependents. */
static void
test_delete_collection_orphan(void **state)
{
	struct sim_kube	*k = new_sim(0);
	cJSON		*o;
	char		*body;

	(void)state;
	assert_int_equal(req_st(k, "POST",
	    "/api/v1/namespaces/default/configmaps", "{\"metadata\":{\"name\":"
	    "\"a\",\"labels\":{\"g\":\"1\"}}}"), 201);
	assert_int_equal(req_st(k, "POST",
	    "/api/v1/namespaces/default/configmaps", "{\"metadata\":{\"name\":"
	    "\"b\",\"labels\":{\"g\":\"2\"}}}"), 201);
	assert_int_equal(req(k, "DELETE",
	    "/api/v1/namespaces/default/configmaps?labelSelector=g%3D1", NULL,
	    NULL, &o), 200);
	assert_int_equal(cJSON_GetArraySize(json_path(o, "items")), 1);
	cJSON_Delete(o);
	assert_int_equal(req_st(k, "GET",
	    "/api/v1/namespaces/default/configmaps/a", NULL), 404);
	assert_int_equal(req(k, "GET",
	    "/api/v1/namespaces/default/configmaps/b", NULL, NULL, &o), 200);
	xasprintf(&body, "{\"metadata\":{\"name\":\"child\","
	    "\"ownerReferences\":[{\"apiVersion\":\"v1\",\"kind\":"
	    "\"ConfigMap\",\"name\":\"b\",\"uid\":\"%s\"}]}}",
	    s_at(o, "metadata.uid"));
	cJSON_Delete(o);
	assert_int_equal(req_st(k, "POST",
	    "/api/v1/namespaces/default/configmaps", body), 201);
	free(body);
	assert_int_equal(req_st(k, "DELETE", "/api/v1/namespaces/default/"
	    "configmaps/b", "{\"propagationPolicy\":\"Orphan\"}"), 200);
	assert_int_equal(req_st(k, "GET",
	    "/api/v1/namespaces/default/configmaps/child", NULL), 200);
	assert_int_equal(req_st(k, "DELETE", "/api/v1/namespaces/default/"
	    "configmaps/child", "{\"preconditions\":{\"uid\":\"nope\"}}"), 409);
	sim_kube_free(k);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_discovery),
		cmocka_unit_test(test_openapi),
		cmocka_unit_test(test_create_errors),
		cmocka_unit_test(test_update_conflict_generation),
		cmocka_unit_test(test_crd_status),
		cmocka_unit_test(test_finalizers),
		cmocka_unit_test(test_namespace_deletion),
		cmocka_unit_test(test_list_paging_selectors),
		cmocka_unit_test(test_selectors),
		cmocka_unit_test(test_patch_primitives),
		cmocka_unit_test(test_patch_requests),
		cmocka_unit_test(test_server_side_apply),
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_watch),
		cmocka_unit_test(test_watch_expired),
		cmocka_unit_test(test_auth),
		cmocka_unit_test(test_controllers),
		cmocka_unit_test(test_events_views),
		cmocka_unit_test(test_state_roundtrip),
		cmocka_unit_test(test_protobuf),
		cmocka_unit_test(test_faults),
		cmocka_unit_test(test_delete_collection_orphan),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
