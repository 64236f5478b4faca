/*
 * Shared test helpers (linked into every unit and integration test):
 * - canned: an aws transport hook that records requests and answers from
 *   a queue of canned responses (protocol tests without a network);
 * - moto: start moto_server on a free loopback port and stop it by PID;
 * - small file helpers.
 */
#ifndef LATTICECTL_TESTLIB_H
#define LATTICECTL_TESTLIB_H

#include <stddef.h>
#include <sys/types.h>

#include "latticectl/aws.h"
#include "latticectl/http.h"

#define CANNED_MAX 64

struct canned_req {
	char			*method;
	char			*url;
	char			*body;
	struct http_headers	 headers;
};

struct canned {
	/* queued responses */
	long		 status[CANNED_MAX];
	char		*body[CANNED_MAX];
	char		*hdr_name[CANNED_MAX];	/* one optional extra header */
	char		*hdr_value[CANNED_MAX];
	size_t		 n_resp;
	size_t		 next_resp;
	/* recorded requests */
	struct canned_req req[CANNED_MAX];
	size_t		 n_req;
};

/* Queue a response (body copied); hdr may be NULL. */
void	canned_push(struct canned *, long status, const char *body,
	    const char *hdr_name, const char *hdr_value);
/* The transport hook: pass a struct canned * as arg. */
int	canned_transport(void *arg, const struct http_request *,
	    struct http_response *, char **cause);
void	canned_free(struct canned *);
/* A struct aws with static test credentials, region us-west-2, no config
 * files, no IMDS, answering from c. max_attempts 3, tiny backoff. */
struct aws *canned_aws(struct canned *c);
/* Path of the last request's URL after the host ("/services?x=1"). */
const char *canned_path(const struct canned_req *);

struct moto {
	pid_t	pid;
	int	port;
	char	url[64];
	char	logpath[256];
};
/* Start moto_server on a free port; 0 ok, -1 with a SKIP reason in
 * *why (caller frees) when moto_server is not installed or did not come
 * up. */
int	moto_start(struct moto *, char **why);
void	moto_stop(struct moto *);
/* A struct aws pointed at moto (AWS_ENDPOINT_URL) with dummy keys. */
struct aws *moto_aws(struct moto *);

/* Read a whole file (caller frees), or NULL. */
char	*test_read_file(const char *path, size_t *len);
/* Write a file with mode; 0 ok. */
int	 test_write_file(const char *path, const char *text, int mode);
/* Run argv (no shell) and capture its stdout (caller frees); NULL when it
 * could not run or exited non-zero. */
char	*test_run_capture(char *const argv[], size_t *len);
/* A fresh temporary directory (caller frees the path). */
char	*test_tmpdir(void);
/* Root of ../shared/reference, or NULL when it is not there. */
const char *test_reference_dir(void);

#endif
