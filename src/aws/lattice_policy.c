/* VPC Lattice auth policies, resource policies, access log subscriptions
 * and tags. */
#include <stdlib.h>
#include <string.h>

#include "latticectl/json.h"
#include "latticectl/xmalloc.h"

#include "lattice_int.h"

/* ---- auth policies ---- */

/* Read a Get/PutAuthPolicy response. */
void
lattice_auth_policy_from_json(const cJSON *o, struct lattice_auth_policy *p)
{
	memset(p, 0, sizeof(*p));
	p->policy = lattice_jstr(o, "policy");
	p->state = lattice_jstr(o, "state");
	lattice_jtime(o, "createdAt", &p->created_at);
	lattice_jtime(o, "lastUpdatedAt", &p->last_updated_at);
}

/* Free an auth policy's members. */
void
lattice_auth_policy_free(struct lattice_auth_policy *p)
{
	free(p->policy);
	free(p->state);
	memset(p, 0, sizeof(*p));
}

/* PutAuthPolicy on a service network or service. */
int
lattice_put_auth_policy(struct aws *aws, const char *id, const char *policy,
    struct lattice_auth_policy *out, struct aws_error *err)
{
	cJSON	*body, *resp;
	int	 rc;

	memset(out, 0, sizeof(*out));
	if (lattice_require(err, "PutAuthPolicy", "resourceIdentifier",
	    id) != 0)
		return -1;
	if (policy == NULL)
		return lattice_invalid(err, "PutAuthPolicy", "missing required "
		    "member policy");
	body = cJSON_CreateObject();
	cJSON_AddStringToObject(body, "policy", policy);
	rc = lattice_do(aws, "PutAuthPolicy", "PUT",
	    lattice_pathf("/authpolicy/%s", id), NULL, body, &resp, err);
	if (rc == 0)
		lattice_auth_policy_from_json(resp, out);
	cJSON_Delete(resp);
	return rc;
}

/* GetAuthPolicy. */
int
lattice_get_auth_policy(struct aws *aws, const char *id,
    struct lattice_auth_policy *out, struct aws_error *err)
{
	cJSON	*resp;
	int	 rc;

	memset(out, 0, sizeof(*out));
	if (lattice_require(err, "GetAuthPolicy", "resourceIdentifier",
	    id) != 0)
		return -1;
	rc = lattice_do(aws, "GetAuthPolicy", "GET",
	    lattice_pathf("/authpolicy/%s", id), NULL, NULL, &resp, err);
	if (rc == 0)
		lattice_auth_policy_from_json(resp, out);
	cJSON_Delete(resp);
	return rc;
}

/* DeleteAuthPolicy. */
int
lattice_delete_auth_policy(struct aws *aws, const char *id,
    struct aws_error *err)
{
	if (lattice_require(err, "DeleteAuthPolicy", "resourceIdentifier",
	    id) != 0)
		return -1;
	return lattice_do(aws, "DeleteAuthPolicy", "DELETE",
	    lattice_pathf("/authpolicy/%s", id), NULL, NULL, NULL, err);
}

/* ---- resource policies ---- */

/* PutResourcePolicy. */
int
lattice_put_resource_policy(struct aws *aws, const char *arn,
    const char *policy, struct aws_error *err)
{
	cJSON	*body;

	if (lattice_require(err, "PutResourcePolicy", "resourceArn",
	    arn) != 0 ||
	    lattice_require(err, "PutResourcePolicy", "policy", policy) != 0)
		return -1;
	body = cJSON_CreateObject();
	cJSON_AddStringToObject(body, "policy", policy);
	return lattice_do(aws, "PutResourcePolicy", "PUT",
	    lattice_pathf("/resourcepolicy/%s", arn), NULL, body, NULL, err);
}

/* GetResourcePolicy; *policy is the caller's. */
int
lattice_get_resource_policy(struct aws *aws, const char *arn, char **policy,
    struct aws_error *err)
{
	cJSON	*resp;
	int	 rc;

	*policy = NULL;
	if (lattice_require(err, "GetResourcePolicy", "resourceArn", arn) != 0)
		return -1;
	rc = lattice_do(aws, "GetResourcePolicy", "GET",
	    lattice_pathf("/resourcepolicy/%s", arn), NULL, NULL, &resp, err);
	if (rc == 0)
		*policy = lattice_jstr(resp, "policy");
	cJSON_Delete(resp);
	return rc;
}

/* DeleteResourcePolicy. */
int
lattice_delete_resource_policy(struct aws *aws, const char *arn,
    struct aws_error *err)
{
	if (lattice_require(err, "DeleteResourcePolicy", "resourceArn",
	    arn) != 0)
		return -1;
	return lattice_do(aws, "DeleteResourcePolicy", "DELETE",
	    lattice_pathf("/resourcepolicy/%s", arn), NULL, NULL, NULL, err);
}

/* ---- access log subscriptions ---- */

/* Read an AccessLogSubscription (response or summary). */
void
lattice_access_log_sub_from_json(const cJSON *o,
    struct lattice_access_log_sub *a)
{
	memset(a, 0, sizeof(*a));
	a->id = lattice_jstr(o, "id");
	a->arn = lattice_jstr(o, "arn");
	a->resource_id = lattice_jstr(o, "resourceId");
	a->resource_arn = lattice_jstr(o, "resourceArn");
	a->destination_arn = lattice_jstr(o, "destinationArn");
	a->service_network_log_type = lattice_jstr(o, "serviceNetworkLogType");
	lattice_jtime(o, "createdAt", &a->created_at);
	lattice_jtime(o, "lastUpdatedAt", &a->last_updated_at);
}

/* Free an access log subscription's members. */
void
lattice_access_log_sub_free(struct lattice_access_log_sub *a)
{
	free(a->id);
	free(a->arn);
	free(a->resource_id);
	free(a->resource_arn);
	free(a->destination_arn);
	free(a->service_network_log_type);
	memset(a, 0, sizeof(*a));
}

/* Parse the response into a subscription when the call succeeded. */
static int
lattice_als_result(int rc, cJSON *resp, struct lattice_access_log_sub *out)
{
	if (rc == 0)
		lattice_access_log_sub_from_json(resp, out);
	cJSON_Delete(resp);
	return rc;
}

/* CreateAccessLogSubscription. */
int
lattice_create_access_log_sub(struct aws *aws,
    const struct lattice_create_access_log_sub_input *in,
    struct lattice_access_log_sub *out, struct aws_error *err)
{
	const char	*op = "CreateAccessLogSubscription";
	cJSON		*body, *resp;
	int		 rc;

	memset(out, 0, sizeof(*out));
	if (lattice_require(err, op, "resourceIdentifier",
	    in->resource_identifier) != 0 ||
	    lattice_require(err, op, "destinationArn",
	    in->destination_arn) != 0)
		return -1;
	body = cJSON_CreateObject();
	cJSON_AddStringToObject(body, "resourceIdentifier",
	    in->resource_identifier);
	cJSON_AddStringToObject(body, "destinationArn", in->destination_arn);
	json_add_str_opt(body, "serviceNetworkLogType",
	    in->service_network_log_type);
	lattice_add_tags(body, in->tags);
	lattice_add_client_token(body, in->client_token);
	rc = lattice_do(aws, op, "POST", xstrdup("/accesslogsubscriptions"),
	    NULL, body, &resp, err);
	return lattice_als_result(rc, resp, out);
}

/* GetAccessLogSubscription. */
int
lattice_get_access_log_sub(struct aws *aws, const char *id,
    struct lattice_access_log_sub *out, struct aws_error *err)
{
	const char	*op = "GetAccessLogSubscription";
	cJSON		*resp;
	int		 rc;

	memset(out, 0, sizeof(*out));
	if (lattice_require(err, op, "accessLogSubscriptionIdentifier",
	    id) != 0)
		return -1;
	rc = lattice_do(aws, op, "GET",
	    lattice_pathf("/accesslogsubscriptions/%s", id), NULL, NULL, &resp,
	    err);
	return lattice_als_result(rc, resp, out);
}

/* UpdateAccessLogSubscription (the destination). */
int
lattice_update_access_log_sub(struct aws *aws, const char *id,
    const char *destination_arn, struct lattice_access_log_sub *out,
    struct aws_error *err)
{
	const char	*op = "UpdateAccessLogSubscription";
	cJSON		*body, *resp;
	int		 rc;

	memset(out, 0, sizeof(*out));
	if (lattice_require(err, op, "accessLogSubscriptionIdentifier",
	    id) != 0 ||
	    lattice_require(err, op, "destinationArn", destination_arn) != 0)
		return -1;
	body = cJSON_CreateObject();
	cJSON_AddStringToObject(body, "destinationArn", destination_arn);
	rc = lattice_do(aws, op, "PATCH",
	    lattice_pathf("/accesslogsubscriptions/%s", id), NULL, body, &resp,
	    err);
	return lattice_als_result(rc, resp, out);
}

/* DeleteAccessLogSubscription. */
int
lattice_delete_access_log_sub(struct aws *aws, const char *id,
    struct aws_error *err)
{
	const char	*op = "DeleteAccessLogSubscription";

	if (lattice_require(err, op, "accessLogSubscriptionIdentifier",
	    id) != 0)
		return -1;
	return lattice_do(aws, op, "DELETE",
	    lattice_pathf("/accesslogsubscriptions/%s", id), NULL, NULL, NULL,
	    err);
}

/* Parse one list item (adapter for the pager). */
static void
lattice_als_item(const cJSON *o, void *item)
{
	lattice_access_log_sub_from_json(o, item);
}

/* Free one list item (adapter for the pager). */
static void
lattice_als_item_free(void *item)
{
	lattice_access_log_sub_free(item);
}

/* Append one ListAccessLogSubscriptions page. */
void
lattice_access_log_sub_list_add_page(struct lattice_access_log_sub_list *l,
    const cJSON *page)
{
	void	*items = l->items;

	lattice_page_add(page, &items, &l->n, sizeof(*l->items),
	    lattice_als_item, &l->next_token);
	l->items = items;
}

/* Free an access log subscription list. */
void
lattice_access_log_sub_list_free(struct lattice_access_log_sub_list *l)
{
	size_t	i;

	for (i = 0; i < l->n; i++)
		lattice_access_log_sub_free(&l->items[i]);
	free(l->items);
	free(l->next_token);
	memset(l, 0, sizeof(*l));
}

/* ListAccessLogSubscriptions of a service network or service. */
int
lattice_list_access_log_subs(struct aws *aws, const char *resource_id,
    const struct lattice_page *page, struct lattice_access_log_sub_list *out,
    struct aws_error *err)
{
	struct lattice_pager	 pg = { "ListAccessLogSubscriptions", "GET",
	    "/accesslogsubscriptions", NULL, NULL, sizeof(*out->items),
	    lattice_als_item, lattice_als_item_free };
	struct strbuf		 q;
	char			*filters;
	void			*items = NULL;
	int			 rc;

	memset(out, 0, sizeof(*out));
	if (lattice_require(err, pg.op, "resourceIdentifier",
	    resource_id) != 0 ||
	    lattice_check_page(err, pg.op, page) != 0)
		return -1;
	strbuf_init(&q);
	aws_query_append(&q, "resourceIdentifier", resource_id);
	pg.filters = filters = strbuf_detach(&q, NULL);
	rc = lattice_paginate(aws, &pg, page, &items, &out->n,
	    &out->next_token, err);
	out->items = items;
	free(filters);
	return rc;
}

/* ---- tags ---- */

/* TagResource. */
int
lattice_tag_resource(struct aws *aws, const char *arn,
    const struct aws_tags *tags, struct aws_error *err)
{
	cJSON	*body;

	if (lattice_require(err, "TagResource", "resourceArn", arn) != 0)
		return -1;
	if (tags == NULL || tags->n == 0)
		return lattice_invalid(err, "TagResource", "missing required "
		    "member tags");
	body = cJSON_CreateObject();
	cJSON_AddItemToObject(body, "tags", aws_tags_to_json(tags));
	return lattice_do(aws, "TagResource", "POST",
	    lattice_pathf("/tags/%s", arn), NULL, body, NULL, err);
}

/* UntagResource (tagKeys repeated in the query). */
int
lattice_untag_resource(struct aws *aws, const char *arn,
    const char *const *keys, size_t n, struct aws_error *err)
{
	struct strbuf	 q;
	size_t		 i;
	int		 rc;

	if (lattice_require(err, "UntagResource", "resourceArn", arn) != 0)
		return -1;
	if (n > 200)
		return lattice_invalid(err, "UntagResource", "%zu tag keys (at "
		    "most 200)", n);
	strbuf_init(&q);
	for (i = 0; i < n; i++) {
		if (keys[i] == NULL || *keys[i] == '\0') {
			strbuf_free(&q);
			return lattice_invalid(err, "UntagResource", "tag key "
			    "%zu is empty", i);
		}
		aws_query_append(&q, "tagKeys", keys[i]);
	}
	rc = lattice_do(aws, "UntagResource", "DELETE",
	    lattice_pathf("/tags/%s", arn), q.len > 0 ? q.buf : NULL, NULL,
	    NULL, err);
	strbuf_free(&q);
	return rc;
}

/* ListTagsForResource into *out (overwritten, not freed). */
int
lattice_list_tags(struct aws *aws, const char *arn, struct aws_tags *out,
    struct aws_error *err)
{
	cJSON	*resp;
	int	 rc;

	memset(out, 0, sizeof(*out));
	if (lattice_require(err, "ListTagsForResource", "resourceArn",
	    arn) != 0)
		return -1;
	rc = lattice_do(aws, "ListTagsForResource", "GET",
	    lattice_pathf("/tags/%s", arn), NULL, NULL, &resp, err);
	if (rc == 0 && cJSON_IsObject(json_path(resp, "tags")))
		aws_tags_from_json(out, json_path(resp, "tags"));
	cJSON_Delete(resp);
	return rc;
}
