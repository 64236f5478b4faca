/* Container credentials: ECS task roles and EKS Pod Identity. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "latticectl/error.h"
#include "latticectl/json.h"
#include "latticectl/xmalloc.h"

#include "aws_int.h"
#include "creds_int.h"

#define CONTAINER_ATTEMPTS	3

/* Is host (as in a URL, IPv6 in brackets) allowed over plain http? */
static int
container_host_ok(const char *host)
{
	static const unsigned char ecs4[] = { 169, 254, 170, 2 };
	static const unsigned char eks4[] = { 169, 254, 170, 23 };
	unsigned char	 a[16], eks6[16];
	char		 buf[64];
	size_t		 len = strlen(host);

	if (strcasecmp(host, "localhost") == 0)
		return 1;
	if (len >= 2 && host[0] == '[' && host[len - 1] == ']' &&
	    len - 2 < sizeof buf) {
		memcpy(buf, host + 1, len - 2);
		buf[len - 2] = '\0';
		if (inet_pton(AF_INET6, buf, a) != 1 ||
		    inet_pton(AF_INET6, "fd00:ec2::23", eks6) != 1)
			return 0;
		return memcmp(a, &in6addr_loopback, 16) == 0 ||
		    memcmp(a, eks6, 16) == 0;
	}
	if (inet_pton(AF_INET, host, a) != 1)
		return 0;
	return a[0] == 127 || memcmp(a, ecs4, 4) == 0 ||
	    memcmp(a, eks4, 4) == 0;
}

/* Is AWS_CONTAINER_CREDENTIALS_FULL_URI acceptable? */
int
creds_container_uri_ok(const char *url, char **cause)
{
	CURLU	*u;
	char	*scheme = NULL, *host = NULL;
	int	 ok = 0;

	u = curl_url();
	if (u == NULL || curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK)
		error_set(cause, "invalid container credentials URI");
	else if (strcasecmp(scheme, "https") == 0)
		ok = 1;
	else if (strcasecmp(scheme, "http") != 0)
		error_set(cause, "container credentials URI: scheme %s not "
		    "allowed", scheme);
	else if (!container_host_ok(host))
		error_set(cause, "container credentials URI: host %s is not a "
		    "loopback, ECS or EKS address (use https)", host);
	else
		ok = 1;
	curl_free(scheme);
	curl_free(host);
	curl_url_cleanup(u);
	return ok ? 0 : -1;
}

/* The URL to ask, or NULL when no container credentials are configured. */
static char *
container_url(char **cause, int *err)
{
	const char	*rel, *full;
	char		*url;

	*err = 0;
	rel = getenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
	full = getenv("AWS_CONTAINER_CREDENTIALS_FULL_URI");
	if (rel != NULL && *rel != '\0') {
		xasprintf(&url, "%s%s%s", CREDS_CONTAINER_HOST,
		    *rel == '/' ? "" : "/", rel);
		return url;
	}
	if (full == NULL || *full == '\0')
		return NULL;
	if (creds_container_uri_ok(full, cause) != 0) {
		*err = 1;
		return NULL;
	}
	return xstrdup(full);
}

/* The Authorization value (token file wins), or NULL; -1 on error. */
static int
container_auth(char **token, char **cause)
{
	const char	*file, *env;

	*token = NULL;
	file = getenv("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
	env = getenv("AWS_CONTAINER_AUTHORIZATION_TOKEN");
	if (file != NULL && *file != '\0') {
		if ((*token = creds_read_secret(file, cause)) == NULL)
			return error_wrap(cause, "container authorization "
			    "token file");
	} else if (env != NULL && *env != '\0')
		*token = xstrdup(env);
	if (*token != NULL && strpbrk(*token, "\r\n") != NULL) {
		explicit_bzero(*token, strlen(*token));
		xfree_ptr(token);
		return error_set(cause, "container authorization token "
		    "contains a line break");
	}
	return 0;
}

/* One GET of the credentials document. */
static int
container_get(struct aws *aws, const char *url, const char *token,
    struct http_response *resp, char **cause)
{
	struct http_request	req;
	int			rc;

	memset(&req, 0, sizeof req);
	req.method = "GET";
	req.url = url;
	req.op = "container-credentials";
	req.timeout_ms = CREDS_CONTAINER_TIMEOUT_MS;
	http_headers_add(&req.headers, "Accept", "application/json");
	if (token != NULL)
		http_headers_add(&req.headers, "Authorization", token);
	for (req.attempt = 1; ; req.attempt++) {
		http_response_free(resp);
		http_response_init(resp);
		rc = aws_exchange(aws, &req, resp, cause);
		if (req.attempt == CONTAINER_ATTEMPTS ||
		    (rc == 0 && resp->status < 500))
			break;
	}
	http_request_free(&req);
	return rc;
}

/* Turn the endpoint's answer into credentials. */
static int
container_parse(const struct http_response *resp, struct aws_creds *out,
    char **cause)
{
	cJSON		*doc;
	const char	*msg;
	int		 rc;

	doc = json_parse(resp->body.buf, resp->body.len, "container "
	    "credentials", NULL);
	if (resp->status != 200) {
		msg = doc != NULL ? json_str(doc, "Message") : NULL;
		if (msg == NULL && doc != NULL)
			msg = json_str(doc, "message");
		rc = error_set(cause, "container credentials: HTTP %ld%s%s",
		    resp->status, msg != NULL ? ": " : "",
		    msg != NULL ? msg : "");
	} else if (doc == NULL)
		rc = error_set(cause, "container credentials: not JSON");
	else
		rc = creds_from_json(doc, "Token", "container credentials",
		    out, cause);
	cJSON_Delete(doc);
	return rc;
}

/* Credentials from the container endpoint. */
int
creds_container(struct creds_ctx *ctx, struct aws_creds *out, char **cause)
{
	struct http_response	 resp;
	char			*url, *token;
	int			 err, rc;

	if ((url = container_url(cause, &err)) == NULL) {
		if (err)
			return CREDS_ERROR;
		creds_tried(ctx, "container");
		return CREDS_NONE;
	}
	if (container_auth(&token, cause) != 0) {
		free(url);
		return CREDS_ERROR;
	}
	http_response_init(&resp);
	rc = container_get(ctx->aws, url, token, &resp, cause);
	if (rc != 0)
		error_wrap(cause, "container credentials");
	else
		rc = container_parse(&resp, out, cause);
	if (token != NULL)
		explicit_bzero(token, strlen(token));
	free(token);
	free(url);
	http_response_free(&resp);
	if (rc != 0)
		return CREDS_ERROR;
	free(out->source);
	out->source = xstrdup("container");
	return CREDS_FOUND;
}
