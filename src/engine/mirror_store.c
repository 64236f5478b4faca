/*
 * The mirror's data: lookups and the updates made from API responses.
 * Every function here runs with the mirror's mu held.
 */
#include <stdlib.h>
#include <string.h>

#include "latticectl/strbuf.h"
#include "latticectl/xmalloc.h"

#include "mirror_int.h"

#define MX_PUSH(arr, n, item) do {					\
	(arr) = xreallocarray((arr), (n) + 1, sizeof(*(arr)));		\
	(arr)[(n)++] = (item);						\
} while (0)

#define MX_REMOVE(arr, n, i) do {					\
	memmove(&(arr)[(i)], &(arr)[(i) + 1],				\
	    ((n) - (i) - 1) * sizeof(*(arr)));				\
	(n)--;								\
} while (0)

/* Equal strings, NULL equal to NULL only. */
static int
mx_streq(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

/* A tag's value, "" when absent. */
static const char *
mx_tag(const struct aws_tags *t, const char *key)
{
	const char	*v = aws_tags_get(t, key);

	return v != NULL ? v : "";
}

/* Same timestamp? */
static int
mx_same_time(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec == b->tv_sec && a->tv_nsec == b->tv_nsec;
}

/* Does a listed summary (created, updated) say the resource is as we
 * know it? Yes when its lastUpdatedAt is the one we know; also when we
 * know none (our own create's response carries no timestamps) and the
 * resource was never updated since its creation. A summary without a
 * lastUpdatedAt says nothing new. */
int
mx_unchanged(const struct timespec *created, const struct timespec *updated,
    const struct timespec *known)
{
	if (updated->tv_sec == 0)
		return 1;
	if (mx_same_time(updated, known))
		return 1;
	return known->tv_sec == 0 && known->tv_nsec == 0 &&
	    mx_same_time(created, updated);
}

/* Move *old into *new when the new value is absent. */
static void
mx_keep_str(char **new, char **old)
{
	if (*new == NULL) {
		*new = *old;
		*old = NULL;
	}
}

/* Free a rule entity. */
static void
mx_rule_free(struct mx_rule *r)
{
	lattice_rule_free(&r->r);
	free(r);
}

/* Free a listener entity and its rules. */
static void
mx_listener_free(struct mx_listener *l)
{
	size_t	i;

	for (i = 0; i < l->n_rules; i++)
		mx_rule_free(l->rules[i]);
	free(l->rules);
	lattice_listener_free(&l->l);
	free(l);
}

/* Free a service entity and its children. */
static void
mx_service_free(struct mx_service *s)
{
	size_t	i;

	for (i = 0; i < s->n_listeners; i++)
		mx_listener_free(s->listeners[i]);
	free(s->listeners);
	lattice_service_free(&s->s);
	aws_tags_free(&s->tags);
	free(s);
}

/* Free a target group entity. */
static void
mx_tg_free(struct mx_tg *t)
{
	size_t	i;

	for (i = 0; i < t->n_targets; i++)
		lattice_target_free(&t->targets[i]);
	free(t->targets);
	lattice_target_group_free(&t->tg);
	aws_tags_free(&t->tags);
	free(t->ident);
	free(t);
}

/* Free an association entity. */
static void
mx_assoc_free(struct mx_assoc *a)
{
	lattice_sn_service_assoc_free(&a->a);
	aws_tags_free(&a->tags);
	free(a);
}

/* Release a whole state and leave it zeroed. */
void
mx_state_free(struct mx_state *st)
{
	size_t	i;

	for (i = 0; i < st->n_sns; i++)
		lattice_service_network_free(&st->sns[i]);
	free(st->sns);
	for (i = 0; i < st->n_svcs; i++)
		mx_service_free(st->svcs[i]);
	free(st->svcs);
	for (i = 0; i < st->n_tgs; i++)
		mx_tg_free(st->tgs[i]);
	free(st->tgs);
	for (i = 0; i < st->n_assocs; i++)
		mx_assoc_free(st->assocs[i]);
	free(st->assocs);
	for (i = 0; i < st->n_snvas; i++)
		lattice_sn_vpc_assoc_free(&st->snvas[i]);
	free(st->snvas);
	hmap_free(&st->svc_by_name, NULL);
	hmap_free(&st->svc_by_id, NULL);
	hmap_free(&st->tg_by_id, NULL);
	hmap_free(&st->tg_by_name, NULL);
	hmap_free(&st->tg_by_ident, NULL);
	memset(st, 0, sizeof(*st));
}

/* ---- lookups ---- */

/* A service by name. */
struct mx_service *
mx_svc_by_name(struct mirror *m, const char *name)
{
	return hmap_get(&m->st.svc_by_name, name);
}

/* A service by id or ARN. */
struct mx_service *
mx_svc_by_id(struct mirror *m, const char *id)
{
	return hmap_get(&m->st.svc_by_id, mx_ident_id(id));
}

/* A target group by id or ARN. */
struct mx_tg *
mx_tg_by_id(struct mirror *m, const char *id)
{
	return hmap_get(&m->st.tg_by_id, mx_ident_id(id));
}

/* A service network by name (or by id, as upstream accepts both). */
const struct lattice_service_network *
mx_sn_by_name(struct mirror *m, const char *name)
{
	size_t	i;

	for (i = 0; i < m->st.n_sns; i++) {
		if (mx_streq(m->st.sns[i].name, name))
			return &m->st.sns[i];
	}
	for (i = 0; i < m->st.n_sns; i++) {
		if (mx_streq(m->st.sns[i].id, name))
			return &m->st.sns[i];
	}
	return NULL;
}

/* The association of a service with a service network. */
struct mx_assoc *
mx_assoc_find(struct mirror *m, const char *svc_id, const char *sn_id)
{
	size_t	i;

	for (i = 0; i < m->st.n_assocs; i++) {
		if (mx_streq(m->st.assocs[i]->a.service_id, svc_id) &&
		    mx_streq(m->st.assocs[i]->a.service_network_id, sn_id))
			return m->st.assocs[i];
	}
	return NULL;
}

/* An association by id. */
struct mx_assoc *
mx_assoc_by_id(struct mirror *m, const char *id)
{
	size_t	i;

	for (i = 0; i < m->st.n_assocs; i++) {
		if (mx_streq(m->st.assocs[i]->a.id, id))
			return m->st.assocs[i];
	}
	return NULL;
}

/* A service's listener on a port. */
struct mx_listener *
mx_listener_by_port(struct mx_service *s, int port)
{
	size_t	i;

	for (i = 0; i < s->n_listeners; i++) {
		if (s->listeners[i]->l.port == port)
			return s->listeners[i];
	}
	return NULL;
}

/* A service's listener by id. */
struct mx_listener *
mx_listener_by_id(struct mx_service *s, const char *id)
{
	size_t	i;

	for (i = 0; i < s->n_listeners; i++) {
		if (mx_streq(s->listeners[i]->l.id, id))
			return s->listeners[i];
	}
	return NULL;
}

/* A listener's rule by id. */
struct mx_rule *
mx_rule_by_id(struct mx_listener *l, const char *id)
{
	size_t	i;

	for (i = 0; i < l->n_rules; i++) {
		if (mx_streq(l->rules[i]->r.id, id))
			return l->rules[i];
	}
	return NULL;
}

/* ---- target group identity ---- */

/* The identity string: identity tags and immutable fields. */
char *
mx_tg_ident(const struct aws_tags *t, const char *type, int port,
    const char *protocol, const char *ip_type, const char *vpc)
{
	char	*s;

	if (aws_tags_get(t, UP_TAG_MANAGED_BY) == NULL)
		return NULL;
	xasprintf(&s, "%s|%s|%s|%s|%s|%s|%s|%s|%s|%d|%s|%s|%s",
	    mx_tag(t, UP_TAG_MANAGED_BY), mx_tag(t, UP_TAG_CLUSTER_NAME),
	    mx_tag(t, UP_TAG_SERVICE_NAME), mx_tag(t, UP_TAG_SERVICE_NAMESPACE),
	    mx_tag(t, UP_TAG_SOURCE_TYPE), mx_tag(t, UP_TAG_ROUTE_NAME),
	    mx_tag(t, UP_TAG_ROUTE_NAMESPACE),
	    mx_tag(t, UP_TAG_PROTOCOL_VERSION), type != NULL ? type : "",
	    port, protocol != NULL ? protocol : "",
	    ip_type != NULL ? ip_type : "", vpc != NULL ? vpc : "");
	return s;
}

/* The identity string of a desired (owned) target group. */
char *
mx_tg_ident_desired(const struct lm_target_group *d)
{
	return mx_tg_ident(&d->tags, d->type, d->port, d->protocol,
	    d->ip_address_type, d->vpc_id);
}

/* Recompute a TG's identity and index it. */
static void
mx_tg_index(struct mirror *m, struct mx_tg *t)
{
	const struct lattice_tg_config	*c = &t->tg.config;

	if (t->ident != NULL &&
	    hmap_get(&m->st.tg_by_ident, t->ident) == t)
		hmap_del(&m->st.tg_by_ident, t->ident);
	free(t->ident);
	t->ident = NULL;
	if (t->tags_loaded)
		t->ident = mx_tg_ident(&t->tags, t->tg.type, c->port,
		    c->protocol, c->ip_address_type, c->vpc_identifier);
	if (t->ident != NULL &&
	    hmap_get(&m->st.tg_by_ident, t->ident) == NULL)
		hmap_put(&m->st.tg_by_ident, t->ident, t);
	if (t->tg.name != NULL)
		hmap_put(&m->st.tg_by_name, t->tg.name, t);
}

/* May this TG be used as the actual side of a desired one? */
static int
mx_tg_usable(const struct mx_tg *t)
{
	const char	*st = t->tg.status;

	return st == NULL || (strcmp(st, "CREATE_FAILED") != 0 &&
	    strncmp(st, "DELETE_", 7) != 0);
}

/* Same immutable fields as the desired TG? */
static int
mx_tg_same_config(const struct mx_tg *t, const struct lm_target_group *d)
{
	const struct lattice_tg_config	*c = &t->tg.config;

	return mx_streq(t->tg.type, d->type) && c->port == d->port &&
	    mx_streq(c->protocol, d->protocol) &&
	    mx_streq(c->vpc_identifier, d->vpc_id) &&
	    (c->ip_address_type == NULL || d->ip_address_type == NULL ||
	    strcmp(c->ip_address_type, d->ip_address_type) == 0);
}

/* The ServiceExport TG an import refers to. */
static struct mx_tg *
mx_tg_find_import(struct mirror *m, const struct lm_target_group *d)
{
	struct mx_tg	*t;
	size_t		 i;

	for (i = 0; i < m->st.n_tgs; i++) {
		t = m->st.tgs[i];
		if (!t->tags_loaded || !mx_tg_usable(t) ||
		    strcmp(mx_tag(&t->tags, UP_TAG_SOURCE_TYPE),
		    UP_SOURCE_SERVICEEXPORT) != 0 ||
		    !mx_streq(aws_tags_get(&t->tags, UP_TAG_SERVICE_NAME),
		    d->import_name) ||
		    !mx_streq(aws_tags_get(&t->tags, UP_TAG_SERVICE_NAMESPACE),
		    d->import_namespace))
			continue;
		if (d->import_cluster != NULL && !mx_streq(aws_tags_get(
		    &t->tags, UP_TAG_CLUSTER_NAME), d->import_cluster))
			continue;
		if (d->import_vpc != NULL &&
		    !mx_streq(t->tg.config.vpc_identifier, d->import_vpc))
			continue;
		if (d->protocol != NULL && t->tg.config.protocol != NULL &&
		    strcmp(d->protocol, t->tg.config.protocol) != 0)
			continue;
		if (d->protocol_version != NULL && strcmp(d->protocol_version,
		    mx_tag(&t->tags, UP_TAG_PROTOCOL_VERSION)) != 0)
			continue;
		return t;
	}
	return NULL;
}

/* The actual TG of a desired one. */
struct mx_tg *
mx_tg_find(struct mirror *m, const struct lm_target_group *d)
{
	struct mx_tg	*t;
	const char	*mb;
	char		*ident;

	if (d->kind == LM_TG_IMPORT)
		return mx_tg_find_import(m, d);
	if (d->kind == LM_TG_ARN)
		return mx_tg_by_id(m, d->arn);
	ident = mx_tg_ident_desired(d);
	t = ident != NULL ? hmap_get(&m->st.tg_by_ident, ident) : NULL;
	free(ident);
	if (t != NULL && mx_tg_usable(t))
		return t;
	/* Ours or untagged with our deterministic name: adopt / re-tag. */
	t = d->name != NULL ? hmap_get(&m->st.tg_by_name, d->name) : NULL;
	if (t == NULL || !t->tags_loaded || !mx_tg_usable(t) ||
	    !mx_tg_same_config(t, d))
		return NULL;
	mb = aws_tags_get(&t->tags, UP_TAG_MANAGED_BY);
	if (mb == NULL || strcmp(mb, m->managed_by) == 0)
		return t;
	return NULL;
}

/* Is the TG ours and tagged with the stack's source? */
int
mx_tg_of_owner(struct mirror *m, const struct mx_tg *t,
    const struct lm_owner *o)
{
	const struct aws_tags	*tg = &t->tags;
	const char		*nk, *nsk;

	if (!t->tags_loaded || !mx_streq(aws_tags_get(tg, UP_TAG_MANAGED_BY),
	    m->managed_by) || !mx_streq(aws_tags_get(tg, UP_TAG_SOURCE_TYPE),
	    lm_source_kind_str(o->kind)))
		return 0;
	if (o->kind == LM_SRC_SERVICEEXPORT) {
		nk = UP_TAG_SERVICE_NAME;
		nsk = UP_TAG_SERVICE_NAMESPACE;
	} else {
		nk = UP_TAG_ROUTE_NAME;
		nsk = UP_TAG_ROUTE_NAMESPACE;
	}
	return mx_streq(aws_tags_get(tg, nk), o->name) &&
	    mx_streq(aws_tags_get(tg, nsk), o->namespace);
}

/* Does an action forward to the TG? */
static int
mx_action_uses(const struct lattice_rule_action *a, const char *tg_id)
{
	size_t	i;

	for (i = 0; i < a->n_target_groups; i++) {
		if (mx_streq(mx_ident_id(a->target_groups[i].target_group_id),
		    tg_id))
			return 1;
	}
	return 0;
}

/* Does any known rule or listener default action use the TG? */
int
mx_tg_referenced(struct mirror *m, const char *tg_id)
{
	struct mx_service	*s;
	struct mx_listener	*l;
	size_t			 i, j, k;

	for (i = 0; i < m->st.n_svcs; i++) {
		s = m->st.svcs[i];
		for (j = 0; j < s->n_listeners; j++) {
			l = s->listeners[j];
			if (mx_action_uses(&l->l.default_action, tg_id))
				return 1;
			for (k = 0; k < l->n_rules; k++) {
				if (mx_action_uses(&l->rules[k]->r.action,
				    tg_id))
					return 1;
			}
		}
	}
	return 0;
}

/* ---- updates ---- */

/* Set each tag of src in dst. */
void
mx_tags_merge(struct aws_tags *dst, const struct aws_tags *src)
{
	size_t	i;

	for (i = 0; i < src->n; i++)
		aws_tags_set(dst, src->keys[i], src->values[i]);
}

/* Replace known tags with a copy of tags. */
static void
mx_set_tags(struct aws_tags *dst, int *loaded, const struct aws_tags *tags)
{
	if (tags == NULL)
		return;
	aws_tags_free(dst);
	aws_tags_copy(dst, tags);
	*loaded = 1;
}

/* Keep what a summary or partial response lacks from the known copy. */
static void
mx_service_keep(struct mx_service *s, struct lattice_service *src)
{
	struct lattice_service	*old = &s->s;

	if (src->last_updated_at.tv_sec != 0 &&
	    !mx_same_time(&src->last_updated_at, &old->last_updated_at))
		s->detail = 0;
	if (s->detail) {
		mx_keep_str(&src->auth_type, &old->auth_type);
		mx_keep_str(&src->certificate_arn, &old->certificate_arn);
	}
	mx_keep_str(&src->status, &old->status);
	mx_keep_str(&src->custom_domain_name, &old->custom_domain_name);
	mx_keep_str(&src->dns_entry.domain_name, &old->dns_entry.domain_name);
	mx_keep_str(&src->dns_entry.hosted_zone_id,
	    &old->dns_entry.hosted_zone_id);
	if (src->created_at.tv_sec == 0)
		src->created_at = old->created_at;
	if (src->last_updated_at.tv_sec == 0)
		src->last_updated_at = old->last_updated_at;
}

/* Insert or replace a service. */
struct mx_service *
mx_put_service(struct mirror *m, struct lattice_service *src,
    const struct aws_tags *tags)
{
	struct mx_service	*s;

	if ((s = mx_svc_by_id(m, src->id)) == NULL) {
		s = xcalloc(1, sizeof(*s));
		MX_PUSH(m->st.svcs, m->st.n_svcs, s);
		hmap_put(&m->st.svc_by_id, src->id, s);
	} else {
		if (hmap_get(&m->st.svc_by_name, s->s.name) == s)
			hmap_del(&m->st.svc_by_name, s->s.name);
		mx_service_keep(s, src);
		lattice_service_free(&s->s);
	}
	s->s = *src;
	memset(src, 0, sizeof(*src));
	if (s->s.name != NULL)
		hmap_put(&m->st.svc_by_name, s->s.name, s);
	mx_set_tags(&s->tags, &s->tags_loaded, tags);
	return s;
}

/* Forget a service and its listeners and rules. */
void
mx_drop_service(struct mirror *m, const char *id)
{
	struct mx_service	*s;
	size_t			 i;

	if ((s = mx_svc_by_id(m, id)) == NULL)
		return;
	hmap_del(&m->st.svc_by_id, s->s.id);
	if (hmap_get(&m->st.svc_by_name, s->s.name) == s)
		hmap_del(&m->st.svc_by_name, s->s.name);
	for (i = 0; i < m->st.n_svcs; i++) {
		if (m->st.svcs[i] == s) {
			MX_REMOVE(m->st.svcs, m->st.n_svcs, i);
			break;
		}
	}
	mx_service_free(s);
}

/* Keep the health check and protocol version a summary lacks. */
static void
mx_tg_keep(struct mx_tg *t, struct lattice_target_group *src)
{
	struct lattice_tg_config	*nc = &src->config, *oc = &t->tg.config;

	if (!mx_unchanged(&src->created_at, &src->last_updated_at,
	    &t->tg.last_updated_at))
		t->detail = 0;
	if (!nc->health_check.present && t->detail) {
		nc->health_check = oc->health_check;
		memset(&oc->health_check, 0, sizeof(oc->health_check));
	}
	if (nc->health_check.present)
		t->detail = 1;
	mx_keep_str(&nc->protocol_version, &oc->protocol_version);
	mx_keep_str(&nc->vpc_identifier, &oc->vpc_identifier);
	mx_keep_str(&nc->protocol, &oc->protocol);
	mx_keep_str(&nc->ip_address_type, &oc->ip_address_type);
	mx_keep_str(&src->type, &t->tg.type);
	mx_keep_str(&src->status, &t->tg.status);
	if (nc->port == 0)
		nc->port = oc->port;
	nc->present = 1;
	if (src->created_at.tv_sec == 0)
		src->created_at = t->tg.created_at;
	if (src->last_updated_at.tv_sec == 0)
		src->last_updated_at = t->tg.last_updated_at;
}

/* Insert or replace a target group. */
struct mx_tg *
mx_put_tg(struct mirror *m, struct lattice_target_group *src,
    const struct aws_tags *tags)
{
	struct mx_tg	*t;

	if ((t = mx_tg_by_id(m, src->id)) == NULL) {
		t = xcalloc(1, sizeof(*t));
		MX_PUSH(m->st.tgs, m->st.n_tgs, t);
		hmap_put(&m->st.tg_by_id, src->id, t);
		t->detail = src->config.health_check.present;
	} else {
		if (hmap_get(&m->st.tg_by_name, t->tg.name) == t)
			hmap_del(&m->st.tg_by_name, t->tg.name);
		mx_tg_keep(t, src);
		lattice_target_group_free(&t->tg);
	}
	t->tg = *src;
	memset(src, 0, sizeof(*src));
	mx_set_tags(&t->tags, &t->tags_loaded, tags);
	mx_tg_index(m, t);
	return t;
}

/* Replace a TG's tags and index it again. */
void
mx_tg_set_tags(struct mirror *m, struct mx_tg *t, const struct aws_tags *tags)
{
	mx_set_tags(&t->tags, &t->tags_loaded, tags);
	mx_tg_index(m, t);
}

/* Forget a target group. */
void
mx_drop_tg(struct mirror *m, const char *id)
{
	struct mx_tg	*t, *o;
	size_t		 i;

	if ((t = mx_tg_by_id(m, id)) == NULL)
		return;
	hmap_del(&m->st.tg_by_id, t->tg.id);
	if (hmap_get(&m->st.tg_by_name, t->tg.name) == t)
		hmap_del(&m->st.tg_by_name, t->tg.name);
	for (i = 0; i < m->st.n_tgs; i++) {
		if (m->st.tgs[i] == t) {
			MX_REMOVE(m->st.tgs, m->st.n_tgs, i);
			break;
		}
	}
	if (t->ident != NULL && hmap_get(&m->st.tg_by_ident, t->ident) == t) {
		hmap_del(&m->st.tg_by_ident, t->ident);
		for (i = 0; i < m->st.n_tgs; i++) {
			o = m->st.tgs[i];
			if (o->ident != NULL && strcmp(o->ident, t->ident) == 0) {
				hmap_put(&m->st.tg_by_ident, o->ident, o);
				break;
			}
		}
	}
	mx_tg_free(t);
}

/* Insert or replace an association (members a response lacks kept). */
struct mx_assoc *
mx_put_assoc(struct mirror *m, struct lattice_sn_service_assoc *src)
{
	struct mx_assoc	*a;

	if ((a = mx_assoc_by_id(m, src->id)) == NULL) {
		a = xcalloc(1, sizeof(*a));
		MX_PUSH(m->st.assocs, m->st.n_assocs, a);
	} else {
		mx_keep_str(&src->service_id, &a->a.service_id);
		mx_keep_str(&src->service_arn, &a->a.service_arn);
		mx_keep_str(&src->service_name, &a->a.service_name);
		mx_keep_str(&src->service_network_id,
		    &a->a.service_network_id);
		mx_keep_str(&src->service_network_arn,
		    &a->a.service_network_arn);
		mx_keep_str(&src->service_network_name,
		    &a->a.service_network_name);
		mx_keep_str(&src->status, &a->a.status);
		lattice_sn_service_assoc_free(&a->a);
	}
	a->a = *src;
	memset(src, 0, sizeof(*src));
	return a;
}

/* Forget an association. */
void
mx_drop_assoc(struct mirror *m, const char *id)
{
	size_t	i;

	for (i = 0; i < m->st.n_assocs; i++) {
		if (mx_streq(m->st.assocs[i]->a.id, id)) {
			mx_assoc_free(m->st.assocs[i]);
			MX_REMOVE(m->st.assocs, m->st.n_assocs, i);
			return;
		}
	}
}

/* Insert or replace a listener of a service (its rules kept). */
struct mx_listener *
mx_put_listener(struct mx_service *s, struct lattice_listener *src)
{
	struct mx_listener	*l;

	if ((l = mx_listener_by_id(s, src->id)) == NULL) {
		l = xcalloc(1, sizeof(*l));
		MX_PUSH(s->listeners, s->n_listeners, l);
	} else {
		mx_keep_str(&src->service_id, &l->l.service_id);
		mx_keep_str(&src->service_arn, &l->l.service_arn);
		lattice_listener_free(&l->l);
	}
	l->l = *src;
	memset(src, 0, sizeof(*src));
	return l;
}

/* Forget a listener and its rules. */
void
mx_drop_listener(struct mx_service *s, const char *id)
{
	size_t	i;

	for (i = 0; i < s->n_listeners; i++) {
		if (mx_streq(s->listeners[i]->l.id, id)) {
			mx_listener_free(s->listeners[i]);
			MX_REMOVE(s->listeners, s->n_listeners, i);
			return;
		}
	}
}

/* Insert or replace a rule; a summary keeps the known match/action. */
struct mx_rule *
mx_put_rule(struct mx_listener *l, struct lattice_rule *src, int detail)
{
	struct mx_rule	*r;

	if ((r = mx_rule_by_id(l, src->id)) == NULL) {
		r = xcalloc(1, sizeof(*r));
		MX_PUSH(l->rules, l->n_rules, r);
	} else {
		if (!detail && r->detail && mx_unchanged(&src->created_at,
		    &src->last_updated_at, &r->r.last_updated_at)) {
			src->match = r->r.match;
			src->action = r->r.action;
			memset(&r->r.match, 0, sizeof(r->r.match));
			memset(&r->r.action, 0, sizeof(r->r.action));
			detail = 1;
		}
		mx_keep_str(&src->name, &r->r.name);
		if (src->priority == 0)
			src->priority = r->r.priority;
		lattice_rule_free(&r->r);
	}
	r->r = *src;
	r->detail = detail;
	memset(src, 0, sizeof(*src));
	return r;
}

/* Forget a rule. */
void
mx_drop_rule(struct mx_listener *l, const char *id)
{
	size_t	i;

	for (i = 0; i < l->n_rules; i++) {
		if (mx_streq(l->rules[i]->r.id, id)) {
			mx_rule_free(l->rules[i]);
			MX_REMOVE(l->rules, l->n_rules, i);
			return;
		}
	}
}

/* Replace the service networks with a fresh list (items moved). */
void
mx_put_sns(struct mirror *m, struct lattice_service_network_list *list)
{
	size_t	i;

	for (i = 0; i < m->st.n_sns; i++)
		lattice_service_network_free(&m->st.sns[i]);
	free(m->st.sns);
	m->st.sns = list->items;
	m->st.n_sns = list->n;
	list->items = NULL;
	list->n = 0;
}
