/* Small AWS value helpers: query params, tags, path escaping, tokens. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/aws.h"
#include "latticectl/http.h"
#include "latticectl/rand.h"
#include "latticectl/xmalloc.h"

/* Append a key/value pair to params (both copied). */
void
aws_params_add(struct aws_params *p, const char *key, const char *value)
{
	if (p->n == p->cap) {
		p->cap = p->cap == 0 ? 16 : p->cap * 2;
		p->keys = xreallocarray(p->keys, p->cap, sizeof *p->keys);
		p->values = xreallocarray(p->values, p->cap, sizeof *p->values);
	}
	p->keys[p->n] = xstrdup(key);
	p->values[p->n] = xstrdup(value != NULL ? value : "");
	p->n++;
}

/* Append a key with a formatted value. */
void
aws_params_addf(struct aws_params *p, const char *key, const char *fmt, ...)
{
	va_list	 ap;
	char	*v;

	va_start(ap, fmt);
	xvasprintf(&v, fmt, ap);
	va_end(ap);
	aws_params_add(p, key, v);
	free(v);
}

/* Release the parameters. */
void
aws_params_free(struct aws_params *p)
{
	size_t	i;

	for (i = 0; i < p->n; i++) {
		free(p->keys[i]);
		free(p->values[i]);
	}
	free(p->keys);
	free(p->values);
	memset(p, 0, sizeof *p);
}

/* Index of key in tags, or -1. */
static long
aws_tags_find(const struct aws_tags *t, const char *key)
{
	size_t	i;

	for (i = 0; i < t->n; i++) {
		if (strcmp(t->keys[i], key) == 0)
			return (long)i;
	}
	return -1;
}

/* Set key to value, replacing an existing value. */
void
aws_tags_set(struct aws_tags *t, const char *key, const char *value)
{
	long	i = aws_tags_find(t, key);

	if (i >= 0) {
		free(t->values[i]);
		t->values[i] = xstrdup(value != NULL ? value : "");
		return;
	}
	if (t->n == t->cap) {
		t->cap = t->cap == 0 ? 8 : t->cap * 2;
		t->keys = xreallocarray(t->keys, t->cap, sizeof *t->keys);
		t->values = xreallocarray(t->values, t->cap, sizeof *t->values);
	}
	t->keys[t->n] = xstrdup(key);
	t->values[t->n] = xstrdup(value != NULL ? value : "");
	t->n++;
}

/* Value of key, or NULL. */
const char *
aws_tags_get(const struct aws_tags *t, const char *key)
{
	long	i = aws_tags_find(t, key);

	return i < 0 ? NULL : t->values[i];
}

/* Release the tags. */
void
aws_tags_free(struct aws_tags *t)
{
	size_t	i;

	for (i = 0; i < t->n; i++) {
		free(t->keys[i]);
		free(t->values[i]);
	}
	free(t->keys);
	free(t->values);
	memset(t, 0, sizeof *t);
}

/* Deep-copy src into dst (dst is replaced). */
void
aws_tags_copy(struct aws_tags *dst, const struct aws_tags *src)
{
	size_t	i;

	memset(dst, 0, sizeof *dst);
	for (i = 0; i < src->n; i++)
		aws_tags_set(dst, src->keys[i], src->values[i]);
}

/* Tags as a JSON object (caller owns). */
cJSON *
aws_tags_to_json(const struct aws_tags *t)
{
	cJSON	*o = cJSON_CreateObject();
	size_t	 i;

	for (i = 0; i < t->n; i++)
		cJSON_AddStringToObject(o, t->keys[i], t->values[i]);
	return o;
}

/* Add the string members of a JSON object to tags. */
void
aws_tags_from_json(struct aws_tags *t, const cJSON *obj)
{
	const cJSON	*m;

	if (!cJSON_IsObject(obj))
		return;
	cJSON_ArrayForEach(m, obj) {
		if (cJSON_IsString(m) && m->string != NULL)
			aws_tags_set(t, m->string, m->valuestring);
	}
}

/* Percent-encode a path member, '/' and ':' included. */
char *
aws_path_escape(const char *s)
{
	return http_urlencode(s, 0);
}

/* Append "key=value", both encoded, joined by '&'. */
void
aws_query_append(struct strbuf *sb, const char *key, const char *value)
{
	char	*k = http_urlencode(key, 0);
	char	*v = http_urlencode(value != NULL ? value : "", 0);

	if (sb->len != 0)
		strbuf_addc(sb, '&');
	strbuf_adds(sb, k);
	strbuf_addc(sb, '=');
	strbuf_adds(sb, v);
	free(k);
	free(v);
}

/* A fresh clientToken. */
void
aws_client_token(char out[37])
{
	rand_uuid4(out);
}
