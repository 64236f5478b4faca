/* HTTP client over libcurl: pooled easy handles, shared DNS and TLS sessions. */
#define LOG_MODULE "http"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <curl/curl.h>

#include "latticectl/error.h"
#include "latticectl/http.h"
#include "latticectl/log.h"
#include "latticectl/timeutil.h"
#include "latticectl/xmalloc.h"

#define HTTP_POOL_MAX		16
#define HTTP_CONNECT_TIMEOUT_MS	10000L
#define HTTP_TIMEOUT_MS		60000L
#define HTTP_USER_AGENT		"latticectl"
#define HTTP_KEEPIDLE_S		30L
#define HTTP_KEEPINTVL_S	15L

struct http_client {
	char		*ca_file;
	char		*ca_pem;
	char		*cert_file;
	char		*key_file;
	char		*cert_pem;
	char		*key_pem;
	char		*server_name;
	int		 insecure;
	char		*proxy;
	char		*user_agent;
	long		 connect_timeout_ms;
	long		 timeout_ms;

	CURLSH		*share;
	pthread_mutex_t	 share_lock[CURL_LOCK_DATA_LAST];

	pthread_mutex_t	 pool_lock;
	CURL		*pool[HTTP_POOL_MAX];	/* idle handles, newest last */
	size_t		 npool;

	http_trace_fn	 trace;
	void		*trace_arg;
};

/* One exchange in progress. */
struct http_xfer {
	const struct http_request	*req;
	struct http_response		*resp;
	const char			*method;
	char				*url;		/* without query */
	char				*pinned_url;	/* host = server_name */
	struct curl_slist		*headers;
	struct curl_slist		*connect_to;
	long				 status;	/* of the last status line */
	size_t				 bytes_in;
	int				 aborted;
	int				 cancelled;
	char				 errbuf[CURL_ERROR_SIZE];
};

static pthread_once_t	http_once = PTHREAD_ONCE_INIT;
static CURLcode		http_global_rc = CURLE_FAILED_INIT;

/* Initialise libcurl for the process (once). */
static void
http_global_init(void)
{
	http_global_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

/* Share lock callback: one mutex per kind of shared data. */
static void
http_share_lock(CURL *h, curl_lock_data data, curl_lock_access access,
    void *arg)
{
	struct http_client	*c = arg;

	(void)h;
	(void)access;
	pthread_mutex_lock(&c->share_lock[data]);
}

/* Share unlock callback. */
static void
http_share_unlock(CURL *h, curl_lock_data data, void *arg)
{
	struct http_client	*c = arg;

	(void)h;
	pthread_mutex_unlock(&c->share_lock[data]);
}

/* curl_slist_append that, like xmalloc, never returns NULL. */
static struct curl_slist *
http_slist_add(struct curl_slist *l, const char *s)
{
	struct curl_slist	*n;

	if ((n = curl_slist_append(l, s)) == NULL) {
		fprintf(stderr, "latticectl: curl_slist_append: out of memory\n");
		abort();
	}
	return n;
}

/* Check that the TLS files named in the options can be read. */
static int
http_check_tls_files(const struct http_tls *tls, char **cause)
{
	const char	*files[3] = { tls->ca_file, tls->cert_file, tls->key_file };
	const char	*what[3] = { "CA file", "client certificate",
			    "client key" };
	size_t		 i;

	for (i = 0; i < 3; i++) {
		if (files[i] != NULL && access(files[i], R_OK) != 0)
			return error_set(cause, "%s %s: cannot read it", what[i],
			    files[i]);
	}
	if ((tls->key_pem != NULL || tls->key_file != NULL) &&
	    tls->cert_pem == NULL && tls->cert_file == NULL)
		return error_set(cause, "client key given without a certificate");
	return 0;
}

/* Copy the options into c. */
static void
http_client_copy_opts(struct http_client *c, const struct http_client_opts *o)
{
	c->ca_file = xstrdup_or_null(o->tls.ca_file);
	c->ca_pem = xstrdup_or_null(o->tls.ca_pem);
	c->cert_file = xstrdup_or_null(o->tls.cert_file);
	c->key_file = xstrdup_or_null(o->tls.key_file);
	c->cert_pem = xstrdup_or_null(o->tls.cert_pem);
	c->key_pem = xstrdup_or_null(o->tls.key_pem);
	c->server_name = xstrdup_or_null(o->tls.server_name);
	c->insecure = o->tls.insecure;
	c->proxy = xstrdup_or_null(o->proxy);
	c->user_agent = xstrdup(o->user_agent != NULL ? o->user_agent :
	    HTTP_USER_AGENT);
	c->connect_timeout_ms = o->connect_timeout_ms > 0 ?
	    o->connect_timeout_ms : HTTP_CONNECT_TIMEOUT_MS;
	c->timeout_ms = o->timeout_ms != 0 ? o->timeout_ms : HTTP_TIMEOUT_MS;
}

/* Create the share object: DNS cache and TLS sessions. */
static int
http_client_share(struct http_client *c, char **cause)
{
	if ((c->share = curl_share_init()) == NULL)
		return error_set(cause, "curl_share_init failed");
	if (curl_share_setopt(c->share, CURLSHOPT_LOCKFUNC,
	    http_share_lock) != CURLSHE_OK ||
	    curl_share_setopt(c->share, CURLSHOPT_UNLOCKFUNC,
	    http_share_unlock) != CURLSHE_OK ||
	    curl_share_setopt(c->share, CURLSHOPT_USERDATA, c) != CURLSHE_OK ||
	    curl_share_setopt(c->share, CURLSHOPT_SHARE,
	    CURL_LOCK_DATA_DNS) != CURLSHE_OK ||
	    curl_share_setopt(c->share, CURLSHOPT_SHARE,
	    CURL_LOCK_DATA_SSL_SESSION) != CURLSHE_OK)
		return error_set(cause, "curl share setup failed");
	return 0;
}

/* Create a client from opts (every string is copied). */
struct http_client *
http_client_new(const struct http_client_opts *opts, char **cause)
{
	struct http_client	*c;
	size_t			 i;

	pthread_once(&http_once, http_global_init);
	if (http_global_rc != CURLE_OK) {
		error_set(cause, "curl_global_init: %s",
		    curl_easy_strerror(http_global_rc));
		return NULL;
	}
	if (http_check_tls_files(&opts->tls, cause) != 0)
		return NULL;
	c = xcalloc(1, sizeof *c);
	for (i = 0; i < CURL_LOCK_DATA_LAST; i++)
		pthread_mutex_init(&c->share_lock[i], NULL);
	pthread_mutex_init(&c->pool_lock, NULL);
	http_client_copy_opts(c, opts);
	if (http_client_share(c, cause) != 0) {
		http_client_free(c);
		return NULL;
	}
	return c;
}

/* Free the client, its idle handles and the share object. */
void
http_client_free(struct http_client *c)
{
	size_t	i;

	if (c == NULL)
		return;
	for (i = 0; i < c->npool; i++)
		curl_easy_cleanup(c->pool[i]);
	if (c->share != NULL)
		curl_share_cleanup(c->share);
	for (i = 0; i < CURL_LOCK_DATA_LAST; i++)
		pthread_mutex_destroy(&c->share_lock[i]);
	pthread_mutex_destroy(&c->pool_lock);
	free(c->ca_file);
	free(c->ca_pem);
	free(c->cert_file);
	free(c->key_file);
	free(c->cert_pem);
	free(c->key_pem);
	free(c->server_name);
	free(c->proxy);
	free(c->user_agent);
	free(c);
}

/* Install the trace hook. */
void
http_client_set_trace(struct http_client *c, http_trace_fn fn, void *arg)
{
	c->trace = fn;
	c->trace_arg = arg;
}

/* Take the most recently used idle handle, or make a new one. */
static CURL *
http_pool_get(struct http_client *c)
{
	CURL	*h = NULL;

	pthread_mutex_lock(&c->pool_lock);
	if (c->npool > 0)
		h = c->pool[--c->npool];
	pthread_mutex_unlock(&c->pool_lock);
	if (h == NULL && (h = curl_easy_init()) == NULL) {
		fprintf(stderr, "latticectl: curl_easy_init failed\n");
		abort();
	}
	return h;
}

/* Return a handle (options cleared, connections kept) to the pool. */
static void
http_pool_put(struct http_client *c, CURL *h)
{
	curl_easy_reset(h);
	pthread_mutex_lock(&c->pool_lock);
	if (c->npool < HTTP_POOL_MAX) {
		c->pool[c->npool++] = h;
		h = NULL;
	}
	pthread_mutex_unlock(&c->pool_lock);
	if (h != NULL)
		curl_easy_cleanup(h);
}

/* Parse the code from a status line ("HTTP/1.1 200 OK"), or 0. */
static long
http_status_code(const char *line, size_t len)
{
	const char	*sp;
	long		 code = 0;
	int		 i;

	if ((sp = memchr(line, ' ', len)) == NULL ||
	    (size_t)(sp - line) + 4 > len)
		return 0;
	for (i = 1; i <= 3; i++) {
		if (sp[i] < '0' || sp[i] > '9')
			return 0;
		code = code * 10 + (sp[i] - '0');
	}
	return code;
}

/* Header callback: a status line starts a new header set. */
static size_t
http_header_cb(char *data, size_t size, size_t n, void *arg)
{
	struct http_xfer	*x = arg;
	size_t			 len = size * n;

	if (len >= 5 && strncmp(data, "HTTP/", 5) == 0) {
		x->status = http_status_code(data, len);
		http_headers_free(&x->resp->headers);
		return len;
	}
	(void)http_headers_parse_line(&x->resp->headers, data, len);
	return len;
}

/* Body callback: 2xx bodies go to on_data when set, others to resp. */
static size_t
http_write_cb(char *data, size_t size, size_t n, void *arg)
{
	struct http_xfer	*x = arg;
	const struct http_request *req = x->req;
	size_t			 len = size * n;

	x->bytes_in += len;
	if (req->on_data != NULL && x->status >= 200 && x->status < 300) {
		if (req->on_data(req->on_data_arg, data, len) != 0) {
			x->aborted = 1;
			return 0;
		}
		return len;
	}
	strbuf_add(&x->resp->body, data, len);
	return len;
}

/* Progress callback: poll the request's cancel hook. */
static int
http_xferinfo_cb(void *arg, curl_off_t dltotal, curl_off_t dlnow,
    curl_off_t ultotal, curl_off_t ulnow)
{
	struct http_xfer	*x = arg;

	(void)dltotal;
	(void)dlnow;
	(void)ultotal;
	(void)ulnow;
	if (x->req->cancel(x->req->cancel_arg) != 0) {
		x->cancelled = 1;
		return 1;
	}
	return 0;
}

/* Apply TLS settings: verification, CA, client certificate. */
static int
http_setup_tls(struct http_client *c, CURL *h, char **cause)
{
	struct curl_blob	b;

	curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, c->insecure ? 0L : 1L);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, c->insecure ? 0L : 2L);
	if (c->ca_pem != NULL) {
		b.data = c->ca_pem;
		b.len = strlen(c->ca_pem);
		b.flags = CURL_BLOB_NOCOPY;
		if (curl_easy_setopt(h, CURLOPT_CAINFO_BLOB, &b) != CURLE_OK)
			return error_set(cause, "CA PEM data not supported");
	} else if (c->ca_file != NULL)
		curl_easy_setopt(h, CURLOPT_CAINFO, c->ca_file);
	if (c->cert_pem != NULL) {
		b.data = c->cert_pem;
		b.len = strlen(c->cert_pem);
		b.flags = CURL_BLOB_NOCOPY;
		if (curl_easy_setopt(h, CURLOPT_SSLCERT_BLOB, &b) != CURLE_OK)
			return error_set(cause, "client cert PEM data not supported");
	} else if (c->cert_file != NULL)
		curl_easy_setopt(h, CURLOPT_SSLCERT, c->cert_file);
	curl_easy_setopt(h, CURLOPT_SSLCERTTYPE, "PEM");
	if (c->key_pem != NULL) {
		b.data = c->key_pem;
		b.len = strlen(c->key_pem);
		b.flags = CURL_BLOB_NOCOPY;
		if (curl_easy_setopt(h, CURLOPT_SSLKEY_BLOB, &b) != CURLE_OK)
			return error_set(cause, "client key PEM data not supported");
	} else if (c->key_file != NULL)
		curl_easy_setopt(h, CURLOPT_SSLKEY, c->key_file);
	curl_easy_setopt(h, CURLOPT_SSLKEYTYPE, "PEM");
	return 0;
}

/* Apply the client-wide settings: share, timeouts, proxy, callbacks. */
static void
http_setup_client(struct http_client *c, CURL *h, struct http_xfer *x)
{
	long	timeout = x->req->timeout_ms != 0 ? x->req->timeout_ms :
		    c->timeout_ms;

	curl_easy_setopt(h, CURLOPT_SHARE, c->share);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_PATH_AS_IS, 1L);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, x->errbuf);
	curl_easy_setopt(h, CURLOPT_USERAGENT, c->user_agent);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, c->connect_timeout_ms);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, timeout > 0 ? timeout : 0L);
	curl_easy_setopt(h, CURLOPT_TCP_KEEPALIVE, 1L);
	curl_easy_setopt(h, CURLOPT_TCP_KEEPIDLE, HTTP_KEEPIDLE_S);
	curl_easy_setopt(h, CURLOPT_TCP_KEEPINTVL, HTTP_KEEPINTVL_S);
	curl_easy_setopt(h, CURLOPT_SUPPRESS_CONNECT_HEADERS, 1L);
	/* Unset, libcurl reads the proxy environment variables itself. */
	if (c->proxy != NULL)
		curl_easy_setopt(h, CURLOPT_PROXY, c->proxy);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, http_header_cb);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, x);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, http_write_cb);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, x);
	if (x->req->cancel != NULL) {
		curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, http_xferinfo_cb);
		curl_easy_setopt(h, CURLOPT_XFERINFODATA, x);
		curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
	}
}

/* Whether the method carries a body even when none is given. */
static int
http_method_has_body(const char *method)
{
	return strcmp(method, "POST") == 0 || strcmp(method, "PUT") == 0 ||
	    strcmp(method, "PATCH") == 0;
}

/* Set the method and request body. */
static void
http_setup_method(CURL *h, struct http_xfer *x)
{
	const struct http_request	*req = x->req;

	if (strcmp(x->method, "HEAD") == 0) {
		curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
		return;
	}
	if (req->body != NULL || http_method_has_body(x->method)) {
		curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE,
		    (curl_off_t)(req->body != NULL ? req->body_len : 0));
		curl_easy_setopt(h, CURLOPT_POSTFIELDS,
		    req->body != NULL ? req->body : "");
	} else if (strcmp(x->method, "GET") == 0) {
		curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
		return;
	}
	if (strcmp(x->method, "POST") != 0)
		curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, x->method);
}

/* Whether a header name or value would break the request framing. */
static int
http_header_bad(const struct http_header *hd)
{
	return hd->name[0] == '\0' || strpbrk(hd->name, ":\r\n \t") != NULL ||
	    strpbrk(hd->value, "\r\n") != NULL;
}

/* Build the request header list, muting curl's unwanted defaults. */
static int
http_setup_headers(CURL *h, struct http_xfer *x, char **cause)
{
	const struct http_headers	*hs = &x->req->headers;
	char				*line;
	size_t				 i;

	for (i = 0; i < hs->n; i++) {
		if (http_header_bad(&hs->v[i]))
			return error_set(cause, "%s %s: invalid header \"%s\"",
			    x->method, x->url, hs->v[i].name);
		if (*hs->v[i].value == '\0')
			xasprintf(&line, "%s;", hs->v[i].name);
		else
			xasprintf(&line, "%s: %s", hs->v[i].name, hs->v[i].value);
		x->headers = http_slist_add(x->headers, line);
		free(line);
	}
	if (http_headers_get(hs, "Expect") == NULL)
		x->headers = http_slist_add(x->headers, "Expect:");
	if (http_headers_get(hs, "Content-Type") == NULL)
		x->headers = http_slist_add(x->headers, "Content-Type:");
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, x->headers);
	return 0;
}

/* Release the parsed URL pieces of a server_name rewrite. */
static void
http_pin_free(CURLU *u, char *scheme, char *host, char *port)
{
	curl_free(scheme);
	curl_free(host);
	curl_free(port);
	curl_url_cleanup(u);
}

/* With tls.server_name: put server_name in the URL (SNI, verification)
 * and pin the connection to the URL's real host and port. */
static int
http_pin_server_name(struct http_client *c, struct http_xfer *x,
    char **cause)
{
	CURLU	*u;
	char	*scheme = NULL, *host = NULL, *port = NULL, *url, *pin;

	if ((u = curl_url()) == NULL)
		return error_set(cause, "curl_url failed");
	if (curl_url_set(u, CURLUPART_URL, x->req->url,
	    CURLU_PATH_AS_IS) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_PORT, &port,
	    CURLU_DEFAULT_PORT) != CURLUE_OK) {
		http_pin_free(u, scheme, host, port);
		return error_set(cause, "%s %s: malformed URL", x->method, x->url);
	}
	if (strcasecmp(scheme, "https") != 0 ||
	    strcasecmp(host, c->server_name) == 0) {
		http_pin_free(u, scheme, host, port);
		return 0;
	}
	if (curl_url_set(u, CURLUPART_HOST, c->server_name, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_URL, &url, 0) != CURLUE_OK) {
		http_pin_free(u, scheme, host, port);
		return error_set(cause, "invalid TLS server name \"%s\"",
		    c->server_name);
	}
	x->pinned_url = xstrdup(url);
	curl_free(url);
	xasprintf(&pin, "%s:%s:%s:%s", c->server_name, port, host, port);
	x->connect_to = http_slist_add(NULL, pin);
	free(pin);
	http_pin_free(u, scheme, host, port);
	return 0;
}

/* Prepare handle h for the exchange x. */
static int
http_setup(struct http_client *c, CURL *h, struct http_xfer *x, char **cause)
{
	http_setup_client(c, h, x);
	if (http_setup_tls(c, h, cause) != 0)
		return error_wrap(cause, "%s %s", x->method, x->url);
	if (http_setup_headers(h, x, cause) != 0)
		return -1;
	http_setup_method(h, x);
	if (c->server_name != NULL && http_pin_server_name(c, x, cause) != 0)
		return -1;
	if (x->connect_to != NULL)
		curl_easy_setopt(h, CURLOPT_CONNECT_TO, x->connect_to);
	curl_easy_setopt(h, CURLOPT_URL,
	    x->pinned_url != NULL ? x->pinned_url : x->req->url);
	return 0;
}

/* Cut a curl message where it would repeat the URL's query string. */
static void
http_scrub_query(struct http_xfer *x)
{
	const char	*q;
	char		*at;
	size_t		 qlen;

	if ((q = strchr(x->req->url, '?')) == NULL || *++q == '\0')
		return;
	qlen = strcspn(q, "#");
	if (qlen > 0 && (at = memmem(x->errbuf, strlen(x->errbuf), q,
	    qlen)) != NULL)
		snprintf(at, sizeof x->errbuf - (size_t)(at - x->errbuf),
		    "[query]");
}

/* Set the cause for a failed transfer; returns -1. */
static int
http_fail(struct http_xfer *x, CURLcode rc, char **cause)
{
	size_t	len;

	if (x->aborted)
		return error_set(cause, "%s %s: aborted by callback", x->method,
		    x->url);
	if (x->cancelled)
		return error_set(cause, "%s %s: cancelled", x->method, x->url);
	http_scrub_query(x);
	len = strlen(x->errbuf);
	while (len > 0 && (x->errbuf[len - 1] == '\n' ||
	    x->errbuf[len - 1] == '\r'))
		x->errbuf[--len] = '\0';
	return error_set(cause, "%s %s: %s", x->method, x->url,
	    len > 0 ? x->errbuf : curl_easy_strerror(rc));
}

/* Record the outcome in resp and report it to the trace hook. */
static void
http_finish(struct http_client *c, CURL *h, struct http_xfer *x, int failed,
    uint64_t duration_us)
{
	struct http_trace	t;
	curl_off_t		up = 0;
	long			code = 0;

	if (curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code) != CURLE_OK ||
	    code == 0)
		code = x->status;
	(void)curl_easy_getinfo(h, CURLINFO_SIZE_UPLOAD_T, &up);
	x->resp->status = code;
	log_trace("%s %s: status %ld, %llu us%s", x->method, x->url, code,
	    (unsigned long long)duration_us, failed ? ", failed" : "");
	if (c->trace == NULL)
		return;
	memset(&t, 0, sizeof t);
	t.op = x->req->op != NULL ? x->req->op : x->method;
	t.method = x->method;
	t.url = x->url;
	t.status = code;
	t.duration_us = duration_us;
	t.bytes_out = up > 0 ? (size_t)up : 0;
	t.bytes_in = x->bytes_in;
	t.retries = x->req->attempt > 1 ? x->req->attempt - 1 : 0;
	t.transport_error = failed;
	c->trace(c->trace_arg, &t);
}

/* Perform one exchange on a pooled handle. */
int
http_do(struct http_client *c, const struct http_request *req,
    struct http_response *resp, char **cause)
{
	struct http_xfer	 x;
	CURL			*h;
	CURLcode		 rc;
	uint64_t		 t0;
	int			 ret;

	if (req->url == NULL)
		return error_set(cause, "HTTP request without a URL");
	memset(&x, 0, sizeof x);
	x.req = req;
	x.resp = resp;
	x.method = req->method != NULL ? req->method : "GET";
	x.url = http_url_noquery(req->url);
	resp->status = 0;
	http_headers_free(&resp->headers);
	strbuf_reset(&resp->body);

	h = http_pool_get(c);
	t0 = time_mono_us();
	if ((ret = http_setup(c, h, &x, cause)) == 0) {
		if ((rc = curl_easy_perform(h)) != CURLE_OK)
			ret = http_fail(&x, rc, cause);
	}
	http_finish(c, h, &x, ret != 0, time_mono_us() - t0);
	http_pool_put(c, h);

	curl_slist_free_all(x.headers);
	curl_slist_free_all(x.connect_to);
	free(x.pinned_url);
	free(x.url);
	return ret;
}

/* Free a request's headers (the rest is borrowed). */
void
http_request_free(struct http_request *req)
{
	http_headers_free(&req->headers);
}

/* Make resp empty and ready for http_do. */
void
http_response_init(struct http_response *resp)
{
	resp->status = 0;
	memset(&resp->headers, 0, sizeof resp->headers);
	strbuf_init(&resp->body);
}

/* Free a response's headers and body. */
void
http_response_free(struct http_response *resp)
{
	http_headers_free(&resp->headers);
	strbuf_free(&resp->body);
	resp->status = 0;
}
