/* gwapi: core Service and discovery EndpointSlice typed views. */
#include <stdlib.h>
#include <string.h>

#include "gwapi_int.h"

/* A Service port's targetPort: a number or a port name. */
static int
gw_target_port(struct gwp *p, const cJSON *po, const char *path,
    struct gw_service_port *sp)
{
	const cJSON	*tp;
	char		 buf[GWP_PATH_MAX];

	tp = cJSON_GetObjectItemCaseSensitive(po, "targetPort");
	if (tp == NULL || cJSON_IsNull(tp)) {
		sp->target_port = sp->port;
		return 0;
	}
	if (cJSON_IsString(tp))
		return gwp_str(p, po, path, "targetPort", 1,
		    &sp->target_port_name);
	if (!cJSON_IsNumber(tp))
		return gwp_invalid(p, gwp_join(buf, path, "targetPort"),
		    "expected an integer or a port name");
	return gwp_i32(p, po, path, "targetPort", 1, 65535, 0,
	    &sp->target_port);
}

/* One spec.ports entry. */
static int
gw_service_port_parse(struct gwp *p, const cJSON *po, const char *path,
    struct gw_service_port *sp)
{
	char	buf[GWP_PATH_MAX];

	if (!cJSON_IsObject(po))
		return gwp_invalid(p, path, "expected an object");
	if (gwp_str(p, po, path, "name", 0, &sp->name) != 0 ||
	    gwp_i32(p, po, path, "port", 1, 65535, 0, &sp->port) != 0 ||
	    gwp_str_def(p, po, path, "protocol", "TCP", &sp->protocol) != 0 ||
	    gwp_str(p, po, path, "appProtocol", 0, &sp->app_protocol) != 0)
		return -1;
	if (sp->port == 0)
		return gwp_invalid(p, gwp_join(buf, path, "port"), "required");
	if (sp->name != NULL && *sp->name == '\0')
		sp->name = NULL;
	return gw_target_port(p, po, path, sp);
}

/* Parse a Service. */
int
gw_service_parse(const cJSON *obj, struct gw_service **out, char **cause)
{
	struct gwp		 p;
	struct gw_service	*svc;
	const cJSON		*spec, *arr, *it;
	char			 buf[GWP_PATH_MAX];
	size_t			 i = 0;

	*out = NULL;
	svc = gwp_begin(&p, obj, UP_KIND_SERVICE, 1, sizeof *svc, cause);
	if (svc == NULL)
		return -1;
	if (gwp_obj(&p, obj, "", "spec", &spec) != 0)
		return gwp_fail(&p);
	if (gwp_str_def(&p, spec, "spec", "type", "ClusterIP", &svc->type) != 0 ||
	    gwp_map(&p, spec, "spec", "selector", &svc->selector,
	    &svc->nselector) != 0 ||
	    gwp_strv(&p, spec, "spec", "ipFamilies", 2, &svc->ip_families,
	    &svc->nip_families) != 0 ||
	    gwp_str(&p, spec, "spec", "clusterIP", 0, &svc->cluster_ip) != 0 ||
	    gwp_arr(&p, spec, "spec", "ports", 0, &arr, &svc->nports) != 0)
		return gwp_fail(&p);
	if (svc->nports != 0)
		svc->ports = gw_arena_array(p.arena, svc->nports,
		    sizeof *svc->ports);
	cJSON_ArrayForEach(it, arr) {
		gwp_index(buf, "spec", "ports", i);
		if (gw_service_port_parse(&p, it, buf, &svc->ports[i++]) != 0)
			return gwp_fail(&p);
	}
	*out = svc;
	return 0;
}

/* Free a Service. */
void
gw_service_free(struct gw_service *svc)
{
	if (svc != NULL)
		gw_arena_free(svc->meta.arena);
}

/* The Service port with that number, or NULL. */
const struct gw_service_port *
gw_service_port_find(const struct gw_service *svc, int32_t port)
{
	size_t	i;

	for (i = 0; i < svc->nports; i++) {
		if (svc->ports[i].port == port)
			return &svc->ports[i];
	}
	return NULL;
}

/* An endpoint's conditions with Kubernetes' defaults for unset ones. */
static int
gw_endpoint_conditions(struct gwp *p, const cJSON *eo, const char *path,
    struct gw_endpoint *e)
{
	const cJSON	*c;
	char		 base[GWP_PATH_MAX];
	int		 has, v;

	e->ready = 1;
	e->terminating = 0;
	if (gwp_obj(p, eo, path, "conditions", &c) != 0)
		return -1;
	gwp_join(base, path, "conditions");
	if (gwp_bool(p, c, base, "ready", &has, &v) != 0)
		return -1;
	if (has)
		e->ready = v;
	e->serving = e->ready;
	if (gwp_bool(p, c, base, "serving", &has, &v) != 0)
		return -1;
	if (has)
		e->serving = v;
	if (gwp_bool(p, c, base, "terminating", &has, &v) != 0)
		return -1;
	if (has)
		e->terminating = v;
	return 0;
}

/* One endpoints[] entry. */
static int
gw_endpoint_parse(struct gwp *p, const cJSON *eo, const char *path,
    struct gw_endpoint *e)
{
	const cJSON	*tr;
	char		 base[GWP_PATH_MAX];

	if (!cJSON_IsObject(eo))
		return gwp_invalid(p, path, "expected an object");
	if (gwp_strv(p, eo, path, "addresses", 100, &e->addresses,
	    &e->naddresses) != 0 ||
	    gw_endpoint_conditions(p, eo, path, e) != 0 ||
	    gwp_str(p, eo, path, "nodeName", 0, &e->node_name) != 0 ||
	    gwp_str(p, eo, path, "zone", 0, &e->zone) != 0 ||
	    gwp_obj(p, eo, path, "targetRef", &tr) != 0)
		return -1;
	if (e->naddresses == 0)
		return gwp_invalid(p, gwp_join(base, path, "addresses"),
		    "required");
	gwp_join(base, path, "targetRef");
	if (gwp_str(p, tr, base, "kind", 0, &e->target_kind) != 0 ||
	    gwp_str(p, tr, base, "namespace", 0, &e->target_ns) != 0 ||
	    gwp_str(p, tr, base, "name", 0, &e->target_name) != 0)
		return -1;
	return 0;
}

/* ports[] of an EndpointSlice. */
static int
gw_slice_ports(struct gwp *p, const cJSON *obj, struct gw_endpointslice *es)
{
	const cJSON	*arr, *it;
	char		 buf[GWP_PATH_MAX];
	size_t		 i = 0;

	if (gwp_arr(p, obj, "", "ports", 0, &arr, &es->nports) != 0)
		return -1;
	if (es->nports != 0)
		es->ports = gw_arena_array(p->arena, es->nports,
		    sizeof *es->ports);
	cJSON_ArrayForEach(it, arr) {
		gwp_index(buf, "", "ports", i);
		if (!cJSON_IsObject(it))
			return gwp_invalid(p, buf, "expected an object");
		if (gwp_str(p, it, buf, "name", 0, &es->ports[i].name) != 0 ||
		    gwp_i32(p, it, buf, "port", 0, 65535, 0,
		    &es->ports[i].port) != 0 ||
		    gwp_str_def(p, it, buf, "protocol", "TCP",
		    &es->ports[i].protocol) != 0)
			return -1;
		if (es->ports[i].name != NULL && *es->ports[i].name == '\0')
			es->ports[i].name = NULL;
		i++;
	}
	return 0;
}

/* Parse an EndpointSlice. */
int
gw_endpointslice_parse(const cJSON *obj, struct gw_endpointslice **out,
    char **cause)
{
	struct gwp		 p;
	struct gw_endpointslice	*es;
	const cJSON		*arr, *it;
	char			 buf[GWP_PATH_MAX];
	size_t			 i = 0;

	*out = NULL;
	es = gwp_begin(&p, obj, UP_KIND_ENDPOINTSLICE, 1, sizeof *es, cause);
	if (es == NULL)
		return -1;
	es->service_name = (char *)gw_meta_label(&es->meta,
	    UP_LABEL_SERVICE_NAME);
	if (gwp_str_def(&p, obj, "", "addressType", "IPv4",
	    &es->address_type) != 0 || gw_slice_ports(&p, obj, es) != 0 ||
	    gwp_arr(&p, obj, "", "endpoints", 0, &arr, &es->nendpoints) != 0)
		return gwp_fail(&p);
	if (es->nendpoints != 0)
		es->endpoints = gw_arena_array(p.arena, es->nendpoints,
		    sizeof *es->endpoints);
	cJSON_ArrayForEach(it, arr) {
		gwp_index(buf, "", "endpoints", i);
		if (gw_endpoint_parse(&p, it, buf, &es->endpoints[i++]) != 0)
			return gwp_fail(&p);
	}
	*out = es;
	return 0;
}

/* Free an EndpointSlice. */
void
gw_endpointslice_free(struct gw_endpointslice *es)
{
	if (es != NULL)
		gw_arena_free(es->meta.arena);
}
