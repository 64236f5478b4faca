/* The work queue under the reconciler (src/engine/queue_int.h): dedup,
 * deferral while processing, delayed adds with earliest-wins and resync
 * rules, heap order, release; and the exponential backoff function. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/rand.h"
#include "latticectl/reconcile.h"
#include "../../src/engine/queue_int.h"

/* An item by key, created. */
static struct wq_item *
item(struct wq *q, const char *key)
{
	return wq_item(q, key, 1);
}

/* A key queued twice is ready once; keys come out in FIFO order. */
static void
test_dedup_fifo(void **state)
{
	struct wq	q;

	(void)state;
	wq_init(&q);
	assert_int_equal(wq_add(&q, item(&q, "a")), 1);
	assert_int_equal(wq_add(&q, item(&q, "b")), 1);
	assert_int_equal(wq_add(&q, item(&q, "a")), 0);
	assert_int_equal(q.nready, 2);
	assert_int_equal(q.nknown, 2);
	assert_string_equal(wq_pop(&q)->key, "a");
	assert_string_equal(wq_pop(&q)->key, "b");
	assert_null(wq_pop(&q));
	assert_ptr_equal(wq_item(&q, "a", 0), item(&q, "a"));
	assert_null(wq_item(&q, "zz", 0));
	wq_free(&q);
}

/* A key added while processing is not handed out again until its run
 * ends, and then exactly once however often it was added. */
static void
test_processing_deferral(void **state)
{
	struct wq	 q;
	struct wq_item	*it;

	(void)state;
	wq_init(&q);
	wq_add(&q, item(&q, "a"));
	it = wq_pop(&q);
	assert_true(it->processing);
	assert_int_equal(wq_add(&q, it), 0);
	assert_int_equal(wq_add(&q, it), 0);
	assert_int_equal(q.nready, 0);
	assert_null(wq_pop(&q));
	assert_int_equal(wq_done(&q, it), 1);
	assert_int_equal(q.nready, 1);
	assert_ptr_equal(wq_pop(&q), it);
	assert_int_equal(wq_done(&q, it), 0);
	assert_int_equal(q.nready, 0);
	wq_free(&q);
}

/* The earliest delayed add wins; a resync replaces only a resync and
 * never postpones an explicit delayed add; an immediate add cancels a
 * pending delayed one; nretry counts the non-resync ones. */
static void
test_delay_rules(void **state)
{
	struct wq	 q;
	struct wq_item	*a, *b;
	size_t		 rs;

	(void)state;
	wq_init(&q);
	a = item(&q, "a");
	b = item(&q, "b");
	assert_int_equal(wq_delay(&q, a, 500, 0), 1);
	assert_int_equal(wq_delay(&q, a, 900, 0), 1);
	assert_int_equal(a->due_ms, 500);
	assert_int_equal(wq_delay(&q, a, 100, 0), 1);
	assert_int_equal(a->due_ms, 100);
	assert_int_equal(wq_delay(&q, a, 50, 1), 0);	/* resync: ignored */
	assert_int_equal(a->due_ms, 100);
	assert_int_equal(q.nretry, 1);
	assert_int_equal(wq_delay(&q, b, 1000, 1), 0);
	assert_int_equal(wq_delay(&q, b, 2000, 1), 0);	/* replaces */
	assert_int_equal(b->due_ms, 2000);
	assert_int_equal(q.nretry, 1);
	assert_int_equal(wq_delay(&q, b, 3000, 0), 0);	/* explicit wins */
	assert_false(b->due_resync);
	assert_int_equal(b->due_ms, 3000);
	assert_int_equal(q.nretry, 2);
	assert_int_equal(wq_next_due(&q), 100);
	assert_int_equal(wq_fire(&q, 99, &rs), 0);
	assert_int_equal(wq_fire(&q, 100, &rs), 1);
	assert_int_equal(rs, 0);
	assert_int_equal(q.nretry, 1);
	assert_true(a->queued);
	wq_add(&q, b);					/* cancels b's delay */
	assert_int_equal(b->heap_idx, WQ_NO_HEAP);
	assert_int_equal(q.nheap, 0);
	assert_int_equal(q.nretry, 0);
	assert_int_equal(wq_next_due(&q), UINT64_MAX);
	wq_free(&q);
}

/* Many delayed items fire in due order; removal keeps the heap valid. */
static void
test_heap_order(void **state)
{
	struct wq	 q;
	struct wq_item	*it;
	char		 key[32];
	uint64_t	 last = 0, due;
	int		 i, n = 0;

	(void)state;
	wq_init(&q);
	for (i = 0; i < 500; i++) {
		snprintf(key, sizeof key, "k%d", i);
		wq_delay(&q, item(&q, key), 1 + rand_below(100000), i % 3 == 0);
	}
	for (i = 0; i < 500; i += 7) {
		snprintf(key, sizeof key, "k%d", i);
		wq_undelay(&q, item(&q, key));
	}
	assert_int_equal(q.nheap, 500 - 72);
	while ((due = wq_next_due(&q)) != UINT64_MAX) {
		assert_true(due >= last);
		last = due;
		assert_int_equal(wq_fire(&q, due, NULL) >= 1, 1);
		while ((it = wq_pop(&q)) != NULL) {
			assert_true(it->due_ms <= due);
			wq_done(&q, it);
			n++;
		}
	}
	assert_int_equal(n, 500 - 72);
	assert_int_equal(q.nretry, 0);
	wq_free(&q);
}

/* Release frees only items nothing refers to. */
static void
test_release(void **state)
{
	struct wq	 q;
	struct wq_item	*it;

	(void)state;
	wq_init(&q);
	it = item(&q, "a");
	wq_add(&q, it);
	wq_release(&q, it);			/* queued: kept */
	assert_non_null(wq_item(&q, "a", 0));
	it = wq_pop(&q);
	wq_done(&q, it);
	wq_release(&q, it);			/* known: kept */
	assert_non_null(wq_item(&q, "a", 0));
	it->known = 0;
	q.nknown--;
	it->failures = 2;
	wq_release(&q, it);			/* failures: kept */
	assert_non_null(wq_item(&q, "a", 0));
	it->failures = 0;
	wq_release(&q, it);
	assert_null(wq_item(&q, "a", 0));
	assert_int_equal(q.n, 0);
	wq_free(&q);
}

/* Clearing the FIFO drops ready items but not running ones. */
static void
test_clear_ready(void **state)
{
	struct wq	 q;
	struct wq_item	*a;

	(void)state;
	wq_init(&q);
	wq_add(&q, item(&q, "a"));
	wq_add(&q, item(&q, "b"));
	wq_add(&q, item(&q, "c"));
	a = wq_pop(&q);
	wq_clear_ready(&q);
	assert_int_equal(q.nready, 0);
	assert_null(wq_pop(&q));
	assert_false(item(&q, "b")->queued);
	assert_true(a->processing);
	wq_free(&q);
}

/* Per-key backoff doubles from the base and stops at the cap, without
 * overflowing for absurd failure counts. */
static void
test_backoff(void **state)
{
	(void)state;
	assert_int_equal(reconcile_backoff_ms(5, 1000000, 0), 5);
	assert_int_equal(reconcile_backoff_ms(5, 1000000, 1), 10);
	assert_int_equal(reconcile_backoff_ms(5, 1000000, 4), 80);
	assert_int_equal(reconcile_backoff_ms(5, 1000000, 17), 655360);
	assert_int_equal(reconcile_backoff_ms(5, 1000000, 18), 1000000);
	assert_int_equal(reconcile_backoff_ms(5, 1000000, 62), 1000000);
	assert_int_equal(reconcile_backoff_ms(5, 1000000, 63), 1000000);
	assert_int_equal(reconcile_backoff_ms(5, 1000000, 4000000000U),
	    1000000);
	assert_int_equal(reconcile_backoff_ms(UINT64_MAX / 2, UINT64_MAX, 1),
	    UINT64_MAX - 1);
	assert_int_equal(reconcile_backoff_ms(0, 1000, 10), 0);
}

/* Run the queue tests. */
int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dedup_fifo),
		cmocka_unit_test(test_processing_deferral),
		cmocka_unit_test(test_delay_rules),
		cmocka_unit_test(test_heap_order),
		cmocka_unit_test(test_release),
		cmocka_unit_test(test_clear_ready),
		cmocka_unit_test(test_backoff),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
