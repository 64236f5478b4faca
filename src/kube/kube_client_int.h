/*
 * Private to the REST client (kube_client.c, kube_discovery.c). The
 * client owns its conn, its http clients (retired ones are kept until
 * kube_client_free, so a request in flight on another thread never sees
 * its client freed) and the discovery cache.
 *
 * Owner: helper h10.
 */
#ifndef LATTICECTL_KUBE_CLIENT_INT_H
#define LATTICECTL_KUBE_CLIENT_INT_H

#include <pthread.h>
#include <stdint.h>

#include "latticectl/http.h"
#include "latticectl/kube.h"

struct kube_disc;

struct kube_client {
	struct kube_conn	 *conn;
	pthread_mutex_t		  lock;		/* http, retired, cert */
	struct http_client	 *http;
	char			 *http_cert;	/* exec cert the client uses */
	struct http_client	**retired;
	size_t			  n_retired;
	http_trace_fn		  trace;
	void			 *trace_arg;

	pthread_mutex_t		  disc_lock;
	struct kube_disc	 *disc;
	char			**interned;	/* resolved versions */
	size_t			  n_interned;
};

/* A JSON exchange: non-2xx answers fill e and return -1. */
int	 kube_client_json(struct kube_client *, const char *method,
	    const char *path, const char *query, const char *ctype,
	    const char *body, long *status, cJSON **out, struct kube_error *);
/* Free the discovery cache (and interned strings when all is set). */
void	 kube_discovery_free(struct kube_client *, int all);
/* Compare two API versions by Kubernetes priority (< 0: a first). */
int	 kube_version_cmp(const char *a, const char *b);

#endif
