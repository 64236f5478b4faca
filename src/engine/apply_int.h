/*
 * Internals of plan_apply (src/engine/apply*.c): one struct ax per run,
 * one function per operation kind. Operations take mu only around mirror
 * reads and writes, never across an API call.
 */
#ifndef LATTICECTL_ENGINE_APPLY_INT_H
#define LATTICECTL_ENGINE_APPLY_INT_H

#include "mirror_int.h"

enum ax_rc {
	AX_DONE,	/* executed */
	AX_DEFER,	/* waiting on a parent or a transition: requeue */
	AX_SURPRISE,	/* the mirror was wrong: refreshed, stop the pass */
	AX_FAIL		/* hard failure: x->r->error set */
};

struct ax {
	struct mirror			*m;
	const struct plan		*p;
	const struct lm_stack		*st;
	struct plan_result		*r;
};

/* apply.c */
enum ax_rc	 ax_fail(struct ax *, const struct plan_op *,
		    struct aws_error *);
/* Classify a failed call: NotFound/Conflict refresh via the callback
 * (may be NULL) and give SURPRISE (or DEFER when defer_conflict); any
 * other error FAIL. */
enum ax_rc	 ax_error(struct ax *, const struct plan_op *,
		    struct aws_error *, int (*refresh)(struct mirror *,
		    const char *, char **), const char *refresh_arg,
		    int defer_conflict);
/* The desired service entity (mu held), or NULL. */
struct mx_service *ax_service(struct ax *);
/* Is an entity status ACTIVE (or absent)? */
int		 ax_active(const char *status);
/* After a failed create of key: new token only after a Conflict. */
void		 ax_create_failed(struct ax *, const char *key,
		    const struct aws_error *);
/* Client token for a logical key and its request content. */
void		 ax_token(struct ax *, const char *key, const cJSON *content,
		    const char *extra, char out[65]);

/* apply_ops.c: target groups, targets, service, associations */
enum ax_rc	 ax_tg_create(struct ax *, const struct plan_op *);
enum ax_rc	 ax_tg_tag(struct ax *, const struct plan_op *);
enum ax_rc	 ax_tg_update(struct ax *, const struct plan_op *);
enum ax_rc	 ax_targets(struct ax *, const struct plan_op *);
enum ax_rc	 ax_tg_delete(struct ax *, const struct plan_op *);
enum ax_rc	 ax_svc_create(struct ax *, const struct plan_op *);
enum ax_rc	 ax_svc_tag(struct ax *, const struct plan_op *);
enum ax_rc	 ax_svc_update(struct ax *, const struct plan_op *);
enum ax_rc	 ax_svc_delete(struct ax *, const struct plan_op *);
enum ax_rc	 ax_assoc_create(struct ax *, const struct plan_op *);
enum ax_rc	 ax_assoc_delete(struct ax *, const struct plan_op *);

/* apply_rules.c: listeners and rules */
enum ax_rc	 ax_listener_create(struct ax *, const struct plan_op *);
enum ax_rc	 ax_listener_update(struct ax *, const struct plan_op *);
enum ax_rc	 ax_listener_delete(struct ax *, const struct plan_op *);
enum ax_rc	 ax_rule_create(struct ax *, const struct plan_op *);
enum ax_rc	 ax_rule_update(struct ax *, const struct plan_op *);
enum ax_rc	 ax_rule_delete(struct ax *, const struct plan_op *);

#endif
