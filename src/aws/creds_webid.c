/* Web identity credentials (IRSA): a token file traded with STS. */
#include <stdlib.h>
#include <string.h>

#include "latticectl/error.h"
#include "latticectl/sts.h"
#include "latticectl/xmalloc.h"

#include "creds_int.h"

/* Trade the token in token_file for role credentials. */
int
creds_webid(struct creds_ctx *ctx, const char *role_arn,
    const char *token_file, const char *session, const char *source,
    struct aws_creds *out, char **cause)
{
	struct aws_error	 err;
	char			*token, *name, *msg;
	int			 rc;

	if ((token = creds_read_secret(token_file, cause)) == NULL) {
		error_wrap(cause, "web identity token file");
		return CREDS_ERROR;
	}
	if (*token == '\0') {
		free(token);
		error_set(cause, "web identity token file %s is empty",
		    token_file);
		return CREDS_ERROR;
	}
	name = session != NULL && *session != '\0' ? xstrdup(session) :
	    creds_session_name();
	memset(&err, 0, sizeof err);
	rc = sts_assume_role_with_web_identity(ctx->aws, role_arn, name, token,
	    0, out, NULL, &err);
	explicit_bzero(token, strlen(token));
	free(token);
	free(name);
	if (rc != 0) {
		msg = aws_error_string(&err);
		error_set(cause, "assume role %s with web identity: %s",
		    role_arn, msg);
		free(msg);
		aws_error_clear(&err);
		return CREDS_ERROR;
	}
	free(out->source);
	out->source = xstrdup(source);
	return CREDS_FOUND;
}

/* AWS_ROLE_ARN + AWS_WEB_IDENTITY_TOKEN_FILE [+ AWS_ROLE_SESSION_NAME]. */
int
creds_webid_env(struct creds_ctx *ctx, struct aws_creds *out, char **cause)
{
	const char	*role, *file;

	role = getenv("AWS_ROLE_ARN");
	file = getenv("AWS_WEB_IDENTITY_TOKEN_FILE");
	if (file == NULL || *file == '\0') {
		creds_tried(ctx, "web-identity");
		return CREDS_NONE;
	}
	if (role == NULL || *role == '\0') {
		error_set(cause, "AWS_WEB_IDENTITY_TOKEN_FILE is set but "
		    "AWS_ROLE_ARN is not");
		return CREDS_ERROR;
	}
	return creds_webid(ctx, role, file, getenv("AWS_ROLE_SESSION_NAME"),
	    "web-identity", out, cause);
}
