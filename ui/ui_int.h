/*
 * Internals shared by ui/app.c and ui/views.c: the app state the UI
 * thread owns (nothing here is touched by other threads) and the view
 * operations table (tmux window_mode style).
 */
#ifndef LATTICECTL_UI_INT_H
#define LATTICECTL_UI_INT_H

#include "latticectl/ui.h"

struct ui_app;

struct ui_view {
	const char	*name;
	const char	*const *hints;	/* key-hint pairs, NULL-terminated */
	/* Draw into rows [y, y+h) of the screen. */
	void		(*draw)(struct ui_app *, int y, int h, int w);
	/* A key the view may use; 1 when used. */
	int		(*key)(struct ui_app *, int key);
};

#define UI_VIEW_STACK 8

/* The y/n prompt before a destructive action. */
struct ui_confirm {
	int	 open;
	char	 question[200];
	char	 verb[32];
	char	*target;	/* owned; NULL for none */
};

struct ui_app {
	struct ui_model		*model;
	struct ui_opts		 opts;
	struct ui_palette	 pal;
	struct ui_snapshot	*snap;		/* referenced for this frame */
	const struct ui_view	*view;
	const struct ui_view	*stack[UI_VIEW_STACK];
	size_t			 depth;
	struct ui_table		 tables[UI_LIST_COUNT];
	struct ui_logview	 log;
	struct ui_prompt	 prompt;
	char			*ns;		/* :ns filter, NULL all */
	char			 flash[160];
	int			 flash_err;
	size_t			 help_top;
	int			 quit;
	long			 frames;
	/* what the list tables were last built from (rebuilt on change) */
	uint64_t		 built_version[UI_LIST_COUNT];
	int			 built[UI_LIST_COUNT];
	int			 built_filtered[UI_LIST_COUNT];
	char			*built_ns[UI_LIST_COUNT];
	/* installer, workloads and doctor views */
	struct ui_table		 install_t;
	int			 install_follow;	/* track the running step */
	struct ui_table		 work_t;
	struct ui_table		 doctor_t;
	size_t			 doctor_pane_top;
	/* route detail and drift views */
	char			*detail_key;	/* "HTTPRoute/ns/name" */
	size_t			 detail_top;
	size_t			 drift_top;
	size_t			 drift_sel;	/* selected drift line */
	struct ui_confirm	 confirm;
	struct ui_config	 cfg;		/* the config file's settings */
};

extern const struct ui_view ui_view_routes, ui_view_gateways,
	    ui_view_events, ui_view_help, ui_view_ctx, ui_view_tg,
	    ui_view_detail, ui_view_drift, ui_view_install, ui_view_workloads,
	    ui_view_doctor;

/* ---- actions and confirmation (ui/confirm.c) ---- */

/* Whether verb may run now; otherwise flash why and return 0. */
int	 ui_app_allowed(struct ui_app *, const char *verb);
/* Call opts.action (refused with a flash when not allowed); the
 * producer's message is flashed. 0 accepted, -1 refused. */
int	 ui_app_action(struct ui_app *, const char *verb, const char *target);
/* Ask "question [y/N]" before running verb on target. */
void	 ui_app_confirm(struct ui_app *, const char *verb, const char *target,
	    const char *question);
/* Keys while the prompt is open (y runs, anything else cancels). */
void	 ui_confirm_key(struct ui_app *, int key);
void	 ui_confirm_draw(struct ui_app *, int y, int w);
void	 ui_confirm_close(struct ui_confirm *);

/* ---- pure helpers of the views (tested without a terminal) ---- */

/* The installer's steps as table rows (key: step id). */
void	 ui_install_rows(struct ui_table *, const struct ui_install *);
/* The doctor report as rows: groups (depth 0) then their checks
 * (key "group/id"). */
void	 ui_doctor_rows(struct ui_table *, const cJSON *report);
/* The check of a doctor row key, or NULL. */
const cJSON *ui_doctor_check(const cJSON *report, const char *key);
/* State of a doctor status word (OK, WARN, FAIL, SKIP). */
enum ui_state ui_doctor_state(const char *status);
/* The route item ("Kind/ns/name" in *route_key, caller frees) and the
 * item a table row key names; NULL when gone. */
const struct ui_item *ui_row_item(const struct ui_list *, const char *rowkey,
	    char **route_key);
/* The detail of route key in the snapshot, or NULL. */
const struct ui_detail *ui_snap_detail(const struct ui_snapshot *,
	    const char *route_key);
/* Lines of the drift view (caller frees each and the array). */
char	**ui_drift_lines(const struct ui_snapshot *, size_t *n);
/* The route ("Kind/ns/name", caller frees) whose drift section holds
 * line sel, or NULL. */
char	*ui_drift_route(char *const *lines, size_t n, size_t sel);
/* The Route detail view's lines of route_key: the producer's detail,
 * else the route item's chain (*owned: free with ui_lines_free). */
char	*const *ui_detail_view_lines(const struct ui_snapshot *,
	    const char *route_key, size_t *n, int *owned);
void	 ui_lines_free(char **, size_t);

/* ---- drawing helpers shared by the views ---- */

/* A scrollable text pane; *top is clamped. Lines without a leading
 * blank are headings. */
void	 ui_text_pane(struct ui_app *, const char *title,
	    char *const *lines, size_t n, size_t *top, int y, int h, int w);
/* ui_text_pane with line sel (< n) selected, (size_t)-1 for none;
 * *top follows the selection. */
void	 ui_text_pane_sel(struct ui_app *, const char *title,
	    char *const *lines, size_t n, size_t *top, size_t sel, int y,
	    int h, int w);
/* Scroll keys for a text pane; 1 when used. */
int	 ui_text_scroll(size_t *top, size_t n, int key, int page);
/* Selection keys for a text pane of page rows (sel and top move);
 * 1 when used. */
int	 ui_text_select(size_t *sel, size_t *top, size_t n, int key,
	    int page);
/* Text wrapped into rows [y, y+h) at x, width w; returns rows used. */
int	 ui_wrap_draw(void *win, int y, int x, int h, int w, const char *text,
	    int attr, int utf8);
/* Draw a list view (Routes, Gateways, TargetGroups). */
void	 ui_list_draw(struct ui_app *, enum ui_list_id, const char *title,
	    int y, int h, int w);

/* Switch to a view (pushing the current one for esc). */
void	 ui_app_push(struct ui_app *, const struct ui_view *);
/* Run a `:` command line; sets the flash on errors. */
void	 ui_app_command(struct ui_app *, const char *line);
void	 ui_app_flash(struct ui_app *, int err, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
/* Draw the whole frame. */
void	 ui_app_draw(struct ui_app *);
/* Handle one key. */
void	 ui_app_key(struct ui_app *, int key);
void	 ui_app_init(struct ui_app *, struct ui_model *,
	    const struct ui_opts *);
void	 ui_app_free(struct ui_app *);

#endif
