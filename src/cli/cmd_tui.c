/* latticectl tui: the terminal UI against the current kubeconfig context.
 * A producer thread runs Gateway API informers and turns their caches
 * into UI snapshots; the UI thread only reads those. */
#include <getopt.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "latticectl/kcache.h"
#include "latticectl/kinformer.h"
#include "latticectl/kube.h"
#include "latticectl/log.h"
#include "latticectl/ui.h"
#include "latticectl/xmalloc.h"

#include "cli.h"

#define TUI_KINDS	3
#define TUI_RETRY_S	2	/* discovery retry while a kind is missing */
#define TUI_POLL_MS	500

/* One watched kind: resolved lazily, its informer and health. */
struct tui_kind {
	const struct kube_resource	*base;
	enum ui_list_id			 list;
	struct kube_resource		 rres;
	struct kube_informer		*inf;
	struct kube_informer_stats	 last;
	int				 stale;
	time_t				 stale_since;
	time_t				 next_try;
	char				*err;
};

/* The producer: shared by its thread and cmd_tui (stop, dirty). */
struct tui_feed {
	struct ui_model		*model;
	struct kube_client	*kc;
	char			*context;
	char			*server;
	char			*ns;		/* NULL: all namespaces */
	int			 readonly;
	struct tui_kind		 kinds[TUI_KINDS];
	pthread_t		 thread;
	pthread_mutex_t		 lock;
	pthread_cond_t		 cond;
	int			 stop;
	int			 dirty;
};

/* Informer handler: mark the feed dirty and wake its thread. */
static void
tui_feed_poke(struct tui_feed *f)
{
	pthread_mutex_lock(&f->lock);
	f->dirty = 1;
	pthread_cond_signal(&f->cond);
	pthread_mutex_unlock(&f->lock);
}

/* kube_handler callbacks: any change pokes the feed. */
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
	if (kube_resource_resolve(f->kc, k->base, &k->rres, &cause) != 0) {
		free(k->err);
		k->err = cause;
		log_msg(LOG_LEVEL_WARN, "tui", "%s", cause);
		return -1;
	}
	memset(&io, 0, sizeof io);
	io.res = &k->rres;
	io.ns = f->ns;
	k->inf = kube_informer_new(f->kc, &io);
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
	log_msg(LOG_LEVEL_INFO, "tui", "watching %s", k->base->resource);
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

/* Add the rows of k's cache to snapshot s. */
static void
tui_kind_rows(struct tui_kind *k, struct ui_snapshot *s)
{
	struct kube_obj	**objs;
	struct ui_item	 *it;
	size_t		  n, i;

	objs = kube_cache_snapshot(kube_informer_cache(k->inf), &n);
	for (i = 0; i < n; i++) {
		if (k->list == UI_LIST_ROUTES)
			it = ui_route_item(&s->lists[k->list],
			    kube_obj_json(objs[i]));
		else
			it = ui_gateway_item(&s->lists[k->list],
			    kube_obj_json(objs[i]));
		free(it->kind);
		it->kind = xstrdup(k->base->kind);
	}
	kube_objs_free(objs, n);
}

/* Build and publish a snapshot of every kind's cache. */
static void
tui_feed_publish(struct tui_feed *f)
{
	struct ui_snapshot	*s = ui_snapshot_new();
	struct tui_kind		*k;
	int			 synced = 0, stale = 0, i;

	s->context = xstrdup(f->context);
	s->server = xstrdup(f->server);
	s->readonly = f->readonly;
	ui_list_set_columns(&s->lists[UI_LIST_ROUTES], ui_route_columns);
	ui_list_set_columns(&s->lists[UI_LIST_GATEWAYS], ui_gateway_columns);
	for (i = 0; i < TUI_KINDS; i++) {
		k = &f->kinds[i];
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
		tui_kind_rows(k, s);
	}
	s->conn = synced == 0 ? UI_CONN_CONNECTING : stale > 0 ?
	    UI_CONN_STALE : UI_CONN_LIVE;
	if (s->conn == UI_CONN_LIVE) {
		free(s->conn_error);
		s->conn_error = NULL;
	}
	ui_model_publish(f->model, s);
}

/* The producer thread: start kinds, watch health, publish on change and
 * on every poll (cheap, and it refreshes the stale markers). */
static void *
tui_feed_main(void *arg)
{
	struct tui_feed	*f = arg;
	struct timespec	 ts;
	int		 i;

	pthread_mutex_lock(&f->lock);
	while (!f->stop) {
		f->dirty = 0;
		pthread_mutex_unlock(&f->lock);
		for (i = 0; i < TUI_KINDS; i++) {
			tui_kind_start(f, &f->kinds[i]);
			tui_kind_health(&f->kinds[i]);
		}
		tui_feed_publish(f);
		pthread_mutex_lock(&f->lock);
		if (f->stop || f->dirty)
			continue;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += TUI_POLL_MS * 1000000L;
		ts.tv_sec += ts.tv_nsec / 1000000000L;
		ts.tv_nsec %= 1000000000L;
		pthread_cond_timedwait(&f->cond, &f->lock, &ts);
	}
	pthread_mutex_unlock(&f->lock);
	return NULL;
}

/* Log sink: every log line also goes to the events view. */
static void
tui_log_sink(void *arg, enum log_level lvl, const char *module,
    const char *line)
{
	struct ui_model	*m = arg;

	(void)lvl;
	(void)module;
	ui_ring_push(&m->log, line);
	ui_model_wake(m);
}

/* Print usage for tui. */
static void
tui_usage(FILE *f)
{
	fprintf(f, "usage: latticectl tui [--readonly] [--view NAME] "
	    "[--ascii] [--log-file FILE] [--exit-after FRAMES]\n"
	    "  views: routes, gateways, events, help, ctx; global --theme, "
	    "--no-color, -n NS\n");
}

/* Parse tui's options into o; 0 ok, 1 help, -1 usage error. */
static int
tui_parse(int argc, char **argv, struct ui_opts *o, const char **logfile)
{
	static const struct option opts[] = {
		{ "readonly", no_argument, NULL, 'r' },
		{ "view", required_argument, NULL, 'v' },
		{ "ascii", no_argument, NULL, 'a' },
		{ "log-file", required_argument, NULL, 'l' },
		{ "exit-after", required_argument, NULL, 'x' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	char	*end;
	int	 c;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'r': o->readonly = 1; break;
		case 'v': o->start_view = optarg; break;
		case 'a': o->ascii = 1; break;
		case 'l': *logfile = optarg; break;
		case 'x':
			o->exit_after = strtol(optarg, &end, 10);
			if (*end != '\0' || o->exit_after < 1)
				return -1;
			break;
		case 'h': tui_usage(stdout); return 1;
		default: return -1;
		}
	}
	return optind == argc ? 0 : -1;
}

/* Connect (local work only: kubeconfig and client, no requests). */
static int
tui_feed_init(struct tui_feed *f, struct cli_global *g, struct ui_model *m)
{
	static const struct kube_resource *const bases[TUI_KINDS] = {
		&KUBE_RES_HTTPROUTES, &KUBE_RES_GRPCROUTES, &KUBE_RES_GATEWAYS
	};
	struct kube_config_opts	 ko;
	struct kube_conn	*conn = NULL;
	char			*cause = NULL;
	int			 i;

	memset(f, 0, sizeof *f);
	memset(&ko, 0, sizeof ko);
	ko.kubeconfig = g->kubeconfig;
	ko.context = g->context;
	ko.ns = g->ns;
	if (kube_conn_load(&ko, &conn, &cause) != 0 ||
	    (f->kc = kube_client_new(conn, &cause)) == NULL) {
		fprintf(stderr, "latticectl tui: %s\n", cause);
		free(cause);
		return -1;
	}
	f->model = m;
	f->context = xstrdup(kube_conn_context(conn));
	f->server = xstrdup(kube_conn_server(conn));
	f->ns = g->ns != NULL ? xstrdup(g->ns) : NULL;
	for (i = 0; i < TUI_KINDS; i++) {
		f->kinds[i].base = bases[i];
		f->kinds[i].list = i < 2 ? UI_LIST_ROUTES : UI_LIST_GATEWAYS;
	}
	pthread_mutex_init(&f->lock, NULL);
	pthread_cond_init(&f->cond, NULL);
	return 0;
}

/* Stop the producer and free it. */
static void
tui_feed_free(struct tui_feed *f)
{
	int	i;

	for (i = 0; i < TUI_KINDS; i++) {
		if (f->kinds[i].inf != NULL)
			kube_informer_free(f->kinds[i].inf);
		free(f->kinds[i].err);
	}
	kube_client_free(f->kc);
	free(f->context);
	free(f->server);
	free(f->ns);
	pthread_mutex_destroy(&f->lock);
	pthread_cond_destroy(&f->cond);
}

/* Open the log file (default /dev/null: stderr is the screen). */
static FILE *
tui_log_open(struct cli_global *g, const char *path, struct ui_model *m)
{
	enum log_level	 lvl = LOG_LEVEL_INFO;
	enum log_format	 fmt = LOG_FORMAT_TEXT;
	FILE		*fp;

	if (g->log_level != NULL)
		log_level_parse(g->log_level, &lvl);
	if (g->log_format != NULL)
		log_format_parse(g->log_format, &fmt);
	if ((fp = fopen(path != NULL ? path : "/dev/null", "a")) == NULL)
		return NULL;
	log_close();
	log_open(lvl, fmt, fp);
	log_set_sink(tui_log_sink, m);
	return fp;
}

/* latticectl tui: start the producer, run the UI, stop both. */
int
cmd_tui(struct cli_global *g, int argc, char **argv)
{
	struct ui_model	 m;
	struct ui_opts	 o;
	struct tui_feed	 f;
	const char	*logfile = NULL;
	FILE		*logfp;
	int		 rc;

	memset(&o, 0, sizeof o);
	if ((rc = tui_parse(argc, argv, &o, &logfile)) != 0) {
		if (rc < 0)
			tui_usage(stderr);
		return rc < 0 ? 2 : 0;
	}
	o.theme = g->theme;
	o.no_color = g->no_color;
	ui_model_init(&m, 2000);
	if (tui_feed_init(&f, g, &m) != 0) {
		ui_model_destroy(&m);
		return 1;
	}
	if ((logfp = tui_log_open(g, logfile, &m)) == NULL) {
		fprintf(stderr, "latticectl tui: cannot open %s\n", logfile);
		tui_feed_free(&f);
		ui_model_destroy(&m);
		return 1;
	}
	f.readonly = o.readonly;
	log_msg(LOG_LEVEL_INFO, "tui", "context %s, server %s", f.context,
	    f.server);
	pthread_create(&f.thread, NULL, tui_feed_main, &f);
	rc = ui_run(&m, &o);
	pthread_mutex_lock(&f.lock);
	f.stop = 1;
	pthread_cond_signal(&f.cond);
	pthread_mutex_unlock(&f.lock);
	pthread_join(f.thread, NULL);
	log_close();
	fclose(logfp);
	tui_feed_free(&f);
	ui_model_destroy(&m);
	if (rc != 0)
		fprintf(stderr, "latticectl tui: needs a terminal\n");
	return rc;
}
