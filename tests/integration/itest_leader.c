/* Integration test of leader election with separate processes against
 * the simulated Kubernetes API: this binary re-executes itself as
 * candidates (--child URL ID) that log START/STOP/write lines with the
 * system-wide monotonic clock. The parent pauses (SIGSTOP), terminates
 * (SIGTERM: release) and kills (SIGKILL) leaders, checks that only one
 * process writes at a time and that failover happens within lease
 * duration + retry period (with jitter and generous slack), and prints
 * the measured failover times. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "latticectl/kleader.h"
#include "latticectl/log.h"
#include "latticectl/timeutil.h"
#include "latticectl/xmalloc.h"
#include "../unit/ksim_fixture.h"

#define LEASE_MS	2000
#define RENEW_MS	1500
#define RETRY_MS	300
#define MAX_EV		100000
#define MAX_KIDS	4

/* ------------------------------------------------------------------ */
/* Child: one candidate process                                        */

static volatile sig_atomic_t child_term;

/* SIGTERM in a child: leave the loop and release. */
static void
child_on_term(int sig)
{
	(void)sig;
	child_term = 1;
}

/* Callback: print START. */
static void
child_started(void *arg)
{
	printf("START %s %llu\n", (const char *)arg,
	    (unsigned long long)time_mono_ms());
}

/* Callback: print STOP. */
static void
child_stopped(void *arg)
{
	printf("STOP %s %llu\n", (const char *)arg,
	    (unsigned long long)time_mono_ms());
}

/* The candidate: elect, and write (a log line) every 20 ms while leader. */
static int
child_main(const char *url, const char *id)
{
	struct kube_conn_params	 p;
	struct kube_leader_opts	 o;
	struct kube_client	*kc;
	struct kube_leader	*le;
	char			*cause = NULL;

	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGTERM, child_on_term);
	log_open(LOG_LEVEL_ERROR, LOG_FORMAT_TEXT, NULL);
	memset(&p, 0, sizeof p);
	p.server = url;
	kc = kube_client_new(kube_conn_new(&p), &cause);
	memset(&o, 0, sizeof o);
	o.ns = "default";
	o.name = "latticectl-leader";
	o.identity = id;
	o.lease_ms = LEASE_MS;
	o.renew_ms = RENEW_MS;
	o.retry_ms = RETRY_MS;
	o.started = child_started;
	o.stopped = child_stopped;
	o.arg = (void *)(uintptr_t)id;
	if (kc == NULL || (le = kube_leader_new(kc, &o, &cause)) == NULL ||
	    kube_leader_start(le, &cause) != 0) {
		fprintf(stderr, "child %s: %s\n", id, cause);
		return 1;
	}
	while (!child_term) {
		if (kube_leader_is_leader(le))
			printf("W %s %llu\n", id,
			    (unsigned long long)time_mono_ms());
		time_sleep_ms(20);
	}
	kube_leader_free(le);
	printf("EXIT %s %llu\n", id, (unsigned long long)time_mono_ms());
	kube_client_free(kc);
	log_close();
	return 0;
}

/* ------------------------------------------------------------------ */
/* Parent                                                              */

struct ev {
	char		type;	/* 'S'tart, 's'top, 'W'rite, 'E'xit */
	char		id;
	uint64_t	t;
};

struct kid {
	pid_t		 pid;
	char		 id;
	int		 reaped;
	pthread_t	 reader;
};

struct world {
	struct ksim	 x;
	pthread_mutex_t	 mu;
	struct ev	*ev;
	size_t		 nev;
	struct kid	 kids[MAX_KIDS];
	size_t		 nkids;
	char		 self[4096];
};

struct reader_arg {
	struct world	*w;
	int		 fd;
};

/* Record one line from a child. */
static void
world_line(struct world *w, const char *line)
{
	char			 word[16], id[16];
	unsigned long long	 t;
	struct ev		 e;

	if (sscanf(line, "%15s %15s %llu", word, id, &t) != 3)
		return;
	e.id = id[0];
	e.t = t;
	e.type = strcmp(word, "START") == 0 ? 'S' : strcmp(word, "STOP") == 0 ?
	    's' : strcmp(word, "W") == 0 ? 'W' : 'E';
	pthread_mutex_lock(&w->mu);
	if (w->nev < MAX_EV)
		w->ev[w->nev++] = e;
	pthread_mutex_unlock(&w->mu);
}

/* Read a child's stdout line by line. */
static void *
reader_main(void *arg)
{
	struct reader_arg	*ra = arg;
	FILE			*f = fdopen(ra->fd, "r");
	char			 line[256];

	while (f != NULL && fgets(line, sizeof line, f) != NULL)
		world_line(ra->w, line);
	if (f != NULL)
		fclose(f);
	free(ra);
	return NULL;
}

/* Start a candidate process with identity id. */
static void
spawn(struct world *w, char id)
{
	struct reader_arg	*ra;
	struct kid		*k = &w->kids[w->nkids++];
	char			 ids[2] = { id, '\0' };
	int			 p[2];

	memset(k, 0, sizeof *k);
	assert_int_equal(pipe(p), 0);
	k->id = id;
	k->pid = fork();
	assert_true(k->pid >= 0);
	if (k->pid == 0) {
		dup2(p[1], STDOUT_FILENO);
		close(p[0]);
		close(p[1]);
		execl(w->self, w->self, "--child", w->x.url, ids, (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	ra = xcalloc(1, sizeof *ra);
	ra->w = w;
	ra->fd = p[0];
	pthread_create(&k->reader, NULL, reader_main, ra);
}

/* The kid with identity id. */
static struct kid *
kid(struct world *w, char id)
{
	size_t	i;

	for (i = 0; i < w->nkids; i++) {
		if (w->kids[i].id == id)
			return &w->kids[i];
	}
	return NULL;
}

/* Wait up to ms for an event of type (by any id other than not, after
 * time since); returns the event's id and sets *t, or 0. */
static char
wait_ev(struct world *w, char type, char not, uint64_t since, int ms,
    uint64_t *t)
{
	size_t	i;
	int	n;
	char	id = 0;

	for (n = 0; n < ms / 10 && id == 0; n++) {
		pthread_mutex_lock(&w->mu);
		for (i = 0; i < w->nev && id == 0; i++) {
			if (w->ev[i].type == type && w->ev[i].id != not &&
			    w->ev[i].t >= since) {
				id = w->ev[i].id;
				*t = w->ev[i].t;
			}
		}
		pthread_mutex_unlock(&w->mu);
		if (id == 0)
			time_sleep_ms(10);
	}
	return id;
}

/* Count events of a type by id in [from, to). */
static int
count_ev(struct world *w, char type, char id, uint64_t from, uint64_t to)
{
	size_t	i;
	int	n = 0;

	pthread_mutex_lock(&w->mu);
	for (i = 0; i < w->nev; i++) {
		if (w->ev[i].type == type && (id == 0 || w->ev[i].id == id) &&
		    w->ev[i].t >= from && w->ev[i].t < to)
			n++;
	}
	pthread_mutex_unlock(&w->mu);
	return n;
}

/* Order events by time. */
static int
ev_cmp(const void *a, const void *b)
{
	const struct ev	*x = a, *y = b;

	return x->t < y->t ? -1 : x->t > y->t;
}

/* Writers never interleave: the writer changes at most once per START
 * after the first. Returns the number of writer changes. */
static int
check_writes(struct world *w, int *starts)
{
	struct ev	*v;
	size_t		 i, n = 0;
	char		 last = 0;
	int		 switches = 0;

	pthread_mutex_lock(&w->mu);
	v = xcalloc(w->nev + 1, sizeof *v);
	*starts = 0;
	for (i = 0; i < w->nev; i++) {
		if (w->ev[i].type == 'W')
			v[n++] = w->ev[i];
		else if (w->ev[i].type == 'S')
			(*starts)++;
	}
	pthread_mutex_unlock(&w->mu);
	qsort(v, n, sizeof *v, ev_cmp);
	for (i = 0; i < n; i++) {
		if (last != 0 && v[i].id != last)
			switches++;
		last = v[i].id;
	}
	free(v);
	return switches;
}

/* Wait for a child (after a signal) and its reader; its exit status. */
static int
reap(struct kid *k)
{
	int	st = 0;

	if (!k->reaped) {
		waitpid(k->pid, &st, 0);
		pthread_join(k->reader, NULL);
		k->reaped = 1;
	}
	return st;
}

/* End every remaining child and reap them. */
static void
reap_all(struct world *w)
{
	size_t	i;

	for (i = 0; i < w->nkids; i++) {
		if (w->kids[i].reaped)
			continue;
		kill(w->kids[i].pid, SIGCONT);
		kill(w->kids[i].pid, SIGTERM);
		reap(&w->kids[i]);
	}
}

/* Pause, release and kill leaders in turn. */
static void
test_failover(void **state)
{
	struct world	*w = *state;
	uint64_t	 t0, ts, tstart, tb;
	char		 a, b, c;
	int		 starts, switches, st;

	/* 1. one leader; the second candidate stays out */
	spawn(w, 'A');
	assert_int_equal(wait_ev(w, 'S', 0, 0, 15000, &tstart), 'A');
	spawn(w, 'B');
	time_sleep_ms(LEASE_MS + 500);
	assert_int_equal(count_ev(w, 'S', 'B', 0, UINT64_MAX), 0);

	/* 2. the leader freezes: B takes over; A never writes after that */
	ts = time_mono_ms();
	kill(kid(w, 'A')->pid, SIGSTOP);
	b = wait_ev(w, 'S', 'A', ts, 15000, &tb);
	assert_int_equal(b, 'B');
	printf("MEASURE: failover after the leader froze: %llu ms (lease "
	    "%d ms, retry %d ms)\n", (unsigned long long)(tb - ts), LEASE_MS,
	    RETRY_MS);
	assert_true(tb - ts <= LEASE_MS + 2 * 2.2 * RETRY_MS + 1500);
	kill(kid(w, 'A')->pid, SIGCONT);
	assert_int_equal(wait_ev(w, 's', 0, tb, 15000, &t0), 'A');
	time_sleep_ms(500);
	assert_int_equal(count_ev(w, 'W', 'A', tb, UINT64_MAX), 0);

	/* 3. the leader terminates and releases: a candidate takes over at
	 * its next retry */
	spawn(w, 'C');
	time_sleep_ms(500);
	ts = time_mono_ms();
	kill(kid(w, 'B')->pid, SIGTERM);
	c = wait_ev(w, 'S', 'B', ts, 15000, &tb);
	assert_true(c == 'A' || c == 'C');
	printf("MEASURE: failover after release: %llu ms\n",
	    (unsigned long long)(tb - ts));
	assert_true(tb - ts <= 2.2 * RETRY_MS + RETRY_MS + 1500);
	st = reap(kid(w, 'B'));
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	assert_int_equal(count_ev(w, 'E', 'B', ts, UINT64_MAX), 1);
	time_sleep_ms(500);	/* the new leader writes for a while */

	/* 4. the leader is killed: no release, the lease must expire */
	ts = time_mono_ms();
	kill(kid(w, c)->pid, SIGKILL);
	a = wait_ev(w, 'S', c, ts, 15000, &tb);
	assert_true(a == 'A' || a == 'C');
	assert_true(a != c);
	printf("MEASURE: failover after the leader was killed: %llu ms\n",
	    (unsigned long long)(tb - ts));
	assert_true(tb - ts <= LEASE_MS + 2 * 2.2 * RETRY_MS + 1500);
	time_sleep_ms(500);

	if (getenv("ITEST_LEADER_DUMP") != NULL) {
		size_t	i;

		for (i = 0; i < w->nev; i++)
			if (w->ev[i].type != 'W' || i % 10 == 0)
				printf("%c %c %llu\n", w->ev[i].type, w->ev[i].id,
				    (unsigned long long)w->ev[i].t);
	}
	switches = check_writes(w, &starts);
	printf("MEASURE: %d leadership starts, %d writer changes\n", starts,
	    switches);
	assert_true(switches >= 3);
	assert_true(switches <= starts - 1);
}

/* Start the simulator; find this binary. */
static int
setup(void **state)
{
	struct world	*w = xcalloc(1, sizeof *w);
	ssize_t		 n;

	pthread_mutex_init(&w->mu, NULL);
	w->ev = xcalloc(MAX_EV, sizeof *w->ev);
	n = readlink("/proc/self/exe", w->self, sizeof w->self - 1);
	if (n <= 0 || ksim_start(&w->x, NULL) != 0)
		return -1;
	w->self[n] = '\0';
	*state = w;
	return 0;
}

/* Stop children and the simulator. */
static int
teardown(void **state)
{
	struct world	*w = *state;

	reap_all(w);
	ksim_stop(&w->x);
	free(w->ev);
	pthread_mutex_destroy(&w->mu);
	free(w);
	return 0;
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_failover, setup, teardown),
	};

	if (argc == 4 && strcmp(argv[1], "--child") == 0)
		return child_main(argv[2], argv[3]);
	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
