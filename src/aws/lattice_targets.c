/* VPC Lattice targets: register and deregister (in calls of at most 100)
 * and list (a POST with an optional filter body). */
#include <stdlib.h>
#include <string.h>

#include "latticectl/json.h"
#include "latticectl/xmalloc.h"

#include "lattice_int.h"

/* Read a Target or TargetSummary. */
void
lattice_target_from_json(const cJSON *o, struct lattice_target *t)
{
	memset(t, 0, sizeof(*t));
	t->id = lattice_jstr(o, "id");
	t->port = lattice_jint(o, "port", 0);
	t->status = lattice_jstr(o, "status");
	t->reason_code = lattice_jstr(o, "reasonCode");
}

/* Free a target's members. */
void
lattice_target_free(struct lattice_target *t)
{
	free(t->id);
	free(t->status);
	free(t->reason_code);
	memset(t, 0, sizeof(*t));
}

/* Free a target failure's members. */
void
lattice_target_failure_free(struct lattice_target_failure *f)
{
	free(f->id);
	free(f->failure_code);
	free(f->failure_message);
	memset(f, 0, sizeof(*f));
}

/* Append one response's successful and unsuccessful lists to r. */
static void
lattice_targets_result_add(const cJSON *o, struct lattice_targets_result *r)
{
	const cJSON			*arr, *it;
	struct lattice_target_failure	*f;
	void				*ok = r->successful;
	void				*bad = r->unsuccessful;

	arr = lattice_jarray(o, "successful");
	cJSON_ArrayForEach(it, arr) {
		if (cJSON_IsObject(it))
			lattice_target_from_json(it, lattice_array_add(&ok,
			    &r->n_successful, sizeof(*r->successful)));
	}
	arr = lattice_jarray(o, "unsuccessful");
	cJSON_ArrayForEach(it, arr) {
		if (!cJSON_IsObject(it))
			continue;
		f = lattice_array_add(&bad, &r->n_unsuccessful, sizeof(*f));
		f->id = lattice_jstr(it, "id");
		f->port = lattice_jint(it, "port", 0);
		f->failure_code = lattice_jstr(it, "failureCode");
		f->failure_message = lattice_jstr(it, "failureMessage");
	}
	r->successful = ok;
	r->unsuccessful = bad;
}

/* Read a Register/DeregisterTargets response. */
void
lattice_targets_result_from_json(const cJSON *o,
    struct lattice_targets_result *r)
{
	memset(r, 0, sizeof(*r));
	lattice_targets_result_add(o, r);
}

/* Free a Register/DeregisterTargets result's members. */
void
lattice_targets_result_free(struct lattice_targets_result *r)
{
	size_t	i;

	for (i = 0; i < r->n_successful; i++)
		lattice_target_free(&r->successful[i]);
	free(r->successful);
	for (i = 0; i < r->n_unsuccessful; i++)
		lattice_target_failure_free(&r->unsuccessful[i]);
	free(r->unsuccessful);
	memset(r, 0, sizeof(*r));
}

/* Check a target list: ids set, ports in range. */
static int
lattice_check_targets(struct aws_error *err, const char *op,
    const struct lattice_target *t, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (t[i].id == NULL || *t[i].id == '\0')
			return lattice_invalid(err, op, "target %zu has no id",
			    i);
		if (t[i].port < 0 || t[i].port > 65535)
			return lattice_invalid(err, op, "target %s port %d not "
			    "in 1..65535", t[i].id, t[i].port);
	}
	return 0;
}

/* The {"targets": [...]} body for t[0..n). */
static cJSON *
lattice_targets_body(const struct lattice_target *t, size_t n)
{
	cJSON	*body, *arr, *o;
	size_t	 i;

	body = cJSON_CreateObject();
	arr = cJSON_AddArrayToObject(body, "targets");
	for (i = 0; i < n; i++) {
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "id", t[i].id);
		lattice_add_int(o, "port", t[i].port);
		cJSON_AddItemToArray(arr, o);
	}
	return body;
}

/* Register or deregister (verb is the path's last segment) in batches. */
static int
lattice_targets_batched(struct aws *aws, const char *op, const char *verb,
    const char *tg, const struct lattice_target *t, size_t n,
    struct lattice_targets_result *out, struct aws_error *err)
{
	cJSON	*resp;
	size_t	 i, k;

	memset(out, 0, sizeof(*out));
	if (lattice_require(err, op, "targetGroupIdentifier", tg) != 0 ||
	    lattice_check_targets(err, op, t, n) != 0)
		return -1;
	if (n == 0)
		return lattice_invalid(err, op, "targets needs at least one "
		    "entry");
	for (i = 0; i < n; i += k) {
		k = n - i;
		if (k > LATTICE_MAX_TARGETS_PER_CALL)
			k = LATTICE_MAX_TARGETS_PER_CALL;
		if (lattice_do(aws, op, "POST",
		    lattice_pathf("/targetgroups/%s/%s", tg, verb), NULL,
		    lattice_targets_body(t + i, k), &resp, err) != 0) {
			cJSON_Delete(resp);
			return -1;
		}
		lattice_targets_result_add(resp, out);
		cJSON_Delete(resp);
	}
	return 0;
}

/* RegisterTargets, 100 per call. */
int
lattice_register_targets(struct aws *aws, const char *tg,
    const struct lattice_target *t, size_t n,
    struct lattice_targets_result *out, struct aws_error *err)
{
	return lattice_targets_batched(aws, "RegisterTargets",
	    "registertargets", tg, t, n, out, err);
}

/* DeregisterTargets, 100 per call. */
int
lattice_deregister_targets(struct aws *aws, const char *tg,
    const struct lattice_target *t, size_t n,
    struct lattice_targets_result *out, struct aws_error *err)
{
	return lattice_targets_batched(aws, "DeregisterTargets",
	    "deregistertargets", tg, t, n, out, err);
}

/* Parse one list item (adapter for the pager). */
static void
lattice_target_item(const cJSON *o, void *item)
{
	lattice_target_from_json(o, item);
}

/* Free one list item (adapter for the pager). */
static void
lattice_target_item_free(void *item)
{
	lattice_target_free(item);
}

/* Append one ListTargets page. */
void
lattice_target_list_add_page(struct lattice_target_list *l, const cJSON *page)
{
	void	*items = l->items;

	lattice_page_add(page, &items, &l->n, sizeof(*l->items),
	    lattice_target_item, &l->next_token);
	l->items = items;
}

/* Free a target list. */
void
lattice_target_list_free(struct lattice_target_list *l)
{
	size_t	i;

	for (i = 0; i < l->n; i++)
		lattice_target_free(&l->items[i]);
	free(l->items);
	free(l->next_token);
	memset(l, 0, sizeof(*l));
}

/* ListTargets of a target group, optionally only the given targets. */
int
lattice_list_targets(struct aws *aws,
    const struct lattice_list_targets_input *in,
    struct lattice_target_list *out, struct aws_error *err)
{
	struct lattice_pager	 pg = { "ListTargets", "POST", NULL, NULL,
	    NULL, sizeof(*out->items), lattice_target_item,
	    lattice_target_item_free };
	cJSON			*body;
	char			*path;
	void			*items = NULL;
	int			 rc;

	memset(out, 0, sizeof(*out));
	if (lattice_require(err, pg.op, "targetGroupIdentifier",
	    in->target_group_identifier) != 0 ||
	    lattice_check_page(err, pg.op, &in->page) != 0 ||
	    lattice_check_targets(err, pg.op, in->targets, in->n_targets) != 0)
		return -1;
	if (in->n_targets > LATTICE_MAX_LIST_TARGETS_FILTER)
		return lattice_invalid(err, pg.op, "%zu targets in the filter "
		    "(at most %d)", in->n_targets,
		    LATTICE_MAX_LIST_TARGETS_FILTER);
	body = in->n_targets > 0 ?
	    lattice_targets_body(in->targets, in->n_targets) :
	    cJSON_CreateObject();
	pg.body = body;
	pg.path = path = lattice_pathf("/targetgroups/%s/listtargets",
	    in->target_group_identifier);
	rc = lattice_paginate(aws, &pg, &in->page, &items, &out->n,
	    &out->next_token, err);
	out->items = items;
	free(path);
	cJSON_Delete(body);
	return rc;
}
