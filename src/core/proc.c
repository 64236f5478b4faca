/* proc: spawn a program with argv, a timeout and its stdout captured. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "latticectl/error.h"
#include "latticectl/proc.h"
#include "latticectl/strbuf.h"
#include "latticectl/timeutil.h"
#include "latticectl/xmalloc.h"

/* Whether NAME=VALUE entry e is named in list (NAME=..., NAME or a
 * PREFIX* pattern). */
static int
proc_env_listed(const char *e, char *const *list)
{
	size_t	i, len, n;

	len = strcspn(e, "=");
	for (i = 0; list != NULL && list[i] != NULL; i++) {
		n = strcspn(list[i], "=");
		if (n > 0 && list[i][n] == '\0' && list[i][n - 1] == '*') {
			if (len >= n - 1 && strncmp(e, list[i], n - 1) == 0)
				return 1;
		} else if (n == len && strncmp(e, list[i], len) == 0)
			return 1;
	}
	return 0;
}

/* Our environment less unset and env's names, plus env (the array is the
 * caller's to free, the strings are borrowed). */
static char **
proc_envp(const struct proc_opts *o)
{
	char	**envp;
	size_t	  n = 0, k = 0, i;

	while (environ[n] != NULL)
		n++;
	for (i = 0; o->env != NULL && o->env[i] != NULL; i++)
		n++;
	envp = xcalloc(n + 1, sizeof *envp);
	for (i = 0; environ[i] != NULL; i++) {
		if (!proc_env_listed(environ[i], o->env) &&
		    !proc_env_listed(environ[i], o->unset))
			envp[k++] = environ[i];
	}
	for (i = 0; o->env != NULL && o->env[i] != NULL; i++)
		envp[k++] = o->env[i];
	return envp;
}

/* Start the program with stdout on a pipe; *fd is the read end. */
static int
proc_spawn(const struct proc_opts *o, pid_t *pid, int *fd, char **cause)
{
	posix_spawn_file_actions_t	  fa;
	char				**envp;
	int				  fds[2], rc;

	if (pipe2(fds, O_CLOEXEC) == -1)
		return error_set(cause, "pipe: %s", strerror(errno));
	envp = o->env != NULL || o->unset != NULL ? proc_envp(o) : environ;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fds[1], STDOUT_FILENO);
	if (o->stdin_mode == PROC_STDIN_NULL)
		posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null",
		    O_RDONLY, 0);
	rc = posix_spawnp(pid, o->argv[0], &fa, NULL, o->argv, envp);
	posix_spawn_file_actions_destroy(&fa);
	if (envp != environ)
		free(envp);
	close(fds[1]);
	if (rc != 0) {
		close(fds[0]);
		return error_set(cause, "%s: %s", o->argv[0], strerror(rc));
	}
	*fd = fds[0];
	return 0;
}

/* Milliseconds left before deadline (0: none) for poll; -1 is forever. */
static int
proc_left(uint64_t deadline)
{
	uint64_t	now;

	if (deadline == 0)
		return -1;
	if ((now = time_mono_ms()) >= deadline)
		return 0;
	if (deadline - now > INT_MAX)
		return INT_MAX;
	return (int)(deadline - now);
}

/* Read fd to EOF before the deadline; -1 on timeout, error or overflow. */
static int
proc_read(int fd, uint64_t deadline, size_t cap, struct strbuf *out,
    struct proc_result *res, char **cause)
{
	struct pollfd	pfd;
	char		buf[4096];
	ssize_t		n;
	int		r, left;

	pfd.fd = fd;
	pfd.events = POLLIN;
	for (;;) {
		if ((left = proc_left(deadline)) == 0) {
			res->timed_out = 1;
			return error_set(cause, "timed out");
		}
		r = poll(&pfd, 1, left);
		if (r == 0 || (r == -1 && errno == EINTR))
			continue;
		if (r == -1)
			return error_set(cause, "poll: %s", strerror(errno));
		n = read(fd, buf, sizeof buf);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return error_set(cause, "read: %s", strerror(errno));
		if (n == 0)
			return 0;
		if (out->len + (size_t)n > cap) {
			res->overflow = 1;
			return error_set(cause, "output over %zu bytes", cap);
		}
		strbuf_add(out, buf, (size_t)n);
	}
}

/* Record how the child ended from a wait status. */
static void
proc_status(struct proc_result *res, int st)
{
	if (WIFEXITED(st)) {
		res->exited = 1;
		res->status = WEXITSTATUS(st);
	} else if (WIFSIGNALED(st))
		res->signal = WTERMSIG(st);
}

/* waitpid with flags, retrying EINTR; pid, 0 (WNOHANG) or -1. */
static pid_t
proc_reap(pid_t pid, int *st, int flags)
{
	pid_t	r;

	while ((r = waitpid(pid, st, flags)) == -1 && errno == EINTR)
		/* nothing */;
	return r;
}

/* SIGTERM, a grace period, then SIGKILL; the child is reaped. */
static void
proc_kill(pid_t pid, struct proc_result *res)
{
	uint64_t	grace;
	int		st;

	kill(pid, SIGTERM);
	grace = time_mono_ms() + PROC_KILL_GRACE_MS;
	while (time_mono_ms() < grace) {
		switch (proc_reap(pid, &st, WNOHANG)) {
		case 0:
			time_sleep_ms(5);
			continue;
		case -1:
			return;
		default:
			proc_status(res, st);
			return;
		}
	}
	kill(pid, SIGKILL);
	if (proc_reap(pid, &st, 0) == pid)
		proc_status(res, st);
}

/* Wait for the child until the deadline, then kill it. */
static int
proc_wait(pid_t pid, uint64_t deadline, struct proc_result *res,
    char **cause)
{
	pid_t	r;
	int	st, left;

	for (;;) {
		r = proc_reap(pid, &st, deadline == 0 ? 0 : WNOHANG);
		if (r == -1)
			return error_set(cause, "waitpid: %s", strerror(errno));
		if (r == pid) {
			proc_status(res, st);
			return 0;
		}
		if ((left = proc_left(deadline)) == 0)
			break;
		time_sleep_ms(left < 5 ? (uint64_t)left : 5);
	}
	res->timed_out = 1;
	proc_kill(pid, res);
	return error_set(cause, "timed out");
}

/* Run the program, capture its stdout and reap it. */
int
proc_run(const struct proc_opts *o, struct proc_result *res, char **cause)
{
	struct strbuf	out;
	uint64_t	deadline = 0;
	size_t		cap;
	pid_t		pid = -1;
	int		fd = -1, rc;

	memset(res, 0, sizeof *res);
	strbuf_init(&out);
	cap = o->max_output != 0 ? o->max_output : PROC_MAX_OUTPUT;
	if (o->timeout_ms > 0)
		deadline = time_mono_ms() + (uint64_t)o->timeout_ms;
	if ((rc = proc_spawn(o, &pid, &fd, cause)) == 0) {
		rc = proc_read(fd, deadline, cap, &out, res, cause);
		close(fd);
		if (rc == 0)
			rc = proc_wait(pid, deadline, res, cause);
		else
			proc_kill(pid, res);
	}
	res->out = strbuf_detach(&out, &res->out_len);
	return rc;
}

/* 0 if the run exited 0, else -1 saying how it ended. */
int
proc_check(const struct proc_result *res, char **cause)
{
	if (res->exited && res->status == 0)
		return 0;
	if (res->exited)
		return error_set(cause, "exited with status %d", res->status);
	return error_set(cause, "killed by signal %d", res->signal);
}

/* Wipe and free the captured output. */
void
proc_result_free(struct proc_result *res)
{
	if (res->out != NULL) {
		explicit_bzero(res->out, res->out_len);
		free(res->out);
	}
	res->out = NULL;
	res->out_len = 0;
}
