/* Base64 encoding and decoding with OpenSSL's EVP block coder. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "latticectl/base64.h"
#include "latticectl/xmalloc.h"

/* Encode len bytes as padded base64. */
char *
base64_encode(const void *data, size_t len)
{
	char	*out = xmalloc(4 * ((len + 2) / 3) + 1);
	size_t	 done = 0, chunk, o = 0;

	/* EVP_EncodeBlock takes an int length: go in 3-byte aligned chunks. */
	while (done < len) {
		chunk = len - done > 3 * (1 << 20) ? 3 * (1 << 20) : len - done;
		o += (size_t)EVP_EncodeBlock((unsigned char *)out + o,
		    (const unsigned char *)data + done, (int)chunk);
		done += chunk;
	}
	out[o] = '\0';
	return out;
}

/* Decode base64 text, skipping whitespace; NULL when malformed. */
char *
base64_decode(const char *text, size_t *lenp)
{
	size_t	 n = 0, i, pad = 0, olen;
	char	*clean, *out;
	int	 r;

	clean = xmalloc(strlen(text) + 1);
	for (i = 0; text[i] != '\0'; i++) {
		if (!isspace((unsigned char)text[i]))
			clean[n++] = text[i];
	}
	clean[n] = '\0';
	if (n % 4 != 0 || n > (size_t)1 << 30) {
		free(clean);
		return NULL;
	}
	out = xmalloc(n / 4 * 3 + 1);
	r = EVP_DecodeBlock((unsigned char *)out, (unsigned char *)clean,
	    (int)n);
	if (n >= 1 && clean[n - 1] == '=')
		pad++;
	if (n >= 2 && clean[n - 2] == '=')
		pad++;
	free(clean);
	if (r < 0) {
		free(out);
		return NULL;
	}
	olen = (size_t)r - pad;
	out[olen] = '\0';
	if (lenp != NULL)
		*lenp = olen;
	return out;
}
