/*
 * Logging: levels, text or JSON lines, secrets redacted. One process-wide
 * logger (part of the app context); thread-safe. Registered secrets are
 * copied; the logger owns its copies.
 *
 * Redaction: every registered secret value is replaced by "[REDACTED]", and
 * so are the values of well-known secret carriers wherever they appear in a
 * message: Authorization headers, "Bearer <tok>", X-Amz-Signature=,
 * X-Amz-Security-Token=, aws_secret_access_key, "k8s-aws-v1.<tok>",
 * "SecretAccessKey"/"SessionToken" JSON or XML fields.
 */
#ifndef LATTICECTL_LOG_H
#define LATTICECTL_LOG_H

#include <stdarg.h>
#include <stdio.h>

enum log_level {
	LOG_LEVEL_TRACE,
	LOG_LEVEL_DEBUG,
	LOG_LEVEL_INFO,
	LOG_LEVEL_WARN,
	LOG_LEVEL_ERROR,
	LOG_LEVEL_OFF
};

enum log_format {
	LOG_FORMAT_TEXT,
	LOG_FORMAT_JSON
};

/* A sink receives every line after formatting and redaction (the TUI). */
typedef void (*log_sink_fn)(void *arg, enum log_level, const char *module,
    const char *line);

/* Configure the logger; out NULL means stderr. out stays the caller's:
 * call log_close (which flushes it and drops the sink and secrets)
 * before closing it. The sink runs under the logger's lock and must not
 * log. */
void	log_open(enum log_level, enum log_format, FILE *out);
void	log_close(void);
void	log_set_level(enum log_level);
enum log_level log_get_level(void);
int	log_enabled(enum log_level);
/* Parse "trace|debug|info|warn|error|off"; -1 when unknown. */
int	log_level_parse(const char *, enum log_level *);
int	log_format_parse(const char *, enum log_format *);
void	log_set_sink(log_sink_fn, void *);
/* Register a secret value to be redacted from every line (copied). */
void	log_add_secret(const char *);
/* Return a redacted copy of s (caller frees). */
char	*log_redact(const char *s);

void	log_msg(enum log_level, const char *module, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
void	log_vmsg(enum log_level, const char *module, const char *fmt, va_list)
	    __attribute__((format(printf, 3, 0)));

#ifndef LOG_MODULE
#define LOG_MODULE "latticectl"
#endif
#define log_trace(...)	log_msg(LOG_LEVEL_TRACE, LOG_MODULE, __VA_ARGS__)
#define log_debug(...)	log_msg(LOG_LEVEL_DEBUG, LOG_MODULE, __VA_ARGS__)
#define log_info(...)	log_msg(LOG_LEVEL_INFO, LOG_MODULE, __VA_ARGS__)
#define log_warn(...)	log_msg(LOG_LEVEL_WARN, LOG_MODULE, __VA_ARGS__)
#define log_error(...)	log_msg(LOG_LEVEL_ERROR, LOG_MODULE, __VA_ARGS__)

#endif
