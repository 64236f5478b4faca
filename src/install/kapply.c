/* Manifests applied object by object, the way `kubectl apply -f` does:
 * each object's kind is mapped to its resource through discovery, then
 * created when absent or merge-patched when what the manifest says
 * differs from what is live. Objects are compared as a subset (fields the
 * manifest leaves out, and its nulls, are the server's business). */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/error.h"
#include "latticectl/json.h"
#include "latticectl/kube.h"
#include "latticectl/xmalloc.h"

#include "install_int.h"

#define KAPPLY_MAX_CACHE	64

struct kapply_type {
	char			*group;
	char			*version;
	char			*kind;
	char			*plural;
	int			 namespaced;
};

struct kapply {
	struct kube_client	*kube;
	pthread_mutex_t		 lock;
	struct kapply_type	 t[KAPPLY_MAX_CACHE];
	size_t			 n;
};

/* An applier over kube (borrowed). */
struct kapply *
kapply_new(struct kube_client *kube)
{
	struct kapply	*ka = xcalloc(1, sizeof *ka);

	ka->kube = kube;
	pthread_mutex_init(&ka->lock, NULL);
	return ka;
}

/* Forget the discovery answers. */
void
kapply_rediscover(struct kapply *ka)
{
	size_t	i;

	pthread_mutex_lock(&ka->lock);
	for (i = 0; i < ka->n; i++) {
		free(ka->t[i].group);
		free(ka->t[i].version);
		free(ka->t[i].kind);
		free(ka->t[i].plural);
	}
	ka->n = 0;
	pthread_mutex_unlock(&ka->lock);
}

/* Free an applier. */
void
kapply_free(struct kapply *ka)
{
	if (ka == NULL)
		return;
	kapply_rediscover(ka);
	pthread_mutex_destroy(&ka->lock);
	free(ka);
}

/* Is the object of this kind? */
int
kapply_is(const cJSON *obj, const char *kind)
{
	const char	*k = json_str(obj, "kind");

	return k != NULL && strcmp(k, kind) == 0;
}

/* "Kind ns/name" or "Kind name". */
char *
kapply_name(const cJSON *obj, const char *def_ns)
{
	const char	*k = json_str(obj, "kind");
	const char	*n = json_path_str(obj, "metadata.name");
	const char	*ns = json_path_str(obj, "metadata.namespace");
	char		*s;

	(void)def_ns;
	if (ns != NULL)
		xasprintf(&s, "%s %s/%s", k != NULL ? k : "?", ns,
		    n != NULL ? n : "?");
	else
		xasprintf(&s, "%s %s", k != NULL ? k : "?", n != NULL ? n : "?");
	return s;
}

/* Find a cached type (lock held). */
static struct kapply_type *
kapply_cached(struct kapply *ka, const char *group, const char *version,
    const char *kind)
{
	size_t	i;

	for (i = 0; i < ka->n; i++) {
		if (strcmp(ka->t[i].group, group) == 0 &&
		    strcmp(ka->t[i].version, version) == 0 &&
		    strcmp(ka->t[i].kind, kind) == 0)
			return &ka->t[i];
	}
	return NULL;
}

/* Remember every top-level resource of a group/version (lock held). */
static void
kapply_learn(struct kapply *ka, const char *group, const char *version,
    const cJSON *list)
{
	const cJSON	*r;
	const char	*name, *kind;
	struct kapply_type *t;

	cJSON_ArrayForEach(r, cJSON_GetObjectItemCaseSensitive(list,
	    "resources")) {
		name = json_str(r, "name");
		kind = json_str(r, "kind");
		if (name == NULL || kind == NULL || strchr(name, '/') != NULL ||
		    kapply_cached(ka, group, version, kind) != NULL ||
		    ka->n == KAPPLY_MAX_CACHE)
			continue;
		t = &ka->t[ka->n++];
		t->group = xstrdup(group);
		t->version = xstrdup(version);
		t->kind = xstrdup(kind);
		t->plural = xstrdup(name);
		t->namespaced = json_bool(r, "namespaced", 0);
	}
}

/* Split apiVersion into group and version (caller frees both). */
static int
kapply_gv(const cJSON *obj, char **group, char **version, char **cause)
{
	const char	*av = json_str(obj, "apiVersion"), *slash;

	if (av == NULL || json_str(obj, "kind") == NULL ||
	    json_path_str(obj, "metadata.name") == NULL)
		return error_set(cause, "manifest object without apiVersion, "
		    "kind or metadata.name");
	slash = strchr(av, '/');
	*group = slash != NULL ? xstrndup(av, (size_t)(slash - av)) :
	    xstrdup("");
	*version = xstrdup(slash != NULL ? slash + 1 : av);
	return 0;
}

/* The resource of an object: 0, 1 when not served, or an error. */
static int
kapply_resolve(struct kapply *ka, const cJSON *obj, struct kube_resource *res,
    char **cause)
{
	struct kube_error	 e = { 0 };
	struct kapply_type	*t;
	cJSON			*list = NULL;
	char			*g = NULL, *v = NULL, *path;
	long			 st = 0;
	int			 rc = 0;

	if (kapply_gv(obj, &g, &v, cause) != 0)
		return INST_FATAL;
	pthread_mutex_lock(&ka->lock);
	if ((t = kapply_cached(ka, g, v, json_str(obj, "kind"))) == NULL) {
		if (*g == '\0')
			xasprintf(&path, "/api/%s", v);
		else
			xasprintf(&path, "/apis/%s/%s", g, v);
		if (kube_request(ka->kube, "GET", path, NULL, NULL, NULL, &st,
		    &list, &e) == 0)
			kapply_learn(ka, g, v, list);
		else if (e.status != 404)
			rc = inst_kube_fail(&e, path, cause);
		kube_error_clear(&e);
		cJSON_Delete(list);
		free(path);
		t = kapply_cached(ka, g, v, json_str(obj, "kind"));
	}
	if (rc == 0 && t == NULL)
		rc = 1;
	else if (rc == 0) {
		res->group = t->group;
		res->version = t->version;
		res->resource = t->plural;
		res->kind = t->kind;
		res->namespaced = t->namespaced;
		res->short_names = NULL;
	}
	pthread_mutex_unlock(&ka->lock);
	free(g);
	free(v);
	return rc;
}

/* Does want hold only fields equal in have? Nulls in want match all. */
int
kapply_subset(const cJSON *want, const cJSON *have)
{
	const cJSON	*w, *h;

	if (cJSON_IsNull(want))
		return 1;
	if (cJSON_IsObject(want)) {
		if (!cJSON_IsObject(have))
			return 0;
		cJSON_ArrayForEach(w, want) {
			h = cJSON_GetObjectItemCaseSensitive(have, w->string);
			if (!cJSON_IsNull(w) && (h == NULL ||
			    !kapply_subset(w, h)))
				return 0;
		}
		return 1;
	}
	if (cJSON_IsArray(want)) {
		if (!cJSON_IsArray(have) ||
		    cJSON_GetArraySize(want) != cJSON_GetArraySize(have))
			return 0;
		for (w = want->child, h = have->child; w != NULL;
		    w = w->next, h = h->next)
			if (!kapply_subset(w, h))
				return 0;
		return 1;
	}
	return json_equal(want, have);
}

/* A copy to send: no status, no nulls, namespace filled in. */
static cJSON *
kapply_body(const cJSON *obj, const struct kube_resource *res,
    const char *ns)
{
	cJSON	*c = cJSON_Duplicate(obj, 1), *md, *e, *next;

	cJSON_DeleteItemFromObjectCaseSensitive(c, "status");
	md = cJSON_GetObjectItemCaseSensitive(c, "metadata");
	for (e = md != NULL ? md->child : NULL; e != NULL; e = next) {
		next = e->next;
		if (cJSON_IsNull(e))
			cJSON_Delete(cJSON_DetachItemViaPointer(md, e));
	}
	if (res->namespaced && ns != NULL &&
	    json_str(md, "namespace") == NULL)
		cJSON_AddStringToObject(md, "namespace", ns);
	return c;
}

/* The object's namespace (namespaced kinds only). */
static const char *
kapply_ns(const cJSON *obj, const struct kube_resource *res,
    const char *def_ns)
{
	const char	*ns = json_path_str(obj, "metadata.namespace");

	if (!res->namespaced)
		return NULL;
	return ns != NULL ? ns : def_ns;
}

/* The object's live state. */
int
kapply_state(struct kapply *ka, const cJSON *obj, const char *def_ns,
    cJSON **live, char **cause)
{
	struct kube_resource	 res;
	struct kube_error	 e = { 0 };
	cJSON			*got = NULL, *want;
	int			 rc;

	if (live != NULL)
		*live = NULL;
	if ((rc = kapply_resolve(ka, obj, &res, cause)) != 0)
		return rc == 1 ? 0 : rc;
	if (kube_get(ka->kube, &res, kapply_ns(obj, &res, def_ns),
	    json_path_str(obj, "metadata.name"), &got, &e) != 0) {
		if (kube_error_is_not_found(&e)) {
			kube_error_clear(&e);
			return 0;
		}
		return inst_kube_fail(&e, "GET", cause);
	}
	want = kapply_body(obj, &res, kapply_ns(obj, &res, def_ns));
	if (json_path(got, "metadata.deletionTimestamp") != NULL)
		rc = 3;
	else
		rc = kapply_subset(want, got) ? 1 : 2;
	cJSON_Delete(want);
	if (live != NULL)
		*live = got;
	else
		cJSON_Delete(got);
	return rc;
}

/* Create, or merge-patch to match. */
int
kapply_apply(struct kapply *ka, const cJSON *obj, const char *def_ns,
    int *changed, char **cause)
{
	struct kube_resource	 res;
	struct kube_error	 e = { 0 };
	const char		*ns;
	cJSON			*body;
	char			*text, *what;
	int			 st, rc = 0;

	*changed = 0;
	if ((st = kapply_state(ka, obj, def_ns, NULL, cause)) < 0)
		return st;
	if (st == 1)
		return 0;
	what = kapply_name(obj, def_ns);
	if ((rc = kapply_resolve(ka, obj, &res, cause)) == 1)
		rc = error_set(cause, "%s: its kind is not served (yet)", what);
	else if (rc == 0 && st == 3)
		rc = error_set(cause, "%s: still being deleted", what);
	if (rc != 0) {
		free(what);
		return INST_RETRY;
	}
	ns = kapply_ns(obj, &res, def_ns);
	body = kapply_body(obj, &res, ns);
	if (st == 0)
		rc = kube_create(ka->kube, &res, ns, body, NULL, &e);
	else {
		text = json_print(body);
		rc = kube_patch(ka->kube, &res, ns, json_path_str(obj,
		    "metadata.name"), NULL, KUBE_PATCH_MERGE, text, NULL, 0,
		    NULL, &e);
		free(text);
	}
	cJSON_Delete(body);
	if (rc != 0)
		rc = inst_kube_fail(&e, what, cause);
	else
		*changed = 1;
	free(what);
	return rc;
}

/* Delete (absent, or a kind no longer served, is fine). */
int
kapply_delete(struct kapply *ka, const cJSON *obj, const char *def_ns,
    char **cause)
{
	struct kube_resource	 res;
	struct kube_error	 e = { 0 };
	char			*what;
	int			 rc;

	if ((rc = kapply_resolve(ka, obj, &res, cause)) != 0)
		return rc == 1 ? 0 : rc;
	if (kube_delete(ka->kube, &res, kapply_ns(obj, &res, def_ns),
	    json_path_str(obj, "metadata.name"), "Background", &e) == 0 ||
	    kube_error_is_not_found(&e)) {
		kube_error_clear(&e);
		return 0;
	}
	what = kapply_name(obj, def_ns);
	rc = inst_kube_fail(&e, what, cause);
	free(what);
	return rc;
}

/* Copies in apply order: CRDs, namespaces, then the rest. */
cJSON *
kapply_order(const cJSON *objs)
{
	static const char *const first[] = { "CustomResourceDefinition",
	    "Namespace", NULL };
	const cJSON	*o;
	cJSON		*out = cJSON_CreateArray();
	size_t		 i;
	int		 early;

	for (i = 0; first[i] != NULL; i++)
		cJSON_ArrayForEach(o, objs)
			if (kapply_is(o, first[i]))
				cJSON_AddItemToArray(out, cJSON_Duplicate(o, 1));
	cJSON_ArrayForEach(o, objs) {
		early = 0;
		for (i = 0; first[i] != NULL; i++)
			early |= kapply_is(o, first[i]);
		if (!early && cJSON_IsObject(o))
			cJSON_AddItemToArray(out, cJSON_Duplicate(o, 1));
	}
	return out;
}
