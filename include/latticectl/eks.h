/*
 * EKS client (rest-json): clusters and managed node groups, as the
 * installer's cluster step needs them. Create calls send a
 * clientRequestToken (a fresh UUID unless the caller gives one, so a retry
 * of the same call may reuse it). List calls follow nextToken to the last
 * page. Errors (ResourceNotFoundException, ResourceInUseException,
 * InvalidParameterException, ...) come back as struct aws_error codes.
 *
 * Ownership: every struct a call fills owns its strings and arrays and is
 * released with the matching *_clear / *_free function (start from a
 * zeroed struct). Inputs are only read.
 */
#ifndef LATTICECTL_EKS_H
#define LATTICECTL_EKS_H

#include <stddef.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "latticectl/aws.h"

/* resourcesVpcConfig as EKS reports it. */
struct eks_vpc_config {
	char	**subnet_ids;
	size_t	  n_subnet_ids;
	char	**security_group_ids;
	size_t	  n_security_group_ids;
	char	 *cluster_security_group_id;
	char	 *vpc_id;
	int	  endpoint_public_access;
	int	  endpoint_private_access;
};

struct eks_cluster {
	char			*name;
	char			*arn;
	char			*status;	/* CREATING, ACTIVE, ... */
	char			*version;
	char			*endpoint;
	char			*role_arn;
	char			*ca_data;	/* base64 PEM CA bundle */
	char			*oidc_issuer;	/* identity.oidc.issuer */
	char			*platform_version;
	char			*service_ipv4_cidr;
	struct eks_vpc_config	 vpc;
	struct timespec		 created_at;
	struct aws_tags		 tags;
};

/* One nodegroup health issue. */
struct eks_issue {
	char	 *code;
	char	 *message;
	char	**resource_ids;
	size_t	  n_resource_ids;
};

struct eks_nodegroup {
	char		 *name;
	char		 *arn;
	char		 *cluster_name;
	char		 *status;	/* CREATING, ACTIVE, DEGRADED, ... */
	char		 *node_role;
	char		 *ami_type;
	char		 *capacity_type;
	char		 *version;
	char		 *release_version;
	char		**subnets;
	size_t		  n_subnets;
	char		**instance_types;
	size_t		  n_instance_types;
	long		  min_size;
	long		  max_size;
	long		  desired_size;
	long		  disk_size;	/* GiB, 0 when not reported */
	struct timespec	  created_at;
	struct eks_issue *issues;
	size_t		  n_issues;
	struct aws_tags	  labels;
	struct aws_tags	  tags;
};

/* Names returned by the list calls. */
struct eks_names {
	char	**v;
	size_t	  n;
};

void	 eks_cluster_clear(struct eks_cluster *);
void	 eks_nodegroup_clear(struct eks_nodegroup *);
void	 eks_names_free(struct eks_names *);

/* CreateCluster input (the fields an eksctl ClusterConfig sets). */
struct eks_cluster_input {
	const char		*name;		/* required */
	const char		*role_arn;	/* required */
	const char		*version;	/* NULL: service default */
	const char *const	*subnet_ids;	/* required, public + private */
	size_t			 n_subnet_ids;
	const char *const	*security_group_ids;
	size_t			 n_security_group_ids;
	/* Endpoint access: 0 or 1, -1 leaves the service default. */
	int			 endpoint_public_access;
	int			 endpoint_private_access;
	const char		*service_ipv4_cidr;
	/* Control-plane log types to enable ("api", "audit", ...). */
	const char *const	*log_types;
	size_t			 n_log_types;
	const struct aws_tags	*tags;
	const char		*client_request_token;	/* NULL: fresh UUID */
};

/* CreateNodegroup input (an eksctl managedNodeGroups entry). */
struct eks_nodegroup_input {
	const char		*cluster_name;	/* required */
	const char		*name;		/* required */
	const char		*node_role;	/* required */
	const char *const	*subnets;	/* required */
	size_t			 n_subnets;
	const char *const	*instance_types;
	size_t			 n_instance_types;
	const char		*ami_type;	/* NULL: service default */
	const char		*capacity_type;	/* ON_DEMAND, SPOT */
	const char		*version;
	/* scalingConfig, sent when max_size > 0. */
	int			 min_size;
	int			 max_size;
	int			 desired_size;
	int			 disk_size;	/* GiB; 0: not sent */
	const struct aws_tags	*labels;
	const struct aws_tags	*tags;
	const char		*client_request_token;	/* NULL: fresh UUID */
};

/* Every call: 0, or -1 with err filled. out may be NULL for deletes. */
int	 eks_create_cluster(struct aws *, const struct eks_cluster_input *,
	    struct eks_cluster *, struct aws_error *);
int	 eks_describe_cluster(struct aws *, const char *name,
	    struct eks_cluster *, struct aws_error *);
int	 eks_delete_cluster(struct aws *, const char *name,
	    struct eks_cluster *, struct aws_error *);
/* page_size 0 leaves maxResults out. */
int	 eks_list_clusters(struct aws *, int page_size, struct eks_names *,
	    struct aws_error *);

int	 eks_create_nodegroup(struct aws *, const struct eks_nodegroup_input *,
	    struct eks_nodegroup *, struct aws_error *);
int	 eks_describe_nodegroup(struct aws *, const char *cluster,
	    const char *nodegroup, struct eks_nodegroup *, struct aws_error *);
int	 eks_delete_nodegroup(struct aws *, const char *cluster,
	    const char *nodegroup, struct eks_nodegroup *, struct aws_error *);
int	 eks_list_nodegroups(struct aws *, const char *cluster, int page_size,
	    struct eks_names *, struct aws_error *);

/* Request bodies and response readers (exposed for tests and fuzzing).
 * token is the clientRequestToken to send. */
cJSON	*eks_cluster_input_json(const struct eks_cluster_input *,
	    const char *token);
cJSON	*eks_nodegroup_input_json(const struct eks_nodegroup_input *,
	    const char *token);
/* Read a Cluster / Nodegroup object; 0, or -1 when obj is not an object. */
int	 eks_cluster_from_json(const cJSON *, struct eks_cluster *);
int	 eks_nodegroup_from_json(const cJSON *, struct eks_nodegroup *);

#endif
