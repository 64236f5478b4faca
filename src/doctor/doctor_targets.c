/* doctor, per route targets: registered targets against the Service's
 * ready endpoints, the Service's targetPort against the pods and the
 * targets, target health with the reason codes explained, and the rule
 * and target group quotas. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/json.h"
#include "latticectl/strbuf.h"
#include "latticectl/upstream.h"
#include "latticectl/xmalloc.h"

#include "doctor_int.h"

/* The target groups of a mapping, each once (borrowed pointers). */
static cJSON *
doc_tgs(const cJSON *m)
{
	cJSON		*out = cJSON_CreateArray();
	const cJSON	*l, *r, *tg, *x;
	int		 seen;

	cJSON_ArrayForEach(l, json_path(m, "listeners"))
	cJSON_ArrayForEach(r, json_path(l, "rules"))
	cJSON_ArrayForEach(tg, json_path(r, "targetGroups")) {
		seen = 0;
		cJSON_ArrayForEach(x, out) {
			if (json_str(x, "id") != NULL && json_str(tg, "id") !=
			    NULL && strcmp(json_str(x, "id"), json_str(tg,
			    "id")) == 0)
				seen = 1;
		}
		if (!seen)
			cJSON_AddItemReferenceToArray(out, (cJSON *)tg);
	}
	return out;
}

/* Split a target group key "svc/ns/name/port"; 0 when it is one. */
static int
doc_tg_key(const cJSON *tg, char *ns, char *name, size_t len, int *port)
{
	const char	*k = json_str(tg, "key");
	char		 fmt[64];

	if (k == NULL || strncmp(k, "svc/", 4) != 0)
		return -1;
	snprintf(fmt, sizeof(fmt), "svc/%%%zu[^/]/%%%zu[^/]/%%d", len - 1,
	    len - 1);
	return sscanf(k, fmt, ns, name, port) == 3 ? 0 : -1;
}

/* The Service's port entry for port, or NULL. */
static const cJSON *
doc_svc_port(const cJSON *svc, int port)
{
	const cJSON	*p;

	cJSON_ArrayForEach(p, json_path(svc, "spec.ports")) {
		if ((int)json_num(p, "port", 0) == port)
			return p;
	}
	return NULL;
}

/* Ready endpoints "ip:port" of a Service port (slices by label). */
static cJSON *
doc_ready(struct doc *d, const char *ns, const char *name,
    const cJSON *sport)
{
	cJSON		*items = NULL, *out = cJSON_CreateArray();
	const cJSON	*s, *ep, *a, *p;
	const char	*pname = json_str(sport, "name");
	char		*sel, *cause = NULL, *ipp;
	int		 port;

	xasprintf(&sel, UP_LABEL_SERVICE_NAME "=%s", name);
	if (doc_klist(d, &KUBE_RES_ENDPOINTSLICES, ns, sel, &items, &cause)
	    != 0)
		goto out;
	cJSON_ArrayForEach(s, items) {
		port = -1;
		cJSON_ArrayForEach(p, json_path(s, "ports")) {
			if (pname == NULL || *pname == '\0' ||
			    (json_str(p, "name") != NULL &&
			    strcmp(json_str(p, "name"), pname) == 0))
				port = (int)json_num(p, "port", -1);
		}
		cJSON_ArrayForEach(ep, json_path(s, "endpoints")) {
			if (!json_bool(json_path(ep, "conditions"), "ready", 1)
			    || json_bool(json_path(ep, "conditions"),
			    "terminating", 0))
				continue;
			cJSON_ArrayForEach(a, json_path(ep, "addresses")) {
				xasprintf(&ipp, "%s:%d", a->valuestring, port);
				cJSON_AddItemToArray(out,
				    cJSON_CreateString(ipp));
				free(ipp);
			}
		}
	}
out:
	free(cause);
	free(sel);
	cJSON_Delete(items);
	return out;
}

/* Registered targets "ip:port" of a target group (not draining). */
static cJSON *
doc_registered(const cJSON *tg)
{
	cJSON		*out = cJSON_CreateArray();
	const cJSON	*t;
	char		*s;

	cJSON_ArrayForEach(t, json_path(tg, "targets")) {
		if (json_str(t, "status") != NULL && strcmp(json_str(t,
		    "status"), "DRAINING") == 0)
			continue;
		xasprintf(&s, "%s:%d", json_str(t, "ip"), (int)json_num(t,
		    "port", 0));
		cJSON_AddItemToArray(out, cJSON_CreateString(s));
		free(s);
	}
	return out;
}

/* The strings of a not in b, as "x, y". */
static void
doc_minus(const cJSON *a, const cJSON *b, struct strbuf *sb)
{
	const cJSON	*x;

	cJSON_ArrayForEach(x, a) {
		if (!doc_str_in(b, x->valuestring))
			strbuf_addf(sb, "%s%s", sb->len > 0 ? ", " : "",
			    x->valuestring);
	}
}

/* The Deployment whose pods the Service selects (copy), or NULL. */
static char *
doc_backend(struct doc *d, const char *ns, const cJSON *svc)
{
	cJSON		*items = NULL;
	const cJSON	*dep, *kv, *sel = json_path(svc, "spec.selector");
	const char	*v;
	char		*cause = NULL, *name = NULL;
	int		 all;

	if (sel == NULL || doc_klist(d, &KUBE_RES_DEPLOYMENTS, ns, NULL,
	    &items, &cause) != 0)
		goto out;
	cJSON_ArrayForEach(dep, items) {
		all = 1;
		cJSON_ArrayForEach(kv, sel) {
			v = json_str(json_path(dep,
			    "spec.template.metadata.labels"), kv->string);
			all &= cJSON_IsString(kv) && v != NULL &&
			    strcmp(v, kv->valuestring) == 0;
		}
		if (all && name == NULL)
			name = xstrdup(json_path_str(dep, "metadata.name"));
	}
out:
	free(cause);
	cJSON_Delete(items);
	return name;
}

/* route.targets for one target group. */
static void
doc_check_targets(struct doc *d, const char *subj, const cJSON *tg,
    const cJSON *svc, const char *ns, const char *name, int port)
{
	const char	*t = "Targets match the Service's ready endpoints";
	const cJSON	*sport = doc_svc_port(svc, port);
	cJSON		*ready = doc_ready(d, ns, name, sport);
	cJSON		*reg = doc_registered(tg);
	struct strbuf	 miss, extra;
	char		*fix, *dep = doc_backend(d, ns, svc);

	strbuf_init(&miss);
	strbuf_init(&extra);
	doc_minus(ready, reg, &miss);
	doc_minus(reg, ready, &extra);
	xasprintf(&fix, "kubectl -n %s get endpointslices -l "
	    UP_LABEL_SERVICE_NAME "=%s\nkubectl -n %s scale deployment "
	    "%s --replicas=2   # the Service's backend", ns, name, ns,
	    dep != NULL ? dep : "DEPLOYMENT");
	free(dep);
	if (svc == NULL)
		doc_addf(d, "route.targets", subj, DOCTOR_FAIL, t, fix,
		    "Service %s/%s does not exist", ns, name);
	else if (cJSON_GetArraySize(ready) == 0)
		doc_addf(d, "route.targets", subj, DOCTOR_FAIL, t, fix,
		    "Service %s/%s has no ready endpoints (backend scaled to "
		    "0 or pods not Ready); %d target%s registered in %s", ns,
		    name, cJSON_GetArraySize(reg), cJSON_GetArraySize(reg) ==
		    1 ? "" : "s", json_str(tg, "name"));
	else if (miss.len > 0)
		doc_addf(d, "route.targets", subj, DOCTOR_FAIL, t,
		    "latticectl plan\nlatticectl controller --once", "ready "
		    "endpoints of %s/%s not registered in %s "
		    "(Target.NotRegistered): %s", ns, name, json_str(tg,
		    "name"), miss.buf);
	else if (extra.len > 0)
		doc_addf(d, "route.targets", subj, DOCTOR_WARN, t,
		    "latticectl controller --once", "registered in %s but not "
		    "a ready endpoint of %s/%s: %s", json_str(tg, "name"), ns,
		    name, extra.buf);
	else
		doc_addf(d, "route.targets", subj, DOCTOR_OK, t, NULL, "%s: %d "
		    "target%s = the ready endpoints of %s/%s", json_str(tg,
		    "name"), cJSON_GetArraySize(reg), cJSON_GetArraySize(reg)
		    == 1 ? "" : "s", ns, name);
	free(fix);
	strbuf_free(&miss);
	strbuf_free(&extra);
	cJSON_Delete(ready);
	cJSON_Delete(reg);
}

/* "k=v,k2=v2" from a Service selector (caller frees; NULL: none). */
static char *
doc_selector(const cJSON *svc)
{
	const cJSON	*kv;
	struct strbuf	 sb;

	strbuf_init(&sb);
	cJSON_ArrayForEach(kv, json_path(svc, "spec.selector")) {
		if (cJSON_IsString(kv))
			strbuf_addf(&sb, "%s%s=%s", sb.len > 0 ? "," : "",
			    kv->string, kv->valuestring);
	}
	if (sb.len == 0) {
		strbuf_free(&sb);
		return NULL;
	}
	return strbuf_detach(&sb, NULL);
}

/* The container ports the selected pods declare ("8090", "http=8090"),
 * into *ports; 1 when targetPort tp (number or name) is one of them,
 * 0 when not, -1 when the pods declare none. */
static int
doc_pod_ports(struct doc *d, const char *ns, const cJSON *svc,
    const cJSON *tp, struct strbuf *ports)
{
	cJSON		*pods = NULL;
	const cJSON	*p, *c, *cp;
	char		*sel = doc_selector(svc), *cause = NULL;
	int		 found = 0, any = 0, num;
	const char	*pn;

	if (sel == NULL || doc_klist(d, &KUBE_RES_PODS, ns, sel, &pods,
	    &cause) != 0)
		goto out;
	cJSON_ArrayForEach(p, pods)
	cJSON_ArrayForEach(c, json_path(p, "spec.containers"))
	cJSON_ArrayForEach(cp, json_path(c, "ports")) {
		num = (int)json_num(cp, "containerPort", 0);
		pn = json_str(cp, "name");
		any = 1;
		if ((cJSON_IsNumber(tp) && tp->valueint == num) ||
		    (cJSON_IsString(tp) && pn != NULL &&
		    strcmp(tp->valuestring, pn) == 0))
			found = 1;
		if (p == pods->child)
			strbuf_addf(ports, "%s%s%s%d", ports->len > 0 ? ", " :
			    "", pn != NULL ? pn : "", pn != NULL ? "=" : "",
			    num);
	}
out:
	free(sel);
	free(cause);
	cJSON_Delete(pods);
	return any ? found : -1;
}

/* route.target-port: Service targetPort vs pods, targets, health check. */
static void
doc_check_port(struct doc *d, const char *subj, const cJSON *tg,
    const cJSON *svc, const char *ns, const char *name, int port)
{
	const char	*t = "Service targetPort, pod ports and target ports "
	    "agree";
	const cJSON	*sport = doc_svc_port(svc, port), *tp, *x;
	const cJSON	*hc = json_path(tg, "healthCheck");
	struct strbuf	 pp, bad;
	char		*fix, tps[64];
	int		 pods, hcport = (int)json_num(hc, "port", 0);

	if (svc == NULL || sport == NULL) {
		doc_addf(d, "route.target-port", subj, DOCTOR_FAIL, t,
		    "kubectl -n NS get service NAME -o yaml", "Service %s/%s "
		    "has no port %d", ns, name, port);
		return;
	}
	strbuf_init(&pp);
	strbuf_init(&bad);
	tp = json_path(sport, "targetPort");
	if (tp == NULL)
		tp = json_path(sport, "port");
	if (cJSON_IsNumber(tp))
		snprintf(tps, sizeof(tps), "%d", tp->valueint);
	else
		snprintf(tps, sizeof(tps), "%s", cJSON_IsString(tp) ?
		    tp->valuestring : "?");
	pods = doc_pod_ports(d, ns, svc, tp, &pp);
	if (pods == 0)
		strbuf_addf(&bad, "Service %s/%s port %d -> targetPort %s, but "
		    "the pods declare containerPort %s", ns, name, port, tps,
		    pp.buf);
	cJSON_ArrayForEach(x, json_path(tg, "targets")) {
		if (cJSON_IsNumber(tp) && (int)json_num(x, "port", 0) !=
		    tp->valueint)
			strbuf_addf(&bad, "%starget %s:%d is not on targetPort "
			    "%s", bad.len > 0 ? "; " : "", json_str(x, "ip"),
			    (int)json_num(x, "port", 0), tps);
	}
	if (hcport > 0 && json_bool(hc, "enabled", 0) && cJSON_IsNumber(tp)
	    && hcport != tp->valueint)
		strbuf_addf(&bad, "%sthe health check probes port %d, the pods "
		    "listen on %s", bad.len > 0 ? "; " : "", hcport, tps);
	xasprintf(&fix, "kubectl -n %s patch service %s --type=json -p "
	    "'[{\"op\":\"replace\",\"path\":\"/spec/ports/0/targetPort\","
	    "\"value\":%s}]'   # the port the pods listen on", ns, name,
	    pp.len > 0 ? pp.buf : "PORT");
	if (bad.len > 0)
		doc_add(d, "route.target-port", subj, DOCTOR_FAIL, t, bad.buf,
		    fix);
	else
		doc_addf(d, "route.target-port", subj, DOCTOR_OK, t, NULL,
		    "Service %s/%s port %d -> targetPort %s%s%s", ns, name,
		    port, tps, pods < 0 ? " (the pods declare no "
		    "containerPort)" : "; pods declare ", pods < 0 ? "" :
		    pp.buf);
	free(fix);
	strbuf_free(&pp);
	strbuf_free(&bad);
}

/* route.targets and route.target-port for every target group. */
void
doc_route_targets(struct doc *d, const char *subj, const cJSON *route,
    const cJSON *m)
{
	cJSON		*tgs = doc_tgs(m), *svc;
	const cJSON	*tg;
	char		 ns[256], name[256], *cause = NULL;
	int		 port, n = 0;

	(void)route;
	cJSON_ArrayForEach(tg, tgs) {
		if (doc_tg_key(tg, ns, name, sizeof(ns), &port) != 0)
			continue;
		n++;
		svc = NULL;
		if (doc_kget(d, &KUBE_RES_SERVICES, ns, name, &svc, &cause) <
		    0) {
			free(cause);
			cause = NULL;
		}
		doc_check_targets(d, subj, tg, svc, ns, name, port);
		doc_check_port(d, subj, tg, svc, ns, name, port);
		cJSON_Delete(svc);
	}
	if (n == 0) {
		doc_add(d, "route.targets", subj, DOCTOR_SKIP, "Targets match "
		    "the Service's ready endpoints", "no target group of a "
		    "Kubernetes Service", NULL);
		doc_add(d, "route.target-port", subj, DOCTOR_SKIP, "Service "
		    "targetPort, pod ports and target ports agree", "no "
		    "target group of a Kubernetes Service", NULL);
	}
	cJSON_Delete(tgs);
}

/* route.target-health */
void
doc_route_health(struct doc *d, const char *subj, const cJSON *m)
{
	const char	*t = "Targets are healthy";
	cJSON		*tgs = doc_tgs(m);
	const cJSON	*tg, *x;
	struct strbuf	 sb;
	const char	*st, *rc;
	int		 n = 0, healthy = 0, worst = DOCTOR_OK;

	strbuf_init(&sb);
	cJSON_ArrayForEach(tg, tgs)
	cJSON_ArrayForEach(x, json_path(tg, "targets")) {
		n++;
		st = json_str(x, "status") != NULL ? json_str(x, "status") :
		    "UNKNOWN";
		rc = json_str(x, "reasonCode");
		if (strcmp(st, "HEALTHY") == 0 || strcmp(st, "UNAVAILABLE") ==
		    0 || strcmp(st, "DRAINING") == 0) {
			healthy++;
			continue;
		}
		if (strcmp(st, "UNHEALTHY") == 0)
			worst = DOCTOR_FAIL;
		else if (worst == DOCTOR_OK)
			worst = DOCTOR_WARN;
		strbuf_addf(&sb, "%s%s:%d %s %s: %s", sb.len > 0 ? "\n" : "",
		    json_str(x, "ip"), (int)json_num(x, "port", 0), st,
		    rc != NULL ? rc : "-", doctor_reason_text(rc));
	}
	if (n == 0)
		doc_add(d, "route.target-health", subj, DOCTOR_SKIP, t,
		    "no targets registered", NULL);
	else if (worst != DOCTOR_OK)
		doc_add(d, "route.target-health", subj, worst, t, sb.buf,
		    "kubectl get targetgrouppolicies -A -o yaml   # healthCheck "
		    "path and port must be served by the pods\naws "
		    "vpc-lattice list-targets --target-group-identifier TG");
	else
		doc_addf(d, "route.target-health", subj, DOCTOR_OK, t, NULL,
		    "%d/%d targets HEALTHY (or health checks off)", healthy, n);
	strbuf_free(&sb);
	cJSON_Delete(tgs);
}

/* Grade use against a quota. */
static int
doc_quota(int used, int quota)
{
	if (used > quota)
		return DOCTOR_FAIL;
	return used * 100 >= quota * DOCTOR_QUOTA_NEAR_PCT ? DOCTOR_WARN :
	    DOCTOR_OK;
}

/* route.quotas: listeners per service, rules per listener, target
 * groups per rule and per service. */
void
doc_route_quotas(struct doc *d, const char *subj, const cJSON *m)
{
	const char	*t = "Rules and target groups within the quotas";
	const cJSON	*l, *r;
	cJSON		*tgs = doc_tgs(m);
	int		 nl = 0, nr, maxr = 0, maxt = 0, nt, st = DOCTOR_OK, q;

	cJSON_ArrayForEach(l, json_path(m, "listeners")) {
		nl++;
		nr = 0;
		cJSON_ArrayForEach(r, json_path(l, "rules")) {
			if (json_num(r, "priority", 0) > 0)
				nr++;
			nt = cJSON_GetArraySize(json_path(r, "targetGroups"));
			if (nt > maxt)
				maxt = nt;
		}
		if (nr > maxr)
			maxr = nr;
	}
	nt = cJSON_GetArraySize(tgs);
	if ((q = doc_quota(nl, DOCTOR_QUOTA_LISTENERS)) > st &&
	    nl > DOCTOR_QUOTA_LISTENERS)
		st = q;
	if ((q = doc_quota(maxr, DOCTOR_QUOTA_RULES)) > st)
		st = q;
	if ((q = doc_quota(maxt, DOCTOR_QUOTA_TGS_RULE)) > st)
		st = q;
	if ((q = doc_quota(nt, DOCTOR_QUOTA_TGS_SVC)) > st)
		st = q;
	doc_addf(d, "route.quotas", subj, st, t, "aws service-quotas "
	    "list-service-quotas --service-code vpc-lattice   # request an "
	    "increase, or split the route", "%d/%d listeners, at most %d/%d "
	    "rules per listener, %d/%d target groups per rule, %d/%d target "
	    "groups per service", nl, DOCTOR_QUOTA_LISTENERS, maxr,
	    DOCTOR_QUOTA_RULES, maxt, DOCTOR_QUOTA_TGS_RULE, nt,
	    DOCTOR_QUOTA_TGS_SVC);
	cJSON_Delete(tgs);
}
