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
};

extern const struct ui_view ui_view_routes, ui_view_gateways,
	    ui_view_events, ui_view_help, ui_view_ctx;

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
