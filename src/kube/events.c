/* kube_recorder: Events (events.k8s.io/v1, core v1 fallback) in series. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define LOG_MODULE "events"
#include "latticectl/json.h"
#include "latticectl/kevents.h"
#include "latticectl/log.h"
#include "latticectl/rand.h"
#include "latticectl/timeutil.h"
#include "latticectl/xmalloc.h"
#include "latticectl/hmap.h"

#define KUBE_REC_SWEEP_AT	256	/* sweep stale series past this many */

/* One event series: the first event of a repeated occurrence. */
struct kube_series {
	char		*name;
	char		*ns;
	unsigned	 count;
	struct timespec	 last;
	int		 core;
};

struct kube_recorder {
	struct kube_client	*c;
	char			*controller;
	char			*instance;
	unsigned		 series_s;
	kube_now_fn		 now;
	void			*now_arg;
	pthread_mutex_t		 mu;
	struct hmap		 series;	/* key -> struct kube_series */
	struct kube_recorder_stats st;
};

/* What one event says. */
struct kube_rec_event {
	const cJSON	*regarding;
	const char	*type;
	const char	*reason;
	const char	*action;
	char		*note;		/* cut to KUBE_EVENTS_NOTE_MAX */
	const char	*ns;
	struct timespec	 now;
};

/* Free a series; NULL is a no-op. */
static void
kube_series_free(void *p)
{
	struct kube_series	*s = p;

	if (s == NULL)
		return;
	free(s->name);
	free(s->ns);
	free(s);
}

/* A new recorder. */
struct kube_recorder *
kube_recorder_new(struct kube_client *c, const struct kube_recorder_opts *o)
{
	struct kube_recorder	*r;
	char			 host[256];

	r = xcalloc(1, sizeof *r);
	r->c = c;
	r->controller = xstrdup(o != NULL && o->controller != NULL ?
	    o->controller : KUBE_EVENTS_CONTROLLER);
	if (o != NULL && o->instance != NULL)
		r->instance = xstrdup(o->instance);
	else {
		if (gethostname(host, sizeof host) != 0)
			strcpy(host, "latticectl");
		host[sizeof host - 1] = '\0';
		r->instance = xstrdup(host);
	}
	r->series_s = o != NULL && o->series_s != 0 ? o->series_s :
	    KUBE_EVENTS_SERIES_S;
	r->now = o != NULL ? o->now : NULL;
	r->now_arg = o != NULL ? o->now_arg : NULL;
	pthread_mutex_init(&r->mu, NULL);
	return r;
}

/* Free a recorder; NULL is a no-op. */
void
kube_recorder_free(struct kube_recorder *r)
{
	if (r == NULL)
		return;
	hmap_free(&r->series, kube_series_free);
	pthread_mutex_destroy(&r->mu);
	free(r->controller);
	free(r->instance);
	free(r);
}

/* A copy of the counters. */
void
kube_recorder_stats(struct kube_recorder *r, struct kube_recorder_stats *st)
{
	pthread_mutex_lock(&r->mu);
	*st = r->st;
	pthread_mutex_unlock(&r->mu);
}

/* The time now (overridable). */
static struct timespec
kube_rec_now(struct kube_recorder *r)
{
	return r->now != NULL ? r->now(r->now_arg) : time_now();
}

/* A copy of note cut to the limit on a UTF-8 boundary. */
static char *
kube_rec_note(const char *note)
{
	size_t	n = strlen(note);

	if (n <= KUBE_EVENTS_NOTE_MAX)
		return xstrdup(note);
	n = KUBE_EVENTS_NOTE_MAX;
	while (n > 0 && ((unsigned char)note[n] & 0xc0) == 0x80)
		n--;
	return xstrndup(note, n);
}

/* An ObjectReference for the regarding object. */
static cJSON *
kube_rec_ref(const cJSON *obj)
{
	cJSON	*ref = cJSON_CreateObject();

	json_add_str_opt(ref, "apiVersion", json_str(obj, "apiVersion"));
	json_add_str_opt(ref, "kind", json_str(obj, "kind"));
	json_add_str_opt(ref, "name", json_path_str(obj, "metadata.name"));
	json_add_str_opt(ref, "namespace",
	    json_path_str(obj, "metadata.namespace"));
	json_add_str_opt(ref, "uid", json_path_str(obj, "metadata.uid"));
	json_add_str_opt(ref, "resourceVersion",
	    json_path_str(obj, "metadata.resourceVersion"));
	return ref;
}

/* The common metadata of a new Event: a fresh "<object>.<hex>" name. */
static cJSON *
kube_rec_meta(cJSON *ev, const struct kube_rec_event *x)
{
	const char	*on = json_path_str(x->regarding, "metadata.name");
	cJSON		*meta;
	char		*name;

	xasprintf(&name, "%s.%016llx", on != NULL ? on : "unknown",
	    (unsigned long long)rand_u64());
	meta = cJSON_AddObjectToObject(ev, "metadata");
	cJSON_AddStringToObject(meta, "name", name);
	cJSON_AddStringToObject(meta, "namespace", x->ns);
	free(name);
	return meta;
}

/* An events.k8s.io/v1 Event. */
static cJSON *
kube_rec_body_events(struct kube_recorder *r, const struct kube_rec_event *x)
{
	cJSON	*ev = cJSON_CreateObject();
	char	 t[48];

	cJSON_AddStringToObject(ev, "apiVersion", "events.k8s.io/v1");
	cJSON_AddStringToObject(ev, "kind", "Event");
	kube_rec_meta(ev, x);
	time_format_rfc3339(&x->now, 6, t, sizeof t);
	cJSON_AddStringToObject(ev, "eventTime", t);
	cJSON_AddStringToObject(ev, "reportingController", r->controller);
	cJSON_AddStringToObject(ev, "reportingInstance", r->instance);
	cJSON_AddStringToObject(ev, "action", x->action);
	cJSON_AddStringToObject(ev, "reason", x->reason);
	cJSON_AddStringToObject(ev, "note", x->note);
	cJSON_AddStringToObject(ev, "type", x->type);
	cJSON_AddItemToObject(ev, "regarding", kube_rec_ref(x->regarding));
	return ev;
}

/* A core v1 Event. */
static cJSON *
kube_rec_body_core(struct kube_recorder *r, const struct kube_rec_event *x)
{
	cJSON	*ev = cJSON_CreateObject(), *src;
	char	 t[48];

	cJSON_AddStringToObject(ev, "apiVersion", "v1");
	cJSON_AddStringToObject(ev, "kind", "Event");
	kube_rec_meta(ev, x);
	cJSON_AddItemToObject(ev, "involvedObject", kube_rec_ref(x->regarding));
	cJSON_AddStringToObject(ev, "reason", x->reason);
	cJSON_AddStringToObject(ev, "message", x->note);
	cJSON_AddStringToObject(ev, "type", x->type);
	cJSON_AddStringToObject(ev, "action", x->action);
	src = cJSON_AddObjectToObject(ev, "source");
	cJSON_AddStringToObject(src, "component", r->controller);
	cJSON_AddStringToObject(ev, "reportingComponent", r->controller);
	cJSON_AddStringToObject(ev, "reportingInstance", r->instance);
	time_format_rfc3339(&x->now, 0, t, sizeof t);
	cJSON_AddStringToObject(ev, "firstTimestamp", t);
	cJSON_AddStringToObject(ev, "lastTimestamp", t);
	cJSON_AddNumberToObject(ev, "count", 1);
	return ev;
}

/* Whether a 404 says the events.k8s.io group (not a namespace) is missing. */
static int
kube_rec_group_missing(const struct kube_error *e)
{
	return kube_error_is_not_found(e) &&
	    (e->kind == NULL || strcmp(e->kind, "namespaces") != 0);
}

/* Create a new Event (lock held); s gets its name and flavour. */
static int
kube_rec_create(struct kube_recorder *r, const struct kube_rec_event *x,
    struct kube_series *s, struct kube_error *e)
{
	cJSON	*ev;
	int	 rc;

	if (!r->st.core) {
		ev = kube_rec_body_events(r, x);
		rc = kube_create(r->c, &KUBE_RES_EVENTS, x->ns, ev, NULL, e);
		if (rc == 0 || !kube_rec_group_missing(e)) {
			s->name = xstrdup(json_path_str(ev, "metadata.name"));
			cJSON_Delete(ev);
			return rc;
		}
		cJSON_Delete(ev);
		log_info("events.k8s.io/v1 not served; using core v1 Events");
		r->st.core = 1;
	}
	ev = kube_rec_body_core(r, x);
	rc = kube_create(r->c, &KUBE_RES_CORE_EVENTS, x->ns, ev, NULL, e);
	s->name = xstrdup(json_path_str(ev, "metadata.name"));
	s->core = 1;
	cJSON_Delete(ev);
	return rc;
}

/* Merge-patch a series' Event with its new count and time (lock held). */
static int
kube_rec_patch_series(struct kube_recorder *r, const struct kube_series *s,
    struct kube_error *e)
{
	cJSON	*p = cJSON_CreateObject(), *ser;
	char	*body, t[48];
	int	 rc;

	if (s->core) {
		time_format_rfc3339(&s->last, 0, t, sizeof t);
		cJSON_AddNumberToObject(p, "count", s->count);
		cJSON_AddStringToObject(p, "lastTimestamp", t);
	} else {
		time_format_rfc3339(&s->last, 6, t, sizeof t);
		ser = cJSON_AddObjectToObject(p, "series");
		cJSON_AddNumberToObject(ser, "count", s->count);
		cJSON_AddStringToObject(ser, "lastObservedTime", t);
	}
	body = json_print(p);
	cJSON_Delete(p);
	rc = kube_patch(r->c, s->core ? &KUBE_RES_CORE_EVENTS :
	    &KUBE_RES_EVENTS, s->ns, s->name, NULL, KUBE_PATCH_MERGE, body,
	    NULL, 0, NULL, e);
	free(body);
	return rc;
}

/* Seconds from a to b. */
static double
kube_rec_elapsed(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) +
	    (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

struct kube_rec_sweep {
	struct kube_recorder	*r;
	struct timespec		 now;
	char			**keys;
	size_t			  n;
};

/* Note a series past the window. */
static int
kube_rec_sweep_one(void *arg, const char *key, void *val)
{
	struct kube_rec_sweep	*sw = arg;
	struct kube_series	*s = val;

	if (kube_rec_elapsed(&s->last, &sw->now) >= sw->r->series_s)
		sw->keys[sw->n++] = xstrdup(key);
	return 0;
}

/* Drop series past the window (lock held). */
static void
kube_rec_sweep(struct kube_recorder *r, const struct timespec *now)
{
	struct kube_rec_sweep	sw;
	size_t			i;

	sw.r = r;
	sw.now = *now;
	sw.keys = xcalloc(hmap_count(&r->series) + 1, sizeof *sw.keys);
	sw.n = 0;
	hmap_each(&r->series, kube_rec_sweep_one, &sw);
	for (i = 0; i < sw.n; i++) {
		kube_series_free(hmap_del(&r->series, sw.keys[i]));
		free(sw.keys[i]);
	}
	free(sw.keys);
}

/* The series key: regarding object, reason and note. */
static char *
kube_rec_key(const struct kube_rec_event *x)
{
	const cJSON	*o = x->regarding;
	const char	*uid = json_path_str(o, "metadata.uid");
	const char	*kind = json_str(o, "kind");
	const char	*name = json_path_str(o, "metadata.name");
	char		*key;

	xasprintf(&key, "%s\x1f%s\x1f%s\x1f%s\x1f%s\x1f%s",
	    uid != NULL ? uid : "", kind != NULL ? kind : "", x->ns,
	    name != NULL ? name : "", x->reason, x->note);
	return key;
}

/* Continue an existing series (lock held): 0 done, 1 start a new one. */
static int
kube_rec_continue(struct kube_recorder *r, const char *key,
    const struct kube_rec_event *x, struct kube_error *e, int *rc)
{
	struct kube_series	*s = hmap_get(&r->series, key);

	if (s == NULL || kube_rec_elapsed(&s->last, &x->now) >= r->series_s)
		return 1;
	s->count++;
	s->last = x->now;
	if ((*rc = kube_rec_patch_series(r, s, e)) == 0) {
		r->st.series++;
		return 0;
	}
	if (!kube_error_is_not_found(e))
		return 0;
	return 1;	/* the event expired: start over */
}

/* Record one event. */
int
kube_recorder_event(struct kube_recorder *r, const cJSON *regarding,
    const char *type, const char *reason, const char *action,
    const char *note, struct kube_error *e)
{
	struct kube_rec_event	 x;
	struct kube_series	*s;
	char			*key;
	int			 rc = 0;

	memset(&x, 0, sizeof x);
	x.regarding = regarding;
	x.type = type;
	x.reason = reason;
	x.action = action;
	x.note = kube_rec_note(note != NULL ? note : "");
	x.ns = json_path_str(regarding, "metadata.namespace");
	if (x.ns == NULL || *x.ns == '\0')
		x.ns = "default";
	key = kube_rec_key(&x);
	pthread_mutex_lock(&r->mu);
	x.now = kube_rec_now(r);
	if (kube_rec_continue(r, key, &x, e, &rc) != 0) {
		if (hmap_count(&r->series) >= KUBE_REC_SWEEP_AT)
			kube_rec_sweep(r, &x.now);
		s = xcalloc(1, sizeof *s);
		s->ns = xstrdup(x.ns);
		s->count = 1;
		s->last = x.now;
		if ((rc = kube_rec_create(r, &x, s, e)) == 0) {
			r->st.created++;
			kube_series_free(hmap_put(&r->series, key, s));
		} else
			kube_series_free(s);
	}
	if (rc != 0)
		r->st.errors++;
	pthread_mutex_unlock(&r->mu);
	free(key);
	free(x.note);
	return rc;
}
