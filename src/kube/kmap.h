/*
 * kube_map: a small string-keyed hash table (chained, power-of-two
 * buckets) used by the object cache and the event recorder. Internal to
 * src/kube.
 *
 * Ownership: the map copies keys and owns the copies; values are the
 * caller's (kube_map_free calls an optional release function on each).
 * Not thread-safe: callers lock.
 */
#ifndef LATTICECTL_KUBE_KMAP_H
#define LATTICECTL_KUBE_KMAP_H

#include <stddef.h>
#include <stdint.h>

struct kube_map_ent {
	char			*key;
	void			*val;
	uint64_t		 hash;
	struct kube_map_ent	*next;
};

struct kube_map {
	struct kube_map_ent	**b;
	size_t			  nb;	/* 0 or a power of two */
	size_t			  n;
};

#define KUBE_MAP_INIT { NULL, 0, 0 }

/* The value for key, or NULL. */
void	*kube_map_get(const struct kube_map *, const char *key);
/* Set key to val; returns the value it replaces (or NULL). */
void	*kube_map_put(struct kube_map *, const char *key, void *val);
/* Remove key; returns its value (or NULL). */
void	*kube_map_del(struct kube_map *, const char *key);
/* Call fn for every entry (the map must not change meanwhile). */
void	 kube_map_each(const struct kube_map *,
	    void (*fn)(void *arg, const char *key, void *val), void *arg);
/* Free the table; release (may be NULL) gets each value. */
void	 kube_map_free(struct kube_map *, void (*release)(void *));

#endif
