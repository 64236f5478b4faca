/* Actions from the UI to the producer: the read-only and view-only
 * refusals, and the y/n prompt before destructive ones. */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/ui.h"
#include "latticectl/xmalloc.h"
#include "ui_int.h"

/* Verbs that change nothing and so run in a read-only session. */
static int
ui_verb_readonly(const char *verb)
{
	return strcmp(verb, "doctor.run") == 0;
}

/* Whether verb may run now; flashes why not. */
int
ui_app_allowed(struct ui_app *a, const char *verb)
{
	const char	*why = a->snap->readonly_why;

	if (a->opts.action == NULL) {
		ui_app_flash(a, 1, "%s: not available here (this session only "
		    "shows state)", verb);
		return 0;
	}
	if ((a->opts.readonly || a->snap->readonly) && !ui_verb_readonly(verb)) {
		ui_app_flash(a, 1, "%s refused: read-only (%s)", verb,
		    why != NULL ? why : "--readonly");
		return 0;
	}
	return 1;
}

/* Call the producer's action; flash its answer. */
int
ui_app_action(struct ui_app *a, const char *verb, const char *target)
{
	char	msg[160];
	int	rc;

	if (!ui_app_allowed(a, verb))
		return -1;
	msg[0] = '\0';
	rc = a->opts.action(a->opts.action_arg, verb, target, msg, sizeof msg);
	if (rc != 0)
		ui_app_flash(a, 1, "%s refused: %s", verb, msg[0] != '\0' ? msg :
		    "no reason given");
	else if (msg[0] != '\0')
		ui_app_flash(a, 0, "%s", msg);
	else
		ui_app_flash(a, 0, "%s%s%s: requested", verb, target != NULL ?
		    " " : "", target != NULL ? target : "");
	return rc == 0 ? 0 : -1;
}

/* Close the prompt and free its target. */
void
ui_confirm_close(struct ui_confirm *c)
{
	free(c->target);
	c->target = NULL;
	c->open = 0;
}

/* Open the y/n prompt for verb on target (only when it may run). */
void
ui_app_confirm(struct ui_app *a, const char *verb, const char *target,
    const char *question)
{
	struct ui_confirm	*c = &a->confirm;

	if (!ui_app_allowed(a, verb))
		return;
	ui_confirm_close(c);
	c->open = 1;
	snprintf(c->question, sizeof c->question, "%s", question);
	snprintf(c->verb, sizeof c->verb, "%s", verb);
	c->target = target != NULL ? xstrdup(target) : NULL;
}

/* y or Y runs the action; any other key cancels. */
void
ui_confirm_key(struct ui_app *a, int key)
{
	struct ui_confirm	*c = &a->confirm;
	char			 verb[32];
	char			*target = c->target;

	snprintf(verb, sizeof verb, "%s", c->verb);
	c->target = NULL;
	c->open = 0;
	if (key == 'y' || key == 'Y')
		ui_app_action(a, verb, target);
	else
		ui_app_flash(a, 0, "%s cancelled", verb);
	free(target);
}

/* The prompt line: the question and [y/N]. */
void
ui_confirm_draw(struct ui_app *a, int y, int w)
{
	char	line[260];

	snprintf(line, sizeof line, "%s [y/N] ", a->confirm.question);
	ui_put(stdscr, y, 0, w, line, a->pal.attr[UI_ROLE_WARN] | A_REVERSE,
	    a->pal.utf8, 1);
}
