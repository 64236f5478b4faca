/*
 * sim_kube: the simulated Kubernetes API server (practice mode and the
 * backbone of the tests). It is an httpd handler (sim_kube_handle) over an
 * in-memory object store: discovery and a minimal OpenAPI v3 so kubectl
 * validates, built-in kinds and any CRD applied at runtime, list/watch
 * with selectors, paging, bookmarks and a bounded history, create/update
 * with optimistic concurrency, merge/JSON/strategic patches, basic
 * server-side apply, /status, finalizers, namespace deletion, bearer-token
 * auth (static tokens, EKS tokens through a verifier callback) and small
 * controllers (Deployment -> Pods, Service + Pods -> EndpointSlices) on a
 * background thread.
 *
 * Threads: one mutex guards all state; handlers run on the server's
 * connection threads and block only in watch streams (<= 0.5 s per call).
 *
 * Ownership: sim_kube copies every string of its options. sim_kube_save
 * returns a tree the caller frees; sim_kube_load copies from its argument.
 * Stop the httpd serving sim_kube_handle (or call sim_kube_shutdown and
 * wait for the streams to end) before sim_kube_free.
 */
#ifndef LATTICECTL_SIM_KUBE_H
#define LATTICECTL_SIM_KUBE_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "latticectl/httpd.h"

struct sim_kube;

/* Verify an EKS token ("k8s-aws-v1.<base64url presigned STS URL>"):
 * return 0 and set *username (caller frees, e.g. the IAM ARN), or -1
 * with *cause (never containing the token). */
typedef int (*sim_kube_verify_eks_fn)(void *arg, const char *token,
    char **username, char **cause);

struct sim_kube_opts {
	const char *const	*tokens;	/* bearer tokens, NULL-ended */
	int			 anonymous;	/* allow requests without one */
	sim_kube_verify_eks_fn	 verify_eks;	/* NULL: EKS tokens refused */
	void			*verify_eks_arg;
	/* Controllers and watches; 0 picks the default in brackets. */
	unsigned		 pod_ready_ms;	/* Pending -> Ready [500] */
	unsigned		 pod_terminate_ms; /* graceful delete [200] */
	unsigned		 tick_ms;	/* controller period [100] */
	unsigned		 history;	/* events per resource [1000] */
	unsigned		 bookmark_ms;	/* idle BOOKMARKs [10000] */
	size_t			 max_objects;	/* per resource [100000] */
	unsigned		 watch_wait_ms;	/* wait per stream read [500] */
	int			 no_controllers; /* no background thread */
	int			 no_seed;	/* no seeded namespaces */
};

/* Fault knobs (mapped from struct sim_faults by the composition). */
struct sim_kube_faults {
	unsigned	 watch_drop_s;	/* end watches after N s; 0: never */
	unsigned	 latency_ms;	/* added to every API request */
	double		 error_rate;	/* 0..1: random 500 InternalError */
};

/* A new server state; starts the controller thread unless disabled. */
struct sim_kube	*sim_kube_new(const struct sim_kube_opts *);
/* Stop the controller thread, end watches, free everything. */
void		 sim_kube_free(struct sim_kube *);
/* End every watch stream and refuse new ones (shutdown begins). */
void		 sim_kube_shutdown(struct sim_kube *);
void		 sim_kube_set_faults(struct sim_kube *,
		    const struct sim_kube_faults *);
/* The httpd handler; arg is the struct sim_kube *. Never fails. */
void		 sim_kube_handle(void *arg, const struct httpd_request *,
		    struct httpd_response *);
/* One controller pass, synchronously (tests, no_controllers mode). */
void		 sim_kube_reconcile(struct sim_kube *);

/* State file: every stored object and the resourceVersion counter. */
cJSON		*sim_kube_save(struct sim_kube *);
/* Replace the state with a saved one (CRDs re-registered). */
int		 sim_kube_load(struct sim_kube *, const cJSON *, char **cause);

/* In-process request without HTTP (seeding, tests): method, path with
 * optional "?query", JSON/YAML body (may be NULL), content type (NULL:
 * application/json). Returns the HTTP status; *out (may be NULL) gets the
 * response body (caller frees). Runs as an authenticated admin. */
int		 sim_kube_request(struct sim_kube *, const char *method,
		    const char *path, const char *body, const char *ctype,
		    char **out);

#endif
