/* The views (routes, gateways, events, help, ctx), the frame around them
 * (header, detail line, key-hint bar or prompt) and key dispatch. */
#include <curses.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "latticectl/ui.h"
#include "latticectl/xmalloc.h"
#include "ui_int.h"

static const char *const ui_hints_list[] = {
	"?", "help", ":", "cmd", "/", "filter", "j/k", "move", "space",
	"fold", "esc", "back", "q", "quit", NULL
};
static const char *const ui_hints_text[] = {
	"j/k", "scroll", "G", "follow", "esc", "back", "q", "quit", NULL
};

static const char *const ui_hints_routes[] = {
	"?", "help", "enter", "detail", "space", "fold", "D", "diagnose",
	"/", "filter", ":", "cmd", "q", "quit", NULL
};

static const char *const ui_help_lines[] = {
	"VIEWS (command mode)",
	"  :routes  :rt        routes, each with its Lattice chain below it",
	"  :gateways  :gw      Gateways (service networks)",
	"  :tg                 target groups: protocol, health check, health",
	"  :drift              routes whose Lattice side differs, with plans",
	"  :install            the installer: steps, log, command",
	"  :workloads  :wl     the lab's sample workloads (apply / delete)",
	"  :doctor  :diag      the Diagnose report (checks, evidence, fix)",
	"  :events  :log       events and the log",
	"  :ctx                the Kubernetes context and connection",
	"  :ns NAME | :ns all  show one namespace, or all",
	"  :help               this help;  :q  quit",
	"",
	"KEYS",
	"  ?  help        :  command mode     /  filter (esc clears)",
	"  j/k, arrows    move                PgUp/PgDn, ctrl-b/f  page",
	"  g / G          first / last        space, h/l  fold tree rows",
	"  N / P / A      sort by name, namespace, age",
	"  esc            back                q, ctrl-c   quit",
	"",
	"ROUTES",
	"  routes start folded: space or l opens the chain route > service",
	"  > listener > rule > target group > targets",
	"  enter          route detail (Kubernetes, Lattice, events, plan)",
	"  D              diagnose the route (runs latticectl doctor)",
	"  ctrl-d         delete the route (asks y/n)",
	"",
	"INSTALLER",
	"  r  run all remaining steps   R  run the selected step only",
	"  c  re-check    d  dry-run    s  skip the selected step",
	"  u  undo the install (asks y/n)   l  full log   w  workloads",
	"  f  follow the running step again (moving stops following)",
	"  workloads: enter applies, x deletes (asks y/n)",
	"",
	"DIAGNOSE",
	"  r  re-run every check; the pane shows evidence and fix",
	"",
	"STATES",
	"  in sync   progressing   drift/warn   error/fail   (icons left)",
	"",
	"Read-only sessions refuse every action but diagnose. The UI only",
	"reads snapshots: it never waits on the network.",
	NULL
};

/* Set the message line. */
void
ui_app_flash(struct ui_app *a, int err, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(a->flash, sizeof a->flash, fmt, ap);
	va_end(ap);
	a->flash_err = err;
}

/* Show view v; the current one is kept for esc. */
void
ui_app_push(struct ui_app *a, const struct ui_view *v)
{
	if (a->view == v)
		return;
	if (a->depth == UI_VIEW_STACK) {
		memmove(a->stack, a->stack + 1,
		    (UI_VIEW_STACK - 1) * sizeof *a->stack);
		a->depth--;
	}
	a->stack[a->depth++] = a->view;
	a->view = v;
	a->help_top = 0;
}

/* Go back one view (esc); 0 when there is nowhere to go. */
static int
ui_app_pop(struct ui_app *a)
{
	if (a->depth == 0)
		return 0;
	a->view = a->stack[--a->depth];
	return 1;
}

/* The table for a list view, or NULL. */
static struct ui_table *
ui_app_table(struct ui_app *a)
{
	if (a->view == &ui_view_routes)
		return &a->tables[UI_LIST_ROUTES];
	if (a->view == &ui_view_gateways)
		return &a->tables[UI_LIST_GATEWAYS];
	if (a->view == &ui_view_tg)
		return &a->tables[UI_LIST_TARGETGROUPS];
	return NULL;
}

/* Add an item and its children as table rows. */
static void
ui_rows_add(struct ui_table *t, const struct ui_item *it, int depth,
    const char *parent, size_t ncols, time_t now)
{
	struct ui_trow	*r;
	char		*key, age[16];
	size_t		 c;

	xasprintf(&key, "%s/%s/%s/%s", parent, it->kind, it->ns, it->name);
	r = ui_table_add(t, key, depth, it->state);
	r->created = it->created;
	ui_table_cell(r, t, 0, it->name);
	ui_table_cell(r, t, 1, it->ns);
	for (c = 0; c < ncols; c++)
		ui_table_cell(r, t, c + 2, it->cells[c]);
	if (it->created > 0) {
		ui_age((long)(now - it->created), age, sizeof age);
		ui_table_cell(r, t, ncols + 2, age);
	} else
		ui_table_cell(r, t, ncols + 2, depth == 0 ? "-" : "");
	/* the rows below a folded route are built when it opens (or when
	 * a filter must see them) */
	if (depth == 0 && it->nchildren > 0 && t->filter == NULL &&
	    ui_table_row_folded(t, &(struct ui_trow){ .key = key,
	    .depth = 0, .has_children = 1 })) {
		r->has_children = 1;
		free(key);
		return;
	}
	for (c = 0; c < it->nchildren; c++)
		ui_rows_add(t, &it->children[c], depth + 1, key, ncols, now);
	free(key);
}

/* Whether the list table was built from this snapshot and namespace. */
static int
ui_rows_current(struct ui_app *a, enum ui_list_id id)
{
	const char	*b = a->built_ns[id];

	if (!a->built[id] || a->built_version[id] != a->snap->version ||
	    a->built_filtered[id] != (a->tables[id].filter != NULL))
		return 0;
	if (b == NULL || a->ns == NULL)
		return b == a->ns;
	return strcmp(b, a->ns) == 0;
}

/* Redo the AGE cell of rows near the selection (rows are rebuilt only
 * when the snapshot changes; ages move with the clock). */
static void
ui_rows_ages(struct ui_table *t, size_t span)
{
	struct ui_trow	*r;
	size_t		 i, from = t->sel > span ? t->sel - span : 0;
	time_t		 now = time(NULL);
	char		 age[16];

	for (i = from; i < t->nvis && i < t->sel + span; i++) {
		r = &t->rows[t->vis[i]];
		if (r->created <= 0 || t->ncols == 0)
			continue;
		ui_age((long)(now - r->created), age, sizeof age);
		if (r->cells[t->ncols - 1] != NULL &&
		    strcmp(r->cells[t->ncols - 1], age) == 0)
			continue;
		/* the column widths stay valid unless the age got wider */
		if (t->cw_ok && strlen(age) > t->cw[t->ncols - 1])
			t->cw_ok = 0;
		free(r->cells[t->ncols - 1]);
		r->cells[t->ncols - 1] = xstrdup(age);
	}
}

/* Rebuild a list table from the snapshot (columns from the list) when
 * the snapshot or the namespace changed. */
static void
ui_rows_build(struct ui_app *a, enum ui_list_id id)
{
	const struct ui_list	*l = &a->snap->lists[id];
	struct ui_table		*t = &a->tables[id];
	const char		*titles[UI_ITEM_MAXCELLS + 3];
	char			*filter;
	size_t			 i;
	time_t			 now = time(NULL);

	if (ui_rows_current(a, id))
		return;
	a->built[id] = 1;
	a->built_version[id] = a->snap->version;
	a->built_filtered[id] = a->tables[id].filter != NULL;
	free(a->built_ns[id]);
	a->built_ns[id] = a->ns != NULL ? xstrdup(a->ns) : NULL;
	if (t->ncols != l->ncolumns + 3) {
		titles[0] = "NAME";
		titles[1] = "NAMESPACE";
		for (i = 0; i < l->ncolumns; i++)
			titles[i + 2] = l->columns[i];
		titles[l->ncolumns + 2] = "AGE";
		filter = t->filter != NULL ? xstrdup(t->filter) : NULL;
		ui_table_free(t);
		ui_table_init(t, titles, l->ncolumns + 3);
		t->filter = filter;
		t->fold_top = id == UI_LIST_ROUTES;
	}
	ui_table_clear(t);
	for (i = 0; i < l->nitems; i++) {
		if (a->ns == NULL || strcmp(a->ns, l->items[i].ns) == 0)
			ui_rows_add(t, &l->items[i], 0, "", l->ncolumns, now);
	}
	ui_table_refresh(t);
}

/* Draw a list view: a pane titled like k9s, "Routes(ns)[n]". */
void
ui_list_draw(struct ui_app *a, enum ui_list_id id, const char *title,
    int y, int h, int w)
{
	struct ui_table	*t = &a->tables[id];
	char		 head[128];

	ui_rows_build(a, id);
	ui_rows_ages(t, h > 0 ? (size_t)h : 1);
	snprintf(head, sizeof head, "%s(%s)[%zu]%s%s", title,
	    a->ns != NULL ? a->ns : "all", t->nvis,
	    t->filter != NULL ? " /" : "", t->filter != NULL ? t->filter : "");
	ui_pane_draw(stdscr, y, 0, h, w, head, &a->pal);
	ui_table_draw(t, stdscr, y + 1, 1, h - 2, w - 2, &a->pal);
	if (a->snap->conn == UI_CONN_CONNECTING && t->nrows == 0 && h > 4) {
		snprintf(head, sizeof head, "connecting%s",
		    a->pal.utf8 ? "\u2026" : "...");
		ui_put(stdscr, y + 3, 3, w - 6, head,
		    a->pal.attr[UI_ROLE_PROGRESSING], a->pal.utf8, 0);
	}
}

/* Routes view. */
static void
ui_routes_draw(struct ui_app *a, int y, int h, int w)
{
	ui_list_draw(a, UI_LIST_ROUTES, "Routes", y, h, w);
}

/* Gateways view. */
static void
ui_gateways_draw(struct ui_app *a, int y, int h, int w)
{
	ui_list_draw(a, UI_LIST_GATEWAYS, "Gateways", y, h, w);
}

/* Target groups view. */
static void
ui_tg_draw(struct ui_app *a, int y, int h, int w)
{
	ui_list_draw(a, UI_LIST_TARGETGROUPS, "TargetGroups", y, h, w);
}

/* The route key ("Kind/ns/name") of the selected routes row, or NULL
 * (caller frees). */
static char *
ui_selected_route(struct ui_app *a)
{
	const struct ui_trow	*r;
	char			*key = NULL;

	ui_rows_build(a, UI_LIST_ROUTES);
	r = ui_table_selected(&a->tables[UI_LIST_ROUTES]);
	if (r != NULL)
		ui_row_item(&a->snap->lists[UI_LIST_ROUTES], r->key, &key);
	return key;
}

/* Route keys: enter opens the detail, D diagnoses, ctrl-d deletes. */
static int
ui_routes_key(struct ui_app *a, int key)
{
	char	*rk, q[200];

	switch (key) {
	case '\r': case '\n': case KEY_ENTER:
		if ((rk = ui_selected_route(a)) == NULL)
			return 1;
		free(a->detail_key);
		a->detail_key = rk;
		a->detail_top = 0;
		ui_app_push(a, &ui_view_detail);
		return 1;
	case 'D':
		if ((rk = ui_selected_route(a)) == NULL)
			return 1;
		if (ui_app_action(a, "doctor.run", rk) == 0)
			ui_app_push(a, &ui_view_doctor);
		free(rk);
		return 1;
	case 4:		/* ctrl-d */
		if ((rk = ui_selected_route(a)) == NULL)
			return 1;
		snprintf(q, sizeof q, "Delete %s (its Lattice service goes "
		    "too)?", rk);
		ui_app_confirm(a, "route.delete", rk, q);
		free(rk);
		return 1;
	}
	return 0;
}

/* Keys of the list views: navigation, sort. */
static int
ui_list_key(struct ui_app *a, int key)
{
	struct ui_table	*t = ui_app_table(a);

	if (t == NULL)
		return 0;
	if (a->view == &ui_view_routes && ui_routes_key(a, key))
		return 1;
	if (key == ' ' || key == 'h' || key == 'l' || key == KEY_LEFT ||
	    key == KEY_RIGHT)
		a->built[t - a->tables] = 0;	/* folded rows are not built */
	switch (key) {
	case 'N': ui_table_sort(t, 0); return 1;
	case 'P': ui_table_sort(t, 1); return 1;
	case 'A': ui_table_sort(t, (int)t->ncols - 1); return 1;
	}
	return ui_table_key(t, key);
}

/* Events and log view. */
static void
ui_events_draw(struct ui_app *a, int y, int h, int w)
{
	char	title[64];

	snprintf(title, sizeof title, "Events%s",
	    a->log.follow ? " (follow)" : "");
	ui_pane_draw(stdscr, y, 0, h, w, title, &a->pal);
	ui_logview_draw(&a->log, &a->model->log, stdscr, y + 1, 1, h - 2,
	    w - 2, &a->pal);
}

/* Events keys. */
static int
ui_events_key(struct ui_app *a, int key)
{
	return ui_logview_key(&a->log, &a->model->log, key, LINES - 4);
}

/* Help view. */
static void
ui_help_draw(struct ui_app *a, int y, int h, int w)
{
	size_t	n = 0;

	while (ui_help_lines[n] != NULL)
		n++;
	ui_text_pane(a, "Help", (char *const *)ui_help_lines, n, &a->help_top,
	    y, h, w);
}

/* Help keys: scroll. */
static int
ui_help_key(struct ui_app *a, int key)
{
	size_t	n = 0;

	while (ui_help_lines[n] != NULL)
		n++;
	return ui_text_scroll(&a->help_top, n, key, LINES - 5);
}

/* The context view: where the data comes from and its health. */
static void
ui_ctx_draw(struct ui_app *a, int y, int h, int w)
{
	const struct ui_snapshot	*s = a->snap;
	const char			*st[] = { "connecting", "live", "stale" };
	char				 line[512];
	int				 l = y + 1;

	ui_pane_draw(stdscr, y, 0, h, w, "Context", &a->pal);
	snprintf(line, sizeof line, "context     %s",
	    s->context != NULL ? s->context : "-");
	ui_put(stdscr, l++, 2, w - 4, line, a->pal.attr[UI_ROLE_ROW],
	    a->pal.utf8, 1);
	snprintf(line, sizeof line, "server      %s",
	    s->server != NULL ? s->server : "-");
	ui_put(stdscr, l++, 2, w - 4, line, a->pal.attr[UI_ROLE_ROW],
	    a->pal.utf8, 1);
	snprintf(line, sizeof line, "namespace   %s", a->ns ? a->ns : "(all)");
	ui_put(stdscr, l++, 2, w - 4, line, a->pal.attr[UI_ROLE_ROW],
	    a->pal.utf8, 1);
	snprintf(line, sizeof line, "connection  %s", st[s->conn]);
	ui_put(stdscr, l++, 2, w - 4, line, a->pal.attr[s->conn ==
	    UI_CONN_LIVE ? UI_ROLE_OK : UI_ROLE_WARN], a->pal.utf8, 1);
	snprintf(line, sizeof line, "last error  %s",
	    s->conn_error != NULL ? s->conn_error : "-");
	if (l < y + h - 1)
		ui_put(stdscr, l++, 2, w - 4, line, a->pal.attr[UI_ROLE_DIM],
		    a->pal.utf8, 1);
	if (l < y + h - 1)
		ui_put(stdscr, l, 2, w - 4, "switch with: latticectl "
		    "--context NAME tui", a->pal.attr[UI_ROLE_DIM],
		    a->pal.utf8, 1);
}

const struct ui_view ui_view_routes = {
	"routes", ui_hints_routes, ui_routes_draw, ui_list_key
};
const struct ui_view ui_view_tg = {
	"tg", ui_hints_list, ui_tg_draw, ui_list_key
};
const struct ui_view ui_view_gateways = {
	"gateways", ui_hints_list, ui_gateways_draw, ui_list_key
};
const struct ui_view ui_view_events = {
	"events", ui_hints_text, ui_events_draw, ui_events_key
};
const struct ui_view ui_view_help = {
	"help", ui_hints_text, ui_help_draw, ui_help_key
};
const struct ui_view ui_view_ctx = {
	"ctx", ui_hints_text, ui_ctx_draw, NULL
};

static const struct {
	const char		*name;
	const struct ui_view	*view;
} ui_commands[] = {
	{ "routes", &ui_view_routes }, { "route", &ui_view_routes },
	{ "rt", &ui_view_routes }, { "httproutes", &ui_view_routes },
	{ "gateways", &ui_view_gateways }, { "gateway", &ui_view_gateways },
	{ "gw", &ui_view_gateways }, { "events", &ui_view_events },
	{ "ev", &ui_view_events }, { "log", &ui_view_events },
	{ "help", &ui_view_help }, { "ctx", &ui_view_ctx },
	{ "context", &ui_view_ctx }, { "tg", &ui_view_tg },
	{ "targetgroups", &ui_view_tg }, { "drift", &ui_view_drift },
	{ "install", &ui_view_install }, { "installer", &ui_view_install },
	{ "workloads", &ui_view_workloads }, { "wl", &ui_view_workloads },
	{ "doctor", &ui_view_doctor }, { "diag", &ui_view_doctor },
	{ "diagnose", &ui_view_doctor },
};

/* :ns NAME or :ns all. */
static void
ui_app_cmd_ns(struct ui_app *a, const char *arg)
{
	free(a->ns);
	a->ns = NULL;
	if (arg != NULL && strcmp(arg, "all") != 0 && strcmp(arg, "-A") != 0)
		a->ns = xstrdup(arg);
	ui_app_flash(a, 0, "namespace: %s", a->ns != NULL ? a->ns : "all");
}

/* Run a command line typed after ':'. */
void
ui_app_command(struct ui_app *a, const char *line)
{
	char	 buf[256], *cmd, *arg, *save = NULL;
	size_t	 i;

	snprintf(buf, sizeof buf, "%s", line);
	if ((cmd = strtok_r(buf, " \t", &save)) == NULL)
		return;
	arg = strtok_r(NULL, " \t", &save);
	if (strcmp(cmd, "q") == 0 || strcmp(cmd, "quit") == 0 ||
	    strcmp(cmd, "q!") == 0) {
		a->quit = 1;
		return;
	}
	if (strcmp(cmd, "ns") == 0 || strcmp(cmd, "namespace") == 0) {
		ui_app_cmd_ns(a, arg);
		return;
	}
	if (strcmp(cmd, "ctx") == 0 && arg != NULL) {
		ui_app_flash(a, 1, "switching contexts needs a restart: "
		    "latticectl --context %s tui", arg);
		return;
	}
	for (i = 0; i < sizeof ui_commands / sizeof *ui_commands; i++) {
		if (strcmp(ui_commands[i].name, cmd) == 0) {
			if (arg != NULL && ui_commands[i].view->key == ui_list_key)
				ui_app_cmd_ns(a, arg);
			ui_app_push(a, ui_commands[i].view);
			return;
		}
	}
	ui_app_flash(a, 1, "unknown command '%s' (try :help)", cmd);
}

/* Header: program, context, namespace, read-only, connection state. */
static void
ui_header_draw(struct ui_app *a, int w)
{
	const struct ui_snapshot	*s = a->snap;
	char				 left[256], right[128], ro[200];
	int				 role, rw;
	long				 age;

	snprintf(left, sizeof left, " latticectl  ctx:%s  ns:%s",
	    s->context != NULL ? s->context : "-", a->ns != NULL ? a->ns : "all");
	ui_put(stdscr, 0, 0, w, left, a->pal.attr[UI_ROLE_HEADER], a->pal.utf8,
	    1);
	switch (s->conn) {
	case UI_CONN_CONNECTING:
		snprintf(right, sizeof right, "connecting%s ",
		    a->pal.utf8 ? "\u2026" : "...");
		role = UI_ROLE_PROGRESSING;
		break;
	case UI_CONN_STALE:
		age = s->stale_since > 0 ? (long)(time(NULL) - s->stale_since) : 0;
		snprintf(right, sizeof right, "%s stale %lds ",
		    ui_glyph(a->pal.utf8, UI_GLYPH_STALE), age);
		role = UI_ROLE_ERROR;
		break;
	default:
		snprintf(right, sizeof right, "%s live ",
		    ui_glyph(a->pal.utf8, UI_GLYPH_OK));
		role = UI_ROLE_OK;
	}
	rw = (int)ui_text_width(right);
	if (rw < w / 2)
		ui_put(stdscr, 0, w - rw, rw, right, a->pal.attr[role],
		    a->pal.utf8, 0);
	if (a->opts.readonly || s->readonly) {
		snprintf(ro, sizeof ro, "READ-ONLY: %s", s->readonly_why != NULL ?
		    s->readonly_why : "--readonly");
		ui_put(stdscr, 0, (int)strlen(left) + 2, w - (int)strlen(left) -
		    3 - rw, ro, a->pal.attr[UI_ROLE_WARN] | A_BOLD, a->pal.utf8,
		    0);
	}
}

/* The line above the bar: flash message, else the selected row's why. */
static void
ui_detail_draw(struct ui_app *a, int y, int w)
{
	struct ui_table		*t = ui_app_table(a);
	const struct ui_trow	*r = t != NULL ? ui_table_selected(t) : NULL;
	const struct ui_list	*l;
	const struct ui_item	*it;
	const char		*msg = NULL;

	if (a->flash[0] != '\0') {
		ui_put(stdscr, y, 0, w, a->flash, a->pal.attr[a->flash_err ?
		    UI_ROLE_ERROR : UI_ROLE_TITLE], a->pal.utf8, 1);
		return;
	}
	if (r != NULL) {
		l = &a->snap->lists[t - a->tables];
		it = ui_row_item(l, r->key, NULL);
		msg = it != NULL ? it->message : NULL;
	}
	if (msg == NULL && a->snap->conn != UI_CONN_LIVE)
		msg = a->snap->conn_error;
	ui_put(stdscr, y, 0, w, msg != NULL ? msg : "",
	    a->pal.attr[UI_ROLE_DIM], a->pal.utf8, 1);
}

/* Draw one whole frame from the current snapshot. */
void
ui_app_draw(struct ui_app *a)
{
	int	w = COLS, h = LINES;

	ui_snapshot_release(a->model, a->snap);
	a->snap = ui_model_acquire(a->model);
	curs_set(0);
	if (h < 6 || w < 20) {
		erase();
		ui_put(stdscr, 0, 0, w, "terminal too small", A_NORMAL,
		    a->pal.utf8, 0);
		return;
	}
	ui_header_draw(a, w);
	a->view->draw(a, 1, h - 3, w);
	ui_detail_draw(a, h - 2, w);
	if (a->confirm.open)
		ui_confirm_draw(a, h - 1, w);
	else if (a->prompt.lead != 0) {
		curs_set(1);
		ui_prompt_draw(&a->prompt, stdscr, h - 1, w, &a->pal);
	} else
		ui_bar_draw(stdscr, h - 1, w, a->view->hints,
		    a->opts.readonly ? "read-only " : NULL, &a->pal);
	a->frames++;
}

/* Finish the prompt: run the command or set the filter. */
static void
ui_app_prompt_done(struct ui_app *a)
{
	struct ui_table	*t = ui_app_table(a);
	char		 lead = a->prompt.lead;

	a->prompt.lead = 0;
	if (lead == ':')
		ui_app_command(a, a->prompt.buf);
	else if (t != NULL)
		ui_table_set_filter(t, a->prompt.buf);
}

/* Handle one key: prompt first, then global keys, then the view. */
void
ui_app_key(struct ui_app *a, int key)
{
	struct ui_table	*t = ui_app_table(a);

	if (a->confirm.open) {
		ui_confirm_key(a, key);
		return;
	}
	if (a->prompt.lead != 0) {
		if (ui_prompt_key(&a->prompt, key) == UI_PROMPT_DONE)
			ui_app_prompt_done(a);
		else if (a->prompt.lead == '/' && t != NULL)
			ui_table_set_filter(t, a->prompt.buf);
		return;
	}
	a->flash[0] = '\0';
	if (a->view->key != NULL && a->view->key(a, key))
		return;
	switch (key) {
	case 'q': case 3: a->quit = 1; break;
	case '?': ui_app_push(a, &ui_view_help); break;
	case ':': ui_prompt_open(&a->prompt, ':', NULL); break;
	case '/':
		if (t != NULL)
			ui_prompt_open(&a->prompt, '/', t->filter);
		break;
	case 27:
		if (t != NULL && t->filter != NULL)
			ui_table_set_filter(t, NULL);
		else
			ui_app_pop(a);
		break;
	}
}

/* Set up the app state (no curses calls). */
void
ui_app_init(struct ui_app *a, struct ui_model *m, const struct ui_opts *o)
{
	size_t	i;

	memset(a, 0, sizeof *a);
	a->model = m;
	a->opts = *o;
	a->view = &ui_view_routes;
	a->log.follow = 1;
	a->install_follow = 1;
	for (i = 0; i < sizeof ui_commands / sizeof *ui_commands; i++) {
		if (o->start_view != NULL &&
		    strcmp(o->start_view, ui_commands[i].name) == 0)
			a->view = ui_commands[i].view;
	}
	a->snap = ui_model_acquire(m);
}

/* Free the app state. */
void
ui_app_free(struct ui_app *a)
{
	size_t	i;

	for (i = 0; i < UI_LIST_COUNT; i++) {
		ui_table_free(&a->tables[i]);
		free(a->built_ns[i]);
	}
	ui_table_free(&a->install_t);
	ui_table_free(&a->work_t);
	ui_table_free(&a->doctor_t);
	ui_confirm_close(&a->confirm);
	ui_config_free(&a->cfg);
	free(a->detail_key);
	ui_snapshot_release(a->model, a->snap);
	free(a->ns);
}
