/*
 * VPC Lattice client against the canned transport, one test per
 * operation: the method, the path (percent-encoded identifiers), the
 * query, the JSON body and the typed output from a response written in
 * the model's shape. Each request is also checked against the
 * operation's method and URI template in the botocore model when the
 * reference material is there; the last test asserts every operation the
 * client implements was covered and prints the count.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "lattice_fixture.h"

/* ---- services ---- */

/* CreateService: every member, tags, a fresh clientToken. */
static void
test_create_service(void **state)
{
	struct fx				*f = *state;
	struct lattice_create_service_input	 in = { 0 };
	struct lattice_service			 s;
	struct aws_tags				 tags = { 0 };

	aws_tags_set(&tags, "application-networking.k8s.aws/ManagedBy",
	    "123456789012/c1/vpc-1");
	in.name = "rates-default";
	in.auth_type = "AWS_IAM";
	in.custom_domain_name = "rates.example.com";
	in.certificate_arn = "arn:aws:acm:us-west-2:123456789012:certificate/c";
	in.tags = &tags;
	push(f, 201, "{'id':'" SVC "','arn':'" SVC_ARN "','name':"
	    "'rates-default','status':'CREATE_IN_PROGRESS','authType':"
	    "'AWS_IAM','customDomainName':'rates.example.com',"
	    "'certificateArn':'arn:aws:acm:us-west-2:123456789012:"
	    "certificate/c','dnsEntry':{'domainName':'rates-default-"
	    "0123.7d67968.vpc-lattice-svcs.us-west-2.on.aws','hostedZoneId':"
	    "'Z09127221KTH2CFUUOOXD'}}");
	assert_int_equal(lattice_create_service(f->aws, &in, &s, &f->err), 0);
	expect(f, 0, "CreateService", "POST", "/services", "{'name':"
	    "'rates-default','authType':'AWS_IAM','customDomainName':"
	    "'rates.example.com','certificateArn':'arn:aws:acm:us-west-2:"
	    "123456789012:certificate/c','tags':{'application-networking."
	    "k8s.aws/ManagedBy':'123456789012/c1/vpc-1'}}", 1);
	assert_string_equal(s.id, SVC);
	assert_string_equal(s.arn, SVC_ARN);
	assert_string_equal(s.status, "CREATE_IN_PROGRESS");
	assert_string_equal(s.auth_type, "AWS_IAM");
	assert_string_equal(s.dns_entry.hosted_zone_id,
	    "Z09127221KTH2CFUUOOXD");
	assert_string_equal(s.dns_entry.domain_name,
	    "rates-default-0123.7d67968.vpc-lattice-svcs.us-west-2.on.aws");
	assert_string_equal(s.custom_domain_name, "rates.example.com");
	assert_null(s.failure_code);
	assert_int_equal(s.created_at.tv_sec, 0);
	lattice_service_free(&s);
	aws_tags_free(&tags);
}

/* GetService by ARN: encoded path, timestamps, failure fields. */
static void
test_get_service(void **state)
{
	struct fx		*f = *state;
	struct lattice_service	 s;

	push(f, 200, "{'id':'" SVC "','arn':'" SVC_ARN "','name':'rates',"
	    "'status':'CREATE_FAILED','authType':'NONE','createdAt':"
	    "'2026-11-28T06:22:11.342354+00:00','lastUpdatedAt':"
	    "'2024-03-01T10:00:00Z','dnsEntry':{'domainName':'d',"
	    "'hostedZoneId':'Z'},'failureCode':'ValidationError',"
	    "'failureMessage':'bad cert'}");
	assert_int_equal(lattice_get_service(f->aws, SVC_ARN, &s, &f->err), 0);
	expect(f, 0, "GetService", "GET", "/services/" SVC_ARN_ENC, NULL, 0);
	assert_string_equal(s.name, "rates");
	assert_string_equal(s.status, "CREATE_FAILED");
	assert_int_equal(s.created_at.tv_sec, T_MOTO);
	assert_int_equal(s.created_at.tv_nsec, 342354000);
	assert_int_equal(s.last_updated_at.tv_sec, T_AWS);
	assert_string_equal(s.failure_code, "ValidationError");
	assert_string_equal(s.failure_message, "bad cert");
	assert_null(s.certificate_arn);
	lattice_service_free(&s);
	assert_null(s.id);
}

/* UpdateService sends only the members that are set. */
static void
test_update_service(void **state)
{
	struct fx				*f = *state;
	struct lattice_update_service_input	 in = { 0 };
	struct lattice_service			 s;

	in.service_identifier = SVC;
	in.auth_type = "NONE";
	push(f, 200, "{'id':'" SVC "','arn':'" SVC_ARN "','name':'rates',"
	    "'authType':'NONE'}");
	assert_int_equal(lattice_update_service(f->aws, &in, &s, &f->err), 0);
	expect(f, 0, "UpdateService", "PATCH", "/services/" SVC,
	    "{'authType':'NONE'}", 0);
	assert_string_equal(s.auth_type, "NONE");
	assert_string_equal(s.name, "rates");
	lattice_service_free(&s);
}

/* DeleteService, with and without an output struct. */
static void
test_delete_service(void **state)
{
	struct fx		*f = *state;
	struct lattice_service	 s;

	push(f, 200, "{'id':'" SVC "','arn':'" SVC_ARN "','name':'rates',"
	    "'status':'DELETE_IN_PROGRESS'}");
	push(f, 200, "{'id':'" SVC "'}");
	assert_int_equal(lattice_delete_service(f->aws, SVC, &s, &f->err), 0);
	expect(f, 0, "DeleteService", "DELETE", "/services/" SVC, NULL, 0);
	assert_string_equal(s.status, "DELETE_IN_PROGRESS");
	lattice_service_free(&s);
	assert_int_equal(lattice_delete_service(f->aws, SVC, NULL, &f->err), 0);
	assert_int_equal(f->c.n_req, 2);
}

/* ListServices: summaries; non-object items are skipped. */
static void
test_list_services(void **state)
{
	struct fx			*f = *state;
	struct lattice_service_list	 l;

	push(f, 200, "{'items':[{'id':'" SVC "','arn':'" SVC_ARN "','name':"
	    "'a','status':'ACTIVE','createdAt':'2024-03-01T10:00:00Z',"
	    "'dnsEntry':{'domainName':'a.on.aws'},'customDomainName':"
	    "'a.example.com'},{'id':'svc-1','name':'b'}, 7]}");
	assert_int_equal(lattice_list_services(f->aws, NULL, &l, &f->err), 0);
	expect(f, 0, "ListServices", "GET", "/services", NULL, 0);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.items[0].dns_entry.domain_name, "a.on.aws");
	assert_string_equal(l.items[0].custom_domain_name, "a.example.com");
	assert_int_equal(l.items[0].created_at.tv_sec, T_AWS);
	assert_string_equal(l.items[1].name, "b");
	assert_null(l.items[1].status);
	assert_null(l.next_token);
	lattice_service_list_free(&l);
}

/* ---- service networks ---- */

/* CreateServiceNetwork with a caller-given clientToken. */
static void
test_create_service_network(void **state)
{
	struct fx					*f = *state;
	struct lattice_create_service_network_input	 in = { 0 };
	struct lattice_service_network			 sn;

	in.name = "my-hotel";
	in.auth_type = "NONE";
	in.sharing_enabled = LATTICE_FALSE;
	in.client_token = "given-token";
	push(f, 201, "{'id':'" SN "','arn':'" SN_ARN "','name':'my-hotel',"
	    "'authType':'NONE','sharingConfig':{'enabled':false}}");
	assert_int_equal(lattice_create_service_network(f->aws, &in, &sn,
	    &f->err), 0);
	expect(f, 0, "CreateServiceNetwork", "POST", "/servicenetworks",
	    "{'name':'my-hotel','authType':'NONE','sharingConfig':{'enabled':"
	    "false},'clientToken':'given-token'}", 0);
	assert_string_equal(sn.id, SN);
	assert_string_equal(sn.arn, SN_ARN);
	assert_int_equal(sn.sharing_enabled, LATTICE_FALSE);
	assert_int_equal(sn.n_associated_vpcs, -1);
	lattice_service_network_free(&sn);
}

/* GetServiceNetwork by name: counts and timestamps. */
static void
test_get_service_network(void **state)
{
	struct fx			*f = *state;
	struct lattice_service_network	 sn;

	push(f, 200, "{'id':'" SN "','arn':'" SN_ARN "','name':'my-hotel',"
	    "'authType':'AWS_IAM','createdAt':'2024-03-01T10:00:00Z',"
	    "'lastUpdatedAt':'2026-11-28T06:22:11.342354+00:00',"
	    "'numberOfAssociatedVPCs':2,'numberOfAssociatedServices':31}");
	assert_int_equal(lattice_get_service_network(f->aws, "my-hotel", &sn,
	    &f->err), 0);
	expect(f, 0, "GetServiceNetwork", "GET", "/servicenetworks/my-hotel",
	    NULL, 0);
	assert_string_equal(sn.auth_type, "AWS_IAM");
	assert_int_equal(sn.n_associated_vpcs, 2);
	assert_int_equal(sn.n_associated_services, 31);
	assert_int_equal(sn.n_associated_resource_configs, -1);
	assert_int_equal(sn.created_at.tv_sec, T_AWS);
	assert_int_equal(sn.last_updated_at.tv_sec, T_MOTO);
	assert_int_equal(sn.sharing_enabled, LATTICE_UNSET);
	lattice_service_network_free(&sn);
}

/* UpdateServiceNetwork by ARN. */
static void
test_update_service_network(void **state)
{
	struct fx			*f = *state;
	struct lattice_service_network	 sn;

	push(f, 200, "{'id':'" SN "','arn':'" SN_ARN "','name':'my-hotel',"
	    "'authType':'AWS_IAM'}");
	assert_int_equal(lattice_update_service_network(f->aws, SN_ARN,
	    "AWS_IAM", &sn, &f->err), 0);
	expect(f, 0, "UpdateServiceNetwork", "PATCH", "/servicenetworks/"
	    "arn%3Aaws%3Avpc-lattice%3Aus-west-2%3A123456789012%3A"
	    "servicenetwork%2F" SN, "{'authType':'AWS_IAM'}", 0);
	assert_string_equal(sn.auth_type, "AWS_IAM");
	lattice_service_network_free(&sn);
}

/* DeleteServiceNetwork: 204 with an empty body. */
static void
test_delete_service_network(void **state)
{
	struct fx	*f = *state;

	canned_push(&f->c, 204, "", NULL, NULL);
	assert_int_equal(lattice_delete_service_network(f->aws, SN, &f->err),
	    0);
	expect(f, 0, "DeleteServiceNetwork", "DELETE", "/servicenetworks/" SN,
	    NULL, 0);
}

/* ListServiceNetworks with a page size. */
static void
test_list_service_networks(void **state)
{
	struct fx				*f = *state;
	struct lattice_service_network_list	 l;
	struct lattice_page			 page = { 50, NULL, 0 };

	push(f, 200, "{'items':[{'id':'" SN "','name':'my-hotel',"
	    "'numberOfAssociatedVPCs':1,'numberOfAssociatedServices':0,"
	    "'numberOfAssociatedResourceConfigurations':3}]}");
	assert_int_equal(lattice_list_service_networks(f->aws, &page, &l,
	    &f->err), 0);
	expect(f, 0, "ListServiceNetworks", "GET",
	    "/servicenetworks?maxResults=50", NULL, 0);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.items[0].name, "my-hotel");
	assert_int_equal(l.items[0].n_associated_services, 0);
	assert_int_equal(l.items[0].n_associated_resource_configs, 3);
	lattice_service_network_list_free(&l);
}

/* ---- service network - service associations ---- */

/* CreateServiceNetworkServiceAssociation. */
static void
test_create_snsa(void **state)
{
	struct fx					*f = *state;
	struct lattice_create_sn_service_assoc_input	 in = { 0 };
	struct lattice_sn_service_assoc			 a;

	in.service_identifier = SVC;
	in.service_network_identifier = SN_ARN;
	push(f, 200, "{'id':'" SNSA "','arn':'arn:aws:vpc-lattice:us-west-2:"
	    "123456789012:servicenetworkserviceassociation/" SNSA "',"
	    "'status':'CREATE_IN_PROGRESS','createdBy':'123456789012',"
	    "'dnsEntry':{'domainName':'rates.on.aws','hostedZoneId':'Z1'}}");
	assert_int_equal(lattice_create_sn_service_assoc(f->aws, &in, &a,
	    &f->err), 0);
	expect(f, 0, "CreateServiceNetworkServiceAssociation", "POST",
	    "/servicenetworkserviceassociations", "{'serviceIdentifier':'" SVC
	    "','serviceNetworkIdentifier':'" SN_ARN "'}", 1);
	assert_string_equal(a.id, SNSA);
	assert_string_equal(a.status, "CREATE_IN_PROGRESS");
	assert_string_equal(a.created_by, "123456789012");
	assert_string_equal(a.dns_entry.domain_name, "rates.on.aws");
	lattice_sn_service_assoc_free(&a);
}

/* GetServiceNetworkServiceAssociation: every member. */
static void
test_get_snsa(void **state)
{
	struct fx			*f = *state;
	struct lattice_sn_service_assoc	 a;

	push(f, 200, "{'id':'" SNSA "','status':'ACTIVE','createdAt':"
	    "'2024-03-01T10:00:00Z','serviceId':'" SVC "','serviceName':"
	    "'rates','serviceArn':'" SVC_ARN "','serviceNetworkId':'" SN "',"
	    "'serviceNetworkName':'my-hotel','serviceNetworkArn':'" SN_ARN "',"
	    "'customDomainName':'r.example.com','failureCode':'x',"
	    "'failureMessage':'y'}");
	assert_int_equal(lattice_get_sn_service_assoc(f->aws, SNSA, &a,
	    &f->err), 0);
	expect(f, 0, "GetServiceNetworkServiceAssociation", "GET",
	    "/servicenetworkserviceassociations/" SNSA, NULL, 0);
	assert_string_equal(a.service_id, SVC);
	assert_string_equal(a.service_name, "rates");
	assert_string_equal(a.service_arn, SVC_ARN);
	assert_string_equal(a.service_network_id, SN);
	assert_string_equal(a.service_network_name, "my-hotel");
	assert_string_equal(a.service_network_arn, SN_ARN);
	assert_string_equal(a.custom_domain_name, "r.example.com");
	assert_string_equal(a.failure_code, "x");
	assert_string_equal(a.failure_message, "y");
	assert_int_equal(a.created_at.tv_sec, T_AWS);
	lattice_sn_service_assoc_free(&a);
}

/* DeleteServiceNetworkServiceAssociation. */
static void
test_delete_snsa(void **state)
{
	struct fx			*f = *state;
	struct lattice_sn_service_assoc	 a;

	push(f, 200, "{'id':'" SNSA "','status':'DELETE_IN_PROGRESS'}");
	assert_int_equal(lattice_delete_sn_service_assoc(f->aws, SNSA, &a,
	    &f->err), 0);
	expect(f, 0, "DeleteServiceNetworkServiceAssociation", "DELETE",
	    "/servicenetworkserviceassociations/" SNSA, NULL, 0);
	assert_string_equal(a.status, "DELETE_IN_PROGRESS");
	lattice_sn_service_assoc_free(&a);
}

/* ListServiceNetworkServiceAssociations with both filters. */
static void
test_list_snsa(void **state)
{
	struct fx					*f = *state;
	struct lattice_list_sn_service_assocs_input	 in = { 0 };
	struct lattice_sn_service_assoc_list		 l;

	in.service_network_identifier = SN;
	in.service_identifier = SVC;
	push(f, 200, "{'items':[{'id':'" SNSA "','status':'ACTIVE',"
	    "'serviceName':'rates','serviceNetworkName':'my-hotel'}]}");
	assert_int_equal(lattice_list_sn_service_assocs(f->aws, &in, &l,
	    &f->err), 0);
	expect(f, 0, "ListServiceNetworkServiceAssociations", "GET",
	    "/servicenetworkserviceassociations?serviceNetworkIdentifier=" SN
	    "&serviceIdentifier=" SVC, NULL, 0);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.items[0].service_network_name, "my-hotel");
	lattice_sn_service_assoc_list_free(&l);
}

/* ---- service network - VPC associations ---- */

/* CreateServiceNetworkVpcAssociation: groups and DNS options. */
static void
test_create_snva(void **state)
{
	struct fx					*f = *state;
	struct lattice_create_sn_vpc_assoc_input	 in = { 0 };
	struct lattice_sn_vpc_assoc			 a;
	struct lattice_dns_options			 dns = { 0 };
	const char *const				 sgs[] = { "sg-1",
	    "sg-0123456789abcdef0" };
	char						*domains[] = {
	    "example.com" };

	dns.private_dns_preference = "SPECIFIED_DOMAINS_ONLY";
	dns.private_dns_specified_domains = domains;
	dns.n_private_dns_specified_domains = 1;
	in.service_network_identifier = SN;
	in.vpc_identifier = "vpc-12345678";
	in.security_group_ids = sgs;
	in.n_security_group_ids = 2;
	in.private_dns_enabled = LATTICE_TRUE;
	in.dns_options = &dns;
	push(f, 200, "{'id':'" SNVA "','status':'CREATE_IN_PROGRESS',"
	    "'createdBy':'user','securityGroupIds':['sg-1',"
	    "'sg-0123456789abcdef0'],'privateDnsEnabled':true,'dnsOptions':{"
	    "'privateDnsPreference':'SPECIFIED_DOMAINS_ONLY',"
	    "'privateDnsSpecifiedDomains':['example.com']}}");
	assert_int_equal(lattice_create_sn_vpc_assoc(f->aws, &in, &a,
	    &f->err), 0);
	expect(f, 0, "CreateServiceNetworkVpcAssociation", "POST",
	    "/servicenetworkvpcassociations", "{'serviceNetworkIdentifier':'"
	    SN "','vpcIdentifier':'vpc-12345678','securityGroupIds':['sg-1',"
	    "'sg-0123456789abcdef0'],'privateDnsEnabled':true,'dnsOptions':{"
	    "'privateDnsPreference':'SPECIFIED_DOMAINS_ONLY',"
	    "'privateDnsSpecifiedDomains':['example.com']}}", 1);
	assert_string_equal(a.id, SNVA);
	assert_int_equal(a.n_security_group_ids, 2);
	assert_string_equal(a.security_group_ids[1], "sg-0123456789abcdef0");
	assert_int_equal(a.private_dns_enabled, LATTICE_TRUE);
	assert_string_equal(a.dns_options.private_dns_specified_domains[0],
	    "example.com");
	lattice_sn_vpc_assoc_free(&a);
}

/* GetServiceNetworkVpcAssociation. */
static void
test_get_snva(void **state)
{
	struct fx			*f = *state;
	struct lattice_sn_vpc_assoc	 a;

	push(f, 200, "{'id':'" SNVA "','status':'ACTIVE','vpcId':"
	    "'vpc-12345678','serviceNetworkId':'" SN "','serviceNetworkName':"
	    "'my-hotel','serviceNetworkArn':'" SN_ARN "','securityGroupIds':[],"
	    "'createdAt':'2024-03-01T10:00:00Z','lastUpdatedAt':"
	    "'2026-11-28T06:22:11.342354+00:00'}");
	assert_int_equal(lattice_get_sn_vpc_assoc(f->aws, SNVA, &a, &f->err),
	    0);
	expect(f, 0, "GetServiceNetworkVpcAssociation", "GET",
	    "/servicenetworkvpcassociations/" SNVA, NULL, 0);
	assert_string_equal(a.vpc_id, "vpc-12345678");
	assert_string_equal(a.service_network_name, "my-hotel");
	assert_int_equal(a.n_security_group_ids, 0);
	assert_int_equal(a.last_updated_at.tv_sec, T_MOTO);
	lattice_sn_vpc_assoc_free(&a);
}

/* UpdateServiceNetworkVpcAssociation (security groups). */
static void
test_update_snva(void **state)
{
	struct fx			*f = *state;
	struct lattice_sn_vpc_assoc	 a;
	const char *const		 sgs[] = { "sg-2" };

	push(f, 200, "{'id':'" SNVA "','status':'UPDATE_IN_PROGRESS',"
	    "'securityGroupIds':['sg-2']}");
	assert_int_equal(lattice_update_sn_vpc_assoc(f->aws, SNVA, sgs, 1, &a,
	    &f->err), 0);
	expect(f, 0, "UpdateServiceNetworkVpcAssociation", "PATCH",
	    "/servicenetworkvpcassociations/" SNVA,
	    "{'securityGroupIds':['sg-2']}", 0);
	assert_string_equal(a.status, "UPDATE_IN_PROGRESS");
	assert_string_equal(a.security_group_ids[0], "sg-2");
	lattice_sn_vpc_assoc_free(&a);
}

/* DeleteServiceNetworkVpcAssociation. */
static void
test_delete_snva(void **state)
{
	struct fx	*f = *state;

	push(f, 200, "{'id':'" SNVA "','status':'DELETE_IN_PROGRESS'}");
	assert_int_equal(lattice_delete_sn_vpc_assoc(f->aws, SNVA, NULL,
	    &f->err), 0);
	expect(f, 0, "DeleteServiceNetworkVpcAssociation", "DELETE",
	    "/servicenetworkvpcassociations/" SNVA, NULL, 0);
}

/* ListServiceNetworkVpcAssociations filtered by VPC. */
static void
test_list_snva(void **state)
{
	struct fx				*f = *state;
	struct lattice_list_sn_vpc_assocs_input	 in = { 0 };
	struct lattice_sn_vpc_assoc_list	 l;

	in.vpc_identifier = "vpc-12345678";
	push(f, 200, "{'items':[{'id':'" SNVA "','status':'ACTIVE',"
	    "'vpcId':'vpc-12345678','serviceNetworkArn':'" SN_ARN "'}]}");
	assert_int_equal(lattice_list_sn_vpc_assocs(f->aws, &in, &l, &f->err),
	    0);
	expect(f, 0, "ListServiceNetworkVpcAssociations", "GET",
	    "/servicenetworkvpcassociations?vpcIdentifier=vpc-12345678", NULL,
	    0);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.items[0].service_network_arn, SN_ARN);
	lattice_sn_vpc_assoc_list_free(&l);
}

/* ---- service network - resource configuration associations ---- */

/* CreateServiceNetworkResourceAssociation. */
static void
test_create_snra(void **state)
{
	struct fx					*f = *state;
	struct lattice_create_sn_resource_assoc_input	 in = { 0 };
	struct lattice_sn_resource_assoc		 a;

	in.resource_configuration_identifier = RCFG;
	in.service_network_identifier = SN;
	in.private_dns_enabled = LATTICE_FALSE;
	push(f, 201, "{'id':'" SNRA "','arn':'arn:x','status':"
	    "'CREATE_IN_PROGRESS','createdBy':'123456789012',"
	    "'privateDnsEnabled':false}");
	assert_int_equal(lattice_create_sn_resource_assoc(f->aws, &in, &a,
	    &f->err), 0);
	expect(f, 0, "CreateServiceNetworkResourceAssociation", "POST",
	    "/servicenetworkresourceassociations",
	    "{'resourceConfigurationIdentifier':'" RCFG "',"
	    "'serviceNetworkIdentifier':'" SN "','privateDnsEnabled':false}",
	    1);
	assert_string_equal(a.id, SNRA);
	assert_int_equal(a.private_dns_enabled, LATTICE_FALSE);
	lattice_sn_resource_assoc_free(&a);
}

/* GetServiceNetworkResourceAssociation: every member. */
static void
test_get_snra(void **state)
{
	struct fx				*f = *state;
	struct lattice_sn_resource_assoc	 a;

	push(f, 200, "{'id':'" SNRA "','status':'ACTIVE',"
	    "'resourceConfigurationId':'" RCFG "','resourceConfigurationName':"
	    "'db','serviceNetworkName':'my-hotel','dnsEntry':{'domainName':"
	    "'db.on.aws'},'privateDnsEntry':{'domainName':'db.internal'},"
	    "'isManagedAssociation':true,'domainVerificationStatus':"
	    "'VERIFIED','failureReason':'none'}");
	assert_int_equal(lattice_get_sn_resource_assoc(f->aws, SNRA, &a,
	    &f->err), 0);
	expect(f, 0, "GetServiceNetworkResourceAssociation", "GET",
	    "/servicenetworkresourceassociations/" SNRA, NULL, 0);
	assert_string_equal(a.resource_configuration_name, "db");
	assert_string_equal(a.private_dns_entry.domain_name, "db.internal");
	assert_string_equal(a.dns_entry.domain_name, "db.on.aws");
	assert_int_equal(a.is_managed_association, LATTICE_TRUE);
	assert_string_equal(a.domain_verification_status, "VERIFIED");
	assert_string_equal(a.failure_reason, "none");
	lattice_sn_resource_assoc_free(&a);
}

/* DeleteServiceNetworkResourceAssociation. */
static void
test_delete_snra(void **state)
{
	struct fx				*f = *state;
	struct lattice_sn_resource_assoc	 a;

	push(f, 200, "{'id':'" SNRA "','status':'DELETE_IN_PROGRESS'}");
	assert_int_equal(lattice_delete_sn_resource_assoc(f->aws, SNRA, &a,
	    &f->err), 0);
	expect(f, 0, "DeleteServiceNetworkResourceAssociation", "DELETE",
	    "/servicenetworkresourceassociations/" SNRA, NULL, 0);
	assert_string_equal(a.status, "DELETE_IN_PROGRESS");
	lattice_sn_resource_assoc_free(&a);
}

/* ListServiceNetworkResourceAssociations with includeChildren. */
static void
test_list_snra(void **state)
{
	struct fx					*f = *state;
	struct lattice_list_sn_resource_assocs_input	 in = { 0 };
	struct lattice_sn_resource_assoc_list		 l;

	in.service_network_identifier = SN;
	in.include_children = LATTICE_TRUE;
	push(f, 200, "{'items':[{'id':'" SNRA "'},{'id':'snra-2'}]}");
	assert_int_equal(lattice_list_sn_resource_assocs(f->aws, &in, &l,
	    &f->err), 0);
	expect(f, 0, "ListServiceNetworkResourceAssociations", "GET",
	    "/servicenetworkresourceassociations?serviceNetworkIdentifier=" SN
	    "&includeChildren=true", NULL, 0);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.items[1].id, "snra-2");
	lattice_sn_resource_assoc_list_free(&l);
}

/* ---- listeners ---- */

/* CreateListener with a fixed-response default action. */
static void
test_create_listener(void **state)
{
	struct fx				*f = *state;
	struct lattice_create_listener_input	 in = { 0 };
	struct lattice_rule_action		 act = { 0 };
	struct lattice_listener			 l;

	act.kind = LATTICE_ACTION_FIXED_RESPONSE;
	act.status_code = 404;
	in.service_identifier = SVC;
	in.name = "rates-default-80-http";
	in.protocol = "HTTP";
	in.port = 80;
	in.default_action = &act;
	push(f, 201, "{'arn':'" SVC_ARN "/listener/" LIS "','id':'" LIS "',"
	    "'name':'rates-default-80-http','protocol':'HTTP','port':80,"
	    "'serviceArn':'" SVC_ARN "','serviceId':'" SVC "',"
	    "'defaultAction':{'fixedResponse':{'statusCode':404}}}");
	assert_int_equal(lattice_create_listener(f->aws, &in, &l, &f->err), 0);
	expect(f, 0, "CreateListener", "POST", "/services/" SVC "/listeners",
	    "{'name':'rates-default-80-http','protocol':'HTTP','port':80,"
	    "'defaultAction':{'fixedResponse':{'statusCode':404}}}", 1);
	assert_string_equal(l.id, LIS);
	assert_int_equal(l.port, 80);
	assert_string_equal(l.service_id, SVC);
	assert_int_equal(l.default_action.kind, LATTICE_ACTION_FIXED_RESPONSE);
	assert_int_equal(l.default_action.status_code, 404);
	lattice_listener_free(&l);
}

/* GetListener with a forward default action. */
static void
test_get_listener(void **state)
{
	struct fx		*f = *state;
	struct lattice_listener	 l;

	push(f, 200, "{'id':'" LIS "','name':'tls-443-tls','protocol':"
	    "'TLS_PASSTHROUGH','port':443,'defaultAction':{'forward':{"
	    "'targetGroups':[{'targetGroupIdentifier':'" TG "','weight':1}]}},"
	    "'createdAt':'2024-03-01T10:00:00Z'}");
	assert_int_equal(lattice_get_listener(f->aws, SVC, LIS, &l, &f->err),
	    0);
	expect(f, 0, "GetListener", "GET", "/services/" SVC "/listeners/" LIS,
	    NULL, 0);
	assert_string_equal(l.protocol, "TLS_PASSTHROUGH");
	assert_int_equal(l.default_action.kind, LATTICE_ACTION_FORWARD);
	assert_int_equal(l.default_action.n_target_groups, 1);
	assert_string_equal(l.default_action.target_groups[0].target_group_id,
	    TG);
	assert_int_equal(l.default_action.target_groups[0].weight, 1);
	assert_int_equal(l.created_at.tv_sec, T_AWS);
	lattice_listener_free(&l);
}

/* UpdateListener: weight 0 is sent, a negative one is not. */
static void
test_update_listener(void **state)
{
	struct fx			*f = *state;
	struct lattice_weighted_tg	 tgs[] = { { TG, 0 }, { TG2, -1 } };
	struct lattice_rule_action	 act = { LATTICE_ACTION_FORWARD, tgs, 2,
	    0 };
	struct lattice_listener		 l;

	push(f, 200, "{'id':'" LIS "','defaultAction':{'forward':{"
	    "'targetGroups':[{'targetGroupIdentifier':'" TG "','weight':0},"
	    "{'targetGroupIdentifier':'" TG2 "'}]}}}");
	assert_int_equal(lattice_update_listener(f->aws, SVC, LIS, &act, &l,
	    &f->err), 0);
	expect(f, 0, "UpdateListener", "PATCH", "/services/" SVC "/listeners/"
	    LIS, "{'defaultAction':{'forward':{'targetGroups':[{"
	    "'targetGroupIdentifier':'" TG "','weight':0},{"
	    "'targetGroupIdentifier':'" TG2 "'}]}}}", 0);
	assert_int_equal(l.default_action.target_groups[0].weight, 0);
	assert_int_equal(l.default_action.target_groups[1].weight, -1);
	lattice_listener_free(&l);
}

/* DeleteListener. */
static void
test_delete_listener(void **state)
{
	struct fx	*f = *state;

	canned_push(&f->c, 204, "", NULL, NULL);
	assert_int_equal(lattice_delete_listener(f->aws, SVC, LIS, &f->err), 0);
	expect(f, 0, "DeleteListener", "DELETE", "/services/" SVC "/listeners/"
	    LIS, NULL, 0);
}

/* ListListeners of a service given by ARN. */
static void
test_list_listeners(void **state)
{
	struct fx			*f = *state;
	struct lattice_listener_list	 l;

	push(f, 200, "{'items':[{'id':'" LIS "','port':80,'protocol':'HTTP'},"
	    "{'id':'listener-2','port':443,'protocol':'HTTPS'}]}");
	assert_int_equal(lattice_list_listeners(f->aws, SVC_ARN, NULL, &l,
	    &f->err), 0);
	expect(f, 0, "ListListeners", "GET", "/services/" SVC_ARN_ENC
	    "/listeners", NULL, 0);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.items[1].port, 443);
	assert_string_equal(l.items[1].protocol, "HTTPS");
	lattice_listener_list_free(&l);
}

/* ---- rules ---- */

/* CreateRule: the full match and weighted forward unions. */
static void
test_create_rule(void **state)
{
	struct fx			*f = *state;
	struct lattice_create_rule_input in = { 0 };
	struct lattice_rule_match	 m;
	struct lattice_header_match	 h[2];
	struct lattice_rule_action	 a;
	struct lattice_weighted_tg	 tgs[2];
	struct lattice_rule		 r;

	fill_rule(&m, h, &a, tgs);
	in.service_identifier = SVC;
	in.listener_identifier = LIS;
	in.name = "rates-rule-1";
	in.match = &m;
	in.priority = 3;
	in.action = &a;
	push(f, 201, "{'arn':'" SVC_ARN "/listener/" LIS "/rule/" RULE "',"
	    "'id':'" RULE "','name':'rates-rule-1','priority':3,'match':"
	    RULE_MATCH ",'action':" RULE_ACTION "}");
	assert_int_equal(lattice_create_rule(f->aws, &in, &r, &f->err), 0);
	expect(f, 0, "CreateRule", "POST", "/services/" SVC "/listeners/" LIS
	    "/rules", "{'name':'rates-rule-1','priority':3,'match':" RULE_MATCH
	    ",'action':" RULE_ACTION "}", 1);
	assert_string_equal(r.id, RULE);
	assert_int_equal(r.priority, 3);
	assert_int_equal(r.is_default, 0);
	check_rule_parts(&r);
	lattice_rule_free(&r);
}

/* GetRule of a default rule (no match, fixed 404). */
static void
test_get_rule(void **state)
{
	struct fx		*f = *state;
	struct lattice_rule	 r;

	push(f, 200, "{'id':'rule-default','name':'default','isDefault':true,"
	    "'action':{'fixedResponse':{'statusCode':404}},'lastUpdatedAt':"
	    "'2024-03-01T10:00:00Z'}");
	assert_int_equal(lattice_get_rule(f->aws, SVC, LIS, RULE, &r,
	    &f->err), 0);
	expect(f, 0, "GetRule", "GET", "/services/" SVC "/listeners/" LIS
	    "/rules/" RULE, NULL, 0);
	assert_int_equal(r.is_default, 1);
	assert_int_equal(r.match.present, 0);
	assert_int_equal(r.priority, 0);
	assert_int_equal(r.action.kind, LATTICE_ACTION_FIXED_RESPONSE);
	assert_int_equal(r.action.status_code, 404);
	assert_int_equal(r.last_updated_at.tv_sec, T_AWS);
	lattice_rule_free(&r);
}

/* UpdateRule: priority only, then match and action only. */
static void
test_update_rule(void **state)
{
	struct fx			*f = *state;
	struct lattice_update_rule_input in = { 0 };
	struct lattice_rule_match	 m;
	struct lattice_header_match	 h[2];
	struct lattice_rule_action	 a;
	struct lattice_weighted_tg	 tgs[2];
	struct lattice_rule		 r;

	in.service_identifier = SVC;
	in.listener_identifier = LIS;
	in.rule_identifier = RULE;
	in.priority = 7;
	push(f, 200, "{'id':'" RULE "','priority':7,'isDefault':false}");
	assert_int_equal(lattice_update_rule(f->aws, &in, &r, &f->err), 0);
	expect(f, 0, "UpdateRule", "PATCH", "/services/" SVC "/listeners/" LIS
	    "/rules/" RULE, "{'priority':7}", 0);
	assert_int_equal(r.priority, 7);
	lattice_rule_free(&r);

	fill_rule(&m, h, &a, tgs);
	in.priority = 0;
	in.match = &m;
	in.action = &a;
	push(f, 200, "{'id':'" RULE "','match':" RULE_MATCH ",'action':"
	    RULE_ACTION "}");
	assert_int_equal(lattice_update_rule(f->aws, &in, &r, &f->err), 0);
	expect(f, 1, "UpdateRule", "PATCH", "/services/" SVC "/listeners/" LIS
	    "/rules/" RULE, "{'match':" RULE_MATCH ",'action':" RULE_ACTION "}",
	    0);
	check_rule_parts(&r);
	lattice_rule_free(&r);
}

/* DeleteRule. */
static void
test_delete_rule(void **state)
{
	struct fx	*f = *state;

	canned_push(&f->c, 204, "", NULL, NULL);
	assert_int_equal(lattice_delete_rule(f->aws, SVC, LIS, RULE, &f->err),
	    0);
	expect(f, 0, "DeleteRule", "DELETE", "/services/" SVC "/listeners/" LIS
	    "/rules/" RULE, NULL, 0);
}

/* ListRules: summaries with isDefault. */
static void
test_list_rules(void **state)
{
	struct fx		*f = *state;
	struct lattice_rule_list l;

	push(f, 200, "{'items':[{'id':'" RULE "','name':'r1','priority':1,"
	    "'isDefault':false},{'id':'rule-d','name':'default','isDefault':"
	    "true}]}");
	assert_int_equal(lattice_list_rules(f->aws, SVC, LIS, NULL, &l,
	    &f->err), 0);
	expect(f, 0, "ListRules", "GET", "/services/" SVC "/listeners/" LIS
	    "/rules", NULL, 0);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.items[0].priority, 1);
	assert_int_equal(l.items[0].is_default, 0);
	assert_int_equal(l.items[1].is_default, 1);
	lattice_rule_list_free(&l);
}

/* BatchUpdateRule: successful and unsuccessful lists. */
static void
test_batch_update_rule(void **state)
{
	struct fx				*f = *state;
	struct lattice_update_rule_input	 rules[2];
	struct lattice_batch_update_rule_input	 in = { SVC, LIS, rules, 2 };
	struct lattice_batch_update_rule_result	 res;

	memset(rules, 0, sizeof(rules));
	rules[0].rule_identifier = RULE;
	rules[0].priority = 2;
	rules[1].rule_identifier = "rule-2";
	rules[1].priority = 1;
	push(f, 200, "{'successful':[{'id':'" RULE "','priority':2,'match':"
	    RULE_MATCH ",'action':" RULE_ACTION "}],'unsuccessful':[{"
	    "'ruleIdentifier':'rule-2','failureCode':'ConflictException',"
	    "'failureMessage':'priority in use'}]}");
	assert_int_equal(lattice_batch_update_rule(f->aws, &in, &res, &f->err),
	    0);
	expect(f, 0, "BatchUpdateRule", "PATCH", "/services/" SVC "/listeners/"
	    LIS "/rules", "{'rules':[{'ruleIdentifier':'" RULE "',"
	    "'priority':2},"
	    "{'ruleIdentifier':'rule-2','priority':1}]}", 0);
	assert_int_equal(res.n_successful, 1);
	assert_int_equal(res.successful[0].priority, 2);
	check_rule_parts(&res.successful[0]);
	assert_int_equal(res.n_unsuccessful, 1);
	assert_string_equal(res.unsuccessful[0].rule_identifier, "rule-2");
	assert_string_equal(res.unsuccessful[0].failure_code,
	    "ConflictException");
	assert_string_equal(res.unsuccessful[0].failure_message,
	    "priority in use");
	lattice_batch_update_rule_result_free(&res);
}

/* ---- target groups ---- */

#define TG_CONFIG "{'port':8090,'protocol':'HTTP','protocolVersion':'GRPC'," \
	"'ipAddressType':'IPV4','vpcIdentifier':'vpc-12345678'," \
	"'healthCheck':{" \
	"'enabled':true,'protocol':'HTTP','protocolVersion':'HTTP2','port':" \
	"8091,'path':'/healthz','healthCheckIntervalSeconds':10," \
	"'healthCheckTimeoutSeconds':2,'healthyThresholdCount':3," \
	"'unhealthyThresholdCount':4,'matcher':{'httpCode':'200-299'}}}"

/* CreateTargetGroup: the whole config and health check. */
static void
test_create_target_group(void **state)
{
	struct fx					*f = *state;
	struct lattice_create_target_group_input	 in = { 0 };
	struct lattice_tg_config			 c = { 0 };
	struct lattice_target_group			 tg;
	struct lattice_health_check			*h;

	c.port = 8090;
	c.protocol = "HTTP";
	c.protocol_version = "GRPC";
	c.ip_address_type = "IPV4";
	c.vpc_identifier = "vpc-12345678";
	h = &c.health_check;
	h->present = 1;
	h->enabled = LATTICE_TRUE;
	h->protocol = "HTTP";
	h->protocol_version = "HTTP2";
	h->port = 8091;
	h->path = "/healthz";
	h->interval_seconds = 10;
	h->timeout_seconds = 2;
	h->healthy_threshold = 3;
	h->unhealthy_threshold = 4;
	h->matcher_http_code = "200-299";
	in.name = "k8s-default-rates-abcdefghij";
	in.type = "IP";
	in.config = &c;
	push(f, 201, "{'id':'" TG "','arn':'arn:tg','name':"
	    "'k8s-default-rates-abcdefghij','type':'IP','status':'ACTIVE',"
	    "'config':" TG_CONFIG "}");
	assert_int_equal(lattice_create_target_group(f->aws, &in, &tg,
	    &f->err), 0);
	expect(f, 0, "CreateTargetGroup", "POST", "/targetgroups", "{'name':"
	    "'k8s-default-rates-abcdefghij','type':'IP','config':" TG_CONFIG
	    "}", 1);
	assert_string_equal(tg.id, TG);
	assert_string_equal(tg.type, "IP");
	assert_string_equal(tg.status, "ACTIVE");
	assert_int_equal(tg.config.present, 1);
	assert_int_equal(tg.config.port, 8090);
	assert_string_equal(tg.config.protocol_version, "GRPC");
	assert_string_equal(tg.config.vpc_identifier, "vpc-12345678");
	h = &tg.config.health_check;
	assert_int_equal(h->present, 1);
	assert_int_equal(h->enabled, LATTICE_TRUE);
	assert_string_equal(h->protocol_version, "HTTP2");
	assert_int_equal(h->port, 8091);
	assert_string_equal(h->path, "/healthz");
	assert_int_equal(h->interval_seconds, 10);
	assert_int_equal(h->timeout_seconds, 2);
	assert_int_equal(h->healthy_threshold, 3);
	assert_int_equal(h->unhealthy_threshold, 4);
	assert_string_equal(h->matcher_http_code, "200-299");
	lattice_target_group_free(&tg);
}

/* GetTargetGroup of a Lambda group: serviceArns, failures. */
static void
test_get_target_group(void **state)
{
	struct fx			*f = *state;
	struct lattice_target_group	 tg;

	push(f, 200, "{'id':'" TG "','name':'lambda-tg','type':'LAMBDA',"
	    "'config':{'lambdaEventStructureVersion':'V2'},'status':"
	    "'CREATE_FAILED','serviceArns':['" SVC_ARN "','arn:2'],"
	    "'createdAt':'2026-11-28T06:22:11.342354+00:00','failureCode':"
	    "'F','failureMessage':'M'}");
	assert_int_equal(lattice_get_target_group(f->aws, TG, &tg, &f->err), 0);
	expect(f, 0, "GetTargetGroup", "GET", "/targetgroups/" TG, NULL, 0);
	assert_string_equal(tg.config.lambda_event_structure_version, "V2");
	assert_int_equal(tg.config.health_check.present, 0);
	assert_int_equal(tg.n_service_arns, 2);
	assert_string_equal(tg.service_arns[0], SVC_ARN);
	assert_int_equal(tg.created_at.tv_sec, T_MOTO);
	assert_string_equal(tg.failure_code, "F");
	assert_string_equal(tg.failure_message, "M");
	lattice_target_group_free(&tg);
}

/* UpdateTargetGroup (the health check). */
static void
test_update_target_group(void **state)
{
	struct fx			*f = *state;
	struct lattice_health_check	 h = { 0 };
	struct lattice_target_group	 tg;

	h.enabled = LATTICE_FALSE;
	h.path = "/";
	push(f, 200, "{'id':'" TG "','config':{'healthCheck':{'enabled':false,"
	    "'path':'/'}},'status':'ACTIVE'}");
	assert_int_equal(lattice_update_target_group(f->aws, TG, &h, &tg,
	    &f->err), 0);
	expect(f, 0, "UpdateTargetGroup", "PATCH", "/targetgroups/" TG,
	    "{'healthCheck':{'enabled':false,'path':'/'}}", 0);
	assert_int_equal(tg.config.health_check.enabled, LATTICE_FALSE);
	lattice_target_group_free(&tg);
}

/* DeleteTargetGroup. */
static void
test_delete_target_group(void **state)
{
	struct fx			*f = *state;
	struct lattice_target_group	 tg;

	push(f, 200, "{'id':'" TG "','arn':'arn:tg','status':"
	    "'DELETE_IN_PROGRESS'}");
	assert_int_equal(lattice_delete_target_group(f->aws, TG, &tg, &f->err),
	    0);
	expect(f, 0, "DeleteTargetGroup", "DELETE", "/targetgroups/" TG, NULL,
	    0);
	assert_string_equal(tg.status, "DELETE_IN_PROGRESS");
	lattice_target_group_free(&tg);
}

/* ListTargetGroups: filters; summary members land in config. */
static void
test_list_target_groups(void **state)
{
	struct fx				*f = *state;
	struct lattice_list_target_groups_input	 in = { 0 };
	struct lattice_target_group_list	 l;

	in.vpc_identifier = "vpc-12345678";
	in.target_group_type = "IP";
	in.page.max_results = 10;
	push(f, 200, "{'items':[{'id':'" TG "','name':'k8s-a','type':'IP',"
	    "'port':80,'protocol':'HTTP','ipAddressType':'IPV4',"
	    "'vpcIdentifier':'vpc-12345678','status':'ACTIVE','serviceArns':["
	    "'" SVC_ARN "']},{'id':'tg-2','type':'LAMBDA'}]}");
	assert_int_equal(lattice_list_target_groups(f->aws, &in, &l, &f->err),
	    0);
	expect(f, 0, "ListTargetGroups", "GET", "/targetgroups?vpcIdentifier="
	    "vpc-12345678&targetGroupType=IP&maxResults=10", NULL, 0);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.items[0].config.present, 1);
	assert_int_equal(l.items[0].config.port, 80);
	assert_string_equal(l.items[0].config.protocol, "HTTP");
	assert_string_equal(l.items[0].config.ip_address_type, "IPV4");
	assert_string_equal(l.items[0].config.vpc_identifier, "vpc-12345678");
	assert_int_equal(l.items[0].n_service_arns, 1);
	assert_int_equal(l.items[1].config.present, 0);
	lattice_target_group_list_free(&l);
}

/* ---- targets ---- */

/* RegisterTargets: a port of 0 is omitted; failures parsed. */
static void
test_register_targets(void **state)
{
	struct fx			*f = *state;
	struct lattice_target		 t[2] = { { "10.0.0.1", 8080, NULL,
	    NULL }, { "10.0.0.2", 0, NULL, NULL } };
	struct lattice_targets_result	 res;

	push(f, 200, "{'successful':[{'id':'10.0.0.1','port':8080}],"
	    "'unsuccessful':[{'id':'10.0.0.2','port':80,'failureCode':"
	    "'InvalidTarget','failureMessage':'not in VPC'}]}");
	assert_int_equal(lattice_register_targets(f->aws, TG, t, 2, &res,
	    &f->err), 0);
	expect(f, 0, "RegisterTargets", "POST", "/targetgroups/" TG
	    "/registertargets", "{'targets':[{'id':'10.0.0.1','port':8080},"
	    "{'id':'10.0.0.2'}]}", 0);
	assert_int_equal(res.n_successful, 1);
	assert_string_equal(res.successful[0].id, "10.0.0.1");
	assert_int_equal(res.successful[0].port, 8080);
	assert_int_equal(res.n_unsuccessful, 1);
	assert_string_equal(res.unsuccessful[0].id, "10.0.0.2");
	assert_int_equal(res.unsuccessful[0].port, 80);
	assert_string_equal(res.unsuccessful[0].failure_code, "InvalidTarget");
	assert_string_equal(res.unsuccessful[0].failure_message, "not in VPC");
	lattice_targets_result_free(&res);
}

/* DeregisterTargets on a group given by ARN. */
static void
test_deregister_targets(void **state)
{
	struct fx			*f = *state;
	struct lattice_target		 t = { "10.0.0.1", 8080, NULL, NULL };
	struct lattice_targets_result	 res;

	push(f, 200, "{'successful':[{'id':'10.0.0.1','port':8080}],"
	    "'unsuccessful':[]}");
	assert_int_equal(lattice_deregister_targets(f->aws, TG_ARN, &t, 1, &res,
	    &f->err), 0);
	expect(f, 0, "DeregisterTargets", "POST", "/targetgroups/arn%3Aaws%3A"
	    "vpc-lattice%3Aus-west-2%3A123456789012%3Atargetgroup%2F" TG2
	    "/deregistertargets", "{'targets':[{'id':'10.0.0.1','port':8080}]}",
	    0);
	assert_int_equal(res.n_successful, 1);
	assert_int_equal(res.n_unsuccessful, 0);
	lattice_targets_result_free(&res);
}

/* ListTargets: a POST with a filter body, or {} without one. */
static void
test_list_targets(void **state)
{
	struct fx			*f = *state;
	struct lattice_target		 filter = { "10.0.0.1", 8080, NULL,
	    NULL };
	struct lattice_list_targets_input in = { 0 };
	struct lattice_target_list	 l;

	in.target_group_identifier = TG;
	in.targets = &filter;
	in.n_targets = 1;
	in.page.max_results = 10;
	push(f, 200, "{'items':[{'id':'10.0.0.1','port':8080,'status':"
	    "'UNHEALTHY','reasonCode':'HealthCheckFailed'}]}");
	assert_int_equal(lattice_list_targets(f->aws, &in, &l, &f->err), 0);
	expect(f, 0, "ListTargets", "POST", "/targetgroups/" TG
	    "/listtargets?maxResults=10", "{'targets':[{'id':'10.0.0.1',"
	    "'port':8080}]}", 0);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.items[0].status, "UNHEALTHY");
	assert_string_equal(l.items[0].reason_code, "HealthCheckFailed");
	assert_int_equal(l.items[0].port, 8080);
	lattice_target_list_free(&l);

	memset(&in, 0, sizeof(in));
	in.target_group_identifier = TG;
	push(f, 200, "{'items':[]}");
	assert_int_equal(lattice_list_targets(f->aws, &in, &l, &f->err), 0);
	expect(f, 1, "ListTargets", "POST", "/targetgroups/" TG "/listtargets",
	    "{}", 0);
	assert_int_equal(l.n, 0);
	lattice_target_list_free(&l);
}

/* ---- auth and resource policies ---- */

#define POLICY "{\\'Version\\':\\'2012-10-17\\',\\'Statement\\':[]}"

/* PutAuthPolicy: the policy is a JSON string member. */
static void
test_put_auth_policy(void **state)
{
	struct fx			*f = *state;
	struct lattice_auth_policy	 p;
	const char			*doc =
	    "{\"Version\":\"2012-10-17\",\"Statement\":[]}";

	push(f, 200, "{'policy':'" POLICY "','state':'Inactive'}");
	assert_int_equal(lattice_put_auth_policy(f->aws, SVC, doc, &p,
	    &f->err), 0);
	expect(f, 0, "PutAuthPolicy", "PUT", "/authpolicy/" SVC,
	    "{'policy':'" POLICY "'}", 0);
	assert_string_equal(p.policy, doc);
	assert_string_equal(p.state, "Inactive");
	lattice_auth_policy_free(&p);
}

/* GetAuthPolicy by ARN. */
static void
test_get_auth_policy(void **state)
{
	struct fx			*f = *state;
	struct lattice_auth_policy	 p;

	push(f, 200, "{'policy':'{}','state':'Active','createdAt':"
	    "'2024-03-01T10:00:00Z','lastUpdatedAt':"
	    "'2026-11-28T06:22:11.342354+00:00'}");
	assert_int_equal(lattice_get_auth_policy(f->aws, SN_ARN, &p, &f->err),
	    0);
	expect(f, 0, "GetAuthPolicy", "GET", "/authpolicy/arn%3Aaws%3A"
	    "vpc-lattice%3Aus-west-2%3A123456789012%3Aservicenetwork%2F" SN,
	    NULL, 0);
	assert_string_equal(p.state, "Active");
	assert_int_equal(p.created_at.tv_sec, T_AWS);
	assert_int_equal(p.last_updated_at.tv_sec, T_MOTO);
	lattice_auth_policy_free(&p);
}

/* DeleteAuthPolicy. */
static void
test_delete_auth_policy(void **state)
{
	struct fx	*f = *state;

	canned_push(&f->c, 204, "", NULL, NULL);
	assert_int_equal(lattice_delete_auth_policy(f->aws, SVC, &f->err), 0);
	expect(f, 0, "DeleteAuthPolicy", "DELETE", "/authpolicy/" SVC, NULL, 0);
}

/* Put, Get and DeleteResourcePolicy by ARN. */
static void
test_resource_policy(void **state)
{
	struct fx	*f = *state;
	char		*doc;

	canned_push(&f->c, 200, "{}", NULL, NULL);
	push(f, 200, "{'policy':'" POLICY "'}");
	canned_push(&f->c, 204, "", NULL, NULL);
	assert_int_equal(lattice_put_resource_policy(f->aws, SVC_ARN, "{}",
	    &f->err), 0);
	assert_int_equal(lattice_get_resource_policy(f->aws, SVC_ARN, &doc,
	    &f->err), 0);
	assert_int_equal(lattice_delete_resource_policy(f->aws, SVC_ARN,
	    &f->err), 0);
	expect(f, 0, "PutResourcePolicy", "PUT", "/resourcepolicy/"
	    SVC_ARN_ENC, "{'policy':'{}'}", 0);
	expect(f, 1, "GetResourcePolicy", "GET", "/resourcepolicy/"
	    SVC_ARN_ENC, NULL, 0);
	expect(f, 2, "DeleteResourcePolicy", "DELETE", "/resourcepolicy/"
	    SVC_ARN_ENC, NULL, 0);
	assert_string_equal(doc,
	    "{\"Version\":\"2012-10-17\",\"Statement\":[]}");
	free(doc);
}

/* ---- access log subscriptions ---- */

/* CreateAccessLogSubscription. */
static void
test_create_access_log_sub(void **state)
{
	struct fx					*f = *state;
	struct lattice_create_access_log_sub_input	 in = { 0 };
	struct lattice_access_log_sub			 a;

	in.resource_identifier = SN;
	in.destination_arn = LOGS;
	in.service_network_log_type = "SERVICE";
	push(f, 201, "{'id':'" ALS "','arn':'arn:als','resourceId':'" SN "',"
	    "'resourceArn':'" SN_ARN "','destinationArn':'" LOGS "',"
	    "'serviceNetworkLogType':'SERVICE'}");
	assert_int_equal(lattice_create_access_log_sub(f->aws, &in, &a,
	    &f->err), 0);
	expect(f, 0, "CreateAccessLogSubscription", "POST",
	    "/accesslogsubscriptions", "{'resourceIdentifier':'" SN "',"
	    "'destinationArn':'" LOGS "','serviceNetworkLogType':'SERVICE'}",
	    1);
	assert_string_equal(a.id, ALS);
	assert_string_equal(a.resource_id, SN);
	assert_string_equal(a.resource_arn, SN_ARN);
	assert_string_equal(a.destination_arn, LOGS);
	assert_string_equal(a.service_network_log_type, "SERVICE");
	lattice_access_log_sub_free(&a);
}

/* GetAccessLogSubscription. */
static void
test_get_access_log_sub(void **state)
{
	struct fx			*f = *state;
	struct lattice_access_log_sub	 a;

	push(f, 200, "{'id':'" ALS "','arn':'arn:als','resourceId':'" SVC "',"
	    "'resourceArn':'" SVC_ARN "','destinationArn':'" LOGS "',"
	    "'createdAt':'2024-03-01T10:00:00Z','lastUpdatedAt':"
	    "'2024-03-01T10:00:00Z'}");
	assert_int_equal(lattice_get_access_log_sub(f->aws, ALS, &a, &f->err),
	    0);
	expect(f, 0, "GetAccessLogSubscription", "GET",
	    "/accesslogsubscriptions/" ALS, NULL, 0);
	assert_string_equal(a.resource_arn, SVC_ARN);
	assert_int_equal(a.created_at.tv_sec, T_AWS);
	assert_null(a.service_network_log_type);
	lattice_access_log_sub_free(&a);
}

/* UpdateAccessLogSubscription (the destination). */
static void
test_update_access_log_sub(void **state)
{
	struct fx			*f = *state;
	struct lattice_access_log_sub	 a;

	push(f, 200, "{'id':'" ALS "','destinationArn':'arn:aws:s3:::bucket'}");
	assert_int_equal(lattice_update_access_log_sub(f->aws, ALS,
	    "arn:aws:s3:::bucket", &a, &f->err), 0);
	expect(f, 0, "UpdateAccessLogSubscription", "PATCH",
	    "/accesslogsubscriptions/" ALS,
	    "{'destinationArn':'arn:aws:s3:::bucket'}", 0);
	assert_string_equal(a.destination_arn, "arn:aws:s3:::bucket");
	lattice_access_log_sub_free(&a);
}

/* DeleteAccessLogSubscription. */
static void
test_delete_access_log_sub(void **state)
{
	struct fx	*f = *state;

	canned_push(&f->c, 204, "", NULL, NULL);
	assert_int_equal(lattice_delete_access_log_sub(f->aws, ALS, &f->err),
	    0);
	expect(f, 0, "DeleteAccessLogSubscription", "DELETE",
	    "/accesslogsubscriptions/" ALS, NULL, 0);
}

/* ListAccessLogSubscriptions: an empty nextToken ends it. */
static void
test_list_access_log_subs(void **state)
{
	struct fx				*f = *state;
	struct lattice_access_log_sub_list	 l;

	/* moto answers "nextToken": "" on the last page. */
	push(f, 200, "{'items':[{'id':'" ALS "','destinationArn':'" LOGS "'}],"
	    "'nextToken':''}");
	assert_int_equal(lattice_list_access_log_subs(f->aws, SVC_ARN, NULL, &l,
	    &f->err), 0);
	expect(f, 0, "ListAccessLogSubscriptions", "GET",
	    "/accesslogsubscriptions?resourceIdentifier=" SVC_ARN_ENC, NULL, 0);
	assert_int_equal(f->c.n_req, 1);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.items[0].destination_arn, LOGS);
	assert_null(l.next_token);
	lattice_access_log_sub_list_free(&l);
}

/* ---- tags ---- */

/* TagResource, UntagResource (repeated tagKeys), ListTagsForResource. */
static void
test_tags(void **state)
{
	struct fx		*f = *state;
	struct aws_tags		 tags = { 0 }, got;
	const char *const	 keys[] = { "a",
	    "application-networking.k8s.aws/RouteName" };

	aws_tags_set(&tags, "a", "1");
	aws_tags_set(&tags, "b", "two words");
	canned_push(&f->c, 200, "{}", NULL, NULL);
	canned_push(&f->c, 200, "{}", NULL, NULL);
	push(f, 200, "{'tags':{'b':'two words','n':7}}");
	assert_int_equal(lattice_tag_resource(f->aws, SVC_ARN, &tags, &f->err),
	    0);
	assert_int_equal(lattice_untag_resource(f->aws, SVC_ARN, keys, 2,
	    &f->err), 0);
	assert_int_equal(lattice_list_tags(f->aws, SVC_ARN, &got, &f->err), 0);
	expect(f, 0, "TagResource", "POST", "/tags/" SVC_ARN_ENC,
	    "{'tags':{'a':'1','b':'two words'}}", 0);
	expect(f, 1, "UntagResource", "DELETE", "/tags/" SVC_ARN_ENC
	    "?tagKeys=a&tagKeys=application-networking.k8s.aws%2FRouteName",
	    NULL, 0);
	expect(f, 2, "ListTagsForResource", "GET", "/tags/" SVC_ARN_ENC, NULL,
	    0);
	assert_int_equal(got.n, 1);
	assert_string_equal(aws_tags_get(&got, "b"), "two words");
	aws_tags_free(&got);
	aws_tags_free(&tags);
}

/* Every operation was exercised above (this runs last). */
static void
test_all_operations_covered(void **state)
{
	size_t	i, j, missing = 0;

	for (i = 0; i < N_ALL_OPS; i++) {
		for (j = 0; j < n_covered; j++)
			if (strcmp(covered[j], all_ops[i]) == 0)
				break;
		if (j == n_covered) {
			printf("not covered: %s\n", all_ops[i]);
			missing++;
		}
	}
	printf("lattice: %zu of %zu operations covered by canned tests "
	    "(method, path, query, body, typed output)%s\n", n_covered,
	    N_ALL_OPS, model != NULL ? ", URIs checked against the model" : "");
	assert_int_equal(missing, 0);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_create_service),
		T(test_get_service),
		T(test_update_service),
		T(test_delete_service),
		T(test_list_services),
		T(test_create_service_network),
		T(test_get_service_network),
		T(test_update_service_network),
		T(test_delete_service_network),
		T(test_list_service_networks),
		T(test_create_snsa),
		T(test_get_snsa),
		T(test_delete_snsa),
		T(test_list_snsa),
		T(test_create_snva),
		T(test_get_snva),
		T(test_update_snva),
		T(test_delete_snva),
		T(test_list_snva),
		T(test_create_snra),
		T(test_get_snra),
		T(test_delete_snra),
		T(test_list_snra),
		T(test_create_listener),
		T(test_get_listener),
		T(test_update_listener),
		T(test_delete_listener),
		T(test_list_listeners),
		T(test_create_rule),
		T(test_get_rule),
		T(test_update_rule),
		T(test_delete_rule),
		T(test_list_rules),
		T(test_batch_update_rule),
		T(test_create_target_group),
		T(test_get_target_group),
		T(test_update_target_group),
		T(test_delete_target_group),
		T(test_list_target_groups),
		T(test_register_targets),
		T(test_deregister_targets),
		T(test_list_targets),
		T(test_put_auth_policy),
		T(test_get_auth_policy),
		T(test_delete_auth_policy),
		T(test_resource_policy),
		T(test_create_access_log_sub),
		T(test_get_access_log_sub),
		T(test_update_access_log_sub),
		T(test_delete_access_log_sub),
		T(test_list_access_log_subs),
		T(test_tags),
		cmocka_unit_test(test_all_operations_covered),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
