/* EC2 client: VPCs, subnets, security groups and their rules, managed
 * prefix lists (query protocol, <item> lists, NextToken pages). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#define LOG_MODULE "ec2"
#include "latticectl/ec2.h"
#include "latticectl/log.h"
#include "latticectl/xmalloc.h"

#include "aws_int.h"
#include "svcutil_int.h"

/* Upper bound on pages of one describe call (a runaway server). */
#define EC2_MAX_PAGES 10000

/* Iterates the pages of one describe call. */
struct ec2_pager {
	const char		*op;
	struct aws_params	 base;
	int			 page_size;
	unsigned		 pages;
	char			*next;	/* set by the page parser */
	char			*prev;
};

/* Add value to the filter called name. */
void
ec2_filters_add(struct ec2_filters *f, const char *name, const char *value)
{
	struct ec2_filter	*flt = NULL;
	size_t			 i;

	for (i = 0; i < f->n; i++) {
		if (strcmp(f->v[i].name, name) == 0) {
			flt = &f->v[i];
			break;
		}
	}
	if (flt == NULL) {
		f->v = svcutil_grow(f->v, f->n, sizeof *f->v);
		flt = &f->v[f->n++];
		flt->name = xstrdup(name);
	}
	svcutil_strs_add(&flt->values, &flt->n_values, value);
}

/* Release every filter. */
void
ec2_filters_free(struct ec2_filters *f)
{
	size_t	i;

	for (i = 0; i < f->n; i++) {
		free(f->v[i].name);
		svcutil_strs_free(f->v[i].values, f->v[i].n_values);
	}
	free(f->v);
	f->v = NULL;
	f->n = 0;
}

/* Add Filter.N.Name and Filter.N.Value.M fields. */
static void
ec2_params_filters(struct aws_params *p, const struct ec2_filters *f)
{
	char	*key;
	size_t	 i;

	if (f == NULL)
		return;
	for (i = 0; i < f->n; i++) {
		xasprintf(&key, "Filter.%zu.Name", i + 1);
		aws_params_add(p, key, f->v[i].name);
		free(key);
		xasprintf(&key, "Filter.%zu.Value", i + 1);
		svcutil_params_list(p, key, (const char *const *)f->v[i].values,
		    f->v[i].n_values);
		free(key);
	}
}

/* Start a page iteration for op with ids under id_key. */
static void
ec2_pager_init(struct ec2_pager *pg, const char *op,
    const struct ec2_describe *q, const char *id_key)
{
	memset(pg, 0, sizeof *pg);
	pg->op = op;
	if (q == NULL)
		return;
	if (id_key != NULL)
		svcutil_params_list(&pg->base, id_key, q->ids, q->n_ids);
	ec2_params_filters(&pg->base, q->filters);
	pg->page_size = q->page_size;
}

/* Release the iteration state. */
static void
ec2_pager_free(struct ec2_pager *pg)
{
	aws_params_free(&pg->base);
	free(pg->next);
	free(pg->prev);
}

/* Fetch the next page: 1 with *doc, 0 after the last page, -1 on error. */
static int
ec2_pager_next(struct aws *aws, struct ec2_pager *pg, xmlDoc **doc,
    struct aws_error *err)
{
	struct aws_params	 p = { NULL, NULL, 0, 0 };
	char			 root[128];
	size_t			 i;
	int			 rc;

	if (pg->pages > 0 && (pg->next == NULL || *pg->next == '\0'))
		return 0;
	if (pg->next != NULL && pg->prev != NULL &&
	    strcmp(pg->next, pg->prev) == 0)
		return svcutil_error(err, "ec2", pg->op, "NextToken repeated");
	if (pg->pages >= EC2_MAX_PAGES)
		return svcutil_error(err, "ec2", pg->op, "too many pages");
	for (i = 0; i < pg->base.n; i++)
		aws_params_add(&p, pg->base.keys[i], pg->base.values[i]);
	if (pg->page_size > 0)
		aws_params_addf(&p, "MaxResults", "%d", pg->page_size);
	if (pg->next != NULL)
		aws_params_add(&p, "NextToken", pg->next);
	rc = aws_query_call(aws, "ec2", pg->op, EC2_API_VERSION, &p, doc, err);
	aws_params_free(&p);
	if (rc != 0)
		return -1;
	snprintf(root, sizeof root, "%sResponse", pg->op);
	if (!svcutil_xml_root_is(*doc, root)) {
		xmlFreeDoc(*doc);
		*doc = NULL;
		return svcutil_error(err, "ec2", pg->op, "expected <%s>", root);
	}
	free(pg->prev);
	pg->prev = pg->next;
	pg->next = NULL;
	pg->pages++;
	log_debug("%s: page %u", pg->op, pg->pages);
	return 1;
}

/* The document root, and *next_token from <nextToken>. */
static xmlNode *
ec2_page_root(xmlDoc *doc, char **next_token)
{
	xmlNode	*root;

	if (next_token != NULL)
		*next_token = NULL;
	if (doc == NULL || (root = xmlDocGetRootElement(doc)) == NULL)
		return NULL;
	if (next_token != NULL) {
		*next_token = aws_xml_text(root, "nextToken");
		if (*next_token != NULL && **next_token == '\0')
			xfree_ptr(next_token);
	}
	return root;
}

/* Tags under <tagSet><item><key/><value/></item>. */
static void
ec2_xml_tags(xmlNode *from, struct aws_tags *tags)
{
	svcutil_xml_tags(from, "tagSet", "item", "key", "value", tags);
}

/* One VPC from its <item>. */
static void
ec2_vpc_read(xmlNode *it, struct ec2_vpc *v)
{
	v->id = aws_xml_text(it, "vpcId");
	v->cidr = aws_xml_text(it, "cidrBlock");
	v->state = aws_xml_text(it, "state");
	v->owner_id = aws_xml_text(it, "ownerId");
	v->is_default = aws_xml_bool(it, "isDefault", 0);
	ec2_xml_tags(it, &v->tags);
}

/* Parse a DescribeVpcs response page. */
int
ec2_parse_vpcs(xmlDoc *doc, struct ec2_vpcs *out, char **next_token)
{
	xmlNode	*root, *set, *it;

	if ((root = ec2_page_root(doc, next_token)) == NULL)
		return -1;
	if ((set = aws_xml_child(root, "vpcSet")) == NULL)
		return 0;
	AWS_XML_FOREACH(it, set, "item") {
		out->v = svcutil_grow(out->v, out->n, sizeof *out->v);
		ec2_vpc_read(it, &out->v[out->n++]);
	}
	return 0;
}

/* One subnet from its <item>. */
static void
ec2_subnet_read(xmlNode *it, struct ec2_subnet *s)
{
	s->id = aws_xml_text(it, "subnetId");
	s->vpc_id = aws_xml_text(it, "vpcId");
	s->cidr = aws_xml_text(it, "cidrBlock");
	s->az = aws_xml_text(it, "availabilityZone");
	s->az_id = aws_xml_text(it, "availabilityZoneId");
	s->state = aws_xml_text(it, "state");
	s->arn = aws_xml_text(it, "subnetArn");
	s->map_public_ip_on_launch = aws_xml_bool(it, "mapPublicIpOnLaunch",
	    0);
	s->default_for_az = aws_xml_bool(it, "defaultForAz", 0);
	s->available_ips = svcutil_xml_long(it, "availableIpAddressCount", -1);
	ec2_xml_tags(it, &s->tags);
}

/* Parse a DescribeSubnets response page. */
int
ec2_parse_subnets(xmlDoc *doc, struct ec2_subnets *out, char **next_token)
{
	xmlNode	*root, *set, *it;

	if ((root = ec2_page_root(doc, next_token)) == NULL)
		return -1;
	if ((set = aws_xml_child(root, "subnetSet")) == NULL)
		return 0;
	AWS_XML_FOREACH(it, set, "item") {
		out->v = svcutil_grow(out->v, out->n, sizeof *out->v);
		ec2_subnet_read(it, &out->v[out->n++]);
	}
	return 0;
}

/* Start a permission for protocol with no sources. */
void
ec2_ip_permission_init(struct ec2_ip_permission *p, const char *protocol)
{
	memset(p, 0, sizeof *p);
	p->protocol = xstrdup(protocol);
	p->from_port = p->to_port = -1;
}

/* Set the port range (ICMP: type and code). */
void
ec2_ip_permission_set_ports(struct ec2_ip_permission *p, int from, int to)
{
	p->has_ports = 1;
	p->from_port = from;
	p->to_port = to;
}

/* Append an IPv4 range source. */
void
ec2_ip_permission_add_cidr(struct ec2_ip_permission *p, const char *cidr,
    const char *description)
{
	struct ec2_ip_range	*r;

	p->ip_ranges = svcutil_grow(p->ip_ranges, p->n_ip_ranges,
	    sizeof *p->ip_ranges);
	r = &p->ip_ranges[p->n_ip_ranges++];
	r->cidr = xstrdup(cidr);
	r->description = xstrdup_or_null(description);
}

/* Append an IPv6 range source. */
void
ec2_ip_permission_add_cidr6(struct ec2_ip_permission *p, const char *cidr,
    const char *description)
{
	struct ec2_ip_range	*r;

	p->ipv6_ranges = svcutil_grow(p->ipv6_ranges, p->n_ipv6_ranges,
	    sizeof *p->ipv6_ranges);
	r = &p->ipv6_ranges[p->n_ipv6_ranges++];
	r->cidr = xstrdup(cidr);
	r->description = xstrdup_or_null(description);
}

/* Append a managed prefix list source. */
void
ec2_ip_permission_add_prefix_list(struct ec2_ip_permission *p,
    const char *id, const char *description)
{
	struct ec2_prefix_list_ref	*r;

	p->prefix_lists = svcutil_grow(p->prefix_lists, p->n_prefix_lists,
	    sizeof *p->prefix_lists);
	r = &p->prefix_lists[p->n_prefix_lists++];
	r->id = xstrdup(id);
	r->description = xstrdup_or_null(description);
}

/* Append a security group source. */
void
ec2_ip_permission_add_group(struct ec2_ip_permission *p,
    const char *group_id, const char *description)
{
	struct ec2_group_pair	*g;

	p->groups = svcutil_grow(p->groups, p->n_groups, sizeof *p->groups);
	g = &p->groups[p->n_groups++];
	g->group_id = xstrdup(group_id);
	g->description = xstrdup_or_null(description);
}

/* Free a range array. */
static void
ec2_ranges_free(struct ec2_ip_range *r, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		free(r[i].cidr);
		free(r[i].description);
	}
	free(r);
}

/* Release everything a permission owns. */
void
ec2_ip_permission_clear(struct ec2_ip_permission *p)
{
	size_t	i;

	free(p->protocol);
	ec2_ranges_free(p->ip_ranges, p->n_ip_ranges);
	ec2_ranges_free(p->ipv6_ranges, p->n_ipv6_ranges);
	for (i = 0; i < p->n_prefix_lists; i++) {
		free(p->prefix_lists[i].id);
		free(p->prefix_lists[i].description);
	}
	free(p->prefix_lists);
	for (i = 0; i < p->n_groups; i++) {
		free(p->groups[i].group_id);
		free(p->groups[i].user_id);
		free(p->groups[i].group_name);
		free(p->groups[i].vpc_id);
		free(p->groups[i].description);
	}
	free(p->groups);
	memset(p, 0, sizeof *p);
}

/* Read IPv4 or IPv6 ranges from <name><item><cidr_el/>... */
static void
ec2_ranges_read(xmlNode *perm, const char *name, const char *cidr_el,
    struct ec2_ip_range **v, size_t *n)
{
	xmlNode	*set, *it;

	if ((set = aws_xml_child(perm, name)) == NULL)
		return;
	AWS_XML_FOREACH(it, set, "item") {
		*v = svcutil_grow(*v, *n, sizeof **v);
		(*v)[*n].cidr = aws_xml_text(it, cidr_el);
		(*v)[*n].description = aws_xml_text(it, "description");
		(*n)++;
	}
}

/* Read <prefixListIds> and <groups> of a permission. */
static void
ec2_refs_read(xmlNode *perm, struct ec2_ip_permission *p)
{
	xmlNode			*set, *it;
	struct ec2_group_pair	*g;

	if ((set = aws_xml_child(perm, "prefixListIds")) != NULL) {
		AWS_XML_FOREACH(it, set, "item") {
			p->prefix_lists = svcutil_grow(p->prefix_lists,
			    p->n_prefix_lists, sizeof *p->prefix_lists);
			p->prefix_lists[p->n_prefix_lists].id =
			    aws_xml_text(it, "prefixListId");
			p->prefix_lists[p->n_prefix_lists++].description =
			    aws_xml_text(it, "description");
		}
	}
	if ((set = aws_xml_child(perm, "groups")) == NULL)
		return;
	AWS_XML_FOREACH(it, set, "item") {
		p->groups = svcutil_grow(p->groups, p->n_groups,
		    sizeof *p->groups);
		g = &p->groups[p->n_groups++];
		g->group_id = aws_xml_text(it, "groupId");
		g->user_id = aws_xml_text(it, "userId");
		g->group_name = aws_xml_text(it, "groupName");
		g->vpc_id = aws_xml_text(it, "vpcId");
		g->description = aws_xml_text(it, "description");
	}
}

/* One permission from its <item>. */
static void
ec2_permission_read(xmlNode *it, struct ec2_ip_permission *p)
{
	p->protocol = aws_xml_text(it, "ipProtocol");
	p->from_port = (int)svcutil_xml_long(it, "fromPort", -1);
	p->to_port = (int)svcutil_xml_long(it, "toPort", -1);
	p->has_ports = aws_xml_child(it, "fromPort") != NULL ||
	    aws_xml_child(it, "toPort") != NULL;
	ec2_ranges_read(it, "ipRanges", "cidrIp", &p->ip_ranges,
	    &p->n_ip_ranges);
	ec2_ranges_read(it, "ipv6Ranges", "cidrIpv6", &p->ipv6_ranges,
	    &p->n_ipv6_ranges);
	ec2_refs_read(it, p);
}

/* Read a permission list element (<ipPermissions>, ...). */
static void
ec2_permissions_read(xmlNode *from, const char *name,
    struct ec2_ip_permission **v, size_t *n)
{
	xmlNode	*set, *it;

	if ((set = aws_xml_child(from, name)) == NULL)
		return;
	AWS_XML_FOREACH(it, set, "item") {
		*v = svcutil_grow(*v, *n, sizeof **v);
		ec2_permission_read(it, &(*v)[(*n)++]);
	}
}

/* One security group from its <item>. */
static void
ec2_sg_read(xmlNode *it, struct ec2_security_group *g)
{
	g->id = aws_xml_text(it, "groupId");
	g->name = aws_xml_text(it, "groupName");
	g->description = aws_xml_text(it, "groupDescription");
	g->vpc_id = aws_xml_text(it, "vpcId");
	g->owner_id = aws_xml_text(it, "ownerId");
	ec2_permissions_read(it, "ipPermissions", &g->ingress, &g->n_ingress);
	ec2_permissions_read(it, "ipPermissionsEgress", &g->egress,
	    &g->n_egress);
	ec2_xml_tags(it, &g->tags);
}

/* Parse a DescribeSecurityGroups response page. */
int
ec2_parse_security_groups(xmlDoc *doc, struct ec2_security_groups *out,
    char **next_token)
{
	xmlNode	*root, *set, *it;

	if ((root = ec2_page_root(doc, next_token)) == NULL)
		return -1;
	if ((set = aws_xml_child(root, "securityGroupInfo")) == NULL)
		return 0;
	AWS_XML_FOREACH(it, set, "item") {
		out->v = svcutil_grow(out->v, out->n, sizeof *out->v);
		ec2_sg_read(it, &out->v[out->n++]);
	}
	return 0;
}

/* One security group rule from its <item>. */
static void
ec2_sg_rule_read(xmlNode *it, struct ec2_sg_rule *r)
{
	r->id = aws_xml_text(it, "securityGroupRuleId");
	r->group_id = aws_xml_text(it, "groupId");
	r->group_owner_id = aws_xml_text(it, "groupOwnerId");
	r->is_egress = aws_xml_bool(it, "isEgress", 0);
	r->protocol = aws_xml_text(it, "ipProtocol");
	r->from_port = (int)svcutil_xml_long(it, "fromPort", -1);
	r->to_port = (int)svcutil_xml_long(it, "toPort", -1);
	r->cidr_ipv4 = aws_xml_text(it, "cidrIpv4");
	r->cidr_ipv6 = aws_xml_text(it, "cidrIpv6");
	r->prefix_list_id = aws_xml_text(it, "prefixListId");
	r->referenced_group_id = aws_xml_text(it,
	    "referencedGroupInfo/groupId");
	r->description = aws_xml_text(it, "description");
	ec2_xml_tags(it, &r->tags);
}

/* Parse <securityGroupRuleSet> (describe rules, authorize ingress). */
int
ec2_parse_sg_rules(xmlDoc *doc, struct ec2_sg_rules *out, char **next_token)
{
	xmlNode	*root, *set, *it;

	if ((root = ec2_page_root(doc, next_token)) == NULL)
		return -1;
	if ((set = aws_xml_child(root, "securityGroupRuleSet")) == NULL)
		return 0;
	AWS_XML_FOREACH(it, set, "item") {
		out->v = svcutil_grow(out->v, out->n, sizeof *out->v);
		ec2_sg_rule_read(it, &out->v[out->n++]);
	}
	return 0;
}

/* One managed prefix list from its <item>. */
static void
ec2_prefix_list_read(xmlNode *it, struct ec2_prefix_list *pl)
{
	pl->id = aws_xml_text(it, "prefixListId");
	pl->name = aws_xml_text(it, "prefixListName");
	pl->arn = aws_xml_text(it, "prefixListArn");
	pl->owner_id = aws_xml_text(it, "ownerId");
	pl->state = aws_xml_text(it, "state");
	pl->address_family = aws_xml_text(it, "addressFamily");
	pl->max_entries = svcutil_xml_long(it, "maxEntries", -1);
	pl->version = svcutil_xml_long(it, "version", -1);
	ec2_xml_tags(it, &pl->tags);
}

/* Parse a DescribeManagedPrefixLists response page. */
int
ec2_parse_prefix_lists(xmlDoc *doc, struct ec2_prefix_lists *out,
    char **next_token)
{
	xmlNode	*root, *set, *it;

	if ((root = ec2_page_root(doc, next_token)) == NULL)
		return -1;
	if ((set = aws_xml_child(root, "prefixListSet")) == NULL)
		return 0;
	AWS_XML_FOREACH(it, set, "item") {
		out->v = svcutil_grow(out->v, out->n, sizeof *out->v);
		ec2_prefix_list_read(it, &out->v[out->n++]);
	}
	return 0;
}

/* Parse a GetManagedPrefixListEntries response page. */
int
ec2_parse_prefix_list_entries(xmlDoc *doc,
    struct ec2_prefix_list_entries *out, char **next_token)
{
	xmlNode	*root, *set, *it;

	if ((root = ec2_page_root(doc, next_token)) == NULL)
		return -1;
	if ((set = aws_xml_child(root, "entrySet")) == NULL)
		return 0;
	AWS_XML_FOREACH(it, set, "item") {
		out->v = svcutil_grow(out->v, out->n, sizeof *out->v);
		out->v[out->n].cidr = aws_xml_text(it, "cidr");
		out->v[out->n].description = aws_xml_text(it, "description");
		out->n++;
	}
	return 0;
}

/* Parse a RevokeSecurityGroupIngress response. */
int
ec2_parse_revoke(xmlDoc *doc, int *ok, size_t *n_unknown)
{
	xmlNode	*root, *set, *it;

	*ok = 0;
	*n_unknown = 0;
	if ((root = ec2_page_root(doc, NULL)) == NULL)
		return -1;
	*ok = aws_xml_bool(root, "return", 0);
	if ((set = aws_xml_child(root, "unknownIpPermissionSet")) == NULL)
		return 0;
	AWS_XML_FOREACH(it, set, "item")
		(*n_unknown)++;
	return 0;
}

/* Release a VPC list. */
void
ec2_vpcs_free(struct ec2_vpcs *l)
{
	size_t	i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].id);
		free(l->v[i].cidr);
		free(l->v[i].state);
		free(l->v[i].owner_id);
		aws_tags_free(&l->v[i].tags);
	}
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

/* Release a subnet list. */
void
ec2_subnets_free(struct ec2_subnets *l)
{
	struct ec2_subnet	*s;
	size_t			 i;

	for (i = 0; i < l->n; i++) {
		s = &l->v[i];
		free(s->id);
		free(s->vpc_id);
		free(s->cidr);
		free(s->az);
		free(s->az_id);
		free(s->state);
		free(s->arn);
		aws_tags_free(&s->tags);
	}
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

/* Release a permission array. */
static void
ec2_permissions_free(struct ec2_ip_permission *v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		ec2_ip_permission_clear(&v[i]);
	free(v);
}

/* Release a security group list. */
void
ec2_security_groups_free(struct ec2_security_groups *l)
{
	struct ec2_security_group	*g;
	size_t				 i;

	for (i = 0; i < l->n; i++) {
		g = &l->v[i];
		free(g->id);
		free(g->name);
		free(g->description);
		free(g->vpc_id);
		free(g->owner_id);
		ec2_permissions_free(g->ingress, g->n_ingress);
		ec2_permissions_free(g->egress, g->n_egress);
		aws_tags_free(&g->tags);
	}
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

/* Release a security group rule list. */
void
ec2_sg_rules_free(struct ec2_sg_rules *l)
{
	struct ec2_sg_rule	*r;
	size_t			 i;

	for (i = 0; i < l->n; i++) {
		r = &l->v[i];
		free(r->id);
		free(r->group_id);
		free(r->group_owner_id);
		free(r->protocol);
		free(r->cidr_ipv4);
		free(r->cidr_ipv6);
		free(r->prefix_list_id);
		free(r->referenced_group_id);
		free(r->description);
		aws_tags_free(&r->tags);
	}
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

/* Release a managed prefix list list. */
void
ec2_prefix_lists_free(struct ec2_prefix_lists *l)
{
	struct ec2_prefix_list	*pl;
	size_t			 i;

	for (i = 0; i < l->n; i++) {
		pl = &l->v[i];
		free(pl->id);
		free(pl->name);
		free(pl->arn);
		free(pl->owner_id);
		free(pl->state);
		free(pl->address_family);
		aws_tags_free(&pl->tags);
	}
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

/* Release a prefix list entry list. */
void
ec2_prefix_list_entries_free(struct ec2_prefix_list_entries *l)
{
	size_t	i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].cidr);
		free(l->v[i].description);
	}
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

/* Describe VPCs, every page. */
int
ec2_describe_vpcs(struct aws *aws, const struct ec2_describe *q,
    struct ec2_vpcs *out, struct aws_error *err)
{
	struct ec2_pager	 pg;
	xmlDoc			*doc;
	int			 rc;

	ec2_pager_init(&pg, "DescribeVpcs", q, "VpcId");
	while ((rc = ec2_pager_next(aws, &pg, &doc, err)) == 1) {
		ec2_parse_vpcs(doc, out, &pg.next);
		xmlFreeDoc(doc);
	}
	ec2_pager_free(&pg);
	return rc;
}

/* Describe subnets, every page. */
int
ec2_describe_subnets(struct aws *aws, const struct ec2_describe *q,
    struct ec2_subnets *out, struct aws_error *err)
{
	struct ec2_pager	 pg;
	xmlDoc			*doc;
	int			 rc;

	ec2_pager_init(&pg, "DescribeSubnets", q, "SubnetId");
	while ((rc = ec2_pager_next(aws, &pg, &doc, err)) == 1) {
		ec2_parse_subnets(doc, out, &pg.next);
		xmlFreeDoc(doc);
	}
	ec2_pager_free(&pg);
	return rc;
}

/* Describe security groups, every page. */
int
ec2_describe_security_groups(struct aws *aws, const struct ec2_describe *q,
    struct ec2_security_groups *out, struct aws_error *err)
{
	struct ec2_pager	 pg;
	xmlDoc			*doc;
	int			 rc;

	ec2_pager_init(&pg, "DescribeSecurityGroups", q, "GroupId");
	while ((rc = ec2_pager_next(aws, &pg, &doc, err)) == 1) {
		ec2_parse_security_groups(doc, out, &pg.next);
		xmlFreeDoc(doc);
	}
	ec2_pager_free(&pg);
	return rc;
}

/* Describe security group rules, every page. */
int
ec2_describe_sg_rules(struct aws *aws, const struct ec2_describe *q,
    struct ec2_sg_rules *out, struct aws_error *err)
{
	struct ec2_pager	 pg;
	xmlDoc			*doc;
	int			 rc;

	ec2_pager_init(&pg, "DescribeSecurityGroupRules", q,
	    "SecurityGroupRuleId");
	while ((rc = ec2_pager_next(aws, &pg, &doc, err)) == 1) {
		ec2_parse_sg_rules(doc, out, &pg.next);
		xmlFreeDoc(doc);
	}
	ec2_pager_free(&pg);
	return rc;
}

/* Describe managed prefix lists, every page. */
int
ec2_describe_prefix_lists(struct aws *aws, const struct ec2_describe *q,
    struct ec2_prefix_lists *out, struct aws_error *err)
{
	struct ec2_pager	 pg;
	xmlDoc			*doc;
	int			 rc;

	ec2_pager_init(&pg, "DescribeManagedPrefixLists", q, "PrefixListId");
	while ((rc = ec2_pager_next(aws, &pg, &doc, err)) == 1) {
		ec2_parse_prefix_lists(doc, out, &pg.next);
		xmlFreeDoc(doc);
	}
	ec2_pager_free(&pg);
	return rc;
}

/* The entries of one managed prefix list, every page. */
int
ec2_get_prefix_list_entries(struct aws *aws, const char *prefix_list_id,
    int page_size, struct ec2_prefix_list_entries *out, struct aws_error *err)
{
	struct ec2_pager	 pg;
	xmlDoc			*doc;
	int			 rc;

	ec2_pager_init(&pg, "GetManagedPrefixListEntries", NULL, NULL);
	aws_params_add(&pg.base, "PrefixListId", prefix_list_id);
	pg.page_size = page_size;
	while ((rc = ec2_pager_next(aws, &pg, &doc, err)) == 1) {
		ec2_parse_prefix_list_entries(doc, out, &pg.next);
		xmlFreeDoc(doc);
	}
	ec2_pager_free(&pg);
	return rc;
}

/* Add "<prefix>.<field>" when value is set. */
static void
ec2_param_opt(struct aws_params *p, const char *prefix, const char *field,
    const char *value)
{
	char	*key;

	if (value == NULL)
		return;
	xasprintf(&key, "%s.%s", prefix, field);
	aws_params_add(p, key, value);
	free(key);
}

/* Add the source lists of one permission under prefix. */
static void
ec2_params_sources(struct aws_params *p, const char *pfx,
    const struct ec2_ip_permission *perm)
{
	char	*k;
	size_t	 i;

	for (i = 0; i < perm->n_ip_ranges; i++) {
		xasprintf(&k, "%s.IpRanges.%zu", pfx, i + 1);
		ec2_param_opt(p, k, "CidrIp", perm->ip_ranges[i].cidr);
		ec2_param_opt(p, k, "Description",
		    perm->ip_ranges[i].description);
		free(k);
	}
	for (i = 0; i < perm->n_ipv6_ranges; i++) {
		xasprintf(&k, "%s.Ipv6Ranges.%zu", pfx, i + 1);
		ec2_param_opt(p, k, "CidrIpv6", perm->ipv6_ranges[i].cidr);
		ec2_param_opt(p, k, "Description",
		    perm->ipv6_ranges[i].description);
		free(k);
	}
	for (i = 0; i < perm->n_prefix_lists; i++) {
		xasprintf(&k, "%s.PrefixListIds.%zu", pfx, i + 1);
		ec2_param_opt(p, k, "PrefixListId", perm->prefix_lists[i].id);
		ec2_param_opt(p, k, "Description",
		    perm->prefix_lists[i].description);
		free(k);
	}
	for (i = 0; i < perm->n_groups; i++) {
		xasprintf(&k, "%s.Groups.%zu", pfx, i + 1);
		ec2_param_opt(p, k, "GroupId", perm->groups[i].group_id);
		ec2_param_opt(p, k, "UserId", perm->groups[i].user_id);
		ec2_param_opt(p, k, "GroupName", perm->groups[i].group_name);
		ec2_param_opt(p, k, "Description",
		    perm->groups[i].description);
		free(k);
	}
}

/* Add IpPermissions.N.* for each permission. */
void
ec2_params_permissions(struct aws_params *p,
    const struct ec2_ip_permission *perms, size_t n)
{
	char	*pfx, *k;
	size_t	 i;

	for (i = 0; i < n; i++) {
		xasprintf(&pfx, "IpPermissions.%zu", i + 1);
		ec2_param_opt(p, pfx, "IpProtocol", perms[i].protocol);
		if (perms[i].has_ports) {
			xasprintf(&k, "%s.FromPort", pfx);
			aws_params_addf(p, k, "%d", perms[i].from_port);
			free(k);
			xasprintf(&k, "%s.ToPort", pfx);
			aws_params_addf(p, k, "%d", perms[i].to_port);
			free(k);
		}
		ec2_params_sources(p, pfx, &perms[i]);
		free(pfx);
	}
}

/* Call a security-group write op and return its document. */
static int
ec2_sg_write(struct aws *aws, const char *op, const char *group_id,
    const struct ec2_ip_permission *perms, size_t n, xmlDoc **doc,
    struct aws_error *err)
{
	struct aws_params	 p = { NULL, NULL, 0, 0 };
	char			 root[128];
	int			 rc;

	aws_params_add(&p, "GroupId", group_id);
	ec2_params_permissions(&p, perms, n);
	rc = aws_query_call(aws, "ec2", op, EC2_API_VERSION, &p, doc, err);
	aws_params_free(&p);
	if (rc != 0)
		return -1;
	snprintf(root, sizeof root, "%sResponse", op);
	if (!svcutil_xml_root_is(*doc, root)) {
		xmlFreeDoc(*doc);
		*doc = NULL;
		return svcutil_error(err, "ec2", op, "expected <%s>", root);
	}
	return 0;
}

/* Authorize ingress rules on a group. */
int
ec2_authorize_sg_ingress(struct aws *aws, const char *group_id,
    const struct ec2_ip_permission *perms, size_t n,
    struct ec2_sg_rules *created, struct aws_error *err)
{
	const char	*op = "AuthorizeSecurityGroupIngress";
	xmlDoc		*doc;
	int		 ok;

	if (ec2_sg_write(aws, op, group_id, perms, n, &doc, err) != 0)
		return -1;
	ok = aws_xml_bool(xmlDocGetRootElement(doc), "return", 0);
	if (ok && created != NULL)
		ec2_parse_sg_rules(doc, created, NULL);
	xmlFreeDoc(doc);
	if (!ok)
		return svcutil_error(err, "ec2", op, "<return> is not true");
	log_debug("%s %s: %zu permissions", op, group_id, n);
	return 0;
}

/* Revoke ingress rules on a group. */
int
ec2_revoke_sg_ingress(struct aws *aws, const char *group_id,
    const struct ec2_ip_permission *perms, size_t n, size_t *n_unknown,
    struct aws_error *err)
{
	const char	*op = "RevokeSecurityGroupIngress";
	xmlDoc		*doc;
	size_t		 unknown;
	int		 ok;

	if (ec2_sg_write(aws, op, group_id, perms, n, &doc, err) != 0)
		return -1;
	ec2_parse_revoke(doc, &ok, &unknown);
	xmlFreeDoc(doc);
	if (n_unknown != NULL)
		*n_unknown = unknown;
	if (!ok)
		return svcutil_error(err, "ec2", op, "<return> is not true");
	log_debug("%s %s: %zu permissions, %zu unknown", op, group_id, n,
	    unknown);
	return 0;
}
