/* doctor: the run (facts, then the checks in order) and the report. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/error.h"
#include "latticectl/json.h"
#include "latticectl/sts.h"
#include "latticectl/timeutil.h"
#include "latticectl/xmalloc.h"

#include "doctor_int.h"

static const char *const doc_status_names[] = { "OK", "WARN", "FAIL",
    "SKIP" };

/* "OK", "WARN", "FAIL" or "SKIP". */
const char *
doctor_status_str(enum doctor_status s)
{
	return (unsigned)s < 4 ? doc_status_names[s] : "SKIP";
}

/* Append a check (group from the id's first part). */
void
doc_add(struct doc *d, const char *id, const char *subject,
    enum doctor_status st, const char *title, const char *evidence,
    const char *fix)
{
	cJSON		*c = cJSON_CreateObject();
	const char	*dot = strchr(id, '.');
	char		*group;

	group = xstrndup(id, dot != NULL ? (size_t)(dot - id) : strlen(id));
	cJSON_AddStringToObject(c, "id", id);
	cJSON_AddStringToObject(c, "group", group);
	cJSON_AddStringToObject(c, "subject", subject != NULL ? subject : "");
	cJSON_AddStringToObject(c, "status", doctor_status_str(st));
	cJSON_AddStringToObject(c, "title", title);
	cJSON_AddStringToObject(c, "evidence", evidence != NULL ? evidence :
	    "");
	cJSON_AddStringToObject(c, "fix", fix != NULL && st != DOCTOR_OK ?
	    fix : "");
	cJSON_AddItemToArray(d->checks, c);
	free(group);
}

/* Append a check with formatted evidence. */
void
doc_addf(struct doc *d, const char *id, const char *subject,
    enum doctor_status st, const char *title, const char *fix,
    const char *fmt, ...)
{
	va_list	 ap;
	char	*ev;

	va_start(ap, fmt);
	xvasprintf(&ev, fmt, ap);
	va_end(ap);
	doc_add(d, id, subject, st, title, ev, fix);
	free(ev);
}

/* Resolve a resource through discovery: 0, 1 not served (no cause),
 * -1 error. */
static int
doc_resolve(struct doc *d, const struct kube_resource *res,
    struct kube_resource *r, char **cause)
{
	int	rc;

	if ((rc = kube_resource_resolve(d->kc, res, r, cause)) > 0) {
		free(*cause);
		*cause = NULL;
	}
	return rc;
}

/* GET through discovery: 0, 1 not found / not served, -1 error. */
int
doc_kget(struct doc *d, const struct kube_resource *res, const char *ns,
    const char *name, cJSON **out, char **cause)
{
	struct kube_resource	 r;
	struct kube_error	 e;
	int			 rc;

	*out = NULL;
	if ((rc = doc_resolve(d, res, &r, cause)) != 0)
		return rc;
	memset(&e, 0, sizeof(e));
	rc = 0;
	if (kube_get(d->kc, &r, ns, name, out, &e) != 0) {
		if (kube_error_is_not_found(&e))
			rc = 1;
		else {
			*cause = kube_error_string(&e);
			rc = -1;
		}
	}
	kube_error_clear(&e);
	return rc;
}

/* List through discovery: 0, 1 not served, -1 error. */
int
doc_klist(struct doc *d, const struct kube_resource *res, const char *ns,
    const char *selector, cJSON **items, char **cause)
{
	struct kube_resource	 r;
	struct kube_list_opts	 lo;
	struct kube_error	 e;
	int			 rc;

	*items = NULL;
	if ((rc = doc_resolve(d, res, &r, cause)) != 0)
		return rc;
	memset(&lo, 0, sizeof(lo));
	lo.label_selector = selector;
	memset(&e, 0, sizeof(e));
	rc = 0;
	if (kube_list_all(d->kc, &r, ns, &lo, items, NULL, &e) != 0) {
		*cause = kube_error_string(&e);
		rc = -1;
	}
	kube_error_clear(&e);
	return rc;
}

/* Is s one of the strings of arr? */
int
doc_str_in(const cJSON *arr, const char *s)
{
	const cJSON	*x;

	cJSON_ArrayForEach(x, arr) {
		if (cJSON_IsString(x) && s != NULL &&
		    strcmp(x->valuestring, s) == 0)
			return 1;
	}
	return 0;
}

/* Free what a run found. */
static void
doc_free(struct doc *d)
{
	cJSON_Delete(d->checks);
	cJSON_Delete(d->deploys);
	cJSON_Delete(d->gateways);
	cJSON_Delete(d->routes);
	free(d->sa_ns);
	free(d->sa_name);
	free(d->role_arn);
	free(d->cluster);
	free(d->vpc_id);
	free(d->account);
	free(d->target);
	if (d->have_eks)
		eks_cluster_clear(&d->eks);
}

/* The account: the option, AWS_ACCOUNT_ID, else STS (which also proves
 * AWS reachable). */
static int
doc_account(struct doc *d, char **cause)
{
	struct sts_identity	 id;
	struct aws_error	 err;
	const char		*env = getenv("AWS_ACCOUNT_ID");

	memset(&id, 0, sizeof(id));
	memset(&err, 0, sizeof(err));
	if (sts_get_caller_identity(d->aws, &id, &err) != 0) {
		*cause = aws_error_string(&err);
		aws_error_clear(&err);
		return error_wrap(cause, "AWS is not reachable");
	}
	if (d->o->account_id != NULL)
		d->account = xstrdup(d->o->account_id);
	else if (env != NULL && *env != '\0')
		d->account = xstrdup(env);
	else
		d->account = xstrdup(id.account);
	sts_identity_clear(&id);
	return 0;
}

/* The report object around the checks. */
static cJSON *
doc_report(struct doc *d)
{
	cJSON		*r = cJSON_CreateObject(), *sum;
	const cJSON	*c;
	struct timespec	 now = time_now();
	char		 ts[64];
	int		 n[4] = { 0, 0, 0, 0 };
	size_t		 i;

	if (d->target != NULL)
		cJSON_AddStringToObject(r, "target", d->target);
	else
		cJSON_AddNullToObject(r, "target");
	now.tv_nsec = 0;
	time_format_rfc3339(&now, 0, ts, sizeof(ts));
	cJSON_AddStringToObject(r, "checkedAt", ts);
	cJSON_ArrayForEach(c, d->checks) {
		for (i = 0; i < 4; i++) {
			if (strcmp(json_str(c, "status"), doc_status_names[i])
			    == 0)
				n[i]++;
		}
	}
	sum = cJSON_AddObjectToObject(r, "summary");
	cJSON_AddNumberToObject(sum, "ok", n[DOCTOR_OK]);
	cJSON_AddNumberToObject(sum, "warn", n[DOCTOR_WARN]);
	cJSON_AddNumberToObject(sum, "fail", n[DOCTOR_FAIL]);
	cJSON_AddNumberToObject(sum, "skip", n[DOCTOR_SKIP]);
	cJSON_AddItemToObject(r, "checks", d->checks);
	d->checks = NULL;
	return r;
}

/* Run every check. */
int
doctor_run(const struct doctor_opts *o, cJSON **report, char **cause)
{
	struct doc	 d;
	char		*ver = NULL;
	int		 rc = -1;

	*report = NULL;
	if (o == NULL || o->kc == NULL || o->aws == NULL)
		return error_set(cause, "doctor: a Kubernetes client and an "
		    "AWS context are required");
	memset(&d, 0, sizeof(d));
	d.o = o;
	d.kc = o->kc;
	d.aws = o->aws;
	d.ctl_ns = o->controller_ns != NULL ? o->controller_ns :
	    DOCTOR_CTL_NAMESPACE;
	d.checks = cJSON_CreateArray();
	if (kube_server_version(d.kc, &ver, cause) != 0) {
		error_wrap(cause, "the cluster is not reachable");
		goto out;
	}
	free(ver);
	if (doc_account(&d, cause) != 0 || doc_cluster(&d, cause) != 0)
		goto out;
	doc_identity(&d);
	doc_crds(&d);
	if (doc_routes(&d, cause) != 0)
		goto out;
	*report = doc_report(&d);
	rc = 0;
out:
	doc_free(&d);
	return rc;
}

/* 0 all OK (SKIP allowed), 1 any WARN or FAIL. */
int
doctor_exit_code(const cJSON *report)
{
	const cJSON	*c;
	const char	*s;

	cJSON_ArrayForEach(c, json_path(report, "checks")) {
		s = json_str(c, "status");
		if (s != NULL && (strcmp(s, "WARN") == 0 ||
		    strcmp(s, "FAIL") == 0))
			return 1;
	}
	return 0;
}

/* The worst status of check id (-1: absent). */
int
doctor_check_status(const cJSON *report, const char *id)
{
	const cJSON	*c;
	int		 worst = -1, s, i;

	static const int rank[4] = { 1, 3, 4, 2 };	/* OK WARN FAIL SKIP */

	cJSON_ArrayForEach(c, json_path(report, "checks")) {
		if (json_str(c, "id") == NULL || strcmp(json_str(c, "id"), id)
		    != 0)
			continue;
		for (s = -1, i = 0; i < 4 && json_str(c, "status") != NULL;
		    i++) {
			if (strcmp(json_str(c, "status"), doc_status_names[i])
			    == 0)
				s = i;
		}
		if (s >= 0 && (worst < 0 || rank[s] > rank[worst]))
			worst = s;
	}
	return worst;
}
