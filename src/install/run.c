/* The runner: the selected steps as keys of one reconciler (the engine's
 * framework: queue, requeue with backoff), each reconcile observing the
 * step and then applying (or undoing) what is missing, verifying what is
 * there, or asking to be looked at again after a wait. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define LOG_MODULE "install"
#include "latticectl/error.h"
#include "latticectl/log.h"
#include "latticectl/reconcile.h"
#include "latticectl/xmalloc.h"

#include "install_int.h"
#include "labcfg_int.h"

#define INST_WORKERS		4
#define INST_POLL_MS		15000
#define INST_KUBE_POLL_MS	2000
#define INST_RETRY_BASE_MS	1000
#define INST_MAX_FAILURES	5
#define INST_WAIT_LIMIT_MS	(10 * 60 * 1000ULL)
#define INST_TIMEOUT_MS		(90 * 60 * 1000ULL)
#define INST_APPLY_REQUEUE_MS	1

static const struct istep_ops *const inst_table[] = {
	&istep_cluster, &istep_sg, &istep_iam_policy, &istep_namespace,
	&istep_sa, &istep_controller, &istep_gatewayclass, &istep_routes,
	NULL
};

/* The poll period of a step's waits. */
static uint64_t
inst_poll(const struct irun *r)
{
	return r->ops->slow ? r->in->o.poll_ms : r->in->o.kube_poll_ms;
}

/* Queue the steps that wait for r (install: its dependents; uninstall:
 * its dependencies). */
static void
inst_wake(struct irun *r)
{
	struct install	*in = r->in;
	size_t		 i;

	for (i = 0; i < in->n_steps; i++) {
		struct irun *s = &in->steps[i];
		if (!s->selected || s == r)
			continue;
		if (in->o.dir == INSTALL_UP ? inst_depends(s, r) :
		    inst_depends(r, s))
			reconcile_add(in->rec, s->ops->id);
	}
}

/* Report the blocked steps (their events, once). */
static void
inst_report_blocked(struct install *in)
{
	struct irun	*by;
	size_t		 i;
	int		 todo;

	for (i = 0; i < in->n_steps; i++) {
		struct irun *s = &in->steps[i];
		pthread_mutex_lock(&in->lock);
		todo = s->selected && s->blocked && !s->block_reported;
		s->block_reported |= todo;
		by = s->blocked_by;
		pthread_mutex_unlock(&in->lock);
		if (todo && by != NULL)
			irun_state(s, INSTALL_PENDING, "Blocked", "not run: %s "
			    "%s", by->ops->id, by->state == INSTALL_FAILED ?
			    "failed" : by->state == INSTALL_SKIPPED ?
			    "was not done" : "is blocked");
	}
}

/* A terminal failure: state, blocked followers, left-behind note. */
static enum reconcile_outcome
inst_failed(struct irun *r, const char *reason, const char *msg)
{
	struct install	*in = r->in;

	irun_state(r, INSTALL_FAILED, reason, "%s", msg);
	if (in->o.dir == INSTALL_DOWN && r->left == NULL)
		irun_left(r, "%s", msg);
	pthread_mutex_lock(&in->lock);
	inst_block_dependents(in, r);
	pthread_mutex_unlock(&in->lock);
	inst_report_blocked(in);
	return RECONCILE_DONE;
}

/* An error from a step function: retry with backoff, or fail. */
static enum reconcile_outcome
inst_error(struct irun *r, int rc, char *c, char **cause)
{
	const char	*m = c != NULL ? c : "unknown error";
	enum reconcile_outcome oc;

	r->failures++;
	if (rc == INST_FATAL || r->failures >= r->in->o.max_failures) {
		oc = inst_failed(r, "Error", m);
		free(c);
		return oc;
	}
	irun_state(r, INSTALL_PROGRESSING, "Retrying", "attempt %u of %u: %s",
	    r->failures, r->in->o.max_failures, m);
	*cause = c;
	return RECONCILE_ERROR;
}

/* Requeue after ms with a Progressing condition. */
static enum reconcile_outcome
inst_progress(struct irun *r, uint64_t *after, uint64_t ms,
    const char *reason, const char *msg)
{
	irun_state(r, INSTALL_PROGRESSING, reason, "%s", msg != NULL ? msg :
	    "");
	*after = ms;
	return RECONCILE_REQUEUE;
}

/* Are the steps r waits for Ready? 1 yes; 0 no (state set); -1 never. */
static int
inst_deps_ready(struct irun *r)
{
	struct install	*in = r->in;
	struct irun	*w = NULL;
	size_t		 i;

	pthread_mutex_lock(&in->lock);
	for (i = 0; i < in->n_steps && w == NULL; i++) {
		struct irun *s = &in->steps[i];
		int waits = in->o.dir == INSTALL_UP ? inst_depends(r, s) :
		    s->selected && inst_depends(s, r);
		if (s == r || !waits)
			continue;
		if (s->state != INSTALL_READY)
			w = s;
	}
	pthread_mutex_unlock(&in->lock);
	if (w == NULL)
		return 1;
	if (w->state == INSTALL_FAILED || w->blocked ||
	    w->state == INSTALL_SKIPPED) {
		pthread_mutex_lock(&in->lock);
		r->blocked = 1;
		r->block_reported = 1;
		pthread_mutex_unlock(&in->lock);
		irun_state(r, INSTALL_PENDING, "Blocked", "not run: %s %s",
		    w->ops->id, w->state == INSTALL_FAILED ? "failed" :
		    w->state == INSTALL_SKIPPED ? "was not done" : "is blocked");
		return -1;
	}
	irun_state(r, INSTALL_PENDING, "Waiting", "waiting for %s",
	    w->ops->id);
	return 0;
}

/* The first planned action, for the Progressing message. */
static char *
inst_first_action(struct irun *r, const struct iobs *o, int up)
{
	struct iplan	 p = { NULL, 0 };
	char		*s;

	if (up)
		r->ops->plan(r, o, &p);
	else
		r->ops->undo_plan(r, o, &p);
	s = xstrdup(p.n ? p.v[0].what : up ? "applying" : "removing");
	iplan_free(&p);
	return s;
}

/* Change something (apply or undo) and look again soon. */
static enum reconcile_outcome
inst_change(struct irun *r, const struct iobs *o, uint64_t *after,
    char **cause)
{
	int	 up = r->in->o.dir == INSTALL_UP, rc;
	char	*what, *c = NULL, *m;

	if (r->applies >= INST_MAX_APPLIES) {
		xasprintf(&m, "no progress after %u changes: %s", r->applies,
		    o->exists.buf);
		inst_failed(r, "NoProgress", m);
		free(m);
		return RECONCILE_DONE;
	}
	what = inst_first_action(r, o, up);
	rc = up ? r->ops->apply(r, o, &c) : r->ops->undo(r, o, &c);
	if (rc == INST_WAIT) {
		inst_progress(r, after, inst_poll(r), "Waiting", c);
		free(c);
		free(what);
		return RECONCILE_REQUEUE;
	}
	if (rc != 0) {
		free(what);
		return inst_error(r, rc, c, cause);
	}
	free(c);
	r->applies++;
	pthread_mutex_lock(&r->in->lock);
	r->changed = 1;
	r->wait_since_ms = 0;
	pthread_mutex_unlock(&r->in->lock);
	inst_progress(r, after, INST_APPLY_REQUEUE_MS, up ? "Applying" :
	    "Removing", what);
	free(what);
	return RECONCILE_REQUEUE;
}

/* Install: act on an observation. */
static enum reconcile_outcome
inst_up(struct irun *r, struct iobs *o, uint64_t *after, char **cause)
{
	char	*c = NULL;
	int	 rc;

	switch (o->have) {
	case IHAVE_ALL:
		if ((rc = r->ops->verify(r, o, &c)) == 0) {
			irun_state(r, INSTALL_READY, r->changed ? "Applied" :
			    "AlreadyDone", "%s", o->exists.buf);
			inst_wake(r);
			return RECONCILE_DONE;
		}
		if (rc != INST_WAIT)
			return inst_error(r, rc, c, cause);
		if (inst_wait_budget(r) != 0) {
			inst_failed(r, "Timeout", c);
			free(c);
			return RECONCILE_DONE;
		}
		inst_progress(r, after, inst_poll(r), "Verifying", c);
		free(c);
		return RECONCILE_REQUEUE;
	case IHAVE_WAIT:
		r->applies = 0;
		return inst_progress(r, after, inst_poll(r), o->reason, o->msg);
	case IHAVE_CONFLICT:
		return inst_failed(r, o->reason, o->msg);
	case IHAVE_BLOCKED:
		if (inst_wait_budget(r) != 0)
			return inst_failed(r, "Timeout", o->msg);
		irun_state(r, INSTALL_PENDING, o->reason, "%s", o->msg);
		*after = inst_poll(r);
		return RECONCILE_REQUEUE;
	default:
		return inst_change(r, o, after, cause);
	}
}

/* Uninstall: act on an observation. */
static enum reconcile_outcome
inst_down(struct irun *r, struct iobs *o, uint64_t *after, char **cause)
{
	switch (o->have) {
	case IHAVE_NONE:
	case IHAVE_BLOCKED:
		irun_state(r, INSTALL_READY, r->changed ? "Removed" :
		    "NothingToRemove", "%s", o->exists.buf);
		inst_wake(r);
		return RECONCILE_DONE;
	case IHAVE_WAIT:
		r->applies = 0;
		return inst_progress(r, after, inst_poll(r), o->reason, o->msg);
	case IHAVE_CONFLICT:
		irun_left(r, "%s", o->msg);
		irun_state(r, INSTALL_READY, "Kept", "%s", o->msg);
		inst_wake(r);
		return RECONCILE_DONE;
	default:
		return inst_change(r, o, after, cause);
	}
}

/* The reconcile function: one step key. */
static enum reconcile_outcome
inst_reconcile(void *arg, const char *key, uint64_t *after, char **cause)
{
	struct install		*in = arg;
	struct irun		*r = inst_step(in, key);
	struct iobs		 o;
	enum reconcile_outcome	 oc;
	char			*c = NULL;
	int			 rc;

	if (r == NULL || in->cancelled || r->blocked ||
	    r->state == INSTALL_READY || r->state == INSTALL_FAILED)
		return RECONCILE_DONE;
	if (inst_deps_ready(r) != 1)
		return RECONCILE_DONE;
	pthread_mutex_lock(&in->lock);
	if (r->started_ms == 0)
		r->started_ms = inst_now();
	pthread_mutex_unlock(&in->lock);
	iobs_init(&o);
	if ((rc = r->ops->observe(r, &o, &c)) != 0)
		oc = inst_error(r, rc, c, cause);
	else {
		r->failures = 0;
		oc = in->o.dir == INSTALL_UP ? inst_up(r, &o, after, cause) :
		    inst_down(r, &o, after, cause);
	}
	iobs_clear(&o);
	return oc;
}

/* Check unselected dependencies of an install once: done ones count as
 * Ready, missing ones block their followers. */
static void
inst_check_unselected(struct install *in)
{
	struct iobs	 o;
	char		*c = NULL;
	size_t		 i, k;

	for (i = 0; in->o.dir == INSTALL_UP && i < in->n_steps; i++) {
		struct irun *d = &in->steps[i];
		int needed = 0;
		if (d->selected || d->ops->uninstall_only)
			continue;
		for (k = 0; k < in->n_steps; k++)
			needed |= in->steps[k].selected &&
			    inst_depends(&in->steps[k], d);
		if (!needed)
			continue;
		iobs_init(&o);
		if (d->ops->observe(d, &o, &c) == 0 && o.have == IHAVE_ALL)
			irun_state(d, INSTALL_READY, "NotSelected", "already "
			    "done: %s", o.exists.buf);
		else
			irun_state(d, INSTALL_SKIPPED, "NotSelected", "not "
			    "selected and not done (%s)", c != NULL ? c :
			    o.exists.buf);
		xfree_ptr(&c);
		iobs_clear(&o);
	}
}

/* Make the run context. */
struct install *
install_new(const struct install_opts *o, char **cause)
{
	struct install		*in;
	pthread_condattr_t	 ca;
	size_t			 i;

	if (o->lab == NULL || o->aws == NULL) {
		error_set(cause, "install: a lab config and an AWS context are "
		    "required");
		return NULL;
	}
	if (lab_config_validate(o->lab, "lab.yaml", cause) != 0)
		return NULL;
	if (o->lab->region != NULL && strcmp(o->lab->region,
	    aws_region(o->aws)) != 0) {
		error_set(cause, "lab.yaml says region %s but AWS requests go "
		    "to %s (pass --region %s)", o->lab->region,
		    aws_region(o->aws), o->lab->region);
		return NULL;
	}
	in = xcalloc(1, sizeof *in);
	in->o = *o;
	in->lab = o->lab;
	in->aws = o->aws;
	in->s_kubeconfig = xstrdup_or_null(o->kubeconfig);
	in->s_context = xstrdup_or_null(o->context);
	in->s_only = xstrdup_or_null(o->only);
	in->s_from = xstrdup_or_null(o->from);
	in->s_manifest = xstrdup_or_null(o->manifest);
	in->s_helm = xstrdup_or_null(o->helm);
	in->o.workers = o->workers ? o->workers : INST_WORKERS;
	in->o.poll_ms = o->poll_ms ? o->poll_ms : INST_POLL_MS;
	in->o.kube_poll_ms = o->kube_poll_ms ? o->kube_poll_ms :
	    INST_KUBE_POLL_MS;
	in->o.retry_base_ms = o->retry_base_ms ? o->retry_base_ms :
	    INST_RETRY_BASE_MS;
	in->o.max_failures = o->max_failures ? o->max_failures :
	    INST_MAX_FAILURES;
	in->o.wait_limit_ms = o->wait_limit_ms ? o->wait_limit_ms :
	    INST_WAIT_LIMIT_MS;
	in->o.timeout_ms = o->timeout_ms ? o->timeout_ms : INST_TIMEOUT_MS;
	in->kubeconfig = kubecfg_default_path(o->kubeconfig, o->lab->kubeconfig);
	pthread_mutex_init(&in->lock, NULL);
	pthread_mutex_init(&in->kube_lock, NULL);
	pthread_condattr_init(&ca);
	in->cond_mono = pthread_condattr_setclock(&ca, CLOCK_MONOTONIC) == 0;
	pthread_cond_init(&in->cond, &ca);
	pthread_condattr_destroy(&ca);
	for (i = 0; inst_table[i] != NULL; i++) {
		in->steps[i].in = in;
		in->steps[i].ops = inst_table[i];
		in->steps[i].idx = i;
	}
	in->n_steps = i;
	if (inst_select(in, cause) != 0) {
		install_free(in);
		return NULL;
	}
	return in;
}

/* Free the run context. */
void
install_free(struct install *in)
{
	size_t	i, k;

	if (in == NULL)
		return;
	inst_kube_reset(in);
	cJSON_Delete(in->ctl_objs);
	for (i = 0; i < in->n_steps; i++) {
		free(in->steps[i].reason);
		free(in->steps[i].message);
		free(in->steps[i].left);
		for (k = 0; k < INST_LOG_LINES; k++)
			free(in->steps[i].log[k]);
	}
	free(in->f.region);
	free(in->f.account);
	free(in->f.vpc_id);
	free(in->f.cluster_arn);
	free(in->f.vpc_error);
	labcfg_strv_free(&in->f.public_ids);
	labcfg_strv_free(&in->f.private_ids);
	labcfg_strv_free(&in->f.public_az);
	labcfg_strv_free(&in->f.private_az);
	free(in->s_kubeconfig);
	free(in->s_context);
	free(in->s_only);
	free(in->s_from);
	free(in->s_manifest);
	free(in->s_helm);
	free(in->kubeconfig);
	pthread_cond_destroy(&in->cond);
	pthread_mutex_destroy(&in->lock);
	pthread_mutex_destroy(&in->kube_lock);
	free(in);
}

/* Stop a run. */
void
install_cancel(struct install *in)
{
	pthread_mutex_lock(&in->lock);
	in->cancelled = 1;
	pthread_cond_broadcast(&in->cond);
	pthread_mutex_unlock(&in->lock);
}

/* Wait until finished, cancelled or timed out; 1 on timeout. */
static int
inst_wait(struct install *in)
{
	struct timespec	ts;
	uint64_t	end;
	int		rc = 0;

	clock_gettime(in->cond_mono ? CLOCK_MONOTONIC : CLOCK_REALTIME, &ts);
	end = (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000 +
	    in->o.timeout_ms;
	ts.tv_sec = (time_t)(end / 1000);
	ts.tv_nsec = (long)(end % 1000) * 1000000;
	pthread_mutex_lock(&in->lock);
	while (!in->cancelled && !inst_finished(in) && rc == 0)
		if (pthread_cond_timedwait(&in->cond, &in->lock, &ts) ==
		    ETIMEDOUT)
			rc = 1;
	pthread_mutex_unlock(&in->lock);
	return rc;
}

/* Mark what is still running as interrupted. */
static void
inst_interrupt(struct install *in, const char *why)
{
	size_t	i;

	for (i = 0; i < in->n_steps; i++) {
		struct irun *r = &in->steps[i];
		if (r->selected && !r->blocked &&
		    (r->state == INSTALL_PENDING ||
		    r->state == INSTALL_PROGRESSING))
			irun_state(r, INSTALL_PENDING, "Interrupted", "%s: %s",
			    why, r->message != NULL ? r->message : "");
	}
}

/* Uninstall: show what would be deleted and ask (unless --yes). */
static int
inst_confirm(struct install *in, struct install_result *res, char **cause)
{
	struct strbuf	text;
	size_t		actions = 0;
	int		yes, rc;

	if (in->o.yes)
		return 0;
	strbuf_init(&text);
	rc = inst_plan_all(in, &text, NULL, &actions, cause);
	if (rc != 0 || actions == 0) {
		strbuf_free(&text);
		return rc;
	}
	yes = in->o.confirm != NULL && in->o.confirm(in->o.confirm_arg,
	    "Delete these resources?", text.buf);
	strbuf_free(&text);
	if (!yes) {
		res->declined = 1;
		return 1;
	}
	return 0;
}

/* Run the reconciler until the steps are done. */
static int
inst_drive(struct install *in, struct install_result *res, char **cause)
{
	struct reconcile_opts	 ro = { 0 };
	struct irun		**order;
	size_t			  i;

	ro.name = in->o.dir == INSTALL_UP ? "install" : "uninstall";
	ro.workers = in->o.workers;
	ro.base_delay_ms = in->o.retry_base_ms;
	ro.max_delay_ms = 30000;
	ro.qps = -1;
	ro.fn = inst_reconcile;
	ro.arg = in;
	in->rec = reconcile_new(&ro);
	order = inst_order(in);
	for (i = 0; order[i] != NULL; i++)
		reconcile_add(in->rec, order[i]->ops->id);
	free(order);
	if (reconcile_start(in->rec, cause) != 0) {
		reconcile_free(in->rec);
		in->rec = NULL;
		return -1;
	}
	res->timed_out = inst_wait(in);
	res->cancelled = in->cancelled;
	reconcile_stop(in->rec, RECONCILE_STOP_NOW);
	reconcile_free(in->rec);
	in->rec = NULL;
	if (res->timed_out || res->cancelled)
		inst_interrupt(in, res->timed_out ? "timed out" : "cancelled");
	return 0;
}

/* Run the selected steps to the end. */
int
install_run(struct install *in, struct install_result *res, char **cause)
{
	size_t	i;
	int	rc;

	memset(res, 0, sizeof *res);
	in->start_ms = inst_now();
	if (inst_facts(in, in->o.dir == INSTALL_UP && in->lab->cluster.manage &&
	    inst_step(in, "cluster")->selected, cause) != 0)
		return -1;
	if (in->o.dir == INSTALL_DOWN &&
	    (rc = inst_confirm(in, res, cause)) != 0)
		return rc;
	inst_check_unselected(in);
	pthread_mutex_lock(&in->lock);
	for (i = 0; i < in->n_steps; i++)
		if (in->steps[i].state == INSTALL_SKIPPED)
			inst_block_dependents(in, &in->steps[i]);
	pthread_mutex_unlock(&in->lock);
	inst_report_blocked(in);
	if (inst_drive(in, res, cause) != 0)
		return -1;
	pthread_mutex_lock(&in->lock);
	inst_result(in, res);
	pthread_mutex_unlock(&in->lock);
	return res->ready == res->steps && !res->cancelled ? 0 : 1;
}
