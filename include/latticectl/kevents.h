/*
 * kube_recorder: records Kubernetes Events about objects the way
 * client-go's events library does: events.k8s.io/v1 Events (eventTime as
 * MicroTime, reportingController, reportingInstance, action, reason, note,
 * regarding), falling back to core v1 Events (involvedObject, message,
 * firstTimestamp/lastTimestamp/count, source) when the events.k8s.io
 * group is not served (a 404 for the group). Repeats of the same
 * regarding object + reason + note within the series window (6 minutes)
 * update the first event's series (series.count and
 * series.lastObservedTime; count and lastTimestamp for core v1) instead
 * of creating another.
 *
 * Events are best effort: a failure is returned (and counted) but never
 * retried.
 *
 * Threads: one mutex serialises recording (the series cache and the
 * writes). Ownership: the recorder copies its option strings and keeps
 * the client pointer (which must outlive it).
 */
#ifndef LATTICECTL_KEVENTS_H
#define LATTICECTL_KEVENTS_H

#include <stdint.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "latticectl/kube.h"

#define KUBE_EVENTS_CONTROLLER \
	"application-networking.k8s.aws/gateway-api-controller"
#define KUBE_EVENTS_SERIES_S	360	/* 6 minutes */
#define KUBE_EVENTS_NOTE_MAX	1024	/* note is cut to this many bytes */

/* Wall clock override (tests): the time now. */
typedef struct timespec (*kube_now_fn)(void *arg);

struct kube_recorder_opts {
	const char	*controller;	/* NULL: KUBE_EVENTS_CONTROLLER */
	const char	*instance;	/* NULL: the host name */
	unsigned	 series_s;	/* 0: KUBE_EVENTS_SERIES_S */
	kube_now_fn	 now;		/* NULL: time_now() */
	void		*now_arg;
};

struct kube_recorder_stats {
	uint64_t	created;	/* new Event objects */
	uint64_t	series;		/* series updates */
	uint64_t	errors;
	int		core;		/* 1 once fallen back to core v1 */
};

struct kube_recorder;

struct kube_recorder *kube_recorder_new(struct kube_client *,
	    const struct kube_recorder_opts *);
void	 kube_recorder_free(struct kube_recorder *);
/* Record an event about regarding (an object: apiVersion, kind,
 * metadata.name/namespace/uid/resourceVersion are used). type is "Normal"
 * or "Warning"; action and reason are CamelCase words (<= 128 bytes);
 * note is free text. Returns 0 when written. */
int	 kube_recorder_event(struct kube_recorder *, const cJSON *regarding,
	    const char *type, const char *reason, const char *action,
	    const char *note, struct kube_error *);
void	 kube_recorder_stats(struct kube_recorder *,
	    struct kube_recorder_stats *);

#endif
