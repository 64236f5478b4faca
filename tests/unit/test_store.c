/* Tests for the indexed object cache (kube_cache_*) and its indexes. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <malloc.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/json.h"
#include "latticectl/kcache.h"
#include "latticectl/xmalloc.h"

/* A small object: kind, ns, name, rv, optional "k=v" label. */
static cJSON *
mk(const char *ns, const char *name, const char *rv, const char *label)
{
	cJSON	*o = cJSON_CreateObject(), *m, *l;
	char	*k, *eq;

	cJSON_AddStringToObject(o, "kind", "ConfigMap");
	m = cJSON_AddObjectToObject(o, "metadata");
	cJSON_AddStringToObject(m, "name", name);
	if (ns != NULL)
		cJSON_AddStringToObject(m, "namespace", ns);
	cJSON_AddStringToObject(m, "resourceVersion", rv);
	if (label != NULL) {
		l = cJSON_AddObjectToObject(m, "labels");
		k = xstrdup(label);
		eq = strchr(k, '=');
		*eq = '\0';
		cJSON_AddStringToObject(l, k, eq + 1);
		free(k);
	}
	return o;
}

/* Parse JSON text (test inputs are valid). */
static cJSON *
js(const char *text)
{
	cJSON	*o = cJSON_Parse(text);

	assert_non_null(o);
	return o;
}

/* Keys of an array of references joined by ',' (static buffer). */
static const char *
keys(struct kube_obj **v, const size_t *np)
{
	static char	buf[1024];
	size_t		i, n = *np;

	buf[0] = '\0';
	for (i = 0; i < n; i++) {
		if (i > 0)
			strcat(buf, ",");
		strcat(buf, kube_obj_key(v[i]));
	}
	kube_objs_free(v, n);
	return buf;
}

/* Changes as "A key rv|U key oldrv>newrv|D key rv" joined by ','. */
static const char *
changes(struct kube_changes *ch)
{
	static char		 buf[1024];
	const struct kube_change *c;
	size_t			 i;
	int			 off = 0;

	buf[0] = '\0';
	for (i = 0; i < ch->n; i++) {
		c = &ch->v[i];
		if (c->type == KUBE_CHANGE_ADD)
			off += snprintf(buf + off, sizeof buf - off, "%sA %s %s",
			    i ? "," : "", kube_obj_key(c->new),
			    kube_obj_rv(c->new));
		else if (c->type == KUBE_CHANGE_UPDATE)
			off += snprintf(buf + off, sizeof buf - off,
			    "%sU %s %s>%s", i ? "," : "", kube_obj_key(c->new),
			    kube_obj_rv(c->old), kube_obj_rv(c->new));
		else
			off += snprintf(buf + off, sizeof buf - off, "%sD %s %s",
			    i ? "," : "", kube_obj_key(c->old),
			    kube_obj_rv(c->old));
	}
	kube_changes_free(ch);
	return buf;
}

/* Upsert, same-rv no-op, update, remove, get and len. */
static void
test_basic(void **state)
{
	struct kube_cache	*c = kube_cache_new(0);
	struct kube_changes	 ch = { NULL, 0, 0 };
	struct kube_obj		*o;
	cJSON			*del;

	(void)state;
	kube_cache_upsert(c, mk("ns", "a", "1", NULL), &ch);
	kube_cache_upsert(c, mk(NULL, "cluster", "2", NULL), &ch);
	kube_cache_upsert(c, mk("ns", "a", "1", NULL), &ch);	/* same rv */
	kube_cache_upsert(c, mk("ns", "a", "3", NULL), &ch);
	kube_cache_upsert(c, js("{\"metadata\":{\"namespace\":\"x\"}}"), &ch);
	assert_string_equal(changes(&ch), "A ns/a 1,A cluster 2,U ns/a 1>3");
	assert_int_equal(kube_cache_len(c), 2);
	o = kube_cache_get(c, "ns", "a");
	assert_non_null(o);
	assert_string_equal(kube_obj_rv(o), "3");
	assert_string_equal(json_path_str(kube_obj_json(o), "kind"),
	    "ConfigMap");
	kube_obj_unref(o);
	assert_non_null(o = kube_cache_get(c, NULL, "cluster"));
	kube_obj_unref(o);
	assert_null(kube_cache_get(c, "ns", "nope"));
	del = mk("ns", "a", "4", NULL);
	kube_cache_remove(c, del, &ch);
	kube_cache_remove(c, del, &ch);		/* already gone */
	cJSON_Delete(del);
	assert_string_equal(changes(&ch), "D ns/a 3");
	assert_int_equal(kube_cache_len(c), 1);
	kube_cache_free(c);
}

/* A relist gives updates for changed rvs, adds, then deletes. */
static void
test_replace(void **state)
{
	struct kube_cache	*c = kube_cache_new(0);
	struct kube_changes	 ch = { NULL, 0, 0 };
	cJSON			*items;

	(void)state;
	kube_cache_upsert(c, mk("n", "a", "1", NULL), &ch);
	kube_cache_upsert(c, mk("n", "b", "2", NULL), &ch);
	kube_cache_upsert(c, mk("n", "c", "3", NULL), &ch);
	kube_cache_upsert(c, mk("m", "z", "4", NULL), &ch);
	kube_changes_free(&ch);
	items = cJSON_CreateArray();
	cJSON_AddItemToArray(items, mk("n", "d", "9", NULL));
	cJSON_AddItemToArray(items, mk("n", "a", "1", NULL));
	cJSON_AddItemToArray(items, mk("n", "b", "7", NULL));
	kube_cache_replace(c, items, &ch);
	assert_string_equal(changes(&ch), "A n/d 9,U n/b 2>7,D m/z 4,D n/c 3");
	assert_int_equal(kube_cache_len(c), 3);
	{
		size_t		 n;
		struct kube_obj	**v = kube_cache_snapshot(c, &n);

		assert_int_equal(n, 3);
		assert_string_equal(keys(v, &n), "n/a,n/b,n/d");
	}
	kube_cache_replace(c, cJSON_CreateArray(), &ch);
	assert_string_equal(changes(&ch), "D n/a 1,D n/b 7,D n/d 9");
	assert_int_equal(kube_cache_len(c), 0);
	kube_cache_free(c);
}

/* The label index follows label changes and deletions. */
static void
test_label_index(void **state)
{
	struct kube_cache	*c = kube_cache_new(0);
	struct kube_changes	 ch = { NULL, 0, 0 };
	cJSON			*del;
	size_t			 n;

	(void)state;
	kube_cache_upsert(c, mk("n", "a", "1", "app=web"), &ch);
	kube_cache_upsert(c, mk("n", "b", "1", "app=web"), &ch);
	kube_cache_upsert(c, mk("o", "c", "1", "app=db"), &ch);
	assert_string_equal(keys(kube_cache_by_label(c, "app", "web", &n), &n),
	    "n/a,n/b");
	kube_cache_upsert(c, mk("n", "a", "2", "app=db"), &ch);
	assert_string_equal(keys(kube_cache_by_label(c, "app", "web", &n), &n),
	    "n/b");
	assert_string_equal(keys(kube_cache_by_label(c, "app", "db", &n), &n),
	    "n/a,o/c");
	del = mk("n", "b", "1", NULL);
	kube_cache_remove(c, del, &ch);
	cJSON_Delete(del);
	assert_string_equal(keys(kube_cache_by_label(c, "app", "web", &n), &n),
	    "");
	assert_int_equal(n, 0);
	assert_string_equal(keys(kube_cache_by_index(c, "no-such-index",
	    "x", &n), &n), "");
	kube_changes_free(&ch);
	kube_cache_free(c);
}

static const char route_a[] =
    "{\"kind\":\"HTTPRoute\",\"metadata\":{\"name\":\"ra\",\"namespace\":"
    "\"apps\",\"resourceVersion\":\"1\"},\"spec\":{\"parentRefs\":["
    "{\"name\":\"gw\"},"
    "{\"name\":\"other\",\"namespace\":\"infra\",\"kind\":\"Gateway\","
    "\"group\":\"gateway.networking.k8s.io\",\"sectionName\":\"http\"},"
    "{\"name\":\"svc-parent\",\"kind\":\"Service\",\"group\":\"\"}],"
    "\"rules\":[{\"backendRefs\":[{\"name\":\"web\",\"port\":80},"
    "{\"name\":\"imp\",\"kind\":\"ServiceImport\",\"group\":"
    "\"application-networking.k8s.aws\"}]},"
    "{\"backendRefs\":[{\"name\":\"db\",\"namespace\":\"data\","
    "\"kind\":\"Service\",\"group\":\"core\"}]},{\"matches\":[]}]}}";

static const char route_b[] =
    "{\"kind\":\"GRPCRoute\",\"metadata\":{\"name\":\"rb\",\"namespace\":"
    "\"infra\",\"resourceVersion\":\"1\"},\"spec\":{\"parentRefs\":["
    "{\"name\":\"other\"}],\"rules\":[{\"backendRefs\":[{\"name\":\"web\","
    "\"namespace\":\"apps\"}]}]}}";

/* Routes by parent Gateway and by backend Service, slices by Service. */
static void
test_custom_indexes(void **state)
{
	struct kube_cache	*c = kube_cache_new(0), *s = kube_cache_new(0);
	struct kube_changes	 ch = { NULL, 0, 0 };
	size_t			 n;

	(void)state;
	kube_cache_upsert(c, js(route_a), &ch);
	/* added after an object exists: indexes it too */
	assert_int_equal(kube_cache_add_index(c, KUBE_INDEX_ROUTE_PARENTS,
	    kube_index_route_parents, NULL), 0);
	assert_int_equal(kube_cache_add_index(c, KUBE_INDEX_ROUTE_PARENTS,
	    kube_index_route_parents, NULL), -1);
	assert_int_equal(kube_cache_add_index(c, KUBE_INDEX_ROUTE_BACKENDS,
	    kube_index_route_backends, NULL), 0);
	kube_cache_upsert(c, js(route_b), &ch);
	assert_string_equal(keys(kube_cache_by_index(c,
	    KUBE_INDEX_ROUTE_PARENTS, "apps/gw", &n), &n), "apps/ra");
	assert_string_equal(keys(kube_cache_by_index(c,
	    KUBE_INDEX_ROUTE_PARENTS, "infra/other", &n), &n),
	    "apps/ra,infra/rb");
	assert_string_equal(keys(kube_cache_by_index(c,
	    KUBE_INDEX_ROUTE_PARENTS, "apps/svc-parent", &n), &n), "");
	assert_string_equal(keys(kube_cache_by_index(c,
	    KUBE_INDEX_ROUTE_BACKENDS, "apps/web", &n), &n), "apps/ra,infra/rb");
	assert_string_equal(keys(kube_cache_by_index(c,
	    KUBE_INDEX_ROUTE_BACKENDS, "data/db", &n), &n), "apps/ra");
	assert_string_equal(keys(kube_cache_by_index(c,
	    KUBE_INDEX_ROUTE_BACKENDS, "apps/imp", &n), &n), "");
	kube_cache_add_index(s, KUBE_INDEX_SLICE_SERVICE,
	    kube_index_slice_service, NULL);
	kube_cache_upsert(s, js("{\"metadata\":{\"name\":\"web-abc\","
	    "\"namespace\":\"apps\",\"resourceVersion\":\"1\",\"labels\":{"
	    "\"kubernetes.io/service-name\":\"web\"}}}"), &ch);
	kube_cache_upsert(s, js("{\"metadata\":{\"name\":\"web-def\","
	    "\"namespace\":\"apps\",\"resourceVersion\":\"1\",\"labels\":{"
	    "\"kubernetes.io/service-name\":\"web\"}}}"), &ch);
	kube_cache_upsert(s, js("{\"metadata\":{\"name\":\"web-x\","
	    "\"namespace\":\"other\",\"resourceVersion\":\"1\",\"labels\":{"
	    "\"kubernetes.io/service-name\":\"web\"}}}"), &ch);
	assert_string_equal(keys(kube_cache_by_index(s,
	    KUBE_INDEX_SLICE_SERVICE, "apps/web", &n), &n),
	    "apps/web-abc,apps/web-def");
	kube_changes_free(&ch);
	kube_cache_free(c);
	kube_cache_free(s);
}

/* References stay valid after the cache replaced or dropped the object. */
static void
test_refs_outlive(void **state)
{
	struct kube_cache	*c = kube_cache_new(0);
	struct kube_changes	 ch = { NULL, 0, 0 };
	struct kube_obj		*o;

	(void)state;
	kube_cache_upsert(c, mk("n", "a", "1", "x=y"), &ch);
	o = kube_cache_get(c, "n", "a");
	kube_cache_upsert(c, mk("n", "a", "2", NULL), &ch);
	kube_changes_free(&ch);
	kube_cache_free(c);
	assert_string_equal(kube_obj_rv(o), "1");
	assert_string_equal(json_path_str(kube_obj_json(o),
	    "metadata.labels.x"), "y");
	kube_obj_unref(o);
}

/* Count objects until the second one. */
static int
each_count(void *arg, const cJSON *obj)
{
	int	*n = arg;

	assert_non_null(json_path_str(obj, "metadata.name"));
	return ++*n == 2;
}

/* Iteration under the read lock stops when asked. */
static void
test_each(void **state)
{
	struct kube_cache	*c = kube_cache_new(0);
	struct kube_changes	 ch = { NULL, 0, 0 };
	int			 n = 0;

	(void)state;
	kube_cache_upsert(c, mk("n", "a", "1", NULL), &ch);
	kube_cache_upsert(c, mk("n", "b", "1", NULL), &ch);
	kube_cache_upsert(c, mk("n", "c", "1", NULL), &ch);
	kube_changes_free(&ch);
	kube_cache_each(c, each_count, &n);
	assert_int_equal(n, 2);
	kube_cache_free(c);
}

/* A realistic HTTPRoute as kubectl apply leaves it (managedFields and
 * the last-applied annotation included). */
static cJSON *
realistic_route(int i)
{
	char	buf[4096];

	snprintf(buf, sizeof buf,
	    "{\"apiVersion\":\"gateway.networking.k8s.io/v1\",\"kind\":"
	    "\"HTTPRoute\",\"metadata\":{\"name\":\"inventory-%d\",\"namespace\":"
	    "\"default\",\"uid\":\"0f2b8c3e-5a7d-4e1f-9b6a-%012d\","
	    "\"resourceVersion\":\"%d\",\"generation\":1,\"creationTimestamp\":"
	    "\"2026-11-28T06:22:11Z\",\"annotations\":{"
	    "\"kubectl.kubernetes.io/last-applied-configuration\":\"{\\\""
	    "apiVersion\\\":\\\"gateway.networking.k8s.io/v1\\\",\\\"kind\\\":"
	    "\\\"HTTPRoute\\\",\\\"metadata\\\":{\\\"annotations\\\":{},\\\"name"
	    "\\\":\\\"inventory\\\",\\\"namespace\\\":\\\"default\\\"},\\\"spec"
	    "\\\":{\\\"parentRefs\\\":[{\\\"name\\\":\\\"my-hotel\\\",\\\""
	    "sectionName\\\":\\\"http\\\"}],\\\"rules\\\":[{\\\"backendRefs\\\":"
	    "[{\\\"kind\\\":\\\"Service\\\",\\\"name\\\":\\\"inventory-ver1\\\","
	    "\\\"port\\\":80,\\\"weight\\\":10},{\\\"kind\\\":\\\"Service\\\","
	    "\\\"name\\\":\\\"inventory-ver2\\\",\\\"port\\\":80,\\\"weight\\\":"
	    "90}]}]}}\\n\"},\"finalizers\":[\"httproute.k8s.aws/resources\"],"
	    "\"managedFields\":[{\"apiVersion\":\"gateway.networking.k8s.io/v1\","
	    "\"fieldsType\":\"FieldsV1\",\"fieldsV1\":{\"f:metadata\":{"
	    "\"f:annotations\":{\".\":{},\"f:kubectl.kubernetes.io/last-applied-"
	    "configuration\":{}}},\"f:spec\":{\".\":{},\"f:parentRefs\":{},"
	    "\"f:rules\":{}}},\"manager\":\"kubectl-client-side-apply\","
	    "\"operation\":\"Update\",\"time\":\"2026-11-28T06:22:11Z\"},"
	    "{\"apiVersion\":\"gateway.networking.k8s.io/v1\",\"fieldsType\":"
	    "\"FieldsV1\",\"fieldsV1\":{\"f:metadata\":{\"f:annotations\":{"
	    "\"f:application-networking.k8s.aws/lattice-assigned-domain-name\":"
	    "{}},\"f:finalizers\":{\".\":{},\"v:\\\"httproute.k8s.aws/resources"
	    "\\\"\":{}}}},\"manager\":\"manager\",\"operation\":\"Update\","
	    "\"time\":\"2026-11-28T06:22:13Z\"},{\"apiVersion\":"
	    "\"gateway.networking.k8s.io/v1\",\"fieldsType\":\"FieldsV1\","
	    "\"fieldsV1\":{\"f:status\":{\".\":{},\"f:parents\":{}}},\"manager\":"
	    "\"manager\",\"operation\":\"Update\",\"subresource\":\"status\","
	    "\"time\":\"2026-11-28T06:22:14Z\"}]},\"spec\":{\"parentRefs\":[{"
	    "\"group\":\"gateway.networking.k8s.io\",\"kind\":\"Gateway\","
	    "\"name\":\"my-hotel\",\"sectionName\":\"http\"}],\"rules\":[{"
	    "\"backendRefs\":[{\"group\":\"\",\"kind\":\"Service\",\"name\":"
	    "\"inventory-ver1\",\"port\":80,\"weight\":10},{\"group\":\"\","
	    "\"kind\":\"Service\",\"name\":\"inventory-ver2\",\"port\":80,"
	    "\"weight\":90}],\"matches\":[{\"path\":{\"type\":\"PathPrefix\","
	    "\"value\":\"/\"}}]}]},\"status\":{\"parents\":[{\"conditions\":[{"
	    "\"lastTransitionTime\":\"2026-11-28T06:22:14Z\",\"message\":\"\","
	    "\"observedGeneration\":1,\"reason\":\"Accepted\",\"status\":\"True\","
	    "\"type\":\"Accepted\"},{\"lastTransitionTime\":"
	    "\"2026-11-28T06:22:14Z\",\"message\":\"\",\"observedGeneration\":1,"
	    "\"reason\":\"ResolvedRefs\",\"status\":\"True\",\"type\":"
	    "\"ResolvedRefs\"}],\"controllerName\":\"application-networking.k8s."
	    "aws/gateway-api-controller\",\"parentRef\":{\"group\":"
	    "\"gateway.networking.k8s.io\",\"kind\":\"Gateway\",\"name\":"
	    "\"my-hotel\",\"sectionName\":\"http\"}}]}}", i, i, i + 1);
	return js(buf);
}

/* Heap bytes in use (glibc); 0 when the allocator does not say (ASan). */
static size_t
heap_used(void)
{
	struct mallinfo2	mi = mallinfo2();

	return mi.uordblks;
}

/* Bytes per cached object for n routes, with the given flags. */
static size_t
bytes_per_route(int flags, size_t n)
{
	struct kube_cache	*c;
	struct kube_changes	 ch = { NULL, 0, 0 };
	size_t			 before, after, i;

	c = kube_cache_new(flags);
	kube_cache_add_index(c, KUBE_INDEX_ROUTE_PARENTS,
	    kube_index_route_parents, NULL);
	kube_cache_add_index(c, KUBE_INDEX_ROUTE_BACKENDS,
	    kube_index_route_backends, NULL);
	before = heap_used();
	for (i = 0; i < n; i++) {
		kube_cache_upsert(c, realistic_route((int)i), &ch);
		kube_changes_free(&ch);
	}
	after = heap_used();
	assert_int_equal(kube_cache_len(c), n);
	kube_cache_free(c);
	return after > before ? (after - before) / n : 0;
}

/* Pruning drops managedFields and last-applied; measure bytes/object. */
static void
test_prune_memory(void **state)
{
	struct kube_cache	*c = kube_cache_new(KUBE_CACHE_PRUNE);
	struct kube_changes	 ch = { NULL, 0, 0 };
	struct kube_obj		*o;
	size_t			 full, pruned;

	(void)state;
	kube_cache_upsert(c, realistic_route(1), &ch);
	kube_changes_free(&ch);
	o = kube_cache_get(c, "default", "inventory-1");
	assert_null(json_path(kube_obj_json(o), "metadata.managedFields"));
	assert_null(json_path(kube_obj_json(o), "metadata.annotations."
	    "kubectl.kubernetes.io/last-applied-configuration"));
	assert_non_null(json_path(kube_obj_json(o), "metadata.finalizers"));
	assert_non_null(json_path(kube_obj_json(o), "status.parents"));
	kube_obj_unref(o);
	kube_cache_free(c);
	full = bytes_per_route(0, 2000);
	pruned = bytes_per_route(KUBE_CACHE_PRUNE, 2000);
	printf("MEASURE: cached HTTPRoute: %zu bytes/object unpruned, %zu "
	    "bytes/object pruned (cJSON tree + entry + indexes)\n", full, pruned);
	if (full == 0 || pruned == 0) {
		printf("SKIP: heap statistics unavailable (sanitizer build)\n");
		return;
	}
	assert_true(pruned < full);
	assert_true(pruned < 16384);
}

struct race {
	struct kube_cache	*c;
	int			 stop;
	pthread_mutex_t		 mu;
	unsigned		 snapshots;
};

/* Read snapshots until told to stop; every snapshot is sorted. */
static void *
race_reader(void *arg)
{
	struct race	 *r = arg;
	struct kube_obj	**v;
	size_t		  n, i;
	int		  stop;

	do {
		v = kube_cache_snapshot(r->c, &n);
		for (i = 1; i < n; i++) {
			if (strcmp(kube_obj_key(v[i - 1]), kube_obj_key(v[i]))
			    >= 0)
				abort();
		}
		for (i = 0; i < n; i++)
			(void)json_path_str(kube_obj_json(v[i]), "metadata.name");
		kube_objs_free(v, n);
		v = kube_cache_by_label(r->c, "g", "1", &n);
		kube_objs_free(v, n);
		pthread_mutex_lock(&r->mu);
		r->snapshots++;
		stop = r->stop;
		pthread_mutex_unlock(&r->mu);
	} while (!stop);
	return NULL;
}

/* Readers on other threads while one writer churns. */
static void
test_concurrent_readers(void **state)
{
	struct race		 r;
	struct kube_changes	 ch = { NULL, 0, 0 };
	pthread_t		 t[3];
	char			 name[32], rv[32];
	int			 i;

	(void)state;
	memset(&r, 0, sizeof r);
	r.c = kube_cache_new(KUBE_CACHE_PRUNE);
	pthread_mutex_init(&r.mu, NULL);
	for (i = 0; i < 3; i++)
		pthread_create(&t[i], NULL, race_reader, &r);
	for (i = 0; i < 20000; i++) {
		snprintf(name, sizeof name, "o%d", i % 97);
		snprintf(rv, sizeof rv, "%d", i);
		if (i % 5 == 4) {
			cJSON	*d = mk("n", name, rv, NULL);

			kube_cache_remove(r.c, d, &ch);
			cJSON_Delete(d);
		} else
			kube_cache_upsert(r.c, mk("n", name, rv,
			    i % 2 ? "g=1" : "g=2"), &ch);
		kube_changes_free(&ch);
	}
	pthread_mutex_lock(&r.mu);
	r.stop = 1;
	pthread_mutex_unlock(&r.mu);
	for (i = 0; i < 3; i++)
		pthread_join(t[i], NULL);
	assert_true(r.snapshots >= 3);
	assert_true(kube_cache_len(r.c) <= 97);
	pthread_mutex_destroy(&r.mu);
	kube_cache_free(r.c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_basic),
		cmocka_unit_test(test_replace),
		cmocka_unit_test(test_label_index),
		cmocka_unit_test(test_custom_indexes),
		cmocka_unit_test(test_refs_outlive),
		cmocka_unit_test(test_each),
		cmocka_unit_test(test_prune_memory),
		cmocka_unit_test(test_concurrent_readers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
