/* kube_auth: credentials for API requests: static and file tokens,
 * basic auth, exec credential plugins (cached until expiry or a 401) and
 * the `aws eks get-token` token computed natively. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define LOG_MODULE "kube"
#include "latticectl/aws.h"
#include "latticectl/ekstoken.h"
#include "latticectl/error.h"
#include "latticectl/json.h"
#include "latticectl/kube.h"
#include "latticectl/log.h"
#include "latticectl/proc.h"
#include "latticectl/timeutil.h"
#include "latticectl/xmalloc.h"

#include "kube_conn_int.h"

#define EXEC_API_V1		"client.authentication.k8s.io/v1"
#define EXEC_API_V1BETA1	"client.authentication.k8s.io/v1beta1"
#define EXEC_MAX_OUTPUT		(1024 * 1024)

/* ------------------------------------------------------------------ */
/* exec section parsing                                               */

/* A list of strings into a NULL-terminated vector; -1 when malformed. */
static int
exec_strv(const cJSON *arr, const char *file, const char *what,
    const char *key, char ***out, char **cause)
{
	const cJSON	*v;
	size_t		 n = 0;

	*out = xcalloc((size_t)cJSON_GetArraySize(arr) + 1, sizeof **out);
	if (arr == NULL || cJSON_IsNull(arr))
		return 0;
	if (!cJSON_IsArray(arr))
		return error_set(cause, "%s: %s: exec: %s: not a list", file,
		    what, key);
	cJSON_ArrayForEach(v, arr) {
		if (!cJSON_IsString(v))
			return error_set(cause, "%s: %s: exec: %s: not a list "
			    "of strings", file, what, key);
		(*out)[n++] = xstrdup(v->valuestring);
	}
	return 0;
}

/* The env list ({name, value} pairs) into parallel vectors. */
static int
exec_env(struct kube_exec *x, const cJSON *arr, const char *file,
    const char *what, char **cause)
{
	const cJSON	*v;
	const char	*name, *value;
	size_t		 n = 0, cap;

	cap = (size_t)cJSON_GetArraySize(arr) + 1;
	x->env_names = xcalloc(cap, sizeof *x->env_names);
	x->env_values = xcalloc(cap, sizeof *x->env_values);
	if (arr == NULL || cJSON_IsNull(arr))
		return 0;
	if (!cJSON_IsArray(arr))
		return error_set(cause, "%s: %s: exec: env: not a list", file,
		    what);
	cJSON_ArrayForEach(v, arr) {
		name = json_str(v, "name");
		value = json_str(v, "value");
		if (name == NULL || *name == '\0' || strchr(name, '=') != NULL)
			return error_set(cause, "%s: %s: exec: env[%zu]: name: "
			    "missing or invalid", file, what, n);
		x->env_names[n] = xstrdup(name);
		x->env_values[n++] = xstrdup(value != NULL ? value : "");
	}
	return 0;
}

/* The value an exec env entry sets for name, or NULL. */
static const char *
exec_env_get(const struct kube_exec *x, const char *name)
{
	const char	*v = NULL;
	size_t		 i;

	for (i = 0; x->env_names != NULL && x->env_names[i] != NULL; i++) {
		if (strcmp(x->env_names[i], name) == 0)
			v = x->env_values[i];
	}
	return v;
}

/* interactiveMode; v1 requires it, v1beta1 defaults to IfAvailable. */
static int
exec_interactive(struct kube_exec *x, const cJSON *exec, const char *file,
    const char *what, char **cause)
{
	const char	*m;

	m = json_str(exec, "interactiveMode");
	if (m == NULL || *m == '\0') {
		if (strcmp(x->api_version, EXEC_API_V1) == 0)
			return error_set(cause, "%s: %s: exec: "
			    "interactiveMode: required for %s", file, what,
			    EXEC_API_V1);
		x->interactive = KUBE_INTERACTIVE_IFAVAILABLE;
	} else if (strcmp(m, "Never") == 0)
		x->interactive = KUBE_INTERACTIVE_NEVER;
	else if (strcmp(m, "IfAvailable") == 0)
		x->interactive = KUBE_INTERACTIVE_IFAVAILABLE;
	else if (strcmp(m, "Always") == 0)
		x->interactive = KUBE_INTERACTIVE_ALWAYS;
	else
		return error_set(cause, "%s: %s: exec: interactiveMode: \"%s\" "
		    "is not Never, IfAvailable or Always", file, what, m);
	return 0;
}

/* Free an exec configuration. */
static void
exec_free(struct kube_exec *x)
{
	if (x == NULL)
		return;
	free(x->command);
	kube_conn_strv_free(x->args);
	kube_conn_strv_free(x->env_names);
	kube_conn_strv_free(x->env_values);
	free(x->api_version);
	free(x->install_hint);
	free(x);
}

/* Free the parsed EKS settings and their AWS context. */
static void
eks_free(struct kube_eks *e)
{
	if (e == NULL)
		return;
	free(e->cluster);
	free(e->region);
	free(e->profile);
	aws_creds_clear(&e->keys);
	aws_free(e->aws);
	free(e);
}

/* Free auth state owned by the connection. */
void
kube_auth_free(struct kube_conn *c)
{
	exec_free(c->exec);
	c->exec = NULL;
	eks_free(c->eks);
	c->eks = NULL;
	kube_creds_clear(&c->cached);
	free(c->file_token);
	c->file_token = NULL;
}

/* ------------------------------------------------------------------ */
/* `aws eks get-token` recognition                                    */

/* An option value: "--opt=v" or "--opt v"; advances *i. NULL if absent. */
static const char *
eks_optval(char **args, size_t *i, const char *opt)
{
	size_t	len = strlen(opt);

	if (strncmp(args[*i], opt, len) != 0)
		return NULL;
	if (args[*i][len] == '=')
		return args[*i] + len + 1;
	if (args[*i][len] != '\0' || args[*i + 1] == NULL)
		return NULL;
	(*i)++;
	return args[*i];
}

/* One argument of the aws command line; 0 handled, -1 not ours. */
static int
eks_arg(struct kube_eks *e, char **args, size_t *i, int *stage)
{
	const char	*v;

	if (*stage == 0 && strcmp(args[*i], "eks") == 0)
		*stage = 1;
	else if (*stage == 1 && strcmp(args[*i], "get-token") == 0)
		*stage = 2;
	else if ((v = eks_optval(args, i, "--region")) != NULL) {
		free(e->region);
		e->region = xstrdup(v);
	} else if ((v = eks_optval(args, i, "--profile")) != NULL) {
		free(e->profile);
		e->profile = xstrdup(v);
		e->explicit_profile = 1;
	} else if (eks_optval(args, i, "--output") != NULL)
		;
	else if (*stage == 2 &&
	    ((v = eks_optval(args, i, "--cluster-name")) != NULL ||
	    (v = eks_optval(args, i, "--cluster-id")) != NULL)) {
		free(e->cluster);
		e->cluster = xstrdup(v);
	} else
		return -1;	/* --role-arn, unknown options: spawn */
	return 0;
}

/* Exec env names the native token understands. */
static int
eks_env_known(const char *name)
{
	static const char *const known[] = { "AWS_PROFILE", "AWS_REGION",
	    "AWS_DEFAULT_REGION", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
	    "AWS_SESSION_TOKEN", "AWS_STS_REGIONAL_ENDPOINTS", NULL };
	size_t	i;

	if (strncmp(name, "AWS_", 4) != 0)
		return 1;
	for (i = 0; known[i] != NULL; i++) {
		if (strcmp(name, known[i]) == 0)
			return 1;
	}
	return 0;
}

/* Apply the exec env (profile, region, keys) to the EKS settings. */
static void
eks_apply_env(struct kube_eks *e, const struct kube_exec *x)
{
	const char	*v, *ak, *sk;

	if (e->region == NULL && ((v = exec_env_get(x, "AWS_REGION")) != NULL ||
	    (v = exec_env_get(x, "AWS_DEFAULT_REGION")) != NULL) && *v != '\0')
		e->region = xstrdup(v);
	if (e->explicit_profile)
		return;
	if ((v = exec_env_get(x, "AWS_PROFILE")) != NULL && *v != '\0')
		e->profile = xstrdup(v);
	ak = exec_env_get(x, "AWS_ACCESS_KEY_ID");
	sk = exec_env_get(x, "AWS_SECRET_ACCESS_KEY");
	v = exec_env_get(x, "AWS_SESSION_TOKEN");
	if ((ak == NULL || sk == NULL) && e->profile != NULL) {
		/* The environment's keys still beat AWS_PROFILE. */
		ak = getenv("AWS_ACCESS_KEY_ID");
		sk = getenv("AWS_SECRET_ACCESS_KEY");
		v = getenv("AWS_SESSION_TOKEN");
	}
	if (ak == NULL || sk == NULL || *ak == '\0' || *sk == '\0')
		return;
	e->keys.access_key_id = xstrdup(ak);
	e->keys.secret_access_key = xstrdup(sk);
	if (v != NULL && *v != '\0')
		e->keys.session_token = xstrdup(v);
	e->keys.source = xstrdup("kubeconfig exec env");
}

/* Recognise `aws [opts] eks get-token --cluster-name X [...]`; NULL
 * when the plugin is something else (or must really be run). */
static struct kube_eks *
eks_detect(const struct kube_exec *x)
{
	struct kube_eks	*e;
	const char	*base;
	size_t		 i;
	int		 stage = 0;

	base = strrchr(x->command, '/');
	base = base != NULL ? base + 1 : x->command;
	if (strcmp(base, "aws") != 0)
		return NULL;
	for (i = 0; x->env_names[i] != NULL; i++) {
		if (!eks_env_known(x->env_names[i]))
			return NULL;
	}
	e = xcalloc(1, sizeof *e);
	for (i = 0; x->args[i] != NULL; i++) {
		if (eks_arg(e, x->args, &i, &stage) != 0)
			break;
	}
	if (x->args[i] != NULL || stage != 2 || e->cluster == NULL) {
		eks_free(e);
		return NULL;
	}
	eks_apply_env(e, x);
	return e;
}

/* Whether the native EKS token is turned off. */
static int
eks_native_disabled(const struct kube_config_opts *opts)
{
	const char	*v;

	if (opts != NULL && opts->no_native_eks_token)
		return 1;
	v = getenv(KUBE_NO_NATIVE_EKS_ENV);
	return v != NULL && (strcmp(v, "1") == 0 || strcasecmp(v, "true") == 0);
}

/* Parse a user's exec section. */
int
kube_exec_parse(struct kube_conn *c, const cJSON *exec, const char *file,
    const char *dir, const char *what, const struct kube_config_opts *opts,
    char **cause)
{
	struct kube_exec	*x;
	const char		*cmd, *api;

	if (!cJSON_IsObject(exec))
		return error_set(cause, "%s: %s: exec: not a mapping", file,
		    what);
	x = c->exec = xcalloc(1, sizeof *x);
	cmd = json_str(exec, "command");
	api = json_str(exec, "apiVersion");
	if (cmd == NULL || *cmd == '\0')
		return error_set(cause, "%s: %s: exec: command: missing", file,
		    what);
	if (api == NULL || (strcmp(api, EXEC_API_V1) != 0 &&
	    strcmp(api, EXEC_API_V1BETA1) != 0))
		return error_set(cause, "%s: %s: exec: apiVersion: \"%s\" is "
		    "not supported (use %s or %s)", file, what, api != NULL ?
		    api : "", EXEC_API_V1, EXEC_API_V1BETA1);
	x->api_version = xstrdup(api);
	if (strchr(cmd, '/') != NULL && *cmd != '/' && dir != NULL)
		xasprintf(&x->command, "%s/%s", dir, cmd);
	else
		x->command = xstrdup(cmd);
	x->install_hint = xstrdup_or_null(json_str(exec, "installHint"));
	x->provide_cluster_info = json_bool(exec, "provideClusterInfo", 0);
	if (exec_strv(cJSON_GetObjectItemCaseSensitive(exec, "args"), file,
	    what, "args", &x->args, cause) != 0 ||
	    exec_env(x, cJSON_GetObjectItemCaseSensitive(exec, "env"), file,
	    what, cause) != 0 ||
	    exec_interactive(x, exec, file, what, cause) != 0)
		return -1;
	c->auth = KUBE_AUTH_EXEC;
	if (!eks_native_disabled(opts) && (c->eks = eks_detect(x)) != NULL) {
		c->auth = KUBE_AUTH_EKS;
		log_debug("%s: %s: `aws eks get-token` for cluster %s is "
		    "computed natively", file, what, c->eks->cluster);
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Running the plugin                                                 */

/* KUBERNETES_EXEC_INFO's cluster part (provideClusterInfo). */
static cJSON *
exec_cluster_info(const struct kube_conn *c)
{
	cJSON	*cl;
	char	*ca, *b64;
	size_t	 len;

	cl = cJSON_CreateObject();
	cJSON_AddStringToObject(cl, "server", c->server);
	json_add_str_opt(cl, "tls-server-name", c->tls_server_name);
	if (c->insecure)
		cJSON_AddTrueToObject(cl, "insecure-skip-tls-verify");
	ca = c->ca_pem != NULL ? xstrdup(c->ca_pem) : c->ca_file != NULL ?
	    kube_read_trimmed(c->ca_file, NULL) : NULL;
	if (ca != NULL) {
		len = strlen(ca);
		b64 = kube_b64_encode(ca, len);
		cJSON_AddStringToObject(cl, "certificate-authority-data", b64);
		free(b64);
		free(ca);
	}
	json_add_str_opt(cl, "proxy-url", c->proxy_url);
	if (c->exec_cluster_config != NULL)
		cJSON_AddItemToObject(cl, "config",
		    cJSON_Duplicate(c->exec_cluster_config, 1));
	return cl;
}

/* The KUBERNETES_EXEC_INFO value (caller frees). */
static char *
exec_info(const struct kube_conn *c, int interactive)
{
	cJSON	*doc, *spec;
	char	*s;

	doc = cJSON_CreateObject();
	cJSON_AddStringToObject(doc, "kind", "ExecCredential");
	cJSON_AddStringToObject(doc, "apiVersion", c->exec->api_version);
	spec = cJSON_AddObjectToObject(doc, "spec");
	cJSON_AddBoolToObject(spec, "interactive", interactive);
	if (c->exec->provide_cluster_info)
		cJSON_AddItemToObject(spec, "cluster", exec_cluster_info(c));
	s = json_print(doc);
	cJSON_Delete(doc);
	return s;
}

/* The variables the plugin gets on top of ours: the kubeconfig's env
 * (the last entry for a name wins) and the exec info. */
static char **
exec_env_extra(const struct kube_exec *x, const char *info)
{
	char	**env;
	size_t	  n = 0, k = 0, i;

	while (x->env_names[n] != NULL)
		n++;
	env = xcalloc(n + 2, sizeof *env);
	for (i = 0; i < n; i++) {
		if (exec_env_get(x, x->env_names[i]) == x->env_values[i])
			xasprintf(&env[k++], "%s=%s", x->env_names[i],
			    x->env_values[i]);
	}
	xasprintf(&env[k++], "KUBERNETES_EXEC_INFO=%s", info);
	return env;
}

/* Check and take an ExecCredential's status into creds. */
static int
exec_parse_output(const struct kube_exec *x, const char *out, size_t len,
    struct kube_creds *cr, char **cause)
{
	struct timespec	 ts;
	const cJSON	*st;
	cJSON		*doc;
	const char	*api, *kind, *exp, *cert, *key, *tok;

	if ((doc = json_parse(out, len, "output", cause)) == NULL)
		return -1;
	api = json_str(doc, "apiVersion");
	kind = json_str(doc, "kind");
	st = cJSON_GetObjectItemCaseSensitive(doc, "status");
	if (kind == NULL || strcmp(kind, "ExecCredential") != 0 ||
	    !cJSON_IsObject(st)) {
		cJSON_Delete(doc);
		return error_set(cause, "output is not an ExecCredential with "
		    "a status");
	}
	if (api == NULL || strcmp(api, x->api_version) != 0) {
		error_set(cause, "output apiVersion \"%s\" is not the "
		    "kubeconfig's \"%s\"", api != NULL ? api : "",
		    x->api_version);
		cJSON_Delete(doc);
		return -1;
	}
	tok = json_str(st, "token");
	cert = json_str(st, "clientCertificateData");
	key = json_str(st, "clientKeyData");
	exp = json_str(st, "expirationTimestamp");
	if ((tok == NULL || *tok == '\0') && (cert == NULL || key == NULL ||
	    *cert == '\0' || *key == '\0')) {
		cJSON_Delete(doc);
		return error_set(cause, "output has neither a token nor "
		    "clientCertificateData and clientKeyData");
	}
	if (exp != NULL && *exp != '\0' && time_parse(exp, &ts) != 0) {
		error_set(cause, "expirationTimestamp \"%s\" is not RFC 3339",
		    exp);
		cJSON_Delete(doc);
		return -1;
	}
	cr->expiry = exp != NULL && *exp != '\0' ? ts.tv_sec : 0;
	if (tok != NULL && *tok != '\0')
		cr->token = xstrdup(tok);
	if (cert != NULL && key != NULL && *cert != '\0' && *key != '\0') {
		cr->cert_pem = xstrdup(cert);
		cr->key_pem = xstrdup(key);
	}
	cJSON_Delete(doc);
	return 0;
}

/* Run the exec plugin once into cr. */
static int
exec_run(struct kube_conn *c, struct kube_creds *cr, char **cause)
{
	const struct kube_exec	 *x = c->exec;
	struct proc_opts	  o;
	struct proc_result	  res;
	char			**argv, **env, *info;
	size_t			  i, n = 0;
	int			  rc, tty, interactive;

	tty = isatty(STDIN_FILENO);
	if (x->interactive == KUBE_INTERACTIVE_ALWAYS && !tty)
		return error_set(cause, "interactiveMode is Always but stdin "
		    "is not a terminal");
	interactive = x->interactive != KUBE_INTERACTIVE_NEVER && tty;
	while (x->args[n] != NULL)
		n++;
	argv = xcalloc(n + 2, sizeof *argv);
	argv[0] = x->command;
	for (i = 0; i < n; i++)
		argv[i + 1] = x->args[i];
	info = exec_info(c, interactive);
	env = exec_env_extra(x, info);
	free(info);
	memset(&o, 0, sizeof o);
	o.argv = argv;
	o.env = env;
	o.stdin_mode = interactive ? PROC_STDIN_INHERIT : PROC_STDIN_NULL;
	o.timeout_ms = c->exec_timeout_ms;
	o.max_output = EXEC_MAX_OUTPUT;
	c->exec_runs++;
	if ((rc = proc_run(&o, &res, cause)) == 0)
		rc = proc_check(&res, cause);
	if (rc == 0)
		rc = exec_parse_output(x, res.out, res.out_len, cr, cause);
	proc_result_free(&res);
	free(argv);
	kube_conn_strv_free(env);
	if (rc == 0) {
		cr->source = "exec";
		return 0;
	}
	error_wrap(cause, "exec plugin %s", x->command);
	if (x->install_hint != NULL && cause != NULL) {
		xasprintf(&info, "%s\n%s", *cause, x->install_hint);
		free(*cause);
		*cause = info;
	}
	return -1;
}

/* ------------------------------------------------------------------ */
/* Native EKS token                                                   */

/* The AWS context for the token: region, profile and keys applied. */
static int
eks_aws(struct kube_eks *e, char **cause)
{
	struct aws_config	cfg;

	if (e->aws != NULL)
		return 0;
	memset(&cfg, 0, sizeof cfg);
	cfg.region = e->region;
	cfg.profile = e->profile;
	if (e->keys.access_key_id != NULL)
		cfg.static_creds = &e->keys;
	if ((e->aws = aws_new(&cfg, cause)) == NULL)
		return -1;
	return 0;
}

/* Sign a fresh EKS token into cr. */
static int
eks_build(struct kube_conn *c, struct kube_creds *cr, char **cause)
{
	struct kube_eks		*e = c->eks;
	struct aws_creds	 ac;
	int			 rc;

	if (eks_aws(e, cause) != 0)
		return error_wrap(cause, "EKS token for cluster %s",
		    e->cluster);
	memset(&ac, 0, sizeof ac);
	if (aws_get_creds(e->aws, &ac, cause) != 0)
		return error_wrap(cause, "EKS token for cluster %s",
		    e->cluster);
	rc = ekstoken_build(&ac, aws_region(e->aws), e->cluster,
	    kube_conn_now(c), &cr->token, &cr->expiry, cause);
	aws_creds_clear(&ac);
	if (rc != 0)
		return error_wrap(cause, "EKS token for cluster %s",
		    e->cluster);
	cr->source = "eks-native";
	return 0;
}

/* ------------------------------------------------------------------ */
/* Credentials                                                        */

/* Free the strings of a credentials snapshot. */
void
kube_creds_clear(struct kube_creds *cr)
{
	if (cr == NULL)
		return;
	free(cr->token);
	free(cr->username);
	free(cr->password);
	free(cr->cert_pem);
	free(cr->key_pem);
	memset(cr, 0, sizeof *cr);
}

/* Copy a snapshot. */
static void
creds_copy(struct kube_creds *dst, const struct kube_creds *src)
{
	dst->token = xstrdup_or_null(src->token);
	dst->username = xstrdup_or_null(src->username);
	dst->password = xstrdup_or_null(src->password);
	dst->cert_pem = xstrdup_or_null(src->cert_pem);
	dst->key_pem = xstrdup_or_null(src->key_pem);
	dst->expiry = src->expiry;
	dst->source = src->source;
}

/* The token from tokenFile, re-read every KUBE_TOKEN_FILE_REREAD_S;
 * falls back to the last good value, then to the static token. */
static int
creds_token_file(struct kube_conn *c, struct kube_creds *cr, char **cause)
{
	char	*tok, *err = NULL;
	time_t	 now;

	now = kube_conn_now(c);
	if (c->file_token == NULL || c->file_read_at == 0 ||
	    now - c->file_read_at >= KUBE_TOKEN_FILE_REREAD_S ||
	    now < c->file_read_at) {
		tok = kube_read_trimmed(c->token_file, &err);
		if (tok != NULL && *tok != '\0') {
			free(c->file_token);
			c->file_token = tok;
		} else {
			log_warn("tokenFile %s", err != NULL ? err :
			    "is empty");
			free(tok);
		}
		free(err);
		c->file_read_at = now;
	}
	if (c->file_token != NULL) {
		cr->token = xstrdup(c->file_token);
		cr->source = c->in_cluster ? "in-cluster" : "tokenFile";
	} else if (c->token != NULL) {
		cr->token = xstrdup(c->token);
		cr->source = "token";
	} else
		return error_set(cause, "tokenFile %s: no token",
		    c->token_file);
	return 0;
}

/* An exec or EKS credential, from the cache while it is fresh. */
static int
creds_cached(struct kube_conn *c, struct kube_creds *cr, char **cause)
{
	time_t	now;
	int	rc;

	now = kube_conn_now(c);
	if (c->have_cached && (c->cached.expiry == 0 ||
	    now < c->cached.expiry)) {
		creds_copy(cr, &c->cached);
		return 0;
	}
	kube_creds_clear(&c->cached);
	c->have_cached = 0;
	if (c->auth == KUBE_AUTH_EKS)
		rc = eks_build(c, &c->cached, cause);
	else
		rc = exec_run(c, &c->cached, cause);
	if (rc != 0) {
		kube_creds_clear(&c->cached);
		if (c->user_name != NULL)
			error_wrap(cause, "user \"%s\"", c->user_name);
		return -1;
	}
	c->have_cached = 1;
	creds_copy(cr, &c->cached);
	return 0;
}

/* Current credentials, refreshed as needed. */
int
kube_conn_creds(struct kube_conn *c, struct kube_creds *cr, char **cause)
{
	int	rc = 0;

	memset(cr, 0, sizeof *cr);
	pthread_mutex_lock(&c->lock);
	switch (c->auth) {
	case KUBE_AUTH_NONE:
		cr->source = c->cert_pem != NULL || c->cert_file != NULL ?
		    "client-cert" : "none";
		break;
	case KUBE_AUTH_TOKEN:
		cr->token = xstrdup(c->token);
		cr->source = "token";
		break;
	case KUBE_AUTH_TOKEN_FILE:
		rc = creds_token_file(c, cr, cause);
		break;
	case KUBE_AUTH_BASIC:
		cr->username = xstrdup(c->username != NULL ? c->username : "");
		cr->password = xstrdup(c->password != NULL ? c->password : "");
		cr->source = "basic";
		break;
	case KUBE_AUTH_EXEC:
	case KUBE_AUTH_EKS:
		rc = creds_cached(c, cr, cause);
		break;
	}
	pthread_mutex_unlock(&c->lock);
	/* Scrubbed from every log line (a server echoing them); values too
	 * short to be real secrets would mask ordinary text. */
	if (rc == 0 && cr->token != NULL && strlen(cr->token) >= 8)
		log_add_secret(cr->token);
	if (rc == 0 && cr->password != NULL && strlen(cr->password) >= 8)
		log_add_secret(cr->password);
	return rc;
}

/* Forget cached credentials (after a 401). */
void
kube_conn_creds_invalidate(struct kube_conn *c)
{
	pthread_mutex_lock(&c->lock);
	kube_creds_clear(&c->cached);
	c->have_cached = 0;
	c->file_read_at = 0;
	pthread_mutex_unlock(&c->lock);
}

/* How requests authenticate. */
const char *
kube_conn_auth_kind(const struct kube_conn *c)
{
	switch (c->auth) {
	case KUBE_AUTH_TOKEN:
		return "token";
	case KUBE_AUTH_TOKEN_FILE:
		return c->in_cluster ? "in-cluster" : "tokenFile";
	case KUBE_AUTH_BASIC:
		return "basic";
	case KUBE_AUTH_EXEC:
		return "exec";
	case KUBE_AUTH_EKS:
		return "eks-native";
	case KUBE_AUTH_NONE:
		break;
	}
	return c->cert_pem != NULL || c->cert_file != NULL ? "client-cert" :
	    "none";
}

/* How many times the exec plugin was started. */
unsigned
kube_conn_exec_runs(const struct kube_conn *c)
{
	return c->exec_runs;
}
