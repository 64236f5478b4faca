/* latticectl tui: the terminal UI against the current kubeconfig context
 * and AWS credentials. The feed (tui_feed.h) watches routes, gateways and
 * events, maps routes onto Lattice with a read-only controller, observes
 * the installer when --lab is given, and turns read-only when another
 * controller owns the GatewayClass; the UI thread only reads snapshots. */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/aws.h"
#include "latticectl/install.h"
#include "latticectl/kube.h"
#include "latticectl/log.h"
#include "latticectl/ui.h"
#include "latticectl/xmalloc.h"

#include "cli.h"
#include "cmd_engine.h"
#include "tui_feed.h"

struct tui_args {
	struct ui_opts		 ui;
	struct controller_config cfg;	/* cluster, VPC, account */
	const char		*logfile;
	const char		*lab;
};

/* The parts of a tui session (all owned). */
struct tui_session {
	struct kube_client	*kc;
	struct aws		*aws;
	struct lab_config	*lab;
	struct tui_lab		*tlab;
	struct tui_act		*act;
	struct tui_feed		*feed;
	char			*context;
	char			*server;
};

/* Log sink: every log line also goes to the events view. */
void
tui_log_sink(void *arg, enum log_level lvl, const char *module,
    const char *line)
{
	struct ui_model	*m = arg;

	(void)lvl;
	(void)module;
	ui_ring_push(&m->log, line);
	ui_model_wake(m);
}

/* Print usage for tui. */
static void
tui_usage(FILE *f)
{
	fprintf(f, "usage: latticectl tui [--readonly] [--view NAME] "
	    "[--ascii] [--log-file FILE] [--exit-after FRAMES]\n"
	    "                     [--lab lab.yaml] [--cluster-name NAME] "
	    "[--vpc-id VPC] [--account-id ID]\n"
	    "  views: routes, gateways, tg, install, events, help, ctx; "
	    "global --theme, --no-color, -n NS\n"
	    "  The Lattice chain needs the cluster name and VPC (flags, "
	    "--lab, or CLUSTER_NAME\n  and CLUSTER_VPC_ID); read-only when "
	    "another controller owns the GatewayClass.\n");
}

/* Parse tui's options into a; 0 ok, 1 help, -1 usage error. */
static int
tui_parse(int argc, char **argv, struct tui_args *a)
{
	static const struct option opts[] = {
		{ "readonly", no_argument, NULL, 'r' },
		{ "view", required_argument, NULL, 'v' },
		{ "ascii", no_argument, NULL, 'a' },
		{ "log-file", required_argument, NULL, 'l' },
		{ "exit-after", required_argument, NULL, 'x' },
		{ "lab", required_argument, NULL, 'L' },
		{ "help", no_argument, NULL, 'h' },
		CLI_ENGINE_LONGOPTS,
		{ NULL, 0, NULL, 0 }
	};
	char	*end;
	int	 c;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (cli_engine_opt(c, optarg, &a->cfg))
			continue;
		switch (c) {
		case 'r': a->ui.readonly = 1; break;
		case 'v': a->ui.start_view = optarg; break;
		case 'a': a->ui.ascii = 1; break;
		case 'l': a->logfile = optarg; break;
		case 'L': a->lab = optarg; break;
		case 'x':
			a->ui.exit_after = strtol(optarg, &end, 10);
			if (*end != '\0' || a->ui.exit_after < 1)
				return -1;
			break;
		case 'h': tui_usage(stdout); return 1;
		default: return -1;
		}
	}
	return optind == argc ? 0 : -1;
}

/* Connect (local work only: kubeconfig and client, no requests). */
static int
tui_connect(struct cli_global *g, struct tui_session *t)
{
	struct kube_config_opts	 ko;
	struct kube_conn	*conn = NULL;
	struct aws_config	 ac;
	char			*cause = NULL;

	memset(&ko, 0, sizeof ko);
	ko.kubeconfig = g->kubeconfig;
	ko.context = g->context;
	ko.ns = g->ns;
	if (kube_conn_load(&ko, &conn, &cause) != 0 ||
	    (t->kc = kube_client_new(conn, &cause)) == NULL) {
		fprintf(stderr, "latticectl tui: %s\n", cause);
		free(cause);
		return -1;
	}
	t->context = xstrdup(kube_conn_context(conn));
	t->server = xstrdup(kube_conn_server(conn));
	memset(&ac, 0, sizeof ac);
	ac.region = g->region;
	ac.profile = g->profile;
	if ((t->aws = aws_new(&ac, &cause)) == NULL) {
		/* No AWS: routes only; the header says why. */
		log_msg(LOG_LEVEL_WARN, "tui", "AWS: %s", cause);
		free(cause);
	}
	return 0;
}

/* The installer observed read-only (--lab). */
static int
tui_lab_open(struct cli_global *g, struct tui_args *a, struct tui_session *t)
{
	struct tui_lab_opts	 lo;
	char			*cause = NULL;

	if (a->lab == NULL)
		return 0;
	if (t->aws == NULL) {
		fprintf(stderr, "latticectl tui: --lab needs AWS credentials\n");
		return -1;
	}
	if (lab_config_load(a->lab, &t->lab, &cause) != 0)
		goto fail;
	memset(&lo, 0, sizeof lo);
	lo.lab = t->lab;
	lo.aws = t->aws;
	lo.kc = t->kc;
	lo.kubeconfig = g->kubeconfig;
	lo.context = g->context;
	if ((t->tlab = tui_lab_new(&lo, &cause)) == NULL)
		goto fail;
	if (a->cfg.cluster_name == NULL)
		a->cfg.cluster_name = t->lab->cluster.name;
	if (a->cfg.vpc_id == NULL)
		a->cfg.vpc_id = t->lab->cluster.vpc_id;
	if (a->cfg.account_id == NULL)
		a->cfg.account_id = t->lab->account_id;
	return 0;
fail:
	fprintf(stderr, "latticectl tui: %s\n", cause);
	free(cause);
	return -1;
}

/* Start the action worker and the feed. */
static void
tui_start(struct cli_global *g, struct tui_args *a, struct tui_session *t,
    struct ui_model *m)
{
	struct tui_act_opts	ao;
	struct tui_feed_opts	fo;

	memset(&ao, 0, sizeof ao);
	ao.kc = t->kc;
	ao.aws = t->aws;
	ao.ns = g->ns;
	ao.cluster_name = a->cfg.cluster_name;
	ao.vpc_id = a->cfg.vpc_id;
	ao.account_id = a->cfg.account_id;
	ao.lab = t->tlab;
	ao.model = m;
	t->act = tui_act_start(&ao);
	memset(&fo, 0, sizeof fo);
	fo.kc = t->kc;
	fo.aws = t->aws;
	fo.context = t->context;
	fo.server = t->server;
	fo.ns = g->ns;
	fo.readonly = a->ui.readonly;
	fo.detect_owner = 1;
	fo.owner_ns = t->lab != NULL ? t->lab->ns : NULL;
	fo.gatewayclass = t->lab != NULL ? t->lab->gatewayclass : NULL;
	fo.cluster_name = a->cfg.cluster_name;
	fo.vpc_id = a->cfg.vpc_id;
	fo.account_id = a->cfg.account_id;
	fo.lab = t->tlab;
	fo.act = t->act;
	t->feed = tui_feed_start(&fo, m);
	tui_act_set_feed(t->act, t->feed);
	if (t->tlab != NULL) {
		tui_lab_set_feed(t->tlab, t->feed);
		tui_act_queue(t->act, "install.recheck", NULL);
	}
}

/* Stop and free everything of a session. */
static void
tui_session_close(struct tui_session *t)
{
	/* Detach the feed, stop it, then what it reads. */
	if (t->tlab != NULL)
		tui_lab_set_feed(t->tlab, NULL);
	if (t->act != NULL)
		tui_act_set_feed(t->act, NULL);
	tui_feed_stop(t->feed);
	tui_act_stop(t->act);
	tui_lab_free(t->tlab);
	lab_config_free(t->lab);
	aws_free(t->aws);
	kube_client_free(t->kc);
	free(t->context);
	free(t->server);
}

/* Open the log file (default /dev/null: stderr is the screen). */
FILE *
tui_log_open(struct cli_global *g, const char *path, struct ui_model *m)
{
	enum log_level	 lvl = LOG_LEVEL_INFO;
	enum log_format	 fmt = LOG_FORMAT_TEXT;
	FILE		*fp;

	if (g->log_level != NULL)
		log_level_parse(g->log_level, &lvl);
	if (g->log_format != NULL)
		log_format_parse(g->log_format, &fmt);
	if ((fp = fopen(path != NULL ? path : "/dev/null", "a")) == NULL)
		return NULL;
	log_close();
	log_open(lvl, fmt, fp);
	log_set_sink(tui_log_sink, m);
	return fp;
}

/* latticectl tui: start the producer, run the UI, stop both. */
int
cmd_tui(struct cli_global *g, int argc, char **argv)
{
	struct tui_args		 a;
	struct tui_session	 t;
	struct ui_model		 m;
	FILE			*logfp;
	char			*cause = NULL;
	int			 rc;

	memset(&a, 0, sizeof a);
	memset(&t, 0, sizeof t);
	if ((rc = tui_parse(argc, argv, &a)) != 0) {
		if (rc < 0)
			tui_usage(stderr);
		return rc < 0 ? 2 : 0;
	}
	if (controller_config_env(&a.cfg, &cause) != 0) {
		fprintf(stderr, "latticectl tui: %s\n", cause);
		free(cause);
		return 2;
	}
	a.ui.theme = g->theme;
	a.ui.no_color = g->no_color;
	signal(SIGPIPE, SIG_IGN);
	ui_model_init(&m, 2000);
	if ((logfp = tui_log_open(g, a.logfile, &m)) == NULL) {
		fprintf(stderr, "latticectl tui: cannot open %s\n", a.logfile);
		ui_model_destroy(&m);
		return 1;
	}
	if (tui_connect(g, &t) != 0 || tui_lab_open(g, &a, &t) != 0) {
		tui_session_close(&t);
		log_close();
		fclose(logfp);
		ui_model_destroy(&m);
		return 1;
	}
	log_msg(LOG_LEVEL_INFO, "tui", "context %s, server %s", t.context,
	    t.server);
	tui_start(g, &a, &t, &m);
	a.ui.action = tui_act_ui;
	a.ui.action_arg = t.act;
	rc = ui_run(&m, &a.ui);
	tui_session_close(&t);
	log_close();
	fclose(logfp);
	ui_model_destroy(&m);
	if (rc != 0)
		fprintf(stderr, "latticectl tui: needs a terminal\n");
	return rc;
}
