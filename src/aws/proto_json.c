/* The rest-json protocol (VPC Lattice, EKS): requests and error parsing. */
#include <stdlib.h>
#include <string.h>

#include "latticectl/json.h"
#include "latticectl/xmalloc.h"

#include "aws_int.h"

/* Copy the error code out of X-Amzn-ErrorType ("Code:http://...") or a
 * body __type ("ns#Code"). */
static char *
aws_json_error_code(const struct http_response *resp, const cJSON *body)
{
	const char	*s, *hash;

	s = http_headers_get(&resp->headers, "X-Amzn-ErrorType");
	if (s != NULL && *s != '\0')
		return xstrndup(s, strcspn(s, ":"));
	if (body == NULL)
		return NULL;
	s = json_str(body, "__type");
	if (s == NULL)
		s = json_str(body, "code");
	if (s == NULL)
		s = json_str(body, "Code");
	if (s == NULL)
		return NULL;
	if ((hash = strrchr(s, '#')) != NULL)
		s = hash + 1;
	return xstrndup(s, strcspn(s, ":"));
}

/* Fill err from a failed rest-json answer. */
static void
aws_json_error(const char *service, const char *op,
    const struct http_response *resp, struct aws_error *err)
{
	cJSON		*body;
	const char	*msg = NULL, *rid;

	aws_error_clear(err);
	xasprintf(&err->op, "%s:%s", service, op);
	err->status = resp->status;
	body = cJSON_ParseWithLength(resp->body.buf, resp->body.len);
	err->code = aws_json_error_code(resp, body);
	if (err->code == NULL)
		xasprintf(&err->code, "Http%ld", resp->status);
	if (body != NULL && (msg = json_str(body, "message")) == NULL)
		msg = json_str(body, "Message");
	err->message = xstrdup(msg != NULL ? msg : "(no message)");
	rid = http_headers_get(&resp->headers, "x-amzn-RequestId");
	if (rid == NULL)
		rid = http_headers_get(&resp->headers, "x-amz-request-id");
	err->request_id = xstrdup_or_null(rid);
	cJSON_Delete(body);
	aws_error_classify(err);
}

/* Parse a rest-json answer: 2xx body into *out, else err. */
int
aws_restjson_parse_response(const char *service, const char *op,
    const struct http_response *resp, cJSON **out, struct aws_error *err)
{
	*out = NULL;
	if (resp->status < 200 || resp->status >= 300) {
		aws_json_error(service, op, resp, err);
		return -1;
	}
	if (resp->body.len == 0) {
		*out = cJSON_CreateObject();
		return 0;
	}
	*out = cJSON_ParseWithLength(resp->body.buf, resp->body.len);
	if (*out == NULL || !cJSON_IsObject(*out)) {
		cJSON_Delete(*out);
		*out = NULL;
		aws_error_clear(err);
		xasprintf(&err->op, "%s:%s", service, op);
		err->status = resp->status;
		err->code = xstrdup("InvalidResponse");
		err->message = xstrdup("response body is not a JSON object");
		return -1;
	}
	return 0;
}

/* Make a rest-json call: sign, send with retries, parse. */
int
aws_restjson_call(struct aws *aws, const char *service, const char *op,
    const char *method, const char *path, const char *query,
    const cJSON *body, cJSON **out, struct aws_error *err)
{
	struct http_response	 resp;
	char			*text = NULL;
	int			 r;

	*out = NULL;
	if (body != NULL)
		text = cJSON_PrintUnformatted(body);
	http_response_init(&resp);
	r = aws_send(aws, AWS_PROTO_RESTJSON, service, op, method, path, query,
	    text != NULL ? "application/json" : NULL, text,
	    text != NULL ? strlen(text) : 0, &resp, err);
	if (r == 0)
		r = aws_restjson_parse_response(service, op, &resp, out, err);
	http_response_free(&resp);
	free(text);
	return r;
}
