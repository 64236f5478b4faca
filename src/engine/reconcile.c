/* reconcile: workers, rate-limited requeues, resync and the leader gate
 * over the work queue (queue.c). */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define LOG_MODULE "reconcile"
#include "latticectl/error.h"
#include "latticectl/log.h"
#include "latticectl/metrics.h"
#include "latticectl/rand.h"
#include "latticectl/reconcile.h"
#include "latticectl/tbucket.h"
#include "latticectl/timeutil.h"
#include "latticectl/xmalloc.h"
#include "queue_int.h"

struct rworker {
	struct reconciler	*r;
	pthread_t		 tid;
	struct wq_item		*cur;		/* running item, or NULL */
	uint64_t		 started_ms;
};

/* The reconciler's series (NULL without a registry). */
struct rmetrics {
	struct metric	*total;
	struct metric	*errors;
	struct metric	*time;
	struct metric	*active;
	struct metric	*max;
	struct metric	*depth;
	struct metric	*adds;
	struct metric	*retries;
	struct metric	*longest;
	struct metric	*unfinished;
	unsigned	 collector;
};

struct reconciler {
	char			*name;
	struct reconcile_opts	 o;
	pthread_mutex_t		 mu;
	pthread_cond_t		 work;	/* workers wait here for keys */
	pthread_cond_t		 gatec;	/* and here for the gate */
	pthread_cond_t		 timer;	/* the timer thread waits here */
	pthread_cond_t		 idle;	/* reconcile_wait_idle waits here */
	struct wq		 q;
	struct tbucket		 bucket;
	struct rworker		*w;
	unsigned		 nw;
	pthread_t		 timer_tid;
	int			 started;
	int			 stopping;
	int			 drain;
	int			 joined;
	unsigned		 gate_gen;
	int			 gate_open;
	struct reconcile_stats	 st;	/* the counters */
	uint64_t		 by_result[4];	/* per outcome */
	struct rmetrics		 m;
};

static const double reconcile_buckets[] = {
	0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60
};

/* base * 2^failures capped at max, without overflowing. */
uint64_t
reconcile_backoff_ms(uint64_t base, uint64_t max, unsigned failures)
{
	if (base == 0)
		return 0;
	if (failures >= 63 || base > (max >> failures))
		return max;
	return base << failures;
}

/* Parse an unsigned environment variable; 1 when set, -1 when bad. */
static int
reconcile_env_uint(const char *var, unsigned long max, unsigned long *out,
    char **cause)
{
	const char	*s = getenv(var);
	char		*end;

	if (s == NULL || *s == '\0')
		return 0;
	errno = 0;
	*out = strtoul(s, &end, 10);
	if (*s == '-' || *end != '\0' || errno != 0 || *out > max)
		return error_set(cause, "%s=%s: want a number from 0 to %lu",
		    var, s, max);
	return 1;
}

/* Workers and resync period from upstream's environment variables. */
int
reconcile_opts_env(struct reconcile_opts *o, char **cause)
{
	unsigned long	v;
	int		r;

	if ((r = reconcile_env_uint(RECONCILE_ENV_WORKERS,
	    RECONCILE_WORKERS_MAX, &v, cause)) < 0)
		return -1;
	if (r > 0 && v > 0)
		o->workers = (unsigned)v;
	if ((r = reconcile_env_uint(RECONCILE_ENV_RESYNC, 31536000UL, &v,
	    cause)) < 0)
		return -1;
	if (r > 0 && v > 0 && v < RECONCILE_RESYNC_MIN_S) {
		log_warn("%s=%lu is below %d s; using %d s",
		    RECONCILE_ENV_RESYNC, v, RECONCILE_RESYNC_MIN_S,
		    RECONCILE_RESYNC_MIN_S);
		v = RECONCILE_RESYNC_MIN_S;
	}
	if (r > 0)
		o->resync_ms = (uint64_t)v * 1000;
	return 0;
}

/* Register the reconciler's series. */
static void
reconcile_metrics_register(struct reconciler *r, struct metrics *m)
{
	static const char *const lc[] = { "controller", NULL };
	static const char *const lcr[] = { "controller", "result", NULL };
	static const char *const ln[] = { "name", NULL };

	r->m.total = metrics_counter(m, "controller_runtime_reconcile_total",
	    "Total number of reconciliations per controller.", lcr);
	r->m.errors = metrics_counter(m,
	    "controller_runtime_reconcile_errors_total",
	    "Total number of reconciliation errors per controller.", lc);
	r->m.time = metrics_histogram(m,
	    "controller_runtime_reconcile_time_seconds",
	    "Length of time per reconciliation per controller.", lc,
	    reconcile_buckets,
	    sizeof reconcile_buckets / sizeof reconcile_buckets[0]);
	r->m.active = metrics_gauge(m, "controller_runtime_active_workers",
	    "Number of currently used workers per controller.", lc);
	r->m.max = metrics_gauge(m,
	    "controller_runtime_max_concurrent_reconciles",
	    "Maximum number of concurrent reconciles per controller.", lc);
	r->m.depth = metrics_gauge(m, "workqueue_depth",
	    "Current depth of workqueue.", ln);
	r->m.adds = metrics_counter(m, "workqueue_adds_total",
	    "Total number of adds handled by workqueue.", ln);
	r->m.retries = metrics_counter(m, "workqueue_retries_total",
	    "Total number of retries handled by workqueue.", ln);
	r->m.longest = metrics_gauge(m,
	    "workqueue_longest_running_processor_seconds",
	    "How many seconds has the longest running processor for "
	    "workqueue been running.", ln);
	r->m.unfinished = metrics_gauge(m, "workqueue_unfinished_work_seconds",
	    "How many seconds of work has been done that is in progress and "
	    "hasn't been observed by work_duration.", ln);
}

/* A new reconciler (not started). */
struct reconciler *
reconcile_new(const struct reconcile_opts *o)
{
	struct reconciler	*r = xcalloc(1, sizeof *r);
	pthread_condattr_t	 ca;

	r->o = *o;
	r->name = xstrdup(o->name != NULL ? o->name : "reconcile");
	r->o.name = r->name;
	if (r->o.workers == 0)
		r->o.workers = 1;
	if (r->o.workers > RECONCILE_WORKERS_MAX)
		r->o.workers = RECONCILE_WORKERS_MAX;
	if (r->o.base_delay_ms == 0)
		r->o.base_delay_ms = RECONCILE_BASE_DELAY_MS;
	if (r->o.max_delay_ms == 0)
		r->o.max_delay_ms = RECONCILE_MAX_DELAY_MS;
	if (r->o.qps == 0)
		r->o.qps = RECONCILE_QPS;
	if (r->o.burst == 0)
		r->o.burst = RECONCILE_BURST;
	tbucket_init(&r->bucket, r->o.qps > 0 ? r->o.qps : -1, r->o.burst);
	pthread_mutex_init(&r->mu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&r->work, &ca);
	pthread_cond_init(&r->gatec, &ca);
	pthread_cond_init(&r->timer, &ca);
	pthread_cond_init(&r->idle, &ca);
	pthread_condattr_destroy(&ca);
	wq_init(&r->q);
	r->gate_open = r->o.gate == NULL;
	if (r->o.metrics != NULL)
		reconcile_metrics_register(r, r->o.metrics);
	return r;
}

/* The reconciler's name. */
const char *
reconcile_name(const struct reconciler *r)
{
	return r->name;
}

/* An absolute CLOCK_MONOTONIC time at monotonic ms. */
static struct timespec
reconcile_abstime(uint64_t ms)
{
	struct timespec	ts;

	ts.tv_sec = (time_t)(ms / 1000);
	ts.tv_nsec = (long)(ms % 1000) * 1000000L;
	return ts;
}

/* The rate limiter's delay for an item (counts a requeue and a failure). */
static uint64_t
reconcile_when(struct reconciler *r, struct wq_item *it)
{
	uint64_t	d, b = 0;

	d = reconcile_backoff_ms(r->o.base_delay_ms, r->o.max_delay_ms,
	    it->failures);
	if (r->o.qps > 0)
		b = tbucket_reserve(&r->bucket);
	if (it->failures < UINT32_MAX)
		it->failures++;
	it->last_delay_ms = d > b ? d : b;
	r->st.requeues++;
	return it->last_delay_ms;
}

/* Queue an item now (lock held). */
static void
reconcile_enqueue(struct reconciler *r, struct wq_item *it)
{
	int	was = it->queued;

	if (wq_add(&r->q, it))
		pthread_cond_signal(&r->work);
	if (was)
		r->st.deduped++;
	else
		r->st.adds++;
}

/* Schedule an item's delayed add (lock held); 0 ms queues it now. */
static void
reconcile_delay(struct reconciler *r, struct wq_item *it, uint64_t ms,
    int resync)
{
	if (r->stopping)
		return;
	if (ms == 0 && !resync) {
		reconcile_enqueue(r, it);
		return;
	}
	if (wq_delay(&r->q, it, time_mono_ms() + ms, resync))
		pthread_cond_signal(&r->timer);
}

/* Queue key now. */
void
reconcile_add(struct reconciler *r, const char *key)
{
	pthread_mutex_lock(&r->mu);
	if (!r->stopping)
		reconcile_enqueue(r, wq_item(&r->q, key, 1));
	pthread_mutex_unlock(&r->mu);
}

/* Queue key after ms. */
void
reconcile_add_after(struct reconciler *r, const char *key, uint64_t ms)
{
	struct wq_item	*it;

	pthread_mutex_lock(&r->mu);
	if (!r->stopping) {
		it = wq_item(&r->q, key, 1);
		if (!it->known) {
			it->known = 1;
			r->q.nknown++;
		}
		reconcile_delay(r, it, ms, 0);
	}
	pthread_mutex_unlock(&r->mu);
}

/* Queue key after the rate limiter's delay. */
void
reconcile_add_rate_limited(struct reconciler *r, const char *key)
{
	struct wq_item	*it;

	pthread_mutex_lock(&r->mu);
	if (!r->stopping) {
		it = wq_item(&r->q, key, 1);
		if (!it->known) {
			it->known = 1;
			r->q.nknown++;
		}
		reconcile_delay(r, it, reconcile_when(r, it), 0);
	}
	pthread_mutex_unlock(&r->mu);
}

/* Forget a key's failures, resync membership and delayed add. */
void
reconcile_forget(struct reconciler *r, const char *key)
{
	struct wq_item	*it;

	pthread_mutex_lock(&r->mu);
	if ((it = wq_item(&r->q, key, 0)) != NULL) {
		if (it->known) {
			it->known = 0;
			r->q.nknown--;
		}
		it->failures = 0;
		wq_undelay(&r->q, it);
		wq_release(&r->q, it);
		pthread_cond_broadcast(&r->idle);
	}
	pthread_mutex_unlock(&r->mu);
}

/* wq_each callback: queue a known item. */
static void
reconcile_resync_one(void *arg, struct wq_item *it)
{
	struct reconciler	*r = arg;

	if (!it->known)
		return;
	r->st.resyncs++;
	reconcile_enqueue(r, it);
}

/* Queue every known key. */
void
reconcile_resync(struct reconciler *r)
{
	pthread_mutex_lock(&r->mu);
	if (!r->stopping)
		wq_each(&r->q, reconcile_resync_one, r);
	pthread_mutex_unlock(&r->mu);
}

/* Wake the workers to ask the gate again. */
void
reconcile_gate_changed(struct reconciler *r)
{
	pthread_mutex_lock(&r->mu);
	r->gate_gen++;
	pthread_cond_broadcast(&r->gatec);
	pthread_mutex_unlock(&r->mu);
}

/* Ask the gate without the lock; 1 open (lock held on entry and exit). */
static int
reconcile_ask_gate(struct reconciler *r)
{
	int	ok;

	if (r->o.gate == NULL)
		return 1;
	pthread_mutex_unlock(&r->mu);
	ok = r->o.gate(r->o.gate_arg) != 0;
	pthread_mutex_lock(&r->mu);
	r->gate_open = ok;
	return ok;
}

/* Wait until there is work the gate allows (lock held); 0 when the
 * worker must exit instead. */
static int
reconcile_wait_work(struct reconciler *r)
{
	unsigned	gen;

	for (;;) {
		if (r->stopping && (!r->drain || r->q.nready == 0))
			return 0;
		if (r->q.nready == 0) {
			pthread_cond_wait(&r->work, &r->mu);
			continue;
		}
		gen = r->gate_gen;
		if (reconcile_ask_gate(r)) {
			if (r->q.nready > 0)
				return 1;
			continue;
		}
		if (r->stopping)
			return 0;
		while (!r->stopping && r->gate_gen == gen)
			pthread_cond_wait(&r->gatec, &r->mu);
	}
}

/* Apply a run's outcome to its item (lock held). */
static void
reconcile_outcome(struct reconciler *r, struct wq_item *it,
    enum reconcile_outcome oc, uint64_t after)
{
	int		dirty = it->queued;
	uint64_t	d;

	switch (oc) {
	case RECONCILE_DONE:
		it->failures = 0;
		if (r->o.resync_ms > 0 && !dirty && it->known) {
			d = r->o.resync_ms + rand_below(r->o.resync_ms *
			    RECONCILE_RESYNC_JITTER_PCT / 100 + 1);
			reconcile_delay(r, it, d, 1);
		}
		break;
	case RECONCILE_REQUEUE:
		if (after > 0)
			it->failures = 0;
		d = after > 0 ? after : reconcile_when(r, it);
		if (!dirty)
			reconcile_delay(r, it, d, 0);
		break;
	case RECONCILE_ERROR:
		r->st.errors++;
		d = reconcile_when(r, it);
		if (!dirty)
			reconcile_delay(r, it, d, 0);
		break;
	case RECONCILE_GONE:
		if (it->known && !dirty) {	/* re-added: known again */
			it->known = 0;
			r->q.nknown--;
		}
		it->failures = 0;
		wq_undelay(&r->q, it);
		break;
	}
}

/* The result label of an outcome. */
static const char *
reconcile_result_label(enum reconcile_outcome oc, uint64_t after)
{
	switch (oc) {
	case RECONCILE_ERROR:
		return "error";
	case RECONCILE_REQUEUE:
		return after > 0 ? "requeue_after" : "requeue";
	default:
		return "success";
	}
}

/* Index into by_result for an outcome. */
static int
reconcile_result_index(enum reconcile_outcome oc, uint64_t after)
{
	if (oc == RECONCILE_ERROR)
		return 1;
	if (oc == RECONCILE_REQUEUE)
		return after > 0 ? 3 : 2;
	return 0;
}

/* Book-keeping after a run (lock held). */
static void
reconcile_finish(struct reconciler *r, struct rworker *w, struct wq_item *it,
    enum reconcile_outcome oc, uint64_t after, char *cause)
{
	it->last_duration_ms = time_mono_ms() - w->started_ms;
	free(it->last_error);
	it->last_error = cause;
	w->cur = NULL;
	r->st.processed++;
	r->st.processing--;
	r->by_result[reconcile_result_index(oc, after)]++;
	if (r->stopping && !r->drain)
		it->queued = 0;
	reconcile_outcome(r, it, oc, after);
	if (wq_done(&r->q, it))
		pthread_cond_signal(&r->work);
	wq_release(&r->q, it);
	pthread_cond_broadcast(&r->idle);
}

/* Call the reconcile function for a key and log the outcome. */
static enum reconcile_outcome
reconcile_run(struct reconciler *r, const char *key, uint64_t *after,
    char **cause)
{
	enum reconcile_outcome	oc;

	*after = 0;
	*cause = NULL;
	oc = r->o.fn(r->o.arg, key, after, cause);
	if (oc == RECONCILE_ERROR)
		log_info("%s %s: %s", r->name, key, *cause != NULL ? *cause :
		    "error");
	else
		log_debug("%s %s: %s", r->name, key,
		    reconcile_result_label(oc, *after));
	return oc;
}

/* A worker thread. */
static void *
reconcile_worker(void *arg)
{
	struct rworker		*w = arg;
	struct reconciler	*r = w->r;
	struct wq_item		*it;
	enum reconcile_outcome	 oc;
	uint64_t		 after, t0;
	char			*cause, *key;
	const char		*lv[2];

	pthread_mutex_lock(&r->mu);
	while (reconcile_wait_work(r)) {
		it = wq_pop(&r->q);
		w->cur = it;
		w->started_ms = t0 = time_mono_ms();
		r->st.processing++;
		key = xstrdup(it->key);
		pthread_mutex_unlock(&r->mu);
		oc = reconcile_run(r, key, &after, &cause);
		lv[0] = r->name;
		lv[1] = reconcile_result_label(oc, after);
		metric_observe(r->m.time, lv, (double)(time_mono_ms() - t0) /
		    1000.0);
		free(key);
		pthread_mutex_lock(&r->mu);
		reconcile_finish(r, w, it, oc, after, cause);
	}
	pthread_mutex_unlock(&r->mu);
	return NULL;
}

/* The timer thread: moves due delayed adds to the queue. */
static void *
reconcile_timer(void *arg)
{
	struct reconciler	*r = arg;
	struct timespec		 ts;
	uint64_t		 next;
	size_t			 n, rs;

	pthread_mutex_lock(&r->mu);
	while (!r->stopping) {
		n = wq_fire(&r->q, time_mono_ms(), &rs);
		r->st.adds += n;
		r->st.resyncs += rs;
		if (n == 1)
			pthread_cond_signal(&r->work);
		else if (n > 1)
			pthread_cond_broadcast(&r->work);
		if ((next = wq_next_due(&r->q)) == UINT64_MAX)
			pthread_cond_wait(&r->timer, &r->mu);
		else {
			ts = reconcile_abstime(next);
			pthread_cond_timedwait(&r->timer, &r->mu, &ts);
		}
	}
	pthread_mutex_unlock(&r->mu);
	return NULL;
}

/* The collector: mirror the counters into the registry. */
static void
reconcile_collect(void *arg)
{
	static const char *const results[] = { "success", "error", "requeue",
	    "requeue_after" };
	struct reconciler	*r = arg;
	struct reconcile_stats	 st;
	uint64_t		 by[4];
	const char		*lv[2];
	int			 i;

	reconcile_stats(r, &st);
	pthread_mutex_lock(&r->mu);
	memcpy(by, r->by_result, sizeof by);
	pthread_mutex_unlock(&r->mu);
	lv[0] = r->name;
	for (i = 0; i < 4; i++) {
		lv[1] = results[i];
		metric_set(r->m.total, lv, (double)by[i]);
	}
	metric_set(r->m.errors, lv, (double)st.errors);
	metric_set(r->m.active, lv, (double)st.processing);
	metric_set(r->m.max, lv, (double)st.workers);
	metric_set(r->m.depth, lv, (double)st.depth);
	metric_set(r->m.adds, lv, (double)st.adds);
	metric_set(r->m.retries, lv, (double)st.requeues);
	metric_set(r->m.longest, lv, (double)st.longest_running_ms / 1000.0);
	metric_set(r->m.unfinished, lv, (double)st.unfinished_ms / 1000.0);
}

/* Start the timer and workers. */
int
reconcile_start(struct reconciler *r, char **cause)
{
	unsigned	i;

	if (r->o.fn == NULL)
		return error_set(cause, "%s: no reconcile function", r->name);
	if (r->started)
		return error_set(cause, "%s: already started", r->name);
	r->w = xcalloc(r->o.workers, sizeof *r->w);
	if (pthread_create(&r->timer_tid, NULL, reconcile_timer, r) != 0)
		return error_set(cause, "%s: cannot start the timer thread",
		    r->name);
	r->started = 1;
	for (i = 0; i < r->o.workers; i++) {
		r->w[i].r = r;
		if (pthread_create(&r->w[i].tid, NULL, reconcile_worker,
		    &r->w[i]) != 0) {
			reconcile_stop(r, RECONCILE_STOP_NOW);
			return error_set(cause, "%s: cannot start worker %u",
			    r->name, i);
		}
		r->nw++;
	}
	if (r->o.metrics != NULL)
		r->m.collector = metrics_add_collector(r->o.metrics,
		    reconcile_collect, r);
	return 0;
}

/* Stop the threads and wait for them. */
void
reconcile_stop(struct reconciler *r, enum reconcile_stop how)
{
	unsigned	i;
	int		join;

	pthread_mutex_lock(&r->mu);
	if (!r->stopping)
		r->drain = how == RECONCILE_STOP_DRAIN;
	else if (how == RECONCILE_STOP_NOW)
		r->drain = 0;
	r->stopping = 1;
	if (!r->drain)
		wq_clear_ready(&r->q);
	join = r->started && !r->joined;
	r->joined = 1;
	pthread_cond_broadcast(&r->work);
	pthread_cond_broadcast(&r->gatec);
	pthread_cond_broadcast(&r->timer);
	pthread_cond_broadcast(&r->idle);
	pthread_mutex_unlock(&r->mu);
	if (!join)
		return;
	pthread_join(r->timer_tid, NULL);
	for (i = 0; i < r->nw; i++)
		pthread_join(r->w[i].tid, NULL);
	log_debug("%s: stopped", r->name);
}

/* Stop and free. */
void
reconcile_free(struct reconciler *r)
{
	if (r == NULL)
		return;
	if (r->o.metrics != NULL && r->m.collector != 0)
		metrics_remove_collector(r->o.metrics, r->m.collector);
	reconcile_stop(r, RECONCILE_STOP_NOW);
	wq_free(&r->q);
	tbucket_free(&r->bucket);
	pthread_cond_destroy(&r->work);
	pthread_cond_destroy(&r->gatec);
	pthread_cond_destroy(&r->timer);
	pthread_cond_destroy(&r->idle);
	pthread_mutex_destroy(&r->mu);
	free(r->w);
	free(r->name);
	free(r);
}

/* Whether nothing is queued, running or waiting for a retry. */
static int
reconcile_is_idle(const struct reconciler *r)
{
	return r->q.nready == 0 && r->st.processing == 0 && r->q.nretry == 0;
}

/* Wait until idle or timeout. */
int
reconcile_wait_idle(struct reconciler *r, uint64_t timeout_ms)
{
	struct timespec	ts = reconcile_abstime(time_mono_ms() + timeout_ms);
	int		rc = 0;

	pthread_mutex_lock(&r->mu);
	while (!reconcile_is_idle(r)) {
		if (pthread_cond_timedwait(&r->idle, &r->mu, &ts) ==
		    ETIMEDOUT) {
			rc = reconcile_is_idle(r) ? 0 : -1;
			break;
		}
	}
	pthread_mutex_unlock(&r->mu);
	return rc;
}

/* Counters and gauges. */
void
reconcile_stats(struct reconciler *r, struct reconcile_stats *st)
{
	uint64_t	now = time_mono_ms(), age;
	unsigned	i;

	pthread_mutex_lock(&r->mu);
	*st = r->st;
	st->depth = r->q.nready;
	st->waiting = r->q.nheap;
	st->known = r->q.nknown;
	st->workers = r->o.workers;
	st->gate_open = r->gate_open;
	st->running = r->started && !r->stopping;
	st->longest_running_ms = st->unfinished_ms = 0;
	for (i = 0; i < r->nw; i++) {
		if (r->w[i].cur == NULL)
			continue;
		age = now - r->w[i].started_ms;
		st->unfinished_ms += age;
		if (age > st->longest_running_ms)
			st->longest_running_ms = age;
	}
	pthread_mutex_unlock(&r->mu);
}

/* Consecutive failures of a key. */
unsigned
reconcile_failures(struct reconciler *r, const char *key)
{
	struct wq_item	*it;
	unsigned	 n;

	pthread_mutex_lock(&r->mu);
	it = wq_item(&r->q, key, 0);
	n = it != NULL ? it->failures : 0;
	pthread_mutex_unlock(&r->mu);
	return n;
}

struct reconcile_snap {
	struct reconcile_key	*v;
	size_t			 n;
	uint64_t		 now;
};

/* wq_each callback: copy one item's state. */
static void
reconcile_snap_one(void *arg, struct wq_item *it)
{
	struct reconcile_snap	*s = arg;
	struct reconcile_key	*k = &s->v[s->n++];

	k->key = xstrdup(it->key);
	if (it->processing)
		k->state = RECONCILE_KEY_PROCESSING;
	else if (it->queued)
		k->state = RECONCILE_KEY_QUEUED;
	else if (it->heap_idx != WQ_NO_HEAP)
		k->state = RECONCILE_KEY_WAITING;
	else
		k->state = RECONCILE_KEY_IDLE;
	if (it->heap_idx != WQ_NO_HEAP && it->due_ms > s->now)
		k->due_in_ms = it->due_ms - s->now;
	k->failures = it->failures;
	k->last_delay_ms = it->last_delay_ms;
	k->last_duration_ms = it->last_duration_ms;
	k->last_error = xstrdup_or_null(it->last_error);
}

/* Compare keys by name for qsort. */
static int
reconcile_key_cmp(const void *a, const void *b)
{
	return strcmp(((const struct reconcile_key *)a)->key,
	    ((const struct reconcile_key *)b)->key);
}

/* Every key's state, sorted. */
struct reconcile_key *
reconcile_keys(struct reconciler *r, size_t *n)
{
	struct reconcile_snap	s;

	pthread_mutex_lock(&r->mu);
	s.v = xcalloc(r->q.n + 1, sizeof *s.v);
	s.n = 0;
	s.now = time_mono_ms();
	wq_each(&r->q, reconcile_snap_one, &s);
	pthread_mutex_unlock(&r->mu);
	qsort(s.v, s.n, sizeof *s.v, reconcile_key_cmp);
	*n = s.n;
	return s.v;
}

/* Free a key snapshot. */
void
reconcile_keys_free(struct reconcile_key *v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		free(v[i].key);
		free(v[i].last_error);
	}
	free(v);
}
