/* VPC Lattice marshalling shared by the operations: members, unions
 * (rule match, rule action, health check matcher) and their checks. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/json.h"
#include "latticectl/timeutil.h"
#include "latticectl/xmalloc.h"

#include "lattice_int.h"

/* Member key of an object, or NULL (also when o is not an object). */
static const cJSON *
lattice_jget(const cJSON *o, const char *key)
{
	if (o == NULL || !cJSON_IsObject(o))
		return NULL;
	return cJSON_GetObjectItemCaseSensitive(o, key);
}

/* An array member, or NULL when absent or not an array. */
const cJSON *
lattice_jarray(const cJSON *o, const char *key)
{
	const cJSON	*it = lattice_jget(o, key);

	return cJSON_IsArray(it) ? it : NULL;
}

/* A copy of a string member, or NULL. */
char *
lattice_jstr(const cJSON *o, const char *key)
{
	return xstrdup_or_null(json_str(o, key));
}

/* An integer member within int range, or def. */
int
lattice_jint(const cJSON *o, const char *key, int def)
{
	int64_t	v;

	if (json_int(o, key, &v) != 0 || v < INT_MIN || v > INT_MAX)
		return def;
	return (int)v;
}

/* An integer member, or def. */
int64_t
lattice_jlong(const cJSON *o, const char *key, int64_t def)
{
	int64_t	v;

	if (json_int(o, key, &v) != 0)
		return def;
	return v;
}

/* A boolean member, LATTICE_UNSET when absent or not a boolean. */
enum lattice_bool
lattice_jbool(const cJSON *o, const char *key)
{
	const cJSON	*it = lattice_jget(o, key);

	if (cJSON_IsTrue(it))
		return LATTICE_TRUE;
	if (cJSON_IsFalse(it))
		return LATTICE_FALSE;
	return LATTICE_UNSET;
}

/* A timestamp member; {0,0} when absent or unparsable. */
void
lattice_jtime(const cJSON *o, const char *key, struct timespec *ts)
{
	const cJSON	*it = lattice_jget(o, key);

	if (it == NULL || time_from_json(it, ts) != 0) {
		ts->tv_sec = 0;
		ts->tv_nsec = 0;
	}
}

/* The strings of an array member (others skipped), or NULL with *n 0. */
char **
lattice_jstrv(const cJSON *o, const char *key, size_t *n)
{
	const cJSON	*arr = lattice_jget(o, key), *it;
	void		*v = NULL;
	char		**slot;

	*n = 0;
	if (!cJSON_IsArray(arr))
		return NULL;
	cJSON_ArrayForEach(it, arr) {
		if (!cJSON_IsString(it))
			continue;
		slot = lattice_array_add(&v, n, sizeof(char *));
		*slot = xstrdup(it->valuestring);
	}
	return v;
}

/* Free a string vector. */
void
lattice_strv_free(char **v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* Add a boolean member when it is set. */
void
lattice_add_bool(cJSON *o, const char *key, enum lattice_bool b)
{
	if (b == LATTICE_TRUE)
		cJSON_AddTrueToObject(o, key);
	else if (b == LATTICE_FALSE)
		cJSON_AddFalseToObject(o, key);
}

/* Add an integer member when it is above 0. */
void
lattice_add_int(cJSON *o, const char *key, int value)
{
	if (value > 0)
		cJSON_AddNumberToObject(o, key, value);
}

/* Add a string array member (always, even when empty). */
void
lattice_add_strv(cJSON *o, const char *key, const char *const *v, size_t n)
{
	cJSON	*arr;
	size_t	 i;

	arr = cJSON_AddArrayToObject(o, key);
	for (i = 0; i < n; i++)
		cJSON_AddItemToArray(arr, cJSON_CreateString(v[i]));
}

/* Read a DnsEntry. */
void
lattice_dns_entry_from_json(const cJSON *o, struct lattice_dns_entry *d)
{
	d->domain_name = lattice_jstr(o, "domainName");
	d->hosted_zone_id = lattice_jstr(o, "hostedZoneId");
}

/* Free a DnsEntry's members. */
void
lattice_dns_entry_free(struct lattice_dns_entry *d)
{
	free(d->domain_name);
	free(d->hosted_zone_id);
	memset(d, 0, sizeof(*d));
}

/* Read DnsOptions. */
void
lattice_dns_options_from_json(const cJSON *o, struct lattice_dns_options *d)
{
	d->private_dns_preference = lattice_jstr(o, "privateDnsPreference");
	d->private_dns_specified_domains = lattice_jstrv(o,
	    "privateDnsSpecifiedDomains", &d->n_private_dns_specified_domains);
}

/* DnsOptions as JSON. */
cJSON *
lattice_dns_options_to_json(const struct lattice_dns_options *d)
{
	cJSON	*o = cJSON_CreateObject();

	json_add_str_opt(o, "privateDnsPreference", d->private_dns_preference);
	if (d->n_private_dns_specified_domains > 0)
		lattice_add_strv(o, "privateDnsSpecifiedDomains",
		    (const char *const *)d->private_dns_specified_domains,
		    d->n_private_dns_specified_domains);
	return o;
}

/* Free DnsOptions' members. */
void
lattice_dns_options_free(struct lattice_dns_options *d)
{
	free(d->private_dns_preference);
	lattice_strv_free(d->private_dns_specified_domains,
	    d->n_private_dns_specified_domains);
	memset(d, 0, sizeof(*d));
}

/* ---- match unions ---- */

static const char *const lattice_match_keys[] = {
	[LATTICE_MATCH_EXACT] = "exact",
	[LATTICE_MATCH_PREFIX] = "prefix",
	[LATTICE_MATCH_CONTAINS] = "contains",
};

/* Read a PathMatchType/HeaderMatchType union (contains only if allowed). */
static void
lattice_match_type_from_json(const cJSON *u, int allow_contains,
    enum lattice_match_kind *kind, char **value)
{
	enum lattice_match_kind	k;
	const char		*s;

	*kind = LATTICE_MATCH_NONE;
	*value = NULL;
	for (k = LATTICE_MATCH_EXACT; k <= LATTICE_MATCH_CONTAINS; k++) {
		if (k == LATTICE_MATCH_CONTAINS && !allow_contains)
			break;
		if ((s = json_str(u, lattice_match_keys[k])) != NULL) {
			*kind = k;
			*value = xstrdup(s);
			return;
		}
	}
}

/* A match-type union object {kind: value}. */
static cJSON *
lattice_match_type_to_json(enum lattice_match_kind kind, const char *value)
{
	cJSON	*o = cJSON_CreateObject();

	if (kind > LATTICE_MATCH_NONE && kind <= LATTICE_MATCH_CONTAINS &&
	    value != NULL)
		cJSON_AddStringToObject(o, lattice_match_keys[kind], value);
	return o;
}

/* Read one HeaderMatch. */
static void
lattice_header_match_from_json(const cJSON *o, struct lattice_header_match *h)
{
	h->name = lattice_jstr(o, "name");
	lattice_match_type_from_json(lattice_jget(o, "match"), 1, &h->kind,
	    &h->value);
	h->case_sensitive = lattice_jbool(o, "caseSensitive");
}

/* Read a RuleMatch ({"httpMatch": {...}}). */
void
lattice_rule_match_from_json(const cJSON *o, struct lattice_rule_match *m)
{
	const cJSON	*hm, *pm, *arr, *it;
	void		*v = NULL;

	memset(m, 0, sizeof(*m));
	if (!cJSON_IsObject(hm = lattice_jget(o, "httpMatch")))
		return;
	m->present = 1;
	m->method = lattice_jstr(hm, "method");
	if (cJSON_IsObject(pm = lattice_jget(hm, "pathMatch"))) {
		lattice_match_type_from_json(lattice_jget(pm, "match"), 0,
		    &m->path.kind, &m->path.value);
		m->path.case_sensitive = lattice_jbool(pm, "caseSensitive");
	}
	if (!cJSON_IsArray(arr = lattice_jget(hm, "headerMatches")))
		return;
	cJSON_ArrayForEach(it, arr) {
		if (cJSON_IsObject(it))
			lattice_header_match_from_json(it,
			    lattice_array_add(&v, &m->n_headers,
			    sizeof(*m->headers)));
	}
	m->headers = v;
}

/* A RuleMatch as JSON. */
cJSON *
lattice_rule_match_to_json(const struct lattice_rule_match *m)
{
	const struct lattice_header_match	*h;
	cJSON					*o, *hm, *pm, *arr, *ho;
	size_t					 i;

	o = cJSON_CreateObject();
	hm = cJSON_AddObjectToObject(o, "httpMatch");
	json_add_str_opt(hm, "method", m->method);
	if (m->path.kind != LATTICE_MATCH_NONE) {
		pm = cJSON_AddObjectToObject(hm, "pathMatch");
		cJSON_AddItemToObject(pm, "match",
		    lattice_match_type_to_json(m->path.kind, m->path.value));
		lattice_add_bool(pm, "caseSensitive", m->path.case_sensitive);
	}
	if (m->n_headers == 0)
		return o;
	arr = cJSON_AddArrayToObject(hm, "headerMatches");
	for (i = 0; i < m->n_headers; i++) {
		h = &m->headers[i];
		ho = cJSON_CreateObject();
		json_add_str_opt(ho, "name", h->name);
		cJSON_AddItemToObject(ho, "match",
		    lattice_match_type_to_json(h->kind, h->value));
		lattice_add_bool(ho, "caseSensitive", h->case_sensitive);
		cJSON_AddItemToArray(arr, ho);
	}
	return o;
}

/* Check a RuleMatch the way the API would. */
int
lattice_check_match(struct aws_error *err, const char *op,
    const struct lattice_rule_match *m)
{
	const struct lattice_header_match	*h;
	size_t					 i;

	if (m->n_headers > LATTICE_MAX_HEADER_MATCHES)
		return lattice_invalid(err, op, "%zu header matches (at most "
		    "%d)", m->n_headers, LATTICE_MAX_HEADER_MATCHES);
	if (m->path.kind != LATTICE_MATCH_NONE &&
	    (m->path.kind == LATTICE_MATCH_CONTAINS || m->path.value == NULL ||
	    *m->path.value == '\0'))
		return lattice_invalid(err, op, "path match needs an exact or "
		    "prefix value");
	for (i = 0; i < m->n_headers; i++) {
		h = &m->headers[i];
		if (h->name == NULL || *h->name == '\0')
			return lattice_invalid(err, op, "header match %zu has "
			    "no name", i);
		if (h->kind == LATTICE_MATCH_NONE || h->value == NULL ||
		    *h->value == '\0')
			return lattice_invalid(err, op, "header match %s has "
			    "no exact, prefix or contains value", h->name);
	}
	return 0;
}

/* Free a RuleMatch's members. */
void
lattice_rule_match_free(struct lattice_rule_match *m)
{
	size_t	i;

	free(m->method);
	free(m->path.value);
	for (i = 0; i < m->n_headers; i++) {
		free(m->headers[i].name);
		free(m->headers[i].value);
	}
	free(m->headers);
	memset(m, 0, sizeof(*m));
}

/* ---- action union ---- */

/* Read the forward action's weighted target groups. */
static void
lattice_forward_from_json(const cJSON *fw, struct lattice_rule_action *a)
{
	const cJSON			*arr, *it;
	struct lattice_weighted_tg	*tg;
	void				*v = NULL;

	a->kind = LATTICE_ACTION_FORWARD;
	if (!cJSON_IsArray(arr = lattice_jget(fw, "targetGroups")))
		return;
	cJSON_ArrayForEach(it, arr) {
		if (!cJSON_IsObject(it))
			continue;
		tg = lattice_array_add(&v, &a->n_target_groups, sizeof(*tg));
		tg->target_group_id = lattice_jstr(it, "targetGroupIdentifier");
		tg->weight = lattice_jint(it, "weight", -1);
	}
	a->target_groups = v;
}

/* Read a RuleAction ({"forward": ...} or {"fixedResponse": ...}). */
void
lattice_rule_action_from_json(const cJSON *o, struct lattice_rule_action *a)
{
	const cJSON	*it;

	memset(a, 0, sizeof(*a));
	if (cJSON_IsObject(it = lattice_jget(o, "forward")))
		lattice_forward_from_json(it, a);
	else if (cJSON_IsObject(it = lattice_jget(o, "fixedResponse"))) {
		a->kind = LATTICE_ACTION_FIXED_RESPONSE;
		a->status_code = lattice_jint(it, "statusCode", 0);
	}
}

/* A RuleAction as JSON ({} for LATTICE_ACTION_NONE). */
cJSON *
lattice_rule_action_to_json(const struct lattice_rule_action *a)
{
	const struct lattice_weighted_tg	*tg;
	cJSON					*o, *x, *arr, *to;
	size_t					 i;

	o = cJSON_CreateObject();
	if (a->kind == LATTICE_ACTION_FIXED_RESPONSE) {
		x = cJSON_AddObjectToObject(o, "fixedResponse");
		cJSON_AddNumberToObject(x, "statusCode", a->status_code);
	}
	if (a->kind != LATTICE_ACTION_FORWARD)
		return o;
	x = cJSON_AddObjectToObject(o, "forward");
	arr = cJSON_AddArrayToObject(x, "targetGroups");
	for (i = 0; i < a->n_target_groups; i++) {
		tg = &a->target_groups[i];
		to = cJSON_CreateObject();
		json_add_str_opt(to, "targetGroupIdentifier",
		    tg->target_group_id);
		if (tg->weight >= 0)
			cJSON_AddNumberToObject(to, "weight", tg->weight);
		cJSON_AddItemToArray(arr, to);
	}
	return o;
}

/* Check a RuleAction the way the API would. */
int
lattice_check_action(struct aws_error *err, const char *op,
    const struct lattice_rule_action *a)
{
	size_t	i;

	if (a->kind == LATTICE_ACTION_FIXED_RESPONSE) {
		if (a->status_code < 100 || a->status_code > 599)
			return lattice_invalid(err, op, "fixed response status "
			    "%d not in 100..599", a->status_code);
		return 0;
	}
	if (a->kind != LATTICE_ACTION_FORWARD)
		return lattice_invalid(err, op, "action has neither forward "
		    "nor fixedResponse");
	if (a->n_target_groups < 1 ||
	    a->n_target_groups > LATTICE_MAX_WEIGHTED_TGS)
		return lattice_invalid(err, op, "forward action has %zu target "
		    "groups (1..%d)", a->n_target_groups,
		    LATTICE_MAX_WEIGHTED_TGS);
	for (i = 0; i < a->n_target_groups; i++) {
		if (a->target_groups[i].target_group_id == NULL)
			return lattice_invalid(err, op, "forward target group "
			    "%zu has no identifier", i);
		if (a->target_groups[i].weight > 999)
			return lattice_invalid(err, op, "weight %d above 999",
			    a->target_groups[i].weight);
	}
	return 0;
}

/* Free a RuleAction's members. */
void
lattice_rule_action_free(struct lattice_rule_action *a)
{
	size_t	i;

	for (i = 0; i < a->n_target_groups; i++)
		free(a->target_groups[i].target_group_id);
	free(a->target_groups);
	memset(a, 0, sizeof(*a));
}

/* ---- target group configuration ---- */

/* Read a HealthCheckConfig (present when o is an object). */
void
lattice_health_check_from_json(const cJSON *o, struct lattice_health_check *h)
{
	memset(h, 0, sizeof(*h));
	if (!cJSON_IsObject(o))
		return;
	h->present = 1;
	h->enabled = lattice_jbool(o, "enabled");
	h->protocol = lattice_jstr(o, "protocol");
	h->protocol_version = lattice_jstr(o, "protocolVersion");
	h->port = lattice_jint(o, "port", 0);
	h->path = lattice_jstr(o, "path");
	h->interval_seconds = lattice_jint(o, "healthCheckIntervalSeconds", 0);
	h->timeout_seconds = lattice_jint(o, "healthCheckTimeoutSeconds", 0);
	h->healthy_threshold = lattice_jint(o, "healthyThresholdCount", 0);
	h->unhealthy_threshold = lattice_jint(o, "unhealthyThresholdCount", 0);
	h->matcher_http_code = xstrdup_or_null(json_path_str(o,
	    "matcher.httpCode"));
}

/* A HealthCheckConfig as JSON (set members only). */
cJSON *
lattice_health_check_to_json(const struct lattice_health_check *h)
{
	cJSON	*o = cJSON_CreateObject(), *m;

	lattice_add_bool(o, "enabled", h->enabled);
	json_add_str_opt(o, "protocol", h->protocol);
	json_add_str_opt(o, "protocolVersion", h->protocol_version);
	lattice_add_int(o, "port", h->port);
	json_add_str_opt(o, "path", h->path);
	lattice_add_int(o, "healthCheckIntervalSeconds", h->interval_seconds);
	lattice_add_int(o, "healthCheckTimeoutSeconds", h->timeout_seconds);
	lattice_add_int(o, "healthyThresholdCount", h->healthy_threshold);
	lattice_add_int(o, "unhealthyThresholdCount", h->unhealthy_threshold);
	if (h->matcher_http_code != NULL) {
		m = cJSON_AddObjectToObject(o, "matcher");
		cJSON_AddStringToObject(m, "httpCode", h->matcher_http_code);
	}
	return o;
}

/* Free a HealthCheckConfig's members. */
void
lattice_health_check_free(struct lattice_health_check *h)
{
	free(h->protocol);
	free(h->protocol_version);
	free(h->path);
	free(h->matcher_http_code);
	memset(h, 0, sizeof(*h));
}

/* Read a TargetGroupConfig (present when o is an object). */
void
lattice_tg_config_from_json(const cJSON *o, struct lattice_tg_config *c)
{
	memset(c, 0, sizeof(*c));
	if (!cJSON_IsObject(o))
		return;
	c->present = 1;
	c->port = lattice_jint(o, "port", 0);
	c->protocol = lattice_jstr(o, "protocol");
	c->protocol_version = lattice_jstr(o, "protocolVersion");
	c->ip_address_type = lattice_jstr(o, "ipAddressType");
	c->vpc_identifier = lattice_jstr(o, "vpcIdentifier");
	lattice_health_check_from_json(lattice_jget(o, "healthCheck"),
	    &c->health_check);
	c->lambda_event_structure_version = lattice_jstr(o,
	    "lambdaEventStructureVersion");
}

/* A TargetGroupConfig as JSON (healthCheck when present). */
cJSON *
lattice_tg_config_to_json(const struct lattice_tg_config *c)
{
	cJSON	*o = cJSON_CreateObject();

	lattice_add_int(o, "port", c->port);
	json_add_str_opt(o, "protocol", c->protocol);
	json_add_str_opt(o, "protocolVersion", c->protocol_version);
	json_add_str_opt(o, "ipAddressType", c->ip_address_type);
	json_add_str_opt(o, "vpcIdentifier", c->vpc_identifier);
	if (c->health_check.present)
		cJSON_AddItemToObject(o, "healthCheck",
		    lattice_health_check_to_json(&c->health_check));
	json_add_str_opt(o, "lambdaEventStructureVersion",
	    c->lambda_event_structure_version);
	return o;
}

/* Free a TargetGroupConfig's members. */
void
lattice_tg_config_free(struct lattice_tg_config *c)
{
	free(c->protocol);
	free(c->protocol_version);
	free(c->ip_address_type);
	free(c->vpc_identifier);
	lattice_health_check_free(&c->health_check);
	free(c->lambda_event_structure_version);
	memset(c, 0, sizeof(*c));
}
