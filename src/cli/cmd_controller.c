/* latticectl controller: the headless reconciler. Runs until SIGINT or
 * SIGTERM, or with --once converges and exits (0 converged, 1 not; with
 * --dry-run 0 in sync, 2 drift). */
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "latticectl/json.h"
#include "latticectl/upstream.h"
#include "latticectl/xmalloc.h"

#include "cmd_engine.h"

#define CTL_ONCE_TIMEOUT_S	300
#define CTL_SYNC_TIMEOUT_MS	120000

struct ctl_opts {
	struct controller_config cfg;
	unsigned		 timeout_s;
};

/* Print the usage. */
static void
ctl_usage(FILE *f)
{
	fprintf(f, "usage: latticectl controller [--once [--timeout SECONDS]] "
	    "[--dry-run] [--workers N]\n"
	    "                             [--leader-elect] "
	    "[--metrics-addr ADDR] [--health-addr ADDR]\n"
	    "                             [--resync-seconds N] "
	    "[--lattice-rps N]\n"
	    "Keeps VPC Lattice in sync with the Gateway API objects, as the "
	    "AWS Gateway API\nController does (same names, tags, annotations, "
	    "finalizers and conditions).\n"
	    "  --once            converge, then exit 0 if converged (1 if not)\n"
	    "  --dry-run         write nothing: log the plans (with --once: "
	    "exit 2 on drift)\n"
	    "  --workers N       route workers (ROUTE_MAX_CONCURRENT_"
	    "RECONCILES, default 1)\n"
	    "  --leader-elect    write only while holding the Lease \"%s\"\n"
	    "  --metrics-addr A  serve /metrics on A (\":8080\")\n"
	    "  --health-addr A   serve /healthz and /readyz on A (\":8081\")\n"
	    "  --resync-seconds N  drift check period (RECONCILE_DEFAULT_"
	    "RESYNC_SECONDS)\n"
	    "  --lattice-rps N   VPC Lattice calls per second, client side "
	    "(LATTICE_RPS,\n"
	    "                    default 20; burst LATTICE_BURST)\n"
	    CLI_ENGINE_USAGE, UP_LEADER_ELECTION_ID);
}

/* A non-negative number option; -1 when malformed. */
static long
ctl_number(const char *s, const char *what)
{
	char	*end;
	long	 v = strtol(s, &end, 10);

	if (*s == '\0' || *end != '\0' || v < 0) {
		fprintf(stderr, "latticectl controller: %s: not a number: "
		    "%s\n", what, s);
		return -1;
	}
	return v;
}

/* Parse the options; -1 on a usage error. */
static int
ctl_parse(int argc, char **argv, struct ctl_opts *o)
{
	static const struct option opts[] = {
		{ "once", no_argument, NULL, 'o' },
		{ "dry-run", no_argument, NULL, 'd' },
		{ "workers", required_argument, NULL, 'w' },
		{ "leader-elect", no_argument, NULL, 'l' },
		{ "metrics-addr", required_argument, NULL, 'm' },
		{ "health-addr", required_argument, NULL, 'H' },
		{ "timeout", required_argument, NULL, 't' },
		{ "resync-seconds", required_argument, NULL, 'r' },
		{ "lattice-rps", required_argument, NULL, 'R' },
		{ "help", no_argument, NULL, 'h' },
		CLI_ENGINE_LONGOPTS,
		{ NULL, 0, NULL, 0 }
	};
	long	v;
	int	c;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (cli_engine_opt(c, optarg, &o->cfg))
			continue;
		switch (c) {
		case 'o': o->cfg.once = 1; break;
		case 'd': o->cfg.dry_run = 1; break;
		case 'l': o->cfg.leader_elect = 1; break;
		case 'm': o->cfg.metrics_addr = optarg; break;
		case 'H': o->cfg.health_addr = optarg; break;
		case 'w':
		case 't':
		case 'r':
			if ((v = ctl_number(optarg, c == 'w' ? "--workers" :
			    c == 't' ? "--timeout" : "--resync-seconds")) < 0)
				return -1;
			if (c == 'w')
				o->cfg.workers = (unsigned)v;
			else if (c == 't')
				o->timeout_s = (unsigned)v;
			else
				o->cfg.resync_s = (unsigned)v;
			break;
		case 'R':
			if ((v = ctl_number(optarg, "--lattice-rps")) <= 0) {
				if (v == 0)
					fprintf(stderr, "latticectl controller: "
					    "--lattice-rps: must be positive\n");
				return -1;
			}
			o->cfg.lattice_rps = (double)v;
			break;
		case 'h': ctl_usage(stdout); exit(0);
		default: ctl_usage(stderr); return -1;
		}
	}
	if (optind != argc) {
		ctl_usage(stderr);
		return -1;
	}
	return 0;
}

/* Print the keys that did not converge; the exit code for --once. */
static int
ctl_report(struct controller *ctl, const struct controller_summary *s,
    int dry)
{
	cJSON		*keys = controller_keys_json(ctl);
	const cJSON	*k;
	const char	*st;

	cJSON_ArrayForEach(k, keys) {
		st = json_str(k, "state");
		if (strcmp(st, "converged") != 0)
			printf("%-9s %s: %s\n", st, json_str(k, "key"),
			    json_str(k, "message"));
	}
	cJSON_Delete(keys);
	printf("%zu keys: %zu converged, %zu pending, %zu blocked, %zu failed"
	    "%s", s->keys, s->converged, s->pending, s->blocked, s->failed,
	    dry ? "" : "\n");
	if (dry)
		printf(", %zu with drift\n", s->drift);
	if (dry)
		return s->failed > 0 ? 1 : s->drift > 0 ? 2 : 0;
	return s->converged == s->keys ? 0 : 1;
}

/* Serve until SIGINT or SIGTERM. */
static void
ctl_serve(const sigset_t *set)
{
	int	sig = 0;

	while (sig != SIGINT && sig != SIGTERM)
		sigwait(set, &sig);
}

/* The controller command. */
int
cmd_controller(struct cli_global *g, int argc, char **argv)
{
	struct ctl_opts			o;
	struct cli_engine		e;
	struct controller_summary	s;
	sigset_t			set;
	char				*cause = NULL;
	int				rc = 0;

	memset(&o, 0, sizeof(o));
	o.timeout_s = CTL_ONCE_TIMEOUT_S;
	if (ctl_parse(argc, argv, &o) != 0)
		return 2;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (cli_engine_open(g, "controller", &o.cfg, &e) != 0)
		return 1;
	if (controller_start(e.ctl, CTL_SYNC_TIMEOUT_MS, &cause) != 0) {
		fprintf(stderr, "latticectl controller: %s\n", cause);
		free(cause);
		cli_engine_close(&e);
		return 1;
	}
	if (!o.cfg.once)
		ctl_serve(&set);
	else if (controller_wait_converged(e.ctl, (uint64_t)o.timeout_s *
	    1000, &s) != 0) {
		fprintf(stderr, "latticectl controller: not converged after "
		    "%u s\n", o.timeout_s);
		rc = 1;
	} else
		rc = ctl_report(e.ctl, &s, o.cfg.dry_run);
	cli_engine_close(&e);
	return rc;
}
