/*
 * A small string-keyed hash map for the mirror's indexes: open
 * addressing with linear probing and backward-shift deletion. Keys are
 * copied; values are borrowed pointers.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/xmalloc.h"

#include "mirror_int.h"

/* FNV-1a hash of a string. */
static uint64_t
mx_hash(const char *s)
{
	uint64_t	h = 1469598103934665603ULL;

	while (*s != '\0') {
		h ^= (unsigned char)*s++;
		h *= 1099511628211ULL;
	}
	return h;
}

/* The slot holding key, or the empty slot where it would go. */
static size_t
mx_slot(const struct mx_map *m, const char *key)
{
	size_t	i = (size_t)mx_hash(key) & (m->cap - 1);

	while (m->keys[i] != NULL && strcmp(m->keys[i], key) != 0)
		i = (i + 1) & (m->cap - 1);
	return i;
}

/* Double the table (or create it) and reinsert everything. */
static void
mx_grow(struct mx_map *m)
{
	struct mx_map	n;
	size_t		i, j;

	n.cap = m->cap == 0 ? 16 : m->cap * 2;
	n.n = m->n;
	n.keys = xcalloc(n.cap, sizeof(*n.keys));
	n.vals = xcalloc(n.cap, sizeof(*n.vals));
	for (i = 0; i < m->cap; i++) {
		if (m->keys[i] == NULL)
			continue;
		j = mx_slot(&n, m->keys[i]);
		n.keys[j] = m->keys[i];
		n.vals[j] = m->vals[i];
	}
	free(m->keys);
	free(m->vals);
	*m = n;
}

/* The value of key, or NULL. */
void *
mx_map_get(const struct mx_map *m, const char *key)
{
	size_t	i;

	if (m->cap == 0 || key == NULL)
		return NULL;
	i = mx_slot(m, key);
	return m->keys[i] != NULL ? m->vals[i] : NULL;
}

/* Set key to val. */
void
mx_map_put(struct mx_map *m, const char *key, void *val)
{
	size_t	i;

	if (key == NULL)
		return;
	if ((m->n + 1) * 4 > m->cap * 3)
		mx_grow(m);
	i = mx_slot(m, key);
	if (m->keys[i] == NULL) {
		m->keys[i] = xstrdup(key);
		m->n++;
	}
	m->vals[i] = val;
}

/* Remove key, shifting the following run back to keep probes intact. */
void
mx_map_del(struct mx_map *m, const char *key)
{
	size_t	i, j, home;

	if (m->cap == 0 || key == NULL)
		return;
	i = mx_slot(m, key);
	if (m->keys[i] == NULL)
		return;
	free(m->keys[i]);
	m->keys[i] = NULL;
	m->n--;
	for (j = (i + 1) & (m->cap - 1); m->keys[j] != NULL;
	    j = (j + 1) & (m->cap - 1)) {
		home = (size_t)mx_hash(m->keys[j]) & (m->cap - 1);
		/* Move j to i unless its home lies cyclically in (i, j]. */
		if ((j > i && (home <= i || home > j)) ||
		    (j < i && (home <= i && home > j))) {
			m->keys[i] = m->keys[j];
			m->vals[i] = m->vals[j];
			m->keys[j] = NULL;
			i = j;
		}
	}
}

/* Release the keys and tables. */
void
mx_map_free(struct mx_map *m)
{
	size_t	i;

	for (i = 0; i < m->cap; i++)
		free(m->keys[i]);
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof(*m));
}
