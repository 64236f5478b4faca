/* Step states of a run: the condition model, selection (--only, --from),
 * dependencies, snapshots for the UI and the final result. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/error.h"
#include "latticectl/timeutil.h"
#include "latticectl/xmalloc.h"

#include "install_int.h"

static const char *const inst_ids[] = { "cluster", "security-group",
    "iam-policy", "namespace", "service-account", "controller",
    "gatewayclass", "routes", NULL };

/* Step ids in install order. */
const char *const *
install_step_ids(void)
{
	return inst_ids;
}

/* "Pending", "Progressing", ... */
const char *
install_state_name(enum install_state s)
{
	switch (s) {
	case INSTALL_PROGRESSING:
		return "Progressing";
	case INSTALL_READY:
		return "Ready";
	case INSTALL_FAILED:
		return "Failed";
	case INSTALL_SKIPPED:
		return "Skipped";
	default:
		return "Pending";
	}
}

/* Monotonic milliseconds. */
uint64_t
inst_now(void)
{
	return time_mono_ms();
}

/* The step with that id, or NULL. */
struct irun *
inst_step(struct install *in, const char *id)
{
	size_t	i;

	for (i = 0; i < in->n_steps; i++)
		if (strcmp(in->steps[i].ops->id, id) == 0)
			return &in->steps[i];
	return NULL;
}

/* Does a depend on b directly? */
int
inst_depends(const struct irun *a, const struct irun *b)
{
	size_t	i;

	for (i = 0; a->ops->deps[i] != NULL; i++)
		if (strcmp(a->ops->deps[i], b->ops->id) == 0)
			return 1;
	return 0;
}

/* Selected steps in the direction's order. */
struct irun **
inst_order(struct install *in)
{
	struct irun	**v = xcalloc(in->n_steps + 1, sizeof *v);
	size_t		  i, n = 0;

	for (i = 0; i < in->n_steps; i++) {
		struct irun *r = &in->steps[in->o.dir == INSTALL_UP ? i :
		    in->n_steps - 1 - i];
		if (r->selected)
			v[n++] = r;
	}
	return v;
}

/* Is id a step of this direction? */
static struct irun *
inst_find_dir(struct install *in, const char *id)
{
	struct irun	*r = inst_step(in, id);

	if (r != NULL && r->ops->uninstall_only && in->o.dir == INSTALL_UP)
		return NULL;
	return r;
}

/* Select from --only (comma-separated) and --from. */
int
inst_select(struct install *in, char **cause)
{
	struct irun	*r;
	char		*copy, *tok, *save = NULL;
	size_t		 i, k;
	int		 on;

	for (i = 0; i < in->n_steps; i++)
		in->steps[i].selected = !(in->steps[i].ops->uninstall_only &&
		    in->o.dir == INSTALL_UP);
	if (in->s_from != NULL) {
		if ((r = inst_find_dir(in, in->s_from)) == NULL)
			return error_set(cause, "--from: unknown step '%s'",
			    in->s_from);
		for (on = 0, k = 0; k < in->n_steps; k++) {
			i = in->o.dir == INSTALL_UP ? k : in->n_steps - 1 - k;
			on |= &in->steps[i] == r;
			in->steps[i].selected &= on;
		}
	}
	if (in->s_only == NULL)
		return 0;
	for (i = 0; i < in->n_steps; i++)
		in->steps[i].selected = 0;
	copy = xstrdup(in->s_only);
	for (tok = strtok_r(copy, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		if ((r = inst_find_dir(in, tok)) == NULL) {
			error_set(cause, "--only: unknown step '%s' (cluster, "
			    "security-group, iam-policy, namespace, "
			    "service-account, controller, gatewayclass%s)", tok,
			    in->o.dir == INSTALL_DOWN ? ", routes" : "");
			free(copy);
			return -1;
		}
		r->selected = 1;
	}
	free(copy);
	return 0;
}

/* The event of a step's current state (strings copied by the caller). */
static void
inst_event_of(struct irun *r, struct install_event *ev)
{
	uint64_t	now = inst_now();

	memset(ev, 0, sizeof *ev);
	ev->step = r->ops->id;
	ev->title = r->ops->title;
	ev->state = r->state;
	ev->reason = r->reason != NULL ? r->reason : "";
	ev->message = r->message != NULL ? r->message : "";
	ev->elapsed_ms = r->started_ms == 0 ? 0 : (r->ended_ms != 0 ?
	    r->ended_ms : now) - r->started_ms;
	ev->run_ms = now - r->in->start_ms;
	ev->changed = r->changed;
}

/* Set a step's condition; report a change. */
void
irun_state(struct irun *r, enum install_state st, const char *reason,
    const char *fmt, ...)
{
	struct install		*in = r->in;
	struct install_event	 ev;
	va_list			 ap;
	char			*msg, *rs = NULL, *ms = NULL;

	va_start(ap, fmt);
	xvasprintf(&msg, fmt, ap);
	va_end(ap);
	pthread_mutex_lock(&in->lock);
	if (r->state == st && r->reason != NULL && strcmp(r->reason,
	    reason) == 0 && r->message != NULL && strcmp(r->message,
	    msg) == 0) {
		pthread_mutex_unlock(&in->lock);
		free(msg);
		return;
	}
	r->state = st;
	free(r->reason);
	r->reason = xstrdup(reason);
	free(r->message);
	r->message = msg;
	if (st == INSTALL_READY || st == INSTALL_FAILED)
		r->ended_ms = inst_now();
	inst_event_of(r, &ev);
	ev.reason = rs = xstrdup(ev.reason);
	ev.message = ms = xstrdup(ev.message);
	pthread_cond_broadcast(&in->cond);
	pthread_mutex_unlock(&in->lock);
	if (in->o.on_event != NULL)
		in->o.on_event(in->o.event_arg, &ev);
	free(rs);
	free(ms);
}

/* Is every selected step finished or blocked? (lock held) */
int
inst_finished(struct install *in)
{
	size_t	i;

	for (i = 0; i < in->n_steps; i++) {
		struct irun *r = &in->steps[i];
		if (!r->selected || r->blocked)
			continue;
		if (r->state != INSTALL_READY && r->state != INSTALL_FAILED &&
		    r->state != INSTALL_SKIPPED)
			return 0;
	}
	return 1;
}

/* Does step a wait for step b in this direction? */
static int
inst_waits_for(struct install *in, const struct irun *a,
    const struct irun *b)
{
	return in->o.dir == INSTALL_UP ? inst_depends(a, b) :
	    inst_depends(b, a);
}

/* Mark every selected step that (transitively) waits for r as blocked
 * (lock held). */
void
inst_block_dependents(struct install *in, struct irun *r)
{
	size_t	i;

	for (i = 0; i < in->n_steps; i++) {
		struct irun *s = &in->steps[i];
		if (!s->selected || s->blocked || s == r ||
		    !inst_waits_for(in, s, r) || s->state == INSTALL_READY)
			continue;
		s->blocked = 1;
		s->blocked_by = r;
		pthread_cond_broadcast(&in->cond);
		inst_block_dependents(in, s);
	}
}

/* Add a line to the result's left-behind list. */
static void
inst_left_add(struct install_result *res, const char *fmt, ...)
{
	va_list	ap;

	res->left_behind = xreallocarray(res->left_behind,
	    res->n_left_behind + 1, sizeof *res->left_behind);
	va_start(ap, fmt);
	xvasprintf(&res->left_behind[res->n_left_behind++], fmt, ap);
	va_end(ap);
}

/* Fill the result from the steps (lock held). */
void
inst_result(struct install *in, struct install_result *res)
{
	char	*copy, *line, *save = NULL;
	size_t	 i;

	for (i = 0; i < in->n_steps; i++) {
		struct irun *r = &in->steps[i];
		if (!r->selected)
			continue;
		res->steps++;
		res->ready += r->state == INSTALL_READY;
		res->failed += r->state == INSTALL_FAILED;
		res->pending += r->state == INSTALL_PENDING ||
		    r->state == INSTALL_PROGRESSING;
		res->changed += r->changed != 0;
		if (in->o.dir != INSTALL_DOWN)
			continue;
		if (r->left != NULL) {
			copy = xstrdup(r->left);
			for (line = strtok_r(copy, "\n", &save); line != NULL;
			    line = strtok_r(NULL, "\n", &save))
				inst_left_add(res, "%s: %s", r->ops->id, line);
			free(copy);
		}
		if (r->state != INSTALL_READY && r->left == NULL)
			inst_left_add(res, "%s: not removed (%s%s%s)",
			    r->ops->id, r->reason != NULL ? r->reason :
			    "Pending", r->message != NULL ? ": " : "",
			    r->message != NULL ? r->message : "");
	}
	res->elapsed_ms = inst_now() - in->start_ms;
}

/* Release a result's strings. */
void
install_result_clear(struct install_result *res)
{
	size_t	i;

	for (i = 0; i < res->n_left_behind; i++)
		free(res->left_behind[i]);
	free(res->left_behind);
	memset(res, 0, sizeof *res);
}

/* Copy one step for a snapshot (lock held). */
static void
inst_snap_one(struct irun *r, struct install_step_info *s)
{
	struct install_event	ev;
	size_t			i, at;

	inst_event_of(r, &ev);
	s->id = xstrdup(r->ops->id);
	s->title = xstrdup(r->ops->title);
	s->state = r->state;
	s->reason = xstrdup(ev.reason);
	s->message = xstrdup(ev.message);
	s->elapsed_ms = ev.elapsed_ms;
	s->changed = r->changed;
	s->selected = r->selected;
	s->log = xcalloc(r->n_log + 1, sizeof *s->log);
	for (i = 0; i < r->n_log; i++) {
		at = (r->log_next + INST_LOG_LINES - r->n_log + i) %
		    INST_LOG_LINES;
		s->log[i] = xstrdup(r->log[at]);
	}
	s->n_log = r->n_log;
}

/* Every step's state, in the run's order. */
void
install_snapshot(struct install *in, struct install_step_info **out,
    size_t *n)
{
	struct install_step_info	*v;
	size_t				 i, k = 0;

	v = xcalloc(in->n_steps + 1, sizeof *v);
	pthread_mutex_lock(&in->lock);
	for (i = 0; i < in->n_steps; i++) {
		struct irun *r = &in->steps[in->o.dir == INSTALL_UP ? i :
		    in->n_steps - 1 - i];
		if (r->ops->uninstall_only && in->o.dir == INSTALL_UP)
			continue;
		inst_snap_one(r, &v[k++]);
	}
	pthread_mutex_unlock(&in->lock);
	*out = v;
	*n = k;
}

/* Free a snapshot. */
void
install_snapshot_free(struct install_step_info *v, size_t n)
{
	size_t	i, k;

	for (i = 0; i < n; i++) {
		free(v[i].id);
		free(v[i].title);
		free(v[i].reason);
		free(v[i].message);
		for (k = 0; k < v[i].n_log; k++)
			free(v[i].log[k]);
		free(v[i].log);
	}
	free(v);
}
