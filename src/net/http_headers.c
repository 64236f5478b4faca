/* HTTP header lists: case-insensitive lookup, repeated names kept. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "latticectl/http.h"
#include "latticectl/xmalloc.h"

/* Append a header taking ownership of name and value. */
static void
http_headers_push(struct http_headers *h, char *name, char *value)
{
	if (h->n == h->cap) {
		h->cap = h->cap == 0 ? 8 : h->cap * 2;
		h->v = xreallocarray(h->v, h->cap, sizeof *h->v);
	}
	h->v[h->n].name = name;
	h->v[h->n].value = value;
	h->n++;
}

/* Append a header (name and value copied). */
void
http_headers_add(struct http_headers *h, const char *name, const char *value)
{
	http_headers_push(h, xstrdup(name), xstrdup(value));
}

/* Replace every header called name with a single one. */
void
http_headers_set(struct http_headers *h, const char *name, const char *value)
{
	http_headers_del(h, name);
	http_headers_add(h, name, value);
}

/* First value of name, or NULL. */
const char *
http_headers_get(const struct http_headers *h, const char *name)
{
	return http_headers_get_nth(h, name, 0);
}

/* The idx'th value of name, or NULL. */
const char *
http_headers_get_nth(const struct http_headers *h, const char *name,
    size_t idx)
{
	size_t	i;

	for (i = 0; i < h->n; i++) {
		if (strcasecmp(h->v[i].name, name) != 0)
			continue;
		if (idx-- == 0)
			return h->v[i].value;
	}
	return NULL;
}

/* Remove every header called name, keeping the order of the rest. */
void
http_headers_del(struct http_headers *h, const char *name)
{
	size_t	i, j;

	for (i = j = 0; i < h->n; i++) {
		if (strcasecmp(h->v[i].name, name) == 0) {
			free(h->v[i].name);
			free(h->v[i].value);
			continue;
		}
		h->v[j++] = h->v[i];
	}
	h->n = j;
}

/* Append copies of src's headers to dst. */
void
http_headers_copy(struct http_headers *dst, const struct http_headers *src)
{
	size_t	i;

	for (i = 0; i < src->n; i++)
		http_headers_add(dst, src->v[i].name, src->v[i].value);
}

/* Free every header; h is left empty and reusable. */
void
http_headers_free(struct http_headers *h)
{
	size_t	i;

	for (i = 0; i < h->n; i++) {
		free(h->v[i].name);
		free(h->v[i].value);
	}
	free(h->v);
	h->v = NULL;
	h->n = h->cap = 0;
}

/* Whether c may appear in a header name (RFC 9110 token). */
static int
http_headers_tchar(unsigned char c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9'))
		return 1;
	return c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

/* Whether c is white space around a value (or the line end). */
static int
http_headers_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Trim white space and line ends from both ends of [*p, *p + *len). */
static void
http_headers_trim(const char **p, size_t *len)
{
	while (*len > 0 && http_headers_space((*p)[*len - 1]))
		(*len)--;
	while (*len > 0 && http_headers_space((*p)[0])) {
		(*p)++;
		(*len)--;
	}
}

/* Append a continuation line's text to the last header's value. */
static int
http_headers_continue(struct http_headers *h, const char *p, size_t len)
{
	struct http_header	*last;
	char			*v;

	if (h->n == 0)
		return -1;
	http_headers_trim(&p, &len);
	if (len == 0)
		return 0;
	if (memchr(p, '\0', len) != NULL)
		return -1;
	last = &h->v[h->n - 1];
	xasprintf(&v, "%s%s%.*s", last->value, *last->value != '\0' ? " " : "",
	    (int)len, p);
	free(last->value);
	last->value = v;
	return 0;
}

/* Parse one header line into h. */
int
http_headers_parse_line(struct http_headers *h, const char *line, size_t len)
{
	const char	*colon, *v;
	size_t		 nlen, vlen;

	if (len > 0 && (line[0] == ' ' || line[0] == '\t'))
		return http_headers_continue(h, line, len);
	if ((colon = memchr(line, ':', len)) == NULL || colon == line)
		return -1;
	nlen = (size_t)(colon - line);
	for (v = line; v < colon; v++) {
		if (!http_headers_tchar((unsigned char)*v))
			return -1;
	}
	v = colon + 1;
	vlen = len - nlen - 1;
	http_headers_trim(&v, &vlen);
	if (memchr(v, '\0', vlen) != NULL)
		return -1;
	http_headers_push(h, xstrndup(line, nlen), xstrndup(v, vlen));
	return 0;
}
