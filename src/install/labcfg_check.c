/* lab.yaml validation: every error names the file and the field. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/creds.h"
#include "latticectl/error.h"
#include "latticectl/install.h"

#include "labcfg_int.h"

/* Is every character of s in the set (or alphanumeric when alnum)? */
static int
chk_chars(const char *s, const char *set, int alnum)
{
	for (; *s != '\0'; s++) {
		if (alnum && isalnum((unsigned char)*s))
			continue;
		if (strchr(set, *s) == NULL)
			return 0;
	}
	return 1;
}

/* A DNS-1123 label: lower-case alphanumerics and '-', 1..max, starting
 * and ending alphanumeric. */
static int
chk_dns_label(const char *s, size_t max)
{
	size_t	n = strlen(s), i;

	if (n == 0 || n > max || s[0] == '-' || s[n - 1] == '-')
		return 0;
	for (i = 0; i < n; i++) {
		if (!islower((unsigned char)s[i]) &&
		    !isdigit((unsigned char)s[i]) && s[i] != '-')
			return 0;
	}
	return 1;
}

/* A DNS-1123 subdomain: dot-separated labels, at most 253. */
static int
chk_dns_subdomain(const char *s)
{
	const char	*p, *dot;
	char		 label[64];
	size_t		 n;

	if (strlen(s) == 0 || strlen(s) > 253)
		return 0;
	for (p = s;; p = dot + 1) {
		dot = strchr(p, '.');
		n = dot != NULL ? (size_t)(dot - p) : strlen(p);
		if (n == 0 || n >= sizeof label)
			return 0;
		memcpy(label, p, n);
		label[n] = '\0';
		if (!chk_dns_label(label, 63))
			return 0;
		if (dot == NULL)
			return 1;
	}
}

/* An EKS name: alphanumeric first, then alphanumerics, '-', '_'. */
static int
chk_eks_name(const char *s, size_t max)
{
	size_t	n = strlen(s);

	return n > 0 && n <= max && isalnum((unsigned char)s[0]) &&
	    chk_chars(s, "-_", 1);
}

/* An IAM role or policy name. */
static int
chk_iam_name(const char *s, size_t max)
{
	size_t	n = strlen(s);

	return n > 0 && n <= max && chk_chars(s, "_+=,.@-", 1);
}

/* "1.NN" with NN >= 28 (EKS creates nothing older any more). */
static int
chk_version(const char *s, const char *fn, char **cause)
{
	char	*end;
	long	 minor;

	if (strncmp(s, "1.", 2) != 0 || !isdigit((unsigned char)s[2]))
		return error_set(cause, "%s: cluster.version: '%s' is not a "
		    "Kubernetes version like \"1.33\"", fn, s);
	minor = strtol(s + 2, &end, 10);
	if (*end != '\0')
		return error_set(cause, "%s: cluster.version: '%s' is not a "
		    "Kubernetes version like \"1.33\"", fn, s);
	if (minor < 28)
		return error_set(cause, "%s: cluster.version: EKS no longer "
		    "creates %s clusters (past extended support; the lab's "
		    "1.27 included): use 1.28 or later", fn, s);
	return 0;
}

/* A required string field: set and non-empty. */
static int
chk_set(const char *v, const char *fn, const char *field, char **cause)
{
	if (v == NULL || *v == '\0')
		return error_set(cause, "%s: %s: required", fn, field);
	return 0;
}

/* The cluster's VPC and subnets. */
static int
chk_network(const struct lab_config *c, const char *fn, char **cause)
{
	const struct lab_strv	*l[2] = { &c->cluster.public_subnets,
	    &c->cluster.private_subnets };
	static const char *const nm[2] = { "public", "private" };
	const char		*id = c->cluster.vpc_id;
	size_t			 i, k;

	if (id != NULL && (strncmp(id, "vpc-", 4) != 0 || strlen(id) < 8 ||
	    !chk_chars(id + 4, "0123456789abcdef", 0)))
		return error_set(cause, "%s: cluster.vpc.id: '%s' is not a VPC "
		    "id (vpc-0123abcd...)", fn, id);
	if (id == NULL && (c->cluster.vpc_name == NULL ||
	    *c->cluster.vpc_name == '\0'))
		return error_set(cause, "%s: cluster.vpc: give id or name (the "
		    "VPC's Name tag)", fn);
	for (k = 0; k < 2; k++) {
		for (i = 0; i < l[k]->n; i++) {
			if (*l[k]->v[i] == '\0')
				return error_set(cause, "%s: cluster.subnets.%s"
				    "[%zu]: empty (a subnet id or Name tag)",
				    fn, nm[k], i);
		}
	}
	if (c->cluster.manage && l[0]->n + l[1]->n < 2)
		return error_set(cause, "%s: cluster.subnets: EKS needs at "
		    "least two subnets in two zones", fn);
	return 0;
}

/* Control-plane log types. */
static int
chk_logging(const struct lab_config *c, const char *fn, char **cause)
{
	static const char *const ok[] = { "api", "audit", "authenticator",
	    "controllerManager", "scheduler", NULL };
	size_t	i, k;

	for (i = 0; i < c->cluster.logging.n; i++) {
		for (k = 0; ok[k] != NULL; k++)
			if (strcmp(ok[k], c->cluster.logging.v[i]) == 0)
				break;
		if (ok[k] == NULL)
			return error_set(cause, "%s: cluster.logging[%zu]: "
			    "unknown log type '%s' (api, audit, authenticator, "
			    "controllerManager, scheduler)", fn, i,
			    c->cluster.logging.v[i]);
	}
	return 0;
}

/* The node group (when there is one). */
static int
chk_nodegroup(const struct lab_config *c, const char *fn, char **cause)
{
	const char	*p = "cluster.nodegroup";
	int		 mn = c->nodegroup.min_size, mx = c->nodegroup.max_size;
	int		 want = c->nodegroup.desired_size;

	if (c->nodegroup.name == NULL)
		return 0;
	if (!chk_eks_name(c->nodegroup.name, 63))
		return error_set(cause, "%s: %s.name: '%s' must start with a "
		    "letter or digit and hold only letters, digits, '-' and "
		    "'_' (1 to 63)", fn, p, c->nodegroup.name);
	if (mn < 0 || mx < 1 || mx > 1000)
		return error_set(cause, "%s: %s.maxSize: must be an integer "
		    "from 1 to 1000 (minSize from 0)", fn, p);
	if (want < mn || want > mx)
		return error_set(cause, "%s: %s.desiredCapacity: %d is not "
		    "between minSize %d and maxSize %d", fn, p, want, mn, mx);
	if (c->nodegroup.volume_size < 1 || c->nodegroup.volume_size > 16384)
		return error_set(cause, "%s: %s.volumeSize: must be an integer "
		    "from 1 to 16384 (GiB)", fn, p);
	if (chk_set(c->nodegroup.instance_type, fn, "cluster.nodegroup."
	    "instanceType", cause) != 0)
		return -1;
	if (c->nodegroup.role_name == NULL ||
	    !chk_iam_name(c->nodegroup.role_name, 64))
		return error_set(cause, "%s: %s.roleName: not an IAM role name "
		    "(letters, digits, _+=,.@- up to 64)", fn, p);
	return 0;
}

/* Region, account, cluster name, version and roles. */
static int
chk_cluster(const struct lab_config *c, const char *fn, char **cause)
{
	const char	*a = c->account_id;

	if (c->region != NULL && !aws_region_valid(c->region))
		return error_set(cause, "%s: region: '%s' is not a region name",
		    fn, c->region);
	if (a != NULL && (strlen(a) != 12 || !chk_chars(a, "0123456789", 0)))
		return error_set(cause, "%s: accountId: must be 12 digits", fn);
	if (chk_set(c->cluster.name, fn, "cluster.name", cause) != 0)
		return -1;
	if (!chk_eks_name(c->cluster.name, 100))
		return error_set(cause, "%s: cluster.name: '%s' must start with "
		    "a letter or digit and hold only letters, digits, '-' and "
		    "'_' (1 to 100)", fn, c->cluster.name);
	if (chk_set(c->cluster.version, fn, "cluster.version", cause) != 0 ||
	    chk_version(c->cluster.version, fn, cause) != 0)
		return -1;
	if (c->cluster.role_name == NULL ||
	    !chk_iam_name(c->cluster.role_name, 64))
		return error_set(cause, "%s: cluster.roleName: not an IAM role "
		    "name (letters, digits, _+=,.@- up to 64)", fn);
	if (chk_network(c, fn, cause) != 0 || chk_logging(c, fn, cause) != 0)
		return -1;
	return chk_nodegroup(c, fn, cause);
}

/* IAM names and the identity mode. */
static int
chk_identity(const struct lab_config *c, const char *fn, char **cause)
{
	if (c->policy_name == NULL || !chk_iam_name(c->policy_name, 128))
		return error_set(cause, "%s: iam.policyName: not an IAM policy "
		    "name (letters, digits, _+=,.@- up to 128)", fn);
	if (c->role_name == NULL || !chk_iam_name(c->role_name, 64))
		return error_set(cause, "%s: iam.roleName: not an IAM role name "
		    "(letters, digits, _+=,.@- up to 64)", fn);
	if (c->identity == LAB_IDENTITY_POD_IDENTITY)
		return error_set(cause, "%s: identity: pod-identity is not "
		    "supported yet (the lab's chart v1.0.3 is built with an AWS "
		    "SDK too old for EKS Pod Identity, and latticectl has no "
		    "pod identity association calls yet): use irsa", fn);
	if (c->ns == NULL || !chk_dns_label(c->ns, 63))
		return error_set(cause, "%s: namespace: not a DNS-1123 label "
		    "(lower-case letters, digits, '-', up to 63)", fn);
	if (c->service_account == NULL ||
	    !chk_dns_subdomain(c->service_account))
		return error_set(cause, "%s: serviceAccount: not a DNS-1123 "
		    "subdomain", fn);
	return 0;
}

/* A chart version "v1.0.3" (the v is optional). */
static int
chk_semver(const char *s)
{
	int	dots = 0;

	if (*s == 'v')
		s++;
	if (!isdigit((unsigned char)*s))
		return 0;
	for (; *s != '\0'; s++) {
		if (*s == '.' && isdigit((unsigned char)s[1]))
			dots++;
		else if (!isdigit((unsigned char)*s))
			return *s == '-' && dots == 2;
	}
	return dots == 2;
}

/* The controller block, log level and GatewayClass. */
static int
chk_controller(const struct lab_config *c, const char *fn, char **cause)
{
	static const char *const levels[] = { "debug", "info", "warn",
	    "error", NULL };
	const char	*m = c->controller.manifest;
	size_t		 i;

	if (chk_set(c->controller.chart, fn, "controller.chart", cause) != 0)
		return -1;
	if (c->controller.chart_version == NULL ||
	    !chk_semver(c->controller.chart_version))
		return error_set(cause, "%s: controller.chartVersion: not a "
		    "version like v1.0.3", fn);
	if (c->controller.release == NULL ||
	    !chk_dns_label(c->controller.release, 53))
		return error_set(cause, "%s: controller.release: not a Helm "
		    "release name (lower-case DNS label, up to 53)", fn);
	if (m != NULL && (*m == '\0' || strncmp(m, "http://", 7) == 0))
		return error_set(cause, "%s: controller.manifest: give a file "
		    "or an https:// URL", fn);
	if (chk_set(c->controller.image, fn, "controller.image", cause) != 0)
		return -1;
	if (c->controller.replicas < 1 || c->controller.replicas > 10)
		return error_set(cause, "%s: controller.replicas: must be an "
		    "integer from 1 to 10", fn);
	for (i = 0; levels[i] != NULL; i++)
		if (c->log_level != NULL && strcmp(c->log_level, levels[i]) == 0)
			break;
	if (levels[i] == NULL)
		return error_set(cause, "%s: logLevel: must be debug, info, "
		    "warn or error", fn);
	if (c->gatewayclass == NULL || !chk_dns_subdomain(c->gatewayclass))
		return error_set(cause, "%s: gatewayClass: not a DNS-1123 "
		    "subdomain", fn);
	return 0;
}

/* Validate a whole config. */
int
lab_config_validate(const struct lab_config *c, const char *filename,
    char **cause)
{
	const char	*fn = filename != NULL ? filename : "lab.yaml";

	if (chk_cluster(c, fn, cause) != 0 || chk_identity(c, fn, cause) != 0)
		return -1;
	return chk_controller(c, fn, cause);
}
