/* sim_kube helpers: query strings, Status errors, time, names, JSON bits. */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>

#include "latticectl/json.h"
#include "latticectl/rand.h"
#include "latticectl/timeutil.h"
#include "latticectl/xmalloc.h"
#include "kube_int.h"
#include "sim_form.h"

/* Split a raw query string into decoded pairs (at most 64). */
void
skube_query_parse(struct skube_query *q, const char *s)
{
	memset(q, 0, sizeof *q);
	sim_form_parse(s, s != NULL ? strlen(s) : 0, 64,
	    SIM_UNESCAPE_PLUS | SIM_UNESCAPE_DROP_NUL, &q->keys, &q->vals,
	    &q->n);
}

/* The first value of key, or NULL. */
const char *
skube_query_get(const struct skube_query *q, const char *key)
{
	size_t	i;

	for (i = 0; i < q->n; i++) {
		if (strcmp(q->keys[i], key) == 0)
			return q->vals[i];
	}
	return NULL;
}

/* Whether key is present and "1" or "true". */
int
skube_query_bool(const struct skube_query *q, const char *key)
{
	const char	*v = skube_query_get(q, key);

	return v != NULL && (strcmp(v, "1") == 0 || strcmp(v, "true") == 0);
}

/* Release a parsed query. */
void
skube_query_free(struct skube_query *q)
{
	sim_form_free(q->keys, q->vals, q->n);
	memset(q, 0, sizeof *q);
}

/* Set an error's code, reason and message; returns -1. */
int
skube_err_set(struct skube_err *e, int code, const char *reason,
    const char *fmt, ...)
{
	va_list	ap;

	e->code = code;
	snprintf(e->reason, sizeof e->reason, "%s", reason);
	free(e->message);
	va_start(ap, fmt);
	xvasprintf(&e->message, fmt, ap);
	va_end(ap);
	return -1;
}

/* Attach the details (group, kind, name) of the object concerned. */
void
skube_err_details(struct skube_err *e, const char *group, const char *kind,
    const char *name)
{
	free(e->group);
	free(e->kind);
	free(e->name);
	e->group = xstrdup_or_null(group);
	e->kind = xstrdup_or_null(kind);
	e->name = xstrdup_or_null(name);
}

/* Add a cause (details.causes[]). */
void
skube_err_cause(struct skube_err *e, const char *reason, const char *field,
    const char *message)
{
	cJSON	*c;

	if (e->causes == NULL)
		e->causes = cJSON_CreateArray();
	c = cJSON_CreateObject();
	json_add_str_opt(c, "reason", reason);
	json_add_str_opt(c, "message", message);
	json_add_str_opt(c, "field", field);
	cJSON_AddItemToArray(e->causes, c);
}

/* Release an error's strings. */
void
skube_err_free(struct skube_err *e)
{
	free(e->message);
	free(e->group);
	free(e->kind);
	free(e->name);
	cJSON_Delete(e->causes);
	memset(e, 0, sizeof *e);
}

/* A bare Status object. */
cJSON *
skube_status_new(int code, const char *reason, const char *message)
{
	cJSON	*s;

	s = cJSON_CreateObject();
	cJSON_AddStringToObject(s, "kind", "Status");
	cJSON_AddStringToObject(s, "apiVersion", "v1");
	cJSON_AddItemToObject(s, "metadata", cJSON_CreateObject());
	cJSON_AddStringToObject(s, "status", code >= 200 && code < 300 ?
	    "Success" : "Failure");
	if (message != NULL)
		cJSON_AddStringToObject(s, "message", message);
	if (reason != NULL && *reason != '\0')
		cJSON_AddStringToObject(s, "reason", reason);
	cJSON_AddNumberToObject(s, "code", code);
	return s;
}

/* The Status object for an error. */
cJSON *
skube_err_status(const struct skube_err *e)
{
	cJSON	*s, *d;

	s = skube_status_new(e->code != 0 ? e->code : 500,
	    e->code != 0 ? e->reason : "InternalError",
	    e->message != NULL ? e->message : "internal error");
	if (e->name != NULL || e->kind != NULL || e->causes != NULL) {
		d = cJSON_CreateObject();
		json_add_str_opt(d, "name", e->name);
		json_add_str_opt(d, "group", e->group);
		json_add_str_opt(d, "kind", e->kind);
		if (e->causes != NULL)
			cJSON_AddItemToObject(d, "causes",
			    cJSON_Duplicate(e->causes, 1));
		cJSON_AddItemToObject(s, "details", d);
	}
	return s;
}

/* Now as RFC 3339 UTC (seconds, or microseconds for MicroTime). */
void
skube_now(char *buf, size_t len, int micro)
{
	struct timespec	ts = time_now();

	time_format_rfc3339(&ts, micro ? 6 : 0, buf, len);
}

/* kubectl's human duration ("5s", "3m2s", "4h", "12d"). */
void
skube_duration(long s, char *buf, size_t len)
{
	long	m = s / 60, h = s / 3600, d = s / 86400;

	if (s < -1)
		snprintf(buf, len, "<invalid>");
	else if (s < 0)
		snprintf(buf, len, "0s");
	else if (s < 120)
		snprintf(buf, len, "%lds", s);
	else if (m < 10 && s % 60 != 0)
		snprintf(buf, len, "%ldm%lds", m, s % 60);
	else if (m < 180)
		snprintf(buf, len, "%ldm", m);
	else if (h < 8 && m % 60 != 0)
		snprintf(buf, len, "%ldh%ldm", h, m % 60);
	else if (h < 48)
		snprintf(buf, len, "%ldh", h);
	else if (h < 192 && h % 24 != 0)
		snprintf(buf, len, "%ldd%ldh", d, h % 24);
	else if (d < 730)
		snprintf(buf, len, "%ldd", d);
	else
		snprintf(buf, len, "%ldy%ldd", d / 365, d % 365);
}

/* Age of a timestamp, or "<unknown>". */
void
skube_age(const char *ts, char *buf, size_t len)
{
	struct timespec	t, now;

	if (ts == NULL || time_parse(ts, &t) != 0) {
		snprintf(buf, len, "<unknown>");
		return;
	}
	now = time_now();
	skube_duration((long)(now.tv_sec - t.tv_sec), buf, len);
}

/* Standard base64 of data (caller frees). */
char *
skube_b64(const void *data, size_t len)
{
	char	*out;
	int	 n;

	out = xmalloc(4 * ((len + 2) / 3) + 1);
	n = EVP_EncodeBlock((unsigned char *)out, data, (int)len);
	out[n < 0 ? 0 : n] = '\0';
	return out;
}

/* Whether s is a lower-case RFC 1123 label (<= 63). */
int
skube_valid_label(const char *s)
{
	size_t	i, n = strlen(s);

	if (n == 0 || n > 63 || !isalnum((unsigned char)s[0]) ||
	    !isalnum((unsigned char)s[n - 1]))
		return 0;
	for (i = 0; i < n; i++) {
		if (!(islower((unsigned char)s[i]) ||
		    isdigit((unsigned char)s[i]) || s[i] == '-'))
			return 0;
	}
	return 1;
}

/* Whether s is a lower-case RFC 1123 subdomain (<= 253). */
int
skube_valid_subdomain(const char *s)
{
	char	*copy, *part, *save = NULL;
	int	 ok = 1;

	if (*s == '\0' || strlen(s) > 253 || s[0] == '.' ||
	    s[strlen(s) - 1] == '.' || strstr(s, "..") != NULL)
		return 0;
	copy = xstrdup(s);
	for (part = strtok_r(copy, ".", &save); part != NULL && ok;
	    part = strtok_r(NULL, ".", &save))
		ok = skube_valid_label(part);
	free(copy);
	return ok;
}

/* Child key of obj with the given cJSON type, created (replacing any
 * value of another type) when missing. */
cJSON *
skube_child(cJSON *obj, const char *key, int type)
{
	cJSON	*c;

	c = cJSON_GetObjectItemCaseSensitive(obj, key);
	if (c != NULL && (c->type & 0xff) == type)
		return c;
	c = type == cJSON_Array ? cJSON_CreateArray() : cJSON_CreateObject();
	skube_set_item(obj, key, c);
	return c;
}

/* The metadata object, created when missing. */
cJSON *
skube_meta(cJSON *obj)
{
	return skube_child(obj, "metadata", cJSON_Object);
}

/* metadata.name, or NULL. */
const char *
skube_name(const cJSON *obj)
{
	return json_path_str(obj, "metadata.name");
}

/* metadata.namespace, or NULL. */
const char *
skube_ns(const cJSON *obj)
{
	return json_path_str(obj, "metadata.namespace");
}

/* Whether obj has the member key (case-sensitive, unlike cJSON's). */
int
skube_has(const cJSON *obj, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(obj, key) != NULL;
}

/* Set (or replace) an item of obj; takes ownership of item. */
void
skube_set_item(cJSON *obj, const char *key, cJSON *item)
{
	if (skube_has(obj, key))
		cJSON_ReplaceItemInObjectCaseSensitive(obj, key, item);
	else
		cJSON_AddItemToObject(obj, key, item);
}

/* Set a string member. */
void
skube_set_str(cJSON *obj, const char *key, const char *val)
{
	skube_set_item(obj, key, cJSON_CreateString(val));
}

/* Set a number member. */
void
skube_set_num(cJSON *obj, const char *key, double val)
{
	skube_set_item(obj, key, cJSON_CreateNumber(val));
}

/* n-1 random characters from the generateName alphabet, NUL-terminated. */
void
skube_rand_suffix(char *buf, size_t n)
{
	static const char	alpha[] = "bcdfghjklmnpqrstvwxz2456789";
	size_t			i;

	for (i = 0; i + 1 < n; i++)
		buf[i] = alpha[rand_below(sizeof alpha - 1)];
	buf[n - 1] = '\0';
}

/* metadata.resourceVersion as a number (0 when missing or bad). */
uint64_t
skube_rv_of(const cJSON *obj)
{
	const char	*s = json_path_str(obj, "metadata.resourceVersion");

	return s != NULL ? strtoull(s, NULL, 10) : 0;
}

/* Whether metadata.finalizers is a non-empty array. */
int
skube_has_finalizers(const cJSON *obj)
{
	const cJSON	*f = json_path(obj, "metadata.finalizers");

	return cJSON_IsArray(f) && cJSON_GetArraySize(f) > 0;
}

/* Whether the array holds the string s. */
int
skube_str_in(const cJSON *arr, const char *s)
{
	const cJSON	*it;

	cJSON_ArrayForEach(it, arr) {
		if (cJSON_IsString(it) && strcmp(it->valuestring, s) == 0)
			return 1;
	}
	return 0;
}

/* "v1" or "group/version" (caller frees). */
char *
skube_apiversion(const struct skube_rtype *rt)
{
	char	*s;

	if (*rt->group == '\0')
		return xstrdup(rt->version);
	xasprintf(&s, "%s/%s", rt->group, rt->version);
	return s;
}

/* Monotonic milliseconds. */
uint64_t
skube_mono_ms(void)
{
	return time_mono_ms();
}
