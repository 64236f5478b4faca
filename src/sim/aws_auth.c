/*
 * The simulator's SigV4 verifier: find the credential scope (Authorization
 * header or presigned query), pick the service by its signing name, check
 * the user, the clock and the signature, and answer failures with the
 * service's real error. Only the SigV4 primitives are shared with the
 * clients; the canonical request is rebuilt from the request as received.
 *
 * Clock rules: a header-signed request must be within 15 minutes of the
 * simulated clock. A presigned one is good from 15 minutes before its
 * X-Amz-Date until X-Amz-Expires after it, but never less than 15 minutes
 * (STS ignores X-Amz-Expires; EKS tokens rely on that).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "latticectl/json.h"
#include "latticectl/sigv4.h"
#include "latticectl/timeutil.h"
#include "latticectl/xmalloc.h"

#include "aws_int.h"

#define AWS_SKEW_MS	(15 * 60 * 1000LL)
#define AWS_MAX_EXPIRES	604800L

/* What went wrong, mapped to each protocol's code. */
enum aws_fail {
	AWS_FAIL_SIGNATURE,
	AWS_FAIL_UNKNOWN_KEY,
	AWS_FAIL_EXPIRED,
	AWS_FAIL_TOKEN_EXPIRED,
	AWS_FAIL_INCOMPLETE,
	AWS_FAIL_MISSING
};

struct aws_fail_map {
	int		 json_status;
	const char	*json_code;
	int		 query_status;
	const char	*query_code;
	int		 ec2_status;
	const char	*ec2_code;
};

static const struct aws_fail_map aws_fail_maps[] = {
	[AWS_FAIL_SIGNATURE] = { 403, "InvalidSignatureException",
	    403, "SignatureDoesNotMatch", 401, "AuthFailure" },
	[AWS_FAIL_UNKNOWN_KEY] = { 403, "UnrecognizedClientException",
	    403, "InvalidClientTokenId", 401, "AuthFailure" },
	[AWS_FAIL_EXPIRED] = { 403, "InvalidSignatureException",
	    403, "SignatureDoesNotMatch", 400, "RequestExpired" },
	[AWS_FAIL_TOKEN_EXPIRED] = { 403, "ExpiredTokenException",
	    403, "ExpiredToken", 401, "AuthFailure" },
	[AWS_FAIL_INCOMPLETE] = { 400, "IncompleteSignatureException",
	    400, "IncompleteSignature", 401, "AuthFailure" },
	[AWS_FAIL_MISSING] = { 403, "MissingAuthenticationTokenException",
	    403, "MissingAuthenticationToken", 401, "AuthFailure" },
};

/* The parsed credential of one request. */
struct aws_cred {
	struct sim_aws_params	 q;		/* the query, decoded */
	char			*ak;
	char			*date;		/* scope date, YYYYMMDD */
	char			*region;
	char			*service;
	char			*signed_headers;
	char			*signature;
	const char		*amz_date;
	const char		*token;
	long			 expires;
	int			 presigned;
};

/* Release a credential. */
static void
aws_cred_free(struct aws_cred *c)
{
	sim_aws_params_free(&c->q);
	free(c->ak);
	free(c->date);
	free(c->region);
	free(c->service);
	free(c->signed_headers);
	free(c->signature);
}

/* Answer an authentication failure in the protocol's shape. */
static int
aws_auth_fail(struct sim_aws_call *call, enum sim_aws_proto proto,
    const char *xmlns, enum aws_fail why, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static int
aws_auth_fail(struct sim_aws_call *call, enum sim_aws_proto proto,
    const char *xmlns, enum aws_fail why, const char *fmt, ...)
{
	const struct aws_fail_map	*m = &aws_fail_maps[why];
	va_list				 ap;
	char				*msg;

	va_start(ap, fmt);
	xvasprintf(&msg, fmt, ap);
	va_end(ap);
	if (proto == SIM_AWS_QUERY)
		aws_error_proto(call, proto, xmlns, m->query_status,
		    m->query_code, msg);
	else if (proto == SIM_AWS_EC2)
		aws_error_proto(call, proto, xmlns, m->ec2_status, m->ec2_code,
		    msg);
	else
		aws_error_proto(call, proto, NULL, m->json_status, m->json_code,
		    msg);
	free(msg);
	call->sim->stats.auth_failures++;
	return -1;
}

/* Answer a failure in the call's service shape. */
#define aws_fail_svc(call, why, ...) \
	aws_auth_fail(call, (call)->svc->proto, (call)->svc->xmlns, why, \
	    __VA_ARGS__)

/* Split "AK/DATE/REGION/SERVICE/aws4_request"; 0 ok. */
static int
aws_parse_scope(struct aws_cred *c, const char *s)
{
	const char	*p[5], *slash;
	size_t		 len[5];
	int		 i;

	for (i = 0; i < 5; i++) {
		slash = strchr(s, '/');
		if (slash == NULL && i < 4)
			return -1;
		p[i] = s;
		len[i] = slash != NULL ? (size_t)(slash - s) : strlen(s);
		if (len[i] == 0 || len[i] > 256)
			return -1;
		s = slash != NULL ? slash + 1 : s + len[i];
	}
	if (*s != '\0' || len[4] != 12 || strncmp(p[4], "aws4_request", 12))
		return -1;
	c->ak = xstrndup(p[0], len[0]);
	c->date = xstrndup(p[1], len[1]);
	c->region = xstrndup(p[2], len[2]);
	c->service = xstrndup(p[3], len[3]);
	return 0;
}

/* The value of "Name=value" components in an Authorization header. */
static char *
aws_auth_component(const char *h, const char *name)
{
	const char	*p, *end;
	size_t		 n = strlen(name);

	for (p = h; *p != '\0'; p = *end == '\0' ? end : end + 1) {
		while (*p == ' ' || *p == ',')
			p++;
		end = p + strcspn(p, ",");
		if ((size_t)(end - p) > n && strncmp(p, name, n) == 0 &&
		    p[n] == '=') {
			while (end > p && end[-1] == ' ')
				end--;
			return xstrndup(p + n + 1, (size_t)(end - p - n - 1));
		}
	}
	return NULL;
}

/* Parse the Authorization header; 0 ok, -1 malformed (message in *why). */
static int
aws_parse_header(struct aws_cred *c, const struct httpd_request *req,
    const char *h, const char **why)
{
	char	*cred;
	size_t	 alg = strlen(SIGV4_ALGORITHM);

	if (strncmp(h, SIGV4_ALGORITHM, alg) != 0 || h[alg] != ' ') {
		*why = "Authorization header requires the AWS4-HMAC-SHA256 "
		    "algorithm.";
		return -1;
	}
	cred = aws_auth_component(h + alg, "Credential");
	c->signed_headers = aws_auth_component(h + alg, "SignedHeaders");
	c->signature = aws_auth_component(h + alg, "Signature");
	if (cred == NULL || c->signed_headers == NULL ||
	    c->signature == NULL) {
		free(cred);
		*why = "Authorization header requires 'Credential', "
		    "'Signature' and 'SignedHeaders' parameters.";
		return -1;
	}
	if (aws_parse_scope(c, cred) != 0) {
		free(cred);
		*why = "Credential must have exactly 5 slash-delimited "
		    "elements, e.g. keyid/date/region/service/aws4_request.";
		return -1;
	}
	free(cred);
	c->amz_date = http_headers_get(&req->headers, "X-Amz-Date");
	c->token = http_headers_get(&req->headers, "X-Amz-Security-Token");
	return 0;
}

/* Parse a presigned query; 0 ok, -1 malformed (message in *why). */
static int
aws_parse_presigned(struct aws_cred *c, const char **why)
{
	const char	*cred, *sh, *sig, *alg, *exp;
	char		*end;

	alg = sim_aws_param(&c->q, "X-Amz-Algorithm");
	cred = sim_aws_param(&c->q, "X-Amz-Credential");
	sh = sim_aws_param(&c->q, "X-Amz-SignedHeaders");
	sig = sim_aws_param(&c->q, "X-Amz-Signature");
	exp = sim_aws_param(&c->q, "X-Amz-Expires");
	c->presigned = 1;
	if (alg == NULL || strcmp(alg, SIGV4_ALGORITHM) != 0 || sh == NULL ||
	    sig == NULL || exp == NULL) {
		*why = "AWS query-string parameters must include "
		    "'X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Signature', "
		    "'X-Amz-Date', 'X-Amz-SignedHeaders' and 'X-Amz-Expires'.";
		return -1;
	}
	c->expires = strtol(exp, &end, 10);
	if (*exp == '\0' || *end != '\0' || c->expires < 0 ||
	    c->expires > AWS_MAX_EXPIRES) {
		*why = "X-Amz-Expires must be a number of seconds between 0 "
		    "and 604800.";
		return -1;
	}
	if (aws_parse_scope(c, cred) != 0) {
		*why = "Credential must have exactly 5 slash-delimited "
		    "elements, e.g. keyid/date/region/service/aws4_request.";
		return -1;
	}
	c->signed_headers = xstrdup(sh);
	c->signature = xstrdup(sig);
	c->amz_date = sim_aws_param(&c->q, "X-Amz-Date");
	c->token = sim_aws_param(&c->q, "X-Amz-Security-Token");
	return 0;
}

/* The protocol to complain in when no service is known. */
static enum sim_aws_proto
aws_guess_proto(const struct httpd_request *req)
{
	if (strstr(req->query, "Action=") != NULL ||
	    (req->body != NULL && req->body_len >= 7 &&
	    memmem(req->body, req->body_len, "Action=", 7) != NULL))
		return SIM_AWS_QUERY;
	return SIM_AWS_REST_JSON;
}

/* Epoch ms of a basic-format amz date, or -1. */
static int64_t
aws_amz_ms(const char *amz)
{
	struct timespec	ts;

	if (amz == NULL || strlen(amz) != 16 || amz[8] != 'T' ||
	    amz[15] != 'Z' || time_parse(amz, &ts) != 0)
		return -1;
	return (int64_t)ts.tv_sec * 1000;
}

/* Check the request time against the simulated clock. */
static int
aws_check_time(struct sim_aws_call *call, const struct aws_cred *c)
{
	int64_t	 t, now, late;
	char	 nowb[17], lim[17];

	t = aws_amz_ms(c->amz_date);
	if (t < 0)
		return aws_fail_svc(call, AWS_FAIL_INCOMPLETE, "Authorization "
		    "requires a valid 'X-Amz-Date' (YYYYMMDD'T'HHMMSS'Z').");
	if (strncmp(c->amz_date, c->date, 8) != 0 || strlen(c->date) != 8)
		return aws_fail_svc(call, AWS_FAIL_SIGNATURE, "Date in "
		    "Credential scope does not match YYYYMMDD from ISO-8601 "
		    "version of date from HTTP: '%s' != '%.8s', from '%s'.",
		    c->date, c->amz_date, c->amz_date);
	now = sim_aws_now_ms(call->sim);
	sigv4_amz_date((time_t)(now / 1000), nowb);
	late = AWS_SKEW_MS;
	if (c->presigned && c->expires * 1000LL > late)
		late = c->expires * 1000LL;
	if (now > t + late) {
		if (c->presigned)
			return aws_fail_svc(call, AWS_FAIL_EXPIRED,
			    "Request has expired");
		sigv4_amz_date((time_t)((now - AWS_SKEW_MS) / 1000), lim);
		return aws_fail_svc(call, AWS_FAIL_EXPIRED, "Signature "
		    "expired: %s is now earlier than %s (%s - 15 min.)",
		    c->amz_date, lim, nowb);
	}
	if (t > now + AWS_SKEW_MS) {
		sigv4_amz_date((time_t)((now + AWS_SKEW_MS) / 1000), lim);
		return aws_fail_svc(call, AWS_FAIL_EXPIRED, "Signature not "
		    "yet current: %s is still later than %s (%s + 15 min.)",
		    c->amz_date, lim, nowb);
	}
	return 0;
}

/* Find the user and check its session token and expiry. */
static int
aws_check_user(struct sim_aws_call *call, const struct aws_cred *c)
{
	cJSON		*u;
	const char	*want;
	double		 exp;

	u = aws_find_user(call->sim, c->ak);
	if (u == NULL)
		return aws_fail_svc(call, AWS_FAIL_UNKNOWN_KEY, "%s",
		    call->svc->proto == SIM_AWS_EC2 ? "AWS was not able to "
		    "validate the provided access credentials" : "The "
		    "security token included in the request is invalid.");
	want = json_str(u, "sessionToken");
	if ((want == NULL) != (c->token == NULL) ||
	    (want != NULL && !sigv4_equal(want, c->token)))
		return aws_fail_svc(call, AWS_FAIL_UNKNOWN_KEY, "The security "
		    "token included in the request is invalid.");
	exp = json_num(u, "expiresMs", 0);
	if (exp > 0 && (double)sim_aws_now_ms(call->sim) > exp)
		return aws_fail_svc(call, AWS_FAIL_TOKEN_EXPIRED, "The "
		    "security token included in the request is expired");
	call->user = u;
	return 0;
}

/* The raw query without the X-Amz-Signature pair (caller frees). */
static char *
aws_query_unsigned(const char *query)
{
	struct strbuf	 sb = STRBUF_INIT;
	const char	*p, *end;
	static const char key[] = "X-Amz-Signature=";

	for (p = query; *p != '\0'; p = *end == '\0' ? end : end + 1) {
		end = p + strcspn(p, "&");
		if (end == p || strncmp(p, key, sizeof key - 1) == 0)
			continue;
		if (sb.len > 0)
			strbuf_addc(&sb, '&');
		strbuf_add(&sb, p, (size_t)(end - p));
	}
	return strbuf_detach(&sb, NULL);
}

/* The payload hash to sign with; -1 when the declared one is wrong. */
static int
aws_payload_hash(const struct httpd_request *req, char out[65])
{
	const char	*h;

	sigv4_sha256_hex(req->body != NULL ? req->body : "",
	    req->body != NULL ? req->body_len : 0, out);
	h = http_headers_get(&req->headers, "x-amz-content-sha256");
	if (h == NULL)
		return 0;
	if (strcmp(h, "UNSIGNED-PAYLOAD") == 0) {
		snprintf(out, 65, "%s", h);
		return 0;
	}
	return strcasecmp(h, out) == 0 ? 0 : -1;
}

/* Does the ;-separated list name "host"? */
static int
aws_signs_host(const char *list)
{
	const char	*p, *end;

	for (p = list; *p != '\0'; p = *end == '\0' ? end : end + 1) {
		end = p + strcspn(p, ";");
		if (end - p == 4 && strncasecmp(p, "host", 4) == 0)
			return 1;
	}
	return 0;
}

/* Recompute the signature and compare it. */
static int
aws_check_signature(struct sim_aws_call *call, const struct aws_cred *c)
{
	const struct httpd_request	*req = call->req;
	struct sigv4_params		 p;
	struct sigv4_request		 r;
	struct http_headers		 hdrs = { NULL, 0, 0 };
	unsigned char			 key[32];
	char				 hash[65], sig[65], *query, *creq;
	char				*scope, *sts;
	int				 ok;

	if (!aws_signs_host(c->signed_headers))
		return aws_fail_svc(call, AWS_FAIL_INCOMPLETE, "'Host' or "
		    "':authority' must be a 'SignedHeader' in the AWS "
		    "Authorization.");
	if (aws_payload_hash(req, hash) != 0)
		return aws_fail_svc(call, AWS_FAIL_SIGNATURE, "The provided "
		    "'x-amz-content-sha256' header does not match what was "
		    "computed.");
	memset(&p, 0, sizeof p);
	p.region = c->region;
	p.service = c->service;
	query = c->presigned ? aws_query_unsigned(req->query) :
	    xstrdup(req->query);
	http_headers_copy(&hdrs, &req->headers);
	memset(&r, 0, sizeof r);
	r.method = req->method;
	r.path = req->raw_path;
	r.query = query;
	r.headers = &hdrs;
	r.payload_hash = hash;
	creq = sigv4_canonical_request(&p, &r, c->signed_headers);
	scope = sigv4_scope(c->amz_date, c->region, c->service);
	sts = sigv4_string_to_sign(c->amz_date, scope, creq);
	sigv4_signing_key(json_str(call->user, "secretAccessKey"), c->date,
	    c->region, c->service, key);
	sigv4_signature(key, sts, sig);
	ok = sigv4_equal(sig, c->signature);
	if (!ok)
		aws_fail_svc(call, AWS_FAIL_SIGNATURE, "The request signature "
		    "we calculated does not match the signature you provided. "
		    "Check your AWS Secret Access Key and signing method. "
		    "Consult the service documentation for details.\n\nThe "
		    "Canonical String for this request should have been\n"
		    "'%s'\n\nThe String-to-Sign should have been\n'%s'\n",
		    creq, sts);
	memset(key, 0, sizeof key);
	http_headers_free(&hdrs);
	free(query);
	free(creq);
	free(scope);
	free(sts);
	return ok ? 0 : -1;
}

/* Find and check the credential, then the service, user and signature. */
static int
aws_auth_signed(struct sim_aws_call *call, struct aws_cred *c)
{
	struct sim_aws	*sim = call->sim;
	enum sim_aws_proto guess = aws_guess_proto(call->req);

	call->svc = aws_find_service(sim, c->service);
	if (call->svc == NULL)
		return aws_auth_fail(call, guess, NULL, AWS_FAIL_SIGNATURE,
		    "Credential should be scoped to correct service: '%.64s' "
		    "is not simulated.", c->service);
	if (strcmp(c->region, sim->region) == 0)
		call->region = sim->region;
	else if (call->svc->global_region != NULL &&
	    strcmp(c->region, call->svc->global_region) == 0)
		call->region = call->svc->global_region;
	else
		return aws_fail_svc(call, AWS_FAIL_SIGNATURE, "Credential "
		    "should be scoped to a valid region, not '%.64s'. ",
		    c->region);
	if (aws_check_user(call, c) != 0 || aws_check_time(call, c) != 0)
		return -1;
	return aws_check_signature(call, c);
}

/* Authenticate the request and pick its service. */
int
aws_auth(struct sim_aws_call *call)
{
	const struct httpd_request	*req = call->req;
	struct aws_cred			 c;
	const char			*h, *why = NULL;
	int				 rc;

	memset(&c, 0, sizeof c);
	sim_aws_params_parse(&c.q, req->query, strlen(req->query));
	h = http_headers_get(&req->headers, "Authorization");
	if (h != NULL)
		rc = aws_parse_header(&c, req, h, &why);
	else if (sim_aws_param(&c.q, "X-Amz-Credential") != NULL)
		rc = aws_parse_presigned(&c, &why);
	else {
		aws_cred_free(&c);
		call->svc = aws_find_unsigned(call->sim, req);
		call->region = call->sim->region;
		if (call->svc != NULL)
			return 0;
		return aws_auth_fail(call, aws_guess_proto(req), NULL,
		    AWS_FAIL_MISSING, "Missing Authentication Token");
	}
	if (rc != 0)
		rc = aws_auth_fail(call, aws_guess_proto(req), NULL,
		    AWS_FAIL_INCOMPLETE, "%s", why);
	else
		rc = aws_auth_signed(call, &c);
	call->presigned = c.presigned;
	aws_cred_free(&c);
	return rc;
}
