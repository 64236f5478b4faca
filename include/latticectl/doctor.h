/*
 * doctor: walk every link between a Gateway API route and VPC Lattice
 * traffic and say, for each, OK / WARN / FAIL / SKIP with the evidence and
 * the command that fixes it (issue 9; the JSON shape is the contract of
 * /work/briefs/doctor-json.md, shared with the TUI Diagnose view).
 *
 * Checks, in order (stable ids):
 *   cluster.controller-running   the controller Deployment's pods Ready
 *   cluster.gatewayclass         GatewayClass controllerName, Accepted,
 *                                the leader Lease holder
 *   cluster.single-controller    not two controller Deployments, no lease
 *                                churn
 *   cluster.irsa                 the ServiceAccount's IRSA annotation
 *   cluster.iam-role             the role exists
 *   cluster.iam-trust            its trust names system:serviceaccount:NS:SA
 *   cluster.iam-policy           attached policies grant the needed actions
 *   cluster.crds                 Gateway API CRD versions
 *   network.eks-cluster          EKS cluster ACTIVE, VPC, cluster SG
 *   network.sg-prefix-list       cluster SG admits both Lattice prefix lists
 *   network.service-network      a service network per Gateway name
 *   network.vpc-association      the cluster VPC associated, ACTIVE
 *   network.vpc-other-sn         the VPC is not with another network
 *   route.accepted               Accepted / ResolvedRefs per parent
 *   route.service                Lattice service ACTIVE, DNS name
 *   route.sn-association         service - network association ACTIVE
 *   route.rules                  listeners and rules vs the plan
 *   route.target-groups          protocol, health check, status
 *   route.targets                targets vs the Service's ready endpoints
 *   route.target-port            Service targetPort vs pod/target ports
 *   route.target-health          target health, reason codes explained
 *   route.quotas                 rules / target groups near their quotas
 *
 * Threads: doctor_run is reentrant (no global state, no terminal output;
 * the engine it uses may log through log.h). Several runs may share one
 * kube_client and aws (they are thread-safe).
 *
 * Ownership: doctor_opts members are borrowed for the call; the report
 * (*report) and *cause belong to the caller.
 */
#ifndef LATTICECTL_DOCTOR_H
#define LATTICECTL_DOCTOR_H

#include <cjson/cJSON.h>

#include "latticectl/aws.h"
#include "latticectl/kube.h"
#include "latticectl/strbuf.h"

#define DOCTOR_CTL_NAMESPACE	"aws-application-networking-system"
#define DOCTOR_CTL_NAME		"gateway-api-controller"
#define DOCTOR_CTL_CONFIGMAP	"latticectl-controller-config"
/* Quotas used (research/api_surfaces.md 1.6, current documentation). */
#define DOCTOR_QUOTA_RULES	10	/* rules per listener */
#define DOCTOR_QUOTA_TGS_RULE	10	/* weighted TGs per forward action */
#define DOCTOR_QUOTA_TGS_SVC	10	/* target groups per service */
#define DOCTOR_QUOTA_LISTENERS	2	/* listeners per service */
#define DOCTOR_QUOTA_NEAR_PCT	80	/* WARN from this share of a quota */

enum doctor_status {
	DOCTOR_OK,
	DOCTOR_WARN,
	DOCTOR_FAIL,
	DOCTOR_SKIP
};

struct doctor_opts {
	struct kube_client	*kc;		/* required */
	struct aws		*aws;		/* required */
	const char		*route;		/* "name", "Kind/name"; NULL:
						 * every route */
	const char		*ns;		/* the route's namespace; NULL:
						 * "default" with a route, all
						 * namespaces without */
	const char		*cluster_name;	/* NULL: controller env,
						 * ConfigMap, CLUSTER_NAME */
	const char		*vpc_id;	/* NULL: EKS, CLUSTER_VPC_ID */
	const char		*account_id;	/* NULL: AWS_ACCOUNT_ID, STS */
	const char		*controller_ns;	/* NULL: DOCTOR_CTL_NAMESPACE */
};

/* Run every check. 0 with *report (the contract's object), -1 with
 * *cause when nothing could be checked (cluster or AWS unreachable, the
 * route not found). */
int	 doctor_run(const struct doctor_opts *, cJSON **report, char **cause);
/* The command's exit code for a report: 0 all OK (SKIP allowed), 1 any
 * WARN or FAIL. */
int	 doctor_exit_code(const cJSON *report);
/* The human form: grouped, one icon per check, evidence and fix
 * indented. color: ANSI colours. */
void	 doctor_format_table(const cJSON *report, int color, struct strbuf *);
/* The status of check id in a report (-1: no such check; the worst one
 * when the id appears several times). */
int	 doctor_check_status(const cJSON *report, const char *id);
const char *doctor_status_str(enum doctor_status);
/* What a Lattice target reason code means, in plain words (never NULL). */
const char *doctor_reason_text(const char *reason_code);
/* Do the actions of a policy document (JSON text or object) allow
 * action ("vpc-lattice:CreateService")? Wildcards as IAM: "*", "svc:*",
 * "svc:Get*". */
int	 doctor_policy_allows(const cJSON *document, const char *action);

#endif
