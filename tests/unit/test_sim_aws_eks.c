/* Tests for the simulated EKS (src/sim/aws_eks.c) and the EKS bearer
 * token verifier (src/sim/aws_eksauth.c), with tokens from
 * ekstoken_build. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <openssl/evp.h>

#include "latticectl/ekstoken.h"
#include "latticectl/json.h"
#include "test_sim_svcs.h"

#define ACCT		SIM_ACCOUNT_ID
#define KUBE_URL	"https://127.0.0.1:6443"
#define CA_PEM		"-----BEGIN CERTIFICATE-----\nMIIBsim\n" \
			"-----END CERTIFICATE-----\n"
#define ROLE_ARN	"arn:aws:iam::" ACCT ":role/eks-cluster"
#define NG_ARN		"arn:aws:eks:" SIM_REGION ":" ACCT \
			":nodegroup/c1/nodegroup/"
#define ROOT_TRUST	"%7B%22Statement%22%3A%7B%22Effect%22%3A%22Allow%22" \
			"%2C%22Principal%22%3A%7B%22AWS%22%3A%22" ACCT "%22" \
			"%7D%2C%22Action%22%3A%22sts%3AAssumeRole%22%7D%7D"

/* A simulator with the lab, an EKS role and the Kubernetes API set. */
static struct sim_aws *
eks_sim(unsigned delay)
{
	struct sim_aws	*sim = sim_lab_new(delay, delay);
	struct sreply	 r;

	sim_aws_eks_set_kube(sim, KUBE_URL, CA_PEM);
	r = iam_q(sim, "Action=CreateRole&RoleName=eks-cluster&"
	    "AssumeRolePolicyDocument=" ROOT_TRUST);
	assert_int_equal(r.status, 200);
	sreply_free(&r);
	return sim;
}

/* The ids of subnets by Name tag prefix, as a JSON array text. */
static char *
subnets_json(struct sim_aws *sim, const char *name_glob)
{
	struct sreply	 r;
	struct strbuf	 sb = STRBUF_INIT;
	char		*form, *id;
	int		 i, n;

	xasprintf(&form, "Action=DescribeSubnets&Filter.1.Name=tag%%3AName&"
	    "Filter.1.Value.1=%s", name_glob);
	r = ec2_q(sim, form);
	free(form);
	n = xp_count(r.body, "subnetSet/item");
	strbuf_addc(&sb, '[');
	for (i = 0; i < n; i++) {
		xp_eval(r.body, "subnetSet/item/subnetId", i, &id);
		strbuf_addf(&sb, "%s\"%s\"", i > 0 ? "," : "", id);
		free(id);
	}
	strbuf_addc(&sb, ']');
	sreply_free(&r);
	return strbuf_detach(&sb, NULL);
}

/* CreateCluster for name in the client VPC's private subnets. */
static struct sreply
create_cluster(struct sim_aws *sim, const char *name, const char *version)
{
	struct sreply	 r;
	char		*sub, *body;

	sub = subnets_json(sim, "LatticeWorkshop-Client-PrivateSubnet0*");
	xasprintf(&body, "{\"name\":\"%s\",\"version\":\"%s\",\"roleArn\":\""
	    ROLE_ARN "\",\"resourcesVpcConfig\":{\"subnetIds\":%s}}", name,
	    version, sub);
	r = eks_q(sim, "POST", "/clusters", NULL, body);
	free(sub);
	free(body);
	return r;
}

/* Parse a JSON answer (fails the test when it does not parse). */
static cJSON *
jbody(const struct sreply *r)
{
	cJSON	*j = cJSON_Parse(r->body);

	assert_non_null(j);
	return j;
}

/* Expect a rest-json error. */
static void
expect_error(struct sreply *r, int status, const char *code)
{
	assert_int_equal(r->status, status);
	assert_non_null(r->errtype);
	assert_string_equal(r->errtype, code);
	assert_non_null(strstr(r->body, "\"message\""));
	sreply_free(r);
}

/* Advance the simulated clock past a delay. */
static void
later(struct sim_aws *sim, int64_t ms)
{
	sim_aws_advance(sim, ms);
}

/* CREATING -> ACTIVE with the Kubernetes endpoint, CA, issuer, and a real
 * cluster security group in the subnets' VPC. */
static void
test_cluster_active(void **state)
{
	struct sim_aws	*sim = eks_sim(1000);
	struct sreply	 r, r2;
	cJSON		*j;
	const char	*s;
	unsigned char	 ca[256];
	char		*form, *t;
	int		 n;

	(void)state;
	r = create_cluster(sim, "c1", "1.32");
	assert_int_equal(r.status, 200);
	j = jbody(&r);
	assert_string_equal(json_path_str(j, "cluster.status"), "CREATING");
	assert_null(json_path(j, "cluster.endpoint"));
	assert_string_equal(json_path_str(j, "cluster.arn"),
	    "arn:aws:eks:" SIM_REGION ":" ACCT ":cluster/c1");
	assert_true(cJSON_IsNumber(json_path(j, "cluster.createdAt")));
	cJSON_Delete(j);
	sreply_free(&r);
	later(sim, 1001);
	r = eks_q(sim, "GET", "/clusters/c1", NULL, NULL);
	assert_int_equal(r.status, 200);
	j = jbody(&r);
	assert_string_equal(json_path_str(j, "cluster.status"), "ACTIVE");
	assert_string_equal(json_path_str(j, "cluster.endpoint"), KUBE_URL);
	assert_string_equal(json_path_str(j, "cluster.version"), "1.32");
	s = json_path_str(j, "cluster.certificateAuthority.data");
	n = EVP_DecodeBlock(ca, (const unsigned char *)s, (int)strlen(s));
	assert_true(n >= (int)strlen(CA_PEM));
	assert_memory_equal(ca, CA_PEM, strlen(CA_PEM));
	s = json_path_str(j, "cluster.identity.oidc.issuer");
	assert_true(strncmp(s, "https://oidc.eks." SIM_REGION
	    ".amazonaws.com/id/", 44) == 0);
	assert_int_equal(strlen(s + 44), 32);
	assert_int_equal(strspn(s + 44, "0123456789ABCDEF"), 32);
	s = json_path_str(j,
	    "cluster.resourcesVpcConfig.clusterSecurityGroupId");
	assert_non_null(s);
	xasprintf(&form, "Action=DescribeSecurityGroups&GroupId.1=%s", s);
	r2 = ec2_q(sim, form);
	free(form);
	t = xp_text(r2.body, "securityGroupInfo/item/groupName");
	assert_true(strncmp(t, "eks-cluster-sg-c1-", 18) == 0);
	free(t);
	t = xp_text(r2.body, "securityGroupInfo/item/vpcId");
	assert_string_equal(t, json_path_str(j,
	    "cluster.resourcesVpcConfig.vpcId"));
	free(t);
	sreply_free(&r2);
	assert_string_equal(json_path_str(j,
	    "cluster.kubernetesNetworkConfig.serviceIpv4Cidr"),
	    "172.20.0.0/16");
	cJSON_Delete(j);
	sreply_free(&r);
	sim_aws_free(sim);
}

/* CreateCluster and DescribeCluster errors. */
static void
test_cluster_errors(void **state)
{
	struct sim_aws	*sim = eks_sim(0);
	struct sreply	 r;
	char		*sub, *body;

	(void)state;
	r = create_cluster(sim, "c1", "1.32");
	assert_int_equal(r.status, 200);
	sreply_free(&r);
	r = create_cluster(sim, "c1", "1.32");
	assert_non_null(strstr(r.body, "\"clusterName\":\"c1\""));
	expect_error(&r, 409, "ResourceInUseException");
	r = eks_q(sim, "GET", "/clusters/nope", NULL, NULL);
	assert_non_null(strstr(r.body, "No cluster found for name: nope."));
	expect_error(&r, 404, "ResourceNotFoundException");
	r = create_cluster(sim, "old", "1.27");
	expect_error(&r, 400, "InvalidParameterException");
	r = create_cluster(sim, "-bad", "1.32");
	expect_error(&r, 400, "InvalidParameterException");
	r = eks_q(sim, "POST", "/clusters", NULL, "{\"name\":\"x\",\"roleArn\":"
	    "\"" ROLE_ARN "\",\"resourcesVpcConfig\":{\"subnetIds\":["
	    "\"subnet-0123456789abcdef0\"]}}");
	expect_error(&r, 400, "InvalidParameterException");
	sub = subnets_json(sim, "LatticeWorkshop-Client-P*Subnet01");
	xasprintf(&body, "{\"name\":\"x\",\"roleArn\":\"" ROLE_ARN "\","
	    "\"resourcesVpcConfig\":{\"subnetIds\":%s}}", sub);
	r = eks_q(sim, "POST", "/clusters", NULL, body);
	assert_non_null(strstr(r.body, "two different AZs"));
	expect_error(&r, 400, "InvalidParameterException");
	free(body);
	xasprintf(&body, "{\"name\":\"x\",\"roleArn\":\"arn:aws:iam::" ACCT
	    ":role/none\",\"resourcesVpcConfig\":{\"subnetIds\":%s}}", sub);
	r = eks_q(sim, "POST", "/clusters", NULL, body);
	expect_error(&r, 400, "InvalidParameterException");
	free(body);
	free(sub);
	r = eks_q(sim, "POST", "/clusters", NULL, "[1]");
	expect_error(&r, 400, "InvalidParameterException");
	r = eks_q(sim, "GET", "/addons", NULL, NULL);
	expect_error(&r, 404, "UnknownOperationException");
	sim_aws_free(sim);
}

/* A node group request for cluster c1. */
static struct sreply
create_ng(struct sim_aws *sim, const char *name)
{
	struct sreply	 r;
	char		*sub, *body;

	sub = subnets_json(sim, "LatticeWorkshop-Client-PrivateSubnet0*");
	xasprintf(&body, "{\"nodegroupName\":\"%s\",\"nodeRole\":\"" ROLE_ARN
	    "\",\"subnets\":%s,\"scalingConfig\":{\"minSize\":3,\"maxSize\":3,"
	    "\"desiredSize\":3},\"instanceTypes\":[\"m5.xlarge\"],\"labels\":"
	    "{\"nodegroup-type\":\"managed-backend-workloads\"}}", name, sub);
	r = eks_q(sim, "POST", "/clusters/c1/node-groups", NULL, body);
	free(sub);
	free(body);
	return r;
}

/* Node groups: create, list, the in-use and not-found errors, and the
 * deletion of both with their transitions. */
static void
test_nodegroups(void **state)
{
	struct sim_aws	*sim = eks_sim(500);
	struct sreply	 r;
	cJSON		*j;
	char		*sg, *form;

	(void)state;
	r = create_cluster(sim, "c1", "1.32");
	j = jbody(&r);
	sg = xstrdup(json_path_str(j,
	    "cluster.resourcesVpcConfig.clusterSecurityGroupId"));
	cJSON_Delete(j);
	sreply_free(&r);
	r = create_ng(sim, "nodegroup");
	expect_error(&r, 400, "InvalidRequestException");
	later(sim, 501);
	r = create_ng(sim, "nodegroup");
	assert_int_equal(r.status, 200);
	j = jbody(&r);
	assert_string_equal(json_path_str(j, "nodegroup.status"), "CREATING");
	assert_true(json_path(j, "nodegroup.scalingConfig.desiredSize")->
	    valueint == 3);
	assert_string_equal(json_path_str(j, "nodegroup.labels.nodegroup-type"),
	    "managed-backend-workloads");
	assert_true(strncmp(json_path_str(j, "nodegroup.nodegroupArn"), NG_ARN,
	    strlen(NG_ARN)) == 0);
	cJSON_Delete(j);
	sreply_free(&r);
	r = create_ng(sim, "nodegroup");
	expect_error(&r, 409, "ResourceInUseException");
	later(sim, 501);
	r = eks_q(sim, "GET", "/clusters/c1/node-groups/nodegroup", NULL, NULL);
	j = jbody(&r);
	assert_string_equal(json_path_str(j, "nodegroup.status"), "ACTIVE");
	cJSON_Delete(j);
	sreply_free(&r);
	r = eks_q(sim, "GET", "/clusters/c1/node-groups", NULL, NULL);
	assert_string_equal(r.body, "{\"nodegroups\":[\"nodegroup\"]}");
	sreply_free(&r);
	r = eks_q(sim, "GET", "/clusters/c1/node-groups/none", NULL, NULL);
	expect_error(&r, 404, "ResourceNotFoundException");
	r = eks_q(sim, "DELETE", "/clusters/c1", NULL, NULL);
	expect_error(&r, 409, "ResourceInUseException");
	r = eks_q(sim, "DELETE", "/clusters/c1/node-groups/nodegroup", NULL,
	    NULL);
	j = jbody(&r);
	assert_string_equal(json_path_str(j, "nodegroup.status"), "DELETING");
	cJSON_Delete(j);
	sreply_free(&r);
	later(sim, 501);
	r = eks_q(sim, "DELETE", "/clusters/c1", NULL, NULL);
	j = jbody(&r);
	assert_string_equal(json_path_str(j, "cluster.status"), "DELETING");
	cJSON_Delete(j);
	sreply_free(&r);
	later(sim, 501);
	r = eks_q(sim, "GET", "/clusters", NULL, NULL);
	assert_string_equal(r.body, "{\"clusters\":[]}");
	sreply_free(&r);
	xasprintf(&form, "Action=DescribeSecurityGroups&GroupId.1=%s", sg);
	r = ec2_q(sim, form);
	free(form);
	assert_int_equal(r.status, 400);
	sreply_free(&r);
	free(sg);
	sim_aws_free(sim);
}

/* ListClusters pages with maxResults and nextToken. */
static void
test_list_clusters(void **state)
{
	struct sim_aws	*sim = eks_sim(0);
	struct sreply	 r;
	cJSON		*j;
	char		*tok, *q;

	(void)state;
	r = create_cluster(sim, "a", "1.33");
	sreply_free(&r);
	r = create_cluster(sim, "b", "1.33");
	sreply_free(&r);
	r = eks_q(sim, "GET", "/clusters", "maxResults=1", NULL);
	j = jbody(&r);
	assert_string_equal(cJSON_GetArrayItem(json_path(j, "clusters"), 0)->
	    valuestring, "a");
	tok = xstrdup(json_path_str(j, "nextToken"));
	cJSON_Delete(j);
	sreply_free(&r);
	xasprintf(&q, "maxResults=1&nextToken=%s", tok);
	r = eks_q(sim, "GET", "/clusters", q, NULL);
	j = jbody(&r);
	assert_string_equal(cJSON_GetArrayItem(json_path(j, "clusters"), 0)->
	    valuestring, "b");
	assert_null(json_path(j, "nextToken"));
	cJSON_Delete(j);
	sreply_free(&r);
	r = eks_q(sim, "GET", "/clusters", "maxResults=1000", NULL);
	expect_error(&r, 400, "InvalidParameterException");
	free(q);
	free(tok);
	sim_aws_free(sim);
}

/* A token for creds and cluster at the simulator's time. */
static char *
token_for(struct sim_aws *sim, const struct aws_creds *c, const char *cl)
{
	char	*tok = NULL, *cause = NULL;
	time_t	 exp;

	assert_int_equal(ekstoken_build(c, SIM_REGION, cl,
	    (time_t)(sim_aws_now_ms(sim) / 1000), &tok, &exp, &cause), 0);
	return tok;
}

/* A token from an edited URL (base64url, no padding). */
static char *
token_of_url(const char *url)
{
	char	*b = xmalloc(4 * (strlen(url) / 3 + 2)), *tok;
	size_t	 i;

	EVP_EncodeBlock((unsigned char *)b, (const unsigned char *)url,
	    (int)strlen(url));
	for (i = 0; b[i] != '\0'; i++) {
		if (b[i] == '+')
			b[i] = '-';
		else if (b[i] == '/')
			b[i] = '_';
		else if (b[i] == '=')
			b[i] = '\0';
	}
	xasprintf(&tok, EKSTOKEN_PREFIX "%s", b);
	free(b);
	return tok;
}

/* Verify and expect success with arn. */
static void
expect_valid(struct sim_aws *sim, const char *tok, const char *cl,
    const char *want)
{
	char	*arn = NULL, *cause = NULL;

	if (sim_aws_verify_eks_token(sim, tok, cl, &arn, &cause) != 0)
		fail_msg("verify: %s", cause);
	assert_string_equal(arn, want);
	free(arn);
}

/* Verify and expect failure with why in the cause (and no token). */
static void
expect_invalid(struct sim_aws *sim, const char *tok, const char *cl,
    const char *why)
{
	char	*arn = NULL, *cause = NULL;

	assert_int_equal(sim_aws_verify_eks_token(sim, tok, cl, &arn, &cause),
	    -1);
	assert_null(arn);
	assert_non_null(cause);
	if (strstr(cause, why) == NULL)
		fail_msg("cause \"%s\" lacks \"%s\"", cause, why);
	if (strlen(tok) > strlen(EKSTOKEN_PREFIX) + 8)
		assert_null(strstr(cause, tok + strlen(EKSTOKEN_PREFIX)));
	free(cause);
}

/* Tokens: valid, wrong cluster, tampered signature, expired, unknown
 * key, a foreign host. */
static void
test_eks_token(void **state)
{
	struct sim_aws	*sim = eks_sim(0);
	struct aws_creds c = sim_admin_creds();
	char		*tok, *url, *cause = NULL, *p, *bad;

	(void)state;
	tok = token_for(sim, &c, "c1");
	expect_valid(sim, tok, "c1", "arn:aws:iam::" ACCT ":user/sim-admin");
	expect_invalid(sim, tok, "c2", "SignatureDoesNotMatch");
	expect_invalid(sim, tok, NULL, "no EKS cluster");
	assert_int_equal(ekstoken_decode(tok, &url, &cause), 0);
	p = strstr(url, "X-Amz-Signature=") + 16;
	*p = *p == '0' ? '1' : '0';
	bad = token_of_url(url);
	expect_invalid(sim, bad, "c1", "SignatureDoesNotMatch");
	free(bad);
	*p = *p == '0' ? '1' : '0';
	memcpy(url + 8, "sts.evil.example", 16);
	bad = token_of_url(url);
	expect_invalid(sim, bad, "c1", "not an STS host");
	free(bad);
	free(url);
	/* Plain http is refused unless it names the simulator on loopback. */
	assert_int_equal(ekstoken_decode(tok, &url, &cause), 0);
	xasprintf(&p, "http://sts.us-west-2.amazonaws.com%s",
	    strstr(url, "/?"));
	bad = token_of_url(p);
	expect_invalid(sim, bad, "c1", "not https");
	free(bad);
	free(p);
	xasprintf(&p, "http://127.0.0.1:1%s", strstr(url, "/?"));
	bad = token_of_url(p);
	expect_invalid(sim, bad, "c1", "SignatureDoesNotMatch");
	free(bad);
	free(p);
	free(url);
	later(sim, 16 * 60 * 1000);
	expect_invalid(sim, tok, "c1", "expired");
	free(tok);
	c.access_key_id = (char *)"AKIAUNKNOWNKEY000000";
	tok = token_for(sim, &c, "c1");
	expect_invalid(sim, tok, "c1", "InvalidClientTokenId");
	free(tok);
	expect_invalid(sim, "k8s-aws-v1.!!!", "c1", "");
	expect_invalid(sim, "Bearer x", "c1", "");
	sim_aws_free(sim);
}

/* An assumed-role token maps to the role ARN; with no cluster named the
 * ACTIVE clusters are tried. */
static void
test_eks_token_role(void **state)
{
	struct sim_aws	*sim = eks_sim(0);
	struct aws_creds c;
	struct sreply	 r;
	char		*tok;

	(void)state;
	r = create_cluster(sim, "c1", "1.32");
	sreply_free(&r);
	r = sts_q(sim, "Action=AssumeRole&RoleArn=arn%3Aaws%3Aiam%3A%3A" ACCT
	    "%3Arole%2Feks-cluster&RoleSessionName=kubectl");
	assert_int_equal(r.status, 200);
	memset(&c, 0, sizeof c);
	c.access_key_id = xp_text(r.body, "Credentials/AccessKeyId");
	c.secret_access_key = xp_text(r.body, "Credentials/SecretAccessKey");
	c.session_token = xp_text(r.body, "Credentials/SessionToken");
	sreply_free(&r);
	tok = token_for(sim, &c, "c1");
	expect_valid(sim, tok, "c1", ROLE_ARN);
	expect_valid(sim, tok, NULL, ROLE_ARN);
	free(tok);
	tok = token_for(sim, &c, "other");
	expect_invalid(sim, tok, NULL, "SignatureDoesNotMatch");
	free(tok);
	free(c.access_key_id);
	free(c.secret_access_key);
	free(c.session_token);
	sim_aws_free(sim);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cluster_active),
		cmocka_unit_test(test_cluster_errors),
		cmocka_unit_test(test_nodegroups),
		cmocka_unit_test(test_list_clusters),
		cmocka_unit_test(test_eks_token),
		cmocka_unit_test(test_eks_token_role),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
