/*
 * The TUI's producer, shared by `latticectl tui` and `latticectl demo`:
 * one feed thread turns informer caches (routes, gateways, events), the
 * engine's route -> Lattice mapping and plan, the installer's steps and
 * the action results into UI snapshots (ui.h); one worker thread runs the
 * actions the UI queues (the UI thread never does I/O).
 *
 *   tui_feed.c          the feed thread, informers, publishing
 *   tui_feed_lattice.c  controller_map + controller_plan -> chain, :tg,
 *                       route details (with the route's Events)
 *   tui_feed_owner.c    read-only when another controller owns the
 *                       GatewayClass (leader Lease, Accepted condition)
 *   tui_feed_lab.c      the installer: observed (tui --lab) or driven
 *                       (demo), and the in-process engine of the demo
 *   tui_feed_act.c      the action queue and its worker (install.*,
 *                       workload.*, route.delete, doctor.run)
 *
 * Threads: tui_feed_* functions are called from the command's thread;
 * the feed thread owns the Lattice results and the owner check; struct
 * tui_lab and struct tui_act guard their state with their own locks and
 * are read by the feed thread through the hooks.
 *
 * Ownership: the feed borrows the kube client, the AWS context, the lab
 * and the actions (they must outlive tui_feed_stop) and copies strings.
 */
#ifndef LATTICECTL_CLI_TUI_FEED_H
#define LATTICECTL_CLI_TUI_FEED_H

#include <pthread.h>
#include <stdio.h>
#include <stdint.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "latticectl/aws.h"
#include "latticectl/controller.h"
#include "latticectl/install.h"
#include "latticectl/kinformer.h"
#include "latticectl/kube.h"
#include "latticectl/log.h"
#include "latticectl/ui.h"

enum tui_kind_id {
	TUI_K_HTTPROUTES,
	TUI_K_GRPCROUTES,
	TUI_K_GATEWAYS,
	TUI_K_EVENTS,
	TUI_K_COUNT
};

/* One watched kind: resolved lazily, its informer and health. */
struct tui_kind {
	const struct kube_resource	*base;
	const struct kube_resource	*alt;	/* when base is not served */
	enum ui_list_id			 list;	/* UI_LIST_COUNT: no rows */
	struct kube_resource		 rres;
	struct kube_informer		*inf;
	struct kube_informer_stats	 last;
	int				 stale;
	time_t				 stale_since;
	time_t				 next_try;
	char				*err;
	int				 optional; /* errors are not shown */
};

struct tui_lab;
struct tui_act;

struct tui_feed_opts {
	struct kube_client	*kc;		/* borrowed */
	struct aws		*aws;		/* borrowed; NULL: no chain */
	const char		*context;
	const char		*server;
	const char		*ns;		/* NULL: all namespaces */
	int			 readonly;	/* --readonly */
	int			 detect_owner;	/* read-only when another
						 * controller owns it */
	const char		*owner_ns;	/* the controller's namespace */
	const char		*gatewayclass;	/* NULL: the lab's */
	/* The feed's own read-only controller (tui): cluster and VPC; no
	 * chain while either is unknown. Ignored while lab has an engine. */
	const char		*cluster_name;
	const char		*vpc_id;
	const char		*account_id;
	unsigned		 lattice_ms;	/* refresh period; 0: 2000 */
	struct tui_lab		*lab;		/* may be NULL */
	struct tui_act		*act;		/* may be NULL */
};

/* The producer (fields after kinds: the feed thread's own). */
struct tui_feed {
	struct tui_feed_opts	 o;		/* strings copied below */
	char			*s_context;
	char			*s_server;
	char			*s_ns;
	char			*s_owner_ns;
	char			*s_gatewayclass;
	char			*s_cluster;
	char			*s_vpc;
	char			*s_account;
	struct ui_model		*model;
	struct tui_kind		 kinds[TUI_K_COUNT];
	pthread_t		 thread;
	int			 started;
	pthread_mutex_t		 lock;
	pthread_cond_t		 cond;
	int			 stop;
	int			 dirty;
	/* feed thread only */
	uint64_t		 lattice_next;	/* monotonic ms */
	uint64_t		 lattice_last;
	int			 lattice_dirty;
	cJSON			*map;		/* controller_map's array */
	cJSON			*plan;		/* controller_plan's object */
	char			*lattice_err;
	int			 lattice_tried;
	int			 lattice_vpc_tried;
	uint64_t		 recheck_next;
	uint64_t		 owner_next;
	int			 owner_ro;
	char			*owner_why;
	uint64_t		 lattice_digest; /* of map, plan, error */
	uint64_t		 lattice_gen;	/* bumped when that changes */
	unsigned		 lattice_same;	/* refreshes without change */
	uint64_t		 pub_digest;	/* inputs at the last publish */
	unsigned long		 published;	/* snapshots published */
	unsigned long		 skipped;	/* rounds with nothing new */
};

#define TUI_DIGEST_SEED	0xcbf29ce484222325ULL

/* FNV-1a of n bytes (or a string, NULL apart from ""), from h. */
uint64_t tui_digest(uint64_t h, const void *, size_t n);
uint64_t tui_digest_str(uint64_t h, const char *);

/* Make the feed (local work only) and start its thread. */
struct tui_feed *tui_feed_start(const struct tui_feed_opts *,
	    struct ui_model *);
/* Wake the feed: something changed (any thread). */
void	 tui_feed_poke(struct tui_feed *);
/* Stop the thread and free the feed (NULL is fine). */
void	 tui_feed_stop(struct tui_feed *);
/* The Events about kind ns/name from the feed's Events informer, as a
 * new array (NULL when none are known). Feed thread. */
cJSON	*tui_feed_events(struct tui_feed *, const char *kind,
	    const char *ns, const char *name);
/* How many routes the informers hold (feed thread). */
size_t	 tui_feed_nroutes(struct tui_feed *);
/* Is the feed read-only now (forced or another owner)? Any thread. */
int	 tui_feed_readonly(struct tui_feed *);

/* ---- cmd_tui.c, shared with cmd_demo.c ---- */
struct cli_global;
/* Log to path (NULL: /dev/null) and into the model's log ring. */
FILE	*tui_log_open(struct cli_global *, const char *path,
	    struct ui_model *);
void	 tui_log_sink(void *arg, enum log_level, const char *module,
	    const char *line);

/* ---- tui_feed_lattice.c (feed thread) ---- */
/* Refresh the map and plan when due (or forced). */
void	 tui_lattice_refresh(struct tui_feed *, int force);
/* Hang the chain below a route row, add its target groups to the :tg
 * list and append its detail to s. */
void	 tui_lattice_route(struct tui_feed *, struct ui_snapshot *,
	    struct ui_item *row, const cJSON *route);
/* Map and plan with a read-only controller loaded for this call (in:
 * cluster, VPC, account); 0, or -1 with *cause. */
int	 tui_lattice_fresh(struct kube_client *, struct aws *,
	    const struct controller_config *in, const char *ns, cJSON **map,
	    cJSON **plan, char **cause);
/* Set the :tg list's columns of s. */
void	 tui_lattice_columns(struct ui_snapshot *);
/* The feed's Lattice state for the header (conn_error) or NULL. */
const char *tui_lattice_error(struct tui_feed *);
void	 tui_lattice_free(struct tui_feed *);

/* ---- tui_feed_owner.c (feed thread) ---- */
/* Re-check who owns the GatewayClass when due. */
void	 tui_owner_check(struct tui_feed *);

/* ---- tui_feed_lab.c ---- */
struct tui_lab_opts {
	struct lab_config	*lab;		/* borrowed */
	struct aws		*aws;		/* borrowed */
	struct kube_client	*kc;		/* the engine's client */
	const char		*kubeconfig;	/* installer --kubeconfig */
	const char		*context;
	int			 drive;		/* demo: runs and an engine */
	unsigned		 poll_ms;	/* installer polls; 0: default */
	const char		*account_id;	/* engine; NULL: STS */
	FILE			*echo;		/* state changes as lines
						 * (headless), or NULL */
};

struct tui_lab *tui_lab_new(const struct tui_lab_opts *, char **cause);
void	 tui_lab_free(struct tui_lab *);
/* Observe every step (install_plan) and note their commands. */
int	 tui_lab_recheck(struct tui_lab *, char **cause);
/* The dry run as text lines (caller frees the strbuf's buffer). */
int	 tui_lab_dryrun(struct tui_lab *, struct strbuf *, char **cause);
/* Start a run in its own thread (dir, only: NULL all non-skipped); -1
 * with msg when one is running. */
int	 tui_lab_run(struct tui_lab *, enum install_dir, const char *only,
	    char *msg, size_t msglen);
/* Cancel the running run (any thread; no-op when none). */
void	 tui_lab_cancel(struct tui_lab *);
/* Toggle a step's skip mark; -1 with msg for an unknown step. */
int	 tui_lab_skip(struct tui_lab *, const char *step, char *msg,
	    size_t msglen);
/* Does this lab drive runs and an engine (demo)? */
int	 tui_lab_driving(struct tui_lab *);
/* Is a run in progress? */
int	 tui_lab_running(struct tui_lab *);
/* Wait for the running run to end; its install_run answer (0 all Ready,
 * 1 not), or -1 when there was none. */
int	 tui_lab_wait(struct tui_lab *);
/* The running engine (NULL before the controller step is Ready), held
 * until tui_lab_engine_release (always call it, also after NULL). */
struct controller *tui_lab_engine_hold(struct tui_lab *);
void	 tui_lab_engine_release(struct tui_lab *);
/* Wait until the engine runs (timeout_ms); 0 or -1. */
int	 tui_lab_wait_engine(struct tui_lab *, uint64_t timeout_ms);
/* Fill s->install from the steps. */
void	 tui_lab_fill(struct tui_lab *, struct ui_snapshot *);
/* The lab's facts for the engine and the doctor (valid while the lab
 * lives; NULL unknown). */
const char *tui_lab_cluster(struct tui_lab *);
const char *tui_lab_vpc(struct tui_lab *);
/* Poke this feed on every change (may be NULL). */
void	 tui_lab_set_feed(struct tui_lab *, struct tui_feed *);

/* ---- tui_feed_sn.c ---- */
#define TUI_LAB_SN	"my-hotel"	/* the lab's Gateway and network */
/* Make the service network name (if missing) and associate vpc (NULL:
 * no association), as the lab does before its Gateway. */
int	 tui_sn_ensure(struct aws *, const char *name, const char *vpc,
	    char **cause);

/* ---- tui_feed_tree.c ---- */
/* Print a controller_map array as an indented tree. */
void	 tui_tree_print(FILE *, const cJSON *map);
/* 1 when every route named in want (NULL-terminated) is accepted with an
 * ACTIVE service and all its targets HEALTHY. */
int	 tui_tree_converged(const cJSON *map, const char *const *want);

/* ---- tui_feed_act.c ---- */
struct tui_act_opts {
	struct kube_client	*kc;		/* workloads, route.delete */
	struct aws		*aws;
	const char		*ns;		/* workloads' namespace */
	const char		*gatewayclass;
	const char		*cluster_name;	/* doctor (may be NULL) */
	const char		*vpc_id;
	const char		*account_id;
	struct tui_lab		*lab;		/* NULL: no installer */
	int			 workloads;	/* offer the lab's workloads */
	int			 drive;		/* runs allowed (demo) */
	struct ui_model		*model;		/* log lines */
};

struct tui_act *tui_act_start(const struct tui_act_opts *);
void	 tui_act_stop(struct tui_act *);
void	 tui_act_set_feed(struct tui_act *, struct tui_feed *);
/* The ui_action_fn (arg: the tui_act). */
int	 tui_act_ui(void *arg, const char *verb, const char *target,
	    char *msg, size_t msglen);
/* Queue an action as the UI would (no read-only check). */
int	 tui_act_queue(struct tui_act *, const char *verb, const char *target);
/* Wait until the queue is empty and the worker idle. */
void	 tui_act_drain(struct tui_act *);
/* Fill s->workloads and s->doctor. */
void	 tui_act_fill(struct tui_act *, struct ui_snapshot *);
/* Failures so far (headless exit code). */
unsigned tui_act_failures(struct tui_act *);

#endif
