/* sim_kube: lifecycle, request routing, authentication and faults. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define LOG_MODULE "sim-kube"
#include "latticectl/json.h"
#include "latticectl/log.h"
#include "latticectl/rand.h"
#include "latticectl/timeutil.h"
#include "latticectl/xmalloc.h"
#include "latticectl/yaml.h"
#include "kube_int.h"
#include "sim_record.h"

#define KUBE_MAX_SEGS		8
#define KUBE_EKS_PREFIX		"k8s-aws-v1."

/* Answer with a JSON tree (taken). */
void
skube_reply_json(struct httpd_response *resp, int status, cJSON *obj)
{
	char		*txt = json_print(obj);
	const char	*kind = json_str(obj, "kind");

	resp->status = status;
	strbuf_reset(&resp->body);
	strbuf_adds(&resp->body, txt);
	http_headers_set(&resp->headers, "Content-Type", kind != NULL &&
	    strcmp(kind, "Table") == 0 ?
	    "application/json;as=Table;v=v1;g=meta.k8s.io" :
	    "application/json");
	http_headers_set(&resp->headers, "Cache-Control", "no-cache, private");
	free(txt);
	cJSON_Delete(obj);
}

/* Answer with the Status of an error. */
void
skube_reply_err(struct httpd_response *resp, const struct skube_err *e)
{
	skube_reply_json(resp, e->code != 0 ? e->code : 500,
	    skube_err_status(e));
}

/* Answer with a Status built from code, reason and message. */
void
skube_reply_status(struct httpd_response *resp, int code, const char *reason,
    const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;

	va_start(ap, fmt);
	xvasprintf(&msg, fmt, ap);
	va_end(ap);
	skube_reply_json(resp, code, skube_status_new(code, reason, msg));
	free(msg);
}

/* Split a path into segments (at most KUBE_MAX_SEGS); -1 when longer or
 * malformed. Segments point into buf. */
static int
skube_split(char *buf, char **segs)
{
	char	*p = buf, *slash;
	int	 n = 0;

	if (*p == '/')
		p++;
	while (*p != '\0') {
		if (n == KUBE_MAX_SEGS)
			return -1;
		slash = strchr(p, '/');
		if (slash != NULL)
			*slash = '\0';
		if (*p == '\0')
			return -1;
		segs[n++] = p;
		if (slash == NULL)
			break;
		p = slash + 1;
	}
	return n;
}

/* Fill the resource part of a request from path segments after the
 * group/version; 0 or -1 when the shape is unknown. */
static int
skube_parse_rest(struct skube_req *r, char **s, int n)
{
	if (n > 0 && strcmp(s[0], "watch") == 0) {
		r->watch = 1;
		s++;
		n--;
	}
	if (n >= 2 && strcmp(s[0], "namespaces") == 0 &&
	    !(n == 3 && *r->group == '\0' && (strcmp(s[2], "status") == 0 ||
	    strcmp(s[2], "finalize") == 0)) && n != 2) {
		r->ns = xstrdup(s[1]);
		s += 2;
		n -= 2;
	}
	if (n < 1 || n > 3)
		return -1;
	r->plural = xstrdup(s[0]);
	if (n >= 2)
		r->name = xstrdup(s[1]);
	if (n == 3)
		r->sub = xstrdup(s[2]);
	return 0;
}

/* Parse /api/v1/... or /apis/g/v/... into r; -1 when not a resource. */
static int
skube_parse_path(struct skube_req *r, const char *path)
{
	char	*buf = xstrdup(path), *s[KUBE_MAX_SEGS];
	int	 n, rc = -1;

	n = skube_split(buf, s);
	if (n >= 3 && strcmp(s[0], "api") == 0) {
		r->group = xstrdup("");
		r->version = xstrdup(s[1]);
		rc = skube_parse_rest(r, s + 2, n - 2);
	} else if (n >= 4 && strcmp(s[0], "apis") == 0) {
		r->group = xstrdup(s[1]);
		r->version = xstrdup(s[2]);
		rc = skube_parse_rest(r, s + 3, n - 3);
	}
	free(buf);
	return rc;
}

/* Release a parsed request. */
static void
skube_req_free(struct skube_req *r)
{
	skube_query_free(&r->q);
	free(r->group);
	free(r->version);
	free(r->ns);
	free(r->plural);
	free(r->name);
	free(r->sub);
	free(r->user);
}

/* Check a bearer token; 0 with *user set, or -1. */
static int
skube_auth(struct sim_kube *k, const struct httpd_request *req, char **user)
{
	const char	*h = http_headers_get(&req->headers, "Authorization");
	const char	*tok;
	char		*cause = NULL;
	size_t		 i;

	if (h == NULL || strncasecmp(h, "Bearer ", 7) != 0) {
		*user = k->anonymous ? xstrdup("system:anonymous") : NULL;
		return k->anonymous ? 0 : -1;
	}
	for (tok = h + 7; *tok == ' '; tok++)
		;
	for (i = 0; i < k->ntokens; i++) {
		if (strcmp(tok, k->tokens[i]) == 0) {
			*user = xstrdup("admin");
			return 0;
		}
	}
	if (strncmp(tok, KUBE_EKS_PREFIX, strlen(KUBE_EKS_PREFIX)) == 0 &&
	    k->verify_eks != NULL && strlen(tok) <= 4096) {
		if (k->verify_eks(k->verify_eks_arg, tok, user, &cause) == 0 &&
		    *user != NULL)
			return 0;
		log_info("EKS token refused: %s", cause != NULL ? cause : "?");
		free(cause);
	}
	*user = NULL;
	return -1;
}

/* Whether a path is public (health and version). */
static int
skube_public_path(const char *path)
{
	return strcmp(path, "/healthz") == 0 || strcmp(path, "/livez") == 0 ||
	    strcmp(path, "/readyz") == 0 || strcmp(path, "/version") == 0;
}

/* Parse a request body (JSON, or YAML when the content type says so). */
static int
skube_body(const struct httpd_request *req, cJSON **out, struct skube_err *e)
{
	const char	*ct = http_headers_get(&req->headers, "Content-Type");
	cJSON		*docs;
	char		*cause = NULL;

	*out = NULL;
	if (req->body_len == 0)
		return skube_err_set(e, 400, "BadRequest", "the body of the "
		    "request was empty");
	if (ct != NULL && strstr(ct, "protobuf") != NULL) {
		if (skube_proto_decode(req->body, req->body_len, out,
		    &cause) != 0) {
			skube_err_set(e, 415, "UnsupportedMediaType", "the "
			    "body of the request was in an unknown format - "
			    "accepted media types include: application/json, "
			    "application/yaml (%s)", cause);
			free(cause);
			return -1;
		}
		return 0;
	} else if (ct != NULL && strstr(ct, "yaml") != NULL) {
		if (yaml_load(req->body, req->body_len, "body", &docs,
		    &cause) == 0) {
			if (cJSON_GetArraySize(docs) == 1)
				*out = cJSON_DetachItemFromArray(docs, 0);
			cJSON_Delete(docs);
		}
	} else
		*out = json_parse(req->body, req->body_len, "body", &cause);
	if (*out == NULL || !cJSON_IsObject(*out)) {
		skube_err_set(e, 400, "BadRequest", "couldn't get "
		    "version/kind; json parse error: %s", cause != NULL ?
		    cause : "not an object");
		free(cause);
		cJSON_Delete(*out);
		*out = NULL;
		return -1;
	}
	return 0;
}

/* Write options from the query string. */
static void
skube_wopts_from(const struct skube_req *r, struct skube_wopts *w)
{
	const char	*dry = skube_query_get(&r->q, "dryRun");

	memset(w, 0, sizeof *w);
	w->dry = dry != NULL && strcmp(dry, "All") == 0;
	w->manager = skube_query_get(&r->q, "fieldManager");
	w->operation = "Update";
	w->force = skube_query_bool(&r->q, "force");
}

/* Answer one stored object: as a Table when asked, else the object. */
static void
skube_reply_obj(struct skube_req *r, struct httpd_response *resp,
    const cJSON *stored)
{
	if (r->table)
		skube_reply_json(resp, 200, skube_table(r->rt, &stored, 1, 1,
		    &r->q));
	else
		skube_reply_json(resp, 200, skube_out(r->rt, stored));
}

/* GET of one object (or its status). */
static void
skube_do_get(struct sim_kube *k, struct skube_req *r,
    struct httpd_response *resp)
{
	struct skube_entry	*ent;
	struct skube_err		 e;

	memset(&e, 0, sizeof e);
	if (skube_op_get(k, r->rt, r->ns, r->name, &ent, &e) != 0)
		skube_reply_err(resp, &e);
	else
		skube_reply_obj(r, resp, ent->obj);
	skube_err_free(&e);
}

/* POST: create. */
static void
skube_do_create(struct sim_kube *k, struct skube_req *r,
    struct httpd_response *resp)
{
	struct skube_wopts	 w;
	struct skube_err		 e;
	cJSON			*obj, *out;

	memset(&e, 0, sizeof e);
	skube_wopts_from(r, &w);
	if (skube_body(r->http, &obj, &e) != 0 ||
	    skube_op_create(k, r->rt, r->ns, obj, &w, &out, &e) != 0)
		skube_reply_err(resp, &e);
	else
		skube_reply_json(resp, 201, out);
	skube_err_free(&e);
}

/* PUT: update (or status update). */
static void
skube_do_update(struct sim_kube *k, struct skube_req *r,
    struct httpd_response *resp)
{
	struct skube_wopts	 w;
	struct skube_err		 e;
	cJSON			*obj, *out;

	memset(&e, 0, sizeof e);
	skube_wopts_from(r, &w);
	if (skube_body(r->http, &obj, &e) != 0 ||
	    skube_op_update(k, r->rt, r->ns, r->name, r->sub, obj, &w, &out,
	    &e) != 0)
		skube_reply_err(resp, &e);
	else
		skube_reply_json(resp, 200, out);
	skube_err_free(&e);
}

/* Server-side apply of an object that does not exist yet. */
static int
skube_apply_create(struct sim_kube *k, struct skube_req *r,
    const struct skube_wopts *w, cJSON **out, struct skube_err *e)
{
	cJSON	*obj;

	if (skube_patch_apply(k, r->rt, "application/apply-patch+yaml",
	    r->http->body, r->http->body_len, NULL, &obj, e) != 0)
		return -1;
	if (skube_name(obj) == NULL)
		skube_set_str(skube_meta(obj), "name", r->name);
	else if (strcmp(skube_name(obj), r->name) != 0) {
		skube_err_set(e, 400, "BadRequest", "the name of the object "
		    "(%s) does not match the name on the URL (%s)",
		    skube_name(obj), r->name);
		cJSON_Delete(obj);
		return -1;
	}
	return skube_op_create(k, r->rt, r->ns, obj, w, out, e);
}

/* Whether the content type is server-side apply. */
static int
skube_is_apply(const struct httpd_request *req)
{
	const char	*ct = http_headers_get(&req->headers, "Content-Type");

	return ct != NULL && strncasecmp(ct, "application/apply-patch+yaml",
	    28) == 0;
}

/* PATCH (merge, JSON, strategic, apply). */
static void
skube_do_patch(struct sim_kube *k, struct skube_req *r,
    struct httpd_response *resp)
{
	struct skube_wopts	 w;
	struct skube_err		 e;
	struct skube_entry	*ent;
	cJSON			*obj, *out = NULL;
	int			 apply = skube_is_apply(r->http), status = 200;
	int			 rc;

	memset(&e, 0, sizeof e);
	skube_wopts_from(r, &w);
	if (apply)
		w.operation = "Apply";
	if (apply && (w.manager == NULL || *w.manager == '\0'))
		rc = skube_err_set(&e, 400, "BadRequest", "PATCH requests with "
		    "apply content type require fieldManager");
	else if ((ent = skube_store_find(r->rt->store, r->ns,
	    r->name)) == NULL && apply && r->sub == NULL) {
		rc = skube_apply_create(k, r, &w, &out, &e);
		status = 201;
	} else if (ent == NULL)
		rc = skube_op_get(k, r->rt, r->ns, r->name, &ent, &e);
	else if ((rc = skube_patch_apply(k, r->rt, http_headers_get(
	    &r->http->headers, "Content-Type"), r->http->body,
	    r->http->body_len, ent->obj, &obj, &e)) == 0)
		rc = skube_op_update(k, r->rt, r->ns, r->name, r->sub, obj, &w,
		    &out, &e);
	if (rc != 0)
		skube_reply_err(resp, &e);
	else
		skube_reply_json(resp, status, out);
	skube_err_free(&e);
}

/* DELETE of one object. */
static void
skube_do_delete(struct sim_kube *k, struct skube_req *r,
    struct httpd_response *resp)
{
	struct skube_wopts	 w;
	struct skube_err		 e;
	cJSON			*opts = NULL, *out;
	int			 status;

	memset(&e, 0, sizeof e);
	skube_wopts_from(r, &w);
	if (r->http->body_len > 0 && skube_body(r->http, &opts, &e) != 0) {
		skube_err_free(&e);
		opts = NULL;
	}
	if (json_str(opts, "propagationPolicy") == NULL &&
	    skube_query_get(&r->q, "propagationPolicy") != NULL) {
		if (opts == NULL)
			opts = cJSON_CreateObject();
		skube_set_str(opts, "propagationPolicy",
		    skube_query_get(&r->q, "propagationPolicy"));
	}
	if (cJSON_IsArray(json_path(opts, "dryRun")) &&
	    skube_str_in(json_path(opts, "dryRun"), "All"))
		w.dry = 1;
	status = skube_op_delete(k, r->rt, r->ns, r->name, opts, &w, &out, &e);
	if (status < 0)
		skube_reply_err(resp, &e);
	else
		skube_reply_json(resp, status, out);
	cJSON_Delete(opts);
	skube_err_free(&e);
}

/* DELETE of a collection: every object matching the selectors. */
static void
skube_do_delete_collection(struct sim_kube *k, struct skube_req *r,
    struct httpd_response *resp)
{
	struct skube_store	*st = r->rt->store;
	struct skube_sel		 ls, fs;
	struct skube_wopts	 w;
	struct skube_err		 e;
	cJSON			*list, *items, *out;
	char			*cause = NULL, **names = NULL, **nss = NULL;
	size_t			 i, n = 0;

	memset(&e, 0, sizeof e);
	skube_wopts_from(r, &w);
	if (skube_sel_parse(&ls, skube_query_get(&r->q, "labelSelector"), 0,
	    &cause) != 0 || skube_sel_parse(&fs, skube_query_get(&r->q,
	    "fieldSelector"), 1, &cause) != 0) {
		skube_reply_status(resp, 400, "BadRequest", "%s", cause);
		free(cause);
		skube_sel_free(&ls);
		return;
	}
	for (i = 0; i < st->n; i++) {
		if ((r->ns != NULL && st->namespaced &&
		    (skube_ns(st->v[i].obj) == NULL ||
		    strcmp(skube_ns(st->v[i].obj), r->ns) != 0)) ||
		    !skube_sel_match(&ls, st->v[i].obj) ||
		    !skube_sel_match(&fs, st->v[i].obj))
			continue;
		names = xreallocarray(names, n + 1, sizeof *names);
		nss = xreallocarray(nss, n + 1, sizeof *nss);
		names[n] = xstrdup(skube_name(st->v[i].obj));
		nss[n++] = xstrdup_or_null(skube_ns(st->v[i].obj));
	}
	list = cJSON_CreateObject();
	cJSON_AddStringToObject(list, "kind", r->rt->list_kind);
	items = cJSON_AddArrayToObject(list, "items");
	for (i = 0; i < n; i++) {
		if (skube_op_delete(k, r->rt, nss[i], names[i], NULL, &w, &out,
		    &e) >= 0)
			cJSON_AddItemToArray(items, out);
		skube_err_free(&e);
		free(names[i]);
		free(nss[i]);
	}
	free(names);
	free(nss);
	skube_sel_free(&ls);
	skube_sel_free(&fs);
	skube_reply_json(resp, 200, list);
}

/* Check the request's scope and subresource against its type. */
static int
skube_check_scope(struct skube_req *r, struct skube_err *e)
{
	const char	*m = r->http->method;

	if (r->sub != NULL && !((strcmp(r->sub, "status") == 0 &&
	    r->rt->has_status) || (strcmp(r->sub, "finalize") == 0 &&
	    strcmp(r->rt->plural, "namespaces") == 0)))
		return skube_err_set(e, 404, "NotFound",
		    "the server could not find the requested resource");
	if (!r->rt->namespaced && r->ns != NULL)
		return skube_err_set(e, 404, "NotFound",
		    "the server could not find the requested resource");
	if (r->rt->namespaced && r->ns == NULL && (r->name != NULL ||
	    strcmp(m, "POST") == 0))
		return skube_err_set(e, 404, "NotFound",
		    "the server could not find the requested resource");
	if (r->sub != NULL && strcmp(r->sub, "finalize") == 0) {
		free(r->sub);
		r->sub = NULL;
	}
	return 0;
}

/* Dispatch a resource request by method (lock held). */
static void
skube_dispatch(struct sim_kube *k, struct skube_req *r,
    struct httpd_response *resp)
{
	const char	*m = r->http->method;

	if (strcmp(m, "GET") == 0 && r->name == NULL) {
		if (r->watch || skube_query_bool(&r->q, "watch"))
			skube_watch_start(k, r, resp);
		else
			skube_list(k, r, resp);
	} else if (strcmp(m, "GET") == 0 && r->watch)
		skube_watch_start(k, r, resp);
	else if (strcmp(m, "GET") == 0 || strcmp(m, "HEAD") == 0)
		skube_do_get(k, r, resp);
	else if (strcmp(m, "POST") == 0 && r->name == NULL)
		skube_do_create(k, r, resp);
	else if (strcmp(m, "PUT") == 0 && r->name != NULL)
		skube_do_update(k, r, resp);
	else if (strcmp(m, "PATCH") == 0 && r->name != NULL)
		skube_do_patch(k, r, resp);
	else if (strcmp(m, "DELETE") == 0 && r->name != NULL)
		skube_do_delete(k, r, resp);
	else if (strcmp(m, "DELETE") == 0)
		skube_do_delete_collection(k, r, resp);
	else
		skube_reply_status(resp, 405, "MethodNotAllowed",
		    "the server does not allow this method on the requested "
		    "resource");
}

/* Route an API request (lock held). */
static void
skube_route(struct sim_kube *k, struct skube_req *r,
    struct httpd_response *resp)
{
	const struct httpd_request	*req = r->http;
	const char			*accept;
	struct skube_err			 e;

	memset(&e, 0, sizeof e);
	skube_query_parse(&r->q, req->query);
	if (skube_discovery(k, req->path, &r->q, resp))
		return;
	if (skube_parse_path(r, req->path) != 0 || (r->rt = skube_reg_find(k,
	    r->group, r->version, r->plural)) == NULL) {
		skube_reply_status(resp, 404, "NotFound",
		    "the server could not find the requested resource");
		return;
	}
	accept = http_headers_get(&req->headers, "Accept");
	r->table = accept != NULL && strstr(accept, "as=Table") != NULL;
	if (skube_check_scope(r, &e) != 0)
		skube_reply_err(resp, &e);
	else
		skube_dispatch(k, r, resp);
	skube_err_free(&e);
}

/* Whether a path names a resource (not discovery): faults apply. */
static int
skube_resource_path(const char *path)
{
	const char	*p;
	int		 slashes = 0;

	if (strncmp(path, "/api/", 5) != 0 && strncmp(path, "/apis/", 6) != 0)
		return 0;
	for (p = path; *p != '\0'; p++)
		slashes += *p == '/';
	return slashes >= (path[4] == '/' ? 3 : 4);
}

/* Whether the random-5xx fault fires now. */
static int
skube_fault_fires(double rate)
{
	if (rate <= 0)
		return 0;
	return rand_below(1000000) < (uint64_t)(rate * 1000000.0);
}

/* Handle one request; authed skips authentication. */
static void
skube_handle(struct sim_kube *k, const struct httpd_request *req,
    struct httpd_response *resp, int authed)
{
	struct skube_req		r;
	struct sim_kube_faults	f;

	memset(&r, 0, sizeof r);
	r.http = req;
	if (strcmp(req->path, "/healthz") == 0 ||
	    strcmp(req->path, "/livez") == 0 ||
	    strcmp(req->path, "/readyz") == 0) {
		resp->status = 200;
		strbuf_adds(&resp->body, "ok");
		http_headers_set(&resp->headers, "Content-Type", "text/plain");
		return;
	}
	if (!authed && !skube_public_path(req->path) && skube_auth(k, req,
	    &r.user) != 0) {
		skube_reply_status(resp, 401, "Unauthorized", "Unauthorized");
		return;
	}
	pthread_mutex_lock(&k->lock);
	f = k->faults;
	pthread_mutex_unlock(&k->lock);
	if (f.latency_ms > 0)
		time_sleep_ms(f.latency_ms);
	if (skube_resource_path(req->path) && skube_fault_fires(f.error_rate)) {
		free(r.user);
		skube_reply_status(resp, 500, "InternalError", "Internal error "
		    "occurred: simulated fault");
		return;
	}
	pthread_mutex_lock(&k->lock);
	skube_route(k, &r, resp);
	pthread_mutex_unlock(&k->lock);
	skube_req_free(&r);
}

/* The httpd handler. */
void
sim_kube_handle(void *arg, const struct httpd_request *req,
    struct httpd_response *resp)
{
	skube_handle(arg, req, resp, 0);
	sim_record_kube(req->method, req->path, resp->status,
	    http_headers_get(&req->headers, "Authorization"));
}

/* Copy the options into k, with defaults. */
static void
skube_opts(struct sim_kube *k, const struct sim_kube_opts *o)
{
	size_t	i;

	for (i = 0; o->tokens != NULL && o->tokens[i] != NULL; i++) {
		k->tokens = xreallocarray(k->tokens, i + 1, sizeof *k->tokens);
		k->tokens[i] = xstrdup(o->tokens[i]);
		k->ntokens = i + 1;
	}
	k->anonymous = o->anonymous;
	k->verify_eks = o->verify_eks;
	k->verify_eks_arg = o->verify_eks_arg;
	k->pod_ready_ms = o->pod_ready_ms != 0 ? o->pod_ready_ms : 500;
	k->pod_terminate_ms = o->pod_terminate_ms != 0 ? o->pod_terminate_ms :
	    200;
	k->tick_ms = o->tick_ms != 0 ? o->tick_ms : 100;
	k->history = o->history != 0 ? o->history : KUBE_DEFAULT_HISTORY;
	k->bookmark_ms = o->bookmark_ms != 0 ? o->bookmark_ms : 10000;
	k->max_objects = o->max_objects != 0 ? o->max_objects : 100000;
	k->watch_wait_ms = o->watch_wait_ms != 0 ? o->watch_wait_ms : 500;
}

/* A new simulated API server. */
struct sim_kube *
sim_kube_new(const struct sim_kube_opts *o)
{
	struct sim_kube		*k;
	struct sim_kube_opts	 none;
	pthread_condattr_t	 ca;

	if (o == NULL) {
		memset(&none, 0, sizeof none);
		o = &none;
	}
	k = xcalloc(1, sizeof *k);
	pthread_mutex_init(&k->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&k->changed, &ca);
	pthread_cond_init(&k->ctl_cond, &ca);
	pthread_condattr_destroy(&ca);
	skube_opts(k, o);
	skube_reg_builtins(k);
	pthread_mutex_lock(&k->lock);
	if (!o->no_seed)
		skube_seed(k);
	pthread_mutex_unlock(&k->lock);
	if (!o->no_controllers)
		skube_ctl_start(k);
	return k;
}

/* End watches and stop the controller. */
void
sim_kube_shutdown(struct sim_kube *k)
{
	skube_ctl_stop(k);
}

/* Free everything (no stream may be running). */
void
sim_kube_free(struct sim_kube *k)
{
	size_t	i;

	if (k == NULL)
		return;
	skube_ctl_stop(k);
	skube_stores_free(k);
	skube_reg_free(k);
	for (i = 0; i < k->ntokens; i++)
		free(k->tokens[i]);
	free(k->tokens);
	pthread_cond_destroy(&k->changed);
	pthread_cond_destroy(&k->ctl_cond);
	pthread_mutex_destroy(&k->lock);
	free(k);
}

/* Replace the fault settings. */
void
sim_kube_set_faults(struct sim_kube *k, const struct sim_kube_faults *f)
{
	pthread_mutex_lock(&k->lock);
	k->faults = *f;
	pthread_mutex_unlock(&k->lock);
}

/* One controller pass now. */
void
sim_kube_reconcile(struct sim_kube *k)
{
	pthread_mutex_lock(&k->lock);
	skube_ctl_pass(k);
	pthread_mutex_unlock(&k->lock);
}

/* The state as a tree (caller frees). */
cJSON *
sim_kube_save(struct sim_kube *k)
{
	cJSON	*s;

	pthread_mutex_lock(&k->lock);
	s = skube_state_save(k);
	pthread_mutex_unlock(&k->lock);
	return s;
}

/* Load a saved state. */
int
sim_kube_load(struct sim_kube *k, const cJSON *state, char **cause)
{
	int	rc;

	pthread_mutex_lock(&k->lock);
	rc = skube_state_load(k, state, cause);
	pthread_mutex_unlock(&k->lock);
	return rc;
}

/* An in-process request as an authenticated admin. */
int
sim_kube_request(struct sim_kube *k, const char *method, const char *path,
    const char *body, const char *ctype, char **out)
{
	struct httpd_request	 req;
	struct httpd_response	 resp;
	char			*p = xstrdup(path), *q;
	int			 status;

	memset(&req, 0, sizeof req);
	memset(&resp, 0, sizeof resp);
	if ((q = strchr(p, '?')) != NULL)
		*q++ = '\0';
	req.method = method;
	req.path = p;
	req.raw_path = p;
	req.query = q != NULL ? q : "";
	req.body = body;
	req.body_len = body != NULL ? strlen(body) : 0;
	req.remote = "in-process";
	http_headers_add(&req.headers, "Content-Type", ctype != NULL ? ctype :
	    "application/json");
	strbuf_init(&resp.body);
	resp.status = 200;
	skube_handle(k, &req, &resp, 1);
	if (resp.stream != NULL) {	/* watches need a connection */
		if (resp.stream_free != NULL)
			resp.stream_free(resp.stream_arg);
		resp.status = 400;
		strbuf_reset(&resp.body);
	}
	status = resp.status;
	if (out != NULL)
		*out = strbuf_detach(&resp.body, NULL);
	strbuf_free(&resp.body);
	http_headers_free(&req.headers);
	http_headers_free(&resp.headers);
	free(p);
	return status;
}
