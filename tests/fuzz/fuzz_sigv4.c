/* Fuzz SigV4 canonicalization: the first line is "path?query", the next
 * lines are headers ("Name:value", continuation lines start with a space),
 * a blank line starts the body. Every canonical form and both signing
 * modes run over it; nothing may crash or leak. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/http.h"
#include "latticectl/sigv4.h"
#include "latticectl/xmalloc.h"

/* Add one header line to h (a continuation extends the last value). */
static void
fuzz_header(struct http_headers *h, const char *line)
{
	const char	*colon;
	char		*name, *v;

	if ((line[0] == ' ' || line[0] == '\t') && h->n > 0) {
		xasprintf(&v, "%s\n%s", h->v[h->n - 1].value, line);
		free(h->v[h->n - 1].value);
		h->v[h->n - 1].value = v;
		return;
	}
	if ((colon = strchr(line, ':')) == NULL)
		return;
	name = xstrndup(line, (size_t)(colon - line));
	http_headers_add(h, name, colon + 1);
	free(name);
}

/* Run every canonical form and both signing modes over one request. */
static void
fuzz_sign(struct sigv4_request *req, const char *list, int flags)
{
	struct sigv4_params	 p;
	struct sigv4_result	 res;
	char			*s, *q = NULL;

	memset(&p, 0, sizeof p);
	p.access_key = "AKIDEXAMPLE";
	p.secret_key = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
	p.session_token = (flags & 1) ? "token" : NULL;
	p.region = "us-east-1";
	p.service = "service";
	p.now = 1440938160;
	p.no_double_encode = flags & 2;
	p.no_normalize = flags & 4;
	p.sign_body_header = flags & 8;
	p.omit_session_token = flags & 16;
	free(sigv4_canonical_request(&p, req, NULL));
	free(sigv4_canonical_request(&p, req, list));
	free(sigv4_signed_headers(req->headers));
	if (sigv4_presign_result(&p, req, &q, &res, NULL) == 0)
		sigv4_result_free(&res);
	free(q);
	http_headers_add(req->headers, "Host", "example.amazonaws.com");
	if (sigv4_sign_result(&p, req, &res, NULL) == 0) {
		s = sigv4_string_to_sign("20150830T123600Z", "s",
		    res.canonical_request);
		free(s);
		sigv4_result_free(&res);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct http_headers	 h = { NULL, 0, 0 };
	struct sigv4_request	 req;
	char			*text, *line, *next, *path, *query = NULL;
	char			*body = NULL;
	int			 flags;

	if (size == 0)
		return 0;
	flags = data[0];
	text = xstrndup((const char *)data + 1, size - 1);
	next = strchr(text, '\n');
	if (next != NULL)
		*next++ = '\0';
	path = text;
	if ((query = strchr(path, '?')) != NULL)
		*query++ = '\0';
	for (line = next; line != NULL; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		if (*line == '\0') {
			body = next;
			break;
		}
		fuzz_header(&h, line);
	}
	free(sigv4_canonical_uri(path, 1, 1));
	free(sigv4_canonical_uri(path, 0, 0));
	free(sigv4_canonical_uri(path, 1, 0));
	free(sigv4_canonical_query(query));
	memset(&req, 0, sizeof req);
	req.method = "GET";
	req.path = path;
	req.query = query;
	req.headers = &h;
	req.payload = body;
	req.payload_len = body == NULL ? 0 : strlen(body);
	fuzz_sign(&req, h.n > 0 ? h.v[0].value : "host;x-amz-date", flags);
	http_headers_free(&h);
	free(text);
	return 0;
}
