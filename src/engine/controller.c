/* controller: configuration, life cycle (informers, mirror, reconcilers,
 * leader election, metrics, resync) and the record of every key's last
 * outcome. */
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define LOG_MODULE "controller"
#include "latticectl/backoff.h"
#include "latticectl/error.h"
#include "latticectl/json.h"
#include "latticectl/log.h"
#include "latticectl/rand.h"
#include "latticectl/sts.h"
#include "latticectl/timeutil.h"
#include "latticectl/xmalloc.h"

#include "controller_int.h"

#define CTL_LOAD_TRIES		10	/* mirror loads at start */
#define CTL_LOAD_BASE_MS	1000
#define CTL_LOAD_CAP_MS		15000

#define CTL_SETTLE_MS		300	/* quiet time before "converged" */
#define CTL_GATEWAY_WORKERS	1
#define CTL_EXPORT_WORKERS	1
#define CTL_RECONCILERS		4	/* route, gateway, export, policy */

/* An environment variable, or NULL when unset or empty. */
static const char *
ctl_env(const char *name)
{
	const char	*v = getenv(name);

	return v != NULL && *v != '\0' ? v : NULL;
}

/* A positive rate from the environment into *out unless set already. */
static int
ctl_env_rate(const char *name, double *out, char **cause)
{
	const char	*v = ctl_env(name);
	char		*end;
	double		 d;

	if (*out > 0 || v == NULL)
		return 0;
	d = strtod(v, &end);
	if (*end != '\0' || !(d > 0) || d > 1e6)
		return error_set(cause, "%s: not a positive rate: \"%s\"",
		    name, v);
	*out = d;
	return 0;
}

/* Fill unset members from upstream's environment variables. */
int
controller_config_env(struct controller_config *cfg, char **cause)
{
	struct reconcile_opts	 ro;
	const char		*v;

	if (cfg->vpc_id == NULL)
		cfg->vpc_id = ctl_env(CONTROLLER_ENV_VPC);
	if (cfg->account_id == NULL)
		cfg->account_id = ctl_env(CONTROLLER_ENV_ACCOUNT);
	if (cfg->cluster_name == NULL)
		cfg->cluster_name = ctl_env(CONTROLLER_ENV_CLUSTER);
	if (cfg->default_sn == NULL)
		cfg->default_sn = ctl_env(CONTROLLER_ENV_DEFAULT_SN);
	if (!cfg->sn_override && (v = ctl_env(CONTROLLER_ENV_SN_OVERRIDE)) !=
	    NULL)
		cfg->sn_override = strcasecmp(v, "true") == 0;
	if (ctl_env_rate(CONTROLLER_ENV_LATTICE_RPS, &cfg->lattice_rps,
	    cause) != 0 || ctl_env_rate(CONTROLLER_ENV_LATTICE_BURST,
	    &cfg->lattice_burst, cause) != 0)
		return -1;
	memset(&ro, 0, sizeof(ro));
	if (reconcile_opts_env(&ro, cause) != 0)
		return -1;
	if (cfg->workers == 0)
		cfg->workers = ro.workers;
	if (cfg->resync_s == 0)
		cfg->resync_s = (unsigned)(ro.resync_ms / 1000);
	return 0;
}

/* Copy the config's strings into c->cfg. */
static void
ctl_copy_config(struct controller *c, const struct controller_config *in)
{
	c->cfg = *in;
	c->cfg.account_id = xstrdup_or_null(in->account_id);
	c->cfg.cluster_name = xstrdup_or_null(in->cluster_name);
	c->cfg.vpc_id = xstrdup_or_null(in->vpc_id);
	c->cfg.default_sn = xstrdup_or_null(in->default_sn);
	c->cfg.leader_ns = xstrdup_or_null(in->leader_ns);
	c->cfg.identity = xstrdup_or_null(in->identity);
	c->cfg.metrics_addr = xstrdup_or_null(in->metrics_addr);
	c->cfg.health_addr = xstrdup_or_null(in->health_addr);
	c->cfg.ns = xstrdup_or_null(in->ns);
	if (c->cfg.workers == 0)
		c->cfg.workers = 1;
	if (c->cfg.workers > RECONCILE_WORKERS_MAX)
		c->cfg.workers = RECONCILE_WORKERS_MAX;
	if (c->cfg.resync_s != 0 && c->cfg.resync_s < RECONCILE_RESYNC_MIN_S)
		c->cfg.resync_s = RECONCILE_RESYNC_MIN_S;
}

/* Free the copied config strings. */
static void
ctl_free_config(struct controller_config *cfg)
{
	free((char *)cfg->account_id);
	free((char *)cfg->cluster_name);
	free((char *)cfg->vpc_id);
	free((char *)cfg->default_sn);
	free((char *)cfg->leader_ns);
	free((char *)cfg->identity);
	free((char *)cfg->metrics_addr);
	free((char *)cfg->health_addr);
	free((char *)cfg->ns);
}

/* Check the required settings; ask STS for a missing account. */
static int
ctl_check_config(struct controller *c, char **cause)
{
	struct sts_identity	id;
	struct aws_error	err;

	if (c->cfg.cluster_name == NULL)
		return error_set(cause, "the cluster name is not set "
		    "(CLUSTER_NAME or --cluster-name)");
	if (c->cfg.vpc_id == NULL)
		return error_set(cause, "the cluster VPC is not set "
		    "(CLUSTER_VPC_ID or --vpc-id)");
	if (c->cfg.leader_elect && c->cfg.leader_ns == NULL)
		return error_set(cause, "leader election needs a namespace");
	if (c->cfg.account_id != NULL)
		return 0;
	memset(&id, 0, sizeof(id));
	memset(&err, 0, sizeof(err));
	if (sts_get_caller_identity(c->aws, &id, &err) != 0) {
		*cause = aws_error_string(&err);
		aws_error_clear(&err);
		return error_wrap(cause, "AWS_ACCOUNT_ID not set and "
		    "GetCallerIdentity failed");
	}
	c->cfg.account_id = xstrdup(id.account);
	sts_identity_clear(&id);
	return 0;
}

/* The leader gate: writers run only while leading. */
static int
ctl_gate(void *arg)
{
	struct controller	*c = arg;

	if (!c->cfg.leader_elect)
		return 1;
	return c->leader != NULL && kube_leader_is_leader(c->leader);
}

/* One reconciler over fn. */
static struct reconciler *
ctl_reconciler(struct controller *c, const char *name, unsigned workers,
    reconcile_fn fn)
{
	struct reconcile_opts	o;

	memset(&o, 0, sizeof(o));
	o.name = name;
	o.workers = workers;
	o.fn = fn;
	o.arg = c;
	o.gate = ctl_gate;
	o.gate_arg = c;
	o.metrics = c->metrics;
	return reconcile_new(&o);
}

/* Make the mirror, store, writers and reconcilers. */
static void
ctl_build(struct controller *c)
{
	struct mirror_config		mc;
	struct status_writer_opts	so;
	struct kube_recorder_opts	ro;
	size_t				k;

	c->lm.account_id = c->cfg.account_id;
	c->lm.cluster_name = c->cfg.cluster_name;
	c->lm.vpc_id = c->cfg.vpc_id;
	c->lm.default_sn = c->cfg.default_sn;
	c->lm.sn_override = c->cfg.sn_override;
	c->managed_by = lm_managed_by(&c->lm);
	memset(&mc, 0, sizeof(mc));
	mc.managed_by = c->managed_by;
	mc.vpc_id = c->cfg.vpc_id;
	mc.requeue_pending_s = c->cfg.requeue_pending_s;
	c->mirror = mirror_new(c->aws, &mc);
	c->store = cs_new();
	c->metrics = metrics_new();
	if (!c->cfg.no_events) {
		memset(&ro, 0, sizeof(ro));
		ro.instance = c->cfg.identity;
		c->rec = kube_recorder_new(c->kc, &ro);
	}
	memset(&so, 0, sizeof(so));
	so.kc = c->kc;
	so.rec = c->rec;
	c->sw = status_writer_new(&so);
	c->routes = ctl_reconciler(c, "route", c->cfg.workers,
	    ctl_route_reconcile);
	c->gateways = ctl_reconciler(c, "gateway", CTL_GATEWAY_WORKERS,
	    ctl_gw_reconcile);
	c->exports = ctl_reconciler(c, "serviceexport", CTL_EXPORT_WORKERS,
	    ctl_export_reconcile);
	c->policies = ctl_reconciler(c, "policy", CTL_EXPORT_WORKERS,
	    ctl_policy_reconcile);
	for (k = 0; k < CS_KIND_MAX; k++) {
		c->hctx[k].c = c;
		c->hctx[k].kind = (enum cs_kind)k;
	}
}

/* A controller, nothing started. */
struct controller *
controller_new(struct kube_client *kc, struct aws *aws,
    const struct controller_config *cfg, char **cause)
{
	struct controller	*c = xcalloc(1, sizeof(*c));

	c->kc = kc;
	c->aws = aws;
	ctl_copy_config(c, cfg);
	pthread_mutex_init(&c->mu, NULL);
	pthread_cond_init(&c->cv, NULL);
	pthread_mutex_init(&c->keys_mu, NULL);
	pthread_mutex_init(&c->sn_mu, NULL);
	if (ctl_check_config(c, cause) != 0) {
		controller_free(c);
		return NULL;
	}
	if (c->cfg.lattice_rps > 0) {
		aws_set_rate(aws, "vpc-lattice", c->cfg.lattice_rps,
		    c->cfg.lattice_burst);
		log_info("VPC Lattice client rate %.1f/s", c->cfg.lattice_rps);
	}
	ctl_build(c);
	return c;
}

/* Release a key record (map release function). */
static void
ctl_key_free(void *p)
{
	struct ctl_key	*k = p;

	if (k != NULL) {
		free(k->message);
		free(k);
	}
}

/* Stop and free. */
void
controller_free(struct controller *c)
{
	size_t	k;

	if (c == NULL)
		return;
	controller_stop(c);
	reconcile_free(c->routes);
	reconcile_free(c->gateways);
	reconcile_free(c->exports);
	reconcile_free(c->policies);
	for (k = 0; k < CS_KIND_MAX; k++)
		kube_informer_free(c->inf[k]);
	kube_leader_free(c->leader);
	status_writer_free(c->sw);
	kube_recorder_free(c->rec);
	mirror_free(c->mirror);
	cs_free(c->store);
	metrics_free(c->metrics);
	lattice_service_network_list_free(&c->sns);
	hmap_free(&c->keys, ctl_key_free);
	free(c->managed_by);
	ctl_free_config(&c->cfg);
	pthread_mutex_destroy(&c->mu);
	pthread_cond_destroy(&c->cv);
	pthread_mutex_destroy(&c->keys_mu);
	pthread_mutex_destroy(&c->sn_mu);
	free(c);
}

/* Resolve every kind's served version; required kinds must be served. */
int
ctl_resolve(struct controller *c, char **cause)
{
	size_t	k;
	int	rc;
	char	*why = NULL;

	if (c->resolved)
		return 0;
	for (k = 0; k < CS_KIND_MAX; k++) {
		rc = kube_resource_resolve(c->kc, cs_kind_res(k), &c->res[k],
		    &why);
		if (rc < 0 || (rc == 1 && k <= CS_HTTPROUTE)) {
			*cause = why;
			return -1;
		}
		if (rc == 1)
			log_info("%s: not watched", why);
		free(why);
		why = NULL;
		c->served[k] = rc == 0;
	}
	c->resolved = 1;
	return 0;
}

/* Make, index and start the informer of kind k. */
static int
ctl_informer(struct controller *c, enum cs_kind k, char **cause)
{
	struct kube_informer_opts	 o;
	struct kube_handler		 h;
	struct kube_cache		*kc;

	memset(&o, 0, sizeof(o));
	o.res = &c->res[k];
	o.ns = c->res[k].namespaced ? c->cfg.ns : NULL;
	c->inf[k] = kube_informer_new(c->kc, &o);
	kc = kube_informer_cache(c->inf[k]);
	if (cs_is_route(k)) {
		kube_cache_add_index(kc, KUBE_INDEX_ROUTE_PARENTS,
		    kube_index_route_parents, NULL);
		kube_cache_add_index(kc, KUBE_INDEX_ROUTE_BACKENDS,
		    kube_index_route_backends, NULL);
	}
	ctl_handlers(c, k, &h);
	kube_informer_add_handler(c->inf[k], &h);
	return kube_informer_start(c->inf[k], cause);
}

/* Start the informers and wait for their first lists. */
static int
ctl_start_informers(struct controller *c, uint64_t timeout_ms, char **cause)
{
	size_t		k;
	uint64_t	end = time_mono_ms() + timeout_ms, now;

	for (k = 0; k < CS_KIND_MAX; k++) {
		if (c->served[k] && ctl_informer(c, (enum cs_kind)k, cause) !=
		    0)
			return -1;
	}
	for (k = 0; k < CS_KIND_MAX; k++) {
		if (c->inf[k] == NULL)
			continue;
		now = time_mono_ms();
		if (kube_informer_wait_synced(c->inf[k], timeout_ms == 0 ? -1 :
		    now >= end ? 0 : (long)(end - now)) != 1)
			return error_set(cause, "%s: not synced in time",
			    c->res[k].resource);
	}
	return 0;
}

/* readyz: informers synced and the mirror loaded. */
static int
ctl_ready(void *arg, char **why)
{
	struct controller	*c = arg;
	size_t			 k;

	for (k = 0; k < CS_KIND_MAX; k++) {
		if (c->inf[k] != NULL && !kube_informer_synced(c->inf[k])) {
			xasprintf(why, "%s informer not synced",
			    c->res[k].resource);
			return -1;
		}
	}
	if (!mirror_loaded(c->mirror)) {
		*why = xstrdup("the Lattice mirror is not loaded");
		return -1;
	}
	return 0;
}

/* Start the /metrics and probe servers. */
static int
ctl_start_metrics(struct controller *c, char **cause)
{
	struct metrics_server_opts	o;

	if (c->cfg.metrics_addr == NULL && c->cfg.health_addr == NULL)
		return 0;
	aws_set_trace(c->aws, metrics_trace_aws, c->metrics);
	memset(&o, 0, sizeof(o));
	o.metrics_addr = c->cfg.metrics_addr;
	o.health_addr = c->cfg.health_addr;
	o.metrics = c->metrics;
	o.readyz = ctl_ready;
	o.check_arg = c;
	c->msrv = metrics_server_start(&o, cause);
	return c->msrv != NULL ? 0 : -1;
}

/* Leadership changed: let the workers ask the gate again. */
static void
ctl_leader_changed(struct controller *c, int leader)
{
	log_info("%s leadership", leader ? "acquired" : "lost");
	metrics_set_leader(c->metrics, UP_LEADER_ELECTION_ID, leader);
	reconcile_gate_changed(c->routes);
	reconcile_gate_changed(c->gateways);
	reconcile_gate_changed(c->exports);
	reconcile_gate_changed(c->policies);
}

/* kube_leader callback: became leader. */
static void
ctl_leader_started(void *arg)
{
	ctl_leader_changed(arg, 1);
}

/* kube_leader callback: stopped leading. */
static void
ctl_leader_stopped(void *arg)
{
	ctl_leader_changed(arg, 0);
}

/* Start the leader elector. */
static int
ctl_start_leader(struct controller *c, char **cause)
{
	struct kube_leader_opts	o;

	if (!c->cfg.leader_elect)
		return 0;
	memset(&o, 0, sizeof(o));
	o.ns = c->cfg.leader_ns;
	o.name = UP_LEADER_ELECTION_ID;
	o.identity = c->cfg.identity;
	o.started = ctl_leader_started;
	o.stopped = ctl_leader_stopped;
	o.arg = c;
	if ((c->leader = kube_leader_new(c->kc, &o, cause)) == NULL)
		return -1;
	return kube_leader_start(c->leader, cause);
}

/* The resync thread: every resync_s (plus jitter), reload and requeue. */
static void *
ctl_resync_main(void *arg)
{
	struct controller	*c = arg;
	struct timespec		 ts;
	uint64_t		 ms;
	char			*cause = NULL;

	pthread_mutex_lock(&c->mu);
	while (!c->stopping) {
		ms = (uint64_t)c->cfg.resync_s * 1000;
		ms += rand_below(ms * RECONCILE_RESYNC_JITTER_PCT / 100 + 1);
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += (time_t)(ms / 1000);
		ts.tv_nsec += (long)(ms % 1000) * 1000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		while (!c->stopping && pthread_cond_timedwait(&c->cv, &c->mu,
		    &ts) == 0)
			;
		if (c->stopping || !ctl_gate(c))
			continue;
		pthread_mutex_unlock(&c->mu);
		if (controller_resync(c, &cause) != 0) {
			log_warn("resync: %s", cause);
			free(cause);
			cause = NULL;
		}
		pthread_mutex_lock(&c->mu);
	}
	pthread_mutex_unlock(&c->mu);
	return NULL;
}

/* Start the workers and the resync thread. */
static int
ctl_start_workers(struct controller *c, char **cause)
{
	if (reconcile_start(c->routes, cause) != 0 ||
	    reconcile_start(c->gateways, cause) != 0 ||
	    reconcile_start(c->exports, cause) != 0 ||
	    reconcile_start(c->policies, cause) != 0)
		return -1;
	if (c->cfg.resync_s == 0)
		return 0;
	if (pthread_create(&c->resync_tid, NULL, ctl_resync_main, c) != 0)
		return error_set(cause, "cannot start the resync thread");
	c->resync_running = 1;
	return 0;
}

/* Load the Lattice state, trying again while it fails (one throttled
 * list after its retries must not end the process); gives up after
 * CTL_LOAD_TRIES or when stopped. */
static int
ctl_load_mirror(struct controller *c, char **cause)
{
	struct backoff	bo;
	unsigned	i;

	backoff_init(&bo, CTL_LOAD_BASE_MS, CTL_LOAD_CAP_MS);
	for (i = 1; mirror_load(c->mirror, cause) != 0; i++) {
		if (i == CTL_LOAD_TRIES || c->stopping)
			return error_wrap(cause, "loading the Lattice state");
		log_warn("loading the Lattice state (try %u of %u): %s", i,
		    CTL_LOAD_TRIES, *cause);
		free(*cause);
		*cause = NULL;
		time_sleep_ms(backoff_next(&bo));
	}
	return 0;
}

/* Start everything. */
int
controller_start(struct controller *c, uint64_t timeout_ms, char **cause)
{
	if (c->started)
		return 0;
	c->started = 1;
	if (ctl_resolve(c, cause) != 0 ||
	    ctl_start_informers(c, timeout_ms, cause) != 0)
		return -1;
	if (ctl_load_mirror(c, cause) != 0)
		return -1;
	ctl_sn_seed(c);
	c->mirror_ok = 1;
	if (c->cfg.default_sn != NULL)
		reconcile_add(c->gateways, CTL_KEY_DEFAULT_SN);
	log_info("started: %u route workers, managed by %s%s",
	    c->cfg.workers, c->managed_by, c->cfg.dry_run ? " (dry run)" :
	    "");
	if (ctl_start_metrics(c, cause) != 0 ||
	    ctl_start_leader(c, cause) != 0 ||
	    ctl_start_workers(c, cause) != 0)
		return -1;
	return 0;
}

/* Thread body: stop one informer. */
static void *
ctl_stop_one(void *arg)
{
	kube_informer_stop(arg);
	return NULL;
}

/* Stop the informers side by side: each stop waits up to about a second
 * for its stream's cancel poll. */
static void
ctl_stop_informers(struct controller *c)
{
	pthread_t	tid[CS_KIND_MAX];
	int		started[CS_KIND_MAX];
	size_t		k;

	for (k = 0; k < CS_KIND_MAX; k++) {
		started[k] = c->inf[k] != NULL && pthread_create(&tid[k], NULL,
		    ctl_stop_one, c->inf[k]) == 0;
		if (c->inf[k] != NULL && !started[k])
			kube_informer_stop(c->inf[k]);
	}
	for (k = 0; k < CS_KIND_MAX; k++) {
		if (started[k])
			pthread_join(tid[k], NULL);
	}
}

/* Stop everything. */
void
controller_stop(struct controller *c)
{

	pthread_mutex_lock(&c->mu);
	c->stopping = 1;
	pthread_cond_broadcast(&c->cv);
	pthread_mutex_unlock(&c->mu);
	if (c->resync_running) {
		pthread_join(c->resync_tid, NULL);
		c->resync_running = 0;
	}
	if (c->routes != NULL) {
		reconcile_stop(c->routes, RECONCILE_STOP_NOW);
		reconcile_stop(c->gateways, RECONCILE_STOP_NOW);
		reconcile_stop(c->exports, RECONCILE_STOP_NOW);
		reconcile_stop(c->policies, RECONCILE_STOP_NOW);
	}
	if (c->leader != NULL)
		kube_leader_stop(c->leader);
	ctl_stop_informers(c);
	metrics_server_stop(c->msrv);
	c->msrv = NULL;
}

/* Whether reconciles may write (not a dry run). */
int
ctl_writes(struct controller *c)
{
	return !c->cfg.dry_run;
}

/* Record the outcome of a key's reconcile. */
void
ctl_key_set(struct controller *c, const char *key, enum ctl_state st,
    const char *fmt, ...)
{
	struct ctl_key	*k;
	va_list		 ap;

	pthread_mutex_lock(&c->keys_mu);
	if ((k = hmap_get(&c->keys, key)) == NULL) {
		k = xcalloc(1, sizeof(*k));
		hmap_put(&c->keys, key, k);
	}
	k->state = st;
	free(k->message);
	va_start(ap, fmt);
	xvasprintf(&k->message, fmt, ap);
	va_end(ap);
	pthread_mutex_unlock(&c->keys_mu);
}

/* Forget a key's record (its object is gone). */
void
ctl_key_forget(struct controller *c, const char *key)
{
	pthread_mutex_lock(&c->keys_mu);
	ctl_key_free(hmap_del(&c->keys, key));
	pthread_mutex_unlock(&c->keys_mu);
}

/* Count one key record into a summary (hmap_each callback). */
static int
ctl_sum_one(void *arg, const char *key, void *val)
{
	struct controller_summary	*s = arg;
	struct ctl_key			*k = val;

	(void)key;
	s->keys++;
	switch (k->state) {
	case CTL_CONVERGED: s->converged++; break;
	case CTL_PENDING: s->pending++; break;
	case CTL_BLOCKED: s->blocked++; break;
	case CTL_FAILED: s->failed++; break;
	case CTL_DRIFT: s->drift++; break;
	}
	return 0;
}

/* Work not finished yet, summed over the reconcilers. */
static uint64_t
ctl_activity(struct controller *c, int *busy)
{
	struct reconciler	*r[CTL_RECONCILERS] = { c->routes, c->gateways,
	    c->exports, c->policies };
	struct reconcile_stats	 st;
	uint64_t		 sum = 0;
	size_t			 i;

	*busy = 0;
	for (i = 0; i < CTL_RECONCILERS; i++) {
		reconcile_stats(r[i], &st);
		sum += st.processed + st.adds;
		if (st.depth > 0 || st.waiting > 0 || st.processing > 0)
			*busy = 1;
	}
	return sum;
}

/* Wait until every reconciler is idle and stays idle. */
int
controller_wait_converged(struct controller *c, uint64_t timeout_ms,
    struct controller_summary *sum)
{
	struct reconciler	*r[CTL_RECONCILERS] = { c->routes, c->gateways,
	    c->exports, c->policies };
	uint64_t		 end = time_mono_ms() + timeout_ms, before, now;
	size_t			 i;
	int			 busy;

	memset(sum, 0, sizeof(*sum));
	for (;;) {
		for (i = 0; i < CTL_RECONCILERS; i++) {
			now = time_mono_ms();
			if (now >= end ||
			    reconcile_wait_idle(r[i], end - now) != 0)
				return -1;
		}
		before = ctl_activity(c, &busy);
		time_sleep_ms(CTL_SETTLE_MS);
		if (ctl_activity(c, &busy) == before && !busy)
			break;
		if (time_mono_ms() >= end)
			return -1;
	}
	pthread_mutex_lock(&c->keys_mu);
	hmap_each(&c->keys, ctl_sum_one, sum);
	pthread_mutex_unlock(&c->keys_mu);
	return 0;
}

/* Reload the mirror and queue every key. */
int
controller_resync(struct controller *c, char **cause)
{
	if (mirror_load(c->mirror, cause) != 0)
		return -1;
	ctl_sn_seed(c);
	ctl_queue_all(c);
	return 0;
}

/* Append one key record to an array (hmap_each callback). */
static int
ctl_key_json(void *arg, const char *key, void *val)
{
	static const char *const names[] = { "converged", "pending",
	    "blocked", "failed", "drift" };
	struct ctl_key	*k = val;
	cJSON		*o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "key", key);
	cJSON_AddStringToObject(o, "state", names[k->state]);
	cJSON_AddStringToObject(o, "message", k->message != NULL ?
	    k->message : "");
	cJSON_AddItemToArray(arg, o);
	return 0;
}

/* Order two key records by key. */
static int
ctl_key_cmp(const void *a, const void *b)
{
	const cJSON	*x = *(const cJSON *const *)a;
	const cJSON	*y = *(const cJSON *const *)b;

	return strcmp(json_str(x, "key"), json_str(y, "key"));
}

/* Every key's last outcome, sorted by key. */
cJSON *
controller_keys_json(struct controller *c)
{
	cJSON	*tmp = cJSON_CreateArray(), *out = cJSON_CreateArray(), **v;
	size_t	 i, n;

	pthread_mutex_lock(&c->keys_mu);
	hmap_each(&c->keys, ctl_key_json, tmp);
	pthread_mutex_unlock(&c->keys_mu);
	n = (size_t)cJSON_GetArraySize(tmp);
	v = xcalloc(n + 1, sizeof(*v));
	for (i = 0; i < n; i++)
		v[i] = cJSON_DetachItemFromArray(tmp, 0);
	qsort(v, n, sizeof(*v), ctl_key_cmp);
	for (i = 0; i < n; i++)
		cJSON_AddItemToArray(out, v[i]);
	free(v);
	cJSON_Delete(tmp);
	return out;
}

/* Lattice API calls made through the mirror and apply. */
uint64_t
controller_lattice_calls(struct controller *c, int writes_only)
{
	return mirror_calls(c->mirror, writes_only);
}
