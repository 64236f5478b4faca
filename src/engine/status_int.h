/*
 * Internals of the status writer (src/engine/status*.c): the writer's
 * state and the shared compare-then-write helpers.
 */
#ifndef LATTICECTL_ENGINE_STATUS_INT_H
#define LATTICECTL_ENGINE_STATUS_INT_H

#include <pthread.h>
#include <stdint.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "latticectl/kutil.h"
#include "latticectl/status.h"

#define STATUS_SEEN_SLOTS	512	/* objects remembered (direct-mapped) */
#define STATUS_SEEN_RVS		8	/* resourceVersions per object */
#define STATUS_SEEN_UID		40	/* uid (36) + NUL, rounded */
#define STATUS_SEEN_RV		24	/* resourceVersion (<= 20 digits) */

/* The resourceVersions our own writes produced for one object (uid), the
 * newest last: a cached copy at an older one of them is behind our
 * writes, and the informer is bound to deliver the newer one. */
struct status_seen {
	char		uid[STATUS_SEEN_UID];
	char		rv[STATUS_SEEN_RVS][STATUS_SEEN_RV];
	unsigned	n;		/* rvs held (<= STATUS_SEEN_RVS) */
};

struct status_writer {
	struct kube_client	*kc;
	struct kube_recorder	*rec;
	char			*controller;
	kube_now_fn		 now;
	void			*now_arg;
	pthread_mutex_t		 mu;
	struct status_stats	 st;
	struct status_seen	*seen;	/* STATUS_SEEN_SLOTS */
};

/* Edit obj in place; 1 when its status changed. */
typedef int (*status_edit_fn)(void *arg, cJSON *obj,
    const struct timespec *now);

void	 status_count(struct status_writer *, uint64_t *counter, uint64_t n);
struct timespec status_now(struct status_writer *);
int64_t	 status_generation(const cJSON *obj);
struct kube_condition status_cond(const char *type, int ok,
	    const char *reason, const char *message, int64_t gen);
cJSON	*status_snapshot(const cJSON *obj);
int	 status_differs(cJSON *before, const cJSON *obj);
/* Remember the resourceVersion of an object we wrote. */
void	 status_seen_record(struct status_writer *, const cJSON *written);
/* Whether cached is an older version than one our writes produced
 * (counted as stale: the caller skips the write, an event follows). */
int	 status_seen_behind(struct status_writer *, const cJSON *cached);
/* Hand got to *out, or free it when out is NULL. */
void	 status_give(cJSON *got, cJSON **out);
/* Fill e for a refusal: message fmt with a and b (b NULL: ""). */
void	 status_refuse(struct kube_error *, const char *fmt, const char *a,
	    const char *b);
/* Edit a copy of cached and PUT /status when it changed (see status.h). */
int	 status_write(struct status_writer *, const struct kube_resource *,
	    const cJSON *cached, status_edit_fn, void *arg, cJSON **out,
	    struct kube_error *);

#endif
