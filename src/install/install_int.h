/*
 * Internals of the installer (src/install only): the step table, the run
 * context, observations and plans, and the helpers every step uses.
 *
 * A step is a struct istep_ops of five functions over a struct irun (the
 * step inside one run). observe fills a struct iobs (how much of the step
 * exists, what exists in words, step data in priv); plan and undo_plan
 * list actions with their equivalent commands; apply and undo change one
 * thing or more and return (the run observes again); verify checks what
 * an ALL observation promises. Errors: INST_RETRY (throttling, 5xx,
 * transport: the framework retries with backoff) or INST_FATAL (the step
 * fails at once); *cause says why.
 *
 * Ownership: a struct iobs owns exists, reason, msg and priv (iobs_clear);
 * a struct iplan owns its actions (iplan_free). The run context owns the
 * facts, the kube client and every irun's strings.
 */
#ifndef LATTICECTL_INSTALL_INT_H
#define LATTICECTL_INSTALL_INT_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "latticectl/aws.h"
#include "latticectl/eks.h"
#include "latticectl/install.h"
#include "latticectl/kube.h"
#include "latticectl/strbuf.h"

#define INST_MAX_STEPS		8
#define INST_MAX_DEPS		4
#define INST_LOG_LINES		8
#define INST_MAX_APPLIES	12	/* applies without reaching a wait */
#define INST_RETRY		(-1)
#define INST_FATAL		(-2)
#define INST_WAIT		1	/* verify / undo: not yet */

#define INST_EKS_CLUSTER_POLICY	"arn:aws:iam::aws:policy/AmazonEKSClusterPolicy"
#define INST_OWNER_LABEL	"app.kubernetes.io/managed-by"
#define INST_OWNER_VALUE	"latticectl"

enum ihave {
	IHAVE_NONE,		/* nothing of the step exists */
	IHAVE_SOME,		/* part of it */
	IHAVE_WAIT,		/* a transition is under way */
	IHAVE_ALL,		/* everything (verify next) */
	IHAVE_CONFLICT,		/* something in the way: reported, kept */
	IHAVE_BLOCKED		/* cannot look yet (no cluster) */
};

struct iobs {
	enum ihave	 have;
	struct strbuf	 exists;	/* "; "-separated facts */
	char		*reason;	/* for WAIT / CONFLICT / BLOCKED */
	char		*msg;
	void		*priv;
	void		(*priv_free)(void *);
};

struct iaction {
	char	*what;
	char	*cmd;		/* the equivalent command, or NULL */
};

struct iplan {
	struct iaction	*v;
	size_t		 n;
};

struct irun;
struct kapply;

struct istep_ops {
	const char	*id;
	const char	*title;
	const char	*deps[INST_MAX_DEPS + 1];	/* NULL-terminated */
	int		 uninstall_only;
	int		 slow;		/* waits polled at poll_ms (AWS) */
	int	(*observe)(struct irun *, struct iobs *, char **cause);
	void	(*plan)(struct irun *, const struct iobs *, struct iplan *);
	int	(*apply)(struct irun *, const struct iobs *, char **cause);
	/* 0 verified, INST_WAIT (cause: what is awaited), or an error. */
	int	(*verify)(struct irun *, const struct iobs *, char **cause);
	void	(*undo_plan)(struct irun *, const struct iobs *,
		    struct iplan *);
	int	(*undo)(struct irun *, const struct iobs *, char **cause);
};

extern const struct istep_ops istep_cluster;
extern const struct istep_ops istep_sg;
extern const struct istep_ops istep_iam_policy;
extern const struct istep_ops istep_namespace;
extern const struct istep_ops istep_sa;
extern const struct istep_ops istep_controller;
extern const struct istep_ops istep_gatewayclass;
extern const struct istep_ops istep_routes;

/* The step inside one run (fields under the run's lock). */
struct irun {
	struct install		*in;
	const struct istep_ops	*ops;
	size_t			 idx;
	int			 selected;
	enum install_state	 state;
	char			*reason;
	char			*message;
	int			 blocked;	/* a dependency will not come */
	struct irun		*blocked_by;
	int			 block_reported;
	int			 changed;
	unsigned		 applies;
	unsigned		 failures;	/* consecutive errors */
	uint64_t		 started_ms;	/* monotonic; 0: not yet */
	uint64_t		 ended_ms;
	uint64_t		 wait_since_ms;	/* kube verify wait began */
	char			*log[INST_LOG_LINES];
	size_t			 log_next;
	size_t			 n_log;
	char			*left;		/* uninstall: left behind */
};

/* What the run resolved once (region, account, VPC, subnets). */
struct ifacts {
	int		 resolved;
	char		*region;
	char		*account;
	char		*vpc_id;		/* NULL when unresolved */
	struct lab_strv	 public_ids;
	struct lab_strv	 private_ids;
	struct lab_strv	 public_az;
	struct lab_strv	 private_az;
	char		*cluster_arn;		/* the kubeconfig context */
	char		*vpc_error;		/* why the VPC is unknown */
};

struct install {
	struct install_opts	 o;		/* strings copied below */
	char			*s_kubeconfig;
	char			*s_context;
	char			*s_only;
	char			*s_from;
	char			*s_manifest;
	char			*s_helm;
	const struct lab_config	*lab;
	struct aws		*aws;
	pthread_mutex_t		 lock;
	pthread_cond_t		 cond;
	int			 cond_mono;	/* cond uses CLOCK_MONOTONIC */
	struct irun		 steps[INST_MAX_STEPS];
	size_t			 n_steps;
	struct reconciler	*rec;
	uint64_t		 start_ms;
	int			 cancelled;
	int			 dry;		/* planning: never write */
	struct ifacts		 f;
	pthread_mutex_t		 kube_lock;
	struct kube_client	*kube;
	char			*kubeconfig;	/* resolved path */
	cJSON			*ctl_objs;	/* controller manifest, ordered */
	struct kapply		*ka;		/* over kube */
};

/* ---- observations, plans, logs (util.c) ---- */
void	 iobs_init(struct iobs *);
void	 iobs_clear(struct iobs *);
/* Append a fact to what exists. */
void	 iobs_exists(struct iobs *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* Set have, reason and message. */
void	 iobs_set(struct iobs *, enum ihave, const char *reason,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Add an action; cmd (may be NULL) is taken. */
void	 iplan_add(struct iplan *, char *cmd, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
void	 iplan_free(struct iplan *);
/* A command line from NULL-terminated words, shell-quoted where needed. */
char	*icmd(const char *word, ...) __attribute__((sentinel));
/* Quote one word for a POSIX shell when needed (appended). */
void	 icmd_word(struct strbuf *, const char *);
/* Add a line to the step's log tail (and the debug log). */
void	 irun_log(struct irun *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* Note something an uninstall leaves behind, and why. */
void	 irun_left(struct irun *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* Turn an AWS error into a cause and INST_RETRY / INST_FATAL (cleared). */
int	 inst_aws_fail(struct aws_error *, const char *what, char **cause);
/* The same for Kubernetes errors. */
int	 inst_kube_fail(struct kube_error *, const char *what, char **cause);
/* Is this AWS error code one of (NULL-terminated list)? */
int	 inst_aws_is(const struct aws_error *, ...) __attribute__((sentinel));

/* ---- facts and connections (facts.c) ---- */
/* Resolve region, account, VPC and subnets (read-only calls). A VPC that
 * cannot be found is an error only when need_vpc is set. */
int	 inst_facts(struct install *, int need_vpc, char **cause);
/* DescribeCluster of the lab's cluster: 0, 1 when it does not exist, or
 * INST_RETRY / INST_FATAL. */
int	 inst_cluster(struct install *, struct eks_cluster *, char **cause);
/* The Kubernetes client for the lab's cluster: 0, 1 when there is no
 * context for it yet (*cause says why), or an error. */
int	 inst_kube(struct install *, struct kube_client **, char **cause);
/* The client for an observation: 0, or 1 with o set to BLOCKED (install)
 * or NONE (uninstall) when there is no cluster context, or an error. */
int	 inst_kube_obs(struct irun *, struct iobs *, struct kube_client **,
	    char **cause);
/* Forget the client (after the kubeconfig changed). */
void	 inst_kube_reset(struct install *);
/* arn:aws:iam::<account>:<kind>/<name> (caller frees). */
char	*inst_iam_arn(struct install *, const char *kind, const char *name);
/* Wait budget for Kubernetes verifications: 0 ok, -1 over the limit. */
int	 inst_wait_budget(struct irun *);

/* ---- kubeconfig (kubecfg.c) ---- */
/* The kubeconfig file the installer writes (caller frees). */
char	*kubecfg_default_path(const char *flag, const char *lab);
/* Does the file hold context name pointing at server? 1 yes, 0 no. */
int	 kubecfg_has(const char *path, const char *name, const char *server);
/* Add or replace cluster, user (exec `aws eks get-token`) and context
 * called name, make it current; written atomically, mode 0600. */
int	 kubecfg_put_eks(const char *path, const char *name,
	    const char *server, const char *ca_data, const char *region,
	    const char *cluster, char **cause);
/* Remove the three entries called name (0 also when absent). */
int	 kubecfg_remove(const char *path, const char *name, char **cause);

/* ---- manifests applied object by object (kapply.c) ---- */
struct kapply *kapply_new(struct kube_client *);
void	 kapply_free(struct kapply *);
/* Object state: 0 absent, 1 present and up to date, 2 present but
 * different, 3 being deleted; or an error (INST_*). */
int	 kapply_state(struct kapply *, const cJSON *obj, const char *def_ns,
	    cJSON **live, char **cause);
/* Create, or merge-patch to match; *changed set when written. */
int	 kapply_apply(struct kapply *, const cJSON *obj, const char *def_ns,
	    int *changed, char **cause);
/* Delete (absent is fine). */
int	 kapply_delete(struct kapply *, const cJSON *obj, const char *def_ns,
	    char **cause);
/* Forget discovery answers (after CRDs were created). */
void	 kapply_rediscover(struct kapply *);
/* Sort a manifest (array) the way it is applied: CRDs, namespaces,
 * then the rest in file order. A new array of copies. */
cJSON	*kapply_order(const cJSON *objs);
/* "Kind ns/name" for messages (caller frees). */
char	*kapply_name(const cJSON *obj, const char *def_ns);
/* Is the object a kind (apiVersion ignored)? */
int	 kapply_is(const cJSON *obj, const char *kind);
/* Does want hold only fields equal in have (arrays element-wise)? */
int	 kapply_subset(const cJSON *want, const cJSON *have);

/* ---- the controller's manifest sources (ctl_manifest.c) ---- */
/* The manifest of the lab's mode (latticectl: generated; manifests: the
 * file or URL); an array of objects. */
int	 ctl_manifest_load(struct irun *, cJSON **objs, char **cause);
/* The official deploy manifest URL of a version (caller frees). */
char	*ctl_manifest_url(const char *version);
/* Pods ready for the Deployments of objs (or for a label selector):
 * 0 all Ready, INST_WAIT with *cause saying what is missing, or error. */
int	 ctl_pods_ready(struct kube_client *, const char *ns,
	    const char *selector, char **cause);

/* ---- helm mode (step_helm.c) ---- */
/* Observe the release: fills o (ALL when deployed). */
int	 helm_observe(struct irun *, struct iobs *, char **cause);
void	 helm_plan(struct irun *, const struct iobs *, struct iplan *);
int	 helm_apply(struct irun *, const struct iobs *, char **cause);
void	 helm_undo_plan(struct irun *, const struct iobs *, struct iplan *);
int	 helm_undo(struct irun *, const struct iobs *, char **cause);
/* The argv of `helm install` as the lab typed it (NULL-terminated,
 * caller frees with helm_argv_free). */
char	**helm_install_argv(struct install *, int upgrade);
void	 helm_argv_free(char **);

/* ---- IAM documents (policy.c) ---- */
/* The IRSA trust policy for the OIDC provider and service account. */
cJSON	*inst_trust_irsa(const char *provider_arn, const char *issuer_host,
	    const char *ns, const char *sa);
/* A trust policy letting a service (eks.amazonaws.com) assume a role. */
cJSON	*inst_trust_service(const char *service);
/* Do two policy documents say the same (one-element lists = scalars,
 * statement and value order ignored)? */
int	 inst_policy_equal(const cJSON *, const cJSON *);
/* The AWS managed policies a node role needs (NULL-terminated ARNs). */
const char *const *inst_node_policies(void);

/* ---- the runner (run.c, run_state.c, plan.c) ---- */
struct irun *inst_step(struct install *, const char *id);
/* Selected steps in the run's order (dir), NULL-terminated array the
 * caller frees. */
struct irun **inst_order(struct install *);
/* Observe and plan every selected step in order (dry run, and the
 * uninstall question); *actions counts the planned actions. */
int	 inst_plan_all(struct install *, struct strbuf *text, cJSON **json,
	    size_t *actions, char **cause);
/* Set a step's state (lock taken inside; the event goes out unlocked). */
void	 irun_state(struct irun *, enum install_state, const char *reason,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Is every selected step finished (or blocked)? lock held. */
int	 inst_finished(struct install *);
/* Fill res from the steps (lock held). */
void	 inst_result(struct install *, struct install_result *);
/* Select steps from o.only / o.from; -1 with *cause on unknown ids. */
int	 inst_select(struct install *, char **cause);
/* Mark the steps depending on a failed one as blocked (lock held). */
void	 inst_block_dependents(struct install *, struct irun *);
/* Does step a depend on step b (directly)? */
int	 inst_depends(const struct irun *a, const struct irun *b);
/* Monotonic now. */
uint64_t inst_now(void);

#endif
