/*
 * Soak test (`make soak`): `latticectl sim` as a child process with faults
 * (SOAK_FAULTS, default Lattice throttling 30%, 5% random 5xx, 50 ms
 * latency, Kubernetes watches dropped every 10 s) and recording every
 * request; `latticectl controller` as a child process, SIGKILLed and
 * restarted every SOAK_KILL_SECONDS (60); and a bounded load generator in
 * this process that creates SOAK_ROUTES HTTPRoutes (500), changes a third
 * of them (path and backend) and deletes a fifth, evenly over
 * SOAK_SECONDS (600). Then, after a quiet period (at most
 * SOAK_QUIET_SECONDS, 600) it checks and prints:
 *   - every live route Accepted and ResolvedRefs True for its current
 *     generation, the DNS annotation set, its Lattice service (right name)
 *     with one listener and one rule carrying the route's current path and
 *     forwarding to the route's one target group (current backend);
 *   - every deleted route gone (finalizer released);
 *   - no orphans by the ManagedBy tag: no service or target group whose
 *     route no longer exists, no extra listeners, rules or target groups;
 *   - no duplicates (two services or target groups with one name);
 *   - the API calls spent (from the simulator's record).
 * The controller gets the simulator's "ctl" principal and no other AWS_*
 * variable but AWS_MAX_ATTEMPTS (the SDK's retry knob), passed through.
 * Exits 1 on any failed check. Usage: soak [LATTICECTL] (default: the
 * latticectl next to this binary's directory, or $LATTICECTL).
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "latticectl/aws.h"
#include "latticectl/json.h"
#include "latticectl/kube.h"
#include "latticectl/lattice.h"
#include "latticectl/log.h"
#include "latticectl/timeutil.h"
#include "latticectl/upstream.h"
#include "latticectl/xmalloc.h"
#include "latticectl/yaml.h"
#include "../src/sim/sim.h"
#include "bench_util.h"

#define S_SERVICES	20
#define S_GATEWAYS	2
#define S_CLUSTER	"soak"
#define S_VPC		"vpc-0123456789abcdef0"
#define S_MANAGED_BY	SIM_ACCOUNT_ID "/" S_CLUSTER "/" S_VPC
#define S_FAULTS	"throttle=lattice:0.3,error=0.05,latency=50ms," \
	"watchdrop=10s"
#define S_THREADS	8	/* parallel checkers (throttled calls wait) */
#define S_ROUTES_PATH	"/apis/gateway.networking.k8s.io/v1/namespaces/" \
	"default/httproutes"

extern char **environ;

/* What the load generator last asked of route i. */
struct s_route {
	int	 created;
	int	 deleted;
	int	 changed;
	int	 backend;	/* svc-N */
	char	 path[32];
};

struct soak {
	char			*bin;
	char			*dir;
	char			*simdir;
	char			*record;
	char			*aws_url;
	pid_t			 sim_pid;
	pid_t			 ctl_pid;
	struct kube_client	*kc;
	struct aws		*aws;
	struct s_route		*r;
	size_t			 nroutes;
	unsigned		 kills;
	unsigned		 self_exits;	/* controller exits not ours */
	unsigned		 failures;
	uint64_t		 t0;
};

/* Seconds since the start. */
static double
s_elapsed(struct soak *s)
{
	return (double)(time_mono_ms() - s->t0) / 1000.0;
}

/* Report a failed check. */
static void
s_fail(struct soak *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void
s_fail(struct soak *s, const char *fmt, ...)
{
	static pthread_mutex_t	 mu = PTHREAD_MUTEX_INITIALIZER;
	va_list			 ap;

	pthread_mutex_lock(&mu);
	if (s->failures++ < 40) {
		printf("  FAIL: ");
		va_start(ap, fmt);
		vprintf(fmt, ap);
		va_end(ap);
		printf("\n");
	}
	pthread_mutex_unlock(&mu);
}

/* A checker thread's own AWS client: the client's adaptive rate (halved
 * on every throttling answer) is per client, so one per thread keeps
 * the checks from crawling under random throttling. */
static __thread struct aws *s_thread_aws;

/* The AWS client for the calling thread. */
static struct aws *
s_aws(struct soak *s)
{
	return s_thread_aws != NULL ? s_thread_aws : s->aws;
}

static struct aws *s_new_aws(struct soak *);

/* Work shared by the checker threads: fn(s, i, arg) for i < n. */
struct s_par {
	struct soak	*s;
	void		(*fn)(struct soak *, size_t, void *);
	void		*arg;
	size_t		 n;
	size_t		 next;
	pthread_mutex_t	 mu;
};

/* A checker thread: take indexes until none is left. */
static void *
s_par_main(void *arg)
{
	struct s_par	*p = arg;
	size_t		 i;

	s_thread_aws = s_new_aws(p->s);
	for (;;) {
		pthread_mutex_lock(&p->mu);
		i = p->next++;
		pthread_mutex_unlock(&p->mu);
		if (i >= p->n)
			break;
		p->fn(p->s, i, p->arg);
	}
	aws_free(s_thread_aws);
	s_thread_aws = NULL;
	return NULL;
}

/* Run fn for 0..n-1 on S_THREADS threads. */
static void
s_parallel(struct soak *s, size_t n, void (*fn)(struct soak *, size_t,
    void *), void *arg)
{
	struct s_par	p;
	pthread_t	t[S_THREADS];
	int		i, started = 0;

	memset(&p, 0, sizeof(p));
	p.s = s;
	p.fn = fn;
	p.arg = arg;
	p.n = n;
	pthread_mutex_init(&p.mu, NULL);
	for (i = 0; i < S_THREADS; i++)
		started += pthread_create(&t[i], NULL, s_par_main, &p) == 0;
	if (started == 0)
		s_par_main(&p);
	for (i = 0; i < started; i++)
		pthread_join(t[i], NULL);
	pthread_mutex_destroy(&p.mu);
}

/* Stop the children and exit 1 (setup failures). */
static void
s_die(struct soak *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3), noreturn));
static void
s_die(struct soak *s, const char *fmt, ...)
{
	va_list	ap;
	int	st;

	fprintf(stderr, "soak: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (files in %s)\n", s->dir);
	if (s->ctl_pid > 0) {
		kill(s->ctl_pid, SIGKILL);
		waitpid(s->ctl_pid, &st, 0);
	}
	if (s->sim_pid > 0) {
		kill(s->sim_pid, SIGTERM);
		waitpid(s->sim_pid, &st, 0);
	}
	exit(1);
}

/* The run the signal handler cleans up after. */
static struct soak *soak_cur;

/* SIGINT/SIGTERM/SIGHUP: take the simulator and controller down too
 * (only async-signal-safe calls), then exit. */
static void
soak_on_signal(int sig)
{
	if (soak_cur != NULL && soak_cur->ctl_pid > 0)
		kill(soak_cur->ctl_pid, SIGKILL);
	if (soak_cur != NULL && soak_cur->sim_pid > 0)
		kill(soak_cur->sim_pid, SIGTERM);
	_exit(128 + sig);
}

/* Spawn argv with env, stdout and stderr appended to log; the pid. */
static pid_t
s_spawn(struct soak *s, char *const argv[], char *const env[],
    const char *log, const char *out)
{
	posix_spawn_file_actions_t	fa;
	pid_t				pid;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, out != NULL ? out : log,
	    O_WRONLY | O_CREAT | O_APPEND, 0600);
	posix_spawn_file_actions_addopen(&fa, 2, log, O_WRONLY | O_CREAT |
	    O_APPEND, 0600);
	if (posix_spawn(&pid, argv[0], &fa, NULL, argv, env) != 0)
		s_die(s, "cannot start %s", argv[0]);
	posix_spawn_file_actions_destroy(&fa);
	return pid;
}

/* The whole content of a file, or NULL. */
static char *
s_read(const char *path)
{
	FILE	*f = fopen(path, "rb");
	char	*buf;
	long	 len;

	if (f == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	buf = xmalloc(len > 0 ? (size_t)len + 1 : 1);
	len = len > 0 ? (long)fread(buf, 1, (size_t)len, f) : 0;
	buf[len] = '\0';
	fclose(f);
	return buf;
}

/* The value of "export KEY=..." in text (caller frees), or NULL. */
static char *
s_export(const char *text, const char *key)
{
	char		 pat[64];
	const char	*p, *e;

	snprintf(pat, sizeof(pat), "export %s=", key);
	if (text == NULL || (p = strstr(text, pat)) == NULL)
		return NULL;
	p += strlen(pat);
	e = strchr(p, '\n');
	return xstrndup(p, e != NULL ? (size_t)(e - p) : strlen(p));
}

/* Start the simulator; wait for its export lines. */
static void
s_start_sim(struct soak *s)
{
	const char	*faults = getenv("SOAK_FAULTS");
	char		*argv[16], *out, *log, *text = NULL, *kc;
	uint64_t	 end = time_mono_ms() + 30000;

	if (faults == NULL)
		faults = S_FAULTS;
	xasprintf(&out, "%s/sim.out", s->dir);
	xasprintf(&log, "%s/sim.log", s->dir);
	argv[0] = s->bin;
	argv[1] = (char *)"sim";
	argv[2] = (char *)"--listen=127.0.0.1:0";
	argv[3] = (char *)"--aws-listen=127.0.0.1:0";
	argv[4] = (char *)"--dir";
	argv[5] = s->simdir;
	argv[6] = (char *)"--record";
	argv[7] = s->record;
	argv[8] = (char *)"--writer=ctl";
	argv[9] = (char *)"--faults";
	argv[10] = (char *)faults;
	argv[11] = NULL;
	s->sim_pid = s_spawn(s, argv, environ, log, out);
	while ((s->aws_url = s_export(text, "AWS_ENDPOINT_URL")) == NULL) {
		if (time_mono_ms() > end)
			s_die(s, "the simulator did not start (see sim.log)");
		time_sleep_ms(100);
		free(text);
		text = s_read(out);
	}
	kc = s_export(text, "KUBECONFIG");
	printf("simulator: pid %d, faults %s, %s, KUBECONFIG %s\n",
	    (int)s->sim_pid, faults, s->aws_url, kc);
	free(kc);
	free(text);
	free(out);
	free(log);
}

/* An AWS client for the seeded admin principal (the environment names
 * the endpoint), patient with the injected faults. */
static struct aws *
s_new_aws(struct soak *s)
{
	struct aws_config	 cfg;
	struct aws_creds	 creds;
	struct aws		*aws;
	char			*cause = NULL;

	memset(&creds, 0, sizeof(creds));
	creds.access_key_id = (char *)SIM_ACCESS_KEY;
	creds.secret_access_key = (char *)SIM_SECRET_KEY;
	creds.source = (char *)"static";
	memset(&cfg, 0, sizeof(cfg));
	cfg.region = SIM_REGION;
	cfg.no_imds = 1;
	cfg.static_creds = &creds;
	if ((aws = aws_new(&cfg, &cause)) == NULL)
		s_die(s, "aws: %s", cause);
	aws_set_retry(aws, 30, 50, 2000);
	return aws;
}

/* The soak's own clients (the seeded admin principal). */
static void
s_clients(struct soak *s)
{
	struct kube_config_opts	 ko;
	struct kube_conn	*conn;
	char			*path, *cause = NULL;

	xasprintf(&path, "%s/kubeconfig", s->simdir);
	memset(&ko, 0, sizeof(ko));
	ko.kubeconfig = path;
	if (kube_conn_load(&ko, &conn, &cause) != 0 ||
	    (s->kc = kube_client_new(conn, &cause)) == NULL)
		s_die(s, "kube client: %s", cause);
	free(path);
	setenv("AWS_ENDPOINT_URL", s->aws_url, 1);
	setenv("AWS_CONFIG_FILE", "/dev/null", 1);
	setenv("AWS_SHARED_CREDENTIALS_FILE", "/dev/null", 1);
	s->aws = s_new_aws(s);
}

/* A Kubernetes request, retried through injected faults. ok_status is an
 * extra status that counts as success (409 for creates, 404 for deletes,
 * 0 for none). 0 on success. */
static int
s_kube(struct soak *s, const char *method, const char *path,
    const char *ctype, const char *body, long ok_status, cJSON **out)
{
	struct kube_error	 e;
	int			 i, rc = -1;

	for (i = 0; i < 50 && rc != 0; i++) {
		memset(&e, 0, sizeof(e));
		if (kube_request(s->kc, method, path, NULL, ctype, body, NULL,
		    out, &e) == 0)
			rc = 0;
		else if (ok_status != 0 && e.status == ok_status)
			rc = 0;
		else if (e.status != 0 && e.status < 500 && e.status != 429) {
			fprintf(stderr, "%s %s: %ld %s\n", method, path,
			    e.status, e.message);
			kube_error_clear(&e);
			return -1;
		} else
			time_sleep_ms(100);
		kube_error_clear(&e);
	}
	return rc;
}

/* POST a CRD file's first document. */
static void
s_crd_file(struct soak *s, const char *path)
{
	cJSON	*docs;
	char	*txt, *cause = NULL;

	if (yaml_load_file(path, &docs, &cause) != 0)
		s_die(s, "%s", cause);
	txt = json_print(cJSON_GetArrayItem(docs, 0));
	if (s_kube(s, "POST", "/apis/apiextensions.k8s.io/v1/"
	    "customresourcedefinitions", "application/json", txt, 409,
	    NULL) != 0)
		s_die(s, "CRD %s", path);
	free(txt);
	cJSON_Delete(docs);
}

/* Install the Gateway API and AWS CRDs. */
static void
s_crds(struct soak *s)
{
	char	*path;
	size_t	 i;

	if (bench_ref_dir() == NULL)
		s_die(s, "reference directory not found (set "
		    "LATTICECTL_REFERENCE)");
	for (i = 0; (path = bench_crd_path(i)) != NULL; i++) {
		s_crd_file(s, path);
		free(path);
	}
}

/* Create an object (POST path body), retrying. */
static void
s_post(struct soak *s, const char *path, const char *body)
{
	if (s_kube(s, "POST", path, "application/json", body, 409, NULL) != 0)
		s_die(s, "POST %s failed", path);
}

/* Ready endpoints of all EndpointSlices. */
static int
s_ready_endpoints(struct soak *s)
{
	cJSON	*l = NULL;
	int	 n;

	if (s_kube(s, "GET", "/apis/discovery.k8s.io/v1/namespaces/default/"
	    "endpointslices", NULL, NULL, 0, &l) != 0)
		return 0;
	n = bench_ready_endpoints(l);
	cJSON_Delete(l);
	return n;
}

/* GatewayClass, Gateways with their service networks, Services and
 * Deployments. */
static void
s_fixture(struct soak *s)
{
	struct lattice_create_service_network_input	 in;
	struct lattice_service_network			 sn;
	struct aws_error				 err;
	char						*body, name[32];
	size_t						 i;
	uint64_t					 end;

	s_post(s, "/apis/gateway.networking.k8s.io/v1/gatewayclasses",
	    "{\"metadata\":{\"name\":\"" UP_GATEWAYCLASS_NAME "\"},\"spec\":{"
	    "\"controllerName\":\"" UP_CONTROLLER_NAME "\"}}");
	for (i = 0; i < S_GATEWAYS; i++) {
		xasprintf(&body, "{\"metadata\":{\"name\":\"gw-%zu\"},\"spec\":"
		    "{\"gatewayClassName\":\"" UP_GATEWAYCLASS_NAME "\","
		    "\"listeners\":[{\"name\":\"http\",\"protocol\":\"HTTP\","
		    "\"port\":80}]}}", i);
		s_post(s, "/apis/gateway.networking.k8s.io/v1/namespaces/"
		    "default/gateways", body);
		free(body);
		snprintf(name, sizeof(name), "gw-%zu", i);
		memset(&in, 0, sizeof(in));
		memset(&err, 0, sizeof(err));
		in.name = name;
		if (lattice_create_service_network(s->aws, &in, &sn, &err) != 0)
			s_die(s, "service network %s: %s", name, err.message);
		lattice_service_network_free(&sn);
	}
	for (i = 0; i < S_SERVICES; i++) {
		body = bench_backend_deployment(i);
		s_post(s, "/apis/apps/v1/namespaces/default/deployments", body);
		free(body);
		body = bench_backend_service(i);
		s_post(s, "/api/v1/namespaces/default/services", body);
		free(body);
	}
	end = time_mono_ms() + 60000;
	while (s_ready_endpoints(s) < 2 * S_SERVICES) {
		if (time_mono_ms() > end)
			s_die(s, "endpoints never became ready");
		time_sleep_ms(200);
	}
}

/* Start (or restart) the controller as writer "ctl". */
static void
s_start_ctl(struct soak *s)
{
	char	*argv[16], **env, *path, *text, *line, *save = NULL, *log;
	size_t	 n = 0, i;

	for (i = 0; environ[i] != NULL; i++)
		;
	env = xcalloc(i + 16, sizeof(*env));
	for (i = 0; environ[i] != NULL; i++) {
		if ((strncmp(environ[i], "AWS_", 4) != 0 ||
		    strncmp(environ[i], "AWS_MAX_ATTEMPTS=", 17) == 0) &&
		    strncmp(environ[i], "KUBECONFIG=", 11) != 0)
			env[n++] = xstrdup(environ[i]);
	}
	xasprintf(&path, "%s/writer-ctl.env", s->simdir);
	if ((text = s_read(path)) == NULL)
		s_die(s, "%s: missing", path);
	for (line = strtok_r(text, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, "export ", 7) == 0)
			env[n++] = xstrdup(line + 7);
	}
	env[n++] = xstrdup("AWS_CONFIG_FILE=/dev/null");
	env[n++] = xstrdup("AWS_SHARED_CREDENTIALS_FILE=/dev/null");
	env[n++] = xstrdup("AWS_EC2_METADATA_DISABLED=true");
	argv[0] = s->bin;
	argv[1] = (char *)"--log-level=info";
	argv[2] = (char *)"controller";
	argv[3] = (char *)"--workers=4";
	argv[4] = (char *)"--metrics-addr=127.0.0.1:0";
	argv[5] = (char *)"--health-addr=127.0.0.1:0";
	argv[6] = (char *)"--cluster-name=" S_CLUSTER;
	argv[7] = (char *)"--vpc-id=" S_VPC;
	argv[8] = (char *)"--account-id=" SIM_ACCOUNT_ID;
	argv[9] = NULL;
	xasprintf(&log, "%s/controller.log", s->dir);
	s->ctl_pid = s_spawn(s, argv, env, log, NULL);
	explicit_bzero(text, strlen(text));
	free(text);
	free(path);
	free(log);
	for (i = 0; i < n; i++)
		free(env[i]);
	free(env);
}

/* Restart the controller if it exited on its own (as a Deployment
 * would); counted and reported. */
static void
s_reap_ctl(struct soak *s)
{
	int	st;

	if (s->ctl_pid <= 0 || waitpid(s->ctl_pid, &st, WNOHANG) !=
	    s->ctl_pid)
		return;
	s->self_exits++;
	printf("  [%6.1f s] controller exited by itself (%s %d; see "
	    "controller.log), restarted\n", s_elapsed(s), WIFEXITED(st) ?
	    "status" : "signal", WIFEXITED(st) ? WEXITSTATUS(st) :
	    WTERMSIG(st));
	s_start_ctl(s);
}

/* SIGKILL the controller and start a new one. */
static void
s_kill_ctl(struct soak *s, int restart)
{
	int	st;

	if (s->ctl_pid <= 0)
		return;
	kill(s->ctl_pid, SIGKILL);
	waitpid(s->ctl_pid, &st, 0);
	s->ctl_pid = 0;
	s->kills++;
	if (restart)
		s_start_ctl(s);
	printf("  [%6.1f s] controller SIGKILLed (#%u)%s\n", s_elapsed(s),
	    s->kills, restart ? ", restarted" : "");
	fflush(stdout);
}

/* Create route i. */
static void
s_create(struct soak *s, size_t i)
{
	struct s_route	*r = &s->r[i];
	char		*body;

	r->backend = (int)(i % S_SERVICES);
	snprintf(r->path, sizeof(r->path), "/r%zu", i);
	xasprintf(&body, "{\"apiVersion\":\"gateway.networking.k8s.io/v1\","
	    "\"kind\":\"HTTPRoute\",\"metadata\":{\"name\":\"r-%zu\"},"
	    "\"spec\":{\"parentRefs\":[{\"name\":\"gw-%zu\",\"sectionName\":"
	    "\"http\"}],\"rules\":[{\"matches\":[{\"path\":{\"type\":"
	    "\"PathPrefix\",\"value\":\"%s\"}}],\"backendRefs\":[{\"name\":"
	    "\"svc-%d\",\"kind\":\"Service\",\"port\":80}]}]}}", i,
	    i % S_GATEWAYS, r->path, r->backend);
	if (s_kube(s, "POST", S_ROUTES_PATH, "application/json", body, 409,
	    NULL) != 0)
		s_die(s, "create route r-%zu failed", i);
	r->created = 1;
	free(body);
}

/* Change route i's path and backend. */
static void
s_change(struct soak *s, size_t i)
{
	struct s_route	*r = &s->r[i];
	char		*body, *path;

	r->backend = (r->backend + 7) % S_SERVICES;
	snprintf(r->path, sizeof(r->path), "/r%zu-v2", i);
	xasprintf(&body, "[{\"op\":\"replace\",\"path\":\"/spec/rules/0/"
	    "matches/0/path/value\",\"value\":\"%s\"},{\"op\":\"replace\","
	    "\"path\":\"/spec/rules/0/backendRefs/0/name\",\"value\":"
	    "\"svc-%d\"}]", r->path, r->backend);
	xasprintf(&path, "%s/r-%zu", S_ROUTES_PATH, i);
	if (s_kube(s, "PATCH", path, "application/json-patch+json", body, 0,
	    NULL) != 0)
		s_die(s, "change route r-%zu failed", i);
	r->changed = 1;
	free(body);
	free(path);
}

/* Delete route i. */
static void
s_delete(struct soak *s, size_t i)
{
	char	*path;

	xasprintf(&path, "%s/r-%zu", S_ROUTES_PATH, i);
	if (s_kube(s, "DELETE", path, NULL, NULL, 404, NULL) != 0)
		s_die(s, "delete route r-%zu failed", i);
	s->r[i].deleted = 1;
	free(path);
}

/* The load: create every route; change every third one 25 creates
 * later, delete every fifth one 50 creates later (the tail at the end);
 * evenly paced over secs, killing the controller every kill_s. */
static void
s_load(struct soak *s, double secs, unsigned kill_s)
{
	size_t		 n = s->nroutes, i, ops = 0, total, lag;
	uint64_t	 start = time_mono_ms(), next_kill, due;
	unsigned	 creates = 0, changes = 0, deletes = 0;

	total = n + (n + 2) / 3 + (n + 4) / 5;
	next_kill = start + (uint64_t)kill_s * 1000;
	for (i = 0; i < n + 50; i++) {
		for (lag = 0; lag < 3; lag++) {
			if (lag == 0 && i < n) {
				s_create(s, i);
				creates++;
			} else if (lag == 1 && i >= 25 && i - 25 < n &&
			    (i - 25) % 3 == 0) {
				s_change(s, i - 25);
				changes++;
			} else if (lag == 2 && i >= 50 && i - 50 < n &&
			    (i - 50) % 5 == 0) {
				s_delete(s, i - 50);
				deletes++;
			} else
				continue;
			ops++;
			due = start + (uint64_t)(secs * 1000.0 * (double)ops /
			    (double)total);
			while (time_mono_ms() < due) {
				s_reap_ctl(s);
				if (time_mono_ms() >= next_kill) {
					s_kill_ctl(s, 1);
					next_kill += (uint64_t)kill_s * 1000;
				}
				time_sleep_ms(20);
			}
		}
		if (i % 50 == 49)
			printf("  [%6.1f s] load: %u creates, %u changes, %u "
			    "deletes\n", s_elapsed(s), creates, changes,
			    deletes);
		fflush(stdout);
	}
	printf("load done at %.1f s: %u creates, %u changes, %u deletes, %u "
	    "controller kills\n", s_elapsed(s), creates, changes, deletes,
	    s->kills);
}

/* Is condition type True for the object's current generation in every
 * parent status? */
static int
s_cond_ok(const cJSON *route, const char *type)
{
	const cJSON	*p, *c;
	double		 gen = json_num(json_path(route, "metadata"),
	    "generation", 0);
	int		 parents = 0, ok = 0;

	cJSON_ArrayForEach(p, json_path(route, "status.parents")) {
		parents++;
		cJSON_ArrayForEach(c, json_path(p, "conditions")) {
			if (strcmp(json_str(c, "type"), type) == 0 &&
			    strcmp(json_str(c, "status"), "True") == 0 &&
			    json_num(c, "observedGeneration", -1) == gen)
				ok++;
		}
	}
	return parents > 0 && ok == parents;
}

/* Route index of "r-N", or -1. */
static long
s_route_index(struct soak *s, const char *name)
{
	char	*end;
	long	 i;

	if (name == NULL || strncmp(name, "r-", 2) != 0)
		return -1;
	i = strtol(name + 2, &end, 10);
	if (*end != '\0' || i < 0 || (size_t)i >= s->nroutes)
		return -1;
	return i;
}

/* Kubernetes side: live routes converged, deleted ones gone. Returns
 * the number of problems (printed when verbose). */
static unsigned
s_check_kube(struct soak *s, int verbose)
{
	cJSON		*l = NULL;
	const cJSON	*it;
	const char	*dns;
	unsigned	 bad = 0, *seen;
	long		 i;

	if (s_kube(s, "GET", S_ROUTES_PATH, NULL, NULL, 0, &l) != 0) {
		if (verbose)
			s_fail(s, "cannot list routes");
		return 1;
	}
	seen = xcalloc(s->nroutes, sizeof(*seen));
	cJSON_ArrayForEach(it, json_path(l, "items")) {
		i = s_route_index(s, json_path_str(it, "metadata.name"));
		if (i < 0)
			continue;
		seen[i] = 1;
		if (s->r[i].deleted) {
			bad++;
			if (verbose)
				s_fail(s, "r-%ld: deleted but still present "
				    "(finalizer not released)", i);
			continue;
		}
		dns = json_str(json_path(it, "metadata.annotations"),
		    UP_ANN_ASSIGNED_DNS);
		if (!s_cond_ok(it, "Accepted") ||
		    !s_cond_ok(it, "ResolvedRefs") || dns == NULL ||
		    *dns == '\0') {
			bad++;
			if (verbose)
				s_fail(s, "r-%ld: not converged (Accepted %d, "
				    "ResolvedRefs %d, DNS annotation %s)", i,
				    s_cond_ok(it, "Accepted"), s_cond_ok(it,
				    "ResolvedRefs"), dns != NULL ? dns :
				    "missing");
		}
	}
	for (i = 0; (size_t)i < s->nroutes; i++) {
		if (s->r[i].created && !s->r[i].deleted && !seen[i]) {
			bad++;
			if (verbose)
				s_fail(s, "r-%ld: missing from Kubernetes", i);
		}
	}
	free(seen);
	cJSON_Delete(l);
	return bad;
}

/* Tags of an ARN into *t (zeroed on failure). */
static void
s_tags(struct soak *s, const char *arn, struct aws_tags *t)
{
	struct aws_error	err;

	memset(&err, 0, sizeof(err));
	memset(t, 0, sizeof(*t));
	if (lattice_list_tags(s_aws(s), arn, t, &err) != 0) {
		s_fail(s, "ListTagsForResource %s: %s", arn, err.message);
		memset(t, 0, sizeof(*t));
	}
	aws_error_clear(&err);
}

/* ARNs in, tags out (parallel ListTagsForResource). */
struct s_tagjob {
	const char	**arn;
	struct aws_tags	 *tags;
};

/* Fetch the i'th ARN's tags. */
static void
s_tag_one(struct soak *s, size_t i, void *arg)
{
	struct s_tagjob	*j = arg;

	s_tags(s, j->arn[i], &j->tags[i]);
}

/* The tags of n ARNs (caller frees each and the array). */
static struct aws_tags *
s_tags_all(struct soak *s, const char **arn, size_t n)
{
	struct s_tagjob	j;

	j.arn = arn;
	j.tags = xcalloc(n + 1, sizeof(*j.tags));
	s_parallel(s, n, s_tag_one, &j);
	return j.tags;
}

/* Is route index i live (created, not deleted)? */
static int
s_live(struct soak *s, long i)
{
	return i >= 0 && s->r[i].created && !s->r[i].deleted;
}

/* Per live route: its managed target group id (NULL: none yet). */
struct s_tgs {
	char	**id;		/* by route index */
	unsigned *count;	/* managed TGs naming the route */
};

/* Target groups: duplicates, orphans, one per live route with the
 * current backend. */
static void
s_check_tgs(struct soak *s, struct s_tgs *tg, unsigned *orphans,
    unsigned *dups)
{
	struct lattice_list_target_groups_input	 in;
	struct lattice_target_group_list	 l;
	struct aws_error			 err;
	struct aws_tags				*tags, t;
	const char				*mb, *svc, **arns;
	char					 want[32];
	size_t					 i, j;
	long					 ri;

	memset(&in, 0, sizeof(in));
	memset(&err, 0, sizeof(err));
	if (lattice_list_target_groups(s->aws, &in, &l, &err) != 0) {
		s_fail(s, "ListTargetGroups: %s", err.message);
		aws_error_clear(&err);
		return;
	}
	arns = xcalloc(l.n + 1, sizeof(*arns));
	for (i = 0; i < l.n; i++)
		arns[i] = l.items[i].arn;
	tags = s_tags_all(s, arns, l.n);
	free(arns);
	for (i = 0; i < l.n; i++) {
		for (j = i + 1; j < l.n; j++) {
			if (strcmp(l.items[i].name, l.items[j].name) == 0) {
				(*dups)++;
				s_fail(s, "duplicate target group name %s",
				    l.items[i].name);
			}
		}
		t = tags[i];
		mb = aws_tags_get(&t, UP_TAG_MANAGED_BY);
		if (mb == NULL || strcmp(mb, S_MANAGED_BY) != 0) {
			aws_tags_free(&t);
			continue;
		}
		ri = s_route_index(s, aws_tags_get(&t, UP_TAG_ROUTE_NAME));
		if (!s_live(s, ri)) {
			(*orphans)++;
			s_fail(s, "orphan target group %s (route %s)",
			    l.items[i].name, aws_tags_get(&t,
			    UP_TAG_ROUTE_NAME));
		} else {
			tg->count[ri]++;
			svc = aws_tags_get(&t, UP_TAG_SERVICE_NAME);
			snprintf(want, sizeof(want), "svc-%d",
			    s->r[ri].backend);
			if (svc == NULL || strcmp(svc, want) != 0) {
				(*orphans)++;
				s_fail(s, "r-%ld: stale target group %s for "
				    "%s (backend is %s)", ri, l.items[i].name,
				    svc != NULL ? svc : "?", want);
			} else {
				free(tg->id[ri]);
				tg->id[ri] = xstrdup(l.items[i].id);
			}
		}
		aws_tags_free(&t);
	}
	free(tags);
	lattice_target_group_list_free(&l);
}

/* One live route's service: one listener, one rule with the current
 * path forwarding to the route's target group. */
static void
s_check_service(struct soak *s, const struct lattice_service *svc,
    long ri, const char *tg_id)
{
	struct lattice_listener_list	 ll;
	struct lattice_rule_list	 rl;
	struct lattice_rule		 rule;
	struct aws_error		 err;
	const struct lattice_rule_action *a;
	size_t				 i, n = 0;
	const char			*rid = NULL;

	memset(&err, 0, sizeof(err));
	if (lattice_list_listeners(s_aws(s), svc->id, NULL, &ll, &err) != 0) {
		s_fail(s, "%s: ListListeners: %s", svc->name, err.message);
		aws_error_clear(&err);
		return;
	}
	if (ll.n != 1) {
		s_fail(s, "%s: %zu listeners (want 1)", svc->name, ll.n);
		lattice_listener_list_free(&ll);
		return;
	}
	if (lattice_list_rules(s_aws(s), svc->id, ll.items[0].id, NULL, &rl,
	    &err) != 0) {
		s_fail(s, "%s: ListRules: %s", svc->name, err.message);
		aws_error_clear(&err);
		lattice_listener_list_free(&ll);
		return;
	}
	for (i = 0; i < rl.n; i++) {
		if (!rl.items[i].is_default) {
			n++;
			rid = rl.items[i].id;
		}
	}
	if (n != 1)
		s_fail(s, "%s: %zu rules (want 1)", svc->name, n);
	else if (lattice_get_rule(s_aws(s), svc->id, ll.items[0].id, rid,
	    &rule, &err) != 0) {
		s_fail(s, "%s: GetRule: %s", svc->name, err.message);
		aws_error_clear(&err);
	} else {
		a = &rule.action;
		if (rule.match.path.value == NULL ||
		    strcmp(rule.match.path.value, s->r[ri].path) != 0)
			s_fail(s, "%s: rule path %s (want %s)", svc->name,
			    rule.match.path.value != NULL ?
			    rule.match.path.value : "none", s->r[ri].path);
		if (a->kind != LATTICE_ACTION_FORWARD ||
		    a->n_target_groups != 1 || tg_id == NULL ||
		    strstr(a->target_groups[0].target_group_id, tg_id) ==
		    NULL)
			s_fail(s, "%s: rule does not forward to the route's "
			    "target group %s", svc->name, tg_id != NULL ?
			    tg_id : "(none)");
		lattice_rule_free(&rule);
	}
	lattice_rule_list_free(&rl);
	lattice_listener_list_free(&ll);
}

/* One service to check in depth. */
struct s_svcjob {
	const struct lattice_service	*svc;
	long				 ri;
	const char			*tg_id;
};

/* Check the i'th service job. */
static void
s_svc_one(struct soak *s, size_t i, void *arg)
{
	struct s_svcjob	*j = arg;

	s_check_service(s, j[i].svc, j[i].ri, j[i].tg_id);
}

/* Lattice side: services and target groups. */
static void
s_check_lattice(struct soak *s)
{
	struct lattice_service_list	 l;
	struct aws_error		 err;
	struct aws_tags			*tags, t;
	struct s_tgs			 tg;
	struct s_svcjob			*jobs;
	const char			*mb, **arns;
	char				 want[48];
	unsigned			 orphans = 0, dups = 0, *has;
	size_t				 i, j, managed = 0, njobs = 0;
	long				 ri;

	tg.id = xcalloc(s->nroutes, sizeof(*tg.id));
	tg.count = xcalloc(s->nroutes, sizeof(*tg.count));
	has = xcalloc(s->nroutes, sizeof(*has));
	s_check_tgs(s, &tg, &orphans, &dups);
	memset(&err, 0, sizeof(err));
	if (lattice_list_services(s->aws, NULL, &l, &err) != 0) {
		s_fail(s, "ListServices: %s", err.message);
		aws_error_clear(&err);
		l.n = 0;
		l.items = NULL;
	}
	arns = xcalloc(l.n + 1, sizeof(*arns));
	for (i = 0; i < l.n; i++)
		arns[i] = l.items[i].arn;
	tags = s_tags_all(s, arns, l.n);
	free(arns);
	jobs = xcalloc(l.n + 1, sizeof(*jobs));
	for (i = 0; i < l.n; i++) {
		for (j = i + 1; j < l.n; j++) {
			if (strcmp(l.items[i].name, l.items[j].name) == 0) {
				dups++;
				s_fail(s, "duplicate service name %s",
				    l.items[i].name);
			}
		}
		t = tags[i];
		mb = aws_tags_get(&t, UP_TAG_MANAGED_BY);
		if (mb != NULL && strcmp(mb, S_MANAGED_BY) == 0) {
			managed++;
			ri = s_route_index(s, aws_tags_get(&t,
			    UP_TAG_ROUTE_NAME));
			snprintf(want, sizeof(want), "r-%ld-default", ri);
			if (!s_live(s, ri)) {
				orphans++;
				s_fail(s, "orphan service %s (route %s)",
				    l.items[i].name, aws_tags_get(&t,
				    UP_TAG_ROUTE_NAME));
			} else if (strcmp(l.items[i].name, want) != 0)
				s_fail(s, "service %s for r-%ld (want name "
				    "%s)", l.items[i].name, ri, want);
			else {
				has[ri]++;
				jobs[njobs].svc = &l.items[i];
				jobs[njobs].ri = ri;
				jobs[njobs++].tg_id = tg.id[ri];
			}
		}
		aws_tags_free(&t);
	}
	free(tags);
	s_parallel(s, njobs, s_svc_one, jobs);
	free(jobs);
	for (ri = 0; (size_t)ri < s->nroutes; ri++) {
		if (!s_live(s, ri))
			continue;
		if (has[ri] != 1)
			s_fail(s, "r-%ld: %u Lattice services (want 1)", ri,
			    has[ri]);
		if (tg.count[ri] != 1)
			s_fail(s, "r-%ld: %u target groups (want 1)", ri,
			    tg.count[ri]);
		free(tg.id[ri]);
	}
	printf("  Lattice: %zu services (%zu managed by %s), orphans %u, "
	    "duplicates %u\n", l.n, managed, S_MANAGED_BY, orphans, dups);
	if (l.items != NULL)
		lattice_service_list_free(&l);
	free(tg.id);
	free(tg.count);
	free(has);
}

/* Seconds since the controller's last write in the record (a large
 * number when it never wrote). */
static double
s_ctl_idle(struct soak *s)
{
	char		*text = s_read(s->record), *line, *save = NULL;
	double		 last = 0, now;
	cJSON		*o;
	struct timespec	 ts = time_now();

	if (text == NULL)
		return 1e9;
	for (line = strtok_r(text, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		if (strstr(line, "\"writer\":\"ctl\"") == NULL ||
		    strstr(line, "\"method\":\"GET\"") != NULL ||
		    strstr(line, "/leases/") != NULL ||
		    strstr(line, "/events") != NULL)
			continue;
		if ((o = cJSON_Parse(line)) != NULL)
			last = json_num(o, "ms", last);
		cJSON_Delete(o);
	}
	free(text);
	now = (double)ts.tv_sec * 1000.0 + (double)(ts.tv_nsec / 1000000);
	return last > 0 ? (now - last) / 1000.0 : 1e9;
}

/* Wait (at most quiet_s) until the Kubernetes side converged and the
 * controller stopped writing for 20 s; the routes left unconverged. */
static unsigned
s_quiet(struct soak *s, unsigned quiet_s)
{
	uint64_t	end = time_mono_ms() + (uint64_t)quiet_s * 1000;
	unsigned	bad = 1;

	while (time_mono_ms() < end) {
		s_reap_ctl(s);
		bad = s_check_kube(s, 0);
		if (bad == 0 && s_ctl_idle(s) >= 20)
			break;
		time_sleep_ms(5000);
		printf("  [%6.1f s] waiting: %u routes not converged, "
		    "controller idle %.0f s\n", s_elapsed(s), bad,
		    s_ctl_idle(s) > 1e8 ? 0 : s_ctl_idle(s));
		fflush(stdout);
	}
	printf("quiet at %.1f s (%u routes not converged)\n", s_elapsed(s),
	    bad);
	return bad;
}

/* API calls from the record, by api, writer, method and status. */
static void
s_calls(struct soak *s)
{
	char		*text = s_read(s->record), *line, *save = NULL;
	const char	*api, *w, *m;
	unsigned long	 c[2][2][2] = { { { 0 } } }, thr[2] = { 0 },
			 err5[2] = { 0 };
	cJSON		*o;
	int		 a, who, wr;
	long		 st;

	for (line = text != NULL ? strtok_r(text, "\n", &save) : NULL;
	    line != NULL; line = strtok_r(NULL, "\n", &save)) {
		if ((o = cJSON_Parse(line)) == NULL)
			continue;
		api = json_str(o, "api");
		w = json_str(o, "writer");
		m = json_str(o, "method");
		st = (long)json_num(o, "status", 0);
		a = api != NULL && strcmp(api, "aws") == 0;
		who = w != NULL && strcmp(w, "ctl") == 0;
		wr = m != NULL && strcmp(m, "GET") != 0;
		c[a][who][wr]++;
		if (who && st == 429)
			thr[a]++;
		if (who && st >= 500)
			err5[a]++;
		cJSON_Delete(o);
	}
	free(text);
	printf("API calls spent by the controller (all restarts; from the "
	    "simulator's record):\n");
	printf("  AWS:        %lu (%lu reads, %lu writes); %lu throttled "
	    "(429), %lu 5xx\n", c[1][1][0] + c[1][1][1], c[1][1][0],
	    c[1][1][1], thr[1], err5[1]);
	printf("  Kubernetes: %lu (%lu reads incl. watches, %lu writes); "
	    "%lu 5xx\n", c[0][1][0] + c[0][1][1], c[0][1][0], c[0][1][1],
	    err5[0]);
	printf("  (the soak itself: AWS %lu, Kubernetes %lu)\n",
	    c[1][0][0] + c[1][0][1], c[0][0][0] + c[0][0][1]);
}

/* The latticectl binary. */
static char *
s_binary(const char *arg)
{
	const char	*env = getenv("LATTICECTL");
	char		 exe[4096], *bin;
	ssize_t		 n;

	if (arg != NULL)
		return xstrdup(arg);
	if (env != NULL)
		return xstrdup(env);
	if ((n = readlink("/proc/self/exe", exe, sizeof(exe) - 1)) <= 0)
		return xstrdup("latticectl");
	exe[n] = '\0';
	xasprintf(&bin, "%s/latticectl", dirname(dirname(exe)));
	return bin;
}

int
main(int argc, char **argv)
{
	struct soak	s;
	double		secs, t_last;
	unsigned	kill_s, quiet_s, kbad;
	const char	*tmp;
	size_t		i, live, gone;
	int		st;

	memset(&s, 0, sizeof(s));
	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGPIPE, SIG_IGN);
	soak_cur = &s;
	signal(SIGINT, soak_on_signal);
	signal(SIGTERM, soak_on_signal);
	signal(SIGHUP, soak_on_signal);
	log_set_level(LOG_LEVEL_WARN);
	s.t0 = time_mono_ms();
	s.bin = s_binary(argc > 1 ? argv[1] : NULL);
	if (access(s.bin, X_OK) != 0) {
		fprintf(stderr, "soak: %s: not executable\n", s.bin);
		return 1;
	}
	s.nroutes = (size_t)bench_env_long("SOAK_ROUTES", 500);
	secs = (double)bench_env_long("SOAK_SECONDS", 600);
	kill_s = (unsigned)bench_env_long("SOAK_KILL_SECONDS", 60);
	quiet_s = (unsigned)bench_env_long("SOAK_QUIET_SECONDS", 600);
	if (s.nroutes < 1 || secs < 1 || kill_s < 1) {
		fprintf(stderr, "soak: SOAK_ROUTES, SOAK_SECONDS and "
		    "SOAK_KILL_SECONDS must be positive\n");
		return 1;
	}
	s.r = xcalloc(s.nroutes, sizeof(*s.r));
	tmp = getenv("TMPDIR");
	xasprintf(&s.dir, "%s/latticectl-soak-XXXXXX",
	    tmp != NULL && *tmp != '\0' ? tmp : "/tmp");
	if (mkdtemp(s.dir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	xasprintf(&s.simdir, "%s/sim", s.dir);
	xasprintf(&s.record, "%s/record.jsonl", s.dir);
	printf("soak: %zu routes over %.0f s, controller killed every %u s, "
	    "files in %s\n", s.nroutes, secs, kill_s, s.dir);
	s_start_sim(&s);
	s_clients(&s);
	s_crds(&s);
	s_fixture(&s);
	s_start_ctl(&s);
	printf("fixture ready at %.1f s; controller pid %d\n", s_elapsed(&s),
	    (int)s.ctl_pid);
	s_load(&s, secs, kill_s);
	/* One last kill so the final state is reached from a cold start. */
	s_kill_ctl(&s, 1);
	t_last = s_elapsed(&s);
	if (s_quiet(&s, quiet_s) == 0)
		printf("converged %.1f s after the load ended and the last "
		    "restart\n", s_elapsed(&s) - t_last);
	else
		printf("NOT converged %.1f s after the load ended and the last "
		    "restart\n", s_elapsed(&s) - t_last);
	printf("checks:\n");
	s_check_lattice(&s);
	kbad = s_check_kube(&s, 1);
	for (i = 0, live = 0, gone = 0; i < s.nroutes; i++) {
		live += s.r[i].created && !s.r[i].deleted;
		gone += s.r[i].deleted;
	}
	printf("  Kubernetes: %zu live routes (Accepted, ResolvedRefs, DNS "
	    "annotation), %zu deleted (gone): %u problems\n", live, gone,
	    kbad);
	s_calls(&s);
	kill(s.ctl_pid, SIGTERM);
	waitpid(s.ctl_pid, &st, 0);
	kill(s.sim_pid, SIGTERM);
	waitpid(s.sim_pid, &st, 0);
	printf("soak %s: %u failed checks, %u controller kills, %u "
	    "controller exits by itself (restarted), %.1f s (files in %s)\n",
	    s.failures == 0 ? "PASSED" : "FAILED", s.failures, s.kills,
	    s.self_exits, s_elapsed(&s), s.dir);
	aws_free(s.aws);
	kube_client_free(s.kc);
	free(s.r);
	free(s.bin);
	free(s.dir);
	free(s.simdir);
	free(s.record);
	free(s.aws_url);
	return s.failures == 0 ? 0 : 1;
}
