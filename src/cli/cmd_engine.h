/*
 * What `controller`, `plan` and `map` share: the Kubernetes client, the
 * AWS context and the controller made from the global options, the
 * engine flags and upstream's environment variables.
 *
 * Ownership: struct cli_engine owns the client, the AWS context and the
 * controller (cli_engine_close frees them).
 */
#ifndef LATTICECTL_CLI_CMD_ENGINE_H
#define LATTICECTL_CLI_CMD_ENGINE_H

#include "latticectl/aws.h"
#include "latticectl/controller.h"
#include "latticectl/kube.h"

#include "cli.h"

struct cli_engine {
	struct kube_client	*kc;
	struct aws		*aws;
	struct controller	*ctl;
};

/* Engine flags every engine command accepts (long options only). */
#define CLI_ENGINE_OPT_CLUSTER	0x1001
#define CLI_ENGINE_OPT_VPC	0x1002
#define CLI_ENGINE_OPT_ACCOUNT	0x1003
#define CLI_ENGINE_OPT_DEFAULT_SN 0x1004

#define CLI_ENGINE_LONGOPTS \
	{ "cluster-name", required_argument, NULL, CLI_ENGINE_OPT_CLUSTER }, \
	{ "vpc-id", required_argument, NULL, CLI_ENGINE_OPT_VPC }, \
	{ "account-id", required_argument, NULL, CLI_ENGINE_OPT_ACCOUNT }, \
	{ "default-service-network", required_argument, NULL, \
	    CLI_ENGINE_OPT_DEFAULT_SN }

#define CLI_ENGINE_USAGE \
	"  --cluster-name NAME  --vpc-id VPC  --account-id ID\n" \
	"  --default-service-network NAME\n" \
	"  (default: upstream's CLUSTER_NAME, CLUSTER_VPC_ID, AWS_ACCOUNT_ID " \
	"(else STS),\n   DEFAULT_SERVICE_NETWORK, " \
	"ENABLE_SERVICE_NETWORK_OVERRIDE, REGION, LATTICE_ENDPOINT)\n"

/* Take an engine option into cfg; 1 when c was one. */
int	 cli_engine_opt(int c, const char *arg, struct controller_config *);
/* Connect and make the controller; prints the error and returns -1. */
int	 cli_engine_open(struct cli_global *, const char *cmd,
	    struct controller_config *, struct cli_engine *);
void	 cli_engine_close(struct cli_engine *);
/* The namespace of the kubeconfig context (or -n). */
const char *cli_engine_namespace(struct cli_global *, struct cli_engine *);

#endif
