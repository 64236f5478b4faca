/* kube_discovery: which group/version serves a resource, from /api,
 * /apis and the per-group-version resource lists, cached in the client. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LOG_MODULE "kube"
#include "latticectl/error.h"
#include "latticectl/json.h"
#include "latticectl/kube.h"
#include "latticectl/log.h"
#include "latticectl/timeutil.h"
#include "latticectl/xmalloc.h"

#include "kube_client_int.h"

#define DISC_TTL_MS	(10 * 60 * 1000)	/* whole cache */
#define DISC_MISS_MS	(10 * 1000)		/* re-check a miss after */

/* One group/version's resource names (NULL-terminated). */
struct kube_disc_gv {
	char	 *gv;		/* "v1" or "group/version" */
	char	**names;
};

struct kube_disc {
	uint64_t		 at;	/* when /api and /apis were read */
	cJSON			*groups;	/* [{name, versions: [..]}] */
	struct kube_disc_gv	*gvs;
	size_t			 n_gvs;
};

/* Free the cache; all also frees interned version strings. */
void
kube_discovery_free(struct kube_client *kc, int all)
{
	struct kube_disc	*d = kc->disc;
	size_t			 i, k;

	if (d != NULL) {
		cJSON_Delete(d->groups);
		for (i = 0; i < d->n_gvs; i++) {
			free(d->gvs[i].gv);
			for (k = 0; d->gvs[i].names[k] != NULL; k++)
				free(d->gvs[i].names[k]);
			free(d->gvs[i].names);
		}
		free(d->gvs);
		free(d);
		kc->disc = NULL;
	}
	if (!all)
		return;
	for (i = 0; i < kc->n_interned; i++)
		free(kc->interned[i]);
	free(kc->interned);
	kc->interned = NULL;
	kc->n_interned = 0;
}

/* Drop the discovery cache. */
void
kube_discovery_invalidate(struct kube_client *kc)
{
	pthread_mutex_lock(&kc->disc_lock);
	kube_discovery_free(kc, 0);
	pthread_mutex_unlock(&kc->disc_lock);
}

/* Split "v1beta2" into class (3 GA, 2 beta, 1 alpha, 0 other), major
 * and minor. */
static void
version_parse(const char *v, int *cls, long *major, long *minor)
{
	char	*end;

	*cls = 0;
	*major = *minor = 0;
	if (v[0] != 'v' || !isdigit((unsigned char)v[1]))
		return;
	*major = strtol(v + 1, &end, 10);
	if (*end == '\0') {
		*cls = 3;
		return;
	}
	if (strncmp(end, "beta", 4) == 0)
		*cls = 2;
	else if (strncmp(end, "alpha", 5) == 0)
		*cls = 1;
	else
		return;
	end += *cls == 2 ? 4 : 5;
	if (!isdigit((unsigned char)*end)) {
		*cls = 0;
		return;
	}
	*minor = strtol(end, &end, 10);
	if (*end != '\0')
		*cls = 0;
}

/* Kubernetes version priority: GA, then beta, then alpha, higher numbers
 * first; anything else after, alphabetically. */
int
kube_version_cmp(const char *a, const char *b)
{
	long	amaj, amin, bmaj, bmin;
	int	acls, bcls;

	version_parse(a, &acls, &amaj, &amin);
	version_parse(b, &bcls, &bmaj, &bmin);
	if (acls != bcls)
		return bcls - acls;
	if (acls == 0)
		return strcmp(a, b);
	if (amaj != bmaj)
		return amaj > bmaj ? -1 : 1;
	if (amin != bmin)
		return amin > bmin ? -1 : 1;
	return 0;
}

/* qsort adapter for version strings. */
static int
version_qsort(const void *a, const void *b)
{
	return kube_version_cmp(*(const char *const *)a,
	    *(const char *const *)b);
}

/* A GET whose failure becomes a cause naming the path. */
static int
disc_get(struct kube_client *kc, const char *path, cJSON **out,
    int *not_found, char **cause)
{
	struct kube_error	 e;
	char			*s;

	memset(&e, 0, sizeof e);
	if (not_found != NULL)
		*not_found = 0;
	if (kube_client_json(kc, "GET", path, NULL, NULL, NULL, NULL, out,
	    &e) == 0 && *out != NULL)
		return 0;
	if (not_found != NULL && kube_error_is_not_found(&e)) {
		*not_found = 1;
		kube_error_clear(&e);
		return 0;
	}
	s = e.message != NULL || e.status != 0 ? kube_error_string(&e) :
	    xstrdup("empty answer");
	error_set(cause, "discovery: GET %s: %s", path, s);
	free(s);
	kube_error_clear(&e);
	return -1;
}

/* Read /api and /apis into [{name, versions: [...]}]. */
static int
disc_load_groups(struct kube_client *kc, struct kube_disc *d, char **cause)
{
	cJSON		*api, *apis, *g, *v, *ent, *vers;
	const char	*s;

	if (disc_get(kc, "/api", &api, NULL, cause) != 0)
		return -1;
	if (disc_get(kc, "/apis", &apis, NULL, cause) != 0) {
		cJSON_Delete(api);
		return -1;
	}
	d->groups = cJSON_CreateArray();
	ent = cJSON_CreateObject();
	cJSON_AddStringToObject(ent, "name", "");
	cJSON_AddItemToObject(ent, "versions", cJSON_Duplicate(
	    cJSON_GetObjectItemCaseSensitive(api, "versions"), 1));
	cJSON_AddItemToArray(d->groups, ent);
	cJSON_ArrayForEach(g, cJSON_GetObjectItemCaseSensitive(apis,
	    "groups")) {
		if ((s = json_str(g, "name")) == NULL)
			continue;
		ent = cJSON_CreateObject();
		cJSON_AddStringToObject(ent, "name", s);
		vers = cJSON_AddArrayToObject(ent, "versions");
		cJSON_ArrayForEach(v, cJSON_GetObjectItemCaseSensitive(g,
		    "versions")) {
			if ((s = json_str(v, "version")) != NULL)
				cJSON_AddItemToArray(vers,
				    cJSON_CreateString(s));
		}
		cJSON_AddItemToArray(d->groups, ent);
	}
	cJSON_Delete(api);
	cJSON_Delete(apis);
	return 0;
}

/* The served versions of group, in priority order (NULL-terminated,
 * strings owned by the cache); NULL when the group is not served. */
static const char **
disc_versions(struct kube_disc *d, const char *group)
{
	const cJSON	*g, *v;
	const char	*name, **out;
	size_t		 n = 0;

	cJSON_ArrayForEach(g, d->groups) {
		name = json_str(g, "name");
		if (name == NULL || strcmp(name, group) != 0)
			continue;
		out = xcalloc((size_t)cJSON_GetArraySize(
		    cJSON_GetObjectItemCaseSensitive(g, "versions")) + 1,
		    sizeof *out);
		cJSON_ArrayForEach(v, cJSON_GetObjectItemCaseSensitive(g,
		    "versions")) {
			if (cJSON_IsString(v))
				out[n++] = v->valuestring;
		}
		qsort(out, n, sizeof *out, version_qsort);
		return out;
	}
	return NULL;
}

/* The cached resource list of a group/version, fetched on first use. */
static struct kube_disc_gv *
disc_gv(struct kube_client *kc, struct kube_disc *d, const char *group,
    const char *version, char **cause)
{
	struct kube_disc_gv	*gv;
	cJSON			*doc = NULL, *list, *r;
	const char		*name;
	char			*key, *path;
	size_t			 i, n = 0;
	int			 nf;

	if (*group == '\0')
		key = xstrdup(version);
	else
		xasprintf(&key, "%s/%s", group, version);
	for (i = 0; i < d->n_gvs; i++) {
		if (strcmp(d->gvs[i].gv, key) == 0) {
			free(key);
			return &d->gvs[i];
		}
	}
	xasprintf(&path, *group == '\0' ? "/api/%s" : "/apis/%s", key);
	if (disc_get(kc, path, &doc, &nf, cause) != 0) {
		free(path);
		free(key);
		return NULL;
	}
	free(path);
	d->gvs = xreallocarray(d->gvs, d->n_gvs + 1, sizeof *d->gvs);
	gv = &d->gvs[d->n_gvs++];
	gv->gv = key;
	list = cJSON_GetObjectItemCaseSensitive(doc, "resources");
	gv->names = xcalloc((size_t)cJSON_GetArraySize(list) + 1,
	    sizeof *gv->names);
	cJSON_ArrayForEach(r, list) {
		name = json_str(r, "name");
		if (name != NULL && strchr(name, '/') == NULL)
			gv->names[n++] = xstrdup(name);
	}
	cJSON_Delete(doc);
	return gv;
}

/* Whether gv lists resource. */
static int
disc_gv_has(const struct kube_disc_gv *gv, const char *resource)
{
	size_t	i;

	for (i = 0; gv->names[i] != NULL; i++) {
		if (strcmp(gv->names[i], resource) == 0)
			return 1;
	}
	return 0;
}

/* One lookup over the cache (loading what it lacks). */
static int
disc_lookup(struct kube_client *kc, const char *group, const char *resource,
    char **version, char **cause)
{
	struct kube_disc	 *d;
	struct kube_disc_gv	 *gv;
	const char		**vers;
	size_t			  i;

	if (kc->disc == NULL) {
		d = xcalloc(1, sizeof *d);
		if (disc_load_groups(kc, d, cause) != 0) {
			free(d);
			return -1;
		}
		d->at = time_mono_ms();
		kc->disc = d;
	}
	d = kc->disc;
	if ((vers = disc_versions(d, group)) == NULL)
		return 1;
	for (i = 0; vers[i] != NULL; i++) {
		if ((gv = disc_gv(kc, d, group, vers[i], cause)) == NULL) {
			free(vers);
			return -1;
		}
		if (disc_gv_has(gv, resource)) {
			*version = xstrdup(vers[i]);
			free(vers);
			return 0;
		}
	}
	free(vers);
	return 1;
}

/* Which version of group serves resource: 0 found, 1 not served, -1. */
int
kube_discover(struct kube_client *kc, const char *group,
    const char *resource, char **version, char **cause)
{
	uint64_t	now;
	int		rc;

	*version = NULL;
	pthread_mutex_lock(&kc->disc_lock);
	now = time_mono_ms();
	if (kc->disc != NULL && now - kc->disc->at >= DISC_TTL_MS)
		kube_discovery_free(kc, 0);
	rc = disc_lookup(kc, group, resource, version, cause);
	if (rc == 1 && kc->disc != NULL && now - kc->disc->at >= DISC_MISS_MS) {
		kube_discovery_free(kc, 0);
		rc = disc_lookup(kc, group, resource, version, cause);
	}
	pthread_mutex_unlock(&kc->disc_lock);
	if (rc == 1 && *group != '\0')
		error_set(cause, "%s.%s is not served by the API server: is "
		    "its CRD installed?", resource, group);
	else if (rc == 1)
		error_set(cause, "%s is not served by the API server",
		    resource);
	return rc;
}

/* A copy of res with the discovered version (interned in the client). */
int
kube_resource_resolve(struct kube_client *kc,
    const struct kube_resource *res, struct kube_resource *out,
    char **cause)
{
	char	*v;
	size_t	 i;
	int	 rc;

	*out = *res;
	if ((rc = kube_discover(kc, res->group, res->resource, &v,
	    cause)) != 0)
		return rc;
	pthread_mutex_lock(&kc->disc_lock);
	for (i = 0; i < kc->n_interned; i++) {
		if (strcmp(kc->interned[i], v) == 0)
			break;
	}
	if (i == kc->n_interned) {
		kc->interned = xreallocarray(kc->interned, i + 1,
		    sizeof *kc->interned);
		kc->interned[kc->n_interned++] = xstrdup(v);
	}
	out->version = kc->interned[i];
	pthread_mutex_unlock(&kc->disc_lock);
	free(v);
	return 0;
}
