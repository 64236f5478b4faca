/* VPC Lattice listener rules: create, get, update, delete, list and
 * BatchUpdateRule (split into calls of at most 10 rules). */
#include <stdlib.h>
#include <string.h>

#include "latticectl/json.h"
#include "latticectl/xmalloc.h"

#include "lattice_int.h"

/* Read a Rule (any of the responses, a RuleSummary or RuleUpdateSuccess). */
void
lattice_rule_from_json(const cJSON *o, struct lattice_rule *r)
{
	memset(r, 0, sizeof(*r));
	r->id = lattice_jstr(o, "id");
	r->arn = lattice_jstr(o, "arn");
	r->name = lattice_jstr(o, "name");
	r->is_default = lattice_jbool(o, "isDefault") == LATTICE_TRUE;
	r->priority = lattice_jint(o, "priority", 0);
	lattice_rule_match_from_json(json_path(o, "match"), &r->match);
	lattice_rule_action_from_json(json_path(o, "action"), &r->action);
	lattice_jtime(o, "createdAt", &r->created_at);
	lattice_jtime(o, "lastUpdatedAt", &r->last_updated_at);
}

/* Free a rule's members. */
void
lattice_rule_free(struct lattice_rule *r)
{
	free(r->id);
	free(r->arn);
	free(r->name);
	lattice_rule_match_free(&r->match);
	lattice_rule_action_free(&r->action);
	memset(r, 0, sizeof(*r));
}

/* Parse the response into a rule when the call succeeded. */
static int
lattice_rule_result(int rc, cJSON *resp, struct lattice_rule *out)
{
	if (rc == 0)
		lattice_rule_from_json(resp, out);
	cJSON_Delete(resp);
	return rc;
}

/* Check the service, listener and (unless NULL) rule identifiers. */
static int
lattice_rule_ids(struct aws_error *err, const char *op, const char *svc,
    const char *listener, const char *rule, int need_rule)
{
	if (lattice_require(err, op, "serviceIdentifier", svc) != 0 ||
	    lattice_require(err, op, "listenerIdentifier", listener) != 0)
		return -1;
	if (need_rule)
		return lattice_require(err, op, "ruleIdentifier", rule);
	return 0;
}

/* Check a priority: 0 (omitted, unless required) or 1..2000. */
static int
lattice_check_priority(struct aws_error *err, const char *op, int priority,
    int required)
{
	if (priority == 0 && !required)
		return 0;
	if (priority < 1 || priority > LATTICE_MAX_PRIORITY)
		return lattice_invalid(err, op, "priority %d not in 1..%d",
		    priority, LATTICE_MAX_PRIORITY);
	return 0;
}

/* Check the optional parts of an update (UpdateRule or a batch entry). */
static int
lattice_check_update(struct aws_error *err, const char *op,
    const struct lattice_update_rule_input *u)
{
	if (lattice_require(err, op, "ruleIdentifier", u->rule_identifier) != 0)
		return -1;
	if (u->match != NULL && lattice_check_match(err, op, u->match) != 0)
		return -1;
	if (u->action != NULL && lattice_check_action(err, op, u->action) != 0)
		return -1;
	return lattice_check_priority(err, op, u->priority, 0);
}

/* Add the set members of an update (match, priority, action) to o. */
static void
lattice_update_members(cJSON *o, const struct lattice_update_rule_input *u)
{
	if (u->match != NULL)
		cJSON_AddItemToObject(o, "match",
		    lattice_rule_match_to_json(u->match));
	lattice_add_int(o, "priority", u->priority);
	if (u->action != NULL)
		cJSON_AddItemToObject(o, "action",
		    lattice_rule_action_to_json(u->action));
}

/* CreateRule. */
int
lattice_create_rule(struct aws *aws, const struct lattice_create_rule_input *in,
    struct lattice_rule *out, struct aws_error *err)
{
	const char	*op = "CreateRule";
	cJSON		*body, *resp;
	int		 rc;

	memset(out, 0, sizeof(*out));
	if (lattice_rule_ids(err, op, in->service_identifier,
	    in->listener_identifier, NULL, 0) != 0 ||
	    lattice_require(err, op, "name", in->name) != 0)
		return -1;
	if (in->match == NULL || in->action == NULL)
		return lattice_invalid(err, op, "missing required member %s",
		    in->match == NULL ? "match" : "action");
	if (lattice_check_match(err, op, in->match) != 0 ||
	    lattice_check_action(err, op, in->action) != 0 ||
	    lattice_check_priority(err, op, in->priority, 1) != 0)
		return -1;
	body = cJSON_CreateObject();
	cJSON_AddStringToObject(body, "name", in->name);
	cJSON_AddItemToObject(body, "match",
	    lattice_rule_match_to_json(in->match));
	cJSON_AddNumberToObject(body, "priority", in->priority);
	cJSON_AddItemToObject(body, "action",
	    lattice_rule_action_to_json(in->action));
	lattice_add_tags(body, in->tags);
	lattice_add_client_token(body, in->client_token);
	rc = lattice_do(aws, op, "POST",
	    lattice_pathf("/services/%s/listeners/%s/rules",
	    in->service_identifier, in->listener_identifier), NULL, body, &resp,
	    err);
	return lattice_rule_result(rc, resp, out);
}

/* GetRule. */
int
lattice_get_rule(struct aws *aws, const char *svc, const char *listener,
    const char *rule, struct lattice_rule *out, struct aws_error *err)
{
	cJSON	*resp;
	int	 rc;

	memset(out, 0, sizeof(*out));
	if (lattice_rule_ids(err, "GetRule", svc, listener, rule, 1) != 0)
		return -1;
	rc = lattice_do(aws, "GetRule", "GET",
	    lattice_pathf("/services/%s/listeners/%s/rules/%s", svc, listener,
	    rule), NULL, NULL, &resp, err);
	return lattice_rule_result(rc, resp, out);
}

/* UpdateRule (match, priority, action: those that are set). */
int
lattice_update_rule(struct aws *aws, const struct lattice_update_rule_input *in,
    struct lattice_rule *out, struct aws_error *err)
{
	const char	*op = "UpdateRule";
	cJSON		*body, *resp;
	int		 rc;

	memset(out, 0, sizeof(*out));
	if (lattice_rule_ids(err, op, in->service_identifier,
	    in->listener_identifier, NULL, 0) != 0 ||
	    lattice_check_update(err, op, in) != 0)
		return -1;
	body = cJSON_CreateObject();
	lattice_update_members(body, in);
	rc = lattice_do(aws, op, "PATCH",
	    lattice_pathf("/services/%s/listeners/%s/rules/%s",
	    in->service_identifier, in->listener_identifier,
	    in->rule_identifier), NULL, body, &resp, err);
	return lattice_rule_result(rc, resp, out);
}

/* DeleteRule. */
int
lattice_delete_rule(struct aws *aws, const char *svc, const char *listener,
    const char *rule, struct aws_error *err)
{
	if (lattice_rule_ids(err, "DeleteRule", svc, listener, rule, 1) != 0)
		return -1;
	return lattice_do(aws, "DeleteRule", "DELETE",
	    lattice_pathf("/services/%s/listeners/%s/rules/%s", svc, listener,
	    rule), NULL, NULL, NULL, err);
}

/* Parse one list item (adapter for the pager). */
static void
lattice_rule_item(const cJSON *o, void *item)
{
	lattice_rule_from_json(o, item);
}

/* Free one list item (adapter for the pager). */
static void
lattice_rule_item_free(void *item)
{
	lattice_rule_free(item);
}

/* Append one ListRules page. */
void
lattice_rule_list_add_page(struct lattice_rule_list *l, const cJSON *page)
{
	void	*items = l->items;

	lattice_page_add(page, &items, &l->n, sizeof(*l->items),
	    lattice_rule_item, &l->next_token);
	l->items = items;
}

/* Free a rule list. */
void
lattice_rule_list_free(struct lattice_rule_list *l)
{
	size_t	i;

	for (i = 0; i < l->n; i++)
		lattice_rule_free(&l->items[i]);
	free(l->items);
	free(l->next_token);
	memset(l, 0, sizeof(*l));
}

/* ListRules of a listener (summaries: no match or action). */
int
lattice_list_rules(struct aws *aws, const char *svc, const char *listener,
    const struct lattice_page *page, struct lattice_rule_list *out,
    struct aws_error *err)
{
	struct lattice_pager	 pg = { "ListRules", "GET", NULL, NULL, NULL,
	    sizeof(*out->items), lattice_rule_item, lattice_rule_item_free };
	char			*path;
	void			*items = NULL;
	int			 rc;

	memset(out, 0, sizeof(*out));
	if (lattice_rule_ids(err, pg.op, svc, listener, NULL, 0) != 0 ||
	    lattice_check_page(err, pg.op, page) != 0)
		return -1;
	pg.path = path = lattice_pathf("/services/%s/listeners/%s/rules", svc,
	    listener);
	rc = lattice_paginate(aws, &pg, page, &items, &out->n,
	    &out->next_token, err);
	out->items = items;
	free(path);
	return rc;
}

/* ---- BatchUpdateRule ---- */

/* Free a rule failure's members. */
void
lattice_rule_failure_free(struct lattice_rule_failure *f)
{
	free(f->rule_identifier);
	free(f->failure_code);
	free(f->failure_message);
	memset(f, 0, sizeof(*f));
}

/* Append one response's successful and unsuccessful lists to r. */
static void
lattice_batch_result_add(const cJSON *o,
    struct lattice_batch_update_rule_result *r)
{
	const cJSON			*arr, *it;
	struct lattice_rule_failure	*f;
	void				*ok = r->successful;
	void				*bad = r->unsuccessful;

	arr = lattice_jarray(o, "successful");
	cJSON_ArrayForEach(it, arr) {
		if (cJSON_IsObject(it))
			lattice_rule_from_json(it, lattice_array_add(&ok,
			    &r->n_successful, sizeof(*r->successful)));
	}
	arr = lattice_jarray(o, "unsuccessful");
	cJSON_ArrayForEach(it, arr) {
		if (!cJSON_IsObject(it))
			continue;
		f = lattice_array_add(&bad, &r->n_unsuccessful, sizeof(*f));
		f->rule_identifier = lattice_jstr(it, "ruleIdentifier");
		f->failure_code = lattice_jstr(it, "failureCode");
		f->failure_message = lattice_jstr(it, "failureMessage");
	}
	r->successful = ok;
	r->unsuccessful = bad;
}

/* Read a BatchUpdateRule response. */
void
lattice_batch_update_rule_result_from_json(const cJSON *o,
    struct lattice_batch_update_rule_result *r)
{
	memset(r, 0, sizeof(*r));
	lattice_batch_result_add(o, r);
}

/* Free a BatchUpdateRule result's members. */
void
lattice_batch_update_rule_result_free(
    struct lattice_batch_update_rule_result *r)
{
	size_t	i;

	for (i = 0; i < r->n_successful; i++)
		lattice_rule_free(&r->successful[i]);
	free(r->successful);
	for (i = 0; i < r->n_unsuccessful; i++)
		lattice_rule_failure_free(&r->unsuccessful[i]);
	free(r->unsuccessful);
	memset(r, 0, sizeof(*r));
}

/* Send one BatchUpdateRule call for rules[0..n). */
static int
lattice_batch_update_call(struct aws *aws,
    const struct lattice_batch_update_rule_input *in,
    const struct lattice_update_rule_input *rules, size_t n,
    struct lattice_batch_update_rule_result *out, struct aws_error *err)
{
	cJSON	*body, *arr, *o, *resp;
	size_t	 i;
	int	 rc;

	body = cJSON_CreateObject();
	arr = cJSON_AddArrayToObject(body, "rules");
	for (i = 0; i < n; i++) {
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "ruleIdentifier",
		    rules[i].rule_identifier);
		lattice_update_members(o, &rules[i]);
		cJSON_AddItemToArray(arr, o);
	}
	rc = lattice_do(aws, "BatchUpdateRule", "PATCH",
	    lattice_pathf("/services/%s/listeners/%s/rules",
	    in->service_identifier, in->listener_identifier), NULL, body, &resp,
	    err);
	if (rc == 0)
		lattice_batch_result_add(resp, out);
	cJSON_Delete(resp);
	return rc;
}

/* BatchUpdateRule for any number of rules, 10 per call. */
int
lattice_batch_update_rule(struct aws *aws,
    const struct lattice_batch_update_rule_input *in,
    struct lattice_batch_update_rule_result *out, struct aws_error *err)
{
	const char	*op = "BatchUpdateRule";
	size_t		 i, n;

	memset(out, 0, sizeof(*out));
	if (lattice_rule_ids(err, op, in->service_identifier,
	    in->listener_identifier, NULL, 0) != 0)
		return -1;
	if (in->n_rules == 0)
		return lattice_invalid(err, op, "rules needs at least one "
		    "entry");
	for (i = 0; i < in->n_rules; i++) {
		if (lattice_check_update(err, op, &in->rules[i]) != 0)
			return -1;
	}
	for (i = 0; i < in->n_rules; i += n) {
		n = in->n_rules - i;
		if (n > LATTICE_MAX_RULES_PER_BATCH)
			n = LATTICE_MAX_RULES_PER_BATCH;
		if (lattice_batch_update_call(aws, in, in->rules + i, n, out,
		    err) != 0)
			return -1;
	}
	return 0;
}
