/* Simulated VPC Lattice: tags (by ARN), auth policies and access log
 * subscriptions. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/json.h"
#include "latticectl/xmalloc.h"

#include "aws_lattice_int.h"

#define LAT_POLICY_MAX	10240	/* the 10 KB auth policy quota */

static const char *const log_types[] = { "SERVICE", "RESOURCE", NULL };
static const char *const als_create_m[] = { "id", "arn", "resourceId",
	"resourceArn", "serviceNetworkLogType", "destinationArn", NULL };
static const char *const als_get_m[] = { "id", "arn", "resourceId",
	"resourceArn", "destinationArn", "serviceNetworkLogType", "createdAt",
	"lastUpdatedAt", NULL };
static const char *const als_upd_m[] = { "id", "arn", "resourceId",
	"resourceArn", "destinationArn", NULL };

/* The record with this ARN (any kind), or NULL; *kind set. */
static cJSON *
misc_by_arn(struct lat *l, const char *arn, enum lat_kind *kind)
{
	cJSON	*rec;
	int	 k;

	for (k = 0; k < LK_MAX; k++) {
		if ((rec = lat_find(l, (enum lat_kind)k, arn)) != NULL) {
			*kind = (enum lat_kind)k;
			return rec;
		}
	}
	return NULL;
}

/* The resource of a /tags/{resourceArn} call; NULL answered. */
static cJSON *
misc_tag_target(struct lat *l)
{
	const char	*arn = l->seg[0];
	enum lat_kind	 k;
	cJSON		*rec, *extra;

	if (strlen(arn) > 1224 || strncmp(arn, "arn:", 4) != 0 ||
	    strstr(arn, ":vpc-lattice:") == NULL) {
		lat_invalid(l, "resourceArn", "Member must satisfy regular "
		    "expression pattern: arn:[a-z0-9][-.a-z0-9]{0,62}:"
		    "vpc-lattice:...");
		return NULL;
	}
	if ((rec = misc_by_arn(l, arn, &k)) != NULL)
		return rec;
	extra = cJSON_CreateObject();
	cJSON_AddStringToObject(extra, "resourceId", arn);
	cJSON_AddStringToObject(extra, "resourceType", "RESOURCE");
	sim_aws_error_extra(l->call, 404, "ResourceNotFoundException", extra,
	    "Resource %.300s not found", arn);
	return NULL;
}

/* GET /tags/{resourceArn} */
static void
lat_list_tags(struct lat *l)
{
	cJSON	*rec, *body, *tags;

	if ((rec = misc_tag_target(l)) == NULL)
		return;
	tags = cJSON_GetObjectItemCaseSensitive(rec, "_tags");
	body = cJSON_CreateObject();
	cJSON_AddItemToObject(body, "tags", tags != NULL ?
	    cJSON_Duplicate(tags, 1) : cJSON_CreateObject());
	lat_ok(l, body);
}

/* POST /tags/{resourceArn} */
static void
lat_tag_resource(struct lat *l)
{
	struct lat_v	 v;
	const cJSON	*tags, *t;
	cJSON		*rec, *have;
	int		 n;

	if ((rec = misc_tag_target(l)) == NULL)
		return;
	lat_v_init(&v);
	tags = cJSON_GetObjectItemCaseSensitive(l->body, "tags");
	if (tags == NULL)
		lat_v_add(&v, "tags", "Member must not be null");
	lat_v_tags(&v, tags, "tags");
	if (lat_v_done(l, &v) != 0)
		return;
	have = cJSON_GetObjectItemCaseSensitive(rec, "_tags");
	n = cJSON_GetArraySize(have);
	cJSON_ArrayForEach(t, tags)
		n += cJSON_HasObjectItem(have, t->string) ? 0 : 1;
	if (n > 200) {
		lat_invalid(l, "tags", "A resource can have at most 200 tags");
		return;
	}
	lat_set_tags(rec, tags);
	lat_ok(l, NULL);
}

/* DELETE /tags/{resourceArn}?tagKeys=... */
static void
lat_untag_resource(struct lat *l)
{
	cJSON		*rec, *have;
	const char	*key;
	size_t		 i;

	if ((rec = misc_tag_target(l)) == NULL)
		return;
	if (lat_qparam(l, "tagKeys") == NULL) {
		lat_invalid(l, "tagKeys", "Member must not be null");
		return;
	}
	have = cJSON_GetObjectItemCaseSensitive(rec, "_tags");
	for (i = 0; (key = sim_aws_param_nth(&l->q, "tagKeys", i)) != NULL;
	    i++)
		cJSON_DeleteItemFromObjectCaseSensitive(have, key);
	lat_ok(l, NULL);
}

/* A service or service network by ID/ARN (auth policy, access logs);
 * NULL answered. */
static cJSON *
misc_resource(struct lat *l, const char *ident, const char *field)
{
	if (ident != NULL && lat_ident_valid(LK_SERVICE, ident))
		return lat_resolve(l, LK_SERVICE, ident, field);
	if (ident != NULL && lat_ident_valid(LK_SN, ident))
		return lat_resolve(l, LK_SN, ident, field);
	lat_invalid(l, field, "Member must be the ID or ARN of a service or "
	    "service network");
	return NULL;
}

/* The {policy, state} answer for a resource's stored policy. */
static cJSON *
misc_policy_out(const cJSON *rec, int with_times)
{
	const cJSON	*p = cJSON_GetObjectItemCaseSensitive(rec, "_authPolicy");
	cJSON		*out = cJSON_CreateObject();

	cJSON_AddStringToObject(out, "policy", lat_s(p, "policy"));
	cJSON_AddStringToObject(out, "state", strcmp(lat_auth_type(rec),
	    "AWS_IAM") == 0 ? "Active" : "Inactive");
	if (with_times) {
		cJSON_AddStringToObject(out, "createdAt", lat_s(p,
		    "createdAt"));
		cJSON_AddStringToObject(out, "lastUpdatedAt", lat_s(p,
		    "lastUpdatedAt"));
	}
	return out;
}

/* PUT /authpolicy/{resourceIdentifier} */
static void
lat_put_auth_policy(struct lat *l)
{
	struct lat_v	 v;
	const char	*policy;
	cJSON		*rec, *doc, *p;

	if ((rec = misc_resource(l, l->seg[0], "resourceIdentifier")) == NULL)
		return;
	lat_v_init(&v);
	policy = lat_v_str(&v, l->body, "policy", "policy", 0, 36864, 1);
	if (policy != NULL && strlen(policy) > LAT_POLICY_MAX)
		lat_v_add(&v, "policy", "The auth policy exceeds the 10 KB "
		    "size quota");
	else if (policy != NULL) {
		doc = cJSON_Parse(policy);
		if (!cJSON_IsObject(doc) || !cJSON_HasObjectItem(doc,
		    "Statement"))
			lat_v_add(&v, "policy", "The policy is not a valid IAM "
			    "policy document");
		cJSON_Delete(doc);
	}
	if (lat_v_done(l, &v) != 0)
		return;
	if ((p = cJSON_GetObjectItemCaseSensitive(rec, "_authPolicy")) ==
	    NULL) {
		p = cJSON_AddObjectToObject(rec, "_authPolicy");
		cJSON_AddStringToObject(p, "createdAt", l->now_iso);
	}
	cJSON_DeleteItemFromObjectCaseSensitive(p, "policy");
	cJSON_DeleteItemFromObjectCaseSensitive(p, "lastUpdatedAt");
	cJSON_AddStringToObject(p, "policy", policy);
	cJSON_AddStringToObject(p, "lastUpdatedAt", l->now_iso);
	lat_ok(l, misc_policy_out(rec, 0));
}

/* GET /authpolicy/{resourceIdentifier} */
static void
lat_get_auth_policy(struct lat *l)
{
	cJSON	*rec, *extra;

	if ((rec = misc_resource(l, l->seg[0], "resourceIdentifier")) == NULL)
		return;
	if (!cJSON_HasObjectItem(rec, "_authPolicy")) {
		extra = cJSON_CreateObject();
		cJSON_AddStringToObject(extra, "resourceId", lat_id(rec));
		cJSON_AddStringToObject(extra, "resourceType", "AUTH_POLICY");
		sim_aws_error_extra(l->call, 404, "ResourceNotFoundException",
		    extra, "No auth policy found for %s", lat_id(rec));
		return;
	}
	lat_ok(l, misc_policy_out(rec, 1));
}

/* DELETE /authpolicy/{resourceIdentifier} */
static void
lat_delete_auth_policy(struct lat *l)
{
	cJSON	*rec;

	if ((rec = misc_resource(l, l->seg[0], "resourceIdentifier")) == NULL)
		return;
	cJSON_DeleteItemFromObjectCaseSensitive(rec, "_authPolicy");
	lat_ok(l, NULL);
}

/* The destination kind of an access log ARN ("logs", "firehose", "s3"),
 * or NULL when it is none of them. */
static const char *
als_dest_kind(const char *arn)
{
	static const char *const kinds[] = { "logs", "firehose", "s3", NULL };
	const char	*p;
	size_t		 i, n;

	if (arn == NULL || strncmp(arn, "arn:", 4) != 0 ||
	    (p = strchr(arn + 4, ':')) == NULL)
		return NULL;
	p++;
	for (i = 0; kinds[i] != NULL; i++) {
		n = strlen(kinds[i]);
		if (strncmp(p, kinds[i], n) == 0 && p[n] == ':')
			return kinds[i];
	}
	return NULL;
}

/* An existing subscription of a resource to a destination kind. */
static cJSON *
als_same_kind(struct lat *l, const char *res_id, const char *kind,
    const cJSON *skip)
{
	cJSON		*a;
	const char	*k;

	cJSON_ArrayForEach(a, lat_array(l, LK_ALS)) {
		k = als_dest_kind(json_str(a, "destinationArn"));
		if (a != skip && strcmp(lat_s(a, "resourceId"), res_id) == 0 &&
		    k != NULL && strcmp(k, kind) == 0)
			return a;
	}
	return NULL;
}

/* An access log subscription as its create returns it. */
static cJSON *
als_render_create(struct lat *l, const cJSON *rec)
{
	(void)l;
	return lat_pick(rec, als_create_m);
}

/* An access log subscription as Get and List return it. */
static cJSON *
als_render_get(struct lat *l, const cJSON *rec)
{
	(void)l;
	return lat_pick(rec, als_get_m);
}

/* Validate a destination ARN into v. */
static const char *
als_v_dest(struct lat_v *v, const cJSON *body)
{
	const char	*dest;

	dest = lat_v_str(v, body, "destinationArn", "destinationArn", 20, 2048,
	    1);
	if (dest != NULL && als_dest_kind(dest) == NULL)
		lat_v_add(v, "destinationArn", "Member must be the ARN of a "
		    "CloudWatch Logs log group, a Kinesis Data Firehose "
		    "delivery stream or an S3 bucket");
	return dest;
}

/* POST /accesslogsubscriptions */
static void
lat_create_als(struct lat *l)
{
	struct lat_v	 v;
	const char	*ident, *dest, *ltype;
	cJSON		*res, *rec, *dup;

	lat_v_init(&v);
	ident = lat_v_str(&v, l->body, "resourceIdentifier",
	    "resourceIdentifier", 17, 200, 1);
	dest = als_v_dest(&v, l->body);
	ltype = lat_v_enum(&v, l->body, "serviceNetworkLogType",
	    "serviceNetworkLogType", log_types, 0);
	lat_v_tags(&v, cJSON_GetObjectItemCaseSensitive(l->body, "tags"),
	    "tags");
	if (lat_v_done(l, &v) != 0 ||
	    lat_idem_check(l, LK_ALS, als_render_create) ||
	    (res = misc_resource(l, ident, "resourceIdentifier")) == NULL)
		return;
	if ((dup = als_same_kind(l, lat_id(res), als_dest_kind(dest),
	    NULL)) != NULL) {
		lat_conflict(l, LK_ALS, lat_id(dup), "%s already has an access "
		    "log subscription to a %s destination", lat_id(res),
		    als_dest_kind(dest));
		return;
	}
	if (!lat_room(l)) {
		lat_quota(l, LK_ALS, NULL, "L-SIM-RECORDS", "Simulator record "
		    "limit reached");
		return;
	}
	rec = lat_new_record(l, LK_ALS, NULL, NULL);
	cJSON_AddStringToObject(rec, "resourceId", lat_id(res));
	cJSON_AddStringToObject(rec, "resourceArn", lat_s(res, "arn"));
	cJSON_AddStringToObject(rec, "destinationArn", dest);
	if (ltype != NULL || strncmp(lat_id(res), "sn-", 3) == 0)
		cJSON_AddStringToObject(rec, "serviceNetworkLogType",
		    ltype != NULL ? ltype : "SERVICE");
	lat_set_tags(rec, cJSON_GetObjectItemCaseSensitive(l->body, "tags"));
	lat_idem_store(l, rec);
	lat_ok(l, als_render_create(l, rec));
}

/* GET /accesslogsubscriptions/{id} */
static void
lat_get_als(struct lat *l)
{
	cJSON	*rec;

	if ((rec = lat_resolve(l, LK_ALS, l->seg[0],
	    "accessLogSubscriptionIdentifier")) != NULL)
		lat_ok(l, als_render_get(l, rec));
}

/* Filter for ListAccessLogSubscriptions: the resource's id or ARN. */
static int
als_filter(struct lat *l, const cJSON *rec, void *ctx)
{
	const char	*want = ctx;

	(void)l;
	return strcmp(lat_s(rec, "resourceId"), want) == 0 ||
	    strcmp(lat_s(rec, "resourceArn"), want) == 0;
}

/* GET /accesslogsubscriptions?resourceIdentifier= */
static void
lat_list_als(struct lat *l)
{
	const char	*ident = lat_qparam(l, "resourceIdentifier");

	if (ident == NULL) {
		lat_invalid(l, "resourceIdentifier", "Member must not be null");
		return;
	}
	lat_page(l, lat_array(l, LK_ALS), als_filter, (void *)ident,
	    als_render_get);
}

/* PATCH /accesslogsubscriptions/{id} */
static void
lat_update_als(struct lat *l)
{
	struct lat_v	 v;
	const char	*dest;
	cJSON		*rec, *dup;

	if ((rec = lat_resolve(l, LK_ALS, l->seg[0],
	    "accessLogSubscriptionIdentifier")) == NULL)
		return;
	lat_v_init(&v);
	dest = als_v_dest(&v, l->body);
	if (lat_v_done(l, &v) != 0)
		return;
	if ((dup = als_same_kind(l, lat_s(rec, "resourceId"),
	    als_dest_kind(dest), rec)) != NULL) {
		lat_conflict(l, LK_ALS, lat_id(dup), "The resource already has "
		    "an access log subscription to a %s destination",
		    als_dest_kind(dest));
		return;
	}
	cJSON_DeleteItemFromObjectCaseSensitive(rec, "destinationArn");
	cJSON_AddStringToObject(rec, "destinationArn", dest);
	lat_touch(l, rec);
	lat_ok(l, lat_pick(rec, als_upd_m));
}

/* DELETE /accesslogsubscriptions/{id} */
static void
lat_delete_als(struct lat *l)
{
	cJSON	*rec;

	if ((rec = lat_resolve(l, LK_ALS, l->seg[0],
	    "accessLogSubscriptionIdentifier")) == NULL)
		return;
	lat_remove(l, LK_ALS, rec);
	lat_ok(l, NULL);
}

const struct lat_route lat_routes_misc[] = {
	{ "GET", "/tags/{}", "ListTagsForResource", 200, lat_list_tags },
	{ "POST", "/tags/{}", "TagResource", 200, lat_tag_resource },
	{ "DELETE", "/tags/{}", "UntagResource", 200, lat_untag_resource },
	{ "PUT", "/authpolicy/{}", "PutAuthPolicy", 200, lat_put_auth_policy },
	{ "GET", "/authpolicy/{}", "GetAuthPolicy", 200, lat_get_auth_policy },
	{ "DELETE", "/authpolicy/{}", "DeleteAuthPolicy", 204,
	    lat_delete_auth_policy },
	{ "POST", "/accesslogsubscriptions", "CreateAccessLogSubscription", 201,
	    lat_create_als },
	{ "GET", "/accesslogsubscriptions", "ListAccessLogSubscriptions", 200,
	    lat_list_als },
	{ "GET", "/accesslogsubscriptions/{}", "GetAccessLogSubscription", 200,
	    lat_get_als },
	{ "PATCH", "/accesslogsubscriptions/{}",
	    "UpdateAccessLogSubscription", 200, lat_update_als },
	{ "DELETE", "/accesslogsubscriptions/{}",
	    "DeleteAccessLogSubscription", 204, lat_delete_als },
	{ NULL, NULL, NULL, 0, NULL }
};
