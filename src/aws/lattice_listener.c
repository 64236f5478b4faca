/* VPC Lattice listeners: create, get, update, delete, list. */
#include <stdlib.h>
#include <string.h>

#include "latticectl/json.h"
#include "latticectl/xmalloc.h"

#include "lattice_int.h"

/* Read a Listener (any of the responses or a ListenerSummary). */
void
lattice_listener_from_json(const cJSON *o, struct lattice_listener *l)
{
	memset(l, 0, sizeof(*l));
	l->id = lattice_jstr(o, "id");
	l->arn = lattice_jstr(o, "arn");
	l->name = lattice_jstr(o, "name");
	l->protocol = lattice_jstr(o, "protocol");
	l->port = lattice_jint(o, "port", 0);
	l->service_id = lattice_jstr(o, "serviceId");
	l->service_arn = lattice_jstr(o, "serviceArn");
	lattice_rule_action_from_json(json_path(o, "defaultAction"),
	    &l->default_action);
	lattice_jtime(o, "createdAt", &l->created_at);
	lattice_jtime(o, "lastUpdatedAt", &l->last_updated_at);
}

/* Free a listener's members. */
void
lattice_listener_free(struct lattice_listener *l)
{
	free(l->id);
	free(l->arn);
	free(l->name);
	free(l->protocol);
	free(l->service_id);
	free(l->service_arn);
	lattice_rule_action_free(&l->default_action);
	memset(l, 0, sizeof(*l));
}

/* Parse the response into a listener when the call succeeded. */
static int
lattice_listener_result(int rc, cJSON *resp, struct lattice_listener *out)
{
	if (rc == 0)
		lattice_listener_from_json(resp, out);
	cJSON_Delete(resp);
	return rc;
}

/* Check the service and listener identifiers of a listener call. */
static int
lattice_listener_ids(struct aws_error *err, const char *op, const char *svc,
    const char *listener)
{
	if (lattice_require(err, op, "serviceIdentifier", svc) != 0)
		return -1;
	return lattice_require(err, op, "listenerIdentifier", listener);
}

/* CreateListener. */
int
lattice_create_listener(struct aws *aws,
    const struct lattice_create_listener_input *in,
    struct lattice_listener *out, struct aws_error *err)
{
	const char	*op = "CreateListener";
	cJSON		*body, *resp;
	int		 rc;

	memset(out, 0, sizeof(*out));
	if (lattice_require(err, op, "serviceIdentifier",
	    in->service_identifier) != 0 ||
	    lattice_require(err, op, "name", in->name) != 0 ||
	    lattice_require(err, op, "protocol", in->protocol) != 0)
		return -1;
	if (in->default_action == NULL)
		return lattice_invalid(err, op, "missing required member "
		    "defaultAction");
	if (lattice_check_action(err, op, in->default_action) != 0)
		return -1;
	if (in->port < 0 || in->port > 65535)
		return lattice_invalid(err, op, "port %d not in 1..65535",
		    in->port);
	body = cJSON_CreateObject();
	cJSON_AddStringToObject(body, "name", in->name);
	cJSON_AddStringToObject(body, "protocol", in->protocol);
	lattice_add_int(body, "port", in->port);
	cJSON_AddItemToObject(body, "defaultAction",
	    lattice_rule_action_to_json(in->default_action));
	lattice_add_tags(body, in->tags);
	lattice_add_client_token(body, in->client_token);
	rc = lattice_do(aws, op, "POST",
	    lattice_pathf("/services/%s/listeners", in->service_identifier),
	    NULL, body, &resp, err);
	return lattice_listener_result(rc, resp, out);
}

/* GetListener. */
int
lattice_get_listener(struct aws *aws, const char *svc, const char *listener,
    struct lattice_listener *out, struct aws_error *err)
{
	cJSON	*resp;
	int	 rc;

	memset(out, 0, sizeof(*out));
	if (lattice_listener_ids(err, "GetListener", svc, listener) != 0)
		return -1;
	rc = lattice_do(aws, "GetListener", "GET",
	    lattice_pathf("/services/%s/listeners/%s", svc, listener), NULL,
	    NULL, &resp, err);
	return lattice_listener_result(rc, resp, out);
}

/* UpdateListener (the default action). */
int
lattice_update_listener(struct aws *aws, const char *svc, const char *listener,
    const struct lattice_rule_action *action, struct lattice_listener *out,
    struct aws_error *err)
{
	const char	*op = "UpdateListener";
	cJSON		*body, *resp;
	int		 rc;

	memset(out, 0, sizeof(*out));
	if (lattice_listener_ids(err, op, svc, listener) != 0)
		return -1;
	if (action == NULL)
		return lattice_invalid(err, op, "missing required member "
		    "defaultAction");
	if (lattice_check_action(err, op, action) != 0)
		return -1;
	body = cJSON_CreateObject();
	cJSON_AddItemToObject(body, "defaultAction",
	    lattice_rule_action_to_json(action));
	rc = lattice_do(aws, op, "PATCH",
	    lattice_pathf("/services/%s/listeners/%s", svc, listener), NULL,
	    body, &resp, err);
	return lattice_listener_result(rc, resp, out);
}

/* DeleteListener. */
int
lattice_delete_listener(struct aws *aws, const char *svc, const char *listener,
    struct aws_error *err)
{
	if (lattice_listener_ids(err, "DeleteListener", svc, listener) != 0)
		return -1;
	return lattice_do(aws, "DeleteListener", "DELETE",
	    lattice_pathf("/services/%s/listeners/%s", svc, listener), NULL,
	    NULL, NULL, err);
}

/* Parse one list item (adapter for the pager). */
static void
lattice_listener_item(const cJSON *o, void *item)
{
	lattice_listener_from_json(o, item);
}

/* Free one list item (adapter for the pager). */
static void
lattice_listener_item_free(void *item)
{
	lattice_listener_free(item);
}

/* Append one ListListeners page. */
void
lattice_listener_list_add_page(struct lattice_listener_list *l,
    const cJSON *page)
{
	void	*items = l->items;

	lattice_page_add(page, &items, &l->n, sizeof(*l->items),
	    lattice_listener_item, &l->next_token);
	l->items = items;
}

/* Free a listener list. */
void
lattice_listener_list_free(struct lattice_listener_list *l)
{
	size_t	i;

	for (i = 0; i < l->n; i++)
		lattice_listener_free(&l->items[i]);
	free(l->items);
	free(l->next_token);
	memset(l, 0, sizeof(*l));
}

/* ListListeners of a service. */
int
lattice_list_listeners(struct aws *aws, const char *svc,
    const struct lattice_page *page, struct lattice_listener_list *out,
    struct aws_error *err)
{
	struct lattice_pager	 pg = { "ListListeners", "GET", NULL, NULL,
	    NULL, sizeof(*out->items), lattice_listener_item,
	    lattice_listener_item_free };
	char			*path;
	void			*items = NULL;
	int			 rc;

	memset(out, 0, sizeof(*out));
	if (lattice_require(err, pg.op, "serviceIdentifier", svc) != 0 ||
	    lattice_check_page(err, pg.op, page) != 0)
		return -1;
	pg.path = path = lattice_pathf("/services/%s/listeners", svc);
	rc = lattice_paginate(aws, &pg, page, &items, &out->n,
	    &out->next_token, err);
	out->items = items;
	free(path);
	return rc;
}
