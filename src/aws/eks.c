/* EKS client: clusters and managed node groups (rest-json, nextToken
 * pages, clientRequestToken on creates). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#define LOG_MODULE "eks"
#include "latticectl/eks.h"
#include "latticectl/json.h"
#include "latticectl/log.h"
#include "latticectl/strbuf.h"
#include "latticectl/timeutil.h"
#include "latticectl/xmalloc.h"

#include "aws_int.h"
#include "svcutil_int.h"

/* Upper bound on pages of one list call (a runaway server). */
#define EKS_MAX_PAGES 10000

/* Member as a long, or def. */
static long
eks_json_long(const cJSON *obj, const char *key, long def)
{
	int64_t	v;

	if (json_int(obj, key, &v) != 0)
		return def;
	return (long)v;
}

/* Timestamp member (epoch seconds or ISO string), or zero. */
static void
eks_json_time(const cJSON *obj, const char *key, struct timespec *ts)
{
	const cJSON	*v;

	ts->tv_sec = 0;
	ts->tv_nsec = 0;
	v = cJSON_GetObjectItemCaseSensitive(obj, key);
	if (v == NULL || time_from_json(v, ts) != 0) {
		ts->tv_sec = 0;
		ts->tv_nsec = 0;
	}
}

/* Read resourcesVpcConfig. */
static void
eks_vpc_config_read(const cJSON *vc, struct eks_vpc_config *v)
{
	if (!cJSON_IsObject(vc))
		return;
	svcutil_json_strs(cJSON_GetObjectItemCaseSensitive(vc, "subnetIds"),
	    &v->subnet_ids, &v->n_subnet_ids);
	svcutil_json_strs(cJSON_GetObjectItemCaseSensitive(vc,
	    "securityGroupIds"), &v->security_group_ids,
	    &v->n_security_group_ids);
	v->cluster_security_group_id = svcutil_json_dup(vc,
	    "clusterSecurityGroupId");
	v->vpc_id = svcutil_json_dup(vc, "vpcId");
	v->endpoint_public_access = json_bool(vc, "endpointPublicAccess", 0);
	v->endpoint_private_access = json_bool(vc, "endpointPrivateAccess",
	    0);
}

/* Read a Cluster object. */
int
eks_cluster_from_json(const cJSON *obj, struct eks_cluster *c)
{
	if (!cJSON_IsObject(obj))
		return -1;
	c->name = svcutil_json_dup(obj, "name");
	c->arn = svcutil_json_dup(obj, "arn");
	c->status = svcutil_json_dup(obj, "status");
	c->version = svcutil_json_dup(obj, "version");
	c->endpoint = svcutil_json_dup(obj, "endpoint");
	c->role_arn = svcutil_json_dup(obj, "roleArn");
	c->ca_data = svcutil_json_dup(obj, "certificateAuthority.data");
	c->oidc_issuer = svcutil_json_dup(obj, "identity.oidc.issuer");
	c->platform_version = svcutil_json_dup(obj, "platformVersion");
	c->service_ipv4_cidr = svcutil_json_dup(obj,
	    "kubernetesNetworkConfig.serviceIpv4Cidr");
	eks_vpc_config_read(cJSON_GetObjectItemCaseSensitive(obj,
	    "resourcesVpcConfig"), &c->vpc);
	eks_json_time(obj, "createdAt", &c->created_at);
	aws_tags_from_json(&c->tags, cJSON_GetObjectItemCaseSensitive(obj,
	    "tags"));
	return 0;
}

/* Read health.issues of a nodegroup. */
static void
eks_issues_read(const cJSON *arr, struct eks_nodegroup *ng)
{
	const cJSON		*it;
	struct eks_issue	*is;

	if (!cJSON_IsArray(arr))
		return;
	cJSON_ArrayForEach(it, arr) {
		if (!cJSON_IsObject(it))
			continue;
		ng->issues = svcutil_grow(ng->issues, ng->n_issues,
		    sizeof *ng->issues);
		is = &ng->issues[ng->n_issues++];
		is->code = svcutil_json_dup(it, "code");
		is->message = svcutil_json_dup(it, "message");
		svcutil_json_strs(cJSON_GetObjectItemCaseSensitive(it,
		    "resourceIds"), &is->resource_ids, &is->n_resource_ids);
	}
}

/* Read a Nodegroup object. */
int
eks_nodegroup_from_json(const cJSON *obj, struct eks_nodegroup *ng)
{
	const cJSON	*sc;

	if (!cJSON_IsObject(obj))
		return -1;
	ng->name = svcutil_json_dup(obj, "nodegroupName");
	ng->arn = svcutil_json_dup(obj, "nodegroupArn");
	ng->cluster_name = svcutil_json_dup(obj, "clusterName");
	ng->status = svcutil_json_dup(obj, "status");
	ng->node_role = svcutil_json_dup(obj, "nodeRole");
	ng->ami_type = svcutil_json_dup(obj, "amiType");
	ng->capacity_type = svcutil_json_dup(obj, "capacityType");
	ng->version = svcutil_json_dup(obj, "version");
	ng->release_version = svcutil_json_dup(obj, "releaseVersion");
	svcutil_json_strs(cJSON_GetObjectItemCaseSensitive(obj, "subnets"),
	    &ng->subnets, &ng->n_subnets);
	svcutil_json_strs(cJSON_GetObjectItemCaseSensitive(obj,
	    "instanceTypes"), &ng->instance_types, &ng->n_instance_types);
	sc = cJSON_GetObjectItemCaseSensitive(obj, "scalingConfig");
	ng->min_size = eks_json_long(sc, "minSize", 0);
	ng->max_size = eks_json_long(sc, "maxSize", 0);
	ng->desired_size = eks_json_long(sc, "desiredSize", 0);
	ng->disk_size = eks_json_long(obj, "diskSize", 0);
	eks_json_time(obj, "createdAt", &ng->created_at);
	eks_issues_read(json_path(obj, "health.issues"), ng);
	aws_tags_from_json(&ng->labels, cJSON_GetObjectItemCaseSensitive(obj,
	    "labels"));
	aws_tags_from_json(&ng->tags, cJSON_GetObjectItemCaseSensitive(obj,
	    "tags"));
	return 0;
}

/* Release a cluster. */
void
eks_cluster_clear(struct eks_cluster *c)
{
	free(c->name);
	free(c->arn);
	free(c->status);
	free(c->version);
	free(c->endpoint);
	free(c->role_arn);
	free(c->ca_data);
	free(c->oidc_issuer);
	free(c->platform_version);
	free(c->service_ipv4_cidr);
	svcutil_strs_free(c->vpc.subnet_ids, c->vpc.n_subnet_ids);
	svcutil_strs_free(c->vpc.security_group_ids,
	    c->vpc.n_security_group_ids);
	free(c->vpc.cluster_security_group_id);
	free(c->vpc.vpc_id);
	aws_tags_free(&c->tags);
	memset(c, 0, sizeof *c);
}

/* Release a nodegroup. */
void
eks_nodegroup_clear(struct eks_nodegroup *ng)
{
	size_t	i;

	free(ng->name);
	free(ng->arn);
	free(ng->cluster_name);
	free(ng->status);
	free(ng->node_role);
	free(ng->ami_type);
	free(ng->capacity_type);
	free(ng->version);
	free(ng->release_version);
	svcutil_strs_free(ng->subnets, ng->n_subnets);
	svcutil_strs_free(ng->instance_types, ng->n_instance_types);
	for (i = 0; i < ng->n_issues; i++) {
		free(ng->issues[i].code);
		free(ng->issues[i].message);
		svcutil_strs_free(ng->issues[i].resource_ids,
		    ng->issues[i].n_resource_ids);
	}
	free(ng->issues);
	aws_tags_free(&ng->labels);
	aws_tags_free(&ng->tags);
	memset(ng, 0, sizeof *ng);
}

/* Release a name list. */
void
eks_names_free(struct eks_names *l)
{
	svcutil_strs_free(l->v, l->n);
	l->v = NULL;
	l->n = 0;
}

/* Add a boolean member when tri is 0 or 1. */
static void
eks_json_tristate(cJSON *obj, const char *key, int tri)
{
	if (tri == 0 || tri == 1)
		cJSON_AddBoolToObject(obj, key, tri);
}

/* The CreateCluster request body. */
cJSON *
eks_cluster_input_json(const struct eks_cluster_input *in, const char *token)
{
	cJSON	*body, *vc, *knc, *logs, *setup;

	body = cJSON_CreateObject();
	json_add_str_opt(body, "name", in->name);
	json_add_str_opt(body, "version", in->version);
	json_add_str_opt(body, "roleArn", in->role_arn);
	vc = cJSON_AddObjectToObject(body, "resourcesVpcConfig");
	cJSON_AddItemToObject(vc, "subnetIds",
	    svcutil_json_array(in->subnet_ids, in->n_subnet_ids));
	if (in->n_security_group_ids > 0)
		cJSON_AddItemToObject(vc, "securityGroupIds",
		    svcutil_json_array(in->security_group_ids,
		    in->n_security_group_ids));
	eks_json_tristate(vc, "endpointPublicAccess",
	    in->endpoint_public_access);
	eks_json_tristate(vc, "endpointPrivateAccess",
	    in->endpoint_private_access);
	if (in->service_ipv4_cidr != NULL) {
		knc = cJSON_AddObjectToObject(body, "kubernetesNetworkConfig");
		cJSON_AddStringToObject(knc, "serviceIpv4Cidr",
		    in->service_ipv4_cidr);
	}
	if (in->n_log_types > 0) {
		logs = cJSON_AddArrayToObject(cJSON_AddObjectToObject(body,
		    "logging"), "clusterLogging");
		setup = cJSON_CreateObject();
		cJSON_AddItemToObject(setup, "types",
		    svcutil_json_array(in->log_types, in->n_log_types));
		cJSON_AddBoolToObject(setup, "enabled", 1);
		cJSON_AddItemToArray(logs, setup);
	}
	json_add_str_opt(body, "clientRequestToken", token);
	if (in->tags != NULL && in->tags->n > 0)
		cJSON_AddItemToObject(body, "tags", aws_tags_to_json(in->tags));
	return body;
}

/* The CreateNodegroup request body (the cluster name is in the path). */
cJSON *
eks_nodegroup_input_json(const struct eks_nodegroup_input *in,
    const char *token)
{
	cJSON	*body, *sc;

	body = cJSON_CreateObject();
	json_add_str_opt(body, "nodegroupName", in->name);
	if (in->max_size > 0) {
		sc = cJSON_AddObjectToObject(body, "scalingConfig");
		cJSON_AddNumberToObject(sc, "minSize", in->min_size);
		cJSON_AddNumberToObject(sc, "maxSize", in->max_size);
		cJSON_AddNumberToObject(sc, "desiredSize", in->desired_size);
	}
	if (in->disk_size > 0)
		cJSON_AddNumberToObject(body, "diskSize", in->disk_size);
	cJSON_AddItemToObject(body, "subnets",
	    svcutil_json_array(in->subnets, in->n_subnets));
	if (in->n_instance_types > 0)
		cJSON_AddItemToObject(body, "instanceTypes",
		    svcutil_json_array(in->instance_types,
		    in->n_instance_types));
	json_add_str_opt(body, "amiType", in->ami_type);
	json_add_str_opt(body, "nodeRole", in->node_role);
	if (in->labels != NULL && in->labels->n > 0)
		cJSON_AddItemToObject(body, "labels",
		    aws_tags_to_json(in->labels));
	if (in->tags != NULL && in->tags->n > 0)
		cJSON_AddItemToObject(body, "tags", aws_tags_to_json(in->tags));
	json_add_str_opt(body, "clientRequestToken", token);
	json_add_str_opt(body, "capacityType", in->capacity_type);
	json_add_str_opt(body, "version", in->version);
	return body;
}

/* "/clusters/<name>[/node-groups[/<ng>]]" with members escaped. */
static char *
eks_path(const char *cluster, int node_groups, const char *ng)
{
	struct strbuf	 sb = STRBUF_INIT;
	char		*e;

	strbuf_adds(&sb, "/clusters");
	if (cluster != NULL) {
		e = aws_path_escape(cluster);
		strbuf_addf(&sb, "/%s", e);
		free(e);
	}
	if (node_groups)
		strbuf_adds(&sb, "/node-groups");
	if (ng != NULL) {
		e = aws_path_escape(ng);
		strbuf_addf(&sb, "/%s", e);
		free(e);
	}
	return strbuf_detach(&sb, NULL);
}

/* One call whose response holds a "cluster" object; c may be NULL. */
static int
eks_cluster_call(struct aws *aws, const char *op, const char *method,
    const char *name, const cJSON *body, struct eks_cluster *c,
    struct aws_error *err)
{
	cJSON	*out = NULL;
	char	*path;
	int	 rc;

	path = eks_path(name, 0, NULL);
	rc = aws_restjson_call(aws, "eks", op, method, path, NULL, body, &out,
	    err);
	free(path);
	if (rc != 0)
		return -1;
	if (c != NULL)
		rc = eks_cluster_from_json(cJSON_GetObjectItemCaseSensitive(out,
		    "cluster"), c);
	cJSON_Delete(out);
	if (rc != 0)
		return svcutil_error(err, "eks", op, "no cluster in response");
	return 0;
}

/* Create a cluster. */
int
eks_create_cluster(struct aws *aws, const struct eks_cluster_input *in,
    struct eks_cluster *c, struct aws_error *err)
{
	cJSON	*body;
	char	 token[37];
	int	 rc;

	if (in->client_request_token != NULL)
		snprintf(token, sizeof token, "%s", in->client_request_token);
	else
		aws_client_token(token);
	body = eks_cluster_input_json(in, token);
	rc = eks_cluster_call(aws, "CreateCluster", "POST", NULL, body, c,
	    err);
	cJSON_Delete(body);
	if (rc == 0)
		log_debug("CreateCluster %s accepted", in->name);
	return rc;
}

/* Describe a cluster. */
int
eks_describe_cluster(struct aws *aws, const char *name, struct eks_cluster *c,
    struct aws_error *err)
{
	return eks_cluster_call(aws, "DescribeCluster", "GET", name, NULL, c,
	    err);
}

/* Delete a cluster (its nodegroups must be gone). */
int
eks_delete_cluster(struct aws *aws, const char *name, struct eks_cluster *c,
    struct aws_error *err)
{
	if (eks_cluster_call(aws, "DeleteCluster", "DELETE", name, NULL, c,
	    err) != 0)
		return -1;
	log_debug("DeleteCluster %s accepted", name);
	return 0;
}

/* Fetch one page of names into out; *next receives the next token. */
static int
eks_list_page(struct aws *aws, const char *op, const char *path,
    const char *key, int page_size, const char *token, struct eks_names *out,
    char **next, struct aws_error *err)
{
	struct strbuf	 q = STRBUF_INIT;
	cJSON		*res = NULL;
	char		 num[16];
	int		 rc;

	*next = NULL;
	strbuf_init(&q);
	if (page_size > 0) {
		snprintf(num, sizeof num, "%d", page_size);
		aws_query_append(&q, "maxResults", num);
	}
	if (token != NULL)
		aws_query_append(&q, "nextToken", token);
	rc = aws_restjson_call(aws, "eks", op, "GET", path,
	    q.len > 0 ? q.buf : NULL, NULL, &res, err);
	strbuf_free(&q);
	if (rc != 0)
		return -1;
	svcutil_json_strs(cJSON_GetObjectItemCaseSensitive(res, key), &out->v,
	    &out->n);
	*next = svcutil_json_dup(res, "nextToken");
	if (*next != NULL && **next == '\0')
		xfree_ptr(next);
	cJSON_Delete(res);
	return 0;
}

/* Page through a list of names under key at path. */
static int
eks_list(struct aws *aws, const char *op, const char *path, const char *key,
    int page_size, struct eks_names *out, struct aws_error *err)
{
	char		*token = NULL, *next;
	unsigned	 pages;
	int		 rc = 0;

	for (pages = 0;; pages++) {
		if (pages >= EKS_MAX_PAGES) {
			rc = svcutil_error(err, "eks", op, "too many pages");
			break;
		}
		rc = eks_list_page(aws, op, path, key, page_size, token, out,
		    &next, err);
		if (rc != 0)
			break;
		if (next != NULL && token != NULL && strcmp(next, token) == 0) {
			free(next);
			rc = svcutil_error(err, "eks", op,
			    "nextToken repeated");
			break;
		}
		free(token);
		if ((token = next) == NULL)
			break;
	}
	free(token);
	return rc;
}

/* List cluster names, every page. */
int
eks_list_clusters(struct aws *aws, int page_size, struct eks_names *out,
    struct aws_error *err)
{
	return eks_list(aws, "ListClusters", "/clusters", "clusters",
	    page_size, out, err);
}

/* One call whose response holds a "nodegroup" object; ng may be NULL. */
static int
eks_nodegroup_call(struct aws *aws, const char *op, const char *method,
    const char *path, const cJSON *body, struct eks_nodegroup *ng,
    struct aws_error *err)
{
	cJSON	*out = NULL;
	int	 rc;

	if (aws_restjson_call(aws, "eks", op, method, path, NULL, body, &out,
	    err) != 0)
		return -1;
	rc = 0;
	if (ng != NULL) {
		rc = eks_nodegroup_from_json(
		    cJSON_GetObjectItemCaseSensitive(out, "nodegroup"), ng);
	}
	cJSON_Delete(out);
	if (rc != 0)
		return svcutil_error(err, "eks", op,
		    "no nodegroup in response");
	return 0;
}

/* Create a managed nodegroup. */
int
eks_create_nodegroup(struct aws *aws, const struct eks_nodegroup_input *in,
    struct eks_nodegroup *ng, struct aws_error *err)
{
	cJSON	*body;
	char	*path, token[37];
	int	 rc;

	if (in->client_request_token != NULL)
		snprintf(token, sizeof token, "%s", in->client_request_token);
	else
		aws_client_token(token);
	body = eks_nodegroup_input_json(in, token);
	path = eks_path(in->cluster_name, 1, NULL);
	rc = eks_nodegroup_call(aws, "CreateNodegroup", "POST", path, body,
	    ng, err);
	free(path);
	cJSON_Delete(body);
	if (rc == 0)
		log_debug("CreateNodegroup %s/%s accepted", in->cluster_name,
		    in->name);
	return rc;
}

/* Describe a nodegroup. */
int
eks_describe_nodegroup(struct aws *aws, const char *cluster,
    const char *nodegroup, struct eks_nodegroup *ng, struct aws_error *err)
{
	char	*path;
	int	 rc;

	path = eks_path(cluster, 1, nodegroup);
	rc = eks_nodegroup_call(aws, "DescribeNodegroup", "GET", path, NULL,
	    ng, err);
	free(path);
	return rc;
}

/* Delete a nodegroup. */
int
eks_delete_nodegroup(struct aws *aws, const char *cluster,
    const char *nodegroup, struct eks_nodegroup *ng, struct aws_error *err)
{
	char	*path;
	int	 rc;

	path = eks_path(cluster, 1, nodegroup);
	rc = eks_nodegroup_call(aws, "DeleteNodegroup", "DELETE", path, NULL,
	    ng, err);
	free(path);
	if (rc == 0)
		log_debug("DeleteNodegroup %s/%s accepted", cluster, nodegroup);
	return rc;
}

/* List the nodegroup names of a cluster, every page. */
int
eks_list_nodegroups(struct aws *aws, const char *cluster, int page_size,
    struct eks_names *out, struct aws_error *err)
{
	char	*path;
	int	 rc;

	path = eks_path(cluster, 1, NULL);
	rc = eks_list(aws, "ListNodegroups", path, "nodegroups", page_size,
	    out, err);
	free(path);
	return rc;
}
