/* The route reconciler: build -> finalizer -> plan and apply against the
 * shared mirror -> status, annotations, events; deletion cleans Lattice
 * (service, target groups) before the finalizer goes. */
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

/* One route reconcile's state. */
struct rctx {
	struct controller		*c;
	const char			*key;
	enum gw_route_kind		 rk;
	const struct kube_resource	*res;
	const char			*fin;
	char				*ns;
	char				*name;
	cJSON				*cur;	/* newest copy seen */
	struct lm_route_result		 br;
	int				 built;
	int				 has_fin;
	char				*override;
	char				*parse_error;
};

/* The source kind of a route kind. */
enum lm_source_kind
ctl_source_kind(enum gw_route_kind k)
{
	if (k == GW_ROUTE_GRPC)
		return LM_SRC_GRPCROUTE;
	if (k == GW_ROUTE_TLS)
		return LM_SRC_TLSROUTE;
	return LM_SRC_HTTPROUTE;
}

/* A stack naming what a source may own, for its deletion. */
struct lm_stack *
ctl_delete_stack(enum lm_source_kind kind, const char *ns, const char *name,
    const char *svc_name)
{
	struct lm_stack	*st = xcalloc(1, sizeof(*st));

	st->owner.kind = kind;
	st->owner.namespace = xstrdup(ns);
	st->owner.name = xstrdup(name);
	if (svc_name != NULL) {
		st->service = xcalloc(1, sizeof(*st->service));
		st->service->name = xstrdup(svc_name);
	}
	return st;
}

/* The deletion stack of a route: its own service name (the override
 * when valid) and its owner tags. */
struct lm_stack *
ctl_route_delete_stack(struct controller *c, enum gw_route_kind rk,
    const char *ns, const char *name, const char *override)
{
	struct lm_stack	*st;
	char		*svc;

	(void)c;
	svc = override != NULL ? xstrdup(override) :
	    lm_service_name_default(name, ns);
	st = ctl_delete_stack(ctl_source_kind(rk), ns, name, svc);
	free(svc);
	return st;
}

/* Log a plan's operations (dry run, debugging). */
static void
ctl_log_plan(const struct plan *p, int info)
{
	struct strbuf	sb;

	if (!plan_drift(p))
		return;
	strbuf_init(&sb);
	plan_print_table(p, &sb);
	if (info)
		log_info("plan for %s:\n%s", p->owner, sb.buf);
	else
		log_debug("plan for %s:\n%s", p->owner, sb.buf);
	strbuf_free(&sb);
}

/* Prepare the mirror for a deletion stack; *use is st and *alt NULL
 * (the diff itself leaves a service carrying another route's tags in
 * place). */
int
ctl_delete_prepare(struct controller *c, const struct lm_stack *st,
    const struct lm_stack **use, struct lm_stack **alt, char **cause)
{
	*use = st;
	*alt = NULL;
	return mirror_prepare(c->mirror, st, 1, cause);
}

/* One deletion pass: diff (and apply unless dry): 1 nothing left, 2
 * applied and converged, 0 more to do (*after_s), -1 error. */
static int
ctl_cleanup_pass(struct controller *c, const struct lm_stack *st,
    unsigned *after_s, char **cause)
{
	struct plan		*p = NULL;
	struct plan_result	 r;
	int			 rc;

	if (plan_diff(c->mirror, st, 1, &p, cause) != 0)
		return -1;
	if (!plan_drift(p) || !ctl_writes(c)) {
		ctl_log_plan(p, 1);
		rc = plan_drift(p) ? 0 : 1;
		plan_free(p);
		return rc;
	}
	ctl_log_plan(p, 0);
	plan_apply(c->mirror, p, NULL, &r);
	plan_free(p);
	if (r.error != NULL) {
		*cause = r.error;
		r.error = NULL;
		plan_result_free(&r);
		return -1;
	}
	*after_s = r.converged ? 0 : r.requeue_after_s != 0 ?
	    r.requeue_after_s : PLAN_REQUEUE_PENDING_S;
	rc = r.converged ? 2 : 0;
	plan_result_free(&r);
	return rc;
}

/* Remove what a deleted source owns: 1 when nothing is left (checked by
 * a diff after the deletes), 0 when more passes are needed (*after_s;
 * dry run: there is something to delete), -1 on error. */
int
ctl_cleanup(struct controller *c, struct lm_stack *st, unsigned *after_s,
    char **cause)
{
	const struct lm_stack	*use;
	struct lm_stack		*alt;
	int			 rc, pass;

	*after_s = 0;
	if (ctl_delete_prepare(c, st, &use, &alt, cause) != 0)
		return -1;
	for (pass = 0; pass < 2; pass++) {
		if ((rc = ctl_cleanup_pass(c, use, after_s, cause)) != 2)
			break;
		rc = 0;
	}
	lm_stack_free(alt);
	return rc;
}

/* Replace the context's object with a newer copy. */
static void
ctl_advance(struct rctx *x, cJSON *out)
{
	if (out != NULL) {
		cJSON_Delete(x->cur);
		x->cur = out;
	}
}

/* A kube_error as a cause string; returns -1. */
static int
ctl_kube_fail(struct kube_error *e, const char *what, char **cause)
{
	char	*s = kube_error_string(e);

	error_set(cause, "%s: %s", what, s);
	free(s);
	kube_error_clear(e);
	return -1;
}

/* Remove our finalizer (after the cleanup). */
static int
ctl_fin_remove(struct rctx *x, char **cause)
{
	struct kube_error	 e;
	cJSON			*out = NULL;

	if (!x->has_fin || !ctl_writes(x->c))
		return 0;
	memset(&e, 0, sizeof(e));
	if (status_finalizer_remove(x->c->sw, x->res, x->cur, x->fin, &out,
	    &e) != 0)
		return ctl_kube_fail(&e, "removing the finalizer", cause);
	ctl_advance(x, out);
	x->has_fin = 0;
	return 0;
}

/* Clean the route's Lattice resources; then drop the finalizer. */
static enum reconcile_outcome
ctl_route_clean(struct rctx *x, const char *why, uint64_t *after_ms,
    char **cause)
{
	struct lm_stack	*st;
	unsigned	 after_s;
	int		 rc;

	st = ctl_route_delete_stack(x->c, x->rk, x->ns, x->name, x->override);
	rc = ctl_cleanup(x->c, st, &after_s, cause);
	lm_stack_free(st);
	if (rc < 0) {
		ctl_key_set(x->c, x->key, CTL_FAILED, "cleanup: %s", *cause);
		return RECONCILE_ERROR;
	}
	if (rc == 0) {
		ctl_key_set(x->c, x->key, ctl_writes(x->c) ? CTL_PENDING :
		    CTL_DRIFT, "%s: Lattice cleanup in progress", why);
		if (!ctl_writes(x->c))
			return RECONCILE_DONE;
		*after_ms = MS(after_s);
		return RECONCILE_REQUEUE;
	}
	if (ctl_fin_remove(x, cause) != 0) {
		ctl_key_set(x->c, x->key, CTL_FAILED, "%s", *cause);
		return RECONCILE_ERROR;
	}
	ctl_key_set(x->c, x->key, CTL_CONVERGED, "%s: nothing in Lattice", why);
	return RECONCILE_DONE;
}

/* Build the route's desired stack and statuses from the store. */
static void
ctl_route_build(struct rctx *x)
{
	struct controller	*c = x->c;
	struct cs_view		 v;
	const struct gw_route	*r;
	struct gw_route		*tmp = NULL;

	cs_rdlock(c->store);
	r = cs_get(c->store, cs_route_kind(x->rk), x->ns, x->name);
	if (r != NULL) {
		cs_view_init(&v, c->store);
		lm_build_route(&c->lm, &v.src, r, &x->br);
		x->built = 1;
		x->override = xstrdup_or_null(r->service_name_override);
	}
	cs_unlock(c->store);
	if (r == NULL && gw_route_parse(x->cur, x->rk, &tmp,
	    &x->parse_error) == 0) {
		/* The store lags behind the cache: a later event rebuilds. */
		gw_route_free(tmp);
		xasprintf(&x->parse_error, "not in the store yet");
	}
}

/* Write the per-parent status (only parents of ours are written). */
static int
ctl_route_status(struct rctx *x, char **cause)
{
	struct kube_error	 e;
	cJSON			*out = NULL;

	if (!ctl_writes(x->c) || !x->br.ours)
		return 0;
	memset(&e, 0, sizeof(e));
	if (status_route_write(x->c->sw, x->res, x->cur, x->br.parents,
	    x->br.nparents, &out, &e) != 0)
		return ctl_kube_fail(&e, "writing status", cause);
	ctl_advance(x, out);
	return 0;
}

/* Mark every parent of ours Conflicted (the service belongs to another
 * controller or route). */
static void
ctl_route_conflicted(struct rctx *x, const char *why)
{
	struct lm_parent_status	*p;
	size_t			 i;

	for (i = 0; i < x->br.nparents; i++) {
		p = &x->br.parents[i];
		if (!p->ours)
			continue;
		p->accepted = 0;
		p->accepted_reason = UP_REASON_CONFLICTED;
		free(p->accepted_message);
		p->accepted_message = xstrdup(why);
	}
}

/* The first reason a parent of ours is not accepted, or NULL. */
static const struct lm_parent_status *
ctl_route_rejected(const struct lm_route_result *br)
{
	size_t	i;

	for (i = 0; i < br->nparents; i++) {
		if (br->parents[i].ours && !br->parents[i].accepted)
			return &br->parents[i];
	}
	return NULL;
}

/* A route that should have nothing in Lattice (not ours, not accepted,
 * conflicted): clean what our finalizer says we made, write status. */
static enum reconcile_outcome
ctl_route_empty(struct rctx *x, uint64_t *after_ms, char **cause)
{
	const struct lm_parent_status	*p = ctl_route_rejected(&x->br);
	enum reconcile_outcome		 o;

	if (ctl_route_status(x, cause) != 0) {
		ctl_key_set(x->c, x->key, CTL_FAILED, "%s", *cause);
		return RECONCILE_ERROR;
	}
	if (x->has_fin) {
		o = ctl_route_clean(x, "not programmed", after_ms, cause);
		if (o != RECONCILE_DONE || p == NULL)
			return o;
	}
	if (p != NULL)
		ctl_key_set(x->c, x->key, strcmp(p->accepted_reason,
		    UP_REASON_CONFLICTED) == 0 ? CTL_BLOCKED : CTL_CONVERGED,
		    "not accepted: %s: %s", p->accepted_reason,
		    p->accepted_message != NULL ? p->accepted_message : "");
	else if (x->br.ours)
		ctl_key_set(x->c, x->key, CTL_CONVERGED, "no Lattice parent "
		    "accepts it");
	else
		ctl_key_set(x->c, x->key, CTL_CONVERGED, "not ours");
	return RECONCILE_DONE;
}

/* Add our finalizer before the first Lattice write. */
static int
ctl_fin_add(struct rctx *x, char **cause)
{
	struct kube_error	 e;
	cJSON			*out = NULL;

	if (x->has_fin || !ctl_writes(x->c))
		return 0;
	memset(&e, 0, sizeof(e));
	if (status_finalizer_add(x->c->sw, x->res, x->cur, x->fin, &out,
	    &e) != 0) {
		status_event(x->c->sw, x->cur, "Warning",
		    UP_EVENT_FAILED_ADD_FINALIZER, "%s", e.message != NULL ?
		    e.message : "failed");
		return ctl_kube_fail(&e, "adding the finalizer", cause);
	}
	ctl_advance(x, out);
	x->has_fin = 1;
	return 0;
}

/* Write the DNS-name and service-ARN annotations. */
static int
ctl_route_annotate(struct rctx *x, const struct plan_result *r,
    char **cause)
{
	struct status_route_annotations	 a;
	struct kube_error		 e;
	cJSON				*out = NULL;

	if (r->service_arn == NULL && r->service_dns == NULL)
		return 0;
	a.dns_name = r->service_dns;
	a.service_arn = r->service_arn;
	memset(&e, 0, sizeof(e));
	if (status_route_annotate(x->c->sw, x->res, x->cur, &a, &out, &e) !=
	    0)
		return ctl_kube_fail(&e, "writing annotations", cause);
	ctl_advance(x, out);
	return 0;
}

/* Record the key's state and choose the outcome after an apply. */
static enum reconcile_outcome
ctl_route_outcome(struct rctx *x, const struct plan *p,
    const struct plan_result *r, uint64_t *after_ms)
{
	struct controller	*c = x->c;

	if (p->conflict != NULL) {
		ctl_key_set(c, x->key, CTL_BLOCKED, "%s: %s",
		    UP_REASON_CONFLICTED, p->conflict);
		return RECONCILE_DONE;
	}
	if (p->n_problems > 0) {
		ctl_key_set(c, x->key, CTL_BLOCKED, "%s", p->problems[0]);
		if (c->cfg.once)
			return RECONCILE_DONE;
		*after_ms = MS(CONTROLLER_SN_RECHECK_S);
		return RECONCILE_REQUEUE;
	}
	if (!r->converged) {
		ctl_key_set(c, x->key, CTL_PENDING, "%zu done, %zu waiting",
		    r->done, r->deferred);
		*after_ms = MS(r->requeue_after_s);
		return RECONCILE_REQUEUE;
	}
	ctl_key_set(c, x->key, CTL_CONVERGED, "%s", r->service_dns != NULL ?
	    r->service_dns : "in sync");
	if (r->done > 0)	/* a new service: its policies may apply now */
		ctl_queue_policies(c, gw_route_kind_name(x->rk), x->ns,
		    x->name);
	return RECONCILE_DONE;
}

/* Events about an apply. */
static void
ctl_route_events(struct rctx *x, const struct plan *p,
    const struct plan_result *r)
{
	struct status_writer	*sw = x->c->sw;

	if (r->error != NULL)
		status_event(sw, x->cur, "Warning", UP_EVENT_FAILED_DEPLOY_MODEL,
		    "%s", r->error);
	else if (p->conflict != NULL)
		status_event(sw, x->cur, "Warning", UP_EVENT_FAILED_DEPLOY_MODEL,
		    "%s", p->conflict);
	else if (p->n_problems > 0)
		status_event(sw, x->cur, "Warning", UP_EVENT_FAILED_DEPLOY_MODEL,
		    "%s", p->problems[0]);
	else if (r->done > 0 && r->converged)
		status_event(sw, x->cur, "Normal", UP_EVENT_DEPLOY_SUCCEED,
		    "%zu VPC Lattice change%s applied", r->done,
		    r->done == 1 ? "" : "s");
}

/* Dry run: log the plan and record drift; nothing is written. */
static enum reconcile_outcome
ctl_route_dry(struct rctx *x, const struct plan *p)
{
	ctl_log_plan(p, 1);
	if (plan_drift(p))
		ctl_key_set(x->c, x->key, CTL_DRIFT, "%zu operation%s planned",
		    p->n_ops, p->n_ops == 1 ? "" : "s");
	else
		ctl_key_set(x->c, x->key, CTL_CONVERGED, "in sync");
	return RECONCILE_DONE;
}

/* Program Lattice for a route with a stack. */
static enum reconcile_outcome
ctl_route_program(struct rctx *x, uint64_t *after_ms, char **cause)
{
	struct controller	*c = x->c;
	struct lm_stack		*st = x->br.stack;
	struct plan		*p = NULL;
	struct plan_result	 r;
	enum reconcile_outcome	 o;

	if (ctl_fin_add(x, cause) != 0 ||
	    mirror_prepare(c->mirror, st, 0, cause) != 0 ||
	    plan_diff(c->mirror, st, 0, &p, cause) != 0) {
		ctl_key_set(c, x->key, CTL_FAILED, "%s", *cause);
		return RECONCILE_ERROR;
	}
	if (!ctl_writes(c)) {
		o = ctl_route_dry(x, p);
		plan_free(p);
		return o;
	}
	ctl_log_plan(p, 0);
	plan_apply(c->mirror, p, NULL, &r);
	if (p->conflict != NULL)
		ctl_route_conflicted(x, p->conflict);
	ctl_route_events(x, p, &r);
	if (r.error != NULL) {
		ctl_key_set(c, x->key, CTL_FAILED, "%s", r.error);
		*cause = xstrdup(r.error);
		o = RECONCILE_ERROR;
	} else
		o = ctl_route_outcome(x, p, &r, after_ms);
	if (ctl_route_status(x, cause) != 0 ||
	    ctl_route_annotate(x, &r, cause) != 0) {
		ctl_key_set(c, x->key, CTL_FAILED, "%s", *cause);
		o = RECONCILE_ERROR;
	}
	plan_result_free(&r);
	plan_free(p);
	return o;
}

/* A route whose object is gone: clean by its tags (best effort). */
static enum reconcile_outcome
ctl_route_gone(struct rctx *x, uint64_t *after_ms, char **cause)
{
	enum reconcile_outcome	o;

	o = ctl_route_clean(x, "deleted", after_ms, cause);
	if (o == RECONCILE_DONE) {
		ctl_key_forget(x->c, x->key);
		return RECONCILE_GONE;
	}
	return o;
}

/* The reconcile of one live route object. */
static enum reconcile_outcome
ctl_route_live(struct rctx *x, uint64_t *after_ms, char **cause)
{
	x->has_fin = kube_finalizer_has(x->cur, x->fin);
	ctl_route_build(x);
	if (json_path(x->cur, "metadata.deletionTimestamp") != NULL) {
		if (!x->has_fin) {
			ctl_key_forget(x->c, x->key);
			return RECONCILE_DONE;
		}
		return ctl_route_clean(x, "deleting", after_ms, cause);
	}
	if (!x->built) {
		ctl_key_set(x->c, x->key, CTL_FAILED, "%s", x->parse_error);
		if (ctl_writes(x->c))
			status_event(x->c->sw, x->cur, "Warning",
			    UP_EVENT_FAILED_BUILD_MODEL, "%s", x->parse_error);
		return RECONCILE_DONE;
	}
	if (x->br.stack == NULL)
		return ctl_route_empty(x, after_ms, cause);
	return ctl_route_program(x, after_ms, cause);
}

/* Reconcile "Kind/ns/name" of a route. */
enum reconcile_outcome
ctl_route_reconcile(void *arg, const char *key, uint64_t *after_ms,
    char **cause)
{
	struct rctx		 x;
	struct kube_obj		*o = NULL;
	struct kube_informer	*inf;
	char			*kind;
	enum reconcile_outcome	 out;

	memset(&x, 0, sizeof(x));
	x.c = arg;
	x.key = key;
	if (ctl_key_split(key, &kind, &x.ns, &x.name) != 0 || x.ns == NULL ||
	    (x.rk = gw_route_kind_from_name(kind)) == GW_ROUTE_ANY) {
		log_warn("route key %s: malformed", key);
		out = RECONCILE_GONE;
		goto done;
	}
	x.res = &x.c->res[cs_route_kind(x.rk)];
	x.fin = gw_route_finalizer(x.rk);
	inf = x.c->inf[cs_route_kind(x.rk)];
	if (inf != NULL)
		o = kube_cache_get(kube_informer_cache(inf), x.ns, x.name);
	if (o == NULL)
		out = ctl_route_gone(&x, after_ms, cause);
	else {
		x.cur = cJSON_Duplicate(kube_obj_json(o), 1);
		kube_obj_unref(o);
		out = ctl_route_live(&x, after_ms, cause);
	}
done:
	free(kind);
	free(x.ns);
	free(x.name);
	cJSON_Delete(x.cur);
	if (x.built)
		lm_route_result_free(&x.br);
	free(x.override);
	free(x.parse_error);
	return out;
}
