/* metrics_server: /metrics, /healthz and /readyz over httpd. */
#include <stdlib.h>
#include <string.h>

#include "latticectl/error.h"
#include "latticectl/httpd.h"
#include "latticectl/metrics.h"
#include "latticectl/xmalloc.h"

/* What one listener serves. */
struct metrics_listener {
	struct metrics_server	*srv;
	struct httpd		*hd;
	int			 metrics;	/* serves /metrics */
	int			 health;	/* serves /healthz, /readyz */
};

struct metrics_server {
	struct metrics_server_opts	 o;
	struct metrics_listener		 l[2];	/* metrics, health */
};

/* A plain-text answer. */
static void
metrics_reply(struct httpd_response *resp, int status, const char *text)
{
	resp->status = status;
	http_headers_set(&resp->headers, "Content-Type",
	    "text/plain; charset=utf-8");
	strbuf_adds(&resp->body, text);
}

/* Answer a probe from its check function. */
static void
metrics_probe(struct metrics_server *srv, metrics_check_fn fn,
    struct httpd_response *resp)
{
	char	*why = NULL;

	if (fn == NULL || fn(srv->o.check_arg, &why) == 0) {
		metrics_reply(resp, 200, "ok\n");
		free(why);
		return;
	}
	metrics_reply(resp, 503, "not ok: ");
	strbuf_adds(&resp->body, why != NULL ? why : "unknown");
	strbuf_addc(&resp->body, '\n');
	free(why);
}

/* The handler shared by both listeners. */
static void
metrics_handle(void *arg, const struct httpd_request *req,
    struct httpd_response *resp)
{
	struct metrics_listener	*l = arg;
	struct metrics_server	*srv = l->srv;

	if (strcmp(req->method, "GET") != 0 &&
	    strcmp(req->method, "HEAD") != 0) {
		metrics_reply(resp, 405, "method not allowed\n");
		http_headers_set(&resp->headers, "Allow", "GET, HEAD");
		return;
	}
	if (l->metrics && strcmp(req->path, "/metrics") == 0) {
		resp->status = 200;
		http_headers_set(&resp->headers, "Content-Type",
		    METRICS_CONTENT_TYPE);
		metrics_render(srv->o.metrics, &resp->body);
	} else if (l->health && strcmp(req->path, "/healthz") == 0)
		metrics_probe(srv, srv->o.healthz, resp);
	else if (l->health && strcmp(req->path, "/readyz") == 0)
		metrics_probe(srv, srv->o.readyz, resp);
	else
		metrics_reply(resp, 404, "not found\n");
}

/* Start one listener. */
static int
metrics_listen(struct metrics_server *srv, struct metrics_listener *l,
    const char *addr, char **cause)
{
	struct httpd_opts	ho;

	memset(&ho, 0, sizeof ho);
	ho.listen = addr;
	ho.max_body = 4096;
	ho.timeout_s = 30;
	l->srv = srv;
	if ((l->hd = httpd_start(&ho, metrics_handle, l, cause)) == NULL)
		return error_wrap(cause, "%s server", l->metrics ? "metrics" :
		    "health");
	return 0;
}

/* Start the metrics and health listeners. */
struct metrics_server *
metrics_server_start(const struct metrics_server_opts *o, char **cause)
{
	struct metrics_server	*srv = xcalloc(1, sizeof *srv);
	int			 shared;

	srv->o = *o;
	shared = o->metrics_addr != NULL && o->health_addr != NULL &&
	    strcmp(o->metrics_addr, o->health_addr) == 0;
	if (o->metrics_addr != NULL && o->metrics == NULL) {
		free(srv);
		error_set(cause, "metrics server: no registry");
		return NULL;
	}
	srv->l[0].metrics = o->metrics_addr != NULL;
	srv->l[0].health = shared;
	srv->l[1].health = o->health_addr != NULL && !shared;
	if ((srv->l[0].metrics &&
	    metrics_listen(srv, &srv->l[0], o->metrics_addr, cause) != 0) ||
	    (srv->l[1].health &&
	    metrics_listen(srv, &srv->l[1], o->health_addr, cause) != 0)) {
		metrics_server_stop(srv);
		return NULL;
	}
	return srv;
}

/* The bound port of a listener, or -1. */
int
metrics_server_port(const struct metrics_server *srv, int health)
{
	if (!health)
		return srv->l[0].hd != NULL ? httpd_port(srv->l[0].hd) : -1;
	if (srv->l[0].health && srv->l[0].hd != NULL)
		return httpd_port(srv->l[0].hd);
	return srv->l[1].hd != NULL ? httpd_port(srv->l[1].hd) : -1;
}

/* Stop the listeners and free. */
void
metrics_server_stop(struct metrics_server *srv)
{
	if (srv == NULL)
		return;
	httpd_stop(srv->l[0].hd);
	httpd_stop(srv->l[1].hd);
	free(srv);
}
