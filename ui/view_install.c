/* The Installer view (steps with state, elapsed time and reason; the
 * selected or running step's log and equivalent command; run, re-check,
 * undo, dry-run, skip) and the lab's workloads menu. */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/ui.h"
#include "latticectl/xmalloc.h"
#include "ui_int.h"

#define UI_LOG_MIN	4	/* rows kept for the log pane */

static const char *const ui_hints_install[] = {
	"r", "run all", "R", "run step", "c", "re-check", "d", "dry-run",
	"s", "skip", "u", "undo", "l", "log", "w", "workloads", NULL
};
static const char *const ui_hints_work[] = {
	"enter", "apply", "x", "delete", "esc", "back", "q", "quit", NULL
};
static const char *const ui_install_titles[] = {
	"STEP", "STATE", "TIME", "REASON"
};
static const char *const ui_work_titles[] = { "WORKLOAD", "ID", "STATE" };

/* The state word of a step. */
static const char *
ui_step_word(const struct ui_step *st)
{
	if (st->skipped)
		return "skipped";
	switch (st->state) {
	case UI_STATE_OK: return "ready";
	case UI_STATE_PROGRESSING: return "running";
	case UI_STATE_ERROR: return "failed";
	case UI_STATE_DRIFT: return "changes";
	default: return "pending";
	}
}

/* The installer's steps as rows: title, state, elapsed, reason. */
void
ui_install_rows(struct ui_table *t, const struct ui_install *in)
{
	struct ui_trow	*r;
	char		 el[32];
	size_t		 i;

	if (t->ncols != 4)
		ui_table_init(t, ui_install_titles, 4);
	ui_table_clear(t);
	for (i = 0; i < in->nsteps; i++) {
		const struct ui_step *st = &in->steps[i];

		r = ui_table_add(t, st->id != NULL ? st->id : "?", 0,
		    st->skipped ? UI_STATE_NONE : st->state);
		ui_table_cell(r, t, 0, st->title != NULL ? st->title : st->id);
		ui_table_cell(r, t, 1, ui_step_word(st));
		if (st->elapsed_ms > 0 || st->state != UI_STATE_NONE) {
			snprintf(el, sizeof el, "%.1fs",
			    (double)st->elapsed_ms / 1000.0);
			ui_table_cell(r, t, 2, el);
		} else
			ui_table_cell(r, t, 2, "-");
		ui_table_cell(r, t, 3, st->reason != NULL ? st->reason : "");
	}
	ui_table_refresh(t);
}

/* The step the selected row is. */
static const struct ui_step *
ui_install_selected(struct ui_app *a)
{
	const struct ui_trow	*r = ui_table_selected(&a->install_t);
	const struct ui_install	*in = &a->snap->install;
	size_t			 i;

	for (i = 0; r != NULL && i < in->nsteps; i++) {
		if (in->steps[i].id != NULL && strcmp(in->steps[i].id, r->key) == 0)
			return &in->steps[i];
	}
	return NULL;
}

/* While following, select the running step (else the first failed). */
static void
ui_install_follow(struct ui_app *a)
{
	const struct ui_install	*in = &a->snap->install;
	const char		*id = NULL;
	size_t			 i;

	if (!a->install_follow)
		return;
	for (i = 0; i < in->nsteps && id == NULL; i++) {
		if (in->steps[i].state == UI_STATE_PROGRESSING)
			id = in->steps[i].id;
	}
	for (i = 0; i < in->nsteps && id == NULL; i++) {
		if (in->steps[i].state == UI_STATE_ERROR)
			id = in->steps[i].id;
	}
	if (id == NULL || (a->install_t.sel_key != NULL &&
	    strcmp(a->install_t.sel_key, id) == 0))
		return;
	free(a->install_t.sel_key);
	a->install_t.sel_key = xstrdup(id);
	ui_table_refresh(&a->install_t);
}

/* The step's log pane: the equivalent command, then its last lines. */
static void
ui_install_log(struct ui_app *a, const struct ui_step *st, int y, int h,
    int w)
{
	char	*title, *cmd, *nl, *p;
	int	 row = y + 1, end = y + h - 1, left;
	size_t	 i, from;

	xasprintf(&title, "Log: %s", st != NULL && st->title != NULL ?
	    st->title : st != NULL ? st->id : "-");
	ui_pane_draw(stdscr, y, 0, h, w, title, &a->pal);
	free(title);
	if (st == NULL)
		return;
	if (st->message != NULL && row < end)
		row += ui_wrap_draw(stdscr, row, 2, end - row > 3 ? 2 : 1,
		    w - 4, st->message, a->pal.attr[st->state ==
		    UI_STATE_ERROR ? UI_ROLE_ERROR : UI_ROLE_ROW], a->pal.utf8);
	if (st->command != NULL && row < end) {
		cmd = xstrdup(st->command);
		for (p = cmd; p != NULL && row < end && row < y + 4; p = nl) {
			if ((nl = strchr(p, '\n')) != NULL)
				*nl++ = '\0';
			xasprintf(&title, "$ %s", p);
			ui_put(stdscr, row++, 2, w - 4, title,
			    a->pal.attr[UI_ROLE_KEYHINT], a->pal.utf8, 1);
			free(title);
		}
		free(cmd);
	}
	left = end - row;
	from = st->nlog > (size_t)(left > 0 ? left : 0) ? st->nlog -
	    (size_t)left : 0;
	for (i = from; i < st->nlog && row < end; i++)
		ui_put(stdscr, row++, 2, w - 4, st->log[i], a->pal.attr[
		    strstr(st->log[i], "ERROR") != NULL ? UI_ROLE_ERROR :
		    UI_ROLE_DIM], a->pal.utf8, 1);
	if (st->nlog == 0 && row < end)
		ui_put(stdscr, row, 2, w - 4, "(no output yet)",
		    a->pal.attr[UI_ROLE_DIM], a->pal.utf8, 1);
}

/* Installer view: steps pane on top, the step's log below. */
static void
ui_install_draw(struct ui_app *a, int y, int h, int w)
{
	const struct ui_install	*in = &a->snap->install;
	char			 title[160];
	int			 th;

	if (!in->present) {
		ui_pane_draw(stdscr, y, 0, h, w, "Installer", &a->pal);
		ui_put(stdscr, y + 2, 3, w - 6, "No installer in this session "
		    "(latticectl demo runs one).", a->pal.attr[UI_ROLE_DIM],
		    a->pal.utf8, 1);
		return;
	}
	ui_install_rows(&a->install_t, in);
	ui_install_follow(a);
	th = (int)in->nsteps + 3;
	if (th > h - UI_LOG_MIN - 2)
		th = h - UI_LOG_MIN - 2;
	if (th < 4)
		th = 4;
	snprintf(title, sizeof title, "Installer%s%s%s", in->summary != NULL ?
	    "  " : "", in->summary != NULL ? in->summary : "",
	    in->running ? "  (running)" : "");
	ui_pane_draw(stdscr, y, 0, th, w, title, &a->pal);
	ui_table_draw(&a->install_t, stdscr, y + 1, 1, th - 2, w - 2, &a->pal);
	if (h - th >= 3)
		ui_install_log(a, ui_install_selected(a), y + th, h - th, w);
}

/* Installer keys (actions through opts.action) and navigation. */
static int
ui_install_key(struct ui_app *a, int key)
{
	const struct ui_step	*st = ui_install_selected(a);
	const char		*id = st != NULL ? st->id : NULL;

	switch (key) {
	case 'r': ui_app_action(a, "install.run", NULL); return 1;
	case 'R':
		if (id != NULL)
			ui_app_action(a, "install.run", id);
		return 1;
	case 'c': ui_app_action(a, "install.recheck", NULL); return 1;
	case 'd': ui_app_action(a, "install.dryrun", NULL); return 1;
	case 's':
		if (id != NULL)
			ui_app_action(a, "install.skip", id);
		return 1;
	case 'u':
		ui_app_confirm(a, "install.undo", NULL, "Undo the install "
		    "(remove what the steps created, in reverse order)?");
		return 1;
	case 'l': ui_app_push(a, &ui_view_events); return 1;
	case 'w': ui_app_push(a, &ui_view_workloads); return 1;
	case 'f': a->install_follow = 1; return 1;
	case ' ': return 1;
	}
	if (ui_table_key(&a->install_t, key)) {
		a->install_follow = 0;
		return 1;
	}
	return 0;
}

/* Workloads as rows. */
static void
ui_work_rows(struct ui_app *a)
{
	struct ui_table	*t = &a->work_t;
	struct ui_trow	*r;
	size_t		 i;

	if (t->ncols != 3)
		ui_table_init(t, ui_work_titles, 3);
	ui_table_clear(t);
	for (i = 0; i < a->snap->nworkloads; i++) {
		const struct ui_workload *wl = &a->snap->workloads[i];

		r = ui_table_add(t, wl->id != NULL ? wl->id : "?", 0,
		    wl->applied ? UI_STATE_OK : UI_STATE_NONE);
		ui_table_cell(r, t, 0, wl->title != NULL ? wl->title : wl->id);
		ui_table_cell(r, t, 1, wl->id);
		ui_table_cell(r, t, 2, wl->applied ? "applied" : "-");
	}
	ui_table_refresh(t);
}

/* Workloads menu. */
static void
ui_work_draw(struct ui_app *a, int y, int h, int w)
{
	char	title[64];

	ui_work_rows(a);
	snprintf(title, sizeof title, "Workloads[%zu]", a->snap->nworkloads);
	ui_pane_draw(stdscr, y, 0, h, w, title, &a->pal);
	ui_table_draw(&a->work_t, stdscr, y + 1, 1, h - 2, w - 2, &a->pal);
	if (a->snap->nworkloads == 0 && h > 4)
		ui_put(stdscr, y + 3, 3, w - 6, "No sample workloads in this "
		    "session.", a->pal.attr[UI_ROLE_DIM], a->pal.utf8, 1);
}

/* Workload keys: enter applies, x deletes after y/n. */
static int
ui_work_key(struct ui_app *a, int key)
{
	const struct ui_trow	*r;
	char			 q[160];

	ui_work_rows(a);
	r = ui_table_selected(&a->work_t);
	switch (key) {
	case '\r': case '\n': case KEY_ENTER:
		if (r != NULL)
			ui_app_action(a, "workload.apply", r->key);
		return 1;
	case 'x':
		if (r != NULL) {
			snprintf(q, sizeof q, "Delete the %s workload's objects?",
			    r->cells[0]);
			ui_app_confirm(a, "workload.delete", r->key, q);
		}
		return 1;
	}
	return ui_table_key(&a->work_t, key);
}

const struct ui_view ui_view_install = {
	"install", ui_hints_install, ui_install_draw, ui_install_key
};
const struct ui_view ui_view_workloads = {
	"workloads", ui_hints_work, ui_work_draw, ui_work_key
};
