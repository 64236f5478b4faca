/*
 * The lab services' public entry points (registration, the seeded
 * topology) and the two framework facilities the service side of
 * sim_aws.h lacks: taking the simulator's lock from outside a handler,
 * and adding a principal while the lock is held (STS AssumeRole*). Both
 * reach into aws_int.h, in this file only.
 */
#include <pthread.h>

#include "aws_int.h"
#include "aws_svc_int.h"
#include "sim_aws_lab.h"

#define LAB_MAX_SESSIONS	10000	/* live temporary principals */

/* Take the simulator's lock (not from a handler). */
void
sq_lock(struct sim_aws *sim)
{
	pthread_mutex_lock(&sim->lock);
}

/* Release the simulator's lock. */
void
sq_unlock(struct sim_aws *sim)
{
	pthread_mutex_unlock(&sim->lock);
}

/* Drop expired temporary principals, and the oldest ones beyond
 * LAB_MAX_SESSIONS (bounded memory: every AssumeRole adds one). */
static void
lab_prune_users(struct sim_aws *sim)
{
	cJSON		*users, *u, *next, *oldest = NULL;
	double		 exp, now = (double)sim_aws_now_ms(sim);
	size_t		 temp = 0;

	users = cJSON_GetObjectItemCaseSensitive(sim->state, "users");
	for (u = users != NULL ? users->child : NULL; u != NULL; u = next) {
		next = u->next;
		exp = cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(u,
		    "expiresMs"));
		if (!(exp > 0))
			continue;
		if (exp < now)
			cJSON_Delete(cJSON_DetachItemViaPointer(users, u));
		else if (temp++ == 0)
			oldest = u;
	}
	if (temp >= LAB_MAX_SESSIONS && oldest != NULL)
		cJSON_Delete(cJSON_DetachItemViaPointer(users, oldest));
}

/* Add or replace a principal (lock held). */
void
sq_put_user(struct sim_aws *sim, const char *ak, const char *sk,
    const char *token, const char *arn, const char *user_id,
    int64_t expires_ms)
{
	lab_prune_users(sim);
	aws_put_user(sim, ak, sk, token, arn, user_id, expires_ms);
}

/* Register EC2, IAM, STS and EKS (already registered ones are kept). */
void
sim_aws_register_lab(struct sim_aws *sim)
{
	sim_aws_register(sim, &sim_aws_ec2_service);
	sim_aws_register(sim, &sim_aws_iam_service);
	sim_aws_register(sim, &sim_aws_sts_service);
	sim_aws_register(sim, &sim_aws_eks_service);
}

/* Register the services and seed the workshop's VPCs. */
void
sim_aws_seed_lab(struct sim_aws *sim)
{
	sim_aws_register_lab(sim);
	sq_lock(sim);
	sim_ec2_seed_lab(sim);
	sq_unlock(sim);
}
