/* Helpers of the simulated EC2, IAM, STS and EKS: query parameters,
 * filters, the XML writer, IDs, encodings and policy documents. */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <openssl/evp.h>

#include "latticectl/json.h"
#include "latticectl/rand.h"
#include "latticectl/xmalloc.h"

#include "aws_svc_int.h"

/* Move the pairs of src to the end of dst (src is left empty). */
static void
svc_params_append(struct sim_aws_params *dst, struct sim_aws_params *src)
{
	size_t	i;

	dst->name = xreallocarray(dst->name, dst->n + src->n + 1,
	    sizeof *dst->name);
	dst->value = xreallocarray(dst->value, dst->n + src->n + 1,
	    sizeof *dst->value);
	for (i = 0; i < src->n; i++) {
		dst->name[dst->n] = src->name[i];
		dst->value[dst->n++] = src->value[i];
	}
	free(src->name);
	free(src->value);
	memset(src, 0, sizeof *src);
}

/* The query's parameters but X-Amz-*, then the form body's. */
void
sq_params(const struct sim_aws_call *call, struct sim_aws_params *p)
{
	const struct httpd_request	*req = call->req;
	struct sim_aws_params		 q, b;
	size_t				 i;

	memset(p, 0, sizeof *p);
	sim_aws_params_parse(&q, req->query, strlen(req->query));
	for (i = 0; i < q.n; i++) {
		if (strncasecmp(q.name[i], "X-Amz-", 6) == 0) {
			free(q.name[i]);
			free(q.value[i]);
			continue;
		}
		p->name = xreallocarray(p->name, p->n + 1, sizeof *p->name);
		p->value = xreallocarray(p->value, p->n + 1,
		    sizeof *p->value);
		p->name[p->n] = q.name[i];
		p->value[p->n++] = q.value[i];
	}
	free(q.name);
	free(q.value);
	if (req->body != NULL && req->body_len > 0) {
		sim_aws_params_parse(&b, req->body, req->body_len);
		svc_params_append(p, &b);
	}
}

/* The value of a formatted parameter name, or NULL. */
const char *
sq_param(const struct sim_aws_params *p, const char *fmt, ...)
{
	va_list		 ap;
	char		*name;
	const char	*v;

	va_start(ap, fmt);
	xvasprintf(&name, fmt, ap);
	va_end(ap);
	v = sim_aws_param(p, name);
	free(name);
	return v;
}

/* "PREFIX.N[.rest]": N (1..SQ_MAX_INDEX) and whether a rest follows;
 * 0 when name does not have that form. */
static int
svc_index_of(const char *name, const char *prefix, size_t plen, int *rest)
{
	const char	*p;
	long		 n = 0;

	if (strncmp(name, prefix, plen) != 0 || name[plen] != '.')
		return 0;
	p = name + plen + 1;
	if (*p < '1' || *p > '9')
		return 0;
	while (*p >= '0' && *p <= '9' && n <= SQ_MAX_INDEX)
		n = n * 10 + (*p++ - '0');
	if (n > SQ_MAX_INDEX || (*p != '\0' && *p != '.'))
		return 0;
	*rest = *p == '.';
	return (int)n;
}

/* Ascending order of ints. */
static int
svc_cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

/* The distinct N of "PREFIX.N" / "PREFIX.N.*", ascending. */
size_t
sq_indexes(const struct sim_aws_params *p, const char *prefix, int **out)
{
	size_t	 i, j, n = 0, plen = strlen(prefix);
	int	*v = NULL, k, rest;

	for (i = 0; i < p->n; i++) {
		if ((k = svc_index_of(p->name[i], prefix, plen, &rest)) == 0)
			continue;
		for (j = 0; j < n && v[j] != k; j++)
			;
		if (j < n)
			continue;
		v = xreallocarray(v, n + 1, sizeof *v);
		v[n++] = k;
	}
	if (n > 1)
		qsort(v, n, sizeof *v, svc_cmp_int);
	*out = v;
	return n;
}

/* The values of "PREFIX.N" by N. */
size_t
sq_list(const struct sim_aws_params *p, const char *prefix,
    const char ***out)
{
	int		*idx;
	size_t		 n, i;
	const char	**v;

	n = sq_indexes(p, prefix, &idx);
	v = xcalloc(n + 1, sizeof *v);
	for (i = 0; i < n; i++) {
		v[i] = sq_param(p, "%s.%d", prefix, idx[i]);
		if (v[i] == NULL)
			v[i] = "";
	}
	free(idx);
	*out = v;
	return n;
}

/* Add a copy of s. */
void
sq_strv_add(struct sq_strv *sv, const char *s)
{
	sv->v = xreallocarray(sv->v, sv->n + 1, sizeof *sv->v);
	sv->v[sv->n++] = xstrdup(s);
}

/* Add a formatted string. */
void
sq_strv_addf(struct sq_strv *sv, const char *fmt, ...)
{
	va_list	 ap;
	char	*s;

	va_start(ap, fmt);
	xvasprintf(&s, fmt, ap);
	va_end(ap);
	sv->v = xreallocarray(sv->v, sv->n + 1, sizeof *sv->v);
	sv->v[sv->n++] = s;
}

/* Free the strings and the vector. */
void
sq_strv_free(struct sq_strv *sv)
{
	size_t	i;

	for (i = 0; i < sv->n; i++)
		free(sv->v[i]);
	free(sv->v);
	sv->v = NULL;
	sv->n = 0;
}

/* Is s in the vector? */
int
sq_strv_has(const struct sq_strv *sv, const char *s)
{
	size_t	i;

	for (i = 0; i < sv->n; i++) {
		if (strcmp(sv->v[i], s) == 0)
			return 1;
	}
	return 0;
}

/* Parse Filter.N.Name / Filter.N.Value.M. */
int
sq_filters_parse(const struct sim_aws_params *p, struct sq_filters *f,
    int *bad)
{
	int		*idx;
	size_t		 n, i;
	char		 pre[64];

	memset(f, 0, sizeof *f);
	n = sq_indexes(p, "Filter", &idx);
	f->v = xcalloc(n + 1, sizeof *f->v);
	for (i = 0; i < n; i++) {
		f->v[i].name = sq_param(p, "Filter.%d.Name", idx[i]);
		snprintf(pre, sizeof pre, "Filter.%d.Value", idx[i]);
		f->v[i].n = sq_list(p, pre, &f->v[i].values);
		f->n++;
		if (f->v[i].name == NULL || f->v[i].n == 0) {
			*bad = idx[i];
			free(idx);
			return -1;
		}
	}
	free(idx);
	return 0;
}

/* Free parsed filters. */
void
sq_filters_free(struct sq_filters *f)
{
	size_t	i;

	for (i = 0; i < f->n; i++)
		free(f->v[i].values);
	free(f->v);
	memset(f, 0, sizeof *f);
}

/* Do two characters match (case-folded when icase)? */
static int
svc_chr_eq(char a, char b, int icase)
{
	if (icase)
		return tolower((unsigned char)a) == tolower((unsigned char)b);
	return a == b;
}

/* Glob match: '*' any run, '?' one character. */
int
sq_glob(const char *pat, const char *s, int icase)
{
	const char	*star = NULL, *mark = NULL;

	while (*s != '\0') {
		if (*pat == '*') {
			star = pat++;
			mark = s;
		} else if (*pat != '\0' && (*pat == '?' ||
		    svc_chr_eq(*pat, *s, icase))) {
			pat++;
			s++;
		} else if (star != NULL) {
			pat = star + 1;
			s = ++mark;
		} else
			return 0;
	}
	while (*pat == '*')
		pat++;
	return *pat == '\0';
}

/* An integer parameter within [lo, hi]. */
int
sq_int(const struct sim_aws_params *p, const char *name, long def, long lo,
    long hi, long *out)
{
	const char	*v = sim_aws_param(p, name);
	char		*end;
	long		 n;

	*out = def;
	if (v == NULL)
		return 0;
	n = strtol(v, &end, 10);
	if (*v == '\0' || *end != '\0' || n < lo || n > hi)
		return -1;
	*out = n;
	return 0;
}

/* A boolean parameter. */
int
sq_bool(const struct sim_aws_params *p, const char *name, int def)
{
	const char	*v = sim_aws_param(p, name);

	if (v == NULL)
		return def;
	return strcasecmp(v, "true") == 0;
}

/* A string member, "" when missing. */
const char *
sq_s(const cJSON *rec, const char *key)
{
	const char	*s = json_str(rec, key);

	return s != NULL ? s : "";
}

/* Begin a document with its root element and namespace. */
void
xw_begin(struct xw *x, const char *root, const char *xmlns)
{
	x->buf = xmlBufferCreate();
	x->w = xmlNewTextWriterMemory(x->buf, 0);
	if (x->buf == NULL || x->w == NULL) {
		fprintf(stderr, "latticectl: xml writer: out of memory\n");
		abort();
	}
	xmlTextWriterStartDocument(x->w, NULL, "UTF-8", NULL);
	xmlTextWriterStartElement(x->w, BAD_CAST root);
	if (xmlns != NULL)
		xmlTextWriterWriteAttribute(x->w, BAD_CAST "xmlns",
		    BAD_CAST xmlns);
}

/* Open an element. */
void
xw_open(struct xw *x, const char *name)
{
	xmlTextWriterStartElement(x->w, BAD_CAST name);
}

/* Close the innermost open element. */
void
xw_close(struct xw *x)
{
	xmlTextWriterFullEndElement(x->w);
}

/* <name>value</name>; characters XML cannot carry become '?'. */
void
xw_str(struct xw *x, const char *name, const char *value)
{
	char	*clean;
	size_t	 i;

	if (value == NULL)
		return;
	clean = xstrdup(value);
	for (i = 0; clean[i] != '\0'; i++) {
		unsigned char c = (unsigned char)clean[i];

		if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
			clean[i] = '?';
	}
	xmlTextWriterStartElement(x->w, BAD_CAST name);
	xmlTextWriterWriteString(x->w, BAD_CAST clean);
	xmlTextWriterFullEndElement(x->w);
	free(clean);
}

/* <name>formatted</name>. */
void
xw_fmt(struct xw *x, const char *name, const char *fmt, ...)
{
	va_list	 ap;
	char	*s;

	va_start(ap, fmt);
	xvasprintf(&s, fmt, ap);
	va_end(ap);
	xw_str(x, name, s);
	free(s);
}

/* <name>true|false</name>. */
void
xw_bool(struct xw *x, const char *name, int v)
{
	xw_str(x, name, v ? "true" : "false");
}

/* <name>N</name>. */
void
xw_long(struct xw *x, const char *name, long v)
{
	xw_fmt(x, name, "%ld", v);
}

/* End the document and return its text. */
char *
xw_finish(struct xw *x)
{
	char	*out;

	xmlTextWriterEndDocument(x->w);
	xmlFreeTextWriter(x->w);
	out = xstrdup((const char *)xmlBufferContent(x->buf));
	xmlBufferFree(x->buf);
	x->w = NULL;
	x->buf = NULL;
	return out;
}

/* Finish and answer 200. */
void
xw_reply(struct sim_aws_call *call, struct xw *x)
{
	char	*xml = xw_finish(x);

	sim_aws_reply_xml(call, 200, xml);
	free(xml);
}

/* <ACTIONResponse xmlns=EC2><requestId>. */
void
sim_ec2_begin(struct sim_aws_call *call, struct xw *x, const char *action)
{
	char	root[128];

	snprintf(root, sizeof root, "%sResponse", action);
	xw_begin(x, root, EC2_XMLNS);
	xw_str(x, "requestId", call->request_id);
}

/* <ACTIONResponse xmlns><ACTIONResult>. */
void
sq_query_begin(struct sim_aws_call *call, struct xw *x, const char *xmlns,
    const char *action, int result)
{
	char	name[128];

	(void)call;
	snprintf(name, sizeof name, "%sResponse", action);
	xw_begin(x, name, xmlns);
	if (result) {
		snprintf(name, sizeof name, "%sResult", action);
		xw_open(x, name);
	}
}

/* Close the result, add ResponseMetadata and answer. */
void
sq_query_end(struct sim_aws_call *call, struct xw *x, int result)
{
	if (result)
		xw_close(x);
	xw_open(x, "ResponseMetadata");
	xw_str(x, "RequestId", call->request_id);
	xw_close(x);
	xw_reply(call, x);
}

/* "PREFIX-" + 17 lower-case hex digits. */
void
sq_hex_id(char *out, size_t len, const char *prefix)
{
	char	rnd[18];

	sim_aws_rand_chars(rnd, 17, 1);
	snprintf(out, len, "%s-%s", prefix, rnd);
}

/* PREFIX + 17 of [A-Z0-9]. */
void
sq_iam_id(char out[22], const char *prefix)
{
	char	rnd[18];
	size_t	i;

	sim_aws_rand_chars(rnd, 17, 0);
	for (i = 0; i < 17; i++)
		rnd[i] = (char)toupper((unsigned char)rnd[i]);
	snprintf(out, 22, "%.4s%s", prefix, rnd);
}

/* n upper-case hex digits (out: n + 1). */
void
sq_upper_hex(char *out, size_t n)
{
	size_t	i;

	sim_aws_rand_chars(out, n, 1);
	for (i = 0; i < n; i++)
		out[i] = (char)toupper((unsigned char)out[i]);
}

/* Standard base64 of len bytes. */
char *
sq_b64(const void *data, size_t len)
{
	char	*out;

	out = xmalloc(4 * ((len + 2) / 3) + 1);
	EVP_EncodeBlock((unsigned char *)out, data, (int)len);
	return out;
}

/* Base64 of nbytes random bytes. */
char *
sq_rand_b64(size_t nbytes)
{
	unsigned char	*b;
	char		*out;

	b = xmalloc(nbytes);
	rand_bytes(b, nbytes);
	out = sq_b64(b, nbytes);
	free(b);
	return out;
}

/* Decode base64 or base64url, padding optional; NULL when malformed. */
unsigned char *
sq_b64url_decode(const char *s, size_t len, size_t *outlen)
{
	char		*t;
	unsigned char	*out;
	size_t		 i, n, pad;
	int		 got;

	while (len > 0 && s[len - 1] == '=')
		len--;
	if (len % 4 == 1)
		return NULL;
	pad = (4 - len % 4) % 4;
	t = xmalloc(len + pad + 1);
	for (i = 0; i < len; i++) {
		char c = s[i];

		if (c == '-')
			c = '+';
		else if (c == '_')
			c = '/';
		else if (!isalnum((unsigned char)c) && c != '+' && c != '/') {
			free(t);
			return NULL;
		}
		t[i] = c;
	}
	for (n = len; n < len + pad; n++)
		t[n] = '=';
	t[n] = '\0';
	out = xmalloc(n / 4 * 3 + 1);
	got = EVP_DecodeBlock(out, (unsigned char *)t, (int)n);
	free(t);
	if (got < 0 || (size_t)got < pad) {
		free(out);
		return NULL;
	}
	*outlen = (size_t)got - pad;
	out[*outlen] = '\0';
	return out;
}

/* Percent-encode all but the RFC 3986 unreserved characters. */
void
sq_pct_encode(struct strbuf *sb, const char *s)
{
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~')
			strbuf_addc(sb, (char)c);
		else
			strbuf_addf(sb, "%%%02X", c);
	}
}

/* "2026-11-28T06:22:11Z" for epoch ms. */
void
sq_iso_sec(int64_t ms, char out[32])
{
	struct tm	tm;
	time_t		t = (time_t)(ms / 1000);

	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* An opaque page token for an offset. */
char *
sq_token(size_t offset)
{
	char	plain[48];

	snprintf(plain, sizeof plain, "sim-page:%zu", offset);
	return sq_b64(plain, strlen(plain));
}

/* The offset of a page token, or -1. */
long
sq_untoken(const char *tok)
{
	unsigned char	*plain;
	size_t		 n;
	long		 off = -1;
	char		*end;

	if (tok == NULL || strlen(tok) > 64 ||
	    (plain = sq_b64url_decode(tok, strlen(tok), &n)) == NULL)
		return -1;
	if (n > 9 && strncmp((char *)plain, "sim-page:", 9) == 0) {
		off = strtol((char *)plain + 9, &end, 10);
		if (*end != '\0' || off < 0)
			off = -1;
	}
	free(plain);
	return off;
}

/* Check one statement of a policy. */
static int
svc_statement_ok(const cJSON *st, int trust, const char **why)
{
	const char	*effect = json_str(st, "Effect");
	int		 has_principal;

	if (!cJSON_IsObject(st)) {
		*why = "Syntax errors in policy.";
		return 0;
	}
	if (effect == NULL || (strcmp(effect, "Allow") != 0 &&
	    strcmp(effect, "Deny") != 0)) {
		*why = "Policy statement must contain a valid Effect.";
		return 0;
	}
	if (!cJSON_HasObjectItem(st, "Action") &&
	    !cJSON_HasObjectItem(st, "NotAction")) {
		*why = "Policy statement must contain actions.";
		return 0;
	}
	has_principal = cJSON_HasObjectItem(st, "Principal") ||
	    cJSON_HasObjectItem(st, "NotPrincipal");
	if (trust && !has_principal) {
		*why = "AssumeRolepolicy contained an invalid principal "
		    "element.";
		return 0;
	}
	if (!trust && has_principal) {
		*why = "Policy document should not specify a principal.";
		return 0;
	}
	if (!trust && !cJSON_HasObjectItem(st, "Resource") &&
	    !cJSON_HasObjectItem(st, "NotResource")) {
		*why = "Policy statement must contain resources.";
		return 0;
	}
	if (trust && cJSON_HasObjectItem(st, "Resource")) {
		*why = "Has prohibited field Resource";
		return 0;
	}
	return 1;
}

/* Parse and check a policy document. */
cJSON *
sq_policy_parse(const char *text, int trust, const char **why)
{
	cJSON		*doc, *stmts, *st;
	const char	*ver;
	char		*cause = NULL;

	doc = json_parse(text, strlen(text), "policy", &cause);
	free(cause);
	*why = "Syntax errors in policy.";
	if (doc == NULL || !cJSON_IsObject(doc))
		goto bad;
	ver = json_str(doc, "Version");
	if (cJSON_HasObjectItem(doc, "Version") && (ver == NULL ||
	    (strcmp(ver, "2012-10-17") != 0 &&
	    strcmp(ver, "2008-10-17") != 0))) {
		*why = "The policy failed legacy parsing";
		goto bad;
	}
	stmts = cJSON_GetObjectItemCaseSensitive(doc, "Statement");
	if (cJSON_IsObject(stmts)) {
		if (!svc_statement_ok(stmts, trust, why))
			goto bad;
		return doc;
	}
	if (!cJSON_IsArray(stmts) || cJSON_GetArraySize(stmts) == 0) {
		*why = "Policy document must contain a Statement.";
		goto bad;
	}
	cJSON_ArrayForEach(st, stmts) {
		if (!svc_statement_ok(st, trust, why))
			goto bad;
	}
	return doc;
bad:
	cJSON_Delete(doc);
	return NULL;
}

/* Does a string or array element hold a glob matching s? */
int
sq_policy_any(const cJSON *elem, const char *s, int icase)
{
	const cJSON	*e;

	if (cJSON_IsString(elem))
		return sq_glob(elem->valuestring, s, icase);
	if (!cJSON_IsArray(elem))
		return 0;
	cJSON_ArrayForEach(e, elem) {
		if (cJSON_IsString(e) && sq_glob(e->valuestring, s, icase))
			return 1;
	}
	return 0;
}
