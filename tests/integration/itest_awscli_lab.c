/*
 * Peer test: the real AWS CLI against the simulator's EC2, IAM, STS, EKS
 * (and VPC Lattice for phase B1) over HTTP, through the workshop's
 * commands of research/workshop.md phases A and B that are not
 * EKS-internal, in order, checking the outputs. eksctl's CloudFormation
 * steps are replaced by the API calls they make (create-role,
 * create-cluster, create-open-id-connect-provider, create-nodegroup).
 * Prints "OP: service command" for each operation exercised, and "SKIP:"
 * when the aws CLI is not installed.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "latticectl/ekstoken.h"
#include "latticectl/httpd.h"
#include "latticectl/strbuf.h"
#include "latticectl/timeutil.h"
#include "latticectl/xmalloc.h"
#include "testlib.h"
#include "../../src/sim/sim_aws.h"
#include "../../src/sim/sim_aws_lab.h"

#define LAB_MAX_ARGS	48
#define KUBE_URL	"https://127.0.0.1:6443"
#define CA_PEM		"-----BEGIN CERTIFICATE-----\nMIIBlab\n" \
			"-----END CERTIFICATE-----\n"
#define SA_SUB		"system:serviceaccount:aws-application-networking-" \
			"system:gateway-api-controller"

extern char **environ;

/* The lab run: simulator, server, the CLI's environment and what the
 * steps found (each step feeds the next, as the workshop's shell does). */
struct lab {
	struct sim_aws	*sim;
	struct httpd	*srv;
	char		 endpoint[64];
	char		*home;
	char		*aws;		/* full path of the CLI */
	char		**envp;
	size_t		 nenv;
	char		*vpc;
	char		*pub[3], *priv[3];
	char		*cluster_sg, *pl4, *pl6, *issuer;
	char		*policy_arn, *role_arn;
};

/* The full path of an executable found on PATH, or NULL. */
static char *
lab_which(const char *name)
{
	const char	*path = getenv("PATH"), *p, *end;
	char		*full;

	for (p = path; p != NULL && *p != '\0'; p = *end ? end + 1 : end) {
		end = p + strcspn(p, ":");
		xasprintf(&full, "%.*s/%s", (int)(end - p), p, name);
		if (access(full, X_OK) == 0)
			return full;
		free(full);
	}
	return NULL;
}

/* Add NAME=value to the CLI's environment. */
static void
lab_env(struct lab *l, const char *name, const char *value)
{
	l->envp = xreallocarray(l->envp, l->nenv + 2, sizeof *l->envp);
	xasprintf(&l->envp[l->nenv++], "%s=%s", name, value);
	l->envp[l->nenv] = NULL;
}

/* Read a descriptor to its end into sb. */
static void
lab_slurp(int fd, struct strbuf *sb)
{
	char	buf[4096];
	ssize_t	n;

	for (;;) {
		n = read(fd, buf, sizeof buf);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		strbuf_add(sb, buf, (size_t)n);
	}
}

/* Trim trailing white space in place. */
static char *
lab_trim(char *s)
{
	size_t	n = strlen(s);

	while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == ' ' ||
	    s[n - 1] == '\r' || s[n - 1] == '\t'))
		s[--n] = '\0';
	return s;
}

/* Run aws with argv (NULL-ended, after "aws"): the exit status; stdout
 * in *out and stderr in *err (trimmed, caller frees; either may be
 * NULL). The child only dups and execs: its environment and argv are
 * built before the fork. */
static int
lab_run(struct lab *l, char **out, char **err, const char *const *args)
{
	const char	*argv[LAB_MAX_ARGS];
	struct strbuf	 so = STRBUF_INIT, se = STRBUF_INIT;
	char		*errpath;
	int		 po[2], fe, status, i = 0;
	pid_t		 pid;

	argv[i++] = "aws";
	while (*args != NULL && i < LAB_MAX_ARGS - 4)
		argv[i++] = *args++;
	argv[i++] = "--endpoint-url";
	argv[i++] = l->endpoint;
	argv[i] = NULL;
	printf("OP: %s %s\n", argv[1], argv[2]);
	xasprintf(&errpath, "%s/stderr.txt", l->home);
	fe = open(errpath, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fe >= 0 && pipe(po) == 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		dup2(po[1], 1);
		dup2(fe, 2);
		close(po[0]);
		execve(l->aws, (char *const *)argv, l->envp);
		_exit(127);
	}
	close(po[1]);
	close(fe);
	lab_slurp(po[0], &so);
	close(po[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if ((fe = open(errpath, O_RDONLY)) >= 0) {
		lab_slurp(fe, &se);
		close(fe);
	}
	free(errpath);
	if (out != NULL)
		*out = lab_trim(strbuf_detach(&so, NULL));
	if (err != NULL)
		*err = lab_trim(strbuf_detach(&se, NULL));
	strbuf_free(&so);
	strbuf_free(&se);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* Run and expect success; stdout (caller frees). */
static char *
lab_ok(struct lab *l, const char *const *args)
{
	char	*out, *err;
	int	 rc;

	rc = lab_run(l, &out, &err, args);
	if (rc != 0)
		fail_msg("aws %s %s: exit %d: %s", args[0], args[1], rc, err);
	free(err);
	return out;
}

/* Run and expect failure with code in stderr. */
static void
lab_fails(struct lab *l, const char *code, const char *const *args)
{
	char	*err;
	int	 rc;

	rc = lab_run(l, NULL, &err, args);
	assert_int_not_equal(rc, 0);
	if (strstr(err, code) == NULL)
		fail_msg("aws %s %s: want %s, got: %s", args[0], args[1], code,
		    err);
	free(err);
}

/* Write a file under HOME; its file:// URL (caller frees). */
static char *
lab_file(struct lab *l, const char *name, const char *text)
{
	char	*path, *url;

	xasprintf(&path, "%s/%s", l->home, name);
	assert_int_equal(test_write_file(path, text, 0600), 0);
	xasprintf(&url, "file://%s", path);
	free(path);
	return url;
}

/* Start the simulator and its server; find the CLI. */
static int
lab_setup(void **state)
{
	struct lab		*l = xcalloc(1, sizeof *l);
	struct httpd_opts	 o;
	char			*cause = NULL;

	*state = l;
	if ((l->aws = lab_which("aws")) == NULL) {
		printf("SKIP: the aws CLI is not installed (not on PATH)\n");
		return 0;
	}
	l->sim = sim_aws_new(NULL);
	sim_aws_seed_lab(l->sim);
	sim_aws_eks_set_delays(l->sim, 400, 400);
	sim_aws_eks_set_kube(l->sim, KUBE_URL, CA_PEM);
	memset(&o, 0, sizeof o);
	o.listen = "127.0.0.1:0";
	if ((l->srv = httpd_start(&o, sim_aws_handle, l->sim, &cause)) == NULL)
		fail_msg("httpd: %s", cause);
	snprintf(l->endpoint, sizeof l->endpoint, "http://127.0.0.1:%d",
	    httpd_port(l->srv));
	l->home = test_tmpdir();
	lab_env(l, "PATH", getenv("PATH"));
	lab_env(l, "HOME", l->home);
	lab_env(l, "AWS_ACCESS_KEY_ID", SIM_ACCESS_KEY);
	lab_env(l, "AWS_SECRET_ACCESS_KEY", SIM_SECRET_KEY);
	lab_env(l, "AWS_DEFAULT_REGION", SIM_REGION);
	lab_env(l, "AWS_CONFIG_FILE", "/dev/null");
	lab_env(l, "AWS_SHARED_CREDENTIALS_FILE", "/dev/null");
	lab_env(l, "AWS_EC2_METADATA_DISABLED", "true");
	lab_env(l, "AWS_PAGER", "");
	return 0;
}

/* Stop everything. */
static int
lab_teardown(void **state)
{
	struct lab	*l = *state;
	size_t		 i;

	httpd_stop(l->srv);
	sim_aws_free(l->sim);
	for (i = 0; i < l->nenv; i++)
		free(l->envp[i]);
	free(l->envp);
	for (i = 0; i < 3; i++) {
		free(l->pub[i]);
		free(l->priv[i]);
	}
	free(l->vpc);
	free(l->cluster_sg);
	free(l->pl4);
	free(l->pl6);
	free(l->issuer);
	free(l->policy_arn);
	free(l->role_arn);
	free(l->home);
	free(l->aws);
	free(l);
	return 0;
}

/* Skip when the CLI is missing. */
#define LAB_NEED(l) do {						\
	if ((l)->aws == NULL)						\
		skip();							\
} while (0)

/* P4 and A1: who am I, and the client VPC's subnets by Name tag. */
static void
test_a1_lookups(void **state)
{
	struct lab	*l = *state;
	char		*out, name[96];
	int		 i;

	LAB_NEED(l);
	out = lab_ok(l, (const char *[]){ "sts", "get-caller-identity",
	    "--query", "Account", "--output", "text", NULL });
	assert_string_equal(out, SIM_ACCOUNT_ID);
	free(out);
	out = lab_ok(l, (const char *[]){ "ec2", "describe-availability-zones",
	    "--query", "AvailabilityZones[].ZoneName", "--output", "text",
	    NULL });
	assert_string_equal(out, SIM_REGION "a\t" SIM_REGION "b\t" SIM_REGION
	    "c\t" SIM_REGION "d");
	free(out);
	l->vpc = lab_ok(l, (const char *[]){ "ec2", "describe-vpcs",
	    "--filters", "Name=tag:Name,Values=" SIM_LAB_CLIENTS_VPC,
	    "--query", "Vpcs[*].VpcId", "--output", "text", NULL });
	assert_true(strncmp(l->vpc, "vpc-", 4) == 0 && strlen(l->vpc) == 21);
	for (i = 0; i < 6; i++) {
		snprintf(name, sizeof name, "Name=tag:Name,Values="
		    "LatticeWorkshop-Client-%sSubnet0%d", i < 3 ? "Public" :
		    "Private", i % 3 + 1);
		out = lab_ok(l, (const char *[]){ "ec2", "describe-subnets",
		    "--filters", name, "--query", "Subnets[*].SubnetId",
		    "--output", "text", NULL });
		assert_true(strncmp(out, "subnet-", 7) == 0 &&
		    strlen(out) == 24);
		if (i < 3)
			l->pub[i] = out;
		else
			l->priv[i - 3] = out;
	}
	out = lab_ok(l, (const char *[]){ "ec2", "describe-subnets",
	    "--filters", "Name=vpc-id,Values=x", "Name=tag:Name,Values=*",
	    "--query", "length(Subnets)", NULL });
	assert_string_equal(out, "0");
	free(out);
}

/* A2 (eksctl's API calls): cluster role, cluster, OIDC provider, node
 * group; wait for ACTIVE as the lab's "describe-cluster --query
 * cluster.status" does. */
static void
test_a2_cluster(void **state)
{
	struct lab	*l = *state;
	char		*out, *trust, subnets[256], *role;
	int		 i;

	LAB_NEED(l);
	trust = lab_file(l, "eks-trust.json", "{\"Version\":\"2012-10-17\","
	    "\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":"
	    "\"eks.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}");
	role = lab_ok(l, (const char *[]){ "iam", "create-role", "--role-name",
	    "eksctl-c1-cluster-ServiceRole", "--assume-role-policy-document",
	    trust, "--query", "Role.Arn", "--output", "text", NULL });
	assert_string_equal(role, "arn:aws:iam::" SIM_ACCOUNT_ID
	    ":role/eksctl-c1-cluster-ServiceRole");
	out = lab_ok(l, (const char *[]){ "iam", "attach-role-policy",
	    "--role-name", "eksctl-c1-cluster-ServiceRole", "--policy-arn",
	    "arn:aws:iam::aws:policy/AmazonEKSClusterPolicy", NULL });
	free(out);
	snprintf(subnets, sizeof subnets, "subnetIds=%s,%s,%s,%s,%s,%s",
	    l->pub[0], l->pub[1], l->pub[2], l->priv[0], l->priv[1],
	    l->priv[2]);
	out = lab_ok(l, (const char *[]){ "eks", "create-cluster", "--name",
	    "c1", "--role-arn", role, "--kubernetes-version", "1.32",
	    "--resources-vpc-config", subnets, "--query", "cluster.status",
	    "--output", "text", NULL });
	assert_string_equal(out, "CREATING");
	free(out);
	lab_fails(l, "ResourceInUseException", (const char *[]){ "eks",
	    "create-cluster", "--name", "c1", "--role-arn", role,
	    "--resources-vpc-config", subnets, NULL });
	for (i = 0; i < 50; i++) {
		out = lab_ok(l, (const char *[]){ "eks", "describe-cluster",
		    "--name", "c1", "--query", "cluster.status", "--output",
		    "text", NULL });
		if (strcmp(out, "ACTIVE") == 0)
			break;
		free(out);
		out = NULL;
		time_sleep_ms(100);
	}
	assert_non_null(out);
	free(out);
	out = lab_ok(l, (const char *[]){ "eks", "describe-cluster", "--name",
	    "c1", "--query", "cluster.endpoint", "--output", "text", NULL });
	assert_string_equal(out, KUBE_URL);
	free(out);
	out = lab_ok(l, (const char *[]){ "eks", "describe-cluster", "--name",
	    "c1", "--query", "cluster.resourcesVpcConfig.vpcId", "--output",
	    "text", NULL });
	assert_string_equal(out, l->vpc);
	free(out);
	l->issuer = lab_ok(l, (const char *[]){ "eks", "describe-cluster",
	    "--name", "c1", "--query", "cluster.identity.oidc.issuer",
	    "--output", "text", NULL });
	assert_true(strncmp(l->issuer, "https://oidc.eks." SIM_REGION
	    ".amazonaws.com/id/", 44) == 0);
	out = lab_ok(l, (const char *[]){ "iam",
	    "create-open-id-connect-provider", "--url", l->issuer,
	    "--client-id-list", "sts.amazonaws.com", "--thumbprint-list",
	    "9e99a48a9960b14926bb7f3b02e22da2b0ab7280", "--query",
	    "OpenIDConnectProviderArn", "--output", "text", NULL });
	assert_non_null(strstr(out, ":oidc-provider/oidc.eks."));
	free(out);
	out = lab_ok(l, (const char *[]){ "iam",
	    "list-open-id-connect-providers",
	    "--query", "length(OpenIDConnectProviderList)", NULL });
	assert_string_equal(out, "1");
	free(out);
	lab_fails(l, "ResourceNotFoundException", (const char *[]){ "eks",
	    "describe-cluster", "--name", "nope", NULL });
	free(trust);
	free(role);
}

/* A2 (continued): the managed node group in the private subnets. */
static void
test_a2_nodegroup(void **state)
{
	struct lab	*l = *state;
	char		*out, *role, *trust;
	int		 i;

	LAB_NEED(l);
	trust = lab_file(l, "node-trust.json", "{\"Version\":\"2012-10-17\","
	    "\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":"
	    "\"ec2.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}");
	role = lab_ok(l, (const char *[]){ "iam", "create-role", "--role-name",
	    "eksctl-c1-nodegroup-NodeInstanceRole",
	    "--assume-role-policy-document", trust, "--query", "Role.Arn",
	    "--output", "text", NULL });
	out = lab_ok(l, (const char *[]){ "eks", "create-nodegroup",
	    "--cluster-name", "c1", "--nodegroup-name", "nodegroup",
	    "--node-role", role, "--subnets", l->priv[0], l->priv[1],
	    l->priv[2], "--scaling-config", "minSize=3,maxSize=3,desiredSize=3",
	    "--instance-types", "m5.xlarge", "--disk-size", "20", "--labels",
	    "nodegroup-type=managed-backend-workloads", "--query",
	    "nodegroup.status", "--output", "text", NULL });
	assert_string_equal(out, "CREATING");
	free(out);
	for (i = 0; i < 50; i++) {
		out = lab_ok(l, (const char *[]){ "eks", "describe-nodegroup",
		    "--cluster-name", "c1", "--nodegroup-name", "nodegroup",
		    "--query", "nodegroup.status", "--output", "text", NULL });
		if (strcmp(out, "ACTIVE") == 0)
			break;
		free(out);
		out = NULL;
		time_sleep_ms(100);
	}
	assert_non_null(out);
	free(out);
	out = lab_ok(l, (const char *[]){ "eks", "list-nodegroups",
	    "--cluster-name", "c1", "--query", "nodegroups[0]", "--output",
	    "text", NULL });
	assert_string_equal(out, "nodegroup");
	free(out);
	out = lab_ok(l, (const char *[]){ "eks", "list-clusters", "--query",
	    "clusters", "--output", "text", NULL });
	assert_string_equal(out, "c1");
	free(out);
	free(role);
	free(trust);
}

/* A3: the cluster SG lets both Lattice prefix lists in. */
static void
test_a3_security_group(void **state)
{
	struct lab	*l = *state;
	char		*out, perm[160], filter[96];

	LAB_NEED(l);
	l->cluster_sg = lab_ok(l, (const char *[]){ "eks", "describe-cluster",
	    "--name", "c1", "--output", "text", "--query",
	    "cluster.resourcesVpcConfig.clusterSecurityGroupId", NULL });
	assert_true(strncmp(l->cluster_sg, "sg-", 3) == 0);
	l->pl4 = lab_ok(l, (const char *[]){ "ec2",
	    "describe-managed-prefix-lists", "--query", "PrefixLists[?"
	    "PrefixListName=='com.amazonaws." SIM_REGION ".vpc-lattice']."
	    "PrefixListId", "--output", "text", NULL });
	l->pl6 = lab_ok(l, (const char *[]){ "ec2",
	    "describe-managed-prefix-lists", "--query", "PrefixLists[?"
	    "PrefixListName=='com.amazonaws." SIM_REGION ".ipv6.vpc-lattice']."
	    "PrefixListId", "--output", "text", NULL });
	assert_true(strncmp(l->pl4, "pl-", 3) == 0);
	assert_true(strncmp(l->pl6, "pl-", 3) == 0);
	snprintf(perm, sizeof perm, "PrefixListIds=[{PrefixListId=%s}],"
	    "IpProtocol=-1", l->pl4);
	out = lab_ok(l, (const char *[]){ "ec2",
	    "authorize-security-group-ingress", "--group-id", l->cluster_sg,
	    "--ip-permissions", perm, "--query", "Return", NULL });
	assert_string_equal(out, "true");
	free(out);
	lab_fails(l, "InvalidPermission.Duplicate", (const char *[]){ "ec2",
	    "authorize-security-group-ingress", "--group-id", l->cluster_sg,
	    "--ip-permissions", perm, NULL });
	snprintf(perm, sizeof perm, "PrefixListIds=[{PrefixListId=%s}],"
	    "IpProtocol=-1", l->pl6);
	out = lab_ok(l, (const char *[]){ "ec2",
	    "authorize-security-group-ingress", "--group-id", l->cluster_sg,
	    "--ip-permissions", perm, "--query", "Return", NULL });
	free(out);
	snprintf(filter, sizeof filter, "Name=group-id,Values=%s",
	    l->cluster_sg);
	out = lab_ok(l, (const char *[]){ "ec2",
	    "describe-security-group-rules",
	    "--filters", filter, "--query", "length(SecurityGroupRules[?"
	    "PrefixListId])", NULL });
	assert_string_equal(out, "2");
	free(out);
	snprintf(filter, sizeof filter, "Name=ip-permission.prefix-list-id,"
	    "Values=%s", l->pl4);
	out = lab_ok(l, (const char *[]){ "ec2", "describe-security-groups",
	    "--filters", filter, "--query", "SecurityGroups[].GroupId",
	    "--output", "text", NULL });
	assert_string_equal(out, l->cluster_sg);
	free(out);
	out = lab_ok(l, (const char *[]){ "ec2",
	    "get-managed-prefix-list-entries", "--prefix-list-id", l->pl4,
	    "--query", "Entries[].Cidr", "--output", "text", NULL });
	assert_string_equal(out, "169.254.171.0/24");
	free(out);
	out = lab_ok(l, (const char *[]){ "ec2", "describe-security-groups",
	    "--group-ids", l->cluster_sg, "--query",
	    "SecurityGroups[0].GroupName", "--output", "text", NULL });
	assert_true(strncmp(out, "eks-cluster-sg-c1-", 18) == 0);
	free(out);
}

/* A4 and A7: the controller policy from the upstream file, found again
 * with list-policies. */
static void
test_a4_policy(void **state)
{
	struct lab	*l = *state;
	const char	*ref = test_reference_dir();
	char		*path, *text, *url, *out;

	LAB_NEED(l);
	if (ref == NULL)
		skip();
	xasprintf(&path, "%s/controller-installation/"
	    "recommended-inline-policy.json", ref);
	text = test_read_file(path, NULL);
	assert_non_null(text);
	url = lab_file(l, "recommended-inline-policy.json", text);
	out = lab_ok(l, (const char *[]){ "iam", "create-policy",
	    "--policy-name", "VPCLatticeControllerIAMPolicy",
	    "--policy-document", url, "--query", "Policy.Arn", "--output",
	    "text", NULL });
	assert_string_equal(out, "arn:aws:iam::" SIM_ACCOUNT_ID
	    ":policy/VPCLatticeControllerIAMPolicy");
	free(out);
	lab_fails(l, "EntityAlreadyExists", (const char *[]){ "iam",
	    "create-policy", "--policy-name", "VPCLatticeControllerIAMPolicy",
	    "--policy-document", url, NULL });
	l->policy_arn = lab_ok(l, (const char *[]){ "iam", "list-policies",
	    "--query", "Policies[?PolicyName=='VPCLatticeControllerIAMPolicy']."
	    "Arn", "--output", "text", NULL });
	assert_string_equal(l->policy_arn, "arn:aws:iam::" SIM_ACCOUNT_ID
	    ":policy/VPCLatticeControllerIAMPolicy");
	out = lab_ok(l, (const char *[]){ "iam", "get-policy", "--policy-arn",
	    l->policy_arn, "--query", "Policy.DefaultVersionId", "--output",
	    "text", NULL });
	assert_string_equal(out, "v1");
	free(out);
	out = lab_ok(l, (const char *[]){ "iam", "get-policy-version",
	    "--policy-arn", l->policy_arn, "--version-id", "v1", "--query",
	    "PolicyVersion.Document.Statement[0].Action[0]", "--output", "text",
	    NULL });
	assert_string_equal(out, "vpc-lattice:*");
	free(out);
	out = lab_ok(l, (const char *[]){ "iam", "list-policies", "--scope",
	    "AWS", "--query", "Policies[?PolicyName=='VPCLatticeFullAccess']."
	    "Arn", "--output", "text", NULL });
	assert_string_equal(out,
	    "arn:aws:iam::aws:policy/VPCLatticeFullAccess");
	free(out);
	lab_fails(l, "MalformedPolicyDocument", (const char *[]){ "iam",
	    "create-policy", "--policy-name", "broken", "--policy-document",
	    "{not json", NULL });
	free(url);
	free(text);
	free(path);
}

/* A8: the IRSA role trusted by the cluster's OIDC provider for the
 * controller's service account; the controller's AssumeRoleWithWebIdentity
 * with a token for it. */
static void
test_a8_irsa(void **state)
{
	struct lab	*l = *state;
	const char	*host;
	char		*doc, *url, *out, *jwt, *payload, *b;
	size_t		 i;

	LAB_NEED(l);
	host = l->issuer + 8;
	xasprintf(&doc,
	    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":"
	    "\"Allow\",\"Principal\":{\"Federated\":\"arn:aws:iam::"
	    SIM_ACCOUNT_ID ":oidc-provider/%s\"},\"Action\":"
	    "\"sts:AssumeRoleWithWebIdentity\",\"Condition\":{\"StringEquals\":"
	    "{\"%s:sub\":\"" SA_SUB "\",\"%s:aud\":\"sts.amazonaws.com\"}}}]}",
	    host, host, host);
	url = lab_file(l, "irsa-trust.json", doc);
	l->role_arn = lab_ok(l, (const char *[]){ "iam", "create-role",
	    "--role-name", "eksctl-c1-addon-iamserviceaccount-Role1",
	    "--assume-role-policy-document", url, "--query", "Role.Arn",
	    "--output", "text", NULL });
	out = lab_ok(l, (const char *[]){ "iam", "attach-role-policy",
	    "--role-name", "eksctl-c1-addon-iamserviceaccount-Role1",
	    "--policy-arn", l->policy_arn, NULL });
	free(out);
	out = lab_ok(l, (const char *[]){ "iam", "list-attached-role-policies",
	    "--role-name", "eksctl-c1-addon-iamserviceaccount-Role1", "--query",
	    "AttachedPolicies[0].PolicyName", "--output", "text", NULL });
	assert_string_equal(out, "VPCLatticeControllerIAMPolicy");
	free(out);
	out = lab_ok(l, (const char *[]){ "iam", "get-role", "--role-name",
	    "eksctl-c1-addon-iamserviceaccount-Role1", "--query",
	    "Role.AssumeRolePolicyDocument.Statement[0].Action", "--output",
	    "text", NULL });
	assert_string_equal(out, "sts:AssumeRoleWithWebIdentity");
	free(out);
	xasprintf(&payload, "{\"iss\":\"%s\",\"sub\":\"" SA_SUB "\",\"aud\":"
	    "\"sts.amazonaws.com\",\"exp\":%lld}", l->issuer,
	    (long long)(sim_aws_now_ms(l->sim) / 1000 + 3600));
	b = xmalloc(4 * strlen(payload) / 3 + 8);
	EVP_EncodeBlock((unsigned char *)b, (unsigned char *)payload,
	    (int)strlen(payload));
	for (i = 0; b[i] != '\0'; i++)
		b[i] = b[i] == '+' ? '-' : b[i] == '/' ? '_' : b[i] == '=' ?
		    '\0' : b[i];
	xasprintf(&jwt, "eyJhbGciOiJSUzI1NiJ9.%s.c2ln", b);
	out = lab_ok(l, (const char *[]){ "sts",
	    "assume-role-with-web-identity",
	    "--role-arn", l->role_arn, "--role-session-name", "controller",
	    "--web-identity-token", jwt, "--query", "AssumedRoleUser.Arn",
	    "--output", "text", NULL });
	assert_string_equal(out, "arn:aws:sts::" SIM_ACCOUNT_ID ":assumed-role/"
	    "eksctl-c1-addon-iamserviceaccount-Role1/controller");
	free(out);
	free(jwt);
	free(b);
	free(payload);
	free(url);
	free(doc);
}

/* A8': the Pod Identity revision's role, found with list-roles; and an
 * AssumeRole of it. */
static void
test_a8_pod_identity(void **state)
{
	struct lab	*l = *state;
	char		*url, *out, *arn;

	LAB_NEED(l);
	url = lab_file(l, "pod-trust.json", "{\"Version\":\"2012-10-17\","
	    "\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":"
	    "\"pods.eks.amazonaws.com\"},\"Action\":[\"sts:AssumeRole\","
	    "\"sts:TagSession\"]},{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":"
	    "\"arn:aws:iam::" SIM_ACCOUNT_ID ":root\"},\"Action\":"
	    "\"sts:AssumeRole\"}]}");
	out = lab_ok(l, (const char *[]){ "iam", "create-role", "--role-name",
	    "VPCLatticeControllerIAMRole", "--assume-role-policy-document", url,
	    "--description", "IAM Role for AWS Gateway API Controller for VPC "
	    "Lattice", NULL });
	free(out);
	out = lab_ok(l, (const char *[]){ "iam", "attach-role-policy",
	    "--role-name", "VPCLatticeControllerIAMRole", "--policy-arn",
	    l->policy_arn, NULL });
	free(out);
	arn = lab_ok(l, (const char *[]){ "iam", "list-roles", "--query",
	    "Roles[?RoleName=='VPCLatticeControllerIAMRole'].Arn", "--output",
	    "text", NULL });
	assert_string_equal(arn, "arn:aws:iam::" SIM_ACCOUNT_ID
	    ":role/VPCLatticeControllerIAMRole");
	out = lab_ok(l, (const char *[]){ "sts", "assume-role", "--role-arn",
	    arn, "--role-session-name", "lab", "--query",
	    "Credentials.AccessKeyId", "--output", "text", NULL });
	assert_true(strncmp(out, "ASIA", 4) == 0);
	free(out);
	lab_fails(l, "DeleteConflict", (const char *[]){ "iam", "delete-role",
	    "--role-name", "VPCLatticeControllerIAMRole", NULL });
	lab_fails(l, "NoSuchEntity", (const char *[]){ "iam", "get-role",
	    "--role-name", "nope", NULL });
	free(arn);
	free(url);
}

/* kubectl's credential: "aws eks get-token", checked by the verifier the
 * simulated Kubernetes API uses. */
static void
test_eks_get_token(void **state)
{
	struct lab	*l = *state;
	char		*out, *arn = NULL, *cause = NULL, *tok;
	cJSON		*j;

	LAB_NEED(l);
	out = lab_ok(l, (const char *[]){ "eks", "get-token", "--cluster-name",
	    "c1", NULL });
	j = cJSON_Parse(out);
	assert_non_null(j);
	tok = cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetObjectItem(j,
	    "status"), "token"));
	assert_non_null(tok);
	if (sim_aws_verify_eks_token(l->sim, tok, "c1", &arn, &cause) != 0)
		fail_msg("verify: %s", cause);
	assert_string_equal(arn, "arn:aws:iam::" SIM_ACCOUNT_ID
	    ":user/sim-admin");
	free(arn);
	assert_int_equal(sim_aws_verify_eks_token(l->sim, tok, "c2", &arn,
	    &cause), -1);
	free(cause);
	cJSON_Delete(j);
	free(out);
}

/* B1: the my-hotel service network and its association with the client
 * VPC found in A1. */
static void
test_b1_service_network(void **state)
{
	struct lab	*l = *state;
	char		*sn, *out;
	int		 i;

	LAB_NEED(l);
	out = lab_ok(l, (const char *[]){ "vpc-lattice",
	    "create-service-network",
	    "--name", "my-hotel", NULL });
	free(out);
	sn = lab_ok(l, (const char *[]){ "vpc-lattice", "list-service-networks",
	    "--query", "items[?name=='my-hotel'].id", "--output", "text",
	    NULL });
	assert_true(strncmp(sn, "sn-", 3) == 0);
	out = lab_ok(l, (const char *[]){ "vpc-lattice",
	    "create-service-network-vpc-association",
	    "--service-network-identifier", sn, "--vpc-identifier", l->vpc,
	    NULL });
	free(out);
	for (i = 0; i < 50; i++) {
		out = lab_ok(l, (const char *[]){ "vpc-lattice",
		    "list-service-network-vpc-associations", "--vpc-identifier",
		    l->vpc, "--query", "items[0].status", "--output", "text",
		    NULL });
		if (strcmp(out, "ACTIVE") == 0)
			break;
		free(out);
		out = NULL;
		time_sleep_ms(100);
	}
	assert_non_null(out);
	free(out);
	free(sn);
}

/* Undo (phase D's AWS half): revoke, detach, delete. */
static void
test_d_cleanup(void **state)
{
	struct lab	*l = *state;
	char		*out, perm[160];
	int		 i;

	LAB_NEED(l);
	snprintf(perm, sizeof perm, "PrefixListIds=[{PrefixListId=%s}],"
	    "IpProtocol=-1", l->pl4);
	out = lab_ok(l, (const char *[]){ "ec2",
	    "revoke-security-group-ingress", "--group-id", l->cluster_sg,
	    "--ip-permissions", perm, "--query", "Return", NULL });
	assert_string_equal(out, "true");
	free(out);
	lab_fails(l, "InvalidPermission.NotFound", (const char *[]){ "ec2",
	    "revoke-security-group-ingress", "--group-id", l->cluster_sg,
	    "--ip-permissions", perm, NULL });
	out = lab_ok(l, (const char *[]){ "iam", "detach-role-policy",
	    "--role-name", "VPCLatticeControllerIAMRole", "--policy-arn",
	    l->policy_arn, NULL });
	free(out);
	lab_fails(l, "DeleteConflict", (const char *[]){ "iam", "delete-policy",
	    "--policy-arn", l->policy_arn, NULL });
	out = lab_ok(l, (const char *[]){ "iam", "detach-role-policy",
	    "--role-name", "eksctl-c1-addon-iamserviceaccount-Role1",
	    "--policy-arn", l->policy_arn, NULL });
	free(out);
	out = lab_ok(l, (const char *[]){ "iam", "delete-role", "--role-name",
	    "VPCLatticeControllerIAMRole", NULL });
	free(out);
	out = lab_ok(l, (const char *[]){ "iam", "delete-policy",
	    "--policy-arn", l->policy_arn, NULL });
	free(out);
	lab_fails(l, "ResourceInUseException", (const char *[]){ "eks",
	    "delete-cluster", "--name", "c1", NULL });
	out = lab_ok(l, (const char *[]){ "eks", "delete-nodegroup",
	    "--cluster-name", "c1", "--nodegroup-name", "nodegroup", "--query",
	    "nodegroup.status", "--output", "text", NULL });
	assert_string_equal(out, "DELETING");
	free(out);
	for (i = 0; i < 50; i++) {
		out = lab_ok(l, (const char *[]){ "eks", "list-nodegroups",
		    "--cluster-name", "c1", "--query", "length(nodegroups)",
		    NULL });
		if (strcmp(out, "0") == 0)
			break;
		free(out);
		out = NULL;
		time_sleep_ms(100);
	}
	assert_non_null(out);
	free(out);
	out = lab_ok(l, (const char *[]){ "eks", "delete-cluster", "--name",
	    "c1", "--query", "cluster.status", "--output", "text", NULL });
	assert_string_equal(out, "DELETING");
	free(out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_a1_lookups),
		cmocka_unit_test(test_a2_cluster),
		cmocka_unit_test(test_a2_nodegroup),
		cmocka_unit_test(test_a3_security_group),
		cmocka_unit_test(test_a4_policy),
		cmocka_unit_test(test_a8_irsa),
		cmocka_unit_test(test_a8_pod_identity),
		cmocka_unit_test(test_eks_get_token),
		cmocka_unit_test(test_b1_service_network),
		cmocka_unit_test(test_d_cleanup),
	};

	return cmocka_run_group_tests(tests, lab_setup, lab_teardown);
}
