/*
 * install: the lab's steps ("AWS Gateway API Controller install") as
 * reconcilers on the engine's framework (reconcile.h), and the lab.yaml
 * that drives them.
 *
 * Steps, in order: cluster, security-group, iam-policy, namespace,
 * service-account (IRSA), controller (helm | manifests | latticectl),
 * gatewayclass; uninstall adds "routes" first (the routes, exports and
 * Gateways of our GatewayClass, so the controller removes the Lattice
 * resources it made before it goes away). Each step observes (read-only
 * calls), plans (what would change and the equivalent eksctl / aws /
 * kubectl / helm command), applies, verifies and undoes. A step's state
 * is a condition: Pending, Progressing, Ready, Failed (+ reason, message,
 * elapsed); Skipped marks a step that was not selected. Long waits (an
 * EKS cluster) return "requeue after N ms" to the framework instead of
 * sleeping, so they never block the other steps. Every run starts by
 * observing, so a re-run resumes where the last one stopped and changes
 * nothing that is already done.
 *
 * Identity: IRSA only. EKS Pod Identity is not offered yet: the lab's
 * chart (v1.0.3) is built with an AWS SDK too old for it, and the EKS
 * client has no pod identity association calls; "identity: pod-identity"
 * in lab.yaml is refused with that reason.
 *
 * Threads: install_run runs the steps on reconciler workers; the event
 * callback is called from those threads (serialised by the run's lock
 * released: callbacks must lock their own state). install_cancel and
 * install_snapshot may be called from any thread.
 *
 * Ownership: struct lab_config owns every string and array in it
 * (lab_config_free). install_new borrows the lab config and the aws
 * context (both must outlive the install) and copies the option strings.
 * Snapshots and results own their strings (install_snapshot_free,
 * install_result_clear). Rendered text (plans, YAML) belongs to the
 * caller.
 *
 * Owner: helper i1 (src/install, src/cli/cmd_install.c).
 */
#ifndef LATTICECTL_INSTALL_H
#define LATTICECTL_INSTALL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cjson/cJSON.h>

#include "latticectl/aws.h"
#include "latticectl/strbuf.h"

/* ------------------------------------------------------------------ */
/* lab.yaml (docs/lab-yaml.md)                                        */

#define LAB_DEFAULT_CLUSTER	"c1"
#define LAB_DEFAULT_VERSION	"1.33"
#define LAB_DEFAULT_VPC_NAME	"LatticeWorkshop-Clients-VPC"
#define LAB_DEFAULT_SUBNET_TAG	"LatticeWorkshop-Client"
#define LAB_DEFAULT_NODEGROUP	"nodegroup"
#define LAB_DEFAULT_INSTANCE	"m5.xlarge"
#define LAB_DEFAULT_POLICY	"VPCLatticeControllerIAMPolicy"
#define LAB_DEFAULT_ROLE	"VPCLatticeControllerIAMRole"
#define LAB_DEFAULT_NAMESPACE	"aws-application-networking-system"
#define LAB_DEFAULT_SA		"gateway-api-controller"
#define LAB_DEFAULT_RELEASE	"gateway-api-controller"
#define LAB_DEFAULT_CHART	"oci://public.ecr.aws/aws-application-" \
	"networking-k8s/aws-gateway-controller-chart"
#define LAB_DEFAULT_CHART_VERSION "v1.0.3"
#define LAB_DEFAULT_GATEWAYCLASS "amazon-vpc-lattice"
#define LAB_DEFAULT_IMAGE	"latticectl:dev"	/* deploy/Dockerfile */
#define LAB_CONTROLLER_NAME	"application-networking.k8s.aws/" \
	"gateway-api-controller"

enum lab_identity {
	LAB_IDENTITY_IRSA,
	LAB_IDENTITY_POD_IDENTITY	/* parsed, refused (see above) */
};

enum lab_mode {
	LAB_MODE_HELM,		/* the helm CLI, argv as the lab */
	LAB_MODE_MANIFESTS,	/* a deploy-vX.Y.Z.yaml applied natively */
	LAB_MODE_LATTICECTL	/* this project's controller (own manifest) */
};

struct lab_strv {
	char	**v;
	size_t	  n;
};

struct lab_config {
	char		*region;	/* NULL: the AWS context's region */
	char		*account_id;	/* NULL: STS GetCallerIdentity */
	char		*kubeconfig;	/* NULL: --kubeconfig, KUBECONFIG,
					 * ~/.kube/config */
	struct {
		char		*name;
		char		*version;
		int		 manage;	/* create and delete it */
		char		*role_name;	/* control-plane role */
		char		*vpc_id;	/* or vpc_name (Name tag) */
		char		*vpc_name;
		struct lab_strv	 public_subnets;	/* ids or Name tags */
		struct lab_strv	 private_subnets;
		struct lab_strv	 logging;	/* control-plane log types */
	} cluster;
	struct {
		char		*name;		/* NULL: no node group */
		char		*instance_type;
		int		 min_size;
		int		 max_size;
		int		 desired_size;
		int		 volume_size;	/* GiB */
		char		*role_name;
		struct aws_tags	 labels;
		struct aws_tags	 tags;
	} nodegroup;
	char		*policy_name;
	char		*role_name;		/* the controller's IRSA role */
	enum lab_identity identity;
	char		*ns;
	char		*service_account;
	struct {
		enum lab_mode	 mode;
		char		*chart;
		char		*chart_version;
		char		*release;
		char		*manifest;	/* file or https URL; NULL:
						 * the official one */
		char		*image;		/* latticectl mode */
		char		*default_sn;	/* defaultServiceNetwork */
		int		 replicas;	/* latticectl mode */
	} controller;
	char		*log_level;
	char		*gatewayclass;
};

/* A config holding the defaults (the lab's values). */
struct lab_config *lab_config_new(void);
void	 lab_config_free(struct lab_config *);
/* Parse and validate lab.yaml text over the defaults. Errors name the
 * file and the field: "lab.yaml: cluster.nodegroup.minSize: must be an
 * integer from 0 to 1000". */
int	 lab_config_parse(const char *text, size_t len, const char *filename,
	    struct lab_config **out, char **cause);
int	 lab_config_load(const char *path, struct lab_config **out,
	    char **cause);
/* Check a config built in code; same messages as the parser. */
int	 lab_config_validate(const struct lab_config *, const char *filename,
	    char **cause);
/* Render as lab.yaml (a header comment, then every field); caller frees. */
char	*lab_config_yaml(const struct lab_config *);
/* The config `install --init` writes, from the environment as the lab's
 * env script did: region (the AWS context), account (STS), the VPC and
 * subnets found by Name tag (VPC_NAME, default LatticeWorkshop-Clients-
 * VPC), CLUSTER1_NAME / CLUSTER_NAME, EKS_VERSION, NODE_INSTANCE_TYPE,
 * LOG_LEVEL. mode may be NULL (helm). */
int	 lab_config_init(struct aws *, const char *mode,
	    struct lab_config **out, char **cause);
const char *lab_mode_name(enum lab_mode);
int	 lab_mode_parse(const char *, enum lab_mode *);

/* ------------------------------------------------------------------ */
/* Facts restated as data (tests compare them with the reference)      */

/* The recommended inline policy for VPCLatticeControllerIAMPolicy. */
cJSON	*install_policy_document(void);
/* The GatewayClass object (apiVersion gateway.networking.k8s.io/<ver>). */
cJSON	*install_gatewayclass_object(const char *name, const char *version);
/* The project's own controller manifest (latticectl mode): CRDs, then
 * deploy/latticectl-controller.yaml's objects restated; an array of
 * objects. Values come from the lab config and the facts given (any may
 * be NULL). */
cJSON	*install_lab_manifest(const struct lab_config *, const char *region,
	    const char *account, const char *vpc_id);
/* The minimal CRDs of latticectl mode (an array). */
cJSON	*install_lab_crds(void);
/* Fill the lab's values into a latticectl manifest (the ConfigMap
 * latticectl-controller-config, the Deployment's image and replicas). */
void	 install_lab_values(cJSON *objs, const struct lab_config *,
	    const char *region, const char *account, const char *vpc_id);

/* ------------------------------------------------------------------ */
/* Runs                                                               */

enum install_dir {
	INSTALL_UP,		/* install */
	INSTALL_DOWN		/* uninstall (undo, reverse order) */
};

enum install_state {
	INSTALL_PENDING,
	INSTALL_PROGRESSING,
	INSTALL_READY,
	INSTALL_FAILED,
	INSTALL_SKIPPED		/* not selected, or nothing to do */
};

/* One state change of a step (strings valid during the callback). */
struct install_event {
	const char		*step;
	const char		*title;
	enum install_state	 state;
	const char		*reason;	/* CamelCase */
	const char		*message;
	uint64_t		 elapsed_ms;	/* since the step started */
	uint64_t		 run_ms;	/* since the run started */
	int			 changed;	/* the step changed something */
};

typedef void	(*install_event_fn)(void *arg, const struct install_event *);
/* Ask a yes/no question (details: what would be deleted); 1 means yes. */
typedef int	(*install_confirm_fn)(void *arg, const char *question,
		    const char *details);

struct install_opts {
	const struct lab_config	*lab;		/* required, borrowed */
	struct aws		*aws;		/* required, borrowed */
	enum install_dir	 dir;
	const char		*kubeconfig;	/* --kubeconfig (wins over lab) */
	const char		*context;	/* --context: use it as is */
	const char		*only;		/* comma-separated step ids */
	const char		*from;		/* a step id */
	const char		*manifest;	/* --manifest FILE (manifests) */
	const char		*helm;		/* helm program; NULL: "helm" */
	int			 yes;		/* no question before deleting */
	unsigned		 workers;	/* 0: 4 */
	unsigned		 poll_ms;	/* AWS waits; 0: 15000 */
	unsigned		 kube_poll_ms;	/* Kubernetes waits; 0: 2000 */
	unsigned		 retry_base_ms;	/* first retry; 0: 1000 */
	unsigned		 max_failures;	/* per step; 0: 5 */
	uint64_t		 wait_limit_ms;	/* kube waits; 0: 10 min */
	uint64_t		 timeout_ms;	/* whole run; 0: 90 min */
	install_event_fn	 on_event;
	void			*event_arg;
	install_confirm_fn	 confirm;	/* NULL: refuse without --yes */
	void			*confirm_arg;
};

/* A step as the UI shows it. */
struct install_step_info {
	char			*id;
	char			*title;
	enum install_state	 state;
	char			*reason;
	char			*message;
	uint64_t		 elapsed_ms;
	int			 changed;
	int			 selected;
	char			**log;		/* the last lines, oldest first */
	size_t			 n_log;
};

struct install_result {
	size_t		 steps;		/* selected */
	size_t		 ready;
	size_t		 failed;
	size_t		 pending;	/* blocked or interrupted */
	size_t		 changed;	/* steps that changed something */
	int		 cancelled;
	int		 timed_out;
	int		 declined;	/* the deletion question said no */
	char		**left_behind;	/* uninstall: "what: why" */
	size_t		 n_left_behind;
	uint64_t	 elapsed_ms;
};

struct install;

/* Check the options and selection; NULL with *cause. */
struct install *install_new(const struct install_opts *, char **cause);
void	 install_free(struct install *);
/* Run the selected steps to the end: 0 when every one is Ready, 1 when
 * not (failed, blocked, cancelled, declined: see res), -1 with *cause
 * when the run could not start. */
int	 install_run(struct install *, struct install_result *,
	    char **cause);
/* Dry run: observe every selected step and describe what exists, what
 * would be done and the equivalent commands, as text (may be NULL) and
 * as a JSON array (may be NULL). Nothing is written anywhere. */
int	 install_plan(struct install *, struct strbuf *text, cJSON **json,
	    char **cause);
/* Stop a run (thread-safe; the run returns with res.cancelled). */
void	 install_cancel(struct install *);
/* Every step's state (selected or not, in run order). */
void	 install_snapshot(struct install *, struct install_step_info **,
	    size_t *n);
void	 install_snapshot_free(struct install_step_info *, size_t n);
void	 install_result_clear(struct install_result *);
/* The eksctl ClusterConfig equivalent of the cluster step (YAML; the
 * subnets' zones are looked up). */
int	 install_export_eksctl(struct install *, char **yaml, char **cause);

const char *install_state_name(enum install_state);
/* Step ids in install order (NULL-terminated; "routes" is uninstall
 * only). */
const char *const *install_step_ids(void);

/* ------------------------------------------------------------------ */
/* Output: TTY live view, plain lines, JSON lines                     */

enum install_output_mode {
	INSTALL_OUTPUT_PLAIN,	/* one line per state change */
	INSTALL_OUTPUT_JSON,	/* one JSON object per line */
	INSTALL_OUTPUT_TTY	/* compact live view, redrawn in place */
};

struct install_output;

/* An output on f (borrowed) for verb ("install", "uninstall"). */
struct install_output *install_output_new(enum install_output_mode,
	    FILE *f, const char *verb, int color);
void	 install_output_free(struct install_output *);
/* The install_event_fn to pass in install_opts (arg: the output). */
void	 install_output_event(void *arg, const struct install_event *);
/* Attach the run; in TTY mode the live view starts redrawing at the
 * first event (so an uninstall's question comes first). */
void	 install_output_start(struct install_output *, struct install *);
/* Stop redrawing and print the summary (and what was left behind). */
void	 install_output_finish(struct install_output *,
	    const struct install_result *);

/* ------------------------------------------------------------------ */
/* The lab's sample workloads (workloads.c; used by `latticectl demo`)  */

struct kube_client;

/* One workload: a step of the lab's "deploy the sample apps" part. */
struct install_workload {
	const char	*id;		/* gateway, parking, review, rates,
					 * inventory */
	const char	*title;
};

/* The workloads in apply order, terminated by a NULL id (static). */
const struct install_workload *install_workloads(void);
/* The objects of workload id in apply order (an array the caller frees;
 * gatewayclass NULL: the lab's); NULL when id is unknown. */
cJSON	*install_workload_objects(const char *id, const char *gatewayclass);
/* Create or merge-patch every object of id in namespace ns. 0, or -1
 * with *cause naming the object. */
int	 install_workload_apply(struct kube_client *, const char *id,
	    const char *ns, const char *gatewayclass, char **cause);
/* Delete every object of id in ns (reverse order; absent is fine). */
int	 install_workload_delete(struct kube_client *, const char *id,
	    const char *ns, char **cause);
/* 1 when every object of id exists in ns, 0 when not, -1 with *cause. */
int	 install_workload_state(struct kube_client *, const char *id,
	    const char *ns, char **cause);

#endif
