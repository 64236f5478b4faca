/* Signed sending with retries: the one place AWS calls are retried. */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LOG_MODULE "aws"
#include "latticectl/backoff.h"
#include "latticectl/error.h"
#include "latticectl/log.h"
#include "latticectl/rand.h"
#include "latticectl/sigv4.h"
#include "latticectl/timeutil.h"
#include "latticectl/xmalloc.h"

#include "aws_int.h"

/* One call's fixed parts, shared by its attempts. */
struct aws_call {
	enum aws_proto		 proto;
	const char		*service;
	const char		*op;
	const char		*method;
	const char		*path;
	const char		*query;
	const char		*content_type;
	const void		*body;
	size_t			 body_len;
	char			*opname;	/* "service:Op" */
	char			 invocation[37];
	struct aws_endpoint	 ep;
};

/* The token bucket of the service's API family. */
static struct aws_family *
aws_family_of(struct aws *aws, const char *service)
{
	size_t	i;

	for (i = 0; i < AWS_N_FAMILIES - 1; i++) {
		if (strcmp(aws->families[i].service, service) == 0)
			return &aws->families[i];
	}
	return &aws->families[AWS_N_FAMILIES - 1];
}

/* Count one outcome in the family's window; when the window is over,
 * the thread that closes it cuts the rate by half the throttled share
 * (all throttled: halve; 30%: x0.85). With the +0.5 per success below,
 * the rate falls only while more than half the calls are throttled: a
 * steady share of throttles does not drive it to the floor, while an
 * overloaded endpoint still pushes it down. */
static void
aws_family_count(struct aws_family *f, int throttled)
{
	uint64_t	now = time_mono_ms(), start = atomic_load(&f->win_ms);
	unsigned	ok, thr;
	double		r;

	atomic_fetch_add(throttled ? &f->win_thr : &f->win_ok, 1);
	if (start == 0) {
		atomic_compare_exchange_strong(&f->win_ms, &start, now);
		return;
	}
	if (now - start < AWS_THROTTLE_WINDOW_MS ||
	    !atomic_compare_exchange_strong(&f->win_ms, &start, now))
		return;
	ok = atomic_exchange(&f->win_ok, 0);
	thr = atomic_exchange(&f->win_thr, 0);
	if (thr == 0 || tbucket_get_rate(&f->bucket) <= 0)
		return;		/* nothing throttled, or unlimited */
	r = tbucket_get_rate(&f->bucket) *
	    (1.0 - (double)thr / (double)(ok + thr) / 2.0);
	tbucket_set_rate(&f->bucket, r < 1 ? 1 : r);
}

/* Throttled: count it (multiplicative decrease per window). */
static void
aws_family_throttled(struct aws_family *f)
{
	aws_family_count(f, 1);
}

/* Success: raise the family's rate a little (additive increase). */
static void
aws_family_ok(struct aws_family *f)
{
	double	r;

	aws_family_count(f, 0);		/* may close a window and cut */
	r = tbucket_get_rate(&f->bucket);
	if (r < f->max_rate)
		tbucket_set_rate(&f->bucket, r + 0.5 > f->max_rate ?
		    f->max_rate : r + 0.5);
}

/* Fill err for a transport failure. */
void
aws_error_transport(struct aws_error *err, const char *op, const char *cause)
{
	aws_error_clear(err);
	err->op = xstrdup(op);
	err->code = xstrdup("RequestError");
	err->message = xstrdup(cause != NULL ? cause : "request failed");
	err->status = 0;
	aws_error_classify(err);
}

/* The base path of an endpoint URL ("" for "https://host:port"). */
static const char *
aws_endpoint_base(const char *url)
{
	const char	*p = strstr(url, "://");

	if (p == NULL)
		return "";
	p = strchr(p + 3, '/');
	return p != NULL ? p : "";
}

/* Build the attempt's request: URL, headers, and the SigV4 signature. */
static int
aws_build_request(struct aws *aws, struct aws_call *c, unsigned attempt,
    struct http_request *req, char **url, char **cause)
{
	struct aws_creds	 creds;
	struct sigv4_params	 sp;
	struct sigv4_request	 sr;
	char			 buf[64], *path;
	int			 r;

	if (aws_get_creds(aws, &creds, cause) != 0)
		return -1;
	/* The signed path is the whole path, an endpoint's base included. */
	xasprintf(&path, "%s%s", aws_endpoint_base(c->ep.url), c->path);
	xasprintf(url, "%s%s%s%s", c->ep.url, c->path,
	    c->query != NULL && *c->query != '\0' ? "?" : "",
	    c->query != NULL ? c->query : "");
	memset(req, 0, sizeof *req);
	req->method = c->method;
	req->url = *url;
	req->body = c->body;
	req->body_len = c->body_len;
	req->op = c->opname;
	req->attempt = attempt;
	http_headers_add(&req->headers, "Host", c->ep.host);
	if (c->content_type != NULL)
		http_headers_add(&req->headers, "Content-Type",
		    c->content_type);

	memset(&sp, 0, sizeof sp);
	sp.access_key = creds.access_key_id;
	sp.secret_key = creds.secret_access_key;
	sp.session_token = creds.session_token;
	sp.region = c->ep.signing_region;
	sp.service = c->ep.signing_name;
	sp.now = time(NULL);
	memset(&sr, 0, sizeof sr);
	sr.method = c->method;
	sr.path = path;
	sr.query = c->query;
	sr.headers = &req->headers;
	sr.payload = c->body;
	sr.payload_len = c->body_len;
	r = sigv4_sign(&sp, &sr, cause);
	aws_creds_clear(&creds);
	free(path);
	/* Unsigned bookkeeping headers, as the SDKs send them. */
	http_headers_add(&req->headers, "amz-sdk-invocation-id", c->invocation);
	snprintf(buf, sizeof buf, "attempt=%u; max=%d", attempt,
	    aws->max_attempts);
	http_headers_add(&req->headers, "amz-sdk-request", buf);
	return r;
}

/* Parse a non-2xx answer into err using the call's protocol. */
static void
aws_parse_failure(struct aws_call *c, struct http_response *resp,
    struct aws_error *err)
{
	cJSON	*j = NULL;
	xmlDoc	*x = NULL;

	if (c->proto == AWS_PROTO_RESTJSON)
		aws_restjson_parse_response(c->service, c->op, resp, &j, err);
	else
		aws_query_parse_response(c->service, c->op, resp, &x, err);
	cJSON_Delete(j);
	if (x != NULL)
		xmlFreeDoc(x);
}

/* Read Retry-After (seconds) from the answer, or -1. */
static double
aws_retry_after(const struct http_response *resp)
{
	const char	*s = http_headers_get(&resp->headers, "Retry-After");
	char		*end;
	double		 v;

	if (s == NULL)
		return -1;
	v = strtod(s, &end);
	if (end == s || v < 0 || v > 300)
		return -1;
	return v;
}

/* How long to wait before the next attempt. */
static uint64_t
aws_retry_delay(struct backoff *bo, const struct aws_error *err)
{
	uint64_t	d = backoff_next(bo);

	if (err->retry_after >= 0 && (uint64_t)(err->retry_after * 1000) > d)
		d = (uint64_t)(err->retry_after * 1000);
	return d;
}

/* Run one attempt; 0 done (success), 1 retry, -1 final failure. */
static int
aws_attempt(struct aws *aws, struct aws_call *c, unsigned attempt,
    struct http_response *resp, struct aws_error *err)
{
	struct http_request	 req;
	char			*url = NULL, *cause = NULL;
	int			 r;

	memset(&req, 0, sizeof req);
	tbucket_take(&aws_family_of(aws, c->service)->bucket);
	http_response_free(resp);
	http_response_init(resp);
	if (aws_build_request(aws, c, attempt, &req, &url, &cause) != 0) {
		aws_error_transport(err, c->opname, cause);
		err->retryable = 0;
		r = -1;
	} else if (aws_exchange(aws, &req, resp, &cause) != 0) {
		aws_error_transport(err, c->opname, cause);
		r = 1;
	} else if (resp->status >= 200 && resp->status < 300) {
		r = 0;
	} else {
		aws_parse_failure(c, resp, err);
		err->retry_after = aws_retry_after(resp);
		r = err->retryable ? 1 : -1;
	}
	http_request_free(&req);
	free(url);
	free(cause);
	return r;
}

/* Send a signed request, retrying retryable failures with backoff. */
int
aws_send(struct aws *aws, enum aws_proto proto, const char *service,
    const char *op, const char *method, const char *path, const char *query,
    const char *content_type, const void *body, size_t body_len,
    struct http_response *resp, struct aws_error *err)
{
	struct aws_call	 c;
	struct backoff	 bo;
	char		*cause = NULL;
	unsigned	 attempt;
	int		 r = -1;

	memset(&c, 0, sizeof c);
	c.proto = proto;
	c.service = service;
	c.op = op;
	c.method = method;
	c.path = path;
	c.query = query;
	c.content_type = content_type;
	c.body = body;
	c.body_len = body_len;
	xasprintf(&c.opname, "%s:%s", service, op);
	rand_uuid4(c.invocation);
	aws_error_clear(err);
	if (aws_endpoint_resolve(aws, service, &c.ep, &cause) != 0) {
		aws_error_transport(err, c.opname, cause);
		err->retryable = 0;
		free(cause);
		free(c.opname);
		return -1;
	}
	backoff_init(&bo, aws->backoff_base_ms, aws->backoff_cap_ms);
	for (attempt = 1; attempt <= (unsigned)aws->max_attempts; attempt++) {
		r = aws_attempt(aws, &c, attempt, resp, err);
		if (r == 0) {
			aws_error_clear(err);
			aws_family_ok(aws_family_of(aws, service));
			break;
		}
		if (err->throttling)
			aws_family_throttled(aws_family_of(aws, service));
		if (r < 0 || attempt == (unsigned)aws->max_attempts)
			break;
		log_debug("%s: %s (attempt %u of %d), retrying", c.opname,
		    err->code != NULL ? err->code : "error", attempt,
		    aws->max_attempts);
		time_sleep_ms(aws_retry_delay(&bo, err));
	}
	aws_endpoint_clear(&c.ep);
	free(c.opname);
	return r == 0 ? 0 : -1;
}
