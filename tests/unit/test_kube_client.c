/* kube REST client against a canned API server (testsrv): headers,
 * paths, list paging, writes, patch content types, typed errors, the
 * 401 retry, TLS from a kubeconfig, streams and discovery. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <openssl/evp.h>

#include "latticectl/http.h"
#include "latticectl/json.h"
#include "latticectl/kube.h"
#include "latticectl/strbuf.h"
#include "latticectl/version.h"
#include "latticectl/xmalloc.h"
#include "testlib.h"
#include "testsrv.h"

#define MAX_SEEN 64

/* What the fake API server saw and how it answers. */
struct fake {
	pthread_mutex_t	 lock;
	char		*method[MAX_SEEN];
	char		*target[MAX_SEEN];
	char		*body[MAX_SEEN];
	struct http_headers hdr[MAX_SEEN];
	int		 cert_ok[MAX_SEEN];
	size_t		 n;
	char		*valid_token;	/* NULL: any */
};

static struct fake fake;

/* Reset the record. */
static void
fake_reset(const char *valid_token)
{
	size_t	i;

	pthread_mutex_lock(&fake.lock);
	for (i = 0; i < fake.n; i++) {
		free(fake.method[i]);
		free(fake.target[i]);
		free(fake.body[i]);
		http_headers_free(&fake.hdr[i]);
	}
	fake.n = 0;
	free(fake.valid_token);
	fake.valid_token = xstrdup_or_null(valid_token);
	pthread_mutex_unlock(&fake.lock);
}

/* Answer with a Status object. */
static void
reply_status(struct testsrv_resp *resp, int code, const char *reason,
    const char *msg)
{
	resp->status = code;
	http_headers_add(&resp->headers, "Content-Type", "application/json");
	strbuf_addf(&resp->body, "{\"kind\":\"Status\",\"apiVersion\":\"v1\","
	    "\"metadata\":{},\"status\":\"Failure\",\"message\":\"%s\","
	    "\"reason\":\"%s\",\"details\":{\"name\":\"web\",\"kind\":"
	    "\"services\"},\"code\":%d}", msg, reason, code);
}

/* Answer 200 (or code) with JSON text. */
static void
reply_json(struct testsrv_resp *resp, int code, const char *json)
{
	resp->status = code;
	http_headers_add(&resp->headers, "Content-Type", "application/json");
	strbuf_adds(&resp->body, json);
}

static const char *apis_doc =
    "{\"kind\":\"APIGroupList\",\"groups\":["
    "{\"name\":\"gateway.networking.k8s.io\",\"versions\":["
    "{\"groupVersion\":\"gateway.networking.k8s.io/v1beta1\","
    "\"version\":\"v1beta1\"},"
    "{\"groupVersion\":\"gateway.networking.k8s.io/v1alpha2\","
    "\"version\":\"v1alpha2\"},"
    "{\"groupVersion\":\"gateway.networking.k8s.io/v1\",\"version\":\"v1\"}],"
    "\"preferredVersion\":{\"version\":\"v1beta1\"}},"
    "{\"name\":\"application-networking.k8s.aws\",\"versions\":["
    "{\"groupVersion\":\"application-networking.k8s.aws/v1alpha1\","
    "\"version\":\"v1alpha1\"}]}]}";

/* Discovery documents. */
static int
fake_discovery(const char *path, struct testsrv_resp *resp)
{
	if (strcmp(path, "/api") == 0)
		reply_json(resp, 200, "{\"kind\":\"APIVersions\","
		    "\"versions\":[\"v1\"]}");
	else if (strcmp(path, "/apis") == 0)
		reply_json(resp, 200, apis_doc);
	else if (strcmp(path, "/api/v1") == 0)
		reply_json(resp, 200, "{\"resources\":[{\"name\":\"services\"},"
		    "{\"name\":\"services/status\"},{\"name\":\"pods\"}]}");
	else if (strcmp(path, "/apis/gateway.networking.k8s.io/v1") == 0)
		reply_json(resp, 200, "{\"resources\":[{\"name\":\"gateways\"},"
		    "{\"name\":\"httproutes\"},{\"name\":\"httproutes/status\"},"
		    "{\"name\":\"grpcroutes/status\"}]}");
	else if (strcmp(path, "/apis/gateway.networking.k8s.io/v1beta1") == 0)
		reply_json(resp, 200, "{\"resources\":[{\"name\":\"gateways\"},"
		    "{\"name\":\"httproutes\"},{\"name\":\"referencegrants\"}]}");
	else if (strcmp(path, "/apis/gateway.networking.k8s.io/v1alpha2") == 0)
		reply_json(resp, 200, "{\"resources\":[{\"name\":\"tlsroutes\"},"
		    "{\"name\":\"referencegrants\"}]}");
	else if (strcmp(path, "/apis/application-networking.k8s.aws/v1alpha1")
	    == 0)
		reply_status(resp, 404, "NotFound", "not found");
	else
		return 0;
	return 1;
}

/* Service list pages of two items. */
static void
fake_list(const char *query, struct testsrv_resp *resp)
{
	if (strstr(query, "continue=tok%201") != NULL)
		reply_json(resp, 200, "{\"kind\":\"ServiceList\",\"apiVersion\":"
		    "\"v1\",\"metadata\":{\"resourceVersion\":\"100\"},"
		    "\"items\":[{\"metadata\":{\"name\":\"c\"}}]}");
	else
		reply_json(resp, 200, "{\"kind\":\"ServiceList\",\"apiVersion\":"
		    "\"v1\",\"metadata\":{\"resourceVersion\":\"100\","
		    "\"continue\":\"tok 1\"},\"items\":[{\"metadata\":"
		    "{\"name\":\"a\"}},{\"kind\":\"Service\",\"apiVersion\":\"v1\","
		    "\"metadata\":{\"name\":\"b\"}}]}");
}

/* Echo the request as JSON: method, query, content type, body. */
static void
fake_echo(const struct testsrv_req *req, const char *query, int code,
    struct testsrv_resp *resp)
{
	cJSON	*o;
	char	*s;

	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "method", req->method);
	cJSON_AddStringToObject(o, "query", query);
	json_add_str_opt(o, "ctype", http_headers_get(&req->headers,
	    "Content-Type"));
	cJSON_AddStringToObject(o, "body", req->body);
	s = json_print(o);
	reply_json(resp, code, s);
	free(s);
	cJSON_Delete(o);
}

/* Watch-like stream: three chunks splitting an object. */
static int
fake_stream(void *arg, unsigned idx, struct strbuf *out)
{
	static const char *chunks[] = { "{\"type\":\"ADDED\",\"obj",
	    "ect\":{}}\n{\"type\":\"BOOK", "MARK\",\"object\":{}}\n" };

	(void)arg;
	if (idx >= 3)
		return 1;
	strbuf_adds(out, chunks[idx]);
	return 0;
}

/* An endless slow stream (for cancellation). */
static int
fake_endless(void *arg, unsigned idx, struct strbuf *out)
{
	(void)arg;
	(void)idx;
	usleep(50 * 1000);
	strbuf_adds(out, "{}\n");
	return 0;
}

/* Record a request. */
static void
fake_record(const struct testsrv_req *req)
{
	pthread_mutex_lock(&fake.lock);
	if (fake.n < MAX_SEEN) {
		fake.method[fake.n] = xstrdup(req->method);
		fake.target[fake.n] = xstrdup(req->target);
		fake.body[fake.n] = xstrndup(req->body, req->body_len);
		memset(&fake.hdr[fake.n], 0, sizeof fake.hdr[fake.n]);
		http_headers_copy(&fake.hdr[fake.n], &req->headers);
		fake.cert_ok[fake.n] = req->client_cert_ok;
		fake.n++;
	}
	pthread_mutex_unlock(&fake.lock);
}

/* Whether the request's token is acceptable. */
static int
fake_authorized(const struct testsrv_req *req)
{
	const char	*auth;
	char		*want;
	int		 ok;

	pthread_mutex_lock(&fake.lock);
	if (fake.valid_token == NULL) {
		pthread_mutex_unlock(&fake.lock);
		return 1;
	}
	xasprintf(&want, "Bearer %s", fake.valid_token);
	pthread_mutex_unlock(&fake.lock);
	auth = http_headers_get(&req->headers, "Authorization");
	ok = auth != NULL && strcmp(auth, want) == 0;
	free(want);
	return ok;
}

/* The fake API server. */
static void
fake_handler(void *arg, const struct testsrv_req *req,
    struct testsrv_resp *resp)
{
	const char	*q, *m = req->method;
	char		*path;

	(void)arg;
	fake_record(req);
	q = strchr(req->target, '?');
	path = q != NULL ? xstrndup(req->target, (size_t)(q - req->target)) :
	    xstrdup(req->target);
	q = q != NULL ? q + 1 : "";
	if (!fake_authorized(req))
		reply_status(resp, 401, "Unauthorized", "Unauthorized");
	else if (strcmp(m, "GET") == 0 && fake_discovery(path, resp))
		;
	else if (strcmp(path, "/api/v1/namespaces/default/services") == 0 &&
	    strcmp(m, "GET") == 0)
		fake_list(q, resp);
	else if (strcmp(path, "/api/v1/namespaces/default/services") == 0 &&
	    strstr(req->body, "\"dup\"") != NULL)
		reply_status(resp, 409, "AlreadyExists", "services \\\"dup\\\" "
		    "already exists");
	else if (strcmp(m, "PUT") == 0 && strstr(req->body,
	    "\"resourceVersion\":\"1\"") != NULL)
		reply_status(resp, 409, "Conflict", "the object has been "
		    "modified");
	else if (strcmp(path, "/api/v1/namespaces/default/services/missing") ==
	    0)
		reply_status(resp, 404, "NotFound", "services \\\"missing\\\" "
		    "not found");
	else if (strcmp(path, "/busy") == 0) {
		reply_status(resp, 429, "TooManyRequests", "slow down");
		http_headers_add(&resp->headers, "Retry-After", "3");
	} else if (strcmp(path, "/stream") == 0)
		resp->stream = fake_stream;
	else if (strcmp(path, "/endless") == 0)
		resp->stream = fake_endless;
	else if (strcmp(path, "/gone") == 0)
		reply_status(resp, 410, "Expired", "too old resource version");
	else if (strcmp(path, "/version") == 0)
		reply_json(resp, 200, "{\"major\":\"1\",\"minor\":\"31\","
		    "\"gitVersion\":\"v1.31.0-sim\"}");
	else
		fake_echo(req, q, strcmp(m, "POST") == 0 ? 201 :
		    strcmp(m, "DELETE") == 0 ? 202 : 200, resp);
	free(path);
}

/* A client to srv with a static token (or the given kubeconfig user). */
static struct kube_client *
client_for(struct testsrv *srv, const char *token)
{
	struct kube_conn_params	 p;
	struct kube_client	*kc;
	char			*cause = NULL;

	memset(&p, 0, sizeof p);
	p.server = testsrv_url(srv);
	p.token = token;
	if ((kc = kube_client_new(kube_conn_new(&p), &cause)) == NULL)
		fail_msg("client: %s", cause);
	return kc;
}

/* Start the fake server. */
static struct testsrv *
start(const struct testsrv_opts *o)
{
	struct testsrv_opts	 def;
	struct testsrv		*srv;
	char			*cause = NULL;

	if (o == NULL) {
		memset(&def, 0, sizeof def);
		def.handler = fake_handler;
		o = &def;
	}
	if ((srv = testsrv_start(o, &cause)) == NULL)
		fail_msg("testsrv: %s", cause);
	fake_reset(NULL);
	return srv;
}

/* GET: path, Accept, User-Agent, bearer token; list paging. */
static void
test_get_and_list(void **state)
{
	struct testsrv		*srv = start(NULL);
	struct kube_client	*kc = client_for(srv, "sekret");
	struct kube_list_opts	 lo;
	struct kube_error	 e;
	cJSON			*obj, *items, *it;
	char			*rv, *ua;

	(void)state;
	memset(&e, 0, sizeof e);
	assert_int_equal(kube_get(kc, &KUBE_RES_HTTPROUTES, "team a", "r1",
	    &obj, &e), 0);
	assert_string_equal(json_str(obj, "method"), "GET");
	cJSON_Delete(obj);
	assert_string_equal(fake.target[0], "/apis/gateway.networking.k8s.io/"
	    "v1/namespaces/team%20a/httproutes/r1");
	assert_string_equal(http_headers_get(&fake.hdr[0], "Accept"),
	    "application/json");
	assert_string_equal(http_headers_get(&fake.hdr[0], "Authorization"),
	    "Bearer sekret");
	xasprintf(&ua, "latticectl/%s", LATTICECTL_VERSION);
	assert_string_equal(http_headers_get(&fake.hdr[0], "User-Agent"), ua);
	free(ua);

	memset(&lo, 0, sizeof lo);
	lo.limit = 2;
	lo.label_selector = "app=web,tier!=db";
	lo.resource_version = "0";
	assert_int_equal(kube_list_all(kc, &KUBE_RES_SERVICES, "default", &lo,
	    &items, &rv, &e), 0);
	assert_int_equal(cJSON_GetArraySize(items), 3);
	assert_string_equal(rv, "100");
	it = cJSON_GetArrayItem(items, 0);
	assert_string_equal(json_path_str(it, "metadata.name"), "a");
	assert_string_equal(json_str(it, "kind"), "Service");
	assert_string_equal(json_str(it, "apiVersion"), "v1");
	assert_string_equal(json_path_str(cJSON_GetArrayItem(items, 2),
	    "metadata.name"), "c");
	assert_int_equal(fake.n, 3);
	assert_string_equal(fake.target[1], "/api/v1/namespaces/default/"
	    "services?limit=2&resourceVersion=0&labelSelector="
	    "app%3Dweb%2Ctier%21%3Ddb");
	/* The continue page carries no resourceVersion. */
	assert_string_equal(fake.target[2], "/api/v1/namespaces/default/"
	    "services?limit=2&continue=tok%201&labelSelector="
	    "app%3Dweb%2Ctier%21%3Ddb");
	cJSON_Delete(items);
	free(rv);
	kube_client_free(kc);
	testsrv_stop(srv);
}

/* Create, update, status, delete: methods, paths, bodies, namespaces. */
static void
test_writes(void **state)
{
	struct testsrv		*srv = start(NULL);
	struct kube_client	*kc = client_for(srv, NULL);
	struct kube_error	 e;
	cJSON			*obj, *out, *body;

	(void)state;
	memset(&e, 0, sizeof e);
	obj = cJSON_Parse("{\"apiVersion\":\"v1\",\"kind\":\"Service\","
	    "\"metadata\":{\"name\":\"web\",\"namespace\":\"shop\","
	    "\"resourceVersion\":\"7\"}}");
	assert_int_equal(kube_create(kc, &KUBE_RES_SERVICES, NULL, obj, &out,
	    &e), 0);
	assert_string_equal(fake.target[0], "/api/v1/namespaces/shop/services");
	assert_string_equal(json_str(out, "method"), "POST");
	assert_string_equal(json_str(out, "ctype"), "application/json");
	body = cJSON_Parse(json_str(out, "body"));
	assert_true(json_equal(body, obj));
	cJSON_Delete(body);
	cJSON_Delete(out);
	assert_null(http_headers_get(&fake.hdr[0], "Authorization"));

	assert_int_equal(kube_update(kc, &KUBE_RES_SERVICES, "other", obj,
	    &out, &e), 0);
	assert_string_equal(fake.target[1],
	    "/api/v1/namespaces/other/services/web");
	assert_string_equal(json_str(out, "method"), "PUT");
	cJSON_Delete(out);
	assert_int_equal(kube_update_status(kc, &KUBE_RES_SERVICES, NULL, obj,
	    NULL, &e), 0);
	assert_string_equal(fake.target[2],
	    "/api/v1/namespaces/shop/services/web/status");
	cJSON_Delete(obj);

	/* Cluster-scoped: no namespace in the path. */
	obj = cJSON_Parse("{\"metadata\":{\"name\":\"amazon-vpc-lattice\"}}");
	assert_int_equal(kube_create(kc, &KUBE_RES_GATEWAYCLASSES, "x", obj,
	    NULL, &e), 0);
	assert_string_equal(fake.target[3],
	    "/apis/gateway.networking.k8s.io/v1/gatewayclasses");
	cJSON_Delete(obj);

	/* No namespace anywhere: the connection's ("default"). */
	obj = cJSON_Parse("{\"metadata\":{\"name\":\"n\"}}");
	assert_int_equal(kube_create(kc, &KUBE_RES_CONFIGMAPS, NULL, obj,
	    NULL, &e), 0);
	assert_string_equal(fake.target[4],
	    "/api/v1/namespaces/default/configmaps");
	cJSON_Delete(obj);
	obj = cJSON_Parse("{\"metadata\":{}}");
	assert_int_equal(kube_update(kc, &KUBE_RES_CONFIGMAPS, NULL, obj,
	    NULL, &e), -1);
	assert_non_null(strstr(e.message, "metadata.name"));
	cJSON_Delete(obj);

	/* Delete with a propagation policy; 202 is success. */
	assert_int_equal(kube_delete(kc, &KUBE_RES_DEPLOYMENTS, "shop", "api",
	    "Foreground", &e), 0);
	assert_string_equal(fake.method[5], "DELETE");
	assert_string_equal(fake.target[5],
	    "/apis/apps/v1/namespaces/shop/deployments/api");
	body = cJSON_Parse(fake.body[5]);
	assert_string_equal(json_str(body, "kind"), "DeleteOptions");
	assert_string_equal(json_str(body, "propagationPolicy"), "Foreground");
	cJSON_Delete(body);
	assert_int_equal(kube_delete(kc, &KUBE_RES_PODS, NULL, "p", NULL, &e),
	    0);
	assert_string_equal(fake.target[6], "/api/v1/namespaces/default/pods/p");
	assert_string_equal(fake.body[6], "");
	kube_error_clear(&e);
	kube_client_free(kc);
	testsrv_stop(srv);
}

/* Patch content types, fieldManager and force. */
static void
test_patches(void **state)
{
	static const struct {
		enum kube_patch_type	 t;
		const char		*ctype;
		const char		*fm;
		int			 force;
		const char		*query;
	} cases[] = {
		{ KUBE_PATCH_MERGE, "application/merge-patch+json", NULL, 0, "" },
		{ KUBE_PATCH_JSON, "application/json-patch+json", "lattice", 0,
		  "fieldManager=lattice" },
		{ KUBE_PATCH_STRATEGIC, "application/strategic-merge-patch+json",
		  NULL, 1, "" },
		{ KUBE_PATCH_APPLY, "application/apply-patch+yaml",
		  "latticectl controller", 1,
		  "fieldManager=latticectl%20controller&force=true" },
		{ KUBE_PATCH_APPLY, "application/apply-patch+yaml", "m", 0,
		  "fieldManager=m" },
	};
	struct testsrv		*srv = start(NULL);
	struct kube_client	*kc = client_for(srv, NULL);
	struct kube_error	 e;
	cJSON			*out;
	size_t			 i;

	(void)state;
	memset(&e, 0, sizeof e);
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		assert_int_equal(kube_patch(kc, &KUBE_RES_HTTPROUTES, "ns", "r",
		    i == 0 ? "status" : NULL, cases[i].t, "{\"a\":1}",
		    cases[i].fm, cases[i].force, &out, &e), 0);
		assert_string_equal(json_str(out, "method"), "PATCH");
		assert_string_equal(json_str(out, "ctype"), cases[i].ctype);
		assert_string_equal(json_str(out, "query"), cases[i].query);
		assert_string_equal(json_str(out, "body"), "{\"a\":1}");
		cJSON_Delete(out);
	}
	assert_string_equal(fake.target[0], "/apis/gateway.networking.k8s.io/"
	    "v1/namespaces/ns/httproutes/r/status");
	assert_int_equal(kube_patch(kc, &KUBE_RES_HTTPROUTES, "ns", "r", NULL,
	    KUBE_PATCH_APPLY, "{}", NULL, 1, NULL, &e), -1);
	assert_non_null(strstr(e.message, "field manager"));
	kube_error_clear(&e);
	kube_client_free(kc);
	testsrv_stop(srv);
}

/* Status answers become typed errors; Retry-After is kept. */
static void
test_typed_errors(void **state)
{
	struct testsrv		*srv = start(NULL);
	struct kube_client	*kc = client_for(srv, NULL);
	struct kube_error	 e;
	cJSON			*obj;
	long			 status = 0;

	(void)state;
	memset(&e, 0, sizeof e);
	assert_int_equal(kube_get(kc, &KUBE_RES_SERVICES, "default", "missing",
	    &obj, &e), -1);
	assert_null(obj);
	assert_true(kube_error_is_not_found(&e));
	assert_string_equal(e.reason, "NotFound");
	assert_string_equal(e.message, "services \"missing\" not found");
	assert_string_equal(e.kind, "services");

	obj = cJSON_Parse("{\"metadata\":{\"name\":\"dup\"}}");
	assert_int_equal(kube_create(kc, &KUBE_RES_SERVICES, "default", obj,
	    NULL, &e), -1);
	assert_true(kube_error_is_already_exists(&e));
	cJSON_Delete(obj);
	obj = cJSON_Parse("{\"metadata\":{\"name\":\"web\","
	    "\"resourceVersion\":\"1\"}}");
	assert_int_equal(kube_update(kc, &KUBE_RES_SERVICES, "default", obj,
	    NULL, &e), -1);
	assert_true(kube_error_is_conflict(&e));
	assert_int_equal(e.status, 409);
	cJSON_Delete(obj);

	assert_int_equal(kube_request(kc, "GET", "/busy", NULL, NULL, NULL,
	    &status, NULL, &e), -1);
	assert_int_equal(status, 429);
	assert_string_equal(e.reason, "TooManyRequests");
	assert_true(e.retry_after == 3.0);
	kube_client_free(kc);

	/* No server at all: a transport error. */
	testsrv_stop(srv);
	kc = client_for(srv = start(NULL), NULL);
	testsrv_stop(srv);
	assert_int_equal(kube_get(kc, &KUBE_RES_PODS, "a", "b", &obj, &e), -1);
	assert_int_equal(e.transport, 1);
	assert_int_equal(e.status, 0);
	kube_error_clear(&e);
	kube_client_free(kc);
}

/* A 401 re-reads the token file and retries once; a static token does
 * not retry. */
static void
test_unauthorized_retry(void **state)
{
	struct testsrv		*srv = start(NULL);
	struct kube_config_opts	 o;
	struct kube_conn	*c;
	struct kube_client	*kc;
	struct kube_error	 e;
	cJSON			*obj;
	char			*dir, *cfg, *tok, *text, *cause = NULL;

	(void)state;
	memset(&e, 0, sizeof e);
	dir = test_tmpdir();
	xasprintf(&tok, "%s/token", dir);
	xasprintf(&cfg, "%s/config", dir);
	xasprintf(&text, "current-context: x\ncontexts:\n- name: x\n  context: "
	    "{cluster: c, user: u}\nclusters:\n- name: c\n  cluster: "
	    "{server: '%s'}\nusers:\n- name: u\n  user: {tokenFile: token}\n",
	    testsrv_url(srv));
	assert_int_equal(test_write_file(cfg, text, 0600), 0);
	assert_int_equal(test_write_file(tok, "old\n", 0600), 0);
	memset(&o, 0, sizeof o);
	o.kubeconfig = cfg;
	assert_int_equal(kube_conn_load(&o, &c, &cause), 0);
	kc = kube_client_new(c, &cause);
	fake_reset("old");
	assert_int_equal(kube_get(kc, &KUBE_RES_PODS, "a", "b", &obj, &e), 0);
	cJSON_Delete(obj);
	assert_int_equal(fake.n, 1);

	/* Rotated on disk; the cached "old" gets a 401, then "new" works. */
	assert_int_equal(test_write_file(tok, "new\n", 0600), 0);
	fake_reset("new");
	assert_int_equal(kube_get(kc, &KUBE_RES_PODS, "a", "b", &obj, &e), 0);
	cJSON_Delete(obj);
	assert_int_equal(fake.n, 2);
	assert_string_equal(http_headers_get(&fake.hdr[0], "Authorization"),
	    "Bearer old");
	assert_string_equal(http_headers_get(&fake.hdr[1], "Authorization"),
	    "Bearer new");
	kube_client_free(kc);

	kc = client_for(srv, "wrong");
	fake_reset("right");
	assert_int_equal(kube_get(kc, &KUBE_RES_PODS, "a", "b", &obj, &e), -1);
	assert_int_equal(e.status, 401);
	assert_string_equal(e.reason, "Unauthorized");
	assert_int_equal(fake.n, 1);
	kube_error_clear(&e);
	kube_client_free(kc);
	testsrv_stop(srv);
	free(text);
	free(tok);
	free(cfg);
	test_rm_tree(dir);
}

/* Base64 of a string, as kubeconfig -data fields hold (caller frees). */
static char *
b64(const char *s)
{
	unsigned char	*out;
	size_t		 len = strlen(s);

	out = xmalloc((len + 2) / 3 * 4 + 1);
	EVP_EncodeBlock(out, (const unsigned char *)s, (int)len);
	return (char *)out;
}

/* TLS from a kubeconfig: CA data, client certificate data, tls-server-
 * name, basic auth and impersonation headers. */
static void
test_tls_kubeconfig(void **state)
{
	struct testsrv_pki	 pki;
	struct testsrv_opts	 so;
	struct testsrv		*srv;
	struct kube_conn	*c;
	struct kube_client	*kc;
	struct kube_error	 e;
	char			*text, *ca, *cert, *key, *cause = NULL, *v;
	cJSON			*obj;

	(void)state;
	memset(&e, 0, sizeof e);
	if (testsrv_make_pki(&pki, "api.lab.internal", &cause) != 0)
		fail_msg("pki: %s", cause);
	memset(&so, 0, sizeof so);
	so.cert_pem = pki.server_cert_pem;
	so.key_pem = pki.server_key_pem;
	so.client_ca_pem = pki.client_ca_pem;
	so.handler = fake_handler;
	srv = start(&so);
	ca = b64(pki.ca_pem);
	cert = b64(pki.client_cert_pem);
	key = b64(pki.client_key_pem);
	xasprintf(&text, "current-context: x\ncontexts:\n- name: x\n  context: "
	    "{cluster: c, user: u}\nclusters:\n- name: c\n  cluster:\n"
	    "    server: https://127.0.0.1:%d\n"
	    "    tls-server-name: api.lab.internal\n"
	    "    certificate-authority-data: %s\n"
	    "users:\n- name: u\n  user:\n"
	    "    client-certificate-data: %s\n    client-key-data: %s\n"
	    "    username: admin\n    password: 'p:w'\n"
	    "    as: jane\n    as-groups: [devs, ops]\n",
	    testsrv_port(srv), ca, cert, key);
	assert_int_equal(kube_conn_load_text(text, strlen(text), "/k/config",
	    NULL, &c, &cause), 0);
	if ((kc = kube_client_new(c, &cause)) == NULL)
		fail_msg("client: %s", cause);
	if (kube_get(kc, &KUBE_RES_PODS, "a", "b", &obj, &e) != 0)
		fail_msg("get: %s", e.message);
	cJSON_Delete(obj);
	assert_int_equal(fake.cert_ok[0], 1);
	/* base64("admin:p:w") */
	assert_string_equal(http_headers_get(&fake.hdr[0], "Authorization"),
	    "Basic YWRtaW46cDp3");
	assert_string_equal(http_headers_get(&fake.hdr[0], "Impersonate-User"),
	    "jane");
	assert_string_equal(http_headers_get_nth(&fake.hdr[0],
	    "Impersonate-Group", 1), "ops");
	assert_int_equal(kube_server_version(kc, &v, &cause), 0);
	assert_string_equal(v, "v1.31.0-sim");
	free(v);
	kube_client_free(kc);
	testsrv_stop(srv);

	/* Without the CA the server is not trusted. */
	memset(&so, 0, sizeof so);
	so.cert_pem = pki.server_cert_pem;
	so.key_pem = pki.server_key_pem;
	so.handler = fake_handler;
	srv = start(&so);
	kc = client_for(srv, "t");
	assert_int_equal(kube_get(kc, &KUBE_RES_PODS, "a", "b", &obj, &e), -1);
	assert_int_equal(e.transport, 1);
	kube_error_clear(&e);
	kube_client_free(kc);
	testsrv_stop(srv);
	free(text);
	free(ca);
	free(cert);
	free(key);
	testsrv_pki_free(&pki);
}

/* Collects streamed bytes; cancels after limit bytes when set. */
struct sink {
	struct strbuf	 sb;
	size_t		 calls;
	size_t		 limit;
};

/* on_data: append. */
static int
sink_data(void *arg, const char *data, size_t len)
{
	struct sink	*s = arg;

	strbuf_add(&s->sb, data, len);
	s->calls++;
	return 0;
}

/* cancel: once enough arrived. */
static int
sink_cancel(void *arg)
{
	struct sink	*s = arg;

	return s->limit > 0 && s->sb.len >= s->limit;
}

/* Streams deliver every byte; errors come typed; cancel stops. */
static void
test_stream(void **state)
{
	struct testsrv		*srv = start(NULL);
	struct kube_client	*kc = client_for(srv, "t");
	struct kube_error	 e;
	struct sink		 s;

	(void)state;
	memset(&e, 0, sizeof e);
	memset(&s, 0, sizeof s);
	strbuf_init(&s.sb);
	assert_int_equal(kube_stream(kc, "/stream", "watch=1", sink_data, &s,
	    NULL, NULL, &e), 0);
	assert_string_equal(s.sb.buf, "{\"type\":\"ADDED\",\"object\":{}}\n"
	    "{\"type\":\"BOOKMARK\",\"object\":{}}\n");
	assert_string_equal(fake.target[0], "/stream?watch=1");

	strbuf_reset(&s.sb);
	assert_int_equal(kube_stream(kc, "/gone", NULL, sink_data, &s, NULL,
	    NULL, &e), -1);
	assert_true(kube_error_is_gone(&e));
	assert_int_equal(s.sb.len, 0);

	s.limit = 9;
	assert_int_equal(kube_stream(kc, "/endless", NULL, sink_data, &s,
	    sink_cancel, &s, &e), -1);
	assert_int_equal(e.transport, 1);
	assert_true(s.sb.len >= 9);
	strbuf_free(&s.sb);
	kube_error_clear(&e);
	kube_client_free(kc);
	testsrv_stop(srv);
}

/* Discovery: priority order over the listed order, subresources ignored,
 * missing groups and resources named, answers cached. */
static void
test_discovery(void **state)
{
	struct testsrv		*srv = start(NULL);
	struct kube_client	*kc = client_for(srv, NULL);
	struct kube_resource	 r;
	char			*v, *cause = NULL;
	size_t			 n;

	(void)state;
	assert_int_equal(kube_discover(kc, "gateway.networking.k8s.io",
	    "httproutes", &v, &cause), 0);
	assert_string_equal(v, "v1");
	free(v);
	n = fake.n;
	assert_int_equal(n, 3);		/* /api, /apis, one group version */
	assert_int_equal(kube_discover(kc, "gateway.networking.k8s.io",
	    "gateways", &v, &cause), 0);
	assert_string_equal(v, "v1");
	free(v);
	assert_int_equal(fake.n, n);	/* cached */

	assert_int_equal(kube_discover(kc, "gateway.networking.k8s.io",
	    "referencegrants", &v, &cause), 0);
	assert_string_equal(v, "v1beta1");
	free(v);
	assert_int_equal(kube_discover(kc, "gateway.networking.k8s.io",
	    "tlsroutes", &v, &cause), 0);
	assert_string_equal(v, "v1alpha2");
	free(v);
	assert_int_equal(kube_resource_resolve(kc, &KUBE_RES_TLSROUTES, &r,
	    &cause), 0);
	assert_string_equal(r.version, "v1alpha2");
	assert_string_equal(r.resource, "tlsroutes");
	kube_discovery_invalidate(kc);
	assert_string_equal(r.version, "v1alpha2");	/* still valid */

	/* grpcroutes/status alone does not make grpcroutes served. */
	assert_int_equal(kube_discover(kc, "gateway.networking.k8s.io",
	    "grpcroutes", &v, &cause), 1);
	assert_null(v);
	assert_non_null(strstr(cause,
	    "grpcroutes.gateway.networking.k8s.io is not served"));
	assert_non_null(strstr(cause, "CRD"));
	xfree_ptr(&cause);
	assert_int_equal(kube_discover(kc, "application-networking.k8s.aws",
	    "serviceexports", &v, &cause), 1);
	xfree_ptr(&cause);
	assert_int_equal(kube_resource_resolve(kc, &KUBE_RES_LEASES, &r,
	    &cause), 1);
	assert_non_null(strstr(cause, "leases.coordination.k8s.io"));
	xfree_ptr(&cause);
	assert_int_equal(kube_discover(kc, "", "services", &v, &cause), 0);
	assert_string_equal(v, "v1");
	free(v);
	assert_int_equal(kube_discover(kc, "", "widgets", &v, &cause), 1);
	xfree_ptr(&cause);
	kube_client_free(kc);
	testsrv_stop(srv);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_get_and_list),
		cmocka_unit_test(test_writes),
		cmocka_unit_test(test_patches),
		cmocka_unit_test(test_typed_errors),
		cmocka_unit_test(test_unauthorized_retry),
		cmocka_unit_test(test_tls_kubeconfig),
		cmocka_unit_test(test_stream),
		cmocka_unit_test(test_discovery),
	};
	int	rc;

	unsetenv("KUBECONFIG");
	unsetenv("https_proxy");
	unsetenv("HTTPS_PROXY");
	unsetenv("http_proxy");
	unsetenv("HTTP_PROXY");
	pthread_mutex_init(&fake.lock, NULL);
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	fake_reset(NULL);
	return rc;
}
