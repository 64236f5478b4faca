/*
 * Internals of the simulated EC2 (aws_ec2.c: dispatch, VPCs, subnets,
 * prefix lists, zones, tags, the generic describe; aws_ec2_sg.c: security
 * groups and their rules). State lives under sim_aws_state "ec2":
 *   vpcs[]           {vpcId, cidrBlock, isDefault, dhcpOptionsId,
 *                     assocId, tags[{Key, Value}]}
 *   subnets[]        {subnetId, vpcId, cidrBlock, availabilityZone,
 *                     availabilityZoneId, defaultForAz,
 *                     mapPublicIpOnLaunch, tags[]}
 *   securityGroups[] {groupId, groupName, description, vpcId, tags[],
 *                     rules[{id, egress, proto, from, to, kind (cidr4,
 *                     cidr6, pl, group), peer, desc}]}
 * Everything runs with the simulator's lock held; a struct ec2 lives for
 * one request.
 */
#ifndef LATTICECTL_SIM_AWS_EC2_INT_H
#define LATTICECTL_SIM_AWS_EC2_INT_H

#include "aws_svc_int.h"

#define EC2_MAX_RULES		60	/* per group and direction */
#define EC2_MAX_GROUPS		2500	/* per region: bounded memory */
#define EC2_MAX_TAGS		50	/* per resource */

/* One request. */
struct ec2 {
	struct sim_aws_call	*call;
	struct sim_aws		*sim;
	cJSON			*st;
	struct sim_aws_params	 p;
	const char		*action;
	cJSON			*tmp;	/* virtual records of this call */
};

/* Values of a filter for a record (rec NULL: 0 when the filter name is
 * known, -1 when not). */
typedef int (*ec2_values_fn)(struct ec2 *, const cJSON *rec,
	    const char *filter, struct sq_strv *out);
typedef void (*ec2_write_fn)(struct ec2 *, struct xw *, const cJSON *rec);

/* What a Describe* call lists. */
struct ec2_kind {
	const char	*set;		/* response list element */
	const char	*id_key;	/* record member holding the id */
	const char	*ids_param;	/* "VpcId" (VpcId.N); NULL: none */
	const char	*id_prefix;	/* "vpc" */
	const char	*nf_code;	/* "InvalidVpcID.NotFound" */
	const char	*nf_what;	/* "vpc ID" */
	const char	*bad_code;	/* "InvalidVpcID.Malformed" */
	long		 max_lo, max_hi;	/* MaxResults bounds */
	ec2_values_fn	 values;
	ec2_write_fn	 write;
};

/* aws_ec2.c */
void		 sim_ec2_describe(struct ec2 *, const struct ec2_kind *,
		    const cJSON *records);
cJSON		*sim_ec2_array(struct ec2 *, const char *key);
cJSON		*sim_ec2_find(cJSON *arr, const char *key, const char *value);
/* Is s "PREFIX-" and 8 or 17 lower-case hex digits? */
int		 sim_ec2_id_valid(const char *s, const char *prefix);
/* tag:KEY, tag-key, tag-value: 1 when filter is one of them. */
int		 sim_ec2_tag_values(const cJSON *rec, const char *filter,
		    struct sq_strv *out);
void		 sim_ec2_write_tags(struct xw *, const cJSON *rec);
/* Add tags from TagSpecification.N (of resource type rtype); -1 with
 * the error answered. */
int		 sim_ec2_tag_specs(struct ec2 *, cJSON *rec, const char *rtype);
void		 sim_ec2_set_tag(cJSON *rec, const char *key,
    const char *value);
const char	*sim_ec2_tag(const cJSON *rec, const char *key);
/* The AWS-managed prefix lists of the region (into e->tmp). */
cJSON		*sim_ec2_prefix_lists(struct ec2 *);
/* The default VPC, or NULL. */
cJSON		*sim_ec2_default_vpc(struct ec2 *);
/* DryRun=true: answer DryRunOperation and return 1. */
int		 sim_ec2_dry_run(struct ec2 *);

/* aws_ec2_sg.c */
cJSON		*sim_ec2_new_group(struct ec2 *, const char *vpc_id,
		    const char *name, const char *desc);
void		 sim_ec2_create_sg(struct ec2 *);
void		 sim_ec2_delete_sg(struct ec2 *);
void		 sim_ec2_describe_sgs(struct ec2 *);
void		 sim_ec2_describe_sg_rules(struct ec2 *);
void		 sim_ec2_authorize(struct ec2 *);
void		 sim_ec2_revoke(struct ec2 *);

#endif
