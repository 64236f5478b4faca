/* Table widget: columns, rows in tree order, sort, filter, selection and
 * scrolling (pure logic; ui/draw.c renders it). */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "latticectl/ui.h"
#include "latticectl/xmalloc.h"

#define UI_KEY_DOWN	0402	/* curses KEY_DOWN etc., without curses.h */
#define UI_KEY_UP	0403
#define UI_KEY_LEFT	0404
#define UI_KEY_RIGHT	0405
#define UI_KEY_HOME	0406
#define UI_KEY_NPAGE	0522
#define UI_KEY_PPAGE	0523
#define UI_KEY_END	0550

/* Set up a table with column titles. */
void
ui_table_init(struct ui_table *t, const char *const *titles, size_t ncols)
{
	size_t	i;

	memset(t, 0, sizeof *t);
	t->cols = xcalloc(ncols, sizeof *t->cols);
	t->ncols = ncols;
	for (i = 0; i < ncols; i++) {
		t->cols[i].title = xstrdup(titles[i]);
		t->cols[i].min = strlen(titles[i]);
	}
	t->sort_col = -1;
	t->page = 1;
}

/* Free the rows (not the columns). */
static void
ui_table_free_rows(struct ui_table *t)
{
	size_t	i, j;

	for (i = 0; i < t->nrows; i++) {
		for (j = 0; j < t->ncols; j++)
			free(t->rows[i].cells[j]);
		free(t->rows[i].cells);
		free(t->rows[i].key);
	}
	free(t->rows);
	t->rows = NULL;
	t->nrows = 0;
}

/* Free everything the table owns. */
void
ui_table_free(struct ui_table *t)
{
	size_t	i;

	ui_table_free_rows(t);
	for (i = 0; i < t->ncols; i++)
		free(t->cols[i].title);
	for (i = 0; i < t->ncollapsed; i++)
		free(t->collapsed[i]);
	free(t->collapsed);
	free(t->cols);
	free(t->cw);
	free(t->vis);
	free(t->filter);
	free(t->sel_key);
	memset(t, 0, sizeof *t);
}

/* Drop the rows; selection key, sort, filter and collapse state stay. */
void
ui_table_clear(struct ui_table *t)
{
	ui_table_free_rows(t);
	t->nvis = 0;
	t->cw_ok = 0;
}

/* Append a row; cells start empty. */
struct ui_trow *
ui_table_add(struct ui_table *t, const char *key, int depth,
    enum ui_state st)
{
	struct ui_trow	*r;

	t->rows = xreallocarray(t->rows, t->nrows + 1, sizeof *t->rows);
	r = &t->rows[t->nrows++];
	r->key = xstrdup(key);
	r->cells = xcalloc(t->ncols, sizeof *r->cells);
	r->state = st;
	r->depth = depth;
	r->has_children = 0;
	if (depth > 0 && t->nrows > 1 && t->rows[t->nrows - 2].depth < depth)
		t->rows[t->nrows - 2].has_children = 1;
	return r;
}

/* Set a cell (copied). */
void
ui_table_cell(struct ui_trow *r, struct ui_table *t, size_t col,
    const char *s)
{
	if (col >= t->ncols)
		return;
	t->cw_ok = 0;
	free(r->cells[col]);
	r->cells[col] = xstrdup(s != NULL ? s : "");
}

/* Whether the row with key is collapsed. */
int
ui_table_is_collapsed(const struct ui_table *t, const char *key)
{
	size_t	i;

	for (i = 0; i < t->ncollapsed; i++) {
		if (strcmp(t->collapsed[i], key) == 0)
			return 1;
	}
	return 0;
}

/* Whether row r is folded: top-level rows of a fold_top table start
 * folded; a key in the toggled list flips the default. */
int
ui_table_row_folded(const struct ui_table *t, const struct ui_trow *r)
{
	int	def = t->fold_top && r->depth == 0;

	return r->has_children && (def ^ ui_table_is_collapsed(t, r->key));
}

/* Whether any cell of row r contains the filter (case-insensitive). */
static int
ui_table_row_matches(const struct ui_table *t, const struct ui_trow *r)
{
	size_t	i;

	if (t->filter == NULL || *t->filter == '\0')
		return 1;
	for (i = 0; i < t->ncols; i++) {
		if (r->cells[i] != NULL && strcasestr(r->cells[i], t->filter))
			return 1;
	}
	return 0;
}

/* End (exclusive) of the subtree that starts at row i. */
static size_t
ui_table_subtree_end(const struct ui_table *t, size_t i)
{
	size_t	j = i + 1;

	while (j < t->nrows && t->rows[j].depth > t->rows[i].depth)
		j++;
	return j;
}

struct ui_group {
	size_t		 start, end;
	const char	*cell;
};

/* Compare two groups by their sort cell (numbers numerically). */
static int
ui_group_cmp(const void *a, const void *b)
{
	const struct ui_group	*x = a, *y = b;
	char			*ex, *ey;
	double			 dx = strtod(x->cell, &ex), dy = strtod(y->cell, &ey);

	if (*x->cell != '\0' && *ex == '\0' && *y->cell != '\0' && *ey == '\0')
		return dx < dy ? -1 : dx > dy;
	return strcasecmp(x->cell, y->cell);
}

/* Reorder top-level groups (a row with its subtree) by the sort column. */
static void
ui_table_apply_sort(struct ui_table *t)
{
	struct ui_group	*g = NULL;
	struct ui_trow	*out;
	size_t		 ng = 0, i, k, o = 0;

	if (t->sort_col < 0 || (size_t)t->sort_col >= t->ncols)
		return;
	for (i = 0; i < t->nrows; i = g[ng - 1].end) {
		g = xreallocarray(g, ng + 1, sizeof *g);
		g[ng].start = i;
		g[ng].end = ui_table_subtree_end(t, i);
		g[ng].cell = t->rows[i].cells[t->sort_col] != NULL ?
		    t->rows[i].cells[t->sort_col] : "";
		ng++;
	}
	qsort(g, ng, sizeof *g, ui_group_cmp);
	out = xcalloc(t->nrows > 0 ? t->nrows : 1, sizeof *out);
	for (i = 0; i < ng; i++) {
		k = t->sort_desc ? ng - 1 - i : i;
		memcpy(out + o, t->rows + g[k].start,
		    (g[k].end - g[k].start) * sizeof *out);
		o += g[k].end - g[k].start;
	}
	free(t->rows);
	t->rows = out;
	free(g);
}

/* Whether any row of the subtree [i, end) matches the filter. */
static int
ui_table_group_matches(const struct ui_table *t, size_t i, size_t end)
{
	for (; i < end; i++) {
		if (ui_table_row_matches(t, &t->rows[i]))
			return 1;
	}
	return 0;
}

/* Recompute visible rows; keep the selection on its key. */
void
ui_table_refresh(struct ui_table *t)
{
	size_t	i, end, j;
	int	hide;

	ui_table_apply_sort(t);
	t->cw_ok = 0;
	free(t->vis);
	t->vis = xcalloc(t->nrows > 0 ? t->nrows : 1, sizeof *t->vis);
	t->nvis = 0;
	for (i = 0; i < t->nrows; i = end) {
		end = ui_table_subtree_end(t, i);
		if (!ui_table_group_matches(t, i, end))
			continue;
		hide = -1;	/* depth below which rows are hidden */
		for (j = i; j < end; j++) {
			if (hide >= 0 && t->rows[j].depth > hide)
				continue;
			hide = -1;
			t->vis[t->nvis++] = j;
			if (ui_table_row_folded(t, &t->rows[j]))
				hide = t->rows[j].depth;
		}
	}
	t->sel = 0;
	for (i = 0; t->sel_key != NULL && i < t->nvis; i++) {
		if (strcmp(t->rows[t->vis[i]].key, t->sel_key) == 0)
			t->sel = i;
	}
	if (t->top > t->sel)
		t->top = t->sel;
}

/* Remember the selected row's key. */
static void
ui_table_remember(struct ui_table *t)
{
	free(t->sel_key);
	t->sel_key = t->nvis > 0 ? xstrdup(t->rows[t->vis[t->sel]].key) : NULL;
	if (t->sel < t->top)
		t->top = t->sel;
	if (t->page > 0 && t->sel >= t->top + t->page)
		t->top = t->sel - t->page + 1;
}

/* Set (or clear with NULL/"") the filter. */
void
ui_table_set_filter(struct ui_table *t, const char *f)
{
	free(t->filter);
	t->filter = f != NULL && *f != '\0' ? xstrdup(f) : NULL;
	t->top = 0;
	ui_table_refresh(t);
}

/* Sort by col; the same column again flips the order; -1 unsorted. */
void
ui_table_sort(struct ui_table *t, int col)
{
	if (col == t->sort_col)
		t->sort_desc = !t->sort_desc;
	else {
		t->sort_col = col;
		t->sort_desc = 0;
	}
	ui_table_refresh(t);
}

/* The selected row or NULL. */
const struct ui_trow *
ui_table_selected(const struct ui_table *t)
{
	return t->nvis > 0 ? &t->rows[t->vis[t->sel]] : NULL;
}

/* Expand or collapse the selected row. */
void
ui_table_toggle(struct ui_table *t)
{
	const struct ui_trow	*r = ui_table_selected(t);
	size_t			 i;

	if (r == NULL || !r->has_children)
		return;
	for (i = 0; i < t->ncollapsed; i++) {
		if (strcmp(t->collapsed[i], r->key) == 0) {
			free(t->collapsed[i]);
			t->collapsed[i] = t->collapsed[--t->ncollapsed];
			ui_table_refresh(t);
			return;
		}
	}
	t->collapsed = xreallocarray(t->collapsed, t->ncollapsed + 1,
	    sizeof *t->collapsed);
	t->collapsed[t->ncollapsed++] = xstrdup(r->key);
	ui_table_refresh(t);
}

/* Move the selection by delta rows, clamped. */
static void
ui_table_move(struct ui_table *t, long delta)
{
	long	s = (long)t->sel + delta;

	if (t->nvis == 0)
		return;
	if (s < 0)
		s = 0;
	if (s >= (long)t->nvis)
		s = (long)t->nvis - 1;
	t->sel = (size_t)s;
	ui_table_remember(t);
}

/* Navigation: j/k/arrows, PgUp/PgDn, g/G, space/h/l for the tree. */
int
ui_table_key(struct ui_table *t, int key)
{
	const struct ui_trow	*r = ui_table_selected(t);
	long			 pg = t->page > 1 ? (long)t->page - 1 : 1;

	switch (key) {
	case 'j': case UI_KEY_DOWN: ui_table_move(t, 1); return 1;
	case 'k': case UI_KEY_UP: ui_table_move(t, -1); return 1;
	case UI_KEY_NPAGE: case 6: ui_table_move(t, pg); return 1;
	case UI_KEY_PPAGE: case 2: ui_table_move(t, -pg); return 1;
	case 'g': case UI_KEY_HOME: ui_table_move(t, -(long)t->nvis); return 1;
	case 'G': case UI_KEY_END: ui_table_move(t, (long)t->nvis); return 1;
	case ' ': ui_table_toggle(t); return 1;
	case 'l': case UI_KEY_RIGHT:
		if (r != NULL && ui_table_row_folded(t, r))
			ui_table_toggle(t);
		return 1;
	case 'h': case UI_KEY_LEFT:
		if (r != NULL && r->has_children && !ui_table_row_folded(t, r))
			ui_table_toggle(t);
		return 1;
	}
	return 0;
}
