/*
 * metrics: a small Prometheus registry (counters, gauges and histograms
 * with fixed buckets, each a family of series told apart by label values)
 * rendered in the text exposition format 0.0.4; a parser for that format
 * (tests, fuzzing, `latticectl` reading a peer's /metrics); trace hooks
 * that count AWS and Kubernetes API calls; and the controller's HTTP
 * endpoints: /metrics on --metrics-addr, /healthz and /readyz on
 * --health-addr (one server when both addresses are equal).
 *
 * Series written by the hooks:
 *   latticectl_aws_api_requests_total{service,operation,code,outcome}
 *   latticectl_aws_api_request_duration_seconds{service,operation}
 *   latticectl_aws_api_retries_total{service,operation}
 *   latticectl_kube_api_requests_total{verb,resource,code,outcome}
 *   latticectl_kube_api_request_duration_seconds{verb,resource}
 *   leader_election_master_status{name}
 * outcome is success, client_error, throttled (HTTP 429), server_error or
 * transport_error; code is the HTTP status ("0" without one). The
 * Kubernetes verb is get/list/create/update/patch/delete/deletecollection
 * (watch when the trace op is "WATCH"); resource is the plural, with
 * "/status" style subresources, "api" for group discovery and
 * "discovery" for /version and /openapi. The reconciler's series are
 * listed in reconcile.h.
 *
 * Output is deterministic: families sorted by name, series by label
 * values. A label-less family always has its one series (0 until used);
 * a labelled family appears once it has a series.
 *
 * Threads: every function is thread-safe. Collectors (functions that set
 * gauges from live state just before rendering) run on the rendering
 * thread without the registry's lock held, so they may update metrics;
 * metrics_remove_collector waits for a running render to finish with it.
 *
 * Ownership: the registry copies names, help texts, labels and values and
 * owns its families (struct metric pointers stay valid until
 * metrics_free). Parsed samples belong to the caller
 * (metrics_samples_free). The server keeps the registry pointer, which
 * must outlive it.
 */
#ifndef LATTICECTL_METRICS_H
#define LATTICECTL_METRICS_H

#include <stddef.h>

#include "latticectl/http.h"
#include "latticectl/strbuf.h"

#define METRICS_CONTENT_TYPE	"text/plain; version=0.0.4; charset=utf-8"
#define METRICS_MAX_LABELS	8

enum metric_type {
	METRIC_COUNTER,
	METRIC_GAUGE,
	METRIC_HISTOGRAM
};

struct metrics;
struct metric;

/* Default histogram buckets (seconds), as the Prometheus clients use. */
extern const double	metrics_default_buckets[];
extern const size_t	metrics_default_nbuckets;

struct metrics *metrics_new(void);
void	 metrics_free(struct metrics *);

/* Register a family, or find it when already registered with the same
 * type and labels. labels is a NULL-terminated list of names (NULL: no
 * labels). Returns NULL (and logs) when the name or a label is invalid or
 * the name is taken by another type or label set. */
struct metric *metrics_counter(struct metrics *, const char *name,
	    const char *help, const char *const *labels);
struct metric *metrics_gauge(struct metrics *, const char *name,
	    const char *help, const char *const *labels);
/* bounds: n increasing finite upper bounds (NULL: the defaults); the
 * +Inf bucket is implied. */
struct metric *metrics_histogram(struct metrics *, const char *name,
	    const char *help, const char *const *labels, const double *bounds,
	    size_t n);

/* Update the series with label values vals (one per label, NULL read as
 * ""; vals may be NULL for a label-less family). A NULL metric is a
 * no-op. inc/add apply to counters and gauges (a counter ignores negative
 * amounts); set to gauges and, for collectors mirroring a count kept
 * elsewhere, counters; observe to histograms. */
void	 metric_inc(struct metric *, const char *const *vals);
void	 metric_add(struct metric *, const char *const *vals, double v);
void	 metric_set(struct metric *, const char *const *vals, double v);
void	 metric_observe(struct metric *, const char *const *vals, double v);
/* A series' value (histograms: its count); 0 when it does not exist. */
double	 metric_get(struct metric *, const char *const *vals);
/* A histogram series' sum; 0 when it does not exist. */
double	 metric_sum(struct metric *, const char *const *vals);
/* Drop a series. */
void	 metric_remove(struct metric *, const char *const *vals);
enum metric_type metric_type(const struct metric *);

typedef void (*metrics_collect_fn)(void *arg);
/* Run fn before every render; returns an id for removal. */
unsigned metrics_add_collector(struct metrics *, metrics_collect_fn,
	    void *arg);
void	 metrics_remove_collector(struct metrics *, unsigned id);

/* Run the collectors and append the exposition text to sb. */
void	 metrics_render(struct metrics *, struct strbuf *);

/* http_trace_fn hooks (arg: the struct metrics *): aws_set_trace and
 * http_client_set_trace for AWS ("service:Operation" op labels),
 * kube_client_set_trace for Kubernetes (verb and resource from the method
 * and path; an op of "WATCH" marks a watch). */
void	 metrics_trace_aws(void *arg, const struct http_trace *);
void	 metrics_trace_kube(void *arg, const struct http_trace *);
/* leader_election_master_status{name} = leader (0 or 1). */
void	 metrics_set_leader(struct metrics *, const char *name, int leader);
/* The outcome label for an exchange (a static string). */
const char *metrics_outcome(long status, int transport_error);

/* ------------------------------------------------------------------ */
/* Exposition format parser                                           */

struct metrics_sample {
	char	*name;		/* as written: "x_bucket" */
	char	*family;	/* the TYPE/HELP family it belongs to */
	char	*type;		/* "counter", "gauge", "histogram",
				 * "summary" or "untyped" */
	char	*help;		/* unescaped, or NULL */
	char   **label_names;
	char   **label_values;	/* unescaped */
	size_t	 nlabels;
	double	 value;
	int	 has_timestamp;
	long long timestamp_ms;
};

/* Parse text format 0.0.4 line by line: HELP and TYPE lines (at most one
 * each per family, before its samples), samples with escaped label values
 * and optional timestamps, families not interleaved, no duplicate series,
 * and for histograms: an le label on every _bucket, increasing bounds,
 * cumulative non-decreasing counts, a le="+Inf" bucket equal to _count,
 * and _sum. Returns 0 with *out (caller frees) and *n, or -1 with
 * *cause ("line N: ..."). */
int	 metrics_parse(const char *text, size_t len,
	    struct metrics_sample **out, size_t *n, char **cause);
void	 metrics_samples_free(struct metrics_sample *, size_t n);
/* The value of label name on a sample, or NULL. */
const char *metrics_sample_label(const struct metrics_sample *,
	    const char *name);
/* Format a sample value the way the renderer does ("+Inf", "1", "0.25"). */
void	 metrics_format_value(double v, char *buf, size_t len);

/* ------------------------------------------------------------------ */
/* HTTP endpoints                                                     */

/* A probe: 0 when healthy/ready, else -1 with *why (caller frees). */
typedef int (*metrics_check_fn)(void *arg, char **why);

struct metrics_server_opts {
	const char		*metrics_addr;	/* "host:port", ":8080"; NULL: none */
	const char		*health_addr;	/* NULL: none; equal: shared */
	struct metrics		*metrics;	/* required with metrics_addr */
	metrics_check_fn	 healthz;	/* NULL: always ok */
	metrics_check_fn	 readyz;	/* NULL: always ok */
	void			*check_arg;
};

struct metrics_server;

/* Start the servers; NULL with *cause when an address cannot be bound. */
struct metrics_server *metrics_server_start(const struct metrics_server_opts *,
	    char **cause);
/* The bound port of the metrics (health 0) or health (1) server; -1 when
 * there is none. */
int	 metrics_server_port(const struct metrics_server *, int health);
/* Stop and free; NULL is a no-op. */
void	 metrics_server_stop(struct metrics_server *);

#endif
