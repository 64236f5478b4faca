/* The gateway reconciler: GatewayClass Accepted; Gateway -> service
 * network by name (Programmed), listener status (attachedRoutes,
 * supportedKinds), addresses, finalizer; DEFAULT_SERVICE_NETWORK. */
#include <stdlib.h>
#include <string.h>

#define LOG_MODULE "controller"
#include "latticectl/error.h"
#include "latticectl/json.h"
#include "latticectl/kutil.h"
#include "latticectl/log.h"
#include "latticectl/timeutil.h"
#include "latticectl/xmalloc.h"

#include "controller_int.h"

#define MS(s)		((uint64_t)(s) * 1000)
#define CTL_SN_MISS_MS	2000	/* re-list on a miss after this long */

/* ---- service networks ---- */

/* Re-list the service networks (sn_mu held). */
static int
ctl_sn_refresh(struct controller *c, char **cause)
{
	struct lattice_service_network_list	l;
	struct aws_error			err;

	memset(&err, 0, sizeof(err));
	if (lattice_list_service_networks(c->aws, NULL, &l, &err) != 0) {
		*cause = aws_error_string(&err);
		aws_error_clear(&err);
		lattice_service_network_list_free(&l);
		return -1;
	}
	lattice_service_network_list_free(&c->sns);
	c->sns = l;
	c->sn_loaded = 1;
	c->sn_at_ms = time_mono_ms();
	return 0;
}

/* Count the networks named name (else with id name) (sn_mu held). */
static int
ctl_sn_scan(struct controller *c, const char *name, char **arn)
{
	const struct lattice_service_network	*sn;
	size_t					 i;
	int					 n = 0, byid;

	for (byid = 0; byid < 2 && n == 0; byid++) {
		for (i = 0; i < c->sns.n; i++) {
			sn = &c->sns.items[i];
			if ((byid ? sn->id : sn->name) == NULL ||
			    strcmp(byid ? sn->id : sn->name, name) != 0)
				continue;
			if (n++ == 0) {
				free(*arn);
				*arn = xstrdup_or_null(sn->arn);
			}
		}
	}
	return n;
}

/* Service networks named name: count and the first one's ARN. */
int
ctl_sn_find(struct controller *c, const char *name, char **arn, int *count,
    char **cause)
{
	uint64_t	now = time_mono_ms();
	int		rc = 0;

	*arn = NULL;
	pthread_mutex_lock(&c->sn_mu);
	if (!c->sn_loaded || now - c->sn_at_ms > MS(CONTROLLER_SN_CACHE_S))
		rc = ctl_sn_refresh(c, cause);
	if (rc == 0 && (*count = ctl_sn_scan(c, name, arn)) == 0 &&
	    now - c->sn_at_ms > CTL_SN_MISS_MS &&
	    (rc = ctl_sn_refresh(c, cause)) == 0)
		*count = ctl_sn_scan(c, name, arn);
	pthread_mutex_unlock(&c->sn_mu);
	return rc;
}

/* Take the list the mirror's load just made (start, resync) instead of
 * listing again; forget the cache when the mirror has none. */
void
ctl_sn_seed(struct controller *c)
{
	struct lattice_service_network_list	l;

	if (mirror_service_networks(c->mirror, &l) != 0) {
		ctl_sn_invalidate(c);
		return;
	}
	pthread_mutex_lock(&c->sn_mu);
	lattice_service_network_list_free(&c->sns);
	c->sns = l;
	c->sn_loaded = 1;
	c->sn_at_ms = time_mono_ms();
	pthread_mutex_unlock(&c->sn_mu);
}

/* Forget the cached list (after creating one). */
void
ctl_sn_invalidate(struct controller *c)
{
	pthread_mutex_lock(&c->sn_mu);
	c->sn_loaded = 0;
	pthread_mutex_unlock(&c->sn_mu);
}

/* Our ManagedBy tag, for what we create here. */
static void
ctl_managed_tags(struct controller *c, struct aws_tags *t)
{
	memset(t, 0, sizeof(*t));
	aws_tags_set(t, UP_TAG_MANAGED_BY, c->managed_by);
}

/* Create the default service network; its id into *id. */
static int
ctl_sn_create(struct controller *c, char **id, char **cause)
{
	struct lattice_create_service_network_input	in;
	struct lattice_service_network			sn;
	struct aws_error				err;
	struct aws_tags					tags;
	int						rc = 0;

	ctl_managed_tags(c, &tags);
	memset(&in, 0, sizeof(in));
	in.name = c->cfg.default_sn;
	in.tags = &tags;
	memset(&err, 0, sizeof(err));
	if (lattice_create_service_network(c->aws, &in, &sn, &err) != 0) {
		*cause = aws_error_string(&err);
		rc = -1;
	} else {
		log_info("created service network %s (%s)", sn.name, sn.id);
		*id = xstrdup(sn.id);
	}
	aws_error_clear(&err);
	aws_tags_free(&tags);
	lattice_service_network_free(&sn);
	return rc;
}

/* Associate the cluster VPC with service network id unless it is. */
static int
ctl_sn_vpc(struct controller *c, const char *id, char **cause)
{
	struct lattice_list_sn_vpc_assocs_input	 lin;
	struct lattice_sn_vpc_assoc_list	 l;
	struct lattice_create_sn_vpc_assoc_input in;
	struct lattice_sn_vpc_assoc		 a;
	struct aws_error			 err;
	struct aws_tags				 tags;
	int					 rc = 0;

	memset(&lin, 0, sizeof(lin));
	lin.service_network_identifier = id;
	lin.vpc_identifier = c->cfg.vpc_id;
	memset(&err, 0, sizeof(err));
	if (lattice_list_sn_vpc_assocs(c->aws, &lin, &l, &err) != 0)
		rc = -1;
	else if (l.n == 0) {
		ctl_managed_tags(c, &tags);
		memset(&in, 0, sizeof(in));
		in.service_network_identifier = id;
		in.vpc_identifier = c->cfg.vpc_id;
		in.tags = &tags;
		rc = lattice_create_sn_vpc_assoc(c->aws, &in, &a, &err);
		if (rc == 0)
			log_info("associated %s with %s", c->cfg.vpc_id, id);
		lattice_sn_vpc_assoc_free(&a);
		aws_tags_free(&tags);
	}
	if (rc != 0)
		*cause = aws_error_string(&err);
	aws_error_clear(&err);
	lattice_sn_vpc_assoc_list_free(&l);
	return rc;
}

/* The id of the network named name in the cached list (sn_mu held). */
static char *
ctl_sn_id(struct controller *c, const char *name)
{
	size_t	i;

	for (i = 0; i < c->sns.n; i++) {
		if (c->sns.items[i].name != NULL &&
		    strcmp(c->sns.items[i].name, name) == 0)
			return xstrdup_or_null(c->sns.items[i].id);
	}
	return NULL;
}

/* DEFAULT_SERVICE_NETWORK: create it and its VPC association if
 * missing (upstream does this at start, in every replica; here only the
 * leader does). */
int
ctl_default_sn(struct controller *c, char **cause)
{
	char	*id = NULL;
	int	 rc = 0;

	pthread_mutex_lock(&c->sn_mu);
	if (ctl_sn_refresh(c, cause) != 0) {
		pthread_mutex_unlock(&c->sn_mu);
		return -1;
	}
	id = ctl_sn_id(c, c->cfg.default_sn);
	pthread_mutex_unlock(&c->sn_mu);
	if (!ctl_writes(c)) {
		if (id == NULL)
			log_info("dry run: would create service network %s",
			    c->cfg.default_sn);
		free(id);
		return 0;
	}
	if (id == NULL)
		rc = ctl_sn_create(c, &id, cause);
	if (rc == 0)
		rc = ctl_sn_vpc(c, id, cause);
	free(id);
	ctl_sn_invalidate(c);
	return rc;
}

/* ---- Gateway ---- */

/* What a Gateway reconcile gathers from the store (copies). */
struct gctx {
	struct controller	*c;
	const char		*key;
	const struct kube_resource *res;
	cJSON			*cur;
	int			 found;		/* typed object in the store */
	int			 ours;
	int			 routes_left;	/* live routes naming it */
	char			*sn_name;
	char			*address;	/* first route's DNS name */
	struct status_listener	*ls;
	char			**lnames;
	const char		*(*kinds)[2];
	size_t			 nls;
};

/* Does route r name gateway gw (kind Gateway, namespace, name)? */
static int
ctl_route_names(const struct gw_route *r, const struct gw_gateway *gw)
{
	const struct gw_parent_ref	*p;
	size_t				 i;

	for (i = 0; i < r->nparents; i++) {
		p = &r->parents[i];
		if (strcmp(p->kind, UP_KIND_GATEWAY) == 0 &&
		    strcmp(p->group, UP_GROUP_GATEWAY) == 0 &&
		    strcmp(p->name, gw->meta.name) == 0 &&
		    strcmp(p->ns != NULL ? p->ns : r->meta.ns,
		    gw->meta.ns) == 0)
			return 1;
	}
	return 0;
}

/* Routes naming the Gateway: how many are live, the first DNS name. */
static void
ctl_gw_routes(struct gctx *g, const struct gw_route *const *routes,
    size_t n, const struct gw_gateway *gw)
{
	const char	*dns;
	size_t		 i;

	for (i = 0; i < n; i++) {
		if (routes[i]->meta.deleting || !ctl_route_names(routes[i], gw))
			continue;
		g->routes_left++;
		dns = gw_meta_annotation(&routes[i]->meta, UP_ANN_ASSIGNED_DNS);
		if (g->address == NULL && dns != NULL && *dns != '\0')
			g->address = xstrdup(dns);
	}
}

/* Listener status: supported kinds and attached routes (copied). */
static void
ctl_gw_listeners(struct gctx *g, const struct gw_gateway *gw,
    const struct gw_route *const *routes, size_t n,
    const struct gw_lookup *lk)
{
	int32_t	*counts;
	size_t	 i;
	int	 invalid;

	g->nls = gw->nlisteners;
	g->ls = xcalloc(g->nls + 1, sizeof(*g->ls));
	g->lnames = xcalloc(g->nls + 1, sizeof(*g->lnames));
	g->kinds = xcalloc(g->nls + 1, sizeof(*g->kinds));
	counts = xcalloc(g->nls + 1, sizeof(*counts));
	gw_count_attached(gw, routes, n, lk, counts);
	for (i = 0; i < g->nls; i++) {
		g->lnames[i] = xstrdup(gw->listeners[i].name);
		invalid = 0;
		g->ls[i].nkinds = gw_listener_supported_kinds(&gw->listeners[i],
		    g->kinds[i], &invalid);
		g->ls[i].name = g->lnames[i];
		g->ls[i].attached_routes = counts[i];
		g->ls[i].kinds = g->kinds[i];
		g->ls[i].invalid_kinds = invalid;
	}
	free(counts);
}

/* Gather everything the Gateway's status needs (store read lock). */
static void
ctl_gw_gather(struct gctx *g, const char *ns, const char *name)
{
	struct controller		*c = g->c;
	struct cs_view			 v;
	const struct gw_gateway		*gw;
	const struct gw_route *const	*routes;
	size_t				 n;

	cs_rdlock(c->store);
	cs_view_init(&v, c->store);
	if ((gw = cs_get(c->store, CS_GATEWAY, ns, name)) != NULL) {
		g->found = 1;
		g->ours = gw_gateway_is_ours(gw, &v.lk);
		n = cs_routes(c->store, &routes);
		ctl_gw_routes(g, routes, n, gw);
		if (g->ours) {
			g->sn_name = xstrdup(lm_sn_name(&c->lm, gw));
			ctl_gw_listeners(g, gw, routes, n, &v.lk);
		}
	}
	cs_unlock(c->store);
}

/* Free what ctl_gw_gather copied. */
static void
ctl_gw_clear(struct gctx *g)
{
	size_t	i;

	for (i = 0; i < g->nls; i++)
		free(g->lnames[i]);
	free(g->lnames);
	free(g->ls);
	free(g->kinds);
	free(g->sn_name);
	free(g->address);
	cJSON_Delete(g->cur);
}

/* A kube_error as *cause; returns -1. */
static int
ctl_gw_fail(struct kube_error *e, const char *what, char **cause)
{
	char	*s = kube_error_string(e);

	error_set(cause, "%s: %s", what, s);
	free(s);
	kube_error_clear(e);
	return -1;
}

/* Add or remove the Gateway finalizer. */
static int
ctl_gw_finalizer(struct gctx *g, int add, char **cause)
{
	struct kube_error	 e;
	cJSON			*out = NULL;
	int			 rc;

	if (!ctl_writes(g->c) || kube_finalizer_has(g->cur, UP_FIN_GATEWAY) ==
	    add)
		return 0;
	memset(&e, 0, sizeof(e));
	if (add)
		rc = status_finalizer_add(g->c->sw, g->res, g->cur,
		    UP_FIN_GATEWAY, &out, &e);
	else
		rc = status_finalizer_remove(g->c->sw, g->res, g->cur,
		    UP_FIN_GATEWAY, &out, &e);
	if (rc != 0)
		return ctl_gw_fail(&e, "finalizer", cause);
	if (out != NULL) {
		cJSON_Delete(g->cur);
		g->cur = out;
	}
	return 0;
}

/* Write the Gateway's status for the service network found. */
static int
ctl_gw_status(struct gctx *g, enum status_sn sn, const char *arn,
    char **cause)
{
	struct status_gateway	 st;
	struct kube_error	 e;
	const char		*addr[1];

	if (!ctl_writes(g->c))
		return 0;
	memset(&st, 0, sizeof(st));
	st.accepted = 1;
	st.sn = sn;
	st.sn_arn = arn;
	addr[0] = g->address;
	st.addresses = addr;
	st.naddresses = g->address != NULL ? 1 : 0;
	st.listeners = g->ls;
	st.nlisteners = g->nls;
	memset(&e, 0, sizeof(e));
	if (status_gateway_write(g->c->sw, g->res, g->cur, &st, NULL, &e) != 0)
		return ctl_gw_fail(&e, "writing status", cause);
	return 0;
}

/* A live Gateway of ours: finalizer, service network, status. */
static enum reconcile_outcome
ctl_gw_live(struct gctx *g, uint64_t *after_ms, char **cause)
{
	struct controller	*c = g->c;
	enum status_sn		 sn;
	char			*arn = NULL;
	int			 count = 0;

	if (ctl_gw_finalizer(g, 1, cause) != 0 ||
	    ctl_sn_find(c, g->sn_name, &arn, &count, cause) != 0) {
		ctl_key_set(c, g->key, CTL_FAILED, "%s", *cause);
		return RECONCILE_ERROR;
	}
	sn = count == 0 ? STATUS_SN_NOT_FOUND : count > 1 ?
	    STATUS_SN_CONFLICT : STATUS_SN_FOUND;
	if (ctl_gw_status(g, sn, arn, cause) != 0) {
		free(arn);
		ctl_key_set(c, g->key, CTL_FAILED, "%s", *cause);
		return RECONCILE_ERROR;
	}
	free(arn);
	if (sn == STATUS_SN_FOUND) {
		ctl_key_set(c, g->key, CTL_CONVERGED, "service network %s",
		    g->sn_name);
		return RECONCILE_DONE;
	}
	ctl_key_set(c, g->key, CTL_BLOCKED, "%s: %s", g->sn_name, count == 0 ?
	    UP_MSG_SN_NOT_FOUND : "several service networks match");
	if (c->cfg.once)
		return RECONCILE_DONE;
	/* Upstream never looks again (its issue #609); we do. */
	*after_ms = MS(CONTROLLER_SN_RECHECK_S);
	return RECONCILE_REQUEUE;
}

/* A Gateway being deleted: wait for its routes, then the finalizer. */
static enum reconcile_outcome
ctl_gw_deleting(struct gctx *g, uint64_t *after_ms, char **cause)
{
	if (g->routes_left > 0) {
		ctl_key_set(g->c, g->key, CTL_PENDING, "%d route%s still "
		    "attached", g->routes_left, g->routes_left == 1 ? "" : "s");
		*after_ms = MS(CONTROLLER_GW_DELETE_WAIT_S);
		return RECONCILE_REQUEUE;
	}
	if (ctl_gw_finalizer(g, 0, cause) != 0) {
		ctl_key_set(g->c, g->key, CTL_FAILED, "%s", *cause);
		return RECONCILE_ERROR;
	}
	ctl_key_forget(g->c, g->key);
	return RECONCILE_DONE;
}

/* Reconcile "Gateway/ns/name". */
static enum reconcile_outcome
ctl_gateway(struct controller *c, const char *key, const char *ns,
    const char *name, uint64_t *after_ms, char **cause)
{
	struct gctx		 g;
	struct kube_obj		*o = NULL;
	enum reconcile_outcome	 out = RECONCILE_DONE;

	memset(&g, 0, sizeof(g));
	g.c = c;
	g.key = key;
	g.res = &c->res[CS_GATEWAY];
	if (c->inf[CS_GATEWAY] != NULL)
		o = kube_cache_get(kube_informer_cache(c->inf[CS_GATEWAY]), ns,
		    name);
	if (o == NULL) {
		ctl_key_forget(c, key);
		return RECONCILE_GONE;
	}
	g.cur = cJSON_Duplicate(kube_obj_json(o), 1);
	kube_obj_unref(o);
	ctl_gw_gather(&g, ns, name);
	if (!g.found || !g.ours) {
		if (g.found && ctl_gw_finalizer(&g, 0, cause) != 0)
			out = RECONCILE_ERROR;
		else
			ctl_key_set(c, key, CTL_CONVERGED, "not ours");
	} else if (json_path(g.cur, "metadata.deletionTimestamp") != NULL)
		out = ctl_gw_deleting(&g, after_ms, cause);
	else
		out = ctl_gw_live(&g, after_ms, cause);
	ctl_gw_clear(&g);
	return out;
}

/* Reconcile "GatewayClass/name": Accepted for our controllerName. */
static enum reconcile_outcome
ctl_gatewayclass(struct controller *c, const char *key, const char *name,
    char **cause)
{
	const struct gw_gatewayclass	*gc;
	struct kube_obj			*o = NULL;
	struct kube_error		 e;
	cJSON				*cur;
	int				 ours, rc = 0;

	if (c->inf[CS_CLASS] != NULL)
		o = kube_cache_get(kube_informer_cache(c->inf[CS_CLASS]), NULL,
		    name);
	if (o == NULL) {
		ctl_key_forget(c, key);
		return RECONCILE_GONE;
	}
	cur = cJSON_Duplicate(kube_obj_json(o), 1);
	kube_obj_unref(o);
	cs_rdlock(c->store);
	gc = cs_get(c->store, CS_CLASS, NULL, name);
	ours = gc != NULL && gc->ours;
	cs_unlock(c->store);
	memset(&e, 0, sizeof(e));
	if (ours && ctl_writes(c) && (rc = status_accepted_write(c->sw,
	    &c->res[CS_CLASS], cur, UP_REASON_ACCEPTED, "", NULL, &e)) != 0)
		ctl_gw_fail(&e, "writing status", cause);
	cJSON_Delete(cur);
	if (rc != 0) {
		ctl_key_set(c, key, CTL_FAILED, "%s", *cause);
		return RECONCILE_ERROR;
	}
	ctl_key_set(c, key, CTL_CONVERGED, "%s", ours ? "accepted" :
	    "not ours");
	return RECONCILE_DONE;
}

/* Queue every Gateway (after the default network appeared). */
static int
ctl_gw_queue_one(void *arg, const void *obj)
{
	struct controller	*c = arg;
	const struct gw_gateway	*gw = obj;
	char			*key;

	xasprintf(&key, "%s/%s/%s", UP_KIND_GATEWAY, gw->meta.ns,
	    gw->meta.name);
	reconcile_add(c->gateways, key);
	free(key);
	return 0;
}

/* Reconcile the default service network key. */
static enum reconcile_outcome
ctl_default_sn_reconcile(struct controller *c, const char *key,
    char **cause)
{
	if (ctl_default_sn(c, cause) != 0) {
		ctl_key_set(c, key, CTL_FAILED, "%s: %s", c->cfg.default_sn,
		    *cause);
		return RECONCILE_ERROR;
	}
	ctl_key_set(c, key, CTL_CONVERGED, "%s", c->cfg.default_sn);
	cs_rdlock(c->store);
	cs_each(c->store, CS_GATEWAY, ctl_gw_queue_one, c);
	cs_unlock(c->store);
	return RECONCILE_DONE;
}

/* The gateway reconciler: dispatch on the key's kind. */
enum reconcile_outcome
ctl_gw_reconcile(void *arg, const char *key, uint64_t *after_ms,
    char **cause)
{
	struct controller	*c = arg;
	char			*kind, *ns, *name;
	enum reconcile_outcome	 out = RECONCILE_GONE;

	if (strcmp(key, CTL_KEY_DEFAULT_SN) == 0)
		return ctl_default_sn_reconcile(c, key, cause);
	if (ctl_key_split(key, &kind, &ns, &name) != 0) {
		log_warn("gateway key %s: malformed", key);
		return RECONCILE_GONE;
	}
	if (strcmp(kind, UP_KIND_GATEWAY) == 0 && ns != NULL)
		out = ctl_gateway(c, key, ns, name, after_ms, cause);
	else if (strcmp(kind, UP_KIND_GATEWAYCLASS) == 0 && ns == NULL)
		out = ctl_gatewayclass(c, key, name, cause);
	else
		log_warn("gateway key %s: unknown kind", key);
	free(kind);
	free(ns);
	free(name);
	return out;
}
