/* sim_kube write semantics: create, update, delete, get, garbage collection. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/json.h"
#include "latticectl/rand.h"
#include "latticectl/xmalloc.h"
#include "kube_int.h"

/* System metadata carried from the stored object into an update. */
static const char *const skube_sys_meta[] = {
	"uid", "creationTimestamp", "deletionTimestamp",
	"deletionGracePeriodSeconds", "generation", "namespace", "name",
	"resourceVersion", NULL
};

/* "plural" or "plural.group" (caller frees). */
static char *
skube_qualified(const struct skube_rtype *rt)
{
	char	*s;

	if (*rt->group == '\0')
		return xstrdup(rt->plural);
	xasprintf(&s, "%s.%s", rt->plural, rt->group);
	return s;
}

/* Set a NotFound error for rt/name. */
static int
skube_not_found(struct skube_err *e, const struct skube_rtype *rt,
    const char *name)
{
	char	*q = skube_qualified(rt);

	skube_err_set(e, 404, "NotFound", "%s \"%s\" not found", q, name);
	skube_err_details(e, rt->group, rt->plural, name);
	free(q);
	return -1;
}

/* Set a Conflict error (stale resourceVersion or precondition). */
static int
skube_conflict(struct skube_err *e, const struct skube_rtype *rt,
    const char *name, const char *why)
{
	char	*q = skube_qualified(rt);

	skube_err_set(e, 409, "Conflict", "Operation cannot be fulfilled on %s "
	    "\"%s\": %s", q, name, why);
	skube_err_details(e, rt->group, rt->plural, name);
	free(q);
	return -1;
}

/* A copy of a stored object as served through rt (version, events view). */
cJSON *
skube_out(const struct skube_rtype *rt, const cJSON *stored)
{
	cJSON	*o = cJSON_Duplicate(stored, 1);
	char	*av = skube_apiversion(rt);

	skube_set_str(o, "apiVersion", av);
	skube_set_str(o, "kind", rt->kind);
	free(av);
	if (rt->events_view)
		skube_event_to_events(o);
	return o;
}

/* Check that the namespace exists and is not terminating. */
int
skube_ns_check(struct sim_kube *k, const char *ns, struct skube_err *e)
{
	struct skube_rtype	*nrt;
	struct skube_entry	*ent;

	nrt = skube_reg_find(k, "", "v1", "namespaces");
	if (ns == NULL || *ns == '\0')
		return skube_err_set(e, 400, "BadRequest",
		    "the namespace of the object must be set");
	if (nrt == NULL || (ent = skube_store_find(nrt->store, NULL,
	    ns)) == NULL)
		return skube_not_found(e, nrt, ns);
	if (json_path(ent->obj, "metadata.deletionTimestamp") != NULL) {
		skube_err_set(e, 403, "Forbidden", "unable to create new "
		    "content in namespace %s because it is being terminated",
		    ns);
		skube_err_cause(e, "NamespaceTerminating", "metadata.namespace",
		    e->message);
		return -1;
	}
	return 0;
}

/* Check kind and apiVersion of a body against the request's type. */
static int
skube_check_type(const struct skube_rtype *rt, const cJSON *obj,
    struct skube_err *e)
{
	const char	*kind, *av;
	char		*want;
	int		 ok;

	if (!cJSON_IsObject(obj))
		return skube_err_set(e, 400, "BadRequest",
		    "the body of the request was not a JSON object");
	kind = json_str(obj, "kind");
	if (kind != NULL && *kind != '\0' && strcmp(kind, rt->kind) != 0)
		return skube_err_set(e, 400, "BadRequest", "the kind of the "
		    "object (%s) does not match the expected kind (%s)", kind,
		    rt->kind);
	av = json_str(obj, "apiVersion");
	want = skube_apiversion(rt);
	ok = av == NULL || *av == '\0' || strcmp(av, want) == 0;
	if (!ok)
		skube_err_set(e, 400, "BadRequest", "the API version in the "
		    "data (%s) does not match the expected API version (%s)",
		    av, want);
	free(want);
	return ok ? 0 : -1;
}

/* Reconcile the body's namespace with the request's. */
static int
skube_fix_ns(const struct skube_rtype *rt, cJSON *obj, const char *ns,
    struct skube_err *e)
{
	cJSON		*meta = skube_meta(obj);
	const char	*bns = json_str(meta, "namespace");

	if (!rt->namespaced) {
		cJSON_DeleteItemFromObjectCaseSensitive(meta, "namespace");
		return 0;
	}
	if (bns != NULL && *bns != '\0' && ns != NULL && strcmp(bns, ns) != 0)
		return skube_err_set(e, 400, "BadRequest", "the namespace of "
		    "the provided object does not match the namespace sent on "
		    "the request");
	if (ns != NULL)
		skube_set_str(meta, "namespace", ns);
	else if (bns == NULL || *bns == '\0')
		return skube_err_set(e, 400, "BadRequest",
		    "the namespace of the object must be set");
	return 0;
}

/* Fill metadata.name from generateName; validate the name. */
static int
skube_fix_name(const struct skube_rtype *rt, cJSON *obj, struct skube_err *e)
{
	cJSON		*meta = skube_meta(obj);
	const char	*name = json_str(meta, "name");
	const char	*gen = json_str(meta, "generateName");
	char		 sfx[6], *full;
	int		 ok;

	if ((name == NULL || *name == '\0') && gen != NULL && *gen != '\0') {
		skube_rand_suffix(sfx, sizeof sfx);
		xasprintf(&full, "%.57s%s", gen, sfx);
		skube_set_str(meta, "name", full);
		free(full);
		name = json_str(meta, "name");
	}
	if (name == NULL || *name == '\0') {
		skube_err_set(e, 422, "Invalid", "%s \"\" is invalid: "
		    "metadata.name: Required value: name or generateName is "
		    "required", rt->kind);
		skube_err_cause(e, "FieldValueRequired", "metadata.name",
		    "Required value: name or generateName is required");
		return -1;
	}
	ok = strcmp(rt->plural, "namespaces") == 0 ? skube_valid_label(name) :
	    skube_valid_subdomain(name);
	if (!ok) {
		skube_err_set(e, 422, "Invalid", "%s \"%s\" is invalid: "
		    "metadata.name: Invalid value: \"%s\": a lowercase RFC "
		    "1123 name must consist of lower case alphanumeric "
		    "characters, '-' or '.'", rt->kind, name, name);
		skube_err_cause(e, "FieldValueInvalid", "metadata.name",
		    "Invalid value");
		skube_err_details(e, rt->group, rt->kind, name);
		return -1;
	}
	return 0;
}

/* Record the field manager's entry in metadata.managedFields. */
static void
skube_note_manager(cJSON *obj, const cJSON *intent,
    const struct skube_rtype *rt, const struct skube_wopts *w)
{
	if (w->manager != NULL && *w->manager != '\0')
		skube_managed_fields(obj, intent, rt, w);
}

/* Whether a label value is valid (<= 63, alphanumeric ends, -_.). */
static int
skube_label_value_ok(const char *v)
{
	size_t	i, n = strlen(v);

	if (n == 0)
		return 1;
	if (n > 63 || !isalnum((unsigned char)v[0]) ||
	    !isalnum((unsigned char)v[n - 1]))
		return 0;
	for (i = 0; i < n; i++) {
		if (!isalnum((unsigned char)v[i]) &&
		    strchr("-_.", v[i]) == NULL)
			return 0;
	}
	return 1;
}

/* Set a 422 about metadata. */
static int
skube_meta_invalid(const struct skube_rtype *rt, const cJSON *obj,
    struct skube_err *e, const char *field, const char *what)
{
	skube_err_set(e, 422, "Invalid", "%s \"%s\" is invalid: %s: %s",
	    rt->kind, skube_name(obj) != NULL ? skube_name(obj) : "", field,
	    what);
	skube_err_cause(e, "FieldValueInvalid", field, what);
	skube_err_details(e, rt->group, rt->kind, skube_name(obj));
	return -1;
}

/* Labels and annotations: types, label values, total annotation size. */
static int
skube_validate_meta(const struct skube_rtype *rt, const cJSON *obj,
    struct skube_err *e)
{
	const cJSON	*it;
	size_t		 total = 0;

	cJSON_ArrayForEach(it, json_path(obj, "metadata.labels")) {
		if (!cJSON_IsString(it) ||
		    !skube_label_value_ok(it->valuestring))
			return skube_meta_invalid(rt, obj, e, "metadata.labels",
			    "Invalid value: a valid label must be an empty "
			    "string or consist of alphanumeric characters, '-',"
			    " '_' or '.'");
	}
	cJSON_ArrayForEach(it, json_path(obj, "metadata.annotations")) {
		if (!cJSON_IsString(it))
			return skube_meta_invalid(rt, obj, e,
			    "metadata.annotations", "Invalid value: must be a "
			    "string");
		total += strlen(it->string) + strlen(it->valuestring);
	}
	if (total > 262144)
		return skube_meta_invalid(rt, obj, e, "metadata.annotations",
		    "Too long: must have at most 262144 bytes");
	return 0;
}

/* Defaults, validation and kind hooks shared by create and update. */
static int
skube_prepare(struct sim_kube *k, const struct skube_rtype *rt, cJSON *obj,
    const cJSON *old, struct skube_err *e)
{
	if (skube_validate_meta(rt, obj, e) != 0)
		return -1;
	if (rt->schema != NULL)
		skube_schema_default(rt->schema, obj);
	if (rt->ops != NULL && rt->ops->defaults != NULL)
		rt->ops->defaults(k, rt, obj, old);
	if (rt->ops != NULL && rt->ops->validate != NULL &&
	    rt->ops->validate(k, rt, obj, old, e) != 0)
		return -1;
	return 0;
}

/* Stamp the metadata of a new object. */
static void
skube_new_meta(cJSON *obj)
{
	static const char *const drop[] = { "resourceVersion", "uid",
	    "creationTimestamp", "deletionTimestamp",
	    "deletionGracePeriodSeconds", "generation", "selfLink", NULL };
	cJSON	*meta = skube_meta(obj);
	char	 uid[37], now[40];
	size_t	 i;

	for (i = 0; drop[i] != NULL; i++)
		cJSON_DeleteItemFromObjectCaseSensitive(meta, drop[i]);
	rand_uuid4(uid);
	skube_now(now, sizeof now, 0);
	cJSON_AddStringToObject(meta, "uid", uid);
	cJSON_AddStringToObject(meta, "creationTimestamp", now);
	cJSON_AddNumberToObject(meta, "generation", 1);
}

/* Create an object (owned) in ns; *out is what to answer (201). */
int
skube_op_create(struct sim_kube *k, struct skube_rtype *rt, const char *ns,
    cJSON *obj, const struct skube_wopts *w, cJSON **out, struct skube_err *e)
{
	struct skube_entry	*ent;
	char			*q;
	int			 rc = -1;

	*out = NULL;
	if (skube_check_type(rt, obj, e) != 0 ||
	    skube_fix_ns(rt, obj, ns, e) != 0 ||
	    skube_fix_name(rt, obj, e) != 0)
		goto out;
	if (rt->events_view)
		skube_event_to_core(obj);
	if (rt->namespaced && skube_ns_check(k, skube_ns(obj), e) != 0)
		goto out;
	if (skube_store_find(rt->store, skube_ns(obj),
	    skube_name(obj)) != NULL) {
		q = skube_qualified(rt);
		skube_err_set(e, 409, "AlreadyExists", "%s \"%s\" already "
		    "exists", q, skube_name(obj));
		skube_err_details(e, rt->group, rt->plural, skube_name(obj));
		free(q);
		goto out;
	}
	if (rt->store->n >= k->max_objects) {
		skube_err_set(e, 403, "Forbidden", "exceeded quota: %zu "
		    "objects of this resource", k->max_objects);
		goto out;
	}
	skube_new_meta(obj);
	if (rt->has_status && !w->internal)
		cJSON_DeleteItemFromObjectCaseSensitive(obj, "status");
	if (skube_prepare(k, rt, obj, NULL, e) != 0)
		goto out;
	skube_note_manager(obj, obj, rt, w);
	if (w->dry) {
		*out = skube_out(rt, obj);
		rc = 0;
		goto out;
	}
	ent = skube_store_insert(k, rt->store, obj);
	obj = NULL;
	if (rt->ops != NULL && rt->ops->committed != NULL)
		rt->ops->committed(k, rt, ent->obj, NULL);
	*out = skube_out(rt, ent->obj);
	rc = 0;
out:
	cJSON_Delete(obj);
	return rc;
}

/* Copy old's system metadata into new; keep old managedFields when new
 * has none. */
static void
skube_keep_meta(cJSON *nobj, const cJSON *old)
{
	cJSON		*nm = skube_meta(nobj);
	const cJSON	*om = cJSON_GetObjectItemCaseSensitive(old, "metadata");
	const cJSON	*v;
	size_t		 i;

	for (i = 0; skube_sys_meta[i] != NULL; i++) {
		cJSON_DeleteItemFromObjectCaseSensitive(nm, skube_sys_meta[i]);
		v = cJSON_GetObjectItemCaseSensitive(om, skube_sys_meta[i]);
		if (v != NULL)
			cJSON_AddItemToObject(nm, skube_sys_meta[i],
			    cJSON_Duplicate(v, 1));
	}
	if (!skube_has(nm, "managedFields") &&
	    (v = cJSON_GetObjectItemCaseSensitive(om, "managedFields")) != NULL)
		cJSON_AddItemToObject(nm, "managedFields",
		    cJSON_Duplicate(v, 1));
}

/* Whether a and b differ outside metadata (and status when split). */
static int
skube_spec_changed(const cJSON *a, const cJSON *b, int split_status)
{
	cJSON	*x = cJSON_Duplicate(a, 1), *y = cJSON_Duplicate(b, 1);
	int	 changed;

	cJSON_DeleteItemFromObjectCaseSensitive(x, "metadata");
	cJSON_DeleteItemFromObjectCaseSensitive(y, "metadata");
	if (split_status) {
		cJSON_DeleteItemFromObjectCaseSensitive(x, "status");
		cJSON_DeleteItemFromObjectCaseSensitive(y, "status");
	}
	changed = !json_equal(x, y);
	cJSON_Delete(x);
	cJSON_Delete(y);
	return changed;
}

/* Whether a and b are equal apart from resourceVersion and managedFields. */
static int
skube_same(const cJSON *a, const cJSON *b)
{
	cJSON	*x = cJSON_Duplicate(a, 1), *y = cJSON_Duplicate(b, 1);
	int	 same;

	cJSON_DeleteItemFromObjectCaseSensitive(skube_meta(x),
	    "resourceVersion");
	cJSON_DeleteItemFromObjectCaseSensitive(skube_meta(y),
	    "resourceVersion");
	cJSON_DeleteItemFromObjectCaseSensitive(skube_meta(x), "managedFields");
	cJSON_DeleteItemFromObjectCaseSensitive(skube_meta(y), "managedFields");
	same = json_equal(x, y);
	cJSON_Delete(x);
	cJSON_Delete(y);
	return same;
}

/* Refuse finalizers added to an object being deleted. */
static int
skube_check_finalizers(const cJSON *nobj, const cJSON *old, struct skube_err *e)
{
	const cJSON	*nf = json_path(nobj, "metadata.finalizers");
	const cJSON	*of = json_path(old, "metadata.finalizers");
	const cJSON	*f;

	if (json_path(old, "metadata.deletionTimestamp") == NULL)
		return 0;
	cJSON_ArrayForEach(f, nf) {
		if (cJSON_IsString(f) && !skube_str_in(of, f->valuestring)) {
			skube_err_set(e, 422, "Invalid", "metadata.finalizers: "
			    "Forbidden: no new finalizers can be added if the "
			    "object is being deleted, found new finalizers "
			    "[\"%s\"]", f->valuestring);
			skube_err_cause(e, "FieldValueForbidden",
			    "metadata.finalizers", "no new finalizers can be "
			    "added if the object is being deleted");
			return -1;
		}
	}
	return 0;
}

/* Build the object an update stores: body merged with the stored state
 * according to the subresource. Takes ownership of body. */
static cJSON *
skube_update_merge(const struct skube_rtype *rt, const cJSON *old, cJSON *body,
    const char *sub, const struct skube_wopts *w)
{
	cJSON	*nobj, *st;

	if (sub != NULL && strcmp(sub, "status") == 0) {
		nobj = cJSON_Duplicate(old, 1);
		st = cJSON_DetachItemFromObjectCaseSensitive(body, "status");
		cJSON_DeleteItemFromObjectCaseSensitive(nobj, "status");
		if (st != NULL)
			cJSON_AddItemToObject(nobj, "status", st);
		cJSON_Delete(body);
		return nobj;
	}
	nobj = body;
	if (rt->has_status && !w->internal) {
		cJSON_DeleteItemFromObjectCaseSensitive(nobj, "status");
		st = cJSON_GetObjectItemCaseSensitive(old, "status");
		if (st != NULL)
			cJSON_AddItemToObject(nobj, "status",
			    cJSON_Duplicate(st, 1));
	}
	skube_keep_meta(nobj, old);
	return nobj;
}

/* Set the name from the URL when the body has none; refuse another. */
static int
skube_fix_update_name(cJSON *obj, const char *name, struct skube_err *e)
{
	const char	*bname = skube_name(obj);

	if (bname == NULL || *bname == '\0') {
		skube_set_str(skube_meta(obj), "name", name);
		return 0;
	}
	if (strcmp(bname, name) != 0)
		return skube_err_set(e, 400, "BadRequest", "the name of the "
		    "object (%s) does not match the name on the URL (%s)",
		    bname, name);
	return 0;
}

/* Bump generation when the spec changed. */
static void
skube_bump_generation(const struct skube_rtype *rt, cJSON *nobj,
    const cJSON *old)
{
	int64_t	gen = 1;

	json_int(json_path(old, "metadata"), "generation", &gen);
	if (skube_spec_changed(old, nobj, rt->has_status))
		gen++;
	skube_set_num(skube_meta(nobj), "generation", (double)gen);
}

/* Remove an entry now: hooks run and dependents are collected unless
 * orphaned. *out gets the final state as served through rt. */
static void
skube_remove_now(struct sim_kube *k, struct skube_rtype *rt,
    struct skube_entry *ent, int orphan, cJSON **out)
{
	cJSON	*gone;
	char	*uid;

	uid = xstrdup_or_null(json_path_str(ent->obj, "metadata.uid"));
	gone = skube_store_remove(k, rt->store, ent);
	*out = skube_out(rt, gone);
	cJSON_Delete(gone);
	if (rt->ops != NULL && rt->ops->committed != NULL)
		rt->ops->committed(k, rt, NULL, *out);
	if (!orphan)
		skube_op_gc(k, uid);
	free(uid);
}

/* Store the result of an update (or remove the object when its last
 * finalizer went away during deletion). */
static void
skube_update_commit(struct sim_kube *k, struct skube_rtype *rt,
    struct skube_entry *ent, cJSON *nobj, cJSON **out)
{
	cJSON	*old;

	if (json_path(nobj, "metadata.deletionTimestamp") != NULL &&
	    !skube_has_finalizers(nobj) && strcmp(rt->kind, "Pod") != 0 &&
	    strcmp(rt->plural, "namespaces") != 0) {
		cJSON_Delete(ent->obj);
		ent->obj = nobj;
		skube_remove_now(k, rt, ent, 0, out);
		return;
	}
	old = cJSON_Duplicate(ent->obj, 1);
	skube_store_replace(k, rt->store, ent, nobj);
	if (rt->ops != NULL && rt->ops->committed != NULL)
		rt->ops->committed(k, rt, ent->obj, old);
	cJSON_Delete(old);
	*out = skube_out(rt, ent->obj);
}

/* Replace an object (PUT), or its status (sub "status"). */
int
skube_op_update(struct sim_kube *k, struct skube_rtype *rt, const char *ns,
    const char *name, const char *sub, cJSON *obj, const struct skube_wopts *w,
    cJSON **out, struct skube_err *e)
{
	struct skube_entry	*ent;
	cJSON			*nobj;
	uint64_t		 rv;

	*out = NULL;
	if (skube_check_type(rt, obj, e) != 0 ||
	    skube_fix_ns(rt, obj, ns, e) != 0 ||
	    skube_fix_update_name(obj, name, e) != 0) {
		cJSON_Delete(obj);
		return -1;
	}
	if (rt->events_view)
		skube_event_to_core(obj);
	if ((ent = skube_store_find(rt->store, ns, name)) == NULL) {
		cJSON_Delete(obj);
		return skube_not_found(e, rt, name);
	}
	rv = skube_rv_of(obj);
	if (rv != 0 && rv != skube_rv_of(ent->obj)) {
		cJSON_Delete(obj);
		return skube_conflict(e, rt, name, "the object has been "
		    "modified; please apply your changes to the latest version "
		    "and try again");
	}
	nobj = skube_update_merge(rt, ent->obj, obj, sub, w);
	if (skube_check_finalizers(nobj, ent->obj, e) != 0 ||
	    skube_prepare(k, rt, nobj, ent->obj, e) != 0) {
		cJSON_Delete(nobj);
		return -1;
	}
	skube_bump_generation(rt, nobj, ent->obj);
	if (skube_same(nobj, ent->obj)) {
		*out = skube_out(rt, ent->obj);
		cJSON_Delete(nobj);
		return 0;
	}
	skube_note_manager(nobj, nobj, rt, w);
	if (w->dry) {
		*out = skube_out(rt, nobj);
		cJSON_Delete(nobj);
		return 0;
	}
	skube_update_commit(k, rt, ent, nobj, out);
	return 0;
}

/* Look up an object; NotFound otherwise. */
int
skube_op_get(struct sim_kube *k, struct skube_rtype *rt, const char *ns,
    const char *name, struct skube_entry **ent, struct skube_err *e)
{
	(void)k;
	*ent = skube_store_find(rt->store, ns, name);
	if (*ent == NULL)
		return skube_not_found(e, rt, name);
	return 0;
}

/* Check DeleteOptions.preconditions against the stored object. */
static int
skube_delete_preconditions(const struct skube_rtype *rt, const cJSON *obj,
    const cJSON *delopts, struct skube_err *e)
{
	const char	*uid = json_path_str(delopts, "preconditions.uid");
	const char	*rv = json_path_str(delopts,
			    "preconditions.resourceVersion");
	const char	*cur;
	char		*why;
	int		 rc = 0;

	cur = json_path_str(obj, "metadata.uid");
	if (uid != NULL && (cur == NULL || strcmp(uid, cur) != 0)) {
		xasprintf(&why, "Precondition failed: UID in precondition: %s, "
		    "UID in object meta: %s", uid, cur != NULL ? cur : "");
		rc = skube_conflict(e, rt, skube_name(obj), why);
		free(why);
		return rc;
	}
	cur = json_path_str(obj, "metadata.resourceVersion");
	if (rv != NULL && (cur == NULL || strcmp(rv, cur) != 0)) {
		xasprintf(&why, "Precondition failed: ResourceVersion in "
		    "precondition: %s, ResourceVersion in object meta: %s", rv,
		    cur != NULL ? cur : "");
		rc = skube_conflict(e, rt, skube_name(obj), why);
		free(why);
	}
	return rc;
}

/* Mark an object as being deleted (deletionTimestamp) and store it. */
static void
skube_mark_deleting(struct sim_kube *k, struct skube_rtype *rt,
    struct skube_entry *ent, long grace)
{
	cJSON	*nobj = cJSON_Duplicate(ent->obj, 1);
	cJSON	*meta = skube_meta(nobj);
	char	 now[40];

	skube_now(now, sizeof now, 0);
	skube_set_str(meta, "deletionTimestamp", now);
	skube_set_num(meta, "deletionGracePeriodSeconds", (double)grace);
	if (strcmp(rt->plural, "namespaces") == 0)
		skube_set_str(skube_child(nobj, "status", cJSON_Object),
		    "phase", "Terminating");
	skube_store_replace(k, rt->store, ent, nobj);
}

/* The grace period asked for (pods default to 30 s). */
static long
skube_grace(const struct skube_rtype *rt, const cJSON *delopts)
{
	int64_t	g;

	if (json_int(delopts, "gracePeriodSeconds", &g) == 0)
		return g < 0 ? 0 : (long)g;
	return strcmp(rt->kind, "Pod") == 0 ? 30 : 0;
}

/* Delete an object; returns the HTTP status (200 or 202) or -1. */
int
skube_op_delete(struct sim_kube *k, struct skube_rtype *rt, const char *ns,
    const char *name, const cJSON *delopts, const struct skube_wopts *w,
    cJSON **out, struct skube_err *e)
{
	struct skube_entry	*ent;
	const char		*policy;
	long			 grace;
	int			 nsobj, pod;

	*out = NULL;
	if (skube_op_get(k, rt, ns, name, &ent, e) != 0 ||
	    skube_delete_preconditions(rt, ent->obj, delopts, e) != 0)
		return -1;
	if (w->dry) {
		*out = skube_out(rt, ent->obj);
		return 200;
	}
	nsobj = strcmp(rt->plural, "namespaces") == 0 && *rt->group == '\0';
	pod = strcmp(rt->kind, "Pod") == 0 && *rt->group == '\0';
	grace = skube_grace(rt, delopts);
	if (json_path(ent->obj, "metadata.deletionTimestamp") != NULL) {
		*out = skube_out(rt, ent->obj);
		return skube_has_finalizers(ent->obj) ? 202 : 200;
	}
	if (skube_has_finalizers(ent->obj) || nsobj || (pod && grace > 0)) {
		skube_mark_deleting(k, rt, ent, grace);
		if (pod)
			ent->due_ms = skube_mono_ms() + k->pod_terminate_ms;
		*out = skube_out(rt, ent->obj);
		return skube_has_finalizers(ent->obj) ? 202 : 200;
	}
	policy = json_str(delopts, "propagationPolicy");
	skube_remove_now(k, rt, ent, policy != NULL &&
	    strcmp(policy, "Orphan") == 0, out);
	return 200;
}

/* Whether obj has an ownerReference to uid; removes it when found. */
static int
skube_drop_owner(cJSON *obj, const char *uid)
{
	cJSON	*refs = (cJSON *)json_path(obj, "metadata.ownerReferences");
	cJSON	*r;
	int	 i = 0;

	cJSON_ArrayForEach(r, refs) {
		if (json_str(r, "uid") != NULL &&
		    strcmp(json_str(r, "uid"), uid) == 0) {
			cJSON_DeleteItemFromArray(refs, i);
			return 1;
		}
		i++;
	}
	return 0;
}

struct skube_gc_item {
	struct skube_store	*st;
	char			*ns;
	char			*name;
	int			 orphaned;	/* no owner left */
};

/* Collect the dependents of uid across every store. */
static struct skube_gc_item *
skube_gc_collect(struct sim_kube *k, const char *uid, size_t *n)
{
	struct skube_gc_item	*v = NULL;
	struct skube_store	*st;
	cJSON			*probe;
	size_t			 i;

	*n = 0;
	for (st = k->stores; st != NULL; st = st->next) {
		for (i = 0; i < st->n; i++) {
			if (json_path(st->v[i].obj,
			    "metadata.ownerReferences") == NULL)
				continue;
			probe = cJSON_Duplicate(st->v[i].obj, 1);
			if (skube_drop_owner(probe, uid)) {
				v = xreallocarray(v, *n + 1, sizeof *v);
				v[*n].st = st;
				v[*n].ns = xstrdup_or_null(skube_ns(probe));
				v[*n].name = xstrdup(skube_name(probe));
				v[*n].orphaned =
				    cJSON_GetArraySize(json_path(probe,
				    "metadata.ownerReferences")) == 0;
				(*n)++;
			}
			cJSON_Delete(probe);
		}
	}
	return v;
}

/* Garbage-collect the dependents of a deleted owner: drop the reference;
 * delete those left without owners (background propagation). */
void
skube_op_gc(struct sim_kube *k, const char *owner_uid)
{
	struct skube_gc_item	*v;
	struct skube_wopts	 w = { 0, NULL, NULL, 0, 1 };
	struct skube_entry	*ent;
	struct skube_rtype	*rt;
	struct skube_err		 e;
	cJSON			*out, *nobj;
	size_t			 n, i;

	if (owner_uid == NULL || *owner_uid == '\0')
		return;
	v = skube_gc_collect(k, owner_uid, &n);
	for (i = 0; i < n; i++) {
		memset(&e, 0, sizeof e);
		rt = skube_reg_storage(k, v[i].st);
		ent = skube_store_find(v[i].st, v[i].ns, v[i].name);
		if (rt != NULL && ent != NULL && v[i].orphaned) {
			skube_op_delete(k, rt, v[i].ns, v[i].name, NULL, &w,
			    &out, &e);
			cJSON_Delete(out);
		} else if (rt != NULL && ent != NULL) {
			nobj = cJSON_Duplicate(ent->obj, 1);
			skube_drop_owner(nobj, owner_uid);
			skube_store_replace(k, v[i].st, ent, nobj);
		}
		skube_err_free(&e);
		free(v[i].ns);
		free(v[i].name);
	}
	free(v);
}
