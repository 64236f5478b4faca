/*
 * Private to the kube connection code (kubeconfig.c, kube_auth.c): the
 * resolved connection and its auth state. Every string belongs to the
 * struct kube_conn (kube_conn_free); the credential cache is guarded by
 * conn->lock.
 *
 * Owner: helper h10.
 */
#ifndef LATTICECTL_KUBE_CONN_INT_H
#define LATTICECTL_KUBE_CONN_INT_H

#include <pthread.h>
#include <stddef.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "latticectl/aws.h"
#include "latticectl/kube.h"

enum kube_auth_kind {
	KUBE_AUTH_NONE,
	KUBE_AUTH_TOKEN,	/* static token */
	KUBE_AUTH_TOKEN_FILE,	/* tokenFile or in-cluster (token fallback) */
	KUBE_AUTH_BASIC,
	KUBE_AUTH_EXEC,
	KUBE_AUTH_EKS		/* `aws eks get-token`, computed natively */
};

enum kube_interactive {
	KUBE_INTERACTIVE_NEVER,
	KUBE_INTERACTIVE_IFAVAILABLE,
	KUBE_INTERACTIVE_ALWAYS
};

struct kube_exec {
	char		 *command;	/* resolved against the kubeconfig dir */
	char		**args;		/* NULL-terminated */
	char		**env_names;	/* NULL-terminated, parallel */
	char		**env_values;
	char		 *api_version;
	enum kube_interactive interactive;
	int		  provide_cluster_info;
	char		 *install_hint;
};

/* The parsed arguments of `aws [...] eks get-token ...`. */
struct kube_eks {
	char		*cluster;	/* --cluster-name, or --cluster-id */
	char		*region;	/* --region, exec env AWS_REGION, ... */
	char		*profile;	/* --profile, or exec env AWS_PROFILE */
	int		 explicit_profile;	/* --profile: env keys unused */
	struct aws_creds keys;		/* keys from the exec env, if any */
	struct aws	*aws;		/* made on first use */
};

struct kube_conn {
	char		*server;
	char		*ns;
	char		*context;
	char		*cluster_name;
	char		*user_name;
	char		*source;	/* kubeconfig file of the context */

	char		*ca_file;
	char		*ca_pem;
	char		*cert_file;
	char		*key_file;
	char		*cert_pem;
	char		*key_pem;
	char		*tls_server_name;
	char		*proxy_url;
	int		 insecure;
	char		*user_agent;
	cJSON		*exec_cluster_config;	/* the cluster's reserved
						 * client.authentication.k8s.io/exec
						 * extension, or NULL */

	enum kube_auth_kind auth;
	int		 in_cluster;
	char		*token;
	char		*token_file;
	char		*username;
	char		*password;
	struct kube_exec *exec;
	struct kube_eks	*eks;
	long		 exec_timeout_ms;
	char		*as_user;	/* impersonation */
	char		*as_uid;
	char		**as_groups;	/* NULL-terminated or NULL */

	pthread_mutex_t	 lock;
	char		*file_token;	/* last good tokenFile contents */
	time_t		 file_read_at;	/* 0: read on next use */
	struct kube_creds cached;	/* exec / EKS credential */
	int		 have_cached;
	unsigned	 exec_runs;
	kube_clock_fn	 clock;
	void		*clock_arg;
};

/* An empty connection (lock initialised, namespace "default"). */
struct kube_conn *kube_conn_alloc(void);
/* The connection's wall clock. */
time_t	 kube_conn_now(const struct kube_conn *);
/* Decode base64 (whitespace ignored) to a NUL-terminated buffer; NULL
 * when malformed. *len (may be NULL) gets the decoded length. */
char	*kube_b64_decode(const char *, size_t *len);
/* Encode len bytes as base64 without newlines (caller frees). */
char	*kube_b64_encode(const void *, size_t len);
/* Read a small file, whitespace-trimmed (caller frees); NULL with cause. */
char	*kube_read_trimmed(const char *path, char **cause);
/* Free a NULL-terminated string vector. */
void	 kube_conn_strv_free(char **);
/* Parse the exec section of a user ("user \"u\"" in errors as what);
 * dir anchors a relative command. */
int	 kube_exec_parse(struct kube_conn *, const cJSON *exec,
	    const char *file, const char *dir, const char *what,
	    const struct kube_config_opts *, char **cause);
/* Free auth state (exec, eks, cache). */
void	 kube_auth_free(struct kube_conn *);

#endif
