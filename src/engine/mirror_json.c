/*
 * mirror_stack_json: what the mirror knows about one stack, as JSON, for
 * `latticectl map` and the UI (no API calls).
 */
#include <stdlib.h>
#include <string.h>

#include "latticectl/json.h"
#include "latticectl/xmalloc.h"

#include "mirror_int.h"

/* A rule as JSON. */
static cJSON *
mj_rule(const struct mx_rule *r)
{
	cJSON	*o = cJSON_CreateObject();

	json_add_str_opt(o, "id", r->r.id);
	json_add_str_opt(o, "name", r->r.name);
	cJSON_AddNumberToObject(o, "priority", r->r.priority);
	if (r->detail) {
		cJSON_AddItemToObject(o, "match",
		    lattice_rule_match_to_json(&r->r.match));
		cJSON_AddItemToObject(o, "action",
		    lattice_rule_action_to_json(&r->r.action));
	}
	return o;
}

/* A listener and its rules as JSON. */
static cJSON *
mj_listener(const struct mx_listener *l)
{
	cJSON	*o = cJSON_CreateObject(), *arr;
	size_t	 i;

	json_add_str_opt(o, "id", l->l.id);
	json_add_str_opt(o, "name", l->l.name);
	json_add_str_opt(o, "protocol", l->l.protocol);
	cJSON_AddNumberToObject(o, "port", l->l.port);
	arr = cJSON_AddArrayToObject(o, "rules");
	for (i = 0; i < l->n_rules; i++)
		cJSON_AddItemToArray(arr, mj_rule(l->rules[i]));
	return o;
}

/* The service, its associations and listeners. */
static cJSON *
mj_service(struct mirror *m, const struct mx_service *s)
{
	cJSON		*o = cJSON_CreateObject(), *arr, *a;
	struct mx_assoc	*x;
	size_t		 i;

	json_add_str_opt(o, "id", s->s.id);
	json_add_str_opt(o, "arn", s->s.arn);
	json_add_str_opt(o, "name", s->s.name);
	json_add_str_opt(o, "status", s->s.status);
	json_add_str_opt(o, "dnsName", s->s.dns_entry.domain_name);
	json_add_str_opt(o, "customDomainName", s->s.custom_domain_name);
	if (s->tags_loaded)
		cJSON_AddItemToObject(o, "tags", aws_tags_to_json(&s->tags));
	arr = cJSON_AddArrayToObject(o, "associations");
	for (i = 0; i < m->st.n_assocs; i++) {
		x = m->st.assocs[i];
		if (x->a.service_id == NULL || strcmp(x->a.service_id,
		    s->s.id) != 0)
			continue;
		a = cJSON_CreateObject();
		json_add_str_opt(a, "id", x->a.id);
		json_add_str_opt(a, "serviceNetworkId",
		    x->a.service_network_id);
		json_add_str_opt(a, "serviceNetworkName",
		    x->a.service_network_name);
		json_add_str_opt(a, "status", x->a.status);
		cJSON_AddItemToArray(arr, a);
	}
	arr = cJSON_AddArrayToObject(o, "listeners");
	for (i = 0; i < s->n_listeners; i++)
		cJSON_AddItemToArray(arr, mj_listener(s->listeners[i]));
	return o;
}

/* A target group and its targets. */
static cJSON *
mj_tg(const char *key, const struct mx_tg *t)
{
	const struct lattice_tg_config	*c = &t->tg.config;
	cJSON				*o = cJSON_CreateObject(), *arr, *x;
	size_t				 i;

	json_add_str_opt(o, "key", key);
	json_add_str_opt(o, "id", t->tg.id);
	json_add_str_opt(o, "arn", t->tg.arn);
	json_add_str_opt(o, "name", t->tg.name);
	json_add_str_opt(o, "status", t->tg.status);
	json_add_str_opt(o, "protocol", c->protocol);
	json_add_str_opt(o, "protocolVersion", c->protocol_version);
	cJSON_AddNumberToObject(o, "port", c->port);
	if (c->health_check.present)
		cJSON_AddItemToObject(o, "healthCheck",
		    lattice_health_check_to_json(&c->health_check));
	arr = cJSON_AddArrayToObject(o, "targets");
	for (i = 0; i < t->n_targets; i++) {
		x = cJSON_CreateObject();
		json_add_str_opt(x, "ip", t->targets[i].id);
		cJSON_AddNumberToObject(x, "port", t->targets[i].port);
		json_add_str_opt(x, "status", t->targets[i].status);
		json_add_str_opt(x, "reasonCode", t->targets[i].reason_code);
		cJSON_AddItemToArray(arr, x);
	}
	return o;
}

/* What the mirror knows for a stack. */
cJSON *
mirror_stack_json(struct mirror *m, const struct lm_stack *st)
{
	struct mx_service	*s;
	struct mx_tg		*t;
	cJSON			*o = cJSON_CreateObject(), *arr;
	size_t			 i;

	pthread_mutex_lock(&m->mu);
	s = st->service != NULL ? mx_svc_by_name(m, st->service->name) : NULL;
	if (s != NULL)
		cJSON_AddItemToObject(o, "service", mj_service(m, s));
	arr = cJSON_AddArrayToObject(o, "targetGroups");
	for (i = 0; i < st->n_tgs; i++) {
		if ((t = mx_tg_find(m, &st->tgs[i])) != NULL)
			cJSON_AddItemToArray(arr, mj_tg(st->tgs[i].key, t));
	}
	pthread_mutex_unlock(&m->mu);
	return o;
}
