/* The Lattice side of the feed: controller_map and controller_plan of the
 * demo's running engine, or of a read-only controller loaded for each
 * refresh (`latticectl tui`), hung below each route row as its chain,
 * flattened into the :tg list and formatted as the route's detail. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "latticectl/aws.h"
#include "latticectl/eks.h"
#include "latticectl/json.h"
#include "latticectl/log.h"
#include "latticectl/sts.h"
#include "latticectl/timeutil.h"
#include "latticectl/xmalloc.h"

#include "tui_feed.h"

#define TUI_LATTICE_MS		2000	/* refresh period */
#define TUI_LATTICE_GAP_MS	500	/* at most this often on change */
#define TUI_LATTICE_IDLE_MS	10000	/* backed off to this while the
					 * results stay the same */

/* Ask STS for the account once (the own controller needs it). */
static void
tui_lattice_account(struct tui_feed *f)
{
	struct sts_identity	id = { 0 };
	struct aws_error	err = { 0 };

	if (f->o.account_id != NULL)
		return;
	if (sts_get_caller_identity(f->o.aws, &id, &err) != 0) {
		log_msg(LOG_LEVEL_WARN, "tui", "STS: %s", err.message != NULL ?
		    err.message : "GetCallerIdentity failed");
		aws_error_clear(&err);
		return;
	}
	free(f->s_account);
	f->o.account_id = f->s_account = xstrdup(id.account);
	sts_identity_clear(&id);
}

/* The cluster's VPC from EKS, once (the own controller needs it). */
static void
tui_lattice_vpc(struct tui_feed *f)
{
	struct eks_cluster	cl = { 0 };
	struct aws_error	err = { 0 };

	if (f->o.vpc_id != NULL || f->o.cluster_name == NULL ||
	    f->o.aws == NULL || f->lattice_vpc_tried)
		return;
	f->lattice_vpc_tried = 1;
	if (eks_describe_cluster(f->o.aws, f->o.cluster_name, &cl,
	    &err) != 0) {
		log_msg(LOG_LEVEL_WARN, "tui", "EKS cluster %s: %s",
		    f->o.cluster_name, err.message != NULL ? err.message :
		    "DescribeCluster failed");
		aws_error_clear(&err);
		return;
	}
	if (cl.vpc.vpc_id != NULL) {
		free(f->s_vpc);
		f->o.vpc_id = f->s_vpc = xstrdup(cl.vpc.vpc_id);
	}
	eks_cluster_clear(&cl);
}

/* Map and plan with a read-only controller loaded for this call: one
 * list per kind and a fresh mirror, so the chain shows what Lattice has
 * now (targets' health included), not an engine's cache. */
int
tui_lattice_fresh(struct kube_client *kc, struct aws *aws,
    const struct controller_config *in, const char *ns, cJSON **map,
    cJSON **plan, char **cause)
{
	struct controller_config	 cfg;
	struct controller		*c;
	int				 rc = -1;

	*map = *plan = NULL;
	cfg = *in;
	cfg.dry_run = 1;
	cfg.no_events = 1;
	cfg.leader_elect = 0;
	cfg.metrics_addr = cfg.health_addr = NULL;
	cfg.ns = ns;
	if ((c = controller_new(kc, aws, &cfg, cause)) == NULL)
		return -1;
	if (controller_load(c, ns, cause) == 0 &&
	    controller_map(c, ns, NULL, map, cause) == 0 &&
	    controller_plan(c, ns, plan, NULL, cause) >= 0)
		rc = 0;
	controller_free(c);
	if (rc != 0) {
		cJSON_Delete(*map);
		*map = NULL;
	}
	return rc;
}

/* A digest of a JSON value's compact text. */
static uint64_t
tui_lattice_digest(uint64_t h, const cJSON *j)
{
	char	*t;

	if (j == NULL)
		return tui_digest_str(h, NULL);
	t = cJSON_PrintUnformatted(j);
	h = tui_digest_str(h, t);
	cJSON_free(t);
	return h;
}

/* Bump the results' generation when map, plan or error changed. */
static void
tui_lattice_note(struct tui_feed *f)
{
	uint64_t	h = TUI_DIGEST_SEED;

	h = tui_lattice_digest(h, f->map);
	h = tui_lattice_digest(h, f->plan);
	h = tui_digest_str(h, f->lattice_err);
	if (h != f->lattice_digest || f->lattice_gen == 0) {
		f->lattice_gen++;
		f->lattice_same = 0;
	} else
		f->lattice_same++;
	f->lattice_digest = h;
}

/* Replace the feed's results. */
static void
tui_lattice_set(struct tui_feed *f, cJSON *map, cJSON *plan, char *err)
{
	cJSON_Delete(f->map);
	cJSON_Delete(f->plan);
	free(f->lattice_err);
	f->map = map;
	f->plan = plan;
	f->lattice_err = err;
	tui_lattice_note(f);
}

/* The refresh period: the configured one, doubled for every refresh
 * that found nothing new, up to TUI_LATTICE_IDLE_MS (an idle dashboard
 * loads Lattice rarely; a poke brings it back to the fast pace). */
static uint64_t
tui_lattice_period(struct tui_feed *f)
{
	uint64_t	base = f->o.lattice_ms != 0 ? f->o.lattice_ms :
			    TUI_LATTICE_MS, p = base;
	unsigned	i;

	for (i = 0; i < f->lattice_same && p < TUI_LATTICE_IDLE_MS; i++)
		p *= 2;
	return p > base && p > TUI_LATTICE_IDLE_MS ? (base >
	    TUI_LATTICE_IDLE_MS ? base : TUI_LATTICE_IDLE_MS) : p;
}

/* Refresh the map and plan when due; on a change (force) at most every
 * gap ms. Driving a lab (demo), only once its engine runs (before, the
 * Gateway API CRDs may not even exist). */
void
tui_lattice_refresh(struct tui_feed *f, int force)
{
	struct controller_config cfg;
	struct controller	*eng;
	uint64_t		 now = time_mono_ms();
	cJSON			*map, *plan;
	char			*cause = NULL, *err = NULL;

	if (force && f->lattice_tried && now < f->lattice_last +
	    TUI_LATTICE_GAP_MS) {
		if (f->lattice_next > f->lattice_last + TUI_LATTICE_GAP_MS)
			f->lattice_next = f->lattice_last + TUI_LATTICE_GAP_MS;
		return;
	}
	if (!force && f->lattice_tried && now < f->lattice_next)
		return;
	if (force)
		f->lattice_same = 0;
	f->lattice_tried = 1;
	f->lattice_last = now;
	f->lattice_next = now + tui_lattice_period(f);
	if (f->o.lab != NULL && tui_lab_driving(f->o.lab)) {
		eng = tui_lab_engine_hold(f->o.lab);
		tui_lab_engine_release(f->o.lab);
		if (eng == NULL) {
			tui_lattice_set(f, NULL, NULL, NULL);
			return;
		}
	}
	/* Nothing to map (and controller_map's qsort of no routes trips
	 * UBSan): wait for the first route. */
	if (tui_feed_nroutes(f) == 0) {
		tui_lattice_set(f, NULL, NULL, NULL);
		return;
	}
	tui_lattice_vpc(f);
	if (f->o.aws == NULL || f->o.cluster_name == NULL ||
	    f->o.vpc_id == NULL) {
		tui_lattice_set(f, NULL, NULL, NULL);
		return;
	}
	tui_lattice_account(f);
	memset(&cfg, 0, sizeof cfg);
	cfg.cluster_name = f->o.cluster_name;
	cfg.vpc_id = f->o.vpc_id;
	cfg.account_id = f->o.account_id;
	if (tui_lattice_fresh(f->o.kc, f->o.aws, &cfg, f->o.ns, &map, &plan,
	    &cause) != 0) {
		/* keep the last good chain, marked by the error */
		xasprintf(&err, "Lattice: %s", cause);
		free(cause);
		free(f->lattice_err);
		f->lattice_err = err;
		tui_lattice_note(f);
		return;
	}
	tui_lattice_set(f, map, plan, NULL);
}

/* Set the :tg list's columns of s. */
void
tui_lattice_columns(struct ui_snapshot *s)
{
	ui_list_set_columns(&s->lists[UI_LIST_TARGETGROUPS], ui_tg_columns);
}

/* The Lattice error for the header, or NULL. */
const char *
tui_lattice_error(struct tui_feed *f)
{
	return f->lattice_err;
}

/* Free the feed's Lattice results. */
void
tui_lattice_free(struct tui_feed *f)
{
	tui_lattice_set(f, NULL, NULL, NULL);
}

/* The map entry of kind ns/name, or NULL. */
static const cJSON *
tui_lattice_entry(struct tui_feed *f, const char *kind, const char *ns,
    const char *name)
{
	const cJSON	*e;

	cJSON_ArrayForEach(e, f->map) {
		if (strcmp(json_str(e, "kind"), kind) == 0 &&
		    strcmp(json_str(e, "namespace"), ns) == 0 &&
		    strcmp(json_str(e, "name"), name) == 0)
			return e;
	}
	return NULL;
}

/* The plan ("owner": "Kind ns/name") of a route with drift, or NULL. */
static const cJSON *
tui_lattice_plan(struct tui_feed *f, const char *kind, const char *ns,
    const char *name)
{
	const cJSON	*p;
	char		*owner;

	xasprintf(&owner, "%s %s/%s", kind, ns, name);
	cJSON_ArrayForEach(p, json_path(f->plan, "plans")) {
		if (strcmp(json_str(p, "owner"), owner) == 0)
			break;
	}
	free(owner);
	return p;
}

/* Hang the chain below a route row, add its target groups to :tg and
 * append its detail. */
void
tui_lattice_route(struct tui_feed *f, struct ui_snapshot *s,
    struct ui_item *row, const cJSON *route)
{
	const char	*ns = json_path_str(route, "metadata.namespace");
	const char	*name = json_path_str(route, "metadata.name");
	const cJSON	*entry, *plan;
	cJSON		*events;
	struct ui_detail *d;

	if (ns == NULL)
		ns = "";
	if (name == NULL)
		name = "";
	entry = tui_lattice_entry(f, row->kind, ns, name);
	plan = entry != NULL ? tui_lattice_plan(f, row->kind, ns, name) :
	    NULL;
	if (entry != NULL) {
		ui_route_chain(row, entry, plan);
		ui_tg_items(&s->lists[UI_LIST_TARGETGROUPS], entry);
	}
	events = tui_feed_events(f, row->kind, ns, name);
	s->details = xreallocarray(s->details, s->ndetails + 1,
	    sizeof *s->details);
	d = &s->details[s->ndetails++];
	memset(d, 0, sizeof *d);
	ui_route_detail(d, route, entry, plan, events);
	cJSON_Delete(events);
}
