/*
 * Fixture for the integration tests that bring the practice lab up with
 * the installer against the simulator in process (itest_install.c,
 * itest_doctor.c): the simulator (both halves over real HTTP, the
 * Kubernetes API over TLS with EKS tokens, as `latticectl sim` serves
 * it), the environment the AWS CLI and the native EKS token use, an AWS
 * context, the simulator's admin Kubernetes client, the lab.yaml of the
 * practice lab (mode latticectl), the installer's options, and the engine
 * standing in for the controller's pods: a thread that waits until the
 * installer's controller step is Ready (lfx_on_event), then runs the
 * engine with the cluster's VPC from EKS.
 *
 * Static functions only. Ownership: struct lfx owns everything it starts
 * (lfx_stop). lock guards the engine fields; tests may use it for their
 * own data too.
 */
#ifndef LATTICECTL_TESTS_LAB_FIXTURE_H
#define LATTICECTL_TESTS_LAB_FIXTURE_H

#include <pthread.h>

#include "latticectl/eks.h"
#include "latticectl/install.h"
#include "ctl_fixture.h"

#define LFX_FN		static __attribute__((unused))
#define LFX_WAIT_MS	60000

struct lfx {
	struct sim		*sim;
	struct aws		*aws;
	struct kube_client	*kc;		/* the simulator's admin */
	struct lab_config	*lab;
	char			*dir;
	char			*kubeconfig;	/* where the installer writes */
	unsigned		 resync_s;	/* the engine's; 0: default */
	pthread_mutex_t		 lock;
	pthread_cond_t		 cond;
	int			 start_engine;	/* 0 wait, 1 go, -1 never */
	int			 engine_done;	/* the thread has finished */
	struct controller	*engine;	/* NULL when it did not start */
	char			*vpc;		/* the cluster's, from EKS */
	char			*sg;		/* its cluster security group */
};

/* The environment the AWS CLI and the native EKS token would use. */
LFX_FN void
lfx_env(struct lfx *f)
{
	setenv("AWS_ENDPOINT_URL", sim_aws_url(f->sim), 1);
	setenv("AWS_ACCESS_KEY_ID", SIM_ACCESS_KEY, 1);
	setenv("AWS_SECRET_ACCESS_KEY", SIM_SECRET_KEY, 1);
	setenv("AWS_REGION", SIM_REGION, 1);
	setenv("AWS_CONFIG_FILE", "/dev/null", 1);
	setenv("AWS_SHARED_CREDENTIALS_FILE", "/dev/null", 1);
	unsetenv("AWS_SESSION_TOKEN");
	unsetenv("AWS_PROFILE");
	unsetenv("KUBECONFIG");
	unsetenv("CLUSTER_NAME");
	unsetenv("CLUSTER_VPC_ID");
	unsetenv("AWS_ACCOUNT_ID");
}

/* The simulator's own admin client (its kubeconfig). */
LFX_FN struct kube_client *
lfx_admin(struct lfx *f)
{
	struct kube_config_opts	 ko;
	struct kube_conn	*conn;
	struct kube_client	*kc;
	char			*cause = NULL;

	memset(&ko, 0, sizeof(ko));
	ko.kubeconfig = sim_kubeconfig_path(f->sim);
	if (kube_conn_load(&ko, &conn, &cause) != 0 ||
	    (kc = kube_client_new(conn, &cause)) == NULL)
		fail_msg("admin client: %s", cause);
	return kc;
}

/* The lab.yaml of the practice lab (mode latticectl). */
LFX_FN struct lab_config *
lfx_lab(struct lfx *f)
{
	struct lab_config	*lab;
	char			*cause = NULL, *text;

	xasprintf(&text, "cluster:\n  name: c1\n  vpc:\n    name: "
	    "LatticeWorkshop-Clients-VPC\nkubeconfig: %s\ncontroller:\n"
	    "  mode: latticectl\n", f->kubeconfig);
	if (lab_config_parse(text, strlen(text), "lab.yaml", &lab,
	    &cause) != 0)
		fail_msg("lab: %s", cause);
	free(text);
	return lab;
}

/* Start the engine for the lab's cluster (its VPC from EKS); NULL when
 * it could not start (printed). */
LFX_FN struct controller *
lfx_engine_start(struct lfx *f, char **vpc, char **sg)
{
	struct controller_config cfg;
	struct controller	*c;
	struct eks_cluster	 cl;
	struct aws_error	 err;
	char			*cause = NULL;

	memset(&cl, 0, sizeof(cl));
	memset(&err, 0, sizeof(err));
	if (eks_describe_cluster(f->aws, f->lab->cluster.name, &cl,
	    &err) != 0) {
		printf("engine: no cluster: %s\n", err.message);
		aws_error_clear(&err);
		return NULL;
	}
	*vpc = xstrdup_or_null(cl.vpc.vpc_id);
	*sg = xstrdup_or_null(cl.vpc.cluster_security_group_id);
	eks_cluster_clear(&cl);
	memset(&cfg, 0, sizeof(cfg));
	cfg.account_id = SIM_ACCOUNT_ID;
	cfg.cluster_name = f->lab->cluster.name;
	cfg.vpc_id = *vpc;
	cfg.workers = 2;
	cfg.requeue_pending_s = 1;
	cfg.resync_s = f->resync_s;
	cfg.no_events = 1;
	if ((c = controller_new(f->kc, f->aws, &cfg, &cause)) == NULL ||
	    controller_start(c, LFX_WAIT_MS, &cause) != 0) {
		printf("engine: %s\n", cause);
		free(cause);
		controller_free(c);
		return NULL;
	}
	return c;
}

/* The engine's thread: start it once asked. */
static void *
lfx_engine_thread(void *arg)
{
	struct lfx		*f = arg;
	struct controller	*c = NULL;
	char			*vpc = NULL, *sg = NULL;

	pthread_mutex_lock(&f->lock);
	while (f->start_engine == 0)
		pthread_cond_wait(&f->cond, &f->lock);
	pthread_mutex_unlock(&f->lock);
	if (f->start_engine > 0)
		c = lfx_engine_start(f, &vpc, &sg);
	pthread_mutex_lock(&f->lock);
	f->engine = c;
	f->vpc = vpc;
	f->sg = sg;
	f->engine_done = 1;
	pthread_cond_broadcast(&f->cond);
	pthread_mutex_unlock(&f->lock);
	return NULL;
}

/* The installer's event: its controller step Ready starts the engine. */
LFX_FN void
lfx_on_event(struct lfx *f, const struct install_event *ev)
{
	if (strcmp(ev->step, "controller") != 0 ||
	    ev->state != INSTALL_READY)
		return;
	pthread_mutex_lock(&f->lock);
	if (f->start_engine == 0) {
		f->start_engine = 1;
		pthread_cond_broadcast(&f->cond);
	}
	pthread_mutex_unlock(&f->lock);
}

/* Wait until the engine runs (fails the test when it did not start). */
LFX_FN void
lfx_wait_engine(struct lfx *f)
{
	uint64_t	end = time_mono_ms() + LFX_WAIT_MS;

	pthread_mutex_lock(&f->lock);
	while (!f->engine_done && time_mono_ms() < end) {
		pthread_mutex_unlock(&f->lock);
		time_sleep_ms(20);
		pthread_mutex_lock(&f->lock);
	}
	pthread_mutex_unlock(&f->lock);
	if (f->engine == NULL)
		fail_msg("the engine did not start");
}

/* The installer's options for the lab (fast polls, a few retries); the
 * caller sets dir, only and the event hook. */
LFX_FN void
lfx_install_opts(struct lfx *f, struct install_opts *o, unsigned poll_ms,
    unsigned wait_limit_ms)
{
	memset(o, 0, sizeof(*o));
	o->lab = f->lab;
	o->aws = f->aws;
	o->yes = 1;
	o->poll_ms = poll_ms;
	o->kube_poll_ms = poll_ms;
	o->retry_base_ms = 20;
	o->max_failures = 3;
	o->wait_limit_ms = wait_limit_ms;
	o->timeout_ms = 120000;
}

/* Start the simulator (AWS delays of delay_ms), the clients, the lab and
 * the engine's thread (resync_s for the engine). */
LFX_FN void
lfx_start(struct lfx *f, unsigned delay_ms, unsigned resync_s)
{
	struct sim_opts	 o;
	pthread_t	 thr;
	char		*cause = NULL;

	memset(f, 0, sizeof(*f));
	f->resync_s = resync_s;
	f->dir = test_tmpdir();
	xasprintf(&f->kubeconfig, "%s/kube/config", f->dir);
	memset(&o, 0, sizeof(o));
	o.listen = "127.0.0.1:0";
	o.aws_listen = "127.0.0.1:0";
	o.dir = f->dir;
	o.delay_ms = delay_ms;
	if (sim_start(&o, &f->sim, &cause) != 0)
		fail_msg("sim: %s", cause);
	lfx_env(f);
	f->aws = cfx_aws_new(NULL);
	f->kc = lfx_admin(f);
	f->lab = lfx_lab(f);
	pthread_mutex_init(&f->lock, NULL);
	pthread_cond_init(&f->cond, NULL);
	if (pthread_create(&thr, NULL, lfx_engine_thread, f) != 0)
		fail_msg("engine thread");
	pthread_detach(thr);
}

/* Stop the engine (its thread first) and everything else. */
LFX_FN void
lfx_stop(struct lfx *f)
{
	pthread_mutex_lock(&f->lock);
	if (f->start_engine == 0)
		f->start_engine = -1;
	pthread_cond_broadcast(&f->cond);
	while (!f->engine_done)
		pthread_cond_wait(&f->cond, &f->lock);
	pthread_mutex_unlock(&f->lock);
	controller_free(f->engine);
	lab_config_free(f->lab);
	kube_client_free(f->kc);
	aws_free(f->aws);
	sim_stop(f->sim);
	test_rm_tree(f->dir);
	free(f->kubeconfig);
	free(f->vpc);
	free(f->sg);
	pthread_mutex_destroy(&f->lock);
	pthread_cond_destroy(&f->cond);
}

#endif
