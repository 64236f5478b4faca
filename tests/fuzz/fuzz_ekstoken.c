/* Fuzz EKS token decoding (the simulator decodes untrusted bearer
 * tokens); the input is the token text. A decoded token must be an
 * http(s) URL: the scheme policy (https, or http to the simulator on
 * loopback) is the verifier's. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/ekstoken.h"
#include "latticectl/xmalloc.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*token, *url = NULL, *cause = NULL;

	token = xstrndup((const char *)data, size);
	if (ekstoken_decode(token, &url, &cause) == 0 &&
	    strncmp(url, "https://", 8) != 0 &&
	    strncmp(url, "http://", 7) != 0)
		abort();
	free(url);
	free(cause);
	free(token);
	return 0;
}
