/* kube_client: the Kubernetes REST client: paths, auth headers, a retry
 * after 401, typed errors, list paging, writes, patches and streams. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LOG_MODULE "kube"
#include "latticectl/error.h"
#include "latticectl/http.h"
#include "latticectl/json.h"
#include "latticectl/kube.h"
#include "latticectl/log.h"
#include "latticectl/strbuf.h"
#include "latticectl/xmalloc.h"

#include "kube_client_int.h"
#include "kube_conn_int.h"

/* One exchange's inputs. */
struct kc_req {
	const char	*method;
	const char	*path;
	const char	*query;
	const char	*ctype;
	const char	*body;
	long		 timeout_ms;
	http_data_fn	 on_data;
	void		*on_data_arg;
	http_cancel_fn	 cancel;
	void		*cancel_arg;
};

/* A local (not server-sent) error. */
static int
kc_local_error(struct kube_error *e, const char *msg)
{
	kube_error_clear(e);
	e->message = xstrdup(msg);
	return -1;
}

/* A new http client for conn, with an exec-provided cert if given. */
static struct http_client *
kc_http_new(struct kube_client *kc, const struct kube_creds *cr,
    char **cause)
{
	struct http_client_opts	 o;
	struct http_client	*h;

	kube_conn_http_opts(kc->conn, &o);
	if (cr != NULL && cr->cert_pem != NULL) {
		o.tls.cert_pem = cr->cert_pem;
		o.tls.key_pem = cr->key_pem;
		o.tls.cert_file = o.tls.key_file = NULL;
	}
	if ((h = http_client_new(&o, cause)) == NULL)
		return NULL;
	if (kc->trace != NULL)
		http_client_set_trace(h, kc->trace, kc->trace_arg);
	return h;
}

/* The http client to use with these credentials (rebuilt when an exec
 * plugin hands out a different client certificate). */
static struct http_client *
kc_http(struct kube_client *kc, const struct kube_creds *cr, char **cause)
{
	struct http_client	*h;
	const char		*want = cr->cert_pem;

	pthread_mutex_lock(&kc->lock);
	if ((want == NULL && kc->http_cert == NULL) || (want != NULL &&
	    kc->http_cert != NULL && strcmp(want, kc->http_cert) == 0)) {
		h = kc->http;
		pthread_mutex_unlock(&kc->lock);
		return h;
	}
	if ((h = kc_http_new(kc, cr, cause)) != NULL) {
		log_debug("client certificate changed: new connections");
		kc->retired = xreallocarray(kc->retired, kc->n_retired + 1,
		    sizeof *kc->retired);
		kc->retired[kc->n_retired++] = kc->http;
		kc->http = h;
		free(kc->http_cert);
		kc->http_cert = xstrdup_or_null(want);
	}
	pthread_mutex_unlock(&kc->lock);
	return h;
}

/* A client over conn (taken over). */
struct kube_client *
kube_client_new(struct kube_conn *conn, char **cause)
{
	struct kube_client	*kc;

	kc = xcalloc(1, sizeof *kc);
	kc->conn = conn;
	pthread_mutex_init(&kc->lock, NULL);
	pthread_mutex_init(&kc->disc_lock, NULL);
	if ((kc->http = kc_http_new(kc, NULL, cause)) == NULL) {
		error_wrap(cause, "kubernetes client for %s", conn->server);
		kube_client_free(kc);
		return NULL;
	}
	return kc;
}

/* Free the client, its conn, http clients and caches. */
void
kube_client_free(struct kube_client *kc)
{
	size_t	i;

	if (kc == NULL)
		return;
	kube_discovery_free(kc, 1);
	for (i = 0; i < kc->n_retired; i++)
		http_client_free(kc->retired[i]);
	free(kc->retired);
	if (kc->http != NULL)
		http_client_free(kc->http);
	free(kc->http_cert);
	kube_conn_free(kc->conn);
	pthread_mutex_destroy(&kc->lock);
	pthread_mutex_destroy(&kc->disc_lock);
	free(kc);
}

/* The connection the client uses. */
struct kube_conn *
kube_client_conn(struct kube_client *kc)
{
	return kc->conn;
}

/* Set the trace hook for every exchange. */
void
kube_client_set_trace(struct kube_client *kc, http_trace_fn fn, void *arg)
{
	pthread_mutex_lock(&kc->lock);
	kc->trace = fn;
	kc->trace_arg = arg;
	http_client_set_trace(kc->http, fn, arg);
	pthread_mutex_unlock(&kc->lock);
}

/* The API path of a resource (caller frees). */
char *
kube_path(const struct kube_resource *r, const char *ns, const char *name,
    const char *sub)
{
	struct strbuf	 sb;
	char		*enc;

	strbuf_init(&sb);
	if (*r->group == '\0')
		strbuf_addf(&sb, "/api/%s", r->version);
	else
		strbuf_addf(&sb, "/apis/%s/%s", r->group, r->version);
	if (r->namespaced && ns != NULL && *ns != '\0') {
		enc = http_urlencode(ns, 0);
		strbuf_addf(&sb, "/namespaces/%s", enc);
		free(enc);
	}
	strbuf_addf(&sb, "/%s", r->resource);
	if (name != NULL) {
		enc = http_urlencode(name, 0);
		strbuf_addf(&sb, "/%s", enc);
		free(enc);
		if (sub != NULL && *sub != '\0')
			strbuf_addf(&sb, "/%s", sub);
	}
	return strbuf_detach(&sb, NULL);
}

/* Authorization and impersonation headers for one request. */
static void
kc_auth_headers(const struct kube_conn *c, const struct kube_creds *cr,
    struct http_headers *h)
{
	char	*v, *up, *b64;
	size_t	 i;

	if (cr->token != NULL) {
		xasprintf(&v, "Bearer %s", cr->token);
		http_headers_set(h, "Authorization", v);
		free(v);
	} else if (cr->username != NULL) {
		xasprintf(&up, "%s:%s", cr->username, cr->password);
		b64 = kube_b64_encode(up, strlen(up));
		xasprintf(&v, "Basic %s", b64);
		http_headers_set(h, "Authorization", v);
		free(v);
		free(b64);
		free(up);
	}
	if (c->as_user != NULL)
		http_headers_add(h, "Impersonate-User", c->as_user);
	if (c->as_uid != NULL)
		http_headers_add(h, "Impersonate-Uid", c->as_uid);
	for (i = 0; c->as_groups != NULL && c->as_groups[i] != NULL; i++)
		http_headers_add(h, "Impersonate-Group", c->as_groups[i]);
}

/* Whether a 401 may be cured by fetching credentials again. */
static int
kc_refreshable(const struct kube_conn *c)
{
	return c->auth == KUBE_AUTH_EXEC || c->auth == KUBE_AUTH_EKS ||
	    c->auth == KUBE_AUTH_TOKEN_FILE;
}

/* One attempt: credentials, headers, http_do. */
static int
kc_attempt(struct kube_client *kc, const struct kc_req *rq,
    struct http_response *resp, char **cause)
{
	struct http_request	 req;
	struct kube_creds	 cr;
	struct http_client	*h;
	char			*url;
	int			 rc;

	if (kube_conn_creds(kc->conn, &cr, cause) != 0)
		return error_wrap(cause, "credentials");
	if ((h = kc_http(kc, &cr, cause)) == NULL) {
		kube_creds_clear(&cr);
		return -1;
	}
	memset(&req, 0, sizeof req);
	xasprintf(&url, "%s%s%s%s", kc->conn->server, rq->path,
	    rq->query != NULL && *rq->query != '\0' ? "?" : "",
	    rq->query != NULL ? rq->query : "");
	req.method = rq->method;
	req.url = url;
	req.timeout_ms = rq->timeout_ms;
	req.on_data = rq->on_data;
	req.on_data_arg = rq->on_data_arg;
	req.cancel = rq->cancel;
	req.cancel_arg = rq->cancel_arg;
	req.op = rq->method;
	http_headers_add(&req.headers, "Accept", "application/json");
	if (rq->body != NULL) {
		req.body = rq->body;
		req.body_len = strlen(rq->body);
		http_headers_add(&req.headers, "Content-Type", rq->ctype !=
		    NULL ? rq->ctype : "application/json");
	}
	kc_auth_headers(kc->conn, &cr, &req.headers);
	kube_creds_clear(&cr);
	rc = http_do(h, &req, resp, cause);
	http_request_free(&req);
	free(url);
	return rc;
}

/* An exchange with one retry after a 401; -1 only for no answer. */
static int
kc_exchange(struct kube_client *kc, const struct kc_req *rq,
    struct http_response *resp, struct kube_error *e)
{
	char	*cause = NULL;
	int	 attempt;

	for (attempt = 1; attempt <= 2; attempt++) {
		if (kc_attempt(kc, rq, resp, &cause) != 0) {
			kube_error_transport(e, cause);
			free(cause);
			return -1;
		}
		if (resp->status != 401 || attempt == 2 ||
		    !kc_refreshable(kc->conn))
			break;
		log_debug("%s %s: 401, refreshing credentials", rq->method,
		    rq->path);
		kube_conn_creds_invalidate(kc->conn);
	}
	return 0;
}

/* Fill e from a non-2xx answer (Status body, Retry-After). */
static void
kc_status_error(const struct http_response *resp, struct kube_error *e)
{
	const char	*ra;
	cJSON		*doc;

	doc = resp->body.len > 0 ? cJSON_ParseWithLength(resp->body.buf,
	    resp->body.len) : NULL;
	kube_error_from_status(e, doc, resp->status);
	cJSON_Delete(doc);
	ra = http_headers_get(&resp->headers, "Retry-After");
	if (ra != NULL)
		e->retry_after = strtod(ra, NULL);
}

/* A JSON exchange: 2xx parses the body into *out (NULL when empty). */
int
kube_client_json(struct kube_client *kc, const char *method,
    const char *path, const char *query, const char *ctype,
    const char *body, long *status, cJSON **out, struct kube_error *e)
{
	struct http_response	 resp;
	struct kc_req		 rq;
	char			*cause = NULL;
	cJSON			*doc = NULL;
	int			 rc = 0;

	kube_error_clear(e);
	if (out != NULL)
		*out = NULL;
	memset(&rq, 0, sizeof rq);
	rq.method = method;
	rq.path = path;
	rq.query = query;
	rq.ctype = ctype;
	rq.body = body;
	http_response_init(&resp);
	if (kc_exchange(kc, &rq, &resp, e) != 0) {
		http_response_free(&resp);
		return -1;
	}
	if (status != NULL)
		*status = resp.status;
	if (resp.status < 200 || resp.status > 299) {
		kc_status_error(&resp, e);
		rc = -1;
	} else if (out != NULL && resp.body.len > 0) {
		if ((doc = json_parse(resp.body.buf, resp.body.len, path,
		    &cause)) == NULL) {
			kube_error_transport(e, cause);
			free(cause);
			rc = -1;
		}
		*out = doc;
	}
	http_response_free(&resp);
	return rc;
}

/* Any request, JSON in and out. */
int
kube_request(struct kube_client *kc, const char *method, const char *path,
    const char *query, const char *ctype, const char *body, long *status,
    cJSON **out, struct kube_error *e)
{
	return kube_client_json(kc, method, path, query, ctype, body, status,
	    out, e);
}

/* GET one object. */
int
kube_get(struct kube_client *kc, const struct kube_resource *r,
    const char *ns, const char *name, cJSON **obj, struct kube_error *e)
{
	char	*path;
	int	 rc;

	path = kube_path(r, ns, name, NULL);
	rc = kube_client_json(kc, "GET", path, NULL, NULL, NULL, NULL, obj, e);
	free(path);
	return rc;
}

/* The query of one list page (caller frees). */
static char *
kc_list_query(const struct kube_list_opts *o, const char *cont)
{
	struct strbuf	 sb;
	char		*enc;

	strbuf_init(&sb);
	strbuf_addf(&sb, "limit=%ld", o->limit > 0 ? o->limit :
	    (long)KUBE_LIST_PAGE);
	if (cont != NULL) {
		enc = http_urlencode(cont, 0);
		strbuf_addf(&sb, "&continue=%s", enc);
		free(enc);
	} else if (o->resource_version != NULL) {
		enc = http_urlencode(o->resource_version, 0);
		strbuf_addf(&sb, "&resourceVersion=%s", enc);
		free(enc);
	}
	if (o->label_selector != NULL && *o->label_selector != '\0') {
		enc = http_urlencode(o->label_selector, 0);
		strbuf_addf(&sb, "&labelSelector=%s", enc);
		free(enc);
	}
	if (o->field_selector != NULL && *o->field_selector != '\0') {
		enc = http_urlencode(o->field_selector, 0);
		strbuf_addf(&sb, "&fieldSelector=%s", enc);
		free(enc);
	}
	return strbuf_detach(&sb, NULL);
}

/* Move a page's items into all, adding apiVersion and kind if missing. */
static void
kc_list_take(cJSON *page, cJSON *all)
{
	cJSON		*items, *it;
	const char	*lkind, *api;
	char		*kind = NULL;
	size_t		 len;

	lkind = json_str(page, "kind");
	api = json_str(page, "apiVersion");
	if (lkind != NULL && (len = strlen(lkind)) > 4 &&
	    strcmp(lkind + len - 4, "List") == 0)
		kind = xstrndup(lkind, len - 4);
	items = cJSON_GetObjectItemCaseSensitive(page, "items");
	while (cJSON_IsArray(items) &&
	    (it = cJSON_DetachItemFromArray(items, 0)) != NULL) {
		if (cJSON_IsObject(it) && api != NULL &&
		    json_str(it, "apiVersion") == NULL)
			cJSON_AddStringToObject(it, "apiVersion", api);
		if (cJSON_IsObject(it) && kind != NULL &&
		    json_str(it, "kind") == NULL)
			cJSON_AddStringToObject(it, "kind", kind);
		cJSON_AddItemToArray(all, it);
	}
	free(kind);
}

/* One list page: items into all, *cont the next continue token. */
static int
kc_list_page(struct kube_client *kc, const char *path,
    const struct kube_list_opts *o, char **cont, cJSON *all, char **rv,
    struct kube_error *e)
{
	cJSON		*page;
	const char	*next;
	char		*query;
	int		 rc;

	query = kc_list_query(o, *cont);
	rc = kube_client_json(kc, "GET", path, query, NULL, NULL, NULL, &page,
	    e);
	free(query);
	if (rc != 0)
		return -1;
	if (page == NULL || !cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(
	    page, "items"))) {
		cJSON_Delete(page);
		return kc_local_error(e, "list answer has no items");
	}
	if (rv != NULL && *rv == NULL)
		*rv = xstrdup_or_null(json_path_str(page,
		    "metadata.resourceVersion"));
	kc_list_take(page, all);
	next = json_path_str(page, "metadata.continue");
	if (next != NULL && *next != '\0' && *cont != NULL &&
	    strcmp(next, *cont) == 0) {
		cJSON_Delete(page);
		return kc_local_error(e, "list: the server repeated its "
		    "continue token");
	}
	free(*cont);
	*cont = next != NULL && *next != '\0' ? xstrdup(next) : NULL;
	cJSON_Delete(page);
	return 0;
}

/* List every page, following continue. */
int
kube_list_all(struct kube_client *kc, const struct kube_resource *r,
    const char *ns, const struct kube_list_opts *optsp, cJSON **items,
    char **resource_version, struct kube_error *e)
{
	struct kube_list_opts	 o;
	cJSON			*all;
	char			*path, *cont = NULL, *rv = NULL;
	int			 rc;

	*items = NULL;
	if (resource_version != NULL)
		*resource_version = NULL;
	memset(&o, 0, sizeof o);
	if (optsp != NULL)
		o = *optsp;
	path = kube_path(r, ns, NULL, NULL);
	all = cJSON_CreateArray();
	do {
		rc = kc_list_page(kc, path, &o, &cont, all, &rv, e);
	} while (rc == 0 && cont != NULL);
	free(path);
	free(cont);
	if (rc != 0) {
		cJSON_Delete(all);
		free(rv);
		return -1;
	}
	*items = all;
	if (resource_version != NULL)
		*resource_version = rv;
	else
		free(rv);
	return 0;
}

/* The namespace a write goes to. */
static const char *
kc_write_ns(struct kube_client *kc, const struct kube_resource *r,
    const char *ns, const cJSON *obj)
{
	const char	*m;

	if (!r->namespaced)
		return NULL;
	if (ns != NULL && *ns != '\0')
		return ns;
	m = json_path_str(obj, "metadata.namespace");
	if (m != NULL && *m != '\0')
		return m;
	return kc->conn->ns;
}

/* POST, or PUT of obj's name (with a subresource). */
static int
kc_write(struct kube_client *kc, const char *method,
    const struct kube_resource *r, const char *ns, const cJSON *obj,
    const char *sub, cJSON **out, struct kube_error *e)
{
	const char	*name = NULL;
	char		*path, *body;
	int		 rc;

	if (out != NULL)
		*out = NULL;
	if (strcmp(method, "PUT") == 0 &&
	    ((name = json_path_str(obj, "metadata.name")) == NULL ||
	    *name == '\0'))
		return kc_local_error(e, "update: the object has no "
		    "metadata.name");
	path = kube_path(r, kc_write_ns(kc, r, ns, obj), name, sub);
	body = json_print(obj);
	rc = kube_client_json(kc, method, path, NULL, "application/json",
	    body, NULL, out, e);
	free(body);
	free(path);
	return rc;
}

/* POST a new object. */
int
kube_create(struct kube_client *kc, const struct kube_resource *r,
    const char *ns, const cJSON *obj, cJSON **out, struct kube_error *e)
{
	return kc_write(kc, "POST", r, ns, obj, NULL, out, e);
}

/* PUT an object (optimistic concurrency through its resourceVersion). */
int
kube_update(struct kube_client *kc, const struct kube_resource *r,
    const char *ns, const cJSON *obj, cJSON **out, struct kube_error *e)
{
	return kc_write(kc, "PUT", r, ns, obj, NULL, out, e);
}

/* PUT an object's status subresource. */
int
kube_update_status(struct kube_client *kc, const struct kube_resource *r,
    const char *ns, const cJSON *obj, cJSON **out, struct kube_error *e)
{
	return kc_write(kc, "PUT", r, ns, obj, "status", out, e);
}

/* DELETE, with DeleteOptions carrying the propagation policy. */
int
kube_delete(struct kube_client *kc, const struct kube_resource *r,
    const char *ns, const char *name, const char *propagation,
    struct kube_error *e)
{
	cJSON	*opts;
	char	*path, *body = NULL;
	int	 rc;

	if (propagation != NULL) {
		opts = cJSON_CreateObject();
		cJSON_AddStringToObject(opts, "kind", "DeleteOptions");
		cJSON_AddStringToObject(opts, "apiVersion", "v1");
		cJSON_AddStringToObject(opts, "propagationPolicy", propagation);
		body = json_print(opts);
		cJSON_Delete(opts);
	}
	path = kube_path(r, r->namespaced && (ns == NULL || *ns == '\0') ?
	    kc->conn->ns : ns, name, NULL);
	rc = kube_client_json(kc, "DELETE", path, NULL, "application/json",
	    body, NULL, NULL, e);
	free(path);
	free(body);
	return rc;
}

/* The Content-Type of a patch type. */
const char *
kube_patch_content_type(enum kube_patch_type t)
{
	switch (t) {
	case KUBE_PATCH_JSON:
		return "application/json-patch+json";
	case KUBE_PATCH_STRATEGIC:
		return "application/strategic-merge-patch+json";
	case KUBE_PATCH_APPLY:
		return "application/apply-patch+yaml";
	case KUBE_PATCH_MERGE:
		break;
	}
	return "application/merge-patch+json";
}

/* PATCH an object or its status. */
int
kube_patch(struct kube_client *kc, const struct kube_resource *r,
    const char *ns, const char *name, const char *sub,
    enum kube_patch_type t, const char *body, const char *field_manager,
    int force, cJSON **out, struct kube_error *e)
{
	struct strbuf	 q;
	char		*path, *enc;
	int		 rc;

	if (out != NULL)
		*out = NULL;
	if (t == KUBE_PATCH_APPLY && (field_manager == NULL ||
	    *field_manager == '\0'))
		return kc_local_error(e, "server-side apply needs a field "
		    "manager");
	strbuf_init(&q);
	if (field_manager != NULL && *field_manager != '\0') {
		enc = http_urlencode(field_manager, 0);
		strbuf_addf(&q, "fieldManager=%s", enc);
		free(enc);
	}
	if (t == KUBE_PATCH_APPLY && force)
		strbuf_adds(&q, "&force=true");
	path = kube_path(r, r->namespaced && (ns == NULL || *ns == '\0') ?
	    kc->conn->ns : ns, name, sub);
	rc = kube_client_json(kc, "PATCH", path, q.buf,
	    kube_patch_content_type(t), body, NULL, out, e);
	free(path);
	strbuf_free(&q);
	return rc;
}

/* A streaming GET (watches). */
int
kube_stream(struct kube_client *kc, const char *path, const char *query,
    http_data_fn on_data, void *arg, http_cancel_fn cancel, void *cancel_arg,
    struct kube_error *e)
{
	struct http_response	 resp;
	struct kc_req		 rq;
	int			 rc = 0;

	kube_error_clear(e);
	memset(&rq, 0, sizeof rq);
	rq.method = "GET";
	rq.path = path;
	rq.query = query;
	rq.timeout_ms = -1;
	rq.on_data = on_data;
	rq.on_data_arg = arg;
	rq.cancel = cancel;
	rq.cancel_arg = cancel_arg;
	http_response_init(&resp);
	if (kc_exchange(kc, &rq, &resp, e) != 0)
		rc = -1;
	else if (resp.status < 200 || resp.status > 299) {
		kc_status_error(&resp, e);
		rc = -1;
	}
	http_response_free(&resp);
	return rc;
}

/* GET /version: the server's gitVersion. */
int
kube_server_version(struct kube_client *kc, char **git_version,
    char **cause)
{
	struct kube_error	 e;
	cJSON			*doc;
	const char		*v;

	*git_version = NULL;
	memset(&e, 0, sizeof e);
	if (kube_client_json(kc, "GET", "/version", NULL, NULL, NULL, NULL,
	    &doc, &e) != 0) {
		*git_version = kube_error_string(&e);
		error_set(cause, "GET /version: %s", *git_version);
		xfree_ptr(git_version);
		kube_error_clear(&e);
		return -1;
	}
	v = json_str(doc, "gitVersion");
	if (v == NULL) {
		cJSON_Delete(doc);
		return error_set(cause, "GET /version: no gitVersion");
	}
	*git_version = xstrdup(v);
	cJSON_Delete(doc);
	return 0;
}
