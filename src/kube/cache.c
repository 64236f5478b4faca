/* kube_cache: keyed, indexed store of shared immutable objects. */
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/json.h"
#include "latticectl/kcache.h"
#include "latticectl/xmalloc.h"
#include "latticectl/hmap.h"

struct kube_obj {
	cJSON		*json;
	char		*key;
	atomic_uint	 refs;
};

struct kube_cache_index {
	char		*name;
	kube_index_fn	 fn;
	void		*arg;
	struct hmap	 values;	/* value -> struct hmap (key -> obj) */
};

struct kube_cache {
	pthread_rwlock_t	 lock;
	int			 flags;
	struct hmap		 objs;	/* key -> struct kube_obj * (one ref) */
	struct kube_cache_index	*idx;
	size_t			 nidx;
};

/* Append a copy of s. */
void
kube_strv_add(struct kube_strv *sv, const char *s)
{
	if (sv->n == sv->cap) {
		sv->cap = sv->cap == 0 ? 4 : sv->cap * 2;
		sv->v = xreallocarray(sv->v, sv->cap, sizeof *sv->v);
	}
	sv->v[sv->n++] = xstrdup(s);
}

/* Append a formatted string. */
void
kube_strv_addf(struct kube_strv *sv, const char *fmt, ...)
{
	va_list	 ap;
	char	*s;

	va_start(ap, fmt);
	xvasprintf(&s, fmt, ap);
	va_end(ap);
	kube_strv_add(sv, s);
	free(s);
}

/* Free every string and the array. */
void
kube_strv_free(struct kube_strv *sv)
{
	size_t	i;

	for (i = 0; i < sv->n; i++)
		free(sv->v[i]);
	free(sv->v);
	sv->v = NULL;
	sv->n = sv->cap = 0;
}

/* Take another reference. */
struct kube_obj *
kube_obj_ref(struct kube_obj *o)
{
	atomic_fetch_add(&o->refs, 1);
	return o;
}

/* Drop a reference, freeing the object with the last one. */
void
kube_obj_unref(struct kube_obj *o)
{
	if (o == NULL || atomic_fetch_sub(&o->refs, 1) != 1)
		return;
	cJSON_Delete(o->json);
	free(o->key);
	free(o);
}

/* The object's tree (read only). */
const cJSON *
kube_obj_json(const struct kube_obj *o)
{
	return o->json;
}

/* The object's cache key. */
const char *
kube_obj_key(const struct kube_obj *o)
{
	return o->key;
}

/* The object's resourceVersion, or "". */
const char *
kube_obj_rv(const struct kube_obj *o)
{
	const char	*rv = json_path_str(o->json, "metadata.resourceVersion");

	return rv != NULL ? rv : "";
}

/* Release n references and the array. */
void
kube_objs_free(struct kube_obj **v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		kube_obj_unref(v[i]);
	free(v);
}

/* "ns/name" or "name" for an object; NULL without a name. */
char *
kube_cache_key_of(const cJSON *obj)
{
	const char	*name = json_path_str(obj, "metadata.name");
	const char	*ns = json_path_str(obj, "metadata.namespace");
	char		*key;

	if (name == NULL || *name == '\0')
		return NULL;
	if (ns == NULL || *ns == '\0')
		return xstrdup(name);
	xasprintf(&key, "%s/%s", ns, name);
	return key;
}

/* A new cache with the label index. */
struct kube_cache *
kube_cache_new(int flags)
{
	struct kube_cache	*c;

	c = xcalloc(1, sizeof *c);
	c->flags = flags;
	pthread_rwlock_init(&c->lock, NULL);
	kube_cache_add_index(c, KUBE_INDEX_LABELS, kube_index_labels, NULL);
	return c;
}

/* Free an inner index set (key -> obj, no references). */
static void
kube_cache_set_free(void *set)
{
	hmap_free(set, NULL);
	free(set);
}

/* Release the map's reference to an object. */
static void
kube_cache_obj_release(void *o)
{
	kube_obj_unref(o);
}

/* Free the cache and its references. */
void
kube_cache_free(struct kube_cache *c)
{
	size_t	i;

	if (c == NULL)
		return;
	for (i = 0; i < c->nidx; i++) {
		hmap_free(&c->idx[i].values, kube_cache_set_free);
		free(c->idx[i].name);
	}
	free(c->idx);
	hmap_free(&c->objs, kube_cache_obj_release);
	pthread_rwlock_destroy(&c->lock);
	free(c);
}

/* Add or remove o under every value ix gives it (lock held). */
static void
kube_cache_index_one(struct kube_cache_index *ix, struct kube_obj *o, int add)
{
	struct kube_strv	 sv = { NULL, 0, 0 };
	struct hmap		*set;
	size_t			 i;

	ix->fn(ix->arg, o->json, &sv);
	for (i = 0; i < sv.n; i++) {
		set = hmap_get(&ix->values, sv.v[i]);
		if (add) {
			if (set == NULL) {
				set = xcalloc(1, sizeof *set);
				hmap_put(&ix->values, sv.v[i], set);
			}
			hmap_put(set, o->key, o);
		} else if (set != NULL) {
			hmap_del(set, o->key);
			if (hmap_count(set) == 0)
				kube_cache_set_free(hmap_del(&ix->values,
				    sv.v[i]));
		}
	}
	kube_strv_free(&sv);
}

/* Index or unindex o in every index (lock held). */
static void
kube_cache_index_all(struct kube_cache *c, struct kube_obj *o, int add)
{
	size_t	i;

	for (i = 0; i < c->nidx; i++)
		kube_cache_index_one(&c->idx[i], o, add);
}

/* Context for indexing existing objects. */
struct kube_cache_reindex {
	struct kube_cache_index	*ix;
};

/* Index one existing object in a new index. */
static int
kube_cache_reindex_one(void *arg, const char *key, void *val)
{
	struct kube_cache_reindex	*r = arg;

	(void)key;
	kube_cache_index_one(r->ix, val, 1);
	return 0;
}

/* Register an index and fill it from the current objects. */
int
kube_cache_add_index(struct kube_cache *c, const char *name, kube_index_fn fn,
    void *arg)
{
	struct kube_cache_reindex	 r;
	struct kube_cache_index		*ix;
	size_t				 i;

	pthread_rwlock_wrlock(&c->lock);
	for (i = 0; i < c->nidx; i++) {
		if (strcmp(c->idx[i].name, name) == 0) {
			pthread_rwlock_unlock(&c->lock);
			return -1;
		}
	}
	c->idx = xreallocarray(c->idx, c->nidx + 1, sizeof *c->idx);
	ix = &c->idx[c->nidx++];
	memset(ix, 0, sizeof *ix);
	ix->name = xstrdup(name);
	ix->fn = fn;
	ix->arg = arg;
	r.ix = ix;
	hmap_each(&c->objs, kube_cache_reindex_one, &r);
	pthread_rwlock_unlock(&c->lock);
	return 0;
}

/* Append a change holding the given (already taken) references. */
static void
kube_changes_add(struct kube_changes *out, enum kube_change_type t,
    struct kube_obj *old, struct kube_obj *new)
{
	if (out->n == out->cap) {
		out->cap = out->cap == 0 ? 8 : out->cap * 2;
		out->v = xreallocarray(out->v, out->cap, sizeof *out->v);
	}
	out->v[out->n].type = t;
	out->v[out->n].old = old;
	out->v[out->n].new = new;
	out->n++;
}

/* Release every change's references and the array. */
void
kube_changes_free(struct kube_changes *ch)
{
	size_t	i;

	for (i = 0; i < ch->n; i++) {
		kube_obj_unref(ch->v[i].old);
		kube_obj_unref(ch->v[i].new);
	}
	free(ch->v);
	ch->v = NULL;
	ch->n = ch->cap = 0;
}

/* Drop the fields a cache does not need. */
static void
kube_cache_prune(cJSON *obj)
{
	cJSON	*meta, *ann;

	meta = cJSON_GetObjectItemCaseSensitive(obj, "metadata");
	if (!cJSON_IsObject(meta))
		return;
	cJSON_DeleteItemFromObjectCaseSensitive(meta, "managedFields");
	ann = cJSON_GetObjectItemCaseSensitive(meta, "annotations");
	if (cJSON_IsObject(ann))
		cJSON_DeleteItemFromObjectCaseSensitive(ann,
		    "kubectl.kubernetes.io/last-applied-configuration");
}

/* Whether two trees carry the same, non-empty resourceVersion. */
static int
kube_cache_same_rv(const cJSON *a, const cJSON *b)
{
	const char	*ra = json_path_str(a, "metadata.resourceVersion");
	const char	*rb = json_path_str(b, "metadata.resourceVersion");

	return ra != NULL && rb != NULL && *ra != '\0' && strcmp(ra, rb) == 0;
}

/* Insert or replace with the lock held. */
static void
kube_cache_upsert_locked(struct kube_cache *c, cJSON *json,
    struct kube_changes *out)
{
	struct kube_obj	*o, *old;
	char		*key;

	if ((key = kube_cache_key_of(json)) == NULL) {
		cJSON_Delete(json);
		return;
	}
	old = hmap_get(&c->objs, key);
	if (old != NULL && kube_cache_same_rv(old->json, json)) {
		free(key);
		cJSON_Delete(json);
		return;
	}
	if (c->flags & KUBE_CACHE_PRUNE)
		kube_cache_prune(json);
	o = xcalloc(1, sizeof *o);
	o->json = json;
	o->key = key;
	atomic_init(&o->refs, 1);
	if (old != NULL)
		kube_cache_index_all(c, old, 0);
	hmap_put(&c->objs, key, o);
	kube_cache_index_all(c, o, 1);
	if (old != NULL)
		kube_changes_add(out, KUBE_CHANGE_UPDATE, old, kube_obj_ref(o));
	else
		kube_changes_add(out, KUBE_CHANGE_ADD, NULL, kube_obj_ref(o));
}

/* Remove key with the lock held. */
static void
kube_cache_remove_locked(struct kube_cache *c, const char *key,
    struct kube_changes *out)
{
	struct kube_obj	*old;

	if ((old = hmap_del(&c->objs, key)) == NULL)
		return;
	kube_cache_index_all(c, old, 0);
	kube_changes_add(out, KUBE_CHANGE_DELETE, old, NULL);
}

/* Insert or replace an object. */
void
kube_cache_upsert(struct kube_cache *c, cJSON *obj, struct kube_changes *out)
{
	pthread_rwlock_wrlock(&c->lock);
	kube_cache_upsert_locked(c, obj, out);
	pthread_rwlock_unlock(&c->lock);
}

/* Remove the object with obj's key. */
void
kube_cache_remove(struct kube_cache *c, const cJSON *obj,
    struct kube_changes *out)
{
	char	*key;

	if ((key = kube_cache_key_of(obj)) == NULL)
		return;
	pthread_rwlock_wrlock(&c->lock);
	kube_cache_remove_locked(c, key, out);
	pthread_rwlock_unlock(&c->lock);
	free(key);
}

/* Keys gathered for a replace: those in the cache but not the new set. */
struct kube_cache_gone {
	const struct hmap	*keep;
	struct kube_strv	 gone;
};

/* Note a cached key the new set lacks. */
static int
kube_cache_gone_one(void *arg, const char *key, void *val)
{
	struct kube_cache_gone	*g = arg;

	(void)val;
	if (hmap_get(g->keep, key) == NULL)
		kube_strv_add(&g->gone, key);
	return 0;
}

/* Order strings for qsort. */
static int
kube_cache_strcmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Replace the whole content with items (a relist). */
void
kube_cache_replace(struct kube_cache *c, cJSON *items,
    struct kube_changes *out)
{
	struct hmap		 keep = HMAP_INIT;
	struct kube_cache_gone	 g;
	cJSON			*it;
	char			*key;
	size_t			 i;

	pthread_rwlock_wrlock(&c->lock);
	while (items != NULL && (it = cJSON_DetachItemFromArray(items, 0)) !=
	    NULL) {
		if ((key = kube_cache_key_of(it)) != NULL) {
			hmap_put(&keep, key, (void *)1);
			free(key);
		}
		kube_cache_upsert_locked(c, it, out);
	}
	g.keep = &keep;
	memset(&g.gone, 0, sizeof g.gone);
	hmap_each(&c->objs, kube_cache_gone_one, &g);
	if (g.gone.n > 1)
		qsort(g.gone.v, g.gone.n, sizeof *g.gone.v, kube_cache_strcmp);
	for (i = 0; i < g.gone.n; i++)
		kube_cache_remove_locked(c, g.gone.v[i], out);
	pthread_rwlock_unlock(&c->lock);
	kube_strv_free(&g.gone);
	hmap_free(&keep, NULL);
	cJSON_Delete(items);
}

/* The number of objects. */
size_t
kube_cache_len(struct kube_cache *c)
{
	size_t	n;

	pthread_rwlock_rdlock(&c->lock);
	n = hmap_count(&c->objs);
	pthread_rwlock_unlock(&c->lock);
	return n;
}

/* A reference to the object at ns/name, or NULL. */
struct kube_obj *
kube_cache_get(struct kube_cache *c, const char *ns, const char *name)
{
	struct kube_obj	*o;
	char		*key;

	if (ns == NULL || *ns == '\0')
		key = xstrdup(name);
	else
		xasprintf(&key, "%s/%s", ns, name);
	pthread_rwlock_rdlock(&c->lock);
	if ((o = hmap_get(&c->objs, key)) != NULL)
		kube_obj_ref(o);
	pthread_rwlock_unlock(&c->lock);
	free(key);
	return o;
}

/* A growing array of references. */
struct kube_cache_collect {
	struct kube_obj	**v;
	size_t		  n;
};

/* Collect one object with a reference (the array was sized before). */
static int
kube_cache_collect_one(void *arg, const char *key, void *val)
{
	struct kube_cache_collect	*cc = arg;

	(void)key;
	cc->v[cc->n++] = kube_obj_ref(val);
	return 0;
}

/* Order object references by key. */
static int
kube_cache_objcmp(const void *a, const void *b)
{
	const struct kube_obj	*x = *(struct kube_obj *const *)a;
	const struct kube_obj	*y = *(struct kube_obj *const *)b;

	return strcmp(x->key, y->key);
}

/* References to every object of a map (lock held), sorted by key. */
static struct kube_obj **
kube_cache_collect(const struct hmap *m, size_t *n)
{
	struct kube_cache_collect	cc;

	cc.v = xcalloc(hmap_count(m) + 1, sizeof *cc.v);
	cc.n = 0;
	hmap_each(m, kube_cache_collect_one, &cc);
	qsort(cc.v, cc.n, sizeof *cc.v, kube_cache_objcmp);
	*n = cc.n;
	return cc.v;
}

/* Every object, sorted by key. */
struct kube_obj **
kube_cache_snapshot(struct kube_cache *c, size_t *n)
{
	struct kube_obj	**v;

	pthread_rwlock_rdlock(&c->lock);
	v = kube_cache_collect(&c->objs, n);
	pthread_rwlock_unlock(&c->lock);
	return v;
}

/* The objects found under value in an index. */
struct kube_obj **
kube_cache_by_index(struct kube_cache *c, const char *index, const char *value,
    size_t *n)
{
	static const struct hmap	 empty = HMAP_INIT;
	const struct hmap		*set = NULL;
	struct kube_obj			**v;
	size_t				 i;

	pthread_rwlock_rdlock(&c->lock);
	for (i = 0; i < c->nidx; i++) {
		if (strcmp(c->idx[i].name, index) == 0)
			set = hmap_get(&c->idx[i].values, value);
	}
	v = kube_cache_collect(set != NULL ? set : &empty, n);
	pthread_rwlock_unlock(&c->lock);
	return v;
}

/* The objects labelled key=value. */
struct kube_obj **
kube_cache_by_label(struct kube_cache *c, const char *key, const char *value,
    size_t *n)
{
	struct kube_obj	**v;
	char		 *kv;

	xasprintf(&kv, "%s=%s", key, value);
	v = kube_cache_by_index(c, KUBE_INDEX_LABELS, kv, n);
	free(kv);
	return v;
}

/* What kube_cache_each calls. */
struct kube_cache_visit {
	int	(*fn)(void *, const cJSON *);
	void	*arg;
};

/* Hand one object's JSON to the visitor (hmap_each callback). */
static int
kube_cache_visit_one(void *arg, const char *key, void *val)
{
	struct kube_cache_visit	*v = arg;

	(void)key;
	return v->fn(v->arg, ((struct kube_obj *)val)->json);
}

/* Visit every object under the read lock until fn returns nonzero. */
void
kube_cache_each(struct kube_cache *c, int (*fn)(void *, const cJSON *),
    void *arg)
{
	struct kube_cache_visit	v;

	v.fn = fn;
	v.arg = arg;
	pthread_rwlock_rdlock(&c->lock);
	hmap_each(&c->objs, kube_cache_visit_one, &v);
	pthread_rwlock_unlock(&c->lock);
}
