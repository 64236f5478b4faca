/* Tests for the libmicrohttpd server wrapper (httpd) and sim_tls, with
 * libcurl as the peer. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "latticectl/httpd.h"
#include "latticectl/strbuf.h"
#include "latticectl/timeutil.h"
#include "latticectl/xmalloc.h"
#include "../../src/sim/sim_tls.h"

struct stream_state {
	int		 next;
	int		 limit;		/* -1: never ends */
	atomic_int	 freed;
	atomic_int	 started;
};

struct fixture {
	struct stream_state	 st;
	int			 saw_tls;
};

static ssize_t	stream_fn(void *, char *, size_t);
static void	stream_free(void *);

/* Echo the request, or stream when the path says so. */
static void
handler(void *arg, const struct httpd_request *req, struct httpd_response *resp)
{
	struct fixture	*fx = arg;
	const char	*h;

	fx->saw_tls = req->tls;
	if (strcmp(req->path, "/stream") == 0 ||
	    strcmp(req->path, "/forever") == 0) {
		fx->st.next = 0;
		fx->st.limit = strcmp(req->path, "/stream") == 0 ? 3 : -1;
		resp->stream = stream_fn;
		resp->stream_arg = &fx->st;
		resp->stream_free = stream_free;
		http_headers_add(&resp->headers, "Content-Type",
		    "application/json");
		return;
	}
	resp->status = strcmp(req->path, "/created") == 0 ? 201 : 200;
	h = http_headers_get(&req->headers, "X-Test");
	http_headers_add(&resp->headers, "X-Echo", h != NULL ? h : "-");
	strbuf_addf(&resp->body, "%s|%s|%s|%s|%.*s", req->method, req->path,
	    req->raw_path, req->query, (int)req->body_len,
	    req->body != NULL ? req->body : "");
}

/* Three lines, with idle (0) returns in between; or forever. */
static ssize_t
stream_fn(void *arg, char *buf, size_t max)
{
	struct stream_state	*st = arg;
	int			 i;

	atomic_store(&st->started, 1);
	i = st->next++;
	if (st->limit >= 0 && i / 2 >= st->limit)
		return -1;
	if (i % 2 == 0 || max < 8)
		return 0;
	return snprintf(buf, max, "line%d\n", i / 2);
}

/* Count releases. */
static void
stream_free(void *arg)
{
	struct stream_state	*st = arg;

	atomic_fetch_add(&st->freed, 1);
}

/* curl write callback into a strbuf. */
static size_t
collect(char *p, size_t sz, size_t n, void *arg)
{
	strbuf_add(arg, p, sz * n);
	return sz * n;
}

struct result {
	long		status;
	struct strbuf	body;
	struct strbuf	hdrs;
};

/* Perform one request; ca_pem enables TLS verification against it. */
static void
do_req(const char *url, const char *method, const char *body, long body_len,
    const char *ca_pem, struct result *r)
{
	CURL			*c;
	struct curl_slist	*hl = NULL;
	struct curl_blob	 blob;
	CURLcode		 rc;

	strbuf_init(&r->body);
	strbuf_init(&r->hdrs);
	r->status = 0;
	c = curl_easy_init();
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_NOPROXY, "*");
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &r->body);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, collect);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, &r->hdrs);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
	hl = curl_slist_append(hl, "X-Test: hello");
	if (body_len < 0)	/* chunked upload */
		hl = curl_slist_append(hl, "Transfer-Encoding: chunked");
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hl);
	if (method != NULL)
		curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	if (body != NULL) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE,
		    body_len < 0 ? (long)strlen(body) : body_len);
	}
	if (ca_pem != NULL) {
		blob.data = (void *)ca_pem;
		blob.len = strlen(ca_pem);
		blob.flags = CURL_BLOB_COPY;
		curl_easy_setopt(c, CURLOPT_CAINFO_BLOB, &blob);
	}
	rc = curl_easy_perform(c);
	if (rc == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r->status);
	curl_slist_free_all(hl);
	curl_easy_cleanup(c);
}

/* Free a result. */
static void
result_free(struct result *r)
{
	strbuf_free(&r->body);
	strbuf_free(&r->hdrs);
}

/* Start a plain server on a free port. */
static struct httpd *
start_plain(struct fixture *fx, size_t max_body)
{
	struct httpd_opts	 o;
	struct httpd		*h;
	char			*cause = NULL;

	memset(&o, 0, sizeof o);
	o.listen = "127.0.0.1:0";
	o.max_body = max_body;
	h = httpd_start(&o, handler, fx, &cause);
	if (h == NULL)
		fail_msg("httpd_start: %s", cause);
	assert_true(httpd_port(h) > 0);
	return h;
}

/* GET and POST reach the handler with path, raw path, query, headers, body. */
static void
test_plain_echo(void **state)
{
	struct fixture	 fx;
	struct httpd	*h;
	struct result	 r;
	char		 url[128];

	(void)state;
	memset(&fx, 0, sizeof fx);
	h = start_plain(&fx, 0);
	snprintf(url, sizeof url, "http://127.0.0.1:%d/a%%20b/c?x=1&y=%%2F",
	    httpd_port(h));
	do_req(url, NULL, NULL, 0, NULL, &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.body.buf, "GET|/a b/c|/a%20b/c|x=1&y=%2F|");
	assert_non_null(strstr(r.hdrs.buf, "X-Echo: hello"));
	assert_int_equal(fx.saw_tls, 0);
	result_free(&r);

	snprintf(url, sizeof url, "http://127.0.0.1:%d/created", httpd_port(h));
	do_req(url, "POST", "{\"k\":1}", 7, NULL, &r);
	assert_int_equal(r.status, 201);
	assert_string_equal(r.body.buf, "POST|/created|/created||{\"k\":1}");
	result_free(&r);

	do_req(url, "PATCH", "abc", -1, NULL, &r);	/* chunked upload */
	assert_int_equal(r.status, 201);
	assert_string_equal(r.body.buf, "PATCH|/created|/created||abc");
	result_free(&r);
	httpd_stop(h);
}

/* Bodies over max_body get 413, declared or chunked. */
static void
test_body_limit(void **state)
{
	struct fixture	 fx;
	struct httpd	*h;
	struct result	 r;
	char		 url[128], big[200];

	(void)state;
	memset(&fx, 0, sizeof fx);
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	h = start_plain(&fx, 64);
	snprintf(url, sizeof url, "http://127.0.0.1:%d/p", httpd_port(h));
	do_req(url, "POST", big, sizeof big - 1, NULL, &r);
	assert_int_equal(r.status, 413);
	result_free(&r);
	do_req(url, "POST", big, -1, NULL, &r);
	assert_int_equal(r.status, 413);
	result_free(&r);
	do_req(url, "POST", "small", 5, NULL, &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.body.buf, "POST|/p|/p||small");
	result_free(&r);
	httpd_stop(h);
}

/* A streamed response arrives whole, chunked, and its arg is released. */
static void
test_stream(void **state)
{
	struct fixture	 fx;
	struct httpd	*h;
	struct result	 r;
	char		 url[128];

	(void)state;
	memset(&fx, 0, sizeof fx);
	h = start_plain(&fx, 0);
	snprintf(url, sizeof url, "http://127.0.0.1:%d/stream", httpd_port(h));
	do_req(url, NULL, NULL, 0, NULL, &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.body.buf, "line0\nline1\nline2\n");
	assert_non_null(strcasestr(r.hdrs.buf, "Transfer-Encoding: chunked"));
	result_free(&r);
	httpd_stop(h);
	assert_int_equal(atomic_load(&fx.st.freed), 1);
}

struct client_thread {
	char		url[128];
	struct result	r;
};

/* Run a request on its own thread. */
static void *
client_main(void *arg)
{
	struct client_thread	*ct = arg;

	do_req(ct->url, NULL, NULL, 0, NULL, &ct->r);
	return NULL;
}

/* httpd_stop ends a stream that would never end by itself. */
static void
test_stop_ends_stream(void **state)
{
	struct fixture		 fx;
	struct httpd		*h;
	struct client_thread	 ct;
	pthread_t		 t;

	(void)state;
	memset(&fx, 0, sizeof fx);
	h = start_plain(&fx, 0);
	snprintf(ct.url, sizeof ct.url, "http://127.0.0.1:%d/forever",
	    httpd_port(h));
	assert_int_equal(pthread_create(&t, NULL, client_main, &ct), 0);
	while (!atomic_load(&fx.st.started))
		time_sleep_ms(10);
	while (ct.r.body.buf == NULL || strstr(ct.r.body.buf, "line1") == NULL)
		time_sleep_ms(10);
	assert_int_equal(httpd_stopping(h), 0);
	httpd_stop(h);
	pthread_join(t, NULL);
	assert_int_equal(atomic_load(&fx.st.freed), 1);
	assert_non_null(strstr(ct.r.body.buf, "line0\nline1\n"));
	result_free(&ct.r);
}

/* TLS with a sim_tls certificate, verified by curl for IP and name. */
static void
test_tls(void **state)
{
	struct fixture		 fx;
	struct httpd_opts	 o;
	struct httpd		*h;
	struct sim_tls		 t;
	struct result		 r;
	const char		*names[] = { "sim.example", NULL };
	char			*cause = NULL, url[128];

	(void)state;
	memset(&fx, 0, sizeof fx);
	if (sim_tls_generate(&t, names, 1, &cause) != 0)
		fail_msg("sim_tls_generate: %s", cause);
	assert_non_null(strstr(t.ca_cert_pem, "BEGIN CERTIFICATE"));
	assert_non_null(strstr(t.key_pem, "PRIVATE KEY"));
	memset(&o, 0, sizeof o);
	o.listen = "127.0.0.1:0";
	o.tls_cert_pem = t.cert_pem;
	o.tls_key_pem = t.key_pem;
	if ((h = httpd_start(&o, handler, &fx, &cause)) == NULL)
		fail_msg("httpd_start: %s", cause);
	snprintf(url, sizeof url, "https://127.0.0.1:%d/x?q", httpd_port(h));
	do_req(url, NULL, NULL, 0, t.ca_cert_pem, &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.body.buf, "GET|/x|/x|q|");
	assert_int_equal(fx.saw_tls, 1);
	result_free(&r);
	snprintf(url, sizeof url, "https://localhost:%d/y", httpd_port(h));
	do_req(url, NULL, NULL, 0, t.ca_cert_pem, &r);
	assert_int_equal(r.status, 200);
	result_free(&r);
	/* reissue from the same CA: still trusted */
	assert_int_equal(sim_tls_issue(&t, NULL, 1, &cause), 0);
	httpd_stop(h);
	o.tls_cert_pem = t.cert_pem;
	o.tls_key_pem = t.key_pem;
	if ((h = httpd_start(&o, handler, &fx, &cause)) == NULL)
		fail_msg("httpd_start: %s", cause);
	snprintf(url, sizeof url, "https://127.0.0.1:%d/z", httpd_port(h));
	do_req(url, NULL, NULL, 0, t.ca_cert_pem, &r);
	assert_int_equal(r.status, 200);
	result_free(&r);
	/* an unrelated CA is refused */
	{
		struct sim_tls other;

		assert_int_equal(sim_tls_generate(&other, NULL, 1, &cause), 0);
		do_req(url, NULL, NULL, 0, other.ca_cert_pem, &r);
		assert_int_equal(r.status, 0);
		result_free(&r);
		sim_tls_free(&other);
	}
	httpd_stop(h);
	sim_tls_free(&t);
}

/* Bad listen addresses and half TLS configs are refused with a cause. */
static void
test_bad_opts(void **state)
{
	struct httpd_opts	 o;
	char			*cause = NULL;
	const char		*bad[] = { "127.0.0.1", "127.0.0.1:99999",
				    "[::1", "1.2.3:4:5", "127.0.0.1:x" };
	size_t			 i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		memset(&o, 0, sizeof o);
		o.listen = bad[i];
		assert_null(httpd_start(&o, handler, NULL, &cause));
		assert_non_null(cause);
		free(cause);
		cause = NULL;
	}
	memset(&o, 0, sizeof o);
	o.tls_cert_pem = "x";
	assert_null(httpd_start(&o, handler, NULL, &cause));
	assert_non_null(strstr(cause, "both"));
	free(cause);
	cause = NULL;
	o.tls_key_pem = "not a key";
	assert_null(httpd_start(&o, handler, NULL, &cause));
	assert_non_null(cause);
	free(cause);
	httpd_stop(NULL);
}

/* IPv6 loopback when the host has it. */
static void
test_ipv6(void **state)
{
	struct fixture		 fx;
	struct httpd_opts	 o;
	struct httpd		*h;
	struct result		 r;
	char			*cause = NULL, url[128];

	(void)state;
	memset(&fx, 0, sizeof fx);
	memset(&o, 0, sizeof o);
	o.listen = "[::1]:0";
	if ((h = httpd_start(&o, handler, &fx, &cause)) == NULL) {
		printf("SKIP: no IPv6 loopback: %s\n", cause);
		free(cause);
		skip();
	}
	snprintf(url, sizeof url, "http://[::1]:%d/six", httpd_port(h));
	do_req(url, NULL, NULL, 0, NULL, &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.body.buf, "GET|/six|/six||");
	result_free(&r);
	httpd_stop(h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_echo),
		cmocka_unit_test(test_body_limit),
		cmocka_unit_test(test_stream),
		cmocka_unit_test(test_stop_ends_stream),
		cmocka_unit_test(test_tls),
		cmocka_unit_test(test_bad_opts),
		cmocka_unit_test(test_ipv6),
	};
	int rc;

	curl_global_init(CURL_GLOBAL_DEFAULT);
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	curl_global_cleanup();
	return rc;
}
