/*
 * Apply: target groups, targets, the service and its associations.
 */
#define LOG_MODULE "apply"

#include <stdlib.h>
#include <string.h>

#include "latticectl/log.h"
#include "latticectl/xmalloc.h"

#include "apply_int.h"

/* ---- target groups ---- */

/* The salt key of a desired TG. */
static char *
ax_tg_key(const struct lm_target_group *d)
{
	char	*ident = mx_tg_ident_desired(d), *key;

	xasprintf(&key, "tg:%s", ident != NULL ? ident : d->name);
	free(ident);
	return key;
}

/* Refresh the target group list (signature of the refresh callbacks). */
static int
ax_relist_tgs(struct mirror *m, const char *unused, char **cause)
{
	return mx_refresh_tgs(m, cause);
}

/* CreateTargetGroup. */
enum ax_rc
ax_tg_create(struct ax *x, const struct plan_op *op)
{
	const struct lm_target_group		*d = &x->st->tgs[op->ti];
	struct lattice_create_target_group_input in = { 0 };
	struct lattice_tg_config		 cfg = { 0 };
	struct lattice_target_group		 out = { 0 };
	struct aws_error			 err = { 0 };
	struct mx_tg				*t;
	cJSON					*c;
	char					 tok[65], *key = ax_tg_key(d);
	int					 rc;

	cfg.present = 1;
	cfg.port = d->port;
	cfg.protocol = d->protocol;
	cfg.protocol_version = d->protocol_version;
	cfg.ip_address_type = d->ip_address_type;
	cfg.vpc_identifier = d->vpc_id;
	mx_hc_fill(&d->health_check, &cfg.health_check);
	in.name = op->name;
	in.type = d->type != NULL ? d->type : "IP";
	in.config = &cfg;
	in.tags = &d->tags;
	c = lattice_tg_config_to_json(&cfg);
	ax_token(x, key, c, op->name, tok);
	cJSON_Delete(c);
	in.client_token = tok;
	rc = lattice_create_target_group(x->m->aws, &in, &out, &err);
	mx_count(x->m, MXOP_CREATE_TG, rc == 0);
	if (rc != 0) {
		ax_create_failed(x, key, &err);
		free(key);
		return ax_error(x, op, &err, ax_relist_tgs, NULL, 0);
	}
	pthread_mutex_lock(&x->m->mu);
	t = mx_put_tg(x->m, &out, &d->tags);
	t->targets_loaded = 1;
	pthread_mutex_unlock(&x->m->mu);
	lattice_target_group_free(&out);
	free(key);
	return AX_DONE;
}

/* TagResource on a TG. */
enum ax_rc
ax_tg_tag(struct ax *x, const struct plan_op *op)
{
	struct aws_error	 err = { 0 };
	struct aws_tags		 merged = { 0 };
	struct mx_tg		*t;
	int			 rc;

	rc = lattice_tag_resource(x->m->aws, op->arn, &op->tags, &err);
	mx_count(x->m, MXOP_TAG_RESOURCE, rc == 0);
	if (rc != 0)
		return ax_error(x, op, &err, mx_refresh_tg, op->id, 0);
	pthread_mutex_lock(&x->m->mu);
	if ((t = mx_tg_by_id(x->m, op->id)) != NULL) {
		aws_tags_copy(&merged, &t->tags);
		mx_tags_merge(&merged, &op->tags);
		mx_tg_set_tags(x->m, t, &merged);
	}
	pthread_mutex_unlock(&x->m->mu);
	aws_tags_free(&merged);
	return AX_DONE;
}

/* UpdateTargetGroup (health check). */
enum ax_rc
ax_tg_update(struct ax *x, const struct plan_op *op)
{
	struct lattice_health_check	hc;
	struct lattice_target_group	out = { 0 };
	struct aws_error		err = { 0 };
	int				rc;

	mx_hc_fill(&x->st->tgs[op->ti].health_check, &hc);
	rc = lattice_update_target_group(x->m->aws, op->id, &hc, &out, &err);
	mx_count(x->m, MXOP_UPDATE_TG, rc == 0);
	if (rc != 0)
		return ax_error(x, op, &err, mx_refresh_tg, op->id, 0);
	pthread_mutex_lock(&x->m->mu);
	if (mx_tg_by_id(x->m, out.id) != NULL)
		mx_put_tg(x->m, &out, NULL);
	pthread_mutex_unlock(&x->m->mu);
	lattice_target_group_free(&out);
	return AX_DONE;
}

/* Update the mirror's targets after a (de)registration (mu held). */
static void
ax_targets_store(struct mx_tg *t, const struct lattice_targets_result *res,
    int reg)
{
	const struct lattice_target	*ok;
	struct lattice_target		*have;
	size_t				 i, j;

	for (i = 0; i < res->n_successful; i++) {
		ok = &res->successful[i];
		have = NULL;
		for (j = 0; j < t->n_targets && have == NULL; j++) {
			if (t->targets[j].port == ok->port && t->targets[j].id !=
			    NULL && strcmp(t->targets[j].id, ok->id) == 0)
				have = &t->targets[j];
		}
		if (have == NULL) {
			t->targets = xreallocarray(t->targets, t->n_targets + 1,
			    sizeof(*t->targets));
			have = &t->targets[t->n_targets++];
			memset(have, 0, sizeof(*have));
			have->id = xstrdup(ok->id);
			have->port = ok->port;
		}
		free(have->status);
		have->status = reg ? NULL : xstrdup("DRAINING");
	}
}

/* RegisterTargets / DeregisterTargets. */
enum ax_rc
ax_targets(struct ax *x, const struct plan_op *op)
{
	struct lattice_targets_result	 res = { 0 };
	struct lattice_target		*v;
	struct aws_error		 err = { 0 };
	struct mx_tg			*t;
	char				*id = NULL;
	size_t				 i;
	int				 rc, reg = op->kind == PLAN_TARGETS_REGISTER;

	pthread_mutex_lock(&x->m->mu);
	t = mx_tg_find(x->m, &x->st->tgs[op->ti]);
	if (t != NULL && (!reg || ax_active(t->tg.status)))
		id = xstrdup(t->tg.id);
	pthread_mutex_unlock(&x->m->mu);
	if (id == NULL)
		return AX_DEFER;
	v = xcalloc(op->n_targets, sizeof(*v));
	for (i = 0; i < op->n_targets; i++) {
		v[i].id = op->targets[i].ip;
		v[i].port = op->targets[i].port;
	}
	if (reg)
		rc = lattice_register_targets(x->m->aws, id, v, op->n_targets,
		    &res, &err);
	else
		rc = lattice_deregister_targets(x->m->aws, id, v,
		    op->n_targets, &res, &err);
	mx_count(x->m, reg ? MXOP_REGISTER_TARGETS : MXOP_DEREGISTER_TARGETS,
	    rc == 0);
	free(v);
	pthread_mutex_lock(&x->m->mu);
	if ((t = mx_tg_by_id(x->m, id)) != NULL)
		ax_targets_store(t, &res, reg);
	pthread_mutex_unlock(&x->m->mu);
	if (rc == 0 && res.n_unsuccessful > 0) {
		err.code = xstrdup(res.unsuccessful[0].failure_code != NULL ?
		    res.unsuccessful[0].failure_code : "Unsuccessful");
		err.message = xstrdup_or_null(
		    res.unsuccessful[0].failure_message);
		rc = -1;
	}
	lattice_targets_result_free(&res);
	if (rc != 0) {
		rc = ax_error(x, op, &err, mx_refresh_targets, id, 0);
		free(id);
		return rc;
	}
	free(id);
	return AX_DONE;
}

/* DeleteTargetGroup, once no known rule uses it. */
enum ax_rc
ax_tg_delete(struct ax *x, const struct plan_op *op)
{
	struct aws_error	 err = { 0 };
	struct mx_tg		*t;
	char			*key = NULL;
	int			 rc, used;

	pthread_mutex_lock(&x->m->mu);
	used = mx_tg_referenced(x->m, op->id);
	if ((t = mx_tg_by_id(x->m, op->id)) != NULL)
		xasprintf(&key, "tg:%s", t->ident != NULL ? t->ident :
		    t->tg.name);
	pthread_mutex_unlock(&x->m->mu);
	if (used) {
		free(key);
		return AX_DEFER;
	}
	rc = lattice_delete_target_group(x->m->aws, op->id, NULL, &err);
	mx_count(x->m, MXOP_DELETE_TG, rc == 0);
	if (rc != 0 && !mx_err_is(&err, MX_NOT_FOUND)) {
		free(key);
		return ax_error(x, op, &err, mx_refresh_tg, op->id, 1);
	}
	aws_error_clear(&err);
	pthread_mutex_lock(&x->m->mu);
	mx_drop_tg(x->m, op->id);
	if (key != NULL)
		mx_salt_bump(x->m, key);
	pthread_mutex_unlock(&x->m->mu);
	free(key);
	return AX_DONE;
}

/* ---- service ---- */

/* Refresh the service list (signature of the refresh callbacks). */
static int
ax_relist_services(struct mirror *m, const char *unused, char **cause)
{
	return mx_refresh_services(m, cause);
}

/* CreateService. */
enum ax_rc
ax_svc_create(struct ax *x, const struct plan_op *op)
{
	const struct lm_service			*d = x->st->service;
	struct lattice_create_service_input	 in = { 0 };
	struct lattice_service			 out = { 0 };
	struct aws_error			 err = { 0 };
	struct mx_service			*s;
	cJSON					*c;
	char					 tok[65], *key;
	int					 rc;

	in.name = d->name;
	in.auth_type = d->auth_type;
	in.custom_domain_name = d->custom_domain;
	in.certificate_arn = d->certificate_arn;
	in.tags = &d->tags;
	xasprintf(&key, "svc:%s", d->name);
	c = aws_tags_to_json(&d->tags);
	ax_token(x, key, c, d->custom_domain, tok);
	cJSON_Delete(c);
	in.client_token = tok;
	rc = lattice_create_service(x->m->aws, &in, &out, &err);
	mx_count(x->m, MXOP_CREATE_SERVICE, rc == 0);
	if (rc != 0) {
		ax_create_failed(x, key, &err);
		free(key);
		return ax_error(x, op, &err, ax_relist_services, NULL, 0);
	}
	pthread_mutex_lock(&x->m->mu);
	s = mx_put_service(x->m, &out, &d->tags);
	s->children = 1;
	s->detail = 1;
	pthread_mutex_unlock(&x->m->mu);
	lattice_service_free(&out);
	free(key);
	return AX_DONE;
}

/* TagResource on the service (adopt, takeover, drift). */
enum ax_rc
ax_svc_tag(struct ax *x, const struct plan_op *op)
{
	struct aws_error	 err = { 0 };
	struct mx_service	*s;
	int			 rc;

	rc = lattice_tag_resource(x->m->aws, op->arn, &op->tags, &err);
	mx_count(x->m, MXOP_TAG_RESOURCE, rc == 0);
	if (rc != 0)
		return ax_error(x, op, &err, mx_refresh_service, op->id, 0);
	pthread_mutex_lock(&x->m->mu);
	if ((s = mx_svc_by_id(x->m, op->id)) != NULL)
		mx_tags_merge(&s->tags, &op->tags);
	pthread_mutex_unlock(&x->m->mu);
	return AX_DONE;
}

/* UpdateService (certificate, auth type). */
enum ax_rc
ax_svc_update(struct ax *x, const struct plan_op *op)
{
	struct lattice_update_service_input	 in = { 0 };
	struct lattice_service			 out = { 0 };
	struct aws_error			 err = { 0 };
	struct mx_service			*s;
	int					 rc;

	in.service_identifier = op->id;
	in.certificate_arn = x->st->service->certificate_arn;
	in.auth_type = x->st->service->auth_type;
	rc = lattice_update_service(x->m->aws, &in, &out, &err);
	mx_count(x->m, MXOP_UPDATE_SERVICE, rc == 0);
	if (rc != 0)
		return ax_error(x, op, &err, mx_refresh_service, op->id, 0);
	pthread_mutex_lock(&x->m->mu);
	if (out.id != NULL && mx_svc_by_id(x->m, out.id) != NULL) {
		s = mx_put_service(x->m, &out, NULL);
		s->detail = 1;
	}
	pthread_mutex_unlock(&x->m->mu);
	lattice_service_free(&out);
	return AX_DONE;
}

/* Are the service's associations gone? Refreshes the ones being
 * deleted. 1 gone, 0 not yet, -1 error (*cause). */
static int
ax_svc_unassociated(struct ax *x, const char *svc_id, char **cause)
{
	char	**ids;
	size_t	  i, n = 0, left;
	int	  rc = 0;

	pthread_mutex_lock(&x->m->mu);
	ids = xcalloc(x->m->st.n_assocs + 1, sizeof(*ids));
	for (i = 0; i < x->m->st.n_assocs; i++) {
		if (x->m->st.assocs[i]->a.service_id != NULL &&
		    strcmp(x->m->st.assocs[i]->a.service_id, svc_id) == 0)
			ids[n++] = xstrdup(x->m->st.assocs[i]->a.id);
	}
	pthread_mutex_unlock(&x->m->mu);
	for (i = 0; i < n && rc == 0; i++)
		rc = mx_refresh_assoc(x->m, ids[i], cause);
	pthread_mutex_lock(&x->m->mu);
	for (i = left = 0; i < x->m->st.n_assocs; i++) {
		if (x->m->st.assocs[i]->a.service_id != NULL &&
		    strcmp(x->m->st.assocs[i]->a.service_id, svc_id) == 0)
			left++;
	}
	pthread_mutex_unlock(&x->m->mu);
	for (i = 0; i < n; i++)
		free(ids[i]);
	free(ids);
	return rc != 0 ? -1 : left == 0;
}

/* DeleteService, once it has no association left. */
enum ax_rc
ax_svc_delete(struct ax *x, const struct plan_op *op)
{
	struct aws_error	 err = { 0 };
	struct mx_service	*s;
	char			*cause = NULL, *key = NULL;
	int			 rc;

	if ((rc = ax_svc_unassociated(x, op->id, &cause)) <= 0) {
		if (rc < 0) {
			log_warn("%s: %s", op->resource, cause);
			free(cause);
		}
		return AX_DEFER;
	}
	rc = lattice_delete_service(x->m->aws, op->id, NULL, &err);
	mx_count(x->m, MXOP_DELETE_SERVICE, rc == 0);
	if (rc != 0 && !mx_err_is(&err, MX_NOT_FOUND))
		return ax_error(x, op, &err, mx_refresh_assocs_of, op->id, 1);
	aws_error_clear(&err);
	pthread_mutex_lock(&x->m->mu);
	if ((s = mx_svc_by_id(x->m, op->id)) != NULL)
		xasprintf(&key, "svc:%s", s->s.name);
	mx_drop_service(x->m, op->id);
	if (key != NULL)
		mx_salt_bump(x->m, key);
	pthread_mutex_unlock(&x->m->mu);
	free(key);
	return AX_DONE;
}

/* ---- associations ---- */

/* CreateServiceNetworkServiceAssociation, once the service is ACTIVE. */
enum ax_rc
ax_assoc_create(struct ax *x, const struct plan_op *op)
{
	struct lattice_create_sn_service_assoc_input	 in = { 0 };
	struct lattice_sn_service_assoc			 out = { 0 };
	struct aws_error				 err = { 0 };
	struct mx_service				*s;
	char						*svc_id = NULL;
	char						*key, tok[65];
	int						 rc;

	pthread_mutex_lock(&x->m->mu);
	if ((s = ax_service(x)) != NULL && ax_active(s->s.status))
		svc_id = xstrdup(s->s.id);
	pthread_mutex_unlock(&x->m->mu);
	if (svc_id == NULL)
		return AX_DEFER;
	in.service_identifier = svc_id;
	in.service_network_identifier = op->sn_id;
	in.tags = &x->st->service->tags;
	xasprintf(&key, "assoc:%s:%s", x->st->service->name, op->sn_id);
	ax_token(x, key, NULL, svc_id, tok);
	in.client_token = tok;
	rc = lattice_create_sn_service_assoc(x->m->aws, &in, &out, &err);
	mx_count(x->m, MXOP_CREATE_SNSA, rc == 0);
	if (rc != 0) {
		ax_create_failed(x, key, &err);
		rc = ax_error(x, op, &err, mx_refresh_assocs_of, svc_id, 0);
	} else {
		if (out.service_id == NULL)
			out.service_id = xstrdup(svc_id);
		if (out.service_network_id == NULL)
			out.service_network_id = xstrdup(op->sn_id);
		if (out.service_name == NULL)
			out.service_name = xstrdup(x->st->service->name);
		if (out.service_network_name == NULL)
			out.service_network_name = xstrdup_or_null(op->sn_name);
		pthread_mutex_lock(&x->m->mu);
		mx_put_assoc(x->m, &out);
		pthread_mutex_unlock(&x->m->mu);
		rc = AX_DONE;
	}
	lattice_sn_service_assoc_free(&out);
	free(svc_id);
	free(key);
	return rc;
}

/* DeleteServiceNetworkServiceAssociation. */
enum ax_rc
ax_assoc_delete(struct ax *x, const struct plan_op *op)
{
	struct lattice_sn_service_assoc	 out = { 0 };
	struct aws_error		 err = { 0 };
	struct mx_assoc			*a;
	char				*key = NULL;
	int				 rc;

	rc = lattice_delete_sn_service_assoc(x->m->aws, op->id, &out, &err);
	mx_count(x->m, MXOP_DELETE_SNSA, rc == 0);
	if (rc != 0 && !mx_err_is(&err, MX_NOT_FOUND)) {
		lattice_sn_service_assoc_free(&out);
		return ax_error(x, op, &err, mx_refresh_assoc, op->id, 1);
	}
	pthread_mutex_lock(&x->m->mu);
	if ((a = mx_assoc_by_id(x->m, op->id)) != NULL)
		xasprintf(&key, "assoc:%s:%s", a->a.service_name != NULL ?
		    a->a.service_name : "", a->a.service_network_id != NULL ?
		    a->a.service_network_id : "");
	if (rc == 0 && mx_transitional(out.status) && a != NULL) {
		free(a->a.status);
		a->a.status = xstrdup(out.status);
	} else
		mx_drop_assoc(x->m, op->id);
	if (key != NULL)
		mx_salt_bump(x->m, key);
	pthread_mutex_unlock(&x->m->mu);
	aws_error_clear(&err);
	lattice_sn_service_assoc_free(&out);
	free(key);
	return AX_DONE;
}
