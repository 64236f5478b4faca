/* Logging: levels, text or JSON lines, secret redaction, an optional sink. */
#include <ctype.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>

#include "latticectl/log.h"
#include "latticectl/strbuf.h"
#include "latticectl/timeutil.h"
#include "latticectl/xmalloc.h"

#define LOG_REDACTED "[REDACTED]"
#define LOG_MAX_SECRETS	128	/* registered values kept (newest) */

/* The process-wide logger (the one piece of state the header promises). */
struct log_state {
	pthread_mutex_t	 lock;
	atomic_int	 level;
	enum log_format	 format;
	FILE		*out;		/* NULL: stderr; not owned */
	log_sink_fn	 sink;
	void		*sink_arg;
	char		**secrets;	/* owned copies */
	size_t		 nsecrets;
};

static struct log_state log_g = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.level = LOG_LEVEL_INFO,
	.format = LOG_FORMAT_TEXT,
};

static const char *const log_names[] = {
	"trace", "debug", "info", "warn", "error", "off"
};
static const char *const log_text_names[] = {
	"TRACE", "DEBUG", "INFO ", "WARN ", "ERROR", "OFF  "
};

/*
 * Keys whose values are secrets, matched case-insensitively as whole
 * words in "key: value", "key=value", JSON "key":"value" and XML
 * <key>value</key> forms.
 */
static const char *const log_secret_keys[] = {
	"authorization",
	"x-amz-security-token",
	"signature",		/* X-Amz-Signature=, AWS4 Signature= */
	"aws_secret_access_key",
	"aws_session_token",
	"secret_access_key",
	"secretaccesskey",
	"sessiontoken",
	"token",
	"password",
	"client-key-data",
};

/* Configure level, format and output (NULL: stderr). */
void
log_open(enum log_level level, enum log_format format, FILE *out)
{
	pthread_mutex_lock(&log_g.lock);
	atomic_store(&log_g.level, (int)level);
	log_g.format = format;
	log_g.out = out;
	pthread_mutex_unlock(&log_g.lock);
}

/* Flush, forget the output and sink, and drop registered secrets. */
void
log_close(void)
{
	size_t	i;

	pthread_mutex_lock(&log_g.lock);
	fflush(log_g.out != NULL ? log_g.out : stderr);
	log_g.out = NULL;
	log_g.sink = NULL;
	log_g.sink_arg = NULL;
	for (i = 0; i < log_g.nsecrets; i++)
		free(log_g.secrets[i]);
	free(log_g.secrets);
	log_g.secrets = NULL;
	log_g.nsecrets = 0;
	pthread_mutex_unlock(&log_g.lock);
}

/* Change the threshold. */
void
log_set_level(enum log_level level)
{
	atomic_store(&log_g.level, (int)level);
}

/* The threshold. */
enum log_level
log_get_level(void)
{
	return (enum log_level)atomic_load(&log_g.level);
}

/* Whether a message at level would be written. */
int
log_enabled(enum log_level level)
{
	return level < LOG_LEVEL_OFF && (int)level >= atomic_load(&log_g.level);
}

/* Parse a level name (case-insensitive; "warning" too). */
int
log_level_parse(const char *s, enum log_level *out)
{
	size_t	i;

	if (s == NULL)
		return -1;
	for (i = 0; i < sizeof log_names / sizeof log_names[0]; i++) {
		if (strcasecmp(s, log_names[i]) == 0) {
			*out = (enum log_level)i;
			return 0;
		}
	}
	if (strcasecmp(s, "warning") == 0) {
		*out = LOG_LEVEL_WARN;
		return 0;
	}
	return -1;
}

/* Parse "text" or "json". */
int
log_format_parse(const char *s, enum log_format *out)
{
	if (s != NULL && strcasecmp(s, "text") == 0)
		*out = LOG_FORMAT_TEXT;
	else if (s != NULL && strcasecmp(s, "json") == 0)
		*out = LOG_FORMAT_JSON;
	else
		return -1;
	return 0;
}

/* Install (or with NULL remove) the sink; it must not call log_*. */
void
log_set_sink(log_sink_fn fn, void *arg)
{
	pthread_mutex_lock(&log_g.lock);
	log_g.sink = fn;
	log_g.sink_arg = arg;
	pthread_mutex_unlock(&log_g.lock);
}

/* Remember a secret value to scrub from every line. */
void
log_add_secret(const char *s)
{
	size_t	i;

	if (s == NULL || *s == '\0')
		return;
	pthread_mutex_lock(&log_g.lock);
	for (i = 0; i < log_g.nsecrets; i++) {
		if (strcmp(log_g.secrets[i], s) == 0)
			break;
	}
	if (i == log_g.nsecrets && log_g.nsecrets == LOG_MAX_SECRETS) {
		/* Rotating tokens: forget the oldest. */
		free(log_g.secrets[0]);
		memmove(log_g.secrets, log_g.secrets + 1,
		    (LOG_MAX_SECRETS - 1) * sizeof *log_g.secrets);
		log_g.nsecrets--;
		i--;
	}
	if (i == log_g.nsecrets) {
		log_g.secrets = xreallocarray(log_g.secrets,
		    log_g.nsecrets + 1, sizeof *log_g.secrets);
		log_g.secrets[log_g.nsecrets++] = xstrdup(s);
	}
	pthread_mutex_unlock(&log_g.lock);
}

/* Mark bytes [from, to) as secret. */
static void
log_mark(char *mask, size_t from, size_t to)
{
	if (to > from)
		memset(mask + from, 1, to - from);
}

/* Whether c can be part of a key word. */
static int
log_wordc(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

/* Skip spaces and tabs. */
static size_t
log_skip_blank(const char *s, size_t p)
{
	while (s[p] == ' ' || s[p] == '\t')
		p++;
	return p;
}

/* Mark a quoted value starting at p (at its opening quote). */
static void
log_mark_quoted(const char *s, size_t p, char *mask)
{
	int	escaped = 0;
	char	q;
	size_t	start, end;

	if (s[p] == '\\') {
		escaped = 1;
		p++;
	}
	q = s[p];
	start = p + 1;
	end = start;
	while (s[end] != '\0' && s[end] != q)
		end++;
	if (escaped && end > start && s[end - 1] == '\\')
		end--;
	log_mark(mask, start, end);
}

/* Mark an unquoted value at p ending at any byte in stop (or NUL). */
static void
log_mark_until(const char *s, size_t p, const char *stop, char *mask)
{
	size_t	end = p;

	while (s[end] != '\0' && strchr(stop, s[end]) == NULL)
		end++;
	log_mark(mask, p, end);
}

/* Mark the value after a secret key found at s[i..i+kl). */
static void
log_redact_key(const char *s, size_t i, size_t kl, char *mask)
{
	size_t	p = i + kl;
	int	quoted_key = 0;
	char	sep;

	if (i > 0 && s[i - 1] == '<' && s[p] == '>') {
		log_mark_until(s, p + 1, "<", mask);	/* XML element */
		return;
	}
	if (s[p] == '\\' && s[p + 1] == '"') {
		p += 2;
		quoted_key = 1;
	} else if (s[p] == '"' || s[p] == '\'') {
		p++;
		quoted_key = 1;
	}
	p = log_skip_blank(s, p);
	if (s[p] != ':' && s[p] != '=')
		return;
	sep = s[p];
	p = log_skip_blank(s, p + 1);
	if (s[p] == '"' || s[p] == '\'' || (s[p] == '\\' && s[p + 1] == '"'))
		log_mark_quoted(s, p, mask);
	else if (quoted_key)
		log_mark_until(s, p, ",}] \t\r\n", mask);
	else if (sep == ':')
		log_mark_until(s, p, "\r\n", mask);	/* header: to EOL */
	else
		log_mark_until(s, p, "& \t\r\n\"'<>,;", mask);
}

/* Mark the token after "Bearer " and "k8s-aws-v1." at s[i]. */
static void
log_redact_token(const char *s, size_t i, char *mask)
{
	static const char	tokc[] = "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~+/=";
	size_t			p, n;

	if (strncasecmp(s + i, "bearer", 6) == 0 &&
	    (i == 0 || !log_wordc(s[i - 1])) && (s[i + 6] == ' ' ||
	    s[i + 6] == '\t')) {
		p = log_skip_blank(s, i + 6);
		n = strspn(s + p, tokc);
		log_mark(mask, p, p + n);
	}
	if (strncmp(s + i, "k8s-aws-v1.", 11) == 0) {
		p = i + 11;
		n = strspn(s + p, tokc);
		log_mark(mask, p, p + n);
	}
}

/* Mark every occurrence of each registered secret (lock held). */
static void
log_redact_secrets(const char *s, size_t len, char *mask)
{
	const char	*hit;
	size_t		 i, sl, off;

	for (i = 0; i < log_g.nsecrets; i++) {
		sl = strlen(log_g.secrets[i]);
		off = 0;
		while (off < len && (hit = memmem(s + off, len - off,
		    log_g.secrets[i], sl)) != NULL) {
			off = (size_t)(hit - s);
			log_mark(mask, off, off + sl);
			off++;
		}
	}
}

/* Build the output, collapsing each marked run into LOG_REDACTED. */
static char *
log_apply_mask(const char *s, size_t len, const char *mask)
{
	struct strbuf	sb;
	size_t		i = 0, start;

	strbuf_init(&sb);
	while (i < len) {
		if (mask[i]) {
			while (i < len && mask[i])
				i++;
			strbuf_adds(&sb, LOG_REDACTED);
			continue;
		}
		start = i;
		while (i < len && !mask[i])
			i++;
		strbuf_add(&sb, s + start, i - start);
	}
	return strbuf_detach(&sb, NULL);
}

/* Redact s (lock held); returns a new string. */
static char *
log_redact_locked(const char *s)
{
	size_t		 len = strlen(s), i, k, kl;
	char		*mask, *out;

	mask = xcalloc(len + 1, 1);
	log_redact_secrets(s, len, mask);
	for (i = 0; i < len; i++) {
		log_redact_token(s, i, mask);
		if (i > 0 && log_wordc(s[i - 1]))
			continue;
		for (k = 0; k < sizeof log_secret_keys /
		    sizeof log_secret_keys[0]; k++) {
			kl = strlen(log_secret_keys[k]);
			if (strncasecmp(s + i, log_secret_keys[k], kl) == 0 &&
			    !log_wordc(s[i + kl]) && s[i + kl] != '-')
				log_redact_key(s, i, kl, mask);
		}
	}
	out = log_apply_mask(s, len, mask);
	free(mask);
	return out;
}

/* A redacted copy of s. */
char *
log_redact(const char *s)
{
	char	*out;

	if (s == NULL)
		return xstrdup("");
	pthread_mutex_lock(&log_g.lock);
	out = log_redact_locked(s);
	pthread_mutex_unlock(&log_g.lock);
	return out;
}

/* Render one line (no newline) in the configured format (lock held). */
static char *
log_format_line(enum log_level level, const char *module, const char *msg)
{
	struct timespec	 now = time_now();
	char		 ts[64], *line, *json;
	cJSON		*o;

	time_format_rfc3339(&now, 3, ts, sizeof ts);
	if (log_g.format != LOG_FORMAT_JSON) {
		xasprintf(&line, "%s %s %s: %s", ts, log_text_names[level],
		    module, msg);
		return line;
	}
	if ((o = cJSON_CreateObject()) == NULL ||
	    cJSON_AddStringToObject(o, "time", ts) == NULL ||
	    cJSON_AddStringToObject(o, "level", log_names[level]) == NULL ||
	    cJSON_AddStringToObject(o, "module", module) == NULL ||
	    cJSON_AddStringToObject(o, "msg", msg) == NULL ||
	    (json = cJSON_PrintUnformatted(o)) == NULL) {
		cJSON_Delete(o);
		return xstrdup("{\"level\":\"error\",\"msg\":\"log: out of "
		    "memory\"}");
	}
	cJSON_Delete(o);
	line = xstrdup(json);
	cJSON_free(json);
	return line;
}

/* Write one message if its level is enabled. */
void
log_vmsg(enum log_level level, const char *module, const char *fmt,
    va_list ap)
{
	char	*raw, *msg, *line;
	size_t	 n;
	FILE	*out;

	if (!log_enabled(level))
		return;
	if (module == NULL)
		module = "latticectl";
	xvasprintf(&raw, fmt, ap);
	n = strlen(raw);
	while (n > 0 && (raw[n - 1] == '\n' || raw[n - 1] == '\r'))
		raw[--n] = '\0';
	pthread_mutex_lock(&log_g.lock);
	msg = log_redact_locked(raw);
	line = log_format_line(level, module, msg);
	out = log_g.out != NULL ? log_g.out : stderr;
	fputs(line, out);
	fputc('\n', out);
	fflush(out);
	if (log_g.sink != NULL)
		log_g.sink(log_g.sink_arg, level, module, line);
	pthread_mutex_unlock(&log_g.lock);
	free(line);
	free(msg);
	free(raw);
}

/* Write one message if its level is enabled. */
void
log_msg(enum log_level level, const char *module, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_vmsg(level, module, fmt, ap);
	va_end(ap);
}
