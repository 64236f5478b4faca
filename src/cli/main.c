/* latticectl entry point: global options, then dispatch to a command. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "latticectl/log.h"
#include "cli.h"

struct cli_command {
	const char	*name;
	int		(*fn)(struct cli_global *, int, char **);
	const char	*help;
};

static const struct cli_command cli_commands[] = {
	{ "aws", cmd_aws, "AWS helpers: `aws whoami` shows account, ARN, "
	    "region, credential source and endpoints" },
	{ "controller", cmd_controller, "the headless reconciler: [--once] "
	    "[--dry-run] [--workers N] [--leader-elect] [--metrics-addr A] "
	    "[--health-addr A]" },
	{ "demo", cmd_demo, "the practice lab offline in one process: "
	    "simulator, installer, engine, TUI [--no-tui]" },
	{ "doctor", cmd_doctor, "check every link from a route to Lattice "
	    "traffic: [ROUTE] [-n NS] [-o table|json]; exit 0 OK, 1 findings, "
	    "2 could not check" },
	{ "get", cmd_get, "read what latticectl watches: KIND [NAME] "
	    "[-n NS|-A] [-o table|json|yaml] [-w]" },
	{ "install", cmd_install, "run the lab's steps from lab.yaml: --init, "
	    "--dry-run, --yes, --only, --from, -o plain|json" },
	{ "map", cmd_map, "route -> VPC Lattice mapping: [ROUTE] [-n NS|-A] "
	    "[-o table|json|tree]" },
	{ "plan", cmd_plan, "desired vs actual, no writes: [-o table|json]; "
	    "exit 0 in sync, 2 drift, 1 error" },
	{ "sim", cmd_sim, "the simulator: a Kubernetes API and an AWS "
	    "endpoint on loopback" },
	{ "tui", cmd_tui, "the terminal UI against the current kubeconfig "
	    "context: [--readonly] [--view NAME]" },
	{ "uninstall", cmd_uninstall, "undo the lab's steps in reverse order "
	    "(Lattice resources first)" },
	{ "version", cmd_version, "print the version" },
	{ NULL, NULL, NULL }
};

/* Print the usage text to f. */
static void
cli_usage(FILE *f)
{
	const struct cli_command	*c;

	fprintf(f, "usage: latticectl [global options] command [args]\n\n"
	    "commands:\n");
	for (c = cli_commands; c->name != NULL; c++)
		fprintf(f, "  %-12s %s\n", c->name, c->help);
	fprintf(f, "\nglobal options:\n"
	    "  --kubeconfig FILE  --context NAME  -n, --namespace NS\n"
	    "  --region REGION    --profile NAME\n"
	    "  --log-level trace|debug|info|warn|error   "
	    "--log-format text|json\n"
	    "  --no-color  --theme NAME  -h, --help\n");
}

/* Set up logging from the global options; 0 ok. */
static int
cli_log_setup(struct cli_global *g)
{
	enum log_level	lvl = LOG_LEVEL_WARN;
	enum log_format	fmt = LOG_FORMAT_TEXT;
	const char	*s = g->log_level;

	if (s == NULL)
		s = getenv("LOG_LEVEL");
	if (s != NULL && log_level_parse(s, &lvl) != 0) {
		fprintf(stderr, "latticectl: --log-level: unknown level '%s' "
		    "(trace, debug, info, warn, error, off)\n", s);
		return -1;
	}
	if (g->log_format != NULL &&
	    log_format_parse(g->log_format, &fmt) != 0) {
		fprintf(stderr, "latticectl: --log-format: unknown format "
		    "'%s' (text, json)\n", g->log_format);
		return -1;
	}
	log_open(lvl, fmt, NULL);
	return 0;
}

/* Parse the global options that come before the command. */
static int
cli_parse_global(struct cli_global *g, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "kubeconfig", required_argument, NULL, 'K' },
		{ "context", required_argument, NULL, 'C' },
		{ "namespace", required_argument, NULL, 'n' },
		{ "region", required_argument, NULL, 'R' },
		{ "profile", required_argument, NULL, 'P' },
		{ "log-level", required_argument, NULL, 'L' },
		{ "log-format", required_argument, NULL, 'F' },
		{ "theme", required_argument, NULL, 'T' },
		{ "no-color", no_argument, NULL, 'N' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int	c;

	while ((c = getopt_long(argc, argv, "+n:h", opts, NULL)) != -1) {
		switch (c) {
		case 'K': g->kubeconfig = optarg; break;
		case 'C': g->context = optarg; break;
		case 'n': g->ns = optarg; break;
		case 'R': g->region = optarg; break;
		case 'P': g->profile = optarg; break;
		case 'L': g->log_level = optarg; break;
		case 'F': g->log_format = optarg; break;
		case 'T': g->theme = optarg; break;
		case 'N': g->no_color = 1; break;
		case 'h': cli_usage(stdout); exit(0);
		default: cli_usage(stderr); return -1;
		}
	}
	return optind;
}

/* Find the command called name. */
static const struct cli_command *
cli_find(const char *name)
{
	const struct cli_command	*c;

	for (c = cli_commands; c->name != NULL; c++) {
		if (strcmp(c->name, name) == 0)
			return c;
	}
	return NULL;
}

int
main(int argc, char **argv)
{
	struct cli_global		 g;
	const struct cli_command	*c;
	int				 first, r;

	memset(&g, 0, sizeof g);
	if (getenv("NO_COLOR") != NULL && *getenv("NO_COLOR") != '\0')
		g.no_color = 1;
	if ((first = cli_parse_global(&g, argc, argv)) < 0)
		return 2;
	if (cli_log_setup(&g) != 0)
		return 2;
	if (first >= argc) {
		cli_usage(isatty(STDOUT_FILENO) ? stdout : stderr);
		return 2;
	}
	if ((c = cli_find(argv[first])) == NULL) {
		fprintf(stderr, "latticectl: unknown command '%s'\n",
		    argv[first]);
		cli_usage(stderr);
		return 2;
	}
	/* optind 0 makes GNU getopt start afresh (the global scan used "+"). */
	optind = 0;
	r = c->fn(&g, argc - first, argv + first);
	log_close();
	return r;
}
