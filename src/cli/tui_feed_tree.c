/* The route -> Lattice mapping as an indented tree (the demo's headless
 * output, in the spirit of `latticectl map -o tree`), and the check that
 * a mapping has converged: every route accepted with an ACTIVE service,
 * and every target group's targets HEALTHY. */
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "latticectl/json.h"

#include "tui_feed.h"

/* A string member or def. */
static const char *
tree_str(const cJSON *o, const char *key, const char *def)
{
	const char	*s = json_str(o, key);

	return s != NULL && *s != '\0' ? s : def;
}

/* Print one line at depth (two spaces a level, then "- "). */
static void
tree_line(FILE *f, int depth, const char *text)
{
	fprintf(f, "%*s%s%s\n", depth * 2, "", depth > 0 ? "- " : "", text);
}

/* The target groups of a rule and their targets. */
static void
tree_tgs(FILE *f, const cJSON *rule, int depth)
{
	const cJSON	*tg, *t;
	char		 line[512];

	cJSON_ArrayForEach(tg, json_path(rule, "targetGroups")) {
		snprintf(line, sizeof line, "target group %s %s:%d weight %d "
		    "%s", tree_str(tg, "name", tree_str(tg, "id", "?")),
		    tree_str(tg, "protocol", "?"), (int)json_num(tg, "port", 0),
		    (int)json_num(tg, "weight", 1), tree_str(tg, "status", ""));
		tree_line(f, depth, line);
		cJSON_ArrayForEach(t, json_path(tg, "targets")) {
			snprintf(line, sizeof line, "target %s:%d %s",
			    tree_str(t, "ip", "?"), (int)json_num(t, "port", 0),
			    tree_str(t, "status", "UNKNOWN"));
			tree_line(f, depth + 1, line);
		}
	}
}

/* Print every route of a controller_map array as a tree. */
void
tui_tree_print(FILE *f, const cJSON *map)
{
	const cJSON	*r, *sn, *svc, *l, *rule;
	char		 line[768];

	cJSON_ArrayForEach(r, map) {
		snprintf(line, sizeof line, "%s %s/%s (%s)", tree_str(r, "kind",
		    "?"), tree_str(r, "namespace", ""), tree_str(r, "name", ""),
		    json_bool(r, "accepted", 0) ? "Accepted" : tree_str(r,
		    "reason", "not programmed"));
		tree_line(f, 0, line);
		cJSON_ArrayForEach(sn, json_path(r, "serviceNetworks")) {
			snprintf(line, sizeof line, "service network %s "
			    "(association %s)", tree_str(sn, "name", "?"),
			    tree_str(sn, "association", "?"));
			tree_line(f, 1, line);
		}
		if ((svc = json_path(r, "service")) == NULL)
			continue;
		snprintf(line, sizeof line, "service %s (%s) %s", tree_str(svc,
		    "name", "?"), tree_str(svc, "status", "?"), tree_str(svc,
		    "dnsName", ""));
		tree_line(f, 1, line);
		cJSON_ArrayForEach(l, json_path(r, "listeners")) {
			snprintf(line, sizeof line, "listener %s %s:%d",
			    tree_str(l, "name", "?"), tree_str(l, "protocol",
			    "?"), (int)json_num(l, "port", 0));
			tree_line(f, 2, line);
			cJSON_ArrayForEach(rule, json_path(l, "rules")) {
				if (json_path(rule, "priority") == NULL)
					snprintf(line, sizeof line,
					    "default action");
				else
					snprintf(line, sizeof line, "rule %d: %s",
					    (int)json_num(rule, "priority", 0),
					    tree_str(rule, "match", "*"));
				tree_line(f, 3, line);
				tree_tgs(f, rule, 4);
			}
		}
	}
}

/* Are a target group's targets all HEALTHY (and at least one)? */
static int
tree_tg_healthy(const cJSON *tg)
{
	const cJSON	*t;
	int		 n = 0;

	cJSON_ArrayForEach(t, json_path(tg, "targets")) {
		if (strcmp(tree_str(t, "status", ""), "HEALTHY") != 0)
			return 0;
		n++;
	}
	return n > 0;
}

/* Has one route converged? */
static int
tree_route_ok(const cJSON *r)
{
	const cJSON	*svc = json_path(r, "service"), *l, *rule, *tg;
	int		 tgs = 0;

	if (!json_bool(r, "accepted", 0) || svc == NULL ||
	    strcmp(tree_str(svc, "status", ""), "ACTIVE") != 0 ||
	    json_str(svc, "dnsName") == NULL)
		return 0;
	cJSON_ArrayForEach(l, json_path(r, "listeners")) {
		cJSON_ArrayForEach(rule, json_path(l, "rules")) {
			cJSON_ArrayForEach(tg, json_path(rule, "targetGroups")) {
				if (!tree_tg_healthy(tg))
					return 0;
				tgs++;
			}
		}
	}
	return tgs > 0;
}

/* Has the mapping converged for every route named in want (NULL-
 * terminated names)? */
int
tui_tree_converged(const cJSON *map, const char *const *want)
{
	const cJSON	*r;
	size_t		 i;
	int		 found;

	for (i = 0; want[i] != NULL; i++) {
		found = 0;
		cJSON_ArrayForEach(r, map) {
			if (strcmp(tree_str(r, "name", ""), want[i]) != 0)
				continue;
			if (!tree_route_ok(r))
				return 0;
			found = 1;
		}
		if (!found)
			return 0;
	}
	return 1;
}
