/* Curses rendering of the widgets: table/tree, pane, key-hint bar,
 * prompt line and log view, all through a palette of theme roles. */
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/ui.h"
#include "latticectl/xmalloc.h"

#define UI_COL_GAP	2
#define UI_COL_CAP	48	/* widest a column grows from its content */

/* Put s at (y, x) in at most w columns with attr; pad fills the width.
 * Without UTF-8 every non-ASCII byte shows as '?'. */
void
ui_put(void *win, int y, int x, int w, const char *s, int attr, int utf8,
    int pad)
{
	char	 buf[1024], *p;

	if (w <= 0)
		return;
	ui_text_fit(s != NULL ? s : "", (size_t)w, pad, utf8, buf, sizeof buf);
	if (!utf8) {
		for (p = buf; *p != '\0'; p++) {
			if ((unsigned char)*p >= 0x80)
				*p = '?';
		}
	}
	wattrset((WINDOW *)win, (attr_t)attr);
	mvwaddstr((WINDOW *)win, y, x, buf);
	wattrset((WINDOW *)win, A_NORMAL);
}

/* Role for a row state. */
static int
ui_state_role(enum ui_state s)
{
	switch (s) {
	case UI_STATE_OK: return UI_ROLE_OK;
	case UI_STATE_PROGRESSING: return UI_ROLE_PROGRESSING;
	case UI_STATE_DRIFT: return UI_ROLE_WARN;
	case UI_STATE_ERROR: return UI_ROLE_ERROR;
	default: return UI_ROLE_DIM;
	}
}

/* Glyph for a row state. */
static enum ui_glyph
ui_state_glyph(enum ui_state s)
{
	switch (s) {
	case UI_STATE_OK: return UI_GLYPH_OK;
	case UI_STATE_PROGRESSING: return UI_GLYPH_PROGRESSING;
	case UI_STATE_DRIFT: return UI_GLYPH_WARN;
	case UI_STATE_ERROR: return UI_GLYPH_ERROR;
	default: return UI_GLYPH_NONE;
	}
}

/* Whether a cell is empty (a longer cell before it may spill over). */
static int
ui_cell_empty(const char *s)
{
	return s == NULL || *s == '\0';
}

/* Width of column c's content (first column includes tree indent). */
static size_t
ui_table_content_width(const struct ui_table *t, size_t c)
{
	size_t	i, w = ui_text_width(t->cols[c].title), cw;

	for (i = 0; i < t->nvis; i++) {
		const struct ui_trow *r = &t->rows[t->vis[i]];

		if (c + 1 < t->ncols && ui_cell_empty(r->cells[c + 1]))
			continue;	/* it spills into the empty next cell */
		cw = ui_text_width(r->cells[c] != NULL ? r->cells[c] : "");
		if (c == 0)
			cw += (size_t)r->depth * 2 + 2;
		if (cw > w)
			w = cw;
	}
	if (w < t->cols[c].min)
		w = t->cols[c].min;
	return w > UI_COL_CAP ? UI_COL_CAP : w;
}

/* How wide a column counts when choosing which to shrink: the first
 * (names, tree indent) keeps about twice as much as the others. */
static size_t
ui_col_weight(const size_t *wid, size_t c)
{
	return c == 0 ? wid[c] / 2 : wid[c];
}

/* Column widths fitting w: shrink the widest until it fits; the last
 * column takes what is left. */
static void
ui_table_widths(struct ui_table *t, int w, size_t *wid)
{
	size_t	c, total, widest;
	size_t	avail = w > 3 ? (size_t)w - 3 : 0;

	if (!t->cw_ok) {
		free(t->cw);
		t->cw = xcalloc(t->ncols > 0 ? t->ncols : 1, sizeof *t->cw);
		for (c = 0; c < t->ncols; c++)
			t->cw[c] = ui_table_content_width(t, c);
		t->cw_ok = 1;
	}
	for (c = 0; c < t->ncols; c++)
		wid[c] = t->cw[c];
	for (;;) {
		total = 0;
		widest = 0;
		for (c = 0; c < t->ncols; c++) {
			total += wid[c] + (c > 0 ? UI_COL_GAP : 0);
			if (ui_col_weight(wid, c) > ui_col_weight(wid, widest))
				widest = c;
		}
		if (total <= avail || wid[widest] <= 3)
			break;
		wid[widest]--;
	}
	if (t->ncols > 0 && total < avail)
		wid[t->ncols - 1] += avail - total;
}

/* Draw one table row (or the header when r is NULL) at line y. */
static void
ui_table_draw_row(const struct ui_table *t, const struct ui_trow *r,
    WINDOW *win, int y, int x, int w, const size_t *wid, int selected,
    const struct ui_palette *p)
{
	int	 base = r == NULL ? p->attr[UI_ROLE_HEADER] : selected ?
		    p->attr[UI_ROLE_SELECTED] : p->attr[UI_ROLE_ROW];
	int	 cx = x + 3, span;
	size_t	 c, e;
	char	*first;

	ui_put(win, y, x, w, "", base, p->utf8, 1);
	if (r != NULL)
		ui_put(win, y, x + 1, 1, ui_glyph(p->utf8, ui_state_glyph(r->state)),
		    selected ? base : p->attr[ui_state_role(r->state)],
		    p->utf8, 1);
	for (c = 0; c < t->ncols && cx < x + w; c++) {
		/* a cell spills over the empty cells after it */
		span = (int)wid[c];
		for (e = c + 1; r != NULL && e < t->ncols &&
		    ui_cell_empty(r->cells[e]); e++)
			span += UI_COL_GAP + (int)wid[e];
		if (r != NULL && span > (int)wid[c] && !ui_cell_empty(r->cells[c])) {
			if (c != 0) {
				ui_put(win, y, cx, span, r->cells[c], base,
				    p->utf8, 0);
				cx += span + UI_COL_GAP;
				c = e - 1;
				continue;
			}
		} else
			span = (int)wid[c];
		if (r == NULL)
			ui_put(win, y, cx, (int)wid[c], t->cols[c].title, base,
			    p->utf8, 0);
		else if (c == 0) {
			xasprintf(&first, "%*s%s%s%s", r->depth * 2, "",
			    r->has_children ? ui_glyph(p->utf8,
			    ui_table_row_folded(t, r) ?
			    UI_GLYPH_COLLAPSED : UI_GLYPH_EXPANDED) : "",
			    r->has_children ? " " : "",
			    r->cells[0] != NULL ? r->cells[0] : "");
			ui_put(win, y, cx, span, first, base, p->utf8, 0);
			free(first);
			if (span > (int)wid[c]) {
				cx += span + UI_COL_GAP;
				c = e - 1;
				continue;
			}
		} else
			ui_put(win, y, cx, (int)wid[c], r->cells[c], base,
			    p->utf8, 0);
		cx += (int)wid[c] + UI_COL_GAP;
	}
}

/* Draw the table in the rectangle: header line then rows; keeps the
 * selection on screen and records the page size. */
void
ui_table_draw(struct ui_table *t, void *win, int y, int x, int h, int w,
    const struct ui_palette *p)
{
	size_t	*wid, i;
	int	 line;

	if (h < 1 || w < 4)
		return;
	wid = xcalloc(t->ncols > 0 ? t->ncols : 1, sizeof *wid);
	ui_table_widths(t, w, wid);
	ui_table_draw_row(t, NULL, win, y, x, w, wid, 0, p);
	t->page = h > 1 ? (size_t)(h - 1) : 1;
	if (t->sel < t->top)
		t->top = t->sel;
	if (t->sel >= t->top + t->page)
		t->top = t->sel - t->page + 1;
	if (t->top + t->page > t->nvis)
		t->top = t->nvis > t->page ? t->nvis - t->page : 0;
	for (line = 1, i = t->top; line < h; line++, i++) {
		if (i < t->nvis)
			ui_table_draw_row(t, &t->rows[t->vis[i]], win, y + line,
			    x, w, wid, i == t->sel, p);
		else
			ui_put(win, y + line, x, w, "", p->attr[UI_ROLE_NORMAL],
			    p->utf8, 1);
	}
	free(wid);
}

/* A box with a title in the border. */
void
ui_pane_draw(void *win, int y, int x, int h, int w, const char *title,
    const struct ui_palette *p)
{
	WINDOW	*wn = win;
	char	*t;

	if (h < 2 || w < 4)
		return;
	wattrset(wn, (attr_t)p->attr[UI_ROLE_BORDER]);
	mvwhline(wn, y, x + 1, ACS_HLINE, w - 2);
	mvwhline(wn, y + h - 1, x + 1, ACS_HLINE, w - 2);
	mvwvline(wn, y + 1, x, ACS_VLINE, h - 2);
	mvwvline(wn, y + 1, x + w - 1, ACS_VLINE, h - 2);
	mvwaddch(wn, y, x, ACS_ULCORNER);
	mvwaddch(wn, y, x + w - 1, ACS_URCORNER);
	mvwaddch(wn, y + h - 1, x, ACS_LLCORNER);
	mvwaddch(wn, y + h - 1, x + w - 1, ACS_LRCORNER);
	wattrset(wn, A_NORMAL);
	if (title != NULL && *title != '\0') {
		xasprintf(&t, " %s ", title);
		ui_put(wn, y, x + 2, w - 4, t, p->attr[UI_ROLE_TITLE], p->utf8,
		    0);
		free(t);
	}
}

/* The key-hint bar: "<k> label" pairs, right text at the right edge. */
void
ui_bar_draw(void *win, int y, int w, const char *const *hints,
    const char *right, const struct ui_palette *p)
{
	int	x = 0, kw, lw, rw;
	size_t	i;

	ui_put(win, y, 0, w, "", p->attr[UI_ROLE_NORMAL], p->utf8, 1);
	rw = right != NULL ? (int)ui_text_width(right) : 0;
	for (i = 0; hints != NULL && hints[i] != NULL && hints[i + 1] != NULL;
	    i += 2) {
		kw = (int)ui_text_width(hints[i]) + 2;
		lw = (int)ui_text_width(hints[i + 1]) + 2;
		if (x + kw + lw > w - rw - 1)
			break;
		ui_put(win, y, x, kw, "", p->attr[UI_ROLE_KEYHINT], p->utf8, 0);
		mvwaddch((WINDOW *)win, y, x, '<');
		ui_put(win, y, x + 1, kw - 2, hints[i], p->attr[UI_ROLE_KEYHINT],
		    p->utf8, 0);
		mvwaddch((WINDOW *)win, y, x + kw - 1, '>');
		ui_put(win, y, x + kw + 1, lw - 1, hints[i + 1],
		    p->attr[UI_ROLE_DIM], p->utf8, 1);
		x += kw + lw;
	}
	if (rw > 0 && rw < w)
		ui_put(win, y, w - rw, rw, right, p->attr[UI_ROLE_TITLE],
		    p->utf8, 0);
}

/* The prompt line: lead character, text, cursor at the end. */
void
ui_prompt_draw(const struct ui_prompt *pr, void *win, int y, int w,
    const struct ui_palette *p)
{
	char	line[300];

	snprintf(line, sizeof line, "%c%s", pr->lead, pr->buf);
	ui_put(win, y, 0, w, line, p->attr[UI_ROLE_NORMAL], p->utf8, 1);
	wmove((WINDOW *)win, y, (int)ui_text_width(line) < w ?
	    (int)ui_text_width(line) : w - 1);
}

/* Draw the ring's lines: the newest when following, else from top. */
void
ui_logview_draw(struct ui_logview *lv, struct ui_ring *ring, void *win,
    int y, int x, int h, int w, const struct ui_palette *p)
{
	char	**lines;
	size_t	  len = ui_ring_len(ring), n, i, from;

	if (h <= 0)
		return;
	if (lv->follow || lv->top + (size_t)h > len)
		from = len > (size_t)h ? len - (size_t)h : 0;
	else
		from = lv->top;
	if (lv->follow)
		lv->top = from;
	lines = xcalloc((size_t)h, sizeof *lines);
	n = ui_ring_copy(ring, from, (size_t)h, lines);
	for (i = 0; i < (size_t)h; i++) {
		ui_put(win, y + (int)i, x, w, i < n ? lines[i] : "",
		    p->attr[i < n && strstr(lines[i], "ERROR") != NULL ?
		    UI_ROLE_ERROR : i < n && strstr(lines[i], "WARN") != NULL ?
		    UI_ROLE_WARN : UI_ROLE_ROW], p->utf8, 1);
		free(i < n ? lines[i] : NULL);
	}
	free(lines);
}
