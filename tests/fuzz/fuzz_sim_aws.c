/*
 * Fuzz the simulator's AWS request handling (sim_aws_handle): SigV4
 * parsing and verification, routing, JSON bodies, every Lattice handler.
 *
 * Input: up to 8 requests separated by "\n--\n", run in order on a fresh
 * simulator. Each is "FLAGS METHOD TARGET\nName: value\n...\n\nBODY".
 * FLAGS 'S' signs the request with the seeded key (so it reaches the
 * service), 'P' presigns it, anything else sends it as is. In the target
 * and body, "{id}" and "{arn}" become the last id/arn a response returned,
 * so sequences can build services, listeners, rules and targets.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/json.h"
#include "latticectl/sigv4.h"
#include "latticectl/strbuf.h"
#include "latticectl/xmalloc.h"
#include "../../src/sim/sim_aws.h"

#define FZ_MAX_REQS	8

struct fz {
	struct sim_aws	*sim;
	char		 id[128];
	char		 arn[512];
};

/* Replace {id} and {arn} in len bytes of s (caller frees). */
static char *
fz_subst(const struct fz *z, const char *s, size_t len)
{
	struct strbuf	sb = STRBUF_INIT;
	size_t		i;

	for (i = 0; i < len; i++) {
		if (len - i >= 4 && memcmp(s + i, "{id}", 4) == 0) {
			strbuf_adds(&sb, z->id);
			i += 3;
		} else if (len - i >= 5 && memcmp(s + i, "{arn}", 5) == 0) {
			strbuf_adds(&sb, z->arn);
			i += 4;
		} else
			strbuf_addc(&sb, s[i]);
	}
	strbuf_addc(&sb, '\0');
	sb.len--;
	return strbuf_detach(&sb, NULL);
}

/* Remember the id/arn of a JSON answer for later requests. */
static void
fz_remember(struct fz *z, const struct httpd_response *resp)
{
	cJSON		*j;
	const char	*s;

	if (resp->body.buf == NULL)
		return;
	j = cJSON_Parse(resp->body.buf);
	if ((s = json_str(j, "id")) != NULL)
		snprintf(z->id, sizeof z->id, "%s", s);
	if ((s = json_str(j, "arn")) != NULL)
		snprintf(z->arn, sizeof z->arn, "%s", s);
	cJSON_Delete(j);
}

/* Parse the header lines of a request into h; returns the body start. */
static const char *
fz_headers(const char *p, struct http_headers *h)
{
	const char	*nl, *colon;
	char		*name, *value;

	while (*p != '\0' && *p != '\n') {
		nl = strchr(p, '\n');
		if (nl == NULL)
			nl = p + strlen(p);
		colon = memchr(p, ':', (size_t)(nl - p));
		if (colon != NULL) {
			name = xstrndup(p, (size_t)(colon - p));
			value = xstrndup(colon + 1, (size_t)(nl - colon - 1));
			http_headers_add(h, name, value[0] == ' ' ? value + 1 :
			    value);
			free(name);
			free(value);
		}
		p = *nl == '\0' ? nl : nl + 1;
	}
	return *p == '\n' ? p + 1 : p;
}

/* Sign or presign the request; *query may be replaced (then freed). */
static void
fz_sign(struct fz *z, char flag, const char *method, const char *path,
    char **query, struct http_headers *h, const char *body)
{
	struct sigv4_params	 p;
	struct sigv4_request	 r;
	char			*q = NULL;

	memset(&p, 0, sizeof p);
	p.access_key = SIM_ACCESS_KEY;
	p.secret_key = SIM_SECRET_KEY;
	p.region = SIM_REGION;
	p.service = "vpc-lattice";
	p.now = (time_t)(sim_aws_now_ms(z->sim) / 1000);
	memset(&r, 0, sizeof r);
	r.method = method;
	r.path = path;
	r.query = *query;
	r.headers = h;
	r.payload = body;
	r.payload_len = strlen(body);
	if (http_headers_get(h, "Host") == NULL)
		http_headers_add(h, "Host", "127.0.0.1:1");
	if (flag == 'S')
		sigv4_sign(&p, &r, NULL);
	else if (sigv4_presign(&p, &r, &q, NULL) == 0) {
		free(*query);
		*query = q;
	}
}

/* Run one request of the input. */
static void
fz_one(struct fz *z, const char *text)
{
	struct http_headers	 h = { NULL, 0, 0 };
	struct httpd_request	 req;
	struct httpd_response	 resp;
	char			 flag, method[16], *target, *path, *query, *qm;
	const char		*p, *body;
	size_t			 n;

	flag = text[0];
	p = text[0] != '\0' ? text + 1 : text;
	while (*p == ' ')
		p++;
	n = strcspn(p, " \n");
	snprintf(method, sizeof method, "%.*s", (int)(n < 15 ? n : 15), p);
	p += n;
	while (*p == ' ')
		p++;
	n = strcspn(p, "\n");
	target = xstrndup(p, n);
	p += n;
	if (*p == '\n')
		p++;
	body = fz_headers(p, &h);
	path = xstrdup(target);
	query = xstrdup("");
	if ((qm = strchr(path, '?')) != NULL) {
		free(query);
		query = xstrdup(qm + 1);
		*qm = '\0';
	}
	if (flag == 'S' || flag == 'P')
		fz_sign(z, flag, method, path, &query, &h, body);
	memset(&req, 0, sizeof req);
	memset(&resp, 0, sizeof resp);
	req.method = method;
	req.path = path;
	req.raw_path = path;
	req.query = query;
	req.headers = h;
	req.body = body;
	req.body_len = strlen(body);
	req.remote = "127.0.0.1:1";
	sim_aws_handle(z->sim, &req, &resp);
	if (resp.status < 100 || resp.status > 599)
		abort();
	fz_remember(z, &resp);
	strbuf_free(&resp.body);
	http_headers_free(&resp.headers);
	http_headers_free(&h);
	free(target);
	free(path);
	free(query);
}

/* Run the requests of one input on a fresh simulator. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz	 z;
	char		*text, *cur, *sep, *req;
	int		 n = 0;

	if (size > 64 * 1024)
		return 0;
	text = xstrndup((const char *)data, size);
	memset(&z, 0, sizeof z);
	z.sim = sim_aws_new(NULL);
	for (cur = text; cur != NULL && n < FZ_MAX_REQS; n++) {
		sep = strstr(cur, "\n--\n");
		if (sep != NULL)
			*sep = '\0';
		req = fz_subst(&z, cur, strlen(cur));
		fz_one(&z, req);
		free(req);
		cur = sep != NULL ? sep + 4 : NULL;
	}
	sim_aws_free(z.sim);
	free(text);
	return 0;
}
