/*
 * Reading Lattice into the mirror: the full listing (mirror_load, also
 * the resync) and the targeted refreshes used by prepare and by apply on
 * a surprise. Network calls are made without mu; results are stored
 * under it, re-finding the entity by id since it may have gone meanwhile.
 */
#define LOG_MODULE "mirror"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/error.h"
#include "latticectl/log.h"
#include "latticectl/pfor.h"
#include "latticectl/timeutil.h"
#include "latticectl/xmalloc.h"

#include "mirror_int.h"

#define MX_TAG_THREADS	8	/* ListTagsForResource at a time */

/* An error message for a failed call. */
char *
mx_err_msg(const struct aws_error *err)
{
	return aws_error_string(err);
}

/* Turn a failed call into *cause; returns -1. */
static int
mx_fail(struct aws_error *err, char **cause)
{
	char	*msg = mx_err_msg(err);

	error_set(cause, "%s", msg);
	free(msg);
	aws_error_clear(err);
	return -1;
}

/* A set of the ids in a list (values unused). */
static void
mx_idset_add(struct hmap *set, const char *id)
{
	if (id != NULL)
		hmap_put(set, id, (void *)1);
}

/* ---- merging lists (mu held) ---- */

/* Put every listed service; drop the known ones not listed. */
static void
mx_merge_services(struct mirror *m, struct lattice_service_list *list)
{
	struct hmap	 seen = { 0 };
	struct mx_service *s;
	size_t		 i;

	for (i = 0; i < list->n; i++) {
		mx_idset_add(&seen, list->items[i].id);
		s = mx_put_service(m, &list->items[i], NULL);
		s->stale = 1;
	}
	for (i = m->st.n_svcs; i > 0; i--) {
		if (hmap_get(&seen, m->st.svcs[i - 1]->s.id) == NULL)
			mx_drop_service(m, m->st.svcs[i - 1]->s.id);
	}
	hmap_free(&seen, NULL);
}

/* Put every listed target group; drop the known ones not listed. */
static void
mx_merge_tgs(struct mirror *m, struct lattice_target_group_list *list)
{
	struct hmap	 seen = { 0 };
	struct mx_tg	*t;
	size_t		 i;

	for (i = 0; i < list->n; i++) {
		mx_idset_add(&seen, list->items[i].id);
		t = mx_put_tg(m, &list->items[i], NULL);
		t->stale = 1;
	}
	for (i = m->st.n_tgs; i > 0; i--) {
		if (hmap_get(&seen, m->st.tgs[i - 1]->tg.id) == NULL)
			mx_drop_tg(m, m->st.tgs[i - 1]->tg.id);
	}
	hmap_free(&seen, NULL);
}

/* Put listed associations; drop the known ones (of svc_id when set) not
 * listed. */
static void
mx_merge_assocs(struct mirror *m, struct lattice_sn_service_assoc_list *list,
    const char *svc_id)
{
	struct hmap	 seen = { 0 };
	struct mx_assoc	*a;
	size_t		 i;

	for (i = 0; i < list->n; i++) {
		mx_idset_add(&seen, list->items[i].id);
		mx_put_assoc(m, &list->items[i]);
	}
	for (i = m->st.n_assocs; i > 0; i--) {
		a = m->st.assocs[i - 1];
		if (svc_id != NULL && (a->a.service_id == NULL ||
		    strcmp(a->a.service_id, svc_id) != 0))
			continue;
		if (hmap_get(&seen, a->a.id) == NULL)
			mx_drop_assoc(m, a->a.id);
	}
	hmap_free(&seen, NULL);
}

/* Replace the SN-VPC associations. */
static void
mx_put_snvas(struct mirror *m, struct lattice_sn_vpc_assoc_list *list)
{
	size_t	i;

	for (i = 0; i < m->st.n_snvas; i++)
		lattice_sn_vpc_assoc_free(&m->st.snvas[i]);
	free(m->st.snvas);
	m->st.snvas = list->items;
	m->st.n_snvas = list->n;
	list->items = NULL;
	list->n = 0;
}

/* ---- full listing ---- */

struct mx_lists {
	struct lattice_service_network_list	sns;
	struct lattice_service_list		svcs;
	struct lattice_target_group_list	tgs;
	struct lattice_sn_service_assoc_list	assocs;
	struct lattice_sn_vpc_assoc_list	snvas;
};

/* Free the lists of a load. */
static void
mx_lists_free(struct mx_lists *l)
{
	lattice_service_network_list_free(&l->sns);
	lattice_service_list_free(&l->svcs);
	lattice_target_group_list_free(&l->tgs);
	lattice_sn_service_assoc_list_free(&l->assocs);
	lattice_sn_vpc_assoc_list_free(&l->snvas);
}

/* List the five top-level collections. */
static int
mx_list_all(struct mirror *m, struct mx_lists *l, char **cause)
{
	struct lattice_page				pg = { 0 };
	struct lattice_list_target_groups_input		ti = { 0 };
	struct lattice_list_sn_service_assocs_input	ai = { 0 };
	struct lattice_list_sn_vpc_assocs_input		vi = { 0 };
	struct aws_error				err = { 0 };
	int						rc;

	rc = lattice_list_service_networks(m->aws, &pg, &l->sns, &err);
	mx_count(m, MXOP_LIST_SNS, rc == 0);
	if (rc != 0)
		return mx_fail(&err, cause);
	rc = lattice_list_services(m->aws, &pg, &l->svcs, &err);
	mx_count(m, MXOP_LIST_SERVICES, rc == 0);
	if (rc != 0)
		return mx_fail(&err, cause);
	rc = lattice_list_target_groups(m->aws, &ti, &l->tgs, &err);
	mx_count(m, MXOP_LIST_TGS, rc == 0);
	if (rc != 0)
		return mx_fail(&err, cause);
	rc = lattice_list_sn_service_assocs(m->aws, &ai, &l->assocs, &err);
	mx_count(m, MXOP_LIST_SNSAS, rc == 0);
	if (rc != 0)
		return mx_fail(&err, cause);
	vi.vpc_identifier = m->vpc_id;
	rc = lattice_list_sn_vpc_assocs(m->aws, &vi, &l->snvas, &err);
	mx_count(m, MXOP_LIST_SNVAS, rc == 0);
	if (rc != 0)
		return mx_fail(&err, cause);
	return 0;
}

/* List everything; children and targets are re-read lazily (stale). */
int
mirror_load(struct mirror *m, char **cause)
{
	struct mx_lists	l;
	int		rc, all;

	memset(&l, 0, sizeof(l));
	pthread_rwlock_wrlock(&m->rw);
	if ((rc = mx_list_all(m, &l, cause)) == 0) {
		pthread_mutex_lock(&m->mu);
		mx_put_sns(m, &l.sns);
		mx_merge_services(m, &l.svcs);
		mx_merge_tgs(m, &l.tgs);
		mx_merge_assocs(m, &l.assocs, NULL);
		mx_put_snvas(m, &l.snvas);
		m->sn_listed_ms = time_mono_ms();
		all = m->st.foreign_tags;
		pthread_mutex_unlock(&m->mu);
		rc = mx_load_tg_tags(m, all, cause);
	}
	if (rc == 0) {
		pthread_mutex_lock(&m->mu);
		m->loaded = 1;
		log_debug("loaded: %zu services, %zu target groups, %zu "
		    "associations, %zu service networks", m->st.n_svcs,
		    m->st.n_tgs, m->st.n_assocs, m->st.n_sns);
		pthread_mutex_unlock(&m->mu);
	}
	pthread_rwlock_unlock(&m->rw);
	mx_lists_free(&l);
	return rc == 0 ? 0 : error_wrap(cause, "listing VPC Lattice");
}

/* ---- tags ---- */

/* The ids and ARNs of TGs lacking tags (in the VPC unless all). */
static size_t
mx_tgs_untagged(struct mirror *m, int all, char ***ids, char ***arns)
{
	struct mx_tg	*t;
	size_t		 i, n = 0;

	*ids = xcalloc(m->st.n_tgs + 1, sizeof(**ids));
	*arns = xcalloc(m->st.n_tgs + 1, sizeof(**arns));
	for (i = 0; i < m->st.n_tgs; i++) {
		t = m->st.tgs[i];
		if (t->tags_loaded || t->tg.arn == NULL)
			continue;
		if (!all && m->vpc_id != NULL && (t->tg.config.vpc_identifier ==
		    NULL || strcmp(t->tg.config.vpc_identifier, m->vpc_id) != 0))
			continue;
		(*ids)[n] = xstrdup(t->tg.id);
		(*arns)[n++] = xstrdup(t->tg.arn);
	}
	return n;
}

/* Free a string vector of n entries. */
static void
mx_strv_free(char **v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* Read the tags of one resource ARN (counted). */
static int
mx_list_tags(struct mirror *m, const char *arn, struct aws_tags *tags,
    char **cause)
{
	struct aws_error	err = { 0 };
	int			rc;

	memset(tags, 0, sizeof(*tags));
	rc = lattice_list_tags(m->aws, arn, tags, &err);
	mx_count(m, MXOP_LIST_TAGS, rc == 0);
	if (rc != 0 && mx_err_is(&err, MX_NOT_FOUND)) {
		aws_error_clear(&err);
		return 1;
	}
	return rc == 0 ? 0 : mx_fail(&err, cause);
}

/* One tag load of mx_load_tg_tags, shared by its threads. */
struct mx_tagjob {
	struct mirror	 *m;
	char		**ids;
	char		**arns;
	pthread_mutex_t	  lock;		/* cause */
	char		 *cause;	/* the first failure */
};

/* Read one TG's tags (a pfor item): set them, or drop a TG gone since. */
static int
mx_tg_tags_one(void *arg, size_t i)
{
	struct mx_tagjob	*j = arg;
	struct mirror		*m = j->m;
	struct aws_tags		 tags;
	struct mx_tg		*t;
	char			*cause = NULL;
	int			 rc;

	if ((rc = mx_list_tags(m, j->arns[i], &tags, &cause)) < 0) {
		pthread_mutex_lock(&j->lock);
		if (j->cause == NULL)
			j->cause = cause;
		else
			free(cause);
		pthread_mutex_unlock(&j->lock);
		return -1;
	}
	pthread_mutex_lock(&m->mu);
	if (rc == 1)
		mx_drop_tg(m, j->ids[i]);
	else if ((t = mx_tg_by_id(m, j->ids[i])) != NULL)
		mx_tg_set_tags(m, t, &tags);
	pthread_mutex_unlock(&m->mu);
	aws_tags_free(&tags);
	return 0;
}

/* Load the tags of TGs that lack them, MX_TAG_THREADS at a time (one
 * ListTagsForResource per TG is most of a cold start). */
int
mx_load_tg_tags(struct mirror *m, int all, char **cause)
{
	struct mx_tagjob	 j;
	size_t			 n;
	int			 rc;

	memset(&j, 0, sizeof(j));
	j.m = m;
	pthread_mutex_init(&j.lock, NULL);
	pthread_mutex_lock(&m->mu);
	n = mx_tgs_untagged(m, all, &j.ids, &j.arns);
	pthread_mutex_unlock(&m->mu);
	rc = pfor_run(n, MX_TAG_THREADS, mx_tg_tags_one, &j);
	if (rc != 0) {
		*cause = j.cause != NULL ? j.cause :
		    xstrdup("listing tags failed");
		j.cause = NULL;
	}
	if (rc == 0 && all) {
		pthread_mutex_lock(&m->mu);
		m->st.foreign_tags = 1;
		pthread_mutex_unlock(&m->mu);
	}
	free(j.cause);
	pthread_mutex_destroy(&j.lock);
	mx_strv_free(j.ids, n);
	mx_strv_free(j.arns, n);
	return rc == 0 ? 0 : -1;
}

/* Load one service's tags. */
int
mx_load_service_tags(struct mirror *m, const char *id, char **cause)
{
	struct mx_service	*s;
	struct aws_tags		 tags;
	char			*arn = NULL;
	int			 rc;

	pthread_mutex_lock(&m->mu);
	if ((s = mx_svc_by_id(m, id)) != NULL)
		arn = xstrdup_or_null(s->s.arn);
	pthread_mutex_unlock(&m->mu);
	if (arn == NULL)
		return 0;
	rc = mx_list_tags(m, arn, &tags, cause);
	free(arn);
	if (rc < 0)
		return -1;
	pthread_mutex_lock(&m->mu);
	if (rc == 1)
		mx_drop_service(m, id);
	else if ((s = mx_svc_by_id(m, id)) != NULL) {
		aws_tags_free(&s->tags);
		s->tags = tags;
		s->tags_loaded = 1;
		memset(&tags, 0, sizeof(tags));
	}
	pthread_mutex_unlock(&m->mu);
	aws_tags_free(&tags);
	return 0;
}

/* Load one association's tags. */
int
mx_load_assoc_tags(struct mirror *m, const char *id, char **cause)
{
	struct mx_assoc	*a;
	struct aws_tags	 tags;
	char		*arn = NULL;
	int		 rc;

	pthread_mutex_lock(&m->mu);
	if ((a = mx_assoc_by_id(m, id)) != NULL)
		arn = xstrdup_or_null(a->a.arn);
	pthread_mutex_unlock(&m->mu);
	if (arn == NULL)
		return 0;
	rc = mx_list_tags(m, arn, &tags, cause);
	free(arn);
	if (rc < 0)
		return -1;
	pthread_mutex_lock(&m->mu);
	if (rc == 1)
		mx_drop_assoc(m, id);
	else if ((a = mx_assoc_by_id(m, id)) != NULL) {
		aws_tags_free(&a->tags);
		a->tags = tags;
		a->tags_loaded = 1;
		memset(&tags, 0, sizeof(tags));
	}
	pthread_mutex_unlock(&m->mu);
	aws_tags_free(&tags);
	return 0;
}

/* Load the tags of every service (for a full GC). */
int
mirror_load_service_tags(struct mirror *m, char **cause)
{
	char	**ids;
	size_t	  i, n = 0;
	int	  rc = 0;

	if (!mirror_loaded(m) && mirror_load(m, cause) != 0)
		return -1;
	pthread_rwlock_rdlock(&m->rw);
	pthread_mutex_lock(&m->mu);
	ids = xcalloc(m->st.n_svcs + 1, sizeof(*ids));
	for (i = 0; i < m->st.n_svcs; i++) {
		if (!m->st.svcs[i]->tags_loaded)
			ids[n++] = xstrdup(m->st.svcs[i]->s.id);
	}
	pthread_mutex_unlock(&m->mu);
	for (i = 0; i < n && rc == 0; i++)
		rc = mx_load_service_tags(m, ids[i], cause);
	pthread_rwlock_unlock(&m->rw);
	mx_strv_free(ids, n);
	return rc;
}

/* ---- single resources ---- */

/* GetService: store it, or drop it when gone. */
int
mx_refresh_service(struct mirror *m, const char *id, char **cause)
{
	struct lattice_service	 s = { 0 };
	struct aws_error	 err = { 0 };
	struct mx_service	*ms;
	int			 rc;

	rc = lattice_get_service(m->aws, id, &s, &err);
	mx_count(m, MXOP_GET_SERVICE, rc == 0);
	pthread_mutex_lock(&m->mu);
	if (rc == 0) {
		ms = mx_put_service(m, &s, NULL);
		ms->detail = 1;
	} else if (mx_err_is(&err, MX_NOT_FOUND))
		mx_drop_service(m, id);
	pthread_mutex_unlock(&m->mu);
	lattice_service_free(&s);
	if (rc != 0 && !mx_err_is(&err, MX_NOT_FOUND))
		return mx_fail(&err, cause);
	aws_error_clear(&err);
	return 0;
}

/* GetTargetGroup: store it, or drop it when gone. */
int
mx_refresh_tg(struct mirror *m, const char *id, char **cause)
{
	struct lattice_target_group	 tg = { 0 };
	struct aws_error		 err = { 0 };
	int				 rc;

	rc = lattice_get_target_group(m->aws, id, &tg, &err);
	mx_count(m, MXOP_GET_TG, rc == 0);
	pthread_mutex_lock(&m->mu);
	if (rc == 0)
		mx_put_tg(m, &tg, NULL);
	else if (mx_err_is(&err, MX_NOT_FOUND))
		mx_drop_tg(m, id);
	pthread_mutex_unlock(&m->mu);
	lattice_target_group_free(&tg);
	if (rc != 0 && !mx_err_is(&err, MX_NOT_FOUND))
		return mx_fail(&err, cause);
	aws_error_clear(&err);
	return 0;
}

/* GetServiceNetworkServiceAssociation: store it, or drop it. */
int
mx_refresh_assoc(struct mirror *m, const char *id, char **cause)
{
	struct lattice_sn_service_assoc	a = { 0 };
	struct aws_error		err = { 0 };
	int				rc;

	rc = lattice_get_sn_service_assoc(m->aws, id, &a, &err);
	mx_count(m, MXOP_GET_SNSA, rc == 0);
	pthread_mutex_lock(&m->mu);
	if (rc == 0)
		mx_put_assoc(m, &a);
	else if (mx_err_is(&err, MX_NOT_FOUND))
		mx_drop_assoc(m, id);
	pthread_mutex_unlock(&m->mu);
	lattice_sn_service_assoc_free(&a);
	if (rc != 0 && !mx_err_is(&err, MX_NOT_FOUND))
		return mx_fail(&err, cause);
	aws_error_clear(&err);
	return 0;
}

/* ListTargets of a TG into the mirror. */
int
mx_refresh_targets(struct mirror *m, const char *tg_id, char **cause)
{
	struct lattice_list_targets_input	 in = { 0 };
	struct lattice_target_list		 list = { 0 };
	struct aws_error			 err = { 0 };
	struct mx_tg				*t;
	size_t					 i;
	int					 rc;

	in.target_group_identifier = tg_id;
	rc = lattice_list_targets(m->aws, &in, &list, &err);
	mx_count(m, MXOP_LIST_TARGETS, rc == 0);
	pthread_mutex_lock(&m->mu);
	if (rc == 0 && (t = mx_tg_by_id(m, tg_id)) != NULL) {
		for (i = 0; i < t->n_targets; i++)
			lattice_target_free(&t->targets[i]);
		free(t->targets);
		t->targets = list.items;
		t->n_targets = list.n;
		t->targets_loaded = 1;
		t->stale = 0;
		list.items = NULL;
		list.n = 0;
	} else if (rc != 0 && mx_err_is(&err, MX_NOT_FOUND))
		mx_drop_tg(m, tg_id);
	pthread_mutex_unlock(&m->mu);
	lattice_target_list_free(&list);
	if (rc != 0 && !mx_err_is(&err, MX_NOT_FOUND))
		return mx_fail(&err, cause);
	aws_error_clear(&err);
	return 0;
}

/* ---- collections ---- */

/* ListServices again (after a create conflict). */
int
mx_refresh_services(struct mirror *m, char **cause)
{
	struct lattice_page		pg = { 0 };
	struct lattice_service_list	list = { 0 };
	struct aws_error		err = { 0 };
	int				rc;

	rc = lattice_list_services(m->aws, &pg, &list, &err);
	mx_count(m, MXOP_LIST_SERVICES, rc == 0);
	if (rc == 0) {
		pthread_mutex_lock(&m->mu);
		mx_merge_services(m, &list);
		pthread_mutex_unlock(&m->mu);
	}
	lattice_service_list_free(&list);
	return rc == 0 ? 0 : mx_fail(&err, cause);
}

/* ListTargetGroups again (after a create conflict), tags of new ones. */
int
mx_refresh_tgs(struct mirror *m, char **cause)
{
	struct lattice_list_target_groups_input	in = { 0 };
	struct lattice_target_group_list	list = { 0 };
	struct aws_error			err = { 0 };
	int					rc, all = 0;

	rc = lattice_list_target_groups(m->aws, &in, &list, &err);
	mx_count(m, MXOP_LIST_TGS, rc == 0);
	if (rc == 0) {
		pthread_mutex_lock(&m->mu);
		mx_merge_tgs(m, &list);
		all = m->st.foreign_tags;
		pthread_mutex_unlock(&m->mu);
	}
	lattice_target_group_list_free(&list);
	if (rc != 0)
		return mx_fail(&err, cause);
	return mx_load_tg_tags(m, all, cause);
}

/* ListServiceNetworks again (a Gateway's network was not known). */
int
mx_refresh_sns(struct mirror *m, char **cause)
{
	struct lattice_page			pg = { 0 };
	struct lattice_service_network_list	list = { 0 };
	struct aws_error			err = { 0 };
	int					rc;

	rc = lattice_list_service_networks(m->aws, &pg, &list, &err);
	mx_count(m, MXOP_LIST_SNS, rc == 0);
	pthread_mutex_lock(&m->mu);
	m->sn_listed_ms = time_mono_ms();
	if (rc == 0)
		mx_put_sns(m, &list);
	pthread_mutex_unlock(&m->mu);
	lattice_service_network_list_free(&list);
	return rc == 0 ? 0 : mx_fail(&err, cause);
}

/* The associations of one service, listed again. */
int
mx_refresh_assocs_of(struct mirror *m, const char *svc_id, char **cause)
{
	struct lattice_list_sn_service_assocs_input	in = { 0 };
	struct lattice_sn_service_assoc_list		list = { 0 };
	struct aws_error				err = { 0 };
	int						rc;

	in.service_identifier = svc_id;
	rc = lattice_list_sn_service_assocs(m->aws, &in, &list, &err);
	mx_count(m, MXOP_LIST_SNSAS, rc == 0);
	if (rc == 0) {
		pthread_mutex_lock(&m->mu);
		mx_merge_assocs(m, &list, svc_id);
		pthread_mutex_unlock(&m->mu);
	}
	lattice_sn_service_assoc_list_free(&list);
	return rc == 0 ? 0 : mx_fail(&err, cause);
}
