/* Simulated VPC Lattice: listeners, rules (each listener has a default rule
 * mirroring its defaultAction) and BatchUpdateRule. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/json.h"
#include "latticectl/xmalloc.h"

#include "aws_lattice_int.h"

static const char *const lst_protocols[] = { "HTTP", "HTTPS",
	"TLS_PASSTHROUGH", NULL };
static const char *const act_members[] = { "forward", "fixedResponse",
	NULL };
static const char *const match_members[] = { "httpMatch", NULL };
static const char *const path_members[] = { "exact", "prefix", NULL };
static const char *const hdr_members[] = { "exact", "prefix", "contains",
	NULL };

static const char *const lst_create_m[] = { "arn", "id", "name", "protocol",
	"port", "serviceArn", "serviceId", "defaultAction", NULL };
static const char *const lst_get_m[] = { "arn", "id", "name", "protocol",
	"port", "serviceArn", "serviceId", "defaultAction", "createdAt",
	"lastUpdatedAt", NULL };
static const char *const lst_sum_m[] = { "arn", "id", "name", "protocol",
	"port", "createdAt", "lastUpdatedAt", NULL };
static const char *const rule_create_m[] = { "arn", "id", "name", "match",
	"priority", "action", NULL };
static const char *const rule_get_m[] = { "arn", "id", "name", "isDefault",
	"match", "priority", "action", "createdAt", "lastUpdatedAt", NULL };
static const char *const rule_sum_m[] = { "arn", "id", "name", "isDefault",
	"priority", "createdAt", "lastUpdatedAt", NULL };
static const char *const rule_upd_m[] = { "arn", "id", "name", "isDefault",
	"match", "priority", "action", NULL };

static void	lst_replace(cJSON *, const char *, cJSON *);

/* Validate a RuleAction union under key; returns the set member. */
static const cJSON *
act_validate(struct lat_v *v, const cJSON *obj, const char *key,
    int required)
{
	const cJSON	*m, *tgs, *tg;
	int64_t		 n;
	int		 cnt;

	m = lat_v_union(v, obj, key, key, act_members, required);
	if (m == NULL)
		return NULL;
	if (strcmp(m->string, "fixedResponse") == 0) {
		lat_v_int(v, m, "statusCode", "fixedResponse.statusCode", 100,
		    599, 1, &n);
		return m;
	}
	tgs = cJSON_GetObjectItemCaseSensitive(m, "targetGroups");
	cnt = cJSON_GetArraySize(tgs);
	if (!cJSON_IsArray(tgs) || cnt < 1 || cnt > 10) {
		lat_v_add(v, "forward.targetGroups", "Member must have length "
		    "between 1 and 10");
		return NULL;
	}
	cJSON_ArrayForEach(tg, tgs) {
		lat_v_ident(v, LK_TG, lat_v_str(v, tg, "targetGroupIdentifier",
		    "forward.targetGroups.targetGroupIdentifier", 17, 2048, 1),
		    "forward.targetGroups.targetGroupIdentifier");
		lat_v_int(v, tg, "weight", "forward.targetGroups.weight", 0,
		    999, 0, &n);
	}
	return m;
}

/* A copy of a validated action with target groups as IDs and default
 * weights; NULL (and *missing, caller frees) when a group does not
 * exist. */
static cJSON *
act_norm(struct lat *l, const cJSON *action, char **missing)
{
	cJSON		*copy, *fwd, *tgs, *tg, *rec;
	const char	*ident;

	copy = cJSON_Duplicate(action, 1);
	fwd = cJSON_GetObjectItemCaseSensitive(copy, "forward");
	tgs = cJSON_GetObjectItemCaseSensitive(fwd, "targetGroups");
	cJSON_ArrayForEach(tg, tgs) {
		ident = json_str(tg, "targetGroupIdentifier");
		if ((rec = lat_find(l, LK_TG, ident)) == NULL) {
			*missing = xstrdup(ident != NULL ? ident : "");
			cJSON_Delete(copy);
			return NULL;
		}
		lst_replace(tg, "targetGroupIdentifier",
		    cJSON_CreateString(lat_id(rec)));
		if (cJSON_GetObjectItemCaseSensitive(tg, "weight") == NULL)
			cJSON_AddNumberToObject(tg, "weight", 100);
	}
	return copy;
}

/* act_norm, answering 404 for a missing target group. */
static cJSON *
act_normalize(struct lat *l, const cJSON *action)
{
	cJSON	*copy;
	char	*missing = NULL;

	if ((copy = act_norm(l, action, &missing)) == NULL) {
		lat_not_found(l, LK_TG, missing);
		free(missing);
	}
	return copy;
}

/* Validate a path pattern string (1-200 chars starting with '/'). */
static void
match_v_path(struct lat_v *v, const cJSON *pm)
{
	const cJSON	*m;
	const char	*s;

	m = lat_v_union(v, pm, "match", "pathMatch.match", path_members, 1);
	if (m == NULL)
		return;
	s = lat_v_str(v, cJSON_GetObjectItemCaseSensitive(pm, "match"),
	    m->string, "pathMatch.match", 1, 200, 1);
	if (s != NULL && (s[0] != '/' || strspn(s, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789@:%_+.~#?&/=-") !=
	    strlen(s)))
		lat_v_add(v, "pathMatch.match", "Member must satisfy regular "
		    "expression pattern: /[a-zA-Z0-9@:%%_+.~#?&/=-]*");
	lat_v_bool(v, pm, "caseSensitive", "pathMatch.caseSensitive");
}

/* Validate a RuleMatch union; returns it or NULL. */
static const cJSON *
match_validate(struct lat_v *v, const cJSON *obj, int required)
{
	const cJSON	*http, *pm, *hms, *hm, *m;
	int		 n;

	http = lat_v_union(v, obj, "match", "match", match_members, required);
	if (http == NULL)
		return NULL;
	if (!cJSON_IsObject(http)) {
		lat_v_add(v, "match.httpMatch", "Member must be an object");
		return NULL;
	}
	lat_v_str(v, http, "method", "httpMatch.method", 0, 16, 0);
	if ((pm = cJSON_GetObjectItemCaseSensitive(http, "pathMatch")) != NULL)
		match_v_path(v, pm);
	hms = cJSON_GetObjectItemCaseSensitive(http, "headerMatches");
	n = cJSON_GetArraySize(hms);
	if (hms != NULL && (!cJSON_IsArray(hms) || n > 5)) {
		lat_v_add(v, "httpMatch.headerMatches", "Member must have "
		    "length less than or equal to 5");
		return NULL;
	}
	cJSON_ArrayForEach(hm, hms) {
		lat_v_str(v, hm, "name", "headerMatches.name", 1, 100, 1);
		m = lat_v_union(v, hm, "match", "headerMatches.match",
		    hdr_members, 1);
		if (m != NULL)
			lat_v_str(v, cJSON_GetObjectItemCaseSensitive(hm,
			    "match"), m->string, "headerMatches.match", 1, 200,
			    1);
		lat_v_bool(v, hm, "caseSensitive",
		    "headerMatches.caseSensitive");
	}
	return http;
}

/* Resolve the service ({seg0}) and its listener ({seg1}). */
static cJSON *
lst_resolve(struct lat *l, cJSON **svc_out)
{
	cJSON	*svc, *lst;

	if ((svc = lat_resolve(l, LK_SERVICE, l->seg[0],
	    "serviceIdentifier")) == NULL)
		return NULL;
	if ((lst = lat_resolve(l, LK_LISTENER, l->seg[1],
	    "listenerIdentifier")) == NULL)
		return NULL;
	if (strcmp(lat_s(lst, "serviceId"), lat_id(svc)) != 0) {
		lat_not_found(l, LK_LISTENER, l->seg[1]);
		return NULL;
	}
	if (svc_out != NULL)
		*svc_out = svc;
	return lst;
}

/* Add the target group ids an action forwards to into set (an object). */
static void
act_collect(cJSON *set, const cJSON *action)
{
	const cJSON	*fwd, *tgs, *tg;
	const char	*id;

	fwd = cJSON_GetObjectItemCaseSensitive(action, "forward");
	tgs = cJSON_GetObjectItemCaseSensitive(fwd, "targetGroups");
	cJSON_ArrayForEach(tg, tgs) {
		id = json_str(tg, "targetGroupIdentifier");
		if (id != NULL && !cJSON_HasObjectItem(set, id))
			cJSON_AddTrueToObject(set, id);
	}
}

/* Would a service use more target groups than its quota with extra? */
static int
svc_tg_over(struct lat *l, const char *svc_id, const cJSON *extra)
{
	const cJSON	*r;
	cJSON		*set = cJSON_CreateObject();
	int		 n;

	cJSON_ArrayForEach(r, lat_array(l, LK_RULE)) {
		if (strcmp(lat_s(r, "_serviceId"), svc_id) == 0)
			act_collect(set, cJSON_GetObjectItemCaseSensitive(r,
			    "action"));
	}
	act_collect(set, extra);
	n = cJSON_GetArraySize(set);
	cJSON_Delete(set);
	if ((unsigned)n <= sim_aws_opts(l->sim)->quotas.tgs_per_service)
		return 0;
	lat_quota(l, LK_SERVICE, svc_id, "L-SIM-TGS-PER-SERVICE", "Target "
	    "groups per service quota exceeded");
	return 1;
}

/* Does an action forward to the target group? */
static int
act_uses(const cJSON *action, const char *tg_id)
{
	const cJSON	*fwd, *tgs, *tg;
	const char	*id;

	fwd = cJSON_GetObjectItemCaseSensitive(action, "forward");
	tgs = cJSON_GetObjectItemCaseSensitive(fwd, "targetGroups");
	cJSON_ArrayForEach(tg, tgs) {
		id = json_str(tg, "targetGroupIdentifier");
		if (id != NULL && strcmp(id, tg_id) == 0)
			return 1;
	}
	return 0;
}

/* Is a target group used by any rule (default rules included)? */
int
lat_tg_in_use(struct lat *l, const char *tg_id)
{
	const cJSON	*r;

	cJSON_ArrayForEach(r, lat_array(l, LK_RULE)) {
		if (act_uses(cJSON_GetObjectItemCaseSensitive(r, "action"),
		    tg_id))
			return 1;
	}
	return 0;
}

/* Is s one of the strings in arr? */
static int
lst_has_string(const cJSON *arr, const char *s)
{
	const cJSON	*a;

	cJSON_ArrayForEach(a, arr) {
		if (cJSON_IsString(a) && strcmp(a->valuestring, s) == 0)
			return 1;
	}
	return 0;
}

/* The ARNs of the services whose rules forward to a target group. */
cJSON *
lat_tg_service_arns(struct lat *l, const char *tg_id)
{
	const cJSON	*r;
	cJSON		*arns, *svc;

	arns = cJSON_CreateArray();
	cJSON_ArrayForEach(r, lat_array(l, LK_RULE)) {
		if (!act_uses(cJSON_GetObjectItemCaseSensitive(r, "action"),
		    tg_id))
			continue;
		svc = lat_find(l, LK_SERVICE, lat_s(r, "_serviceId"));
		if (svc != NULL && !lst_has_string(arns, lat_s(svc, "arn")))
			cJSON_AddItemToArray(arns, cJSON_CreateString(
			    lat_s(svc, "arn")));
	}
	return arns;
}

/* Remove a listener and its rules. */
void
lat_delete_listener_tree(struct lat *l, cJSON *lst)
{
	cJSON	*r, *next;

	for (r = lat_array(l, LK_RULE)->child; r != NULL; r = next) {
		next = r->next;
		if (strcmp(lat_s(r, "_listenerId"), lat_id(lst)) == 0)
			lat_remove(l, LK_RULE, r);
	}
	lat_remove(l, LK_LISTENER, lst);
}

/* Remove a service's listeners, rules and access log subscriptions. */
void
lat_delete_service_children(struct lat *l, const char *svc_id)
{
	cJSON	*rec, *next;

	for (rec = lat_array(l, LK_LISTENER)->child; rec != NULL; rec = next) {
		next = rec->next;
		if (strcmp(lat_s(rec, "serviceId"), svc_id) == 0)
			lat_delete_listener_tree(l, rec);
	}
	for (rec = lat_array(l, LK_ALS)->child; rec != NULL; rec = next) {
		next = rec->next;
		if (strcmp(lat_s(rec, "resourceId"), svc_id) == 0)
			lat_remove(l, LK_ALS, rec);
	}
}

/* Find a record of kind k under parent (member == id) by name. */
static cJSON *
lst_child_named(struct lat *l, enum lat_kind k, const char *member,
    const char *id, const char *name)
{
	cJSON	*rec;

	cJSON_ArrayForEach(rec, lat_array(l, k)) {
		if (strcmp(lat_s(rec, member), id) == 0 &&
		    strcmp(lat_s(rec, "name"), name) == 0)
			return rec;
	}
	return NULL;
}

/* A listener as CreateListener returns it. */
static cJSON *
lst_render_create(struct lat *l, const cJSON *rec)
{
	(void)l;
	return lat_pick(rec, lst_create_m);
}

/* A listener as a ListListeners item. */
static cJSON *
lst_render_sum(struct lat *l, const cJSON *rec)
{
	(void)l;
	return lat_pick(rec, lst_sum_m);
}

/* Validate the CreateListener body; -1 answered. */
static int
lst_validate(struct lat *l, const char **name, const char **proto,
    int64_t *port)
{
	struct lat_v	 v;
	const cJSON	*act;
	int		 has_port;

	lat_v_init(&v);
	*name = lat_v_str(&v, l->body, "name", "name", 0, 4096, 1);
	lat_v_name(&v, LK_LISTENER, *name);
	*proto = lat_v_enum(&v, l->body, "protocol", "protocol", lst_protocols,
	    1);
	has_port = lat_v_int(&v, l->body, "port", "port", 1, 65535, 0, port);
	act = act_validate(&v, l->body, "defaultAction", 1);
	lat_v_tags(&v, cJSON_GetObjectItemCaseSensitive(l->body, "tags"),
	    "tags");
	if (*proto != NULL && strcmp(*proto, "TLS_PASSTHROUGH") == 0 &&
	    act != NULL && strcmp(act->string, "forward") != 0)
		lat_v_add(&v, "defaultAction", "TLS_PASSTHROUGH listeners "
		    "support only a forward default action");
	if (has_port == 0 && *proto != NULL)
		*port = strcmp(*proto, "HTTP") == 0 ? 80 : 443;
	return lat_v_done(l, &v);
}

/* Check a new listener's name, port and quota; -1 answered. */
static int
lst_check_room(struct lat *l, const cJSON *svc, const char *name,
    int64_t port)
{
	const cJSON	*rec;

	if ((rec = lst_child_named(l, LK_LISTENER, "serviceId", lat_id(svc),
	    name)) != NULL) {
		lat_conflict(l, LK_LISTENER, lat_id(rec), "A listener named %s "
		    "already exists on service %s", name, lat_id(svc));
		return -1;
	}
	cJSON_ArrayForEach(rec, lat_array(l, LK_LISTENER)) {
		if (strcmp(lat_s(rec, "serviceId"), lat_id(svc)) == 0 &&
		    json_num(rec, "port", 0) == (double)port) {
			lat_conflict(l, LK_LISTENER, lat_id(rec), "Port %lld "
			    "is already used by listener %s", (long long)port,
			    lat_id(rec));
			return -1;
		}
	}
	if (lat_count(l, LK_LISTENER, "serviceId", lat_id(svc)) >=
	    sim_aws_opts(l->sim)->quotas.listeners_per_service ||
	    !lat_room(l)) {
		lat_quota(l, LK_SERVICE, lat_id(svc), "L-D64E952E", "Listeners "
		    "per service quota exceeded");
		return -1;
	}
	return 0;
}

/* The default rule of a listener: created with it, mirrors its action. */
static void
lst_add_default_rule(struct lat *l, const cJSON *svc, const cJSON *lst)
{
	cJSON	*rule;

	rule = lat_new_record(l, LK_RULE, json_str(lst, "arn"), "default");
	cJSON_AddBoolToObject(rule, "isDefault", 1);
	cJSON_AddItemToObject(rule, "action", cJSON_Duplicate(
	    cJSON_GetObjectItemCaseSensitive(lst, "defaultAction"), 1));
	cJSON_AddStringToObject(rule, "_serviceId", lat_id(svc));
	cJSON_AddStringToObject(rule, "_listenerId", lat_id(lst));
}

/* POST /services/{serviceIdentifier}/listeners */
static void
lat_create_listener(struct lat *l)
{
	const char	*name, *proto;
	int64_t		 port = 0;
	cJSON		*svc, *rec, *act;

	if ((svc = lat_resolve(l, LK_SERVICE, l->seg[0],
	    "serviceIdentifier")) == NULL ||
	    lst_validate(l, &name, &proto, &port) != 0 ||
	    lat_idem_check(l, LK_LISTENER, lst_render_create))
		return;
	if (lat_deleting(svc)) {
		lat_conflict(l, LK_SERVICE, lat_id(svc), "Service %s is being "
		    "deleted", lat_id(svc));
		return;
	}
	if (lst_check_room(l, svc, name, port) != 0 ||
	    (act = act_normalize(l, cJSON_GetObjectItemCaseSensitive(l->body,
	    "defaultAction"))) == NULL)
		return;
	if (svc_tg_over(l, lat_id(svc), act)) {
		cJSON_Delete(act);
		return;
	}
	rec = lat_new_record(l, LK_LISTENER, json_str(svc, "arn"), name);
	cJSON_AddStringToObject(rec, "protocol", proto);
	cJSON_AddNumberToObject(rec, "port", (double)port);
	cJSON_AddStringToObject(rec, "serviceArn", json_str(svc, "arn"));
	cJSON_AddStringToObject(rec, "serviceId", lat_id(svc));
	cJSON_AddItemToObject(rec, "defaultAction", act);
	lat_set_tags(rec, cJSON_GetObjectItemCaseSensitive(l->body, "tags"));
	lat_idem_store(l, rec);
	lst_add_default_rule(l, svc, rec);
	lat_ok(l, lst_render_create(l, rec));
}

/* GET /services/{serviceIdentifier}/listeners/{listenerIdentifier} */
static void
lat_get_listener(struct lat *l)
{
	cJSON	*lst;

	if ((lst = lst_resolve(l, NULL)) != NULL)
		lat_ok(l, lat_pick(lst, lst_get_m));
}

/* Filter: records whose member equals the id in ctx. */
static int
lst_filter_member(struct lat *l, const cJSON *rec, void *ctx)
{
	const char	**mv = ctx;

	(void)l;
	return strcmp(lat_s(rec, mv[0]), mv[1]) == 0;
}

/* GET /services/{serviceIdentifier}/listeners */
static void
lat_list_listeners(struct lat *l)
{
	cJSON		*svc;
	const char	*mv[2];

	if ((svc = lat_resolve(l, LK_SERVICE, l->seg[0],
	    "serviceIdentifier")) == NULL)
		return;
	mv[0] = "serviceId";
	mv[1] = lat_id(svc);
	lat_page(l, lat_array(l, LK_LISTENER), lst_filter_member, mv,
	    lst_render_sum);
}

/* The default rule of a listener. */
static cJSON *
lst_default_rule(struct lat *l, const cJSON *lst)
{
	cJSON	*r;

	cJSON_ArrayForEach(r, lat_array(l, LK_RULE)) {
		if (strcmp(lat_s(r, "_listenerId"), lat_id(lst)) == 0 &&
		    cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r,
		    "isDefault")))
			return r;
	}
	return NULL;
}

/* Replace a record member with an owned item. */
static void
lst_replace(cJSON *rec, const char *key, cJSON *item)
{
	cJSON_DeleteItemFromObjectCaseSensitive(rec, key);
	cJSON_AddItemToObject(rec, key, item);
}

/* PATCH /services/{serviceIdentifier}/listeners/{listenerIdentifier} */
static void
lat_update_listener(struct lat *l)
{
	struct lat_v	 v;
	const cJSON	*a;
	cJSON		*svc, *lst, *act, *def;

	if ((lst = lst_resolve(l, &svc)) == NULL)
		return;
	lat_v_init(&v);
	a = act_validate(&v, l->body, "defaultAction", 1);
	if (a != NULL && strcmp(lat_s(lst, "protocol"), "TLS_PASSTHROUGH") ==
	    0 && strcmp(a->string, "forward") != 0)
		lat_v_add(&v, "defaultAction", "TLS_PASSTHROUGH listeners "
		    "support only a forward default action");
	if (lat_v_done(l, &v) != 0 || (act = act_normalize(l,
	    cJSON_GetObjectItemCaseSensitive(l->body, "defaultAction"))) ==
	    NULL)
		return;
	if (svc_tg_over(l, lat_id(svc), act)) {
		cJSON_Delete(act);
		return;
	}
	if ((def = lst_default_rule(l, lst)) != NULL) {
		lst_replace(def, "action", cJSON_Duplicate(act, 1));
		lat_touch(l, def);
	}
	lst_replace(lst, "defaultAction", act);
	lat_touch(l, lst);
	lat_ok(l, lat_pick(lst, lst_create_m));
}

/* DELETE /services/{serviceIdentifier}/listeners/{listenerIdentifier} */
static void
lat_delete_listener(struct lat *l)
{
	cJSON	*lst;

	if ((lst = lst_resolve(l, NULL)) == NULL)
		return;
	lat_delete_listener_tree(l, lst);
	lat_ok(l, NULL);
}

/* A rule as CreateRule returns it. */
static cJSON *
rule_render_create(struct lat *l, const cJSON *rec)
{
	(void)l;
	return lat_pick(rec, rule_create_m);
}

/* A rule as a ListRules item. */
static cJSON *
rule_render_sum(struct lat *l, const cJSON *rec)
{
	(void)l;
	return lat_pick(rec, rule_sum_m);
}

/* The rule of a listener using a priority (other than skip), or NULL. */
static cJSON *
rule_with_priority(struct lat *l, const cJSON *lst, int64_t prio,
    const cJSON *skip)
{
	cJSON	*r;

	cJSON_ArrayForEach(r, lat_array(l, LK_RULE)) {
		if (r != skip && strcmp(lat_s(r, "_listenerId"),
		    lat_id(lst)) == 0 && cJSON_HasObjectItem(r, "priority") &&
		    json_num(r, "priority", 0) == (double)prio)
			return r;
	}
	return NULL;
}

/* Validate the CreateRule body; -1 answered. */
static int
rule_validate(struct lat *l, const char **name, int64_t *prio)
{
	struct lat_v	v;

	lat_v_init(&v);
	*name = lat_v_str(&v, l->body, "name", "name", 0, 4096, 1);
	lat_v_name(&v, LK_RULE, *name);
	match_validate(&v, l->body, 1);
	lat_v_int(&v, l->body, "priority", "priority", 1, 2000, 1, prio);
	act_validate(&v, l->body, "action", 1);
	lat_v_tags(&v, cJSON_GetObjectItemCaseSensitive(l->body, "tags"),
	    "tags");
	return lat_v_done(l, &v);
}

/* Check a new rule's name, priority and quota; -1 answered. */
static int
rule_check_room(struct lat *l, const cJSON *lst, const char *name,
    int64_t prio)
{
	const cJSON	*r;

	if ((r = lst_child_named(l, LK_RULE, "_listenerId", lat_id(lst),
	    name)) != NULL) {
		lat_conflict(l, LK_RULE, lat_id(r), "A rule named %s already "
		    "exists on listener %s", name, lat_id(lst));
		return -1;
	}
	if ((r = rule_with_priority(l, lst, prio, NULL)) != NULL) {
		lat_conflict(l, LK_RULE, lat_id(r), "Priority %lld is already "
		    "used by rule %s", (long long)prio, lat_id(r));
		return -1;
	}
	if (lat_count(l, LK_RULE, "_listenerId", lat_id(lst)) - 1 >=
	    sim_aws_opts(l->sim)->quotas.rules_per_listener || !lat_room(l)) {
		lat_quota(l, LK_LISTENER, lat_id(lst), "L-SIM-RULES-PER-LISTENER",
		    "Rules per listener quota exceeded");
		return -1;
	}
	return 0;
}

/* POST /services/{s}/listeners/{l}/rules */
static void
lat_create_rule(struct lat *l)
{
	const char	*name;
	int64_t		 prio = 0;
	cJSON		*svc, *lst, *rec, *act;

	if ((lst = lst_resolve(l, &svc)) == NULL ||
	    rule_validate(l, &name, &prio) != 0 ||
	    lat_idem_check(l, LK_RULE, rule_render_create) ||
	    rule_check_room(l, lst, name, prio) != 0 ||
	    (act = act_normalize(l, cJSON_GetObjectItemCaseSensitive(l->body,
	    "action"))) == NULL)
		return;
	if (svc_tg_over(l, lat_id(svc), act)) {
		cJSON_Delete(act);
		return;
	}
	rec = lat_new_record(l, LK_RULE, json_str(lst, "arn"), name);
	cJSON_AddBoolToObject(rec, "isDefault", 0);
	cJSON_AddItemToObject(rec, "match", cJSON_Duplicate(
	    cJSON_GetObjectItemCaseSensitive(l->body, "match"), 1));
	cJSON_AddNumberToObject(rec, "priority", (double)prio);
	cJSON_AddItemToObject(rec, "action", act);
	cJSON_AddStringToObject(rec, "_serviceId", lat_id(svc));
	cJSON_AddStringToObject(rec, "_listenerId", lat_id(lst));
	lat_set_tags(rec, cJSON_GetObjectItemCaseSensitive(l->body, "tags"));
	lat_idem_store(l, rec);
	lat_ok(l, rule_render_create(l, rec));
}

/* A rule by identifier within a listener; 404 answered when not. */
static cJSON *
rule_in_listener(struct lat *l, const cJSON *lst, const char *ident,
    const char *field)
{
	cJSON	*r;

	if ((r = lat_resolve(l, LK_RULE, ident, field)) == NULL)
		return NULL;
	if (strcmp(lat_s(r, "_listenerId"), lat_id(lst)) != 0) {
		lat_not_found(l, LK_RULE, ident);
		return NULL;
	}
	return r;
}

/* GET /services/{s}/listeners/{l}/rules/{r} */
static void
lat_get_rule(struct lat *l)
{
	cJSON	*lst, *r;

	if ((lst = lst_resolve(l, NULL)) != NULL &&
	    (r = rule_in_listener(l, lst, l->seg[2], "ruleIdentifier")) != NULL)
		lat_ok(l, lat_pick(r, rule_get_m));
}

/* GET /services/{s}/listeners/{l}/rules */
static void
lat_list_rules(struct lat *l)
{
	cJSON		*lst;
	const char	*mv[2];

	if ((lst = lst_resolve(l, NULL)) == NULL)
		return;
	mv[0] = "_listenerId";
	mv[1] = lat_id(lst);
	lat_page(l, lat_array(l, LK_RULE), lst_filter_member, mv,
	    rule_render_sum);
}

/* Apply a validated update (match, priority, action) to a rule. */
static void
rule_apply(struct lat *l, cJSON *r, const cJSON *upd, cJSON *act)
{
	const cJSON	*m, *p;

	if ((m = cJSON_GetObjectItemCaseSensitive(upd, "match")) != NULL)
		lst_replace(r, "match", cJSON_Duplicate(m, 1));
	if ((p = cJSON_GetObjectItemCaseSensitive(upd, "priority")) != NULL)
		lst_replace(r, "priority", cJSON_CreateNumber(p->valuedouble));
	if (act != NULL)
		lst_replace(r, "action", act);
	lat_touch(l, r);
}

/* Why an update can't apply to a rule (default rule limits), or NULL. */
static const char *
rule_update_refused(const cJSON *r, const cJSON *upd)
{
	if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r, "isDefault")) &&
	    (cJSON_HasObjectItem(upd, "match") ||
	    cJSON_HasObjectItem(upd, "priority")))
		return "The default rule's match and priority can't be changed";
	return NULL;
}

/* PATCH /services/{s}/listeners/{l}/rules/{r} */
static void
lat_update_rule(struct lat *l)
{
	struct lat_v	 v;
	const char	*why;
	cJSON		*svc, *lst, *r, *act = NULL, *other;
	int64_t		 prio = 0;

	if ((lst = lst_resolve(l, &svc)) == NULL ||
	    (r = rule_in_listener(l, lst, l->seg[2], "ruleIdentifier")) ==
	    NULL)
		return;
	lat_v_init(&v);
	match_validate(&v, l->body, 0);
	lat_v_int(&v, l->body, "priority", "priority", 1, 2000, 0, &prio);
	act_validate(&v, l->body, "action", 0);
	if ((why = rule_update_refused(r, l->body)) != NULL)
		lat_v_add(&v, "ruleIdentifier", "%s", why);
	if (lat_v_done(l, &v) != 0)
		return;
	if (prio != 0 && (other = rule_with_priority(l, lst, prio, r)) !=
	    NULL) {
		lat_conflict(l, LK_RULE, lat_id(other), "Priority %lld is "
		    "already used by rule %s", (long long)prio,
		    lat_id(other));
		return;
	}
	if (cJSON_HasObjectItem(l->body, "action") &&
	    (act = act_normalize(l, cJSON_GetObjectItemCaseSensitive(l->body,
	    "action"))) == NULL)
		return;
	if (act != NULL && svc_tg_over(l, lat_id(svc), act)) {
		cJSON_Delete(act);
		return;
	}
	rule_apply(l, r, l->body, act);
	lat_ok(l, lat_pick(r, rule_upd_m));
}

/* DELETE /services/{s}/listeners/{l}/rules/{r} */
static void
lat_delete_rule(struct lat *l)
{
	cJSON	*lst, *r;

	if ((lst = lst_resolve(l, NULL)) == NULL ||
	    (r = rule_in_listener(l, lst, l->seg[2], "ruleIdentifier")) ==
	    NULL)
		return;
	if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r, "isDefault"))) {
		lat_invalid(l, "ruleIdentifier", "The default rule of a "
		    "listener can't be deleted");
		return;
	}
	lat_remove(l, LK_RULE, r);
	lat_ok(l, NULL);
}

/* Validate a BatchUpdateRule body; -1 answered. */
static int
batch_validate(struct lat *l, const cJSON **rules)
{
	struct lat_v	 v;
	const cJSON	*u;
	int64_t		 prio;
	int		 n;

	lat_v_init(&v);
	*rules = cJSON_GetObjectItemCaseSensitive(l->body, "rules");
	n = cJSON_GetArraySize(*rules);
	if (!cJSON_IsArray(*rules) || n < 1 || n > 10)
		lat_v_add(&v, "rules", "Member must have length between 1 and "
		    "10");
	else {
		cJSON_ArrayForEach(u, *rules) {
			lat_v_str(&v, u, "ruleIdentifier", "ruleIdentifier",
			    20, 2048, 1);
			match_validate(&v, u, 0);
			lat_v_int(&v, u, "priority", "priority", 1, 2000, 0,
			    &prio);
			act_validate(&v, u, "action", 0);
		}
	}
	return lat_v_done(l, &v);
}

/* Record one failed rule update. */
static void
batch_fail(cJSON *unsucc, const char *ident, const char *code,
    const char *msg)
{
	cJSON	*f = cJSON_CreateObject();

	cJSON_AddStringToObject(f, "ruleIdentifier", ident);
	cJSON_AddStringToObject(f, "failureCode", code);
	cJSON_AddStringToObject(f, "failureMessage", msg);
	cJSON_AddItemToArray(unsucc, f);
}

/* The priority a rule will have after the batch. */
static double
batch_final_prio(const cJSON *r, cJSON *const *targets,
    const cJSON *const *upds, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (targets[i] == r &&
		    cJSON_HasObjectItem(upds[i], "priority"))
			return json_num(upds[i], "priority", 0);
	}
	return json_num(r, "priority", 0);
}

/* Would rule i's new priority clash once the batch is applied? */
static int
batch_clash(struct lat *l, const cJSON *lst, size_t i, cJSON *const *targets,
    const cJSON *const *upds, size_t n)
{
	const cJSON	*r;
	double		 p;

	if (!cJSON_HasObjectItem(upds[i], "priority"))
		return 0;
	p = json_num(upds[i], "priority", 0);
	cJSON_ArrayForEach(r, lat_array(l, LK_RULE)) {
		if (r == targets[i] || !cJSON_HasObjectItem(r, "priority") ||
		    strcmp(lat_s(r, "_listenerId"), lat_id(lst)) != 0)
			continue;
		if (batch_final_prio(r, targets, upds, n) == p)
			return 1;
	}
	return 0;
}

/* Resolve the batch's rules and actions; failures go to unsucc (then
 * targets[i] is NULL). */
static void
batch_resolve(struct lat *l, const cJSON *lst, const cJSON *rules,
    cJSON **targets, cJSON **acts, const cJSON **upds, cJSON *unsucc)
{
	const cJSON	*u;
	const char	*ident, *why;
	char		*missing = NULL;
	cJSON		*r;
	size_t		 i = 0;

	cJSON_ArrayForEach(u, rules) {
		ident = json_str(u, "ruleIdentifier");
		upds[i] = u;
		acts[i] = NULL;
		r = lat_ident_valid(LK_RULE, ident) ? lat_find(l, LK_RULE,
		    ident) : NULL;
		if (r == NULL || strcmp(lat_s(r, "_listenerId"),
		    lat_id(lst)) != 0) {
			batch_fail(unsucc, ident, "ResourceNotFoundException",
			    "Rule not found on this listener");
			r = NULL;
		} else if ((why = rule_update_refused(r, u)) != NULL) {
			batch_fail(unsucc, ident, "ValidationException", why);
			r = NULL;
		} else if (cJSON_HasObjectItem(u, "action") &&
		    (acts[i] = act_norm(l, cJSON_GetObjectItemCaseSensitive(u,
		    "action"), &missing)) == NULL) {
			batch_fail(unsucc, ident, "ResourceNotFoundException",
			    "Target group not found");
			xfree_ptr(&missing);
			r = NULL;
		}
		targets[i++] = r;
	}
}

/* Apply the rules that resolved and don't clash. */
static void
batch_apply(struct lat *l, const cJSON *lst, cJSON **targets, cJSON **acts,
    const cJSON **upds, size_t n, cJSON *succ, cJSON *unsucc)
{
	size_t	 i;
	int	*clash;

	clash = xcalloc(n, sizeof *clash);
	for (i = 0; i < n; i++)
		clash[i] = targets[i] != NULL && batch_clash(l, lst, i,
		    targets, upds, n);
	for (i = 0; i < n; i++) {
		if (targets[i] == NULL)
			continue;
		if (clash[i]) {
			batch_fail(unsucc, json_str(upds[i], "ruleIdentifier"),
			    "ConflictException", "Priority is already used by "
			    "another rule");
			cJSON_Delete(acts[i]);
			continue;
		}
		rule_apply(l, targets[i], upds[i], acts[i]);
		cJSON_AddItemToArray(succ, lat_pick(targets[i], rule_upd_m));
	}
	free(clash);
}

/* PATCH /services/{s}/listeners/{l}/rules */
static void
lat_batch_update_rule(struct lat *l)
{
	const cJSON	*rules, *upds[10];
	cJSON		*lst, *targets[10], *acts[10], *body, *succ, *unsucc;
	size_t		 n;

	if ((lst = lst_resolve(l, NULL)) == NULL ||
	    batch_validate(l, &rules) != 0)
		return;
	n = (size_t)cJSON_GetArraySize(rules);
	body = cJSON_CreateObject();
	succ = cJSON_AddArrayToObject(body, "successful");
	unsucc = cJSON_AddArrayToObject(body, "unsuccessful");
	batch_resolve(l, lst, rules, targets, acts, upds, unsucc);
	batch_apply(l, lst, targets, acts, upds, n, succ, unsucc);
	lat_ok(l, body);
}

const struct lat_route lat_routes_lst[] = {
	{ "POST", "/services/{}/listeners", "CreateListener", 201,
	    lat_create_listener },
	{ "GET", "/services/{}/listeners", "ListListeners", 200,
	    lat_list_listeners },
	{ "GET", "/services/{}/listeners/{}", "GetListener", 200,
	    lat_get_listener },
	{ "PATCH", "/services/{}/listeners/{}", "UpdateListener", 200,
	    lat_update_listener },
	{ "DELETE", "/services/{}/listeners/{}", "DeleteListener", 204,
	    lat_delete_listener },
	{ "POST", "/services/{}/listeners/{}/rules", "CreateRule", 201,
	    lat_create_rule },
	{ "GET", "/services/{}/listeners/{}/rules", "ListRules", 200,
	    lat_list_rules },
	{ "PATCH", "/services/{}/listeners/{}/rules", "BatchUpdateRule", 200,
	    lat_batch_update_rule },
	{ "GET", "/services/{}/listeners/{}/rules/{}", "GetRule", 200,
	    lat_get_rule },
	{ "PATCH", "/services/{}/listeners/{}/rules/{}", "UpdateRule", 200,
	    lat_update_rule },
	{ "DELETE", "/services/{}/listeners/{}/rules/{}", "DeleteRule", 204,
	    lat_delete_rule },
	{ NULL, NULL, NULL, 0, NULL }
};
