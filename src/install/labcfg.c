/* lab.yaml: defaults, the field table and the parser (labcfg_check.c
 * validates, labcfg_yaml.c renders and writes --init). */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/error.h"
#include "latticectl/install.h"
#include "latticectl/xmalloc.h"
#include "latticectl/yaml.h"

#include "labcfg_int.h"

#define LF_OFF(m)	offsetof(struct lab_config, m)

static const struct lab_field lf_vpc[] = {
	{ "id", LF_STR, LF_OFF(cluster.vpc_id), NULL, NULL },
	{ "name", LF_STR, LF_OFF(cluster.vpc_name), NULL, NULL },
	{ NULL, 0, 0, NULL, NULL }
};

static const struct lab_field lf_subnets[] = {
	{ "public", LF_STRV, LF_OFF(cluster.public_subnets), NULL, NULL },
	{ "private", LF_STRV, LF_OFF(cluster.private_subnets), NULL, NULL },
	{ NULL, 0, 0, NULL, NULL }
};

static const struct lab_field lf_nodegroup[] = {
	{ "name", LF_STR, LF_OFF(nodegroup.name), NULL, NULL },
	{ "instanceType", LF_STR, LF_OFF(nodegroup.instance_type), NULL,
	    NULL },
	{ "minSize", LF_INT, LF_OFF(nodegroup.min_size), NULL, NULL },
	{ "maxSize", LF_INT, LF_OFF(nodegroup.max_size), NULL, NULL },
	{ "desiredCapacity", LF_INT, LF_OFF(nodegroup.desired_size), NULL,
	    NULL },
	{ "volumeSize", LF_INT, LF_OFF(nodegroup.volume_size), NULL, NULL },
	{ "roleName", LF_STR, LF_OFF(nodegroup.role_name), NULL, NULL },
	{ "labels", LF_MAP, LF_OFF(nodegroup.labels), NULL, NULL },
	{ "tags", LF_MAP, LF_OFF(nodegroup.tags), NULL, NULL },
	{ NULL, 0, 0, NULL, NULL }
};

static const struct lab_field lf_cluster[] = {
	{ "name", LF_STR, LF_OFF(cluster.name), NULL, NULL },
	{ "version", LF_STR, LF_OFF(cluster.version), NULL, NULL },
	{ "manage", LF_BOOL, LF_OFF(cluster.manage), NULL, NULL },
	{ "roleName", LF_STR, LF_OFF(cluster.role_name), NULL, NULL },
	{ "vpc", LF_OBJ, 0, lf_vpc, NULL },
	{ "subnets", LF_OBJ, 0, lf_subnets, NULL },
	{ "logging", LF_STRV, LF_OFF(cluster.logging), NULL, NULL },
	{ "nodegroup", LF_OBJ, 0, lf_nodegroup, NULL },
	{ NULL, 0, 0, NULL, NULL }
};

static const struct lab_field lf_iam[] = {
	{ "policyName", LF_STR, LF_OFF(policy_name), NULL, NULL },
	{ "roleName", LF_STR, LF_OFF(role_name), NULL, NULL },
	{ NULL, 0, 0, NULL, NULL }
};

static const struct lab_field lf_controller[] = {
	{ "mode", LF_ENUM, LF_OFF(controller.mode), NULL, labcfg_parse_mode },
	{ "chart", LF_STR, LF_OFF(controller.chart), NULL, NULL },
	{ "chartVersion", LF_STR, LF_OFF(controller.chart_version), NULL,
	    NULL },
	{ "release", LF_STR, LF_OFF(controller.release), NULL, NULL },
	{ "manifest", LF_STR, LF_OFF(controller.manifest), NULL, NULL },
	{ "image", LF_STR, LF_OFF(controller.image), NULL, NULL },
	{ "defaultServiceNetwork", LF_STR, LF_OFF(controller.default_sn),
	    NULL, NULL },
	{ "replicas", LF_INT, LF_OFF(controller.replicas), NULL, NULL },
	{ NULL, 0, 0, NULL, NULL }
};

static const struct lab_field lf_top[] = {
	{ "apiVersion", LF_IGNORE, 0, NULL, NULL },
	{ "kind", LF_IGNORE, 0, NULL, NULL },
	{ "region", LF_STR, LF_OFF(region), NULL, NULL },
	{ "accountId", LF_STR, LF_OFF(account_id), NULL, NULL },
	{ "kubeconfig", LF_STR, LF_OFF(kubeconfig), NULL, NULL },
	{ "cluster", LF_OBJ, 0, lf_cluster, NULL },
	{ "iam", LF_OBJ, 0, lf_iam, NULL },
	{ "identity", LF_ENUM, LF_OFF(identity), NULL,
	    labcfg_parse_identity },
	{ "namespace", LF_STR, LF_OFF(ns), NULL, NULL },
	{ "serviceAccount", LF_STR, LF_OFF(service_account), NULL, NULL },
	{ "controller", LF_OBJ, 0, lf_controller, NULL },
	{ "logLevel", LF_STR, LF_OFF(log_level), NULL, NULL },
	{ "gatewayClass", LF_STR, LF_OFF(gatewayclass), NULL, NULL },
	{ NULL, 0, 0, NULL, NULL }
};

/* The top-level field table (for the renderer). */
const struct lab_field *
labcfg_fields(void)
{
	return lf_top;
}

/* Replace a string list with copies of v. */
void
labcfg_strv_set(struct lab_strv *s, const char *const *v, size_t n)
{
	size_t	i;

	labcfg_strv_free(s);
	s->v = xcalloc(n + 1, sizeof *s->v);
	for (i = 0; i < n; i++)
		s->v[i] = xstrdup(v[i]);
	s->n = n;
}

/* Append a copy of one string. */
void
labcfg_strv_add(struct lab_strv *s, const char *str)
{
	s->v = xreallocarray(s->v, s->n + 2, sizeof *s->v);
	s->v[s->n++] = xstrdup(str);
	s->v[s->n] = NULL;
}

/* Free a string list. */
void
labcfg_strv_free(struct lab_strv *s)
{
	size_t	i;

	for (i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	s->v = NULL;
	s->n = 0;
}

/* "helm", "manifests", "latticectl". */
const char *
lab_mode_name(enum lab_mode m)
{
	switch (m) {
	case LAB_MODE_MANIFESTS:
		return "manifests";
	case LAB_MODE_LATTICECTL:
		return "latticectl";
	default:
		return "helm";
	}
}

/* Parse a controller mode; -1 when unknown. */
int
lab_mode_parse(const char *s, enum lab_mode *m)
{
	if (strcmp(s, "helm") == 0)
		*m = LAB_MODE_HELM;
	else if (strcmp(s, "manifests") == 0)
		*m = LAB_MODE_MANIFESTS;
	else if (strcmp(s, "latticectl") == 0)
		*m = LAB_MODE_LATTICECTL;
	else
		return -1;
	return 0;
}

/* LF_ENUM parser for controller.mode. */
int
labcfg_parse_mode(const char *s, int *out, char **cause)
{
	enum lab_mode	m;

	if (lab_mode_parse(s, &m) != 0)
		return error_set(cause, "unknown mode '%s' (helm, manifests, "
		    "latticectl)", s);
	*out = (int)m;
	return 0;
}

/* LF_ENUM parser for identity. */
int
labcfg_parse_identity(const char *s, int *out, char **cause)
{
	if (strcmp(s, "irsa") == 0)
		*out = LAB_IDENTITY_IRSA;
	else if (strcmp(s, "pod-identity") == 0)
		*out = LAB_IDENTITY_POD_IDENTITY;
	else
		return error_set(cause, "unknown identity '%s' (irsa, "
		    "pod-identity)", s);
	return 0;
}

/* A config holding the lab's defaults. */
struct lab_config *
lab_config_new(void)
{
	static const char *const logs[] = { "api", "audit", "authenticator",
	    "controllerManager", "scheduler" };
	struct lab_config	*c;

	c = xcalloc(1, sizeof *c);
	c->cluster.name = xstrdup(LAB_DEFAULT_CLUSTER);
	c->cluster.version = xstrdup(LAB_DEFAULT_VERSION);
	c->cluster.manage = 1;
	labcfg_strv_set(&c->cluster.logging, logs, 5);
	c->nodegroup.name = xstrdup(LAB_DEFAULT_NODEGROUP);
	c->nodegroup.instance_type = xstrdup(LAB_DEFAULT_INSTANCE);
	c->nodegroup.min_size = c->nodegroup.max_size =
	    c->nodegroup.desired_size = 3;
	c->nodegroup.volume_size = 20;
	aws_tags_set(&c->nodegroup.labels, "nodegroup-type",
	    "managed-backend-workloads");
	aws_tags_set(&c->nodegroup.tags, "nodegroup-role", "workshop");
	c->policy_name = xstrdup(LAB_DEFAULT_POLICY);
	c->role_name = xstrdup(LAB_DEFAULT_ROLE);
	c->ns = xstrdup(LAB_DEFAULT_NAMESPACE);
	c->service_account = xstrdup(LAB_DEFAULT_SA);
	c->controller.chart = xstrdup(LAB_DEFAULT_CHART);
	c->controller.chart_version = xstrdup(LAB_DEFAULT_CHART_VERSION);
	c->controller.release = xstrdup(LAB_DEFAULT_RELEASE);
	c->controller.image = xstrdup(LAB_DEFAULT_IMAGE);
	c->controller.replicas = 2;
	c->log_level = xstrdup("info");
	c->gatewayclass = xstrdup(LAB_DEFAULT_GATEWAYCLASS);
	return c;
}

/* Fill the defaults that depend on other fields (role names from the
 * cluster name, the lab's VPC and subnet Name tags). */
void
labcfg_finish(struct lab_config *c)
{
	static const char *const kinds[] = { "Public", "Private" };
	struct lab_strv	*lists[2];
	char		*s;
	int		 i, k;

	if (c->cluster.role_name == NULL && c->cluster.name != NULL)
		xasprintf(&c->cluster.role_name, "%s-eks-cluster-role",
		    c->cluster.name);
	if (c->nodegroup.role_name == NULL && c->cluster.name != NULL)
		xasprintf(&c->nodegroup.role_name, "%s-eks-node-role",
		    c->cluster.name);
	if (c->cluster.vpc_id == NULL && c->cluster.vpc_name == NULL)
		c->cluster.vpc_name = xstrdup(LAB_DEFAULT_VPC_NAME);
	lists[0] = &c->cluster.public_subnets;
	lists[1] = &c->cluster.private_subnets;
	if (lists[0]->n != 0 || lists[1]->n != 0)
		return;
	for (k = 0; k < 2; k++) {
		for (i = 1; i <= 3; i++) {
			xasprintf(&s, "%s-%sSubnet0%d", LAB_DEFAULT_SUBNET_TAG,
			    kinds[k], i);
			labcfg_strv_add(lists[k], s);
			free(s);
		}
	}
}

/* Free a config. */
void
lab_config_free(struct lab_config *c)
{
	if (c == NULL)
		return;
	free(c->region);
	free(c->account_id);
	free(c->kubeconfig);
	free(c->cluster.name);
	free(c->cluster.version);
	free(c->cluster.role_name);
	free(c->cluster.vpc_id);
	free(c->cluster.vpc_name);
	labcfg_strv_free(&c->cluster.public_subnets);
	labcfg_strv_free(&c->cluster.private_subnets);
	labcfg_strv_free(&c->cluster.logging);
	free(c->nodegroup.name);
	free(c->nodegroup.instance_type);
	free(c->nodegroup.role_name);
	aws_tags_free(&c->nodegroup.labels);
	aws_tags_free(&c->nodegroup.tags);
	free(c->policy_name);
	free(c->role_name);
	free(c->ns);
	free(c->service_account);
	free(c->controller.chart);
	free(c->controller.chart_version);
	free(c->controller.release);
	free(c->controller.manifest);
	free(c->controller.image);
	free(c->controller.default_sn);
	free(c->log_level);
	free(c->gatewayclass);
	free(c);
}

/* "a.b" from a parent path and a key (caller frees). */
static char *
lf_path(const char *parent, const char *key)
{
	char	*p;

	if (parent == NULL || *parent == '\0')
		return xstrdup(key);
	xasprintf(&p, "%s.%s", parent, key);
	return p;
}

/* The JSON type in words, for messages. */
static const char *
lf_type_word(const cJSON *v)
{
	if (cJSON_IsString(v))
		return "a string";
	if (cJSON_IsNumber(v))
		return "a number";
	if (cJSON_IsBool(v))
		return "a boolean";
	if (cJSON_IsArray(v))
		return "a list";
	if (cJSON_IsObject(v))
		return "a mapping";
	return "null";
}

/* Store a string value (null clears it). */
static int
lf_str(char **dst, const cJSON *v, const char *path, char **cause)
{
	if (cJSON_IsNull(v)) {
		xfree_ptr(dst);
		return 0;
	}
	if (cJSON_IsNumber(v) && strcmp(path, "cluster.version") == 0)
		return error_set(cause, "%s: write the version as a string "
		    "(\"1.33\"): a YAML number drops trailing zeros", path);
	if (cJSON_IsNumber(v) && strcmp(path, "accountId") == 0)
		return error_set(cause, "%s: write the account as a quoted "
		    "string (\"123456789012\"): a number loses leading zeros",
		    path);
	if (!cJSON_IsString(v))
		return error_set(cause, "%s: must be a string, not %s", path,
		    lf_type_word(v));
	free(*dst);
	*dst = xstrdup(v->valuestring);
	return 0;
}

/* Store an integer value. */
static int
lf_int(int *dst, const cJSON *v, const char *path, char **cause)
{
	double	d;

	if (!cJSON_IsNumber(v))
		return error_set(cause, "%s: must be an integer, not %s",
		    path, lf_type_word(v));
	d = v->valuedouble;
	if (d != (double)(long)d || d < -1e6 || d > 1e6)
		return error_set(cause, "%s: must be an integer from "
		    "-1000000 to 1000000", path);
	*dst = (int)d;
	return 0;
}

/* Store a list of strings (null: empty). */
static int
lf_strv(struct lab_strv *dst, const cJSON *v, const char *path,
    char **cause)
{
	const cJSON	*e;
	size_t		 i = 0;

	if (!cJSON_IsNull(v) && !cJSON_IsArray(v))
		return error_set(cause, "%s: must be a list of strings, not "
		    "%s", path, lf_type_word(v));
	cJSON_ArrayForEach(e, v) {
		if (!cJSON_IsString(e))
			return error_set(cause, "%s[%zu]: must be a string, "
			    "not %s", path, i, lf_type_word(e));
		i++;
	}
	labcfg_strv_free(dst);
	cJSON_ArrayForEach(e, v)
		labcfg_strv_add(dst, e->valuestring);
	return 0;
}

/* Store a string map (null: empty). */
static int
lf_map(struct aws_tags *dst, const cJSON *v, const char *path,
    char **cause)
{
	const cJSON	*e;

	if (!cJSON_IsNull(v) && !cJSON_IsObject(v))
		return error_set(cause, "%s: must be a mapping of strings, not "
		    "%s", path, lf_type_word(v));
	cJSON_ArrayForEach(e, v) {
		if (!cJSON_IsString(e))
			return error_set(cause, "%s.%s: must be a string, not "
			    "%s", path, e->string, lf_type_word(e));
	}
	aws_tags_free(dst);
	cJSON_ArrayForEach(e, v)
		aws_tags_set(dst, e->string, e->valuestring);
	return 0;
}

/* The known keys of a table, for an unknown-field message. */
static void
lf_known(const struct lab_field *t, char *buf, size_t len)
{
	size_t	off = 0;
	int	n;

	buf[0] = '\0';
	for (; t->key != NULL && off < len; t++) {
		n = snprintf(buf + off, len - off, "%s%s", off ? ", " : "",
		    t->key);
		if (n < 0)
			break;
		off += (size_t)n;
	}
}

static int lf_obj(struct lab_config *, const struct lab_field *,
    const cJSON *, const char *, char **);

/* Store one field's value. */
static int
lf_one(struct lab_config *c, const struct lab_field *f, const cJSON *v,
    const char *path, char **cause)
{
	char	*base = (char *)c + f->off;
	int	 b;

	switch (f->type) {
	case LF_STR:
		return lf_str((char **)(void *)base, v, path, cause);
	case LF_INT:
		return lf_int((int *)(void *)base, v, path, cause);
	case LF_BOOL:
		if (!cJSON_IsBool(v))
			return error_set(cause, "%s: must be true or false, "
			    "not %s", path, lf_type_word(v));
		b = cJSON_IsTrue(v);
		memcpy(base, &b, sizeof b);
		return 0;
	case LF_STRV:
		return lf_strv((struct lab_strv *)(void *)base, v, path,
		    cause);
	case LF_MAP:
		return lf_map((struct aws_tags *)(void *)base, v, path, cause);
	case LF_ENUM:
		if (!cJSON_IsString(v))
			return error_set(cause, "%s: must be a string, not %s",
			    path, lf_type_word(v));
		if (f->parse(v->valuestring, (int *)(void *)base, cause) != 0)
			return error_wrap(cause, "%s", path);
		return 0;
	case LF_OBJ:
		return lf_obj(c, f->sub, v, path, cause);
	default:
		return 0;
	}
}

/* Walk a mapping against its table. */
static int
lf_obj(struct lab_config *c, const struct lab_field *t, const cJSON *obj,
    const char *path, char **cause)
{
	const struct lab_field	*f;
	const cJSON		*v;
	char			*p, known[256];
	int			 rc;

	if (cJSON_IsNull(obj) && path != NULL && strcmp(path,
	    "cluster.nodegroup") == 0) {
		xfree_ptr(&c->nodegroup.name);
		return 0;
	}
	if (!cJSON_IsObject(obj))
		return error_set(cause, "%s: must be a mapping, not %s",
		    path != NULL ? path : "(top)", lf_type_word(obj));
	cJSON_ArrayForEach(v, obj) {
		for (f = t; f->key != NULL; f++)
			if (strcmp(f->key, v->string) == 0)
				break;
		p = lf_path(path, v->string);
		if (f->key == NULL) {
			lf_known(t, known, sizeof known);
			rc = error_set(cause, "%s: unknown field (known here: "
			    "%s)", p, known);
		} else
			rc = lf_one(c, f, v, p, cause);
		free(p);
		if (rc != 0)
			return -1;
	}
	return 0;
}

/* Parse and validate lab.yaml text. */
int
lab_config_parse(const char *text, size_t len, const char *filename,
    struct lab_config **out, char **cause)
{
	struct lab_config	*c;
	cJSON			*docs = NULL;
	const char		*fn = filename != NULL ? filename : "lab.yaml";

	*out = NULL;
	if (yaml_load(text, len, fn, &docs, cause) != 0)
		return -1;
	if (cJSON_GetArraySize(docs) != 1) {
		error_set(cause, "%s: expected one YAML document, found %d",
		    fn, cJSON_GetArraySize(docs));
		cJSON_Delete(docs);
		return -1;
	}
	c = lab_config_new();
	if (lf_obj(c, lf_top, cJSON_GetArrayItem(docs, 0), NULL, cause) != 0) {
		cJSON_Delete(docs);
		lab_config_free(c);
		return error_wrap(cause, "%s", fn);
	}
	cJSON_Delete(docs);
	labcfg_finish(c);
	if (lab_config_validate(c, fn, cause) != 0) {
		lab_config_free(c);
		return -1;
	}
	*out = c;
	return 0;
}

/* Read and parse a lab.yaml file. */
int
lab_config_load(const char *path, struct lab_config **out, char **cause)
{
	FILE		*f;
	struct strbuf	 sb;
	char		 buf[4096];
	size_t		 n;
	int		 rc;

	*out = NULL;
	if ((f = fopen(path, "r")) == NULL)
		return error_set(cause, "%s: cannot open: %s", path,
		    strerror(errno));
	strbuf_init(&sb);
	while ((n = fread(buf, 1, sizeof buf, f)) > 0 && sb.len < LAB_MAX_SIZE)
		strbuf_add(&sb, buf, n);
	fclose(f);
	if (sb.len >= LAB_MAX_SIZE) {
		strbuf_free(&sb);
		return error_set(cause, "%s: larger than %d bytes", path,
		    LAB_MAX_SIZE);
	}
	rc = lab_config_parse(sb.buf, sb.len, path, out, cause);
	strbuf_free(&sb);
	return rc;
}
