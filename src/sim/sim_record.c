/* The simulator's request record: one JSON line per request answered,
 * with the principal that made it (see sim_record.h). */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "latticectl/error.h"
#include "latticectl/rand.h"
#include "latticectl/sigv4.h"
#include "latticectl/timeutil.h"
#include "latticectl/xmalloc.h"

#include "sim_record.h"

#define RECORD_MAX_WRITERS	16

struct record_principal {
	char	*name;
	char	*access_key;	/* or NULL */
	char	*token;		/* or NULL */
};

static pthread_mutex_t		 record_lock = PTHREAD_MUTEX_INITIALIZER;
static FILE			*record_file;
static struct record_principal	 record_who[RECORD_MAX_WRITERS + 1];
static size_t			 record_nwho;

/* Forget every principal (lock held). */
static void
record_forget(void)
{
	size_t	i;

	for (i = 0; i < record_nwho; i++) {
		free(record_who[i].name);
		free(record_who[i].access_key);
		if (record_who[i].token != NULL)
			explicit_bzero(record_who[i].token,
			    strlen(record_who[i].token));
		free(record_who[i].token);
	}
	memset(record_who, 0, sizeof record_who);
	record_nwho = 0;
}

/* Start recording into path. */
int
sim_record_open(const char *path, char **cause)
{
	FILE	*f;
	int	 fd;

	fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (fd == -1)
		return error_set(cause, "--record %s: %s", path,
		    strerror(errno));
	if ((f = fdopen(fd, "a")) == NULL) {
		close(fd);
		return error_set(cause, "--record %s: %s", path,
		    strerror(errno));
	}
	pthread_mutex_lock(&record_lock);
	if (record_file != NULL)
		fclose(record_file);
	record_file = f;
	pthread_mutex_unlock(&record_lock);
	return 0;
}

/* Stop recording. */
void
sim_record_close(void)
{
	pthread_mutex_lock(&record_lock);
	if (record_file != NULL)
		fclose(record_file);
	record_file = NULL;
	record_forget();
	pthread_mutex_unlock(&record_lock);
}

/* Whether a record is open. */
int
sim_record_on(void)
{
	int	on;

	pthread_mutex_lock(&record_lock);
	on = record_file != NULL;
	pthread_mutex_unlock(&record_lock);
	return on;
}

/* Remember a principal (lock held); silently bounded. */
static void
record_add(const char *name, const char *ak, const char *token)
{
	struct record_principal	*p;

	if (record_nwho >= RECORD_MAX_WRITERS + 1)
		return;
	p = &record_who[record_nwho++];
	p->name = xstrdup(name);
	p->access_key = xstrdup_or_null(ak);
	p->token = xstrdup_or_null(token);
}

/* Random characters from set into out (n characters, NUL-ended). */
static void
record_rand(char *out, size_t n, const char *set)
{
	size_t	len = strlen(set), i;

	for (i = 0; i < n; i++)
		out[i] = set[rand_below(len)];
	out[n] = '\0';
}

/* Fresh credentials for a writer. */
void
sim_record_writer_new(const char *name, unsigned n,
    struct sim_record_writer *out)
{
	char	sk[41], tok[49];

	memset(out, 0, sizeof *out);
	out->name = xstrdup(name);
	xasprintf(&out->access_key, "AKIASIMWRITER%07u", n % 10000000);
	record_rand(sk, 40, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789/+");
	record_rand(tok, 48, "0123456789abcdef");
	out->secret_key = xstrdup(sk);
	out->token = xstrdup(tok);
	explicit_bzero(sk, sizeof sk);
	explicit_bzero(tok, sizeof tok);
	pthread_mutex_lock(&record_lock);
	if (record_file != NULL)
		record_add(name, out->access_key, out->token);
	pthread_mutex_unlock(&record_lock);
}

/* Free a writer's strings (secrets wiped). */
void
sim_record_writer_free(struct sim_record_writer *w)
{
	if (w->secret_key != NULL)
		explicit_bzero(w->secret_key, strlen(w->secret_key));
	if (w->token != NULL)
		explicit_bzero(w->token, strlen(w->token));
	free(w->name);
	free(w->access_key);
	free(w->secret_key);
	free(w->token);
	memset(w, 0, sizeof *w);
}

/* Name the admin principal. */
void
sim_record_admin(const char *access_key, const char *token)
{
	pthread_mutex_lock(&record_lock);
	if (record_file != NULL)
		record_add("admin", access_key, token);
	pthread_mutex_unlock(&record_lock);
}

/* The name behind an access key or a token (lock held). */
static const char *
record_lookup(const char *ak, const char *token)
{
	size_t	i;

	for (i = 0; i < record_nwho; i++) {
		if (ak != NULL && record_who[i].access_key != NULL &&
		    sigv4_equal(ak, record_who[i].access_key))
			return record_who[i].name;
		if (token != NULL && record_who[i].token != NULL &&
		    sigv4_equal(token, record_who[i].token))
			return record_who[i].name;
	}
	return "-";
}

/* Append one line (lock held). */
static void
record_line(const char *api, const char *writer, const char *method,
    const char *path, int status)
{
	struct timespec	 now = time_now();
	cJSON		*o;
	char		*text;

	o = cJSON_CreateObject();
	cJSON_AddNumberToObject(o, "ms", (double)now.tv_sec * 1000.0 +
	    (double)(now.tv_nsec / 1000000));
	cJSON_AddStringToObject(o, "api", api);
	cJSON_AddStringToObject(o, "writer", writer);
	cJSON_AddStringToObject(o, "method", method != NULL ? method : "");
	cJSON_AddStringToObject(o, "path", path != NULL ? path : "");
	cJSON_AddNumberToObject(o, "status", status);
	text = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	fprintf(record_file, "%s\n", text);
	fflush(record_file);
	free(text);
}

/* Record one AWS request. */
void
sim_record_aws(const char *method, const char *path, int status,
    const char *access_key)
{
	pthread_mutex_lock(&record_lock);
	if (record_file != NULL)
		record_line("aws", access_key != NULL ?
		    record_lookup(access_key, NULL) : "-", method, path,
		    status);
	pthread_mutex_unlock(&record_lock);
}

/* Record one Kubernetes request. */
void
sim_record_kube(const char *method, const char *path, int status,
    const char *authorization)
{
	const char	*tok = NULL;

	if (authorization != NULL &&
	    strncasecmp(authorization, "Bearer ", 7) == 0)
		for (tok = authorization + 7; *tok == ' '; tok++)
			;
	pthread_mutex_lock(&record_lock);
	if (record_file != NULL)
		record_line("kube", tok != NULL ? record_lookup(NULL, tok) :
		    "-", method, path, status);
	pthread_mutex_unlock(&record_lock);
}
