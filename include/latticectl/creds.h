/*
 * Shared config files, region and the credential provider chain, in the
 * SDKs' order:
 *   1. environment (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY /
 *      AWS_SESSION_TOKEN)
 *   2. web identity (AWS_ROLE_ARN + AWS_WEB_IDENTITY_TOKEN_FILE, or the
 *      profile's role_arn + web_identity_token_file) -> STS
 *      AssumeRoleWithWebIdentity, refreshed before expiry (IRSA)
 *   3. shared config/credentials profile: static keys, role_arn +
 *      source_profile / credential_source -> STS AssumeRole,
 *      credential_process run with argv (never a shell)
 *   4. container credentials (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI /
 *      _FULL_URI with AWS_CONTAINER_AUTHORIZATION_TOKEN[_FILE])
 *   5. EC2 instance metadata, IMDSv2, short timeout
 *
 * As in botocore, an explicit --profile (aws_config.profile, not
 * AWS_PROFILE) skips step 1, and a profile named explicitly must exist.
 * The chain caches what it resolved and refreshes 5 minutes before
 * expiration (a failed refresh keeps credentials valid for another
 * minute); it is thread-safe. Ownership: the chain owns its cache;
 * callers get copies (aws_creds_clear).
 *
 * Shared files follow botocore's parser: "[section]" headers, "key =
 * value" lines (keys lower-cased, both sides trimmed), full-line '#' and
 * ';' comments, lines indented under "key =" holding nested "sub = value"
 * pairs (looked up as "key.sub"), other indented lines continuing the
 * previous value. The config file knows "[default]", "[profile x]",
 * "[services x]" and "[sso-session x]"; the credentials file "[x]".
 *
 * Owner: helper h4 (src/aws/shared_config.c, region.c, endpoint.c,
 * creds*.c, sts.c). The shared config owns every string it returns.
 */
#ifndef LATTICECTL_CREDS_H
#define LATTICECTL_CREDS_H

#include "latticectl/aws.h"

struct aws_shared_config;
struct aws_cred_chain;

/* Load AWS_CONFIG_FILE (~/.aws/config) and AWS_SHARED_CREDENTIALS_FILE
 * (~/.aws/credentials); missing files are not an error, malformed ones
 * are (file:line). */
int	 aws_shared_config_load(struct aws_shared_config **, char **cause);
/* Parse one file's text (for tests and fuzzing); is_credentials selects
 * the "[name]" section form instead of "[profile name]". */
int	 aws_shared_config_parse(struct aws_shared_config *,
	    const char *text, const char *filename, int is_credentials,
	    char **cause);
struct aws_shared_config *aws_shared_config_new(void);
void	 aws_shared_config_free(struct aws_shared_config *);
/* A profile's key: the credentials file wins over the config file for
 * keys it sets. NULL when absent. */
const char *aws_shared_config_get(const struct aws_shared_config *,
	    const char *profile, const char *key);
int	 aws_shared_config_has_profile(const struct aws_shared_config *,
	    const char *profile);
/* A key of a config-file "[<type> <name>]" section ("services",
 * "sso-session"); nested keys as "vpc_lattice.endpoint_url". */
const char *aws_shared_config_section_get(const struct aws_shared_config *,
	    const char *type, const char *name, const char *key);

/* The profile in use: the flag, AWS_PROFILE, else "default" (caller frees). */
char	*aws_profile_name(const struct aws_config *);
/* Region: flag, AWS_REGION, AWS_DEFAULT_REGION, profile "region", IMDS.
 * *source names where it came from (both caller-freed). */
int	 aws_region_resolve(struct aws *, const struct aws_config *,
	    const struct aws_shared_config *, const char *profile,
	    char **region, char **source, char **cause);
/* (aws_region_source() reports "--region", "AWS_REGION",
 * "AWS_DEFAULT_REGION", "profile:<name>" or "imds".) */
/* Is s usable as a region (a DNS label)? */
int	 aws_region_valid(const char *s);

struct aws_cred_chain *aws_cred_chain_new(struct aws *,
	    const struct aws_shared_config *, const char *profile,
	    const struct aws_config *);
void	 aws_cred_chain_free(struct aws_cred_chain *);
/* Resolve (or return cached) credentials; the copy is the caller's. */
int	 aws_cred_chain_get(struct aws_cred_chain *, struct aws_creds *,
	    char **cause);

/* Split a credential_process command line the way the SDKs do (POSIX
 * shell words: whitespace, '...' literal, "..." with \" and \\, \x
 * outside quotes) into a NULL-terminated argv the caller frees with
 * aws_argv_free. It is run with posix_spawnp, never through a shell. */
char	**aws_split_command(const char *, char **cause);
void	 aws_argv_free(char **);

#endif
