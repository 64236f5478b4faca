/* Shared test helpers: canned AWS transport, moto harness, files. */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "latticectl/aws.h"
#include "latticectl/http.h"
#include "latticectl/proc.h"
#include "latticectl/strbuf.h"
#include "latticectl/timeutil.h"
#include "latticectl/xmalloc.h"
#include "testlib.h"

/* Queue a canned response. */
void
canned_push(struct canned *c, long status, const char *body,
    const char *hdr_name, const char *hdr_value)
{
	if (c->n_resp == CANNED_MAX)
		abort();
	c->status[c->n_resp] = status;
	c->body[c->n_resp] = xstrdup(body != NULL ? body : "");
	c->hdr_name[c->n_resp] = xstrdup_or_null(hdr_name);
	c->hdr_value[c->n_resp] = xstrdup_or_null(hdr_value);
	c->n_resp++;
}

/* Record the request and answer with the next queued response. */
int
canned_transport(void *arg, const struct http_request *req,
    struct http_response *resp, char **cause)
{
	struct canned		*c = arg;
	struct canned_req	*r;
	size_t			 i, k;

	if (c->n_req == CANNED_MAX)
		abort();
	r = &c->req[c->n_req++];
	r->method = xstrdup(req->method);
	r->url = xstrdup(req->url);
	r->body = xstrndup(req->body != NULL ? req->body : "", req->body_len);
	for (i = 0; i < req->headers.n; i++)
		http_headers_add(&r->headers, req->headers.v[i].name,
		    req->headers.v[i].value);
	if (c->next_resp >= c->n_resp) {
		*cause = xstrdup("canned: no response queued");
		return -1;
	}
	k = c->next_resp++;
	if (c->status[k] == 0) {
		*cause = xstrdup("canned: simulated connection failure");
		return -1;
	}
	resp->status = c->status[k];
	strbuf_adds(&resp->body, c->body[k]);
	if (c->hdr_name[k] != NULL)
		http_headers_add(&resp->headers, c->hdr_name[k],
		    c->hdr_value[k]);
	if (*c->body[k] == '{')
		http_headers_add(&resp->headers, "Content-Type",
		    "application/json");
	return 0;
}

/* Release everything recorded and queued. */
void
canned_free(struct canned *c)
{
	size_t	i;

	for (i = 0; i < c->n_resp; i++) {
		free(c->body[i]);
		free(c->hdr_name[i]);
		free(c->hdr_value[i]);
	}
	for (i = 0; i < c->n_req; i++) {
		free(c->req[i].method);
		free(c->req[i].url);
		free(c->req[i].body);
		http_headers_free(&c->req[i].headers);
	}
	memset(c, 0, sizeof *c);
}

/* A us-west-2 context with static keys and no IMDS; retries as given. */
static struct aws *
test_static_aws(const char *who, char *akid, char *secret, int attempts,
    int base_ms, int max_ms)
{
	struct aws_config	 cfg;
	struct aws_creds	 creds;
	struct aws		*aws;
	char			*cause = NULL;

	memset(&creds, 0, sizeof creds);
	creds.access_key_id = akid;
	creds.secret_access_key = secret;
	creds.source = "static";
	memset(&cfg, 0, sizeof cfg);
	cfg.region = "us-west-2";
	cfg.no_imds = 1;
	cfg.static_creds = &creds;
	aws = aws_new(&cfg, &cause);
	if (aws == NULL) {
		fprintf(stderr, "%s: %s\n", who, cause);
		abort();
	}
	aws_set_retry(aws, attempts, base_ms, max_ms);
	return aws;
}

/* A context for protocol tests: static credentials, no files, no IMDS. */
struct aws *
canned_aws(struct canned *c)
{
	struct aws	*aws;

	if (getenv("AWS_CONFIG_FILE") == NULL)
		setenv("AWS_CONFIG_FILE", "/dev/null", 1);
	if (getenv("AWS_SHARED_CREDENTIALS_FILE") == NULL)
		setenv("AWS_SHARED_CREDENTIALS_FILE", "/dev/null", 1);
	aws = test_static_aws("canned_aws", "AKIDEXAMPLE",
	    "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", 3, 1, 5);
	aws_set_transport(aws, canned_transport, c);
	return aws;
}

/* The request URL after scheme and host. */
const char *
canned_path(const struct canned_req *r)
{
	const char	*p = strstr(r->url, "://");

	if (p == NULL)
		return r->url;
	p = strchr(p + 3, '/');
	return p != NULL ? p : "/";
}

/* Decode one form component ('+' is a space, then %XX). */
static char *
test_form_decode(const char *s, size_t len)
{
	char	*raw, *out;
	size_t	 i;

	raw = xstrndup(s, len);
	for (i = 0; raw[i] != '\0'; i++) {
		if (raw[i] == '+')
			raw[i] = ' ';
	}
	out = http_urldecode(raw);
	free(raw);
	return out;
}

/* Split a recorded body into decoded key/value pairs. */
void
test_form_parse(const char *body, struct test_form *f)
{
	const char	*p = body, *amp, *eq;

	memset(f, 0, sizeof *f);
	while (*p != '\0') {
		amp = strchr(p, '&');
		if (amp == NULL)
			amp = p + strlen(p);
		eq = memchr(p, '=', (size_t)(amp - p));
		if (eq == NULL)
			eq = amp;
		f->k = xreallocarray(f->k, f->n + 1, sizeof *f->k);
		f->v = xreallocarray(f->v, f->n + 1, sizeof *f->v);
		f->k[f->n] = test_form_decode(p, (size_t)(eq - p));
		f->v[f->n] = eq < amp ? test_form_decode(eq + 1,
		    (size_t)(amp - eq - 1)) : xstrdup("");
		f->n++;
		p = *amp == '&' ? amp + 1 : amp;
	}
}

/* Value of key, or NULL. */
const char *
test_form_get(const struct test_form *f, const char *key)
{
	size_t	i;

	for (i = 0; i < f->n; i++) {
		if (strcmp(f->k[i], key) == 0)
			return f->v[i];
	}
	return NULL;
}

/* Release a form. */
void
test_form_free(struct test_form *f)
{
	size_t	i;

	for (i = 0; i < f->n; i++) {
		free(f->k[i]);
		free(f->v[i]);
	}
	free(f->k);
	free(f->v);
}

/* Assert that request i is op with exactly these extra fields. */
void
canned_check_form(struct canned *c, size_t i, const char *op,
    const char *version, size_t nfields, const char *const *kv)
{
	struct test_form	f;
	size_t			j;

	assert_true(i < c->n_req);
	assert_string_equal(c->req[i].method, "POST");
	assert_string_equal(canned_path(&c->req[i]), "/");
	test_form_parse(c->req[i].body, &f);
	assert_string_equal(test_form_get(&f, "Action"), op);
	assert_string_equal(test_form_get(&f, "Version"), version);
	for (j = 0; j < nfields; j++) {
		if (test_form_get(&f, kv[2 * j]) == NULL)
			fail_msg("%s: missing field %s", op, kv[2 * j]);
		assert_string_equal(test_form_get(&f, kv[2 * j]),
		    kv[2 * j + 1]);
	}
	if (f.n != nfields + 2)
		fail_msg("%s: %zu fields sent, expected %zu", op, f.n,
		    nfields + 2);
	test_form_free(&f);
}

/* Mark op as exercised. */
void
test_ops_seen(struct test_ops *o, const char *op)
{
	size_t	i;

	for (i = 0; i < TEST_OPS_MAX && o->names[i] != NULL; i++) {
		if (strcmp(o->names[i], op) == 0)
			o->seen[i] = 1;
	}
}

/* Report how many of the client's operations the tests covered. */
int
test_ops_report(const struct test_ops *o)
{
	size_t	i, n = 0;

	for (i = 0; i < TEST_OPS_MAX && o->names[i] != NULL; i++) {
		if (o->seen[i])
			n++;
		else
			printf("%s: operation not covered: %s\n", o->svc,
			    o->names[i]);
	}
	printf("%s: %zu of %zu operations covered by canned tests\n", o->svc,
	    n, i);
	return n == i ? 0 : -1;
}

/* Find an executable on PATH; caller frees. */
static char *
test_which(const char *name)
{
	const char	*path = getenv("PATH");
	char		*copy, *dir, *save = NULL, *full;

	if (path == NULL)
		return NULL;
	copy = xstrdup(path);
	for (dir = strtok_r(copy, ":", &save); dir != NULL;
	    dir = strtok_r(NULL, ":", &save)) {
		xasprintf(&full, "%s/%s", dir, name);
		if (access(full, X_OK) == 0) {
			free(copy);
			return full;
		}
		free(full);
	}
	free(copy);
	return NULL;
}

/* A free TCP port on 127.0.0.1 (bound, read back, released). */
static int
test_free_port(void)
{
	struct sockaddr_in	sa;
	socklen_t		len = sizeof sa;
	int			fd, port = -1;

	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) == -1)
		return -1;
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&sa, sizeof sa) == 0 &&
	    getsockname(fd, (struct sockaddr *)&sa, &len) == 0)
		port = ntohs(sa.sin_port);
	close(fd);
	return port;
}

/* Can we connect to 127.0.0.1:port? */
static int
test_port_open(int port)
{
	struct sockaddr_in	sa;
	int			fd, ok;

	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) == -1)
		return 0;
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ok = connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0;
	close(fd);
	return ok;
}

/* Start moto_server on a free loopback port and wait until it answers. */
int
moto_start(struct moto *m, char **why)
{
	char	*bin, portstr[16];
	int	 i, fd, status;

	memset(m, 0, sizeof *m);
	if ((bin = test_which("moto_server")) == NULL) {
		*why = xstrdup("moto_server is not installed");
		return -1;
	}
	m->port = test_free_port();
	snprintf(portstr, sizeof portstr, "%d", m->port);
	snprintf(m->url, sizeof m->url, "http://127.0.0.1:%d", m->port);
	snprintf(m->logpath, sizeof m->logpath, "/tmp/latticectl-moto-%d.log",
	    m->port);
	if ((m->pid = fork()) == 0) {
		fd = open(m->logpath, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (fd != -1) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		execl(bin, "moto_server", "-H", "127.0.0.1", "-p", portstr,
		    (char *)NULL);
		_exit(127);
	}
	free(bin);
	for (i = 0; i < 300; i++) {
		if (test_port_open(m->port))
			return 0;
		if (waitpid(m->pid, &status, WNOHANG) == m->pid) {
			m->pid = 0;
			xasprintf(why, "moto_server exited at start (see %s)",
			    m->logpath);
			return -1;
		}
		time_sleep_ms(100);
	}
	moto_stop(m);
	xasprintf(why, "moto_server did not listen within 30 s");
	return -1;
}

/* Stop moto_server by its PID (TERM, then KILL). */
void
moto_stop(struct moto *m)
{
	int	i, status;

	if (m->pid <= 0)
		return;
	kill(m->pid, SIGTERM);
	for (i = 0; i < 50; i++) {
		if (waitpid(m->pid, &status, WNOHANG) == m->pid) {
			m->pid = 0;
			return;
		}
		time_sleep_ms(100);
	}
	kill(m->pid, SIGKILL);
	waitpid(m->pid, &status, 0);
	m->pid = 0;
}

/* A context pointed at moto with dummy keys. */
struct aws *
moto_aws(struct moto *m)
{
	setenv("AWS_ENDPOINT_URL", m->url, 1);
	setenv("AWS_CONFIG_FILE", "/dev/null", 1);
	setenv("AWS_SHARED_CREDENTIALS_FILE", "/dev/null", 1);
	return test_static_aws("moto_aws", "AKIAIOSFODNN7EXAMPLE",
	    "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", 2, 10, 50);
}

/* Allocate the group state and start moto (or say why not). */
int
moto_env_setup(void **state, const char *name, size_t size)
{
	struct moto_env	*e = xcalloc(1, size);

	e->name = name;
	if (moto_start(&e->moto, &e->why) != 0)
		printf("SKIP: %s: %s\n", name, e->why);
	else
		e->aws = moto_aws(&e->moto);
	*state = e;
	return 0;
}

/* The group state, or skip the test. */
void *
moto_env_get(void **state)
{
	struct moto_env	*e = *state;

	if (e->aws == NULL)
		skip();
	return e;
}

/* Record op as exercised (once). */
void
moto_env_op(struct moto_env *e, const char *op)
{
	size_t	i;

	for (i = 0; i < e->n_ops; i++) {
		if (strcmp(e->ops[i], op) == 0)
			return;
	}
	if (e->n_ops < MOTO_ENV_MAX_OPS)
		e->ops[e->n_ops++] = op;
}

/* Fail with the aws_error text unless rc is 0; else note op. */
void
moto_env_ok(struct moto_env *e, int rc, struct aws_error *err,
    const char *op)
{
	char	*s;

	if (rc != 0) {
		s = aws_error_string(err);
		fail_msg("%s: %s", op, s);
		free(s);
	}
	aws_error_clear(err);
	moto_env_op(e, op);
}

/* Print what ran (wrapped), stop moto and free the state. */
int
moto_env_teardown(void **state)
{
	struct moto_env	*e = *state;
	size_t		 i, col = 72;

	if (e->aws != NULL) {
		printf("%s: %zu operations exercised against moto:", e->name,
		    e->n_ops);
		for (i = 0; i < e->n_ops; i++) {
			if (col + 1 + strlen(e->ops[i]) > 72) {
				printf("\n ");
				col = 1;
			} else {
				printf(" ");
				col++;
			}
			col += (size_t)printf("%s", e->ops[i]);
		}
		printf("\n");
		aws_free(e->aws);
		moto_stop(&e->moto);
	}
	free(e->why);
	free(e);
	*state = NULL;
	return 0;
}

/* Read a whole file; caller frees. */
char *
test_read_file(const char *path, size_t *lenp)
{
	FILE	*f;
	char	*buf;
	long	 len;

	if ((f = fopen(path, "rb")) == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = xmalloc((size_t)len + 1);
	if (len > 0 && fread(buf, 1, (size_t)len, f) != (size_t)len) {
		free(buf);
		fclose(f);
		return NULL;
	}
	buf[len] = '\0';
	fclose(f);
	if (lenp != NULL)
		*lenp = (size_t)len;
	return buf;
}

/* Write text to path with mode. */
int
test_write_file(const char *path, const char *text, int mode)
{
	int	fd;
	size_t	len = strlen(text);

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
	if (fd == -1)
		return -1;
	if (write(fd, text, len) != (ssize_t)len) {
		close(fd);
		return -1;
	}
	fchmod(fd, (mode_t)mode);
	return close(fd);
}

/* Run argv (PATH lookup, our stdin) and collect its standard output. */
char *
test_run_capture(char *const argv[], size_t *lenp)
{
	struct proc_opts	 o;
	struct proc_result	 res;
	char			*out = NULL;

	memset(&o, 0, sizeof o);
	o.argv = argv;
	o.stdin_mode = PROC_STDIN_INHERIT;
	o.max_output = SIZE_MAX;
	if (proc_run(&o, &res, NULL) == 0 && proc_check(&res, NULL) == 0) {
		out = res.out;
		if (lenp != NULL)
			*lenp = res.out_len;
		res.out = NULL;
	}
	proc_result_free(&res);
	return out;
}

/* Run python3 -c script args... with a clean AWS environment. */
int
test_python(const char *script, char *const *args, char **out)
{
	static char		*env[] = { "AWS_CONFIG_FILE=/dev/null",
	    "AWS_SHARED_CREDENTIALS_FILE=/dev/null",
	    "AWS_EC2_METADATA_DISABLED=true",
	    "AWS_STS_REGIONAL_ENDPOINTS=regional", NULL };
	static char		*unset[] = { "AWS_*", NULL };
	struct proc_opts	 o;
	struct proc_result	 res;
	char			**argv;
	size_t			  n = 0, i;
	int			  rc;

	while (args != NULL && args[n] != NULL)
		n++;
	argv = xcalloc(n + 4, sizeof *argv);
	argv[0] = "python3";
	argv[1] = "-c";
	argv[2] = (char *)script;
	for (i = 0; i < n; i++)
		argv[3 + i] = args[i];
	memset(&o, 0, sizeof o);
	o.argv = argv;
	o.env = env;
	o.unset = unset;
	o.max_output = SIZE_MAX;
	rc = proc_run(&o, &res, NULL) == 0 && res.exited ? res.status : -1;
	free(argv);
	*out = res.out;
	return rc;
}

/* Whether python3 can import botocore. */
int
test_have_botocore(void)
{
	char	*out;
	int	 rc;

	rc = test_python("import botocore.session", NULL, &out);
	free(out);
	return rc == 0;
}

/* nftw callback removing one entry. */
static int
test_rm_entry(const char *path, const struct stat *sb, int flag,
    struct FTW *f)
{
	return remove(path);
}

/* Remove a temporary tree and free its path. */
void
test_rm_tree(char *dir)
{
	if (dir != NULL && nftw(dir, test_rm_entry, 16,
	    FTW_DEPTH | FTW_PHYS) != 0 && errno != ENOENT)
		fprintf(stderr, "cleanup of %s failed\n", dir);
	free(dir);
}

/* The time_t at arg. */
time_t
test_fixed_clock(void *arg)
{
	return *(time_t *)arg;
}

/* Does the form body contain exactly "key=value"? */
int
test_form_has(const char *body, const char *kv)
{
	size_t		 len = strlen(kv);
	const char	*p = body;

	while ((p = strstr(p, kv)) != NULL) {
		if ((p == body || p[-1] == '&') &&
		    (p[len] == '\0' || p[len] == '&'))
			return 1;
		p++;
	}
	return 0;
}

/* A fresh temporary directory. */
char *
test_tmpdir(void)
{
	char	*t = xstrdup("/tmp/latticectl-test-XXXXXX");

	if (mkdtemp(t) == NULL)
		abort();
	return t;
}

/* ../shared/reference from the repo root, or NULL. */
const char *
test_reference_dir(void)
{
	static const char	*cands[] = {
		"../shared/reference", "../../shared/reference",
		NULL
	};
	const char		*env = getenv("LATTICECTL_REFERENCE");
	struct stat		 sb;
	size_t			 i;

	if (env != NULL && stat(env, &sb) == 0)
		return env;
	for (i = 0; cands[i] != NULL; i++) {
		if (stat(cands[i], &sb) == 0 && S_ISDIR(sb.st_mode))
			return cands[i];
	}
	return NULL;
}
