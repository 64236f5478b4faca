/*
 * reconcile: the reconciler framework shared by the engine's controllers
 * and the installer's steps. A reconciler owns a work queue of string keys
 * ("ns/name", a step id) and N worker threads that call one reconcile
 * function per key, the way client-go's workqueue and controller-runtime
 * do:
 *
 *   - Deduplication: a key is queued at most once; a key added while it is
 *     being processed is queued again, once, when that run ends. A key is
 *     never processed by two workers at once.
 *   - Outcomes: RECONCILE_DONE forgets the key's failures (and schedules
 *     its periodic resync when resync_ms is set); RECONCILE_REQUEUE adds
 *     it again after *after_ms (0: through the rate limiter); RECONCILE_
 *     ERROR adds it through the rate limiter and counts an error;
 *     RECONCILE_GONE forgets the key altogether (no resync).
 *   - Rate limiting: the delay of a rate-limited add is the larger of a
 *     per-key exponential (base_delay_ms * 2^failures, capped at
 *     max_delay_ms: client-go's ItemExponentialFailureRateLimiter, 5 ms ..
 *     1000 s) and the wait for a token of an overall bucket (qps, burst:
 *     10 / 100), as client-go's MaxOfRateLimiter combines them.
 *   - Delayed adds: the earliest pending due time of a key wins; a later
 *     resync never postpones an explicit delayed add.
 *   - Resync: every key that finished DONE is added again after resync_ms
 *     plus up to RECONCILE_RESYNC_JITTER_PCT percent (upstream's drift
 *     detection); reconcile_resync adds every known key at once.
 *   - Leader gate: while gate() returns 0, workers take nothing (keys keep
 *     queueing); call reconcile_gate_changed when the answer may have
 *     changed (kube_leader's started/stopped callbacks).
 *   - Shutdown: RECONCILE_STOP_DRAIN lets the workers finish the keys
 *     already queued (delayed adds and retries are dropped);
 *     RECONCILE_STOP_NOW only lets running reconciles finish.
 *
 * Threads: every function is thread-safe. One timer thread moves delayed
 * keys to the queue; workers and the timer sleep on condition variables
 * (no polling). The reconcile and gate functions run without the queue's
 * lock held, so they may call reconcile_add and friends.
 *
 * Metrics: when opts.metrics is set the reconciler registers a collector
 * and updates controller-runtime's and client-go's series, labelled with
 * its name: controller_runtime_reconcile_total{controller,result},
 * controller_runtime_reconcile_errors_total, controller_runtime_reconcile_
 * time_seconds (histogram), controller_runtime_active_workers,
 * controller_runtime_max_concurrent_reconciles, workqueue_depth{name},
 * workqueue_adds_total, workqueue_retries_total,
 * workqueue_longest_running_processor_seconds and
 * workqueue_unfinished_work_seconds.
 *
 * Ownership: the reconciler copies its name and every key; the key passed
 * to the reconcile function is valid during the call. *cause strings set
 * by the reconcile function are taken (kept as the key's last error).
 * reconcile_keys returns an array the caller frees with
 * reconcile_keys_free. The metrics registry must outlive the reconciler.
 */
#ifndef LATTICECTL_RECONCILE_H
#define LATTICECTL_RECONCILE_H

#include <stddef.h>
#include <stdint.h>

#define RECONCILE_BASE_DELAY_MS		5ULL
#define RECONCILE_MAX_DELAY_MS		1000000ULL	/* 1000 s */
#define RECONCILE_QPS			10.0
#define RECONCILE_BURST			100
#define RECONCILE_RESYNC_JITTER_PCT	20
#define RECONCILE_RESYNC_MIN_S		60
#define RECONCILE_WORKERS_MAX		256
/* Upstream's variables (workers per route kind, drift-detection period). */
#define RECONCILE_ENV_WORKERS	"ROUTE_MAX_CONCURRENT_RECONCILES"
#define RECONCILE_ENV_RESYNC	"RECONCILE_DEFAULT_RESYNC_SECONDS"

struct metrics;

enum reconcile_outcome {
	RECONCILE_DONE,
	RECONCILE_REQUEUE,
	RECONCILE_ERROR,
	RECONCILE_GONE
};

enum reconcile_stop {
	RECONCILE_STOP_DRAIN,
	RECONCILE_STOP_NOW
};

/* Reconcile key. *after_ms is 0 on entry (RECONCILE_REQUEUE's delay);
 * *cause is NULL on entry and may be set for ERROR (or any outcome). */
typedef enum reconcile_outcome (*reconcile_fn)(void *arg, const char *key,
    uint64_t *after_ms, char **cause);
/* Whether workers may run now (leadership). */
typedef int (*reconcile_gate_fn)(void *arg);

struct reconcile_opts {
	const char		*name;		/* logs and metrics; NULL: "reconcile" */
	unsigned		 workers;	/* 0: 1 */
	uint64_t		 resync_ms;	/* 0: no periodic resync */
	uint64_t		 base_delay_ms;	/* 0: RECONCILE_BASE_DELAY_MS */
	uint64_t		 max_delay_ms;	/* 0: RECONCILE_MAX_DELAY_MS */
	double			 qps;		/* 0: RECONCILE_QPS; < 0: no bucket */
	unsigned		 burst;		/* 0: RECONCILE_BURST */
	reconcile_fn		 fn;		/* required */
	void			*arg;
	reconcile_gate_fn	 gate;		/* NULL: always open */
	void			*gate_arg;
	struct metrics		*metrics;	/* NULL: none */
};

struct reconcile_stats {
	uint64_t	adds;		/* keys queued (deduplicated adds excluded) */
	uint64_t	deduped;	/* adds merged into a queued key */
	uint64_t	processed;	/* reconcile calls finished */
	uint64_t	requeues;	/* rate-limited adds */
	uint64_t	errors;		/* RECONCILE_ERROR outcomes */
	uint64_t	resyncs;	/* keys added by resync */
	size_t		depth;		/* keys ready to run */
	size_t		waiting;	/* keys with a delayed add pending */
	size_t		processing;	/* reconciles running now */
	size_t		known;		/* keys remembered (resync set) */
	uint64_t	longest_running_ms;	/* oldest running reconcile */
	uint64_t	unfinished_ms;	/* sum over running reconciles */
	unsigned	workers;
	int		gate_open;	/* the gate's last answer */
	int		running;	/* started and not stopped */
};

enum reconcile_key_state {
	RECONCILE_KEY_IDLE,		/* known, nothing pending */
	RECONCILE_KEY_QUEUED,		/* ready to run */
	RECONCILE_KEY_WAITING,		/* delayed add pending */
	RECONCILE_KEY_PROCESSING
};

/* One key's state, for the UI. */
struct reconcile_key {
	char				*key;
	enum reconcile_key_state	 state;
	unsigned			 failures;	/* consecutive */
	uint64_t			 due_in_ms;	/* WAITING: time left */
	uint64_t			 last_delay_ms;	/* last rate-limited delay */
	uint64_t			 last_duration_ms;
	char				*last_error;	/* or NULL */
};

struct reconciler;

/* The per-key exponential delay after failures earlier failures:
 * base * 2^failures, capped at max (no overflow). */
uint64_t reconcile_backoff_ms(uint64_t base_ms, uint64_t max_ms,
	    unsigned failures);
/* Fill workers and resync_ms from ROUTE_MAX_CONCURRENT_RECONCILES and
 * RECONCILE_DEFAULT_RESYNC_SECONDS when set (a resync below 60 s is raised
 * to 60 s, as upstream requires). -1 with *cause on a malformed value. */
int	 reconcile_opts_env(struct reconcile_opts *, char **cause);

struct reconciler *reconcile_new(const struct reconcile_opts *);
/* Start the timer and worker threads; -1 with *cause on failure. Keys
 * added before the start are kept and run once started. */
int	 reconcile_start(struct reconciler *, char **cause);
/* Stop (if running: RECONCILE_STOP_NOW) and free. */
void	 reconcile_free(struct reconciler *);
/* Stop the workers and wait for them; idempotent. Adds are refused once
 * stopping began. */
void	 reconcile_stop(struct reconciler *, enum reconcile_stop);
const char *reconcile_name(const struct reconciler *);

/* Queue key now (deduplicated). */
void	 reconcile_add(struct reconciler *, const char *key);
/* Queue key after ms (0: now). */
void	 reconcile_add_after(struct reconciler *, const char *key,
	    uint64_t ms);
/* Queue key after the rate limiter's delay (counts a requeue and a
 * failure for the key). */
void	 reconcile_add_rate_limited(struct reconciler *, const char *key);
/* Forget key: failures, resync membership and any delayed add (a queued
 * or running key still runs). */
void	 reconcile_forget(struct reconciler *, const char *key);
/* Queue every known key now. */
void	 reconcile_resync(struct reconciler *);
/* The gate's answer may have changed: wake the workers to ask again. */
void	 reconcile_gate_changed(struct reconciler *);
/* Wait until nothing is queued, running or waiting for a retry (pending
 * resyncs do not count); 0 when idle, -1 after timeout_ms. */
int	 reconcile_wait_idle(struct reconciler *, uint64_t timeout_ms);

void	 reconcile_stats(struct reconciler *, struct reconcile_stats *);
/* Consecutive failures of key (0 when unknown). */
unsigned reconcile_failures(struct reconciler *, const char *key);
/* Every key the reconciler holds, sorted; *n gets the count. */
struct reconcile_key *reconcile_keys(struct reconciler *, size_t *n);
void	 reconcile_keys_free(struct reconcile_key *, size_t n);

#endif
