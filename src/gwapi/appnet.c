/* gwapi: ReferenceGrant and the application-networking.k8s.aws kinds. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "gwapi_int.h"

/* One ReferenceGrant from[] entry. */
static int
gw_grant_from_parse(struct gwp *p, const cJSON *o, const char *path,
    struct gw_grant_from *f)
{
	if (!cJSON_IsObject(o))
		return gwp_invalid(p, path, "expected an object");
	if (gwp_str_def(p, o, path, "group", "", &f->group) != 0 ||
	    gwp_str(p, o, path, "kind", 1, &f->kind) != 0 ||
	    gwp_str(p, o, path, "namespace", 1, &f->ns) != 0)
		return -1;
	return 0;
}

/* One ReferenceGrant to[] entry. */
static int
gw_grant_to_parse(struct gwp *p, const cJSON *o, const char *path,
    struct gw_grant_to *t)
{
	if (!cJSON_IsObject(o))
		return gwp_invalid(p, path, "expected an object");
	if (gwp_str_def(p, o, path, "group", "", &t->group) != 0 ||
	    gwp_str(p, o, path, "kind", 1, &t->kind) != 0 ||
	    gwp_str(p, o, path, "name", 0, &t->name) != 0)
		return -1;
	if (t->name != NULL && *t->name == '\0')
		t->name = NULL;
	return 0;
}

/* spec.from and spec.to of a ReferenceGrant (1..16 each). */
static int
gw_refgrant_lists(struct gwp *p, const cJSON *spec, struct gw_refgrant *g)
{
	const cJSON	*from, *to, *it;
	char		 buf[GWP_PATH_MAX];
	size_t		 i;

	if (gwp_arr(p, spec, "spec", "from", 16, &from, &g->nfrom) != 0 ||
	    gwp_arr(p, spec, "spec", "to", 16, &to, &g->nto) != 0)
		return -1;
	if (g->nfrom == 0)
		return gwp_invalid(p, "spec.from", "required");
	if (g->nto == 0)
		return gwp_invalid(p, "spec.to", "required");
	g->from = gw_arena_array(p->arena, g->nfrom, sizeof *g->from);
	g->to = gw_arena_array(p->arena, g->nto, sizeof *g->to);
	i = 0;
	cJSON_ArrayForEach(it, from) {
		gwp_index(buf, "spec", "from", i);
		if (gw_grant_from_parse(p, it, buf, &g->from[i++]) != 0)
			return -1;
	}
	i = 0;
	cJSON_ArrayForEach(it, to) {
		gwp_index(buf, "spec", "to", i);
		if (gw_grant_to_parse(p, it, buf, &g->to[i++]) != 0)
			return -1;
	}
	return 0;
}

/* Parse a ReferenceGrant. */
int
gw_refgrant_parse(const cJSON *obj, struct gw_refgrant **out, char **cause)
{
	struct gwp		 p;
	struct gw_refgrant	*g;
	const cJSON		*spec;

	*out = NULL;
	g = gwp_begin(&p, obj, UP_KIND_REFERENCEGRANT, 1, sizeof *g, cause);
	if (g == NULL)
		return -1;
	if (gwp_obj(&p, obj, "", "spec", &spec) != 0)
		return gwp_fail(&p);
	if (spec == NULL) {
		gwp_invalid(&p, "spec", "required");
		return gwp_fail(&p);
	}
	if (gw_refgrant_lists(&p, spec, g) != 0)
		return gwp_fail(&p);
	*out = g;
	return 0;
}

/* Free a ReferenceGrant. */
void
gw_refgrant_free(struct gw_refgrant *g)
{
	if (g != NULL)
		gw_arena_free(g->meta.arena);
}

/* Whether grant g permits the reference (see gwapi.h). */
int
gw_refgrant_permits(const struct gw_refgrant *g, const char *from_group,
    const char *from_kind, const char *from_ns, const char *to_group,
    const char *to_kind, const char *to_name)
{
	size_t	i;
	int	from_ok = 0;

	for (i = 0; i < g->nfrom && !from_ok; i++) {
		from_ok = strcmp(g->from[i].group, from_group) == 0 &&
		    strcmp(g->from[i].kind, from_kind) == 0 &&
		    strcmp(g->from[i].ns, from_ns) == 0;
	}
	if (!from_ok)
		return 0;
	for (i = 0; i < g->nto; i++) {
		if (strcmp(g->to[i].group, to_group) == 0 &&
		    strcmp(g->to[i].kind, to_kind) == 0 &&
		    (g->to[i].name == NULL ||
		    strcmp(g->to[i].name, to_name) == 0))
			return 1;
	}
	return 0;
}

/* A trimmed, non-empty annotation value copied, or NULL. */
static char *
gw_ann_trimmed(struct gwp *p, const char *key)
{
	const char	*v, *end;

	if ((v = gw_meta_annotation(p->meta, key)) == NULL)
		return NULL;
	while (isspace((unsigned char)*v))
		v++;
	end = v + strlen(v);
	while (end > v && isspace((unsigned char)end[-1]))
		end--;
	if (end == v)
		return NULL;
	return gw_arena_strndup(p->arena, v, (size_t)(end - v));
}

/* The legacy comma-separated port annotation of a ServiceExport. */
static void
gw_export_legacy_ports(struct gwp *p, struct gw_serviceexport *se)
{
	const char	*v, *s;
	char		*end;
	long		 n;

	if ((v = gw_meta_annotation(&se->meta, UP_ANN_PORT)) == NULL)
		return;
	for (s = v; *s != '\0'; s = *end == ',' ? end + 1 : end) {
		errno = 0;
		n = strtol(s, &end, 10);
		if (end == s || errno != 0 || n < 1 || n > 65535 ||
		    (*end != ',' && *end != '\0')) {
			gwp_ignored(p, "metadata.annotations[" UP_ANN_PORT "]",
			    "invalid port list \"%s\" ignored", v);
			se->nlegacy_ports = 0;
			return;
		}
		se->legacy_ports = gw_arena_realloc(p->arena, se->legacy_ports,
		    (se->nlegacy_ports + 1) * sizeof *se->legacy_ports);
		se->legacy_ports[se->nlegacy_ports++] = (int32_t)n;
	}
}

/* spec.exportedPorts of a ServiceExport. */
static int
gw_export_ports(struct gwp *p, const cJSON *spec, struct gw_serviceexport *se)
{
	static const char *const types[] = { "HTTP", "GRPC", "TLS", NULL };
	const cJSON	*arr, *it;
	char		 buf[GWP_PATH_MAX];
	size_t		 i = 0;
	int		 t;

	if (gwp_arr(p, spec, "spec", "exportedPorts", 0, &arr,
	    &se->nports) != 0)
		return -1;
	if (se->nports != 0)
		se->ports = gw_arena_array(p->arena, se->nports,
		    sizeof *se->ports);
	cJSON_ArrayForEach(it, arr) {
		gwp_index(buf, "spec", "exportedPorts", i);
		if (!cJSON_IsObject(it))
			return gwp_invalid(p, buf, "expected an object");
		if (gwp_i32(p, it, buf, "port", 1, 65535, 0,
		    &se->ports[i].port) != 0 ||
		    gwp_enum(p, it, buf, "routeType", types, -1, &t) != 0)
			return -1;
		if (se->ports[i].port == 0)
			return gwp_invalid(p, buf, "port: required");
		if (t < 0)
			return gwp_invalid(p, buf, "routeType: required");
		se->ports[i++].route_type = gw_arena_strdup(p->arena, types[t]);
	}
	return 0;
}

/* Parse a ServiceExport. */
int
gw_serviceexport_parse(const cJSON *obj, struct gw_serviceexport **out,
    char **cause)
{
	struct gwp		 p;
	struct gw_serviceexport	*se;
	const cJSON		*spec;
	const char		*fed;

	*out = NULL;
	se = gwp_begin(&p, obj, UP_KIND_SERVICEEXPORT, 1, sizeof *se, cause);
	if (se == NULL)
		return -1;
	if (gwp_obj(&p, obj, "", "spec", &spec) != 0 ||
	    gw_export_ports(&p, spec, se) != 0)
		return gwp_fail(&p);
	fed = gw_meta_annotation(&se->meta, UP_ANN_FEDERATION);
	se->federated = fed != NULL && strcmp(fed, UP_FEDERATION_VALUE) == 0;
	se->service_name = gw_ann_trimmed(&p, UP_ANN_SERVICE_NAME);
	gw_export_legacy_ports(&p, se);
	gwp_tags(&p, &se->tags, &se->ntags);
	*out = se;
	return 0;
}

/* Free a ServiceExport. */
void
gw_serviceexport_free(struct gw_serviceexport *se)
{
	if (se != NULL)
		gw_arena_free(se->meta.arena);
}

/* The "tg-..." id of a VPC Lattice target group ARN
 * (arn:partition:vpc-lattice:region:account:targetgroup/tg-<17>), or NULL. */
static char *
gw_tg_arn_id(struct gwp *p, const char *arn)
{
	const char	*f[6], *res;
	size_t		 nf = 1, i;

	f[0] = arn;
	for (i = 0; arn[i] != '\0' && nf < 6; i++) {
		if (arn[i] == ':')
			f[nf++] = arn + i + 1;
	}
	if (nf != 6 || strncmp(arn, "arn:", 4) != 0 ||
	    strncmp(f[2], "vpc-lattice:", 12) != 0)
		return NULL;
	res = f[5];
	if (strncmp(res, "targetgroup/tg-", 15) != 0 || strlen(res) != 32)
		return NULL;
	for (i = 15; i < 32; i++) {
		if (!((res[i] >= '0' && res[i] <= '9') ||
		    (res[i] >= 'a' && res[i] <= 'z')))
			return NULL;
	}
	return gw_arena_strdup(p->arena, res + 12);
}

/* ServiceImport annotations. */
static void
gw_import_annotations(struct gwp *p, struct gw_serviceimport *si)
{
	si->export_name = gw_ann_trimmed(p, UP_ANN_EXPORT_NAME);
	si->aws_vpc = gw_ann_trimmed(p, UP_ANN_AWS_VPC);
	si->eks_cluster = gw_ann_trimmed(p, UP_ANN_AWS_EKS_CLUSTER);
	si->target_group_arn = gw_ann_trimmed(p, UP_ANN_TARGET_GROUP_ARN);
	if (si->target_group_arn == NULL)
		return;
	si->conflicting =
	    gw_meta_annotation(&si->meta, UP_ANN_EXPORT_NAME) != NULL ||
	    gw_meta_annotation(&si->meta, UP_ANN_AWS_VPC) != NULL ||
	    gw_meta_annotation(&si->meta, UP_ANN_AWS_EKS_CLUSTER) != NULL;
	si->target_group_id = gw_tg_arn_id(p, si->target_group_arn);
	si->arn_invalid = si->target_group_id == NULL;
}

/* spec.ports of a ServiceImport. */
static int
gw_import_ports(struct gwp *p, const cJSON *spec, struct gw_serviceimport *si)
{
	const cJSON	*arr, *it;
	char		 buf[GWP_PATH_MAX];
	size_t		 i = 0;

	if (gwp_arr(p, spec, "spec", "ports", 0, &arr, &si->nports) != 0)
		return -1;
	if (si->nports != 0)
		si->ports = gw_arena_array(p->arena, si->nports,
		    sizeof *si->ports);
	cJSON_ArrayForEach(it, arr) {
		gwp_index(buf, "spec", "ports", i);
		if (!cJSON_IsObject(it))
			return gwp_invalid(p, buf, "expected an object");
		if (gwp_str(p, it, buf, "name", 0, &si->ports[i].name) != 0 ||
		    gwp_i32(p, it, buf, "port", 1, 65535, 0,
		    &si->ports[i].port) != 0 ||
		    gwp_str_def(p, it, buf, "protocol", "TCP",
		    &si->ports[i].protocol) != 0 ||
		    gwp_str(p, it, buf, "appProtocol", 0,
		    &si->ports[i].app_protocol) != 0)
			return -1;
		i++;
	}
	return 0;
}

/* Parse a ServiceImport. */
int
gw_serviceimport_parse(const cJSON *obj, struct gw_serviceimport **out,
    char **cause)
{
	static const char *const types[] = { "ClusterSetIP", "Headless",
	    NULL };
	struct gwp		 p;
	struct gw_serviceimport	*si;
	const cJSON		*spec;
	int			 t;

	*out = NULL;
	si = gwp_begin(&p, obj, UP_KIND_SERVICEIMPORT, 1, sizeof *si, cause);
	if (si == NULL)
		return -1;
	if (gwp_obj(&p, obj, "", "spec", &spec) != 0 ||
	    gwp_enum(&p, spec, "spec", "type", types, 0, &t) != 0 ||
	    gw_import_ports(&p, spec, si) != 0)
		return gwp_fail(&p);
	si->type = gw_arena_strdup(p.arena, types[t]);
	gw_import_annotations(&p, si);
	if (si->conflicting)
		gwp_problem(&p, "metadata.annotations[" UP_ANN_TARGET_GROUP_ARN
		    "]", "conflicting ServiceImport annotations: %s cannot be "
		    "combined with %s, %s or %s", UP_ANN_TARGET_GROUP_ARN,
		    UP_ANN_EXPORT_NAME, UP_ANN_AWS_VPC, UP_ANN_AWS_EKS_CLUSTER);
	else if (si->arn_invalid)
		gwp_problem(&p, "metadata.annotations[" UP_ANN_TARGET_GROUP_ARN
		    "]", "invalid external target group ARN \"%s\"",
		    si->target_group_arn);
	*out = si;
	return 0;
}

/* Free a ServiceImport. */
void
gw_serviceimport_free(struct gw_serviceimport *si)
{
	if (si != NULL)
		gw_arena_free(si->meta.arena);
}
