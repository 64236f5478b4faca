/*
 * Builder internals shared by builder*.c (not a public header).
 *
 * One struct lm_build lives on the stack of lm_build_route for the
 * duration of one build; it borrows the config, sources and route and
 * owns managed_by, the gwapi resolution and, until it is handed to the
 * result, the stack.
 */
#ifndef LATTICECTL_BUILDER_INT_H
#define LATTICECTL_BUILDER_INT_H

#include <stdarg.h>

#include "latticectl/gwapi.h"
#include "latticectl/lmodel.h"

/* The protocol family a target group serves. */
enum lm_tg_family {
	LM_FAMILY_HTTP,
	LM_FAMILY_GRPC,
	LM_FAMILY_TLS
};

struct lm_build {
	const struct lm_config	*cfg;
	const struct lm_sources	*src;
	const struct gw_route	*route;
	enum lm_source_kind	 kind;
	char			*managed_by;
	struct gw_resolution	 res;
	struct lm_stack		*stack;
	struct lm_route_result	*out;
	/* The gateway whose listeners the service gets (first lattice
	 * gateway with an accepted parentRef), NULL when none. */
	const struct gw_gateway	*gateway;
};

/* builder.c */
void	 lm_sort(void *, size_t, size_t, int (*)(const void *, const void *));
void	 lm_warn(struct lm_route_result *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* Set Accepted False with reason and message on every lattice parent. */
void	 lm_reject(struct lm_build *, const char *reason, const char *fmt,
	    ...) __attribute__((format(printf, 3, 4)));
/* Append one target group to the stack; returns it (zeroed but kind). */
struct lm_target_group *lm_stack_add_tg(struct lm_stack *);
/* The stack's target group with that key, or NULL. */
struct lm_target_group *lm_stack_find_tg(struct lm_stack *, const char *key);
void	 lm_tg_clear(struct lm_target_group *);
void	 lm_action_clear(struct lm_action *);
void	 lm_match_clear(struct lm_match *);

/* builder_service.c */
/* The service name the route wants (override or default); NULL with a
 * rejection when invalid. */
char	*lm_route_service_name(const struct gw_route *, char **cause);
/* Whether another route already holds this route's service name; sets
 * the Conflicted status and returns 1. */
int	 lm_check_collision(struct lm_build *, const char *name);
void	 lm_build_service(struct lm_build *, const char *name);
void	 lm_build_listeners(struct lm_build *);

/* builder_rules.c */
/* The forward (or fixed 500) action of spec.rules[i]. */
void	 lm_rule_action(struct lm_build *, size_t rule, struct lm_action *);
/* Rules for one HTTP/HTTPS listener. */
void	 lm_build_rules(struct lm_build *, struct lm_listener *);
void	 lm_action_copy(struct lm_action *dst, const struct lm_action *src);

/* builder_tg.c */
/* Add the target groups of every resolved backend of the route. */
void	 lm_build_route_tgs(struct lm_build *);
/* The key of a resolved backend's target group (allocated), or NULL. */
char	*lm_backend_tg_key(const struct lm_build *,
	    const struct gw_backend_result *);

/* builder_targets.c */
/* Fill tg->targets from the Service's EndpointSlices; ports are the
 * Service ports the TG serves (n 0: all). */
void	 lm_build_targets(const struct lm_sources *, const struct gw_service *,
	    const int32_t *ports, size_t n, struct lm_target_group *tg);

#endif
