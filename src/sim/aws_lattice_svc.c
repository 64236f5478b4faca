/* Simulated VPC Lattice: services, service networks and their service and
 * VPC associations. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/json.h"
#include "latticectl/sigv4.h"
#include "latticectl/xmalloc.h"

#include "aws_lattice_int.h"

static const char *const lat_auth_types[] = { "NONE", "AWS_IAM", NULL };

static const char *const svc_create_m[] = { "id", "arn", "name",
	"customDomainName", "certificateArn", "status", "authType",
	"dnsEntry", NULL };
static const char *const svc_get_m[] = { "id", "name", "arn", "createdAt",
	"lastUpdatedAt", "dnsEntry", "customDomainName", "certificateArn",
	"status", "authType", "failureCode", "failureMessage", NULL };
static const char *const svc_sum_m[] = { "id", "name", "arn", "createdAt",
	"lastUpdatedAt", "dnsEntry", "customDomainName", "status", NULL };
static const char *const svc_upd_m[] = { "id", "arn", "name",
	"customDomainName", "certificateArn", "authType", NULL };
static const char *const svc_del_m[] = { "id", "arn", "name", "status",
	NULL };

static const char *const sn_create_m[] = { "id", "name", "arn",
	"sharingConfig", "authType", NULL };
static const char *const sn_get_m[] = { "id", "name", "createdAt",
	"lastUpdatedAt", "arn", "authType", "sharingConfig",
	"numberOfAssociatedVPCs", "numberOfAssociatedServices", NULL };
static const char *const sn_sum_m[] = { "id", "name", "arn", "createdAt",
	"lastUpdatedAt", "numberOfAssociatedVPCs",
	"numberOfAssociatedServices",
	"numberOfAssociatedResourceConfigurations", NULL };
static const char *const sn_upd_m[] = { "id", "name", "arn", "authType",
	NULL };

static const char *const snsa_create_m[] = { "id", "status", "arn",
	"createdBy", "customDomainName", "dnsEntry", NULL };
static const char *const snsa_get_m[] = { "id", "status", "arn",
	"createdBy", "createdAt", "serviceId", "serviceName", "serviceArn",
	"serviceNetworkId", "serviceNetworkName", "serviceNetworkArn",
	"dnsEntry", "customDomainName", "failureMessage", "failureCode",
	NULL };
static const char *const snsa_sum_m[] = { "id", "status", "arn",
	"createdBy", "createdAt", "serviceId", "serviceName", "serviceArn",
	"serviceNetworkId", "serviceNetworkName", "serviceNetworkArn",
	"dnsEntry", "customDomainName", NULL };
static const char *const assoc_del_m[] = { "id", "status", "arn", NULL };

static const char *const snva_create_m[] = { "id", "status", "arn",
	"createdBy", "securityGroupIds", "privateDnsEnabled", "dnsOptions",
	NULL };
static const char *const snva_get_m[] = { "id", "status", "arn",
	"createdBy", "createdAt", "serviceNetworkId", "serviceNetworkName",
	"serviceNetworkArn", "vpcId", "securityGroupIds", "privateDnsEnabled",
	"failureMessage", "failureCode", "lastUpdatedAt", "dnsOptions", NULL };
static const char *const snva_sum_m[] = { "id", "arn", "status",
	"createdBy", "createdAt", "serviceNetworkId", "serviceNetworkName",
	"serviceNetworkArn", "privateDnsEnabled", "dnsOptions", "vpcId",
	"lastUpdatedAt", NULL };
static const char *const snva_upd_m[] = { "id", "arn", "status",
	"createdBy", "securityGroupIds", NULL };

/* The authType of a service or service network ("NONE" by default). */
const char *
lat_auth_type(const cJSON *rec)
{
	const char	*a = json_str(rec, "authType");

	return a != NULL ? a : "NONE";
}

/* A service as CreateService returns it. */
static cJSON *
svc_render_create(struct lat *l, const cJSON *rec)
{
	(void)l;
	return lat_pick(rec, svc_create_m);
}

/* A service as GetService returns it. */
static cJSON *
svc_render_get(struct lat *l, const cJSON *rec)
{
	(void)l;
	return lat_pick(rec, svc_get_m);
}

/* A service as a ListServices item. */
static cJSON *
svc_render_sum(struct lat *l, const cJSON *rec)
{
	(void)l;
	return lat_pick(rec, svc_sum_m);
}

/* The service's DNS entry: NAME-ID.HASH.vpc-lattice-svcs.REGION.on.aws. */
static cJSON *
svc_dns_entry(struct lat *l, const char *name, const char *id)
{
	const char	*acct = sim_aws_account(l->sim);
	const char	*region = sim_aws_region(l->sim);
	char		 h[65], zone[15], *dn;
	cJSON		*dns;
	int		 i;

	sigv4_sha256_hex(acct, strlen(acct), h);
	xasprintf(&dn, "%s-%s.%.7s.vpc-lattice-svcs.%s.on.aws", name,
	    id + 4, h, region);
	sigv4_sha256_hex(region, strlen(region), h);
	zone[0] = 'Z';
	for (i = 0; i < 13; i++)
		zone[i + 1] = "0123456789ABCDEFGHIJKLMNOPQRSTUV"[
		    (unsigned char)h[i * 2] % 32];
	zone[14] = '\0';
	dns = cJSON_CreateObject();
	cJSON_AddStringToObject(dns, "domainName", dn);
	cJSON_AddStringToObject(dns, "hostedZoneId", zone);
	free(dn);
	return dns;
}

/* Is a name already used by a record of the kind? */
static cJSON *
lat_by_name(struct lat *l, enum lat_kind k, const char *name)
{
	cJSON	*rec;

	cJSON_ArrayForEach(rec, lat_array(l, k)) {
		if (json_str(rec, "name") != NULL &&
		    strcmp(lat_s(rec, "name"), name) == 0)
			return rec;
	}
	return NULL;
}

/* POST /services */
static void
lat_create_service(struct lat *l)
{
	struct lat_v	 v;
	const char	*name, *auth, *cdn, *cert;
	cJSON		*rec, *dup;

	lat_v_init(&v);
	name = lat_v_str(&v, l->body, "name", "name", 0, 4096, 1);
	lat_v_name(&v, LK_SERVICE, name);
	auth = lat_v_enum(&v, l->body, "authType", "authType", lat_auth_types,
	    0);
	cdn = lat_v_str(&v, l->body, "customDomainName", "customDomainName",
	    3, 255, 0);
	cert = lat_v_str(&v, l->body, "certificateArn", "certificateArn", 0,
	    2048, 0);
	lat_v_tags(&v, cJSON_GetObjectItemCaseSensitive(l->body, "tags"),
	    "tags");
	if (lat_v_done(l, &v) != 0 ||
	    lat_idem_check(l, LK_SERVICE, svc_render_create))
		return;
	if ((dup = lat_by_name(l, LK_SERVICE, name)) != NULL) {
		lat_conflict(l, LK_SERVICE, lat_id(dup), "A service with the "
		    "name %s already exists", name);
		return;
	}
	if (lat_count(l, LK_SERVICE, NULL, NULL) >=
	    sim_aws_opts(l->sim)->quotas.services || !lat_room(l)) {
		lat_quota(l, LK_SERVICE, NULL, "L-SIM-SERVICES", "Services per "
		    "Region quota exceeded");
		return;
	}
	rec = lat_new_record(l, LK_SERVICE, NULL, name);
	cJSON_AddStringToObject(rec, "authType", auth != NULL ? auth : "NONE");
	json_add_str_opt(rec, "customDomainName", cdn);
	json_add_str_opt(rec, "certificateArn", cert);
	cJSON_AddItemToObject(rec, "dnsEntry", svc_dns_entry(l, name,
	    lat_id(rec)));
	lat_set_tags(rec, cJSON_GetObjectItemCaseSensitive(l->body, "tags"));
	lat_idem_store(l, rec);
	lat_ok(l, svc_render_create(l, rec));
}

/* GET /services/{serviceIdentifier} */
static void
lat_get_service(struct lat *l)
{
	cJSON	*rec;

	rec = lat_resolve(l, LK_SERVICE, l->seg[0], "serviceIdentifier");
	if (rec != NULL)
		lat_ok(l, svc_render_get(l, rec));
}

/* GET /services */
static void
lat_list_services(struct lat *l)
{
	lat_page(l, lat_array(l, LK_SERVICE), NULL, NULL, svc_render_sum);
}

/* PATCH /services/{serviceIdentifier} */
static void
lat_update_service(struct lat *l)
{
	struct lat_v	 v;
	const char	*auth, *cert;
	cJSON		*rec;

	if ((rec = lat_resolve(l, LK_SERVICE, l->seg[0],
	    "serviceIdentifier")) == NULL)
		return;
	lat_v_init(&v);
	auth = lat_v_enum(&v, l->body, "authType", "authType", lat_auth_types,
	    0);
	cert = lat_v_str(&v, l->body, "certificateArn", "certificateArn", 0,
	    2048, 0);
	if (lat_v_done(l, &v) != 0)
		return;
	if (lat_deleting(rec)) {
		lat_conflict(l, LK_SERVICE, lat_id(rec), "Service %s is being "
		    "deleted", lat_id(rec));
		return;
	}
	if (auth != NULL) {
		cJSON_DeleteItemFromObjectCaseSensitive(rec, "authType");
		cJSON_AddStringToObject(rec, "authType", auth);
	}
	if (cert != NULL) {
		cJSON_DeleteItemFromObjectCaseSensitive(rec, "certificateArn");
		cJSON_AddStringToObject(rec, "certificateArn", cert);
	}
	lat_touch(l, rec);
	lat_ok(l, lat_pick(rec, svc_upd_m));
}

/* Is any association (SNSA) pointing at this service? */
static cJSON *
svc_association(struct lat *l, const char *svc_id)
{
	cJSON	*a;

	cJSON_ArrayForEach(a, lat_array(l, LK_SNSA)) {
		if (strcmp(lat_s(a, "serviceId"), svc_id) == 0)
			return a;
	}
	return NULL;
}

/* DELETE /services/{serviceIdentifier} */
static void
lat_delete_service(struct lat *l)
{
	cJSON	*rec, *out, *a;

	if ((rec = lat_resolve(l, LK_SERVICE, l->seg[0],
	    "serviceIdentifier")) == NULL)
		return;
	if (!lat_deleting(rec) &&
	    (a = svc_association(l, lat_id(rec))) != NULL) {
		lat_conflict(l, LK_SERVICE, lat_id(rec), "Service %s can't be "
		    "deleted while it is associated with service network %s",
		    lat_id(rec), json_str(a, "serviceNetworkId"));
		return;
	}
	out = lat_pick(rec, svc_del_m);
	cJSON_DeleteItemFromObjectCaseSensitive(out, "status");
	cJSON_AddStringToObject(out, "status", "DELETE_IN_PROGRESS");
	lat_delete_service_children(l, lat_id(rec));
	lat_delete(l, LK_SERVICE, rec);
	lat_ok(l, out);
}

/* Refresh a service network's association counts. */
static void
sn_refresh(struct lat *l, cJSON *rec)
{
	const char	*id = lat_id(rec);

	cJSON_DeleteItemFromObjectCaseSensitive(rec,
	    "numberOfAssociatedVPCs");
	cJSON_DeleteItemFromObjectCaseSensitive(rec,
	    "numberOfAssociatedServices");
	cJSON_AddNumberToObject(rec, "numberOfAssociatedVPCs",
	    (double)lat_count(l, LK_SNVA, "serviceNetworkId", id));
	cJSON_AddNumberToObject(rec, "numberOfAssociatedServices",
	    (double)lat_count(l, LK_SNSA, "serviceNetworkId", id));
}

/* A service network as CreateServiceNetwork returns it. */
static cJSON *
sn_render_create(struct lat *l, const cJSON *rec)
{
	(void)l;
	return lat_pick(rec, sn_create_m);
}

/* A service network as a ListServiceNetworks item. */
static cJSON *
sn_render_sum(struct lat *l, const cJSON *rec)
{
	sn_refresh(l, (cJSON *)rec);
	return lat_pick(rec, sn_sum_m);
}

/* POST /servicenetworks */
static void
lat_create_sn(struct lat *l)
{
	struct lat_v	 v;
	const char	*name, *auth;
	const cJSON	*sharing;
	cJSON		*rec, *dup;

	lat_v_init(&v);
	name = lat_v_str(&v, l->body, "name", "name", 0, 4096, 1);
	lat_v_name(&v, LK_SN, name);
	auth = lat_v_enum(&v, l->body, "authType", "authType", lat_auth_types,
	    0);
	sharing = cJSON_GetObjectItemCaseSensitive(l->body, "sharingConfig");
	if (sharing != NULL)
		lat_v_bool(&v, sharing, "enabled", "sharingConfig.enabled");
	lat_v_tags(&v, cJSON_GetObjectItemCaseSensitive(l->body, "tags"),
	    "tags");
	if (lat_v_done(l, &v) != 0 ||
	    lat_idem_check(l, LK_SN, sn_render_create))
		return;
	if ((dup = lat_by_name(l, LK_SN, name)) != NULL) {
		lat_conflict(l, LK_SN, lat_id(dup), "A service network with "
		    "the name %s already exists", name);
		return;
	}
	if (lat_count(l, LK_SN, NULL, NULL) >=
	    sim_aws_opts(l->sim)->quotas.service_networks || !lat_room(l)) {
		lat_quota(l, LK_SN, NULL, "L-SIM-SERVICE-NETWORKS", "Service "
		    "networks per Region quota exceeded");
		return;
	}
	rec = lat_new_record(l, LK_SN, NULL, name);
	cJSON_AddStringToObject(rec, "authType", auth != NULL ? auth : "NONE");
	if (cJSON_IsObject(sharing))
		cJSON_AddItemToObject(rec, "sharingConfig",
		    cJSON_Duplicate(sharing, 1));
	lat_set_tags(rec, cJSON_GetObjectItemCaseSensitive(l->body, "tags"));
	lat_idem_store(l, rec);
	lat_ok(l, sn_render_create(l, rec));
}

/* GET /servicenetworks/{serviceNetworkIdentifier} */
static void
lat_get_sn(struct lat *l)
{
	cJSON	*rec;

	rec = lat_resolve(l, LK_SN, l->seg[0], "serviceNetworkIdentifier");
	if (rec == NULL)
		return;
	sn_refresh(l, rec);
	lat_ok(l, lat_pick(rec, sn_get_m));
}

/* GET /servicenetworks */
static void
lat_list_sns(struct lat *l)
{
	lat_page(l, lat_array(l, LK_SN), NULL, NULL, sn_render_sum);
}

/* PATCH /servicenetworks/{serviceNetworkIdentifier} */
static void
lat_update_sn(struct lat *l)
{
	struct lat_v	 v;
	const char	*auth;
	cJSON		*rec;

	if ((rec = lat_resolve(l, LK_SN, l->seg[0],
	    "serviceNetworkIdentifier")) == NULL)
		return;
	lat_v_init(&v);
	auth = lat_v_enum(&v, l->body, "authType", "authType", lat_auth_types,
	    1);
	if (lat_v_done(l, &v) != 0)
		return;
	cJSON_DeleteItemFromObjectCaseSensitive(rec, "authType");
	cJSON_AddStringToObject(rec, "authType", auth);
	lat_touch(l, rec);
	lat_ok(l, lat_pick(rec, sn_upd_m));
}

/* DELETE /servicenetworks/{serviceNetworkIdentifier} */
static void
lat_delete_sn(struct lat *l)
{
	cJSON	*rec;
	size_t	 nsvc, nvpc;

	if ((rec = lat_resolve(l, LK_SN, l->seg[0],
	    "serviceNetworkIdentifier")) == NULL)
		return;
	nsvc = lat_count(l, LK_SNSA, "serviceNetworkId", lat_id(rec));
	nvpc = lat_count(l, LK_SNVA, "serviceNetworkId", lat_id(rec));
	if (nsvc > 0 || nvpc > 0) {
		lat_conflict(l, LK_SN, lat_id(rec), "Service network %s still "
		    "has %zu service and %zu VPC associations", lat_id(rec),
		    nsvc, nvpc);
		return;
	}
	lat_delete(l, LK_SN, rec);
	lat_ok(l, NULL);
}

/* A service association as its create returns it. */
static cJSON *
snsa_render_create(struct lat *l, const cJSON *rec)
{
	(void)l;
	return lat_pick(rec, snsa_create_m);
}

/* A service association as a list item. */
static cJSON *
snsa_render_sum(struct lat *l, const cJSON *rec)
{
	(void)l;
	return lat_pick(rec, snsa_sum_m);
}

/* Copy the service network's id, name and ARN into an association. */
static void
assoc_set_sn(struct lat *l, cJSON *rec, const cJSON *sn)
{
	cJSON_AddStringToObject(rec, "serviceNetworkId", lat_id(sn));
	cJSON_AddStringToObject(rec, "serviceNetworkName",
	    json_str(sn, "name"));
	cJSON_AddStringToObject(rec, "serviceNetworkArn", json_str(sn, "arn"));
	cJSON_AddStringToObject(rec, "createdBy", sim_aws_account(l->sim));
}

/* Is the association count of a service network at its quota? */
static int
sn_assoc_full(struct lat *l, enum lat_kind k, const cJSON *sn)
{
	if (lat_count(l, k, "serviceNetworkId", lat_id(sn)) <
	    sim_aws_opts(l->sim)->quotas.associations_per_sn && lat_room(l))
		return 0;
	lat_quota(l, LK_SN, lat_id(sn), k == LK_SNSA ? "L-SIM-SN-SERVICES" :
	    "L-SIM-SN-VPCS", "%s associations per service network quota "
	    "exceeded", k == LK_SNSA ? "Service" : "VPC");
	return 1;
}

/* POST /servicenetworkserviceassociations */
static void
lat_create_snsa(struct lat *l)
{
	struct lat_v	 v;
	const char	*svc_ident, *sn_ident;
	cJSON		*svc, *sn, *rec, *a;

	lat_v_init(&v);
	svc_ident = lat_v_str(&v, l->body, "serviceIdentifier",
	    "serviceIdentifier", 17, 2048, 1);
	lat_v_ident(&v, LK_SERVICE, svc_ident, "serviceIdentifier");
	sn_ident = lat_v_str(&v, l->body, "serviceNetworkIdentifier",
	    "serviceNetworkIdentifier", 3, 2048, 1);
	lat_v_ident(&v, LK_SN, sn_ident, "serviceNetworkIdentifier");
	lat_v_tags(&v, cJSON_GetObjectItemCaseSensitive(l->body, "tags"),
	    "tags");
	if (lat_v_done(l, &v) != 0 ||
	    lat_idem_check(l, LK_SNSA, snsa_render_create))
		return;
	if ((svc = lat_resolve(l, LK_SERVICE, svc_ident,
	    "serviceIdentifier")) == NULL ||
	    (sn = lat_resolve(l, LK_SN, sn_ident,
	    "serviceNetworkIdentifier")) == NULL)
		return;
	cJSON_ArrayForEach(a, lat_array(l, LK_SNSA)) {
		if (strcmp(lat_s(a, "serviceId"), lat_id(svc)) == 0 &&
		    strcmp(lat_s(a, "serviceNetworkId"), lat_id(sn)) == 0) {
			lat_conflict(l, LK_SNSA, lat_id(a), "Service %s is "
			    "already associated with service network %s%s",
			    lat_id(svc), lat_id(sn), lat_deleting(a) ?
			    " (disassociation in progress)" : "");
			return;
		}
	}
	if (lat_deleting(svc)) {
		lat_conflict(l, LK_SERVICE, lat_id(svc), "Service %s is being "
		    "deleted", lat_id(svc));
		return;
	}
	if (sn_assoc_full(l, LK_SNSA, sn))
		return;
	rec = lat_new_record(l, LK_SNSA, NULL, NULL);
	cJSON_AddStringToObject(rec, "serviceId", lat_id(svc));
	cJSON_AddStringToObject(rec, "serviceName", json_str(svc, "name"));
	cJSON_AddStringToObject(rec, "serviceArn", json_str(svc, "arn"));
	assoc_set_sn(l, rec, sn);
	json_add_str_opt(rec, "customDomainName",
	    json_str(svc, "customDomainName"));
	cJSON_AddItemToObject(rec, "dnsEntry", cJSON_Duplicate(
	    cJSON_GetObjectItemCaseSensitive(svc, "dnsEntry"), 1));
	lat_set_tags(rec, cJSON_GetObjectItemCaseSensitive(l->body, "tags"));
	lat_idem_store(l, rec);
	lat_ok(l, snsa_render_create(l, rec));
}

/* GET /servicenetworkserviceassociations/{id} */
static void
lat_get_snsa(struct lat *l)
{
	cJSON	*rec;

	rec = lat_resolve(l, LK_SNSA, l->seg[0],
	    "serviceNetworkServiceAssociationIdentifier");
	if (rec != NULL)
		lat_ok(l, lat_pick(rec, snsa_get_m));
}

/* Does rec's <what>Id or <what>Arn equal ident (NULL matches)? */
static int
assoc_matches(const cJSON *rec, const char *what, const char *ident)
{
	char		 key[64];
	const char	*v;

	if (ident == NULL)
		return 1;
	snprintf(key, sizeof key, "%s%s", what, strncmp(ident, "arn:", 4) ==
	    0 ? "Arn" : "Id");
	v = json_str(rec, key);
	return v != NULL && strcmp(v, ident) == 0;
}

/* Filter for ListServiceNetworkServiceAssociations. */
static int
snsa_filter(struct lat *l, const cJSON *rec, void *ctx)
{
	(void)ctx;
	return assoc_matches(rec, "serviceNetwork",
	    lat_qparam(l, "serviceNetworkIdentifier")) &&
	    assoc_matches(rec, "service", lat_qparam(l, "serviceIdentifier"));
}

/* GET /servicenetworkserviceassociations */
static void
lat_list_snsas(struct lat *l)
{
	lat_page(l, lat_array(l, LK_SNSA), snsa_filter, NULL,
	    snsa_render_sum);
}

/* DELETE an association (SNSA or SNVA): 200 with DELETE_IN_PROGRESS. */
static void
lat_delete_assoc(struct lat *l, enum lat_kind k, const char *field)
{
	cJSON	*rec, *out;

	if ((rec = lat_resolve(l, k, l->seg[0], field)) == NULL)
		return;
	out = lat_pick(rec, assoc_del_m);
	cJSON_DeleteItemFromObjectCaseSensitive(out, "status");
	cJSON_AddStringToObject(out, "status", "DELETE_IN_PROGRESS");
	lat_delete(l, k, rec);
	lat_ok(l, out);
}

/* DELETE /servicenetworkserviceassociations/{id} */
static void
lat_delete_snsa(struct lat *l)
{
	lat_delete_assoc(l, LK_SNSA,
	    "serviceNetworkServiceAssociationIdentifier");
}

/* Is s "sg-" + 8 or 17 [0-9a-z]? */
static int
lat_sg_valid(const char *s)
{
	size_t	n;

	if (strncmp(s, "sg-", 3) != 0)
		return 0;
	n = strspn(s + 3, "abcdefghijklmnopqrstuvwxyz0123456789");
	return s[3 + n] == '\0' && (n == 8 || n == 17);
}

/* Validate securityGroupIds (min..5 sg ids). */
static void
lat_v_sgs(struct lat_v *v, const cJSON *sgs, int min)
{
	const cJSON	*sg;
	int		 n;

	if (sgs == NULL) {
		if (min > 0)
			lat_v_add(v, "securityGroupIds", "Member must not be "
			    "null");
		return;
	}
	n = cJSON_GetArraySize(sgs);
	if (!cJSON_IsArray(sgs) || n < min || n > 5) {
		lat_v_add(v, "securityGroupIds", "Member must have length "
		    "between %d and 5", min);
		return;
	}
	cJSON_ArrayForEach(sg, sgs) {
		if (!cJSON_IsString(sg) || !lat_sg_valid(sg->valuestring)) {
			lat_v_add(v, "securityGroupIds", "Member must satisfy "
			    "regular expression pattern: "
			    "sg-(([0-9a-z]{8})|([0-9a-z]{17}))");
			return;
		}
	}
}

/* A VPC association as its create returns it. */
static cJSON *
snva_render_create(struct lat *l, const cJSON *rec)
{
	(void)l;
	return lat_pick(rec, snva_create_m);
}

/* A VPC association as a list item. */
static cJSON *
snva_render_sum(struct lat *l, const cJSON *rec)
{
	(void)l;
	return lat_pick(rec, snva_sum_m);
}

/* Validate the CreateServiceNetworkVpcAssociation body. */
static int
snva_validate(struct lat *l, const char **sn_ident, const char **vpc)
{
	struct lat_v	v;

	lat_v_init(&v);
	*sn_ident = lat_v_str(&v, l->body, "serviceNetworkIdentifier",
	    "serviceNetworkIdentifier", 3, 2048, 1);
	lat_v_ident(&v, LK_SN, *sn_ident, "serviceNetworkIdentifier");
	*vpc = lat_v_str(&v, l->body, "vpcIdentifier", "vpcIdentifier", 5, 50,
	    1);
	if (*vpc != NULL && !lat_v_vpc(*vpc))
		lat_v_add(&v, "vpcIdentifier", "Member must satisfy regular "
		    "expression pattern: vpc-(([0-9a-z]{8})|([0-9a-z]{17}))");
	lat_v_sgs(&v, cJSON_GetObjectItemCaseSensitive(l->body,
	    "securityGroupIds"), 0);
	lat_v_bool(&v, l->body, "privateDnsEnabled", "privateDnsEnabled");
	lat_v_tags(&v, cJSON_GetObjectItemCaseSensitive(l->body, "tags"),
	    "tags");
	return lat_v_done(l, &v);
}

/* POST /servicenetworkvpcassociations */
static void
lat_create_snva(struct lat *l)
{
	const char	*sn_ident, *vpc;
	const cJSON	*sgs, *dns, *pdns;
	cJSON		*sn, *rec, *a;

	if (snva_validate(l, &sn_ident, &vpc) != 0 ||
	    lat_idem_check(l, LK_SNVA, snva_render_create))
		return;
	if ((sn = lat_resolve(l, LK_SN, sn_ident,
	    "serviceNetworkIdentifier")) == NULL)
		return;
	cJSON_ArrayForEach(a, lat_array(l, LK_SNVA)) {
		if (strcmp(lat_s(a, "vpcId"), vpc) == 0) {
			lat_conflict(l, LK_SNVA, lat_id(a), "VPC %s is already "
			    "associated with service network %s", vpc,
			    json_str(a, "serviceNetworkId"));
			return;
		}
	}
	if (sn_assoc_full(l, LK_SNVA, sn))
		return;
	rec = lat_new_record(l, LK_SNVA, NULL, NULL);
	assoc_set_sn(l, rec, sn);
	cJSON_AddStringToObject(rec, "vpcId", vpc);
	if ((sgs = cJSON_GetObjectItemCaseSensitive(l->body,
	    "securityGroupIds")) != NULL)
		cJSON_AddItemToObject(rec, "securityGroupIds",
		    cJSON_Duplicate(sgs, 1));
	if ((pdns = cJSON_GetObjectItemCaseSensitive(l->body,
	    "privateDnsEnabled")) != NULL)
		cJSON_AddItemToObject(rec, "privateDnsEnabled",
		    cJSON_Duplicate(pdns, 1));
	if (cJSON_IsObject(dns = cJSON_GetObjectItemCaseSensitive(l->body,
	    "dnsOptions")))
		cJSON_AddItemToObject(rec, "dnsOptions",
		    cJSON_Duplicate(dns, 1));
	lat_set_tags(rec, cJSON_GetObjectItemCaseSensitive(l->body, "tags"));
	lat_idem_store(l, rec);
	lat_ok(l, snva_render_create(l, rec));
}

/* GET /servicenetworkvpcassociations/{id} */
static void
lat_get_snva(struct lat *l)
{
	cJSON	*rec;

	rec = lat_resolve(l, LK_SNVA, l->seg[0],
	    "serviceNetworkVpcAssociationIdentifier");
	if (rec != NULL)
		lat_ok(l, lat_pick(rec, snva_get_m));
}

/* Filter for ListServiceNetworkVpcAssociations. */
static int
snva_filter(struct lat *l, const cJSON *rec, void *ctx)
{
	const char	*vpc = lat_qparam(l, "vpcIdentifier");

	(void)ctx;
	return assoc_matches(rec, "serviceNetwork",
	    lat_qparam(l, "serviceNetworkIdentifier")) &&
	    (vpc == NULL || strcmp(lat_s(rec, "vpcId"), vpc) == 0);
}

/* GET /servicenetworkvpcassociations */
static void
lat_list_snvas(struct lat *l)
{
	lat_page(l, lat_array(l, LK_SNVA), snva_filter, NULL,
	    snva_render_sum);
}

/* PATCH /servicenetworkvpcassociations/{id} */
static void
lat_update_snva(struct lat *l)
{
	struct lat_v	 v;
	cJSON		*rec;
	const cJSON	*sgs;

	if ((rec = lat_resolve(l, LK_SNVA, l->seg[0],
	    "serviceNetworkVpcAssociationIdentifier")) == NULL)
		return;
	lat_v_init(&v);
	sgs = cJSON_GetObjectItemCaseSensitive(l->body, "securityGroupIds");
	lat_v_sgs(&v, sgs, 1);
	if (lat_v_done(l, &v) != 0)
		return;
	if (lat_deleting(rec)) {
		lat_conflict(l, LK_SNVA, lat_id(rec), "Association %s is being "
		    "deleted", lat_id(rec));
		return;
	}
	cJSON_DeleteItemFromObjectCaseSensitive(rec, "securityGroupIds");
	cJSON_AddItemToObject(rec, "securityGroupIds", cJSON_Duplicate(sgs, 1));
	lat_touch(l, rec);
	lat_ok(l, lat_pick(rec, snva_upd_m));
}

/* DELETE /servicenetworkvpcassociations/{id} */
static void
lat_delete_snva(struct lat *l)
{
	lat_delete_assoc(l, LK_SNVA, "serviceNetworkVpcAssociationIdentifier");
}

const struct lat_route lat_routes_svc[] = {
	{ "POST", "/services", "CreateService", 201, lat_create_service },
	{ "GET", "/services", "ListServices", 200, lat_list_services },
	{ "GET", "/services/{}", "GetService", 200, lat_get_service },
	{ "PATCH", "/services/{}", "UpdateService", 200, lat_update_service },
	{ "DELETE", "/services/{}", "DeleteService", 200, lat_delete_service },
	{ "POST", "/servicenetworks", "CreateServiceNetwork", 201,
	    lat_create_sn },
	{ "GET", "/servicenetworks", "ListServiceNetworks", 200,
	    lat_list_sns },
	{ "GET", "/servicenetworks/{}", "GetServiceNetwork", 200, lat_get_sn },
	{ "PATCH", "/servicenetworks/{}", "UpdateServiceNetwork", 200,
	    lat_update_sn },
	{ "DELETE", "/servicenetworks/{}", "DeleteServiceNetwork", 204,
	    lat_delete_sn },
	{ "POST", "/servicenetworkserviceassociations",
	    "CreateServiceNetworkServiceAssociation", 200, lat_create_snsa },
	{ "GET", "/servicenetworkserviceassociations",
	    "ListServiceNetworkServiceAssociations", 200, lat_list_snsas },
	{ "GET", "/servicenetworkserviceassociations/{}",
	    "GetServiceNetworkServiceAssociation", 200, lat_get_snsa },
	{ "DELETE", "/servicenetworkserviceassociations/{}",
	    "DeleteServiceNetworkServiceAssociation", 200, lat_delete_snsa },
	{ "POST", "/servicenetworkvpcassociations",
	    "CreateServiceNetworkVpcAssociation", 200, lat_create_snva },
	{ "GET", "/servicenetworkvpcassociations",
	    "ListServiceNetworkVpcAssociations", 200, lat_list_snvas },
	{ "GET", "/servicenetworkvpcassociations/{}",
	    "GetServiceNetworkVpcAssociation", 200, lat_get_snva },
	{ "PATCH", "/servicenetworkvpcassociations/{}",
	    "UpdateServiceNetworkVpcAssociation", 200, lat_update_snva },
	{ "DELETE", "/servicenetworkvpcassociations/{}",
	    "DeleteServiceNetworkVpcAssociation", 200, lat_delete_snva },
	{ NULL, NULL, NULL, 0, NULL }
};
