/*
 * The simulator (practice mode and the backbone of the tests): one
 * process serving a Kubernetes API and an AWS endpoint on loopback.
 *
 * struct sim is the composition: it owns the kube part (sim_kube_*), the
 * AWS part (sim_aws_*), the fault settings and the servers. Each part
 * guards its own state with its own mutex. The simulator must never share
 * request building or response parsing with the clients in src/aws or
 * src/kube: it may use core, net (httpd) and the SigV4 primitives only.
 */
#ifndef LATTICECTL_SIM_H
#define LATTICECTL_SIM_H

#include <stdio.h>

#include <cjson/cJSON.h>

#include "latticectl/httpd.h"

struct sim_kube;
struct sim_aws;

/* Fault injection knobs shared by both parts (parsed from --faults). */
struct sim_faults {
	double		throttle_rate[8];	/* per AWS family, 0..1 */
	double		error_rate;		/* random 5xx, 0..1 */
	unsigned	latency_ms;		/* added to every request */
	unsigned	watch_drop_s;		/* drop watches every N s, 0 = never */
};

/* Identity of the simulated account (seeded lab). */
#define SIM_ACCOUNT_ID	"123456789012"
#define SIM_REGION	"us-west-2"
#define SIM_ACCESS_KEY	"AKIASIMULATOR0000001"
#define SIM_SECRET_KEY	"sim/secret/key/not/a/real/one/0000000000"

struct sim;

/* What `latticectl sim` (and demo) ask for. */
struct sim_opts {
	const char	*listen;	/* Kubernetes API, "127.0.0.1:0" */
	const char	*aws_listen;	/* AWS; NULL: same host, port + 1 (or 0) */
	int		 no_tls;	/* plain http and anonymous kube access */
	const char	*state_file;	/* load at start, save on request */
	const char	*faults;	/* --faults spec (see sim_aws.h) */
	const char	*dir;		/* where the kubeconfig goes; NULL: temp */
	unsigned	 delay_ms;	/* AWS create/delete/health delays */
	const char	*record;	/* --record FILE (sim_record.h), or NULL */
	const char *const *writers;	/* --writer NAMEs, NULL-ended, or NULL */
};

/* Start both servers (loading the state file when it exists). */
int	 sim_start(const struct sim_opts *, struct sim **, char **cause);
/* Save the state file atomically (mode 0600); no-op without one. */
int	 sim_save(struct sim *, char **cause);
/* Stop the servers and free everything (does not save). */
void	 sim_stop(struct sim *);
/* Print the export lines (KUBECONFIG, AWS_ENDPOINT_URL, region, keys). */
void	 sim_print_env(struct sim *, FILE *);
const char *sim_kubeconfig_path(struct sim *);
const char *sim_aws_url(struct sim *);
const char *sim_kube_url(struct sim *);
struct sim_kube *sim_kube_of(struct sim *);
struct sim_aws *sim_aws_of(struct sim *);

#endif
