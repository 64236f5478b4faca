/* status: the writer, compare-then-write machinery, route and Accepted
 * conditions. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define LOG_MODULE "status"
#include "latticectl/json.h"
#include "latticectl/kutil.h"
#include "latticectl/log.h"
#include "latticectl/status.h"
#include "latticectl/timeutil.h"
#include "latticectl/xmalloc.h"
#include "status_int.h"

/* A new writer. */
struct status_writer *
status_writer_new(const struct status_writer_opts *o)
{
	struct status_writer	*sw = xcalloc(1, sizeof *sw);

	sw->kc = o->kc;
	sw->rec = o->rec;
	sw->controller = xstrdup(o->controller != NULL ? o->controller :
	    UP_CONTROLLER_NAME);
	sw->now = o->now;
	sw->now_arg = o->now_arg;
	sw->seen = xcalloc(STATUS_SEEN_SLOTS, sizeof *sw->seen);
	pthread_mutex_init(&sw->mu, NULL);
	return sw;
}

/* Free a writer. */
void
status_writer_free(struct status_writer *sw)
{
	if (sw == NULL)
		return;
	pthread_mutex_destroy(&sw->mu);
	free(sw->seen);
	free(sw->controller);
	free(sw);
}

/* The counters. */
void
status_writer_stats(struct status_writer *sw, struct status_stats *st)
{
	pthread_mutex_lock(&sw->mu);
	*st = sw->st;
	pthread_mutex_unlock(&sw->mu);
}

/* Add to a counter. */
void
status_count(struct status_writer *sw, uint64_t *counter, uint64_t n)
{
	pthread_mutex_lock(&sw->mu);
	*counter += n;
	pthread_mutex_unlock(&sw->mu);
}

/* The table slot of a uid (FNV-1a). */
static struct status_seen *
status_seen_slot(struct status_writer *sw, const char *uid)
{
	uint64_t	h = 1469598103934665603ULL;
	const char	*p;

	for (p = uid; *p != '\0'; p++) {
		h ^= (unsigned char)*p;
		h *= 1099511628211ULL;
	}
	return &sw->seen[h % STATUS_SEEN_SLOTS];
}

/* uid and rv of obj when both fit the table. */
static int
status_seen_ids(const cJSON *obj, const char **uid, const char **rv)
{
	*uid = json_path_str(obj, "metadata.uid");
	*rv = json_path_str(obj, "metadata.resourceVersion");
	return *uid != NULL && *rv != NULL && **rv != '\0' &&
	    strlen(*uid) < STATUS_SEEN_UID && strlen(*rv) < STATUS_SEEN_RV;
}

/* Remember the resourceVersion a write of ours produced. */
void
status_seen_record(struct status_writer *sw, const cJSON *written)
{
	struct status_seen	*s;
	const char		*uid, *rv;

	if (written == NULL || !status_seen_ids(written, &uid, &rv))
		return;
	pthread_mutex_lock(&sw->mu);
	s = status_seen_slot(sw, uid);
	if (strcmp(s->uid, uid) != 0) {
		memset(s, 0, sizeof *s);
		strcpy(s->uid, uid);
	}
	if (s->n > 0 && strcmp(s->rv[s->n - 1], rv) == 0) {
		pthread_mutex_unlock(&sw->mu);
		return;		/* a write that changed nothing */
	}
	if (s->n == STATUS_SEEN_RVS) {
		memmove(s->rv[0], s->rv[1], sizeof s->rv[0] *
		    (STATUS_SEEN_RVS - 1));
		s->n--;
	}
	strcpy(s->rv[s->n++], rv);
	pthread_mutex_unlock(&sw->mu);
}

/* Whether cached lags behind a write of ours. */
int
status_seen_behind(struct status_writer *sw, const cJSON *cached)
{
	struct status_seen	*s;
	const char		*uid, *rv;
	unsigned		 i;
	int			 behind = 0;

	if (!status_seen_ids(cached, &uid, &rv))
		return 0;
	pthread_mutex_lock(&sw->mu);
	s = status_seen_slot(sw, uid);
	if (strcmp(s->uid, uid) == 0 && s->n > 0) {
		for (i = 0; i + 1 < s->n && !behind; i++)
			behind = strcmp(s->rv[i], rv) == 0;
	}
	if (behind)
		sw->st.stale++;
	pthread_mutex_unlock(&sw->mu);
	return behind;
}

/* The transition time for new condition statuses. */
struct timespec
status_now(struct status_writer *sw)
{
	return sw->now != NULL ? sw->now(sw->now_arg) : time_now();
}

/* metadata.generation, or -1. */
int64_t
status_generation(const cJSON *obj)
{
	int64_t	gen = -1;

	(void)json_int(json_path(obj, "metadata"), "generation", &gen);
	return gen;
}

/* A condition for kube_conditions_set. */
struct kube_condition
status_cond(const char *type, int ok, const char *reason,
    const char *message, int64_t gen)
{
	struct kube_condition	c;

	c.type = type;
	c.status = ok ? "True" : "False";
	c.reason = reason;
	c.message = message != NULL ? message : "";
	c.observed_generation = gen;
	return c;
}

/* A copy of obj's status (NULL when it has none). */
cJSON *
status_snapshot(const cJSON *obj)
{
	return cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(obj, "status"),
	    1);
}

/* Whether obj's status differs from before (which is freed). */
int
status_differs(cJSON *before, const cJSON *obj)
{
	int	d;

	d = !json_equal(before, cJSON_GetObjectItemCaseSensitive(obj,
	    "status"));
	cJSON_Delete(before);
	return d;
}

/* Hand got to *out, or free it when the caller did not ask. */
void
status_give(cJSON *got, cJSON **out)
{
	if (out != NULL)
		*out = got;
	else
		cJSON_Delete(got);
}

/* Set the error a writer reports for a refusal of its own. */
void
status_refuse(struct kube_error *e, const char *fmt, const char *a,
    const char *b)
{
	kube_error_clear(e);
	e->retry_after = -1;
	xasprintf(&e->message, fmt, a, b != NULL ? b : "");
}

struct status_round {
	struct status_writer	*sw;
	status_edit_fn		 fn;
	void			*arg;
	uint64_t		 puts;
};

/* kube_mutate_fn over an edit: 1 when the fresh object needs a PUT. */
static int
status_mutate(void *arg, cJSON *obj, char **cause)
{
	struct status_round	*x = arg;
	struct timespec		 now = status_now(x->sw);
	int			 changed;

	(void)cause;
	changed = x->fn(x->arg, obj, &now);
	if (changed)
		x->puts++;
	return changed;
}

/* GET, edit, PUT /status with conflict retries. */
static int
status_write_fresh(struct status_writer *sw, const struct kube_resource *res,
    const char *ns, const char *name, status_edit_fn fn, void *arg,
    cJSON **out, struct kube_error *e)
{
	struct status_round	 x = { sw, fn, arg, 0 };
	cJSON			*got = NULL;
	int			 r;

	r = kube_update_retry(sw->kc, res, ns, name, 1, 0, status_mutate, &x,
	    &got, e);
	if (r == 0 && x.puts > 0)
		status_seen_record(sw, got);
	status_give(got, out);
	status_count(sw, &sw->st.writes, x.puts);
	if (r == 0 && x.puts == 0)
		status_count(sw, &sw->st.unchanged, 1);
	if (r != 0 && kube_error_is_not_found(e)) {
		kube_error_clear(e);
		return 0;
	}
	if (r != 0)
		status_count(sw, &sw->st.errors, 1);
	return r;
}

/* Edit a copy of cached; PUT /status only when it changed, with the
 * cached resourceVersion; re-read only on a conflict. */
int
status_write(struct status_writer *sw, const struct kube_resource *res,
    const cJSON *cached, status_edit_fn fn, void *arg, cJSON **out,
    struct kube_error *e)
{
	struct timespec	 now = status_now(sw);
	const char	*ns, *name;
	cJSON		*copy, *got = NULL;
	int		 r;

	kube_error_clear(e);
	if (out != NULL)
		*out = NULL;
	ns = json_path_str(cached, "metadata.namespace");
	name = json_path_str(cached, "metadata.name");
	if (name == NULL) {
		status_refuse(e, "%s: object without a name%s", res->kind,
		    NULL);
		return -1;
	}
	if (status_seen_behind(sw, cached))
		return 0;
	copy = cJSON_Duplicate(cached, 1);
	if (!fn(arg, copy, &now)) {
		cJSON_Delete(copy);
		status_count(sw, &sw->st.unchanged, 1);
		return 0;
	}
	log_debug("%s %s: status (at %s)", res->kind, name,
	    json_path_str(cached, "metadata.resourceVersion"));
	r = kube_update_status(sw->kc, res, ns, copy, &got, e);
	cJSON_Delete(copy);
	status_count(sw, &sw->st.writes, 1);
	if (r == 0) {
		status_seen_record(sw, got);
		status_give(got, out);
		return 0;
	}
	if (kube_error_is_not_found(e)) {
		kube_error_clear(e);
		return 0;
	}
	if (!kube_error_is_conflict(e)) {
		status_count(sw, &sw->st.errors, 1);
		return -1;
	}
	status_count(sw, &sw->st.conflicts, 1);
	log_debug("%s %s/%s: status conflict, re-reading", res->kind,
	    ns != NULL ? ns : "", name);
	return status_write_fresh(sw, res, ns, name, fn, arg, out, e);
}

/* Set Accepted and ResolvedRefs on one parent's conditions. */
static void
status_parent_conds(cJSON *conds, const struct lm_parent_status *p,
    int64_t gen, const struct timespec *now)
{
	struct kube_condition	c;
	const char		*r;

	r = p->accepted_reason != NULL ? p->accepted_reason :
	    (p->accepted ? UP_REASON_ACCEPTED : UP_REASON_INVALID);
	c = status_cond(UP_COND_ACCEPTED, p->accepted, r, p->accepted_message,
	    gen);
	kube_conditions_set(conds, &c, now);
	r = p->resolved_reason != NULL ? p->resolved_reason :
	    (p->resolved ? UP_REASON_RESOLVED_REFS : UP_REASON_INVALID);
	c = status_cond(UP_COND_RESOLVED_REFS, p->resolved, r,
	    p->resolved_message, gen);
	kube_conditions_set(conds, &c, now);
}

/* Whether parents entry e is ours for a parentRef in keep. */
static int
status_parent_kept(const cJSON *e, const char *controller, const cJSON *keep)
{
	const cJSON	*k;
	const char	*cn = json_str(e, "controllerName");

	if (cn == NULL || strcmp(cn, controller) != 0)
		return 1;	/* another controller's: not ours to drop */
	cJSON_ArrayForEach(k, keep) {
		if (json_equal(k, cJSON_GetObjectItemCaseSensitive(e,
		    "parentRef")))
			return 1;
	}
	return 0;
}

/* Drop our entries for parentRefs not in keep. */
static void
status_parents_prune(cJSON *route, const char *controller, const cJSON *keep)
{
	cJSON	*parents, *e, *next;

	parents = cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetObjectItemCaseSensitive(route, "status"), "parents");
	if (!cJSON_IsArray(parents))
		return;
	for (e = parents->child; e != NULL; e = next) {
		next = e->next;
		if (!status_parent_kept(e, controller, keep))
			cJSON_Delete(cJSON_DetachItemViaPointer(parents, e));
	}
}

/* Route status.parents[] from per-parentRef results. */
int
status_route_apply(cJSON *route, const char *controller,
    const struct lm_parent_status *ps, size_t n, const struct timespec *now)
{
	const cJSON	*refs, *ref;
	cJSON		*before, *keep, *conds;
	int64_t		 gen = status_generation(route);
	size_t		 i;

	before = status_snapshot(route);
	refs = json_path(route, "spec.parentRefs");
	keep = cJSON_CreateArray();
	for (i = 0; i < n; i++) {
		if (!ps[i].ours || (ref = cJSON_GetArrayItem(refs,
		    (int)ps[i].parent_index)) == NULL)
			continue;
		conds = kube_status_parent_conditions(route, ref, controller);
		status_parent_conds(conds, &ps[i], gen, now);
		cJSON_AddItemToArray(keep, cJSON_Duplicate(ref, 1));
	}
	status_parents_prune(route, controller, keep);
	cJSON_Delete(keep);
	return status_differs(before, route);
}

/* status.conditions Accepted from a reason. */
int
status_accepted_apply(cJSON *obj, const char *reason, const char *message,
    const struct timespec *now)
{
	struct kube_condition	c;
	cJSON			*before = status_snapshot(obj);

	c = status_cond(UP_COND_ACCEPTED, strcmp(reason, UP_REASON_ACCEPTED) ==
	    0, reason, message, status_generation(obj));
	kube_status_set_local(obj, &c, 1, now);
	return status_differs(before, obj);
}

struct status_route_args {
	const char			*controller;
	const struct lm_parent_status	*ps;
	size_t				 n;
};

/* status_edit_fn for routes. */
static int
status_route_edit(void *arg, cJSON *obj, const struct timespec *now)
{
	struct status_route_args	*a = arg;

	return status_route_apply(obj, a->controller, a->ps, a->n, now);
}

/* Write a route's status.parents[]. */
int
status_route_write(struct status_writer *sw, const struct kube_resource *res,
    const cJSON *cached, const struct lm_parent_status *ps, size_t n,
    cJSON **out, struct kube_error *e)
{
	struct status_route_args	a = { sw->controller, ps, n };

	return status_write(sw, res, cached, status_route_edit, &a, out, e);
}

struct status_accepted_args {
	const char	*reason;
	const char	*message;
};

/* status_edit_fn for Accepted. */
static int
status_accepted_edit(void *arg, cJSON *obj, const struct timespec *now)
{
	struct status_accepted_args	*a = arg;

	return status_accepted_apply(obj, a->reason, a->message, now);
}

/* Write status.conditions Accepted. */
int
status_accepted_write(struct status_writer *sw,
    const struct kube_resource *res, const cJSON *cached, const char *reason,
    const char *message, cJSON **out, struct kube_error *e)
{
	struct status_accepted_args	a = { reason, message };

	return status_write(sw, res, cached, status_accepted_edit, &a, out, e);
}
