/* kube_resource: static descriptors of the kinds latticectl reads and
 * writes, and lookups by the names kubectl accepts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "latticectl/kube.h"
#include "latticectl/xmalloc.h"

#define GW	"gateway.networking.k8s.io"
#define ANK	"application-networking.k8s.aws"

const struct kube_resource KUBE_RES_NAMESPACES = {
	"", "v1", "namespaces", "Namespace", 0, "ns" };
const struct kube_resource KUBE_RES_SERVICES = {
	"", "v1", "services", "Service", 1, "svc" };
const struct kube_resource KUBE_RES_PODS = {
	"", "v1", "pods", "Pod", 1, "po" };
const struct kube_resource KUBE_RES_ENDPOINTSLICES = {
	"discovery.k8s.io", "v1", "endpointslices", "EndpointSlice", 1, NULL };
const struct kube_resource KUBE_RES_EVENTS = {
	"events.k8s.io", "v1", "events", "Event", 1, "ev" };
const struct kube_resource KUBE_RES_CORE_EVENTS = {
	"", "v1", "events", "Event", 1, "ev" };
const struct kube_resource KUBE_RES_LEASES = {
	"coordination.k8s.io", "v1", "leases", "Lease", 1, NULL };
const struct kube_resource KUBE_RES_SERVICEACCOUNTS = {
	"", "v1", "serviceaccounts", "ServiceAccount", 1, "sa" };
const struct kube_resource KUBE_RES_DEPLOYMENTS = {
	"apps", "v1", "deployments", "Deployment", 1, "deploy" };
const struct kube_resource KUBE_RES_CONFIGMAPS = {
	"", "v1", "configmaps", "ConfigMap", 1, "cm" };
const struct kube_resource KUBE_RES_SECRETS = {
	"", "v1", "secrets", "Secret", 1, NULL };
const struct kube_resource KUBE_RES_CRDS = {
	"apiextensions.k8s.io", "v1", "customresourcedefinitions",
	"CustomResourceDefinition", 0, "crd,crds" };
const struct kube_resource KUBE_RES_GATEWAYCLASSES = {
	GW, "v1", "gatewayclasses", "GatewayClass", 0, "gc" };
const struct kube_resource KUBE_RES_GATEWAYS = {
	GW, "v1", "gateways", "Gateway", 1, "gtw" };
const struct kube_resource KUBE_RES_HTTPROUTES = {
	GW, "v1", "httproutes", "HTTPRoute", 1, NULL };
const struct kube_resource KUBE_RES_GRPCROUTES = {
	GW, "v1", "grpcroutes", "GRPCRoute", 1, NULL };
const struct kube_resource KUBE_RES_TLSROUTES = {
	GW, "v1", "tlsroutes", "TLSRoute", 1, NULL };
const struct kube_resource KUBE_RES_REFERENCEGRANTS = {
	GW, "v1", "referencegrants", "ReferenceGrant", 1, "refgrant" };
const struct kube_resource KUBE_RES_SERVICEEXPORTS = {
	ANK, "v1alpha1", "serviceexports", "ServiceExport", 1, NULL };
const struct kube_resource KUBE_RES_SERVICEIMPORTS = {
	ANK, "v1alpha1", "serviceimports", "ServiceImport", 1, NULL };
const struct kube_resource KUBE_RES_TARGETGROUPPOLICIES = {
	ANK, "v1alpha1", "targetgrouppolicies", "TargetGroupPolicy", 1, "tgp" };
const struct kube_resource KUBE_RES_VPCASSOCIATIONPOLICIES = {
	ANK, "v1alpha1", "vpcassociationpolicies", "VpcAssociationPolicy", 1,
	"vap" };
const struct kube_resource KUBE_RES_ACCESSLOGPOLICIES = {
	ANK, "v1alpha1", "accesslogpolicies", "AccessLogPolicy", 1, "alp" };
const struct kube_resource KUBE_RES_IAMAUTHPOLICIES = {
	ANK, "v1alpha1", "iamauthpolicies", "IAMAuthPolicy", 1, "iap" };
const struct kube_resource KUBE_RES_SERVICENETWORKS = {
	ANK, "v1alpha1", "servicenetworks", "ServiceNetwork", 0, "sn" };

/* Core events come after events.k8s.io so "events" finds the newer API. */
static const struct kube_resource *const kube_resource_table[] = {
	&KUBE_RES_NAMESPACES, &KUBE_RES_SERVICES, &KUBE_RES_PODS,
	&KUBE_RES_ENDPOINTSLICES, &KUBE_RES_EVENTS, &KUBE_RES_CORE_EVENTS,
	&KUBE_RES_LEASES, &KUBE_RES_SERVICEACCOUNTS, &KUBE_RES_DEPLOYMENTS,
	&KUBE_RES_CONFIGMAPS, &KUBE_RES_SECRETS, &KUBE_RES_CRDS,
	&KUBE_RES_GATEWAYCLASSES, &KUBE_RES_GATEWAYS, &KUBE_RES_HTTPROUTES,
	&KUBE_RES_GRPCROUTES, &KUBE_RES_TLSROUTES, &KUBE_RES_REFERENCEGRANTS,
	&KUBE_RES_SERVICEEXPORTS, &KUBE_RES_SERVICEIMPORTS,
	&KUBE_RES_TARGETGROUPPOLICIES, &KUBE_RES_VPCASSOCIATIONPOLICIES,
	&KUBE_RES_ACCESSLOGPOLICIES, &KUBE_RES_IAMAUTHPOLICIES,
	&KUBE_RES_SERVICENETWORKS, NULL
};

/* Every descriptor, NULL-terminated. */
const struct kube_resource *const *
kube_resources(void)
{
	return kube_resource_table;
}

/* Whether name is one of the comma-separated short names. */
static int
kube_resource_short(const struct kube_resource *r, const char *name,
    size_t len)
{
	const char	*p, *end;

	if (r->short_names == NULL)
		return 0;
	for (p = r->short_names; *p != '\0'; p = *end == '\0' ? end : end + 1) {
		end = strchr(p, ',');
		if (end == NULL)
			end = p + strlen(p);
		if ((size_t)(end - p) == len && strncasecmp(p, name, len) == 0)
			return 1;
	}
	return 0;
}

/* Whether the first len bytes of name name r (plural, kind, short). */
static int
kube_resource_named(const struct kube_resource *r, const char *name,
    size_t len)
{
	if (strlen(r->resource) == len &&
	    strncasecmp(r->resource, name, len) == 0)
		return 1;
	if (strlen(r->kind) == len && strncasecmp(r->kind, name, len) == 0)
		return 1;
	return kube_resource_short(r, name, len);
}

/* Find a descriptor by plural, kind, singular or short name, maybe
 * qualified by a group after the first dot. */
const struct kube_resource *
kube_resource_find(const char *name)
{
	const struct kube_resource *const	*r;
	const char				*dot, *group = NULL;
	size_t					 len;

	if (name == NULL || *name == '\0')
		return NULL;
	dot = strchr(name, '.');
	len = dot != NULL ? (size_t)(dot - name) : strlen(name);
	if (dot != NULL)
		group = dot + 1;
	for (r = kube_resource_table; *r != NULL; r++) {
		if (group != NULL && strcasecmp((*r)->group, group) != 0)
			continue;
		if (kube_resource_named(*r, name, len))
			return *r;
	}
	return NULL;
}

/* "v1" or "group/version" (caller frees). */
char *
kube_api_version(const struct kube_resource *r)
{
	char	*s;

	if (*r->group == '\0')
		return xstrdup(r->version);
	xasprintf(&s, "%s/%s", r->group, r->version);
	return s;
}

/* "resource.group", or "resource" for the core group (caller frees). */
char *
kube_resource_fullname(const struct kube_resource *r)
{
	char	*s;

	if (*r->group == '\0')
		return xstrdup(r->resource);
	xasprintf(&s, "%s.%s", r->resource, r->group);
	return s;
}
