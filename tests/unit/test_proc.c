/* proc tests: argv without a shell, env, stdin, timeout, status, cap. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "latticectl/proc.h"
#include "latticectl/xmalloc.h"

#include "testlib.h"

/* Run argv with the given timeout and cap, stdin from /dev/null. */
static int
run(char *const *argv, long timeout_ms, size_t cap, struct proc_result *res,
    char **cause)
{
	struct proc_opts	o;

	memset(&o, 0, sizeof o);
	o.argv = argv;
	o.timeout_ms = timeout_ms;
	o.max_output = cap;
	return proc_run(&o, res, cause);
}

/* Shell metacharacters in argv arrive verbatim and no shell runs them. */
static void
test_argv_verbatim(void **state)
{
	char			*dir, *m[4], *argv[9], *want, *marker;
	struct proc_result	 res;
	struct stat		 sb;
	char			*cause = NULL;
	int			 i;

	dir = test_tmpdir();
	xasprintf(&m[0], "a; touch %s/m0", dir);
	xasprintf(&m[1], "$(touch %s/m1)", dir);
	xasprintf(&m[2], "`touch %s/m2`", dir);
	xasprintf(&m[3], "x | touch %s/m3 > %s/m3", dir, dir);
	argv[0] = "printf";
	argv[1] = "[%s]\\n";
	for (i = 0; i < 4; i++)
		argv[i + 2] = m[i];
	argv[6] = "it's \"quoted\" * ~";
	argv[7] = "";
	argv[8] = NULL;
	assert_int_equal(run(argv, 5000, 0, &res, &cause), 0);
	assert_int_equal(proc_check(&res, &cause), 0);
	xasprintf(&want, "[%s]\n[%s]\n[%s]\n[%s]\n[it's \"quoted\" * ~]\n[]\n",
	    m[0], m[1], m[2], m[3]);
	assert_string_equal(res.out, want);
	assert_int_equal(res.out_len, strlen(want));
	for (i = 0; i < 4; i++) {
		xasprintf(&marker, "%s/m%d", dir, i);
		assert_int_equal(stat(marker, &sb), -1);
		free(marker);
		free(m[i]);
	}
	proc_result_free(&res);
	assert_null(res.out);
	free(want);
	rmdir(dir);
	free(dir);
}

/* Extra variables are added and replace inherited ones of that name. */
static void
test_env(void **state)
{
	char			*env[] = { "PROC_TEST_A=1 2;$x",
	    "HOME=/proc/home", NULL };
	char			*argv[] = { "env", NULL };
	struct proc_opts	 o;
	struct proc_result	 res;
	char			*cause = NULL, *p;
	int			 homes = 0;

	setenv("HOME", "/original/home", 1);
	setenv("PROC_TEST_KEEP", "kept", 1);
	memset(&o, 0, sizeof o);
	o.argv = argv;
	o.env = env;
	assert_int_equal(proc_run(&o, &res, &cause), 0);
	assert_int_equal(proc_check(&res, &cause), 0);
	assert_non_null(strstr(res.out, "\nPROC_TEST_A=1 2;$x\n"));
	assert_non_null(strstr(res.out, "PROC_TEST_KEEP=kept\n"));
	assert_non_null(strstr(res.out, "PATH="));
	assert_null(strstr(res.out, "/original/home"));
	for (p = res.out; (p = strstr(p, "HOME=")) != NULL; p++) {
		if (p == res.out || p[-1] == '\n') {
			assert_true(strncmp(p, "HOME=/proc/home\n", 16) == 0);
			homes++;
		}
	}
	assert_int_equal(homes, 1);
	/* Our own environment is untouched. */
	assert_string_equal(getenv("HOME"), "/original/home");
	assert_null(getenv("PROC_TEST_A"));
	proc_result_free(&res);
	unsetenv("PROC_TEST_KEEP");
}

/* stdin is /dev/null by default and ours when asked. */
static void
test_stdin(void **state)
{
	char			*argv[] = { "cat", NULL };
	struct proc_opts	 o;
	struct proc_result	 res;
	char			*dir, *path, *cause = NULL;
	int			 saved, fd;

	dir = test_tmpdir();
	xasprintf(&path, "%s/in", dir);
	assert_int_equal(test_write_file(path, "from our stdin", 0600), 0);
	saved = dup(STDIN_FILENO);
	fd = open(path, O_RDONLY);
	assert_true(saved >= 0 && fd >= 0);
	dup2(fd, STDIN_FILENO);
	close(fd);
	memset(&o, 0, sizeof o);
	o.argv = argv;
	assert_int_equal(proc_run(&o, &res, &cause), 0);
	assert_string_equal(res.out, "");
	proc_result_free(&res);
	o.stdin_mode = PROC_STDIN_INHERIT;
	assert_int_equal(proc_run(&o, &res, &cause), 0);
	assert_string_equal(res.out, "from our stdin");
	proc_result_free(&res);
	dup2(saved, STDIN_FILENO);
	close(saved);
	unlink(path);
	rmdir(dir);
	free(path);
	free(dir);
}

/* stderr is passed through, not captured. */
static void
test_stderr_passthrough(void **state)
{
	char			*argv[] = { "sh", "-c",
	    "echo to-err >&2; echo to-out", NULL };
	struct proc_result	 res;
	char			*dir, *path, *got, *cause = NULL;
	int			 saved, fd;

	dir = test_tmpdir();
	xasprintf(&path, "%s/err", dir);
	fflush(stderr);
	saved = dup(STDERR_FILENO);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(saved >= 0 && fd >= 0);
	dup2(fd, STDERR_FILENO);
	close(fd);
	assert_int_equal(run(argv, 5000, 0, &res, &cause), 0);
	dup2(saved, STDERR_FILENO);
	close(saved);
	assert_string_equal(res.out, "to-out\n");
	got = test_read_file(path, NULL);
	assert_string_equal(got, "to-err\n");
	proc_result_free(&res);
	free(got);
	unlink(path);
	rmdir(dir);
	free(path);
	free(dir);
}

/* Exit status and terminating signal are reported. */
static void
test_status_signal(void **state)
{
	char			*ok[] = { "true", NULL };
	char			*three[] = { "sh", "-c",
	    "echo partial; exit 3", NULL };
	char			*sig[] = { "sh", "-c", "kill -USR1 $$",
	    NULL };
	struct proc_result	 res;
	char			*cause = NULL;

	assert_int_equal(run(ok, 5000, 0, &res, &cause), 0);
	assert_true(res.exited);
	assert_int_equal(res.status, 0);
	assert_int_equal(res.signal, 0);
	assert_int_equal(proc_check(&res, &cause), 0);
	proc_result_free(&res);

	assert_int_equal(run(three, 5000, 0, &res, &cause), 0);
	assert_true(res.exited);
	assert_int_equal(res.status, 3);
	assert_string_equal(res.out, "partial\n");
	assert_int_equal(proc_check(&res, &cause), -1);
	assert_string_equal(cause, "exited with status 3");
	proc_result_free(&res);

	assert_int_equal(run(sig, 5000, 0, &res, &cause), 0);
	assert_false(res.exited);
	assert_int_equal(res.signal, SIGUSR1);
	assert_false(res.timed_out);
	assert_int_equal(proc_check(&res, &cause), -1);
	assert_non_null(strstr(cause, "killed by signal"));
	proc_result_free(&res);
	free(cause);
}

/* The timeout kills the child (SIGTERM, or SIGKILL when it ignores it). */
static void
test_timeout(void **state)
{
	char			*slow[] = { "sleep", "30", NULL };
	char			*quiet[] = { "sh", "-c",
	    "exec sleep 30 >/dev/null", NULL };
	struct proc_result	 res;
	struct sigaction	 ign, old;
	char			*cause = NULL;

	assert_int_equal(run(slow, 100, 0, &res, &cause), -1);
	assert_string_equal(cause, "timed out");
	assert_true(res.timed_out);
	assert_false(res.exited);
	assert_int_equal(res.signal, SIGTERM);
	proc_result_free(&res);

	/* An ignored SIGTERM is inherited: only SIGKILL ends it. */
	memset(&ign, 0, sizeof ign);
	ign.sa_handler = SIG_IGN;
	sigaction(SIGTERM, &ign, &old);
	assert_int_equal(run(slow, 100, 0, &res, &cause), -1);
	sigaction(SIGTERM, &old, NULL);
	assert_string_equal(cause, "timed out");
	assert_true(res.timed_out);
	assert_int_equal(res.signal, SIGKILL);
	proc_result_free(&res);

	/* Stdout closed early: the wait for the exit is bounded too. */
	assert_int_equal(run(quiet, 100, 0, &res, &cause), -1);
	assert_string_equal(cause, "timed out");
	assert_true(res.timed_out);
	assert_int_equal(res.signal, SIGTERM);
	proc_result_free(&res);
	free(cause);
}

/* Output up to the cap is kept; over it the child is killed. */
static void
test_output_cap(void **state)
{
	char			*four[] = { "printf", "abcd", NULL };
	char			*flood[] = { "yes", NULL };
	struct proc_result	 res;
	char			*cause = NULL;

	assert_int_equal(run(four, 5000, 4, &res, &cause), 0);
	assert_string_equal(res.out, "abcd");
	proc_result_free(&res);
	assert_int_equal(run(four, 5000, 3, &res, &cause), -1);
	assert_string_equal(cause, "output over 3 bytes");
	assert_true(res.overflow);
	proc_result_free(&res);

	assert_int_equal(run(flood, 0, 4096, &res, &cause), -1);
	assert_string_equal(cause, "output over 4096 bytes");
	assert_true(res.overflow);
	assert_false(res.timed_out);
	assert_false(res.exited);
	assert_true(res.out_len <= 4096);
	proc_result_free(&res);
	free(cause);
}

/* A program that is not there fails to start, naming it. (Under valgrind
 * posix_spawn cannot see the exec fail: the child exits 127.) */
static void
test_not_found(void **state)
{
	char			*argv[] = { "/nonexistent/proc-test",
	    NULL };
	struct proc_result	 res;
	char			*cause = NULL;

	if (run(argv, 5000, 0, &res, &cause) == 0) {
		assert_true(res.exited);
		assert_int_equal(res.status, 127);
	} else {
		assert_non_null(strstr(cause, "/nonexistent/proc-test: "));
		assert_non_null(strstr(cause, "No such file"));
		assert_false(res.exited);
	}
	assert_string_equal(res.out, "");
	proc_result_free(&res);
	free(cause);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_argv_verbatim),
		cmocka_unit_test(test_env),
		cmocka_unit_test(test_stdin),
		cmocka_unit_test(test_stderr_passthrough),
		cmocka_unit_test(test_status_signal),
		cmocka_unit_test(test_timeout),
		cmocka_unit_test(test_output_cap),
		cmocka_unit_test(test_not_found),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
