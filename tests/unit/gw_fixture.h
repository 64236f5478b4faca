/*
 * Helpers for the gwapi tests: YAML text to a cJSON object, and parse
 * calls that fail the test (or return the error) in one line.
 */
#ifndef GW_FIXTURE_H
#define GW_FIXTURE_H

#include <stdlib.h>
#include <string.h>

#include "latticectl/gwapi.h"
#include "latticectl/yaml.h"

/* The single document of a YAML text (caller cJSON_Deletes). */
static inline cJSON *
gwf_yaml(const char *text)
{
	cJSON	*docs, *obj;
	char	*cause = NULL;

	if (yaml_load(text, strlen(text), "test", &docs, &cause) != 0)
		fail_msg("yaml: %s", cause);
	assert_int_equal(cJSON_GetArraySize(docs), 1);
	obj = cJSON_DetachItemFromArray(docs, 0);
	cJSON_Delete(docs);
	return obj;
}

/* Parse a route from YAML, failing the test on error. */
static inline struct gw_route *
gwf_route(const char *text)
{
	struct gw_route	*rt;
	cJSON		*obj = gwf_yaml(text);
	char		*cause = NULL;

	if (gw_route_parse(obj, GW_ROUTE_ANY, &rt, &cause) != 0)
		fail_msg("route: %s", cause);
	cJSON_Delete(obj);
	return rt;
}

/* Parse a Gateway from YAML, failing the test on error. */
static inline struct gw_gateway *
gwf_gateway(const char *text)
{
	struct gw_gateway	*gw;
	cJSON			*obj = gwf_yaml(text);
	char			*cause = NULL;

	if (gw_gateway_parse(obj, &gw, &cause) != 0)
		fail_msg("gateway: %s", cause);
	cJSON_Delete(obj);
	return gw;
}

/* Add YAML objects ("---" separated) to a snapshot, failing on error. */
static inline void
gwf_snap(struct gw_snapshot *s, const char *text)
{
	cJSON	*docs, *it;
	char	*cause = NULL;

	if (yaml_load(text, strlen(text), "test", &docs, &cause) != 0)
		fail_msg("yaml: %s", cause);
	cJSON_ArrayForEach(it, docs) {
		if (gw_snapshot_add_json(s, it, &cause) != 0)
			fail_msg("snapshot: %s", cause);
	}
	cJSON_Delete(docs);
}

#endif
