/* Tests for Lease leader election (kube_leader_*) against the simulated
 * API server: the tryAcquireOrRenew algorithm step by step with a fake
 * clock, conflicts, release, and the elector threads with short
 * durations. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/json.h"
#include "latticectl/kleader.h"
#include "latticectl/timeutil.h"
#include "latticectl/xmalloc.h"
#include "ksim_fixture.h"

#define LEASE_PATH "/apis/coordination.k8s.io/v1/namespaces/default/leases/ctl"

/* A fake monotonic clock. */
static uint64_t
fake_mono(void *arg)
{
	return *(uint64_t *)arg;
}

/* An elector with the fake clock and default durations. */
static struct kube_leader *
elector(struct kube_client *kc, const char *id, uint64_t *clock)
{
	struct kube_leader_opts	 o;
	struct kube_leader	*le;
	char			*cause = NULL;

	memset(&o, 0, sizeof o);
	o.ns = "default";
	o.name = "ctl";
	o.identity = id;
	o.mono = fake_mono;
	o.mono_arg = clock;
	if ((le = kube_leader_new(kc, &o, &cause)) == NULL)
		fail_msg("leader: %s", cause);
	return le;
}

/* The Lease as stored by the simulator. */
static cJSON *
get_lease(struct ksim *x)
{
	cJSON	*l = NULL;

	assert_int_equal(ksim_req(x, "GET", LEASE_PATH, NULL, &l), 200);
	return l;
}

/* One try that must not fail. */
static int
try_ok(struct kube_leader *le)
{
	struct kube_error	 e;
	int			 r;

	memset(&e, 0, sizeof e);
	r = kube_leader_try(le, &e);
	if (r < 0)
		fail_msg("try: %s", e.message != NULL ? e.message : "?");
	kube_error_clear(&e);
	return r;
}

/* Durations client-go would refuse are refused. */
static void
test_validation(void **state)
{
	struct kube_leader_opts	 o;
	char			*cause = NULL;

	(void)state;
	memset(&o, 0, sizeof o);
	o.ns = "default";
	o.name = "x";
	o.lease_ms = 10000;
	assert_null(kube_leader_new(NULL, &o, &cause));
	assert_non_null(strstr(cause, "renew deadline"));
	free(cause);
	cause = NULL;
	o.lease_ms = 3000;
	o.renew_ms = 2000;
	o.retry_ms = 1700;		/* 1.2 x 1700 > 2000 */
	assert_null(kube_leader_new(NULL, &o, &cause));
	assert_non_null(strstr(cause, "retry period"));
	free(cause);
	cause = NULL;
	o.name = NULL;
	assert_null(kube_leader_new(NULL, &o, &cause));
	free(cause);
}

/* Create, renew (acquireTime and transitions kept), a candidate waits for
 * the observed lease duration, then takes over (transitions + 1). */
static void
test_acquire_renew_takeover(void **state)
{
	struct ksim		 x;
	struct kube_client	*ka, *kb;
	struct kube_leader	*a, *b;
	struct kube_leader_stats st;
	uint64_t		 clock = 1000000;
	cJSON			*l;
	char			*acq, *renew;

	(void)state;
	assert_int_equal(ksim_start(&x, NULL), 0);
	ka = ksim_client(&x);
	kb = ksim_client(&x);
	a = elector(ka, "a", &clock);
	b = elector(kb, "b", &clock);
	assert_int_equal(try_ok(a), 1);			/* creates */
	l = get_lease(&x);
	assert_string_equal(json_path_str(l, "spec.holderIdentity"), "a");
	assert_int_equal((int)json_num(json_path(l, "spec"),
	    "leaseDurationSeconds", 0), 15);
	assert_int_equal((int)json_num(json_path(l, "spec"),
	    "leaseTransitions", -1), 0);
	acq = xstrdup(json_path_str(l, "spec.acquireTime"));
	renew = xstrdup(json_path_str(l, "spec.renewTime"));
	assert_int_equal(strlen(acq), 27);		/* MicroTime */
	cJSON_Delete(l);
	assert_int_equal(try_ok(b), 0);			/* held by a */
	clock += 2000;
	time_sleep_ms(2);
	assert_int_equal(try_ok(a), 1);			/* renew */
	l = get_lease(&x);
	assert_string_equal(json_path_str(l, "spec.acquireTime"), acq);
	assert_string_not_equal(json_path_str(l, "spec.renewTime"), renew);
	assert_int_equal((int)json_num(json_path(l, "spec"),
	    "leaseTransitions", -1), 0);
	cJSON_Delete(l);
	clock += 14000;	/* 16 s after b first looked, 14 s after a renewed */
	assert_int_equal(try_ok(b), 0);			/* saw a change */
	clock += 14999;
	assert_int_equal(try_ok(b), 0);			/* still valid */
	clock += 2;
	assert_int_equal(try_ok(b), 1);			/* expired: take over */
	l = get_lease(&x);
	assert_string_equal(json_path_str(l, "spec.holderIdentity"), "b");
	assert_int_equal((int)json_num(json_path(l, "spec"),
	    "leaseTransitions", -1), 1);
	assert_string_not_equal(json_path_str(l, "spec.acquireTime"), acq);
	cJSON_Delete(l);
	assert_int_equal(try_ok(a), 0);			/* a sees b */
	kube_leader_stats(a, &st);
	assert_int_equal(st.attempts, 3);
	free(acq);
	free(renew);
	kube_leader_free(a);
	kube_leader_free(b);
	kube_client_free(ka);
	kube_client_free(kb);
	ksim_stop(&x);
}

/* Release writes holder "" and duration 1; the next candidate takes over
 * at once; releasing a Lease one does not hold writes nothing. */
static void
test_release(void **state)
{
	struct ksim		 x;
	struct kube_client	*kc;
	struct kube_leader	*a, *b;
	struct kube_error	 e;
	uint64_t		 clock = 5000;
	cJSON			*l;
	int			 puts;

	(void)state;
	memset(&e, 0, sizeof e);
	assert_int_equal(ksim_start(&x, NULL), 0);
	kc = ksim_client(&x);
	a = elector(kc, "a", &clock);
	b = elector(kc, "b", &clock);
	assert_int_equal(try_ok(a), 1);
	assert_int_equal(try_ok(b), 0);
	assert_int_equal(kube_leader_release(a, &e), 0);
	l = get_lease(&x);
	assert_string_equal(json_path_str(l, "spec.holderIdentity"), "");
	assert_int_equal((int)json_num(json_path(l, "spec"),
	    "leaseDurationSeconds", 0), 1);
	cJSON_Delete(l);
	assert_int_equal(try_ok(b), 1);			/* no wait */
	l = get_lease(&x);
	assert_string_equal(json_path_str(l, "spec.holderIdentity"), "b");
	assert_int_equal((int)json_num(json_path(l, "spec"),
	    "leaseTransitions", -1), 1);
	cJSON_Delete(l);
	puts = atomic_load(&x.puts);
	assert_int_equal(kube_leader_release(a, &e), 0);
	assert_int_equal(atomic_load(&x.puts), puts);
	kube_error_clear(&e);
	kube_leader_free(a);
	kube_leader_free(b);
	kube_client_free(kc);
	ksim_stop(&x);
}

/* A write by someone else between renewals: the fast path's PUT gets 409
 * and the slow path sees the new holder. */
static void
test_conflict(void **state)
{
	struct ksim		 x;
	struct kube_client	*kc;
	struct kube_leader	*a;
	struct kube_leader_stats st;
	uint64_t		 clock = 5000;
	cJSON			*l;
	char			*body;

	(void)state;
	assert_int_equal(ksim_start(&x, NULL), 0);
	kc = ksim_client(&x);
	a = elector(kc, "a", &clock);
	assert_int_equal(try_ok(a), 1);
	l = get_lease(&x);
	cJSON_ReplaceItemInObjectCaseSensitive(cJSON_GetObjectItem(l, "spec"),
	    "holderIdentity", cJSON_CreateString("intruder"));
	body = json_print(l);
	assert_int_equal(ksim_req(&x, "PUT", LEASE_PATH, body, NULL), 200);
	free(body);
	cJSON_Delete(l);
	assert_int_equal(try_ok(a), 0);
	kube_leader_stats(a, &st);
	assert_int_equal(st.conflicts, 1);
	l = get_lease(&x);
	assert_string_equal(json_path_str(l, "spec.holderIdentity"),
	    "intruder");
	cJSON_Delete(l);
	kube_leader_free(a);
	kube_client_free(kc);
	ksim_stop(&x);
}

struct watcher {
	pthread_mutex_t	 mu;
	int		 started;
	int		 stopped;
};

/* Callback: became leader. */
static void
on_started(void *arg)
{
	struct watcher	*w = arg;

	pthread_mutex_lock(&w->mu);
	w->started++;
	pthread_mutex_unlock(&w->mu);
}

/* Callback: stopped leading. */
static void
on_stopped(void *arg)
{
	struct watcher	*w = arg;

	pthread_mutex_lock(&w->mu);
	w->stopped++;
	pthread_mutex_unlock(&w->mu);
}

/* Wait up to ms for le to lead; 1 when it does. */
static int
wait_leader(struct kube_leader *le, int ms)
{
	int	i;

	for (i = 0; i < ms / 10; i++) {
		if (kube_leader_is_leader(le))
			return 1;
		time_sleep_ms(10);
	}
	return 0;
}

/* A real-time elector with short durations. */
static struct kube_leader *
fast_elector(struct kube_client *kc, const char *id, struct watcher *w)
{
	struct kube_leader_opts	 o;
	struct kube_leader	*le;
	char			*cause = NULL;

	memset(&o, 0, sizeof o);
	o.ns = "default";
	o.name = "ctl";
	o.identity = id;
	o.lease_ms = 1000;
	o.renew_ms = 700;
	o.retry_ms = 150;
	o.started = on_started;
	o.stopped = on_stopped;
	o.arg = w;
	if ((le = kube_leader_new(kc, &o, &cause)) == NULL)
		fail_msg("leader: %s", cause);
	return le;
}

/* Two elector threads: one leads, the other waits; stopping the leader
 * releases the Lease and the other takes over; never both at once. */
static void
test_threads(void **state)
{
	struct ksim		 x;
	struct kube_client	*kc;
	struct kube_leader	*a, *b;
	struct watcher		 wa, wb;
	char			*cause = NULL;
	cJSON			*l;
	int			 i;

	(void)state;
	memset(&wa, 0, sizeof wa);
	memset(&wb, 0, sizeof wb);
	pthread_mutex_init(&wa.mu, NULL);
	pthread_mutex_init(&wb.mu, NULL);
	assert_int_equal(ksim_start(&x, NULL), 0);
	kc = ksim_client(&x);
	a = fast_elector(kc, "a", &wa);
	b = fast_elector(kc, "b", &wb);
	assert_int_equal(kube_leader_start(a, &cause), 0);
	assert_true(wait_leader(a, 10000));
	assert_int_equal(kube_leader_start(b, &cause), 0);
	for (i = 0; i < 150; i++) {		/* 1.5 s: two lease durations */
		assert_false(kube_leader_is_leader(a) &&
		    kube_leader_is_leader(b));
		assert_false(kube_leader_is_leader(b));
		time_sleep_ms(10);
	}
	kube_leader_stop(a);
	assert_false(kube_leader_is_leader(a));
	assert_true(wait_leader(b, 10000));
	kube_leader_stop(b);
	l = get_lease(&x);
	assert_string_equal(json_path_str(l, "spec.holderIdentity"), "");
	assert_int_equal((int)json_num(json_path(l, "spec"),
	    "leaseTransitions", -1), 1);
	cJSON_Delete(l);
	assert_int_equal(wa.started, 1);
	assert_int_equal(wa.stopped, 1);
	assert_int_equal(wb.started, 1);
	assert_int_equal(wb.stopped, 1);
	kube_leader_free(a);
	kube_leader_free(b);
	kube_client_free(kc);
	ksim_stop(&x);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_validation),
		cmocka_unit_test(test_acquire_renew_takeover),
		cmocka_unit_test(test_release),
		cmocka_unit_test(test_conflict),
		cmocka_unit_test(test_threads),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
