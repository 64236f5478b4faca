/*
 * A simulated Kubernetes API (sim_kube) served over loopback HTTP in the
 * test process, with a kube_client pointed at it, for the tests of the
 * informer, reconciler helpers, events and leader election. A wrapper
 * handler can refuse watches (to let history expire on purpose), hide the
 * events.k8s.io group and count requests.
 *
 * Static inline functions only.
 */
#ifndef LATTICECTL_TESTS_KSIM_FIXTURE_H
#define LATTICECTL_TESTS_KSIM_FIXTURE_H

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/httpd.h"
#include "latticectl/kube.h"
#include "latticectl/strbuf.h"
#include "../../src/sim/sim_kube.h"

struct ksim {
	struct sim_kube		*sk;
	struct httpd		*hd;
	char			 url[64];
	atomic_int		 block_watch;	/* answer watches with 503 */
	atomic_int		 gone_watch;	/* answer this many with HTTP 410 */
	atomic_int		 no_events_group; /* 404 for events.k8s.io */
	atomic_int		 watches;	/* watch requests seen */
	atomic_int		 puts;		/* PUT requests seen */
	atomic_int		 patches;	/* PATCH requests seen */
};

/* Reply with a Status object. */
static inline void
ksim_status(struct httpd_response *resp, int code, const char *reason)
{
	resp->status = code;
	http_headers_add(&resp->headers, "Content-Type", "application/json");
	strbuf_addf(&resp->body, "{\"kind\":\"Status\",\"apiVersion\":\"v1\","
	    "\"metadata\":{},\"status\":\"Failure\",\"message\":\"%s\","
	    "\"reason\":\"%s\",\"code\":%d}", reason, reason, code);
}

/* The wrapper around sim_kube_handle. */
static inline void
ksim_handler(void *arg, const struct httpd_request *req,
    struct httpd_response *resp)
{
	struct ksim	*x = arg;
	int		 watch;

	watch = strstr(req->query, "watch=1") != NULL ||
	    strstr(req->query, "watch=true") != NULL;
	if (watch)
		atomic_fetch_add(&x->watches, 1);
	if (strcmp(req->method, "PUT") == 0)
		atomic_fetch_add(&x->puts, 1);
	if (strcmp(req->method, "PATCH") == 0)
		atomic_fetch_add(&x->patches, 1);
	if (watch && atomic_load(&x->block_watch)) {
		ksim_status(resp, 503, "ServiceUnavailable");
		return;
	}
	if (watch && atomic_load(&x->gone_watch) > 0) {
		atomic_fetch_sub(&x->gone_watch, 1);
		ksim_status(resp, 410, "Expired");
		return;
	}
	if (atomic_load(&x->no_events_group) &&
	    strncmp(req->path, "/apis/events.k8s.io", 19) == 0) {
		ksim_status(resp, 404, "NotFound");
		return;
	}
	sim_kube_handle(x->sk, req, resp);
}

/* Start a simulator (opts may be NULL) on a free port; 0 ok. */
static inline int
ksim_start(struct ksim *x, const struct sim_kube_opts *opts)
{
	struct sim_kube_opts	 o;
	struct httpd_opts	 ho;
	char			*cause = NULL;

	memset(x, 0, sizeof *x);
	if (opts != NULL)
		o = *opts;
	else
		memset(&o, 0, sizeof o);
	o.anonymous = 1;
	x->sk = sim_kube_new(&o);
	memset(&ho, 0, sizeof ho);
	ho.listen = "127.0.0.1:0";
	if ((x->hd = httpd_start(&ho, ksim_handler, x, &cause)) == NULL) {
		fprintf(stderr, "ksim: %s\n", cause);
		free(cause);
		sim_kube_free(x->sk);
		return -1;
	}
	snprintf(x->url, sizeof x->url, "http://127.0.0.1:%d",
	    httpd_port(x->hd));
	return 0;
}

/* Stop the server and free the simulator. */
static inline void
ksim_stop(struct ksim *x)
{
	sim_kube_shutdown(x->sk);
	httpd_stop(x->hd);
	sim_kube_free(x->sk);
}

/* A new client to the simulator (caller frees). */
static inline struct kube_client *
ksim_client(struct ksim *x)
{
	struct kube_conn_params	 p;
	struct kube_client	*kc;
	char			*cause = NULL;

	memset(&p, 0, sizeof p);
	p.server = x->url;
	if ((kc = kube_client_new(kube_conn_new(&p), &cause)) == NULL) {
		fprintf(stderr, "ksim client: %s\n", cause);
		abort();
	}
	return kc;
}

/* An in-process request; the HTTP status. *out (may be NULL) parsed. */
static inline int
ksim_req(struct ksim *x, const char *method, const char *path,
    const char *body, cJSON **out)
{
	char	*txt = NULL;
	int	 st;

	st = sim_kube_request(x->sk, method, path, body, NULL, &txt);
	if (out != NULL)
		*out = txt != NULL ? cJSON_Parse(txt) : NULL;
	free(txt);
	return st;
}

#endif
