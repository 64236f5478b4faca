/* status_meta: route annotations, finalizers and events. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define LOG_MODULE "status"
#include "latticectl/json.h"
#include "latticectl/kutil.h"
#include "latticectl/log.h"
#include "latticectl/status.h"
#include "latticectl/xmalloc.h"
#include "status_int.h"

/* Whether annotation key of obj already reads val. */
static int
status_ann_is(const cJSON *obj, const char *key, const char *val)
{
	const char	*cur = json_str(json_path(obj, "metadata.annotations"),
			    key);

	return cur != NULL && strcmp(cur, val) == 0;
}

/* Merge-patch the DNS name and service ARN annotations that differ. */
int
status_route_annotate(struct status_writer *sw,
    const struct kube_resource *res, const cJSON *cached,
    const struct status_route_annotations *a, cJSON **out,
    struct kube_error *e)
{
	const char	*kv[4];
	cJSON		*got = NULL;
	size_t		 n = 0;
	int		 r;

	kube_error_clear(e);
	if (out != NULL)
		*out = NULL;
	if (status_seen_behind(sw, cached))
		return 0;
	if (a->dns_name != NULL &&
	    !status_ann_is(cached, UP_ANN_ASSIGNED_DNS, a->dns_name)) {
		kv[2 * n] = UP_ANN_ASSIGNED_DNS;
		kv[2 * n++ + 1] = a->dns_name;
	}
	if (a->service_arn != NULL &&
	    !status_ann_is(cached, UP_ANN_SERVICE_ARN, a->service_arn)) {
		kv[2 * n] = UP_ANN_SERVICE_ARN;
		kv[2 * n++ + 1] = a->service_arn;
	}
	if (n == 0) {
		status_count(sw, &sw->st.unchanged, 1);
		return 0;
	}
	log_debug("%s %s: annotations (at %s)", res->kind,
	    json_path_str(cached, "metadata.name"),
	    json_path_str(cached, "metadata.resourceVersion"));
	r = kube_annotations_patch(sw->kc, res,
	    json_path_str(cached, "metadata.namespace"),
	    json_path_str(cached, "metadata.name"), kv, n, &got, e);
	status_count(sw, &sw->st.writes, 1);
	if (r == 0)
		status_seen_record(sw, got);
	status_give(got, out);
	if (r != 0 && kube_error_is_not_found(e)) {
		kube_error_clear(e);
		return 0;
	}
	if (r != 0)
		status_count(sw, &sw->st.errors, 1);
	return r;
}

/* A merge patch setting metadata.finalizers to list, guarded by the
 * cached resourceVersion (caller frees). */
static char *
status_fin_patch(const cJSON *cached, cJSON *list)
{
	cJSON	*p = cJSON_CreateObject(), *meta;
	char	*body;

	meta = cJSON_AddObjectToObject(p, "metadata");
	cJSON_AddItemToObject(meta, "finalizers", list);
	json_add_str_opt(meta, "resourceVersion",
	    json_path_str(cached, "metadata.resourceVersion"));
	body = json_print(p);
	cJSON_Delete(p);
	return body;
}

/* The finalizer list of cached with fin added (add) or removed. */
static cJSON *
status_fin_list(const cJSON *cached, const char *fin, int add)
{
	cJSON		*list = cJSON_CreateArray();
	const cJSON	*f;

	cJSON_ArrayForEach(f, json_path(cached, "metadata.finalizers")) {
		if (cJSON_IsString(f) && (add || strcmp(f->valuestring,
		    fin) != 0))
			cJSON_AddItemToArray(list,
			    cJSON_CreateString(f->valuestring));
	}
	if (add)
		cJSON_AddItemToArray(list, cJSON_CreateString(fin));
	return list;
}

/* One optimistic merge patch of the finalizers, then kube_finalizer_*
 * (GET and PUT with retries) after a conflict. */
static int
status_fin_write(struct status_writer *sw, const struct kube_resource *res,
    const cJSON *cached, const char *fin, int add, cJSON **out,
    struct kube_error *e)
{
	const char	*ns = json_path_str(cached, "metadata.namespace");
	const char	*name = json_path_str(cached, "metadata.name");
	char		*body;
	cJSON		*got = NULL;
	int		 r;

	log_debug("%s %s: %s finalizer %s (at %s)", res->kind, name,
	    add ? "add" : "remove", fin,
	    json_path_str(cached, "metadata.resourceVersion"));
	body = status_fin_patch(cached, status_fin_list(cached, fin, add));
	r = kube_patch(sw->kc, res, ns, name, NULL, KUBE_PATCH_MERGE, body,
	    NULL, 0, &got, e);
	free(body);
	status_count(sw, &sw->st.writes, 1);
	if (r != 0 && kube_error_is_conflict(e)) {
		status_count(sw, &sw->st.conflicts, 1);
		status_count(sw, &sw->st.writes, 1);
		r = add ? kube_finalizer_add(sw->kc, res, ns, name, fin, &got,
		    e) : kube_finalizer_remove(sw->kc, res, ns, name, fin, &got,
		    e);
	}
	if (r == 0) {
		status_seen_record(sw, got);
		status_give(got, out);
		return 0;
	}
	cJSON_Delete(got);
	if (!add && kube_error_is_not_found(e)) {
		kube_error_clear(e);
		return 0;
	}
	status_count(sw, &sw->st.errors, 1);
	return -1;
}

/* Add a finalizer unless cached has it; refused while deleting. */
int
status_finalizer_add(struct status_writer *sw,
    const struct kube_resource *res, const cJSON *cached,
    const char *finalizer, cJSON **out, struct kube_error *e)
{
	kube_error_clear(e);
	if (out != NULL)
		*out = NULL;
	if (kube_finalizer_has(cached, finalizer)) {
		status_count(sw, &sw->st.unchanged, 1);
		return 0;
	}
	if (json_path(cached, "metadata.deletionTimestamp") != NULL) {
		status_refuse(e, "%s %s is being deleted: no new finalizer",
		    res->kind, json_path_str(cached, "metadata.name"));
		status_count(sw, &sw->st.errors, 1);
		return -1;
	}
	return status_fin_write(sw, res, cached, finalizer, 1, out, e);
}

/* Remove a finalizer if cached has it. */
int
status_finalizer_remove(struct status_writer *sw,
    const struct kube_resource *res, const cJSON *cached,
    const char *finalizer, cJSON **out, struct kube_error *e)
{
	kube_error_clear(e);
	if (out != NULL)
		*out = NULL;
	if (!kube_finalizer_has(cached, finalizer)) {
		status_count(sw, &sw->st.unchanged, 1);
		return 0;
	}
	return status_fin_write(sw, res, cached, finalizer, 0, out, e);
}

/* Record an event through the recorder (best effort). */
int
status_event(struct status_writer *sw, const cJSON *obj, const char *type,
    const char *reason, const char *fmt, ...)
{
	struct kube_error	 e;
	va_list			 ap;
	char			*note;
	int			 r;

	if (sw->rec == NULL)
		return 0;
	va_start(ap, fmt);
	xvasprintf(&note, fmt, ap);
	va_end(ap);
	memset(&e, 0, sizeof e);
	r = kube_recorder_event(sw->rec, obj, type, reason, STATUS_EVENT_ACTION,
	    note, &e);
	if (r == 0)
		status_count(sw, &sw->st.events, 1);
	else
		log_debug("event %s: %s", reason, e.message != NULL ?
		    e.message : "failed");
	kube_error_clear(&e);
	free(note);
	return r;
}
