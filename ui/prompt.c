/* Prompt line editing (`:` commands, `/` filter) and log view keys. */
#include <string.h>

#include "latticectl/ui.h"

#define UI_KEY_BACKSPACE	0407
#define UI_KEY_ENTER		0527
#define UI_KEY_DOWN		0402
#define UI_KEY_UP		0403
#define UI_KEY_HOME		0406
#define UI_KEY_NPAGE		0522
#define UI_KEY_PPAGE		0523
#define UI_KEY_END		0550

/* Open the prompt with a lead character and optional initial text. */
void
ui_prompt_open(struct ui_prompt *p, char lead, const char *init)
{
	p->lead = lead;
	p->len = 0;
	p->buf[0] = '\0';
	if (init != NULL) {
		p->len = strlen(init) < sizeof p->buf - 1 ? strlen(init) :
		    sizeof p->buf - 1;
		memcpy(p->buf, init, p->len);
		p->buf[p->len] = '\0';
	}
}

/* Delete the word before the end (ctrl-w). */
static void
ui_prompt_del_word(struct ui_prompt *p)
{
	while (p->len > 0 && p->buf[p->len - 1] == ' ')
		p->len--;
	while (p->len > 0 && p->buf[p->len - 1] != ' ')
		p->len--;
	p->buf[p->len] = '\0';
}

/* Feed one key: edit, enter (done) or esc (cancel). UTF-8 bytes of
 * wider characters arrive one by one and are kept as typed. */
enum ui_prompt_res
ui_prompt_key(struct ui_prompt *p, int key)
{
	switch (key) {
	case 27:
		p->lead = 0;
		return UI_PROMPT_CANCEL;
	case '\n': case '\r': case UI_KEY_ENTER:
		return UI_PROMPT_DONE;
	case UI_KEY_BACKSPACE: case 127: case 8:
		if (p->len == 0) {
			p->lead = 0;
			return UI_PROMPT_CANCEL;
		}
		while (p->len > 0 &&
		    ((unsigned char)p->buf[--p->len] & 0xc0) == 0x80)
			;
		p->buf[p->len] = '\0';
		return UI_PROMPT_EDIT;
	case 21:		/* ctrl-u */
		p->len = 0;
		p->buf[0] = '\0';
		return UI_PROMPT_EDIT;
	case 23:		/* ctrl-w */
		ui_prompt_del_word(p);
		return UI_PROMPT_EDIT;
	}
	if (key >= 0x20 && key < 0x100 && key != 127 &&
	    p->len + 1 < sizeof p->buf) {
		p->buf[p->len++] = (char)key;
		p->buf[p->len] = '\0';
	}
	return UI_PROMPT_EDIT;
}

/* Scroll keys for the log view; any move up stops following, G follows. */
int
ui_logview_key(struct ui_logview *lv, struct ui_ring *ring, int key,
    int page)
{
	size_t	len = ui_ring_len(ring), pg = page > 1 ? (size_t)page - 1 : 1;
	size_t	last = len > (size_t)page ? len - (size_t)page : 0;

	switch (key) {
	case 'k': case UI_KEY_UP:
		lv->follow = 0;
		lv->top = lv->top > 0 ? lv->top - 1 : 0;
		return 1;
	case 'j': case UI_KEY_DOWN:
		lv->top = lv->top < last ? lv->top + 1 : last;
		lv->follow = lv->top >= last;
		return 1;
	case UI_KEY_PPAGE: case 2:
		lv->follow = 0;
		lv->top = lv->top > pg ? lv->top - pg : 0;
		return 1;
	case UI_KEY_NPAGE: case 6:
		lv->top = lv->top + pg < last ? lv->top + pg : last;
		lv->follow = lv->top >= last;
		return 1;
	case 'g': case UI_KEY_HOME:
		lv->follow = 0;
		lv->top = 0;
		return 1;
	case 'G': case UI_KEY_END: case 'f':
		lv->follow = 1;
		lv->top = last;
		return 1;
	}
	return 0;
}
