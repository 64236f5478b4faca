/*
 * Simulated VPC Lattice: routing (method + URI, as the rest-json model
 * says), the records store, transitions, errors, pagination, idempotency.
 * The operations live in aws_lattice_{svc,lst,tg,misc}.c.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "latticectl/json.h"
#include "latticectl/sigv4.h"
#include "latticectl/strbuf.h"
#include "latticectl/xmalloc.h"

#include "aws_lattice_int.h"

const struct lat_kind_info lat_kinds[LK_MAX] = {
	[LK_SERVICE] = { "services", "svc", "service", "SERVICE", 1, 40 },
	[LK_SN] = { "serviceNetworks", "sn", "servicenetwork",
	    "SERVICE_NETWORK", 0, 63 },
	[LK_SNSA] = { "serviceNetworkServiceAssociations", "snsa",
	    "servicenetworkserviceassociation",
	    "SERVICE_NETWORK_SERVICE_ASSOCIATION", 1, 0 },
	[LK_SNVA] = { "serviceNetworkVpcAssociations", "snva",
	    "servicenetworkvpcassociation", "SERVICE_NETWORK_VPC_ASSOCIATION",
	    1, 0 },
	[LK_LISTENER] = { "listeners", "listener", "listener", "LISTENER", 0,
	    63 },
	[LK_RULE] = { "rules", "rule", "rule", "RULE", 0, 63 },
	[LK_TG] = { "targetGroups", "tg", "targetgroup", "TARGET_GROUP", 1,
	    128 },
	[LK_ALS] = { "accessLogSubscriptions", "als", "accesslogsubscription",
	    "ACCESS_LOG_SUBSCRIPTION", 0, 0 },
};

static void	lat_handle(struct sim_aws_call *);

const struct sim_aws_service sim_aws_lattice_service = {
	.signing_name = "vpc-lattice",
	.proto = SIM_AWS_REST_JSON,
	.family = SIM_FAMILY_LATTICE,
	.handle = lat_handle,
};

/* The array of records of a kind. */
cJSON *
lat_array(struct lat *l, enum lat_kind k)
{
	cJSON	*a;

	a = cJSON_GetObjectItemCaseSensitive(l->st, lat_kinds[k].key);
	if (a == NULL)
		a = cJSON_AddArrayToObject(l->st, lat_kinds[k].key);
	return a;
}

/* The id of a record ("" when missing). */
const char *
lat_id(const cJSON *rec)
{
	const char	*id = json_str(rec, "id");

	return id != NULL ? id : "";
}

/* A string member of a record, "" when missing. */
const char *
lat_s(const cJSON *rec, const char *key)
{
	const char	*s = json_str(rec, key);

	return s != NULL ? s : "";
}

/* Find a record by id or ARN, or NULL. */
cJSON *
lat_find(struct lat *l, enum lat_kind k, const char *ident)
{
	cJSON		*rec;
	const char	*key;

	if (ident == NULL)
		return NULL;
	key = strncmp(ident, "arn:", 4) == 0 ? "arn" : "id";
	cJSON_ArrayForEach(rec, lat_array(l, k)) {
		const char *v = json_str(rec, key);

		if (v != NULL && strcmp(v, ident) == 0)
			return rec;
	}
	return NULL;
}

/* Does s start with "PREFIX-" and 17 [0-9a-z]? Returns the length used. */
static size_t
lat_id_match(const char *s, const char *prefix)
{
	size_t	n = strlen(prefix), i;

	if (strncmp(s, prefix, n) != 0 || s[n] != '-')
		return 0;
	for (i = 0; i < 17; i++) {
		char c = s[n + 1 + i];

		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z')))
			return 0;
	}
	return n + 18;
}

/* Check "arn:PART:vpc-lattice:REGION:ACCT:" and return the resource. */
static const char *
lat_arn_resource(const char *s)
{
	const char	*p;
	size_t		 n;

	if (strncmp(s, "arn:", 4) != 0)
		return NULL;
	p = s + 4;
	n = strspn(p, "abcdefghijklmnopqrstuvwxyz0123456789-");
	if (n == 0 || p[n] != ':' || strncmp(p + n, ":vpc-lattice:", 13) != 0)
		return NULL;
	p += n + 13;
	n = strspn(p, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789-");
	if (n == 0 || p[n] != ':')
		return NULL;
	p += n + 1;
	if (strspn(p, "0123456789") != 12 || p[12] != ':')
		return NULL;
	return p + 13;
}

/* Match "type/id[/type/id...]" for a kind's chain; 1 when it does. */
static int
lat_arn_path(enum lat_kind k, const char *r)
{
	static const enum lat_kind chain_l[] = { LK_SERVICE, LK_LISTENER };
	static const enum lat_kind chain_r[] = { LK_SERVICE, LK_LISTENER,
	    LK_RULE };
	const enum lat_kind	*chain = &k;
	size_t			 n = 1, i, m, t;

	if (k == LK_LISTENER) {
		chain = chain_l;
		n = 2;
	} else if (k == LK_RULE) {
		chain = chain_r;
		n = 3;
	}
	for (i = 0; i < n; i++) {
		t = strlen(lat_kinds[chain[i]].arn_type);
		if (i > 0 && *r++ != '/')
			return 0;
		if (strncmp(r, lat_kinds[chain[i]].arn_type, t) != 0 ||
		    r[t] != '/')
			return 0;
		r += t + 1;
		if ((m = lat_id_match(r, lat_kinds[chain[i]].prefix)) == 0)
			return 0;
		r += m;
	}
	return *r == '\0';
}

/* Is ident a well-formed ID or ARN of the kind? */
int
lat_ident_valid(enum lat_kind k, const char *ident)
{
	const char	*r;
	size_t		 m;

	if (ident == NULL || strlen(ident) > 2048)
		return 0;
	if ((r = lat_arn_resource(ident)) != NULL)
		return lat_arn_path(k, r);
	m = lat_id_match(ident, lat_kinds[k].prefix);
	return m != 0 && ident[m] == '\0';
}

/* A record by identifier: answers ValidationException or 404 when not. */
cJSON *
lat_resolve(struct lat *l, enum lat_kind k, const char *ident,
    const char *field)
{
	cJSON	*rec;

	if (!lat_ident_valid(k, ident)) {
		lat_invalid(l, field, "Value '%.200s' at '%s' failed to satisfy "
		    "constraint: Member must be a valid %s identifier (ID or "
		    "ARN)", ident != NULL ? ident : "null", field,
		    lat_kinds[k].prefix);
		return NULL;
	}
	if ((rec = lat_find(l, k, ident)) == NULL)
		lat_not_found(l, k, ident);
	return rec;
}

/* Is there room for one more record (bounded memory)? */
int
lat_room(struct lat *l)
{
	size_t	total = 0;
	int	k;

	for (k = 0; k < LK_MAX; k++)
		total += (size_t)cJSON_GetArraySize(lat_array(l,
		    (enum lat_kind)k));
	return total < LAT_MAX_RECORDS;
}

/* Note a time when something becomes due (a transition). */
void
lat_due(struct lat *l, int64_t due)
{
	cJSON	*d = cJSON_GetObjectItemCaseSensitive(l->st, "_nextDue");

	if (d == NULL)
		d = cJSON_AddNumberToObject(l->st, "_nextDue", 0);
	if (d->valuedouble == 0 || (double)due < d->valuedouble)
		cJSON_SetNumberValue(d, (double)due);
}

/* A new record of a kind, appended; ARN under arn_parent when given. */
cJSON *
lat_new_record(struct lat *l, enum lat_kind k, const char *arn_parent,
    const char *name)
{
	const struct lat_kind_info	*ki = &lat_kinds[k];
	cJSON				*rec;
	char				 rnd[18], id[40], *arn;
	unsigned			 delay;

	sim_aws_rand_chars(rnd, 17, 0);
	snprintf(id, sizeof id, "%s-%s", ki->prefix, rnd);
	if (arn_parent != NULL)
		xasprintf(&arn, "%s/%s/%s", arn_parent, ki->arn_type, id);
	else
		xasprintf(&arn, "arn:aws:vpc-lattice:%s:%s:%s/%s",
		    sim_aws_region(l->sim), sim_aws_account(l->sim),
		    ki->arn_type, id);
	rec = cJSON_CreateObject();
	cJSON_AddStringToObject(rec, "id", id);
	cJSON_AddStringToObject(rec, "arn", arn);
	if (name != NULL)
		cJSON_AddStringToObject(rec, "name", name);
	cJSON_AddStringToObject(rec, "createdAt", l->now_iso);
	cJSON_AddStringToObject(rec, "lastUpdatedAt", l->now_iso);
	cJSON_AddNumberToObject(rec, "_seq", (double)sim_aws_next_seq(l->sim));
	cJSON_AddNumberToObject(rec, "_createdMs", (double)l->now);
	if (ki->has_status) {
		delay = sim_aws_opts(l->sim)->create_delay_ms;
		cJSON_AddStringToObject(rec, "status", delay > 0 ?
		    "CREATE_IN_PROGRESS" : "ACTIVE");
		if (delay > 0) {
			cJSON_AddNumberToObject(rec, "_activeAtMs",
			    (double)(l->now + delay));
			lat_due(l, l->now + delay);
		}
	}
	cJSON_AddItemToArray(lat_array(l, k), rec);
	free(arn);
	return rec;
}

/* Mark a record updated now. */
void
lat_touch(struct lat *l, cJSON *rec)
{
	cJSON_DeleteItemFromObjectCaseSensitive(rec, "lastUpdatedAt");
	cJSON_AddStringToObject(rec, "lastUpdatedAt", l->now_iso);
}

/* A response object with the named members of a record. */
cJSON *
lat_pick(const cJSON *rec, const char *const *members)
{
	cJSON		*out, *item;
	size_t		 i;

	out = cJSON_CreateObject();
	for (i = 0; members[i] != NULL; i++) {
		item = cJSON_GetObjectItemCaseSensitive(rec, members[i]);
		if (item != NULL && !cJSON_IsNull(item))
			cJSON_AddItemToObject(out, members[i],
			    cJSON_Duplicate(item, 1));
	}
	return out;
}

/* Is the record being deleted? */
int
lat_deleting(const cJSON *rec)
{
	return cJSON_GetObjectItemCaseSensitive(rec, "_deleteAtMs") != NULL;
}

/* Remove a record now. */
void
lat_remove(struct lat *l, enum lat_kind k, cJSON *rec)
{
	cJSON		*a, *next;
	const char	*id = lat_id(rec);

	/* A service's or network's access log subscriptions go with it. */
	if ((k == LK_SERVICE || k == LK_SN) && id != NULL) {
		for (a = lat_array(l, LK_ALS)->child; a != NULL; a = next) {
			next = a->next;
			if (strcmp(lat_s(a, "resourceId"), id) == 0)
				cJSON_Delete(cJSON_DetachItemViaPointer(
				    lat_array(l, LK_ALS), a));
		}
	}
	cJSON_Delete(cJSON_DetachItemViaPointer(lat_array(l, k), rec));
}

/* Delete a record: DELETE_IN_PROGRESS for the delay, or gone now. */
void
lat_delete(struct lat *l, enum lat_kind k, cJSON *rec)
{
	unsigned	delay = sim_aws_opts(l->sim)->delete_delay_ms;

	if (!lat_kinds[k].has_status || delay == 0) {
		lat_remove(l, k, rec);
		return;
	}
	cJSON_DeleteItemFromObjectCaseSensitive(rec, "status");
	cJSON_AddStringToObject(rec, "status", "DELETE_IN_PROGRESS");
	cJSON_DeleteItemFromObjectCaseSensitive(rec, "_activeAtMs");
	if (!lat_deleting(rec))
		cJSON_AddNumberToObject(rec, "_deleteAtMs",
		    (double)(l->now + delay));
	lat_due(l, l->now + delay);
}

/* How many records of a kind have member == value (all when NULL). */
size_t
lat_count(struct lat *l, enum lat_kind k, const char *member,
    const char *value)
{
	const cJSON	*rec;
	const char	*v;
	size_t		 n = 0;

	cJSON_ArrayForEach(rec, lat_array(l, k)) {
		v = member != NULL ? json_str(rec, member) : NULL;
		if (member == NULL || (v != NULL && strcmp(v, value) == 0))
			n++;
	}
	return n;
}

/* Run the transitions that are due: ACTIVE after the create delay, gone
 * after the delete delay, drained targets dropped. */
static void
lat_tick(struct lat *l)
{
	cJSON	*d, *rec, *next, *t, *tnext, *targets;
	double	 at;
	int	 k;

	d = cJSON_GetObjectItemCaseSensitive(l->st, "_nextDue");
	if (d == NULL || d->valuedouble == 0 || (double)l->now < d->valuedouble)
		return;
	cJSON_SetNumberValue(d, 0);
	for (k = 0; k < LK_MAX; k++) {
		for (rec = lat_array(l, k)->child; rec != NULL; rec = next) {
			next = rec->next;
			if ((at = json_num(rec, "_deleteAtMs", 0)) > 0) {
				if ((double)l->now >= at)
					lat_remove(l, k, rec);
				else
					lat_due(l, (int64_t)at);
				continue;
			}
			if ((at = json_num(rec, "_activeAtMs", 0)) > 0) {
				if ((double)l->now >= at) {
					cJSON_DeleteItemFromObjectCaseSensitive(
					    rec, "_activeAtMs");
					cJSON_DeleteItemFromObjectCaseSensitive(
					    rec, "status");
					cJSON_AddStringToObject(rec, "status",
					    "ACTIVE");
				} else
					lat_due(l, (int64_t)at);
			}
			targets = cJSON_GetObjectItemCaseSensitive(rec,
			    "_targets");
			for (t = targets != NULL ? targets->child : NULL;
			    t != NULL; t = tnext) {
				tnext = t->next;
				at = json_num(t, "_drainUntilMs", 0);
				if (at > 0 && (double)l->now >= at)
					cJSON_Delete(cJSON_DetachItemViaPointer(
					    targets, t));
				else if (at > 0)
					lat_due(l, (int64_t)at);
			}
		}
	}
}

/* Answer with the route's success status. */
void
lat_ok(struct lat *l, cJSON *body)
{
	if (l->route->status == 204) {
		cJSON_Delete(body);
		body = NULL;
	} else if (body == NULL)
		body = cJSON_CreateObject();
	sim_aws_reply_json(l->call, l->route->status, body);
}

/* An error with resourceId/resourceType members. */
static cJSON *
lat_err_extra(enum lat_kind k, const char *id)
{
	cJSON	*extra = cJSON_CreateObject();

	cJSON_AddStringToObject(extra, "resourceId", id != NULL ? id : "");
	cJSON_AddStringToObject(extra, "resourceType", lat_kinds[k].rtype);
	return extra;
}

/* 404 ResourceNotFoundException. */
void
lat_not_found(struct lat *l, enum lat_kind k, const char *ident)
{
	sim_aws_error_extra(l->call, 404, "ResourceNotFoundException",
	    lat_err_extra(k, ident), "%s %.200s not found", lat_kinds[k].rtype,
	    ident != NULL ? ident : "");
}

/* 409 ConflictException. */
void
lat_conflict(struct lat *l, enum lat_kind k, const char *id,
    const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;

	va_start(ap, fmt);
	xvasprintf(&msg, fmt, ap);
	va_end(ap);
	sim_aws_error_extra(l->call, 409, "ConflictException",
	    lat_err_extra(k, id), "%s", msg);
	free(msg);
}

/* 402 ServiceQuotaExceededException. */
void
lat_quota(struct lat *l, enum lat_kind k, const char *id,
    const char *quota_code, const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;
	cJSON	*extra;

	va_start(ap, fmt);
	xvasprintf(&msg, fmt, ap);
	va_end(ap);
	extra = lat_err_extra(k, id);
	cJSON_AddStringToObject(extra, "serviceCode", "vpc-lattice");
	cJSON_AddStringToObject(extra, "quotaCode", quota_code);
	sim_aws_error_extra(l->call, 402, "ServiceQuotaExceededException",
	    extra, "%s", msg);
	free(msg);
}

/* 400 ValidationException for one field. */
void
lat_invalid(struct lat *l, const char *field, const char *fmt, ...)
{
	struct lat_v	v;
	va_list		ap;
	char		*msg;

	va_start(ap, fmt);
	xvasprintf(&msg, fmt, ap);
	va_end(ap);
	lat_v_init(&v);
	lat_v_add(&v, field, "%s", msg);
	free(msg);
	lat_v_done(l, &v);
}

/* A query parameter, or NULL. */
const char *
lat_qparam(struct lat *l, const char *name)
{
	return sim_aws_param(&l->q, name);
}

/* maxResults from the query (1-100, default 100); -1 answered. */
int
lat_max_results(struct lat *l, int64_t *out)
{
	const char	*s = lat_qparam(l, "maxResults");
	char		*end;
	long		 v;

	*out = 100;
	if (s == NULL)
		return 0;
	v = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || v < 1 || v > 100) {
		lat_invalid(l, "maxResults", "Value '%.40s' at 'maxResults' "
		    "failed to satisfy constraint: Member must have value "
		    "between 1 and 100", s);
		return -1;
	}
	*out = v;
	return 0;
}

/* An opaque page token for the next record (caller frees). */
static char *
lat_token_encode(struct lat *l, int64_t seq)
{
	char		 plain[160];
	unsigned char	 out[256];
	int		 n;

	n = snprintf(plain, sizeof plain, "lattice/%s/%lld", l->route->op,
	    (long long)seq);
	n = EVP_EncodeBlock(out, (const unsigned char *)plain, n);
	return xstrndup((const char *)out, (size_t)n);
}

/* The seq a page token points at, or -1 when it is not ours. */
static int64_t
lat_token_decode(struct lat *l, const char *tok)
{
	unsigned char	 out[256];
	char		 want[128], *end;
	size_t		 len = strlen(tok), wl;
	int		 n;
	long long	 v;

	if (len == 0 || len > 200 || len % 4 != 0)
		return -1;
	n = EVP_DecodeBlock(out, (const unsigned char *)tok, (int)len);
	if (n < 0)
		return -1;
	while (n > 0 && out[n - 1] == '\0')
		n--;
	out[n] = '\0';
	wl = (size_t)snprintf(want, sizeof want, "lattice/%s/", l->route->op);
	if (strncmp((char *)out, want, wl) != 0)
		return -1;
	v = strtoll((char *)out + wl, &end, 10);
	if (*end != '\0' || v < 0 || end == (char *)out + wl)
		return -1;
	return v;
}

/* Answer one page of {items, nextToken} over the records of arr. */
void
lat_page(struct lat *l, const cJSON *arr, lat_filter_fn filter, void *ctx,
    lat_render_fn render)
{
	const cJSON	*rec;
	const char	*tok = lat_qparam(l, "nextToken");
	cJSON		*body, *items;
	int64_t		 max, start = 0, n = 0;
	char		*next = NULL;

	if (lat_max_results(l, &max) != 0)
		return;
	if (tok != NULL && (start = lat_token_decode(l, tok)) < 0) {
		lat_invalid(l, "nextToken", "Invalid pagination token");
		return;
	}
	body = cJSON_CreateObject();
	items = cJSON_AddArrayToObject(body, "items");
	cJSON_ArrayForEach(rec, arr) {
		if (json_num(rec, "_seq", 0) < (double)start ||
		    (filter != NULL && !filter(l, rec, ctx)))
			continue;
		if (n++ == max) {
			next = lat_token_encode(l, (int64_t)json_num(rec,
			    "_seq", 0));
			break;
		}
		cJSON_AddItemToArray(items, render(l, rec));
	}
	if (next != NULL)
		cJSON_AddStringToObject(body, "nextToken", next);
	free(next);
	lat_ok(l, body);
}

/* The request fingerprint for clientToken replays. */
static void
lat_idem_hash(struct lat *l, char out[65])
{
	struct strbuf	 sb = STRBUF_INIT;
	cJSON		*copy;
	char		*text;
	int		 i;

	copy = cJSON_Duplicate(l->body, 1);
	cJSON_DeleteItemFromObjectCaseSensitive(copy, "clientToken");
	text = cJSON_PrintUnformatted(copy);
	strbuf_addf(&sb, "%s\n", l->route->op);
	for (i = 0; i < LAT_MAX_SEGS && l->seg[i] != NULL; i++)
		strbuf_addf(&sb, "%s\n", l->seg[i]);
	strbuf_adds(&sb, text);
	sigv4_sha256_hex(sb.buf, sb.len, out);
	cJSON_free(text);
	cJSON_Delete(copy);
	strbuf_free(&sb);
}

/* clientToken: replay the same request, refuse a different one. */
int
lat_idem_check(struct lat *l, enum lat_kind k, lat_render_fn render)
{
	const cJSON	*tokitem;
	cJSON		*rec;
	const char	*tok, *hash;

	tokitem = cJSON_GetObjectItemCaseSensitive(l->body, "clientToken");
	if (tokitem == NULL)
		return 0;
	tok = cJSON_GetStringValue(tokitem);
	if (tok == NULL || *tok == '\0' || strlen(tok) > 64) {
		lat_invalid(l, "clientToken", "Member must have length between "
		    "1 and 64");
		return 1;
	}
	l->idem_token = tok;
	lat_idem_hash(l, l->idem_hash);
	cJSON_ArrayForEach(rec, lat_array(l, k)) {
		if (json_str(rec, "_clientToken") == NULL ||
		    strcmp(json_str(rec, "_clientToken"), tok) != 0)
			continue;
		hash = json_str(rec, "_reqHash");
		if (hash != NULL && strcmp(hash, l->idem_hash) == 0)
			lat_ok(l, render(l, rec));
		else
			lat_conflict(l, k, lat_id(rec), "The clientToken %s "
			    "was already used for a different request", tok);
		return 1;
	}
	return 0;
}

/* Remember the clientToken of the request that made rec. */
void
lat_idem_store(struct lat *l, cJSON *rec)
{
	if (l->idem_token == NULL)
		return;
	cJSON_AddStringToObject(rec, "_clientToken", l->idem_token);
	cJSON_AddStringToObject(rec, "_reqHash", l->idem_hash);
}

/* Replace (merge) tags on a record. */
void
lat_set_tags(cJSON *rec, const cJSON *tags)
{
	cJSON		*have;
	const cJSON	*t;

	have = cJSON_GetObjectItemCaseSensitive(rec, "_tags");
	if (have == NULL)
		have = cJSON_AddObjectToObject(rec, "_tags");
	cJSON_ArrayForEach(t, tags) {
		if (!cJSON_IsString(t))
			continue;
		cJSON_DeleteItemFromObjectCaseSensitive(have, t->string);
		cJSON_AddStringToObject(have, t->string, t->valuestring);
	}
}

/* Match a raw path against a pattern, decoding the {} segments. */
static int
lat_match(struct lat *l, const char *pattern, const char *path)
{
	const char	*p = pattern, *s = path, *pe, *se;
	int		 nseg = 0;

	while (*p == '/' && *s == '/') {
		p++;
		s++;
		pe = p + strcspn(p, "/");
		se = s + strcspn(s, "/");
		if (pe - p == 2 && strncmp(p, "{}", 2) == 0) {
			if (se == s || nseg == LAT_MAX_SEGS)
				return 0;
			l->seg[nseg++] = sim_aws_unescape(s, (size_t)(se - s),
			    0);
		} else if (pe - p != se - s || strncmp(p, s, (size_t)(pe - p)))
			return 0;
		p = pe;
		s = se;
	}
	return *p == '\0' && *s == '\0';
}

/* Free the decoded segments. */
static void
lat_free_segs(struct lat *l)
{
	int	i;

	for (i = 0; i < LAT_MAX_SEGS; i++)
		xfree_ptr(&l->seg[i]);
}

/* Find the route for the request; NULL when none. */
static const struct lat_route *
lat_route_find(struct lat *l)
{
	static const struct lat_route *const tables[] = {
		lat_routes_svc, lat_routes_lst, lat_routes_tg, lat_routes_misc
	};
	const struct lat_route	*r;
	size_t			 i;

	for (i = 0; i < sizeof tables / sizeof tables[0]; i++) {
		for (r = tables[i]; r->op != NULL; r++) {
			if (strcmp(r->method, l->call->req->method) != 0)
				continue;
			if (lat_match(l, r->pattern, l->call->req->raw_path))
				return r;
			lat_free_segs(l);
		}
	}
	return NULL;
}

/* Parse the JSON body of a request that has one; -1 answered. */
static int
lat_parse_body(struct lat *l)
{
	const struct httpd_request	*req = l->call->req;
	const char			*m = req->method;

	if (req->body_len == 0 || req->body == NULL ||
	    (strcmp(m, "POST") != 0 && strcmp(m, "PUT") != 0 &&
	    strcmp(m, "PATCH") != 0)) {
		l->body = cJSON_CreateObject();
		return 0;
	}
	if (req->body_len > LAT_MAX_BODY) {
		lat_invalid(l, "body", "Request body larger than %d bytes",
		    LAT_MAX_BODY);
		return -1;
	}
	l->body = cJSON_ParseWithLength(req->body, req->body_len);
	if (!cJSON_IsObject(l->body)) {
		cJSON_Delete(l->body);
		l->body = NULL;
		sim_aws_error_extra(l->call, 400, "ValidationException",
		    cJSON_Parse("{\"reason\":\"cannotParse\"}"),
		    "Could not parse the request body as a JSON object");
		return -1;
	}
	return 0;
}

/* Serve one Lattice request (lock held). */
static void
lat_handle(struct sim_aws_call *call)
{
	struct lat	 l;
	char		*what;

	memset(&l, 0, sizeof l);
	l.call = call;
	l.sim = call->sim;
	l.st = sim_aws_state(call->sim, "vpc-lattice");
	l.now = sim_aws_now_ms(call->sim);
	sim_aws_iso_time(call->sim, l.now, l.now_iso);
	sim_aws_params_parse(&l.q, call->req->query, strlen(call->req->query));
	lat_tick(&l);
	l.route = lat_route_find(&l);
	if (l.route == NULL) {
		xasprintf(&what, "%.16s %.200s", call->req->method,
		    call->req->raw_path);
		sim_aws_unknown_op(call, what);
		free(what);
	} else if (lat_parse_body(&l) == 0)
		l.route->fn(&l);
	lat_free_segs(&l);
	cJSON_Delete(l.body);
	sim_aws_params_free(&l.q);
}
