/* The ServiceExport reconciler: the exported target groups and their
 * targets (lm_build_export), finalizer first; removal on deletion or when
 * the export stops being federated. */
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

/* One export reconcile's state. */
struct ectx {
	struct controller	*c;
	const char		*key;
	char			*ns;
	char			*name;
	cJSON			*cur;
	int			 has_fin;
};

/* Add (add 1) or remove our finalizer. */
static int
ctl_export_fin(struct ectx *x, int add, char **cause)
{
	struct kube_error	 e;
	cJSON			*out = NULL;
	const struct kube_resource *res = &x->c->res[CS_EXPORT];
	char			*s;
	int			 rc;

	if (!ctl_writes(x->c) || x->has_fin == add)
		return 0;
	memset(&e, 0, sizeof(e));
	rc = add ? status_finalizer_add(x->c->sw, res, x->cur,
	    UP_FIN_SERVICEEXPORT, &out, &e) :
	    status_finalizer_remove(x->c->sw, res, x->cur,
	    UP_FIN_SERVICEEXPORT, &out, &e);
	if (rc != 0) {
		s = kube_error_string(&e);
		error_set(cause, "finalizer: %s", s);
		free(s);
		kube_error_clear(&e);
		return -1;
	}
	if (out != NULL) {
		cJSON_Delete(x->cur);
		x->cur = out;
	}
	x->has_fin = add;
	return 0;
}

/* Remove the export's target groups, then the finalizer. */
static enum reconcile_outcome
ctl_export_clean(struct ectx *x, uint64_t *after_ms, char **cause)
{
	struct lm_stack	*st;
	unsigned	 after_s;
	int		 rc;

	st = ctl_delete_stack(LM_SRC_SERVICEEXPORT, x->ns, x->name, NULL);
	rc = ctl_cleanup(x->c, st, &after_s, cause);
	lm_stack_free(st);
	if (rc < 0) {
		ctl_key_set(x->c, x->key, CTL_FAILED, "cleanup: %s", *cause);
		return RECONCILE_ERROR;
	}
	if (rc == 0) {
		ctl_key_set(x->c, x->key, ctl_writes(x->c) ? CTL_PENDING :
		    CTL_DRIFT, "Lattice cleanup in progress");
		*after_ms = MS(after_s);
		return ctl_writes(x->c) ? RECONCILE_REQUEUE : RECONCILE_DONE;
	}
	if (x->cur != NULL && ctl_export_fin(x, 0, cause) != 0) {
		ctl_key_set(x->c, x->key, CTL_FAILED, "%s", *cause);
		return RECONCILE_ERROR;
	}
	ctl_key_set(x->c, x->key, CTL_CONVERGED, "nothing in Lattice");
	return RECONCILE_DONE;
}

/* Diff and apply the export's stack. */
static enum reconcile_outcome
ctl_export_apply(struct ectx *x, const struct lm_stack *st,
    uint64_t *after_ms, char **cause)
{
	struct controller	*c = x->c;
	struct plan		*p = NULL;
	struct plan_result	 r;
	enum reconcile_outcome	 o = RECONCILE_DONE;

	if (ctl_export_fin(x, 1, cause) != 0 ||
	    mirror_prepare(c->mirror, st, 0, cause) != 0 ||
	    plan_diff(c->mirror, st, 0, &p, cause) != 0) {
		ctl_key_set(c, x->key, CTL_FAILED, "%s", *cause);
		return RECONCILE_ERROR;
	}
	if (!ctl_writes(c)) {
		ctl_key_set(c, x->key, plan_drift(p) ? CTL_DRIFT :
		    CTL_CONVERGED, "%zu operations planned", p->n_ops);
		plan_free(p);
		return RECONCILE_DONE;
	}
	plan_apply(c->mirror, p, NULL, &r);
	if (r.error != NULL) {
		ctl_key_set(c, x->key, CTL_FAILED, "%s", r.error);
		*cause = xstrdup(r.error);
		o = RECONCILE_ERROR;
	} else if (p->n_problems > 0) {
		ctl_key_set(c, x->key, CTL_BLOCKED, "%s", p->problems[0]);
		*after_ms = MS(CONTROLLER_SN_RECHECK_S);
		o = c->cfg.once ? RECONCILE_DONE : RECONCILE_REQUEUE;
	} else if (!r.converged) {
		ctl_key_set(c, x->key, CTL_PENDING, "%zu done", r.done);
		*after_ms = MS(r.requeue_after_s);
		o = RECONCILE_REQUEUE;
	} else
		ctl_key_set(c, x->key, CTL_CONVERGED, "%zu target groups",
		    st->n_tgs);
	/* Routes importing it find its target groups by tags. */
	if (r.done > 0)
		ctl_queue_importers(c, x->name);
	plan_result_free(&r);
	plan_free(p);
	return o;
}

/* Build and converge a live export. */
static enum reconcile_outcome
ctl_export_live(struct ectx *x, uint64_t *after_ms, char **cause)
{
	struct controller		*c = x->c;
	const struct gw_serviceexport	*ex;
	struct cs_view			 v;
	struct lm_stack			*st = NULL;
	enum reconcile_outcome		 o;
	char				*warning = NULL;

	cs_rdlock(c->store);
	if ((ex = cs_get(c->store, CS_EXPORT, x->ns, x->name)) != NULL) {
		cs_view_init(&v, c->store);
		st = lm_build_export(&c->lm, &v.src, ex, &warning);
	}
	cs_unlock(c->store);
	if (warning != NULL) {
		log_info("%s: %s", x->key, warning);
		free(warning);
	}
	if (st == NULL) {
		if (!x->has_fin) {
			ctl_key_set(c, x->key, CTL_CONVERGED, "not exported");
			return RECONCILE_DONE;
		}
		return ctl_export_clean(x, after_ms, cause);
	}
	o = ctl_export_apply(x, st, after_ms, cause);
	lm_stack_free(st);
	return o;
}

/* Reconcile "ServiceExport/ns/name". */
enum reconcile_outcome
ctl_export_reconcile(void *arg, const char *key, uint64_t *after_ms,
    char **cause)
{
	struct ectx		 x;
	struct kube_obj		*o = NULL;
	char			*kind;
	enum reconcile_outcome	 out;

	memset(&x, 0, sizeof(x));
	x.c = arg;
	x.key = key;
	if (ctl_key_split(key, &kind, &x.ns, &x.name) != 0 || x.ns == NULL) {
		log_warn("export key %s: malformed", key);
		return RECONCILE_GONE;
	}
	free(kind);
	if (x.c->inf[CS_EXPORT] != NULL)
		o = kube_cache_get(kube_informer_cache(x.c->inf[CS_EXPORT]),
		    x.ns, x.name);
	if (o == NULL) {
		out = ctl_export_clean(&x, after_ms, cause);
		if (out == RECONCILE_DONE) {
			ctl_key_forget(x.c, key);
			out = RECONCILE_GONE;
		}
	} else {
		x.cur = cJSON_Duplicate(kube_obj_json(o), 1);
		kube_obj_unref(o);
		x.has_fin = kube_finalizer_has(x.cur, UP_FIN_SERVICEEXPORT);
		out = ctl_export_live(&x, after_ms, cause);
	}
	cJSON_Delete(x.cur);
	free(x.ns);
	free(x.name);
	return out;
}
