/* IAM client: managed policies, roles, attachments and OIDC providers
 * (query protocol, <member> lists, Marker/IsTruncated pages). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#define LOG_MODULE "iam"
#include "latticectl/http.h"
#include "latticectl/iam.h"
#include "latticectl/log.h"
#include "latticectl/xmalloc.h"

#include "aws_int.h"
#include "svcutil_int.h"

/* Upper bound on pages of one list call (a runaway server). */
#define IAM_MAX_PAGES 10000

/* Iterates the pages of one list call. */
struct iam_pager {
	const char		*op;
	struct aws_params	 base;
	int			 page_size;
	unsigned		 pages;
	char			*marker;	/* set by the page parser */
	char			*prev;
};

/* Name of a ListPolicies scope. */
const char *
iam_scope_name(enum iam_scope scope)
{
	switch (scope) {
	case IAM_SCOPE_AWS:
		return "AWS";
	case IAM_SCOPE_LOCAL:
		return "Local";
	default:
		return "All";
	}
}

/* Call op with p; *doc (may be NULL: freed) receives the response. */
static int
iam_call(struct aws *aws, const char *op, const struct aws_params *p,
    xmlDoc **doc, struct aws_error *err)
{
	xmlDoc	*d = NULL;

	if (aws_query_call(aws, "iam", op, IAM_API_VERSION, p, &d, err) != 0)
		return -1;
	if (doc != NULL)
		*doc = d;
	else
		xmlFreeDoc(d);
	return 0;
}

/* Call an op that takes one parameter and returns nothing of interest. */
static int
iam_call1(struct aws *aws, const char *op, const char *key,
    const char *value, struct aws_error *err)
{
	struct aws_params	 p = { NULL, NULL, 0, 0 };
	int			 rc;

	aws_params_add(&p, key, value);
	rc = iam_call(aws, op, &p, NULL, err);
	aws_params_free(&p);
	return rc;
}

/* Call an op with two parameters and no useful result. */
static int
iam_call2(struct aws *aws, const char *op, const char *k1, const char *v1,
    const char *k2, const char *v2, struct aws_error *err)
{
	struct aws_params	 p = { NULL, NULL, 0, 0 };
	int			 rc;

	aws_params_add(&p, k1, v1);
	aws_params_add(&p, k2, v2);
	rc = iam_call(aws, op, &p, NULL, err);
	aws_params_free(&p);
	return rc;
}

/* Fetch the next page: 1 with *doc, 0 after the last page, -1 on error. */
static int
iam_pager_next(struct aws *aws, struct iam_pager *pg, xmlDoc **doc,
    struct aws_error *err)
{
	struct aws_params	 p = { NULL, NULL, 0, 0 };
	size_t			 i;
	int			 rc;

	if (pg->pages > 0 && (pg->marker == NULL || *pg->marker == '\0'))
		return 0;
	if (pg->marker != NULL && pg->prev != NULL &&
	    strcmp(pg->marker, pg->prev) == 0)
		return svcutil_error(err, "iam", pg->op, "Marker repeated");
	if (pg->pages >= IAM_MAX_PAGES)
		return svcutil_error(err, "iam", pg->op, "too many pages");
	for (i = 0; i < pg->base.n; i++)
		aws_params_add(&p, pg->base.keys[i], pg->base.values[i]);
	if (pg->page_size > 0)
		aws_params_addf(&p, "MaxItems", "%d", pg->page_size);
	if (pg->marker != NULL)
		aws_params_add(&p, "Marker", pg->marker);
	rc = iam_call(aws, pg->op, &p, doc, err);
	aws_params_free(&p);
	if (rc != 0)
		return -1;
	if (aws_xml_result(*doc, pg->op) == NULL) {
		xmlFreeDoc(*doc);
		*doc = NULL;
		return svcutil_error(err, "iam", pg->op, "no <%sResult>",
		    pg->op);
	}
	free(pg->prev);
	pg->prev = pg->marker;
	pg->marker = NULL;
	pg->pages++;
	return 1;
}

/* Release the iteration state. */
static void
iam_pager_free(struct iam_pager *pg)
{
	aws_params_free(&pg->base);
	free(pg->marker);
	free(pg->prev);
}

/* Add Tags.member.N.Key / .Value. */
static void
iam_params_tags(struct aws_params *p, const struct aws_tags *tags)
{
	char	*key;
	size_t	 i;

	if (tags == NULL)
		return;
	for (i = 0; i < tags->n; i++) {
		xasprintf(&key, "Tags.member.%zu.Key", i + 1);
		aws_params_add(p, key, tags->keys[i]);
		free(key);
		xasprintf(&key, "Tags.member.%zu.Value", i + 1);
		aws_params_add(p, key, tags->values[i]);
		free(key);
	}
}

/* Add key=value when value is not NULL. */
static void
iam_param_opt(struct aws_params *p, const char *key, const char *value)
{
	if (value != NULL)
		aws_params_add(p, key, value);
}

/* A URL-decoded copy of the text at path, or NULL. */
static char *
iam_xml_document(xmlNode *from, const char *path)
{
	char	*raw, *doc;

	if ((raw = aws_xml_text(from, path)) == NULL)
		return NULL;
	doc = http_urldecode(raw);
	free(raw);
	return doc;
}

/* The result element of op and, for list ops, the next *marker. */
static xmlNode *
iam_result(xmlDoc *doc, const char *op, char **marker)
{
	xmlNode	*res;

	if (marker != NULL)
		*marker = NULL;
	if (doc == NULL || (res = aws_xml_result(doc, op)) == NULL)
		return NULL;
	if (marker != NULL && aws_xml_bool(res, "IsTruncated", 0)) {
		*marker = aws_xml_text(res, "Marker");
		if (*marker != NULL && **marker == '\0')
			xfree_ptr(marker);
	}
	return res;
}

/* Read a <Policy> element. */
static void
iam_policy_read(xmlNode *n, struct iam_policy *pol)
{
	pol->arn = aws_xml_text(n, "Arn");
	pol->name = aws_xml_text(n, "PolicyName");
	pol->id = aws_xml_text(n, "PolicyId");
	pol->path = aws_xml_text(n, "Path");
	pol->default_version_id = aws_xml_text(n, "DefaultVersionId");
	pol->description = aws_xml_text(n, "Description");
	pol->attachment_count = svcutil_xml_long(n, "AttachmentCount", 0);
	pol->is_attachable = aws_xml_bool(n, "IsAttachable", 1);
	svcutil_xml_time(n, "CreateDate", &pol->create_date);
	svcutil_xml_time(n, "UpdateDate", &pol->update_date);
}

/* Parse CreatePolicy / GetPolicy. */
int
iam_parse_policy(xmlDoc *doc, const char *op, struct iam_policy *pol)
{
	xmlNode	*res, *n;

	if ((res = iam_result(doc, op, NULL)) == NULL ||
	    (n = aws_xml_child(res, "Policy")) == NULL)
		return -1;
	iam_policy_read(n, pol);
	return 0;
}

/* Parse one ListPolicies page. */
int
iam_parse_policies(xmlDoc *doc, struct iam_policies *out, char **marker)
{
	xmlNode	*res, *set, *it;

	if ((res = iam_result(doc, "ListPolicies", marker)) == NULL)
		return -1;
	if ((set = aws_xml_child(res, "Policies")) == NULL)
		return 0;
	AWS_XML_FOREACH(it, set, "member") {
		out->v = svcutil_grow(out->v, out->n, sizeof *out->v);
		iam_policy_read(it, &out->v[out->n++]);
	}
	return 0;
}

/* Parse GetPolicyVersion. */
int
iam_parse_policy_version(xmlDoc *doc, struct iam_policy_version *pv)
{
	xmlNode	*res, *n;

	if ((res = iam_result(doc, "GetPolicyVersion", NULL)) == NULL ||
	    (n = aws_xml_child(res, "PolicyVersion")) == NULL)
		return -1;
	pv->version_id = aws_xml_text(n, "VersionId");
	pv->document = iam_xml_document(n, "Document");
	pv->is_default = aws_xml_bool(n, "IsDefaultVersion", 0);
	svcutil_xml_time(n, "CreateDate", &pv->create_date);
	return 0;
}

/* Parse CreateRole / GetRole. */
int
iam_parse_role(xmlDoc *doc, const char *op, struct iam_role *role)
{
	xmlNode	*res, *n;

	if ((res = iam_result(doc, op, NULL)) == NULL ||
	    (n = aws_xml_child(res, "Role")) == NULL)
		return -1;
	role->arn = aws_xml_text(n, "Arn");
	role->name = aws_xml_text(n, "RoleName");
	role->id = aws_xml_text(n, "RoleId");
	role->path = aws_xml_text(n, "Path");
	role->assume_role_policy_document = iam_xml_document(n,
	    "AssumeRolePolicyDocument");
	role->description = aws_xml_text(n, "Description");
	role->max_session_duration = svcutil_xml_long(n, "MaxSessionDuration",
	    0);
	svcutil_xml_time(n, "CreateDate", &role->create_date);
	return 0;
}

/* Parse one ListAttachedRolePolicies page. */
int
iam_parse_attached_policies(xmlDoc *doc, struct iam_attached_policies *out,
    char **marker)
{
	xmlNode	*res, *set, *it;

	if ((res = iam_result(doc, "ListAttachedRolePolicies", marker)) ==
	    NULL)
		return -1;
	if ((set = aws_xml_child(res, "AttachedPolicies")) == NULL)
		return 0;
	AWS_XML_FOREACH(it, set, "member") {
		out->v = svcutil_grow(out->v, out->n, sizeof *out->v);
		out->v[out->n].name = aws_xml_text(it, "PolicyName");
		out->v[out->n].arn = aws_xml_text(it, "PolicyArn");
		out->n++;
	}
	return 0;
}

/* Parse CreateOpenIDConnectProvider. */
int
iam_parse_oidc_arn(xmlDoc *doc, char **arn)
{
	xmlNode	*res;

	*arn = NULL;
	if ((res = iam_result(doc, "CreateOpenIDConnectProvider", NULL)) ==
	    NULL)
		return -1;
	*arn = aws_xml_text(res, "OpenIDConnectProviderArn");
	return *arn != NULL ? 0 : -1;
}

/* Parse GetOpenIDConnectProvider (the ARN is not in the response). */
int
iam_parse_oidc_provider(xmlDoc *doc, struct iam_oidc_provider *pr)
{
	xmlNode	*res;

	if ((res = iam_result(doc, "GetOpenIDConnectProvider", NULL)) == NULL)
		return -1;
	pr->url = aws_xml_text(res, "Url");
	svcutil_xml_strs(res, "ClientIDList", "member", &pr->client_ids,
	    &pr->n_client_ids);
	svcutil_xml_strs(res, "ThumbprintList", "member", &pr->thumbprints,
	    &pr->n_thumbprints);
	svcutil_xml_time(res, "CreateDate", &pr->create_date);
	svcutil_xml_tags(res, "Tags", "member", "Key", "Value", &pr->tags);
	return 0;
}

/* Parse ListOpenIDConnectProviders. */
int
iam_parse_oidc_providers(xmlDoc *doc, struct iam_oidc_providers *out)
{
	xmlNode	*res, *set, *it;

	if ((res = iam_result(doc, "ListOpenIDConnectProviders", NULL)) ==
	    NULL)
		return -1;
	if ((set = aws_xml_child(res, "OpenIDConnectProviderList")) == NULL)
		return 0;
	AWS_XML_FOREACH(it, set, "member") {
		out->v = svcutil_grow(out->v, out->n, sizeof *out->v);
		out->v[out->n++].arn = aws_xml_text(it, "Arn");
	}
	return 0;
}

/* Release a policy. */
void
iam_policy_clear(struct iam_policy *pol)
{
	free(pol->arn);
	free(pol->name);
	free(pol->id);
	free(pol->path);
	free(pol->default_version_id);
	free(pol->description);
	memset(pol, 0, sizeof *pol);
}

/* Release a policy list. */
void
iam_policies_free(struct iam_policies *l)
{
	size_t	i;

	for (i = 0; i < l->n; i++)
		iam_policy_clear(&l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

/* Release a policy version. */
void
iam_policy_version_clear(struct iam_policy_version *pv)
{
	free(pv->version_id);
	free(pv->document);
	memset(pv, 0, sizeof *pv);
}

/* Release a role. */
void
iam_role_clear(struct iam_role *role)
{
	free(role->arn);
	free(role->name);
	free(role->id);
	free(role->path);
	free(role->assume_role_policy_document);
	free(role->description);
	memset(role, 0, sizeof *role);
}

/* Release an attached policy list. */
void
iam_attached_policies_free(struct iam_attached_policies *l)
{
	size_t	i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].name);
		free(l->v[i].arn);
	}
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

/* Release an OIDC provider. */
void
iam_oidc_provider_clear(struct iam_oidc_provider *pr)
{
	free(pr->arn);
	free(pr->url);
	svcutil_strs_free(pr->client_ids, pr->n_client_ids);
	svcutil_strs_free(pr->thumbprints, pr->n_thumbprints);
	aws_tags_free(&pr->tags);
	memset(pr, 0, sizeof *pr);
}

/* Release an OIDC provider list. */
void
iam_oidc_providers_free(struct iam_oidc_providers *l)
{
	size_t	i;

	for (i = 0; i < l->n; i++)
		iam_oidc_provider_clear(&l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

/* Call op and parse its <Policy>. */
static int
iam_policy_call(struct aws *aws, const char *op, const struct aws_params *p,
    struct iam_policy *pol, struct aws_error *err)
{
	xmlDoc	*doc;
	int	 rc;

	if (iam_call(aws, op, p, &doc, err) != 0)
		return -1;
	rc = iam_parse_policy(doc, op, pol);
	xmlFreeDoc(doc);
	if (rc != 0)
		return svcutil_error(err, "iam", op, "no <Policy> in response");
	return 0;
}

/* Create a managed policy. */
int
iam_create_policy(struct aws *aws, const struct iam_policy_input *in,
    struct iam_policy *pol, struct aws_error *err)
{
	struct aws_params	 p = { NULL, NULL, 0, 0 };
	int			 rc;

	aws_params_add(&p, "PolicyName", in->name);
	iam_param_opt(&p, "Path", in->path);
	aws_params_add(&p, "PolicyDocument", in->document);
	iam_param_opt(&p, "Description", in->description);
	iam_params_tags(&p, in->tags);
	rc = iam_policy_call(aws, "CreatePolicy", &p, pol, err);
	aws_params_free(&p);
	if (rc == 0)
		log_debug("created policy %s", in->name);
	return rc;
}

/* Read a managed policy by ARN. */
int
iam_get_policy(struct aws *aws, const char *arn, struct iam_policy *pol,
    struct aws_error *err)
{
	struct aws_params	 p = { NULL, NULL, 0, 0 };
	int			 rc;

	aws_params_add(&p, "PolicyArn", arn);
	rc = iam_policy_call(aws, "GetPolicy", &p, pol, err);
	aws_params_free(&p);
	return rc;
}

/* List managed policies, every page. */
int
iam_list_policies(struct aws *aws, const struct iam_policy_query *q,
    struct iam_policies *out, struct aws_error *err)
{
	struct iam_pager	 pg;
	xmlDoc			*doc;
	int			 rc;

	memset(&pg, 0, sizeof pg);
	pg.op = "ListPolicies";
	if (q != NULL) {
		aws_params_add(&pg.base, "Scope", iam_scope_name(q->scope));
		if (q->only_attached)
			aws_params_add(&pg.base, "OnlyAttached", "true");
		iam_param_opt(&pg.base, "PathPrefix", q->path_prefix);
		pg.page_size = q->page_size;
	}
	while ((rc = iam_pager_next(aws, &pg, &doc, err)) == 1) {
		iam_parse_policies(doc, out, &pg.marker);
		xmlFreeDoc(doc);
	}
	iam_pager_free(&pg);
	return rc;
}

/* Delete a managed policy. */
int
iam_delete_policy(struct aws *aws, const char *arn, struct aws_error *err)
{
	if (iam_call1(aws, "DeletePolicy", "PolicyArn", arn, err) != 0)
		return -1;
	log_debug("deleted policy %s", arn);
	return 0;
}

/* Read one version of a managed policy. */
int
iam_get_policy_version(struct aws *aws, const char *arn,
    const char *version_id, struct iam_policy_version *pv,
    struct aws_error *err)
{
	struct aws_params	 p = { NULL, NULL, 0, 0 };
	xmlDoc			*doc;
	int			 rc;

	aws_params_add(&p, "PolicyArn", arn);
	aws_params_add(&p, "VersionId", version_id);
	rc = iam_call(aws, "GetPolicyVersion", &p, &doc, err);
	aws_params_free(&p);
	if (rc != 0)
		return -1;
	rc = iam_parse_policy_version(doc, pv);
	xmlFreeDoc(doc);
	if (rc != 0)
		return svcutil_error(err, "iam", "GetPolicyVersion",
		    "no <PolicyVersion> in response");
	return 0;
}

/* Call op and parse its <Role>. */
static int
iam_role_call(struct aws *aws, const char *op, const struct aws_params *p,
    struct iam_role *role, struct aws_error *err)
{
	xmlDoc	*doc;
	int	 rc;

	if (iam_call(aws, op, p, &doc, err) != 0)
		return -1;
	rc = iam_parse_role(doc, op, role);
	xmlFreeDoc(doc);
	if (rc != 0)
		return svcutil_error(err, "iam", op, "no <Role> in response");
	return 0;
}

/* Create a role with a trust policy. */
int
iam_create_role(struct aws *aws, const struct iam_role_input *in,
    struct iam_role *role, struct aws_error *err)
{
	struct aws_params	 p = { NULL, NULL, 0, 0 };
	int			 rc;

	iam_param_opt(&p, "Path", in->path);
	aws_params_add(&p, "RoleName", in->name);
	aws_params_add(&p, "AssumeRolePolicyDocument",
	    in->assume_role_policy_document);
	iam_param_opt(&p, "Description", in->description);
	if (in->max_session_duration > 0)
		aws_params_addf(&p, "MaxSessionDuration", "%ld",
		    in->max_session_duration);
	iam_param_opt(&p, "PermissionsBoundary", in->permissions_boundary);
	iam_params_tags(&p, in->tags);
	rc = iam_role_call(aws, "CreateRole", &p, role, err);
	aws_params_free(&p);
	if (rc == 0)
		log_debug("created role %s", in->name);
	return rc;
}

/* Read a role by name. */
int
iam_get_role(struct aws *aws, const char *name, struct iam_role *role,
    struct aws_error *err)
{
	struct aws_params	 p = { NULL, NULL, 0, 0 };
	int			 rc;

	aws_params_add(&p, "RoleName", name);
	rc = iam_role_call(aws, "GetRole", &p, role, err);
	aws_params_free(&p);
	return rc;
}

/* Delete a role (its policies must be detached first). */
int
iam_delete_role(struct aws *aws, const char *name, struct aws_error *err)
{
	if (iam_call1(aws, "DeleteRole", "RoleName", name, err) != 0)
		return -1;
	log_debug("deleted role %s", name);
	return 0;
}

/* Replace a role's trust policy. */
int
iam_update_assume_role_policy(struct aws *aws, const char *role,
    const char *document, struct aws_error *err)
{
	return iam_call2(aws, "UpdateAssumeRolePolicy", "RoleName", role,
	    "PolicyDocument", document, err);
}

/* Attach a managed policy to a role. */
int
iam_attach_role_policy(struct aws *aws, const char *role,
    const char *policy_arn, struct aws_error *err)
{
	return iam_call2(aws, "AttachRolePolicy", "RoleName", role,
	    "PolicyArn", policy_arn, err);
}

/* Detach a managed policy from a role. */
int
iam_detach_role_policy(struct aws *aws, const char *role,
    const char *policy_arn, struct aws_error *err)
{
	return iam_call2(aws, "DetachRolePolicy", "RoleName", role,
	    "PolicyArn", policy_arn, err);
}

/* List the managed policies attached to a role, every page. */
int
iam_list_attached_role_policies(struct aws *aws, const char *role,
    const char *path_prefix, int page_size,
    struct iam_attached_policies *out, struct aws_error *err)
{
	struct iam_pager	 pg;
	xmlDoc			*doc;
	int			 rc;

	memset(&pg, 0, sizeof pg);
	pg.op = "ListAttachedRolePolicies";
	pg.page_size = page_size;
	aws_params_add(&pg.base, "RoleName", role);
	iam_param_opt(&pg.base, "PathPrefix", path_prefix);
	while ((rc = iam_pager_next(aws, &pg, &doc, err)) == 1) {
		iam_parse_attached_policies(doc, out, &pg.marker);
		xmlFreeDoc(doc);
	}
	iam_pager_free(&pg);
	return rc;
}

/* Register an OpenID Connect provider. */
int
iam_create_oidc_provider(struct aws *aws, const struct iam_oidc_input *in,
    char **arn, struct aws_error *err)
{
	const char		*op = "CreateOpenIDConnectProvider";
	struct aws_params	 p = { NULL, NULL, 0, 0 };
	xmlDoc			*doc;
	int			 rc;

	aws_params_add(&p, "Url", in->url);
	svcutil_params_list(&p, "ClientIDList.member", in->client_ids,
	    in->n_client_ids);
	svcutil_params_list(&p, "ThumbprintList.member", in->thumbprints,
	    in->n_thumbprints);
	iam_params_tags(&p, in->tags);
	rc = iam_call(aws, op, &p, &doc, err);
	aws_params_free(&p);
	if (rc != 0)
		return -1;
	rc = iam_parse_oidc_arn(doc, arn);
	xmlFreeDoc(doc);
	if (rc != 0)
		return svcutil_error(err, "iam", op, "no provider ARN");
	log_debug("created OIDC provider %s", *arn);
	return 0;
}

/* Read an OpenID Connect provider. */
int
iam_get_oidc_provider(struct aws *aws, const char *arn,
    struct iam_oidc_provider *pr, struct aws_error *err)
{
	const char		*op = "GetOpenIDConnectProvider";
	struct aws_params	 p = { NULL, NULL, 0, 0 };
	xmlDoc			*doc;
	int			 rc;

	aws_params_add(&p, "OpenIDConnectProviderArn", arn);
	rc = iam_call(aws, op, &p, &doc, err);
	aws_params_free(&p);
	if (rc != 0)
		return -1;
	rc = iam_parse_oidc_provider(doc, pr);
	xmlFreeDoc(doc);
	if (rc != 0)
		return svcutil_error(err, "iam", op, "no <%sResult>", op);
	pr->arn = xstrdup(arn);
	return 0;
}

/* List every OpenID Connect provider (ARNs only; not paginated). */
int
iam_list_oidc_providers(struct aws *aws, struct iam_oidc_providers *out,
    struct aws_error *err)
{
	const char		*op = "ListOpenIDConnectProviders";
	struct aws_params	 p = { NULL, NULL, 0, 0 };
	xmlDoc			*doc;
	int			 rc;

	if (iam_call(aws, op, &p, &doc, err) != 0)
		return -1;
	rc = iam_parse_oidc_providers(doc, out);
	xmlFreeDoc(doc);
	if (rc != 0)
		return svcutil_error(err, "iam", op, "no <%sResult>", op);
	return 0;
}

/* Delete an OpenID Connect provider. */
int
iam_delete_oidc_provider(struct aws *aws, const char *arn,
    struct aws_error *err)
{
	if (iam_call1(aws, "DeleteOpenIDConnectProvider",
	    "OpenIDConnectProviderArn", arn, err) != 0)
		return -1;
	log_debug("deleted OIDC provider %s", arn);
	return 0;
}
