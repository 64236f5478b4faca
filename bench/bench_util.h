/*
 * Helpers shared by bench/bench_converge.c and bench/soak.c: the
 * environment knobs, the reference directory, the Gateway API CRD files,
 * the backends' objects and the ready endpoints of an EndpointSlice list.
 * All static inline, no state; strings returned by bench_crd_path and
 * bench_backend_* belong to the caller, the others to the environment or
 * this header.
 */
#ifndef BENCH_UTIL_H
#define BENCH_UTIL_H

#include <sys/stat.h>

#include <stddef.h>
#include <stdlib.h>

#include "latticectl/json.h"
#include "latticectl/xmalloc.h"

/* An integer from the environment, or def. */
static inline long
bench_env_long(const char *name, long def)
{
	const char	*v = getenv(name);

	return v != NULL && *v != '\0' ? strtol(v, NULL, 10) : def;
}

/* The reference directory ($LATTICECTL_REFERENCE, or the shared one
 * found from the working directory), or NULL. */
static inline const char *
bench_ref_dir(void)
{
	static const char *const cands[] = { "../shared/reference",
	    "../../shared/reference", NULL };
	const char	*env = getenv("LATTICECTL_REFERENCE");
	struct stat	 sb;
	size_t		 i;

	if (env != NULL && stat(env, &sb) == 0)
		return env;
	for (i = 0; cands[i] != NULL; i++) {
		if (stat(cands[i], &sb) == 0)
			return cands[i];
	}
	return NULL;
}

/* The reference file of the i-th Gateway API CRD the benches install
 * (caller frees), or NULL past the last. */
static inline char *
bench_crd_path(size_t i)
{
	static const char *const kinds[] = { "gatewayclasses", "gateways",
	    "httproutes", "grpcroutes", "tlsroutes", "referencegrants", NULL };
	char	*path;

	if (kinds[i] == NULL)
		return NULL;
	xasprintf(&path, "%s/crds/gateway-api-v1.5.1/"
	    "gateway.networking.k8s.io_%s.yaml", bench_ref_dir(), kinds[i]);
	return path;
}

/* The Deployment of backend svc-i, 2 pods (JSON; caller frees). */
static inline char *
bench_backend_deployment(size_t i)
{
	char	*body;

	xasprintf(&body, "{\"metadata\":{\"name\":\"svc-%zu\"},\"spec\":"
	    "{\"replicas\":2,\"selector\":{\"matchLabels\":{\"app\":"
	    "\"svc-%zu\"}},\"template\":{\"metadata\":{\"labels\":{"
	    "\"app\":\"svc-%zu\"}},\"spec\":{\"containers\":[{\"name\":"
	    "\"c\",\"image\":\"x\"}]}}}}", i, i, i);
	return body;
}

/* The Service of backend svc-i, port 80 to 8090 (JSON; caller
 * frees). */
static inline char *
bench_backend_service(size_t i)
{
	char	*body;

	xasprintf(&body, "{\"metadata\":{\"name\":\"svc-%zu\"},\"spec\":"
	    "{\"selector\":{\"app\":\"svc-%zu\"},\"ports\":[{\"port\":80,"
	    "\"targetPort\":8090}]}}", i, i);
	return body;
}

/* Ready endpoints in an EndpointSlice list (NULL: none). */
static inline int
bench_ready_endpoints(const cJSON *list)
{
	const cJSON	*sl, *ep;
	int		 n = 0;

	cJSON_ArrayForEach(sl, json_path(list, "items")) {
		cJSON_ArrayForEach(ep, json_path(sl, "endpoints"))
			n += json_bool(json_path(ep, "conditions"), "ready", 1);
	}
	return n;
}

#endif
