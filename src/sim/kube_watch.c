/* sim_kube watch: chunked JSON lines from the bounded history, with
 * resume, bookmarks, timeouts, 410 Expired and dropped-watch faults. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "latticectl/json.h"
#include "latticectl/xmalloc.h"
#include "kube_int.h"

#define KUBE_WATCH_CHUNK	(64 * 1024)
#define KUBE_WATCH_DEFAULT_S	1800

struct skube_watch {
	struct sim_kube		*k;
	struct skube_rtype	*rt;
	struct skube_sel		 lsel;
	struct skube_sel		 fsel;
	char			*ns;
	uint64_t		 rv;		/* delivered up to here */
	int			 bookmarks;
	int			 table;
	int			 sent_defs;
	int			 finished;
	uint64_t		 deadline;
	uint64_t		 next_bookmark;
	struct strbuf		 out;
	size_t			 off;
};

static const char *const skube_ev_names[] = {
	"ADDED", "MODIFIED", "DELETED", "BOOKMARK", "ERROR"
};

/* Append one event line. */
static void
skube_watch_line(struct skube_watch *w, enum skube_ev_type type, cJSON *obj)
{
	cJSON	*ev = cJSON_CreateObject();
	char	*txt;

	cJSON_AddStringToObject(ev, "type", skube_ev_names[type]);
	cJSON_AddItemToObject(ev, "object", obj);
	txt = json_print(ev);
	strbuf_adds(&w->out, txt);
	strbuf_addc(&w->out, '\n');
	free(txt);
	cJSON_Delete(ev);
}

/* Whether a (stored) object passes the watch's filters. */
static int
skube_watch_match(const struct skube_watch *w, const cJSON *obj)
{
	const char	*ns;

	if (w->ns != NULL && w->rt->namespaced) {
		ns = skube_ns(obj);
		if (ns == NULL || strcmp(ns, w->ns) != 0)
			return 0;
	}
	return skube_sel_match(&w->lsel, obj) && skube_sel_match(&w->fsel, obj);
}

/* Append an event for a stored object, in the watch's format. */
static void
skube_watch_obj(struct skube_watch *w, enum skube_ev_type type,
    const cJSON *obj)
{
	cJSON	*o;

	if (w->table) {
		o = skube_table(w->rt, &obj, 1, !w->sent_defs, NULL);
		w->sent_defs = 1;
	} else
		o = skube_out(w->rt, obj);
	skube_watch_line(w, type, o);
}

/* Append the in-stream 410 Expired error and finish. */
static void
skube_watch_expired(struct skube_watch *w, uint64_t oldest)
{
	char	msg[128];

	snprintf(msg, sizeof msg, "too old resource version: %llu (%llu)",
	    (unsigned long long)w->rv, (unsigned long long)oldest);
	skube_watch_line(w, KUBE_EV_ERROR, skube_status_new(410, "Expired",
	    msg));
	w->finished = 1;
}

/* Append a BOOKMARK at the current resourceVersion. */
static void
skube_watch_bookmark(struct skube_watch *w)
{
	cJSON	*o = cJSON_CreateObject(), *meta;
	char	*av = skube_apiversion(w->rt), rv[32];

	cJSON_AddStringToObject(o, "kind", w->rt->kind);
	cJSON_AddStringToObject(o, "apiVersion", av);
	meta = cJSON_AddObjectToObject(o, "metadata");
	snprintf(rv, sizeof rv, "%llu", (unsigned long long)w->rv);
	cJSON_AddStringToObject(meta, "resourceVersion", rv);
	skube_watch_line(w, KUBE_EV_BOOKMARK, o);
	free(av);
}

/* Move new history events into the output buffer (lock held). */
static void
skube_watch_fill(struct skube_watch *w)
{
	struct skube_store	*st = w->rt->store;
	struct skube_event	*ev;
	size_t			 i;

	if (w->rv < st->compacted_rv) {
		skube_watch_expired(w, st->compacted_rv + 1);
		return;
	}
	for (i = 0; i < st->ring_len && w->out.len < KUBE_WATCH_CHUNK; i++) {
		ev = &st->ring[(st->ring_start + i) % st->ring_cap];
		if (ev->rv <= w->rv)
			continue;
		w->rv = ev->rv;
		if (skube_watch_match(w, ev->obj))
			skube_watch_obj(w, ev->type, ev->obj);
	}
	if (w->out.len == 0 && w->rv < w->k->rv &&
	    w->out.len < KUBE_WATCH_CHUNK)
		w->rv = w->k->rv;	/* nothing newer here */
}

/* Copy pending output to buf; returns the count. */
static ssize_t
skube_watch_drain(struct skube_watch *w, char *buf, size_t max)
{
	size_t	n = w->out.len - w->off;

	if (n > max)
		n = max;
	memcpy(buf, w->out.buf + w->off, n);
	w->off += n;
	if (w->off == w->out.len) {
		strbuf_reset(&w->out);
		w->off = 0;
	}
	return (ssize_t)n;
}

/* Wait on the change condition for at most ms. */
static void
skube_watch_wait(struct sim_kube *k, uint64_t ms)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_sec += ms / 1000;
	ts.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	pthread_cond_timedwait(&k->changed, &k->lock, &ts);
}

/* One step of the stream with the lock held: fill, bookmark, finish. */
static ssize_t
skube_watch_step(struct skube_watch *w, char *buf, size_t max, int may_wait)
{
	uint64_t	now;

	if (w->out.len > w->off)
		return skube_watch_drain(w, buf, max);
	if (w->finished || w->k->stopping)
		return -1;
	skube_watch_fill(w);
	if (w->out.len > w->off)
		return skube_watch_drain(w, buf, max);
	now = skube_mono_ms();
	if (now >= w->deadline)
		return -1;
	if (w->bookmarks && now >= w->next_bookmark) {
		w->next_bookmark = now + w->k->bookmark_ms;
		skube_watch_bookmark(w);
		return skube_watch_drain(w, buf, max);
	}
	if (may_wait)
		skube_watch_wait(w->k, w->deadline - now < w->k->watch_wait_ms ?
		    w->deadline - now : w->k->watch_wait_ms);
	return 0;
}

/* httpd stream producer. */
static ssize_t
skube_watch_read(void *arg, char *buf, size_t max)
{
	struct skube_watch	*w = arg;
	ssize_t			 n;

	pthread_mutex_lock(&w->k->lock);
	n = skube_watch_step(w, buf, max, 1);
	if (n == 0)
		n = skube_watch_step(w, buf, max, 0);
	pthread_mutex_unlock(&w->k->lock);
	return n;
}

/* Release a watch when its connection ends. */
static void
skube_watch_free(void *arg)
{
	struct skube_watch	*w = arg;

	skube_sel_free(&w->lsel);
	skube_sel_free(&w->fsel);
	free(w->ns);
	strbuf_free(&w->out);
	free(w);
}

/* Queue synthetic ADDED events for the current matching objects. */
static void
skube_watch_initial(struct skube_watch *w)
{
	struct skube_store	*st = w->rt->store;
	size_t			 i;

	for (i = 0; i < st->n; i++) {
		if (skube_watch_match(w, st->v[i].obj))
			skube_watch_obj(w, KUBE_EV_ADDED, st->v[i].obj);
	}
	w->rv = w->k->rv;
}

/* Deadline from timeoutSeconds and the watch-drop fault. */
static uint64_t
skube_watch_deadline(struct sim_kube *k, const struct skube_query *q)
{
	const char	*v = skube_query_get(q, "timeoutSeconds");
	long		 secs = KUBE_WATCH_DEFAULT_S;

	if (v != NULL && strtol(v, NULL, 10) > 0)
		secs = strtol(v, NULL, 10);
	if (secs > 86400)
		secs = 86400;
	if (k->faults.watch_drop_s > 0 && k->faults.watch_drop_s < secs)
		secs = k->faults.watch_drop_s;
	return skube_mono_ms() + (uint64_t)secs * 1000;
}

/* Parse the watch's selectors and starting point; -1 with e set. */
static int
skube_watch_setup(struct sim_kube *k, struct skube_req *r,
    struct skube_watch *w, struct skube_err *e)
{
	const char	*rv = skube_query_get(&r->q, "resourceVersion");
	const char	*fs = skube_query_get(&r->q, "fieldSelector");
	char		*cause = NULL, *fields;
	int		 rc;

	if (r->name != NULL)	/* legacy /watch/.../NAME */
		xasprintf(&fields, "%s%smetadata.name=%s", fs != NULL ? fs : "",
		    fs != NULL && *fs != '\0' ? "," : "", r->name);
	else
		fields = xstrdup(fs != NULL ? fs : "");
	rc = skube_sel_parse(&w->lsel, skube_query_get(&r->q, "labelSelector"),
	    0, &cause);
	if (rc == 0)
		rc = skube_sel_parse(&w->fsel, fields, 1, &cause);
	free(fields);
	if (rc != 0) {
		skube_err_set(e, 400, "BadRequest", "unable to parse "
		    "requirement: %s", cause);
		free(cause);
		return -1;
	}
	w->k = k;
	w->rt = r->rt;
	w->ns = xstrdup_or_null(r->ns);
	w->table = r->table;
	w->bookmarks = skube_query_bool(&r->q, "allowWatchBookmarks") &&
	    !r->table;
	w->deadline = skube_watch_deadline(k, &r->q);
	w->next_bookmark = skube_mono_ms() + k->bookmark_ms;
	strbuf_init(&w->out);
	if (rv == NULL || *rv == '\0' || strcmp(rv, "0") == 0)
		skube_watch_initial(w);
	else
		w->rv = strtoull(rv, NULL, 10);
	return 0;
}

/* Answer a watch request with a stream (lock held). */
void
skube_watch_start(struct sim_kube *k, struct skube_req *r,
    struct httpd_response *resp)
{
	struct skube_watch	*w;
	struct skube_err		 e;

	memset(&e, 0, sizeof e);
	w = xcalloc(1, sizeof *w);
	if (skube_watch_setup(k, r, w, &e) != 0) {
		skube_reply_err(resp, &e);
		skube_err_free(&e);
		skube_watch_free(w);
		return;
	}
	resp->status = 200;
	http_headers_set(&resp->headers, "Content-Type", r->table ?
	    "application/json;as=Table;v=v1;g=meta.k8s.io" :
	    "application/json");
	http_headers_set(&resp->headers, "Cache-Control", "no-cache, private");
	resp->stream = skube_watch_read;
	resp->stream_arg = w;
	resp->stream_free = skube_watch_free;
}
