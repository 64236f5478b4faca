/* strbuf: appends, growth, formatting, truncation, detach. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "latticectl/strbuf.h"

/* Appends of every kind land in order and stay terminated. */
static void
test_append(void **state)
{
	struct strbuf	sb;

	strbuf_init(&sb);
	assert_string_equal(strbuf_str(&sb), "");
	strbuf_adds(&sb, "ab");
	strbuf_addc(&sb, 'c');
	strbuf_add(&sb, "defXX", 3);
	strbuf_addf(&sb, "-%d-%s", 42, "z");
	assert_string_equal(sb.buf, "abcdef-42-z");
	assert_int_equal(sb.len, 11);
	strbuf_add(&sb, "", 0);
	assert_int_equal(sb.len, 11);
	strbuf_free(&sb);
	assert_null(sb.buf);
}

/* Long formatted output grows the buffer correctly. */
static void
test_growth(void **state)
{
	struct strbuf	 sb = STRBUF_INIT;
	char		*big;
	size_t		 i;

	assert_string_equal(strbuf_str(&sb), "");
	big = malloc(10001);
	memset(big, 'q', 10000);
	big[10000] = '\0';
	strbuf_addf(&sb, "<%s>", big);
	assert_int_equal(sb.len, 10002);
	assert_int_equal(sb.buf[0], '<');
	assert_int_equal(sb.buf[10001], '>');
	assert_int_equal(sb.buf[10002], '\0');
	for (i = 0; i < 1000; i++)
		strbuf_addc(&sb, 'x');
	assert_int_equal(sb.len, 11002);
	assert_true(sb.cap > sb.len);
	free(big);
	strbuf_free(&sb);
}

/* Truncate and reset shorten; detach hands over the buffer. */
static void
test_truncate_detach(void **state)
{
	struct strbuf	 sb;
	char		*p;
	size_t		 len;

	strbuf_init(&sb);
	strbuf_adds(&sb, "hello world");
	strbuf_truncate(&sb, 5);
	assert_string_equal(sb.buf, "hello");
	strbuf_truncate(&sb, 50);
	assert_string_equal(sb.buf, "hello");
	p = strbuf_detach(&sb, &len);
	assert_string_equal(p, "hello");
	assert_int_equal(len, 5);
	assert_null(sb.buf);
	assert_int_equal(sb.len, 0);
	free(p);
	strbuf_adds(&sb, "again");
	strbuf_reset(&sb);
	assert_string_equal(strbuf_str(&sb), "");
	p = strbuf_detach(&sb, NULL);
	assert_string_equal(p, "");
	free(p);
}

/* Run the strbuf tests. */
int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_append),
		cmocka_unit_test(test_growth),
		cmocka_unit_test(test_truncate_detach),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
