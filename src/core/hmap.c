/* hmap: the string-keyed chained hash map (see latticectl/hmap.h). */
#include <stdlib.h>
#include <string.h>

#include "latticectl/hmap.h"
#include "latticectl/xmalloc.h"

#define HMAP_MIN	16

/* FNV-1a of a string. */
static uint64_t
hmap_hash(const char *s)
{
	uint64_t	h = 14695981039346656037ULL;

	while (*s != '\0') {
		h ^= (unsigned char)*s++;
		h *= 1099511628211ULL;
	}
	return h;
}

/* The link that points at key's entry, or the chain's end (where it
 * would go); NULL while the map has no buckets. */
static struct hmap_ent **
hmap_slot(const struct hmap *m, const char *key, uint64_t h)
{
	struct hmap_ent	**pp;

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
hmap_grow(struct hmap *m)
{
	struct hmap_ent	**old = m->b, *e, *next, **head;
	size_t		  i, oldn = m->nb;

	m->nb = oldn == 0 ? HMAP_MIN : oldn * 2;
	m->b = xcalloc(m->nb, sizeof(*m->b));
	for (i = 0; i < oldn; i++) {
		for (e = old[i]; e != NULL; e = next) {
			next = e->next;
			head = &m->b[e->hash & (m->nb - 1)];
			e->next = *head;
			*head = e;
		}
	}
	free(old);
}

/* The value stored under key, or NULL. */
void *
hmap_get(const struct hmap *m, const char *key)
{
	struct hmap_ent	**pp;

	if (key == NULL)
		return NULL;
	pp = hmap_slot(m, key, hmap_hash(key));
	return pp != NULL && *pp != NULL ? (*pp)->val : NULL;
}

/* Set key to val; returns the value it replaces. New entries go to the
 * head of their chain. */
void *
hmap_put(struct hmap *m, const char *key, void *val)
{
	struct hmap_ent	**pp, *e, **head;
	uint64_t	  h;
	void		 *old;

	if (key == NULL)
		return NULL;
	if (m->n >= m->nb)
		hmap_grow(m);
	h = hmap_hash(key);
	pp = hmap_slot(m, key, h);
	if (*pp != NULL) {
		old = (*pp)->val;
		(*pp)->val = val;
		return old;
	}
	e = xmalloc(sizeof(*e));
	e->key = xstrdup(key);
	e->val = val;
	e->hash = h;
	head = &m->b[h & (m->nb - 1)];
	e->next = *head;
	*head = e;
	m->n++;
	return NULL;
}

/* Remove key; returns its value. */
void *
hmap_del(struct hmap *m, const char *key)
{
	struct hmap_ent	**pp, *e;
	void		 *val;

	if (key == NULL)
		return NULL;
	pp = hmap_slot(m, key, hmap_hash(key));
	if (pp == NULL || (e = *pp) == NULL)
		return NULL;
	*pp = e->next;
	val = e->val;
	free(e->key);
	free(e);
	m->n--;
	return val;
}

/* Call fn on every entry until it returns nonzero. */
int
hmap_each(const struct hmap *m,
    int (*fn)(void *arg, const char *key, void *val), void *arg)
{
	struct hmap_ent	*e;
	size_t		 i;
	int		 rc;

	for (i = 0; i < m->nb; i++) {
		for (e = m->b[i]; e != NULL; e = e->next) {
			if ((rc = fn(arg, e->key, e->val)) != 0)
				return rc;
		}
	}
	return 0;
}

/* How many entries the map holds. */
size_t
hmap_count(const struct hmap *m)
{
	return m->n;
}

/* Free every entry and the buckets, releasing each value. */
void
hmap_free(struct hmap *m, void (*release)(void *))
{
	struct hmap_ent	*e, *next;
	size_t		 i;

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
	memset(m, 0, sizeof(*m));
}
