/* gwapi parse context: errors naming object and field, typed getters. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/error.h"
#include "latticectl/xmalloc.h"

#include "gwapi_int.h"

/* "<Kind> <ns>/<name>" (or less while metadata is unknown). */
const char *
gwp_who(struct gwp *p)
{
	static const char	*none = "";

	if (p->meta == NULL || p->meta->name == NULL)
		return p->kind != NULL ? p->kind : none;
	if (p->meta->ns == NULL)
		return gw_arena_printf(p->arena, "%s %s", p->kind,
		    p->meta->name);
	return gw_arena_printf(p->arena, "%s %s/%s", p->kind, p->meta->ns,
	    p->meta->name);
}

/* Format "<who>: <path>: <what>" into a fresh malloc'd string. */
static char *
gwp_vmessage(struct gwp *p, const char *path, const char *fmt, va_list ap)
{
	char	*what, *msg;

	xvasprintf(&what, fmt, ap);
	if (path == NULL || *path == '\0')
		xasprintf(&msg, "%s: %s", gwp_who(p), what);
	else
		xasprintf(&msg, "%s: %s: %s", gwp_who(p), path, what);
	free(what);
	return msg;
}

/* Set the invalid-object error at path; returns -1. */
int
gwp_invalid(struct gwp *p, const char *path, const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;

	va_start(ap, fmt);
	msg = gwp_vmessage(p, path, fmt, ap);
	va_end(ap);
	error_set(p->cause, "%s", msg);
	free(msg);
	return -1;
}

/* Append a message to a growable string list in the arena. */
static void
gwp_push(struct gwp *p, char ***v, size_t *n, char *msg)
{
	*v = gw_arena_realloc(p->arena, *v, (*n + 1) * sizeof **v);
	(*v)[(*n)++] = gw_arena_strdup(p->arena, msg);
	free(msg);
}

/* Record an unsupported value at path. */
void
gwp_problem(struct gwp *p, const char *path, const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;

	va_start(ap, fmt);
	msg = gwp_vmessage(p, path, fmt, ap);
	va_end(ap);
	gwp_push(p, &p->meta->problems, &p->meta->nproblems, msg);
}

/* Record a field accepted but ignored at path. */
void
gwp_ignored(struct gwp *p, const char *path, const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;

	va_start(ap, fmt);
	msg = gwp_vmessage(p, path, fmt, ap);
	va_end(ap);
	gwp_push(p, &p->meta->ignored, &p->meta->nignored, msg);
}

/* Append s to the path in buf (GWP_PATH_MAX bytes, truncated). */
static void
gwp_cat(char *buf, size_t *len, const char *s)
{
	while (*s != '\0' && *len + 1 < GWP_PATH_MAX)
		buf[(*len)++] = *s++;
	buf[*len] = '\0';
}

/* buf = base.key (truncated at GWP_PATH_MAX); buf may not alias base. */
const char *
gwp_join(char *buf, const char *base, const char *key)
{
	size_t	len = 0;

	buf[0] = '\0';
	if (base != NULL && *base != '\0') {
		gwp_cat(buf, &len, base);
		gwp_cat(buf, &len, ".");
	}
	gwp_cat(buf, &len, key);
	return buf;
}

/* buf = base.key[i] (or base[i] when key is NULL). */
const char *
gwp_index(char *buf, const char *base, const char *key, size_t i)
{
	char	num[32];
	size_t	len;

	if (key == NULL) {
		len = 0;
		buf[0] = '\0';
		gwp_cat(buf, &len, base);
	} else {
		gwp_join(buf, base, key);
		len = strlen(buf);
	}
	snprintf(num, sizeof num, "[%zu]", i);
	gwp_cat(buf, &len, num);
	return buf;
}

/* Member key of o, NULL when missing or JSON null. */
static const cJSON *
gwp_member(const cJSON *o, const char *key)
{
	const cJSON	*v;

	v = cJSON_GetObjectItemCaseSensitive(o, key);
	if (v == NULL || cJSON_IsNull(v))
		return NULL;
	return v;
}

/* A string member; required and missing (or empty) is an error. */
int
gwp_str(struct gwp *p, const cJSON *o, const char *path, const char *key,
    int required, char **out)
{
	const cJSON	*v;
	char		 buf[GWP_PATH_MAX];

	*out = NULL;
	if ((v = gwp_member(o, key)) == NULL) {
		if (required)
			return gwp_invalid(p, gwp_join(buf, path, key),
			    "required");
		return 0;
	}
	if (!cJSON_IsString(v) || v->valuestring == NULL)
		return gwp_invalid(p, gwp_join(buf, path, key),
		    "expected a string");
	if (required && *v->valuestring == '\0')
		return gwp_invalid(p, gwp_join(buf, path, key),
		    "must not be empty");
	*out = gw_arena_strdup(p->arena, v->valuestring);
	return 0;
}

/* A string member with a default for missing (or empty). */
int
gwp_str_def(struct gwp *p, const cJSON *o, const char *path,
    const char *key, const char *def, char **out)
{
	if (gwp_str(p, o, path, key, 0, out) != 0)
		return -1;
	if (*out == NULL || **out == '\0')
		*out = gw_arena_strdup(p->arena, def);
	return 0;
}

/* An integral member within min..max; *has says whether it was there. */
int
gwp_int(struct gwp *p, const cJSON *o, const char *path, const char *key,
    int64_t min, int64_t max, int *has, int64_t *out)
{
	const cJSON	*v;
	char		 buf[GWP_PATH_MAX];
	double		 d;

	*has = 0;
	if ((v = gwp_member(o, key)) == NULL)
		return 0;
	if (!cJSON_IsNumber(v))
		return gwp_invalid(p, gwp_join(buf, path, key),
		    "expected an integer");
	d = v->valuedouble;
	if (!(d >= -9.0e18 && d <= 9.0e18) || d != floor(d))
		return gwp_invalid(p, gwp_join(buf, path, key),
		    "expected an integer");
	if ((int64_t)d < min || (int64_t)d > max)
		return gwp_invalid(p, gwp_join(buf, path, key),
		    "%lld out of range %lld..%lld", (long long)d,
		    (long long)min, (long long)max);
	*has = 1;
	*out = (int64_t)d;
	return 0;
}

/* An int32 member within min..max, def when missing. */
int
gwp_i32(struct gwp *p, const cJSON *o, const char *path, const char *key,
    int32_t min, int32_t max, int32_t def, int32_t *out)
{
	int64_t	v;
	int	has;

	if (gwp_int(p, o, path, key, min, max, &has, &v) != 0)
		return -1;
	*out = has ? (int32_t)v : def;
	return 0;
}

/* A boolean member. */
int
gwp_bool(struct gwp *p, const cJSON *o, const char *path, const char *key,
    int *has, int *out)
{
	const cJSON	*v;
	char		 buf[GWP_PATH_MAX];

	*has = 0;
	if ((v = gwp_member(o, key)) == NULL)
		return 0;
	if (!cJSON_IsBool(v))
		return gwp_invalid(p, gwp_join(buf, path, key),
		    "expected a boolean");
	*has = 1;
	*out = cJSON_IsTrue(v) ? 1 : 0;
	return 0;
}

/* An object member (NULL when missing). */
int
gwp_obj(struct gwp *p, const cJSON *o, const char *path, const char *key,
    const cJSON **out)
{
	const cJSON	*v;
	char		 buf[GWP_PATH_MAX];

	*out = NULL;
	if ((v = gwp_member(o, key)) == NULL)
		return 0;
	if (!cJSON_IsObject(v))
		return gwp_invalid(p, gwp_join(buf, path, key),
		    "expected an object");
	*out = v;
	return 0;
}

/* An array member of at most max items (0: no limit). */
int
gwp_arr(struct gwp *p, const cJSON *o, const char *path, const char *key,
    size_t max, const cJSON **out, size_t *n)
{
	const cJSON	*v;
	char		 buf[GWP_PATH_MAX];

	*out = NULL;
	*n = 0;
	if ((v = gwp_member(o, key)) == NULL)
		return 0;
	if (!cJSON_IsArray(v))
		return gwp_invalid(p, gwp_join(buf, path, key),
		    "expected an array");
	*n = (size_t)cJSON_GetArraySize(v);
	if (max != 0 && *n > max)
		return gwp_invalid(p, gwp_join(buf, path, key),
		    "%zu items, at most %zu allowed", *n, max);
	*out = v;
	return 0;
}

/* A string member restricted to values. */
int
gwp_enum(struct gwp *p, const cJSON *o, const char *path, const char *key,
    const char *const *values, int def, int *idx)
{
	char	*s, buf[GWP_PATH_MAX];
	int	 i;

	if (gwp_str(p, o, path, key, 0, &s) != 0)
		return -1;
	*idx = def;
	if (s == NULL || *s == '\0')
		return 0;
	for (i = 0; values[i] != NULL; i++) {
		if (strcmp(values[i], s) == 0) {
			*idx = i;
			return 0;
		}
	}
	return gwp_invalid(p, gwp_join(buf, path, key),
	    "unsupported value \"%s\"", s);
}

/* An array of strings. */
int
gwp_strv(struct gwp *p, const cJSON *o, const char *path, const char *key,
    size_t max, char ***out, size_t *n)
{
	const cJSON	*arr, *it;
	char		 buf[GWP_PATH_MAX];
	size_t		 i = 0;

	*out = NULL;
	if (gwp_arr(p, o, path, key, max, &arr, n) != 0)
		return -1;
	if (*n == 0)
		return 0;
	*out = gw_arena_array(p->arena, *n, sizeof **out);
	cJSON_ArrayForEach(it, arr) {
		if (!cJSON_IsString(it) || it->valuestring == NULL)
			return gwp_invalid(p, gwp_index(buf, path, key, i),
			    "expected a string");
		(*out)[i++] = gw_arena_strdup(p->arena, it->valuestring);
	}
	return 0;
}

/* A map of string to string. */
int
gwp_map(struct gwp *p, const cJSON *o, const char *path, const char *key,
    struct gw_kv **out, size_t *n)
{
	const cJSON	*m, *it;
	char		 buf[GWP_PATH_MAX], sub[GWP_PATH_MAX];
	size_t		 i = 0;

	*out = NULL;
	*n = 0;
	if (gwp_obj(p, o, path, key, &m) != 0)
		return -1;
	if (m == NULL || (*n = (size_t)cJSON_GetArraySize(m)) == 0)
		return 0;
	*out = gw_arena_array(p->arena, *n, sizeof **out);
	gwp_join(buf, path, key);
	cJSON_ArrayForEach(it, m) {
		if (!cJSON_IsString(it) || it->valuestring == NULL)
			return gwp_invalid(p, gwp_join(sub, buf,
			    it->string != NULL ? it->string : ""),
			    "expected a string");
		(*out)[i].key = gw_arena_strdup(p->arena,
		    it->string != NULL ? it->string : "");
		(*out)[i++].value = gw_arena_strdup(p->arena, it->valuestring);
	}
	return 0;
}

/* One matchExpressions entry. */
static int
gwp_sel_expr(struct gwp *p, const cJSON *e, const char *path,
    struct gw_sel_expr *x)
{
	static const char *const ops[] = { "In", "NotIn", "Exists",
	    "DoesNotExist", NULL };
	int	op;

	if (!cJSON_IsObject(e))
		return gwp_invalid(p, path, "expected an object");
	if (gwp_str(p, e, path, "key", 1, &x->key) != 0 ||
	    gwp_enum(p, e, path, "operator", ops, -1, &op) != 0 ||
	    gwp_strv(p, e, path, "values", 0, &x->values, &x->nvalues) != 0)
		return -1;
	if (op < 0)
		return gwp_invalid(p, path, "operator: required");
	x->op = (enum gw_sel_op)op;
	if ((x->op == GW_SEL_IN || x->op == GW_SEL_NOT_IN) && x->nvalues == 0)
		return gwp_invalid(p, path, "values: required for %s", ops[op]);
	return 0;
}

/* A metav1.LabelSelector. */
int
gwp_selector(struct gwp *p, const cJSON *o, const char *path,
    const char *key, struct gw_selector *out)
{
	const cJSON	*s, *arr, *it;
	char		 base[GWP_PATH_MAX], buf[GWP_PATH_MAX];
	size_t		 i = 0;

	memset(out, 0, sizeof *out);
	if (gwp_obj(p, o, path, key, &s) != 0)
		return -1;
	if (s == NULL)
		return 0;
	gwp_join(base, path, key);
	if (gwp_map(p, s, base, "matchLabels", &out->match_labels,
	    &out->nmatch_labels) != 0 ||
	    gwp_arr(p, s, base, "matchExpressions", 0, &arr,
	    &out->nexprs) != 0)
		return -1;
	if (out->nexprs == 0)
		return 0;
	out->exprs = gw_arena_array(p->arena, out->nexprs,
	    sizeof *out->exprs);
	cJSON_ArrayForEach(it, arr) {
		gwp_index(buf, base, "matchExpressions", i);
		if (gwp_sel_expr(p, it, buf, &out->exprs[i++]) != 0)
			return -1;
	}
	return 0;
}

/* A policy's spec.targetRef. */
int
gwp_target_ref(struct gwp *p, const cJSON *spec, struct gw_target_ref *out)
{
	const cJSON	*t;

	if (gwp_obj(p, spec, "spec", "targetRef", &t) != 0)
		return -1;
	if (t == NULL)
		return gwp_invalid(p, "spec.targetRef", "required");
	if (gwp_str_def(p, t, "spec.targetRef", "group", "", &out->group) != 0 ||
	    gwp_str(p, t, "spec.targetRef", "kind", 1, &out->kind) != 0 ||
	    gwp_str(p, t, "spec.targetRef", "name", 1, &out->name) != 0 ||
	    gwp_str_def(p, t, "spec.targetRef", "namespace",
	    p->meta->ns != NULL ? p->meta->ns : "", &out->ns) != 0)
		return -1;
	return 0;
}

/* Parse metadata into p->meta. */
static int
gwp_metadata(struct gwp *p, const cJSON *obj)
{
	struct gw_meta	*m = p->meta;
	const cJSON	*md;
	int64_t		 gen;
	int		 has;

	if (gwp_obj(p, obj, "", "metadata", &md) != 0)
		return -1;
	if (md == NULL)
		return gwp_invalid(p, "metadata.name", "required");
	if (gwp_str(p, md, "metadata", "name", 1, &m->name) != 0)
		return -1;
	if (p->namespaced) {
		if (gwp_str_def(p, md, "metadata", "namespace", "default",
		    &m->ns) != 0)
			return -1;
	}
	if (gwp_str(p, md, "metadata", "uid", 0, &m->uid) != 0 ||
	    gwp_str(p, md, "metadata", "resourceVersion", 0,
	    &m->resource_version) != 0 ||
	    gwp_int(p, md, "metadata", "generation", 0, INT64_MAX, &has,
	    &gen) != 0 ||
	    gwp_str(p, md, "metadata", "deletionTimestamp", 0,
	    &m->deletion_timestamp) != 0 ||
	    gwp_map(p, md, "metadata", "labels", &m->labels,
	    &m->nlabels) != 0 ||
	    gwp_map(p, md, "metadata", "annotations", &m->annotations,
	    &m->nannotations) != 0 ||
	    gwp_strv(p, md, "metadata", "finalizers", 0, &m->finalizers,
	    &m->nfinalizers) != 0)
		return -1;
	m->generation = has ? gen : 0;
	m->deleting = m->deletion_timestamp != NULL;
	return 0;
}

/* Start parsing obj as kind (see gwapi_int.h). */
void *
gwp_begin(struct gwp *p, const cJSON *obj, const char *kind, int namespaced,
    size_t size, char **cause)
{
	const cJSON	*k;

	memset(p, 0, sizeof *p);
	p->kind = kind;
	p->namespaced = namespaced;
	p->cause = cause;
	p->arena = gw_arena_new();
	p->meta = gw_arena_alloc(p->arena, size);
	p->meta->kind = kind;
	p->meta->arena = p->arena;
	if (!cJSON_IsObject(obj)) {
		gwp_invalid(p, NULL, "expected a JSON object");
		gwp_fail(p);
		return NULL;
	}
	k = gwp_member(obj, "kind");
	if (k != NULL && (!cJSON_IsString(k) ||
	    strcmp(k->valuestring, kind) != 0)) {
		gwp_invalid(p, "kind", "expected \"%s\"", kind);
		gwp_fail(p);
		return NULL;
	}
	if (gwp_metadata(p, obj) != 0) {
		gwp_fail(p);
		return NULL;
	}
	return p->meta;
}

/* Abandon a parse. */
int
gwp_fail(struct gwp *p)
{
	gw_arena_free(p->arena);
	p->arena = NULL;
	p->meta = NULL;
	return -1;
}

/* The user tags annotation, noting what was skipped. */
void
gwp_tags(struct gwp *p, struct gw_kv **out, size_t *n)
{
	struct gw_kv	*kv;
	const char	*v;
	size_t		 i, skipped;

	*out = NULL;
	*n = 0;
	if ((v = gw_meta_annotation(p->meta, UP_ANN_TAGS)) == NULL)
		return;
	skipped = gw_tags_parse(v, &kv, n);
	if (skipped != 0)
		gwp_ignored(p, "metadata.annotations[" UP_ANN_TAGS "]",
		    "%zu tag(s) skipped (invalid, duplicate, over %d or "
		    "reserved prefix)", skipped, UP_TAGS_MAX);
	if (*n == 0)
		return;
	*out = gw_arena_array(p->arena, *n, sizeof **out);
	for (i = 0; i < *n; i++) {
		(*out)[i].key = gw_arena_strdup(p->arena, kv[i].key);
		(*out)[i].value = gw_arena_strdup(p->arena, kv[i].value);
	}
	gw_kv_free(kv, *n);
}

/* Case-insensitive ASCII equality (NULL equals only NULL). */
int
gw_strcaseeq(const char *a, const char *b)
{
	unsigned char	ca, cb;

	if (a == NULL || b == NULL)
		return a == b;
	for (;; a++, b++) {
		ca = (unsigned char)*a;
		cb = (unsigned char)*b;
		if (ca >= 'A' && ca <= 'Z')
			ca += 'a' - 'A';
		if (cb >= 'A' && cb <= 'Z')
			cb += 'a' - 'A';
		if (ca != cb)
			return 0;
		if (ca == '\0')
			return 1;
	}
}

/* NULL-safe string equality. */
int
gw_streq(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}
