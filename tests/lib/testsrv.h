/*
 * testsrv: a small HTTP/HTTPS server over libmicrohttpd for tests, plus a
 * run-time PKI generator (OpenSSL) for its certificates.
 *
 * The server listens on 127.0.0.1 on a free port, one thread per
 * connection. Each request is handed to the handler callback (on the
 * connection's thread), which fills in a response; without a handler it
 * answers 200 "ok". It counts accepted TCP connections (to prove reuse)
 * and requests. Options: TLS (PEM cert/key), a client-certificate
 * requirement (requests without a certificate signed by client_ca_pem get
 * 401 and never reach the handler), a delay before answering, and
 * streaming (chunked) responses produced piece by piece by a callback.
 *
 * Ownership: the server copies its options; testsrv_req and everything
 * in it belong to the server and live only during the handler call;
 * testsrv_resp is owned by the server, the handler only fills it. PKI
 * strings belong to struct testsrv_pki (testsrv_pki_free).
 */
#ifndef LATTICECTL_TESTSRV_H
#define LATTICECTL_TESTSRV_H

#include <stddef.h>

#include "latticectl/http.h"
#include "latticectl/strbuf.h"

struct testsrv;

struct testsrv_req {
	const char		*method;
	const char		*path;		/* decoded path (MHD's url) */
	const char		*target;	/* raw request-target, with query;
						 * absolute-form through a proxy */
	struct http_headers	 headers;
	const char		*body;		/* NUL-terminated too */
	size_t			 body_len;
	int			 client_cert_ok;	/* a trusted client cert came */
};

/* Streaming body: called for chunk idx (0, 1, ...) in the connection's
 * thread, may block. Append the chunk to out and return 0, or return 1
 * at the end (out ignored), or -1 to cut the connection. */
typedef int (*testsrv_stream_fn)(void *arg, unsigned idx, struct strbuf *out);

struct testsrv_resp {
	int			 status;	/* preset 200 */
	struct http_headers	 headers;
	struct strbuf		 body;		/* preset empty */
	unsigned		 delay_ms;	/* preset from opts.delay_ms */
	testsrv_stream_fn	 stream;	/* set: chunked, body ignored */
	void			*stream_arg;
};

typedef void (*testsrv_handler_fn)(void *arg, const struct testsrv_req *,
    struct testsrv_resp *);

struct testsrv_opts {
	const char		*cert_pem;	/* set (with key_pem): HTTPS */
	const char		*key_pem;
	const char		*client_ca_pem;	/* require a client cert from it */
	unsigned		 delay_ms;	/* before each answer */
	testsrv_handler_fn	 handler;	/* NULL: 200 "ok" */
	void			*arg;
};

/* Start a server; NULL with *cause on failure. opts may be NULL. */
struct testsrv	*testsrv_start(const struct testsrv_opts *, char **cause);
/* Stop it (cutting short any delay) and free it. */
void		 testsrv_stop(struct testsrv *);
int		 testsrv_port(const struct testsrv *);
/* "http://127.0.0.1:PORT" or "https://...", no trailing slash. */
const char	*testsrv_url(const struct testsrv *);
/* TCP connections accepted so far. */
unsigned	 testsrv_connections(const struct testsrv *);
/* Requests completed so far (handler called or 401 sent). */
unsigned	 testsrv_requests(const struct testsrv *);
/* Whether testsrv_stop has begun (for stream callbacks that wait). */
int		 testsrv_stopping(const struct testsrv *);

struct testsrv_pki {
	char	*ca_pem;		/* server CA certificate */
	char	*server_cert_pem;	/* SAN localhost, 127.0.0.1, ::1, name */
	char	*server_key_pem;
	char	*client_ca_pem;		/* a separate CA for client certs */
	char	*client_cert_pem;	/* CN=latticectl-test, O=system:masters */
	char	*client_key_pem;
	char	*other_ca_pem;		/* a CA that signed nothing here */
};

/* Generate EC P-256 CAs and certificates valid for a day; server_name
 * (may be NULL) is added to the server certificate's DNS names. */
int	testsrv_make_pki(struct testsrv_pki *, const char *server_name,
	    char **cause);
void	testsrv_pki_free(struct testsrv_pki *);

#endif
