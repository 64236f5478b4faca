/* testsrv: a libmicrohttpd test server and a run-time test PKI. */
#include <dlfcn.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <microhttpd.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "latticectl/error.h"
#include "latticectl/timeutil.h"
#include "latticectl/xmalloc.h"
#include "testsrv.h"

#define TESTSRV_SLICE_MS	10

struct testsrv {
	struct MHD_Daemon	*daemon;
	int			 port;
	char			 url[64];
	atomic_uint		 connections;
	atomic_uint		 requests;
	atomic_int		 stopping;
	char			*cert_pem;
	char			*key_pem;
	char			*client_ca_pem;
	unsigned		 delay_ms;
	testsrv_handler_fn	 handler;
	void			*arg;
};

/* Per-request state, made when MHD first sees the request line. */
struct testsrv_ctx {
	char			*target;
	struct strbuf		 body;
	int			 started;
};

/* A streaming response being sent. */
struct testsrv_stream {
	struct testsrv		*srv;
	testsrv_stream_fn	 fn;
	void			*arg;
	unsigned		 idx;
	struct strbuf		 pending;
	size_t			 off;
};

/* gnutls_certificate_verify_peers2, found at run time (see below). */
typedef int (*testsrv_verify_fn)(void *session, unsigned int *status);

/* Sleep ms milliseconds in slices, returning early when stopping. */
static void
testsrv_sleep(struct testsrv *srv, unsigned ms)
{
	while (ms > 0 && !atomic_load(&srv->stopping)) {
		unsigned	step = ms < TESTSRV_SLICE_MS ? ms : TESTSRV_SLICE_MS;

		time_sleep_ms(step);
		ms -= step;
	}
}

/* Connection notifier: count accepted connections. */
static void
testsrv_notify(void *cls, struct MHD_Connection *conn, void **sock_ctx,
    enum MHD_ConnectionNotificationCode toe)
{
	struct testsrv	*srv = cls;

	(void)conn;
	(void)sock_ctx;
	if (toe == MHD_CONNECTION_NOTIFY_STARTED)
		atomic_fetch_add(&srv->connections, 1);
}

/* URI callback: keep the raw request-target, query and all. */
static void *
testsrv_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
	struct testsrv_ctx	*ctx;

	(void)cls;
	(void)conn;
	ctx = xcalloc(1, sizeof *ctx);
	ctx->target = xstrdup(uri);
	strbuf_init(&ctx->body);
	return ctx;
}

/* Completion notifier: free the request state. */
static void
testsrv_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
    enum MHD_RequestTerminationCode toe)
{
	struct testsrv_ctx	*ctx = *con_cls;

	(void)cls;
	(void)conn;
	(void)toe;
	if (ctx == NULL)
		return;
	free(ctx->target);
	strbuf_free(&ctx->body);
	free(ctx);
	*con_cls = NULL;
}

/* Header iterator: copy one request header. */
static enum MHD_Result
testsrv_header(void *cls, enum MHD_ValueKind kind, const char *key,
    const char *value)
{
	(void)kind;
	http_headers_add(cls, key, value != NULL ? value : "");
	return MHD_YES;
}

/*
 * Whether the TLS peer sent a certificate that verifies against the
 * trust list (MHD_OPTION_HTTPS_MEM_TRUST). MHD only requests a client
 * certificate and leaves checking it to the application through the
 * GnuTLS session; GnuTLS is loaded with libmicrohttpd but not linked
 * here, so its verify call is looked up at run time.
 */
static int
testsrv_client_cert_ok(struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo	*ci;
	testsrv_verify_fn		 verify;
	unsigned int			 status = 0;
	void				*sym;

	ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_GNUTLS_SESSION);
	if (ci == NULL || ci->tls_session == NULL)
		return 0;
	if ((sym = dlsym(RTLD_DEFAULT, "gnutls_certificate_verify_peers2")) ==
	    NULL)
		return 0;
	memcpy(&verify, &sym, sizeof verify);
	return verify(ci->tls_session, &status) == 0 && status == 0;
}

/* Content reader for streaming responses: one callback chunk at a time. */
static ssize_t
testsrv_stream_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct testsrv_stream	*st = cls;
	size_t			 n;
	int			 rc;

	(void)pos;
	while (st->off == st->pending.len) {
		if (atomic_load(&st->srv->stopping))
			return MHD_CONTENT_READER_END_WITH_ERROR;
		strbuf_reset(&st->pending);
		st->off = 0;
		rc = st->fn(st->arg, st->idx++, &st->pending);
		if (rc == 1)
			return MHD_CONTENT_READER_END_OF_STREAM;
		if (rc != 0)
			return MHD_CONTENT_READER_END_WITH_ERROR;
	}
	n = st->pending.len - st->off;
	if (n > max)
		n = max;
	memcpy(buf, st->pending.buf + st->off, n);
	st->off += n;
	return (ssize_t)n;
}

/* Free a streaming response's state. */
static void
testsrv_stream_free(void *cls)
{
	struct testsrv_stream	*st = cls;

	strbuf_free(&st->pending);
	free(st);
}

/* Turn the handler's answer into an MHD response. */
static struct MHD_Response *
testsrv_make_response(struct testsrv *srv, struct testsrv_resp *r)
{
	struct MHD_Response	*mr;
	struct testsrv_stream	*st;
	size_t			 i;

	if (r->stream != NULL) {
		st = xcalloc(1, sizeof *st);
		st->srv = srv;
		st->fn = r->stream;
		st->arg = r->stream_arg;
		strbuf_init(&st->pending);
		mr = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 4096,
		    testsrv_stream_read, st, testsrv_stream_free);
	} else
		mr = MHD_create_response_from_buffer(r->body.len, r->body.buf,
		    MHD_RESPMEM_MUST_COPY);
	if (mr == NULL)
		return NULL;
	for (i = 0; i < r->headers.n; i++)
		MHD_add_response_header(mr, r->headers.v[i].name,
		    r->headers.v[i].value);
	return mr;
}

/* Build the request view, run the handler, queue its answer. */
static enum MHD_Result
testsrv_answer(struct testsrv *srv, struct MHD_Connection *conn,
    struct testsrv_ctx *ctx, const char *url, const char *method)
{
	struct testsrv_req	 req;
	struct testsrv_resp	 resp;
	struct MHD_Response	*mr;
	enum MHD_Result		 ret;

	memset(&req, 0, sizeof req);
	memset(&resp, 0, sizeof resp);
	req.method = method;
	req.path = url;
	req.target = ctx->target;
	req.body = strbuf_str(&ctx->body);
	req.body_len = ctx->body.len;
	MHD_get_connection_values(conn, MHD_HEADER_KIND, testsrv_header,
	    &req.headers);
	resp.status = MHD_HTTP_OK;
	resp.delay_ms = srv->delay_ms;
	strbuf_init(&resp.body);
	if (srv->client_ca_pem != NULL &&
	    !(req.client_cert_ok = testsrv_client_cert_ok(conn))) {
		resp.status = MHD_HTTP_UNAUTHORIZED;
		strbuf_adds(&resp.body, "client certificate required\n");
	} else if (srv->handler != NULL)
		srv->handler(srv->arg, &req, &resp);
	else
		strbuf_adds(&resp.body, "ok");
	atomic_fetch_add(&srv->requests, 1);
	testsrv_sleep(srv, resp.delay_ms);

	ret = MHD_NO;
	if ((mr = testsrv_make_response(srv, &resp)) != NULL) {
		ret = MHD_queue_response(conn, (unsigned)resp.status, mr);
		MHD_destroy_response(mr);
	}
	http_headers_free(&req.headers);
	http_headers_free(&resp.headers);
	strbuf_free(&resp.body);
	return ret;
}

/* MHD access handler: gather the body, then answer. */
static enum MHD_Result
testsrv_access(void *cls, struct MHD_Connection *conn, const char *url,
    const char *method, const char *version, const char *upload,
    size_t *upload_size, void **con_cls)
{
	struct testsrv_ctx	*ctx = *con_cls;

	(void)version;
	if (ctx == NULL)
		return MHD_NO;
	if (!ctx->started) {
		ctx->started = 1;
		return MHD_YES;
	}
	if (*upload_size != 0) {
		strbuf_add(&ctx->body, upload, *upload_size);
		*upload_size = 0;
		return MHD_YES;
	}
	return testsrv_answer(cls, conn, ctx, url, method);
}

/* Start the daemon with srv's settings on 127.0.0.1, any port. */
static int
testsrv_start_daemon(struct testsrv *srv, char **cause)
{
	struct MHD_OptionItem		 ops[10];
	struct sockaddr_in		 sa;
	const union MHD_DaemonInfo	*di;
	unsigned int			 flags;
	size_t				 n = 0;

	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION;
	ops[n++] = (struct MHD_OptionItem){ MHD_OPTION_SOCK_ADDR, 0, &sa };
	ops[n++] = (struct MHD_OptionItem){ MHD_OPTION_URI_LOG_CALLBACK,
	    (intptr_t)testsrv_uri, srv };
	ops[n++] = (struct MHD_OptionItem){ MHD_OPTION_NOTIFY_COMPLETED,
	    (intptr_t)testsrv_completed, srv };
	ops[n++] = (struct MHD_OptionItem){ MHD_OPTION_NOTIFY_CONNECTION,
	    (intptr_t)testsrv_notify, srv };
	if (srv->cert_pem != NULL) {
		flags |= MHD_USE_TLS;
		ops[n++] = (struct MHD_OptionItem){ MHD_OPTION_HTTPS_MEM_KEY, 0,
		    srv->key_pem };
		ops[n++] = (struct MHD_OptionItem){ MHD_OPTION_HTTPS_MEM_CERT, 0,
		    srv->cert_pem };
		if (srv->client_ca_pem != NULL)
			ops[n++] = (struct MHD_OptionItem){
			    MHD_OPTION_HTTPS_MEM_TRUST, 0, srv->client_ca_pem };
	}
	ops[n] = (struct MHD_OptionItem){ MHD_OPTION_END, 0, NULL };
	srv->daemon = MHD_start_daemon(flags, 0, NULL, NULL, testsrv_access, srv,
	    MHD_OPTION_ARRAY, ops, MHD_OPTION_END);
	if (srv->daemon == NULL)
		return error_set(cause, "MHD_start_daemon failed");
	if ((di = MHD_get_daemon_info(srv->daemon,
	    MHD_DAEMON_INFO_BIND_PORT)) == NULL || di->port == 0)
		return error_set(cause, "cannot learn the test server's port");
	srv->port = di->port;
	return 0;
}

/* Start a test server. */
struct testsrv *
testsrv_start(const struct testsrv_opts *opts, char **cause)
{
	struct testsrv_opts	 none;
	struct testsrv		*srv;

	if (opts == NULL) {
		memset(&none, 0, sizeof none);
		opts = &none;
	}
	if ((opts->cert_pem == NULL) != (opts->key_pem == NULL) ||
	    (opts->client_ca_pem != NULL && opts->cert_pem == NULL)) {
		error_set(cause, "testsrv: TLS needs cert_pem and key_pem");
		return NULL;
	}
	srv = xcalloc(1, sizeof *srv);
	srv->cert_pem = xstrdup_or_null(opts->cert_pem);
	srv->key_pem = xstrdup_or_null(opts->key_pem);
	srv->client_ca_pem = xstrdup_or_null(opts->client_ca_pem);
	srv->delay_ms = opts->delay_ms;
	srv->handler = opts->handler;
	srv->arg = opts->arg;
	if (testsrv_start_daemon(srv, cause) != 0) {
		testsrv_stop(srv);
		return NULL;
	}
	snprintf(srv->url, sizeof srv->url, "%s://127.0.0.1:%d",
	    srv->cert_pem != NULL ? "https" : "http", srv->port);
	return srv;
}

/* Stop the server and free it. */
void
testsrv_stop(struct testsrv *srv)
{
	if (srv == NULL)
		return;
	atomic_store(&srv->stopping, 1);
	if (srv->daemon != NULL)
		MHD_stop_daemon(srv->daemon);
	free(srv->cert_pem);
	free(srv->key_pem);
	free(srv->client_ca_pem);
	free(srv);
}

/* The port the server listens on. */
int
testsrv_port(const struct testsrv *srv)
{
	return srv->port;
}

/* The server's base URL. */
const char *
testsrv_url(const struct testsrv *srv)
{
	return srv->url;
}

/* Connections accepted so far. */
unsigned
testsrv_connections(const struct testsrv *srv)
{
	return atomic_load(&((struct testsrv *)srv)->connections);
}

/* Requests answered so far. */
unsigned
testsrv_requests(const struct testsrv *srv)
{
	return atomic_load(&((struct testsrv *)srv)->requests);
}

/* Whether the server is shutting down. */
int
testsrv_stopping(const struct testsrv *srv)
{
	return atomic_load(&((struct testsrv *)srv)->stopping);
}

/* ---- PKI ---- */

struct testsrv_pair {
	EVP_PKEY	*key;
	X509		*cert;
};

struct testsrv_ext {
	int		 nid;
	const char	*value;
};

static const struct testsrv_ext testsrv_ca_exts[] = {
	{ NID_basic_constraints, "critical,CA:TRUE" },
	{ NID_key_usage, "critical,keyCertSign,cRLSign" },
	{ NID_subject_key_identifier, "hash" },
	{ NID_undef, NULL }
};

static const struct testsrv_ext testsrv_server_exts[] = {
	{ NID_basic_constraints, "critical,CA:FALSE" },
	{ NID_key_usage, "critical,digitalSignature" },
	{ NID_ext_key_usage, "serverAuth" },
	{ NID_authority_key_identifier, "keyid" },
	{ NID_undef, NULL }
};

static const struct testsrv_ext testsrv_client_exts[] = {
	{ NID_basic_constraints, "critical,CA:FALSE" },
	{ NID_key_usage, "critical,digitalSignature" },
	{ NID_ext_key_usage, "clientAuth" },
	{ NID_authority_key_identifier, "keyid" },
	{ NID_undef, NULL }
};

/* Add one v3 extension to cert, issued by issuer. */
static int
testsrv_add_ext(X509 *cert, X509 *issuer, int nid, const char *value)
{
	X509V3_CTX	 ctx;
	X509_EXTENSION	*ext;
	int		 ok;

	X509V3_set_ctx(&ctx, issuer, cert, NULL, NULL, 0);
	if ((ext = X509V3_EXT_conf_nid(NULL, &ctx, nid, value)) == NULL)
		return -1;
	ok = X509_add_ext(cert, ext, -1);
	X509_EXTENSION_free(ext);
	return ok ? 0 : -1;
}

/* Fill in subject, serial, validity and key of a new certificate. */
static int
testsrv_cert_base(X509 *cert, EVP_PKEY *key, const char *cn, const char *org)
{
	X509_NAME	*name = X509_get_subject_name(cert);
	unsigned char	 serial[8];
	BIGNUM		*bn;
	int		 ok;

	if (RAND_bytes(serial, sizeof serial) != 1)
		return -1;
	serial[0] &= 0x7f;
	bn = BN_bin2bn(serial, sizeof serial, NULL);
	ok = bn != NULL &&
	    BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert)) != NULL &&
	    X509_set_version(cert, 2) &&
	    X509_gmtime_adj(X509_getm_notBefore(cert), -3600) != NULL &&
	    X509_gmtime_adj(X509_getm_notAfter(cert), 86400) != NULL &&
	    X509_set_pubkey(cert, key) &&
	    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
	    (const unsigned char *)cn, -1, -1, 0) &&
	    (org == NULL || X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
	    (const unsigned char *)org, -1, -1, 0));
	BN_free(bn);
	return ok ? 0 : -1;
}

/* Make a key and a certificate signed by issuer (self-signed if NULL). */
static int
testsrv_pair_make(struct testsrv_pair *p, const char *cn, const char *org,
    const struct testsrv_pair *issuer, const struct testsrv_ext *exts,
    const char *san)
{
	X509	*icert;

	if ((p->key = EVP_EC_gen("P-256")) == NULL ||
	    (p->cert = X509_new()) == NULL ||
	    testsrv_cert_base(p->cert, p->key, cn, org) != 0)
		return -1;
	icert = issuer != NULL ? issuer->cert : p->cert;
	if (!X509_set_issuer_name(p->cert, X509_get_subject_name(icert)))
		return -1;
	for (; exts->nid != NID_undef; exts++) {
		if (testsrv_add_ext(p->cert, icert, exts->nid, exts->value) != 0)
			return -1;
	}
	if (san != NULL && testsrv_add_ext(p->cert, icert,
	    NID_subject_alt_name, san) != 0)
		return -1;
	if (X509_sign(p->cert, issuer != NULL ? issuer->key : p->key,
	    EVP_sha256()) == 0)
		return -1;
	return 0;
}

/* Free a key and certificate. */
static void
testsrv_pair_free(struct testsrv_pair *p)
{
	EVP_PKEY_free(p->key);
	X509_free(p->cert);
	p->key = NULL;
	p->cert = NULL;
}

/* PEM text of a certificate (want_key 0) or private key (1). */
static char *
testsrv_pem(const struct testsrv_pair *p, int want_key)
{
	BIO	*bio;
	char	*data, *out = NULL;
	long	 len;
	int	 ok;

	if ((bio = BIO_new(BIO_s_mem())) == NULL)
		return NULL;
	if (want_key)
		ok = PEM_write_bio_PrivateKey(bio, p->key, NULL, NULL, 0, NULL,
		    NULL);
	else
		ok = PEM_write_bio_X509(bio, p->cert);
	if (ok && (len = BIO_get_mem_data(bio, &data)) > 0)
		out = xstrndup(data, (size_t)len);
	BIO_free(bio);
	return out;
}

/* Make every pair and PEM string; -1 on the first failure. */
static int
testsrv_pki_build(struct testsrv_pki *pki, struct testsrv_pair *pp,
    const char *san)
{
	struct testsrv_pair	*ca = &pp[0], *srv = &pp[1], *cca = &pp[2];
	struct testsrv_pair	*cli = &pp[3], *other = &pp[4];

	if (testsrv_pair_make(ca, "latticectl test CA", NULL, NULL,
	    testsrv_ca_exts, NULL) != 0 ||
	    testsrv_pair_make(srv, "localhost", NULL, ca, testsrv_server_exts,
	    san) != 0 ||
	    testsrv_pair_make(cca, "latticectl test client CA", NULL, NULL,
	    testsrv_ca_exts, NULL) != 0 ||
	    testsrv_pair_make(cli, "latticectl-test", "system:masters", cca,
	    testsrv_client_exts, NULL) != 0 ||
	    testsrv_pair_make(other, "latticectl unrelated CA", NULL, NULL,
	    testsrv_ca_exts, NULL) != 0)
		return -1;
	pki->ca_pem = testsrv_pem(ca, 0);
	pki->server_cert_pem = testsrv_pem(srv, 0);
	pki->server_key_pem = testsrv_pem(srv, 1);
	pki->client_ca_pem = testsrv_pem(cca, 0);
	pki->client_cert_pem = testsrv_pem(cli, 0);
	pki->client_key_pem = testsrv_pem(cli, 1);
	pki->other_ca_pem = testsrv_pem(other, 0);
	if (pki->ca_pem == NULL || pki->server_cert_pem == NULL ||
	    pki->server_key_pem == NULL || pki->client_ca_pem == NULL ||
	    pki->client_cert_pem == NULL || pki->client_key_pem == NULL ||
	    pki->other_ca_pem == NULL)
		return -1;
	return 0;
}

/* Generate the test PKI. */
int
testsrv_make_pki(struct testsrv_pki *pki, const char *server_name,
    char **cause)
{
	struct testsrv_pair	 pp[5];
	const char		*why;
	char			*san;
	size_t			 i;
	int			 rc;

	memset(pki, 0, sizeof *pki);
	memset(pp, 0, sizeof pp);
	xasprintf(&san, "DNS:localhost,IP:127.0.0.1,IP:::1%s%s",
	    server_name != NULL ? ",DNS:" : "",
	    server_name != NULL ? server_name : "");
	rc = testsrv_pki_build(pki, pp, san);
	free(san);
	for (i = 0; i < 5; i++)
		testsrv_pair_free(&pp[i]);
	if (rc != 0) {
		testsrv_pki_free(pki);
		why = ERR_reason_error_string(ERR_peek_last_error());
		error_set(cause, "test PKI: %s", why != NULL ? why :
		    "OpenSSL failure");
	}
	return rc;
}

/* Free the PEM strings. */
void
testsrv_pki_free(struct testsrv_pki *pki)
{
	free(pki->ca_pem);
	free(pki->server_cert_pem);
	free(pki->server_key_pem);
	free(pki->client_ca_pem);
	free(pki->client_cert_pem);
	free(pki->client_key_pem);
	free(pki->other_ca_pem);
	memset(pki, 0, sizeof *pki);
}
