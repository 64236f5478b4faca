/*
 * libFuzzer target: the input is a VPC Lattice response body. It goes to
 * every typed parser (resources, list pages appended twice, batch
 * results) and the unions and configs must re-marshal to a fixed point.
 * (The client path itself is not driven from here: the client-side rate
 * limit of 20 requests/s per API family would cap the exec rate.)
 */
#include <stdint.h>
#include <stdlib.h>

#include <cjson/cJSON.h>

#include "latticectl/json.h"
#include "latticectl/lattice.h"

/* to_json(from_json(x)) must be a fixed point after one round. */
static void
fuzz_roundtrip_match(const cJSON *j)
{
	struct lattice_rule_match	 a, b;
	cJSON				*ja, *jb;

	lattice_rule_match_from_json(j, &a);
	ja = lattice_rule_match_to_json(&a);
	lattice_rule_match_from_json(ja, &b);
	jb = lattice_rule_match_to_json(&b);
	if (a.present && !json_equal(ja, jb))
		abort();
	cJSON_Delete(ja);
	cJSON_Delete(jb);
	lattice_rule_match_free(&a);
	lattice_rule_match_free(&b);
}

/* The same fixed-point check for actions and target group configs. */
static void
fuzz_roundtrip_action_config(const cJSON *j)
{
	struct lattice_rule_action	 a, b;
	struct lattice_tg_config	 c, d;
	cJSON				*ja, *jb;

	lattice_rule_action_from_json(j, &a);
	ja = lattice_rule_action_to_json(&a);
	lattice_rule_action_from_json(ja, &b);
	jb = lattice_rule_action_to_json(&b);
	if (!json_equal(ja, jb))
		abort();
	cJSON_Delete(ja);
	cJSON_Delete(jb);
	lattice_rule_action_free(&a);
	lattice_rule_action_free(&b);

	lattice_tg_config_from_json(j, &c);
	ja = lattice_tg_config_to_json(&c);
	lattice_tg_config_from_json(ja, &d);
	jb = lattice_tg_config_to_json(&d);
	if (!json_equal(ja, jb))
		abort();
	cJSON_Delete(ja);
	cJSON_Delete(jb);
	lattice_tg_config_free(&c);
	lattice_tg_config_free(&d);
}

/* Every single-object parser. */
static void
fuzz_objects(const cJSON *j)
{
	struct lattice_service			s;
	struct lattice_service_network		sn;
	struct lattice_sn_service_assoc		sa;
	struct lattice_sn_vpc_assoc		va;
	struct lattice_sn_resource_assoc	ra;
	struct lattice_listener			l;
	struct lattice_rule			r;
	struct lattice_target_group		tg;
	struct lattice_target			t;
	struct lattice_access_log_sub		als;
	struct lattice_auth_policy		ap;
	struct lattice_targets_result		tr;
	struct lattice_batch_update_rule_result	br;

	lattice_service_from_json(j, &s);
	lattice_service_free(&s);
	lattice_service_network_from_json(j, &sn);
	lattice_service_network_free(&sn);
	lattice_sn_service_assoc_from_json(j, &sa);
	lattice_sn_service_assoc_free(&sa);
	lattice_sn_vpc_assoc_from_json(j, &va);
	lattice_sn_vpc_assoc_free(&va);
	lattice_sn_resource_assoc_from_json(j, &ra);
	lattice_sn_resource_assoc_free(&ra);
	lattice_listener_from_json(j, &l);
	lattice_listener_free(&l);
	lattice_rule_from_json(j, &r);
	lattice_rule_free(&r);
	lattice_target_group_from_json(j, &tg);
	lattice_target_group_free(&tg);
	lattice_target_from_json(j, &t);
	lattice_target_free(&t);
	lattice_access_log_sub_from_json(j, &als);
	lattice_access_log_sub_free(&als);
	lattice_auth_policy_from_json(j, &ap);
	lattice_auth_policy_free(&ap);
	lattice_targets_result_from_json(j, &tr);
	lattice_targets_result_free(&tr);
	lattice_batch_update_rule_result_from_json(j, &br);
	lattice_batch_update_rule_result_free(&br);
}

/* Every list page parser, each page appended twice. */
static void
fuzz_pages(const cJSON *j)
{
	struct lattice_service_list		a = { 0 };
	struct lattice_service_network_list	b = { 0 };
	struct lattice_sn_service_assoc_list	c = { 0 };
	struct lattice_sn_vpc_assoc_list	d = { 0 };
	struct lattice_sn_resource_assoc_list	e = { 0 };
	struct lattice_listener_list		f = { 0 };
	struct lattice_rule_list		g = { 0 };
	struct lattice_target_group_list	h = { 0 };
	struct lattice_target_list		i = { 0 };
	struct lattice_access_log_sub_list	k = { 0 };
	int					 n;

	for (n = 0; n < 2; n++) {
		lattice_service_list_add_page(&a, j);
		lattice_service_network_list_add_page(&b, j);
		lattice_sn_service_assoc_list_add_page(&c, j);
		lattice_sn_vpc_assoc_list_add_page(&d, j);
		lattice_sn_resource_assoc_list_add_page(&e, j);
		lattice_listener_list_add_page(&f, j);
		lattice_rule_list_add_page(&g, j);
		lattice_target_group_list_add_page(&h, j);
		lattice_target_list_add_page(&i, j);
		lattice_access_log_sub_list_add_page(&k, j);
	}
	if (a.n % 2 != 0 || i.n % 2 != 0)
		abort();
	lattice_service_list_free(&a);
	lattice_service_network_list_free(&b);
	lattice_sn_service_assoc_list_free(&c);
	lattice_sn_vpc_assoc_list_free(&d);
	lattice_sn_resource_assoc_list_free(&e);
	lattice_listener_list_free(&f);
	lattice_rule_list_free(&g);
	lattice_target_group_list_free(&h);
	lattice_target_list_free(&i);
	lattice_access_log_sub_list_free(&k);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cJSON	*j, *m;

	j = cJSON_ParseWithLength((const char *)data, size);
	if (j != NULL) {
		fuzz_objects(j);
		fuzz_pages(j);
		fuzz_roundtrip_match(j);
		if ((m = cJSON_GetObjectItemCaseSensitive(j, "match")) != NULL)
			fuzz_roundtrip_match(m);
		fuzz_roundtrip_action_config(j);
		if ((m = cJSON_GetObjectItemCaseSensitive(j, "action")) != NULL)
			fuzz_roundtrip_action_config(m);
		cJSON_Delete(j);
	}
	return 0;
}
