/* metrics: API call hooks for AWS and Kubernetes, and the leader gauge. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/metrics.h"
#include "latticectl/xmalloc.h"

/* The outcome label of an exchange. */
const char *
metrics_outcome(long status, int transport_error)
{
	if (transport_error || status == 0)
		return "transport_error";
	if (status == 429)
		return "throttled";
	if (status >= 200 && status <= 399)
		return "success";
	if (status >= 500)
		return "server_error";
	return "client_error";
}

/* Count one AWS exchange ("service:Operation" op). */
void
metrics_trace_aws(void *arg, const struct http_trace *t)
{
	static const char *const l4[] = { "service", "operation", "code",
	    "outcome", NULL };
	static const char *const l2[] = { "service", "operation", NULL };
	struct metrics	*m = arg;
	const char	*op = t->op != NULL ? t->op : "", *colon;
	const char	*v[4];
	char		*svc, code[16];

	colon = strchr(op, ':');
	svc = colon != NULL ? xstrndup(op, (size_t)(colon - op)) :
	    xstrdup("other");
	snprintf(code, sizeof code, "%ld", t->transport_error ? 0 : t->status);
	v[0] = svc;
	v[1] = colon != NULL ? colon + 1 : op;
	v[2] = code;
	v[3] = metrics_outcome(t->status, t->transport_error);
	metric_inc(metrics_counter(m, "latticectl_aws_api_requests_total",
	    "AWS API requests (each attempt) by service, operation, HTTP "
	    "status and outcome.", l4), v);
	metric_observe(metrics_histogram(m,
	    "latticectl_aws_api_request_duration_seconds",
	    "AWS API request latency by service and operation.", l2, NULL, 0),
	    v, (double)t->duration_us / 1e6);
	if (t->retries > 0)
		metric_inc(metrics_counter(m, "latticectl_aws_api_retries_total",
		    "AWS API requests that were retries of an earlier attempt.",
		    l2), v);
	free(svc);
}

/* Skip a scheme and authority: the path of a URL. */
static const char *
metrics_url_path(const char *url)
{
	const char	*p = strstr(url, "://");

	if (p == NULL)
		return url;
	p = strchr(p + 3, '/');
	return p != NULL ? p : "/";
}

/* Split a path into up to max segments (copied into buf). */
static size_t
metrics_segments(const char *path, char *buf, size_t len, char **seg,
    size_t max)
{
	char	*p, *save = NULL;
	size_t	 n = 0;

	snprintf(buf, len, "%s", path);
	for (p = strtok_r(buf, "/", &save); p != NULL && n < max;
	    p = strtok_r(NULL, "/", &save))
		seg[n++] = p;
	return n;
}

/* Resource ("plural" or "plural/sub") and whether a name is present, from
 * a Kubernetes API path. */
static void
metrics_kube_resource(const char *path, char *res, size_t len, int *named)
{
	char	 buf[512], *s[10];
	size_t	 n, i;

	*named = 0;
	n = metrics_segments(path, buf, sizeof buf, s, 10);
	if (n >= 2 && strcmp(s[0], "api") == 0)
		i = 2;
	else if (n >= 3 && strcmp(s[0], "apis") == 0)
		i = 3;
	else {
		*named = 1;
		snprintf(res, len, "discovery");
		return;
	}
	if (n - i >= 3 && strcmp(s[i], "namespaces") == 0 &&
	    (n - i > 3 || (strcmp(s[i + 2], "status") != 0 &&
	    strcmp(s[i + 2], "finalize") != 0)))
		i += 2;
	if (i >= n) {
		*named = 1;
		snprintf(res, len, "api");
		return;
	}
	*named = n - i >= 2;
	if (n - i >= 3)
		snprintf(res, len, "%s/%s", s[i], s[i + 2]);
	else
		snprintf(res, len, "%s", s[i]);
}

/* The Kubernetes verb of a request. */
static const char *
metrics_kube_verb(const char *op, const char *method, int named)
{
	if (op != NULL && strcmp(op, "WATCH") == 0)
		return "watch";
	if (method == NULL || strcmp(method, "GET") == 0)
		return named ? "get" : "list";
	if (strcmp(method, "POST") == 0)
		return "create";
	if (strcmp(method, "PUT") == 0)
		return "update";
	if (strcmp(method, "PATCH") == 0)
		return "patch";
	if (strcmp(method, "DELETE") == 0)
		return named ? "delete" : "deletecollection";
	return method;
}

/* Count one Kubernetes exchange. */
void
metrics_trace_kube(void *arg, const struct http_trace *t)
{
	static const char *const l4[] = { "verb", "resource", "code",
	    "outcome", NULL };
	static const char *const l2[] = { "verb", "resource", NULL };
	struct metrics	*m = arg;
	const char	*v[4];
	char		 res[128], code[16];
	int		 named;

	metrics_kube_resource(metrics_url_path(t->url != NULL ? t->url : "/"),
	    res, sizeof res, &named);
	snprintf(code, sizeof code, "%ld", t->transport_error ? 0 : t->status);
	v[0] = metrics_kube_verb(t->op, t->method, named);
	v[1] = res;
	v[2] = code;
	v[3] = metrics_outcome(t->status, t->transport_error);
	metric_inc(metrics_counter(m, "latticectl_kube_api_requests_total",
	    "Kubernetes API requests by verb, resource, HTTP status and "
	    "outcome.", l4), v);
	if (strcmp(v[0], "watch") != 0)
		metric_observe(metrics_histogram(m,
		    "latticectl_kube_api_request_duration_seconds",
		    "Kubernetes API request latency by verb and resource "
		    "(watches excluded).", l2, NULL, 0), v,
		    (double)t->duration_us / 1e6);
}

/* Set the leader election status gauge. */
void
metrics_set_leader(struct metrics *m, const char *name, int leader)
{
	static const char *const l[] = { "name", NULL };
	const char	*v[1] = { name };

	metric_set(metrics_gauge(m, "leader_election_master_status",
	    "Whether this process leads (1) or follows (0), per lease.", l), v,
	    leader ? 1 : 0);
}
