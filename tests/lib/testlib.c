/* Shared test helpers: canned AWS transport, moto harness, files. */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "latticectl/aws.h"
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

/* A context for protocol tests: static credentials, no files, no IMDS. */
struct aws *
canned_aws(struct canned *c)
{
	struct aws_config	 cfg;
	struct aws_creds	 creds;
	struct aws		*aws;
	char			*cause = NULL;

	if (getenv("AWS_CONFIG_FILE") == NULL)
		setenv("AWS_CONFIG_FILE", "/dev/null", 1);
	if (getenv("AWS_SHARED_CREDENTIALS_FILE") == NULL)
		setenv("AWS_SHARED_CREDENTIALS_FILE", "/dev/null", 1);
	memset(&creds, 0, sizeof creds);
	creds.access_key_id = "AKIDEXAMPLE";
	creds.secret_access_key = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
	creds.source = "static";
	memset(&cfg, 0, sizeof cfg);
	cfg.region = "us-west-2";
	cfg.no_imds = 1;
	cfg.static_creds = &creds;
	aws = aws_new(&cfg, &cause);
	if (aws == NULL) {
		fprintf(stderr, "canned_aws: %s\n", cause);
		abort();
	}
	aws_set_transport(aws, canned_transport, c);
	aws_set_retry(aws, 3, 1, 5);
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
	struct aws_config	 cfg;
	struct aws_creds	 creds;
	struct aws		*aws;
	char			*cause = NULL;

	setenv("AWS_ENDPOINT_URL", m->url, 1);
	setenv("AWS_CONFIG_FILE", "/dev/null", 1);
	setenv("AWS_SHARED_CREDENTIALS_FILE", "/dev/null", 1);
	memset(&creds, 0, sizeof creds);
	creds.access_key_id = "AKIAIOSFODNN7EXAMPLE";
	creds.secret_access_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
	creds.source = "static";
	memset(&cfg, 0, sizeof cfg);
	cfg.region = "us-west-2";
	cfg.no_imds = 1;
	cfg.static_creds = &creds;
	aws = aws_new(&cfg, &cause);
	if (aws == NULL) {
		fprintf(stderr, "moto_aws: %s\n", cause);
		abort();
	}
	aws_set_retry(aws, 2, 10, 50);
	return aws;
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

/* Run argv with execvp and collect its standard output. */
char *
test_run_capture(char *const argv[], size_t *lenp)
{
	struct strbuf	 sb;
	char		 buf[65536];
	ssize_t		 n;
	pid_t		 pid;
	int		 fds[2], status;

	if (pipe(fds) == -1)
		return NULL;
	if ((pid = fork()) == 0) {
		dup2(fds[1], 1);
		close(fds[0]);
		close(fds[1]);
		execvp(argv[0], argv);
		_exit(127);
	}
	close(fds[1]);
	strbuf_init(&sb);
	while ((n = read(fds[0], buf, sizeof buf)) > 0 ||
	    (n == -1 && errno == EINTR)) {
		if (n > 0)
			strbuf_add(&sb, buf, (size_t)n);
	}
	close(fds[0]);
	if (pid == -1 || waitpid(pid, &status, 0) != pid ||
	    !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		strbuf_free(&sb);
		return NULL;
	}
	return strbuf_detach(&sb, lenp);
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
