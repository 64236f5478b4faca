/* `latticectl install` and `latticectl uninstall`: the lab's steps from a
 * lab.yaml, with a live view on a terminal, plain lines or JSON lines
 * otherwise; --init writes a lab.yaml from the environment; --dry-run
 * prints the plan and the equivalent commands; --export-eksctl writes the
 * eksctl ClusterConfig of the cluster step. */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "latticectl/aws.h"
#include "latticectl/install.h"
#include "latticectl/json.h"
#include "latticectl/xmalloc.h"

#include "cli.h"

/* What the command line asked for. */
struct ci_args {
	const char	*config;
	const char	*mode;		/* --init --mode */
	const char	*export_eksctl;
	const char	*only;
	const char	*from;
	const char	*output;
	const char	*manifest;
	const char	*helm;
	int		 init;
	int		 force;
	int		 dry_run;
	int		 yes;
	unsigned	 poll_ms;
};

/* The signal watcher of a run. */
struct ci_sig {
	struct install	*in;
	sigset_t	 set;
	volatile int	 done;
};

/* Print the usage of install / uninstall. */
static void
ci_usage(FILE *f, const char *verb)
{
	fprintf(f, "usage: latticectl %s [--config lab.yaml] [--dry-run] "
	    "[--yes] [--only STEP[,STEP]] [--from STEP]\n"
	    "       [-o plain|json] [--manifest FILE] [--helm PROGRAM] "
	    "[--poll SECONDS]%s\n\n", verb, strcmp(verb, "install") == 0 ?
	    "\n       [--init [--mode helm|manifests|latticectl] [--force]] "
	    "[--export-eksctl FILE]" : "");
	fprintf(f, "Steps: cluster, security-group, iam-policy, namespace, "
	    "service-account, controller,\ngatewayclass%s. A re-run observes "
	    "first and skips what is done. Uninstall runs in\nreverse order "
	    "and asks before deleting (--yes does not ask). lab.yaml fields: "
	    "docs/lab-yaml.md\n", strcmp(verb, "install") == 0 ? "" :
	    " (uninstall starts with routes: their Lattice resources)");
}

/* Parse the options; -1 on a usage error. */
static int
ci_parse(int argc, char **argv, struct ci_args *a)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "init", no_argument, NULL, 'I' },
		{ "mode", required_argument, NULL, 'M' },
		{ "force", no_argument, NULL, 'F' },
		{ "dry-run", no_argument, NULL, 'd' },
		{ "export-eksctl", required_argument, NULL, 'E' },
		{ "yes", no_argument, NULL, 'y' },
		{ "only", required_argument, NULL, 'O' },
		{ "from", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "manifest", required_argument, NULL, 'm' },
		{ "helm", required_argument, NULL, 'H' },
		{ "poll", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int	c;

	while ((c = getopt_long(argc, argv, "o:yh", opts, NULL)) != -1) {
		switch (c) {
		case 'c': a->config = optarg; break;
		case 'I': a->init = 1; break;
		case 'M': a->mode = optarg; break;
		case 'F': a->force = 1; break;
		case 'd': a->dry_run = 1; break;
		case 'E': a->export_eksctl = optarg; break;
		case 'y': a->yes = 1; break;
		case 'O': a->only = optarg; break;
		case 'f': a->from = optarg; break;
		case 'o': a->output = optarg; break;
		case 'm': a->manifest = optarg; break;
		case 'H': a->helm = optarg; break;
		case 'p': a->poll_ms = (unsigned)(strtod(optarg, NULL) * 1000);
			break;
		case 'h': ci_usage(stdout, argv[0]); exit(0);
		default: return -1;
		}
	}
	if (optind != argc || (a->output != NULL && strcmp(a->output,
	    "plain") != 0 && strcmp(a->output, "json") != 0))
		return -1;
	if (a->config == NULL)
		a->config = "lab.yaml";
	return 0;
}

/* The AWS context (region: --region, else lab.yaml, else the chain). */
static struct aws *
ci_aws(struct cli_global *g, const char *region)
{
	struct aws_config	 cfg = { 0 };
	struct aws		*aws;
	char			*cause = NULL;

	cfg.region = g->region != NULL ? g->region : region;
	cfg.profile = g->profile;
	if ((aws = aws_new(&cfg, &cause)) == NULL) {
		fprintf(stderr, "latticectl: %s\n", cause);
		free(cause);
	}
	return aws;
}

/* Write text to path (mode 0644), refusing to replace unless force. */
static int
ci_write(const char *path, const char *text, int force)
{
	FILE	*f;
	int	 fd;

	if (strcmp(path, "-") == 0) {
		fputs(text, stdout);
		return 0;
	}
	fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | (force ? O_TRUNC :
	    O_EXCL), 0644);
	if (fd < 0 || (f = fdopen(fd, "w")) == NULL) {
		fprintf(stderr, "latticectl: %s: %s%s\n", path, strerror(errno),
		    errno == EEXIST ? " (--force replaces it)" : "");
		if (fd >= 0)
			close(fd);
		return -1;
	}
	fputs(text, f);
	return fclose(f) == 0 ? 0 : -1;
}

/* --init: a lab.yaml from the environment. */
static int
ci_init(struct cli_global *g, const struct ci_args *a)
{
	struct lab_config	*lab;
	struct aws		*aws;
	char			*cause = NULL, *y;
	int			 rc;

	if ((aws = ci_aws(g, NULL)) == NULL)
		return 1;
	if (lab_config_init(aws, a->mode, &lab, &cause) != 0) {
		fprintf(stderr, "latticectl install --init: %s\n", cause);
		free(cause);
		aws_free(aws);
		return 1;
	}
	y = lab_config_yaml(lab);
	rc = ci_write(a->config, y, a->force);
	if (rc == 0 && strcmp(a->config, "-") != 0)
		fprintf(stderr, "wrote %s (cluster %s in %s, VPC %s)\n",
		    a->config, lab->cluster.name, lab->region,
		    lab->cluster.vpc_id);
	free(y);
	lab_config_free(lab);
	aws_free(aws);
	return rc == 0 ? 0 : 1;
}

/* Ask on the terminal; 1 for yes. */
static int
ci_confirm(void *arg, const char *question, const char *details)
{
	char	line[32];

	(void)arg;
	fprintf(stderr, "%s\n%s [y/N] ", details, question);
	fflush(stderr);
	if (fgets(line, sizeof line, stdin) == NULL)
		return 0;
	return line[0] == 'y' || line[0] == 'Y';
}

/* Turn SIGINT / SIGTERM into install_cancel until the run ends. */
static void *
ci_sig_loop(void *arg)
{
	struct ci_sig		*s = arg;
	struct timespec		 ts = { 0, 200 * 1000 * 1000 };
	int			 sig;

	while (!s->done) {
		sig = sigtimedwait(&s->set, NULL, &ts);
		if (sig == SIGINT || sig == SIGTERM) {
			install_cancel(s->in);
			break;
		}
	}
	return NULL;
}

/* The dry run: text, or the JSON array with -o json. */
static int
ci_dry_run(struct install *in, const struct ci_args *a)
{
	struct strbuf	 text;
	cJSON		*json = NULL;
	char		*cause = NULL, *s;

	strbuf_init(&text);
	if (install_plan(in, &text, &json, &cause) != 0) {
		fprintf(stderr, "latticectl: %s\n", cause);
		free(cause);
		strbuf_free(&text);
		return 1;
	}
	if (a->output != NULL && strcmp(a->output, "json") == 0) {
		s = cJSON_Print(json);
		printf("%s\n", s);
		cJSON_free(s);
	} else
		fputs(text.buf, stdout);
	cJSON_Delete(json);
	strbuf_free(&text);
	return 0;
}

/* The output mode from -o and the terminal. */
static enum install_output_mode
ci_mode(const struct ci_args *a)
{
	if (a->output != NULL && strcmp(a->output, "json") == 0)
		return INSTALL_OUTPUT_JSON;
	if (a->output != NULL || !isatty(STDOUT_FILENO))
		return INSTALL_OUTPUT_PLAIN;
	return INSTALL_OUTPUT_TTY;
}

/* A run with output and signal handling. */
static int
ci_run(struct install *in, struct install_output *out)
{
	struct install_result	 res;
	struct ci_sig		 sig;
	pthread_t		 thr;
	char			*cause = NULL;
	int			 rc, have_thr;

	memset(&sig, 0, sizeof sig);
	sig.in = in;
	sigemptyset(&sig.set);
	sigaddset(&sig.set, SIGINT);
	sigaddset(&sig.set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &sig.set, NULL);
	have_thr = pthread_create(&thr, NULL, ci_sig_loop, &sig) == 0;
	install_output_start(out, in);
	rc = install_run(in, &res, &cause);
	sig.done = 1;
	if (have_thr)
		pthread_join(thr, NULL);
	if (rc < 0) {
		install_output_finish(out, NULL);
		fprintf(stderr, "latticectl: %s\n", cause);
		free(cause);
		return 1;
	}
	install_output_finish(out, &res);
	install_result_clear(&res);
	return rc == 0 ? 0 : 1;
}

/* Fill the install options. */
static void
ci_opts(struct cli_global *g, const struct ci_args *a, struct lab_config *lab,
    struct aws *aws, enum install_dir dir, struct install_opts *o)
{
	memset(o, 0, sizeof *o);
	o->lab = lab;
	o->aws = aws;
	o->dir = dir;
	o->kubeconfig = g->kubeconfig;
	o->context = g->context;
	o->only = a->only;
	o->from = a->from;
	o->manifest = a->manifest;
	o->helm = a->helm;
	o->yes = a->yes;
	o->poll_ms = a->poll_ms;
	if (isatty(STDIN_FILENO))
		o->confirm = ci_confirm;
}

/* install / uninstall. */
static int
ci_main(struct cli_global *g, int argc, char **argv, enum install_dir dir)
{
	struct ci_args		 a;
	struct install_opts	 o;
	struct lab_config	*lab = NULL;
	struct aws		*aws = NULL;
	struct install		*in = NULL;
	struct install_output	*out = NULL;
	char			*cause = NULL, *y;
	int			 rc = 1;

	memset(&a, 0, sizeof a);
	if (ci_parse(argc, argv, &a) != 0) {
		ci_usage(stderr, argv[0]);
		return 2;
	}
	if (a.init && dir == INSTALL_UP)
		return ci_init(g, &a);
	if (lab_config_load(a.config, &lab, &cause) != 0 ||
	    (aws = ci_aws(g, lab->region)) == NULL)
		goto out;
	ci_opts(g, &a, lab, aws, dir, &o);
	if (!a.dry_run && a.export_eksctl == NULL) {
		out = install_output_new(ci_mode(&a), stdout, argv[0],
		    !g->no_color);
		o.on_event = install_output_event;
		o.event_arg = out;
	}
	if ((in = install_new(&o, &cause)) == NULL)
		goto out;
	if (a.export_eksctl != NULL) {
		if (install_export_eksctl(in, &y, &cause) == 0) {
			rc = ci_write(a.export_eksctl, y, 1) == 0 ? 0 : 1;
			free(y);
		}
	} else if (a.dry_run)
		rc = ci_dry_run(in, &a);
	else
		rc = ci_run(in, out);
out:
	if (cause != NULL)
		fprintf(stderr, "latticectl: %s\n", cause);
	free(cause);
	install_free(in);
	install_output_free(out);
	aws_free(aws);
	lab_config_free(lab);
	return rc;
}

/* `latticectl install`. */
int
cmd_install(struct cli_global *g, int argc, char **argv)
{
	return ci_main(g, argc, argv, INSTALL_UP);
}

/* `latticectl uninstall`. */
int
cmd_uninstall(struct cli_global *g, int argc, char **argv)
{
	return ci_main(g, argc, argv, INSTALL_DOWN);
}
