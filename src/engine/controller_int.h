/*
 * Internals of the controller (src/engine/controller*.c). Not a public
 * API.
 *
 * The store (cstore) holds the typed gwapi view of every object the
 * informers (or controller_load's lists) delivered, indexed for the
 * builder's lookups; it owns the parsed objects. Readers hold its read
 * lock for as long as they use borrowed objects (a whole build); the
 * informer handlers take the write lock to replace one object.
 *
 * Reconcilers: route (N workers), gateway (GatewayClass, Gateway, the
 * default service network), serviceexport and policy (one worker each).
 *
 * Lock order: store rw, then keys_mu / sn_mu (never the other way).
 */
#ifndef LATTICECTL_ENGINE_CONTROLLER_INT_H
#define LATTICECTL_ENGINE_CONTROLLER_INT_H

#include <pthread.h>
#include <stdint.h>

#include "latticectl/controller.h"
#include "latticectl/gwapi.h"
#include "latticectl/kevents.h"
#include "latticectl/kinformer.h"
#include "latticectl/kleader.h"
#include "latticectl/lattice.h"
#include "latticectl/lmodel.h"
#include "latticectl/metrics.h"
#include "latticectl/hmap.h"
#include "latticectl/plan.h"
#include "latticectl/reconcile.h"
#include "latticectl/status.h"

/* ---- the typed store ---- */

enum cs_kind {
	CS_CLASS = 0,
	CS_GATEWAY,
	CS_HTTPROUTE,
	CS_GRPCROUTE,
	CS_TLSROUTE,
	CS_REFGRANT,
	CS_SERVICE,
	CS_SLICE,
	CS_EXPORT,
	CS_IMPORT,
	CS_TGP,
	CS_NAMESPACE,
	CS_VAP,		/* VpcAssociationPolicy */
	CS_ALP,		/* AccessLogPolicy */
	CS_IAP,		/* IAMAuthPolicy */
	CS_KIND_MAX
};

/* A namespace's labels (for allowedRoutes selectors). */
struct cs_ns {
	char		*name;
	struct gw_kv	*labels;
	size_t		 nlabels;
};

/* A growable array of borrowed pointers. */
struct cs_vec {
	const void	**v;
	size_t		  n;
	size_t		  cap;
};

struct cstore;

/* The descriptor, kind name and route kind of a store kind. */
const struct kube_resource *cs_kind_res(enum cs_kind);
const char *cs_kind_name(enum cs_kind);
int	 cs_is_route(enum cs_kind);
enum cs_kind cs_route_kind(enum gw_route_kind);

struct cstore	*cs_new(void);
void		 cs_free(struct cstore *);
/* Parse obj and insert or replace it; -1 with *cause on a parse error
 * (an older copy is dropped then). */
int		 cs_put(struct cstore *, enum cs_kind, const cJSON *obj,
		    char **cause);
void		 cs_del(struct cstore *, enum cs_kind, const cJSON *obj);
void		 cs_rdlock(struct cstore *);
void		 cs_unlock(struct cstore *);
/* Readers (read lock held). */
const void	*cs_get(struct cstore *, enum cs_kind, const char *ns,
		    const char *name);
void		 cs_each(struct cstore *, enum cs_kind,
		    int (*fn)(void *arg, const void *obj), void *arg);
size_t		 cs_routes(struct cstore *, const struct gw_route *const **);
const char	*cs_created(struct cstore *, const struct gw_route *);
/* creationTimestamp of any stored object, or NULL. */
const char	*cs_created_of(struct cstore *, enum cs_kind, const char *ns,
		    const char *name);

/* What one build reads: lookups over the store (read lock held). */
struct cs_view {
	struct cstore		 *s;
	struct gw_lookup	  lk;
	struct lm_sources	  src;
};
void	 cs_view_init(struct cs_view *, struct cstore *);

/* ---- the controller ---- */

enum ctl_state {
	CTL_CONVERGED = 0,
	CTL_PENDING,
	CTL_BLOCKED,
	CTL_FAILED,
	CTL_DRIFT
};

struct ctl_key {
	enum ctl_state	 state;
	char		*message;
};

struct controller;

/* Handler context of one informer. */
struct ctl_hctx {
	struct controller	*c;
	enum cs_kind		 kind;
};

struct controller {
	struct controller_config cfg;		/* strings owned */
	char			*managed_by;
	struct lm_config	 lm;
	struct kube_client	*kc;
	struct aws		*aws;
	struct mirror		*mirror;
	struct cstore		*store;
	struct kube_resource	 res[CS_KIND_MAX];	/* resolved */
	int			 served[CS_KIND_MAX];
	struct kube_informer	*inf[CS_KIND_MAX];
	struct ctl_hctx		 hctx[CS_KIND_MAX];
	struct reconciler	*routes;
	struct reconciler	*gateways;
	struct reconciler	*exports;
	struct reconciler	*policies;
	struct status_writer	*sw;
	struct kube_recorder	*rec;
	struct kube_leader	*leader;
	struct metrics		*metrics;
	struct metrics_server	*msrv;
	int			 resolved;
	int			 started;
	int			 mirror_ok;
	/* resync thread */
	pthread_t		 resync_tid;
	int			 resync_running;
	int			 stopping;
	pthread_mutex_t		 mu;
	pthread_cond_t		 cv;
	/* last outcome per key */
	pthread_mutex_t		 keys_mu;
	struct hmap		 keys;
	/* service networks (ListServiceNetworks, cached) */
	pthread_mutex_t		 sn_mu;
	struct lattice_service_network_list sns;
	uint64_t		 sn_at_ms;
	int			 sn_loaded;
};

/* The gateway reconciler's key for DEFAULT_SERVICE_NETWORK. */
#define CTL_KEY_DEFAULT_SN	"ServiceNetwork/default"

/* controller.c */
void	 ctl_key_forget(struct controller *, const char *key);
void	 ctl_key_set(struct controller *, const char *key, enum ctl_state,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
int	 ctl_resolve(struct controller *, char **cause);
int	 ctl_writes(struct controller *);

/* controller_events.c: informer handlers and the keys they queue */
void	 ctl_handlers(struct controller *, enum cs_kind,
	    struct kube_handler *);
void	 ctl_queue_all(struct controller *);
/* Queue the routes importing (ServiceImport backends) export name. */
void	 ctl_queue_importers(struct controller *, const char *name);
/* "Kind/ns/name" into kind, ns, name (copies); -1 when malformed. */
int	 ctl_key_split(const char *key, char **kind, char **ns, char **name);

/* controller_route.c */
enum reconcile_outcome ctl_route_reconcile(void *arg, const char *key,
	    uint64_t *after_ms, char **cause);
/* A stack that names what a route (or export) may own, for deletion:
 * the owner and, when svc_name is given, the service. */
struct lm_stack *ctl_delete_stack(enum lm_source_kind, const char *ns,
	    const char *name, const char *svc_name);
/* Remove Lattice resources of a deleted source (plan, apply). 1 when
 * nothing is left, 0 when more passes are needed (*after_s), -1 on
 * error (*cause). */
int	 ctl_cleanup(struct controller *, struct lm_stack *, unsigned *after_s,
	    char **cause);
/* Prepare a deletion: *use is st or *alt (st without a service that
 * belongs to another route; caller frees *alt). */
int	 ctl_delete_prepare(struct controller *, const struct lm_stack *st,
	    const struct lm_stack **use, struct lm_stack **alt, char **cause);
/* The deletion stack of a route (service only when it is the route's by
 * its tags). */
struct lm_stack *ctl_route_delete_stack(struct controller *,
	    enum gw_route_kind, const char *ns, const char *name,
	    const char *override);
enum lm_source_kind ctl_source_kind(enum gw_route_kind);

/* controller_gw.c */
enum reconcile_outcome ctl_gw_reconcile(void *arg, const char *key,
	    uint64_t *after_ms, char **cause);
/* Service networks named name (or with that id): count, and the ARN of
 * the first (caller frees). -1 with *cause on a list failure. */
int	 ctl_sn_find(struct controller *, const char *name, char **arn,
	    int *count, char **cause);
void	 ctl_sn_invalidate(struct controller *);
/* Seed the cached list from the mirror's last load. */
void	 ctl_sn_seed(struct controller *);
int	 ctl_default_sn(struct controller *, char **cause);

/* controller_policy.c */
enum reconcile_outcome ctl_policy_reconcile(void *arg, const char *key,
	    uint64_t *after_ms, char **cause);

/* controller_pol.c: what the VpcAssociation, AccessLog and IAMAuth
 * policy reconcilers share. A context owns every member. */
struct pctx {
	struct controller	*c;
	enum cs_kind		 kind;		/* CS_VAP, CS_ALP, CS_IAP */
	const char		*key;		/* borrowed */
	char			*ns;
	char			*name;
	cJSON			*cur;		/* the object, newest seen */
	int			 deleting;
	/* the verdict: UP_REASON_* and its message */
	const char		*reason;
	char			*message;
	/* the target */
	char			*target_kind;
	char			*target_name;
	int			 target_gw;	/* a Gateway: service network */
	char			*lname;		/* the SN or service name */
	char			*arn;		/* its ARN and id, when found */
	char			*id;
	/* the spec */
	int			 associate;	/* VAP associateWithVpc */
	char			**sgs;		/* VAP securityGroupIds */
	size_t			 nsgs;
	char			*dest;		/* ALP destinationArn */
	char			*policy;	/* IAP policy document */
};

void	 ctl_pol_head(enum cs_kind, const void *obj, const struct gw_meta **,
	    const struct gw_target_ref **);
/* "logs", "s3", "firehose" or "". */
const char *ctl_pol_dest_kind(const char *arn);
/* 1 when the object is gone (x still to be ended). */
int	 ctl_pol_begin(struct controller *, enum cs_kind, const char *key,
	    struct pctx *);
void	 ctl_pol_end(struct pctx *);
void	 ctl_pol_verdict(struct pctx *, const char *reason, const char *fmt,
	    ...) __attribute__((format(printf, 3, 4)));
void	 ctl_pol_check(struct pctx *);
int	 ctl_pol_resolve(struct pctx *, char **cause);
int	 ctl_pol_aws_fail(struct pctx *, struct aws_error *, const char *what,
	    char **cause);
void	 ctl_pol_count(struct pctx *, const char *op, int ok);
int	 ctl_pol_finalizer(struct pctx *, const char *fin, int add,
	    char **cause);
const char *ctl_pol_ann(struct pctx *, const char *key);
int	 ctl_pol_annotate(struct pctx *, const char *const *kv, size_t n,
	    char **cause);
int	 ctl_pol_status(struct pctx *, char **cause);
enum reconcile_outcome ctl_pol_finish(struct pctx *, int retry,
	    uint64_t *after_ms, char **cause);
enum reconcile_outcome ctl_pol_failed(struct pctx *, char **cause);

/* What differs between the policy reconcilers (ctl_pol_reconcile). */
struct pol_ops {
	const char	*fin;		/* the kind's finalizer */
	/* The policy is going: undo its Lattice side (writes allowed);
	 * 0, or -1 with *cause. */
	int		(*undo)(struct pctx *, char **cause);
	/* An accepted policy whose target resolved: -1 error, 0 done, 1
	 * the verdict changed, 2 a Lattice transition to wait for. */
	int		(*apply)(struct pctx *, char **cause);
};
/* Reconcile "Kind/ns/name" of a policy kind: load, delete (undo, then
 * the finalizer) or check, resolve, apply and write the status. */
enum reconcile_outcome ctl_pol_reconcile(struct controller *, enum cs_kind,
	    const char *key, const struct pol_ops *, uint64_t *after_ms,
	    char **cause);
void	 ctl_queue_policies(struct controller *, const char *tkind,
	    const char *ns, const char *name);

/* controller_vpcap.c, controller_alp.c, controller_iamap.c */
/* Do two security group lists hold the same groups (in any order)? */
int	 ctl_vap_same_sgs(char *const *a, size_t na, char *const *b,
	    size_t nb);
enum reconcile_outcome ctl_vap_reconcile(struct controller *, const char *key,
	    uint64_t *after_ms, char **cause);
enum reconcile_outcome ctl_alp_reconcile(struct controller *, const char *key,
	    uint64_t *after_ms, char **cause);
enum reconcile_outcome ctl_iap_reconcile(struct controller *, const char *key,
	    uint64_t *after_ms, char **cause);

/* controller_export.c */
enum reconcile_outcome ctl_export_reconcile(void *arg, const char *key,
	    uint64_t *after_ms, char **cause);

#endif
