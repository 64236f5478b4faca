/* kube_map: a string-keyed chained hash table (FNV-1a, doubling). */
#include <stdlib.h>
#include <string.h>

#include "latticectl/xmalloc.h"
#include "kmap.h"

/* FNV-1a of a string. */
static uint64_t
kube_map_hash(const char *s)
{
	uint64_t	h = 1469598103934665603ULL;

	while (*s != '\0') {
		h ^= (unsigned char)*s++;
		h *= 1099511628211ULL;
	}
	return h;
}

/* The entry slot for key (its link pointer), for lookup or removal. */
static struct kube_map_ent **
kube_map_slot(const struct kube_map *m, const char *key, uint64_t h)
{
	struct kube_map_ent	**pp;

	if (m->nb == 0)
		return NULL;
	for (pp = &m->b[h & (m->nb - 1)]; *pp != NULL; pp = &(*pp)->next) {
		if ((*pp)->hash == h && strcmp((*pp)->key, key) == 0)
			return pp;
	}
	return pp;
}

/* Double the bucket array (or make the first one). */
static void
kube_map_grow(struct kube_map *m)
{
	struct kube_map_ent	**nb, *e, *next;
	size_t			  n = m->nb == 0 ? 16 : m->nb * 2, i;

	nb = xcalloc(n, sizeof *nb);
	for (i = 0; i < m->nb; i++) {
		for (e = m->b[i]; e != NULL; e = next) {
			next = e->next;
			e->next = nb[e->hash & (n - 1)];
			nb[e->hash & (n - 1)] = e;
		}
	}
	free(m->b);
	m->b = nb;
	m->nb = n;
}

/* The value stored under key, or NULL. */
void *
kube_map_get(const struct kube_map *m, const char *key)
{
	struct kube_map_ent	**pp;

	pp = kube_map_slot(m, key, kube_map_hash(key));
	return pp != NULL && *pp != NULL ? (*pp)->val : NULL;
}

/* Store val under key; the previous value is returned. */
void *
kube_map_put(struct kube_map *m, const char *key, void *val)
{
	struct kube_map_ent	**pp, *e;
	uint64_t		  h = kube_map_hash(key);
	void			 *old;

	if (m->n + 1 > m->nb - m->nb / 4 || m->nb == 0)
		kube_map_grow(m);
	pp = kube_map_slot(m, key, h);
	if (*pp != NULL) {
		old = (*pp)->val;
		(*pp)->val = val;
		return old;
	}
	e = xcalloc(1, sizeof *e);
	e->key = xstrdup(key);
	e->val = val;
	e->hash = h;
	*pp = e;
	m->n++;
	return NULL;
}

/* Remove key; its value is returned. */
void *
kube_map_del(struct kube_map *m, const char *key)
{
	struct kube_map_ent	**pp, *e;
	void			 *val;

	pp = kube_map_slot(m, key, kube_map_hash(key));
	if (pp == NULL || *pp == NULL)
		return NULL;
	e = *pp;
	*pp = e->next;
	val = e->val;
	free(e->key);
	free(e);
	m->n--;
	return val;
}

/* Visit every entry. */
void
kube_map_each(const struct kube_map *m,
    void (*fn)(void *arg, const char *key, void *val), void *arg)
{
	struct kube_map_ent	*e;
	size_t			 i;

	for (i = 0; i < m->nb; i++) {
		for (e = m->b[i]; e != NULL; e = e->next)
			fn(arg, e->key, e->val);
	}
}

/* Free every entry and the buckets. */
void
kube_map_free(struct kube_map *m, void (*release)(void *))
{
	struct kube_map_ent	*e, *next;
	size_t			 i;

	for (i = 0; i < m->nb; i++) {
		for (e = m->b[i]; e != NULL; e = next) {
			next = e->next;
			if (release != NULL)
				release(e->val);
			free(e->key);
			free(e);
		}
	}
	free(m->b);
	m->b = NULL;
	m->nb = m->n = 0;
}
