/*
 * Native EKS bearer token, as "aws eks get-token" makes it: a SigV4
 * presigned STS GetCallerIdentity URL (GET, X-Amz-Expires=60, service
 * "sts") whose signed headers include "x-k8s-aws-id: <cluster>", encoded
 * as "k8s-aws-v1." + base64url(URL) without padding. The token is valid
 * for 15 minutes after signing; like awscli we report an expiry of
 * now + 14 minutes. Pure functions: no I/O, no clock, no globals.
 *
 * Owner: helper h3 (src/aws/ekstoken.c). Every char * returned is owned
 * by the caller. Tokens are secrets: never log them.
 */
#ifndef LATTICECTL_EKSTOKEN_H
#define LATTICECTL_EKSTOKEN_H

#include <time.h>

#include "latticectl/aws.h"

#define EKSTOKEN_PREFIX		"k8s-aws-v1."
#define EKSTOKEN_MAX_LEN	4096	/* the authenticator's limit */
#define EKSTOKEN_URL_EXPIRES	60	/* X-Amz-Expires, as awscli */
#define EKSTOKEN_LIFETIME	(14 * 60)	/* reported expiry - now */
#define EKSTOKEN_HEADER		"x-k8s-aws-id"
#define EKSTOKEN_API_VERSION	"client.authentication.k8s.io/v1beta1"

/* The STS host the URL names: sts.<region>.amazonaws.com (".com.cn" for
 * cn-* regions). Caller frees. */
char	*ekstoken_sts_host(const char *region);
/* The presigned GetCallerIdentity URL signed at now. */
int	 ekstoken_url(const struct aws_creds *, const char *region,
	    const char *cluster, time_t now, char **url, char **cause);
/* The bearer token and its expiry (now + EKSTOKEN_LIFETIME). */
int	 ekstoken_build(const struct aws_creds *, const char *region,
	    const char *cluster, time_t now, char **token, time_t *expiry,
	    char **cause);
/* The ExecCredential JSON a kubectl exec plugin prints; api_version NULL
 * means EKSTOKEN_API_VERSION. */
char	*ekstoken_exec_credential(const char *token, time_t expiry,
	    const char *api_version);
/* Check the prefix and length and base64url-decode a token to its URL
 * (which must be a printable http:// or https:// URL; the verifier
 * decides which schemes and hosts it accepts). */
int	 ekstoken_decode(const char *token, char **url, char **cause);

#endif
