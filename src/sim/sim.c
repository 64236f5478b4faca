/* The simulator's composition: kube API + AWS endpoint, TLS, kubeconfig,
 * state file. */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define LOG_MODULE "sim"
#include "latticectl/base64.h"
#include "latticectl/error.h"
#include "latticectl/json.h"
#include "latticectl/log.h"
#include "latticectl/rand.h"
#include "latticectl/xmalloc.h"
#include "latticectl/yaml.h"

#include "sim.h"
#include "sim_aws.h"
#include "sim_aws_lab.h"
#include "sim_kube.h"
#include "sim_record.h"
#include "sim_tls.h"

#define SIM_STATE_VERSION 1

struct sim {
	struct sim_kube		*kube;
	struct sim_aws		*aws;
	struct httpd		*kube_srv;
	struct httpd		*aws_srv;
	struct sim_tls		 tls;
	int			 tls_on;
	char			*token;
	char			*dir;
	char			*kubeconfig;
	char			*kube_url;
	char			*aws_url;
	char			*state_file;
	pthread_mutex_t		 save_lock;
	struct sim_record_writer *writers;	/* --writer credentials */
	size_t			 nwriters;
	int			 recording;	/* this sim opened the record */
};

/* Split "host:port" ("[::1]:port" too); port 0 when absent. */
static int
sim_split_listen(const char *listen, char **host, int *port, char **cause)
{
	const char	*colon;
	char		*end;
	long		 p;

	if (listen[0] == '[') {
		colon = strstr(listen, "]:");
		if (colon == NULL)
			return error_set(cause, "--listen %s: want [ADDR]:PORT",
			    listen);
		*host = xstrndup(listen + 1, (size_t)(colon - listen - 1));
		colon++;
	} else if ((colon = strrchr(listen, ':')) != NULL)
		*host = xstrndup(listen, (size_t)(colon - listen));
	else
		return error_set(cause, "--listen %s: want ADDR:PORT", listen);
	p = strtol(colon + 1, &end, 10);
	if (*end != '\0' || p < 0 || p > 65535) {
		free(*host);
		return error_set(cause, "--listen %s: bad port", listen);
	}
	*port = (int)p;
	return 0;
}

/* The EKS token verifier handed to the kube half. */
static int
sim_verify_eks(void *arg, const char *token, char **username, char **cause)
{
	struct sim	*sim = arg;

	return sim_aws_verify_eks_token(sim->aws, token, NULL, username,
	    cause);
}

/* Create the AWS half with the fault spec and the seeded lab. */
static int
sim_aws_make(struct sim *sim, const struct sim_opts *o, char **cause)
{
	struct sim_aws_opts	ao;

	memset(&ao, 0, sizeof ao);
	ao.create_delay_ms = o->delay_ms;
	ao.delete_delay_ms = o->delay_ms;
	ao.health_delay_ms = o->delay_ms;
	if (o->faults != NULL && sim_faults_parse(o->faults, &ao.faults,
	    ao.rate, cause) != 0)
		return error_wrap(cause, "--faults");
	sim->aws = sim_aws_new(&ao);
	sim_aws_seed_lab(sim->aws);
	return 0;
}

/* Create the kube half (TLS + token auth, or anonymous without TLS). */
static void
sim_kube_make(struct sim *sim, const struct sim_opts *o)
{
	struct sim_kube_opts	 ko;
	struct sim_kube_faults	 kf;
	struct sim_faults	 f;
	double			 rate[SIM_FAMILY_MAX];
	const char		**tokens;
	size_t			 i;

	tokens = xcalloc(sim->nwriters + 2, sizeof *tokens);
	tokens[0] = sim->token;
	for (i = 0; i < sim->nwriters; i++)
		tokens[i + 1] = sim->writers[i].token;
	memset(&ko, 0, sizeof ko);
	ko.tokens = tokens;
	ko.anonymous = o->no_tls;
	ko.verify_eks = sim_verify_eks;
	ko.verify_eks_arg = sim;
	sim->kube = sim_kube_new(&ko);
	free(tokens);
	memset(&f, 0, sizeof f);
	if (o->faults != NULL &&
	    sim_faults_parse(o->faults, &f, rate, NULL) == 0) {
		memset(&kf, 0, sizeof kf);
		kf.watch_drop_s = f.watch_drop_s;
		kf.latency_ms = f.latency_ms;
		kf.error_rate = f.error_rate;
		sim_kube_set_faults(sim->kube, &kf);
	}
}

/* Read the state file into *root (NULL when it does not exist yet) and
 * take the token and CA from it. */
static int
sim_read_state(struct sim *sim, cJSON **root, char **cause)
{
	char	*text;
	FILE	*f;
	long	 len;

	*root = NULL;
	if ((f = fopen(sim->state_file, "rb")) == NULL)
		return errno == ENOENT ? 0 : error_set(cause, "%s: %s",
		    sim->state_file, strerror(errno));
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	text = xmalloc(len > 0 ? (size_t)len + 1 : 1);
	len = len > 0 ? (long)fread(text, 1, (size_t)len, f) : 0;
	fclose(f);
	*root = json_parse(text, (size_t)len, sim->state_file, cause);
	free(text);
	if (*root == NULL)
		return -1;
	if (json_num(*root, "version", 0) != SIM_STATE_VERSION) {
		cJSON_Delete(*root);
		*root = NULL;
		return error_set(cause, "%s: version: want %d", sim->state_file,
		    SIM_STATE_VERSION);
	}
	if (json_str(*root, "token") != NULL) {
		free(sim->token);
		sim->token = xstrdup(json_str(*root, "token"));
	}
	if (json_path_str(*root, "tls.ca_cert") != NULL &&
	    json_path_str(*root, "tls.ca_key") != NULL) {
		sim->tls.ca_cert_pem = xstrdup(json_path_str(*root,
		    "tls.ca_cert"));
		sim->tls.ca_key_pem = xstrdup(json_path_str(*root, "tls.ca_key"));
	}
	return 0;
}

/* Restore the kube and AWS halves from a state tree. */
static int
sim_load_state(struct sim *sim, const cJSON *root, char **cause)
{
	const cJSON	*v;

	if ((v = cJSON_GetObjectItem(root, "kube")) != NULL &&
	    sim_kube_load(sim->kube, v, cause) != 0)
		return error_wrap(cause, "%s: kube", sim->state_file);
	if ((v = cJSON_GetObjectItem(root, "aws")) != NULL &&
	    sim_aws_load(sim->aws, v, cause) != 0)
		return error_wrap(cause, "%s: aws", sim->state_file);
	return 0;
}

/* Write text to path atomically: a temporary file, fsync, rename. */
static int
sim_write_atomic(const char *path, const char *text, char **cause)
{
	char	*tmp;
	size_t	 len = strlen(text);
	int	 fd, r = -1;

	xasprintf(&tmp, "%s.tmp.%ld", path, (long)getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd == -1) {
		error_set(cause, "%s: %s", tmp, strerror(errno));
		free(tmp);
		return -1;
	}
	if (write(fd, text, len) != (ssize_t)len || fsync(fd) != 0)
		error_set(cause, "%s: write: %s", tmp, strerror(errno));
	else if (close(fd) != 0)
		error_set(cause, "%s: close: %s", tmp, strerror(errno));
	else if (rename(tmp, path) != 0)
		error_set(cause, "%s: rename: %s", path, strerror(errno));
	else
		r = 0;
	if (r != 0) {
		close(fd);
		unlink(tmp);
	}
	free(tmp);
	return r;
}

/* Save the whole simulator state to the state file. */
int
sim_save(struct sim *sim, char **cause)
{
	cJSON	*root, *tls;
	char	*text;
	int	 r;

	if (sim->state_file == NULL)
		return 0;
	pthread_mutex_lock(&sim->save_lock);
	root = cJSON_CreateObject();
	cJSON_AddNumberToObject(root, "version", SIM_STATE_VERSION);
	cJSON_AddStringToObject(root, "token", sim->token);
	if (sim->tls.ca_cert_pem != NULL) {
		tls = cJSON_AddObjectToObject(root, "tls");
		cJSON_AddStringToObject(tls, "ca_cert", sim->tls.ca_cert_pem);
		cJSON_AddStringToObject(tls, "ca_key", sim->tls.ca_key_pem);
	}
	cJSON_AddItemToObject(root, "kube", sim_kube_save(sim->kube));
	cJSON_AddItemToObject(root, "aws", sim_aws_save(sim->aws));
	text = cJSON_Print(root);
	cJSON_Delete(root);
	r = sim_write_atomic(sim->state_file, text, cause);
	free(text);
	pthread_mutex_unlock(&sim->save_lock);
	return r;
}

/* Start one httpd on host:port with handler. */
static int
sim_listen(struct sim *sim, const char *host, int port, int tls,
    httpd_handler_fn fn, void *arg, struct httpd **out, char **url,
    char **cause)
{
	struct httpd_opts	 ho;
	char			*listen;
	int			 v6 = strchr(host, ':') != NULL;

	xasprintf(&listen, "%s%s%s:%d", v6 ? "[" : "", host, v6 ? "]" : "",
	    port);
	memset(&ho, 0, sizeof ho);
	ho.listen = listen;
	if (tls) {
		ho.tls_cert_pem = sim->tls.cert_pem;
		ho.tls_key_pem = sim->tls.key_pem;
	}
	*out = httpd_start(&ho, fn, arg, cause);
	free(listen);
	if (*out == NULL)
		return -1;
	xasprintf(url, "%s://%s%s%s:%d", tls ? "https" : "http",
	    v6 ? "[" : "", host, v6 ? "]" : "", httpd_port(*out));
	return 0;
}

/* Make (or reuse from the state file) the CA and a server certificate. */
static int
sim_tls_make(struct sim *sim, const char *host, char **cause)
{
	const char	*names[] = { host, NULL };

	if (sim->tls.ca_cert_pem != NULL)
		return sim_tls_issue(&sim->tls, names, 0, cause);
	return sim_tls_generate(&sim->tls, names, 0, cause);
}

/* The kubeconfig for the simulated cluster as a cJSON tree. */
static cJSON *
sim_kubeconfig_tree(struct sim *sim, const char *token)
{
	cJSON	*kc, *list, *item, *inner;
	char	*ca;

	kc = cJSON_CreateObject();
	cJSON_AddStringToObject(kc, "apiVersion", "v1");
	cJSON_AddStringToObject(kc, "kind", "Config");
	list = cJSON_AddArrayToObject(kc, "clusters");
	item = cJSON_CreateObject();
	cJSON_AddStringToObject(item, "name", "latticectl-sim");
	inner = cJSON_AddObjectToObject(item, "cluster");
	cJSON_AddStringToObject(inner, "server", sim->kube_url);
	if (sim->tls_on) {
		ca = base64_encode(sim->tls.ca_cert_pem,
		    strlen(sim->tls.ca_cert_pem));
		cJSON_AddStringToObject(inner, "certificate-authority-data", ca);
		free(ca);
	}
	cJSON_AddItemToArray(list, item);
	list = cJSON_AddArrayToObject(kc, "contexts");
	item = cJSON_CreateObject();
	cJSON_AddStringToObject(item, "name", "latticectl-sim");
	inner = cJSON_AddObjectToObject(item, "context");
	cJSON_AddStringToObject(inner, "cluster", "latticectl-sim");
	cJSON_AddStringToObject(inner, "user", "latticectl-sim");
	cJSON_AddStringToObject(inner, "namespace", "default");
	cJSON_AddItemToArray(list, item);
	cJSON_AddStringToObject(kc, "current-context", "latticectl-sim");
	list = cJSON_AddArrayToObject(kc, "users");
	item = cJSON_CreateObject();
	cJSON_AddStringToObject(item, "name", "latticectl-sim");
	inner = cJSON_AddObjectToObject(item, "user");
	if (token != NULL)
		cJSON_AddStringToObject(inner, "token", token);
	cJSON_AddItemToArray(list, item);
	return kc;
}

/* Write the kubeconfig (mode 0600) into the sim's directory. */
static int
sim_write_kubeconfig(struct sim *sim, char **cause)
{
	cJSON	*kc = sim_kubeconfig_tree(sim, sim->tls_on ? sim->token :
	    NULL);
	char	*text = yaml_dump(kc);
	int	 r;

	cJSON_Delete(kc);
	xasprintf(&sim->kubeconfig, "%s/kubeconfig", sim->dir);
	r = sim_write_atomic(sim->kubeconfig, text, cause);
	free(text);
	return r;
}

/* Write DIR/writer-NAME.kubeconfig and DIR/writer-NAME.env (0600) for
 * every --writer. */
static int
sim_write_writers(struct sim *sim, char **cause)
{
	struct sim_record_writer *w;
	cJSON			 *kc;
	char			 *text, *path;
	size_t			  i;
	int			  r = 0;

	for (i = 0; i < sim->nwriters && r == 0; i++) {
		w = &sim->writers[i];
		kc = sim_kubeconfig_tree(sim, w->token);
		text = yaml_dump(kc);
		cJSON_Delete(kc);
		xasprintf(&path, "%s/writer-%s.kubeconfig", sim->dir, w->name);
		r = sim_write_atomic(path, text, cause);
		free(text);
		free(path);
		if (r != 0)
			break;
		xasprintf(&text, "export KUBECONFIG=%s/writer-%s.kubeconfig\n"
		    "export AWS_ENDPOINT_URL=%s\nexport AWS_REGION=%s\n"
		    "export AWS_ACCESS_KEY_ID=%s\n"
		    "export AWS_SECRET_ACCESS_KEY=%s\n", sim->dir, w->name,
		    sim->aws_url, SIM_REGION, w->access_key, w->secret_key);
		xasprintf(&path, "%s/writer-%s.env", sim->dir, w->name);
		r = sim_write_atomic(path, text, cause);
		explicit_bzero(text, strlen(text));
		free(text);
		free(path);
	}
	return r;
}

/* Open the record and make the writers' credentials (--record,
 * --writer); the writers become AWS users. */
static int
sim_record_start(struct sim *sim, const struct sim_opts *o, char **cause)
{
	size_t	n = 0, i;

	while (o->writers != NULL && o->writers[n] != NULL) {
		if (strspn(o->writers[n], "abcdefghijklmnopqrstuvwxyz"
		    "0123456789-") != strlen(o->writers[n]) ||
		    o->writers[n][0] == '\0')
			return error_set(cause, "--writer %s: want [a-z0-9-]+",
			    o->writers[n]);
		n++;
	}
	if (o->record != NULL) {
		if (sim_record_open(o->record, cause) != 0)
			return -1;
		sim->recording = 1;
		sim_record_admin(SIM_ACCESS_KEY, sim->token);
	}
	sim->writers = xcalloc(n + 1, sizeof *sim->writers);
	for (i = 0; i < n; i++)
		sim_record_writer_new(o->writers[i], (unsigned)i + 1,
		    &sim->writers[i]);
	sim->nwriters = n;
	return 0;
}

/* Add the writers as AWS users (after the state is loaded). */
static void
sim_add_writer_users(struct sim *sim)
{
	size_t	i;
	char	*arn, *uid;

	for (i = 0; i < sim->nwriters; i++) {
		xasprintf(&arn, "arn:aws:iam::%s:user/%s", SIM_ACCOUNT_ID,
		    sim->writers[i].name);
		xasprintf(&uid, "AIDASIMWRITER%07zu", i + 1);
		sim_aws_add_user(sim->aws, sim->writers[i].access_key,
		    sim->writers[i].secret_key, NULL, arn, uid, 0);
		free(arn);
		free(uid);
	}
}

/* Choose the directory for the kubeconfig (made 0700 when new). */
static int
sim_make_dir(struct sim *sim, const char *dir, char **cause)
{
	const char	*base;

	if (dir != NULL) {
		if (mkdir(dir, 0700) != 0 && errno != EEXIST)
			return error_set(cause, "%s: %s", dir, strerror(errno));
		sim->dir = xstrdup(dir);
		return 0;
	}
	if ((base = getenv("XDG_RUNTIME_DIR")) == NULL || *base == '\0')
		base = getenv("TMPDIR");
	if (base == NULL || *base == '\0')
		base = "/tmp";
	xasprintf(&sim->dir, "%s/latticectl-sim-XXXXXX", base);
	if (mkdtemp(sim->dir) == NULL)
		return error_set(cause, "%s: %s", sim->dir, strerror(errno));
	return 0;
}

/* A fresh random bearer token. */
static char *
sim_new_token(void)
{
	unsigned char	 b[24];
	char		*hex = xmalloc(sizeof b * 2 + 1);
	size_t		 i;

	rand_bytes(b, sizeof b);
	for (i = 0; i < sizeof b; i++)
		snprintf(hex + 2 * i, 3, "%02x", b[i]);
	return hex;
}

/* Bring up both listeners and write the kubeconfig. */
static int
sim_serve(struct sim *sim, const struct sim_opts *o, char **cause)
{
	char	*host = NULL, *ahost = NULL;
	int	 port, aport, r = -1;

	if (sim_split_listen(o->listen != NULL ? o->listen : "127.0.0.1:0",
	    &host, &port, cause) != 0)
		return -1;
	if (o->aws_listen != NULL) {
		if (sim_split_listen(o->aws_listen, &ahost, &aport, cause) != 0)
			goto out;
	} else {
		ahost = xstrdup(host);
		aport = port == 0 ? 0 : port + 1;
	}
	if (sim->tls_on && sim_tls_make(sim, host, cause) != 0)
		goto out;
	if (sim_listen(sim, host, port, sim->tls_on, sim_kube_handle,
	    sim->kube, &sim->kube_srv, &sim->kube_url, cause) != 0 ||
	    sim_listen(sim, ahost, aport, 0, sim_aws_handle, sim->aws,
	    &sim->aws_srv, &sim->aws_url, cause) != 0)
		goto out;
	sim_aws_eks_set_kube(sim->aws, sim->kube_url,
	    sim->tls_on ? sim->tls.ca_cert_pem : NULL);
	r = sim_write_kubeconfig(sim, cause);
	if (r == 0)
		r = sim_write_writers(sim, cause);
out:
	free(host);
	free(ahost);
	return r;
}

/* Start the simulator. */
int
sim_start(const struct sim_opts *o, struct sim **out, char **cause)
{
	struct sim	*sim = xcalloc(1, sizeof *sim);
	cJSON		*state = NULL;

	*out = NULL;
	pthread_mutex_init(&sim->save_lock, NULL);
	sim->tls_on = !o->no_tls;
	sim->token = sim_new_token();
	sim->state_file = xstrdup_or_null(o->state_file);
	if (sim->state_file != NULL && sim_read_state(sim, &state, cause) != 0)
		goto fail;
	if (sim_record_start(sim, o, cause) != 0 ||
	    sim_aws_make(sim, o, cause) != 0)
		goto fail;
	sim_kube_make(sim, o);
	if (state != NULL && sim_load_state(sim, state, cause) != 0)
		goto fail;
	sim_add_writer_users(sim);
	cJSON_Delete(state);
	state = NULL;
	if (sim_make_dir(sim, o->dir, cause) != 0 ||
	    sim_serve(sim, o, cause) != 0)
		goto fail;
	log_info("kubernetes API at %s, AWS at %s", sim->kube_url,
	    sim->aws_url);
	*out = sim;
	return 0;
fail:
	cJSON_Delete(state);
	sim_stop(sim);
	return -1;
}

/* Stop the servers and free everything. */
void
sim_stop(struct sim *sim)
{
	size_t	i;

	if (sim == NULL)
		return;
	if (sim->kube != NULL)
		sim_kube_shutdown(sim->kube);
	if (sim->kube_srv != NULL)
		httpd_stop(sim->kube_srv);
	if (sim->aws_srv != NULL)
		httpd_stop(sim->aws_srv);
	if (sim->kube != NULL)
		sim_kube_free(sim->kube);
	if (sim->aws != NULL)
		sim_aws_free(sim->aws);
	sim_tls_free(&sim->tls);
	if (sim->token != NULL)
		explicit_bzero(sim->token, strlen(sim->token));
	free(sim->token);
	free(sim->dir);
	free(sim->kubeconfig);
	free(sim->kube_url);
	free(sim->aws_url);
	free(sim->state_file);
	for (i = 0; i < sim->nwriters; i++)
		sim_record_writer_free(&sim->writers[i]);
	free(sim->writers);
	if (sim->recording)
		sim_record_close();
	pthread_mutex_destroy(&sim->save_lock);
	free(sim);
}

/* Print the shell export lines a user evaluates to use the simulator. */
void
sim_print_env(struct sim *sim, FILE *f)
{
	fprintf(f, "export KUBECONFIG=%s\n", sim->kubeconfig);
	fprintf(f, "export AWS_ENDPOINT_URL=%s\n", sim->aws_url);
	fprintf(f, "export AWS_REGION=%s\n", SIM_REGION);
	fprintf(f, "export AWS_DEFAULT_REGION=%s\n", SIM_REGION);
	fprintf(f, "export AWS_ACCESS_KEY_ID=%s\n", SIM_ACCESS_KEY);
	fprintf(f, "export AWS_SECRET_ACCESS_KEY=%s\n", SIM_SECRET_KEY);
	fflush(f);
}

/* Accessors. */
const char *
sim_kubeconfig_path(struct sim *sim)
{
	return sim->kubeconfig;
}

/* The AWS endpoint URL. */
const char *
sim_aws_url(struct sim *sim)
{
	return sim->aws_url;
}

/* The Kubernetes API URL. */
const char *
sim_kube_url(struct sim *sim)
{
	return sim->kube_url;
}

/* The kube half. */
struct sim_kube *
sim_kube_of(struct sim *sim)
{
	return sim->kube;
}

/* The AWS half. */
struct sim_aws *
sim_aws_of(struct sim *sim)
{
	return sim->aws;
}
