/*
 * Helpers of the simulated EC2/IAM/STS/EKS unit tests
 * (test_sim_aws_{ec2,iam,eks}.c): signed requests handed straight to
 * sim_aws_handle (signed here with sigv4_sign, as a client would), and
 * namespace-blind XPath reads of the XML answers. Header-only (static
 * inline) so each test binary stays one file.
 */
#ifndef TEST_SIM_SVCS_H
#define TEST_SIM_SVCS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libxml/parser.h>
#include <libxml/xpath.h>

#include "latticectl/aws.h"
#include "latticectl/httpd.h"
#include "latticectl/sigv4.h"
#include "latticectl/strbuf.h"
#include "latticectl/xmalloc.h"
#include "../../src/sim/sim_aws.h"
#include "../../src/sim/sim_aws_lab.h"

/* One answer. */
struct sreply {
	int	 status;
	char	*body;
	char	*ctype;
	char	*errtype;	/* X-Amzn-ErrorType, or NULL */
};

static inline void
sreply_free(struct sreply *r)
{
	free(r->body);
	free(r->ctype);
	free(r->errtype);
	memset(r, 0, sizeof *r);
}

/* The seeded principal. */
static inline struct aws_creds
sim_admin_creds(void)
{
	struct aws_creds	c;

	memset(&c, 0, sizeof c);
	c.access_key_id = (char *)SIM_ACCESS_KEY;
	c.secret_access_key = (char *)SIM_SECRET_KEY;
	return c;
}

/* A request to the simulator, signed with creds unless creds is NULL. */
static inline struct sreply
sim_call(struct sim_aws *sim, const char *method, const char *service,
    const char *region, const char *path, const char *query,
    const char *body, const char *ctype, const char *accept,
    const struct aws_creds *creds)
{
	struct sigv4_params	 p;
	struct sigv4_request	 r;
	struct http_headers	 h = { NULL, 0, 0 };
	struct httpd_request	 req;
	struct httpd_response	 resp;
	struct sreply		 out;
	char			*cause = NULL;
	const char		*v;

	http_headers_add(&h, "Host", "127.0.0.1:4566");
	if (ctype != NULL)
		http_headers_add(&h, "Content-Type", ctype);
	if (accept != NULL)
		http_headers_add(&h, "Accept", accept);
	if (creds != NULL) {
		memset(&p, 0, sizeof p);
		p.access_key = creds->access_key_id;
		p.secret_key = creds->secret_access_key;
		p.session_token = creds->session_token;
		p.region = region;
		p.service = service;
		p.now = (time_t)(sim_aws_now_ms(sim) / 1000);
		memset(&r, 0, sizeof r);
		r.method = method;
		r.path = path;
		r.query = query;
		r.headers = &h;
		r.payload = body;
		r.payload_len = body != NULL ? strlen(body) : 0;
		if (sigv4_sign(&p, &r, &cause) != 0) {
			fprintf(stderr, "sign: %s\n", cause);
			abort();
		}
	}
	memset(&req, 0, sizeof req);
	memset(&resp, 0, sizeof resp);
	req.method = method;
	req.path = path;
	req.raw_path = path;
	req.query = query != NULL ? query : "";
	req.headers = h;
	req.body = body;
	req.body_len = body != NULL ? strlen(body) : 0;
	req.remote = "127.0.0.1:1";
	sim_aws_handle(sim, &req, &resp);
	out.status = resp.status;
	out.body = xstrdup(strbuf_str(&resp.body));
	v = http_headers_get(&resp.headers, "Content-Type");
	out.ctype = xstrdup_or_null(v);
	v = http_headers_get(&resp.headers, "X-Amzn-ErrorType");
	out.errtype = xstrdup_or_null(v);
	http_headers_free(&h);
	http_headers_free(&resp.headers);
	strbuf_free(&resp.body);
	return out;
}

/* A signed query-protocol POST (form body) to a service. */
static inline struct sreply
sim_form(struct sim_aws *sim, const char *service, const char *form,
    const struct aws_creds *creds)
{
	return sim_call(sim, "POST", service, SIM_REGION, "/", NULL, form,
	    "application/x-www-form-urlencoded; charset=utf-8", NULL, creds);
}

/* The seeded admin's EC2, IAM, STS calls. */
static inline struct sreply
ec2_q(struct sim_aws *sim, const char *form)
{
	struct aws_creds c = sim_admin_creds();

	return sim_form(sim, "ec2", form, &c);
}

static inline struct sreply
iam_q(struct sim_aws *sim, const char *form)
{
	struct aws_creds c = sim_admin_creds();

	return sim_call(sim, "POST", "iam", "us-east-1", "/", NULL, form,
	    "application/x-www-form-urlencoded; charset=utf-8", NULL, &c);
}

static inline struct sreply
sts_q(struct sim_aws *sim, const char *form)
{
	struct aws_creds c = sim_admin_creds();

	return sim_form(sim, "sts", form, &c);
}

/* A signed EKS rest-json call. */
static inline struct sreply
eks_q(struct sim_aws *sim, const char *method, const char *path,
    const char *query, const char *json)
{
	struct aws_creds c = sim_admin_creds();

	return sim_call(sim, method, "eks", SIM_REGION, path, query, json,
	    json != NULL ? "application/json" : NULL, NULL, &c);
}

/* "a/b/c" as a namespace-blind XPath from anywhere. */
static inline char *
xp_expr(const char *path)
{
	struct strbuf	 sb = STRBUF_INIT;
	const char	*p = path, *end;

	while (*p != '\0') {
		end = p + strcspn(p, "/");
		strbuf_addf(&sb, "%s*[local-name()='%.*s']", sb.len == 0 ?
		    "//" : "/", (int)(end - p), p);
		p = *end == '/' ? end + 1 : end;
	}
	return strbuf_detach(&sb, NULL);
}

/* Evaluate path on xml: node count, and the n'th node's text in *text
 * (caller frees; NULL when absent). -1 when xml does not parse. */
static inline int
xp_eval(const char *xml, const char *path, int n, char **text)
{
	xmlDocPtr		 doc;
	xmlXPathContextPtr	 ctx;
	xmlXPathObjectPtr	 obj;
	xmlChar			*c;
	char			*expr;
	int			 count = 0;

	if (text != NULL)
		*text = NULL;
	doc = xmlReadMemory(xml, (int)strlen(xml), "reply.xml", NULL,
	    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (doc == NULL)
		return -1;
	ctx = xmlXPathNewContext(doc);
	expr = xp_expr(path);
	obj = xmlXPathEvalExpression((const xmlChar *)expr, ctx);
	if (obj != NULL && obj->nodesetval != NULL) {
		count = obj->nodesetval->nodeNr;
		if (text != NULL && n < count) {
			c = xmlNodeGetContent(obj->nodesetval->nodeTab[n]);
			*text = xstrdup((const char *)c);
			xmlFree(c);
		}
	}
	xmlXPathFreeObject(obj);
	xmlXPathFreeContext(ctx);
	xmlFreeDoc(doc);
	free(expr);
	return count;
}

/* The first text at path (caller frees), or NULL. */
static inline char *
xp_text(const char *xml, const char *path)
{
	char	*t;

	xp_eval(xml, path, 0, &t);
	return t;
}

/* How many nodes match path. */
static inline int
xp_count(const char *xml, const char *path)
{
	return xp_eval(xml, path, 0, NULL);
}

/* The error code of an XML error answer (Error/Code), or NULL. */
static inline char *
xp_code(const char *xml)
{
	return xp_text(xml, "Error/Code");
}

/* A new simulator with the lab services and topology. */
static inline struct sim_aws *
sim_lab_new(unsigned create_ms, unsigned delete_ms)
{
	struct sim_aws_opts	 o;
	struct sim_aws		*sim;

	memset(&o, 0, sizeof o);
	o.create_delay_ms = create_ms;
	o.delete_delay_ms = delete_ms;
	sim = sim_aws_new(&o);
	sim_aws_seed_lab(sim);
	return sim;
}

#endif
