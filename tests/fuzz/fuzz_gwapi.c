/* Fuzz the gwapi parsers and resolution: the input is a JSON object or an
 * array of them; each object is parsed as every kind (its "kind" forced),
 * the parses that succeed go into a snapshot, and every route is then
 * resolved and every Gateway's attachedRoutes counted. Parse results must
 * be either an object or an error with a cause. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/gwapi.h"
#include "latticectl/json.h"

#define FUZZ_MAX_INPUT	65536
#define FUZZ_MAX_OBJS	8

static const char *const fuzz_kinds[] = {
	"GatewayClass", "Gateway", "HTTPRoute", "GRPCRoute", "TLSRoute",
	"Service", "EndpointSlice", "ReferenceGrant", "ServiceExport",
	"ServiceImport", "TargetGroupPolicy", "VpcAssociationPolicy",
	"AccessLogPolicy", "IAMAuthPolicy", "Namespace", NULL
};

/* An object parsed fine or failed with a cause; anything else aborts. */
static void
fuzz_check(int rc, const void *out, char *cause)
{
	if ((rc == 0) != (out != NULL) || (rc != 0) != (cause != NULL))
		abort();
	free(cause);
}

/* Parse obj as the kinds the snapshot does not hold, then free. */
static void
fuzz_other(const cJSON *obj, const char *kind)
{
	struct gw_endpointslice	*es = NULL;
	struct gw_serviceexport	*se = NULL;
	struct gw_tgpolicy	*tgp = NULL;
	struct gw_vapolicy	*vap = NULL;
	struct gw_alpolicy	*alp = NULL;
	struct gw_iampolicy	*iap = NULL;
	char			*cause = NULL;

	if (strcmp(kind, "EndpointSlice") == 0) {
		fuzz_check(gw_endpointslice_parse(obj, &es, &cause), es, cause);
		gw_endpointslice_free(es);
	} else if (strcmp(kind, "ServiceExport") == 0) {
		fuzz_check(gw_serviceexport_parse(obj, &se, &cause), se, cause);
		gw_serviceexport_free(se);
	} else if (strcmp(kind, "TargetGroupPolicy") == 0) {
		fuzz_check(gw_tgpolicy_parse(obj, &tgp, &cause), tgp, cause);
		gw_tgpolicy_free(tgp);
	} else if (strcmp(kind, "VpcAssociationPolicy") == 0) {
		fuzz_check(gw_vapolicy_parse(obj, &vap, &cause), vap, cause);
		gw_vapolicy_free(vap);
	} else if (strcmp(kind, "AccessLogPolicy") == 0) {
		fuzz_check(gw_alpolicy_parse(obj, &alp, &cause), alp, cause);
		gw_alpolicy_free(alp);
	} else if (strcmp(kind, "IAMAuthPolicy") == 0) {
		fuzz_check(gw_iampolicy_parse(obj, &iap, &cause), iap, cause);
		gw_iampolicy_free(iap);
	}
}

/* Parse one object as every kind, adding what parses to s. */
static void
fuzz_object(struct gw_snapshot *s, const cJSON *in)
{
	cJSON	*obj;
	char	*cause;
	size_t	 i;

	if (!cJSON_IsObject(in))
		return;
	for (i = 0; fuzz_kinds[i] != NULL; i++) {
		if ((obj = cJSON_Duplicate(in, 1)) == NULL)
			abort();
		cJSON_DeleteItemFromObjectCaseSensitive(obj, "kind");
		cJSON_AddStringToObject(obj, "kind", fuzz_kinds[i]);
		cause = NULL;
		if (gw_snapshot_add_json(s, obj, &cause) != 0 && cause == NULL)
			abort();
		free(cause);
		fuzz_other(obj, fuzz_kinds[i]);
		cJSON_Delete(obj);
	}
}

/* Resolve every route of s and count attachments for its Gateways. */
static void
fuzz_resolve(struct gw_snapshot *s)
{
	const struct gw_route *const	*routes;
	const struct gw_gateway		*gw;
	struct gw_resolution		 res;
	struct gw_lookup		 lk;
	int32_t				*counts;
	size_t				 n, i, j;

	gw_snapshot_lookup(s, &lk);
	routes = gw_snapshot_routes(s, &n);
	for (i = 0; i < n; i++) {
		gw_resolve_route(routes[i], &lk, &res);
		if (res.resolved_reason == NULL || res.resolved_message == NULL)
			abort();
		for (j = 0; j < res.nparents; j++) {
			if (res.parents[j].reason == NULL ||
			    res.parents[j].message == NULL)
				abort();
			gw = res.parents[j].gateway;
			if (gw == NULL)
				continue;
			counts = calloc(gw->nlisteners + 1, sizeof *counts);
			if (counts == NULL)
				abort();
			gw_count_attached(gw, routes, n, &lk, counts);
			free(counts);
		}
		gw_resolution_free(&res);
	}
}

/* Exercise the annotation helpers on the raw input. */
static void
fuzz_strings(const uint8_t *data, size_t size)
{
	struct gw_kv	*kv;
	char		*s, *cause = NULL;
	size_t		 n;

	if ((s = malloc(size + 1)) == NULL)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	gw_tags_parse(s, &kv, &n);
	if ((kv == NULL) != (n == 0))
		abort();
	gw_kv_free(kv, n);
	if (gw_service_name_check(s, &cause) != 0 && cause == NULL)
		abort();
	free(cause);
	(void)gw_hostname_intersects(s, s + strlen(s) / 2);
	free(s);
}

/* One input: helpers on the raw bytes, then parse, snapshot, resolve. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct gw_snapshot	*s;
	const cJSON		*it;
	cJSON			*root;
	size_t			 n = 0;

	if (size > FUZZ_MAX_INPUT)
		return 0;
	fuzz_strings(data, size);
	root = cJSON_ParseWithLength((const char *)data, size);
	if (root == NULL)
		return 0;
	s = gw_snapshot_new();
	if (cJSON_IsArray(root)) {
		cJSON_ArrayForEach(it, root) {
			if (n++ == FUZZ_MAX_OBJS)
				break;
			fuzz_object(s, it);
		}
	} else
		fuzz_object(s, root);
	fuzz_resolve(s);
	gw_snapshot_free(s);
	cJSON_Delete(root);
	return 0;
}
