/*
 * Simulated EC2 (the ec2 query protocol, API 2016-11-15): dispatch on
 * Action, the generic Describe* (ids, Filter.N, MaxResults/NextToken),
 * VPCs, subnets, the AWS-managed prefix lists, availability zones and
 * tags, plus the default VPC and the workshop's topology. Security groups
 * are in aws_ec2_sg.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/json.h"
#include "latticectl/sigv4.h"
#include "latticectl/xmalloc.h"

#include "aws_ec2_int.h"

static void	ec2_handle(struct sim_aws_call *);

const struct sim_aws_service sim_aws_ec2_service = {
	.signing_name = "ec2",
	.proto = SIM_AWS_EC2,
	.family = SIM_FAMILY_EC2,
	.xmlns = EC2_XMLNS,
	.handle = ec2_handle,
};

/* The lab VPCs of research/workshop.md (all 10.0.0.0/16). */
static const struct {
	const char	*vpc;
	const char	*subnet_prefix;
} ec2_lab_vpcs[] = {
	{ "LatticeWorkshop-Clients-VPC", "LatticeWorkshop-Client" },
	{ "LatticeWorkshop-Rates-VPC", "LatticeWorkshop-Rates" },
};

/* The array key of the state, created empty. */
static cJSON *
ec2_st_array(cJSON *st, const char *key)
{
	cJSON	*a = cJSON_GetObjectItemCaseSensitive(st, key);

	if (a == NULL)
		a = cJSON_AddArrayToObject(st, key);
	return a;
}

/* The array key of this request's state. */
cJSON *
sim_ec2_array(struct ec2 *e, const char *key)
{
	return ec2_st_array(e->st, key);
}

/* The record of arr whose key member equals value, or NULL. */
cJSON *
sim_ec2_find(cJSON *arr, const char *key, const char *value)
{
	cJSON		*rec;
	const char	*v;

	if (value == NULL)
		return NULL;
	cJSON_ArrayForEach(rec, arr) {
		v = sq_s(rec, key);
		if (v != NULL && strcmp(v, value) == 0)
			return rec;
	}
	return NULL;
}

/* "PREFIX-" and 8 or 17 lower-case hex digits. */
int
sim_ec2_id_valid(const char *s, const char *prefix)
{
	size_t	n = strlen(prefix), h;

	if (s == NULL || strncmp(s, prefix, n) != 0 || s[n] != '-')
		return 0;
	h = strspn(s + n + 1, "0123456789abcdef");
	return (h == 8 || h == 17) && s[n + 1 + h] == '\0';
}

/* A tag's value, or NULL. */
const char *
sim_ec2_tag(const cJSON *rec, const char *key)
{
	const cJSON	*t;

	cJSON_ArrayForEach(t, cJSON_GetObjectItemCaseSensitive(rec, "tags")) {
		const char *k = sq_s(t, "Key");

		if (k != NULL && strcmp(k, key) == 0)
			return sq_s(t, "Value");
	}
	return NULL;
}

/* Set (or replace) a tag. */
void
sim_ec2_set_tag(cJSON *rec, const char *key, const char *value)
{
	cJSON	*tags, *t;

	tags = cJSON_GetObjectItemCaseSensitive(rec, "tags");
	if (tags == NULL)
		tags = cJSON_AddArrayToObject(rec, "tags");
	cJSON_ArrayForEach(t, tags) {
		const char *k = sq_s(t, "Key");

		if (k != NULL && strcmp(k, key) == 0) {
			cJSON_ReplaceItemInObjectCaseSensitive(t, "Value",
			    cJSON_CreateString(value != NULL ? value : ""));
			return;
		}
	}
	t = cJSON_CreateObject();
	cJSON_AddStringToObject(t, "Key", key);
	cJSON_AddStringToObject(t, "Value", value != NULL ? value : "");
	cJSON_AddItemToArray(tags, t);
}

/* Remove a tag. */
static void
ec2_del_tag(cJSON *rec, const char *key)
{
	cJSON	*tags, *t;

	tags = cJSON_GetObjectItemCaseSensitive(rec, "tags");
	cJSON_ArrayForEach(t, tags) {
		const char *k = sq_s(t, "Key");

		if (k != NULL && strcmp(k, key) == 0) {
			cJSON_Delete(cJSON_DetachItemViaPointer(tags, t));
			return;
		}
	}
}

/* Values of tag:KEY, tag-key and tag-value; 1 when filter is one. */
int
sim_ec2_tag_values(const cJSON *rec, const char *filter, struct sq_strv *out)
{
	const cJSON	*t;
	int		 bykey = strncmp(filter, "tag:", 4) == 0;

	if (!bykey && strcmp(filter, "tag-key") != 0 &&
	    strcmp(filter, "tag-value") != 0)
		return 0;
	if (rec == NULL)
		return 1;
	cJSON_ArrayForEach(t, cJSON_GetObjectItemCaseSensitive(rec, "tags")) {
		const char *k = sq_s(t, "Key"), *v = sq_s(t, "Value");

		if (k == NULL || v == NULL)
			continue;
		if (bykey && strcmp(k, filter + 4) == 0)
			sq_strv_add(out, v);
		else if (strcmp(filter, "tag-key") == 0)
			sq_strv_add(out, k);
		else if (strcmp(filter, "tag-value") == 0)
			sq_strv_add(out, v);
	}
	return 1;
}

/* <tagSet> of a record (left out when it has none). */
void
sim_ec2_write_tags(struct xw *x, const cJSON *rec)
{
	const cJSON	*tags, *t;

	tags = cJSON_GetObjectItemCaseSensitive(rec, "tags");
	if (cJSON_GetArraySize(tags) == 0)
		return;
	xw_open(x, "tagSet");
	cJSON_ArrayForEach(t, tags) {
		xw_open(x, "item");
		xw_str(x, "key", sq_s(t, "Key"));
		xw_str(x, "value", sq_s(t, "Value"));
		xw_close(x);
	}
	xw_close(x);
}

/* Check a tag key and value; -1 with the error answered. */
static int
ec2_tag_check(struct ec2 *e, const char *key, const char *value)
{
	if (key == NULL || *key == '\0' || strlen(key) > 128) {
		sim_aws_error(e->call, 400, "InvalidParameterValue", "Tag key "
		    "must be between 1 and 128 characters");
		return -1;
	}
	if (strncmp(key, "aws:", 4) == 0) {
		sim_aws_error(e->call, 400, "InvalidParameterValue", "Tag keys "
		    "starting with 'aws:' are reserved for internal use");
		return -1;
	}
	if (value != NULL && strlen(value) > 256) {
		sim_aws_error(e->call, 400, "InvalidParameterValue",
		    "Tag value may not exceed 256 characters");
		return -1;
	}
	return 0;
}

/* Add the tags of a "PREFIX.N.Key/Value" list; -1 answered. */
static int
ec2_add_tag_list(struct ec2 *e, cJSON *rec, const char *prefix)
{
	int		*idx;
	size_t		 n, i;
	const char	*k, *v;

	n = sq_indexes(&e->p, prefix, &idx);
	for (i = 0; i < n; i++) {
		k = sq_param(&e->p, "%s.%d.Key", prefix, idx[i]);
		v = sq_param(&e->p, "%s.%d.Value", prefix, idx[i]);
		if (ec2_tag_check(e, k, v) != 0) {
			free(idx);
			return -1;
		}
		sim_ec2_set_tag(rec, k, v);
	}
	free(idx);
	if (cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(rec,
	    "tags")) > EC2_MAX_TAGS) {
		sim_aws_error(e->call, 400, "TagLimitExceeded", "The maximum "
		    "number of Tags for a resource has been reached.");
		return -1;
	}
	return 0;
}

/* Add tags from TagSpecification.N for rtype. */
int
sim_ec2_tag_specs(struct ec2 *e, cJSON *rec, const char *rtype)
{
	int		*idx;
	size_t		 n, i;
	const char	*rt;
	char		 pre[64];
	int		 rc = 0;

	n = sq_indexes(&e->p, "TagSpecification", &idx);
	for (i = 0; i < n && rc == 0; i++) {
		rt = sq_param(&e->p, "TagSpecification.%d.ResourceType",
		    idx[i]);
		if (rt == NULL || strcmp(rt, rtype) != 0) {
			sim_aws_error(e->call, 400, "InvalidParameterValue",
			    "'%s' is not a valid taggable resource type for "
			    "this operation.", rt != NULL ? rt : "null");
			rc = -1;
			break;
		}
		snprintf(pre, sizeof pre, "TagSpecification.%d.Tag", idx[i]);
		rc = ec2_add_tag_list(e, rec, pre);
	}
	free(idx);
	return rc;
}

/* DryRun=true: answer DryRunOperation. */
int
sim_ec2_dry_run(struct ec2 *e)
{
	if (!sq_bool(&e->p, "DryRun", 0))
		return 0;
	sim_aws_error(e->call, 412, "DryRunOperation", "Request would have "
	    "succeeded, but DryRun flag is set.");
	return 1;
}

/* Is rec wanted by the ids (NULL: all)? */
static int
ec2_id_wanted(const cJSON *rec, const char *key, const char **ids, size_t n)
{
	const char	*id = sq_s(rec, key);
	size_t		 i;

	if (ids == NULL)
		return 1;
	for (i = 0; i < n; i++) {
		if (id != NULL && strcmp(ids[i], id) == 0)
			return 1;
	}
	return 0;
}

/* Does rec pass every filter? */
static int
ec2_matches(struct ec2 *e, const struct ec2_kind *k, const cJSON *rec,
    const struct sq_filters *f)
{
	struct sq_strv	 sv = { NULL, 0 };
	size_t		 i, j, m;
	int		 hit;

	for (i = 0; i < f->n; i++) {
		k->values(e, rec, f->v[i].name, &sv);
		hit = 0;
		for (j = 0; j < sv.n && !hit; j++) {
			for (m = 0; m < f->v[i].n && !hit; m++)
				hit = sq_glob(f->v[i].values[m], sv.v[j], 0);
		}
		sq_strv_free(&sv);
		if (!hit)
			return 0;
	}
	return 1;
}

/* Check the ids of a describe (format, existence); -1 answered. */
static int
ec2_check_ids(struct ec2 *e, const struct ec2_kind *k, const cJSON *records,
    const char **ids, size_t n)
{
	const cJSON	*rec;
	size_t		 i;
	int		 found;

	for (i = 0; i < n; i++) {
		if (!sim_ec2_id_valid(ids[i], k->id_prefix)) {
			sim_aws_error(e->call, 400, k->bad_code, "Invalid id: "
			    "\"%.128s\"", ids[i]);
			return -1;
		}
		found = 0;
		cJSON_ArrayForEach(rec, records) {
			const char *id = sq_s(rec, k->id_key);

			if (id != NULL && strcmp(id, ids[i]) == 0)
				found = 1;
		}
		if (!found) {
			sim_aws_error(e->call, 400, k->nf_code, "The %s '%s' "
			    "does not exist", k->nf_what, ids[i]);
			return -1;
		}
	}
	return 0;
}

/* Check the filter names; -1 answered. */
static int
ec2_check_filters(struct ec2 *e, const struct ec2_kind *k,
    struct sq_filters *f)
{
	size_t	i;
	int	bad = 0;

	if (sq_filters_parse(&e->p, f, &bad) != 0) {
		sim_aws_error(e->call, 400, "InvalidParameterValue", "The "
		    "filter Filter.%d must have a Name and at least one "
		    "Value", bad);
		return -1;
	}
	for (i = 0; i < f->n; i++) {
		if (k->values(e, NULL, f->v[i].name, NULL) != 0) {
			sim_aws_error(e->call, 400, "InvalidParameterValue",
			    "The filter '%.128s' is invalid", f->v[i].name);
			return -1;
		}
	}
	return 0;
}

/* MaxResults and NextToken; -1 answered. */
static int
ec2_paging(struct ec2 *e, const struct ec2_kind *k, size_t nids, long *max,
    long *off)
{
	const char	*tok = sim_aws_param(&e->p, "NextToken");
	const char	*mr = sim_aws_param(&e->p, "MaxResults");

	*max = 0;
	*off = 0;
	if (k->max_hi == 0 || (mr == NULL && tok == NULL))
		return 0;
	if (mr != NULL && nids > 0) {
		sim_aws_error(e->call, 400, "InvalidParameterCombination",
		    "The parameter %ss cannot be used with the parameter "
		    "maxResults", k->ids_param);
		return -1;
	}
	if (sq_int(&e->p, "MaxResults", k->max_hi, k->max_lo, k->max_hi,
	    max) != 0) {
		sim_aws_error(e->call, 400, "InvalidParameterValue", "Value ( "
		    "%.32s ) for parameter maxResults is invalid. Expecting a "
		    "value between %ld and %ld.", mr, k->max_lo, k->max_hi);
		return -1;
	}
	if (tok != NULL && (*off = sq_untoken(tok)) < 0) {
		sim_aws_error(e->call, 400, "InvalidParameterValue", "The "
		    "token '%.64s' is invalid.", tok);
		return -1;
	}
	return 0;
}

/* A Describe* call over records. */
void
sim_ec2_describe(struct ec2 *e, const struct ec2_kind *k, const cJSON *records)
{
	struct sq_filters	 f = { NULL, 0 };
	const char		**ids = NULL;
	const cJSON		*rec;
	struct xw		 x;
	size_t			 nids = 0, seen = 0;
	long			 max, off;
	char			*tok;

	if (k->ids_param != NULL)
		nids = sq_list(&e->p, k->ids_param, &ids);
	if (ec2_paging(e, k, nids, &max, &off) != 0 ||
	    ec2_check_ids(e, k, records, ids, nids) != 0 ||
	    ec2_check_filters(e, k, &f) != 0)
		goto out;
	sim_ec2_begin(e->call, &x, e->action);
	xw_open(&x, k->set);
	cJSON_ArrayForEach(rec, records) {
		if (!ec2_id_wanted(rec, k->id_key, nids > 0 ? ids : NULL,
		    nids) || !ec2_matches(e, k, rec, &f))
			continue;
		if (seen++ < (size_t)off)
			continue;
		if (max > 0 && seen > (size_t)(off + max))
			break;
		xw_open(&x, "item");
		k->write(e, &x, rec);
		xw_close(&x);
	}
	xw_close(&x);
	if (max > 0 && seen > (size_t)(off + max)) {
		tok = sq_token((size_t)(off + max));
		xw_str(&x, "nextToken", tok);
		free(tok);
	}
	xw_reply(e->call, &x);
out:
	free(ids);
	sq_filters_free(&f);
}

/* The zone-id abbreviation of a region: us-west-2 -> usw2. */
static void
ec2_region_abbrev(const char *region, char out[16])
{
	const char	*p = region;
	size_t		 o = 0;
	int		 first = 1;

	while (*p != '\0' && o < 14) {
		size_t n = strcspn(p, "-");

		if (first)
			o += (size_t)snprintf(out + o, 16 - o, "%.*s",
			    (int)(n < 4 ? n : 4), p);
		else if (p[0] >= '0' && p[0] <= '9')
			o += (size_t)snprintf(out + o, 16 - o, "%.*s",
			    (int)(n < 3 ? n : 3), p);
		else
			out[o++] = p[0];
		first = 0;
		p += n;
		if (*p == '-')
			p++;
	}
	out[o < 16 ? o : 15] = '\0';
}

/* A new VPC record. */
static cJSON *
ec2_add_vpc(cJSON *st, const char *cidr, int is_default, const char *name)
{
	cJSON	*v;
	char	 id[40];

	v = cJSON_CreateObject();
	sq_hex_id(id, sizeof id, "vpc");
	cJSON_AddStringToObject(v, "vpcId", id);
	cJSON_AddStringToObject(v, "cidrBlock", cidr);
	cJSON_AddBoolToObject(v, "isDefault", is_default);
	sq_hex_id(id, sizeof id, "dopt");
	cJSON_AddStringToObject(v, "dhcpOptionsId", id);
	sq_hex_id(id, sizeof id, "vpc-cidr-assoc");
	cJSON_AddStringToObject(v, "assocId", id);
	cJSON_AddArrayToObject(v, "tags");
	if (name != NULL)
		sim_ec2_set_tag(v, "Name", name);
	cJSON_AddItemToArray(ec2_st_array(st, "vpcs"), v);
	return v;
}

/* A new subnet in zone number az (0 = "a"). */
static cJSON *
ec2_add_subnet(struct sim_aws *sim, cJSON *st, const cJSON *vpc,
    const char *cidr, int az, int is_default, int public, const char *name)
{
	cJSON		*s;
	const char	*region = sim_aws_region(sim);
	char		 id[40], zone[64], abbr[16];

	s = cJSON_CreateObject();
	sq_hex_id(id, sizeof id, "subnet");
	cJSON_AddStringToObject(s, "subnetId", id);
	cJSON_AddStringToObject(s, "vpcId", sq_s(vpc, "vpcId"));
	cJSON_AddStringToObject(s, "cidrBlock", cidr);
	snprintf(zone, sizeof zone, "%s%c", region, 'a' + az);
	cJSON_AddStringToObject(s, "availabilityZone", zone);
	ec2_region_abbrev(region, abbr);
	snprintf(zone, sizeof zone, "%s-az%d", abbr, az + 1);
	cJSON_AddStringToObject(s, "availabilityZoneId", zone);
	cJSON_AddBoolToObject(s, "defaultForAz", is_default);
	cJSON_AddBoolToObject(s, "mapPublicIpOnLaunch", public);
	cJSON_AddArrayToObject(s, "tags");
	if (name != NULL)
		sim_ec2_set_tag(s, "Name", name);
	cJSON_AddItemToArray(ec2_st_array(st, "subnets"), s);
	return s;
}

/* The state with the default VPC made on first use. */
cJSON *
sim_ec2_state(struct sim_aws *sim)
{
	struct ec2	 e;
	cJSON		*st, *vpc;
	char		 cidr[32];
	int		 i;

	st = sim_aws_state(sim, "ec2");
	if (cJSON_HasObjectItem(st, "_init"))
		return st;
	cJSON_AddTrueToObject(st, "_init");
	memset(&e, 0, sizeof e);
	e.sim = sim;
	e.st = st;
	vpc = ec2_add_vpc(st, "172.31.0.0/16", 1, NULL);
	for (i = 0; i < 4; i++) {
		snprintf(cidr, sizeof cidr, "172.31.%d.0/20", i * 16);
		ec2_add_subnet(sim, st, vpc, cidr, i, 1, 1, NULL);
	}
	sim_ec2_new_group(&e, sq_s(vpc, "vpcId"), "default",
	    "default VPC security group");
	return st;
}

/* Add the workshop's VPCs unless they exist (by Name tag). */
void
sim_ec2_seed_lab(struct sim_aws *sim)
{
	struct ec2	 e;
	cJSON		*vpc, *rec;
	char		 cidr[32], name[96];
	size_t		 v;
	int		 i, found;

	memset(&e, 0, sizeof e);
	e.sim = sim;
	e.st = sim_ec2_state(sim);
	for (v = 0; v < sizeof ec2_lab_vpcs / sizeof ec2_lab_vpcs[0]; v++) {
		found = 0;
		cJSON_ArrayForEach(rec, sim_ec2_array(&e, "vpcs")) {
			const char *n = sim_ec2_tag(rec, "Name");

			if (n != NULL && strcmp(n, ec2_lab_vpcs[v].vpc) == 0)
				found = 1;
		}
		if (found)
			continue;
		vpc = ec2_add_vpc(e.st, "10.0.0.0/16", 0, ec2_lab_vpcs[v].vpc);
		for (i = 0; i < 6; i++) {
			snprintf(cidr, sizeof cidr, "10.0.%d.0/24", i);
			snprintf(name, sizeof name, "%s-%sSubnet0%d",
			    ec2_lab_vpcs[v].subnet_prefix, i < 3 ? "Public" :
			    "Private", i % 3 + 1);
			ec2_add_subnet(sim, e.st, vpc, cidr, i % 3, 0, i < 3,
			    name);
		}
		sim_ec2_new_group(&e, sq_s(vpc, "vpcId"), "default",
		    "default VPC security group");
	}
}

/* A subnet by id (other services). */
cJSON *
sim_ec2_find_subnet(struct sim_aws *sim, const char *id)
{
	return sim_ec2_find(ec2_st_array(sim_ec2_state(sim), "subnets"),
	    "subnetId", id);
}

/* A security group by id (other services). */
cJSON *
sim_ec2_find_group(struct sim_aws *sim, const char *id)
{
	return sim_ec2_find(ec2_st_array(sim_ec2_state(sim), "securityGroups"),
	    "groupId", id);
}

/* The default VPC, or NULL. */
cJSON *
sim_ec2_default_vpc(struct ec2 *e)
{
	cJSON	*v;

	cJSON_ArrayForEach(v, sim_ec2_array(e, "vpcs")) {
		if (json_bool(v, "isDefault", 0))
			return v;
	}
	return NULL;
}

/* Filter values of a VPC. */
static int
ec2_vpc_values(struct ec2 *e, const cJSON *v, const char *f, struct sq_strv *o)
{
	if (sim_ec2_tag_values(v, f, o))
		return 0;
	if (strcmp(f, "vpc-id") == 0 || strcmp(f, "cidr") == 0 ||
	    strcmp(f, "cidr-block-association.cidr-block") == 0 ||
	    strcmp(f, "is-default") == 0 || strcmp(f, "state") == 0 ||
	    strcmp(f, "owner-id") == 0 || strcmp(f, "dhcp-options-id") == 0) {
		if (v == NULL)
			return 0;
	} else
		return -1;
	if (strcmp(f, "vpc-id") == 0)
		sq_strv_add(o, sq_s(v, "vpcId"));
	else if (strcmp(f, "is-default") == 0)
		sq_strv_add(o, json_bool(v, "isDefault", 0) ? "true" : "false");
	else if (strcmp(f, "state") == 0)
		sq_strv_add(o, "available");
	else if (strcmp(f, "owner-id") == 0)
		sq_strv_add(o, sim_aws_account(e->sim));
	else if (strcmp(f, "dhcp-options-id") == 0)
		sq_strv_add(o, sq_s(v, "dhcpOptionsId"));
	else
		sq_strv_add(o, sq_s(v, "cidrBlock"));
	return 0;
}

/* One VPC item. */
static void
ec2_vpc_write(struct ec2 *e, struct xw *x, const cJSON *v)
{
	xw_str(x, "vpcId", sq_s(v, "vpcId"));
	xw_str(x, "ownerId", sim_aws_account(e->sim));
	xw_str(x, "state", "available");
	xw_str(x, "cidrBlock", sq_s(v, "cidrBlock"));
	xw_open(x, "cidrBlockAssociationSet");
	xw_open(x, "item");
	xw_str(x, "cidrBlock", sq_s(v, "cidrBlock"));
	xw_str(x, "associationId", sq_s(v, "assocId"));
	xw_open(x, "cidrBlockState");
	xw_str(x, "state", "associated");
	xw_close(x);
	xw_close(x);
	xw_close(x);
	xw_str(x, "dhcpOptionsId", sq_s(v, "dhcpOptionsId"));
	sim_ec2_write_tags(x, v);
	xw_str(x, "instanceTenancy", "default");
	xw_bool(x, "isDefault", json_bool(v, "isDefault", 0));
	xw_open(x, "blockPublicAccessStates");
	xw_str(x, "internetGatewayBlockMode", "off");
	xw_close(x);
}

static const struct ec2_kind ec2_vpc_kind = {
	"vpcSet", "vpcId", "VpcId", "vpc", "InvalidVpcID.NotFound", "vpc ID",
	"InvalidVpcID.Malformed", 5, 1000, ec2_vpc_values, ec2_vpc_write
};

/* Filter values of a subnet. */
static int
ec2_subnet_values(struct ec2 *e, const cJSON *s, const char *f,
    struct sq_strv *o)
{
	static const char *const known[] = { "subnet-id", "vpc-id",
	    "availability-zone", "availability-zone-id", "cidr-block", "cidr",
	    "cidrBlock", "default-for-az", "defaultForAz", "state",
	    "map-public-ip-on-launch", "owner-id", "subnet-arn", NULL };
	size_t	i;

	if (sim_ec2_tag_values(s, f, o))
		return 0;
	for (i = 0; known[i] != NULL && strcmp(known[i], f) != 0; i++)
		;
	if (known[i] == NULL)
		return -1;
	if (s == NULL)
		return 0;
	if (strcmp(f, "subnet-id") == 0)
		sq_strv_add(o, sq_s(s, "subnetId"));
	else if (strcmp(f, "vpc-id") == 0)
		sq_strv_add(o, sq_s(s, "vpcId"));
	else if (strcmp(f, "availability-zone") == 0)
		sq_strv_add(o, sq_s(s, "availabilityZone"));
	else if (strcmp(f, "availability-zone-id") == 0)
		sq_strv_add(o, sq_s(s, "availabilityZoneId"));
	else if (strncmp(f, "default", 7) == 0)
		sq_strv_add(o, json_bool(s, "defaultForAz", 0) ? "true"
		    : "false");
	else if (strcmp(f, "map-public-ip-on-launch") == 0)
		sq_strv_add(o, json_bool(s, "mapPublicIpOnLaunch", 0) ? "true" :
		    "false");
	else if (strcmp(f, "state") == 0)
		sq_strv_add(o, "available");
	else if (strcmp(f, "owner-id") == 0)
		sq_strv_add(o, sim_aws_account(e->sim));
	else if (strcmp(f, "subnet-arn") == 0)
		sq_strv_addf(o, "arn:aws:ec2:%s:%s:subnet/%s",
		    sim_aws_region(e->sim), sim_aws_account(e->sim),
		    sq_s(s, "subnetId"));
	else
		sq_strv_add(o, sq_s(s, "cidrBlock"));
	return 0;
}

/* Free addresses of a subnet CIDR (AWS keeps 5). */
static long
ec2_subnet_free_ips(const char *cidr)
{
	const char	*slash = strchr(cidr, '/');
	long		 bits = slash != NULL ? strtol(slash + 1, NULL, 10)
	    : 32;

	if (bits < 16 || bits > 28)
		return 0;
	return (1L << (32 - bits)) - 5;
}

/* One subnet item. */
static void
ec2_subnet_write(struct ec2 *e, struct xw *x, const cJSON *s)
{
	const char	*id = sq_s(s, "subnetId");

	xw_str(x, "subnetId", id);
	xw_fmt(x, "subnetArn", "arn:aws:ec2:%s:%s:subnet/%s",
	    sim_aws_region(e->sim), sim_aws_account(e->sim), id);
	xw_str(x, "state", "available");
	xw_str(x, "ownerId", sim_aws_account(e->sim));
	xw_str(x, "vpcId", sq_s(s, "vpcId"));
	xw_str(x, "cidrBlock", sq_s(s, "cidrBlock"));
	xw_open(x, "ipv6CidrBlockAssociationSet");
	xw_close(x);
	xw_long(x, "availableIpAddressCount",
	    ec2_subnet_free_ips(sq_s(s, "cidrBlock")));
	xw_str(x, "availabilityZone", sq_s(s, "availabilityZone"));
	xw_str(x, "availabilityZoneId", sq_s(s, "availabilityZoneId"));
	xw_bool(x, "defaultForAz", json_bool(s, "defaultForAz", 0));
	xw_bool(x, "mapPublicIpOnLaunch",
	    json_bool(s, "mapPublicIpOnLaunch", 0));
	xw_bool(x, "mapCustomerOwnedIpOnLaunch", 0);
	xw_bool(x, "assignIpv6AddressOnCreation", 0);
	xw_bool(x, "enableDns64", 0);
	xw_bool(x, "ipv6Native", 0);
	sim_ec2_write_tags(x, s);
	xw_open(x, "privateDnsNameOptionsOnLaunch");
	xw_str(x, "hostnameType", "ip-name");
	xw_bool(x, "enableResourceNameDnsARecord", 0);
	xw_bool(x, "enableResourceNameDnsAAAARecord", 0);
	xw_close(x);
	xw_open(x, "blockPublicAccessStates");
	xw_str(x, "internetGatewayBlockMode", "off");
	xw_close(x);
}

static const struct ec2_kind ec2_subnet_kind = {
	"subnetSet", "subnetId", "SubnetId", "subnet",
	"InvalidSubnetID.NotFound", "subnet ID", "InvalidSubnetID.Malformed",
	5, 1000, ec2_subnet_values, ec2_subnet_write
};

/* Add one AWS-managed prefix list to arr. */
static void
ec2_add_pl(struct ec2 *e, cJSON *arr, const char *name, const char *family,
    const char *cidr)
{
	cJSON	*pl;
	char	 hash[65], id[32];

	sigv4_sha256_hex(name, strlen(name), hash);
	snprintf(id, sizeof id, "pl-%.17s", hash);
	pl = cJSON_CreateObject();
	cJSON_AddStringToObject(pl, "prefixListId", id);
	cJSON_AddStringToObject(pl, "prefixListName", name);
	cJSON_AddStringToObject(pl, "addressFamily", family);
	cJSON_AddStringToObject(pl, "cidr", cidr);
	cJSON_AddItemToArray(arr, pl);
	(void)e;
}

/* The AWS-managed prefix lists of the region. */
cJSON *
sim_ec2_prefix_lists(struct ec2 *e)
{
	cJSON		*arr;
	const char	*r = sim_aws_region(e->sim);
	char		 name[128];

	if (e->tmp == NULL)
		e->tmp = cJSON_CreateObject();
	arr = cJSON_GetObjectItemCaseSensitive(e->tmp, "prefixLists");
	if (arr != NULL)
		return arr;
	arr = cJSON_AddArrayToObject(e->tmp, "prefixLists");
	snprintf(name, sizeof name, "com.amazonaws.%s.vpc-lattice", r);
	ec2_add_pl(e, arr, name, "IPv4", "169.254.171.0/24");
	snprintf(name, sizeof name, "com.amazonaws.%s.ipv6.vpc-lattice", r);
	ec2_add_pl(e, arr, name, "IPv6", "fd00:ec2:80::/64");
	return arr;
}

/* Filter values of a prefix list. */
static int
ec2_pl_values(struct ec2 *e, const cJSON *pl, const char *f, struct sq_strv *o)
{
	(void)e;
	if (sim_ec2_tag_values(pl, f, o))
		return 0;
	if (strcmp(f, "prefix-list-id") != 0 &&
	    strcmp(f, "prefix-list-name") != 0 && strcmp(f, "owner-id") != 0)
		return -1;
	if (pl == NULL)
		return 0;
	if (strcmp(f, "prefix-list-id") == 0)
		sq_strv_add(o, sq_s(pl, "prefixListId"));
	else if (strcmp(f, "prefix-list-name") == 0)
		sq_strv_add(o, sq_s(pl, "prefixListName"));
	else
		sq_strv_add(o, "AWS");
	return 0;
}

/* One prefix list item. */
static void
ec2_pl_write(struct ec2 *e, struct xw *x, const cJSON *pl)
{
	xw_str(x, "prefixListId", sq_s(pl, "prefixListId"));
	xw_str(x, "addressFamily", sq_s(pl, "addressFamily"));
	xw_str(x, "state", "create-complete");
	xw_fmt(x, "prefixListArn", "arn:aws:ec2:%s:aws:prefix-list/%s",
	    sim_aws_region(e->sim), sq_s(pl, "prefixListId"));
	xw_str(x, "prefixListName", sq_s(pl, "prefixListName"));
	xw_open(x, "tagSet");
	xw_close(x);
	xw_str(x, "ownerId", "AWS");
}

static const struct ec2_kind ec2_pl_kind = {
	"prefixListSet", "prefixListId", "PrefixListId", "pl",
	"InvalidPrefixListID.NotFound", "prefix list ID",
	"InvalidPrefixListID.Malformed", 1, 100, ec2_pl_values, ec2_pl_write
};

/* GetManagedPrefixListEntries. */
static void
ec2_pl_entries(struct ec2 *e)
{
	const char	*id = sim_aws_param(&e->p, "PrefixListId");
	cJSON		*pl;
	struct xw	 x;

	if (id == NULL) {
		sim_aws_error(e->call, 400, "MissingParameter", "The request "
		    "must contain the parameter PrefixListId");
		return;
	}
	if (!sim_ec2_id_valid(id, "pl")) {
		sim_aws_error(e->call, 400, "InvalidPrefixListID.Malformed",
		    "Invalid id: \"%.128s\"", id);
		return;
	}
	if ((pl = sim_ec2_find(sim_ec2_prefix_lists(e), "prefixListId",
	    id)) == NULL) {
		sim_aws_error(e->call, 400, "InvalidPrefixListID.NotFound",
		    "The prefix list ID '%s' does not exist", id);
		return;
	}
	sim_ec2_begin(e->call, &x, e->action);
	xw_open(&x, "entrySet");
	xw_open(&x, "item");
	xw_str(&x, "cidr", sq_s(pl, "cidr"));
	xw_close(&x);
	xw_close(&x);
	xw_reply(e->call, &x);
}

/* Filter values of an availability zone. */
static int
ec2_az_values(struct ec2 *e, const cJSON *z, const char *f, struct sq_strv *o)
{
	(void)e;
	if (strcmp(f, "zone-name") == 0 || strcmp(f, "zone-id") == 0 ||
	    strcmp(f, "region-name") == 0 || strcmp(f, "state") == 0 ||
	    strcmp(f, "zone-type") == 0 || strcmp(f, "group-name") == 0 ||
	    strcmp(f, "opt-in-status") == 0) {
		if (z == NULL)
			return 0;
	} else
		return -1;
	if (strcmp(f, "zone-name") == 0)
		sq_strv_add(o, sq_s(z, "zoneName"));
	else if (strcmp(f, "zone-id") == 0)
		sq_strv_add(o, sq_s(z, "zoneId"));
	else if (strcmp(f, "state") == 0)
		sq_strv_add(o, "available");
	else if (strcmp(f, "zone-type") == 0)
		sq_strv_add(o, "availability-zone");
	else if (strcmp(f, "opt-in-status") == 0)
		sq_strv_add(o, "opt-in-not-required");
	else
		sq_strv_add(o, sim_aws_region(e->sim));
	return 0;
}

/* One availability zone item. */
static void
ec2_az_write(struct ec2 *e, struct xw *x, const cJSON *z)
{
	const char	*r = sim_aws_region(e->sim);

	xw_str(x, "zoneName", sq_s(z, "zoneName"));
	xw_str(x, "zoneId", sq_s(z, "zoneId"));
	xw_str(x, "zoneState", "available");
	xw_str(x, "optInStatus", "opt-in-not-required");
	xw_open(x, "messageSet");
	xw_close(x);
	xw_str(x, "regionName", r);
	xw_str(x, "groupName", r);
	xw_str(x, "networkBorderGroup", r);
	xw_str(x, "zoneType", "availability-zone");
}

static const struct ec2_kind ec2_az_kind = {
	"availabilityZoneInfo", "zoneName", NULL, NULL, NULL, NULL, NULL, 0, 0,
	ec2_az_values, ec2_az_write
};

/* DescribeAvailabilityZones (ZoneName.N / ZoneId.N select). */
static void
ec2_describe_azs(struct ec2 *e)
{
	cJSON		*arr, *z;
	const char	**names, **ids;
	size_t		 nn, ni, i, j;
	char		 abbr[16], buf[64];
	int		 keep;

	ec2_region_abbrev(sim_aws_region(e->sim), abbr);
	nn = sq_list(&e->p, "ZoneName", &names);
	ni = sq_list(&e->p, "ZoneId", &ids);
	arr = cJSON_CreateArray();
	for (i = 0; i < 4; i++) {
		z = cJSON_CreateObject();
		snprintf(buf, sizeof buf, "%s%c", sim_aws_region(e->sim),
		    (int)('a' + i));
		cJSON_AddStringToObject(z, "zoneName", buf);
		keep = nn == 0 && ni == 0;
		for (j = 0; j < nn; j++)
			keep |= strcmp(names[j], buf) == 0;
		snprintf(buf, sizeof buf, "%s-az%zu", abbr, i + 1);
		cJSON_AddStringToObject(z, "zoneId", buf);
		for (j = 0; j < ni; j++)
			keep |= strcmp(ids[j], buf) == 0;
		if (keep)
			cJSON_AddItemToArray(arr, z);
		else
			cJSON_Delete(z);
	}
	sim_ec2_describe(e, &ec2_az_kind, arr);
	cJSON_Delete(arr);
	free(names);
	free(ids);
}

/* The resource type of an id ("vpc", "subnet", "security-group"). */
static const char *
ec2_rtype(const char *id)
{
	if (strncmp(id, "vpc-", 4) == 0)
		return "vpc";
	if (strncmp(id, "subnet-", 7) == 0)
		return "subnet";
	if (strncmp(id, "sg-", 3) == 0)
		return "security-group";
	return NULL;
}

/* Every tag as a DescribeTags record. */
static cJSON *
ec2_tag_records(struct ec2 *e)
{
	static const char *const arrays[][2] = { { "vpcs", "vpcId" },
	    { "subnets", "subnetId" }, { "securityGroups", "groupId" } };
	cJSON		*out, *rec, *t, *r;
	size_t		 i;

	out = cJSON_CreateArray();
	for (i = 0; i < 3; i++) {
		cJSON_ArrayForEach(rec, sim_ec2_array(e, arrays[i][0])) {
			const char *id = sq_s(rec, arrays[i][1]);

			cJSON_ArrayForEach(t, cJSON_GetObjectItemCaseSensitive(
			    rec, "tags")) {
				r = cJSON_CreateObject();
				cJSON_AddStringToObject(r, "resourceId", id);
				cJSON_AddStringToObject(r, "resourceType",
				    ec2_rtype(id));
				json_add_str_opt(r, "key", json_str(t, "Key"));
				json_add_str_opt(r, "value",
				    sq_s(t, "Value"));
				cJSON_AddItemToArray(out, r);
			}
		}
	}
	return out;
}

/* Filter values of a tag record. */
static int
ec2_tagrec_values(struct ec2 *e, const cJSON *t, const char *f,
    struct sq_strv *o)
{
	const char	*m;

	(void)e;
	if (strcmp(f, "resource-id") == 0)
		m = "resourceId";
	else if (strcmp(f, "resource-type") == 0)
		m = "resourceType";
	else if (strcmp(f, "key") == 0)
		m = "key";
	else if (strcmp(f, "value") == 0)
		m = "value";
	else if (strncmp(f, "tag:", 4) == 0) {
		if (t != NULL && strcmp(sq_s(t, "key"), f + 4) == 0)
			sq_strv_add(o, sq_s(t, "value"));
		return 0;
	} else
		return -1;
	if (t != NULL)
		sq_strv_add(o, sq_s(t, m));
	return 0;
}

/* One DescribeTags item. */
static void
ec2_tagrec_write(struct ec2 *e, struct xw *x, const cJSON *t)
{
	(void)e;
	xw_str(x, "resourceId", sq_s(t, "resourceId"));
	xw_str(x, "resourceType", sq_s(t, "resourceType"));
	xw_str(x, "key", sq_s(t, "key"));
	xw_str(x, "value", sq_s(t, "value"));
}

static const struct ec2_kind ec2_tag_kind = {
	"tagSet", "resourceId", NULL, NULL, NULL, NULL, NULL, 5, 1000,
	ec2_tagrec_values, ec2_tagrec_write
};

/* DescribeTags. */
static void
ec2_describe_tags(struct ec2 *e)
{
	cJSON	*arr = ec2_tag_records(e);

	sim_ec2_describe(e, &ec2_tag_kind, arr);
	cJSON_Delete(arr);
}

/* The taggable record of an id, or NULL with the error answered. */
static cJSON *
ec2_taggable(struct ec2 *e, const char *id)
{
	const char	*rt = ec2_rtype(id);
	cJSON		*rec = NULL;

	if (rt == NULL || (strcmp(rt, "vpc") == 0 && !sim_ec2_id_valid(id,
	    "vpc"))
	    || (strcmp(rt, "subnet") == 0 && !sim_ec2_id_valid(id, "subnet")) ||
	    (strcmp(rt, "security-group") == 0 && !sim_ec2_id_valid(id,
	    "sg"))) {
		sim_aws_error(e->call, 400, "InvalidID", "The ID '%.128s' is "
		    "not valid", id);
		return NULL;
	}
	if (strcmp(rt, "vpc") == 0 &&
	    (rec = sim_ec2_find(sim_ec2_array(e, "vpcs"), "vpcId", id)) == NULL)
		sim_aws_error(e->call, 400, "InvalidVpcID.NotFound", "The vpc "
		    "ID '%s' does not exist", id);
	else if (strcmp(rt, "subnet") == 0 &&
	    (rec = sim_ec2_find(sim_ec2_array(e,
	    "subnets"), "subnetId", id)) == NULL)
		sim_aws_error(e->call, 400, "InvalidSubnetID.NotFound", "The "
		    "subnet ID '%s' does not exist", id);
	else if (strcmp(rt, "security-group") == 0 && (rec = sim_ec2_find(
	    sim_ec2_array(e, "securityGroups"), "groupId", id)) == NULL)
		sim_aws_error(e->call, 400, "InvalidGroup.NotFound", "The "
		    "security group '%s' does not exist", id);
	return rec;
}

/* CreateTags / DeleteTags. */
static void
ec2_tags_write(struct ec2 *e)
{
	const char	**ids, *k, *v, *old;
	cJSON		**recs;
	int		 *idx, del = strcmp(e->action, "DeleteTags") == 0;
	size_t		  n, nt, i, j;
	struct xw	  x;

	n = sq_list(&e->p, "ResourceId", &ids);
	recs = xcalloc(n + 1, sizeof *recs);
	nt = sq_indexes(&e->p, "Tag", &idx);
	if (n == 0)
		sim_aws_error(e->call, 400, "MissingParameter", "The request "
		    "must contain the parameter resourceIdSet");
	for (i = 0; i < n; i++) {
		if ((recs[i] = ec2_taggable(e, ids[i])) == NULL)
			goto out;
	}
	for (i = 0; i < n && !del; i++) {
		if (ec2_add_tag_list(e, recs[i], "Tag") != 0)
			goto out;
	}
	for (i = 0; i < n && del; i++) {
		for (j = 0; j < nt; j++) {
			k = sq_param(&e->p, "Tag.%d.Key", idx[j]);
			v = sq_param(&e->p, "Tag.%d.Value", idx[j]);
			old = k != NULL ? sim_ec2_tag(recs[i], k) : NULL;
			if (old == NULL || (v != NULL && strcmp(v, old) != 0))
				continue;
			ec2_del_tag(recs[i], k);
		}
	}
	if (n > 0) {
		sim_ec2_begin(e->call, &x, e->action);
		xw_bool(&x, "return", 1);
		xw_reply(e->call, &x);
	}
out:
	free(ids);
	free(recs);
	free(idx);
}

/* DescribeVpcs. */
static void
ec2_describe_vpcs(struct ec2 *e)
{
	sim_ec2_describe(e, &ec2_vpc_kind, sim_ec2_array(e, "vpcs"));
}

/* DescribeSubnets. */
static void
ec2_describe_subnets(struct ec2 *e)
{
	sim_ec2_describe(e, &ec2_subnet_kind, sim_ec2_array(e, "subnets"));
}

/* DescribeManagedPrefixLists. */
static void
ec2_describe_pls(struct ec2 *e)
{
	sim_ec2_describe(e, &ec2_pl_kind, sim_ec2_prefix_lists(e));
}

static const struct {
	const char	*action;
	void		(*fn)(struct ec2 *);
} ec2_ops[] = {
	{ "DescribeVpcs", ec2_describe_vpcs },
	{ "DescribeSubnets", ec2_describe_subnets },
	{ "DescribeSecurityGroups", sim_ec2_describe_sgs },
	{ "DescribeSecurityGroupRules", sim_ec2_describe_sg_rules },
	{ "DescribeManagedPrefixLists", ec2_describe_pls },
	{ "GetManagedPrefixListEntries", ec2_pl_entries },
	{ "AuthorizeSecurityGroupIngress", sim_ec2_authorize },
	{ "AuthorizeSecurityGroupEgress", sim_ec2_authorize },
	{ "RevokeSecurityGroupIngress", sim_ec2_revoke },
	{ "RevokeSecurityGroupEgress", sim_ec2_revoke },
	{ "CreateSecurityGroup", sim_ec2_create_sg },
	{ "DeleteSecurityGroup", sim_ec2_delete_sg },
	{ "DescribeAvailabilityZones", ec2_describe_azs },
	{ "DescribeTags", ec2_describe_tags },
	{ "CreateTags", ec2_tags_write },
	{ "DeleteTags", ec2_tags_write },
};

/* Serve one EC2 request. */
static void
ec2_handle(struct sim_aws_call *call)
{
	struct ec2	e;
	size_t		i;

	memset(&e, 0, sizeof e);
	e.call = call;
	e.sim = call->sim;
	e.st = sim_ec2_state(call->sim);
	sq_params(call, &e.p);
	e.action = sim_aws_param(&e.p, "Action");
	for (i = 0; e.action != NULL && i < sizeof ec2_ops / sizeof ec2_ops[0];
	    i++) {
		if (strcmp(ec2_ops[i].action, e.action) == 0)
			break;
	}
	if (e.action == NULL)
		sim_aws_error(call, 400, "MissingAction", "The request must "
		    "contain the parameter Action");
	else if (i == sizeof ec2_ops / sizeof ec2_ops[0])
		sim_aws_unknown_op(call, e.action);
	else if (!sim_ec2_dry_run(&e))
		ec2_ops[i].fn(&e);
	sim_aws_params_free(&e.p);
	cJSON_Delete(e.tmp);
}
