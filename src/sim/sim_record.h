/*
 * The simulator's request record (`latticectl sim --record FILE`): every
 * AWS and Kubernetes API request the simulator answers is appended to FILE
 * as one JSON line, flushed at once, so that a test can tell which process
 * made each write and when, and count the API calls spent:
 *
 *   {"ms":1764325331342,"api":"aws","writer":"a","method":"PUT",
 *    "path":"/services","status":201}
 *
 * ms is the wall clock (epoch milliseconds) when the answer was ready.
 * writer names the principal: a registered writer's name (matched by its
 * AWS access key id or its Kubernetes bearer token), "admin" for the
 * seeded lab user and the kubeconfig's own token, "-" otherwise. Secrets
 * are never written: tokens are only compared.
 *
 * Writers (`--writer NAME`): each gets its own AWS access key, secret and
 * Kubernetes token, so that several processes can be told apart; the
 * composition (sim.c) creates them and writes DIR/writer-NAME.env and
 * DIR/writer-NAME.kubeconfig (mode 0600).
 *
 * There is one record per process (the simulator is one per process in
 * practice; in-process tests that start several share it). Thread safety:
 * every function locks internally. Ownership: the record copies what it
 * is given.
 */
#ifndef LATTICECTL_SIM_RECORD_H
#define LATTICECTL_SIM_RECORD_H

/* A writer's credentials (strings owned by the struct). */
struct sim_record_writer {
	char	*name;
	char	*access_key;	/* AKIA..., 20 characters */
	char	*secret_key;
	char	*token;		/* Kubernetes bearer token */
};

/* Start recording into path (created 0600, appended to). -1 with *cause
 * naming the file. */
int	 sim_record_open(const char *path, char **cause);
/* Stop recording and forget the writers. */
void	 sim_record_close(void);
/* Whether a record is open. */
int	 sim_record_on(void);
/* Make fresh credentials for a writer named name (index n, from 1, picks
 * the access key) and, when a record is open, remember whose they are;
 * *out is filled (free with sim_record_writer_free). */
void	 sim_record_writer_new(const char *name, unsigned n,
	    struct sim_record_writer *out);
void	 sim_record_writer_free(struct sim_record_writer *);
/* Name the principal behind an access key or a token "admin" (when a
 * record is open). */
void	 sim_record_admin(const char *access_key, const char *token);
/* Record one AWS request (access_key may be NULL: unsigned). */
void	 sim_record_aws(const char *method, const char *path, int status,
	    const char *access_key);
/* Record one Kubernetes request (authorization: the request's
 * Authorization header, or NULL). */
void	 sim_record_kube(const char *method, const char *path, int status,
	    const char *authorization);

#endif
