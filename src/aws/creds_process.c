/* credential_process: split like the SDKs, spawn with argv, read JSON. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define LOG_MODULE "aws"
#include "latticectl/error.h"
#include "latticectl/json.h"
#include "latticectl/log.h"
#include "latticectl/proc.h"
#include "latticectl/strbuf.h"
#include "latticectl/xmalloc.h"

#include "creds_int.h"

#define PROCESS_MAX_OUTPUT	(64 * 1024)

enum split_state {
	SPLIT_OUT,
	SPLIT_SINGLE,
	SPLIT_DOUBLE
};

/* A growing NULL-terminated argv. */
struct split_argv {
	char	**v;
	size_t	  n;
	size_t	  cap;
};

/* Append a word (copied from the buffer, which is then reset). */
static void
split_push(struct split_argv *a, struct strbuf *word)
{
	if (a->n + 2 > a->cap) {
		a->cap = a->cap == 0 ? 8 : a->cap * 2;
		a->v = xreallocarray(a->v, a->cap, sizeof *a->v);
	}
	a->v[a->n++] = xstrdup(word->buf);
	a->v[a->n] = NULL;
	strbuf_reset(word);
}

/* Free an argv from aws_split_command. */
void
aws_argv_free(char **argv)
{
	size_t	i;

	if (argv == NULL)
		return;
	for (i = 0; argv[i] != NULL; i++)
		free(argv[i]);
	free(argv);
}

/* One character outside quotes; returns how many extra bytes were used. */
static int
split_out(const char *p, enum split_state *st, struct strbuf *w,
    int *have, struct split_argv *a, char **cause)
{
	if (strchr(" \t\r\n", *p) != NULL) {
		if (*have)
			split_push(a, w);
		*have = 0;
		return 0;
	}
	*have = 1;
	if (*p == '\'')
		*st = SPLIT_SINGLE;
	else if (*p == '"')
		*st = SPLIT_DOUBLE;
	else if (*p == '\\') {
		if (p[1] == '\0')
			return error_set(cause, "trailing backslash");
		strbuf_addc(w, p[1]);
		return 1;
	} else
		strbuf_addc(w, *p);
	return 0;
}

/* Split a command line into words (POSIX shlex rules). */
char **
aws_split_command(const char *s, char **cause)
{
	struct split_argv	 a;
	struct strbuf		 w;
	enum split_state	 st = SPLIT_OUT;
	int			 have = 0, used;

	memset(&a, 0, sizeof a);
	strbuf_init(&w);
	for (; *s != '\0'; s++) {
		if (st == SPLIT_SINGLE) {
			if (*s == '\'')
				st = SPLIT_OUT;
			else
				strbuf_addc(&w, *s);
		} else if (st == SPLIT_DOUBLE) {
			if (*s == '"')
				st = SPLIT_OUT;
			else if (*s == '\\' && (s[1] == '"' || s[1] == '\\'))
				strbuf_addc(&w, *++s);
			else
				strbuf_addc(&w, *s);
		} else {
			if ((used = split_out(s, &st, &w, &have, &a,
			    cause)) < 0)
				goto fail;
			s += used;
		}
	}
	if (st != SPLIT_OUT) {
		error_set(cause, "unterminated quote");
		goto fail;
	}
	if (have)
		split_push(&a, &w);
	strbuf_free(&w);
	if (a.v == NULL)
		a.v = xcalloc(1, sizeof *a.v);
	return a.v;
fail:
	strbuf_free(&w);
	if (a.v != NULL)
		aws_argv_free(a.v);
	return NULL;
}

/* Run argv (stdin inherited) and collect its stdout into res. */
static int
process_run(char **argv, int timeout_ms, struct proc_result *res,
    char **cause)
{
	struct proc_opts	o;

	memset(&o, 0, sizeof o);
	o.argv = argv;
	o.stdin_mode = PROC_STDIN_INHERIT;
	o.timeout_ms = timeout_ms;
	o.max_output = PROCESS_MAX_OUTPUT;
	if (proc_run(&o, res, cause) != 0)
		return -1;
	if (res->exited && res->status == 127)
		return error_set(cause, "exited with status 127 "
		    "(No such file or not executable?)");
	return proc_check(res, cause);
}

/* Parse the process's JSON document. */
static int
process_parse(const struct proc_result *res, struct aws_creds *creds,
    char **cause)
{
	cJSON	*doc;
	int64_t	 version;
	int	 rc;

	if ((doc = json_parse(res->out, res->out_len, "output", cause)) == NULL)
		return -1;
	if (json_int(doc, "Version", &version) != 0 || version != 1)
		rc = error_set(cause, "output: Version must be 1");
	else
		rc = creds_from_json(doc, "SessionToken", "output", creds,
		    cause);
	cJSON_Delete(doc);
	return rc;
}

/* Run a credential_process command line for profile. */
int
creds_process(const char *command, const char *profile, int timeout_ms,
    struct aws_creds *out, char **cause)
{
	struct proc_result	  res;
	char			**argv;
	int			  rc = -1;

	if ((argv = aws_split_command(command, cause)) == NULL) {
		error_wrap(cause, "profile %s: credential_process", profile);
		return CREDS_ERROR;
	}
	memset(&res, 0, sizeof res);
	if (argv[0] == NULL)
		error_set(cause, "empty command");
	else if (process_run(argv, timeout_ms, &res, cause) == 0)
		rc = process_parse(&res, out, cause);
	proc_result_free(&res);
	if (rc != 0) {
		error_wrap(cause, "profile %s: credential_process %s", profile,
		    argv[0] != NULL ? argv[0] : "");
		aws_argv_free(argv);
		return CREDS_ERROR;
	}
	log_debug("credential_process %s for profile %s", argv[0], profile);
	aws_argv_free(argv);
	free(out->source);
	xasprintf(&out->source, "process:%s", profile);
	return CREDS_FOUND;
}
