/*
 * Apply: listeners and rules.
 */
#define LOG_MODULE "apply"

#include <stdlib.h>
#include <string.h>

#include "latticectl/log.h"
#include "latticectl/xmalloc.h"

#include "apply_int.h"

/* Resolved target group ids of one action (copies). */
struct ax_ids {
	char	*v[LATTICE_MAX_WEIGHTED_TGS];
	size_t	 n;
};

/* Free resolved ids. */
static void
ax_ids_free(struct ax_ids *ids)
{
	size_t	i;

	for (i = 0; i < ids->n; i++)
		free(ids->v[i]);
	ids->n = 0;
}

/* Resolve an action's TG ids (mu held); -1 when a TG is missing or
 * not ACTIVE yet. */
static int
ax_ids_get(struct ax *x, const struct lm_action *a, struct ax_ids *ids)
{
	const char	*v[LATTICE_MAX_WEIGHTED_TGS];
	size_t		 i;

	memset(ids, 0, sizeof(*ids));
	if (mx_action_ids(x->m, x->st, a, v, NULL) != 0)
		return -1;
	for (i = 0; a->kind == LM_ACTION_FORWARD && i < a->n_tgs &&
	    i < LATTICE_MAX_WEIGHTED_TGS; i++)
		ids->v[ids->n++] = xstrdup(v[i]);
	return 0;
}

/* The desired listener's service id and (when need_l) listener id, both
 * existing and the service ACTIVE (mu held); -1 otherwise. */
static int
ax_parents(struct ax *x, size_t li, int need_l, char **svc_id, char **lst_id)
{
	struct mx_service	*s = ax_service(x);
	struct mx_listener	*l;

	*svc_id = *lst_id = NULL;
	if (s == NULL || !ax_active(s->s.status))
		return -1;
	l = mx_listener_by_port(s, x->st->listeners[li].port);
	if (need_l && l == NULL)
		return -1;
	*svc_id = xstrdup(s->s.id);
	*lst_id = l != NULL ? xstrdup(l->l.id) : NULL;
	return 0;
}

/* Refresh a service's listeners and rules (the service of the stack). */
static int
ax_relist_children(struct mirror *m, const char *svc_id, char **cause)
{
	return mx_refresh_service_children(m, svc_id, cause);
}

/* Bump the salt of a key built from the service name (mu held). */
static void
ax_bump(struct ax *x, const char *fmt_kind, int port, const char *name)
{
	char	*key;

	xasprintf(&key, "%s:%s:%d:%s", fmt_kind, x->st->service != NULL ?
	    x->st->service->name : "", port, name != NULL ? name : "");
	mx_salt_bump(x->m, key);
	free(key);
}

/* ---- listeners ---- */

/* CreateListener, once the service is ACTIVE (and forward TGs are). */
enum ax_rc
ax_listener_create(struct ax *x, const struct plan_op *op)
{
	const struct lm_listener		*dl = &x->st->listeners[op->li];
	struct lattice_create_listener_input	 in = { 0 };
	struct lattice_weighted_tg		 w[LATTICE_MAX_WEIGHTED_TGS];
	struct lattice_rule_action		 act;
	struct lattice_listener			 out = { 0 };
	struct aws_error			 err = { 0 };
	struct mx_service			*s;
	struct ax_ids				 ids;
	char					*svc_id, *lst_id, *key, tok[65];
	cJSON					*c;
	int					 rc;

	pthread_mutex_lock(&x->m->mu);
	rc = ax_parents(x, op->li, 0, &svc_id, &lst_id);
	if (rc == 0 && ax_ids_get(x, &dl->default_action, &ids) != 0) {
		free(svc_id);
		rc = -1;
	}
	pthread_mutex_unlock(&x->m->mu);
	if (rc != 0)
		return AX_DEFER;
	free(lst_id);
	mx_action_fill(&dl->default_action, (const char **)ids.v, w, &act);
	in.service_identifier = svc_id;
	in.name = dl->name;
	in.protocol = lm_listener_proto_str(dl->protocol);
	in.port = dl->port;
	in.default_action = &act;
	in.tags = &dl->tags;
	xasprintf(&key, "lst:%s:%d:", x->st->service->name, dl->port);
	c = lattice_rule_action_to_json(&act);
	ax_token(x, key, c, in.protocol, tok);
	cJSON_Delete(c);
	in.client_token = tok;
	rc = lattice_create_listener(x->m->aws, &in, &out, &err);
	mx_count(x->m, MXOP_CREATE_LISTENER, rc == 0);
	if (rc != 0) {
		ax_create_failed(x, key, &err);
		rc = ax_error(x, op, &err, ax_relist_children, svc_id, 0);
	} else {
		pthread_mutex_lock(&x->m->mu);
		if ((s = mx_svc_by_id(x->m, svc_id)) != NULL)
			mx_put_listener(s, &out);
		pthread_mutex_unlock(&x->m->mu);
		rc = AX_DONE;
	}
	lattice_listener_free(&out);
	ax_ids_free(&ids);
	free(svc_id);
	free(key);
	return rc;
}

/* UpdateListener (default action). */
enum ax_rc
ax_listener_update(struct ax *x, const struct plan_op *op)
{
	const struct lm_listener	*dl = &x->st->listeners[op->li];
	struct lattice_weighted_tg	 w[LATTICE_MAX_WEIGHTED_TGS];
	struct lattice_rule_action	 act;
	struct lattice_listener		 out = { 0 };
	struct aws_error		 err = { 0 };
	struct mx_service		*s;
	struct ax_ids			 ids;
	int				 rc;

	pthread_mutex_lock(&x->m->mu);
	rc = ax_ids_get(x, &dl->default_action, &ids);
	pthread_mutex_unlock(&x->m->mu);
	if (rc != 0)
		return AX_DEFER;
	mx_action_fill(&dl->default_action, (const char **)ids.v, w, &act);
	rc = lattice_update_listener(x->m->aws, op->parent_id, op->id, &act,
	    &out, &err);
	mx_count(x->m, MXOP_UPDATE_LISTENER, rc == 0);
	ax_ids_free(&ids);
	if (rc != 0)
		return ax_error(x, op, &err, ax_relist_children, op->parent_id,
		    0);
	pthread_mutex_lock(&x->m->mu);
	if ((s = mx_svc_by_id(x->m, op->parent_id)) != NULL)
		mx_put_listener(s, &out);
	pthread_mutex_unlock(&x->m->mu);
	lattice_listener_free(&out);
	return AX_DONE;
}

/* DeleteListener. */
enum ax_rc
ax_listener_delete(struct ax *x, const struct plan_op *op)
{
	struct aws_error	 err = { 0 };
	struct mx_service	*s;
	struct mx_listener	*l;
	int			 rc;

	rc = lattice_delete_listener(x->m->aws, op->parent_id, op->id, &err);
	mx_count(x->m, MXOP_DELETE_LISTENER, rc == 0);
	if (rc != 0 && !mx_err_is(&err, MX_NOT_FOUND))
		return ax_error(x, op, &err, ax_relist_children, op->parent_id,
		    0);
	aws_error_clear(&err);
	pthread_mutex_lock(&x->m->mu);
	if ((s = mx_svc_by_id(x->m, op->parent_id)) != NULL) {
		if ((l = mx_listener_by_id(s, op->id)) != NULL)
			ax_bump(x, "lst", l->l.port, "");
		mx_drop_listener(s, op->id);
	}
	pthread_mutex_unlock(&x->m->mu);
	return AX_DONE;
}

/* ---- rules ---- */

/* The mirror's listener by ids (mu held). */
static struct mx_listener *
ax_listener(struct ax *x, const char *svc_id, const char *lst_id)
{
	struct mx_service	*s = mx_svc_by_id(x->m, svc_id);

	return s != NULL ? mx_listener_by_id(s, lst_id) : NULL;
}

/* CreateRule, once the listener exists and its TGs are ACTIVE. */
enum ax_rc
ax_rule_create(struct ax *x, const struct plan_op *op)
{
	const struct lm_listener		*dl = &x->st->listeners[op->li];
	const struct lm_rule			*dr = &dl->rules[op->ri];
	struct lattice_create_rule_input	 in = { 0 };
	struct lattice_weighted_tg		 w[LATTICE_MAX_WEIGHTED_TGS];
	struct lattice_rule_action		 act;
	struct mx_match_buf			 mb;
	struct lattice_rule			 out = { 0 };
	struct aws_error			 err = { 0 };
	struct mx_listener			*l;
	struct ax_ids				 ids;
	char					*svc_id, *lst_id, *key, tok[65];
	cJSON					*c;
	int					 rc;

	pthread_mutex_lock(&x->m->mu);
	rc = ax_parents(x, op->li, 1, &svc_id, &lst_id);
	if (rc == 0 && ax_ids_get(x, &dr->action, &ids) != 0) {
		free(svc_id);
		free(lst_id);
		rc = -1;
	}
	pthread_mutex_unlock(&x->m->mu);
	if (rc != 0)
		return AX_DEFER;
	mx_match_from_lm(&dr->match, &mb);
	mx_action_fill(&dr->action, (const char **)ids.v, w, &act);
	in.service_identifier = svc_id;
	in.listener_identifier = lst_id;
	in.name = op->name;
	in.match = &mb.m;
	in.priority = dr->priority;
	in.action = &act;
	in.tags = &dr->tags;
	xasprintf(&key, "rule:%s:%d:%s", x->st->service->name, dl->port,
	    op->name);
	c = cJSON_CreateArray();
	cJSON_AddItemToArray(c, lattice_rule_match_to_json(&mb.m));
	cJSON_AddItemToArray(c, lattice_rule_action_to_json(&act));
	cJSON_AddItemToArray(c, cJSON_CreateNumber(dr->priority));
	ax_token(x, key, c, lst_id, tok);
	cJSON_Delete(c);
	in.client_token = tok;
	rc = lattice_create_rule(x->m->aws, &in, &out, &err);
	mx_count(x->m, MXOP_CREATE_RULE, rc == 0);
	if (rc != 0) {
		ax_create_failed(x, key, &err);
		rc = ax_error(x, op, &err, ax_relist_children, svc_id, 0);
	} else {
		pthread_mutex_lock(&x->m->mu);
		if ((l = ax_listener(x, svc_id, lst_id)) != NULL)
			mx_put_rule(l, &out, out.match.present &&
			    out.action.kind != LATTICE_ACTION_NONE);
		pthread_mutex_unlock(&x->m->mu);
		rc = AX_DONE;
	}
	lattice_rule_free(&out);
	ax_ids_free(&ids);
	free(svc_id);
	free(lst_id);
	free(key);
	return rc;
}

/* The inputs of a rule update or batch. */
struct ax_upd {
	struct lattice_update_rule_input	*u;
	struct mx_match_buf			*mb;
	struct lattice_rule_action		*act;
	struct lattice_weighted_tg		(*w)[LATTICE_MAX_WEIGHTED_TGS];
	struct ax_ids				*ids;
	size_t					 n;
};

/* Free update inputs. */
static void
ax_upd_free(struct ax_upd *u)
{
	size_t	i;

	for (i = 0; i < u->n; i++)
		ax_ids_free(&u->ids[i]);
	free(u->u);
	free(u->mb);
	free(u->act);
	free(u->w);
	free(u->ids);
}

/* Build the update inputs (mu held); -1 when a TG is not ready. */
static int
ax_upd_build(struct ax *x, const struct plan_op *op, struct ax_upd *u)
{
	const struct lm_listener	*dl = &x->st->listeners[op->li];
	const struct plan_rule_change	*c;
	size_t				 i;

	u->n = op->n_changes;
	u->u = xcalloc(u->n, sizeof(*u->u));
	u->mb = xcalloc(u->n, sizeof(*u->mb));
	u->act = xcalloc(u->n, sizeof(*u->act));
	u->w = xcalloc(u->n, sizeof(*u->w));
	u->ids = xcalloc(u->n, sizeof(*u->ids));
	for (i = 0; i < u->n; i++) {
		c = &op->changes[i];
		u->u[i].rule_identifier = c->rule_id;
		u->u[i].priority = c->priority;
		if (c->set_match) {
			mx_match_from_lm(&dl->rules[c->ri].match, &u->mb[i]);
			u->u[i].match = &u->mb[i].m;
		}
		if (!c->set_action)
			continue;
		if (ax_ids_get(x, &dl->rules[c->ri].action, &u->ids[i]) != 0)
			return -1;
		mx_action_fill(&dl->rules[c->ri].action,
		    (const char **)u->ids[i].v, u->w[i], &u->act[i]);
		u->u[i].action = &u->act[i];
	}
	return 0;
}

/* Store updated rules (mu held). */
static void
ax_upd_store(struct ax *x, const char *svc_id, const char *lst_id,
    struct lattice_rule *rules, size_t n)
{
	struct mx_listener	*l = ax_listener(x, svc_id, lst_id);
	size_t			 i;

	for (i = 0; l != NULL && i < n; i++)
		mx_put_rule(l, &rules[i], rules[i].match.present &&
		    rules[i].action.kind != LATTICE_ACTION_NONE);
}

/* Send the update(s): UpdateRule for one, BatchUpdateRule for more. */
static int
ax_upd_send(struct ax *x, const struct plan_op *op, struct ax_upd *u,
    const char *svc_id, const char *lst_id, struct aws_error *err)
{
	struct lattice_batch_update_rule_input	in = { 0 };
	struct lattice_batch_update_rule_result	res = { 0 };
	struct lattice_rule			out = { 0 };
	int					rc;

	if (op->kind == PLAN_RULE_UPDATE) {
		u->u[0].service_identifier = svc_id;
		u->u[0].listener_identifier = lst_id;
		rc = lattice_update_rule(x->m->aws, &u->u[0], &out, err);
		mx_count(x->m, MXOP_UPDATE_RULE, rc == 0);
		pthread_mutex_lock(&x->m->mu);
		if (rc == 0)
			ax_upd_store(x, svc_id, lst_id, &out, 1);
		pthread_mutex_unlock(&x->m->mu);
		lattice_rule_free(&out);
		return rc;
	}
	in.service_identifier = svc_id;
	in.listener_identifier = lst_id;
	in.rules = u->u;
	in.n_rules = u->n;
	rc = lattice_batch_update_rule(x->m->aws, &in, &res, err);
	mx_count(x->m, MXOP_BATCH_UPDATE_RULE, rc == 0);
	pthread_mutex_lock(&x->m->mu);
	ax_upd_store(x, svc_id, lst_id, res.successful, res.n_successful);
	pthread_mutex_unlock(&x->m->mu);
	if (rc == 0 && res.n_unsuccessful > 0) {
		err->code = xstrdup(res.unsuccessful[0].failure_code != NULL ?
		    res.unsuccessful[0].failure_code : MX_CONFLICT);
		err->message = xstrdup_or_null(
		    res.unsuccessful[0].failure_message);
		rc = -1;
	}
	lattice_batch_update_rule_result_free(&res);
	return rc;
}

/* UpdateRule or BatchUpdateRule. */
enum ax_rc
ax_rule_update(struct ax *x, const struct plan_op *op)
{
	struct aws_error	 err = { 0 };
	struct ax_upd		 u;
	char			*svc_id, *lst_id;
	int			 rc;

	memset(&u, 0, sizeof(u));
	pthread_mutex_lock(&x->m->mu);
	rc = ax_parents(x, op->li, 1, &svc_id, &lst_id);
	if (rc == 0)
		rc = ax_upd_build(x, op, &u);
	pthread_mutex_unlock(&x->m->mu);
	if (rc != 0) {
		ax_upd_free(&u);
		free(svc_id);
		free(lst_id);
		return AX_DEFER;
	}
	rc = ax_upd_send(x, op, &u, svc_id, lst_id, &err);
	ax_upd_free(&u);
	if (rc != 0)
		rc = ax_error(x, op, &err, ax_relist_children, svc_id, 0);
	else
		rc = AX_DONE;
	free(svc_id);
	free(lst_id);
	return rc;
}

/* DeleteRule. */
enum ax_rc
ax_rule_delete(struct ax *x, const struct plan_op *op)
{
	struct aws_error	 err = { 0 };
	struct mx_listener	*l;
	struct mx_rule		*r;
	int			 rc;

	rc = lattice_delete_rule(x->m->aws, op->service_id, op->parent_id,
	    op->id, &err);
	mx_count(x->m, MXOP_DELETE_RULE, rc == 0);
	if (rc != 0 && !mx_err_is(&err, MX_NOT_FOUND))
		return ax_error(x, op, &err, ax_relist_children,
		    op->service_id, 0);
	aws_error_clear(&err);
	pthread_mutex_lock(&x->m->mu);
	if ((l = ax_listener(x, op->service_id, op->parent_id)) != NULL) {
		if ((r = mx_rule_by_id(l, op->id)) != NULL)
			ax_bump(x, "rule", l->l.port, r->r.name);
		mx_drop_rule(l, op->id);
	}
	pthread_mutex_unlock(&x->m->mu);
	return AX_DONE;
}
