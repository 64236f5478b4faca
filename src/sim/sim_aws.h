/*
 * The simulator's AWS endpoint: one httpd handler for every simulated
 * service, dispatched on the SigV4 credential scope (the SERVICE in
 * Credential=AK/DATE/REGION/SERVICE/aws4_request, from the Authorization
 * header or a presigned X-Amz-Credential). Signatures are verified with the
 * simulated users' secrets; failures get the real service's error shape.
 *
 * Services are registered (struct sim_aws_service) so that each lives in its
 * own file: aws_lattice*.c is built in; EC2, IAM, STS and EKS add themselves
 * with sim_aws_register. A service handler runs with the simulator's lock
 * held, reads and writes its own subtree of the state (sim_aws_state), and
 * answers through sim_aws_reply_* / sim_aws_error*.
 *
 * Faults (sim_faults_parse) apply per API family after authentication:
 * token-bucket rate limits, throttling rate, random 5xx, added latency.
 *
 * Ownership: struct sim_aws owns its state tree, users and registry (the
 * service structs themselves must outlive it: they are static tables).
 * sim_aws_save returns a tree the caller owns; sim_aws_load copies. A
 * struct sim_aws_call and what it points to live only for one request.
 * Thread safety: sim_aws_handle may run on many threads at once; all other
 * functions lock internally, except the service-side helpers documented as
 * "lock held", which only handlers call.
 *
 * Owner: helper h8 (src/sim/aws_*.c). The EC2/IAM/STS/EKS files are added
 * by another helper through the service-side API below.
 */
#ifndef LATTICECTL_SIM_AWS_H
#define LATTICECTL_SIM_AWS_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "latticectl/httpd.h"
#include "latticectl/strbuf.h"
#include "sim.h"

/* API families: indexes into sim_faults.throttle_rate and the rate array. */
enum sim_family {
	SIM_FAMILY_LATTICE,
	SIM_FAMILY_EC2,
	SIM_FAMILY_IAM,
	SIM_FAMILY_STS,
	SIM_FAMILY_EKS,
	SIM_FAMILY_TAGGING,
	SIM_FAMILY_KUBE,
	SIM_FAMILY_MAX = 8
};

/* "lattice", "ec2", ... or NULL for an unused index. */
const char	*sim_family_name(int family);
/* The family index for a name, or -1. */
int		 sim_family_parse(const char *name);

/*
 * Fault spec syntax (--faults), comma-separated FIELD=VALUE items; a field
 * may repeat (e.g. once per family):
 *   throttle=[FAMILY:]P   answer a fraction P (0..1) of the family's
 *                         requests with its throttling error (all
 *                         families when FAMILY is left out)
 *   error=P               answer a fraction P of all requests with a 5xx
 *   latency=DUR           add DUR to every request (bare number: ms)
 *   watchdrop=DUR         drop Kubernetes watches every DUR (bare: s)
 *   rate=[FAMILY:]N       token bucket of N requests/s (burst N, at least
 *                         1); requests over it get the throttling error
 * FAMILY is lattice, ec2, iam, sts, eks, tagging, kube or all; DUR is a
 * number with an optional unit ms, s or m. Example:
 *   throttle=lattice:0.3,error=0.05,latency=50ms,watchdrop=10s,rate=lattice:10
 * Fills *f and rate[] (zeroed first; rate 0 = unlimited). Returns 0, or -1
 * with *cause naming the bad field.
 */
int	 sim_faults_parse(const char *spec, struct sim_faults *f,
	    double rate[SIM_FAMILY_MAX], char **cause);

/* Quotas enforced by the Lattice part (0 in the options: the default). */
struct sim_aws_quotas {
	unsigned	listeners_per_service;	/* 2 */
	unsigned	rules_per_listener;	/* 10 */
	unsigned	tgs_per_service;	/* 10 */
	unsigned	targets_per_tg;		/* 1000 */
	unsigned	services;		/* 2000 per region */
	unsigned	service_networks;	/* 50 per region */
	unsigned	target_groups;		/* 500 per region */
	unsigned	associations_per_sn;	/* 500 (services; VPCs alike) */
};

struct sim_aws_opts {
	const char		*account_id;	/* NULL: SIM_ACCOUNT_ID */
	const char		*region;	/* NULL: SIM_REGION */
	unsigned		 create_delay_ms; /* CREATE_IN_PROGRESS -> ACTIVE */
	unsigned		 delete_delay_ms; /* DELETE_IN_PROGRESS -> gone */
	unsigned		 health_delay_ms; /* target INITIAL -> HEALTHY */
	unsigned		 drain_ms;	/* target DRAINING time */
	struct sim_aws_quotas	 quotas;
	struct sim_faults	 faults;
	double			 rate[SIM_FAMILY_MAX];	/* req/s, 0: none */
	int			 no_builtin;	/* don't register Lattice */
};

struct sim_aws;

/* A new simulator with the seeded user (SIM_ACCESS_KEY / SIM_SECRET_KEY,
 * an IAM user "sim-admin") and the built-in services. opts may be NULL. */
struct sim_aws	*sim_aws_new(const struct sim_aws_opts *);
void		 sim_aws_free(struct sim_aws *);
/* The httpd handler; arg is the struct sim_aws. Never fails to answer. */
void		 sim_aws_handle(void *arg, const struct httpd_request *,
		    struct httpd_response *);
/* A simulated principal. arn: "arn:aws:iam::ACCT:user/NAME" or an
 * assumed-role ARN; user_id: "AIDA..." / "AROA...:session"; token NULL for
 * long-term keys; expires_ms 0 = never (epoch milliseconds, sim clock).
 * Replaces an existing user with the same access key. */
void		 sim_aws_add_user(struct sim_aws *, const char *access_key,
		    const char *secret_key, const char *session_token,
		    const char *arn, const char *user_id, int64_t expires_ms);
/* Change faults and rate limits at run time (rate may be NULL). */
void		 sim_aws_set_faults(struct sim_aws *, const struct sim_faults *,
		    const double *rate);
/* The whole state (users and every service's resources) as a new tree the
 * caller owns; and the reverse (the tree is copied). */
cJSON		*sim_aws_save(struct sim_aws *);
int		 sim_aws_load(struct sim_aws *, const cJSON *, char **cause);
/* Simulated clock: epoch milliseconds (wall clock plus an offset that
 * tests move forward with sim_aws_advance). */
int64_t		 sim_aws_now_ms(struct sim_aws *);
void		 sim_aws_advance(struct sim_aws *, int64_t ms);
/* Counters (requests answered, by outcome) for tests and benchmarks. */
struct sim_aws_stats {
	uint64_t	requests;
	uint64_t	auth_failures;
	uint64_t	throttled;
	uint64_t	injected_errors;
};
void		 sim_aws_stats(struct sim_aws *, struct sim_aws_stats *);

/* ---- Service side: for the files implementing a service ---- */

enum sim_aws_proto {
	SIM_AWS_REST_JSON,	/* Lattice, EKS: X-Amzn-ErrorType + JSON */
	SIM_AWS_QUERY,		/* IAM, STS: <ErrorResponse> XML */
	SIM_AWS_EC2,		/* EC2: <Response><Errors> XML */
	SIM_AWS_JSON		/* awsJson1.1 (tagging): __type in JSON */
};

struct sim_aws_call;

struct sim_aws_service {
	const char		*signing_name;	/* "vpc-lattice", "ec2", ... */
	enum sim_aws_proto	 proto;
	int			 family;	/* SIM_FAMILY_* */
	const char		*xmlns;		/* query/EC2 error namespace */
	const char		*global_region;	/* IAM: "us-east-1"; or NULL */
	/* Serve one request (lock held). Must answer through the reply or
	 * error helpers. */
	void			(*handle)(struct sim_aws_call *);
	/* May this request go unsigned (STS AssumeRoleWithWebIdentity)?
	 * NULL: never. Called without credentials, lock held. */
	int			(*unsigned_ok)(const struct httpd_request *);
};

/* One request being served. */
struct sim_aws_call {
	struct sim_aws			*sim;
	const struct sim_aws_service	*svc;
	const struct httpd_request	*req;
	struct httpd_response		*resp;
	const cJSON			*user;	/* NULL when unsigned; members
						 * accessKeyId, arn, userId */
	const char			*region;	/* from the scope */
	char				 request_id[37];
	int				 presigned;
};

/* Add a service (the struct must outlive the simulator). -1 when one with
 * that signing name exists. */
int		 sim_aws_register(struct sim_aws *, const struct sim_aws_service *);
/* The service's own state subtree (created empty), lock held. */
cJSON		*sim_aws_state(struct sim_aws *, const char *key);
const char	*sim_aws_account(const struct sim_aws *);
const char	*sim_aws_region(const struct sim_aws *);
const struct sim_aws_opts *sim_aws_opts(const struct sim_aws *);
/* The next value of a state-wide counter (pagination order, lock held). */
int64_t		 sim_aws_next_seq(struct sim_aws *);
/* ISO-8601 UTC time of the simulated clock, "2026-11-28T06:22:11.342Z". */
void		 sim_aws_iso_time(struct sim_aws *, int64_t ms, char out[40]);
/* Random lower-case [0-9a-z] (or hex when hex) characters, NUL-ended. */
void		 sim_aws_rand_chars(char *out, size_t n, int hex);

/* Replies. JSON replies take ownership of body (NULL: no body). */
void		 sim_aws_reply_json(struct sim_aws_call *, int status,
		    cJSON *body);
void		 sim_aws_reply_xml(struct sim_aws_call *, int status,
		    const char *xml);
/* The service's error shape: rest-json X-Amzn-ErrorType + {"message"},
 * awsJson {"__type","message"}, query <ErrorResponse>, EC2 <Response>.
 * extra (rest-json/json only; owned, may be NULL) adds body members. */
void		 sim_aws_error_extra(struct sim_aws_call *, int status,
		    const char *code, cJSON *extra, const char *fmt, ...)
		    __attribute__((format(printf, 5, 6)));
#define sim_aws_error(call, status, code, ...) \
	sim_aws_error_extra(call, status, code, NULL, __VA_ARGS__)
/* The service's "no such operation" error: rest-json 404
 * UnknownOperationException, query/EC2 400 InvalidAction. */
void		 sim_aws_unknown_op(struct sim_aws_call *, const char *what);
/* The family's throttling error: rest-json 429 ThrottlingException with
 * Retry-After, query 400 Throttling, EC2 503 RequestLimitExceeded. */
void		 sim_aws_throttle(struct sim_aws_call *);
/* Append s XML-escaped. */
void		 sim_aws_xml_escape(struct strbuf *, const char *s);

/* Decoded name=value pairs of a query string or form body. */
struct sim_aws_params {
	size_t	  n;
	char	**name;
	char	**value;
};
/* Parse len bytes of "a=1&b=%2F" ('+' is a space); bounded to 10000
 * pairs. */
void		 sim_aws_params_parse(struct sim_aws_params *, const char *s,
		    size_t len);
void		 sim_aws_params_free(struct sim_aws_params *);
/* First value of name, or NULL; the idx'th (0-based) for repeats. */
const char	*sim_aws_param(const struct sim_aws_params *, const char *name);
const char	*sim_aws_param_nth(const struct sim_aws_params *,
		    const char *name, size_t idx);
/* Percent-decode a path segment (caller frees). */
char		*sim_aws_unescape(const char *s, size_t len, int plus_space);

/* The built-in VPC Lattice service (aws_lattice.c). */
extern const struct sim_aws_service sim_aws_lattice_service;

#endif
