/* kube_index: the built-in index functions of the object cache. */
#include <string.h>

#include "latticectl/json.h"
#include "latticectl/kcache.h"

#define KUBE_GW_GROUP	"gateway.networking.k8s.io"

/* Every label as "key=value". */
void
kube_index_labels(void *arg, const cJSON *obj, struct kube_strv *out)
{
	const cJSON	*l;

	(void)arg;
	cJSON_ArrayForEach(l, json_path(obj, "metadata.labels")) {
		if (l->string != NULL && cJSON_IsString(l))
			kube_strv_addf(out, "%s=%s", l->string, l->valuestring);
	}
}

/* Whether ref's group and kind (with their defaults) are the wanted ones. */
static int
kube_index_ref_is(const cJSON *ref, const char *group, const char *kind)
{
	const char	*g = json_str(ref, "group");
	const char	*k = json_str(ref, "kind");

	if (g == NULL)
		g = group;
	if (k == NULL)
		k = kind;
	if (strcmp(group, "") == 0 && strcmp(g, "core") == 0)
		g = "";
	return strcmp(g, group) == 0 && strcmp(k, kind) == 0;
}

/* Add "ns/name" for a reference, its namespace defaulting to the route's. */
static void
kube_index_ref_add(const cJSON *obj, const cJSON *ref, struct kube_strv *out)
{
	const char	*name = json_str(ref, "name");
	const char	*ns = json_str(ref, "namespace");

	if (name == NULL || *name == '\0')
		return;
	if (ns == NULL || *ns == '\0')
		ns = json_path_str(obj, "metadata.namespace");
	kube_strv_addf(out, "%s/%s", ns != NULL ? ns : "", name);
}

/* The Gateways a route attaches to. */
void
kube_index_route_parents(void *arg, const cJSON *obj, struct kube_strv *out)
{
	const cJSON	*ref;

	(void)arg;
	cJSON_ArrayForEach(ref, json_path(obj, "spec.parentRefs")) {
		if (kube_index_ref_is(ref, KUBE_GW_GROUP, "Gateway"))
			kube_index_ref_add(obj, ref, out);
	}
}

/* The Services a route's rules send traffic to. */
void
kube_index_route_backends(void *arg, const cJSON *obj, struct kube_strv *out)
{
	const cJSON	*rule, *ref;

	(void)arg;
	cJSON_ArrayForEach(rule, json_path(obj, "spec.rules")) {
		cJSON_ArrayForEach(ref,
		    cJSON_GetObjectItemCaseSensitive(rule, "backendRefs")) {
			if (kube_index_ref_is(ref, "", "Service"))
				kube_index_ref_add(obj, ref, out);
		}
	}
}

/* The Service an EndpointSlice belongs to. */
void
kube_index_slice_service(void *arg, const cJSON *obj, struct kube_strv *out)
{
	const cJSON	*labels = json_path(obj, "metadata.labels");
	const char	*svc = json_str(labels, KUBE_LABEL_SERVICE_NAME);
	const char	*ns = json_path_str(obj, "metadata.namespace");

	(void)arg;
	if (svc != NULL && *svc != '\0')
		kube_strv_addf(out, "%s/%s", ns != NULL ? ns : "", svc);
}
