/* Exponential backoff with full jitter. */
#include <limits.h>

#include "latticectl/backoff.h"
#include "latticectl/rand.h"

/* Start a backoff at attempt 0. */
void
backoff_init(struct backoff *b, uint64_t base_ms, uint64_t cap_ms)
{
	b->base_ms = base_ms;
	b->cap_ms = cap_ms;
	b->attempt = 0;
}

/* min(cap, base * 2^attempt), computed without overflow. */
uint64_t
backoff_ceiling(const struct backoff *b)
{
	uint64_t	v = b->base_ms;
	unsigned	i;

	for (i = 0; i < b->attempt && v != 0 && v < b->cap_ms; i++) {
		if (v > UINT64_MAX / 2) {
			v = UINT64_MAX;
			break;
		}
		v *= 2;
	}
	return v < b->cap_ms ? v : b->cap_ms;
}

/* A uniform delay in [0, ceiling]; then move to the next attempt. */
uint64_t
backoff_next(struct backoff *b)
{
	uint64_t	ceil = backoff_ceiling(b);
	uint64_t	d;

	if (ceil == UINT64_MAX)
		d = rand_u64();
	else
		d = rand_below(ceil + 1);
	if (b->attempt < UINT_MAX)
		b->attempt++;
	return d;
}

/* Back to the first attempt. */
void
backoff_reset(struct backoff *b)
{
	b->attempt = 0;
}
