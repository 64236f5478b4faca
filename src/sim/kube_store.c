/* sim_kube object stores: sorted objects, resourceVersions, watch history. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/json.h"
#include "latticectl/xmalloc.h"
#include "kube_int.h"

/* The sort key of an object: "ns/name" (caller frees). */
char *
skube_store_key(const char *ns, const char *name)
{
	char	*k;

	xasprintf(&k, "%s/%s", ns != NULL ? ns : "", name != NULL ? name : "");
	return k;
}

/* Index of the first entry whose key is >= key. */
size_t
skube_store_lower(const struct skube_store *st, const char *key)
{
	size_t	lo = 0, hi = st->n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (strcmp(st->v[mid].key, key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The entry for ns/name, or NULL. */
struct skube_entry *
skube_store_find(struct skube_store *st, const char *ns, const char *name)
{
	char	*key;
	size_t	 i;

	key = skube_store_key(st->namespaced ? ns : NULL, name);
	i = skube_store_lower(st, key);
	if (i < st->n && strcmp(st->v[i].key, key) == 0) {
		free(key);
		return &st->v[i];
	}
	free(key);
	return NULL;
}

/* Stamp the next resourceVersion on obj. */
static void
skube_store_stamp(struct sim_kube *k, cJSON *obj)
{
	char	buf[32];

	snprintf(buf, sizeof buf, "%llu", (unsigned long long)++k->rv);
	skube_set_str(skube_meta(obj), "resourceVersion", buf);
}

/* Append an event (a copy of obj) to the store's bounded history and wake
 * the watchers. obj must carry the event's resourceVersion. */
void
skube_store_record(struct sim_kube *k, struct skube_store *st,
    enum skube_ev_type type, const cJSON *obj)
{
	struct skube_event	*ev;
	size_t			 slot;

	if (st->ring == NULL) {
		st->ring_cap = k->history;
		st->ring = xcalloc(st->ring_cap, sizeof *st->ring);
	}
	if (st->ring_len == st->ring_cap) {
		ev = &st->ring[st->ring_start];
		st->compacted_rv = ev->rv;
		cJSON_Delete(ev->obj);
		st->ring_start = (st->ring_start + 1) % st->ring_cap;
		st->ring_len--;
	}
	slot = (st->ring_start + st->ring_len) % st->ring_cap;
	ev = &st->ring[slot];
	ev->type = type;
	ev->rv = skube_rv_of(obj);
	ev->obj = cJSON_Duplicate(obj, 1);
	st->ring_len++;
	pthread_cond_broadcast(&k->changed);
}

/* The resourceVersion of the store's newest event (changes whenever the
 * store does). */
uint64_t
skube_store_last_rv(const struct skube_store *st)
{
	if (st->ring_len == 0)
		return st->compacted_rv;
	return st->ring[(st->ring_start + st->ring_len - 1) % st->ring_cap].rv;
}

/* Add a new object (owned); it gets a resourceVersion and an ADDED event. */
struct skube_entry *
skube_store_insert(struct sim_kube *k, struct skube_store *st, cJSON *obj)
{
	char	*key;
	size_t	 i;

	key = skube_store_key(st->namespaced ? skube_ns(obj) : NULL,
	    skube_name(obj));
	i = skube_store_lower(st, key);
	if (st->n == st->cap) {
		st->cap = st->cap == 0 ? 16 : st->cap * 2;
		st->v = xreallocarray(st->v, st->cap, sizeof *st->v);
	}
	memmove(&st->v[i + 1], &st->v[i], (st->n - i) * sizeof *st->v);
	st->v[i].key = key;
	st->v[i].obj = obj;
	st->v[i].due_ms = 0;
	st->n++;
	skube_store_stamp(k, obj);
	skube_store_record(k, st, KUBE_EV_ADDED, obj);
	return &st->v[i];
}

/* Replace an entry's object (owned): new resourceVersion, MODIFIED. */
void
skube_store_replace(struct sim_kube *k, struct skube_store *st,
    struct skube_entry *e, cJSON *obj)
{
	cJSON_Delete(e->obj);
	e->obj = obj;
	skube_store_stamp(k, obj);
	skube_store_record(k, st, KUBE_EV_MODIFIED, obj);
}

/* Remove an entry: the final state gets a new resourceVersion, goes out
 * as DELETED and is returned (caller frees). */
cJSON *
skube_store_remove(struct sim_kube *k, struct skube_store *st,
    struct skube_entry *e)
{
	size_t	 i = (size_t)(e - st->v);
	cJSON	*obj = e->obj;

	skube_store_stamp(k, obj);
	skube_store_record(k, st, KUBE_EV_DELETED, obj);
	free(e->key);
	memmove(&st->v[i], &st->v[i + 1], (st->n - i - 1) * sizeof *st->v);
	st->n--;
	return obj;
}

/* Add an object (owned) as it is, without a new resourceVersion or an
 * event (loading a state file); replaces a same-named one. */
void
skube_store_put_raw(struct skube_store *st, cJSON *obj)
{
	char	*key;
	size_t	 i;

	key = skube_store_key(st->namespaced ? skube_ns(obj) : NULL,
	    skube_name(obj));
	i = skube_store_lower(st, key);
	if (i < st->n && strcmp(st->v[i].key, key) == 0) {
		cJSON_Delete(st->v[i].obj);
		st->v[i].obj = obj;
		free(key);
		return;
	}
	if (st->n == st->cap) {
		st->cap = st->cap == 0 ? 16 : st->cap * 2;
		st->v = xreallocarray(st->v, st->cap, sizeof *st->v);
	}
	memmove(&st->v[i + 1], &st->v[i], (st->n - i) * sizeof *st->v);
	st->v[i].key = key;
	st->v[i].obj = obj;
	st->v[i].due_ms = 0;
	st->n++;
}

/* Drop every object and the history (no events). */
void
skube_store_clear(struct skube_store *st)
{
	size_t	i;

	for (i = 0; i < st->n; i++) {
		cJSON_Delete(st->v[i].obj);
		free(st->v[i].key);
	}
	st->n = 0;
	for (i = 0; i < st->ring_len; i++)
		cJSON_Delete(st->ring[(st->ring_start + i) % st->ring_cap].obj);
	st->ring_start = st->ring_len = 0;
}

/* Free every store. */
void
skube_stores_free(struct sim_kube *k)
{
	struct skube_store	*st, *next;

	for (st = k->stores; st != NULL; st = next) {
		next = st->next;
		skube_store_clear(st);
		free(st->v);
		free(st->ring);
		free(st->id);
		free(st);
	}
	k->stores = NULL;
}
