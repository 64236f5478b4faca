/* lab.yaml rendering, and `install --init`: a config from the
 * environment, as the lab's env script (lattice_env.sh, eks-cluster1.sh)
 * built its variables. */
#include <stdlib.h>
#include <string.h>

#define LOG_MODULE "install"
#include "latticectl/ec2.h"
#include "latticectl/error.h"
#include "latticectl/install.h"
#include "latticectl/log.h"
#include "latticectl/strbuf.h"
#include "latticectl/sts.h"
#include "latticectl/xmalloc.h"
#include "latticectl/yaml.h"

#include "labcfg_int.h"

static void ly_obj(cJSON *, const struct lab_config *,
    const struct lab_field *);

/* The name of an enum field's value. */
static const char *
ly_enum(const struct lab_field *f, int v)
{
	if (f->parse == labcfg_parse_mode)
		return lab_mode_name((enum lab_mode)v);
	return v == LAB_IDENTITY_POD_IDENTITY ? "pod-identity" : "irsa";
}

/* Add one field's value to out. */
static void
ly_one(cJSON *out, const struct lab_config *c, const struct lab_field *f)
{
	const char		*base = (const char *)c + f->off;
	const struct lab_strv	*sv = (const void *)base;
	const struct aws_tags	*m = (const void *)base;
	const char		*s;
	int			 i;
	cJSON			*o;

	switch (f->type) {
	case LF_STR:
		memcpy(&s, base, sizeof s);
		if (s != NULL)
			cJSON_AddStringToObject(out, f->key, s);
		break;
	case LF_INT:
	case LF_BOOL:
	case LF_ENUM:
		memcpy(&i, base, sizeof i);
		if (f->type == LF_INT)
			cJSON_AddNumberToObject(out, f->key, i);
		else if (f->type == LF_BOOL)
			cJSON_AddBoolToObject(out, f->key, i);
		else
			cJSON_AddStringToObject(out, f->key, ly_enum(f, i));
		break;
	case LF_STRV:
		cJSON_AddItemToObject(out, f->key, cJSON_CreateStringArray(
		    (const char *const *)sv->v, (int)sv->n));
		break;
	case LF_MAP:
		cJSON_AddItemToObject(out, f->key, aws_tags_to_json(m));
		break;
	case LF_OBJ:
		o = cJSON_CreateObject();
		ly_obj(o, c, f->sub);
		cJSON_AddItemToObject(out, f->key, o);
		break;
	default:
		break;
	}
}

/* Add every field of a table. */
static void
ly_obj(cJSON *out, const struct lab_config *c, const struct lab_field *t)
{
	for (; t->key != NULL; t++) {
		if (strcmp(t->key, "nodegroup") == 0 &&
		    c->nodegroup.name == NULL) {
			cJSON_AddNullToObject(out, t->key);
			continue;
		}
		ly_one(out, c, t);
	}
}

/* Render the config as lab.yaml. */
char *
lab_config_yaml(const struct lab_config *c)
{
	struct strbuf	 sb;
	cJSON		*o;
	char		*y;

	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "apiVersion", "latticectl/v1alpha1");
	cJSON_AddStringToObject(o, "kind", "Lab");
	ly_obj(o, c, labcfg_fields() + 2);
	y = yaml_dump(o);
	cJSON_Delete(o);
	strbuf_init(&sb);
	strbuf_adds(&sb, "# The lab \"AWS Gateway API Controller install\" for "
	    "`latticectl install --config FILE`.\n# Fields: docs/lab-yaml.md. "
	    "Subnets are ids or Name tags; the VPC id wins over its name.\n");
	strbuf_adds(&sb, y);
	if (sb.len != 0 && sb.buf[sb.len - 1] != '\n')
		strbuf_addc(&sb, '\n');
	free(y);
	return strbuf_detach(&sb, NULL);
}

/* Take the variable's value into *dst when it is set. */
static void
li_env(char **dst, const char *var)
{
	const char	*v = getenv(var);

	if (v != NULL && *v != '\0') {
		free(*dst);
		*dst = xstrdup(v);
	}
}

/* Compare subnets by Name tag. */
static int
li_cmp(const void *a, const void *b)
{
	const struct ec2_subnet	*x = a, *y = b;
	const char		*nx = aws_tags_get(&x->tags, "Name");
	const char		*ny = aws_tags_get(&y->tags, "Name");

	return strcmp(nx != NULL ? nx : "", ny != NULL ? ny : "");
}

/* The VPC by Name tag and its Public / Private subnets (by Name). */
static int
li_network(struct aws *aws, struct lab_config *c, char **cause)
{
	struct ec2_filters	 fl = { 0 };
	struct ec2_describe	 d = { 0 };
	struct ec2_vpcs		 vpcs = { 0 };
	struct ec2_subnets	 sn = { 0 };
	struct aws_error	 err = { 0 };
	const char		*name;
	size_t			 i;
	int			 rc = -1;

	ec2_filters_add(&fl, "tag:Name", c->cluster.vpc_name);
	d.filters = &fl;
	if (ec2_describe_vpcs(aws, &d, &vpcs, &err) != 0)
		goto out;
	if (vpcs.n == 0) {
		error_set(cause, "no VPC tagged Name=%s in this region (set "
		    "VPC_NAME, or create the lab's stack first)",
		    c->cluster.vpc_name);
		goto done;
	}
	c->cluster.vpc_id = xstrdup(vpcs.v[0].id);
	ec2_filters_free(&fl);
	ec2_filters_add(&fl, "vpc-id", vpcs.v[0].id);
	if (ec2_describe_subnets(aws, &d, &sn, &err) != 0)
		goto out;
	qsort(sn.v, sn.n, sizeof *sn.v, li_cmp);
	labcfg_strv_free(&c->cluster.public_subnets);
	labcfg_strv_free(&c->cluster.private_subnets);
	for (i = 0; i < sn.n; i++) {
		name = aws_tags_get(&sn.v[i].tags, "Name");
		if (name != NULL && strstr(name, "Public") != NULL)
			labcfg_strv_add(&c->cluster.public_subnets, sn.v[i].id);
		else if (name != NULL && strstr(name, "Private") != NULL)
			labcfg_strv_add(&c->cluster.private_subnets,
			    sn.v[i].id);
	}
	rc = 0;
	goto done;
out:
	*cause = aws_error_string(&err);
done:
	aws_error_clear(&err);
	ec2_filters_free(&fl);
	ec2_vpcs_free(&vpcs);
	ec2_subnets_free(&sn);
	return rc;
}

/* Region and account from the AWS context and STS. */
static int
li_identity(struct aws *aws, struct lab_config *c, char **cause)
{
	struct sts_identity	id = { 0 };
	struct aws_error	err = { 0 };

	c->region = xstrdup(aws_region(aws));
	if (sts_get_caller_identity(aws, &id, &err) != 0) {
		*cause = aws_error_string(&err);
		aws_error_clear(&err);
		return -1;
	}
	c->account_id = xstrdup(id.account);
	sts_identity_clear(&id);
	return 0;
}

/* The lab's variables, as lattice_env.sh set them. */
static void
li_vars(struct lab_config *c)
{
	char	*ver = NULL;

	li_env(&c->cluster.name, "CLUSTER_NAME");
	li_env(&c->cluster.name, "CLUSTER1_NAME");
	li_env(&c->cluster.vpc_name, "VPC_NAME");
	li_env(&c->nodegroup.instance_type, "NODE_INSTANCE_TYPE");
	li_env(&ver, "EKS_VERSION");
	if (ver != NULL && strncmp(ver, "1.", 2) == 0 && atoi(ver + 2) >= 28) {
		free(c->cluster.version);
		c->cluster.version = ver;
	} else if (ver != NULL) {
		log_warn("EKS_VERSION=%s: EKS no longer creates it; writing %s",
		    ver, c->cluster.version);
		free(ver);
	}
}

/* The config --init writes. */
int
lab_config_init(struct aws *aws, const char *mode, struct lab_config **out,
    char **cause)
{
	struct lab_config	*c;
	const char		*lvl = getenv("LOG_LEVEL");

	*out = NULL;
	c = lab_config_new();
	c->cluster.vpc_name = xstrdup(LAB_DEFAULT_VPC_NAME);
	li_vars(c);
	if (lvl != NULL && (strcmp(lvl, "debug") == 0 ||
	    strcmp(lvl, "info") == 0)) {
		free(c->log_level);
		c->log_level = xstrdup(lvl);
	}
	if (mode != NULL && lab_mode_parse(mode, &c->controller.mode) != 0) {
		lab_config_free(c);
		return error_set(cause, "--mode: unknown mode '%s' (helm, "
		    "manifests, latticectl)", mode);
	}
	if (li_identity(aws, c, cause) != 0 || li_network(aws, c, cause) != 0) {
		lab_config_free(c);
		return -1;
	}
	labcfg_finish(c);
	if (lab_config_validate(c, "--init", cause) != 0) {
		lab_config_free(c);
		return -1;
	}
	*out = c;
	return 0;
}
