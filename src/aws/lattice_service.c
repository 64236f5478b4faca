/* VPC Lattice services: create, get, update, delete, list. */
#include <stdlib.h>
#include <string.h>

#include "latticectl/json.h"
#include "latticectl/xmalloc.h"

#include "lattice_int.h"

/* Read a Service (any of the responses or a ServiceSummary). */
void
lattice_service_from_json(const cJSON *o, struct lattice_service *s)
{
	memset(s, 0, sizeof(*s));
	s->id = lattice_jstr(o, "id");
	s->arn = lattice_jstr(o, "arn");
	s->name = lattice_jstr(o, "name");
	s->status = lattice_jstr(o, "status");
	s->auth_type = lattice_jstr(o, "authType");
	lattice_dns_entry_from_json(json_path(o, "dnsEntry"), &s->dns_entry);
	s->custom_domain_name = lattice_jstr(o, "customDomainName");
	s->certificate_arn = lattice_jstr(o, "certificateArn");
	lattice_jtime(o, "createdAt", &s->created_at);
	lattice_jtime(o, "lastUpdatedAt", &s->last_updated_at);
	s->failure_code = lattice_jstr(o, "failureCode");
	s->failure_message = lattice_jstr(o, "failureMessage");
}

/* Free a service's members. */
void
lattice_service_free(struct lattice_service *s)
{
	free(s->id);
	free(s->arn);
	free(s->name);
	free(s->status);
	free(s->auth_type);
	lattice_dns_entry_free(&s->dns_entry);
	free(s->custom_domain_name);
	free(s->certificate_arn);
	free(s->failure_code);
	free(s->failure_message);
	memset(s, 0, sizeof(*s));
}

/* Parse the response into a service when the call succeeded. */
static int
lattice_service_result(int rc, cJSON *resp, struct lattice_service *out)
{
	if (rc == 0 && out != NULL)
		lattice_service_from_json(resp, out);
	cJSON_Delete(resp);
	return rc;
}

/* CreateService. */
int
lattice_create_service(struct aws *aws,
    const struct lattice_create_service_input *in, struct lattice_service *out,
    struct aws_error *err)
{
	cJSON	*body, *resp;
	int	 rc;

	memset(out, 0, sizeof(*out));
	if (lattice_require(err, "CreateService", "name", in->name) != 0)
		return -1;
	body = cJSON_CreateObject();
	cJSON_AddStringToObject(body, "name", in->name);
	json_add_str_opt(body, "customDomainName", in->custom_domain_name);
	json_add_str_opt(body, "certificateArn", in->certificate_arn);
	json_add_str_opt(body, "authType", in->auth_type);
	lattice_add_tags(body, in->tags);
	lattice_add_client_token(body, in->client_token);
	rc = lattice_do(aws, "CreateService", "POST", xstrdup("/services"),
	    NULL, body, &resp, err);
	return lattice_service_result(rc, resp, out);
}

/* GetService. */
int
lattice_get_service(struct aws *aws, const char *id,
    struct lattice_service *out, struct aws_error *err)
{
	cJSON	*resp;
	int	 rc;

	memset(out, 0, sizeof(*out));
	if (lattice_require(err, "GetService", "serviceIdentifier", id) != 0)
		return -1;
	rc = lattice_do(aws, "GetService", "GET",
	    lattice_pathf("/services/%s", id), NULL, NULL, &resp, err);
	return lattice_service_result(rc, resp, out);
}

/* UpdateService (certificateArn and authType only). */
int
lattice_update_service(struct aws *aws,
    const struct lattice_update_service_input *in, struct lattice_service *out,
    struct aws_error *err)
{
	cJSON	*body, *resp;
	int	 rc;

	memset(out, 0, sizeof(*out));
	if (lattice_require(err, "UpdateService", "serviceIdentifier",
	    in->service_identifier) != 0)
		return -1;
	body = cJSON_CreateObject();
	json_add_str_opt(body, "certificateArn", in->certificate_arn);
	json_add_str_opt(body, "authType", in->auth_type);
	rc = lattice_do(aws, "UpdateService", "PATCH",
	    lattice_pathf("/services/%s", in->service_identifier), NULL, body,
	    &resp, err);
	return lattice_service_result(rc, resp, out);
}

/* DeleteService; out may be NULL. */
int
lattice_delete_service(struct aws *aws, const char *id,
    struct lattice_service *out, struct aws_error *err)
{
	cJSON	*resp;
	int	 rc;

	if (out != NULL)
		memset(out, 0, sizeof(*out));
	if (lattice_require(err, "DeleteService", "serviceIdentifier", id) != 0)
		return -1;
	rc = lattice_do(aws, "DeleteService", "DELETE",
	    lattice_pathf("/services/%s", id), NULL, NULL, &resp, err);
	return lattice_service_result(rc, resp, out);
}

/* Parse one list item (adapter for the pager). */
static void
lattice_service_item(const cJSON *o, void *item)
{
	lattice_service_from_json(o, item);
}

/* Free one list item (adapter for the pager). */
static void
lattice_service_item_free(void *item)
{
	lattice_service_free(item);
}

/* Append one ListServices page. */
void
lattice_service_list_add_page(struct lattice_service_list *l,
    const cJSON *page)
{
	void	*items = l->items;

	lattice_page_add(page, &items, &l->n, sizeof(*l->items),
	    lattice_service_item, &l->next_token);
	l->items = items;
}

/* Free a service list. */
void
lattice_service_list_free(struct lattice_service_list *l)
{
	size_t	i;

	for (i = 0; i < l->n; i++)
		lattice_service_free(&l->items[i]);
	free(l->items);
	free(l->next_token);
	memset(l, 0, sizeof(*l));
}

/* ListServices: every service (or one page). */
int
lattice_list_services(struct aws *aws, const struct lattice_page *page,
    struct lattice_service_list *out, struct aws_error *err)
{
	struct lattice_pager	 pg = { "ListServices", "GET", "/services",
	    NULL, NULL, sizeof(*out->items), lattice_service_item,
	    lattice_service_item_free };
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
