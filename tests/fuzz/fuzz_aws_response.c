/* Fuzz the generic AWS response parsers: rest-json and query/XML, success
 * and error forms. First byte picks the status class and an error header. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>

#include "latticectl/aws.h"
#include "latticectl/http.h"
#include "../../src/aws/aws_int.h"

/* Run both parsers over one response. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const long	 statuses[] = { 200, 201, 400, 404, 429, 500 };
	struct http_response	 resp;
	struct aws_error	 err;
	cJSON			*j = NULL;
	xmlDoc			*x = NULL;

	if (size == 0)
		return 0;
	memset(&err, 0, sizeof err);
	http_response_init(&resp);
	resp.status = statuses[data[0] % 6];
	if (data[0] & 0x80)
		http_headers_add(&resp.headers, "X-Amzn-ErrorType",
		    "ThrottlingException:http://x/");
	strbuf_add(&resp.body, data + 1, size - 1);
	aws_restjson_parse_response("vpc-lattice", "GetService", &resp, &j,
	    &err);
	cJSON_Delete(j);
	aws_error_clear(&err);
	aws_query_parse_response("iam", "GetPolicy", &resp, &x, &err);
	if (x != NULL) {
		free(aws_xml_text(xmlDocGetRootElement(x), "GetPolicyResult/"
		    "Policy/Arn"));
		xmlFreeDoc(x);
	}
	aws_error_clear(&err);
	http_response_free(&resp);
	return 0;
}
