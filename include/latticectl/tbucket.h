/*
 * Token bucket, thread-safe. rate tokens per second, up to burst. The
 * caller owns the struct; tbucket_free releases the mutex only.
 */
#ifndef LATTICECTL_TBUCKET_H
#define LATTICECTL_TBUCKET_H

#include <pthread.h>
#include <stdint.h>

struct tbucket {
	pthread_mutex_t	lock;
	double		rate;	/* tokens per second; <= 0 means unlimited */
	double		burst;
	double		tokens;
	uint64_t	last_us;
};

void	 tbucket_init(struct tbucket *, double rate, double burst);
void	 tbucket_free(struct tbucket *);
/* Take one token; returns how many ms the caller must wait first (0 = go). */
uint64_t tbucket_reserve(struct tbucket *);
/* Take one token only if available now; 1 taken, 0 not. */
int	 tbucket_try(struct tbucket *);
/* Reserve and sleep as needed. */
void	 tbucket_take(struct tbucket *);
void	 tbucket_set_rate(struct tbucket *, double rate);
double	 tbucket_get_rate(struct tbucket *);

#endif
