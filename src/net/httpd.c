/* httpd: an HTTP/HTTPS server over libmicrohttpd, one thread per connection. */
#include <sys/types.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <microhttpd.h>

#define LOG_MODULE "httpd"
#include "latticectl/error.h"
#include "latticectl/httpd.h"
#include "latticectl/log.h"
#include "latticectl/timeutil.h"
#include "latticectl/xmalloc.h"

#define HTTPD_DEFAULT_MAX_BODY	(8u * 1024 * 1024)
#define HTTPD_DEFAULT_TIMEOUT	120
#define HTTPD_STREAM_BLOCK	(32 * 1024)
#define HTTPD_IDLE_SLEEP_MS	20

struct httpd {
	struct MHD_Daemon	*daemon;
	httpd_handler_fn	 handler;
	void			*arg;
	size_t			 max_body;
	int			 port;
	int			 tls;
	char			*cert_pem;
	char			*key_pem;
	atomic_int		 stopping;
};

/* Per-request state, created by the URI logger. */
struct httpd_conn {
	char		*uri;		/* raw request-target */
	struct strbuf	 body;
	int		 started;
	int		 too_big;
};

/* A streaming response in flight. */
struct httpd_stream {
	struct httpd		*httpd;
	int			 fd;
	httpd_stream_fn		 fn;
	void			*arg;
	void			(*free_fn)(void *);
};

/* Route libmicrohttpd's messages to our log. */
static void
httpd_mhd_log(void *arg, const char *fmt, va_list ap)
{
	char	*msg;
	size_t	 len;

	(void)arg;
	xvasprintf(&msg, fmt, ap);
	len = strlen(msg);
	while (len > 0 && (msg[len - 1] == '\n' || msg[len - 1] == '\r'))
		msg[--len] = '\0';
	log_debug("%s", msg);
	free(msg);
}

/* URI logger: allocate the request state and keep the raw target. */
static void *
httpd_uri_log(void *arg, const char *uri, struct MHD_Connection *c)
{
	struct httpd_conn	*hc;

	(void)arg;
	(void)c;
	hc = xcalloc(1, sizeof *hc);
	hc->uri = xstrdup(uri != NULL ? uri : "/");
	strbuf_init(&hc->body);
	return hc;
}

/* Request completed: free its state. */
static void
httpd_completed(void *arg, struct MHD_Connection *c, void **con_cls,
    enum MHD_RequestTerminationCode toe)
{
	struct httpd_conn	*hc = *con_cls;

	(void)arg;
	(void)c;
	(void)toe;
	if (hc == NULL)
		return;
	free(hc->uri);
	strbuf_free(&hc->body);
	free(hc);
	*con_cls = NULL;
}

/* Collect one request header into the list. */
static enum MHD_Result
httpd_collect_header(void *cls, enum MHD_ValueKind kind, const char *key,
    const char *value)
{
	(void)kind;
	http_headers_add(cls, key, value != NULL ? value : "");
	return MHD_YES;
}

/* Format the peer address as "host:port". */
static void
httpd_remote(struct MHD_Connection *c, char *buf, size_t len)
{
	const union MHD_ConnectionInfo	*ci;
	const struct sockaddr		*sa;
	char				 host[INET6_ADDRSTRLEN];

	snprintf(buf, len, "unknown");
	ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (ci == NULL || (sa = ci->client_addr) == NULL)
		return;
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const void *)sa;

		inet_ntop(AF_INET, &in->sin_addr, host, sizeof host);
		snprintf(buf, len, "%s:%u", host, ntohs(in->sin_port));
	} else if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const void *)sa;

		inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof host);
		snprintf(buf, len, "[%s]:%u", host, ntohs(in6->sin6_port));
	}
}

/* Whether the peer has hung up (without consuming any input). */
static int
httpd_peer_gone(int fd)
{
	struct pollfd	pfd;

	if (fd < 0)
		return 0;
	pfd.fd = fd;
	pfd.events = POLLRDHUP;
	pfd.revents = 0;
	if (poll(&pfd, 1, 0) <= 0)
		return 0;
	return (pfd.revents & (POLLRDHUP | POLLHUP | POLLERR | POLLNVAL)) != 0;
}

/* Content reader: pull from the handler's stream, never returning 0 (that
 * would make libmicrohttpd busy-wait in thread-per-connection mode). */
static ssize_t
httpd_stream_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct httpd_stream	*st = cls;
	ssize_t			 n;

	(void)pos;
	for (;;) {
		if (atomic_load(&st->httpd->stopping))
			return MHD_CONTENT_READER_END_OF_STREAM;
		if (httpd_peer_gone(st->fd))
			return MHD_CONTENT_READER_END_WITH_ERROR;
		n = st->fn(st->arg, buf, max);
		if (n < 0)
			return MHD_CONTENT_READER_END_OF_STREAM;
		if (n > 0)
			return n > (ssize_t)max ? (ssize_t)max : n;
		time_sleep_ms(HTTPD_IDLE_SLEEP_MS);
	}
}

/* Release a stream when its connection ends. */
static void
httpd_stream_free(void *cls)
{
	struct httpd_stream	*st = cls;

	if (st->free_fn != NULL)
		st->free_fn(st->arg);
	free(st);
}

/* Whether a handler header must not be passed on (libmicrohttpd sets it). */
static int
httpd_reserved_header(const char *name)
{
	return strcasecmp(name, "Content-Length") == 0 ||
	    strcasecmp(name, "Transfer-Encoding") == 0;
}

/* Turn the handler's response into an MHD response. */
static struct MHD_Response *
httpd_make_response(struct httpd *h, struct MHD_Connection *c,
    struct httpd_response *r)
{
	struct MHD_Response		*mr;
	struct httpd_stream		*st;
	const union MHD_ConnectionInfo	*ci;
	char				*body;
	size_t				 len, i;

	if (r->stream != NULL) {
		st = xcalloc(1, sizeof *st);
		st->httpd = h;
		ci = MHD_get_connection_info(c,
		    MHD_CONNECTION_INFO_CONNECTION_FD);
		st->fd = ci != NULL ? ci->connect_fd : -1;
		st->fn = r->stream;
		st->arg = r->stream_arg;
		st->free_fn = r->stream_free;
		r->stream_free = NULL;
		mr = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN,
		    HTTPD_STREAM_BLOCK, httpd_stream_read, st,
		    httpd_stream_free);
		if (mr == NULL)
			httpd_stream_free(st);
	} else {
		body = strbuf_detach(&r->body, &len);
		mr = MHD_create_response_from_buffer(len, body,
		    MHD_RESPMEM_MUST_FREE);
		if (mr == NULL)
			free(body);
	}
	if (mr == NULL)
		return NULL;
	for (i = 0; i < r->headers.n; i++) {
		if (!httpd_reserved_header(r->headers.v[i].name))
			MHD_add_response_header(mr, r->headers.v[i].name,
			    r->headers.v[i].value);
	}
	return mr;
}

/* Queue a small plain-text response. */
static enum MHD_Result
httpd_queue_text(struct MHD_Connection *c, unsigned status, const char *text)
{
	struct MHD_Response	*mr;
	enum MHD_Result		 ret;

	mr = MHD_create_response_from_buffer(strlen(text), (void *)text,
	    MHD_RESPMEM_PERSISTENT);
	if (mr == NULL)
		return MHD_NO;
	MHD_add_response_header(mr, "Content-Type", "text/plain");
	ret = MHD_queue_response(c, status, mr);
	MHD_destroy_response(mr);
	return ret;
}

/* Run the handler for a fully received request and queue its answer. */
static enum MHD_Result
httpd_dispatch(struct httpd *h, struct MHD_Connection *c,
    struct httpd_conn *hc, const char *url, const char *method)
{
	struct httpd_request	 req;
	struct httpd_response	 resp;
	struct MHD_Response	*mr;
	enum MHD_Result		 ret;
	char			 remote[INET6_ADDRSTRLEN + 16];
	char			*q, *raw_path;

	memset(&req, 0, sizeof req);
	memset(&resp, 0, sizeof resp);
	raw_path = xstrdup(hc->uri);
	if ((q = strchr(raw_path, '?')) != NULL)
		*q++ = '\0';
	httpd_remote(c, remote, sizeof remote);
	req.method = method;
	req.path = url;
	req.raw_path = raw_path;
	req.query = q != NULL ? q : "";
	MHD_get_connection_values(c, MHD_HEADER_KIND, httpd_collect_header,
	    &req.headers);
	req.body = hc->body.buf;
	req.body_len = hc->body.len;
	req.remote = remote;
	req.tls = h->tls;
	resp.status = 200;
	strbuf_init(&resp.body);
	h->handler(h->arg, &req, &resp);
	mr = httpd_make_response(h, c, &resp);
	ret = mr != NULL ? MHD_queue_response(c, resp.status, mr) : MHD_NO;
	if (mr != NULL)
		MHD_destroy_response(mr);
	if (resp.stream_free != NULL)	/* response never built */
		resp.stream_free(resp.stream_arg);
	http_headers_free(&req.headers);
	http_headers_free(&resp.headers);
	strbuf_free(&resp.body);
	free(raw_path);
	return ret;
}

/* Whether the declared Content-Length already exceeds the limit. */
static int
httpd_declared_too_big(struct httpd *h, struct MHD_Connection *c)
{
	const char		*cl;
	unsigned long long	 n;
	char			*end;

	cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
	if (cl == NULL)
		return 0;
	n = strtoull(cl, &end, 10);
	return end != cl && n > h->max_body;
}

/* Access handler: accumulate the body, then dispatch. */
static enum MHD_Result
httpd_access(void *cls, struct MHD_Connection *c, const char *url,
    const char *method, const char *version, const char *upload_data,
    size_t *upload_data_size, void **con_cls)
{
	struct httpd		*h = cls;
	struct httpd_conn	*hc = *con_cls;

	(void)version;
	if (hc == NULL)		/* URI logger did not run: cannot happen */
		return MHD_NO;
	if (!hc->started) {
		hc->started = 1;
		if (httpd_declared_too_big(h, c))
			return httpd_queue_text(c, 413, "request body too "
			    "large\n");
		return MHD_YES;
	}
	if (*upload_data_size != 0) {
		if (hc->body.len + *upload_data_size > h->max_body)
			hc->too_big = 1;
		else
			strbuf_add(&hc->body, upload_data, *upload_data_size);
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (hc->too_big)
		return httpd_queue_text(c, 413, "request body too large\n");
	return httpd_dispatch(h, c, hc, url, method);
}

/* Split "host:port", "[v6]:port" or ":port" into its parts. */
static int
httpd_split_listen(const char *listen, char **host, char **port,
    char **cause)
{
	const char	*colon, *end;

	if (listen == NULL || *listen == '\0')
		listen = "127.0.0.1:0";
	if (listen[0] == '[') {
		if ((end = strchr(listen, ']')) == NULL || end[1] != ':')
			return error_set(cause, "listen %s: bad address",
			    listen);
		*host = xstrndup(listen + 1, end - listen - 1);
		*port = xstrdup(end + 2);
		return 0;
	}
	if ((colon = strrchr(listen, ':')) == NULL ||
	    strchr(listen, ':') != colon)
		return error_set(cause, "listen %s: want HOST:PORT", listen);
	*host = colon == listen ? xstrdup("0.0.0.0") :
	    xstrndup(listen, colon - listen);
	*port = xstrdup(colon + 1);
	return 0;
}

/* Resolve the listen address into a socket address. */
static int
httpd_resolve(const char *listen, struct sockaddr_storage *ss, char **cause)
{
	struct addrinfo	 hints, *res;
	char		*host = NULL, *port = NULL, *end;
	int		 rc;

	if (httpd_split_listen(listen, &host, &port, cause) != 0)
		return -1;
	rc = -1;
	if (*port == '\0' || strtoul(port, &end, 10) > 65535 || *end != '\0') {
		error_set(cause, "listen %s: bad port", listen);
		goto out;
	}
	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	if ((rc = getaddrinfo(host, port, &hints, &res)) != 0) {
		error_set(cause, "listen %s: %s", listen, gai_strerror(rc));
		rc = -1;
		goto out;
	}
	memset(ss, 0, sizeof *ss);
	memcpy(ss, res->ai_addr, res->ai_addrlen);
	freeaddrinfo(res);
	rc = 0;
out:
	free(host);
	free(port);
	return rc;
}

/* Start the daemon with the resolved address and TLS settings. */
static struct MHD_Daemon *
httpd_mhd_start(struct httpd *h, struct sockaddr_storage *ss,
    unsigned timeout_s)
{
	unsigned	flags;

	flags = MHD_USE_THREAD_PER_CONNECTION |
	    MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG;
	if (ss->ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	if (h->tls) {
		flags |= MHD_USE_TLS;
		return MHD_start_daemon(flags, 0, NULL, NULL, httpd_access, h,
		    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)ss,
		    MHD_OPTION_URI_LOG_CALLBACK, httpd_uri_log, h,
		    MHD_OPTION_NOTIFY_COMPLETED, httpd_completed, h,
		    MHD_OPTION_EXTERNAL_LOGGER, httpd_mhd_log, h,
		    MHD_OPTION_CONNECTION_TIMEOUT, timeout_s,
		    MHD_OPTION_HTTPS_MEM_KEY, h->key_pem,
		    MHD_OPTION_HTTPS_MEM_CERT, h->cert_pem,
		    MHD_OPTION_END);
	}
	return MHD_start_daemon(flags, 0, NULL, NULL, httpd_access, h,
	    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)ss,
	    MHD_OPTION_URI_LOG_CALLBACK, httpd_uri_log, h,
	    MHD_OPTION_NOTIFY_COMPLETED, httpd_completed, h,
	    MHD_OPTION_EXTERNAL_LOGGER, httpd_mhd_log, h,
	    MHD_OPTION_CONNECTION_TIMEOUT, timeout_s,
	    MHD_OPTION_END);
}

/* Free a server that never started or has stopped. */
static void
httpd_free(struct httpd *h)
{
	free(h->cert_pem);
	free(h->key_pem);
	free(h);
}

/* Start serving; NULL with *cause when the address or TLS setup fails. */
struct httpd *
httpd_start(const struct httpd_opts *o, httpd_handler_fn handler, void *arg,
    char **cause)
{
	struct httpd			*h;
	struct sockaddr_storage		 ss;
	const union MHD_DaemonInfo	*di;

	if (httpd_resolve(o->listen, &ss, cause) != 0)
		return NULL;
	if ((o->tls_cert_pem == NULL) != (o->tls_key_pem == NULL)) {
		error_set(cause, "httpd: TLS needs both certificate and key");
		return NULL;
	}
	if (o->tls_cert_pem != NULL && MHD_is_feature_supported(MHD_FEATURE_TLS)
	    != MHD_YES) {
		error_set(cause, "httpd: libmicrohttpd has no TLS support");
		return NULL;
	}
	h = xcalloc(1, sizeof *h);
	h->handler = handler;
	h->arg = arg;
	h->max_body = o->max_body != 0 ? o->max_body : HTTPD_DEFAULT_MAX_BODY;
	h->tls = o->tls_cert_pem != NULL;
	h->cert_pem = xstrdup_or_null(o->tls_cert_pem);
	h->key_pem = xstrdup_or_null(o->tls_key_pem);
	atomic_init(&h->stopping, 0);
	h->daemon = httpd_mhd_start(h, &ss,
	    o->timeout_s != 0 ? o->timeout_s : HTTPD_DEFAULT_TIMEOUT);
	if (h->daemon == NULL) {
		error_set(cause, "httpd: cannot listen on %s%s",
		    o->listen != NULL ? o->listen : "127.0.0.1:0",
		    h->tls ? " (or bad TLS certificate/key)" : "");
		httpd_free(h);
		return NULL;
	}
	di = MHD_get_daemon_info(h->daemon, MHD_DAEMON_INFO_BIND_PORT);
	h->port = di != NULL ? di->port : 0;
	return h;
}

/* The port actually bound. */
int
httpd_port(const struct httpd *h)
{
	return h->port;
}

/* Whether httpd_stop has begun (stream producers may end early). */
int
httpd_stopping(const struct httpd *h)
{
	return atomic_load(&((struct httpd *)h)->stopping);
}

/* Stop accepting, end streams, join the connection threads, free. */
void
httpd_stop(struct httpd *h)
{
	if (h == NULL)
		return;
	atomic_store(&h->stopping, 1);
	MHD_stop_daemon(h->daemon);
	httpd_free(h);
}
