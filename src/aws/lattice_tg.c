/* VPC Lattice target groups: create, get, update, delete, list. */
#include <stdlib.h>
#include <string.h>

#include "latticectl/json.h"
#include "latticectl/xmalloc.h"

#include "lattice_int.h"

/* Fill config from a TargetGroupSummary's top-level members. */
static void
lattice_tg_summary_config(const cJSON *o, struct lattice_tg_config *c)
{
	c->port = lattice_jint(o, "port", 0);
	c->protocol = lattice_jstr(o, "protocol");
	c->ip_address_type = lattice_jstr(o, "ipAddressType");
	c->vpc_identifier = lattice_jstr(o, "vpcIdentifier");
	c->lambda_event_structure_version = lattice_jstr(o,
	    "lambdaEventStructureVersion");
	c->present = c->port != 0 || c->protocol != NULL ||
	    c->ip_address_type != NULL || c->vpc_identifier != NULL ||
	    c->lambda_event_structure_version != NULL;
}

/* Read a TargetGroup (any of the responses or a TargetGroupSummary). */
void
lattice_target_group_from_json(const cJSON *o, struct lattice_target_group *tg)
{
	const cJSON	*config;

	memset(tg, 0, sizeof(*tg));
	tg->id = lattice_jstr(o, "id");
	tg->arn = lattice_jstr(o, "arn");
	tg->name = lattice_jstr(o, "name");
	tg->type = lattice_jstr(o, "type");
	if (cJSON_IsObject(config = json_path(o, "config")))
		lattice_tg_config_from_json(config, &tg->config);
	else
		lattice_tg_summary_config(o, &tg->config);
	tg->status = lattice_jstr(o, "status");
	tg->service_arns = lattice_jstrv(o, "serviceArns", &tg->n_service_arns);
	lattice_jtime(o, "createdAt", &tg->created_at);
	lattice_jtime(o, "lastUpdatedAt", &tg->last_updated_at);
	tg->failure_code = lattice_jstr(o, "failureCode");
	tg->failure_message = lattice_jstr(o, "failureMessage");
}

/* Free a target group's members. */
void
lattice_target_group_free(struct lattice_target_group *tg)
{
	free(tg->id);
	free(tg->arn);
	free(tg->name);
	free(tg->type);
	lattice_tg_config_free(&tg->config);
	free(tg->status);
	lattice_strv_free(tg->service_arns, tg->n_service_arns);
	free(tg->failure_code);
	free(tg->failure_message);
	memset(tg, 0, sizeof(*tg));
}

/* Parse the response into a target group when the call succeeded. */
static int
lattice_tg_result(int rc, cJSON *resp, struct lattice_target_group *out)
{
	if (rc == 0 && out != NULL)
		lattice_target_group_from_json(resp, out);
	cJSON_Delete(resp);
	return rc;
}

/* Check the ranges the model gives a health check. */
static int
lattice_check_health_check(struct aws_error *err, const char *op,
    const struct lattice_health_check *h)
{
	if (h->port < 0 || h->port > 65535)
		return lattice_invalid(err, op, "health check port %d not in "
		    "0..65535", h->port);
	if (h->interval_seconds < 0 || h->interval_seconds > 300 ||
	    h->timeout_seconds < 0 || h->timeout_seconds > 120)
		return lattice_invalid(err, op, "health check interval %d / "
		    "timeout %d out of range", h->interval_seconds,
		    h->timeout_seconds);
	if (h->healthy_threshold < 0 || h->healthy_threshold > 10 ||
	    h->unhealthy_threshold < 0 || h->unhealthy_threshold > 10)
		return lattice_invalid(err, op, "health check thresholds %d/%d "
		    "not in 0..10", h->healthy_threshold,
		    h->unhealthy_threshold);
	return 0;
}

/* CreateTargetGroup. */
int
lattice_create_target_group(struct aws *aws,
    const struct lattice_create_target_group_input *in,
    struct lattice_target_group *out, struct aws_error *err)
{
	const char	*op = "CreateTargetGroup";
	cJSON		*body, *resp;
	int		 rc;

	memset(out, 0, sizeof(*out));
	if (lattice_require(err, op, "name", in->name) != 0 ||
	    lattice_require(err, op, "type", in->type) != 0)
		return -1;
	if (in->config != NULL) {
		if (in->config->port < 0 || in->config->port > 65535)
			return lattice_invalid(err, op, "port %d not in "
			    "1..65535", in->config->port);
		if (in->config->health_check.present &&
		    lattice_check_health_check(err, op,
		    &in->config->health_check) != 0)
			return -1;
	}
	body = cJSON_CreateObject();
	cJSON_AddStringToObject(body, "name", in->name);
	cJSON_AddStringToObject(body, "type", in->type);
	if (in->config != NULL)
		cJSON_AddItemToObject(body, "config",
		    lattice_tg_config_to_json(in->config));
	lattice_add_tags(body, in->tags);
	lattice_add_client_token(body, in->client_token);
	rc = lattice_do(aws, op, "POST", xstrdup("/targetgroups"), NULL, body,
	    &resp, err);
	return lattice_tg_result(rc, resp, out);
}

/* GetTargetGroup. */
int
lattice_get_target_group(struct aws *aws, const char *id,
    struct lattice_target_group *out, struct aws_error *err)
{
	cJSON	*resp;
	int	 rc;

	memset(out, 0, sizeof(*out));
	if (lattice_require(err, "GetTargetGroup", "targetGroupIdentifier",
	    id) != 0)
		return -1;
	rc = lattice_do(aws, "GetTargetGroup", "GET",
	    lattice_pathf("/targetgroups/%s", id), NULL, NULL, &resp, err);
	return lattice_tg_result(rc, resp, out);
}

/* UpdateTargetGroup (the health check). */
int
lattice_update_target_group(struct aws *aws, const char *id,
    const struct lattice_health_check *hc, struct lattice_target_group *out,
    struct aws_error *err)
{
	const char	*op = "UpdateTargetGroup";
	cJSON		*body, *resp;
	int		 rc;

	memset(out, 0, sizeof(*out));
	if (lattice_require(err, op, "targetGroupIdentifier", id) != 0)
		return -1;
	if (hc == NULL)
		return lattice_invalid(err, op, "missing required member "
		    "healthCheck");
	if (lattice_check_health_check(err, op, hc) != 0)
		return -1;
	body = cJSON_CreateObject();
	cJSON_AddItemToObject(body, "healthCheck",
	    lattice_health_check_to_json(hc));
	rc = lattice_do(aws, op, "PATCH", lattice_pathf("/targetgroups/%s", id),
	    NULL, body, &resp, err);
	return lattice_tg_result(rc, resp, out);
}

/* DeleteTargetGroup; out may be NULL. */
int
lattice_delete_target_group(struct aws *aws, const char *id,
    struct lattice_target_group *out, struct aws_error *err)
{
	cJSON	*resp;
	int	 rc;

	if (out != NULL)
		memset(out, 0, sizeof(*out));
	if (lattice_require(err, "DeleteTargetGroup", "targetGroupIdentifier",
	    id) != 0)
		return -1;
	rc = lattice_do(aws, "DeleteTargetGroup", "DELETE",
	    lattice_pathf("/targetgroups/%s", id), NULL, NULL, &resp, err);
	return lattice_tg_result(rc, resp, out);
}

/* Parse one list item (adapter for the pager). */
static void
lattice_tg_item(const cJSON *o, void *item)
{
	lattice_target_group_from_json(o, item);
}

/* Free one list item (adapter for the pager). */
static void
lattice_tg_item_free(void *item)
{
	lattice_target_group_free(item);
}

/* Append one ListTargetGroups page. */
void
lattice_target_group_list_add_page(struct lattice_target_group_list *l,
    const cJSON *page)
{
	void	*items = l->items;

	lattice_page_add(page, &items, &l->n, sizeof(*l->items),
	    lattice_tg_item, &l->next_token);
	l->items = items;
}

/* Free a target group list. */
void
lattice_target_group_list_free(struct lattice_target_group_list *l)
{
	size_t	i;

	for (i = 0; i < l->n; i++)
		lattice_target_group_free(&l->items[i]);
	free(l->items);
	free(l->next_token);
	memset(l, 0, sizeof(*l));
}

/* ListTargetGroups, filtered by VPC and/or type. */
int
lattice_list_target_groups(struct aws *aws,
    const struct lattice_list_target_groups_input *in,
    struct lattice_target_group_list *out, struct aws_error *err)
{
	struct lattice_pager	 pg = { "ListTargetGroups", "GET",
	    "/targetgroups", NULL, NULL, sizeof(*out->items), lattice_tg_item,
	    lattice_tg_item_free };
	struct strbuf		 q;
	char			*filters;
	void			*items = NULL;
	int			 rc;

	memset(out, 0, sizeof(*out));
	if (lattice_check_page(err, pg.op, &in->page) != 0)
		return -1;
	strbuf_init(&q);
	lattice_query_opt(&q, "vpcIdentifier", in->vpc_identifier);
	lattice_query_opt(&q, "targetGroupType", in->target_group_type);
	pg.filters = filters = lattice_query_take(&q);
	rc = lattice_paginate(aws, &pg, &in->page, &items, &out->n,
	    &out->next_token, err);
	out->items = items;
	free(filters);
	return rc;
}
