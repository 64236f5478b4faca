/*
 * IAM client (query protocol, API version 2010-05-08, global endpoint):
 * managed policies, roles and their attached policies, and OpenID Connect
 * providers, as the installer's iam-policy and service-account steps need
 * them. List calls follow Marker/IsTruncated to the last page and append
 * to the caller's list. Policy documents are returned URL-decoded (IAM
 * sends them percent-encoded). Errors (NoSuchEntity, EntityAlreadyExists,
 * DeleteConflict, ...) come back as struct aws_error codes.
 *
 * Ownership: every struct a call fills owns its strings and arrays and is
 * released with the matching *_clear / *_free function (start from a
 * zeroed struct). Inputs are only read.
 */
#ifndef LATTICECTL_IAM_H
#define LATTICECTL_IAM_H

#include <stddef.h>
#include <time.h>

#include <libxml/tree.h>

#include "latticectl/aws.h"

#define IAM_API_VERSION "2010-05-08"

struct iam_policy {
	char		*arn;
	char		*name;
	char		*id;
	char		*path;
	char		*default_version_id;
	char		*description;
	long		 attachment_count;
	int		 is_attachable;
	struct timespec	 create_date;
	struct timespec	 update_date;
};

struct iam_policies {
	struct iam_policy	*v;
	size_t			 n;
};

struct iam_policy_version {
	char		*version_id;
	char		*document;	/* URL-decoded JSON */
	int		 is_default;
	struct timespec	 create_date;
};

struct iam_role {
	char		*arn;
	char		*name;
	char		*id;
	char		*path;
	char		*assume_role_policy_document;	/* URL-decoded */
	char		*description;
	long		 max_session_duration;
	struct timespec	 create_date;
};

struct iam_attached_policy {
	char	*name;
	char	*arn;
};

struct iam_attached_policies {
	struct iam_attached_policy	*v;
	size_t				 n;
};

/* An OIDC provider; a list entry has the ARN only. */
struct iam_oidc_provider {
	char		 *arn;
	char		 *url;
	char		**client_ids;
	size_t		  n_client_ids;
	char		**thumbprints;
	size_t		  n_thumbprints;
	struct timespec	  create_date;
	struct aws_tags	  tags;
};

struct iam_oidc_providers {
	struct iam_oidc_provider	*v;
	size_t				 n;
};

void	 iam_policy_clear(struct iam_policy *);
void	 iam_policies_free(struct iam_policies *);
void	 iam_policy_version_clear(struct iam_policy_version *);
void	 iam_role_clear(struct iam_role *);
void	 iam_attached_policies_free(struct iam_attached_policies *);
void	 iam_oidc_provider_clear(struct iam_oidc_provider *);
void	 iam_oidc_providers_free(struct iam_oidc_providers *);

/* CreatePolicy input: name and document are required. */
struct iam_policy_input {
	const char		*name;
	const char		*document;	/* JSON */
	const char		*path;		/* NULL: "/" */
	const char		*description;
	const struct aws_tags	*tags;
};

enum iam_scope {
	IAM_SCOPE_ALL,
	IAM_SCOPE_AWS,
	IAM_SCOPE_LOCAL
};

/* ListPolicies input. */
struct iam_policy_query {
	enum iam_scope	 scope;
	const char	*path_prefix;	/* NULL: not sent */
	int		 only_attached;
	int		 page_size;	/* MaxItems; 0: not sent */
};

/* CreateRole input: name and trust document are required. */
struct iam_role_input {
	const char		*name;
	const char		*assume_role_policy_document;	/* JSON */
	const char		*path;
	const char		*description;
	long			 max_session_duration;	/* 0: not sent */
	const char		*permissions_boundary;
	const struct aws_tags	*tags;
};

/* CreateOpenIDConnectProvider input: url is required. */
struct iam_oidc_input {
	const char		*url;
	const char *const	*client_ids;
	size_t			 n_client_ids;
	const char *const	*thumbprints;
	size_t			 n_thumbprints;
	const struct aws_tags	*tags;
};

/* Every call: 0, or -1 with err filled. */
int	 iam_create_policy(struct aws *, const struct iam_policy_input *,
	    struct iam_policy *, struct aws_error *);
int	 iam_get_policy(struct aws *, const char *arn, struct iam_policy *,
	    struct aws_error *);
int	 iam_list_policies(struct aws *, const struct iam_policy_query *,
	    struct iam_policies *, struct aws_error *);
int	 iam_delete_policy(struct aws *, const char *arn, struct aws_error *);
int	 iam_get_policy_version(struct aws *, const char *arn,
	    const char *version_id, struct iam_policy_version *,
	    struct aws_error *);

int	 iam_create_role(struct aws *, const struct iam_role_input *,
	    struct iam_role *, struct aws_error *);
int	 iam_get_role(struct aws *, const char *name, struct iam_role *,
	    struct aws_error *);
int	 iam_delete_role(struct aws *, const char *name, struct aws_error *);
int	 iam_update_assume_role_policy(struct aws *, const char *role,
	    const char *document, struct aws_error *);
int	 iam_attach_role_policy(struct aws *, const char *role,
	    const char *policy_arn, struct aws_error *);
int	 iam_detach_role_policy(struct aws *, const char *role,
	    const char *policy_arn, struct aws_error *);
/* path_prefix may be NULL; page_size 0 leaves MaxItems out. */
int	 iam_list_attached_role_policies(struct aws *, const char *role,
	    const char *path_prefix, int page_size,
	    struct iam_attached_policies *, struct aws_error *);

/* *arn receives the new provider's ARN (caller frees). */
int	 iam_create_oidc_provider(struct aws *, const struct iam_oidc_input *,
	    char **arn, struct aws_error *);
int	 iam_get_oidc_provider(struct aws *, const char *arn,
	    struct iam_oidc_provider *, struct aws_error *);
int	 iam_list_oidc_providers(struct aws *, struct iam_oidc_providers *,
	    struct aws_error *);
int	 iam_delete_oidc_provider(struct aws *, const char *arn,
	    struct aws_error *);

/* "All", "AWS" or "Local". */
const char *iam_scope_name(enum iam_scope);

/*
 * Response parsers (exposed for tests and fuzzing). op is the operation
 * whose <opResult> holds the data. List parsers append and set *marker
 * (caller frees) when IsTruncated is true. Return 0, or -1 when the result
 * element is missing.
 */
int	 iam_parse_policy(xmlDoc *, const char *op, struct iam_policy *);
int	 iam_parse_policies(xmlDoc *, struct iam_policies *, char **marker);
int	 iam_parse_policy_version(xmlDoc *, struct iam_policy_version *);
int	 iam_parse_role(xmlDoc *, const char *op, struct iam_role *);
int	 iam_parse_attached_policies(xmlDoc *, struct iam_attached_policies *,
	    char **marker);
int	 iam_parse_oidc_arn(xmlDoc *, char **arn);
int	 iam_parse_oidc_provider(xmlDoc *, struct iam_oidc_provider *);
int	 iam_parse_oidc_providers(xmlDoc *, struct iam_oidc_providers *);

#endif
