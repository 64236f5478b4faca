/* kube_conditions: metav1.Condition lists with Gateway API semantics. */
#include <stdlib.h>
#include <string.h>

#include "latticectl/json.h"
#include "latticectl/kutil.h"
#include "latticectl/timeutil.h"
#include "latticectl/xmalloc.h"

/* The condition of a type, or NULL. */
cJSON *
kube_conditions_find(const cJSON *conds, const char *type)
{
	cJSON	*c;

	if (!cJSON_IsArray(conds))
		return NULL;
	cJSON_ArrayForEach(c, conds) {
		if (json_str(c, "type") != NULL &&
		    strcmp(json_str(c, "type"), type) == 0)
			return c;
	}
	return NULL;
}

/* Whether type has the given status. */
int
kube_conditions_is(const cJSON *conds, const char *type, const char *status)
{
	const cJSON	*c = kube_conditions_find(conds, type);

	return c != NULL && json_str(c, "status") != NULL &&
	    strcmp(json_str(c, "status"), status) == 0;
}

/* Set a string member when it differs; 1 when changed. */
static int
kube_cond_str(cJSON *c, const char *key, const char *val)
{
	const char	*cur = json_str(c, key);

	if (cur != NULL && strcmp(cur, val) == 0)
		return 0;
	if (cJSON_GetObjectItemCaseSensitive(c, key) != NULL)
		cJSON_ReplaceItemInObjectCaseSensitive(c, key,
		    cJSON_CreateString(val));
	else
		cJSON_AddStringToObject(c, key, val);
	return 1;
}

/* Set observedGeneration when it differs; 1 when changed. */
static int
kube_cond_gen(cJSON *c, int64_t gen)
{
	int64_t	cur;

	if (gen < 0 || (json_int(c, "observedGeneration", &cur) == 0 &&
	    cur == gen))
		return 0;
	if (cJSON_GetObjectItemCaseSensitive(c, "observedGeneration") != NULL)
		cJSON_ReplaceItemInObjectCaseSensitive(c, "observedGeneration",
		    cJSON_CreateNumber((double)gen));
	else
		cJSON_AddNumberToObject(c, "observedGeneration", (double)gen);
	return 1;
}

/* Set the transition time to now. */
static void
kube_cond_time(cJSON *c, const struct timespec *now)
{
	char	buf[40];

	time_format_rfc3339(now, 0, buf, sizeof buf);
	cJSON_DeleteItemFromObjectCaseSensitive(c, "lastTransitionTime");
	cJSON_AddStringToObject(c, "lastTransitionTime", buf);
}

/* Set one condition; 1 when anything changed. */
int
kube_conditions_set(cJSON *conds, const struct kube_condition *cond,
    const struct timespec *now)
{
	cJSON	*c;
	int	 changed = 0;

	if ((c = kube_conditions_find(conds, cond->type)) == NULL) {
		c = cJSON_CreateObject();
		cJSON_AddStringToObject(c, "type", cond->type);
		cJSON_AddItemToArray(conds, c);
		changed = 1;
	}
	if (kube_cond_str(c, "status", cond->status) ||
	    json_str(c, "lastTransitionTime") == NULL) {
		kube_cond_time(c, now);
		changed = 1;
	}
	changed |= kube_cond_gen(c, cond->observed_generation);
	changed |= kube_cond_str(c, "reason", cond->reason);
	changed |= kube_cond_str(c, "message", cond->message != NULL ?
	    cond->message : "");
	return changed;
}

/* A member of obj that is of type (replaced when it is not), created. */
static cJSON *
kube_cond_child(cJSON *obj, const char *key, int array)
{
	cJSON	*c = cJSON_GetObjectItemCaseSensitive(obj, key);

	if (array ? cJSON_IsArray(c) : cJSON_IsObject(c))
		return c;
	cJSON_DeleteItemFromObjectCaseSensitive(obj, key);
	return array ? cJSON_AddArrayToObject(obj, key) :
	    cJSON_AddObjectToObject(obj, key);
}

/* status.conditions, created when missing. */
cJSON *
kube_status_conditions(cJSON *obj)
{
	return kube_cond_child(kube_cond_child(obj, "status", 0), "conditions",
	    1);
}

/* The conditions of the status.parents[] entry for a parent and
 * controller, created when missing. */
cJSON *
kube_status_parent_conditions(cJSON *obj, const cJSON *parent_ref,
    const char *controller)
{
	cJSON		*parents, *p;
	const char	*cn;

	parents = kube_cond_child(kube_cond_child(obj, "status", 0), "parents",
	    1);
	cJSON_ArrayForEach(p, parents) {
		cn = json_str(p, "controllerName");
		if (cn != NULL && strcmp(cn, controller) == 0 &&
		    json_equal(cJSON_GetObjectItemCaseSensitive(p, "parentRef"),
		    parent_ref))
			return kube_cond_child(p, "conditions", 1);
	}
	p = cJSON_CreateObject();
	cJSON_AddItemToObject(p, "parentRef", cJSON_Duplicate(parent_ref, 1));
	cJSON_AddStringToObject(p, "controllerName", controller);
	cJSON_AddItemToArray(parents, p);
	return cJSON_AddArrayToObject(p, "conditions");
}

/* Set conditions in obj's status.conditions; 1 when changed. */
int
kube_status_set_local(cJSON *obj, const struct kube_condition *conds,
    size_t n, const struct timespec *now)
{
	struct kube_condition	 c;
	cJSON			*list;
	int64_t			 gen = -1;
	size_t			 i;
	int			 changed = 0;

	(void)json_int(cJSON_GetObjectItemCaseSensitive(obj, "metadata"),
	    "generation", &gen);
	list = kube_status_conditions(obj);
	for (i = 0; i < n; i++) {
		c = conds[i];
		if (c.observed_generation < 0)
			c.observed_generation = gen;
		changed |= kube_conditions_set(list, &c, now);
	}
	return changed;
}

struct kube_cond_args {
	const struct kube_condition	*conds;
	size_t				 n;
};

/* Mutator for kube_status_set_conditions. */
static int
kube_cond_mutate(void *arg, cJSON *obj, char **cause)
{
	struct kube_cond_args	*a = arg;
	struct timespec		 now = time_now();

	(void)cause;
	return kube_status_set_local(obj, a->conds, a->n, &now);
}

/* Set conditions through /status with conflict retries. */
int
kube_status_set_conditions(struct kube_client *c,
    const struct kube_resource *res, const char *ns, const char *name,
    const struct kube_condition *conds, size_t n, cJSON **out,
    struct kube_error *e)
{
	struct kube_cond_args	a = { conds, n };

	return kube_update_retry(c, res, ns, name, 1, 0, kube_cond_mutate, &a,
	    out, e);
}
