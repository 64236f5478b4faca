/*
 * Diff of the rules of one listener. Desired and actual rules are paired
 * by match, then by priority, then in priority order (an existing rule is
 * reused with a new match rather than deleted and created). What is left
 * over is either deleted (first: it holds priorities) or created (last:
 * its priority is free once the others moved). Changes to paired rules
 * go in one UpdateRule, or in one BatchUpdateRule when there are several,
 * which also makes priority swaps possible.
 */
#include <stdlib.h>
#include <string.h>

#include "latticectl/strbuf.h"
#include "latticectl/xmalloc.h"

#include "mirror_int.h"

#define DXR_NAME_MAX	63

struct dxr {
	struct mirror			*m;
	struct plan			*p;
	size_t				 li;
	const struct lm_listener	*dl;
	struct mx_service		*s;
	struct mx_listener		*l;
	size_t				*order;	/* actual indexes by priority */
	size_t				*pair;	/* desired -> actual, or NONE */
	int				*used;	/* actual paired */
};

/* Actual rule at position i of the priority order. */
static struct mx_rule *
dxr_actual(const struct dxr *x, size_t i)
{
	return x->l->rules[x->order[i]];
}

/* Sort the actual rules by priority (insertion sort: at most a few
 * dozen). */
static void
dxr_sort(struct dxr *x)
{
	size_t	i, j, v;

	for (i = 0; i < x->l->n_rules; i++)
		x->order[i] = i;
	for (i = 1; i < x->l->n_rules; i++) {
		v = x->order[i];
		for (j = i; j > 0 && x->l->rules[x->order[j - 1]]->r.priority >
		    x->l->rules[v]->r.priority; j--)
			x->order[j] = x->order[j - 1];
		x->order[j] = v;
	}
}

/* Pair desired rules with actual ones: stage 0 by match, 1 by priority,
 * 2 in order. */
static void
dxr_pair(struct dxr *x, int stage)
{
	const struct lm_rule	*d;
	struct mx_rule		*a;
	size_t			 ri, i;

	for (ri = 0; ri < x->dl->n_rules; ri++) {
		if (x->pair[ri] != PLAN_NONE)
			continue;
		d = &x->dl->rules[ri];
		for (i = 0; i < x->l->n_rules; i++) {
			a = dxr_actual(x, i);
			if (x->used[i] || (stage == 0 && (!a->detail ||
			    !mx_match_equal(&d->match, &a->r.match))) ||
			    (stage == 1 && a->r.priority != d->priority))
				continue;
			x->pair[ri] = i;
			x->used[i] = 1;
			break;
		}
	}
}

/* "rule P (MATCH) on LISTENER" of a desired rule. */
static char *
dxr_res(const struct dxr *x, size_t ri)
{
	char	*ms, *s;

	ms = mx_match_str(&x->dl->rules[ri].match);
	xasprintf(&s, "rule %d (%s) on %s", x->dl->rules[ri].priority, ms,
	    x->dl->name);
	free(ms);
	return s;
}

/* Delete the actual rules nobody paired with. */
static void
dxr_deletes(struct dxr *x)
{
	struct mx_rule	*a;
	struct plan_op	*op;
	char		*res;
	size_t		 i;

	for (i = 0; i < x->l->n_rules; i++) {
		if (x->used[i])
			continue;
		a = dxr_actual(x, i);
		xasprintf(&res, "rule %d %s on %s", a->r.priority,
		    a->r.name != NULL ? a->r.name : a->r.id, x->dl->name);
		op = dx_add(x->p, PLAN_RULE_DELETE, res, "not in the route");
		op->li = x->li;
		op->id = xstrdup(a->r.id);
		op->parent_id = xstrdup(x->l->l.id);
		op->service_id = xstrdup(x->s->s.id);
		free(res);
	}
}

/* What changes for a paired rule; 0 when nothing. */
static int
dxr_change(struct dxr *x, size_t ri, struct plan_rule_change *c,
    struct strbuf *why)
{
	const struct lm_rule	*d = &x->dl->rules[ri];
	struct mx_rule		*a = dxr_actual(x, x->pair[ri]);

	memset(c, 0, sizeof(*c));
	c->ri = ri;
	c->set_match = !a->detail || !mx_match_equal(&d->match, &a->r.match);
	c->set_action = !a->detail || !mx_action_equal(x->m, x->p->stack,
	    &d->action, &a->r.action);
	if (a->r.priority != d->priority) {
		c->from_priority = a->r.priority;
		c->priority = d->priority;
	}
	if (!c->set_match && !c->set_action && c->priority == 0)
		return 0;
	c->rule_id = xstrdup(a->r.id);
	if (c->priority != 0)
		strbuf_addf(why, "priority %d->%d", c->from_priority,
		    c->priority);
	if (c->set_match)
		strbuf_addf(why, "%smatch", c->priority != 0 ? ", " : "");
	if (c->set_action)
		strbuf_addf(why, "%saction", c->priority != 0 ||
		    c->set_match ? ", " : "");
	return 1;
}

/* One UpdateRule, or one BatchUpdateRule for several changes. */
static void
dxr_updates(struct dxr *x)
{
	struct plan_rule_change	*cs;
	struct plan_op		*op = NULL;
	struct strbuf		 why, one;
	char			*res = NULL, *first = NULL;
	size_t			 ri, n = 0;

	cs = xcalloc(x->dl->n_rules + 1, sizeof(*cs));
	strbuf_init(&why);
	strbuf_init(&one);
	for (ri = 0; ri < x->dl->n_rules; ri++) {
		if (x->pair[ri] == PLAN_NONE)
			continue;
		strbuf_reset(&one);
		if (!dxr_change(x, ri, &cs[n], &one))
			continue;
		strbuf_addf(&why, "%s%d: %s", n > 0 ? "; " : "",
		    x->dl->rules[ri].priority, one.buf);
		if (n++ == 0)
			first = xstrdup(one.buf);
	}
	if (n == 1) {
		res = dxr_res(x, cs[0].ri);
		op = dx_add(x->p, PLAN_RULE_UPDATE, res, "%s", first);
		op->ri = cs[0].ri;
		op->id = xstrdup(cs[0].rule_id);
	} else if (n > 1) {
		xasprintf(&res, "%zu rules on %s", n, x->dl->name);
		op = dx_add(x->p, PLAN_RULE_BATCH, res, "%s", why.buf);
	}
	if (n > 0) {
		op->li = x->li;
		op->parent_id = xstrdup(x->l->l.id);
		op->service_id = xstrdup(x->s->s.id);
		op->changes = cs;
		op->n_changes = n;
		free(res);
	} else
		free(cs);
	free(first);
	strbuf_free(&why);
	strbuf_free(&one);
}

/* Is a rule name taken on the listener (by a kept rule) or by a create
 * planned before? */
static int
dxr_name_taken(const struct dxr *x, const char *name, size_t first_op)
{
	size_t	i;

	for (i = 0; i < x->l->n_rules; i++) {
		if (x->used[i] && dxr_actual(x, i)->r.name != NULL &&
		    strcmp(dxr_actual(x, i)->r.name, name) == 0)
			return 1;
	}
	for (i = first_op; i < x->p->n_ops; i++) {
		if (x->p->ops[i].name != NULL &&
		    strcmp(x->p->ops[i].name, name) == 0)
			return 1;
	}
	return 0;
}

/* The desired name, or NAME-2, NAME-3, ... when taken. */
static char *
dxr_name(const struct dxr *x, const char *base, size_t first_op)
{
	char	*name;
	int	 n, len;

	if (!dxr_name_taken(x, base, first_op))
		return xstrdup(base);
	for (n = 2;; n++) {
		len = DXR_NAME_MAX - 1 - snprintf(NULL, 0, "%d", n);
		xasprintf(&name, "%.*s-%d", len, base, n);
		if (!dxr_name_taken(x, name, first_op))
			return name;
		free(name);
	}
}

/* Create the desired rules nobody paired with. */
static void
dxr_creates(struct dxr *x)
{
	struct plan_op	*op;
	char		*res, *name;
	size_t		 ri, first = x->p->n_ops;

	for (ri = 0; ri < x->dl->n_rules; ri++) {
		if (x->pair[ri] != PLAN_NONE)
			continue;
		name = dxr_name(x, x->dl->rules[ri].name, first);
		res = dxr_res(x, ri);
		op = dx_add(x->p, PLAN_RULE_CREATE, res, "missing");
		op->li = x->li;
		op->ri = ri;
		op->name = name;
		op->parent_id = xstrdup(x->l->l.id);
		op->service_id = xstrdup(x->s->s.id);
		free(res);
	}
}

/* Diff the rules of an existing listener. */
void
dx_rules(struct mirror *m, struct plan *p, size_t li, struct mx_service *s,
    struct mx_listener *l)
{
	struct dxr	x;
	size_t		ri;
	int		stage;

	memset(&x, 0, sizeof(x));
	x.m = m;
	x.p = p;
	x.li = li;
	x.dl = &p->stack->listeners[li];
	x.s = s;
	x.l = l;
	x.order = xcalloc(l->n_rules + 1, sizeof(*x.order));
	x.used = xcalloc(l->n_rules + 1, sizeof(*x.used));
	x.pair = xcalloc(x.dl->n_rules + 1, sizeof(*x.pair));
	for (ri = 0; ri < x.dl->n_rules; ri++)
		x.pair[ri] = PLAN_NONE;
	dxr_sort(&x);
	for (stage = 0; stage < 3; stage++)
		dxr_pair(&x, stage);
	dxr_deletes(&x);
	dxr_updates(&x);
	dxr_creates(&x);
	free(x.order);
	free(x.used);
	free(x.pair);
}
