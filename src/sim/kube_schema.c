/* sim_kube structural schema defaulting for custom resources: fill
 * missing fields with the "default" of their openAPIV3Schema. */
#include <string.h>

#include "latticectl/json.h"
#include "kube_int.h"

#define KUBE_SCHEMA_MAX_DEPTH	64

static void	skube_schema_walk(const cJSON *, cJSON *, int);

/* Defaults of an object's properties, then recurse into them. */
static void
skube_schema_object(const cJSON *schema, cJSON *obj, int depth)
{
	const cJSON	*props = cJSON_GetObjectItemCaseSensitive(schema,
			    "properties");
	const cJSON	*p, *def, *addl;
	cJSON		*v;

	cJSON_ArrayForEach(p, props) {
		if (p->string == NULL)
			continue;
		v = cJSON_GetObjectItemCaseSensitive(obj, p->string);
		def = cJSON_GetObjectItemCaseSensitive(p, "default");
		if (v == NULL && def != NULL) {
			v = cJSON_Duplicate(def, 1);
			cJSON_AddItemToObject(obj, p->string, v);
		}
		if (v != NULL)
			skube_schema_walk(p, v, depth + 1);
	}
	addl = cJSON_GetObjectItemCaseSensitive(schema, "additionalProperties");
	if (cJSON_IsObject(addl)) {
		cJSON_ArrayForEach(v, obj)
			skube_schema_walk(addl, v, depth + 1);
	}
}

/* Apply the schema's defaults below node. */
static void
skube_schema_walk(const cJSON *schema, cJSON *node, int depth)
{
	const cJSON	*items;
	cJSON		*el;

	if (depth > KUBE_SCHEMA_MAX_DEPTH || !cJSON_IsObject(schema))
		return;
	if (cJSON_IsObject(node))
		skube_schema_object(schema, node, depth);
	else if (cJSON_IsArray(node) &&
	    (items = cJSON_GetObjectItemCaseSensitive(schema,
	    "items")) != NULL) {
		cJSON_ArrayForEach(el, node)
			skube_schema_walk(items, el, depth + 1);
	}
}

/* Fill defaults from a CRD version's openAPIV3Schema into obj. */
void
skube_schema_default(const cJSON *schema, cJSON *obj)
{
	skube_schema_walk(schema, obj, 0);
}
