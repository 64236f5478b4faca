/* Randomness from the kernel via getrandom(2). */
#include <sys/random.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/rand.h"

/* Fill buf with len random bytes; aborts if the kernel refuses. */
void
rand_bytes(void *buf, size_t len)
{
	unsigned char	*p = buf;
	ssize_t		 n;

	while (len > 0) {
		n = getrandom(p, len, 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "latticectl: getrandom: %s\n",
			    strerror(errno));
			abort();
		}
		p += n;
		len -= (size_t)n;
	}
}

/* A random 64-bit value. */
uint64_t
rand_u64(void)
{
	uint64_t	v;

	rand_bytes(&v, sizeof v);
	return v;
}

/* Uniform in [0, n): reject the 2^64 mod n lowest values, then reduce. */
uint64_t
rand_below(uint64_t n)
{
	uint64_t	v, min;

	if (n <= 1)
		return 0;
	min = -n % n;		/* 2^64 mod n */
	do
		v = rand_u64();
	while (v < min);
	return v % n;
}

/* A random version 4 UUID in lower-case hex with dashes. */
void
rand_uuid4(char out[37])
{
	static const char	hex[] = "0123456789abcdef";
	unsigned char		b[16];
	size_t			i, o = 0;

	rand_bytes(b, sizeof b);
	b[6] = (b[6] & 0x0f) | 0x40;	/* version 4 */
	b[8] = (b[8] & 0x3f) | 0x80;	/* variant 10xx */
	for (i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[o++] = '-';
		out[o++] = hex[b[i] >> 4];
		out[o++] = hex[b[i] & 0x0f];
	}
	out[o] = '\0';
}
