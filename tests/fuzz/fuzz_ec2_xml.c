/* Fuzz the typed EC2 and IAM response parsers: the input is one XML
 * response document, run through every parser (each reads what it knows
 * and must not crash or leak on anything else). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>

#include "latticectl/ec2.h"
#include "latticectl/iam.h"

/* Run every EC2 parser over doc and release what they built. */
static void
fuzz_ec2(xmlDoc *doc)
{
	struct ec2_vpcs			 vpcs = { 0 };
	struct ec2_subnets		 subnets = { 0 };
	struct ec2_security_groups	 sgs = { 0 };
	struct ec2_sg_rules		 rules = { 0 };
	struct ec2_prefix_lists		 pls = { 0 };
	struct ec2_prefix_list_entries	 ents = { 0 };
	char				*next;
	size_t				 unknown;
	int				 ok;

	ec2_parse_vpcs(doc, &vpcs, &next);
	free(next);
	ec2_parse_subnets(doc, &subnets, &next);
	free(next);
	ec2_parse_security_groups(doc, &sgs, &next);
	free(next);
	ec2_parse_sg_rules(doc, &rules, &next);
	free(next);
	ec2_parse_prefix_lists(doc, &pls, &next);
	free(next);
	ec2_parse_prefix_list_entries(doc, &ents, &next);
	free(next);
	ec2_parse_revoke(doc, &ok, &unknown);
	ec2_vpcs_free(&vpcs);
	ec2_subnets_free(&subnets);
	ec2_security_groups_free(&sgs);
	ec2_sg_rules_free(&rules);
	ec2_prefix_lists_free(&pls);
	ec2_prefix_list_entries_free(&ents);
}

/* Run every IAM parser over doc and release what they built. */
static void
fuzz_iam(xmlDoc *doc)
{
	struct iam_policy		 pol = { 0 };
	struct iam_policies		 pols = { 0 };
	struct iam_policy_version	 pv = { 0 };
	struct iam_role			 role = { 0 };
	struct iam_attached_policies	 att = { 0 };
	struct iam_oidc_provider	 pr = { 0 };
	struct iam_oidc_providers	 prs = { 0 };
	char				*s;

	iam_parse_policy(doc, "GetPolicy", &pol);
	iam_policy_clear(&pol);
	iam_parse_policy(doc, "CreatePolicy", &pol);
	iam_policy_clear(&pol);
	iam_parse_policies(doc, &pols, &s);
	free(s);
	iam_policies_free(&pols);
	iam_parse_policy_version(doc, &pv);
	iam_policy_version_clear(&pv);
	iam_parse_role(doc, "GetRole", &role);
	iam_role_clear(&role);
	iam_parse_attached_policies(doc, &att, &s);
	free(s);
	iam_attached_policies_free(&att);
	iam_parse_oidc_arn(doc, &s);
	free(s);
	iam_parse_oidc_provider(doc, &pr);
	iam_oidc_provider_clear(&pr);
	iam_parse_oidc_providers(doc, &prs);
	iam_oidc_providers_free(&prs);
}

/* Parse the bytes as XML the way the query protocol does, then fuzz. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	xmlDoc	*doc;

	if (size == 0 || size > 1024 * 1024)
		return 0;
	doc = xmlReadMemory((const char *)data, (int)size, "fuzz.xml", NULL,
	    XML_PARSE_NONET | XML_PARSE_NOBLANKS | XML_PARSE_NOERROR |
	    XML_PARSE_NOWARNING);
	if (doc == NULL)
		return 0;
	fuzz_ec2(doc);
	fuzz_iam(doc);
	xmlFreeDoc(doc);
	return 0;
}
