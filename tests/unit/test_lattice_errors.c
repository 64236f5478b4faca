/*
 * VPC Lattice client behaviour around the operations, against the canned
 * transport: wire errors (404, 409, 402), throttling retried with the same
 * clientToken, pagination (several pages, one page, POST bodies resent,
 * errors mid-way, a stuck nextToken), automatic batching of targets (100)
 * and rule updates (10), and client-side validation.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "lattice_fixture.h"

/* ---- errors and retries ---- */

/* A 404 ResourceNotFoundException is reported, not retried. */
static void
test_error_not_found(void **state)
{
	struct fx		*f = *state;
	struct lattice_service	 s;

	push_error(f, 404, "ResourceNotFoundException", "Service not found");
	assert_int_equal(lattice_get_service(f->aws, SVC, &s, &f->err), -1);
	assert_int_equal(f->c.n_req, 1);
	assert_string_equal(f->err.code, "ResourceNotFoundException");
	assert_string_equal(f->err.message, "Service not found");
	assert_string_equal(f->err.op, "vpc-lattice:GetService");
	assert_int_equal(f->err.status, 404);
	assert_null(s.id);
	lattice_service_free(&s);
}

/* 409 ConflictException and 402 quota errors, not retried. */
static void
test_error_conflict_and_quota(void **state)
{
	struct fx					*f = *state;
	struct lattice_create_service_network_input	 in = { 0 };
	struct lattice_service_network			 sn;
	struct lattice_create_service_input		 sin = { 0 };
	struct lattice_service				 s;

	in.name = "my-hotel";
	push_error(f, 409, "ConflictException", "name in use");
	assert_int_equal(lattice_create_service_network(f->aws, &in, &sn,
	    &f->err), -1);
	assert_string_equal(f->err.code, "ConflictException");
	assert_int_equal(f->err.status, 409);
	assert_false(f->err.retryable);
	aws_error_clear(&f->err);

	sin.name = "rates";
	push_error(f, 402, "ServiceQuotaExceededException", "too many");
	assert_int_equal(lattice_create_service(f->aws, &sin, &s, &f->err), -1);
	assert_string_equal(f->err.code, "ServiceQuotaExceededException");
	assert_int_equal(f->err.status, 402);
	assert_int_equal(f->c.n_req, 2);	/* neither is retried */
	lattice_service_free(&s);
	lattice_service_network_free(&sn);
}

/* 429 and 500 are retried with the same clientToken. */
static void
test_throttle_retry_keeps_token(void **state)
{
	struct fx				*f = *state;
	struct lattice_create_target_group_input in = { 0 };
	struct lattice_target_group		 tg;
	char					 first[80];

	in.name = "k8s-a-b-cdefghijkl";
	in.type = "IP";
	push_error(f, 429, "ThrottlingException", "Rate exceeded");
	push_error(f, 500, "InternalServerException", "oops");
	push(f, 201, "{'id':'" TG "','status':'CREATE_IN_PROGRESS'}");
	assert_int_equal(lattice_create_target_group(f->aws, &in, &tg,
	    &f->err), 0);
	assert_int_equal(f->c.n_req, 3);
	assert_string_equal(tg.id, TG);
	snprintf(first, sizeof(first), "%s", req_token(f, 0));
	assert_true(is_uuid4(first));
	assert_string_equal(req_token(f, 1), first);
	assert_string_equal(req_token(f, 2), first);
	lattice_target_group_free(&tg);

	/* A new logical call gets a new token. */
	push(f, 201, "{'id':'" TG "'}");
	assert_int_equal(lattice_create_target_group(f->aws, &in, &tg,
	    &f->err), 0);
	assert_true(is_uuid4(req_token(f, 3)));
	assert_string_not_equal(req_token(f, 3), first);
	lattice_target_group_free(&tg);
}

/* Throttling on every attempt fails after max attempts. */
static void
test_throttle_exhausted(void **state)
{
	struct fx			*f = *state;
	struct lattice_service_list	 l;

	push_error(f, 429, "ThrottlingException", "Rate exceeded");
	push_error(f, 429, "ThrottlingException", "Rate exceeded");
	push_error(f, 429, "ThrottlingException", "Rate exceeded");
	assert_int_equal(lattice_list_services(f->aws, NULL, &l, &f->err), -1);
	assert_int_equal(f->c.n_req, 3);
	assert_string_equal(f->err.code, "ThrottlingException");
	assert_true(f->err.throttling);
	assert_int_equal(l.n, 0);
	assert_null(l.items);
}

/* ---- pagination ---- */

/* Three pages chained by nextToken (encoded in the query). */
static void
test_paginate_three_pages(void **state)
{
	struct fx			*f = *state;
	struct lattice_service_list	 l;
	struct lattice_page		 page = { 2, NULL, 0 };

	push(f, 200, "{'items':[{'id':'svc-1'},{'id':'svc-2'}],'nextToken':"
	    "'tok/1+='}");
	push(f, 200, "{'items':[{'id':'svc-3'},{'id':'svc-4'}],'nextToken':"
	    "'tok2'}");
	push(f, 200, "{'items':[{'id':'svc-5'}]}");
	assert_int_equal(lattice_list_services(f->aws, &page, &l, &f->err), 0);
	assert_int_equal(f->c.n_req, 3);
	expect(f, 0, "ListServices", "GET", "/services?maxResults=2", NULL, 0);
	expect(f, 1, "ListServices", "GET",
	    "/services?maxResults=2&nextToken=tok%2F1%2B%3D", NULL, 0);
	expect(f, 2, "ListServices", "GET", "/services?maxResults=2&nextToken="
	    "tok2", NULL, 0);
	assert_int_equal(l.n, 5);
	assert_string_equal(l.items[0].id, "svc-1");
	assert_string_equal(l.items[4].id, "svc-5");
	assert_null(l.next_token);
	lattice_service_list_free(&l);
}

/* one_page starts at a token and returns the next one. */
static void
test_paginate_one_page(void **state)
{
	struct fx				*f = *state;
	struct lattice_list_sn_vpc_assocs_input	 in = { 0 };
	struct lattice_sn_vpc_assoc_list	 l;

	in.service_network_identifier = SN;
	in.page.one_page = 1;
	in.page.next_token = "start";
	push(f, 200, "{'items':[{'id':'snva-1'}],'nextToken':'next'}");
	assert_int_equal(lattice_list_sn_vpc_assocs(f->aws, &in, &l, &f->err),
	    0);
	assert_int_equal(f->c.n_req, 1);
	expect(f, 0, "ListServiceNetworkVpcAssociations", "GET",
	    "/servicenetworkvpcassociations?serviceNetworkIdentifier=" SN
	    "&nextToken=start", NULL, 0);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.next_token, "next");
	lattice_sn_vpc_assoc_list_free(&l);
}

/* ListTargets pages resend the filter body. */
static void
test_paginate_targets_resends_body(void **state)
{
	struct fx			*f = *state;
	struct lattice_target		 filter = { "10.0.0.9", 0, NULL, NULL };
	struct lattice_list_targets_input in = { 0 };
	struct lattice_target_list	 l;

	in.target_group_identifier = TG;
	in.targets = &filter;
	in.n_targets = 1;
	push(f, 200, "{'items':[{'id':'10.0.0.9','port':80,'status':"
	    "'DRAINING'}],'nextToken':'p2'}");
	push(f, 200, "{'items':[{'id':'10.0.0.9','port':81,'status':"
	    "'HEALTHY'}]}");
	assert_int_equal(lattice_list_targets(f->aws, &in, &l, &f->err), 0);
	expect(f, 0, "ListTargets", "POST", "/targetgroups/" TG "/listtargets",
	    "{'targets':[{'id':'10.0.0.9'}]}", 0);
	expect(f, 1, "ListTargets", "POST", "/targetgroups/" TG
	    "/listtargets?nextToken=p2", "{'targets':[{'id':'10.0.0.9'}]}", 0);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.items[0].status, "DRAINING");
	assert_int_equal(l.items[1].port, 81);
	lattice_target_list_free(&l);
}

/* An error on page two frees what page one returned. */
static void
test_paginate_error_midway(void **state)
{
	struct fx			*f = *state;
	struct lattice_rule_list	 l;

	push(f, 200, "{'items':[{'id':'r1'}],'nextToken':'t'}");
	push_error(f, 404, "ResourceNotFoundException", "listener gone");
	assert_int_equal(lattice_list_rules(f->aws, SVC, LIS, NULL, &l,
	    &f->err), -1);
	assert_string_equal(f->err.code, "ResourceNotFoundException");
	assert_int_equal(l.n, 0);
	assert_null(l.items);
	assert_null(l.next_token);
}

/* A nextToken that does not change stops the loop. */
static void
test_paginate_stuck_token(void **state)
{
	struct fx				*f = *state;
	struct lattice_target_group_list	 l;
	struct lattice_list_target_groups_input	 in = { 0 };

	push(f, 200, "{'items':[{'id':'tg-1'}],'nextToken':'same'}");
	push(f, 200, "{'items':[{'id':'tg-1'}],'nextToken':'same'}");
	assert_int_equal(lattice_list_target_groups(f->aws, &in, &l, &f->err),
	    -1);
	assert_int_equal(f->c.n_req, 2);
	assert_string_equal(f->err.code, "InvalidResponse");
	assert_int_equal(l.n, 0);
}

/* ---- batching ---- */

/* A Register/DeregisterTargets response: the first id ok, the rest
 * failed. */
static void
push_targets_result(struct fx *f, const char *ok, const char *bad)
{
	char	*b;

	xasprintf(&b, "{\"successful\":[{\"id\":\"%s\"}],\"unsuccessful\":"
	    "[{\"id\":\"%s\",\"failureCode\":\"X\"}]}", ok, bad);
	canned_push(&f->c, 200, b, NULL, NULL);
	free(b);
}

/* How many targets the body of request i carries. */
static int
req_array_len(struct fx *f, size_t i, const char *key)
{
	cJSON	*b = cJSON_Parse(f->c.req[i].body);
	int	 n = cJSON_GetArraySize(cJSON_GetObjectItem(b, key));

	cJSON_Delete(b);
	return n;
}

/* 250 targets go out as 100 + 100 + 50; results combined. */
static void
test_register_batches(void **state)
{
	struct fx			*f = *state;
	struct lattice_target		 t[250];
	struct lattice_targets_result	 res;
	char				 ids[250][16];
	size_t				 i;

	for (i = 0; i < 250; i++) {
		snprintf(ids[i], sizeof(ids[i]), "10.0.%zu.%zu", i / 200,
		    i % 200);
		t[i].id = ids[i];
		t[i].port = 8080;
	}
	push_targets_result(f, ids[0], ids[1]);
	push_targets_result(f, ids[100], ids[101]);
	push_targets_result(f, ids[200], ids[249]);
	assert_int_equal(lattice_register_targets(f->aws, TG, t, 250, &res,
	    &f->err), 0);
	assert_int_equal(f->c.n_req, 3);
	assert_int_equal(req_array_len(f, 0, "targets"), 100);
	assert_int_equal(req_array_len(f, 1, "targets"), 100);
	assert_int_equal(req_array_len(f, 2, "targets"), 50);
	assert_int_equal(res.n_successful, 3);
	assert_int_equal(res.n_unsuccessful, 3);
	assert_string_equal(res.successful[1].id, ids[100]);
	assert_string_equal(res.unsuccessful[2].id, ids[249]);
	lattice_targets_result_free(&res);

	/* A failing batch stops the run; earlier results are kept. */
	push_targets_result(f, ids[0], ids[1]);
	push_error(f, 404, "ResourceNotFoundException", "no tg");
	assert_int_equal(lattice_deregister_targets(f->aws, TG, t, 250, &res,
	    &f->err), -1);
	assert_int_equal(f->c.n_req, 5);
	assert_int_equal(res.n_successful, 1);
	lattice_targets_result_free(&res);
}

/* 23 rule updates go out as 10 + 10 + 3. */
static void
test_batch_update_rule_batches(void **state)
{
	struct fx				*f = *state;
	struct lattice_update_rule_input	 rules[23];
	struct lattice_batch_update_rule_input	 in = { SVC, LIS, rules, 23 };
	struct lattice_batch_update_rule_result	 res;
	char					 ids[23][32];
	size_t					 i;

	memset(rules, 0, sizeof(rules));
	for (i = 0; i < 23; i++) {
		snprintf(ids[i], sizeof(ids[i]), "rule-%zu", i);
		rules[i].rule_identifier = ids[i];
		rules[i].priority = (int)(23 - i);
	}
	push(f, 200, "{'successful':[{'id':'rule-0'}]}");
	push(f, 200, "{'successful':[{'id':'rule-10'}],'unsuccessful':[{"
	    "'ruleIdentifier':'rule-11'}]}");
	push(f, 200, "{'successful':[{'id':'rule-22','priority':1}]}");
	assert_int_equal(lattice_batch_update_rule(f->aws, &in, &res, &f->err),
	    0);
	assert_int_equal(f->c.n_req, 3);
	assert_int_equal(req_array_len(f, 0, "rules"), 10);
	assert_int_equal(req_array_len(f, 1, "rules"), 10);
	assert_int_equal(req_array_len(f, 2, "rules"), 3);
	expect(f, 2, "BatchUpdateRule", "PATCH", "/services/" SVC "/listeners/"
	    LIS "/rules", "{'rules':[{'ruleIdentifier':'rule-20','priority':3},"
	    "{'ruleIdentifier':'rule-21','priority':2},{'ruleIdentifier':"
	    "'rule-22','priority':1}]}", 0);
	assert_int_equal(res.n_successful, 3);
	assert_string_equal(res.successful[2].id, "rule-22");
	assert_int_equal(res.n_unsuccessful, 1);
	lattice_batch_update_rule_result_free(&res);
}

/* ---- client-side validation: nothing is sent ---- */

/* Assert a validation failure and clear it. */
static void
assert_invalid(struct fx *f, int rc)
{
	assert_int_equal(rc, -1);
	assert_string_equal(f->err.code, "ParamValidationError");
	assert_int_equal(f->err.status, 0);
	assert_non_null(f->err.message);
	aws_error_clear(&f->err);
	assert_int_equal(f->c.n_req, 0);
}

/* Inputs the API would reject fail before anything is sent. */
static void
test_validation(void **state)
{
	struct fx				*f = *state;
	struct lattice_create_rule_input	 in = { 0 };
	struct lattice_rule_match		 m;
	struct lattice_header_match		 h[6];
	struct lattice_rule_action		 a;
	struct lattice_weighted_tg		 tgs[11];
	struct lattice_rule			 r;
	struct lattice_create_service_input	 sin = { 0 };
	struct lattice_service			 s;
	struct lattice_service_list		 sl;
	struct lattice_page			 page = { 101, NULL, 0 };
	struct lattice_sn_vpc_assoc		 va;
	struct lattice_targets_result		 tr;
	size_t					 i;

	fill_rule(&m, h, &a, tgs);
	in.service_identifier = SVC;
	in.listener_identifier = LIS;
	in.name = "r";
	in.match = &m;
	in.action = &a;
	in.priority = 0;	/* required */
	assert_invalid(f, lattice_create_rule(f->aws, &in, &r, &f->err));
	in.priority = 2001;
	assert_invalid(f, lattice_create_rule(f->aws, &in, &r, &f->err));
	in.priority = 1;
	for (i = 0; i < 6; i++)
		h[i] = h[i % 2];
	m.n_headers = 6;
	assert_invalid(f, lattice_create_rule(f->aws, &in, &r, &f->err));
	m.n_headers = 2;
	for (i = 0; i < 11; i++)
		tgs[i] = tgs[i % 2];
	a.n_target_groups = 11;
	assert_invalid(f, lattice_create_rule(f->aws, &in, &r, &f->err));
	a.n_target_groups = 0;
	assert_invalid(f, lattice_create_rule(f->aws, &in, &r, &f->err));
	a.kind = LATTICE_ACTION_FIXED_RESPONSE;
	a.status_code = 99;
	assert_invalid(f, lattice_create_rule(f->aws, &in, &r, &f->err));
	in.match = NULL;
	assert_invalid(f, lattice_create_rule(f->aws, &in, &r, &f->err));
	assert_invalid(f, lattice_create_service(f->aws, &sin, &s, &f->err));
	assert_invalid(f, lattice_list_services(f->aws, &page, &sl, &f->err));
	assert_invalid(f, lattice_update_sn_vpc_assoc(f->aws, SNVA, NULL, 0,
	    &va, &f->err));
	assert_invalid(f, lattice_get_service(f->aws, "", &s, &f->err));
	assert_invalid(f, lattice_register_targets(f->aws, TG, NULL, 0, &tr,
	    &f->err));
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_error_not_found),
		T(test_error_conflict_and_quota),
		T(test_throttle_retry_keeps_token),
		T(test_throttle_exhausted),
		T(test_paginate_three_pages),
		T(test_paginate_one_page),
		T(test_paginate_targets_resends_body),
		T(test_paginate_error_midway),
		T(test_paginate_stuck_token),
		T(test_register_batches),
		T(test_batch_update_rule_batches),
		T(test_validation),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
