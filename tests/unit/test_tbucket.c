/* Token bucket: burst, debt, unlimited mode, rate changes, threads. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>

#include "latticectl/tbucket.h"
#include "latticectl/timeutil.h"

/* A full bucket gives burst tokens at once; the next one must wait. */
static void
test_burst_then_wait(void **state)
{
	struct tbucket	tb;
	uint64_t	w1, w2;
	int		i;

	tbucket_init(&tb, 1.0, 5);
	for (i = 0; i < 5; i++)
		assert_int_equal(tbucket_reserve(&tb), 0);
	w1 = tbucket_reserve(&tb);
	assert_true(w1 > 0 && w1 <= 1000);
	/* Debt accumulates: the 7th waits about a second longer. */
	w2 = tbucket_reserve(&tb);
	assert_true(w2 > w1 && w2 <= 2000);
	assert_int_equal(tbucket_try(&tb), 0);
	tbucket_free(&tb);
}

/* try takes only what is there. */
static void
test_try(void **state)
{
	struct tbucket	tb;

	tbucket_init(&tb, 0.001, 2);
	assert_int_equal(tbucket_try(&tb), 1);
	assert_int_equal(tbucket_try(&tb), 1);
	assert_int_equal(tbucket_try(&tb), 0);
	assert_int_equal(tbucket_try(&tb), 0);
	tbucket_free(&tb);
}

/* A rate of zero or less means no limit. */
static void
test_unlimited(void **state)
{
	struct tbucket	tb;
	int		i;

	tbucket_init(&tb, 0, 1);
	for (i = 0; i < 10000; i++) {
		assert_int_equal(tbucket_reserve(&tb), 0);
		assert_int_equal(tbucket_try(&tb), 1);
	}
	tbucket_take(&tb);
	tbucket_set_rate(&tb, -5);
	assert_int_equal(tbucket_reserve(&tb), 0);
	assert_true(tbucket_get_rate(&tb) == -5);
	tbucket_free(&tb);
}

/* Changing the rate keeps tokens between -burst and burst. */
static void
test_set_rate(void **state)
{
	struct tbucket	tb;
	int		i;

	tbucket_init(&tb, 0, 3);
	tbucket_set_rate(&tb, 1.0);	/* leaving unlimited: starts full */
	assert_true(tbucket_get_rate(&tb) == 1.0);
	for (i = 0; i < 3; i++)
		assert_int_equal(tbucket_try(&tb), 1);
	assert_int_equal(tbucket_try(&tb), 0);
	for (i = 0; i < 50; i++)
		(void)tbucket_reserve(&tb);	/* deep debt */
	tbucket_set_rate(&tb, 0.5);
	assert_true(tb.tokens >= -tb.burst && tb.tokens <= tb.burst);
	/* Debt of at most 3 tokens at 0.5/s: the wait is at most ~8 s. */
	assert_true(tbucket_reserve(&tb) <= 8000);
	tbucket_set_rate(&tb, 1e-300);
	assert_true(tbucket_reserve(&tb) <= (uint64_t)1e15);
	tbucket_free(&tb);
}

/* Threads hammering try() get exactly the tokens that exist. */
struct hammer {
	struct tbucket	*tb;
	int		 got;
};

/* Try 500 times. */
static void *
hammer_run(void *arg)
{
	struct hammer	*h = arg;
	int		 i;

	for (i = 0; i < 500; i++)
		h->got += tbucket_try(h->tb);
	return NULL;
}

/* Four threads share a burst of 1000 at 1 token/s. */
static void
test_threads(void **state)
{
	struct tbucket	tb;
	struct hammer	h[4];
	pthread_t	t[4];
	uint64_t	start, secs;
	int		i, total = 0;

	tbucket_init(&tb, 1.0, 1000);
	start = time_mono_us();
	for (i = 0; i < 4; i++) {
		h[i].tb = &tb;
		h[i].got = 0;
		assert_int_equal(pthread_create(&t[i], NULL, hammer_run,
		    &h[i]), 0);
	}
	for (i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		total += h[i].got;
	}
	secs = (time_mono_us() - start) / 1000000 + 1;
	assert_true(total >= 1000 && (uint64_t)total <= 1000 + secs);
	tbucket_free(&tb);
}

/* Run the token bucket tests. */
int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_burst_then_wait),
		cmocka_unit_test(test_try),
		cmocka_unit_test(test_unlimited),
		cmocka_unit_test(test_set_rate),
		cmocka_unit_test(test_threads),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
