/* JSON helpers over cJSON: parsing with positions, typed getters, compare. */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/error.h"
#include "latticectl/json.h"
#include "latticectl/xmalloc.h"

/* Work out the 1-based line and column of byte offset off in buf. */
static void
json_position(const char *buf, size_t off, size_t *line, size_t *col)
{
	size_t	i;

	*line = 1;
	*col = 1;
	for (i = 0; i < off; i++) {
		if (buf[i] == '\n') {
			(*line)++;
			*col = 1;
		} else
			(*col)++;
	}
}

/*
 * Where a failed parse stopped. cJSON clamps an error at the end of input
 * to the last byte, so parse again with a space appended: an error that
 * moves past the original end means the input ended too soon.
 */
static size_t
json_error_offset(const char *buf, size_t len, const char *end)
{
	const char	*end2 = NULL;
	char		*copy;
	cJSON		*j;
	size_t		 off;

	if (end == NULL || end < buf || end > buf + len)
		return 0;
	off = (size_t)(end - buf);
	if (off + 1 < len)
		return off;
	copy = xmalloc(len + 1);
	memcpy(copy, buf, len);
	copy[len] = ' ';
	j = cJSON_ParseWithLengthOpts(copy, len + 1, &end2, 0);
	if (j == NULL && end2 != NULL && end2 >= copy + len)
		off = len;
	cJSON_Delete(j);
	free(copy);
	return off;
}

/* Parse len bytes of JSON; errors say where (what: line L column C). */
cJSON *
json_parse(const char *buf, size_t len, const char *what, char **cause)
{
	cJSON		*root;
	const char	*end = NULL;
	size_t		 off, line, col;

	if (what == NULL)
		what = "json";
	if (buf == NULL || len == 0) {
		error_set(cause, "%s: empty document", what);
		return NULL;
	}
	root = cJSON_ParseWithLengthOpts(buf, len, &end, 0);
	if (root != NULL) {
		/* Allow trailing whitespace (and a NUL) only. */
		off = (size_t)(end - buf);
		while (off < len && strchr(" \t\r\n", buf[off]) != NULL &&
		    buf[off] != '\0')
			off++;
		if (off >= len || buf[off] == '\0')
			return root;
		cJSON_Delete(root);
		json_position(buf, off, &line, &col);
		error_set(cause, "%s: line %zu column %zu: trailing data after "
		    "JSON value", what, line, col);
		return NULL;
	}
	off = json_error_offset(buf, len, end);
	json_position(buf, off, &line, &col);
	if (off >= len)
		error_set(cause, "%s: line %zu column %zu: unexpected end of "
		    "input", what, line, col);
	else
		error_set(cause, "%s: line %zu column %zu: syntax error near "
		    "'%c'", what, line, col,
		    (buf[off] >= 0x20 && buf[off] < 0x7f) ? buf[off] : '?');
	return NULL;
}

/* A string member, or NULL. */
const char *
json_str(const cJSON *obj, const char *key)
{
	const cJSON	*it;

	if (obj == NULL || !cJSON_IsObject(obj))
		return NULL;
	it = cJSON_GetObjectItemCaseSensitive(obj, key);
	if (!cJSON_IsString(it))
		return NULL;
	return it->valuestring;
}

/* A member that holds an integral number within int64 range. */
int
json_int(const cJSON *obj, const char *key, int64_t *out)
{
	const cJSON	*it;
	double		 d;

	if (obj == NULL || !cJSON_IsObject(obj))
		return -1;
	it = cJSON_GetObjectItemCaseSensitive(obj, key);
	if (!cJSON_IsNumber(it))
		return -1;
	d = it->valuedouble;
	if (!isfinite(d) || d != floor(d))
		return -1;
	if (d < -9223372036854775808.0 || d >= 9223372036854775808.0)
		return -1;
	*out = (int64_t)d;
	return 0;
}

/* A number member, or def. */
double
json_num(const cJSON *obj, const char *key, double def)
{
	const cJSON	*it;

	if (obj == NULL || !cJSON_IsObject(obj))
		return def;
	it = cJSON_GetObjectItemCaseSensitive(obj, key);
	if (!cJSON_IsNumber(it))
		return def;
	return it->valuedouble;
}

/* A boolean member, or def. */
int
json_bool(const cJSON *obj, const char *key, int def)
{
	const cJSON	*it;

	if (obj == NULL || !cJSON_IsObject(obj))
		return def;
	it = cJSON_GetObjectItemCaseSensitive(obj, key);
	if (!cJSON_IsBool(it))
		return def;
	return cJSON_IsTrue(it) ? 1 : 0;
}

/* Follow a dotted path of object keys. */
const cJSON *
json_path(const cJSON *obj, const char *path)
{
	const cJSON	*cur = obj;
	const char	*p = path, *dot;
	char		 key[256];
	size_t		 n;

	if (obj == NULL || path == NULL)
		return NULL;
	while (cur != NULL && *p != '\0') {
		if ((dot = strchr(p, '.')) == NULL)
			dot = p + strlen(p);
		n = (size_t)(dot - p);
		if (n == 0 || n >= sizeof key || !cJSON_IsObject(cur))
			return NULL;
		memcpy(key, p, n);
		key[n] = '\0';
		cur = cJSON_GetObjectItemCaseSensitive(cur, key);
		p = *dot == '.' ? dot + 1 : dot;
	}
	return cur;
}

/* The string at a dotted path, or NULL. */
const char *
json_path_str(const cJSON *obj, const char *path)
{
	const cJSON	*it = json_path(obj, path);

	return cJSON_IsString(it) ? it->valuestring : NULL;
}

/* Compact text of a tree; never NULL. */
char *
json_print(const cJSON *item)
{
	char	*s, *copy;

	if (item == NULL)
		return xstrdup("null");
	s = cJSON_PrintUnformatted(item);
	if (s == NULL) {
		fprintf(stderr, "latticectl: json_print: out of memory\n");
		abort();
	}
	/* Hand back memory from malloc, whatever cJSON's hooks are. */
	copy = xstrdup(s);
	cJSON_free(s);
	return copy;
}

/* Add key: val when val is set. */
void
json_add_str_opt(cJSON *obj, const char *key, const char *val)
{
	if (val != NULL)
		cJSON_AddStringToObject(obj, key, val);
}

/* Count the children of an array or object. */
static size_t
json_count(const cJSON *item)
{
	const cJSON	*c;
	size_t		 n = 0;

	for (c = item->child; c != NULL; c = c->next)
		n++;
	return n;
}

/* The n-th (0-based) member of obj named key, or NULL. */
static const cJSON *
json_member_nth(const cJSON *obj, const char *key, size_t n)
{
	const cJSON	*c;

	for (c = obj->child; c != NULL; c = c->next) {
		if (c->string != NULL && strcmp(c->string, key) == 0 &&
		    n-- == 0)
			return c;
	}
	return NULL;
}

/* Compare objects member by member, ignoring order (duplicate keys pair
 * up in order of appearance). */
static int
json_equal_object(const cJSON *a, const cJSON *b)
{
	const cJSON	*c, *p, *o;
	size_t		 nth;

	if (json_count(a) != json_count(b))
		return 0;
	for (c = a->child; c != NULL; c = c->next) {
		if (c->string == NULL)
			return 0;
		nth = 0;
		for (p = a->child; p != c; p = p->next) {
			if (p->string != NULL &&
			    strcmp(p->string, c->string) == 0)
				nth++;
		}
		o = json_member_nth(b, c->string, nth);
		if (o == NULL || !json_equal(c, o))
			return 0;
	}
	return 1;
}

/* Numbers are equal within cJSON's print precision (as cJSON_Compare),
 * so a printed and reparsed tree equals the original; NaN equals NaN. */
static int
json_num_equal(double a, double b)
{
	double	m;

	if (isnan(a) || isnan(b))
		return isnan(a) && isnan(b);
	if (a == b)
		return 1;
	if (isinf(a) || isinf(b))
		return 0;
	m = fabs(a) > fabs(b) ? fabs(a) : fabs(b);
	return fabs(a - b) <= m * DBL_EPSILON;
}

/* Deep equality; objects compare as unordered maps. */
int
json_equal(const cJSON *a, const cJSON *b)
{
	const cJSON	*x, *y;

	if (a == NULL || b == NULL)
		return a == b;
	if ((a->type & 0xff) != (b->type & 0xff))
		return 0;
	switch (a->type & 0xff) {
	case cJSON_False:
	case cJSON_True:
	case cJSON_NULL:
		return 1;
	case cJSON_Number:
		return json_num_equal(a->valuedouble, b->valuedouble);
	case cJSON_String:
	case cJSON_Raw:
		if (a->valuestring == NULL || b->valuestring == NULL)
			return a->valuestring == b->valuestring;
		return strcmp(a->valuestring, b->valuestring) == 0;
	case cJSON_Array:
		x = a->child;
		y = b->child;
		while (x != NULL && y != NULL) {
			if (!json_equal(x, y))
				return 0;
			x = x->next;
			y = y->next;
		}
		return x == NULL && y == NULL;
	case cJSON_Object:
		return json_equal_object(a, b);
	}
	return 0;
}
