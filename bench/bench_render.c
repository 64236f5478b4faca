/* Benchmark of the TUI: a snapshot of 10,000 routes, each with its
 * Lattice chain (service, association, listener, two rules, two target
 * groups, four targets: 12 rows below each route), drawn by the real app
 * into curses on /dev/null (80x24 and 200x60). Reports per-frame mean
 * and p99 (folded routes, the whole tree unfolded, and the first frame
 * after a publish), memory (VmRSS, VmHWM), and the CPU the app loop
 * uses while idle (ui_run on a pseudo-terminal, no keys, no publishes).
 * A report, not a pass/fail test. */
#include <curses.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "latticectl/json.h"
#include "latticectl/ui.h"
#include "latticectl/xmalloc.h"
#include "../ui/ui_int.h"

#define ROUTES		10000
#define FRAMES		200
#define IDLE_SECONDS	5

/* Seconds on the monotonic clock. */
static double
now_s(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A /proc/self/status field in MiB ("VmRSS", "VmHWM"). */
static double
status_mib(const char *field)
{
	FILE	*f = fopen("/proc/self/status", "r");
	char	 line[256];
	long	 kb = 0;
	size_t	 fl = strlen(field);

	if (f == NULL)
		return 0;
	while (fgets(line, sizeof line, f) != NULL) {
		if (strncmp(line, field, fl) == 0 && line[fl] == ':')
			kb = strtol(line + fl + 1, NULL, 10);
	}
	fclose(f);
	return (double)kb / 1024.0;
}

/* One route's map entry: two rules, two TGs, four targets; every 7th
 * route has an unhealthy target. */
static cJSON *
bench_entry(int i)
{
	char	*txt;
	cJSON	*e;

	xasprintf(&txt, "{\"kind\":\"HTTPRoute\",\"namespace\":\"ns%d\","
	    "\"name\":\"route-%05d\",\"accepted\":true,\"serviceNetworks\":"
	    "[{\"name\":\"my-hotel\",\"association\":\"ACTIVE\"}],"
	    "\"service\":{\"name\":\"route-%05d-ns%d\",\"status\":\"ACTIVE\","
	    "\"dnsName\":\"route-%05d-ns%d-0a1b2c3d.7d67968.vpc-lattice-svcs."
	    "us-west-2.on.aws\"},\"listeners\":[{\"name\":\"route-%05d-80-"
	    "http\",\"protocol\":\"HTTP\",\"port\":80,\"rules\":["
	    "{\"priority\":1,\"match\":\"prefix:/a\",\"targetGroups\":[{"
	    "\"name\":\"k8s-ns%d-a-%05d\",\"status\":\"ACTIVE\",\"protocol\":"
	    "\"HTTP\",\"port\":8080,\"healthCheck\":{\"enabled\":true,"
	    "\"protocol\":\"HTTP\",\"path\":\"/healthz\"},\"targets\":["
	    "{\"ip\":\"10.%d.%d.1\",\"port\":8080,\"status\":\"HEALTHY\"},"
	    "{\"ip\":\"10.%d.%d.2\",\"port\":8080,\"status\":\"%s\"}]}]},"
	    "{\"priority\":2,\"match\":\"prefix:/b\",\"targetGroups\":[{"
	    "\"name\":\"k8s-ns%d-b-%05d\",\"status\":\"ACTIVE\",\"protocol\":"
	    "\"HTTP\",\"port\":8080,\"targets\":["
	    "{\"ip\":\"10.%d.%d.3\",\"port\":8080,\"status\":\"HEALTHY\"},"
	    "{\"ip\":\"10.%d.%d.4\",\"port\":8080,\"status\":\"HEALTHY\"}]}]}"
	    "]}]}", i % 20, i, i, i % 20, i, i % 20, i, i % 20, i, i / 256,
	    i % 256, i / 256, i % 256, i % 7 == 0 ? "UNHEALTHY" : "HEALTHY",
	    i % 20, i, i / 256, i % 256, i / 256, i % 256);
	e = cJSON_Parse(txt);
	free(txt);
	return e;
}

/* The snapshot: ROUTES routes with chains (every 10th drifts), the :tg
 * list, and a detail per route. */
static struct ui_snapshot *
bench_snapshot(void)
{
	struct ui_snapshot	*s = ui_snapshot_new();
	cJSON			*plan = cJSON_Parse("{\"drift\":true,"
				    "\"operations\":[{\"op\":\"update-rule\","
				    "\"resource\":\"rule 1 (prefix:/a)\","
				    "\"reason\":\"match\"}]}");
	struct ui_item		*it;
	cJSON			*e;
	char			 name[32], ns[16];
	int			 i;

	s->context = xstrdup("bench");
	s->conn = UI_CONN_LIVE;
	ui_list_set_columns(&s->lists[UI_LIST_ROUTES], ui_route_columns);
	ui_list_set_columns(&s->lists[UI_LIST_TARGETGROUPS], ui_tg_columns);
	s->details = xcalloc(ROUTES, sizeof *s->details);
	s->ndetails = ROUTES;
	for (i = 0; i < ROUTES; i++) {
		e = bench_entry(i);
		snprintf(name, sizeof name, "route-%05d", i);
		snprintf(ns, sizeof ns, "ns%d", i % 20);
		it = ui_list_add(&s->lists[UI_LIST_ROUTES], "HTTPRoute", ns,
		    name);
		ui_item_set_cell(it, 0, "my-hotel");
		ui_item_set_cell(it, 1, "Accepted");
		it->state = UI_STATE_OK;
		it->created = time(NULL) - 3600 - i;
		ui_route_chain(it, e, i % 10 == 0 ? plan : NULL);
		ui_tg_items(&s->lists[UI_LIST_TARGETGROUPS], e);
		ui_route_detail(&s->details[i], NULL, e, i % 10 == 0 ? plan :
		    NULL, NULL);
		cJSON_Delete(e);
	}
	cJSON_Delete(plan);
	return s;
}

/* Compare doubles for qsort. */
static int
dcmp(const void *a, const void *b)
{
	double	x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Draw FRAMES frames (key between frames), print mean and p99 in ms. */
static void
bench_frames(struct ui_app *a, const char *what, int key)
{
	double	t[FRAMES], t0, sum = 0;
	int	i;

	for (i = 0; i < FRAMES; i++) {
		if (key != 0)
			ui_app_key(a, key);
		t0 = now_s();
		erase();
		ui_app_draw(a);
		refresh();
		t[i] = (now_s() - t0) * 1000.0;
		sum += t[i];
	}
	qsort(t, FRAMES, sizeof *t, dcmp);
	printf("%-44s mean %7.3f ms  p99 %7.3f ms  (%d frames)\n", what,
	    sum / FRAMES, t[FRAMES * 99 / 100], FRAMES);
}

/* Frames at one terminal size: folded, after publishes, unfolded. */
static void
bench_size(struct ui_model *m, int rows, int cols)
{
	struct ui_app	 a;
	struct ui_opts	 o;
	char		 what[96];
	double		 t0, sum = 0;
	int		 i;

	resizeterm(rows, cols);
	memset(&o, 0, sizeof o);
	ui_app_init(&a, m, &o);
	t0 = now_s();
	erase();
	ui_app_draw(&a);
	refresh();
	printf("%dx%d first frame (builds %zu rows)%*s %8.3f ms\n", cols, rows,
	    a.tables[UI_LIST_ROUTES].nrows, cols > 99 ? 5 : 6, "",
	    (now_s() - t0) * 1000.0);
	snprintf(what, sizeof what, "%dx%d routes folded, j each frame", cols,
	    rows);
	bench_frames(&a, what, 'j');
	snprintf(what, sizeof what, "%dx%d routes folded, idle redraw", cols,
	    rows);
	bench_frames(&a, what, 0);
	/* the first frame after a publish rebuilds the rows */
	for (i = 0; i < 5; i++) {
		a.built[UI_LIST_ROUTES] = 0;
		t0 = now_s();
		erase();
		ui_app_draw(&a);
		refresh();
		sum += now_s() - t0;
	}
	printf("%dx%d frame after a publish (rebuild)%*s mean %7.3f ms\n",
	    cols, rows, cols > 99 ? 7 : 8, "", sum / 5 * 1000.0);
	a.tables[UI_LIST_ROUTES].fold_top = 0;
	sum = 0;
	for (i = 0; i < 5; i++) {
		a.built[UI_LIST_ROUTES] = 0;
		t0 = now_s();
		erase();
		ui_app_draw(&a);
		refresh();
		sum += now_s() - t0;
	}
	printf("%dx%d same, every route unfolded (%zu rows)%*s mean %7.3f ms\n",
	    cols, rows, a.tables[UI_LIST_ROUTES].nrows, cols > 99 ? 0 : 1, "",
	    sum / 5 * 1000.0);
	snprintf(what, sizeof what, "%dx%d all %zu rows unfolded, PgDn", cols,
	    rows, a.tables[UI_LIST_ROUTES].nvis);
	bench_frames(&a, what, KEY_NPAGE);
	ui_app_command(&a, "tg");
	snprintf(what, sizeof what, "%dx%d :tg (%zu target groups), j", cols,
	    rows, m->cur->lists[UI_LIST_TARGETGROUPS].nitems);
	bench_frames(&a, what, 'j');
	ui_app_free(&a);
}

/* Child side of the idle measurement: run the app on the pty; report
 * CPU seconds used by the loop through fd. */
static void
bench_idle_child(int fd)
{
	struct ui_model	 m;
	struct ui_opts	 o;
	struct rusage	 r0, r1;
	double		 t0, cpu;
	char		 buf[128];
	int		 n;

	ui_model_init(&m, 64);
	ui_model_publish(&m, bench_snapshot());
	memset(&o, 0, sizeof o);
	getrusage(RUSAGE_SELF, &r0);
	t0 = now_s();
	ui_run(&m, &o);
	getrusage(RUSAGE_SELF, &r1);
	cpu = (double)(r1.ru_utime.tv_sec - r0.ru_utime.tv_sec) +
	    (double)(r1.ru_stime.tv_sec - r0.ru_stime.tv_sec) +
	    (double)(r1.ru_utime.tv_usec - r0.ru_utime.tv_usec) / 1e6 +
	    (double)(r1.ru_stime.tv_usec - r0.ru_stime.tv_usec) / 1e6;
	n = snprintf(buf, sizeof buf, "%f %f\n", cpu, now_s() - t0);
	if (write(fd, buf, (size_t)n) < 0)
		_exit(1);
	ui_model_destroy(&m);
	_exit(0);
}

/* CPU seconds (user + system) a process has used, from /proc. */
static double
proc_cpu(pid_t pid)
{
	char		 path[64], buf[1024], *p;
	unsigned long	 ut = 0, st = 0;
	FILE		*f;
	size_t		 n;

	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* fields after the ")" of comm: state is 3, utime 14, stime 15 */
	if ((p = strrchr(buf, ')')) == NULL || sscanf(p + 2, "%*c %*d %*d "
	    "%*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st) != 2)
		return -1;
	return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

/* Drain the pty master for secs seconds. */
static void
pty_drain(int master, double secs)
{
	char	buf[4096];
	double	t0 = now_s();

	while (now_s() - t0 < secs) {
		struct timeval tv = { 0, 100000 };
		fd_set rd;

		FD_ZERO(&rd);
		FD_SET(master, &rd);
		if (select(master + 1, &rd, NULL, NULL, &tv) > 0 &&
		    read(master, buf, sizeof buf) <= 0)
			break;
	}
}

/* Idle CPU: the app on an 80x24 pseudo-terminal for IDLE_SECONDS with no
 * input and no publishes, then SIGTERM. */
static void
bench_idle(void)
{
	struct winsize	 ws = { 24, 80, 0, 0 };
	int		 pfd[2], master, st;
	pid_t		 pid;
	char		 buf[4096];
	double		 cpu = 0, wall = 0, c0, c1, t0;
	FILE		*f;

	if (pipe(pfd) != 0)
		return;
	setenv("TERM", "xterm-256color", 1);
	pid = forkpty(&master, NULL, NULL, &ws);
	if (pid < 0) {
		printf("idle: SKIP: forkpty failed\n");
		return;
	}
	if (pid == 0) {
		close(pfd[0]);
		bench_idle_child(pfd[1]);
	}
	close(pfd[1]);
	/* wait for the snapshot and the first frame, then let it idle */
	pty_drain(master, 4.0);
	c0 = proc_cpu(pid);
	t0 = now_s();
	pty_drain(master, IDLE_SECONDS);
	c1 = proc_cpu(pid);
	if (c0 >= 0 && c1 >= 0)
		printf("idle app loop (80x24, %d routes, no input, no "
		    "publishes): %.4f CPU s per wall s (%.2f s CPU in %.1f s)\n",
		    ROUTES, (c1 - c0) / (now_s() - t0), c1 - c0, now_s() - t0);
	kill(pid, SIGTERM);
	while (waitpid(pid, &st, WNOHANG) == 0) {
		if (read(master, buf, sizeof buf) <= 0)
			usleep(10000);
	}
	f = fdopen(pfd[0], "r");
	if (f == NULL || fscanf(f, "%lf %lf", &cpu, &wall) != 2)
		printf("idle: no report from the child\n");
	else
		printf("the whole ui_run (first frame included): %.3f s CPU in "
		    "%.1f s\n", cpu, wall);
	if (f != NULL)
		fclose(f);
	close(master);
}

int
main(void)
{
	struct ui_model	 m;
	SCREEN		*scr;
	FILE		*out = fopen("/dev/null", "w"), *in = fopen("/dev/null", "r");
	double		 t0, rss0 = status_mib("VmRSS");

	ui_model_init(&m, 64);
	t0 = now_s();
	ui_model_publish(&m, bench_snapshot());
	printf("snapshot: %d routes with chains, %zu target groups, built in "
	    "%.1f ms; RSS +%.1f MiB\n", ROUTES,
	    m.cur->lists[UI_LIST_TARGETGROUPS].nitems, (now_s() - t0) * 1000.0,
	    status_mib("VmRSS") - rss0);
	use_env(FALSE);
	if ((scr = newterm("xterm-256color", out, in)) == NULL &&
	    (scr = newterm("vt100", out, in)) == NULL) {
		printf("SKIP: no terminfo entry for curses on /dev/null\n");
		return 0;
	}
	bench_size(&m, 24, 80);
	bench_size(&m, 60, 200);
	endwin();
	delscreen(scr);
	printf("memory: VmRSS %.1f MiB, VmHWM %.1f MiB\n", status_mib("VmRSS"),
	    status_mib("VmHWM"));
	ui_model_destroy(&m);
	fclose(out);
	fclose(in);
	bench_idle();
	return 0;
}
