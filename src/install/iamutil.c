/* IAM role helpers shared by the cluster and service-account steps. */
#include <stdlib.h>
#include <string.h>

#include "latticectl/iam.h"
#include "latticectl/json.h"
#include "latticectl/xmalloc.h"

#include "install_int.h"
#include "iamutil.h"

/* GetRole: 0 found (role filled when given), 1 absent, or an error. */
int
irole_get(struct install *in, const char *name, struct iam_role *role,
    char **cause)
{
	struct iam_role		tmp = { 0 };
	struct aws_error	err = { 0 };
	struct iam_role		*r = role != NULL ? role : &tmp;

	memset(r, 0, sizeof *r);
	if (iam_get_role(in->aws, name, r, &err) != 0) {
		if (inst_aws_is(&err, "NoSuchEntity", NULL)) {
			aws_error_clear(&err);
			return 1;
		}
		return inst_aws_fail(&err, "iam GetRole", cause);
	}
	if (role == NULL)
		iam_role_clear(&tmp);
	return 0;
}

/* Is policy_arn attached to the role? 1 yes, 0 no, or an error. */
int
irole_has_policy(struct install *in, const char *role,
    const char *policy_arn, char **cause)
{
	struct iam_attached_policies	ap = { 0 };
	struct aws_error		err = { 0 };
	size_t				i;
	int				hit = 0;

	if (iam_list_attached_role_policies(in->aws, role, NULL, 0, &ap,
	    &err) != 0) {
		if (inst_aws_is(&err, "NoSuchEntity", NULL)) {
			aws_error_clear(&err);
			return 0;
		}
		return inst_aws_fail(&err, "iam ListAttachedRolePolicies",
		    cause);
	}
	for (i = 0; i < ap.n; i++)
		if (strcmp(ap.v[i].arn, policy_arn) == 0)
			hit = 1;
	iam_attached_policies_free(&ap);
	return hit;
}

/* Create the role with the trust document when absent, then attach the
 * policies (attaching twice is harmless). */
int
irole_ensure(struct install *in, const char *name, const cJSON *trust,
    const char *const *policies, char **cause)
{
	struct iam_role_input	 ri = { 0 };
	struct iam_role		 role = { 0 };
	struct aws_error	 err = { 0 };
	char			*doc;
	int			 rc;

	if ((rc = irole_get(in, name, NULL, cause)) < 0)
		return rc;
	if (rc == 1) {
		doc = json_print(trust);
		ri.name = name;
		ri.assume_role_policy_document = doc;
		ri.description = "created by latticectl install";
		rc = iam_create_role(in->aws, &ri, &role, &err);
		free(doc);
		iam_role_clear(&role);
		if (rc != 0 && !inst_aws_is(&err, "EntityAlreadyExists", NULL))
			return inst_aws_fail(&err, "iam CreateRole", cause);
		aws_error_clear(&err);
	}
	for (; policies != NULL && *policies != NULL; policies++) {
		if (iam_attach_role_policy(in->aws, name, *policies,
		    &err) != 0)
			return inst_aws_fail(&err, "iam AttachRolePolicy",
			    cause);
	}
	return 0;
}

/* Detach every managed policy and delete the role (absent is fine). */
int
irole_remove(struct install *in, const char *name, char **cause)
{
	struct iam_attached_policies	ap = { 0 };
	struct aws_error		err = { 0 };
	size_t				i;
	int				rc = 0;

	if (iam_list_attached_role_policies(in->aws, name, NULL, 0, &ap,
	    &err) != 0) {
		if (inst_aws_is(&err, "NoSuchEntity", NULL)) {
			aws_error_clear(&err);
			return 0;
		}
		return inst_aws_fail(&err, "iam ListAttachedRolePolicies",
		    cause);
	}
	for (i = 0; i < ap.n && rc == 0; i++) {
		if (iam_detach_role_policy(in->aws, name, ap.v[i].arn,
		    &err) != 0 && !inst_aws_is(&err, "NoSuchEntity", NULL))
			rc = inst_aws_fail(&err, "iam DetachRolePolicy", cause);
		aws_error_clear(&err);
	}
	iam_attached_policies_free(&ap);
	if (rc == 0 && iam_delete_role(in->aws, name, &err) != 0 &&
	    !inst_aws_is(&err, "NoSuchEntity", NULL))
		rc = inst_aws_fail(&err, "iam DeleteRole", cause);
	aws_error_clear(&err);
	return rc;
}

/* The command lines that create a role and attach its policies. */
void
irole_plan(struct iplan *p, const char *name, const char *trust_file,
    const char *const *policies, const char *why)
{
	char	*arg;

	xasprintf(&arg, "file://%s", trust_file);
	iplan_add(p, icmd("aws", "iam", "create-role", "--role-name", name,
	    "--assume-role-policy-document", arg, NULL), "create IAM role %s "
	    "(%s)", name, why);
	free(arg);
	for (; policies != NULL && *policies != NULL; policies++)
		iplan_add(p, icmd("aws", "iam", "attach-role-policy",
		    "--role-name", name, "--policy-arn", *policies, NULL),
		    "attach %s to %s", strrchr(*policies, '/') + 1, name);
}

/* The command lines that remove a role. */
void
irole_undo_plan(struct iplan *p, const char *name)
{
	iplan_add(p, icmd("aws", "iam", "list-attached-role-policies",
	    "--role-name", name, NULL), "detach the managed policies of IAM "
	    "role %s (aws iam detach-role-policy for each)", name);
	iplan_add(p, icmd("aws", "iam", "delete-role", "--role-name", name,
	    NULL), "delete IAM role %s", name);
}
