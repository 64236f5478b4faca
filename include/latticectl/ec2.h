/*
 * EC2 client (query protocol, API version 2016-11-15): the calls behind the
 * installer's cluster and security-group steps. Describe calls follow
 * NextToken to the last page and append to the caller's list. Errors
 * (InvalidPermission.Duplicate, InvalidGroup.NotFound, ...) come back as
 * struct aws_error codes.
 *
 * Ownership: every struct a call fills owns its strings and arrays and is
 * released with the matching *_free / *_clear function (start from a
 * zeroed struct). Inputs are only read; a struct ec2_ip_permission built
 * with the ec2_ip_permission_* helpers owns copies and is cleared by its
 * builder.
 */
#ifndef LATTICECTL_EC2_H
#define LATTICECTL_EC2_H

#include <stddef.h>

#include <libxml/tree.h>

#include "latticectl/aws.h"

#define EC2_API_VERSION "2016-11-15"

/* A describe filter: Filter.N.Name / Filter.N.Value.M. */
struct ec2_filter {
	char	 *name;
	char	**values;
	size_t	  n_values;
};

struct ec2_filters {
	struct ec2_filter	*v;
	size_t			 n;
};

/* Add value to the filter called name (created on first use). */
void	 ec2_filters_add(struct ec2_filters *, const char *name,
	    const char *value);
void	 ec2_filters_free(struct ec2_filters *);

/* What a describe call asks for; NULL means everything. */
struct ec2_describe {
	/* VpcId.N, SubnetId.N, GroupId.N, ... */
	const char *const	*ids;
	size_t			 n_ids;
	const struct ec2_filters *filters;
	/* MaxResults per page; 0: not sent. EC2 refuses MaxResults
	 * together with ids on some calls (DescribeSecurityGroups). */
	int			 page_size;
};

struct ec2_vpc {
	char		*id;
	char		*cidr;
	char		*state;
	char		*owner_id;
	int		 is_default;
	struct aws_tags	 tags;
};

struct ec2_vpcs {
	struct ec2_vpc	*v;
	size_t		 n;
};

struct ec2_subnet {
	char		*id;
	char		*vpc_id;
	char		*cidr;
	char		*az;
	char		*az_id;
	char		*state;
	char		*arn;
	int		 map_public_ip_on_launch;
	int		 default_for_az;
	long		 available_ips;
	struct aws_tags	 tags;
};

struct ec2_subnets {
	struct ec2_subnet	*v;
	size_t			 n;
};

/* IpRanges / Ipv6Ranges entries. */
struct ec2_ip_range {
	char	*cidr;
	char	*description;
};

/* PrefixListIds entries. */
struct ec2_prefix_list_ref {
	char	*id;
	char	*description;
};

/* UserIdGroupPairs entries (Groups.N on the wire). */
struct ec2_group_pair {
	char	*group_id;
	char	*user_id;
	char	*group_name;
	char	*vpc_id;
	char	*description;
};

struct ec2_ip_permission {
	char			*protocol;	/* "tcp", "udp", "icmp", "-1" */
	int			 has_ports;
	int			 from_port;
	int			 to_port;
	struct ec2_ip_range	*ip_ranges;
	size_t			 n_ip_ranges;
	struct ec2_ip_range	*ipv6_ranges;
	size_t			 n_ipv6_ranges;
	struct ec2_prefix_list_ref *prefix_lists;
	size_t			 n_prefix_lists;
	struct ec2_group_pair	*groups;
	size_t			 n_groups;
};

/* Build a permission: init, then add sources; clear releases it. */
void	 ec2_ip_permission_init(struct ec2_ip_permission *,
	    const char *protocol);
void	 ec2_ip_permission_set_ports(struct ec2_ip_permission *, int from,
	    int to);
void	 ec2_ip_permission_add_cidr(struct ec2_ip_permission *,
	    const char *cidr, const char *description);
void	 ec2_ip_permission_add_cidr6(struct ec2_ip_permission *,
	    const char *cidr, const char *description);
void	 ec2_ip_permission_add_prefix_list(struct ec2_ip_permission *,
	    const char *id, const char *description);
void	 ec2_ip_permission_add_group(struct ec2_ip_permission *,
	    const char *group_id, const char *description);
void	 ec2_ip_permission_clear(struct ec2_ip_permission *);

struct ec2_security_group {
	char			*id;
	char			*name;
	char			*description;
	char			*vpc_id;
	char			*owner_id;
	struct ec2_ip_permission *ingress;
	size_t			 n_ingress;
	struct ec2_ip_permission *egress;
	size_t			 n_egress;
	struct aws_tags		 tags;
};

struct ec2_security_groups {
	struct ec2_security_group	*v;
	size_t				 n;
};

struct ec2_sg_rule {
	char		*id;
	char		*group_id;
	char		*group_owner_id;
	int		 is_egress;
	char		*protocol;
	int		 from_port;	/* -1 when absent */
	int		 to_port;
	char		*cidr_ipv4;
	char		*cidr_ipv6;
	char		*prefix_list_id;
	char		*referenced_group_id;
	char		*description;
	struct aws_tags	 tags;
};

struct ec2_sg_rules {
	struct ec2_sg_rule	*v;
	size_t			 n;
};

struct ec2_prefix_list {
	char		*id;
	char		*name;
	char		*arn;
	char		*owner_id;
	char		*state;
	char		*address_family;	/* "IPv4" or "IPv6" */
	long		 max_entries;
	long		 version;
	struct aws_tags	 tags;
};

struct ec2_prefix_lists {
	struct ec2_prefix_list	*v;
	size_t			 n;
};

struct ec2_prefix_list_entry {
	char	*cidr;
	char	*description;
};

struct ec2_prefix_list_entries {
	struct ec2_prefix_list_entry	*v;
	size_t				 n;
};

void	 ec2_vpcs_free(struct ec2_vpcs *);
void	 ec2_subnets_free(struct ec2_subnets *);
void	 ec2_security_groups_free(struct ec2_security_groups *);
void	 ec2_sg_rules_free(struct ec2_sg_rules *);
void	 ec2_prefix_lists_free(struct ec2_prefix_lists *);
void	 ec2_prefix_list_entries_free(struct ec2_prefix_list_entries *);

/* Describe calls: 0 and the list appended to, or -1 and err filled. */
int	 ec2_describe_vpcs(struct aws *, const struct ec2_describe *,
	    struct ec2_vpcs *, struct aws_error *);
int	 ec2_describe_subnets(struct aws *, const struct ec2_describe *,
	    struct ec2_subnets *, struct aws_error *);
int	 ec2_describe_security_groups(struct aws *, const struct ec2_describe *,
	    struct ec2_security_groups *, struct aws_error *);
/* ids are SecurityGroupRuleId.N. */
int	 ec2_describe_sg_rules(struct aws *, const struct ec2_describe *,
	    struct ec2_sg_rules *, struct aws_error *);
/* ids are PrefixListId.N. */
int	 ec2_describe_prefix_lists(struct aws *, const struct ec2_describe *,
	    struct ec2_prefix_lists *, struct aws_error *);
int	 ec2_get_prefix_list_entries(struct aws *, const char *prefix_list_id,
	    int page_size, struct ec2_prefix_list_entries *,
	    struct aws_error *);

/* Add ingress rules to a group; created (may be NULL) receives the new
 * rules (ids sgr-...). */
int	 ec2_authorize_sg_ingress(struct aws *, const char *group_id,
	    const struct ec2_ip_permission *, size_t n,
	    struct ec2_sg_rules *created, struct aws_error *);
/* Remove ingress rules; n_unknown (may be NULL) receives the number of
 * permissions the service did not know. */
int	 ec2_revoke_sg_ingress(struct aws *, const char *group_id,
	    const struct ec2_ip_permission *, size_t n, size_t *n_unknown,
	    struct aws_error *);

/* Form fields of a permission list: IpPermissions.N.* (for tests). */
void	 ec2_params_permissions(struct aws_params *,
	    const struct ec2_ip_permission *, size_t n);

/*
 * Response parsers (exposed for tests and fuzzing): read one response
 * document, append to the list and set *next_token (caller frees; NULL
 * on the last page). Return 0, or -1 when there is no root element.
 */
int	 ec2_parse_vpcs(xmlDoc *, struct ec2_vpcs *, char **next_token);
int	 ec2_parse_subnets(xmlDoc *, struct ec2_subnets *, char **next_token);
int	 ec2_parse_security_groups(xmlDoc *, struct ec2_security_groups *,
	    char **next_token);
/* DescribeSecurityGroupRules and AuthorizeSecurityGroupIngress. */
int	 ec2_parse_sg_rules(xmlDoc *, struct ec2_sg_rules *, char **next_token);
int	 ec2_parse_prefix_lists(xmlDoc *, struct ec2_prefix_lists *,
	    char **next_token);
int	 ec2_parse_prefix_list_entries(xmlDoc *,
	    struct ec2_prefix_list_entries *, char **next_token);
/* RevokeSecurityGroupIngress: *ok = <return>, *n_unknown = count. */
int	 ec2_parse_revoke(xmlDoc *, int *ok, size_t *n_unknown);

#endif
