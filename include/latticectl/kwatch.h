/*
 * kube_watch: the incremental decoder of a Kubernetes watch stream, a
 * sequence of {"type":"ADDED|MODIFIED|DELETED|BOOKMARK|ERROR","object":{..}}
 * JSON objects, one per line as kube-apiserver writes them (objects that
 * are not newline-separated are accepted too). Feed it byte chunks of any
 * size, split anywhere; each complete event goes to the callback.
 *
 * Ownership: the decoder owns its buffer; the callback receives the event's
 * object and owns it from then on (cJSON_Delete it or keep it). After an
 * error the decoder refuses further input.
 */
#ifndef LATTICECTL_KWATCH_H
#define LATTICECTL_KWATCH_H

#include <stddef.h>

#include <cjson/cJSON.h>

/* Longest single event accepted by default (16 MiB). */
#define KUBE_WATCH_MAX_EVENT	(16u * 1024 * 1024)

enum kube_watch_type {
	KUBE_WATCH_ADDED,
	KUBE_WATCH_MODIFIED,
	KUBE_WATCH_DELETED,
	KUBE_WATCH_BOOKMARK,
	KUBE_WATCH_ERROR
};

/* One decoded event: obj is the callback's. Return 0 to go on, -1 to stop
 * decoding (kube_watch_feed then fails with cause "stopped"). */
typedef int (*kube_watch_event_fn)(void *arg, enum kube_watch_type,
    cJSON *obj);

struct kube_watch_decoder;

/* A decoder; max_event 0 means KUBE_WATCH_MAX_EVENT. */
struct kube_watch_decoder *kube_watch_decoder_new(size_t max_event,
	    kube_watch_event_fn, void *arg);
void	 kube_watch_decoder_free(struct kube_watch_decoder *);
/* Decode len more bytes; -1 with *cause on malformed input, an event
 * beyond max_event bytes, or a callback that stopped. */
int	 kube_watch_feed(struct kube_watch_decoder *, const char *data,
	    size_t len, char **cause);
/* End of stream: -1 with *cause when a partial event is pending. */
int	 kube_watch_finish(struct kube_watch_decoder *, char **cause);
/* Events decoded so far. */
size_t	 kube_watch_count(const struct kube_watch_decoder *);
/* Forget any partial event and the error state (a new stream). */
void	 kube_watch_reset(struct kube_watch_decoder *);

/* "ADDED", ... for a type; NULL for anything else. */
const char *kube_watch_type_name(enum kube_watch_type);
/* Parse a type name; -1 when unknown. */
int	 kube_watch_type_parse(const char *, enum kube_watch_type *);
/* The HTTP code of an ERROR event's Status object, or 0. */
int	 kube_watch_status_code(const cJSON *obj);

#endif
