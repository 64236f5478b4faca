/* The simulator's AWS endpoint: setup, registry, dispatch, state, clock. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LOG_MODULE "sim-aws"
#include "latticectl/error.h"
#include "latticectl/json.h"
#include "latticectl/log.h"
#include "latticectl/rand.h"
#include "latticectl/sigv4.h"
#include "latticectl/tbucket.h"
#include "latticectl/timeutil.h"
#include "latticectl/xmalloc.h"

#include "aws_int.h"
#include "sim_record.h"

#define SIM_AWS_MAX_SERVICES	16
#define SIM_AWS_STATE_VERSION	1

_Static_assert(sizeof(((struct sim_faults *)0)->throttle_rate) /
    sizeof(double) == SIM_FAMILY_MAX, "families and throttle_rate agree");

static const char *const sim_family_names[SIM_FAMILY_MAX] = {
	"lattice", "ec2", "iam", "sts", "eks", "tagging", "kube", NULL
};

/* The name of a family, or NULL. */
const char *
sim_family_name(int family)
{
	if (family < 0 || family >= SIM_FAMILY_MAX)
		return NULL;
	return sim_family_names[family];
}

/* The family index for a name, or -1. */
int
sim_family_parse(const char *name)
{
	int	i;

	for (i = 0; i < SIM_FAMILY_MAX; i++) {
		if (sim_family_names[i] != NULL &&
		    strcmp(sim_family_names[i], name) == 0)
			return i;
	}
	return -1;
}

/* A fresh, empty state tree. */
static cJSON *
aws_state_new(void)
{
	cJSON	*st;

	st = cJSON_CreateObject();
	cJSON_AddNumberToObject(st, "version", SIM_AWS_STATE_VERSION);
	cJSON_AddNumberToObject(st, "seq", 0);
	cJSON_AddArrayToObject(st, "users");
	cJSON_AddObjectToObject(st, "services");
	return st;
}

/* Fill the option defaults. */
static void
aws_opts_defaults(struct sim_aws_opts *o)
{
	struct sim_aws_quotas	*q = &o->quotas;

	if (q->listeners_per_service == 0)
		q->listeners_per_service = 2;
	if (q->rules_per_listener == 0)
		q->rules_per_listener = 10;
	if (q->tgs_per_service == 0)
		q->tgs_per_service = 10;
	if (q->targets_per_tg == 0)
		q->targets_per_tg = 1000;
	if (q->services == 0)
		q->services = 2000;
	if (q->service_networks == 0)
		q->service_networks = 50;
	if (q->target_groups == 0)
		q->target_groups = 500;
	if (q->associations_per_sn == 0)
		q->associations_per_sn = 500;
}

/* Set each family's token bucket from rate[] (lock held or unshared). */
static void
aws_set_rates(struct sim_aws *sim, const double *rate)
{
	int	i;

	for (i = 0; i < SIM_FAMILY_MAX; i++) {
		sim->opts.rate[i] = rate[i];
		sim->buckets[i].burst = rate[i] < 1 ? 1 : rate[i];
		tbucket_set_rate(&sim->buckets[i], rate[i]);
	}
}

/* A new simulator with the seeded user and the built-in services. */
struct sim_aws *
sim_aws_new(const struct sim_aws_opts *opts)
{
	struct sim_aws	*sim;
	int		 i;

	sim = xcalloc(1, sizeof *sim);
	if (opts != NULL)
		sim->opts = *opts;
	aws_opts_defaults(&sim->opts);
	sim->account = xstrdup(opts != NULL && opts->account_id != NULL ?
	    opts->account_id : SIM_ACCOUNT_ID);
	sim->region = xstrdup(opts != NULL && opts->region != NULL ?
	    opts->region : SIM_REGION);
	sim->opts.account_id = sim->account;
	sim->opts.region = sim->region;
	pthread_mutex_init(&sim->lock, NULL);
	for (i = 0; i < SIM_FAMILY_MAX; i++)
		tbucket_init(&sim->buckets[i], 0, 1);
	aws_set_rates(sim, sim->opts.rate);
	sim->state = aws_state_new();
	aws_seed_user(sim);
	if (!sim->opts.no_builtin)
		sim_aws_register(sim, &sim_aws_lattice_service);
	return sim;
}

/* Free the simulator. */
void
sim_aws_free(struct sim_aws *sim)
{
	int	i;

	if (sim == NULL)
		return;
	for (i = 0; i < SIM_FAMILY_MAX; i++)
		tbucket_free(&sim->buckets[i]);
	cJSON_Delete(sim->state);
	pthread_mutex_destroy(&sim->lock);
	free(sim->account);
	free(sim->region);
	free(sim);
}

/* Add a service to the registry. */
int
sim_aws_register(struct sim_aws *sim, const struct sim_aws_service *svc)
{
	int	rc = -1;

	pthread_mutex_lock(&sim->lock);
	if (sim->nsvcs < SIM_AWS_MAX_SERVICES &&
	    aws_find_service(sim, svc->signing_name) == NULL) {
		sim->svcs[sim->nsvcs++] = svc;
		rc = 0;
	}
	pthread_mutex_unlock(&sim->lock);
	return rc;
}

/* The service registered under a signing name, or NULL (lock held). */
const struct sim_aws_service *
aws_find_service(struct sim_aws *sim, const char *name)
{
	size_t	i;

	for (i = 0; i < sim->nsvcs; i++) {
		if (strcmp(sim->svcs[i]->signing_name, name) == 0)
			return sim->svcs[i];
	}
	return NULL;
}

/* The first service that accepts this unsigned request, or NULL. */
const struct sim_aws_service *
aws_find_unsigned(struct sim_aws *sim, const struct httpd_request *req)
{
	size_t	i;

	for (i = 0; i < sim->nsvcs; i++) {
		if (sim->svcs[i]->unsigned_ok != NULL &&
		    sim->svcs[i]->unsigned_ok(req))
			return sim->svcs[i];
	}
	return NULL;
}

/* The service's own state subtree, created empty (lock held). */
cJSON *
sim_aws_state(struct sim_aws *sim, const char *key)
{
	cJSON	*svcs, *sub;

	svcs = cJSON_GetObjectItemCaseSensitive(sim->state, "services");
	sub = cJSON_GetObjectItemCaseSensitive(svcs, key);
	if (sub == NULL)
		sub = cJSON_AddObjectToObject(svcs, key);
	return sub;
}

/* The simulated account id. */
const char *
sim_aws_account(const struct sim_aws *sim)
{
	return sim->account;
}

/* The simulated region. */
const char *
sim_aws_region(const struct sim_aws *sim)
{
	return sim->region;
}

/* The options in force (defaults filled). */
const struct sim_aws_opts *
sim_aws_opts(const struct sim_aws *sim)
{
	return &sim->opts;
}

/* The next value of the state-wide counter (lock held). */
int64_t
sim_aws_next_seq(struct sim_aws *sim)
{
	cJSON	*seq;
	int64_t	 v;

	seq = cJSON_GetObjectItemCaseSensitive(sim->state, "seq");
	v = (int64_t)cJSON_GetNumberValue(seq) + 1;
	cJSON_SetNumberValue(seq, (double)v);
	return v;
}

/* Epoch milliseconds of the simulated clock (any thread). */
int64_t
sim_aws_now_ms(struct sim_aws *sim)
{
	struct timespec	ts;

	ts = time_now();
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000 +
	    atomic_load(&sim->clock_offset_ms);
}

/* Move the simulated clock forward (tests). */
void
sim_aws_advance(struct sim_aws *sim, int64_t ms)
{
	atomic_fetch_add(&sim->clock_offset_ms, ms);
}

/* ISO-8601 UTC with milliseconds for an epoch-ms time. */
void
sim_aws_iso_time(struct sim_aws *sim, int64_t ms, char out[40])
{
	struct timespec	ts;

	(void)sim;
	ts.tv_sec = (time_t)(ms / 1000);
	ts.tv_nsec = (long)(ms % 1000) * 1000000;
	time_format_rfc3339(&ts, 3, out, 40);
}

/* Random [0-9a-z] (or hex) characters, NUL-terminated (out: n + 1). */
void
sim_aws_rand_chars(char *out, size_t n, int hex)
{
	static const char	 alnum[] = "0123456789abcdefghijklmnopqrstuvwxyz";
	unsigned char		 b[64];
	size_t			 i, k;

	for (i = 0; i < n; i += k) {
		k = n - i < sizeof b ? n - i : sizeof b;
		rand_bytes(b, k);
		while (k-- > 0)
			out[i + k] = hex ? alnum[b[k] & 15] : alnum[b[k] % 36];
		k = n - i < sizeof b ? n - i : sizeof b;
	}
	out[n] = '\0';
}

/* Change faults and rate limits at run time. */
void
sim_aws_set_faults(struct sim_aws *sim, const struct sim_faults *f,
    const double *rate)
{
	pthread_mutex_lock(&sim->lock);
	if (f != NULL)
		sim->opts.faults = *f;
	if (rate != NULL)
		aws_set_rates(sim, rate);
	pthread_mutex_unlock(&sim->lock);
}

/* Copy the counters. */
void
sim_aws_stats(struct sim_aws *sim, struct sim_aws_stats *out)
{
	pthread_mutex_lock(&sim->lock);
	*out = sim->stats;
	pthread_mutex_unlock(&sim->lock);
}

/* The whole state as a new tree. */
cJSON *
sim_aws_save(struct sim_aws *sim)
{
	cJSON	*copy;

	pthread_mutex_lock(&sim->lock);
	copy = cJSON_Duplicate(sim->state, 1);
	pthread_mutex_unlock(&sim->lock);
	return copy;
}

/* Replace the state with a copy of a saved tree. */
int
sim_aws_load(struct sim_aws *sim, const cJSON *saved, char **cause)
{
	const cJSON	*users, *svcs, *seq, *ver;

	ver = cJSON_GetObjectItemCaseSensitive(saved, "version");
	users = cJSON_GetObjectItemCaseSensitive(saved, "users");
	svcs = cJSON_GetObjectItemCaseSensitive(saved, "services");
	seq = cJSON_GetObjectItemCaseSensitive(saved, "seq");
	if (!cJSON_IsObject(saved))
		return error_set(cause, "aws state: not an object");
	if (!cJSON_IsNumber(ver) || ver->valueint != SIM_AWS_STATE_VERSION)
		return error_set(cause, "aws state: version: want %d",
		    SIM_AWS_STATE_VERSION);
	if (!cJSON_IsArray(users) || !cJSON_IsObject(svcs) ||
	    !cJSON_IsNumber(seq))
		return error_set(cause, "aws state: users, services or seq "
		    "missing or of the wrong type");
	pthread_mutex_lock(&sim->lock);
	cJSON_Delete(sim->state);
	sim->state = cJSON_Duplicate(saved, 1);
	if (aws_find_user(sim, SIM_ACCESS_KEY) == NULL)
		aws_seed_user(sim);
	pthread_mutex_unlock(&sim->lock);
	return 0;
}

/* Add the seeded lab user (lock held or unshared). */
void
aws_seed_user(struct sim_aws *sim)
{
	char	*arn;

	xasprintf(&arn, "arn:aws:iam::%s:user/sim-admin", sim->account);
	aws_put_user(sim, SIM_ACCESS_KEY, SIM_SECRET_KEY, NULL, arn,
	    "AIDASIMULATORADMIN01", 0);
	free(arn);
}

/* Add or replace a user (lock held). */
void
aws_put_user(struct sim_aws *sim, const char *ak, const char *sk,
    const char *token, const char *arn, const char *user_id,
    int64_t expires_ms)
{
	cJSON	*users, *u, *old;

	users = cJSON_GetObjectItemCaseSensitive(sim->state, "users");
	if ((old = aws_find_user(sim, ak)) != NULL)
		cJSON_Delete(cJSON_DetachItemViaPointer(users, old));
	u = cJSON_CreateObject();
	cJSON_AddStringToObject(u, "accessKeyId", ak);
	cJSON_AddStringToObject(u, "secretAccessKey", sk);
	json_add_str_opt(u, "sessionToken", token);
	cJSON_AddStringToObject(u, "arn", arn != NULL ? arn : "");
	cJSON_AddStringToObject(u, "userId", user_id != NULL ? user_id : ak);
	cJSON_AddNumberToObject(u, "expiresMs", (double)expires_ms);
	cJSON_AddItemToArray(users, u);
}

/* Add a simulated principal. */
void
sim_aws_add_user(struct sim_aws *sim, const char *ak, const char *sk,
    const char *token, const char *arn, const char *user_id,
    int64_t expires_ms)
{
	pthread_mutex_lock(&sim->lock);
	aws_put_user(sim, ak, sk, token, arn, user_id, expires_ms);
	pthread_mutex_unlock(&sim->lock);
}

/* The user with this access key, or NULL (lock held). */
cJSON *
aws_find_user(struct sim_aws *sim, const char *ak)
{
	cJSON	*users, *u;

	users = cJSON_GetObjectItemCaseSensitive(sim->state, "users");
	cJSON_ArrayForEach(u, users) {
		if (sigv4_equal(json_str(u, "accessKeyId") != NULL ?
		    json_str(u, "accessKeyId") : "", ak))
			return u;
	}
	return NULL;
}

/* Serve one request: latency, authentication, faults, the service. */
void
sim_aws_handle(void *arg, const struct httpd_request *req,
    struct httpd_response *resp)
{
	struct sim_aws		*sim = arg;
	struct sim_aws_call	 call;
	unsigned		 latency;
	char			*ak;

	memset(&call, 0, sizeof call);
	call.sim = sim;
	call.req = req;
	call.resp = resp;
	rand_uuid4(call.request_id);
	pthread_mutex_lock(&sim->lock);
	latency = sim->opts.faults.latency_ms;
	pthread_mutex_unlock(&sim->lock);
	if (latency > 0)
		time_sleep_ms(latency);
	pthread_mutex_lock(&sim->lock);
	sim->stats.requests++;
	if (aws_auth(&call) == 0 && aws_faults_apply(&call) == 0)
		call.svc->handle(&call);
	ak = call.user != NULL ? xstrdup_or_null(json_str(call.user,
	    "accessKeyId")) : NULL;
	pthread_mutex_unlock(&sim->lock);
	if (resp->status == 0)
		aws_internal_error(&call);
	sim_record_aws(req->method, req->path, resp->status, ak);
	free(ak);
	log_debug("%s %s -> %d", req->method, req->path, resp->status);
}
