/* Tests for the watch stream decoder (kube_watch_*). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/json.h"
#include "latticectl/kwatch.h"
#include "latticectl/strbuf.h"
#include "latticectl/xmalloc.h"

/* Collected events: "TYPE <compact object>\n" per event. */
struct sink {
	struct strbuf	 out;
	int		 stop_after;	/* 0: never */
	int		 n;
};

/* Record one event. */
static int
sink_event(void *arg, enum kube_watch_type t, cJSON *obj)
{
	struct sink	*s = arg;
	char		*txt = json_print(obj);

	strbuf_addf(&s->out, "%s %s\n", kube_watch_type_name(t), txt);
	free(txt);
	cJSON_Delete(obj);
	s->n++;
	return s->stop_after != 0 && s->n >= s->stop_after ? -1 : 0;
}

static const char stream[] =
    "{\"type\":\"ADDED\",\"object\":{\"kind\":\"ConfigMap\",\"metadata\":"
    "{\"name\":\"a\",\"namespace\":\"ns\",\"resourceVersion\":\"5\"},"
    "\"data\":{\"k\":\"brace } and { in \\\"quotes\\\" \\\\\",\"u\":"
    "\"\\u00e9t\\u00e9 ]\"}}}\n"
    "{\"type\":\"MODIFIED\",\"object\":{\"kind\":\"ConfigMap\",\"metadata\":"
    "{\"name\":\"a\",\"resourceVersion\":\"6\"},\"x\":[1,[2,{\"y\":[]}]]}}\r\n"
    "\n"
    "{\"type\":\"BOOKMARK\",\"object\":{\"kind\":\"ConfigMap\",\"metadata\":"
    "{\"resourceVersion\":\"9\"}}}"
    "{\"type\":\"DELETED\",\"object\":{\"metadata\":{\"name\":\"a\"}}}  \t"
    "{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"apiVersion\":"
    "\"v1\",\"metadata\":{},\"status\":\"Failure\",\"message\":"
    "\"too old resource version: 1 (3171407)\",\"reason\":\"Expired\","
    "\"code\":410}}\n";

/* Decode text fed in the given chunk sizes (cycled); returns the result. */
static int
decode_chunks(const char *text, size_t len, const size_t *sizes, size_t nsz,
    struct sink *s, char **cause)
{
	struct kube_watch_decoder	*d;
	size_t				 off = 0, i = 0, n;
	int				 r = 0;

	d = kube_watch_decoder_new(0, sink_event, s);
	while (r == 0 && off < len) {
		n = sizes[i++ % nsz];
		if (n > len - off)
			n = len - off;
		r = kube_watch_feed(d, text + off, n, cause);
		off += n;
	}
	if (r == 0)
		r = kube_watch_finish(d, cause);
	kube_watch_decoder_free(d);
	return r;
}

/* The whole stream at once gives five typed events. */
static void
test_whole(void **state)
{
	struct sink	 s = { STRBUF_INIT, 0, 0 };
	size_t		 all = sizeof stream - 1;
	char		*cause = NULL;

	(void)state;
	assert_int_equal(decode_chunks(stream, all, &all, 1, &s, &cause), 0);
	assert_int_equal(s.n, 5);
	assert_non_null(strstr(strbuf_str(&s.out), "ADDED {\"kind\":"
	    "\"ConfigMap\""));
	assert_non_null(strstr(strbuf_str(&s.out), "brace } and { in "
	    "\\\"quotes\\\" \\\\"));
	assert_non_null(strstr(strbuf_str(&s.out), "\nMODIFIED "));
	assert_non_null(strstr(strbuf_str(&s.out), "\nBOOKMARK "));
	assert_non_null(strstr(strbuf_str(&s.out), "\nDELETED "));
	assert_non_null(strstr(strbuf_str(&s.out), "\nERROR "));
	strbuf_free(&s.out);
}

/* Splitting the stream in two at every byte, and byte by byte, gives the
 * same events as decoding it whole. */
static void
test_every_boundary(void **state)
{
	struct sink	 whole = { STRBUF_INIT, 0, 0 }, s;
	size_t		 all = sizeof stream - 1, sz[2], one = 1;
	char		*cause = NULL;

	(void)state;
	assert_int_equal(decode_chunks(stream, all, &all, 1, &whole, &cause), 0);
	for (sz[0] = 0; sz[0] <= all; sz[0]++) {
		memset(&s, 0, sizeof s);
		sz[1] = all;
		assert_int_equal(decode_chunks(stream, all, sz, 2, &s, &cause),
		    0);
		assert_string_equal(strbuf_str(&s.out), strbuf_str(&whole.out));
		strbuf_free(&s.out);
	}
	memset(&s, 0, sizeof s);
	assert_int_equal(decode_chunks(stream, all, &one, 1, &s, &cause), 0);
	assert_string_equal(strbuf_str(&s.out), strbuf_str(&whole.out));
	strbuf_free(&s.out);
	strbuf_free(&whole.out);
}

/* Three-way splits at every pair of boundaries agree too. */
static void
test_three_way(void **state)
{
	struct sink	 whole = { STRBUF_INIT, 0, 0 }, s;
	size_t		 all = sizeof stream - 1, sz[3], a, b;
	char		*cause = NULL;

	(void)state;
	assert_int_equal(decode_chunks(stream, all, &all, 1, &whole, &cause), 0);
	for (a = 1; a < all; a += 7) {
		for (b = a; b < all; b += 3) {
			memset(&s, 0, sizeof s);
			sz[0] = a;
			sz[1] = b - a;
			sz[2] = all;
			assert_int_equal(decode_chunks(stream, all, sz, 3, &s,
			    &cause), 0);
			assert_string_equal(strbuf_str(&s.out),
			    strbuf_str(&whole.out));
			strbuf_free(&s.out);
		}
	}
	strbuf_free(&whole.out);
}

/* Expect text to fail with a cause containing want. */
static void
expect_fail(const char *text, size_t max, const char *want)
{
	struct kube_watch_decoder	*d;
	struct sink			 s = { STRBUF_INIT, 0, 0 };
	char				*cause = NULL;
	int				 r;

	d = kube_watch_decoder_new(max, sink_event, &s);
	r = kube_watch_feed(d, text, strlen(text), &cause);
	if (r == 0)
		r = kube_watch_finish(d, &cause);
	assert_int_equal(r, -1);
	assert_non_null(cause);
	if (strstr(cause, want) == NULL)
		fail_msg("cause '%s' lacks '%s'", cause, want);
	free(cause);
	cause = NULL;
	/* once failed, it stays failed */
	assert_int_equal(kube_watch_feed(d, "\n", 1, &cause), -1);
	free(cause);
	kube_watch_decoder_free(d);
	strbuf_free(&s.out);
}

/* Malformed streams are errors with a reason. */
static void
test_errors(void **state)
{
	(void)state;
	expect_fail("x{\"type\":\"ADDED\",\"object\":{}}", 0, "unexpected byte");
	expect_fail("{\"type\":\"ADDED\",\"object\":{}}\n[1]", 0,
	    "unexpected byte");
	expect_fail("{\"type\":\"ADDED\",\"object\":{", 0, "ended inside");
	expect_fail("{\"type\":\"NOPE\",\"object\":{}}", 0, "unknown type");
	expect_fail("{\"object\":{}}", 0, "no type");
	expect_fail("{\"type\":\"ADDED\"}", 0, "object missing");
	expect_fail("{\"type\":\"ADDED\",\"object\":[]}", 0, "not an object");
	expect_fail("{\"type\":\"ADDED\",\"object\":{,}}", 0, "watch event");
	expect_fail("{\"type\":\"ADDED\",\"object\":{\"a\":\"0123456789\"}}",
	    30, "longer than the limit");
}

/* The size bound holds across chunks and admits an event of exactly max. */
static void
test_limit_chunks(void **state)
{
	const char			*ev = "{\"type\":\"ADDED\",\"object\":{}}";
	struct kube_watch_decoder	*d;
	struct sink			 s = { STRBUF_INIT, 0, 0 };
	size_t				 i, len = strlen(ev);
	char				*cause = NULL;

	(void)state;
	d = kube_watch_decoder_new(len, sink_event, &s);
	for (i = 0; i < len; i++)
		assert_int_equal(kube_watch_feed(d, ev + i, 1, &cause), 0);
	assert_int_equal(s.n, 1);
	kube_watch_decoder_free(d);
	d = kube_watch_decoder_new(len - 1, sink_event, &s);
	for (i = 0; i < len - 1; i++)
		assert_int_equal(kube_watch_feed(d, ev + i, 1, &cause), 0);
	assert_int_equal(kube_watch_feed(d, ev + i, 1, &cause), -1);
	assert_non_null(strstr(cause, "limit"));
	free(cause);
	kube_watch_decoder_free(d);
	strbuf_free(&s.out);
}

/* A callback that stops ends decoding; reset starts a new stream. */
static void
test_stop_reset(void **state)
{
	struct kube_watch_decoder	*d;
	struct sink			 s = { STRBUF_INIT, 2, 0 };
	char				*cause = NULL;

	(void)state;
	d = kube_watch_decoder_new(0, sink_event, &s);
	assert_int_equal(kube_watch_feed(d, stream, sizeof stream - 1, &cause),
	    -1);
	assert_string_equal(cause, "watch: stopped");
	assert_int_equal(s.n, 2);
	free(cause);
	cause = NULL;
	kube_watch_reset(d);
	s.stop_after = 0;
	assert_int_equal(kube_watch_feed(d, "{\"type\":\"ADD", 12, &cause), 0);
	kube_watch_reset(d);
	assert_int_equal(kube_watch_feed(d, "{\"type\":\"DELETED\",\"object\":"
	    "{}}", 30, &cause), 0);
	assert_int_equal(kube_watch_finish(d, &cause), 0);
	assert_int_equal(s.n, 3);
	assert_int_equal(kube_watch_count(d), 3);
	kube_watch_decoder_free(d);
	strbuf_free(&s.out);
}

/* Type names and Status codes. */
static void
test_names_codes(void **state)
{
	enum kube_watch_type	 t;
	cJSON			*st;

	(void)state;
	assert_int_equal(kube_watch_type_parse("BOOKMARK", &t), 0);
	assert_int_equal(t, KUBE_WATCH_BOOKMARK);
	assert_int_equal(kube_watch_type_parse("added", &t), -1);
	assert_string_equal(kube_watch_type_name(KUBE_WATCH_ERROR), "ERROR");
	assert_null(kube_watch_type_name((enum kube_watch_type)9));
	st = cJSON_Parse("{\"kind\":\"Status\",\"code\":410}");
	assert_int_equal(kube_watch_status_code(st), 410);
	cJSON_Delete(st);
	st = cJSON_Parse("{\"kind\":\"Status\",\"code\":\"x\"}");
	assert_int_equal(kube_watch_status_code(st), 0);
	cJSON_Delete(st);
	assert_int_equal(kube_watch_status_code(NULL), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_whole),
		cmocka_unit_test(test_every_boundary),
		cmocka_unit_test(test_three_way),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_limit_chunks),
		cmocka_unit_test(test_stop_reset),
		cmocka_unit_test(test_names_codes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
