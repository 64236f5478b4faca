/*
 * IAM role helpers of the installer (src/install only): look up, create
 * with a trust document and attach policies, remove (detach, delete), and
 * the equivalent commands. Errors are INST_RETRY / INST_FATAL with
 * *cause; trees and strings passed in are only read.
 */
#ifndef LATTICECTL_INSTALL_IAMUTIL_H
#define LATTICECTL_INSTALL_IAMUTIL_H

#include <cjson/cJSON.h>

#include "latticectl/iam.h"

#include "install_int.h"

int	 irole_get(struct install *, const char *name, struct iam_role *,
	    char **cause);
int	 irole_has_policy(struct install *, const char *role,
	    const char *policy_arn, char **cause);
int	 irole_ensure(struct install *, const char *name,
	    const cJSON *trust, const char *const *policies, char **cause);
int	 irole_remove(struct install *, const char *name, char **cause);
void	 irole_plan(struct iplan *, const char *name,
	    const char *trust_file, const char *const *policies,
	    const char *why);
void	 irole_undo_plan(struct iplan *, const char *name);

#endif
