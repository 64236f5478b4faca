/* Backoff: ceilings double up to the cap; jittered delays stay inside. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <limits.h>

#include "latticectl/backoff.h"

/* Ceilings go base, 2*base, 4*base ... and stop at the cap. */
static void
test_ceiling_sequence(void **state)
{
	static const uint64_t	want[] = {
		100, 200, 400, 800, 1600, 3200, 5000, 5000, 5000
	};
	struct backoff		b;
	size_t			i;

	backoff_init(&b, 100, 5000);
	for (i = 0; i < sizeof want / sizeof want[0]; i++) {
		assert_int_equal(backoff_ceiling(&b), want[i]);
		assert_int_equal(b.attempt, i);
		backoff_next(&b);
	}
	backoff_reset(&b);
	assert_int_equal(b.attempt, 0);
	assert_int_equal(backoff_ceiling(&b), 100);
}

/* Each delay is within [0, ceiling] and the jitter actually varies. */
static void
test_next_in_range(void **state)
{
	struct backoff	b;
	uint64_t	d, ceil, first = 0;
	int		i, varied = 0;

	for (i = 0; i < 500; i++) {
		backoff_init(&b, 1000, 60000);
		b.attempt = (unsigned)(i % 10);
		ceil = backoff_ceiling(&b);
		d = backoff_next(&b);
		assert_true(d <= ceil);
		assert_int_equal(b.attempt, (unsigned)(i % 10) + 1);
		if (i == 0)
			first = d;
		else if (d != first)
			varied = 1;
	}
	assert_true(varied);
}

/* Huge attempt counts neither overflow nor exceed the cap. */
static void
test_overflow(void **state)
{
	struct backoff	b;
	unsigned	a;

	backoff_init(&b, 100, 30000);
	for (a = 60; a < 200; a++) {
		b.attempt = a;
		assert_int_equal(backoff_ceiling(&b), 30000);
		assert_true(backoff_next(&b) <= 30000);
	}
	b.attempt = UINT_MAX;
	assert_int_equal(backoff_ceiling(&b), 30000);
	backoff_next(&b);
	assert_int_equal(b.attempt, UINT_MAX);
	backoff_init(&b, 3, UINT64_MAX);
	b.attempt = 100;
	assert_true(backoff_ceiling(&b) > (UINT64_MAX >> 2));
	(void)backoff_next(&b);
	backoff_init(&b, 0, 1000);
	b.attempt = 1000000;
	assert_int_equal(backoff_ceiling(&b), 0);
	assert_int_equal(backoff_next(&b), 0);
}

/* A base above the cap is clamped to the cap. */
static void
test_base_above_cap(void **state)
{
	struct backoff	b;

	backoff_init(&b, 9000, 1000);
	assert_int_equal(backoff_ceiling(&b), 1000);
	assert_true(backoff_next(&b) <= 1000);
}

/* Run the backoff tests. */
int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ceiling_sequence),
		cmocka_unit_test(test_next_in_range),
		cmocka_unit_test(test_overflow),
		cmocka_unit_test(test_base_above_cap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
