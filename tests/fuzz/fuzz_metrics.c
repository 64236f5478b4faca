/* Fuzz metrics_parse: any input is refused with a "line N: " cause or
 * parsed; parsed samples written back in canonical form (escaped labels,
 * values as the renderer formats them, TYPE/HELP per family) parse again
 * to the same samples. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/metrics.h"
#include "latticectl/strbuf.h"

/* Append s escaped for a label value (quote) or HELP text. */
static void
fuzz_escape(struct strbuf *sb, const char *s, int quote)
{
	for (; *s != '\0'; s++) {
		if (*s == '\\')
			strbuf_adds(sb, "\\\\");
		else if (*s == '\n')
			strbuf_adds(sb, "\\n");
		else if (quote && *s == '"')
			strbuf_adds(sb, "\\\"");
		else
			strbuf_addc(sb, *s);
	}
}

/* The family header lines of a sample's family. */
static void
fuzz_family(struct strbuf *sb, const struct metrics_sample *s)
{
	if (s->help != NULL) {
		strbuf_addf(sb, "# HELP %s ", s->family);
		fuzz_escape(sb, s->help, 0);
		strbuf_addc(sb, '\n');
	}
	if (strcmp(s->type, "untyped") != 0)
		strbuf_addf(sb, "# TYPE %s %s\n", s->family, s->type);
}

/* One sample line. */
static void
fuzz_sample(struct strbuf *sb, const struct metrics_sample *s)
{
	char	num[64];
	size_t	i;

	strbuf_adds(sb, s->name);
	if (s->nlabels > 0) {
		strbuf_addc(sb, '{');
		for (i = 0; i < s->nlabels; i++) {
			strbuf_addf(sb, "%s%s=\"", i > 0 ? "," : "",
			    s->label_names[i]);
			fuzz_escape(sb, s->label_values[i], 1);
			strbuf_addc(sb, '"');
		}
		strbuf_addc(sb, '}');
	}
	metrics_format_value(s->value, num, sizeof num);
	strbuf_addf(sb, " %s", num);
	if (s->has_timestamp)
		strbuf_addf(sb, " %lld", s->timestamp_ms);
	strbuf_addc(sb, '\n');
}

/* Whether two samples agree. */
static int
fuzz_same(const struct metrics_sample *a, const struct metrics_sample *b)
{
	size_t	i;

	if (strcmp(a->name, b->name) != 0 || strcmp(a->family,
	    b->family) != 0 || strcmp(a->type, b->type) != 0 ||
	    a->nlabels != b->nlabels || a->has_timestamp != b->has_timestamp ||
	    (a->has_timestamp && a->timestamp_ms != b->timestamp_ms))
		return 0;
	if (!(a->value == b->value || (isnan(a->value) && isnan(b->value))))
		return 0;
	for (i = 0; i < a->nlabels; i++) {
		if (strcmp(a->label_names[i], b->label_names[i]) != 0 ||
		    strcmp(a->label_values[i], b->label_values[i]) != 0)
			return 0;
	}
	return 1;
}

/* One input. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct metrics_sample	*s, *t;
	struct strbuf		 sb = STRBUF_INIT;
	char			*cause = NULL;
	size_t			 n, m, i;

	if (metrics_parse((const char *)data, size, &s, &n, &cause) != 0) {
		if (cause == NULL || strncmp(cause, "line ", 5) != 0)
			abort();
		free(cause);
		return 0;
	}
	strbuf_init(&sb);
	for (i = 0; i < n; i++) {
		if (i == 0 || strcmp(s[i].family, s[i - 1].family) != 0)
			fuzz_family(&sb, &s[i]);
		fuzz_sample(&sb, &s[i]);
	}
	if (metrics_parse(sb.buf, sb.len, &t, &m, &cause) != 0) {
		fprintf(stderr, "reparse: %s\n%s", cause, sb.buf);
		abort();
	}
	if (m != n)
		abort();
	for (i = 0; i < n; i++)
		if (!fuzz_same(&s[i], &t[i]))
			abort();
	metrics_samples_free(s, n);
	metrics_samples_free(t, m);
	strbuf_free(&sb);
	return 0;
}
