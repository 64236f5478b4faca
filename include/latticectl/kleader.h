/*
 * kube_leader: leader election on a coordination.k8s.io/v1 Lease with
 * client-go's algorithm (tools/leaderelection, tryAcquireOrRenew) and
 * defaults: LeaseDuration 15 s, RenewDeadline 10 s, RetryPeriod 2 s,
 * jitter 1.2 (LeaseDuration > RenewDeadline > 1.2 x RetryPeriod).
 *
 * - A candidate GETs the Lease (creating it on 404), notes the local
 *   monotonic time whenever the record changes, and takes over only when
 *   the holder is empty or observed time + leaseDurationSeconds has
 *   passed. Taking over sets acquireTime and leaseTransitions + 1; a
 *   renewal keeps both; renewTime is always now (MicroTime). Writes are
 *   PUTs with the resourceVersion read (a 409 loses the race).
 * - Candidates retry every RetryPeriod + up to 1.2 x RetryPeriod of
 *   jitter; the leader renews every RetryPeriod and steps down when a
 *   renewal round does not succeed within RenewDeadline. After losing,
 *   it becomes a candidate again.
 * - kube_leader_is_leader is true only while the last successful renewal
 *   is younger than RenewDeadline, which is shorter than the time others
 *   wait (LeaseDuration), so a paused leader never overlaps its successor.
 * - On kube_leader_stop the leader releases the Lease (holderIdentity ""
 *   and leaseDurationSeconds 1) unless no_release is set.
 *
 * Threads: one elector thread; callbacks run on it (keep them short).
 * Ownership: strings of the options are copied; the client pointer must
 * outlive the elector.
 */
#ifndef LATTICECTL_KLEADER_H
#define LATTICECTL_KLEADER_H

#include <stdint.h>
#include <time.h>

#include "latticectl/kube.h"

#define KUBE_LEADER_LEASE_MS	15000
#define KUBE_LEADER_RENEW_MS	10000
#define KUBE_LEADER_RETRY_MS	2000
#define KUBE_LEADER_JITTER	1.2

/* Monotonic milliseconds (tests substitute a fake clock). */
typedef uint64_t (*kube_mono_fn)(void *arg);

struct kube_leader_opts {
	const char	*ns;		/* Lease namespace (required) */
	const char	*name;		/* Lease name (required) */
	const char	*identity;	/* NULL: hostname_<random hex> */
	unsigned	 lease_ms;	/* 0: KUBE_LEADER_LEASE_MS */
	unsigned	 renew_ms;	/* 0: KUBE_LEADER_RENEW_MS */
	unsigned	 retry_ms;	/* 0: KUBE_LEADER_RETRY_MS */
	int		 no_release;	/* keep the Lease on stop */
	void		(*started)(void *arg);	/* became leader */
	void		(*stopped)(void *arg);	/* stopped leading */
	void		*arg;
	kube_mono_fn	 mono;		/* NULL: time_mono_ms */
	void		*mono_arg;
};

struct kube_leader_stats {
	uint64_t	attempts;	/* tryAcquireOrRenew calls */
	uint64_t	acquired;	/* times this elector became leader */
	uint64_t	renewed;
	uint64_t	lost;		/* renew deadline passed */
	uint64_t	conflicts;	/* 409 on update */
};

struct kube_leader;

/* Validate durations and make an elector (not started). */
struct kube_leader *kube_leader_new(struct kube_client *,
	    const struct kube_leader_opts *, char **cause);
/* Stop (releasing the Lease if leading) and free. */
void	 kube_leader_free(struct kube_leader *);
int	 kube_leader_start(struct kube_leader *, char **cause);
/* Stop the elector thread; a leader releases the Lease and the stopped
 * callback runs. Idempotent. */
void	 kube_leader_stop(struct kube_leader *);
/* Whether this elector leads right now (see above). */
int	 kube_leader_is_leader(struct kube_leader *);
const char *kube_leader_identity(const struct kube_leader *);
void	 kube_leader_stats(struct kube_leader *, struct kube_leader_stats *);

/* One tryAcquireOrRenew (the algorithm's step, for tests and the thread):
 * 1 when this elector holds the Lease afterwards, 0 when another does,
 * -1 on an API error (e filled). */
int	 kube_leader_try(struct kube_leader *, struct kube_error *);
/* Give the Lease up if held (holderIdentity "", leaseDurationSeconds 1). */
int	 kube_leader_release(struct kube_leader *, struct kube_error *);

#endif
