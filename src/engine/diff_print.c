/*
 * Printing a plan for `latticectl plan`: a table and JSON.
 */
#include <stdlib.h>
#include <string.h>

#include "latticectl/json.h"
#include "latticectl/xmalloc.h"

#include "mirror_int.h"

static const char *const plan_kind_names[PLAN_OP_KIND_MAX] = {
	[PLAN_TG_CREATE] = "create-target-group",
	[PLAN_TG_TAG] = "tag-target-group",
	[PLAN_TG_UPDATE] = "update-target-group",
	[PLAN_TARGETS_DEREGISTER] = "deregister-targets",
	[PLAN_TARGETS_REGISTER] = "register-targets",
	[PLAN_SVC_CREATE] = "create-service",
	[PLAN_SVC_TAG] = "tag-service",
	[PLAN_SVC_UPDATE] = "update-service",
	[PLAN_ASSOC_CREATE] = "create-association",
	[PLAN_LISTENER_CREATE] = "create-listener",
	[PLAN_LISTENER_UPDATE] = "update-listener",
	[PLAN_RULE_DELETE] = "delete-rule",
	[PLAN_RULE_UPDATE] = "update-rule",
	[PLAN_RULE_BATCH] = "batch-update-rules",
	[PLAN_RULE_CREATE] = "create-rule",
	[PLAN_LISTENER_DELETE] = "delete-listener",
	[PLAN_ASSOC_DELETE] = "delete-association",
	[PLAN_SVC_DELETE] = "delete-service",
	[PLAN_TG_DELETE] = "delete-target-group",
	[PLAN_WAIT] = "wait",
};

/* "create-service", ... */
const char *
plan_op_kind_str(enum plan_op_kind k)
{
	if ((int)k < 0 || k >= PLAN_OP_KIND_MAX)
		return "?";
	return plan_kind_names[k];
}

/* One operation as JSON. */
static cJSON *
plan_op_json(const struct plan_op *op)
{
	cJSON	*o, *arr, *t;
	size_t	 i;

	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "op", plan_op_kind_str(op->kind));
	cJSON_AddStringToObject(o, "resource", op->resource);
	cJSON_AddStringToObject(o, "reason", op->reason);
	json_add_str_opt(o, "id", op->id);
	if (op->n_targets > 0) {
		arr = cJSON_AddArrayToObject(o, "targets");
		for (i = 0; i < op->n_targets; i++) {
			t = cJSON_CreateObject();
			cJSON_AddStringToObject(t, "ip", op->targets[i].ip);
			cJSON_AddNumberToObject(t, "port", op->targets[i].port);
			cJSON_AddItemToArray(arr, t);
		}
	}
	if (op->tags.n > 0)
		cJSON_AddItemToObject(o, "tags", aws_tags_to_json(&op->tags));
	return o;
}

/* The plan as JSON. */
cJSON *
plan_to_json(const struct plan *p)
{
	cJSON	*o, *arr;
	size_t	 i;

	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "owner", p->owner);
	cJSON_AddBoolToObject(o, "deleting", p->deleting);
	cJSON_AddBoolToObject(o, "drift", plan_drift(p));
	json_add_str_opt(o, "conflict", p->conflict);
	arr = cJSON_AddArrayToObject(o, "problems");
	for (i = 0; i < p->n_problems; i++)
		cJSON_AddItemToArray(arr, cJSON_CreateString(p->problems[i]));
	arr = cJSON_AddArrayToObject(o, "operations");
	for (i = 0; i < p->n_ops; i++)
		cJSON_AddItemToArray(arr, plan_op_json(&p->ops[i]));
	return o;
}

/* Width of the widest value of a column. */
static int
plan_width(const struct plan *p, int col, int min)
{
	size_t	i, len;
	int	w = min;

	for (i = 0; i < p->n_ops; i++) {
		len = strlen(col == 0 ? plan_op_kind_str(p->ops[i].kind) :
		    p->ops[i].resource);
		if ((int)len > w)
			w = (int)len;
	}
	return w;
}

/* The plan as table lines. */
void
plan_print_table(const struct plan *p, struct strbuf *sb)
{
	int	w0, w1;
	size_t	i;

	if (p->conflict != NULL)
		strbuf_addf(sb, "%s: conflict: %s\n", p->owner, p->conflict);
	for (i = 0; i < p->n_problems; i++)
		strbuf_addf(sb, "%s: problem: %s\n", p->owner,
		    p->problems[i]);
	if (p->n_ops == 0)
		return;
	w0 = plan_width(p, 0, 9);
	w1 = plan_width(p, 1, 8);
	strbuf_addf(sb, "%s%s\n", p->owner, p->deleting ? " (deleting)" : "");
	strbuf_addf(sb, "  %3s  %-*s  %-*s  %s\n", "#", w0, "OPERATION", w1,
	    "RESOURCE", "REASON");
	for (i = 0; i < p->n_ops; i++)
		strbuf_addf(sb, "  %3zu  %-*s  %-*s  %s\n", i + 1, w0,
		    plan_op_kind_str(p->ops[i].kind), w1, p->ops[i].resource,
		    p->ops[i].reason);
}
