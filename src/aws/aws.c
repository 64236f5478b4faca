/* The AWS context: configuration, credentials, HTTP client, rate limits. */
#include <stdlib.h>
#include <string.h>

#define LOG_MODULE "aws"
#include "latticectl/error.h"
#include "latticectl/log.h"
#include "latticectl/version.h"
#include "latticectl/xmalloc.h"

#include "aws_int.h"

/* What "no limit" means: high enough never to wait, finite so that the
 * throttling backoff (halving) still works. */
#define AWS_RATE_UNLIMITED	1e6

/* Starting client-side rates per API family (requests per second). */
static const struct {
	const char	*service;
	double		 rate;
} aws_family_rates[AWS_N_FAMILIES] = {
	{ "vpc-lattice", 20 },
	{ "ec2", 20 },
	{ "iam", 10 },
	{ "sts", 20 },
	{ "eks", 10 },
	{ "other", 20 },
};

/* Read AWS_MAX_ATTEMPTS or the profile's max_attempts; 0 when unset. */
static int
aws_attempts_from_env(struct aws *aws)
{
	const char	*s;
	int		 n;

	s = getenv("AWS_MAX_ATTEMPTS");
	if (s == NULL)
		s = aws_shared_config_get(aws->shared, aws->profile,
		    "max_attempts");
	if (s == NULL)
		return 0;
	n = atoi(s);
	return n > 0 && n <= 20 ? n : 0;
}

/* Make the HTTP client used for every AWS call. */
static int
aws_http_new(struct aws *aws, const struct aws_config *cfg, char **cause)
{
	struct http_client_opts	 opts;

	memset(&opts, 0, sizeof opts);
	aws->ca_file = xstrdup_or_null(cfg->ca_file != NULL ? cfg->ca_file :
	    getenv("AWS_CA_BUNDLE"));
	opts.tls.ca_file = aws->ca_file;
	opts.user_agent = "latticectl/" LATTICECTL_VERSION;
	opts.connect_timeout_ms = 5000;
	opts.timeout_ms = 60000;
	aws->http = http_client_new(&opts, cause);
	return aws->http == NULL ? -1 : 0;
}

/* Set up one token bucket per API family. */
static void
aws_families_init(struct aws *aws)
{
	size_t	i;

	for (i = 0; i < AWS_N_FAMILIES; i++) {
		aws->families[i].service = aws_family_rates[i].service;
		aws->families[i].max_rate = aws_family_rates[i].rate;
		tbucket_init(&aws->families[i].bucket, aws_family_rates[i].rate,
		    aws_family_rates[i].rate);
	}
}

/* Set one family's client-side rate and burst. */
int
aws_set_rate(struct aws *aws, const char *family, double rps, double burst)
{
	struct aws_family	*f = NULL;
	size_t			 i;

	if (family == NULL)
		return -1;
	for (i = 0; i < AWS_N_FAMILIES && f == NULL; i++) {
		if (strcmp(aws->families[i].service, family) == 0)
			f = &aws->families[i];
	}
	if (f == NULL)
		f = &aws->families[AWS_N_FAMILIES - 1];
	if (!(rps > 0))
		rps = AWS_RATE_UNLIMITED;
	if (!(burst >= 1))
		burst = rps >= 1 && rps < AWS_RATE_UNLIMITED ? rps : 1;
	pthread_mutex_lock(&f->bucket.lock);
	f->max_rate = rps;
	f->bucket.rate = f->max_rate;
	f->bucket.burst = burst;
	if (f->bucket.tokens > burst)
		f->bucket.tokens = burst;
	pthread_mutex_unlock(&f->bucket.lock);
	return 0;
}

/* Create the context: config files, profile, region, credential chain. */
struct aws *
aws_new(const struct aws_config *cfg, char **cause)
{
	struct aws	*aws;

	aws = xcalloc(1, sizeof *aws);
	aws->backoff_base_ms = 500;
	aws->backoff_cap_ms = 20000;
	aws->no_imds = cfg->no_imds;
	aws_families_init(aws);
	if (aws_http_new(aws, cfg, cause) != 0)
		goto fail;
	if (aws_shared_config_load(&aws->shared, cause) != 0)
		goto fail;
	aws->profile = aws_profile_name(cfg);
	if (aws_region_resolve(aws, cfg, aws->shared, aws->profile,
	    &aws->region, &aws->region_source, cause) != 0)
		goto fail;
	aws->max_attempts = cfg->max_attempts;
	if (aws->max_attempts <= 0)
		aws->max_attempts = aws_attempts_from_env(aws);
	if (aws->max_attempts <= 0)
		aws->max_attempts = 3;
	aws->creds = aws_cred_chain_new(aws, aws->shared, aws->profile, cfg);
	return aws;
fail:
	aws_free(aws);
	return NULL;
}

/* Release the context and everything it owns. */
void
aws_free(struct aws *aws)
{
	size_t	i;

	if (aws == NULL)
		return;
	if (aws->creds != NULL)
		aws_cred_chain_free(aws->creds);
	if (aws->shared != NULL)
		aws_shared_config_free(aws->shared);
	if (aws->http != NULL)
		http_client_free(aws->http);
	for (i = 0; i < AWS_N_FAMILIES; i++)
		tbucket_free(&aws->families[i].bucket);
	free(aws->profile);
	free(aws->region);
	free(aws->region_source);
	free(aws->ca_file);
	free(aws);
}

/* The region every call is made in. */
const char *
aws_region(struct aws *aws)
{
	return aws->region;
}

/* Where the region came from. */
const char *
aws_region_source(struct aws *aws)
{
	return aws->region_source != NULL ? aws->region_source : "";
}

/* The profile name in use. */
const char *
aws_profile(struct aws *aws)
{
	return aws->profile;
}

/* The HTTP client (for callers that need raw exchanges). */
struct http_client *
aws_http(struct aws *aws)
{
	return aws->http;
}

/* Replace the network with a test hook. */
void
aws_set_transport(struct aws *aws, aws_transport_fn fn, void *arg)
{
	aws->transport = fn;
	aws->transport_arg = arg;
}

/* Report every exchange to fn (metrics, UI). */
void
aws_set_trace(struct aws *aws, http_trace_fn fn, void *arg)
{
	aws->trace = fn;
	aws->trace_arg = arg;
	http_client_set_trace(aws->http, fn, arg);
}

/* Set the retry policy. */
void
aws_set_retry(struct aws *aws, int max_attempts, unsigned long base_ms,
    unsigned long cap_ms)
{
	aws->max_attempts = max_attempts < 1 ? 1 : max_attempts;
	aws->backoff_base_ms = base_ms;
	aws->backoff_cap_ms = cap_ms;
}

/* Resolve (or reuse cached) credentials; the copy is the caller's. */
int
aws_get_creds(struct aws *aws, struct aws_creds *out, char **cause)
{
	memset(out, 0, sizeof *out);
	return aws_cred_chain_get(aws->creds, out, cause);
}

/* One exchange through the test hook or the HTTP client. */
int
aws_exchange(struct aws *aws, const struct http_request *req,
    struct http_response *resp, char **cause)
{
	struct http_trace	t;
	int			r;

	if (aws->transport == NULL)
		return http_do(aws->http, req, resp, cause);
	r = aws->transport(aws->transport_arg, req, resp, cause);
	if (aws->trace != NULL) {
		memset(&t, 0, sizeof t);
		t.op = req->op != NULL ? req->op : req->method;
		t.method = req->method;
		t.url = "(test transport)";
		t.status = r == 0 ? resp->status : 0;
		t.retries = req->attempt > 0 ? req->attempt - 1 : 0;
		t.transport_error = r != 0;
		t.bytes_out = req->body_len;
		t.bytes_in = r == 0 ? resp->body.len : 0;
		aws->trace(aws->trace_arg, &t);
	}
	return r;
}

/* Free the strings held by creds. */
void
aws_creds_clear(struct aws_creds *c)
{
	if (c->secret_access_key != NULL)
		explicit_bzero(c->secret_access_key,
		    strlen(c->secret_access_key));
	if (c->session_token != NULL)
		explicit_bzero(c->session_token, strlen(c->session_token));
	free(c->access_key_id);
	free(c->secret_access_key);
	free(c->session_token);
	free(c->source);
	memset(c, 0, sizeof *c);
}

/* Deep-copy credentials. */
void
aws_creds_copy(struct aws_creds *dst, const struct aws_creds *src)
{
	dst->access_key_id = xstrdup_or_null(src->access_key_id);
	dst->secret_access_key = xstrdup_or_null(src->secret_access_key);
	dst->session_token = xstrdup_or_null(src->session_token);
	dst->source = xstrdup_or_null(src->source);
	dst->expiration = src->expiration;
}
