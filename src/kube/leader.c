/* kube_leader: Lease-based leader election (client-go's algorithm). */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define LOG_MODULE "leader"
#include "latticectl/error.h"
#include "latticectl/json.h"
#include "latticectl/kleader.h"
#include "latticectl/log.h"
#include "latticectl/rand.h"
#include "latticectl/timeutil.h"
#include "latticectl/xmalloc.h"

struct kube_leader {
	struct kube_client	*c;
	char			*ns;
	char			*name;
	char			*id;
	unsigned		 lease_ms;
	unsigned		 renew_ms;
	unsigned		 retry_ms;
	int			 no_release;
	void			(*started)(void *);
	void			(*stopped)(void *);
	void			*arg;
	kube_mono_fn		 mono;
	void			*mono_arg;

	pthread_t		 thread;
	int			 running;
	atomic_int		 stopping;
	pthread_mutex_t		 mu;	/* guards what follows */
	pthread_cond_t		 cv;
	cJSON			*obs;		/* the Lease last read or written */
	uint64_t		 obs_time;	/* local time it was observed */
	int			 leading;
	uint64_t		 last_renew;	/* start of the last good renewal */
	struct kube_leader_stats st;
};

/* Monotonic ms from the configured clock. */
static uint64_t
kube_leader_now(const struct kube_leader *le)
{
	return le->mono != NULL ? le->mono(le->mono_arg) : time_mono_ms();
}

/* Check client-go's constraints on the durations. */
static int
kube_leader_check(const struct kube_leader *le, char **cause)
{
	if (le->lease_ms <= le->renew_ms)
		return error_set(cause, "leader election: lease duration "
		    "(%u ms) must exceed the renew deadline (%u ms)",
		    le->lease_ms, le->renew_ms);
	if ((double)le->renew_ms <= KUBE_LEADER_JITTER * le->retry_ms)
		return error_set(cause, "leader election: renew deadline "
		    "(%u ms) must exceed %.1f x the retry period (%u ms)",
		    le->renew_ms, KUBE_LEADER_JITTER, le->retry_ms);
	if (le->retry_ms == 0)
		return error_set(cause, "leader election: retry period is 0");
	return 0;
}

/* "host_uuid", client-go's usual identity. */
static char *
kube_leader_default_id(void)
{
	char	host[256], uuid[37], *id;

	if (gethostname(host, sizeof host) != 0)
		strcpy(host, "latticectl");
	host[sizeof host - 1] = '\0';
	rand_uuid4(uuid);
	xasprintf(&id, "%s_%s", host, uuid);
	return id;
}

/* A new elector. */
struct kube_leader *
kube_leader_new(struct kube_client *c, const struct kube_leader_opts *o,
    char **cause)
{
	struct kube_leader	*le;
	pthread_condattr_t	 ca;

	if (o->ns == NULL || o->name == NULL) {
		error_set(cause, "leader election: lease namespace and name "
		    "are required");
		return NULL;
	}
	le = xcalloc(1, sizeof *le);
	le->lease_ms = o->lease_ms != 0 ? o->lease_ms : KUBE_LEADER_LEASE_MS;
	le->renew_ms = o->renew_ms != 0 ? o->renew_ms : KUBE_LEADER_RENEW_MS;
	le->retry_ms = o->retry_ms != 0 ? o->retry_ms : KUBE_LEADER_RETRY_MS;
	if (kube_leader_check(le, cause) != 0) {
		free(le);
		return NULL;
	}
	le->c = c;
	le->ns = xstrdup(o->ns);
	le->name = xstrdup(o->name);
	le->id = o->identity != NULL ? xstrdup(o->identity) :
	    kube_leader_default_id();
	le->no_release = o->no_release;
	le->started = o->started;
	le->stopped = o->stopped;
	le->arg = o->arg;
	le->mono = o->mono;
	le->mono_arg = o->mono_arg;
	atomic_init(&le->stopping, 0);
	pthread_mutex_init(&le->mu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&le->cv, &ca);
	pthread_condattr_destroy(&ca);
	return le;
}

/* Stop and free. */
void
kube_leader_free(struct kube_leader *le)
{
	if (le == NULL)
		return;
	kube_leader_stop(le);
	cJSON_Delete(le->obs);
	free(le->ns);
	free(le->name);
	free(le->id);
	pthread_mutex_destroy(&le->mu);
	pthread_cond_destroy(&le->cv);
	free(le);
}

/* This elector's identity. */
const char *
kube_leader_identity(const struct kube_leader *le)
{
	return le->id;
}

/* A copy of the counters. */
void
kube_leader_stats(struct kube_leader *le, struct kube_leader_stats *st)
{
	pthread_mutex_lock(&le->mu);
	*st = le->st;
	pthread_mutex_unlock(&le->mu);
}

/* Leading, with a renewal younger than the renew deadline. */
int
kube_leader_is_leader(struct kube_leader *le)
{
	int	r;

	pthread_mutex_lock(&le->mu);
	r = le->leading &&
	    kube_leader_now(le) - le->last_renew < le->renew_ms;
	pthread_mutex_unlock(&le->mu);
	return r;
}

/* The observed holder ("" when none). */
static const char *
kube_leader_obs_holder(const struct kube_leader *le)
{
	const char	*h = json_path_str(le->obs, "spec.holderIdentity");

	return h != NULL ? h : "";
}

/* client-go IsLeader: the observed record names this elector. */
static int
kube_leader_obs_mine(const struct kube_leader *le)
{
	return le->obs != NULL &&
	    strcmp(kube_leader_obs_holder(le), le->id) == 0;
}

/* client-go isLeaseValid: observed time + observed duration > now. */
static int
kube_leader_obs_valid(const struct kube_leader *le, uint64_t now)
{
	int64_t	secs = 0;

	(void)json_int(json_path(le->obs, "spec"), "leaseDurationSeconds",
	    &secs);
	return le->obs_time + (uint64_t)(secs > 0 ? secs : 0) * 1000 > now;
}

/* Remember a Lease just read or written (taken) and when. */
static void
kube_leader_observe(struct kube_leader *le, cJSON *lease, uint64_t now)
{
	pthread_mutex_lock(&le->mu);
	cJSON_Delete(le->obs);
	le->obs = lease;
	le->obs_time = now;
	pthread_mutex_unlock(&le->mu);
}

/* A record (Lease spec) for this elector; acquire NULL means now. */
static cJSON *
kube_leader_record(const struct kube_leader *le, const char *holder,
    unsigned dur_s, const char *acquire, int64_t transitions)
{
	struct timespec	 ts = time_now();
	cJSON		*spec = cJSON_CreateObject();
	char		 now[48];

	time_format_rfc3339(&ts, 6, now, sizeof now);
	cJSON_AddStringToObject(spec, "holderIdentity", holder);
	cJSON_AddNumberToObject(spec, "leaseDurationSeconds", dur_s);
	cJSON_AddStringToObject(spec, "acquireTime",
	    acquire != NULL ? acquire : now);
	cJSON_AddStringToObject(spec, "renewTime", now);
	cJSON_AddNumberToObject(spec, "leaseTransitions", (double)transitions);
	return spec;
}

/* LeaseDuration in whole seconds (at least 1). */
static unsigned
kube_leader_dur_s(const struct kube_leader *le)
{
	unsigned	s = (le->lease_ms + 999) / 1000;

	return s > 0 ? s : 1;
}

/* A Lease object: base (may be NULL) with spec replaced. */
static cJSON *
kube_leader_lease(const struct kube_leader *le, const cJSON *base,
    cJSON *spec)
{
	cJSON	*l, *meta;

	if (base != NULL) {
		l = cJSON_Duplicate(base, 1);
		cJSON_DeleteItemFromObjectCaseSensitive(l, "spec");
	} else {
		l = cJSON_CreateObject();
		cJSON_AddStringToObject(l, "apiVersion", "coordination.k8s.io/v1");
		cJSON_AddStringToObject(l, "kind", "Lease");
		meta = cJSON_AddObjectToObject(l, "metadata");
		cJSON_AddStringToObject(meta, "name", le->name);
		cJSON_AddStringToObject(meta, "namespace", le->ns);
	}
	cJSON_AddItemToObject(l, "spec", spec);
	return l;
}

/* PUT a Lease built on base with spec; observe the result. 0 ok, 1
 * conflict, -1 error. */
static int
kube_leader_put(struct kube_leader *le, const cJSON *base, cJSON *spec,
    uint64_t now, struct kube_error *e)
{
	cJSON	*lease = kube_leader_lease(le, base, spec), *out = NULL;
	int	 r;

	r = kube_update(le->c, &KUBE_RES_LEASES, le->ns, lease, &out, e);
	cJSON_Delete(lease);
	if (r == 0) {
		kube_leader_observe(le, out, now);
		return 0;
	}
	if (kube_error_is_conflict(e)) {
		pthread_mutex_lock(&le->mu);
		le->st.conflicts++;
		pthread_mutex_unlock(&le->mu);
		return 1;
	}
	return -1;
}

/* Fast path: renew the Lease we hold and still see as valid. */
static int
kube_leader_renew_fast(struct kube_leader *le, uint64_t now,
    struct kube_error *e)
{
	const cJSON	*spec;
	int64_t		 tr = 0;

	if (!kube_leader_obs_mine(le) || !kube_leader_obs_valid(le, now))
		return -1;
	spec = json_path(le->obs, "spec");
	(void)json_int(spec, "leaseTransitions", &tr);
	return kube_leader_put(le, le->obs, kube_leader_record(le, le->id,
	    kube_leader_dur_s(le), json_str(spec, "acquireTime"), tr), now, e);
}

/* No Lease yet: create one naming this elector. */
static int
kube_leader_create(struct kube_leader *le, uint64_t now, struct kube_error *e)
{
	cJSON	*lease, *out = NULL;
	int	 r;

	lease = kube_leader_lease(le, NULL, kube_leader_record(le, le->id,
	    kube_leader_dur_s(le), NULL, 0));
	r = kube_create(le->c, &KUBE_RES_LEASES, le->ns, lease, &out, e);
	cJSON_Delete(lease);
	if (r != 0)
		return kube_error_is_already_exists(e) ? 0 : -1;
	kube_leader_observe(le, out, now);
	return 1;
}

/* Slow path on a Lease just read (taken): take over or renew if allowed. */
static int
kube_leader_claim(struct kube_leader *le, cJSON *cur, uint64_t now,
    struct kube_error *e)
{
	const cJSON	*spec = json_path(cur, "spec");
	const char	*holder;
	cJSON		*rec;
	int64_t		 tr = 0;
	int		 mine, r;

	if (le->obs == NULL || !json_equal(json_path(le->obs, "spec"), spec))
		kube_leader_observe(le, cur, now);
	else {
		kube_leader_observe(le, cur, le->obs_time);	/* newer rv */
	}
	holder = kube_leader_obs_holder(le);
	mine = kube_leader_obs_mine(le);
	if (*holder != '\0' && kube_leader_obs_valid(le, now) && !mine)
		return 0;
	(void)json_int(spec, "leaseTransitions", &tr);
	if (mine)
		rec = kube_leader_record(le, le->id, kube_leader_dur_s(le),
		    json_str(spec, "acquireTime"), tr);
	else
		rec = kube_leader_record(le, le->id, kube_leader_dur_s(le),
		    NULL, tr + 1);
	r = kube_leader_put(le, le->obs, rec, now, e);
	return r == 0 ? 1 : r == 1 ? 0 : -1;
}

/* One tryAcquireOrRenew. */
int
kube_leader_try(struct kube_leader *le, struct kube_error *e)
{
	cJSON		*cur = NULL;
	uint64_t	 now = kube_leader_now(le);

	pthread_mutex_lock(&le->mu);
	le->st.attempts++;
	pthread_mutex_unlock(&le->mu);
	if (kube_leader_renew_fast(le, now, e) == 0)
		return 1;
	if (kube_get(le->c, &KUBE_RES_LEASES, le->ns, le->name, &cur, e) != 0)
		return kube_error_is_not_found(e) ?
		    kube_leader_create(le, now, e) : -1;
	return kube_leader_claim(le, cur, now, e);
}

/* Release the Lease if this elector holds it. */
int
kube_leader_release(struct kube_leader *le, struct kube_error *e)
{
	int64_t	tr = 0;

	if (!kube_leader_obs_mine(le))
		return 0;
	(void)json_int(json_path(le->obs, "spec"), "leaseTransitions", &tr);
	return kube_leader_put(le, le->obs, kube_leader_record(le, "", 1, NULL,
	    tr), kube_leader_now(le), e) == 0 ? 0 : -1;
}

/* Sleep ms on the monotonic clock unless stopped; nonzero when stopping. */
static int
kube_leader_sleep(struct kube_leader *le, uint64_t ms)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_sec += (time_t)(ms / 1000);
	ts.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&le->mu);
	while (!atomic_load(&le->stopping) &&
	    pthread_cond_timedwait(&le->cv, &le->mu, &ts) == 0)
		;
	pthread_mutex_unlock(&le->mu);
	return atomic_load(&le->stopping);
}

/* One try, logging errors; the result as kube_leader_try. */
static int
kube_leader_attempt(struct kube_leader *le)
{
	struct kube_error	 e;
	char			*msg;
	int			 r;

	memset(&e, 0, sizeof e);
	if ((r = kube_leader_try(le, &e)) < 0) {
		msg = kube_error_string(&e);
		log_warn("lease %s/%s: %s", le->ns, le->name, msg);
		free(msg);
	}
	kube_error_clear(&e);
	return r;
}

/* Candidate: try every retry period plus jitter until leading; *at gets
 * the start of the winning attempt. */
static int
kube_leader_acquire(struct kube_leader *le, uint64_t *at)
{
	uint64_t	jitter;

	while (!atomic_load(&le->stopping)) {
		*at = kube_leader_now(le);
		if (kube_leader_attempt(le) == 1)
			return 1;
		jitter = rand_below((uint64_t)(KUBE_LEADER_JITTER *
		    le->retry_ms) + 1);
		if (kube_leader_sleep(le, le->retry_ms + jitter))
			break;
	}
	return 0;
}

/* Mark leadership taken or given up, and tell the callbacks. */
static void
kube_leader_set(struct kube_leader *le, int leading, uint64_t renewed_at)
{
	pthread_mutex_lock(&le->mu);
	le->leading = leading;
	if (leading) {
		le->last_renew = renewed_at;
		le->st.acquired++;
	}
	pthread_mutex_unlock(&le->mu);
	if (leading) {
		log_info("lease %s/%s: %s became leader", le->ns, le->name,
		    le->id);
		if (le->started != NULL)
			le->started(le->arg);
	} else {
		log_info("lease %s/%s: %s stopped leading", le->ns, le->name,
		    le->id);
		if (le->stopped != NULL)
			le->stopped(le->arg);
	}
}

/* One renewal round: retry until the renew deadline. 1 renewed, 0 lost,
 * -1 stopping. */
static int
kube_leader_renew_round(struct kube_leader *le)
{
	uint64_t	start = kube_leader_now(le), t;
	int		r;

	for (;;) {
		t = kube_leader_now(le);
		if ((r = kube_leader_attempt(le)) == 1) {
			pthread_mutex_lock(&le->mu);
			le->last_renew = t;
			le->st.renewed++;
			pthread_mutex_unlock(&le->mu);
			return 1;
		}
		if (r == 0 || kube_leader_now(le) - start >= le->renew_ms)
			return 0;	/* another holder, or deadline */
		if (kube_leader_sleep(le, le->retry_ms))
			return -1;
	}
}

/* Leader: renew every retry period until lost or stopped. */
static void
kube_leader_lead(struct kube_leader *le)
{
	int	r;

	while (!kube_leader_sleep(le, le->retry_ms)) {
		if ((r = kube_leader_renew_round(le)) == 1)
			continue;
		if (r == 0) {
			pthread_mutex_lock(&le->mu);
			le->st.lost++;
			pthread_mutex_unlock(&le->mu);
			kube_leader_set(le, 0, 0);
		}
		return;
	}
}

/* The elector thread. */
static void *
kube_leader_main(void *arg)
{
	struct kube_leader	*le = arg;
	struct kube_error	 e;
	uint64_t		 t;
	int			 leading;

	while (!atomic_load(&le->stopping)) {
		if (!kube_leader_acquire(le, &t))
			break;
		kube_leader_set(le, 1, t);
		kube_leader_lead(le);
	}
	pthread_mutex_lock(&le->mu);
	leading = le->leading;
	pthread_mutex_unlock(&le->mu);
	if (leading) {
		memset(&e, 0, sizeof e);
		if (!le->no_release && kube_leader_release(le, &e) != 0)
			log_warn("lease %s/%s: release failed", le->ns,
			    le->name);
		kube_error_clear(&e);
		kube_leader_set(le, 0, 0);
	}
	return NULL;
}

/* Start the elector thread. */
int
kube_leader_start(struct kube_leader *le, char **cause)
{
	int	r;

	if (le->running)
		return 0;
	atomic_store(&le->stopping, 0);
	if ((r = pthread_create(&le->thread, NULL, kube_leader_main, le)) != 0)
		return error_set(cause, "leader election: thread: %s",
		    strerror(r));
	le->running = 1;
	return 0;
}

/* Stop the elector (releasing the Lease when leading). */
void
kube_leader_stop(struct kube_leader *le)
{
	if (!le->running)
		return;
	pthread_mutex_lock(&le->mu);
	atomic_store(&le->stopping, 1);
	pthread_cond_broadcast(&le->cv);
	pthread_mutex_unlock(&le->mu);
	pthread_join(le->thread, NULL);
	le->running = 0;
}
