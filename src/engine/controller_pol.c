/* What the VpcAssociationPolicy, AccessLogPolicy and IAMAuthPolicy
 * reconcilers share: the object as last seen, the check of the targetRef
 * against the store (Accepted, Invalid, TargetNotFound, Conflicted: the
 * older policy wins), the Lattice resource the target maps to (a
 * Gateway's service network, a route's service), finalizers, annotations
 * and the Accepted condition, and the queueing of the policies that
 * target an object. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define LOG_MODULE "controller"
#include "latticectl/error.h"
#include "latticectl/json.h"
#include "latticectl/kutil.h"
#include "latticectl/log.h"
#include "latticectl/xmalloc.h"

#include "controller_int.h"

#define MS(s)	((uint64_t)(s) * 1000)

/* The metadata and targetRef of a policy of kind k. */
void
ctl_pol_head(enum cs_kind k, const void *obj, const struct gw_meta **meta,
    const struct gw_target_ref **target)
{
	const struct gw_vapolicy	*v = obj;
	const struct gw_alpolicy	*a = obj;
	const struct gw_iampolicy	*i = obj;

	if (k == CS_VAP) {
		*meta = &v->meta;
		*target = &v->target;
	} else if (k == CS_ALP) {
		*meta = &a->meta;
		*target = &a->target;
	} else {
		*meta = &i->meta;
		*target = &i->target;
	}
}

/* The destination kind of an access log ARN ("logs", "s3", "firehose"),
 * or "" when it is none of them. */
const char *
ctl_pol_dest_kind(const char *arn)
{
	static const char *const kinds[] = { "logs", "s3", "firehose", NULL };
	const char	*p;
	size_t		 i, n;

	if (arn == NULL || strncmp(arn, "arn:", 4) != 0 ||
	    (p = strchr(arn + 4, ':')) == NULL)
		return "";
	p++;
	for (i = 0; kinds[i] != NULL; i++) {
		n = strlen(kinds[i]);
		if (strncmp(p, kinds[i], n) == 0 && p[n] == ':')
			return kinds[i];
	}
	return "";
}

/* ---- life of a context ---- */

/* Load the object of key; 1 when it is gone. */
int
ctl_pol_begin(struct controller *c, enum cs_kind k, const char *key,
    struct pctx *x)
{
	struct kube_obj	*o = NULL;
	char		*kind;

	memset(x, 0, sizeof(*x));
	x->c = c;
	x->kind = k;
	x->key = key;
	if (ctl_key_split(key, &kind, &x->ns, &x->name) != 0 ||
	    x->ns == NULL) {
		log_warn("policy key %s: malformed", key);
		return 1;
	}
	free(kind);
	if (c->inf[k] != NULL)
		o = kube_cache_get(kube_informer_cache(c->inf[k]), x->ns,
		    x->name);
	if (o == NULL)
		return 1;
	x->cur = cJSON_Duplicate(kube_obj_json(o), 1);
	kube_obj_unref(o);
	x->deleting = json_path_str(x->cur, "metadata.deletionTimestamp") !=
	    NULL;
	return 0;
}

/* Free a context. */
void
ctl_pol_end(struct pctx *x)
{
	size_t	i;

	free(x->ns);
	free(x->name);
	cJSON_Delete(x->cur);
	free(x->message);
	free(x->target_kind);
	free(x->target_name);
	free(x->lname);
	for (i = 0; i < x->nsgs; i++)
		free(x->sgs[i]);
	free(x->sgs);
	free(x->dest);
	free(x->policy);
	free(x->arn);
	free(x->id);
}

/* Set the outcome of the check (the first one set wins). */
void
ctl_pol_verdict(struct pctx *x, const char *reason, const char *fmt, ...)
{
	va_list	ap;

	if (x->reason != NULL && strcmp(x->reason, UP_REASON_ACCEPTED) != 0)
		return;
	x->reason = reason;
	free(x->message);
	va_start(ap, fmt);
	xvasprintf(&x->message, fmt, ap);
	va_end(ap);
}

/* ---- the check against the store (read lock held) ---- */

/* What the conflict scan compares. */
struct pol_scan {
	struct pctx			*x;
	const struct gw_meta		*me;
	const struct gw_target_ref	*t;
	const char			*created;
};

/* Is policy a older than b (creationTimestamp, then name)? */
static int
ctl_pol_older(const char *ca, const char *na, const char *cb,
    const char *nb)
{
	int	d = 0;

	if (ca != NULL && cb != NULL)
		d = strcmp(ca, cb);
	if (d == 0)
		d = strcmp(na, nb);
	return d < 0;
}

/* Another, older policy of the same kind on the same target (for
 * AccessLogPolicy: with the same destination type)? (cs_each) */
static int
ctl_pol_conflict(void *arg, const void *obj)
{
	struct pol_scan			*s = arg;
	const struct gw_meta		*m;
	const struct gw_target_ref	*t;
	const char			*oc;

	ctl_pol_head(s->x->kind, obj, &m, &t);
	if (m == s->me || strcmp(m->ns, s->me->ns) != 0 || m->deleting ||
	    t->kind == NULL || t->name == NULL ||
	    strcmp(t->kind, s->t->kind) != 0 ||
	    strcmp(t->name, s->t->name) != 0 || strcmp(t->ns, s->t->ns) != 0)
		return 0;
	if (s->x->kind == CS_ALP && strcmp(ctl_pol_dest_kind(((const struct
	    gw_alpolicy *)obj)->destination_arn), ctl_pol_dest_kind(
	    s->x->dest)) != 0)
		return 0;
	oc = cs_created_of(s->x->c->store, s->x->kind, m->ns, m->name);
	if (!ctl_pol_older(oc, m->name, s->created, s->me->name))
		return 0;
	ctl_pol_verdict(s->x, UP_REASON_CONFLICTED, "%s %s already targets "
	    "%s %s%s%s", cs_kind_name(s->x->kind), m->name, t->kind, t->name,
	    s->x->kind == CS_ALP ? " with a destination of type " : "",
	    s->x->kind == CS_ALP ? ctl_pol_dest_kind(s->x->dest) : "");
	return 1;
}

/* Copy what the reconcilers need of the typed spec. */
static void
ctl_pol_copy_spec(struct pctx *x, const void *obj)
{
	const struct gw_vapolicy	*v = obj;
	size_t				 i;

	if (x->kind == CS_VAP) {
		x->associate = v->associate;
		x->sgs = xcalloc(v->nsecurity_groups + 1, sizeof(*x->sgs));
		for (i = 0; i < v->nsecurity_groups; i++)
			x->sgs[i] = xstrdup(v->security_groups[i]);
		x->nsgs = v->nsecurity_groups;
	} else if (x->kind == CS_ALP)
		x->dest = xstrdup(((const struct gw_alpolicy *)obj)->
		    destination_arn);
	else
		x->policy = xstrdup(((const struct gw_iampolicy *)obj)->policy);
}

/* The Lattice name a target maps to: the Gateway's service network or
 * the route's service; NULL with a TargetNotFound verdict. */
static void
ctl_pol_target(struct pctx *x, const struct gw_target_ref *t)
{
	const struct gw_gateway	*gw;
	const struct gw_route	*r;
	const char		*ov;
	enum cs_kind		 rk;

	if (strcmp(t->kind, UP_KIND_GATEWAY) == 0) {
		x->target_gw = 1;
		if ((gw = cs_get(x->c->store, CS_GATEWAY, t->ns, t->name)) !=
		    NULL && !gw->meta.deleting)
			x->lname = xstrdup(lm_sn_name(&x->c->lm, gw));
	} else {
		rk = strcmp(t->kind, UP_KIND_GRPCROUTE) == 0 ? CS_GRPCROUTE :
		    strcmp(t->kind, UP_KIND_TLSROUTE) == 0 ? CS_TLSROUTE :
		    CS_HTTPROUTE;
		if ((r = cs_get(x->c->store, rk, t->ns, t->name)) != NULL &&
		    !r->meta.deleting) {
			ov = gw_meta_annotation(&r->meta,
			    UP_ANN_SERVICE_NAME_OVERRIDE);
			x->lname = ov != NULL ? xstrdup(ov) :
			    lm_service_name_default(r->meta.name, r->meta.ns);
		}
	}
	if (x->lname == NULL)
		ctl_pol_verdict(x, UP_REASON_TARGET_NOT_FOUND, "%s %s/%s not "
		    "found", t->kind, t->ns, t->name);
}

/* Check the policy against the store: Accepted, Invalid, TargetNotFound
 * or Conflicted; copies the spec and the target's Lattice name. */
void
ctl_pol_check(struct pctx *x)
{
	const void			*obj;
	const struct gw_meta		*m;
	const struct gw_target_ref	*t;
	struct pol_scan			 s;

	cs_rdlock(x->c->store);
	if ((obj = cs_get(x->c->store, x->kind, x->ns, x->name)) == NULL) {
		ctl_pol_verdict(x, UP_REASON_INVALID, "the policy could not "
		    "be parsed");
		cs_unlock(x->c->store);
		return;
	}
	ctl_pol_head(x->kind, obj, &m, &t);
	ctl_pol_copy_spec(x, obj);
	x->target_kind = xstrdup(t->kind);
	x->target_name = xstrdup(t->name);
	if (m->nproblems > 0)
		ctl_pol_verdict(x, UP_REASON_INVALID, "%s", m->problems[0]);
	else if (strcmp(t->ns, m->ns) != 0)
		ctl_pol_verdict(x, UP_REASON_INVALID, "targetRef namespace %s "
		    "must be the policy's namespace %s", t->ns, m->ns);
	if (x->reason == NULL)
		ctl_pol_target(x, t);
	if (x->reason == NULL) {
		s.x = x;
		s.me = m;
		s.t = t;
		s.created = cs_created_of(x->c->store, x->kind, m->ns, m->name);
		cs_each(x->c->store, x->kind, ctl_pol_conflict, &s);
	}
	cs_unlock(x->c->store);
	if (x->reason == NULL)
		ctl_pol_verdict(x, UP_REASON_ACCEPTED, "%s", "");
}

/* ---- the Lattice side ---- */

/* The id at the end of an ARN (copy). */
static char *
ctl_pol_arn_id(const char *arn)
{
	const char	*slash = arn != NULL ? strrchr(arn, '/') : NULL;

	return xstrdup_or_null(slash != NULL ? slash + 1 : arn);
}

/* Find the Lattice resource of the target: 0 found (x->arn, x->id), 1
 * not found, -1 on error (*cause). */
int
ctl_pol_resolve(struct pctx *x, char **cause)
{
	char	*dns = NULL;
	int	 count = 0;

	if (x->target_gw) {
		if (ctl_sn_find(x->c, x->lname, &x->arn, &count, cause) != 0)
			return -1;
		if (count > 1) {
			ctl_pol_verdict(x, UP_REASON_INVALID, "%d VPC Lattice "
			    "service networks are named %s", count, x->lname);
			return 1;
		}
	} else {
		mirror_service_info(x->c->mirror, x->lname, &x->arn, &dns);
		free(dns);
	}
	if (x->arn == NULL) {
		ctl_pol_verdict(x, UP_REASON_TARGET_NOT_FOUND, "VPC Lattice "
		    "%s %s not found", x->target_gw ? "service network" :
		    "service", x->lname);
		return 1;
	}
	x->id = ctl_pol_arn_id(x->arn);
	return 0;
}

/* An AWS error as *cause (counted as op); returns -1. */
int
ctl_pol_aws_fail(struct pctx *x, struct aws_error *err, const char *what,
    char **cause)
{
	char	*s = aws_error_string(err);

	error_set(cause, "%s: %s", what, s);
	free(s);
	aws_error_clear(err);
	(void)x;
	return -1;
}

/* Count a call beside the mirror. */
void
ctl_pol_count(struct pctx *x, const char *op, int ok)
{
	mirror_count(x->c->mirror, op, ok);
}

/* ---- Kubernetes side ---- */

/* A kube_error as *cause; returns -1. */
static int
ctl_pol_kfail(struct kube_error *e, const char *what, char **cause)
{
	char	*s = kube_error_string(e);

	error_set(cause, "%s: %s", what, s);
	free(s);
	kube_error_clear(e);
	return -1;
}

/* Take a newer copy of the object. */
static void
ctl_pol_take(struct pctx *x, cJSON *out)
{
	if (out != NULL) {
		cJSON_Delete(x->cur);
		x->cur = out;
	}
}

/* Add or remove the policy's finalizer. */
int
ctl_pol_finalizer(struct pctx *x, const char *fin, int add, char **cause)
{
	struct kube_error	 e;
	cJSON			*out = NULL;
	int			 rc;

	if (!ctl_writes(x->c) || kube_finalizer_has(x->cur, fin) == add)
		return 0;
	memset(&e, 0, sizeof(e));
	if (add)
		rc = status_finalizer_add(x->c->sw, &x->c->res[x->kind],
		    x->cur, fin, &out, &e);
	else
		rc = status_finalizer_remove(x->c->sw, &x->c->res[x->kind],
		    x->cur, fin, &out, &e);
	if (rc != 0)
		return ctl_pol_kfail(&e, "finalizer", cause);
	ctl_pol_take(x, out);
	return 0;
}

/* An annotation of the object, or NULL. */
const char *
ctl_pol_ann(struct pctx *x, const char *key)
{
	const cJSON	*a = json_path(x->cur, "metadata.annotations");
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(a, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* Set (or, with a NULL value, remove) annotations: kv holds n pairs;
 * nothing is sent when the object says so already. */
int
ctl_pol_annotate(struct pctx *x, const char *const *kv, size_t n,
    char **cause)
{
	struct kube_error	 e;
	const char		*have;
	cJSON			*out = NULL;
	size_t			 i;
	int			 same = 1;

	for (i = 0; i < n && same; i++) {
		have = ctl_pol_ann(x, kv[2 * i]);
		same = kv[2 * i + 1] == NULL ? have == NULL : have != NULL &&
		    strcmp(have, kv[2 * i + 1]) == 0;
	}
	if (same || !ctl_writes(x->c))
		return 0;
	memset(&e, 0, sizeof(e));
	if (kube_annotations_patch(x->c->kc, &x->c->res[x->kind], x->ns,
	    x->name, kv, n, &out, &e) != 0) {
		if (kube_error_is_not_found(&e)) {
			kube_error_clear(&e);
			return 0;
		}
		return ctl_pol_kfail(&e, "annotations", cause);
	}
	ctl_pol_take(x, out);
	return 0;
}

/* Write the Accepted condition of the verdict. */
int
ctl_pol_status(struct pctx *x, char **cause)
{
	struct kube_error	 e;
	cJSON			*out = NULL;

	if (!ctl_writes(x->c) || x->deleting)
		return 0;
	memset(&e, 0, sizeof(e));
	if (status_accepted_write(x->c->sw, &x->c->res[x->kind], x->cur,
	    x->reason, x->message != NULL ? x->message : "", &out, &e) != 0)
		return ctl_pol_kfail(&e, "writing status", cause);
	ctl_pol_take(x, out);
	return 0;
}

/* Finish a reconcile: write the status, record the key's outcome.
 * retry: requeue after the pending wait (a Lattice transition or a
 * target not there yet) unless in once mode. */
enum reconcile_outcome
ctl_pol_finish(struct pctx *x, int retry, uint64_t *after_ms, char **cause)
{
	struct controller	*c = x->c;
	int			 ok;

	if (ctl_pol_status(x, cause) != 0) {
		ctl_key_set(c, x->key, CTL_FAILED, "%s", *cause);
		return RECONCILE_ERROR;
	}
	ok = strcmp(x->reason, UP_REASON_ACCEPTED) == 0;
	if (!ctl_writes(c))	/* Lattice is not compared in a dry run */
		ctl_key_set(c, x->key, CTL_CONVERGED, "dry run: %s%s%s",
		    x->reason, *x->message != '\0' ? ": " : "", x->message);
	else if (retry)
		ctl_key_set(c, x->key, ok ? CTL_PENDING : CTL_BLOCKED, "%s%s%s",
		    x->reason, *x->message != '\0' ? ": " : "", x->message);
	else
		ctl_key_set(c, x->key, CTL_CONVERGED, "%s%s%s", x->reason,
		    *x->message != '\0' ? ": " : "", x->message);
	if (!retry || !ctl_writes(c) || (!ok && c->cfg.once))
		return RECONCILE_DONE;
	*after_ms = MS(c->cfg.requeue_pending_s != 0 ?
	    c->cfg.requeue_pending_s : ok ? PLAN_REQUEUE_PENDING_S :
	    CONTROLLER_SN_RECHECK_S);
	return RECONCILE_REQUEUE;
}

/* Record a failure. */
enum reconcile_outcome
ctl_pol_failed(struct pctx *x, char **cause)
{
	ctl_key_set(x->c, x->key, CTL_FAILED, "%s", *cause);
	return RECONCILE_ERROR;
}

/* The policy is going: undo what it made, drop the finalizer. */
static enum reconcile_outcome
ctl_pol_delete(struct pctx *x, const struct pol_ops *ops, char **cause)
{
	if (ctl_writes(x->c) && ops->undo(x, cause) != 0)
		return ctl_pol_failed(x, cause);
	if (ctl_pol_finalizer(x, ops->fin, 0, cause) != 0)
		return ctl_pol_failed(x, cause);
	ctl_key_forget(x->c, x->key);
	return RECONCILE_DONE;
}

/* Reconcile one policy of kind k with the kind's ops. */
enum reconcile_outcome
ctl_pol_reconcile(struct controller *c, enum cs_kind k, const char *key,
    const struct pol_ops *ops, uint64_t *after_ms, char **cause)
{
	enum reconcile_outcome	 out;
	struct pctx		 x;
	int			 rc = 0, retry;

	if (ctl_pol_begin(c, k, key, &x) != 0) {
		ctl_key_forget(c, key);
		ctl_pol_end(&x);
		return RECONCILE_GONE;
	}
	if (x.deleting) {
		out = ctl_pol_delete(&x, ops, cause);
		ctl_pol_end(&x);
		return out;
	}
	ctl_pol_check(&x);
	if (strcmp(x.reason, UP_REASON_ACCEPTED) == 0 && ctl_writes(c) &&
	    (rc = ctl_pol_resolve(&x, cause)) == 0)
		rc = ops->apply(&x, cause);
	retry = rc == 2 || (strcmp(x.reason, UP_REASON_TARGET_NOT_FOUND) ==
	    0 && x.arn == NULL && x.lname != NULL);
	if (rc < 0)
		out = ctl_pol_failed(&x, cause);
	else
		out = ctl_pol_finish(&x, retry, after_ms, cause);
	ctl_pol_end(&x);
	return out;
}

/* ---- queueing ---- */

/* What to queue: the policies targeting one object. */
struct pol_find {
	struct controller	*c;
	enum cs_kind		 kind;
	const char		*tkind;
	const char		*ns;
	const char		*name;
};

/* Queue a policy that targets the object (cs_each). */
static int
ctl_pol_queue_one(void *arg, const void *obj)
{
	struct pol_find			*f = arg;
	const struct gw_meta		*m;
	const struct gw_target_ref	*t;
	char				*key;

	ctl_pol_head(f->kind, obj, &m, &t);
	if (t->kind == NULL || t->name == NULL ||
	    strcmp(t->kind, f->tkind) != 0 || strcmp(t->ns, f->ns) != 0 ||
	    strcmp(t->name, f->name) != 0)
		return 0;
	xasprintf(&key, "%s/%s/%s", cs_kind_name(f->kind), m->ns, m->name);
	reconcile_add(f->c->policies, key);
	free(key);
	return 0;
}

/* Queue the VpcAssociation, AccessLog and IAMAuth policies that target
 * tkind ns/name (store lock not held). */
void
ctl_queue_policies(struct controller *c, const char *tkind, const char *ns,
    const char *name)
{
	static const enum cs_kind kinds[] = { CS_VAP, CS_ALP, CS_IAP };
	struct pol_find	f = { c, CS_VAP, tkind, ns, name };
	size_t		i;

	if (tkind == NULL || ns == NULL || name == NULL)
		return;
	cs_rdlock(c->store);
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		f.kind = kinds[i];
		cs_each(c->store, kinds[i], ctl_pol_queue_one, &f);
	}
	cs_unlock(c->store);
}
