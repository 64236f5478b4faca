/* Logging: line formats, levels, sink, thread safety and redaction. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#define LOG_MODULE "testmod"
#include "latticectl/log.h"
#include "latticectl/strbuf.h"

/* An in-memory log destination. */
struct capture {
	FILE	*f;
	char	*buf;
	size_t	 len;
};

/* Point the logger at a fresh memory stream. */
static void
capture_start(struct capture *c, enum log_level level, enum log_format fmt)
{
	c->buf = NULL;
	c->len = 0;
	c->f = open_memstream(&c->buf, &c->len);
	assert_non_null(c->f);
	log_open(level, fmt, c->f);
}

/* Detach the logger; the captured text stays in c->buf (caller frees). */
static const char *
capture_end(struct capture *c)
{
	log_close();
	fclose(c->f);
	return c->buf;
}

/* Whether s matches the extended regex re. */
static int
matches(const char *s, const char *re)
{
	regex_t	r;
	int	rc;

	assert_int_equal(regcomp(&r, re, REG_EXTENDED | REG_NOSUB), 0);
	rc = regexec(&r, s, 0, NULL, 0) == 0;
	regfree(&r);
	return rc;
}

/* Text lines: time, padded level, module, message. */
static void
test_text_format(void **state)
{
	struct capture	c;
	const char	*out;

	capture_start(&c, LOG_LEVEL_INFO, LOG_FORMAT_TEXT);
	log_info("hello %d", 42);
	log_error("bad\n");
	log_debug("hidden");
	log_trace("hidden");
	log_msg(LOG_LEVEL_WARN, "other", "w");
	out = capture_end(&c);
	if (!matches(out, "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:"
	    "[0-9]{2}\\.[0-9]{3}Z INFO  testmod: hello 42\n"
	    "[0-9T:.Z-]{24} ERROR testmod: bad\n"
	    "[0-9T:.Z-]{24} WARN  other: w\n$"))
		fail_msg("unexpected output:\n%s", out);
	free(c.buf);
}

/* JSON lines are valid JSON with escaped fields. */
static void
test_json_format(void **state)
{
	struct capture	 c;
	const char	*out;
	cJSON		*j;

	capture_start(&c, LOG_LEVEL_DEBUG, LOG_FORMAT_JSON);
	log_debug("quote \" back \\ nl \n tab \t end");
	out = capture_end(&c);
	assert_non_null(strchr(out, '\n'));
	assert_ptr_equal(strchr(out, '\n'), out + strlen(out) - 1);
	j = cJSON_Parse(out);
	assert_non_null(j);
	assert_string_equal(cJSON_GetObjectItem(j, "level")->valuestring,
	    "debug");
	assert_string_equal(cJSON_GetObjectItem(j, "module")->valuestring,
	    "testmod");
	assert_string_equal(cJSON_GetObjectItem(j, "msg")->valuestring,
	    "quote \" back \\ nl \n tab \t end");
	assert_true(matches(cJSON_GetObjectItem(j, "time")->valuestring,
	    "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}\\.[0-9]{3}Z$"));
	assert_true(matches(out, "^\\{\"time\":\"[^\"]+\",\"level\":\"debug\","
	    "\"module\":\"testmod\",\"msg\":"));
	cJSON_Delete(j);
	free(c.buf);
}

/* Level and format names parse; thresholds apply. */
static void
test_levels(void **state)
{
	enum log_level	l;
	enum log_format	f;

	assert_int_equal(log_level_parse("debug", &l), 0);
	assert_int_equal(l, LOG_LEVEL_DEBUG);
	assert_int_equal(log_level_parse("WARN", &l), 0);
	assert_int_equal(l, LOG_LEVEL_WARN);
	assert_int_equal(log_level_parse("warning", &l), 0);
	assert_int_equal(l, LOG_LEVEL_WARN);
	assert_int_equal(log_level_parse("off", &l), 0);
	assert_int_equal(l, LOG_LEVEL_OFF);
	assert_int_equal(log_level_parse("verbose", &l), -1);
	assert_int_equal(log_level_parse(NULL, &l), -1);
	assert_int_equal(log_format_parse("json", &f), 0);
	assert_int_equal(f, LOG_FORMAT_JSON);
	assert_int_equal(log_format_parse("text", &f), 0);
	assert_int_equal(f, LOG_FORMAT_TEXT);
	assert_int_equal(log_format_parse("xml", &f), -1);
	log_set_level(LOG_LEVEL_WARN);
	assert_int_equal(log_get_level(), LOG_LEVEL_WARN);
	assert_false(log_enabled(LOG_LEVEL_INFO));
	assert_true(log_enabled(LOG_LEVEL_ERROR));
	log_set_level(LOG_LEVEL_OFF);
	assert_false(log_enabled(LOG_LEVEL_ERROR));
	assert_false(log_enabled(LOG_LEVEL_OFF));
	log_set_level(LOG_LEVEL_INFO);
}

/* What the test sink saw. */
struct sink_seen {
	int		 calls;
	enum log_level	 level;
	struct strbuf	 lines;
	char		 module[32];
};

/* A sink that records its calls. */
static void
sink_record(void *arg, enum log_level level, const char *module,
    const char *line)
{
	struct sink_seen	*s = arg;

	s->calls++;
	s->level = level;
	snprintf(s->module, sizeof s->module, "%s", module);
	strbuf_adds(&s->lines, line);
	strbuf_addc(&s->lines, '\n');
}

/* The sink gets each enabled line, redacted, without a newline. */
static void
test_sink(void **state)
{
	struct capture		c;
	struct sink_seen	s;

	memset(&s, 0, sizeof s);
	strbuf_init(&s.lines);
	capture_start(&c, LOG_LEVEL_INFO, LOG_FORMAT_TEXT);
	log_set_sink(sink_record, &s);
	log_add_secret("hunter2");
	log_warn("password is hunter2!");
	log_debug("not enabled");
	assert_int_equal(s.calls, 1);
	assert_int_equal(s.level, LOG_LEVEL_WARN);
	assert_string_equal(s.module, "testmod");
	assert_null(strstr(s.lines.buf, "hunter2"));
	assert_non_null(strstr(s.lines.buf, "WARN  testmod: password is "
	    "[REDACTED]"));
	assert_int_equal(strchr(s.lines.buf, '\n') - s.lines.buf,
	    (long)s.lines.len - 1);
	log_set_sink(NULL, NULL);
	log_warn("after");
	assert_int_equal(s.calls, 1);
	capture_end(&c);
	free(c.buf);
	strbuf_free(&s.lines);
}

/* Every secret form in a message, and the secret that must vanish. */
static const struct {
	const char	*msg;
	const char	*secret;
	const char	*keep;		/* must survive, or NULL */
} secret_cases[] = {
	{ "> GET / HTTP/1.1\r\nAuthorization: AWS4-HMAC-SHA256 Credential="
	  "AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, SignedHeaders="
	  "host;x-amz-date, Signature=5d672d79c15b13162d9279b0855cfba6789a8e"
	  "db4c82c400e06b5924a6f2b5d7\r\nHost: iam.amazonaws.com",
	  "5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7",
	  "Host: iam.amazonaws.com" },
	{ "header authorization:Bearer eyJhbGciOiJSUzI1NiJ9.cGF5bG9hZA.c2ln",
	  "eyJhbGciOiJSUzI1NiJ9", "header authorization:" },
	{ "using Bearer abc.DEF-ghi_jkl~mno+pq/rs= for call",
	  "abc.DEF-ghi_jkl~mno+pq/rs=", "for call" },
	{ "presigned https://sts.amazonaws.com/?Action=GetCallerIdentity&"
	  "X-Amz-Signature=deadbeefcafe0123456789&X-Amz-Date=20261128T062211Z",
	  "deadbeefcafe0123456789", "X-Amz-Date=20261128T062211Z" },
	{ "url ?X-Amz-Security-Token=IQoJb3JpZ2luX2VjEJr%2F%2F%2Fwtoken&"
	  "X-Amz-Expires=60", "IQoJb3JpZ2luX2VjEJr", "X-Amz-Expires=60" },
	{ "X-Amz-Security-Token: FQoGZXIvYXdzEHdrSessionHdr",
	  "FQoGZXIvYXdzEHdrSessionHdr", NULL },
	{ "signing AWS4-HMAC-SHA256 Credential=AKID/20261128/us-west-2/"
	  "vpc-lattice/aws4_request, SignedHeaders=host, Signature="
	  "0123456789abcdef0123", "0123456789abcdef0123",
	  "SignedHeaders=host" },
	{ "kube token k8s-aws-v1.aHR0cHM6Ly9zdHMudXMtd2VzdC0yLmFtYXpvbmF3cy5j"
	  "b20vP0FjdGlvbj1HZXRDYWxsZXJJZGVudGl0eQ",
	  "aHR0cHM6Ly9zdHMudXMtd2VzdC0yLmFtYXpvbmF3cy5j", "kube token" },
	{ "[default]\naws_access_key_id = AKIDEXAMPLE\naws_secret_access_key "
	  "= wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY\nregion = us-west-2",
	  "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "region = us-west-2" },
	{ "aws_session_token=FwoGZXIvYXdzSessionIni",
	  "FwoGZXIvYXdzSessionIni", NULL },
	{ "creds {\"Version\":1,\"AccessKeyId\":\"AKIDJSON\","
	  "\"SecretAccessKey\":\"jsonSecret/abc+def\",\"SessionToken\": "
	  "\"jsonSession==\",\"Expiration\":\"2026-11-28T07:00:00Z\"}",
	  "jsonSecret/abc+def", "\"Expiration\":\"2026-11-28T07:00:00Z\"" },
	{ "creds {\"SessionToken\": \"jsonSession2==\"}", "jsonSession2==",
	  NULL },
	{ "exec {\"kind\":\"ExecCredential\",\"status\":{\"token\":"
	  "\"opaqueExecToken123\",\"expirationTimestamp\":\"x\"}}",
	  "opaqueExecToken123", "expirationTimestamp" },
	{ "escaped {\\\"SecretAccessKey\\\":\\\"escSecret123\\\"}",
	  "escSecret123", NULL },
	{ "<AssumeRoleResult><Credentials><AccessKeyId>ASIAXML</AccessKeyId>"
	  "<SecretAccessKey>xmlSecret/abc+def</SecretAccessKey><SessionToken>"
	  "xmlSessionToken==</SessionToken></Credentials>",
	  "xmlSecret/abc+def", "<AccessKeyId>ASIAXML</AccessKeyId>" },
	{ "<SessionToken>xmlSessionOnly==</SessionToken>",
	  "xmlSessionOnly==", "</SessionToken>" },
	{ "registered value is xxTOPSECRETyy here", "TOPSECRET", "here" },
};

/* Log every case in a format and check nothing secret got through. */
static void
check_secrets(enum log_format fmt)
{
	struct capture		c;
	struct sink_seen	s;
	const char		*out;
	size_t			i;

	memset(&s, 0, sizeof s);
	strbuf_init(&s.lines);
	for (i = 0; i < sizeof secret_cases / sizeof secret_cases[0]; i++) {
		capture_start(&c, LOG_LEVEL_INFO, fmt);
		log_add_secret("TOPSECRET");
		log_set_sink(sink_record, &s);
		strbuf_reset(&s.lines);
		log_info("%s", secret_cases[i].msg);
		out = capture_end(&c);
		if (strstr(out, secret_cases[i].secret) != NULL ||
		    strstr(s.lines.buf, secret_cases[i].secret) != NULL)
			fail_msg("secret leaked (case %zu): %s", i, out);
		if (strstr(out, "[REDACTED]") == NULL)
			fail_msg("no redaction marker (case %zu): %s", i, out);
		if (fmt == LOG_FORMAT_TEXT && secret_cases[i].keep != NULL &&
		    strstr(out, secret_cases[i].keep) == NULL)
			fail_msg("over-redacted (case %zu): %s", i, out);
		free(c.buf);
	}
	strbuf_free(&s.lines);
}

/* Secrets never reach text output or the sink. */
static void
test_redact_text(void **state)
{
	check_secrets(LOG_FORMAT_TEXT);
}

/* Secrets never reach JSON output or the sink. */
static void
test_redact_json(void **state)
{
	check_secrets(LOG_FORMAT_JSON);
}

/* log_redact itself, and things that must not be redacted. */
static void
test_redact_copy(void **state)
{
	static const char *const keep[] = {
		"GET /services?nextToken=abc123&maxResults=10",
		"{\"nextToken\":\"page2\"}",
		"SignatureVersion=4 and tokens=3",
		"the token bucket refilled",
		"plain message without secrets",
	};
	char	*r;
	size_t	 i;

	for (i = 0; i < sizeof keep / sizeof keep[0]; i++) {
		r = log_redact(keep[i]);
		assert_string_equal(r, keep[i]);
		free(r);
	}
	r = log_redact("a Authorization: Basic dXNlcjpwYXNz");
	assert_string_equal(r, "a Authorization: [REDACTED]");
	free(r);
	r = log_redact("{\"token\":\"t1\",\"x\":1}");
	assert_string_equal(r, "{\"token\":\"[REDACTED]\",\"x\":1}");
	free(r);
	log_add_secret("s3cr3t");
	log_add_secret("s3cr3t");
	log_add_secret("");
	log_add_secret(NULL);
	r = log_redact("s3cr3ts3cr3t and s3cr3");
	assert_string_equal(r, "[REDACTED] and s3cr3");
	free(r);
	log_close();
	r = log_redact("s3cr3t");
	assert_string_equal(r, "s3cr3t");	/* close drops secrets */
	free(r);
}

/* A writer thread's share of lines. */
static void *
writer(void *arg)
{
	int	i;

	for (i = 0; i < 200; i++)
		log_info("thread %ld line %d with some padding text",
		    (long)(intptr_t)arg, i);
	return NULL;
}

/* Concurrent writers never interleave within a line. */
static void
test_threads(void **state)
{
	struct capture	 c;
	pthread_t	 t[4];
	const char	*out, *p, *nl;
	int		 i, lines = 0;

	capture_start(&c, LOG_LEVEL_INFO, LOG_FORMAT_TEXT);
	for (i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, writer, (void *)(intptr_t)i);
	for (i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	out = capture_end(&c);
	for (p = out; (nl = strchr(p, '\n')) != NULL; p = nl + 1) {
		lines++;
		if (strncmp(nl - 17, "some padding text", 17) != 0 ||
		    strstr(p, "INFO  testmod: thread ") != p + 25)
			fail_msg("mangled line %d", lines);
	}
	assert_int_equal(lines, 800);
	free(c.buf);
}

/* Run the log tests. */
int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_format),
		cmocka_unit_test(test_json_format),
		cmocka_unit_test(test_levels),
		cmocka_unit_test(test_sink),
		cmocka_unit_test(test_redact_text),
		cmocka_unit_test(test_redact_json),
		cmocka_unit_test(test_redact_copy),
		cmocka_unit_test(test_threads),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
