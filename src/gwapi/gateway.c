/* gwapi: GatewayClass and Gateway typed views. */
#include <stdlib.h>
#include <string.h>

#include "gwapi_int.h"

/* Parse a GatewayClass. */
int
gw_gatewayclass_parse(const cJSON *obj, struct gw_gatewayclass **out,
    char **cause)
{
	struct gwp		 p;
	struct gw_gatewayclass	*gc;
	const cJSON		*spec;

	*out = NULL;
	gc = gwp_begin(&p, obj, UP_KIND_GATEWAYCLASS, 0, sizeof *gc, cause);
	if (gc == NULL)
		return -1;
	if (gwp_obj(&p, obj, "", "spec", &spec) != 0)
		return gwp_fail(&p);
	if (spec == NULL) {
		gwp_invalid(&p, "spec.controllerName", "required");
		return gwp_fail(&p);
	}
	if (gwp_str(&p, spec, "spec", "controllerName", 1,
	    &gc->controller_name) != 0)
		return gwp_fail(&p);
	gc->ours = strcmp(gc->controller_name, UP_CONTROLLER_NAME) == 0;
	*out = gc;
	return 0;
}

/* Free a GatewayClass. */
void
gw_gatewayclass_free(struct gw_gatewayclass *gc)
{
	if (gc != NULL)
		gw_arena_free(gc->meta.arena);
}

/* allowedRoutes.kinds of a listener. */
static int
gw_listener_kinds(struct gwp *p, const cJSON *ar, const char *path,
    struct gw_listener *l)
{
	const cJSON	*arr, *it;
	char		 buf[GWP_PATH_MAX];
	size_t		 i = 0;

	if (gwp_arr(p, ar, path, "kinds", 8, &arr, &l->nkinds) != 0)
		return -1;
	if (l->nkinds == 0)
		return 0;
	l->kinds = gw_arena_array(p->arena, l->nkinds, sizeof *l->kinds);
	cJSON_ArrayForEach(it, arr) {
		gwp_index(buf, path, "kinds", i);
		if (!cJSON_IsObject(it))
			return gwp_invalid(p, buf, "expected an object");
		if (gwp_str_def(p, it, buf, "group", UP_GROUP_GATEWAY,
		    &l->kinds[i].group) != 0 ||
		    gwp_str(p, it, buf, "kind", 1, &l->kinds[i].kind) != 0)
			return -1;
		i++;
	}
	return 0;
}

/* allowedRoutes of a listener (default: namespaces from Same). */
static int
gw_listener_allowed(struct gwp *p, const cJSON *lo, const char *path,
    struct gw_listener *l)
{
	static const char *const from[] = { "Same", "All", "Selector", NULL };
	const cJSON	*ar, *ns;
	char		 base[GWP_PATH_MAX], nsp[GWP_PATH_MAX];
	int		 idx;

	l->from = GW_FROM_SAME;
	if (gwp_obj(p, lo, path, "allowedRoutes", &ar) != 0)
		return -1;
	if (ar == NULL)
		return 0;
	gwp_join(base, path, "allowedRoutes");
	if (gwp_obj(p, ar, base, "namespaces", &ns) != 0)
		return -1;
	if (ns != NULL) {
		gwp_join(nsp, base, "namespaces");
		if (gwp_enum(p, ns, nsp, "from", from, 0, &idx) != 0 ||
		    gwp_selector(p, ns, nsp, "selector", &l->selector) != 0)
			return -1;
		l->from = (enum gw_from)idx;
	}
	return gw_listener_kinds(p, ar, base, l);
}

/* The tls block of a listener, checked against its protocol. */
static int
gw_listener_tls(struct gwp *p, const cJSON *lo, const char *path,
    struct gw_listener *l)
{
	static const char *const modes[] = { "Terminate", "Passthrough",
	    NULL };
	const cJSON	*tls, *refs;
	char		 base[GWP_PATH_MAX];
	int		 idx;

	if (gwp_obj(p, lo, path, "tls", &tls) != 0)
		return -1;
	gwp_join(base, path, "tls");
	if (tls == NULL) {
		l->tls_mode = GW_TLS_NONE;
		if (l->protocol == GW_PROTO_TLS)
			return gwp_invalid(p, base, "required for protocol TLS");
		return 0;
	}
	if (l->protocol == GW_PROTO_HTTP)
		return gwp_invalid(p, base, "not allowed for protocol HTTP");
	if (gwp_enum(p, tls, base, "mode", modes, 0, &idx) != 0 ||
	    gwp_arr(p, tls, base, "certificateRefs", 64, &refs,
	    &l->ncertificate_refs) != 0 ||
	    gwp_map(p, tls, base, "options", &l->tls_options,
	    &l->ntls_options) != 0)
		return -1;
	l->tls_mode = idx == 1 ? GW_TLS_PASSTHROUGH : GW_TLS_TERMINATE;
	if (l->protocol == GW_PROTO_HTTPS && l->tls_mode == GW_TLS_PASSTHROUGH)
		return gwp_invalid(p, base, "mode: Passthrough not allowed "
		    "for protocol HTTPS");
	if (l->protocol == GW_PROTO_TLS && l->tls_mode == GW_TLS_TERMINATE)
		gwp_problem(p, base, "mode: unsupported value \"Terminate\" "
		    "for protocol TLS (only Passthrough)");
	l->certificate_arn = NULL;
	for (idx = 0; (size_t)idx < l->ntls_options; idx++) {
		if (strcmp(l->tls_options[idx].key, UP_OPT_CERTIFICATE_ARN) == 0)
			l->certificate_arn = l->tls_options[idx].value;
	}
	return 0;
}

/* One listener. */
static int
gw_listener_parse(struct gwp *p, const cJSON *lo, const char *path,
    struct gw_listener *l)
{
	static const char *const protos[] = { "HTTP", "HTTPS", "TLS", NULL };
	char	buf[GWP_PATH_MAX];
	int	i;

	if (!cJSON_IsObject(lo))
		return gwp_invalid(p, path, "expected an object");
	if (gwp_str(p, lo, path, "name", 1, &l->name) != 0 ||
	    gwp_i32(p, lo, path, "port", 1, 65535, 0, &l->port) != 0 ||
	    gwp_str(p, lo, path, "protocol", 1, &l->protocol_str) != 0 ||
	    gwp_str(p, lo, path, "hostname", 0, &l->hostname) != 0)
		return -1;
	if (l->port == 0)
		return gwp_invalid(p, gwp_join(buf, path, "port"), "required");
	l->protocol = GW_PROTO_OTHER;
	for (i = 0; protos[i] != NULL; i++) {
		if (strcmp(protos[i], l->protocol_str) == 0)
			l->protocol = (enum gw_protocol)i;
	}
	if (l->protocol == GW_PROTO_OTHER)
		gwp_problem(p, gwp_join(buf, path, "protocol"),
		    "unsupported value \"%s\"", l->protocol_str);
	if (l->hostname != NULL && *l->hostname == '\0')
		l->hostname = NULL;
	if (gw_listener_tls(p, lo, path, l) != 0)
		return -1;
	return gw_listener_allowed(p, lo, path, l);
}

/* spec.listeners: 1..64, unique names. */
static int
gw_gateway_listeners(struct gwp *p, const cJSON *spec, struct gw_gateway *gw)
{
	const cJSON	*arr, *it;
	char		 buf[GWP_PATH_MAX], sub[GWP_PATH_MAX];
	size_t		 i = 0, j;

	if (gwp_arr(p, spec, "spec", "listeners", 64, &arr,
	    &gw->nlisteners) != 0)
		return -1;
	if (gw->nlisteners == 0)
		return gwp_invalid(p, "spec.listeners", "at least one listener "
		    "required");
	gw->listeners = gw_arena_array(p->arena, gw->nlisteners,
	    sizeof *gw->listeners);
	cJSON_ArrayForEach(it, arr) {
		gwp_index(buf, "spec", "listeners", i);
		if (gw_listener_parse(p, it, buf, &gw->listeners[i]) != 0)
			return -1;
		for (j = 0; j < i; j++) {
			if (strcmp(gw->listeners[j].name,
			    gw->listeners[i].name) == 0)
				return gwp_invalid(p, gwp_join(sub, buf, "name"),
				    "duplicate listener name \"%s\"",
				    gw->listeners[i].name);
		}
		i++;
	}
	return 0;
}

/* Parse a Gateway. */
int
gw_gateway_parse(const cJSON *obj, struct gw_gateway **out, char **cause)
{
	struct gwp		 p;
	struct gw_gateway	*gw;
	const cJSON		*spec, *addrs;
	const char		*v;
	size_t			 n;

	*out = NULL;
	gw = gwp_begin(&p, obj, UP_KIND_GATEWAY, 1, sizeof *gw, cause);
	if (gw == NULL)
		return -1;
	if (gwp_obj(&p, obj, "", "spec", &spec) != 0)
		return gwp_fail(&p);
	if (spec == NULL) {
		gwp_invalid(&p, "spec", "required");
		return gwp_fail(&p);
	}
	if (gwp_str(&p, spec, "spec", "gatewayClassName", 1,
	    &gw->class_name) != 0 || gw_gateway_listeners(&p, spec, gw) != 0 ||
	    gwp_arr(&p, spec, "spec", "addresses", 0, &addrs, &n) != 0)
		return gwp_fail(&p);
	if (n != 0)
		gwp_ignored(&p, "spec.addresses", "ignored (VPC Lattice assigns "
		    "DNS names)");
	v = gw_meta_annotation(&gw->meta, UP_ANN_STANDALONE);
	gw->standalone = v == NULL ? -1 : gw_ann_true(v);
	*out = gw;
	return 0;
}

/* Free a Gateway. */
void
gw_gateway_free(struct gw_gateway *gw)
{
	if (gw != NULL)
		gw_arena_free(gw->meta.arena);
}
