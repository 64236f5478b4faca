/* Simulated VPC Lattice: request validation that answers the real
 * ValidationException (reason fieldValidationFailed, fieldList). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/json.h"
#include "latticectl/strbuf.h"
#include "latticectl/xmalloc.h"

#include "aws_lattice_int.h"

#define LAT_MAX_TAGS	200

/* Start collecting. */
void
lat_v_init(struct lat_v *v)
{
	memset(v, 0, sizeof *v);
	v->fields = cJSON_CreateArray();
}

/* Record one field error. */
void
lat_v_add(struct lat_v *v, const char *field, const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;
	cJSON	*f;

	va_start(ap, fmt);
	xvasprintf(&msg, fmt, ap);
	va_end(ap);
	if (v->n < 20) {
		f = cJSON_CreateObject();
		cJSON_AddStringToObject(f, "name", field);
		cJSON_AddStringToObject(f, "message", msg);
		cJSON_AddItemToArray(v->fields, f);
	}
	if (v->first == NULL)
		xasprintf(&v->first, "Value at '%s' failed to satisfy "
		    "constraint: %s", field, msg);
	v->n++;
	free(msg);
}

/* Answer ValidationException when anything was recorded; -1 then. */
int
lat_v_done(struct lat *l, struct lat_v *v)
{
	cJSON	*extra;
	int	 n = v->n;

	if (n == 0) {
		cJSON_Delete(v->fields);
		free(v->first);
		return 0;
	}
	extra = cJSON_CreateObject();
	cJSON_AddStringToObject(extra, "reason", "fieldValidationFailed");
	cJSON_AddItemToObject(extra, "fieldList", v->fields);
	sim_aws_error_extra(l->call, 400, "ValidationException", extra,
	    "%d validation error%s detected: %s", n, n == 1 ? "" : "s",
	    v->first);
	free(v->first);
	return -1;
}

/* A string member with a length range; NULL when missing or bad. */
const char *
lat_v_str(struct lat_v *v, const cJSON *obj, const char *key,
    const char *field, size_t min, size_t max, int required)
{
	const cJSON	*item = cJSON_GetObjectItemCaseSensitive(obj, key);
	size_t		 len;

	if (item == NULL || cJSON_IsNull(item)) {
		if (required)
			lat_v_add(v, field, "Member must not be null");
		return NULL;
	}
	if (!cJSON_IsString(item)) {
		lat_v_add(v, field, "Member must be a string");
		return NULL;
	}
	len = strlen(item->valuestring);
	if (len < min || len > max) {
		lat_v_add(v, field, "Member must have length between %zu and "
		    "%zu", min, max);
		return NULL;
	}
	return item->valuestring;
}

/* An integer member in a range: 1 set, 0 missing, -1 bad. */
int
lat_v_int(struct lat_v *v, const cJSON *obj, const char *key,
    const char *field, int64_t min, int64_t max, int required,
    int64_t *out)
{
	const cJSON	*item = cJSON_GetObjectItemCaseSensitive(obj, key);
	double		 d;

	if (item == NULL || cJSON_IsNull(item)) {
		if (required)
			lat_v_add(v, field, "Member must not be null");
		return required ? -1 : 0;
	}
	d = item->valuedouble;
	if (!cJSON_IsNumber(item) || d != (double)(int64_t)d) {
		lat_v_add(v, field, "Member must be an integer");
		return -1;
	}
	if (d < (double)min || d > (double)max) {
		lat_v_add(v, field, "Member must have value between %lld and "
		    "%lld", (long long)min, (long long)max);
		return -1;
	}
	*out = (int64_t)d;
	return 1;
}

/* A string member from a set; NULL when missing or bad. */
const char *
lat_v_enum(struct lat_v *v, const cJSON *obj, const char *key,
    const char *field, const char *const *allowed, int required)
{
	const char	*s;
	struct strbuf	 sb = STRBUF_INIT;
	size_t		 i;

	s = lat_v_str(v, obj, key, field, 0, 256, required);
	if (s == NULL)
		return NULL;
	for (i = 0; allowed[i] != NULL; i++) {
		if (strcmp(allowed[i], s) == 0) {
			strbuf_free(&sb);
			return s;
		}
		strbuf_addf(&sb, "%s%s", i == 0 ? "" : ", ", allowed[i]);
	}
	lat_v_add(v, field, "Member must satisfy enum value set: [%s]",
	    strbuf_str(&sb));
	strbuf_free(&sb);
	return NULL;
}

/* A boolean member: 1 present and good, 0 missing, -1 bad. */
int
lat_v_bool(struct lat_v *v, const cJSON *obj, const char *key,
    const char *field)
{
	const cJSON	*item = cJSON_GetObjectItemCaseSensitive(obj, key);

	if (item == NULL)
		return 0;
	if (!cJSON_IsBool(item)) {
		lat_v_add(v, field, "Member must be a boolean");
		return -1;
	}
	return 1;
}

/* A resource name: length, [a-z0-9-], no edge or double '-', and not the
 * kind's id prefix (service networks have none reserved). */
void
lat_v_name(struct lat_v *v, enum lat_kind k, const char *name)
{
	const struct lat_kind_info	*ki = &lat_kinds[k];
	size_t				 len, plen;

	if (name == NULL)
		return;
	len = strlen(name);
	plen = strlen(ki->prefix);
	if (len < 3 || len > ki->name_max) {
		lat_v_add(v, "name", "Member must have length between 3 and %u",
		    ki->name_max);
		return;
	}
	if (strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789-") != len ||
	    name[0] == '-' || name[len - 1] == '-' ||
	    strstr(name, "--") != NULL)
		lat_v_add(v, "name", "Member must satisfy regular expression "
		    "pattern: (?![-])(?!.*[-]$)(?!.*[-]{2})[a-z0-9-]+");
	else if (k != LK_SN && strncmp(name, ki->prefix, plen) == 0 &&
	    name[plen] == '-')
		lat_v_add(v, "name", "Member must not start with '%s-'",
		    ki->prefix);
}

/* An identifier's format (ID or ARN of the kind). */
void
lat_v_ident(struct lat_v *v, enum lat_kind k, const char *ident,
    const char *field)
{
	if (ident != NULL && !lat_ident_valid(k, ident))
		lat_v_add(v, field, "Member must be a valid %s ID or ARN",
		    lat_kinds[k].prefix);
}

/* A tag map: <= 200 keys of 1-128 chars (not "aws:"), values <= 256. */
void
lat_v_tags(struct lat_v *v, const cJSON *tags, const char *field)
{
	const cJSON	*t;
	size_t		 len;

	if (tags == NULL)
		return;
	if (!cJSON_IsObject(tags)) {
		lat_v_add(v, field, "Member must be a map of strings");
		return;
	}
	if (cJSON_GetArraySize(tags) > LAT_MAX_TAGS) {
		lat_v_add(v, field, "Member must have length less than or "
		    "equal to %d", LAT_MAX_TAGS);
		return;
	}
	cJSON_ArrayForEach(t, tags) {
		len = strlen(t->string);
		if (len < 1 || len > 128)
			lat_v_add(v, field, "Tag keys must have length "
			    "between 1 and 128");
		else if (strncmp(t->string, "aws:", 4) == 0)
			lat_v_add(v, field, "Tag keys must not start with "
			    "'aws:'");
		else if (!cJSON_IsString(t) || strlen(t->valuestring) > 256)
			lat_v_add(v, field, "Tag values must be strings of at "
			    "most 256 characters");
		else
			continue;
		return;
	}
}

/* Is s "vpc-" + 8 or 17 [0-9a-z]? */
int
lat_v_vpc(const char *s)
{
	size_t	n;

	if (s == NULL || strncmp(s, "vpc-", 4) != 0)
		return 0;
	n = strspn(s + 4, "abcdefghijklmnopqrstuvwxyz0123456789");
	return s[4 + n] == '\0' && (n == 8 || n == 17);
}

/* A union member: an object with exactly one of members set; returns
 * that member (its ->string names it), or NULL. */
const cJSON *
lat_v_union(struct lat_v *v, const cJSON *obj, const char *key,
    const char *field, const char *const *members, int required)
{
	const cJSON	*u = cJSON_GetObjectItemCaseSensitive(obj, key);
	const cJSON	*set = NULL, *m;
	size_t		 i;
	int		 n = 0;

	if (u == NULL || cJSON_IsNull(u)) {
		if (required)
			lat_v_add(v, field, "Member must not be null");
		return NULL;
	}
	cJSON_ArrayForEach(m, u) {
		for (i = 0; members[i] != NULL; i++) {
			if (m->string != NULL &&
			    strcmp(m->string, members[i]) == 0)
				break;
		}
		if (members[i] == NULL || cJSON_IsNull(m)) {
			n = -1;
			break;
		}
		set = m;
		n++;
	}
	if (!cJSON_IsObject(u) || n != 1) {
		lat_v_add(v, field, "Member must be a union with exactly one "
		    "known member set");
		return NULL;
	}
	return set;
}
