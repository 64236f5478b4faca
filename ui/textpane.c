/* Text panes shared by the detail, drift, installer and diagnose views:
 * a scrollable list of lines with headings, and word-wrapped text. */
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/ui.h"
#include "latticectl/xmalloc.h"
#include "ui_int.h"

#define UI_KEY_DOWN_	0402
#define UI_KEY_UP_	0403
#define UI_KEY_HOME_	0406
#define UI_KEY_NPAGE_	0522
#define UI_KEY_PPAGE_	0523
#define UI_KEY_END_	0550

/* Scroll keys: j/k, PgUp/PgDn (ctrl-b/f), g/G; 1 when used. */
int
ui_text_scroll(size_t *top, size_t n, int key, int page)
{
	size_t	pg = page > 2 ? (size_t)page - 1 : 1;
	size_t	last = n > (size_t)page ? n - (size_t)page : 0;

	switch (key) {
	case 'j': case UI_KEY_DOWN_:
		*top = *top < last ? *top + 1 : last;
		return 1;
	case 'k': case UI_KEY_UP_:
		*top = *top > 0 ? *top - 1 : 0;
		return 1;
	case UI_KEY_NPAGE_: case 6:
		*top = *top + pg < last ? *top + pg : last;
		return 1;
	case UI_KEY_PPAGE_: case 2:
		*top = *top > pg ? *top - pg : 0;
		return 1;
	case 'g': case UI_KEY_HOME_:
		*top = 0;
		return 1;
	case 'G': case UI_KEY_END_:
		*top = last;
		return 1;
	}
	return 0;
}

/* Selection keys: j/k and arrows move the selected line, PgUp/PgDn
 * (ctrl-b/f) a page, g/G to the ends; *top follows so *sel stays in a
 * page of page rows. 1 when used. */
int
ui_text_select(size_t *sel, size_t *top, size_t n, int key, int page)
{
	size_t	pg = page > 2 ? (size_t)page - 1 : 1, rows;

	rows = page > 0 ? (size_t)page : 1;
	switch (key) {
	case 'j': case UI_KEY_DOWN_:
		*sel = *sel + 1 < n ? *sel + 1 : *sel;
		break;
	case 'k': case UI_KEY_UP_:
		*sel = *sel > 0 ? *sel - 1 : 0;
		break;
	case UI_KEY_NPAGE_: case 6:
		*sel = *sel + pg < n ? *sel + pg : (n > 0 ? n - 1 : 0);
		break;
	case UI_KEY_PPAGE_: case 2:
		*sel = *sel > pg ? *sel - pg : 0;
		break;
	case 'g': case UI_KEY_HOME_:
		*sel = 0;
		break;
	case 'G': case UI_KEY_END_:
		*sel = n > 0 ? n - 1 : 0;
		break;
	default:
		return 0;
	}
	if (*sel >= n)
		*sel = n > 0 ? n - 1 : 0;
	if (*sel < *top)
		*top = *sel;
	else if (*sel >= *top + rows)
		*top = *sel - rows + 1;
	return 1;
}

/* A pane of lines from *top; headings (no leading blank) in the title
 * role, a position marker in the bottom border when it scrolls. */
void
ui_text_pane(struct ui_app *a, const char *title, char *const *lines,
    size_t n, size_t *top, int y, int h, int w)
{
	ui_text_pane_sel(a, title, lines, n, top, (size_t)-1, y, h, w);
}

/* ui_text_pane with line sel (when < n) in the selected role; *top is
 * moved so that it shows. */
void
ui_text_pane_sel(struct ui_app *a, const char *title, char *const *lines,
    size_t n, size_t *top, size_t sel, int y, int h, int w)
{
	size_t	i, rows = h > 2 ? (size_t)h - 2 : 0;
	int	line, role;
	char	pos[32];

	if (sel < n && rows > 0) {
		if (sel < *top)
			*top = sel;
		else if (sel >= *top + rows)
			*top = sel - rows + 1;
	}
	if (*top + rows > n)
		*top = n > rows ? n - rows : 0;
	ui_pane_draw(stdscr, y, 0, h, w, title, &a->pal);
	for (line = 1, i = *top; line < h - 1; line++, i++) {
		role = UI_ROLE_ROW;
		if (i < n && lines[i][0] != ' ' && lines[i][0] != '\0')
			role = UI_ROLE_TITLE;
		if (i == sel && i < n)
			role = UI_ROLE_SELECTED;
		ui_put(stdscr, y + line, 2, w - 4, i < n ? lines[i] : "",
		    a->pal.attr[role], a->pal.utf8, 1);
	}
	if (n > rows && w > 20) {
		snprintf(pos, sizeof pos, " %zu-%zu/%zu ", *top + 1,
		    *top + rows < n ? *top + rows : n, n);
		ui_put(stdscr, y + h - 1, w - 2 - (int)strlen(pos),
		    (int)strlen(pos), pos, a->pal.attr[UI_ROLE_DIM],
		    a->pal.utf8, 0);
	}
}

/* Draw text wrapped at blanks (and at newlines) into at most h rows. */
int
ui_wrap_draw(void *win, int y, int x, int h, int w, const char *text,
    int attr, int utf8)
{
	char		*buf, *p, *line, *brk;
	size_t		 len;
	int		 used = 0;

	if (text == NULL || w < 4)
		return 0;
	buf = xstrdup(text);
	for (p = buf; *p != '\0' && used < h; ) {
		line = p;
		len = strcspn(p, "\n");
		if (ui_text_width(line) > (size_t)w || len > (size_t)w) {
			/* cut at the last blank within w bytes, else hard */
			brk = NULL;
			for (p = line; p < line + w && *p != '\0' && *p != '\n';
			    p++) {
				if (*p == ' ')
					brk = p;
			}
			if (*p == '\n' || *p == '\0')
				brk = p;
			else if (brk == NULL || brk == line) {
				brk = line + w;
				/* not inside a UTF-8 sequence */
				while (brk > line + 1 &&
				    ((unsigned char)*brk & 0xc0) == 0x80)
					brk--;
			}
		} else
			brk = line + len;
		p = brk;
		if (*p == '\n' || *p == ' ')
			*p++ = '\0';
		else if (*p != '\0') {
			/* hard cut: keep the byte for the next row */
			char	save = *p;

			*p = '\0';
			ui_put(win, y + used++, x, w, line, attr, utf8, 1);
			*p = save;
			continue;
		}
		ui_put(win, y + used++, x, w, line, attr, utf8, 1);
	}
	free(buf);
	return used;
}
