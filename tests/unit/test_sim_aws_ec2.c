/* Tests for the simulated EC2 (src/sim/aws_ec2*.c): signed query requests
 * through sim_aws_handle, XML answers read with XPath. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "test_sim_svcs.h"

#define PL_NAME		"com.amazonaws." SIM_REGION ".vpc-lattice"
#define PL6_NAME	"com.amazonaws." SIM_REGION ".ipv6.vpc-lattice"

/* Does s look like PREFIX-<17 hex>? */
static int
id17(const char *s, const char *prefix)
{
	size_t	n = strlen(prefix);

	return s != NULL && strncmp(s, prefix, n) == 0 && s[n] == '-' &&
	    strlen(s + n + 1) == 17 &&
	    strspn(s + n + 1, "0123456789abcdef") == 17;
}

/* The id of the lab's client VPC. */
static char *
lab_vpc(struct sim_aws *sim)
{
	struct sreply	 r;
	char		*id;

	r = ec2_q(sim, "Action=DescribeVpcs&Version=2016-11-15&Filter.1.Name="
	    "tag%3AName&Filter.1.Value.1=" SIM_LAB_CLIENTS_VPC);
	assert_int_equal(r.status, 200);
	id = xp_text(r.body, "vpcSet/item/vpcId");
	sreply_free(&r);
	return id;
}

/* The id of a prefix list by name. */
static char *
pl_id(struct sim_aws *sim, const char *name)
{
	struct sreply	 r;
	char		*form, *id;

	xasprintf(&form, "Action=DescribeManagedPrefixLists&Version=2016-11-15"
	    "&Filter.1.Name=prefix-list-name&Filter.1.Value.1=%s", name);
	r = ec2_q(sim, form);
	free(form);
	assert_int_equal(r.status, 200);
	assert_int_equal(xp_count(r.body, "prefixListSet/item"), 1);
	id = xp_text(r.body, "prefixListSet/item/prefixListId");
	sreply_free(&r);
	return id;
}

/* A new security group in the client VPC. */
static char *
new_sg(struct sim_aws *sim, const char *name)
{
	struct sreply	 r;
	char		*vpc = lab_vpc(sim), *form, *id;

	xasprintf(&form, "Action=CreateSecurityGroup&Version=2016-11-15"
	    "&GroupName=%s&GroupDescription=test+group&VpcId=%s", name, vpc);
	r = ec2_q(sim, form);
	assert_int_equal(r.status, 200);
	id = xp_text(r.body, "groupId");
	assert_true(id17(id, "sg"));
	free(form);
	free(vpc);
	sreply_free(&r);
	return id;
}

/* Expect an EC2 error answer with code and status. */
static void
expect_error(struct sreply *r, int status, const char *code)
{
	char	*c = xp_code(r->body);

	assert_int_equal(r->status, status);
	assert_non_null(c);
	assert_string_equal(c, code);
	assert_int_equal(xp_count(r->body, "Response/RequestID"), 1);
	free(c);
	sreply_free(r);
}

/* DescribeVpcs by Name tag: the lab VPC, in EC2's shape. */
static void
test_describe_vpcs(void **state)
{
	struct sim_aws	*sim = sim_lab_new(0, 0);
	struct sreply	 r;
	char		*t;

	(void)state;
	r = ec2_q(sim, "Action=DescribeVpcs&Version=2016-11-15&Filter.1.Name="
	    "tag%3AName&Filter.1.Value.1=" SIM_LAB_CLIENTS_VPC);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "<DescribeVpcsResponse xmlns=\""
	    "http://ec2.amazonaws.com/doc/2016-11-15/\">"));
	assert_int_equal(xp_count(r.body, "DescribeVpcsResponse/requestId"), 1);
	assert_int_equal(xp_count(r.body, "vpcSet/item"), 1);
	t = xp_text(r.body, "vpcSet/item/vpcId");
	assert_true(id17(t, "vpc"));
	free(t);
	t = xp_text(r.body, "vpcSet/item/cidrBlock");
	assert_string_equal(t, "10.0.0.0/16");
	free(t);
	t = xp_text(r.body, "vpcSet/item/isDefault");
	assert_string_equal(t, "false");
	free(t);
	sreply_free(&r);
	r = ec2_q(sim, "Action=DescribeVpcs&Version=2016-11-15&Filter.1.Name="
	    "is-default&Filter.1.Value.1=true");
	assert_int_equal(xp_count(r.body, "vpcSet/item"), 1);
	t = xp_text(r.body, "vpcSet/item/cidrBlock");
	assert_string_equal(t, "172.31.0.0/16");
	free(t);
	sreply_free(&r);
	r = ec2_q(sim, "Action=DescribeVpcs&Version=2016-11-15");
	assert_int_equal(xp_count(r.body, "vpcSet/item"), 3);
	sreply_free(&r);
	sim_aws_free(sim);
}

/* DescribeVpcs errors: unknown filter, missing and malformed ids. */
static void
test_describe_vpcs_errors(void **state)
{
	struct sim_aws	*sim = sim_lab_new(0, 0);
	struct sreply	 r;

	(void)state;
	r = ec2_q(sim, "Action=DescribeVpcs&Filter.1.Name=bogus&"
	    "Filter.1.Value.1=x");
	expect_error(&r, 400, "InvalidParameterValue");
	r = ec2_q(sim, "Action=DescribeVpcs&VpcId.1=vpc-0123456789abcdef0");
	expect_error(&r, 400, "InvalidVpcID.NotFound");
	r = ec2_q(sim, "Action=DescribeVpcs&VpcId.1=nonsense");
	expect_error(&r, 400, "InvalidVpcID.Malformed");
	r = ec2_q(sim, "Action=DescribeVpcs&VpcId.1=vpc-0123456789abcdef0&"
	    "MaxResults=5");
	expect_error(&r, 400, "InvalidParameterCombination");
	sim_aws_free(sim);
}

/* DescribeSubnets: vpc-id plus a wildcard Name filter, ids, zones. */
static void
test_describe_subnets(void **state)
{
	struct sim_aws	*sim = sim_lab_new(0, 0);
	struct sreply	 r, r2;
	char		*vpc = lab_vpc(sim), *form, *t, *id;
	int		 i;

	(void)state;
	xasprintf(&form, "Action=DescribeSubnets&Version=2016-11-15"
	    "&Filter.1.Name=vpc-id&Filter.1.Value.1=%s&Filter.2.Name="
	    "tag%%3AName&Filter.2.Value.1=LatticeWorkshop-Client-"
	    "PrivateSubnet0*", vpc);
	r = ec2_q(sim, form);
	free(form);
	assert_int_equal(r.status, 200);
	assert_int_equal(xp_count(r.body, "subnetSet/item"), 3);
	for (i = 0; i < 3; i++) {
		xp_eval(r.body, "subnetSet/item/cidrBlock", i, &t);
		assert_int_equal(t[5], '3' + i);
		free(t);
		xp_eval(r.body, "subnetSet/item/availabilityZone", i, &t);
		assert_int_equal(t[strlen(t) - 1], 'a' + i);
		free(t);
	}
	t = xp_text(r.body, "subnetSet/item/availabilityZoneId");
	assert_string_equal(t, "usw2-az1");
	free(t);
	t = xp_text(r.body, "subnetSet/item/mapPublicIpOnLaunch");
	assert_string_equal(t, "false");
	free(t);
	id = xp_text(r.body, "subnetSet/item/subnetId");
	assert_true(id17(id, "subnet"));
	xasprintf(&form, "Action=DescribeSubnets&SubnetId.1=%s", id);
	r2 = ec2_q(sim, form);
	free(form);
	assert_int_equal(xp_count(r2.body, "subnetSet/item"), 1);
	t = xp_text(r2.body, "subnetSet/item/tagSet/item/value");
	assert_string_equal(t, "LatticeWorkshop-Client-PrivateSubnet01");
	free(t);
	t = xp_text(r2.body, "subnetSet/item/availableIpAddressCount");
	assert_string_equal(t, "251");
	free(t);
	sreply_free(&r2);
	r2 = ec2_q(sim, "Action=DescribeSubnets&SubnetId.1="
	    "subnet-0123456789abcdef0");
	expect_error(&r2, 400, "InvalidSubnetID.NotFound");
	free(id);
	free(vpc);
	sreply_free(&r);
	sim_aws_free(sim);
}

/* MaxResults/NextToken page through every subnet once. */
static void
test_describe_subnets_pages(void **state)
{
	struct sim_aws	*sim = sim_lab_new(0, 0);
	struct sreply	 r;
	char		*tok = NULL, *form, *enc;
	int		 total = 0, pages = 0;
	size_t		 i;

	(void)state;
	do {
		if (tok != NULL) {
			struct strbuf sb = STRBUF_INIT;

			for (i = 0; tok[i] != '\0'; i++)
				strbuf_addf(&sb, tok[i] == '=' ? "%%3D" :
				    tok[i] == '+' ? "%%2B" : tok[i] == '/' ?
				    "%%2F" : "%c", tok[i]);
			enc = strbuf_detach(&sb, NULL);
			xasprintf(&form, "Action=DescribeSubnets&MaxResults=5&"
			    "NextToken=%s", enc);
			free(enc);
		} else
			form = xstrdup("Action=DescribeSubnets&MaxResults=5");
		r = ec2_q(sim, form);
		free(form);
		free(tok);
		assert_int_equal(r.status, 200);
		total += xp_count(r.body, "subnetSet/item");
		tok = xp_text(r.body, "nextToken");
		pages++;
		sreply_free(&r);
	} while (tok != NULL && pages < 10);
	assert_int_equal(total, 16);	/* 4 default + 2 x 6 lab */
	assert_int_equal(pages, 4);
	r = ec2_q(sim, "Action=DescribeSubnets&MaxResults=2");
	expect_error(&r, 400, "InvalidParameterValue");
	sim_aws_free(sim);
}

/* The AWS-managed Lattice prefix lists and their entries. */
static void
test_prefix_lists(void **state)
{
	struct sim_aws	*sim = sim_lab_new(0, 0);
	struct sreply	 r;
	char		*id, *id6, *form, *t;

	(void)state;
	id = pl_id(sim, PL_NAME);
	id6 = pl_id(sim, PL6_NAME);
	assert_true(id17(id, "pl"));
	assert_string_not_equal(id, id6);
	r = ec2_q(sim, "Action=DescribeManagedPrefixLists&Filter.1.Name="
	    "prefix-list-name&Filter.1.Value.1=" PL_NAME);
	t = xp_text(r.body, "prefixListSet/item/ownerId");
	assert_string_equal(t, "AWS");
	free(t);
	t = xp_text(r.body, "prefixListSet/item/prefixListArn");
	assert_non_null(strstr(t, ":aws:prefix-list/pl-"));
	free(t);
	t = xp_text(r.body, "prefixListSet/item/addressFamily");
	assert_string_equal(t, "IPv4");
	free(t);
	sreply_free(&r);
	xasprintf(&form, "Action=GetManagedPrefixListEntries&PrefixListId=%s",
	    id);
	r = ec2_q(sim, form);
	free(form);
	t = xp_text(r.body, "entrySet/item/cidr");
	assert_string_equal(t, "169.254.171.0/24");
	free(t);
	sreply_free(&r);
	xasprintf(&form, "Action=GetManagedPrefixListEntries&PrefixListId=%s",
	    id6);
	r = ec2_q(sim, form);
	free(form);
	t = xp_text(r.body, "entrySet/item/cidr");
	assert_string_equal(t, "fd00:ec2:80::/64");
	free(t);
	sreply_free(&r);
	r = ec2_q(sim, "Action=GetManagedPrefixListEntries&PrefixListId="
	    "pl-0123456789abcdef0");
	expect_error(&r, 400, "InvalidPrefixListID.NotFound");
	r = ec2_q(sim, "Action=GetManagedPrefixListEntries");
	expect_error(&r, 400, "MissingParameter");
	free(id);
	free(id6);
	sim_aws_free(sim);
}

/* The lab's rule: all traffic from the Lattice prefix list; duplicate,
 * the filter moto lacks, the rules view, revoke twice. */
static void
test_authorize_prefix_list(void **state)
{
	struct sim_aws	*sim = sim_lab_new(0, 0);
	struct sreply	 r;
	char		*sg = new_sg(sim, "lab"), *pl = pl_id(sim, PL_NAME);
	char		*form, *t, *auth;

	(void)state;
	xasprintf(&auth, "Action=AuthorizeSecurityGroupIngress&Version="
	    "2016-11-15&GroupId=%s&IpPermissions.1.IpProtocol=-1&"
	    "IpPermissions.1.PrefixListIds.1.PrefixListId=%s&"
	    "IpPermissions.1.PrefixListIds.1.Description=lattice", sg, pl);
	r = ec2_q(sim, auth);
	assert_int_equal(r.status, 200);
	t = xp_text(r.body, "return");
	assert_string_equal(t, "true");
	free(t);
	t = xp_text(r.body, "securityGroupRuleSet/item/securityGroupRuleId");
	assert_true(id17(t, "sgr"));
	free(t);
	t = xp_text(r.body, "securityGroupRuleSet/item/prefixListId");
	assert_string_equal(t, pl);
	free(t);
	sreply_free(&r);
	r = ec2_q(sim, auth);
	assert_non_null(strstr(r.body, "ALL, ALLOW"));
	expect_error(&r, 400, "InvalidPermission.Duplicate");
	xasprintf(&form, "Action=DescribeSecurityGroups&Filter.1.Name="
	    "ip-permission.prefix-list-id&Filter.1.Value.1=%s", pl);
	r = ec2_q(sim, form);
	free(form);
	assert_int_equal(xp_count(r.body, "securityGroupInfo/item"), 1);
	t = xp_text(r.body, "ipPermissions/item/prefixListIds/item/"
	    "prefixListId");
	assert_string_equal(t, pl);
	free(t);
	t = xp_text(r.body, "ipPermissions/item/prefixListIds/item/"
	    "description");
	assert_string_equal(t, "lattice");
	free(t);
	t = xp_text(r.body, "ipPermissionsEgress/item/ipRanges/item/cidrIp");
	assert_string_equal(t, "0.0.0.0/0");
	free(t);
	sreply_free(&r);
	xasprintf(&form, "Action=DescribeSecurityGroupRules&Filter.1.Name="
	    "group-id&Filter.1.Value.1=%s", sg);
	r = ec2_q(sim, form);
	free(form);
	assert_int_equal(xp_count(r.body, "securityGroupRuleSet/item"), 2);
	assert_int_equal(xp_count(r.body, "securityGroupRuleSet/item/"
	    "prefixListId"), 1);
	sreply_free(&r);
	form = xstrdup(auth);
	memcpy(form + strlen("Action="), "Revoke", 6);
	memmove(form + 13, form + 16, strlen(form + 16) + 1);
	r = ec2_q(sim, form);
	assert_int_equal(r.status, 200);
	assert_int_equal(xp_count(r.body, "revokedSecurityGroupRuleSet/item"),
	    1);
	sreply_free(&r);
	r = ec2_q(sim, form);
	expect_error(&r, 400, "InvalidPermission.NotFound");
	free(form);
	free(auth);
	free(sg);
	free(pl);
	sim_aws_free(sim);
}

/* TCP ports, CIDRs, protocols and their errors. */
static void
test_authorize_cidr(void **state)
{
	struct sim_aws	*sim = sim_lab_new(0, 0);
	struct sreply	 r;
	char		*sg = new_sg(sim, "web"), *form, *t;

	(void)state;
	xasprintf(&form, "Action=AuthorizeSecurityGroupIngress&GroupId=%s&"
	    "IpPermissions.1.IpProtocol=tcp&IpPermissions.1.FromPort=443&"
	    "IpPermissions.1.ToPort=443&IpPermissions.1.IpRanges.1.CidrIp="
	    "10.0.0.0%%2F16&IpPermissions.1.Ipv6Ranges.1.CidrIpv6="
	    "%%3A%%3A%%2F0", sg);
	r = ec2_q(sim, form);
	free(form);
	assert_int_equal(r.status, 200);
	assert_int_equal(xp_count(r.body, "securityGroupRuleSet/item"), 2);
	t = xp_text(r.body, "securityGroupRuleSet/item/fromPort");
	assert_string_equal(t, "443");
	free(t);
	sreply_free(&r);
	xasprintf(&form, "Action=DescribeSecurityGroups&GroupId.1=%s", sg);
	r = ec2_q(sim, form);
	free(form);
	assert_int_equal(xp_count(r.body, "ipPermissions/item"), 1);
	t = xp_text(r.body, "ipPermissions/item/ipv6Ranges/item/cidrIpv6");
	assert_string_equal(t, "::/0");
	free(t);
	sreply_free(&r);
	xasprintf(&form, "Action=AuthorizeSecurityGroupIngress&GroupId=%s&"
	    "IpPermissions.1.IpProtocol=tcp&IpPermissions.1.IpRanges.1.CidrIp="
	    "10.0.0.0%%2F16", sg);
	r = ec2_q(sim, form);
	free(form);
	expect_error(&r, 400, "InvalidParameterValue");
	xasprintf(&form, "Action=AuthorizeSecurityGroupIngress&GroupId=%s&"
	    "IpPermissions.1.IpProtocol=-1&IpPermissions.1.IpRanges.1.CidrIp="
	    "10.0.0.300%%2F16", sg);
	r = ec2_q(sim, form);
	free(form);
	expect_error(&r, 400, "InvalidParameterValue");
	xasprintf(&form, "Action=AuthorizeSecurityGroupIngress&GroupId=%s&"
	    "IpPermissions.1.IpProtocol=bogus&IpPermissions.1.IpRanges.1."
	    "CidrIp=10.0.0.0%%2F8", sg);
	r = ec2_q(sim, form);
	free(form);
	expect_error(&r, 400, "InvalidParameterValue");
	r = ec2_q(sim, "Action=AuthorizeSecurityGroupIngress&GroupId="
	    "sg-0123456789abcdef0&IpPermissions.1.IpProtocol=-1&"
	    "IpPermissions.1.IpRanges.1.CidrIp=10.0.0.0%2F8");
	expect_error(&r, 400, "InvalidGroup.NotFound");
	xasprintf(&form, "Action=AuthorizeSecurityGroupIngress&GroupId=%s&"
	    "IpPermissions.1.IpProtocol=-1&IpPermissions.1.PrefixListIds.1."
	    "PrefixListId=pl-0123456789abcdef0", sg);
	r = ec2_q(sim, form);
	free(form);
	expect_error(&r, 400, "InvalidPrefixListID.NotFound");
	free(sg);
	sim_aws_free(sim);
}

/* CreateSecurityGroup and DeleteSecurityGroup rules. */
static void
test_security_group_lifecycle(void **state)
{
	struct sim_aws	*sim = sim_lab_new(0, 0);
	struct sreply	 r;
	char		*sg = new_sg(sim, "one"), *vpc = lab_vpc(sim), *form;
	char		*t, *def;

	(void)state;
	xasprintf(&form, "Action=CreateSecurityGroup&GroupName=one&"
	    "GroupDescription=again&VpcId=%s", vpc);
	r = ec2_q(sim, form);
	free(form);
	expect_error(&r, 400, "InvalidGroup.Duplicate");
	xasprintf(&form, "Action=DescribeSecurityGroups&Filter.1.Name=vpc-id&"
	    "Filter.1.Value.1=%s&Filter.2.Name=group-name&Filter.2.Value.1="
	    "default", vpc);
	r = ec2_q(sim, form);
	free(form);
	def = xp_text(r.body, "securityGroupInfo/item/groupId");
	assert_true(id17(def, "sg"));
	t = xp_text(r.body, "ipPermissions/item/groups/item/groupId");
	assert_string_equal(t, def);
	free(t);
	sreply_free(&r);
	xasprintf(&form, "Action=DeleteSecurityGroup&GroupId=%s", def);
	r = ec2_q(sim, form);
	free(form);
	expect_error(&r, 400, "CannotDelete");
	xasprintf(&form, "Action=DeleteSecurityGroup&GroupId=%s", sg);
	r = ec2_q(sim, form);
	assert_int_equal(r.status, 200);
	sreply_free(&r);
	r = ec2_q(sim, form);
	expect_error(&r, 400, "InvalidGroup.NotFound");
	free(form);
	r = ec2_q(sim, "Action=CreateSecurityGroup&GroupName=sg-x&"
	    "GroupDescription=d");
	expect_error(&r, 400, "InvalidParameterValue");
	r = ec2_q(sim, "Action=CreateSecurityGroup&GroupName=x");
	expect_error(&r, 400, "MissingParameter");
	free(def);
	free(sg);
	free(vpc);
	sim_aws_free(sim);
}

/* Tags: CreateTags, DescribeTags, DeleteTags, TagSpecification. */
static void
test_tags(void **state)
{
	struct sim_aws	*sim = sim_lab_new(0, 0);
	struct sreply	 r;
	char		*vpc = lab_vpc(sim), *form, *t;

	(void)state;
	xasprintf(&form, "Action=CreateTags&ResourceId.1=%s&Tag.1.Key=team&"
	    "Tag.1.Value=net", vpc);
	r = ec2_q(sim, form);
	free(form);
	assert_int_equal(r.status, 200);
	sreply_free(&r);
	r = ec2_q(sim, "Action=DescribeTags&Filter.1.Name=key&Filter.1.Value.1="
	    "team");
	assert_int_equal(xp_count(r.body, "tagSet/item"), 1);
	t = xp_text(r.body, "tagSet/item/resourceId");
	assert_string_equal(t, vpc);
	free(t);
	sreply_free(&r);
	xasprintf(&form, "Action=DeleteTags&ResourceId.1=%s&Tag.1.Key=team",
	    vpc);
	r = ec2_q(sim, form);
	free(form);
	sreply_free(&r);
	r = ec2_q(sim, "Action=DescribeTags&Filter.1.Name=key&Filter.1.Value.1="
	    "team");
	assert_int_equal(xp_count(r.body, "tagSet/item"), 0);
	sreply_free(&r);
	xasprintf(&form, "Action=CreateTags&ResourceId.1=%s&Tag.1.Key=aws%%3Ax&"
	    "Tag.1.Value=v", vpc);
	r = ec2_q(sim, form);
	free(form);
	expect_error(&r, 400, "InvalidParameterValue");
	r = ec2_q(sim, "Action=CreateSecurityGroup&GroupName=tagged&"
	    "GroupDescription=d&TagSpecification.1.ResourceType=security-group"
	    "&TagSpecification.1.Tag.1.Key=Name&TagSpecification.1.Tag.1.Value"
	    "=nice");
	t = xp_text(r.body, "tagSet/item/value");
	assert_string_equal(t, "nice");
	free(t);
	sreply_free(&r);
	free(vpc);
	sim_aws_free(sim);
}

/* Zones, unknown actions, DryRun, a wrong signature. */
static void
test_misc(void **state)
{
	struct sim_aws	*sim = sim_lab_new(0, 0);
	struct sreply	 r;
	struct aws_creds c = sim_admin_creds();
	char		*t;

	(void)state;
	r = ec2_q(sim, "Action=DescribeAvailabilityZones&Version=2016-11-15");
	assert_int_equal(xp_count(r.body, "availabilityZoneInfo/item"), 4);
	t = xp_text(r.body, "availabilityZoneInfo/item/zoneName");
	assert_string_equal(t, SIM_REGION "a");
	free(t);
	sreply_free(&r);
	r = ec2_q(sim, "Action=RunInstances&Version=2016-11-15");
	expect_error(&r, 400, "InvalidAction");
	r = ec2_q(sim, "Action=DescribeVpcs&DryRun=true");
	expect_error(&r, 412, "DryRunOperation");
	c.secret_access_key = (char *)"wrong";
	r = sim_form(sim, "ec2", "Action=DescribeVpcs", &c);
	expect_error(&r, 401, "AuthFailure");
	sim_aws_free(sim);
}

/* The state survives save and load; seeding twice adds nothing. */
static void
test_save_load(void **state)
{
	struct sim_aws	*sim = sim_lab_new(0, 0), *sim2;
	cJSON		*saved;
	char		*vpc = lab_vpc(sim), *vpc2, *cause = NULL;
	struct sreply	 r;

	(void)state;
	saved = sim_aws_save(sim);
	sim2 = sim_aws_new(NULL);
	sim_aws_register_lab(sim2);
	assert_int_equal(sim_aws_load(sim2, saved, &cause), 0);
	sim_aws_seed_lab(sim2);
	vpc2 = lab_vpc(sim2);
	assert_string_equal(vpc, vpc2);
	r = ec2_q(sim2, "Action=DescribeVpcs");
	assert_int_equal(xp_count(r.body, "vpcSet/item"), 3);
	sreply_free(&r);
	cJSON_Delete(saved);
	free(vpc);
	free(vpc2);
	sim_aws_free(sim);
	sim_aws_free(sim2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_describe_vpcs),
		cmocka_unit_test(test_describe_vpcs_errors),
		cmocka_unit_test(test_describe_subnets),
		cmocka_unit_test(test_describe_subnets_pages),
		cmocka_unit_test(test_prefix_lists),
		cmocka_unit_test(test_authorize_prefix_list),
		cmocka_unit_test(test_authorize_cidr),
		cmocka_unit_test(test_security_group_lifecycle),
		cmocka_unit_test(test_tags),
		cmocka_unit_test(test_misc),
		cmocka_unit_test(test_save_load),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
