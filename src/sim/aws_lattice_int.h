/*
 * Internals of the simulated VPC Lattice (aws_lattice*.c). Resources are
 * cJSON records in per-kind arrays under the "vpc-lattice" state subtree:
 * the members the API returns (id, arn, name, createdAt, ...) plus
 * internal ones starting with '_' (_seq, _createdMs, _deleteAtMs, _tags,
 * _clientToken, _reqHash, _targets, _authPolicy) that responses never
 * show (lat_pick copies named members only). Everything runs with the
 * simulator's lock held; a struct lat lives for one request.
 */
#ifndef LATTICECTL_SIM_AWS_LATTICE_INT_H
#define LATTICECTL_SIM_AWS_LATTICE_INT_H

#include <stdint.h>

#include <cjson/cJSON.h>

#include "sim_aws.h"

enum lat_kind {
	LK_SERVICE,
	LK_SN,
	LK_SNSA,
	LK_SNVA,
	LK_LISTENER,
	LK_RULE,
	LK_TG,
	LK_ALS,
	LK_MAX
};

struct lat_kind_info {
	const char	*key;		/* state array */
	const char	*prefix;	/* id prefix without '-' */
	const char	*arn_type;	/* last ARN resource type */
	const char	*rtype;		/* resourceType in errors */
	int		 has_status;
	unsigned	 name_max;	/* 0: no name */
};
extern const struct lat_kind_info lat_kinds[LK_MAX];

#define LAT_MAX_SEGS		4
#define LAT_MAX_RECORDS		200000	/* across kinds: bounded memory */
#define LAT_MAX_BODY		(1024 * 1024)

struct lat_route;

/* One request. */
struct lat {
	struct sim_aws_call	*call;
	struct sim_aws		*sim;
	cJSON			*st;
	const struct lat_route	*route;
	char			*seg[LAT_MAX_SEGS];	/* decoded {params} */
	struct sim_aws_params	 q;
	cJSON			*body;		/* object, never NULL */
	int64_t			 now;
	char			 now_iso[40];
	char			 idem_hash[65];	/* set by lat_idem_check */
	const char		*idem_token;
	const cJSON		*listing_tg;	/* ListTargets: the group */
	int			 listing_used;	/* ... and whether in use */
};

typedef void (*lat_fn)(struct lat *);

struct lat_route {
	const char	*method;
	const char	*pattern;	/* "/services/{}/listeners" */
	const char	*op;
	int		 status;	/* success code */
	lat_fn		 fn;
};

/* Validation errors collected for one request. */
struct lat_v {
	cJSON	*fields;	/* [{name, message}] */
	char	*first;		/* first full message */
	int	 n;
};

/* Records. */
cJSON	*lat_array(struct lat *, enum lat_kind);
cJSON	*lat_find(struct lat *, enum lat_kind, const char *ident);
int	 lat_ident_valid(enum lat_kind, const char *ident);
cJSON	*lat_resolve(struct lat *, enum lat_kind, const char *ident,
	    const char *field);
cJSON	*lat_new_record(struct lat *, enum lat_kind, const char *arn_parent,
	    const char *name);
void	 lat_touch(struct lat *, cJSON *rec);
cJSON	*lat_pick(const cJSON *rec, const char *const *members);
void	 lat_delete(struct lat *, enum lat_kind, cJSON *rec);
void	 lat_remove(struct lat *, enum lat_kind, cJSON *rec);
void	 lat_due(struct lat *, int64_t due_ms);
int	 lat_deleting(const cJSON *rec);
size_t	 lat_count(struct lat *, enum lat_kind, const char *member,
	    const char *value);
int	 lat_room(struct lat *);
const char *lat_id(const cJSON *rec);
const char *lat_s(const cJSON *rec, const char *key);

/* Replies and errors. */
void	 lat_ok(struct lat *, cJSON *body);
void	 lat_not_found(struct lat *, enum lat_kind, const char *ident);
void	 lat_conflict(struct lat *, enum lat_kind, const char *id,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void	 lat_quota(struct lat *, enum lat_kind, const char *id,
	    const char *quota_code, const char *fmt, ...)
	    __attribute__((format(printf, 5, 6)));
void	 lat_invalid(struct lat *, const char *field, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));

/* Validation. */
void	 lat_v_init(struct lat_v *);
void	 lat_v_add(struct lat_v *, const char *field, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
int	 lat_v_done(struct lat *, struct lat_v *);
const char *lat_v_str(struct lat_v *, const cJSON *obj, const char *key,
	    const char *field, size_t min, size_t max, int required);
int	 lat_v_int(struct lat_v *, const cJSON *obj, const char *key,
	    const char *field, int64_t min, int64_t max, int required,
	    int64_t *out);
const char *lat_v_enum(struct lat_v *, const cJSON *obj, const char *key,
	    const char *field, const char *const *allowed, int required);
int	 lat_v_bool(struct lat_v *, const cJSON *obj, const char *key,
	    const char *field);
void	 lat_v_name(struct lat_v *, enum lat_kind, const char *name);
void	 lat_v_ident(struct lat_v *, enum lat_kind, const char *ident,
	    const char *field);
void	 lat_v_tags(struct lat_v *, const cJSON *tags, const char *field);
int	 lat_v_vpc(const char *);
const cJSON *lat_v_union(struct lat_v *, const cJSON *obj, const char *key,
	    const char *field, const char *const *members, int required);

/* Requests. */
const char *lat_qparam(struct lat *, const char *name);
int	 lat_max_results(struct lat *, int64_t *out);
typedef int (*lat_filter_fn)(struct lat *, const cJSON *rec, void *ctx);
typedef cJSON *(*lat_render_fn)(struct lat *, const cJSON *rec);
void	 lat_page(struct lat *, const cJSON *arr, lat_filter_fn, void *ctx,
	    lat_render_fn);
/* clientToken: 1 = answered (replayed or conflict), 0 = go on. */
int	 lat_idem_check(struct lat *, enum lat_kind, lat_render_fn);
void	 lat_idem_store(struct lat *, cJSON *rec);
void	 lat_set_tags(cJSON *rec, const cJSON *tags);

/* Health checks (aws_lattice_health.c): 1 when hc fails, *reason set. */
int	 lat_health_failing(const cJSON *hc, const char **reason);

/* Operation families. */
extern const struct lat_route lat_routes_svc[];
extern const struct lat_route lat_routes_lst[];
extern const struct lat_route lat_routes_tg[];
extern const struct lat_route lat_routes_misc[];

/* Cross-family helpers. */
int	 lat_tg_in_use(struct lat *, const char *tg_id);
cJSON	*lat_tg_service_arns(struct lat *, const char *tg_id);
void	 lat_delete_listener_tree(struct lat *, cJSON *listener);
void	 lat_delete_service_children(struct lat *, const char *svc_id);
const char *lat_auth_type(const cJSON *rec);

#endif
