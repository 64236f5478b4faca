/* Randomness from the kernel (getrandom); never seeded by hand. */
#ifndef LATTICECTL_RAND_H
#define LATTICECTL_RAND_H

#include <stddef.h>
#include <stdint.h>

void	 rand_bytes(void *, size_t);
uint64_t rand_u64(void);
/* Uniform in [0, n); n > 0. */
uint64_t rand_below(uint64_t n);
/* A version 4 UUID, lower-case, 36 chars + NUL. */
void	 rand_uuid4(char out[37]);

#endif
