/* pfor: every item runs exactly once, on several threads; the first
 * failure stops new items and is returned. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

#include "latticectl/pfor.h"
#include "latticectl/timeutil.h"

#define N_ITEMS	1000

struct tally {
	atomic_int	hits[N_ITEMS];
	atomic_int	running, peak, ran;
	size_t		fail_at;	/* item that fails, or N_ITEMS */
};

/* Count the item and the concurrency it saw; fail at fail_at. */
static int
tally_item(void *arg, size_t i)
{
	struct tally	*t = arg;
	int		 now, peak;

	atomic_fetch_add(&t->hits[i], 1);
	atomic_fetch_add(&t->ran, 1);
	now = atomic_fetch_add(&t->running, 1) + 1;
	peak = atomic_load(&t->peak);
	while (now > peak && !atomic_compare_exchange_weak(&t->peak, &peak,
	    now))
		;
	if (i % 50 == 0)
		time_sleep_ms(1);
	atomic_fetch_sub(&t->running, 1);
	return i == t->fail_at ? 7 : 0;
}

/* Every item once, more than one thread at a time. */
static void
test_all_items_once(void **state)
{
	static struct tally	t;
	size_t			i;

	(void)state;
	memset(&t, 0, sizeof(t));
	t.fail_at = N_ITEMS;
	assert_int_equal(pfor_run(N_ITEMS, 4, tally_item, &t), 0);
	for (i = 0; i < N_ITEMS; i++)
		assert_int_equal(atomic_load(&t.hits[i]), 1);
	assert_true(atomic_load(&t.peak) > 1);
	assert_true(atomic_load(&t.peak) <= 4);
}

/* A failing item's result comes back and later items do not all run. */
static void
test_failure_stops(void **state)
{
	static struct tally	t;
	size_t			i;

	(void)state;
	memset(&t, 0, sizeof(t));
	t.fail_at = 10;
	assert_int_equal(pfor_run(N_ITEMS, 3, tally_item, &t), 7);
	assert_int_equal(atomic_load(&t.hits[10]), 1);
	assert_true(atomic_load(&t.ran) < N_ITEMS);
	for (i = 0; i < N_ITEMS; i++)
		assert_true(atomic_load(&t.hits[i]) <= 1);
}

/* No items, and one thread: both fine. */
static void
test_edges(void **state)
{
	static struct tally	t;

	(void)state;
	memset(&t, 0, sizeof(t));
	t.fail_at = N_ITEMS;
	assert_int_equal(pfor_run(0, 8, tally_item, &t), 0);
	assert_int_equal(atomic_load(&t.ran), 0);
	assert_int_equal(pfor_run(5, 1, tally_item, &t), 0);
	assert_int_equal(atomic_load(&t.ran), 5);
	assert_int_equal(atomic_load(&t.peak), 1);
	assert_int_equal(pfor_run(2, 0, tally_item, &t), 0);
	assert_int_equal(atomic_load(&t.ran), 7);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_all_items_once),
		cmocka_unit_test(test_failure_stops),
		cmocka_unit_test(test_edges),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
