/* Randomness: range, rough uniformity, UUID v4 layout. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <ctype.h>
#include <string.h>

#include "latticectl/rand.h"

/* Bytes are filled (64 zero bytes would be a 2^-512 event). */
static void
test_bytes(void **state)
{
	unsigned char	buf[64], zero[64];

	memset(buf, 0, sizeof buf);
	memset(zero, 0, sizeof zero);
	rand_bytes(buf, sizeof buf);
	assert_memory_not_equal(buf, zero, sizeof buf);
	rand_bytes(buf, 0);
	assert_true(rand_u64() != rand_u64() || rand_u64() != rand_u64());
}

/* rand_below stays in range and spreads evenly over a small n. */
static void
test_below(void **state)
{
	unsigned	counts[3] = { 0, 0, 0 };
	uint64_t	v, big = (UINT64_MAX / 3) * 2;
	int		i;

	assert_int_equal(rand_below(1), 0);
	assert_int_equal(rand_below(0), 0);
	for (i = 0; i < 30000; i++) {
		v = rand_below(3);
		assert_true(v < 3);
		counts[v]++;
	}
	/* Expected 10000 each; 9000 is more than 12 standard deviations. */
	for (i = 0; i < 3; i++)
		assert_true(counts[i] > 9000 && counts[i] < 11000);
	for (i = 0; i < 1000; i++) {
		assert_true(rand_below(big) < big);
		assert_true(rand_below(UINT64_MAX) < UINT64_MAX);
	}
}

/* UUIDs: 8-4-4-4-12 lower-case hex, version 4, variant 10xx, unique. */
static void
test_uuid4(void **state)
{
	char	a[37], b[37];
	int	i, n;

	for (n = 0; n < 200; n++) {
		rand_uuid4(a);
		assert_int_equal(strlen(a), 36);
		for (i = 0; i < 36; i++) {
			if (i == 8 || i == 13 || i == 18 || i == 23)
				assert_int_equal(a[i], '-');
			else
				assert_true(isxdigit((unsigned char)a[i]) &&
				    !isupper((unsigned char)a[i]));
		}
		assert_int_equal(a[14], '4');
		assert_non_null(strchr("89ab", a[19]));
	}
	rand_uuid4(b);
	assert_string_not_equal(a, b);
}

/* Run the rand tests. */
int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bytes),
		cmocka_unit_test(test_below),
		cmocka_unit_test(test_uuid4),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
