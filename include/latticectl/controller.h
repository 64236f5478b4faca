/*
 * controller: the reconciling engine wired together (DESIGN "Data flow").
 * Informers for the Gateway API kinds, Services, EndpointSlices, the
 * application-networking CRDs and Namespaces feed a typed, indexed store;
 * their handlers map every change to the keys it affects (a Service or
 * EndpointSlice change requeues the routes using it, a Gateway change its
 * routes) and queue them on three reconcilers:
 *
 *   route          "HTTPRoute/ns/name", "GRPCRoute/...", "TLSRoute/...":
 *                  lm_build_route -> finalizer (before any Lattice write)
 *                  -> plan against the shared mirror -> apply -> route
 *                  status per parentRef, the DNS-name and service-ARN
 *                  annotations, events. A deleted route (or one that is no
 *                  longer ours) has its service and target groups removed,
 *                  then its finalizer.
 *   gateway        "GatewayClass/name" (Accepted for our controllerName),
 *                  "Gateway/ns/name" (service network by name: Programmed,
 *                  listener status with attachedRoutes, addresses).
 *   serviceexport  "ServiceExport/ns/name": the exported target groups.
 *   policy         "TargetGroupPolicy/ns/name" (status only; the builder
 *                  applies it), "VpcAssociationPolicy/..." (the service
 *                  network's association with the cluster VPC and its
 *                  security groups), "AccessLogPolicy/..." (an access log
 *                  subscription of the service network or route service),
 *                  "IAMAuthPolicy/..." (auth policy + auth type AWS_IAM):
 *                  upstream's finalizers, annotations and Accepted
 *                  reasons (Accepted, Invalid, TargetNotFound,
 *                  Conflicted: the older policy wins).
 *
 * Writers (Lattice and Kubernetes) run only while this process leads
 * (--leader-elect: a Lease named UP_LEADER_ELECTION_ID); followers keep
 * their caches and mirror warm and serve plan, map and metrics. With
 * dry_run nothing is written anywhere: plans are logged.
 *
 * plan and map use the same store filled by one list per kind
 * (controller_load) instead of informers, and never write.
 *
 * Configuration comes from flags and upstream's environment variables
 * (controller_config_env). The account ID, when not given, is asked of
 * STS (GetCallerIdentity).
 *
 * Threads: informer threads (one per kind), N route workers, one gateway
 * and one export worker, the leader elector, the resync thread and the
 * metrics server. Every public function is thread-safe.
 *
 * Ownership: the controller keeps the kube_client and aws pointers (they
 * must outlive it) and copies every string of its config. JSON trees and
 * strings returned are the caller's.
 */
#ifndef LATTICECTL_CONTROLLER_H
#define LATTICECTL_CONTROLLER_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "latticectl/aws.h"
#include "latticectl/kube.h"
#include "latticectl/strbuf.h"

/* Upstream's environment variables. */
#define CONTROLLER_ENV_REGION		"REGION"
#define CONTROLLER_ENV_VPC		"CLUSTER_VPC_ID"
#define CONTROLLER_ENV_ACCOUNT		"AWS_ACCOUNT_ID"
#define CONTROLLER_ENV_CLUSTER		"CLUSTER_NAME"
#define CONTROLLER_ENV_DEFAULT_SN	"DEFAULT_SERVICE_NETWORK"
#define CONTROLLER_ENV_SN_OVERRIDE	"ENABLE_SERVICE_NETWORK_OVERRIDE"
#define CONTROLLER_ENV_LATTICE_ENDPOINT	"LATTICE_ENDPOINT"
/* Ours (not upstream's): the client-side VPC Lattice rate. */
#define CONTROLLER_ENV_LATTICE_RPS	"LATTICE_RPS"
#define CONTROLLER_ENV_LATTICE_BURST	"LATTICE_BURST"

#define CONTROLLER_SN_RECHECK_S		30	/* Gateway whose SN is missing */
#define CONTROLLER_SN_CACHE_S		30	/* ListServiceNetworks cache */
#define CONTROLLER_GW_DELETE_WAIT_S	10	/* Gateway with routes left */

struct controller_config {
	const char	*account_id;	/* AWS_ACCOUNT_ID; NULL: ask STS */
	const char	*cluster_name;	/* CLUSTER_NAME (required) */
	const char	*vpc_id;	/* CLUSTER_VPC_ID (required) */
	const char	*default_sn;	/* DEFAULT_SERVICE_NETWORK or NULL */
	int		 sn_override;	/* ENABLE_SERVICE_NETWORK_OVERRIDE */
	unsigned	 workers;	/* route workers; 0: 1 */
	unsigned	 resync_s;	/* 0: no periodic resync */
	int		 dry_run;	/* plan and log, write nothing */
	int		 once;		/* converge once: blocked keys are
					 * not retried (see wait_converged) */
	int		 leader_elect;	/* gate writers on a Lease */
	const char	*leader_ns;	/* the Lease's namespace (required
					 * with leader_elect) */
	const char	*identity;	/* NULL: hostname_<random> */
	const char	*metrics_addr;	/* NULL: no /metrics server */
	const char	*health_addr;	/* NULL: no /healthz, /readyz */
	const char	*ns;		/* watch one namespace; NULL: all */
	int		 no_events;	/* record no Kubernetes events */
	unsigned	 requeue_pending_s; /* wait for *_IN_PROGRESS; 0:
					 * PLAN_REQUEUE_PENDING_S */
	double		 lattice_rps;	/* --lattice-rps, LATTICE_RPS: set
					 * on the struct aws by controller_new
					 * (aws_set_rate); 0: leave it */
	double		 lattice_burst;	/* LATTICE_BURST; 0: lattice_rps */
};

/* Fill unset members from upstream's variables (CLUSTER_VPC_ID,
 * AWS_ACCOUNT_ID, CLUSTER_NAME, DEFAULT_SERVICE_NETWORK,
 * ENABLE_SERVICE_NETWORK_OVERRIDE, ROUTE_MAX_CONCURRENT_RECONCILES,
 * RECONCILE_DEFAULT_RESYNC_SECONDS) and ours (LATTICE_RPS,
 * LATTICE_BURST). The strings point into the
 * environment. -1 with *cause on a malformed value. */
int	 controller_config_env(struct controller_config *, char **cause);

struct controller;

/* Check the config (asking STS for the account when needed) and make a
 * controller (nothing started). NULL with *cause. */
struct controller *controller_new(struct kube_client *, struct aws *,
	    const struct controller_config *, char **cause);
/* Stop (if started) and free. */
void	 controller_free(struct controller *);

/* Start: informers (required kinds: GatewayClass, Gateway, HTTPRoute;
 * kinds whose CRD is not served are skipped with a log line), wait for
 * their first sync (timeout_ms, 0: forever), load the mirror, make sure
 * DEFAULT_SERVICE_NETWORK exists, start the metrics server, the leader
 * elector, the resync thread and the workers. -1 with *cause. */
int	 controller_start(struct controller *, uint64_t timeout_ms,
	    char **cause);
/* Stop everything (idempotent). */
void	 controller_stop(struct controller *);

/* What the last reconcile of every key said. */
struct controller_summary {
	size_t	keys;		/* keys reconciled at least once */
	size_t	converged;	/* in sync (or nothing to do) */
	size_t	pending;	/* waiting on a transition */
	size_t	blocked;	/* problems or conflicts: not retried in
				 * once mode */
	size_t	failed;		/* last run failed */
	size_t	drift;		/* dry run: keys with a non-empty plan */
};

/* Wait until every reconciler is idle and stays so (no queued, running
 * or retrying key) for a short settle time; 0 with *sum filled, -1 after
 * timeout_ms. */
int	 controller_wait_converged(struct controller *, uint64_t timeout_ms,
	    struct controller_summary *);
/* Reload the mirror and queue every key (the periodic resync, at once). */
int	 controller_resync(struct controller *, char **cause);
/* The last reconcile outcome of every key as a JSON array of
 * {"key","state","message"} (state: converged, pending, blocked, failed,
 * drift). */
cJSON	*controller_keys_json(struct controller *);
/* Lattice API calls made by the engine (writes_only: the writing ones). */
uint64_t controller_lattice_calls(struct controller *, int writes_only);

/* ---- plan and map (no informers, no writes) ---- */

/* Fill the store with one list per kind (ns NULL: all namespaces) and
 * load the mirror. -1 with *cause. */
int	 controller_load(struct controller *, const char *ns, char **cause);

/* Diff every route (and ServiceExport) against Lattice: *out gets
 * {"inSync":bool,"plans":[plan_to_json...]} (plans with something to do
 * only), table (may be NULL) the human form. Returns 0 in sync, 1 with
 * drift, -1 on error (*cause). */
int	 controller_plan(struct controller *, const char *ns, cJSON **out,
	    struct strbuf *table, char **cause);

/* The route -> Lattice mapping of routes in ns (NULL: all), or of the
 * route named route ("name", "kind/name"), as a JSON array of
 * {"kind","namespace","name","accepted","serviceNetworks":[...],
 *  "service":{...},"listeners":[{...,"rules":[{"priority","match",
 *  "targetGroups":[{"name","weight","protocol","healthCheck",
 *  "targets":[...]}]}]}]}. -1 with *cause (a named route not found). */
int	 controller_map(struct controller *, const char *ns,
	    const char *route, cJSON **out, char **cause);

#endif
