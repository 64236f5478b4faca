/*
 * HTTP server over libmicrohttpd, for the simulator and the controller's
 * /metrics and /healthz. One thread per connection, so handlers may block
 * (watch streams). TLS when PEM certificate and key are given (Debian's
 * libmicrohttpd uses GnuTLS; PEM is handed over in memory).
 *
 * Ownership: the request and everything it points to belong to the server
 * and live only during the handler call. The handler fills the response;
 * the server frees its headers and body. A streaming response's arg is
 * released with stream_free when the connection ends (also when the
 * response could not be built).
 *
 * Streams: the producer is called from the connection's thread; a return
 * of 0 makes the server wait ~20 ms and call again (the peer hanging up
 * or httpd_stop ends the stream). Request bodies beyond max_body (declared
 * or received) get 413 without reaching the handler. Handler headers
 * Content-Length and Transfer-Encoding are ignored (the server sets them).
 */
#ifndef LATTICECTL_HTTPD_H
#define LATTICECTL_HTTPD_H

#include <stddef.h>
#include <sys/types.h>

#include "latticectl/http.h"
#include "latticectl/strbuf.h"

struct httpd;

struct httpd_request {
	const char		*method;
	const char		*path;		/* percent-decoded path */
	const char		*raw_path;	/* as received, without query */
	const char		*query;		/* raw query string, or "" */
	struct http_headers	 headers;
	const char		*body;
	size_t			 body_len;
	const char		*remote;	/* "127.0.0.1:port" */
	int			 tls;
};

/* Produce up to max bytes of a streaming body: the count written; 0 when
 * nothing is ready yet (called again shortly); -1 to end the stream. It
 * may block for a short while (say <= 1 s) waiting for data. */
typedef ssize_t (*httpd_stream_fn)(void *arg, char *buf, size_t max);

struct httpd_response {
	int			 status;
	struct http_headers	 headers;
	struct strbuf		 body;
	httpd_stream_fn		 stream;	/* chunked streaming when set */
	void			*stream_arg;
	void			(*stream_free)(void *);
};

typedef void (*httpd_handler_fn)(void *arg, const struct httpd_request *,
    struct httpd_response *);

struct httpd_opts {
	const char	*listen;	/* "127.0.0.1:0" style; port 0 picks one */
	const char	*tls_cert_pem;	/* NULL: plain HTTP */
	const char	*tls_key_pem;
	size_t		 max_body;	/* 0: 8 MiB; larger bodies get 413 */
	unsigned	 timeout_s;	/* idle connection timeout; 0: 120 */
};

struct httpd *httpd_start(const struct httpd_opts *, httpd_handler_fn,
	    void *arg, char **cause);
/* The port actually bound. */
int	 httpd_port(const struct httpd *);
/* Whether httpd_stop has begun: stream producers may end early. */
int	 httpd_stopping(const struct httpd *);
/* Stop accepting, end streams (a stream reader returns end-of-stream
 * once stopping), join threads, free. NULL is a no-op. */
void	 httpd_stop(struct httpd *);

#endif
