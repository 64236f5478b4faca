/* sim_kube patches: JSON merge (RFC 7386), JSON patch (RFC 6902),
 * strategic merge (built-ins, by merge key) and server-side apply basics. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "latticectl/json.h"
#include "latticectl/xmalloc.h"
#include "latticectl/yaml.h"
#include "kube_int.h"

#define KUBE_PATCH_MAX_OPS	10000
#define KUBE_PATCH_MAX_DEPTH	64

/* Merge keys of strategic merge lists, by field name. */
static const struct {
	const char	*field;
	const char	*key;
} skube_merge_keys[] = {
	{ "containers", "name" }, { "initContainers", "name" },
	{ "ephemeralContainers", "name" }, { "volumes", "name" },
	{ "env", "name" }, { "imagePullSecrets", "name" },
	{ "volumeMounts", "mountPath" }, { "volumeDevices", "devicePath" },
	{ "ownerReferences", "uid" }, { "conditions", "type" },
	{ "hostAliases", "ip" }, { "topologySpreadConstraints", "topologyKey" },
	{ "envFrom", NULL }, { NULL, NULL }
};

/* Primitive lists merged as sets. */
static const char *const skube_merge_sets[] = { "finalizers", NULL };

/* RFC 7386 merge of patch into a copy of target (depth-limited). */
static cJSON *
skube_merge_rec(const cJSON *target, const cJSON *patch, int depth)
{
	cJSON		*res, *cur, *m;
	const cJSON	*p;

	if (!cJSON_IsObject(patch) || depth > KUBE_PATCH_MAX_DEPTH)
		return cJSON_Duplicate(patch, 1);
	res = cJSON_IsObject(target) ? cJSON_Duplicate(target, 1) :
	    cJSON_CreateObject();
	cJSON_ArrayForEach(p, patch) {
		if (p->string == NULL)
			continue;
		if (cJSON_IsNull(p)) {
			cJSON_DeleteItemFromObjectCaseSensitive(res, p->string);
			continue;
		}
		cur = cJSON_GetObjectItemCaseSensitive(res, p->string);
		m = skube_merge_rec(cur, p, depth + 1);
		skube_set_item(res, p->string, m);
	}
	return res;
}

/* RFC 7386 merge patch: a new tree. */
cJSON *
skube_merge_patch(const cJSON *target, const cJSON *patch)
{
	return skube_merge_rec(target, patch, 0);
}

/* The merge key of a list field, or NULL (list replaced). */
static const char *
skube_smp_key(const char *field, const cJSON *patch_list)
{
	const cJSON	*first = cJSON_GetArrayItem(patch_list, 0);
	size_t		 i;

	if (field == NULL || !cJSON_IsObject(first))
		return NULL;
	if (strcmp(field, "ports") == 0)
		return skube_has(first, "containerPort") ?
		    "containerPort" : "port";
	for (i = 0; skube_merge_keys[i].field != NULL; i++) {
		if (strcmp(skube_merge_keys[i].field, field) == 0)
			return skube_merge_keys[i].key;
	}
	return NULL;
}

/* Index of the element of arr whose key equals that of el, or -1. */
static int
skube_smp_find(const cJSON *arr, const char *key, const cJSON *el)
{
	const cJSON	*want = cJSON_GetObjectItemCaseSensitive(el, key);
	const cJSON	*it;
	int		 i = 0;

	if (want == NULL)
		return -1;
	cJSON_ArrayForEach(it, arr) {
		if (json_equal(cJSON_GetObjectItemCaseSensitive(it, key), want))
			return i;
		i++;
	}
	return -1;
}

static cJSON *skube_smp_rec(const cJSON *, const cJSON *, int, int);

/* Merge a list by key: patched elements merged, new ones appended,
 * {"$patch":"delete"} elements removed. */
static cJSON *
skube_smp_list(const cJSON *target, const cJSON *patch, const char *key,
    int directives, int depth)
{
	cJSON		*res, *m;
	const cJSON	*p, *dir;
	int		 idx;

	res = cJSON_IsArray(target) ? cJSON_Duplicate(target, 1) :
	    cJSON_CreateArray();
	cJSON_ArrayForEach(p, patch) {
		idx = cJSON_IsObject(p) ? skube_smp_find(res, key, p) : -1;
		dir = directives ? cJSON_GetObjectItemCaseSensitive(p,
		    "$patch") : NULL;
		if (cJSON_IsString(dir) && strcmp(dir->valuestring,
		    "delete") == 0) {
			if (idx >= 0)
				cJSON_DeleteItemFromArray(res, idx);
			continue;
		}
		m = skube_smp_rec(idx >= 0 ? cJSON_GetArrayItem(res, idx) :
		    NULL, p, directives, depth + 1);
		if (idx >= 0)
			cJSON_ReplaceItemInArray(res, idx, m);
		else
			cJSON_AddItemToArray(res, m);
	}
	return res;
}

/* Union of two primitive lists (order: target first). */
static cJSON *
skube_smp_set(const cJSON *target, const cJSON *patch)
{
	cJSON		*res;
	const cJSON	*p, *it;
	int		 found;

	res = cJSON_IsArray(target) ? cJSON_Duplicate(target, 1) :
	    cJSON_CreateArray();
	cJSON_ArrayForEach(p, patch) {
		found = 0;
		cJSON_ArrayForEach(it, res)
			found |= json_equal(it, p);
		if (!found)
			cJSON_AddItemToArray(res, cJSON_Duplicate(p, 1));
	}
	return res;
}

/* Remove the listed values from the primitive list res[field]. */
static void
skube_smp_delete_from(cJSON *res, const char *field, const cJSON *vals)
{
	cJSON		*list = cJSON_GetObjectItemCaseSensitive(res, field);
	const cJSON	*v;
	int		 i;

	if (!cJSON_IsArray(list))
		return;
	cJSON_ArrayForEach(v, vals) {
		for (i = cJSON_GetArraySize(list) - 1; i >= 0; i--) {
			if (json_equal(cJSON_GetArrayItem(list, i), v))
				cJSON_DeleteItemFromArray(list, i);
		}
	}
}

/* Whether field is a set-merged primitive list. */
static int
skube_smp_is_set(const char *field)
{
	size_t	i;

	for (i = 0; skube_merge_sets[i] != NULL; i++) {
		if (strcmp(skube_merge_sets[i], field) == 0)
			return 1;
	}
	return 0;
}

/* Merge one member of a strategic patch into res. */
static void
skube_smp_member(cJSON *res, const cJSON *p, int directives, int depth)
{
	cJSON		*cur, *m;
	const char	*key;

	cur = cJSON_GetObjectItemCaseSensitive(res, p->string);
	if (cJSON_IsNull(p)) {
		cJSON_DeleteItemFromObjectCaseSensitive(res, p->string);
		return;
	}
	if (cJSON_IsArray(p) && (key = skube_smp_key(p->string, p)) != NULL)
		m = skube_smp_list(cur, p, key, directives, depth);
	else if (cJSON_IsArray(p) && skube_smp_is_set(p->string))
		m = skube_smp_set(cur, p);
	else
		m = skube_smp_rec(cur, p, directives, depth + 1);
	skube_set_item(res, p->string, m);
}

/* Strategic merge of patch into a copy of target; directives ($patch,
 * $setElementOrder, $retainKeys, $deleteFromPrimitiveList) honoured
 * when set, else (server-side apply) keys starting with '$' are data. */
static cJSON *
skube_smp_rec(const cJSON *target, const cJSON *patch, int directives,
    int depth)
{
	cJSON		*res;
	const cJSON	*p, *dir;

	if (!cJSON_IsObject(patch) || depth > KUBE_PATCH_MAX_DEPTH)
		return cJSON_Duplicate(patch, 1);
	dir = directives ? cJSON_GetObjectItemCaseSensitive(patch, "$patch") :
	    NULL;
	if (cJSON_IsString(dir) && strcmp(dir->valuestring, "replace") == 0) {
		res = cJSON_Duplicate(patch, 1);
		cJSON_DeleteItemFromObjectCaseSensitive(res, "$patch");
		return res;
	}
	res = cJSON_IsObject(target) ? cJSON_Duplicate(target, 1) :
	    cJSON_CreateObject();
	cJSON_ArrayForEach(p, patch) {
		if (p->string == NULL)
			continue;
		if (directives && strncmp(p->string,
		    "$deleteFromPrimitiveList/", 25) == 0)
			skube_smp_delete_from(res, p->string + 25, p);
		else if (!directives || p->string[0] != '$')
			skube_smp_member(res, p, directives, depth);
	}
	return res;
}

/* Split "/a/b~1c" into unescaped tokens; -1 when not a JSON pointer. */
static int
skube_ptr_split(const char *path, char ***tok, size_t *n)
{
	const char	*p, *slash;
	char		*t, *o;
	size_t		 len, i;

	*tok = NULL;
	*n = 0;
	if (path == NULL || (*path != '\0' && *path != '/'))
		return -1;
	for (p = path; *p == '/'; p = slash) {
		p++;
		slash = strchr(p, '/');
		len = slash != NULL ? (size_t)(slash - p) : strlen(p);
		t = xmalloc(len + 1);
		for (i = 0, o = t; i < len; i++) {
			if (p[i] == '~' && i + 1 < len && (p[i + 1] == '0' ||
			    p[i + 1] == '1'))
				*o++ = p[++i] == '0' ? '~' : '/';
			else
				*o++ = p[i];
		}
		*o = '\0';
		*tok = xreallocarray(*tok, *n + 1, sizeof **tok);
		(*tok)[(*n)++] = t;
		if (slash == NULL)
			break;
	}
	return 0;
}

/* Free pointer tokens. */
static void
skube_ptr_free(char **tok, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		free(tok[i]);
	free(tok);
}

/* Array index from a token (n allowed for "-" / append when end). */
static int
skube_ptr_index(const cJSON *arr, const char *t, int end_ok)
{
	int	size = cJSON_GetArraySize(arr);
	long	v;
	char	*end;

	if (strcmp(t, "-") == 0)
		return end_ok ? size : -1;
	if (*t == '\0' || !isdigit((unsigned char)*t) ||
	    (t[0] == '0' && t[1] != '\0'))
		return -1;
	v = strtol(t, &end, 10);
	if (*end != '\0' || v > size || (v == size && !end_ok))
		return -1;
	return (int)v;
}

/* The node a pointer names (NULL when missing). */
static cJSON *
skube_ptr_get(cJSON *doc, char **tok, size_t n)
{
	cJSON	*cur = doc;
	size_t	 i;
	int	 idx;

	for (i = 0; i < n && cur != NULL; i++) {
		if (cJSON_IsObject(cur))
			cur = cJSON_GetObjectItemCaseSensitive(cur, tok[i]);
		else if (cJSON_IsArray(cur) &&
		    (idx = skube_ptr_index(cur, tok[i], 0)) >= 0)
			cur = cJSON_GetArrayItem(cur, idx);
		else
			return NULL;
	}
	return cur;
}

/* Insert val (owned) before index idx of arr (cJSON_InsertItemInArray
 * of the packaged cJSON loses items). */
static void
skube_array_insert(cJSON *arr, int idx, cJSON *val)
{
	cJSON	*tail = cJSON_CreateArray();

	while (cJSON_GetArraySize(arr) > idx)
		cJSON_AddItemToArray(tail, cJSON_DetachItemFromArray(arr, idx));
	cJSON_AddItemToArray(arr, val);
	while (tail->child != NULL)
		cJSON_AddItemToArray(arr, cJSON_DetachItemFromArray(tail, 0));
	cJSON_Delete(tail);
}

/* Insert val (owned) at the pointer; replace says whether the target must
 * exist and is replaced. 0 or -1 (val freed). */
static int
skube_ptr_put(cJSON **doc, char **tok, size_t n, cJSON *val, int replace)
{
	cJSON	*parent;
	int	 idx;

	if (n == 0) {
		cJSON_Delete(*doc);
		*doc = val;
		return 0;
	}
	parent = skube_ptr_get(*doc, tok, n - 1);
	if (cJSON_IsObject(parent)) {
		if (replace && !skube_has(parent, tok[n - 1]))
			goto fail;
		skube_set_item(parent, tok[n - 1], val);
		return 0;
	}
	if (cJSON_IsArray(parent) &&
	    (idx = skube_ptr_index(parent, tok[n - 1], !replace)) >= 0) {
		if (replace)
			cJSON_ReplaceItemInArray(parent, idx, val);
		else if (idx == cJSON_GetArraySize(parent))
			cJSON_AddItemToArray(parent, val);
		else
			skube_array_insert(parent, idx, val);
		return 0;
	}
fail:
	cJSON_Delete(val);
	return -1;
}

/* Detach the node at the pointer (caller owns it), or NULL. */
static cJSON *
skube_ptr_take(cJSON *doc, char **tok, size_t n)
{
	cJSON	*parent;
	int	 idx;

	if (n == 0)
		return NULL;
	parent = skube_ptr_get(doc, tok, n - 1);
	if (cJSON_IsObject(parent))
		return cJSON_DetachItemFromObjectCaseSensitive(parent,
		    tok[n - 1]);
	if (cJSON_IsArray(parent) &&
	    (idx = skube_ptr_index(parent, tok[n - 1], 0)) >= 0)
		return cJSON_DetachItemFromArray(parent, idx);
	return NULL;
}

/* Whether pointer a is a proper prefix of b (move into own child). */
static int
skube_ptr_prefix(const char *a, const char *b)
{
	size_t	n = strlen(a);

	return strncmp(a, b, n) == 0 && b[n] == '/';
}

/* Apply one RFC 6902 operation. */
static int
skube_json_patch_op(cJSON **doc, const cJSON *op, struct skube_err *e)
{
	const char	*name = json_str(op, "op"),
	    *path = json_str(op, "path");
	const char	*from = json_str(op, "from");
	const cJSON	*value = cJSON_GetObjectItemCaseSensitive(op, "value");
	char		**tok = NULL, **ftok = NULL;
	size_t		 n = 0, fn = 0;
	cJSON		*node;
	int		 rc = -1;

	if (name == NULL || skube_ptr_split(path, &tok, &n) != 0)
		return skube_err_set(e, 400, "BadRequest",
		    "invalid JSON patch operation: missing or bad op/path");
	if (strcmp(name, "add") == 0 || strcmp(name, "replace") == 0) {
		if (value != NULL)
			rc = skube_ptr_put(doc, tok, n,
			    cJSON_Duplicate(value, 1), name[0] == 'r');
	} else if (strcmp(name, "remove") == 0) {
		node = skube_ptr_take(*doc, tok, n);
		rc = node != NULL ? 0 : -1;
		cJSON_Delete(node);
	} else if (strcmp(name, "test") == 0) {
		node = skube_ptr_get(*doc, tok, n);
		rc = node != NULL && value != NULL && json_equal(node, value) ?
		    0 : -1;
	} else if ((strcmp(name, "move") == 0 || strcmp(name, "copy") == 0) &&
	    skube_ptr_split(from, &ftok, &fn) == 0 &&
	    !(name[0] == 'm' && skube_ptr_prefix(from, path))) {
		node = name[0] == 'm' ? skube_ptr_take(*doc, ftok, fn) :
		    cJSON_Duplicate(skube_ptr_get(*doc, ftok, fn), 1);
		rc = node != NULL ? skube_ptr_put(doc, tok, n, node, 0) : -1;
	} else
		skube_err_set(e, 400, "BadRequest",
		    "invalid JSON patch operation \"%s\"", name);
	if (rc != 0 && e->code == 0)
		skube_err_set(e, 422, "Invalid", "the server rejected our "
		    "request due to an error in our request: %s operation does "
		    "not apply: doc is missing path: \"%s\"", name, path);
	if (rc != 0 && strcmp(name, "test") == 0)
		skube_err_set(e, 422, "Invalid", "the server rejected our "
		    "request due to an error in our request: testing value %s "
		    "failed", path);
	skube_ptr_free(tok, n);
	skube_ptr_free(ftok, fn);
	return rc;
}

/* Apply an RFC 6902 patch (array of operations) to *doc in place. */
int
skube_json_patch(cJSON **doc, const cJSON *ops, struct skube_err *e)
{
	const cJSON	*op;

	if (!cJSON_IsArray(ops))
		return skube_err_set(e, 400, "BadRequest",
		    "json: cannot unmarshal object into Go value of type "
		    "jsonpatch.Patch");
	if (cJSON_GetArraySize(ops) > KUBE_PATCH_MAX_OPS)
		return skube_err_set(e, 422, "Invalid",
		    "the allowed maximum operations in a JSON patch is %d",
		    KUBE_PATCH_MAX_OPS);
	cJSON_ArrayForEach(op, ops) {
		if (!cJSON_IsObject(op))
			return skube_err_set(e, 400, "BadRequest",
			    "invalid JSON patch operation");
		if (skube_json_patch_op(doc, op, e) != 0)
			return -1;
	}
	return 0;
}

static cJSON	*skube_fields(const cJSON *, int);

/* FieldsV1 of a keyed list: one "k:{key:value}" entry per element. */
static cJSON *
skube_fields_list(const cJSON *list, const char *key, int depth)
{
	cJSON		*el = cJSON_CreateObject(), *one;
	const cJSON	*item, *kv;
	char		*id, *kk;

	cJSON_ArrayForEach(item, list) {
		if ((kv = cJSON_GetObjectItemCaseSensitive(item, key)) == NULL)
			continue;
		one = cJSON_CreateObject();
		cJSON_AddItemToObject(one, key, cJSON_Duplicate(kv, 1));
		id = json_print(one);
		cJSON_Delete(one);
		xasprintf(&kk, "k:%s", id);
		free(id);
		one = skube_fields(item, depth + 1);
		cJSON_AddItemToObject(one, ".", cJSON_CreateObject());
		skube_set_item(el, kk, one);
		free(kk);
	}
	return el;
}

/* Whether a member is not tracked in FieldsV1 (identity fields). */
static int
skube_fields_skip(const cJSON *parent, const char *name, int depth)
{
	if (depth == 0)
		return strcmp(name, "apiVersion") == 0 ||
		    strcmp(name, "kind") == 0;
	if (depth == 1 && parent->string != NULL &&
	    strcmp(parent->string, "metadata") == 0)
		return strcmp(name, "name") == 0 ||
		    strcmp(name, "namespace") == 0 ||
		    strcmp(name, "managedFields") == 0 ||
		    strcmp(name, "resourceVersion") == 0 ||
		    strcmp(name, "uid") == 0 ||
		    strcmp(name, "generation") == 0 ||
		    strcmp(name, "creationTimestamp") == 0 ||
		    strcmp(name, "deletionTimestamp") == 0 ||
		    strcmp(name, "deletionGracePeriodSeconds") == 0;
	return 0;
}

/* FieldsV1 of an intent: which fields it sets. */
static cJSON *
skube_fields(const cJSON *v, int depth)
{
	cJSON		*f = cJSON_CreateObject(), *el;
	const cJSON	*it;
	const char	*key;
	char		*k;

	if (depth > KUBE_PATCH_MAX_DEPTH)
		return f;
	cJSON_ArrayForEach(it, v) {
		if (it->string == NULL || skube_fields_skip(v, it->string,
		    depth))
			continue;
		if (cJSON_IsObject(it)) {
			el = skube_fields(it, depth + 1);
			if (cJSON_GetArraySize(el) == 0 ||
			    strcmp(it->string, "labels") == 0 ||
			    strcmp(it->string, "annotations") == 0)
				cJSON_AddItemToObject(el, ".",
				    cJSON_CreateObject());
		} else if (cJSON_IsArray(it) &&
		    (key = skube_smp_key(it->string, it)) != NULL)
			el = skube_fields_list(it, key, depth);
		else
			el = cJSON_CreateObject();
		xasprintf(&k, "f:%s", it->string);
		skube_set_item(f, k, el);
		free(k);
	}
	return f;
}

/* Record (replace) the manager's entry in metadata.managedFields. */
void
skube_managed_fields(cJSON *obj, const cJSON *intent,
    const struct skube_rtype *rt, const struct skube_wopts *w)
{
	cJSON		*mf, *ent, *it;
	const char	*op = w->operation != NULL ? w->operation : "Update";
	char		 now[40], *av;
	int		 i = 0;

	mf = skube_child(skube_meta(obj), "managedFields", cJSON_Array);
	cJSON_ArrayForEach(it, mf) {
		if (json_str(it, "manager") != NULL &&
		    json_str(it, "operation") &&
		    strcmp(json_str(it, "manager"), w->manager) == 0 &&
		    strcmp(json_str(it, "operation"), op) == 0) {
			cJSON_DeleteItemFromArray(mf, i);
			break;
		}
		i++;
	}
	if (cJSON_GetArraySize(mf) >= 32)
		cJSON_DeleteItemFromArray(mf, 0);
	ent = cJSON_CreateObject();
	av = skube_apiversion(rt);
	skube_now(now, sizeof now, 0);
	cJSON_AddStringToObject(ent, "manager", w->manager);
	cJSON_AddStringToObject(ent, "operation", op);
	cJSON_AddStringToObject(ent, "apiVersion", av);
	cJSON_AddStringToObject(ent, "time", now);
	cJSON_AddStringToObject(ent, "fieldsType", "FieldsV1");
	cJSON_AddItemToObject(ent, "fieldsV1", skube_fields(intent, 0));
	cJSON_AddItemToArray(mf, ent);
	free(av);
}

/* The media type without parameters, lower-cased into buf. */
static const char *
skube_ctype(const char *ctype, char *buf, size_t len)
{
	size_t	i;

	if (ctype == NULL)
		ctype = "";
	for (i = 0; i + 1 < len && ctype[i] != '\0' && ctype[i] != ';' &&
	    ctype[i] != ' '; i++)
		buf[i] = (char)tolower((unsigned char)ctype[i]);
	buf[i] = '\0';
	return buf;
}

/* Parse a JSON body into *out (400 on error). */
static int
skube_patch_body(const char *body, size_t len, int yaml, cJSON **out,
    struct skube_err *e)
{
	cJSON	*docs;
	char	*cause = NULL;

	*out = NULL;
	if (!yaml) {
		*out = json_parse(body, len, "patch", &cause);
	} else if (yaml_load(body, len, "patch", &docs, &cause) == 0) {
		if (cJSON_GetArraySize(docs) == 1)
			*out = cJSON_DetachItemFromArray(docs, 0);
		else
			cause = xstrdup("expected exactly one YAML document");
		cJSON_Delete(docs);
	}
	if (*out == NULL) {
		skube_err_set(e, 400, "BadRequest", "error decoding patch: %s",
		    cause != NULL ? cause : "empty body");
		free(cause);
		return -1;
	}
	return 0;
}

/* Apply a PATCH body of the given content type to cur (NULL for a
 * server-side apply create). *out is the new object. */
int
skube_patch_apply(struct sim_kube *k, const struct skube_rtype *rt,
    const char *ctype, const char *body, size_t len, const cJSON *cur,
    cJSON **out, struct skube_err *e)
{
	char	 mt[64];
	cJSON	*p;
	int	 rc = 0;

	(void)k;
	*out = NULL;
	skube_ctype(ctype, mt, sizeof mt);
	if (strcmp(mt, "application/strategic-merge-patch+json") == 0 &&
	    !rt->builtin)
		return skube_err_set(e, 415, "UnsupportedMediaType", "the body "
		    "of the request was in an unknown format - accepted media "
		    "types include: application/json-patch+json, "
		    "application/merge-patch+json, "
		    "application/apply-patch+yaml");
	if (strcmp(mt, "application/json-patch+json") != 0 &&
	    strcmp(mt, "application/merge-patch+json") != 0 &&
	    strcmp(mt, "application/strategic-merge-patch+json") != 0 &&
	    strcmp(mt, "application/apply-patch+yaml") != 0)
		return skube_err_set(e, 415, "UnsupportedMediaType", "the body "
		    "of the request was in an unknown format - accepted media "
		    "types include: application/json-patch+json, "
		    "application/merge-patch+json, "
		    "application/apply-patch+yaml");
	if (skube_patch_body(body, len, strcmp(mt,
	    "application/apply-patch+yaml") == 0, &p, e) != 0)
		return -1;
	if (strcmp(mt, "application/json-patch+json") == 0) {
		*out = cJSON_Duplicate(cur, 1);
		rc = skube_json_patch(out, p, e);
	} else if (strcmp(mt, "application/merge-patch+json") == 0)
		*out = skube_merge_patch(cur, p);
	else if (strcmp(mt, "application/apply-patch+yaml") == 0)
		*out = cur == NULL ? cJSON_Duplicate(p, 1) :
		    skube_smp_rec(cur, p, 0, 0);
	else
		*out = skube_smp_rec(cur, p, 1, 0);
	cJSON_Delete(p);
	if (rc == 0 && !cJSON_IsObject(*out))
		rc = skube_err_set(e, 422, "Invalid",
		    "the patch does not produce an object");
	if (rc != 0) {
		cJSON_Delete(*out);
		*out = NULL;
	}
	return rc;
}
