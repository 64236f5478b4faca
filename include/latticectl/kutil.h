/*
 * Reconciler helpers over the Kubernetes REST client: optimistic updates
 * (GET, change, PUT with the resourceVersion read, retry on 409 Conflict),
 * finalizers, status conditions with Gateway API (metav1.Condition)
 * semantics, and annotation merge patches.
 *
 * Conditions: setting a condition replaces reason, message and
 * observedGeneration; lastTransitionTime is set (to now, RFC 3339 in
 * seconds) only when the condition is new or its status changes. The
 * functions report whether anything changed, so unchanged status is
 * never written.
 *
 * Ownership: trees passed in are only read unless documented as changed
 * in place; *out trees belong to the caller. Strings in struct
 * kube_condition are the caller's and are copied into the tree.
 */
#ifndef LATTICECTL_KUTIL_H
#define LATTICECTL_KUTIL_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "latticectl/kube.h"

#define KUBE_CONFLICT_ATTEMPTS	5	/* default attempts on 409 */

/* Change obj in place for an optimistic update: return 1 when changed
 * (it is written), 0 when nothing needs writing, -1 to give up with
 * *cause set. */
typedef int (*kube_mutate_fn)(void *arg, cJSON *obj, char **cause);

/* GET ns/name, mutate, PUT it back (to /status when status is set) with
 * the resourceVersion read; on 409 Conflict start over, up to attempts
 * (0: KUBE_CONFLICT_ATTEMPTS). *out (may be NULL) gets the object as
 * written, or as read when nothing changed. A mutate failure returns -1
 * with e->status 0 and e->message from its cause. */
int	 kube_update_retry(struct kube_client *, const struct kube_resource *,
	    const char *ns, const char *name, int status, unsigned attempts,
	    kube_mutate_fn, void *arg, cJSON **out, struct kube_error *);

/* Finalizers on a tree: has, add (1 added, 0 already there), remove (1
 * removed, 0 absent). */
int	 kube_finalizer_has(const cJSON *obj, const char *finalizer);
int	 kube_finalizer_add_local(cJSON *obj, const char *finalizer);
int	 kube_finalizer_remove_local(cJSON *obj, const char *finalizer);
/* Add or remove a finalizer on the server with conflict retries. Adding
 * to an object being deleted fails (as the API server would refuse it);
 * removing one that is absent writes nothing. */
int	 kube_finalizer_add(struct kube_client *, const struct kube_resource *,
	    const char *ns, const char *name, const char *finalizer,
	    cJSON **out, struct kube_error *);
int	 kube_finalizer_remove(struct kube_client *,
	    const struct kube_resource *, const char *ns, const char *name,
	    const char *finalizer, cJSON **out, struct kube_error *);

struct kube_condition {
	const char	*type;		/* "Accepted", "Programmed", ... */
	const char	*status;	/* "True", "False", "Unknown" */
	const char	*reason;
	const char	*message;	/* NULL: "" */
	int64_t		 observed_generation;	/* < 0: the object's */
};

/* The condition of a type in a conditions array, or NULL. */
cJSON	*kube_conditions_find(const cJSON *conditions, const char *type);
/* Whether the array holds type with status. */
int	 kube_conditions_is(const cJSON *conditions, const char *type,
	    const char *status);
/* Set one condition in an array (changed in place); now is the
 * transition time for a new status. Returns 1 when anything changed. */
int	 kube_conditions_set(cJSON *conditions, const struct kube_condition *,
	    const struct timespec *now);
/* status.conditions of obj, created when missing (obj changed). */
cJSON	*kube_status_conditions(cJSON *obj);
/* The conditions of the status.parents[] entry for parent_ref and
 * controller (a route's per-parent status), created when missing; the
 * entry's parentRef is set to a copy of parent_ref. */
cJSON	*kube_status_parent_conditions(cJSON *obj, const cJSON *parent_ref,
	    const char *controller);
/* Set conditions on obj's status.conditions; observed_generation < 0
 * takes metadata.generation (Gateway API keeps it per condition). Returns
 * 1 when anything changed. */
int	 kube_status_set_local(cJSON *obj, const struct kube_condition *,
	    size_t n, const struct timespec *now);
/* The same on the server through the /status subresource, with conflict
 * retries; nothing is written when nothing changed. */
int	 kube_status_set_conditions(struct kube_client *,
	    const struct kube_resource *, const char *ns, const char *name,
	    const struct kube_condition *, size_t n, cJSON **out,
	    struct kube_error *);

/* Merge-patch annotations: kv holds n key/value pairs (kv[2i], kv[2i+1]);
 * a NULL value removes the key. */
int	 kube_annotations_patch(struct kube_client *,
	    const struct kube_resource *, const char *ns, const char *name,
	    const char *const *kv, size_t n, cJSON **out, struct kube_error *);

#endif
