/* kube_informer: list + watch into a kube_cache on its own thread. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define LOG_MODULE "informer"
#include "latticectl/backoff.h"
#include "latticectl/error.h"
#include "latticectl/http.h"
#include "latticectl/json.h"
#include "latticectl/kinformer.h"
#include "latticectl/kwatch.h"
#include "latticectl/log.h"
#include "latticectl/rand.h"
#include "latticectl/strbuf.h"
#include "latticectl/timeutil.h"
#include "latticectl/xmalloc.h"

#define KUBE_INF_TIMEOUT_MIN	300
#define KUBE_INF_TIMEOUT_MAX	600
#define KUBE_INF_BACKOFF_BASE	800
#define KUBE_INF_BACKOFF_CAP	30000
#define KUBE_INF_SHORT_WATCH_MS	1000	/* an empty watch shorter is an error */
#define KUBE_INF_WATCHDOG_S	30	/* past timeoutSeconds, give up */

/* How a watch ended. */
enum kube_inf_end {
	KUBE_INF_EOF,		/* clean end: resume */
	KUBE_INF_EXPIRED,	/* 410: relist */
	KUBE_INF_ERROR,		/* back off, resume */
	KUBE_INF_STOPPED
};

struct kube_informer {
	struct kube_client	*client;
	struct kube_resource	 res;
	char			*res_str[5];	/* copies behind res */
	char			*ns;
	char			*lsel;
	char			*fsel;
	long			 page;
	unsigned		 tmin;
	unsigned		 tmax;
	struct backoff		 bo;
	struct kube_cache	*cache;
	struct kube_handler	*h;
	size_t			 nh;

	pthread_t		 thread;
	int			 running;
	atomic_int		 stopping;
	pthread_mutex_t		 mu;	/* guards what follows */
	pthread_cond_t		 cv;
	int			 synced;
	struct kube_informer_stats st;
	char			*rv;
	char			*last_error;

	/* the current watch (informer thread only) */
	struct kube_watch_decoder *dec;
	int			 w_expired;
	char			*w_error;
	uint64_t		 w_events;
	uint64_t		 w_deadline_ms;
};

/* Copy a descriptor's strings so the informer owns them. */
static void
kube_informer_copy_res(struct kube_informer *inf, const struct kube_resource *r)
{
	inf->res = *r;
	inf->res.group = inf->res_str[0] = xstrdup(r->group);
	inf->res.version = inf->res_str[1] = xstrdup(r->version);
	inf->res.resource = inf->res_str[2] = xstrdup(r->resource);
	inf->res.kind = inf->res_str[3] = xstrdup(r->kind);
	inf->res.short_names = inf->res_str[4] = xstrdup_or_null(r->short_names);
}

static int	kube_informer_event(void *, enum kube_watch_type, cJSON *);

/* A new informer for one resource (not started). */
struct kube_informer *
kube_informer_new(struct kube_client *client,
    const struct kube_informer_opts *o)
{
	struct kube_informer	*inf;
	pthread_condattr_t	 ca;

	inf = xcalloc(1, sizeof *inf);
	inf->client = client;
	kube_informer_copy_res(inf, o->res);
	inf->ns = xstrdup_or_null(o->ns);
	inf->lsel = xstrdup_or_null(o->label_selector);
	inf->fsel = xstrdup_or_null(o->field_selector);
	inf->page = o->page_size;
	inf->tmin = o->timeout_min_s != 0 ? o->timeout_min_s :
	    KUBE_INF_TIMEOUT_MIN;
	inf->tmax = o->timeout_max_s != 0 ? o->timeout_max_s :
	    KUBE_INF_TIMEOUT_MAX;
	if (inf->tmax <= inf->tmin)
		inf->tmax = inf->tmin + 1;
	backoff_init(&inf->bo, o->backoff_base_ms != 0 ? o->backoff_base_ms :
	    KUBE_INF_BACKOFF_BASE, o->backoff_cap_ms != 0 ? o->backoff_cap_ms :
	    KUBE_INF_BACKOFF_CAP);
	inf->cache = kube_cache_new(o->no_prune ? 0 : KUBE_CACHE_PRUNE);
	inf->dec = kube_watch_decoder_new(0, kube_informer_event, inf);
	atomic_init(&inf->stopping, 0);
	pthread_mutex_init(&inf->mu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&inf->cv, &ca);
	pthread_condattr_destroy(&ca);
	return inf;
}

/* Stop and free an informer; NULL is a no-op. */
void
kube_informer_free(struct kube_informer *inf)
{
	size_t	i;

	if (inf == NULL)
		return;
	kube_informer_stop(inf);
	for (i = 0; i < 5; i++)
		free(inf->res_str[i]);
	free(inf->ns);
	free(inf->lsel);
	free(inf->fsel);
	free(inf->h);
	free(inf->rv);
	free(inf->last_error);
	free(inf->w_error);
	kube_watch_decoder_free(inf->dec);
	kube_cache_free(inf->cache);
	pthread_mutex_destroy(&inf->mu);
	pthread_cond_destroy(&inf->cv);
	free(inf);
}

/* Register a handler (before start). */
void
kube_informer_add_handler(struct kube_informer *inf,
    const struct kube_handler *h)
{
	inf->h = xreallocarray(inf->h, inf->nh + 1, sizeof *inf->h);
	inf->h[inf->nh++] = *h;
}

/* The informer's cache (borrowed). */
struct kube_cache *
kube_informer_cache(struct kube_informer *inf)
{
	return inf->cache;
}

/* Call the handlers for each change, in order, then release them. */
static void
kube_informer_dispatch(struct kube_informer *inf, struct kube_changes *ch)
{
	const struct kube_change	*c;
	const struct kube_handler	*h;
	size_t				 i, j;

	for (i = 0; i < ch->n; i++) {
		c = &ch->v[i];
		for (j = 0; j < inf->nh; j++) {
			h = &inf->h[j];
			if (c->type == KUBE_CHANGE_ADD && h->add != NULL)
				h->add(h->arg, kube_obj_json(c->new));
			else if (c->type == KUBE_CHANGE_UPDATE &&
			    h->update != NULL)
				h->update(h->arg, kube_obj_json(c->old),
				    kube_obj_json(c->new));
			else if (c->type == KUBE_CHANGE_DELETE && h->del != NULL)
				h->del(h->arg, kube_obj_json(c->old));
		}
	}
	kube_changes_free(ch);
}

/* Remember a resourceVersion to resume from (empty ones are ignored). */
static void
kube_informer_set_rv(struct kube_informer *inf, const char *rv)
{
	if (rv == NULL || *rv == '\0')
		return;
	pthread_mutex_lock(&inf->mu);
	free(inf->rv);
	inf->rv = xstrdup(rv);
	pthread_mutex_unlock(&inf->mu);
}

/* Record the last error and count it. */
static void
kube_informer_error(struct kube_informer *inf, const char *what,
    const char *msg)
{
	log_debug("%s %s: %s", what, inf->res.resource, msg);
	pthread_mutex_lock(&inf->mu);
	free(inf->last_error);
	xasprintf(&inf->last_error, "%s %s: %s", what, inf->res.resource, msg);
	inf->st.errors++;
	pthread_mutex_unlock(&inf->mu);
}

/* Apply one object event to the cache and tell the handlers. */
static void
kube_informer_apply(struct kube_informer *inf, enum kube_watch_type t,
    cJSON *obj)
{
	struct kube_changes	ch = { NULL, 0, 0 };

	kube_informer_set_rv(inf, json_path_str(obj,
	    "metadata.resourceVersion"));
	if (t == KUBE_WATCH_DELETED) {
		kube_cache_remove(inf->cache, obj, &ch);
		cJSON_Delete(obj);
	} else
		kube_cache_upsert(inf->cache, obj, &ch);
	kube_informer_dispatch(inf, &ch);
	pthread_mutex_lock(&inf->mu);
	inf->st.events++;
	pthread_mutex_unlock(&inf->mu);
	inf->w_events++;
}

/* Decoder callback: one watch event. */
static int
kube_informer_event(void *arg, enum kube_watch_type t, cJSON *obj)
{
	struct kube_informer	*inf = arg;
	int			 code;

	switch (t) {
	case KUBE_WATCH_BOOKMARK:
		kube_informer_set_rv(inf, json_path_str(obj,
		    "metadata.resourceVersion"));
		cJSON_Delete(obj);
		pthread_mutex_lock(&inf->mu);
		inf->st.bookmarks++;
		pthread_mutex_unlock(&inf->mu);
		return 0;
	case KUBE_WATCH_ERROR:
		code = kube_watch_status_code(obj);
		if (code == 410)
			inf->w_expired = 1;
		else {
			free(inf->w_error);
			xasprintf(&inf->w_error, "watch error %d: %s", code,
			    json_str(obj, "message") != NULL ?
			    json_str(obj, "message") : "(no message)");
		}
		cJSON_Delete(obj);
		return -1;
	default:
		kube_informer_apply(inf, t, obj);
		return 0;
	}
}

/* Stream callback: feed the decoder. */
static int
kube_informer_data(void *arg, const char *data, size_t len)
{
	struct kube_informer	*inf = arg;
	char			*cause = NULL;

	if (kube_watch_feed(inf->dec, data, len, &cause) == 0)
		return 0;
	if (!inf->w_expired && inf->w_error == NULL)
		inf->w_error = cause;
	else
		free(cause);
	return -1;
}

/* Stream cancel poll: stopping, or the watchdog deadline passed. */
static int
kube_informer_cancel(void *arg)
{
	struct kube_informer	*inf = arg;

	return atomic_load(&inf->stopping) ||
	    time_mono_ms() > inf->w_deadline_ms;
}

/* Sleep up to ms unless stopped; returns nonzero when stopping. */
static int
kube_informer_sleep(struct kube_informer *inf, uint64_t ms)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_sec += (time_t)(ms / 1000);
	ts.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&inf->mu);
	while (!atomic_load(&inf->stopping) &&
	    pthread_cond_timedwait(&inf->cv, &inf->mu, &ts) == 0)
		;
	pthread_mutex_unlock(&inf->mu);
	return atomic_load(&inf->stopping);
}

/* Back off after a failure; nonzero when stopping. */
static int
kube_informer_backoff(struct kube_informer *inf)
{
	return kube_informer_sleep(inf, backoff_next(&inf->bo));
}

/* List every page and make the cache match; 0 ok. */
static int
kube_informer_list(struct kube_informer *inf)
{
	struct kube_list_opts	 lo;
	struct kube_error	 e;
	struct kube_changes	 ch = { NULL, 0, 0 };
	cJSON			*items = NULL;
	char			*rv = NULL, *msg;
	int			 relist, i;

	memset(&lo, 0, sizeof lo);
	memset(&e, 0, sizeof e);
	lo.label_selector = inf->lsel;
	lo.field_selector = inf->fsel;
	lo.limit = inf->page;
	if (kube_list_all(inf->client, &inf->res, inf->ns, &lo, &items, &rv,
	    &e) != 0) {
		msg = kube_error_string(&e);
		kube_informer_error(inf, "list", msg);
		free(msg);
		kube_error_clear(&e);
		return -1;
	}
	kube_cache_replace(inf->cache, items, &ch);
	kube_informer_dispatch(inf, &ch);
	kube_informer_set_rv(inf, rv);
	free(rv);
	pthread_mutex_lock(&inf->mu);
	relist = inf->st.lists++ > 0;
	if (relist)
		inf->st.relists++;
	inf->synced = 1;
	pthread_cond_broadcast(&inf->cv);
	pthread_mutex_unlock(&inf->mu);
	for (i = 0; i < (int)inf->nh; i++) {
		if (inf->h[i].synced != NULL)
			inf->h[i].synced(inf->h[i].arg, relist);
	}
	log_debug("listed %s: %zu objects%s", inf->res.resource,
	    kube_cache_len(inf->cache), relist ? " (relist)" : "");
	return 0;
}

/* The watch query string (caller frees). */
static char *
kube_informer_query(struct kube_informer *inf, unsigned timeout_s)
{
	struct strbuf	 q = STRBUF_INIT;
	char		*rv, *enc;

	rv = kube_informer_rv(inf);
	enc = http_urlencode(rv != NULL ? rv : "", 0);
	strbuf_addf(&q, "watch=1&allowWatchBookmarks=true&resourceVersion=%s"
	    "&timeoutSeconds=%u", enc, timeout_s);
	free(enc);
	free(rv);
	if (inf->lsel != NULL) {
		enc = http_urlencode(inf->lsel, 0);
		strbuf_addf(&q, "&labelSelector=%s", enc);
		free(enc);
	}
	if (inf->fsel != NULL) {
		enc = http_urlencode(inf->fsel, 0);
		strbuf_addf(&q, "&fieldSelector=%s", enc);
		free(enc);
	}
	return strbuf_detach(&q, NULL);
}

/* Classify a finished watch. */
static enum kube_inf_end
kube_informer_watch_end(struct kube_informer *inf, int r,
    struct kube_error *e, uint64_t started)
{
	char	*msg = NULL;

	if (atomic_load(&inf->stopping))
		return KUBE_INF_STOPPED;
	if (inf->w_expired || (r != 0 && kube_error_is_gone(e))) {
		pthread_mutex_lock(&inf->mu);
		inf->st.expired++;
		pthread_mutex_unlock(&inf->mu);
		return KUBE_INF_EXPIRED;
	}
	if (r == 0 && kube_watch_finish(inf->dec, &msg) == 0) {
		if (inf->w_events > 0 ||
		    time_mono_ms() - started >= KUBE_INF_SHORT_WATCH_MS)
			return KUBE_INF_EOF;
		msg = xstrdup("very short watch: closed at once, no events");
	}
	if (msg == NULL)
		msg = inf->w_error != NULL ? xstrdup(inf->w_error) :
		    kube_error_string(e);
	kube_informer_error(inf, "watch", msg);
	free(msg);
	return KUBE_INF_ERROR;
}

/* One watch request from the current resourceVersion. */
static enum kube_inf_end
kube_informer_watch(struct kube_informer *inf, int resume)
{
	struct kube_error	 e;
	enum kube_inf_end	 end;
	unsigned		 tmo;
	uint64_t		 started = time_mono_ms();
	char			*path, *query;
	int			 r;

	memset(&e, 0, sizeof e);
	tmo = inf->tmin + (unsigned)rand_below(inf->tmax - inf->tmin);
	path = kube_path(&inf->res, inf->ns, NULL, NULL);
	query = kube_informer_query(inf, tmo);
	kube_watch_reset(inf->dec);
	inf->w_expired = 0;
	xfree_ptr(&inf->w_error);
	inf->w_events = 0;
	inf->w_deadline_ms = started + (tmo + KUBE_INF_WATCHDOG_S) * 1000ULL;
	pthread_mutex_lock(&inf->mu);
	inf->st.watches++;
	if (resume)
		inf->st.resumes++;
	pthread_mutex_unlock(&inf->mu);
	r = kube_stream(inf->client, path, query, kube_informer_data, inf,
	    kube_informer_cancel, inf, &e);
	end = kube_informer_watch_end(inf, r, &e, started);
	kube_error_clear(&e);
	free(path);
	free(query);
	return end;
}

/* The informer thread: list, then watch until stopped. */
static void *
kube_informer_main(void *arg)
{
	struct kube_informer	*inf = arg;
	enum kube_inf_end	 end;
	int			 need_list = 1, resume = 0;

	while (!atomic_load(&inf->stopping)) {
		if (need_list) {
			if (kube_informer_list(inf) != 0) {
				if (kube_informer_backoff(inf))
					break;
				continue;
			}
			backoff_reset(&inf->bo);
			need_list = resume = 0;
		}
		end = kube_informer_watch(inf, resume);
		resume = 1;
		if (end == KUBE_INF_STOPPED)
			break;
		if (end == KUBE_INF_EXPIRED)
			need_list = 1;
		else if (end == KUBE_INF_EOF)
			backoff_reset(&inf->bo);
		else if (kube_informer_backoff(inf))
			break;
	}
	return NULL;
}

/* Start the informer's thread. */
int
kube_informer_start(struct kube_informer *inf, char **cause)
{
	int	r;

	if (inf->running)
		return 0;
	atomic_store(&inf->stopping, 0);
	if ((r = pthread_create(&inf->thread, NULL, kube_informer_main,
	    inf)) != 0)
		return error_set(cause, "informer %s: thread: %s",
		    inf->res.resource, strerror(r));
	inf->running = 1;
	return 0;
}

/* Stop the thread and wait for it. */
void
kube_informer_stop(struct kube_informer *inf)
{
	if (!inf->running)
		return;
	pthread_mutex_lock(&inf->mu);
	atomic_store(&inf->stopping, 1);
	pthread_cond_broadcast(&inf->cv);
	pthread_mutex_unlock(&inf->mu);
	pthread_join(inf->thread, NULL);
	inf->running = 0;
}

/* Whether the first list was applied. */
int
kube_informer_synced(struct kube_informer *inf)
{
	int	s;

	pthread_mutex_lock(&inf->mu);
	s = inf->synced;
	pthread_mutex_unlock(&inf->mu);
	return s;
}

/* Wait for the first sync. */
int
kube_informer_wait_synced(struct kube_informer *inf, long timeout_ms)
{
	struct timespec	ts;
	int		s;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	if (timeout_ms >= 0) {
		ts.tv_sec += timeout_ms / 1000;
		ts.tv_nsec += (timeout_ms % 1000) * 1000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
	}
	pthread_mutex_lock(&inf->mu);
	while (!inf->synced && !atomic_load(&inf->stopping)) {
		if (timeout_ms < 0)
			pthread_cond_wait(&inf->cv, &inf->mu);
		else if (pthread_cond_timedwait(&inf->cv, &inf->mu, &ts) != 0)
			break;
	}
	s = inf->synced;
	pthread_mutex_unlock(&inf->mu);
	return s;
}

/* A copy of the counters. */
void
kube_informer_stats(struct kube_informer *inf, struct kube_informer_stats *st)
{
	pthread_mutex_lock(&inf->mu);
	*st = inf->st;
	pthread_mutex_unlock(&inf->mu);
}

/* The last error, or NULL. */
char *
kube_informer_last_error(struct kube_informer *inf)
{
	char	*s;

	pthread_mutex_lock(&inf->mu);
	s = xstrdup_or_null(inf->last_error);
	pthread_mutex_unlock(&inf->mu);
	return s;
}

/* The resourceVersion the next watch starts from. */
char *
kube_informer_rv(struct kube_informer *inf)
{
	char	*s;

	pthread_mutex_lock(&inf->mu);
	s = xstrdup_or_null(inf->rv);
	pthread_mutex_unlock(&inf->mu);
	return s;
}
