/* `latticectl sim`: the simulator alone, until SIGINT/SIGTERM. */
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define LOG_MODULE "sim"
#include "latticectl/log.h"
#include "latticectl/xmalloc.h"
#include "../sim/sim.h"
#include "cli.h"

#define SIM_SAVE_PERIOD_S 30

/* Print the command's usage. */
static void
cmd_sim_usage(FILE *f)
{
	fprintf(f, "usage: latticectl sim [--listen ADDR:PORT] "
	    "[--aws-listen ADDR:PORT] [--state FILE]\n"
	    "                      [--faults SPEC] [--rate FAMILY:N] "
	    "[--tls | --no-tls] [--dir DIR] [--delay MS]\n"
	    "                      [--record FILE] [--writer NAME]...\n\n"
	    "Serves a simulated Kubernetes API (TLS, token auth) and a "
	    "simulated AWS endpoint\n(VPC Lattice, EC2, IAM, STS, EKS) on "
	    "loopback, prints the export lines to use them,\nand runs until "
	    "SIGINT/SIGTERM, saving --state on exit and every %d s.\n\n"
	    "--faults: comma-separated throttle=[FAMILY:]P, error=P, "
	    "latency=DUR,\n  watchdrop=DUR, rate=[FAMILY:]N (FAMILY: lattice, "
	    "ec2, iam, sts, eks, kube, all)\n"
	    "--record FILE: append one JSON line per API request answered "
	    "(time, api,\n  writer, method, path, status)\n"
	    "--writer NAME: a principal of its own (AWS keys and a token) in "
	    "DIR/writer-NAME.env\n  and DIR/writer-NAME.kubeconfig, named "
	    "in the record\n", SIM_SAVE_PERIOD_S);
}

/* Append "rate=SPEC" to the fault spec being built. */
static void
cmd_sim_add_rate(char **faults, const char *spec)
{
	char	*n;

	if (*faults == NULL)
		xasprintf(&n, "rate=%s", spec);
	else
		xasprintf(&n, "%s,rate=%s", *faults, spec);
	free(*faults);
	*faults = n;
}

/* Append a --writer name to the NULL-ended list. */
static void
cmd_sim_add_writer(const char ***writers, const char *name)
{
	size_t	n = 0;

	while (*writers != NULL && (*writers)[n] != NULL)
		n++;
	*writers = xreallocarray(*writers, n + 2, sizeof **writers);
	(*writers)[n] = name;
	(*writers)[n + 1] = NULL;
}

/* Parse the options into o; returns -1 on a usage error. */
static int
cmd_sim_parse(int argc, char **argv, struct sim_opts *o, char **faults,
    const char ***writers)
{
	static const struct option opts[] = {
		{ "listen", required_argument, NULL, 'l' },
		{ "aws-listen", required_argument, NULL, 'a' },
		{ "state", required_argument, NULL, 's' },
		{ "faults", required_argument, NULL, 'f' },
		{ "rate", required_argument, NULL, 'r' },
		{ "tls", no_argument, NULL, 't' },
		{ "no-tls", no_argument, NULL, 'T' },
		{ "dir", required_argument, NULL, 'd' },
		{ "delay", required_argument, NULL, 'D' },
		{ "record", required_argument, NULL, 'R' },
		{ "writer", required_argument, NULL, 'W' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int	c;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'l': o->listen = optarg; break;
		case 'a': o->aws_listen = optarg; break;
		case 's': o->state_file = optarg; break;
		case 'f':
			free(*faults);
			*faults = xstrdup(optarg);
			break;
		case 'r': cmd_sim_add_rate(faults, optarg); break;
		case 't': o->no_tls = 0; break;
		case 'T': o->no_tls = 1; break;
		case 'd': o->dir = optarg; break;
		case 'D': o->delay_ms = (unsigned)strtoul(optarg, NULL, 10); break;
		case 'R': o->record = optarg; break;
		case 'W': cmd_sim_add_writer(writers, optarg); break;
		case 'h': cmd_sim_usage(stdout); exit(0);
		default: cmd_sim_usage(stderr); return -1;
		}
	}
	if (optind != argc) {
		cmd_sim_usage(stderr);
		return -1;
	}
	o->faults = *faults;
	o->writers = *writers;
	return 0;
}

/* Save, reporting failures without stopping. */
static void
cmd_sim_save(struct sim *sim)
{
	char	*cause = NULL;

	if (sim_save(sim, &cause) != 0) {
		log_error("saving state: %s", cause);
		free(cause);
	}
}

/* Serve until a terminating signal; save periodically. */
static void
cmd_sim_wait(struct sim *sim, const sigset_t *set)
{
	struct timespec	ts = { SIM_SAVE_PERIOD_S, 0 };
	int		sig;

	for (;;) {
		sig = sigtimedwait(set, NULL, &ts);
		if (sig == SIGINT || sig == SIGTERM || sig == SIGHUP)
			break;
		cmd_sim_save(sim);
	}
}

/* The sim command. */
int
cmd_sim(struct cli_global *g, int argc, char **argv)
{
	struct sim_opts	 o;
	struct sim	*sim;
	sigset_t	 set;
	char		*faults = NULL, *cause = NULL;
	const char	**writers = NULL;

	(void)g;
	memset(&o, 0, sizeof o);
	if (cmd_sim_parse(argc, argv, &o, &faults, &writers) != 0) {
		free(writers);
		return 2;
	}
	/* Block the signals before any thread starts: only we take them. */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (sim_start(&o, &sim, &cause) != 0) {
		fprintf(stderr, "latticectl sim: %s\n", cause);
		free(cause);
		free(faults);
		free(writers);
		return 1;
	}
	sim_print_env(sim, stdout);
	cmd_sim_wait(sim, &set);
	cmd_sim_save(sim);
	sim_stop(sim);
	free(faults);
	free(writers);
	return 0;
}
