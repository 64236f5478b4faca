/* latticectl get: read the kinds latticectl watches, kubectl-style
 * (table, json or yaml; -w follows changes through an informer). */
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "latticectl/json.h"
#include "latticectl/kcache.h"
#include "latticectl/kinformer.h"
#include "latticectl/kube.h"
#include "latticectl/strbuf.h"
#include "latticectl/timeutil.h"
#include "latticectl/xmalloc.h"
#include "latticectl/yaml.h"

#include "cli.h"

#define GET_MAX_COLS	8
#define GET_WATCH_MIN_WIDTH 12	/* -w: columns before the data is known */

enum get_output { GET_TABLE, GET_JSON, GET_YAML };

/* The kinds `get` serves (kubectl names and short names all work). */
static const struct kube_resource *const *
get_kinds(void)
{
	static const struct kube_resource *const kinds[] = {
		&KUBE_RES_GATEWAYCLASSES, &KUBE_RES_GATEWAYS,
		&KUBE_RES_HTTPROUTES, &KUBE_RES_GRPCROUTES, &KUBE_RES_TLSROUTES,
		&KUBE_RES_REFERENCEGRANTS, &KUBE_RES_SERVICES,
		&KUBE_RES_ENDPOINTSLICES, &KUBE_RES_SERVICEEXPORTS,
		&KUBE_RES_SERVICEIMPORTS, &KUBE_RES_TARGETGROUPPOLICIES,
		&KUBE_RES_VPCASSOCIATIONPOLICIES, &KUBE_RES_ACCESSLOGPOLICIES,
		&KUBE_RES_IAMAUTHPOLICIES, NULL
	};

	return kinds;
}

struct get_opts {
	const struct kube_resource	*res;	/* resolved: points into client */
	struct kube_resource		 rres;
	const char			*name;
	const char			*ns;	/* NULL: all namespaces */
	int				 all_ns;
	int				 watch;
	enum get_output			 output;
};

/* One table: header plus rows of cells (owned). */
struct get_table {
	const char	*head[GET_MAX_COLS];
	size_t		 ncols;
	char		**cells;	/* nrows * ncols */
	size_t		 nrows;
	size_t		 width[GET_MAX_COLS];
};

/* Print usage for get. */
static void
get_usage(FILE *f)
{
	const struct kube_resource *const	*k;

	fprintf(f, "usage: latticectl get KIND [NAME] [-n NS | -A] "
	    "[-o table|json|yaml] [-w]\nkinds:");
	for (k = get_kinds(); *k != NULL; k++)
		fprintf(f, " %s%s%s%s", (*k)->resource,
		    (*k)->short_names != NULL ? " (" : "",
		    (*k)->short_names != NULL ? (*k)->short_names : "",
		    (*k)->short_names != NULL ? ")" : "");
	fprintf(f, "\n");
}

/* The served descriptor for a kind name, or NULL. */
static const struct kube_resource *
get_find_kind(const char *name)
{
	const struct kube_resource		*r = kube_resource_find(name);
	const struct kube_resource *const	*k;

	for (k = get_kinds(); r != NULL && *k != NULL; k++) {
		if (*k == r)
			return r;
	}
	return NULL;
}

/* kubectl's HumanDuration for an age. */
static void
get_human_duration(long secs, char *buf, size_t len)
{
	long	m = secs / 60, h = secs / 3600, d = h / 24;

	if (secs < 0)
		snprintf(buf, len, "0s");
	else if (secs < 120)
		snprintf(buf, len, "%lds", secs);
	else if (m < 10)
		snprintf(buf, len, secs % 60 ? "%ldm%lds" : "%ldm", m, secs % 60);
	else if (m < 180)
		snprintf(buf, len, "%ldm", m);
	else if (h < 8)
		snprintf(buf, len, m % 60 ? "%ldh%ldm" : "%ldh", h, m % 60);
	else if (h < 48)
		snprintf(buf, len, "%ldh", h);
	else if (h < 24 * 8)
		snprintf(buf, len, h % 24 ? "%ldd%ldh" : "%ldd", d, h % 24);
	else if (h < 24 * 365 * 2)
		snprintf(buf, len, "%ldd", d);
	else if (h < 24 * 365 * 8)
		snprintf(buf, len, d % 365 ? "%ldy%ldd" : "%ldy", d / 365,
		    d % 365);
	else
		snprintf(buf, len, "%ldy", d / 365);
}

/* The AGE cell of an object (caller frees). */
static char *
get_age(const cJSON *obj)
{
	const char	*ts = json_path_str(obj, "metadata.creationTimestamp");
	struct timespec	 t, now = time_now();
	char		 buf[32];

	if (ts == NULL || time_parse(ts, &t) != 0)
		return xstrdup("<unknown>");
	get_human_duration((long)(now.tv_sec - t.tv_sec), buf, sizeof buf);
	return xstrdup(buf);
}

/* A string at path, or def (caller frees). */
static char *
get_str(const cJSON *obj, const char *path, const char *def)
{
	const char	*s = json_path_str(obj, path);

	return xstrdup(s != NULL && *s != '\0' ? s : def);
}

/* The status of a condition type in status.conditions, or "Unknown". */
static char *
get_cond(const cJSON *obj, const char *type)
{
	const cJSON	*c;
	const char	*t, *s;

	cJSON_ArrayForEach(c, json_path(obj, "status.conditions")) {
		t = json_str(c, "type");
		s = json_str(c, "status");
		if (t != NULL && s != NULL && strcmp(t, type) == 0)
			return xstrdup(s);
	}
	return xstrdup("Unknown");
}

/* Compact JSON of a member (array columns like HOSTNAMES), or "". */
static char *
get_json_at(const cJSON *obj, const char *path)
{
	const cJSON	*v = json_path(obj, path);

	return v != NULL ? json_print(v) : xstrdup("");
}

/* Join members of array items: item[key] (or item itself when key is
 * NULL) with sep, at most max values then " + N more...". */
static char *
get_join(const cJSON *arr, const char *key, const char *suffix_key,
    size_t max, const char *empty)
{
	struct strbuf	 sb = STRBUF_INIT;
	const cJSON	*it, *v;
	size_t		 n = 0, total = (size_t)cJSON_GetArraySize(arr);

	cJSON_ArrayForEach(it, arr) {
		v = key != NULL ? cJSON_GetObjectItemCaseSensitive(it, key) : it;
		if (n == max)
			break;
		if (n++ > 0)
			strbuf_addc(&sb, ',');
		if (cJSON_IsString(v))
			strbuf_adds(&sb, v->valuestring);
		else if (cJSON_IsNumber(v))
			strbuf_addf(&sb, "%d", v->valueint);
		if (suffix_key != NULL && json_str(it, suffix_key) != NULL)
			strbuf_addf(&sb, "/%s", json_str(it, suffix_key));
	}
	if (total > n && n == max)
		strbuf_addf(&sb, " + %zu more...", total - n);
	if (sb.len == 0)
		strbuf_adds(&sb, empty);
	return strbuf_detach(&sb, NULL);
}

/* EndpointSlice ENDPOINTS: addresses of every endpoint, three shown. */
static char *
get_slice_endpoints(const cJSON *obj)
{
	cJSON		*all = cJSON_CreateArray();
	const cJSON	*ep, *a;
	char		*s;

	cJSON_ArrayForEach(ep, json_path(obj, "endpoints")) {
		cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(ep,
		    "addresses"))
			cJSON_AddItemToArray(all, cJSON_Duplicate(a, 0));
	}
	s = get_join(all, NULL, NULL, 3, "<unset>");
	cJSON_Delete(all);
	return s;
}

/* Service EXTERNAL-IP. */
static char *
get_svc_external(const cJSON *obj)
{
	const cJSON	*ing = json_path(obj, "status.loadBalancer.ingress");
	const char	*type = json_path_str(obj, "spec.type");

	if (cJSON_GetArraySize(ing) > 0)
		return get_join(ing, json_str(cJSON_GetArrayItem(ing, 0),
		    "ip") != NULL ? "ip" : "hostname", NULL, 100, "");
	if (json_path(obj, "spec.externalIPs") != NULL)
		return get_join(json_path(obj, "spec.externalIPs"), NULL, NULL,
		    100, "<none>");
	return xstrdup(type != NULL && strcmp(type, "LoadBalancer") == 0 ?
	    "<pending>" : "<none>");
}

/* Kind-specific columns (after NAME, before AGE), as kubectl shows them. */
static const struct get_kind_cols {
	const char	*kind;
	const char	*cols[4];
} get_kind_cols[] = {
	{ "GatewayClass", { "CONTROLLER", "ACCEPTED", NULL, NULL } },
	{ "Gateway", { "CLASS", "ADDRESS", "PROGRAMMED", NULL } },
	{ "HTTPRoute", { "HOSTNAMES", NULL, NULL, NULL } },
	{ "GRPCRoute", { "HOSTNAMES", NULL, NULL, NULL } },
	{ "Service", { "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)" } },
	{ "EndpointSlice", { "ADDRESSTYPE", "PORTS", "ENDPOINTS", NULL } },
};

/* The kind-specific column names of r into head; their count. */
static size_t
get_columns(const struct kube_resource *r, const char **head)
{
	size_t	i, n = 0;

	for (i = 0; i < sizeof get_kind_cols / sizeof *get_kind_cols; i++) {
		if (strcmp(get_kind_cols[i].kind, r->kind) != 0)
			continue;
		while (n < 4 && get_kind_cols[i].cols[n] != NULL) {
			head[n] = get_kind_cols[i].cols[n];
			n++;
		}
	}
	return n;
}

/* The kind-specific cells of one object (as get_columns names them). */
static void
get_cells(const struct kube_resource *r, const cJSON *o, char **c)
{
	const char	*kind = r->kind;

	if (strcmp(kind, "GatewayClass") == 0) {
		c[0] = get_str(o, "spec.controllerName", "");
		c[1] = get_cond(o, "Accepted");
	} else if (strcmp(kind, "Gateway") == 0) {
		c[0] = get_str(o, "spec.gatewayClassName", "");
		c[1] = get_join(json_path(o, "status.addresses"), "value", NULL,
		    100, "");
		c[2] = get_cond(o, "Programmed");
	} else if (strcmp(kind, "HTTPRoute") == 0 ||
	    strcmp(kind, "GRPCRoute") == 0)
		c[0] = get_json_at(o, "spec.hostnames");
	else if (strcmp(kind, "Service") == 0) {
		c[0] = get_str(o, "spec.type", "ClusterIP");
		c[1] = get_str(o, "spec.clusterIP", "<none>");
		c[2] = get_svc_external(o);
		c[3] = get_join(json_path(o, "spec.ports"), "port", "protocol",
		    100, "<none>");
	} else if (strcmp(kind, "EndpointSlice") == 0) {
		c[0] = get_str(o, "addressType", "");
		c[1] = get_join(json_path(o, "ports"), "port", NULL, 3,
		    "<unset>");
		c[2] = get_slice_endpoints(o);
	}
}

/* Start a table with the header for r. */
static void
get_table_init(struct get_table *t, const struct get_opts *go)
{
	const char	*extra[GET_MAX_COLS];
	size_t		 n, i;

	memset(t, 0, sizeof *t);
	if (go->all_ns && go->res->namespaced)
		t->head[t->ncols++] = "NAMESPACE";
	t->head[t->ncols++] = "NAME";
	n = get_columns(go->res, extra);
	for (i = 0; i < n; i++)
		t->head[t->ncols++] = extra[i];
	t->head[t->ncols++] = "AGE";
	for (i = 0; i < t->ncols; i++)
		t->width[i] = strlen(t->head[i]);
}

/* Append the row of one object. */
static void
get_table_add(struct get_table *t, const struct get_opts *go, const cJSON *o)
{
	char	**row;
	size_t	  i = 0;

	t->cells = xreallocarray(t->cells, (t->nrows + 1) * t->ncols,
	    sizeof *t->cells);
	row = t->cells + t->nrows * t->ncols;
	if (go->all_ns && go->res->namespaced)
		row[i++] = get_str(o, "metadata.namespace", "");
	row[i++] = get_str(o, "metadata.name", "");
	get_cells(go->res, o, row + i);
	row[t->ncols - 1] = get_age(o);
	for (i = 0; i < t->ncols; i++) {
		if (strlen(row[i]) > t->width[i])
			t->width[i] = strlen(row[i]);
	}
	t->nrows++;
}

/* Print one row (or the header when row is NULL) padded to the widths. */
static void
get_table_line(const struct get_table *t, char *const *row)
{
	const char	*cell;
	size_t		 i;

	for (i = 0; i < t->ncols; i++) {
		cell = row != NULL ? row[i] : t->head[i];
		if (i + 1 < t->ncols)
			printf("%-*s   ", (int)t->width[i], cell);
		else
			printf("%s\n", cell);
	}
}

/* Print the rows (header first unless no_header) and drop them. */
static void
get_table_flush(struct get_table *t, int header)
{
	size_t	i;

	if (header)
		get_table_line(t, NULL);
	for (i = 0; i < t->nrows; i++)
		get_table_line(t, t->cells + i * t->ncols);
	for (i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	t->cells = NULL;
	t->nrows = 0;
	fflush(stdout);
}

/* Add a newline and depth levels of four-space indentation. */
static void
get_indent(struct strbuf *sb, int depth)
{
	strbuf_addc(sb, '\n');
	while (depth-- > 0)
		strbuf_adds(sb, "    ");
}

/* Re-indent compact JSON the way kubectl prints it (caller frees). */
static char *
get_json_pretty(const char *c)
{
	struct strbuf	sb = STRBUF_INIT;
	int		depth = 0, in_str = 0, esc = 0;

	for (; *c != '\0'; c++) {
		if (in_str) {
			strbuf_addc(&sb, *c);
			if (esc)
				esc = 0;
			else if (*c == '\\')
				esc = 1;
			else if (*c == '"')
				in_str = 0;
			continue;
		}
		if ((*c == '{' || *c == '[') && (c[1] == '}' || c[1] == ']')) {
			strbuf_add(&sb, c, 2);
			c++;
		} else if (*c == '{' || *c == '[') {
			strbuf_addc(&sb, *c);
			get_indent(&sb, ++depth);
		} else if (*c == '}' || *c == ']') {
			get_indent(&sb, --depth);
			strbuf_addc(&sb, *c);
		} else if (*c == ',') {
			strbuf_addc(&sb, ',');
			get_indent(&sb, depth);
		} else if (*c == ':')
			strbuf_adds(&sb, ": ");
		else {
			strbuf_addc(&sb, *c);
			in_str = *c == '"';
		}
	}
	return strbuf_detach(&sb, NULL);
}

/* Print a tree as JSON or YAML. */
static void
get_print_doc(const cJSON *doc, enum get_output out, int compact)
{
	char	*s, *p;

	if (out == GET_YAML) {
		s = yaml_dump(doc);
		printf("%s%s", compact ? "---\n" : "", s);
	} else {
		s = json_print(doc);
		if (!compact) {
			p = get_json_pretty(s);
			free(s);
			s = p;
		}
		printf("%s\n", s);
	}
	free(s);
	fflush(stdout);
}

/* Print a list of items (taken) in the chosen format. */
static void
get_print_list(const struct get_opts *go, cJSON *items)
{
	struct get_table	 t;
	const cJSON		*it;
	cJSON			*list;

	if (go->output != GET_TABLE) {
		list = cJSON_CreateObject();
		cJSON_AddStringToObject(list, "apiVersion", "v1");
		cJSON_AddItemToObject(list, "items", items);
		cJSON_AddStringToObject(list, "kind", "List");
		cJSON_AddItemToObject(cJSON_AddObjectToObject(list, "metadata"),
		    "resourceVersion", cJSON_CreateString(""));
		get_print_doc(list, go->output, 0);
		cJSON_Delete(list);
		return;
	}
	if (cJSON_GetArraySize(items) == 0) {
		if (go->ns != NULL && go->res->namespaced)
			fprintf(stderr, "No resources found in %s namespace.\n",
			    go->ns);
		else
			fprintf(stderr, "No resources found\n");
		cJSON_Delete(items);
		return;
	}
	get_table_init(&t, go);
	cJSON_ArrayForEach(it, items)
		get_table_add(&t, go, it);
	get_table_flush(&t, 1);
	cJSON_Delete(items);
}

/* One read: get NAME or list; exit code. */
static int
get_once(struct kube_client *kc, const struct get_opts *go)
{
	struct kube_error	 e;
	cJSON			*obj = NULL, *items = NULL;
	char			*msg;

	memset(&e, 0, sizeof e);
	if (go->name != NULL) {
		if (kube_get(kc, go->res, go->ns, go->name, &obj, &e) != 0)
			goto fail;
		if (go->output != GET_TABLE) {
			get_print_doc(obj, go->output, 0);
			cJSON_Delete(obj);
			return 0;
		}
		items = cJSON_CreateArray();
		cJSON_AddItemToArray(items, obj);
	} else if (kube_list_all(kc, go->res, go->ns, NULL, &items, NULL,
	    &e) != 0)
		goto fail;
	get_print_list(go, items);
	return 0;
fail:
	msg = kube_error_string(&e);
	if (e.transport || e.reason == NULL || e.message == NULL)
		fprintf(stderr, "latticectl get: %s\n", msg);
	else
		fprintf(stderr, "Error from server (%s): %s\n", e.reason,
		    e.message);
	free(msg);
	kube_error_clear(&e);
	return 1;
}

/* State of a -w run, shared with the informer thread's handlers. */
struct get_watch {
	const struct get_opts	*go;
	struct kube_informer	*inf;
	struct get_table	 t;	/* widths fixed by the first listing */
	int			 live;	/* first listing printed */
};

/* Print one changed object (after the first listing). */
static void
get_watch_obj(struct get_watch *w, const cJSON *obj)
{
	if (!w->live)
		return;
	if (w->go->output != GET_TABLE) {
		get_print_doc(obj, w->go->output, 1);
		return;
	}
	get_table_add(&w->t, w->go, obj);
	get_table_flush(&w->t, 0);
}

/* Handler: added. */
static void
get_watch_add(void *arg, const cJSON *obj)
{
	get_watch_obj(arg, obj);
}

/* Handler: updated. */
static void
get_watch_update(void *arg, const cJSON *old, const cJSON *obj)
{
	(void)old;
	get_watch_obj(arg, obj);
}

/* The first listing, when the informer has synced (informer thread). */
static void
get_watch_synced(void *arg, int relist)
{
	struct get_watch	 *w = arg;
	struct kube_obj		**v;
	size_t			  n, i;

	if (relist || w->live)
		return;
	v = kube_cache_snapshot(kube_informer_cache(w->inf), &n);
	for (i = 0; i < n; i++) {
		if (w->go->output != GET_TABLE)
			get_print_doc(kube_obj_json(v[i]), w->go->output, 1);
		else
			get_table_add(&w->t, w->go, kube_obj_json(v[i]));
	}
	if (w->go->output == GET_TABLE)
		get_table_flush(&w->t, 1);
	kube_objs_free(v, n);
	w->live = 1;
}

/* Wait for SIGINT/SIGTERM; until the first sync, report list/watch
 * errors (the informer keeps retrying). */
static void
get_watch_wait(struct kube_informer *inf, const sigset_t *set)
{
	struct timespec	 tmo = { 2, 0 };
	char		*err, *shown = NULL;

	while (sigtimedwait(set, NULL, &tmo) < 0) {
		if (kube_informer_synced(inf))
			continue;
		err = kube_informer_last_error(inf);
		if (err != NULL && (shown == NULL || strcmp(err, shown) != 0)) {
			fprintf(stderr, "latticectl get: %s (retrying)\n", err);
			free(shown);
			shown = err;
		} else
			free(err);
	}
	free(shown);
}

/* -w: print the current state, then every change until SIGINT/SIGTERM. */
static int
get_watch(struct kube_client *kc, const struct get_opts *go)
{
	struct kube_informer_opts	 io;
	struct kube_handler		 h;
	struct get_watch		 w;
	sigset_t			 set;
	char				*cause = NULL, *sel = NULL;
	size_t				 i;

	memset(&w, 0, sizeof w);
	memset(&io, 0, sizeof io);
	w.go = go;
	get_table_init(&w.t, go);
	for (i = 0; i + 1 < w.t.ncols; i++) {	/* room for later rows */
		if (w.t.width[i] < GET_WATCH_MIN_WIDTH)
			w.t.width[i] = GET_WATCH_MIN_WIDTH;
	}
	io.res = go->res;
	io.ns = go->ns;
	if (go->name != NULL)
		xasprintf(&sel, "metadata.name=%s", go->name);
	io.field_selector = sel;
	w.inf = kube_informer_new(kc, &io);
	memset(&h, 0, sizeof h);
	h.add = get_watch_add;
	h.update = get_watch_update;
	h.del = get_watch_add;
	h.synced = get_watch_synced;
	h.arg = &w;
	kube_informer_add_handler(w.inf, &h);
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	if (kube_informer_start(w.inf, &cause) != 0) {
		fprintf(stderr, "latticectl get: %s\n", cause);
		free(cause);
		kube_informer_free(w.inf);
		free(sel);
		return 1;
	}
	get_watch_wait(w.inf, &set);
	kube_informer_free(w.inf);
	get_table_flush(&w.t, 0);
	free(sel);
	return 0;
}

/* Parse get's options; 0 ok, -1 usage error, 1 help shown. */
static int
get_parse(struct cli_global *g, int argc, char **argv, struct get_opts *go)
{
	static const struct option opts[] = {
		{ "namespace", required_argument, NULL, 'n' },
		{ "all-namespaces", no_argument, NULL, 'A' },
		{ "output", required_argument, NULL, 'o' },
		{ "watch", no_argument, NULL, 'w' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int	c;

	go->ns = g->ns;
	while ((c = getopt_long(argc, argv, "n:Ao:wh", opts, NULL)) != -1) {
		switch (c) {
		case 'n': go->ns = optarg; break;
		case 'A': go->all_ns = 1; break;
		case 'w': go->watch = 1; break;
		case 'o':
			if (strcmp(optarg, "table") == 0 ||
			    strcmp(optarg, "wide") == 0)
				go->output = GET_TABLE;
			else if (strcmp(optarg, "json") == 0)
				go->output = GET_JSON;
			else if (strcmp(optarg, "yaml") == 0)
				go->output = GET_YAML;
			else
				return -1;
			break;
		case 'h': get_usage(stdout); return 1;
		default: return -1;
		}
	}
	if (optind >= argc || argc - optind > 2)
		return -1;
	if ((go->res = get_find_kind(argv[optind])) == NULL) {
		fprintf(stderr, "latticectl get: unknown kind '%s'\n",
		    argv[optind]);
		return -1;
	}
	go->name = argc - optind == 2 ? argv[optind + 1] : NULL;
	return 0;
}

/* Connect with the global options; the client or NULL. */
static struct kube_client *
get_connect(struct cli_global *g, struct get_opts *go)
{
	struct kube_config_opts	 ko;
	struct kube_conn	*conn = NULL;
	struct kube_client	*kc;
	char			*cause = NULL;

	memset(&ko, 0, sizeof ko);
	ko.kubeconfig = g->kubeconfig;
	ko.context = g->context;
	ko.ns = go->ns;
	if (kube_conn_load(&ko, &conn, &cause) != 0 ||
	    (kc = kube_client_new(conn, &cause)) == NULL) {
		fprintf(stderr, "latticectl get: %s\n", cause);
		free(cause);
		return NULL;
	}
	if (kube_resource_resolve(kc, go->res, &go->rres, &cause) != 0) {
		fprintf(stderr, "latticectl get: %s\n", cause);
		free(cause);
		kube_client_free(kc);
		return NULL;
	}
	go->res = &go->rres;
	if (go->all_ns || !go->res->namespaced)
		go->ns = NULL;
	else if (go->ns == NULL)
		go->ns = kube_conn_namespace(kube_client_conn(kc));
	return kc;
}

/* latticectl get KIND [NAME] [-n NS | -A] [-o table|json|yaml] [-w] */
int
cmd_get(struct cli_global *g, int argc, char **argv)
{
	struct kube_client	*kc;
	struct get_opts		 go;
	int			 r;

	memset(&go, 0, sizeof go);
	if ((r = get_parse(g, argc, argv, &go)) != 0) {
		if (r < 0)
			get_usage(stderr);
		return r < 0 ? 2 : 0;
	}
	if (go.all_ns && go.name != NULL) {
		fprintf(stderr, "latticectl get: a resource cannot be retrieved "
		    "by name across all namespaces\n");
		return 2;
	}
	if ((kc = get_connect(g, &go)) == NULL)
		return 1;
	r = go.watch ? get_watch(kc, &go) : get_once(kc, &go);
	kube_client_free(kc);
	return r;
}
