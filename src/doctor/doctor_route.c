/* doctor, per route: the routes and Gateways to check, then Accepted /
 * ResolvedRefs, the Lattice service, its association, listeners and
 * rules and target groups against the engine's plan (the map and plan of
 * a controller loaded once, no informers, no writes). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "latticectl/controller.h"
#include "latticectl/error.h"
#include "latticectl/json.h"
#include "latticectl/kutil.h"
#include "latticectl/strbuf.h"
#include "latticectl/upstream.h"
#include "latticectl/xmalloc.h"

#include "doctor_int.h"

static const struct kube_resource *const doc_route_res[] = {
	&KUBE_RES_HTTPROUTES, &KUBE_RES_GRPCROUTES, &KUBE_RES_TLSROUTES
};

/* The names of the GatewayClasses of our controllerName. */
static cJSON *
doc_our_classes(struct doc *d)
{
	cJSON		*items = NULL, *names = cJSON_CreateArray();
	const cJSON	*gc;
	char		*cause = NULL;
	const char	*cn;

	if (doc_klist(d, &KUBE_RES_GATEWAYCLASSES, NULL, NULL, &items,
	    &cause) == 0) {
		cJSON_ArrayForEach(gc, items) {
			cn = json_path_str(gc, "spec.controllerName");
			if (cn != NULL && strcmp(cn, UP_CONTROLLER_NAME) == 0)
				cJSON_AddItemToArray(names, cJSON_CreateString(
				    json_path_str(gc, "metadata.name")));
		}
	}
	free(cause);
	cJSON_Delete(items);
	return names;
}

/* Does a route's parentRef point at Gateway gw? */
static int
doc_parent_is(const cJSON *route, const cJSON *ref, const cJSON *gw)
{
	const char	*ns = json_str(ref, "namespace");
	const char	*kind = json_str(ref, "kind");

	if (ns == NULL)
		ns = json_path_str(route, "metadata.namespace");
	return (kind == NULL || strcmp(kind, "Gateway") == 0) &&
	    json_str(ref, "name") != NULL && strcmp(json_str(ref, "name"),
	    json_path_str(gw, "metadata.name")) == 0 && ns != NULL &&
	    strcmp(ns, json_path_str(gw, "metadata.namespace")) == 0;
}

/* Does the route have a parent among gws? */
static int
doc_route_ours(const cJSON *route, const cJSON *gws)
{
	const cJSON	*ref, *gw;

	cJSON_ArrayForEach(ref, json_path(route, "spec.parentRefs")) {
		cJSON_ArrayForEach(gw, gws) {
			if (doc_parent_is(route, ref, gw))
				return 1;
		}
	}
	return 0;
}

/* Keep only the Gateways the route names (route given). */
static void
doc_gateways_of(cJSON *gws, const cJSON *route)
{
	cJSON		*gw, *next;
	const cJSON	*ref;
	int		 keep;

	for (gw = gws->child; gw != NULL; gw = next) {
		next = gw->next;
		keep = 0;
		cJSON_ArrayForEach(ref, json_path(route, "spec.parentRefs"))
			keep |= doc_parent_is(route, ref, gw);
		if (!keep)
			cJSON_Delete(cJSON_DetachItemViaPointer(gws, gw));
	}
}

/* The Gateways of our classes. */
static int
doc_load_gateways(struct doc *d, char **cause)
{
	cJSON	*classes = doc_our_classes(d), *items = NULL, *gw, *next;
	int	 rc;

	rc = doc_klist(d, &KUBE_RES_GATEWAYS, NULL, NULL, &items, cause);
	if (rc < 0) {
		cJSON_Delete(classes);
		return -1;
	}
	d->gateways = cJSON_CreateArray();
	for (gw = items != NULL ? items->child : NULL; gw != NULL; gw = next) {
		next = gw->next;
		if (doc_str_in(classes, json_path_str(gw,
		    "spec.gatewayClassName")))
			cJSON_AddItemToArray(d->gateways,
			    cJSON_DetachItemViaPointer(items, gw));
	}
	cJSON_Delete(items);
	cJSON_Delete(classes);
	return 0;
}

/* The route named by the options ("name" or "Kind/name"). */
static int
doc_load_one(struct doc *d, char **cause)
{
	const char	*arg = d->o->route, *slash = strchr(arg, '/');
	const char	*name = slash != NULL ? slash + 1 : arg;
	const char	*ns = d->o->ns != NULL ? d->o->ns : "default";
	cJSON		*o = NULL;
	size_t		 i, klen = slash != NULL ? (size_t)(slash - arg) : 0;
	int		 rc;

	for (i = 0; i < 3 && o == NULL; i++) {
		if (slash != NULL && (klen != strlen(doc_route_res[i]->kind) ||
		    strncasecmp(arg, doc_route_res[i]->kind, klen) != 0))
			continue;
		if ((rc = doc_kget(d, doc_route_res[i], ns, name, &o,
		    cause)) < 0)
			return -1;
		if (rc == 0) {
			xasprintf(&d->target, "%s/%s/%s",
			    doc_route_res[i]->kind, ns, name);
			if (json_str(o, "kind") == NULL)
				cJSON_AddStringToObject(o, "kind",
				    doc_route_res[i]->kind);
		}
	}
	if (o == NULL)
		return error_set(cause, "route %s not found in namespace %s",
		    arg, ns);
	d->routes = cJSON_CreateArray();
	cJSON_AddItemToArray(d->routes, o);
	doc_gateways_of(d->gateways, o);
	return 0;
}

/* Every route with a parent among our Gateways. */
static int
doc_load_routes(struct doc *d, char **cause)
{
	cJSON	*items, *r, *next;
	size_t	 i;

	d->routes = cJSON_CreateArray();
	for (i = 0; i < 3; i++) {
		if (doc_klist(d, doc_route_res[i], d->o->ns, NULL, &items,
		    cause) < 0)
			return -1;
		for (r = items != NULL ? items->child : NULL; r != NULL;
		    r = next) {
			next = r->next;
			if (!doc_route_ours(r, d->gateways))
				continue;
			if (json_str(r, "kind") == NULL)
				cJSON_AddStringToObject(r, "kind",
				    doc_route_res[i]->kind);
			cJSON_AddItemToArray(d->routes,
			    cJSON_DetachItemViaPointer(items, r));
		}
		cJSON_Delete(items);
	}
	return 0;
}

/* route.accepted: Accepted and ResolvedRefs on each of our parents. */
static void
doc_check_accepted(struct doc *d, const char *subj, const cJSON *r)
{
	const char	*t = "The route is Accepted with its references "
	    "resolved";
	static const char *const types[] = { "Accepted", "ResolvedRefs" };
	const cJSON	*p, *c, *gw;
	struct strbuf	 sb;
	char		*fix;
	int		 bad = 0, n = 0, i;

	strbuf_init(&sb);
	cJSON_ArrayForEach(p, json_path(r, "status.parents")) {
		cJSON_ArrayForEach(gw, d->gateways) {
			if (!doc_parent_is(r, json_path(p, "parentRef"), gw))
				continue;
			n++;
			strbuf_addf(&sb, "%s%s:", sb.len > 0 ? "\n" : "",
			    json_path_str(gw, "metadata.name"));
			for (i = 0; i < 2; i++) {
				c = kube_conditions_find(json_path(p,
				    "conditions"), types[i]);
				bad |= c == NULL || json_str(c, "status") ==
				    NULL || strcmp(json_str(c, "status"),
				    "True") != 0;
				strbuf_addf(&sb, " %s=%s (%s)%s%s", types[i],
				    c != NULL && json_str(c, "status") != NULL ?
				    json_str(c, "status") : "?",
				    c != NULL && json_str(c, "reason") ?
				    json_str(c, "reason") : "no condition",
				    c != NULL && json_str(c, "status") != NULL &&
				    strcmp(json_str(c, "status"), "True") != 0 &&
				    json_str(c, "message") != NULL ? ": " : "",
				    c != NULL && json_str(c, "status") != NULL &&
				    strcmp(json_str(c, "status"), "True") != 0 &&
				    json_str(c, "message") != NULL ?
				    json_str(c, "message") : "");
			}
		}
	}
	xasprintf(&fix, "kubectl -n %s describe %s %s", json_path_str(r,
	    "metadata.namespace"), json_str(r, "kind"), json_path_str(r,
	    "metadata.name"));
	if (n == 0)
		doc_add(d, "route.accepted", subj, DOCTOR_FAIL, t, "no status "
		    "from the Lattice controller for this route's Gateways "
		    "(not reconciled yet: is the controller running?)", fix);
	else
		doc_add(d, "route.accepted", subj, bad ? DOCTOR_FAIL : DOCTOR_OK,
		    t, sb.buf, fix);
	free(fix);
	strbuf_free(&sb);
}

/* Is a plan operation of one of families? A word matches the operation
 * name ("create-rule"); a "wait" operation belongs to the family its
 * resource starts with ("association a -> b"). */
static int
doc_op_in(const char *op, const char *res, const char *const *families)
{
	size_t	i, n;

	for (i = 0; op != NULL && families[i] != NULL; i++) {
		n = strlen(families[i]);
		if (strcmp(op, "wait") != 0 ? strstr(op, families[i]) != NULL :
		    res != NULL && strncmp(res, families[i], n) == 0 &&
		    res[n] == ' ')
			return 1;
	}
	return 0;
}

/* The plan's operations on families as "op resource (reason)" lines in
 * *ops (caller frees); DOCTOR_OK with none, DOCTOR_WARN when they only
 * wait on a transition (progressing, not drift), else DOCTOR_FAIL. */
enum doctor_status
doc_plan_status(const cJSON *plan, const char *const *families, char **ops)
{
	const cJSON	*op;
	struct strbuf	 sb;
	const char	*o, *res;
	int		 waits = 0, other = 0;

	strbuf_init(&sb);
	cJSON_ArrayForEach(op, json_path(plan, "operations")) {
		o = json_str(op, "op");
		res = json_str(op, "resource");
		if (!doc_op_in(o, res, families))
			continue;
		if (strcmp(o, "wait") == 0)
			waits++;
		else
			other++;
		strbuf_addf(&sb, "%s%s %s (%s)", sb.len > 0 ? "\n" : "", o,
		    res != NULL ? res : "?", json_str(op, "reason") != NULL ?
		    json_str(op, "reason") : "");
	}
	strbuf_addc(&sb, '\0');
	*ops = strbuf_detach(&sb, NULL);
	if (other > 0)
		return DOCTOR_FAIL;
	return waits > 0 ? DOCTOR_WARN : DOCTOR_OK;
}

/* A Lattice status still in transition after a create or update? */
static int
doc_progressing(const char *status)
{
	return status != NULL && (strcmp(status, "CREATE_IN_PROGRESS") == 0 ||
	    strcmp(status, "UPDATE_IN_PROGRESS") == 0);
}

/* route.service */
static void
doc_check_service(struct doc *d, const char *subj, const cJSON *m,
    const cJSON *plan)
{
	static const char *const fam[] = { "service", NULL };
	const char	*t = "The Lattice service exists and has a DNS name";
	const cJSON	*s = json_path(m, "service");
	char		*ops = NULL;
	int		 st_plan = doc_plan_status(plan, fam, &ops), st;
	const char	*ss = json_str(s, "status");

	if (json_str(plan, "conflict") != NULL)
		doc_addf(d, "route.service", subj, DOCTOR_FAIL, t, "kubectl "
		    "annotate ROUTE application-networking.k8s.aws/allow-"
		    "takeover-from=OWNER", "%s", json_str(plan, "conflict"));
	else if (s == NULL || ss == NULL || strcmp(ss, "MISSING") == 0)
		doc_addf(d, "route.service", subj, DOCTOR_FAIL, t,
		    "latticectl plan\nlatticectl controller --once", "no "
		    "Lattice service %s: the controller has not created it (or "
		    "it was deleted out of band)", json_str(s, "name") != NULL ?
		    json_str(s, "name") : "");
	else if (strcmp(ss, "ACTIVE") != 0 || *ops != '\0') {
		/* a transition the engine waits for is progressing */
		st = st_plan == DOCTOR_FAIL || (strcmp(ss, "ACTIVE") != 0 &&
		    !doc_progressing(ss) && st_plan != DOCTOR_WARN) ?
		    DOCTOR_FAIL : DOCTOR_WARN;
		doc_addf(d, "route.service", subj, st, t,
		    "latticectl plan\nlatticectl controller --once", "%s (%s) "
		    "is %s%s%s%s", json_str(s, "name"), json_str(s, "id"), ss,
		    st == DOCTOR_WARN ? " (progressing)" : "", *ops != '\0' ?
		    "; plan: " : "", ops);
	} else
		doc_addf(d, "route.service", subj, DOCTOR_OK, t, NULL,
		    "%s (%s) ACTIVE, DNS %s", json_str(s, "name"), json_str(s,
		    "id"), json_str(s, "dnsName") != NULL ? json_str(s,
		    "dnsName") : "none");
	free(ops);
}

/* Is the route's Lattice service missing (the checks that hang off it
 * are then skipped: doctor names the service only)? */
static int
doc_service_missing(const cJSON *m, const cJSON *plan)
{
	const char	*st = json_path_str(m, "service.status");

	return json_str(plan, "conflict") == NULL && (st == NULL ||
	    strcmp(st, "MISSING") == 0);
}

/* Add a check compared with the plan: SKIP with why (when not NULL),
 * else FAIL (bad) or OK with the evidence. */
static void
doc_add_planned(struct doc *d, const char *id, const char *subj,
    const char *t, const char *why, int bad, const char *evidence)
{
	if (why != NULL)
		doc_add(d, id, subj, DOCTOR_SKIP, t, why, NULL);
	else
		doc_add(d, id, subj, bad ? DOCTOR_FAIL : DOCTOR_OK, t,
		    evidence, "latticectl plan\nlatticectl controller --once");
}

/* route.sn-association */
static void
doc_check_assoc(struct doc *d, const char *subj, const cJSON *m,
    const cJSON *plan)
{
	static const char *const fam[] = { "association", NULL };
	const char	*t = "The service is associated with the service "
	    "network";
	const cJSON	*sn;
	struct strbuf	 sb;
	char		*ops = NULL;
	const char	*a;
	int		 st = doc_plan_status(plan, fam, &ops), n = 0;

	strbuf_init(&sb);
	cJSON_ArrayForEach(sn, json_path(m, "serviceNetworks")) {
		a = json_str(sn, "association");
		n++;
		if (doc_progressing(a) && st == DOCTOR_OK)
			st = DOCTOR_WARN;
		else if (a == NULL || (strcmp(a, "ACTIVE") != 0 &&
		    !doc_progressing(a)))
			st = DOCTOR_FAIL;
		strbuf_addf(&sb, "%s%s: %s", sb.len > 0 ? ", " : "",
		    json_str(sn, "name"), a != NULL ? a : "?");
	}
	if (st == DOCTOR_WARN)
		strbuf_adds(&sb, " (progressing)");
	if (*ops != '\0')
		strbuf_addf(&sb, "; plan: %s", ops);
	if (n == 0 || doc_service_missing(m, plan))
		doc_add(d, "route.sn-association", subj, DOCTOR_SKIP, t, n == 0 ?
		    "no service network for this route" : "no Lattice service "
		    "(see route.service)", NULL);
	else
		doc_add(d, "route.sn-association", subj, st, t, sb.buf, st ==
		    DOCTOR_OK ? NULL : "latticectl plan\nlatticectl controller "
		    "--once");
	strbuf_free(&sb);
	free(ops);
}

/* route.rules: listeners and rules against the plan. "wait" operations
 * are not about listeners or rules (route.service and
 * route.sn-association report them as progressing). */
static void
doc_check_rules(struct doc *d, const char *subj, const cJSON *m,
    const cJSON *plan)
{
	static const char *const fam[] = { "listener", "rule", NULL };
	const char	*t = "Listeners and rules match the route";
	const cJSON	*l, *p;
	struct strbuf	 sb;
	char		*ops = NULL;
	int		 nl = 0, nr = 0;

	if (doc_service_missing(m, plan)) {
		doc_add(d, "route.rules", subj, DOCTOR_SKIP, t, "no Lattice "
		    "service (see route.service)", NULL);
		return;
	}
	(void)doc_plan_status(plan, fam, &ops);
	strbuf_init(&sb);
	cJSON_ArrayForEach(l, json_path(m, "listeners")) {
		nl++;
		nr += cJSON_GetArraySize(json_path(l, "rules"));
	}
	strbuf_adds(&sb, ops);
	cJSON_ArrayForEach(p, json_path(plan, "problems"))
		strbuf_addf(&sb, "%s%s", sb.len > 0 ? "\n" : "",
		    p->valuestring);
	if (sb.len > 0)
		doc_addf(d, "route.rules", subj, DOCTOR_FAIL, t,
		    "latticectl plan\nlatticectl controller --once",
		    "drift from the plan:\n%s", sb.buf);
	else if (nl == 0)
		doc_add(d, "route.rules", subj, DOCTOR_FAIL, t, "the Lattice "
		    "service has no listener", "latticectl plan");
	else
		doc_addf(d, "route.rules", subj, DOCTOR_OK, t, NULL, "%d "
		    "listener%s, %d rule%s as planned", nl, nl == 1 ? "" : "s",
		    nr, nr == 1 ? "" : "s");
	strbuf_free(&sb);
	free(ops);
}

/* route.target-groups: status, protocol and health check settings. */
static void
doc_check_tgs(struct doc *d, const char *subj, const cJSON *m,
    const cJSON *plan)
{
	static const char *const fam[] = { "target-group", NULL };
	const char	*t = "Target groups: protocol and health check";
	const cJSON	*l, *r, *tg, *hc;
	struct strbuf	 sb;
	char		*ops = NULL;
	int		 bad, n = 0;

	bad = doc_plan_status(plan, fam, &ops) != DOCTOR_OK;

	strbuf_init(&sb);
	cJSON_ArrayForEach(l, json_path(m, "listeners"))
	cJSON_ArrayForEach(r, json_path(l, "rules"))
	cJSON_ArrayForEach(tg, json_path(r, "targetGroups")) {
		n++;
		hc = json_path(tg, "healthCheck");
		bad |= json_str(tg, "status") == NULL ||
		    strcmp(json_str(tg, "status"), "ACTIVE") != 0;
		strbuf_addf(&sb, "%s%s %s %s/%s port %d, health check ",
		    sb.len > 0 ? "\n" : "", json_str(tg, "name") != NULL ?
		    json_str(tg, "name") : json_str(tg, "id"),
		    json_str(tg, "status") != NULL ? json_str(tg, "status") :
		    "?", json_str(tg, "protocol") != NULL ? json_str(tg,
		    "protocol") : "?", json_str(tg, "protocolVersion") != NULL ?
		    json_str(tg, "protocolVersion") : "-",
		    (int)json_num(tg, "port", 0));
		if (hc == NULL || !json_bool(hc, "enabled", 0))
			strbuf_adds(&sb, "off");
		else
			strbuf_addf(&sb, "%s %s every %ds, matcher %s%s",
			    json_str(hc, "protocol") != NULL ? json_str(hc,
			    "protocol") : "HTTP", json_str(hc, "path") != NULL ?
			    json_str(hc, "path") : "/", (int)json_num(hc,
			    "healthCheckIntervalSeconds", 30),
			    json_path_str(hc, "matcher.httpCode") != NULL ?
			    json_path_str(hc, "matcher.httpCode") : "200",
			    json_num(hc, "port", 0) > 0 ? ", own port" : "");
	}
	if (*ops != '\0')
		strbuf_addf(&sb, "%sdrift: %s", sb.len > 0 ? "\n" : "", ops);
	doc_add_planned(d, "route.target-groups", subj, t, n == 0 && !bad ?
	    "no target group (fixed responses only)" : NULL, bad, sb.buf);
	strbuf_free(&sb);
	free(ops);
}

/* The map entry of a route, or NULL. */
static const cJSON *
doc_map_find(const cJSON *map, const cJSON *r)
{
	const cJSON	*m;

	cJSON_ArrayForEach(m, map) {
		if (strcmp(json_str(m, "kind"), json_str(r, "kind")) == 0 &&
		    strcmp(json_str(m, "namespace"), json_path_str(r,
		    "metadata.namespace")) == 0 && strcmp(json_str(m, "name"),
		    json_path_str(r, "metadata.name")) == 0)
			return m;
	}
	return NULL;
}

/* The plan of a route ("HTTPRoute ns/name"), or NULL when in sync. */
static const cJSON *
doc_plan_find(const cJSON *plans, const cJSON *r)
{
	const cJSON	*p;
	char		*owner;

	xasprintf(&owner, "%s %s/%s", json_str(r, "kind"), json_path_str(r,
	    "metadata.namespace"), json_path_str(r, "metadata.name"));
	cJSON_ArrayForEach(p, json_path(plans, "plans")) {
		if (json_str(p, "owner") != NULL && strcmp(json_str(p, "owner"),
		    owner) == 0)
			break;
	}
	free(owner);
	return p;
}

/* The engine's map and plan (no writes). */
static struct controller *
doc_engine(struct doc *d, cJSON **map, cJSON **plans, char **cause)
{
	struct controller_config	 cfg;
	struct controller		*c;
	char				*why = NULL;
	const char			*ns = d->o->ns;

	if (ns == NULL && d->o->route != NULL)
		ns = "default";
	memset(&cfg, 0, sizeof(cfg));
	cfg.account_id = d->account;
	cfg.cluster_name = d->cluster;
	cfg.vpc_id = d->vpc_id;
	cfg.no_events = 1;
	cfg.dry_run = 1;
	if (controller_config_env(&cfg, &why) != 0)
		free(why);
	if ((c = controller_new(d->kc, d->aws, &cfg, cause)) == NULL)
		return NULL;
	if (controller_load(c, ns, cause) != 0 ||
	    controller_map(c, ns, d->o->route, map, cause) != 0 ||
	    controller_plan(c, ns, plans, NULL, cause) < 0) {
		cJSON_Delete(*map);
		*map = NULL;
		controller_free(c);
		return NULL;
	}
	return c;
}

/* Every check of one route. */
static void
doc_route(struct doc *d, const cJSON *r, const cJSON *map,
    const cJSON *plans, const char *engine_err)
{
	const cJSON	*m = doc_map_find(map, r), *plan;
	static const char *const ids[] = { "route.service",
	    "route.sn-association", "route.rules", "route.target-groups",
	    "route.targets", "route.target-port", "route.target-health",
	    "route.quotas" };
	char		*subj;
	size_t		 i;

	xasprintf(&subj, "%s/%s/%s", json_str(r, "kind"), json_path_str(r,
	    "metadata.namespace"), json_path_str(r, "metadata.name"));
	doc_check_accepted(d, subj, r);
	if (m == NULL) {
		for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++)
			doc_add(d, ids[i], subj, DOCTOR_SKIP, ids[i],
			    engine_err != NULL ? engine_err : "the engine "
			    "does not map this route", NULL);
		free(subj);
		return;
	}
	plan = doc_plan_find(plans, r);
	doc_check_service(d, subj, m, plan);
	doc_check_assoc(d, subj, m, plan);
	doc_check_rules(d, subj, m, plan);
	doc_check_tgs(d, subj, m, plan);
	doc_route_targets(d, subj, r, m);
	doc_route_health(d, subj, m);
	doc_route_quotas(d, subj, m);
	free(subj);
}

/* Load the routes and Gateways, run the network checks, then the
 * per-route ones. -1: the route is not found or the API fails. */
int
doc_routes(struct doc *d, char **cause)
{
	struct controller	*c = NULL;
	cJSON			*map = NULL, *plans = NULL;
	const cJSON		*r;
	char			*why = NULL;

	if (doc_load_gateways(d, cause) != 0 ||
	    (d->o->route != NULL ? doc_load_one(d, cause) :
	    doc_load_routes(d, cause)) != 0)
		return -1;
	doc_network(d);
	if (d->cluster == NULL || d->vpc_id == NULL)
		why = xstrdup("the cluster name or VPC is unknown");
	else if ((c = doc_engine(d, &map, &plans, &why)) == NULL)
		error_wrap(&why, "the engine could not load");
	if (cJSON_GetArraySize(d->routes) == 0)
		doc_add(d, "route.accepted", "routes", DOCTOR_SKIP, "Routes",
		    "no route attached to a Lattice Gateway", NULL);
	cJSON_ArrayForEach(r, d->routes)
		doc_route(d, r, map, plans, why);
	free(why);
	cJSON_Delete(map);
	cJSON_Delete(plans);
	controller_free(c);
	return 0;
}
