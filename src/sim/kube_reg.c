/* sim_kube resource registry: built-in kinds and CRD-defined ones. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/json.h"
#include "latticectl/xmalloc.h"
#include "kube_int.h"

struct skube_builtin {
	const char	*group;
	const char	*version;
	const char	*kind;
	const char	*plural;
	const char	*short_names;	/* comma-separated */
	int		 namespaced;
	int		 has_status;
	const char	*categories;
};

static const struct skube_builtin skube_builtins[] = {
	{ "", "v1", "Namespace", "namespaces", "ns", 0, 1, NULL },
	{ "", "v1", "Node", "nodes", "no", 0, 1, NULL },
	{ "", "v1", "Pod", "pods", "po", 1, 1, "all" },
	{ "", "v1", "Service", "services", "svc", 1, 1, "all" },
	{ "", "v1", "ServiceAccount", "serviceaccounts", "sa", 1, 0, NULL },
	{ "", "v1", "ConfigMap", "configmaps", "cm", 1, 0, NULL },
	{ "", "v1", "Secret", "secrets", NULL, 1, 0, NULL },
	{ "", "v1", "Event", "events", "ev", 1, 0, NULL },
	{ "apps", "v1", "Deployment", "deployments", "deploy", 1, 1, "all" },
	{ "discovery.k8s.io", "v1", "EndpointSlice", "endpointslices", NULL,
	    1, 0, NULL },
	{ "coordination.k8s.io", "v1", "Lease", "leases", NULL, 1, 0, NULL },
	{ "events.k8s.io", "v1", "Event", "events", "ev", 1, 0, NULL },
	{ "apiextensions.k8s.io", "v1", "CustomResourceDefinition",
	    "customresourcedefinitions", "crd,crds", 0, 1, "api-extensions" },
	{ "rbac.authorization.k8s.io", "v1", "ClusterRole", "clusterroles",
	    NULL, 0, 0, NULL },
	{ "rbac.authorization.k8s.io", "v1", "ClusterRoleBinding",
	    "clusterrolebindings", NULL, 0, 0, NULL },
	{ "rbac.authorization.k8s.io", "v1", "Role", "roles", NULL, 1, 0,
	    NULL },
	{ "rbac.authorization.k8s.io", "v1", "RoleBinding", "rolebindings",
	    NULL, 1, 0, NULL },
	{ "admissionregistration.k8s.io", "v1", "MutatingWebhookConfiguration",
	    "mutatingwebhookconfigurations", NULL, 0, 0, "api-extensions" },
	{ "admissionregistration.k8s.io", "v1",
	    "ValidatingWebhookConfiguration", "validatingwebhookconfigurations",
	    NULL, 0, 0, "api-extensions" },
};

/* A cJSON string array from a comma-separated list (NULL: empty). */
static cJSON *
skube_reg_list(const char *csv)
{
	cJSON	*a = cJSON_CreateArray();
	char	*copy, *p, *save = NULL;

	if (csv == NULL)
		return a;
	copy = xstrdup(csv);
	for (p = strtok_r(copy, ",", &save); p != NULL;
	    p = strtok_r(NULL, ",", &save))
		cJSON_AddItemToArray(a, cJSON_CreateString(p));
	free(copy);
	return a;
}

/* Lower-case copy of s (caller frees). */
static char *
skube_reg_lower(const char *s)
{
	char	*l = xstrdup(s);
	char	*p;

	for (p = l; *p != '\0'; p++) {
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	}
	return l;
}

/* The store of a group/resource, created when missing. */
struct skube_store *
skube_store_get(struct sim_kube *k, const char *group, const char *plural,
    int namespaced)
{
	struct skube_store	*st, **tail;
	char			*id;

	if (strcmp(group, "events.k8s.io") == 0 &&
	    strcmp(plural, "events") == 0)
		group = "";	/* one store, two views */
	xasprintf(&id, "%s/%s", group, plural);
	for (tail = &k->stores; (st = *tail) != NULL; tail = &st->next) {
		if (strcmp(st->id, id) == 0) {
			free(id);
			if (st->n == 0)
				st->namespaced = namespaced;
			return st;
		}
	}
	st = xcalloc(1, sizeof *st);
	st->id = id;
	st->namespaced = namespaced;
	*tail = st;
	return st;
}

/* The type for group/version/plural (active or not), or NULL. */
static struct skube_rtype *
skube_reg_lookup(struct sim_kube *k, const char *group, const char *version,
    const char *plural)
{
	struct skube_rtype	*rt;

	for (rt = k->types; rt != NULL; rt = rt->next) {
		if (strcmp(rt->group, group) == 0 &&
		    strcmp(rt->version, version) == 0 &&
		    strcmp(rt->plural, plural) == 0)
			return rt;
	}
	return NULL;
}

/* The served type for group/version/plural, or NULL. */
struct skube_rtype *
skube_reg_find(struct sim_kube *k, const char *group, const char *version,
    const char *plural)
{
	struct skube_rtype	*rt = skube_reg_lookup(k, group, version,
	    plural);

	return rt != NULL && rt->active ? rt : NULL;
}

/* The served type for group/version/kind, or NULL. */
struct skube_rtype *
skube_reg_find_kind(struct sim_kube *k, const char *group,
    const char *version, const char *kind)
{
	struct skube_rtype	*rt;

	for (rt = k->types; rt != NULL; rt = rt->next) {
		if (rt->active && strcmp(rt->group, group) == 0 &&
		    strcmp(rt->version, version) == 0 &&
		    strcmp(rt->kind, kind) == 0)
			return rt;
	}
	return NULL;
}

/* The storage version's type of a store (active), or NULL. */
struct skube_rtype *
skube_reg_storage(struct sim_kube *k, struct skube_store *st)
{
	struct skube_rtype	*rt, *any = NULL;

	for (rt = k->types; rt != NULL; rt = rt->next) {
		if (rt->store != st || !rt->active)
			continue;
		if (rt->storage)
			return rt;
		if (any == NULL)
			any = rt;
	}
	return any;
}

/* Append a new inactive type for group/version/plural. */
static struct skube_rtype *
skube_reg_new(struct sim_kube *k, const char *group, const char *version,
    const char *plural)
{
	struct skube_rtype	*rt, **tail;

	for (tail = &k->types; *tail != NULL; tail = &(*tail)->next)
		;
	rt = xcalloc(1, sizeof *rt);
	rt->group = xstrdup(group);
	rt->version = xstrdup(version);
	rt->plural = xstrdup(plural);
	*tail = rt;
	return rt;
}

/* Replace a type's names (kind, list kind, singular, short names). */
static void
skube_reg_names(struct skube_rtype *rt, const char *kind, const char *list_kind,
    const char *singular, cJSON *short_names, cJSON *categories)
{
	free(rt->kind);
	free(rt->list_kind);
	free(rt->singular);
	rt->kind = xstrdup(kind);
	if (list_kind != NULL)
		rt->list_kind = xstrdup(list_kind);
	else
		xasprintf(&rt->list_kind, "%sList", kind);
	rt->singular = singular != NULL && *singular != '\0' ?
	    xstrdup(singular) : skube_reg_lower(kind);
	cJSON_Delete(rt->short_names);
	cJSON_Delete(rt->categories);
	rt->short_names = short_names;
	rt->categories = categories;
}

/* Register the built-in kinds. */
void
skube_reg_builtins(struct sim_kube *k)
{
	const struct skube_builtin	*b;
	struct skube_rtype		*rt;
	size_t				 i;

	for (i = 0; i < sizeof skube_builtins / sizeof skube_builtins[0]; i++) {
		b = &skube_builtins[i];
		rt = skube_reg_new(k, b->group, b->version, b->plural);
		skube_reg_names(rt, b->kind, NULL, NULL,
		    skube_reg_list(b->short_names),
		    skube_reg_list(b->categories));
		rt->namespaced = b->namespaced;
		rt->has_status = b->has_status;
		rt->builtin = 1;
		rt->active = 1;
		rt->events_view = strcmp(b->group, "events.k8s.io") == 0;
		rt->storage = !rt->events_view;
		rt->ops = skube_kind_ops(b->group, b->kind);
		rt->store = skube_store_get(k, b->group, b->plural,
		    b->namespaced);
	}
	k->reg_gen++;
}

/* The CRD's name parts; -1 with e set when a required one is missing. */
static int
skube_reg_crd_names(const cJSON *crd, const char **group, const char **plural,
    const char **kind, struct skube_err *e)
{
	*group = json_path_str(crd, "spec.group");
	*plural = json_path_str(crd, "spec.names.plural");
	*kind = json_path_str(crd, "spec.names.kind");
	if (*group == NULL || **group == '\0')
		return skube_err_set(e, 422, "Invalid",
		    "spec.group: Required value");
	if (*plural == NULL || **plural == '\0')
		return skube_err_set(e, 422, "Invalid",
		    "spec.names.plural: Required value");
	if (*kind == NULL || **kind == '\0')
		return skube_err_set(e, 422, "Invalid",
		    "spec.names.kind: Required value");
	return 0;
}

/* Validate a CRD against the registry (names, versions, clashes). */
int
skube_reg_check_crd(struct sim_kube *k, const cJSON *crd, struct skube_err *e)
{
	const char		*group, *plural, *kind, *name, *vname;
	const cJSON		*versions, *v;
	struct skube_rtype	*rt;
	char			*want;
	int			 nstorage = 0;

	if (skube_reg_crd_names(crd, &group, &plural, &kind, e) != 0)
		return -1;
	name = skube_name(crd);
	xasprintf(&want, "%s.%s", plural, group);
	if (name == NULL || strcmp(name, want) != 0) {
		skube_err_set(e, 422, "Invalid", "metadata.name: Invalid value:"
		    " \"%s\": must be spec.names.plural+\".\"+spec.group",
		    name != NULL ? name : "");
		free(want);
		return -1;
	}
	free(want);
	versions = json_path(crd, "spec.versions");
	if (!cJSON_IsArray(versions) || cJSON_GetArraySize(versions) == 0)
		return skube_err_set(e, 422, "Invalid", "spec.versions: "
		    "Invalid value: must have exactly one version marked as "
		    "storage version");
	cJSON_ArrayForEach(v, versions) {
		vname = json_str(v, "name");
		if (vname == NULL || !skube_valid_label(vname))
			return skube_err_set(e, 422, "Invalid",
			    "spec.versions[].name: Invalid value");
		nstorage += json_bool(v, "storage", 0);
		rt = skube_reg_lookup(k, group, vname, plural);
		if (rt != NULL && rt->active && (rt->crd == NULL ||
		    strcmp(rt->crd, name) != 0))
			return skube_err_set(e, 422, "Invalid",
			    "spec.names.plural: Invalid value: \"%s\": already "
			    "served for %s/%s", plural, group, vname);
	}
	if (nstorage != 1)
		return skube_err_set(e, 422, "Invalid", "spec.versions: "
		    "Invalid value: must have exactly one version marked as "
		    "storage version");
	return 0;
}

/* Copy of a member (or NULL). */
static cJSON *
skube_reg_dup(const cJSON *obj, const char *path)
{
	const cJSON	*c = json_path(obj, path);

	return c != NULL ? cJSON_Duplicate(c, 1) : NULL;
}

/* Activate or refresh the type of one CRD version. */
static void
skube_reg_crd_version(struct sim_kube *k, const cJSON *crd, const cJSON *v,
    struct skube_store *st)
{
	struct skube_rtype	*rt;
	const cJSON		*names = json_path(crd, "spec.names");

	rt = skube_reg_lookup(k, json_path_str(crd, "spec.group"),
	    json_str(v, "name"), json_str(names, "plural"));
	if (rt == NULL)
		rt = skube_reg_new(k, json_path_str(crd, "spec.group"),
		    json_str(v, "name"), json_str(names, "plural"));
	skube_reg_names(rt, json_str(names, "kind"),
	    json_str(names, "listKind"), json_str(names, "singular"),
	    skube_reg_dup(names, "shortNames"),
	    skube_reg_dup(names, "categories"));
	if (rt->short_names == NULL)
		rt->short_names = cJSON_CreateArray();
	if (rt->categories == NULL)
		rt->categories = cJSON_CreateArray();
	rt->namespaced = st->namespaced;
	rt->has_status = json_path(v, "subresources.status") != NULL;
	rt->storage = json_bool(v, "storage", 0);
	rt->builtin = 0;
	rt->ops = NULL;
	cJSON_Delete(rt->columns);
	cJSON_Delete(rt->schema);
	rt->columns = skube_reg_dup(v, "additionalPrinterColumns");
	rt->schema = skube_reg_dup(v, "schema.openAPIV3Schema");
	free(rt->crd);
	rt->crd = xstrdup(skube_name(crd));
	rt->store = st;
	rt->active = json_bool(v, "served", 1);
}

/* Serve what a (valid) CRD defines; versions it no longer serves stop. */
int
skube_reg_crd(struct sim_kube *k, const cJSON *crd, struct skube_err *e)
{
	const char		*group, *plural, *kind, *scope;
	const cJSON		*v;
	struct skube_store	*st;
	struct skube_rtype	*rt;

	if (skube_reg_crd_names(crd, &group, &plural, &kind, e) != 0)
		return -1;
	scope = json_path_str(crd, "spec.scope");
	st = skube_store_get(k, group, plural,
	    scope == NULL || strcmp(scope, "Cluster") != 0);
	for (rt = k->types; rt != NULL; rt = rt->next) {
		if (rt->crd != NULL && strcmp(rt->crd, skube_name(crd)) == 0)
			rt->active = 0;
	}
	cJSON_ArrayForEach(v, json_path(crd, "spec.versions")) {
		if (json_str(v, "name") != NULL)
			skube_reg_crd_version(k, crd, v, st);
	}
	k->reg_gen++;
	return 0;
}

/* Stop serving every version of a CRD. */
void
skube_reg_uncrd(struct sim_kube *k, const char *crd_name)
{
	struct skube_rtype	*rt;

	for (rt = k->types; rt != NULL; rt = rt->next) {
		if (rt->crd != NULL && strcmp(rt->crd, crd_name) == 0)
			rt->active = 0;
	}
	k->reg_gen++;
}

/* Free every type. */
void
skube_reg_free(struct sim_kube *k)
{
	struct skube_rtype	*rt, *next;

	for (rt = k->types; rt != NULL; rt = next) {
		next = rt->next;
		free(rt->group);
		free(rt->version);
		free(rt->kind);
		free(rt->list_kind);
		free(rt->plural);
		free(rt->singular);
		cJSON_Delete(rt->short_names);
		cJSON_Delete(rt->categories);
		cJSON_Delete(rt->columns);
		cJSON_Delete(rt->schema);
		free(rt->crd);
		free(rt);
	}
	k->types = NULL;
}
