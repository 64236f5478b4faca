/* Fuzz the simulated Kubernetes API server's request handling: method,
 * path and query, content type, Accept and body go straight into
 * sim_kube_handle (no server). Input: four lines (method, target, content
 * type, accept) then the body. Watches are read once and released. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/httpd.h"
#include "latticectl/log.h"
#include "latticectl/xmalloc.h"
#include "../../src/sim/sim_kube.h"

#define RESET_EVERY	2000

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Next line of the input (copied), advancing *p. */
static char *
next_line(const char **p, const char *end)
{
	const char	*nl = memchr(*p, '\n', (size_t)(end - *p));
	char		*line;

	if (nl == NULL)
		nl = end;
	line = xstrndup(*p, (size_t)(nl - *p));
	*p = nl < end ? nl + 1 : end;
	return line;
}

/* A small simulator with tight bounds (recreated now and then). */
static struct sim_kube *
fuzz_sim(void)
{
	static struct sim_kube	*k;
	static unsigned		 runs;
	struct sim_kube_opts	 o;

	if (k != NULL && ++runs % RESET_EVERY == 0) {
		sim_kube_free(k);
		k = NULL;
	}
	if (k == NULL) {
		memset(&o, 0, sizeof o);
		o.anonymous = 1;
		o.no_controllers = 1;
		o.history = 16;
		o.max_objects = 64;
		o.watch_wait_ms = 1;
		log_open(LOG_LEVEL_OFF, LOG_FORMAT_TEXT, NULL);
		k = sim_kube_new(&o);
	}
	return k;
}

/* Run one request through the handler. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct httpd_request	 req;
	struct httpd_response	 resp;
	const char		*p = (const char *)data, *end = p + size;
	char			*method, *target, *ctype, *accept, *q, buf[512];

	method = next_line(&p, end);
	target = next_line(&p, end);
	ctype = next_line(&p, end);
	accept = next_line(&p, end);
	memset(&req, 0, sizeof req);
	memset(&resp, 0, sizeof resp);
	if ((q = strchr(target, '?')) != NULL)
		*q++ = '\0';
	req.method = method;
	req.path = target;
	req.raw_path = target;
	req.query = q != NULL ? q : "";
	req.body = p;
	req.body_len = (size_t)(end - p);
	req.remote = "fuzz";
	if (*ctype != '\0')
		http_headers_add(&req.headers, "Content-Type", ctype);
	if (*accept != '\0')
		http_headers_add(&req.headers, "Accept", accept);
	strbuf_init(&resp.body);
	resp.status = 200;
	sim_kube_handle(fuzz_sim(), &req, &resp);
	if (resp.stream != NULL) {
		resp.stream(resp.stream_arg, buf, sizeof buf);
		if (resp.stream_free != NULL)
			resp.stream_free(resp.stream_arg);
	}
	http_headers_free(&req.headers);
	http_headers_free(&resp.headers);
	strbuf_free(&resp.body);
	free(method);
	free(target);
	free(ctype);
	free(accept);
	return 0;
}
