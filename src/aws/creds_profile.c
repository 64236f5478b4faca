/* Shared-file profile credentials: static keys, assume role, process. */
#include <stdlib.h>
#include <string.h>

#include "latticectl/error.h"
#include "latticectl/sts.h"
#include "latticectl/strbuf.h"
#include "latticectl/xmalloc.h"

#include "creds_int.h"

#define PROFILE_MAX_DEPTH	16

/* The profiles visited while following source_profile. */
struct profile_path {
	const char	*names[PROFILE_MAX_DEPTH];
	size_t		 n;
};

static int	profile_creds(struct creds_ctx *, const char *,
		    struct profile_path *, struct aws_creds *, char **);

/* A profile key, NULL when absent or empty. */
static const char *
profile_get(struct creds_ctx *ctx, const char *profile, const char *key)
{
	const char	*v;

	v = aws_shared_config_get(ctx->shared, profile, key);
	return v != NULL && *v != '\0' ? v : NULL;
}

/* aws_access_key_id / aws_secret_access_key [/ aws_session_token]. */
static int
profile_static(struct creds_ctx *ctx, const char *profile,
    struct aws_creds *out, char **cause)
{
	const char	*ak, *sk, *tok;

	ak = profile_get(ctx, profile, "aws_access_key_id");
	sk = profile_get(ctx, profile, "aws_secret_access_key");
	tok = profile_get(ctx, profile, "aws_session_token");
	if (ak == NULL && sk == NULL)
		return CREDS_NONE;
	if (ak == NULL || sk == NULL) {
		error_set(cause, "profile %s: %s without %s", profile,
		    ak != NULL ? "aws_access_key_id" : "aws_secret_access_key",
		    ak != NULL ? "aws_secret_access_key" : "aws_access_key_id");
		return CREDS_ERROR;
	}
	aws_creds_clear(out);
	out->access_key_id = xstrdup(ak);
	out->secret_access_key = xstrdup(sk);
	out->session_token = tok != NULL ? xstrdup(tok) : NULL;
	xasprintf(&out->source, "profile:%s", profile);
	return CREDS_FOUND;
}

/* Credentials named by credential_source. */
static int
profile_credential_source(struct creds_ctx *ctx, const char *profile,
    const char *cs, struct aws_creds *out, char **cause)
{
	int	rc;

	if (strcmp(cs, "Environment") == 0)
		rc = creds_env(out, cause);
	else if (strcmp(cs, "EcsContainer") == 0)
		rc = creds_container(ctx, out, cause);
	else if (strcmp(cs, "Ec2InstanceMetadata") == 0)
		rc = creds_imds(ctx, out, cause);
	else {
		error_set(cause, "profile %s: unknown credential_source %s "
		    "(Environment, Ec2InstanceMetadata or EcsContainer)",
		    profile, cs);
		return CREDS_ERROR;
	}
	if (rc == CREDS_NONE)
		error_set(cause, "profile %s: credential_source %s has no "
		    "credentials", profile, cs);
	else if (rc == CREDS_ERROR)
		error_wrap(cause, "profile %s: credential_source %s", profile,
		    cs);
	return rc == CREDS_FOUND ? CREDS_FOUND : CREDS_ERROR;
}

/* The credentials a role profile assumes the role with. */
static int
profile_source(struct creds_ctx *ctx, const char *profile,
    struct profile_path *path, struct aws_creds *out, char **cause)
{
	const char	*sp, *cs;
	int		 rc;

	sp = profile_get(ctx, profile, "source_profile");
	cs = profile_get(ctx, profile, "credential_source");
	if (sp != NULL && cs != NULL) {
		error_set(cause, "profile %s sets both source_profile and "
		    "credential_source", profile);
		return CREDS_ERROR;
	}
	if (cs != NULL)
		return profile_credential_source(ctx, profile, cs, out, cause);
	if (sp == NULL) {
		error_set(cause, "profile %s: role_arn needs source_profile, "
		    "credential_source or web_identity_token_file", profile);
		return CREDS_ERROR;
	}
	if (strcmp(sp, profile) == 0)
		rc = profile_static(ctx, profile, out, cause);
	else if (!aws_shared_config_has_profile(ctx->shared, sp)) {
		error_set(cause, "profile %s: source_profile %s not found",
		    profile, sp);
		return CREDS_ERROR;
	} else
		rc = profile_creds(ctx, sp, path, out, cause);
	if (rc == CREDS_NONE)
		error_set(cause, "profile %s: source_profile %s has no "
		    "credentials", profile, sp);
	return rc == CREDS_FOUND ? CREDS_FOUND : CREDS_ERROR;
}

/* Parse duration_seconds (900..43200); 0 when absent. */
static int
profile_duration(struct creds_ctx *ctx, const char *profile, int *out,
    char **cause)
{
	const char	*v;
	char		*end;
	long		 n;

	*out = 0;
	if ((v = profile_get(ctx, profile, "duration_seconds")) == NULL)
		return 0;
	n = strtol(v, &end, 10);
	if (*end != '\0' || n < 900 || n > 43200)
		return error_set(cause, "profile %s: duration_seconds must be "
		    "900 to 43200", profile);
	*out = (int)n;
	return 0;
}

/* role_arn: assume the role with the source credentials. */
static int
profile_assume(struct creds_ctx *ctx, const char *profile, const char *role,
    struct profile_path *path, struct aws_creds *out, char **cause)
{
	struct aws_creds	 src;
	struct aws_error	 err;
	const char		*sess;
	char			*name, *msg;
	int			 duration, rc;

	if (profile_get(ctx, profile, "mfa_serial") != NULL) {
		error_set(cause, "profile %s: mfa_serial is not supported",
		    profile);
		return CREDS_ERROR;
	}
	if (profile_duration(ctx, profile, &duration, cause) != 0)
		return CREDS_ERROR;
	memset(&src, 0, sizeof src);
	if (profile_source(ctx, profile, path, &src, cause) != CREDS_FOUND)
		return CREDS_ERROR;
	sess = profile_get(ctx, profile, "role_session_name");
	name = sess != NULL ? xstrdup(sess) : creds_session_name();
	memset(&err, 0, sizeof err);
	rc = sts_assume_role(ctx->aws, &src, role, name,
	    profile_get(ctx, profile, "external_id"), duration, out, NULL,
	    &err);
	free(name);
	aws_creds_clear(&src);
	if (rc != 0) {
		msg = aws_error_string(&err);
		error_set(cause, "profile %s: assume role %s: %s", profile,
		    role, msg);
		free(msg);
		aws_error_clear(&err);
		return CREDS_ERROR;
	}
	free(out->source);
	xasprintf(&out->source, "assume-role:%s", profile);
	return CREDS_FOUND;
}

/* role_arn + web_identity_token_file in the profile. */
static int
profile_webid(struct creds_ctx *ctx, const char *profile, const char *role,
    const char *file, struct aws_creds *out, char **cause)
{
	char	*source;
	int	 rc;

	xasprintf(&source, "web-identity:%s", profile);
	rc = creds_webid(ctx, role, file,
	    profile_get(ctx, profile, "role_session_name"), source, out, cause);
	free(source);
	return rc;
}

/* Fail with the loop when profile is already on the path. */
static int
profile_check_loop(const char *profile, struct profile_path *path,
    char **cause)
{
	struct strbuf	sb;
	size_t		i, start;

	for (i = 0; i < path->n; i++) {
		if (strcmp(path->names[i], profile) != 0)
			continue;
		strbuf_init(&sb);
		for (start = i; i < path->n; i++)
			strbuf_addf(&sb, "%s -> ", path->names[i]);
		strbuf_adds(&sb, path->names[start]);
		error_set(cause, "source_profile loop: %s", sb.buf);
		strbuf_free(&sb);
		return -1;
	}
	if (path->n == PROFILE_MAX_DEPTH)
		return error_set(cause, "source_profile chain deeper than %d",
		    PROFILE_MAX_DEPTH);
	path->names[path->n++] = profile;
	return 0;
}

/* One profile's credentials, following source_profile. */
static int
profile_creds(struct creds_ctx *ctx, const char *profile,
    struct profile_path *path, struct aws_creds *out, char **cause)
{
	const char	*role, *file, *proc;
	int		 rc;

	if (profile_check_loop(profile, path, cause) != 0)
		return CREDS_ERROR;
	role = profile_get(ctx, profile, "role_arn");
	file = profile_get(ctx, profile, "web_identity_token_file");
	if (role != NULL && file != NULL)
		return profile_webid(ctx, profile, role, file, out, cause);
	if (role != NULL)
		return profile_assume(ctx, profile, role, path, out, cause);
	if ((rc = profile_static(ctx, profile, out, cause)) != CREDS_NONE)
		return rc;
	if ((proc = profile_get(ctx, profile, "credential_process")) != NULL)
		return creds_process(proc, profile, CREDS_PROCESS_TIMEOUT_MS,
		    out, cause);
	if (profile_get(ctx, profile, "sso_session") != NULL ||
	    profile_get(ctx, profile, "sso_start_url") != NULL) {
		error_set(cause, "profile %s uses IAM Identity Center (SSO), "
		    "which latticectl does not support; export credentials "
		    "with `aws configure export-credentials --profile %s "
		    "--format env`", profile, profile);
		return CREDS_ERROR;
	}
	return CREDS_NONE;
}

/* The profile step of the chain. */
int
creds_profile(struct creds_ctx *ctx, const char *profile,
    struct aws_creds *out, char **cause)
{
	struct profile_path	path;
	int			rc;

	if (!aws_shared_config_has_profile(ctx->shared, profile)) {
		creds_tried(ctx, "profile:%s (not found)", profile);
		return CREDS_NONE;
	}
	memset(&path, 0, sizeof path);
	if ((rc = profile_creds(ctx, profile, &path, out, cause)) ==
	    CREDS_NONE)
		creds_tried(ctx, "profile:%s", profile);
	return rc;
}
