/* The Lattice side of a route as UI items (pure): the chain below a
 * route row (service -> listener -> rule -> target group -> targets),
 * drift from the route's plan, health counts, and the flat :tg list. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/json.h"
#include "latticectl/strbuf.h"
#include "latticectl/ui.h"
#include "latticectl/xmalloc.h"

/* Cells of a chain row in the routes list (see ui_route_columns). */
#define UI_CELL_STATUS	1
#define UI_CELL_DETAIL	2
#define UI_CELL_HEALTH	3

const char *const ui_tg_columns[] = {
	"ROUTE", "PROTOCOL", "HEALTHCHECK", "HEALTHY", "STATUS", NULL
};

/* Health counts gathered while building a chain. */
struct ui_health {
	int	healthy, total, unhealthy, known;
	char	first_bad[96];	/* "10.0.0.1:80 Target.Timeout" */
};

/* Worst of two states (error > drift > progressing > ok > none). */
static enum ui_state
ui_worst(enum ui_state a, enum ui_state b)
{
	return a > b ? a : b;
}

/* State of a Lattice resource status string (ACTIVE, *_IN_PROGRESS,
 * *_FAILED, MISSING, NOT_FOUND). */
static enum ui_state
ui_status_state(const char *st)
{
	if (st == NULL || *st == '\0')
		return UI_STATE_NONE;
	if (strcmp(st, "ACTIVE") == 0)
		return UI_STATE_OK;
	if (strstr(st, "IN_PROGRESS") != NULL)
		return UI_STATE_PROGRESSING;
	if (strstr(st, "FAILED") != NULL || strcmp(st, "NOT_FOUND") == 0)
		return UI_STATE_ERROR;
	if (strcmp(st, "MISSING") == 0)
		return UI_STATE_PROGRESSING;
	return UI_STATE_NONE;
}

/* State of a target's health status. */
static enum ui_state
ui_target_state(const char *st)
{
	if (st == NULL)
		return UI_STATE_NONE;
	if (strcmp(st, "HEALTHY") == 0)
		return UI_STATE_OK;
	if (strcmp(st, "UNHEALTHY") == 0)
		return UI_STATE_ERROR;
	if (strcmp(st, "INITIAL") == 0 || strcmp(st, "DRAINING") == 0)
		return UI_STATE_PROGRESSING;
	return UI_STATE_NONE;
}

/* Whether an op resource of the plan names this row: "<word> <name>"
 * exactly, or a rule "rule <prio> ... on <listener>". */
static int
ui_plan_names(const cJSON *plan, const char *word, const char *name,
    const char *listener)
{
	const cJSON	*op;
	const char	*res, *on;
	size_t		 wl = strlen(word);

	cJSON_ArrayForEach(op, json_path(plan, "operations")) {
		res = json_str(op, "resource");
		if (res == NULL || strncmp(res, word, wl) != 0 ||
		    res[wl] != ' ')
			continue;
		if (listener == NULL) {
			if (strcmp(res + wl + 1, name) == 0)
				return 1;
			continue;
		}
		on = strstr(res, " on ");
		if (on != NULL && strcmp(on + 4, listener) == 0 &&
		    strncmp(res + wl + 1, name, strlen(name)) == 0 &&
		    res[wl + 1 + strlen(name)] == ' ')
			return 1;
	}
	return 0;
}

/* Whether the plan says the route drifts. */
static int
ui_plan_drifts(const cJSON *plan)
{
	if (plan == NULL)
		return 0;
	return json_bool(plan, "drift", 0) ||
	    cJSON_GetArraySize(json_path(plan, "operations")) > 0 ||
	    cJSON_GetArraySize(json_path(plan, "problems")) > 0 ||
	    json_str(plan, "conflict") != NULL;
}

/* Mark an item drifting when the plan names it. */
static void
ui_mark_drift(struct ui_item *it, const cJSON *plan, const char *word,
    const char *name, const char *listener)
{
	if (plan != NULL && name != NULL &&
	    ui_plan_names(plan, word, name, listener)) {
		it->state = ui_worst(it->state, UI_STATE_DRIFT);
		it->drift = 1;
	}
}

/* "HTTP /health" for a health check, "off" when disabled. */
static char *
ui_hc_text(const cJSON *hc)
{
	const char	*proto = json_str(hc, "protocol");
	const char	*path = json_str(hc, "path");
	char		*s;

	if (hc == NULL)
		return xstrdup("-");
	if (!json_bool(hc, "enabled", 1))
		return xstrdup("off");
	xasprintf(&s, "%s%s%s", proto != NULL ? proto : "default",
	    path != NULL ? " " : "", path != NULL ? path : "");
	return s;
}

/* "ip:port" of a target. */
static void
ui_target_addr(const cJSON *t, char *buf, size_t len)
{
	const char	*ip = json_str(t, "ip");

	snprintf(buf, len, "%s:%d", ip != NULL ? ip : "?",
	    (int)json_num(t, "port", 0));
}

/* "healthy/total", or "?/total" when no target reports a health. */
static void
ui_counts(char *buf, size_t len, int healthy, int known, int total)
{
	if (known == 0 && total > 0)
		snprintf(buf, len, "?/%d", total);
	else
		snprintf(buf, len, "%d/%d", healthy, total);
}

/* Count a target group's targets into h; returns the TG's health state. */
static enum ui_state
ui_tg_health(const cJSON *tg, struct ui_health *h, int *healthy,
    int *known, int *total)
{
	const cJSON	*t;
	const char	*st, *rc;
	enum ui_state	 s = UI_STATE_NONE;
	char		 addr[64];

	*healthy = *total = *known = 0;
	cJSON_ArrayForEach(t, json_path(tg, "targets")) {
		st = json_str(t, "status");
		(*total)++;
		if (ui_target_state(st) != UI_STATE_NONE)
			(*known)++;
		if (st != NULL && strcmp(st, "HEALTHY") == 0)
			(*healthy)++;
		s = ui_worst(s, ui_target_state(st));
		if (h != NULL && st != NULL && strcmp(st, "UNHEALTHY") == 0) {
			h->unhealthy++;
			if (h->first_bad[0] == '\0') {
				ui_target_addr(t, addr, sizeof addr);
				rc = json_str(t, "reasonCode");
				snprintf(h->first_bad, sizeof h->first_bad,
				    "%s%s%s", addr, rc != NULL ? " " : "",
				    rc != NULL ? rc : "");
			}
		}
	}
	if (h != NULL) {
		h->healthy += *healthy;
		h->total += *total;
		h->known += *known;
	}
	return s;
}

/* One target row below a target group. */
static void
ui_chain_target(struct ui_item *tgi, const cJSON *t)
{
	struct ui_item	*it;
	const char	*st = json_str(t, "status"), *rc;
	char		 addr[64];

	ui_target_addr(t, addr, sizeof addr);
	it = ui_item_add_child(tgi, "Target", "", addr);
	it->state = ui_target_state(st);
	ui_item_set_cell(it, UI_CELL_STATUS, st != NULL ? st : "-");
	rc = json_str(t, "reasonCode");
	ui_item_set_cell(it, UI_CELL_DETAIL, rc != NULL ? rc : "");
	if (rc != NULL && it->state == UI_STATE_ERROR)
		xasprintf(&it->message, "target %s %s: %s", addr,
		    st != NULL ? st : "?", rc);
}

/* One target group row below a rule, with its targets. */
static enum ui_state
ui_chain_tg(struct ui_item *rule, const cJSON *tg, const cJSON *plan,
    struct ui_health *h)
{
	struct ui_item	*it;
	const cJSON	*t;
	const char	*name = json_str(tg, "name"), *st;
	char		*hc, *detail, counts[32];
	int		 ok, known, total;
	enum ui_state	 s;

	if (name == NULL)
		name = json_str(tg, "key") != NULL ? json_str(tg, "key") :
		    json_str(tg, "id") != NULL ? json_str(tg, "id") : "?";
	it = ui_item_add_child(rule, "TargetGroup", "", name);
	st = json_str(tg, "status");
	ui_item_set_cell(it, UI_CELL_STATUS, st != NULL ? st : "-");
	hc = ui_hc_text(json_path(tg, "healthCheck"));
	xasprintf(&detail, "%s:%d w%d hc %s", json_str(tg, "protocol") != NULL ?
	    json_str(tg, "protocol") : "?", (int)json_num(tg, "port", 0),
	    (int)json_num(tg, "weight", 1), hc);
	ui_item_set_cell(it, UI_CELL_DETAIL, detail);
	free(detail);
	free(hc);
	s = ui_worst(ui_status_state(st), ui_tg_health(tg, h, &ok, &known,
	    &total));
	ui_counts(counts, sizeof counts, ok, known, total);
	ui_item_set_cell(it, UI_CELL_HEALTH, counts);
	it->state = s;
	if (s == UI_STATE_ERROR)
		xasprintf(&it->message, "target group %s: %s", name,
		    st != NULL && ui_status_state(st) == UI_STATE_ERROR ? st :
		    "unhealthy targets");
	ui_mark_drift(it, plan, "target group", json_str(tg, "name"), NULL);
	cJSON_ArrayForEach(t, json_path(tg, "targets"))
		ui_chain_target(it, t);
	return it->state;
}

/* One rule row below a listener, with its target groups. */
static enum ui_state
ui_chain_rule(struct ui_item *lsn, const cJSON *rule, const char *lname,
    const cJSON *plan, struct ui_health *h)
{
	struct ui_item	*it;
	const cJSON	*tg;
	const char	*match = json_str(rule, "match");
	char		*label, prio[16];
	enum ui_state	 s = UI_STATE_OK;

	if (json_path(rule, "priority") != NULL)
		snprintf(prio, sizeof prio, "#%d",
		    (int)json_num(rule, "priority", 0));
	else
		snprintf(prio, sizeof prio, "%s", json_str(rule, "name") != NULL ?
		    json_str(rule, "name") : "default");
	xasprintf(&label, "%s %s", prio, match != NULL ? match : "*");
	it = ui_item_add_child(lsn, "Rule", "", label);
	free(label);
	if (json_path(rule, "fixedResponse") != NULL) {
		xasprintf(&label, "fixed %d", (int)json_num(rule,
		    "fixedResponse", 0));
		ui_item_set_cell(it, UI_CELL_DETAIL, label);
		free(label);
	} else {
		xasprintf(&label, "%d target group(s)",
		    cJSON_GetArraySize(json_path(rule, "targetGroups")));
		ui_item_set_cell(it, UI_CELL_DETAIL, label);
		free(label);
	}
	cJSON_ArrayForEach(tg, json_path(rule, "targetGroups"))
		s = ui_worst(s, ui_chain_tg(it, tg, plan, h));
	it->state = s;
	snprintf(prio, sizeof prio, "%d", (int)json_num(rule, "priority", 0));
	if (json_path(rule, "priority") != NULL)
		ui_mark_drift(it, plan, "rule", prio, lname);
	return it->state;
}

/* One listener row below the service, with its rules. */
static enum ui_state
ui_chain_listener(struct ui_item *svc, const cJSON *l, const cJSON *plan,
    struct ui_health *h)
{
	struct ui_item	*it;
	const cJSON	*r;
	const char	*name = json_str(l, "name");
	char		 label[64];
	enum ui_state	 s = UI_STATE_OK;

	snprintf(label, sizeof label, "%s:%d", json_str(l, "protocol") != NULL ?
	    json_str(l, "protocol") : "?", (int)json_num(l, "port", 0));
	it = ui_item_add_child(svc, "Listener", "", label);
	ui_item_set_cell(it, UI_CELL_DETAIL, name != NULL ? name : "");
	cJSON_ArrayForEach(r, json_path(l, "rules"))
		s = ui_worst(s, ui_chain_rule(it, r, name, plan, h));
	it->state = s;
	ui_mark_drift(it, plan, "listener", name, NULL);
	return it->state;
}

/* The service networks the service is associated with, as rows. */
static enum ui_state
ui_chain_sns(struct ui_item *svc, const cJSON *sns)
{
	struct ui_item	*it;
	const cJSON	*sn;
	const char	*a;
	char		*label;
	enum ui_state	 s = UI_STATE_NONE;

	cJSON_ArrayForEach(sn, sns) {
		xasprintf(&label, "sn %s", json_str(sn, "name") != NULL ?
		    json_str(sn, "name") : "?");
		it = ui_item_add_child(svc, "ServiceNetworkAssociation", "",
		    label);
		free(label);
		a = json_str(sn, "association");
		ui_item_set_cell(it, UI_CELL_STATUS, a != NULL ? a : "-");
		ui_item_set_cell(it, UI_CELL_DETAIL, "association");
		it->state = ui_status_state(a);
		s = ui_worst(s, it->state);
	}
	return s;
}

/* The drift summary of a plan: "drift: 2 change(s): op resource (why)". */
static char *
ui_plan_summary(const cJSON *plan)
{
	struct strbuf	 sb = STRBUF_INIT;
	const cJSON	*op = cJSON_GetArrayItem(json_path(plan, "operations"), 0);
	const cJSON	*pr = cJSON_GetArrayItem(json_path(plan, "problems"), 0);

	if (json_str(plan, "conflict") != NULL)
		strbuf_addf(&sb, "conflict: %s", json_str(plan, "conflict"));
	else if (op != NULL)
		strbuf_addf(&sb, "drift: %d change(s): %s %s (%s)",
		    cJSON_GetArraySize(json_path(plan, "operations")),
		    json_str(op, "op") != NULL ? json_str(op, "op") : "?",
		    json_str(op, "resource") != NULL ? json_str(op, "resource") :
		    "?", json_str(op, "reason") != NULL ? json_str(op, "reason") :
		    "");
	else if (cJSON_IsString(pr))
		strbuf_addf(&sb, "problem: %s", pr->valuestring);
	else
		strbuf_adds(&sb, "drift");
	return strbuf_detach(&sb, NULL);
}

/* Replace the route's message (its reason for a worse state). */
static void
ui_route_why(struct ui_item *route, char *msg)
{
	free(route->message);
	route->message = msg;
}

/* Hang the chain below the route row; health counts in its cells. */
void
ui_route_chain(struct ui_item *route, const cJSON *entry, const cJSON *plan)
{
	struct ui_item	*svc;
	struct ui_health h;
	const cJSON	*l, *sv = json_path(entry, "service");
	const char	*st, *dns;
	char		 counts[32], *m;
	enum ui_state	 s, before = route->state;

	memset(&h, 0, sizeof h);
	if (plan != NULL && !ui_plan_drifts(plan))
		plan = NULL;
	if (sv != NULL) {
		svc = ui_item_add_child(route, "Service", "",
		    json_str(sv, "name") != NULL ? json_str(sv, "name") : "?");
		st = json_str(sv, "status");
		dns = json_str(sv, "dnsName");
		ui_item_set_cell(svc, UI_CELL_STATUS, st != NULL ? st : "-");
		ui_item_set_cell(svc, UI_CELL_DETAIL, dns != NULL ? dns : "-");
		s = ui_worst(ui_status_state(st),
		    ui_chain_sns(svc, json_path(entry, "serviceNetworks")));
		cJSON_ArrayForEach(l, json_path(entry, "listeners"))
			s = ui_worst(s, ui_chain_listener(svc, l, plan, &h));
		svc->state = s;
		ui_mark_drift(svc, plan, "service", json_str(sv, "name"), NULL);
		if (dns != NULL && (route->cells[UI_CELL_DETAIL] == NULL ||
		    strcmp(route->cells[UI_CELL_DETAIL], "-") == 0))
			ui_item_set_cell(route, UI_CELL_DETAIL, dns);
		route->state = ui_worst(route->state, svc->state ==
		    UI_STATE_DRIFT ? UI_STATE_OK : svc->state);
	} else if (!json_bool(entry, "accepted", 1) &&
	    json_str(entry, "reason") != NULL && route->message == NULL)
		route->message = xstrdup(json_str(entry, "reason"));
	ui_counts(counts, sizeof counts, h.healthy, h.known, h.total);
	ui_item_set_cell(route, UI_CELL_HEALTH, h.total > 0 ? counts : "-");
	if (plan != NULL) {
		route->drift = 1;
		route->state = ui_worst(route->state, UI_STATE_DRIFT);
		if (before < UI_STATE_DRIFT)
			ui_route_why(route, ui_plan_summary(plan));
	}
	if (h.unhealthy > 0) {
		if (before < UI_STATE_ERROR) {
			xasprintf(&m, "%d of %d targets unhealthy (%s)",
			    h.unhealthy, h.total, h.first_bad);
			ui_route_why(route, m);
		}
		route->state = UI_STATE_ERROR;
	}
}

/* Whether a target group with this key/name was already listed. */
static int
ui_tg_seen(const struct ui_list *l, size_t from, const char *name)
{
	size_t	i;

	for (i = from; i < l->nitems; i++) {
		if (strcmp(l->items[i].name, name) == 0)
			return 1;
	}
	return 0;
}

/* Append one :tg row. */
static void
ui_tg_item(struct ui_list *l, const cJSON *tg, const char *route,
    const char *ns)
{
	struct ui_item	*it;
	const char	*name = json_str(tg, "name"), *st;
	char		*s, counts[32];
	int		 ok, known, total;

	if (name == NULL)
		name = json_str(tg, "key") != NULL ? json_str(tg, "key") : "?";
	it = ui_list_add(l, "TargetGroup", ns, name);
	ui_item_set_cell(it, 0, route);
	xasprintf(&s, "%s:%d", json_str(tg, "protocol") != NULL ?
	    json_str(tg, "protocol") : "?", (int)json_num(tg, "port", 0));
	ui_item_set_cell(it, 1, s);
	free(s);
	s = ui_hc_text(json_path(tg, "healthCheck"));
	ui_item_set_cell(it, 2, s);
	free(s);
	it->state = ui_tg_health(tg, NULL, &ok, &known, &total);
	ui_counts(counts, sizeof counts, ok, known, total);
	ui_item_set_cell(it, 3, counts);
	st = json_str(tg, "status");
	ui_item_set_cell(it, 4, st != NULL ? st : "-");
	it->state = ui_worst(it->state, ui_status_state(st));
	if (it->state == UI_STATE_NONE && total == 0)
		it->state = UI_STATE_OK;
	if (it->state == UI_STATE_ERROR)
		xasprintf(&it->message, "%d of %d targets healthy", ok, total);
}

/* Append one row per distinct target group of a map entry. */
void
ui_tg_items(struct ui_list *l, const cJSON *entry)
{
	const cJSON	*lsn, *rule, *tg;
	const char	*ns = json_str(entry, "namespace"), *name;
	size_t		 from = l->nitems;
	char		*route;

	xasprintf(&route, "%s", json_str(entry, "name") != NULL ?
	    json_str(entry, "name") : "?");
	cJSON_ArrayForEach(lsn, json_path(entry, "listeners")) {
		cJSON_ArrayForEach(rule, json_path(lsn, "rules")) {
			cJSON_ArrayForEach(tg, json_path(rule, "targetGroups")) {
				name = json_str(tg, "name") != NULL ?
				    json_str(tg, "name") : json_str(tg, "key");
				if (name == NULL || ui_tg_seen(l, from, name))
					continue;
				ui_tg_item(l, tg, route, ns);
			}
		}
	}
	free(route);
}
