/* VPC Lattice service network associations: with services (snsa-),
 * VPCs (snva-) and resource configurations (snra-). */
#include <stdlib.h>
#include <string.h>

#include "latticectl/json.h"
#include "latticectl/xmalloc.h"

#include "lattice_int.h"

/* ---- service network - service ---- */

/* Read a ServiceNetworkServiceAssociation (response or summary). */
void
lattice_sn_service_assoc_from_json(const cJSON *o,
    struct lattice_sn_service_assoc *a)
{
	memset(a, 0, sizeof(*a));
	a->id = lattice_jstr(o, "id");
	a->arn = lattice_jstr(o, "arn");
	a->status = lattice_jstr(o, "status");
	a->created_by = lattice_jstr(o, "createdBy");
	lattice_jtime(o, "createdAt", &a->created_at);
	a->service_id = lattice_jstr(o, "serviceId");
	a->service_name = lattice_jstr(o, "serviceName");
	a->service_arn = lattice_jstr(o, "serviceArn");
	a->service_network_id = lattice_jstr(o, "serviceNetworkId");
	a->service_network_name = lattice_jstr(o, "serviceNetworkName");
	a->service_network_arn = lattice_jstr(o, "serviceNetworkArn");
	lattice_dns_entry_from_json(json_path(o, "dnsEntry"), &a->dns_entry);
	a->custom_domain_name = lattice_jstr(o, "customDomainName");
	a->failure_code = lattice_jstr(o, "failureCode");
	a->failure_message = lattice_jstr(o, "failureMessage");
}

/* Free a service association's members. */
void
lattice_sn_service_assoc_free(struct lattice_sn_service_assoc *a)
{
	free(a->id);
	free(a->arn);
	free(a->status);
	free(a->created_by);
	free(a->service_id);
	free(a->service_name);
	free(a->service_arn);
	free(a->service_network_id);
	free(a->service_network_name);
	free(a->service_network_arn);
	lattice_dns_entry_free(&a->dns_entry);
	free(a->custom_domain_name);
	free(a->failure_code);
	free(a->failure_message);
	memset(a, 0, sizeof(*a));
}

/* Parse the response into a service association when the call succeeded. */
static int
lattice_snsa_result(int rc, cJSON *resp, struct lattice_sn_service_assoc *out)
{
	if (rc == 0 && out != NULL)
		lattice_sn_service_assoc_from_json(resp, out);
	cJSON_Delete(resp);
	return rc;
}

/* CreateServiceNetworkServiceAssociation. */
int
lattice_create_sn_service_assoc(struct aws *aws,
    const struct lattice_create_sn_service_assoc_input *in,
    struct lattice_sn_service_assoc *out, struct aws_error *err)
{
	const char	*op = "CreateServiceNetworkServiceAssociation";
	cJSON		*body, *resp;
	int		 rc;

	memset(out, 0, sizeof(*out));
	if (lattice_require(err, op, "serviceIdentifier",
	    in->service_identifier) != 0 ||
	    lattice_require(err, op, "serviceNetworkIdentifier",
	    in->service_network_identifier) != 0)
		return -1;
	body = cJSON_CreateObject();
	cJSON_AddStringToObject(body, "serviceIdentifier",
	    in->service_identifier);
	cJSON_AddStringToObject(body, "serviceNetworkIdentifier",
	    in->service_network_identifier);
	lattice_add_tags(body, in->tags);
	lattice_add_client_token(body, in->client_token);
	rc = lattice_do(aws, op, "POST",
	    xstrdup("/servicenetworkserviceassociations"), NULL, body, &resp,
	    err);
	return lattice_snsa_result(rc, resp, out);
}

/* GetServiceNetworkServiceAssociation. */
int
lattice_get_sn_service_assoc(struct aws *aws, const char *id,
    struct lattice_sn_service_assoc *out, struct aws_error *err)
{
	const char	*op = "GetServiceNetworkServiceAssociation";
	cJSON		*resp;
	int		 rc;

	memset(out, 0, sizeof(*out));
	if (lattice_require(err, op,
	    "serviceNetworkServiceAssociationIdentifier", id) != 0)
		return -1;
	rc = lattice_do(aws, op, "GET",
	    lattice_pathf("/servicenetworkserviceassociations/%s", id), NULL,
	    NULL, &resp, err);
	return lattice_snsa_result(rc, resp, out);
}

/* DeleteServiceNetworkServiceAssociation; out may be NULL. */
int
lattice_delete_sn_service_assoc(struct aws *aws, const char *id,
    struct lattice_sn_service_assoc *out, struct aws_error *err)
{
	const char	*op = "DeleteServiceNetworkServiceAssociation";
	cJSON		*resp;
	int		 rc;

	if (out != NULL)
		memset(out, 0, sizeof(*out));
	if (lattice_require(err, op,
	    "serviceNetworkServiceAssociationIdentifier", id) != 0)
		return -1;
	rc = lattice_do(aws, op, "DELETE",
	    lattice_pathf("/servicenetworkserviceassociations/%s", id), NULL,
	    NULL, &resp, err);
	return lattice_snsa_result(rc, resp, out);
}

/* Parse one list item (adapter for the pager). */
static void
lattice_snsa_item(const cJSON *o, void *item)
{
	lattice_sn_service_assoc_from_json(o, item);
}

/* Free one list item (adapter for the pager). */
static void
lattice_snsa_item_free(void *item)
{
	lattice_sn_service_assoc_free(item);
}

/* Append one ListServiceNetworkServiceAssociations page. */
void
lattice_sn_service_assoc_list_add_page(struct lattice_sn_service_assoc_list *l,
    const cJSON *page)
{
	void	*items = l->items;

	lattice_page_add(page, &items, &l->n, sizeof(*l->items),
	    lattice_snsa_item, &l->next_token);
	l->items = items;
}

/* Free a service association list. */
void
lattice_sn_service_assoc_list_free(struct lattice_sn_service_assoc_list *l)
{
	size_t	i;

	for (i = 0; i < l->n; i++)
		lattice_sn_service_assoc_free(&l->items[i]);
	free(l->items);
	free(l->next_token);
	memset(l, 0, sizeof(*l));
}

/* ListServiceNetworkServiceAssociations, filtered by network and/or
 * service. */
int
lattice_list_sn_service_assocs(struct aws *aws,
    const struct lattice_list_sn_service_assocs_input *in,
    struct lattice_sn_service_assoc_list *out, struct aws_error *err)
{
	struct lattice_pager	 pg = { "ListServiceNetworkServiceAssociations",
	    "GET", "/servicenetworkserviceassociations", NULL, NULL,
	    sizeof(*out->items), lattice_snsa_item, lattice_snsa_item_free };
	struct strbuf		 q;
	char			*filters;
	void			*items = NULL;
	int			 rc;

	memset(out, 0, sizeof(*out));
	if (lattice_check_page(err, pg.op, &in->page) != 0)
		return -1;
	strbuf_init(&q);
	lattice_query_opt(&q, "serviceNetworkIdentifier",
	    in->service_network_identifier);
	lattice_query_opt(&q, "serviceIdentifier", in->service_identifier);
	pg.filters = filters = lattice_query_take(&q);
	rc = lattice_paginate(aws, &pg, &in->page, &items, &out->n,
	    &out->next_token, err);
	out->items = items;
	free(filters);
	return rc;
}

/* ---- service network - VPC ---- */

/* Read a ServiceNetworkVpcAssociation (response or summary). */
void
lattice_sn_vpc_assoc_from_json(const cJSON *o, struct lattice_sn_vpc_assoc *a)
{
	memset(a, 0, sizeof(*a));
	a->id = lattice_jstr(o, "id");
	a->arn = lattice_jstr(o, "arn");
	a->status = lattice_jstr(o, "status");
	a->created_by = lattice_jstr(o, "createdBy");
	lattice_jtime(o, "createdAt", &a->created_at);
	lattice_jtime(o, "lastUpdatedAt", &a->last_updated_at);
	a->service_network_id = lattice_jstr(o, "serviceNetworkId");
	a->service_network_name = lattice_jstr(o, "serviceNetworkName");
	a->service_network_arn = lattice_jstr(o, "serviceNetworkArn");
	a->vpc_id = lattice_jstr(o, "vpcId");
	a->security_group_ids = lattice_jstrv(o, "securityGroupIds",
	    &a->n_security_group_ids);
	a->private_dns_enabled = lattice_jbool(o, "privateDnsEnabled");
	lattice_dns_options_from_json(json_path(o, "dnsOptions"),
	    &a->dns_options);
	a->failure_code = lattice_jstr(o, "failureCode");
	a->failure_message = lattice_jstr(o, "failureMessage");
}

/* Free a VPC association's members. */
void
lattice_sn_vpc_assoc_free(struct lattice_sn_vpc_assoc *a)
{
	free(a->id);
	free(a->arn);
	free(a->status);
	free(a->created_by);
	free(a->service_network_id);
	free(a->service_network_name);
	free(a->service_network_arn);
	free(a->vpc_id);
	lattice_strv_free(a->security_group_ids, a->n_security_group_ids);
	lattice_dns_options_free(&a->dns_options);
	free(a->failure_code);
	free(a->failure_message);
	memset(a, 0, sizeof(*a));
}

/* Parse the response into a VPC association when the call succeeded. */
static int
lattice_snva_result(int rc, cJSON *resp, struct lattice_sn_vpc_assoc *out)
{
	if (rc == 0 && out != NULL)
		lattice_sn_vpc_assoc_from_json(resp, out);
	cJSON_Delete(resp);
	return rc;
}

/* Check a security group list (at most 5, no NULL entries). */
static int
lattice_check_sgs(struct aws_error *err, const char *op,
    const char *const *ids, size_t n)
{
	size_t	i;

	if (n > LATTICE_MAX_SECURITY_GROUPS)
		return lattice_invalid(err, op, "%zu security groups (at most "
		    "%d)", n, LATTICE_MAX_SECURITY_GROUPS);
	for (i = 0; i < n; i++) {
		if (ids[i] == NULL || *ids[i] == '\0')
			return lattice_invalid(err, op, "security group %zu is "
			    "empty", i);
	}
	return 0;
}

/* CreateServiceNetworkVpcAssociation. */
int
lattice_create_sn_vpc_assoc(struct aws *aws,
    const struct lattice_create_sn_vpc_assoc_input *in,
    struct lattice_sn_vpc_assoc *out, struct aws_error *err)
{
	const char	*op = "CreateServiceNetworkVpcAssociation";
	cJSON		*body, *resp;
	int		 rc;

	memset(out, 0, sizeof(*out));
	if (lattice_require(err, op, "serviceNetworkIdentifier",
	    in->service_network_identifier) != 0 ||
	    lattice_require(err, op, "vpcIdentifier",
	    in->vpc_identifier) != 0 ||
	    lattice_check_sgs(err, op, in->security_group_ids,
	    in->n_security_group_ids) != 0)
		return -1;
	body = cJSON_CreateObject();
	cJSON_AddStringToObject(body, "serviceNetworkIdentifier",
	    in->service_network_identifier);
	cJSON_AddStringToObject(body, "vpcIdentifier", in->vpc_identifier);
	if (in->n_security_group_ids > 0)
		lattice_add_strv(body, "securityGroupIds",
		    in->security_group_ids, in->n_security_group_ids);
	lattice_add_bool(body, "privateDnsEnabled", in->private_dns_enabled);
	if (in->dns_options != NULL)
		cJSON_AddItemToObject(body, "dnsOptions",
		    lattice_dns_options_to_json(in->dns_options));
	lattice_add_tags(body, in->tags);
	lattice_add_client_token(body, in->client_token);
	rc = lattice_do(aws, op, "POST",
	    xstrdup("/servicenetworkvpcassociations"), NULL, body, &resp, err);
	return lattice_snva_result(rc, resp, out);
}

/* GetServiceNetworkVpcAssociation. */
int
lattice_get_sn_vpc_assoc(struct aws *aws, const char *id,
    struct lattice_sn_vpc_assoc *out, struct aws_error *err)
{
	const char	*op = "GetServiceNetworkVpcAssociation";
	cJSON		*resp;
	int		 rc;

	memset(out, 0, sizeof(*out));
	if (lattice_require(err, op, "serviceNetworkVpcAssociationIdentifier",
	    id) != 0)
		return -1;
	rc = lattice_do(aws, op, "GET",
	    lattice_pathf("/servicenetworkvpcassociations/%s", id), NULL, NULL,
	    &resp, err);
	return lattice_snva_result(rc, resp, out);
}

/* UpdateServiceNetworkVpcAssociation (security groups, 1..5). */
int
lattice_update_sn_vpc_assoc(struct aws *aws, const char *id,
    const char *const *sg_ids, size_t n, struct lattice_sn_vpc_assoc *out,
    struct aws_error *err)
{
	const char	*op = "UpdateServiceNetworkVpcAssociation";
	cJSON		*body, *resp;
	int		 rc;

	memset(out, 0, sizeof(*out));
	if (lattice_require(err, op, "serviceNetworkVpcAssociationIdentifier",
	    id) != 0 || lattice_check_sgs(err, op, sg_ids, n) != 0)
		return -1;
	if (n == 0)
		return lattice_invalid(err, op, "securityGroupIds needs 1..%d "
		    "entries", LATTICE_MAX_SECURITY_GROUPS);
	body = cJSON_CreateObject();
	lattice_add_strv(body, "securityGroupIds", sg_ids, n);
	rc = lattice_do(aws, op, "PATCH",
	    lattice_pathf("/servicenetworkvpcassociations/%s", id), NULL, body,
	    &resp, err);
	return lattice_snva_result(rc, resp, out);
}

/* DeleteServiceNetworkVpcAssociation; out may be NULL. */
int
lattice_delete_sn_vpc_assoc(struct aws *aws, const char *id,
    struct lattice_sn_vpc_assoc *out, struct aws_error *err)
{
	const char	*op = "DeleteServiceNetworkVpcAssociation";
	cJSON		*resp;
	int		 rc;

	if (out != NULL)
		memset(out, 0, sizeof(*out));
	if (lattice_require(err, op, "serviceNetworkVpcAssociationIdentifier",
	    id) != 0)
		return -1;
	rc = lattice_do(aws, op, "DELETE",
	    lattice_pathf("/servicenetworkvpcassociations/%s", id), NULL, NULL,
	    &resp, err);
	return lattice_snva_result(rc, resp, out);
}

/* Parse one list item (adapter for the pager). */
static void
lattice_snva_item(const cJSON *o, void *item)
{
	lattice_sn_vpc_assoc_from_json(o, item);
}

/* Free one list item (adapter for the pager). */
static void
lattice_snva_item_free(void *item)
{
	lattice_sn_vpc_assoc_free(item);
}

/* Append one ListServiceNetworkVpcAssociations page. */
void
lattice_sn_vpc_assoc_list_add_page(struct lattice_sn_vpc_assoc_list *l,
    const cJSON *page)
{
	void	*items = l->items;

	lattice_page_add(page, &items, &l->n, sizeof(*l->items),
	    lattice_snva_item, &l->next_token);
	l->items = items;
}

/* Free a VPC association list. */
void
lattice_sn_vpc_assoc_list_free(struct lattice_sn_vpc_assoc_list *l)
{
	size_t	i;

	for (i = 0; i < l->n; i++)
		lattice_sn_vpc_assoc_free(&l->items[i]);
	free(l->items);
	free(l->next_token);
	memset(l, 0, sizeof(*l));
}

/* ListServiceNetworkVpcAssociations, filtered by network and/or VPC. */
int
lattice_list_sn_vpc_assocs(struct aws *aws,
    const struct lattice_list_sn_vpc_assocs_input *in,
    struct lattice_sn_vpc_assoc_list *out, struct aws_error *err)
{
	struct lattice_pager	 pg = { "ListServiceNetworkVpcAssociations",
	    "GET", "/servicenetworkvpcassociations", NULL, NULL,
	    sizeof(*out->items), lattice_snva_item, lattice_snva_item_free };
	struct strbuf		 q;
	char			*filters;
	void			*items = NULL;
	int			 rc;

	memset(out, 0, sizeof(*out));
	if (lattice_check_page(err, pg.op, &in->page) != 0)
		return -1;
	strbuf_init(&q);
	lattice_query_opt(&q, "serviceNetworkIdentifier",
	    in->service_network_identifier);
	lattice_query_opt(&q, "vpcIdentifier", in->vpc_identifier);
	pg.filters = filters = lattice_query_take(&q);
	rc = lattice_paginate(aws, &pg, &in->page, &items, &out->n,
	    &out->next_token, err);
	out->items = items;
	free(filters);
	return rc;
}

/* ---- service network - resource configuration ---- */

/* Read a ServiceNetworkResourceAssociation (response or summary). */
void
lattice_sn_resource_assoc_from_json(const cJSON *o,
    struct lattice_sn_resource_assoc *a)
{
	memset(a, 0, sizeof(*a));
	a->id = lattice_jstr(o, "id");
	a->arn = lattice_jstr(o, "arn");
	a->status = lattice_jstr(o, "status");
	a->created_by = lattice_jstr(o, "createdBy");
	lattice_jtime(o, "createdAt", &a->created_at);
	lattice_jtime(o, "lastUpdatedAt", &a->last_updated_at);
	a->resource_configuration_id = lattice_jstr(o,
	    "resourceConfigurationId");
	a->resource_configuration_arn = lattice_jstr(o,
	    "resourceConfigurationArn");
	a->resource_configuration_name = lattice_jstr(o,
	    "resourceConfigurationName");
	a->service_network_id = lattice_jstr(o, "serviceNetworkId");
	a->service_network_arn = lattice_jstr(o, "serviceNetworkArn");
	a->service_network_name = lattice_jstr(o, "serviceNetworkName");
	lattice_dns_entry_from_json(json_path(o, "dnsEntry"), &a->dns_entry);
	lattice_dns_entry_from_json(json_path(o, "privateDnsEntry"),
	    &a->private_dns_entry);
	a->private_dns_enabled = lattice_jbool(o, "privateDnsEnabled");
	a->is_managed_association = lattice_jbool(o, "isManagedAssociation");
	a->domain_verification_status = lattice_jstr(o,
	    "domainVerificationStatus");
	a->failure_code = lattice_jstr(o, "failureCode");
	a->failure_reason = lattice_jstr(o, "failureReason");
}

/* Free a resource association's members. */
void
lattice_sn_resource_assoc_free(struct lattice_sn_resource_assoc *a)
{
	free(a->id);
	free(a->arn);
	free(a->status);
	free(a->created_by);
	free(a->resource_configuration_id);
	free(a->resource_configuration_arn);
	free(a->resource_configuration_name);
	free(a->service_network_id);
	free(a->service_network_arn);
	free(a->service_network_name);
	lattice_dns_entry_free(&a->dns_entry);
	lattice_dns_entry_free(&a->private_dns_entry);
	free(a->domain_verification_status);
	free(a->failure_code);
	free(a->failure_reason);
	memset(a, 0, sizeof(*a));
}

/* Parse the response into a resource association when the call
 * succeeded. */
static int
lattice_snra_result(int rc, cJSON *resp, struct lattice_sn_resource_assoc *out)
{
	if (rc == 0 && out != NULL)
		lattice_sn_resource_assoc_from_json(resp, out);
	cJSON_Delete(resp);
	return rc;
}

/* CreateServiceNetworkResourceAssociation. */
int
lattice_create_sn_resource_assoc(struct aws *aws,
    const struct lattice_create_sn_resource_assoc_input *in,
    struct lattice_sn_resource_assoc *out, struct aws_error *err)
{
	const char	*op = "CreateServiceNetworkResourceAssociation";
	cJSON		*body, *resp;
	int		 rc;

	memset(out, 0, sizeof(*out));
	if (lattice_require(err, op, "resourceConfigurationIdentifier",
	    in->resource_configuration_identifier) != 0 ||
	    lattice_require(err, op, "serviceNetworkIdentifier",
	    in->service_network_identifier) != 0)
		return -1;
	body = cJSON_CreateObject();
	cJSON_AddStringToObject(body, "resourceConfigurationIdentifier",
	    in->resource_configuration_identifier);
	cJSON_AddStringToObject(body, "serviceNetworkIdentifier",
	    in->service_network_identifier);
	lattice_add_bool(body, "privateDnsEnabled", in->private_dns_enabled);
	lattice_add_tags(body, in->tags);
	lattice_add_client_token(body, in->client_token);
	rc = lattice_do(aws, op, "POST",
	    xstrdup("/servicenetworkresourceassociations"), NULL, body, &resp,
	    err);
	return lattice_snra_result(rc, resp, out);
}

/* GetServiceNetworkResourceAssociation. */
int
lattice_get_sn_resource_assoc(struct aws *aws, const char *id,
    struct lattice_sn_resource_assoc *out, struct aws_error *err)
{
	const char	*op = "GetServiceNetworkResourceAssociation";
	cJSON		*resp;
	int		 rc;

	memset(out, 0, sizeof(*out));
	if (lattice_require(err, op,
	    "serviceNetworkResourceAssociationIdentifier", id) != 0)
		return -1;
	rc = lattice_do(aws, op, "GET",
	    lattice_pathf("/servicenetworkresourceassociations/%s", id), NULL,
	    NULL, &resp, err);
	return lattice_snra_result(rc, resp, out);
}

/* DeleteServiceNetworkResourceAssociation; out may be NULL. */
int
lattice_delete_sn_resource_assoc(struct aws *aws, const char *id,
    struct lattice_sn_resource_assoc *out, struct aws_error *err)
{
	const char	*op = "DeleteServiceNetworkResourceAssociation";
	cJSON		*resp;
	int		 rc;

	if (out != NULL)
		memset(out, 0, sizeof(*out));
	if (lattice_require(err, op,
	    "serviceNetworkResourceAssociationIdentifier", id) != 0)
		return -1;
	rc = lattice_do(aws, op, "DELETE",
	    lattice_pathf("/servicenetworkresourceassociations/%s", id), NULL,
	    NULL, &resp, err);
	return lattice_snra_result(rc, resp, out);
}

/* Parse one list item (adapter for the pager). */
static void
lattice_snra_item(const cJSON *o, void *item)
{
	lattice_sn_resource_assoc_from_json(o, item);
}

/* Free one list item (adapter for the pager). */
static void
lattice_snra_item_free(void *item)
{
	lattice_sn_resource_assoc_free(item);
}

/* Append one ListServiceNetworkResourceAssociations page. */
void
lattice_sn_resource_assoc_list_add_page(
    struct lattice_sn_resource_assoc_list *l, const cJSON *page)
{
	void	*items = l->items;

	lattice_page_add(page, &items, &l->n, sizeof(*l->items),
	    lattice_snra_item, &l->next_token);
	l->items = items;
}

/* Free a resource association list. */
void
lattice_sn_resource_assoc_list_free(struct lattice_sn_resource_assoc_list *l)
{
	size_t	i;

	for (i = 0; i < l->n; i++)
		lattice_sn_resource_assoc_free(&l->items[i]);
	free(l->items);
	free(l->next_token);
	memset(l, 0, sizeof(*l));
}

/* ListServiceNetworkResourceAssociations, filtered by network, resource
 * configuration, includeChildren. */
int
lattice_list_sn_resource_assocs(struct aws *aws,
    const struct lattice_list_sn_resource_assocs_input *in,
    struct lattice_sn_resource_assoc_list *out, struct aws_error *err)
{
	struct lattice_pager	 pg = {
	    "ListServiceNetworkResourceAssociations", "GET",
	    "/servicenetworkresourceassociations", NULL, NULL,
	    sizeof(*out->items), lattice_snra_item, lattice_snra_item_free };
	struct strbuf		 q;
	char			*filters;
	void			*items = NULL;
	int			 rc;

	memset(out, 0, sizeof(*out));
	if (lattice_check_page(err, pg.op, &in->page) != 0)
		return -1;
	strbuf_init(&q);
	lattice_query_opt(&q, "serviceNetworkIdentifier",
	    in->service_network_identifier);
	lattice_query_opt(&q, "resourceConfigurationIdentifier",
	    in->resource_configuration_identifier);
	if (in->include_children != LATTICE_UNSET)
		aws_query_append(&q, "includeChildren",
		    in->include_children == LATTICE_TRUE ? "true" : "false");
	pg.filters = filters = lattice_query_take(&q);
	rc = lattice_paginate(aws, &pg, &in->page, &items, &out->n,
	    &out->next_token, err);
	out->items = items;
	free(filters);
	return rc;
}
