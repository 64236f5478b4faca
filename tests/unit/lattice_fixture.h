/*
 * Shared fixture of the VPC Lattice unit tests (test_lattice.c,
 * test_lattice_errors.c): identifiers, a canned client per test, request
 * checks against expected JSON and the botocore model's URI templates,
 * and the operations-covered bookkeeping. Header-only: every function is
 * static inline so each test binary has its own copy; nothing here is
 * shared between processes. JSON literals use ' for " (see sq()).
 */
#ifndef LATTICE_FIXTURE_H
#define LATTICE_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/aws.h"
#include "latticectl/json.h"
#include "latticectl/lattice.h"
#include "latticectl/xmalloc.h"

#include "testlib.h"

#define SVC	"svc-0123456789abcdef0"
#define SVC_ARN	"arn:aws:vpc-lattice:us-west-2:123456789012:service/" SVC
#define SVC_ARN_ENC "arn%3Aaws%3Avpc-lattice%3Aus-west-2%3A123456789012%3A" \
	"service%2F" SVC
#define SN	"sn-0123456789abcdef0"
#define SN_ARN	"arn:aws:vpc-lattice:us-west-2:123456789012:servicenetwork/" SN
#define LIS	"listener-0123456789abcdef0"
#define RULE	"rule-0123456789abcdef0"
#define TG	"tg-0123456789abcdef0"
#define TG2	"tg-0123456789abcdef1"
#define TG_ARN	"arn:aws:vpc-lattice:us-west-2:123456789012:targetgroup/" TG2
#define SNSA	"snsa-0123456789abcdef0"
#define SNVA	"snva-0123456789abcdef0"
#define SNRA	"snra-0123456789abcdef0"
#define RCFG	"rcfg-0123456789abcdef0"
#define ALS	"als-0123456789abcdef0"
#define LOGS	"arn:aws:logs:us-west-2:123456789012:log-group:lattice"

/* 2026-11-28T06:22:11.342354+00:00 and 2024-03-01T10:00:00Z. */
#define T_MOTO	1795846931
#define T_AWS	1709287200

/* Every operation the client implements (49 used by the upstream
 * controller, the moto-only resource association and resource policy
 * operations, and DeleteServiceNetworkResourceAssociation). */
static const char *const all_ops[] = {
	"CreateService", "GetService", "UpdateService", "DeleteService",
	"ListServices", "CreateServiceNetwork", "GetServiceNetwork",
	"UpdateServiceNetwork", "DeleteServiceNetwork", "ListServiceNetworks",
	"CreateServiceNetworkServiceAssociation",
	"GetServiceNetworkServiceAssociation",
	"DeleteServiceNetworkServiceAssociation",
	"ListServiceNetworkServiceAssociations",
	"CreateServiceNetworkVpcAssociation", "GetServiceNetworkVpcAssociation",
	"UpdateServiceNetworkVpcAssociation",
	"DeleteServiceNetworkVpcAssociation",
	"ListServiceNetworkVpcAssociations",
	"CreateServiceNetworkResourceAssociation",
	"GetServiceNetworkResourceAssociation",
	"DeleteServiceNetworkResourceAssociation",
	"ListServiceNetworkResourceAssociations",
	"CreateListener", "GetListener", "UpdateListener", "DeleteListener",
	"ListListeners", "CreateRule", "GetRule", "UpdateRule", "DeleteRule",
	"ListRules", "BatchUpdateRule", "CreateTargetGroup", "GetTargetGroup",
	"UpdateTargetGroup", "DeleteTargetGroup", "ListTargetGroups",
	"RegisterTargets", "DeregisterTargets", "ListTargets", "PutAuthPolicy",
	"GetAuthPolicy", "DeleteAuthPolicy", "PutResourcePolicy",
	"GetResourcePolicy", "DeleteResourcePolicy",
	"CreateAccessLogSubscription", "GetAccessLogSubscription",
	"UpdateAccessLogSubscription", "DeleteAccessLogSubscription",
	"ListAccessLogSubscriptions", "TagResource", "UntagResource",
	"ListTagsForResource",
};
#define N_ALL_OPS (sizeof(all_ops) / sizeof(all_ops[0]))

/* Test-run bookkeeping (tests only): operations seen, the model. */
static const char	*covered[N_ALL_OPS];
static size_t		 n_covered;
static cJSON		*model;

struct fx {
	struct canned	 c;
	struct aws	*aws;
	struct aws_error err;
};

/* A copy of s with every ' turned into ". */
static inline char *
sq(const char *s)
{
	char	*d = xstrdup(s), *p;

	for (p = d; *p != '\0'; p++)
		if (*p == '\'')
			*p = '"';
	return d;
}

/* Queue a response whose body is written with single quotes. */
static inline void
push(struct fx *f, long status, const char *body)
{
	char	*b = sq(body);

	canned_push(&f->c, status, b, NULL, NULL);
	free(b);
}

/* Queue an error response the way Lattice sends it. */
static inline void
push_error(struct fx *f, long status, const char *code, const char *msg)
{
	char	*b;

	xasprintf(&b, "{\"message\":\"%s\"}", msg);
	canned_push(&f->c, status, b, "X-Amzn-ErrorType", code);
	free(b);
}

/* Load the botocore model (gzip) once, if the reference is there. */
static inline int
group_setup(void **state)
{
	const char	*ref = test_reference_dir();
	char		*path, *text;
	size_t		 len = 0;

	if (ref == NULL)
		return 0;
	xasprintf(&path, "%s/aws-models/vpc-lattice/service-2.json.gz", ref);
	{
		char *const argv[] = { "gzip", "-dc", path, NULL };

		text = test_run_capture(argv, &len);
	}
	model = text != NULL ? cJSON_ParseWithLength(text, len) : NULL;
	free(text);
	free(path);
	if (model == NULL)
		printf("note: no botocore model, URI templates not checked\n");
	return 0;
}

/* Release the model. */
static inline int
group_teardown(void **state)
{
	cJSON_Delete(model);
	return 0;
}

/* A fresh canned context per test. */
static inline int
setup(void **state)
{
	struct fx	*f = xcalloc(1, sizeof(*f));

	f->aws = canned_aws(&f->c);
	*state = f;
	return 0;
}

/* Free the per-test context. */
static inline int
teardown(void **state)
{
	struct fx	*f = *state;

	aws_free(f->aws);
	canned_free(&f->c);
	aws_error_clear(&f->err);
	free(f);
	return 0;
}

/* Does path (no query) match the model URI template? */
static inline int
template_matches(const char *tmpl, const char *path)
{
	const char	*t = tmpl, *p = path;
	size_t		 tl, pl;

	while (*t != '\0' && *p != '\0') {
		tl = strcspn(t + 1, "/") + 1;
		pl = strcspn(p + 1, "/") + 1;
		if (t[1] == '{') {
			if (pl < 2)
				return 0;
		} else if (tl != pl || strncmp(t, p, tl) != 0)
			return 0;
		t += tl;
		p += pl;
	}
	return *t == '\0' && *p == '\0';
}

/* Check the request against the model's method and URI for op. */
static inline void
check_model(const char *op, const char *method, const char *path)
{
	const cJSON	*http;
	char		*bare;

	if (model == NULL)
		return;
	http = json_path(json_path(json_path(model, "operations"), op), "http");
	assert_non_null(http);
	assert_string_equal(json_str(http, "method"), method);
	bare = xstrndup(path, strcspn(path, "?"));
	if (!template_matches(json_str(http, "requestUri"), bare))
		fail_msg("%s: %s does not match %s", op, bare,
		    json_str(http, "requestUri"));
	free(bare);
}

/* Record that op was exercised. */
static inline void
cover(const char *op)
{
	size_t	i;

	for (i = 0; i < n_covered; i++)
		if (strcmp(covered[i], op) == 0)
			return;
	for (i = 0; i < N_ALL_OPS; i++) {
		if (strcmp(all_ops[i], op) == 0) {
			covered[n_covered++] = all_ops[i];
			return;
		}
	}
	fail_msg("unknown operation %s", op);
}

/* Is s a lower-case UUID v4? */
static inline int
is_uuid4(const char *s)
{
	size_t	i;

	if (s == NULL || strlen(s) != 36 || s[14] != '4')
		return 0;
	for (i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return 0;
		} else if (strchr("0123456789abcdef", s[i]) == NULL)
			return 0;
	}
	return 1;
}

/* The clientToken of request i (static copy), or NULL. */
static inline const char *
req_token(struct fx *f, size_t i)
{
	static char	 tok[80];
	cJSON		*b;
	const char	*s;

	b = cJSON_Parse(f->c.req[i].body);
	s = json_str(b, "clientToken");
	snprintf(tok, sizeof(tok), "%s", s != NULL ? s : "");
	cJSON_Delete(b);
	return s != NULL ? tok : NULL;
}

/* Check request i: method, path + query, body (NULL: none) and, when
 * token is set, a UUID clientToken (removed before comparing bodies;
 * otherwise the body must match exactly, clientToken included). */
static inline void
expect(struct fx *f, size_t i, const char *op, const char *method,
    const char *path, const char *body, int token)
{
	struct canned_req	*r;
	cJSON			*got, *want;
	char			*w, *g;

	assert_true(i < f->c.n_req);
	r = &f->c.req[i];
	assert_string_equal(r->method, method);
	assert_string_equal(canned_path(r), path);
	check_model(op, method, canned_path(r));
	cover(op);
	if (body == NULL) {
		assert_string_equal(r->body, "");
		return;
	}
	got = cJSON_Parse(r->body);
	assert_non_null(got);
	if (token) {
		assert_true(is_uuid4(json_str(got, "clientToken")));
		cJSON_DeleteItemFromObjectCaseSensitive(got, "clientToken");
	}
	w = sq(body);
	want = cJSON_Parse(w);
	assert_non_null(want);
	if (!json_equal(got, want)) {
		g = json_print(got);
		fail_msg("%s body\n got: %s\nwant: %s", op, g, w);
	}
	free(w);
	cJSON_Delete(got);
	cJSON_Delete(want);
}

/* The rule body the create/update tests send and get back. */
#define RULE_MATCH "{'httpMatch':{'method':'GET','pathMatch':{'match':{" \
	"'prefix':'/rates'},'caseSensitive':true},'headerMatches':[{" \
	"'name':'x-env','match':{'exact':'prod'},'caseSensitive':false},{" \
	"'name':'user-agent','match':{'contains':'curl'}}]}}"
#define RULE_ACTION "{'forward':{'targetGroups':[{'targetGroupIdentifier':" \
	"'" TG "','weight':80},{'targetGroupIdentifier':'" TG_ARN "'," \
	"'weight':20}]}}"

/* Fill a match and action equal to RULE_MATCH and RULE_ACTION. */
static inline void
fill_rule(struct lattice_rule_match *m, struct lattice_header_match *h,
    struct lattice_rule_action *a, struct lattice_weighted_tg *tgs)
{
	memset(m, 0, sizeof(*m));
	m->method = "GET";
	m->path.kind = LATTICE_MATCH_PREFIX;
	m->path.value = "/rates";
	m->path.case_sensitive = LATTICE_TRUE;
	memset(h, 0, 2 * sizeof(*h));
	h[0].name = "x-env";
	h[0].kind = LATTICE_MATCH_EXACT;
	h[0].value = "prod";
	h[0].case_sensitive = LATTICE_FALSE;
	h[1].name = "user-agent";
	h[1].kind = LATTICE_MATCH_CONTAINS;
	h[1].value = "curl";
	m->headers = h;
	m->n_headers = 2;
	tgs[0].target_group_id = TG;
	tgs[0].weight = 80;
	tgs[1].target_group_id = TG_ARN;
	tgs[1].weight = 20;
	memset(a, 0, sizeof(*a));
	a->kind = LATTICE_ACTION_FORWARD;
	a->target_groups = tgs;
	a->n_target_groups = 2;
}

/* Check a parsed rule equals RULE_MATCH / RULE_ACTION. */
static inline void
check_rule_parts(const struct lattice_rule *r)
{
	assert_int_equal(r->match.present, 1);
	assert_string_equal(r->match.method, "GET");
	assert_int_equal(r->match.path.kind, LATTICE_MATCH_PREFIX);
	assert_string_equal(r->match.path.value, "/rates");
	assert_int_equal(r->match.path.case_sensitive, LATTICE_TRUE);
	assert_int_equal(r->match.n_headers, 2);
	assert_string_equal(r->match.headers[0].name, "x-env");
	assert_int_equal(r->match.headers[0].kind, LATTICE_MATCH_EXACT);
	assert_string_equal(r->match.headers[0].value, "prod");
	assert_int_equal(r->match.headers[0].case_sensitive, LATTICE_FALSE);
	assert_int_equal(r->match.headers[1].kind, LATTICE_MATCH_CONTAINS);
	assert_int_equal(r->match.headers[1].case_sensitive, LATTICE_UNSET);
	assert_int_equal(r->action.kind, LATTICE_ACTION_FORWARD);
	assert_int_equal(r->action.n_target_groups, 2);
	assert_string_equal(r->action.target_groups[1].target_group_id, TG_ARN);
	assert_int_equal(r->action.target_groups[0].weight, 80);
	assert_int_equal(r->action.target_groups[1].weight, 20);
}

#endif
