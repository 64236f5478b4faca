/*
 * Internals of the mirror, diff and apply (src/engine/mirror*.c, diff*.c,
 * apply*.c). Not a public API.
 *
 * Every entity is allocated on its own (arrays hold pointers, so an
 * entity's address is stable) and owns its lattice_* struct and tags.
 * Indexes (struct hmap, latticectl/hmap.h) map strings to entities and
 * never own them.
 *
 * Locks: rw is read-held for a whole pass (prepare, diff, apply) and
 * write-held by mirror_load while it swaps the state in; mu guards the
 * data and is held only between network calls, never across one. The
 * counters have their own lock.
 */
#ifndef LATTICECTL_ENGINE_MIRROR_INT_H
#define LATTICECTL_ENGINE_MIRROR_INT_H

#include <pthread.h>
#include <stdint.h>

#include "latticectl/hmap.h"
#include "latticectl/lattice.h"
#include "latticectl/lmodel.h"
#include "latticectl/plan.h"

/* ---- entities ---- */

struct mx_rule {
	struct lattice_rule	 r;
	int			 detail;	/* match and action known */
};

struct mx_listener {
	struct lattice_listener	 l;
	struct mx_rule		**rules;	/* non-default rules */
	size_t			 n_rules;
};

struct mx_service {
	struct lattice_service	 s;
	struct aws_tags		 tags;
	int			 tags_loaded;
	int			 detail;	/* GetService: auth, cert */
	int			 children;	/* listeners and rules loaded */
	int			 stale;		/* children to re-list (resync) */
	struct mx_listener	**listeners;
	size_t			 n_listeners;
};

struct mx_tg {
	struct lattice_target_group tg;
	char			*ident;		/* mx_tg_ident, or NULL */
	struct aws_tags		 tags;
	int			 tags_loaded;
	int			 detail;	/* GetTargetGroup: health check */
	struct lattice_target	*targets;
	size_t			 n_targets;
	int			 targets_loaded;
	int			 stale;		/* targets to re-list (resync) */
};

struct mx_assoc {
	struct lattice_sn_service_assoc a;
	struct aws_tags		 tags;
	int			 tags_loaded;
};

struct mx_state {
	struct lattice_service_network	*sns;
	size_t				 n_sns;
	struct mx_service		**svcs;
	size_t				 n_svcs;
	struct mx_tg			**tgs;
	size_t				 n_tgs;
	struct mx_assoc			**assocs;
	size_t				 n_assocs;
	struct lattice_sn_vpc_assoc	*snvas;
	size_t				 n_snvas;
	struct hmap			 svc_by_name;
	struct hmap			 svc_by_id;
	struct hmap			 tg_by_id;
	struct hmap			 tg_by_name;
	struct hmap			 tg_by_ident;	/* first TG per identity */
	int				 foreign_tags;	/* all TG tags loaded */
};

/* Operations counted (index into the counter table). */
enum mx_op {
	MXOP_LIST_SERVICES, MXOP_LIST_SNS, MXOP_LIST_TGS, MXOP_LIST_SNSAS,
	MXOP_LIST_SNVAS, MXOP_LIST_LISTENERS, MXOP_LIST_RULES,
	MXOP_LIST_TARGETS, MXOP_LIST_TAGS, MXOP_GET_SERVICE, MXOP_GET_TG,
	MXOP_GET_RULE, MXOP_GET_SNSA, MXOP_GET_LISTENER,
	MXOP_CREATE_SERVICE, MXOP_UPDATE_SERVICE, MXOP_DELETE_SERVICE,
	MXOP_CREATE_SNSA, MXOP_DELETE_SNSA, MXOP_CREATE_LISTENER,
	MXOP_UPDATE_LISTENER, MXOP_DELETE_LISTENER, MXOP_CREATE_RULE,
	MXOP_UPDATE_RULE, MXOP_BATCH_UPDATE_RULE, MXOP_DELETE_RULE,
	MXOP_CREATE_TG, MXOP_UPDATE_TG, MXOP_DELETE_TG, MXOP_REGISTER_TARGETS,
	MXOP_DEREGISTER_TARGETS, MXOP_TAG_RESOURCE,
	/* the policy reconcilers' (counted through mirror_count) */
	MXOP_GET_SN, MXOP_UPDATE_SN, MXOP_GET_SNVA, MXOP_CREATE_SNVA, MXOP_UPDATE_SNVA,
	MXOP_DELETE_SNVA, MXOP_GET_AUTH_POLICY, MXOP_PUT_AUTH_POLICY,
	MXOP_DELETE_AUTH_POLICY, MXOP_LIST_ALS, MXOP_GET_ALS, MXOP_CREATE_ALS,
	MXOP_UPDATE_ALS, MXOP_DELETE_ALS,
	MXOP_MAX
};

struct mirror {
	struct aws		*aws;
	char			*managed_by;
	char			*vpc_id;
	unsigned		 pending_s;
	pthread_rwlock_t	 rw;
	pthread_mutex_t		 mu;
	struct mx_state		 st;
	int			 loaded;
	uint64_t		 sn_listed_ms;	/* last ListServiceNetworks */
	struct hmap		 salts;		/* logical key -> salt */
	pthread_mutex_t		 stats_mu;
	uint64_t		 calls[MXOP_MAX];
	uint64_t		 errors[MXOP_MAX];
};

/* mirror.c */
void	 mx_count(struct mirror *, enum mx_op, int ok);
/* The client token of a logical create: hash of ManagedBy, the key, the
 * request content and the key's salt (64 hex chars). mu held. */
void	 mx_token(struct mirror *, const char *key, const char *content,
	    char out[65]);
/* Make the next token of key differ (after a delete or a surprise). */
void	 mx_salt_bump(struct mirror *, const char *key);
/* "ResourceNotFoundException" etc.: 1 when err has that code. */
int	 mx_err_is(const struct aws_error *, const char *code);
#define MX_NOT_FOUND	"ResourceNotFoundException"
#define MX_CONFLICT	"ConflictException"
/* Is a status transitional (*_IN_PROGRESS)? */
int	 mx_transitional(const char *status);
/* The id at the end of an ARN or the identifier itself. */
const char *mx_ident_id(const char *ident);

/* mirror_store.c: lookups and updates (mu held) */
/* Is a listed resource (createdAt, lastUpdatedAt) still the one known
 * (known lastUpdatedAt, zero when we know it from our create)? */
int	 mx_unchanged(const struct timespec *created,
	    const struct timespec *updated, const struct timespec *known);
void	 mx_state_free(struct mx_state *);
struct mx_service *mx_svc_by_name(struct mirror *, const char *name);
struct mx_service *mx_svc_by_id(struct mirror *, const char *id);
struct mx_tg	*mx_tg_by_id(struct mirror *, const char *id_or_arn);
const struct lattice_service_network *mx_sn_by_name(struct mirror *,
	    const char *name);
struct mx_assoc	*mx_assoc_find(struct mirror *, const char *svc_id,
	    const char *sn_id);
struct mx_assoc	*mx_assoc_by_id(struct mirror *, const char *id);
struct mx_listener *mx_listener_by_port(struct mx_service *, int port);
struct mx_listener *mx_listener_by_id(struct mx_service *, const char *id);
struct mx_rule	*mx_rule_by_id(struct mx_listener *, const char *id);
/* The actual TG a desired one is (by identity tags, else an untagged TG
 * with its name), or NULL. For IMPORT, the export TG found by tags; ARN:
 * by id. Skips CREATE_FAILED and DELETE_IN_PROGRESS groups. */
struct mx_tg	*mx_tg_find(struct mirror *, const struct lm_target_group *);
/* Identity string of a TG from its tags and immutable fields. */
char	*mx_tg_ident(const struct aws_tags *, const char *type, int port,
	    const char *protocol, const char *ip_type, const char *vpc);
char	*mx_tg_ident_desired(const struct lm_target_group *);
/* Is the TG tagged as belonging to the stack's source (and to us)? */
int	 mx_tg_of_owner(struct mirror *, const struct mx_tg *,
	    const struct lm_owner *);
/* Does any known rule forward to this TG? */
int	 mx_tg_referenced(struct mirror *, const char *tg_id);

/* Insert or replace from a response. The lattice struct is MOVED into
 * the mirror (left zeroed); tags are copied (NULL: keep the known ones). */
struct mx_service *mx_put_service(struct mirror *,
	    struct lattice_service *, const struct aws_tags *);
void	 mx_drop_service(struct mirror *, const char *id);
struct mx_tg	*mx_put_tg(struct mirror *, struct lattice_target_group *,
	    const struct aws_tags *);
void	 mx_drop_tg(struct mirror *, const char *id);
void	 mx_tg_set_tags(struct mirror *, struct mx_tg *,
	    const struct aws_tags *);
struct mx_assoc	*mx_put_assoc(struct mirror *,
	    struct lattice_sn_service_assoc *);
void	 mx_drop_assoc(struct mirror *, const char *id);
struct mx_listener *mx_put_listener(struct mx_service *,
	    struct lattice_listener *);
void	 mx_drop_listener(struct mx_service *, const char *id);
struct mx_rule	*mx_put_rule(struct mx_listener *, struct lattice_rule *,
	    int detail);
void	 mx_drop_rule(struct mx_listener *, const char *id);
void	 mx_put_sns(struct mirror *, struct lattice_service_network_list *);
/* Merge tags into a tag map (set each). */
void	 mx_tags_merge(struct aws_tags *dst, const struct aws_tags *src);

/* mirror_load.c: reads that update the mirror. Called without mu (they
 * take it to store); 0 or -1 with *cause. A resource found gone is
 * dropped (that is not an error). */
int	 mx_refresh_service(struct mirror *, const char *id, char **cause);
int	 mx_refresh_tg(struct mirror *, const char *id, char **cause);
int	 mx_refresh_assoc(struct mirror *, const char *id, char **cause);
int	 mx_refresh_service_children(struct mirror *, const char *svc_id,
	    char **cause);
int	 mx_refresh_assocs_of(struct mirror *, const char *svc_id,
	    char **cause);
int	 mx_refresh_targets(struct mirror *, const char *tg_id, char **cause);
int	 mx_refresh_tgs(struct mirror *, char **cause);
int	 mx_refresh_services(struct mirror *, char **cause);
int	 mx_refresh_sns(struct mirror *, char **cause);
/* Load tags: of one service / association / TG (by id), of every TG
 * lacking them (all: or only those in the cluster VPC). */
int	 mx_load_service_tags(struct mirror *, const char *id, char **cause);
int	 mx_load_assoc_tags(struct mirror *, const char *id, char **cause);
int	 mx_load_tg_tags(struct mirror *, int all, char **cause);
/* An error message for a failed call; caller frees. */
char	*mx_err_msg(const struct aws_error *);

/* diff_cmp.c: desired <-> wire conversions and comparisons */
struct mx_match_buf {
	struct lattice_rule_match	m;
	struct lattice_header_match	h[LM_MAX_HEADER_MATCHES];
};
/* A lattice match borrowing the lm strings. */
void	 mx_match_from_lm(const struct lm_match *, struct mx_match_buf *);
int	 mx_match_equal(const struct lm_match *,
	    const struct lattice_rule_match *);
/* Short text of a match: "GET /parking*", "any". Caller frees. */
char	*mx_match_str(const struct lm_match *);
/* Resolve a desired action's TG keys to the TG ids in the mirror; -1
 * when one is not there (yet) or not ACTIVE (*pending set when it
 * exists but is not ACTIVE). ids[] receives borrowed strings. */
int	 mx_action_ids(struct mirror *, const struct lm_stack *,
	    const struct lm_action *, const char **ids, int *pending);
int	 mx_action_equal(struct mirror *, const struct lm_stack *,
	    const struct lm_action *, const struct lattice_rule_action *);
/* A lattice action from a desired one with resolved ids (borrowed). */
void	 mx_action_fill(const struct lm_action *, const char **ids,
	    struct lattice_weighted_tg *tgs, struct lattice_rule_action *);
/* A health check from the desired one (borrowed strings). */
void	 mx_hc_fill(const struct lm_health_check *,
	    struct lattice_health_check *);
/* Describe how the actual health check differs ("" when equal); caller
 * frees. */
char	*mx_hc_diff(const struct lm_health_check *,
	    const struct lattice_health_check *);
const struct lm_target_group *mx_stack_tg(const struct lm_stack *,
	    const char *key);
/* Tags of want missing or different in have ("" when none): the keys,
 * comma separated; caller frees. missing gets the entries to set. */
char	*mx_tags_diff(const struct aws_tags *want, const struct aws_tags *have,
	    struct aws_tags *missing);

/* diff.c helpers shared with diff_*.c */
struct plan_op *dx_add(struct plan *, enum plan_op_kind, const char *resource,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void	 dx_problem(struct plan *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
void	 dx_tgs(struct mirror *, struct plan *);
void	 dx_tg_deletes(struct mirror *, struct plan *);
void	 dx_rules(struct mirror *, struct plan *, size_t li,
	    struct mx_service *, struct mx_listener *);

#endif
