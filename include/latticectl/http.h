/*
 * HTTP client over libcurl. One http_client per configuration (TLS, proxy,
 * timeouts); it keeps a pool of curl easy handles so connections are reused
 * and is safe to use from several threads at once. TLS verification is on
 * unless tls.insecure is set. Proxies come from the usual environment
 * variables (https_proxy, http_proxy, no_proxy, and upper-case forms)
 * unless opts.proxy is given.
 *
 * Connection reuse: every easy handle keeps its own connection cache and
 * idle handles are handed out most recently used first, so sequential
 * requests (from any thread) ride one connection. DNS and TLS sessions are
 * shared across handles through a curl share object. The connection cache
 * itself is not shared: libcurl documents sharing it between concurrent
 * threads as unsupported (known bug "A shared connection cache is not
 * thread-safe").
 *
 * Ownership: http_headers owns its copies of names and values;
 * http_response owns its headers and body; the client copies every string
 * from its options. Error causes and the trace hook never carry a URL's
 * query string (it may hold presigned signatures).
 */
#ifndef LATTICECTL_HTTP_H
#define LATTICECTL_HTTP_H

#include <stddef.h>
#include <stdint.h>

#include "latticectl/strbuf.h"

struct http_header {
	char	*name;
	char	*value;
};

/* Zero-initialise ({ NULL, 0, 0 }) before first use. */
struct http_headers {
	struct http_header	*v;
	size_t			 n;
	size_t			 cap;
};

void	 http_headers_add(struct http_headers *, const char *name,
	    const char *value);
/* Replace every header of that name (case-insensitive) with one value. */
void	 http_headers_set(struct http_headers *, const char *name,
	    const char *value);
/* First value for name (case-insensitive), or NULL. */
const char *http_headers_get(const struct http_headers *, const char *name);
/* The idx'th (0-based) value for name, or NULL: repeated headers. */
const char *http_headers_get_nth(const struct http_headers *,
	    const char *name, size_t idx);
void	 http_headers_del(struct http_headers *, const char *name);
/* Append copies of every header in src to dst. */
void	 http_headers_copy(struct http_headers *dst,
	    const struct http_headers *src);
void	 http_headers_free(struct http_headers *);
/* Parse one response header line ("Name: value", CRLF optional) into h;
 * a line starting with space or tab continues the last value. Returns 0
 * when a header was added or continued, -1 for anything else (status
 * line, blank line, no colon, bad name). */
int	 http_headers_parse_line(struct http_headers *h, const char *line,
	    size_t len);

struct http_tls {
	const char	*ca_file;	/* PEM bundle path, or NULL */
	const char	*ca_pem;	/* PEM data, or NULL (wins over ca_file) */
	const char	*cert_file;	/* client certificate */
	const char	*key_file;
	const char	*cert_pem;	/* client certificate PEM data (wins) */
	const char	*key_pem;
	const char	*server_name;	/* verify against this name (kube tls-server-name) */
	int		 insecure;	/* skip verification: never by default */
};

struct http_client_opts {
	struct http_tls	 tls;
	const char	*proxy;		/* explicit proxy URL, or NULL for env */
	const char	*user_agent;	/* NULL: "latticectl" */
	long		 connect_timeout_ms;	/* 0: 10 s */
	long		 timeout_ms;		/* 0: 60 s; -1: none; per request */
};

/* A completed exchange, reported to the trace hook (metrics, UI). */
struct http_trace {
	const char	*op;		/* request's op label, or the method */
	const char	*method;
	const char	*url;		/* without query string */
	long		 status;	/* 0 when no status line arrived */
	uint64_t	 duration_us;
	size_t		 bytes_out;	/* request body bytes sent */
	size_t		 bytes_in;	/* response body bytes received */
	unsigned	 retries;	/* the request's attempt - 1 */
	int		 transport_error;	/* http_do returned -1 */
};
/* Called once per http_do, on the calling thread, after the exchange. */
typedef void (*http_trace_fn)(void *arg, const struct http_trace *);

/* Streaming body callback: return 0 to go on, -1 to abort the transfer. */
typedef int (*http_data_fn)(void *arg, const char *data, size_t len);
/* Cancellation poll: return nonzero to stop the transfer. */
typedef int (*http_cancel_fn)(void *arg);

struct http_request {
	const char		*method;	/* "GET", "POST", ...; NULL: GET */
	const char		*url;		/* absolute, already encoded */
	struct http_headers	 headers;
	const void		*body;
	size_t			 body_len;
	long			 timeout_ms;	/* 0: client default; -1: none (watches) */
	const char		*op;		/* label for the trace hook */
	unsigned		 attempt;	/* 1-based, for the trace hook */
	/* Stream the body of a 2xx response here instead of resp->body
	 * (other statuses still fill resp->body, for error messages). */
	http_data_fn		 on_data;
	void			*on_data_arg;
	/* Polled about once a second and between reads; nonzero aborts with
	 * cause "cancelled" (stops a watch that receives nothing). */
	http_cancel_fn		 cancel;
	void			*cancel_arg;
};

struct http_response {
	long			status;
	struct http_headers	headers;	/* of the final response */
	struct strbuf		body;
};

struct http_client *http_client_new(const struct http_client_opts *,
	    char **cause);
/* Free the client; no http_do may be running on it. */
void	 http_client_free(struct http_client *);
/* Set the trace hook before the client is shared between threads. */
void	 http_client_set_trace(struct http_client *, http_trace_fn, void *);
/* Perform one exchange. Returns 0 when a response arrived (any status),
 * -1 on a transport error (DNS, connect, TLS, timeout, abort by on_data
 * or cancel) with *cause set: "<METHOD> <url without query>: <reason>".
 * resp must have been through http_response_init; it is emptied first. */
int	 http_do(struct http_client *, const struct http_request *,
	    struct http_response *, char **cause);
void	 http_request_free(struct http_request *);	/* frees headers only */
void	 http_response_init(struct http_response *);
void	 http_response_free(struct http_response *);
/* Percent-encode s with RFC 3986 unreserved characters kept (caller frees).
 * keep_slash keeps '/' as is. */
char	*http_urlencode(const char *s, int keep_slash);
/* Decode %XX sequences ('+' left alone; malformed escapes and %00 are
 * kept as written); caller frees. */
char	*http_urldecode(const char *s);
/* Copy of url without its query string or fragment (caller frees): the
 * form to put in logs and errors. */
char	*http_url_noquery(const char *url);

#endif
