/* EC2 instance metadata (IMDSv2): instance role credentials and region. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define LOG_MODULE "aws"
#include "latticectl/error.h"
#include "latticectl/json.h"
#include "latticectl/log.h"
#include "latticectl/xmalloc.h"

#include "aws_int.h"
#include "creds_int.h"

#define IMDS_TOKEN_PATH	"/latest/api/token"
#define IMDS_ROLE_PATH	"/latest/meta-data/iam/security-credentials/"

/* Is IMDS turned off by configuration? */
int
creds_imds_disabled(int no_imds)
{
	return no_imds || creds_env_true("AWS_EC2_METADATA_DISABLED");
}

/* The IMDS base URL, without a trailing '/' (caller frees). */
static char *
imds_base(void)
{
	const char	*v, *mode;
	size_t		 len;

	v = getenv("AWS_EC2_METADATA_SERVICE_ENDPOINT");
	if (v == NULL || *v == '\0') {
		mode = getenv("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE");
		if (mode != NULL && strcasecmp(mode, "IPv6") == 0)
			return xstrdup(CREDS_IMDS_ENDPOINT_V6);
		return xstrdup(CREDS_IMDS_ENDPOINT);
	}
	len = strlen(v);
	while (len > 0 && v[len - 1] == '/')
		len--;
	return xstrndup(v, len);
}

/* One IMDS exchange: method on path with an optional header; 200 -> body. */
static int
imds_call(struct aws *aws, const char *method, const char *path,
    const char *hname, const char *hvalue, char **body, char **cause)
{
	struct http_request	 req;
	struct http_response	 resp;
	char			*base, *url;
	int			 rc = -1;

	base = imds_base();
	xasprintf(&url, "%s%s", base, path);
	free(base);
	memset(&req, 0, sizeof req);
	req.method = method;
	req.url = url;
	req.op = "imds";
	req.attempt = 1;
	req.timeout_ms = CREDS_IMDS_TIMEOUT_MS;
	if (hname != NULL)
		http_headers_add(&req.headers, hname, hvalue);
	http_response_init(&resp);
	if (aws_exchange(aws, &req, &resp, cause) != 0)
		error_wrap(cause, "imds %s %s", method, path);
	else if (resp.status != 200)
		error_set(cause, "imds %s %s: HTTP %ld", method, path,
		    resp.status);
	else {
		*body = strbuf_detach(&resp.body, NULL);
		rc = 0;
	}
	http_response_free(&resp);
	http_request_free(&req);
	free(url);
	return rc;
}

/* Get an IMDSv2 session token (caller frees). */
static int
imds_token(struct aws *aws, char **token, char **cause)
{
	char	*body;

	if (imds_call(aws, "PUT", IMDS_TOKEN_PATH,
	    "X-aws-ec2-metadata-token-ttl-seconds", "21600", &body,
	    cause) != 0)
		return -1;
	*token = xstrdup(body);
	free(body);
	(*token)[strcspn(*token, "\r\n")] = '\0';
	if (**token == '\0') {
		free(*token);
		return error_set(cause, "imds: empty session token");
	}
	return 0;
}

/* GET path with a session token. */
static int
imds_fetch(struct aws *aws, const char *token, const char *path,
    char **body, char **cause)
{
	return imds_call(aws, "GET", path, "X-aws-ec2-metadata-token", token,
	    body, cause);
}

/* IMDSv2 GET of path with a fresh token. */
int
creds_imds_get(struct aws *aws, const char *path, char **body, char **cause)
{
	char	*token;
	int	 rc;

	if (imds_token(aws, &token, cause) != 0)
		return -1;
	rc = imds_fetch(aws, token, path, body, cause);
	free(token);
	return rc;
}

/* Parse an instance role credentials document. */
static int
imds_parse(const char *body, const char *role, struct aws_creds *out,
    char **cause)
{
	cJSON		*doc;
	const char	*code;
	int		 rc;

	if ((doc = json_parse(body, strlen(body), "imds credentials",
	    cause)) == NULL)
		return -1;
	code = json_str(doc, "Code");
	if (code != NULL && strcmp(code, "Success") != 0) {
		rc = error_set(cause, "imds: role %s: Code %s", role, code);
		cJSON_Delete(doc);
		return rc;
	}
	rc = creds_from_json(doc, "Token", "imds", out, cause);
	cJSON_Delete(doc);
	return rc;
}

/* Resolve instance role credentials. */
static int
imds_role_creds(struct aws *aws, struct aws_creds *out, char **cause)
{
	char	*token, *list = NULL, *path, *body = NULL;
	int	 rc = -1;

	if (imds_token(aws, &token, cause) != 0)
		return -1;
	if (imds_fetch(aws, token, IMDS_ROLE_PATH, &list, cause) != 0)
		goto out;
	list[strcspn(list, "\r\n")] = '\0';
	if (*list == '\0' || strchr(list, '/') != NULL) {
		error_set(cause, "imds: no instance role");
		goto out;
	}
	xasprintf(&path, "%s%s", IMDS_ROLE_PATH, list);
	rc = imds_fetch(aws, token, path, &body, cause);
	free(path);
	if (rc == 0)
		rc = imds_parse(body, list, out, cause);
out:
	if (body != NULL)
		explicit_bzero(body, strlen(body));
	free(body);
	free(list);
	free(token);
	return rc;
}

/* Instance role credentials through IMDSv2. */
int
creds_imds(struct creds_ctx *ctx, struct aws_creds *out, char **cause)
{
	if (creds_imds_disabled(ctx->no_imds)) {
		creds_tried(ctx, "imds (disabled)");
		return CREDS_NONE;
	}
	if (imds_role_creds(ctx->aws, out, cause) != 0)
		return CREDS_ERROR;
	free(out->source);
	out->source = xstrdup("imds");
	return CREDS_FOUND;
}
