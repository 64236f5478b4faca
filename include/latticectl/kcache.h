/*
 * kube_cache: the indexed object store an informer keeps current. Objects
 * are keyed "namespace/name" ("name" when cluster-scoped) and held as
 * shared, immutable, reference-counted cJSON trees (struct kube_obj), so
 * readers keep what they got while the informer moves on. Indexes map a
 * value to the set of objects that produce it: a label index ("k=v") is
 * always there; custom index functions add more (routes by parent
 * Gateway, routes by backend Service, EndpointSlices by Service, below).
 *
 * Memory: with KUBE_CACHE_PRUNE (the informer's default) the objects lose
 * metadata.managedFields and the kubectl last-applied-configuration
 * annotation, which are most of a typical object's bytes. test_store
 * prints the measured bytes per cached HTTPRoute with and without it.
 *
 * Threads: one read-write lock; reads (get, snapshot, by_index, each) may
 * run on any thread while the single writer (the informer) applies
 * changes. kube_cache_each calls its function under the read lock: it
 * must not call back into the cache's writers.
 *
 * Ownership: the cache takes the cJSON trees handed to its writers. A
 * struct kube_obj * returned by a reader is a reference the caller
 * releases with kube_obj_unref (or kube_objs_free for arrays); the tree
 * inside must never be modified. A kube_change holds references to its
 * old and new objects (kube_changes_free releases them).
 */
#ifndef LATTICECTL_KCACHE_H
#define LATTICECTL_KCACHE_H

#include <stddef.h>

#include <cjson/cJSON.h>

/* Cache flags. */
#define KUBE_CACHE_PRUNE	0x1	/* drop managedFields + last-applied */

/* Built-in index names. */
#define KUBE_INDEX_LABELS		"labels"	/* "key=value" */
#define KUBE_INDEX_ROUTE_PARENTS	"route-parents"	/* Gateway "ns/name" */
#define KUBE_INDEX_ROUTE_BACKENDS	"route-backends" /* Service "ns/name" */
#define KUBE_INDEX_SLICE_SERVICE	"slice-service"	/* Service "ns/name" */

/* The label EndpointSlices carry their Service's name in. */
#define KUBE_LABEL_SERVICE_NAME	"kubernetes.io/service-name"

struct kube_obj;
struct kube_cache;

/* A growable list of strings (index values); owns its strings. */
struct kube_strv {
	char	**v;
	size_t	  n;
	size_t	  cap;
};

void	 kube_strv_add(struct kube_strv *, const char *);
void	 kube_strv_addf(struct kube_strv *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	 kube_strv_free(struct kube_strv *);

/* An index function: add the values obj is found under (duplicates are
 * harmless). It must depend on obj alone. */
typedef void (*kube_index_fn)(void *arg, const cJSON *obj,
    struct kube_strv *out);

enum kube_change_type {
	KUBE_CHANGE_ADD,
	KUBE_CHANGE_UPDATE,
	KUBE_CHANGE_DELETE
};

struct kube_change {
	enum kube_change_type	 type;
	struct kube_obj		*old;	/* UPDATE, DELETE */
	struct kube_obj		*new;	/* ADD, UPDATE */
};

struct kube_changes {
	struct kube_change	*v;
	size_t			 n;
	size_t			 cap;
};

/* Object references. */
struct kube_obj	*kube_obj_ref(struct kube_obj *);
/* Drop a reference; NULL is a no-op. */
void		 kube_obj_unref(struct kube_obj *);
const cJSON	*kube_obj_json(const struct kube_obj *);
/* "ns/name" or "name". */
const char	*kube_obj_key(const struct kube_obj *);
/* metadata.resourceVersion, or "". */
const char	*kube_obj_rv(const struct kube_obj *);
/* Release an array of references and the array. */
void		 kube_objs_free(struct kube_obj **, size_t n);

/* The cache key of an object ("ns/name"), or NULL when it has no name
 * (caller frees). */
char	*kube_cache_key_of(const cJSON *obj);

struct kube_cache *kube_cache_new(int flags);
void	 kube_cache_free(struct kube_cache *);
/* Add an index (existing objects are indexed too). Returns -1 when the
 * name is taken. */
int	 kube_cache_add_index(struct kube_cache *, const char *name,
	    kube_index_fn, void *arg);

/* Writers. Insert or replace obj (taken). A change is appended to out
 * unless the object is already there with the same resourceVersion.
 * Objects without a name are dropped. */
void	 kube_cache_upsert(struct kube_cache *, cJSON *obj,
	    struct kube_changes *out);
/* Remove the object with obj's key (obj only read); a DELETE is appended
 * when it was there. */
void	 kube_cache_remove(struct kube_cache *, const cJSON *obj,
	    struct kube_changes *out);
/* Make the cache hold exactly the items of the array (taken): ADD/UPDATE
 * for new or changed (resourceVersion) items in array order, then DELETE
 * for objects that are gone. */
void	 kube_cache_replace(struct kube_cache *, cJSON *items,
	    struct kube_changes *out);
void	 kube_changes_free(struct kube_changes *);

/* Readers. */
size_t	 kube_cache_len(struct kube_cache *);
/* The object at ns/name (ns NULL or "" for cluster-scoped), or NULL. */
struct kube_obj *kube_cache_get(struct kube_cache *, const char *ns,
	    const char *name);
/* Every object, sorted by key; *n gets the count. */
struct kube_obj **kube_cache_snapshot(struct kube_cache *, size_t *n);
/* Objects under value in the named index, sorted by key (an unknown
 * index gives none). */
struct kube_obj **kube_cache_by_index(struct kube_cache *, const char *index,
	    const char *value, size_t *n);
/* Objects labelled key=value. */
struct kube_obj **kube_cache_by_label(struct kube_cache *, const char *key,
	    const char *value, size_t *n);
/* Call fn on every object under the read lock; fn returns nonzero to
 * stop early. */
void	 kube_cache_each(struct kube_cache *,
	    int (*fn)(void *arg, const cJSON *obj), void *arg);

/* Built-in index functions (arg unused). */
void	 kube_index_labels(void *, const cJSON *, struct kube_strv *);
/* Route spec.parentRefs of kind Gateway (group gateway.networking.k8s.io;
 * both the defaults), namespace defaulting to the route's. */
void	 kube_index_route_parents(void *, const cJSON *, struct kube_strv *);
/* Route spec.rules[].backendRefs of kind Service (core group; both the
 * defaults), namespace defaulting to the route's. */
void	 kube_index_route_backends(void *, const cJSON *, struct kube_strv *);
/* EndpointSlice's kubernetes.io/service-name label, "ns/name". */
void	 kube_index_slice_service(void *, const cJSON *, struct kube_strv *);

#endif
