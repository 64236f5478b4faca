/*
 * The installer's pieces without a simulator: the documents restated as
 * data (compared with the reference), policy comparison, the helm argv,
 * equivalent-command quoting, kubeconfig contexts, the manifest applier's
 * subset and order, the practice-lab manifest, step selection, the
 * iam-policy step's observation over canned IAM answers, output lines.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/install.h"
#include "latticectl/json.h"
#include "latticectl/xmalloc.h"
#include "latticectl/yaml.h"
#include "testlib.h"

#include "../../src/install/install_int.h"

#define IAM_NS "xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\""
#define IAM_META "<ResponseMetadata><RequestId>r</RequestId>" \
	"</ResponseMetadata>"

/* A reference file parsed (first document), or NULL when absent. */
static cJSON *
ref_doc(const char *rel)
{
	const char	*root = test_reference_dir();
	cJSON		*docs = NULL, *d;
	char		*path, *cause = NULL;

	if (root == NULL)
		return NULL;
	xasprintf(&path, "%s/%s", root, rel);
	if (yaml_load_file(path, &docs, &cause) != 0)
		fail_msg("%s", cause);
	free(path);
	d = cJSON_DetachItemFromArray(docs, 0);
	cJSON_Delete(docs);
	return d;
}

/* The policy document equals the reference's recommended policy, and
 * differs from v1.0.3's. */
static void
test_policy_document(void **state)
{
	cJSON	*ours = install_policy_document(), *ref, *old;

	(void)state;
	if ((ref = ref_doc("controller-installation/recommended-inline-"
	    "policy.json")) == NULL) {
		printf("SKIP: reference not found\n");
		cJSON_Delete(ours);
		skip();
	}
	assert_true(json_equal(ours, ref));
	assert_true(inst_policy_equal(ours, ref));
	old = ref_doc("controller-installation/recommended-inline-policy-"
	    "v1.0.3.json");
	assert_false(inst_policy_equal(ours, old));
	cJSON_Delete(ours);
	cJSON_Delete(ref);
	cJSON_Delete(old);
}

/* One-element lists equal scalars; order of lists does not matter. */
static void
test_policy_equal(void **state)
{
	cJSON	*a = cJSON_Parse("{\"Statement\":[{\"Action\":[\"b\",\"a\"],"
	    "\"Resource\":[\"*\"]}]}");
	cJSON	*b = cJSON_Parse("{\"Statement\":{\"Action\":[\"a\",\"b\"],"
	    "\"Resource\":\"*\"}}");
	cJSON	*c = cJSON_Parse("{\"Statement\":{\"Action\":[\"a\"],"
	    "\"Resource\":\"*\"}}");

	(void)state;
	assert_true(inst_policy_equal(a, b));
	assert_false(inst_policy_equal(a, c));
	cJSON_Delete(a);
	cJSON_Delete(b);
	cJSON_Delete(c);
}

/* The IRSA trust: the provider, sub and aud. */
static void
test_trust_irsa(void **state)
{
	const char	*host = "oidc.eks.us-west-2.amazonaws.com/id/ABC";
	cJSON		*t = inst_trust_irsa("arn:aws:iam::1:oidc-provider/x",
	    host, "ns", "sa");
	const cJSON	*st = cJSON_GetArrayItem(cJSON_GetObjectItem(t,
	    "Statement"), 0), *eq;

	(void)state;
	assert_string_equal(json_str(st, "Action"),
	    "sts:AssumeRoleWithWebIdentity");
	assert_string_equal(json_path_str(st, "Principal.Federated"),
	    "arn:aws:iam::1:oidc-provider/x");
	eq = json_path(st, "Condition.StringEquals");
	assert_string_equal(json_str(eq, "oidc.eks.us-west-2.amazonaws.com/"
	    "id/ABC:sub"), "system:serviceaccount:ns:sa");
	assert_string_equal(json_str(eq, "oidc.eks.us-west-2.amazonaws.com/"
	    "id/ABC:aud"), "sts.amazonaws.com");
	cJSON_Delete(t);
	t = inst_trust_service("eks.amazonaws.com");
	assert_string_equal(json_path_str(cJSON_GetArrayItem(
	    cJSON_GetObjectItem(t, "Statement"), 0), "Principal.Service"),
	    "eks.amazonaws.com");
	cJSON_Delete(t);
}

/* The GatewayClass equals the reference's (at its version). */
static void
test_gatewayclass(void **state)
{
	cJSON	*ours = install_gatewayclass_object(NULL, "v1beta1"), *ref;

	(void)state;
	if ((ref = ref_doc("controller-installation/gatewayclass.yaml")) ==
	    NULL) {
		printf("SKIP: reference not found\n");
		cJSON_Delete(ours);
		skip();
	}
	assert_true(json_equal(ours, ref));
	cJSON_Delete(ours);
	cJSON_Delete(ref);
}

/* Words are quoted only when a shell would split or expand them. */
static void
test_icmd(void **state)
{
	char	*s = icmd("aws", "x", "a b", "it's", "k=v,w", "", NULL);

	(void)state;
	assert_string_equal(s, "aws x 'a b' 'it'\\''s' k=v,w ''");
	free(s);
}

/* An install over a canned AWS context (no network) with facts set. */
static struct install *
fake_install(struct lab_config *lab, struct canned *c, const char *only,
    const char *from, enum install_dir dir, char **cause)
{
	struct install_opts	 o = { 0 };
	struct install		*in;

	o.lab = lab;
	o.aws = canned_aws(c);
	o.only = only;
	o.from = from;
	o.dir = dir;
	o.kubeconfig = "/tmp/none/kubeconfig";
	if ((in = install_new(&o, cause)) == NULL) {
		aws_free(o.aws);
		return NULL;
	}
	in->f.resolved = 1;
	in->f.region = xstrdup("us-west-2");
	in->f.account = xstrdup("123456789012");
	in->f.vpc_id = xstrdup("vpc-0123");
	in->f.cluster_arn = xstrdup("arn:aws:eks:us-west-2:123456789012:"
	    "cluster/c1");
	return in;
}

/* Free a fake install and its AWS context. */
static void
fake_free(struct install *in)
{
	struct aws	*aws = in->aws;

	install_free(in);
	aws_free(aws);
}

/* The lab config of these tests. */
static struct lab_config *
test_lab(void)
{
	struct lab_config	*lab;
	char			*cause = NULL;
	const char		*y = "region: us-west-2\n";

	if (lab_config_parse(y, strlen(y), "lab.yaml", &lab, &cause) != 0)
		fail_msg("%s", cause);
	return lab;
}

/* helm install, word for word as the lab (plus the context flags). */
static void
test_helm_argv(void **state)
{
	struct lab_config	*lab = test_lab();
	struct canned		 c = { 0 };
	struct install		*in;
	char			**v, *cause = NULL;
	const char		*want[] = { "helm", "install",
	    "gateway-api-controller", "oci://public.ecr.aws/aws-application-"
	    "networking-k8s/aws-gateway-controller-chart", "--version=v1.0.3",
	    "--set=serviceAccount.create=false", "--namespace",
	    "aws-application-networking-system", "--set=log.level=info",
	    "--set=awsRegion=us-west-2", "--set=clusterVpcId=vpc-0123",
	    "--set=awsAccountId=123456789012", "--set=clusterName=c1",
	    "--kubeconfig", "/tmp/none/kubeconfig", "--kube-context",
	    "arn:aws:eks:us-west-2:123456789012:cluster/c1", NULL };
	size_t			 i;

	(void)state;
	assert_non_null(in = fake_install(lab, &c, NULL, NULL, INSTALL_UP,
	    &cause));
	v = helm_install_argv(in, 0);
	for (i = 0; want[i] != NULL; i++)
		assert_string_equal(v[i], want[i]);
	assert_null(v[i]);
	helm_argv_free(v);
	v = helm_install_argv(in, 1);
	assert_string_equal(v[1], "upgrade");
	assert_string_equal(v[2], "--install");
	helm_argv_free(v);
	fake_free(in);
	canned_free(&c);
	lab_config_free(lab);
}

/* The selected flags of a run, as "id,id". */
static char *
selected(struct install *in)
{
	struct install_step_info	*v;
	struct strbuf			 sb;
	size_t				 n, i;

	install_snapshot(in, &v, &n);
	strbuf_init(&sb);
	for (i = 0; i < n; i++)
		if (v[i].selected)
			strbuf_addf(&sb, "%s%s", sb.len ? "," : "", v[i].id);
	install_snapshot_free(v, n);
	return strbuf_detach(&sb, NULL);
}

/* --only, --from, in both directions; unknown ids are refused. */
static void
test_select(void **state)
{
	struct lab_config	*lab = test_lab();
	struct canned		 c = { 0 };
	struct install		*in;
	char			*s, *cause = NULL;

	(void)state;
	in = fake_install(lab, &c, NULL, NULL, INSTALL_UP, &cause);
	s = selected(in);
	assert_string_equal(s, "cluster,security-group,iam-policy,namespace,"
	    "service-account,controller,gatewayclass");
	free(s);
	fake_free(in);
	in = fake_install(lab, &c, "namespace,iam-policy", NULL, INSTALL_UP,
	    &cause);
	s = selected(in);
	assert_string_equal(s, "iam-policy,namespace");
	free(s);
	fake_free(in);
	in = fake_install(lab, &c, NULL, "service-account", INSTALL_UP,
	    &cause);
	s = selected(in);
	assert_string_equal(s, "service-account,controller,gatewayclass");
	free(s);
	fake_free(in);
	in = fake_install(lab, &c, NULL, "controller", INSTALL_DOWN, &cause);
	s = selected(in);
	assert_string_equal(s, "controller,service-account,namespace,"
	    "iam-policy,security-group,cluster");
	free(s);
	fake_free(in);
	assert_null(fake_install(lab, &c, "routes", NULL, INSTALL_UP,
	    &cause));
	assert_non_null(strstr(cause, "--only: unknown step 'routes'"));
	free(cause);
	cause = NULL;
	assert_null(fake_install(lab, &c, NULL, "clutser", INSTALL_DOWN,
	    &cause));
	assert_non_null(strstr(cause, "--from: unknown step 'clutser'"));
	free(cause);
	canned_free(&c);
	lab_config_free(lab);
}

/* A lab region other than the AWS context's is refused. */
static void
test_region_mismatch(void **state)
{
	struct lab_config	*lab;
	struct install_opts	 o = { 0 };
	struct canned		 c = { 0 };
	char			*cause = NULL;
	const char		*y = "region: eu-west-1\n";

	(void)state;
	assert_int_equal(lab_config_parse(y, strlen(y), "lab.yaml", &lab,
	    &cause), 0);
	o.lab = lab;
	o.aws = canned_aws(&c);
	assert_null(install_new(&o, &cause));
	assert_non_null(strstr(cause, "--region eu-west-1"));
	free(cause);
	aws_free(o.aws);
	canned_free(&c);
	lab_config_free(lab);
}

/* The iam-policy step's observation: absent, ours, another document. */
static void
test_iam_policy_observe(void **state)
{
	struct lab_config	*lab = test_lab();
	struct canned		 c = { 0 };
	struct install		*in;
	struct iobs		 o;
	struct iplan		 p = { NULL, 0 };
	cJSON			*doc = install_policy_document();
	char			*cause = NULL, *enc, *js, *xml;
	int			 k;

	(void)state;
	in = fake_install(lab, &c, NULL, NULL, INSTALL_UP, &cause);
	js = json_print(doc);
	enc = http_urlencode(js, 0);
	canned_push(&c, 404, "<ErrorResponse " IAM_NS "><Error><Type>Sender"
	    "</Type><Code>NoSuchEntity</Code><Message>no</Message></Error>"
	    "<RequestId>r</RequestId></ErrorResponse>", NULL, NULL);
	for (k = 0; k < 2; k++) {
		canned_push(&c, 200, "<GetPolicyResponse " IAM_NS "><GetPolicyResult>"
		    "<Policy><PolicyName>VPCLatticeControllerIAMPolicy</PolicyName>"
		    "<Arn>arn:aws:iam::123456789012:policy/VPCLatticeController"
		    "IAMPolicy</Arn><DefaultVersionId>v1</DefaultVersionId>"
		    "<AttachmentCount>0</AttachmentCount></Policy>"
		    "</GetPolicyResult>" IAM_META "</GetPolicyResponse>", NULL,
		    NULL);
		xasprintf(&xml, "<GetPolicyVersionResponse " IAM_NS ">"
		    "<GetPolicyVersionResult><PolicyVersion><Document>%s"
		    "</Document><VersionId>v1</VersionId><IsDefaultVersion>true"
		    "</IsDefaultVersion></PolicyVersion></GetPolicyVersionResult>"
		    IAM_META "</GetPolicyVersionResponse>", k == 0 ? enc :
		    "%7B%22Statement%22%3A%5B%5D%7D");
		canned_push(&c, 200, xml, NULL, NULL);
		free(xml);
	}
	iobs_init(&o);
	assert_int_equal(istep_iam_policy.observe(&in->steps[2], &o, &cause),
	    0);
	assert_int_equal(o.have, IHAVE_NONE);
	istep_iam_policy.plan(&in->steps[2], &o, &p);
	assert_int_equal(p.n, 1);
	assert_string_equal(p.v[0].cmd, "aws iam create-policy --policy-name "
	    "VPCLatticeControllerIAMPolicy --policy-document "
	    "file://recommended-inline-policy.json");
	iplan_free(&p);
	iobs_clear(&o);
	iobs_init(&o);
	assert_int_equal(istep_iam_policy.observe(&in->steps[2], &o, &cause),
	    0);
	assert_int_equal(o.have, IHAVE_ALL);
	iobs_clear(&o);
	iobs_init(&o);
	assert_int_equal(istep_iam_policy.observe(&in->steps[2], &o, &cause),
	    0);
	assert_int_equal(o.have, IHAVE_CONFLICT);
	assert_string_equal(o.reason, "PolicyDiffers");
	assert_non_null(strstr(o.msg, "not overwritten"));
	iobs_clear(&o);
	free(js);
	free(enc);
	cJSON_Delete(doc);
	fake_free(in);
	canned_free(&c);
	lab_config_free(lab);
}

/* kubeconfig: put, replace (no duplicates), mode 0600, remove. */
static void
test_kubecfg(void **state)
{
	char		*dir = test_tmpdir(), *path, *text, *cause = NULL;
	struct stat	 st;
	cJSON		*docs = NULL, *d;

	(void)state;
	xasprintf(&path, "%s/sub/config", dir);
	assert_int_equal(test_write_file(path, "x", 0600), -1);
	assert_int_equal(kubecfg_put_eks(path, "other", "https://o", NULL,
	    "us-west-2", "o", &cause), 0);
	assert_int_equal(kubecfg_put_eks(path, "arn:c1", "https://a", "Q0E=",
	    "us-west-2", "c1", &cause), 0);
	assert_int_equal(kubecfg_put_eks(path, "arn:c1", "https://b", "Q0E=",
	    "us-west-2", "c1", &cause), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_true(kubecfg_has(path, "arn:c1", "https://b"));
	assert_false(kubecfg_has(path, "arn:c1", "https://a"));
	assert_int_equal(yaml_load_file(path, &docs, &cause), 0);
	d = cJSON_GetArrayItem(docs, 0);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(d,
	    "contexts")), 2);
	assert_string_equal(json_str(d, "current-context"), "arn:c1");
	assert_string_equal(json_path_str(cJSON_GetArrayItem(
	    cJSON_GetObjectItem(d, "users"), 1), "user.exec.command"), "aws");
	cJSON_Delete(docs);
	assert_int_equal(kubecfg_remove(path, "arn:c1", &cause), 0);
	assert_false(kubecfg_has(path, "arn:c1", NULL));
	text = test_read_file(path, NULL);
	assert_non_null(strstr(text, "current-context: other"));
	free(text);
	free(path);
	test_rm_tree(dir);
	path = kubecfg_default_path(NULL, "~/lab/config");
	assert_non_null(strstr(path, "/lab/config"));
	assert_true(path[0] != '~');
	free(path);
}

/* The applier's subset rule and order. */
static void
test_kapply(void **state)
{
	cJSON	*w = cJSON_Parse("{\"a\":{\"b\":[{\"c\":1}]},\"n\":null}");
	cJSON	*h = cJSON_Parse("{\"a\":{\"b\":[{\"c\":1,\"d\":2}],\"e\":3}}");
	cJSON	*h2 = cJSON_Parse("{\"a\":{\"b\":[{\"c\":2}]}}");
	cJSON	*objs = cJSON_Parse("[{\"kind\":\"Deployment\"},{\"kind\":"
	    "\"Namespace\"},{\"kind\":\"CustomResourceDefinition\"},"
	    "{\"kind\":\"Service\"}]"), *o;

	(void)state;
	assert_true(kapply_subset(w, h));
	assert_false(kapply_subset(w, h2));
	assert_false(kapply_subset(h, w));
	o = kapply_order(objs);
	assert_string_equal(json_str(cJSON_GetArrayItem(o, 0), "kind"),
	    "CustomResourceDefinition");
	assert_string_equal(json_str(cJSON_GetArrayItem(o, 1), "kind"),
	    "Namespace");
	assert_string_equal(json_str(cJSON_GetArrayItem(o, 2), "kind"),
	    "Deployment");
	assert_string_equal(json_str(cJSON_GetArrayItem(o, 3), "kind"),
	    "Service");
	cJSON_Delete(w);
	cJSON_Delete(h);
	cJSON_Delete(h2);
	cJSON_Delete(objs);
	cJSON_Delete(o);
}

/* The practice-lab manifest: a CRD for every reference CRD (same name,
 * group, kind, scope and a served version), RBAC and the Deployment. */
static void
test_lab_manifest(void **state)
{
	static const char *const refs[] = {
	    "gateway-api-v1.5.1/gateway.networking.k8s.io_gatewayclasses.yaml",
	    "gateway-api-v1.5.1/gateway.networking.k8s.io_httproutes.yaml",
	    "gateway-api-v1.5.1/gateway.networking.k8s.io_tlsroutes.yaml",
	    "aws-application-networking/application-networking.k8s.aws_"
	    "servicenetworks.yaml",
	    "aws-application-networking/application-networking.k8s.aws_"
	    "serviceexports.yaml", NULL };
	struct lab_config	*lab = test_lab();
	cJSON			*m, *ref, *o, *dep = NULL;
	const cJSON		*env;
	const char		*name;
	char			*path;
	size_t			 i;
	int			 found;

	(void)state;
	m = install_lab_manifest(lab, "us-west-2", "123456789012", "vpc-1");
	assert_int_equal(cJSON_GetArraySize(m), 20);
	for (i = 0; refs[i] != NULL && test_reference_dir() != NULL; i++) {
		xasprintf(&path, "crds/%s", refs[i]);
		ref = ref_doc(path);
		free(path);
		name = json_path_str(ref, "metadata.name");
		found = 0;
		cJSON_ArrayForEach(o, m) {
			if (json_path_str(o, "metadata.name") == NULL ||
			    strcmp(json_path_str(o, "metadata.name"), name) != 0)
				continue;
			found = 1;
			assert_string_equal(json_path_str(o, "spec.names.kind"),
			    json_path_str(ref, "spec.names.kind"));
			assert_string_equal(json_path_str(o, "spec.scope"),
			    json_path_str(ref, "spec.scope"));
			assert_string_equal(json_path_str(o, "spec.group"),
			    json_path_str(ref, "spec.group"));
		}
		assert_true(found);
		cJSON_Delete(ref);
	}
	cJSON_ArrayForEach(o, m)
		if (kapply_is(o, "Deployment"))
			dep = o;
	assert_non_null(dep);
	assert_string_equal(json_str(json_path(dep,
	    "spec.template.metadata.labels"), "app.kubernetes.io/instance"),
	    "gateway-api-controller");
	env = json_path(cJSON_GetArrayItem(json_path(dep,
	    "spec.template.spec.containers"), 0), "envFrom");
	assert_string_equal(json_path_str(cJSON_GetArrayItem(env, 0),
	    "configMapRef.name"), "latticectl-controller-config");
	cJSON_ArrayForEach(o, m)
		if (kapply_is(o, "ConfigMap"))
			env = json_path(o, "data");
	assert_string_equal(json_str(env, "CLUSTER_VPC_ID"), "vpc-1");
	assert_string_equal(json_str(env, "CLUSTER_NAME"), "c1");
	assert_string_equal(json_str(env, "AWS_ACCOUNT_ID"), "123456789012");
	assert_string_equal(json_path_str(dep,
	    "spec.template.spec.serviceAccountName"), "gateway-api-controller");
	cJSON_Delete(m);
	lab_config_free(lab);
	path = ctl_manifest_url("v1.0.5");
	assert_string_equal(path, "https://raw.githubusercontent.com/aws/"
	    "aws-application-networking-k8s/main/files/controller-installation/"
	    "deploy-v1.0.5.yaml");
	free(path);
}

/* The built-in latticectl manifest names what the engine's
 * deploy/latticectl-controller.yaml names (other than the namespace and
 * service account, which their steps own); values go into either. */
static void
test_deploy_manifest(void **state)
{
	struct lab_config	*lab = test_lab();
	cJSON			*docs = NULL, *ours, *d, *o;
	char			*cause = NULL;
	const char		*img;
	int			 found;

	(void)state;
	if (yaml_load_file("deploy/latticectl-controller.yaml", &docs,
	    &cause) != 0) {
		printf("SKIP: deploy/latticectl-controller.yaml: %s\n", cause);
		free(cause);
		lab_config_free(lab);
		skip();
	}
	ours = install_lab_manifest(lab, NULL, NULL, NULL);
	cJSON_ArrayForEach(d, docs) {
		if (kapply_is(d, "Namespace") || kapply_is(d, "ServiceAccount"))
			continue;
		found = 0;
		cJSON_ArrayForEach(o, ours)
			found |= strcmp(json_str(o, "kind"), json_str(d,
			    "kind")) == 0 && strcmp(json_path_str(o,
			    "metadata.name"), json_path_str(d,
			    "metadata.name")) == 0;
		if (!found)
			fail_msg("%s %s not in the built-in manifest",
			    json_str(d, "kind"), json_path_str(d,
			    "metadata.name"));
	}
	install_lab_values(docs, lab, "us-west-2", "123456789012", "vpc-9");
	cJSON_ArrayForEach(d, docs) {
		if (kapply_is(d, "ConfigMap"))
			assert_string_equal(json_path_str(d,
			    "data.CLUSTER_VPC_ID"), "vpc-9");
		if (kapply_is(d, "Deployment")) {
			img = json_str(cJSON_GetArrayItem(json_path(d,
			    "spec.template.spec.containers"), 0), "image");
			assert_string_equal(img, LAB_DEFAULT_IMAGE);
		}
	}
	cJSON_Delete(ours);
	cJSON_Delete(docs);
	lab_config_free(lab);
}

/* Plain and JSON output lines. */
static void
test_output(void **state)
{
	struct install_event	 ev = { 0 };
	struct install_result	 res = { 0 };
	struct install_output	*o;
	char			*buf = NULL, *line;
	size_t			 len = 0;
	FILE			*f;
	cJSON			*j;

	(void)state;
	ev.step = "cluster";
	ev.title = "t";
	ev.state = INSTALL_PROGRESSING;
	ev.reason = "Cluster";
	ev.message = "EKS cluster c1 is CREATING";
	ev.run_ms = 65000;
	assert_non_null(f = open_memstream(&buf, &len));
	o = install_output_new(INSTALL_OUTPUT_PLAIN, f, "install", 0);
	install_output_event(o, &ev);
	res.steps = 7;
	res.ready = 6;
	res.failed = 1;
	install_output_finish(o, &res);
	install_output_free(o);
	fclose(f);
	assert_non_null(strstr(buf, "[  1m05s] cluster         Progressing "
	    "Cluster: EKS cluster c1 is CREATING\n"));
	assert_non_null(strstr(buf, "install: 6/7 steps Ready, 0 changed, 1 "
	    "failed"));
	free(buf);
	buf = NULL;
	assert_non_null(f = open_memstream(&buf, &len));
	o = install_output_new(INSTALL_OUTPUT_JSON, f, "uninstall", 0);
	install_output_event(o, &ev);
	install_output_finish(o, &res);
	install_output_free(o);
	fclose(f);
	line = strtok(buf, "\n");
	assert_non_null(j = cJSON_Parse(line));
	assert_string_equal(json_str(j, "state"), "Progressing");
	assert_string_equal(json_str(j, "step"), "cluster");
	assert_string_equal(json_str(j, "command"), "uninstall");
	cJSON_Delete(j);
	assert_non_null(j = cJSON_Parse(strtok(NULL, "\n")));
	assert_string_equal(json_str(j, "event"), "summary");
	assert_int_equal((int)json_num(j, "failed", 0), 1);
	cJSON_Delete(j);
	free(buf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_policy_document),
		cmocka_unit_test(test_policy_equal),
		cmocka_unit_test(test_trust_irsa),
		cmocka_unit_test(test_gatewayclass),
		cmocka_unit_test(test_icmd),
		cmocka_unit_test(test_helm_argv),
		cmocka_unit_test(test_select),
		cmocka_unit_test(test_region_mismatch),
		cmocka_unit_test(test_iam_policy_observe),
		cmocka_unit_test(test_kubecfg),
		cmocka_unit_test(test_kapply),
		cmocka_unit_test(test_lab_manifest),
		cmocka_unit_test(test_deploy_manifest),
		cmocka_unit_test(test_output),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
