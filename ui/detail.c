/* The Route detail view's lines (pure): the Kubernetes side (parents and
 * conditions, annotations, backendRefs), the Lattice side (the map
 * entry's chain), the route's events and its plan. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/json.h"
#include "latticectl/strbuf.h"
#include "latticectl/ui.h"
#include "latticectl/xmalloc.h"

/* Append one formatted line. */
static void __attribute__((format(printf, 2, 3)))
ui_dl(struct ui_detail *d, const char *fmt, ...)
{
	struct strbuf	sb = STRBUF_INIT;
	va_list		ap;

	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	d->lines = xreallocarray(d->lines, d->nlines + 1, sizeof *d->lines);
	d->lines[d->nlines++] = strbuf_detach(&sb, NULL);
}

/* A string or a dash. */
static const char *
ui_or(const char *s)
{
	return s != NULL && *s != '\0' ? s : "-";
}

/* Parents and their conditions. */
static void
ui_detail_parents(struct ui_detail *d, const cJSON *route)
{
	const cJSON	*p, *c;
	const char	*sec;

	cJSON_ArrayForEach(p, json_path(route, "spec.parentRefs")) {
		sec = json_str(p, "sectionName");
		ui_dl(d, "  parent %s%s%s", ui_or(json_str(p, "name")),
		    sec != NULL ? " section " : "", sec != NULL ? sec : "");
	}
	cJSON_ArrayForEach(p, json_path(route, "status.parents")) {
		ui_dl(d, "  status from %s (%s)",
		    ui_or(json_path_str(p, "parentRef.name")),
		    ui_or(json_str(p, "controllerName")));
		cJSON_ArrayForEach(c, json_path(p, "conditions"))
			ui_dl(d, "    %s=%s %s%s%s", ui_or(json_str(c, "type")),
			    ui_or(json_str(c, "status")),
			    ui_or(json_str(c, "reason")),
			    json_str(c, "message") != NULL &&
			    *json_str(c, "message") != '\0' ? ": " : "",
			    json_str(c, "message") != NULL ?
			    json_str(c, "message") : "");
	}
}

/* Annotations and the rules' backendRefs. */
static void
ui_detail_spec(struct ui_detail *d, const cJSON *route)
{
	const cJSON	*a, *r, *b;
	int		 i = 0;

	cJSON_ArrayForEach(a, json_path(route, "metadata.annotations")) {
		if (cJSON_IsString(a))
			ui_dl(d, "  annotation %s: %s", a->string,
			    a->valuestring);
	}
	cJSON_ArrayForEach(r, json_path(route, "spec.rules")) {
		i++;
		cJSON_ArrayForEach(b, json_path(r, "backendRefs"))
			ui_dl(d, "  rule %d backend %s%s%s:%d weight %d", i,
			    json_str(b, "kind") != NULL ? json_str(b, "kind") : "",
			    json_str(b, "kind") != NULL ? "/" : "",
			    ui_or(json_str(b, "name")),
			    (int)json_num(b, "port", 0),
			    (int)json_num(b, "weight", 1));
	}
}

/* One target group of a rule with its targets. */
static void
ui_detail_tg(struct ui_detail *d, const cJSON *tg)
{
	const cJSON	*hc = json_path(tg, "healthCheck"), *t;
	const char	*rc;

	ui_dl(d, "        target group %s %s %s:%d weight %d",
	    ui_or(json_str(tg, "name") != NULL ? json_str(tg, "name") :
	    json_str(tg, "key")), ui_or(json_str(tg, "status")),
	    ui_or(json_str(tg, "protocol")), (int)json_num(tg, "port", 0),
	    (int)json_num(tg, "weight", 1));
	if (hc != NULL)
		ui_dl(d, "          health check %s %s %s every %ds",
		    json_bool(hc, "enabled", 1) ? "on" : "off",
		    ui_or(json_str(hc, "protocol")), ui_or(json_str(hc, "path")),
		    (int)json_num(hc, "healthCheckIntervalSeconds", 0));
	cJSON_ArrayForEach(t, json_path(tg, "targets")) {
		rc = json_str(t, "reasonCode");
		ui_dl(d, "          target %s:%d %s%s%s", ui_or(json_str(t, "ip")),
		    (int)json_num(t, "port", 0), ui_or(json_str(t, "status")),
		    rc != NULL ? " " : "", rc != NULL ? rc : "");
	}
}

/* The Lattice side: service, associations, listeners, rules, TGs. */
static void
ui_detail_lattice(struct ui_detail *d, const cJSON *entry)
{
	const cJSON	*sn, *l, *r, *tg;

	if (entry == NULL) {
		ui_dl(d, "  (no mapping yet)");
		return;
	}
	if (!json_bool(entry, "accepted", 1))
		ui_dl(d, "  not accepted: %s", ui_or(json_str(entry, "reason")));
	if (json_path(entry, "service") == NULL) {
		ui_dl(d, "  no Lattice service");
		return;
	}
	ui_dl(d, "  service %s %s", ui_or(json_path_str(entry, "service.name")),
	    ui_or(json_path_str(entry, "service.status")));
	ui_dl(d, "    dns %s", ui_or(json_path_str(entry, "service.dnsName")));
	if (json_path_str(entry, "service.arn") != NULL)
		ui_dl(d, "    arn %s", json_path_str(entry, "service.arn"));
	cJSON_ArrayForEach(sn, json_path(entry, "serviceNetworks"))
		ui_dl(d, "    service network %s: %s", ui_or(json_str(sn, "name")),
		    ui_or(json_str(sn, "association")));
	cJSON_ArrayForEach(l, json_path(entry, "listeners")) {
		ui_dl(d, "    listener %s %s:%d", ui_or(json_str(l, "name")),
		    ui_or(json_str(l, "protocol")), (int)json_num(l, "port", 0));
		cJSON_ArrayForEach(r, json_path(l, "rules")) {
			if (json_path(r, "priority") != NULL)
				ui_dl(d, "      rule %d %s", (int)json_num(r,
				    "priority", 0), ui_or(json_str(r, "match")));
			else
				ui_dl(d, "      rule %s %s", ui_or(json_str(r,
				    "name")), ui_or(json_str(r, "match")));
			if (json_path(r, "fixedResponse") != NULL)
				ui_dl(d, "        fixed response %d",
				    (int)json_num(r, "fixedResponse", 0));
			cJSON_ArrayForEach(tg, json_path(r, "targetGroups"))
				ui_detail_tg(d, tg);
		}
	}
}

/* The route's events, newest last. */
static void
ui_detail_events(struct ui_detail *d, const cJSON *events)
{
	const cJSON	*e;
	int		 n = 0;

	cJSON_ArrayForEach(e, events) {
		n++;
		ui_dl(d, "  %s %s %s (x%d)", ui_or(json_str(e, "type")),
		    ui_or(json_str(e, "reason")), ui_or(json_str(e, "message")),
		    (int)json_num(e, "count", 1));
	}
	if (n == 0)
		ui_dl(d, "  (none)");
}

/* The plan: "in sync" or its operations, problems and conflict. */
static void
ui_detail_plan(struct ui_detail *d, const cJSON *plan)
{
	const cJSON	*op, *p;
	int		 n = 0;

	if (plan != NULL && json_str(plan, "conflict") != NULL) {
		ui_dl(d, "  conflict: %s", json_str(plan, "conflict"));
		n++;
	}
	cJSON_ArrayForEach(p, json_path(plan, "problems")) {
		if (cJSON_IsString(p)) {
			ui_dl(d, "  problem: %s", p->valuestring);
			n++;
		}
	}
	cJSON_ArrayForEach(op, json_path(plan, "operations")) {
		ui_dl(d, "  %s %s: %s", ui_or(json_str(op, "op")),
		    ui_or(json_str(op, "resource")), ui_or(json_str(op, "reason")));
		n++;
	}
	if (n == 0)
		ui_dl(d, "  in sync (nothing to do)");
}

/* Fill d with the detail lines of one route. */
void
ui_route_detail(struct ui_detail *d, const cJSON *route, const cJSON *entry,
    const cJSON *plan, const cJSON *events)
{
	const char	*kind = json_str(route, "kind"), *ns, *name;

	memset(d, 0, sizeof *d);
	if (kind == NULL)
		kind = json_str(entry, "kind") != NULL ? json_str(entry, "kind") :
		    "HTTPRoute";
	ns = json_path_str(route, "metadata.namespace");
	if (ns == NULL)
		ns = json_str(entry, "namespace");
	name = json_path_str(route, "metadata.name");
	if (name == NULL)
		name = json_str(entry, "name");
	xasprintf(&d->key, "%s/%s/%s", kind, ui_or(ns), ui_or(name));
	ui_dl(d, "%s", d->key);
	ui_dl(d, "KUBERNETES");
	if (route == NULL)
		ui_dl(d, "  (object not loaded)");
	else {
		ui_detail_parents(d, route);
		ui_detail_spec(d, route);
	}
	ui_dl(d, "LATTICE");
	ui_detail_lattice(d, entry);
	ui_dl(d, "EVENTS");
	ui_detail_events(d, events);
	ui_dl(d, "PLAN");
	ui_detail_plan(d, plan);
}
