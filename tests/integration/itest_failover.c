/*
 * Leader failover with real processes: two `latticectl controller
 * --leader-elect` processes (writers "a" and "b" of the simulator, each
 * with its own AWS keys and Kubernetes token) against one in-process
 * simulator recording every request (sim_record.h). The lab converges
 * under A; A is SIGKILLed, a route is added and B must take over and
 * converge it; then a fresh A joins, B gets SIGTERM (it releases the
 * Lease), another route is added and A must converge it.
 *
 * "Never two writers at once", from the record (file order is the order
 * the simulator answered in): a data write is any non-GET request other
 * than the Lease's; within each phase, every data write by the old leader
 * comes before the first data write by the new one, the new one writes
 * nothing before the old one was stopped, and a follower writes nothing
 * while the leader lives. Prints the failover times: stop -> first Lease
 * write won by the new leader, and stop -> its first data write.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <libgen.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ctl_fixture.h"

#define FO_WAIT_MS	90000
#define FO_LEASE_PATH	"/apis/coordination.k8s.io/v1/namespaces/default/" \
	"leases/" UP_LEADER_ELECTION_ID

extern char **environ;

static pid_t		 fo_kids[4];	/* running controllers, for teardown */

struct fo {
	struct cfx	 f;
	char		*bin;
	char		*record;
};

/* Wall clock in epoch ms (the record's clock). */
static double
fo_now_ms(void)
{
	struct timespec	ts = time_now();

	return (double)ts.tv_sec * 1000.0 + (double)(ts.tv_nsec / 1000000);
}

/* The latticectl binary: $LATTICECTL, else next to the tests dir. */
static char *
fo_binary(void)
{
	const char	*env = getenv("LATTICECTL");
	char		 exe[4096], *dir, *bin;
	ssize_t		 n;

	if (env != NULL && access(env, X_OK) == 0)
		return xstrdup(env);
	if ((n = readlink("/proc/self/exe", exe, sizeof(exe) - 1)) <= 0)
		return NULL;
	exe[n] = '\0';
	dir = dirname(dirname(exe));
	xasprintf(&bin, "%s/latticectl", dir);
	if (access(bin, X_OK) != 0) {
		free(bin);
		return NULL;
	}
	return bin;
}

/* Start the simulator (recording, writers a and b) and the lab. */
static void
fo_start(struct fo *t)
{
	static const char *const writers[] = { "a", "b", NULL };
	struct sim_opts	 o;
	struct cfx	*f = &t->f;
	char		*cause = NULL;

	memset(f, 0, sizeof(*f));
	f->dir = test_tmpdir();
	xasprintf(&t->record, "%s/record.jsonl", f->dir);
	memset(&o, 0, sizeof(o));
	o.listen = "127.0.0.1:0";
	o.aws_listen = "127.0.0.1:0";
	o.no_tls = 1;
	o.dir = f->dir;
	o.record = t->record;
	o.writers = writers;
	if (sim_start(&o, &f->sim, &cause) != 0)
		fail_msg("sim: %s", cause);
	f->kc = cfx_kube(f);
	f->aws = cfx_aws(f);
	cfx_crds(f, "gateway-api-v1.5.1");
	cfx_crds(f, "aws-application-networking");
	cfx_lab(f);
}

/* Build the environment of a controller that is writer w. */
static char **
fo_env(struct fo *t, const char *w)
{
	static const char *const drop[] = { "KUBECONFIG=", "AWS_", NULL };
	char	**env, *path, *text, *line, *save = NULL;
	size_t	  n = 0, i, k;
	int	  skip;

	for (i = 0; environ[i] != NULL; i++)
		;
	env = xcalloc(i + 16, sizeof(*env));
	for (i = 0; environ[i] != NULL; i++) {
		for (skip = 0, k = 0; drop[k] != NULL; k++)
			skip |= strncmp(environ[i], drop[k],
			    strlen(drop[k])) == 0;
		if (!skip)
			env[n++] = xstrdup(environ[i]);
	}
	xasprintf(&path, "%s/writer-%s.env", t->f.dir, w);
	if ((text = test_read_file(path, NULL)) == NULL)
		fail_msg("%s: missing", path);
	for (line = strtok_r(text, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, "export ", 7) == 0)
			env[n++] = xstrdup(line + 7);
	}
	env[n++] = xstrdup("AWS_CONFIG_FILE=/dev/null");
	env[n++] = xstrdup("AWS_SHARED_CREDENTIALS_FILE=/dev/null");
	env[n++] = xstrdup("AWS_EC2_METADATA_DISABLED=true");
	free(text);
	free(path);
	return env;
}

/* Start a controller process as writer w (output in DIR/ctl-w.log). */
static pid_t
fo_spawn(struct fo *t, const char *w)
{
	posix_spawn_file_actions_t	 fa;
	char				*argv[16], **env, *log;
	pid_t				 pid;
	size_t				 i;

	argv[0] = t->bin;
	argv[1] = (char *)"controller";
	argv[2] = (char *)"--leader-elect";
	argv[3] = (char *)"--workers";
	argv[4] = (char *)"2";
	argv[5] = (char *)"--metrics-addr";
	argv[6] = (char *)"127.0.0.1:0";
	argv[7] = (char *)"--health-addr";
	argv[8] = (char *)"127.0.0.1:0";
	argv[9] = (char *)"--cluster-name=" CFX_CLUSTER;
	argv[10] = (char *)"--vpc-id=" CFX_VPC;
	argv[11] = (char *)"--account-id=" SIM_ACCOUNT_ID;
	argv[12] = NULL;
	env = fo_env(t, w);
	xasprintf(&log, "%s/ctl-%s.log", t->f.dir, w);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, log, O_WRONLY | O_CREAT |
	    O_APPEND, 0600);
	posix_spawn_file_actions_adddup2(&fa, 1, 2);
	if (posix_spawn(&pid, t->bin, &fa, NULL, argv, env) != 0)
		fail_msg("posix_spawn %s failed", t->bin);
	for (i = 0; i < 4; i++) {
		if (fo_kids[i] == 0) {
			fo_kids[i] = pid;
			break;
		}
	}
	posix_spawn_file_actions_destroy(&fa);
	for (i = 0; env[i] != NULL; i++)
		free(env[i]);
	free(env);
	free(log);
	return pid;
}

/* Is route name Accepted with its Lattice service present? */
static int
fo_route_done(struct fo *t, const char *name)
{
	struct lattice_service	 svc;
	const cJSON		*p, *c;
	cJSON			*r = cfx_route(&t->f, name);
	char			*sname;
	int			 ok = 0;

	cJSON_ArrayForEach(p, json_path(r, "status.parents")) {
		cJSON_ArrayForEach(c, json_path(p, "conditions")) {
			if (strcmp(json_str(c, "type"), "Accepted") == 0 &&
			    strcmp(json_str(c, "status"), "True") == 0)
				ok = 1;
		}
	}
	cJSON_Delete(r);
	if (!ok)
		return 0;
	xasprintf(&sname, "%s-default", name);
	ok = cfx_service(&t->f, sname, &svc) == 0;
	if (ok)
		lattice_service_free(&svc);
	free(sname);
	return ok;
}

/* Print a controller's log (diagnostics on failure). */
static void
fo_dump_log(struct fo *t, const char *w)
{
	char	*path, *text;

	xasprintf(&path, "%s/ctl-%s.log", t->f.dir, w);
	if ((text = test_read_file(path, NULL)) != NULL)
		printf("---- %s\n%s\n", path, text);
	free(text);
	free(path);
}

/* Wait until every named route is done. */
static void
fo_wait_routes(struct fo *t, const char *const *names)
{
	uint64_t	end = time_mono_ms() + FO_WAIT_MS;
	size_t		i;

	for (i = 0; names[i] != NULL; i++) {
		while (!fo_route_done(t, names[i])) {
			if (time_mono_ms() > end) {
				fo_dump_log(t, "a");
				fo_dump_log(t, "b");
				fail_msg("route %s not converged in %d ms",
				    names[i], FO_WAIT_MS);
			}
			time_sleep_ms(200);
		}
	}
}

/* A route to the parking Service, named name. */
static void
fo_add_route(struct fo *t, const char *name)
{
	char	*text;

	xasprintf(&text, "apiVersion: gateway.networking.k8s.io/v1\n"
	    "kind: HTTPRoute\nmetadata:\n  name: %s\nspec:\n  parentRefs:\n"
	    "  - name: my-hotel\n    sectionName: http\n  rules:\n"
	    "  - backendRefs:\n    - name: parking\n      kind: Service\n"
	    "      port: 8090\n", name);
	cfx_apply_text(&t->f, text);
	free(text);
}

/* One record line. */
struct fo_rec {
	double	 ms;
	char	 writer[16];
	int	 lease;		/* a write to the Lease */
	int	 data;		/* any other write */
	int	 ok;		/* status 2xx */
};

/* Read the record: *n entries (caller frees). */
static struct fo_rec *
fo_read_record(struct fo *t, size_t *n)
{
	struct fo_rec	*v = NULL;
	char		*text, *line, *save = NULL;
	const char	*m, *p, *w;
	cJSON		*o;
	size_t		 cap = 0;
	int		 st;

	*n = 0;
	if ((text = test_read_file(t->record, NULL)) == NULL)
		fail_msg("%s: cannot read", t->record);
	for (line = strtok_r(text, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		if ((o = cJSON_Parse(line)) == NULL)
			fail_msg("record: bad line %s", line);
		m = json_str(o, "method");
		p = json_str(o, "path");
		w = json_str(o, "writer");
		if (m != NULL && strcmp(m, "GET") != 0 && w != NULL &&
		    (strcmp(w, "a") == 0 || strcmp(w, "b") == 0)) {
			if (*n == cap) {
				cap = cap == 0 ? 256 : cap * 2;
				v = xreallocarray(v, cap, sizeof(*v));
			}
			memset(&v[*n], 0, sizeof(v[*n]));
			v[*n].ms = json_num(o, "ms", 0);
			snprintf(v[*n].writer, sizeof(v[*n].writer), "%s", w);
			v[*n].lease = strcmp(json_str(o, "api"), "kube") == 0 &&
			    strncmp(p, FO_LEASE_PATH, strlen(FO_LEASE_PATH)) ==
			    0;
			v[*n].data = !v[*n].lease;
			st = (int)json_num(o, "status", 0);
			v[*n].ok = st >= 200 && st < 300;
			(*n)++;
		}
		cJSON_Delete(o);
	}
	free(text);
	return v;
}

/*
 * Check one phase of the record, the writes made at or after since_ms:
 * old led until it was stopped at stop_ms, new took over. Prints and
 * returns nothing; fails the test on a violation.
 */
static void
fo_check_phase(struct fo *t, const char *label, double since_ms,
    double stop_ms, const char *old, const char *new)
{
	struct fo_rec	*v;
	size_t		 n, i, old_data = 0, new_data = 0;
	double		 last_old = -1, first_new = -1, lease_new = -1;
	long		 first_new_i = -1, last_old_i = -1;

	v = fo_read_record(t, &n);
	for (i = 0; i < n; i++) {
		if (v[i].ms < since_ms)
			continue;
		if (strcmp(v[i].writer, old) == 0 && v[i].data) {
			old_data++;
			last_old = v[i].ms;
			last_old_i = (long)i;
		}
		if (strcmp(v[i].writer, new) == 0 && v[i].data) {
			if (new_data++ == 0) {
				first_new = v[i].ms;
				first_new_i = (long)i;
			}
		}
		if (strcmp(v[i].writer, new) == 0 && v[i].lease && v[i].ok &&
		    lease_new < 0 && v[i].ms >= stop_ms)
			lease_new = v[i].ms;
	}
	free(v);
	printf("%s: since the phase began %zu data writes by %s (last at "
	    "stop%+.0f ms), %zu by %s (first at stop%+.0f ms)\n", label,
	    old_data, old, old_data > 0 ? last_old - stop_ms : 0.0, new_data,
	    new, first_new - stop_ms);
	assert_true(new_data > 0);
	/* No write by the new leader before the old one was stopped. */
	assert_true(first_new >= stop_ms);
	/* Every write by the old leader precedes the new one's first. */
	assert_true(last_old_i < first_new_i);
	assert_true(lease_new >= 0);
	printf("%s failover: stop -> Lease acquired %.0f ms, stop -> first "
	    "write by the new leader %.0f ms\n", label, lease_new - stop_ms,
	    first_new - stop_ms);
}

/* No data write by w at or after since_ms. */
static void
fo_check_silent(struct fo *t, const char *w, double since_ms)
{
	struct fo_rec	*v;
	size_t		 n, i, bad = 0;

	v = fo_read_record(t, &n);
	for (i = 0; i < n; i++)
		bad += v[i].ms >= since_ms && v[i].data &&
		    strcmp(v[i].writer, w) == 0;
	free(v);
	if (bad > 0)
		printf("follower %s made %zu data writes\n", w, bad);
	assert_int_equal(bad, 0);
}

/* Stop a controller with sig and reap it; the stop time. */
static double
fo_stop(pid_t pid, int sig)
{
	double	t = fo_now_ms();
	size_t	i;
	int	status;

	kill(pid, sig);
	waitpid(pid, &status, 0);
	for (i = 0; i < 4; i++) {
		if (fo_kids[i] == pid)
			fo_kids[i] = 0;
	}
	return t;
}

/* The whole scenario: kill, then terminate. */
static void
test_failover(void **state)
{
	static const char *const lab[] = { "rates", "inventory", NULL };
	static const char *const r1[] = { "extra-one", NULL };
	static const char *const r2[] = { "extra-two", NULL };
	struct fo	 t;
	pid_t		 a, b;
	double		 t0, stop;

	(void)state;
	memset(&t, 0, sizeof(t));
	if (test_reference_dir() == NULL) {
		printf("SKIP: reference directory not found\n");
		skip();
	}
	if ((t.bin = fo_binary()) == NULL) {
		printf("SKIP: latticectl binary not found (set LATTICECTL)\n");
		skip();
	}
	fo_start(&t);
	t0 = fo_now_ms();
	a = fo_spawn(&t, "a");
	fo_wait_routes(&t, lab);
	b = fo_spawn(&t, "b");
	time_sleep_ms(3000);	/* b syncs its caches and follows */
	fo_check_silent(&t, "b", t0);

	/* Phase 1: SIGKILL the leader. */
	stop = fo_stop(a, SIGKILL);
	fo_add_route(&t, "extra-one");
	fo_wait_routes(&t, r1);
	fo_check_phase(&t, "SIGKILL", t0, stop, "a", "b");

	/* Phase 2: a fresh A follows; SIGTERM B (it releases the Lease). */
	t0 = fo_now_ms();
	a = fo_spawn(&t, "a");
	time_sleep_ms(3000);
	fo_check_silent(&t, "a", t0);
	stop = fo_stop(b, SIGTERM);
	fo_add_route(&t, "extra-two");
	fo_wait_routes(&t, r2);
	fo_check_phase(&t, "SIGTERM", t0, stop, "b", "a");
	fo_stop(a, SIGTERM);
	free(t.bin);
	free(t.record);
	cfx_stop(&t.f);
}

/* Kill the controllers a failed test left running. */
static int
fo_teardown(void **state)
{
	size_t	i;

	(void)state;
	for (i = 0; i < 4; i++) {
		if (fo_kids[i] != 0)
			fo_stop(fo_kids[i], SIGKILL);
	}
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_failover, fo_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
