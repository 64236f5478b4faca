/*
 * proc: run an external program with an argv (never through a shell),
 * extra environment, a timeout and its stdout captured; stderr is passed
 * through. The options are borrowed for the call; the result owns out
 * until proc_result_free() (which wipes it: helpers print secrets).
 */
#ifndef LATTICECTL_PROC_H
#define LATTICECTL_PROC_H

#include <stddef.h>

/* The default stdout cap, and the grace between SIGTERM and SIGKILL. */
#define PROC_MAX_OUTPUT		(1024 * 1024)
#define PROC_KILL_GRACE_MS	500

enum proc_stdin {
	PROC_STDIN_NULL,	/* /dev/null */
	PROC_STDIN_INHERIT	/* ours (interactive helpers) */
};

struct proc_opts {
	/* argv[0] is looked up in PATH. */
	char *const	 *argv;
	/* NAME=VALUE added to our environment (replacing NAME), or NULL. */
	char *const	 *env;
	/* Names dropped from ours ("AWS_*": every name with the prefix). */
	char *const	 *unset;
	enum proc_stdin	  stdin_mode;
	long		  timeout_ms;	/* <= 0: no limit */
	size_t		  max_output;	/* 0: PROC_MAX_OUTPUT */
};

struct proc_result {
	char	*out;		/* stdout (NUL-terminated, not NULL) */
	size_t	 out_len;
	int	 exited;	/* 1 when it exited (status is valid) */
	int	 status;	/* exit status */
	int	 signal;	/* the signal that ended it, else 0 */
	int	 timed_out;	/* killed at the timeout */
	int	 overflow;	/* killed for writing more than the cap */
};

/* Run the program and reap it. 0 when it ran to its end (whatever the
 * status: see proc_check); -1 with cause when it could not start, timed
 * out ("timed out"), wrote too much or its output could not be read.
 * res is filled in either way and must be freed. */
int	 proc_run(const struct proc_opts *, struct proc_result *res,
	    char **cause);
/* 0 if the run exited 0, else -1 with "exited with status N" or
 * "killed by signal N". */
int	 proc_check(const struct proc_result *, char **cause);
/* Wipe and free the captured output. */
void	 proc_result_free(struct proc_result *);

#endif
