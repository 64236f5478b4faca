/* Shared setup of the engine commands (controller, plan, map). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/xmalloc.h"

#include "cmd_engine.h"

#define CLI_ENGINE_AWS_ATTEMPTS	8	/* per call, unless AWS_MAX_ATTEMPTS */

/* Take an engine option into cfg; 1 when c was one. */
int
cli_engine_opt(int c, const char *arg, struct controller_config *cfg)
{
	switch (c) {
	case CLI_ENGINE_OPT_CLUSTER:
		cfg->cluster_name = arg;
		return 1;
	case CLI_ENGINE_OPT_VPC:
		cfg->vpc_id = arg;
		return 1;
	case CLI_ENGINE_OPT_ACCOUNT:
		cfg->account_id = arg;
		return 1;
	case CLI_ENGINE_OPT_DEFAULT_SN:
		cfg->default_sn = arg;
		return 1;
	default:
		return 0;
	}
}

/* The Kubernetes client from the global options. */
static struct kube_client *
cli_engine_kube(struct cli_global *g, char **cause)
{
	struct kube_config_opts	 ko;
	struct kube_conn	*conn = NULL;

	memset(&ko, 0, sizeof(ko));
	ko.kubeconfig = g->kubeconfig;
	ko.context = g->context;
	ko.ns = g->ns;
	if (kube_conn_load(&ko, &conn, cause) != 0)
		return NULL;
	return kube_client_new(conn, cause);
}

/* The AWS context: --region, else upstream's REGION, else the chain. */
static struct aws *
cli_engine_aws(struct cli_global *g, char **cause)
{
	struct aws_config	 ac;
	const char		*ep = getenv(CONTROLLER_ENV_LATTICE_ENDPOINT);

	/* Upstream's LATTICE_ENDPOINT is the SDK's per-service variable. */
	if (ep != NULL && *ep != '\0' &&
	    getenv("AWS_ENDPOINT_URL_VPC_LATTICE") == NULL)
		setenv("AWS_ENDPOINT_URL_VPC_LATTICE", ep, 1);
	memset(&ac, 0, sizeof(ac));
	ac.region = g->region;
	if (ac.region == NULL && getenv(CONTROLLER_ENV_REGION) != NULL &&
	    *getenv(CONTROLLER_ENV_REGION) != '\0')
		ac.region = getenv(CONTROLLER_ENV_REGION);
	ac.profile = g->profile;
	/* A reconciler can afford patience: more attempts than the SDK's 3
	 * unless AWS_MAX_ATTEMPTS says otherwise. */
	if (getenv("AWS_MAX_ATTEMPTS") == NULL)
		ac.max_attempts = CLI_ENGINE_AWS_ATTEMPTS;
	return aws_new(&ac, cause);
}

/* Connect and make the controller. */
int
cli_engine_open(struct cli_global *g, const char *cmd,
    struct controller_config *cfg, struct cli_engine *e)
{
	char	*cause = NULL;

	memset(e, 0, sizeof(*e));
	if (controller_config_env(cfg, &cause) != 0 ||
	    (e->kc = cli_engine_kube(g, &cause)) == NULL ||
	    (e->aws = cli_engine_aws(g, &cause)) == NULL)
		goto fail;
	if (cfg->leader_ns == NULL)
		cfg->leader_ns = cli_engine_namespace(g, e);
	if ((e->ctl = controller_new(e->kc, e->aws, cfg, &cause)) == NULL)
		goto fail;
	return 0;
fail:
	fprintf(stderr, "latticectl %s: %s\n", cmd, cause);
	free(cause);
	cli_engine_close(e);
	return -1;
}

/* Free what cli_engine_open made. */
void
cli_engine_close(struct cli_engine *e)
{
	controller_free(e->ctl);
	aws_free(e->aws);
	kube_client_free(e->kc);
	memset(e, 0, sizeof(*e));
}

/* The namespace of the kubeconfig context (or -n). */
const char *
cli_engine_namespace(struct cli_global *g, struct cli_engine *e)
{
	if (g->ns != NULL)
		return g->ns;
	return kube_conn_namespace(kube_client_conn(e->kc));
}
