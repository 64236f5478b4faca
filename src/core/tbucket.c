/* Token bucket on the monotonic clock; reservations may run into debt. */
#include <math.h>

#include "latticectl/tbucket.h"
#include "latticectl/timeutil.h"

/* A bucket starting full. */
void
tbucket_init(struct tbucket *tb, double rate, double burst)
{
	pthread_mutex_init(&tb->lock, NULL);
	if (!(burst >= 1))
		burst = 1;
	tb->rate = rate;
	tb->burst = burst;
	tb->tokens = burst;
	tb->last_us = time_mono_us();
}

/* Release the mutex. */
void
tbucket_free(struct tbucket *tb)
{
	pthread_mutex_destroy(&tb->lock);
}

/* Add the tokens earned since the last refill (lock held). */
static void
tbucket_refill(struct tbucket *tb)
{
	uint64_t	now = time_mono_us();

	if (now > tb->last_us && tb->rate > 0) {
		tb->tokens += (double)(now - tb->last_us) / 1e6 * tb->rate;
		if (tb->tokens > tb->burst)
			tb->tokens = tb->burst;
	}
	tb->last_us = now;
}

/* Take a token now, possibly going into debt; returns the wait in ms. */
uint64_t
tbucket_reserve(struct tbucket *tb)
{
	double	wait_ms = 0;

	pthread_mutex_lock(&tb->lock);
	if (!(tb->rate > 0)) {
		pthread_mutex_unlock(&tb->lock);
		return 0;
	}
	tbucket_refill(tb);
	tb->tokens -= 1;
	if (tb->tokens < 0)
		wait_ms = ceil(-tb->tokens / tb->rate * 1000.0);
	if (!(wait_ms < 1e15))
		wait_ms = 1e15;	/* absurd rates: ~31,000 years */
	pthread_mutex_unlock(&tb->lock);
	return (uint64_t)wait_ms;
}

/* Take a token only if one is there right now. */
int
tbucket_try(struct tbucket *tb)
{
	int	ok = 1;

	pthread_mutex_lock(&tb->lock);
	if (tb->rate > 0) {
		tbucket_refill(tb);
		if (tb->tokens >= 1)
			tb->tokens -= 1;
		else
			ok = 0;
	}
	pthread_mutex_unlock(&tb->lock);
	return ok;
}

/* Reserve a token and sleep until it is ours. */
void
tbucket_take(struct tbucket *tb)
{
	uint64_t	ms = tbucket_reserve(tb);

	if (ms > 0)
		time_sleep_ms(ms);
}

/* Change the rate, settling the tokens earned at the old rate first. */
void
tbucket_set_rate(struct tbucket *tb, double rate)
{
	pthread_mutex_lock(&tb->lock);
	tbucket_refill(tb);
	if (!(tb->rate > 0) && rate > 0)
		tb->tokens = tb->burst;	/* was unlimited: start full */
	tb->rate = rate;
	if (tb->tokens > tb->burst)
		tb->tokens = tb->burst;
	if (rate > 0 && tb->tokens < -tb->burst)
		tb->tokens = -tb->burst;	/* bound inherited debt */
	pthread_mutex_unlock(&tb->lock);
}

/* The current rate (<= 0 means unlimited). */
double
tbucket_get_rate(struct tbucket *tb)
{
	double	r;

	pthread_mutex_lock(&tb->lock);
	r = tb->rate;
	pthread_mutex_unlock(&tb->lock);
	return r;
}
