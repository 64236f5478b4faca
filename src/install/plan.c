/* Dry run: every selected step observed (read-only calls), then what
 * exists, what would be done and the equivalent commands, as text and
 * JSON. The uninstall question shows the same text. */
#include <stdlib.h>
#include <string.h>

#include "latticectl/error.h"
#include "latticectl/xmalloc.h"

#include "install_int.h"

/* "none", "some", ... */
static const char *
plan_have_name(enum ihave h)
{
	static const char *const n[] = { "none", "some", "in-progress", "all",
	    "conflict", "waiting" };

	return n[h];
}

/* The header: lab, account, network, mode. */
static void
plan_header(struct install *in, struct strbuf *t)
{
	const struct lab_config	*lab = in->lab;

	strbuf_addf(t, "%s plan for cluster %s (Kubernetes %s) in %s, account "
	    "%s\n", in->o.dir == INSTALL_UP ? "install" : "uninstall",
	    lab->cluster.name, lab->cluster.version, in->f.region,
	    in->f.account);
	if (in->f.vpc_id != NULL)
		strbuf_addf(t, "VPC %s%s%s%s, %zu public + %zu private subnets; ",
		    in->f.vpc_id, lab->cluster.vpc_name ? " (" : "",
		    lab->cluster.vpc_name ? lab->cluster.vpc_name : "",
		    lab->cluster.vpc_name ? ")" : "", in->f.public_ids.n,
		    in->f.private_ids.n);
	else
		strbuf_addf(t, "VPC: %s; ", in->f.vpc_error != NULL ?
		    in->f.vpc_error : "unknown");
	strbuf_addf(t, "controller mode %s; kubeconfig %s\n",
	    lab_mode_name(lab->controller.mode), in->kubeconfig);
}

/* The step's planned actions for this direction and observation. */
static void
plan_actions(struct irun *r, const struct iobs *o, struct iplan *p)
{
	if (r->in->o.dir == INSTALL_UP) {
		if (o->have != IHAVE_ALL && o->have != IHAVE_CONFLICT)
			r->ops->plan(r, o, p);
	} else if (o->have == IHAVE_SOME || o->have == IHAVE_ALL ||
	    o->have == IHAVE_WAIT)
		r->ops->undo_plan(r, o, p);
}

/* One step as text. */
static void
plan_text(struct irun *r, const struct iobs *o, const struct iplan *p,
    const char *err, struct strbuf *t)
{
	size_t	i;
	int	up = r->in->o.dir == INSTALL_UP;

	strbuf_addf(t, "\n[%s] %s\n", r->ops->id, r->ops->title);
	if (err != NULL) {
		strbuf_addf(t, "  could not look: %s\n", err);
		return;
	}
	strbuf_addf(t, "  exists: %s\n", o->exists.len ? o->exists.buf :
	    "nothing");
	if (o->have == IHAVE_CONFLICT)
		strbuf_addf(t, "  %s: %s\n", up ? "problem" : "kept", o->msg);
	else if (o->have == IHAVE_WAIT)
		strbuf_addf(t, "  in progress: %s\n", o->msg);
	else if (o->have == IHAVE_BLOCKED && up)
		strbuf_addf(t, "  after: %s\n", o->msg);
	if (p->n == 0 && o->have != IHAVE_CONFLICT)
		strbuf_addf(t, "  would: nothing (%s)\n", up ? "done" :
		    "nothing to remove");
	for (i = 0; i < p->n; i++) {
		strbuf_addf(t, "%s %s\n", i == 0 ? "  would:" : "        ",
		    p->v[i].what);
		if (p->v[i].cmd != NULL)
			strbuf_addf(t, "           $ %s\n", p->v[i].cmd);
	}
}

/* One step as JSON. */
static cJSON *
plan_json(struct irun *r, const struct iobs *o, const struct iplan *p,
    const char *err)
{
	cJSON	*s = cJSON_CreateObject(), *a, *e;
	size_t	 i;

	cJSON_AddStringToObject(s, "step", r->ops->id);
	cJSON_AddStringToObject(s, "title", r->ops->title);
	if (err != NULL) {
		cJSON_AddStringToObject(s, "error", err);
		return s;
	}
	cJSON_AddStringToObject(s, "have", plan_have_name(o->have));
	cJSON_AddStringToObject(s, "exists", o->exists.buf);
	if (o->msg != NULL)
		cJSON_AddStringToObject(s, "message", o->msg);
	a = cJSON_AddArrayToObject(s, "actions");
	for (i = 0; i < p->n; i++) {
		e = cJSON_CreateObject();
		cJSON_AddStringToObject(e, "what", p->v[i].what);
		if (p->v[i].cmd != NULL)
			cJSON_AddStringToObject(e, "command", p->v[i].cmd);
		cJSON_AddItemToArray(a, e);
	}
	return s;
}

/* Observe and plan every selected step. */
int
inst_plan_all(struct install *in, struct strbuf *text, cJSON **json,
    size_t *actions, char **cause)
{
	struct irun	**order, *r;
	struct iobs	  o;
	struct iplan	  p;
	cJSON		 *arr;
	char		 *err;
	size_t		  i;

	*actions = 0;
	if (inst_facts(in, 0, cause) != 0)
		return -1;
	if (text != NULL)
		plan_header(in, text);
	arr = cJSON_CreateArray();
	order = inst_order(in);
	for (i = 0; (r = order[i]) != NULL; i++) {
		iobs_init(&o);
		memset(&p, 0, sizeof p);
		err = NULL;
		if (r->ops->observe(r, &o, &err) == 0)
			plan_actions(r, &o, &p);
		*actions += p.n;
		if (text != NULL)
			plan_text(r, &o, &p, err, text);
		cJSON_AddItemToArray(arr, plan_json(r, &o, &p, err));
		iplan_free(&p);
		iobs_clear(&o);
		free(err);
	}
	free(order);
	if (json != NULL)
		*json = arr;
	else
		cJSON_Delete(arr);
	return 0;
}

/* Dry run. */
int
install_plan(struct install *in, struct strbuf *text, cJSON **json,
    char **cause)
{
	size_t	n;

	in->dry = 1;
	in->start_ms = inst_now();
	return inst_plan_all(in, text, json, &n, cause);
}
