/* Time: RFC 3339 / basic-form parsing, formatting, JSON timestamps. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "latticectl/timeutil.h"

#define T_2026	1795846931	/* 2026-11-28T06:22:11Z */
#define T_2015	1440938160	/* 2015-08-30T12:36:00Z */

/* Accepted spellings and the instant each one means. */
static void
test_parse_valid(void **state)
{
	static const struct {
		const char	*s;
		long long	 sec;
		long		 nsec;
	} cases[] = {
		{ "2026-11-28T06:22:11Z", T_2026, 0 },
		{ "2026-11-28t06:22:11z", T_2026, 0 },
		{ "2026-11-28 06:22:11Z", T_2026, 0 },
		{ "2026-11-28T06:22:11.5Z", T_2026, 500000000 },
		{ "2026-11-28T06:22:11.342354+00:00", T_2026, 342354000 },
		{ "2026-11-28T06:22:11.123456789Z", T_2026, 123456789 },
		{ "2026-11-27T22:22:11-08:00", T_2026, 0 },
		{ "2026-11-28T11:52:11+0530", T_2026, 0 },
		{ "2026-11-28T11:52:11.001+05:30", T_2026, 1000000 },
		{ "20150830T123600Z", T_2015, 0 },
		{ "20150830T143600+0200", T_2015, 0 },
		{ "1970-01-01T00:00:00Z", 0, 0 },
		{ "1969-12-31T23:59:59Z", -1, 0 },
		{ "2024-02-29T00:00:00Z", 1709164800, 0 },
		{ "2000-02-29T00:00:00Z", 951782400, 0 },
	};
	struct timespec	ts;
	size_t		i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		memset(&ts, 0xff, sizeof ts);
		if (time_parse(cases[i].s, &ts) != 0)
			fail_msg("rejected %s", cases[i].s);
		if ((long long)ts.tv_sec != cases[i].sec ||
		    ts.tv_nsec != cases[i].nsec)
			fail_msg("%s -> %lld.%09ld", cases[i].s,
			    (long long)ts.tv_sec, ts.tv_nsec);
	}
}

/* Garbage, out-of-range fields and trailing junk are rejected. */
static void
test_parse_invalid(void **state)
{
	static const char *const bad[] = {
		"", "garbage", "2026-11-28", "2026-11-28T06:22:11",
		"2026-11-28T06:22Z", "2026-13-01T00:00:00Z",
		"2026-00-01T00:00:00Z", "2026-02-29T00:00:00Z",
		"1900-02-29T00:00:00Z", "2026-04-31T00:00:00Z",
		"2026-11-28T24:00:00Z", "2026-11-28T06:60:00Z",
		"2026-11-28T06:22:61Z", "2026-11-28T06:22:11ZZ",
		"2026-11-28T06:22:11Z ", " 2026-11-28T06:22:11Z",
		"2026-11-28T06:22:11.Z", "2026-11-28T06:22:11.1234567891Z",
		"2026-11-28T06:22:11+24:00", "2026-11-28T06:22:11+05:60",
		"2026-11-28T06:22:11+5:30", "2026-11-28T06:22:11+05",
		"2026-11-28X06:22:11Z", "2026/11/28T06:22:11Z",
		"20150830 123600Z", "2015083T123600Z", "+2026-11-28T06:22:11Z",
		"2026-1-28T06:22:11Z", "2026-11-28T06:22:1aZ",
	};
	struct timespec	ts;
	size_t		i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (time_parse(bad[i], &ts) == 0)
			fail_msg("accepted \"%s\"", bad[i]);
	}
	assert_int_equal(time_parse(NULL, &ts), -1);
}

/* RFC 3339 output with 0, 3, 6 and 9 digits truncates, never rounds. */
static void
test_format(void **state)
{
	struct timespec	ts = { T_2026, 123456789 };
	char		buf[64];

	time_format_rfc3339(&ts, 0, buf, sizeof buf);
	assert_string_equal(buf, "2026-11-28T06:22:11Z");
	time_format_rfc3339(&ts, 3, buf, sizeof buf);
	assert_string_equal(buf, "2026-11-28T06:22:11.123Z");
	time_format_rfc3339(&ts, 6, buf, sizeof buf);
	assert_string_equal(buf, "2026-11-28T06:22:11.123456Z");
	time_format_rfc3339(&ts, 9, buf, sizeof buf);
	assert_string_equal(buf, "2026-11-28T06:22:11.123456789Z");
	ts.tv_nsec = 999999999;
	time_format_rfc3339(&ts, 3, buf, sizeof buf);
	assert_string_equal(buf, "2026-11-28T06:22:11.999Z");
	ts.tv_nsec = 5000000;
	time_format_rfc3339(&ts, 3, buf, sizeof buf);
	assert_string_equal(buf, "2026-11-28T06:22:11.005Z");
	time_format_amz(T_2015, buf, sizeof buf);
	assert_string_equal(buf, "20150830T123600Z");
	/* Years before 1000 keep four digits. */
	assert_int_equal(time_parse("02150830T160230Z", &ts), 0);
	time_format_rfc3339(&ts, 0, buf, sizeof buf);
	assert_string_equal(buf, "0215-08-30T16:02:30Z");
	time_format_amz(ts.tv_sec, buf, sizeof buf);
	assert_string_equal(buf, "02150830T160230Z");
}

/* Formatting then parsing gives the same instant. */
static void
test_roundtrip(void **state)
{
	struct timespec	ts = { 1700000000, 42000 }, back;
	char		buf[64];

	time_format_rfc3339(&ts, 9, buf, sizeof buf);
	assert_int_equal(time_parse(buf, &back), 0);
	assert_int_equal(back.tv_sec, ts.tv_sec);
	assert_int_equal(back.tv_nsec, ts.tv_nsec);
}

/* JSON timestamps: ISO strings or epoch seconds (the EKS form). */
static void
test_from_json(void **state)
{
	struct timespec	 ts;
	cJSON		*j;
	char		 buf[64];

	j = cJSON_CreateNumber(1795846884.011);
	assert_int_equal(time_from_json(j, &ts), 0);
	assert_int_equal(ts.tv_sec, 1795846884);
	assert_int_equal(ts.tv_nsec, 11000000);
	time_format_rfc3339(&ts, 3, buf, sizeof buf);
	assert_string_equal(buf, "2026-11-28T06:21:24.011Z");
	cJSON_Delete(j);
	j = cJSON_CreateNumber(1440938160);
	assert_int_equal(time_from_json(j, &ts), 0);
	assert_int_equal(ts.tv_sec, T_2015);
	assert_int_equal(ts.tv_nsec, 0);
	cJSON_Delete(j);
	j = cJSON_CreateString("2026-11-28T06:22:11.342354+00:00");
	assert_int_equal(time_from_json(j, &ts), 0);
	assert_int_equal(ts.tv_sec, T_2026);
	cJSON_Delete(j);
	j = cJSON_CreateString("yesterday");
	assert_int_equal(time_from_json(j, &ts), -1);
	cJSON_Delete(j);
	j = cJSON_CreateTrue();
	assert_int_equal(time_from_json(j, &ts), -1);
	cJSON_Delete(j);
	assert_int_equal(time_from_json(NULL, &ts), -1);
}

/* Clocks: monotonic never goes back; now is after 2020. */
static void
test_clocks(void **state)
{
	uint64_t	a, b;
	struct timespec	now = time_now();

	a = time_mono_us();
	time_sleep_ms(1);
	b = time_mono_us();
	assert_true(b >= a + 1000);
	assert_true(time_mono_ms() >= a / 1000);
	assert_true(now.tv_sec > 1577836800);
}

/* Run the time tests. */
int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_valid),
		cmocka_unit_test(test_parse_invalid),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_from_json),
		cmocka_unit_test(test_clocks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
