/* base64 tests: RFC 4648 vectors, whitespace, malformed input. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "latticectl/base64.h"

/* The RFC 4648 section 10 vectors, both ways. */
static void
test_vectors(void **state)
{
	static const char *plain[] = { "", "f", "fo", "foo", "foob", "fooba",
	    "foobar" };
	static const char *coded[] = { "", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==",
	    "Zm9vYmE=", "Zm9vYmFy" };
	size_t	 i, len;
	char	*s;

	for (i = 0; i < 7; i++) {
		s = base64_encode(plain[i], strlen(plain[i]));
		assert_string_equal(s, coded[i]);
		free(s);
		s = base64_decode(coded[i], &len);
		assert_non_null(s);
		assert_int_equal(len, strlen(plain[i]));
		assert_string_equal(s, plain[i]);
		free(s);
	}
}

/* Line breaks (PEM style) are ignored; binary survives. */
static void
test_whitespace_binary(void **state)
{
	unsigned char	 bin[256];
	char		*enc, *dec, *wrapped;
	size_t		 i, len, n;

	for (i = 0; i < sizeof bin; i++)
		bin[i] = (unsigned char)i;
	enc = base64_encode(bin, sizeof bin);
	n = strlen(enc);
	wrapped = malloc(n + n / 64 + 2);
	for (i = 0, len = 0; i < n; i++) {
		wrapped[len++] = enc[i];
		if (i % 64 == 63)
			wrapped[len++] = '\n';
	}
	wrapped[len] = '\0';
	dec = base64_decode(wrapped, &len);
	assert_non_null(dec);
	assert_int_equal(len, sizeof bin);
	assert_memory_equal(dec, bin, sizeof bin);
	free(enc);
	free(dec);
	free(wrapped);
}

/* Bad lengths and characters are rejected. */
static void
test_malformed(void **state)
{
	assert_null(base64_decode("Zm9", NULL));
	assert_null(base64_decode("Zm9v!A==", NULL));
	assert_null(base64_decode("@@@@", NULL));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vectors),
		cmocka_unit_test(test_whitespace_binary),
		cmocka_unit_test(test_malformed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
