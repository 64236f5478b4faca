/* ctl_map: the controller's string-keyed hash map (chained buckets, FNV-1a,
 * power-of-two sizes, doubled at a load factor of 1). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/xmalloc.h"

#include "controller_int.h"

#define CTL_MAP_MIN	16

/* FNV-1a of a string. */
static uint64_t
ctl_map_hash(const char *s)
{
	uint64_t	h = 14695981039346656037ULL;

	while (*s != '\0') {
		h ^= (unsigned char)*s++;
		h *= 1099511628211ULL;
	}
	return h;
}

/* The bucket slot of key. */
static struct ctl_map_ent **
ctl_map_slot(const struct ctl_map *m, const char *key)
{
	return &m->b[ctl_map_hash(key) & (m->nb - 1)];
}

/* Double the bucket array (or make the first one). */
static void
ctl_map_grow(struct ctl_map *m)
{
	struct ctl_map_ent	**old = m->b, *e, *next, **slot;
	size_t			  i, oldn = m->nb;

	m->nb = oldn == 0 ? CTL_MAP_MIN : oldn * 2;
	m->b = xcalloc(m->nb, sizeof(*m->b));
	for (i = 0; i < oldn; i++) {
		for (e = old[i]; e != NULL; e = next) {
			next = e->next;
			slot = ctl_map_slot(m, e->key);
			e->next = *slot;
			*slot = e;
		}
	}
	free(old);
}

/* The value stored under key, or NULL. */
void *
ctl_map_get(const struct ctl_map *m, const char *key)
{
	struct ctl_map_ent	*e;

	if (m->nb == 0)
		return NULL;
	for (e = *ctl_map_slot(m, key); e != NULL; e = e->next) {
		if (strcmp(e->key, key) == 0)
			return e->val;
	}
	return NULL;
}

/* Set key to val; returns the value it replaces. */
void *
ctl_map_put(struct ctl_map *m, const char *key, void *val)
{
	struct ctl_map_ent	*e, **slot;
	void			*old;

	if (m->n >= m->nb)
		ctl_map_grow(m);
	slot = ctl_map_slot(m, key);
	for (e = *slot; e != NULL; e = e->next) {
		if (strcmp(e->key, key) == 0) {
			old = e->val;
			e->val = val;
			return old;
		}
	}
	e = xmalloc(sizeof(*e));
	e->key = xstrdup(key);
	e->val = val;
	e->next = *slot;
	*slot = e;
	m->n++;
	return NULL;
}

/* Remove key; returns its value. */
void *
ctl_map_del(struct ctl_map *m, const char *key)
{
	struct ctl_map_ent	**pp, *e;
	void			 *val;

	if (m->nb == 0)
		return NULL;
	for (pp = ctl_map_slot(m, key); (e = *pp) != NULL; pp = &e->next) {
		if (strcmp(e->key, key) == 0) {
			*pp = e->next;
			val = e->val;
			free(e->key);
			free(e);
			m->n--;
			return val;
		}
	}
	return NULL;
}

/* Call fn on every entry until it returns nonzero. */
void
ctl_map_each(const struct ctl_map *m,
    int (*fn)(void *arg, const char *key, void *val), void *arg)
{
	struct ctl_map_ent	*e;
	size_t			 i;

	for (i = 0; i < m->nb; i++) {
		for (e = m->b[i]; e != NULL; e = e->next) {
			if (fn(arg, e->key, e->val) != 0)
				return;
		}
	}
}

/* Free the table, releasing every value with release. */
void
ctl_map_free(struct ctl_map *m, void (*release)(void *))
{
	struct ctl_map_ent	*e, *next;
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
	memset(m, 0, sizeof(*m));
}
