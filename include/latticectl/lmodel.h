/*
 * lmodel: the desired VPC Lattice model the builder derives from the
 * Kubernetes objects, plus the upstream-compatible naming and tag rules.
 *
 * One struct lm_stack describes everything one Kubernetes "source" wants
 * in Lattice:
 * - a route (HTTPRoute, GRPCRoute, TLSRoute): a service (with its service
 *   network associations), its listeners, each listener's rules, and the
 *   target groups the rules forward to with their targets;
 * - a ServiceExport: target groups (one per exported port) and targets, no
 *   service.
 * Alongside a route stack the builder produces one struct lm_parent_status
 * per spec.parentRefs entry (Accepted / ResolvedRefs conditions).
 *
 * Identity. Lattice resources are recognised by TAGS, exactly as the
 * upstream controller does (research/upstream_controller.md 2.1, 2.2):
 * - service: name (deterministic) + tags RouteName/RouteNamespace/RouteType
 *   + ManagedBy;
 * - listener: port (+ protocol) within the service;
 * - rule: its match within the listener (name and priority are not
 *   identity; priorities may be rewritten with BatchUpdateRule);
 * - target group: the tag tuple ManagedBy, ClusterName, ServiceName,
 *   ServiceNamespace, SourceTypeKey, RouteName, RouteNamespace,
 *   ProtocolVersion plus the immutable fields (port, protocol, type,
 *   ipAddressType, vpc). Our TG names are deterministic (a hash suffix
 *   instead of upstream's random letters), so a TG we created can also be
 *   found by name; TGs created by upstream are found by tags.
 * Every name the builder emits is deterministic: the same inputs give
 * byte-identical stacks.
 *
 * Rules reference target groups by KEY (lm_target_group.key), a string
 * unique within the stack. Forward actions of rules and of TLS passthrough
 * listener defaults carry keys, never Lattice ids: the diff/apply layer
 * maps keys to ids. A target group of kind LM_TG_IMPORT or LM_TG_ARN is a
 * reference to a TG this stack does not own (found by tags / given by ARN).
 *
 * Ownership: an lm_stack owns every string, array and nested struct inside
 * it (tags included, struct aws_tags from aws.h) and is released with
 * lm_stack_free(), which frees the members and the stack itself.
 * struct lm_route_result (stack, statuses, warnings) is released with
 * lm_route_result_free(). Condition type and reason members point to
 * string constants (never freed); messages are owned. The builder never
 * keeps pointers into its inputs: everything is copied.
 *
 * Upstream facts (tag keys, annotation keys, values, reasons) come from
 * upstream.h; naming formulas are written once, in naming.c.
 * Thread safety: none needed; every function is pure over its arguments.
 */
#ifndef LATTICECTL_LMODEL_H
#define LATTICECTL_LMODEL_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "latticectl/aws.h"
#include "latticectl/gwapi.h"
#include "latticectl/upstream.h"

/* ---- constants ----
 * Tag keys, annotation keys, RouteType / SourceTypeKey values, condition
 * types and reasons are upstream facts and live in upstream.h (UP_*);
 * this header adds only the model's own defaults. */

/* Limits and defaults. */
#define LM_MAX_HEADER_MATCHES	UP_MAX_HEADER_MATCHES	/* per rule match */
#define LM_MAX_WEIGHTED_TGS	10	/* per forward action (wire limit) */
#define LM_MAX_WEIGHT		999	/* target group weight 0..999 (wire) */
#define LM_MAX_PRIORITY		2000	/* rule priority 1..2000 (wire) */
#define LM_DEFAULT_FIXED_STATUS	404	/* listener default action */
#define LM_INVALID_BACKEND_STATUS 500	/* rule with no valid backend */

/* ---- model ---- */

enum lm_source_kind {
	LM_SRC_HTTPROUTE = 0,
	LM_SRC_GRPCROUTE,
	LM_SRC_TLSROUTE,
	LM_SRC_SERVICEEXPORT
};

/* The Kubernetes object a stack (and each of its resources) belongs to. */
struct lm_owner {
	enum lm_source_kind	 kind;
	char			*namespace;
	char			*name;
};

enum lm_listener_proto {
	LM_PROTO_HTTP = 0,
	LM_PROTO_HTTPS,
	LM_PROTO_TLS_PASSTHROUGH
};

enum lm_path_kind {
	LM_PATH_NONE = 0,	/* no path match */
	LM_PATH_EXACT,
	LM_PATH_PREFIX
};

enum lm_header_kind {
	LM_HEADER_EXACT = 0,
	LM_HEADER_PREFIX,
	LM_HEADER_CONTAINS
};

struct lm_header_match {
	char			*name;		/* as written in the route */
	enum lm_header_kind	 kind;		/* the builder emits EXACT */
	char			*value;
	int			 case_sensitive; /* 1 (Gateway API exact) */
};

/* One Lattice HttpMatch. All members absent = match everything. */
struct lm_match {
	char			*method;	/* "GET", ... or NULL: any */
	enum lm_path_kind	 path_kind;
	char			*path;		/* NULL when path_kind NONE */
	int			 path_case_sensitive; /* 1 */
	struct lm_header_match	 headers[LM_MAX_HEADER_MATCHES];
	size_t			 n_headers;
};

struct lm_weighted_tg {
	char	*tg_key;	/* an lm_target_group.key in the same stack */
	int	 weight;	/* 0..999 (larger Gateway API weights are
				 * scaled down), default 1 */
};

enum lm_action_kind {
	LM_ACTION_FIXED = 0,	/* fixed response status_code */
	LM_ACTION_FORWARD	/* weighted forward to tgs */
};

struct lm_action {
	enum lm_action_kind	 kind;
	int			 status_code;	/* FIXED: 404, 500 */
	struct lm_weighted_tg	*tgs;		/* FORWARD: 1..10 */
	size_t			 n_tgs;
};

struct lm_rule {
	char			*name;		/* deterministic, see naming */
	int			 priority;	/* 1..LM_MAX_PRIORITY */
	struct lm_match		 match;
	struct lm_action	 action;
	struct aws_tags		 tags;		/* ManagedBy + user tags */
	/* Where it came from: spec.rules[rule_index].matches[match_index]
	 * (match_index -1: the rule had no matches). */
	size_t			 rule_index;
	int			 match_index;
};

struct lm_listener {
	char			*name;	/* <svc>-<port>-<http|https|tls> */
	enum lm_listener_proto	 protocol;
	int			 port;
	/* FIXED 404, or FORWARD for TLS passthrough (the TLSRoute rule). */
	struct lm_action	 default_action;
	struct lm_rule		*rules;	/* none for TLS passthrough */
	size_t			 n_rules;
	struct aws_tags		 tags;	/* ManagedBy + user tags */
};

/* Health check configuration (a full desired value, never partial).
 * With enabled 0 the other members hold the defaults and only enabled
 * is meant to be compared. */
struct lm_health_check {
	int	 enabled;
	char	*protocol;		/* "HTTP" | "HTTPS" */
	char	*protocol_version;	/* "HTTP1" | "HTTP2" */
	int	 port;			/* 0: the traffic port */
	char	*path;			/* "/" */
	int	 interval_seconds;	/* 30 */
	int	 timeout_seconds;	/* 5 */
	int	 healthy_threshold;	/* 5 */
	int	 unhealthy_threshold;	/* 2 */
	char	*matcher;		/* "200" */
};

enum lm_tg_kind {
	LM_TG_OWNED = 0,	/* created and kept in sync by this stack */
	LM_TG_IMPORT,		/* a ServiceExport TG found by tags */
	LM_TG_ARN		/* an external TG given by ARN */
};

struct lm_target {
	char	*ip;
	int	 port;
};

struct lm_target_group {
	enum lm_tg_kind		 kind;
	/* Stable key, unique in the stack: "svc/<ns>/<name>/<port>",
	 * "import/<ns>/<name>", "arn/<arn>", "export/<ns>/<name>/<port>". */
	char			*key;
	/* OWNED: the full desired configuration. */
	char			*name;		/* k8s-<ns>-<svc>-<10 letters> */
	char			*type;		/* "IP" */
	int			 port;
	char			*protocol;	/* HTTP | HTTPS | TCP */
	char			*protocol_version; /* HTTP1|HTTP2|GRPC; NULL: TCP */
	char			*ip_address_type; /* "IPV4" | "IPV6" */
	char			*vpc_id;
	struct lm_health_check	 health_check;
	struct aws_tags		 tags;		/* identity + ManagedBy + user */
	struct lm_target	*targets;	/* sorted by ip, then port */
	size_t			 n_targets;
	/* IMPORT: find a TG whose tags say ServiceExport <ns>/<name>;
	 * optional filters from the ServiceImport annotations. protocol and
	 * protocol_version then hold what the route expects (HTTP/HTTP1,
	 * HTTP/GRPC, TCP/NULL) to choose among the export's TGs; the other
	 * configuration members are unset. */
	char			*import_namespace;
	char			*import_name;
	char			*import_cluster;	/* NULL: any */
	char			*import_vpc;		/* NULL: any */
	/* ARN: the external target group. */
	char			*arn;
};

struct lm_service {
	char			*name;		/* <=40 chars, see naming */
	char			*custom_domain;	/* hostnames[0] or NULL */
	char			*certificate_arn; /* or NULL */
	char			*auth_type;	/* NULL: not managed here */
	char			*allow_takeover_from; /* ManagedBy value, NULL */
	int			 standalone;	/* no SN associations */
	char			**sn_names;	/* service networks, sorted */
	size_t			 n_sn_names;
	struct aws_tags		 tags;		/* ManagedBy, Route* + user */
};

struct lm_stack {
	struct lm_owner		 owner;
	struct lm_service	*service;	/* NULL for a ServiceExport */
	struct lm_listener	*listeners;	/* sorted by port */
	size_t			 n_listeners;
	struct lm_target_group	*tgs;		/* sorted by key */
	size_t			 n_tgs;
};

/* ---- status produced alongside the model ---- */

/* Conditions for one spec.parentRefs entry. */
struct lm_parent_status {
	size_t		 parent_index;	/* index in spec.parentRefs */
	char		*gateway_namespace;
	char		*gateway_name;
	char		*section_name;	/* NULL if the ref had none */
	int		 port;		/* 0 if the ref had none */
	int		 ours;		/* parent is a lattice Gateway */
	int		 accepted;	/* Accepted True/False */
	const char	*accepted_reason;	/* UP_REASON_* */
	char		*accepted_message;
	int		 resolved;	/* ResolvedRefs True/False */
	const char	*resolved_reason;
	char		*resolved_message;
};

/* What the builder produced for one route. */
struct lm_route_result {
	/* NULL: the route should have no Lattice resources (not ours, not
	 * accepted by any lattice parent, conflicted or being deleted).
	 * Clean up by the route's tags (RouteName/RouteNamespace/RouteType,
	 * SourceTypeKey), never by service name: a Conflicted route's name
	 * belongs to the other route. */
	struct lm_stack		*stack;
	int			 ours;		/* a parent is a lattice Gateway */
	struct lm_parent_status	*parents;	/* one per spec.parentRefs */
	size_t			 nparents;
	char			**warnings;	/* dropped matches, backends, */
	size_t			 nwarnings;	/* bumped priorities (events) */
};

/* ---- configuration the builder needs (controller settings) ---- */

struct lm_config {
	const char	*account_id;		/* AWS_ACCOUNT_ID */
	const char	*cluster_name;		/* CLUSTER_NAME */
	const char	*vpc_id;		/* CLUSTER_VPC_ID */
	const char	*default_sn;		/* DEFAULT_SERVICE_NETWORK */
	int		 sn_override;		/* ENABLE_SERVICE_NETWORK_OVERRIDE */
};

/*
 * What the builder reads besides the route: e1's gw_lookup (gateways,
 * classes, services, imports, grants, namespaces) plus the callbacks
 * below. Every callback may be NULL (nothing found / no check). Objects
 * returned are borrowed for the duration of the build call.
 */
struct lm_sources {
	const struct gw_lookup	*gw;
	void			*arg;
	/* EndpointSlices in ns labelled kubernetes.io/service-name=svc. */
	size_t	 (*slices)(void *arg, const char *ns, const char *svc,
		    const struct gw_endpointslice *const **out);
	/* The TargetGroupPolicy in ns whose targetRef is kind/name
	 * (kind "Service" or "ServiceExport"), or NULL. */
	const struct gw_tgpolicy *(*tgpolicy)(void *arg, const char *ns,
		    const char *kind, const char *name);
	/* Every route of every kind, for service-name collisions. */
	size_t	 (*routes)(void *arg, const struct gw_route *const **out);
	/* metadata.creationTimestamp (RFC 3339, UTC "Z") or NULL. */
	const char *(*created)(void *arg, const struct gw_route *);
};

/* ---- builder (builder*.c) ---- */

/*
 * Build the desired stack of one route and its per-parentRef status.
 * Pure: reads only its arguments. *out is overwritten (not freed) and
 * released with lm_route_result_free. Never fails: every problem ends in
 * a status condition or a warning.
 *
 * Behaviour (tested in tests/unit/test_builder.c and
 * test_builder_rules.c):
 * - service name: the service-name-override annotation, else
 *   lm_service_name_default; a name that is still invalid: Accepted
 *   False UnsupportedValue. Two routes with one service name: the later
 *   one (creationTimestamp, then namespace/name, then kind) is Accepted
 *   False Conflicted and gets no stack.
 * - listeners: the Gateway listeners the accepted parentRefs of the
 *   first lattice Gateway attach to, one per port; HTTP and HTTPS get
 *   default action fixed 404 and the rules; TLS passthrough gets the
 *   single TLSRoute rule's forward as default action and no rules.
 * - rules: one Lattice rule per match (a rule with several matches is
 *   expanded); priorities as upstream (annotated rules first with their
 *   value, then last+1), made strictly increasing in that order;
 *   invalid backends dropped, no valid backend: fixed 500.
 * - GRPC: method POST; service+method: exact "/svc/method"; service:
 *   prefix "/svc/"; neither: prefix "/"; method alone: match dropped.
 * - target groups: one per (route, backend Service, port), IP, port 80,
 *   HTTP/HTTP1 unless a TargetGroupPolicy says otherwise, GRPC for
 *   GRPCRoute, TCP for TLSRoute; health check defaults by protocol
 *   version then TargetGroupPolicy overrides; ServiceImport backends
 *   are LM_TG_IMPORT (or LM_TG_ARN with target-group-arn).
 * - targets: ready, not terminating endpoints of the Service's slices,
 *   each address with the slice port named like the Service port.
 */
void	 lm_build_route(const struct lm_config *, const struct lm_sources *,
	    const struct gw_route *, struct lm_route_result *out);
void	 lm_route_result_free(struct lm_route_result *);

/*
 * Build the target groups of a ServiceExport: one per spec.exportedPorts
 * entry (port and protocol from the entry), else one legacy TG (port 80,
 * HTTP/HTTP1, ports from the port annotation). NULL when the export is
 * not federated (annotation) or is being deleted. *warning (may be NULL)
 * gets a message when the export's Service is missing.
 */
struct lm_stack *lm_build_export(const struct lm_config *,
	    const struct lm_sources *, const struct gw_serviceexport *,
	    char **warning);

/* The service network a Gateway maps to: the default one under
 * ENABLE_SERVICE_NETWORK_OVERRIDE, else the Gateway's name. Borrowed. */
const char *lm_sn_name(const struct lm_config *, const struct gw_gateway *);

/* Health-check defaults for a TG protocol ("HTTP", "HTTPS", "TCP") and
 * version ("HTTP1", "HTTP2", "GRPC", NULL): HTTP1 enabled, HTTP2 and
 * GRPC disabled (GRPC checks speak HTTP1), TCP disabled. Filled with
 * allocated strings; free with lm_health_check_clear. */
void	 lm_health_check_default(const char *protocol,
	    const char *protocol_version, struct lm_health_check *out);
void	 lm_health_check_clear(struct lm_health_check *);

/* ---- naming (naming.c) ---- */

/* First n bytes of s, then '-' stripped at both ends (upstream
 * Truncate). Returns an allocated string. */
char	*lm_trunc(const char *s, size_t n);
/* trunc(route,20) "-" trunc(ns,18). When that is not a valid Lattice
 * service name (route names may hold '.', or "--"), bytes outside
 * [a-z0-9-] become '-' and runs of '-' collapse (upstream would fail the
 * CreateService call instead). Check the result with
 * gw_service_name_check: "svc-..." stays invalid. */
char	*lm_service_name_default(const char *route_name, const char *ns);
/* "<service>-<port>-<http|https|tls>". */
char	*lm_listener_name(const char *service_name, int port,
	    enum lm_listener_proto);
const char *lm_listener_proto_str(enum lm_listener_proto); /* wire */
/* "k8s-<trunc(ns,55)>-<trunc(svc,55)>-<10 letters>" (<= 126 chars); the
 * letters are a SHA-256 of seed (everything that identifies the TG)
 * where upstream draws random ones. */
char	*lm_tg_name(const char *svc_ns, const char *svc_name,
	    const char *seed);
/* "k8s-<10 digits>-rule-<priority>"; upstream's digits are the build
 * time in unix seconds, ours a hash of seed. */
char	*lm_rule_name(const char *seed, int priority);
const char *lm_source_kind_str(enum lm_source_kind);	/* SourceTypeKey */
const char *lm_route_type_str(enum lm_source_kind);	/* RouteType */

/* ---- tags (tags.c) ---- */

/* "<account>/<cluster>/<vpc>". */
char	*lm_managed_by(const struct lm_config *);
/* Add user tags (already parsed by gwapi, reserved keys dropped) to sys
 * where sys has no such key: system tags win. */
void	 lm_tags_add_user(struct aws_tags *sys, const struct gw_kv *user,
	    size_t n);

/* ---- output (builder_json.c) ---- */

/* The stack as JSON, Lattice member names where they exist (caller
 * owns; cJSON_Delete). Deterministic: equal stacks print equal. */
cJSON	*lm_stack_to_json(const struct lm_stack *);

/* ---- release ---- */

void	 lm_stack_free(struct lm_stack *);	/* NULL allowed */

#endif
