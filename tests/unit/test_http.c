/* HTTP client: headers, URL encoding, and real exchanges against testsrv
 * (reuse, TLS, client certificates, timeouts, streaming, proxies, trace). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "latticectl/http.h"
#include "latticectl/strbuf.h"
#include "latticectl/xmalloc.h"
#include "testlib.h"
#include "testsrv.h"

#define PIN_NAME	"kube.test.internal"
#define WAIT_MS		10000

static struct testsrv_pki pki;

/* ---- helpers ---- */

/* What the recording handler saw of the last request. */
struct seen {
	pthread_mutex_t		 lock;
	char			*method;
	char			*target;
	char			*body;
	struct http_headers	 headers;
	int			 client_cert_ok;
	unsigned		 count;
};

/* Reset a seen record. */
static void
seen_init(struct seen *s)
{
	memset(s, 0, sizeof *s);
	pthread_mutex_init(&s->lock, NULL);
}

/* Free a seen record. */
static void
seen_free(struct seen *s)
{
	free(s->method);
	free(s->target);
	free(s->body);
	http_headers_free(&s->headers);
	pthread_mutex_destroy(&s->lock);
}

/* Handler: record the request, answer 201 with two X-Multi headers. */
static void
record_handler(void *arg, const struct testsrv_req *req,
    struct testsrv_resp *resp)
{
	struct seen	*s = arg;

	pthread_mutex_lock(&s->lock);
	free(s->method);
	free(s->target);
	free(s->body);
	http_headers_free(&s->headers);
	s->method = xstrdup(req->method);
	s->target = xstrdup(req->target);
	s->body = xstrndup(req->body, req->body_len);
	http_headers_copy(&s->headers, &req->headers);
	s->client_cert_ok = req->client_cert_ok;
	s->count++;
	pthread_mutex_unlock(&s->lock);
	resp->status = 201;
	http_headers_add(&resp->headers, "X-Multi", "a");
	http_headers_add(&resp->headers, "x-multi", "b");
	http_headers_add(&resp->headers, "Content-Type", "text/plain");
	strbuf_adds(&resp->body, "hello from testsrv");
}

/* Start a server or fail the test. */
static struct testsrv *
start(const struct testsrv_opts *opts)
{
	struct testsrv	*srv;
	char		*cause = NULL;

	srv = testsrv_start(opts, &cause);
	if (srv == NULL)
		fail_msg("testsrv_start: %s", cause);
	return srv;
}

/* Make a client or fail the test. */
static struct http_client *
client(const struct http_client_opts *opts)
{
	struct http_client_opts	 none;
	struct http_client	*c;
	char			*cause = NULL;

	if (opts == NULL) {
		memset(&none, 0, sizeof none);
		opts = &none;
	}
	if ((c = http_client_new(opts, &cause)) == NULL)
		fail_msg("http_client_new: %s", cause);
	return c;
}

/* GET base+path; returns http_do's result, cause left in *cause. */
static int
get(struct http_client *c, const char *base, const char *path,
    struct http_response *resp, char **cause)
{
	struct http_request	 req;
	char			*url;
	int			 rc;

	memset(&req, 0, sizeof req);
	xasprintf(&url, "%s%s", base, path);
	req.method = "GET";
	req.url = url;
	rc = http_do(c, &req, resp, cause);
	free(url);
	return rc;
}

/* Write s to a new file in a temp dir; caller frees path and dir. */
static char *
temp_file(char **dir, const char *name, const char *s)
{
	char	*path;

	*dir = test_tmpdir();
	xasprintf(&path, "%s/%s", *dir, name);
	assert_int_equal(test_write_file(path, s, 0600), 0);
	return path;
}

/* Remove a temp file and its directory. */
static void
temp_remove(char *dir, char *path)
{
	unlink(path);
	rmdir(dir);
	free(path);
	free(dir);
}

/* ---- headers and URLs ---- */

/* Lookup is case-insensitive, repeats are kept, set/del replace all. */
static void
test_headers_basic(void **state)
{
	struct http_headers	h = { NULL, 0, 0 }, copy = { NULL, 0, 0 };

	(void)state;
	http_headers_add(&h, "Set-Cookie", "a=1");
	http_headers_add(&h, "Content-Type", "text/plain");
	http_headers_add(&h, "set-cookie", "b=2");
	assert_string_equal(http_headers_get(&h, "SET-COOKIE"), "a=1");
	assert_string_equal(http_headers_get_nth(&h, "Set-Cookie", 1), "b=2");
	assert_null(http_headers_get_nth(&h, "Set-Cookie", 2));
	assert_null(http_headers_get(&h, "Missing"));
	http_headers_copy(&copy, &h);
	http_headers_set(&h, "SET-cookie", "c=3");
	assert_int_equal(h.n, 2);
	assert_string_equal(http_headers_get(&h, "set-cookie"), "c=3");
	assert_null(http_headers_get_nth(&h, "set-cookie", 1));
	assert_string_equal(h.v[0].name, "Content-Type");
	http_headers_del(&h, "content-type");
	assert_int_equal(h.n, 1);
	assert_int_equal(copy.n, 3);
	assert_string_equal(http_headers_get_nth(&copy, "set-cookie", 1),
	    "b=2");
	http_headers_free(&h);
	http_headers_free(&copy);
	assert_int_equal(h.n, 0);
	assert_null(h.v);
}

/* Response header lines: trimming, continuation, rejects. */
static void
test_headers_parse_line(void **state)
{
	struct http_headers	h = { NULL, 0, 0 };

	(void)state;
	assert_int_equal(http_headers_parse_line(&h, "X-A:  one two \r\n",
	    16), 0);
	assert_string_equal(http_headers_get(&h, "x-a"), "one two");
	assert_int_equal(http_headers_parse_line(&h, "\t three\r\n", 9), 0);
	assert_string_equal(http_headers_get(&h, "x-a"), "one two three");
	assert_int_equal(http_headers_parse_line(&h, "X-Empty:\r\n", 10), 0);
	assert_string_equal(http_headers_get(&h, "X-Empty"), "");
	assert_int_equal(http_headers_parse_line(&h, "X-Time: 12:30", 13), 0);
	assert_string_equal(http_headers_get(&h, "x-time"), "12:30");
	assert_int_equal(http_headers_parse_line(&h, "\r\n", 2), -1);
	assert_int_equal(http_headers_parse_line(&h, "HTTP/1.1 200 OK\r\n",
	    17), -1);
	assert_int_equal(http_headers_parse_line(&h, "No colon here", 13), -1);
	assert_int_equal(http_headers_parse_line(&h, ": no name", 9), -1);
	assert_int_equal(http_headers_parse_line(&h, "Bad Name: x", 11), -1);
	assert_int_equal(http_headers_parse_line(&h, "X-B: a\0b", 8), -1);
	assert_int_equal(http_headers_parse_line(&h, "\t a\0b", 6), -1);
	assert_int_equal(h.n, 3);
	http_headers_free(&h);
}

/* RFC 3986: unreserved kept, everything else %XX upper-case. */
static void
test_urlencode(void **state)
{
	char	*s;

	(void)state;
	s = http_urlencode("AZaz09-._~ /?#[]@!$&'()*+,;=%", 0);
	assert_string_equal(s, "AZaz09-._~%20%2F%3F%23%5B%5D%40%21%24%26"
	    "%27%28%29%2A%2B%2C%3B%3D%25");
	free(s);
	s = http_urlencode("a b/c:d", 1);
	assert_string_equal(s, "a%20b/c%3Ad");
	free(s);
	s = http_urlencode("\xc3\xa9\x01\xff", 0);
	assert_string_equal(s, "%C3%A9%01%FF");
	free(s);
	s = http_urlencode("", 0);
	assert_string_equal(s, "");
	free(s);
}

/* Decoding: both hex cases, '+' kept, malformed and %00 kept. */
static void
test_urldecode(void **state)
{
	const char	*in = "arn%3Aaws%3avpc/a+b%20c~%C3%A9";
	char		*s, *enc, *dec;

	(void)state;
	s = http_urldecode(in);
	assert_string_equal(s, "arn:aws:vpc/a+b c~\xc3\xa9");
	free(s);
	s = http_urldecode("%zz%4%%41%00%");
	assert_string_equal(s, "%zz%4%A%00%");
	free(s);
	enc = http_urlencode("k=v&x/y z\xe2\x9c\x93", 0);
	dec = http_urldecode(enc);
	assert_string_equal(dec, "k=v&x/y z\xe2\x9c\x93");
	free(enc);
	free(dec);
}

/* The log form of a URL drops query and fragment. */
static void
test_url_noquery(void **state)
{
	char	*s;

	(void)state;
	s = http_url_noquery("https://b.s3.amazonaws.com/k?X-Amz-Signature=ab");
	assert_string_equal(s, "https://b.s3.amazonaws.com/k");
	free(s);
	s = http_url_noquery("http://h/p#frag");
	assert_string_equal(s, "http://h/p");
	free(s);
	s = http_url_noquery("http://h/p");
	assert_string_equal(s, "http://h/p");
	free(s);
}

/* ---- exchanges ---- */

/* N sequential requests ride one TCP connection. */
static void
test_reuse(void **state)
{
	struct testsrv		*srv = start(NULL);
	struct http_client	*c = client(NULL);
	struct http_response	 resp;
	char			*cause = NULL;
	int			 i;

	(void)state;
	http_response_init(&resp);
	for (i = 0; i < 5; i++) {
		assert_int_equal(get(c, testsrv_url(srv), "/x", &resp, &cause),
		    0);
		assert_int_equal(resp.status, 200);
		assert_string_equal(strbuf_str(&resp.body), "ok");
	}
	assert_int_equal(testsrv_requests(srv), 5);
	assert_int_equal(testsrv_connections(srv), 1);
	http_response_free(&resp);
	http_client_free(c);
	testsrv_stop(srv);
}

struct worker {
	struct http_client	*c;
	const char		*base;
	int			 ok;
};

/* Thread body: ten GETs, counting the good answers. */
static void *
worker_run(void *arg)
{
	struct worker		*w = arg;
	struct http_response	 resp;
	char			*cause = NULL;
	int			 i;

	http_response_init(&resp);
	for (i = 0; i < 10; i++) {
		if (get(w->c, w->base, "/t", &resp, &cause) == 0 &&
		    resp.status == 200 &&
		    strcmp(strbuf_str(&resp.body), "ok") == 0)
			w->ok++;
		free(cause);
		cause = NULL;
	}
	http_response_free(&resp);
	return NULL;
}

/* Several threads share a client; handles (and connections) are pooled. */
static void
test_threads(void **state)
{
	struct testsrv		*srv = start(NULL);
	struct http_client	*c = client(NULL);
	struct worker		 w[4];
	pthread_t		 t[4];
	int			 i;

	(void)state;
	for (i = 0; i < 4; i++) {
		w[i].c = c;
		w[i].base = testsrv_url(srv);
		w[i].ok = 0;
		assert_int_equal(pthread_create(&t[i], NULL, worker_run, &w[i]),
		    0);
	}
	for (i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(w[i].ok, 10);
	}
	assert_int_equal(testsrv_requests(srv), 40);
	assert_in_range(testsrv_connections(srv), 1, 4);
	http_client_free(c);
	testsrv_stop(srv);
}

/* Method, headers and body reach the server; the answer comes back whole. */
static void
test_post_roundtrip(void **state)
{
	struct seen		 s;
	struct testsrv_opts	 so = { .handler = record_handler, .arg = &s };
	struct testsrv		*srv;
	struct http_client	*c = client(NULL);
	struct http_request	 req;
	struct http_response	 resp;
	char			*url, *cause = NULL;

	(void)state;
	seen_init(&s);
	srv = start(&so);
	memset(&req, 0, sizeof req);
	xasprintf(&url, "%s/services?a=1&b=x%%2Fy", testsrv_url(srv));
	req.method = "POST";
	req.url = url;
	req.body = "{\"name\":\"svc\"}";
	req.body_len = strlen(req.body);
	http_headers_add(&req.headers, "X-Amz-Target", "Lattice.Create");
	http_headers_add(&req.headers, "X-Empty", "");
	http_response_init(&resp);
	assert_int_equal(http_do(c, &req, &resp, &cause), 0);
	assert_int_equal(resp.status, 201);
	assert_string_equal(strbuf_str(&resp.body), "hello from testsrv");
	assert_string_equal(http_headers_get(&resp.headers, "x-multi"), "a");
	assert_string_equal(http_headers_get_nth(&resp.headers, "X-MULTI", 1),
	    "b");
	assert_string_equal(http_headers_get(&resp.headers, "content-type"),
	    "text/plain");
	assert_string_equal(s.method, "POST");
	assert_string_equal(s.target, "/services?a=1&b=x%2Fy");
	assert_string_equal(s.body, "{\"name\":\"svc\"}");
	assert_string_equal(http_headers_get(&s.headers, "x-amz-target"),
	    "Lattice.Create");
	assert_string_equal(http_headers_get(&s.headers, "x-empty"), "");
	assert_string_equal(http_headers_get(&s.headers, "user-agent"),
	    "latticectl");
	/* curl's form content type and Expect are not sent. */
	assert_null(http_headers_get(&s.headers, "content-type"));
	assert_null(http_headers_get(&s.headers, "expect"));

	/* PUT with a content type, DELETE and HEAD reuse resp. */
	req.method = "PUT";
	http_headers_add(&req.headers, "Content-Type", "application/json");
	assert_int_equal(http_do(c, &req, &resp, &cause), 0);
	assert_string_equal(s.method, "PUT");
	assert_string_equal(http_headers_get(&s.headers, "content-type"),
	    "application/json");
	assert_string_equal(s.body, "{\"name\":\"svc\"}");
	req.method = "DELETE";
	req.body = NULL;
	req.body_len = 0;
	assert_int_equal(http_do(c, &req, &resp, &cause), 0);
	assert_string_equal(s.method, "DELETE");
	assert_string_equal(s.body, "");
	req.method = "HEAD";
	assert_int_equal(http_do(c, &req, &resp, &cause), 0);
	assert_string_equal(s.method, "HEAD");
	assert_int_equal(resp.status, 201);
	assert_int_equal(resp.body.len, 0);
	assert_null(http_headers_get_nth(&resp.headers, "x-multi", 2));
	assert_int_equal(s.count, 4);

	http_request_free(&req);
	http_response_free(&resp);
	free(url);
	http_client_free(c);
	testsrv_stop(srv);
	seen_free(&s);
}

/* Header values that would split the request are refused. */
static void
test_bad_header(void **state)
{
	struct testsrv		*srv = start(NULL);
	struct http_client	*c = client(NULL);
	struct http_request	 req;
	struct http_response	 resp;
	char			*url, *cause = NULL;

	(void)state;
	memset(&req, 0, sizeof req);
	xasprintf(&url, "%s/x", testsrv_url(srv));
	req.url = url;
	http_headers_add(&req.headers, "X-Evil", "a\r\nX-Injected: 1");
	http_response_init(&resp);
	assert_int_equal(http_do(c, &req, &resp, &cause), -1);
	assert_non_null(strstr(cause, "invalid header"));
	assert_int_equal(testsrv_requests(srv), 0);
	free(cause);
	http_request_free(&req);
	http_response_free(&resp);
	free(url);
	http_client_free(c);
	testsrv_stop(srv);
}

struct traces {
	struct http_trace	last;
	char			*op;
	char			*url;
	unsigned		 calls;
};

/* Trace hook: keep a copy of the last record. */
static void
trace_hook(void *arg, const struct http_trace *t)
{
	struct traces	*tr = arg;

	free(tr->op);
	free(tr->url);
	tr->last = *t;
	tr->op = xstrdup(t->op);
	tr->url = xstrdup(t->url);
	tr->last.op = tr->last.url = NULL;
	tr->calls++;
}

/* The trace hook gets op, url without query, status, sizes, retries. */
static void
test_trace(void **state)
{
	struct seen		 s;
	struct testsrv_opts	 so = { .handler = record_handler, .arg = &s };
	struct testsrv		*srv;
	struct http_client	*c = client(NULL);
	struct traces		 tr;
	struct http_request	 req;
	struct http_response	 resp;
	char			*url, *base, *cause = NULL;

	(void)state;
	seen_init(&s);
	memset(&tr, 0, sizeof tr);
	srv = start(&so);
	http_client_set_trace(c, trace_hook, &tr);
	memset(&req, 0, sizeof req);
	xasprintf(&url, "%s/p/q?X-Amz-Signature=feedface", testsrv_url(srv));
	xasprintf(&base, "%s/p/q", testsrv_url(srv));
	req.method = "PUT";
	req.url = url;
	req.body = "0123456789";
	req.body_len = 10;
	req.op = "CreateService";
	req.attempt = 3;
	http_response_init(&resp);
	assert_int_equal(http_do(c, &req, &resp, &cause), 0);
	assert_int_equal(tr.calls, 1);
	assert_string_equal(tr.op, "CreateService");
	assert_string_equal(tr.last.method, "PUT");
	assert_string_equal(tr.url, base);
	assert_int_equal(tr.last.status, 201);
	assert_int_equal(tr.last.bytes_out, 10);
	assert_int_equal(tr.last.bytes_in, strlen("hello from testsrv"));
	assert_int_equal(tr.last.retries, 2);
	assert_int_equal(tr.last.transport_error, 0);

	/* No op label: the method; attempt 0 counts as the first. */
	req.op = NULL;
	req.attempt = 0;
	req.method = "GET";
	req.body = NULL;
	assert_int_equal(http_do(c, &req, &resp, &cause), 0);
	assert_int_equal(tr.calls, 2);
	assert_string_equal(tr.op, "GET");
	assert_int_equal(tr.last.retries, 0);
	assert_int_equal(tr.last.bytes_out, 0);

	http_response_free(&resp);
	free(url);
	free(base);
	free(tr.op);
	free(tr.url);
	http_client_free(c);
	testsrv_stop(srv);
	seen_free(&s);
}

/* A refused connection: -1, cause names the URL but not its query. */
static void
test_transport_error(void **state)
{
	struct testsrv		*srv = start(NULL);
	struct http_client	*c = client(NULL);
	struct traces		 tr;
	struct http_request	 req;
	struct http_response	 resp;
	char			*url, *base, *cause = NULL;

	(void)state;
	memset(&tr, 0, sizeof tr);
	xasprintf(&url, "%s/gone?X-Amz-Signature=feedface", testsrv_url(srv));
	xasprintf(&base, "%s/gone", testsrv_url(srv));
	testsrv_stop(srv);	/* nothing listens there now */
	http_client_set_trace(c, trace_hook, &tr);
	memset(&req, 0, sizeof req);
	req.url = url;
	req.attempt = 2;
	http_response_init(&resp);
	assert_int_equal(http_do(c, &req, &resp, &cause), -1);
	assert_non_null(cause);
	assert_non_null(strstr(cause, base));
	assert_null(strstr(cause, "feedface"));
	assert_null(strstr(cause, "?"));
	assert_int_equal(tr.calls, 1);
	assert_int_equal(tr.last.transport_error, 1);
	assert_int_equal(tr.last.status, 0);
	assert_int_equal(tr.last.retries, 1);
	assert_null(strstr(tr.url, "feedface"));
	free(cause);
	http_response_free(&resp);
	free(url);
	free(base);
	free(tr.op);
	free(tr.url);
	http_client_free(c);
}

/* A server slower than the timeout: -1 "timed out", per request and
 * per client. */
static void
test_timeout(void **state)
{
	struct testsrv_opts	 so = { .delay_ms = 3000 };
	struct http_client_opts	 co = { .timeout_ms = 200 };
	struct testsrv		*srv = start(&so);
	struct http_client	*c = client(NULL), *c2 = client(&co);
	struct http_request	 req;
	struct http_response	 resp;
	char			*url, *cause = NULL;

	(void)state;
	memset(&req, 0, sizeof req);
	xasprintf(&url, "%s/slow?token=secret", testsrv_url(srv));
	req.url = url;
	req.timeout_ms = 200;
	http_response_init(&resp);
	assert_int_equal(http_do(c, &req, &resp, &cause), -1);
	assert_non_null(strstr(cause, "timed out"));
	assert_non_null(strstr(cause, "/slow"));
	assert_null(strstr(cause, "secret"));
	free(cause);
	cause = NULL;
	req.timeout_ms = 0;
	assert_int_equal(http_do(c2, &req, &resp, &cause), -1);
	assert_non_null(strstr(cause, "timed out"));
	free(cause);
	http_response_free(&resp);
	free(url);
	http_client_free(c);
	http_client_free(c2);
	testsrv_stop(srv);
}

/* ---- TLS ---- */

/* Start an HTTPS server with the test PKI. */
static struct testsrv *
start_tls(const char *client_ca, struct seen *s)
{
	struct testsrv_opts	so;

	memset(&so, 0, sizeof so);
	so.cert_pem = pki.server_cert_pem;
	so.key_pem = pki.server_key_pem;
	so.client_ca_pem = client_ca;
	if (s != NULL) {
		so.handler = record_handler;
		so.arg = s;
	}
	return start(&so);
}

/* An untrusted server fails on the certificate and nothing is sent. */
static void
test_tls_untrusted(void **state)
{
	struct testsrv		*srv = start_tls(NULL, NULL);
	struct http_client_opts	 co;
	struct http_client	*c;
	struct http_response	 resp;
	char			*cause = NULL;

	(void)state;
	http_response_init(&resp);
	c = client(NULL);	/* system CAs only */
	assert_int_equal(get(c, testsrv_url(srv), "/x", &resp, &cause), -1);
	assert_non_null(strstr(cause, "certificate"));
	assert_non_null(strstr(cause, testsrv_url(srv)));
	free(cause);
	cause = NULL;
	http_client_free(c);
	memset(&co, 0, sizeof co);
	co.tls.ca_pem = pki.other_ca_pem;	/* the wrong CA */
	c = client(&co);
	assert_int_equal(get(c, testsrv_url(srv), "/x", &resp, &cause), -1);
	assert_non_null(strstr(cause, "certificate"));
	free(cause);
	/* no fallback: the server never saw a request */
	assert_int_equal(testsrv_requests(srv), 0);
	assert_int_equal(resp.status, 0);
	http_client_free(c);
	http_response_free(&resp);
	testsrv_stop(srv);
}

/* Trusting the CA from PEM data or from a file works. */
static void
test_tls_trusted(void **state)
{
	struct testsrv		*srv = start_tls(NULL, NULL);
	struct http_client_opts	 co;
	struct http_client	*c;
	struct http_response	 resp;
	char			*dir, *path, *cause = NULL;
	int			 i;

	(void)state;
	http_response_init(&resp);
	memset(&co, 0, sizeof co);
	co.tls.ca_pem = pki.ca_pem;
	c = client(&co);
	for (i = 0; i < 3; i++) {
		assert_int_equal(get(c, testsrv_url(srv), "/x", &resp, &cause),
		    0);
		assert_int_equal(resp.status, 200);
		assert_string_equal(strbuf_str(&resp.body), "ok");
	}
	assert_int_equal(testsrv_connections(srv), 1);
	http_client_free(c);

	path = temp_file(&dir, "ca.pem", pki.ca_pem);
	memset(&co, 0, sizeof co);
	co.tls.ca_file = path;
	c = client(&co);
	assert_int_equal(get(c, testsrv_url(srv), "/y", &resp, &cause), 0);
	assert_string_equal(strbuf_str(&resp.body), "ok");
	http_client_free(c);
	temp_remove(dir, path);

	memset(&co, 0, sizeof co);
	co.tls.insecure = 1;	/* explicit opt-out only */
	c = client(&co);
	assert_int_equal(get(c, testsrv_url(srv), "/z", &resp, &cause), 0);
	assert_int_equal(resp.status, 200);
	http_client_free(c);
	http_response_free(&resp);
	testsrv_stop(srv);
}

/* server_name: verify against that name while connecting to the URL's
 * address (the name does not resolve). */
static void
test_tls_server_name(void **state)
{
	struct seen		 s;
	struct testsrv		*srv;
	struct http_client_opts	 co;
	struct http_client	*c;
	struct http_response	 resp;
	char			*cause = NULL, host[128];

	(void)state;
	seen_init(&s);
	srv = start_tls(NULL, &s);
	http_response_init(&resp);
	memset(&co, 0, sizeof co);
	co.tls.ca_pem = pki.ca_pem;
	co.tls.server_name = PIN_NAME;
	c = client(&co);
	assert_int_equal(get(c, testsrv_url(srv), "/api?x=1", &resp, &cause),
	    0);
	assert_int_equal(resp.status, 201);
	snprintf(host, sizeof host, PIN_NAME ":%d", testsrv_port(srv));
	assert_string_equal(http_headers_get(&s.headers, "host"), host);
	assert_string_equal(s.target, "/api?x=1");
	http_client_free(c);

	/* A name the certificate does not carry fails, though the address
	 * (127.0.0.1) alone would have verified. */
	co.tls.server_name = "wrong.test.internal";
	c = client(&co);
	assert_int_equal(get(c, testsrv_url(srv), "/api", &resp, &cause), -1);
	assert_non_null(strstr(cause, "certificate"));
	assert_non_null(strstr(cause, testsrv_url(srv)));
	assert_int_equal(s.count, 1);
	free(cause);
	http_client_free(c);
	http_response_free(&resp);
	testsrv_stop(srv);
	seen_free(&s);
}

/* A server requiring a client certificate accepts us only with one. */
static void
test_tls_client_cert(void **state)
{
	struct seen		 s;
	struct testsrv		*srv;
	struct http_client_opts	 co;
	struct http_client	*c;
	struct http_response	 resp;
	char			*cdir, *cpath, *kdir, *kpath, *cause = NULL;

	(void)state;
	seen_init(&s);
	srv = start_tls(pki.client_ca_pem, &s);
	http_response_init(&resp);
	memset(&co, 0, sizeof co);
	co.tls.ca_pem = pki.ca_pem;
	c = client(&co);
	assert_int_equal(get(c, testsrv_url(srv), "/x", &resp, &cause), 0);
	assert_int_equal(resp.status, 401);
	assert_int_equal(s.count, 0);
	http_client_free(c);

	co.tls.cert_pem = pki.client_cert_pem;
	co.tls.key_pem = pki.client_key_pem;
	c = client(&co);
	assert_int_equal(get(c, testsrv_url(srv), "/x", &resp, &cause), 0);
	assert_int_equal(resp.status, 201);
	assert_int_equal(s.count, 1);
	assert_true(s.client_cert_ok);
	http_client_free(c);

	cpath = temp_file(&cdir, "client.crt", pki.client_cert_pem);
	kpath = temp_file(&kdir, "client.key", pki.client_key_pem);
	co.tls.cert_pem = co.tls.key_pem = NULL;
	co.tls.cert_file = cpath;
	co.tls.key_file = kpath;
	c = client(&co);
	assert_int_equal(get(c, testsrv_url(srv), "/x", &resp, &cause), 0);
	assert_int_equal(resp.status, 201);
	assert_int_equal(s.count, 2);
	http_client_free(c);
	temp_remove(cdir, cpath);
	temp_remove(kdir, kpath);
	http_response_free(&resp);
	testsrv_stop(srv);
	seen_free(&s);
}

/* Bad TLS options are refused up front. */
static void
test_client_opts_errors(void **state)
{
	struct http_client_opts	 co;
	char			*cause = NULL;

	(void)state;
	memset(&co, 0, sizeof co);
	co.tls.ca_file = "/nonexistent/ca.pem";
	assert_null(http_client_new(&co, &cause));
	assert_non_null(strstr(cause, "/nonexistent/ca.pem"));
	free(cause);
	cause = NULL;
	memset(&co, 0, sizeof co);
	co.tls.key_pem = pki.client_key_pem;
	assert_null(http_client_new(&co, &cause));
	assert_non_null(strstr(cause, "without a certificate"));
	free(cause);
}

/* ---- streaming ---- */

/* Shared state of a streaming test: the server waits on the client. */
struct stream {
	pthread_mutex_t		 lock;
	struct testsrv		*srv;
	struct strbuf		 got;
	unsigned		 chunks_seen;
	unsigned		 chunks_sent;
	int			 server_saw_client;	/* before sending #2 */
	int			 abort_after;		/* on_data -1 after n */
	int			 endless;
	int			 cancel_now;
};

/* Wait until the client has seen n chunks, the server stops, or
 * WAIT_MS pass (then the test fails); 1 if the client did. */
static int
stream_wait_seen(struct stream *st, unsigned n)
{
	int	ok, waited;

	for (waited = 0; waited < WAIT_MS; waited += 20) {
		pthread_mutex_lock(&st->lock);
		ok = st->chunks_seen >= n;
		pthread_mutex_unlock(&st->lock);
		if (ok || testsrv_stopping(st->srv))
			return ok;
		usleep(20 * 1000);
	}
	return 0;
}

/* Server side: chunk 0, then wait for the client to see it, chunk 1, end;
 * endless mode keeps sending (or, with cancel, sends once then idles). */
static int
stream_chunk(void *arg, unsigned idx, struct strbuf *out)
{
	struct stream	*st = arg;

	if (st->endless) {
		if (idx > 0 && st->cancel_now) {
			stream_wait_seen(st, 1000);	/* idle until stop */
			return -1;
		}
		strbuf_addf(out, "tick-%u;", idx);
		return 0;
	}
	if (idx == 1)
		st->server_saw_client = stream_wait_seen(st, 1);
	if (idx >= 2)
		return 1;
	strbuf_addf(out, "chunk-%u;", idx);
	pthread_mutex_lock(&st->lock);
	st->chunks_sent++;
	pthread_mutex_unlock(&st->lock);
	return 0;
}

/* Handler for streaming tests; /missing gives a plain 404. */
static void
stream_handler(void *arg, const struct testsrv_req *req,
    struct testsrv_resp *resp)
{
	if (strcmp(req->path, "/missing") == 0) {
		resp->status = 404;
		strbuf_adds(&resp->body, "no such thing");
		return;
	}
	resp->stream = stream_chunk;
	resp->stream_arg = arg;
}

/* Client side: collect data, tell the server, maybe abort. */
static int
stream_on_data(void *arg, const char *data, size_t len)
{
	struct stream	*st = arg;
	int		 rc = 0;

	pthread_mutex_lock(&st->lock);
	strbuf_add(&st->got, data, len);
	st->chunks_seen++;
	if (st->abort_after > 0 && st->chunks_seen >= (unsigned)st->abort_after)
		rc = -1;
	pthread_mutex_unlock(&st->lock);
	return rc;
}

/* Cancel poll: true once the client has seen data. */
static int
stream_cancel(void *arg)
{
	struct stream	*st = arg;
	int		 rc;

	pthread_mutex_lock(&st->lock);
	rc = st->cancel_now && st->chunks_seen > 0;
	pthread_mutex_unlock(&st->lock);
	return rc;
}

/* Set up a streaming server and state. */
static void
stream_init(struct stream *st)
{
	struct testsrv_opts	so;

	memset(st, 0, sizeof *st);
	pthread_mutex_init(&st->lock, NULL);
	strbuf_init(&st->got);
	memset(&so, 0, sizeof so);
	so.handler = stream_handler;
	so.arg = st;
	st->srv = start(&so);
}

/* Tear down a streaming test. */
static void
stream_free(struct stream *st)
{
	testsrv_stop(st->srv);
	strbuf_free(&st->got);
	pthread_mutex_destroy(&st->lock);
}

/* Run a streaming GET of path; returns http_do's result. */
static int
stream_get(struct stream *st, struct http_client *c, const char *path,
    long timeout_ms, struct http_response *resp, char **cause)
{
	struct http_request	 req;
	char			*url;
	int			 rc;

	memset(&req, 0, sizeof req);
	xasprintf(&url, "%s%s", testsrv_url(st->srv), path);
	req.url = url;
	req.timeout_ms = timeout_ms;
	req.on_data = stream_on_data;
	req.on_data_arg = st;
	req.cancel = stream_cancel;
	req.cancel_arg = st;
	rc = http_do(c, &req, resp, cause);
	free(url);
	return rc;
}

/* Chunks reach on_data as they are sent, before the response ends. */
static void
test_stream_chunks(void **state)
{
	struct stream		 st;
	struct http_client	*c = client(NULL);
	struct http_response	 resp;
	char			*cause = NULL;

	(void)state;
	stream_init(&st);
	http_response_init(&resp);
	assert_int_equal(stream_get(&st, c, "/watch", -1, &resp, &cause), 0);
	assert_int_equal(resp.status, 200);
	assert_true(st.server_saw_client);
	assert_string_equal(strbuf_str(&st.got), "chunk-0;chunk-1;");
	assert_int_equal(resp.body.len, 0);
	assert_string_equal(http_headers_get(&resp.headers,
	    "transfer-encoding"), "chunked");

	/* Error statuses land in resp->body, not on_data. */
	strbuf_reset(&st.got);
	assert_int_equal(stream_get(&st, c, "/missing", 0, &resp, &cause), 0);
	assert_int_equal(resp.status, 404);
	assert_string_equal(strbuf_str(&resp.body), "no such thing");
	assert_int_equal(st.got.len, 0);
	http_response_free(&resp);
	http_client_free(c);
	stream_free(&st);
}

/* on_data returning -1 stops an endless stream. */
static void
test_stream_abort(void **state)
{
	struct stream		 st;
	struct http_client	*c = client(NULL);
	struct http_response	 resp;
	char			*cause = NULL;

	(void)state;
	stream_init(&st);
	st.endless = 1;
	st.abort_after = 3;
	http_response_init(&resp);
	assert_int_equal(stream_get(&st, c, "/watch?rv=5", -1, &resp, &cause),
	    -1);
	assert_non_null(strstr(cause, "aborted by callback"));
	assert_non_null(strstr(cause, "/watch"));
	assert_null(strstr(cause, "rv=5"));
	assert_int_equal(st.chunks_seen, 3);
	free(cause);
	http_response_free(&resp);
	http_client_free(c);
	stream_free(&st);
}

/* The cancel hook stops a stream that has gone quiet. */
static void
test_stream_cancel(void **state)
{
	struct stream		 st;
	struct http_client	*c = client(NULL);
	struct http_response	 resp;
	char			*cause = NULL;

	(void)state;
	stream_init(&st);
	st.endless = 1;
	st.cancel_now = 1;
	http_response_init(&resp);
	assert_int_equal(stream_get(&st, c, "/watch", -1, &resp, &cause), -1);
	assert_non_null(strstr(cause, "cancelled"));
	assert_string_equal(strbuf_str(&st.got), "tick-0;");
	free(cause);
	http_response_free(&resp);
	http_client_free(c);
	stream_free(&st);
}

/* ---- proxies ---- */

/* The proxy (our server) gets the absolute-form request. */
static void
check_proxied(struct seen *s, unsigned n)
{
	assert_int_equal(s->count, n);
	assert_string_equal(s->target, "http://example.invalid/some/path?q=1");
	assert_string_equal(http_headers_get(&s->headers, "host"),
	    "example.invalid");
}

/* http_proxy from the environment, and opts.proxy, are honoured. */
static void
test_proxy(void **state)
{
	struct seen		 s;
	struct testsrv_opts	 so = { .handler = record_handler, .arg = &s };
	struct testsrv		*srv;
	struct http_client_opts	 co;
	struct http_client	*c;
	struct http_response	 resp;
	char			*cause = NULL;

	(void)state;
	seen_init(&s);
	srv = start(&so);
	http_response_init(&resp);
	setenv("http_proxy", testsrv_url(srv), 1);
	c = client(NULL);
	assert_int_equal(get(c, "http://example.invalid", "/some/path?q=1",
	    &resp, &cause), 0);
	assert_int_equal(resp.status, 201);
	check_proxied(&s, 1);
	http_client_free(c);
	unsetenv("http_proxy");

	memset(&co, 0, sizeof co);
	co.proxy = testsrv_url(srv);
	c = client(&co);
	assert_int_equal(get(c, "http://example.invalid", "/some/path?q=1",
	    &resp, &cause), 0);
	check_proxied(&s, 2);
	http_client_free(c);
	http_response_free(&resp);
	testsrv_stop(srv);
	seen_free(&s);
}

/* Make the PKI once; clear proxy variables that would divert tests. */
static int
group_setup(void **state)
{
	static const char *vars[] = { "http_proxy", "HTTP_PROXY",
	    "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY",
	    "no_proxy", "NO_PROXY" };
	char	*cause = NULL;
	size_t	 i;

	(void)state;
	for (i = 0; i < sizeof vars / sizeof vars[0]; i++)
		unsetenv(vars[i]);
	if (testsrv_make_pki(&pki, PIN_NAME, &cause) != 0) {
		fprintf(stderr, "testsrv_make_pki: %s\n", cause);
		free(cause);
		return -1;
	}
	return 0;
}

/* Free the PKI. */
static int
group_teardown(void **state)
{
	(void)state;
	testsrv_pki_free(&pki);
	return 0;
}

/* Run the suite. */
int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_headers_basic),
		cmocka_unit_test(test_headers_parse_line),
		cmocka_unit_test(test_urlencode),
		cmocka_unit_test(test_urldecode),
		cmocka_unit_test(test_url_noquery),
		cmocka_unit_test(test_reuse),
		cmocka_unit_test(test_threads),
		cmocka_unit_test(test_post_roundtrip),
		cmocka_unit_test(test_bad_header),
		cmocka_unit_test(test_trace),
		cmocka_unit_test(test_transport_error),
		cmocka_unit_test(test_timeout),
		cmocka_unit_test(test_tls_untrusted),
		cmocka_unit_test(test_tls_trusted),
		cmocka_unit_test(test_tls_server_name),
		cmocka_unit_test(test_tls_client_cert),
		cmocka_unit_test(test_client_opts_errors),
		cmocka_unit_test(test_stream_chunks),
		cmocka_unit_test(test_stream_abort),
		cmocka_unit_test(test_stream_cancel),
		cmocka_unit_test(test_proxy),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
