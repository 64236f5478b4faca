/* The reconciler framework (reconcile.h) with real threads: dedup while
 * processing, never two workers on one key, rate-limited backoff growth
 * and the overall bucket, requeue-after, resync and GONE, the leader gate,
 * drain and immediate shutdown, idle waits, environment variables and the
 * metrics it exports. Waits are bounded polls on counters, never timing
 * assertions. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/metrics.h"
#include "latticectl/reconcile.h"
#include "latticectl/strbuf.h"
#include "latticectl/timeutil.h"
#include "latticectl/xmalloc.h"

#define NKEYS	64
#define WAIT_MS	20000	/* generous upper bound for liveness waits */

/* What the test reconcile function does and records. */
struct fx {
	struct reconciler	*r;
	pthread_mutex_t		 mu;
	pthread_cond_t		 cv;
	int			 block;		/* hold runs of "block" */
	int			 blocked;	/* a run is held */
	char			 keys[NKEYS][16];
	int			 runs[NKEYS];
	int			 inflight[NKEYS];
	int			 max_inflight;	/* per key, ever */
	int			 total_inflight;
	int			 max_total;
	int			 errors_left;	/* ERROR this many runs of "err" */
	uint64_t		 delays[16];	/* last_delay_ms seen by "err" */
	int			 ndelays;
	int			 gone_after;	/* GONE on run n of "r" (0: never) */
	int			 requeue_once;	/* REQUEUE 20 ms on first "rq" */
	atomic_int		 gate;
	atomic_int		 gate_calls;
};

/* The slot of a key (created). */
static int
fx_slot(struct fx *f, const char *key)
{
	int	i;

	for (i = 0; i < NKEYS && f->keys[i][0] != '\0'; i++)
		if (strcmp(f->keys[i], key) == 0)
			return i;
	assert_true(i < NKEYS);
	snprintf(f->keys[i], sizeof f->keys[i], "%s", key);
	return i;
}

/* Runs of a key so far. */
static int
fx_runs(struct fx *f, const char *key)
{
	int	n;

	pthread_mutex_lock(&f->mu);
	n = f->runs[fx_slot(f, key)];
	pthread_mutex_unlock(&f->mu);
	return n;
}

/* The last rate-limited delay of key, from the UI snapshot. */
static uint64_t
last_delay(struct reconciler *r, const char *key)
{
	struct reconcile_key	*k;
	size_t			 n, i;
	uint64_t		 d = UINT64_MAX;

	k = reconcile_keys(r, &n);
	for (i = 0; i < n; i++)
		if (strcmp(k[i].key, key) == 0)
			d = k[i].last_delay_ms;
	reconcile_keys_free(k, n);
	return d;
}

/* Hold a run of "block" until the test releases it. */
static void
fx_hold(struct fx *f)
{
	f->blocked = 1;
	pthread_cond_broadcast(&f->cv);
	while (f->block)
		pthread_cond_wait(&f->cv, &f->mu);
	f->blocked = 0;
}

/* The outcome for a run, by key (lock held). */
static enum reconcile_outcome
fx_decide(struct fx *f, const char *key, int run, uint64_t *after,
    char **cause)
{
	if (strcmp(key, "err") == 0 && f->errors_left > 0) {
		f->errors_left--;
		xasprintf(cause, "failure %d", run);
		return RECONCILE_ERROR;
	}
	if (strcmp(key, "r") == 0 && f->gone_after > 0 && run >= f->gone_after)
		return RECONCILE_GONE;
	if (strcmp(key, "rq") == 0 && f->requeue_once && run == 1) {
		*after = 20;
		return RECONCILE_REQUEUE;
	}
	return RECONCILE_DONE;
}

/* The reconcile function under test. */
static enum reconcile_outcome
fx_reconcile(void *arg, const char *key, uint64_t *after, char **cause)
{
	struct fx		*f = arg;
	enum reconcile_outcome	 oc;
	uint64_t		 d = 0;
	int			 s, run;

	if (strcmp(key, "err") == 0)
		d = last_delay(f->r, key);
	pthread_mutex_lock(&f->mu);
	s = fx_slot(f, key);
	run = ++f->runs[s];
	if (++f->inflight[s] > f->max_inflight)
		f->max_inflight = f->inflight[s];
	if (++f->total_inflight > f->max_total)
		f->max_total = f->total_inflight;
	if (strcmp(key, "err") == 0 && run > 1 && f->ndelays < 16)
		f->delays[f->ndelays++] = d;
	if (strcmp(key, "block") == 0)
		fx_hold(f);
	oc = fx_decide(f, key, run, after, cause);
	f->inflight[s]--;
	f->total_inflight--;
	pthread_cond_broadcast(&f->cv);
	pthread_mutex_unlock(&f->mu);
	return oc;
}

/* The gate under test: counts calls, answers the flag. */
static int
fx_gate(void *arg)
{
	struct fx	*f = arg;

	atomic_fetch_add(&f->gate_calls, 1);
	return atomic_load(&f->gate);
}

/* A fixture and a reconciler with opts adjusted by the test. */
static struct fx *
fx_new(struct reconcile_opts *o)
{
	struct fx	*f = xcalloc(1, sizeof *f);

	pthread_mutex_init(&f->mu, NULL);
	pthread_cond_init(&f->cv, NULL);
	atomic_store(&f->gate, 1);
	o->fn = fx_reconcile;
	o->arg = f;
	if (o->name == NULL)
		o->name = "test";
	f->r = reconcile_new(o);
	return f;
}

/* Start the reconciler. */
static void
fx_start(struct fx *f)
{
	char	*cause = NULL;

	if (reconcile_start(f->r, &cause) != 0)
		fail_msg("start: %s", cause);
}

/* Free the reconciler and fixture. */
static void
fx_free(struct fx *f)
{
	reconcile_free(f->r);
	pthread_cond_destroy(&f->cv);
	pthread_mutex_destroy(&f->mu);
	free(f);
}

/* Wait (bounded) until "block" is held by a worker. */
static void
fx_wait_blocked(struct fx *f)
{
	struct timespec	ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += WAIT_MS / 1000;
	pthread_mutex_lock(&f->mu);
	while (!f->blocked)
		if (pthread_cond_timedwait(&f->cv, &f->mu, &ts) != 0)
			break;
	assert_true(f->blocked);
	pthread_mutex_unlock(&f->mu);
}

/* Release the held run. */
static void
fx_release(struct fx *f)
{
	pthread_mutex_lock(&f->mu);
	f->block = 0;
	pthread_cond_broadcast(&f->cv);
	pthread_mutex_unlock(&f->mu);
}

/* Poll a stats predicate every millisecond for up to WAIT_MS. */
static int
wait_stats(struct reconciler *r, int (*pred)(const struct reconcile_stats *,
    long), long arg)
{
	struct reconcile_stats	st;
	uint64_t		end = time_mono_ms() + WAIT_MS;

	do {
		reconcile_stats(r, &st);
		if (pred(&st, arg))
			return 1;
		time_sleep_ms(1);
	} while (time_mono_ms() < end);
	return 0;
}

/* Processed at least n (a wait_stats predicate). */
static int
processed_at_least(const struct reconcile_stats *st, long n)
{
	return st->processed >= (uint64_t)n;
}

/* Requeues at least n. */
static int
requeues_at_least(const struct reconcile_stats *st, long n)
{
	return st->requeues >= (uint64_t)n;
}

/* A key added (many times) while it runs is run again exactly once. */
static void
test_dedup_while_processing(void **state)
{
	struct reconcile_opts	 o = { 0 };
	struct reconcile_stats	 st;
	struct fx		*f;
	int			 i;

	(void)state;
	o.workers = 1;		/* so "x" waits in the queue meanwhile */
	f = fx_new(&o);
	f->block = 1;
	fx_start(f);
	reconcile_add(f->r, "block");
	fx_wait_blocked(f);
	for (i = 0; i < 5; i++)
		reconcile_add(f->r, "block");
	reconcile_add(f->r, "x");
	reconcile_add(f->r, "x");
	fx_release(f);
	assert_int_equal(reconcile_wait_idle(f->r, WAIT_MS), 0);
	assert_int_equal(fx_runs(f, "block"), 2);
	assert_int_equal(fx_runs(f, "x"), 1);
	assert_int_equal(f->max_inflight, 1);
	reconcile_stats(f->r, &st);
	assert_int_equal(st.processed, 3);
	assert_int_equal(st.adds, 3);
	assert_int_equal(st.deduped, 5);
	assert_int_equal(st.known, 2);
	fx_free(f);
}

struct adder {
	struct reconciler	*r;
	int			 seed;
};

/* Add random keys many times from a thread. */
static void *
adder_main(void *arg)
{
	struct adder	*a = arg;
	char		 key[16];
	unsigned	 x = (unsigned)a->seed;
	int		 i;

	for (i = 0; i < 3000; i++) {
		x = x * 1103515245 + 12345;
		snprintf(key, sizeof key, "k%u", (x >> 8) % 40);
		reconcile_add(a->r, key);
	}
	return NULL;
}

/* Under concurrent adds with 8 workers no key ever runs twice at once,
 * no more than 8 run together, and every key added runs. */
static void
test_no_concurrent_same_key(void **state)
{
	struct reconcile_opts	 o = { 0 };
	struct adder		 a[4];
	pthread_t		 t[4];
	struct fx		*f;
	char			 key[16];
	int			 i;

	(void)state;
	o.workers = 8;
	f = fx_new(&o);
	fx_start(f);
	for (i = 0; i < 4; i++) {
		a[i].r = f->r;
		a[i].seed = i + 1;
		pthread_create(&t[i], NULL, adder_main, &a[i]);
	}
	for (i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	assert_int_equal(reconcile_wait_idle(f->r, WAIT_MS), 0);
	assert_int_equal(f->max_inflight, 1);
	assert_true(f->max_total <= 8);
	for (i = 0; i < 40; i++) {
		snprintf(key, sizeof key, "k%d", i);
		assert_true(fx_runs(f, key) >= 1);
	}
	fx_free(f);
}

/* Errors back off exponentially per key (5, 10, 20, 40, 80 ms: the bucket
 * is far from empty), and success resets the failures. */
static void
test_backoff_growth(void **state)
{
	struct reconcile_opts	 o = { 0 };
	struct reconcile_stats	 st;
	struct fx		*f;
	static const uint64_t	 want[] = { 5, 10, 20, 40, 80 };
	int			 i;

	(void)state;
	f = fx_new(&o);
	f->errors_left = 5;
	fx_start(f);
	reconcile_add(f->r, "err");
	assert_int_equal(reconcile_wait_idle(f->r, WAIT_MS), 0);
	assert_int_equal(fx_runs(f, "err"), 6);
	assert_int_equal(f->ndelays, 5);
	for (i = 0; i < 5; i++)
		assert_int_equal(f->delays[i], want[i]);
	assert_int_equal(reconcile_failures(f->r, "err"), 0);
	reconcile_stats(f->r, &st);
	assert_int_equal(st.errors, 5);
	assert_int_equal(st.requeues, 5);
	fx_free(f);
}

/* The rate limiter alone: per-key doubling capped at max_delay_ms
 * without a bucket; with a bucket (1 qps, burst 1) the second requeue
 * waits for a token, which dominates the 10 ms per-key delay. */
static void
test_rate_limiter(void **state)
{
	struct reconcile_opts	 o = { 0 };
	struct fx		*f;
	uint64_t		 d;
	int			 i;

	(void)state;
	o.qps = -1;
	o.max_delay_ms = 1000;
	f = fx_new(&o);
	for (i = 0; i < 12; i++) {
		reconcile_add_rate_limited(f->r, "k");
		d = last_delay(f->r, "k");
		assert_int_equal(d, i < 8 ? 5ULL << i : 1000);
	}
	assert_int_equal(reconcile_failures(f->r, "k"), 12);
	reconcile_forget(f->r, "k");
	assert_int_equal(reconcile_failures(f->r, "k"), 0);
	fx_free(f);

	memset(&o, 0, sizeof o);
	o.qps = 1;
	o.burst = 1;
	f = fx_new(&o);
	reconcile_add_rate_limited(f->r, "a");
	assert_int_equal(last_delay(f->r, "a"), 5);
	reconcile_add_rate_limited(f->r, "b");
	d = last_delay(f->r, "b");
	assert_true(d > 500 && d <= 1000);
	fx_free(f);
}

/* REQUEUE with a delay runs the key again later, and the idle wait
 * counts that pending retry. */
static void
test_requeue_after(void **state)
{
	struct reconcile_opts	 o = { 0 };
	struct reconcile_stats	 st;
	struct fx		*f;

	(void)state;
	f = fx_new(&o);
	f->requeue_once = 1;
	fx_start(f);
	reconcile_add(f->r, "rq");
	assert_int_equal(reconcile_wait_idle(f->r, WAIT_MS), 0);
	assert_int_equal(fx_runs(f, "rq"), 2);
	reconcile_stats(f->r, &st);
	assert_int_equal(st.requeues, 0);
	assert_int_equal(st.errors, 0);
	fx_free(f);
}

/* Resync re-runs done keys periodically; GONE stops it and forgets the
 * key; reconcile_resync runs every known key. */
static void
test_resync(void **state)
{
	struct reconcile_opts	 o = { 0 };
	struct reconcile_stats	 st;
	struct fx		*f;

	(void)state;
	o.resync_ms = 10;
	f = fx_new(&o);
	f->gone_after = 4;
	fx_start(f);
	reconcile_add(f->r, "r");
	assert_true(wait_stats(f->r, processed_at_least, 4));
	assert_int_equal(reconcile_wait_idle(f->r, WAIT_MS), 0);
	reconcile_stats(f->r, &st);
	assert_true(st.resyncs >= 3);
	assert_int_equal(st.known, 0);
	assert_int_equal(st.waiting, 0);
	assert_int_equal(fx_runs(f, "r"), 4);
	fx_free(f);

	memset(&o, 0, sizeof o);
	f = fx_new(&o);
	fx_start(f);
	reconcile_add(f->r, "a");
	reconcile_add(f->r, "b");
	assert_int_equal(reconcile_wait_idle(f->r, WAIT_MS), 0);
	reconcile_stats(f->r, &st);
	assert_int_equal(st.waiting, 0);	/* resync off */
	reconcile_resync(f->r);
	assert_int_equal(reconcile_wait_idle(f->r, WAIT_MS), 0);
	assert_int_equal(fx_runs(f, "a"), 2);
	assert_int_equal(fx_runs(f, "b"), 2);
	reconcile_forget(f->r, "a");
	reconcile_resync(f->r);
	assert_int_equal(reconcile_wait_idle(f->r, WAIT_MS), 0);
	assert_int_equal(fx_runs(f, "a"), 2);
	assert_int_equal(fx_runs(f, "b"), 3);
	fx_free(f);
}

/* Gate-call count at least n. */
static int
gate_called(struct fx *f, int n)
{
	uint64_t	end = time_mono_ms() + WAIT_MS;

	while (atomic_load(&f->gate_calls) < n && time_mono_ms() < end)
		time_sleep_ms(1);
	return atomic_load(&f->gate_calls) >= n;
}

/* A closed gate holds every key (followers run nothing); opening it runs
 * them; a drain with the gate closed does not hang. */
static void
test_leader_gate(void **state)
{
	struct reconcile_opts	 o = { 0 };
	struct reconcile_stats	 st;
	struct fx		*f;
	int			 calls;

	(void)state;
	o.workers = 3;
	o.gate = fx_gate;
	f = fx_new(&o);
	o.gate_arg = f;
	reconcile_free(f->r);
	f->r = reconcile_new(&o);
	atomic_store(&f->gate, 0);
	fx_start(f);
	reconcile_add(f->r, "a");
	reconcile_add(f->r, "b");
	reconcile_add(f->r, "c");
	assert_true(gate_called(f, 1));
	reconcile_stats(f->r, &st);
	assert_int_equal(st.processed, 0);
	assert_int_equal(st.depth, 3);
	assert_int_equal(st.gate_open, 0);
	assert_int_equal(reconcile_wait_idle(f->r, 50), -1);
	atomic_store(&f->gate, 1);
	reconcile_gate_changed(f->r);
	assert_int_equal(reconcile_wait_idle(f->r, WAIT_MS), 0);
	reconcile_stats(f->r, &st);
	assert_int_equal(st.processed, 3);
	assert_int_equal(st.gate_open, 1);
	atomic_store(&f->gate, 0);
	calls = atomic_load(&f->gate_calls);
	reconcile_add(f->r, "d");
	assert_true(gate_called(f, calls + 1));
	reconcile_stop(f->r, RECONCILE_STOP_DRAIN);
	assert_int_equal(fx_runs(f, "d"), 0);
	fx_free(f);
}

struct stopper {
	struct reconciler	*r;
	enum reconcile_stop	 how;
};

/* Stop from another thread. */
static void *
stopper_main(void *arg)
{
	struct stopper	*s = arg;

	reconcile_stop(s->r, s->how);
	return NULL;
}

/* Stop while a run is held and five keys wait: a drain runs them all, an
 * immediate stop runs none; adds after the stop are ignored. */
static void
run_shutdown(enum reconcile_stop how, int want_runs)
{
	struct reconcile_opts	 o = { 0 };
	struct reconcile_stats	 st;
	struct stopper		 s;
	pthread_t		 t;
	struct fx		*f;
	char			 key[16];
	int			 i, total = 0;

	f = fx_new(&o);
	f->block = 1;
	fx_start(f);
	reconcile_add(f->r, "block");
	fx_wait_blocked(f);
	for (i = 0; i < 5; i++) {
		snprintf(key, sizeof key, "q%d", i);
		reconcile_add(f->r, key);
	}
	s.r = f->r;
	s.how = how;
	pthread_create(&t, NULL, stopper_main, &s);
	/* the stop has begun once adds are refused */
	for (;;) {
		reconcile_add(f->r, "late");
		reconcile_stats(f->r, &st);
		if (!st.running)
			break;
		time_sleep_ms(1);
	}
	fx_release(f);
	pthread_join(t, NULL);
	for (i = 0; i < 5; i++) {
		snprintf(key, sizeof key, "q%d", i);
		total += fx_runs(f, key);
	}
	assert_int_equal(total, want_runs);
	assert_int_equal(fx_runs(f, "block"), 1);
	reconcile_stats(f->r, &st);
	assert_int_equal(st.processing, 0);
	assert_false(st.running);
	fx_free(f);
}

/* Drain: the queued keys still run. */
static void
test_shutdown_drain(void **state)
{
	(void)state;
	run_shutdown(RECONCILE_STOP_DRAIN, 5);
}

/* Now: only the running reconcile finishes. */
static void
test_shutdown_now(void **state)
{
	(void)state;
	run_shutdown(RECONCILE_STOP_NOW, 0);
}

/* Keys added before start run after it; free without start is fine. */
static void
test_lifecycle(void **state)
{
	struct reconcile_opts	 o = { 0 };
	struct fx		*f;
	char			*cause = NULL;

	(void)state;
	f = fx_new(&o);
	reconcile_add(f->r, "early");
	reconcile_add_after(f->r, "later", 5);
	fx_start(f);
	assert_int_equal(reconcile_start(f->r, &cause), -1);
	assert_non_null(strstr(cause, "already"));
	free(cause);
	assert_int_equal(reconcile_wait_idle(f->r, WAIT_MS), 0);
	assert_int_equal(fx_runs(f, "early"), 1);
	assert_int_equal(fx_runs(f, "later"), 1);
	assert_string_equal(reconcile_name(f->r), "test");
	fx_free(f);
	f = fx_new(&o);
	reconcile_add(f->r, "never");
	fx_free(f);
}

/* ROUTE_MAX_CONCURRENT_RECONCILES and RECONCILE_DEFAULT_RESYNC_SECONDS. */
static void
test_env(void **state)
{
	struct reconcile_opts	 o = { 0 };
	char			*cause = NULL;

	(void)state;
	unsetenv(RECONCILE_ENV_WORKERS);
	unsetenv(RECONCILE_ENV_RESYNC);
	o.workers = 2;
	assert_int_equal(reconcile_opts_env(&o, &cause), 0);
	assert_int_equal(o.workers, 2);
	assert_int_equal(o.resync_ms, 0);
	setenv(RECONCILE_ENV_WORKERS, "6", 1);
	setenv(RECONCILE_ENV_RESYNC, "300", 1);
	assert_int_equal(reconcile_opts_env(&o, &cause), 0);
	assert_int_equal(o.workers, 6);
	assert_int_equal(o.resync_ms, 300000);
	setenv(RECONCILE_ENV_RESYNC, "5", 1);
	assert_int_equal(reconcile_opts_env(&o, &cause), 0);
	assert_int_equal(o.resync_ms, 60000);
	setenv(RECONCILE_ENV_RESYNC, "0", 1);
	assert_int_equal(reconcile_opts_env(&o, &cause), 0);
	assert_int_equal(o.resync_ms, 0);
	setenv(RECONCILE_ENV_WORKERS, "many", 1);
	assert_int_equal(reconcile_opts_env(&o, &cause), -1);
	assert_non_null(strstr(cause, RECONCILE_ENV_WORKERS));
	free(cause);
	cause = NULL;
	setenv(RECONCILE_ENV_WORKERS, "-3", 1);
	assert_int_equal(reconcile_opts_env(&o, &cause), -1);
	free(cause);
	unsetenv(RECONCILE_ENV_WORKERS);
	unsetenv(RECONCILE_ENV_RESYNC);
}

/* The value of a rendered series, found by parsing the exposition. */
static double
sample(struct metrics *m, const char *name, const char *label,
    const char *value)
{
	struct metrics_sample	*s;
	struct strbuf		 sb = STRBUF_INIT;
	char			*cause = NULL;
	size_t			 n, i;
	double			 v = -1;
	const char		*lv;

	strbuf_init(&sb);
	metrics_render(m, &sb);
	if (metrics_parse(sb.buf, sb.len, &s, &n, &cause) != 0)
		fail_msg("parse: %s", cause);
	for (i = 0; i < n; i++) {
		lv = label != NULL ? metrics_sample_label(&s[i], label) : "";
		if (strcmp(s[i].name, name) == 0 && lv != NULL &&
		    (label == NULL || strcmp(lv, value) == 0))
			v = s[i].value;
	}
	metrics_samples_free(s, n);
	strbuf_free(&sb);
	return v;
}

/* The reconciler's series show outcomes, adds, retries and depth. */
static void
test_metrics(void **state)
{
	struct reconcile_opts	 o = { 0 };
	struct metrics		*m = metrics_new();
	struct fx		*f;

	(void)state;
	o.metrics = m;
	o.name = "httproute";
	o.workers = 2;
	f = fx_new(&o);
	f->errors_left = 2;
	fx_start(f);
	reconcile_add(f->r, "err");
	reconcile_add(f->r, "ok");
	assert_int_equal(reconcile_wait_idle(f->r, WAIT_MS), 0);
	assert_true(wait_stats(f->r, requeues_at_least, 2));
	assert_true(sample(m, "controller_runtime_reconcile_total", "result",
	    "error") == 2);
	assert_true(sample(m, "controller_runtime_reconcile_total", "result",
	    "success") == 2);
	assert_true(sample(m, "controller_runtime_reconcile_errors_total",
	    "controller", "httproute") == 2);
	assert_true(sample(m, "workqueue_retries_total", "name",
	    "httproute") == 2);
	assert_true(sample(m, "workqueue_adds_total", "name",
	    "httproute") == 4);
	assert_true(sample(m, "workqueue_depth", "name", "httproute") == 0);
	assert_true(sample(m, "controller_runtime_max_concurrent_reconciles",
	    "controller", "httproute") == 2);
	assert_true(sample(m, "controller_runtime_reconcile_time_seconds_count",
	    "controller", "httproute") == 4);
	fx_free(f);
	/* the collector is gone with the reconciler */
	assert_true(sample(m, "workqueue_depth", "name", "httproute") == 0);
	metrics_free(m);
}

/* Run the reconcile tests. */
int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dedup_while_processing),
		cmocka_unit_test(test_no_concurrent_same_key),
		cmocka_unit_test(test_backoff_growth),
		cmocka_unit_test(test_rate_limiter),
		cmocka_unit_test(test_requeue_after),
		cmocka_unit_test(test_resync),
		cmocka_unit_test(test_leader_gate),
		cmocka_unit_test(test_shutdown_drain),
		cmocka_unit_test(test_shutdown_now),
		cmocka_unit_test(test_lifecycle),
		cmocka_unit_test(test_env),
		cmocka_unit_test(test_metrics),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
