/*
 * The AWS context and wire protocols. One struct aws per process (part of
 * the app context) holds the resolved region, the credential provider
 * chain, endpoint settings, the HTTP client, the retry policy and one
 * adaptive token bucket per service. All calls are thread-safe.
 *
 * Protocols: rest-json (VPC Lattice, EKS) through aws_restjson_call and
 * query/XML (EC2, IAM, STS) through aws_query_call. Both sign with SigV4,
 * retry in one place (attempts, exponential backoff with full jitter,
 * Retry-After, throttle codes) and turn every wire error form into one
 * struct aws_error.
 *
 * Ownership: strings in struct aws_error are owned by it
 * (aws_error_clear); cJSON / xmlDoc results belong to the caller.
 */
#ifndef LATTICECTL_AWS_H
#define LATTICECTL_AWS_H

#include <stddef.h>
#include <time.h>

#include <cjson/cJSON.h>
#include <libxml/tree.h>

#include "latticectl/http.h"
#include "latticectl/strbuf.h"

struct aws;

/* One error type for every wire form (rest-json, query XML, EC2 XML,
 * transport failures: code "RequestError", status 0). */
struct aws_error {
	char	*code;		/* "ResourceNotFoundException", "NoSuchEntity", ... */
	char	*message;
	char	*request_id;
	char	*op;		/* "vpc-lattice:GetService" */
	long	 status;	/* HTTP status, 0 for a transport error */
	int	 retryable;
	int	 throttling;
	double	 retry_after;	/* seconds from Retry-After, or -1 */
};

void	 aws_error_clear(struct aws_error *);
/* "op: code: message (HTTP status, request id)"; caller frees. */
char	*aws_error_string(const struct aws_error *);
/* Is this error code one of the throttling codes? */
int	 aws_error_is_throttle_code(const char *code);

/* Credentials (see creds.h for the provider chain). */
struct aws_creds {
	char	*access_key_id;
	char	*secret_access_key;
	char	*session_token;
	time_t	 expiration;	/* 0 when they do not expire */
	char	*source;	/* "env", "web-identity", "profile:dev", ... */
};
void	 aws_creds_clear(struct aws_creds *);
void	 aws_creds_copy(struct aws_creds *dst, const struct aws_creds *src);

struct aws_config {
	const char	*region;	/* --region; NULL: environment, profile, IMDS */
	const char	*profile;	/* --profile; NULL: AWS_PROFILE or "default" */
	int		 max_attempts;	/* 0: AWS_MAX_ATTEMPTS or 3 */
	const char	*ca_file;	/* AWS_CA_BUNDLE is read when NULL */
	int		 no_imds;	/* never ask EC2 instance metadata */
	const struct aws_creds *static_creds; /* use these, skip the chain */
};

/* A test hook replacing the network: given the signed request, fill resp. */
typedef int (*aws_transport_fn)(void *arg, const struct http_request *,
    struct http_response *, char **cause);

struct aws *aws_new(const struct aws_config *, char **cause);
void	 aws_free(struct aws *);
const char *aws_region(struct aws *);
struct http_client *aws_http(struct aws *);
void	 aws_set_transport(struct aws *, aws_transport_fn, void *);
void	 aws_set_trace(struct aws *, http_trace_fn, void *);
/* Retry policy: attempts (>= 1) and the full-jitter backoff base and cap. */
void	 aws_set_retry(struct aws *, int max_attempts, unsigned long base_ms,
	    unsigned long cap_ms);
/* The client-side rate limit of one API family ("vpc-lattice", "ec2",
 * "iam", "sts", "eks"; anything else: the shared "other" bucket): at most
 * rps requests per second with bursts of burst (burst < 1: rps, at least
 * 1). rps <= 0 lifts the limit (a million per second). The rate still
 * halves on throttling and climbs back to rps (AIMD). -1 when family is
 * NULL. */
int	 aws_set_rate(struct aws *, const char *family, double rps,
	    double burst);
/* Where the region came from ("--region", "AWS_REGION", "profile", "imds"). */
const char *aws_region_source(struct aws *);
const char *aws_profile(struct aws *);
/* Current credentials (resolved and refreshed as needed); caller clears. */
int	 aws_get_creds(struct aws *, struct aws_creds *, char **cause);

/* Endpoint for a service id ("vpc-lattice", "ec2", "iam", "sts", "eks"). */
struct aws_endpoint {
	char	*url;		/* scheme://host[:port][/base], no trailing '/' */
	char	*host;		/* for the Host header */
	char	*signing_region;
	char	*signing_name;
	char	*source;	/* "AWS_ENDPOINT_URL_EC2", "profile", "default", ... */
};
int	 aws_endpoint_resolve(struct aws *, const char *service,
	    struct aws_endpoint *, char **cause);
void	 aws_endpoint_clear(struct aws_endpoint *);

/* Query-protocol parameters, kept in insertion order. */
struct aws_params {
	char	**keys;
	char	**values;
	size_t	  n;
	size_t	  cap;
};
void	 aws_params_add(struct aws_params *, const char *key, const char *value);
void	 aws_params_addf(struct aws_params *, const char *key,
	    const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void	 aws_params_free(struct aws_params *);

/* rest-json call. path is already percent-encoded (use aws_path_escape for
 * members); query is "a=b&c=d" encoded, or NULL; body may be NULL. On
 * success *out holds the response object ({} for an empty body). */
int	 aws_restjson_call(struct aws *, const char *service, const char *op,
	    const char *method, const char *path, const char *query,
	    const cJSON *body, cJSON **out, struct aws_error *);
/* Percent-encode a path member (':' and '/' encoded too); caller frees. */
char	*aws_path_escape(const char *);
/* Append "key=value" (encoded) to a query string under construction. */
void	 aws_query_append(struct strbuf *, const char *key, const char *value);

/* query-protocol call (EC2, IAM, STS): POST form with Action and Version.
 * On success *out is the parsed XML response document. */
int	 aws_query_call(struct aws *, const char *service, const char *op,
	    const char *version, const struct aws_params *, xmlDoc **out,
	    struct aws_error *);

/* A tag map (Lattice, EKS: JSON object; EC2/IAM: Key/Value lists), in
 * insertion order. Owns its strings. */
struct aws_tags {
	char	**keys;
	char	**values;
	size_t	  n;
	size_t	  cap;
};
/* Set key to value (replacing an existing key). */
void	 aws_tags_set(struct aws_tags *, const char *key, const char *value);
const char *aws_tags_get(const struct aws_tags *, const char *key);
void	 aws_tags_free(struct aws_tags *);
void	 aws_tags_copy(struct aws_tags *dst, const struct aws_tags *src);
/* {"k":"v",...} <-> tags (non-string values are skipped on read). */
cJSON	*aws_tags_to_json(const struct aws_tags *);
void	 aws_tags_from_json(struct aws_tags *, const cJSON *obj);

/* Fresh UUID v4 for clientToken members. */
void	 aws_client_token(char out[37]);

#endif
