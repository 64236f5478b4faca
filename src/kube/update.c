/* kube_update: optimistic-concurrency updates and annotation patches. */
#include <stdlib.h>
#include <string.h>

#define LOG_MODULE "kube"
#include "latticectl/json.h"
#include "latticectl/kutil.h"
#include "latticectl/log.h"
#include "latticectl/xmalloc.h"

/* Fill e for a mutate function that gave up. */
static void
kube_update_abort(struct kube_error *e, char *cause)
{
	kube_error_clear(e);
	e->retry_after = -1;
	e->message = cause != NULL ? cause : xstrdup("update aborted");
}

/* One GET-mutate-PUT round: 0 done, 1 conflict (retry), -1 error. */
static int
kube_update_round(struct kube_client *c, const struct kube_resource *res,
    const char *ns, const char *name, int status, kube_mutate_fn fn,
    void *arg, cJSON **out, struct kube_error *e)
{
	cJSON	*obj = NULL, *written = NULL;
	char	*cause = NULL;
	int	 m, r;

	if (kube_get(c, res, ns, name, &obj, e) != 0)
		return -1;
	if ((m = fn(arg, obj, &cause)) < 0) {
		cJSON_Delete(obj);
		kube_update_abort(e, cause);
		return -1;
	}
	if (m == 0) {
		if (out != NULL)
			*out = obj;
		else
			cJSON_Delete(obj);
		return 0;
	}
	if (status)
		r = kube_update_status(c, res, ns, obj, &written, e);
	else
		r = kube_update(c, res, ns, obj, &written, e);
	cJSON_Delete(obj);
	if (r != 0)
		return kube_error_is_conflict(e) ? 1 : -1;
	if (out != NULL)
		*out = written;
	else
		cJSON_Delete(written);
	return 0;
}

/* GET, mutate, PUT with the read resourceVersion; retry on conflicts. */
int
kube_update_retry(struct kube_client *c, const struct kube_resource *res,
    const char *ns, const char *name, int status, unsigned attempts,
    kube_mutate_fn fn, void *arg, cJSON **out, struct kube_error *e)
{
	unsigned	i;
	int		r = -1;

	if (out != NULL)
		*out = NULL;
	if (attempts == 0)
		attempts = KUBE_CONFLICT_ATTEMPTS;
	for (i = 0; i < attempts; i++) {
		r = kube_update_round(c, res, ns, name, status, fn, arg, out, e);
		if (r != 1)
			return r;
		log_debug("%s %s/%s: conflict, retrying (%u/%u)", res->resource,
		    ns != NULL ? ns : "", name, i + 1, attempts);
	}
	return -1;
}

/* Merge-patch metadata.annotations with the given pairs. */
int
kube_annotations_patch(struct kube_client *c, const struct kube_resource *res,
    const char *ns, const char *name, const char *const *kv, size_t n,
    cJSON **out, struct kube_error *e)
{
	cJSON	*patch, *ann;
	char	*body;
	size_t	 i;
	int	 r;

	patch = cJSON_CreateObject();
	ann = cJSON_AddObjectToObject(cJSON_AddObjectToObject(patch,
	    "metadata"), "annotations");
	for (i = 0; i < n; i++) {
		if (kv[2 * i + 1] == NULL)
			cJSON_AddNullToObject(ann, kv[2 * i]);
		else
			cJSON_AddStringToObject(ann, kv[2 * i], kv[2 * i + 1]);
	}
	body = json_print(patch);
	cJSON_Delete(patch);
	r = kube_patch(c, res, ns, name, NULL, KUBE_PATCH_MERGE, body, NULL, 0,
	    out, e);
	free(body);
	return r;
}
