/*
 * Internals of the simulated Kubernetes API server (sim_kube). Not a
 * public header: only src/sim/kube_*.c include it.
 *
 * Prefix skube_ (not kube_, which src/kube uses). Locking: struct
 * sim_kube's lock guards everything below; every skube_*
 * function that takes a struct sim_kube * expects it held unless its
 * comment says otherwise.
 *
 * Ownership: resource types (skube_rtype) and stores (skube_store) live
 * until sim_kube_free, even after their CRD is deleted (inactive), so
 * watch streams may keep pointers to them. A store owns its objects; the
 * watch history owns copies. Functions that take a cJSON * "obj" to store
 * take ownership of it; "const cJSON *" arguments are borrowed.
 */
#ifndef LATTICECTL_KUBE_INT_H
#define LATTICECTL_KUBE_INT_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "latticectl/httpd.h"
#include "latticectl/strbuf.h"
#include "sim_kube.h"

#define KUBE_VERSION_MAJOR	"1"
#define KUBE_VERSION_MINOR	"32"
#define KUBE_GIT_VERSION	"v1.32.4-latticectl-sim"
#define KUBE_MAX_LIST		500000	/* limit cap */
#define KUBE_DEFAULT_HISTORY	1000
#define KUBE_CONTINUE_TTL_S	300

enum skube_ev_type {
	KUBE_EV_ADDED,
	KUBE_EV_MODIFIED,
	KUBE_EV_DELETED,
	KUBE_EV_BOOKMARK,
	KUBE_EV_ERROR
};

/* An error answered as a Status object. */
struct skube_err {
	int	 code;
	char	 reason[40];
	char	*message;
	char	*group;		/* details */
	char	*kind;
	char	*name;
	cJSON	*causes;	/* array or NULL */
};

struct sim_kube;
struct skube_rtype;

/* Per-kind behaviour of a built-in kind (NULL members: generic). */
struct skube_kind_ops {
	/* Fill defaults on create (old NULL) or update. */
	void	(*defaults)(struct sim_kube *, const struct skube_rtype *,
		    cJSON *obj, const cJSON *old);
	/* 0, or -1 with e set (422 Invalid and friends). */
	int	(*validate)(struct sim_kube *, const struct skube_rtype *,
		    const cJSON *obj, const cJSON *old, struct skube_err *e);
	/* After a committed create/update (old NULL) or delete (obj NULL). */
	void	(*committed)(struct sim_kube *, const struct skube_rtype *,
		    const cJSON *obj, const cJSON *old);
};

/* One object in a store. */
struct skube_entry {
	char		*key;		/* "ns/name" ("/name" cluster-scoped) */
	cJSON		*obj;
	uint64_t	 due_ms;	/* controller timer, mono ms */
};

/* One watch event in the history (obj owned). */
struct skube_event {
	enum skube_ev_type	 type;
	uint64_t		 rv;
	cJSON			*obj;
};

/* The objects of one group/resource, shared by all its versions. */
struct skube_store {
	char			*id;		/* "group/plural" */
	int			 namespaced;
	struct skube_entry	*v;		/* sorted by key */
	size_t			 n;
	size_t			 cap;
	struct skube_event	*ring;
	size_t			 ring_cap;
	size_t			 ring_start;
	size_t			 ring_len;
	uint64_t		 compacted_rv;	/* history lost up to here */
	struct skube_store	*next;
};

/* A served group/version/resource. */
struct skube_rtype {
	char			*group;		/* "" for the core group */
	char			*version;
	char			*kind;
	char			*list_kind;
	char			*plural;
	char			*singular;
	cJSON			*short_names;	/* array of strings */
	cJSON			*categories;	/* array of strings */
	int			 namespaced;
	int			 has_status;
	int			 builtin;	/* strategic merge allowed */
	int			 active;
	int			 storage;	/* the storage version */
	int			 events_view;	/* events.k8s.io view */
	const struct skube_kind_ops *ops;
	cJSON			*columns;	/* additionalPrinterColumns */
	cJSON			*schema;	/* CRD openAPIV3Schema */
	char			*crd;		/* owning CRD name, or NULL */
	struct skube_store	*store;
	struct skube_rtype	*next;
};

/* Parsed query string (decoded). */
struct skube_query {
	char	**keys;
	char	**vals;
	size_t	  n;
};

/* Label or field selector. */
enum skube_sel_op {
	KUBE_SEL_EQ,
	KUBE_SEL_NEQ,
	KUBE_SEL_IN,
	KUBE_SEL_NOTIN,
	KUBE_SEL_EXISTS,
	KUBE_SEL_NOTEXISTS,
	KUBE_SEL_GT,
	KUBE_SEL_LT
};

struct skube_sel_term {
	char		 *key;
	enum skube_sel_op  op;
	char		**vals;
	size_t		  nvals;
};

struct skube_sel {
	struct skube_sel_term	*t;
	size_t			 n;
	int			 fields;	/* a field selector */
};

/* Options of one write. */
struct skube_wopts {
	int		 dry;		/* dryRun=All */
	const char	*manager;	/* fieldManager, or NULL */
	const char	*operation;	/* "Update" or "Apply" */
	int		 force;
	int		 internal;	/* by a controller: no status split */
};

/* A parsed API request. */
struct skube_req {
	const struct httpd_request *http;
	struct skube_query	 q;
	char			*group;
	char			*version;
	char			*ns;
	char			*plural;
	char			*name;
	char			*sub;
	struct skube_rtype	*rt;
	int			 watch;
	int			 table;
	char			*user;
};

struct sim_kube {
	pthread_mutex_t		 lock;
	pthread_cond_t		 changed;
	uint64_t		 rv;
	unsigned		 reg_gen;
	struct skube_rtype	*types;
	struct skube_store	*stores;
	char			**tokens;
	size_t			 ntokens;
	int			 anonymous;
	sim_kube_verify_eks_fn	 verify_eks;
	void			*verify_eks_arg;
	unsigned		 pod_ready_ms;
	unsigned		 pod_terminate_ms;
	unsigned		 tick_ms;
	unsigned		 history;
	unsigned		 bookmark_ms;
	size_t			 max_objects;
	unsigned		 watch_wait_ms;
	struct sim_kube_faults	 faults;
	int			 stopping;
	int			 ctl_running;
	pthread_t		 ctl;
	uint32_t		 next_pod_ip;
	uint32_t		 next_svc_ip;
	pthread_cond_t		 ctl_cond;	/* controller sleep/stop */
	uint64_t		 ctl_dep_sig;	/* inputs last reconciled */
	uint64_t		 ctl_eps_sig;
};

/* kube_util.c */
void	 skube_query_parse(struct skube_query *, const char *);
const char *skube_query_get(const struct skube_query *, const char *);
int	 skube_query_bool(const struct skube_query *, const char *);
void	 skube_query_free(struct skube_query *);
int	 skube_err_set(struct skube_err *, int code, const char *reason,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void	 skube_err_details(struct skube_err *, const char *group,
	    const char *kind, const char *name);
void	 skube_err_cause(struct skube_err *, const char *reason,
	    const char *field, const char *message);
void	 skube_err_free(struct skube_err *);
cJSON	*skube_err_status(const struct skube_err *);
cJSON	*skube_status_new(int code, const char *reason, const char *message);
void	 skube_now(char *buf, size_t len, int micro);
void	 skube_age(const char *ts, char *buf, size_t len);
void	 skube_duration(long secs, char *buf, size_t len);
char	*skube_b64(const void *, size_t);
int	 skube_valid_subdomain(const char *);
int	 skube_valid_label(const char *);
cJSON	*skube_meta(cJSON *obj);
const char *skube_name(const cJSON *obj);
const char *skube_ns(const cJSON *obj);
void	 skube_set_str(cJSON *obj, const char *key, const char *val);
void	 skube_set_num(cJSON *obj, const char *key, double val);
int	 skube_has(const cJSON *obj, const char *key);
void	 skube_set_item(cJSON *obj, const char *key, cJSON *item);
cJSON	*skube_child(cJSON *obj, const char *key, int type);
void	 skube_rand_suffix(char *buf, size_t n);
uint64_t skube_rv_of(const cJSON *obj);
int	 skube_has_finalizers(const cJSON *obj);
int	 skube_str_in(const cJSON *arr, const char *s);
char	*skube_apiversion(const struct skube_rtype *);
uint64_t skube_mono_ms(void);

/* kube_reg.c */
void	 skube_reg_builtins(struct sim_kube *);
struct skube_rtype *skube_reg_find(struct sim_kube *, const char *group,
	    const char *version, const char *plural);
struct skube_rtype *skube_reg_find_kind(struct sim_kube *, const char *group,
	    const char *version, const char *kind);
struct skube_rtype *skube_reg_storage(struct sim_kube *, struct skube_store *);
struct skube_store *skube_store_get(struct sim_kube *, const char *group,
	    const char *plural, int namespaced);
int	 skube_reg_crd(struct sim_kube *, const cJSON *crd, struct skube_err *);
void	 skube_reg_uncrd(struct sim_kube *, const char *crd_name);
void	 skube_reg_free(struct sim_kube *);
int	 skube_reg_check_crd(struct sim_kube *, const cJSON *crd,
	    struct skube_err *);

/* kube_store.c */
struct skube_entry *skube_store_find(struct skube_store *, const char *ns,
	    const char *name);
struct skube_entry *skube_store_insert(struct sim_kube *, struct skube_store *,
	    cJSON *obj);
void	 skube_store_replace(struct sim_kube *, struct skube_store *,
	    struct skube_entry *, cJSON *obj);
cJSON	*skube_store_remove(struct sim_kube *, struct skube_store *,
	    struct skube_entry *);
void	 skube_store_record(struct sim_kube *, struct skube_store *,
	    enum skube_ev_type, const cJSON *obj);
size_t	 skube_store_lower(const struct skube_store *, const char *key);
void	 skube_store_put_raw(struct skube_store *, cJSON *obj);
void	 skube_store_clear(struct skube_store *);
void	 skube_stores_free(struct sim_kube *);
char	*skube_store_key(const char *ns, const char *name);

/* kube_select.c */
int	 skube_sel_parse(struct skube_sel *, const char *, int fields,
	    char **cause);
int	 skube_sel_match(const struct skube_sel *, const cJSON *obj);
void	 skube_sel_free(struct skube_sel *);

/* kube_ops.c */
cJSON	*skube_out(const struct skube_rtype *, const cJSON *stored);
int	 skube_op_create(struct sim_kube *, struct skube_rtype *,
    const char *ns,
	    cJSON *obj, const struct skube_wopts *, cJSON **out,
	    struct skube_err *);
int	 skube_op_update(struct sim_kube *, struct skube_rtype *,
    const char *ns,
	    const char *name, const char *sub, cJSON *obj,
	    const struct skube_wopts *, cJSON **out, struct skube_err *);
int	 skube_op_delete(struct sim_kube *, struct skube_rtype *,
    const char *ns,
	    const char *name, const cJSON *delopts, const struct skube_wopts *,
	    cJSON **out, struct skube_err *);
int	 skube_op_get(struct sim_kube *, struct skube_rtype *, const char *ns,
	    const char *name, struct skube_entry **, struct skube_err *);
void	 skube_op_gc(struct sim_kube *, const char *owner_uid);
int	 skube_ns_check(struct sim_kube *, const char *ns, struct skube_err *);

/* kube_patch.c */
int	 skube_patch_apply(struct sim_kube *, const struct skube_rtype *,
	    const char *ctype, const char *body, size_t len,
	    const cJSON *cur, cJSON **out, struct skube_err *);
cJSON	*skube_merge_patch(const cJSON *target, const cJSON *patch);
int	 skube_json_patch(cJSON **doc, const cJSON *ops, struct skube_err *);
void	 skube_managed_fields(cJSON *obj, const cJSON *intent,
	    const struct skube_rtype *, const struct skube_wopts *);

/* kube_list.c */
void	 skube_list(struct sim_kube *, struct skube_req *,
    struct httpd_response *);
cJSON	*skube_table(const struct skube_rtype *, const cJSON **objs, size_t n,
	    int with_defs, const struct skube_query *);

/* kube_table.c */
void	 skube_table_columns(const struct skube_rtype *, cJSON *defs);
void	 skube_table_cells(const struct skube_rtype *, const cJSON *obj,
	    cJSON *cells);
cJSON	*skube_jsonpath(const cJSON *obj, const char *path);

/* kube_watch.c */
void	 skube_watch_start(struct sim_kube *, struct skube_req *,
	    struct httpd_response *);

/* kube_discovery.c */
int	 skube_discovery(struct sim_kube *, const char *path,
	    const struct skube_query *, struct httpd_response *);

/* kube_kinds.c */
const struct skube_kind_ops *skube_kind_ops(const char *group,
    const char *kind);
void	 skube_event_to_core(cJSON *obj);
void	 skube_event_to_events(cJSON *obj);

/* kube_proto.c */
int	 skube_proto_decode(const char *body, size_t len, cJSON **out,
	    char **cause);

/* kube_schema.c */
void	 skube_schema_default(const cJSON *schema, cJSON *obj);

/* kube_state.c */
cJSON	*skube_state_save(struct sim_kube *);
int	 skube_state_load(struct sim_kube *, const cJSON *, char **cause);

/* kube_ctrl.c */
struct skube_rtype *skube_ctl_type(struct sim_kube *, const char *group,
	    const char *plural);
void	 skube_ctl_create(struct sim_kube *, struct skube_rtype *, cJSON *obj);
void	 skube_ctl_update(struct sim_kube *, struct skube_rtype *, cJSON *obj);
void	 skube_ctl_delete(struct sim_kube *, struct skube_rtype *,
	    const char *ns, const char *name);
int	 skube_ctl_pod_ready(const cJSON *pod);
cJSON	*skube_ctl_cond(const cJSON *oldconds, const char *type, int ok,
	    const char *reason, const char *msg);
uint64_t skube_store_last_rv(const struct skube_store *);

/* kube_deploy.c, kube_eps.c */
void	 skube_ctl_deployments(struct sim_kube *);
void	 skube_ctl_endpointslices(struct sim_kube *);

void	 skube_ctl_pass(struct sim_kube *);
void	 skube_ctl_start(struct sim_kube *);
void	 skube_ctl_stop(struct sim_kube *);
void	 skube_seed(struct sim_kube *);

/* kube_server.c */
void	 skube_reply_json(struct httpd_response *, int status, cJSON *);
void	 skube_reply_err(struct httpd_response *, const struct skube_err *);
void	 skube_reply_status(struct httpd_response *, int code,
	    const char *reason, const char *fmt, ...)
	    __attribute__((format(printf, 4, 5)));

#endif
