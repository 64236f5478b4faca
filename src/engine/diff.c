/*
 * plan_diff: a desired stack against the mirror, as an ordered list of
 * operations with reasons. This file does the service, its associations
 * and listeners, and the whole-source deletion; diff_tg.c the target
 * groups and targets; diff_rule.c the rules of one listener.
 */
#define LOG_MODULE "diff"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/error.h"
#include "latticectl/log.h"
#include "latticectl/xmalloc.h"

#include "mirror_int.h"

/* Append an operation with a formatted reason. */
struct plan_op *
dx_add(struct plan *p, enum plan_op_kind kind, const char *resource,
    const char *fmt, ...)
{
	struct plan_op	*op;
	va_list		 ap;

	if (p->n_ops == p->cap_ops) {
		p->cap_ops = p->cap_ops == 0 ? 16 : p->cap_ops * 2;
		p->ops = xreallocarray(p->ops, p->cap_ops, sizeof(*p->ops));
	}
	op = &p->ops[p->n_ops++];
	memset(op, 0, sizeof(*op));
	op->kind = kind;
	op->li = op->ri = op->ti = PLAN_NONE;
	op->resource = xstrdup(resource);
	va_start(ap, fmt);
	xvasprintf(&op->reason, fmt, ap);
	va_end(ap);
	return op;
}

/* Record a problem that keeps the plan from completing. */
void
dx_problem(struct plan *p, const char *fmt, ...)
{
	va_list	ap;

	p->problems = xreallocarray(p->problems, p->n_problems + 1,
	    sizeof(*p->problems));
	va_start(ap, fmt);
	xvasprintf(&p->problems[p->n_problems++], fmt, ap);
	va_end(ap);
}

/* "service NAME". */
static char *
dx_svc_res(const char *name)
{
	char	*s;

	xasprintf(&s, "service %s", name);
	return s;
}

/* Is the association ours to delete (ours, or untagged when the whole
 * service goes)? */
static int
dx_assoc_ours(struct mirror *m, const struct mx_assoc *a, int untagged_ok)
{
	const char	*mb;

	if (!a->tags_loaded)
		return 0;
	mb = aws_tags_get(&a->tags, UP_TAG_MANAGED_BY);
	if (mb == NULL)
		return untagged_ok;
	return strcmp(mb, m->managed_by) == 0;
}

/* DELETE_IN_PROGRESS or DELETE_FAILED? */
static int
dx_deleting(const char *status)
{
	return status != NULL && strncmp(status, "DELETE_", 7) == 0;
}

/* Delete one association. */
static void
dx_assoc_delete(struct plan *p, const struct mx_assoc *a, const char *why)
{
	struct plan_op	*op;
	char		*res;

	xasprintf(&res, "association %s -> %s", a->a.service_name != NULL ?
	    a->a.service_name : a->a.service_id, a->a.service_network_name !=
	    NULL ? a->a.service_network_name : a->a.service_network_id);
	op = dx_add(p, PLAN_ASSOC_DELETE, res, "%s", why);
	op->id = xstrdup(a->a.id);
	op->sn_id = xstrdup_or_null(a->a.service_network_id);
	op->sn_name = xstrdup_or_null(a->a.service_network_name);
	op->service_id = xstrdup_or_null(a->a.service_id);
	free(res);
}

/* ---- deleting a whole source ---- */

/* Do the service's route tags name another route than the deleted
 * source? (Two routes that truncate to one service name: only the one
 * that made it may delete it.) Missing or empty tags do not count. */
static int
dx_svc_other_route(const struct lm_stack *st, const struct mx_service *s)
{
	static const char *const keys[] = { UP_TAG_ROUTE_NAME,
	    UP_TAG_ROUTE_NAMESPACE, UP_TAG_ROUTE_TYPE };
	const char	*want[3], *have;
	size_t		 i;

	want[0] = st->owner.name;
	want[1] = st->owner.namespace;
	want[2] = lm_route_type_str(st->owner.kind);
	for (i = 0; i < 3; i++) {
		have = aws_tags_get(&s->tags, keys[i]);
		if (have != NULL && *have != '\0' && want[i] != NULL &&
		    strcmp(have, want[i]) != 0)
			return 1;
	}
	return 0;
}

/* Plan the removal of what the deleted source owns. */
static void
dx_delete_all(struct mirror *m, struct plan *p)
{
	const struct lm_service	*d = p->stack->service;
	struct mx_service	*s;
	struct plan_op		*op;
	const char		*mb;
	char			*res;
	size_t			 i;

	s = d != NULL ? mx_svc_by_name(m, d->name) : NULL;
	if (s != NULL && !s->tags_loaded)
		dx_problem(p, "tags of service %s not loaded", d->name);
	else if (s != NULL) {
		mb = aws_tags_get(&s->tags, UP_TAG_MANAGED_BY);
		res = dx_svc_res(d->name);
		if (mb == NULL || strcmp(mb, m->managed_by) != 0) {
			log_info("%s: not ours (%s), left in place", res,
			    mb != NULL ? mb : "untagged");
		} else if (dx_svc_other_route(p->stack, s)) {
			log_info("%s: belongs to another route, left in place",
			    res);
		} else {
			for (i = 0; i < m->st.n_assocs; i++) {
				if (m->st.assocs[i]->a.service_id != NULL &&
				    strcmp(m->st.assocs[i]->a.service_id,
				    s->s.id) == 0 &&
				    !dx_deleting(m->st.assocs[i]->a.status) &&
				    dx_assoc_ours(m, m->st.assocs[i], 1))
					dx_assoc_delete(p, m->st.assocs[i],
					    "route deleted");
			}
			op = dx_add(p, PLAN_SVC_DELETE, res, "route deleted");
			op->id = xstrdup(s->s.id);
			op->arn = xstrdup_or_null(s->s.arn);
		}
		free(res);
	}
	dx_tg_deletes(m, p);
}

/* ---- service ---- */

/* Is the service someone else's? Sets p->conflict. */
static int
dx_svc_conflict(struct mirror *m, struct plan *p, const struct mx_service *s)
{
	static const char *const keys[] = { UP_TAG_ROUTE_NAME,
	    UP_TAG_ROUTE_NAMESPACE, UP_TAG_ROUTE_TYPE };
	const struct lm_service	*d = p->stack->service;
	const char		*mb, *have, *want;
	size_t			 i;

	mb = aws_tags_get(&s->tags, UP_TAG_MANAGED_BY);
	if (mb != NULL && strcmp(mb, m->managed_by) != 0 &&
	    (d->allow_takeover_from == NULL ||
	    strcmp(mb, d->allow_takeover_from) != 0)) {
		xasprintf(&p->conflict, "service %s is managed by %s", d->name,
		    mb);
		return 1;
	}
	if (mb != NULL && d->allow_takeover_from != NULL &&
	    strcmp(mb, d->allow_takeover_from) == 0)
		return 0;
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		have = aws_tags_get(&s->tags, keys[i]);
		want = aws_tags_get(&d->tags, keys[i]);
		if (have != NULL && *have != '\0' && want != NULL &&
		    strcmp(have, want) != 0) {
			xasprintf(&p->conflict, "service %s belongs to another "
			    "route (%s %s)", d->name, keys[i] +
			    strlen(UP_PREFIX), have);
			return 1;
		}
	}
	return 0;
}

/* Tag and update an existing service as needed. */
static void
dx_svc_update(struct mirror *m, struct plan *p, const struct mx_service *s)
{
	const struct lm_service	*d = p->stack->service;
	struct aws_tags		 missing = { 0 };
	struct plan_op		*op;
	const char		*mb;
	char			*keys, *res = dx_svc_res(d->name);

	keys = mx_tags_diff(&d->tags, &s->tags, &missing);
	mb = aws_tags_get(&s->tags, UP_TAG_MANAGED_BY);
	if (missing.n > 0) {
		if (mb == NULL)
			op = dx_add(p, PLAN_SVC_TAG, res, "adopt: untagged");
		else if (strcmp(mb, m->managed_by) != 0)
			op = dx_add(p, PLAN_SVC_TAG, res, "take over from %s",
			    mb);
		else
			op = dx_add(p, PLAN_SVC_TAG, res, "tags differ: %s",
			    keys);
		op->id = xstrdup(s->s.id);
		op->arn = xstrdup(s->s.arn);
		op->tags = missing;
		memset(&missing, 0, sizeof(missing));
	}
	if ((d->certificate_arn != NULL && (s->s.certificate_arn == NULL ||
	    strcmp(d->certificate_arn, s->s.certificate_arn) != 0)) ||
	    (d->auth_type != NULL && (s->s.auth_type == NULL ||
	    strcmp(d->auth_type, s->s.auth_type) != 0))) {
		op = dx_add(p, PLAN_SVC_UPDATE, res, "certificateArn %s->%s, "
		    "authType %s->%s", s->s.certificate_arn != NULL ?
		    s->s.certificate_arn : "-", d->certificate_arn != NULL ?
		    d->certificate_arn : "-", s->s.auth_type != NULL ?
		    s->s.auth_type : "-", d->auth_type != NULL ? d->auth_type :
		    "-");
		op->id = xstrdup(s->s.id);
	}
	aws_tags_free(&missing);
	free(keys);
	free(res);
}

/* Is the association to a desired service network? */
static int
dx_assoc_desired(struct mirror *m, const struct lm_service *d,
    const struct mx_assoc *a)
{
	const struct lattice_service_network	*sn;
	size_t					 i;

	if (d->standalone)
		return 0;
	for (i = 0; i < d->n_sn_names; i++) {
		sn = mx_sn_by_name(m, d->sn_names[i]);
		if (sn != NULL && a->a.service_network_id != NULL &&
		    strcmp(sn->id, a->a.service_network_id) == 0)
			return 1;
	}
	return 0;
}

/* Associations to create (and transitions to wait for). */
static void
dx_assocs(struct mirror *m, struct plan *p, const struct mx_service *s)
{
	const struct lm_service			*d = p->stack->service;
	const struct lattice_service_network	*sn;
	struct mx_assoc				*a;
	struct plan_op				*op;
	char					*res;
	size_t					 i;

	for (i = 0; !d->standalone && i < d->n_sn_names; i++) {
		xasprintf(&res, "association %s -> %s", d->name,
		    d->sn_names[i]);
		sn = mx_sn_by_name(m, d->sn_names[i]);
		a = sn != NULL && s != NULL ? mx_assoc_find(m, s->s.id,
		    sn->id) : NULL;
		if (sn == NULL)
			dx_problem(p, "service network %s not found",
			    d->sn_names[i]);
		else if (a == NULL) {
			op = dx_add(p, PLAN_ASSOC_CREATE, res, "missing");
			op->sn_id = xstrdup(sn->id);
			op->sn_name = xstrdup(d->sn_names[i]);
		} else if (mx_transitional(a->a.status)) {
			op = dx_add(p, PLAN_WAIT, res, "%s", a->a.status);
			op->id = xstrdup(a->a.id);
		} else if (a->a.status != NULL &&
		    strcmp(a->a.status, "CREATE_FAILED") == 0)
			dx_assoc_delete(p, a, "CREATE_FAILED: recreate");
		free(res);
	}
}

/* "listener NAME". */
static char *
dx_lst_res(const struct lm_listener *dl)
{
	char	*s;

	xasprintf(&s, "listener %s", dl->name);
	return s;
}

/* A new listener with all its rules. */
static void
dx_listener_new(struct plan *p, size_t li, const char *why)
{
	const struct lm_listener	*dl = &p->stack->listeners[li];
	struct plan_op			*op;
	char				*res = dx_lst_res(dl);

	op = dx_add(p, PLAN_LISTENER_CREATE, res, "%s", why);
	op->li = li;
	free(res);
}

/* Rules of a listener that does not exist yet: all created. */
static void
dx_rules_new(struct plan *p, size_t li)
{
	const struct lm_listener	*dl = &p->stack->listeners[li];
	struct plan_op			*op;
	char				*res, *ms;
	size_t				 ri;

	for (ri = 0; ri < dl->n_rules; ri++) {
		ms = mx_match_str(&dl->rules[ri].match);
		xasprintf(&res, "rule %d (%s) on %s", dl->rules[ri].priority,
		    ms, dl->name);
		op = dx_add(p, PLAN_RULE_CREATE, res, "missing");
		op->li = li;
		op->ri = ri;
		op->name = xstrdup(dl->rules[ri].name);
		free(res);
		free(ms);
	}
}

/* The actual listener of a desired one (NULL: to create), planning a
 * replacement when the protocol differs. */
static struct mx_listener *
dx_listener(struct mirror *m, struct plan *p, struct mx_service *s,
    size_t li)
{
	const struct lm_listener	*dl = &p->stack->listeners[li];
	const char			*proto = lm_listener_proto_str(
					    dl->protocol);
	struct mx_listener		*l;
	struct plan_op			*op;
	char				*res;

	if (s == NULL || (l = mx_listener_by_port(s, dl->port)) == NULL) {
		dx_listener_new(p, li, "missing");
		return NULL;
	}
	res = dx_lst_res(dl);
	if (l->l.protocol == NULL || strcmp(l->l.protocol, proto) != 0) {
		op = dx_add(p, PLAN_LISTENER_DELETE, res, "protocol %s->%s: "
		    "replace", l->l.protocol != NULL ? l->l.protocol : "-",
		    proto);
		op->id = xstrdup(l->l.id);
		op->parent_id = xstrdup(s->s.id);
		dx_listener_new(p, li, "protocol changed");
		free(res);
		return NULL;
	}
	if (l->l.default_action.kind != LATTICE_ACTION_NONE &&
	    !mx_action_equal(m, p->stack, &dl->default_action,
	    &l->l.default_action)) {
		op = dx_add(p, PLAN_LISTENER_UPDATE, res, "default action "
		    "differs");
		op->li = li;
		op->id = xstrdup(l->l.id);
		op->parent_id = xstrdup(s->s.id);
	}
	free(res);
	return l;
}

/* Listeners, then rules, then stale listeners of the service. */
static void
dx_listeners(struct mirror *m, struct plan *p, struct mx_service *s)
{
	const struct lm_stack	 *st = p->stack;
	struct mx_listener	**have;
	struct plan_op		 *op;
	char			 *res;
	size_t			  li, i;
	int			  wanted;

	have = xcalloc(st->n_listeners + 1, sizeof(*have));
	for (li = 0; li < st->n_listeners; li++)
		have[li] = dx_listener(m, p, s, li);
	for (li = 0; li < st->n_listeners; li++) {
		if (have[li] == NULL)
			dx_rules_new(p, li);
		else
			dx_rules(m, p, li, s, have[li]);
	}
	for (i = 0; s != NULL && i < s->n_listeners; i++) {
		wanted = 0;
		for (li = 0; li < st->n_listeners; li++)
			wanted |= st->listeners[li].port ==
			    s->listeners[i]->l.port;
		if (wanted)
			continue;
		xasprintf(&res, "listener %s", s->listeners[i]->l.name);
		op = dx_add(p, PLAN_LISTENER_DELETE, res, "port %d no longer "
		    "a listener of the route", s->listeners[i]->l.port);
		op->id = xstrdup(s->listeners[i]->l.id);
		op->parent_id = xstrdup(s->s.id);
		free(res);
	}
	free(have);
}

/* Associations no longer wanted (ours only). */
static void
dx_stale_assocs(struct mirror *m, struct plan *p, const struct mx_service *s)
{
	const struct lm_service	*d = p->stack->service;
	struct mx_assoc		*a;
	size_t			 i;

	for (i = 0; i < m->st.n_assocs; i++) {
		a = m->st.assocs[i];
		if (a->a.service_id == NULL || strcmp(a->a.service_id,
		    s->s.id) != 0 || dx_assoc_desired(m, d, a) ||
		    dx_deleting(a->a.status))
			continue;
		if (dx_assoc_ours(m, a, 0))
			dx_assoc_delete(p, a, d->standalone ? "standalone "
			    "service" : "service network no longer a parent");
	}
}

/* The service part of an upsert. */
static void
dx_service(struct mirror *m, struct plan *p)
{
	const struct lm_service	*d = p->stack->service;
	struct mx_service	*s;
	struct plan_op		*op;
	char			*res;

	if (d == NULL)
		return;
	res = dx_svc_res(d->name);
	s = mx_svc_by_name(m, d->name);
	if (s != NULL && s->s.status != NULL && (strncmp(s->s.status,
	    "DELETE_", 7) == 0 || strcmp(s->s.status, "CREATE_FAILED") == 0)) {
		if (strcmp(s->s.status, "CREATE_FAILED") == 0) {
			op = dx_add(p, PLAN_SVC_DELETE, res, "CREATE_FAILED: "
			    "recreate");
			op->id = xstrdup(s->s.id);
		}
		op = dx_add(p, PLAN_WAIT, res, "%s", s->s.status);
		free(res);
		return;
	}
	if (s != NULL && (!s->tags_loaded || (!dx_svc_conflict(m, p, s) &&
	    !s->children))) {
		dx_problem(p, "service %s not prepared (%s unknown)", d->name,
		    s->tags_loaded ? "listeners" : "tags");
		free(res);
		return;
	}
	if (p->conflict != NULL) {
		free(res);
		return;
	}
	if (s == NULL)
		dx_add(p, PLAN_SVC_CREATE, res, "missing");
	else
		dx_svc_update(m, p, s);
	dx_assocs(m, p, s);
	dx_listeners(m, p, s);
	if (s != NULL)
		dx_stale_assocs(m, p, s);
	free(res);
}

/* "HTTPRoute ns/name". */
static char *
dx_owner(const struct lm_owner *o)
{
	char	*s;

	xasprintf(&s, "%s %s/%s", lm_source_kind_str(o->kind),
	    o->namespace != NULL ? o->namespace : "",
	    o->name != NULL ? o->name : "");
	return s;
}

/* Diff a stack against the mirror. */
int
plan_diff(struct mirror *m, const struct lm_stack *st, int deleting,
    struct plan **out, char **cause)
{
	struct plan	*p;

	*out = NULL;
	pthread_rwlock_rdlock(&m->rw);
	pthread_mutex_lock(&m->mu);
	if (!m->loaded) {
		pthread_mutex_unlock(&m->mu);
		pthread_rwlock_unlock(&m->rw);
		return error_set(cause, "the Lattice mirror is not loaded");
	}
	p = xcalloc(1, sizeof(*p));
	p->stack = st;
	p->deleting = deleting;
	p->owner = dx_owner(&st->owner);
	if (deleting)
		dx_delete_all(m, p);
	else {
		dx_tgs(m, p);
		dx_service(m, p);
		if (p->conflict == NULL)
			dx_tg_deletes(m, p);
	}
	pthread_mutex_unlock(&m->mu);
	pthread_rwlock_unlock(&m->rw);
	*out = p;
	return 0;
}

/* Free one operation's members. */
static void
plan_op_free(struct plan_op *op)
{
	size_t	i;

	free(op->resource);
	free(op->reason);
	free(op->id);
	free(op->arn);
	free(op->parent_id);
	free(op->service_id);
	free(op->sn_id);
	free(op->sn_name);
	free(op->name);
	for (i = 0; i < op->n_targets; i++)
		free(op->targets[i].ip);
	free(op->targets);
	aws_tags_free(&op->tags);
	for (i = 0; i < op->n_changes; i++)
		free(op->changes[i].rule_id);
	free(op->changes);
}

/* Free a plan. */
void
plan_free(struct plan *p)
{
	size_t	i;

	if (p == NULL)
		return;
	for (i = 0; i < p->n_ops; i++)
		plan_op_free(&p->ops[i]);
	free(p->ops);
	for (i = 0; i < p->n_problems; i++)
		free(p->problems[i]);
	free(p->problems);
	free(p->conflict);
	free(p->owner);
	free(p);
}

/* Anything to do or report? */
int
plan_drift(const struct plan *p)
{
	return p->n_ops > 0 || p->conflict != NULL || p->n_problems > 0;
}
