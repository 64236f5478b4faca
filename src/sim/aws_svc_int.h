/*
 * Internals shared by the simulated EC2, IAM, STS and EKS (aws_ec2*.c,
 * aws_iam.c, aws_sts.c, aws_eks.c, aws_query.c, aws_lab.c): query-protocol
 * parameter access, an XML writer over libxml2, ID and secret generators,
 * policy documents, and the few cross-service lookups (EKS reads EC2 and
 * IAM, STS reads IAM). Not shared with src/aws: the simulator must never
 * reuse the clients' request building or response parsing.
 *
 * Every function here runs with the simulator's lock held (they are
 * called from service handlers), except those in aws_lab.c that say
 * otherwise. cJSON records live in each service's state subtree
 * (sim_aws_state "ec2", "iam", "eks"); members starting with '_' are
 * internal and never shown. Strings returned as const char * point into
 * the state or the parameters and live until the next state change;
 * char * results are owned by the caller.
 *
 * Names: sq_ (query helpers, encodings, policy documents, the framework
 * shims), xw_ (XML writer), sim_ec2_/sim_iam_/sim_eks_ (cross-service);
 * the bare ec2_/iam_/sts_/eks_ prefixes belong to the clients in src/aws.
 */
#ifndef LATTICECTL_SIM_AWS_SVC_INT_H
#define LATTICECTL_SIM_AWS_SVC_INT_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>
#include <libxml/xmlwriter.h>

#include "latticectl/strbuf.h"
#include "sim_aws.h"

#define EC2_XMLNS	"http://ec2.amazonaws.com/doc/2016-11-15/"
#define IAM_XMLNS	"https://iam.amazonaws.com/doc/2010-05-08/"
#define STS_XMLNS	"https://sts.amazonaws.com/doc/2011-06-15/"
#define SQ_MAX_INDEX	1000	/* largest N accepted in "X.N" */

/* ---- Query parameters (aws_query.c) ---- */

/* The request's parameters: the query string's (X-Amz-* left out) then
 * the form body's. */
void		 sq_params(const struct sim_aws_call *,
		    struct sim_aws_params *);
/* The value of a formatted parameter name, or NULL. */
const char	*sq_param(const struct sim_aws_params *, const char *fmt, ...)
		    __attribute__((format(printf, 2, 3)));
/* The distinct N (1..SQ_MAX_INDEX, ascending) of names "PREFIX.N" or
 * "PREFIX.N.*"; returns the count, *out allocated (caller frees). */
size_t		 sq_indexes(const struct sim_aws_params *, const char *prefix,
		    int **out);
/* Values of "PREFIX.N" ordered by N (pointers into the params; caller
 * frees the array only). */
size_t		 sq_list(const struct sim_aws_params *, const char *prefix,
		    const char ***out);

/* A growable vector of owned strings. */
struct sq_strv {
	char	**v;
	size_t	  n;
};
void		 sq_strv_add(struct sq_strv *, const char *);
void		 sq_strv_addf(struct sq_strv *, const char *fmt, ...)
		    __attribute__((format(printf, 2, 3)));
void		 sq_strv_free(struct sq_strv *);
int		 sq_strv_has(const struct sq_strv *, const char *);

/* Describe filters: Filter.N.Name and Filter.N.Value.M. */
struct sq_filter {
	const char	 *name;
	const char	**values;
	size_t		  n;
};
struct sq_filters {
	struct sq_filter	*v;
	size_t			 n;
};
/* Parse the filters; -1 when one has no name or no value (*bad set to
 * its index). */
int		 sq_filters_parse(const struct sim_aws_params *,
		    struct sq_filters *, int *bad);
void		 sq_filters_free(struct sq_filters *);
/* Glob match with '*' and '?' (EC2 filter values, IAM StringLike). */
int		 sq_glob(const char *pattern, const char *s, int icase);

/* An integer parameter: 0 and *out (def when absent), -1 when it is not
 * a number within [lo, hi]. */
int		 sq_int(const struct sim_aws_params *, const char *name,
		    long def, long lo, long hi, long *out);
/* A boolean parameter ("true"/"false"); def when absent. */
int		 sq_bool(const struct sim_aws_params *, const char *name,
		    int def);

/* A string member of a record, "" when missing (state loaded from a
 * file may lack members; never crash on it). */
const char	*sq_s(const cJSON *rec, const char *key);

/* ---- XML writer (aws_query.c) ---- */

struct xw {
	xmlBufferPtr		buf;
	xmlTextWriterPtr	w;
};
/* Begin a document with its root element and default namespace. */
void		 xw_begin(struct xw *, const char *root, const char *xmlns);
void		 xw_open(struct xw *, const char *name);
void		 xw_close(struct xw *);
/* <name>value</name>, nothing when value is NULL. */
void		 xw_str(struct xw *, const char *name, const char *value);
void		 xw_fmt(struct xw *, const char *name, const char *fmt, ...)
		    __attribute__((format(printf, 3, 4)));
void		 xw_bool(struct xw *, const char *name, int v);
void		 xw_long(struct xw *, const char *name, long v);
/* End the document; the text (caller frees). Frees the writer. */
char		*xw_finish(struct xw *);
/* Finish and answer 200 with the document. */
void		 xw_reply(struct sim_aws_call *, struct xw *);

/* EC2: <ACTIONResponse xmlns=EC2><requestId>. */
void		 sim_ec2_begin(struct sim_aws_call *, struct xw *,
		    const char *action);
/* IAM/STS: <ACTIONResponse xmlns><ACTIONResult> (no Result when
 * !result); sq_query_end adds ResponseMetadata and answers. */
void		 sq_query_begin(struct sim_aws_call *, struct xw *,
		    const char *xmlns, const char *action, int result);
void		 sq_query_end(struct sim_aws_call *, struct xw *, int result);

/* ---- IDs, secrets, encodings (aws_query.c) ---- */

/* "PREFIX-" + 17 lower-case hex digits (out >= strlen(prefix) + 19). */
void		 sq_hex_id(char *out, size_t len, const char *prefix);
/* IAM unique id: PREFIX (AIDA, AROA, ANPA) + 17 of [A-Z0-9]. */
void		 sq_iam_id(char out[22], const char *prefix);
/* n upper-case hex digits. */
void		 sq_upper_hex(char *out, size_t n);
/* Random base64 text of nbytes random bytes (caller frees). */
char		*sq_rand_b64(size_t nbytes);
/* Standard base64 of len bytes (caller frees). */
char		*sq_b64(const void *, size_t len);
/* Decode base64url (padding optional); NULL when malformed. */
unsigned char	*sq_b64url_decode(const char *, size_t len, size_t *outlen);
/* Percent-encode everything but RFC 3986 unreserved characters. */
void		 sq_pct_encode(struct strbuf *, const char *);
/* ISO-8601 UTC of epoch ms, without fraction: "2026-11-28T06:22:11Z". */
void		 sq_iso_sec(int64_t ms, char out[32]);
/* A page token for an offset, and back (-1 when malformed). */
char		*sq_token(size_t offset);
long		 sq_untoken(const char *);

/* ---- Policy documents (aws_query.c) ---- */

/* Parse and check a policy document: JSON object with Version (optional)
 * and Statement whose entries have Effect Allow|Deny; trust documents
 * need a Principal, identity ones must not have one. NULL with a
 * MalformedPolicyDocument message in *why (static string). */
cJSON		*sq_policy_parse(const char *text, int trust,
		    const char **why);
/* Does a string-or-array policy element hold a match for s (glob,
 * case-insensitive when icase)? */
int		 sq_policy_any(const cJSON *elem, const char *s, int icase);

/* ---- Cross-service (the files named) ---- */

/* aws_ec2.c: make sure the default VPC exists; the lab's VPCs. */
cJSON		*sim_ec2_state(struct sim_aws *);
void		 sim_ec2_seed_lab(struct sim_aws *);
cJSON		*sim_ec2_find_subnet(struct sim_aws *, const char *id);
cJSON		*sim_ec2_find_group(struct sim_aws *, const char *id);
/* The EKS cluster security group: "eks-cluster-sg-NAME-NUM" in vpc, all
 * traffic from itself, tagged for the cluster. Returns its id (state). */
const char	*sim_ec2_cluster_sg(struct sim_aws *, const char *vpc_id,
		    const char *cluster);
/* Delete a group unless another group's rules reference it. */
void		 sim_ec2_drop_group(struct sim_aws *, const char *id);

/* aws_iam.c */
cJSON		*sim_iam_find_role(struct sim_aws *, const char *name);
/* A role by ARN ("arn:aws:iam::ACCT:role[/path]/NAME"), or NULL. */
cJSON		*sim_iam_role_by_arn(struct sim_aws *, const char *arn);
/* An OIDC provider by issuer URL (with or without https://). */
cJSON		*sim_iam_find_oidc(struct sim_aws *, const char *url);

/* aws_eks.c: names of the clusters (for token checks); caller frees. */
void		 sim_eks_cluster_names(struct sim_aws *, struct sq_strv *);

/* aws_lab.c: the framework's lock and lock-held user store. */
void		 sq_lock(struct sim_aws *);
void		 sq_unlock(struct sim_aws *);
void		 sq_put_user(struct sim_aws *, const char *ak, const char *sk,
		    const char *token, const char *arn, const char *user_id,
		    int64_t expires_ms);

#endif
