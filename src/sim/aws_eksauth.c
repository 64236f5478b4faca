/*
 * EKS bearer token verification for the simulated Kubernetes API, after
 * aws-iam-authenticator's Verify (research/api_surfaces.md section 4):
 * the token's presigned STS URL is checked against the allow-lists, then
 * replayed as GET against the simulated STS, which verifies the SigV4
 * query signature with the simulated users' secrets, exactly as the real
 * authenticator replays it against AWS STS. Never log the token.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "latticectl/ekstoken.h"
#include "latticectl/error.h"
#include "latticectl/json.h"
#include "latticectl/timeutil.h"
#include "latticectl/xmalloc.h"

#include "aws_svc_int.h"
#include "sim_aws_lab.h"

#define EKSAUTH_SKEW_MS	(15 * 60 * 1000LL)

/* The query keys a token may carry, each once (lower case). */
static const char *const eksauth_keys[] = {
	"action", "version", "x-amz-algorithm", "x-amz-credential",
	"x-amz-date", "x-amz-expires", "x-amz-security-token",
	"x-amz-signature", "x-amz-signedheaders", NULL
};

/* Is r a region-like token ("us-west-2", "us-gov-east-1")? */
static int
eksauth_region_ok(const char *r, size_t n)
{
	size_t	i;
	int	digit = 0;

	if (n < 4 || n > 30 || !isalpha((unsigned char)r[0]))
		return 0;
	for (i = 0; i < n; i++) {
		if (!islower((unsigned char)r[i]) &&
		    !isdigit((unsigned char)r[i]) && r[i] != '-')
			return 0;
		digit |= isdigit((unsigned char)r[i]) != 0;
	}
	return digit;
}

/* Is host an STS host name: sts.amazonaws.com, sts[-fips].REGION.
 * amazonaws.com[.cn] or sts[-fips].REGION.api.aws? */
static int
eksauth_host_ok(const char *host)
{
	static const char *const tails[] = { ".amazonaws.com",
	    ".amazonaws.com.cn", ".api.aws", NULL };
	const char	*p;
	size_t		 n, t, tl;

	if (strcmp(host, "sts.amazonaws.com") == 0)
		return 1;
	if (strncmp(host, "sts.", 4) == 0)
		p = host + 4;
	else if (strncmp(host, "sts-fips.", 9) == 0)
		p = host + 9;
	else
		return 0;
	n = strcspn(p, ".");
	for (t = 0; tails[t] != NULL; t++) {
		tl = strlen(tails[t]);
		if (strlen(p + n) == tl && strcmp(p + n, tails[t]) == 0)
			return eksauth_region_ok(p, n);
	}
	return 0;
}

/* Check the query's keys and values; -1 with *cause. */
static int
eksauth_query(struct sim_aws *sim, const char *query, char **cause)
{
	struct sim_aws_params	 q;
	int			 seen[16] = { 0 }, rc = -1;
	size_t			 i, k;
	const char		*v;
	char			*sh;
	struct timespec		 ts;
	long			 exp;

	sim_aws_params_parse(&q, query, strlen(query));
	for (i = 0; i < q.n; i++) {
		for (k = 0; eksauth_keys[k] != NULL &&
		    strcasecmp(eksauth_keys[k], q.name[i]) != 0; k++)
			;
		if (eksauth_keys[k] == NULL || seen[k]++ > 0) {
			error_set(cause, "EKS token: query parameter %.40s is "
			    "not allowed or repeated", q.name[i]);
			goto out;
		}
	}
	if ((v = sim_aws_param(&q, "Action")) == NULL ||
	    strcmp(v, "GetCallerIdentity") != 0) {
		error_set(cause, "EKS token: Action must be GetCallerIdentity");
		goto out;
	}
	v = sim_aws_param(&q, "X-Amz-SignedHeaders");
	xasprintf(&sh, ";%s;", v != NULL ? v : "");
	k = strcasestr(sh, ";" EKSTOKEN_HEADER ";") != NULL;
	free(sh);
	if (!k) {
		error_set(cause, "EKS token: %s is not a signed header",
		    EKSTOKEN_HEADER);
		goto out;
	}
	if (sq_int(&q, "X-Amz-Expires", -1, 0, 900, &exp) != 0 || exp < 0) {
		error_set(cause, "EKS token: X-Amz-Expires must be 0..900");
		goto out;
	}
	v = sim_aws_param(&q, "X-Amz-Date");
	if (v == NULL || strlen(v) != 16 || time_parse(v, &ts) != 0) {
		error_set(cause, "EKS token: X-Amz-Date is missing or bad");
		goto out;
	}
	if (sim_aws_now_ms(sim) > (int64_t)ts.tv_sec * 1000 + EKSAUTH_SKEW_MS) {
		error_set(cause, "EKS token: X-Amz-Date parameter is expired "
		    "(15 minute expiration)");
		goto out;
	}
	rc = 0;
out:
	sim_aws_params_free(&q);
	return rc;
}

/* Is host the simulator itself on loopback ("127.0.0.1:PORT",
 * "localhost:PORT", "[::1]:PORT")? The aws CLI presigns against
 * AWS_ENDPOINT_URL, which in practice mode is the simulator's STS. */
static int
eksauth_loopback(const char *host)
{
	return strncmp(host, "127.0.0.1:", 10) == 0 ||
	    strncmp(host, "localhost:", 10) == 0 ||
	    strncmp(host, "[::1]:", 6) == 0;
}

/* Split an https URL (or an http one to the simulator on loopback) into
 * host and query (pointers into url, which is modified); -1 with *cause. */
static int
eksauth_url(char *url, const char **host, const char **query, char **cause)
{
	char	*p, *q;
	int	 plain = strncmp(url, "http://", 7) == 0;

	if (!plain && strncmp(url, "https://", 8) != 0)
		return error_set(cause, "EKS token: the URL is not https");
	p = url + (plain ? 7 : 8);
	q = p + strcspn(p, "/?");
	if (q[0] != '/' || q[1] != '?')
		return error_set(cause,
		    "EKS token: the URL path must be \"/\"");
	*q = '\0';
	*host = p;
	*query = q + 2;
	if (plain && !eksauth_loopback(p))
		return error_set(cause, "EKS token: the URL is not https");
	if (!eksauth_loopback(p) && !eksauth_host_ok(p))
		return error_set(cause, "EKS token: %.80s is not an STS host",
		    p);
	return 0;
}

/* The error code of an STS reply (XML <Code> or X-Amzn-ErrorType). */
static char *
eksauth_code(const struct httpd_response *resp)
{
	const char	*b = strbuf_str(&resp->body), *s, *e;
	const char	*h = http_headers_get(&resp->headers,
			    "X-Amzn-ErrorType");

	if ((s = strstr(b, "<Code>")) != NULL &&
	    (e = strstr(s, "</Code>")) != NULL && e - s < 100)
		return xstrndup(s + 6, (size_t)(e - s - 6));
	return xstrdup(h != NULL ? h : "unknown");
}

/* arn:P:sts::A:assumed-role/NAME/SESSION -> arn:P:iam::A:role/NAME. */
static char *
eksauth_canonical(const char *arn)
{
	const char	*f[6], *p = arn;
	char		*out;
	size_t		 i;

	for (i = 0; i < 6; i++) {
		f[i] = p;
		p = i < 5 ? strchr(p, ':') : NULL;
		if (i < 5 && p == NULL)
			return xstrdup(arn);
		if (p != NULL)
			p++;
	}
	if (strncmp(f[2], "sts:", 4) != 0 ||
	    strncmp(f[5], "assumed-role/", 13) != 0)
		return xstrdup(arn);
	xasprintf(&out, "arn:%.*s:iam::%.*s:role/%.*s", (int)(f[2] - f[1] - 1),
	    f[1], (int)(f[5] - f[4] - 1), f[4], (int)strcspn(f[5] + 13, "/"),
	    f[5] + 13);
	return out;
}

/* Replay the URL for one cluster name: 0 with *arn, or -1 with *cause. */
static int
eksauth_replay(struct sim_aws *sim, const char *host, const char *query,
    const char *cluster, char **arn, char **cause)
{
	struct httpd_request	 req;
	struct httpd_response	 resp;
	cJSON			*j;
	const char		*a;
	char			*code, *err = NULL;
	int			 rc = -1;

	memset(&req, 0, sizeof req);
	memset(&resp, 0, sizeof resp);
	req.method = "GET";
	req.path = req.raw_path = "/";
	req.query = query;
	req.remote = "eks-token-verifier";
	req.tls = 1;
	http_headers_add(&req.headers, "Host", host);
	http_headers_add(&req.headers, EKSTOKEN_HEADER, cluster);
	http_headers_add(&req.headers, "Accept", "application/json");
	sim_aws_handle(sim, &req, &resp);
	if (resp.status != 200) {
		code = eksauth_code(&resp);
		error_set(cause, "EKS token: STS answered %d %s%s", resp.status,
		    code, strstr(code, "Throttl") != NULL ? " (throttled)"
		    : "");
		free(code);
	} else if ((j = json_parse(strbuf_str(&resp.body), resp.body.len,
	    "sts", &err)) == NULL || (a = json_path_str(j,
	    "GetCallerIdentityResponse.GetCallerIdentityResult.Arn")) == NULL) {
		error_set(cause, "EKS token: STS answered without an Arn");
		cJSON_Delete(j);
	} else {
		*arn = eksauth_canonical(a);
		cJSON_Delete(j);
		rc = 0;
	}
	free(err);
	http_headers_free(&req.headers);
	http_headers_free(&resp.headers);
	strbuf_free(&resp.body);
	return rc;
}

/* Verify an EKS token; the caller ARN in *arn. */
int
sim_aws_verify_eks_token(struct sim_aws *sim, const char *token,
    const char *cluster, char **arn, char **cause)
{
	struct sq_strv	 names = { NULL, 0 };
	const char	*host = NULL, *query = NULL;
	char		*url = NULL;
	size_t		 i;
	int		 rc = -1;

	*arn = NULL;
	if (token == NULL || ekstoken_decode(token, &url, cause) != 0)
		return token == NULL ? error_set(cause, "EKS token: none") : -1;
	if (eksauth_url(url, &host, &query, cause) != 0 ||
	    eksauth_query(sim, query, cause) != 0)
		goto out;
	if (cluster != NULL)
		sq_strv_add(&names, cluster);
	else {
		sq_lock(sim);
		sim_eks_cluster_names(sim, &names);
		sq_unlock(sim);
	}
	if (names.n == 0)
		error_set(cause, "EKS token: no EKS cluster to check it for");
	for (i = 0; i < names.n && rc != 0; i++)
		rc = eksauth_replay(sim, host, query, names.v[i], arn, cause);
	if (rc == 0 && cause != NULL) {
		free(*cause);
		*cause = NULL;
	}
out:
	sq_strv_free(&names);
	free(url);
	return rc;
}

/* A sim_kube_verify_eks_fn over the simulator's clusters. */
int
sim_aws_kube_verifier(void *arg, const char *token, char **username,
    char **cause)
{
	return sim_aws_verify_eks_token(arg, token, NULL, username, cause);
}
