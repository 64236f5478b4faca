/*
 * Internals of doctor (the files of src/doctor): one struct doc per run holds the
 * options, the facts found on the way (controller Deployment, cluster,
 * VPC, Gateways) and the checks so far. Owner: helper d9.
 *
 * Ownership: struct doc owns every member (doc_free); doc_add copies its
 * strings.
 */
#ifndef LATTICECTL_DOCTOR_INT_H
#define LATTICECTL_DOCTOR_INT_H

#include <cjson/cJSON.h>

#include "latticectl/doctor.h"
#include "latticectl/eks.h"

struct doc {
	const struct doctor_opts *o;
	struct kube_client	*kc;
	struct aws		*aws;
	cJSON			*checks;	/* the report's array */
	const char		*ctl_ns;
	/* cluster facts */
	cJSON			*deploys;	/* controller Deployments */
	char			*sa_ns;		/* its ServiceAccount */
	char			*sa_name;
	char			*role_arn;	/* from the annotation */
	char			*cluster;	/* cluster name, or NULL */
	char			*vpc_id;
	char			*account;
	int			 have_eks;
	struct eks_cluster	 eks;
	/* Gateways of our class (subset named by the route's parents) */
	cJSON			*gateways;
	cJSON			*routes;	/* the route objects checked */
	char			*target;	/* "HTTPRoute/ns/name" or NULL */
};

/* Append a check (group from the id's first part). evidence and fix may
 * be NULL (""). */
void	 doc_add(struct doc *, const char *id, const char *subject,
	    enum doctor_status, const char *title, const char *evidence,
	    const char *fix);
/* Same, evidence formatted. */
void	 doc_addf(struct doc *, const char *id, const char *subject,
	    enum doctor_status, const char *title, const char *fix,
	    const char *fmt, ...) __attribute__((format(printf, 7, 8)));

/* A resolved GET / list through the discovery (0, 1 not found or not
 * served, -1 error with *cause). */
int	 doc_kget(struct doc *, const struct kube_resource *, const char *ns,
	    const char *name, cJSON **out, char **cause);
int	 doc_klist(struct doc *, const struct kube_resource *, const char *ns,
	    const char *selector, cJSON **items, char **cause);
/* Is a string value in a JSON string array? */
int	 doc_str_in(const cJSON *arr, const char *s);

/* The check families, in order. -1 with *cause: could not check. */
int	 doc_cluster(struct doc *, char **cause);
void	 doc_identity(struct doc *);
void	 doc_crds(struct doc *);
void	 doc_network(struct doc *);
int	 doc_routes(struct doc *, char **cause);
/* Per route checks from the engine's map and plan (doctor_route.c calls
 * these from doctor_targets.c). */
void	 doc_route_targets(struct doc *, const char *subject,
	    const cJSON *route_obj, const cJSON *map);
void	 doc_route_health(struct doc *, const char *subject, const cJSON *map);
void	 doc_route_quotas(struct doc *, const char *subject, const cJSON *map);
/* The operations of a route's plan on families of resources (words of
 * the operation names; "wait" operations by their resource's first
 * word), one "op resource (reason)" line each in *ops (caller frees):
 * DOCTOR_OK none, DOCTOR_WARN only waits (progressing), else
 * DOCTOR_FAIL. */
enum doctor_status doc_plan_status(const cJSON *plan,
	    const char *const *families, char **ops);

#endif
