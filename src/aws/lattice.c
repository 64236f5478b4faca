/* VPC Lattice client plumbing: calls, paths, client errors, pagination. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LOG_MODULE "lattice"
#include "latticectl/json.h"
#include "latticectl/log.h"
#include "latticectl/xmalloc.h"

#include "lattice_int.h"

/* More pages than this means a server that never stops paging. */
#define LATTICE_MAX_PAGES	100000

/* Make one rest-json call to vpc-lattice; *out is the response object. */
int
lattice_call(struct aws *aws, const char *op, const char *method,
    const char *path, const char *query, const cJSON *body, cJSON **out,
    struct aws_error *err)
{
	*out = NULL;
	log_debug("%s %s %s%s%s", op, method, path, query != NULL ? "?" : "",
	    query != NULL ? query : "");
	return aws_restjson_call(aws, LATTICE_SERVICE, op, method, path, query,
	    body, out, err);
}

/* Make a call, taking ownership of path and body; out may be NULL when
 * the response carries nothing to keep. */
int
lattice_do(struct aws *aws, const char *op, const char *method, char *path,
    const char *query, cJSON *body, cJSON **out, struct aws_error *err)
{
	cJSON	*resp;
	int	 rc;

	rc = lattice_call(aws, op, method, path, query, body, &resp, err);
	free(path);
	cJSON_Delete(body);
	if (out != NULL)
		*out = resp;
	else
		cJSON_Delete(resp);
	return rc;
}

/* Build a path from fmt, percent-encoding each %s argument; caller frees. */
char *
lattice_pathf(const char *fmt, ...)
{
	struct strbuf	 sb;
	va_list		 ap;
	const char	*p;
	char		*enc;

	strbuf_init(&sb);
	va_start(ap, fmt);
	for (p = fmt; *p != '\0'; p++) {
		if (p[0] == '%' && p[1] == 's') {
			enc = aws_path_escape(va_arg(ap, const char *));
			strbuf_adds(&sb, enc);
			free(enc);
			p++;
		} else
			strbuf_addc(&sb, *p);
	}
	va_end(ap);
	return strbuf_detach(&sb, NULL);
}

/* Fill err with a client-side error (status 0, not retryable). */
static int
lattice_vfail(struct aws_error *err, const char *op, const char *code,
    const char *fmt, va_list ap)
{
	aws_error_clear(err);
	err->code = xstrdup(code);
	xvasprintf(&err->message, fmt, ap);
	xasprintf(&err->op, "%s:%s", LATTICE_SERVICE, op);
	err->retry_after = -1;
	return -1;
}

/* Report an input the API would reject; returns -1. */
int
lattice_invalid(struct aws_error *err, const char *op, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	lattice_vfail(err, op, LATTICE_PARAM_ERROR, fmt, ap);
	va_end(ap);
	return -1;
}

/* Report a response we cannot follow; returns -1. */
static int
lattice_bad_response(struct aws_error *err, const char *op,
    const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	lattice_vfail(err, op, "InvalidResponse", fmt, ap);
	va_end(ap);
	return -1;
}

/* Check that a required string member is set and not empty. */
int
lattice_require(struct aws_error *err, const char *op, const char *name,
    const char *value)
{
	if (value == NULL || *value == '\0')
		return lattice_invalid(err, op, "missing required member %s",
		    name);
	return 0;
}

/* Check a page size. */
int
lattice_check_page(struct aws_error *err, const char *op,
    const struct lattice_page *page)
{
	if (page == NULL || page->max_results == 0)
		return 0;
	if (page->max_results < 1 || page->max_results > 100)
		return lattice_invalid(err, op, "maxResults %d not in 1..100",
		    page->max_results);
	return 0;
}

/* The query of one page: the filters, maxResults and nextToken. */
static char *
lattice_page_query(const struct lattice_pager *pg,
    const struct lattice_page *page, const char *token)
{
	struct strbuf	sb;
	char		num[16];

	strbuf_init(&sb);
	if (pg->filters != NULL)
		strbuf_adds(&sb, pg->filters);
	if (page != NULL && page->max_results > 0) {
		snprintf(num, sizeof(num), "%d", page->max_results);
		aws_query_append(&sb, "maxResults", num);
	}
	if (token != NULL)
		aws_query_append(&sb, "nextToken", token);
	if (sb.len == 0) {
		strbuf_free(&sb);
		return NULL;
	}
	return strbuf_detach(&sb, NULL);
}

/* Fetch one page and append its items; 0 ok. */
static int
lattice_fetch_page(struct aws *aws, const struct lattice_pager *pg,
    const struct lattice_page *page, const char *token, void **items,
    size_t *n, char **next_token, struct aws_error *err)
{
	cJSON	*resp;
	char	*query;
	int	 rc;

	query = lattice_page_query(pg, page, token);
	rc = lattice_call(aws, pg->op, pg->method, pg->path, query, pg->body,
	    &resp, err);
	free(query);
	if (rc == 0)
		lattice_page_add(resp, items, n, pg->item_size, pg->parse,
		    next_token);
	cJSON_Delete(resp);
	return rc;
}

/* Free the items gathered so far. */
static void
lattice_pager_free(const struct lattice_pager *pg, void **items, size_t *n,
    char **next_token)
{
	size_t	i;

	for (i = 0; i < *n; i++)
		pg->free_item((char *)*items + i * pg->item_size);
	free(*items);
	*items = NULL;
	*n = 0;
	free(*next_token);
	*next_token = NULL;
}

/* Run a list operation, following nextToken until it is absent (or for
 * one page). On failure nothing is left in items. */
int
lattice_paginate(struct aws *aws, const struct lattice_pager *pg,
    const struct lattice_page *page, void **items, size_t *n,
    char **next_token, struct aws_error *err)
{
	char	*token;
	size_t	 pages = 0;
	int	 rc = 0;

	token = xstrdup_or_null(page != NULL ? page->next_token : NULL);
	for (;;) {
		if ((rc = lattice_fetch_page(aws, pg, page, token, items, n,
		    next_token, err)) != 0)
			break;
		if (*next_token == NULL || (page != NULL && page->one_page))
			break;
		if (token != NULL && strcmp(token, *next_token) == 0) {
			rc = lattice_bad_response(err, pg->op,
			    "nextToken did not change between pages");
			break;
		}
		if (++pages >= LATTICE_MAX_PAGES) {
			rc = lattice_bad_response(err, pg->op,
			    "more than %d pages", LATTICE_MAX_PAGES);
			break;
		}
		free(token);
		token = xstrdup(*next_token);
	}
	free(token);
	if (rc != 0)
		lattice_pager_free(pg, items, n, next_token);
	return rc;
}

/* Append key=value to a query when value is set. */
void
lattice_query_opt(struct strbuf *q, const char *key, const char *value)
{
	if (value != NULL)
		aws_query_append(q, key, value);
}

/* The query filters built so far, or NULL when there are none. */
char *
lattice_query_take(struct strbuf *q)
{
	if (q->len == 0) {
		strbuf_free(q);
		return NULL;
	}
	return strbuf_detach(q, NULL);
}

/* Add clientToken: the caller's, or a fresh UUID for this logical call. */
void
lattice_add_client_token(cJSON *body, const char *given)
{
	char	uuid[37];

	if (given == NULL) {
		aws_client_token(uuid);
		given = uuid;
	}
	cJSON_AddStringToObject(body, "clientToken", given);
}

/* Add the tags member when there are tags. */
void
lattice_add_tags(cJSON *body, const struct aws_tags *tags)
{
	if (tags != NULL && tags->n > 0)
		cJSON_AddItemToObject(body, "tags", aws_tags_to_json(tags));
}

/* Append a zeroed element to an array of n elements; returns it. The
 * capacity doubles at powers of two, so it is implied by n. */
void *
lattice_array_add(void **items, size_t *n, size_t size)
{
	char	*base = *items;
	size_t	 cap;

	if (*n == 0 || (*n >= 4 && (*n & (*n - 1)) == 0)) {
		cap = *n == 0 ? 4 : *n * 2;
		base = xreallocarray(base, cap, size);
		*items = base;
	}
	memset(base + *n * size, 0, size);
	return base + (*n)++ * size;
}

/* Append the object members of page's "items" and replace *next_token. */
void
lattice_page_add(const cJSON *page, void **items, size_t *n, size_t size,
    void (*parse)(const cJSON *, void *), char **next_token)
{
	const cJSON	*arr, *it;
	const char	*tok;

	arr = cJSON_IsObject(page) ?
	    cJSON_GetObjectItemCaseSensitive(page, "items") : NULL;
	if (cJSON_IsArray(arr)) {
		cJSON_ArrayForEach(it, arr) {
			if (cJSON_IsObject(it))
				parse(it, lattice_array_add(items, n, size));
		}
	}
	free(*next_token);
	tok = json_str(page, "nextToken");
	*next_token = (tok != NULL && *tok != '\0') ? xstrdup(tok) : NULL;
}
