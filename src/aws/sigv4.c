/* AWS Signature Version 4: canonical request, signing, presigning. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "latticectl/error.h"
#include "latticectl/sigv4.h"
#include "latticectl/strbuf.h"
#include "latticectl/xmalloc.h"

/* One decoded-then-encoded query parameter. */
struct sigv4_pair {
	char	*key;
	char	*value;
};

/* Headers that are never signed: they change on the way to the wire. */
static const char *const sigv4_unsigned_names[] = {
	"authorization", "user-agent", "expect", "transfer-encoding",
	"connection", "x-amzn-trace-id"
};

/* Is c an RFC 3986 unreserved character? */
static int
sigv4_unreserved(unsigned char c)
{
	return (isascii(c) && isalnum(c)) || c == '-' || c == '.' ||
	    c == '_' || c == '~';
}

/* Append len bytes of s percent-encoded; keep_slash / keep_pct pass those. */
static void
sigv4_encode(struct strbuf *sb, const char *s, size_t len, int keep_slash,
    int keep_pct)
{
	static const char	 hex[] = "0123456789ABCDEF";
	unsigned char		 c;
	size_t			 i;

	for (i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		if (sigv4_unreserved(c) || (keep_slash && c == '/') ||
		    (keep_pct && c == '%'))
			strbuf_addc(sb, (char)c);
		else {
			strbuf_addc(sb, '%');
			strbuf_addc(sb, hex[c >> 4]);
			strbuf_addc(sb, hex[c & 0xf]);
		}
	}
}

/* Value of a hex digit, or -1. */
static int
sigv4_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Append len bytes of s with %XX sequences decoded ('+' kept as is). */
static void
sigv4_decode(struct strbuf *sb, const char *s, size_t len)
{
	size_t	i;
	int	hi, lo;

	for (i = 0; i < len; i++) {
		if (s[i] == '%' && i + 2 < len) {
			hi = sigv4_hexval(s[i + 1]);
			lo = sigv4_hexval(s[i + 2]);
			if (hi >= 0 && lo >= 0) {
				strbuf_addc(sb, (char)(hi << 4 | lo));
				i += 2;
				continue;
			}
		}
		strbuf_addc(sb, s[i]);
	}
}

/* Decode then re-encode len bytes of s (query keys and values). */
static char *
sigv4_reencode(const char *s, size_t len)
{
	struct strbuf	dec, enc;
	char		*out;

	strbuf_init(&dec);
	strbuf_init(&enc);
	sigv4_decode(&dec, s, len);
	sigv4_encode(&enc, dec.buf, dec.len, 0, 0);
	strbuf_free(&dec);
	out = strbuf_detach(&enc, NULL);
	return out;
}

/* Is this header left unsigned? */
int
sigv4_header_unsigned(const char *name)
{
	size_t	i;

	for (i = 0; i < sizeof sigv4_unsigned_names /
	    sizeof sigv4_unsigned_names[0]; i++) {
		if (strcasecmp(name, sigv4_unsigned_names[i]) == 0)
			return 1;
	}
	return 0;
}

/* Remove ".", ".." and empty segments the way botocore does. */
static char *
sigv4_normalize_path(const char *path)
{
	struct strbuf	 out;
	const char	*seg, *end;
	size_t		*stack, depth = 0, n, len;

	len = strlen(path);
	stack = xcalloc(len + 1, sizeof *stack);
	strbuf_init(&out);
	for (seg = path; *seg != '\0'; seg = *end == '\0' ? end : end + 1) {
		end = strchr(seg, '/');
		if (end == NULL)
			end = seg + strlen(seg);
		n = (size_t)(end - seg);
		if (n == 0 || (n == 1 && seg[0] == '.'))
			continue;
		if (n == 2 && seg[0] == '.' && seg[1] == '.') {
			if (depth > 0)
				strbuf_truncate(&out, stack[--depth]);
			continue;
		}
		stack[depth++] = out.len;
		if (out.len > 0 || path[0] == '/')
			strbuf_addc(&out, '/');
		strbuf_add(&out, seg, n);
	}
	if (out.len == 0 && path[0] == '/')
		strbuf_addc(&out, '/');
	else if (len > 0 && path[len - 1] == '/' && depth > 0)
		strbuf_addc(&out, '/');
	free(stack);
	return strbuf_detach(&out, NULL);
}

/* The canonical URI of a wire path. */
char *
sigv4_canonical_uri(const char *path, int double_encode, int normalize)
{
	struct strbuf	 out;
	char		*norm;

	if (path == NULL || *path == '\0')
		return xstrdup("/");
	norm = normalize ? sigv4_normalize_path(path) : xstrdup(path);
	strbuf_init(&out);
	if (*norm == '\0')
		strbuf_addc(&out, '/');
	sigv4_encode(&out, norm, strlen(norm), 1, !double_encode);
	free(norm);
	return strbuf_detach(&out, NULL);
}

/* qsort order for query pairs: key, then value. */
static int
sigv4_pair_cmp(const void *a, const void *b)
{
	const struct sigv4_pair	*pa = a, *pb = b;
	int			 c;

	c = strcmp(pa->key, pb->key);
	return c != 0 ? c : strcmp(pa->value, pb->value);
}

/* Split a raw query into re-encoded pairs; returns how many. */
static size_t
sigv4_query_pairs(const char *query, struct sigv4_pair **out)
{
	struct sigv4_pair	*v = NULL;
	const char		*p, *end, *eq;
	size_t			 n = 0;

	for (p = query; *p != '\0'; p = *end == '\0' ? end : end + 1) {
		end = strchr(p, '&');
		if (end == NULL)
			end = p + strlen(p);
		if (end == p)
			continue;
		eq = memchr(p, '=', (size_t)(end - p));
		v = xreallocarray(v, n + 1, sizeof *v);
		if (eq == NULL) {
			v[n].key = sigv4_reencode(p, (size_t)(end - p));
			v[n].value = xstrdup("");
		} else {
			v[n].key = sigv4_reencode(p, (size_t)(eq - p));
			v[n].value = sigv4_reencode(eq + 1,
			    (size_t)(end - eq - 1));
		}
		n++;
	}
	*out = v;
	return n;
}

/* The canonical query string. */
char *
sigv4_canonical_query(const char *query)
{
	struct sigv4_pair	*v;
	struct strbuf		 out;
	size_t			 n, i;

	if (query == NULL)
		return xstrdup("");
	n = sigv4_query_pairs(query, &v);
	if (n > 1)
		qsort(v, n, sizeof *v, sigv4_pair_cmp);
	strbuf_init(&out);
	for (i = 0; i < n; i++) {
		strbuf_addf(&out, "%s%s=%s", i == 0 ? "" : "&", v[i].key,
		    v[i].value);
		free(v[i].key);
		free(v[i].value);
	}
	free(v);
	return strbuf_detach(&out, NULL);
}

/* Append a header value trimmed, with inner whitespace runs folded. */
static void
sigv4_add_value(struct strbuf *sb, const char *value)
{
	const char	*p;
	int		 space = 0, any = 0;

	for (p = value; *p != '\0'; p++) {
		if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n' ||
		    *p == '\v' || *p == '\f') {
			space = 1;
			continue;
		}
		if (space && any)
			strbuf_addc(sb, ' ');
		strbuf_addc(sb, *p);
		space = 0;
		any = 1;
	}
}

/* qsort order for header names. */
static int
sigv4_name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Lower-case, sorted, de-duplicated names from a "a;b" list or from the
 * headers (unsigned ones skipped); returns how many. */
static size_t
sigv4_header_names(const char *list, const struct http_headers *h,
    char ***out)
{
	char		**v = NULL, *name, *p;
	const char	 *s, *end;
	size_t		  n = 0, i, k;

	for (i = 0; list == NULL && h != NULL && i < h->n; i++) {
		if (sigv4_header_unsigned(h->v[i].name))
			continue;
		v = xreallocarray(v, n + 1, sizeof *v);
		v[n++] = xstrdup(h->v[i].name);
	}
	for (s = list; s != NULL && *s != '\0'; s = *end == '\0' ? end : end + 1) {
		end = strchr(s, ';');
		if (end == NULL)
			end = s + strlen(s);
		if (end == s)
			continue;
		v = xreallocarray(v, n + 1, sizeof *v);
		v[n++] = xstrndup(s, (size_t)(end - s));
	}
	for (i = 0; i < n; i++) {
		for (p = v[i]; *p != '\0'; p++)
			*p = (char)tolower((unsigned char)*p);
	}
	if (n > 1)
		qsort(v, n, sizeof *v, sigv4_name_cmp);
	for (i = 0, k = 0; i < n; i++) {
		name = v[i];
		if (k > 0 && strcmp(v[k - 1], name) == 0)
			free(name);
		else
			v[k++] = name;
	}
	*out = v;
	return k;
}

/* Append the canonical header lines and collect the signed list. */
static void
sigv4_add_headers(struct strbuf *sb, const struct http_headers *h,
    const char *list, struct strbuf *signed_list)
{
	char	**names;
	size_t	  n, i, j;
	int	  first;

	n = sigv4_header_names(list, h, &names);
	for (i = 0; i < n; i++) {
		strbuf_addf(sb, "%s:", names[i]);
		first = 1;
		for (j = 0; h != NULL && j < h->n; j++) {
			if (strcasecmp(h->v[j].name, names[i]) != 0)
				continue;
			if (!first)
				strbuf_addc(sb, ',');
			sigv4_add_value(sb, h->v[j].value);
			first = 0;
		}
		strbuf_addc(sb, '\n');
		strbuf_addf(signed_list, "%s%s", i == 0 ? "" : ";", names[i]);
		free(names[i]);
	}
	free(names);
}

/* The signed-headers list for a set of headers. */
char *
sigv4_signed_headers(const struct http_headers *h)
{
	struct strbuf	sb, list;

	strbuf_init(&sb);
	strbuf_init(&list);
	sigv4_add_headers(&sb, h, NULL, &list);
	strbuf_free(&sb);
	return strbuf_detach(&list, NULL);
}

/* The payload hash a request signs with (out: 65 bytes). */
static void
sigv4_payload_hash(const struct sigv4_request *req, char out[65])
{
	const char	*h = NULL;

	if (req->payload_hash != NULL)
		h = req->payload_hash;
	else if (req->headers != NULL)
		h = http_headers_get(req->headers, "x-amz-content-sha256");
	if (h != NULL) {
		snprintf(out, 65, "%s", h);
		return;
	}
	sigv4_sha256_hex(req->payload == NULL ? "" : req->payload,
	    req->payload == NULL ? 0 : req->payload_len, out);
}

/* Build the canonical request; *signed_out gets the signed list. */
static char *
sigv4_build_canonical(const struct sigv4_params *p,
    const struct sigv4_request *req, const char *list, char **signed_out)
{
	struct strbuf	 sb, signed_list;
	char		*uri, *query, hash[65];

	uri = sigv4_canonical_uri(req->path, !p->no_double_encode,
	    !p->no_normalize);
	query = sigv4_canonical_query(req->query);
	sigv4_payload_hash(req, hash);
	strbuf_init(&sb);
	strbuf_init(&signed_list);
	strbuf_addf(&sb, "%s\n%s\n%s\n", req->method, uri, query);
	sigv4_add_headers(&sb, req->headers, list, &signed_list);
	strbuf_addf(&sb, "\n%s\n%s", strbuf_str(&signed_list), hash);
	free(uri);
	free(query);
	if (signed_out != NULL)
		*signed_out = strbuf_detach(&signed_list, NULL);
	else
		strbuf_free(&signed_list);
	return strbuf_detach(&sb, NULL);
}

/* The canonical request for the headers signed_headers names. */
char *
sigv4_canonical_request(const struct sigv4_params *p,
    const struct sigv4_request *req, const char *signed_headers)
{
	return sigv4_build_canonical(p, req, signed_headers, NULL);
}

/* Format t as 20150830T123600Z. */
void
sigv4_amz_date(time_t t, char out[17])
{
	struct tm	tm;

	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(out, 17, "%Y%m%dT%H%M%SZ", &tm) != 16)
		snprintf(out, 17, "19700101T000000Z");
}

/* The credential scope for an amz date (its first 8 characters). */
char *
sigv4_scope(const char *amz_date, const char *region, const char *service)
{
	char	*s;

	xasprintf(&s, "%.8s/%s/%s/aws4_request", amz_date, region, service);
	return s;
}

/* The string to sign. */
char *
sigv4_string_to_sign(const char *amz_date, const char *scope,
    const char *canonical_request)
{
	char	 hash[65], *s;

	sigv4_sha256_hex(canonical_request, strlen(canonical_request), hash);
	xasprintf(&s, "%s\n%s\n%s\n%s", SIGV4_ALGORITHM, amz_date, scope, hash);
	return s;
}

/* One HMAC-SHA256 step of the key derivation. */
static void
sigv4_hmac(const void *key, size_t keylen, const char *msg,
    unsigned char out[32])
{
	unsigned int	len = 32;

	if (HMAC(EVP_sha256(), key, (int)keylen, (const unsigned char *)msg,
	    strlen(msg), out, &len) == NULL)
		abort();
}

/* Derive the signing key for date, region and service. */
void
sigv4_signing_key(const char *secret, const char *date, const char *region,
    const char *service, unsigned char key[32])
{
	unsigned char	 k[32];
	char		*first, day[9];

	snprintf(day, sizeof day, "%.8s", date);
	xasprintf(&first, "AWS4%s", secret);
	sigv4_hmac(first, strlen(first), day, k);
	OPENSSL_cleanse(first, strlen(first));
	free(first);
	sigv4_hmac(k, 32, region, k);
	sigv4_hmac(k, 32, service, k);
	sigv4_hmac(k, 32, "aws4_request", key);
	OPENSSL_cleanse(k, sizeof k);
}

/* Write 32 bytes as lower-case hex. */
static void
sigv4_hex(const unsigned char *b, size_t n, char *out)
{
	static const char	hex[] = "0123456789abcdef";
	size_t			i;

	for (i = 0; i < n; i++) {
		out[2 * i] = hex[b[i] >> 4];
		out[2 * i + 1] = hex[b[i] & 0xf];
	}
	out[2 * n] = '\0';
}

/* Hex HMAC-SHA256 of msg under the signing key. */
void
sigv4_signature(const unsigned char key[32], const char *msg, char out[65])
{
	unsigned char	mac[32];

	sigv4_hmac(key, 32, msg, mac);
	sigv4_hex(mac, 32, out);
}

/* Hex SHA-256 of data. */
void
sigv4_sha256_hex(const void *data, size_t len, char out[65])
{
	unsigned char	md[32];
	unsigned int	mdlen = 32;

	if (EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL) != 1)
		abort();
	sigv4_hex(md, 32, out);
}

/* Constant-time string equality (the length is not secret). */
int
sigv4_equal(const char *a, const char *b)
{
	size_t	la, lb;

	if (a == NULL || b == NULL)
		return 0;
	la = strlen(a);
	lb = strlen(b);
	if (la != lb)
		return 0;
	return CRYPTO_memcmp(a, b, la) == 0;
}

/* Release what a signing reported. */
void
sigv4_result_free(struct sigv4_result *res)
{
	if (res == NULL)
		return;
	free(res->canonical_request);
	free(res->string_to_sign);
	free(res->signed_headers);
	memset(res, 0, sizeof *res);
}

/* Check what every signing needs. */
static int
sigv4_check(const struct sigv4_params *p, const struct sigv4_request *req,
    char **cause)
{
	if (p->access_key == NULL || p->secret_key == NULL ||
	    *p->access_key == '\0' || *p->secret_key == '\0')
		return error_set(cause, "sigv4: no credentials to sign with");
	if (p->region == NULL || p->service == NULL)
		return error_set(cause, "sigv4: region and service are required");
	if (req->method == NULL || req->headers == NULL)
		return error_set(cause, "sigv4: request has no method or headers");
	if (http_headers_get(req->headers, "host") == NULL)
		return error_set(cause, "sigv4: request has no Host header");
	return 0;
}

/* Sign the canonical request into sig; res (or free) takes creq, list. */
static void
sigv4_finish(const struct sigv4_params *p, const char *amz_date,
    const char *scope, char *creq, char *signed_list,
    struct sigv4_result *res, char sig[65])
{
	unsigned char	 key[32];
	char		*sts;

	sts = sigv4_string_to_sign(amz_date, scope, creq);
	sigv4_signing_key(p->secret_key, amz_date, p->region, p->service, key);
	sigv4_signature(key, sts, sig);
	OPENSSL_cleanse(key, sizeof key);
	if (res != NULL) {
		res->canonical_request = creq;
		res->string_to_sign = sts;
		res->signed_headers = signed_list;
		memcpy(res->signature, sig, 65);
		return;
	}
	free(creq);
	free(sts);
	free(signed_list);
}

/* Header signing, reporting the intermediates in res. */
int
sigv4_sign_result(const struct sigv4_params *p, struct sigv4_request *req,
    struct sigv4_result *res, char **cause)
{
	char	 amz_date[17], hash[65], sig[65], *scope, *creq, *list, *auth;
	char	*hdr;

	if (res != NULL)
		memset(res, 0, sizeof *res);
	if (sigv4_check(p, req, cause) != 0)
		return -1;
	sigv4_amz_date(p->now, amz_date);
	http_headers_del(req->headers, "authorization");
	http_headers_set(req->headers, "X-Amz-Date", amz_date);
	if (p->session_token != NULL && !p->omit_session_token)
		http_headers_set(req->headers, "X-Amz-Security-Token",
		    p->session_token);
	else
		http_headers_del(req->headers, "x-amz-security-token");
	if (p->sign_body_header) {
		sigv4_payload_hash(req, hash);
		http_headers_set(req->headers, "x-amz-content-sha256", hash);
	}
	scope = sigv4_scope(amz_date, p->region, p->service);
	creq = sigv4_build_canonical(p, req, NULL, &list);
	xasprintf(&auth, "%s Credential=%s/%s, SignedHeaders=%s, Signature=",
	    SIGV4_ALGORITHM, p->access_key, scope, list);
	sigv4_finish(p, amz_date, scope, creq, list, res, sig);
	free(scope);
	xasprintf(&hdr, "%s%s", auth, sig);
	http_headers_set(req->headers, "Authorization", hdr);
	free(hdr);
	free(auth);
	if (p->session_token != NULL && p->omit_session_token)
		http_headers_set(req->headers, "X-Amz-Security-Token",
		    p->session_token);
	return 0;
}

/* Header signing. */
int
sigv4_sign(const struct sigv4_params *p, struct sigv4_request *req,
    char **cause)
{
	return sigv4_sign_result(p, req, NULL, cause);
}

/* Append "&key=value" (value encoded) to a query under construction. */
static void
sigv4_query_add(struct strbuf *q, const char *key, const char *value)
{
	if (q->len > 0)
		strbuf_addc(q, '&');
	strbuf_addf(q, "%s=", key);
	sigv4_encode(q, value, strlen(value), 0, 0);
}

/* Presigning, reporting the intermediates in res. */
int
sigv4_presign_result(const struct sigv4_params *p,
    const struct sigv4_request *req, char **query_out,
    struct sigv4_result *res, char **cause)
{
	struct sigv4_request	 r = *req;
	struct strbuf		 q;
	char			 amz_date[17], sig[65], expires[32];
	char			*scope, *cred, *list, *creq;

	if (res != NULL)
		memset(res, 0, sizeof *res);
	*query_out = NULL;
	if (sigv4_check(p, req, cause) != 0)
		return -1;
	sigv4_amz_date(p->now, amz_date);
	scope = sigv4_scope(amz_date, p->region, p->service);
	xasprintf(&cred, "%s/%s", p->access_key, scope);
	list = sigv4_signed_headers(req->headers);
	snprintf(expires, sizeof expires, "%ld", p->expires > 0 ?
	    p->expires : 3600L);
	strbuf_init(&q);
	if (req->query != NULL)
		strbuf_adds(&q, req->query);
	sigv4_query_add(&q, "X-Amz-Algorithm", SIGV4_ALGORITHM);
	sigv4_query_add(&q, "X-Amz-Credential", cred);
	sigv4_query_add(&q, "X-Amz-Date", amz_date);
	sigv4_query_add(&q, "X-Amz-Expires", expires);
	sigv4_query_add(&q, "X-Amz-SignedHeaders", list);
	if (p->session_token != NULL && !p->omit_session_token)
		sigv4_query_add(&q, "X-Amz-Security-Token", p->session_token);
	r.query = q.buf;
	creq = sigv4_build_canonical(p, &r, list, NULL);
	sigv4_finish(p, amz_date, scope, creq, list, res, sig);
	if (p->session_token != NULL && p->omit_session_token)
		sigv4_query_add(&q, "X-Amz-Security-Token", p->session_token);
	sigv4_query_add(&q, "X-Amz-Signature", sig);
	*query_out = strbuf_detach(&q, NULL);
	free(scope);
	free(cred);
	return 0;
}

/* Presigning. */
int
sigv4_presign(const struct sigv4_params *p, const struct sigv4_request *req,
    char **query_out, char **cause)
{
	return sigv4_presign_result(p, req, query_out, NULL, cause);
}
