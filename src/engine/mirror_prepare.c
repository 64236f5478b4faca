/*
 * mirror_prepare: before a stack is diffed, fetch once what the mirror
 * lacks for it (a service's tags, listeners and rules, a target group's
 * health check and targets, association tags) and read again what is in
 * transition. Also the listing of one service's listeners and rules.
 */
#define LOG_MODULE "mirror"

#include <stdlib.h>
#include <string.h>

#include "latticectl/error.h"
#include "latticectl/log.h"
#include "latticectl/timeutil.h"
#include "latticectl/xmalloc.h"

#include "mirror_int.h"

#define MX_SN_RELIST_MS	10000	/* at most one ListServiceNetworks per 10 s */

/* Listings of one service's children, made without the lock. */
struct mx_children {
	struct lattice_listener_list	 ll;
	struct lattice_rule_list	*rl;	/* one per listener */
	char				**rule_ids;	/* need GetRule */
	char				**rule_lids;	/* ... their listener */
	size_t				 n_get;
};

/* Free the listings. */
static void
mx_children_free(struct mx_children *c)
{
	size_t	i;

	for (i = 0; i < c->ll.n && c->rl != NULL; i++)
		lattice_rule_list_free(&c->rl[i]);
	free(c->rl);
	lattice_listener_list_free(&c->ll);
	for (i = 0; i < c->n_get; i++) {
		free(c->rule_ids[i]);
		free(c->rule_lids[i]);
	}
	free(c->rule_ids);
	free(c->rule_lids);
}

/* List listeners, their rules, and the default action of passthrough
 * listeners (the summary lacks it). 1 when the service is gone. */
static int
mx_children_list(struct mirror *m, const char *svc_id, struct mx_children *c,
    struct aws_error *err)
{
	struct lattice_page	pg = { 0 };
	struct lattice_listener	full;
	size_t			i;
	int			rc;

	rc = lattice_list_listeners(m->aws, svc_id, &pg, &c->ll, err);
	mx_count(m, MXOP_LIST_LISTENERS, rc == 0);
	if (rc != 0)
		return mx_err_is(err, MX_NOT_FOUND) ? 1 : -1;
	c->rl = xcalloc(c->ll.n + 1, sizeof(*c->rl));
	for (i = 0; i < c->ll.n; i++) {
		rc = lattice_list_rules(m->aws, svc_id, c->ll.items[i].id, &pg,
		    &c->rl[i], err);
		mx_count(m, MXOP_LIST_RULES, rc == 0);
		if (rc != 0)
			return -1;
		if (c->ll.items[i].protocol == NULL || strcmp(
		    c->ll.items[i].protocol, "TLS_PASSTHROUGH") != 0)
			continue;
		memset(&full, 0, sizeof(full));
		rc = lattice_get_listener(m->aws, svc_id, c->ll.items[i].id,
		    &full, err);
		mx_count(m, MXOP_GET_LISTENER, rc == 0);
		if (rc != 0)
			return -1;
		lattice_listener_free(&c->ll.items[i]);
		c->ll.items[i] = full;
	}
	return 0;
}

/* Store one listener's listed rules (mu held); note the ones lacking
 * their match and action. */
static void
mx_children_rules(struct mx_listener *l, struct lattice_rule_list *rl,
    struct mx_children *c)
{
	struct hmap	 seen = { 0 };
	struct mx_rule	*r;
	size_t		 j;

	for (j = 0; j < rl->n; j++) {
		if (rl->items[j].is_default)
			continue;
		hmap_put(&seen, rl->items[j].id, (void *)1);
		r = mx_put_rule(l, &rl->items[j], 0);
		if (r->detail)
			continue;
		c->rule_ids = xreallocarray(c->rule_ids, c->n_get + 1,
		    sizeof(*c->rule_ids));
		c->rule_lids = xreallocarray(c->rule_lids, c->n_get + 1,
		    sizeof(*c->rule_lids));
		c->rule_ids[c->n_get] = xstrdup(r->r.id);
		c->rule_lids[c->n_get++] = xstrdup(l->l.id);
	}
	for (j = l->n_rules; j > 0; j--) {
		if (hmap_get(&seen, l->rules[j - 1]->r.id) == NULL)
			mx_drop_rule(l, l->rules[j - 1]->r.id);
	}
	hmap_free(&seen, NULL);
}

/* Store the listings in the service (mu held). */
static void
mx_children_store(struct mx_service *s, struct mx_children *c)
{
	struct hmap		 seen = { 0 };
	struct mx_listener	*l;
	size_t			 i;

	for (i = 0; i < c->ll.n; i++)
		hmap_put(&seen, c->ll.items[i].id, (void *)1);
	for (i = s->n_listeners; i > 0; i--) {
		if (hmap_get(&seen, s->listeners[i - 1]->l.id) == NULL)
			mx_drop_listener(s, s->listeners[i - 1]->l.id);
	}
	hmap_free(&seen, NULL);
	for (i = 0; i < c->ll.n; i++) {
		l = mx_put_listener(s, &c->ll.items[i]);
		mx_children_rules(l, &c->rl[i], c);
	}
	s->children = 1;
	s->stale = 0;
}

/* GetRule for one rule lacking its match and action. */
static int
mx_rule_detail(struct mirror *m, const char *svc_id, const char *lid,
    const char *rid, struct aws_error *err)
{
	struct lattice_rule	 r = { 0 };
	struct mx_service	*s;
	struct mx_listener	*l;
	int			 rc;

	rc = lattice_get_rule(m->aws, svc_id, lid, rid, &r, err);
	mx_count(m, MXOP_GET_RULE, rc == 0);
	if (rc != 0 && !mx_err_is(err, MX_NOT_FOUND))
		return -1;
	pthread_mutex_lock(&m->mu);
	if ((s = mx_svc_by_id(m, svc_id)) != NULL &&
	    (l = mx_listener_by_id(s, lid)) != NULL) {
		if (rc == 0)
			mx_put_rule(l, &r, 1);
		else
			mx_drop_rule(l, rid);
	}
	pthread_mutex_unlock(&m->mu);
	lattice_rule_free(&r);
	aws_error_clear(err);
	return 0;
}

/* List a service's listeners and rules into the mirror; rules whose
 * lastUpdatedAt did not change keep their known match and action. */
int
mx_refresh_service_children(struct mirror *m, const char *svc_id,
    char **cause)
{
	struct mx_children	 c;
	struct aws_error	 err = { 0 };
	struct mx_service	*s;
	size_t			 i;
	int			 rc;

	memset(&c, 0, sizeof(c));
	rc = mx_children_list(m, svc_id, &c, &err);
	pthread_mutex_lock(&m->mu);
	if (rc == 1)
		mx_drop_service(m, svc_id);
	else if (rc == 0 && (s = mx_svc_by_id(m, svc_id)) != NULL)
		mx_children_store(s, &c);
	pthread_mutex_unlock(&m->mu);
	for (i = 0; i < c.n_get && rc == 0; i++)
		rc = mx_rule_detail(m, svc_id, c.rule_lids[i], c.rule_ids[i],
		    &err);
	mx_children_free(&c);
	if (rc < 0) {
		char *msg = mx_err_msg(&err);

		error_set(cause, "%s", msg);
		free(msg);
		aws_error_clear(&err);
		return -1;
	}
	aws_error_clear(&err);
	return 0;
}

/* ---- prepare ---- */

/* Does a known rule of the service lack its match or action? */
static int
mx_svc_rules_incomplete(const struct mx_service *s)
{
	size_t	i, j;

	for (i = 0; i < s->n_listeners; i++) {
		for (j = 0; j < s->listeners[i]->n_rules; j++) {
			if (!s->listeners[i]->rules[j]->detail)
				return 1;
		}
	}
	return 0;
}

/* Does the service's ManagedBy allow us to manage it? */
static int
mx_svc_manageable(struct mirror *m, const struct mx_service *s,
    const struct lm_service *d)
{
	const char	*mb = aws_tags_get(&s->tags, UP_TAG_MANAGED_BY);

	return mb == NULL || strcmp(mb, m->managed_by) == 0 ||
	    (d->allow_takeover_from != NULL &&
	    strcmp(mb, d->allow_takeover_from) == 0);
}

/* Re-list service networks when a desired one is unknown. */
static int
mx_prepare_sns(struct mirror *m, const struct lm_service *d, char **cause)
{
	size_t	i;
	int	missing = 0, due;

	pthread_mutex_lock(&m->mu);
	for (i = 0; i < d->n_sn_names; i++) {
		if (mx_sn_by_name(m, d->sn_names[i]) == NULL)
			missing = 1;
	}
	due = time_mono_ms() - m->sn_listed_ms >= MX_SN_RELIST_MS;
	pthread_mutex_unlock(&m->mu);
	return missing && due ? mx_refresh_sns(m, cause) : 0;
}

/* Is name one of the desired service networks (by name or id)? */
static int
mx_sn_desired(const struct lm_service *d, const struct mx_assoc *a)
{
	size_t	i;

	for (i = 0; i < d->n_sn_names; i++) {
		if ((a->a.service_network_name != NULL && strcmp(
		    a->a.service_network_name, d->sn_names[i]) == 0) ||
		    (a->a.service_network_id != NULL && strcmp(
		    a->a.service_network_id, d->sn_names[i]) == 0))
			return 1;
	}
	return 0;
}

/* Refresh transitional associations of a service and load the tags of
 * those that may be deleted. */
static int
mx_prepare_assocs(struct mirror *m, const char *svc_id,
    const struct lm_service *d, int deleting, char **cause)
{
	struct mx_assoc	*a;
	char		**ids;
	int		 *what;
	size_t		  i, n = 0;
	int		  rc = 0;

	pthread_mutex_lock(&m->mu);
	ids = xcalloc(m->st.n_assocs + 1, sizeof(*ids));
	what = xcalloc(m->st.n_assocs + 1, sizeof(*what));
	for (i = 0; i < m->st.n_assocs; i++) {
		a = m->st.assocs[i];
		if (a->a.service_id == NULL || strcmp(a->a.service_id,
		    svc_id) != 0)
			continue;
		if (mx_transitional(a->a.status))
			what[n] |= 1;
		if (!a->tags_loaded && (deleting || d->standalone ||
		    !mx_sn_desired(d, a)))
			what[n] |= 2;
		if (what[n] != 0)
			ids[n++] = xstrdup(a->a.id);
	}
	pthread_mutex_unlock(&m->mu);
	for (i = 0; i < n && rc == 0; i++) {
		if (what[i] & 1)
			rc = mx_refresh_assoc(m, ids[i], cause);
		if (rc == 0 && (what[i] & 2))
			rc = mx_load_assoc_tags(m, ids[i], cause);
	}
	for (i = 0; i < n; i++)
		free(ids[i]);
	free(ids);
	free(what);
	return rc;
}

/* What the service part of a stack needs. */
static int
mx_prepare_service(struct mirror *m, const struct lm_stack *st, int deleting,
    char **cause)
{
	const struct lm_service	*d = st->service;
	struct mx_service	*s;
	char			*id = NULL;
	int			 get = 0, tags = 0, kids = 0, rc = 0;

	if (d == NULL)
		return 0;
	if (!deleting && !d->standalone && mx_prepare_sns(m, d, cause) != 0)
		return -1;
	pthread_mutex_lock(&m->mu);
	if ((s = mx_svc_by_name(m, d->name)) != NULL) {
		id = xstrdup(s->s.id);
		tags = !s->tags_loaded;
		get = mx_transitional(s->s.status) || (!s->detail &&
		    (d->certificate_arn != NULL || d->auth_type != NULL));
	}
	pthread_mutex_unlock(&m->mu);
	if (id == NULL)
		return 0;
	if (get)
		rc = mx_refresh_service(m, id, cause);
	if (rc == 0 && tags)
		rc = mx_load_service_tags(m, id, cause);
	pthread_mutex_lock(&m->mu);
	if ((s = mx_svc_by_id(m, id)) != NULL)
		kids = !deleting && mx_svc_manageable(m, s, d) &&
		    (!s->children || s->stale ||
		    mx_svc_rules_incomplete(s));
	pthread_mutex_unlock(&m->mu);
	if (rc == 0 && kids)
		rc = mx_refresh_service_children(m, id, cause);
	if (rc == 0 && s != NULL)
		rc = mx_prepare_assocs(m, id, d, deleting, cause);
	free(id);
	return rc;
}

/* What one desired target group needs: its detail (health check), its
 * targets, a fresh status when in transition. */
static int
mx_prepare_tg(struct mirror *m, const struct lm_target_group *d,
    char **cause)
{
	struct mx_tg	*t;
	char		*id = NULL;
	int		 get = 0, targets = 0, rc = 0, all;

	pthread_mutex_lock(&m->mu);
	all = m->st.foreign_tags;
	pthread_mutex_unlock(&m->mu);
	if (d->kind == LM_TG_IMPORT && !all && mx_load_tg_tags(m, 1,
	    cause) != 0)
		return -1;
	if (d->kind != LM_TG_OWNED)
		return 0;
	pthread_mutex_lock(&m->mu);
	if ((t = mx_tg_find(m, d)) != NULL) {
		id = xstrdup(t->tg.id);
		get = !t->detail || mx_transitional(t->tg.status);
		targets = !t->targets_loaded || t->stale;
	}
	pthread_mutex_unlock(&m->mu);
	if (id != NULL && get)
		rc = mx_refresh_tg(m, id, cause);
	if (id != NULL && rc == 0 && targets)
		rc = mx_refresh_targets(m, id, cause);
	free(id);
	return rc;
}

/* Refresh the source's own TGs that are in transition. */
static int
mx_prepare_owned_tgs(struct mirror *m, const struct lm_stack *st,
    char **cause)
{
	char	**ids;
	size_t	  i, n = 0;
	int	  rc = 0;

	pthread_mutex_lock(&m->mu);
	ids = xcalloc(m->st.n_tgs + 1, sizeof(*ids));
	for (i = 0; i < m->st.n_tgs; i++) {
		if (mx_transitional(m->st.tgs[i]->tg.status) &&
		    mx_tg_of_owner(m, m->st.tgs[i], &st->owner))
			ids[n++] = xstrdup(m->st.tgs[i]->tg.id);
	}
	pthread_mutex_unlock(&m->mu);
	for (i = 0; i < n && rc == 0; i++)
		rc = mx_refresh_tg(m, ids[i], cause);
	for (i = 0; i < n; i++)
		free(ids[i]);
	free(ids);
	return rc;
}

/* Fetch what diffing this stack needs. */
int
mirror_prepare(struct mirror *m, const struct lm_stack *st, int deleting,
    char **cause)
{
	size_t	i;
	int	rc;

	if (!mirror_loaded(m) && mirror_load(m, cause) != 0)
		return -1;
	pthread_rwlock_rdlock(&m->rw);
	rc = mx_prepare_service(m, st, deleting, cause);
	for (i = 0; rc == 0 && !deleting && i < st->n_tgs; i++)
		rc = mx_prepare_tg(m, &st->tgs[i], cause);
	if (rc == 0)
		rc = mx_prepare_owned_tgs(m, st, cause);
	pthread_rwlock_unlock(&m->rw);
	return rc;
}
