/* gwapi: HTTPRoute, GRPCRoute and TLSRoute typed views. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/error.h"

#include "gwapi_int.h"

#define GW_MAX_PARENTS	32
#define GW_MAX_RULES	16
#define GW_MAX_MATCHES	64
#define GW_MAX_HEADERS	16
#define GW_MAX_BACKENDS	16
#define GW_MAX_HOSTS	16

/* One spec.parentRefs entry. */
static int
gw_parent_parse(struct gwp *p, const cJSON *o, const char *path,
    struct gw_parent_ref *r)
{
	if (!cJSON_IsObject(o))
		return gwp_invalid(p, path, "expected an object");
	if (gwp_str(p, o, path, "name", 1, &r->name) != 0 ||
	    gwp_str(p, o, path, "sectionName", 0, &r->section_name) != 0 ||
	    gwp_i32(p, o, path, "port", 1, 65535, 0, &r->port) != 0 ||
	    gwp_str(p, o, path, "group", 0, &r->group) != 0 ||
	    gwp_str_def(p, o, path, "kind", UP_KIND_GATEWAY, &r->kind) != 0 ||
	    gwp_str_def(p, o, path, "namespace", p->meta->ns, &r->ns) != 0)
		return -1;
	if (r->group == NULL)
		r->group = gw_arena_strdup(p->arena, UP_GROUP_GATEWAY);
	if (r->section_name != NULL && *r->section_name == '\0')
		r->section_name = NULL;
	r->raw = gw_arena_json(p->arena, o);
	return 0;
}

/* spec.parentRefs. */
static int
gw_route_parents(struct gwp *p, const cJSON *spec, struct gw_route *rt)
{
	const cJSON	*arr, *it;
	char		 buf[GWP_PATH_MAX];
	size_t		 i = 0;

	if (gwp_arr(p, spec, "spec", "parentRefs", GW_MAX_PARENTS, &arr,
	    &rt->nparents) != 0)
		return -1;
	if (rt->nparents == 0)
		return 0;
	rt->parents = gw_arena_array(p->arena, rt->nparents,
	    sizeof *rt->parents);
	cJSON_ArrayForEach(it, arr) {
		gwp_index(buf, "spec", "parentRefs", i);
		if (gw_parent_parse(p, it, buf, &rt->parents[i++]) != 0)
			return -1;
	}
	return 0;
}

/* One backendRef. */
static int
gw_backend_parse(struct gwp *p, const cJSON *o, const char *path,
    struct gw_backend_ref *b)
{
	const cJSON	*f;
	char		 buf[GWP_PATH_MAX];
	size_t		 nf;

	if (!cJSON_IsObject(o))
		return gwp_invalid(p, path, "expected an object");
	if (gwp_str(p, o, path, "name", 1, &b->name) != 0 ||
	    gwp_str_def(p, o, path, "group", "", &b->group) != 0 ||
	    gwp_str_def(p, o, path, "kind", UP_KIND_SERVICE, &b->kind) != 0 ||
	    gwp_str_def(p, o, path, "namespace", p->meta->ns, &b->ns) != 0 ||
	    gwp_i32(p, o, path, "port", 1, 65535, 0, &b->port) != 0 ||
	    gwp_i32(p, o, path, "weight", 0, 1000000, 1, &b->weight) != 0 ||
	    gwp_arr(p, o, path, "filters", 0, &f, &nf) != 0)
		return -1;
	if (*b->group == '\0' && strcmp(b->kind, UP_KIND_SERVICE) == 0 &&
	    b->port == 0)
		return gwp_invalid(p, gwp_join(buf, path, "port"),
		    "required for a Service backend");
	if (nf != 0)
		gwp_ignored(p, gwp_join(buf, path, "filters"), "ignored");
	return 0;
}

/* rules[i].backendRefs. */
static int
gw_rule_backends(struct gwp *p, const cJSON *ro, const char *path,
    struct gw_rule *r)
{
	const cJSON	*arr, *it;
	char		 buf[GWP_PATH_MAX];
	size_t		 i = 0;

	if (gwp_arr(p, ro, path, "backendRefs", GW_MAX_BACKENDS, &arr,
	    &r->nbackends) != 0)
		return -1;
	if (r->nbackends == 0)
		return 0;
	r->backends = gw_arena_array(p->arena, r->nbackends,
	    sizeof *r->backends);
	cJSON_ArrayForEach(it, arr) {
		gwp_index(buf, path, "backendRefs", i);
		if (gw_backend_parse(p, it, buf, &r->backends[i++]) != 0)
			return -1;
	}
	return 0;
}

/* Mark a match (and its rule) unsupported with a problem at path. */
static void
gw_unsupported(struct gwp *p, struct gw_rule *r, struct gw_match *m,
    const char *path, const char *what, const char *value)
{
	if (value != NULL)
		gwp_problem(p, path, "%s \"%s\"", what, value);
	else
		gwp_problem(p, path, "%s", what);
	if (m != NULL)
		m->unsupported = 1;
	r->unsupported = 1;
}

/* One header match entry; returns 1 to keep, 0 duplicate, -1 invalid. */
static int
gw_header_parse(struct gwp *p, const cJSON *o, const char *path,
    struct gw_match *m, size_t n, struct gw_rule *r)
{
	static const char *const types[] = { "Exact", "RegularExpression",
	    NULL };
	struct gw_header_match	*h = &m->headers[n];
	char			 buf[GWP_PATH_MAX];
	size_t			 i;
	int			 type;

	if (!cJSON_IsObject(o))
		return gwp_invalid(p, path, "expected an object");
	if (gwp_str(p, o, path, "name", 1, &h->name) != 0 ||
	    gwp_str(p, o, path, "value", 1, &h->value) != 0 ||
	    gwp_enum(p, o, path, "type", types, 0, &type) != 0)
		return -1;
	for (i = 0; i < n; i++) {
		if (gw_strcaseeq(m->headers[i].name, h->name)) {
			gwp_ignored(p, gwp_join(buf, path, "name"), "duplicate "
			    "header \"%s\" ignored", h->name);
			memset(h, 0, sizeof *h);
			return 0;
		}
	}
	if (type == 1) {
		h->regex = 1;
		gw_unsupported(p, r, m, gwp_join(buf, path, "type"),
		    "unsupported value", "RegularExpression");
	}
	return 1;
}

/* matches[j].headers (Exact only, at most UP_MAX_HEADER_MATCHES). */
static int
gw_match_headers(struct gwp *p, const cJSON *mo, const char *path,
    struct gw_match *m, struct gw_rule *r)
{
	const cJSON	*arr, *it;
	char		 buf[GWP_PATH_MAX];
	size_t		 n, i = 0;
	int		 keep;

	if (gwp_arr(p, mo, path, "headers", GW_MAX_HEADERS, &arr, &n) != 0)
		return -1;
	if (n == 0)
		return 0;
	m->headers = gw_arena_array(p->arena, n, sizeof *m->headers);
	cJSON_ArrayForEach(it, arr) {
		gwp_index(buf, path, "headers", i++);
		if ((keep = gw_header_parse(p, it, buf, m, m->nheaders, r)) < 0)
			return -1;
		m->nheaders += (size_t)keep;
	}
	if (m->nheaders > UP_MAX_HEADER_MATCHES) {
		gwp_join(buf, path, "headers");
		gwp_problem(p, buf, "%zu header matches, VPC Lattice allows at "
		    "most %d", m->nheaders, UP_MAX_HEADER_MATCHES);
		m->unsupported = r->unsupported = 1;
	}
	return 0;
}

/* An HTTPRoute match's path (default PathPrefix "/"). */
static int
gw_match_path(struct gwp *p, const cJSON *mo, const char *path,
    struct gw_match *m, struct gw_rule *r)
{
	static const char *const types[] = { "Exact", "PathPrefix",
	    "RegularExpression", NULL };
	const cJSON	*po;
	char		 base[GWP_PATH_MAX], buf[GWP_PATH_MAX];
	int		 type;

	m->path_type = GW_PATH_PREFIX;
	if (gwp_obj(p, mo, path, "path", &po) != 0)
		return -1;
	if (po == NULL) {
		m->path = gw_arena_strdup(p->arena, "/");
		return 0;
	}
	gwp_join(base, path, "path");
	if (gwp_enum(p, po, base, "type", types, 1, &type) != 0 ||
	    gwp_str_def(p, po, base, "value", "/", &m->path) != 0)
		return -1;
	if (type == 2) {
		m->path_type = GW_PATH_REGEX;
		gw_unsupported(p, r, m, gwp_join(buf, base, "type"),
		    "unsupported value", "RegularExpression");
		return 0;
	}
	m->path_type = type == 0 ? GW_PATH_EXACT : GW_PATH_PREFIX;
	if (m->path[0] != '/')
		return gwp_invalid(p, gwp_join(buf, base, "value"),
		    "must be an absolute path starting with '/'");
	return 0;
}

/* One HTTPRoute match. */
static int
gw_http_match(struct gwp *p, const cJSON *mo, const char *path,
    struct gw_match *m, struct gw_rule *r)
{
	static const char *const methods[] = { "GET", "HEAD", "POST", "PUT",
	    "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH", NULL };
	const cJSON	*qp;
	char		 buf[GWP_PATH_MAX];
	size_t		 nqp;
	int		 method;

	if (!cJSON_IsObject(mo))
		return gwp_invalid(p, path, "expected an object");
	if (gw_match_path(p, mo, path, m, r) != 0 ||
	    gwp_enum(p, mo, path, "method", methods, -1, &method) != 0 ||
	    gw_match_headers(p, mo, path, m, r) != 0 ||
	    gwp_arr(p, mo, path, "queryParams", 16, &qp, &nqp) != 0)
		return -1;
	if (method >= 0)
		m->method = gw_arena_strdup(p->arena, methods[method]);
	if (nqp != 0)
		gw_unsupported(p, r, m, gwp_join(buf, path, "queryParams"),
		    "unsupported (VPC Lattice has no query parameter match)",
		    NULL);
	return 0;
}

/* One GRPCRoute match: method.service/method Exact, headers. */
static int
gw_grpc_match(struct gwp *p, const cJSON *mo, const char *path,
    struct gw_match *m, struct gw_rule *r)
{
	static const char *const types[] = { "Exact", "RegularExpression",
	    NULL };
	const cJSON	*meth;
	char		 base[GWP_PATH_MAX], buf[GWP_PATH_MAX];
	int		 type;

	if (!cJSON_IsObject(mo))
		return gwp_invalid(p, path, "expected an object");
	if (gwp_obj(p, mo, path, "method", &meth) != 0)
		return -1;
	if (meth != NULL) {
		gwp_join(base, path, "method");
		if (gwp_enum(p, meth, base, "type", types, 0, &type) != 0 ||
		    gwp_str(p, meth, base, "service", 0,
		    &m->grpc_service) != 0 ||
		    gwp_str(p, meth, base, "method", 0, &m->grpc_method) != 0)
			return -1;
		if (m->grpc_service == NULL && m->grpc_method == NULL)
			return gwp_invalid(p, base, "one or both of 'service' "
			    "or 'method' must be specified");
		if (type == 1)
			gw_unsupported(p, r, m, gwp_join(buf, base, "type"),
			    "unsupported value", "RegularExpression");
		else if (m->grpc_service == NULL)
			gw_unsupported(p, r, m, gwp_join(buf, base, "method"),
			    "unsupported without a service (VPC Lattice has "
			    "no suffix match)", NULL);
	}
	return gw_match_headers(p, mo, path, m, r);
}

/* rules[i].matches, with the CRD default when empty. */
static int
gw_rule_matches(struct gwp *p, enum gw_route_kind kind, const cJSON *ro,
    const char *path, struct gw_rule *r)
{
	const cJSON	*arr, *it;
	char		 buf[GWP_PATH_MAX];
	size_t		 i = 0;
	int		 rc;

	if (gwp_arr(p, ro, path, "matches", GW_MAX_MATCHES, &arr,
	    &r->nmatches) != 0)
		return -1;
	if (r->nmatches == 0) {
		r->nmatches = 1;
		r->matches = gw_arena_array(p->arena, 1, sizeof *r->matches);
		if (kind == GW_ROUTE_HTTP) {
			r->matches[0].path_type = GW_PATH_PREFIX;
			r->matches[0].path = gw_arena_strdup(p->arena, "/");
		}
		return 0;
	}
	r->matches = gw_arena_array(p->arena, r->nmatches, sizeof *r->matches);
	cJSON_ArrayForEach(it, arr) {
		gwp_index(buf, path, "matches", i);
		if (kind == GW_ROUTE_HTTP)
			rc = gw_http_match(p, it, buf, &r->matches[i], r);
		else
			rc = gw_grpc_match(p, it, buf, &r->matches[i], r);
		if (rc != 0)
			return -1;
		i++;
	}
	return 0;
}

/* The rule-<i>-priority annotation of rule i. */
static void
gw_rule_priority(struct gwp *p, size_t i, struct gw_rule *r)
{
	char		 key[128], path[192];
	const char	*v;
	char		*end;
	long long	 n;

	snprintf(key, sizeof key, UP_ANN_RULE_PRIORITY_FMT, (int)i);
	if ((v = gw_meta_annotation(p->meta, key)) == NULL)
		return;
	snprintf(path, sizeof path, "metadata.annotations[%s]", key);
	errno = 0;
	n = strtoll(v, &end, 10);
	if (*v == '\0' || *end != '\0' || errno != 0 || *v == ' ' ||
	    *v == '\t') {
		gwp_ignored(p, path, "invalid priority \"%s\" ignored", v);
		return;
	}
	if (n < 1 || n > UP_MAX_RULE_PRIORITY) {
		gwp_problem(p, path, "priority %lld out of range 1..%d", n,
		    UP_MAX_RULE_PRIORITY);
		r->unsupported = 1;
		return;
	}
	r->has_priority = 1;
	r->priority = (int)n;
}

/* Note fields of a rule we accept but do not act on. */
static int
gw_rule_ignored(struct gwp *p, const cJSON *ro, const char *path)
{
	static const char *const keys[] = { "filters", "timeouts", "retry",
	    "sessionPersistence", NULL };
	const cJSON	*v;
	char		 buf[GWP_PATH_MAX];
	int		 i;

	for (i = 0; keys[i] != NULL; i++) {
		v = cJSON_GetObjectItemCaseSensitive(ro, keys[i]);
		if (v == NULL || cJSON_IsNull(v) ||
		    ((cJSON_IsArray(v) || cJSON_IsObject(v)) &&
		    v->child == NULL))
			continue;
		gwp_ignored(p, gwp_join(buf, path, keys[i]), "ignored");
	}
	return 0;
}

/* One rule. */
static int
gw_rule_parse(struct gwp *p, enum gw_route_kind kind, const cJSON *ro,
    const char *path, size_t i, struct gw_rule *r)
{
	char	buf[GWP_PATH_MAX];

	if (!cJSON_IsObject(ro))
		return gwp_invalid(p, path, "expected an object");
	if (gwp_str(p, ro, path, "name", 0, &r->name) != 0 ||
	    gw_rule_backends(p, ro, path, r) != 0)
		return -1;
	if (kind != GW_ROUTE_TLS && gw_rule_matches(p, kind, ro, path, r) != 0)
		return -1;
	if (kind == GW_ROUTE_TLS && r->nbackends == 0)
		return gwp_invalid(p, gwp_join(buf, path, "backendRefs"),
		    "at least one backendRef required");
	gw_rule_ignored(p, ro, path);
	gw_rule_priority(p, i, r);
	return 0;
}

/* spec.rules (HTTP default: one rule matching PathPrefix "/"). */
static int
gw_route_rules(struct gwp *p, const cJSON *spec, struct gw_route *rt)
{
	const cJSON	*arr, *it;
	char		 buf[GWP_PATH_MAX];
	size_t		 i = 0;

	if (gwp_arr(p, spec, "spec", "rules", GW_MAX_RULES, &arr,
	    &rt->nrules) != 0)
		return -1;
	if (rt->nrules == 0) {
		if (rt->kind == GW_ROUTE_TLS)
			return gwp_invalid(p, "spec.rules", "required");
		rt->nrules = 1;
		rt->rules = gw_arena_array(p->arena, 1, sizeof *rt->rules);
		return gw_rule_matches(p, rt->kind, NULL, "spec.rules[0]",
		    &rt->rules[0]);
	}
	rt->rules = gw_arena_array(p->arena, rt->nrules, sizeof *rt->rules);
	cJSON_ArrayForEach(it, arr) {
		gwp_index(buf, "spec", "rules", i);
		if (gw_rule_parse(p, rt->kind, it, buf, i, &rt->rules[i]) != 0)
			return -1;
		i++;
	}
	if (rt->kind == GW_ROUTE_TLS && rt->nrules != 1)
		gwp_problem(p, "spec.rules", "%zu rules, a TLSRoute must have "
		    "exactly 1", rt->nrules);
	return 0;
}

/* The route annotations upstream reads. */
static void
gw_route_annotations(struct gwp *p, struct gw_route *rt)
{
	const char	*v;
	char		*cause = NULL;

	v = gw_meta_annotation(&rt->meta, UP_ANN_STANDALONE);
	rt->standalone = v == NULL ? -1 : gw_ann_true(v);
	v = gw_meta_annotation(&rt->meta, UP_ANN_SERVICE_NAME_OVERRIDE);
	if (v != NULL && *v != '\0') {
		if (gw_service_name_check(v, &cause) == 0)
			rt->service_name_override = gw_arena_strdup(p->arena, v);
		else {
			gwp_problem(p, "metadata.annotations["
			    UP_ANN_SERVICE_NAME_OVERRIDE "]", "%s", cause);
			free(cause);
		}
	}
	v = gw_meta_annotation(&rt->meta, UP_ANN_ALLOW_TAKEOVER);
	if (v != NULL && *v != '\0')
		rt->allow_takeover_from = gw_arena_strdup(p->arena, v);
	gwp_tags(p, &rt->tags, &rt->ntags);
}

/* The route's kind from obj when asked for GW_ROUTE_ANY. */
static enum gw_route_kind
gw_route_detect(const cJSON *obj)
{
	const cJSON	*k;

	k = cJSON_GetObjectItemCaseSensitive(obj, "kind");
	if (!cJSON_IsString(k))
		return GW_ROUTE_ANY;
	return gw_route_kind_from_name(k->valuestring);
}

/* The spec of a route. */
static int
gw_route_spec(struct gwp *p, const cJSON *obj, struct gw_route *rt)
{
	const cJSON	*spec;

	if (gwp_obj(p, obj, "", "spec", &spec) != 0)
		return -1;
	if (spec == NULL)
		return gwp_invalid(p, "spec", "required");
	if (gw_route_parents(p, spec, rt) != 0 ||
	    gwp_strv(p, spec, "spec", "hostnames", GW_MAX_HOSTS,
	    &rt->hostnames, &rt->nhostnames) != 0 ||
	    gw_route_rules(p, spec, rt) != 0)
		return -1;
	if (rt->kind == GW_ROUTE_TLS && rt->nhostnames == 0)
		gwp_problem(p, "spec.hostnames", "required for a TLSRoute");
	return 0;
}

/* Parse an HTTPRoute, GRPCRoute or TLSRoute. */
int
gw_route_parse(const cJSON *obj, enum gw_route_kind kind,
    struct gw_route **out, char **cause)
{
	struct gwp	 p;
	struct gw_route	*rt;

	*out = NULL;
	if (kind == GW_ROUTE_ANY && (kind = gw_route_detect(obj)) ==
	    GW_ROUTE_ANY)
		return error_set(cause, "route: kind: expected HTTPRoute, "
		    "GRPCRoute or TLSRoute");
	rt = gwp_begin(&p, obj, gw_route_kind_name(kind), 1, sizeof *rt,
	    cause);
	if (rt == NULL)
		return -1;
	rt->kind = kind;
	if (gw_route_spec(&p, obj, rt) != 0)
		return gwp_fail(&p);
	gw_route_annotations(&p, rt);
	*out = rt;
	return 0;
}

/* Free a route. */
void
gw_route_free(struct gw_route *rt)
{
	if (rt != NULL)
		gw_arena_free(rt->meta.arena);
}

/* -1 with the first problem when the route has any. */
int
gw_route_check(const struct gw_route *rt, char **cause)
{
	if (rt->meta.nproblems == 0)
		return 0;
	return error_set(cause, "%s", rt->meta.problems[0]);
}
