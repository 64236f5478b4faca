/*
 * plan: the actual VPC Lattice state (the mirror), the diff of a desired
 * stack (lmodel.h) against it, and the apply of the resulting plan.
 *
 * Mirror. Listed once (mirror_load): service networks, services, target
 * groups, SN-service and SN-VPC associations, and the tags of the target
 * groups in the cluster VPC. What a stack needs beyond that (a service's
 * tags, listeners, rules with their match and action, a target group's
 * health check and targets, the tags of associations that may go) is
 * fetched once, the first time a stack refers to it (mirror_prepare), and
 * then kept current from our own writes: every create, update and delete
 * response updates the mirror, nothing is re-listed. Resources in a
 * transitional state (CREATE_IN_PROGRESS, DELETE_IN_PROGRESS) are read
 * again by the next mirror_prepare that needs them. mirror_load again is
 * the resync (cached tags of resources still present are kept): every
 * service's listeners and rules and every target group's targets are
 * listed again (that is how drift made behind our back is found), but a
 * rule's match and action and a target group's health check are read
 * again only when the listed lastUpdatedAt says they changed. A
 * surprise (ResourceNotFound, Conflict) refreshes the affected resource.
 * Ownership: the ManagedBy tag (`<account>/<cluster>/<vpc>`); untagged
 * resources are adopted on upsert (tagged), never deleted.
 *
 * Plan. plan_diff is pure over the mirror: an ordered list of operations,
 * each with a human reason. Order: target groups, targets, service,
 * associations, listeners, rules (per listener: stale rules first, since
 * they hold priorities, then updates, two or more as one BatchUpdateRule,
 * then creates), then the deletes in reverse dependency order (listeners,
 * associations, service, target groups no longer referenced). Target
 * groups are identified by tags, services by name + ManagedBy, listeners
 * by port, rules by match (then by priority, then reused in order).
 *
 * Apply. Executes a plan with the typed client. It never waits for
 * CREATE_IN_PROGRESS: an operation whose parent is not ACTIVE yet is
 * deferred and the result asks for a requeue after N seconds. Creates
 * carry a client token derived from the logical resource (so a retried
 * create is idempotent) and the diff finds resources by tags/name before
 * it creates, so a crash at any point leaves a state the next pass
 * completes without duplicates or orphans. A pass on a converged state
 * makes no API call at all.
 *
 * Threads: every function may be called from several workers at once
 * (one stack per worker at a time). mirror_load excludes passes while it
 * swaps the state in.
 *
 * Ownership: struct mirror borrows the struct aws (it must outlive the
 * mirror). A struct plan owns its operations and strings and borrows the
 * stack it was computed from: keep the stack alive until plan_free.
 * plan_result members are owned (plan_result_free). JSON trees returned
 * are the caller's.
 */
#ifndef LATTICECTL_PLAN_H
#define LATTICECTL_PLAN_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "latticectl/aws.h"
#include "latticectl/lmodel.h"
#include "latticectl/strbuf.h"

#define PLAN_REQUEUE_PENDING_S	10	/* default wait for *_IN_PROGRESS */
#define PLAN_REQUEUE_SURPRISE_S	1	/* after a refresh on a surprise */

/* ---- mirror ---- */

struct mirror;
struct lattice_service_network_list;

struct mirror_config {
	const char	*managed_by;	/* required: lm_managed_by() */
	const char	*vpc_id;	/* CLUSTER_VPC_ID (tags loaded) */
	unsigned	 requeue_pending_s; /* 0: PLAN_REQUEUE_PENDING_S */
};

struct mirror	*mirror_new(struct aws *, const struct mirror_config *);
void		 mirror_free(struct mirror *);
/* List everything (start, resync). 0 or -1 with *cause (the previous
 * state is kept on failure). */
int		 mirror_load(struct mirror *, char **cause);
int		 mirror_loaded(struct mirror *);
/* Fetch what diffing this stack needs and the mirror lacks (loads the
 * mirror first if needed). deleting: the stack's source is going away. */
int		 mirror_prepare(struct mirror *, const struct lm_stack *,
		    int deleting, char **cause);
/* Load the tags of every service (a full GC needs them). */
int		 mirror_load_service_tags(struct mirror *, char **cause);

/* API calls made through the mirror and apply, by operation. */
struct mirror_call_count {
	const char	*op;		/* "CreateService", ... */
	int		 write;		/* changes Lattice */
	uint64_t	 calls;
	uint64_t	 errors;
};
/* Fill up to max entries (operations never called are left out);
 * returns how many were filled. */
size_t		 mirror_call_counts(struct mirror *,
		    struct mirror_call_count *out, size_t max);
/* Count a call made beside the mirror (the policy reconcilers) by its
 * operation name ("PutAuthPolicy", "ListTagsForResource", ...). */
void		 mirror_count(struct mirror *, const char *op, int ok);
/* Total calls (writes_only: only the writing operations). */
uint64_t	 mirror_calls(struct mirror *, int writes_only);
void		 mirror_reset_counts(struct mirror *);

/* A Kubernetes source that owns Lattice resources (from our tags). */
struct mirror_owner {
	enum lm_source_kind	 kind;
	char			*namespace;
	char			*name;
	char			*service_name;	/* its service, or NULL */
};
/* Every source our services (tags loaded: see mirror_load_service_tags)
 * and target groups are tagged with, each once, sorted by kind,
 * namespace, name: what a GC compares with the Kubernetes objects. *out
 * is allocated (mirror_owners_free). Returns the count. */
size_t		 mirror_owners(struct mirror *, struct mirror_owner **out);
void		 mirror_owners_free(struct mirror_owner *, size_t);

/* The service's ARN and DNS name (copies, NULL when unknown). */
int		 mirror_service_info(struct mirror *, const char *name,
		    char **arn, char **dns);
/* A copy of the service networks the last load listed (id, ARN, name
 * only; caller frees with lattice_service_network_list_free); -1 (out
 * empty) when the mirror is not loaded. */
int		 mirror_service_networks(struct mirror *,
		    struct lattice_service_network_list *out);
/* A JSON snapshot of what the mirror knows for a stack: service, its
 * associations, listeners, rules, and the target groups with targets
 * (for `latticectl map` and the UI). */
cJSON		*mirror_stack_json(struct mirror *, const struct lm_stack *);

/* ---- plan ---- */

enum plan_op_kind {
	PLAN_TG_CREATE,
	PLAN_TG_TAG,		/* adopt (untagged) or tag drift */
	PLAN_TG_UPDATE,		/* health check */
	PLAN_TARGETS_DEREGISTER,
	PLAN_TARGETS_REGISTER,
	PLAN_SVC_CREATE,
	PLAN_SVC_TAG,		/* adopt, takeover, tag drift */
	PLAN_SVC_UPDATE,	/* certificate ARN, auth type */
	PLAN_ASSOC_CREATE,
	PLAN_LISTENER_CREATE,
	PLAN_LISTENER_UPDATE,	/* default action */
	PLAN_RULE_DELETE,
	PLAN_RULE_UPDATE,
	PLAN_RULE_BATCH,	/* BatchUpdateRule: several updates at once */
	PLAN_RULE_CREATE,
	PLAN_LISTENER_DELETE,
	PLAN_ASSOC_DELETE,
	PLAN_SVC_DELETE,
	PLAN_TG_DELETE,
	PLAN_WAIT,		/* a resource is in transition: requeue */
	PLAN_OP_KIND_MAX
};

#define PLAN_NONE	((size_t)-1)

struct plan_target {
	char	*ip;
	int	 port;
};

/* One rule change (UpdateRule, or an entry of BatchUpdateRule). */
struct plan_rule_change {
	size_t	 ri;		/* desired rule index in the listener */
	char	*rule_id;
	int	 set_match;
	int	 set_action;
	int	 from_priority;
	int	 priority;	/* 0: unchanged */
};

struct plan_op {
	enum plan_op_kind	 kind;
	char			*resource;	/* "service rates-default" */
	char			*reason;	/* "missing", "priority 2->3" */
	/* the desired side: indexes into the stack (PLAN_NONE: none) */
	size_t			 li;		/* listener */
	size_t			 ri;		/* rule in that listener */
	size_t			 ti;		/* target group */
	/* the actual side (updates, deletes) */
	char			*id;
	char			*arn;
	char			*parent_id;	/* service (listener ops) or
						 * listener (rule ops) */
	char			*service_id;	/* rule ops */
	char			*sn_id;		/* associations */
	char			*sn_name;
	char			*name;		/* for creates (rule names
						 * made unique) */
	struct plan_target	*targets;	/* register / deregister */
	size_t			 n_targets;
	struct aws_tags		 tags;		/* tags to set */
	struct plan_rule_change	*changes;	/* RULE_UPDATE / RULE_BATCH */
	size_t			 n_changes;
};

struct plan {
	const struct lm_stack	*stack;		/* borrowed */
	int			 deleting;
	char			*owner;		/* "HTTPRoute default/rates" */
	struct plan_op		*ops;
	size_t			 n_ops;
	size_t			 cap_ops;
	/* The service exists and belongs to another controller (or to
	 * another route): nothing for the service is planned. */
	char			*conflict;
	/* What keeps the plan from completing (service network not found,
	 * a target group to import not found, ...). */
	char			**problems;
	size_t			 n_problems;
};

/* Diff a stack against the mirror. deleting: plan the removal of what the
 * stack's source owns. Returns 0 with *out set (caller frees), or -1 with
 * *cause when the mirror is not loaded. */
int		 plan_diff(struct mirror *, const struct lm_stack *,
		    int deleting, struct plan **out, char **cause);
void		 plan_free(struct plan *);
/* Is there anything to do (ops, conflict or problems)? */
int		 plan_drift(const struct plan *);
const char	*plan_op_kind_str(enum plan_op_kind);
/* {"owner":..., "deleting":..., "conflict":..., "problems":[...],
 *  "operations":[{"op","resource","reason"}...]} */
cJSON		*plan_to_json(const struct plan *);
/* Table lines "  #  OPERATION  RESOURCE  REASON" (no header when empty). */
void		 plan_print_table(const struct plan *, struct strbuf *);

/* ---- apply ---- */

struct plan_apply_opts {
	size_t	max_ops;	/* stop after this many operations (0: all) */
};

struct plan_result {
	size_t		 done;		/* operations executed */
	size_t		 deferred;	/* waiting on a parent or transition */
	size_t		 surprises;	/* refreshed after NotFound/Conflict */
	unsigned	 requeue_after_s; /* 0: no requeue needed */
	int		 converged;	/* nothing left, nothing pending */
	int		 conflict;	/* plan->conflict was set */
	char		*error;		/* first hard failure, or NULL */
	char		*service_arn;	/* after apply, when known */
	char		*service_dns;
};

/* Execute a plan. 0 when every executed operation succeeded or was
 * deferred (see result), -1 on a hard failure (result->error). */
int		 plan_apply(struct mirror *, const struct plan *,
		    const struct plan_apply_opts *, struct plan_result *);
/* prepare + diff + apply for one stack; opts may be NULL. */
int		 plan_reconcile(struct mirror *, const struct lm_stack *,
		    int deleting, const struct plan_apply_opts *,
		    struct plan_result *);
void		 plan_result_free(struct plan_result *);

#endif
