/* The UI's actions: checked on the UI thread (no I/O: verbs, read-only,
 * a run in progress), queued, and done on one worker thread: installer
 * runs, re-checks and dry runs, the lab's workloads, route deletion and
 * the doctor. Results go to the log view and the next snapshot.
 *
 * The Diagnose view is live: after the UI asks for a report (D on a
 * route, r in the view), the worker re-runs the same doctor every
 * TUI_DOCTOR_EVERY_MS while idle, for TUI_DOCTOR_LIVE_MS after that
 * request (the producer cannot see which view is open; asking again
 * renews the window), so the list turns green as links are fixed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "latticectl/doctor.h"
#include "latticectl/log.h"
#include "latticectl/strbuf.h"
#include "latticectl/timeutil.h"
#include "latticectl/xmalloc.h"

#include "tui_feed.h"

#define TUI_ACT_WORKLOADS	8
#define TUI_DOCTOR_EVERY_MS	10000	/* live re-run period */
#define TUI_DOCTOR_LIVE_MS	300000	/* for so long after a request */

struct tui_job {
	char		*verb;
	char		*target;
	struct tui_job	*next;
};

struct tui_act {
	struct tui_act_opts	 o;
	char			*s_ns;
	char			*s_gatewayclass;
	char			*s_cluster;
	char			*s_vpc;
	char			*s_account;
	pthread_mutex_t		 lock;
	pthread_cond_t		 cond;
	struct tui_job		*head;
	struct tui_job		*tail;
	int			 busy;
	int			 stop;
	int			 thr_on;
	pthread_t		 thr;
	struct tui_feed		*feed;
	int			 applied[TUI_ACT_WORKLOADS];
	cJSON			*doctor;
	unsigned		 failures;
	/* the live doctor (under lock) */
	char			*doc_target;	/* NULL: every route */
	uint64_t		 doc_asked;	/* mono ms of the request */
	uint64_t		 doc_next;	/* next re-run, mono ms */
	unsigned long		 doc_reruns;
};

/* Log a failure of verb and count it. */
static void
tui_act_fail(struct tui_act *a, const char *verb, const char *target,
    const char *why)
{
	log_msg(LOG_LEVEL_ERROR, "action", "%s %s: %s", verb, target != NULL ?
	    target : "", why);
	pthread_mutex_lock(&a->lock);
	a->failures++;
	pthread_mutex_unlock(&a->lock);
}

/* The index of workload id, or -1. */
static int
tui_act_workload(const char *id)
{
	const struct install_workload	*w = install_workloads();
	int				 i;

	for (i = 0; w[i].id != NULL && i < TUI_ACT_WORKLOADS; i++)
		if (id != NULL && strcmp(w[i].id, id) == 0)
			return i;
	return -1;
}

/* Before the Gateway: the lab's service network, then the engine
 * reloads its view of Lattice (it lists service networks at start). */
static int
tui_act_sn(struct tui_act *a, char **cause)
{
	struct controller	*ctl;
	int			 rc;

	if (a->o.aws == NULL || a->o.lab == NULL)
		return 0;
	if (tui_sn_ensure(a->o.aws, TUI_LAB_SN, tui_lab_vpc(a->o.lab),
	    cause) != 0)
		return -1;
	if ((ctl = tui_lab_engine_hold(a->o.lab)) != NULL &&
	    (rc = controller_resync(ctl, cause)) != 0) {
		log_msg(LOG_LEVEL_WARN, "action", "resync: %s", *cause);
		free(*cause);
		*cause = NULL;
	}
	tui_lab_engine_release(a->o.lab);
	return 0;
}

/* Apply or delete one workload. */
static void
tui_act_workload_one(struct tui_act *a, int del, int i)
{
	const struct install_workload	*w = &install_workloads()[i];
	char				*cause = NULL;
	int				 rc;

	if (del)
		rc = install_workload_delete(a->o.kc, w->id, a->o.ns, &cause);
	else if (strcmp(w->id, "gateway") == 0 && tui_act_sn(a, &cause) != 0)
		rc = -1;
	else
		rc = install_workload_apply(a->o.kc, w->id, a->o.ns,
		    a->o.gatewayclass, &cause);
	if (rc != 0) {
		tui_act_fail(a, del ? "workload.delete" : "workload.apply",
		    w->id, cause);
		free(cause);
		return;
	}
	log_msg(LOG_LEVEL_INFO, "action", "%s %s (%s)", del ? "deleted" :
	    "applied", w->id, w->title);
	pthread_mutex_lock(&a->lock);
	a->applied[i] = !del;
	pthread_mutex_unlock(&a->lock);
}

/* workload.apply / workload.delete (target NULL: all, in order; deletes
 * in reverse). */
static void
tui_act_workloads(struct tui_act *a, int del, const char *target)
{
	int	i, n;

	if (target != NULL) {
		tui_act_workload_one(a, del, tui_act_workload(target));
		return;
	}
	for (n = 0; install_workloads()[n].id != NULL; n++)
		;
	for (i = 0; i < n; i++)
		tui_act_workload_one(a, del, del ? n - 1 - i : i);
}

/* Which workloads exist (at start: the state file may hold some). */
static void
tui_act_workloads_look(struct tui_act *a)
{
	const struct install_workload	*w = install_workloads();
	char				*cause = NULL;
	int				 i, st;

	for (i = 0; w[i].id != NULL && i < TUI_ACT_WORKLOADS; i++) {
		st = install_workload_state(a->o.kc, w[i].id, a->o.ns, &cause);
		free(cause);
		cause = NULL;
		pthread_mutex_lock(&a->lock);
		a->applied[i] = st == 1;
		pthread_mutex_unlock(&a->lock);
	}
}

/* route.delete: target "Kind/ns/name". */
static void
tui_act_route_delete(struct tui_act *a, const char *target)
{
	const struct kube_resource	*base;
	struct kube_resource		 res;
	struct kube_error		 e = { 0 };
	char				 kind[64], ns[256], name[256];
	char				*cause = NULL;

	if (sscanf(target, "%63[^/]/%255[^/]/%255s", kind, ns, name) != 3) {
		tui_act_fail(a, "route.delete", target, "want Kind/ns/name");
		return;
	}
	base = strcmp(kind, "GRPCRoute") == 0 ? &KUBE_RES_GRPCROUTES :
	    strcmp(kind, "TLSRoute") == 0 ? &KUBE_RES_TLSROUTES :
	    &KUBE_RES_HTTPROUTES;
	if (kube_resource_resolve(a->o.kc, base, &res, &cause) != 0) {
		tui_act_fail(a, "route.delete", target, cause);
		free(cause);
		return;
	}
	if (kube_delete(a->o.kc, &res, ns, name, NULL, &e) != 0) {
		cause = kube_error_string(&e);
		kube_error_clear(&e);
		tui_act_fail(a, "route.delete", target, cause);
		free(cause);
		return;
	}
	log_msg(LOG_LEVEL_INFO, "action", "deleted %s", target);
}

/* doctor.run: every route, or the one named "Kind/ns/name". */
static void
tui_act_doctor(struct tui_act *a, const char *target)
{
	struct doctor_opts	 o;
	cJSON			*report = NULL;
	char			 kind[64], ns[256], name[256], route[330];
	char			*cause = NULL;

	memset(&o, 0, sizeof o);
	o.kc = a->o.kc;
	o.aws = a->o.aws;
	if (target != NULL && sscanf(target, "%63[^/]/%255[^/]/%255s", kind,
	    ns, name) == 3) {
		snprintf(route, sizeof route, "%s/%s", kind, name);
		o.route = route;
		o.ns = ns;
	}
	o.cluster_name = a->o.cluster_name;
	o.vpc_id = a->o.vpc_id;
	if (a->o.lab != NULL) {
		o.cluster_name = tui_lab_cluster(a->o.lab);
		o.vpc_id = tui_lab_vpc(a->o.lab);
	}
	o.account_id = a->o.account_id;
	if (doctor_run(&o, &report, &cause) != 0) {
		tui_act_fail(a, "doctor.run", target, cause);
		free(cause);
		return;
	}
	log_msg(LOG_LEVEL_INFO, "action", "doctor: %s",
	    doctor_exit_code(report) == 0 ? "all OK" : "problems found");
	pthread_mutex_lock(&a->lock);
	cJSON_Delete(a->doctor);
	a->doctor = report;
	pthread_mutex_unlock(&a->lock);
}

/* Log text line by line. */
static void
tui_act_log_text(const char *text)
{
	const char	*p = text, *nl;

	while (*p != '\0') {
		nl = strchr(p, '\n');
		log_msg(LOG_LEVEL_INFO, "plan", "%.*s", nl != NULL ?
		    (int)(nl - p) : (int)strlen(p), p);
		if (nl == NULL)
			break;
		p = nl + 1;
	}
}

/* install.* on the worker. */
static void
tui_act_install(struct tui_act *a, const char *verb, const char *target)
{
	struct strbuf	 text;
	char		 msg[512], *cause = NULL;
	int		 rc = 0;

	if (strcmp(verb, "install.run") == 0)
		rc = tui_lab_run(a->o.lab, INSTALL_UP, target, msg,
		    sizeof msg);
	else if (strcmp(verb, "install.undo") == 0) {
		tui_lab_cancel(a->o.lab);
		tui_lab_wait(a->o.lab);
		rc = tui_lab_run(a->o.lab, INSTALL_DOWN, target, msg,
		    sizeof msg);
		/* the uninstall removes the routes and Gateways too */
		if (rc == 0 && a->o.workloads) {
			tui_lab_wait(a->o.lab);
			tui_act_workloads_look(a);
		}
	} else if (strcmp(verb, "install.recheck") == 0) {
		if ((rc = tui_lab_recheck(a->o.lab, &cause)) != 0)
			snprintf(msg, sizeof msg, "%s", cause);
		else
			snprintf(msg, sizeof msg, "re-checked every step");
	} else if (strcmp(verb, "install.dryrun") == 0) {
		strbuf_init(&text);
		if ((rc = tui_lab_dryrun(a->o.lab, &text, &cause)) != 0)
			snprintf(msg, sizeof msg, "%s", cause);
		else {
			tui_act_log_text(text.buf);
			snprintf(msg, sizeof msg, "dry run: see the log");
		}
		strbuf_free(&text);
	}
	free(cause);
	if (rc != 0)
		tui_act_fail(a, verb, target, msg);
	else
		log_msg(LOG_LEVEL_INFO, "action", "%s", msg);
}

/* Do one job. */
static void
tui_act_do(struct tui_act *a, const struct tui_job *j)
{
	if (strncmp(j->verb, "install.", 8) == 0)
		tui_act_install(a, j->verb, j->target);
	else if (strcmp(j->verb, "workload.apply") == 0)
		tui_act_workloads(a, 0, j->target);
	else if (strcmp(j->verb, "workload.delete") == 0)
		tui_act_workloads(a, 1, j->target);
	else if (strcmp(j->verb, "workload.look") == 0)
		tui_act_workloads_look(a);
	else if (strcmp(j->verb, "route.delete") == 0)
		tui_act_route_delete(a, j->target);
	else if (strcmp(j->verb, "doctor.run") == 0)
		tui_act_doctor(a, j->target);
}

/* Note a UI request for a report of target: re-run it while live. */
static void
tui_act_doctor_ask(struct tui_act *a, const char *target)
{
	pthread_mutex_lock(&a->lock);
	free(a->doc_target);
	a->doc_target = target != NULL && *target != '\0' ? xstrdup(target) :
	    NULL;
	a->doc_asked = time_mono_ms();
	a->doc_next = a->doc_asked + TUI_DOCTOR_EVERY_MS;
	pthread_mutex_unlock(&a->lock);
}

/* Under the lock: ms until the next live doctor run (0: due now), or -1
 * when the live window is over (or none was asked for). */
static long
tui_act_doctor_wait(struct tui_act *a)
{
	uint64_t	now = time_mono_ms();

	if (a->doc_asked == 0 || now >= a->doc_asked + TUI_DOCTOR_LIVE_MS)
		return -1;
	return a->doc_next > now ? (long)(a->doc_next - now) : 0;
}

/* Under the lock: wait for a job, or until a live re-run is due; 1 when
 * one is due (no job queued). */
static int
tui_act_wait(struct tui_act *a)
{
	struct timespec	ts;
	long		ms;

	while (a->head == NULL && !a->stop) {
		if ((ms = tui_act_doctor_wait(a)) == 0)
			return 1;
		if (ms < 0) {
			pthread_cond_wait(&a->cond, &a->lock);
			continue;
		}
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += ms / 1000;
		ts.tv_nsec += (ms % 1000) * 1000000L;
		ts.tv_sec += ts.tv_nsec / 1000000000L;
		ts.tv_nsec %= 1000000000L;
		pthread_cond_timedwait(&a->cond, &a->lock, &ts);
	}
	return 0;
}

/* Under the lock (released meanwhile): re-run the live doctor. */
static void
tui_act_doctor_rerun(struct tui_act *a)
{
	char	*target = a->doc_target != NULL ? xstrdup(a->doc_target) :
		    NULL;

	a->busy = 1;
	a->doc_reruns++;
	pthread_mutex_unlock(&a->lock);
	tui_act_doctor(a, target);
	free(target);
	pthread_mutex_lock(&a->lock);
	a->doc_next = time_mono_ms() + TUI_DOCTOR_EVERY_MS;
	tui_feed_poke(a->feed);
	a->busy = 0;
	pthread_cond_broadcast(&a->cond);
}

/* The worker: one job at a time until stopped. */
static void *
tui_act_main(void *arg)
{
	struct tui_act	*a = arg;
	struct tui_job	*j;

	pthread_setname_np(pthread_self(), "tui-act");
	pthread_mutex_lock(&a->lock);
	for (;;) {
		if (tui_act_wait(a)) {
			tui_act_doctor_rerun(a);
			continue;
		}
		if (a->stop)
			break;
		j = a->head;
		if ((a->head = j->next) == NULL)
			a->tail = NULL;
		a->busy = 1;
		pthread_mutex_unlock(&a->lock);
		tui_act_do(a, j);
		free(j->verb);
		free(j->target);
		free(j);
		pthread_mutex_lock(&a->lock);
		if (a->doc_asked != 0 && tui_act_doctor_wait(a) >= 0 &&
		    a->doc_next < time_mono_ms() + TUI_DOCTOR_EVERY_MS / 2)
			a->doc_next = time_mono_ms() + TUI_DOCTOR_EVERY_MS / 2;
		tui_feed_poke(a->feed);
		a->busy = 0;
		pthread_cond_broadcast(&a->cond);
	}
	pthread_mutex_unlock(&a->lock);
	return NULL;
}

/* Queue an action (no checks). */
int
tui_act_queue(struct tui_act *a, const char *verb, const char *target)
{
	struct tui_job	*j = xcalloc(1, sizeof *j);

	j->verb = xstrdup(verb);
	j->target = target != NULL && *target != '\0' ? xstrdup(target) :
	    NULL;
	pthread_mutex_lock(&a->lock);
	if (a->tail != NULL)
		a->tail->next = j;
	else
		a->head = j;
	a->tail = j;
	pthread_cond_broadcast(&a->cond);
	pthread_mutex_unlock(&a->lock);
	return 0;
}

/* Wait until the queue is empty and the worker idle. */
void
tui_act_drain(struct tui_act *a)
{
	pthread_mutex_lock(&a->lock);
	while ((a->head != NULL || a->busy) && !a->stop)
		pthread_cond_wait(&a->cond, &a->lock);
	pthread_mutex_unlock(&a->lock);
}

/* Is the attached feed read-only? */
static int
tui_act_readonly(struct tui_act *a)
{
	int	ro;

	pthread_mutex_lock(&a->lock);
	ro = tui_feed_readonly(a->feed);
	pthread_mutex_unlock(&a->lock);
	return ro;
}

/* Does verb write (refused when read-only)? */
static int
tui_act_writes(const char *verb)
{
	return strcmp(verb, "install.recheck") != 0 &&
	    strcmp(verb, "install.dryrun") != 0 &&
	    strcmp(verb, "doctor.run") != 0;
}

/* Refuse with a reason. */
static int
tui_act_refuse(char *msg, size_t msglen, const char *why)
{
	snprintf(msg, msglen, "%s", why);
	return -1;
}

/* Check an install.* verb on the UI thread; 1 done here, 0 queue it, -1
 * refused. */
static int
tui_act_ui_install(struct tui_act *a, const char *verb, const char *target,
    char *msg, size_t msglen)
{
	if (a->o.lab == NULL)
		return tui_act_refuse(msg, msglen, "no installer here "
		    "(`latticectl tui --lab FILE` observes one)");
	if (strcmp(verb, "install.recheck") == 0 ||
	    strcmp(verb, "install.dryrun") == 0)
		return 0;
	if (!a->o.drive)
		return tui_act_refuse(msg, msglen, "the installer is observed "
		    "read-only here: run `latticectl install --config FILE`");
	if (strcmp(verb, "install.skip") == 0)
		return tui_lab_skip(a->o.lab, target, msg, msglen) == 0 ? 1 :
		    -1;
	if (strcmp(verb, "install.run") == 0 && tui_lab_running(a->o.lab))
		return tui_act_refuse(msg, msglen, "a run is in progress");
	if (strcmp(verb, "install.run") == 0 ||
	    strcmp(verb, "install.undo") == 0)
		return 0;
	return tui_act_refuse(msg, msglen, "unknown installer action");
}

/* The ui_action_fn: check, queue, return at once. */
int
tui_act_ui(void *arg, const char *verb, const char *target, char *msg,
    size_t msglen)
{
	struct tui_act	*a = arg;
	int		 rc;

	if (verb == NULL)
		return tui_act_refuse(msg, msglen, "no action");
	if (tui_act_writes(verb) && tui_act_readonly(a))
		return tui_act_refuse(msg, msglen, "read-only");
	if (strncmp(verb, "install.", 8) == 0) {
		if ((rc = tui_act_ui_install(a, verb, target, msg,
		    msglen)) != 0)
			return rc > 0 ? 0 : -1;
	} else if (strncmp(verb, "workload.", 9) == 0) {
		if (!a->o.workloads)
			return tui_act_refuse(msg, msglen, "the lab's workloads "
			    "are applied by `latticectl demo`");
		if (target != NULL && tui_act_workload(target) < 0)
			return tui_act_refuse(msg, msglen, "unknown workload");
		if (strcmp(verb, "workload.apply") != 0 &&
		    strcmp(verb, "workload.delete") != 0)
			return tui_act_refuse(msg, msglen, "unknown action");
	} else if (strcmp(verb, "route.delete") == 0) {
		if (target == NULL)
			return tui_act_refuse(msg, msglen, "which route?");
	} else if (strcmp(verb, "doctor.run") != 0)
		return tui_act_refuse(msg, msglen, "unknown action");
	tui_act_queue(a, verb, target);
	if (strcmp(verb, "doctor.run") == 0)
		tui_act_doctor_ask(a, target);
	snprintf(msg, msglen, "queued: %s%s%s", verb, target != NULL ? " " :
	    "", target != NULL ? target : "");
	return 0;
}

/* strdup that keeps NULL. */
static char *
tui_act_dup(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

/* Start the worker. */
struct tui_act *
tui_act_start(const struct tui_act_opts *o)
{
	struct tui_act	*a = xcalloc(1, sizeof *a);

	a->o = *o;
	a->o.ns = a->s_ns = xstrdup(o->ns != NULL ? o->ns : "default");
	a->o.gatewayclass = a->s_gatewayclass = tui_act_dup(o->gatewayclass);
	a->o.cluster_name = a->s_cluster = tui_act_dup(o->cluster_name);
	a->o.vpc_id = a->s_vpc = tui_act_dup(o->vpc_id);
	a->o.account_id = a->s_account = tui_act_dup(o->account_id);
	pthread_mutex_init(&a->lock, NULL);
	pthread_cond_init(&a->cond, NULL);
	a->thr_on = pthread_create(&a->thr, NULL, tui_act_main, a) == 0;
	if (o->workloads)
		tui_act_queue(a, "workload.look", NULL);
	return a;
}

/* Stop the worker (a job in progress finishes) and free. */
void
tui_act_stop(struct tui_act *a)
{
	struct tui_job	*j;

	if (a == NULL)
		return;
	pthread_mutex_lock(&a->lock);
	a->stop = 1;
	pthread_cond_broadcast(&a->cond);
	pthread_mutex_unlock(&a->lock);
	if (a->thr_on)
		pthread_join(a->thr, NULL);
	while ((j = a->head) != NULL) {
		a->head = j->next;
		free(j->verb);
		free(j->target);
		free(j);
	}
	cJSON_Delete(a->doctor);
	if (a->doc_reruns > 0)
		log_msg(LOG_LEVEL_INFO, "action", "doctor: %lu live re-runs",
		    a->doc_reruns);
	free(a->doc_target);
	free(a->s_ns);
	free(a->s_gatewayclass);
	free(a->s_cluster);
	free(a->s_vpc);
	free(a->s_account);
	pthread_mutex_destroy(&a->lock);
	pthread_cond_destroy(&a->cond);
	free(a);
}

/* Poke this feed after every job. */
void
tui_act_set_feed(struct tui_act *a, struct tui_feed *f)
{
	pthread_mutex_lock(&a->lock);
	a->feed = f;
	pthread_mutex_unlock(&a->lock);
}

/* Fill s->workloads and s->doctor. */
void
tui_act_fill(struct tui_act *a, struct ui_snapshot *s)
{
	const struct install_workload	*w = install_workloads();
	size_t				 i, n = 0;

	pthread_mutex_lock(&a->lock);
	if (a->o.workloads) {
		while (w[n].id != NULL && n < TUI_ACT_WORKLOADS)
			n++;
		s->workloads = xcalloc(n, sizeof *s->workloads);
		for (i = 0; i < n; i++) {
			s->workloads[i].id = xstrdup(w[i].id);
			s->workloads[i].title = xstrdup(w[i].title);
			s->workloads[i].applied = a->applied[i];
		}
		s->nworkloads = n;
	}
	if (a->doctor != NULL)
		s->doctor = cJSON_Duplicate(a->doctor, 1);
	pthread_mutex_unlock(&a->lock);
}

/* Failures so far. */
unsigned
tui_act_failures(struct tui_act *a)
{
	unsigned	n;

	pthread_mutex_lock(&a->lock);
	n = a->failures;
	pthread_mutex_unlock(&a->lock);
	return n;
}
