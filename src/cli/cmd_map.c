/* latticectl map: route -> service network -> service and DNS name ->
 * listener -> rule (match, priority) -> target group (protocol, health
 * check) -> targets (ip:port, health), as a table, JSON or a tree. */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "latticectl/json.h"
#include "latticectl/strbuf.h"
#include "latticectl/xmalloc.h"

#include "cmd_engine.h"

#define MAP_COLS	8

enum map_output { MAP_TABLE, MAP_JSON, MAP_TREE };

struct map_cli {
	struct controller_config cfg;
	enum map_output		 output;
	int			 all_ns;
	const char		*ns;
	const char		*route;
};

/* A tree node: a label and children (owned). */
struct mnode {
	char		 *label;
	struct mnode	**kids;
	size_t		  n;
};

/* Print the usage. */
static void
map_usage(FILE *f)
{
	fprintf(f, "usage: latticectl map [ROUTE] [-n NS | -A] "
	    "[-o table|json|tree]\n"
	    "How each route maps onto VPC Lattice: service network, service "
	    "and DNS name,\nlistener, rule (priority, match), target group "
	    "(protocol, health check) and\ntargets (ip:port, health). ROUTE "
	    "is NAME or KIND/NAME.\n" CLI_ENGINE_USAGE);
}

/* Parse the options; -1 on a usage error. */
static int
map_parse(struct cli_global *g, int argc, char **argv, struct map_cli *o)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "namespace", required_argument, NULL, 'n' },
		{ "all-namespaces", no_argument, NULL, 'A' },
		{ "help", no_argument, NULL, 'h' },
		CLI_ENGINE_LONGOPTS,
		{ NULL, 0, NULL, 0 }
	};
	int	c;

	o->ns = g->ns;
	while ((c = getopt_long(argc, argv, "o:n:Ah", opts, NULL)) != -1) {
		if (cli_engine_opt(c, optarg, &o->cfg))
			continue;
		switch (c) {
		case 'o':
			if (strcmp(optarg, "table") == 0)
				o->output = MAP_TABLE;
			else if (strcmp(optarg, "json") == 0)
				o->output = MAP_JSON;
			else if (strcmp(optarg, "tree") == 0)
				o->output = MAP_TREE;
			else {
				fprintf(stderr, "latticectl map: -o: table, "
				    "json or tree\n");
				return -1;
			}
			break;
		case 'n': o->ns = optarg; break;
		case 'A': o->all_ns = 1; break;
		case 'h': map_usage(stdout); exit(0);
		default: map_usage(stderr); return -1;
		}
	}
	if (optind < argc)
		o->route = argv[optind++];
	if (optind != argc) {
		map_usage(stderr);
		return -1;
	}
	return 0;
}

/* ---- text pieces ---- */

/* A string member or def. */
static const char *
map_str(const cJSON *o, const char *key, const char *def)
{
	const char	*s = json_str(o, key);

	return s != NULL && *s != '\0' ? s : def;
}

/* "HTTP/HTTP1:80, health HTTP / 30s" for a target group. */
static char *
map_tg_text(const cJSON *tg)
{
	const cJSON	*hc = json_path(tg, "healthCheck");
	struct strbuf	 sb;

	strbuf_init(&sb);
	strbuf_addf(&sb, "%s", map_str(tg, "protocol", "?"));
	if (json_str(tg, "protocolVersion") != NULL)
		strbuf_addf(&sb, "/%s", json_str(tg, "protocolVersion"));
	strbuf_addf(&sb, ":%d, weight %d, health ",
	    (int)json_num(tg, "port", 0), (int)json_num(tg, "weight", 1));
	if (hc == NULL)
		strbuf_adds(&sb, "?");
	else if (!json_bool(hc, "enabled", 0))
		strbuf_adds(&sb, "off");
	else
		strbuf_addf(&sb, "%s %s every %ds", map_str(hc, "protocol",
		    "HTTP"), map_str(hc, "path", "/"), (int)json_num(hc,
		    "healthCheckIntervalSeconds", 30));
	return strbuf_detach(&sb, NULL);
}

/* "10.0.0.5:8090 HEALTHY" for a target. */
static char *
map_target_text(const cJSON *t)
{
	char	*s;

	xasprintf(&s, "%s:%d %s%s%s", map_str(t, "ip", "?"),
	    (int)json_num(t, "port", 0), map_str(t, "status", "UNKNOWN"),
	    json_str(t, "reasonCode") != NULL ? " " : "",
	    json_str(t, "reasonCode") != NULL ? json_str(t, "reasonCode") :
	    "");
	return s;
}

/* "Accepted" or the reason a route is not programmed. */
static const char *
map_route_state(const cJSON *r)
{
	if (json_bool(r, "accepted", 0))
		return "Accepted";
	return map_str(r, "reason", "not programmed");
}

/* ---- tree ---- */

/* A new node with a formatted label, appended to parent (may be NULL). */
static __attribute__((format(printf, 2, 3))) struct mnode *
mnode_add(struct mnode *parent, const char *fmt, ...)
{
	struct mnode	*n = xcalloc(1, sizeof(*n));
	va_list		 ap;

	va_start(ap, fmt);
	xvasprintf(&n->label, fmt, ap);
	va_end(ap);
	if (parent != NULL) {
		parent->kids = xreallocarray(parent->kids, parent->n + 1,
		    sizeof(*parent->kids));
		parent->kids[parent->n++] = n;
	}
	return n;
}

/* Free a node and its children. */
static void
mnode_free(struct mnode *n)
{
	size_t	i;

	for (i = 0; i < n->n; i++)
		mnode_free(n->kids[i]);
	free(n->kids);
	free(n->label);
	free(n);
}

/* Print a node's children with box-drawing prefixes. */
static void
mnode_print(const struct mnode *n, struct strbuf *prefix)
{
	size_t	i, len = prefix->len;
	int	last;

	for (i = 0; i < n->n; i++) {
		last = i + 1 == n->n;
		printf("%s%s %s\n", prefix->buf, last ? "\u2514\u2500" :
		    "\u251c\u2500", n->kids[i]->label);
		strbuf_adds(prefix, last ? "   " : "\u2502  ");
		mnode_print(n->kids[i], prefix);
		strbuf_truncate(prefix, len);
	}
}

/* The target groups of a rule under node. */
static void
map_tree_tgs(struct mnode *node, const cJSON *rule)
{
	const cJSON	*tg, *t;
	struct mnode	*tn;
	char		*s;

	cJSON_ArrayForEach(tg, json_path(rule, "targetGroups")) {
		s = map_tg_text(tg);
		tn = mnode_add(node, "target group %s (%s) %s%s", map_str(tg,
		    "name", map_str(tg, "id", "?")), s, map_str(tg, "status",
		    ""), json_bool(tg, "imported", 0) ? " imported" : "");
		free(s);
		cJSON_ArrayForEach(t, json_path(tg, "targets")) {
			s = map_target_text(t);
			mnode_add(tn, "%s", s);
			free(s);
		}
		if (cJSON_GetArraySize(json_path(tg, "targets")) == 0)
			mnode_add(tn, "no targets");
	}
}

/* One route as a tree. */
static struct mnode *
map_tree_route(const cJSON *r)
{
	const cJSON	*sn, *svc = json_path(r, "service"), *l, *rule;
	struct mnode	*root, *sv, *ln, *rn;

	root = mnode_add(NULL, "%s %s/%s (%s)", map_str(r, "kind", "?"),
	    map_str(r, "namespace", ""), map_str(r, "name", ""),
	    map_route_state(r));
	cJSON_ArrayForEach(sn, json_path(r, "serviceNetworks"))
		mnode_add(root, "service network %s (association %s)",
		    map_str(sn, "name", "?"), map_str(sn, "association", "?"));
	if (svc == NULL)
		return root;
	sv = mnode_add(root, "service %s (%s) %s", map_str(svc, "name", "?"),
	    map_str(svc, "status", "?"), map_str(svc, "dnsName", ""));
	cJSON_ArrayForEach(l, json_path(r, "listeners")) {
		ln = mnode_add(sv, "listener %s %s:%d", map_str(l, "name", "?"),
		    map_str(l, "protocol", "?"), (int)json_num(l, "port", 0));
		cJSON_ArrayForEach(rule, json_path(l, "rules")) {
			if (json_path(rule, "priority") == NULL)
				rn = mnode_add(ln, "default action");
			else
				rn = mnode_add(ln, "rule %d: %s%s",
				    (int)json_num(rule, "priority", 0),
				    map_str(rule, "match", "*"),
				    json_path(rule, "fixedResponse") != NULL ?
				    " -> fixed response" : "");
			map_tree_tgs(rn, rule);
		}
	}
	return root;
}

/* Print every route as a tree. */
static void
map_print_tree(const cJSON *routes)
{
	const cJSON	*r;
	struct mnode	*root;
	struct strbuf	 prefix;

	strbuf_init(&prefix);
	cJSON_ArrayForEach(r, routes) {
		root = map_tree_route(r);
		printf("%s\n", root->label);
		mnode_print(root, &prefix);
		mnode_free(root);
	}
	strbuf_free(&prefix);
}

/* ---- table ---- */

struct map_table {
	char	**cells;	/* nrows * MAP_COLS */
	size_t	  nrows;
	size_t	  width[MAP_COLS];
};

/* Append one row (the strings are copied; NULL prints "-"). */
static void
map_row(struct map_table *t, const char *const *v)
{
	size_t	i, len;

	t->cells = xreallocarray(t->cells, (t->nrows + 1) * MAP_COLS,
	    sizeof(*t->cells));
	for (i = 0; i < MAP_COLS; i++) {
		t->cells[t->nrows * MAP_COLS + i] = xstrdup(v[i] != NULL &&
		    *v[i] != '\0' ? v[i] : "-");
		len = strlen(t->cells[t->nrows * MAP_COLS + i]);
		if (len > t->width[i])
			t->width[i] = len;
	}
	t->nrows++;
}

/* The targets of a target group as "ip:port STATUS, ...". */
static char *
map_targets_cell(const cJSON *tg)
{
	const cJSON	*t;
	struct strbuf	 sb;
	char		*s;

	strbuf_init(&sb);
	cJSON_ArrayForEach(t, json_path(tg, "targets")) {
		s = map_target_text(t);
		strbuf_addf(&sb, "%s%s", sb.len > 0 ? ", " : "", s);
		free(s);
	}
	return strbuf_detach(&sb, NULL);
}

/* The rows of one rule (one per target group). */
static void
map_rows_rule(struct map_table *t, const char **v, const cJSON *rule)
{
	const cJSON	*tg;
	char		 prio[16], *tgt, *tgtxt, *targets;

	snprintf(prio, sizeof(prio), "%d", (int)json_num(rule, "priority", 0));
	v[4] = json_path(rule, "priority") != NULL ? prio : "default";
	v[5] = map_str(rule, "match", "*");
	cJSON_ArrayForEach(tg, json_path(rule, "targetGroups")) {
		tgtxt = map_tg_text(tg);
		xasprintf(&tgt, "%s (%s)", map_str(tg, "name", "?"), tgtxt);
		targets = map_targets_cell(tg);
		v[6] = tgt;
		v[7] = targets;
		map_row(t, v);
		free(tgt);
		free(tgtxt);
		free(targets);
	}
	if (cJSON_GetArraySize(json_path(rule, "targetGroups")) == 0) {
		v[6] = json_path(rule, "fixedResponse") != NULL ?
		    "fixed response" : NULL;
		v[7] = NULL;
		map_row(t, v);
	}
}

/* The rows of one route. */
static void
map_rows_route(struct map_table *t, const cJSON *r)
{
	const cJSON	*l, *rule, *svc = json_path(r, "service");
	const char	*v[MAP_COLS];
	char		*route, *lis;

	memset(v, 0, sizeof(v));
	xasprintf(&route, "%s/%s/%s", map_str(r, "kind", "?"),
	    map_str(r, "namespace", ""), map_str(r, "name", ""));
	v[0] = route;
	v[1] = map_str(svc, "name", NULL);
	v[2] = svc != NULL ? map_str(svc, "dnsName", map_str(svc, "status",
	    NULL)) : map_route_state(r);
	if (cJSON_GetArraySize(json_path(r, "listeners")) == 0)
		map_row(t, v);
	cJSON_ArrayForEach(l, json_path(r, "listeners")) {
		xasprintf(&lis, "%s:%d", map_str(l, "protocol", "?"),
		    (int)json_num(l, "port", 0));
		v[3] = lis;
		cJSON_ArrayForEach(rule, json_path(l, "rules"))
			map_rows_rule(t, v, rule);
		free(lis);
	}
	free(route);
}

/* Print every route as a table. */
static void
map_print_table(const cJSON *routes)
{
	static const char *const head[MAP_COLS] = { "ROUTE", "SERVICE",
	    "DNS", "LISTENER", "PRIORITY", "MATCH", "TARGET GROUP",
	    "TARGETS" };
	struct map_table	 t;
	const cJSON		*r;
	size_t			 i, j;

	memset(&t, 0, sizeof(t));
	map_row(&t, head);
	cJSON_ArrayForEach(r, routes)
		map_rows_route(&t, r);
	for (i = 0; i < t.nrows; i++) {
		for (j = 0; j < MAP_COLS; j++)
			printf("%-*s%s", j + 1 < MAP_COLS ? (int)t.width[j] :
			    0, t.cells[i * MAP_COLS + j], j + 1 < MAP_COLS ?
			    "   " : "\n");
	}
	for (i = 0; i < t.nrows * MAP_COLS; i++)
		free(t.cells[i]);
	free(t.cells);
}

/* The map command. */
int
cmd_map(struct cli_global *g, int argc, char **argv)
{
	struct map_cli		 o;
	struct cli_engine	 e;
	cJSON			*out = NULL;
	const char		*ns;
	char			*cause = NULL, *s;

	memset(&o, 0, sizeof(o));
	o.cfg.no_events = 1;
	if (map_parse(g, argc, argv, &o) != 0)
		return 2;
	if (cli_engine_open(g, "map", &o.cfg, &e) != 0)
		return 1;
	ns = o.all_ns ? NULL : o.ns != NULL ? o.ns :
	    cli_engine_namespace(g, &e);
	if (controller_load(e.ctl, ns, &cause) != 0 ||
	    controller_map(e.ctl, ns, o.route, &out, &cause) != 0) {
		fprintf(stderr, "latticectl map: %s\n", cause);
		free(cause);
		cli_engine_close(&e);
		return 1;
	}
	if (o.output == MAP_JSON) {
		s = json_print(out);
		printf("%s\n", s);
		free(s);
	} else if (o.output == MAP_TREE)
		map_print_tree(out);
	else
		map_print_table(out);
	cJSON_Delete(out);
	cli_engine_close(&e);
	return 0;
}
