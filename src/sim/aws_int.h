/*
 * Internals of the simulator's AWS endpoint shared by aws_sim.c,
 * aws_auth.c, aws_faults.c and aws_reply.c. Not for service files (they use
 * the service side of sim_aws.h).
 */
#ifndef LATTICECTL_SIM_AWS_INT_H
#define LATTICECTL_SIM_AWS_INT_H

#include <pthread.h>
#include <stdatomic.h>

#include "latticectl/tbucket.h"

#include "sim_aws.h"

struct sim_aws {
	pthread_mutex_t			 lock;
	struct sim_aws_opts		 opts;	/* strings point below */
	char				*account;
	char				*region;
	cJSON				*state;	/* version, seq, users,
						 * services{} */
	const struct sim_aws_service	*svcs[16];
	size_t				 nsvcs;
	struct tbucket			 buckets[SIM_FAMILY_MAX];
	_Atomic int64_t			 clock_offset_ms;
	struct sim_aws_stats		 stats;
};

/* Registry and users (lock held). */
const struct sim_aws_service *aws_find_service(struct sim_aws *,
	    const char *signing_name);
const struct sim_aws_service *aws_find_unsigned(struct sim_aws *,
	    const struct httpd_request *);
cJSON	*aws_find_user(struct sim_aws *, const char *access_key);
void	 aws_put_user(struct sim_aws *, const char *ak, const char *sk,
	    const char *token, const char *arn, const char *user_id,
	    int64_t expires_ms);
void	 aws_seed_user(struct sim_aws *);

/* Authenticate and pick the service: 0, or -1 with the error answered
 * (lock held). */
int	 aws_auth(struct sim_aws_call *);
/* Rate limit, throttling and 5xx faults: 0 to go on, -1 answered. */
int	 aws_faults_apply(struct sim_aws_call *);
/* Answer 500 in the call's shape (a handler that did not answer). */
void	 aws_internal_error(struct sim_aws_call *);
/* An error in a protocol's shape when no service is known. */
void	 aws_error_proto(struct sim_aws_call *, enum sim_aws_proto,
	    const char *xmlns, int status, const char *code, const char *msg);

#endif
