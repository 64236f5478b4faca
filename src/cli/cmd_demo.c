/* latticectl demo: the practice lab in one process. The simulator
 * (Kubernetes API and AWS endpoint on loopback), clients made as if its
 * export lines were in the environment, the lab.yaml `install --init
 * --mode latticectl` would write, the installer run from the TUI (or all
 * at once with --no-tui), the engine started in-process when the
 * controller step is Ready (the simulator's controller pods are
 * simulated), the lab's sample workloads from a menu, and the dashboard
 * fed by tui_feed. Everything is stopped and the temporary directory
 * removed (unless --keep) on every exit path. */
#include <sys/stat.h>

#include <errno.h>
#include <ftw.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "latticectl/aws.h"
#include "latticectl/install.h"
#include "latticectl/json.h"
#include "latticectl/kube.h"
#include "latticectl/log.h"
#include "latticectl/timeutil.h"
#include "latticectl/ui.h"
#include "latticectl/xmalloc.h"

#include "../sim/sim.h"
#include "cli.h"
#include "tui_feed.h"

#define DEMO_DELAY_MS		300	/* the simulator's AWS delays */
#define DEMO_POLL_MS		250	/* installer polls */
#define DEMO_TIMEOUT_S		300	/* --no-tui: whole lab */
#define DEMO_ENGINE_WAIT_MS	60000
#define DEMO_NS			"default"

struct demo_args {
	int		 no_tui;
	int		 keep;
	int		 ascii;
	long		 exit_after;
	unsigned	 delay_ms;
	unsigned	 timeout_s;
	const char	*state;
	const char	*theme;
	const char	*logfile;
	const char	*view;
};

/* Everything the demo owns. */
struct demo {
	struct demo_args	 a;
	char			*dir;
	struct sim		*sim;
	struct aws		*aws;
	struct kube_client	*kc;
	struct lab_config	*lab;
	struct tui_lab		*tlab;
	struct tui_act		*act;
	struct tui_feed		*feed;
	struct ui_model		 model;
	int			 model_on;
	FILE			*logfp;
	char			*context;
	char			*server;
	sigset_t		 sigs;
	volatile sig_atomic_t	 stop;
};

/* Print the usage. */
static void
demo_usage(FILE *f)
{
	fprintf(f, "usage: latticectl demo [--no-tui] [--state FILE] "
	    "[--theme T] [--exit-after N] [--keep]\n"
	    "                      [--log-file FILE] [--ascii] [--delay MS] "
	    "[--timeout SECONDS] [--view NAME]\n\n"
	    "The practice lab offline, in one process: the simulator, the "
	    "installer (run it\nfrom the Installer view), the engine (started "
	    "when the controller step is Ready),\nthe lab's sample workloads "
	    "(w in the Installer view) and the dashboard.\n"
	    "  --no-tui      install every step, apply every workload, wait "
	    "until the routes\n                converge, print the route -> "
	    "Lattice tree; exit 0 (1 on failure)\n"
	    "  --state FILE  the simulator's state: loaded at start, saved "
	    "at exit\n"
	    "  --keep        keep the temporary directory (kubeconfig, "
	    "lab.yaml, demo.log)\n"
	    "  --exit-after N  quit after N frames (smoke runs)\n");
}

/* A positive number; -1 when malformed. */
static long
demo_number(const char *s)
{
	char	*end;
	long	 v = strtol(s, &end, 10);

	return *s == '\0' || *end != '\0' || v < 0 ? -1 : v;
}

/* Parse the options; 0 ok, 1 help, -1 usage error. */
static int
demo_parse(int argc, char **argv, struct demo_args *a)
{
	static const struct option opts[] = {
		{ "no-tui", no_argument, NULL, 'n' },
		{ "state", required_argument, NULL, 's' },
		{ "theme", required_argument, NULL, 't' },
		{ "exit-after", required_argument, NULL, 'x' },
		{ "keep", no_argument, NULL, 'k' },
		{ "log-file", required_argument, NULL, 'l' },
		{ "ascii", no_argument, NULL, 'a' },
		{ "delay", required_argument, NULL, 'd' },
		{ "timeout", required_argument, NULL, 'T' },
		{ "view", required_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	long	v;
	int	c;

	a->delay_ms = DEMO_DELAY_MS;
	a->timeout_s = DEMO_TIMEOUT_S;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'n': a->no_tui = 1; break;
		case 's': a->state = optarg; break;
		case 't': a->theme = optarg; break;
		case 'k': a->keep = 1; break;
		case 'l': a->logfile = optarg; break;
		case 'a': a->ascii = 1; break;
		case 'v': a->view = optarg; break;
		case 'x':
		case 'd':
		case 'T':
			if ((v = demo_number(optarg)) < 0 || (c == 'x' &&
			    v == 0))
				return -1;
			if (c == 'x')
				a->exit_after = v;
			else if (c == 'd')
				a->delay_ms = (unsigned)v;
			else
				a->timeout_s = (unsigned)v;
			break;
		case 'h': demo_usage(stdout); return 1;
		default: return -1;
		}
	}
	return optind == argc ? 0 : -1;
}

/* nftw callback: remove one entry. */
static int
demo_rm_one(const char *path, const struct stat *st, int flag,
    struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	if (remove(path) != 0 && errno != ENOENT)
		fprintf(stderr, "latticectl demo: %s: %s\n", path,
		    strerror(errno));
	return 0;
}

/* Remove the temporary directory (depth first, no symlinks followed). */
static void
demo_rm_tree(const char *dir)
{
	nftw(dir, demo_rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* The temporary directory. */
static int
demo_mkdir(struct demo *d, char **cause)
{
	const char	*base = getenv("TMPDIR");

	if (base == NULL || *base == '\0')
		base = "/tmp";
	xasprintf(&d->dir, "%s/latticectl-demo-XXXXXX", base);
	if (mkdtemp(d->dir) == NULL) {
		xasprintf(cause, "%s: %s", d->dir, strerror(errno));
		free(d->dir);
		d->dir = NULL;
		return -1;
	}
	return 0;
}

/* The environment the simulator's export lines give (the AWS chain and
 * the installer's `aws eks get-token` read it). */
static void
demo_env(struct demo *d)
{
	setenv("KUBECONFIG", sim_kubeconfig_path(d->sim), 1);
	setenv("AWS_ENDPOINT_URL", sim_aws_url(d->sim), 1);
	setenv("AWS_REGION", SIM_REGION, 1);
	setenv("AWS_DEFAULT_REGION", SIM_REGION, 1);
	setenv("AWS_ACCESS_KEY_ID", SIM_ACCESS_KEY, 1);
	setenv("AWS_SECRET_ACCESS_KEY", SIM_SECRET_KEY, 1);
	setenv("AWS_CONFIG_FILE", "/dev/null", 1);
	setenv("AWS_SHARED_CREDENTIALS_FILE", "/dev/null", 1);
	unsetenv("AWS_SESSION_TOKEN");
	unsetenv("AWS_PROFILE");
	unsetenv("AWS_ENDPOINT_URL_VPC_LATTICE");
}

/* Start the simulator in DIR/sim. */
static int
demo_sim(struct demo *d, char **cause)
{
	struct sim_opts	 o;
	char		*simdir;
	int		 rc;

	memset(&o, 0, sizeof o);
	xasprintf(&simdir, "%s/sim", d->dir);
	o.listen = "127.0.0.1:0";
	o.aws_listen = "127.0.0.1:0";
	o.state_file = d->a.state;
	o.dir = simdir;
	o.delay_ms = d->a.delay_ms;
	rc = sim_start(&o, &d->sim, cause);
	free(simdir);
	if (rc == 0)
		demo_env(d);
	return rc;
}

/* The AWS context and the simulator's admin Kubernetes client. */
static int
demo_clients(struct demo *d, char **cause)
{
	struct aws_config	 ac;
	struct kube_config_opts	 ko;
	struct kube_conn	*conn = NULL;

	memset(&ac, 0, sizeof ac);
	ac.region = SIM_REGION;
	ac.no_imds = 1;
	if ((d->aws = aws_new(&ac, cause)) == NULL)
		return -1;
	memset(&ko, 0, sizeof ko);
	ko.kubeconfig = sim_kubeconfig_path(d->sim);
	if (kube_conn_load(&ko, &conn, cause) != 0 ||
	    (d->kc = kube_client_new(conn, cause)) == NULL)
		return -1;
	d->context = xstrdup(kube_conn_context(conn));
	d->server = xstrdup(kube_conn_server(conn));
	return 0;
}

/* lab.yaml as `install --init --mode latticectl` makes it, with its
 * kubeconfig in the temporary directory; written there for reference. */
static int
demo_labcfg(struct demo *d, char **cause)
{
	char	*path, *y;
	FILE	*f;

	if (lab_config_init(d->aws, "latticectl", &d->lab, cause) != 0)
		return -1;
	free(d->lab->kubeconfig);
	xasprintf(&d->lab->kubeconfig, "%s/kube/config", d->dir);

	xasprintf(&path, "%s/lab.yaml", d->dir);
	y = lab_config_yaml(d->lab);
	if ((f = fopen(path, "w")) != NULL) {
		fputs(y, f);
		fclose(f);
	}
	free(y);
	free(path);
	return 0;
}

/* The installer view (driving) and the action worker. */
static int
demo_lab(struct demo *d, char **cause)
{
	struct tui_lab_opts	lo;
	struct tui_act_opts	ao;

	memset(&lo, 0, sizeof lo);
	lo.lab = d->lab;
	lo.aws = d->aws;
	lo.kc = d->kc;
	lo.drive = 1;
	lo.poll_ms = DEMO_POLL_MS;
	lo.account_id = d->lab->account_id;
	lo.echo = d->a.no_tui ? stderr : NULL;
	if ((d->tlab = tui_lab_new(&lo, cause)) == NULL)
		return -1;
	memset(&ao, 0, sizeof ao);
	ao.kc = d->kc;
	ao.aws = d->aws;
	ao.ns = DEMO_NS;
	ao.gatewayclass = d->lab->gatewayclass;
	ao.account_id = d->lab->account_id;
	ao.lab = d->tlab;
	ao.workloads = 1;
	ao.drive = 1;
	ao.model = &d->model;
	d->act = tui_act_start(&ao);
	return 0;
}

/* The feed (TUI mode). */
static void
demo_feed(struct demo *d)
{
	struct tui_feed_opts	fo;

	memset(&fo, 0, sizeof fo);
	fo.kc = d->kc;
	fo.aws = d->aws;
	fo.context = d->context;
	fo.server = d->server;
	fo.gatewayclass = d->lab->gatewayclass;
	fo.cluster_name = d->lab->cluster.name;
	fo.vpc_id = d->lab->cluster.vpc_id;
	fo.account_id = d->lab->account_id;
	fo.lab = d->tlab;
	fo.act = d->act;
	d->feed = tui_feed_start(&fo, &d->model);
	tui_lab_set_feed(d->tlab, d->feed);
	tui_act_set_feed(d->act, d->feed);
}

/* Stop everything, save the state, remove the directory. */
static void
demo_close(struct demo *d)
{
	char	*cause = NULL;

	/* The feed reads the lab and the actions; they poke the feed: detach
	 * it first, stop it, then them. */
	if (d->tlab != NULL) {
		tui_lab_set_feed(d->tlab, NULL);
		tui_lab_cancel(d->tlab);
	}
	if (d->act != NULL)
		tui_act_set_feed(d->act, NULL);
	tui_feed_stop(d->feed);
	tui_act_stop(d->act);
	tui_lab_free(d->tlab);
	lab_config_free(d->lab);
	kube_client_free(d->kc);
	aws_free(d->aws);
	if (d->sim != NULL) {
		if (d->a.state != NULL && sim_save(d->sim, &cause) != 0) {
			fprintf(stderr, "latticectl demo: saving %s: %s\n",
			    d->a.state, cause);
			free(cause);
		}
		sim_stop(d->sim);
	}
	if (d->logfp != NULL) {
		log_close();
		fclose(d->logfp);
		log_open(LOG_LEVEL_WARN, LOG_FORMAT_TEXT, NULL);
	}
	if (d->model_on)
		ui_model_destroy(&d->model);
	if (d->dir != NULL) {
		if (d->a.keep)
			fprintf(stderr, "latticectl demo: kept %s\n", d->dir);
		else
			demo_rm_tree(d->dir);
	}
	free(d->dir);
	free(d->context);
	free(d->server);
}

/* ---- headless ---- */

/* The signal thread: SIGINT / SIGTERM / SIGHUP stop the run. */
static void *
demo_sig_main(void *arg)
{
	struct demo	*d = arg;
	struct timespec	 ts = { 0, 200 * 1000 * 1000 };
	int		 sig;

	while (d->stop == 0) {
		sig = sigtimedwait(&d->sigs, NULL, &ts);
		if (sig == SIGINT || sig == SIGTERM || sig == SIGHUP) {
			fprintf(stderr, "latticectl demo: signal %d: "
			    "stopping\n", sig);
			d->stop = 2;
			tui_lab_cancel(d->tlab);
		}
	}
	return NULL;
}

/* The read-only controller's settings for the lab's cluster. */
static void
demo_lattice_cfg(struct demo *d, struct controller_config *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	cfg->cluster_name = d->lab->cluster.name;
	cfg->vpc_id = tui_lab_vpc(d->tlab);
	cfg->account_id = d->lab->account_id;
}

/* Wait until Lattice, read afresh, has rates and inventory converged
 * (in sync, ACTIVE, targets HEALTHY); the last map in *map. 0 or -1. */
static int
demo_converge(struct demo *d, uint64_t end, cJSON **map)
{
	static const char *const want[] = { "rates", "inventory", NULL };
	struct controller_config cfg;
	cJSON			*plan = NULL;
	char			*cause = NULL;
	int			 ok = 0, n = 0;
	const char		*why;

	*map = NULL;
	demo_lattice_cfg(d, &cfg);
	while (!ok && d->stop == 0 && time_mono_ms() < end) {
		cJSON_Delete(*map);
		why = NULL;
		if (tui_lattice_fresh(d->kc, d->aws, &cfg, DEMO_NS, map, &plan,
		    &cause) != 0)
			why = cause;
		else if (!json_bool(plan, "inSync", 0))
			why = "the plan has drift";
		else if (!tui_tree_converged(*map, want))
			why = "routes not converged";
		else
			ok = 1;
		if (why != NULL && (n++ % 10) == 0)
			log_msg(LOG_LEVEL_INFO, "demo", "waiting: %s", why);
		cJSON_Delete(plan);
		plan = NULL;
		free(cause);
		cause = NULL;
		if (!ok)
			time_sleep_ms(500);
	}
	return ok ? 0 : -1;
}

/* --no-tui: every step, every workload, converge, print the tree. */
static int
demo_headless(struct demo *d)
{
	pthread_t	 thr;
	uint64_t	 t0 = time_mono_ms(), end;
	cJSON		*map = NULL;
	char		 msg[256];
	int		 rc = 1, have_thr;

	end = t0 + (uint64_t)d->a.timeout_s * 1000;
	have_thr = pthread_create(&thr, NULL, demo_sig_main, d) == 0;
	if (tui_lab_run(d->tlab, INSTALL_UP, NULL, msg, sizeof msg) != 0) {
		fprintf(stderr, "latticectl demo: %s\n", msg);
		goto out;
	}
	if (tui_lab_wait(d->tlab) != 0 || d->stop != 0) {
		fprintf(stderr, "latticectl demo: the install did not "
		    "finish\n");
		goto out;
	}
	if (tui_lab_wait_engine(d->tlab, DEMO_ENGINE_WAIT_MS) != 0) {
		fprintf(stderr, "latticectl demo: the engine did not start\n");
		goto out;
	}
	fprintf(stderr, "demo: applying the lab's workloads\n");
	tui_act_queue(d->act, "workload.apply", NULL);
	tui_act_drain(d->act);
	if (tui_act_failures(d->act) != 0) {
		fprintf(stderr, "latticectl demo: a workload failed\n");
		goto out;
	}
	if (demo_converge(d, end, &map) != 0) {
		fprintf(stderr, "latticectl demo: not converged after %u s\n",
		    d->a.timeout_s);
		if (map != NULL)
			tui_tree_print(stderr, map);
		goto out;
	}
	tui_tree_print(stdout, map);
	fflush(stdout);
	fprintf(stderr, "demo: converged in %.1f s\n",
	    (double)(time_mono_ms() - t0) / 1000.0);
	rc = 0;
out:
	cJSON_Delete(map);
	if (d->stop == 0)
		d->stop = 1;
	if (have_thr)
		pthread_join(thr, NULL);
	return rc;
}

/* ---- with the TUI ---- */

/* Run the UI; the signals go to this thread only (the others were
 * created with them blocked). */
static int
demo_ui(struct cli_global *g, struct demo *d)
{
	struct ui_opts	o;
	int		rc;

	memset(&o, 0, sizeof o);
	o.theme = d->a.theme != NULL ? d->a.theme : g->theme;
	o.no_color = g->no_color;
	o.ascii = d->a.ascii;
	o.exit_after = d->a.exit_after;
	o.start_view = d->a.view != NULL ? d->a.view : "install";
	o.action = tui_act_ui;
	o.action_arg = d->act;
	demo_feed(d);
	tui_act_queue(d->act, "install.recheck", NULL);
	pthread_sigmask(SIG_UNBLOCK, &d->sigs, NULL);
	rc = ui_run(&d->model, &o);
	pthread_sigmask(SIG_BLOCK, &d->sigs, NULL);
	return rc;
}

/* Set up the parts in order; the error says which failed. */
static int
demo_setup(struct cli_global *g, struct demo *d)
{
	char	*cause = NULL, *logpath = NULL;

	if (demo_mkdir(d, &cause) != 0)
		goto fail;
	ui_model_init(&d->model, 4000);
	d->model_on = 1;
	if (!d->a.no_tui) {
		if (d->a.logfile == NULL)
			xasprintf(&logpath, "%s/demo.log", d->dir);
		d->logfp = tui_log_open(g, d->a.logfile != NULL ?
		    d->a.logfile : logpath, &d->model);
		free(logpath);
		if (d->logfp == NULL) {
			xasprintf(&cause, "cannot open the log file");
			goto fail;
		}
	}
	if (demo_sim(d, &cause) != 0 || demo_clients(d, &cause) != 0 ||
	    demo_labcfg(d, &cause) != 0 || demo_lab(d, &cause) != 0)
		goto fail;
	log_msg(LOG_LEVEL_INFO, "demo", "simulator: Kubernetes %s, AWS %s; "
	    "lab cluster %s in %s, VPC %s", sim_kube_url(d->sim),
	    sim_aws_url(d->sim), d->lab->cluster.name, d->lab->region,
	    d->lab->cluster.vpc_id != NULL ? d->lab->cluster.vpc_id : "?");
	return 0;
fail:
	fprintf(stderr, "latticectl demo: %s\n", cause);
	free(cause);
	return -1;
}

/* latticectl demo. */
int
cmd_demo(struct cli_global *g, int argc, char **argv)
{
	struct demo	d;
	int		rc;

	memset(&d, 0, sizeof d);
	if ((rc = demo_parse(argc, argv, &d.a)) != 0) {
		if (rc < 0)
			demo_usage(stderr);
		return rc < 0 ? 2 : 0;
	}
	if (!d.a.no_tui && !isatty(STDIN_FILENO)) {
		fprintf(stderr, "latticectl demo: needs a terminal (or "
		    "--no-tui)\n");
		return 1;
	}
	/* Threads made from here on never take these signals. */
	sigemptyset(&d.sigs);
	sigaddset(&d.sigs, SIGINT);
	sigaddset(&d.sigs, SIGTERM);
	sigaddset(&d.sigs, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &d.sigs, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (demo_setup(g, &d) != 0)
		rc = 1;
	else if (d.a.no_tui)
		rc = demo_headless(&d);
	else if ((rc = demo_ui(g, &d)) != 0)
		fprintf(stderr, "latticectl demo: needs a terminal\n");
	demo_close(&d);
	pthread_sigmask(SIG_UNBLOCK, &d.sigs, NULL);
	return rc;
}
