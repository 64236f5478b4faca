/* doctor: the pure parts (human table, reason codes, policy actions). */
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/json.h"
#include "latticectl/xmalloc.h"

#include "doctor_int.h"

/* The icon and ANSI colour of a status string. */
static void
doc_icon(const char *status, const char **icon, const char **color)
{
	if (strcmp(status, "OK") == 0) {
		*icon = "\u2714";
		*color = "\033[32m";
	} else if (strcmp(status, "WARN") == 0) {
		*icon = "!";
		*color = "\033[33m";
	} else if (strcmp(status, "FAIL") == 0) {
		*icon = "\u2718";
		*color = "\033[31m";
	} else {
		*icon = "-";
		*color = "\033[2m";
	}
}

/* The heading of a check's group (routes: one per subject). */
static void
doc_heading(const cJSON *c, struct strbuf *sb, char **last)
{
	const char	*g = json_str(c, "group"), *s = json_str(c, "subject");
	char		 head[512];

	if (g != NULL && strcmp(g, "route") == 0 && s != NULL &&
	    strchr(s, '/') != NULL)
		snprintf(head, sizeof(head), "Route %s", s);
	else if (g != NULL && strcmp(g, "route") == 0)
		snprintf(head, sizeof(head), "Routes");
	else if (g != NULL && strcmp(g, "network") == 0)
		snprintf(head, sizeof(head), "Network");
	else
		snprintf(head, sizeof(head), "Cluster");
	if (*last != NULL && strcmp(*last, head) == 0)
		return;
	free(*last);
	*last = xstrdup(head);
	strbuf_addf(sb, "%s%s\n", sb->len > 0 ? "\n" : "", head);
}

/* Lines of text indented by pre. */
static void
doc_indent(struct strbuf *sb, const char *pre, const char *text)
{
	const char	*p = text, *nl;

	while (p != NULL && *p != '\0') {
		nl = strchr(p, '\n');
		strbuf_addf(sb, "%s%.*s\n", pre, nl != NULL ? (int)(nl - p) :
		    (int)strlen(p), p);
		p = nl != NULL ? nl + 1 : NULL;
	}
}

/* One check. */
static void
doc_format_one(const cJSON *c, int color, struct strbuf *sb)
{
	const char	*st = json_str(c, "status"), *icon, *col;
	const char	*g = json_str(c, "group"), *ev = json_str(c, "evidence");
	const char	*fix = json_str(c, "fix");

	if (st == NULL)
		st = "SKIP";
	doc_icon(st, &icon, &col);
	strbuf_addf(sb, "  %s%s %-4s%s %s", color ? col : "", icon, st,
	    color ? "\033[0m" : "", json_str(c, "title") != NULL ?
	    json_str(c, "title") : "");
	if (g != NULL && strcmp(g, "route") != 0 &&
	    json_str(c, "subject") != NULL && *json_str(c, "subject") != '\0')
		strbuf_addf(sb, " [%s]", json_str(c, "subject"));
	strbuf_addf(sb, "  (%s)\n", json_str(c, "id") != NULL ?
	    json_str(c, "id") : "?");
	if (ev != NULL && *ev != '\0')
		doc_indent(sb, "        ", ev);
	if (fix != NULL && *fix != '\0') {
		strbuf_adds(sb, "        fix:\n");
		doc_indent(sb, "          $ ", fix);
	}
}

/* The human form of a report. */
void
doctor_format_table(const cJSON *report, int color, struct strbuf *sb)
{
	const cJSON	*c, *sum = json_path(report, "summary");
	char		*last = NULL;

	if (json_str(report, "target") != NULL)
		strbuf_addf(sb, "doctor: %s\n\n", json_str(report, "target"));
	cJSON_ArrayForEach(c, json_path(report, "checks")) {
		doc_heading(c, sb, &last);
		doc_format_one(c, color, sb);
	}
	free(last);
	strbuf_addf(sb, "\n%d ok, %d warn, %d fail, %d skipped (checked %s)\n",
	    (int)json_num(sum, "ok", 0), (int)json_num(sum, "warn", 0),
	    (int)json_num(sum, "fail", 0), (int)json_num(sum, "skip", 0),
	    json_str(report, "checkedAt") != NULL ?
	    json_str(report, "checkedAt") : "?");
}

/* What a Lattice target reason code means. */
const char *
doctor_reason_text(const char *code)
{
	static const struct {
		const char	*code;
		const char	*text;
	} t[] = {
		{ "Target.ResponseCodeMismatch", "the health check got an "
		    "HTTP code outside the matcher (e.g. 404: the health "
		    "check path is not served by the pods)" },
		{ "Target.FailedHealthChecks", "the health check failed "
		    "(connection refused or reset: is the target port the "
		    "one the pods listen on?)" },
		{ "Target.Timeout", "the health check timed out (a security "
		    "group not admitting the Lattice prefix lists, or a "
		    "wrong port)" },
		{ "Target.NotRegistered", "the target is not registered in "
		    "the target group" },
		{ "Target.NotInUse", "no listener rule forwards to the "
		    "target group" },
		{ "Target.RegistrationInProgress", "registration is in "
		    "progress: first health checks running" },
		{ "Target.DeregistrationInProgress", "the target is being "
		    "deregistered (draining)" },
		{ "Target.HealthCheckDisabled", "health checks are disabled "
		    "for the target group" },
		{ "Target.InvalidState", "the target is stopped or "
		    "terminated" },
		{ "Target.IpUnusable", "the IP address is in use by the "
		    "service network or not in the target group's VPC" },
		{ "Elb.InternalError", "an internal error in VPC Lattice's "
		    "health checking" },
	};
	size_t	i;

	for (i = 0; code != NULL && i < sizeof(t) / sizeof(t[0]); i++) {
		if (strcmp(t[i].code, code) == 0)
			return t[i].text;
	}
	return code == NULL ? "no reason given" : "an unknown reason code";
}

/* Does one Action entry (string or array) match action? */
static int
doc_action_match(const cJSON *a, const char *action)
{
	const cJSON	*x;

	if (cJSON_IsString(a))
		return fnmatch(a->valuestring, action, FNM_CASEFOLD) == 0;
	cJSON_ArrayForEach(x, a) {
		if (cJSON_IsString(x) && fnmatch(x->valuestring, action,
		    FNM_CASEFOLD) == 0)
			return 1;
	}
	return 0;
}

/* Do the Allow statements of a policy document grant action? */
int
doctor_policy_allows(const cJSON *doc, const char *action)
{
	const cJSON	*st, *s;

	st = json_path(doc, "Statement");
	if (cJSON_IsObject(st))
		return json_str(st, "Effect") != NULL &&
		    strcmp(json_str(st, "Effect"), "Allow") == 0 &&
		    doc_action_match(json_path(st, "Action"), action);
	cJSON_ArrayForEach(s, st) {
		if (json_str(s, "Effect") != NULL &&
		    strcmp(json_str(s, "Effect"), "Allow") == 0 &&
		    doc_action_match(json_path(s, "Action"), action))
			return 1;
	}
	return 0;
}
