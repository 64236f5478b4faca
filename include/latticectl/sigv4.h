/*
 * AWS Signature Version 4: header signing and presigned (query) signing,
 * plus the primitives (canonical request, string to sign, signing key) that
 * the simulator's verifier uses. Pure functions: no I/O, no globals.
 * Every char * returned is owned by the caller; a struct sigv4_result owns
 * its strings (sigv4_result_free).
 *
 * Owner: helper h3 (src/aws/sigv4.c).
 *
 * Canonical URI: the path is normalized (".", ".." and empty segments
 * removed, as botocore does) unless no_normalize, then every byte but the
 * RFC 3986 unreserved ones and '/' is percent-encoded; by default (every
 * service but S3) this includes '%', so a wire path holding "%3A" signs as
 * "%253A". With no_double_encode existing %XX escapes are kept.
 *
 * Headers never signed (they may change after signing): Authorization,
 * User-Agent, Expect, Transfer-Encoding, Connection, X-Amzn-Trace-Id.
 * Every other header present is signed, Content-Length included, so let
 * the transport add Content-Length after signing.
 */
#ifndef LATTICECTL_SIGV4_H
#define LATTICECTL_SIGV4_H

#include <stddef.h>
#include <time.h>

#include "latticectl/http.h"

#define SIGV4_ALGORITHM		"AWS4-HMAC-SHA256"
#define SIGV4_EMPTY_SHA256 \
	"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

struct sigv4_params {
	const char	*access_key;
	const char	*secret_key;
	const char	*session_token;	/* NULL without session credentials */
	const char	*region;
	const char	*service;	/* signing name: "vpc-lattice", "sts", ... */
	time_t		 now;		/* signing time */
	int		 no_double_encode; /* S3 style: encode the path only once */
	int		 no_normalize;	/* keep "." / ".." / "//" in the path */
	int		 sign_body_header; /* add and sign x-amz-content-sha256 */
	int		 omit_session_token; /* add the token after signing */
	long		 expires;	/* presign: X-Amz-Expires seconds, 0: 3600 */
};

/* A request as it will go on the wire. */
struct sigv4_request {
	const char		*method;
	const char		*path;	/* as on the wire, may hold %XX; no query */
	const char		*query;	/* raw query without '?', or NULL */
	struct http_headers	*headers; /* must include Host */
	const void		*payload;
	size_t			 payload_len;
	const char		*payload_hash; /* hex SHA-256, or NULL: the
					  * x-amz-content-sha256 header when
					  * present, else computed */
};

/* The intermediate values of one signing (tests, diagnostics). */
struct sigv4_result {
	char	*canonical_request;
	char	*string_to_sign;
	char	*signed_headers;	/* "host;x-amz-date" */
	char	 signature[65];
};

/* Header signing: adds X-Amz-Date, X-Amz-Security-Token (when a session
 * token is set), x-amz-content-sha256 (sign_body_header) and
 * Authorization to req->headers, replacing earlier ones (a retry may
 * sign again). Signs every header present but the never-signed ones. */
int	 sigv4_sign(const struct sigv4_params *, struct sigv4_request *,
	    char **cause);
/* Presigning: returns the full query string (the request's own parameters
 * plus X-Amz-Algorithm, -Credential, -Date, -Expires, -SignedHeaders,
 * [-Security-Token] and -Signature) in *query_out. */
int	 sigv4_presign(const struct sigv4_params *,
	    const struct sigv4_request *, char **query_out, char **cause);
/* The same, also filling *res (may be NULL; sigv4_result_free after). */
int	 sigv4_sign_result(const struct sigv4_params *, struct sigv4_request *,
	    struct sigv4_result *res, char **cause);
int	 sigv4_presign_result(const struct sigv4_params *,
	    const struct sigv4_request *, char **query_out,
	    struct sigv4_result *res, char **cause);
void	 sigv4_result_free(struct sigv4_result *);

/* Primitives. signed_headers is "host;x-amz-date" style, or NULL for all
 * headers present but the never-signed ones. The canonical request is
 * built from the headers in req->headers that signed_headers names (a
 * named header that is absent gets an empty value). */
char	*sigv4_canonical_request(const struct sigv4_params *,
	    const struct sigv4_request *, const char *signed_headers);
char	*sigv4_canonical_uri(const char *path, int double_encode,
	    int normalize);
/* Each key and value decoded, re-encoded (RFC 3986 unreserved kept),
 * sorted by key then value; "a" becomes "a=". query may be NULL. */
char	*sigv4_canonical_query(const char *query);
/* The SignedHeaders list sigv4_sign would use for these headers. */
char	*sigv4_signed_headers(const struct http_headers *);
/* Is this header left unsigned (User-Agent, ...)? */
int	 sigv4_header_unsigned(const char *name);
/* "20150830T123600Z" (17 bytes with NUL). */
void	 sigv4_amz_date(time_t, char out[17]);
/* "20150830/us-east-1/service/aws4_request" for an amz date. */
char	*sigv4_scope(const char *amz_date, const char *region,
	    const char *service);
char	*sigv4_string_to_sign(const char *amz_date, const char *scope,
	    const char *canonical_request);
/* The 32-byte signing key for date (YYYYMMDD; an amz date is cut to its
 * first 8 characters), region, service. */
void	 sigv4_signing_key(const char *secret, const char *date,
	    const char *region, const char *service, unsigned char key[32]);
/* Hex HMAC-SHA256 of msg under key (65 bytes with NUL). */
void	 sigv4_signature(const unsigned char key[32], const char *msg,
	    char out[65]);
/* Hex SHA-256 of data (65 bytes with NUL). */
void	 sigv4_sha256_hex(const void *data, size_t len, char out[65]);
/* Constant-time comparison of two strings; 1 when equal. */
int	 sigv4_equal(const char *, const char *);

#endif
