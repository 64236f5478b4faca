/* Unit tests of hmap, the core string-keyed hash map: an empty map,
 * NULL keys, copied keys, growth across many doublings, replacement,
 * deletion at every place of a chain, iteration (every entry once, early
 * stop), release on free, reuse after free, and a random workload checked
 * against a plain array. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/hmap.h"
#include "latticectl/xmalloc.h"

#define NKEYS	5000

/* Count entries and sum their values (hmap_each callback). */
static int
sum_one(void *arg, const char *key, void *val)
{
	uintptr_t	*acc = arg;

	assert_non_null(key);
	acc[0]++;
	acc[1] += (uintptr_t)val;
	return 0;
}

/* Stop at the third entry (hmap_each callback). */
static int
stop_third(void *arg, const char *key, void *val)
{
	int	*n = arg;

	(void)key;
	(void)val;
	return ++(*n) == 3 ? 42 : 0;
}

/* Mark each entry seen; fail on a second visit (hmap_each callback). */
static int
mark_once(void *arg, const char *key, void *val)
{
	char	*seen = arg;
	size_t	 i = (uintptr_t)val - 1;

	assert_int_equal(seen[i], 0);
	assert_int_equal(atoi(key + 1), (int)i);
	seen[i] = 1;
	return 0;
}

/* Free a heap value (release callback) and count it. */
static size_t	released;
static void
release_one(void *val)
{
	free(val);
	released++;
}

/* The zeroed map: nothing found, nothing removed, nothing visited. */
static void
test_empty(void **state)
{
	struct hmap	m = HMAP_INIT;
	uintptr_t	acc[2] = { 0, 0 };

	(void)state;
	assert_null(hmap_get(&m, "x"));
	assert_null(hmap_del(&m, "x"));
	assert_int_equal(hmap_each(&m, sum_one, acc), 0);
	assert_int_equal(acc[0], 0);
	assert_int_equal(hmap_count(&m), 0);
	hmap_free(&m, NULL);
	hmap_free(&m, NULL);		/* twice is fine */
	assert_null(m.b);
}

/* NULL keys are never stored; keys are copies. */
static void
test_null_and_copies(void **state)
{
	struct hmap	m = HMAP_INIT;
	char		key[8];

	(void)state;
	assert_null(hmap_put(&m, NULL, (void *)1));
	assert_int_equal(hmap_count(&m), 0);
	assert_null(hmap_get(&m, NULL));
	assert_null(hmap_del(&m, NULL));
	strcpy(key, "abc");
	hmap_put(&m, key, (void *)7);
	strcpy(key, "xyz");
	assert_ptr_equal(hmap_get(&m, "abc"), (void *)7);
	assert_null(hmap_get(&m, "xyz"));
	assert_null(hmap_put(&m, "", (void *)9));	/* "" is a key */
	assert_ptr_equal(hmap_get(&m, ""), (void *)9);
	assert_int_equal(hmap_count(&m), 2);
	hmap_free(&m, NULL);
}

/* Growth: every key reachable after many doublings, the load factor
 * kept at most 1; replacement returns the old value. */
static void
test_growth(void **state)
{
	struct hmap	m = HMAP_INIT;
	char		key[32];
	uintptr_t	i, acc[2] = { 0, 0 };
	size_t		nb = 0, doublings = 0;

	(void)state;
	for (i = 0; i < NKEYS; i++) {
		snprintf(key, sizeof(key), "k%lu", (unsigned long)i);
		assert_null(hmap_put(&m, key, (void *)(i + 1)));
		assert_true(m.n <= m.nb);
		assert_int_equal(m.nb & (m.nb - 1), 0);
		if (m.nb != nb) {
			doublings++;
			nb = m.nb;
		}
	}
	assert_true(doublings >= 9);	/* 16 .. 8192 */
	assert_int_equal(hmap_count(&m), NKEYS);
	for (i = 0; i < NKEYS; i++) {
		snprintf(key, sizeof(key), "k%lu", (unsigned long)i);
		assert_ptr_equal(hmap_get(&m, key), (void *)(i + 1));
	}
	assert_ptr_equal(hmap_put(&m, "k7", (void *)50000), (void *)8);
	assert_ptr_equal(hmap_get(&m, "k7"), (void *)50000);
	assert_int_equal(hmap_count(&m), NKEYS);
	assert_null(hmap_get(&m, "k5000"));
	hmap_each(&m, sum_one, acc);
	assert_int_equal(acc[0], NKEYS);
	assert_int_equal(acc[1], (uintptr_t)NKEYS * (NKEYS + 1) / 2 - 8 +
	    50000);
	hmap_free(&m, NULL);
}

/* Deletion at the head, middle and end of chains: with 16 buckets and
 * 16 keys most chains hold several; the rest stay reachable. */
static void
test_delete(void **state)
{
	struct hmap	m = HMAP_INIT;
	char		key[32];
	uintptr_t	i, j;

	(void)state;
	for (j = 0; j < 16; j++) {
		for (i = 0; i < 16; i++) {
			snprintf(key, sizeof(key), "d%lu", (unsigned long)i);
			hmap_put(&m, key, (void *)(i + 1));
		}
		assert_int_equal(m.nb, 16);
		snprintf(key, sizeof(key), "d%lu", (unsigned long)j);
		assert_ptr_equal(hmap_del(&m, key), (void *)(j + 1));
		assert_null(hmap_del(&m, key));
		assert_null(hmap_get(&m, key));
		assert_int_equal(hmap_count(&m), 15);
		for (i = 0; i < 16; i++) {
			snprintf(key, sizeof(key), "d%lu", (unsigned long)i);
			if (i != j)
				assert_ptr_equal(hmap_get(&m, key),
				    (void *)(i + 1));
		}
		hmap_free(&m, NULL);
	}
	/* every other key of many, then all: empty but usable */
	for (i = 0; i < 1000; i++) {
		snprintf(key, sizeof(key), "k%lu", (unsigned long)i);
		hmap_put(&m, key, (void *)(i + 1));
	}
	for (i = 0; i < 1000; i += 2) {
		snprintf(key, sizeof(key), "k%lu", (unsigned long)i);
		assert_ptr_equal(hmap_del(&m, key), (void *)(i + 1));
	}
	assert_int_equal(hmap_count(&m), 500);
	assert_null(hmap_get(&m, "k0"));
	assert_ptr_equal(hmap_get(&m, "k1"), (void *)2);
	for (i = 1; i < 1000; i += 2) {
		snprintf(key, sizeof(key), "k%lu", (unsigned long)i);
		assert_non_null(hmap_del(&m, key));
	}
	assert_int_equal(hmap_count(&m), 0);
	hmap_put(&m, "again", (void *)3);
	assert_ptr_equal(hmap_get(&m, "again"), (void *)3);
	hmap_free(&m, NULL);
}

/* Iteration: every entry exactly once; a nonzero return stops it and is
 * returned. */
static void
test_iterate(void **state)
{
	struct hmap	 m = HMAP_INIT;
	char		 key[32], *seen = xcalloc(1000, 1);
	uintptr_t	 i;
	int		 n = 0;

	(void)state;
	for (i = 0; i < 1000; i++) {
		snprintf(key, sizeof(key), "k%lu", (unsigned long)i);
		hmap_put(&m, key, (void *)(i + 1));
	}
	assert_int_equal(hmap_each(&m, mark_once, seen), 0);
	for (i = 0; i < 1000; i++)
		assert_int_equal(seen[i], 1);
	assert_int_equal(hmap_each(&m, stop_third, &n), 42);
	assert_int_equal(n, 3);
	hmap_free(&m, NULL);
	free(seen);
}

/* hmap_free releases every value; the map can be used again. */
static void
test_release(void **state)
{
	struct hmap	 m = HMAP_INIT;
	char		 key[32];
	size_t		 i;

	(void)state;
	released = 0;
	for (i = 0; i < 100; i++) {
		snprintf(key, sizeof(key), "r%zu", i);
		hmap_put(&m, key, xstrdup(key));
	}
	free(hmap_put(&m, "r5", xstrdup("five")));
	free(hmap_del(&m, "r6"));
	hmap_free(&m, release_one);
	assert_int_equal(released, 99);
	assert_int_equal(hmap_count(&m), 0);
	hmap_put(&m, "x", xstrdup("y"));
	assert_string_equal(hmap_get(&m, "x"), "y");
	hmap_free(&m, release_one);
	assert_int_equal(released, 100);
}

/* A random workload of puts, replaces and deletes matches an array. */
static void
test_random(void **state)
{
	struct hmap	 m = HMAP_INIT;
	uintptr_t	*ref = xcalloc(512, sizeof(*ref));
	char		 key[32];
	size_t		 i, k, live = 0;
	unsigned	 seed = 12345;

	(void)state;
	for (i = 0; i < 20000; i++) {
		seed = seed * 1103515245u + 12345u;
		k = (seed >> 8) % 512;
		snprintf(key, sizeof(key), "key-%zu", k);
		if ((seed >> 20) % 3 == 0) {
			assert_ptr_equal(hmap_del(&m, key), (void *)ref[k]);
			live -= ref[k] != 0;
			ref[k] = 0;
		} else {
			assert_ptr_equal(hmap_put(&m, key, (void *)(i + 1)),
			    (void *)ref[k]);
			live += ref[k] == 0;
			ref[k] = i + 1;
		}
		assert_int_equal(hmap_count(&m), live);
	}
	for (k = 0; k < 512; k++) {
		snprintf(key, sizeof(key), "key-%zu", k);
		assert_ptr_equal(hmap_get(&m, key), (void *)ref[k]);
	}
	hmap_free(&m, NULL);
	free(ref);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_null_and_copies),
		cmocka_unit_test(test_growth),
		cmocka_unit_test(test_delete),
		cmocka_unit_test(test_iterate),
		cmocka_unit_test(test_release),
		cmocka_unit_test(test_random),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
