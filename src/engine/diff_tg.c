/*
 * Diff of target groups (identity by tags), their targets, and the
 * target groups of a source that are no longer referenced.
 */
#include <stdlib.h>
#include <string.h>

#include "latticectl/xmalloc.h"

#include "mirror_int.h"

/* "target group NAME". */
static char *
dxt_res(const char *name)
{
	char	*s;

	xasprintf(&s, "target group %s", name != NULL ? name : "?");
	return s;
}

/* Tags and health check of an existing owned TG. */
static void
dxt_update(struct mirror *m, struct plan *p, size_t ti, const struct mx_tg *t)
{
	const struct lm_target_group	*d = &p->stack->tgs[ti];
	struct aws_tags			 missing = { 0 };
	struct plan_op			*op;
	char				*keys, *res = dxt_res(d->name), *hc;

	keys = mx_tags_diff(&d->tags, &t->tags, &missing);
	if (missing.n > 0) {
		if (aws_tags_get(&t->tags, UP_TAG_MANAGED_BY) == NULL)
			op = dx_add(p, PLAN_TG_TAG, res, "adopt: untagged");
		else
			op = dx_add(p, PLAN_TG_TAG, res, "tags differ: %s",
			    keys);
		op->ti = ti;
		op->id = xstrdup(t->tg.id);
		op->arn = xstrdup(t->tg.arn);
		op->tags = missing;
		memset(&missing, 0, sizeof(missing));
	}
	if (t->detail && strcmp(d->protocol != NULL ? d->protocol : "",
	    "TCP") != 0) {
		hc = mx_hc_diff(&d->health_check, &t->tg.config.health_check);
		if (*hc != '\0') {
			op = dx_add(p, PLAN_TG_UPDATE, res, "health check: %s",
			    hc);
			op->ti = ti;
			op->id = xstrdup(t->tg.id);
		}
		free(hc);
	}
	aws_tags_free(&missing);
	free(keys);
	free(res);
}

/* A failed TG of ours holding the name: delete it before the create. */
static void
dxt_failed_first(struct mirror *m, struct plan *p,
    const struct lm_target_group *d, const char *res)
{
	struct mx_tg	*t = hmap_get(&m->st.tg_by_name, d->name);
	struct plan_op	*op;
	const char	*mb;

	if (t == NULL || t->tg.status == NULL ||
	    strcmp(t->tg.status, "CREATE_FAILED") != 0 || !t->tags_loaded)
		return;
	mb = aws_tags_get(&t->tags, UP_TAG_MANAGED_BY);
	if (mb == NULL || strcmp(mb, m->managed_by) != 0)
		return;
	op = dx_add(p, PLAN_TG_DELETE, res, "CREATE_FAILED: recreate");
	op->id = xstrdup(t->tg.id);
	op->arn = xstrdup_or_null(t->tg.arn);
}

/* Has the plan an operation on this id already? */
static int
dxt_planned(const struct plan *p, const char *id)
{
	size_t	i;

	for (i = 0; i < p->n_ops; i++) {
		if (p->ops[i].id != NULL && strcmp(p->ops[i].id, id) == 0)
			return 1;
	}
	return 0;
}

/* Target group creates and updates. */
static void
dxt_groups(struct mirror *m, struct plan *p)
{
	const struct lm_target_group	*d;
	struct mx_tg			*t;
	struct plan_op			*op;
	char				*res;
	size_t				 ti;

	for (ti = 0; ti < p->stack->n_tgs; ti++) {
		d = &p->stack->tgs[ti];
		t = mx_tg_find(m, d);
		if (d->kind == LM_TG_IMPORT && t == NULL)
			dx_problem(p, "no target group exported for %s/%s",
			    d->import_namespace != NULL ? d->import_namespace :
			    "", d->import_name != NULL ? d->import_name : "");
		if (d->kind != LM_TG_OWNED)
			continue;
		if (t != NULL) {
			dxt_update(m, p, ti, t);
			continue;
		}
		res = dxt_res(d->name);
		dxt_failed_first(m, p, d, res);
		op = dx_add(p, PLAN_TG_CREATE, res, "missing");
		op->ti = ti;
		op->name = xstrdup(d->name);
		free(res);
	}
}

/* Is ip:port in the desired targets? */
static int
dxt_desired_has(const struct lm_target_group *d, const char *ip, int port)
{
	size_t	i;

	for (i = 0; i < d->n_targets; i++) {
		if (d->targets[i].port == port && ip != NULL &&
		    strcmp(d->targets[i].ip, ip) == 0)
			return 1;
	}
	return 0;
}

/* The actual target ip:port (any status), or NULL. */
static const struct lattice_target *
dxt_actual(const struct mx_tg *t, const char *ip, int port)
{
	size_t	i;

	for (i = 0; i < t->n_targets; i++) {
		if (t->targets[i].port == port && t->targets[i].id != NULL &&
		    strcmp(t->targets[i].id, ip) == 0)
			return &t->targets[i];
	}
	return NULL;
}

/* Add a target to a list. */
static void
dxt_push(struct plan_target **v, size_t *n, const char *ip, int port)
{
	*v = xreallocarray(*v, *n + 1, sizeof(**v));
	(*v)[*n].ip = xstrdup(ip);
	(*v)[(*n)++].port = port;
}

/* Is the target draining (being removed already)? */
static int
dxt_draining(const struct lattice_target *x)
{
	return x->status != NULL && strcmp(x->status, "DRAINING") == 0;
}

/* Add a register/deregister operation when it has targets. */
static void
dxt_op(struct plan *p, enum plan_op_kind kind, size_t ti, const char *why,
    struct plan_target *v, size_t n)
{
	struct plan_op	*op;
	char		*res;

	if (n == 0)
		return;
	res = dxt_res(p->stack->tgs[ti].name);
	op = dx_add(p, kind, res, "%zu %s", n, why);
	op->ti = ti;
	op->targets = v;
	op->n_targets = n;
	free(res);
}

/* Targets to deregister and register for one TG. */
static void
dxt_targets(struct mirror *m, struct plan *p, size_t ti)
{
	const struct lm_target_group	*d = &p->stack->tgs[ti];
	const struct lattice_target	*x;
	struct mx_tg			*t = mx_tg_find(m, d);
	struct plan_target		*de = NULL, *re = NULL;
	size_t				 i, nde = 0, nre = 0;

	if (t != NULL && !t->targets_loaded) {
		dx_problem(p, "targets of %s not loaded", d->name);
		return;
	}
	for (i = 0; t != NULL && i < t->n_targets; i++) {
		x = &t->targets[i];
		if (!dxt_draining(x) && !dxt_desired_has(d, x->id, x->port))
			dxt_push(&de, &nde, x->id, x->port);
	}
	for (i = 0; i < d->n_targets; i++) {
		x = t != NULL ? dxt_actual(t, d->targets[i].ip,
		    d->targets[i].port) : NULL;
		if (x == NULL || dxt_draining(x))
			dxt_push(&re, &nre, d->targets[i].ip,
			    d->targets[i].port);
	}
	dxt_op(p, PLAN_TARGETS_DEREGISTER, ti, "not in the endpoints", de,
	    nde);
	dxt_op(p, PLAN_TARGETS_REGISTER, ti, t == NULL ? "in a new target "
	    "group" : "new endpoints", re, nre);
}

/* Target groups, then targets. */
void
dx_tgs(struct mirror *m, struct plan *p)
{
	size_t	ti;

	dxt_groups(m, p);
	for (ti = 0; ti < p->stack->n_tgs; ti++) {
		if (p->stack->tgs[ti].kind == LM_TG_OWNED)
			dxt_targets(m, p, ti);
	}
}

/* Is the actual TG one of the desired owned ones? */
static int
dxt_wanted(struct mirror *m, const struct plan *p, const struct mx_tg *t)
{
	size_t	ti;

	if (p->deleting)
		return 0;
	for (ti = 0; ti < p->stack->n_tgs; ti++) {
		if (p->stack->tgs[ti].kind == LM_TG_OWNED &&
		    mx_tg_find(m, &p->stack->tgs[ti]) == t)
			return 1;
	}
	return 0;
}

/* The source's own TGs that nothing desired maps to. */
void
dx_tg_deletes(struct mirror *m, struct plan *p)
{
	struct mx_tg	*t;
	struct plan_op	*op;
	char		*res;
	size_t		 i;

	for (i = 0; i < m->st.n_tgs; i++) {
		t = m->st.tgs[i];
		if (!mx_tg_of_owner(m, t, &p->stack->owner) ||
		    dxt_wanted(m, p, t) || dxt_planned(p, t->tg.id) ||
		    (t->tg.status != NULL &&
		    strncmp(t->tg.status, "DELETE_", 7) == 0))
			continue;
		res = dxt_res(t->tg.name);
		op = dx_add(p, PLAN_TG_DELETE, res, "%s", p->deleting ?
		    "source deleted" : t->tg.status != NULL &&
		    strcmp(t->tg.status, "CREATE_FAILED") == 0 ?
		    "CREATE_FAILED" : "no longer referenced");
		op->id = xstrdup(t->tg.id);
		op->arn = xstrdup_or_null(t->tg.arn);
		free(res);
	}
}
