/* Fuzz the response header line parser and the URL percent codec. Input
 * lines feed http_headers_parse_line; the whole input (up to a NUL) goes
 * through decode and an encode/decode round trip. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/http.h"
#include "latticectl/xmalloc.h"

/* Abort unless every parsed header is well formed. */
static void
check_headers(const struct http_headers *h)
{
	size_t	i, vlen;

	for (i = 0; i < h->n; i++) {
		if (h->v[i].name[0] == '\0' ||
		    strpbrk(h->v[i].name, ": \t\r\n") != NULL)
			abort();
		if (http_headers_get(h, h->v[i].name) == NULL)
			abort();
		vlen = strlen(h->v[i].value);
		if (vlen > 0 && strchr(" \t\r\n", h->v[i].value[vlen - 1]) != NULL)
			abort();
	}
}

/* Split data into lines and parse each. */
static void
fuzz_lines(const char *data, size_t size)
{
	struct http_headers	 h = { NULL, 0, 0 };
	const char		*p = data, *end = data + size, *nl;
	size_t			 len;

	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		len = nl != NULL ? (size_t)(nl - p) + 1 : (size_t)(end - p);
		(void)http_headers_parse_line(&h, p, len);
		p += len;
	}
	check_headers(&h);
	http_headers_del(&h, "content-type");
	if (http_headers_get(&h, "Content-Type") != NULL)
		abort();
	http_headers_free(&h);
}

/* Decode the input, and check that decode(encode(s)) == s. */
static void
fuzz_codec(const char *data, size_t size)
{
	char	*s, *dec, *enc, *back;

	s = xstrndup(data, size);
	dec = http_urldecode(s);
	if (strlen(dec) > strlen(s))
		abort();
	enc = http_urlencode(s, size > 0 && (data[0] & 1));
	back = http_urldecode(enc);
	if (strcmp(back, s) != 0)
		abort();
	free(back);
	free(enc);
	free(dec);
	free(s);
}

/* One fuzz input. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_lines((const char *)data, size);
	fuzz_codec((const char *)data, size);
	return 0;
}
