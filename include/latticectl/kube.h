/*
 * The Kubernetes wire layer: kubeconfig and authentication (kube_conn),
 * the REST client (kube_client), typed errors from Status objects
 * (kube_error) and discovery with a cache.
 *
 * kube_conn is a resolved connection: server URL, TLS settings, the auth
 * method and the default namespace, from
 *   - --kubeconfig (one file), else KUBECONFIG (a ':'-separated list merged
 *     by kubectl's rules: for every map key and every named cluster, user
 *     and context, the first file that sets it wins; current-context comes
 *     from the first file that sets it), else ~/.kube/config;
 *   - in-cluster config (service account token, ca.crt, namespace under
 *     KUBE_INCLUSTER_DIR, overridable with the LATTICECTL_INCLUSTER_DIR
 *     environment variable) when no kubeconfig file exists and
 *     KUBERNETES_SERVICE_HOST is set.
 * Auth: token, tokenFile (re-read every KUBE_TOKEN_FILE_REREAD_S), basic
 * auth, client certificate/key (files or -data), exec plugins
 * (client.authentication.k8s.io/v1 and v1beta1, run with argv and a
 * timeout, never through a shell; the ExecCredential is cached until its
 * expirationTimestamp or a 401) and, for `aws eks get-token`, the same
 * token computed natively with ekstoken_build (no process) unless
 * kube_config_opts.no_native_eks_token, LATTICECTL_NO_NATIVE_EKS_TOKEN=1 or
 * --role-arn is given.
 *
 * kube_client speaks JSON to the API server over one http_client (Accept
 * application/json, User-Agent latticectl/VERSION). Every call is
 * thread-safe. A 401 drops cached exec/file credentials and retries the
 * request once. Bearer tokens, passwords and keys are never logged.
 *
 * Ownership:
 *   - kube_conn_load returns a conn the caller owns (kube_conn_free) until
 *     it is handed to kube_client_new, which takes it over (also on
 *     failure). Strings returned by kube_conn_* accessors belong to the
 *     conn.
 *   - struct kube_resource descriptors (KUBE_RES_*) are static; a resolved
 *     copy from kube_resource_resolve points at strings owned by the client
 *     and valid until kube_client_free.
 *   - cJSON trees returned through out-parameters belong to the caller
 *     (cJSON_Delete); input trees are only read.
 *   - char * results (kube_path, versions, resource versions, causes)
 *     belong to the caller (free).
 *   - struct kube_error owns its strings (kube_error_clear); zero it (or
 *     kube_error_clear it) once before first use; every call that takes
 *     one clears it first, so it may be reused without clearing.
 *
 * Owner: helper h10 (src/kube/kubeconfig.c, kube_auth.c, kube_client.c,
 * kube_discovery.c, kube_error.c).
 */
#ifndef LATTICECTL_KUBE_H
#define LATTICECTL_KUBE_H

#include <stddef.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "latticectl/http.h"

#define KUBE_INCLUSTER_DIR	"/var/run/secrets/kubernetes.io/serviceaccount"
#define KUBE_INCLUSTER_DIR_ENV	"LATTICECTL_INCLUSTER_DIR"
#define KUBE_NO_NATIVE_EKS_ENV	"LATTICECTL_NO_NATIVE_EKS_TOKEN"
#define KUBE_TOKEN_FILE_REREAD_S 60	/* tokenFile / in-cluster token */
#define KUBE_EXEC_TIMEOUT_MS	60000	/* default exec plugin timeout */
#define KUBE_LIST_PAGE		500	/* default list page size */

/* ------------------------------------------------------------------ */
/* Resource descriptors                                               */

struct kube_resource {
	const char	*group;		/* "" for the core group */
	const char	*version;	/* "v1", "v1beta1", ... */
	const char	*resource;	/* plural: "httproutes" */
	const char	*kind;		/* "HTTPRoute" */
	int		 namespaced;
	const char	*short_names;	/* comma-separated ("svc"), or NULL */
};

extern const struct kube_resource KUBE_RES_NAMESPACES;
extern const struct kube_resource KUBE_RES_SERVICES;
extern const struct kube_resource KUBE_RES_PODS;
extern const struct kube_resource KUBE_RES_ENDPOINTSLICES;	/* discovery.k8s.io/v1 */
extern const struct kube_resource KUBE_RES_EVENTS;		/* events.k8s.io/v1 */
extern const struct kube_resource KUBE_RES_CORE_EVENTS;	/* v1 */
extern const struct kube_resource KUBE_RES_LEASES;		/* coordination.k8s.io/v1 */
extern const struct kube_resource KUBE_RES_SERVICEACCOUNTS;
extern const struct kube_resource KUBE_RES_DEPLOYMENTS;	/* apps/v1 */
extern const struct kube_resource KUBE_RES_CONFIGMAPS;
extern const struct kube_resource KUBE_RES_SECRETS;
extern const struct kube_resource KUBE_RES_CRDS;		/* apiextensions.k8s.io/v1 */
/* gateway.networking.k8s.io, all v1 (Gateway API v1.5; older CRDs serve
 * some kinds only as v1beta1/v1alpha2: kube_resource_resolve finds out). */
extern const struct kube_resource KUBE_RES_GATEWAYCLASSES;
extern const struct kube_resource KUBE_RES_GATEWAYS;
extern const struct kube_resource KUBE_RES_HTTPROUTES;
extern const struct kube_resource KUBE_RES_GRPCROUTES;
extern const struct kube_resource KUBE_RES_TLSROUTES;
extern const struct kube_resource KUBE_RES_REFERENCEGRANTS;
/* application-networking.k8s.aws */
extern const struct kube_resource KUBE_RES_SERVICEEXPORTS;	/* v1alpha1 */
extern const struct kube_resource KUBE_RES_SERVICEIMPORTS;	/* v1alpha1 */
extern const struct kube_resource KUBE_RES_TARGETGROUPPOLICIES;	/* v1alpha1 */
extern const struct kube_resource KUBE_RES_VPCASSOCIATIONPOLICIES; /* v1alpha1 */
extern const struct kube_resource KUBE_RES_ACCESSLOGPOLICIES;	/* v1alpha1 */
extern const struct kube_resource KUBE_RES_IAMAUTHPOLICIES;	/* v1alpha1 */
extern const struct kube_resource KUBE_RES_SERVICENETWORKS;	/* v1alpha1, cluster */

/* Every descriptor above, in a static NULL-terminated array. */
const struct kube_resource *const *kube_resources(void);
/* Find a descriptor by plural, singular, kind or short name, any case,
 * optionally qualified by group ("httproutes.gateway.networking.k8s.io");
 * NULL when unknown. */
const struct kube_resource *kube_resource_find(const char *name);
/* "v1" for the core group, else "group/version" (caller frees). */
char	*kube_api_version(const struct kube_resource *);
/* "resource.group" (or "resource" for core): the name kubectl and CRDs
 * use (caller frees). */
char	*kube_resource_fullname(const struct kube_resource *);

/* ------------------------------------------------------------------ */
/* Errors                                                             */

struct kube_error {
	long	 status;	/* HTTP status / Status.code; 0 for transport */
	char	*reason;	/* "NotFound", "Conflict", "AlreadyExists", ... */
	char	*message;
	char	*kind;		/* Status.details.kind, or NULL */
	char	*name;		/* Status.details.name, or NULL */
	int	 transport;	/* no HTTP answer (DNS, connect, TLS, cancel) */
	double	 retry_after;	/* seconds from Retry-After, or -1 */
};

void	 kube_error_clear(struct kube_error *);
/* Fill e from a Status object (a response body or a watch ERROR event's
 * object); http_status is used when the object carries no code. Also
 * copes with a non-Status or NULL object (reason from the HTTP status). */
void	 kube_error_from_status(struct kube_error *, const cJSON *status,
	    long http_status);
/* Transport failure: status 0, transport 1, message = cause. */
void	 kube_error_transport(struct kube_error *, const char *cause);
/* "reason (HTTP status): message" or the transport message; caller frees. */
char	*kube_error_string(const struct kube_error *);
int	 kube_error_is_not_found(const struct kube_error *);	/* 404 */
int	 kube_error_is_conflict(const struct kube_error *);	/* 409 Conflict */
int	 kube_error_is_already_exists(const struct kube_error *); /* 409 */
int	 kube_error_is_gone(const struct kube_error *);	/* 410 Expired/Gone */
/* The reason kube-apiserver gives for an HTTP status ("NotFound"), or NULL. */
const char *kube_reason_for_status(long status);

/* ------------------------------------------------------------------ */
/* Connection: kubeconfig, in-cluster, auth                           */

struct kube_config_opts {
	const char	*kubeconfig;	/* --kubeconfig, or NULL: KUBECONFIG */
	const char	*context;	/* --context, or NULL: current-context */
	const char	*ns;		/* -n, or NULL: context's or "default" */
	int		 no_native_eks_token;	/* always spawn `aws eks get-token` */
	long		 exec_timeout_ms;	/* 0: KUBE_EXEC_TIMEOUT_MS */
};

/* A connection built directly (tests, the simulator's own clients). */
struct kube_conn_params {
	const char	*server;	/* https://host:port[/prefix] */
	const char	*ca_pem;	/* or NULL */
	const char	*ca_file;	/* or NULL */
	const char	*token;		/* bearer token, or NULL */
	const char	*cert_pem;	/* client certificate PEM, or NULL */
	const char	*key_pem;
	const char	*ns;		/* NULL: "default" */
	int		 insecure;
	const char	*tls_server_name;
};

/* Credentials as sent on a request (a snapshot, owned by the struct). */
struct kube_creds {
	char	*token;		/* bearer token, or NULL */
	char	*username;	/* basic auth, or NULL */
	char	*password;
	char	*cert_pem;	/* client certificate/key PEM from an exec */
	char	*key_pem;	/* plugin (kubeconfig ones: kube_conn_http_opts) */
	time_t	 expiry;	/* 0: none known */
	const char *source;	/* static: "token", "tokenFile", "exec",
				 * "eks-native", "in-cluster", "basic",
				 * "client-cert", "none" */
};

/* Wall clock override for tests (exec credential and token expiry, token
 * file re-reads, native EKS token signing time). */
typedef time_t (*kube_clock_fn)(void *arg);

struct kube_conn;

/* Resolve a connection from kubeconfig files or in-cluster settings.
 * Errors name the kubeconfig file and the field ("/x/config: user
 * \"u\": exec: apiVersion: unsupported ..."). */
int	 kube_conn_load(const struct kube_config_opts *, struct kube_conn **,
	    char **cause);
/* Like kube_conn_load, from kubeconfig text (fuzzing, tests); filename
 * names it in errors and anchors relative paths (its directory). */
int	 kube_conn_load_text(const char *text, size_t len,
	    const char *filename, const struct kube_config_opts *,
	    struct kube_conn **, char **cause);
/* A connection from explicit parameters. */
struct kube_conn *kube_conn_new(const struct kube_conn_params *);
void	 kube_conn_free(struct kube_conn *);

const char *kube_conn_server(const struct kube_conn *);	/* no trailing '/' */
const char *kube_conn_namespace(const struct kube_conn *);
const char *kube_conn_context(const struct kube_conn *);	/* "" in-cluster */
const char *kube_conn_cluster(const struct kube_conn *);	/* cluster entry name */
const char *kube_conn_user(const struct kube_conn *);	/* user entry name */
/* The kubeconfig file the context came from, or NULL. */
const char *kube_conn_source(const struct kube_conn *);
/* How requests authenticate (kube_creds.source names). */
const char *kube_conn_auth_kind(const struct kube_conn *);
/* The TLS and proxy settings for an http_client (strings owned by conn). */
void	 kube_conn_http_opts(const struct kube_conn *,
	    struct http_client_opts *);
/* Replace the wall clock (NULL restores time()). */
void	 kube_conn_set_clock(struct kube_conn *, kube_clock_fn, void *);

/* Current credentials: cached, or refreshed (token file re-read, exec
 * plugin run, EKS token signed) as needed. Thread-safe. */
int	 kube_conn_creds(struct kube_conn *, struct kube_creds *,
	    char **cause);
/* Forget cached credentials after a 401 (exec output, token file). */
void	 kube_conn_creds_invalidate(struct kube_conn *);
void	 kube_creds_clear(struct kube_creds *);
/* How many times the exec plugin process has been started (tests). */
unsigned kube_conn_exec_runs(const struct kube_conn *);

/* ------------------------------------------------------------------ */
/* REST client                                                        */

struct kube_client;

/* A client over conn (taken over, freed on failure too). */
struct kube_client *kube_client_new(struct kube_conn *, char **cause);
void	 kube_client_free(struct kube_client *);
struct kube_conn *kube_client_conn(struct kube_client *);
/* Trace hook for every exchange (set before sharing the client). */
void	 kube_client_set_trace(struct kube_client *, http_trace_fn, void *);

/* "/api/v1/namespaces/ns/services/name/status" with name and ns
 * percent-encoded; ns NULL (or cluster-scoped resource) omits the
 * namespace part, name NULL the name and subresource. Caller frees. */
char	*kube_path(const struct kube_resource *, const char *ns,
	    const char *name, const char *subresource);

/* GET one object. */
int	 kube_get(struct kube_client *, const struct kube_resource *,
	    const char *ns, const char *name, cJSON **obj, struct kube_error *);

struct kube_list_opts {
	const char	*label_selector;
	const char	*field_selector;
	long		 limit;			/* page size; 0: KUBE_LIST_PAGE */
	const char	*resource_version;	/* first page only; NULL: latest */
};

/* List every page (following continue). (Named kube_list_all because the
 * simulator has an internal kube_list symbol.) *items is an array (caller
 * owns); items lacking apiVersion/kind get them from the list.
 * *resource_version (may be NULL) gets the list's resourceVersion. ns NULL
 * lists all namespaces. opts may be NULL. */
int	 kube_list_all(struct kube_client *, const struct kube_resource *,
	    const char *ns, const struct kube_list_opts *, cJSON **items,
	    char **resource_version, struct kube_error *);

/* For create/update the namespace is ns, else obj's metadata.namespace,
 * else the connection's namespace (namespaced resources only); the name
 * for update is obj's metadata.name. out may be NULL. */
int	 kube_create(struct kube_client *, const struct kube_resource *,
	    const char *ns, const cJSON *obj, cJSON **out, struct kube_error *);
/* PUT; obj carries metadata.resourceVersion (409 Conflict when stale). */
int	 kube_update(struct kube_client *, const struct kube_resource *,
	    const char *ns, const cJSON *obj, cJSON **out, struct kube_error *);
/* PUT .../status. */
int	 kube_update_status(struct kube_client *, const struct kube_resource *,
	    const char *ns, const cJSON *obj, cJSON **out, struct kube_error *);
/* DELETE; propagation NULL, "Foreground", "Background" or "Orphan".
 * 200 and 202 (finalizers pending) both succeed. */
int	 kube_delete(struct kube_client *, const struct kube_resource *,
	    const char *ns, const char *name, const char *propagation,
	    struct kube_error *);

enum kube_patch_type {
	KUBE_PATCH_MERGE,	/* application/merge-patch+json */
	KUBE_PATCH_JSON,	/* application/json-patch+json */
	KUBE_PATCH_STRATEGIC,	/* application/strategic-merge-patch+json */
	KUBE_PATCH_APPLY	/* application/apply-patch+yaml (server-side) */
};

/* PATCH; subresource NULL or "status". field_manager is required for
 * KUBE_PATCH_APPLY (and sent when given for the others); force adds
 * force=true (apply only). out may be NULL. */
int	 kube_patch(struct kube_client *, const struct kube_resource *,
	    const char *ns, const char *name, const char *subresource,
	    enum kube_patch_type, const char *body, const char *field_manager,
	    int force, cJSON **out, struct kube_error *);
const char *kube_patch_content_type(enum kube_patch_type);

/* Any request: path (encoded) and query ("a=b&c=d" or NULL), body and
 * content type may be NULL. A non-2xx answer returns -1 with e filled;
 * on 2xx *out (may be NULL) gets the parsed JSON body (NULL when empty)
 * and *status (may be NULL) the HTTP status. */
int	 kube_request(struct kube_client *, const char *method,
	    const char *path, const char *query, const char *content_type,
	    const char *body, long *status, cJSON **out, struct kube_error *);

/* Streaming GET for watches (no client timeout): on_data gets body bytes
 * as they arrive. Returns 0 when the server ends the body, -1 on a
 * non-2xx answer (e filled from the Status body, e.g. 410), a transport
 * error, on_data returning nonzero, or cancel returning nonzero (these
 * three set e->transport). A 401 (which delivers no body bytes) refreshes
 * credentials and retries once. */
int	 kube_stream(struct kube_client *, const char *path,
	    const char *query, http_data_fn on_data, void *arg,
	    http_cancel_fn cancel, void *cancel_arg, struct kube_error *);

/* ------------------------------------------------------------------ */
/* Discovery                                                          */

/* Which version of group ("" core) serves resource. Versions are tried
 * in Kubernetes priority order (v1 > v1beta2 > v1beta1 > v1alpha2 ...),
 * so gateway.networking.k8s.io v1 wins over v1beta1. Returns 0 with
 * *version (caller frees), 1 when the server does not serve it (*cause
 * says which, e.g. "httproutes.gateway.networking.k8s.io is not served:
 * is its CRD installed?"), -1 on errors. Answers are cached in the
 * client; a miss is re-checked after 10 s. */
int	 kube_discover(struct kube_client *, const char *group,
	    const char *resource, char **version, char **cause);
/* Copy res with version replaced by the discovered one (strings owned by
 * the client). Returns as kube_discover. */
int	 kube_resource_resolve(struct kube_client *,
	    const struct kube_resource *res, struct kube_resource *out,
	    char **cause);
/* Drop the discovery cache (after installing CRDs). */
void	 kube_discovery_invalidate(struct kube_client *);
/* GET /version: gitVersion (caller frees). */
int	 kube_server_version(struct kube_client *, char **git_version,
	    char **cause);

#endif
