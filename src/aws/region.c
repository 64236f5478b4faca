/* Profile name and region resolution. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define LOG_MODULE "aws"
#include "latticectl/error.h"
#include "latticectl/log.h"
#include "latticectl/xmalloc.h"

#include "aws_int.h"
#include "creds_int.h"

#define REGION_IMDS_PATH	"/latest/meta-data/placement/region"

/* The profile in use: the flag, AWS_PROFILE, else "default". */
char *
aws_profile_name(const struct aws_config *cfg)
{
	const char	*v;

	if (cfg != NULL && cfg->profile != NULL && *cfg->profile != '\0')
		return xstrdup(cfg->profile);
	v = getenv("AWS_PROFILE");
	if (v != NULL && *v != '\0')
		return xstrdup(v);
	return xstrdup("default");
}

/* Is s a plausible region name (a DNS label of [A-Za-z0-9-])? */
int
aws_region_valid(const char *s)
{
	size_t	i, len;

	if (s == NULL || (len = strlen(s)) == 0 || len > 63)
		return 0;
	if (s[0] == '-' || s[len - 1] == '-')
		return 0;
	for (i = 0; i < len; i++) {
		if (!isalnum((unsigned char)s[i]) && s[i] != '-')
			return 0;
	}
	return 1;
}

/* Ask IMDS for the instance's region; NULL when unavailable. */
static char *
region_from_imds(struct aws *aws)
{
	char	*body = NULL, *why = NULL;

	if (aws == NULL || creds_imds_get(aws, REGION_IMDS_PATH, &body,
	    &why) != 0) {
		log_debug("no region from imds: %s", why != NULL ? why : "");
		free(why);
		return NULL;
	}
	body[strcspn(body, " \t\r\n")] = '\0';
	return body;
}

/* Pick the region and say where it came from. */
static int
region_pick(struct aws *aws, const struct aws_config *cfg,
    const struct aws_shared_config *shared, const char *profile,
    char **region, char **source)
{
	static const char *envs[] = { "AWS_REGION", "AWS_DEFAULT_REGION" };
	const char	*v;
	size_t		 i;

	if (cfg != NULL && cfg->region != NULL && *cfg->region != '\0') {
		*region = xstrdup(cfg->region);
		*source = xstrdup("--region");
		return 0;
	}
	for (i = 0; i < sizeof envs / sizeof envs[0]; i++) {
		if ((v = getenv(envs[i])) != NULL && *v != '\0') {
			*region = xstrdup(v);
			*source = xstrdup(envs[i]);
			return 0;
		}
	}
	v = aws_shared_config_get(shared, profile, "region");
	if (v != NULL && *v != '\0') {
		*region = xstrdup(v);
		xasprintf(source, "profile:%s", profile);
		return 0;
	}
	if (creds_imds_disabled(cfg != NULL && cfg->no_imds))
		return -1;
	if ((*region = region_from_imds(aws)) == NULL || **region == '\0') {
		xfree_ptr(region);
		return -1;
	}
	*source = xstrdup("imds");
	return 0;
}

/* Region: flag, AWS_REGION, AWS_DEFAULT_REGION, profile, IMDS. */
int
aws_region_resolve(struct aws *aws, const struct aws_config *cfg,
    const struct aws_shared_config *shared, const char *profile,
    char **region, char **source, char **cause)
{
	*region = *source = NULL;
	if (region_pick(aws, cfg, shared, profile != NULL ? profile :
	    "default", region, source) != 0)
		return error_set(cause, "no region: set --region or "
		    "AWS_REGION");
	if (!aws_region_valid(*region)) {
		error_set(cause, "invalid region \"%s\" (from %s)", *region,
		    *source);
		xfree_ptr(region);
		xfree_ptr(source);
		return -1;
	}
	return 0;
}
