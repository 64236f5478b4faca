/* sim_kube list: selectors, namespaces, limit/continue paging, Table. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "latticectl/json.h"
#include "latticectl/xmalloc.h"
#include "kube_int.h"

/* What one list request asks for. */
struct skube_listq {
	struct skube_sel	 lsel;
	struct skube_sel	 fsel;
	const char	*ns;
	long		 limit;		/* 0: all */
	char		*start;		/* continue: first key > start */
	uint64_t	 rv;		/* resourceVersion to report */
};

/* Encode a continue token: base64 of {"rv":N,"start":"key"} (caller frees). */
static char *
skube_continue_encode(uint64_t rv, const char *key)
{
	cJSON	*t = cJSON_CreateObject();
	char	*txt, *out, *p;

	cJSON_AddNumberToObject(t, "rv", (double)rv);
	cJSON_AddStringToObject(t, "start", key);
	txt = json_print(t);
	out = skube_b64(txt, strlen(txt));
	free(txt);
	cJSON_Delete(t);
	for (p = out; *p != '\0'; p++) {	/* base64url, no padding */
		if (*p == '+')
			*p = '-';
		else if (*p == '/')
			*p = '_';
		else if (*p == '=')
			*p = '\0';
	}
	return out;
}

/* Decode a continue token into rv and start key. */
static int
skube_continue_decode(const char *tok, uint64_t *rv, char **start)
{
	unsigned char	*buf;
	char		*std;
	cJSON		*t;
	size_t		 len = strlen(tok), i;
	int		 n, rc = -1;
	int64_t		 v;

	if (len == 0 || len > 4096 || len % 4 == 1)
		return -1;
	std = xmalloc(len + 4);
	for (i = 0; i < len; i++)
		std[i] = tok[i] == '-' ? '+' : tok[i] == '_' ? '/' : tok[i];
	while (i % 4 != 0)
		std[i++] = '=';
	buf = xmalloc(i);
	n = EVP_DecodeBlock(buf, (const unsigned char *)std, (int)i);
	free(std);
	while (n > 0 && buf[n - 1] == '\0')
		n--;
	t = n > 0 ? json_parse((char *)buf, n, "continue", NULL) : NULL;
	if (t != NULL && json_int(t, "rv", &v) == 0 && v >= 0 &&
	    json_str(t, "start") != NULL) {
		*rv = (uint64_t)v;
		*start = xstrdup(json_str(t, "start"));
		rc = 0;
	}
	cJSON_Delete(t);
	free(buf);
	return rc;
}

/* Parse selectors, limit and continue; -1 with e set. */
static int
skube_listq_parse(struct sim_kube *k, struct skube_req *r,
    struct skube_listq *lq, struct skube_err *e)
{
	const char	*v;
	char		*cause = NULL;

	memset(lq, 0, sizeof *lq);
	lq->ns = r->ns;
	lq->rv = k->rv;
	if (skube_sel_parse(&lq->lsel, skube_query_get(&r->q, "labelSelector"),
	    0, &cause) != 0 || skube_sel_parse(&lq->fsel, skube_query_get(&r->q,
	    "fieldSelector"), 1, &cause) != 0) {
		skube_err_set(e, 400, "BadRequest", "unable to parse "
		    "requirement: %s", cause);
		free(cause);
		return -1;
	}
	if ((v = skube_query_get(&r->q, "limit")) != NULL)
		lq->limit = strtol(v, NULL, 10);
	if (lq->limit < 0 || lq->limit > KUBE_MAX_LIST)
		lq->limit = 0;
	v = skube_query_get(&r->q, "continue");
	if (v != NULL && *v != '\0') {
		if (skube_continue_decode(v, &lq->rv, &lq->start) != 0)
			return skube_err_set(e, 400, "BadRequest",
			    "continue key is not valid: illegal base64 data");
		if (lq->rv < r->rt->store->compacted_rv)
			return skube_err_set(e, 410, "Expired", "The provided "
			    "continue parameter is too old to display a "
			    "consistent list result. You can start a new list "
			    "without the continue parameter, or use the "
			    "continue token in this response to retrieve the "
			    "remainder of the results.");
	}
	return 0;
}

/* Release a parsed list query. */
static void
skube_listq_free(struct skube_listq *lq)
{
	skube_sel_free(&lq->lsel);
	skube_sel_free(&lq->fsel);
	free(lq->start);
}

/* The first index to scan and the key prefix to stay in. */
static size_t
skube_list_first(const struct skube_store *st, const struct skube_listq *lq,
    char **prefix)
{
	size_t	i, j;

	*prefix = NULL;
	if (st->namespaced && lq->ns != NULL)
		xasprintf(prefix, "%s/", lq->ns);
	i = skube_store_lower(st, *prefix != NULL ? *prefix : "");
	if (lq->start != NULL) {
		j = skube_store_lower(st, lq->start);
		if (j < st->n && strcmp(st->v[j].key, lq->start) == 0)
			j++;
		if (j > i)
			i = j;
	}
	return i;
}

/* Collect the matching objects (borrowed) of one page; *next is the key
 * of the last one when more follow. */
static const cJSON **
skube_list_collect(struct skube_store *st, const struct skube_listq *lq,
    size_t *n, char **next, long *remaining)
{
	const cJSON	**v = NULL;
	char		 *prefix;
	size_t		  i;

	*n = 0;
	*next = NULL;
	*remaining = 0;
	for (i = skube_list_first(st, lq, &prefix); i < st->n; i++) {
		if (prefix != NULL && strncmp(st->v[i].key, prefix,
		    strlen(prefix)) != 0)
			break;
		if (!skube_sel_match(&lq->lsel, st->v[i].obj) ||
		    !skube_sel_match(&lq->fsel, st->v[i].obj))
			continue;
		if (lq->limit > 0 && *n == (size_t)lq->limit) {
			(*remaining)++;
			continue;
		}
		v = xreallocarray(v, *n + 1, sizeof *v);
		v[(*n)++] = st->v[i].obj;
	}
	free(prefix);
	if (*remaining > 0)
		*next = skube_store_key(st->namespaced ?
		    skube_ns(v[*n - 1]) : NULL, skube_name(v[*n - 1]));
	return v;
}

/* The metadata-only form of an object (Table rows). */
static cJSON *
skube_partial(const cJSON *obj)
{
	cJSON	*p = cJSON_CreateObject();

	cJSON_AddStringToObject(p, "kind", "PartialObjectMetadata");
	cJSON_AddStringToObject(p, "apiVersion", "meta.k8s.io/v1");
	cJSON_AddItemToObject(p, "metadata", cJSON_Duplicate(json_path(obj,
	    "metadata"), 1));
	return p;
}

/* A Table of the given (stored) objects. */
cJSON *
skube_table(const struct skube_rtype *rt, const cJSON **objs, size_t n,
    int with_defs, const struct skube_query *q)
{
	cJSON		*t, *rows, *row, *cells;
	const char	*inc = q != NULL ? skube_query_get(q, "includeObject") :
	    NULL;
	size_t		 i;

	t = cJSON_CreateObject();
	cJSON_AddStringToObject(t, "kind", "Table");
	cJSON_AddStringToObject(t, "apiVersion", "meta.k8s.io/v1");
	cJSON_AddItemToObject(t, "metadata", cJSON_CreateObject());
	cells = cJSON_AddArrayToObject(t, "columnDefinitions");
	if (with_defs)
		skube_table_columns(rt, cells);
	rows = cJSON_AddArrayToObject(t, "rows");
	for (i = 0; i < n; i++) {
		row = cJSON_CreateObject();
		cells = cJSON_AddArrayToObject(row, "cells");
		skube_table_cells(rt, objs[i], cells);
		if (inc != NULL && strcmp(inc, "Object") == 0)
			cJSON_AddItemToObject(row, "object",
			    skube_out(rt, objs[i]));
		else if (inc == NULL || strcmp(inc, "None") != 0)
			cJSON_AddItemToObject(row, "object",
			    skube_partial(objs[i]));
		cJSON_AddItemToArray(rows, row);
	}
	return t;
}

/* A plain XList of the given (stored) objects. */
static cJSON *
skube_plain_list(const struct skube_rtype *rt, const cJSON **objs, size_t n)
{
	cJSON	*l, *items;
	char	*av = skube_apiversion(rt);
	size_t	 i;

	l = cJSON_CreateObject();
	cJSON_AddStringToObject(l, "kind", rt->list_kind);
	cJSON_AddStringToObject(l, "apiVersion", av);
	cJSON_AddItemToObject(l, "metadata", cJSON_CreateObject());
	items = cJSON_AddArrayToObject(l, "items");
	for (i = 0; i < n; i++)
		cJSON_AddItemToArray(items, skube_out(rt, objs[i]));
	free(av);
	return l;
}

/* Answer a list request (lock held). */
void
skube_list(struct sim_kube *k, struct skube_req *r, struct httpd_response *resp)
{
	struct skube_listq	 lq;
	struct skube_err		 e;
	const cJSON		**objs;
	cJSON			*out, *meta;
	char			*next, *tok, rvbuf[32];
	long			 remaining;
	size_t			 n;

	memset(&e, 0, sizeof e);
	if (skube_listq_parse(k, r, &lq, &e) != 0) {
		skube_reply_err(resp, &e);
		skube_err_free(&e);
		skube_listq_free(&lq);
		return;
	}
	objs = skube_list_collect(r->rt->store, &lq, &n, &next, &remaining);
	out = r->table ? skube_table(r->rt, objs, n, 1, &r->q) :
	    skube_plain_list(r->rt, objs, n);
	meta = cJSON_GetObjectItemCaseSensitive(out, "metadata");
	snprintf(rvbuf, sizeof rvbuf, "%llu", (unsigned long long)lq.rv);
	cJSON_AddStringToObject(meta, "resourceVersion", rvbuf);
	if (next != NULL) {
		tok = skube_continue_encode(lq.rv, next);
		cJSON_AddStringToObject(meta, "continue", tok);
		if (lq.lsel.n == 0 && lq.fsel.n == 0)
			cJSON_AddNumberToObject(meta, "remainingItemCount",
			    remaining);
		free(tok);
	}
	skube_reply_json(resp, 200, out);
	free(next);
	free(objs);
	skube_listq_free(&lq);
}
