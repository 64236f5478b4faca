/* EC2 client tests against the canned transport: form fields sent, typed
 * results from real-shaped XML, NextToken pages, error XML. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/ec2.h"
#include "latticectl/http.h"
#include "latticectl/xmalloc.h"
#include "testlib.h"

#define NS "xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\""

/* Operations the tests below exercised (checked at the end). */
static struct test_ops ec2_ops = { .svc = "ec2", .names = {
	"DescribeVpcs", "DescribeSubnets", "DescribeSecurityGroups",
	"DescribeSecurityGroupRules", "DescribeManagedPrefixLists",
	"GetManagedPrefixListEntries", "AuthorizeSecurityGroupIngress",
	"RevokeSecurityGroupIngress", NULL
} };

/* Assert that request i is op with exactly these extra fields. */
static void
check_form(struct canned *c, size_t i, const char *op, size_t nfields,
    const char *const *kv)
{
	canned_check_form(c, i, op, "2016-11-15", nfields, kv);
	test_ops_seen(&ec2_ops, op);
}

static const char vpcs_page1[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<DescribeVpcsResponse " NS ">\n"
    "  <requestId>7a62c49f-347e-4fc4-9331-6e8eEXAMPLE</requestId>\n"
    "  <vpcSet>\n"
    "    <item>\n"
    "      <cidrBlock>10.0.0.0/16</cidrBlock>\n"
    "      <cidrBlockAssociationSet><item><cidrBlock>10.0.0.0/16</cidrBlock>"
    "<associationId>vpc-cidr-assoc-1</associationId><cidrBlockState><state>"
    "associated</state></cidrBlockState></item></cidrBlockAssociationSet>\n"
    "      <dhcpOptionsId>dopt-19edf471</dhcpOptionsId>\n"
    "      <instanceTenancy>default</instanceTenancy>\n"
    "      <isDefault>false</isDefault>\n"
    "      <ownerId>123456789012</ownerId>\n"
    "      <state>available</state>\n"
    "      <tagSet><item><key>Name</key>"
    "<value>LatticeWorkshop-Clients-VPC</value></item>"
    "<item><key>env</key><value>lab</value></item></tagSet>\n"
    "      <vpcId>vpc-0a1b2c3d4e5f60718</vpcId>\n"
    "    </item>\n"
    "  </vpcSet>\n"
    "  <nextToken>eyJ2IjoicGFnZTIifQ==</nextToken>\n"
    "</DescribeVpcsResponse>\n";

static const char vpcs_page2[] =
    "<DescribeVpcsResponse " NS ">"
    "<requestId>r2</requestId><vpcSet><item>"
    "<vpcId>vpc-10e57b01f1ba15dcf</vpcId><state>available</state>"
    "<cidrBlock>172.31.0.0/16</cidrBlock><isDefault>true</isDefault>"
    "</item></vpcSet></DescribeVpcsResponse>";

/* DescribeVpcs: ids, filters, MaxResults, two pages, typed output. */
static void
test_describe_vpcs(void **state)
{
	struct canned		 c = { 0 };
	struct aws		*aws = canned_aws(&c);
	struct aws_error	 err = { 0 };
	struct ec2_filters	 f = { 0 };
	struct ec2_vpcs		 out = { 0 };
	const char		*ids[] = { "vpc-0a1b2c3d4e5f60718" };
	struct ec2_describe	 q = { ids, 1, &f, 5 };
	const char *const	 p1[] = {
		"VpcId.1", "vpc-0a1b2c3d4e5f60718",
		"Filter.1.Name", "tag:Name",
		"Filter.1.Value.1", "LatticeWorkshop-Clients-VPC",
		"MaxResults", "5",
	};
	const char *const	 p2[] = {
		"VpcId.1", "vpc-0a1b2c3d4e5f60718",
		"Filter.1.Name", "tag:Name",
		"Filter.1.Value.1", "LatticeWorkshop-Clients-VPC",
		"MaxResults", "5",
		"NextToken", "eyJ2IjoicGFnZTIifQ==",
	};

	ec2_filters_add(&f, "tag:Name", "LatticeWorkshop-Clients-VPC");
	canned_push(&c, 200, vpcs_page1, NULL, NULL);
	canned_push(&c, 200, vpcs_page2, NULL, NULL);
	assert_int_equal(ec2_describe_vpcs(aws, &q, &out, &err), 0);
	assert_int_equal(c.n_req, 2);
	check_form(&c, 0, "DescribeVpcs", 4, p1);
	check_form(&c, 1, "DescribeVpcs", 5, p2);
	assert_int_equal(out.n, 2);
	assert_string_equal(out.v[0].id, "vpc-0a1b2c3d4e5f60718");
	assert_string_equal(out.v[0].cidr, "10.0.0.0/16");
	assert_string_equal(out.v[0].state, "available");
	assert_string_equal(out.v[0].owner_id, "123456789012");
	assert_false(out.v[0].is_default);
	assert_int_equal(out.v[0].tags.n, 2);
	assert_string_equal(aws_tags_get(&out.v[0].tags, "Name"),
	    "LatticeWorkshop-Clients-VPC");
	assert_string_equal(aws_tags_get(&out.v[0].tags, "env"), "lab");
	assert_string_equal(out.v[1].id, "vpc-10e57b01f1ba15dcf");
	assert_true(out.v[1].is_default);
	assert_int_equal(out.v[1].tags.n, 0);
	assert_null(out.v[1].owner_id);
	ec2_vpcs_free(&out);
	ec2_filters_free(&f);
	aws_error_clear(&err);
	aws_free(aws);
	canned_free(&c);
}

static const char subnets_xml[] =
    "<DescribeSubnetsResponse " NS "><requestId>r</requestId><subnetSet>"
    "<item><subnetId>subnet-0aa</subnetId><subnetArn>arn:aws:ec2:us-west-2:"
    "123456789012:subnet/subnet-0aa</subnetArn><state>available</state>"
    "<vpcId>vpc-0a1b2c3d4e5f60718</vpcId><cidrBlock>10.0.3.0/24</cidrBlock>"
    "<ipv6CidrBlockAssociationSet/><availableIpAddressCount>250"
    "</availableIpAddressCount><availabilityZone>us-west-2a"
    "</availabilityZone><availabilityZoneId>usw2-az1</availabilityZoneId>"
    "<defaultForAz>false</defaultForAz><mapPublicIpOnLaunch>false"
    "</mapPublicIpOnLaunch><tagSet><item><key>Name</key><value>"
    "LatticeWorkshop-Client-PrivateSubnet01</value></item></tagSet></item>"
    "<item><subnetId>subnet-0bb</subnetId><vpcId>vpc-0a1b2c3d4e5f60718"
    "</vpcId><cidrBlock>10.0.0.0/24</cidrBlock><availabilityZone>us-west-2b"
    "</availabilityZone><mapPublicIpOnLaunch>true</mapPublicIpOnLaunch>"
    "</item></subnetSet></DescribeSubnetsResponse>";

/* DescribeSubnets: two filters, several values, typed output. */
static void
test_describe_subnets(void **state)
{
	struct canned		 c = { 0 };
	struct aws		*aws = canned_aws(&c);
	struct aws_error	 err = { 0 };
	struct ec2_filters	 f = { 0 };
	struct ec2_subnets	 out = { 0 };
	struct ec2_describe	 q = { NULL, 0, &f, 0 };
	const char *const	 p[] = {
		"Filter.1.Name", "vpc-id",
		"Filter.1.Value.1", "vpc-0a1b2c3d4e5f60718",
		"Filter.2.Name", "tag:Name",
		"Filter.2.Value.1", "LatticeWorkshop-Client-PrivateSubnet01",
		"Filter.2.Value.2", "LatticeWorkshop-Client-PublicSubnet01",
	};

	ec2_filters_add(&f, "vpc-id", "vpc-0a1b2c3d4e5f60718");
	ec2_filters_add(&f, "tag:Name",
	    "LatticeWorkshop-Client-PrivateSubnet01");
	ec2_filters_add(&f, "tag:Name",
	    "LatticeWorkshop-Client-PublicSubnet01");
	assert_int_equal(f.n, 2);
	canned_push(&c, 200, subnets_xml, NULL, NULL);
	assert_int_equal(ec2_describe_subnets(aws, &q, &out, &err), 0);
	assert_int_equal(c.n_req, 1);
	check_form(&c, 0, "DescribeSubnets", 5, p);
	assert_int_equal(out.n, 2);
	assert_string_equal(out.v[0].id, "subnet-0aa");
	assert_string_equal(out.v[0].vpc_id, "vpc-0a1b2c3d4e5f60718");
	assert_string_equal(out.v[0].cidr, "10.0.3.0/24");
	assert_string_equal(out.v[0].az, "us-west-2a");
	assert_string_equal(out.v[0].az_id, "usw2-az1");
	assert_string_equal(out.v[0].arn,
	    "arn:aws:ec2:us-west-2:123456789012:subnet/subnet-0aa");
	assert_int_equal(out.v[0].available_ips, 250);
	assert_false(out.v[0].map_public_ip_on_launch);
	assert_string_equal(aws_tags_get(&out.v[0].tags, "Name"),
	    "LatticeWorkshop-Client-PrivateSubnet01");
	assert_true(out.v[1].map_public_ip_on_launch);
	assert_int_equal(out.v[1].available_ips, -1);
	ec2_subnets_free(&out);
	ec2_filters_free(&f);
	aws_free(aws);
	canned_free(&c);
}

static const char sgs_xml[] =
    "<DescribeSecurityGroupsResponse " NS "><requestId>r</requestId>"
    "<securityGroupInfo><item>"
    "<ownerId>123456789012</ownerId><groupId>sg-0123456789abcdef0</groupId>"
    "<groupName>eks-cluster-sg-c1-1234</groupName><groupDescription>EKS "
    "created security group</groupDescription><vpcId>vpc-0a1b2c3d4e5f60718"
    "</vpcId><ipPermissions>"
    "<item><ipProtocol>-1</ipProtocol><groups/><ipRanges/><ipv6Ranges/>"
    "<prefixListIds><item><prefixListId>pl-0721453c7ac4ec009</prefixListId>"
    "<description>lattice</description></item></prefixListIds></item>"
    "<item><ipProtocol>tcp</ipProtocol><fromPort>443</fromPort><toPort>443"
    "</toPort><groups><item><userId>123456789012</userId><groupId>"
    "sg-0ffffffffffffffff</groupId><description>nodes</description></item>"
    "</groups><ipRanges><item><cidrIp>10.0.0.0/16</cidrIp></item></ipRanges>"
    "<ipv6Ranges><item><cidrIpv6>fd00:ec2:80::/64</cidrIpv6><description>v6"
    "</description></item></ipv6Ranges><prefixListIds/></item>"
    "</ipPermissions><ipPermissionsEgress><item><ipProtocol>-1</ipProtocol>"
    "<groups/><ipRanges><item><cidrIp>0.0.0.0/0</cidrIp></item></ipRanges>"
    "<ipv6Ranges/><prefixListIds/></item></ipPermissionsEgress>"
    "<tagSet><item><key>aws:eks:cluster-name</key><value>c1</value></item>"
    "</tagSet></item></securityGroupInfo></DescribeSecurityGroupsResponse>";

/* DescribeSecurityGroups: group ids, every permission shape. */
static void
test_describe_security_groups(void **state)
{
	struct canned			 c = { 0 };
	struct aws			*aws = canned_aws(&c);
	struct aws_error		 err = { 0 };
	struct ec2_security_groups	 out = { 0 };
	const char			*ids[] = { "sg-0123456789abcdef0",
					    "sg-0ffffffffffffffff" };
	struct ec2_describe		 q = { ids, 2, NULL, 0 };
	struct ec2_security_group	*g;
	struct ec2_ip_permission	*p;
	const char *const		 kv[] = {
		"GroupId.1", "sg-0123456789abcdef0",
		"GroupId.2", "sg-0ffffffffffffffff",
	};

	canned_push(&c, 200, sgs_xml, NULL, NULL);
	assert_int_equal(ec2_describe_security_groups(aws, &q, &out, &err), 0);
	check_form(&c, 0, "DescribeSecurityGroups", 2, kv);
	assert_int_equal(out.n, 1);
	g = &out.v[0];
	assert_string_equal(g->id, "sg-0123456789abcdef0");
	assert_string_equal(g->name, "eks-cluster-sg-c1-1234");
	assert_string_equal(g->description, "EKS created security group");
	assert_string_equal(g->vpc_id, "vpc-0a1b2c3d4e5f60718");
	assert_string_equal(g->owner_id, "123456789012");
	assert_string_equal(aws_tags_get(&g->tags, "aws:eks:cluster-name"),
	    "c1");
	assert_int_equal(g->n_ingress, 2);
	p = &g->ingress[0];
	assert_string_equal(p->protocol, "-1");
	assert_false(p->has_ports);
	assert_int_equal(p->n_prefix_lists, 1);
	assert_string_equal(p->prefix_lists[0].id, "pl-0721453c7ac4ec009");
	assert_string_equal(p->prefix_lists[0].description, "lattice");
	assert_int_equal(p->n_ip_ranges + p->n_ipv6_ranges + p->n_groups, 0);
	p = &g->ingress[1];
	assert_string_equal(p->protocol, "tcp");
	assert_true(p->has_ports);
	assert_int_equal(p->from_port, 443);
	assert_int_equal(p->to_port, 443);
	assert_int_equal(p->n_ip_ranges, 1);
	assert_string_equal(p->ip_ranges[0].cidr, "10.0.0.0/16");
	assert_null(p->ip_ranges[0].description);
	assert_int_equal(p->n_ipv6_ranges, 1);
	assert_string_equal(p->ipv6_ranges[0].cidr, "fd00:ec2:80::/64");
	assert_string_equal(p->ipv6_ranges[0].description, "v6");
	assert_int_equal(p->n_groups, 1);
	assert_string_equal(p->groups[0].group_id, "sg-0ffffffffffffffff");
	assert_string_equal(p->groups[0].user_id, "123456789012");
	assert_string_equal(p->groups[0].description, "nodes");
	assert_int_equal(g->n_egress, 1);
	assert_string_equal(g->egress[0].ip_ranges[0].cidr, "0.0.0.0/0");
	ec2_security_groups_free(&out);
	aws_free(aws);
	canned_free(&c);
}

static const char rules_page1[] =
    "<DescribeSecurityGroupRulesResponse " NS "><requestId>r</requestId>"
    "<securityGroupRuleSet><item><securityGroupRuleId>sgr-0aaaaaaaaaaaaaaa1"
    "</securityGroupRuleId><groupId>sg-0123456789abcdef0</groupId>"
    "<groupOwnerId>123456789012</groupOwnerId><isEgress>false</isEgress>"
    "<ipProtocol>-1</ipProtocol><fromPort>-1</fromPort><toPort>-1</toPort>"
    "<prefixListId>pl-0721453c7ac4ec009</prefixListId><description>lattice"
    "</description><tagSet/></item></securityGroupRuleSet>"
    "<nextToken>p2</nextToken></DescribeSecurityGroupRulesResponse>";

static const char rules_page2[] =
    "<DescribeSecurityGroupRulesResponse " NS "><requestId>r</requestId>"
    "<securityGroupRuleSet><item><securityGroupRuleId>sgr-0bbbbbbbbbbbbbbb2"
    "</securityGroupRuleId><groupId>sg-0123456789abcdef0</groupId>"
    "<isEgress>true</isEgress><ipProtocol>tcp</ipProtocol><fromPort>443"
    "</fromPort><toPort>8443</toPort><cidrIpv4>0.0.0.0/0</cidrIpv4>"
    "<referencedGroupInfo><groupId>sg-0ffffffffffffffff</groupId>"
    "<userId>123456789012</userId></referencedGroupInfo></item>"
    "<item><securityGroupRuleId>sgr-0ccccccccccccccc3</securityGroupRuleId>"
    "<isEgress>false</isEgress><ipProtocol>-1</ipProtocol><cidrIpv6>::/0"
    "</cidrIpv6></item></securityGroupRuleSet>"
    "<nextToken></nextToken></DescribeSecurityGroupRulesResponse>";

/* DescribeSecurityGroupRules: group-id filter, two pages. */
static void
test_describe_sg_rules(void **state)
{
	struct canned		 c = { 0 };
	struct aws		*aws = canned_aws(&c);
	struct aws_error	 err = { 0 };
	struct ec2_filters	 f = { 0 };
	struct ec2_sg_rules	 out = { 0 };
	struct ec2_describe	 q = { NULL, 0, &f, 0 };
	const char *const	 p1[] = {
		"Filter.1.Name", "group-id",
		"Filter.1.Value.1", "sg-0123456789abcdef0",
	};
	const char *const	 p2[] = {
		"Filter.1.Name", "group-id",
		"Filter.1.Value.1", "sg-0123456789abcdef0",
		"NextToken", "p2",
	};

	ec2_filters_add(&f, "group-id", "sg-0123456789abcdef0");
	canned_push(&c, 200, rules_page1, NULL, NULL);
	canned_push(&c, 200, rules_page2, NULL, NULL);
	assert_int_equal(ec2_describe_sg_rules(aws, &q, &out, &err), 0);
	assert_int_equal(c.n_req, 2);
	check_form(&c, 0, "DescribeSecurityGroupRules", 2, p1);
	check_form(&c, 1, "DescribeSecurityGroupRules", 3, p2);
	assert_int_equal(out.n, 3);
	assert_string_equal(out.v[0].id, "sgr-0aaaaaaaaaaaaaaa1");
	assert_string_equal(out.v[0].group_id, "sg-0123456789abcdef0");
	assert_string_equal(out.v[0].group_owner_id, "123456789012");
	assert_false(out.v[0].is_egress);
	assert_string_equal(out.v[0].protocol, "-1");
	assert_int_equal(out.v[0].from_port, -1);
	assert_string_equal(out.v[0].prefix_list_id, "pl-0721453c7ac4ec009");
	assert_string_equal(out.v[0].description, "lattice");
	assert_null(out.v[0].cidr_ipv4);
	assert_true(out.v[1].is_egress);
	assert_int_equal(out.v[1].from_port, 443);
	assert_int_equal(out.v[1].to_port, 8443);
	assert_string_equal(out.v[1].cidr_ipv4, "0.0.0.0/0");
	assert_string_equal(out.v[1].referenced_group_id,
	    "sg-0ffffffffffffffff");
	assert_string_equal(out.v[2].cidr_ipv6, "::/0");
	ec2_sg_rules_free(&out);
	ec2_filters_free(&f);
	aws_free(aws);
	canned_free(&c);
}

static const char pls_xml[] =
    "<DescribeManagedPrefixListsResponse " NS "><requestId>r</requestId>"
    "<prefixListSet><item><prefixListId>pl-0721453c7ac4ec009</prefixListId>"
    "<addressFamily>IPv4</addressFamily><state>create-complete</state>"
    "<prefixListArn>arn:aws:ec2:us-west-2:aws:prefix-list/"
    "pl-0721453c7ac4ec009</prefixListArn><prefixListName>"
    "com.amazonaws.us-west-2.vpc-lattice</prefixListName><maxEntries>5"
    "</maxEntries><version>3</version><tagSet/><ownerId>AWS</ownerId>"
    "</item></prefixListSet></DescribeManagedPrefixListsResponse>";

/* DescribeManagedPrefixLists by name (the lab's lookup). */
static void
test_describe_prefix_lists(void **state)
{
	struct canned		 c = { 0 };
	struct aws		*aws = canned_aws(&c);
	struct aws_error	 err = { 0 };
	struct ec2_filters	 f = { 0 };
	struct ec2_prefix_lists	 out = { 0 };
	struct ec2_describe	 q = { NULL, 0, &f, 0 };
	const char *const	 kv[] = {
		"Filter.1.Name", "prefix-list-name",
		"Filter.1.Value.1", "com.amazonaws.us-west-2.vpc-lattice",
	};

	ec2_filters_add(&f, "prefix-list-name",
	    "com.amazonaws.us-west-2.vpc-lattice");
	canned_push(&c, 200, pls_xml, NULL, NULL);
	assert_int_equal(ec2_describe_prefix_lists(aws, &q, &out, &err), 0);
	check_form(&c, 0, "DescribeManagedPrefixLists", 2, kv);
	assert_int_equal(out.n, 1);
	assert_string_equal(out.v[0].id, "pl-0721453c7ac4ec009");
	assert_string_equal(out.v[0].name,
	    "com.amazonaws.us-west-2.vpc-lattice");
	assert_string_equal(out.v[0].arn,
	    "arn:aws:ec2:us-west-2:aws:prefix-list/pl-0721453c7ac4ec009");
	assert_string_equal(out.v[0].owner_id, "AWS");
	assert_string_equal(out.v[0].state, "create-complete");
	assert_string_equal(out.v[0].address_family, "IPv4");
	assert_int_equal(out.v[0].max_entries, 5);
	assert_int_equal(out.v[0].version, 3);
	ec2_prefix_lists_free(&out);
	ec2_filters_free(&f);
	aws_free(aws);
	canned_free(&c);
}

/* GetManagedPrefixListEntries: PrefixListId, MaxResults, two pages. */
static void
test_prefix_list_entries(void **state)
{
	struct canned			 c = { 0 };
	struct aws			*aws = canned_aws(&c);
	struct aws_error		 err = { 0 };
	struct ec2_prefix_list_entries	 out = { 0 };
	const char *const		 p1[] = {
		"PrefixListId", "pl-0721453c7ac4ec009", "MaxResults", "1",
	};
	const char *const		 p2[] = {
		"PrefixListId", "pl-0721453c7ac4ec009", "MaxResults", "1",
		"NextToken", "e2",
	};

	canned_push(&c, 200, "<GetManagedPrefixListEntriesResponse " NS ">"
	    "<requestId>r</requestId><entrySet><item><cidr>169.254.171.0/24"
	    "</cidr><description>default</description></item></entrySet>"
	    "<nextToken>e2</nextToken></GetManagedPrefixListEntriesResponse>",
	    NULL, NULL);
	canned_push(&c, 200, "<GetManagedPrefixListEntriesResponse " NS ">"
	    "<requestId>r</requestId><entrySet><item><cidr>169.254.172.0/24"
	    "</cidr></item></entrySet></GetManagedPrefixListEntriesResponse>",
	    NULL, NULL);
	assert_int_equal(ec2_get_prefix_list_entries(aws,
	    "pl-0721453c7ac4ec009", 1, &out, &err), 0);
	assert_int_equal(c.n_req, 2);
	check_form(&c, 0, "GetManagedPrefixListEntries", 2, p1);
	check_form(&c, 1, "GetManagedPrefixListEntries", 3, p2);
	assert_int_equal(out.n, 2);
	assert_string_equal(out.v[0].cidr, "169.254.171.0/24");
	assert_string_equal(out.v[0].description, "default");
	assert_string_equal(out.v[1].cidr, "169.254.172.0/24");
	assert_null(out.v[1].description);
	ec2_prefix_list_entries_free(&out);
	aws_free(aws);
	canned_free(&c);
}

static const char authorize_xml[] =
    "<AuthorizeSecurityGroupIngressResponse " NS "><requestId>r</requestId>"
    "<return>true</return><securityGroupRuleSet><item>"
    "<securityGroupRuleId>sgr-0aaaaaaaaaaaaaaa1</securityGroupRuleId>"
    "<groupId>sg-0123456789abcdef0</groupId><groupOwnerId>123456789012"
    "</groupOwnerId><isEgress>false</isEgress><ipProtocol>-1</ipProtocol>"
    "<fromPort>-1</fromPort><toPort>-1</toPort><prefixListId>"
    "pl-0721453c7ac4ec009</prefixListId><description>lattice</description>"
    "</item><item><securityGroupRuleId>sgr-0bbbbbbbbbbbbbbb2"
    "</securityGroupRuleId><groupId>sg-0123456789abcdef0</groupId>"
    "<isEgress>false</isEgress><ipProtocol>-1</ipProtocol><prefixListId>"
    "pl-0a2b3c4d5e6f70819</prefixListId></item></securityGroupRuleSet>"
    "</AuthorizeSecurityGroupIngressResponse>";

/* The lab's rule: all traffic from both Lattice prefix lists. */
static void
test_authorize_prefix_lists(void **state)
{
	struct canned			 c = { 0 };
	struct aws			*aws = canned_aws(&c);
	struct aws_error		 err = { 0 };
	struct ec2_ip_permission	 perm[2];
	struct ec2_sg_rules		 created = { 0 };
	const char *const		 kv[] = {
		"GroupId", "sg-0123456789abcdef0",
		"IpPermissions.1.IpProtocol", "-1",
		"IpPermissions.1.PrefixListIds.1.PrefixListId",
		"pl-0721453c7ac4ec009",
		"IpPermissions.1.PrefixListIds.1.Description", "lattice",
		"IpPermissions.2.IpProtocol", "-1",
		"IpPermissions.2.PrefixListIds.1.PrefixListId",
		"pl-0a2b3c4d5e6f70819",
	};

	ec2_ip_permission_init(&perm[0], "-1");
	ec2_ip_permission_add_prefix_list(&perm[0], "pl-0721453c7ac4ec009",
	    "lattice");
	ec2_ip_permission_init(&perm[1], "-1");
	ec2_ip_permission_add_prefix_list(&perm[1], "pl-0a2b3c4d5e6f70819",
	    NULL);
	canned_push(&c, 200, authorize_xml, NULL, NULL);
	assert_int_equal(ec2_authorize_sg_ingress(aws, "sg-0123456789abcdef0",
	    perm, 2, &created, &err), 0);
	check_form(&c, 0, "AuthorizeSecurityGroupIngress", 6, kv);
	assert_int_equal(created.n, 2);
	assert_string_equal(created.v[0].id, "sgr-0aaaaaaaaaaaaaaa1");
	assert_string_equal(created.v[0].prefix_list_id,
	    "pl-0721453c7ac4ec009");
	assert_string_equal(created.v[1].id, "sgr-0bbbbbbbbbbbbbbb2");
	assert_string_equal(created.v[1].prefix_list_id,
	    "pl-0a2b3c4d5e6f70819");
	ec2_sg_rules_free(&created);
	ec2_ip_permission_clear(&perm[0]);
	ec2_ip_permission_clear(&perm[1]);
	aws_free(aws);
	canned_free(&c);
}

/* Ports, CIDRs and group sources serialize with the model's names. */
static void
test_authorize_all_sources(void **state)
{
	struct canned			 c = { 0 };
	struct aws			*aws = canned_aws(&c);
	struct aws_error		 err = { 0 };
	struct ec2_ip_permission	 perm;
	const char *const		 kv[] = {
		"GroupId", "sg-1",
		"IpPermissions.1.IpProtocol", "tcp",
		"IpPermissions.1.FromPort", "80",
		"IpPermissions.1.ToPort", "8080",
		"IpPermissions.1.IpRanges.1.CidrIp", "10.0.0.0/16",
		"IpPermissions.1.IpRanges.1.Description", "vpc & more",
		"IpPermissions.1.IpRanges.2.CidrIp", "192.168.0.0/24",
		"IpPermissions.1.Ipv6Ranges.1.CidrIpv6", "fd00:ec2:80::/64",
		"IpPermissions.1.Groups.1.GroupId", "sg-2",
		"IpPermissions.1.Groups.1.Description", "peer",
	};

	ec2_ip_permission_init(&perm, "tcp");
	ec2_ip_permission_set_ports(&perm, 80, 8080);
	ec2_ip_permission_add_cidr(&perm, "10.0.0.0/16", "vpc & more");
	ec2_ip_permission_add_cidr(&perm, "192.168.0.0/24", NULL);
	ec2_ip_permission_add_cidr6(&perm, "fd00:ec2:80::/64", NULL);
	ec2_ip_permission_add_group(&perm, "sg-2", "peer");
	canned_push(&c, 200, "<AuthorizeSecurityGroupIngressResponse " NS ">"
	    "<return>true</return></AuthorizeSecurityGroupIngressResponse>",
	    NULL, NULL);
	assert_int_equal(ec2_authorize_sg_ingress(aws, "sg-1", &perm, 1, NULL,
	    &err), 0);
	check_form(&c, 0, "AuthorizeSecurityGroupIngress", 10, kv);
	ec2_ip_permission_clear(&perm);
	aws_free(aws);
	canned_free(&c);
}

/* A duplicate rule comes back as the EC2 error code, not retried. */
static void
test_authorize_duplicate(void **state)
{
	struct canned			 c = { 0 };
	struct aws			*aws = canned_aws(&c);
	struct aws_error		 err = { 0 };
	struct ec2_ip_permission	 perm;
	struct ec2_sg_rules		 created = { 0 };

	ec2_ip_permission_init(&perm, "-1");
	ec2_ip_permission_add_prefix_list(&perm, "pl-0721453c7ac4ec009", NULL);
	canned_push(&c, 400, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<Response><Errors><Error><Code>InvalidPermission.Duplicate</Code>"
	    "<Message>the specified rule \"peer: pl-0721453c7ac4ec009, ALL, "
	    "ALLOW\" already exists</Message></Error></Errors><RequestID>"
	    "b1f0bd53-2bd0-4b0e-a5a3-2c8e5c7e1c1a</RequestID></Response>",
	    NULL, NULL);
	assert_int_equal(ec2_authorize_sg_ingress(aws, "sg-0123456789abcdef0",
	    &perm, 1, &created, &err), -1);
	assert_int_equal(c.n_req, 1);
	assert_string_equal(err.code, "InvalidPermission.Duplicate");
	assert_int_equal(err.status, 400);
	assert_non_null(strstr(err.message, "already exists"));
	assert_string_equal(err.request_id,
	    "b1f0bd53-2bd0-4b0e-a5a3-2c8e5c7e1c1a");
	assert_int_equal(created.n, 0);
	aws_error_clear(&err);
	ec2_ip_permission_clear(&perm);
	aws_free(aws);
	canned_free(&c);
}

/* Revoke sends the same permission fields; unknown ones are counted. */
static void
test_revoke(void **state)
{
	struct canned			 c = { 0 };
	struct aws			*aws = canned_aws(&c);
	struct aws_error		 err = { 0 };
	struct ec2_ip_permission	 perm;
	size_t				 unknown = 99;
	const char *const		 kv[] = {
		"GroupId", "sg-0123456789abcdef0",
		"IpPermissions.1.IpProtocol", "-1",
		"IpPermissions.1.PrefixListIds.1.PrefixListId",
		"pl-0721453c7ac4ec009",
	};

	ec2_ip_permission_init(&perm, "-1");
	ec2_ip_permission_add_prefix_list(&perm, "pl-0721453c7ac4ec009", NULL);
	canned_push(&c, 200, "<RevokeSecurityGroupIngressResponse " NS ">"
	    "<requestId>r</requestId><return>true</return>"
	    "</RevokeSecurityGroupIngressResponse>", NULL, NULL);
	canned_push(&c, 200, "<RevokeSecurityGroupIngressResponse " NS ">"
	    "<requestId>r</requestId><return>true</return>"
	    "<unknownIpPermissionSet><item><ipProtocol>-1</ipProtocol>"
	    "<prefixListIds><item><prefixListId>pl-0721453c7ac4ec009"
	    "</prefixListId></item></prefixListIds></item>"
	    "</unknownIpPermissionSet></RevokeSecurityGroupIngressResponse>",
	    NULL, NULL);
	canned_push(&c, 200, "<RevokeSecurityGroupIngressResponse " NS ">"
	    "<return>false</return></RevokeSecurityGroupIngressResponse>",
	    NULL, NULL);
	assert_int_equal(ec2_revoke_sg_ingress(aws, "sg-0123456789abcdef0",
	    &perm, 1, &unknown, &err), 0);
	check_form(&c, 0, "RevokeSecurityGroupIngress", 3, kv);
	assert_int_equal(unknown, 0);
	assert_int_equal(ec2_revoke_sg_ingress(aws, "sg-0123456789abcdef0",
	    &perm, 1, &unknown, &err), 0);
	assert_int_equal(unknown, 1);
	assert_int_equal(ec2_revoke_sg_ingress(aws, "sg-0123456789abcdef0",
	    &perm, 1, NULL, &err), -1);
	assert_string_equal(err.code, "InvalidResponse");
	aws_error_clear(&err);
	ec2_ip_permission_clear(&perm);
	aws_free(aws);
	canned_free(&c);
}

/* A missing group: error code from <Response><Errors>; nothing appended. */
static void
test_describe_error(void **state)
{
	struct canned			 c = { 0 };
	struct aws			*aws = canned_aws(&c);
	struct aws_error		 err = { 0 };
	struct ec2_security_groups	 out = { 0 };
	const char			*ids[] = { "sg-0000000000000000f" };
	struct ec2_describe		 q = { ids, 1, NULL, 0 };

	canned_push(&c, 400, "<Response><Errors><Error><Code>"
	    "InvalidGroup.NotFound</Code><Message>The security group "
	    "'sg-0000000000000000f' does not exist</Message></Error></Errors>"
	    "<RequestID>req-1</RequestID></Response>", NULL, NULL);
	assert_int_equal(ec2_describe_security_groups(aws, &q, &out, &err),
	    -1);
	assert_string_equal(err.code, "InvalidGroup.NotFound");
	assert_string_equal(err.op, "ec2:DescribeSecurityGroups");
	assert_int_equal(out.n, 0);
	aws_error_clear(&err);
	aws_free(aws);
	canned_free(&c);
}

/* A second page failing keeps the first page and reports the error. */
static void
test_second_page_error(void **state)
{
	struct canned		 c = { 0 };
	struct aws		*aws = canned_aws(&c);
	struct aws_error	 err = { 0 };
	struct ec2_vpcs		 out = { 0 };

	canned_push(&c, 200, vpcs_page1, NULL, NULL);
	canned_push(&c, 400, "<Response><Errors><Error><Code>"
	    "InvalidNextToken</Code><Message>bad token</Message></Error>"
	    "</Errors></Response>", NULL, NULL);
	assert_int_equal(ec2_describe_vpcs(aws, NULL, &out, &err), -1);
	assert_string_equal(err.code, "InvalidNextToken");
	assert_int_equal(out.n, 1);
	ec2_vpcs_free(&out);
	aws_error_clear(&err);
	aws_free(aws);
	canned_free(&c);
}

/* Wrong root element or a repeated NextToken are errors, not loops. */
static void
test_bad_responses(void **state)
{
	struct canned		 c = { 0 };
	struct aws		*aws = canned_aws(&c);
	struct aws_error	 err = { 0 };
	struct ec2_vpcs		 out = { 0 };
	struct ec2_subnets	 sn = { 0 };
	const char		*loop =
	    "<DescribeSubnetsResponse " NS "><subnetSet/><nextToken>same"
	    "</nextToken></DescribeSubnetsResponse>";

	canned_push(&c, 200, "<DescribeSubnetsResponse " NS ">"
	    "<subnetSet/></DescribeSubnetsResponse>", NULL, NULL);
	assert_int_equal(ec2_describe_vpcs(aws, NULL, &out, &err), -1);
	assert_string_equal(err.code, "InvalidResponse");
	assert_non_null(strstr(err.message, "DescribeVpcsResponse"));
	aws_error_clear(&err);

	canned_push(&c, 200, loop, NULL, NULL);
	canned_push(&c, 200, loop, NULL, NULL);
	assert_int_equal(ec2_describe_subnets(aws, NULL, &sn, &err), -1);
	assert_string_equal(err.code, "InvalidResponse");
	assert_int_equal(c.n_req, 3);
	aws_error_clear(&err);
	ec2_vpcs_free(&out);
	ec2_subnets_free(&sn);
	aws_free(aws);
	canned_free(&c);
}

/* Report how many of the client's operations the tests covered. */
static int
report_coverage(void **state)
{
	return test_ops_report(&ec2_ops);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_describe_vpcs),
		cmocka_unit_test(test_describe_subnets),
		cmocka_unit_test(test_describe_security_groups),
		cmocka_unit_test(test_describe_sg_rules),
		cmocka_unit_test(test_describe_prefix_lists),
		cmocka_unit_test(test_prefix_list_entries),
		cmocka_unit_test(test_authorize_prefix_lists),
		cmocka_unit_test(test_authorize_all_sources),
		cmocka_unit_test(test_authorize_duplicate),
		cmocka_unit_test(test_revoke),
		cmocka_unit_test(test_describe_error),
		cmocka_unit_test(test_second_page_error),
		cmocka_unit_test(test_bad_responses),
	};

	return cmocka_run_group_tests(tests, NULL, report_coverage);
}
