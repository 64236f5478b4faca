/* SigV4: the classic AWS suite, the aws-c-auth suite, the Lattice
 * double-encoding case and a botocore cross-check. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sys/stat.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "latticectl/json.h"
#include "latticectl/sigv4.h"
#include "latticectl/strbuf.h"
#include "latticectl/timeutil.h"
#include "latticectl/xmalloc.h"
#include "testlib.h"

#define SUITE_KEY	"AKIDEXAMPLE"
#define SUITE_SECRET	"wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
#define SUITE_TIME	1440938160	/* 2015-08-30T12:36:00Z */
#define LATTICE_TIME	1795847292	/* 2026-11-28T06:28:12Z */
#define LATTICE_HOST	"vpc-lattice.us-west-2.amazonaws.com"
#define LATTICE_ARN_PATH "/tags/arn%3Aaws%3Avpc-lattice%3Aus-west-2%3A" \
	"123456789012%3Aservice%2Fsvc-0123456789abcdef0"

/* A request parsed from a suite's .req / request.txt. */
struct treq {
	char			*method;
	char			*path;
	char			*query;
	struct http_headers	 headers;
	char			*body;
	size_t			 body_len;
};

/* A list of strings (file names). */
struct tlist {
	char	**v;
	size_t	  n;
};

/* Add a copy of s to l. */
static void
tlist_add(struct tlist *l, const char *s)
{
	l->v = xreallocarray(l->v, l->n + 1, sizeof *l->v);
	l->v[l->n++] = xstrdup(s);
}

/* qsort order for strings. */
static int
tlist_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Free l. */
static void
tlist_free(struct tlist *l)
{
	size_t	i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

/* Flush a pending header into r. */
static void
treq_flush(struct treq *r, struct strbuf *name, struct strbuf *value)
{
	if (name->len == 0)
		return;
	http_headers_add(&r->headers, name->buf, strbuf_str(value));
	strbuf_reset(name);
	strbuf_reset(value);
}

/* Parse the request line "METHOD target HTTP/1.1" (target may hold spaces). */
static int
treq_request_line(struct treq *r, const char *line, size_t len)
{
	const char	*sp1, *sp2, *q;
	char		*target;

	sp1 = memchr(line, ' ', len);
	for (sp2 = line + len; sp2 > line && sp2[-1] != ' '; sp2--)
		;
	if (sp1 == NULL || sp2 <= sp1 + 1)
		return -1;
	r->method = xstrndup(line, (size_t)(sp1 - line));
	target = xstrndup(sp1 + 1, (size_t)(sp2 - 1 - (sp1 + 1)));
	if ((q = strchr(target, '?')) != NULL) {
		r->path = xstrndup(target, (size_t)(q - target));
		r->query = xstrdup(q + 1);
	} else
		r->path = xstrdup(target);
	free(target);
	return 0;
}

/* Parse a raw suite request: request line, headers (with continuation
 * lines kept as "\n  more"), blank line, body. */
static int
treq_parse(const char *text, struct treq *r)
{
	struct strbuf	 name = STRBUF_INIT, value = STRBUF_INIT;
	const char	*p = text, *nl, *colon;
	size_t		 len;

	memset(r, 0, sizeof *r);
	strbuf_init(&name);
	strbuf_init(&value);
	nl = strchr(p, '\n');
	len = nl == NULL ? strlen(p) : (size_t)(nl - p);
	if (treq_request_line(r, p, len) != 0)
		return -1;
	p = nl == NULL ? p + len : nl + 1;
	while (*p != '\0') {
		nl = strchr(p, '\n');
		len = nl == NULL ? strlen(p) : (size_t)(nl - p);
		if (len == 0) {
			p = nl + 1;
			r->body = xstrdup(p);
			r->body_len = strlen(p);
			break;
		}
		if (*p == ' ' || *p == '\t') {
			strbuf_addc(&value, '\n');
			strbuf_add(&value, p, len);
		} else if ((colon = memchr(p, ':', len)) != NULL) {
			treq_flush(r, &name, &value);
			strbuf_add(&name, p, (size_t)(colon - p));
			strbuf_add(&value, colon + 1, len - (size_t)(colon - p) - 1);
		}
		p = nl == NULL ? p + len : nl + 1;
	}
	treq_flush(r, &name, &value);
	strbuf_free(&name);
	strbuf_free(&value);
	return 0;
}

/* Free a parsed request. */
static void
treq_free(struct treq *r)
{
	free(r->method);
	free(r->path);
	free(r->query);
	free(r->body);
	http_headers_free(&r->headers);
}

/* A sigv4_request view of a parsed request. */
static struct sigv4_request
treq_view(struct treq *r)
{
	struct sigv4_request	req;

	memset(&req, 0, sizeof req);
	req.method = r->method;
	req.path = r->path;
	req.query = r->query;
	req.headers = &r->headers;
	req.payload = r->body;
	req.payload_len = r->body_len;
	return req;
}

/* Read dir/name with trailing newlines removed, or NULL. */
static char *
tread(const char *dir, const char *name)
{
	char	*path, *s;
	size_t	 len;

	xasprintf(&path, "%s/%s", dir, name);
	s = test_read_file(path, &len);
	free(path);
	while (s != NULL && len > 0 && s[len - 1] == '\n')
		s[--len] = '\0';
	return s;
}

/* Compare, printing both sides on a mismatch; 1 when equal. */
static int
tsame(const char *name, const char *what, const char *got, const char *want)
{
	if (got != NULL && want != NULL && strcmp(got, want) == 0)
		return 1;
	fprintf(stderr, "FAIL %s: %s\n--- got\n%s\n--- want\n%s\n---\n", name,
	    what, got == NULL ? "(null)" : got, want == NULL ? "(null)" : want);
	return 0;
}

/* The value of header line "name:" in a raw request, or NULL. */
static char *
tline_value(const char *text, const char *name)
{
	const char	*p, *nl;
	size_t		 n = strlen(name);

	for (p = text; p != NULL && *p != '\0'; p = nl == NULL ? NULL : nl + 1) {
		nl = strchr(p, '\n');
		if (strncasecmp(p, name, n) == 0 && p[n] == ':') {
			p += n + 1;
			while (*p == ' ')
				p++;
			return xstrndup(p, nl == NULL ? strlen(p) :
			    (size_t)(nl - p));
		}
	}
	return NULL;
}

/* The suite root, or NULL (then the test is skipped). */
static char *
tsuite_dir(const char *name)
{
	const char	*ref = test_reference_dir();
	char		*dir;
	struct stat	 sb;

	if (ref == NULL)
		return NULL;
	xasprintf(&dir, "%s/sigv4/%s", ref, name);
	if (stat(dir, &sb) != 0) {
		free(dir);
		return NULL;
	}
	return dir;
}

/* Collect every *.req under dir (recursively) into l. */
static void
tfind_req(const char *dir, struct tlist *l)
{
	DIR		*d;
	struct dirent	*e;
	struct stat	 sb;
	char		*path;
	size_t		 n;

	if ((d = opendir(dir)) == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		xasprintf(&path, "%s/%s", dir, e->d_name);
		n = strlen(e->d_name);
		if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
			tfind_req(path, l);
		else if (n > 4 && strcmp(e->d_name + n - 4, ".req") == 0)
			tlist_add(l, path);
		free(path);
	}
	closedir(d);
}

/* Params with the suites' fixed inputs. */
static struct sigv4_params
tsuite_params(void)
{
	struct sigv4_params	p;

	memset(&p, 0, sizeof p);
	p.access_key = SUITE_KEY;
	p.secret_key = SUITE_SECRET;
	p.region = "us-east-1";
	p.service = "service";
	p.now = SUITE_TIME;
	return p;
}

/* Run one classic case from its .req path; 1 when it passes. */
static int
tclassic_case(const char *reqpath)
{
	struct sigv4_params	 p = tsuite_params();
	struct sigv4_request	 req;
	struct sigv4_result	 res;
	struct treq		 r;
	char			*base, *dir, *name, *f[5], *token, *cause = NULL;
	const char		*ext[5] = { "req", "creq", "sts", "authz", "sreq" };
	int			 i, ok;

	dir = xstrdup(reqpath);
	*strrchr(dir, '/') = '\0';
	base = strrchr(reqpath, '/') + 1;
	name = xstrndup(base, strlen(base) - 4);
	for (i = 0; i < 5; i++) {
		char	*fn;

		xasprintf(&fn, "%s.%s", name, ext[i]);
		f[i] = tread(dir, fn);
		free(fn);
		assert_non_null(f[i]);
	}
	assert_int_equal(treq_parse(f[0], &r), 0);
	token = tline_value(f[4], "X-Amz-Security-Token");
	p.session_token = token;
	p.omit_session_token = token != NULL &&
	    strstr(f[1], "x-amz-security-token:") == NULL;
	req = treq_view(&r);
	ok = sigv4_sign_result(&p, &req, &res, &cause) == 0;
	ok = ok && tsame(name, "canonical request", res.canonical_request, f[1]);
	ok = ok && tsame(name, "string to sign", res.string_to_sign, f[2]);
	ok = ok && tsame(name, "authorization",
	    http_headers_get(&r.headers, "Authorization"), f[3]);
	if (ok && token != NULL)
		ok = tsame(name, "token header", http_headers_get(&r.headers,
		    "X-Amz-Security-Token"), token);
	sigv4_result_free(&res);
	treq_free(&r);
	for (i = 0; i < 5; i++)
		free(f[i]);
	free(token);
	free(cause);
	free(name);
	free(dir);
	return ok;
}

/* Every case of the classic aws4_testsuite. */
static void
test_classic_suite(void **state)
{
	struct tlist	 l = { NULL, 0 };
	char		*dir;
	size_t		 i, pass = 0;

	(void)state;
	if ((dir = tsuite_dir("aws4_testsuite")) == NULL) {
		printf("SKIP: reference/sigv4/aws4_testsuite not found\n");
		skip();
	}
	tfind_req(dir, &l);
	qsort(l.v, l.n, sizeof *l.v, tlist_cmp);
	for (i = 0; i < l.n; i++)
		pass += (size_t)tclassic_case(l.v[i]);
	printf("sigv4 aws4_testsuite: %zu/%zu passed\n", pass, l.n);
	assert_int_equal(l.n, 34);
	assert_int_equal(pass, l.n);
	tlist_free(&l);
	free(dir);
}

/* Params from an aws-c-auth context.json. */
static void
tcontext_params(const cJSON *ctx, struct sigv4_params *p)
{
	struct timespec	ts;
	int64_t		exp;

	memset(p, 0, sizeof *p);
	p->access_key = json_path_str(ctx, "credentials.access_key_id");
	p->secret_key = json_path_str(ctx, "credentials.secret_access_key");
	p->session_token = json_path_str(ctx, "credentials.token");
	p->region = json_str(ctx, "region");
	p->service = json_str(ctx, "service");
	assert_int_equal(time_parse(json_str(ctx, "timestamp"), &ts), 0);
	p->now = ts.tv_sec;
	p->no_normalize = !json_bool(ctx, "normalize", 1);
	p->sign_body_header = json_bool(ctx, "sign_body", 0);
	p->omit_session_token = json_bool(ctx, "omit_session_token", 0);
	if (json_int(ctx, "expiration_in_seconds", &exp) == 0)
		p->expires = (long)exp;
}

/* The header variant of one aws-c-auth case; 1 when it passes. */
static int
tcauth_header(const char *dir, const char *name, const struct sigv4_params *p)
{
	struct sigv4_request	 req;
	struct sigv4_result	 res;
	struct treq		 r;
	char			*text, *creq, *sts, *sig, *sreq, *authz;
	int			 ok;

	text = tread(dir, "request.txt");
	creq = tread(dir, "header-canonical-request.txt");
	sts = tread(dir, "header-string-to-sign.txt");
	sig = tread(dir, "header-signature.txt");
	sreq = tread(dir, "header-signed-request.txt");
	assert_non_null(text);
	assert_int_equal(treq_parse(text, &r), 0);
	authz = sreq == NULL ? NULL : tline_value(sreq, "Authorization");
	req = treq_view(&r);
	ok = sigv4_sign_result(p, &req, &res, NULL) == 0;
	ok = ok && tsame(name, "header canonical request",
	    res.canonical_request, creq);
	ok = ok && tsame(name, "header string to sign", res.string_to_sign, sts);
	ok = ok && tsame(name, "header signature", res.signature, sig);
	ok = ok && tsame(name, "header authorization",
	    http_headers_get(&r.headers, "Authorization"), authz);
	sigv4_result_free(&res);
	treq_free(&r);
	free(text);
	free(creq);
	free(sts);
	free(sig);
	free(sreq);
	free(authz);
	return ok;
}

/* A query string's parameters, sorted, as one "&"-joined string. */
static char *
tsorted_query(const char *q)
{
	struct tlist	 l = { NULL, 0 };
	struct strbuf	 sb;
	char		*copy, *tok, *save = NULL;
	size_t		 i;

	copy = xstrdup(q);
	for (tok = strtok_r(copy, "&", &save); tok != NULL;
	    tok = strtok_r(NULL, "&", &save))
		tlist_add(&l, tok);
	qsort(l.v, l.n, sizeof *l.v, tlist_cmp);
	strbuf_init(&sb);
	for (i = 0; i < l.n; i++)
		strbuf_addf(&sb, "%s%s", i == 0 ? "" : "&", l.v[i]);
	tlist_free(&l);
	free(copy);
	return strbuf_detach(&sb, NULL);
}

/* The query of a signed request's request line ("GET /p?q HTTP/1.1"). */
static char *
tsigned_query(const char *sreq)
{
	const char	*q, *nl, *end;

	nl = strchr(sreq, '\n');
	if (nl == NULL)
		nl = sreq + strlen(sreq);
	q = memchr(sreq, '?', (size_t)(nl - sreq));
	for (end = nl; end > sreq && end[-1] != ' '; end--)
		;
	if (q == NULL || end <= q + 1)
		return NULL;
	return xstrndup(q + 1, (size_t)(end - 1 - (q + 1)));
}

/* The query (presigned) variant of one aws-c-auth case; 1 when it passes. */
static int
tcauth_query(const char *dir, const char *name, const struct sigv4_params *p)
{
	struct sigv4_request	 req;
	struct sigv4_result	 res;
	struct treq		 r;
	char			*text, *creq, *sts, *sig, *sreq, *out = NULL;
	char			*want_q = NULL, *a = NULL, *b = NULL;
	int			 ok;

	text = tread(dir, "request.txt");
	creq = tread(dir, "query-canonical-request.txt");
	sts = tread(dir, "query-string-to-sign.txt");
	sig = tread(dir, "query-signature.txt");
	sreq = tread(dir, "query-signed-request.txt");
	assert_int_equal(treq_parse(text, &r), 0);
	req = treq_view(&r);
	ok = sigv4_presign_result(p, &req, &out, &res, NULL) == 0;
	ok = ok && tsame(name, "query canonical request",
	    res.canonical_request, creq);
	ok = ok && tsame(name, "query string to sign", res.string_to_sign, sts);
	ok = ok && tsame(name, "query signature", res.signature, sig);
	if (ok && sreq != NULL) {
		want_q = tsigned_query(sreq);
		a = tsorted_query(out);
		b = want_q == NULL ? NULL : tsorted_query(want_q);
		ok = tsame(name, "presigned query", a, b);
	}
	sigv4_result_free(&res);
	treq_free(&r);
	free(text);
	free(creq);
	free(sts);
	free(sig);
	free(sreq);
	free(out);
	free(want_q);
	free(a);
	free(b);
	return ok;
}

/* Every header-* and query-* case of the aws-c-auth v4 suite. */
static void
test_cauth_suite(void **state)
{
	struct tlist	 l = { NULL, 0 };
	struct sigv4_params p;
	DIR		*d;
	struct dirent	*e;
	cJSON		*ctx;
	char		*root, *dir, *text, *qf;
	size_t		 i, hpass = 0, qpass = 0, qn = 0;

	(void)state;
	if ((root = tsuite_dir("aws-signing-test-suite-v4")) == NULL) {
		printf("SKIP: reference/sigv4/aws-signing-test-suite-v4 not found\n");
		skip();
	}
	assert_non_null(d = opendir(root));
	while ((e = readdir(d)) != NULL) {
		xasprintf(&dir, "%s/%s/context.json", root, e->d_name);
		if (e->d_name[0] != '.' && access(dir, R_OK) == 0)
			tlist_add(&l, e->d_name);
		free(dir);
	}
	closedir(d);
	qsort(l.v, l.n, sizeof *l.v, tlist_cmp);
	for (i = 0; i < l.n; i++) {
		xasprintf(&dir, "%s/%s", root, l.v[i]);
		text = tread(dir, "context.json");
		assert_non_null(ctx = json_parse(text, strlen(text), "ctx", NULL));
		tcontext_params(ctx, &p);
		hpass += (size_t)tcauth_header(dir, l.v[i], &p);
		if ((qf = tread(dir, "query-canonical-request.txt")) != NULL) {
			qn++;
			qpass += (size_t)tcauth_query(dir, l.v[i], &p);
		}
		free(qf);
		cJSON_Delete(ctx);
		free(text);
		free(dir);
	}
	printf("sigv4 aws-signing-test-suite-v4: header %zu/%zu, query "
	    "%zu/%zu passed\n", hpass, l.n, qpass, qn);
	assert_int_equal(l.n, 38);
	assert_int_equal(hpass, l.n);
	assert_int_equal(qpass, qn);
	tlist_free(&l);
	free(root);
}

/* Sign one Lattice request at LATTICE_TIME with the suite keys. */
static void
tlattice_sign(const char *method, const char *path, const char *query,
    const char *ctype, const char *body, struct sigv4_result *res,
    char **authz)
{
	struct sigv4_params	 p = tsuite_params();
	struct sigv4_request	 req;
	struct http_headers	 h = { NULL, 0, 0 };

	p.region = "us-west-2";
	p.service = "vpc-lattice";
	p.now = LATTICE_TIME;
	if (ctype != NULL)
		http_headers_add(&h, "Content-Type", ctype);
	http_headers_add(&h, "Host", LATTICE_HOST);
	http_headers_add(&h, "User-Agent", "latticectl/test");
	memset(&req, 0, sizeof req);
	req.method = method;
	req.path = path;
	req.query = query;
	req.headers = &h;
	req.payload = body;
	req.payload_len = body == NULL ? 0 : strlen(body);
	assert_int_equal(sigv4_sign_result(&p, &req, res, NULL), 0);
	*authz = xstrdup(http_headers_get(&h, "Authorization"));
	http_headers_free(&h);
}

/* The botocore canonical request and signatures recorded in
 * lattice_wire_examples.txt (secret: the suite's, verified). */
static void
test_lattice_wire(void **state)
{
	struct sigv4_result	 res;
	char			*authz;
	const char		*want_creq =
	    "DELETE\n"
	    "/tags/arn%253Aaws%253Avpc-lattice%253Aus-west-2%253A123456789012"
	    "%253Aservice%252Fsvc-0123456789abcdef0\n"
	    "tagKeys=a&tagKeys=b\n"
	    "host:vpc-lattice.us-west-2.amazonaws.com\n"
	    "x-amz-date:20261128T062812Z\n"
	    "\n"
	    "host;x-amz-date\n"
	    SIGV4_EMPTY_SHA256;
	const char		*body = "{\"name\": \"tg-demo-x\", \"type\": "
	    "\"IP\", \"config\": {\"port\": 80, \"protocol\": \"HTTP\", "
	    "\"vpcIdentifier\": \"vpc-12345678\"}, \"tags\": {\"k\": \"v\"}, "
	    "\"clientToken\": \"04a0b665-ed63-434c-a602-092c916aa7d9\"}";
	const char		*prefix = "AWS4-HMAC-SHA256 Credential="
	    "AKIDEXAMPLE/20261128/us-west-2/vpc-lattice/aws4_request, ";

	(void)state;
	tlattice_sign("DELETE", LATTICE_ARN_PATH, "tagKeys=a&tagKeys=b", NULL,
	    NULL, &res, &authz);
	assert_string_equal(res.canonical_request, want_creq);
	assert_true(strncmp(authz, prefix, strlen(prefix)) == 0);
	assert_string_equal(res.signature,
	    "aa81c0d0d7adbdb4daf647da83e1d6accd2e82d345094734e486f3841034d492");
	sigv4_result_free(&res);
	free(authz);

	assert_int_equal(strlen(body), 187);
	tlattice_sign("POST", "/targetgroups", NULL, "application/json", body,
	    &res, &authz);
	assert_string_equal(res.signed_headers, "content-type;host;x-amz-date");
	assert_string_equal(res.signature,
	    "98c39c2a024958d3e21444727c986815ee7136d8d885ff6afe034d1f84f949a9");
	sigv4_result_free(&res);
	free(authz);

	tlattice_sign("GET", "/targetgroups",
	    "maxResults=10&vpcIdentifier=vpc-12345678&targetGroupType=IP", NULL,
	    NULL, &res, &authz);
	assert_string_equal(res.signature,
	    "707c0be4555d8472fed29a6c27279be40e878e74f484efb3c2c4d3f371f2c020");
	sigv4_result_free(&res);
	free(authz);

	tlattice_sign("GET", "/services/svc-0123456789abcdef0/listeners/"
	    "listener-0123456789abcdef0/rules/rule-0123456789abcdef0", NULL, NULL,
	    NULL, &res, &authz);
	assert_string_equal(res.signature,
	    "08e222a703bcfbbfce0dc0aafff245955109ebfdf7da5ef799c592cde411c428");
	sigv4_result_free(&res);
	free(authz);
}

/* Assert one canonical URI. */
static void
turi(const char *path, int dbl, int norm, const char *want)
{
	char	*got = sigv4_canonical_uri(path, dbl, norm);

	assert_string_equal(got, want);
	free(got);
}

/* Assert one canonical query. */
static void
tquery(const char *q, const char *want)
{
	char	*got = sigv4_canonical_query(q);

	assert_string_equal(got, want);
	free(got);
}

/* Canonical URI and query edge cases. */
static void
test_canonical_parts(void **state)
{
	(void)state;
	turi("/a%3Ab/c d", 1, 1, "/a%253Ab/c%20d");
	turi("/a%3Ab/c d", 0, 1, "/a%3Ab/c%20d");
	turi("/\xe1\x88\xb4", 1, 1, "/%E1%88%B4");
	turi("", 1, 1, "/");
	turi(NULL, 1, 1, "/");
	turi("//a//b//", 1, 1, "/a/b/");
	turi("//a//b//", 1, 0, "//a//b//");
	turi("/a/b/..", 1, 1, "/a");
	turi("/a/./b/../../..", 1, 1, "/");
	turi("/./", 1, 1, "/");
	turi("/$x~y", 1, 1, "/%24x~y");
	tquery(NULL, "");
	tquery("", "");
	tquery("b=2&a=&a=1&c", "a=&a=1&b=2&c=");
	tquery("k=a+b&j=%7e%2F", "j=~%2F&k=a%2Bb");
	tquery("x=%zz&&y", "x=%25zz&y=");
	tquery("Param-3=3&Param=2&%E1%88%B4=1", "%E1%88%B4=1&Param=2&Param-3=3");
}

/* Key derivation (AWS documentation example), hashing and comparison. */
static void
test_primitives(void **state)
{
	unsigned char	 key[32];
	char		 hex[65], date[17], *scope, *sts;
	size_t		 i;

	(void)state;
	sigv4_signing_key(SUITE_SECRET, "20120215", "us-east-1", "iam", key);
	for (i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", key[i]);
	assert_string_equal(hex,
	    "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d");
	sigv4_sha256_hex("", 0, hex);
	assert_string_equal(hex, SIGV4_EMPTY_SHA256);
	sigv4_amz_date(SUITE_TIME, date);
	assert_string_equal(date, "20150830T123600Z");
	scope = sigv4_scope(date, "us-east-1", "service");
	assert_string_equal(scope, "20150830/us-east-1/service/aws4_request");
	sts = sigv4_string_to_sign(date, scope, "x");
	assert_string_equal(sts, "AWS4-HMAC-SHA256\n20150830T123600Z\n"
	    "20150830/us-east-1/service/aws4_request\n"
	    "2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881");
	assert_true(sigv4_equal("abc", "abc"));
	assert_false(sigv4_equal("abc", "abd"));
	assert_false(sigv4_equal("abc", "abcd"));
	assert_false(sigv4_equal(NULL, "a"));
	assert_true(sigv4_header_unsigned("User-Agent"));
	assert_false(sigv4_header_unsigned("Content-Type"));
	free(scope);
	free(sts);
}

/* Re-signing (a retry) replaces the auth headers; errors are reported. */
static void
test_resign(void **state)
{
	struct sigv4_params	 p = tsuite_params();
	struct sigv4_request	 req;
	struct http_headers	 h = { NULL, 0, 0 };
	char			*first, *cause = NULL, *q = NULL;
	size_t			 i, nauth = 0, ntok = 0;

	(void)state;
	p.session_token = "tok";
	http_headers_add(&h, "Host", "example.amazonaws.com");
	http_headers_add(&h, "User-Agent", "x");
	memset(&req, 0, sizeof req);
	req.method = "GET";
	req.path = "/";
	req.headers = &h;
	assert_int_equal(sigv4_sign(&p, &req, NULL), 0);
	first = xstrdup(http_headers_get(&h, "Authorization"));
	assert_non_null(strstr(first, "SignedHeaders=host;x-amz-date;"
	    "x-amz-security-token, "));
	assert_int_equal(sigv4_sign(&p, &req, NULL), 0);
	for (i = 0; i < h.n; i++) {
		nauth += strcasecmp(h.v[i].name, "authorization") == 0;
		ntok += strcasecmp(h.v[i].name, "x-amz-security-token") == 0;
	}
	assert_int_equal(nauth, 1);
	assert_int_equal(ntok, 1);
	assert_string_equal(first, http_headers_get(&h, "Authorization"));
	p.now++;
	assert_int_equal(sigv4_sign(&p, &req, NULL), 0);
	assert_string_not_equal(first, http_headers_get(&h, "Authorization"));

	http_headers_del(&h, "host");
	assert_int_equal(sigv4_sign(&p, &req, &cause), -1);
	assert_non_null(strstr(cause, "Host"));
	assert_int_equal(sigv4_presign(&p, &req, &q, &cause), -1);
	assert_null(q);
	p.secret_key = NULL;
	http_headers_add(&h, "Host", "example.amazonaws.com");
	assert_int_equal(sigv4_sign(&p, &req, &cause), -1);
	assert_non_null(strstr(cause, "credentials"));
	free(cause);
	free(first);
	http_headers_free(&h);
}

/* botocore signer, fed requests as argv groups: method url headers body. */
static const char *tpy_script =
    "import sys, datetime\n"
    "import botocore.auth, botocore.credentials, botocore.awsrequest\n"
    "t = datetime.datetime.fromtimestamp(int(sys.argv[1]),"
    " datetime.timezone.utc).replace(tzinfo=None)\n"
    "botocore.auth.get_current_datetime = lambda *a, **k: t\n"
    "tok = sys.argv[4] or None\n"
    "c = botocore.credentials.Credentials(sys.argv[2], sys.argv[3], tok)\n"
    "a = sys.argv[5:]\n"
    "for i in range(0, len(a), 6):\n"
    "    m, u, h, b, region, svc = a[i:i + 6]\n"
    "    hd = {}\n"
    "    for line in h.split('\\n'):\n"
    "        if line:\n"
    "            k, v = line.split(':', 1)\n"
    "            hd[k] = v\n"
    "    r = botocore.awsrequest.AWSRequest(method=m, url=u, headers=hd,"
    " data=b.encode() if b else None)\n"
    "    botocore.auth.SigV4Auth(c, svc, region).add_auth(r)\n"
    "    print(r.headers['Authorization'])\n";

/* One cross-check request. */
struct tx {
	const char	*method;
	const char	*host;
	const char	*path;
	const char	*query;
	const char	*headers;	/* "Name:value\n..." besides Host */
	const char	*body;
	const char	*region;
	const char	*service;
};

static const struct tx tx_cases[] = {
	{ "GET", LATTICE_HOST, "/services", "maxResults=5&nextToken=ab%2Bc%3D",
	  "", "", "us-west-2", "vpc-lattice" },
	{ "DELETE", LATTICE_HOST, LATTICE_ARN_PATH, "tagKeys=a&tagKeys=b",
	  "User-Agent:latticectl/1\n", "", "us-west-2", "vpc-lattice" },
	{ "POST", LATTICE_HOST, "/targetgroups", NULL,
	  "Content-Type:application/json\nX-Custom:  a   b  \n",
	  "{\"name\":\"x\"}", "us-west-2", "vpc-lattice" },
	{ "PATCH", LATTICE_HOST, "/services/svc-1/a/./b/../c//d/", "b=2&a=&a=1",
	  "", "{}", "eu-central-1", "vpc-lattice" },
	{ "POST", "sts.us-east-1.amazonaws.com", "/", NULL,
	  "Content-Type:application/x-www-form-urlencoded; charset=utf-8\n",
	  "Action=GetCallerIdentity&Version=2011-06-15", "us-east-1", "sts" },
	{ "GET", "eks.us-west-2.amazonaws.com", "/clusters/my%20cluster~1", NULL,
	  "", "", "us-west-2", "eks" },
};

/* Sign a cross-check case with our signer; returns the Authorization. */
static char *
tx_sign(const struct tx *x, const char *token)
{
	struct sigv4_params	 p = tsuite_params();
	struct sigv4_request	 req;
	struct treq		 r;
	char			*text, *authz;

	xasprintf(&text, "%s %s%s%s HTTP/1.1\nHost:%s\n%s\n%s", x->method,
	    x->path, x->query != NULL ? "?" : "", x->query != NULL ? x->query :
	    "", x->host, x->headers, x->body);
	assert_int_equal(treq_parse(text, &r), 0);
	p.region = x->region;
	p.service = x->service;
	p.now = LATTICE_TIME;
	p.session_token = token;
	req = treq_view(&r);
	assert_int_equal(sigv4_sign(&p, &req, NULL), 0);
	authz = xstrdup(http_headers_get(&r.headers, "Authorization"));
	treq_free(&r);
	free(text);
	return authz;
}

/* Compare our Authorization headers with botocore's, with and without a
 * session token. */
static void
test_botocore_crosscheck(void **state)
{
	const size_t	 nc = sizeof tx_cases / sizeof tx_cases[0];
	const char	*tokens[2] = { "", "FQoGZXIvYXdzEXAMPLE/token+=" };
	char		*args[5 + 6 * (sizeof tx_cases / sizeof tx_cases[0])];
	char		*out, *line, *save = NULL, *ours, ts[32];
	size_t		 i, t, k, checked = 0;

	(void)state;
	if (!test_have_botocore()) {
		printf("SKIP: python3 with botocore not available\n");
		skip();
	}
	for (t = 0; t < 2; t++) {
		snprintf(ts, sizeof ts, "%d", LATTICE_TIME);
		args[0] = ts;
		args[1] = (char *)SUITE_KEY;
		args[2] = (char *)SUITE_SECRET;
		args[3] = (char *)tokens[t];
		for (i = 0, k = 4; i < nc; i++) {
			xasprintf(&args[k++], "%s", tx_cases[i].method);
			xasprintf(&args[k++], "https://%s%s%s%s", tx_cases[i].host,
			    tx_cases[i].path, tx_cases[i].query ? "?" : "",
			    tx_cases[i].query ? tx_cases[i].query : "");
			xasprintf(&args[k++], "%s", tx_cases[i].headers);
			xasprintf(&args[k++], "%s", tx_cases[i].body);
			xasprintf(&args[k++], "%s", tx_cases[i].region);
			xasprintf(&args[k++], "%s", tx_cases[i].service);
		}
		args[k] = NULL;
		assert_int_equal(test_python(tpy_script, args, &out), 0);
		line = strtok_r(out, "\n", &save);
		for (i = 0; i < nc; i++, line = strtok_r(NULL, "\n", &save)) {
			assert_non_null(line);
			ours = tx_sign(&tx_cases[i], *tokens[t] ? tokens[t] : NULL);
			assert_string_equal(ours, line);
			free(ours);
			checked++;
		}
		for (k = 4; k < 4 + 6 * nc; k++)
			free(args[k]);
		free(out);
	}
	printf("sigv4 botocore cross-check: %zu/%zu matched\n", checked,
	    2 * nc);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_primitives),
		cmocka_unit_test(test_canonical_parts),
		cmocka_unit_test(test_classic_suite),
		cmocka_unit_test(test_cauth_suite),
		cmocka_unit_test(test_lattice_wire),
		cmocka_unit_test(test_resign),
		cmocka_unit_test(test_botocore_crosscheck),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
