/*
 * libFuzzer target for the diff: the input drives edits of a desired
 * stack (the rates route) and of a mirror built equal to another copy of
 * it (priorities, paths, weights, targets, tags, statuses, missing or
 * extra resources), then plan_diff, plan_to_json and plan_print_table
 * run on the pair. Checks that every operation is well formed.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/plan.h"
#include "latticectl/xmalloc.h"

#include "../unit/plan_fixture.h"
#include "../../src/engine/mirror_int.h"

struct fz {
	const uint8_t	*p;
	size_t		 n;
};

/* The next input byte (0 when the input is used up). */
static unsigned
fz_byte(struct fz *f)
{
	if (f->n == 0)
		return 0;
	f->n--;
	return *f->p++;
}

static const char *const fz_paths[] = { "/parking", "/review", "/", "/a",
	"/parking/x" };
static const char *const fz_status[] = { "ACTIVE", "CREATE_IN_PROGRESS",
	"DELETE_IN_PROGRESS", "CREATE_FAILED", NULL };

/* Edit the desired stack. */
static void
fz_edit_stack(struct fz *f, struct lm_stack *st)
{
	struct lm_listener	*l = &st->listeners[0];
	unsigned		 op, i, k = fz_byte(f) % 8;

	for (i = 0; i < k; i++) {
		op = fz_byte(f);
		switch (op % 7) {
		case 0:
			if (l->n_rules > 0)
				fx_drop_rule(st, fz_byte(f) % l->n_rules);
			break;
		case 1:
			if (l->n_rules > 0)
				l->rules[fz_byte(f) % l->n_rules].priority =
				    1 + (int)(fz_byte(f) % 12);
			break;
		case 2:
			if (l->n_rules > 0 && st->n_tgs == 2)
				fx_split(st, fz_byte(f) % l->n_rules,
				    (int)fz_byte(f), (int)fz_byte(f));
			break;
		case 3:
			if (st->n_tgs > 0 && st->tgs[0].n_targets > 0)
				st->tgs[0].targets[0].port = (int)fz_byte(f);
			break;
		case 4:
			st->service->standalone = fz_byte(f) & 1;
			break;
		case 5:
			if (l->n_rules > 0) {
				struct lm_match *m = &l->rules[fz_byte(f) %
				    l->n_rules].match;

				free(m->path);
				m->path = xstrdup(fz_paths[fz_byte(f) % 5]);
				m->path_kind = fz_byte(f) % 3;
				if (m->path_kind == LM_PATH_NONE) {
					free(m->path);
					m->path = NULL;
				}
			}
			break;
		default:
			st->tgs[0].health_check.enabled = fz_byte(f) & 1;
			break;
		}
	}
}

/* Put a TG equal to a desired one, with edited tags and status. */
static void
fz_put_tg(struct fz *f, struct mirror *m, const struct lm_target_group *d,
    int n)
{
	struct lattice_target_group	 t = { 0 };
	struct aws_tags			 tags = { 0 };
	struct mx_tg			*mt;
	unsigned			 b = fz_byte(f);
	size_t				 i;

	xasprintf(&t.id, "tg-%017d", n);
	xasprintf(&t.arn, "arn:aws:vpc-lattice:r:1:targetgroup/%s", t.id);
	t.name = xstrdup(d->name);
	t.type = xstrdup("IP");
	t.status = xstrdup_or_null(fz_status[b % 5]);
	t.config.port = d->port;
	t.config.protocol = xstrdup(d->protocol);
	t.config.vpc_identifier = xstrdup(d->vpc_id);
	t.config.health_check.present = (b >> 3) & 1;
	aws_tags_copy(&tags, &d->tags);
	if ((b >> 4) & 1)
		aws_tags_set(&tags, UP_TAG_MANAGED_BY, "x/y/z");
	mt = mx_put_tg(m, &t, (b >> 5) & 1 ? NULL : &tags);
	aws_tags_free(&tags);
	mt->targets_loaded = (b >> 6) & 1;
	mt->targets = xcalloc(d->n_targets + 1, sizeof(*mt->targets));
	for (i = 0; i < d->n_targets; i++) {
		mt->targets[i].id = xstrdup(d->targets[i].ip);
		mt->targets[i].port = d->targets[i].port + (int)(fz_byte(f) %
		    2);
		mt->targets[i].status = xstrdup_or_null((b >> 7) ?
		    "DRAINING" : NULL);
	}
	mt->n_targets = d->n_targets;
}

/* Put the rules of the desired listener 0, edited. */
static void
fz_put_rules(struct fz *f, struct mirror *m, const struct lm_stack *st,
    struct mx_listener *ml)
{
	const struct lm_listener	*dl = &st->listeners[0];
	const char			*ids[LATTICE_MAX_WEIGHTED_TGS];
	struct lattice_rule		 r;
	size_t				 i, k;

	for (i = 0; i < dl->n_rules; i++) {
		if (fz_byte(f) % 5 == 0)
			continue;
		memset(&r, 0, sizeof(r));
		xasprintf(&r.id, "rule-%017zu", i);
		r.name = xstrdup(dl->rules[i].name);
		r.priority = 1 + (int)(fz_byte(f) % 6);
		r.match.present = 1;
		r.match.path.kind = LATTICE_MATCH_PREFIX;
		r.match.path.value = xstrdup(fz_paths[fz_byte(f) % 5]);
		r.match.path.case_sensitive = LATTICE_TRUE;
		if (mx_action_ids(m, st, &dl->rules[i].action, ids, NULL) == 0 &&
		    dl->rules[i].action.kind == LM_ACTION_FORWARD) {
			r.action.kind = LATTICE_ACTION_FORWARD;
			r.action.target_groups = xcalloc(
			    dl->rules[i].action.n_tgs,
			    sizeof(*r.action.target_groups));
			for (k = 0; k < dl->rules[i].action.n_tgs; k++) {
				r.action.target_groups[k].target_group_id =
				    xstrdup(ids[k]);
				r.action.target_groups[k].weight =
				    (int)fz_byte(f) % 3;
			}
			r.action.n_target_groups = k;
		}
		mx_put_rule(ml, &r, fz_byte(f) % 4 != 0);
	}
}

/* A mirror equal to the stack, edited. */
static void
fz_fill(struct fz *f, struct mirror *m, const struct lm_stack *st)
{
	struct lattice_service	 s = { 0 };
	struct lattice_listener	 l = { 0 };
	struct mx_service	*ms;
	struct aws_tags		 tags = { 0 };
	unsigned		 b;
	size_t			 i;

	for (i = 0; i < st->n_tgs; i++)
		if (fz_byte(f) % 4 != 0)
			fz_put_tg(f, m, &st->tgs[i], (int)i);
	b = fz_byte(f);
	if (b % 4 == 0)
		return;
	s.id = xstrdup("svc-00000000000000001");
	s.arn = xstrdup("arn:aws:vpc-lattice:r:1:service/svc-1");
	s.name = xstrdup(st->service->name);
	s.status = xstrdup_or_null(fz_status[(b >> 2) % 5]);
	aws_tags_copy(&tags, &st->service->tags);
	if ((b >> 5) & 1)
		aws_tags_set(&tags, UP_TAG_MANAGED_BY, "x/y/z");
	if ((b >> 6) & 1)
		aws_tags_free(&tags);
	ms = mx_put_service(m, &s, &tags);
	aws_tags_free(&tags);
	ms->children = (b >> 7) | (fz_byte(f) & 1);
	if (fz_byte(f) % 3 == 0)
		return;
	l.id = xstrdup("listener-00000000000000001");
	l.name = xstrdup(st->listeners[0].name);
	l.protocol = xstrdup(fz_byte(f) % 4 ? "HTTP" : "HTTPS");
	l.port = fz_byte(f) % 3 ? 80 : 8080;
	fz_put_rules(f, m, st, mx_put_listener(ms, &l));
}

/* Diff and print; check each operation is well formed. */
static void
fz_diff(struct mirror *m, const struct lm_stack *st, int deleting)
{
	struct plan	*p = NULL;
	struct strbuf	 sb;
	char		*cause = NULL;
	size_t		 i;

	if (plan_diff(m, st, deleting, &p, &cause) != 0)
		abort();
	for (i = 0; i < p->n_ops; i++) {
		if (p->ops[i].resource == NULL || p->ops[i].reason == NULL ||
		    (p->ops[i].kind == PLAN_RULE_BATCH &&
		    p->ops[i].n_changes < 2))
			abort();
	}
	cJSON_Delete(plan_to_json(p));
	strbuf_init(&sb);
	plan_print_table(p, &sb);
	strbuf_free(&sb);
	plan_free(p);
}

/* One input: edit, fill, diff. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mirror_config		 cfg = { FX_MANAGED_BY, FX_VPC, 0 };
	struct lattice_service_network_list sns = { 0 };
	struct lm_stack			*want, *have;
	struct mirror			*m;
	struct fz			 f = { data, size };

	m = mirror_new(NULL, &cfg);
	sns.items = xcalloc(1, sizeof(*sns.items));
	sns.items[0].id = xstrdup("sn-1");
	sns.items[0].name = xstrdup(FX_SN);
	sns.n = 1;
	mx_put_sns(m, &sns);
	free(sns.items);
	m->loaded = 1;
	want = fx_rates();
	have = fx_rates();
	fz_edit_stack(&f, want);
	fz_edit_stack(&f, have);
	fz_fill(&f, m, have);
	fz_diff(m, want, fz_byte(&f) & 1);
	lm_stack_free(want);
	lm_stack_free(have);
	mirror_free(m);
	return 0;
}
