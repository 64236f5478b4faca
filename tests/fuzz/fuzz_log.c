/* Fuzz log_redact: any text redacts without reading out of bounds, and
 * a registered secret never survives. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/log.h"

#define FUZZ_SECRET	"Zq9SECRETvalue"

/* One input. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*s, *r;

	if (size > 65536)
		return 0;
	s = malloc(size + 1);
	memcpy(s, data, size);
	s[size] = '\0';
	log_add_secret(FUZZ_SECRET);
	r = log_redact(s);
	if (strstr(r, FUZZ_SECRET) != NULL)
		abort();
	free(r);
	free(s);
	return 0;
}
