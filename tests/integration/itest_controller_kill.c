/*
 * SIGKILL mid-reconcile: a controller process (this binary re-executed
 * with --child) converges the lab against the in-process simulator (with
 * latency and CREATE_IN_PROGRESS delays) and is killed with SIGKILL after
 * k Lattice requests, for several k; a fresh controller then converges
 * and the Lattice state is exactly the lab's: one service per route, one
 * target group per backend, the right listeners, rules and targets, no
 * duplicates and no orphans. Prints the requests seen at each kill.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ctl_fixture.h"

#define KILL_DELAY_MS	100	/* AWS create/delete/health delays */
#define KILL_LATENCY_MS	10	/* added to every AWS request */

extern char **environ;

/* The child: run the controller until killed. */
static int
child_main(const char *kube_url, const char *aws_url)
{
	struct kube_conn_params	 p;
	struct controller_config cfg;
	struct kube_client	*kc;
	struct controller	*c;
	struct aws_config	 ac;
	struct aws_creds	 creds;
	struct aws		*aws;
	char			*cause = NULL;

	memset(&p, 0, sizeof(p));
	p.server = kube_url;
	setenv("AWS_ENDPOINT_URL", aws_url, 1);
	memset(&creds, 0, sizeof(creds));
	creds.access_key_id = SIM_ACCESS_KEY;
	creds.secret_access_key = SIM_SECRET_KEY;
	creds.source = "static";
	memset(&ac, 0, sizeof(ac));
	ac.region = SIM_REGION;
	ac.no_imds = 1;
	ac.static_creds = &creds;
	if ((kc = kube_client_new(kube_conn_new(&p), &cause)) == NULL ||
	    (aws = aws_new(&ac, &cause)) == NULL)
		goto fail;
	cfx_config(&cfg);
	cfg.once = 0;
	if ((c = controller_new(kc, aws, &cfg, &cause)) == NULL ||
	    controller_start(c, CFX_WAIT_MS, &cause) != 0)
		goto fail;
	for (;;)
		pause();
fail:
	fprintf(stderr, "child: %s\n", cause);
	return 1;
}

/* Lattice requests the simulator has answered. */
static uint64_t
requests(struct cfx *f)
{
	struct sim_aws_stats	st;

	sim_aws_stats(sim_aws_of(f->sim), &st);
	return st.requests;
}

/* Start the child controller; its pid. */
static pid_t
spawn_child(struct cfx *f)
{
	char	*argv[5];
	pid_t	 pid;

	argv[0] = (char *)"itest_controller_kill";
	argv[1] = (char *)"--child";
	argv[2] = (char *)sim_kube_url(f->sim);
	argv[3] = (char *)sim_aws_url(f->sim);
	argv[4] = NULL;
	if (posix_spawn(&pid, "/proc/self/exe", NULL, NULL, argv, environ) !=
	    0)
		fail_msg("posix_spawn failed");
	return pid;
}

/* How many services named name, and of target groups named prefix*. */
static int
count_services(struct cfx *f, const char *name)
{
	struct lattice_service_list	l;
	struct aws_error		err;
	size_t				i;
	int				n = 0;

	memset(&err, 0, sizeof(err));
	if (lattice_list_services(f->aws, NULL, &l, &err) != 0)
		fail_msg("ListServices: %s", err.message);
	for (i = 0; i < l.n; i++)
		n += name == NULL || strcmp(l.items[i].name, name) == 0;
	lattice_service_list_free(&l);
	return n;
}

/* Listeners and non-default rules of a service. */
static void
check_service_children(struct cfx *f, const char *name, size_t rules)
{
	struct lattice_service		svc;
	struct lattice_listener_list	ll;
	struct lattice_rule_list	rl;
	struct aws_error		err;
	size_t				i, n = 0;

	memset(&err, 0, sizeof(err));
	assert_int_equal(cfx_service(f, name, &svc), 0);
	assert_int_equal(lattice_list_listeners(f->aws, svc.id, NULL, &ll,
	    &err), 0);
	assert_int_equal(ll.n, 1);
	assert_int_equal(lattice_list_rules(f->aws, svc.id, ll.items[0].id,
	    NULL, &rl, &err), 0);
	for (i = 0; i < rl.n; i++)
		n += !rl.items[i].is_default;
	assert_int_equal(n, rules);
	lattice_rule_list_free(&rl);
	lattice_listener_list_free(&ll);
	lattice_service_free(&svc);
}

/* The Lattice state is exactly the lab's. */
static void
check_exact(struct cfx *f)
{
	struct lattice_target_group_list l;
	static const char *const tgs[] = { "k8s-default-parking-",
	    "k8s-default-review-", "k8s-default-inventory-ver1-" };
	char	*id;
	size_t	 i;
	int	 n;

	assert_int_equal(count_services(f, NULL), 2);
	assert_int_equal(count_services(f, "rates-default"), 1);
	assert_int_equal(count_services(f, "inventory-default"), 1);
	check_service_children(f, "rates-default", 2);
	check_service_children(f, "inventory-default", 1);
	cfx_tgs(f, &l);
	assert_int_equal(l.n, 3);
	lattice_target_group_list_free(&l);
	for (i = 0; i < 3; i++) {
		id = cfx_tg_id(f, tgs[i], &n);
		assert_int_equal(n, 1);
		free(id);
	}
}

/* Kill the child after k Lattice requests, then converge afresh. */
static void
kill_after(uint64_t k)
{
	struct controller_config	 cfg;
	struct controller_summary	 s;
	struct sim_faults		 faults;
	struct cfx			 f;
	uint64_t			 base, end;
	pid_t				 pid;
	int				 status;

	cfx_start(&f, KILL_DELAY_MS);
	cfx_lab(&f);
	memset(&faults, 0, sizeof(faults));
	faults.latency_ms = KILL_LATENCY_MS;
	sim_aws_set_faults(sim_aws_of(f.sim), &faults, NULL);
	base = requests(&f);
	pid = spawn_child(&f);
	end = time_mono_ms() + CFX_WAIT_MS;
	while (requests(&f) < base + k && time_mono_ms() < end)
		time_sleep_ms(1);
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	printf("killed after %llu requests (wanted %llu)\n",
	    (unsigned long long)(requests(&f) - base), (unsigned long long)k);
	assert_true(WIFSIGNALED(status));
	memset(&faults, 0, sizeof(faults));
	sim_aws_set_faults(sim_aws_of(f.sim), &faults, NULL);
	cfx_config(&cfg);
	controller_free(cfx_run(&f, &cfg, &s));
	assert_int_equal(s.failed + s.pending, 0);
	check_exact(&f);
	cfx_stop(&f);
}

/* Kills early (loading), during creates, and late (rules, status). */
static void
test_kill_points(void **state)
{
	static const uint64_t	points[] = { 3, 9, 15, 22 };
	size_t			i;

	(void)state;
	if (test_reference_dir() == NULL) {
		printf("SKIP: reference directory not found\n");
		skip();
	}
	for (i = 0; i < sizeof(points) / sizeof(points[0]); i++)
		kill_after(points[i]);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kill_points),
	};

	if (argc == 4 && strcmp(argv[1], "--child") == 0)
		return child_main(argv[2], argv[3]);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
