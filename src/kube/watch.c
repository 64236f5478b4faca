/* kube_watch: incremental decoder of a watch stream (JSON objects, usually
 * one per line). A small scanner finds where each top-level object ends
 * (depth outside strings), so chunks may split anywhere. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/error.h"
#include "latticectl/json.h"
#include "latticectl/kwatch.h"
#include "latticectl/strbuf.h"
#include "latticectl/xmalloc.h"

struct kube_watch_decoder {
	kube_watch_event_fn	 fn;
	void			*arg;
	size_t			 max;
	struct strbuf		 buf;	/* the event being collected */
	size_t			 depth;	/* 0: between events */
	int			 in_str;
	int			 esc;
	int			 failed;
	size_t			 count;
};

static const char *const kube_watch_names[] = {
	"ADDED", "MODIFIED", "DELETED", "BOOKMARK", "ERROR"
};

/* The name of a watch event type. */
const char *
kube_watch_type_name(enum kube_watch_type t)
{
	if ((unsigned)t >= sizeof kube_watch_names / sizeof *kube_watch_names)
		return NULL;
	return kube_watch_names[t];
}

/* Parse a watch event type name. */
int
kube_watch_type_parse(const char *s, enum kube_watch_type *out)
{
	size_t	i;

	for (i = 0; i < sizeof kube_watch_names / sizeof *kube_watch_names;
	    i++) {
		if (strcmp(s, kube_watch_names[i]) == 0) {
			*out = (enum kube_watch_type)i;
			return 0;
		}
	}
	return -1;
}

/* The code of a Status object (an ERROR event's object), or 0. */
int
kube_watch_status_code(const cJSON *obj)
{
	int64_t	code;

	if (obj == NULL || json_int(obj, "code", &code) != 0 ||
	    code < 0 || code > 999)
		return 0;
	return (int)code;
}

/* A new decoder calling fn for each event. */
struct kube_watch_decoder *
kube_watch_decoder_new(size_t max_event, kube_watch_event_fn fn, void *arg)
{
	struct kube_watch_decoder	*d;

	d = xcalloc(1, sizeof *d);
	d->fn = fn;
	d->arg = arg;
	d->max = max_event != 0 ? max_event : KUBE_WATCH_MAX_EVENT;
	strbuf_init(&d->buf);
	return d;
}

/* Free a decoder; NULL is a no-op. */
void
kube_watch_decoder_free(struct kube_watch_decoder *d)
{
	if (d == NULL)
		return;
	strbuf_free(&d->buf);
	free(d);
}

/* Drop any partial event and the error state. */
void
kube_watch_reset(struct kube_watch_decoder *d)
{
	strbuf_reset(&d->buf);
	d->depth = 0;
	d->in_str = d->esc = 0;
	d->failed = 0;
}

/* Events delivered so far. */
size_t
kube_watch_count(const struct kube_watch_decoder *d)
{
	return d->count;
}

/* Mark the decoder failed and set the cause. */
static int
kube_watch_fail(struct kube_watch_decoder *d, char **cause, const char *fmt,
    const char *detail)
{
	d->failed = 1;
	return error_set(cause, fmt, detail);
}

/* Decode the collected event text and hand it to the callback. */
static int
kube_watch_emit(struct kube_watch_decoder *d, char **cause)
{
	enum kube_watch_type	 type;
	cJSON			*ev, *obj;
	const char		*ts;
	char			*why = NULL;
	int			 r;

	ev = json_parse(d->buf.buf, d->buf.len, "watch event", &why);
	strbuf_reset(&d->buf);
	if (ev == NULL) {
		kube_watch_fail(d, cause, "%s", why);
		free(why);
		return -1;
	}
	ts = json_str(ev, "type");
	obj = cJSON_GetObjectItemCaseSensitive(ev, "object");
	if (ts == NULL || kube_watch_type_parse(ts, &type) != 0) {
		cJSON_Delete(ev);
		return kube_watch_fail(d, cause, "watch event: %s",
		    ts == NULL ? "no type" : "unknown type");
	}
	if (!cJSON_IsObject(obj)) {
		cJSON_Delete(ev);
		return kube_watch_fail(d, cause, "watch event: %s",
		    "object missing or not an object");
	}
	obj = cJSON_DetachItemViaPointer(ev, obj);
	cJSON_Delete(ev);
	d->count++;
	if ((r = d->fn(d->arg, type, obj)) != 0)
		return kube_watch_fail(d, cause, "watch: %s", "stopped");
	return 0;
}

/* Append data[from..to) to the event text, enforcing the size bound. */
static int
kube_watch_take(struct kube_watch_decoder *d, const char *data, size_t from,
    size_t to, char **cause)
{
	if (to - from > d->max - d->buf.len)
		return kube_watch_fail(d, cause, "watch event: %s",
		    "longer than the limit");
	strbuf_add(&d->buf, data + from, to - from);
	return 0;
}

/* Advance the scanner over one byte inside an event; 1 when it ends. */
static int
kube_watch_scan(struct kube_watch_decoder *d, char c)
{
	if (d->in_str) {
		if (d->esc)
			d->esc = 0;
		else if (c == '\\')
			d->esc = 1;
		else if (c == '"')
			d->in_str = 0;
		return 0;
	}
	switch (c) {
	case '"':
		d->in_str = 1;
		break;
	case '{':
	case '[':
		d->depth++;
		break;
	case '}':
	case ']':
		if (--d->depth == 0)
			return 1;
		break;
	}
	return 0;
}

/* Feed len bytes of the stream. */
int
kube_watch_feed(struct kube_watch_decoder *d, const char *data, size_t len,
    char **cause)
{
	size_t	i, start = 0;
	char	c, hex[8];

	if (d->failed)
		return error_set(cause, "watch: decoder failed earlier");
	for (i = 0; i < len; i++) {
		c = data[i];
		if (d->depth == 0) {
			if (c == ' ' || c == '\n' || c == '\r' || c == '\t')
				continue;
			if (c != '{') {
				snprintf(hex, sizeof hex, "0x%02x",
				    (unsigned char)c);
				return kube_watch_fail(d, cause, "watch stream: "
				    "unexpected byte %s between events", hex);
			}
			start = i;
			d->depth = 1;
			continue;
		}
		if (!kube_watch_scan(d, c))
			continue;
		if (kube_watch_take(d, data, start, i + 1, cause) != 0 ||
		    kube_watch_emit(d, cause) != 0)
			return -1;
	}
	if (d->depth > 0)
		return kube_watch_take(d, data, start, len, cause);
	return 0;
}

/* The stream ended: fail when an event is incomplete. */
int
kube_watch_finish(struct kube_watch_decoder *d, char **cause)
{
	if (d->failed)
		return error_set(cause, "watch: decoder failed earlier");
	if (d->depth > 0)
		return kube_watch_fail(d, cause, "watch stream: %s",
		    "ended inside an event");
	return 0;
}
