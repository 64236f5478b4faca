/* --export-eksctl: the eksctl ClusterConfig equivalent of the cluster
 * step, in the shape of the lab's eks-cluster1.sh (lattice_eks01.yaml),
 * with the subnets' real zones instead of hard-coded a/b/c and without
 * the deprecated ssh.enableSsm. */
#include <stdio.h>
#include <stdlib.h>

#include "latticectl/strbuf.h"
#include "latticectl/xmalloc.h"
#include "latticectl/yaml.h"

#include "install_int.h"

/* vpc.subnets.<kind>: {<Kind>SubnetNN: {az, id}}. */
static cJSON *
ek_subnets(const struct lab_strv *ids, const struct lab_strv *azs,
    const char *prefix)
{
	cJSON	*o = cJSON_CreateObject(), *s;
	char	 key[64];
	size_t	 i;

	for (i = 0; i < ids->n; i++) {
		snprintf(key, sizeof key, "%sSubnet%02zu", prefix, i + 1);
		s = cJSON_AddObjectToObject(o, key);
		if (i < azs->n && *azs->v[i] != '\0')
			cJSON_AddStringToObject(s, "az", azs->v[i]);
		cJSON_AddStringToObject(s, "id", ids->v[i]);
	}
	return o;
}

/* The managedNodeGroups entry. */
static cJSON *
ek_nodegroup(struct install *in)
{
	const struct lab_config	*lab = in->lab;
	const struct lab_strv	*sn = in->f.private_ids.n ? &in->f.private_ids :
	    &in->f.public_ids;
	cJSON			*ng = cJSON_CreateObject();

	cJSON_AddStringToObject(ng, "name", lab->nodegroup.name);
	cJSON_AddNumberToObject(ng, "minSize", lab->nodegroup.min_size);
	cJSON_AddNumberToObject(ng, "maxSize", lab->nodegroup.max_size);
	cJSON_AddNumberToObject(ng, "desiredCapacity",
	    lab->nodegroup.desired_size);
	cJSON_AddStringToObject(ng, "instanceType",
	    lab->nodegroup.instance_type);
	cJSON_AddItemToObject(ng, "subnets", cJSON_CreateStringArray(
	    (const char *const *)sn->v, (int)sn->n));
	cJSON_AddNumberToObject(ng, "volumeSize", lab->nodegroup.volume_size);
	cJSON_AddBoolToObject(ng, "privateNetworking",
	    in->f.private_ids.n != 0);
	cJSON_AddItemToObject(ng, "labels", aws_tags_to_json(
	    &lab->nodegroup.labels));
	cJSON_AddItemToObject(ng, "tags", aws_tags_to_json(
	    &lab->nodegroup.tags));
	return ng;
}

/* The ClusterConfig tree. */
static cJSON *
ek_config(struct install *in)
{
	const struct lab_config	*lab = in->lab;
	cJSON			*c, *md, *vpc, *sn, *cw;

	c = cJSON_CreateObject();
	cJSON_AddStringToObject(c, "apiVersion", "eksctl.io/v1alpha5");
	cJSON_AddStringToObject(c, "kind", "ClusterConfig");
	md = cJSON_AddObjectToObject(c, "metadata");
	cJSON_AddStringToObject(md, "name", lab->cluster.name);
	cJSON_AddStringToObject(md, "region", in->f.region);
	cJSON_AddStringToObject(md, "version", lab->cluster.version);
	vpc = cJSON_AddObjectToObject(c, "vpc");
	cJSON_AddStringToObject(vpc, "id", in->f.vpc_id);
	sn = cJSON_AddObjectToObject(vpc, "subnets");
	if (in->f.public_ids.n)
		cJSON_AddItemToObject(sn, "public", ek_subnets(
		    &in->f.public_ids, &in->f.public_az, "Public"));
	if (in->f.private_ids.n)
		cJSON_AddItemToObject(sn, "private", ek_subnets(
		    &in->f.private_ids, &in->f.private_az, "Private"));
	if (lab->cluster.logging.n) {
		cw = cJSON_AddObjectToObject(cJSON_AddObjectToObject(c,
		    "cloudWatch"), "clusterLogging");
		cJSON_AddItemToObject(cw, "enableTypes", cJSON_CreateStringArray(
		    (const char *const *)lab->cluster.logging.v,
		    (int)lab->cluster.logging.n));
	}
	cJSON_AddTrueToObject(cJSON_AddObjectToObject(c, "iam"), "withOIDC");
	if (lab->nodegroup.name != NULL)
		cJSON_AddItemToArray(cJSON_AddArrayToObject(c,
		    "managedNodeGroups"), ek_nodegroup(in));
	return c;
}

/* Render the ClusterConfig (looking the subnets up first). */
int
install_export_eksctl(struct install *in, char **yaml, char **cause)
{
	struct strbuf	 sb;
	cJSON		*c;
	char		*y;

	*yaml = NULL;
	if (inst_facts(in, 1, cause) != 0)
		return -1;
	c = ek_config(in);
	y = yaml_dump(c);
	cJSON_Delete(c);
	strbuf_init(&sb);
	strbuf_addf(&sb, "# eksctl equivalent of `latticectl install` step "
	    "cluster (and the OIDC provider\n# of step service-account): "
	    "eksctl create cluster -f FILE\n");
	strbuf_adds(&sb, y);
	if (sb.len != 0 && sb.buf[sb.len - 1] != '\n')
		strbuf_addc(&sb, '\n');
	free(y);
	*yaml = strbuf_detach(&sb, NULL);
	return 0;
}
