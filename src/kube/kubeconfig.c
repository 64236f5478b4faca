/* kubeconfig: load and merge kubeconfig files (kubectl's rules), or the
 * in-cluster settings, into a resolved struct kube_conn. */
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

#define LOG_MODULE "kube"
#include "latticectl/error.h"
#include "latticectl/json.h"
#include "latticectl/kube.h"
#include "latticectl/log.h"
#include "latticectl/strbuf.h"
#include "latticectl/version.h"
#include "latticectl/xmalloc.h"
#include "latticectl/yaml.h"

#include "kube_conn_int.h"

#define KC_MAX_FILE	(16 * 1024 * 1024)

/* The loaded kubeconfig files, in KUBECONFIG order. */
struct kc_files {
	char	**path;
	char	**dir;
	cJSON	**doc;		/* the first document, or NULL when empty */
	size_t	  n;
};

/* An empty connection with its lock and defaults. */
struct kube_conn *
kube_conn_alloc(void)
{
	struct kube_conn	*c;

	c = xcalloc(1, sizeof *c);
	pthread_mutex_init(&c->lock, NULL);
	c->ns = xstrdup("default");
	c->context = xstrdup("");
	c->exec_timeout_ms = KUBE_EXEC_TIMEOUT_MS;
	xasprintf(&c->user_agent, "latticectl/%s", LATTICECTL_VERSION);
	return c;
}

/* Free a connection and everything it owns. */
void
kube_conn_free(struct kube_conn *c)
{
	if (c == NULL)
		return;
	kube_auth_free(c);
	free(c->server);
	free(c->ns);
	free(c->context);
	free(c->cluster_name);
	free(c->user_name);
	free(c->source);
	free(c->ca_file);
	free(c->ca_pem);
	free(c->cert_file);
	free(c->key_file);
	free(c->cert_pem);
	free(c->key_pem);
	free(c->tls_server_name);
	free(c->proxy_url);
	free(c->user_agent);
	cJSON_Delete(c->exec_cluster_config);
	free(c->token);
	free(c->token_file);
	free(c->username);
	free(c->password);
	free(c->as_user);
	free(c->as_uid);
	kube_conn_strv_free(c->as_groups);
	pthread_mutex_destroy(&c->lock);
	free(c);
}

/* Free a NULL-terminated string vector. */
void
kube_conn_strv_free(char **v)
{
	size_t	i;

	if (v == NULL)
		return;
	for (i = 0; v[i] != NULL; i++)
		free(v[i]);
	free(v);
}

/* The server URL, without a trailing slash. */
const char *
kube_conn_server(const struct kube_conn *c)
{
	return c->server;
}

/* The default namespace. */
const char *
kube_conn_namespace(const struct kube_conn *c)
{
	return c->ns;
}

/* The context name ("" in-cluster). */
const char *
kube_conn_context(const struct kube_conn *c)
{
	return c->context;
}

/* The cluster entry's name, or NULL. */
const char *
kube_conn_cluster(const struct kube_conn *c)
{
	return c->cluster_name;
}

/* The user entry's name, or NULL. */
const char *
kube_conn_user(const struct kube_conn *c)
{
	return c->user_name;
}

/* The kubeconfig file the context came from, or NULL. */
const char *
kube_conn_source(const struct kube_conn *c)
{
	return c->source;
}

/* Replace the wall clock (tests). */
void
kube_conn_set_clock(struct kube_conn *c, kube_clock_fn fn, void *arg)
{
	pthread_mutex_lock(&c->lock);
	c->clock = fn;
	c->clock_arg = arg;
	pthread_mutex_unlock(&c->lock);
}

/* The connection's wall clock. */
time_t
kube_conn_now(const struct kube_conn *c)
{
	if (c->clock != NULL)
		return c->clock(c->clock_arg);
	return time(NULL);
}

/* The TLS and proxy settings for an http_client. */
void
kube_conn_http_opts(const struct kube_conn *c, struct http_client_opts *o)
{
	memset(o, 0, sizeof *o);
	o->tls.ca_file = c->ca_file;
	o->tls.ca_pem = c->ca_pem;
	o->tls.cert_file = c->cert_file;
	o->tls.key_file = c->key_file;
	o->tls.cert_pem = c->cert_pem;
	o->tls.key_pem = c->key_pem;
	o->tls.server_name = c->tls_server_name;
	o->tls.insecure = c->insecure;
	o->proxy = c->proxy_url;
	o->user_agent = c->user_agent;
}

/* Decode base64, ignoring whitespace; NULL when malformed. */
char *
kube_b64_decode(const char *in, size_t *lenp)
{
	unsigned char	*out;
	char		*clean;
	size_t		 n = 0, i, pad = 0;
	int		 len;

	clean = xmalloc(strlen(in) + 1);
	for (i = 0; in[i] != '\0'; i++) {
		if (strchr(" \t\r\n", in[i]) == NULL)
			clean[n++] = in[i];
	}
	clean[n] = '\0';
	if (n % 4 != 0) {
		free(clean);
		return NULL;
	}
	if (n > 0 && clean[n - 1] == '=')
		pad++;
	if (n > 1 && clean[n - 2] == '=')
		pad++;
	out = xmalloc(n / 4 * 3 + 1);
	len = EVP_DecodeBlock(out, (unsigned char *)clean, (int)n);
	free(clean);
	if (len < 0 || (size_t)len < pad) {
		free(out);
		return NULL;
	}
	len -= (int)pad;
	out[len] = '\0';
	if (lenp != NULL)
		*lenp = (size_t)len;
	return (char *)out;
}

/* Encode as base64 on one line (caller frees). */
char *
kube_b64_encode(const void *data, size_t len)
{
	unsigned char	*out;

	out = xmalloc((len + 2) / 3 * 4 + 1);
	EVP_EncodeBlock(out, data, (int)len);
	return (char *)out;
}

/* Read a small file, trimmed of surrounding whitespace (caller frees). */
char *
kube_read_trimmed(const char *path, char **cause)
{
	struct strbuf	 sb;
	FILE		*f;
	char		 buf[4096], *s, *start;
	size_t		 n, len;

	if ((f = fopen(path, "r")) == NULL) {
		error_set(cause, "%s: %s", path, strerror(errno));
		return NULL;
	}
	strbuf_init(&sb);
	while ((n = fread(buf, 1, sizeof buf, f)) > 0 && sb.len < KC_MAX_FILE)
		strbuf_add(&sb, buf, n);
	fclose(f);
	s = strbuf_detach(&sb, &len);
	while (len > 0 && strchr(" \t\r\n", s[len - 1]) != NULL)
		s[--len] = '\0';
	for (start = s; *start != '\0' && strchr(" \t\r\n", *start) != NULL;)
		start++;
	memmove(s, start, strlen(start) + 1);
	return s;
}

/* Member key as a string copy (NULL when absent or empty); -1 when it
 * is there but not a string. */
static int
kc_str(const cJSON *obj, const char *key, const char *file,
    const char *what, char **out, char **cause)
{
	const cJSON	*v;

	*out = NULL;
	v = cJSON_GetObjectItemCaseSensitive(obj, key);
	if (v == NULL || cJSON_IsNull(v))
		return 0;
	if (!cJSON_IsString(v))
		return error_set(cause, "%s: %s: %s: not a string", file,
		    what, key);
	if (*v->valuestring != '\0')
		*out = xstrdup(v->valuestring);
	return 0;
}

/* Member key as a boolean (0 when absent); -1 when not a boolean. */
static int
kc_bool(const cJSON *obj, const char *key, const char *file,
    const char *what, int *out, char **cause)
{
	const cJSON	*v;

	*out = 0;
	v = cJSON_GetObjectItemCaseSensitive(obj, key);
	if (v == NULL || cJSON_IsNull(v))
		return 0;
	if (!cJSON_IsBool(v))
		return error_set(cause, "%s: %s: %s: not a boolean", file,
		    what, key);
	*out = cJSON_IsTrue(v);
	return 0;
}

/* A path from the kubeconfig, made absolute against dir (caller frees). */
static char *
kc_resolve(const char *dir, const char *path)
{
	char	*s;

	if (path == NULL)
		return NULL;
	if (*path == '/' || dir == NULL)
		return xstrdup(path);
	xasprintf(&s, "%s/%s", dir, path);
	return s;
}

/* A "-data" member decoded from base64 into *out; -1 when malformed. */
static int
kc_data(const cJSON *obj, const char *key, const char *file,
    const char *what, char **out, char **cause)
{
	char	*b64;

	*out = NULL;
	if (kc_str(obj, key, file, what, &b64, cause) != 0)
		return -1;
	if (b64 == NULL)
		return 0;
	*out = kube_b64_decode(b64, NULL);
	free(b64);
	if (*out == NULL)
		return error_set(cause, "%s: %s: %s: not valid base64", file,
		    what, key);
	return 0;
}

/* Free the loaded files. */
static void
kc_files_free(struct kc_files *f)
{
	size_t	i;

	for (i = 0; i < f->n; i++) {
		free(f->path[i]);
		free(f->dir[i]);
		cJSON_Delete(f->doc[i]);
	}
	free(f->path);
	free(f->dir);
	free(f->doc);
	memset(f, 0, sizeof *f);
}

/* The directory of path (caller frees). */
static char *
kc_dirname(const char *path)
{
	char	*copy, *d;

	copy = xstrdup(path);
	d = xstrdup(dirname(copy));
	free(copy);
	return d;
}

/* Add one file's text (its first document) to the list. */
static int
kc_files_add_text(struct kc_files *f, const char *text, size_t len,
    const char *path, char **cause)
{
	cJSON	*docs, *doc;

	if (yaml_load(text, len, path, &docs, cause) != 0)
		return -1;
	doc = cJSON_DetachItemFromArray(docs, 0);
	cJSON_Delete(docs);
	if (doc != NULL && !cJSON_IsObject(doc)) {
		cJSON_Delete(doc);
		return error_set(cause, "%s: not a kubeconfig (a mapping is "
		    "expected)", path);
	}
	f->path = xreallocarray(f->path, f->n + 1, sizeof *f->path);
	f->dir = xreallocarray(f->dir, f->n + 1, sizeof *f->dir);
	f->doc = xreallocarray(f->doc, f->n + 1, sizeof *f->doc);
	f->path[f->n] = xstrdup(path);
	f->dir[f->n] = kc_dirname(path);
	f->doc[f->n] = doc;
	f->n++;
	return 0;
}

/* Read and add one file; a missing file is skipped unless required. */
static int
kc_files_add(struct kc_files *f, const char *path, int required,
    char **cause)
{
	struct strbuf	 sb;
	FILE		*fp;
	char		 buf[8192];
	size_t		 n, i;
	int		 rc;

	for (i = 0; i < f->n; i++) {
		if (strcmp(f->path[i], path) == 0)
			return 0;
	}
	if ((fp = fopen(path, "r")) == NULL) {
		if (errno == ENOENT && !required)
			return 0;
		return error_set(cause, "%s: %s", path, strerror(errno));
	}
	strbuf_init(&sb);
	while ((n = fread(buf, 1, sizeof buf, fp)) > 0) {
		strbuf_add(&sb, buf, n);
		if (sb.len > KC_MAX_FILE) {
			fclose(fp);
			strbuf_free(&sb);
			return error_set(cause, "%s: file too large", path);
		}
	}
	fclose(fp);
	rc = kc_files_add_text(f, sb.buf, sb.len, path, cause);
	strbuf_free(&sb);
	return rc;
}

/* Load --kubeconfig, else every KUBECONFIG entry, else ~/.kube/config. */
static int
kc_files_load(const struct kube_config_opts *opts, struct kc_files *f,
    char **cause)
{
	const char	*env, *home, *p, *end;
	char		*one;
	int		 rc = 0;

	if (opts->kubeconfig != NULL && *opts->kubeconfig != '\0')
		return kc_files_add(f, opts->kubeconfig, 1, cause);
	env = getenv("KUBECONFIG");
	if (env != NULL && *env != '\0') {
		for (p = env; rc == 0 && *p != '\0';
		    p = *end == '\0' ? end : end + 1) {
			end = strchr(p, ':');
			if (end == NULL)
				end = p + strlen(p);
			if (end == p)
				continue;
			one = xstrndup(p, (size_t)(end - p));
			rc = kc_files_add(f, one, 0, cause);
			free(one);
		}
		return rc;
	}
	if ((home = getenv("HOME")) == NULL || *home == '\0')
		return 0;
	xasprintf(&one, "%s/.kube/config", home);
	rc = kc_files_add(f, one, 0, cause);
	free(one);
	return rc;
}

/* The named entry of a list ("clusters", "users", "contexts") from the
 * first file that has it (*found set, *file its index); returns the inner
 * object (entry[inner]), NULL when the entry has none. */
static const cJSON *
kc_find(const struct kc_files *f, const char *list, const char *inner,
    const char *name, size_t *file, int *found)
{
	const cJSON	*arr, *ent;
	const char	*n;
	size_t		 i;

	*found = 0;
	for (i = 0; i < f->n; i++) {
		arr = cJSON_GetObjectItemCaseSensitive(f->doc[i], list);
		cJSON_ArrayForEach(ent, arr) {
			n = json_str(ent, "name");
			if (n == NULL || strcmp(n, name) != 0)
				continue;
			*file = i;
			*found = 1;
			return cJSON_GetObjectItemCaseSensitive(ent, inner);
		}
	}
	return NULL;
}

/* current-context from the first file that sets it, or NULL. */
static const char *
kc_current_context(const struct kc_files *f)
{
	const char	*s;
	size_t		 i;

	for (i = 0; i < f->n; i++) {
		s = json_str(f->doc[i], "current-context");
		if (s != NULL && *s != '\0')
			return s;
	}
	return NULL;
}

/* Whether the files define anything at all (kubectl's "empty config"). */
static int
kc_files_empty(const struct kc_files *f)
{
	static const char *const keys[] = { "clusters", "users", "contexts",
	    "current-context" };
	size_t	i, k;

	for (i = 0; i < f->n; i++) {
		for (k = 0; k < sizeof keys / sizeof keys[0]; k++) {
			const cJSON *v = cJSON_GetObjectItemCaseSensitive(
			    f->doc[i], keys[k]);
			if (v != NULL && !cJSON_IsNull(v) &&
			    (cJSON_GetArraySize(v) > 0 || cJSON_IsString(v)))
				return 0;
		}
	}
	return 1;
}

/* Every file name, ':'-joined, for errors (caller frees). */
static char *
kc_files_names(const struct kc_files *f)
{
	struct strbuf	sb;
	size_t		i;

	strbuf_init(&sb);
	for (i = 0; i < f->n; i++)
		strbuf_addf(&sb, "%s%s", i > 0 ? ":" : "", f->path[i]);
	return strbuf_detach(&sb, NULL);
}

/* Keep the cluster's reserved exec extension for provideClusterInfo. */
static void
kc_exec_extension(struct kube_conn *c, const cJSON *cl)
{
	const cJSON	*exts, *e;
	const char	*name;

	exts = cJSON_GetObjectItemCaseSensitive(cl, "extensions");
	cJSON_ArrayForEach(e, exts) {
		name = json_str(e, "name");
		if (name == NULL ||
		    strcmp(name, "client.authentication.k8s.io/exec") != 0)
			continue;
		cJSON_Delete(c->exec_cluster_config);
		c->exec_cluster_config = cJSON_Duplicate(
		    cJSON_GetObjectItemCaseSensitive(e, "extension"), 1);
		return;
	}
}

/* The cluster entry: server, CA, TLS name, proxy, insecure. */
static int
kc_cluster(struct kube_conn *c, const cJSON *cl, const char *file,
    const char *dir, char **cause)
{
	char	 what[256], *ca = NULL;
	size_t	 len;

	snprintf(what, sizeof what, "cluster \"%s\"", c->cluster_name);
	if (!cJSON_IsObject(cl))
		return error_set(cause, "%s: %s: cluster: missing", file, what);
	if (kc_str(cl, "server", file, what, &c->server, cause) != 0 ||
	    kc_str(cl, "certificate-authority", file, what, &ca, cause) != 0 ||
	    kc_data(cl, "certificate-authority-data", file, what, &c->ca_pem,
	    cause) != 0 ||
	    kc_bool(cl, "insecure-skip-tls-verify", file, what, &c->insecure,
	    cause) != 0 ||
	    kc_str(cl, "tls-server-name", file, what, &c->tls_server_name,
	    cause) != 0 ||
	    kc_str(cl, "proxy-url", file, what, &c->proxy_url, cause) != 0) {
		free(ca);
		return -1;
	}
	c->ca_file = kc_resolve(dir, ca);
	free(ca);
	kc_exec_extension(c, cl);
	if (c->server == NULL)
		return error_set(cause, "%s: %s: server: missing", file, what);
	len = strlen(c->server);
	while (len > 0 && c->server[len - 1] == '/')
		c->server[--len] = '\0';
	if (strncmp(c->server, "https://", 8) != 0 &&
	    strncmp(c->server, "http://", 7) != 0)
		return error_set(cause, "%s: %s: server: \"%s\" is not an "
		    "http(s) URL", file, what, c->server);
	if (c->insecure)
		log_warn("%s: %s: insecure-skip-tls-verify is set: the API "
		    "server's certificate is not verified", file, what);
	return 0;
}

/* Impersonation fields: as, as-uid, as-groups. */
static int
kc_impersonate(struct kube_conn *c, const cJSON *u, const char *file,
    const char *what, char **cause)
{
	const cJSON	*groups, *g;
	size_t		 n = 0;

	if (kc_str(u, "as", file, what, &c->as_user, cause) != 0 ||
	    kc_str(u, "as-uid", file, what, &c->as_uid, cause) != 0)
		return -1;
	groups = cJSON_GetObjectItemCaseSensitive(u, "as-groups");
	if (groups == NULL || cJSON_IsNull(groups))
		return 0;
	if (!cJSON_IsArray(groups))
		return error_set(cause, "%s: %s: as-groups: not a list", file,
		    what);
	c->as_groups = xcalloc((size_t)cJSON_GetArraySize(groups) + 1,
	    sizeof *c->as_groups);
	cJSON_ArrayForEach(g, groups) {
		if (!cJSON_IsString(g))
			return error_set(cause, "%s: %s: as-groups: not a "
			    "list of strings", file, what);
		c->as_groups[n++] = xstrdup(g->valuestring);
	}
	return 0;
}

/* Client certificate and key: files or -data (data wins), both needed. */
static int
kc_client_cert(struct kube_conn *c, const cJSON *u, const char *file,
    const char *dir, const char *what, char **cause)
{
	char	*cf = NULL, *kf = NULL;

	if (kc_str(u, "client-certificate", file, what, &cf, cause) != 0 ||
	    kc_str(u, "client-key", file, what, &kf, cause) != 0 ||
	    kc_data(u, "client-certificate-data", file, what, &c->cert_pem,
	    cause) != 0 ||
	    kc_data(u, "client-key-data", file, what, &c->key_pem,
	    cause) != 0) {
		free(cf);
		free(kf);
		return -1;
	}
	if (c->cert_pem == NULL)
		c->cert_file = kc_resolve(dir, cf);
	if (c->key_pem == NULL)
		c->key_file = kc_resolve(dir, kf);
	free(cf);
	free(kf);
	if ((c->cert_pem != NULL || c->cert_file != NULL) !=
	    (c->key_pem != NULL || c->key_file != NULL))
		return error_set(cause, "%s: %s: client-certificate and "
		    "client-key must be given together", file, what);
	return 0;
}

/* The user entry: certificates, token, tokenFile, basic auth, exec. */
static int
kc_user(struct kube_conn *c, const cJSON *u, const char *file,
    const char *dir, const struct kube_config_opts *opts, char **cause)
{
	char		 what[256], *tf = NULL;
	const cJSON	*exec;

	snprintf(what, sizeof what, "user \"%s\"", c->user_name);
	if (u == NULL || cJSON_IsNull(u))
		return 0;
	if (!cJSON_IsObject(u))
		return error_set(cause, "%s: %s: user: not a mapping", file,
		    what);
	if (kc_client_cert(c, u, file, dir, what, cause) != 0 ||
	    kc_impersonate(c, u, file, what, cause) != 0 ||
	    kc_str(u, "token", file, what, &c->token, cause) != 0 ||
	    kc_str(u, "tokenFile", file, what, &tf, cause) != 0 ||
	    kc_str(u, "username", file, what, &c->username, cause) != 0 ||
	    kc_str(u, "password", file, what, &c->password, cause) != 0) {
		free(tf);
		return -1;
	}
	c->token_file = kc_resolve(dir, tf);
	free(tf);
	if (cJSON_GetObjectItemCaseSensitive(u, "auth-provider") != NULL)
		return error_set(cause, "%s: %s: auth-provider: legacy auth "
		    "providers are not supported (use an exec plugin)", file,
		    what);
	if (c->username != NULL || c->password != NULL)
		c->auth = KUBE_AUTH_BASIC;
	if (c->token != NULL)
		c->auth = KUBE_AUTH_TOKEN;
	if (c->token_file != NULL)
		c->auth = KUBE_AUTH_TOKEN_FILE;
	exec = cJSON_GetObjectItemCaseSensitive(u, "exec");
	if (exec != NULL && !cJSON_IsNull(exec))
		return kube_exec_parse(c, exec, file, dir, what, opts, cause);
	return 0;
}

/* The context: cluster and user entries and the namespace. */
static int
kc_context(struct kube_conn *c, const struct kc_files *f,
    const cJSON *ctx, size_t ctxfile, const struct kube_config_opts *opts,
    char **cause)
{
	const cJSON	*cl, *u;
	const char	*file = f->path[ctxfile];
	char		 what[256], *ns = NULL;
	size_t		 fi = 0;
	int		 found;

	snprintf(what, sizeof what, "context \"%s\"", c->context);
	if (!cJSON_IsObject(ctx))
		return error_set(cause, "%s: %s: context: missing", file, what);
	if (kc_str(ctx, "cluster", file, what, &c->cluster_name, cause) != 0 ||
	    kc_str(ctx, "user", file, what, &c->user_name, cause) != 0 ||
	    kc_str(ctx, "namespace", file, what, &ns, cause) != 0)
		return -1;
	if (ns != NULL) {
		free(c->ns);
		c->ns = ns;
	}
	if (c->cluster_name == NULL)
		return error_set(cause, "%s: %s: cluster: missing", file, what);
	cl = kc_find(f, "clusters", "cluster", c->cluster_name, &fi, &found);
	if (!found)
		return error_set(cause, "%s: %s: cluster \"%s\" not found",
		    file, what, c->cluster_name);
	if (kc_cluster(c, cl, f->path[fi], f->dir[fi], cause) != 0)
		return -1;
	if (c->user_name == NULL)
		return 0;
	u = kc_find(f, "users", "user", c->user_name, &fi, &found);
	if (!found)
		return error_set(cause, "%s: %s: user \"%s\" not found", file,
		    what, c->user_name);
	return kc_user(c, u, f->path[fi], f->dir[fi], opts, cause);
}

/* Resolve the merged files into c. */
static int
kc_build(struct kube_conn *c, const struct kc_files *f,
    const struct kube_config_opts *opts, char **cause)
{
	const cJSON	*ctx;
	const char	*name;
	char		*names;
	size_t		 fi = 0;
	int		 found, rc;

	name = opts->context;
	if (name == NULL || *name == '\0')
		name = kc_current_context(f);
	names = kc_files_names(f);
	if (name == NULL) {
		error_set(cause, "%s: current-context is not set (use "
		    "--context)", names);
		free(names);
		return -1;
	}
	ctx = kc_find(f, "contexts", "context", name, &fi, &found);
	if (!found) {
		error_set(cause, "%s: context \"%s\" not found", names, name);
		free(names);
		return -1;
	}
	free(names);
	free(c->context);
	c->context = xstrdup(name);
	c->source = xstrdup(f->path[fi]);
	rc = kc_context(c, f, ctx, fi, opts, cause);
	if (rc == 0 && opts->ns != NULL && *opts->ns != '\0') {
		free(c->ns);
		c->ns = xstrdup(opts->ns);
	}
	return rc;
}

/* The in-cluster service account settings. */
static int
kc_in_cluster(struct kube_conn *c, const struct kube_config_opts *opts,
    char **cause)
{
	const char	*host, *port, *dir;
	char		*path, *tok, *ns;

	host = getenv("KUBERNETES_SERVICE_HOST");
	port = getenv("KUBERNETES_SERVICE_PORT");
	if (host == NULL || *host == '\0' || port == NULL || *port == '\0')
		return error_set(cause, "in-cluster: KUBERNETES_SERVICE_HOST "
		    "and KUBERNETES_SERVICE_PORT must be set");
	if ((dir = getenv(KUBE_INCLUSTER_DIR_ENV)) == NULL || *dir == '\0')
		dir = KUBE_INCLUSTER_DIR;
	xasprintf(&c->server, strchr(host, ':') != NULL && *host != '[' ?
	    "https://[%s]:%s" : "https://%s:%s", host, port);
	xasprintf(&c->token_file, "%s/token", dir);
	if ((tok = kube_read_trimmed(c->token_file, cause)) == NULL)
		return error_wrap(cause, "in-cluster token");
	free(tok);
	c->auth = KUBE_AUTH_TOKEN_FILE;
	c->in_cluster = 1;
	xasprintf(&path, "%s/ca.crt", dir);
	if (access(path, R_OK) == 0)
		c->ca_file = path;
	else {
		log_warn("in-cluster: %s: %s", path, strerror(errno));
		free(path);
	}
	xasprintf(&path, "%s/namespace", dir);
	if ((ns = kube_read_trimmed(path, NULL)) != NULL && *ns != '\0') {
		free(c->ns);
		c->ns = ns;
	} else
		free(ns);
	free(path);
	if (opts->ns != NULL && *opts->ns != '\0') {
		free(c->ns);
		c->ns = xstrdup(opts->ns);
	}
	return 0;
}

/* Copy the options that apply to any source. */
static void
kc_apply_opts(struct kube_conn *c, const struct kube_config_opts *opts)
{
	if (opts->exec_timeout_ms > 0)
		c->exec_timeout_ms = opts->exec_timeout_ms;
}

/* Resolve a connection from kubeconfig files or in-cluster settings. */
int
kube_conn_load(const struct kube_config_opts *optsp, struct kube_conn **out,
    char **cause)
{
	struct kube_config_opts	 opts;
	struct kc_files		 f;
	struct kube_conn	*c;
	int			 rc;

	*out = NULL;
	memset(&opts, 0, sizeof opts);
	if (optsp != NULL)
		opts = *optsp;
	memset(&f, 0, sizeof f);
	if (kc_files_load(&opts, &f, cause) != 0) {
		kc_files_free(&f);
		return -1;
	}
	c = kube_conn_alloc();
	kc_apply_opts(c, &opts);
	if (kc_files_empty(&f) && opts.kubeconfig == NULL &&
	    opts.context == NULL && getenv("KUBERNETES_SERVICE_HOST") != NULL)
		rc = kc_in_cluster(c, &opts, cause);
	else if (f.n == 0)
		rc = error_set(cause, "no kubeconfig found (KUBECONFIG, "
		    "~/.kube/config) and not running in a cluster");
	else
		rc = kc_build(c, &f, &opts, cause);
	kc_files_free(&f);
	if (rc != 0) {
		kube_conn_free(c);
		return -1;
	}
	*out = c;
	return 0;
}

/* Resolve a connection from one kubeconfig's text. */
int
kube_conn_load_text(const char *text, size_t len, const char *filename,
    const struct kube_config_opts *optsp, struct kube_conn **out,
    char **cause)
{
	struct kube_config_opts	 opts;
	struct kc_files		 f;
	struct kube_conn	*c;
	int			 rc;

	*out = NULL;
	memset(&opts, 0, sizeof opts);
	if (optsp != NULL)
		opts = *optsp;
	memset(&f, 0, sizeof f);
	if (kc_files_add_text(&f, text, len, filename, cause) != 0) {
		kc_files_free(&f);
		return -1;
	}
	c = kube_conn_alloc();
	kc_apply_opts(c, &opts);
	rc = kc_build(c, &f, &opts, cause);
	kc_files_free(&f);
	if (rc != 0) {
		kube_conn_free(c);
		return -1;
	}
	*out = c;
	return 0;
}

/* A connection from explicit parameters. */
struct kube_conn *
kube_conn_new(const struct kube_conn_params *p)
{
	struct kube_conn	*c;
	size_t			 len;

	c = kube_conn_alloc();
	c->server = xstrdup(p->server);
	len = strlen(c->server);
	while (len > 0 && c->server[len - 1] == '/')
		c->server[--len] = '\0';
	c->ca_pem = xstrdup_or_null(p->ca_pem);
	c->ca_file = xstrdup_or_null(p->ca_file);
	c->cert_pem = xstrdup_or_null(p->cert_pem);
	c->key_pem = xstrdup_or_null(p->key_pem);
	c->tls_server_name = xstrdup_or_null(p->tls_server_name);
	c->insecure = p->insecure;
	if (p->token != NULL) {
		c->token = xstrdup(p->token);
		c->auth = KUBE_AUTH_TOKEN;
	}
	if (p->ns != NULL) {
		free(c->ns);
		c->ns = xstrdup(p->ns);
	}
	return c;
}
