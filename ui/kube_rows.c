/* Kubernetes objects (Gateway API kinds) to UI items: pure functions. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/json.h"
#include "latticectl/strbuf.h"
#include "latticectl/timeutil.h"
#include "latticectl/ui.h"
#include "latticectl/xmalloc.h"

#define UI_DNS_ANNOTATION \
	"application-networking.k8s.aws/lattice-assigned-domain-name"

const char *const ui_route_columns[] = {
	"PARENTS", "STATUS", "LATTICE", "HEALTH", NULL
};
const char *const ui_gateway_columns[] = {
	"CLASS", "ACCEPTED", "PROGRAMMED", "LISTENERS", NULL
};

/* kubectl's HumanDuration, shortened to two units. */
void
ui_age(long secs, char *buf, size_t len)
{
	long	m = secs / 60, h = secs / 3600, d = h / 24;

	if (secs < 0)
		secs = 0;
	if (secs < 120)
		snprintf(buf, len, "%lds", secs);
	else if (m < 10)
		snprintf(buf, len, secs % 60 ? "%ldm%lds" : "%ldm", m, secs % 60);
	else if (m < 180)
		snprintf(buf, len, "%ldm", m);
	else if (h < 8)
		snprintf(buf, len, m % 60 ? "%ldh%ldm" : "%ldh", h, m % 60);
	else if (h < 48)
		snprintf(buf, len, "%ldh", h);
	else if (h < 24 * 8)
		snprintf(buf, len, h % 24 ? "%ldd%ldh" : "%ldd", d, h % 24);
	else
		snprintf(buf, len, "%ldd", d);
}

/* The status of condition type in conds: "True", "False" or NULL. */
static const char *
ui_cond_status(const cJSON *conds, const char *type)
{
	const cJSON	*c;
	const char	*t;

	cJSON_ArrayForEach(c, conds) {
		t = json_str(c, "type");
		if (t != NULL && strcmp(t, type) == 0)
			return json_str(c, "status");
	}
	return NULL;
}

/* In sync when every condition is True, error when one is False (its
 * reason and message go to *why), else progressing. */
enum ui_state
ui_state_from_conditions(const cJSON *conds, char **why)
{
	const cJSON	*c;
	const char	*st, *reason, *msg;
	int		 n = 0, unknown = 0;

	if (why != NULL)
		*why = NULL;
	cJSON_ArrayForEach(c, conds) {
		st = json_str(c, "status");
		n++;
		if (st != NULL && strcmp(st, "False") == 0) {
			reason = json_str(c, "reason");
			msg = json_str(c, "message");
			if (why != NULL)
				xasprintf(why, "%s: %s", reason != NULL ?
				    reason : json_str(c, "type") != NULL ?
				    json_str(c, "type") : "?",
				    msg != NULL ? msg : "");
			return UI_STATE_ERROR;
		}
		if (st == NULL || strcmp(st, "True") != 0)
			unknown++;
	}
	if (n == 0 || unknown > 0) {
		if (why != NULL)
			*why = xstrdup(n == 0 ? "waiting for the controller" :
			    "conditions unknown");
		return UI_STATE_PROGRESSING;
	}
	return UI_STATE_OK;
}

/* Creation time of an object, 0 unknown. */
static time_t
ui_created(const cJSON *obj)
{
	struct timespec	 t;
	const char	*ts = json_path_str(obj, "metadata.creationTimestamp");

	if (ts == NULL || time_parse(ts, &t) != 0)
		return 0;
	return t.tv_sec;
}

/* Worst of two states (error > drift > progressing > ok > none). */
static enum ui_state
ui_state_worst(enum ui_state a, enum ui_state b)
{
	return a > b ? a : b;
}

/* The combined status of one condition type over all route parents. */
static const char *
ui_route_cond(const cJSON *parents, const char *type)
{
	const cJSON	*p;
	const char	*s, *out = NULL;

	cJSON_ArrayForEach(p, parents) {
		s = ui_cond_status(json_path(p, "conditions"), type);
		if (s == NULL)
			continue;
		if (strcmp(s, "True") != 0)
			return s;
		out = s;
	}
	return out != NULL ? out : "-";
}

/* "a,b" of the parentRefs' names. */
static char *
ui_route_parents(const cJSON *obj)
{
	struct strbuf	 sb = STRBUF_INIT;
	const cJSON	*p;
	const char	*n;

	cJSON_ArrayForEach(p, json_path(obj, "spec.parentRefs")) {
		if ((n = json_str(p, "name")) == NULL)
			continue;
		if (sb.len > 0)
			strbuf_addc(&sb, ',');
		strbuf_adds(&sb, n);
	}
	if (sb.len == 0)
		strbuf_adds(&sb, "-");
	return strbuf_detach(&sb, NULL);
}

/* One word for Accepted and ResolvedRefs over all parents: Accepted
 * (both True), NotAccepted, Unresolved, Pending (unknown) or "-". */
static const char *
ui_route_status(const cJSON *parents)
{
	const char	*acc = ui_route_cond(parents, "Accepted");
	const char	*res = ui_route_cond(parents, "ResolvedRefs");

	if (strcmp(acc, "False") == 0)
		return "NotAccepted";
	if (strcmp(res, "False") == 0)
		return "Unresolved";
	if (strcmp(acc, "True") == 0 && strcmp(res, "True") == 0)
		return "Accepted";
	if (strcmp(acc, "-") == 0 && strcmp(res, "-") == 0)
		return "-";
	return "Pending";
}

/* Append a route row: parents, status, Lattice DNS, health. */
struct ui_item *
ui_route_item(struct ui_list *l, const cJSON *obj)
{
	struct ui_item	*it;
	const cJSON	*parents = json_path(obj, "status.parents"), *p;
	const char	*dns;
	char		*s, *why;
	enum ui_state	 st = UI_STATE_NONE, one;

	it = ui_list_add(l, json_str(obj, "kind"),
	    json_path_str(obj, "metadata.namespace"),
	    json_path_str(obj, "metadata.name"));
	s = ui_route_parents(obj);
	ui_item_set_cell(it, 0, s);
	free(s);
	ui_item_set_cell(it, 1, ui_route_status(parents));
	dns = json_str(json_path(obj, "metadata.annotations"),
	    UI_DNS_ANNOTATION);
	ui_item_set_cell(it, 2, dns != NULL && *dns != '\0' ? dns : "-");
	ui_item_set_cell(it, 3, "-");
	cJSON_ArrayForEach(p, parents) {
		one = ui_state_from_conditions(json_path(p, "conditions"), &why);
		if (one > st) {
			free(it->message);
			it->message = why;
		} else
			free(why);
		st = ui_state_worst(st, one);
	}
	if (st == UI_STATE_NONE) {
		st = UI_STATE_PROGRESSING;
		it->message = xstrdup("not yet accepted by a controller");
	}
	it->state = st;
	it->created = ui_created(obj);
	return it;
}

/* Append a gateway row: class, Accepted, Programmed, listener count. */
struct ui_item *
ui_gateway_item(struct ui_list *l, const cJSON *obj)
{
	struct ui_item	*it;
	const cJSON	*conds = json_path(obj, "status.conditions");
	const char	*s;
	char		 buf[16];

	it = ui_list_add(l, json_str(obj, "kind"),
	    json_path_str(obj, "metadata.namespace"),
	    json_path_str(obj, "metadata.name"));
	s = json_path_str(obj, "spec.gatewayClassName");
	ui_item_set_cell(it, 0, s != NULL ? s : "-");
	s = ui_cond_status(conds, "Accepted");
	ui_item_set_cell(it, 1, s != NULL ? s : "-");
	s = ui_cond_status(conds, "Programmed");
	ui_item_set_cell(it, 2, s != NULL ? s : "-");
	snprintf(buf, sizeof buf, "%d",
	    cJSON_GetArraySize(json_path(obj, "spec.listeners")));
	ui_item_set_cell(it, 3, buf);
	it->state = ui_state_from_conditions(conds, &it->message);
	it->created = ui_created(obj);
	return it;
}
