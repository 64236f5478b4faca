/* sim_kube Table output: columns per built-in kind, CRD printer columns
 * through a small JSONPath subset. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/json.h"
#include "latticectl/strbuf.h"
#include "latticectl/xmalloc.h"
#include "kube_int.h"

#define KUBE_JP_MAX	64	/* matches kept per path */

typedef cJSON *(*skube_cell_fn)(const cJSON *obj);

struct skube_col {
	const char	*name;
	const char	*type;
	const char	*format;
	int		 priority;
	skube_cell_fn	 cell;
};

struct skube_kind_table {
	const char		*group;
	const char		*kind;
	const struct skube_col	*cols;
};

/* A string cell ("<none>" for NULL or empty). */
static cJSON *
skube_cell_str(const char *s)
{
	return cJSON_CreateString(s != NULL && *s != '\0' ? s : "<none>");
}

/* Name cell. */
static cJSON *
skube_c_name(const cJSON *o)
{
	return cJSON_CreateString(skube_name(o) != NULL ? skube_name(o) : "");
}

/* Age cell. */
static cJSON *
skube_c_age(const cJSON *o)
{
	char	buf[32];

	skube_age(json_path_str(o, "metadata.creationTimestamp"), buf,
	    sizeof buf);
	return cJSON_CreateString(buf);
}

/* Status phase cell (Terminating while being deleted). */
static cJSON *
skube_c_phase(const cJSON *o)
{
	if (json_path(o, "metadata.deletionTimestamp") != NULL)
		return cJSON_CreateString("Terminating");
	return skube_cell_str(json_path_str(o, "status.phase"));
}

/* Pod READY: ready containers / containers. */
static cJSON *
skube_c_pod_ready(const cJSON *o)
{
	const cJSON	*cs;
	int		 ready = 0, total;
	char		 buf[32];

	total = cJSON_GetArraySize(json_path(o, "spec.containers"));
	cJSON_ArrayForEach(cs, json_path(o, "status.containerStatuses"))
		ready += json_bool(cs, "ready", 0);
	snprintf(buf, sizeof buf, "%d/%d", ready, total);
	return cJSON_CreateString(buf);
}

/* Pod RESTARTS. */
static cJSON *
skube_c_restarts(const cJSON *o)
{
	const cJSON	*cs;
	double		 n = 0;

	cJSON_ArrayForEach(cs, json_path(o, "status.containerStatuses"))
		n += json_num(cs, "restartCount", 0);
	return cJSON_CreateNumber(n);
}

/* Pod IP. */
static cJSON *
skube_c_pod_ip(const cJSON *o)
{
	return skube_cell_str(json_path_str(o, "status.podIP"));
}

/* Pod NODE. */
static cJSON *
skube_c_node(const cJSON *o)
{
	return skube_cell_str(json_path_str(o, "spec.nodeName"));
}

/* Service TYPE. */
static cJSON *
skube_c_svc_type(const cJSON *o)
{
	return skube_cell_str(json_path_str(o, "spec.type"));
}

/* Service CLUSTER-IP. */
static cJSON *
skube_c_cluster_ip(const cJSON *o)
{
	return skube_cell_str(json_path_str(o, "spec.clusterIP"));
}

/* Service EXTERNAL-IP. */
static cJSON *
skube_c_external_ip(const cJSON *o)
{
	(void)o;
	return cJSON_CreateString("<none>");
}

/* Service PORT(S): "80/TCP,443:30443/TCP". */
static cJSON *
skube_c_svc_ports(const cJSON *o)
{
	struct strbuf	 sb = STRBUF_INIT;
	const cJSON	*p;
	const char	*proto;
	cJSON		*c;

	strbuf_init(&sb);
	cJSON_ArrayForEach(p, json_path(o, "spec.ports")) {
		proto = json_str(p, "protocol");
		strbuf_addf(&sb, "%s%.0f", sb.len > 0 ? "," : "",
		    json_num(p, "port", 0));
		if (json_num(p, "nodePort", 0) > 0)
			strbuf_addf(&sb, ":%.0f", json_num(p, "nodePort", 0));
		strbuf_addf(&sb, "/%s", proto != NULL ? proto : "TCP");
	}
	c = skube_cell_str(sb.buf);
	strbuf_free(&sb);
	return c;
}

/* "k=v,k2=v2" of a string map (caller frees). */
static char *
skube_map_text(const cJSON *m)
{
	struct strbuf	 sb = STRBUF_INIT;
	const cJSON	*it;

	strbuf_init(&sb);
	cJSON_ArrayForEach(it, m) {
		if (cJSON_IsString(it))
			strbuf_addf(&sb, "%s%s=%s", sb.len > 0 ? "," : "",
			    it->string, it->valuestring);
	}
	return strbuf_detach(&sb, NULL);
}

/* Service SELECTOR. */
static cJSON *
skube_c_selector(const cJSON *o)
{
	char	*s = skube_map_text(json_path(o, "spec.selector"));
	cJSON	*c = skube_cell_str(s);

	free(s);
	return c;
}

/* Number of data items (ConfigMap, Secret). */
static cJSON *
skube_c_data(const cJSON *o)
{
	return cJSON_CreateNumber(cJSON_GetArraySize(json_path(o, "data")) +
	    cJSON_GetArraySize(json_path(o, "binaryData")));
}

/* Secret TYPE. */
static cJSON *
skube_c_secret_type(const cJSON *o)
{
	return skube_cell_str(json_str(o, "type"));
}

/* ServiceAccount SECRETS. */
static cJSON *
skube_c_sa_secrets(const cJSON *o)
{
	return cJSON_CreateNumber(cJSON_GetArraySize(json_path(o, "secrets")));
}

/* Deployment READY: ready/desired. */
static cJSON *
skube_c_deploy_ready(const cJSON *o)
{
	char	buf[32];

	snprintf(buf, sizeof buf, "%.0f/%.0f",
	    json_num(json_path(o, "status"), "readyReplicas", 0),
	    json_num(json_path(o, "spec"), "replicas", 1));
	return cJSON_CreateString(buf);
}

/* Deployment UP-TO-DATE. */
static cJSON *
skube_c_deploy_updated(const cJSON *o)
{
	return cJSON_CreateNumber(json_num(json_path(o, "status"),
	    "updatedReplicas", 0));
}

/* Deployment AVAILABLE. */
static cJSON *
skube_c_deploy_available(const cJSON *o)
{
	return cJSON_CreateNumber(json_num(json_path(o, "status"),
	    "availableReplicas", 0));
}

/* EndpointSlice ADDRESSTYPE. */
static cJSON *
skube_c_addr_type(const cJSON *o)
{
	return skube_cell_str(json_str(o, "addressType"));
}

/* EndpointSlice PORTS. */
static cJSON *
skube_c_eps_ports(const cJSON *o)
{
	struct strbuf	 sb = STRBUF_INIT;
	const cJSON	*p;
	cJSON		*c;

	strbuf_init(&sb);
	cJSON_ArrayForEach(p, json_path(o, "ports"))
		strbuf_addf(&sb, "%s%.0f", sb.len > 0 ? "," : "",
		    json_num(p, "port", 0));
	c = skube_cell_str(sb.buf);
	strbuf_free(&sb);
	return c;
}

/* EndpointSlice ENDPOINTS: the first addresses. */
static cJSON *
skube_c_eps_endpoints(const cJSON *o)
{
	struct strbuf	 sb = STRBUF_INIT;
	const cJSON	*ep, *a;
	int		 n = 0, shown = 0;
	cJSON		*c;

	strbuf_init(&sb);
	cJSON_ArrayForEach(ep, json_path(o, "endpoints")) {
		cJSON_ArrayForEach(a, json_path(ep, "addresses")) {
			if (!cJSON_IsString(a))
				continue;
			if (shown < 3) {
				strbuf_addf(&sb, "%s%s", shown > 0 ? "," : "",
				    a->valuestring);
				shown++;
			}
			n++;
		}
	}
	if (n > shown)
		strbuf_addf(&sb, " + %d more...", n - shown);
	c = skube_cell_str(sb.buf);
	strbuf_free(&sb);
	return c;
}

/* Lease HOLDER. */
static cJSON *
skube_c_holder(const cJSON *o)
{
	const char	*h = json_path_str(o, "spec.holderIdentity");

	return cJSON_CreateString(h != NULL ? h : "");
}

/* CRD CREATED AT. */
static cJSON *
skube_c_created(const cJSON *o)
{
	return skube_cell_str(json_path_str(o, "metadata.creationTimestamp"));
}

/* Node STATUS. */
static cJSON *
skube_c_node_status(const cJSON *o)
{
	const cJSON	*c;

	cJSON_ArrayForEach(c, json_path(o, "status.conditions")) {
		if (json_str(c, "type") != NULL &&
		    strcmp(json_str(c, "type"), "Ready") == 0)
			return cJSON_CreateString(json_str(c,
			    "status") != NULL &&
			    strcmp(json_str(c, "status"), "True") == 0 ?
			    "Ready" : "NotReady");
	}
	return cJSON_CreateString("Unknown");
}

/* Node ROLES. */
static cJSON *
skube_c_roles(const cJSON *o)
{
	(void)o;
	return cJSON_CreateString("<none>");
}

/* Node VERSION. */
static cJSON *
skube_c_kubelet(const cJSON *o)
{
	return skube_cell_str(json_path_str(o,
	    "status.nodeInfo.kubeletVersion"));
}

/* Event LAST SEEN. */
static cJSON *
skube_c_ev_seen(const cJSON *o)
{
	const char	*t = json_str(o, "lastTimestamp");
	char		 buf[32];

	if (t == NULL)
		t = json_str(o, "eventTime");
	if (t == NULL)
		t = json_path_str(o, "metadata.creationTimestamp");
	skube_age(t, buf, sizeof buf);
	return cJSON_CreateString(buf);
}

/* Event TYPE. */
static cJSON *
skube_c_ev_type(const cJSON *o)
{
	return skube_cell_str(json_str(o, "type"));
}

/* Event REASON. */
static cJSON *
skube_c_ev_reason(const cJSON *o)
{
	return skube_cell_str(json_str(o, "reason"));
}

/* Event OBJECT: kind/name (lower-case kind). */
static cJSON *
skube_c_ev_object(const cJSON *o)
{
	const cJSON	*io = json_path(o, "involvedObject");
	char		*s, *p;
	cJSON		*c;

	if (io == NULL)
		io = json_path(o, "regarding");
	xasprintf(&s, "%s/%s", json_str(io, "kind") != NULL ?
	    json_str(io, "kind") : "", json_str(io, "name") != NULL ?
	    json_str(io, "name") : "");
	for (p = s; *p != '/' && *p != '\0'; p++) {
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	}
	c = cJSON_CreateString(s);
	free(s);
	return c;
}

/* Event MESSAGE. */
static cJSON *
skube_c_ev_message(const cJSON *o)
{
	const char	*m = json_str(o, "message");

	if (m == NULL)
		m = json_str(o, "note");
	return cJSON_CreateString(m != NULL ? m : "");
}

static const struct skube_col skube_cols_default[] = {
	{ "Name", "string", "name", 0, skube_c_name },
	{ "Age", "string", "", 0, skube_c_age },
	{ NULL, NULL, NULL, 0, NULL }
};
static const struct skube_col skube_cols_ns[] = {
	{ "Name", "string", "name", 0, skube_c_name },
	{ "Status", "string", "", 0, skube_c_phase },
	{ "Age", "string", "", 0, skube_c_age },
	{ NULL, NULL, NULL, 0, NULL }
};
static const struct skube_col skube_cols_node[] = {
	{ "Name", "string", "name", 0, skube_c_name },
	{ "Status", "string", "", 0, skube_c_node_status },
	{ "Roles", "string", "", 0, skube_c_roles },
	{ "Age", "string", "", 0, skube_c_age },
	{ "Version", "string", "", 0, skube_c_kubelet },
	{ NULL, NULL, NULL, 0, NULL }
};
static const struct skube_col skube_cols_pod[] = {
	{ "Name", "string", "name", 0, skube_c_name },
	{ "Ready", "string", "", 0, skube_c_pod_ready },
	{ "Status", "string", "", 0, skube_c_phase },
	{ "Restarts", "string", "", 0, skube_c_restarts },
	{ "Age", "string", "", 0, skube_c_age },
	{ "IP", "string", "", 1, skube_c_pod_ip },
	{ "Node", "string", "", 1, skube_c_node },
	{ NULL, NULL, NULL, 0, NULL }
};
static const struct skube_col skube_cols_svc[] = {
	{ "Name", "string", "name", 0, skube_c_name },
	{ "Type", "string", "", 0, skube_c_svc_type },
	{ "Cluster-IP", "string", "", 0, skube_c_cluster_ip },
	{ "External-IP", "string", "", 0, skube_c_external_ip },
	{ "Port(s)", "string", "", 0, skube_c_svc_ports },
	{ "Age", "string", "", 0, skube_c_age },
	{ "Selector", "string", "", 1, skube_c_selector },
	{ NULL, NULL, NULL, 0, NULL }
};
static const struct skube_col skube_cols_cm[] = {
	{ "Name", "string", "name", 0, skube_c_name },
	{ "Data", "integer", "", 0, skube_c_data },
	{ "Age", "string", "", 0, skube_c_age },
	{ NULL, NULL, NULL, 0, NULL }
};
static const struct skube_col skube_cols_secret[] = {
	{ "Name", "string", "name", 0, skube_c_name },
	{ "Type", "string", "", 0, skube_c_secret_type },
	{ "Data", "integer", "", 0, skube_c_data },
	{ "Age", "string", "", 0, skube_c_age },
	{ NULL, NULL, NULL, 0, NULL }
};
static const struct skube_col skube_cols_sa[] = {
	{ "Name", "string", "name", 0, skube_c_name },
	{ "Secrets", "integer", "", 0, skube_c_sa_secrets },
	{ "Age", "string", "", 0, skube_c_age },
	{ NULL, NULL, NULL, 0, NULL }
};
static const struct skube_col skube_cols_deploy[] = {
	{ "Name", "string", "name", 0, skube_c_name },
	{ "Ready", "string", "", 0, skube_c_deploy_ready },
	{ "Up-to-date", "string", "", 0, skube_c_deploy_updated },
	{ "Available", "string", "", 0, skube_c_deploy_available },
	{ "Age", "string", "", 0, skube_c_age },
	{ NULL, NULL, NULL, 0, NULL }
};
static const struct skube_col skube_cols_eps[] = {
	{ "Name", "string", "name", 0, skube_c_name },
	{ "AddressType", "string", "", 0, skube_c_addr_type },
	{ "Ports", "string", "", 0, skube_c_eps_ports },
	{ "Endpoints", "string", "", 0, skube_c_eps_endpoints },
	{ "Age", "string", "", 0, skube_c_age },
	{ NULL, NULL, NULL, 0, NULL }
};
static const struct skube_col skube_cols_lease[] = {
	{ "Name", "string", "name", 0, skube_c_name },
	{ "Holder", "string", "", 0, skube_c_holder },
	{ "Age", "string", "", 0, skube_c_age },
	{ NULL, NULL, NULL, 0, NULL }
};
static const struct skube_col skube_cols_crd[] = {
	{ "Name", "string", "name", 0, skube_c_name },
	{ "Created At", "date", "", 0, skube_c_created },
	{ NULL, NULL, NULL, 0, NULL }
};
static const struct skube_col skube_cols_event[] = {
	{ "Last Seen", "string", "", 0, skube_c_ev_seen },
	{ "Type", "string", "", 0, skube_c_ev_type },
	{ "Reason", "string", "", 0, skube_c_ev_reason },
	{ "Object", "string", "", 0, skube_c_ev_object },
	{ "Message", "string", "", 0, skube_c_ev_message },
	{ "Name", "string", "name", 1, skube_c_name },
	{ NULL, NULL, NULL, 0, NULL }
};

static const struct skube_kind_table skube_tables[] = {
	{ "", "Namespace", skube_cols_ns },
	{ "", "Node", skube_cols_node },
	{ "", "Pod", skube_cols_pod },
	{ "", "Service", skube_cols_svc },
	{ "", "ConfigMap", skube_cols_cm },
	{ "", "Secret", skube_cols_secret },
	{ "", "ServiceAccount", skube_cols_sa },
	{ "", "Event", skube_cols_event },
	{ "events.k8s.io", "Event", skube_cols_event },
	{ "apps", "Deployment", skube_cols_deploy },
	{ "discovery.k8s.io", "EndpointSlice", skube_cols_eps },
	{ "coordination.k8s.io", "Lease", skube_cols_lease },
	{ "apiextensions.k8s.io", "CustomResourceDefinition", skube_cols_crd },
	{ NULL, NULL, NULL }
};

/* The built-in columns of a type (default NAME, AGE). */
static const struct skube_col *
skube_table_cols(const struct skube_rtype *rt)
{
	size_t	i;

	if (!rt->builtin)
		return skube_cols_default;
	for (i = 0; skube_tables[i].kind != NULL; i++) {
		if (strcmp(skube_tables[i].group, rt->group) == 0 &&
		    strcmp(skube_tables[i].kind, rt->kind) == 0)
			return skube_tables[i].cols;
	}
	return skube_cols_default;
}

/* One column definition. */
static cJSON *
skube_coldef(const char *name, const char *type, const char *format,
    int priority, const char *desc)
{
	cJSON	*d = cJSON_CreateObject();

	cJSON_AddStringToObject(d, "name", name);
	cJSON_AddStringToObject(d, "type", type);
	cJSON_AddStringToObject(d, "format", format);
	cJSON_AddStringToObject(d, "description", desc != NULL ? desc : "");
	cJSON_AddNumberToObject(d, "priority", priority);
	return d;
}

/* Append the column definitions of rt to defs. */
void
skube_table_columns(const struct skube_rtype *rt, cJSON *defs)
{
	const struct skube_col	*c;
	const cJSON		*pc;
	const char		*type;

	if (!rt->builtin && cJSON_GetArraySize(rt->columns) > 0) {
		cJSON_AddItemToArray(defs, skube_coldef("Name", "string",
		    "name", 0, "Name must be unique within a namespace."));
		cJSON_ArrayForEach(pc, rt->columns) {
			type = json_str(pc, "type");
			cJSON_AddItemToArray(defs,
			    skube_coldef(json_str(pc, "name") ?
			    json_str(pc, "name") : "", type != NULL &&
			    strcmp(type, "date") != 0 ? type : "string",
			    json_str(pc, "format") ? json_str(pc, "format") :
			    "", (int)json_num(pc, "priority", 0),
			    json_str(pc, "description")));
		}
		return;
	}
	for (c = skube_table_cols(rt); c->name != NULL; c++)
		cJSON_AddItemToArray(defs, skube_coldef(c->name, c->type,
		    c->format, c->priority, NULL));
}

/* Append matches of a filter "[?(@.a.b=="v")]" applied to arr. */
static void
skube_jp_filter(const cJSON *arr, const char *expr, const cJSON **out,
    size_t *n)
{
	char		 field[128], val[256];
	const cJSON	*it, *fv;
	const char	*s;
	int		 neq;

	if (sscanf(expr, "@.%127[^=!]%*[=!]", field) != 1)
		return;
	neq = strstr(expr, "!=") != NULL;
	s = strpbrk(expr, "\"'");
	if (s == NULL || sscanf(s + 1, "%255[^\"']", val) != 1)
		val[0] = '\0';
	cJSON_ArrayForEach(it, arr) {
		fv = json_path(it, field);
		if (*n < KUBE_JP_MAX && cJSON_IsString(fv) &&
		    (strcmp(fv->valuestring, val) == 0) != neq)
			out[(*n)++] = it;
	}
}

/* Apply one step ("name", "[*]", "[N]", "[?(...)]") to every match. */
static size_t
skube_jp_step(const cJSON **cur, size_t n, const char *step, int bracket,
    const cJSON **next)
{
	const cJSON	*it;
	size_t		 i, m = 0;

	for (i = 0; i < n; i++) {
		if (!bracket) {
			it = cJSON_GetObjectItemCaseSensitive(cur[i], step);
			if (it != NULL && m < KUBE_JP_MAX)
				next[m++] = it;
		} else if (strcmp(step, "*") == 0) {
			cJSON_ArrayForEach(it, cur[i]) {
				if (m < KUBE_JP_MAX)
					next[m++] = it;
			}
		} else if (step[0] == '?') {
			skube_jp_filter(cur[i], step + 2, next, &m);
		} else if ((it = cJSON_GetArrayItem(cur[i],
		    atoi(step))) != NULL && m < KUBE_JP_MAX)
			next[m++] = it;
	}
	return m;
}

/* Evaluate a JSONPath subset (".a.b", "[*]", "[0]", "[?(@.k==\"v\")]");
 * returns an array of copies of the matches. */
cJSON *
skube_jsonpath(const cJSON *obj, const char *path)
{
	const cJSON	*cur[KUBE_JP_MAX], *next[KUBE_JP_MAX];
	char		 step[300];
	const char	*p = path, *end;
	size_t		 n = 1, len, i;
	cJSON		*res = cJSON_CreateArray();
	int		 bracket;

	cur[0] = obj;
	if (*p == '{')
		p++;
	while (*p != '\0' && *p != '}' && n > 0) {
		bracket = *p == '[';
		if (*p == '.' || *p == '[')
			p++;
		end = bracket ? strchr(p, ']') : p + strcspn(p, ".[}");
		if (end == NULL || (len = end - p) >= sizeof step)
			break;
		memcpy(step, p, len);
		step[len] = '\0';
		p = end + (bracket ? 1 : 0);
		if (len == 0)
			continue;
		n = skube_jp_step(cur, n, step, bracket, next);
		memcpy(cur, next, n * sizeof *cur);
	}
	for (i = 0; i < n; i++)
		cJSON_AddItemToArray(res, cJSON_Duplicate(cur[i], 1));
	return res;
}

/* The cell of one CRD printer column. */
static cJSON *
skube_crd_cell(const cJSON *obj, const cJSON *col)
{
	cJSON		*m, *c;
	const cJSON	*it;
	const char	*type = json_str(col, "type");
	struct strbuf	 sb = STRBUF_INIT;
	char		 buf[32], *txt;

	m = skube_jsonpath(obj, json_str(col, "jsonPath") ? json_str(col,
	    "jsonPath") : "");
	if (cJSON_GetArraySize(m) == 0)
		c = cJSON_CreateNull();
	else if (type != NULL && strcmp(type, "date") == 0 &&
	    cJSON_IsString(m->child)) {
		skube_age(m->child->valuestring, buf, sizeof buf);
		c = cJSON_CreateString(buf);
	} else if (cJSON_GetArraySize(m) == 1 && !cJSON_IsString(m->child) &&
	    !cJSON_IsArray(m->child) && !cJSON_IsObject(m->child))
		c = cJSON_Duplicate(m->child, 1);
	else {
		strbuf_init(&sb);
		cJSON_ArrayForEach(it, m) {
			txt = cJSON_IsString(it) ? xstrdup(it->valuestring) :
			    json_print(it);
			strbuf_addf(&sb, "%s%s", sb.len > 0 ? "," : "", txt);
			free(txt);
		}
		c = cJSON_CreateString(sb.buf);
		strbuf_free(&sb);
	}
	cJSON_Delete(m);
	return c;
}

/* Append the cells of one object to cells. */
void
skube_table_cells(const struct skube_rtype *rt, const cJSON *obj, cJSON *cells)
{
	const struct skube_col	*c;
	const cJSON		*pc;

	if (!rt->builtin && cJSON_GetArraySize(rt->columns) > 0) {
		cJSON_AddItemToArray(cells, skube_c_name(obj));
		cJSON_ArrayForEach(pc, rt->columns)
			cJSON_AddItemToArray(cells, skube_crd_cell(obj, pc));
		return;
	}
	for (c = skube_table_cols(rt); c->name != NULL; c++)
		cJSON_AddItemToArray(cells, c->cell(obj));
}
