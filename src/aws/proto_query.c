/* The query protocol (EC2, IAM, STS): form requests, XML answers. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/xmlerror.h>

#include "latticectl/strbuf.h"
#include "latticectl/xmalloc.h"

#include "aws_int.h"

/* libxml2's generic error reporter: silenced (errors come back as NULL
 * documents and become aws_error values; stderr belongs to the UI). */
static void
aws_xml_silent(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

/* Structured error reporter: silenced likewise. */
static void
aws_xml_silent_structured(void *ctx, xmlErrorPtr e)
{
	(void)ctx;
	(void)e;
}

/* Initialise libxml2 once and silence it for threads made from now on. */
static void
aws_xml_init(void)
{
	xmlInitParser();
	xmlThrDefSetGenericErrorFunc(NULL, aws_xml_silent);
	xmlThrDefSetStructuredErrorFunc(NULL, aws_xml_silent_structured);
}

/* Parse XML safely: no network, no entity expansion, no DTD loading. */
static xmlDoc *
aws_xml_read(const char *buf, size_t len)
{
	static pthread_once_t	once = PTHREAD_ONCE_INIT;

	pthread_once(&once, aws_xml_init);
	xmlSetGenericErrorFunc(NULL, aws_xml_silent);
	xmlSetStructuredErrorFunc(NULL, aws_xml_silent_structured);
	if (len == 0 || len > 64 * 1024 * 1024)
		return NULL;
	return xmlReadMemory(buf, (int)len, "response.xml", NULL,
	    XML_PARSE_NONET | XML_PARSE_NOBLANKS | XML_PARSE_NOERROR |
	    XML_PARSE_NOWARNING);
}

/* Fill err from <ErrorResponse> (IAM, STS) or <Response><Errors> (EC2). */
static void
aws_query_error(const char *service, const char *op,
    const struct http_response *resp, struct aws_error *err)
{
	xmlDoc	*doc;
	xmlNode	*root, *e = NULL;

	aws_error_clear(err);
	xasprintf(&err->op, "%s:%s", service, op);
	err->status = resp->status;
	doc = aws_xml_read(resp->body.buf, resp->body.len);
	root = doc != NULL ? xmlDocGetRootElement(doc) : NULL;
	if (root != NULL) {
		e = aws_xml_path(root, "Error");
		if (e == NULL)
			e = aws_xml_path(root, "Errors/Error");
		if (e == NULL && xmlStrcmp(root->name, BAD_CAST "Error") == 0)
			e = root;
	}
	if (e != NULL) {
		err->code = aws_xml_text(e, "Code");
		err->message = aws_xml_text(e, "Message");
		err->request_id = aws_xml_text(root, "RequestId");
		if (err->request_id == NULL)
			err->request_id = aws_xml_text(root, "RequestID");
	}
	if (err->code == NULL)
		xasprintf(&err->code, "Http%ld", resp->status);
	if (err->message == NULL)
		err->message = xstrdup("(no message)");
	if (err->request_id == NULL)
		err->request_id = xstrdup_or_null(http_headers_get(
		    &resp->headers, "x-amzn-RequestId"));
	if (doc != NULL)
		xmlFreeDoc(doc);
	aws_error_classify(err);
}

/* Parse a query answer: 2xx XML into *out, else err. */
int
aws_query_parse_response(const char *service, const char *op,
    const struct http_response *resp, xmlDoc **out, struct aws_error *err)
{
	*out = NULL;
	if (resp->status < 200 || resp->status >= 300) {
		aws_query_error(service, op, resp, err);
		return -1;
	}
	*out = aws_xml_read(resp->body.buf, resp->body.len);
	if (*out == NULL || xmlDocGetRootElement(*out) == NULL) {
		if (*out != NULL)
			xmlFreeDoc(*out);
		*out = NULL;
		aws_error_clear(err);
		xasprintf(&err->op, "%s:%s", service, op);
		err->status = resp->status;
		err->code = xstrdup("InvalidResponse");
		err->message = xstrdup("response body is not XML");
		return -1;
	}
	return 0;
}

/* Encode Action, Version and the parameters as a form body. */
static char *
aws_query_form(const char *op, const char *version,
    const struct aws_params *p, size_t *len)
{
	struct strbuf	sb;
	size_t		i;

	strbuf_init(&sb);
	aws_query_append(&sb, "Action", op);
	aws_query_append(&sb, "Version", version);
	for (i = 0; p != NULL && i < p->n; i++)
		aws_query_append(&sb, p->keys[i], p->values[i]);
	return strbuf_detach(&sb, len);
}

/* Make a query-protocol call: sign, send with retries, parse. */
int
aws_query_call(struct aws *aws, const char *service, const char *op,
    const char *version, const struct aws_params *params, xmlDoc **out,
    struct aws_error *err)
{
	struct http_response	 resp;
	char			*form;
	size_t			 len;
	int			 r;

	*out = NULL;
	form = aws_query_form(op, version, params, &len);
	http_response_init(&resp);
	r = aws_send(aws, AWS_PROTO_QUERY, service, op, "POST", "/", NULL,
	    "application/x-www-form-urlencoded; charset=utf-8", form, len,
	    &resp, err);
	if (r == 0)
		r = aws_query_parse_response(service, op, &resp, out, err);
	http_response_free(&resp);
	free(form);
	return r;
}
