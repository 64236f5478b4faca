/*
 * The work queue under the reconciler (internal to src/engine): a
 * string-keyed table of items, a FIFO of ready items and a min-heap of
 * delayed ones, with client-go's dirty/processing rules. Not thread-safe:
 * reconcile.c holds its lock around every call.
 *
 * Ownership: the queue owns its items and their strings; an item pointer
 * stays valid until wq_release frees it (only when it is idle, unknown,
 * not delayed and has no failures) or wq_free.
 */
#ifndef LATTICECTL_ENGINE_QUEUE_INT_H
#define LATTICECTL_ENGINE_QUEUE_INT_H

#include <stddef.h>
#include <stdint.h>

#define WQ_NO_HEAP	((size_t)-1)

struct wq_item {
	char		*key;
	uint64_t	 hash;
	struct wq_item	*hnext;		/* hash chain */
	struct wq_item	*next;		/* ready FIFO */
	int		 queued;	/* in the FIFO, or dirty while running */
	int		 processing;
	int		 known;		/* member of the resync set */
	unsigned	 failures;
	uint64_t	 due_ms;	/* delayed add (monotonic), if heap_idx set */
	size_t		 heap_idx;
	int		 due_resync;	/* the delayed add is a resync */
	uint64_t	 last_delay_ms;
	uint64_t	 last_duration_ms;
	char		*last_error;
};

struct wq {
	struct wq_item	**b;		/* hash buckets (power of two) */
	size_t		  nb;
	size_t		  n;		/* items */
	struct wq_item	 *head;		/* ready FIFO */
	struct wq_item	 *tail;
	size_t		  nready;
	struct wq_item	**heap;
	size_t		  nheap;
	size_t		  heap_cap;
	size_t		  nretry;	/* delayed adds that are not resyncs */
	size_t		  nknown;
};

void	 wq_init(struct wq *);
void	 wq_free(struct wq *);
/* The item for key; created (idle) when create is set, else NULL. */
struct wq_item *wq_item(struct wq *, const char *key, int create);
/* Queue an item: 1 when it joined the FIFO, 0 when deduplicated or
 * deferred (running: queued again by wq_done). */
int	 wq_add(struct wq *, struct wq_item *);
/* Take the first ready item (marked processing), or NULL. */
struct wq_item *wq_pop(struct wq *);
/* A run ended: 1 when the item was added meanwhile and is queued again. */
int	 wq_done(struct wq *, struct wq_item *);
/* Schedule a delayed add at due (monotonic ms). Between explicit adds
 * the earliest wins; an explicit add replaces a pending resync; a resync
 * replaces only a pending resync. Returns 1 when the item is the heap's
 * first afterwards. */
int	 wq_delay(struct wq *, struct wq_item *, uint64_t due, int resync);
/* Drop a pending delayed add. */
void	 wq_undelay(struct wq *, struct wq_item *);
/* Queue every delayed item due by now; the count that joined the FIFO.
 * *resyncs (may be NULL) gets how many of them were resyncs. */
size_t	 wq_fire(struct wq *, uint64_t now, size_t *resyncs);
/* The earliest due time, or UINT64_MAX. */
uint64_t wq_next_due(const struct wq *);
/* Free the item if nothing refers to it any more. */
void	 wq_release(struct wq *, struct wq_item *);
/* Drop every ready item from the FIFO (stop without draining). */
void	 wq_clear_ready(struct wq *);
/* Call fn on every item. */
void	 wq_each(struct wq *, void (*fn)(void *, struct wq_item *), void *);

#endif
