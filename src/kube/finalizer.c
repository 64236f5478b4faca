/* kube_finalizer: finalizers on trees and on the server. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/error.h"
#include "latticectl/json.h"
#include "latticectl/kutil.h"
#include "latticectl/xmalloc.h"

/* The index of finalizer in metadata.finalizers, or -1. */
static int
kube_finalizer_index(const cJSON *obj, const char *finalizer)
{
	const cJSON	*f;
	int		 i = 0;

	cJSON_ArrayForEach(f, json_path(obj, "metadata.finalizers")) {
		if (cJSON_IsString(f) && strcmp(f->valuestring, finalizer) == 0)
			return i;
		i++;
	}
	return -1;
}

/* Whether obj carries the finalizer. */
int
kube_finalizer_has(const cJSON *obj, const char *finalizer)
{
	return kube_finalizer_index(obj, finalizer) >= 0;
}

/* Add the finalizer to obj; 1 when added. */
int
kube_finalizer_add_local(cJSON *obj, const char *finalizer)
{
	cJSON	*meta, *list;

	if (kube_finalizer_has(obj, finalizer))
		return 0;
	meta = cJSON_GetObjectItemCaseSensitive(obj, "metadata");
	if (!cJSON_IsObject(meta)) {
		cJSON_DeleteItemFromObjectCaseSensitive(obj, "metadata");
		meta = cJSON_AddObjectToObject(obj, "metadata");
	}
	list = cJSON_GetObjectItemCaseSensitive(meta, "finalizers");
	if (!cJSON_IsArray(list)) {
		cJSON_DeleteItemFromObjectCaseSensitive(meta, "finalizers");
		list = cJSON_AddArrayToObject(meta, "finalizers");
	}
	cJSON_AddItemToArray(list, cJSON_CreateString(finalizer));
	return 1;
}

/* Remove every copy of the finalizer from obj; 1 when one was there. */
int
kube_finalizer_remove_local(cJSON *obj, const char *finalizer)
{
	cJSON	*list;
	int	 i, removed = 0;

	list = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(
	    obj, "metadata"), "finalizers");
	while ((i = kube_finalizer_index(obj, finalizer)) >= 0) {
		cJSON_DeleteItemFromArray(list, i);
		removed = 1;
	}
	return removed;
}

/* Mutator: add the finalizer (refused on an object being deleted). */
static int
kube_finalizer_add_fn(void *arg, cJSON *obj, char **cause)
{
	const char	*f = arg;

	if (kube_finalizer_has(obj, f))
		return 0;
	if (json_path(obj, "metadata.deletionTimestamp") != NULL)
		return error_set(cause, "%s: cannot add finalizer %s: the "
		    "object is being deleted", json_path_str(obj,
		    "metadata.name") != NULL ? json_path_str(obj,
		    "metadata.name") : "?", f);
	return kube_finalizer_add_local(obj, f);
}

/* Mutator: remove the finalizer. */
static int
kube_finalizer_remove_fn(void *arg, cJSON *obj, char **cause)
{
	(void)cause;
	return kube_finalizer_remove_local(obj, arg);
}

/* Add a finalizer on the server. */
int
kube_finalizer_add(struct kube_client *c, const struct kube_resource *res,
    const char *ns, const char *name, const char *finalizer, cJSON **out,
    struct kube_error *e)
{
	return kube_update_retry(c, res, ns, name, 0, 0, kube_finalizer_add_fn,
	    (void *)(uintptr_t)finalizer, out, e);
}

/* Remove a finalizer on the server. */
int
kube_finalizer_remove(struct kube_client *c, const struct kube_resource *res,
    const char *ns, const char *name, const char *finalizer, cJSON **out,
    struct kube_error *e)
{
	return kube_update_retry(c, res, ns, name, 0, 0,
	    kube_finalizer_remove_fn, (void *)(uintptr_t)finalizer, out, e);
}
