/*
 * status: the engine's writes back to Kubernetes, upstream-compatible
 * (research/upstream_controller.md 2.3; strings in upstream.h):
 *   - route status.parents[] per parentRef of a lattice Gateway
 *     (parentRef, controllerName, Accepted and ResolvedRefs with the
 *     builder's reasons and messages, observedGeneration); entries of
 *     other controllers are kept, ours for parentRefs no longer in the
 *     spec are removed;
 *   - the route annotations lattice-assigned-domain-name and
 *     lattice-service-arn;
 *   - Gateway status: Accepted (message: the controller name), Programmed
 *     ("aws-service-network-arn: <arn>", or Pending "VPC Lattice Service
 *     Network not found", or Invalid on several matches), addresses
 *     (Hostname), listeners[] (attachedRoutes, supportedKinds, Accepted /
 *     ResolvedRefs / Programmed);
 *   - GatewayClass Accepted; policy Accepted (Accepted / Invalid /
 *     TargetNotFound / Conflicted);
 *   - finalizers and events.
 *
 * Economy: every write first applies the change to a copy of the object
 * the caller already holds (the informer's cache) and compares: nothing
 * changed, nothing is sent. A change is one PUT to /status (or one merge
 * patch for finalizers and annotations) carrying the cached
 * resourceVersion; only a 409 Conflict falls back to GET-change-PUT with
 * retries (kube_update_retry). lastTransitionTime moves only when a
 * condition's status changes (kube_conditions_set).
 *
 * Own writes: the writer remembers the resourceVersions its writes
 * produced (per uid, a bounded table). A cached copy at an older one of
 * them lags behind our own write; the informer is bound to deliver the
 * newer version (and the handler to queue the key again), so the writers
 * send nothing for it (counted as stale) instead of a redundant write or
 * a conflict.
 *
 * Threads: a writer may be shared by all workers (its counters are
 * locked). Ownership: the writer keeps the client and recorder pointers
 * (they must outlive it) and copies the controller name; objects passed
 * in are only read; strings in input structs are the caller's.
 */
#ifndef LATTICECTL_STATUS_H
#define LATTICECTL_STATUS_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "latticectl/kevents.h"
#include "latticectl/kube.h"
#include "latticectl/lmodel.h"
#include "latticectl/upstream.h"

/* Upstream's Programmed message when several service networks match. */
#define STATUS_MSG_SN_CONFLICT "Found multiple VPC Lattice Service " \
	"Networks matching Gateway name. Either ensure only one Service " \
	"Network has a matching name, or use the Service Network's id as " \
	"the Gateway name."
#define STATUS_EVENT_ACTION	"Reconcile"	/* events.k8s.io action */

struct status_writer_opts {
	struct kube_client	*kc;		/* required */
	struct kube_recorder	*rec;		/* NULL: no events */
	const char		*controller;	/* NULL: UP_CONTROLLER_NAME */
	kube_now_fn		 now;		/* NULL: time_now() */
	void			*now_arg;
};

struct status_stats {
	uint64_t	writes;		/* PUTs and PATCHes sent */
	uint64_t	unchanged;	/* calls that needed no write */
	uint64_t	conflicts;	/* 409s that forced a re-read */
	uint64_t	stale;		/* cached copy behind our own write */
	uint64_t	errors;
	uint64_t	events;
};

/* What the route's annotations should say; NULL leaves one alone. */
struct status_route_annotations {
	const char	*dns_name;	/* lattice-assigned-domain-name */
	const char	*service_arn;	/* lattice-service-arn */
};

/* The service network found for a Gateway. */
enum status_sn {
	STATUS_SN_FOUND,		/* Programmed True */
	STATUS_SN_NOT_FOUND,		/* Programmed False Pending */
	STATUS_SN_CONFLICT		/* Programmed False Invalid */
};

struct status_listener {
	const char		*name;		/* spec.listeners[].name */
	int32_t			 attached_routes;
	const char *const	*kinds;		/* supported route kinds */
	size_t			 nkinds;
	int			 invalid_kinds;	/* ResolvedRefs False
						 * InvalidRouteKinds */
};

struct status_gateway {
	int				 accepted;	/* else Invalid */
	enum status_sn			 sn;
	const char			*sn_arn;	/* STATUS_SN_FOUND */
	const char *const		*addresses;	/* Hostname values */
	size_t				 naddresses;	/* 0: none */
	const struct status_listener	*listeners;	/* in spec order */
	size_t				 nlisteners;
};

struct status_writer;

struct status_writer *status_writer_new(const struct status_writer_opts *);
void	 status_writer_free(struct status_writer *);
void	 status_writer_stats(struct status_writer *, struct status_stats *);

/*
 * Pure edits of an object tree (the writers below use them; plan and
 * tests call them directly). Each returns 1 when obj changed.
 */
/* Route status.parents[] from the builder's per-parentRef results
 * (entries with ours == 0 are not ours to write). */
int	 status_route_apply(cJSON *route, const char *controller,
	    const struct lm_parent_status *, size_t n,
	    const struct timespec *now);
int	 status_gateway_apply(cJSON *gw, const char *controller,
	    const struct status_gateway *, const struct timespec *now);
/* Accepted True when reason is UP_REASON_ACCEPTED, else False. */
int	 status_accepted_apply(cJSON *obj, const char *reason,
	    const char *message, const struct timespec *now);

/*
 * Writers. cached is the object as last seen (required: the informer's
 * copy, or one just read); res must be a resolved descriptor for the
 * object's kind. out (may be NULL) gets the newest copy of the object the
 * writer received (the server's answer to a write, or a re-read after a
 * conflict; caller frees), to serve as cached for the next step of a
 * reconcile; NULL when it used only cached. They return 0 when the
 * server holds the wanted state (also when nothing was sent, or the
 * object is gone: 404), else -1 with e filled.
 */
int	 status_route_write(struct status_writer *,
	    const struct kube_resource *res, const cJSON *cached,
	    const struct lm_parent_status *, size_t n, cJSON **out,
	    struct kube_error *);
int	 status_route_annotate(struct status_writer *,
	    const struct kube_resource *res, const cJSON *cached,
	    const struct status_route_annotations *, cJSON **out,
	    struct kube_error *);
int	 status_gateway_write(struct status_writer *,
	    const struct kube_resource *res, const cJSON *cached,
	    const struct status_gateway *, cJSON **out, struct kube_error *);
/* GatewayClass or policy (TargetGroupPolicy, VpcAssociationPolicy,
 * AccessLogPolicy, IAMAuthPolicy, ServiceNetwork): status.conditions
 * Accepted. */
int	 status_accepted_write(struct status_writer *,
	    const struct kube_resource *res, const cJSON *cached,
	    const char *reason, const char *message, cJSON **out,
	    struct kube_error *);

/* Finalizers: add before the first Lattice write (refused for an object
 * being deleted), remove after the Lattice cleanup (a 404 is success).
 * Nothing is sent when cached already says so. */
int	 status_finalizer_add(struct status_writer *,
	    const struct kube_resource *res, const cJSON *cached,
	    const char *finalizer, cJSON **out, struct kube_error *);
int	 status_finalizer_remove(struct status_writer *,
	    const struct kube_resource *res, const cJSON *cached,
	    const char *finalizer, cJSON **out, struct kube_error *);

/* Record an event about obj (type "Normal" or "Warning", reason an
 * UP_EVENT_*); best effort: 0 when recorded or no recorder is set. */
int	 status_event(struct status_writer *, const cJSON *obj,
	    const char *type, const char *reason, const char *fmt, ...)
	    __attribute__((format(printf, 5, 6)));

#endif
