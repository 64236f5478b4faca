/* VPC Lattice service networks: create, get, update, delete, list. */
#include <stdlib.h>
#include <string.h>

#include "latticectl/json.h"
#include "latticectl/xmalloc.h"

#include "lattice_int.h"

/* Read a ServiceNetwork (any of the responses or a summary). */
void
lattice_service_network_from_json(const cJSON *o,
    struct lattice_service_network *sn)
{
	memset(sn, 0, sizeof(*sn));
	sn->id = lattice_jstr(o, "id");
	sn->arn = lattice_jstr(o, "arn");
	sn->name = lattice_jstr(o, "name");
	sn->auth_type = lattice_jstr(o, "authType");
	sn->sharing_enabled = lattice_jbool(json_path(o, "sharingConfig"),
	    "enabled");
	lattice_jtime(o, "createdAt", &sn->created_at);
	lattice_jtime(o, "lastUpdatedAt", &sn->last_updated_at);
	sn->n_associated_vpcs = lattice_jlong(o, "numberOfAssociatedVPCs", -1);
	sn->n_associated_services = lattice_jlong(o,
	    "numberOfAssociatedServices", -1);
	sn->n_associated_resource_configs = lattice_jlong(o,
	    "numberOfAssociatedResourceConfigurations", -1);
}

/* Free a service network's members. */
void
lattice_service_network_free(struct lattice_service_network *sn)
{
	free(sn->id);
	free(sn->arn);
	free(sn->name);
	free(sn->auth_type);
	memset(sn, 0, sizeof(*sn));
}

/* Parse the response into a service network when the call succeeded. */
static int
lattice_service_network_result(int rc, cJSON *resp,
    struct lattice_service_network *out)
{
	if (rc == 0)
		lattice_service_network_from_json(resp, out);
	cJSON_Delete(resp);
	return rc;
}

/* CreateServiceNetwork. */
int
lattice_create_service_network(struct aws *aws,
    const struct lattice_create_service_network_input *in,
    struct lattice_service_network *out, struct aws_error *err)
{
	cJSON	*body, *resp, *sc;
	int	 rc;

	memset(out, 0, sizeof(*out));
	if (lattice_require(err, "CreateServiceNetwork", "name", in->name) != 0)
		return -1;
	body = cJSON_CreateObject();
	cJSON_AddStringToObject(body, "name", in->name);
	json_add_str_opt(body, "authType", in->auth_type);
	if (in->sharing_enabled != LATTICE_UNSET) {
		sc = cJSON_AddObjectToObject(body, "sharingConfig");
		lattice_add_bool(sc, "enabled", in->sharing_enabled);
	}
	lattice_add_tags(body, in->tags);
	lattice_add_client_token(body, in->client_token);
	rc = lattice_do(aws, "CreateServiceNetwork", "POST",
	    xstrdup("/servicenetworks"), NULL, body, &resp, err);
	return lattice_service_network_result(rc, resp, out);
}

/* GetServiceNetwork. */
int
lattice_get_service_network(struct aws *aws, const char *id,
    struct lattice_service_network *out, struct aws_error *err)
{
	cJSON	*resp;
	int	 rc;

	memset(out, 0, sizeof(*out));
	if (lattice_require(err, "GetServiceNetwork",
	    "serviceNetworkIdentifier", id) != 0)
		return -1;
	rc = lattice_do(aws, "GetServiceNetwork", "GET",
	    lattice_pathf("/servicenetworks/%s", id), NULL, NULL, &resp, err);
	return lattice_service_network_result(rc, resp, out);
}

/* UpdateServiceNetwork (authType, required). */
int
lattice_update_service_network(struct aws *aws, const char *id,
    const char *auth_type, struct lattice_service_network *out,
    struct aws_error *err)
{
	cJSON	*body, *resp;
	int	 rc;

	memset(out, 0, sizeof(*out));
	if (lattice_require(err, "UpdateServiceNetwork",
	    "serviceNetworkIdentifier", id) != 0 ||
	    lattice_require(err, "UpdateServiceNetwork", "authType",
	    auth_type) != 0)
		return -1;
	body = cJSON_CreateObject();
	cJSON_AddStringToObject(body, "authType", auth_type);
	rc = lattice_do(aws, "UpdateServiceNetwork", "PATCH",
	    lattice_pathf("/servicenetworks/%s", id), NULL, body, &resp, err);
	return lattice_service_network_result(rc, resp, out);
}

/* DeleteServiceNetwork. */
int
lattice_delete_service_network(struct aws *aws, const char *id,
    struct aws_error *err)
{
	if (lattice_require(err, "DeleteServiceNetwork",
	    "serviceNetworkIdentifier", id) != 0)
		return -1;
	return lattice_do(aws, "DeleteServiceNetwork", "DELETE",
	    lattice_pathf("/servicenetworks/%s", id), NULL, NULL, NULL, err);
}

/* Parse one list item (adapter for the pager). */
static void
lattice_service_network_item(const cJSON *o, void *item)
{
	lattice_service_network_from_json(o, item);
}

/* Free one list item (adapter for the pager). */
static void
lattice_service_network_item_free(void *item)
{
	lattice_service_network_free(item);
}

/* Append one ListServiceNetworks page. */
void
lattice_service_network_list_add_page(struct lattice_service_network_list *l,
    const cJSON *page)
{
	void	*items = l->items;

	lattice_page_add(page, &items, &l->n, sizeof(*l->items),
	    lattice_service_network_item, &l->next_token);
	l->items = items;
}

/* Free a service network list. */
void
lattice_service_network_list_free(struct lattice_service_network_list *l)
{
	size_t	i;

	for (i = 0; i < l->n; i++)
		lattice_service_network_free(&l->items[i]);
	free(l->items);
	free(l->next_token);
	memset(l, 0, sizeof(*l));
}

/* ListServiceNetworks: every service network (or one page). */
int
lattice_list_service_networks(struct aws *aws, const struct lattice_page *page,
    struct lattice_service_network_list *out, struct aws_error *err)
{
	struct lattice_pager	 pg = { "ListServiceNetworks", "GET",
	    "/servicenetworks", NULL, NULL, sizeof(*out->items),
	    lattice_service_network_item, lattice_service_network_item_free };
	void			*items = NULL;
	int			 rc;

	memset(out, 0, sizeof(*out));
	if (lattice_check_page(err, pg.op, page) != 0)
		return -1;
	rc = lattice_paginate(aws, &pg, page, &items, &out->n,
	    &out->next_token, err);
	out->items = items;
	return rc;
}
