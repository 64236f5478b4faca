/*
 * hmap: a string-keyed hash map of borrowed pointers (chained buckets,
 * FNV-1a, power-of-two bucket counts, doubled at a load factor of 1).
 * Used by the Kubernetes object cache and event recorder, the engine's
 * typed store and key records, and the Lattice mirror's indexes.
 *
 * Ownership: the map copies keys and owns the copies; values are the
 * caller's (hmap_free hands each to an optional release function). A
 * NULL key is never stored: get and del find nothing, put ignores it.
 * Not thread-safe: callers lock. A zeroed struct (HMAP_INIT) is an empty
 * map.
 */
#ifndef LATTICECTL_HMAP_H
#define LATTICECTL_HMAP_H

#include <stddef.h>
#include <stdint.h>

struct hmap_ent {
	char		*key;
	void		*val;
	uint64_t	 hash;
	struct hmap_ent	*next;
};

struct hmap {
	struct hmap_ent	**b;
	size_t		  nb;	/* 0 or a power of two */
	size_t		  n;	/* entries */
};

#define HMAP_INIT { NULL, 0, 0 }

/* The value stored under key, or NULL. */
void	*hmap_get(const struct hmap *, const char *key);
/* Set key (copied) to val; returns the value it replaces (or NULL). */
void	*hmap_put(struct hmap *, const char *key, void *val);
/* Remove key; returns its value (or NULL). */
void	*hmap_del(struct hmap *, const char *key);
/* Call fn on every entry (the map must not change meanwhile) until it
 * returns nonzero; returns that value, or 0. */
int	 hmap_each(const struct hmap *,
	    int (*fn)(void *arg, const char *key, void *val), void *arg);
/* How many entries. */
size_t	 hmap_count(const struct hmap *);
/* Free every entry and the buckets (the map is empty again); release
 * (may be NULL) gets each value. */
void	 hmap_free(struct hmap *, void (*release)(void *));

#endif
