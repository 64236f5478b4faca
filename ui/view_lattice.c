/* The Route detail and Drift views, and the lookups they share: a table
 * row back to its item, a route's detail lines, the drift lines. */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/ui.h"
#include "latticectl/xmalloc.h"
#include "ui_int.h"

static const char *const ui_hints_detail[] = {
	"j/k", "scroll", "D", "diagnose", "esc", "back", "q", "quit", NULL
};
static const char *const ui_hints_drift[] = {
	"j/k", "select", "enter", "detail", "esc", "back", "q", "quit", NULL
};

/* Match one "/kind/ns/name" part of a row key against s; the length
 * of the part, or 0. */
static size_t
ui_key_part(const char *rowkey, const char *s, size_t at)
{
	size_t	l = strlen(s);

	if (rowkey[at] != '/' || strncmp(rowkey + at + 1, s, l) != 0)
		return 0;
	return l + 1;
}

/* The length of rowkey's leading "/kind/ns/name" when it names item it
 * (followed by the end or "/"), else 0. */
static size_t
ui_key_match(const char *rowkey, const struct ui_item *it)
{
	size_t	at = 0, n;

	if ((n = ui_key_part(rowkey, it->kind, at)) == 0)
		return 0;
	at += n;
	if ((n = ui_key_part(rowkey, it->ns, at)) == 0)
		return 0;
	at += n;
	if ((n = ui_key_part(rowkey, it->name, at)) == 0)
		return 0;
	at += n;
	return rowkey[at] == '\0' || rowkey[at] == '/' ? at : 0;
}

/* Find the item below items[] that rowkey (the rest of a row key after
 * their parent's part) names. */
static const struct ui_item *
ui_row_find(const struct ui_item *items, size_t n, const char *rowkey,
    size_t *top)
{
	const struct ui_item	*it, *found = NULL;
	size_t			 i, kl;

	for (i = 0; i < n && found == NULL; i++) {
		it = &items[i];
		if ((kl = ui_key_match(rowkey, it)) == 0)
			continue;
		if (top != NULL)
			*top = i;
		found = rowkey[kl] == '\0' ? it : ui_row_find(it->children,
		    it->nchildren, rowkey + kl, NULL);
	}
	return found;
}

/* The item a row key names, and its route's "Kind/ns/name". */
const struct ui_item *
ui_row_item(const struct ui_list *l, const char *rowkey, char **route_key)
{
	const struct ui_item	*it;
	size_t			 top = 0;

	if (route_key != NULL)
		*route_key = NULL;
	if (rowkey == NULL)
		return NULL;
	it = ui_row_find(l->items, l->nitems, rowkey, &top);
	if (it != NULL && route_key != NULL)
		xasprintf(route_key, "%s/%s/%s", l->items[top].kind,
		    l->items[top].ns, l->items[top].name);
	return it;
}

/* The detail lines of a route: by key, else by position. */
const struct ui_detail *
ui_snap_detail(const struct ui_snapshot *s, const char *route_key)
{
	const struct ui_list	*l = &s->lists[UI_LIST_ROUTES];
	char			*k;
	size_t			 i;
	int			 eq;

	if (route_key == NULL)
		return NULL;
	for (i = 0; i < s->ndetails; i++) {
		if (s->details[i].key != NULL &&
		    strcmp(s->details[i].key, route_key) == 0)
			return &s->details[i];
	}
	for (i = 0; i < l->nitems && i < s->ndetails; i++) {
		if (s->details[i].key != NULL)
			continue;
		xasprintf(&k, "%s/%s/%s", l->items[i].kind, l->items[i].ns,
		    l->items[i].name);
		eq = strcmp(k, route_key) == 0;
		free(k);
		if (eq)
			return &s->details[i];
	}
	return NULL;
}

/* Append a line to a growing array. */
static void
ui_lines_add(char ***v, size_t *n, char *line)
{
	*v = xreallocarray(*v, *n + 1, sizeof **v);
	(*v)[(*n)++] = line;
}

/* Whether an item or anything below it drifts. */
static int
ui_item_drifts(const struct ui_item *it)
{
	size_t	i;

	if (it->state == UI_STATE_DRIFT || it->drift)
		return 1;
	for (i = 0; i < it->nchildren; i++) {
		if (ui_item_drifts(&it->children[i]))
			return 1;
	}
	return 0;
}

/* The plan lines of a detail (after its "PLAN" heading). */
static int
ui_detail_plan_lines(const struct ui_detail *d, char ***v, size_t *n)
{
	size_t	i;
	int	in = 0, added = 0;

	for (i = 0; d != NULL && i < d->nlines; i++) {
		if (d->lines[i][0] != ' ')
			in = strcmp(d->lines[i], "PLAN") == 0;
		else if (in) {
			ui_lines_add(v, n, xstrdup(d->lines[i]));
			added++;
		}
	}
	return added;
}

/* The drift view's lines: each drifting route, then its plan. */
char **
ui_drift_lines(const struct ui_snapshot *s, size_t *n)
{
	const struct ui_list	*l = &s->lists[UI_LIST_ROUTES];
	const struct ui_item	*it;
	char			**v = NULL, *key, *line;
	size_t			 i;

	*n = 0;
	for (i = 0; i < l->nitems; i++) {
		it = &l->items[i];
		if (!ui_item_drifts(it))
			continue;
		xasprintf(&key, "%s/%s/%s", it->kind, it->ns, it->name);
		ui_lines_add(&v, n, xstrdup(key));
		if (!ui_detail_plan_lines(ui_snap_detail(s, key), &v, n)) {
			xasprintf(&line, "  %s", it->message != NULL ?
			    it->message : "drift (no plan lines)");
			ui_lines_add(&v, n, line);
		}
		free(key);
	}
	return v;
}

/* The route whose drift section holds line sel: the heading (a line
 * without a leading blank, "Kind/ns/name") at or above it. */
char *
ui_drift_route(char *const *lines, size_t n, size_t sel)
{
	size_t	i;

	if (lines == NULL || n == 0)
		return NULL;
	if (sel >= n)
		sel = n - 1;
	for (i = sel + 1; i-- > 0; ) {
		if (lines[i][0] != ' ' && lines[i][0] != '\0')
			return xstrdup(lines[i]);
	}
	return NULL;
}

/* Free lines from ui_drift_lines or the detail fallback. */
void
ui_lines_free(char **v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* Lines of an item's subtree, for routes the producer gave no detail. */
static void
ui_item_lines(const struct ui_item *it, int depth, char ***v, size_t *n)
{
	char	*line;
	size_t	 i;

	xasprintf(&line, "%*s%s %s%s%s%s%s", depth * 2 + 2, "", it->kind,
	    it->name, it->cells[2] != NULL && *it->cells[2] != '\0' ? "  " : "",
	    it->cells[2] != NULL ? it->cells[2] : "",
	    it->cells[3] != NULL && *it->cells[3] != '\0' ? "  " : "",
	    it->cells[3] != NULL ? it->cells[3] : "");
	ui_lines_add(v, n, line);
	for (i = 0; i < it->nchildren; i++)
		ui_item_lines(&it->children[i], depth + 1, v, n);
}

/* The Route detail lines of route_key: the producer's, else the route
 * item's chain and status (then *owned is 1). Draw and keys use the
 * same lines, so the pane scrolls whichever it shows. */
char *const *
ui_detail_view_lines(const struct ui_snapshot *s, const char *route_key,
    size_t *n, int *owned)
{
	const struct ui_detail	*d = ui_snap_detail(s, route_key);
	const struct ui_list	*l = &s->lists[UI_LIST_ROUTES];
	char			**v = NULL, *k, *line;
	size_t			 i;

	*n = 0;
	*owned = 0;
	if (d != NULL) {
		*n = d->nlines;
		return d->lines;
	}
	*owned = 1;
	for (i = 0; i < l->nitems && route_key != NULL; i++) {
		xasprintf(&k, "%s/%s/%s", l->items[i].kind, l->items[i].ns,
		    l->items[i].name);
		if (strcmp(k, route_key) == 0) {
			ui_lines_add(&v, n, xstrdup("CHAIN"));
			ui_item_lines(&l->items[i], 0, &v, n);
			if (l->items[i].message != NULL) {
				ui_lines_add(&v, n, xstrdup("STATUS"));
				xasprintf(&line, "  %s", l->items[i].message);
				ui_lines_add(&v, n, line);
			}
		}
		free(k);
	}
	if (*n == 0)
		ui_lines_add(&v, n, xstrdup("  this route is gone"));
	return v;
}

/* Route detail view: the producer's lines, else the item's chain. */
static void
ui_detail_view_draw(struct ui_app *a, int y, int h, int w)
{
	char *const	*v;
	char		*title;
	size_t		 n;
	int		 owned;

	xasprintf(&title, "Route %s", a->detail_key != NULL ? a->detail_key :
	    "?");
	v = ui_detail_view_lines(a->snap, a->detail_key, &n, &owned);
	ui_text_pane(a, title, v, n, &a->detail_top, y, h, w);
	if (owned)
		ui_lines_free((char **)v, n);
	free(title);
}

/* Detail keys: scroll, D diagnoses this route. */
static int
ui_detail_view_key(struct ui_app *a, int key)
{
	char *const	*v;
	size_t		 n;
	int		 owned, used;

	if (key == 'D') {
		if (ui_app_action(a, "doctor.run", a->detail_key) == 0)
			ui_app_push(a, &ui_view_doctor);
		return 1;
	}
	v = ui_detail_view_lines(a->snap, a->detail_key, &n, &owned);
	used = ui_text_scroll(&a->detail_top, n, key, LINES - 5);
	if (owned)
		ui_lines_free((char **)v, n);
	return used;
}

/* Drift view: routes whose Lattice side differs from the desired one,
 * with a selected line (enter opens its route's detail). */
static void
ui_drift_view_draw(struct ui_app *a, int y, int h, int w)
{
	char	**v, *title, *none = "  no drift: every route's Lattice side "
		    "matches its plan";
	size_t	  n, routes = 0, i;

	v = ui_drift_lines(a->snap, &n);
	for (i = 0; i < n; i++)
		routes += v[i][0] != ' ';
	if (n > 0 && a->drift_sel >= n)
		a->drift_sel = n - 1;
	xasprintf(&title, "Drift[%zu]", routes);
	if (n == 0)
		ui_text_pane(a, title, &none, 1, &a->drift_top, y, h, w);
	else
		ui_text_pane_sel(a, title, v, n, &a->drift_top, a->drift_sel,
		    y, h, w);
	ui_lines_free(v, n);
	free(title);
}

/* Drift keys: move the selection; enter opens the route's detail. */
static int
ui_drift_view_key(struct ui_app *a, int key)
{
	char	**v, *rk;
	size_t	  n;
	int	  used = 1;

	v = ui_drift_lines(a->snap, &n);
	if (key == '\r' || key == '\n' || key == KEY_ENTER) {
		if ((rk = ui_drift_route(v, n, a->drift_sel)) != NULL) {
			free(a->detail_key);
			a->detail_key = rk;
			a->detail_top = 0;
			ui_app_push(a, &ui_view_detail);
		}
	} else
		used = ui_text_select(&a->drift_sel, &a->drift_top, n, key,
		    LINES - 5);
	ui_lines_free(v, n);
	return used;
}

const struct ui_view ui_view_detail = {
	"detail", ui_hints_detail, ui_detail_view_draw, ui_detail_view_key
};
const struct ui_view ui_view_drift = {
	"drift", ui_hints_drift, ui_drift_view_draw, ui_drift_view_key
};
