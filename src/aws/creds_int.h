/*
 * Private to the credential providers (src/aws/creds*.c, region.c):
 * each provider fills a struct aws_creds (the caller's) and returns
 * CREDS_FOUND, CREDS_NONE (not configured: the chain goes on) or
 * CREDS_ERROR (*cause set: the chain stops).
 *
 * Owner: helper h4.
 */
#ifndef LATTICECTL_CREDS_INT_H
#define LATTICECTL_CREDS_INT_H

#include <cjson/cJSON.h>

#include "latticectl/aws.h"
#include "latticectl/creds.h"
#include "latticectl/strbuf.h"

#define CREDS_FOUND	 0
#define CREDS_ERROR	-1
#define CREDS_NONE	 1

#define CREDS_PROCESS_TIMEOUT_MS	60000
#define CREDS_IMDS_TIMEOUT_MS		1000
#define CREDS_CONTAINER_TIMEOUT_MS	2000
#define CREDS_CONTAINER_HOST		"http://169.254.170.2"
#define CREDS_IMDS_ENDPOINT		"http://169.254.169.254"
#define CREDS_IMDS_ENDPOINT_V6		"http://[fd00:ec2::254]"

/* What a provider may use; tried collects "env, web-identity, ..." */
struct creds_ctx {
	struct aws			*aws;
	const struct aws_shared_config	*shared;
	int				 no_imds;
	struct strbuf			*tried;
};

/* Append a note to ctx->tried ("imds (disabled)"). */
void	 creds_tried(struct creds_ctx *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* Fill creds from a JSON object (AccessKeyId, SecretAccessKey, token_key,
 * Expiration); what names the source in errors. */
int	 creds_from_json(const cJSON *, const char *token_key,
	    const char *what, struct aws_creds *, char **cause);
/* Read a small secret file, trimmed of surrounding whitespace. */
char	*creds_read_secret(const char *path, char **cause);
/* Is the environment variable set to "true" (any case)? */
int	 creds_env_true(const char *name);
/* A default session name, "latticectl-<epoch seconds>". */
char	*creds_session_name(void);

/* AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN. */
int	 creds_env(struct aws_creds *, char **cause);
/* AWS_ROLE_ARN + AWS_WEB_IDENTITY_TOKEN_FILE. */
int	 creds_webid_env(struct creds_ctx *, struct aws_creds *,
	    char **cause);
/* One AssumeRoleWithWebIdentity exchange (the token file is read now). */
int	 creds_webid(struct creds_ctx *, const char *role_arn,
	    const char *token_file, const char *session, const char *source,
	    struct aws_creds *, char **cause);
/* The shared-file profile: static keys, assume role, process. */
int	 creds_profile(struct creds_ctx *, const char *profile,
	    struct aws_creds *, char **cause);
/* Run a credential_process command line. */
int	 creds_process(const char *command, const char *profile,
	    int timeout_ms, struct aws_creds *, char **cause);
/* Container endpoint (ECS, EKS Pod Identity). */
int	 creds_container(struct creds_ctx *, struct aws_creds *,
	    char **cause);
/* Is this container full URI allowed (https, or a loopback/ECS/EKS host)? */
int	 creds_container_uri_ok(const char *url, char **cause);

/* IMDSv2: is it disabled (no_imds or AWS_EC2_METADATA_DISABLED)? */
int	 creds_imds_disabled(int no_imds);
/* IMDSv2 GET of path with a fresh session token; *body caller-freed. */
int	 creds_imds_get(struct aws *, const char *path, char **body,
	    char **cause);
/* Instance role credentials; CREDS_NONE when disabled. */
int	 creds_imds(struct creds_ctx *, struct aws_creds *, char **cause);

#endif
