/*
 * The desired model as JSON (plan -o json, debugging, determinism
 * checks). Member names follow the Lattice API where one exists.
 */
#include <stdlib.h>

#include <cjson/cJSON.h>

#include "latticectl/lmodel.h"

/* Add a string member, or nothing when s is NULL. */
static void
mjson_str(cJSON *o, const char *key, const char *s)
{
	if (s != NULL)
		cJSON_AddStringToObject(o, key, s);
}

/* An action as {"fixedResponse":{statusCode}} or {"forward":{...}}. */
static cJSON *
mjson_action(const struct lm_action *a)
{
	cJSON	*o = cJSON_CreateObject(), *f, *arr, *w;
	size_t	 i;

	if (a->kind == LM_ACTION_FIXED) {
		f = cJSON_AddObjectToObject(o, "fixedResponse");
		cJSON_AddNumberToObject(f, "statusCode", a->status_code);
		return o;
	}
	f = cJSON_AddObjectToObject(o, "forward");
	arr = cJSON_AddArrayToObject(f, "targetGroups");
	for (i = 0; i < a->n_tgs; i++) {
		w = cJSON_CreateObject();
		cJSON_AddStringToObject(w, "key", a->tgs[i].tg_key);
		cJSON_AddNumberToObject(w, "weight", a->tgs[i].weight);
		cJSON_AddItemToArray(arr, w);
	}
	return o;
}

/* A match as Lattice's httpMatch. */
static cJSON *
mjson_match(const struct lm_match *m)
{
	static const char *const hk[] = { "exact", "prefix", "contains" };
	cJSON	*o = cJSON_CreateObject(), *p, *arr, *h, *mt;
	size_t	 i;

	mjson_str(o, "method", m->method);
	if (m->path_kind != LM_PATH_NONE) {
		p = cJSON_AddObjectToObject(o, "pathMatch");
		mt = cJSON_AddObjectToObject(p, "match");
		cJSON_AddStringToObject(mt, m->path_kind == LM_PATH_EXACT ?
		    "exact" : "prefix", m->path);
		cJSON_AddBoolToObject(p, "caseSensitive", m->path_case_sensitive);
	}
	arr = cJSON_AddArrayToObject(o, "headerMatches");
	for (i = 0; i < m->n_headers; i++) {
		h = cJSON_CreateObject();
		cJSON_AddStringToObject(h, "name", m->headers[i].name);
		mt = cJSON_AddObjectToObject(h, "match");
		cJSON_AddStringToObject(mt, hk[m->headers[i].kind % 3],
		    m->headers[i].value);
		cJSON_AddBoolToObject(h, "caseSensitive",
		    m->headers[i].case_sensitive);
		cJSON_AddItemToArray(arr, h);
	}
	return o;
}

/* A listener with its rules. */
static cJSON *
mjson_listener(const struct lm_listener *l)
{
	cJSON	*o = cJSON_CreateObject(), *arr, *r;
	size_t	 i;

	cJSON_AddStringToObject(o, "name", l->name);
	cJSON_AddStringToObject(o, "protocol", lm_listener_proto_str(l->protocol));
	cJSON_AddNumberToObject(o, "port", l->port);
	cJSON_AddItemToObject(o, "defaultAction", mjson_action(&l->default_action));
	cJSON_AddItemToObject(o, "tags", aws_tags_to_json(&l->tags));
	arr = cJSON_AddArrayToObject(o, "rules");
	for (i = 0; i < l->n_rules; i++) {
		r = cJSON_CreateObject();
		cJSON_AddStringToObject(r, "name", l->rules[i].name);
		cJSON_AddNumberToObject(r, "priority", l->rules[i].priority);
		cJSON_AddItemToObject(r, "match", mjson_match(&l->rules[i].match));
		cJSON_AddItemToObject(r, "action",
		    mjson_action(&l->rules[i].action));
		cJSON_AddItemToObject(r, "tags",
		    aws_tags_to_json(&l->rules[i].tags));
		cJSON_AddItemToArray(arr, r);
	}
	return o;
}

/* A health check configuration. */
static cJSON *
mjson_health_check(const struct lm_health_check *hc)
{
	cJSON	*o = cJSON_CreateObject();

	cJSON_AddBoolToObject(o, "enabled", hc->enabled);
	mjson_str(o, "protocol", hc->protocol);
	mjson_str(o, "protocolVersion", hc->protocol_version);
	if (hc->port != 0)
		cJSON_AddNumberToObject(o, "port", hc->port);
	mjson_str(o, "path", hc->path);
	cJSON_AddNumberToObject(o, "healthCheckIntervalSeconds",
	    hc->interval_seconds);
	cJSON_AddNumberToObject(o, "healthCheckTimeoutSeconds",
	    hc->timeout_seconds);
	cJSON_AddNumberToObject(o, "healthyThresholdCount",
	    hc->healthy_threshold);
	cJSON_AddNumberToObject(o, "unhealthyThresholdCount",
	    hc->unhealthy_threshold);
	mjson_str(o, "matcher", hc->matcher);
	return o;
}

/* A target group (owned, import or ARN reference). */
static cJSON *
mjson_tg(const struct lm_target_group *tg)
{
	static const char *const kinds[] = { "owned", "import", "arn" };
	cJSON	*o = cJSON_CreateObject(), *arr, *t;
	size_t	 i;

	cJSON_AddStringToObject(o, "key", tg->key);
	cJSON_AddStringToObject(o, "kind", kinds[tg->kind % 3]);
	mjson_str(o, "name", tg->name);
	mjson_str(o, "type", tg->type);
	if (tg->port != 0)
		cJSON_AddNumberToObject(o, "port", tg->port);
	mjson_str(o, "protocol", tg->protocol);
	mjson_str(o, "protocolVersion", tg->protocol_version);
	mjson_str(o, "ipAddressType", tg->ip_address_type);
	mjson_str(o, "vpcIdentifier", tg->vpc_id);
	mjson_str(o, "importNamespace", tg->import_namespace);
	mjson_str(o, "importName", tg->import_name);
	mjson_str(o, "importCluster", tg->import_cluster);
	mjson_str(o, "importVpc", tg->import_vpc);
	mjson_str(o, "arn", tg->arn);
	if (tg->kind != LM_TG_OWNED)
		return o;
	cJSON_AddItemToObject(o, "healthCheck",
	    mjson_health_check(&tg->health_check));
	cJSON_AddItemToObject(o, "tags", aws_tags_to_json(&tg->tags));
	arr = cJSON_AddArrayToObject(o, "targets");
	for (i = 0; i < tg->n_targets; i++) {
		t = cJSON_CreateObject();
		cJSON_AddStringToObject(t, "id", tg->targets[i].ip);
		cJSON_AddNumberToObject(t, "port", tg->targets[i].port);
		cJSON_AddItemToArray(arr, t);
	}
	return o;
}

/* The service (NULL for an export stack). */
static cJSON *
mjson_service(const struct lm_service *s)
{
	cJSON	*o = cJSON_CreateObject(), *arr;
	size_t	 i;

	cJSON_AddStringToObject(o, "name", s->name);
	mjson_str(o, "customDomainName", s->custom_domain);
	mjson_str(o, "certificateArn", s->certificate_arn);
	mjson_str(o, "authType", s->auth_type);
	mjson_str(o, "allowTakeoverFrom", s->allow_takeover_from);
	cJSON_AddBoolToObject(o, "standalone", s->standalone);
	arr = cJSON_AddArrayToObject(o, "serviceNetworks");
	for (i = 0; i < s->n_sn_names; i++)
		cJSON_AddItemToArray(arr, cJSON_CreateString(s->sn_names[i]));
	cJSON_AddItemToObject(o, "tags", aws_tags_to_json(&s->tags));
	return o;
}

/* The whole stack as a JSON object (caller owns). */
cJSON *
lm_stack_to_json(const struct lm_stack *s)
{
	cJSON	*o = cJSON_CreateObject(), *owner, *arr;
	size_t	 i;

	owner = cJSON_AddObjectToObject(o, "owner");
	cJSON_AddStringToObject(owner, "kind", lm_source_kind_str(s->owner.kind));
	cJSON_AddStringToObject(owner, "namespace", s->owner.namespace);
	cJSON_AddStringToObject(owner, "name", s->owner.name);
	if (s->service != NULL)
		cJSON_AddItemToObject(o, "service", mjson_service(s->service));
	arr = cJSON_AddArrayToObject(o, "listeners");
	for (i = 0; i < s->n_listeners; i++)
		cJSON_AddItemToArray(arr, mjson_listener(&s->listeners[i]));
	arr = cJSON_AddArrayToObject(o, "targetGroups");
	for (i = 0; i < s->n_tgs; i++)
		cJSON_AddItemToArray(arr, mjson_tg(&s->tgs[i]));
	return o;
}
