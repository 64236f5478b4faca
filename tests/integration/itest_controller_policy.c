/*
 * The engine's VpcAssociationPolicy, AccessLogPolicy and IAMAuthPolicy
 * reconcilers against the simulator (the lab: my-hotel, rates,
 * inventory). For each policy: applied -> the Lattice side read back
 * through the AWS API -> the Accepted condition, annotations and
 * finalizer -> the policy changed -> deleted -> the Lattice side back as
 * it was. Conflicts: a second IAMAuthPolicy on the same Gateway, a second
 * AccessLogPolicy with the same destination type (another type is fine;
 * the conflicted one takes over when the older one goes). A route's
 * deletion takes its subscription along.
 * Then out-of-band drift (a rule deleted, a rule changed behind the
 * controller's back) is repaired by a resync, and a resync of a
 * converged state makes no write.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "latticectl/kutil.h"
#include "latticectl/plan.h"
#include "ctl_fixture.h"

#define POL_API		"apiVersion: application-networking.k8s.aws/v1alpha1\n"
#define DOC_ALLOW	"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":" \
	"\"Allow\",\"Principal\":\"*\",\"Action\":\"vpc-lattice-svcs:Invoke\"," \
	"\"Resource\":\"*\"}]}"
#define DOC_DENY	"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":" \
	"\"Deny\",\"Principal\":\"*\",\"Action\":\"vpc-lattice-svcs:Invoke\"," \
	"\"Resource\":\"*\"}]}"
#define LOGS_A		"arn:aws:logs:us-west-2:123456789012:log-group:alp-a"
#define LOGS_B		"arn:aws:logs:us-west-2:123456789012:log-group:alp-b"
#define S3_A		"arn:aws:s3:::alp-bucket"
#define FH_A		"arn:aws:firehose:us-west-2:123456789012:" \
	"deliverystream/alp"

static struct cfx		 fx;
static struct controller	*ctl;

/* Group setup: the simulator, the lab, a running controller. */
static int
setup(void **state)
{
	struct controller_config	cfg;
	struct controller_summary	s;

	(void)state;
	if (test_reference_dir() == NULL) {
		printf("SKIP: reference directory not found\n");
		return -1;
	}
	cfx_start(&fx, 0);
	cfx_lab(&fx);
	cfx_config(&cfg);
	ctl = cfx_run(&fx, &cfg, &s);
	return 0;
}

/* Group teardown. */
static int
teardown(void **state)
{
	(void)state;
	controller_free(ctl);
	cfx_stop(&fx);
	return 0;
}

/* Let the informers deliver, then wait for the controller to settle. */
static void
settle(void)
{
	struct controller_summary	s;

	time_sleep_ms(300);
	if (controller_wait_converged(ctl, CFX_WAIT_MS, &s) != 0)
		fail_msg("not converged");
}

/* A policy object (caller frees), or NULL when it is gone. */
static cJSON *
policy_get(const struct kube_resource *res, const char *name)
{
	struct kube_error	 e;
	cJSON			*o = NULL;

	memset(&e, 0, sizeof(e));
	if (kube_get(fx.kc, res, "default", name, &o, &e) != 0) {
		if (!kube_error_is_not_found(&e))
			fail_msg("get %s: %s", name, e.message);
		o = NULL;
	}
	kube_error_clear(&e);
	return o;
}

/* Check a policy's Accepted reason (and status True only for Accepted). */
static void
check_reason(const struct kube_resource *res, const char *name,
    const char *reason)
{
	cJSON		*o = policy_get(res, name);
	const cJSON	*c;

	assert_non_null(o);
	c = kube_conditions_find(json_path(o, "status.conditions"),
	    UP_COND_ACCEPTED);
	if (c == NULL)
		fail_msg("%s: no Accepted condition", name);
	if (strcmp(json_str(c, "reason"), reason) != 0) {
		cfx_print_keys(ctl);
		fail_msg("%s: reason %s (%s), want %s", name, json_str(c,
		    "reason"), json_str(c, "message"), reason);
	}
	assert_string_equal(json_str(c, "status"), strcmp(reason,
	    UP_REASON_ACCEPTED) == 0 ? "True" : "False");
	cJSON_Delete(o);
}

/* An annotation of a policy (copy, NULL when absent). */
static char *
policy_ann(const struct kube_resource *res, const char *name,
    const char *key)
{
	cJSON	*o = policy_get(res, name);
	char	*v;

	assert_non_null(o);
	v = xstrdup_or_null(json_str(json_path(o, "metadata.annotations"),
	    key));
	cJSON_Delete(o);
	return v;
}

/* Check an annotation of a policy (want NULL: absent). */
static void
check_ann(const struct kube_resource *res, const char *name,
    const char *key, const char *want)
{
	char	*v = policy_ann(res, name, key);

	if (want == NULL)
		assert_null(v);
	else
		assert_string_equal(v, want);
	free(v);
}

/* Does the policy carry finalizer fin? */
static int
policy_has_fin(const struct kube_resource *res, const char *name,
    const char *fin)
{
	cJSON	*o = policy_get(res, name);
	int	 has;

	assert_non_null(o);
	has = kube_finalizer_has(o, fin);
	cJSON_Delete(o);
	return has;
}

/* Delete a policy and wait until the object is gone. */
static void
policy_delete(const struct kube_resource *res, const char *name)
{
	struct kube_error	 e;
	cJSON			*o;

	memset(&e, 0, sizeof(e));
	if (kube_delete(fx.kc, res, "default", name, NULL, &e) != 0)
		fail_msg("delete %s: %s", name, e.message);
	settle();
	if ((o = policy_get(res, name)) != NULL) {
		cfx_print_keys(ctl);
		fail_msg("%s still there (finalizers kept)", name);
	}
}

/* Merge-patch a policy's spec. */
static void
policy_patch(const struct kube_resource *res, const char *name,
    const char *body)
{
	struct kube_error	e;

	memset(&e, 0, sizeof(e));
	if (kube_patch(fx.kc, res, "default", name, NULL, KUBE_PATCH_MERGE,
	    body, NULL, 0, NULL, &e) != 0)
		fail_msg("patch %s: %s", name, e.message);
	settle();
}

/* The id of the my-hotel service network. */
static char *
sn_id(void)
{
	const char	*slash = strrchr(fx.sn_arn, '/');

	return xstrdup(slash + 1);
}

/* The id of a Lattice service by name (copy). */
static char *
svc_id(const char *name)
{
	struct lattice_service	svc;
	char			*id;

	assert_int_equal(cfx_service(&fx, name, &svc), 0);
	id = xstrdup(svc.id);
	lattice_service_free(&svc);
	return id;
}

/* The auth type of a service network or service. */
static char *
auth_type_of(const char *id)
{
	struct lattice_service_network	n;
	struct lattice_service		s;
	struct aws_error		err;
	char				*t;

	memset(&err, 0, sizeof(err));
	if (strncmp(id, "sn-", 3) == 0) {
		assert_int_equal(lattice_get_service_network(fx.aws, id, &n,
		    &err), 0);
		t = xstrdup_or_null(n.auth_type);
		lattice_service_network_free(&n);
	} else {
		assert_int_equal(lattice_get_service(fx.aws, id, &s, &err), 0);
		t = xstrdup_or_null(s.auth_type);
		lattice_service_free(&s);
	}
	return t;
}

/* The auth policy of a resource (copy), NULL when it has none. */
static char *
auth_policy_of(const char *id)
{
	struct lattice_auth_policy	ap;
	struct aws_error		err;
	char				*p = NULL;

	memset(&err, 0, sizeof(err));
	memset(&ap, 0, sizeof(ap));
	if (lattice_get_auth_policy(fx.aws, id, &ap, &err) == 0)
		p = xstrdup_or_null(ap.policy);
	else
		assert_string_equal(err.code, "ResourceNotFoundException");
	aws_error_clear(&err);
	lattice_auth_policy_free(&ap);
	return p;
}

/* Is the resource's auth what an IAMAuthPolicy with doc (NULL: none)
 * makes it? */
static void
check_auth(const char *id, const char *doc)
{
	char	*t = auth_type_of(id), *p = auth_policy_of(id);
	cJSON	*a, *b;

	assert_string_equal(t, doc != NULL ? "AWS_IAM" : "NONE");
	if (doc == NULL)
		assert_null(p);
	else {
		assert_non_null(p);
		a = cJSON_Parse(p);
		b = cJSON_Parse(doc);
		assert_true(cJSON_Compare(a, b, 1));
		cJSON_Delete(a);
		cJSON_Delete(b);
	}
	free(t);
	free(p);
}

/* An IAMAuthPolicy named name on kind/target with policy doc. */
static void
apply_iap(const char *name, const char *kind, const char *target,
    const char *doc)
{
	cJSON	*str = cJSON_CreateString(doc);
	char	*text, *q = json_print(str);

	xasprintf(&text, POL_API "kind: IAMAuthPolicy\nmetadata:\n  name: %s\n"
	    "spec:\n  targetRef:\n    group: gateway.networking.k8s.io\n"
	    "    kind: %s\n    name: %s\n  policy: %s\n", name, kind, target,
	    q);
	cfx_apply_text(&fx, text);
	free(text);
	free(q);
	cJSON_Delete(str);
}

/* Change an IAMAuthPolicy's document. */
static void
patch_doc(const char *name, const char *doc)
{
	cJSON	*body = cJSON_CreateObject(), *spec;
	char	*text;

	spec = cJSON_AddObjectToObject(body, "spec");
	cJSON_AddStringToObject(spec, "policy", doc);
	text = json_print(body);
	policy_patch(&KUBE_RES_IAMAUTHPOLICIES, name, text);
	free(text);
	cJSON_Delete(body);
}

/* IAMAuthPolicy on the Gateway and on a route: auth type, auth policy,
 * annotations, status; a change; a conflict; deletion resets. */
static void
test_iamauth(void **state)
{
	const struct kube_resource	*res = &KUBE_RES_IAMAUTHPOLICIES;
	char				*sn = sn_id(), *svc = svc_id(
	    "rates-default");

	(void)state;
	check_auth(sn, NULL);
	apply_iap("gw-auth", "Gateway", CFX_SN, DOC_ALLOW);
	apply_iap("rates-auth", "HTTPRoute", "rates", DOC_ALLOW);
	settle();
	check_auth(sn, DOC_ALLOW);
	check_auth(svc, DOC_ALLOW);
	check_reason(res, "gw-auth", UP_REASON_ACCEPTED);
	check_reason(res, "rates-auth", UP_REASON_ACCEPTED);
	assert_true(policy_has_fin(res, "rates-auth", UP_FIN_IAP));
	check_ann(res, "rates-auth", UP_ANN_IAP_RESOURCE_ID, svc);
	check_ann(res, "rates-auth", UP_ANN_IAP_RESOURCE_TYPE,
	    UP_IAP_TYPE_SERVICE);
	check_ann(res, "gw-auth", UP_ANN_IAP_RESOURCE_TYPE, UP_IAP_TYPE_SN);
	check_ann(res, "gw-auth", UP_ANN_IAP_RESOURCE_NAME, CFX_SN);

	/* the document changes */
	patch_doc("rates-auth", DOC_DENY);
	check_auth(svc, DOC_DENY);

	/* a second, newer policy on the same Gateway is Conflicted */
	apply_iap("gw-auth-2", "Gateway", CFX_SN, DOC_DENY);
	settle();
	check_reason(res, "gw-auth-2", UP_REASON_CONFLICTED);
	check_auth(sn, DOC_ALLOW);
	policy_delete(res, "gw-auth-2");
	check_auth(sn, DOC_ALLOW);

	/* a missing target */
	apply_iap("ghost-auth", "HTTPRoute", "ghost", DOC_ALLOW);
	settle();
	check_reason(res, "ghost-auth", UP_REASON_TARGET_NOT_FOUND);
	policy_delete(res, "ghost-auth");

	/* deletion puts both back */
	policy_delete(res, "rates-auth");
	check_auth(svc, NULL);
	policy_delete(res, "gw-auth");
	check_auth(sn, NULL);
	free(sn);
	free(svc);
}

/* An AccessLogPolicy named name on kind/target to dest. */
static void
apply_alp(const char *name, const char *kind, const char *target,
    const char *dest)
{
	char	*text;

	xasprintf(&text, POL_API "kind: AccessLogPolicy\nmetadata:\n"
	    "  name: %s\nspec:\n  targetRef:\n"
	    "    group: gateway.networking.k8s.io\n    kind: %s\n"
	    "    name: %s\n  destinationArn: %s\n", name, kind, target, dest);
	cfx_apply_text(&fx, text);
	free(text);
}

/* The subscriptions of a resource. */
static void
subs_of(const char *id, struct lattice_access_log_sub_list *l)
{
	struct aws_error	err;

	memset(&err, 0, sizeof(err));
	if (lattice_list_access_log_subs(fx.aws, id, NULL, l, &err) != 0)
		fail_msg("ListAccessLogSubscriptions: %s", err.message);
}

/* The one subscription of id to dest: its ARN (copy); checks its tags. */
static char *
check_sub(const char *id, const char *dest, const char *policy)
{
	struct lattice_access_log_sub_list	 l;
	struct aws_error			 err;
	struct aws_tags				 t;
	char					*arn = NULL;
	size_t					 i;

	subs_of(id, &l);
	for (i = 0; i < l.n; i++) {
		if (strcmp(l.items[i].destination_arn, dest) != 0)
			continue;
		assert_null(arn);
		arn = xstrdup(l.items[i].arn);
	}
	lattice_access_log_sub_list_free(&l);
	if (arn == NULL)
		fail_msg("%s: no subscription to %s", id, dest);
	memset(&err, 0, sizeof(err));
	memset(&t, 0, sizeof(t));
	assert_int_equal(lattice_list_tags(fx.aws, arn, &t, &err), 0);
	assert_string_equal(aws_tags_get(&t, UP_TAG_MANAGED_BY),
	    CFX_MANAGED_BY);
	assert_string_equal(aws_tags_get(&t, UP_TAG_ACCESS_LOG_POLICY), policy);
	aws_tags_free(&t);
	return arn;
}

/* How many subscriptions a resource has. */
static size_t
nsubs(const char *id)
{
	struct lattice_access_log_sub_list	l;
	size_t					n;

	subs_of(id, &l);
	n = l.n;
	lattice_access_log_sub_list_free(&l);
	return n;
}

/* Delete a route and wait until it and its Lattice service are gone. */
static void
route_delete(const char *name)
{
	struct lattice_service	 svc;
	struct kube_error	 e;
	cJSON			*o;
	char			*lname;

	memset(&e, 0, sizeof(e));
	if (kube_delete(fx.kc, &KUBE_RES_HTTPROUTES, "default", name, NULL,
	    &e) != 0)
		fail_msg("delete route %s: %s", name, e.message);
	settle();
	assert_null(o = cfx_route(&fx, name));
	xasprintf(&lname, "%s-default", name);
	assert_int_equal(cfx_service(&fx, lname, &svc), -1);
	free(lname);
}

/* AccessLogPolicy on the Gateway and on a route: subscriptions with our
 * tags, the ARN annotation, status; destination change -> update (same
 * ARN); conflicts by destination type; deletion removes them. */
static void
test_accesslog(void **state)
{
	const struct kube_resource	*res = &KUBE_RES_ACCESSLOGPOLICIES;
	char				*sn = sn_id(), *svc = svc_id(
	    "inventory-default"), *arn, *arn2;

	(void)state;
	assert_int_equal(nsubs(sn), 0);
	apply_alp("gw-logs", "Gateway", CFX_SN, LOGS_A);
	apply_alp("inv-logs", "HTTPRoute", "inventory", S3_A);
	settle();
	check_reason(res, "gw-logs", UP_REASON_ACCEPTED);
	check_reason(res, "inv-logs", UP_REASON_ACCEPTED);
	arn = check_sub(sn, LOGS_A, "default/gw-logs");
	free(check_sub(svc, S3_A, "default/inv-logs"));
	check_ann(res, "gw-logs", UP_ANN_ALS, arn);
	check_ann(res, "gw-logs", UP_ANN_ALS_RESOURCE_NAME, CFX_SN);
	assert_true(policy_has_fin(res, "gw-logs", UP_FIN_ALP));

	/* a new destination of the same type: the subscription is updated */
	policy_patch(res, "gw-logs", "{\"spec\":{\"destinationArn\":\""
	    LOGS_B "\"}}");
	arn2 = check_sub(sn, LOGS_B, "default/gw-logs");
	assert_string_equal(arn2, arn);
	assert_int_equal(nsubs(sn), 1);
	free(arn2);

	/* same type again: Conflicted; another type: a second subscription */
	apply_alp("gw-logs-2", "Gateway", CFX_SN, LOGS_A);
	apply_alp("gw-firehose", "Gateway", CFX_SN, FH_A);
	settle();
	check_reason(res, "gw-logs-2", UP_REASON_CONFLICTED);
	check_reason(res, "gw-firehose", UP_REASON_ACCEPTED);
	assert_int_equal(nsubs(sn), 2);
	free(check_sub(sn, FH_A, "default/gw-firehose"));

	/* the older one goes: the conflicted one takes over */
	policy_delete(res, "gw-logs");
	settle();
	check_reason(res, "gw-logs-2", UP_REASON_ACCEPTED);
	free(check_sub(sn, LOGS_A, "default/gw-logs-2"));
	assert_int_equal(nsubs(sn), 2);
	policy_delete(res, "gw-firehose");
	policy_delete(res, "gw-logs-2");
	policy_delete(res, "inv-logs");
	assert_int_equal(nsubs(sn), 0);
	assert_int_equal(nsubs(svc), 0);

	/* the route goes: its service and subscription with it; the policy
	 * is TargetNotFound and can still be deleted */
	apply_alp("inv-logs", "HTTPRoute", "inventory", S3_A);
	settle();
	free(check_sub(svc, S3_A, "default/inv-logs"));
	route_delete("inventory");
	assert_int_equal(nsubs(svc), 0);
	check_reason(res, "inv-logs", UP_REASON_TARGET_NOT_FOUND);
	policy_delete(res, "inv-logs");
	free(arn);
	free(sn);
	free(svc);
}

/* The association of my-hotel with the cluster VPC: 0 and *a filled,
 * -1 when there is none. */
static int
snva_of(struct lattice_sn_vpc_assoc *a)
{
	struct lattice_list_sn_vpc_assocs_input	in;
	struct lattice_sn_vpc_assoc_list	l;
	struct aws_error			err;
	char					*sn = sn_id();
	int					rc = -1;

	memset(&in, 0, sizeof(in));
	in.service_network_identifier = sn;
	in.vpc_identifier = CFX_VPC;
	memset(&err, 0, sizeof(err));
	assert_int_equal(lattice_list_sn_vpc_assocs(fx.aws, &in, &l, &err), 0);
	memset(a, 0, sizeof(*a));
	if (l.n > 0) {
		assert_int_equal(lattice_get_sn_vpc_assoc(fx.aws, l.items[0].id,
		    a, &err), 0);
		rc = 0;
	}
	lattice_sn_vpc_assoc_list_free(&l);
	free(sn);
	return rc;
}

/* Order strings (qsort). */
static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Do have[] and the sorted want[] hold the same groups? */
static int
same_sgs(const char *const *want, size_t n, char **have, size_t nh)
{
	size_t	i;

	if (n != nh)
		return 0;
	qsort(have, nh, sizeof(*have), cmp_str);
	for (i = 0; i < n; i++) {
		if (strcmp(want[i], have[i]) != 0)
			return 0;
	}
	return 1;
}

/* Check the association's security groups (sorted input). */
static void
check_sgs(const char *const *want, size_t n)
{
	struct lattice_sn_vpc_assoc	a;

	assert_int_equal(snva_of(&a), 0);
	assert_true(same_sgs(want, n, a.security_group_ids,
	    a.n_security_group_ids));
	lattice_sn_vpc_assoc_free(&a);
}

/* VpcAssociationPolicy: the association with security groups (tags,
 * annotation, status), an update of the groups, associateWithVpc false
 * removes it, true brings it back, deletion removes it. */
static void
test_vpcassoc(void **state)
{
	static const char *const one[] = { "sg-0a1b2c3d" };
	static const char *const two[] = { "sg-0a1b2c3d", "sg-0e1f2a3b" };
	const struct kube_resource	*res = &KUBE_RES_VPCASSOCIATIONPOLICIES;
	struct lattice_sn_vpc_assoc	 a;
	struct aws_error		 err;
	struct aws_tags			 t;

	(void)state;
	assert_int_equal(snva_of(&a), -1);
	cfx_apply_text(&fx, POL_API "kind: VpcAssociationPolicy\nmetadata:\n"
	    "  name: hotel-vpc\nspec:\n  targetRef:\n"
	    "    group: gateway.networking.k8s.io\n    kind: Gateway\n"
	    "    name: " CFX_SN "\n  securityGroupIds:\n  - sg-0a1b2c3d\n"
	    "  associateWithVpc: true\n");
	settle();
	check_reason(res, "hotel-vpc", UP_REASON_ACCEPTED);
	check_sgs(one, 1);
	assert_int_equal(snva_of(&a), 0);
	memset(&err, 0, sizeof(err));
	memset(&t, 0, sizeof(t));
	assert_int_equal(lattice_list_tags(fx.aws, a.arn, &t, &err), 0);
	assert_string_equal(aws_tags_get(&t, UP_TAG_MANAGED_BY),
	    CFX_MANAGED_BY);
	aws_tags_free(&t);
	check_ann(res, "hotel-vpc", UP_ANN_RESOURCE_ARN, a.arn);
	lattice_sn_vpc_assoc_free(&a);
	assert_true(policy_has_fin(res, "hotel-vpc", UP_FIN_VAP));

	policy_patch(res, "hotel-vpc", "{\"spec\":{\"securityGroupIds\":"
	    "[\"sg-0e1f2a3b\",\"sg-0a1b2c3d\"]}}");
	check_reason(res, "hotel-vpc", UP_REASON_ACCEPTED);
	check_sgs(two, 2);

	policy_patch(res, "hotel-vpc", "{\"spec\":{\"associateWithVpc\":"
	    "false}}");
	check_reason(res, "hotel-vpc", UP_REASON_ACCEPTED);
	assert_int_equal(snva_of(&a), -1);
	check_ann(res, "hotel-vpc", UP_ANN_RESOURCE_ARN, NULL);

	policy_patch(res, "hotel-vpc", "{\"spec\":{\"associateWithVpc\":"
	    "true}}");
	check_sgs(two, 2);
	policy_delete(res, "hotel-vpc");
	assert_int_equal(snva_of(&a), -1);
}

/* The rules of rates-default's listener: ids and listener (caller frees
 * the list and *lid); *sid the service id. */
static void
rates_rules(char **sid, char **lid, struct lattice_rule_list *rl)
{
	struct lattice_listener_list	ll;
	struct aws_error		err;

	*sid = svc_id("rates-default");
	memset(&err, 0, sizeof(err));
	assert_int_equal(lattice_list_listeners(fx.aws, *sid, NULL, &ll,
	    &err), 0);
	assert_int_equal(ll.n, 1);
	*lid = xstrdup(ll.items[0].id);
	lattice_listener_list_free(&ll);
	assert_int_equal(lattice_list_rules(fx.aws, *sid, *lid, NULL, rl,
	    &err), 0);
}

/* How many non-default rules rates-default has, and whether one of them
 * matches path prefix path. */
static size_t
rates_rule_count(const char *path, int *found)
{
	struct lattice_rule_list	rl;
	struct lattice_rule		r;
	struct aws_error		err;
	char				*sid, *lid;
	size_t				i, n = 0;

	rates_rules(&sid, &lid, &rl);
	*found = 0;
	memset(&err, 0, sizeof(err));
	for (i = 0; i < rl.n; i++) {
		if (rl.items[i].is_default)
			continue;
		n++;
		assert_int_equal(lattice_get_rule(fx.aws, sid, lid,
		    rl.items[i].id, &r, &err), 0);
		if (r.match.path.kind == LATTICE_MATCH_PREFIX &&
		    r.match.path.value != NULL && strcmp(r.match.path.value,
		    path) == 0)
			*found = 1;
		lattice_rule_free(&r);
	}
	lattice_rule_list_free(&rl);
	free(sid);
	free(lid);
	return n;
}

/* Detail reads a resync makes (GetRule, GetTargetGroup). */
static atomic_uint	detail_reads;

/* AWS trace: the fixture's counts, and the detail reads. */
static void
trace_details(void *arg, const struct http_trace *t)
{
	cfx_trace_aws(arg, t);
	if (t->op != NULL && (strcmp(t->op, "vpc-lattice:GetRule") == 0 ||
	    strcmp(t->op, "vpc-lattice:GetTargetGroup") == 0))
		atomic_fetch_add(&detail_reads, 1);
}

/* Resync and wait; returns the Lattice writes it made. */
static unsigned
resync(void)
{
	char		*cause = NULL;
	unsigned	 before = atomic_load(&fx.lattice_writes);

	if (controller_resync(ctl, &cause) != 0)
		fail_msg("resync: %s", cause);
	settle();
	return atomic_load(&fx.lattice_writes) - before;
}

/* Out-of-band drift: a rule deleted and a rule's match changed in
 * Lattice (not through the controller) are both repaired by a resync,
 * which makes no write when nothing drifted. */
static void
test_resync_drift(void **state)
{
	struct lattice_update_rule_input	 in;
	struct lattice_rule_match		 m;
	struct lattice_rule_list		 rl;
	struct lattice_rule			 out;
	struct aws_error			 err;
	char					*sid, *lid;
	size_t					 i;
	int					 found;
	unsigned				 w;

	(void)state;
	aws_set_trace(fx.aws, trace_details, &fx);
	/* nothing changed: rules and target groups are listed, not read */
	atomic_store(&detail_reads, 0);
	assert_int_equal(resync(), 0);
	assert_int_equal(atomic_load(&detail_reads), 0);
	assert_int_equal(rates_rule_count("/review", &found), 2);
	assert_true(found);

	/* delete the /review rule behind the controller's back */
	rates_rules(&sid, &lid, &rl);
	memset(&err, 0, sizeof(err));
	for (i = 0; i < rl.n; i++) {
		if (!rl.items[i].is_default && rl.items[i].priority == 2)
			assert_int_equal(lattice_delete_rule(fx.aws, sid, lid,
			    rl.items[i].id, &err), 0);
	}
	lattice_rule_list_free(&rl);
	free(sid);
	free(lid);
	assert_int_equal(rates_rule_count("/review", &found), 1);
	assert_false(found);
	w = resync();
	printf("resync after a rule deletion: %u Lattice writes\n", w);
	assert_true(w >= 1);
	assert_int_equal(rates_rule_count("/review", &found), 2);
	assert_true(found);

	/* change the /parking rule's match behind its back */
	time_sleep_ms(5);
	rates_rules(&sid, &lid, &rl);
	for (i = 0; i < rl.n; i++) {
		if (rl.items[i].is_default || rl.items[i].priority != 1)
			continue;
		memset(&in, 0, sizeof(in));
		memset(&m, 0, sizeof(m));
		m.present = 1;
		m.path.kind = LATTICE_MATCH_PREFIX;
		m.path.value = "/elsewhere";
		in.service_identifier = sid;
		in.listener_identifier = lid;
		in.rule_identifier = rl.items[i].id;
		in.match = &m;
		memset(&out, 0, sizeof(out));
		if (lattice_update_rule(fx.aws, &in, &out, &err) != 0)
			fail_msg("UpdateRule: %s", err.message);
		lattice_rule_free(&out);
	}
	lattice_rule_list_free(&rl);
	free(sid);
	free(lid);
	assert_int_equal(rates_rule_count("/parking", &found), 2);
	assert_false(found);
	atomic_store(&detail_reads, 0);
	w = resync();
	/* the changed rule's lastUpdatedAt asked for it to be read */
	assert_true(atomic_load(&detail_reads) >= 1);
	printf("resync after a rule change: %u Lattice writes\n", w);
	assert_true(w >= 1);
	assert_int_equal(rates_rule_count("/parking", &found), 2);
	assert_true(found);
	assert_int_equal(resync(), 0);
	aws_set_trace(fx.aws, cfx_trace_aws, &fx);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_iamauth),
		cmocka_unit_test(test_accesslog),
		cmocka_unit_test(test_vpcassoc),
		cmocka_unit_test(test_resync_drift),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
