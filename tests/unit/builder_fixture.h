/*
 * Test fixture for the builder: a gwapi snapshot (gateways, classes,
 * routes, services, imports) plus the EndpointSlices, TargetGroupPolicies,
 * ServiceExports and creation timestamps the builder's lm_sources
 * callbacks serve, loaded from YAML (the reference examples or inline
 * manifests). Header-only: included by test_builder*.c and the fuzzer.
 *
 * Ownership: the fixture owns everything it loads; fx_free releases it.
 */
#ifndef BUILDER_FIXTURE_H
#define BUILDER_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "latticectl/gwapi.h"
#include "latticectl/json.h"
#include "latticectl/lmodel.h"
#include "latticectl/xmalloc.h"
#include "latticectl/yaml.h"

#define FX_MAX	64
#define FX_FN	static __attribute__((unused))

struct fx_created {
	char	*kind;
	char	*ns;
	char	*name;
	char	*ts;
};

struct fx {
	struct gw_snapshot		*snap;
	struct gw_lookup		 lk;
	struct lm_sources		 src;
	struct lm_config		 cfg;
	struct gw_endpointslice		*slices[FX_MAX];
	size_t				 nslices;
	struct gw_tgpolicy		*tgps[FX_MAX];
	size_t				 ntgps;
	struct gw_serviceexport		*exports[FX_MAX];
	size_t				 nexports;
	struct fx_created		 created[FX_MAX];
	size_t				 ncreated;
	const struct gw_endpointslice	*hits[FX_MAX];
};

/* EndpointSlices of one Service. */
FX_FN size_t
fx_slices(void *arg, const char *ns, const char *svc,
    const struct gw_endpointslice *const **out)
{
	struct fx	*fx = arg;
	size_t		 i, n = 0;

	for (i = 0; i < fx->nslices; i++) {
		const struct gw_endpointslice *s = fx->slices[i];

		if (s->service_name != NULL && strcmp(s->meta.ns, ns) == 0 &&
		    strcmp(s->service_name, svc) == 0)
			fx->hits[n++] = s;
	}
	*out = fx->hits;
	return n;
}

/* The TargetGroupPolicy whose targetRef is kind/name in ns. */
FX_FN const struct gw_tgpolicy *
fx_tgpolicy(void *arg, const char *ns, const char *kind, const char *name)
{
	struct fx	*fx = arg;
	size_t		 i;

	for (i = 0; i < fx->ntgps; i++) {
		const struct gw_tgpolicy *p = fx->tgps[i];

		if (strcmp(p->target.kind, kind) == 0 &&
		    strcmp(p->target.name, name) == 0 &&
		    strcmp(p->target.ns != NULL ? p->target.ns : p->meta.ns,
		    ns) == 0)
			return p;
	}
	return NULL;
}

/* Every route in the snapshot. */
FX_FN size_t
fx_routes(void *arg, const struct gw_route *const **out)
{
	struct fx	*fx = arg;
	size_t		 n;

	*out = gw_snapshot_routes(fx->snap, &n);
	return n;
}

/* creationTimestamp recorded when the route was loaded. */
FX_FN const char *
fx_route_created(void *arg, const struct gw_route *r)
{
	struct fx	*fx = arg;
	size_t		 i;

	for (i = 0; i < fx->ncreated; i++) {
		const struct fx_created *c = &fx->created[i];

		if (strcmp(c->kind, r->meta.kind) == 0 &&
		    strcmp(c->ns, r->meta.ns) == 0 &&
		    strcmp(c->name, r->meta.name) == 0)
			return c->ts;
	}
	return NULL;
}

/* A fresh fixture with the lab's controller settings. */
FX_FN void
fx_init(struct fx *fx)
{
	memset(fx, 0, sizeof *fx);
	fx->snap = gw_snapshot_new();
	gw_snapshot_add_namespace(fx->snap, "default", NULL, 0);
	gw_snapshot_lookup(fx->snap, &fx->lk);
	fx->src.gw = &fx->lk;
	fx->src.arg = fx;
	fx->src.slices = fx_slices;
	fx->src.tgpolicy = fx_tgpolicy;
	fx->src.routes = fx_routes;
	fx->src.created = fx_route_created;
	fx->cfg.account_id = "123456789012";
	fx->cfg.cluster_name = "c1";
	fx->cfg.vpc_id = "vpc-0c1";
}

/* Remember a route's creationTimestamp. */
FX_FN void
fx_note_created(struct fx *fx, const cJSON *doc, const char *kind)
{
	const char		*ts, *ns;
	struct fx_created	*c;

	ts = json_path_str(doc, "metadata.creationTimestamp");
	if (ts == NULL || fx->ncreated == FX_MAX)
		return;
	ns = json_path_str(doc, "metadata.namespace");
	c = &fx->created[fx->ncreated++];
	c->kind = xstrdup(kind);
	c->ns = xstrdup(ns != NULL ? ns : "default");
	c->name = xstrdup(json_path_str(doc, "metadata.name"));
	c->ts = xstrdup(ts);
}

/* Add one document; -1 on a parse error (*cause set). */
FX_FN int
fx_add_doc(struct fx *fx, const cJSON *doc, char **cause)
{
	const char		*kind = json_str(doc, "kind");
	struct gw_endpointslice	*sl;
	struct gw_tgpolicy	*tgp;
	struct gw_serviceexport	*exp;

	if (kind == NULL)
		return 0;
	if (strcmp(kind, "EndpointSlice") == 0 && fx->nslices < FX_MAX) {
		if (gw_endpointslice_parse(doc, &sl, cause) != 0)
			return -1;
		fx->slices[fx->nslices++] = sl;
		return 0;
	}
	if (strcmp(kind, "TargetGroupPolicy") == 0 && fx->ntgps < FX_MAX) {
		if (gw_tgpolicy_parse(doc, &tgp, cause) != 0)
			return -1;
		fx->tgps[fx->ntgps++] = tgp;
		return 0;
	}
	if (strcmp(kind, "ServiceExport") == 0 && fx->nexports < FX_MAX) {
		if (gw_serviceexport_parse(doc, &exp, cause) != 0)
			return -1;
		fx->exports[fx->nexports++] = exp;
		return 0;
	}
	if (strstr(kind, "Route") != NULL)
		fx_note_created(fx, doc, kind);
	return gw_snapshot_add_json(fx->snap, doc, cause);
}

/* Load a YAML stream; 0 ok. */
FX_FN int
fx_load_text(struct fx *fx, const char *text, char **cause)
{
	cJSON		*docs = NULL;
	const cJSON	*d;
	int		 rc = 0;

	if (yaml_load(text, strlen(text), "inline", &docs, cause) != 0)
		return -1;
	cJSON_ArrayForEach(d, docs) {
		if (fx_add_doc(fx, d, cause) != 0) {
			rc = -1;
			break;
		}
	}
	cJSON_Delete(docs);
	return rc;
}

/* Load a file under the reference directory ("examples/x.yaml"). */
FX_FN int
fx_load_ref(struct fx *fx, const char *ref, const char *rel, char **cause)
{
	char	 path[1024];
	cJSON	*docs = NULL;
	const cJSON *d;
	int	 rc = 0;

	snprintf(path, sizeof path, "%s/%s", ref, rel);
	if (yaml_load_file(path, &docs, cause) != 0)
		return -1;
	cJSON_ArrayForEach(d, docs) {
		if (fx_add_doc(fx, d, cause) != 0) {
			rc = -1;
			break;
		}
	}
	cJSON_Delete(docs);
	return rc;
}

/* The route kind/ns/name held by the snapshot, or NULL. */
FX_FN const struct gw_route *
fx_route(struct fx *fx, const char *kind, const char *ns, const char *name)
{
	const struct gw_route *const	*r;
	size_t				 n, i;

	r = gw_snapshot_routes(fx->snap, &n);
	for (i = 0; i < n; i++) {
		if (strcmp(r[i]->meta.kind, kind) == 0 &&
		    strcmp(r[i]->meta.ns, ns) == 0 &&
		    strcmp(r[i]->meta.name, name) == 0)
			return r[i];
	}
	return NULL;
}

/* Release everything. */
FX_FN void
fx_free(struct fx *fx)
{
	size_t	i;

	for (i = 0; i < fx->nslices; i++)
		gw_endpointslice_free(fx->slices[i]);
	for (i = 0; i < fx->ntgps; i++)
		gw_tgpolicy_free(fx->tgps[i]);
	for (i = 0; i < fx->nexports; i++)
		gw_serviceexport_free(fx->exports[i]);
	for (i = 0; i < fx->ncreated; i++) {
		free(fx->created[i].kind);
		free(fx->created[i].ns);
		free(fx->created[i].name);
		free(fx->created[i].ts);
	}
	gw_snapshot_free(fx->snap);
	memset(fx, 0, sizeof *fx);
}

/* Build route kind default/name into *res (the route must exist). */
FX_FN void
fx_build(struct fx *fx, const char *kind, const char *name,
    struct lm_route_result *res)
{
	const struct gw_route	*r = fx_route(fx, kind, "default", name);

	if (r == NULL) {
		fprintf(stderr, "fixture: no %s default/%s\n", kind, name);
		abort();
	}
	lm_build_route(&fx->cfg, &fx->src, r, res);
}

/* The stack's target group with key, or NULL. */
FX_FN const struct lm_target_group *
fx_tg(const struct lm_stack *s, const char *key)
{
	size_t	i;

	for (i = 0; s != NULL && i < s->n_tgs; i++) {
		if (strcmp(s->tgs[i].key, key) == 0)
			return &s->tgs[i];
	}
	return NULL;
}

/* The stack's listener on port, or NULL. */
FX_FN const struct lm_listener *
fx_listener(const struct lm_stack *s, int port)
{
	size_t	i;

	for (i = 0; s != NULL && i < s->n_listeners; i++) {
		if (s->listeners[i].port == port)
			return &s->listeners[i];
	}
	return NULL;
}

/* A tag value or "<absent>". */
FX_FN const char *
fx_tag(const struct aws_tags *t, const char *key)
{
	const char	*v = aws_tags_get(t, key);

	return v != NULL ? v : "<absent>";
}

/* Whether a warning contains needle. */
FX_FN int
fx_warned(const struct lm_route_result *r, const char *needle)
{
	size_t	i;

	for (i = 0; i < r->nwarnings; i++) {
		if (strstr(r->warnings[i], needle) != NULL)
			return 1;
	}
	return 0;
}

#endif
