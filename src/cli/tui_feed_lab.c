/* The installer as the TUI shows it: the lab's steps with their last
 * known state (from runs' events, or observed with install_plan), the
 * equivalent commands, runs in their own thread (demo), and the demo's
 * in-process engine, started when the controller step is Ready (the
 * simulator's controller pods are simulated: nobody else reconciles). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "latticectl/eks.h"
#include "latticectl/json.h"
#include "latticectl/log.h"
#include "latticectl/strbuf.h"
#include "latticectl/timeutil.h"
#include "latticectl/xmalloc.h"

#include "tui_feed.h"

#define TUI_LAB_STEPS		8
#define TUI_ENGINE_SYNC_MS	60000
/* The mirror reloads (targets' health included) this often: the
 * dashboard's map reads it. Cheap against the simulator. */
#define TUI_ENGINE_RESYNC_S	5
#define TUI_ENGINE_TRIES	10	/* starts before giving up */
#define TUI_ENGINE_RETRY_MS	1000

/* A step's last known state. */
struct tui_step {
	char			*id;
	char			*title;
	enum install_state	 state;
	char			*reason;
	char			*message;
	uint64_t		 elapsed_ms;
	char			*command;	/* "\n"-joined */
	char			**log;
	size_t			 nlog;
	int			 skip;		/* the user's skip mark */
};

struct tui_lab {
	struct tui_lab_opts	 o;
	pthread_mutex_t		 lock;
	pthread_cond_t		 cond;
	struct tui_step		 steps[TUI_LAB_STEPS];
	size_t			 nsteps;
	struct install		*cur;		/* the last run */
	enum install_dir	 dir;
	int			 running;
	int			 run_rc;	/* -1: no run yet */
	int			 have_thr;
	pthread_t		 thr;
	uint64_t		 run_start;
	uint64_t		 run_ms;
	struct tui_feed		*feed;
	/* the engine (drive mode) */
	pthread_mutex_t		 engine_lock;	/* held while in use */
	struct controller	*engine;
	int			 engine_want;
	int			 engine_stop;
	int			 engine_thr_on;
	int			 engine_fails;
	pthread_t		 engine_thr;
	char			*vpc;
};

/* The step called id, or NULL. */
static struct tui_step *
tui_lab_step(struct tui_lab *l, const char *id)
{
	size_t	i;

	for (i = 0; i < l->nsteps; i++)
		if (strcmp(l->steps[i].id, id) == 0)
			return &l->steps[i];
	return NULL;
}

/* Replace a string member. */
static void
tui_set(char **dst, const char *s)
{
	free(*dst);
	*dst = s != NULL && *s != '\0' ? xstrdup(s) : NULL;
}

/* Wake the feed, if one is attached (under the lock: detaching waits). */
static void
tui_lab_poke(struct tui_lab *l)
{
	pthread_mutex_lock(&l->lock);
	tui_feed_poke(l->feed);
	pthread_mutex_unlock(&l->lock);
}

/* Installer event: note the step's state; the controller step's Ready
 * starts the demo's engine. Called on the installer's threads. */
static void
tui_lab_event(void *arg, const struct install_event *ev)
{
	struct tui_lab	*l = arg;
	struct tui_step	*st;

	log_msg(LOG_LEVEL_INFO, "install", "%s %s %s: %s", ev->step,
	    install_state_name(ev->state), ev->reason != NULL ? ev->reason :
	    "", ev->message != NULL ? ev->message : "");
	pthread_mutex_lock(&l->lock);
	if (l->o.echo != NULL) {
		fprintf(l->o.echo, "%s: %-16s %-11s %s%s%s\n", l->dir ==
		    INSTALL_UP ? "install" : "uninstall", ev->step,
		    install_state_name(ev->state), ev->reason != NULL ?
		    ev->reason : "", ev->message != NULL && *ev->message !=
		    '\0' ? ": " : "", ev->message != NULL ? ev->message : "");
		fflush(l->o.echo);
	}
	if ((st = tui_lab_step(l, ev->step)) != NULL) {
		st->state = ev->state;
		/* undone: the step is to do again */
		if (l->dir == INSTALL_DOWN && ev->state == INSTALL_READY)
			st->state = INSTALL_PENDING;
		tui_set(&st->reason, ev->reason);
		tui_set(&st->message, ev->message);
		st->elapsed_ms = ev->elapsed_ms;
	}
	if (l->o.drive && l->dir == INSTALL_UP && ev->state == INSTALL_READY &&
	    strcmp(ev->step, "controller") == 0 && l->engine_want <= 0) {
		l->engine_want = 1;
		l->engine_fails = 0;
		pthread_cond_broadcast(&l->cond);
	}
	pthread_mutex_unlock(&l->lock);
	tui_lab_poke(l);
}

/* An install object for dir and only (NULL with *cause). */
static struct install *
tui_lab_install(struct tui_lab *l, enum install_dir dir, const char *only,
    char **cause)
{
	struct install_opts	o;

	memset(&o, 0, sizeof o);
	o.lab = l->o.lab;
	o.aws = l->o.aws;
	o.dir = dir;
	o.kubeconfig = l->o.kubeconfig;
	o.context = l->o.context;
	o.only = only;
	o.yes = 1;
	if (l->o.poll_ms != 0) {
		o.poll_ms = l->o.poll_ms;
		o.kube_poll_ms = l->o.poll_ms;
		o.retry_base_ms = l->o.poll_ms;
	}
	o.on_event = tui_lab_event;
	o.event_arg = l;
	return install_new(&o, cause);
}

/* The steps' ids and titles from an install's snapshot. */
static void
tui_lab_steps_init(struct tui_lab *l)
{
	struct install_step_info	*v;
	size_t				 n, i;

	install_snapshot(l->cur, &v, &n);
	for (i = 0; i < n && l->nsteps < TUI_LAB_STEPS; i++) {
		if (strcmp(v[i].id, "routes") == 0)
			continue;
		l->steps[l->nsteps].id = xstrdup(v[i].id);
		l->steps[l->nsteps].title = xstrdup(v[i].title);
		l->steps[l->nsteps].state = INSTALL_PENDING;
		l->nsteps++;
	}
	install_snapshot_free(v, n);
}

/* The engine thread: start the engine when wanted (the lab's cluster and
 * its VPC), stop it when not. */
static void *tui_lab_engine_main(void *);

/* Make the lab view (and, driving, the engine thread). */
struct tui_lab *
tui_lab_new(const struct tui_lab_opts *o, char **cause)
{
	struct tui_lab	*l = xcalloc(1, sizeof *l);

	l->o = *o;
	l->run_rc = -1;
	pthread_mutex_init(&l->lock, NULL);
	pthread_cond_init(&l->cond, NULL);
	pthread_mutex_init(&l->engine_lock, NULL);
	if ((l->cur = tui_lab_install(l, INSTALL_UP, NULL, cause)) == NULL) {
		tui_lab_free(l);
		return NULL;
	}
	tui_lab_steps_init(l);
	if (o->drive)
		l->engine_thr_on = pthread_create(&l->engine_thr, NULL,
		    tui_lab_engine_main, l) == 0;
	return l;
}

/* Free a step's strings. */
static void
tui_step_clear(struct tui_step *st)
{
	size_t	i;

	free(st->id);
	free(st->title);
	free(st->reason);
	free(st->message);
	free(st->command);
	for (i = 0; i < st->nlog; i++)
		free(st->log[i]);
	free(st->log);
}

/* Stop runs and the engine, free everything. */
void
tui_lab_free(struct tui_lab *l)
{
	size_t	i;

	if (l == NULL)
		return;
	tui_lab_cancel(l);
	tui_lab_wait(l);
	pthread_mutex_lock(&l->lock);
	l->engine_stop = 1;
	pthread_cond_broadcast(&l->cond);
	pthread_mutex_unlock(&l->lock);
	if (l->engine_thr_on)
		pthread_join(l->engine_thr, NULL);
	controller_free(l->engine);
	install_free(l->cur);
	for (i = 0; i < l->nsteps; i++)
		tui_step_clear(&l->steps[i]);
	free(l->vpc);
	pthread_mutex_destroy(&l->lock);
	pthread_cond_destroy(&l->cond);
	pthread_mutex_destroy(&l->engine_lock);
	free(l);
}

/* Poke this feed on every change. */
void
tui_lab_set_feed(struct tui_lab *l, struct tui_feed *f)
{
	pthread_mutex_lock(&l->lock);
	l->feed = f;
	pthread_mutex_unlock(&l->lock);
}

/* ---- observation ---- */

/* The state an observation ("have") stands for. */
static enum install_state
tui_lab_have_state(const char *have, const char **reason)
{
	*reason = NULL;
	if (strcmp(have, "all") == 0) {
		*reason = "Exists";
		return INSTALL_READY;
	}
	if (strcmp(have, "in-progress") == 0)
		return INSTALL_PROGRESSING;
	if (strcmp(have, "conflict") == 0) {
		*reason = "Conflict";
		return INSTALL_FAILED;
	}
	*reason = strcmp(have, "some") == 0 ? "Partial" : strcmp(have,
	    "waiting") == 0 ? "Blocked" : "NotFound";
	return INSTALL_PENDING;
}

/* The commands of a plan step's actions, "\n"-joined (NULL: none). */
static char *
tui_lab_commands(const cJSON *step)
{
	struct strbuf	 sb;
	const cJSON	*a;
	const char	*c;

	strbuf_init(&sb);
	cJSON_ArrayForEach(a, json_path(step, "actions")) {
		if ((c = json_str(a, "command")) == NULL || *c == '\0')
			continue;
		strbuf_addf(&sb, "%s%s", sb.len > 0 ? "\n" : "", c);
	}
	if (sb.len == 0) {
		strbuf_free(&sb);
		return NULL;
	}
	return strbuf_detach(&sb, NULL);
}

/* Take one plan step's observation into the table (lock held). */
static void
tui_lab_observed(struct tui_lab *l, const cJSON *ps)
{
	struct tui_step	*st;
	const char	*reason, *msg, *have = json_str(ps, "have");
	char		*cmd;

	if ((st = tui_lab_step(l, json_str(ps, "step"))) == NULL)
		return;
	if ((cmd = tui_lab_commands(ps)) != NULL) {
		free(st->command);
		st->command = cmd;
	}
	if (l->running)
		return;
	if (json_str(ps, "error") != NULL) {
		st->state = INSTALL_PENDING;
		tui_set(&st->reason, "CannotLook");
		tui_set(&st->message, json_str(ps, "error"));
		return;
	}
	st->state = tui_lab_have_state(have != NULL ? have : "none", &reason);
	msg = json_str(ps, "message");
	if (msg == NULL || *msg == '\0')
		msg = json_str(ps, "exists");
	tui_set(&st->reason, reason);
	tui_set(&st->message, msg);
	/* a lab installed earlier (--state): its controller is our engine */
	if (l->o.drive && st->state == INSTALL_READY &&
	    strcmp(st->id, "controller") == 0 && l->engine_want == 0) {
		l->engine_want = 1;
		pthread_cond_broadcast(&l->cond);
	}
}

/* Observe every step (install_plan) and note their commands. */
int
tui_lab_recheck(struct tui_lab *l, char **cause)
{
	struct install	*in;
	const cJSON	*ps;
	cJSON		*json = NULL;

	if ((in = tui_lab_install(l, INSTALL_UP, NULL, cause)) == NULL)
		return -1;
	if (install_plan(in, NULL, &json, cause) != 0) {
		install_free(in);
		return -1;
	}
	install_free(in);
	pthread_mutex_lock(&l->lock);
	cJSON_ArrayForEach(ps, json)
		tui_lab_observed(l, ps);
	pthread_mutex_unlock(&l->lock);
	cJSON_Delete(json);
	tui_lab_poke(l);
	return 0;
}

/* The dry run's text. */
int
tui_lab_dryrun(struct tui_lab *l, struct strbuf *text, char **cause)
{
	struct install	*in;
	int		 rc;

	if ((in = tui_lab_install(l, INSTALL_UP, NULL, cause)) == NULL)
		return -1;
	rc = install_plan(in, text, NULL, cause);
	install_free(in);
	return rc;
}

/* ---- runs ---- */

/* The run thread: install_run to the end, then (uninstall of the
 * controller) stop the engine. */
static void *
tui_lab_run_main(void *arg)
{
	struct tui_lab		*l = arg;
	struct install_result	 res;
	char			*cause = NULL;
	int			 rc;

	memset(&res, 0, sizeof res);
	rc = install_run(l->cur, &res, &cause);
	if (rc < 0) {
		log_msg(LOG_LEVEL_ERROR, "install", "%s", cause);
		free(cause);
	} else
		log_msg(LOG_LEVEL_INFO, "install", "%s: %zu/%zu ready, %zu "
		    "failed%s", l->dir == INSTALL_UP ? "install" : "uninstall",
		    res.ready, res.steps, res.failed, res.cancelled ?
		    " (cancelled)" : "");
	install_result_clear(&res);
	pthread_mutex_lock(&l->lock);
	l->running = 0;
	l->run_rc = rc;
	l->run_ms = time_mono_ms() - l->run_start;
	if (l->dir == INSTALL_DOWN && l->o.drive) {
		l->engine_want = 0;
		pthread_cond_broadcast(&l->cond);
	}
	pthread_cond_broadcast(&l->cond);
	pthread_mutex_unlock(&l->lock);
	tui_lab_poke(l);
	return NULL;
}

/* The steps not marked skipped, comma-separated (NULL: all of them);
 * uninstall adds routes. Lock held. */
static char *
tui_lab_selection(struct tui_lab *l, enum install_dir dir)
{
	struct strbuf	sb;
	size_t		i, skipped = 0;

	strbuf_init(&sb);
	if (dir == INSTALL_DOWN)
		strbuf_addf(&sb, "routes");
	for (i = 0; i < l->nsteps; i++) {
		if (l->steps[i].skip) {
			skipped++;
			continue;
		}
		strbuf_addf(&sb, "%s%s", sb.len > 0 ? "," : "",
		    l->steps[i].id);
	}
	if (skipped == 0 || skipped == l->nsteps) {
		strbuf_free(&sb);
		return NULL;
	}
	return strbuf_detach(&sb, NULL);
}

/* Join the last run's thread (it may still be poking: not under the
 * lock). Only the command's and the worker's threads call this. */
static void
tui_lab_join(struct tui_lab *l)
{
	pthread_t	t;
	int		have;

	pthread_mutex_lock(&l->lock);
	have = l->have_thr && !l->running;
	t = l->thr;
	if (have)
		l->have_thr = 0;
	pthread_mutex_unlock(&l->lock);
	if (have)
		pthread_join(t, NULL);
}

/* Start a run in its own thread. */
int
tui_lab_run(struct tui_lab *l, enum install_dir dir, const char *only,
    char *msg, size_t msglen)
{
	struct install	*in;
	char		*sel = NULL, *cause = NULL;

	pthread_mutex_lock(&l->lock);
	if (l->running) {
		pthread_mutex_unlock(&l->lock);
		snprintf(msg, msglen, "a run is in progress");
		return -1;
	}
	pthread_mutex_unlock(&l->lock);
	tui_lab_join(l);
	pthread_mutex_lock(&l->lock);
	if (only == NULL)
		only = sel = tui_lab_selection(l, dir);
	pthread_mutex_unlock(&l->lock);
	in = tui_lab_install(l, dir, only, &cause);
	free(sel);
	if (in == NULL) {
		snprintf(msg, msglen, "%s", cause);
		free(cause);
		return -1;
	}
	pthread_mutex_lock(&l->lock);
	install_free(l->cur);
	l->cur = in;
	l->dir = dir;
	l->running = 1;
	l->run_start = time_mono_ms();
	l->have_thr = pthread_create(&l->thr, NULL, tui_lab_run_main, l) == 0;
	if (!l->have_thr)
		l->running = 0;
	pthread_mutex_unlock(&l->lock);
	snprintf(msg, msglen, "%s started", dir == INSTALL_UP ? "install" :
	    "uninstall");
	tui_lab_poke(l);
	return 0;
}

/* Cancel the running run. */
void
tui_lab_cancel(struct tui_lab *l)
{
	pthread_mutex_lock(&l->lock);
	if (l->running && l->cur != NULL)
		install_cancel(l->cur);
	pthread_mutex_unlock(&l->lock);
}

/* Does this lab drive runs and an engine? */
int
tui_lab_driving(struct tui_lab *l)
{
	return l->o.drive;
}

/* Is a run in progress? */
int
tui_lab_running(struct tui_lab *l)
{
	int	r;

	pthread_mutex_lock(&l->lock);
	r = l->running;
	pthread_mutex_unlock(&l->lock);
	return r;
}

/* Wait for the running run to end; its answer. */
int
tui_lab_wait(struct tui_lab *l)
{
	int	rc;

	pthread_mutex_lock(&l->lock);
	while (l->running)
		pthread_cond_wait(&l->cond, &l->lock);
	rc = l->run_rc;
	pthread_mutex_unlock(&l->lock);
	tui_lab_join(l);
	return rc;
}

/* Toggle a step's skip mark. */
int
tui_lab_skip(struct tui_lab *l, const char *step, char *msg, size_t msglen)
{
	struct tui_step	*st;

	pthread_mutex_lock(&l->lock);
	if (step == NULL || (st = tui_lab_step(l, step)) == NULL) {
		pthread_mutex_unlock(&l->lock);
		snprintf(msg, msglen, "no step '%s'", step != NULL ? step :
		    "");
		return -1;
	}
	st->skip = !st->skip;
	snprintf(msg, msglen, "%s: %s", step, st->skip ? "skipped in the "
	    "next run" : "selected again");
	pthread_mutex_unlock(&l->lock);
	tui_lab_poke(l);
	return 0;
}

/* ---- the engine ---- */

/* Make and start the engine for the lab's cluster (engine_lock held by
 * the caller is not needed: only this thread writes l->engine). */
static struct controller *
tui_lab_engine_make(struct tui_lab *l)
{
	struct controller_config	 cfg;
	struct eks_cluster		 cl;
	struct aws_error		 err;
	struct controller		*c;
	char				*cause = NULL;

	memset(&cl, 0, sizeof cl);
	memset(&err, 0, sizeof err);
	if (eks_describe_cluster(l->o.aws, l->o.lab->cluster.name, &cl,
	    &err) != 0) {
		log_msg(LOG_LEVEL_ERROR, "demo", "engine: cluster %s: %s",
		    l->o.lab->cluster.name, err.message != NULL ?
		    err.message : "DescribeCluster failed");
		aws_error_clear(&err);
		return NULL;
	}
	pthread_mutex_lock(&l->lock);
	tui_set(&l->vpc, cl.vpc.vpc_id);
	pthread_mutex_unlock(&l->lock);
	memset(&cfg, 0, sizeof cfg);
	cfg.account_id = l->o.account_id;
	cfg.cluster_name = l->o.lab->cluster.name;
	cfg.vpc_id = cl.vpc.vpc_id;
	cfg.default_sn = l->o.lab->controller.default_sn;
	cfg.workers = 2;
	cfg.requeue_pending_s = 1;
	cfg.resync_s = TUI_ENGINE_RESYNC_S;
	/* The CRDs were just made: forget discovery's older answers. */
	kube_discovery_invalidate(l->o.kc);
	if ((c = controller_new(l->o.kc, l->o.aws, &cfg, &cause)) == NULL ||
	    controller_start(c, TUI_ENGINE_SYNC_MS, &cause) != 0) {
		log_msg(LOG_LEVEL_ERROR, "demo", "engine: %s", cause);
		free(cause);
		controller_free(c);
		c = NULL;
	} else
		log_msg(LOG_LEVEL_INFO, "demo", "engine started for cluster "
		    "%s, VPC %s", cfg.cluster_name, cfg.vpc_id);
	eks_cluster_clear(&cl);
	return c;
}

/* The engine thread. */
static void *
tui_lab_engine_main(void *arg)
{
	struct tui_lab		*l = arg;
	struct controller	*c;
	int			 want;

	pthread_mutex_lock(&l->lock);
	while (!l->engine_stop) {
		want = l->engine_want;
		if (want == (l->engine != NULL) || (want && l->engine_want < 0)) {
			pthread_cond_wait(&l->cond, &l->lock);
			continue;
		}
		pthread_mutex_unlock(&l->lock);
		if (want) {
			c = tui_lab_engine_make(l);
			pthread_mutex_lock(&l->engine_lock);
			l->engine = c;
			pthread_mutex_unlock(&l->engine_lock);
			pthread_mutex_lock(&l->lock);
			if (c == NULL && ++l->engine_fails >= TUI_ENGINE_TRIES)
				l->engine_want = -1;	/* failed: not again */
			else if (c == NULL) {
				pthread_mutex_unlock(&l->lock);
				time_sleep_ms(TUI_ENGINE_RETRY_MS);
				pthread_mutex_lock(&l->lock);
			}
			pthread_cond_broadcast(&l->cond);
			pthread_mutex_unlock(&l->lock);
		} else {
			pthread_mutex_lock(&l->engine_lock);
			c = l->engine;
			l->engine = NULL;
			pthread_mutex_unlock(&l->engine_lock);
			controller_free(c);
			log_msg(LOG_LEVEL_INFO, "demo", "engine stopped");
		}
		tui_lab_poke(l);
		pthread_mutex_lock(&l->lock);
	}
	pthread_mutex_unlock(&l->lock);
	return NULL;
}

/* The running engine, held until tui_lab_engine_release. */
struct controller *
tui_lab_engine_hold(struct tui_lab *l)
{
	pthread_mutex_lock(&l->engine_lock);
	return l->engine;
}

/* Release the engine held. */
void
tui_lab_engine_release(struct tui_lab *l)
{
	pthread_mutex_unlock(&l->engine_lock);
}

/* Wait until the engine runs; 0 or -1 (timeout or it failed). */
int
tui_lab_wait_engine(struct tui_lab *l, uint64_t timeout_ms)
{
	uint64_t	end = time_mono_ms() + timeout_ms;
	int		rc = -1;

	while (time_mono_ms() < end) {
		pthread_mutex_lock(&l->engine_lock);
		rc = l->engine != NULL ? 0 : -1;
		pthread_mutex_unlock(&l->engine_lock);
		pthread_mutex_lock(&l->lock);
		if (l->engine_want < 0)
			end = 0;
		pthread_mutex_unlock(&l->lock);
		if (rc == 0)
			break;
		time_sleep_ms(100);
	}
	return rc;
}

/* The lab's cluster name. */
const char *
tui_lab_cluster(struct tui_lab *l)
{
	return l->o.lab->cluster.name;
}

/* The cluster's VPC once the engine looked it up, else the lab's. */
const char *
tui_lab_vpc(struct tui_lab *l)
{
	const char	*v;

	pthread_mutex_lock(&l->lock);
	v = l->vpc != NULL ? l->vpc : l->o.lab->cluster.vpc_id;
	pthread_mutex_unlock(&l->lock);
	return v;
}

/* ---- the snapshot ---- */

/* The UI state of an installer state. */
static enum ui_state
tui_lab_ui_state(enum install_state s)
{
	switch (s) {
	case INSTALL_PROGRESSING:
		return UI_STATE_PROGRESSING;
	case INSTALL_READY:
		return UI_STATE_OK;
	case INSTALL_FAILED:
		return UI_STATE_ERROR;
	default:
		return UI_STATE_NONE;
	}
}

/* Take the current run's log tails into the table (lock held). */
static void
tui_lab_logs(struct tui_lab *l)
{
	struct install_step_info	*v;
	struct tui_step			*st;
	size_t				 n, i, j;

	install_snapshot(l->cur, &v, &n);
	for (i = 0; i < n; i++) {
		if (!v[i].selected || v[i].n_log == 0 ||
		    (st = tui_lab_step(l, v[i].id)) == NULL)
			continue;
		for (j = 0; j < st->nlog; j++)
			free(st->log[j]);
		free(st->log);
		st->log = xcalloc(v[i].n_log, sizeof *st->log);
		for (j = 0; j < v[i].n_log; j++)
			st->log[j] = xstrdup(v[i].log[j]);
		st->nlog = v[i].n_log;
	}
	install_snapshot_free(v, n);
}

/* One step into a UI step. */
static void
tui_lab_ui_step(const struct tui_step *st, struct ui_step *u)
{
	size_t	j;

	memset(u, 0, sizeof *u);
	u->id = xstrdup(st->id);
	u->title = xstrdup(st->title);
	u->state = tui_lab_ui_state(st->state);
	u->skipped = st->skip || st->state == INSTALL_SKIPPED;
	u->reason = st->reason != NULL ? xstrdup(st->reason) : NULL;
	u->message = st->message != NULL ? xstrdup(st->message) : NULL;
	u->elapsed_ms = st->elapsed_ms;
	u->command = st->command != NULL ? xstrdup(st->command) : NULL;
	if (st->nlog > 0) {
		u->log = xcalloc(st->nlog, sizeof *u->log);
		for (j = 0; j < st->nlog; j++)
			u->log[j] = xstrdup(st->log[j]);
		u->nlog = st->nlog;
	}
}

/* Fill s->install from the steps. */
void
tui_lab_fill(struct tui_lab *l, struct ui_snapshot *s)
{
	struct ui_install	*ui = &s->install;
	size_t			 i, ready = 0;
	uint64_t		 ms;

	pthread_mutex_lock(&l->lock);
	tui_lab_logs(l);
	ui->present = 1;
	ui->running = l->running;
	ui->steps = xcalloc(l->nsteps > 0 ? l->nsteps : 1, sizeof *ui->steps);
	for (i = 0; i < l->nsteps; i++) {
		tui_lab_ui_step(&l->steps[i], &ui->steps[i]);
		ready += l->steps[i].state == INSTALL_READY;
	}
	ui->nsteps = l->nsteps;
	ms = l->running ? time_mono_ms() - l->run_start : l->run_ms;
	xasprintf(&ui->summary, "%zu/%zu ready%s, %.1f s", ready,
	    l->nsteps, l->dir == INSTALL_DOWN ? " (uninstall)" : "",
	    (double)ms / 1000.0);
	pthread_mutex_unlock(&l->lock);
}
