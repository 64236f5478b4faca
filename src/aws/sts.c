/* AWS STS: GetCallerIdentity, AssumeRole, AssumeRoleWithWebIdentity. */
#include <stdlib.h>
#include <string.h>

#define LOG_MODULE "sts"
#include "latticectl/backoff.h"
#include "latticectl/error.h"
#include "latticectl/log.h"
#include "latticectl/sts.h"
#include "latticectl/strbuf.h"
#include "latticectl/timeutil.h"
#include "latticectl/xmalloc.h"

#include "aws_int.h"

#define STS_CONTENT_TYPE "application/x-www-form-urlencoded; charset=utf-8"

/* Free an identity's strings. */
void
sts_identity_clear(struct sts_identity *id)
{
	free(id->account);
	free(id->arn);
	free(id->user_id);
	memset(id, 0, sizeof *id);
}

/* Free an assumed-role description's strings. */
void
sts_assumed_clear(struct sts_assumed *who)
{
	free(who->arn);
	free(who->assumed_role_id);
	free(who->subject);
	free(who->provider);
	free(who->audience);
	memset(who, 0, sizeof *who);
}

/* Fill err with a client-side error; returns -1. */
static int
sts_error(struct aws_error *err, const char *op, const char *code,
    const char *msg, int retryable)
{
	aws_error_clear(err);
	err->code = xstrdup(code);
	err->message = xstrdup(msg);
	xasprintf(&err->op, "sts:%s", op);
	err->retry_after = -1;
	err->retryable = retryable;
	return -1;
}

/* Read Credentials (and who) out of an AssumeRole* result. */
static int
sts_read_creds(xmlDoc *doc, const char *op, struct aws_creds *out,
    struct sts_assumed *who, struct aws_error *err)
{
	xmlNode		*res;
	char		*exp;
	struct timespec	 ts;
	int		 bad;

	if ((res = aws_xml_result(doc, op)) == NULL)
		return sts_error(err, op, "InvalidResponse", "no result", 0);
	memset(out, 0, sizeof *out);
	out->access_key_id = aws_xml_text(res, "Credentials/AccessKeyId");
	out->secret_access_key = aws_xml_text(res,
	    "Credentials/SecretAccessKey");
	out->session_token = aws_xml_text(res, "Credentials/SessionToken");
	exp = aws_xml_text(res, "Credentials/Expiration");
	bad = out->access_key_id == NULL || out->secret_access_key == NULL ||
	    exp == NULL || time_parse(exp, &ts) != 0;
	free(exp);
	if (bad) {
		aws_creds_clear(out);
		return sts_error(err, op, "InvalidResponse",
		    "missing or bad Credentials", 0);
	}
	out->expiration = ts.tv_sec;
	if (who != NULL) {
		memset(who, 0, sizeof *who);
		who->arn = aws_xml_text(res, "AssumedRoleUser/Arn");
		who->assumed_role_id = aws_xml_text(res,
		    "AssumedRoleUser/AssumedRoleId");
		who->subject = aws_xml_text(res, "SubjectFromWebIdentityToken");
		who->provider = aws_xml_text(res, "Provider");
		who->audience = aws_xml_text(res, "Audience");
	}
	return 0;
}

/* GetCallerIdentity: who are these credentials? */
int
sts_get_caller_identity(struct aws *aws, struct sts_identity *id,
    struct aws_error *err)
{
	struct aws_params	 p;
	xmlDoc			*doc;
	xmlNode			*res;

	memset(&p, 0, sizeof p);
	memset(id, 0, sizeof *id);
	if (aws_query_call(aws, "sts", "GetCallerIdentity", STS_API_VERSION,
	    &p, &doc, err) != 0)
		return -1;
	if ((res = aws_xml_result(doc, "GetCallerIdentity")) != NULL) {
		id->account = aws_xml_text(res, "Account");
		id->arn = aws_xml_text(res, "Arn");
		id->user_id = aws_xml_text(res, "UserId");
	}
	xmlFreeDoc(doc);
	if (id->account == NULL || id->arn == NULL) {
		sts_identity_clear(id);
		return sts_error(err, "GetCallerIdentity", "InvalidResponse",
		    "no Account or Arn", 0);
	}
	return 0;
}

/* A context like aws but signing with creds (same region, transport). */
static struct aws *
sts_aws_with(struct aws *aws, const struct aws_creds *creds, char **cause)
{
	struct aws_config	 cfg;
	struct aws		*tmp;

	memset(&cfg, 0, sizeof cfg);
	cfg.region = aws->region;
	cfg.profile = aws->profile;
	cfg.max_attempts = aws->max_attempts;
	cfg.no_imds = 1;
	cfg.ca_file = aws->ca_file;
	cfg.static_creds = creds;
	if ((tmp = aws_new(&cfg, cause)) == NULL)
		return NULL;
	aws_set_retry(tmp, aws->max_attempts, aws->backoff_base_ms,
	    aws->backoff_cap_ms);
	if (aws->transport != NULL)
		aws_set_transport(tmp, aws->transport, aws->transport_arg);
	if (aws->trace != NULL)
		aws_set_trace(tmp, aws->trace, aws->trace_arg);
	return tmp;
}

/* AssumeRole, signed with source or with aws's own credentials. */
int
sts_assume_role(struct aws *aws, const struct aws_creds *source,
    const char *role_arn, const char *session_name, const char *external_id,
    int duration, struct aws_creds *out, struct sts_assumed *who,
    struct aws_error *err)
{
	struct aws_params	 p;
	struct aws		*target = aws;
	xmlDoc			*doc;
	char			*cause = NULL;
	int			 rc;

	if (source != NULL && (target = sts_aws_with(aws, source,
	    &cause)) == NULL) {
		sts_error(err, "AssumeRole", "ConfigError", cause, 0);
		free(cause);
		return -1;
	}
	memset(&p, 0, sizeof p);
	aws_params_add(&p, "RoleArn", role_arn);
	aws_params_add(&p, "RoleSessionName", session_name);
	if (external_id != NULL)
		aws_params_add(&p, "ExternalId", external_id);
	if (duration > 0)
		aws_params_addf(&p, "DurationSeconds", "%d", duration);
	rc = aws_query_call(target, "sts", "AssumeRole", STS_API_VERSION, &p,
	    &doc, err);
	aws_params_free(&p);
	if (target != aws)
		aws_free(target);
	if (rc != 0)
		return -1;
	rc = sts_read_creds(doc, "AssumeRole", out, who, err);
	xmlFreeDoc(doc);
	return rc;
}

/* Encode params as a query-protocol form body. */
static char *
sts_form(const char *op, const struct aws_params *p)
{
	struct strbuf	 sb;
	char		*v;
	size_t		 i;

	strbuf_init(&sb);
	strbuf_addf(&sb, "Action=%s&Version=%s", op, STS_API_VERSION);
	for (i = 0; i < p->n; i++) {
		v = http_urlencode(p->values[i], 0);
		strbuf_addf(&sb, "&%s=%s", p->keys[i], v);
		explicit_bzero(v, strlen(v));
		free(v);
	}
	return strbuf_detach(&sb, NULL);
}

/* One unsigned POST of body to the STS endpoint and its parsed answer. */
static int
sts_unsigned_once(struct aws *aws, const char *url, const char *op,
    const char *body, xmlDoc **doc, struct aws_error *err)
{
	struct http_request	 req;
	struct http_response	 resp;
	char			*cause = NULL, *label;
	int			 rc;

	memset(&req, 0, sizeof req);
	xasprintf(&label, "sts:%s", op);
	req.method = "POST";
	req.url = url;
	req.op = label;
	req.attempt = 1;
	req.body = body;
	req.body_len = strlen(body);
	http_headers_add(&req.headers, "Content-Type", STS_CONTENT_TYPE);
	http_response_init(&resp);
	if (aws_exchange(aws, &req, &resp, &cause) != 0) {
		aws_error_transport(err, label, cause);
		free(cause);
		rc = -1;
	} else
		rc = aws_query_parse_response("sts", op, &resp, doc, err);
	http_response_free(&resp);
	http_request_free(&req);
	free(label);
	return rc;
}

/* Is this failed unsigned exchange worth another try? */
static int
sts_retryable(const struct aws_error *err)
{
	return err->retryable || err->throttling || (err->code != NULL &&
	    strcmp(err->code, "IDPCommunicationError") == 0);
}

/* POST an unsigned query request, retrying transient failures. */
static int
sts_unsigned(struct aws *aws, const char *op, const struct aws_params *p,
    xmlDoc **doc, struct aws_error *err)
{
	struct aws_endpoint	 ep;
	struct backoff		 b;
	char			*cause = NULL, *url, *body;
	int			 attempt, max, rc;

	if (aws_endpoint_resolve(aws, "sts", &ep, &cause) != 0) {
		sts_error(err, op, "ConfigError", cause, 0);
		free(cause);
		return -1;
	}
	xasprintf(&url, "%s/", ep.url);
	aws_endpoint_clear(&ep);
	body = sts_form(op, p);
	max = aws->max_attempts > 0 ? aws->max_attempts : 3;
	backoff_init(&b, aws->backoff_base_ms, aws->backoff_cap_ms);
	for (attempt = 1; ; attempt++) {
		rc = sts_unsigned_once(aws, url, op, body, doc, err);
		if (rc == 0 || attempt >= max || !sts_retryable(err))
			break;
		log_debug("%s: retrying after %s", op, err->code);
		aws_error_clear(err);
		time_sleep_ms(backoff_next(&b));
	}
	explicit_bzero(body, strlen(body));
	free(body);
	free(url);
	return rc;
}

/* AssumeRoleWithWebIdentity: unsigned, the token is the proof. */
int
sts_assume_role_with_web_identity(struct aws *aws, const char *role_arn,
    const char *session_name, const char *token, int duration,
    struct aws_creds *out, struct sts_assumed *who, struct aws_error *err)
{
	struct aws_params	 p;
	xmlDoc			*doc;
	int			 rc;

	memset(&p, 0, sizeof p);
	aws_params_add(&p, "RoleArn", role_arn);
	aws_params_add(&p, "RoleSessionName", session_name);
	aws_params_add(&p, "WebIdentityToken", token);
	if (duration > 0)
		aws_params_addf(&p, "DurationSeconds", "%d", duration);
	rc = sts_unsigned(aws, "AssumeRoleWithWebIdentity", &p, &doc, err);
	aws_params_free(&p);
	if (rc != 0)
		return -1;
	rc = sts_read_creds(doc, "AssumeRoleWithWebIdentity", out, who, err);
	xmlFreeDoc(doc);
	return rc;
}
