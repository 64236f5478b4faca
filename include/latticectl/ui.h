/*
 * The terminal UI (ncursesw): themes, widgets, the read-only snapshot
 * model and the app loop. Widgets (table/tree, pane, log view, key-hint
 * bar, prompt) draw into any WINDOW (a pad in tests) and keep their logic
 * (selection, scrolling, sort, filter, editing) free of curses so it can be
 * tested without a terminal. Views are screens built from widgets.
 *
 * Threads and ownership: producers (cmd_tui's informer thread now; the
 * engine, installer and mirror later) build a whole struct ui_snapshot
 * and hand it to ui_model_publish, which takes ownership, swaps the
 * current pointer under a short lock, bumps the version and writes one
 * byte to the model's wake pipe. The UI thread takes a reference with
 * ui_model_acquire, reads it without locks (snapshots are immutable once
 * published) and drops it with ui_snapshot_release. The UI never does
 * network I/O. The model's log ring is filled from any thread.
 *
 * Extending the dashboard: a ui_item has children (ui_item_add_child);
 * the engine's Lattice chain (service and DNS name -> listener -> rule ->
 * target group -> targets) is meant to hang below each route as child
 * items with their own kind, cells and state; the table widget already
 * draws any depth as an expandable tree.
 */
#ifndef LATTICECTL_UI_H
#define LATTICECTL_UI_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <cjson/cJSON.h>

/* ---- themes (ui/theme.c) ---- */

enum ui_role {
	UI_ROLE_NORMAL,
	UI_ROLE_HEADER,
	UI_ROLE_ROW,
	UI_ROLE_SELECTED,
	UI_ROLE_OK,
	UI_ROLE_WARN,
	UI_ROLE_ERROR,
	UI_ROLE_PROGRESSING,
	UI_ROLE_DIM,
	UI_ROLE_BORDER,
	UI_ROLE_TITLE,
	UI_ROLE_KEYHINT,
	UI_ROLE_COUNT
};

#define UI_COLOR_DEFAULT	(-1)	/* the terminal's own colour */
#define UI_ATTR_BOLD		0x01
#define UI_ATTR_UNDERLINE	0x02
#define UI_ATTR_REVERSE		0x04
#define UI_ATTR_DIM		0x08

struct ui_style {
	short	fg;		/* -1 default, 0-255 */
	short	bg;
	int	attrs;		/* UI_ATTR_* */
};

struct ui_theme {
	char		name[64];
	int		colors;		/* colours it was written for: 0,16,256 */
	struct ui_style	role[UI_ROLE_COUNT];
};

const char *ui_role_name(enum ui_role);
/* Parse a theme document; filename names errors ("f: roles.ok.fg: ...").
 * 0 ok, -1 with *cause. */
int	 ui_theme_parse(const char *buf, size_t len, const char *filename,
	    struct ui_theme *, char **cause);
int	 ui_theme_load_file(const char *path, struct ui_theme *, char **cause);
/* A built-in theme by name (default, 16color, mono, light,
 * high-contrast); -1 when unknown. */
int	 ui_theme_builtin(const char *name, struct ui_theme *);
/* Find NAME (or a path) in $LATTICECTL_THEME_DIR, ./themes and the
 * installed share dir, else its built-in copy, else the default; a
 * problem is reported in *warning (caller frees) and still returns 0. */
int	 ui_theme_find(const char *name, struct ui_theme *, char **warning);
/* Nearest colour in the first 16 of the xterm palette. */
short	 ui_color_to16(short);

/* ---- the config file (ui/uiconfig.c) ---- */

/* $XDG_CONFIG_HOME/latticectl/config.yaml (else ~/.config/...): keys
 * `theme:` (a name or path) and `ascii:` (bool); other keys are left to
 * other readers. --theme and --ascii win over it. Owns its strings. */
struct ui_config {
	char	*theme;		/* NULL: not set */
	int	 ascii;		/* 1 when `ascii: true` */
};

/* Parse a config document; errors name filename and the field
 * ("f: theme: expected a string"). 0 ok, -1 with *cause (cfg empty). */
int	 ui_config_parse(const char *buf, size_t len, const char *filename,
	    struct ui_config *, char **cause);
/* The config file's path (caller frees), or NULL without HOME. */
char	*ui_config_path(void);
/* Load path (NULL: ui_config_path()); a missing file is not an error.
 * 0 ok, -1 with *cause (cfg left empty). */
int	 ui_config_load(const char *path, struct ui_config *, char **cause);
void	 ui_config_free(struct ui_config *);

/* ---- glyphs and text ---- */

enum ui_glyph {
	UI_GLYPH_OK, UI_GLYPH_ERROR, UI_GLYPH_PROGRESSING, UI_GLYPH_WARN,
	UI_GLYPH_NONE, UI_GLYPH_EXPANDED, UI_GLYPH_COLLAPSED, UI_GLYPH_LEAF,
	UI_GLYPH_ELLIPSIS, UI_GLYPH_STALE, UI_GLYPH_COUNT
};

const char *ui_glyph(int utf8, enum ui_glyph);
/* Display width of a UTF-8 string (invalid bytes count 1). */
size_t	 ui_text_width(const char *);
/* Copy s into buf cut to at most width columns (an ellipsis marks the
 * cut), padded with spaces to width when pad. */
void	 ui_text_fit(const char *s, size_t width, int pad, int utf8,
	    char *buf, size_t len);

/* ---- the snapshot model (ui/model.c) ---- */

enum ui_state {
	UI_STATE_NONE,
	UI_STATE_OK,		/* in sync */
	UI_STATE_PROGRESSING,
	UI_STATE_DRIFT,
	UI_STATE_ERROR
};

enum ui_conn {
	UI_CONN_CONNECTING,	/* no successful list yet */
	UI_CONN_LIVE,
	UI_CONN_STALE		/* synced once, now failing */
};

#define UI_ITEM_MAXCELLS 8

/* One row: a resource, generic over kinds. Owns everything. */
struct ui_item {
	char		*kind;
	char		*ns;
	char		*name;
	char		*cells[UI_ITEM_MAXCELLS];	/* per the list's columns */
	enum ui_state	 state;
	char		*message;	/* why, for error/progressing */
	time_t		 created;	/* 0 unknown: AGE drawn from it */
	int		 drift;		/* the plan names it (even when the
					 * state shows something worse) */
	struct ui_item	*children;
	size_t		 nchildren;
};

/* Lists the producer fills. ROUTES items get the Lattice chain as
 * children (ui_route_chain); TARGETGROUPS is the flat :tg list. */
enum ui_list_id {
	UI_LIST_ROUTES, UI_LIST_GATEWAYS, UI_LIST_TARGETGROUPS, UI_LIST_COUNT
};

/* One installer step as the Installer view shows it (from
 * install_snapshot; owned by the snapshot). */
struct ui_step {
	char		*id;		/* "cluster", "security-group", ... */
	char		*title;
	enum ui_state	 state;		/* NONE pending, PROGRESSING, OK
					 * ready, ERROR failed */
	int		 skipped;	/* not selected / nothing to do */
	char		*reason;	/* CamelCase, may be NULL */
	char		*message;
	uint64_t	 elapsed_ms;
	char		*command;	/* the equivalent command(s), may be NULL */
	char		**log;		/* last lines, oldest first */
	size_t		 nlog;
};

/* The installer as a whole; present = 0 when this producer has none
 * (`latticectl tui` without --install). */
struct ui_install {
	int		 present;
	int		 running;	/* a run is in progress */
	char		*summary;	/* "5/7 ready, 12.4 s", may be NULL */
	struct ui_step	*steps;
	size_t		 nsteps;
};

/* A sample workload of the lab the demo can apply from a menu. */
struct ui_workload {
	char		*id;		/* "gateway", "parking", ... */
	char		*title;
	int		 applied;	/* its objects exist */
};

/* Everything the detail view shows for the selected route, prepared by
 * the producer (ui_route_detail): already formatted lines. */
struct ui_detail {
	char		*key;		/* "HTTPRoute/ns/name" */
	char		**lines;
	size_t		 nlines;
};

struct ui_list {
	char		*columns[UI_ITEM_MAXCELLS];	/* after NAMESPACE/NAME */
	size_t		 ncolumns;
	struct ui_item	*items;
	size_t		 nitems;
};

/* Immutable once published. */
struct ui_snapshot {
	uint64_t	 version;	/* set by ui_model_publish */
	int		 refs;		/* guarded by the model lock */
	char		*context;
	char		*server;
	enum ui_conn	 conn;
	char		*conn_error;	/* last error text, or NULL */
	time_t		 stale_since;
	int		 readonly;
	char		*readonly_why;	/* "GatewayClass owned by ...", or NULL */
	struct ui_list	 lists[UI_LIST_COUNT];
	struct ui_install install;
	struct ui_workload *workloads;
	size_t		 nworkloads;
	struct ui_detail *details;	/* one per route, same order as
					 * lists[UI_LIST_ROUTES] (or none) */
	size_t		 ndetails;
	cJSON		*doctor;	/* latticectl doctor's report (its -o
					 * json form) or NULL: the Diagnose view */
};

/* A bounded ring of log lines (the events/log view). Thread-safe. */
struct ui_ring {
	pthread_mutex_t	  lock;
	char		**lines;
	size_t		  cap;
	size_t		  start;	/* oldest */
	size_t		  len;
	uint64_t	  total;	/* lines ever pushed */
};

struct ui_model {
	pthread_mutex_t		 lock;
	struct ui_snapshot	*cur;
	uint64_t		 version;
	int			 wake[2];	/* [0] read by the UI */
	struct ui_ring		 log;
};

struct ui_snapshot *ui_snapshot_new(void);
void	 ui_snapshot_free(struct ui_snapshot *);
struct ui_item *ui_list_add(struct ui_list *, const char *kind,
	    const char *ns, const char *name);
void	 ui_list_set_columns(struct ui_list *, const char *const *cols);
struct ui_item *ui_item_add_child(struct ui_item *, const char *kind,
	    const char *ns, const char *name);
void	 ui_item_set_cell(struct ui_item *, size_t col, const char *);

void	 ui_model_init(struct ui_model *, size_t log_lines);
void	 ui_model_destroy(struct ui_model *);
/* Take ownership of s and make it current; wakes the UI. */
void	 ui_model_publish(struct ui_model *, struct ui_snapshot *s);
/* A referenced current snapshot (never NULL: empty before the first). */
struct ui_snapshot *ui_model_acquire(struct ui_model *);
void	 ui_snapshot_release(struct ui_model *, struct ui_snapshot *);
/* Write one byte to the wake pipe (async-signal-safe). */
void	 ui_model_wake(struct ui_model *);
/* Drain the wake pipe (UI thread). */
void	 ui_model_drain(struct ui_model *);

void	 ui_ring_init(struct ui_ring *, size_t cap);
void	 ui_ring_destroy(struct ui_ring *);
void	 ui_ring_push(struct ui_ring *, const char *line);
/* Copy lines [from, from+n) counted from the oldest kept line into out
 * (caller frees each); returns how many were copied. */
size_t	 ui_ring_copy(struct ui_ring *, size_t from, size_t n, char **out);
size_t	 ui_ring_len(struct ui_ring *);

/* ---- Kubernetes objects to items (ui/kube_rows.c, pure) ---- */

/* Columns of the routes list: PARENTS STATUS (Accepted, NotAccepted,
 * Unresolved, Pending) LATTICE (the DNS name on a route row, details on chain rows) HEALTH (healthy/total
 * targets, set by ui_route_chain). */
extern const char *const ui_route_columns[];
extern const char *const ui_gateway_columns[];
/* Append a row for an HTTPRoute/GRPCRoute/TLSRoute object. */
struct ui_item *ui_route_item(struct ui_list *, const cJSON *obj);
/* Append a row for a Gateway object. */
struct ui_item *ui_gateway_item(struct ui_list *, const cJSON *obj);
/* State from status conditions (routes: status.parents[].conditions). */
enum ui_state ui_state_from_conditions(const cJSON *conds, char **why);
/* kubectl-style age ("5m", "3h2m") of secs. */
void	 ui_age(long secs, char *buf, size_t len);

/* ---- the Lattice side as items (ui/lattice_rows.c, pure) ---- */

/* Hang one route's chain below its row: service (name, DNS) ->
 * listeners (protocol:port) -> rules (priority, match) -> target groups
 * (protocol, health check) -> targets (ip:port, health). entry is one
 * element of controller_map's array; plan (may be NULL) is the route's
 * plan_to_json: a non-empty plan marks the route and the rows it names
 * UI_STATE_DRIFT. Unhealthy targets make their TG and route WARN-ish
 * (UI_STATE_ERROR with a message). Health counts go in the route's
 * cells. */
void	 ui_route_chain(struct ui_item *route, const cJSON *entry,
	    const cJSON *plan);
/* Append one row per target group of a map entry to the :tg list. */
void	 ui_tg_items(struct ui_list *, const cJSON *entry);
extern const char *const ui_tg_columns[];
/* The detail lines of a route: Kubernetes side (parents and their
 * conditions, annotations, backendRefs), Lattice side (the map entry's
 * chain), the route's events (array of Event objects, may be NULL) and
 * its plan (may be NULL: "in sync"). */
void	 ui_route_detail(struct ui_detail *, const cJSON *route,
	    const cJSON *entry, const cJSON *plan, const cJSON *events);
/* Fill a ui_install from install_snapshot's steps is done by the
 * producer (src/cli) to keep ui/ free of install.h. */

/* ---- widgets (ui/table.c, ui/widgets.c) ---- */

struct ui_palette {
	int	utf8;
	int	attr[UI_ROLE_COUNT];	/* curses attr_t incl. COLOR_PAIR */
};

struct ui_column {
	char	*title;
	size_t	 min;		/* minimum width */
	int	 flex;		/* shares spare width when > 0 */
};

struct ui_trow {
	char		*key;		/* stable id: selection survives refresh */
	char		**cells;
	enum ui_state	 state;
	int		 depth;		/* tree level, 0 top */
	int		 has_children;
	time_t		 created;	/* for the AGE cell, 0 none */
};

struct ui_table {
	struct ui_column *cols;
	size_t		  ncols;
	struct ui_trow	 *rows;		/* all rows, tree order */
	size_t		  nrows;
	size_t		 *vis;		/* visible row indexes */
	size_t		  nvis;
	size_t		  sel;		/* index into vis */
	size_t		  top;		/* first visible shown */
	size_t		  page;		/* rows per page (set by draw) */
	int		  sort_col;	/* -1: producer order */
	int		  sort_desc;
	char		 *filter;	/* case-insensitive substring */
	char		 *sel_key;	/* key of the selected row */
	char		**collapsed;	/* keys of rows toggled away from
					 * their default fold */
	size_t		  ncollapsed;
	int		  fold_top;	/* top-level rows start folded */
	size_t		 *cw;		/* content widths per column, */
	int		  cw_ok;	/* valid until rows or cells change */
};

void	 ui_table_init(struct ui_table *, const char *const *titles,
	    size_t ncols);
void	 ui_table_free(struct ui_table *);
/* Start a new set of rows (keeps selection key, sort, filter). */
void	 ui_table_clear(struct ui_table *);
struct ui_trow *ui_table_add(struct ui_table *, const char *key,
	    int depth, enum ui_state);
void	 ui_table_cell(struct ui_trow *, struct ui_table *, size_t col,
	    const char *);
/* Recompute visible rows after adds or a change of filter/sort/collapse;
 * the selection follows its key. */
void	 ui_table_refresh(struct ui_table *);
void	 ui_table_set_filter(struct ui_table *, const char *);
/* Handle a navigation key (curses codes); 1 when used. */
int	 ui_table_key(struct ui_table *, int key);
void	 ui_table_toggle(struct ui_table *);	/* expand/collapse sel */
const struct ui_trow *ui_table_selected(const struct ui_table *);
/* Whether key was toggled (collapsed unless fold_top and depth 0). */
int	 ui_table_is_collapsed(const struct ui_table *, const char *key);
/* Whether a row's children are hidden. */
int	 ui_table_row_folded(const struct ui_table *, const struct ui_trow *);
void	 ui_table_sort(struct ui_table *, int col);

/* Curses drawing (WINDOW is void * so this header does not pull curses). */
void	 ui_table_draw(struct ui_table *, void *win, int y, int x, int h,
	    int w, const struct ui_palette *);
void	 ui_pane_draw(void *win, int y, int x, int h, int w,
	    const char *title, const struct ui_palette *);
void	 ui_put(void *win, int y, int x, int w, const char *s, int attr,
	    int utf8, int pad);
/* Key hints "<k> label" pairs, NULL-terminated. */
void	 ui_bar_draw(void *win, int y, int w, const char *const *hints,
	    const char *right, const struct ui_palette *);

/* Log view over a copy of the ring. */
struct ui_logview {
	int	follow;
	size_t	top;		/* first line shown when not following */
};
void	 ui_logview_draw(struct ui_logview *, struct ui_ring *, void *win,
	    int y, int x, int h, int w, const struct ui_palette *);
int	 ui_logview_key(struct ui_logview *, struct ui_ring *, int key,
	    int page);

/* The one-line prompt for `:` and `/`. */
enum ui_prompt_res { UI_PROMPT_EDIT, UI_PROMPT_DONE, UI_PROMPT_CANCEL };
struct ui_prompt {
	char	lead;		/* ':' or '/', 0 when closed */
	char	buf[256];
	size_t	len;
};
void	 ui_prompt_open(struct ui_prompt *, char lead, const char *init);
enum ui_prompt_res ui_prompt_key(struct ui_prompt *, int key);
void	 ui_prompt_draw(const struct ui_prompt *, void *win, int y, int w,
	    const struct ui_palette *);

/* ---- the app (ui/app.c, ui/views.c) ---- */

/* Actions from the UI to the producer (called on the UI thread; must not
 * block: queue the work and return). verb: "install.run" (target: a step
 * id or NULL for all), "install.recheck", "install.undo", "install.dryrun",
 * "install.skip", "workload.apply", "workload.delete" (target: workload
 * id), "route.delete" (target: "Kind/ns/name"), "doctor.run" (target:
 * route key or NULL). 0 accepted; -1 refused with a reason in msg. The
 * UI asks for confirmation itself before undo/delete verbs.
 * What the Installer view sends: r install.run NULL (all remaining
 * steps), R install.run <selected step id>, c install.recheck NULL,
 * u install.undo NULL (uninstall, after y/n), d install.dryrun NULL,
 * s install.skip <selected step id>. Every verb but doctor.run is
 * refused by the UI itself when the session is read-only. */
typedef int	(*ui_action_fn)(void *arg, const char *verb,
		    const char *target, char *msg, size_t msglen);

struct ui_opts {
	const char	*theme;		/* name or path; NULL default */
	int		 no_color;
	int		 ascii;		/* force the ASCII glyphs */
	int		 readonly;
	long		 exit_after;	/* frames, 0: run until quit */
	const char	*start_view;	/* "routes" (default), "help", ... */
	ui_action_fn	 action;	/* NULL: the UI is view-only */
	void		*action_arg;
};

/* Run the UI until quit; the terminal is restored on every exit path.
 * Returns the exit code (0, or 1 when the terminal could not start). */
int	 ui_run(struct ui_model *, const struct ui_opts *);

#endif
