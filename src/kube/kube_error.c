/* kube_error: typed errors from Kubernetes Status objects. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/json.h"
#include "latticectl/kube.h"
#include "latticectl/xmalloc.h"

static const struct {
	long		 status;
	const char	*reason;
} kube_reasons[] = {
	{ 400, "BadRequest" },
	{ 401, "Unauthorized" },
	{ 403, "Forbidden" },
	{ 404, "NotFound" },
	{ 405, "MethodNotAllowed" },
	{ 406, "NotAcceptable" },
	{ 409, "Conflict" },
	{ 410, "Expired" },
	{ 413, "RequestEntityTooLarge" },
	{ 415, "UnsupportedMediaType" },
	{ 422, "Invalid" },
	{ 429, "TooManyRequests" },
	{ 500, "InternalError" },
	{ 503, "ServiceUnavailable" },
	{ 504, "Timeout" },
};

/* Release the strings and reset to an empty error. */
void
kube_error_clear(struct kube_error *e)
{
	if (e == NULL)
		return;
	free(e->reason);
	free(e->message);
	free(e->kind);
	free(e->name);
	memset(e, 0, sizeof *e);
	e->retry_after = -1;
}

/* The reason kube-apiserver uses for an HTTP status, or NULL. */
const char *
kube_reason_for_status(long status)
{
	size_t	i;

	for (i = 0; i < sizeof kube_reasons / sizeof kube_reasons[0]; i++) {
		if (kube_reasons[i].status == status)
			return kube_reasons[i].reason;
	}
	return NULL;
}

/* Fill e from a Status object, falling back on the HTTP status. */
void
kube_error_from_status(struct kube_error *e, const cJSON *st,
    long http_status)
{
	const char	*kind, *reason, *msg;
	int64_t		 code;

	kube_error_clear(e);
	e->status = http_status;
	kind = json_str(st, "kind");
	if (kind != NULL && strcmp(kind, "Status") == 0) {
		if (json_int(st, "code", &code) == 0 && code > 0)
			e->status = (long)code;
		e->reason = xstrdup_or_null(json_str(st, "reason"));
		e->message = xstrdup_or_null(json_str(st, "message"));
		e->kind = xstrdup_or_null(json_path_str(st, "details.kind"));
		e->name = xstrdup_or_null(json_path_str(st, "details.name"));
	}
	if (e->reason == NULL || *e->reason == '\0') {
		free(e->reason);
		reason = kube_reason_for_status(e->status);
		e->reason = xstrdup(reason != NULL ? reason : "Unknown");
	}
	if (e->message == NULL) {
		msg = kube_reason_for_status(e->status);
		xasprintf(&e->message, "the server answered HTTP %ld%s%s",
		    e->status, msg != NULL ? " " : "", msg != NULL ? msg : "");
	}
}

/* A failure with no HTTP answer. */
void
kube_error_transport(struct kube_error *e, const char *cause)
{
	kube_error_clear(e);
	e->transport = 1;
	e->message = xstrdup(cause != NULL ? cause : "transport error");
}

/* A one-line description (caller frees). */
char *
kube_error_string(const struct kube_error *e)
{
	char	*s;

	if (e->transport || e->status == 0) {
		xasprintf(&s, "%s", e->message != NULL ? e->message :
		    "unknown error");
		return s;
	}
	xasprintf(&s, "%s (HTTP %ld): %s", e->reason != NULL ? e->reason :
	    "Unknown", e->status, e->message != NULL ? e->message : "");
	return s;
}

/* Is it a 404? */
int
kube_error_is_not_found(const struct kube_error *e)
{
	return !e->transport && e->status == 404;
}

/* Is it a 409 other than AlreadyExists (a stale resourceVersion)? */
int
kube_error_is_conflict(const struct kube_error *e)
{
	return !e->transport && e->status == 409 &&
	    (e->reason == NULL || strcmp(e->reason, "AlreadyExists") != 0);
}

/* Is it a 409 AlreadyExists (create of an existing name)? */
int
kube_error_is_already_exists(const struct kube_error *e)
{
	return !e->transport && e->status == 409 && e->reason != NULL &&
	    strcmp(e->reason, "AlreadyExists") == 0;
}

/* Is it a 410 (expired resourceVersion or continue token)? */
int
kube_error_is_gone(const struct kube_error *e)
{
	return !e->transport && e->status == 410;
}
