/*
 * Simulated STS (query protocol, API 2011-06-15): GetCallerIdentity (XML,
 * or JSON for "Accept: application/json" as aws-iam-authenticator asks),
 * AssumeRole and AssumeRoleWithWebIdentity (unsigned). Both assume calls
 * evaluate the role's trust policy (Allow/Deny statements, Action,
 * Principal AWS or Federated, String* conditions) and add a temporary
 * principal (ASIA key, secret, session token, expiry) to the simulator.
 * Web identity tokens are JWTs whose payload is read (iss, sub, aud, exp)
 * but whose signature is NOT checked: the simulator has no issuer keys.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "latticectl/json.h"
#include "latticectl/xmalloc.h"

#include "aws_svc_int.h"

#define STS_TOKEN_BYTES	240	/* random bytes of a session token */

/* One request. */
struct sts {
	struct sim_aws_call	*call;
	struct sim_aws		*sim;
	struct sim_aws_params	 p;
	const char		*action;
	int64_t			 now;
};

/* Who asks to assume a role, for the trust policy. */
struct sts_who {
	const char	*key;		/* Principal member: "AWS",
	    "Federated" */
	struct sq_strv	 principals;	/* values that name the caller */
	struct sq_strv	 ctx_keys;	/* condition keys (lower case) ... */
	struct sq_strv	 ctx_vals;	/* ... and their values, pairwise */
};

/* Issued temporary credentials. */
struct sts_creds {
	char	 ak[21];
	char	*sk;
	char	*token;
	char	 expiry[32];
	char	*role_arn;	/* assumed-role ARN */
	char	*role_id;	/* AROA...:session */
};

static void	sts_handle(struct sim_aws_call *);
static int	sts_unsigned_ok(const struct httpd_request *);

const struct sim_aws_service sim_aws_sts_service = {
	.signing_name = "sts",
	.proto = SIM_AWS_QUERY,
	.family = SIM_FAMILY_STS,
	.xmlns = STS_XMLNS,
	.global_region = "us-east-1",
	.handle = sts_handle,
	.unsigned_ok = sts_unsigned_ok,
};

/* May this unsigned request go on (AssumeRoleWithWebIdentity only)? */
static int
sts_unsigned_ok(const struct httpd_request *req)
{
	struct sim_aws_params	 p;
	const char		*a;
	int			 ok;

	sim_aws_params_parse(&p, req->body != NULL ? req->body : "",
	    req->body != NULL ? req->body_len : 0);
	a = sim_aws_param(&p, "Action");
	ok = a != NULL && strcmp(a, "AssumeRoleWithWebIdentity") == 0;
	sim_aws_params_free(&p);
	if (!ok) {
		sim_aws_params_parse(&p, req->query, strlen(req->query));
		a = sim_aws_param(&p, "Action");
		ok = a != NULL && strcmp(a, "AssumeRoleWithWebIdentity") == 0;
		sim_aws_params_free(&p);
	}
	return ok;
}

/* The account field of an ARN into out (the simulator's when none). */
static void
sts_arn_account(struct sim_aws *sim, const char *arn, char out[16])
{
	const char	*p = arn;
	int		 i;

	for (i = 0; i < 4 && p != NULL; i++) {
		p = strchr(p, ':');
		if (p != NULL)
			p++;
	}
	if (p != NULL && strspn(p, "0123456789") == 12 && p[12] == ':')
		snprintf(out, 16, "%.12s", p);
	else
		snprintf(out, 16, "%s", sim_aws_account(sim));
}

/* Does the request ask for JSON? */
static int
sts_wants_json(const struct sim_aws_call *call)
{
	const char	*a = http_headers_get(&call->req->headers, "Accept");

	return a != NULL && strstr(a, "application/json") != NULL;
}

/* GetCallerIdentity. */
static void
sts_whoami(struct sts *s)
{
	const char	*arn = sq_s(s->call->user, "arn");
	const char	*uid = sq_s(s->call->user, "userId");
	char		 acct[16];
	cJSON		*root, *resp, *res, *meta;
	struct xw	 x;

	sts_arn_account(s->sim, arn, acct);
	if (sts_wants_json(s->call)) {
		root = cJSON_CreateObject();
		resp = cJSON_AddObjectToObject(root,
		    "GetCallerIdentityResponse");
		res = cJSON_AddObjectToObject(resp, "GetCallerIdentityResult");
		cJSON_AddStringToObject(res, "Account", acct);
		cJSON_AddStringToObject(res, "Arn", arn);
		cJSON_AddStringToObject(res, "UserId", uid);
		meta = cJSON_AddObjectToObject(resp, "ResponseMetadata");
		cJSON_AddStringToObject(meta, "RequestId",
		    s->call->request_id);
		sim_aws_reply_json(s->call, 200, root);
		return;
	}
	sq_query_begin(s->call, &x, STS_XMLNS, s->action, 1);
	xw_str(&x, "Arn", arn);
	xw_str(&x, "UserId", uid);
	xw_str(&x, "Account", acct);
	sq_query_end(s->call, &x, 1);
}

/* Answer ValidationError for a missing parameter; NULL. */
static const char *
sts_need(struct sts *s, const char *param, const char *member)
{
	const char	*v = sim_aws_param(&s->p, param);

	if (v == NULL)
		sim_aws_error(s->call, 400, "ValidationError", "1 validation "
		    "error detected: Value null at '%s' failed to satisfy "
		    "constraint: Member must not be null", member);
	return v;
}

/* The common checks of an assume call: the role (by ARN), the session
 * name and the duration. NULL answered. */
static cJSON *
sts_role_args(struct sts *s, long *duration, const char **session)
{
	const char	*arn, *who;
	cJSON		*role;
	long		 maxs;
	size_t		 n;

	if ((arn = sts_need(s, "RoleArn", "roleArn")) == NULL ||
	    (*session = sts_need(s, "RoleSessionName", "roleSessionName")) ==
	    NULL)
		return NULL;
	n = strlen(*session);
	if (n < 2 || n > 64 || strspn(*session, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_+=,.@-") != n) {
		sim_aws_error(s->call, 400, "ValidationError", "1 validation "
		    "error detected: Value '%.64s' at 'roleSessionName' failed "
		    "to satisfy constraint: Member must satisfy regular "
		    "expression pattern: [\\w+=,.@-]*", *session);
		return NULL;
	}
	if ((role = sim_iam_role_by_arn(s->sim, arn)) == NULL) {
		who = s->call->user != NULL ? json_str(s->call->user, "arn") :
		    "anonymous";
		if (s->call->user != NULL)
			sim_aws_error(s->call, 403, "AccessDenied",
			    "User: %s is "
			    "not authorized to perform: sts:%s on resource: "
			    "%.200s", who, s->action, arn);
		else
			sim_aws_error(s->call, 403, "AccessDenied", "Not "
			    "authorized to perform sts:%s", s->action);
		return NULL;
	}
	maxs = (long)json_num(role, "maxSession", 3600);
	if (sq_int(&s->p, "DurationSeconds", 3600 < maxs ? 3600 : maxs, 900,
	    43200, duration) != 0 || *duration > maxs) {
		sim_aws_error(s->call, 400, "ValidationError", "The requested "
		    "DurationSeconds exceeds the MaxSessionDuration set for "
		    "this role (or is below 900).");
		return NULL;
	}
	return role;
}

/* The condition values of a key for the caller. */
static void
sts_ctx(const struct sts_who *w, const char *key, struct sq_strv *out)
{
	size_t	i;

	for (i = 0; i < w->ctx_keys.n; i++) {
		if (strcasecmp(w->ctx_keys.v[i], key) == 0)
			sq_strv_add(out, w->ctx_vals.v[i]);
	}
}


/* Does a condition's string-or-array value hold s? */
static int
sts_value_in(const cJSON *vals, const char *s, int like, int icase)
{
	const cJSON	*v;

	if (cJSON_IsString(vals))
		return like ? sq_glob(vals->valuestring, s, icase) :
		    (icase ? strcasecmp(vals->valuestring, s) :
		    strcmp(vals->valuestring, s)) == 0;
	cJSON_ArrayForEach(v, vals) {
		if (sts_value_in(v, s, like, icase))
			return 1;
	}
	return 0;
}

/* Does one condition operator block ({"key": value(s)}) hold? Unknown
 * operators and missing keys do not. */
static int
sts_cond_op(const struct sts_who *w, const char *op, const cJSON *block)
{
	const cJSON	*kv;
	struct sq_strv	 have = { NULL, 0 };
	int		 like, neg, icase, ok = 1, hit;
	size_t		 i;

	if (strncmp(op, "ForAnyValue:", 12) == 0)
		op += 12;
	if (strncmp(op, "String", 6) != 0 || !cJSON_IsObject(block))
		return 0;
	like = strstr(op, "Like") != NULL;
	neg = strstr(op, "Not") != NULL;
	icase = strstr(op, "IgnoreCase") != NULL;
	cJSON_ArrayForEach(kv, block) {
		sts_ctx(w, kv->string, &have);
		hit = 0;
		for (i = 0; i < have.n && !hit; i++)
			hit = sts_value_in(kv, have.v[i], like, icase);
		ok &= neg ? !hit : hit;
		sq_strv_free(&have);
	}
	return ok;
}

/* Does a statement's Principal name the caller? */
static int
sts_principal(const struct sts_who *w, const cJSON *st)
{
	const cJSON	*pr = cJSON_GetObjectItemCaseSensitive(st, "Principal");
	const cJSON	*elem;
	size_t		 i;

	if (cJSON_IsString(pr))
		return strcmp(pr->valuestring, "*") == 0;
	elem = cJSON_GetObjectItemCaseSensitive(pr, w->key);
	for (i = 0; elem != NULL && i < w->principals.n; i++) {
		if (sts_value_in(elem, w->principals.v[i], 0, 0) ||
		    sts_value_in(elem, "*", 0, 0))
			return 1;
	}
	return 0;
}

/* Does a statement apply to this call? */
static int
sts_statement(const struct sts_who *w, const cJSON *st, const char *action)
{
	const cJSON	*cond, *op;

	if (!cJSON_IsObject(st) ||
	    !sq_policy_any(cJSON_GetObjectItemCaseSensitive(st, "Action"),
	    action, 1) || !sts_principal(w, st))
		return 0;
	cond = cJSON_GetObjectItemCaseSensitive(st, "Condition");
	cJSON_ArrayForEach(op, cond) {
		if (!sts_cond_op(w, op->string, op))
			return 0;
	}
	return 1;
}

/* Does the role's trust policy let the caller do action? */
static int
sts_trusts(const cJSON *role, const struct sts_who *w, const char *action)
{
	cJSON		*doc, *stmts, *st;
	const char	*why, *effect;
	int		 allow = 0, deny = 0;

	doc = sq_policy_parse(sq_s(role, "trust"), 1, &why);
	if (doc == NULL)
		return 0;
	stmts = cJSON_GetObjectItemCaseSensitive(doc, "Statement");
	if (cJSON_IsObject(stmts)) {
		effect = sq_s(stmts, "Effect");
		allow = strcmp(effect, "Allow") == 0 &&
		    sts_statement(w, stmts, action);
	}
	if (!cJSON_IsArray(stmts))
		stmts = NULL;
	cJSON_ArrayForEach(st, stmts) {
		effect = sq_s(st, "Effect");
		if (!sts_statement(w, st, action))
			continue;
		if (strcmp(effect, "Deny") == 0)
			deny = 1;
		else
			allow = 1;
	}
	cJSON_Delete(doc);
	return allow && !deny;
}

/* Free a caller description. */
static void
sts_who_free(struct sts_who *w)
{
	sq_strv_free(&w->principals);
	sq_strv_free(&w->ctx_keys);
	sq_strv_free(&w->ctx_vals);
}

/* Add a condition key and its value. */
static void
sts_who_ctx(struct sts_who *w, const char *key, const char *value)
{
	sq_strv_add(&w->ctx_keys, key);
	sq_strv_add(&w->ctx_vals, value);
}

/* Issue temporary credentials for a role and add the principal. */
static void
sts_issue(struct sts *s, const cJSON *role, const char *session,
    long duration, struct sts_creds *c)
{
	char	 rnd[18], acct[16];
	size_t	 i;

	sim_aws_rand_chars(rnd, 16, 0);
	for (i = 0; i < 16; i++)
		rnd[i] = (char)toupper((unsigned char)rnd[i]);
	snprintf(c->ak, sizeof c->ak, "ASIA%.16s", rnd);
	c->sk = sq_rand_b64(30);
	c->token = sq_rand_b64(STS_TOKEN_BYTES);
	sq_iso_sec(s->now + duration * 1000, c->expiry);
	sts_arn_account(s->sim, sq_s(role, "arn"), acct);
	xasprintf(&c->role_arn, "arn:aws:sts::%s:assumed-role/%s/%s", acct,
	    sq_s(role, "name"), session);
	xasprintf(&c->role_id, "%s:%s", sq_s(role, "id"), session);
	sq_put_user(s->sim, c->ak, c->sk, c->token, c->role_arn, c->role_id,
	    s->now + duration * 1000);
}

/* Write AssumedRoleUser and Credentials, and free the credentials. */
static void
sts_write_creds(struct xw *x, struct sts_creds *c)
{
	xw_open(x, "AssumedRoleUser");
	xw_str(x, "AssumedRoleId", c->role_id);
	xw_str(x, "Arn", c->role_arn);
	xw_close(x);
	xw_open(x, "Credentials");
	xw_str(x, "AccessKeyId", c->ak);
	xw_str(x, "SecretAccessKey", c->sk);
	xw_str(x, "SessionToken", c->token);
	xw_str(x, "Expiration", c->expiry);
	xw_close(x);
	free(c->sk);
	free(c->token);
	free(c->role_arn);
	free(c->role_id);
}

/* The IAM role ARN behind an assumed-role caller ARN, or NULL. */
static char *
sts_caller_role(struct sim_aws *sim, const char *arn)
{
	const char	*p = arn != NULL ? strstr(arn, ":assumed-role/") : NULL;
	char		*name;
	cJSON		*role;

	if (p == NULL)
		return NULL;
	p += 14;
	name = xstrndup(p, strcspn(p, "/"));
	role = sim_iam_find_role(sim, name);
	free(name);
	return role != NULL ? xstrdup(sq_s(role, "arn")) : NULL;
}

/* AssumeRole. */
static void
sts_assume(struct sts *s)
{
	struct sts_who	 w;
	struct sts_creds c;
	const char	*session, *ext, *arn;
	cJSON		*role;
	long		 duration;
	char		 acct[16], *rarn;
	struct xw	 x;

	if (s->call->user == NULL) {
		sim_aws_error(s->call, 403, "MissingAuthenticationToken",
		    "Request is missing Authentication Token");
		return;
	}
	if ((role = sts_role_args(s, &duration, &session)) == NULL)
		return;
	memset(&w, 0, sizeof w);
	w.key = "AWS";
	arn = sq_s(s->call->user, "arn");
	sts_arn_account(s->sim, arn, acct);
	sq_strv_add(&w.principals, arn);
	sq_strv_addf(&w.principals, "arn:aws:iam::%s:root", acct);
	sq_strv_add(&w.principals, acct);
	if ((rarn = sts_caller_role(s->sim, arn)) != NULL)
		sq_strv_add(&w.principals, rarn);
	free(rarn);
	sts_who_ctx(&w, "aws:PrincipalArn", arn);
	sts_who_ctx(&w, "aws:PrincipalAccount", acct);
	if ((ext = sim_aws_param(&s->p, "ExternalId")) != NULL)
		sts_who_ctx(&w, "sts:ExternalId", ext);
	if (!sts_trusts(role, &w, "sts:AssumeRole")) {
		sim_aws_error(s->call, 403, "AccessDenied", "User: %s is not "
		    "authorized to perform: sts:AssumeRole on resource: %s",
		    arn, sq_s(role, "arn"));
		sts_who_free(&w);
		return;
	}
	sts_who_free(&w);
	sts_issue(s, role, session, duration, &c);
	sq_query_begin(s->call, &x, STS_XMLNS, s->action, 1);
	sts_write_creds(&x, &c);
	sq_query_end(s->call, &x, 1);
}

/* The JSON payload of a JWT (header.payload.signature), or NULL. */
static cJSON *
sts_jwt_payload(const char *jwt)
{
	const char	*dot1, *dot2;
	unsigned char	*raw;
	size_t		 n;
	cJSON		*payload;
	char		*cause = NULL;

	dot1 = strchr(jwt, '.');
	dot2 = dot1 != NULL ? strchr(dot1 + 1, '.') : NULL;
	if (dot1 == NULL || dot2 == NULL || strchr(dot2 + 1, '.') != NULL)
		return NULL;
	raw = sq_b64url_decode(dot1 + 1, (size_t)(dot2 - dot1 - 1), &n);
	if (raw == NULL)
		return NULL;
	payload = json_parse((char *)raw, n, "jwt", &cause);
	free(cause);
	free(raw);
	if (payload != NULL && !cJSON_IsObject(payload)) {
		cJSON_Delete(payload);
		payload = NULL;
	}
	return payload;
}

/* The token's audience that the provider lists, or NULL. */
static const char *
sts_audience(const cJSON *jwt, const cJSON *provider)
{
	const cJSON	*aud = cJSON_GetObjectItemCaseSensitive(jwt, "aud");
	const cJSON	*clients, *a;

	clients = cJSON_GetObjectItemCaseSensitive(provider, "clients");
	if (cJSON_IsString(aud))
		return sts_value_in(clients, aud->valuestring, 0, 0) ?
		    aud->valuestring : NULL;
	if (!cJSON_IsArray(aud))
		return NULL;
	cJSON_ArrayForEach(a, aud) {
		if (cJSON_IsString(a) &&
		    sts_value_in(clients, a->valuestring, 0, 0))
			return a->valuestring;
	}
	return NULL;
}

/* Check the web identity token; the provider, or NULL answered. */
static cJSON *
sts_check_jwt(struct sts *s, const cJSON *jwt, const char **aud)
{
	const char	*iss = json_str(jwt, "iss");
	cJSON		*prov;
	double		 exp = json_num(jwt, "exp", -1);

	if (iss == NULL || json_str(jwt, "sub") == NULL) {
		sim_aws_error(s->call, 400, "InvalidIdentityToken", "The ID "
		    "Token provided is missing the iss or sub claim.");
		return NULL;
	}
	if ((prov = sim_iam_find_oidc(s->sim, iss)) == NULL) {
		sim_aws_error(s->call, 400, "InvalidIdentityToken", "No "
		    "OpenIDConnect provider found in your account for %.200s",
		    iss);
		return NULL;
	}
	if ((*aud = sts_audience(jwt, prov)) == NULL) {
		sim_aws_error(s->call, 400, "InvalidIdentityToken", "Incorrect "
		    "token audience");
		return NULL;
	}
	if (exp < 0 || exp * 1000 < (double)s->now) {
		sim_aws_error(s->call, 400, "ExpiredTokenException", "Token "
		    "expired: current date/time %lld must be before the "
		    "expiration date/time %.0f", (long long)(s->now / 1000),
		    exp);
		return NULL;
	}
	return prov;
}

/* AssumeRoleWithWebIdentity. */
static void
sts_assume_web(struct sts *s)
{
	struct sts_who	 w;
	struct sts_creds c;
	const char	*session, *tok, *aud, *url;
	cJSON		*role, *jwt = NULL, *prov;
	long		 duration;
	char		*key;
	struct xw	 x;

	if ((role = sts_role_args(s, &duration, &session)) == NULL ||
	    (tok = sts_need(s, "WebIdentityToken", "webIdentityToken")) ==
	    NULL)
		return;
	if ((jwt = sts_jwt_payload(tok)) == NULL) {
		sim_aws_error(s->call, 400, "InvalidIdentityToken", "The ID "
		    "Token provided is not a valid JWT. (You may see this "
		    "error if you sent an Access Token)");
		return;
	}
	if ((prov = sts_check_jwt(s, jwt, &aud)) == NULL)
		goto out;
	memset(&w, 0, sizeof w);
	w.key = "Federated";
	url = sq_s(prov, "url");
	sq_strv_add(&w.principals, sq_s(prov, "arn"));
	xasprintf(&key, "%s:sub", url);
	sts_who_ctx(&w, key, json_str(jwt, "sub"));
	free(key);
	xasprintf(&key, "%s:aud", url);
	sts_who_ctx(&w, key, aud);
	free(key);
	if (!sts_trusts(role, &w, "sts:AssumeRoleWithWebIdentity")) {
		sim_aws_error(s->call, 403, "AccessDenied", "Not authorized to "
		    "perform sts:AssumeRoleWithWebIdentity");
		sts_who_free(&w);
		goto out;
	}
	sts_who_free(&w);
	sts_issue(s, role, session, duration, &c);
	sq_query_begin(s->call, &x, STS_XMLNS, s->action, 1);
	xw_str(&x, "SubjectFromWebIdentityToken", json_str(jwt, "sub"));
	xw_str(&x, "Audience", aud);
	sts_write_creds(&x, &c);
	xw_str(&x, "Provider", sq_s(prov, "arn"));
	sq_query_end(s->call, &x, 1);
out:
	cJSON_Delete(jwt);
}

/* Serve one STS request. */
static void
sts_handle(struct sim_aws_call *call)
{
	struct sts	s;

	memset(&s, 0, sizeof s);
	s.call = call;
	s.sim = call->sim;
	s.now = sim_aws_now_ms(call->sim);
	sq_params(call, &s.p);
	s.action = sim_aws_param(&s.p, "Action");
	if (s.action == NULL)
		sim_aws_error(call, 400, "MissingAction", "Missing Action");
	else if (strcmp(s.action, "AssumeRoleWithWebIdentity") == 0)
		sts_assume_web(&s);
	else if (call->user == NULL)
		sim_aws_error(call, 403, "MissingAuthenticationToken",
		    "Request is missing Authentication Token");
	else if (strcmp(s.action, "GetCallerIdentity") == 0)
		sts_whoami(&s);
	else if (strcmp(s.action, "AssumeRole") == 0)
		sts_assume(&s);
	else
		sim_aws_unknown_op(call, s.action);
	sim_aws_params_free(&s.p);
}
