/* struct aws_error: one error type for every AWS wire form. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "latticectl/aws.h"
#include "latticectl/xmalloc.h"

/* The codes the SDKs' standard retry mode treats as throttling. */
static const char *aws_throttle_codes[] = {
	"Throttling", "ThrottlingException", "ThrottledException",
	"RequestThrottledException", "TooManyRequestsException",
	"ProvisionedThroughputExceededException",
	"TransactionInProgressException", "RequestLimitExceeded",
	"BandwidthLimitExceeded", "LimitExceededException",
	"RequestThrottled", "SlowDown", "PriorRequestNotComplete",
	"EC2ThrottledException", NULL
};

/* Transient codes retried like 5xx answers. */
static const char *aws_transient_codes[] = {
	"RequestTimeout", "RequestTimeoutException", "InternalError",
	"InternalFailure", "InternalServerException", "ServiceUnavailable",
	"IDPCommunicationError", "RequestError", NULL
};

/* Is code in the NULL-terminated list? */
static int
aws_code_in(const char *code, const char **list)
{
	size_t	i;

	if (code == NULL)
		return 0;
	for (i = 0; list[i] != NULL; i++) {
		if (strcmp(code, list[i]) == 0)
			return 1;
	}
	return 0;
}

/* Is this error code a throttling code? */
int
aws_error_is_throttle_code(const char *code)
{
	return aws_code_in(code, aws_throttle_codes);
}

/* Decide retryable/throttling from the code and HTTP status. */
void
aws_error_classify(struct aws_error *err)
{
	long	s = err->status;

	err->throttling = aws_error_is_throttle_code(err->code);
	err->retryable = err->throttling ||
	    aws_code_in(err->code, aws_transient_codes) ||
	    s == 429 || s == 500 || s == 502 || s == 503 || s == 504 ||
	    s == 509;
	if (s == 429 && err->code == NULL)
		err->throttling = 1;
}

/* Free the strings held by err and reset it. */
void
aws_error_clear(struct aws_error *err)
{
	if (err == NULL)
		return;
	free(err->code);
	free(err->message);
	free(err->request_id);
	free(err->op);
	memset(err, 0, sizeof *err);
	err->retry_after = -1;
}

/* Render "op: code: message (HTTP status, request id)"; caller frees. */
char *
aws_error_string(const struct aws_error *err)
{
	char	*s;

	if (err->status == 0) {
		xasprintf(&s, "%s: %s: %s", err->op ? err->op : "aws",
		    err->code ? err->code : "RequestError",
		    err->message ? err->message : "request failed");
		return s;
	}
	xasprintf(&s, "%s: %s: %s (HTTP %ld%s%s)", err->op ? err->op : "aws",
	    err->code ? err->code : "UnknownError",
	    err->message ? err->message : "(no message)", err->status,
	    err->request_id ? ", request id " : "",
	    err->request_id ? err->request_id : "");
	return s;
}
