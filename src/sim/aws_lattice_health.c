/*
 * Simulated VPC Lattice health checks. The simulator runs no real pods:
 * its pods are taken to serve every HTTP path except those under
 * LAT_HEALTH_UNSERVED_PREFIX, which answer 404. A target group whose
 * health check path is such a path has its targets UNHEALTHY with
 * reason Target.ResponseCodeMismatch once past INITIAL (doctor's tests
 * break a health check this way, through a TargetGroupPolicy).
 * Owner: helper d9.
 */
#include <string.h>

#include <cjson/cJSON.h>

#include "aws_lattice_int.h"

#define LAT_HEALTH_UNSERVED_PREFIX	"/missing"

/* Does a health check (enabled) fail? *reason gets the code. */
int
lat_health_failing(const cJSON *hc, const char **reason)
{
	const cJSON	*path = cJSON_GetObjectItemCaseSensitive(hc, "path");

	if (!cJSON_IsString(path) || strncmp(path->valuestring,
	    LAT_HEALTH_UNSERVED_PREFIX, strlen(LAT_HEALTH_UNSERVED_PREFIX))
	    != 0)
		return 0;
	*reason = "Target.ResponseCodeMismatch";
	return 1;
}
