/* wq: the deduplicating work queue with delayed adds (see queue_int.h). */
#include <stdlib.h>
#include <string.h>

#include "latticectl/xmalloc.h"
#include "queue_int.h"

/* FNV-1a of a key. */
static uint64_t
wq_hash(const char *s)
{
	uint64_t	h = 1469598103934665603ULL;

	while (*s != '\0') {
		h ^= (unsigned char)*s++;
		h *= 1099511628211ULL;
	}
	return h;
}

/* An empty queue. */
void
wq_init(struct wq *q)
{
	memset(q, 0, sizeof *q);
}

/* Free one item. */
static void
wq_item_free(struct wq_item *it)
{
	free(it->key);
	free(it->last_error);
	free(it);
}

/* Free every item and the tables. */
void
wq_free(struct wq *q)
{
	struct wq_item	*it, *next;
	size_t		 i;

	for (i = 0; i < q->nb; i++) {
		for (it = q->b[i]; it != NULL; it = next) {
			next = it->hnext;
			wq_item_free(it);
		}
	}
	free(q->b);
	free(q->heap);
	memset(q, 0, sizeof *q);
}

/* Double the bucket array. */
static void
wq_grow(struct wq *q)
{
	struct wq_item	**nb, *it, *next;
	size_t		  n = q->nb == 0 ? 16 : q->nb * 2, i;

	nb = xcalloc(n, sizeof *nb);
	for (i = 0; i < q->nb; i++) {
		for (it = q->b[i]; it != NULL; it = next) {
			next = it->hnext;
			it->hnext = nb[it->hash & (n - 1)];
			nb[it->hash & (n - 1)] = it;
		}
	}
	free(q->b);
	q->b = nb;
	q->nb = n;
}

/* Find (or create) the item for key. */
struct wq_item *
wq_item(struct wq *q, const char *key, int create)
{
	struct wq_item	*it;
	uint64_t	 h = wq_hash(key);

	if (q->nb != 0) {
		for (it = q->b[h & (q->nb - 1)]; it != NULL; it = it->hnext)
			if (it->hash == h && strcmp(it->key, key) == 0)
				return it;
	}
	if (!create)
		return NULL;
	if (q->n >= q->nb)
		wq_grow(q);
	it = xcalloc(1, sizeof *it);
	it->key = xstrdup(key);
	it->hash = h;
	it->heap_idx = WQ_NO_HEAP;
	it->hnext = q->b[h & (q->nb - 1)];
	q->b[h & (q->nb - 1)] = it;
	q->n++;
	return it;
}

/* Whether heap entry a is due before b. */
static int
wq_before(const struct wq_item *a, const struct wq_item *b)
{
	return a->due_ms < b->due_ms;
}

/* Put it at heap slot i. */
static void
wq_heap_set(struct wq *q, size_t i, struct wq_item *it)
{
	q->heap[i] = it;
	it->heap_idx = i;
}

/* Move heap slot i towards the root while it is due earlier. */
static void
wq_sift_up(struct wq *q, size_t i)
{
	struct wq_item	*it = q->heap[i];

	while (i > 0 && wq_before(it, q->heap[(i - 1) / 2])) {
		wq_heap_set(q, i, q->heap[(i - 1) / 2]);
		i = (i - 1) / 2;
	}
	wq_heap_set(q, i, it);
}

/* Move heap slot i towards the leaves while a child is due earlier. */
static void
wq_sift_down(struct wq *q, size_t i)
{
	struct wq_item	*it = q->heap[i];
	size_t		 c;

	for (;;) {
		c = 2 * i + 1;
		if (c >= q->nheap)
			break;
		if (c + 1 < q->nheap && wq_before(q->heap[c + 1], q->heap[c]))
			c++;
		if (!wq_before(q->heap[c], it))
			break;
		wq_heap_set(q, i, q->heap[c]);
		i = c;
	}
	wq_heap_set(q, i, it);
}

/* Restore the heap order around slot i after its due time changed. */
static void
wq_heap_fix(struct wq *q, size_t i)
{
	struct wq_item	*it = q->heap[i];

	wq_sift_up(q, i);
	wq_sift_down(q, it->heap_idx);
}

/* Remove an item from the heap. */
static void
wq_heap_remove(struct wq *q, struct wq_item *it)
{
	size_t	i = it->heap_idx;

	it->heap_idx = WQ_NO_HEAP;
	if (!it->due_resync)
		q->nretry--;
	q->nheap--;
	if (i == q->nheap)
		return;
	wq_heap_set(q, i, q->heap[q->nheap]);
	wq_heap_fix(q, i);
}

/* Append to the ready FIFO. */
static void
wq_push(struct wq *q, struct wq_item *it)
{
	it->next = NULL;
	if (q->tail != NULL)
		q->tail->next = it;
	else
		q->head = it;
	q->tail = it;
	q->nready++;
}

/* Queue an item (an immediate add supersedes a pending delayed one). */
int
wq_add(struct wq *q, struct wq_item *it)
{
	if (it->heap_idx != WQ_NO_HEAP)
		wq_heap_remove(q, it);
	if (!it->known) {
		it->known = 1;
		q->nknown++;
	}
	if (it->queued)
		return 0;
	it->queued = 1;
	if (it->processing)
		return 0;
	wq_push(q, it);
	return 1;
}

/* Take the first ready item. */
struct wq_item *
wq_pop(struct wq *q)
{
	struct wq_item	*it = q->head;

	if (it == NULL)
		return NULL;
	q->head = it->next;
	if (q->head == NULL)
		q->tail = NULL;
	q->nready--;
	it->next = NULL;
	it->queued = 0;
	it->processing = 1;
	return it;
}

/* End a run; re-queue an item that was added meanwhile. */
int
wq_done(struct wq *q, struct wq_item *it)
{
	it->processing = 0;
	if (!it->queued)
		return 0;
	wq_push(q, it);
	return 1;
}

/* Schedule a delayed add. */
int
wq_delay(struct wq *q, struct wq_item *it, uint64_t due, int resync)
{
	if (it->heap_idx == WQ_NO_HEAP) {
		if (q->nheap == q->heap_cap) {
			q->heap_cap = q->heap_cap == 0 ? 16 : q->heap_cap * 2;
			q->heap = xreallocarray(q->heap, q->heap_cap,
			    sizeof *q->heap);
		}
		it->due_ms = due;
		it->due_resync = resync;
		if (!resync)
			q->nretry++;
		wq_heap_set(q, q->nheap++, it);
		wq_sift_up(q, it->heap_idx);
	} else if (resync) {
		if (!it->due_resync)
			return 0;
		it->due_ms = due;
		wq_heap_fix(q, it->heap_idx);
	} else {
		if (it->due_resync) {
			it->due_resync = 0;
			q->nretry++;
			it->due_ms = due;
		} else if (due < it->due_ms)
			it->due_ms = due;
		wq_heap_fix(q, it->heap_idx);
	}
	return q->heap[0] == it;
}

/* Drop a pending delayed add. */
void
wq_undelay(struct wq *q, struct wq_item *it)
{
	if (it->heap_idx != WQ_NO_HEAP)
		wq_heap_remove(q, it);
}

/* Queue the delayed items that are due. */
size_t
wq_fire(struct wq *q, uint64_t now, size_t *resyncs)
{
	struct wq_item	*it;
	size_t		 n = 0, rs = 0;

	while (q->nheap > 0 && q->heap[0]->due_ms <= now) {
		it = q->heap[0];
		if (it->due_resync)
			rs++;
		wq_heap_remove(q, it);
		n += (size_t)wq_add(q, it);
	}
	if (resyncs != NULL)
		*resyncs = rs;
	return n;
}

/* The earliest due time. */
uint64_t
wq_next_due(const struct wq *q)
{
	return q->nheap > 0 ? q->heap[0]->due_ms : UINT64_MAX;
}

/* Free an item nothing refers to. */
void
wq_release(struct wq *q, struct wq_item *it)
{
	struct wq_item	**pp;

	if (it->queued || it->processing || it->known || it->failures > 0 ||
	    it->heap_idx != WQ_NO_HEAP)
		return;
	for (pp = &q->b[it->hash & (q->nb - 1)]; *pp != it; pp = &(*pp)->hnext)
		;
	*pp = it->hnext;
	q->n--;
	wq_item_free(it);
}

/* Empty the ready FIFO. */
void
wq_clear_ready(struct wq *q)
{
	struct wq_item	*it;

	while ((it = q->head) != NULL) {
		q->head = it->next;
		it->next = NULL;
		it->queued = 0;
	}
	q->tail = NULL;
	q->nready = 0;
}

/* Visit every item. */
void
wq_each(struct wq *q, void (*fn)(void *, struct wq_item *), void *arg)
{
	struct wq_item	*it, *next;
	size_t		 i;

	for (i = 0; i < q->nb; i++) {
		for (it = q->b[i]; it != NULL; it = next) {
			next = it->hnext;
			fn(arg, it);
		}
	}
}
