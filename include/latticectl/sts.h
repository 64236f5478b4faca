/*
 * AWS STS client (query protocol, version 2011-06-15): GetCallerIdentity,
 * AssumeRole (signed, optionally with explicit source credentials) and
 * AssumeRoleWithWebIdentity (unsigned, the IRSA exchange).
 *
 * Owner: helper h4 (src/aws/sts.c). The structs own their strings
 * (sts_identity_clear, sts_assumed_clear); credentials returned are the
 * caller's (aws_creds_clear).
 */
#ifndef LATTICECTL_STS_H
#define LATTICECTL_STS_H

#include "latticectl/aws.h"

#define STS_API_VERSION		"2011-06-15"
#define STS_DEFAULT_DURATION	3600

struct sts_identity {
	char	*account;
	char	*arn;
	char	*user_id;
};

/* Who an assumed role session is. */
struct sts_assumed {
	char	*arn;			/* AssumedRoleUser.Arn */
	char	*assumed_role_id;	/* AssumedRoleUser.AssumedRoleId */
	char	*subject;		/* web identity only */
	char	*provider;
	char	*audience;
};

void	 sts_identity_clear(struct sts_identity *);
void	 sts_assumed_clear(struct sts_assumed *);

int	 sts_get_caller_identity(struct aws *, struct sts_identity *,
	    struct aws_error *);
/* AssumeRole signed with source (NULL: the context's own credentials).
 * external_id may be NULL; duration 0 means the service default. who may
 * be NULL. */
int	 sts_assume_role(struct aws *, const struct aws_creds *source,
	    const char *role_arn, const char *session_name,
	    const char *external_id, int duration, struct aws_creds *out,
	    struct sts_assumed *who, struct aws_error *);
/* AssumeRoleWithWebIdentity: an unsigned POST to the STS endpoint. */
int	 sts_assume_role_with_web_identity(struct aws *,
	    const char *role_arn, const char *session_name, const char *token,
	    int duration, struct aws_creds *out, struct sts_assumed *who,
	    struct aws_error *);

#endif
