/* Simulated VPC Lattice: target groups and their targets (health states
 * INITIAL -> HEALTHY, UNAVAILABLE without health checks, UNUSED when no
 * rule forwards to the group, DRAINING for a while after deregistering). */
#include <arpa/inet.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/json.h"
#include "latticectl/xmalloc.h"

#include "aws_lattice_int.h"

#define TG_MAX_PER_CALL	100
#define TG_MAX_FILTER	20

static const char *const tg_types[] = { "IP", "LAMBDA", "INSTANCE", "ALB",
	NULL };
static const char *const tg_protocols[] = { "HTTP", "HTTPS", "TCP", NULL };
static const char *const tg_pversions[] = { "HTTP1", "HTTP2", "GRPC", NULL };
static const char *const hc_pversions[] = { "HTTP1", "HTTP2", NULL };
static const char *const ip_types[] = { "IPV4", "IPV6", NULL };
static const char *const lambda_versions[] = { "V1", "V2", NULL };
static const char *const matcher_members[] = { "httpCode", NULL };

static const char *const tg_create_m[] = { "id", "arn", "name", "type",
	"config", "status", NULL };
static const char *const tg_get_m[] = { "id", "arn", "name", "type",
	"config", "createdAt", "lastUpdatedAt", "status", "serviceArns",
	"failureMessage", "failureCode", NULL };
static const char *const tg_sum_m[] = { "id", "arn", "name", "type",
	"createdAt", "port", "protocol", "ipAddressType", "vpcIdentifier",
	"lastUpdatedAt", "status", "serviceArns",
	"lambdaEventStructureVersion", NULL };
static const char *const tg_del_m[] = { "id", "arn", "status", NULL };

/* The group's config object (never NULL for a stored group). */
static const cJSON *
tg_config(const cJSON *tg)
{
	return cJSON_GetObjectItemCaseSensitive(tg, "config");
}

/* Set the computed members: serviceArns. */
static void
tg_refresh(struct lat *l, cJSON *tg)
{
	cJSON_DeleteItemFromObjectCaseSensitive(tg, "serviceArns");
	cJSON_AddItemToObject(tg, "serviceArns", lat_tg_service_arns(l,
	    lat_id(tg)));
}

/* A target group as CreateTargetGroup returns it. */
static cJSON *
tg_render_create(struct lat *l, const cJSON *rec)
{
	(void)l;
	return lat_pick(rec, tg_create_m);
}

/* A summary: the config members flattened into the item. */
static cJSON *
tg_render_sum(struct lat *l, const cJSON *rec)
{
	static const char *const flat[] = { "port", "protocol",
		"ipAddressType", "vpcIdentifier", "lambdaEventStructureVersion",
		NULL };
	cJSON		*tmp, *out;
	const cJSON	*item;
	size_t		 i;

	tmp = cJSON_Duplicate(rec, 1);
	tg_refresh(l, tmp);
	for (i = 0; flat[i] != NULL; i++) {
		item = cJSON_GetObjectItemCaseSensitive(tg_config(rec), flat[i]);
		if (item != NULL)
			cJSON_AddItemToObject(tmp, flat[i],
			    cJSON_Duplicate(item, 1));
	}
	out = lat_pick(tmp, tg_sum_m);
	cJSON_Delete(tmp);
	return out;
}

/* Validate a HealthCheckConfig (documented ranges). */
static void
hc_validate(struct lat_v *v, const cJSON *hc)
{
	const cJSON	*m;
	const char	*path, *code;
	int64_t		 n;

	if (!cJSON_IsObject(hc)) {
		lat_v_add(v, "healthCheck", "Member must be an object");
		return;
	}
	lat_v_bool(v, hc, "enabled", "healthCheck.enabled");
	lat_v_enum(v, hc, "protocol", "healthCheck.protocol", tg_protocols, 0);
	lat_v_enum(v, hc, "protocolVersion", "healthCheck.protocolVersion",
	    hc_pversions, 0);
	lat_v_int(v, hc, "port", "healthCheck.port", 0, 65535, 0, &n);
	path = lat_v_str(v, hc, "path", "healthCheck.path", 0, 2048, 0);
	if (path != NULL && *path != '\0' && *path != '/')
		lat_v_add(v, "healthCheck.path", "Member must start with '/'");
	lat_v_int(v, hc, "healthCheckIntervalSeconds",
	    "healthCheck.healthCheckIntervalSeconds", 5, 300, 0, &n);
	lat_v_int(v, hc, "healthCheckTimeoutSeconds",
	    "healthCheck.healthCheckTimeoutSeconds", 1, 120, 0, &n);
	lat_v_int(v, hc, "healthyThresholdCount",
	    "healthCheck.healthyThresholdCount", 2, 10, 0, &n);
	lat_v_int(v, hc, "unhealthyThresholdCount",
	    "healthCheck.unhealthyThresholdCount", 2, 10, 0, &n);
	m = lat_v_union(v, hc, "matcher", "healthCheck.matcher",
	    matcher_members, 0);
	if (m != NULL) {
		code = lat_v_str(v, cJSON_GetObjectItemCaseSensitive(hc,
		    "matcher"), "httpCode", "healthCheck.matcher.httpCode", 0,
		    2000, 1);
		if (code != NULL && strspn(code, "0123456789-,") !=
		    strlen(code))
			lat_v_add(v, "healthCheck.matcher.httpCode", "Member "
			    "must satisfy regular expression pattern: "
			    "[0-9-,]+");
	}
}

/* Add a member to obj unless it is there. */
static void
tg_default(cJSON *obj, const char *key, cJSON *val)
{
	if (cJSON_HasObjectItem(obj, key))
		cJSON_Delete(val);
	else
		cJSON_AddItemToObject(obj, key, val);
}

/* The health check with the documented defaults filled in. */
static cJSON *
hc_with_defaults(const cJSON *given, const char *tg_proto)
{
	cJSON	*hc, *matcher;

	hc = given != NULL ? cJSON_Duplicate(given, 1) : cJSON_CreateObject();
	tg_default(hc, "enabled", cJSON_CreateTrue());
	tg_default(hc, "protocol", cJSON_CreateString(
	    strcmp(tg_proto, "HTTPS") == 0 ? "HTTPS" : "HTTP"));
	tg_default(hc, "protocolVersion", cJSON_CreateString("HTTP1"));
	tg_default(hc, "path", cJSON_CreateString("/"));
	tg_default(hc, "healthCheckIntervalSeconds", cJSON_CreateNumber(30));
	tg_default(hc, "healthCheckTimeoutSeconds", cJSON_CreateNumber(5));
	tg_default(hc, "healthyThresholdCount", cJSON_CreateNumber(5));
	tg_default(hc, "unhealthyThresholdCount", cJSON_CreateNumber(2));
	matcher = cJSON_CreateObject();
	cJSON_AddStringToObject(matcher, "httpCode", "200");
	tg_default(hc, "matcher", matcher);
	return hc;
}

/* Validate a LAMBDA group's config (only the event version applies). */
static void
tg_v_lambda(struct lat_v *v, const cJSON *cfg)
{
	const cJSON	*m;

	if (cfg == NULL)
		return;
	cJSON_ArrayForEach(m, cfg) {
		if (strcmp(m->string, "lambdaEventStructureVersion") != 0)
			lat_v_add(v, "config", "Member %s is not supported for "
			    "LAMBDA target groups", m->string);
	}
	lat_v_enum(v, cfg, "lambdaEventStructureVersion",
	    "config.lambdaEventStructureVersion", lambda_versions, 0);
}

/* Validate a TargetGroupConfig for a type. */
static void
tg_v_config(struct lat_v *v, const char *type, const cJSON *cfg)
{
	const char	*vpc, *proto;
	int64_t		 n;

	if (cfg != NULL && !cJSON_IsObject(cfg)) {
		lat_v_add(v, "config", "Member must be an object");
		return;
	}
	if (type == NULL)
		return;
	if (strcmp(type, "LAMBDA") == 0) {
		tg_v_lambda(v, cfg);
		return;
	}
	if (cfg == NULL) {
		lat_v_add(v, "config", "Member must not be null for %s target "
		    "groups", type);
		return;
	}
	vpc = lat_v_str(v, cfg, "vpcIdentifier", "config.vpcIdentifier", 5, 50,
	    1);
	if (vpc != NULL && !lat_v_vpc(vpc))
		lat_v_add(v, "config.vpcIdentifier", "Member must satisfy "
		    "regular expression pattern: "
		    "vpc-(([0-9a-z]{8})|([0-9a-z]{17}))");
	proto = lat_v_enum(v, cfg, "protocol", "config.protocol", tg_protocols,
	    1);
	if (lat_v_int(v, cfg, "port", "config.port", 1, 65535, 0, &n) == 0 &&
	    proto != NULL && strcmp(proto, "TCP") == 0)
		lat_v_add(v, "config.port", "Member must not be null for TCP");
	lat_v_enum(v, cfg, "protocolVersion", "config.protocolVersion",
	    tg_pversions, 0);
	if (lat_v_enum(v, cfg, "ipAddressType", "config.ipAddressType",
	    ip_types, 0) != NULL && strcmp(type, "IP") != 0)
		lat_v_add(v, "config.ipAddressType", "Member applies to IP "
		    "target groups only");
	if (cJSON_HasObjectItem(cfg, "healthCheck")) {
		if (strcmp(type, "ALB") == 0)
			lat_v_add(v, "config.healthCheck", "Health checks are "
			    "not supported for ALB target groups");
		else
			hc_validate(v, cJSON_GetObjectItemCaseSensitive(cfg,
			    "healthCheck"));
	}
}

/* The stored config: the given one with documented defaults. */
static cJSON *
tg_config_defaults(const char *type, const cJSON *given)
{
	cJSON		*cfg;
	const char	*proto;

	cfg = given != NULL ? cJSON_Duplicate(given, 1) : cJSON_CreateObject();
	if (strcmp(type, "LAMBDA") == 0) {
		tg_default(cfg, "lambdaEventStructureVersion",
		    cJSON_CreateString("V1"));
		return cfg;
	}
	proto = lat_s(cfg, "protocol");
	tg_default(cfg, "port", cJSON_CreateNumber(strcmp(proto, "HTTPS") == 0 ?
	    443 : 80));
	if (strcmp(proto, "TCP") != 0)
		tg_default(cfg, "protocolVersion", cJSON_CreateString("HTTP1"));
	if (strcmp(type, "IP") == 0)
		tg_default(cfg, "ipAddressType", cJSON_CreateString("IPV4"));
	if (strcmp(type, "ALB") != 0) {
		cJSON *hc = hc_with_defaults(cJSON_GetObjectItemCaseSensitive(
		    cfg, "healthCheck"), proto);

		cJSON_DeleteItemFromObjectCaseSensitive(cfg, "healthCheck");
		cJSON_AddItemToObject(cfg, "healthCheck", hc);
	}
	return cfg;
}

/* Validate the CreateTargetGroup body; -1 answered. */
static int
tg_validate(struct lat *l, const char **name, const char **type)
{
	struct lat_v	v;

	lat_v_init(&v);
	*name = lat_v_str(&v, l->body, "name", "name", 0, 4096, 1);
	lat_v_name(&v, LK_TG, *name);
	*type = lat_v_enum(&v, l->body, "type", "type", tg_types, 1);
	tg_v_config(&v, *type, cJSON_GetObjectItemCaseSensitive(l->body,
	    "config"));
	lat_v_tags(&v, cJSON_GetObjectItemCaseSensitive(l->body, "tags"),
	    "tags");
	return lat_v_done(l, &v);
}

/* POST /targetgroups */
static void
lat_create_tg(struct lat *l)
{
	const char	*name, *type;
	cJSON		*rec, *dup;

	if (tg_validate(l, &name, &type) != 0 ||
	    lat_idem_check(l, LK_TG, tg_render_create))
		return;
	cJSON_ArrayForEach(dup, lat_array(l, LK_TG)) {
		if (strcmp(lat_s(dup, "name"), name) == 0) {
			lat_conflict(l, LK_TG, lat_id(dup), "A target group "
			    "with the name %s already exists", name);
			return;
		}
	}
	if (lat_count(l, LK_TG, NULL, NULL) >=
	    sim_aws_opts(l->sim)->quotas.target_groups || !lat_room(l)) {
		lat_quota(l, LK_TG, NULL, "L-SIM-TARGET-GROUPS", "Target groups "
		    "per Region quota exceeded");
		return;
	}
	rec = lat_new_record(l, LK_TG, NULL, name);
	cJSON_AddStringToObject(rec, "type", type);
	cJSON_AddItemToObject(rec, "config", tg_config_defaults(type,
	    cJSON_GetObjectItemCaseSensitive(l->body, "config")));
	cJSON_AddArrayToObject(rec, "_targets");
	lat_set_tags(rec, cJSON_GetObjectItemCaseSensitive(l->body, "tags"));
	lat_idem_store(l, rec);
	lat_ok(l, tg_render_create(l, rec));
}

/* GET /targetgroups/{targetGroupIdentifier} */
static void
lat_get_tg(struct lat *l)
{
	cJSON	*tg;

	if ((tg = lat_resolve(l, LK_TG, l->seg[0],
	    "targetGroupIdentifier")) == NULL)
		return;
	tg_refresh(l, tg);
	lat_ok(l, lat_pick(tg, tg_get_m));
}

/* Filter for ListTargetGroups: vpcIdentifier and targetGroupType. */
static int
tg_filter(struct lat *l, const cJSON *rec, void *ctx)
{
	const char	*vpc = lat_qparam(l, "vpcIdentifier");
	const char	*type = lat_qparam(l, "targetGroupType");

	(void)ctx;
	return (vpc == NULL || strcmp(lat_s(tg_config(rec), "vpcIdentifier"),
	    vpc) == 0) && (type == NULL || strcmp(lat_s(rec, "type"), type) ==
	    0);
}

/* GET /targetgroups */
static void
lat_list_tgs(struct lat *l)
{
	const char	*type = lat_qparam(l, "targetGroupType");
	size_t		 i;

	for (i = 0; type != NULL && tg_types[i] != NULL; i++) {
		if (strcmp(tg_types[i], type) == 0)
			break;
	}
	if (type != NULL && tg_types[i] == NULL) {
		lat_invalid(l, "targetGroupType", "Member must satisfy enum "
		    "value set: [IP, LAMBDA, INSTANCE, ALB]");
		return;
	}
	lat_page(l, lat_array(l, LK_TG), tg_filter, NULL, tg_render_sum);
}

/* PATCH /targetgroups/{targetGroupIdentifier} */
static void
lat_update_tg(struct lat *l)
{
	struct lat_v	 v;
	const cJSON	*given, *m;
	cJSON		*tg, *cfg, *hc;

	if ((tg = lat_resolve(l, LK_TG, l->seg[0],
	    "targetGroupIdentifier")) == NULL)
		return;
	lat_v_init(&v);
	given = cJSON_GetObjectItemCaseSensitive(l->body, "healthCheck");
	if (given == NULL)
		lat_v_add(&v, "healthCheck", "Member must not be null");
	else if (strcmp(lat_s(tg, "type"), "ALB") == 0 ||
	    strcmp(lat_s(tg, "type"), "LAMBDA") == 0)
		lat_v_add(&v, "healthCheck", "Health checks are not supported "
		    "for %s target groups", lat_s(tg, "type"));
	else
		hc_validate(&v, given);
	if (lat_v_done(l, &v) != 0)
		return;
	cfg = cJSON_GetObjectItemCaseSensitive(tg, "config");
	hc = cJSON_GetObjectItemCaseSensitive(cfg, "healthCheck");
	if (hc == NULL)
		hc = cJSON_AddObjectToObject(cfg, "healthCheck");
	cJSON_ArrayForEach(m, given) {
		cJSON_DeleteItemFromObjectCaseSensitive(hc, m->string);
		cJSON_AddItemToObject(hc, m->string, cJSON_Duplicate(m, 1));
	}
	lat_touch(l, tg);
	lat_ok(l, tg_render_create(l, tg));
}

/* DELETE /targetgroups/{targetGroupIdentifier} */
static void
lat_delete_tg(struct lat *l)
{
	cJSON	*tg, *out;

	if ((tg = lat_resolve(l, LK_TG, l->seg[0],
	    "targetGroupIdentifier")) == NULL)
		return;
	if (lat_tg_in_use(l, lat_id(tg))) {
		lat_conflict(l, LK_TG, lat_id(tg), "Target group %s is in use "
		    "by a listener rule", lat_id(tg));
		return;
	}
	out = lat_pick(tg, tg_del_m);
	cJSON_DeleteItemFromObjectCaseSensitive(out, "status");
	cJSON_AddStringToObject(out, "status", "DELETE_IN_PROGRESS");
	lat_delete(l, LK_TG, tg);
	lat_ok(l, out);
}

/* Validate a targets list of min..max {id, port}; -1 answered. */
static int
tg_v_targets(struct lat *l, const cJSON *targets, int min, int max)
{
	struct lat_v	 v;
	const cJSON	*t;
	int64_t		 port;
	int		 n = cJSON_GetArraySize(targets);

	lat_v_init(&v);
	if ((targets == NULL && min > 0) || (targets != NULL &&
	    (!cJSON_IsArray(targets) || n < min || n > max)))
		lat_v_add(&v, "targets", "Member must have length between %d "
		    "and %d", min, max);
	else {
		cJSON_ArrayForEach(t, targets) {
			lat_v_str(&v, t, "id", "targets.id", 1, 200, 1);
			lat_v_int(&v, t, "port", "targets.port", 1, 65535, 0,
			    &port);
		}
	}
	return lat_v_done(l, &v);
}

/* The port a target means: its own or the group's. */
static double
tg_target_port(const cJSON *tg, const cJSON *t)
{
	const cJSON	*p = cJSON_GetObjectItemCaseSensitive(t, "port");

	if (p != NULL)
		return p->valuedouble;
	return json_num(tg_config(tg), "port", 0);
}

/* The registered target with this id and port, or NULL. */
static cJSON *
tg_target_find(cJSON *tg, const char *id, double port)
{
	cJSON	*t;

	cJSON_ArrayForEach(t, cJSON_GetObjectItemCaseSensitive(tg,
	    "_targets")) {
		if (strcmp(lat_s(t, "id"), id) == 0 &&
		    json_num(t, "port", 0) == port)
			return t;
	}
	return NULL;
}

/* Why a target id does not fit the group's type, or NULL. */
static const char *
tg_target_refused(const cJSON *tg, const char *id)
{
	const char	*type = lat_s(tg, "type");
	unsigned char	 buf[16];
	int		 v6;

	if (strcmp(type, "IP") == 0) {
		v6 = strcmp(lat_s(tg_config(tg), "ipAddressType"), "IPV6") == 0;
		if (inet_pton(v6 ? AF_INET6 : AF_INET, id, buf) != 1)
			return v6 ? "Target id must be an IPv6 address" :
			    "Target id must be an IPv4 address";
	} else if (strcmp(type, "INSTANCE") == 0) {
		if (strncmp(id, "i-", 2) != 0)
			return "Target id must be an EC2 instance id";
	} else if (strcmp(type, "LAMBDA") == 0) {
		if (strncmp(id, "arn:aws:lambda:", 15) != 0)
			return "Target id must be a Lambda function ARN";
	} else if (strncmp(id, "arn:aws:elasticloadbalancing:", 29) != 0)
		return "Target id must be an Application Load Balancer ARN";
	return NULL;
}

/* Add an item {id, port, failureCode, failureMessage}. */
static void
tg_fail(cJSON *arr, const char *id, double port, const char *code,
    const char *msg)
{
	cJSON	*f = cJSON_CreateObject();

	cJSON_AddStringToObject(f, "id", id);
	if (port > 0)
		cJSON_AddNumberToObject(f, "port", port);
	cJSON_AddStringToObject(f, "failureCode", code);
	cJSON_AddStringToObject(f, "failureMessage", msg);
	cJSON_AddItemToArray(arr, f);
}

/* Add an item {id, port}. */
static void
tg_ok_target(cJSON *arr, const char *id, double port)
{
	cJSON	*t = cJSON_CreateObject();

	cJSON_AddStringToObject(t, "id", id);
	if (port > 0)
		cJSON_AddNumberToObject(t, "port", port);
	cJSON_AddItemToArray(arr, t);
}

/* Live (not draining) targets of a group. */
static size_t
tg_live_targets(const cJSON *tg)
{
	const cJSON	*t;
	size_t		 n = 0;

	cJSON_ArrayForEach(t, cJSON_GetObjectItemCaseSensitive(tg, "_targets"))
		n += cJSON_HasObjectItem(t, "_drainUntilMs") ? 0 : 1;
	return n;
}

/* Would registering these targets pass the per-group quota? */
static int
tg_quota_ok(struct lat *l, cJSON *tg, const cJSON *targets)
{
	const cJSON	*t;
	cJSON		*have;
	size_t		 n = tg_live_targets(tg);

	cJSON_ArrayForEach(t, targets) {
		have = tg_target_find(tg, lat_s(t, "id"), tg_target_port(tg, t));
		if (have == NULL || cJSON_HasObjectItem(have, "_drainUntilMs"))
			n++;
	}
	if (strcmp(lat_s(tg, "type"), "LAMBDA") == 0 && n > 1) {
		lat_invalid(l, "targets", "A LAMBDA target group takes one "
		    "target");
		return 0;
	}
	if (n <= sim_aws_opts(l->sim)->quotas.targets_per_tg)
		return 1;
	lat_quota(l, LK_TG, lat_id(tg), "L-SIM-TARGETS-PER-TG", "Targets per "
	    "target group quota exceeded");
	return 0;
}

/* Register (or re-register) one target. */
static void
tg_register_one(struct lat *l, cJSON *tg, const cJSON *t, cJSON *succ,
    cJSON *unsucc)
{
	const char	*id = lat_s(t, "id"), *why;
	double		 port = tg_target_port(tg, t);
	cJSON		*have, *nt;

	if ((why = tg_target_refused(tg, id)) != NULL) {
		tg_fail(unsucc, id, port, "InvalidTarget", why);
		return;
	}
	if ((have = tg_target_find(tg, id, port)) != NULL) {
		cJSON_DeleteItemFromObjectCaseSensitive(have, "_drainUntilMs");
		cJSON_DeleteItemFromObjectCaseSensitive(have, "_registeredMs");
		cJSON_AddNumberToObject(have, "_registeredMs", (double)l->now);
	} else {
		nt = cJSON_CreateObject();
		cJSON_AddStringToObject(nt, "id", id);
		if (port > 0)
			cJSON_AddNumberToObject(nt, "port", port);
		cJSON_AddNumberToObject(nt, "_seq",
		    (double)sim_aws_next_seq(l->sim));
		cJSON_AddNumberToObject(nt, "_registeredMs", (double)l->now);
		cJSON_AddItemToArray(cJSON_GetObjectItemCaseSensitive(tg,
		    "_targets"), nt);
	}
	tg_ok_target(succ, id, port);
}

/* The group named by {seg0} with a targets list validated; NULL answered. */
static cJSON *
tg_targets_call(struct lat *l, const cJSON **targets, int min, int max)
{
	cJSON	*tg;

	if ((tg = lat_resolve(l, LK_TG, l->seg[0],
	    "targetGroupIdentifier")) == NULL)
		return NULL;
	*targets = cJSON_GetObjectItemCaseSensitive(l->body, "targets");
	if (tg_v_targets(l, *targets, min, max) != 0)
		return NULL;
	if (cJSON_GetObjectItemCaseSensitive(tg, "_targets") == NULL)
		cJSON_AddArrayToObject(tg, "_targets");
	return tg;
}

/* POST /targetgroups/{id}/registertargets */
static void
lat_register_targets(struct lat *l)
{
	const cJSON	*targets, *t;
	cJSON		*tg, *body, *succ, *unsucc;

	if ((tg = tg_targets_call(l, &targets, 1, TG_MAX_PER_CALL)) == NULL)
		return;
	if (lat_deleting(tg)) {
		lat_conflict(l, LK_TG, lat_id(tg), "Target group %s is being "
		    "deleted", lat_id(tg));
		return;
	}
	if (!tg_quota_ok(l, tg, targets))
		return;
	body = cJSON_CreateObject();
	succ = cJSON_AddArrayToObject(body, "successful");
	unsucc = cJSON_AddArrayToObject(body, "unsuccessful");
	cJSON_ArrayForEach(t, targets)
		tg_register_one(l, tg, t, succ, unsucc);
	lat_ok(l, body);
}

/* POST /targetgroups/{id}/deregistertargets */
static void
lat_deregister_targets(struct lat *l)
{
	const cJSON	*targets, *t;
	cJSON		*tg, *body, *succ, *have;
	unsigned	 drain = sim_aws_opts(l->sim)->drain_ms;
	double		 port;

	if ((tg = tg_targets_call(l, &targets, 1, TG_MAX_PER_CALL)) == NULL)
		return;
	body = cJSON_CreateObject();
	succ = cJSON_AddArrayToObject(body, "successful");
	cJSON_AddArrayToObject(body, "unsuccessful");
	cJSON_ArrayForEach(t, targets) {
		port = tg_target_port(tg, t);
		have = tg_target_find(tg, lat_s(t, "id"), port);
		if (have != NULL && drain == 0)
			cJSON_Delete(cJSON_DetachItemViaPointer(
			    cJSON_GetObjectItemCaseSensitive(tg, "_targets"),
			    have));
		else if (have != NULL &&
		    !cJSON_HasObjectItem(have, "_drainUntilMs")) {
			cJSON_AddNumberToObject(have, "_drainUntilMs",
			    (double)(l->now + drain));
			lat_due(l, l->now + drain);
		}
		tg_ok_target(succ, lat_s(t, "id"), port);
	}
	lat_ok(l, body);
}

/* A target's status and reason code right now (in_use: some rule
 * forwards to the group). */
static void
tg_target_status(struct lat *l, const cJSON *tg, int in_use, const cJSON *t,
    const char **status, const char **reason)
{
	const cJSON	*hc = cJSON_GetObjectItemCaseSensitive(tg_config(tg),
	    "healthCheck");
	unsigned	 delay = sim_aws_opts(l->sim)->health_delay_ms;

	if (cJSON_HasObjectItem(t, "_drainUntilMs")) {
		*status = "DRAINING";
		*reason = "Target.DeregistrationInProgress";
	} else if (!in_use) {
		*status = "UNUSED";
		*reason = "Target.NotInUse";
	} else if (hc == NULL || cJSON_IsFalse(
	    cJSON_GetObjectItemCaseSensitive(hc, "enabled"))) {
		*status = "UNAVAILABLE";
		*reason = "Target.HealthCheckDisabled";
	} else if ((double)l->now < json_num(t, "_registeredMs", 0) + delay) {
		*status = "INITIAL";
		*reason = "Target.RegistrationInProgress";
	} else if (lat_health_failing(hc, reason)) {
		*status = "UNHEALTHY";
	} else {
		*status = "HEALTHY";
		*reason = NULL;
	}
}

/* The group being listed (ListTargets renders through it). */
struct tg_list_ctx {
	const cJSON	*tg;
	const cJSON	*filter;
};

/* Filter for ListTargets: the optional targets list in the body. */
static int
tg_list_filter(struct lat *l, const cJSON *t, void *arg)
{
	struct tg_list_ctx	*ctx = arg;
	const cJSON		*f;

	(void)l;
	if (cJSON_GetArraySize(ctx->filter) == 0)
		return 1;
	cJSON_ArrayForEach(f, ctx->filter) {
		if (strcmp(lat_s(f, "id"), lat_s(t, "id")) == 0 &&
		    (!cJSON_HasObjectItem(f, "port") || json_num(f, "port", 0) ==
		    json_num(t, "port", 0)))
			return 1;
	}
	return 0;
}

/* One ListTargets item. */
static cJSON *
tg_render_target(struct lat *l, const cJSON *t)
{
	const char	*status, *reason;
	cJSON		*out;

	tg_target_status(l, l->listing_tg, l->listing_used, t, &status,
	    &reason);
	out = cJSON_CreateObject();
	cJSON_AddStringToObject(out, "id", lat_s(t, "id"));
	if (cJSON_HasObjectItem(t, "port"))
		cJSON_AddNumberToObject(out, "port", json_num(t, "port", 0));
	cJSON_AddStringToObject(out, "status", status);
	json_add_str_opt(out, "reasonCode", reason);
	return out;
}

/* POST /targetgroups/{id}/listtargets */
static void
lat_list_targets(struct lat *l)
{
	struct tg_list_ctx	 ctx;
	const cJSON		*filter;
	cJSON			*tg;

	if ((tg = tg_targets_call(l, &filter, 0, TG_MAX_FILTER)) == NULL)
		return;
	ctx.tg = tg;
	ctx.filter = filter;
	l->listing_tg = tg;
	l->listing_used = lat_tg_in_use(l, lat_id(tg));
	lat_page(l, cJSON_GetObjectItemCaseSensitive(tg, "_targets"),
	    tg_list_filter, &ctx, tg_render_target);
}

const struct lat_route lat_routes_tg[] = {
	{ "POST", "/targetgroups", "CreateTargetGroup", 201, lat_create_tg },
	{ "GET", "/targetgroups", "ListTargetGroups", 200, lat_list_tgs },
	{ "GET", "/targetgroups/{}", "GetTargetGroup", 200, lat_get_tg },
	{ "PATCH", "/targetgroups/{}", "UpdateTargetGroup", 200,
	    lat_update_tg },
	{ "DELETE", "/targetgroups/{}", "DeleteTargetGroup", 200,
	    lat_delete_tg },
	{ "POST", "/targetgroups/{}/registertargets", "RegisterTargets", 200,
	    lat_register_targets },
	{ "POST", "/targetgroups/{}/deregistertargets", "DeregisterTargets",
	    200, lat_deregister_targets },
	{ "POST", "/targetgroups/{}/listtargets", "ListTargets", 200,
	    lat_list_targets },
	{ NULL, NULL, NULL, 0, NULL }
};
