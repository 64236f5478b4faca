/*
 * Private to src/aws: the layout of struct aws. Only files under src/aws
 * include this.
 */
#ifndef LATTICECTL_AWS_INT_H
#define LATTICECTL_AWS_INT_H

#include <pthread.h>

#include <cjson/cJSON.h>
#include <libxml/tree.h>

#include "latticectl/aws.h"
#include "latticectl/creds.h"
#include "latticectl/http.h"
#include "latticectl/tbucket.h"

#define AWS_N_FAMILIES 6

/* Per-service client-side rate limit, adapted on throttling (AIMD). */
/* The window over which throttles are counted before the rate is cut
 * (send.c aws_family_count). */
#define AWS_THROTTLE_WINDOW_MS	1000

struct aws_family {
	const char		*service;
	struct tbucket		 bucket;
	double			 max_rate;
	_Atomic uint64_t	 win_ms;	/* window start, time_mono_ms */
	_Atomic unsigned	 win_ok;	/* outcomes in the window */
	_Atomic unsigned	 win_thr;
};

struct aws {
	struct http_client		*http;
	struct aws_shared_config	*shared;
	struct aws_cred_chain		*creds;
	char				*profile;
	char				*region;
	char				*region_source;
	char				*ca_file;	/* CA bundle in use, or NULL */
	int				 max_attempts;
	int				 no_imds;
	uint64_t			 backoff_base_ms;
	uint64_t			 backoff_cap_ms;

	aws_transport_fn		 transport;
	void				*transport_arg;
	http_trace_fn			 trace;
	void				*trace_arg;

	struct aws_family		 families[AWS_N_FAMILIES];
};

enum aws_proto {
	AWS_PROTO_RESTJSON,
	AWS_PROTO_QUERY
};

/* Send one signed request with retries; used by both protocols. On a 2xx
 * answer resp holds it and 0 is returned; otherwise err is filled (parsed
 * per proto) and -1 is returned. */
int	 aws_send(struct aws *, enum aws_proto, const char *service,
	    const char *op, const char *method, const char *path,
	    const char *query, const char *content_type, const void *body,
	    size_t body_len, struct http_response *resp, struct aws_error *err);
/* Perform an unsigned or pre-signed exchange through the transport hook
 * or the HTTP client (for IMDS, container credentials, STS web identity). */
int	 aws_exchange(struct aws *, const struct http_request *,
	    struct http_response *, char **cause);

/* Set retryable/throttling from code and status. */
void	 aws_error_classify(struct aws_error *);
/* Fill err for a failed exchange (code RequestError, status 0). */
void	 aws_error_transport(struct aws_error *, const char *op,
	    const char *cause);

/* Parse a query-protocol response body: 2xx -> *out document; otherwise
 * fill err from <ErrorResponse>/<Response><Errors> XML. */
int	 aws_query_parse_response(const char *service, const char *op,
	    const struct http_response *, xmlDoc **out, struct aws_error *);
/* Parse a rest-json response: 2xx -> *out; otherwise fill err from
 * X-Amzn-ErrorType / __type / code and message. */
int	 aws_restjson_parse_response(const char *service, const char *op,
	    const struct http_response *, cJSON **out, struct aws_error *);

/* XML reading helpers (element names match on local name, namespaces
 * ignored). Strings returned are caller-freed. */
xmlNode	*aws_xml_child(xmlNode *parent, const char *name);
xmlNode	*aws_xml_next(xmlNode *after, const char *name);
xmlNode	*aws_xml_path(xmlNode *from, const char *path);	/* "a/b/c" */
char	*aws_xml_text(xmlNode *from, const char *path);	/* NULL if absent */
int	 aws_xml_int(xmlNode *from, const char *path, long long *out);
int	 aws_xml_bool(xmlNode *from, const char *path, int def);
/* The <OpResult> element of an IAM/STS response, or the root for EC2. */
xmlNode	*aws_xml_result(xmlDoc *, const char *op);
#define AWS_XML_FOREACH(var, parent, name) \
	for ((var) = aws_xml_child((parent), (name)); (var) != NULL; \
	    (var) = aws_xml_next((var), (name)))

#endif
