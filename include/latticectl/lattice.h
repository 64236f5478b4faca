/*
 * The typed Amazon VPC Lattice client (rest-json, API 2022-11-30): one
 * function per operation over aws_restjson_call, which signs, retries and
 * turns wire errors into struct aws_error.
 *
 * Conventions:
 * - Every call returns 0 on success and -1 on failure with *err filled
 *   (a client-side validation failure has code "ParamValidationError" and
 *   status 0). err must be zeroed or cleared by the caller beforehand.
 * - Optional inputs are omitted from the request when NULL (strings,
 *   pointers, tag maps with no entries), 0 (integers whose valid range
 *   starts above 0: ports, priorities, status codes, maxResults, health
 *   check counts) or LATTICE_UNSET (booleans). Weights are the one
 *   exception: a weight below 0 is omitted, 0 is a real weight.
 * - Enum-valued members are the wire strings ("ACTIVE", "HTTP", "IP").
 * - Create calls whose model member clientToken is an idempotency token
 *   send in->client_token, or else a fresh UUID generated once per call,
 *   so the retries of that call reuse it.
 * - List calls follow nextToken until it is absent and return every item.
 *   With page.one_page set they fetch one page and leave the token for
 *   the next in list->next_token.
 *
 * Ownership: input structs are only read; the caller keeps them. Every
 * output struct owns all its strings and arrays and is released with its
 * lattice_*_free function, which frees the members (not the struct itself)
 * and leaves it zeroed. Output structs are zeroed at the start of each
 * call, so freeing after a failed call is always safe. Nested types
 * shared by inputs and outputs (match, action, health check, target group
 * config) hold char * so they can be filled with borrowed strings for
 * input; only free the ones the client returned. Their present flag is
 * set by the parsers; as input, a struct passed by pointer is sent
 * whatever present says, one embedded in another (the health check in
 * struct lattice_tg_config) only when present is set.
 */
#ifndef LATTICECTL_LATTICE_H
#define LATTICECTL_LATTICE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "latticectl/aws.h"

#define LATTICE_SERVICE			"vpc-lattice"
#define LATTICE_MAX_HEADER_MATCHES	5	/* per HttpMatch */
#define LATTICE_MAX_WEIGHTED_TGS	10	/* per forward action */
#define LATTICE_MAX_TARGETS_PER_CALL	100	/* Register/DeregisterTargets */
#define LATTICE_MAX_RULES_PER_BATCH	10	/* BatchUpdateRule */
#define LATTICE_MAX_LIST_TARGETS_FILTER	20	/* ListTargets body */
#define LATTICE_MAX_SECURITY_GROUPS	5	/* SN-VPC association */
#define LATTICE_MAX_PRIORITY		2000	/* rule priority 1..2000 */

/* A boolean that may be absent (zero-initialised = absent). */
enum lattice_bool {
	LATTICE_UNSET = 0,
	LATTICE_FALSE,
	LATTICE_TRUE
};

/* Paging controls embedded in every list input. */
struct lattice_page {
	int		 max_results;	/* 1..100; 0: the server's default */
	const char	*next_token;	/* start here; NULL: first page */
	int		 one_page;	/* stop after one page */
};

struct lattice_dns_entry {
	char	*domain_name;
	char	*hosted_zone_id;
};

/* ---- rules: match and action (unions on the wire) ---- */

enum lattice_match_kind {
	LATTICE_MATCH_NONE = 0,		/* absent */
	LATTICE_MATCH_EXACT,
	LATTICE_MATCH_PREFIX,
	LATTICE_MATCH_CONTAINS		/* header matches only */
};

struct lattice_path_match {
	enum lattice_match_kind	 kind;	/* NONE: no pathMatch */
	char			*value;
	enum lattice_bool	 case_sensitive;
};

struct lattice_header_match {
	char			*name;
	enum lattice_match_kind	 kind;
	char			*value;
	enum lattice_bool	 case_sensitive;
};

/* RuleMatch {httpMatch}; present 0 means the member is absent. */
struct lattice_rule_match {
	int				 present;
	char				*method;	/* "GET", ... or NULL */
	struct lattice_path_match	 path;
	struct lattice_header_match	*headers;
	size_t				 n_headers;	/* <= 5 */
};

struct lattice_weighted_tg {
	char	*target_group_id;	/* id or ARN (targetGroupIdentifier) */
	int	 weight;		/* 0..999; < 0: omitted */
};

enum lattice_action_kind {
	LATTICE_ACTION_NONE = 0,	/* absent */
	LATTICE_ACTION_FORWARD,
	LATTICE_ACTION_FIXED_RESPONSE
};

struct lattice_rule_action {
	enum lattice_action_kind	 kind;
	struct lattice_weighted_tg	*target_groups;	/* forward: 1..10 */
	size_t				 n_target_groups;
	int				 status_code;	/* fixedResponse */
};

/* ---- target group configuration ---- */

/* HealthCheckConfig; present 0 means absent. Integers 0 = omitted. */
struct lattice_health_check {
	int			 present;
	enum lattice_bool	 enabled;
	char			*protocol;		/* HTTP|HTTPS */
	char			*protocol_version;	/* HTTP1|HTTP2 */
	int			 port;
	char			*path;
	int			 interval_seconds;
	int			 timeout_seconds;
	int			 healthy_threshold;
	int			 unhealthy_threshold;
	char			*matcher_http_code;	/* "200", "200-299" */
};

/* TargetGroupConfig; present 0 means absent. */
struct lattice_tg_config {
	int				 present;
	int				 port;
	char				*protocol;	/* HTTP|HTTPS|TCP */
	char				*protocol_version; /* HTTP1|2|GRPC */
	char				*ip_address_type; /* IPV4|IPV6 */
	char				*vpc_identifier;
	struct lattice_health_check	 health_check;
	char				*lambda_event_structure_version;
};

/* ---- resources (one struct for summaries and full responses; members
 * a response does not carry stay NULL / 0 / LATTICE_UNSET) ---- */

struct lattice_service {
	char			*id;
	char			*arn;
	char			*name;
	char			*status;	/* ACTIVE, CREATE_FAILED, ... */
	char			*auth_type;	/* NONE | AWS_IAM */
	struct lattice_dns_entry dns_entry;
	char			*custom_domain_name;
	char			*certificate_arn;
	struct timespec		 created_at;	/* {0,0} when absent */
	struct timespec		 last_updated_at;
	char			*failure_code;
	char			*failure_message;
};

struct lattice_service_network {
	char			*id;
	char			*arn;
	char			*name;
	char			*auth_type;
	enum lattice_bool	 sharing_enabled; /* sharingConfig.enabled */
	struct timespec		 created_at;
	struct timespec		 last_updated_at;
	int64_t			 n_associated_vpcs;	/* -1 when absent */
	int64_t			 n_associated_services;
	int64_t			 n_associated_resource_configs;
};

/* Service network - service association (snsa-). */
struct lattice_sn_service_assoc {
	char			*id;
	char			*arn;
	char			*status;
	char			*created_by;
	struct timespec		 created_at;
	char			*service_id;
	char			*service_name;
	char			*service_arn;
	char			*service_network_id;
	char			*service_network_name;
	char			*service_network_arn;
	struct lattice_dns_entry dns_entry;
	char			*custom_domain_name;
	char			*failure_code;
	char			*failure_message;
};

struct lattice_dns_options {
	char	 *private_dns_preference;
	char	**private_dns_specified_domains;
	size_t	  n_private_dns_specified_domains;
};

/* Service network - VPC association (snva-). */
struct lattice_sn_vpc_assoc {
	char			 *id;
	char			 *arn;
	char			 *status;
	char			 *created_by;
	struct timespec		  created_at;
	struct timespec		  last_updated_at;
	char			 *service_network_id;
	char			 *service_network_name;
	char			 *service_network_arn;
	char			 *vpc_id;
	char			**security_group_ids;
	size_t			  n_security_group_ids;
	enum lattice_bool	  private_dns_enabled;
	struct lattice_dns_options dns_options;
	char			 *failure_code;
	char			 *failure_message;
};

/* Service network - resource configuration association (snra-). */
struct lattice_sn_resource_assoc {
	char			*id;
	char			*arn;
	char			*status;
	char			*created_by;
	struct timespec		 created_at;
	struct timespec		 last_updated_at;
	char			*resource_configuration_id;
	char			*resource_configuration_arn;
	char			*resource_configuration_name;
	char			*service_network_id;
	char			*service_network_arn;
	char			*service_network_name;
	struct lattice_dns_entry dns_entry;
	struct lattice_dns_entry private_dns_entry;
	enum lattice_bool	 private_dns_enabled;
	enum lattice_bool	 is_managed_association;
	char			*domain_verification_status;
	char			*failure_code;
	char			*failure_reason;
};

struct lattice_listener {
	char			*id;
	char			*arn;
	char			*name;
	char			*protocol;	/* HTTP|HTTPS|TLS_PASSTHROUGH */
	int			 port;
	char			*service_id;
	char			*service_arn;
	struct lattice_rule_action default_action;
	struct timespec		 created_at;
	struct timespec		 last_updated_at;
};

struct lattice_rule {
	char			*id;
	char			*arn;
	char			*name;
	int			 is_default;
	int			 priority;	/* 0 when absent */
	struct lattice_rule_match match;
	struct lattice_rule_action action;
	struct timespec		 created_at;
	struct timespec		 last_updated_at;
};

/* Target group; list summaries carry port, protocol, ipAddressType,
 * vpcIdentifier and lambdaEventStructureVersion, stored in config. */
struct lattice_target_group {
	char			 *id;
	char			 *arn;
	char			 *name;
	char			 *type;		/* IP|LAMBDA|INSTANCE|ALB */
	struct lattice_tg_config  config;
	char			 *status;
	char			**service_arns;
	size_t			  n_service_arns;
	struct timespec		  created_at;
	struct timespec		  last_updated_at;
	char			 *failure_code;
	char			 *failure_message;
};

/* Target (input: id and port) and TargetSummary (output adds status). */
struct lattice_target {
	char	*id;
	int	 port;		/* 0: omitted / absent */
	char	*status;	/* HEALTHY, UNHEALTHY, DRAINING, ... */
	char	*reason_code;
};

struct lattice_target_failure {
	char	*id;
	int	 port;
	char	*failure_code;
	char	*failure_message;
};

/* Combined result of Register/DeregisterTargets over all batches. */
struct lattice_targets_result {
	struct lattice_target		*successful;
	size_t				 n_successful;
	struct lattice_target_failure	*unsuccessful;
	size_t				 n_unsuccessful;
};

struct lattice_access_log_sub {
	char		*id;
	char		*arn;
	char		*resource_id;
	char		*resource_arn;
	char		*destination_arn;
	char		*service_network_log_type;	/* SERVICE|RESOURCE */
	struct timespec	 created_at;
	struct timespec	 last_updated_at;
};

struct lattice_auth_policy {
	char		*policy;
	char		*state;		/* Active|Inactive */
	struct timespec	 created_at;
	struct timespec	 last_updated_at;
};

/* ---- list results: items, count, and the token left by one_page ---- */

struct lattice_service_list {
	struct lattice_service	*items;
	size_t	n;
	char	*next_token;
};

struct lattice_service_network_list {
	struct lattice_service_network	*items;
	size_t	n;
	char	*next_token;
};

struct lattice_sn_service_assoc_list {
	struct lattice_sn_service_assoc	*items;
	size_t	n;
	char	*next_token;
};

struct lattice_sn_vpc_assoc_list {
	struct lattice_sn_vpc_assoc	*items;
	size_t	n;
	char	*next_token;
};

struct lattice_sn_resource_assoc_list {
	struct lattice_sn_resource_assoc	*items;
	size_t	n;
	char	*next_token;
};

struct lattice_listener_list {
	struct lattice_listener	*items;
	size_t	n;
	char	*next_token;
};

struct lattice_rule_list {
	struct lattice_rule	*items;
	size_t	n;
	char	*next_token;
};

struct lattice_target_group_list {
	struct lattice_target_group	*items;
	size_t	n;
	char	*next_token;
};

struct lattice_target_list {
	struct lattice_target	*items;
	size_t	n;
	char	*next_token;
};

struct lattice_access_log_sub_list {
	struct lattice_access_log_sub	*items;
	size_t	n;
	char	*next_token;
};

/* ---- inputs ---- */

struct lattice_create_service_input {
	const char		*name;			/* required */
	const char		*auth_type;
	const char		*custom_domain_name;
	const char		*certificate_arn;
	const struct aws_tags	*tags;
	const char		*client_token;		/* NULL: fresh UUID */
};

struct lattice_update_service_input {
	const char	*service_identifier;		/* required */
	const char	*certificate_arn;
	const char	*auth_type;
};

struct lattice_create_service_network_input {
	const char		*name;			/* required */
	const char		*auth_type;
	enum lattice_bool	 sharing_enabled;	/* sharingConfig */
	const struct aws_tags	*tags;
	const char		*client_token;
};

struct lattice_create_sn_service_assoc_input {
	const char		*service_identifier;		/* required */
	const char		*service_network_identifier;	/* required */
	const struct aws_tags	*tags;
	const char		*client_token;
};

struct lattice_create_sn_vpc_assoc_input {
	const char			 *service_network_identifier; /* req. */
	const char			 *vpc_identifier;	/* required */
	const char *const		 *security_group_ids;	/* 0..5 */
	size_t				  n_security_group_ids;
	enum lattice_bool		  private_dns_enabled;
	const struct lattice_dns_options *dns_options;
	const struct aws_tags		 *tags;
	const char			 *client_token;
};

struct lattice_create_sn_resource_assoc_input {
	const char		*resource_configuration_identifier; /* req. */
	const char		*service_network_identifier;	/* required */
	enum lattice_bool	 private_dns_enabled;
	const struct aws_tags	*tags;
	const char		*client_token;
};

struct lattice_create_listener_input {
	const char			*service_identifier;	/* required */
	const char			*name;			/* required */
	const char			*protocol;		/* required */
	int				 port;
	const struct lattice_rule_action *default_action;	/* required */
	const struct aws_tags		*tags;
	const char			*client_token;
};

struct lattice_create_rule_input {
	const char			*service_identifier;	/* required */
	const char			*listener_identifier;	/* required */
	const char			*name;			/* required */
	const struct lattice_rule_match	*match;			/* required */
	int				 priority;		/* 1..2000 */
	const struct lattice_rule_action *action;		/* required */
	const struct aws_tags		*tags;
	const char			*client_token;
};

/* UpdateRule, and one entry of BatchUpdateRule (ids of the listener are
 * then taken from the batch input). */
struct lattice_update_rule_input {
	const char			*service_identifier;
	const char			*listener_identifier;
	const char			*rule_identifier;	/* required */
	const struct lattice_rule_match	*match;
	int				 priority;
	const struct lattice_rule_action *action;
};

struct lattice_batch_update_rule_input {
	const char				*service_identifier;
	const char				*listener_identifier;
	const struct lattice_update_rule_input	*rules;	/* split by 10 */
	size_t					 n_rules;
};

struct lattice_rule_failure {
	char	*rule_identifier;
	char	*failure_code;
	char	*failure_message;
};

struct lattice_batch_update_rule_result {
	struct lattice_rule		*successful;
	size_t				 n_successful;
	struct lattice_rule_failure	*unsuccessful;
	size_t				 n_unsuccessful;
};

struct lattice_create_target_group_input {
	const char			*name;		/* required */
	const char			*type;		/* required */
	const struct lattice_tg_config	*config;
	const struct aws_tags		*tags;
	const char			*client_token;
};

struct lattice_create_access_log_sub_input {
	const char		*resource_identifier;	/* required */
	const char		*destination_arn;	/* required */
	const char		*service_network_log_type;
	const struct aws_tags	*tags;
	const char		*client_token;
};

struct lattice_list_sn_service_assocs_input {
	const char		*service_network_identifier;
	const char		*service_identifier;
	struct lattice_page	 page;
};

struct lattice_list_sn_vpc_assocs_input {
	const char		*service_network_identifier;
	const char		*vpc_identifier;
	struct lattice_page	 page;
};

struct lattice_list_sn_resource_assocs_input {
	const char		*service_network_identifier;
	const char		*resource_configuration_identifier;
	enum lattice_bool	 include_children;
	struct lattice_page	 page;
};

struct lattice_list_target_groups_input {
	const char		*vpc_identifier;
	const char		*target_group_type;
	struct lattice_page	 page;
};

struct lattice_list_targets_input {
	const char			*target_group_identifier; /* required */
	const struct lattice_target	*targets;	/* filter, 0..20 */
	size_t				 n_targets;
	struct lattice_page		 page;
};

/* ---- services ---- */
int	lattice_create_service(struct aws *,
	    const struct lattice_create_service_input *,
	    struct lattice_service *, struct aws_error *);
int	lattice_get_service(struct aws *, const char *service_identifier,
	    struct lattice_service *, struct aws_error *);
int	lattice_update_service(struct aws *,
	    const struct lattice_update_service_input *,
	    struct lattice_service *, struct aws_error *);
/* out (id, arn, name, status) may be NULL. */
int	lattice_delete_service(struct aws *, const char *service_identifier,
	    struct lattice_service *, struct aws_error *);
int	lattice_list_services(struct aws *, const struct lattice_page *,
	    struct lattice_service_list *, struct aws_error *);

/* ---- service networks ---- */
int	lattice_create_service_network(struct aws *,
	    const struct lattice_create_service_network_input *,
	    struct lattice_service_network *, struct aws_error *);
int	lattice_get_service_network(struct aws *, const char *identifier,
	    struct lattice_service_network *, struct aws_error *);
int	lattice_update_service_network(struct aws *, const char *identifier,
	    const char *auth_type, struct lattice_service_network *,
	    struct aws_error *);
int	lattice_delete_service_network(struct aws *, const char *identifier,
	    struct aws_error *);
int	lattice_list_service_networks(struct aws *, const struct lattice_page *,
	    struct lattice_service_network_list *, struct aws_error *);

/* ---- service network associations ---- */
int	lattice_create_sn_service_assoc(struct aws *,
	    const struct lattice_create_sn_service_assoc_input *,
	    struct lattice_sn_service_assoc *, struct aws_error *);
int	lattice_get_sn_service_assoc(struct aws *, const char *identifier,
	    struct lattice_sn_service_assoc *, struct aws_error *);
/* out may be NULL. */
int	lattice_delete_sn_service_assoc(struct aws *, const char *identifier,
	    struct lattice_sn_service_assoc *, struct aws_error *);
int	lattice_list_sn_service_assocs(struct aws *,
	    const struct lattice_list_sn_service_assocs_input *,
	    struct lattice_sn_service_assoc_list *, struct aws_error *);

int	lattice_create_sn_vpc_assoc(struct aws *,
	    const struct lattice_create_sn_vpc_assoc_input *,
	    struct lattice_sn_vpc_assoc *, struct aws_error *);
int	lattice_get_sn_vpc_assoc(struct aws *, const char *identifier,
	    struct lattice_sn_vpc_assoc *, struct aws_error *);
/* securityGroupIds is required (1..5) by the API. */
int	lattice_update_sn_vpc_assoc(struct aws *, const char *identifier,
	    const char *const *security_group_ids, size_t n,
	    struct lattice_sn_vpc_assoc *, struct aws_error *);
/* out may be NULL. */
int	lattice_delete_sn_vpc_assoc(struct aws *, const char *identifier,
	    struct lattice_sn_vpc_assoc *, struct aws_error *);
int	lattice_list_sn_vpc_assocs(struct aws *,
	    const struct lattice_list_sn_vpc_assocs_input *,
	    struct lattice_sn_vpc_assoc_list *, struct aws_error *);

int	lattice_create_sn_resource_assoc(struct aws *,
	    const struct lattice_create_sn_resource_assoc_input *,
	    struct lattice_sn_resource_assoc *, struct aws_error *);
int	lattice_get_sn_resource_assoc(struct aws *, const char *identifier,
	    struct lattice_sn_resource_assoc *, struct aws_error *);
/* out may be NULL. */
int	lattice_delete_sn_resource_assoc(struct aws *, const char *identifier,
	    struct lattice_sn_resource_assoc *, struct aws_error *);
int	lattice_list_sn_resource_assocs(struct aws *,
	    const struct lattice_list_sn_resource_assocs_input *,
	    struct lattice_sn_resource_assoc_list *, struct aws_error *);

/* ---- listeners ---- */
int	lattice_create_listener(struct aws *,
	    const struct lattice_create_listener_input *,
	    struct lattice_listener *, struct aws_error *);
int	lattice_get_listener(struct aws *, const char *service_identifier,
	    const char *listener_identifier, struct lattice_listener *,
	    struct aws_error *);
/* UpdateListener changes only the default action. */
int	lattice_update_listener(struct aws *, const char *service_identifier,
	    const char *listener_identifier,
	    const struct lattice_rule_action *default_action,
	    struct lattice_listener *, struct aws_error *);
int	lattice_delete_listener(struct aws *, const char *service_identifier,
	    const char *listener_identifier, struct aws_error *);
int	lattice_list_listeners(struct aws *, const char *service_identifier,
	    const struct lattice_page *, struct lattice_listener_list *,
	    struct aws_error *);

/* ---- rules ---- */
int	lattice_create_rule(struct aws *,
	    const struct lattice_create_rule_input *, struct lattice_rule *,
	    struct aws_error *);
int	lattice_get_rule(struct aws *, const char *service_identifier,
	    const char *listener_identifier, const char *rule_identifier,
	    struct lattice_rule *, struct aws_error *);
int	lattice_update_rule(struct aws *,
	    const struct lattice_update_rule_input *, struct lattice_rule *,
	    struct aws_error *);
int	lattice_delete_rule(struct aws *, const char *service_identifier,
	    const char *listener_identifier, const char *rule_identifier,
	    struct aws_error *);
/* Items are RuleSummary: no match or action (use lattice_get_rule). */
int	lattice_list_rules(struct aws *, const char *service_identifier,
	    const char *listener_identifier, const struct lattice_page *,
	    struct lattice_rule_list *, struct aws_error *);
/* Sends the rules in calls of at most 10 and combines the results. On
 * failure out keeps the results of the calls that completed. */
int	lattice_batch_update_rule(struct aws *,
	    const struct lattice_batch_update_rule_input *,
	    struct lattice_batch_update_rule_result *, struct aws_error *);

/* ---- target groups and targets ---- */
int	lattice_create_target_group(struct aws *,
	    const struct lattice_create_target_group_input *,
	    struct lattice_target_group *, struct aws_error *);
int	lattice_get_target_group(struct aws *, const char *identifier,
	    struct lattice_target_group *, struct aws_error *);
/* UpdateTargetGroup changes only the health check (required). */
int	lattice_update_target_group(struct aws *, const char *identifier,
	    const struct lattice_health_check *,
	    struct lattice_target_group *, struct aws_error *);
/* out (id, arn, status) may be NULL. */
int	lattice_delete_target_group(struct aws *, const char *identifier,
	    struct lattice_target_group *, struct aws_error *);
int	lattice_list_target_groups(struct aws *,
	    const struct lattice_list_target_groups_input *,
	    struct lattice_target_group_list *, struct aws_error *);
/* Register/deregister any number of targets, in calls of at most 100;
 * out combines every call's successful and unsuccessful lists. On
 * failure out keeps the results of the calls that completed. */
int	lattice_register_targets(struct aws *, const char *tg_identifier,
	    const struct lattice_target *, size_t n,
	    struct lattice_targets_result *, struct aws_error *);
int	lattice_deregister_targets(struct aws *, const char *tg_identifier,
	    const struct lattice_target *, size_t n,
	    struct lattice_targets_result *, struct aws_error *);
int	lattice_list_targets(struct aws *,
	    const struct lattice_list_targets_input *,
	    struct lattice_target_list *, struct aws_error *);

/* ---- auth and resource policies ---- */
int	lattice_put_auth_policy(struct aws *, const char *resource_identifier,
	    const char *policy, struct lattice_auth_policy *,
	    struct aws_error *);
int	lattice_get_auth_policy(struct aws *, const char *resource_identifier,
	    struct lattice_auth_policy *, struct aws_error *);
int	lattice_delete_auth_policy(struct aws *,
	    const char *resource_identifier, struct aws_error *);
int	lattice_put_resource_policy(struct aws *, const char *resource_arn,
	    const char *policy, struct aws_error *);
/* *policy is NULL when the response has none; caller frees. */
int	lattice_get_resource_policy(struct aws *, const char *resource_arn,
	    char **policy, struct aws_error *);
int	lattice_delete_resource_policy(struct aws *, const char *resource_arn,
	    struct aws_error *);

/* ---- access log subscriptions ---- */
int	lattice_create_access_log_sub(struct aws *,
	    const struct lattice_create_access_log_sub_input *,
	    struct lattice_access_log_sub *, struct aws_error *);
int	lattice_get_access_log_sub(struct aws *, const char *identifier,
	    struct lattice_access_log_sub *, struct aws_error *);
int	lattice_update_access_log_sub(struct aws *, const char *identifier,
	    const char *destination_arn, struct lattice_access_log_sub *,
	    struct aws_error *);
int	lattice_delete_access_log_sub(struct aws *, const char *identifier,
	    struct aws_error *);
int	lattice_list_access_log_subs(struct aws *,
	    const char *resource_identifier, const struct lattice_page *,
	    struct lattice_access_log_sub_list *, struct aws_error *);

/* ---- tags ---- */
int	lattice_tag_resource(struct aws *, const char *resource_arn,
	    const struct aws_tags *, struct aws_error *);
int	lattice_untag_resource(struct aws *, const char *resource_arn,
	    const char *const *keys, size_t n, struct aws_error *);
/* *out is overwritten (not freed) with the resource's tags; the caller
 * frees it with aws_tags_free. */
int	lattice_list_tags(struct aws *, const char *resource_arn,
	    struct aws_tags *, struct aws_error *);

/* ---- marshalling (used by the calls; public for the engine's diffing,
 * tests and fuzzers). from_json zeroes the output first and never fails:
 * members of the wrong type are treated as absent. ---- */
cJSON	*lattice_rule_match_to_json(const struct lattice_rule_match *);
cJSON	*lattice_rule_action_to_json(const struct lattice_rule_action *);
cJSON	*lattice_health_check_to_json(const struct lattice_health_check *);
cJSON	*lattice_tg_config_to_json(const struct lattice_tg_config *);
void	 lattice_rule_match_from_json(const cJSON *,
	    struct lattice_rule_match *);
void	 lattice_rule_action_from_json(const cJSON *,
	    struct lattice_rule_action *);
void	 lattice_health_check_from_json(const cJSON *,
	    struct lattice_health_check *);
void	 lattice_tg_config_from_json(const cJSON *, struct lattice_tg_config *);
void	 lattice_service_from_json(const cJSON *, struct lattice_service *);
void	 lattice_service_network_from_json(const cJSON *,
	    struct lattice_service_network *);
void	 lattice_sn_service_assoc_from_json(const cJSON *,
	    struct lattice_sn_service_assoc *);
void	 lattice_sn_vpc_assoc_from_json(const cJSON *,
	    struct lattice_sn_vpc_assoc *);
void	 lattice_sn_resource_assoc_from_json(const cJSON *,
	    struct lattice_sn_resource_assoc *);
void	 lattice_listener_from_json(const cJSON *, struct lattice_listener *);
void	 lattice_rule_from_json(const cJSON *, struct lattice_rule *);
void	 lattice_target_group_from_json(const cJSON *,
	    struct lattice_target_group *);
void	 lattice_target_from_json(const cJSON *, struct lattice_target *);
void	 lattice_access_log_sub_from_json(const cJSON *,
	    struct lattice_access_log_sub *);
void	 lattice_auth_policy_from_json(const cJSON *,
	    struct lattice_auth_policy *);
void	 lattice_targets_result_from_json(const cJSON *,
	    struct lattice_targets_result *);
void	 lattice_batch_update_rule_result_from_json(const cJSON *,
	    struct lattice_batch_update_rule_result *);
/* Append one list page's items and replace list->next_token (NULL when
 * the page has none or an empty one). */
void	 lattice_service_list_add_page(struct lattice_service_list *,
	    const cJSON *page);
void	 lattice_service_network_list_add_page(
	    struct lattice_service_network_list *, const cJSON *page);
void	 lattice_sn_service_assoc_list_add_page(
	    struct lattice_sn_service_assoc_list *, const cJSON *page);
void	 lattice_sn_vpc_assoc_list_add_page(struct lattice_sn_vpc_assoc_list *,
	    const cJSON *page);
void	 lattice_sn_resource_assoc_list_add_page(
	    struct lattice_sn_resource_assoc_list *, const cJSON *page);
void	 lattice_listener_list_add_page(struct lattice_listener_list *,
	    const cJSON *page);
void	 lattice_rule_list_add_page(struct lattice_rule_list *,
	    const cJSON *page);
void	 lattice_target_group_list_add_page(struct lattice_target_group_list *,
	    const cJSON *page);
void	 lattice_target_list_add_page(struct lattice_target_list *,
	    const cJSON *page);
void	 lattice_access_log_sub_list_add_page(
	    struct lattice_access_log_sub_list *, const cJSON *page);

/* ---- free functions: release members, leave the struct zeroed ---- */
void	lattice_dns_entry_free(struct lattice_dns_entry *);
void	lattice_rule_match_free(struct lattice_rule_match *);
void	lattice_rule_action_free(struct lattice_rule_action *);
void	lattice_health_check_free(struct lattice_health_check *);
void	lattice_tg_config_free(struct lattice_tg_config *);
void	lattice_dns_options_free(struct lattice_dns_options *);
void	lattice_service_free(struct lattice_service *);
void	lattice_service_network_free(struct lattice_service_network *);
void	lattice_sn_service_assoc_free(struct lattice_sn_service_assoc *);
void	lattice_sn_vpc_assoc_free(struct lattice_sn_vpc_assoc *);
void	lattice_sn_resource_assoc_free(struct lattice_sn_resource_assoc *);
void	lattice_listener_free(struct lattice_listener *);
void	lattice_rule_free(struct lattice_rule *);
void	lattice_target_group_free(struct lattice_target_group *);
void	lattice_target_free(struct lattice_target *);
void	lattice_target_failure_free(struct lattice_target_failure *);
void	lattice_targets_result_free(struct lattice_targets_result *);
void	lattice_rule_failure_free(struct lattice_rule_failure *);
void	lattice_batch_update_rule_result_free(
	    struct lattice_batch_update_rule_result *);
void	lattice_access_log_sub_free(struct lattice_access_log_sub *);
void	lattice_auth_policy_free(struct lattice_auth_policy *);
void	lattice_service_list_free(struct lattice_service_list *);
void	lattice_service_network_list_free(
	    struct lattice_service_network_list *);
void	lattice_sn_service_assoc_list_free(
	    struct lattice_sn_service_assoc_list *);
void	lattice_sn_vpc_assoc_list_free(struct lattice_sn_vpc_assoc_list *);
void	lattice_sn_resource_assoc_list_free(
	    struct lattice_sn_resource_assoc_list *);
void	lattice_listener_list_free(struct lattice_listener_list *);
void	lattice_rule_list_free(struct lattice_rule_list *);
void	lattice_target_group_list_free(struct lattice_target_group_list *);
void	lattice_target_list_free(struct lattice_target_list *);
void	lattice_access_log_sub_list_free(struct lattice_access_log_sub_list *);

#endif
