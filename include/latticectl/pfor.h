/*
 * A parallel for: run fn(arg, i) for every i in [0, n) on a few threads
 * (the caller's included) and wait for all of them. fn must be
 * thread-safe for distinct i; arg is the caller's and shared.
 */
#ifndef LATTICECTL_PFOR_H
#define LATTICECTL_PFOR_H

#include <stddef.h>

typedef int	(*pfor_fn)(void *arg, size_t i);

/* Run fn over [0, n) on up to threads threads. Once an item returns
 * non-zero no new item starts (those running finish); returns the first
 * non-zero result, or 0 when every item returned 0. */
int	 pfor_run(size_t n, unsigned threads, pfor_fn fn, void *arg);

#endif
