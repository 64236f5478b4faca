/*
 * plan_apply: run a plan's operations in order with the typed client,
 * updating the mirror from every response. Operations whose parent is
 * not ACTIVE yet are deferred (the result asks for a requeue); a surprise
 * (the mirror was wrong) refreshes what it concerned and ends the pass.
 */
#define LOG_MODULE "apply"

#include <stdlib.h>
#include <string.h>

#include "latticectl/error.h"
#include "latticectl/log.h"
#include "latticectl/sigv4.h"
#include "latticectl/xmalloc.h"

#include "apply_int.h"

/* Record a hard failure; returns AX_FAIL. */
enum ax_rc
ax_fail(struct ax *x, const struct plan_op *op, struct aws_error *err)
{
	char	*msg = mx_err_msg(err);

	if (x->r->error == NULL)
		xasprintf(&x->r->error, "%s %s: %s", plan_op_kind_str(op->kind),
		    op->resource, msg);
	log_warn("%s %s: %s", plan_op_kind_str(op->kind), op->resource, msg);
	free(msg);
	aws_error_clear(err);
	return AX_FAIL;
}

/* Classify a failed call and refresh on a surprise. */
enum ax_rc
ax_error(struct ax *x, const struct plan_op *op, struct aws_error *err,
    int (*refresh)(struct mirror *, const char *, char **),
    const char *refresh_arg, int defer_conflict)
{
	char	*cause = NULL;
	int	 conflict = mx_err_is(err, MX_CONFLICT);

	if (!conflict && !mx_err_is(err, MX_NOT_FOUND))
		return ax_fail(x, op, err);
	log_info("%s %s: %s: %s; refreshing", plan_op_kind_str(op->kind),
	    op->resource, err->code, err->message != NULL ? err->message :
	    "");
	aws_error_clear(err);
	if (refresh != NULL && refresh(x->m, refresh_arg, &cause) != 0) {
		log_warn("refresh after a surprise: %s", cause);
		free(cause);
	}
	return conflict && defer_conflict ? AX_DEFER : AX_SURPRISE;
}

/* The stack's service in the mirror (mu held). */
struct mx_service *
ax_service(struct ax *x)
{
	if (x->st->service == NULL)
		return NULL;
	return mx_svc_by_name(x->m, x->st->service->name);
}

/* ACTIVE, or no status at all. */
int
ax_active(const char *status)
{
	return status == NULL || strcmp(status, "ACTIVE") == 0;
}

/* A client token from the logical key and the request content. */
void
ax_token(struct ax *x, const char *key, const cJSON *content,
    const char *extra, char out[65])
{
	char	*text, *all;

	text = content != NULL ? cJSON_PrintUnformatted(content) : NULL;
	xasprintf(&all, "%s\n%s", text != NULL ? text : "",
	    extra != NULL ? extra : "");
	pthread_mutex_lock(&x->m->mu);
	mx_token(x->m, key, all, out);
	pthread_mutex_unlock(&x->m->mu);
	free(all);
	cJSON_free(text);
}

/* After a failed create: a Conflict may be our token reused for another
 * request, so the next try gets a new one; after any other failure the
 * token is kept, so a create that did happen is replayed, not doubled. */
void
ax_create_failed(struct ax *x, const char *key, const struct aws_error *err)
{
	if (!mx_err_is(err, MX_CONFLICT))
		return;
	pthread_mutex_lock(&x->m->mu);
	mx_salt_bump(x->m, key);
	pthread_mutex_unlock(&x->m->mu);
}

/* Run one operation. */
static enum ax_rc
ax_op(struct ax *x, const struct plan_op *op)
{
	switch (op->kind) {
	case PLAN_TG_CREATE:
		return ax_tg_create(x, op);
	case PLAN_TG_TAG:
		return ax_tg_tag(x, op);
	case PLAN_TG_UPDATE:
		return ax_tg_update(x, op);
	case PLAN_TARGETS_DEREGISTER:
	case PLAN_TARGETS_REGISTER:
		return ax_targets(x, op);
	case PLAN_SVC_CREATE:
		return ax_svc_create(x, op);
	case PLAN_SVC_TAG:
		return ax_svc_tag(x, op);
	case PLAN_SVC_UPDATE:
		return ax_svc_update(x, op);
	case PLAN_ASSOC_CREATE:
		return ax_assoc_create(x, op);
	case PLAN_LISTENER_CREATE:
		return ax_listener_create(x, op);
	case PLAN_LISTENER_UPDATE:
		return ax_listener_update(x, op);
	case PLAN_RULE_DELETE:
		return ax_rule_delete(x, op);
	case PLAN_RULE_UPDATE:
	case PLAN_RULE_BATCH:
		return ax_rule_update(x, op);
	case PLAN_RULE_CREATE:
		return ax_rule_create(x, op);
	case PLAN_LISTENER_DELETE:
		return ax_listener_delete(x, op);
	case PLAN_ASSOC_DELETE:
		return ax_assoc_delete(x, op);
	case PLAN_SVC_DELETE:
		return ax_svc_delete(x, op);
	case PLAN_TG_DELETE:
		return ax_tg_delete(x, op);
	default:
		return AX_DEFER;
	}
}

/* Is anything of the stack still in transition (mu held)? */
static int
ax_pending(struct ax *x)
{
	struct mx_service	*s = ax_service(x);
	struct mx_tg		*t;
	size_t			 i;

	if (s != NULL && mx_transitional(s->s.status))
		return 1;
	for (i = 0; s != NULL && i < x->m->st.n_assocs; i++) {
		if (x->m->st.assocs[i]->a.service_id != NULL &&
		    strcmp(x->m->st.assocs[i]->a.service_id, s->s.id) == 0 &&
		    mx_transitional(x->m->st.assocs[i]->a.status))
			return 1;
	}
	for (i = 0; !x->p->deleting && i < x->st->n_tgs; i++) {
		if (x->st->tgs[i].kind == LM_TG_OWNED &&
		    (t = mx_tg_find(x->m, &x->st->tgs[i])) != NULL &&
		    mx_transitional(t->tg.status))
			return 1;
	}
	return 0;
}

/* Fill the result's summary after the run. */
static void
ax_finish(struct ax *x, int complete)
{
	struct plan_result	*r = x->r;
	struct mx_service	*s;
	int			 pending;

	pthread_mutex_lock(&x->m->mu);
	pending = ax_pending(x);
	if ((s = ax_service(x)) != NULL && !x->p->deleting) {
		r->service_arn = xstrdup_or_null(s->s.arn);
		r->service_dns = xstrdup_or_null(s->s.dns_entry.domain_name);
	}
	pthread_mutex_unlock(&x->m->mu);
	if (r->deferred > 0 || pending || x->p->n_problems > 0)
		r->requeue_after_s = x->m->pending_s;
	if (r->surprises > 0)
		r->requeue_after_s = PLAN_REQUEUE_SURPRISE_S;
	r->converged = complete && r->error == NULL && r->deferred == 0 &&
	    r->surprises == 0 && !pending && x->p->n_problems == 0 &&
	    x->p->conflict == NULL;
}

/* Execute a plan. */
int
plan_apply(struct mirror *m, const struct plan *p,
    const struct plan_apply_opts *opts, struct plan_result *r)
{
	struct ax	x;
	size_t		i, max = opts != NULL ? opts->max_ops : 0;
	enum ax_rc	rc = AX_DONE;

	memset(r, 0, sizeof(*r));
	x.m = m;
	x.p = p;
	x.st = p->stack;
	x.r = r;
	r->conflict = p->conflict != NULL;
	pthread_rwlock_rdlock(&m->rw);
	for (i = 0; i < p->n_ops; i++) {
		if (max != 0 && i >= max)
			break;
		log_debug("%s: %s %s: %s", p->owner,
		    plan_op_kind_str(p->ops[i].kind), p->ops[i].resource,
		    p->ops[i].reason);
		rc = ax_op(&x, &p->ops[i]);
		if (rc == AX_DONE)
			r->done++;
		else if (rc == AX_DEFER)
			r->deferred++;
		else if (rc == AX_SURPRISE)
			r->surprises++;
		if (rc == AX_SURPRISE || rc == AX_FAIL)
			break;
	}
	ax_finish(&x, i == p->n_ops);
	pthread_rwlock_unlock(&m->rw);
	return r->error != NULL ? -1 : 0;
}

/* Prepare, diff and apply one stack. */
int
plan_reconcile(struct mirror *m, const struct lm_stack *st, int deleting,
    const struct plan_apply_opts *opts, struct plan_result *r)
{
	struct plan	*p = NULL;
	char		*cause = NULL;
	int		 rc;

	memset(r, 0, sizeof(*r));
	if (mirror_prepare(m, st, deleting, &cause) != 0 ||
	    plan_diff(m, st, deleting, &p, &cause) != 0) {
		r->error = cause;
		return -1;
	}
	rc = plan_apply(m, p, opts, r);
	plan_free(p);
	return rc;
}

/* Free the result's strings. */
void
plan_result_free(struct plan_result *r)
{
	free(r->error);
	free(r->service_arn);
	free(r->service_dns);
	memset(r, 0, sizeof(*r));
}
