/*
 * Exponential backoff with full jitter: the delay before attempt n is a
 * uniform random value in [0, min(cap, base * 2^n)]. Plain value type.
 */
#ifndef LATTICECTL_BACKOFF_H
#define LATTICECTL_BACKOFF_H

#include <stdint.h>

struct backoff {
	uint64_t	base_ms;
	uint64_t	cap_ms;
	unsigned	attempt;
};

void	 backoff_init(struct backoff *, uint64_t base_ms, uint64_t cap_ms);
/* The next delay in ms; advances the attempt count. */
uint64_t backoff_next(struct backoff *);
/* The ceiling for the current attempt without advancing (no jitter). */
uint64_t backoff_ceiling(const struct backoff *);
void	 backoff_reset(struct backoff *);

#endif
