/* doctor, network side: the EKS cluster, its security group admitting
 * both Lattice prefix lists, a service network per Gateway, the cluster
 * VPC associated (ACTIVE) and with no other service network. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/ec2.h"
#include "latticectl/json.h"
#include "latticectl/lattice.h"
#include "latticectl/strbuf.h"
#include "latticectl/xmalloc.h"

#include "doctor_int.h"

/* network.eks-cluster */
static void
doc_check_eks(struct doc *d)
{
	const char	*t = "The EKS cluster is ACTIVE";
	char		*subj;

	if (d->cluster == NULL) {
		doc_add(d, "network.eks-cluster", "EKS cluster", DOCTOR_FAIL, t,
		    "the cluster name is unknown: not in the controller's "
		    "CLUSTER_NAME, its ConfigMap or the environment",
		    "latticectl doctor --cluster-name NAME");
		return;
	}
	xasprintf(&subj, "EKS cluster %s", d->cluster);
	if (!d->have_eks)
		doc_addf(d, "network.eks-cluster", subj, DOCTOR_FAIL, t,
		    "aws eks list-clusters", "DescribeCluster %s failed (wrong "
		    "name or region?)", d->cluster);
	else if (d->eks.status == NULL || strcmp(d->eks.status, "ACTIVE") != 0)
		doc_addf(d, "network.eks-cluster", subj, DOCTOR_FAIL, t,
		    "aws eks describe-cluster --name NAME", "%s is %s",
		    d->cluster, d->eks.status != NULL ? d->eks.status : "?");
	else
		doc_addf(d, "network.eks-cluster", subj, DOCTOR_OK, t, NULL,
		    "%s ACTIVE, VPC %s, cluster security group %s", d->cluster,
		    d->vpc_id != NULL ? d->vpc_id : "?",
		    d->eks.vpc.cluster_security_group_id != NULL ?
		    d->eks.vpc.cluster_security_group_id : "?");
	free(subj);
}

/* Does a group's ingress admit prefix list id (any protocol, or TCP)? */
static int
doc_sg_admits(const struct ec2_security_group *g, const char *pl)
{
	size_t	i, j;

	for (i = 0; i < g->n_ingress; i++) {
		for (j = 0; j < g->ingress[i].n_prefix_lists; j++) {
			if (strcmp(g->ingress[i].prefix_lists[j].id, pl) == 0)
				return 1;
		}
	}
	return 0;
}

/* The two Lattice prefix lists of the region (ids, names in pl). */
static int
doc_prefix_lists(struct doc *d, struct ec2_prefix_lists *pl)
{
	struct ec2_filters	 fl;
	struct ec2_describe	 q;
	struct aws_error	 err;
	char			*n4, *n6;
	int			 rc;

	memset(&fl, 0, sizeof(fl));
	xasprintf(&n4, "com.amazonaws.%s.vpc-lattice", aws_region(d->aws));
	xasprintf(&n6, "com.amazonaws.%s.ipv6.vpc-lattice",
	    aws_region(d->aws));
	ec2_filters_add(&fl, "prefix-list-name", n4);
	ec2_filters_add(&fl, "prefix-list-name", n6);
	memset(&q, 0, sizeof(q));
	q.filters = &fl;
	memset(&err, 0, sizeof(err));
	rc = ec2_describe_prefix_lists(d->aws, &q, pl, &err);
	aws_error_clear(&err);
	ec2_filters_free(&fl);
	free(n4);
	free(n6);
	return rc;
}

/* network.sg-prefix-list */
static void
doc_check_sg(struct doc *d)
{
	const char			*t = "The cluster security group admits "
	    "the Lattice prefix lists";
	const char			*sg = d->have_eks ?
	    d->eks.vpc.cluster_security_group_id : NULL;
	struct ec2_prefix_lists		 pl;
	struct ec2_security_groups	 g;
	struct ec2_describe		 q;
	struct aws_error		 err;
	struct strbuf			 miss, fix;
	char				*subj;
	size_t				 i;

	if (sg == NULL) {
		doc_add(d, "network.sg-prefix-list", "security group",
		    DOCTOR_SKIP, t, "no EKS cluster to read the cluster "
		    "security group from", NULL);
		return;
	}
	xasprintf(&subj, "%s (cluster security group)", sg);
	memset(&pl, 0, sizeof(pl));
	memset(&g, 0, sizeof(g));
	memset(&err, 0, sizeof(err));
	strbuf_init(&miss);
	strbuf_init(&fix);
	memset(&q, 0, sizeof(q));
	q.ids = &sg;
	q.n_ids = 1;
	if (doc_prefix_lists(d, &pl) != 0 || pl.n == 0 ||
	    ec2_describe_security_groups(d->aws, &q, &g, &err) != 0 ||
	    g.n == 0) {
		doc_addf(d, "network.sg-prefix-list", subj, DOCTOR_FAIL, t,
		    "aws ec2 describe-managed-prefix-lists", "%s",
		    pl.n == 0 ? "the Lattice managed prefix lists are not in "
		    "this region" : "cannot describe the security group");
		goto out;
	}
	for (i = 0; i < pl.n; i++) {
		if (doc_sg_admits(&g.v[0], pl.v[i].id))
			continue;
		strbuf_addf(&miss, "%s%s (%s)", miss.len > 0 ? ", " : "",
		    pl.v[i].id, pl.v[i].name);
		strbuf_addf(&fix, "%saws ec2 authorize-security-group-ingress "
		    "--group-id %s --ip-permissions \"PrefixListIds=[{"
		    "PrefixListId=%s}],IpProtocol=-1\"", fix.len > 0 ? "\n" :
		    "", sg, pl.v[i].id);
	}
	if (miss.len > 0)
		doc_addf(d, "network.sg-prefix-list", subj, DOCTOR_FAIL, t,
		    fix.buf, "%s has no inbound rule from %s", sg, miss.buf);
	else
		doc_addf(d, "network.sg-prefix-list", subj, DOCTOR_OK, t, NULL,
		    "%s admits %zu Lattice prefix list%s", sg, pl.n, pl.n == 1 ?
		    "" : "s");
out:
	strbuf_free(&miss);
	strbuf_free(&fix);
	free(subj);
	aws_error_clear(&err);
	ec2_prefix_lists_free(&pl);
	ec2_security_groups_free(&g);
}

/* The service network called name in l, or NULL. */
static const struct lattice_service_network *
doc_sn(const struct lattice_service_network_list *l, const char *name)
{
	size_t	i;

	for (i = 0; i < l->n; i++) {
		if (l->items[i].name != NULL && strcmp(l->items[i].name, name)
		    == 0)
			return &l->items[i];
	}
	return NULL;
}

/* Does a Gateway of our class carry this name? */
static int
doc_gateway_named(struct doc *d, const char *name)
{
	const cJSON	*gw;

	cJSON_ArrayForEach(gw, d->gateways) {
		if (name != NULL && strcmp(name, json_path_str(gw,
		    "metadata.name")) == 0)
			return 1;
	}
	return 0;
}

/* network.vpc-association when the VPC is associated with another
 * network a (a VPC may have one association only): another Gateway's
 * network is a WARN (this Gateway's services are not reachable from the
 * VPC); a network no Gateway names is network.vpc-other-sn's finding,
 * so this one is skipped. */
static void
doc_check_elsewhere(struct doc *d, const char *subj, const char *name,
    const struct lattice_sn_vpc_assoc *a)
{
	const char	*t = "The cluster VPC is associated with the service "
	    "network";
	const char	*other = a->service_network_name != NULL ?
	    a->service_network_name : "?";

	if (doc_gateway_named(d, a->service_network_name))
		doc_addf(d, "network.vpc-association", subj, DOCTOR_WARN, t,
		    "latticectl doctor   # one Gateway per VPC, or a service "
		    "network endpoint for the other", "%s is associated with "
		    "Gateway %s's network (%s), not with %s: a VPC may be "
		    "associated with one service network only", d->vpc_id,
		    other, a->id, name);
	else
		doc_addf(d, "network.vpc-association", subj, DOCTOR_SKIP, t,
		    NULL, "%s is associated with %s instead (see "
		    "network.vpc-other-sn)", d->vpc_id, other);
}

/* network.service-network and network.vpc-association for a Gateway. */
static void
doc_check_gateway(struct doc *d, const cJSON *gw,
    const struct lattice_service_network_list *sns,
    const struct lattice_sn_vpc_assoc_list *va)
{
	const char	*name = json_path_str(gw, "metadata.name");
	const struct lattice_service_network *sn = doc_sn(sns, name);
	const struct lattice_sn_vpc_assoc *a = NULL;
	char		*subj, *fix;
	size_t		 i;

	xasprintf(&subj, "Gateway/%s/%s", json_path_str(gw,
	    "metadata.namespace"), name);
	xasprintf(&fix, "aws vpc-lattice create-service-network --name %s",
	    name);
	if (sn == NULL) {
		doc_addf(d, "network.service-network", subj, DOCTOR_FAIL,
		    "A service network exists under the Gateway's name", fix,
		    "no service network named %s", name);
		doc_add(d, "network.vpc-association", subj, DOCTOR_SKIP,
		    "The cluster VPC is associated with the service network",
		    "no service network", NULL);
		goto out;
	}
	doc_addf(d, "network.service-network", subj, DOCTOR_OK, "A service "
	    "network exists under the Gateway's name", NULL, "%s (%s)", name,
	    sn->id);
	for (i = 0; i < va->n; i++) {
		if (va->items[i].service_network_id != NULL &&
		    strcmp(va->items[i].service_network_id, sn->id) == 0)
			a = &va->items[i];
	}
	free(fix);
	xasprintf(&fix, "aws vpc-lattice create-service-network-vpc-"
	    "association --service-network-identifier %s --vpc-identifier %s"
	    "%s%s", sn->id, d->vpc_id, d->have_eks &&
	    d->eks.vpc.cluster_security_group_id != NULL ?
	    " --security-group-ids " : "", d->have_eks &&
	    d->eks.vpc.cluster_security_group_id != NULL ?
	    d->eks.vpc.cluster_security_group_id : "");
	if (a == NULL && va->n > 0)
		doc_check_elsewhere(d, subj, name, &va->items[0]);
	else if (a == NULL)
		doc_addf(d, "network.vpc-association", subj, DOCTOR_FAIL,
		    "The cluster VPC is associated with the service network",
		    fix, "%s is not associated with %s: clients in the VPC "
		    "cannot resolve or reach its services", d->vpc_id, name);
	else if (a->status == NULL || strcmp(a->status, "ACTIVE") != 0)
		doc_addf(d, "network.vpc-association", subj, strcmp(a->status
		    != NULL ? a->status : "", "CREATE_IN_PROGRESS") == 0 ?
		    DOCTOR_WARN : DOCTOR_FAIL, "The cluster VPC is associated "
		    "with the service network", "aws vpc-lattice get-service-"
		    "network-vpc-association --service-network-vpc-association-"
		    "identifier ID", "%s (%s) is %s%s%s", a->id, d->vpc_id,
		    a->status != NULL ? a->status : "?", a->failure_message !=
		    NULL ? ": " : "", a->failure_message != NULL ?
		    a->failure_message : "");
	else
		doc_addf(d, "network.vpc-association", subj, DOCTOR_OK, "The "
		    "cluster VPC is associated with the service network", NULL,
		    "%s ACTIVE (%s)", d->vpc_id, a->id);
out:
	free(fix);
	free(subj);
}

/* network.vpc-other-sn: a VPC may be associated with one network only. */
static void
doc_check_other(struct doc *d, const struct lattice_sn_vpc_assoc_list *va)
{
	const char	*t = "The cluster VPC is not associated with another "
	    "service network";
	struct strbuf	 sb, fix;
	size_t		 i;

	strbuf_init(&sb);
	strbuf_init(&fix);
	for (i = 0; i < va->n; i++) {
		if (doc_gateway_named(d, va->items[i].service_network_name))
			continue;
		strbuf_addf(&sb, "%s%s (%s)", sb.len > 0 ? ", " : "",
		    va->items[i].service_network_name, va->items[i].id);
		strbuf_addf(&fix, "%saws vpc-lattice delete-service-network-"
		    "vpc-association --service-network-vpc-association-"
		    "identifier %s", fix.len > 0 ? "\n" : "", va->items[i].id);
	}
	if (sb.len > 0 && cJSON_GetArraySize(d->gateways) > 0)
		strbuf_addf(&fix, "\naws vpc-lattice create-service-network-"
		    "vpc-association --service-network-identifier %s "
		    "--vpc-identifier %s   # then the Gateway's network",
		    json_path_str(cJSON_GetArrayItem(d->gateways, 0),
		    "metadata.name"), d->vpc_id);
	if (sb.len > 0)
		doc_addf(d, "network.vpc-other-sn", d->vpc_id, DOCTOR_FAIL, t,
		    fix.buf, "%s is associated with %s, which no Gateway "
		    "names (a VPC may be associated with one service network "
		    "only)", d->vpc_id, sb.buf);
	else
		doc_addf(d, "network.vpc-other-sn", d->vpc_id, DOCTOR_OK, t,
		    NULL, "%s has %zu association%s, all with Gateways' "
		    "networks", d->vpc_id, va->n, va->n == 1 ? "" : "s");
	strbuf_free(&sb);
	strbuf_free(&fix);
}

/* Every network check. */
void
doc_network(struct doc *d)
{
	struct lattice_service_network_list	 sns;
	struct lattice_list_sn_vpc_assocs_input	 in;
	struct lattice_sn_vpc_assoc_list	 va;
	struct aws_error			 err;
	const cJSON				*gw;

	doc_check_eks(d);
	doc_check_sg(d);
	memset(&sns, 0, sizeof(sns));
	memset(&va, 0, sizeof(va));
	memset(&err, 0, sizeof(err));
	memset(&in, 0, sizeof(in));
	in.vpc_identifier = d->vpc_id;
	if (d->vpc_id == NULL)
		doc_add(d, "network.vpc-association", "VPC", DOCTOR_SKIP, "The "
		    "cluster VPC is associated with the service network",
		    "the cluster VPC is unknown", NULL);
	else if (lattice_list_service_networks(d->aws, NULL, &sns, &err) != 0
	    || lattice_list_sn_vpc_assocs(d->aws, &in, &va, &err) != 0)
		doc_addf(d, "network.service-network", "VPC Lattice",
		    DOCTOR_FAIL, "A service network exists under the "
		    "Gateway's name", NULL, "VPC Lattice: %s", err.message !=
		    NULL ? err.message : "?");
	else {
		if (cJSON_GetArraySize(d->gateways) == 0)
			doc_add(d, "network.service-network", "Gateways",
			    DOCTOR_SKIP, "A service network exists under the "
			    "Gateway's name", "no Gateway of a Lattice "
			    "GatewayClass", NULL);
		cJSON_ArrayForEach(gw, d->gateways)
			doc_check_gateway(d, gw, &sns, &va);
		doc_check_other(d, &va);
	}
	aws_error_clear(&err);
	lattice_service_network_list_free(&sns);
	lattice_sn_vpc_assoc_list_free(&va);
}
