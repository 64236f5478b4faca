/* The AccessLogPolicy reconciler, as upstream's: an access log
 * subscription from the policy's target (a Gateway: its service network;
 * an HTTPRoute, GRPCRoute or TLSRoute: its Lattice service) to
 * spec.destinationArn, tagged ManagedBy and AccessLogPolicy=<ns>/<name>,
 * its ARN in the accessLogSubscription annotation (and the target's name
 * in accessLogSubscriptionResourceName). A changed destination updates
 * the subscription, a changed target replaces it; deletion removes it,
 * then the finalizer. A create refused with ConflictException adopts a
 * subscription to the same destination type that carries this policy's
 * tag, else the policy is Conflicted; AccessDenied and NotFound make it
 * Invalid. */
#include <stdlib.h>
#include <string.h>

#define LOG_MODULE "controller"
#include "latticectl/error.h"
#include "latticectl/log.h"
#include "latticectl/xmalloc.h"

#include "controller_int.h"

#define ALP_NOT_FOUND	"ResourceNotFoundException"
#define ALP_CONFLICT	"ConflictException"

/* Does err carry code? */
static int
alp_err_is(const struct aws_error *err, const char *code)
{
	return err->code != NULL && strcmp(err->code, code) == 0;
}

/* A refusal that makes the policy Invalid (access denied, destination
 * not found, validation)? Sets the verdict. */
static int
alp_invalid(struct pctx *x, struct aws_error *err, const char *op)
{
	if (!alp_err_is(err, "AccessDeniedException") &&
	    !alp_err_is(err, ALP_NOT_FOUND) &&
	    !alp_err_is(err, "ValidationException"))
		return 0;
	ctl_pol_verdict(x, UP_REASON_INVALID, "%s: %s", op,
	    err->message != NULL ? err->message : err->code);
	aws_error_clear(err);
	return 1;
}

/* Our tags for the subscription (caller frees). */
static void
alp_tags(struct pctx *x, struct aws_tags *t)
{
	char	*v;

	memset(t, 0, sizeof(*t));
	aws_tags_set(t, UP_TAG_MANAGED_BY, x->c->managed_by);
	xasprintf(&v, "%s/%s", x->ns, x->name);
	aws_tags_set(t, UP_TAG_ACCESS_LOG_POLICY, v);
	free(v);
}

/* Delete a subscription (gone is fine). */
static int
alp_delete_sub(struct pctx *x, const char *arn, char **cause)
{
	struct aws_error	err;
	int			rc;

	memset(&err, 0, sizeof(err));
	rc = lattice_delete_access_log_sub(x->c->aws, arn, &err);
	ctl_pol_count(x, "DeleteAccessLogSubscription", rc == 0);
	if (rc != 0 && !alp_err_is(&err, ALP_NOT_FOUND))
		return ctl_pol_aws_fail(x, &err, "DeleteAccessLogSubscription",
		    cause);
	aws_error_clear(&err);
	if (rc == 0)
		log_info("%s: deleted access log subscription %s", x->key, arn);
	return 0;
}

/* Point an existing subscription at the destination. 1 when the verdict
 * changed (Conflicted, Invalid). */
static int
alp_update(struct pctx *x, const char *arn, char **cause)
{
	struct lattice_access_log_sub	s;
	struct aws_error		err;
	int				rc;

	memset(&err, 0, sizeof(err));
	memset(&s, 0, sizeof(s));
	rc = lattice_update_access_log_sub(x->c->aws, arn, x->dest, &s, &err);
	ctl_pol_count(x, "UpdateAccessLogSubscription", rc == 0);
	lattice_access_log_sub_free(&s);
	if (rc == 0) {
		log_info("%s: access log subscription %s now to %s", x->key,
		    arn, x->dest);
		return 0;
	}
	if (alp_err_is(&err, ALP_CONFLICT)) {
		ctl_pol_verdict(x, UP_REASON_CONFLICTED, "%s", err.message !=
		    NULL ? err.message : err.code);
		aws_error_clear(&err);
		return 1;
	}
	if (alp_invalid(x, &err, "UpdateAccessLogSubscription"))
		return 1;
	return ctl_pol_aws_fail(x, &err, "UpdateAccessLogSubscription", cause);
}

/* Is the subscription tagged as this policy's? */
static int
alp_tagged_ours(struct pctx *x, const char *arn)
{
	struct aws_error	 err;
	struct aws_tags		 t;
	const char		*v;
	char			*want;
	int			 rc, ours;

	memset(&err, 0, sizeof(err));
	memset(&t, 0, sizeof(t));
	rc = lattice_list_tags(x->c->aws, arn, &t, &err);
	ctl_pol_count(x, "ListTagsForResource", rc == 0);
	aws_error_clear(&err);
	xasprintf(&want, "%s/%s", x->ns, x->name);
	ours = rc == 0 && (v = aws_tags_get(&t, UP_TAG_ACCESS_LOG_POLICY)) !=
	    NULL && strcmp(v, want) == 0;
	free(want);
	aws_tags_free(&t);
	return ours;
}

/* After a create conflict: the target's subscription to the same
 * destination type, when it is tagged as ours (ARN copied), else NULL. */
static char *
alp_find_ours(struct pctx *x)
{
	struct lattice_access_log_sub_list	 l;
	struct aws_error			 err;
	const char				*kind;
	char					*arn = NULL;
	size_t					 i;

	memset(&err, 0, sizeof(err));
	memset(&l, 0, sizeof(l));
	if (lattice_list_access_log_subs(x->c->aws, x->id, NULL, &l, &err) !=
	    0) {
		ctl_pol_count(x, "ListAccessLogSubscriptions", 0);
		aws_error_clear(&err);
		return NULL;
	}
	ctl_pol_count(x, "ListAccessLogSubscriptions", 1);
	kind = ctl_pol_dest_kind(x->dest);
	for (i = 0; i < l.n && arn == NULL; i++) {
		if (strcmp(ctl_pol_dest_kind(l.items[i].destination_arn),
		    kind) == 0 && alp_tagged_ours(x, l.items[i].arn))
			arn = xstrdup(l.items[i].arn);
	}
	lattice_access_log_sub_list_free(&l);
	return arn;
}

/* Create the subscription (*arn set), or adopt ours after a conflict.
 * 1 when the verdict changed. */
static int
alp_create(struct pctx *x, char **arn, char **cause)
{
	struct lattice_create_access_log_sub_input	in;
	struct lattice_access_log_sub			s;
	struct aws_error				err;
	struct aws_tags					tags;
	int						rc;

	alp_tags(x, &tags);
	memset(&in, 0, sizeof(in));
	in.resource_identifier = x->id;
	in.destination_arn = x->dest;
	in.tags = &tags;
	memset(&err, 0, sizeof(err));
	memset(&s, 0, sizeof(s));
	rc = lattice_create_access_log_sub(x->c->aws, &in, &s, &err);
	ctl_pol_count(x, "CreateAccessLogSubscription", rc == 0);
	aws_tags_free(&tags);
	if (rc == 0) {
		*arn = xstrdup(s.arn);
		log_info("%s: access log subscription %s from %s to %s",
		    x->key, s.arn, x->lname, x->dest);
		lattice_access_log_sub_free(&s);
		return 0;
	}
	lattice_access_log_sub_free(&s);
	if (alp_err_is(&err, ALP_CONFLICT)) {
		if ((*arn = alp_find_ours(x)) != NULL) {
			aws_error_clear(&err);
			return alp_update(x, *arn, cause);
		}
		ctl_pol_verdict(x, UP_REASON_CONFLICTED, "%s has an access log "
		    "subscription to a %s destination already", x->lname,
		    ctl_pol_dest_kind(x->dest));
		aws_error_clear(&err);
		return 1;
	}
	if (alp_invalid(x, &err, "CreateAccessLogSubscription"))
		return 1;
	return ctl_pol_aws_fail(x, &err, "CreateAccessLogSubscription", cause);
}

/* The subscription the annotation names: 0 and *s filled, 1 when it is
 * gone (or none is named). */
static int
alp_current(struct pctx *x, struct lattice_access_log_sub *s, char **cause)
{
	struct aws_error	 err;
	const char		*arn = ctl_pol_ann(x, UP_ANN_ALS);
	int			 rc;

	memset(s, 0, sizeof(*s));
	if (arn == NULL)
		return 1;
	memset(&err, 0, sizeof(err));
	rc = lattice_get_access_log_sub(x->c->aws, arn, s, &err);
	ctl_pol_count(x, "GetAccessLogSubscription", rc == 0);
	if (rc != 0 && alp_err_is(&err, ALP_NOT_FOUND)) {
		aws_error_clear(&err);
		return 1;
	}
	if (rc != 0)
		return ctl_pol_aws_fail(x, &err, "GetAccessLogSubscription",
		    cause);
	return 0;
}

/* Apply an accepted policy. 1 when the verdict changed. */
static int
alp_apply(struct pctx *x, char **cause)
{
	struct lattice_access_log_sub	 s;
	const char			*kv[4];
	char				*arn = NULL;
	int				 rc;

	if (ctl_pol_finalizer(x, UP_FIN_ALP, 1, cause) != 0 ||
	    (rc = alp_current(x, &s, cause)) < 0)
		return -1;
	if (rc == 0 && s.resource_id != NULL && strcmp(s.resource_id, x->id) !=
	    0) {
		rc = alp_delete_sub(x, s.arn, cause) != 0 ? -1 : 1;
		if (rc < 0) {
			lattice_access_log_sub_free(&s);
			return -1;
		}
	}
	if (rc == 0) {
		arn = xstrdup(s.arn);
		if (s.destination_arn == NULL || strcmp(s.destination_arn,
		    x->dest) != 0)
			rc = alp_update(x, arn, cause);
	} else
		rc = alp_create(x, &arn, cause);
	lattice_access_log_sub_free(&s);
	if (rc == 0) {
		kv[0] = UP_ANN_ALS;
		kv[1] = arn;
		kv[2] = UP_ANN_ALS_RESOURCE_NAME;
		kv[3] = x->lname;
		rc = ctl_pol_annotate(x, kv, 2, cause);
	}
	free(arn);
	return rc;
}

/* The policy is going: delete the subscription its annotation names. */
static int
alp_undo(struct pctx *x, char **cause)
{
	const char	*arn = ctl_pol_ann(x, UP_ANN_ALS);

	return arn != NULL ? alp_delete_sub(x, arn, cause) : 0;
}

/* Reconcile "AccessLogPolicy/ns/name". */
enum reconcile_outcome
ctl_alp_reconcile(struct controller *c, const char *key, uint64_t *after_ms,
    char **cause)
{
	static const struct pol_ops ops = { UP_FIN_ALP, alp_undo, alp_apply };

	return ctl_pol_reconcile(c, CS_ALP, key, &ops, after_ms, cause);
}
