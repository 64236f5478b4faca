/* The ncurses app core: terminal setup and restore, signals through a
 * self-pipe, the palette, and the poll() main loop. */
#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "latticectl/ui.h"
#include "latticectl/xmalloc.h"
#include "ui_int.h"

#define UI_TICK_MS	1000	/* redraw for ages and stale timers */
#define UI_SMOKE_TICK_MS 100	/* with --exit-after */

/*
 * Process-wide by necessity: a signal handler can reach nothing else, and
 * atexit() takes no argument. Both are written only by ui_run's thread.
 */
static volatile sig_atomic_t	ui_sig_fd = -1;
static volatile sig_atomic_t	ui_term_active;

/* Restore the terminal if curses is still active (atexit, exit paths). */
static void
ui_term_restore(void)
{
	if (ui_term_active) {
		ui_term_active = 0;
		endwin();
	}
}

/* Signal handler: pass the signal number through the self-pipe. */
static void
ui_sig_handler(int sig)
{
	unsigned char	c = (unsigned char)sig;
	int		saved = errno;
	ssize_t		n = 0;

	/* A full pipe is fine: a wake-up is already pending. */
	if (ui_sig_fd >= 0)
		n = write(ui_sig_fd, &c, 1);
	(void)n;
	errno = saved;
}

/* Install (or with SIG_DFL remove) the handlers the UI uses. */
static void
ui_sig_install(void (*fn)(int))
{
	static const int	 sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGWINCH,
				    SIGTSTP, SIGCONT };
	struct sigaction	 sa;
	size_t			 i;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = fn;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	for (i = 0; i < sizeof sigs / sizeof *sigs; i++)
		sigaction(sigs[i], &sa, NULL);
}

/* Map a theme colour to what the terminal can show. */
static short
ui_color_fit(short c)
{
	if (c < 0)
		return -1;
	if (COLORS >= 256)
		return c;
	c = ui_color_to16(c);
	return COLORS >= 16 ? c : (short)(c % 8);
}

/* Curses attributes of a style's attrs bits. */
static int
ui_style_attrs(int bits)
{
	int	a = A_NORMAL;

	if (bits & UI_ATTR_BOLD)
		a |= A_BOLD;
	if (bits & UI_ATTR_UNDERLINE)
		a |= A_UNDERLINE;
	if (bits & UI_ATTR_REVERSE)
		a |= A_REVERSE;
	if (bits & UI_ATTR_DIM)
		a |= A_DIM;
	return a;
}

/* Build the palette: colour pairs per role, or attributes only. */
static void
ui_palette_init(struct ui_palette *p, const struct ui_theme *t, int color)
{
	struct ui_theme	mono;
	int		i;

	if (!color || t->colors == 0) {
		ui_theme_builtin("mono", &mono);
		for (i = 0; i < UI_ROLE_COUNT; i++)
			p->attr[i] = ui_style_attrs(t->colors == 0 ?
			    t->role[i].attrs : mono.role[i].attrs);
		return;
	}
	start_color();
	use_default_colors();
	for (i = 0; i < UI_ROLE_COUNT; i++) {
		init_pair((short)(i + 1), ui_color_fit(t->role[i].fg),
		    ui_color_fit(t->role[i].bg));
		p->attr[i] = (int)COLOR_PAIR(i + 1) |
		    ui_style_attrs(t->role[i].attrs);
	}
}

/* Whether the locale's codeset is UTF-8. */
static int
ui_locale_utf8(void)
{
	const char	*cs = nl_langinfo(CODESET);

	return cs != NULL && (strcmp(cs, "UTF-8") == 0 ||
	    strcmp(cs, "utf8") == 0);
}

/* Read the config file's theme and ascii settings (the command line
 * wins); a bad file is a flash warning and the defaults. */
static void
ui_app_config(struct ui_app *a)
{
	char	*cause = NULL;

	if (ui_config_load(NULL, &a->cfg, &cause) != 0) {
		ui_app_flash(a, 1, "%s; using the defaults", cause);
		free(cause);
		return;
	}
	if (a->opts.theme == NULL && a->cfg.theme != NULL)
		a->opts.theme = a->cfg.theme;
	if (a->cfg.ascii)
		a->opts.ascii = 1;
}

/* Start curses on the terminal; -1 when there is none. */
static int
ui_term_start(struct ui_app *a)
{
	struct ui_theme	 th;
	char		*warn = NULL;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		return -1;
	ui_app_config(a);
	ui_theme_find(a->opts.theme, &th, &warn);
	if (warn != NULL)
		ui_app_flash(a, 1, "%s", warn);
	free(warn);
	if (initscr() == NULL)
		return -1;
	ui_term_active = 1;
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(25);
	mousemask(0, NULL);
	a->pal.utf8 = !a->opts.ascii && ui_locale_utf8();
	ui_palette_init(&a->pal, &th, !a->opts.no_color && has_colors());
	curs_set(0);
	return 0;
}

/* Take the terminal size from the tty and resize curses (coalesced). */
static void
ui_term_resize(void)
{
	struct winsize	ws;

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 &&
	    ws.ws_col > 0)
		resizeterm(ws.ws_row, ws.ws_col);
	clear();
}

/* Stop for SIGTSTP with the terminal restored; re-init on return. */
static void
ui_term_suspend(void)
{
	struct sigaction	sa;

	endwin();
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_DFL;
	sigaction(SIGTSTP, &sa, NULL);
	raise(SIGTSTP);
	sa.sa_handler = ui_sig_handler;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGTSTP, &sa, NULL);
	ui_term_resize();
}

/* Handle the signals queued in the pipe; 1 when the UI must quit. */
static int
ui_sig_drain(int fd)
{
	unsigned char	buf[64];
	ssize_t		n, i;
	int		resize = 0, quit = 0, stop = 0;

	while ((n = read(fd, buf, sizeof buf)) > 0) {
		for (i = 0; i < n; i++) {
			if (buf[i] == SIGWINCH || buf[i] == SIGCONT)
				resize = 1;
			else if (buf[i] == SIGTSTP)
				stop = 1;
			else
				quit = 1;
		}
	}
	if (quit)
		return 1;
	if (stop)
		ui_term_suspend();
	else if (resize)
		ui_term_resize();
	return 0;
}

/* Read every pending key. */
static void
ui_read_keys(struct ui_app *a)
{
	int	c;

	while (!a->quit && (c = getch()) != ERR) {
		if (c == KEY_RESIZE)
			continue;
		ui_app_key(a, c);
	}
}

/* The loop: draw, then wait on keys, the model's pipe and signals. */
static void
ui_loop(struct ui_app *a, int sigfd)
{
	struct pollfd	pfd[3];
	int		tick = a->opts.exit_after > 0 ? UI_SMOKE_TICK_MS :
			    UI_TICK_MS;

	while (!a->quit) {
		erase();
		ui_app_draw(a);
		refresh();
		if (a->opts.exit_after > 0 && a->frames >= a->opts.exit_after)
			break;
		pfd[0].fd = STDIN_FILENO;
		pfd[1].fd = a->model->wake[0];
		pfd[2].fd = sigfd;
		pfd[0].events = pfd[1].events = pfd[2].events = POLLIN;
		if (poll(pfd, 3, tick) < 0 && errno != EINTR)
			break;
		if ((pfd[2].revents & POLLIN) && ui_sig_drain(sigfd))
			break;
		if (pfd[1].revents & POLLIN)
			ui_model_drain(a->model);
		if (pfd[0].revents & (POLLIN | POLLHUP))
			ui_read_keys(a);
		if (pfd[0].revents & (POLLHUP | POLLERR | POLLNVAL))
			break;
	}
}

/* Run the UI until quit; restores the terminal on the way out. */
int
ui_run(struct ui_model *m, const struct ui_opts *o)
{
	struct ui_app	a;
	int		sp[2], i;

	if (pipe(sp) != 0)
		return 1;
	for (i = 0; i < 2; i++) {
		fcntl(sp[i], F_SETFL, O_NONBLOCK);
		fcntl(sp[i], F_SETFD, FD_CLOEXEC);
	}
	setlocale(LC_ALL, "");
	ui_app_init(&a, m, o);
	ui_sig_fd = sp[1];
	ui_sig_install(ui_sig_handler);
	atexit(ui_term_restore);
	if (ui_term_start(&a) != 0) {
		ui_sig_install(SIG_DFL);
		ui_app_free(&a);
		close(sp[0]);
		close(sp[1]);
		return 1;
	}
	ui_loop(&a, sp[0]);
	ui_term_restore();
	ui_sig_install(SIG_DFL);
	ui_sig_fd = -1;
	close(sp[0]);
	close(sp[1]);
	ui_app_free(&a);
	return 0;
}
