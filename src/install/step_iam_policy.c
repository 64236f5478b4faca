/* Step "iam-policy": VPCLatticeControllerIAMPolicy from the recommended
 * inline policy. A policy of that name with another document is reported
 * and never overwritten (nor deleted by an uninstall). */
#include <stdlib.h>
#include <string.h>

#include "latticectl/error.h"
#include "latticectl/iam.h"
#include "latticectl/json.h"
#include "latticectl/xmalloc.h"

#include "install_int.h"

/* What the step saw. */
struct ip_obs {
	char	*arn;
	int	 exists;
	int	 same;		/* its document is ours */
	long	 attachments;
};

/* Free the observation data. */
static void
ip_free(void *p)
{
	struct ip_obs	*s = p;

	free(s->arn);
	free(s);
}

/* Compare the default version's document with ours. */
static int
ip_compare(struct irun *r, struct ip_obs *s, const char *version,
    char **cause)
{
	struct iam_policy_version	 v = { 0 };
	struct aws_error		 err = { 0 };
	cJSON				*have, *want;

	if (iam_get_policy_version(r->in->aws, s->arn, version, &v,
	    &err) != 0)
		return inst_aws_fail(&err, "iam GetPolicyVersion", cause);
	have = v.document != NULL ? cJSON_Parse(v.document) : NULL;
	want = install_policy_document();
	s->same = have != NULL && inst_policy_equal(have, want);
	cJSON_Delete(have);
	cJSON_Delete(want);
	iam_policy_version_clear(&v);
	return 0;
}

/* Observe: GetPolicy by ARN, then its document. */
static int
ip_observe(struct irun *r, struct iobs *o, char **cause)
{
	const char		*name = r->in->lab->policy_name;
	struct ip_obs		*s = xcalloc(1, sizeof *s);
	struct iam_policy	 pol = { 0 };
	struct aws_error	 err = { 0 };
	int			 rc;

	o->priv = s;
	o->priv_free = ip_free;
	s->arn = inst_iam_arn(r->in, "policy", name);
	if (iam_get_policy(r->in->aws, s->arn, &pol, &err) != 0) {
		if (!inst_aws_is(&err, "NoSuchEntity", NULL))
			return inst_aws_fail(&err, "iam GetPolicy", cause);
		aws_error_clear(&err);
		iobs_exists(o, "no IAM policy %s", name);
		o->have = IHAVE_NONE;
		return 0;
	}
	s->exists = 1;
	s->attachments = pol.attachment_count;
	rc = ip_compare(r, s, pol.default_version_id != NULL ?
	    pol.default_version_id : "v1", cause);
	iam_policy_clear(&pol);
	if (rc != 0)
		return rc;
	iobs_exists(o, "IAM policy %s (%s document, attached %ld times)",
	    s->arn, s->same ? "the recommended" : "a different",
	    s->attachments);
	if (s->same)
		o->have = IHAVE_ALL;
	else
		iobs_set(o, IHAVE_CONFLICT, "PolicyDiffers", "IAM policy %s "
		    "exists with a different document: not overwritten (compare "
		    "it with the recommended one, delete it, or set "
		    "iam.policyName)", name);
	return 0;
}

/* Plan an install. */
static void
ip_plan(struct irun *r, const struct iobs *o, struct iplan *p)
{
	(void)o;
	iplan_add(p, icmd("aws", "iam", "create-policy", "--policy-name",
	    r->in->lab->policy_name, "--policy-document",
	    "file://recommended-inline-policy.json", NULL), "create IAM "
	    "policy %s from the recommended inline policy (vpc-lattice:*, "
	    "EC2 reads, log delivery, tagging)", r->in->lab->policy_name);
}

/* Apply: CreatePolicy. */
static int
ip_apply(struct irun *r, const struct iobs *o, char **cause)
{
	struct iam_policy_input	 pi = { 0 };
	struct iam_policy	 out = { 0 };
	struct aws_error	 err = { 0 };
	cJSON			*doc = install_policy_document();
	char			*text = json_print(doc);
	int			 rc;

	(void)o;
	pi.name = r->in->lab->policy_name;
	pi.document = text;
	pi.description = "AWS Gateway API Controller for Amazon VPC Lattice "
	    "(latticectl install)";
	rc = iam_create_policy(r->in->aws, &pi, &out, &err);
	cJSON_Delete(doc);
	free(text);
	iam_policy_clear(&out);
	if (rc != 0 && !inst_aws_is(&err, "EntityAlreadyExists", NULL))
		return inst_aws_fail(&err, "iam CreatePolicy", cause);
	aws_error_clear(&err);
	irun_log(r, "created IAM policy %s", pi.name);
	return 0;
}

/* Verify: the document matched when observed. */
static int
ip_verify(struct irun *r, const struct iobs *o, char **cause)
{
	const struct ip_obs	*s = o->priv;

	(void)r;
	if (!s->same)
		return error_set(cause, "policy document differs");
	return 0;
}

/* Plan an uninstall. */
static void
ip_undo_plan(struct irun *r, const struct iobs *o, struct iplan *p)
{
	const struct ip_obs	*s = o->priv;

	(void)r;
	iplan_add(p, icmd("aws", "iam", "delete-policy", "--policy-arn",
	    s->arn, NULL), "delete IAM policy %s", s->arn);
}

/* Undo: DeletePolicy (still attached elsewhere: left behind). */
static int
ip_undo(struct irun *r, const struct iobs *o, char **cause)
{
	const struct ip_obs	*s = o->priv;
	struct aws_error	 err = { 0 };

	if (iam_delete_policy(r->in->aws, s->arn, &err) == 0 ||
	    inst_aws_is(&err, "NoSuchEntity", NULL)) {
		aws_error_clear(&err);
		irun_log(r, "deleted IAM policy %s", s->arn);
		return 0;
	}
	if (inst_aws_is(&err, "DeleteConflict", NULL))
		irun_left(r, "IAM policy %s: %s", s->arn, err.message != NULL ?
		    err.message : "still attached");
	return inst_aws_fail(&err, "iam DeletePolicy", cause);
}

const struct istep_ops istep_iam_policy = {
	.id = "iam-policy",
	.title = "IAM policy for the controller",
	.deps = { NULL },
	.observe = ip_observe,
	.plan = ip_plan,
	.apply = ip_apply,
	.verify = ip_verify,
	.undo_plan = ip_undo_plan,
	.undo = ip_undo,
};
