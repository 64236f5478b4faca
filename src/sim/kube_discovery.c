/* sim_kube discovery: /api, /apis, resource lists, /version, OpenAPI v3. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/json.h"
#include "latticectl/xmalloc.h"
#include "kube_int.h"

static const char *const skube_verbs[] = {
	"create", "delete", "deletecollection", "get", "list", "patch",
	"update", "watch", NULL
};

/* Sort weight of a version name: GA > beta > alpha > other, then by
 * major and minor numbers (higher first). */
static long
skube_version_weight(const char *v)
{
	long	major, minor = 0, level;
	char	*end;

	if (v[0] != 'v' || !isdigit((unsigned char)v[1]))
		return 0;
	major = strtol(v + 1, &end, 10);
	if (*end == '\0')
		level = 3;
	else if (strncmp(end, "beta", 4) == 0) {
		level = 2;
		minor = strtol(end + 4, NULL, 10);
	} else if (strncmp(end, "alpha", 5) == 0) {
		level = 1;
		minor = strtol(end + 5, NULL, 10);
	} else
		return 0;
	return level * 1000000 + (major % 1000) * 1000 + minor % 1000;
}

/* Whether the group already appears in arr (strings). */
static int
skube_seen(const cJSON *arr, const char *s)
{
	return skube_str_in(arr, s);
}

/* The served versions of a group, best first (array of strings). */
static cJSON *
skube_group_versions(struct sim_kube *k, const char *group)
{
	struct skube_rtype	*rt;
	cJSON			*vs = cJSON_CreateArray();
	cJSON			*it, *prev;
	int			 moved = 1;

	for (rt = k->types; rt != NULL; rt = rt->next) {
		if (rt->active && strcmp(rt->group, group) == 0 &&
		    !skube_seen(vs, rt->version))
			cJSON_AddItemToArray(vs,
			    cJSON_CreateString(rt->version));
	}
	while (moved) {		/* tiny bubble sort: few versions */
		moved = 0;
		for (prev = vs->child; prev != NULL && prev->next != NULL;
		    prev = prev->next) {
			it = prev->next;
			if (skube_version_weight(it->valuestring) >
			    skube_version_weight(prev->valuestring)) {
				char *tmp = prev->valuestring;

				prev->valuestring = it->valuestring;
				it->valuestring = tmp;
				moved = 1;
			}
		}
	}
	return vs;
}

/* One APIGroup object. */
static cJSON *
skube_group_obj(struct sim_kube *k, const char *group)
{
	cJSON		*g = cJSON_CreateObject(), *arr, *gv;
	cJSON		*vs = skube_group_versions(k, group);
	const cJSON	*v;
	char		*name;

	cJSON_AddStringToObject(g, "name", group);
	arr = cJSON_AddArrayToObject(g, "versions");
	cJSON_ArrayForEach(v, vs) {
		gv = cJSON_CreateObject();
		xasprintf(&name, "%s/%s", group, v->valuestring);
		cJSON_AddStringToObject(gv, "groupVersion", name);
		cJSON_AddStringToObject(gv, "version", v->valuestring);
		free(name);
		cJSON_AddItemToArray(arr, gv);
	}
	if (cJSON_GetArraySize(arr) > 0)
		cJSON_AddItemToObject(g, "preferredVersion",
		    cJSON_Duplicate(cJSON_GetArrayItem(arr, 0), 1));
	cJSON_Delete(vs);
	return g;
}

/* GET /apis: the APIGroupList. */
static cJSON *
skube_apis(struct sim_kube *k)
{
	struct skube_rtype	*rt;
	cJSON			*l = cJSON_CreateObject(), *groups, *seen;

	cJSON_AddStringToObject(l, "kind", "APIGroupList");
	cJSON_AddStringToObject(l, "apiVersion", "v1");
	groups = cJSON_AddArrayToObject(l, "groups");
	seen = cJSON_CreateArray();
	for (rt = k->types; rt != NULL; rt = rt->next) {
		if (!rt->active || *rt->group == '\0' ||
		    skube_seen(seen, rt->group))
			continue;
		cJSON_AddItemToArray(seen, cJSON_CreateString(rt->group));
		cJSON_AddItemToArray(groups, skube_group_obj(k, rt->group));
	}
	cJSON_Delete(seen);
	return l;
}

/* One APIResource entry (sub NULL for the main resource). */
static cJSON *
skube_resource_obj(const struct skube_rtype *rt, const char *sub)
{
	cJSON	*r = cJSON_CreateObject(), *verbs;
	char	*name;
	size_t	 i;

	if (sub != NULL)
		xasprintf(&name, "%s/%s", rt->plural, sub);
	else
		name = xstrdup(rt->plural);
	cJSON_AddStringToObject(r, "name", name);
	cJSON_AddStringToObject(r, "singularName", sub != NULL ? "" :
	    rt->singular);
	cJSON_AddBoolToObject(r, "namespaced", rt->namespaced);
	cJSON_AddStringToObject(r, "kind", rt->kind);
	verbs = cJSON_AddArrayToObject(r, "verbs");
	if (sub != NULL) {
		cJSON_AddItemToArray(verbs, cJSON_CreateString("get"));
		cJSON_AddItemToArray(verbs, cJSON_CreateString("patch"));
		cJSON_AddItemToArray(verbs, cJSON_CreateString("update"));
	} else {
		for (i = 0; skube_verbs[i] != NULL; i++)
			cJSON_AddItemToArray(verbs,
			    cJSON_CreateString(skube_verbs[i]));
		if (cJSON_GetArraySize(rt->short_names) > 0)
			cJSON_AddItemToObject(r, "shortNames",
			    cJSON_Duplicate(rt->short_names, 1));
		if (cJSON_GetArraySize(rt->categories) > 0)
			cJSON_AddItemToObject(r, "categories",
			    cJSON_Duplicate(rt->categories, 1));
	}
	free(name);
	return r;
}

/* GET /api/v1 or /apis/g/v: the APIResourceList, or NULL when unknown. */
static cJSON *
skube_resources(struct sim_kube *k, const char *group, const char *version)
{
	struct skube_rtype	*rt;
	cJSON			*l, *arr;
	char			*gv;
	int			 any = 0;

	l = cJSON_CreateObject();
	cJSON_AddStringToObject(l, "kind", "APIResourceList");
	cJSON_AddStringToObject(l, "apiVersion", "v1");
	if (*group == '\0')
		gv = xstrdup(version);
	else
		xasprintf(&gv, "%s/%s", group, version);
	cJSON_AddStringToObject(l, "groupVersion", gv);
	free(gv);
	arr = cJSON_AddArrayToObject(l, "resources");
	for (rt = k->types; rt != NULL; rt = rt->next) {
		if (!rt->active || strcmp(rt->group, group) != 0 ||
		    strcmp(rt->version, version) != 0)
			continue;
		any = 1;
		cJSON_AddItemToArray(arr, skube_resource_obj(rt, NULL));
		if (rt->has_status)
			cJSON_AddItemToArray(arr,
			    skube_resource_obj(rt, "status"));
	}
	if (!any) {
		cJSON_Delete(l);
		return NULL;
	}
	return l;
}

/* GET /version. */
static cJSON *
skube_version(void)
{
	cJSON	*v = cJSON_CreateObject();

	cJSON_AddStringToObject(v, "major", KUBE_VERSION_MAJOR);
	cJSON_AddStringToObject(v, "minor", KUBE_VERSION_MINOR);
	cJSON_AddStringToObject(v, "gitVersion", KUBE_GIT_VERSION);
	cJSON_AddStringToObject(v, "gitCommit",
	    "0000000000000000000000000000000000000000");
	cJSON_AddStringToObject(v, "gitTreeState", "clean");
	cJSON_AddStringToObject(v, "buildDate", "2025-01-01T00:00:00Z");
	cJSON_AddStringToObject(v, "goVersion", "go1.23.6");
	cJSON_AddStringToObject(v, "compiler", "gc");
	cJSON_AddStringToObject(v, "platform", "linux/amd64");
	return v;
}

/* A hash for a group/version's OpenAPI document (changes with CRDs). */
static void
skube_openapi_hash(struct sim_kube *k, const char *gv, char *buf, size_t len)
{
	unsigned long long	h = 1469598103934665603ULL;
	const char		*p;

	for (p = gv; *p != '\0'; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	h ^= k->reg_gen * 0x9E3779B97F4A7C15ULL;
	snprintf(buf, len, "%016llX%016llX", h, h * 31 + k->reg_gen);
}

/* GET /openapi/v3: one entry per served group/version. */
static cJSON *
skube_openapi_root(struct sim_kube *k)
{
	struct skube_rtype	*rt;
	cJSON			*root = cJSON_CreateObject(), *paths, *e;
	char			*key, *url, hash[40];

	paths = cJSON_AddObjectToObject(root, "paths");
	for (rt = k->types; rt != NULL; rt = rt->next) {
		if (!rt->active)
			continue;
		if (*rt->group == '\0')
			xasprintf(&key, "api/%s", rt->version);
		else
			xasprintf(&key, "apis/%s/%s", rt->group, rt->version);
		if (!skube_has(paths, key)) {
			skube_openapi_hash(k, key, hash, sizeof hash);
			xasprintf(&url, "/openapi/v3/%s?hash=%s", key, hash);
			e = cJSON_AddObjectToObject(paths, key);
			cJSON_AddStringToObject(e, "serverRelativeURL", url);
			free(url);
		}
		free(key);
	}
	return root;
}

/* The patch operation of one kind in a GV document. */
static cJSON *
skube_openapi_patch(const struct skube_rtype *rt)
{
	cJSON	*op = cJSON_CreateObject(), *gvk, *params, *p;

	cJSON_AddStringToObject(op, "operationId", "patch");
	gvk = cJSON_AddObjectToObject(op, "x-kubernetes-group-version-kind");
	cJSON_AddStringToObject(gvk, "group", rt->group);
	cJSON_AddStringToObject(gvk, "version", rt->version);
	cJSON_AddStringToObject(gvk, "kind", rt->kind);
	cJSON_AddStringToObject(op, "x-kubernetes-action", "patch");
	params = cJSON_AddArrayToObject(op, "parameters");
	p = cJSON_CreateObject();
	cJSON_AddStringToObject(p, "name", "fieldValidation");
	cJSON_AddStringToObject(p, "in", "query");
	cJSON_AddItemToObject(p, "schema", cJSON_CreateObject());
	cJSON_AddStringToObject(cJSON_GetObjectItemCaseSensitive(p, "schema"),
	    "type", "string");
	cJSON_AddItemToArray(params, p);
	cJSON_AddItemToObject(op, "responses", cJSON_CreateObject());
	return op;
}

/* GET /openapi/v3/<gv>: per kind a path with a patch operation; NULL
 * when the group/version is not served. */
static cJSON *
skube_openapi_gv(struct sim_kube *k, const char *group, const char *version)
{
	struct skube_rtype	*rt;
	cJSON			*doc, *paths, *info, *item;
	char			*path;
	int			 any = 0;

	doc = cJSON_CreateObject();
	cJSON_AddStringToObject(doc, "openapi", "3.0.0");
	info = cJSON_AddObjectToObject(doc, "info");
	cJSON_AddStringToObject(info, "title", "Kubernetes");
	cJSON_AddStringToObject(info, "version", KUBE_GIT_VERSION);
	paths = cJSON_AddObjectToObject(doc, "paths");
	for (rt = k->types; rt != NULL; rt = rt->next) {
		if (!rt->active || strcmp(rt->group, group) != 0 ||
		    strcmp(rt->version, version) != 0)
			continue;
		any = 1;
		if (*group == '\0')
			xasprintf(&path, "/api/%s/%s%s/{name}", version,
			    rt->namespaced ? "namespaces/{namespace}/" : "",
			    rt->plural);
		else
			xasprintf(&path, "/apis/%s/%s/%s%s/{name}", group,
			    version, rt->namespaced ?
			    "namespaces/{namespace}/" : "", rt->plural);
		item = cJSON_AddObjectToObject(paths, path);
		cJSON_AddItemToObject(item, "patch", skube_openapi_patch(rt));
		free(path);
	}
	cJSON_AddObjectToObject(doc, "components");
	if (!any) {
		cJSON_Delete(doc);
		return NULL;
	}
	return doc;
}

/* Answer a 404 for an unknown discovery path. */
static int
skube_disc_404(struct httpd_response *resp)
{
	skube_reply_status(resp, 404, "NotFound",
	    "the server could not find the requested resource");
	return 1;
}

/* Split "a/b/c" (after a prefix) into at most 3 parts. */
static int
skube_disc_split(const char *s, char parts[3][128])
{
	int		 n = 0;
	const char	*slash;
	size_t		 len;

	while (*s != '\0' && n < 3) {
		slash = strchr(s, '/');
		len = slash != NULL ? (size_t)(slash - s) : strlen(s);
		if (len == 0 || len >= 128)
			return -1;
		memcpy(parts[n], s, len);
		parts[n++][len] = '\0';
		s += len + (slash != NULL ? 1 : 0);
	}
	return *s == '\0' ? n : -1;
}

/* Answer discovery, version and OpenAPI paths; 1 when handled. */
int
skube_discovery(struct sim_kube *k, const char *path,
    const struct skube_query *q, struct httpd_response *resp)
{
	char	 parts[3][128];
	cJSON	*out = NULL;
	int	 n;

	(void)q;
	if (strcmp(path, "/version") == 0 || strcmp(path, "/version/") == 0)
		out = skube_version();
	else if (strcmp(path, "/api") == 0 || strcmp(path, "/api/") == 0) {
		out = cJSON_Parse("{\"kind\":\"APIVersions\",\"versions\":["
		    "\"v1\"],\"serverAddressByClientCIDRs\":[{\"clientCIDR\":"
		    "\"0.0.0.0/0\",\"serverAddress\":\"127.0.0.1\"}]}");
	} else if (strcmp(path, "/api/v1") == 0 ||
	    strcmp(path, "/api/v1/") == 0)
		out = skube_resources(k, "", "v1");
	else if (strcmp(path, "/apis") == 0 || strcmp(path, "/apis/") == 0)
		out = skube_apis(k);
	else if (strncmp(path, "/apis/", 6) == 0 &&
	    (n = skube_disc_split(path + 6, parts)) >= 1 && n <= 2) {
		if (n == 1) {
			out = skube_group_obj(k, parts[0]);
			if (cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(
			    out, "versions")) == 0) {
				cJSON_Delete(out);
				return skube_disc_404(resp);
			}
			cJSON_AddStringToObject(out, "kind", "APIGroup");
			cJSON_AddStringToObject(out, "apiVersion", "v1");
		} else if ((out = skube_resources(k, parts[0],
		    parts[1])) == NULL)
			return skube_disc_404(resp);
	} else if (strcmp(path, "/openapi/v3") == 0 ||
	    strcmp(path, "/openapi/v3/") == 0)
		out = skube_openapi_root(k);
	else if (strncmp(path, "/openapi/v3/api/", 16) == 0) {
		if ((out = skube_openapi_gv(k, "", path + 16)) == NULL)
			return skube_disc_404(resp);
	} else if (strncmp(path, "/openapi/v3/apis/", 17) == 0) {
		if (skube_disc_split(path + 17, parts) != 2 ||
		    (out = skube_openapi_gv(k, parts[0], parts[1])) == NULL)
			return skube_disc_404(resp);
	} else if (strncmp(path, "/openapi/", 9) == 0)
		return skube_disc_404(resp);
	else
		return 0;
	skube_reply_json(resp, 200, out);
	return 1;
}
