/*
 * Builder: target groups. Route backends (one TG per route, Service and
 * port), ServiceImport references, and ServiceExport TGs; protocol and
 * health check from the route kind, defaults and TargetGroupPolicy.
 */
#include <stdlib.h>
#include <string.h>

#include "latticectl/gwapi.h"
#include "latticectl/lmodel.h"
#include "latticectl/strbuf.h"
#include "latticectl/xmalloc.h"

#include "builder_int.h"

#define HC_PATH		"/"
#define HC_MATCHER	"200"
#define HC_INTERVAL	30
#define HC_TIMEOUT	5
#define HC_HEALTHY	5
#define HC_UNHEALTHY	2

/* Health-check defaults for a TG protocol and version (upstream). */
void
lm_health_check_default(const char *protocol, const char *version,
    struct lm_health_check *hc)
{
	int	tcp;

	memset(hc, 0, sizeof *hc);
	tcp = version == NULL || (protocol != NULL &&
	    strcmp(protocol, "TCP") == 0);
	hc->enabled = !tcp && strcmp(version, "HTTP1") == 0;
	hc->protocol = xstrdup("HTTP");
	if (!tcp && strcmp(version, "HTTP2") == 0)
		hc->protocol_version = xstrdup("HTTP2");
	else
		hc->protocol_version = xstrdup("HTTP1");
	hc->path = xstrdup(HC_PATH);
	hc->matcher = xstrdup(HC_MATCHER);
	hc->interval_seconds = HC_INTERVAL;
	hc->timeout_seconds = HC_TIMEOUT;
	hc->healthy_threshold = HC_HEALTHY;
	hc->unhealthy_threshold = HC_UNHEALTHY;
}

/* Replace *dst with a copy of src when src is set. */
static void
tg_set_str(char **dst, const char *src)
{
	if (src == NULL)
		return;
	free(*dst);
	*dst = xstrdup(src);
}

/* Apply the fields a TargetGroupPolicy's healthCheck sets. */
static void
tg_policy_health_check(const struct gw_tgpolicy *tgp,
    struct lm_health_check *hc)
{
	const struct gw_health_check	*p;

	if (tgp == NULL || !tgp->has_health_check)
		return;
	p = &tgp->health_check;
	if (p->has_enabled)
		hc->enabled = p->enabled;
	if (p->interval > 0)
		hc->interval_seconds = p->interval;
	if (p->timeout > 0)
		hc->timeout_seconds = p->timeout;
	if (p->healthy > 0)
		hc->healthy_threshold = p->healthy;
	if (p->unhealthy > 0)
		hc->unhealthy_threshold = p->unhealthy;
	if (p->port > 0)
		hc->port = p->port;
	tg_set_str(&hc->path, p->path);
	tg_set_str(&hc->matcher, p->status_match);
	tg_set_str(&hc->protocol, p->protocol);
	tg_set_str(&hc->protocol_version, p->protocol_version);
}

/* Protocol and version of a TG: TLS is TCP; GRPC keeps GRPC; a policy
 * may choose HTTP/HTTPS (and HTTP1/HTTP2 for plain HTTP), and TCP only
 * where allow_tcp (a legacy ServiceExport). */
static void
tg_protocol(enum lm_tg_family fam, const struct gw_tgpolicy *tgp,
    int allow_tcp, struct lm_target_group *tg)
{
	const char	*p = tgp != NULL ? tgp->protocol : NULL;
	const char	*v = tgp != NULL ? tgp->protocol_version : NULL;

	if (fam == LM_FAMILY_TLS ||
	    (allow_tcp && p != NULL && strcmp(p, "TCP") == 0)) {
		tg->protocol = xstrdup("TCP");
		return;
	}
	if (p == NULL || (strcmp(p, "HTTP") != 0 && strcmp(p, "HTTPS") != 0))
		p = "HTTP";
	tg->protocol = xstrdup(p);
	if (fam == LM_FAMILY_GRPC)
		v = "GRPC";
	else if (v == NULL || strcmp(v, "GRPC") == 0 ||
	    (strcmp(v, "HTTP1") != 0 && strcmp(v, "HTTP2") != 0))
		v = "HTTP1";
	tg->protocol_version = xstrdup(v);
}

/* Type, port, VPC, address type and health check of an owned TG. */
static void
tg_common(const struct lm_config *cfg, const struct gw_service *svc,
    int port, const struct gw_tgpolicy *tgp, struct lm_target_group *tg)
{
	int	v6;

	v6 = svc != NULL && svc->nip_families > 0 &&
	    strcmp(svc->ip_families[0], "IPv6") == 0;
	tg->kind = LM_TG_OWNED;
	tg->type = xstrdup("IP");
	tg->port = port;
	tg->ip_address_type = xstrdup(v6 ? "IPV6" : "IPV4");
	tg->vpc_id = xstrdup(cfg->vpc_id != NULL ? cfg->vpc_id : "");
	lm_health_check_default(tg->protocol, tg->protocol_version,
	    &tg->health_check);
	tg_policy_health_check(tgp, &tg->health_check);
}

/* The identity tags shared by route and export TGs. */
static void
tg_tags(const struct lm_config *cfg, const char *managed_by,
    enum lm_source_kind kind, const char *svc_ns, const char *svc_name,
    struct lm_target_group *tg)
{
	aws_tags_set(&tg->tags, UP_TAG_MANAGED_BY, managed_by);
	aws_tags_set(&tg->tags, UP_TAG_CLUSTER_NAME,
	    cfg->cluster_name != NULL ? cfg->cluster_name : "");
	aws_tags_set(&tg->tags, UP_TAG_SERVICE_NAME, svc_name);
	aws_tags_set(&tg->tags, UP_TAG_SERVICE_NAMESPACE, svc_ns);
	aws_tags_set(&tg->tags, UP_TAG_SOURCE_TYPE, lm_source_kind_str(kind));
	aws_tags_set(&tg->tags, UP_TAG_PROTOCOL_VERSION,
	    tg->protocol_version != NULL ? tg->protocol_version : "");
}

/* The deterministic name: everything that identifies the TG hashed. */
static void
tg_name(const char *managed_by, const char *owner, const char *ns,
    const char *name, struct lm_target_group *tg)
{
	struct strbuf	seed = STRBUF_INIT;

	strbuf_addf(&seed, "%s|%s|%s/%s|%d|%s|%s|%s", managed_by, owner, ns,
	    name, tg->port, tg->protocol, tg->protocol_version != NULL ?
	    tg->protocol_version : "", tg->key);
	tg->name = lm_tg_name(ns, name, strbuf_str(&seed));
	strbuf_free(&seed);
}

/* The TG family of a route kind. */
static enum lm_tg_family
tg_family(enum lm_source_kind k)
{
	if (k == LM_SRC_GRPCROUTE)
		return LM_FAMILY_GRPC;
	if (k == LM_SRC_TLSROUTE)
		return LM_FAMILY_TLS;
	return LM_FAMILY_HTTP;
}

/* The key of a resolved backend's TG, or NULL. */
char *
lm_backend_tg_key(const struct lm_build *b, const struct gw_backend_result *br)
{
	const struct gw_backend_ref	*ref;
	char				*key = NULL;

	ref = &b->route->rules[br->rule].backends[br->backend];
	if (br->service != NULL)
		xasprintf(&key, "svc/%s/%s/%d", br->service->meta.ns,
		    br->service->meta.name, (int)ref->port);
	else if (br->import != NULL && br->import->target_group_arn != NULL)
		xasprintf(&key, "arn/%s", br->import->target_group_arn);
	else if (br->import != NULL)
		xasprintf(&key, "import/%s/%s", br->import->meta.ns,
		    br->import->meta.name);
	return key;
}

/* An owned TG for a Service backend of the route. */
static void
tg_route_service(struct lm_build *b, const struct gw_backend_result *br,
    char *key)
{
	const struct gw_service		*svc = br->service;
	const struct gw_tgpolicy	*tgp = NULL;
	const struct gw_route		*r = b->route;
	struct lm_target_group		*tg;
	char				*owner;
	int32_t				 port;

	port = r->rules[br->rule].backends[br->backend].port;
	if (b->src->tgpolicy != NULL)
		tgp = b->src->tgpolicy(b->src->arg, svc->meta.ns,
		    UP_KIND_SERVICE, svc->meta.name);
	tg = lm_stack_add_tg(b->stack);
	tg->key = key;
	tg_protocol(tg_family(b->kind), tgp, 0, tg);
	tg_common(b->cfg, svc, UP_ROUTE_TG_PORT, tgp, tg);
	tg_tags(b->cfg, b->managed_by, b->kind, svc->meta.ns, svc->meta.name,
	    tg);
	aws_tags_set(&tg->tags, UP_TAG_ROUTE_NAME, r->meta.name);
	aws_tags_set(&tg->tags, UP_TAG_ROUTE_NAMESPACE, r->meta.ns);
	lm_tags_add_user(&tg->tags, r->tags, r->ntags);
	xasprintf(&owner, "%s|%s/%s", lm_source_kind_str(b->kind), r->meta.ns,
	    r->meta.name);
	tg_name(b->managed_by, owner, svc->meta.ns, svc->meta.name, tg);
	free(owner);
	lm_build_targets(b->src, svc, port != 0 ? &port : NULL,
	    port != 0 ? 1 : 0, tg);
}

/* A reference to a ServiceExport TG (by tags) or an external ARN. */
static void
tg_route_import(struct lm_build *b, const struct gw_serviceimport *imp,
    char *key)
{
	struct lm_target_group	*tg;

	tg = lm_stack_add_tg(b->stack);
	tg->key = key;
	if (imp->target_group_arn != NULL) {
		tg->kind = LM_TG_ARN;
		tg->arn = xstrdup(imp->target_group_arn);
		return;
	}
	tg->kind = LM_TG_IMPORT;
	tg->import_namespace = xstrdup(imp->meta.ns);
	tg->import_name = xstrdup(imp->export_name != NULL ?
	    imp->export_name : imp->meta.name);
	tg->import_cluster = xstrdup_or_null(imp->eks_cluster);
	tg->import_vpc = xstrdup_or_null(imp->aws_vpc);
	tg_protocol(tg_family(b->kind), NULL, 0, tg);
}

/* Add the TGs of every resolved backend (one per key). */
void
lm_build_route_tgs(struct lm_build *b)
{
	const struct gw_backend_result	*br;
	char				*key;
	size_t				 i;

	for (i = 0; i < b->res.nbackends; i++) {
		br = &b->res.backends[i];
		if (!br->resolved || (key = lm_backend_tg_key(b, br)) == NULL)
			continue;
		if (lm_stack_find_tg(b->stack, key) != NULL) {
			free(key);
			continue;
		}
		if (br->service != NULL)
			tg_route_service(b, br, key);
		else
			tg_route_import(b, br->import, key);
	}
}

/* ---- ServiceExport ---- */

/* The family of an exportedPorts routeType. */
static enum lm_tg_family
tg_export_family(const char *route_type)
{
	if (route_type != NULL && strcmp(route_type, "GRPC") == 0)
		return LM_FAMILY_GRPC;
	if (route_type != NULL && strcmp(route_type, "TLS") == 0)
		return LM_FAMILY_TLS;
	return LM_FAMILY_HTTP;
}

/* What every TG of one ServiceExport shares. */
struct tg_export {
	const struct lm_config		*cfg;
	const struct lm_sources		*src;
	const struct gw_serviceexport	*exp;
	const struct gw_service		*svc;
	const struct gw_tgpolicy	*tgp;
	char				*managed_by;
	struct lm_stack			*s;
};

/* One export TG: port, family, the Service ports its targets use;
 * legacy (no exportedPorts) lets a policy choose TCP. */
static void
tg_export_one(struct tg_export *x, enum lm_tg_family fam, int port,
    const int32_t *ports, size_t nports, int legacy)
{
	const struct gw_serviceexport	*exp = x->exp;
	struct lm_target_group		*tg;

	tg = lm_stack_add_tg(x->s);
	xasprintf(&tg->key, "export/%s/%s/%d", exp->meta.ns, exp->meta.name,
	    port);
	tg_protocol(fam, x->tgp, legacy, tg);
	tg_common(x->cfg, x->svc, port, x->tgp, tg);
	tg_tags(x->cfg, x->managed_by, LM_SRC_SERVICEEXPORT, exp->meta.ns,
	    exp->meta.name, tg);
	lm_tags_add_user(&tg->tags, exp->tags, exp->ntags);
	tg_name(x->managed_by, UP_SOURCE_SERVICEEXPORT, exp->meta.ns,
	    exp->meta.name, tg);
	lm_build_targets(x->src, x->svc, ports, nports, tg);
}

/* Order target groups by key. */
static int
tg_cmp_key(const void *a, const void *b)
{
	const struct lm_target_group *x = a, *y = b;

	return strcmp(x->key, y->key);
}

/* The Service behind an export (same name unless annotated), or NULL
 * with *warning. */
static const struct gw_service *
tg_export_service(const struct lm_sources *src,
    const struct gw_serviceexport *exp, char **warning)
{
	const struct gw_service	*svc = NULL;
	const char		*name;

	name = exp->service_name != NULL ? exp->service_name : exp->meta.name;
	if (src->gw != NULL && src->gw->service != NULL)
		svc = src->gw->service(src->gw->arg, exp->meta.ns, name);
	if (svc == NULL && warning != NULL)
		xasprintf(warning, "ServiceExport %s/%s: Service %s not found",
		    exp->meta.ns, exp->meta.name, name);
	return svc;
}

/* The target groups of a ServiceExport. */
struct lm_stack *
lm_build_export(const struct lm_config *cfg, const struct lm_sources *src,
    const struct gw_serviceexport *exp, char **warning)
{
	struct tg_export	x;
	size_t			i;

	if (!exp->federated || exp->meta.deleting)
		return NULL;
	memset(&x, 0, sizeof x);
	x.cfg = cfg;
	x.src = src;
	x.exp = exp;
	if ((x.svc = tg_export_service(src, exp, warning)) == NULL)
		return NULL;
	if (src->tgpolicy != NULL)
		x.tgp = src->tgpolicy(src->arg, exp->meta.ns,
		    UP_KIND_SERVICEEXPORT, exp->meta.name);
	x.managed_by = lm_managed_by(cfg);
	x.s = xcalloc(1, sizeof *x.s);
	x.s->owner.kind = LM_SRC_SERVICEEXPORT;
	x.s->owner.namespace = xstrdup(exp->meta.ns);
	x.s->owner.name = xstrdup(exp->meta.name);
	for (i = 0; i < exp->nports; i++)
		tg_export_one(&x, tg_export_family(exp->ports[i].route_type),
		    exp->ports[i].port, &exp->ports[i].port, 1, 0);
	if (exp->nports == 0)
		tg_export_one(&x, LM_FAMILY_HTTP, UP_ROUTE_TG_PORT,
		    exp->legacy_ports, exp->nlegacy_ports, 1);
	lm_sort(x.s->tgs, x.s->n_tgs, sizeof *x.s->tgs, tg_cmp_key);
	free(x.managed_by);
	return x.s;
}
