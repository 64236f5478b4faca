/* gwapi: TargetGroupPolicy, VpcAssociationPolicy, AccessLogPolicy and
 * IAMAuthPolicy typed views. */
#include <stdlib.h>
#include <string.h>

#include "gwapi_int.h"

/* Begin a policy parse: metadata, spec and targetRef. */
static void *
gw_policy_begin(struct gwp *p, const cJSON *obj, const char *kind,
    size_t size, const cJSON **spec, struct gw_target_ref *(*ref)(void *),
    char **cause)
{
	void	*pol;

	if ((pol = gwp_begin(p, obj, kind, 1, size, cause)) == NULL)
		return NULL;
	if (gwp_obj(p, obj, "", "spec", spec) != 0)
		goto fail;
	if (*spec == NULL) {
		gwp_invalid(p, "spec", "required");
		goto fail;
	}
	if (gwp_target_ref(p, *spec, ref(pol)) != 0)
		goto fail;
	return pol;
fail:
	gwp_fail(p);
	return NULL;
}

/* Note a targetRef kind the policy cannot attach to. */
static void
gw_policy_kinds(struct gwp *p, const struct gw_target_ref *t,
    const char *const *kinds)
{
	size_t	i;

	for (i = 0; kinds[i] != NULL; i++) {
		if (strcmp(t->kind, kinds[i]) == 0)
			return;
	}
	gwp_problem(p, "spec.targetRef.kind", "unsupported value \"%s\"",
	    t->kind);
}

/* The targetRef of a TargetGroupPolicy (accessor for gw_policy_begin). */
static struct gw_target_ref *
gw_tgp_ref(void *v)
{
	return &((struct gw_tgpolicy *)v)->target;
}

/* The targetRef of a VpcAssociationPolicy. */
static struct gw_target_ref *
gw_vap_ref(void *v)
{
	return &((struct gw_vapolicy *)v)->target;
}

/* The targetRef of an AccessLogPolicy. */
static struct gw_target_ref *
gw_alp_ref(void *v)
{
	return &((struct gw_alpolicy *)v)->target;
}

/* The targetRef of an IAMAuthPolicy. */
static struct gw_target_ref *
gw_iap_ref(void *v)
{
	return &((struct gw_iampolicy *)v)->target;
}

/* A TargetGroupPolicy's healthCheck block (ranges from the CRD). */
static int
gw_health_check(struct gwp *p, const cJSON *hc, struct gw_health_check *h)
{
	static const char *const protos[] = { "HTTP", "HTTPS", NULL };
	static const char *const versions[] = { "HTTP1", "HTTP2", NULL };
	const char	*b = "spec.healthCheck";
	int		 pi, vi;

	if (gwp_bool(p, hc, b, "enabled", &h->has_enabled, &h->enabled) != 0 ||
	    gwp_i32(p, hc, b, "intervalSeconds", 5, 300, 0, &h->interval) != 0 ||
	    gwp_i32(p, hc, b, "timeoutSeconds", 1, 120, 0, &h->timeout) != 0 ||
	    gwp_i32(p, hc, b, "healthyThresholdCount", 2, 10, 0,
	    &h->healthy) != 0 ||
	    gwp_i32(p, hc, b, "unhealthyThresholdCount", 2, 10, 0,
	    &h->unhealthy) != 0 ||
	    gwp_i32(p, hc, b, "port", 1, 65535, 0, &h->port) != 0 ||
	    gwp_str(p, hc, b, "path", 0, &h->path) != 0 ||
	    gwp_str(p, hc, b, "statusMatch", 0, &h->status_match) != 0 ||
	    gwp_enum(p, hc, b, "protocol", protos, -1, &pi) != 0 ||
	    gwp_enum(p, hc, b, "protocolVersion", versions, -1, &vi) != 0)
		return -1;
	if (pi >= 0)
		h->protocol = gw_arena_strdup(p->arena, protos[pi]);
	if (vi >= 0)
		h->protocol_version = gw_arena_strdup(p->arena, versions[vi]);
	return 0;
}

/* A string member that, when set, must be one of values (a problem). */
static int
gw_policy_choice(struct gwp *p, const cJSON *spec, const char *key,
    const char *const *values, char **out)
{
	char	buf[GWP_PATH_MAX];
	size_t	i;

	if (gwp_str(p, spec, "spec", key, 0, out) != 0)
		return -1;
	if (*out == NULL)
		return 0;
	for (i = 0; values[i] != NULL; i++) {
		if (strcmp(values[i], *out) == 0)
			return 0;
	}
	gwp_problem(p, gwp_join(buf, "spec", key), "unsupported value \"%s\"",
	    *out);
	return 0;
}

/* Parse a TargetGroupPolicy. */
int
gw_tgpolicy_parse(const cJSON *obj, struct gw_tgpolicy **out, char **cause)
{
	static const char *const kinds[] = { UP_KIND_SERVICE,
	    UP_KIND_SERVICEEXPORT, NULL };
	static const char *const protos[] = { "HTTP", "HTTPS", "TCP", NULL };
	static const char *const versions[] = { "HTTP1", "HTTP2", "GRPC",
	    NULL };
	struct gwp		 p;
	struct gw_tgpolicy	*t;
	const cJSON		*spec, *hc;

	*out = NULL;
	t = gw_policy_begin(&p, obj, UP_KIND_TGP, sizeof *t, &spec,
	    gw_tgp_ref, cause);
	if (t == NULL)
		return -1;
	if (gw_policy_choice(&p, spec, "protocol", protos, &t->protocol) != 0 ||
	    gw_policy_choice(&p, spec, "protocolVersion", versions,
	    &t->protocol_version) != 0 ||
	    gwp_obj(&p, spec, "spec", "healthCheck", &hc) != 0)
		return gwp_fail(&p);
	if (hc != NULL) {
		t->has_health_check = 1;
		if (gw_health_check(&p, hc, &t->health_check) != 0)
			return gwp_fail(&p);
	}
	gw_policy_kinds(&p, &t->target, kinds);
	*out = t;
	return 0;
}

/* Parse a VpcAssociationPolicy. */
int
gw_vapolicy_parse(const cJSON *obj, struct gw_vapolicy **out, char **cause)
{
	static const char *const kinds[] = { UP_KIND_GATEWAY, NULL };
	struct gwp		 p;
	struct gw_vapolicy	*v;
	const cJSON		*spec;
	int			 has;

	*out = NULL;
	v = gw_policy_begin(&p, obj, UP_KIND_VAP, sizeof *v, &spec,
	    gw_vap_ref, cause);
	if (v == NULL)
		return -1;
	if (gwp_bool(&p, spec, "spec", "associateWithVpc", &has,
	    &v->associate) != 0 ||
	    gwp_strv(&p, spec, "spec", "securityGroupIds", 0,
	    &v->security_groups, &v->nsecurity_groups) != 0)
		return gwp_fail(&p);
	if (!has)
		v->associate = 1;
	gw_policy_kinds(&p, &v->target, kinds);
	*out = v;
	return 0;
}

/* Parse an AccessLogPolicy. */
int
gw_alpolicy_parse(const cJSON *obj, struct gw_alpolicy **out, char **cause)
{
	static const char *const kinds[] = { UP_KIND_GATEWAY,
	    UP_KIND_HTTPROUTE, UP_KIND_GRPCROUTE, UP_KIND_TLSROUTE, NULL };
	struct gwp		 p;
	struct gw_alpolicy	*a;
	const cJSON		*spec;

	*out = NULL;
	a = gw_policy_begin(&p, obj, UP_KIND_ALP, sizeof *a, &spec,
	    gw_alp_ref, cause);
	if (a == NULL)
		return -1;
	if (gwp_str(&p, spec, "spec", "destinationArn", 1,
	    &a->destination_arn) != 0)
		return gwp_fail(&p);
	if (strncmp(a->destination_arn, "arn:", 4) != 0) {
		gwp_invalid(&p, "spec.destinationArn", "not an ARN: \"%s\"",
		    a->destination_arn);
		return gwp_fail(&p);
	}
	gw_policy_kinds(&p, &a->target, kinds);
	if (strcmp(a->target.ns, a->meta.ns) != 0)
		gwp_problem(&p, "spec.targetRef.namespace", "must be the "
		    "policy's namespace \"%s\"", a->meta.ns);
	*out = a;
	return 0;
}

/* Parse an IAMAuthPolicy. */
int
gw_iampolicy_parse(const cJSON *obj, struct gw_iampolicy **out, char **cause)
{
	static const char *const kinds[] = { UP_KIND_GATEWAY,
	    UP_KIND_HTTPROUTE, UP_KIND_GRPCROUTE, NULL };
	struct gwp		 p;
	struct gw_iampolicy	*i;
	const cJSON		*spec;

	*out = NULL;
	i = gw_policy_begin(&p, obj, UP_KIND_IAP, sizeof *i, &spec,
	    gw_iap_ref, cause);
	if (i == NULL)
		return -1;
	if (gwp_str(&p, spec, "spec", "policy", 1, &i->policy) != 0)
		return gwp_fail(&p);
	gw_policy_kinds(&p, &i->target, kinds);
	*out = i;
	return 0;
}

/* Free a TargetGroupPolicy. */
void
gw_tgpolicy_free(struct gw_tgpolicy *t)
{
	if (t != NULL)
		gw_arena_free(t->meta.arena);
}

/* Free a VpcAssociationPolicy. */
void
gw_vapolicy_free(struct gw_vapolicy *v)
{
	if (v != NULL)
		gw_arena_free(v->meta.arena);
}

/* Free an AccessLogPolicy. */
void
gw_alpolicy_free(struct gw_alpolicy *a)
{
	if (a != NULL)
		gw_arena_free(a->meta.arena);
}

/* Free an IAMAuthPolicy. */
void
gw_iampolicy_free(struct gw_iampolicy *i)
{
	if (i != NULL)
		gw_arena_free(i->meta.arena);
}
