/* The TUI's feed thread: Gateway API informers (routes, gateways) and
 * Events, turned with the Lattice chain, the installer's steps and the
 * actions' results into UI snapshots, on every change and every poll. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "latticectl/kcache.h"
#include "latticectl/log.h"
#include "latticectl/timeutil.h"
#include "latticectl/xmalloc.h"

#include "tui_feed.h"

#define TUI_RETRY_S	2	/* discovery retry while a kind is missing */
#define TUI_POLL_MS	500
#define TUI_RECHECK_S	15	/* an observed lab's steps */

/* Mark the feed dirty and wake its thread. */
void
tui_feed_poke(struct tui_feed *f)
{
	if (f == NULL)
		return;
	pthread_mutex_lock(&f->lock);
	f->dirty = 1;
	pthread_cond_signal(&f->cond);
	pthread_mutex_unlock(&f->lock);
}

/* kube_handler add/delete: any change pokes the feed. */
static void
tui_on_add(void *arg, const cJSON *obj)
{
	(void)obj;
	tui_feed_poke(arg);
}

/* Update: poke. */
static void
tui_on_update(void *arg, const cJSON *old, const cJSON *obj)
{
	(void)old;
	(void)obj;
	tui_feed_poke(arg);
}

/* Synced: poke. */
static void
tui_on_synced(void *arg, int relist)
{
	(void)relist;
	tui_feed_poke(arg);
}

/* Resolve k's resource (its alternative when the base is not served). */
static int
tui_kind_resolve(struct tui_feed *f, struct tui_kind *k, char **cause)
{
	if (kube_resource_resolve(f->o.kc, k->base, &k->rres, cause) == 0)
		return 0;
	if (k->alt == NULL)
		return -1;
	free(*cause);
	*cause = NULL;
	return kube_resource_resolve(f->o.kc, k->alt, &k->rres, cause);
}

/* Resolve and start the informer of k when due; 0 running. */
static int
tui_kind_start(struct tui_feed *f, struct tui_kind *k)
{
	struct kube_informer_opts	 io;
	struct kube_handler		 h;
	char				*cause = NULL;

	if (k->inf != NULL)
		return 0;
	if (time(NULL) < k->next_try)
		return -1;
	k->next_try = time(NULL) + TUI_RETRY_S;
	if (tui_kind_resolve(f, k, &cause) != 0) {
		/* the next try asks again (a CRD may come any time) */
		kube_discovery_invalidate(f->o.kc);
		free(k->err);
		k->err = cause;
		log_msg(LOG_LEVEL_DEBUG, "tui", "%s", cause);
		return -1;
	}
	memset(&io, 0, sizeof io);
	io.res = &k->rres;
	io.ns = f->o.ns;
	k->inf = kube_informer_new(f->o.kc, &io);
	memset(&h, 0, sizeof h);
	h.add = tui_on_add;
	h.update = tui_on_update;
	h.del = tui_on_add;
	h.synced = tui_on_synced;
	h.arg = f;
	kube_informer_add_handler(k->inf, &h);
	if (kube_informer_start(k->inf, &cause) != 0) {
		kube_informer_free(k->inf);
		k->inf = NULL;
		free(k->err);
		k->err = cause;
		return -1;
	}
	free(k->err);
	k->err = NULL;
	log_msg(LOG_LEVEL_INFO, "tui", "watching %s", k->rres.resource);
	return 0;
}

/* Update k's stale flag from its informer counters: new errors make it
 * stale, progress without errors makes it live. */
static void
tui_kind_health(struct tui_kind *k)
{
	struct kube_informer_stats	 s;
	char				*e;

	if (k->inf == NULL)
		return;
	kube_informer_stats(k->inf, &s);
	if (s.errors > k->last.errors) {
		if (!k->stale)
			k->stale_since = time(NULL);
		k->stale = 1;
		if ((e = kube_informer_last_error(k->inf)) != NULL) {
			free(k->err);
			k->err = e;
		}
	} else if (s.lists > k->last.lists || s.events > k->last.events ||
	    s.bookmarks > k->last.bookmarks || s.watches > k->last.watches)
		k->stale = 0;
	k->last = s;
}

/* Add the rows of k's cache to snapshot s (routes get their chain). */
static void
tui_kind_rows(struct tui_feed *f, struct tui_kind *k, struct ui_snapshot *s)
{
	struct kube_obj	**objs;
	struct ui_item	 *it;
	const cJSON	 *obj;
	size_t		  n, i;

	objs = kube_cache_snapshot(kube_informer_cache(k->inf), &n);
	for (i = 0; i < n; i++) {
		obj = kube_obj_json(objs[i]);
		if (k->list == UI_LIST_ROUTES)
			it = ui_route_item(&s->lists[k->list], obj);
		else
			it = ui_gateway_item(&s->lists[k->list], obj);
		free(it->kind);
		it->kind = xstrdup(k->base->kind);
		if (k->list == UI_LIST_ROUTES)
			tui_lattice_route(f, s, it, obj);
	}
	kube_objs_free(objs, n);
}

/* How many routes the informers hold (feed thread). */
size_t
tui_feed_nroutes(struct tui_feed *f)
{
	size_t	n = 0;
	int	i;

	for (i = 0; i < TUI_K_COUNT; i++) {
		if (f->kinds[i].list == UI_LIST_ROUTES &&
		    f->kinds[i].inf != NULL)
			n += kube_cache_len(kube_informer_cache(
			    f->kinds[i].inf));
	}
	return n;
}

/* The connection state of s from the kinds that make rows. */
static void
tui_feed_conn(struct tui_feed *f, struct ui_snapshot *s)
{
	struct tui_kind	*k;
	int		 synced = 0, stale = 0, i;

	for (i = 0; i < TUI_K_COUNT; i++) {
		k = &f->kinds[i];
		if (k->optional)
			continue;
		if (k->err != NULL && s->conn_error == NULL)
			s->conn_error = xstrdup(k->err);
		if (k->inf == NULL || !kube_informer_synced(k->inf))
			continue;
		synced++;
		if (k->stale) {
			stale++;
			if (s->stale_since == 0 || k->stale_since < s->stale_since)
				s->stale_since = k->stale_since;
		}
	}
	s->conn = synced == 0 ? UI_CONN_CONNECTING : stale > 0 ?
	    UI_CONN_STALE : UI_CONN_LIVE;
	if (s->conn == UI_CONN_LIVE) {
		free(s->conn_error);
		s->conn_error = NULL;
		if (tui_lattice_error(f) != NULL)
			s->conn_error = xstrdup(tui_lattice_error(f));
	}
}

/* Is the feed read-only now (forced or another owner)? */
int
tui_feed_readonly(struct tui_feed *f)
{
	int	ro;

	if (f == NULL)
		return 0;
	pthread_mutex_lock(&f->lock);
	ro = f->o.readonly || f->owner_ro;
	pthread_mutex_unlock(&f->lock);
	return ro;
}

/* The read-only marker of s. */
static void
tui_feed_readonly_fill(struct tui_feed *f, struct ui_snapshot *s)
{
	pthread_mutex_lock(&f->lock);
	if (f->o.readonly) {
		s->readonly = 1;
		s->readonly_why = xstrdup("--readonly");
	} else if (f->owner_ro) {
		s->readonly = 1;
		s->readonly_why = xstrdup(f->owner_why);
	}
	pthread_mutex_unlock(&f->lock);
}

/* Build and publish a snapshot of every kind's cache. */
static void
tui_feed_publish(struct tui_feed *f)
{
	struct ui_snapshot	*s = ui_snapshot_new();
	struct tui_kind		*k;
	int			 i;

	s->context = xstrdup(f->o.context);
	s->server = xstrdup(f->o.server);
	tui_feed_readonly_fill(f, s);
	ui_list_set_columns(&s->lists[UI_LIST_ROUTES], ui_route_columns);
	ui_list_set_columns(&s->lists[UI_LIST_GATEWAYS], ui_gateway_columns);
	tui_lattice_columns(s);
	tui_feed_conn(f, s);
	for (i = 0; i < TUI_K_COUNT; i++) {
		k = &f->kinds[i];
		if (k->list == UI_LIST_COUNT || k->inf == NULL ||
		    !kube_informer_synced(k->inf))
			continue;
		tui_kind_rows(f, k, s);
	}
	if (f->o.lab != NULL)
		tui_lab_fill(f->o.lab, s);
	if (f->o.act != NULL)
		tui_act_fill(f->o.act, s);
	ui_model_publish(f->model, s);
}

/* Observing a lab (tui --lab): re-check its steps now and then (on the
 * action worker: install_plan makes AWS and Kubernetes calls). */
static void
tui_feed_recheck(struct tui_feed *f)
{
	uint64_t	now = time_mono_ms();

	if (f->o.lab == NULL || f->o.act == NULL || tui_lab_driving(f->o.lab))
		return;
	if (f->recheck_next != 0 && now < f->recheck_next)
		return;
	if (f->recheck_next != 0)
		tui_act_queue(f->o.act, "install.recheck", NULL);
	f->recheck_next = now + TUI_RECHECK_S * 1000;
}

/* FNV-1a of n bytes at p, continuing from h. */
uint64_t
tui_digest(uint64_t h, const void *p, size_t n)
{
	const unsigned char	*b = p;
	size_t			 i;

	for (i = 0; i < n; i++) {
		h ^= b[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

/* FNV-1a of a string (NULL hashes apart from ""), continuing from h. */
uint64_t
tui_digest_str(uint64_t h, const char *s)
{
	if (s == NULL)
		return tui_digest(h, "\001", 1);
	return tui_digest(h, s, strlen(s) + 1);
}

/* A digest of the inputs that change without poking the feed: the kinds'
 * health, the owner check and the Lattice results' generation. (Informer
 * changes, the installer and the actions poke.) */
static uint64_t
tui_feed_digest(struct tui_feed *f)
{
	uint64_t	 h = TUI_DIGEST_SEED;
	struct tui_kind	*k;
	int		 i, v[4];

	for (i = 0; i < TUI_K_COUNT; i++) {
		k = &f->kinds[i];
		v[0] = k->inf != NULL;
		v[1] = k->inf != NULL && kube_informer_synced(k->inf);
		v[2] = k->stale;
		v[3] = (int)k->stale_since;
		h = tui_digest(h, v, sizeof v);
		h = tui_digest_str(h, k->err);
	}
	pthread_mutex_lock(&f->lock);
	v[0] = f->owner_ro;
	h = tui_digest(h, v, sizeof v[0]);
	h = tui_digest_str(h, f->owner_why);
	pthread_mutex_unlock(&f->lock);
	return tui_digest(h, &f->lattice_gen, sizeof f->lattice_gen);
}

/* One round: start kinds, watch health, owner and Lattice; publish when
 * something changed (poked, or the inputs' digest differs), so an idle
 * dashboard costs no snapshot builds and no redraws. */
static void
tui_feed_round(struct tui_feed *f, int dirty)
{
	uint64_t	d;
	int		i;

	for (i = 0; i < TUI_K_COUNT; i++) {
		tui_kind_start(f, &f->kinds[i]);
		tui_kind_health(&f->kinds[i]);
	}
	if (f->o.detect_owner)
		tui_owner_check(f);
	tui_feed_recheck(f);
	tui_lattice_refresh(f, dirty);
	d = tui_feed_digest(f);
	if (!dirty && f->published && d == f->pub_digest) {
		f->skipped++;
		return;
	}
	f->pub_digest = d;
	f->published++;
	tui_feed_publish(f);
}

/* The feed thread: a round on every change and every poll (cheap, and it
 * refreshes the stale markers). */
static void *
tui_feed_main(void *arg)
{
	struct tui_feed	*f = arg;
	struct timespec	 ts;
	int		 dirty = 1;

	pthread_setname_np(pthread_self(), "tui-feed");
	pthread_mutex_lock(&f->lock);
	while (!f->stop) {
		f->dirty = 0;
		pthread_mutex_unlock(&f->lock);
		tui_feed_round(f, dirty);
		pthread_mutex_lock(&f->lock);
		if (f->stop || f->dirty) {
			dirty = 1;
			continue;
		}
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += TUI_POLL_MS * 1000000L;
		ts.tv_sec += ts.tv_nsec / 1000000000L;
		ts.tv_nsec %= 1000000000L;
		pthread_cond_timedwait(&f->cond, &f->lock, &ts);
		dirty = f->dirty;
	}
	pthread_mutex_unlock(&f->lock);
	return NULL;
}

/* strdup that keeps NULL. */
static char *
tui_dup(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

/* Copy the options' strings into f. */
static void
tui_feed_copy(struct tui_feed *f, const struct tui_feed_opts *o)
{
	f->o = *o;
	f->o.context = f->s_context = tui_dup(o->context != NULL ?
	    o->context : "");
	f->o.server = f->s_server = tui_dup(o->server != NULL ?
	    o->server : "");
	f->o.ns = f->s_ns = tui_dup(o->ns);
	f->o.owner_ns = f->s_owner_ns = tui_dup(o->owner_ns != NULL ?
	    o->owner_ns : LAB_DEFAULT_NAMESPACE);
	f->o.gatewayclass = f->s_gatewayclass = tui_dup(o->gatewayclass !=
	    NULL ? o->gatewayclass : LAB_DEFAULT_GATEWAYCLASS);
	f->o.cluster_name = f->s_cluster = tui_dup(o->cluster_name);
	f->o.vpc_id = f->s_vpc = tui_dup(o->vpc_id);
	f->o.account_id = f->s_account = tui_dup(o->account_id);
}

/* Make the feed and start its thread. */
struct tui_feed *
tui_feed_start(const struct tui_feed_opts *o, struct ui_model *m)
{
	static const struct kube_resource *const bases[TUI_K_COUNT] = {
		&KUBE_RES_HTTPROUTES, &KUBE_RES_GRPCROUTES, &KUBE_RES_GATEWAYS,
		&KUBE_RES_EVENTS
	};
	struct tui_feed	*f = xcalloc(1, sizeof *f);
	int		 i;

	tui_feed_copy(f, o);
	f->model = m;
	for (i = 0; i < TUI_K_COUNT; i++) {
		f->kinds[i].base = bases[i];
		f->kinds[i].list = i < 2 ? UI_LIST_ROUTES : i == 2 ?
		    UI_LIST_GATEWAYS : UI_LIST_COUNT;
	}
	f->kinds[TUI_K_EVENTS].alt = &KUBE_RES_CORE_EVENTS;
	f->kinds[TUI_K_EVENTS].optional = 1;
	pthread_mutex_init(&f->lock, NULL);
	pthread_cond_init(&f->cond, NULL);
	f->started = pthread_create(&f->thread, NULL, tui_feed_main, f) == 0;
	return f;
}

/* Stop the thread and free the feed. */
void
tui_feed_stop(struct tui_feed *f)
{
	int	i;

	if (f == NULL)
		return;
	pthread_mutex_lock(&f->lock);
	f->stop = 1;
	pthread_cond_signal(&f->cond);
	pthread_mutex_unlock(&f->lock);
	if (f->started)
		pthread_join(f->thread, NULL);
	log_msg(LOG_LEVEL_INFO, "tui", "feed: %lu snapshots published, %lu "
	    "rounds with nothing new", f->published, f->skipped);
	for (i = 0; i < TUI_K_COUNT; i++) {
		if (f->kinds[i].inf != NULL)
			kube_informer_free(f->kinds[i].inf);
		free(f->kinds[i].err);
	}
	tui_lattice_free(f);
	free(f->owner_why);
	free(f->s_context);
	free(f->s_server);
	free(f->s_ns);
	free(f->s_owner_ns);
	free(f->s_gatewayclass);
	free(f->s_cluster);
	free(f->s_vpc);
	free(f->s_account);
	pthread_mutex_destroy(&f->lock);
	pthread_cond_destroy(&f->cond);
	free(f);
}

/* Does an Event (events.k8s.io or core) regard kind ns/name? */
static int
tui_event_about(const cJSON *ev, const char *kind, const char *ns,
    const char *name)
{
	const cJSON	*r = cJSON_GetObjectItemCaseSensitive(ev, "regarding");
	const cJSON	*v;

	if (r == NULL)
		r = cJSON_GetObjectItemCaseSensitive(ev, "involvedObject");
	if (r == NULL)
		return 0;
	v = cJSON_GetObjectItemCaseSensitive(r, "kind");
	if (!cJSON_IsString(v) || strcmp(v->valuestring, kind) != 0)
		return 0;
	v = cJSON_GetObjectItemCaseSensitive(r, "name");
	if (!cJSON_IsString(v) || strcmp(v->valuestring, name) != 0)
		return 0;
	v = cJSON_GetObjectItemCaseSensitive(r, "namespace");
	return !cJSON_IsString(v) || strcmp(v->valuestring, ns) == 0;
}

/* The route's events from the Events informer. */
cJSON *
tui_feed_events(struct tui_feed *f, const char *kind, const char *ns,
    const char *name)
{
	struct tui_kind	 *k = &f->kinds[TUI_K_EVENTS];
	struct kube_obj	**objs;
	cJSON		 *arr = NULL;
	size_t		  n, i;

	if (k->inf == NULL || !kube_informer_synced(k->inf))
		return NULL;
	objs = kube_cache_snapshot(kube_informer_cache(k->inf), &n);
	for (i = 0; i < n; i++) {
		if (!tui_event_about(kube_obj_json(objs[i]), kind, ns, name))
			continue;
		if (arr == NULL)
			arr = cJSON_CreateArray();
		cJSON_AddItemToArray(arr, cJSON_Duplicate(
		    kube_obj_json(objs[i]), 1));
	}
	kube_objs_free(objs, n);
	return arr;
}
