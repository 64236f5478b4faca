/* latticectl plan: what the engine would change in VPC Lattice, without
 * writing anything. Exit 0 in sync, 2 drift, 1 error. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "latticectl/json.h"
#include "latticectl/strbuf.h"

#include "cmd_engine.h"

#define PLAN_EXIT_SYNC	0
#define PLAN_EXIT_ERROR	1
#define PLAN_EXIT_DRIFT	2

struct plan_cli {
	struct controller_config cfg;
	int			 json;
	int			 all_ns;
	const char		*ns;
};

/* Print the usage. */
static void
plan_usage(FILE *f)
{
	fprintf(f, "usage: latticectl plan [-n NS | -A] [-o table|json]\n"
	    "Desired (from the Kubernetes objects) against actual (VPC "
	    "Lattice), no writes.\nExit status: 0 in sync, 2 drift, 1 error. "
	    "All namespaces unless -n is given.\n" CLI_ENGINE_USAGE);
}

/* Parse the options; -1 on a usage error. */
static int
plan_parse(struct cli_global *g, int argc, char **argv, struct plan_cli *o)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "namespace", required_argument, NULL, 'n' },
		{ "all-namespaces", no_argument, NULL, 'A' },
		{ "help", no_argument, NULL, 'h' },
		CLI_ENGINE_LONGOPTS,
		{ NULL, 0, NULL, 0 }
	};
	int	c;

	o->ns = g->ns;
	while ((c = getopt_long(argc, argv, "o:n:Ah", opts, NULL)) != -1) {
		if (cli_engine_opt(c, optarg, &o->cfg))
			continue;
		switch (c) {
		case 'o':
			if (strcmp(optarg, "json") != 0 &&
			    strcmp(optarg, "table") != 0) {
				fprintf(stderr, "latticectl plan: -o: table or "
				    "json\n");
				return -1;
			}
			o->json = strcmp(optarg, "json") == 0;
			break;
		case 'n': o->ns = optarg; break;
		case 'A': o->all_ns = 1; break;
		case 'h': plan_usage(stdout); exit(0);
		default: plan_usage(stderr); return -1;
		}
	}
	if (optind != argc) {
		plan_usage(stderr);
		return -1;
	}
	if (o->all_ns)
		o->ns = NULL;
	return 0;
}

/* The plan command. */
int
cmd_plan(struct cli_global *g, int argc, char **argv)
{
	struct plan_cli		 o;
	struct cli_engine	 e;
	struct strbuf		 table;
	cJSON			*out = NULL;
	char			*cause = NULL, *s;
	int			 rc;

	memset(&o, 0, sizeof(o));
	o.cfg.no_events = 1;
	if (plan_parse(g, argc, argv, &o) != 0)
		return PLAN_EXIT_ERROR;
	if (cli_engine_open(g, "plan", &o.cfg, &e) != 0)
		return PLAN_EXIT_ERROR;
	strbuf_init(&table);
	if (controller_load(e.ctl, o.ns, &cause) != 0 ||
	    (rc = controller_plan(e.ctl, o.ns, &out, &table, &cause)) < 0) {
		fprintf(stderr, "latticectl plan: %s\n", cause);
		free(cause);
		strbuf_free(&table);
		cli_engine_close(&e);
		return PLAN_EXIT_ERROR;
	}
	if (o.json) {
		s = json_print(out);
		printf("%s\n", s);
		free(s);
	} else
		fputs(table.buf, stdout);
	cJSON_Delete(out);
	strbuf_free(&table);
	cli_engine_close(&e);
	return rc > 0 ? PLAN_EXIT_DRIFT : PLAN_EXIT_SYNC;
}
