/* The simulator's AWS replies and errors in each protocol's shape, and
 * query/form parameter decoding. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>
#include <libxml/entities.h>

#include "latticectl/http.h"
#include "latticectl/xmalloc.h"

#include "aws_int.h"
#include "sim_form.h"

#define SIM_AWS_MAX_PARAMS	10000

/* Set the headers every reply carries. */
static void
aws_reply_headers(struct sim_aws_call *call, const char *ctype)
{
	struct http_headers	*h = &call->resp->headers;

	http_headers_set(h, "Content-Type", ctype);
	http_headers_set(h, "x-amzn-RequestId", call->request_id);
}

/* Reply with a JSON body (owned; NULL: empty). */
void
sim_aws_reply_json(struct sim_aws_call *call, int status, cJSON *body)
{
	char	*text;

	call->resp->status = status;
	strbuf_reset(&call->resp->body);
	if (body != NULL) {
		text = cJSON_PrintUnformatted(body);
		strbuf_adds(&call->resp->body, text);
		cJSON_free(text);
		cJSON_Delete(body);
	}
	aws_reply_headers(call, call->svc != NULL &&
	    call->svc->proto == SIM_AWS_JSON ? "application/x-amz-json-1.1" :
	    "application/json");
}

/* Reply with an XML document. */
void
sim_aws_reply_xml(struct sim_aws_call *call, int status, const char *xml)
{
	call->resp->status = status;
	strbuf_reset(&call->resp->body);
	strbuf_adds(&call->resp->body, xml);
	aws_reply_headers(call, "text/xml");
}

/* Append s XML-escaped (libxml2's entity encoder). */
void
sim_aws_xml_escape(struct strbuf *sb, const char *s)
{
	xmlChar	*enc;

	enc = xmlEncodeSpecialChars(NULL, (const xmlChar *)s);
	if (enc != NULL) {
		strbuf_adds(sb, (const char *)enc);
		xmlFree(enc);
	}
}

/* A rest-json or awsJson error. */
static void
aws_error_json(struct sim_aws_call *call, int json11, int status,
    const char *code, cJSON *extra, const char *msg)
{
	cJSON	*body, *item;
	char	*text;

	body = cJSON_CreateObject();
	if (json11)
		cJSON_AddStringToObject(body, "__type", code);
	cJSON_AddStringToObject(body, "message", msg);
	while (extra != NULL && extra->child != NULL) {
		item = cJSON_DetachItemViaPointer(extra, extra->child);
		if (cJSON_GetObjectItemCaseSensitive(body, item->string) != NULL)
			cJSON_Delete(item);
		else
			cJSON_AddItemToObject(body, item->string, item);
	}
	cJSON_Delete(extra);
	call->resp->status = status;
	strbuf_reset(&call->resp->body);
	text = cJSON_PrintUnformatted(body);
	strbuf_adds(&call->resp->body, text);
	cJSON_free(text);
	cJSON_Delete(body);
	aws_reply_headers(call, json11 ? "application/x-amz-json-1.1" :
	    "application/json");
	http_headers_set(&call->resp->headers, "X-Amzn-ErrorType", code);
}

/* A query-protocol (IAM/STS) or EC2 error document. */
static void
aws_error_xml(struct sim_aws_call *call, int ec2, const char *xmlns,
    int status, const char *code, const char *msg)
{
	struct strbuf	sb = STRBUF_INIT;

	if (ec2) {
		strbuf_adds(&sb, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		    "<Response><Errors><Error><Code>");
		sim_aws_xml_escape(&sb, code);
		strbuf_adds(&sb, "</Code><Message>");
		sim_aws_xml_escape(&sb, msg);
		strbuf_addf(&sb, "</Message></Error></Errors><RequestID>%s"
		    "</RequestID></Response>", call->request_id);
	} else {
		strbuf_adds(&sb, "<ErrorResponse");
		if (xmlns != NULL)
			strbuf_addf(&sb, " xmlns=\"%s\"", xmlns);
		strbuf_addf(&sb, ">\n  <Error>\n    <Type>%s</Type>\n    <Code>",
		    status >= 500 ? "Receiver" : "Sender");
		sim_aws_xml_escape(&sb, code);
		strbuf_adds(&sb, "</Code>\n    <Message>");
		sim_aws_xml_escape(&sb, msg);
		strbuf_addf(&sb, "</Message>\n  </Error>\n  <RequestId>%s"
		    "</RequestId>\n</ErrorResponse>\n", call->request_id);
	}
	sim_aws_reply_xml(call, status, strbuf_str(&sb));
	strbuf_free(&sb);
}

/* An error in a protocol's shape. */
void
aws_error_proto(struct sim_aws_call *call, enum sim_aws_proto proto,
    const char *xmlns, int status, const char *code, const char *msg)
{
	switch (proto) {
	case SIM_AWS_REST_JSON:
	case SIM_AWS_JSON:
		aws_error_json(call, proto == SIM_AWS_JSON, status, code, NULL,
		    msg);
		break;
	case SIM_AWS_QUERY:
	case SIM_AWS_EC2:
		aws_error_xml(call, proto == SIM_AWS_EC2, xmlns, status, code,
		    msg);
		break;
	}
}

/* An error in the call's service shape. */
void
sim_aws_error_extra(struct sim_aws_call *call, int status, const char *code,
    cJSON *extra, const char *fmt, ...)
{
	va_list		 ap;
	char		*msg;
	enum sim_aws_proto proto;

	va_start(ap, fmt);
	xvasprintf(&msg, fmt, ap);
	va_end(ap);
	proto = call->svc != NULL ? call->svc->proto : SIM_AWS_REST_JSON;
	if (proto == SIM_AWS_REST_JSON || proto == SIM_AWS_JSON)
		aws_error_json(call, proto == SIM_AWS_JSON, status, code,
		    extra, msg);
	else {
		cJSON_Delete(extra);
		aws_error_xml(call, proto == SIM_AWS_EC2, call->svc->xmlns,
		    status, code, msg);
	}
	free(msg);
}

/* The service's unknown-operation error. */
void
sim_aws_unknown_op(struct sim_aws_call *call, const char *what)
{
	enum sim_aws_proto proto;

	proto = call->svc != NULL ? call->svc->proto : SIM_AWS_REST_JSON;
	if (proto == SIM_AWS_REST_JSON)
		sim_aws_error(call, 404, "UnknownOperationException",
		    "Unknown operation %s", what);
	else if (proto == SIM_AWS_JSON)
		sim_aws_error(call, 400, "UnknownOperationException",
		    "Unknown operation %s", what);
	else if (proto == SIM_AWS_EC2)
		sim_aws_error(call, 400, "InvalidAction",
		    "The action %s is not valid for this web service.", what);
	else
		sim_aws_error(call, 400, "InvalidAction",
		    "Could not find operation %s for version", what);
}

/* The service's throttling error. */
void
sim_aws_throttle(struct sim_aws_call *call)
{
	switch (call->svc->proto) {
	case SIM_AWS_REST_JSON:
		sim_aws_error(call, 429, "ThrottlingException",
		    "Rate exceeded");
		http_headers_set(&call->resp->headers, "Retry-After", "1");
		break;
	case SIM_AWS_JSON:
		sim_aws_error(call, 400, "ThrottlingException",
		    "Rate exceeded");
		break;
	case SIM_AWS_QUERY:
		sim_aws_error(call, 400, "Throttling", "Rate exceeded");
		break;
	case SIM_AWS_EC2:
		sim_aws_error(call, 503, "RequestLimitExceeded",
		    "Request limit exceeded.");
		break;
	}
}

/* Answer 500 in the call's shape (a handler left no answer). */
void
aws_internal_error(struct sim_aws_call *call)
{
	const char	*code;

	if (call->svc == NULL) {
		aws_error_proto(call, SIM_AWS_REST_JSON, NULL, 500,
		    "InternalFailure", "internal simulator error");
		return;
	}
	switch (call->svc->proto) {
	case SIM_AWS_EC2:
		code = "InternalError";
		break;
	case SIM_AWS_QUERY:
		code = "InternalFailure";
		break;
	default:
		code = "InternalServerException";
		break;
	}
	sim_aws_error(call, 500, code, "An internal error occurred.");
}

/* Percent-decode len bytes (caller frees); bad escapes stay as they are. */
char *
sim_aws_unescape(const char *s, size_t len, int plus_space)
{
	return sim_unescape(s, len, plus_space ? SIM_UNESCAPE_PLUS : 0);
}

/* Parse "a=1&b=2" into decoded pairs. */
void
sim_aws_params_parse(struct sim_aws_params *p, const char *s, size_t len)
{
	memset(p, 0, sizeof *p);
	sim_form_parse(s, len, SIM_AWS_MAX_PARAMS, SIM_UNESCAPE_PLUS,
	    &p->name, &p->value, &p->n);
}

/* Free the pairs. */
void
sim_aws_params_free(struct sim_aws_params *p)
{
	sim_form_free(p->name, p->value, p->n);
	memset(p, 0, sizeof *p);
}

/* The idx'th value of name, or NULL. */
const char *
sim_aws_param_nth(const struct sim_aws_params *p, const char *name,
    size_t idx)
{
	size_t	i;

	for (i = 0; i < p->n; i++) {
		if (strcmp(p->name[i], name) == 0 && idx-- == 0)
			return p->value[i];
	}
	return NULL;
}

/* The first value of name, or NULL. */
const char *
sim_aws_param(const struct sim_aws_params *p, const char *name)
{
	return sim_aws_param_nth(p, name, 0);
}
