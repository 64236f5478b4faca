/*
 * gwapi: typed, validated views of the Kubernetes objects the engine
 * reads (Gateway API v1 GatewayClass, Gateway, HTTPRoute, GRPCRoute,
 * TLSRoute, ReferenceGrant; core Service and discovery EndpointSlice; the
 * application-networking.k8s.aws CRDs), and pure resolution of a route's
 * parents and backends. No network: lookups go through struct gw_lookup.
 * Upstream strings (annotation keys, reasons, ...) are in upstream.h.
 *
 * Parsing. gw_<kind>_parse takes a cJSON object as the API server or the
 * informer cache hands it out (or as yaml_load reads a manifest: missing
 * kind is accepted, a missing metadata.namespace becomes "default" for
 * namespaced kinds) and applies the CRD defaults the API server would
 * (parentRef group/kind, backendRef kind/weight, match path PathPrefix
 * "/", allowedRoutes Same, ...). Two levels of trouble:
 *  - invalid: the object cannot be typed (not an object, wrong kind,
 *    missing metadata.name, a field of the wrong JSON type, a value the
 *    CRD's schema forbids). The parse returns -1 and *cause reads
 *    "<Kind> <ns>/<name>: <field path>: <what>", e.g.
 *    `HTTPRoute default/rates: spec.rules[0].backendRefs[1].port: 70000
 *    out of range 1..65535`.
 *  - unsupported: valid Gateway API that VPC Lattice (or upstream) cannot
 *    express, such as a RegularExpression path, queryParams, more than 5
 *    header matches, an invalid service-name-override or tags annotation.
 *    The parse succeeds; the object's problems[] list holds one message
 *    per issue in the same format (`HTTPRoute default/rates:
 *    spec.rules[1].matches[0].path.type: unsupported value
 *    "RegularExpression"`); the engine reports the first one as Accepted
 *    False UnsupportedValue. Fields accepted but ignored (filters,
 *    timeouts, ...) are listed in ignored[] (for events and logs).
 *
 * Ownership. Each parsed object is one allocation tree: all its strings
 * and arrays belong to it and are released together by gw_<kind>_free
 * (NULL allowed). Nothing points into the cJSON tree that was parsed,
 * which may be freed right after the parse. Parsed objects are never
 * changed after the parse, so they may be shared read-only across
 * threads.
 *
 * Resolution. Functions take a struct gw_lookup (callbacks over whatever
 * store the caller has; gw_snapshot below is a ready one). Objects the
 * callbacks return are borrowed: they must stay valid until the resolving
 * function returns, and result structs that point at them (gateway,
 * service, ...) are only valid as long as the caller keeps them alive.
 * Result structs own their messages and arrays; release with the matching
 * _free. Reasons are static UP_REASON_* strings.
 *
 * Status writers: upstream writes a status.parents entry (controllerName
 * UP_CONTROLLER_NAME) only for parentRefs whose Gateway exists; write one
 * for each gw_parent_result with a gateway that is ours, with Accepted
 * from the result and the route-level ResolvedRefs of gw_resolution (the
 * same on every parent, as upstream). Use the parentRef's raw tree.
 *
 * Documented choices beyond upstream: ReferenceGrant is enforced for
 * cross-namespace backendRefs (no grant: ResolvedRefs False
 * RefNotPermitted; upstream ignores grants). A rule with several matches
 * is valid (the builder expands it into several Lattice rules). A
 * backendRef's port must exist on the Service (else BackendNotFound).
 * Route/backendRef filters, timeouts, retry and sessionPersistence are
 * listed in ignored[] and otherwise ignored, as upstream does.
 *
 * Threads: parse functions, resolution and a gw_snapshot's lookup are
 * safe to call concurrently on shared read-only objects; adding to or
 * freeing a snapshot needs exclusive access.
 */
#ifndef LATTICECTL_GWAPI_H
#define LATTICECTL_GWAPI_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "latticectl/upstream.h"

struct gw_arena;

/* A key/value string pair (labels, annotations, tags, options). */
struct gw_kv {
	char	*key;
	char	*value;
};

/* metadata, common to every kind. */
struct gw_meta {
	const char	*kind;		/* static: "HTTPRoute", ... */
	char		*ns;		/* NULL for cluster-scoped kinds */
	char		*name;
	char		*uid;		/* NULL when absent */
	char		*resource_version;	/* NULL when absent */
	int64_t		 generation;	/* 0 when absent */
	char		*deletion_timestamp;	/* NULL unless being deleted */
	int		 deleting;	/* deletionTimestamp is set */
	struct gw_kv	*labels;
	size_t		 nlabels;
	struct gw_kv	*annotations;
	size_t		 nannotations;
	char		**finalizers;
	size_t		 nfinalizers;
	char		**problems;	/* unsupported values (see top) */
	size_t		 nproblems;
	char		**ignored;	/* accepted but ignored fields */
	size_t		 nignored;
	struct gw_arena	*arena;		/* private: owns everything */
};

/* An annotation or label value, or NULL. */
const char *gw_meta_annotation(const struct gw_meta *, const char *key);
const char *gw_meta_label(const struct gw_meta *, const char *key);
/* Whether the object carries finalizer f. */
int	 gw_meta_has_finalizer(const struct gw_meta *, const char *f);
/* "ns/name" (or "name") into buf of size len; returns buf. */
char	*gw_meta_key(const struct gw_meta *, char *buf, size_t len);

/* Label selector (metav1.LabelSelector). */
enum gw_sel_op {
	GW_SEL_IN,
	GW_SEL_NOT_IN,
	GW_SEL_EXISTS,
	GW_SEL_DOES_NOT_EXIST
};
struct gw_sel_expr {
	char		*key;
	enum gw_sel_op	 op;
	char		**values;
	size_t		 nvalues;
};
struct gw_selector {
	struct gw_kv		*match_labels;
	size_t			 nmatch_labels;
	struct gw_sel_expr	*exprs;
	size_t			 nexprs;
};
/* Whether labels satisfy the selector (an empty selector matches all). */
int	 gw_selector_matches(const struct gw_selector *,
	    const struct gw_kv *labels, size_t nlabels);

/* ---- GatewayClass ---------------------------------------------------- */

struct gw_gatewayclass {
	struct gw_meta	 meta;
	char		*controller_name;
	int		 ours;	/* controllerName == UP_CONTROLLER_NAME */
};

/* ---- Gateway --------------------------------------------------------- */

enum gw_protocol {
	GW_PROTO_HTTP,
	GW_PROTO_HTTPS,
	GW_PROTO_TLS,
	GW_PROTO_OTHER		/* TCP, UDP, custom: unsupported (problem) */
};
enum gw_tls_mode {
	GW_TLS_NONE,		/* no tls block */
	GW_TLS_TERMINATE,
	GW_TLS_PASSTHROUGH
};
enum gw_from {
	GW_FROM_SAME,		/* default */
	GW_FROM_ALL,
	GW_FROM_SELECTOR
};

/* A route group/kind pair (allowedRoutes.kinds, supportedKinds). */
struct gw_group_kind {
	char	*group;		/* default UP_GROUP_GATEWAY */
	char	*kind;
};

struct gw_listener {
	char			*name;
	int32_t			 port;
	enum gw_protocol	 protocol;
	char			*protocol_str;	/* as written */
	char			*hostname;	/* NULL: any */
	enum gw_tls_mode	 tls_mode;
	size_t			 ncertificate_refs;
	struct gw_kv		*tls_options;
	size_t			 ntls_options;
	char			*certificate_arn;	/* option UP_OPT_CERTIFICATE_ARN */
	enum gw_from		 from;
	struct gw_selector	 selector;	/* GW_FROM_SELECTOR */
	struct gw_group_kind	*kinds;		/* allowedRoutes.kinds; */
	size_t			 nkinds;	/* 0: defaults per protocol */
};

struct gw_gateway {
	struct gw_meta		 meta;
	char			*class_name;
	struct gw_listener	*listeners;
	size_t			 nlisteners;
	int			 standalone;	/* UP_ANN_STANDALONE: -1 unset, 0, 1 */
};

/* ---- Routes (HTTPRoute, GRPCRoute, TLSRoute) -------------------------- */

enum gw_route_kind {
	GW_ROUTE_ANY = -1,	/* parse: take it from the object's kind */
	GW_ROUTE_HTTP,
	GW_ROUTE_GRPC,
	GW_ROUTE_TLS
};
enum gw_path_type {
	GW_PATH_NONE,		/* GRPC/TLS, or no path (never after defaults) */
	GW_PATH_EXACT,
	GW_PATH_PREFIX,
	GW_PATH_REGEX		/* RegularExpression: unsupported (problem) */
};

struct gw_parent_ref {
	char	*group;		/* default UP_GROUP_GATEWAY */
	char	*kind;		/* default UP_KIND_GATEWAY */
	char	*ns;		/* default: the route's namespace */
	char	*name;
	char	*section_name;	/* NULL: any listener */
	int32_t	 port;		/* 0: any */
	cJSON	*raw;		/* the spec entry as written, for status.parents */
};

/* A header match: Exact only; names compare case-insensitively. */
struct gw_header_match {
	char	*name;
	char	*value;
	int	 regex;		/* type RegularExpression (problem) */
};

struct gw_match {
	/* HTTPRoute */
	enum gw_path_type	 path_type;
	char			*path;		/* NULL with GW_PATH_NONE */
	char			*method;	/* NULL: any */
	/* GRPCRoute (method.type Exact; NULL: any) */
	char			*grpc_service;
	char			*grpc_method;
	/* both */
	struct gw_header_match	*headers;
	size_t			 nheaders;
	int			 unsupported;	/* see meta.problems */
};

struct gw_backend_ref {
	char	*group;		/* "" (core) default */
	char	*kind;		/* "Service" default */
	char	*ns;		/* default: the route's namespace */
	char	*name;
	int32_t	 port;		/* 0: not set */
	int32_t	 weight;	/* default 1; 0 allowed (no traffic) */
};

struct gw_rule {
	char			*name;		/* spec.rules[].name or NULL */
	struct gw_match		*matches;	/* HTTP/GRPC; >= 1 after defaults */
	size_t			 nmatches;	/* for HTTP, 0 for TLS */
	struct gw_backend_ref	*backends;
	size_t			 nbackends;
	int			 has_priority;	/* UP_ANN_RULE_PRIORITY_FMT set */
	int			 priority;	/* 1..UP_MAX_RULE_PRIORITY */
	int			 unsupported;	/* see meta.problems */
};

struct gw_route {
	struct gw_meta		 meta;
	enum gw_route_kind	 kind;
	struct gw_parent_ref	*parents;
	size_t			 nparents;
	char			**hostnames;
	size_t			 nhostnames;
	struct gw_rule		*rules;
	size_t			 nrules;
	/* Annotations, decoded and checked. */
	int			 standalone;	/* -1 unset, 0, 1 */
	char			*service_name_override;	/* NULL: none/invalid */
	char			*allow_takeover_from;	/* NULL: none */
	struct gw_kv		*tags;		/* user tags (UP_ANN_TAGS), */
	size_t			 ntags;		/* reserved prefixes dropped */
};

/* Kind name ("HTTPRoute"), RouteType tag value ("http"), finalizer
 * (UP_FIN_HTTPROUTE) of a route kind; NULL for GW_ROUTE_ANY. */
const char *gw_route_kind_name(enum gw_route_kind);
const char *gw_route_type_tag(enum gw_route_kind);
const char *gw_route_finalizer(enum gw_route_kind);
/* The route kind named by a kind string, or GW_ROUTE_ANY. */
enum gw_route_kind gw_route_kind_from_name(const char *);
/* -1 with the first problem in *cause when the route has problems. */
int	 gw_route_check(const struct gw_route *, char **cause);

/* ---- ReferenceGrant --------------------------------------------------- */

struct gw_grant_from {
	char	*group;
	char	*kind;
	char	*ns;
};
struct gw_grant_to {
	char	*group;
	char	*kind;
	char	*name;		/* NULL: every object of that kind */
};
struct gw_refgrant {
	struct gw_meta		 meta;
	struct gw_grant_from	*from;
	size_t			 nfrom;
	struct gw_grant_to	*to;
	size_t			 nto;
};
/* Whether grant (which lives in the target's namespace) lets
 * from_group/from_kind in from_ns refer to to_group/to_kind/to_name. */
int	 gw_refgrant_permits(const struct gw_refgrant *,
	    const char *from_group, const char *from_kind, const char *from_ns,
	    const char *to_group, const char *to_kind, const char *to_name);

/* ---- Service, EndpointSlice ------------------------------------------ */

struct gw_service_port {
	char	*name;		/* NULL when unnamed */
	int32_t	 port;
	int32_t	 target_port;	/* 0 when named or absent */
	char	*target_port_name;	/* NULL unless named */
	char	*protocol;	/* default "TCP" */
	char	*app_protocol;	/* NULL when absent */
};
struct gw_service {
	struct gw_meta		 meta;
	char			*type;		/* default "ClusterIP" */
	struct gw_kv		*selector;
	size_t			 nselector;
	struct gw_service_port	*ports;
	size_t			 nports;
	char			**ip_families;	/* "IPv4", "IPv6" */
	size_t			 nip_families;
	char			*cluster_ip;	/* NULL when absent */
};
/* The port with that port number, or NULL. */
const struct gw_service_port *gw_service_port_find(const struct gw_service *,
	    int32_t port);

struct gw_slice_port {
	char	*name;		/* NULL: unnamed */
	int32_t	 port;		/* 0: unset (all ports) */
	char	*protocol;	/* default "TCP" */
};
struct gw_endpoint {
	char	**addresses;
	size_t	  naddresses;
	int	  ready;	/* conditions, Kubernetes semantics: */
	int	  serving;	/* ready unset = 1, serving unset = ready, */
	int	  terminating;	/* terminating unset = 0 */
	char	 *target_kind;	/* targetRef, NULL when absent */
	char	 *target_ns;
	char	 *target_name;
	char	 *node_name;
	char	 *zone;
};
struct gw_endpointslice {
	struct gw_meta		 meta;
	char			*service_name;	/* UP_LABEL_SERVICE_NAME or NULL */
	char			*address_type;	/* IPv4, IPv6, FQDN */
	struct gw_slice_port	*ports;
	size_t			 nports;
	struct gw_endpoint	*endpoints;
	size_t			 nendpoints;
};

/* ---- ServiceExport, ServiceImport ------------------------------------ */

struct gw_exported_port {
	int32_t	 port;
	char	*route_type;	/* "HTTP", "GRPC", "TLS" */
};
struct gw_serviceexport {
	struct gw_meta		 meta;
	int			 federated;	/* UP_ANN_FEDERATION == amazon-vpc-lattice */
	char			*service_name;	/* UP_ANN_SERVICE_NAME or NULL */
	int32_t			*legacy_ports;	/* UP_ANN_PORT "80,8080" */
	size_t			 nlegacy_ports;
	struct gw_exported_port	*ports;		/* spec.exportedPorts */
	size_t			 nports;
	struct gw_kv		*tags;
	size_t			 ntags;
};

struct gw_import_port {
	char	*name;
	int32_t	 port;
	char	*protocol;
	char	*app_protocol;
};
struct gw_serviceimport {
	struct gw_meta		 meta;
	char			*type;		/* ClusterSetIP, Headless */
	struct gw_import_port	*ports;
	size_t			 nports;
	char			*export_name;	/* UP_ANN_EXPORT_NAME */
	char			*aws_vpc;	/* UP_ANN_AWS_VPC */
	char			*eks_cluster;	/* UP_ANN_AWS_EKS_CLUSTER */
	char			*target_group_arn;	/* UP_ANN_TARGET_GROUP_ARN */
	char			*target_group_id;	/* "tg-..." from a valid ARN */
	int			 conflicting;	/* target-group-arn with another */
	int			 arn_invalid;	/* not a vpc-lattice TG ARN */
};

/* ---- Policies ---------------------------------------------------------- */

struct gw_target_ref {
	char	*group;
	char	*kind;
	char	*ns;		/* default: the policy's namespace */
	char	*name;
};

struct gw_health_check {
	int	 has_enabled, enabled;
	int32_t	 interval;	/* 0: unset; else as in the CRD */
	int32_t	 timeout;
	int32_t	 healthy;
	int32_t	 unhealthy;
	int32_t	 port;
	char	*path;
	char	*status_match;
	char	*protocol;	/* HTTP, HTTPS or NULL */
	char	*protocol_version;	/* HTTP1, HTTP2 or NULL */
};
struct gw_tgpolicy {
	struct gw_meta		 meta;
	struct gw_target_ref	 target;
	char			*protocol;	/* HTTP, HTTPS, TCP or NULL */
	char			*protocol_version;	/* HTTP1, HTTP2, GRPC or NULL */
	int			 has_health_check;
	struct gw_health_check	 health_check;
};
struct gw_vapolicy {
	struct gw_meta		 meta;
	struct gw_target_ref	 target;
	int			 associate;	/* associateWithVpc, default 1 */
	char			**security_groups;
	size_t			 nsecurity_groups;
};
struct gw_alpolicy {
	struct gw_meta		 meta;
	struct gw_target_ref	 target;
	char			*destination_arn;
};
struct gw_iampolicy {
	struct gw_meta		 meta;
	struct gw_target_ref	 target;
	char			*policy;	/* the IAM policy document text */
};

/* ---- Parse and free ---------------------------------------------------- */

int	 gw_gatewayclass_parse(const cJSON *, struct gw_gatewayclass **,
	    char **cause);
int	 gw_gateway_parse(const cJSON *, struct gw_gateway **, char **cause);
/* kind GW_ROUTE_ANY: take it from the object's "kind" (required then). */
int	 gw_route_parse(const cJSON *, enum gw_route_kind,
	    struct gw_route **, char **cause);
int	 gw_refgrant_parse(const cJSON *, struct gw_refgrant **, char **cause);
int	 gw_service_parse(const cJSON *, struct gw_service **, char **cause);
int	 gw_endpointslice_parse(const cJSON *, struct gw_endpointslice **,
	    char **cause);
int	 gw_serviceexport_parse(const cJSON *, struct gw_serviceexport **,
	    char **cause);
int	 gw_serviceimport_parse(const cJSON *, struct gw_serviceimport **,
	    char **cause);
int	 gw_tgpolicy_parse(const cJSON *, struct gw_tgpolicy **, char **cause);
int	 gw_vapolicy_parse(const cJSON *, struct gw_vapolicy **, char **cause);
int	 gw_alpolicy_parse(const cJSON *, struct gw_alpolicy **, char **cause);
int	 gw_iampolicy_parse(const cJSON *, struct gw_iampolicy **, char **cause);

void	 gw_gatewayclass_free(struct gw_gatewayclass *);
void	 gw_gateway_free(struct gw_gateway *);
void	 gw_route_free(struct gw_route *);
void	 gw_refgrant_free(struct gw_refgrant *);
void	 gw_service_free(struct gw_service *);
void	 gw_endpointslice_free(struct gw_endpointslice *);
void	 gw_serviceexport_free(struct gw_serviceexport *);
void	 gw_serviceimport_free(struct gw_serviceimport *);
void	 gw_tgpolicy_free(struct gw_tgpolicy *);
void	 gw_vapolicy_free(struct gw_vapolicy *);
void	 gw_alpolicy_free(struct gw_alpolicy *);
void	 gw_iampolicy_free(struct gw_iampolicy *);

/* ---- Annotation helpers (also used by the parsers) --------------------- */

/* Parse a tags annotation "k=v,k2=v2" the way upstream does: items are
 * trimmed; an item without '=', with an empty key or value, a key over
 * UP_TAG_KEY_MAX or a value over UP_TAG_VALUE_MAX bytes, or a character
 * outside the AWS tag pattern (letters, digits, spaces, _.:/=+-@; any
 * non-ASCII byte counts as a letter) is skipped; a repeated key keeps
 * the first; at most UP_TAGS_MAX tags are taken (reserved keys count);
 * then keys starting with UP_PREFIX or "aws:" (any case) are dropped.
 * Returns how many items were skipped or dropped. *out is a malloc'd
 * array (gw_kv_free); NULL with *n 0 when nothing is left. */
size_t	 gw_tags_parse(const char *, struct gw_kv **out, size_t *n);
void	 gw_kv_free(struct gw_kv *, size_t n);
/* Check a service-name-override value (3..40 chars, [a-z0-9-], no "svc-"
 * prefix, no leading/trailing '-', no "--"); -1 with *cause. */
int	 gw_service_name_check(const char *, char **cause);
/* Whether an annotation value means true ("true", any case). */
int	 gw_ann_true(const char *);

/* ---- Lookup interface --------------------------------------------------- */

/* Callbacks over the caller's store. Any callback may be NULL (treated
 * as "nothing found"). Returned objects are borrowed (see top). */
struct gw_lookup {
	void	*arg;
	const struct gw_gatewayclass *(*gatewayclass)(void *arg,
		    const char *name);
	const struct gw_gateway *(*gateway)(void *arg, const char *ns,
		    const char *name);
	const struct gw_service *(*service)(void *arg, const char *ns,
		    const char *name);
	const struct gw_serviceimport *(*serviceimport)(void *arg,
		    const char *ns, const char *name);
	/* ReferenceGrants in ns: *out gets a borrowed array of n pointers. */
	size_t	 (*refgrants)(void *arg, const char *ns,
		    const struct gw_refgrant *const **out);
	/* Labels of namespace ns: 0 and a borrowed array, or -1 when the
	 * namespace is unknown. */
	int	 (*namespace_labels)(void *arg, const char *ns,
		    const struct gw_kv **labels, size_t *n);
};

/* Whether gw's GatewayClass exists and has our controllerName. */
int	 gw_gateway_is_ours(const struct gw_gateway *, const struct gw_lookup *);

/* ---- Parent resolution ------------------------------------------------- */

/* One parentRef's outcome. reason is the Accepted condition's reason,
 * checked in this order: UP_REASON_NO_MATCHING_PARENT (parent not a
 * Gateway, Gateway missing, or no listener with that sectionName/port),
 * NOT_ALLOWED (no selected listener allows the route's kind and
 * namespace), NO_MATCHING_HOSTNAME (none of those intersects the route's
 * hostnames), UNSUPPORTED_VALUE (route problems, message = the first; or
 * UP_MSG_DUAL_STACK from gw_resolve_route), else UP_REASON_ACCEPTED with
 * message "". listeners are the selected, allowed, hostname-matching
 * ones, also when UnsupportedValue. message is never NULL. */
struct gw_parent_result {
	size_t			 index;		/* in route->parents */
	const struct gw_gateway	*gateway;	/* NULL when not found */
	int			 ours;		/* gateway of our GatewayClass */
	int			 accepted;
	const char		*reason;
	char			*message;
	size_t			*listeners;	/* indexes into gateway->listeners */
	size_t			 nlisteners;	/* the route attaches to */
};

/* Resolve parentRef i of route. */
void	 gw_resolve_parent(const struct gw_route *, size_t i,
	    const struct gw_lookup *, struct gw_parent_result *out);
void	 gw_parent_result_clear(struct gw_parent_result *);

/* Whether a listener hostname (NULL: any; "*.x" wildcard) and a route
 * hostname intersect, Gateway API rules. */
int	 gw_hostname_intersects(const char *listener, const char *route);
/* Whether listener l allows route kind k from namespace ns (for gateway
 * gw); 0 sets *why to a static explanation. */
int	 gw_listener_allows(const struct gw_gateway *, const struct gw_listener *,
	    enum gw_route_kind, const char *ns, const struct gw_lookup *,
	    const char **why);

/* ---- Backend resolution ------------------------------------------------ */

/* One backendRef's outcome. reason: UP_REASON_RESOLVED_REFS,
 * INVALID_KIND (neither a core-group Service nor a ServiceImport of group
 * "", application-networking.k8s.aws or multicluster.x-k8s.io), REF_NOT_PERMITTED (cross-namespace without a
 * ReferenceGrant), BACKEND_NOT_FOUND (object or port missing),
 * CONFLICTING_IMPORT_ANN (ServiceImport with target-group-arn and
 * another selector annotation), INVALID_EXTERNAL_TG (target-group-arn
 * that is not a VPC Lattice target group ARN). */
struct gw_backend_result {
	size_t				 rule;	/* indexes in the route */
	size_t				 backend;
	int				 resolved;
	const char			*reason;
	char				*message;
	const struct gw_service		*service;	/* kind Service */
	const struct gw_service_port	*port;		/* NULL: port 0 */
	const struct gw_serviceimport	*import;	/* kind ServiceImport */
	int				 cross_ns;	/* allowed by a grant */
};

void	 gw_resolve_backend(const struct gw_route *, size_t rule,
	    size_t backend, const struct gw_lookup *,
	    struct gw_backend_result *out);
void	 gw_backend_result_clear(struct gw_backend_result *);

/* ---- Whole route ---------------------------------------------------------- */

struct gw_resolution {
	struct gw_parent_result	*parents;	/* one per parentRef */
	size_t			 nparents;
	struct gw_backend_result *backends;	/* rule by rule, in order */
	size_t			 nbackends;
	int			 ours;		/* any parent is ours */
	int			 standalone;	/* route wins, else any parent */
	/* The route-level ResolvedRefs condition: True/ResolvedRefs with
	 * message "", or the first failing backend's reason and message. */
	int			 resolved_refs;
	const char		*resolved_reason;
	char			*resolved_message;
};

void	 gw_resolve_route(const struct gw_route *, const struct gw_lookup *,
	    struct gw_resolution *out);
void	 gw_resolution_free(struct gw_resolution *);
/* The standalone decision: route annotation when set, else 1 when any
 * parent Gateway that is ours says true, else 0. */
int	 gw_route_standalone(const struct gw_route *, const struct gw_lookup *);

/* ---- Gateway listener status helpers ------------------------------------ */

/* Route kinds a listener supports: allowedRoutes.kinds that this
 * controller can serve on the protocol (HTTP/HTTPS: HTTPRoute,
 * GRPCRoute; TLS: TLSRoute), or all of those when no kinds are listed.
 * *invalid is set when a listed kind is not supported (ResolvedRefs
 * False InvalidRouteKinds). Returns n (<= 2), kinds static strings in
 * group UP_GROUP_GATEWAY. */
size_t	 gw_listener_supported_kinds(const struct gw_listener *,
	    const char *kinds[2], int *invalid);
/* attachedRoutes per listener of gw: counts[i] (nlisteners entries,
 * zeroed here) = accepted, not-deleting routes attached to listener i. */
void	 gw_count_attached(const struct gw_gateway *,
	    const struct gw_route *const *routes, size_t nroutes,
	    const struct gw_lookup *, int32_t *counts);

/* ---- Snapshot: a ready gw_lookup over owned objects ---------------------- */

struct gw_snapshot;

struct gw_snapshot *gw_snapshot_new(void);
void	 gw_snapshot_free(struct gw_snapshot *);	/* frees all objects */
/* Add objects; the snapshot takes ownership. A later add with the same
 * namespace/name replaces (and frees) the earlier one. */
void	 gw_snapshot_add_gatewayclass(struct gw_snapshot *,
	    struct gw_gatewayclass *);
void	 gw_snapshot_add_gateway(struct gw_snapshot *, struct gw_gateway *);
void	 gw_snapshot_add_route(struct gw_snapshot *, struct gw_route *);
void	 gw_snapshot_add_service(struct gw_snapshot *, struct gw_service *);
void	 gw_snapshot_add_serviceimport(struct gw_snapshot *,
	    struct gw_serviceimport *);
void	 gw_snapshot_add_refgrant(struct gw_snapshot *, struct gw_refgrant *);
/* Namespace labels (copied); a namespace never added is unknown. */
void	 gw_snapshot_add_namespace(struct gw_snapshot *, const char *ns,
	    const struct gw_kv *labels, size_t n);
/* Parse any supported object (by its kind) and add it; -1 with *cause
 * on a parse error; kinds the snapshot does not hold are skipped (0). */
int	 gw_snapshot_add_json(struct gw_snapshot *, const cJSON *, char **cause);
/* Routes held (borrowed array). */
const struct gw_route *const *gw_snapshot_routes(const struct gw_snapshot *,
	    size_t *n);
/* A lookup whose callbacks read the snapshot. */
void	 gw_snapshot_lookup(struct gw_snapshot *, struct gw_lookup *);

#endif
