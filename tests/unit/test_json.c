/* JSON helpers: parse errors with positions, getters, paths, equality. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/json.h"

/* Parse a C string, failing the test on error. */
static cJSON *
parse_ok(const char *s)
{
	char	*cause = NULL;
	cJSON	*j = json_parse(s, strlen(s), "t", &cause);

	if (j == NULL)
		fail_msg("parse %s: %s", s, cause);
	return j;
}

/* Parse expecting failure; returns the cause (caller frees). */
static char *
parse_err(const char *s, size_t len)
{
	char	*cause = NULL;
	cJSON	*j = json_parse(s, len, "doc.json", &cause);

	assert_null(j);
	assert_non_null(cause);
	return cause;
}

/* A valid document parses and keeps types. */
static void
test_parse_ok(void **state)
{
	cJSON	*j = parse_ok(" {\"a\": [1, \"x\", true, null]}\n\n");

	assert_true(cJSON_IsArray(cJSON_GetObjectItem(j, "a")));
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(j, "a")), 4);
	cJSON_Delete(j);
}

/* Errors name the document and give line and column of the problem. */
static void
test_parse_errors(void **state)
{
	char	*c;

	c = parse_err("{\n  \"a\": 1,\n  \"b\" 2\n}", 20);
	assert_string_equal(c,
	    "doc.json: line 3 column 7: syntax error near '2'");
	free(c);
	c = parse_err("{\"a\": [1, 2", 11);
	assert_non_null(strstr(c, "doc.json: line 1 column"));
	assert_non_null(strstr(c, "unexpected end of input"));
	free(c);
	c = parse_err("{} x", 4);
	assert_string_equal(c, "doc.json: line 1 column 4: trailing data after "
	    "JSON value");
	free(c);
	c = parse_err("", 0);
	assert_string_equal(c, "doc.json: empty document");
	free(c);
	/* The length bounds the parse: a valid prefix is not enough. */
	c = parse_err("{\"a\":1}", 4);
	assert_non_null(strstr(c, "doc.json: line 1"));
	free(c);
}

/* Typed getters accept only the right types. */
static void
test_getters(void **state)
{
	cJSON	*j = parse_ok("{\"s\":\"v\",\"i\":42,\"neg\":-7,\"f\":1.5,"
	    "\"big\":1e30,\"b\":true,\"n\":null,\"is\":\"3\"}");
	int64_t	 v = 0;

	assert_string_equal(json_str(j, "s"), "v");
	assert_null(json_str(j, "i"));
	assert_null(json_str(j, "missing"));
	assert_null(json_str(NULL, "s"));
	assert_int_equal(json_int(j, "i", &v), 0);
	assert_int_equal(v, 42);
	assert_int_equal(json_int(j, "neg", &v), 0);
	assert_int_equal(v, -7);
	assert_int_equal(json_int(j, "f", &v), -1);
	assert_int_equal(json_int(j, "big", &v), -1);
	assert_int_equal(json_int(j, "is", &v), -1);
	assert_int_equal(json_int(j, "missing", &v), -1);
	assert_true(json_num(j, "f", 0) == 1.5);
	assert_true(json_num(j, "s", 9.0) == 9.0);
	assert_int_equal(json_bool(j, "b", 0), 1);
	assert_int_equal(json_bool(j, "n", -1), -1);
	assert_int_equal(json_bool(j, "s", 0), 0);
	cJSON_Delete(j);
}

/* Dotted paths walk objects only. */
static void
test_path(void **state)
{
	cJSON	*j = parse_ok("{\"metadata\":{\"name\":\"gw\",\"labels\":"
	    "{\"app\":\"x\"}},\"list\":[1]}");

	assert_string_equal(json_path_str(j, "metadata.name"), "gw");
	assert_string_equal(json_path_str(j, "metadata.labels.app"), "x");
	assert_null(json_path(j, "metadata.nope"));
	assert_null(json_path(j, "metadata.name.deeper"));
	assert_null(json_path(j, "list.0"));
	assert_null(json_path(j, "metadata..name"));
	assert_null(json_path_str(j, "metadata"));
	assert_ptr_equal(json_path(j, ""), j);
	cJSON_Delete(j);
}

/* Printing is compact; optional strings are added only when set. */
static void
test_print_and_opt(void **state)
{
	cJSON	*o = cJSON_CreateObject();
	char	*s;

	json_add_str_opt(o, "a", "x\"y");
	json_add_str_opt(o, "b", NULL);
	s = json_print(o);
	assert_string_equal(s, "{\"a\":\"x\\\"y\"}");
	free(s);
	s = json_print(NULL);
	assert_string_equal(s, "null");
	free(s);
	cJSON_Delete(o);
}

/* Equality ignores key order but not array order, types or values. */
static void
test_equal(void **state)
{
	static const struct {
		const char	*a, *b;
		int		 eq;
	} cases[] = {
		{ "{\"a\":1,\"b\":[1,2]}", "{\"b\":[1,2],\"a\":1}", 1 },
		{ "{\"a\":{\"x\":1,\"y\":2}}", "{\"a\":{\"y\":2,\"x\":1}}", 1 },
		{ "[1,2]", "[2,1]", 0 },
		{ "[1,2]", "[1,2,3]", 0 },
		{ "{\"a\":1}", "{\"a\":1,\"b\":2}", 0 },
		{ "{\"a\":1}", "{\"b\":1}", 0 },
		{ "{\"a\":1}", "{\"a\":\"1\"}", 0 },
		{ "{\"a\":true}", "{\"a\":false}", 0 },
		{ "{\"a\":null}", "{\"a\":null}", 1 },
		{ "\"x\"", "\"x\"", 1 },
		{ "\"x\"", "\"y\"", 0 },
		{ "1.5", "1.50", 1 },
		{ "1", "1.0000000000000002", 1 },	/* one ulp */
		{ "1", "1.000001", 0 },
		{ "78999012323456789990123456790", "7.89990123234568e+28", 1 },
		{ "0", "1e-300", 0 },
		{ "{\"a\":1,\"a\":1}", "{\"a\":1,\"a\":2}", 0 },
		{ "{\"a\":1,\"a\":2}", "{\"a\":1,\"a\":1}", 0 },
		{ "{}", "[]", 0 },
	};
	cJSON	*a, *b;
	size_t	 i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		a = parse_ok(cases[i].a);
		b = parse_ok(cases[i].b);
		if (json_equal(a, b) != cases[i].eq ||
		    json_equal(b, a) != cases[i].eq)
			fail_msg("json_equal(%s, %s) != %d", cases[i].a,
			    cases[i].b, cases[i].eq);
		cJSON_Delete(a);
		cJSON_Delete(b);
	}
	assert_true(json_equal(NULL, NULL));
	a = cJSON_CreateNumber(NAN);
	b = cJSON_CreateNumber(NAN);
	assert_true(json_equal(a, b));
	assert_false(json_equal(a, NULL));
	cJSON_Delete(a);
	cJSON_Delete(b);
}

/* Run the JSON tests. */
int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_ok),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_getters),
		cmocka_unit_test(test_path),
		cmocka_unit_test(test_print_and_opt),
		cmocka_unit_test(test_equal),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
