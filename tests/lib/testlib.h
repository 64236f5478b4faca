/*
 * Shared test helpers (linked into every unit and integration test):
 * - canned: an aws transport hook that records requests and answers from
 *   a queue of canned responses (protocol tests without a network);
 * - moto: start moto_server on a free loopback port and stop it by PID,
 *   and moto_env, the group fixture of the moto integration tests;
 * - small file helpers.
 */
#ifndef LATTICECTL_TESTLIB_H
#define LATTICECTL_TESTLIB_H

#include <stddef.h>
#include <sys/types.h>
#include <time.h>

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

/* A decoded application/x-www-form-urlencoded body (query protocol). */
struct test_form {
	char	**k;
	char	**v;
	size_t	  n;
};
/* Split a body into decoded key/value pairs ('+' is a space). */
void	 test_form_parse(const char *body, struct test_form *);
/* The value of key, or NULL. */
const char *test_form_get(const struct test_form *, const char *key);
void	 test_form_free(struct test_form *);
/* Assert request i is a query-protocol POST to / of Action op at Version
 * version with exactly these nfields extra fields (kv: name, value...). */
void	 canned_check_form(struct canned *, size_t i, const char *op,
	    const char *version, size_t nfields, const char *const *kv);

/* Which of a client's operations the canned tests exercised. */
#define TEST_OPS_MAX 64
struct test_ops {
	const char	*svc;			/* "ec2" */
	const char	*names[TEST_OPS_MAX];	/* NULL-terminated */
	int		 seen[TEST_OPS_MAX];
};
/* Note op as exercised. */
void	 test_ops_seen(struct test_ops *, const char *op);
/* Print the operations not covered and the count; 0 when all were. */
int	 test_ops_report(const struct test_ops *);

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

/*
 * moto_env: the moto_server a group of integration tests shares, and the
 * operations they exercised (printed by the teardown). A test's group
 * state is a struct whose first member is a struct moto_env; it frees its
 * own members and then calls moto_env_teardown.
 */
#define MOTO_ENV_MAX_OPS 48
struct moto_env {
	struct moto	 moto;
	struct aws	*aws;		/* NULL: no moto, tests skip */
	char		*why;		/* the SKIP reason */
	const char	*name;		/* "itest_moto_ec2" */
	const char	*ops[MOTO_ENV_MAX_OPS];
	size_t		 n_ops;
};

/* Group setup: *state = size zeroed bytes starting with a struct moto_env;
 * start moto, or print "SKIP: name: why". Returns 0. */
int	 moto_env_setup(void **state, const char *name, size_t size);
/* The group state, or skip() when moto is not there. */
void	*moto_env_get(void **state);
/* Note op as exercised (once). */
void	 moto_env_op(struct moto_env *, const char *op);
/* Fail with err's text unless rc is 0; else note op. err is cleared. */
void	 moto_env_ok(struct moto_env *, int rc, struct aws_error *,
	    const char *op);
/* Group teardown: print the operations, stop moto, free *state. */
int	 moto_env_teardown(void **state);

/* Read a whole file (caller frees), or NULL. */
char	*test_read_file(const char *path, size_t *len);
/* Write a file with mode; 0 ok. */
int	 test_write_file(const char *path, const char *text, int mode);
/* Run argv (no shell, no time limit) and capture its stdout (caller
 * frees); NULL when it could not run or exited non-zero. */
char	*test_run_capture(char *const argv[], size_t *len);
/* Run python3 -c script with args (NULL-terminated; no shell), isolated
 * from our AWS settings (no AWS_* variables, no config files, no IMDS,
 * regional STS). *out is its stdout (caller frees). Returns the exit
 * status, or -1 when python3 did not run to its end. */
int	 test_python(const char *script, char *const *args, char **out);
/* Whether python3 can import botocore. */
int	 test_have_botocore(void);
/* Remove a directory tree (nftw, no shell) and free the path. */
void	 test_rm_tree(char *dir);
/* A kube_conn_set_clock() clock reading the time_t at arg. */
time_t	 test_fixed_clock(void *arg);
/* Does the form body hold exactly "key=value" (encoded) as one item? */
int	 test_form_has(const char *body, const char *kv);
/* A fresh temporary directory (caller frees the path). */
char	*test_tmpdir(void);
/* Root of ../shared/reference, or NULL when it is not there. */
const char *test_reference_dir(void);

#endif
