/* credential_process: split like the SDKs, spawn with argv, read JSON. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define LOG_MODULE "aws"
#include "latticectl/error.h"
#include "latticectl/json.h"
#include "latticectl/log.h"
#include "latticectl/strbuf.h"
#include "latticectl/timeutil.h"
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

/* Start argv with stdout on a pipe; *fd is the read end. */
static int
process_spawn(char **argv, pid_t *pid, int *fd, char **cause)
{
	posix_spawn_file_actions_t	 fa;
	int				 fds[2], rc;

	if (pipe2(fds, O_CLOEXEC) == -1)
		return error_set(cause, "pipe: %s", strerror(errno));
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fds[1], STDOUT_FILENO);
	rc = posix_spawnp(pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(fds[1]);
	if (rc != 0) {
		close(fds[0]);
		return error_set(cause, "%s: %s", argv[0], strerror(rc));
	}
	*fd = fds[0];
	return 0;
}

/* Read fd to EOF before the deadline; 1 on timeout or too much output. */
static int
process_read(int fd, uint64_t deadline, struct strbuf *out, char **cause)
{
	struct pollfd	pfd;
	char		buf[4096];
	uint64_t	now;
	ssize_t		n;
	int		r;

	pfd.fd = fd;
	pfd.events = POLLIN;
	for (;;) {
		if ((now = time_mono_ms()) >= deadline) {
			error_set(cause, "timed out");
			return 1;
		}
		r = poll(&pfd, 1, (int)(deadline - now));
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1)
			return error_set(cause, "poll: %s", strerror(errno));
		if (r == 0)
			continue;
		n = read(fd, buf, sizeof buf);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return error_set(cause, "read: %s", strerror(errno));
		if (n == 0)
			return 0;
		if (out->len + n > PROCESS_MAX_OUTPUT) {
			error_set(cause, "output over %d bytes",
			    PROCESS_MAX_OUTPUT);
			return 1;
		}
		strbuf_add(out, buf, n);
	}
}

/* Wait for the child until the deadline, then kill it; 0 if it exited 0. */
static int
process_wait(pid_t pid, uint64_t deadline, int kill_now, char **cause)
{
	int	st;
	pid_t	r;

	while (!kill_now) {
		r = waitpid(pid, &st, WNOHANG);
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1)
			return error_set(cause, "waitpid: %s", strerror(errno));
		if (r == pid) {
			if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
				return 0;
			if (WIFEXITED(st) && WEXITSTATUS(st) == 127)
				return error_set(cause, "exited with status 127 "
				    "(No such file or not executable?)");
			if (WIFEXITED(st))
				return error_set(cause, "exited with status %d",
				    WEXITSTATUS(st));
			return error_set(cause, "killed by signal %d",
			    WTERMSIG(st));
		}
		if (time_mono_ms() >= deadline) {
			error_set(cause, "timed out");
			break;
		}
		time_sleep_ms(5);
	}
	kill(pid, SIGKILL);
	while (waitpid(pid, &st, 0) == -1 && errno == EINTR)
		/* nothing */;
	return -1;
}

/* Run argv and collect its stdout. */
static int
process_run(char **argv, int timeout_ms, struct strbuf *out, char **cause)
{
	uint64_t	 deadline;
	pid_t		 pid;
	int		 fd = -1, rc;
	char		*why = NULL;

	if (process_spawn(argv, &pid, &fd, cause) != 0)
		return -1;
	deadline = time_mono_ms() + (uint64_t)timeout_ms;
	rc = process_read(fd, deadline, out, &why);
	close(fd);
	if (process_wait(pid, deadline, rc == 1, &why) != 0 || rc != 0) {
		error_set(cause, "%s", why != NULL ? why : "failed");
		free(why);
		return -1;
	}
	free(why);
	return 0;
}

/* Parse the process's JSON document. */
static int
process_parse(const struct strbuf *out, struct aws_creds *creds,
    char **cause)
{
	cJSON	*doc;
	int64_t	 version;
	int	 rc;

	if ((doc = json_parse(out->buf, out->len, "output", cause)) == NULL)
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
	struct strbuf	  sb;
	char		**argv;
	int		  rc = -1;

	if ((argv = aws_split_command(command, cause)) == NULL) {
		error_wrap(cause, "profile %s: credential_process", profile);
		return CREDS_ERROR;
	}
	strbuf_init(&sb);
	if (argv[0] == NULL)
		error_set(cause, "empty command");
	else if (process_run(argv, timeout_ms, &sb, cause) == 0)
		rc = process_parse(&sb, out, cause);
	explicit_bzero(sb.buf, sb.len);
	strbuf_free(&sb);
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
