/*
 * mirror_owners: the Kubernetes sources our Lattice resources are tagged
 * with, for the garbage collection of sources deleted while nobody
 * watched.
 */
#include <stdlib.h>
#include <string.h>

#include "latticectl/xmalloc.h"

#include "mirror_int.h"

struct mo_set {
	struct mirror_owner	*v;
	size_t			 n;
};

/* The source kind of a RouteType or SourceTypeKey value; -1 unknown. */
static int
mo_kind(const char *route_type, const char *source_type)
{
	static const enum lm_source_kind kinds[] = { LM_SRC_HTTPROUTE,
	    LM_SRC_GRPCROUTE, LM_SRC_TLSROUTE, LM_SRC_SERVICEEXPORT };
	size_t	i;

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		if ((route_type != NULL && *route_type != '\0' &&
		    strcmp(route_type, lm_route_type_str(kinds[i])) == 0) ||
		    (source_type != NULL &&
		    strcmp(source_type, lm_source_kind_str(kinds[i])) == 0))
			return (int)kinds[i];
	}
	return -1;
}

/* Add an owner unless it is there (then set its service name). */
static void
mo_add(struct mo_set *set, int kind, const char *ns, const char *name,
    const char *svc)
{
	struct mirror_owner	*o;
	size_t			 i;

	if (kind < 0 || ns == NULL || name == NULL)
		return;
	for (i = 0; i < set->n; i++) {
		o = &set->v[i];
		if ((int)o->kind == kind && strcmp(o->namespace, ns) == 0 &&
		    strcmp(o->name, name) == 0) {
			if (o->service_name == NULL && svc != NULL)
				o->service_name = xstrdup(svc);
			return;
		}
	}
	set->v = xreallocarray(set->v, set->n + 1, sizeof(*set->v));
	o = &set->v[set->n++];
	o->kind = (enum lm_source_kind)kind;
	o->namespace = xstrdup(ns);
	o->name = xstrdup(name);
	o->service_name = xstrdup_or_null(svc);
}

/* Is the tag map ours? */
static int
mo_ours(struct mirror *m, int loaded, const struct aws_tags *t)
{
	const char	*mb = aws_tags_get(t, UP_TAG_MANAGED_BY);

	return loaded && mb != NULL && strcmp(mb, m->managed_by) == 0;
}

/* Order by kind, namespace, name. */
static int
mo_cmp(const void *a, const void *b)
{
	const struct mirror_owner	*x = a, *y = b;
	int				 c;

	if (x->kind != y->kind)
		return (int)x->kind - (int)y->kind;
	if ((c = strcmp(x->namespace, y->namespace)) != 0)
		return c;
	return strcmp(x->name, y->name);
}

/* Every source our resources are tagged with. */
size_t
mirror_owners(struct mirror *m, struct mirror_owner **out)
{
	struct mo_set		 set = { NULL, 0 };
	const struct aws_tags	*t;
	size_t			 i;
	int			 kind, export;

	pthread_mutex_lock(&m->mu);
	for (i = 0; i < m->st.n_svcs; i++) {
		t = &m->st.svcs[i]->tags;
		if (mo_ours(m, m->st.svcs[i]->tags_loaded, t))
			mo_add(&set, mo_kind(aws_tags_get(t, UP_TAG_ROUTE_TYPE),
			    NULL), aws_tags_get(t, UP_TAG_ROUTE_NAMESPACE),
			    aws_tags_get(t, UP_TAG_ROUTE_NAME),
			    m->st.svcs[i]->s.name);
	}
	for (i = 0; i < m->st.n_tgs; i++) {
		t = &m->st.tgs[i]->tags;
		if (!mo_ours(m, m->st.tgs[i]->tags_loaded, t))
			continue;
		kind = mo_kind(NULL, aws_tags_get(t, UP_TAG_SOURCE_TYPE));
		export = kind == LM_SRC_SERVICEEXPORT;
		mo_add(&set, kind, aws_tags_get(t, export ?
		    UP_TAG_SERVICE_NAMESPACE : UP_TAG_ROUTE_NAMESPACE),
		    aws_tags_get(t, export ? UP_TAG_SERVICE_NAME :
		    UP_TAG_ROUTE_NAME), NULL);
	}
	pthread_mutex_unlock(&m->mu);
	if (set.n > 0)
		qsort(set.v, set.n, sizeof(*set.v), mo_cmp);
	*out = set.v;
	return set.n;
}

/* Free an owner array. */
void
mirror_owners_free(struct mirror_owner *v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		free(v[i].namespace);
		free(v[i].name);
		free(v[i].service_name);
	}
	free(v);
}
