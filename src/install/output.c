/* Installer output: a compact live view on a terminal (step list with
 * state, spinner, elapsed, the running step's log tail, redrawn in
 * place), one plain line per state change, or JSON lines. */
#include <sys/ioctl.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "latticectl/json.h"
#include "latticectl/strbuf.h"
#include "latticectl/timeutil.h"
#include "latticectl/xmalloc.h"

#include "install_int.h"

#define OUT_FRAME_MS	120
#define OUT_TAIL	4
#define OUT_WIDTH	100

struct install_output {
	enum install_output_mode mode;
	FILE			*f;
	char			*verb;
	int			 color;
	pthread_mutex_t		 lock;
	pthread_cond_t		 cond;
	pthread_t		 thr;
	int			 running;
	int			 stop;
	int			 dirty;
	struct install		*in;
	int			 lines;		/* drawn last time */
	unsigned		 frame;
	uint64_t		 t0;
};

/* A new output. */
struct install_output *
install_output_new(enum install_output_mode mode, FILE *f, const char *verb,
    int color)
{
	struct install_output	*o = xcalloc(1, sizeof *o);

	o->mode = mode;
	o->f = f;
	o->verb = xstrdup(verb != NULL ? verb : "install");
	o->color = color;
	o->t0 = time_mono_ms();
	pthread_mutex_init(&o->lock, NULL);
	pthread_cond_init(&o->cond, NULL);
	return o;
}

/* "1m02s", "12.3s". */
static void
out_dur(char *buf, size_t len, uint64_t ms)
{
	if (ms >= 60000)
		snprintf(buf, len, "%lum%02lus", (unsigned long)(ms / 60000),
		    (unsigned long)(ms / 1000 % 60));
	else
		snprintf(buf, len, "%.1fs", (double)ms / 1000.0);
}

/* One plain line. */
static void
out_plain(struct install_output *o, const struct install_event *ev)
{
	char	t[32];

	out_dur(t, sizeof t, ev->run_ms);
	fprintf(o->f, "[%7s] %-15s %-11s %s%s%s\n", t, ev->step,
	    install_state_name(ev->state), ev->reason, *ev->message != '\0' ?
	    ": " : "", ev->message);
	fflush(o->f);
}

/* One JSON line. */
static void
out_json(struct install_output *o, const struct install_event *ev)
{
	struct timespec	 now = time_now();
	cJSON		*j = cJSON_CreateObject();
	char		 ts[40], *s;

	time_format_rfc3339(&now, 3, ts, sizeof ts);
	cJSON_AddStringToObject(j, "time", ts);
	cJSON_AddStringToObject(j, "event", "step");
	cJSON_AddStringToObject(j, "command", o->verb);
	cJSON_AddStringToObject(j, "step", ev->step);
	cJSON_AddStringToObject(j, "state", install_state_name(ev->state));
	cJSON_AddStringToObject(j, "reason", ev->reason);
	cJSON_AddStringToObject(j, "message", ev->message);
	cJSON_AddNumberToObject(j, "elapsedMs", (double)ev->elapsed_ms);
	cJSON_AddNumberToObject(j, "runMs", (double)ev->run_ms);
	cJSON_AddBoolToObject(j, "changed", ev->changed);
	s = json_print(j);
	fprintf(o->f, "%s\n", s);
	fflush(o->f);
	free(s);
	cJSON_Delete(j);
}

static void *out_loop(void *);

/* The event callback. */
void
install_output_event(void *arg, const struct install_event *ev)
{
	struct install_output	*o = arg;

	pthread_mutex_lock(&o->lock);
	if (o->mode == INSTALL_OUTPUT_PLAIN)
		out_plain(o, ev);
	else if (o->mode == INSTALL_OUTPUT_JSON)
		out_json(o, ev);
	else {
		o->dirty = 1;
		pthread_cond_signal(&o->cond);
		if (!o->running && !o->stop && o->in != NULL) {
			fputs("\033[?25l", o->f);
			o->running = pthread_create(&o->thr, NULL, out_loop,
			    o) == 0;
		}
	}
	pthread_mutex_unlock(&o->lock);
}

/* The terminal's width. */
static int
out_width(struct install_output *o)
{
	struct winsize	ws;

	if (ioctl(fileno(o->f), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 20)
		return ws.ws_col;
	return OUT_WIDTH;
}

/* The state's symbol and colour. */
static const char *
out_symbol(struct install_output *o, enum install_state st, const char **col)
{
	static const char *const spin[] = { "⠋", "⠙", "⠹", "⠸", "⠼", "⠴",
	    "⠦", "⠧", "⠇", "⠏" };

	*col = "";
	switch (st) {
	case INSTALL_READY:
		*col = "\033[32m";
		return "✓";
	case INSTALL_FAILED:
		*col = "\033[31m";
		return "✗";
	case INSTALL_PROGRESSING:
		*col = "\033[33m";
		return spin[o->frame % 10];
	case INSTALL_SKIPPED:
		return "-";
	default:
		return "·";
	}
}

/* Append text cut to width columns (ASCII counted; the rest as 1). */
static void
out_cut(struct strbuf *sb, const char *s, int width)
{
	int	n = 0;

	for (; *s != '\0' && *s != '\n' && n < width; s++) {
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
		strbuf_addc(sb, *s);
	}
}

/* One step line of the live view. */
static void
out_step_line(struct install_output *o, const struct install_step_info *s,
    int width, struct strbuf *sb)
{
	const char	*col, *sym = out_symbol(o, s->state, &col);
	char		 t[32], head[80];
	int		 n;

	t[0] = '\0';
	if (s->elapsed_ms != 0)
		out_dur(t, sizeof t, s->elapsed_ms);
	n = snprintf(head, sizeof head, " %-15s %-11s %7s  ", s->id,
	    install_state_name(s->state), t);
	strbuf_addf(sb, " %s%s%s", o->color ? col : "", sym, o->color &&
	    *col ? "\033[0m" : "");
	strbuf_adds(sb, head);
	out_cut(sb, *s->message ? s->message : s->reason, width - n - 3);
	strbuf_adds(sb, "\033[K\n");
}

/* Draw the frame (lock held). */
static void
out_draw(struct install_output *o)
{
	struct install_step_info	*v;
	struct strbuf			 sb;
	size_t				 n, i, k;
	int				 width = out_width(o), lines = 0;
	const struct install_step_info	*run = NULL;
	char				 t[32];

	install_snapshot(o->in, &v, &n);
	strbuf_init(&sb);
	if (o->lines > 0)
		strbuf_addf(&sb, "\033[%dA\r", o->lines);
	out_dur(t, sizeof t, time_mono_ms() - o->t0);
	strbuf_addf(&sb, "latticectl %s  %s\033[K\n", o->verb, t);
	lines++;
	for (i = 0; i < n; i++, lines++) {
		out_step_line(o, &v[i], width, &sb);
		if (v[i].state == INSTALL_PROGRESSING && run == NULL)
			run = &v[i];
	}
	for (k = 0; run != NULL && k < OUT_TAIL; k++, lines++) {
		strbuf_adds(&sb, "     ");
		if (k < run->n_log)
			out_cut(&sb, run->log[run->n_log - (run->n_log < OUT_TAIL ?
			    run->n_log : OUT_TAIL) + k], width - 6);
		strbuf_adds(&sb, "\033[K\n");
	}
	strbuf_adds(&sb, "\033[J");
	fputs(sb.buf, o->f);
	fflush(o->f);
	strbuf_free(&sb);
	install_snapshot_free(v, n);
	o->lines = lines;
	o->frame++;
}

/* The live view's redraw loop. */
static void *
out_loop(void *arg)
{
	struct install_output	*o = arg;
	struct timespec		 ts;

	pthread_mutex_lock(&o->lock);
	while (!o->stop) {
		out_draw(o);
		o->dirty = 0;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += OUT_FRAME_MS * 1000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		if (!o->dirty && !o->stop)
			pthread_cond_timedwait(&o->cond, &o->lock, &ts);
	}
	out_draw(o);
	pthread_mutex_unlock(&o->lock);
	return NULL;
}

/* Attach the run; the live view starts drawing at its first event (an
 * uninstall may ask its question on the terminal before). */
void
install_output_start(struct install_output *o, struct install *in)
{
	pthread_mutex_lock(&o->lock);
	o->in = in;
	o->t0 = time_mono_ms();
	pthread_mutex_unlock(&o->lock);
}

/* Stop the live view. */
static void
out_stop(struct install_output *o)
{
	int	running;

	pthread_mutex_lock(&o->lock);
	o->stop = 1;
	running = o->running;
	pthread_cond_signal(&o->cond);
	pthread_mutex_unlock(&o->lock);
	if (!running)
		return;
	pthread_join(o->thr, NULL);
	o->running = 0;
	fputs("\033[?25h", o->f);
}

/* The summary line. */
static void
out_summary_text(struct install_output *o, const struct install_result *r)
{
	char	t[32];
	size_t	i;

	out_dur(t, sizeof t, r->elapsed_ms);
	if (r->declined) {
		fprintf(o->f, "%s: nothing deleted (not confirmed; --yes skips "
		    "the question)\n", o->verb);
		return;
	}
	fprintf(o->f, "%s: %zu/%zu steps Ready, %zu changed", o->verb,
	    r->ready, r->steps, r->changed);
	if (r->failed)
		fprintf(o->f, ", %zu failed", r->failed);
	if (r->steps - r->ready - r->failed)
		fprintf(o->f, ", %zu not done", r->steps - r->ready - r->failed);
	fprintf(o->f, "%s%s (%s)\n", r->cancelled ? ", cancelled" : "",
	    r->timed_out ? ", timed out" : "", t);
	if (r->n_left_behind)
		fprintf(o->f, "left behind:\n");
	for (i = 0; i < r->n_left_behind; i++)
		fprintf(o->f, "  - %s\n", r->left_behind[i]);
}

/* The summary as a JSON line. */
static void
out_summary_json(struct install_output *o, const struct install_result *r)
{
	cJSON	*j = cJSON_CreateObject(), *a;
	char	*s;
	size_t	 i;

	cJSON_AddStringToObject(j, "event", "summary");
	cJSON_AddStringToObject(j, "command", o->verb);
	cJSON_AddNumberToObject(j, "steps", (double)r->steps);
	cJSON_AddNumberToObject(j, "ready", (double)r->ready);
	cJSON_AddNumberToObject(j, "failed", (double)r->failed);
	cJSON_AddNumberToObject(j, "changed", (double)r->changed);
	cJSON_AddBoolToObject(j, "cancelled", r->cancelled);
	cJSON_AddBoolToObject(j, "timedOut", r->timed_out);
	cJSON_AddBoolToObject(j, "declined", r->declined);
	cJSON_AddNumberToObject(j, "elapsedMs", (double)r->elapsed_ms);
	a = cJSON_AddArrayToObject(j, "leftBehind");
	for (i = 0; i < r->n_left_behind; i++)
		cJSON_AddItemToArray(a, cJSON_CreateString(r->left_behind[i]));
	s = json_print(j);
	fprintf(o->f, "%s\n", s);
	free(s);
	cJSON_Delete(j);
}

/* Stop drawing and print the summary. */
void
install_output_finish(struct install_output *o,
    const struct install_result *r)
{
	out_stop(o);
	pthread_mutex_lock(&o->lock);
	if (r != NULL && o->mode == INSTALL_OUTPUT_JSON)
		out_summary_json(o, r);
	else if (r != NULL)
		out_summary_text(o, r);
	fflush(o->f);
	pthread_mutex_unlock(&o->lock);
}

/* Free the output (stops the view if still running). */
void
install_output_free(struct install_output *o)
{
	if (o == NULL)
		return;
	out_stop(o);
	pthread_cond_destroy(&o->cond);
	pthread_mutex_destroy(&o->lock);
	free(o->verb);
	free(o);
}
