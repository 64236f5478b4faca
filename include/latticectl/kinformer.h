/*
 * kube_informer: keeps a kube_cache current for one resource, the way
 * client-go's reflector does: list every page, then watch from the list's
 * resourceVersion with allowWatchBookmarks=true and timeoutSeconds random
 * in [min, max) (default [300, 600)). A watch that ends cleanly is resumed
 * from the last resourceVersion seen (events and BOOKMARKs advance it). An
 * expired resourceVersion (an in-stream ERROR with code 410 or an HTTP
 * 410) makes it relist; the difference between the cache and the new
 * list reaches the handlers as add/update/delete. Connection errors back
 * off with full jitter (backoff.h) and resume the watch.
 *
 * Threads: each informer runs one thread (kube_informer_start) that does
 * all writes to its cache and calls the handlers, in order, outside the
 * cache lock. kube_informer_stop cancels the stream and joins the thread
 * (it returns within about a second, the stream's cancel poll). Readers
 * use the cache from any thread.
 *
 * Ownership: the informer keeps the client pointer (which must outlive
 * it) and copies the strings of its options and of *res (a resolved
 * descriptor may be passed). It owns its cache (kube_informer_cache
 * borrows it). Handler objects are valid only during the call.
 */
#ifndef LATTICECTL_KINFORMER_H
#define LATTICECTL_KINFORMER_H

#include <stdint.h>

#include <cjson/cJSON.h>

#include "latticectl/kcache.h"
#include "latticectl/kube.h"

struct kube_informer;

struct kube_informer_opts {
	const struct kube_resource *res;	/* required */
	const char	*ns;			/* NULL: all namespaces */
	const char	*label_selector;
	const char	*field_selector;
	int		 no_prune;		/* keep managedFields, last-applied */
	long		 page_size;		/* 0: KUBE_LIST_PAGE */
	unsigned	 timeout_min_s;		/* 0: 300 */
	unsigned	 timeout_max_s;		/* 0: 600 (exclusive) */
	uint64_t	 backoff_base_ms;	/* 0: 800 */
	uint64_t	 backoff_cap_ms;	/* 0: 30000 */
};

/* Handlers: any may be NULL. */
struct kube_handler {
	void	(*add)(void *arg, const cJSON *obj);
	void	(*update)(void *arg, const cJSON *old, const cJSON *obj);
	void	(*del)(void *arg, const cJSON *old);
	/* After each full list has been applied (first sync and relists). */
	void	(*synced)(void *arg, int relist);
	void	*arg;
};

/* Counters, for tests and reports. */
struct kube_informer_stats {
	uint64_t	lists;		/* successful lists (first + relists) */
	uint64_t	relists;	/* lists after the first */
	uint64_t	watches;	/* watch requests made */
	uint64_t	resumes;	/* watches resumed from a watch's rv */
	uint64_t	expired;	/* 410s seen (in stream or HTTP) */
	uint64_t	events;		/* ADDED/MODIFIED/DELETED applied */
	uint64_t	bookmarks;
	uint64_t	errors;		/* failed lists/watches (backed off) */
};

struct kube_informer *kube_informer_new(struct kube_client *,
	    const struct kube_informer_opts *);
/* Stops (when running) and frees. */
void	 kube_informer_free(struct kube_informer *);
/* Register a handler (copied) before kube_informer_start. */
void	 kube_informer_add_handler(struct kube_informer *,
	    const struct kube_handler *);
struct kube_cache *kube_informer_cache(struct kube_informer *);
/* Start the thread; -1 with *cause if it could not be created. */
int	 kube_informer_start(struct kube_informer *, char **cause);
/* Stop the thread and wait for it (idempotent). */
void	 kube_informer_stop(struct kube_informer *);
/* Whether the first list has been applied. */
int	 kube_informer_synced(struct kube_informer *);
/* Wait up to timeout_ms (-1: forever) for the first sync: 1 synced, 0
 * not yet (or stopped). */
int	 kube_informer_wait_synced(struct kube_informer *, long timeout_ms);
void	 kube_informer_stats(struct kube_informer *,
	    struct kube_informer_stats *);
/* The last error (list or watch) as text, or NULL (caller frees). */
char	*kube_informer_last_error(struct kube_informer *);
/* The resourceVersion the next watch starts from (caller frees). */
char	*kube_informer_rv(struct kube_informer *);

#endif
