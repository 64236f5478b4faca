/* The policy reconciler: its dispatch, and TargetGroupPolicy status
 * (Accepted with the Gateway API policy reasons Accepted, Invalid,
 * TargetNotFound, Conflicted). What a TargetGroupPolicy does to target
 * groups is the builder's. */
#include <stdlib.h>
#include <string.h>

#define LOG_MODULE "controller"
#include "latticectl/error.h"
#include "latticectl/json.h"
#include "latticectl/log.h"
#include "latticectl/xmalloc.h"

#include "controller_int.h"

/* What a policy check finds. */
struct pcheck {
	struct controller		*c;
	const struct gw_tgpolicy	*p;
	const char			*created;
	const char			*reason;
	char				*message;
};

/* Is a the older policy (creationTimestamp, then name)? */
static int
ctl_policy_older(const struct gw_tgpolicy *a, const char *ca,
    const struct gw_tgpolicy *b, const char *cb)
{
	int	d = 0;

	if (ca != NULL && cb != NULL)
		d = strcmp(ca, cb);
	if (d == 0)
		d = strcmp(a->meta.name, b->meta.name);
	return d < 0;
}

/* Does another, older policy target the same object? (cs_each) */
static int
ctl_policy_conflict(void *arg, const void *obj)
{
	struct pcheck			*x = arg;
	const struct gw_tgpolicy	*o = obj;
	const char			*ons;

	ons = o->target.ns != NULL ? o->target.ns : o->meta.ns;
	if (o == x->p || strcmp(o->meta.ns, x->p->meta.ns) != 0 ||
	    o->target.kind == NULL || o->target.name == NULL ||
	    strcmp(o->target.kind, x->p->target.kind) != 0 ||
	    strcmp(o->target.name, x->p->target.name) != 0 ||
	    strcmp(ons, x->p->meta.ns) != 0 ||
	    !ctl_policy_older(o, cs_created_of(x->c->store, CS_TGP, o->meta.ns,
	    o->meta.name), x->p, x->created))
		return 0;
	x->reason = UP_REASON_CONFLICTED;
	xasprintf(&x->message, "TargetGroupPolicy %s already targets %s %s",
	    o->meta.name, o->target.kind, o->target.name);
	return 1;
}

/* Decide the Accepted condition of policy ns/name (store read lock). */
static void
ctl_policy_check(struct pcheck *x, const char *ns, const char *name)
{
	const struct gw_target_ref	*t;
	enum cs_kind			 k;
	const char			*tns;

	if ((x->p = cs_get(x->c->store, CS_TGP, ns, name)) == NULL) {
		x->reason = UP_REASON_INVALID;
		x->message = xstrdup("the policy could not be parsed");
		return;
	}
	x->created = cs_created_of(x->c->store, CS_TGP, ns, name);
	t = &x->p->target;
	tns = t->ns != NULL ? t->ns : ns;
	if (t->kind == NULL || t->name == NULL ||
	    (strcmp(t->kind, UP_KIND_SERVICE) != 0 &&
	    strcmp(t->kind, UP_KIND_SERVICEEXPORT) != 0)) {
		x->reason = UP_REASON_INVALID;
		xasprintf(&x->message, "targetRef kind %s is not Service or "
		    "ServiceExport", t->kind != NULL ? t->kind : "(none)");
		return;
	}
	if (strcmp(tns, ns) != 0) {
		x->reason = UP_REASON_INVALID;
		x->message = xstrdup("targetRef must be in the policy's "
		    "namespace");
		return;
	}
	k = strcmp(t->kind, UP_KIND_SERVICE) == 0 ? CS_SERVICE : CS_EXPORT;
	if (cs_get(x->c->store, k, tns, t->name) == NULL) {
		x->reason = UP_REASON_TARGET_NOT_FOUND;
		xasprintf(&x->message, "%s %s/%s not found", t->kind, tns,
		    t->name);
		return;
	}
	cs_each(x->c->store, CS_TGP, ctl_policy_conflict, x);
	if (x->reason == NULL) {
		x->reason = UP_REASON_ACCEPTED;
		x->message = xstrdup("");
	}
}

static enum reconcile_outcome ctl_tgp_reconcile(struct controller *,
	    const char *key, char **cause);

/* Reconcile a policy key: "TargetGroupPolicy/ns/name" here, the
 * VpcAssociation, AccessLog and IAMAuth policies in their own files. */
enum reconcile_outcome
ctl_policy_reconcile(void *arg, const char *key, uint64_t *after_ms,
    char **cause)
{
	struct controller	*c = arg;
	size_t			 n = strcspn(key, "/");

	if (n == strlen(UP_KIND_VAP) && strncmp(key, UP_KIND_VAP, n) == 0)
		return ctl_vap_reconcile(c, key, after_ms, cause);
	if (n == strlen(UP_KIND_ALP) && strncmp(key, UP_KIND_ALP, n) == 0)
		return ctl_alp_reconcile(c, key, after_ms, cause);
	if (n == strlen(UP_KIND_IAP) && strncmp(key, UP_KIND_IAP, n) == 0)
		return ctl_iap_reconcile(c, key, after_ms, cause);
	return ctl_tgp_reconcile(c, key, cause);
}

/* Reconcile "TargetGroupPolicy/ns/name". */
static enum reconcile_outcome
ctl_tgp_reconcile(struct controller *c, const char *key, char **cause)
{
	struct pcheck		 x;
	struct kube_obj		*o = NULL;
	struct kube_error	 e;
	cJSON			*cur;
	char			*kind, *ns, *name, *s;
	int			 rc = 0;

	if (ctl_key_split(key, &kind, &ns, &name) != 0 || ns == NULL) {
		log_warn("policy key %s: malformed", key);
		return RECONCILE_GONE;
	}
	free(kind);
	if (c->inf[CS_TGP] != NULL)
		o = kube_cache_get(kube_informer_cache(c->inf[CS_TGP]), ns, name);
	if (o == NULL) {
		ctl_key_forget(c, key);
		free(ns);
		free(name);
		return RECONCILE_GONE;
	}
	cur = cJSON_Duplicate(kube_obj_json(o), 1);
	kube_obj_unref(o);
	memset(&x, 0, sizeof(x));
	x.c = c;
	cs_rdlock(c->store);
	ctl_policy_check(&x, ns, name);
	cs_unlock(c->store);
	memset(&e, 0, sizeof(e));
	if (ctl_writes(c) && (rc = status_accepted_write(c->sw,
	    &c->res[CS_TGP], cur, x.reason, x.message, NULL, &e)) != 0) {
		s = kube_error_string(&e);
		error_set(cause, "writing status: %s", s);
		free(s);
		kube_error_clear(&e);
		ctl_key_set(c, key, CTL_FAILED, "%s", *cause);
	} else
		ctl_key_set(c, key, CTL_CONVERGED, "%s%s%s", x.reason,
		    *x.message != '\0' ? ": " : "", x.message);
	free(x.message);
	cJSON_Delete(cur);
	free(ns);
	free(name);
	return rc != 0 ? RECONCILE_ERROR : RECONCILE_DONE;
}
