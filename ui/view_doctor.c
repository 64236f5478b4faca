/* The Diagnose view: `latticectl doctor`'s report as checks grouped by
 * group with OK/WARN/FAIL/SKIP icons, and the selected check's evidence
 * and fix below. */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/json.h"
#include "latticectl/ui.h"
#include "latticectl/xmalloc.h"
#include "ui_int.h"

#define UI_DOCTOR_PANE	7	/* rows of the evidence/fix pane */

static const char *const ui_hints_doctor[] = {
	"j/k", "move", "r", "re-run", "space", "fold", "esc", "back",
	"q", "quit", NULL
};
static const char *const ui_doctor_titles[] = {
	"CHECK", "STATUS", "SUBJECT"
};

/* OK in sync, WARN drift (the ! glyph), FAIL error, SKIP none. */
enum ui_state
ui_doctor_state(const char *status)
{
	if (status == NULL)
		return UI_STATE_NONE;
	if (strcmp(status, "OK") == 0)
		return UI_STATE_OK;
	if (strcmp(status, "WARN") == 0)
		return UI_STATE_DRIFT;
	if (strcmp(status, "FAIL") == 0)
		return UI_STATE_ERROR;
	return UI_STATE_NONE;
}

/* A check's group ("other" when missing). */
static const char *
ui_check_group(const cJSON *c)
{
	const char	*g = json_str(c, "group");

	return g != NULL && *g != '\0' ? g : "other";
}

/* Whether group g already has rows (groups keep first-seen order). */
static int
ui_group_seen(const cJSON *checks, const cJSON *upto, const char *g)
{
	const cJSON	*c;

	cJSON_ArrayForEach(c, checks) {
		if (c == upto)
			return 0;
		if (strcmp(ui_check_group(c), g) == 0)
			return 1;
	}
	return 0;
}

/* Rows of one group: a header with the worst state, then its checks. */
static void
ui_doctor_group(struct ui_table *t, const cJSON *checks, const char *g)
{
	struct ui_trow	*hdr, *r;
	const cJSON	*c;
	char		*key, count[32];
	enum ui_state	 worst = UI_STATE_NONE, s;
	int		 n = 0, bad = 0;

	xasprintf(&key, "%s", g);
	hdr = ui_table_add(t, key, 0, UI_STATE_NONE);
	ui_table_cell(hdr, t, 0, g);
	free(key);
	cJSON_ArrayForEach(c, checks) {
		if (strcmp(ui_check_group(c), g) != 0)
			continue;
		s = ui_doctor_state(json_str(c, "status"));
		worst = s > worst ? s : worst;
		n++;
		bad += s == UI_STATE_DRIFT || s == UI_STATE_ERROR;
		xasprintf(&key, "%s/%s", g, json_str(c, "id") != NULL ?
		    json_str(c, "id") : "?");
		r = ui_table_add(t, key, 1, s);
		free(key);
		ui_table_cell(r, t, 0, json_str(c, "title") != NULL ?
		    json_str(c, "title") : json_str(c, "id"));
		ui_table_cell(r, t, 1, json_str(c, "status"));
		ui_table_cell(r, t, 2, json_str(c, "subject"));
	}
	/* hdr may have moved: it is the row before this group's checks */
	hdr = &t->rows[t->nrows - (size_t)n - 1];
	hdr->state = worst;
	snprintf(count, sizeof count, bad > 0 ? "%d of %d" : "%d", bad > 0 ?
	    bad : n, n);
	ui_table_cell(hdr, t, 1, count);
}

/* The report as rows grouped by group, in first-seen order. */
void
ui_doctor_rows(struct ui_table *t, const cJSON *report)
{
	const cJSON	*checks = json_path(report, "checks"), *c;

	if (t->ncols != 3)
		ui_table_init(t, ui_doctor_titles, 3);
	ui_table_clear(t);
	cJSON_ArrayForEach(c, checks) {
		if (!ui_group_seen(checks, c, ui_check_group(c)))
			ui_doctor_group(t, checks, ui_check_group(c));
	}
	ui_table_refresh(t);
}

/* The check a row key ("group/id") names. */
const cJSON *
ui_doctor_check(const cJSON *report, const char *key)
{
	const cJSON	*c;
	const char	*g, *id;
	size_t		 gl;

	if (key == NULL)
		return NULL;
	cJSON_ArrayForEach(c, json_path(report, "checks")) {
		g = ui_check_group(c);
		id = json_str(c, "id");
		gl = strlen(g);
		if (id != NULL && strncmp(key, g, gl) == 0 && key[gl] == '/' &&
		    strcmp(key + gl + 1, id) == 0)
			return c;
	}
	return NULL;
}

/* The pane title: target, counts and time of the report. */
static void
ui_doctor_title(const cJSON *rep, char *buf, size_t len)
{
	const cJSON	*s = json_path(rep, "summary");
	const char	*target = json_str(rep, "target");

	snprintf(buf, len, "Diagnose %s  ok %d warn %d fail %d skip %d  %s",
	    target != NULL ? target : "(all)", (int)json_num(s, "ok", 0),
	    (int)json_num(s, "warn", 0), (int)json_num(s, "fail", 0),
	    (int)json_num(s, "skip", 0), json_str(rep, "checkedAt") != NULL ?
	    json_str(rep, "checkedAt") : "");
}

/* Evidence and fix of the selected check. */
static void
ui_doctor_pane(struct ui_app *a, const cJSON *c, int y, int h, int w)
{
	const char	*ev = json_str(c, "evidence"), *fix = json_str(c, "fix");
	int		 row = y + 1, end = y + h - 1;
	char		*t;

	ui_pane_draw(stdscr, y, 0, h, w, c != NULL ? json_str(c, "id") :
	    "Check", &a->pal);
	if (c == NULL) {
		ui_put(stdscr, row, 2, w - 4, "select a check for its evidence "
		    "and fix", a->pal.attr[UI_ROLE_DIM], a->pal.utf8, 1);
		return;
	}
	xasprintf(&t, "evidence: %s", ev != NULL && *ev != '\0' ? ev : "-");
	row += ui_wrap_draw(stdscr, row, 2, end - row, w - 4, t,
	    a->pal.attr[UI_ROLE_ROW], a->pal.utf8);
	free(t);
	if (row < end) {
		xasprintf(&t, "fix: %s", fix != NULL && *fix != '\0' ? fix : "-");
		ui_wrap_draw(stdscr, row, 2, end - row, w - 4, t,
		    a->pal.attr[UI_ROLE_KEYHINT], a->pal.utf8);
		free(t);
	}
}

/* Until the user moves, select the first FAIL check (else WARN). */
static void
ui_doctor_preselect(struct ui_table *t)
{
	size_t	i, pick = t->nrows;

	if (t->sel_key != NULL)
		return;
	for (i = 0; i < t->nrows && pick == t->nrows; i++) {
		if (t->rows[i].depth > 0 && t->rows[i].state == UI_STATE_ERROR)
			pick = i;
	}
	for (i = 0; i < t->nrows && pick == t->nrows; i++) {
		if (t->rows[i].depth > 0 && t->rows[i].state == UI_STATE_DRIFT)
			pick = i;
	}
	if (pick == t->nrows)
		return;
	t->sel_key = xstrdup(t->rows[pick].key);
	ui_table_refresh(t);
}

/* Diagnose view. */
static void
ui_doctor_draw(struct ui_app *a, int y, int h, int w)
{
	const cJSON		*rep = a->snap->doctor;
	const struct ui_trow	*r;
	char			 title[200];
	int			 ph = UI_DOCTOR_PANE;

	if (rep == NULL) {
		ui_pane_draw(stdscr, y, 0, h, w, "Diagnose", &a->pal);
		ui_put(stdscr, y + 2, 3, w - 6, "no report yet: press r to run "
		    "the checks, or D on a route", a->pal.attr[UI_ROLE_DIM],
		    a->pal.utf8, 1);
		return;
	}
	ui_doctor_rows(&a->doctor_t, rep);
	ui_doctor_preselect(&a->doctor_t);
	if (h - ph < 5)
		ph = h > 8 ? h - 5 : 0;
	ui_doctor_title(rep, title, sizeof title);
	ui_pane_draw(stdscr, y, 0, h - ph, w, title, &a->pal);
	ui_table_draw(&a->doctor_t, stdscr, y + 1, 1, h - ph - 2, w - 2,
	    &a->pal);
	r = ui_table_selected(&a->doctor_t);
	if (ph >= 3)
		ui_doctor_pane(a, ui_doctor_check(rep, r != NULL ? r->key : NULL),
		    y + h - ph, ph, w);
}

/* Diagnose keys: r re-runs every check; navigation. */
static int
ui_doctor_key(struct ui_app *a, int key)
{
	if (key == 'r') {
		ui_app_action(a, "doctor.run", NULL);
		return 1;
	}
	if (a->snap->doctor == NULL)
		return 0;
	ui_doctor_rows(&a->doctor_t, a->snap->doctor);
	return ui_table_key(&a->doctor_t, key);
}

const struct ui_view ui_view_doctor = {
	"doctor", ui_hints_doctor, ui_doctor_draw, ui_doctor_key
};
