/*
 * Simulated EC2 security groups: Create/Delete/DescribeSecurityGroups,
 * DescribeSecurityGroupRules, Authorize/Revoke ingress and egress with
 * CIDRs, IPv6 CIDRs, prefix lists and group pairs, and the EKS cluster
 * security group. Rules are stored one peer per record (as EC2's
 * security group rules); DescribeSecurityGroups folds them back into
 * IpPermissions by protocol and port range.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "latticectl/json.h"
#include "latticectl/rand.h"
#include "latticectl/xmalloc.h"

#include "aws_ec2_int.h"

/* One rule being authorized or revoked. */
struct ec2_rule {
	char		 proto[8];	/* "-1", "tcp", "udp", "icmp", "47" */
	long		 from, to;	/* -1 when not used */
	const char	*kind;		/* "cidr4", "cidr6", "pl", "group" */
	const char	*peer;
	const char	*desc;
};

struct ec2_rules {
	struct ec2_rule	*v;
	size_t		 n;
};

/* The groups array. */
static cJSON *
ec2_groups(struct ec2 *e)
{
	return sim_ec2_array(e, "securityGroups");
}

/* A stored rule record for r. */
static cJSON *
ec2_rule_record(const struct ec2_rule *r, int egress)
{
	cJSON	*rec;
	char	 id[40];

	rec = cJSON_CreateObject();
	sq_hex_id(id, sizeof id, "sgr");
	cJSON_AddStringToObject(rec, "id", id);
	cJSON_AddBoolToObject(rec, "egress", egress);
	cJSON_AddStringToObject(rec, "proto", r->proto);
	cJSON_AddNumberToObject(rec, "from", (double)r->from);
	cJSON_AddNumberToObject(rec, "to", (double)r->to);
	cJSON_AddStringToObject(rec, "kind", r->kind);
	cJSON_AddStringToObject(rec, "peer", r->peer);
	json_add_str_opt(rec, "desc", r->desc);
	return rec;
}

/* Add a rule to a group's record. */
static cJSON *
ec2_add_rule(cJSON *sg, const struct ec2_rule *r, int egress)
{
	cJSON	*rules, *rec;

	rules = cJSON_GetObjectItemCaseSensitive(sg, "rules");
	if (rules == NULL)
		rules = cJSON_AddArrayToObject(sg, "rules");
	rec = ec2_rule_record(r, egress);
	cJSON_AddItemToArray(rules, rec);
	return rec;
}

/* A new group with the default egress rule ("default" groups also allow
 * all traffic from themselves). */
cJSON *
sim_ec2_new_group(struct ec2 *e, const char *vpc_id, const char *name,
    const char *desc)
{
	struct ec2_rule	 r;
	cJSON		*sg;
	char		 id[40];

	sg = cJSON_CreateObject();
	sq_hex_id(id, sizeof id, "sg");
	cJSON_AddStringToObject(sg, "groupId", id);
	cJSON_AddStringToObject(sg, "groupName", name);
	cJSON_AddStringToObject(sg, "description", desc);
	cJSON_AddStringToObject(sg, "vpcId", vpc_id);
	cJSON_AddArrayToObject(sg, "tags");
	cJSON_AddArrayToObject(sg, "rules");
	memset(&r, 0, sizeof r);
	snprintf(r.proto, sizeof r.proto, "-1");
	r.from = r.to = -1;
	if (strcmp(name, "default") == 0) {
		r.kind = "group";
		r.peer = id;
		ec2_add_rule(sg, &r, 0);
	}
	r.kind = "cidr4";
	r.peer = "0.0.0.0/0";
	ec2_add_rule(sg, &r, 1);
	cJSON_AddItemToArray(ec2_groups(e), sg);
	return sg;
}

/* The EKS cluster security group of a new cluster. */
const char *
sim_ec2_cluster_sg(struct sim_aws *sim, const char *vpc_id, const char *cluster)
{
	struct ec2	 e;
	struct ec2_rule	 r;
	cJSON		*sg;
	char		*name, *tag;

	memset(&e, 0, sizeof e);
	e.sim = sim;
	e.st = sim_ec2_state(sim);
	xasprintf(&name, "eks-cluster-sg-%s-%010llu", cluster,
	    (unsigned long long)rand_below(10000000000ULL));
	sg = sim_ec2_new_group(&e, vpc_id, name, "EKS created security group "
	    "applied to ENI that is attached to EKS Control Plane master "
	    "nodes, as well as any managed workloads.");
	sim_ec2_set_tag(sg, "Name", name);
	sim_ec2_set_tag(sg, "aws:eks:cluster-name", cluster);
	xasprintf(&tag, "kubernetes.io/cluster/%s", cluster);
	sim_ec2_set_tag(sg, tag, "owned");
	memset(&r, 0, sizeof r);
	snprintf(r.proto, sizeof r.proto, "-1");
	r.from = r.to = -1;
	r.kind = "group";
	r.peer = sq_s(sg, "groupId");
	ec2_add_rule(sg, &r, 0);
	free(name);
	free(tag);
	return sq_s(sg, "groupId");
}

/* Do other groups' rules name this one? */
static int
ec2_group_referenced(struct ec2 *e, const char *id)
{
	cJSON	*sg, *rule;

	cJSON_ArrayForEach(sg, ec2_groups(e)) {
		const char *gid = sq_s(sg, "groupId");

		if (gid != NULL && strcmp(gid, id) == 0)
			continue;
		cJSON_ArrayForEach(rule, cJSON_GetObjectItemCaseSensitive(sg,
		    "rules")) {
			if (strcmp(sq_s(rule, "kind"), "group") == 0 &&
			    strcmp(sq_s(rule, "peer"), id) == 0)
				return 1;
		}
	}
	return 0;
}

/* Delete a group unless others reference it (EKS cluster deletion). */
void
sim_ec2_drop_group(struct sim_aws *sim, const char *id)
{
	struct ec2	 e;
	cJSON		*sg;

	memset(&e, 0, sizeof e);
	e.sim = sim;
	e.st = sim_ec2_state(sim);
	sg = sim_ec2_find(ec2_groups(&e), "groupId", id);
	if (sg != NULL && !ec2_group_referenced(&e, id))
		cJSON_Delete(cJSON_DetachItemViaPointer(ec2_groups(&e), sg));
}

/* A group of the default VPC by name, or NULL. */
static cJSON *
ec2_group_by_name(struct ec2 *e, const char *name)
{
	cJSON		*vpc = sim_ec2_default_vpc(e), *sg;
	const char	*vid = vpc != NULL ? json_str(vpc, "vpcId") : NULL;

	cJSON_ArrayForEach(sg, ec2_groups(e)) {
		if (vid != NULL && strcmp(sq_s(sg, "vpcId"), vid) == 0 &&
		    strcmp(sq_s(sg, "groupName"), name) == 0)
			return sg;
	}
	return NULL;
}

/* The group a write names (GroupId, or GroupName in the default VPC);
 * NULL with the error answered. */
static cJSON *
ec2_target_group(struct ec2 *e)
{
	const char	*id = sim_aws_param(&e->p, "GroupId");
	const char	*name = sim_aws_param(&e->p, "GroupName");
	cJSON		*sg;
	cJSON		*vpc;

	if (id != NULL) {
		if (!sim_ec2_id_valid(id, "sg")) {
			sim_aws_error(e->call, 400, "InvalidGroupId.Malformed",
			    "Invalid id: \"%.128s\" (expecting \"sg-...\")",
			    id);
			return NULL;
		}
		if ((sg = sim_ec2_find(ec2_groups(e), "groupId", id)) == NULL)
			sim_aws_error(e->call, 400, "InvalidGroup.NotFound",
			    "The security group '%s' does not exist", id);
		return sg;
	}
	if (name == NULL) {
		sim_aws_error(e->call, 400, "MissingParameter", "The request "
		    "must contain the parameter groupName or groupId");
		return NULL;
	}
	if ((sg = ec2_group_by_name(e, name)) == NULL) {
		vpc = sim_ec2_default_vpc(e);
		sim_aws_error(e->call, 400, "InvalidGroup.NotFound", "The "
		    "security group '%.255s' does not exist in default VPC "
		    "'%s'", name, vpc != NULL ? json_str(vpc, "vpcId")
		    : "none");
	}
	return sg;
}

/* Normalize an IpProtocol; -1 with the error answered. */
static int
ec2_proto(struct ec2 *e, const char *raw, char out[8])
{
	static const struct { const char *name, *num; } names[] = {
		{ "tcp", "6" }, { "udp", "17" }, { "icmp", "1" },
		{ "icmpv6", "58" }, { "-1", "-1" }, { "-1", "all" },
	};
	size_t	 i;
	char	*end;
	long	 n;

	for (i = 0; raw != NULL && i < sizeof names / sizeof names[0]; i++) {
		if (strcasecmp(raw, names[i].name) == 0 ||
		    strcasecmp(raw, names[i].num) == 0) {
			snprintf(out, 8, "%s", names[i].name);
			return 0;
		}
	}
	if (raw != NULL && *raw != '\0') {
		n = strtol(raw, &end, 10);
		if (*end == '\0' && n >= 0 && n <= 255) {
			snprintf(out, 8, "%ld", n);
			return 0;
		}
	}
	sim_aws_error(e->call, 400, "InvalidParameterValue", "Invalid value "
	    "'%.64s' for IP protocol. Unknown protocol.", raw != NULL ? raw :
	    "null");
	return -1;
}

/* Parse one port; -1 when absent, -2 when not a number in [lo, hi]. */
static long
ec2_port(const char *s, long lo, long hi)
{
	char	*end;
	long	 n;

	if (s == NULL)
		return -1;
	n = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || n < lo || n > hi)
		return -2;
	return n;
}

/* The port range of a rule; -1 with the error answered. */
static int
ec2_ports(struct ec2 *e, struct ec2_rule *r, const char *from,
    const char *to)
{
	int	tcpudp = strcmp(r->proto, "tcp") == 0 ||
		    strcmp(r->proto, "udp") == 0;
	int	icmp = strncmp(r->proto, "icmp", 4) == 0;

	r->from = r->to = -1;
	if (!tcpudp && !icmp)
		return 0;
	r->from = ec2_port(from, tcpudp ? 0 : -1, tcpudp ? 65535 : 255);
	r->to = ec2_port(to, tcpudp ? 0 : -1, tcpudp ? 65535 : 255);
	if (tcpudp && (r->from == -1 || r->to == -1)) {
		sim_aws_error(e->call, 400, "InvalidParameterValue", "Invalid "
		    "value 'Must specify both from and to ports with TCP/UDP.' "
		    "for portRange");
		return -1;
	}
	if (r->from == -2 || r->to == -2 || (tcpudp && r->from > r->to)) {
		sim_aws_error(e->call, 400, "InvalidParameterValue", "Invalid "
		    "value '%.16s-%.16s' for portRange. Must be between %s and "
		    "%s (from port <= to port)", from != NULL ? from : "",
		    to != NULL ? to : "", tcpudp ? "0" : "-1",
		    tcpudp ? "65535" : "255");
		return -1;
	}
	return 0;
}

/* Is s a CIDR of the family (AF_INET/AF_INET6)? */
static int
ec2_cidr_ok(const char *s, int af)
{
	char		 addr[64], *end;
	unsigned char	 buf[16];
	const char	*slash = strchr(s, '/');
	long		 bits;

	if (slash == NULL || (size_t)(slash - s) >= sizeof addr)
		return 0;
	memcpy(addr, s, (size_t)(slash - s));
	addr[slash - s] = '\0';
	bits = strtol(slash + 1, &end, 10);
	if (slash[1] == '\0' || *end != '\0' || bits < 0 ||
	    bits > (af == AF_INET ? 32 : 128))
		return 0;
	return inet_pton(af, addr, buf) == 1;
}

/* Check and add one peer to the list; -1 answered. */
static int
ec2_add_peer(struct ec2 *e, struct ec2_rules *out, const struct ec2_rule *base,
    const char *kind, const char *peer, const char *desc)
{
	struct ec2_rule	*r;

	if (peer == NULL) {
		sim_aws_error(e->call, 400, "MissingParameter", "The request "
		    "must contain a peer (CidrIp, CidrIpv6, PrefixListId or "
		    "GroupId) for each list entry");
		return -1;
	}
	if ((strcmp(kind, "cidr4") == 0 && !ec2_cidr_ok(peer, AF_INET)) ||
	    (strcmp(kind, "cidr6") == 0 && !ec2_cidr_ok(peer, AF_INET6))) {
		sim_aws_error(e->call, 400, "InvalidParameterValue", "Value "
		    "(%.64s) for parameter %s is invalid. This is not a valid "
		    "CIDR block.", peer, strcmp(kind, "cidr4") == 0 ? "cidrIp" :
		    "cidrIpv6");
		return -1;
	}
	if (strcmp(kind, "pl") == 0 &&
	    sim_ec2_find(sim_ec2_prefix_lists(e), "prefixListId",
	    peer) == NULL) {
		sim_aws_error(e->call, 400, "InvalidPrefixListID.NotFound",
		    "The prefix list ID '%.64s' does not exist", peer);
		return -1;
	}
	if (strcmp(kind, "group") == 0 &&
	    sim_ec2_find(ec2_groups(e), "groupId", peer) == NULL) {
		sim_aws_error(e->call, 400, "InvalidGroup.NotFound", "The "
		    "security group '%.64s' does not exist", peer);
		return -1;
	}
	if (desc != NULL && strlen(desc) > 255) {
		sim_aws_error(e->call, 400, "InvalidParameterValue", "Invalid "
		    "rule description. Valid descriptions are strings less "
		    "than 256 characters");
		return -1;
	}
	out->v = xreallocarray(out->v, out->n + 1, sizeof *out->v);
	r = &out->v[out->n++];
	*r = *base;
	r->kind = kind;
	r->peer = peer;
	r->desc = desc;
	return 0;
}

/* Peers of one list ("IpPermissions.N.IpRanges") of a kind. */
static int
ec2_parse_peers(struct ec2 *e, struct ec2_rules *out,
    const struct ec2_rule *base, const char *prefix, const char *field,
    const char *kind)
{
	int		*idx;
	size_t		 n, i;
	const char	*peer;
	int		 rc = 0;

	n = sq_indexes(&e->p, prefix, &idx);
	for (i = 0; i < n && rc == 0; i++) {
		peer = sq_param(&e->p, "%s.%d.%s", prefix, idx[i], field);
		if (peer == NULL && strcmp(kind, "group") == 0 &&
		    (peer = sq_param(&e->p, "%s.%d.GroupName", prefix,
		    idx[i])) != NULL) {
			cJSON *sg = ec2_group_by_name(e, peer);

			peer = sg != NULL ? sq_s(sg, "groupId") : peer;
		}
		rc = ec2_add_peer(e, out, base, kind, peer, sq_param(&e->p,
		    "%s.%d.Description", prefix, idx[i]));
	}
	free(idx);
	return rc;
}

/* One IpPermissions.N entry. */
static int
ec2_parse_perm(struct ec2 *e, int n, struct ec2_rules *out)
{
	static const char *const lists[][3] = {
		{ "IpRanges", "CidrIp", "cidr4" },
		{ "Ipv6Ranges", "CidrIpv6", "cidr6" },
		{ "PrefixListIds", "PrefixListId", "pl" },
		{ "Groups", "GroupId", "group" },
	};
	struct ec2_rule	 base;
	size_t		 i, before = out->n;
	char		 pre[96];

	memset(&base, 0, sizeof base);
	if (ec2_proto(e, sq_param(&e->p, "IpPermissions.%d.IpProtocol", n),
	    base.proto) != 0 || ec2_ports(e, &base, sq_param(&e->p,
	    "IpPermissions.%d.FromPort", n), sq_param(&e->p,
	    "IpPermissions.%d.ToPort", n)) != 0)
		return -1;
	for (i = 0; i < 4; i++) {
		snprintf(pre, sizeof pre, "IpPermissions.%d.%s", n,
		    lists[i][0]);
		if (ec2_parse_peers(e, out, &base, pre, lists[i][1],
		    lists[i][2]) != 0)
			return -1;
	}
	if (out->n == before) {
		sim_aws_error(e->call, 400, "InvalidParameterValue", "The "
		    "request must specify at least one of IpRanges, "
		    "Ipv6Ranges, PrefixListIds or UserIdGroupPairs");
		return -1;
	}
	return 0;
}

/* The legacy top-level form (IpProtocol, FromPort, ToPort, CidrIp or
 * SourceSecurityGroupName). */
static int
ec2_parse_legacy(struct ec2 *e, struct ec2_rules *out)
{
	struct ec2_rule	 base;
	const char	*cidr = sim_aws_param(&e->p, "CidrIp");
	const char	*src = sim_aws_param(&e->p, "SourceSecurityGroupName");
	const char	*proto = sim_aws_param(&e->p, "IpProtocol");
	cJSON		*sg;

	memset(&base, 0, sizeof base);
	if (ec2_proto(e, proto != NULL ? proto : "-1", base.proto) != 0 ||
	    ec2_ports(e, &base, sim_aws_param(&e->p, "FromPort"),
	    sim_aws_param(&e->p, "ToPort")) != 0)
		return -1;
	if (cidr != NULL)
		return ec2_add_peer(e, out, &base, "cidr4", cidr, NULL);
	if ((sg = ec2_group_by_name(e, src)) == NULL) {
		sim_aws_error(e->call, 400, "InvalidGroup.NotFound", "The "
		    "security group '%.255s' does not exist", src);
		return -1;
	}
	return ec2_add_peer(e, out, &base, "group", sq_s(sg, "groupId"),
	    NULL);
}

/* Every rule a request names; -1 answered. */
static int
ec2_parse_rules(struct ec2 *e, struct ec2_rules *out)
{
	int	*idx;
	size_t	 n, i;
	int	 rc = 0;

	memset(out, 0, sizeof *out);
	n = sq_indexes(&e->p, "IpPermissions", &idx);
	for (i = 0; i < n && rc == 0; i++)
		rc = ec2_parse_perm(e, idx[i], out);
	free(idx);
	if (rc != 0) {
		free(out->v);
		memset(out, 0, sizeof *out);
	}
	if (rc != 0 || n > 0)
		return rc;
	if (sim_aws_param(&e->p, "CidrIp") != NULL ||
	    sim_aws_param(&e->p, "SourceSecurityGroupName") != NULL)
		return ec2_parse_legacy(e, out);
	if (sim_aws_param(&e->p, "SecurityGroupRuleId.1") != NULL)
		return 0;
	sim_aws_error(e->call, 400, "MissingParameter", "The request must "
	    "contain the parameter ipPermissions");
	return -1;
}

/* Does a stored rule equal a parsed one (description ignored)? */
static int
ec2_rule_eq(const cJSON *rec, const struct ec2_rule *r, int egress)
{
	return json_bool(rec, "egress", 0) == egress &&
	    strcmp(sq_s(rec, "proto"), r->proto) == 0 &&
	    (long)json_num(rec, "from", -1) == r->from &&
	    (long)json_num(rec, "to", -1) == r->to &&
	    strcmp(sq_s(rec, "kind"), r->kind) == 0 &&
	    strcmp(sq_s(rec, "peer"), r->peer) == 0;
}

/* The stored rule equal to r, or NULL. */
static cJSON *
ec2_rule_find(cJSON *sg, const struct ec2_rule *r, int egress)
{
	cJSON	*rec;

	cJSON_ArrayForEach(rec, cJSON_GetObjectItemCaseSensitive(sg, "rules")) {
		if (ec2_rule_eq(rec, r, egress))
			return rec;
	}
	return NULL;
}

/* Answer InvalidPermission.Duplicate for r. */
static void
ec2_duplicate(struct ec2 *e, const struct ec2_rule *r)
{
	char	proto[16], ports[64] = "";
	size_t	i;

	if (strcmp(r->proto, "-1") == 0)
		snprintf(proto, sizeof proto, "ALL");
	else {
		for (i = 0; r->proto[i] != '\0' && i < sizeof proto - 1; i++)
			proto[i] = (char)(r->proto[i] >= 'a' &&
			    r->proto[i] <= 'z' ? r->proto[i] - 32
			    : r->proto[i]);
		proto[i] = '\0';
	}
	if (r->from != -1 || r->to != -1)
		snprintf(ports, sizeof ports, "from port: %ld, to port: %ld, ",
		    r->from, r->to);
	sim_aws_error(e->call, 400, "InvalidPermission.Duplicate", "the "
	    "specified rule \"peer: %s, %s, %sALLOW\" already exists", r->peer,
	    proto, ports);
}

/* How many rules of a direction a group has. */
static size_t
ec2_rule_count(const cJSON *sg, int egress)
{
	const cJSON	*rec;
	size_t		 n = 0;

	cJSON_ArrayForEach(rec, cJSON_GetObjectItemCaseSensitive(sg, "rules"))
		n += json_bool(rec, "egress", 0) == egress;
	return n;
}

/* Write a stored rule as a SecurityGroupRule item body. */
static void
ec2_rule_write(struct ec2 *e, struct xw *x, const cJSON *sg,
    const cJSON *rec)
{
	const char	*kind = sq_s(rec, "kind");
	const char	*peer = sq_s(rec, "peer");

	xw_str(x, "securityGroupRuleId", sq_s(rec, "id"));
	xw_str(x, "groupId", sq_s(sg, "groupId"));
	xw_str(x, "groupOwnerId", sim_aws_account(e->sim));
	xw_bool(x, "isEgress", json_bool(rec, "egress", 0));
	xw_str(x, "ipProtocol", sq_s(rec, "proto"));
	xw_long(x, "fromPort", (long)json_num(rec, "from", -1));
	xw_long(x, "toPort", (long)json_num(rec, "to", -1));
	if (strcmp(kind, "cidr4") == 0)
		xw_str(x, "cidrIpv4", peer);
	else if (strcmp(kind, "cidr6") == 0)
		xw_str(x, "cidrIpv6", peer);
	else if (strcmp(kind, "pl") == 0)
		xw_str(x, "prefixListId", peer);
	else {
		xw_open(x, "referencedGroupInfo");
		xw_str(x, "groupId", peer);
		xw_str(x, "userId", sim_aws_account(e->sim));
		xw_close(x);
	}
	xw_str(x, "description", json_str(rec, "desc"));
	xw_fmt(x, "securityGroupRuleArn", "arn:aws:ec2:%s:%s:"
	    "security-group-rule/%s", sim_aws_region(e->sim),
	    sim_aws_account(e->sim), sq_s(rec, "id"));
}

/* Authorize{Ingress,Egress}: all or nothing. */
void
sim_ec2_authorize(struct ec2 *e)
{
	struct ec2_rules r;
	cJSON		*sg, **added;
	struct xw	 x;
	size_t		 i, j;
	int		 egress = strstr(e->action, "Egress") != NULL;

	if ((sg = ec2_target_group(e)) == NULL || ec2_parse_rules(e, &r) != 0)
		return;
	for (i = 0; i < r.n; i++) {
		for (j = 0; j < i && !(strcmp(r.v[i].peer, r.v[j].peer) == 0 &&
		    strcmp(r.v[i].kind, r.v[j].kind) == 0 &&
		    strcmp(r.v[i].proto, r.v[j].proto) == 0 &&
		    r.v[i].from == r.v[j].from && r.v[i].to == r.v[j].to); j++)
			;
		if (j < i || ec2_rule_find(sg, &r.v[i], egress) != NULL) {
			ec2_duplicate(e, &r.v[i]);
			goto out;
		}
	}
	if (ec2_rule_count(sg, egress) + r.n > EC2_MAX_RULES) {
		sim_aws_error(e->call, 400,
		    "RulesPerSecurityGroupLimitExceeded",
		    "The maximum number of rules per security group has been "
		    "reached.");
		goto out;
	}
	added = xcalloc(r.n + 1, sizeof *added);
	for (i = 0; i < r.n; i++)
		added[i] = ec2_add_rule(sg, &r.v[i], egress);
	sim_ec2_begin(e->call, &x, e->action);
	xw_bool(&x, "return", 1);
	xw_open(&x, "securityGroupRuleSet");
	for (i = 0; i < r.n; i++) {
		xw_open(&x, "item");
		ec2_rule_write(e, &x, sg, added[i]);
		xw_close(&x);
	}
	xw_close(&x);
	xw_reply(e->call, &x);
	free(added);
out:
	free(r.v);
}

/* Write one IpPermission (a parsed rule) for unknownIpPermissionSet. */
static void
ec2_perm_write_one(struct xw *x, const struct ec2_rule *r)
{
	static const char *const kinds[][4] = {
		{ "cidr4", "ipRanges", "cidrIp", NULL },
		{ "cidr6", "ipv6Ranges", "cidrIpv6", NULL },
		{ "pl", "prefixListIds", "prefixListId", NULL },
		{ "group", "groups", "groupId", NULL },
	};
	size_t	i;

	xw_open(x, "item");
	xw_str(x, "ipProtocol", r->proto);
	if (r->from != -1 || r->to != -1) {
		xw_long(x, "fromPort", r->from);
		xw_long(x, "toPort", r->to);
	}
	for (i = 0; i < 4; i++) {
		xw_open(x, kinds[i][1]);
		if (strcmp(r->kind, kinds[i][0]) == 0) {
			xw_open(x, "item");
			xw_str(x, kinds[i][2], r->peer);
			xw_close(x);
		}
		xw_close(x);
	}
	xw_close(x);
}

/* The rules named by SecurityGroupRuleId.N; -1 answered. */
static int
ec2_rules_by_id(struct ec2 *e, cJSON *sg, int egress, cJSON ***found,
    size_t *nfound)
{
	const char	**ids;
	size_t		  n, i;
	cJSON		 *rec;

	n = sq_list(&e->p, "SecurityGroupRuleId", &ids);
	for (i = 0; i < n; i++) {
		rec = sim_ec2_find(cJSON_GetObjectItemCaseSensitive(sg,
		    "rules"), "id", ids[i]);
		if (rec == NULL || json_bool(rec, "egress", 0) != egress) {
			sim_aws_error(e->call, 400,
			    "InvalidSecurityGroupRuleId.NotFound", "The "
			    "security group rule ID '%.64s' does not exist",
			    ids[i]);
			free(ids);
			return -1;
		}
		*found = xreallocarray(*found, *nfound + 1, sizeof **found);
		(*found)[(*nfound)++] = rec;
	}
	free(ids);
	return 0;
}

/* Write and remove the revoked rules. */
static void
ec2_revoke_reply(struct ec2 *e, cJSON *sg, cJSON **found, size_t nfound,
    const struct ec2_rules *unknown)
{
	struct xw	 x;
	size_t		 i;
	cJSON		*rules = cJSON_GetObjectItemCaseSensitive(sg, "rules");

	sim_ec2_begin(e->call, &x, e->action);
	xw_bool(&x, "return", 1);
	if (unknown->n > 0) {
		xw_open(&x, "unknownIpPermissionSet");
		for (i = 0; i < unknown->n; i++)
			ec2_perm_write_one(&x, &unknown->v[i]);
		xw_close(&x);
	}
	xw_open(&x, "revokedSecurityGroupRuleSet");
	for (i = 0; i < nfound; i++) {
		xw_open(&x, "item");
		ec2_rule_write(e, &x, sg, found[i]);
		xw_close(&x);
		cJSON_Delete(cJSON_DetachItemViaPointer(rules, found[i]));
	}
	xw_close(&x);
	xw_reply(e->call, &x);
}

/* Revoke{Ingress,Egress}: by rule or by rule id. */
void
sim_ec2_revoke(struct ec2 *e)
{
	struct ec2_rules r, unknown = { NULL, 0 };
	cJSON		*sg, *rec, **found = NULL;
	size_t		 nfound = 0, i, j;
	int		 egress = strstr(e->action, "Egress") != NULL;

	if ((sg = ec2_target_group(e)) == NULL || ec2_parse_rules(e, &r) != 0)
		return;
	if (ec2_rules_by_id(e, sg, egress, &found, &nfound) != 0)
		goto out;
	for (i = 0; i < r.n; i++) {
		rec = ec2_rule_find(sg, &r.v[i], egress);
		for (j = 0; rec != NULL && j < nfound && found[j] != rec; j++)
			;
		if (rec == NULL) {
			unknown.v = xreallocarray(unknown.v, unknown.n + 1,
			    sizeof *unknown.v);
			unknown.v[unknown.n++] = r.v[i];
		} else if (j == nfound) {
			found = xreallocarray(found, nfound + 1,
			    sizeof *found);
			found[nfound++] = rec;
		}
	}
	if (nfound == 0)
		sim_aws_error(e->call, 400, "InvalidPermission.NotFound", "The "
		    "specified rule does not exist in this security group.");
	else
		ec2_revoke_reply(e, sg, found, nfound, &unknown);
out:
	free(found);
	free(unknown.v);
	free(r.v);
}

/* CreateSecurityGroup. */
void
sim_ec2_create_sg(struct ec2 *e)
{
	const char	*name = sim_aws_param(&e->p, "GroupName");
	const char	*desc = sim_aws_param(&e->p, "GroupDescription");
	const char	*vpc_id = sim_aws_param(&e->p, "VpcId");
	cJSON		*vpc, *sg, *old;
	struct xw	 x;

	if (name == NULL || desc == NULL) {
		sim_aws_error(e->call, 400, "MissingParameter", "The request "
		    "must contain the parameter %s", name == NULL ?
		    "groupName" : "groupDescription");
		return;
	}
	if (*name == '\0' || strlen(name) > 255 || strlen(desc) > 255 ||
	    strncasecmp(name, "sg-", 3) == 0) {
		sim_aws_error(e->call, 400, "InvalidParameterValue", "Invalid "
		    "value '%.255s' for groupName. Group names may not be in "
		    "the format sg-* and must be 1 to 255 characters.", name);
		return;
	}
	vpc = vpc_id != NULL ? sim_ec2_find(sim_ec2_array(e, "vpcs"), "vpcId",
	    vpc_id)
	    : sim_ec2_default_vpc(e);
	if (vpc == NULL) {
		if (vpc_id == NULL)
			sim_aws_error(e->call, 400, "VPCIdNotSpecified", "No "
			    "default VPC for this user");
		else
			sim_aws_error(e->call, 400, "InvalidVpcID.NotFound",
			    "The vpc ID '%.64s' does not exist", vpc_id);
		return;
	}
	vpc_id = sq_s(vpc, "vpcId");
	cJSON_ArrayForEach(old, sim_ec2_array(e, "securityGroups")) {
		if (strcmp(sq_s(old, "vpcId"), vpc_id) == 0 &&
		    strcmp(sq_s(old, "groupName"), name) == 0) {
			sim_aws_error(e->call, 400, "InvalidGroup.Duplicate",
			    "The security group '%s' already exists for VPC "
			    "'%s'", name, vpc_id);
			return;
		}
	}
	if (cJSON_GetArraySize(sim_ec2_array(e, "securityGroups")) >=
	    EC2_MAX_GROUPS) {
		sim_aws_error(e->call, 400, "SecurityGroupLimitExceeded", "The "
		    "maximum number of security groups for VPC '%s' has been "
		    "reached.", vpc_id);
		return;
	}
	sg = sim_ec2_new_group(e, vpc_id, name, desc);
	if (sim_ec2_tag_specs(e, sg, "security-group") != 0) {
		cJSON_Delete(cJSON_DetachItemViaPointer(sim_ec2_array(e,
		    "securityGroups"), sg));
		return;
	}
	sim_ec2_begin(e->call, &x, e->action);
	xw_bool(&x, "return", 1);
	xw_str(&x, "groupId", sq_s(sg, "groupId"));
	xw_fmt(&x, "securityGroupArn", "arn:aws:ec2:%s:%s:security-group/%s",
	    sim_aws_region(e->sim), sim_aws_account(e->sim),
	    sq_s(sg, "groupId"));
	sim_ec2_write_tags(&x, sg);
	xw_reply(e->call, &x);
}

/* DeleteSecurityGroup. */
void
sim_ec2_delete_sg(struct ec2 *e)
{
	cJSON		*sg;
	const char	*id;
	struct xw	 x;
	char		*gid;

	if ((sg = ec2_target_group(e)) == NULL)
		return;
	id = sq_s(sg, "groupId");
	if (strcmp(sq_s(sg, "groupName"), "default") == 0) {
		sim_aws_error(e->call, 400, "CannotDelete", "the specified "
		    "group: \"%s\" name: \"default\" cannot be deleted by a "
		    "user", id);
		return;
	}
	if (ec2_group_referenced(e, id)) {
		sim_aws_error(e->call, 400, "DependencyViolation",
		    "resource %s has a dependent object", id);
		return;
	}
	gid = xstrdup(id);
	cJSON_Delete(cJSON_DetachItemViaPointer(sim_ec2_array(e,
	    "securityGroups"), sg));
	sim_ec2_begin(e->call, &x, e->action);
	xw_bool(&x, "return", 1);
	xw_str(&x, "groupId", gid);
	xw_reply(e->call, &x);
	free(gid);
}

/* Filter values from a group's rules (ip-permission.* and
 * egress.ip-permission.*). */
static void
ec2_perm_values(const cJSON *sg, int egress, const char *what,
    struct sq_strv *o)
{
	const cJSON	*rec;

	cJSON_ArrayForEach(rec, cJSON_GetObjectItemCaseSensitive(sg, "rules")) {
		const char *kind = sq_s(rec, "kind");

		if (json_bool(rec, "egress", 0) != egress)
			continue;
		if ((strcmp(what, "prefix-list-id") == 0 &&
		    strcmp(kind, "pl") == 0) || (strcmp(what, "cidr") == 0 &&
		    strcmp(kind, "cidr4") == 0) || (strcmp(what, "ipv6-cidr")
		    == 0 && strcmp(kind, "cidr6") == 0) ||
		    (strcmp(what, "group-id") == 0 &&
		    strcmp(kind, "group") == 0))
			sq_strv_add(o, sq_s(rec, "peer"));
		else if (strcmp(what, "protocol") == 0)
			sq_strv_add(o, sq_s(rec, "proto"));
		else if (strcmp(what, "from-port") == 0)
			sq_strv_addf(o, "%ld", (long)json_num(rec, "from", -1));
		else if (strcmp(what, "to-port") == 0)
			sq_strv_addf(o, "%ld", (long)json_num(rec, "to", -1));
	}
}

/* Filter values of a security group. */
static int
ec2_sg_values(struct ec2 *e, const cJSON *sg, const char *f, struct sq_strv *o)
{
	static const char *const perm[] = { "prefix-list-id", "cidr",
	    "ipv6-cidr", "group-id", "protocol", "from-port", "to-port", NULL };
	const char	*what = NULL;
	int		 egress = 0;
	size_t		 i;

	if (sim_ec2_tag_values(sg, f, o))
		return 0;
	if (strncmp(f, "ip-permission.", 14) == 0)
		what = f + 14;
	else if (strncmp(f, "egress.ip-permission.", 21) == 0) {
		what = f + 21;
		egress = 1;
	}
	for (i = 0; what != NULL && perm[i] != NULL &&
	    strcmp(perm[i], what) != 0; i++)
		;
	if (what != NULL && perm[i] == NULL)
		return -1;
	if (what == NULL && strcmp(f, "group-id") != 0 &&
	    strcmp(f, "group-name") != 0 && strcmp(f, "vpc-id") != 0 &&
	    strcmp(f, "description") != 0 && strcmp(f, "owner-id") != 0)
		return -1;
	if (sg == NULL)
		return 0;
	if (what != NULL)
		ec2_perm_values(sg, egress, what, o);
	else if (strcmp(f, "owner-id") == 0)
		sq_strv_add(o, sim_aws_account(e->sim));
	else
		sq_strv_add(o, sq_s(sg, strcmp(f, "group-id") == 0 ?
		    "groupId" : strcmp(f, "group-name") == 0 ? "groupName" :
		    strcmp(f, "vpc-id") == 0 ? "vpcId" : "description"));
	return 0;
}

/* The peers of one permission (proto/from/to) into their lists. */
static void
ec2_perm_peers(struct ec2 *e, struct xw *x, const cJSON *sg, int egress,
    const cJSON *key)
{
	static const char *const kinds[][3] = {
		{ "group", "groups", "groupId" },
		{ "cidr4", "ipRanges", "cidrIp" },
		{ "cidr6", "ipv6Ranges", "cidrIpv6" },
		{ "pl", "prefixListIds", "prefixListId" },
	};
	const cJSON	*rec;
	size_t		 i;

	for (i = 0; i < 4; i++) {
		xw_open(x, kinds[i][1]);
		cJSON_ArrayForEach(rec, cJSON_GetObjectItemCaseSensitive(sg,
		    "rules")) {
			if (json_bool(rec, "egress", 0) != egress ||
			    strcmp(sq_s(rec, "kind"), kinds[i][0]) != 0 ||
			    strcmp(sq_s(rec, "proto"),
			    sq_s(key, "proto")) != 0 ||
			    json_num(rec, "from", -1) !=
			    json_num(key, "from", -1) ||
			    json_num(rec, "to", -1) != json_num(key, "to", -1))
				continue;
			xw_open(x, "item");
			if (i == 0)
				xw_str(x, "userId", sim_aws_account(e->sim));
			xw_str(x, kinds[i][2], sq_s(rec, "peer"));
			xw_str(x, "description", json_str(rec, "desc"));
			xw_close(x);
		}
		xw_close(x);
	}
}

/* A group's rules of one direction folded into IpPermissions. */
static void
ec2_write_perms(struct ec2 *e, struct xw *x, const cJSON *sg, int egress)
{
	const cJSON	*rec, *prev;
	int		 dup;

	xw_open(x, egress ? "ipPermissionsEgress" : "ipPermissions");
	cJSON_ArrayForEach(rec, cJSON_GetObjectItemCaseSensitive(sg, "rules")) {
		if (json_bool(rec, "egress", 0) != egress)
			continue;
		dup = 0;
		cJSON_ArrayForEach(prev, cJSON_GetObjectItemCaseSensitive(sg,
		    "rules")) {
			if (prev == rec)
				break;
			dup |= json_bool(prev, "egress", 0) == egress &&
			    strcmp(sq_s(prev, "proto"),
			    sq_s(rec, "proto")) == 0 &&
			    json_num(prev, "from", -1) ==
			    json_num(rec, "from", -1) &&
			    json_num(prev, "to", -1) == json_num(rec, "to", -1);
		}
		if (dup)
			continue;
		xw_open(x, "item");
		xw_str(x, "ipProtocol", sq_s(rec, "proto"));
		if (json_num(rec, "from", -1) != -1 ||
		    json_num(rec, "to", -1) != -1) {
			xw_long(x, "fromPort", (long)json_num(rec, "from", -1));
			xw_long(x, "toPort", (long)json_num(rec, "to", -1));
		}
		ec2_perm_peers(e, x, sg, egress, rec);
		xw_close(x);
	}
	xw_close(x);
}

/* One security group item. */
static void
ec2_sg_write(struct ec2 *e, struct xw *x, const cJSON *sg)
{
	xw_str(x, "ownerId", sim_aws_account(e->sim));
	xw_str(x, "groupId", sq_s(sg, "groupId"));
	xw_str(x, "groupName", sq_s(sg, "groupName"));
	xw_str(x, "groupDescription", json_str(sg, "description"));
	xw_str(x, "vpcId", sq_s(sg, "vpcId"));
	ec2_write_perms(e, x, sg, 0);
	ec2_write_perms(e, x, sg, 1);
	sim_ec2_write_tags(x, sg);
	xw_fmt(x, "securityGroupArn", "arn:aws:ec2:%s:%s:security-group/%s",
	    sim_aws_region(e->sim), sim_aws_account(e->sim),
	    sq_s(sg, "groupId"));
}

static const struct ec2_kind ec2_sg_kind = {
	"securityGroupInfo", "groupId", "GroupId", "sg",
	"InvalidGroup.NotFound", "security group", "InvalidGroupId.Malformed",
	5, 1000, ec2_sg_values, ec2_sg_write
};

/* DescribeSecurityGroups (GroupId.N, GroupName.N, filters). */
void
sim_ec2_describe_sgs(struct ec2 *e)
{
	const char	**names;
	size_t		  n, i;
	cJSON		 *sub, *sg, *vpc;

	n = sq_list(&e->p, "GroupName", &names);
	if (n == 0) {
		free(names);
		sim_ec2_describe(e, &ec2_sg_kind, ec2_groups(e));
		return;
	}
	sub = cJSON_CreateArray();
	for (i = 0; i < n; i++) {
		if ((sg = ec2_group_by_name(e, names[i])) == NULL) {
			vpc = sim_ec2_default_vpc(e);
			sim_aws_error(e->call, 400, "InvalidGroup.NotFound",
			    "The security group '%.255s' does not exist in "
			    "default VPC '%s'", names[i], vpc != NULL ?
			    sq_s(vpc, "vpcId") : "none");
			goto out;
		}
		cJSON_AddItemReferenceToArray(sub, sg);
	}
	sim_ec2_describe(e, &ec2_sg_kind, sub);
out:
	cJSON_Delete(sub);
	free(names);
}

/* Filter values of a flattened rule ({group, rule} pair). */
static int
ec2_rulerec_values(struct ec2 *e, const cJSON *r, const char *f,
    struct sq_strv *o)
{
	(void)e;
	if (strcmp(f, "group-id") != 0 &&
	    strcmp(f, "security-group-rule-id") != 0 &&
	    strncmp(f, "tag:", 4) != 0 && strcmp(f, "tag-key") != 0)
		return -1;
	if (r == NULL)
		return 0;
	if (strcmp(f, "group-id") == 0)
		sq_strv_add(o, sq_s(r, "groupId"));
	else if (strcmp(f, "security-group-rule-id") == 0)
		sq_strv_add(o, sq_s(r, "id"));
	return 0;
}

/* One SecurityGroupRule item of a flattened record. */
static void
ec2_rulerec_write(struct ec2 *e, struct xw *x, const cJSON *r)
{
	cJSON	*sg = sim_ec2_find(ec2_groups(e), "groupId", sq_s(r,
	    "groupId"));

	ec2_rule_write(e, x, sg, r);
}

static const struct ec2_kind ec2_rule_kind = {
	"securityGroupRuleSet", "id", "SecurityGroupRuleId", "sgr",
	"InvalidSecurityGroupRuleId.NotFound", "security group rule ID",
	"InvalidSecurityGroupRuleId.Malformed", 5, 1000, ec2_rulerec_values,
	ec2_rulerec_write
};

/* DescribeSecurityGroupRules. */
void
sim_ec2_describe_sg_rules(struct ec2 *e)
{
	cJSON	*arr, *sg, *rec, *copy;

	arr = cJSON_CreateArray();
	cJSON_ArrayForEach(sg, ec2_groups(e)) {
		cJSON_ArrayForEach(rec, cJSON_GetObjectItemCaseSensitive(sg,
		    "rules")) {
			copy = cJSON_Duplicate(rec, 1);
			cJSON_AddStringToObject(copy, "groupId",
			    sq_s(sg, "groupId"));
			cJSON_AddItemToArray(arr, copy);
		}
	}
	sim_ec2_describe(e, &ec2_rule_kind, arr);
	cJSON_Delete(arr);
}
