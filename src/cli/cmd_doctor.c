/* latticectl doctor: check every link from a route to Lattice traffic
 * and name the broken one (exit 0 all OK, 1 findings, 2 could not
 * check). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "latticectl/doctor.h"
#include "latticectl/json.h"
#include "latticectl/strbuf.h"

#include "cli.h"

#define DOC_OPT_CLUSTER	0x2001
#define DOC_OPT_VPC	0x2002
#define DOC_OPT_ACCOUNT	0x2003
#define DOC_OPT_CTL_NS	0x2004

struct doctor_cli {
	struct doctor_opts	 o;
	int			 json;
};

/* Print the usage. */
static void
doctor_usage(FILE *f)
{
	fprintf(f, "usage: latticectl doctor [ROUTE] [-n NS] [-o table|json]\n"
	    "  [--cluster[-name] NAME] [--vpc-id VPC] [--account-id ID]\n"
	    "  [--controller-namespace NS]\n"
	    "Check, in order, the controller, its identity, the CRDs, the "
	    "security group,\nthe service network and VPC association, and "
	    "each route's service, rules,\ntarget groups, targets and "
	    "health. ROUTE is NAME or KIND/NAME.\n"
	    "Exit 0: all OK; 1: findings (WARN or FAIL); 2: could not "
	    "check.\n");
}

/* Parse the options; -1 on a usage error. */
static int
doctor_parse(struct cli_global *g, int argc, char **argv,
    struct doctor_cli *c)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "namespace", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ "cluster-name", required_argument, NULL, DOC_OPT_CLUSTER },
		{ "cluster", required_argument, NULL, DOC_OPT_CLUSTER },
		{ "vpc-id", required_argument, NULL, DOC_OPT_VPC },
		{ "account-id", required_argument, NULL, DOC_OPT_ACCOUNT },
		{ "controller-namespace", required_argument, NULL,
		    DOC_OPT_CTL_NS },
		{ NULL, 0, NULL, 0 }
	};
	int	ch;

	c->o.ns = g->ns;
	while ((ch = getopt_long(argc, argv, "o:n:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'o':
			if (strcmp(optarg, "json") == 0)
				c->json = 1;
			else if (strcmp(optarg, "table") != 0) {
				fprintf(stderr, "latticectl doctor: -o: table "
				    "or json\n");
				return -1;
			}
			break;
		case 'n': c->o.ns = optarg; break;
		case DOC_OPT_CLUSTER: c->o.cluster_name = optarg; break;
		case DOC_OPT_VPC: c->o.vpc_id = optarg; break;
		case DOC_OPT_ACCOUNT: c->o.account_id = optarg; break;
		case DOC_OPT_CTL_NS: c->o.controller_ns = optarg; break;
		case 'h': doctor_usage(stdout); exit(0);
		default: doctor_usage(stderr); return -1;
		}
	}
	if (optind < argc)
		c->o.route = argv[optind++];
	if (optind != argc) {
		doctor_usage(stderr);
		return -1;
	}
	return 0;
}

/* The Kubernetes client and AWS context from the global options. */
static int
doctor_connect(struct cli_global *g, struct doctor_opts *o, char **cause)
{
	struct kube_config_opts	 ko;
	struct kube_conn	*conn = NULL;
	struct aws_config	 ac;

	memset(&ko, 0, sizeof(ko));
	ko.kubeconfig = g->kubeconfig;
	ko.context = g->context;
	ko.ns = g->ns;
	if (kube_conn_load(&ko, &conn, cause) != 0 ||
	    (o->kc = kube_client_new(conn, cause)) == NULL)
		return -1;
	memset(&ac, 0, sizeof(ac));
	ac.region = g->region;
	if (ac.region == NULL && getenv("REGION") != NULL &&
	    *getenv("REGION") != '\0')
		ac.region = getenv("REGION");
	ac.profile = g->profile;
	if ((o->aws = aws_new(&ac, cause)) == NULL)
		return -1;
	return 0;
}

/* The doctor command. */
int
cmd_doctor(struct cli_global *g, int argc, char **argv)
{
	struct doctor_cli	 c;
	struct strbuf		 sb;
	cJSON			*report = NULL;
	char			*cause = NULL, *s;
	int			 rc = 2;

	memset(&c, 0, sizeof(c));
	if (doctor_parse(g, argc, argv, &c) != 0)
		return 2;
	if (doctor_connect(g, &c.o, &cause) == 0 && c.o.ns == NULL &&
	    c.o.route != NULL)
		c.o.ns = kube_conn_namespace(kube_client_conn(c.o.kc));
	if (c.o.kc == NULL || c.o.aws == NULL ||
	    doctor_run(&c.o, &report, &cause) != 0) {
		fprintf(stderr, "latticectl doctor: could not check: %s\n",
		    cause);
		free(cause);
		goto out;
	}
	if (c.json) {
		s = json_print(report);
		printf("%s\n", s);
		free(s);
	} else {
		strbuf_init(&sb);
		doctor_format_table(report, !g->no_color &&
		    isatty(STDOUT_FILENO), &sb);
		fputs(sb.buf, stdout);
		strbuf_free(&sb);
	}
	rc = doctor_exit_code(report);
out:
	cJSON_Delete(report);
	aws_free(c.o.aws);
	kube_client_free(c.o.kc);
	return rc;
}
