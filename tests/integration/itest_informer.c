/* Integration tests of the informer against the simulated Kubernetes API
 * over HTTP: first sync and live events with old/new objects, a watch
 * that survives dropped connections (resumes, no relist), and expired
 * history (in-stream 410 and HTTP 410: relist, diff delivered to the
 * handlers). Prints the counters observed. */
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
#include "latticectl/kinformer.h"
#include "latticectl/timeutil.h"
#include "latticectl/xmalloc.h"
#include "../unit/ksim_fixture.h"

#define CM_PATH "/api/v1/namespaces/default/configmaps"

/* What the handlers saw: name -> resourceVersion, plus counts. */
struct mirror {
	pthread_mutex_t	 mu;
	cJSON		*objs;
	int		 adds;
	int		 updates;
	int		 dels;
	int		 bad;		/* update with equal rvs, unknown delete */
	int		 relists;
};

/* Handler: add. */
static void
m_add(void *arg, const cJSON *obj)
{
	struct mirror	*m = arg;
	const char	*name = json_path_str(obj, "metadata.name");

	pthread_mutex_lock(&m->mu);
	m->adds++;
	cJSON_DeleteItemFromObject(m->objs, name);
	cJSON_AddStringToObject(m->objs, name,
	    json_path_str(obj, "metadata.resourceVersion"));
	pthread_mutex_unlock(&m->mu);
}

/* Handler: update (old and new must differ in resourceVersion). */
static void
m_update(void *arg, const cJSON *old, const cJSON *obj)
{
	struct mirror	*m = arg;

	if (strcmp(json_path_str(old, "metadata.resourceVersion"),
	    json_path_str(obj, "metadata.resourceVersion")) == 0 ||
	    strcmp(json_path_str(old, "metadata.name"),
	    json_path_str(obj, "metadata.name")) != 0) {
		pthread_mutex_lock(&m->mu);
		m->bad++;
		pthread_mutex_unlock(&m->mu);
	}
	m_add(arg, obj);
	pthread_mutex_lock(&m->mu);
	m->adds--;
	m->updates++;
	pthread_mutex_unlock(&m->mu);
}

/* Handler: delete. */
static void
m_del(void *arg, const cJSON *old)
{
	struct mirror	*m = arg;
	const char	*name = json_path_str(old, "metadata.name");

	pthread_mutex_lock(&m->mu);
	m->dels++;
	if (cJSON_GetObjectItem(m->objs, name) == NULL)
		m->bad++;
	cJSON_DeleteItemFromObject(m->objs, name);
	pthread_mutex_unlock(&m->mu);
}

/* Handler: synced. */
static void
m_synced(void *arg, int relist)
{
	struct mirror	*m = arg;

	pthread_mutex_lock(&m->mu);
	m->relists += relist;
	pthread_mutex_unlock(&m->mu);
}

/* The server's configmaps as name -> resourceVersion. */
static cJSON *
server_state(struct ksim *x)
{
	cJSON	*l = NULL, *out = cJSON_CreateObject();
	cJSON	*it;

	assert_int_equal(ksim_req(x, "GET", CM_PATH, NULL, &l), 200);
	cJSON_ArrayForEach(it, cJSON_GetObjectItem(l, "items"))
		cJSON_AddStringToObject(out, json_path_str(it, "metadata.name"),
		    json_path_str(it, "metadata.resourceVersion"));
	cJSON_Delete(l);
	return out;
}

/* Wait up to ms for the mirror (and the cache) to equal the server. */
static int
converged(struct ksim *x, struct mirror *m, struct kube_informer *inf, int ms)
{
	cJSON	*want;
	int	 i, ok = 0;

	for (i = 0; i < ms / 20 && !ok; i++) {
		want = server_state(x);
		pthread_mutex_lock(&m->mu);
		ok = json_equal(want, m->objs) &&
		    kube_cache_len(kube_informer_cache(inf)) ==
		    (size_t)cJSON_GetArraySize(want);
		pthread_mutex_unlock(&m->mu);
		cJSON_Delete(want);
		if (!ok)
			time_sleep_ms(20);
	}
	return ok;
}

/* Create, update or delete configmap cm-<i % 20> (op by i). */
static void
churn(struct ksim *x, int i)
{
	char	path[128], body[256];
	int	st;

	snprintf(path, sizeof path, CM_PATH "/cm-%d", i % 20);
	snprintf(body, sizeof body, "{\"apiVersion\":\"v1\",\"kind\":"
	    "\"ConfigMap\",\"metadata\":{\"name\":\"cm-%d\"},\"data\":"
	    "{\"i\":\"%d\"}}", i % 20, i);
	if (i % 7 == 3) {
		st = ksim_req(x, "DELETE", path, NULL, NULL);
		assert_true(st == 200 || st == 404);
		return;
	}
	st = ksim_req(x, "PUT", path, body, NULL);	/* no rv: replace */
	if (st == 404)
		st = ksim_req(x, "POST", CM_PATH, body, NULL);
	assert_true(st == 200 || st == 201);
}

/* An informer on default/configmaps with fast backoff and the mirror. */
static struct kube_informer *
start_informer(struct kube_client *kc, struct mirror *m)
{
	struct kube_informer_opts	 o;
	struct kube_informer		*inf;
	struct kube_handler		 h;
	char				*cause = NULL;

	memset(m, 0, sizeof *m);
	pthread_mutex_init(&m->mu, NULL);
	m->objs = cJSON_CreateObject();
	memset(&o, 0, sizeof o);
	o.res = &KUBE_RES_CONFIGMAPS;
	o.ns = "default";
	o.page_size = 7;		/* several pages */
	o.backoff_base_ms = 20;
	o.backoff_cap_ms = 200;
	inf = kube_informer_new(kc, &o);
	memset(&h, 0, sizeof h);
	h.add = m_add;
	h.update = m_update;
	h.del = m_del;
	h.synced = m_synced;
	h.arg = m;
	kube_informer_add_handler(inf, &h);
	if (kube_informer_start(inf, &cause) != 0)
		fail_msg("start: %s", cause);
	return inf;
}

/* Stop an informer (measuring how long it takes) and free the mirror. */
static void
finish(struct kube_informer *inf, struct mirror *m, const char *what)
{
	struct kube_informer_stats	st;
	uint64_t			t0 = time_mono_ms();

	kube_informer_stats(inf, &st);
	kube_informer_free(inf);
	printf("MEASURE: %s: lists %llu relists %llu watches %llu resumes "
	    "%llu expired %llu events %llu bookmarks %llu errors %llu; "
	    "handler adds %d updates %d deletes %d; stop took %llu ms\n", what,
	    (unsigned long long)st.lists, (unsigned long long)st.relists,
	    (unsigned long long)st.watches, (unsigned long long)st.resumes,
	    (unsigned long long)st.expired, (unsigned long long)st.events,
	    (unsigned long long)st.bookmarks, (unsigned long long)st.errors,
	    m->adds, m->updates, m->dels,
	    (unsigned long long)(time_mono_ms() - t0));
	assert_int_equal(m->bad, 0);
	cJSON_Delete(m->objs);
	pthread_mutex_destroy(&m->mu);
}

/* First sync over several pages, then live add/update/delete. */
static void
test_sync_and_events(void **state)
{
	struct ksim			 x;
	struct kube_client		*kc;
	struct kube_informer		*inf;
	struct kube_informer_stats	 st;
	struct mirror			 m;
	int				 i;

	(void)state;
	assert_int_equal(ksim_start(&x, NULL), 0);
	for (i = 0; i < 17; i++)
		churn(&x, i == 3 || i == 10 ? i + 40 : i);	/* no deletes */
	kc = ksim_client(&x);
	inf = start_informer(kc, &m);
	assert_true(kube_informer_wait_synced(inf, 10000));
	assert_int_equal(kube_cache_len(kube_informer_cache(inf)), 17);
	for (i = 17; i < 60; i++)
		churn(&x, i);
	assert_true(converged(&x, &m, inf, 10000));
	kube_informer_stats(inf, &st);
	assert_int_equal(st.lists, 1);
	assert_int_equal(st.relists, 0);
	assert_true(st.events >= 35);
	assert_true(m.updates > 0 && m.dels > 0);
	finish(inf, &m, "sync+events");
	kube_client_free(kc);
	ksim_stop(&x);
}

/* Watches dropped every second (bookmarks every 200 ms when idle): the
 * informer resumes from its last rv, never relists, and stays equal to
 * the server. */
static void
test_dropped_watches(void **state)
{
	struct ksim			 x;
	struct sim_kube_opts		 so;
	struct sim_kube_faults		 f;
	struct kube_client		*kc;
	struct kube_informer		*inf;
	struct kube_informer_stats	 st;
	struct mirror			 m;
	int				 i;

	(void)state;
	memset(&so, 0, sizeof so);
	so.bookmark_ms = 200;
	assert_int_equal(ksim_start(&x, &so), 0);
	memset(&f, 0, sizeof f);
	f.watch_drop_s = 1;
	sim_kube_set_faults(x.sk, &f);
	kc = ksim_client(&x);
	inf = start_informer(kc, &m);
	assert_true(kube_informer_wait_synced(inf, 10000));
	for (i = 0; i < 80; i++) {
		churn(&x, i);
		time_sleep_ms(i % 20 == 19 ? 700 : 30);	/* idle: bookmarks */
	}
	assert_true(converged(&x, &m, inf, 10000));
	kube_informer_stats(inf, &st);
	assert_true(st.bookmarks >= 1);
	assert_int_equal(st.relists, 0);
	assert_int_equal(st.expired, 0);
	assert_true(st.resumes >= 2);
	finish(inf, &m, "watch drops every 1 s");
	kube_client_free(kc);
	ksim_stop(&x);
}

/* History of 5 events: while watches are refused, 40 writes happen, so
 * the resumed watch gets an in-stream 410; the informer relists and the
 * handlers see the difference (deletes for objects gone). Then an HTTP
 * 410 answer also relists. */
static void
test_expired_history(void **state)
{
	struct ksim			 x;
	struct sim_kube_opts		 so;
	struct sim_kube_faults		 f;
	struct kube_client		*kc;
	struct kube_informer		*inf;
	struct kube_informer_stats	 st;
	struct mirror			 m;
	int				 i, w;

	(void)state;
	memset(&so, 0, sizeof so);
	so.history = 5;
	assert_int_equal(ksim_start(&x, &so), 0);
	memset(&f, 0, sizeof f);
	f.watch_drop_s = 1;
	sim_kube_set_faults(x.sk, &f);
	for (i = 0; i < 20; i++)
		churn(&x, i);
	kc = ksim_client(&x);
	inf = start_informer(kc, &m);
	assert_true(kube_informer_wait_synced(inf, 10000));
	atomic_store(&x.block_watch, 1);
	w = atomic_load(&x.watches);
	for (i = 0; i < 100 && atomic_load(&x.watches) < w + 2; i++)
		time_sleep_ms(50);		/* the open watch ends, one refused */
	for (i = 20; i < 60; i++)
		churn(&x, i);
	atomic_store(&x.block_watch, 0);
	assert_true(converged(&x, &m, inf, 15000));
	kube_informer_stats(inf, &st);
	assert_true(st.relists >= 1);
	assert_true(st.expired >= 1);
	assert_true(m.relists >= 1);
	assert_true(m.dels > 0);
	finish(inf, &m, "expired history (in-stream 410)");

	inf = start_informer(kc, &m);
	assert_true(kube_informer_wait_synced(inf, 10000));
	atomic_store(&x.gone_watch, 1);
	for (i = 60; i < 70; i++)
		churn(&x, i);
	for (i = 0; i < 150; i++) {
		kube_informer_stats(inf, &st);
		if (st.relists >= 1)
			break;
		time_sleep_ms(20);
	}
	assert_true(converged(&x, &m, inf, 10000));
	kube_informer_stats(inf, &st);
	assert_true(st.relists >= 1);
	assert_true(st.expired >= 1);
	finish(inf, &m, "HTTP 410 on watch");
	kube_client_free(kc);
	ksim_stop(&x);
}

/* A list that fails (unknown resource) is retried with backoff, reported
 * as the last error, and stop still returns. */
static void
test_list_errors(void **state)
{
	static const struct kube_resource nothing = {
		"example.com", "v1", "widgets", "Widget", 1, NULL };
	struct ksim			 x;
	struct kube_client		*kc;
	struct kube_informer_opts	 o;
	struct kube_informer		*inf;
	struct kube_informer_stats	 st;
	char				*cause = NULL, *err;

	(void)state;
	assert_int_equal(ksim_start(&x, NULL), 0);
	kc = ksim_client(&x);
	memset(&o, 0, sizeof o);
	o.res = &nothing;
	o.backoff_base_ms = 10;
	o.backoff_cap_ms = 50;
	inf = kube_informer_new(kc, &o);
	assert_int_equal(kube_informer_start(inf, &cause), 0);
	assert_false(kube_informer_wait_synced(inf, 500));
	kube_informer_stats(inf, &st);
	assert_true(st.errors >= 2);
	assert_int_equal(st.lists, 0);
	err = kube_informer_last_error(inf);
	assert_non_null(err);
	assert_non_null(strstr(err, "widgets"));
	free(err);
	kube_informer_free(inf);
	kube_client_free(kc);
	ksim_stop(&x);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sync_and_events),
		cmocka_unit_test(test_dropped_watches),
		cmocka_unit_test(test_expired_history),
		cmocka_unit_test(test_list_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
