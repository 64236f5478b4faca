/* plan and map: the store filled by one list per kind, every route (and
 * ServiceExport) built and diffed against the mirror; nothing written. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define LOG_MODULE "controller"
#include "latticectl/error.h"
#include "latticectl/json.h"
#include "latticectl/log.h"
#include "latticectl/xmalloc.h"

#include "controller_int.h"

/* One source to diff or map. */
struct pitem {
	char			*label;		/* "HTTPRoute default/rates" */
	enum gw_route_kind	 rk;		/* GW_ROUTE_ANY: an export */
	char			*ns;
	char			*name;
	struct lm_stack		*stack;
	int			 deleting;	/* plan its removal */
	int			 accepted;	/* map: a parent accepts it */
	char			*reason;	/* map: why not */
};

struct pitems {
	struct pitem	*v;
	size_t		 n;
	size_t		 cap;
};

/* Append an item (strings copied; stack taken). */
static struct pitem *
pitems_add(struct pitems *l, enum gw_route_kind rk, const char *ns,
    const char *name, struct lm_stack *st, int deleting)
{
	struct pitem	*it;

	if (l->n == l->cap) {
		l->cap = l->cap == 0 ? 16 : l->cap * 2;
		l->v = xreallocarray(l->v, l->cap, sizeof(*l->v));
	}
	it = &l->v[l->n++];
	memset(it, 0, sizeof(*it));
	it->rk = rk;
	it->ns = xstrdup(ns);
	it->name = xstrdup(name);
	it->stack = st;
	it->deleting = deleting;
	xasprintf(&it->label, "%s %s/%s", rk == GW_ROUTE_ANY ?
	    UP_KIND_SERVICEEXPORT : gw_route_kind_name(rk), ns, name);
	return it;
}

/* Free the list. */
static void
pitems_free(struct pitems *l)
{
	size_t	i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].label);
		free(l->v[i].ns);
		free(l->v[i].name);
		free(l->v[i].reason);
		lm_stack_free(l->v[i].stack);
	}
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/* List one kind into the store. */
static int
ctl_load_kind(struct controller *c, enum cs_kind k, const char *ns,
    char **cause)
{
	struct kube_error	 e;
	cJSON			*items = NULL;
	const cJSON		*it;
	char			*why = NULL;

	memset(&e, 0, sizeof(e));
	if (kube_list_all(c->kc, &c->res[k], c->res[k].namespaced ? ns : NULL,
	    NULL, &items, NULL, &e) != 0) {
		why = kube_error_string(&e);
		error_set(cause, "listing %s: %s", c->res[k].resource, why);
		free(why);
		kube_error_clear(&e);
		return -1;
	}
	cJSON_ArrayForEach(it, items) {
		if (cs_put(c->store, k, it, &why) != 0) {
			log_warn("%s", why);
			free(why);
			why = NULL;
		}
	}
	cJSON_Delete(items);
	return 0;
}

/* Fill the store with one list per kind and load the mirror. */
int
controller_load(struct controller *c, const char *ns, char **cause)
{
	size_t	k;

	if (ctl_resolve(c, cause) != 0)
		return -1;
	for (k = 0; k < CS_KIND_MAX; k++) {
		if (c->served[k] && ctl_load_kind(c, (enum cs_kind)k, ns,
		    cause) != 0)
			return -1;
	}
	if (mirror_load(c->mirror, cause) != 0)
		return error_wrap(cause, "loading the Lattice state");
	c->mirror_ok = 1;
	return 0;
}

/* The first reason a parent of ours does not accept the route. */
static const struct lm_parent_status *
ctl_first_rejection(const struct lm_route_result *br)
{
	size_t	i;

	for (i = 0; i < br->nparents; i++) {
		if (br->parents[i].ours && !br->parents[i].accepted)
			return &br->parents[i];
	}
	return NULL;
}

/* Add one route: its stack, or a removal when only our finalizer says
 * it had Lattice resources. mapping: 1 routes of ours, 2 any route. */
static void
ctl_collect_route(struct controller *c, struct cs_view *v,
    const struct gw_route *r, int mapping, struct pitems *l)
{
	struct lm_route_result		 br;
	const struct lm_parent_status	*rej;
	struct pitem			*it = NULL;
	int				 fin;

	lm_build_route(&c->lm, &v->src, r, &br);
	fin = gw_meta_has_finalizer(&r->meta, gw_route_finalizer(r->kind));
	if (br.stack != NULL) {
		it = pitems_add(l, r->kind, r->meta.ns, r->meta.name, br.stack,
		    0);
		br.stack = NULL;
	} else if (fin && !mapping)
		it = pitems_add(l, r->kind, r->meta.ns, r->meta.name,
		    ctl_route_delete_stack(c, r->kind, r->meta.ns, r->meta.name,
		    r->service_name_override), 1);
	else if (mapping == 2 || (mapping && br.ours))
		it = pitems_add(l, r->kind, r->meta.ns, r->meta.name, NULL, 0);
	if (it != NULL && mapping) {
		rej = ctl_first_rejection(&br);
		it->accepted = it->stack != NULL;
		if (rej != NULL)
			xasprintf(&it->reason, "%s: %s", rej->accepted_reason,
			    rej->accepted_message != NULL ?
			    rej->accepted_message : "");
	}
	lm_route_result_free(&br);
}

/* Add one ServiceExport (cs_each callback). */
struct ctl_collect {
	struct controller	*c;
	struct cs_view		*v;
	const char		*ns;
	struct pitems		*l;
};

/* Add an export's stack, or its removal. */
static int
ctl_collect_export(void *arg, const void *obj)
{
	struct ctl_collect		*a = arg;
	const struct gw_serviceexport	*ex = obj;
	struct lm_stack			*st;
	char				*warning = NULL;

	if (a->ns != NULL && strcmp(ex->meta.ns, a->ns) != 0)
		return 0;
	st = lm_build_export(&a->c->lm, &a->v->src, ex, &warning);
	free(warning);
	if (st != NULL)
		pitems_add(a->l, GW_ROUTE_ANY, ex->meta.ns, ex->meta.name, st,
		    0);
	else if (gw_meta_has_finalizer(&ex->meta, UP_FIN_SERVICEEXPORT))
		pitems_add(a->l, GW_ROUTE_ANY, ex->meta.ns, ex->meta.name,
		    ctl_delete_stack(LM_SRC_SERVICEEXPORT, ex->meta.ns,
		    ex->meta.name, NULL), 1);
	return 0;
}

/* Does route r answer to the name given on the command line
 * ("name" or "kind/name", kind in any case)? */
static int
ctl_route_named(const struct gw_route *r, const char *want)
{
	const char	*slash = strchr(want, '/');
	const char	*kind = gw_route_kind_name(r->kind);
	size_t		 klen;

	if (slash == NULL)
		return strcmp(r->meta.name, want) == 0;
	klen = (size_t)(slash - want);
	if (strcmp(r->meta.name, slash + 1) != 0)
		return 0;
	return (strlen(kind) == klen && strncasecmp(kind, want, klen) == 0) ||
	    (strlen(kind) + 1 == klen && strncasecmp(kind, want, klen - 1) ==
	    0 && (want[klen - 1] == 's' || want[klen - 1] == 'S'));
}

/* Build every route in ns (or the named route) into l, and the
 * ServiceExports into exports (may be NULL). */
static void
ctl_collect(struct controller *c, const char *ns, const char *route,
    int mapping, struct pitems *l, struct pitems *exports)
{
	const struct gw_route *const	*routes;
	struct ctl_collect		 a;
	struct cs_view			 v;
	size_t				 i, n;

	cs_rdlock(c->store);
	cs_view_init(&v, c->store);
	n = cs_routes(c->store, &routes);
	for (i = 0; i < n; i++) {
		if (ns != NULL && strcmp(routes[i]->meta.ns, ns) != 0)
			continue;
		if (route != NULL && !ctl_route_named(routes[i], route))
			continue;
		ctl_collect_route(c, &v, routes[i], mapping && route != NULL ?
		    2 : mapping, l);
	}
	if (exports != NULL) {
		a.c = c;
		a.v = &v;
		a.ns = mapping ? NULL : ns;
		a.l = exports;
		cs_each(c->store, CS_EXPORT, ctl_collect_export, &a);
	}
	cs_unlock(c->store);
}

/* Order items by label (deterministic output). */
static int
pitem_cmp(const void *a, const void *b)
{
	return strcmp(((const struct pitem *)a)->label,
	    ((const struct pitem *)b)->label);
}

/* Diff one item; 1 drift, 0 none, -1 error. */
static int
ctl_plan_item(struct controller *c, struct pitem *it, cJSON *plans,
    struct strbuf *table, char **cause)
{
	const struct lm_stack	*use = it->stack;
	struct lm_stack		*alt = NULL;
	struct plan		*p = NULL;
	int			 rc;

	if (it->deleting)
		rc = ctl_delete_prepare(c, it->stack, &use, &alt, cause);
	else
		rc = mirror_prepare(c->mirror, it->stack, 0, cause);
	if (rc != 0 || plan_diff(c->mirror, use, it->deleting, &p, cause) !=
	    0) {
		lm_stack_free(alt);
		return error_wrap(cause, "%s", it->label);
	}
	rc = plan_drift(p);
	if (rc) {
		cJSON_AddItemToArray(plans, plan_to_json(p));
		if (table != NULL)
			plan_print_table(p, table);
	}
	plan_free(p);
	lm_stack_free(alt);
	return rc;
}

/* Diff every route and export against Lattice. */
int
controller_plan(struct controller *c, const char *ns, cJSON **out,
    struct strbuf *table, char **cause)
{
	struct pitems	 l;
	cJSON		*plans;
	size_t		 i, drift = 0;
	int		 rc = 0;

	*out = NULL;
	memset(&l, 0, sizeof(l));
	ctl_collect(c, ns, NULL, 0, &l, &l);
	if (l.n > 1)
		qsort(l.v, l.n, sizeof(*l.v), pitem_cmp);
	*out = cJSON_CreateObject();
	plans = cJSON_CreateArray();
	for (i = 0; i < l.n && rc >= 0; i++) {
		if ((rc = ctl_plan_item(c, &l.v[i], plans, table, cause)) > 0)
			drift++;
	}
	cJSON_AddBoolToObject(*out, "inSync", drift == 0);
	cJSON_AddNumberToObject(*out, "sources", (double)l.n);
	cJSON_AddItemToObject(*out, "plans", plans);
	if (table != NULL && rc >= 0 && drift == 0)
		strbuf_addf(table, "in sync: %zu source%s match VPC Lattice\n",
		    l.n, l.n == 1 ? "" : "s");
	pitems_free(&l);
	if (rc < 0) {
		cJSON_Delete(*out);
		*out = NULL;
		return -1;
	}
	return drift > 0 ? 1 : 0;
}

/* ---- map ---- */

/* "GET prefix:/parking header:x-a=b" for a Lattice match object. */
static char *
ctl_match_text(const cJSON *match)
{
	const cJSON	*hm = json_path(match, "httpMatch"), *pm, *h, *m;
	struct strbuf	 sb;
	const char	*method = json_str(hm, "method");

	strbuf_init(&sb);
	if (method != NULL)
		strbuf_addf(&sb, "%s ", method);
	pm = json_path(hm, "pathMatch.match");
	if (json_str(pm, "exact") != NULL)
		strbuf_addf(&sb, "exact:%s ", json_str(pm, "exact"));
	else if (json_str(pm, "prefix") != NULL)
		strbuf_addf(&sb, "prefix:%s ", json_str(pm, "prefix"));
	cJSON_ArrayForEach(h, json_path(hm, "headerMatches")) {
		m = json_path(h, "match");
		strbuf_addf(&sb, "header:%s%s%s ", json_str(h, "name"),
		    json_str(m, "exact") != NULL ? "=" :
		    json_str(m, "prefix") != NULL ? "^=" : "*=",
		    json_str(m, "exact") != NULL ? json_str(m, "exact") :
		    json_str(m, "prefix") != NULL ? json_str(m, "prefix") :
		    json_str(m, "contains") != NULL ? json_str(m, "contains") :
		    "");
	}
	if (sb.len == 0)
		strbuf_adds(&sb, "* ");
	strbuf_truncate(&sb, sb.len - 1);
	return strbuf_detach(&sb, NULL);
}

/* The mirror's target group with this id or ARN, or NULL. */
static const cJSON *
ctl_tg_by_ident(const cJSON *tgs, const char *ident)
{
	const cJSON	*t;

	cJSON_ArrayForEach(t, tgs) {
		if (ident != NULL && ((json_str(t, "id") != NULL &&
		    strcmp(json_str(t, "id"), ident) == 0) ||
		    (json_str(t, "arn") != NULL &&
		    strcmp(json_str(t, "arn"), ident) == 0)))
			return t;
	}
	return NULL;
}

/* The target groups a Lattice action forwards to, with their targets. */
static cJSON *
ctl_map_forward(const cJSON *action, const cJSON *tgs)
{
	cJSON		*arr = cJSON_CreateArray(), *o;
	const cJSON	*w, *t;
	const char	*id;

	cJSON_ArrayForEach(w, json_path(action, "forward.targetGroups")) {
		id = json_str(w, "targetGroupIdentifier");
		t = ctl_tg_by_ident(tgs, id);
		o = t != NULL ? cJSON_Duplicate(t, 1) : cJSON_CreateObject();
		if (json_str(o, "key") != NULL && strncmp(json_str(o, "key"),
		    "svc/", 4) != 0)
			cJSON_AddBoolToObject(o, "imported", 1);
		if (t == NULL) {
			json_add_str_opt(o, "id", id);
			cJSON_AddStringToObject(o, "status", "NOT_FOUND");
		}
		cJSON_AddNumberToObject(o, "weight", json_num(w, "weight", 1));
		cJSON_AddItemToArray(arr, o);
	}
	return arr;
}

/* One rule of the mapping. */
static cJSON *
ctl_map_rule(const cJSON *rule, const cJSON *tgs)
{
	cJSON	*o = cJSON_CreateObject();
	char	*m;

	cJSON_AddNumberToObject(o, "priority", json_num(rule, "priority", 0));
	json_add_str_opt(o, "name", json_str(rule, "name"));
	m = ctl_match_text(json_path(rule, "match"));
	cJSON_AddStringToObject(o, "match", m);
	free(m);
	if (json_path(rule, "action.fixedResponse") != NULL)
		cJSON_AddNumberToObject(o, "fixedResponse", json_num(json_path(
		    rule, "action.fixedResponse"), "statusCode", 0));
	cJSON_AddItemToObject(o, "targetGroups",
	    ctl_map_forward(json_path(rule, "action"), tgs));
	return o;
}

/* The TLS passthrough default action, as a rule forwarding by key. */
static cJSON *
ctl_map_default_rule(const struct lm_listener *dl, const cJSON *tgs)
{
	cJSON		*o = cJSON_CreateObject(), *arr, *x;
	const cJSON	*t;
	size_t		 i;

	cJSON_AddStringToObject(o, "name", "default");
	cJSON_AddStringToObject(o, "match", "*");
	arr = cJSON_AddArrayToObject(o, "targetGroups");
	for (i = 0; i < dl->default_action.n_tgs; i++) {
		x = NULL;
		cJSON_ArrayForEach(t, tgs) {
			if (json_str(t, "key") != NULL && strcmp(json_str(t,
			    "key"), dl->default_action.tgs[i].tg_key) == 0)
				x = cJSON_Duplicate(t, 1);
		}
		if (x == NULL) {
			x = cJSON_CreateObject();
			cJSON_AddStringToObject(x, "key",
			    dl->default_action.tgs[i].tg_key);
			cJSON_AddStringToObject(x, "status", "NOT_FOUND");
		}
		cJSON_AddNumberToObject(x, "weight",
		    dl->default_action.tgs[i].weight);
		cJSON_AddItemToArray(arr, x);
	}
	return o;
}

/* The desired listener on port, or NULL. */
static const struct lm_listener *
ctl_desired_listener(const struct lm_stack *st, int port)
{
	size_t	i;

	for (i = 0; st != NULL && i < st->n_listeners; i++) {
		if (st->listeners[i].port == port)
			return &st->listeners[i];
	}
	return NULL;
}

/* The listeners of the mapping (actual, from the mirror). */
static cJSON *
ctl_map_listeners(const struct lm_stack *st, const cJSON *svc,
    const cJSON *tgs)
{
	cJSON			*arr = cJSON_CreateArray(), *o, *rules;
	const cJSON		*l, *r;
	const struct lm_listener *dl;

	cJSON_ArrayForEach(l, json_path(svc, "listeners")) {
		o = cJSON_CreateObject();
		json_add_str_opt(o, "name", json_str(l, "name"));
		json_add_str_opt(o, "protocol", json_str(l, "protocol"));
		cJSON_AddNumberToObject(o, "port", json_num(l, "port", 0));
		rules = cJSON_AddArrayToObject(o, "rules");
		cJSON_ArrayForEach(r, json_path(l, "rules"))
			cJSON_AddItemToArray(rules, ctl_map_rule(r, tgs));
		dl = ctl_desired_listener(st, (int)json_num(l, "port", 0));
		if (dl != NULL && dl->default_action.kind == LM_ACTION_FORWARD)
			cJSON_AddItemToArray(rules, ctl_map_default_rule(dl,
			    tgs));
		cJSON_AddItemToArray(arr, o);
	}
	return arr;
}

/* The service networks: desired names and actual associations. */
static cJSON *
ctl_map_sns(const struct lm_stack *st, const cJSON *svc)
{
	cJSON		*arr = cJSON_CreateArray(), *o;
	const cJSON	*a;
	size_t		 i;

	for (i = 0; st->service != NULL && i < st->service->n_sn_names; i++) {
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "name", st->service->sn_names[i]);
		cJSON_AddStringToObject(o, "association", "MISSING");
		cJSON_ArrayForEach(a, json_path(svc, "associations")) {
			if (json_str(a, "serviceNetworkName") == NULL ||
			    strcmp(json_str(a, "serviceNetworkName"),
			    st->service->sn_names[i]) != 0)
				continue;
			cJSON_ReplaceItemInObject(o, "association",
			    cJSON_CreateString(json_str(a, "status") != NULL ?
			    json_str(a, "status") : "?"));
			json_add_str_opt(o, "id", json_str(a,
			    "serviceNetworkId"));
		}
		cJSON_AddItemToArray(arr, o);
	}
	return arr;
}

/* The service part of the mapping (desired name when missing). */
static cJSON *
ctl_map_service(const struct lm_stack *st, const cJSON *svc)
{
	static const char *const keys[] = { "id", "arn", "name", "status",
	    "dnsName", "customDomainName" };
	cJSON	*o = cJSON_CreateObject();
	size_t	 i;

	if (svc == NULL) {
		cJSON_AddStringToObject(o, "name", st->service->name);
		cJSON_AddStringToObject(o, "status", "MISSING");
		return o;
	}
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		json_add_str_opt(o, keys[i], json_str(svc, keys[i]));
	return o;
}

/* One route's mapping. */
static cJSON *
ctl_map_item(struct controller *c, const struct pitem *it, char **cause)
{
	cJSON		*o = cJSON_CreateObject(), *j;
	const cJSON	*svc, *tgs;

	cJSON_AddStringToObject(o, "kind", gw_route_kind_name(it->rk));
	cJSON_AddStringToObject(o, "namespace", it->ns);
	cJSON_AddStringToObject(o, "name", it->name);
	cJSON_AddBoolToObject(o, "accepted", it->accepted);
	json_add_str_opt(o, "reason", it->reason);
	if (it->stack == NULL)
		return o;
	if (mirror_prepare(c->mirror, it->stack, 0, cause) != 0) {
		cJSON_Delete(o);
		return NULL;
	}
	j = mirror_stack_json(c->mirror, it->stack);
	svc = json_path(j, "service");
	tgs = json_path(j, "targetGroups");
	cJSON_AddItemToObject(o, "serviceNetworks", ctl_map_sns(it->stack,
	    svc));
	cJSON_AddItemToObject(o, "service", ctl_map_service(it->stack, svc));
	cJSON_AddItemToObject(o, "listeners", ctl_map_listeners(it->stack,
	    svc, tgs));
	cJSON_Delete(j);
	return o;
}

/* The route -> Lattice mapping. */
int
controller_map(struct controller *c, const char *ns, const char *route,
    cJSON **out, char **cause)
{
	struct pitems	 l, ex;
	cJSON		*o;
	size_t		 i;

	*out = NULL;
	memset(&l, 0, sizeof(l));
	memset(&ex, 0, sizeof(ex));
	ctl_collect(c, ns, route, 1, &l, &ex);
	if (route != NULL && l.n == 0) {
		pitems_free(&ex);
		return error_set(cause, "route %s not found%s%s", route,
		    ns != NULL ? " in namespace " : "", ns != NULL ? ns : "");
	}
	/* Exported target groups' details and targets, for imports. */
	for (i = 0; i < ex.n; i++) {
		if (!ex.v[i].deleting && mirror_prepare(c->mirror,
		    ex.v[i].stack, 0, cause) != 0) {
			log_warn("%s: %s", ex.v[i].label, *cause);
			free(*cause);
			*cause = NULL;
		}
	}
	pitems_free(&ex);
	if (l.n > 1)
		qsort(l.v, l.n, sizeof(*l.v), pitem_cmp);
	*out = cJSON_CreateArray();
	for (i = 0; i < l.n; i++) {
		if ((o = ctl_map_item(c, &l.v[i], cause)) == NULL) {
			error_wrap(cause, "%s", l.v[i].label);
			cJSON_Delete(*out);
			*out = NULL;
			pitems_free(&l);
			return -1;
		}
		cJSON_AddItemToArray(*out, o);
	}
	pitems_free(&l);
	return 0;
}
