/*
 * The mirror's life cycle, API call counters, client tokens and small
 * shared helpers.
 */
#define LOG_MODULE "mirror"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/log.h"
#include "latticectl/sigv4.h"
#include "latticectl/strbuf.h"
#include "latticectl/xmalloc.h"

#include "mirror_int.h"

static const struct {
	const char	*name;
	int		 write;
} mx_ops[MXOP_MAX] = {
	[MXOP_LIST_SERVICES] = { "ListServices", 0 },
	[MXOP_LIST_SNS] = { "ListServiceNetworks", 0 },
	[MXOP_LIST_TGS] = { "ListTargetGroups", 0 },
	[MXOP_LIST_SNSAS] = { "ListServiceNetworkServiceAssociations", 0 },
	[MXOP_LIST_SNVAS] = { "ListServiceNetworkVpcAssociations", 0 },
	[MXOP_LIST_LISTENERS] = { "ListListeners", 0 },
	[MXOP_LIST_RULES] = { "ListRules", 0 },
	[MXOP_LIST_TARGETS] = { "ListTargets", 0 },
	[MXOP_LIST_TAGS] = { "ListTagsForResource", 0 },
	[MXOP_GET_SERVICE] = { "GetService", 0 },
	[MXOP_GET_TG] = { "GetTargetGroup", 0 },
	[MXOP_GET_RULE] = { "GetRule", 0 },
	[MXOP_GET_SNSA] = { "GetServiceNetworkServiceAssociation", 0 },
	[MXOP_GET_LISTENER] = { "GetListener", 0 },
	[MXOP_CREATE_SERVICE] = { "CreateService", 1 },
	[MXOP_UPDATE_SERVICE] = { "UpdateService", 1 },
	[MXOP_DELETE_SERVICE] = { "DeleteService", 1 },
	[MXOP_CREATE_SNSA] = { "CreateServiceNetworkServiceAssociation", 1 },
	[MXOP_DELETE_SNSA] = { "DeleteServiceNetworkServiceAssociation", 1 },
	[MXOP_CREATE_LISTENER] = { "CreateListener", 1 },
	[MXOP_UPDATE_LISTENER] = { "UpdateListener", 1 },
	[MXOP_DELETE_LISTENER] = { "DeleteListener", 1 },
	[MXOP_CREATE_RULE] = { "CreateRule", 1 },
	[MXOP_UPDATE_RULE] = { "UpdateRule", 1 },
	[MXOP_BATCH_UPDATE_RULE] = { "BatchUpdateRule", 1 },
	[MXOP_DELETE_RULE] = { "DeleteRule", 1 },
	[MXOP_CREATE_TG] = { "CreateTargetGroup", 1 },
	[MXOP_UPDATE_TG] = { "UpdateTargetGroup", 1 },
	[MXOP_DELETE_TG] = { "DeleteTargetGroup", 1 },
	[MXOP_REGISTER_TARGETS] = { "RegisterTargets", 1 },
	[MXOP_DEREGISTER_TARGETS] = { "DeregisterTargets", 1 },
	[MXOP_TAG_RESOURCE] = { "TagResource", 1 },
	[MXOP_GET_SN] = { "GetServiceNetwork", 0 },
	[MXOP_UPDATE_SN] = { "UpdateServiceNetwork", 1 },
	[MXOP_GET_SNVA] = { "GetServiceNetworkVpcAssociation", 0 },
	[MXOP_CREATE_SNVA] = { "CreateServiceNetworkVpcAssociation", 1 },
	[MXOP_UPDATE_SNVA] = { "UpdateServiceNetworkVpcAssociation", 1 },
	[MXOP_DELETE_SNVA] = { "DeleteServiceNetworkVpcAssociation", 1 },
	[MXOP_GET_AUTH_POLICY] = { "GetAuthPolicy", 0 },
	[MXOP_PUT_AUTH_POLICY] = { "PutAuthPolicy", 1 },
	[MXOP_DELETE_AUTH_POLICY] = { "DeleteAuthPolicy", 1 },
	[MXOP_LIST_ALS] = { "ListAccessLogSubscriptions", 0 },
	[MXOP_GET_ALS] = { "GetAccessLogSubscription", 0 },
	[MXOP_CREATE_ALS] = { "CreateAccessLogSubscription", 1 },
	[MXOP_UPDATE_ALS] = { "UpdateAccessLogSubscription", 1 },
	[MXOP_DELETE_ALS] = { "DeleteAccessLogSubscription", 1 },
};

/* A new, empty mirror (mirror_load fills it). */
struct mirror *
mirror_new(struct aws *aws, const struct mirror_config *cfg)
{
	struct mirror		*m;
	pthread_rwlockattr_t	 ra;

	m = xcalloc(1, sizeof(*m));
	m->aws = aws;
	m->managed_by = xstrdup(cfg->managed_by != NULL ? cfg->managed_by :
	    "");
	m->vpc_id = xstrdup_or_null(cfg->vpc_id);
	m->pending_s = cfg->requeue_pending_s != 0 ? cfg->requeue_pending_s :
	    PLAN_REQUEUE_PENDING_S;
	pthread_rwlockattr_init(&ra);
	pthread_rwlockattr_setkind_np(&ra,
	    PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
	pthread_rwlock_init(&m->rw, &ra);
	pthread_rwlockattr_destroy(&ra);
	pthread_mutex_init(&m->mu, NULL);
	pthread_mutex_init(&m->stats_mu, NULL);
	return m;
}

/* Free the mirror and everything it knows. */
void
mirror_free(struct mirror *m)
{
	if (m == NULL)
		return;
	mx_state_free(&m->st);
	hmap_free(&m->salts, NULL);
	pthread_rwlock_destroy(&m->rw);
	pthread_mutex_destroy(&m->mu);
	pthread_mutex_destroy(&m->stats_mu);
	free(m->managed_by);
	free(m->vpc_id);
	free(m);
}

/* Has the mirror been listed? */
int
mirror_loaded(struct mirror *m)
{
	int	loaded;

	pthread_mutex_lock(&m->mu);
	loaded = m->loaded;
	pthread_mutex_unlock(&m->mu);
	return loaded;
}

/* Count one API call and its outcome. */
void
mx_count(struct mirror *m, enum mx_op op, int ok)
{
	pthread_mutex_lock(&m->stats_mu);
	m->calls[op]++;
	if (!ok)
		m->errors[op]++;
	pthread_mutex_unlock(&m->stats_mu);
}

/* Count one call made outside the mirror, by operation name (names the
 * table does not know are not counted). */
void
mirror_count(struct mirror *m, const char *op, int ok)
{
	size_t	i;

	for (i = 0; i < MXOP_MAX; i++) {
		if (mx_ops[i].name != NULL && strcmp(mx_ops[i].name, op) == 0) {
			mx_count(m, (enum mx_op)i, ok);
			return;
		}
	}
}

/* Per-operation counters, operations never called left out. */
size_t
mirror_call_counts(struct mirror *m, struct mirror_call_count *out,
    size_t max)
{
	size_t	i, n = 0;

	pthread_mutex_lock(&m->stats_mu);
	for (i = 0; i < MXOP_MAX && n < max; i++) {
		if (m->calls[i] == 0)
			continue;
		out[n].op = mx_ops[i].name;
		out[n].write = mx_ops[i].write;
		out[n].calls = m->calls[i];
		out[n].errors = m->errors[i];
		n++;
	}
	pthread_mutex_unlock(&m->stats_mu);
	return n;
}

/* Total calls, or writes only. */
uint64_t
mirror_calls(struct mirror *m, int writes_only)
{
	uint64_t	total = 0;
	size_t		i;

	pthread_mutex_lock(&m->stats_mu);
	for (i = 0; i < MXOP_MAX; i++) {
		if (!writes_only || mx_ops[i].write)
			total += m->calls[i];
	}
	pthread_mutex_unlock(&m->stats_mu);
	return total;
}

/* Zero the counters. */
void
mirror_reset_counts(struct mirror *m)
{
	pthread_mutex_lock(&m->stats_mu);
	memset(m->calls, 0, sizeof(m->calls));
	memset(m->errors, 0, sizeof(m->errors));
	pthread_mutex_unlock(&m->stats_mu);
}

/* The deterministic client token of one logical create. */
void
mx_token(struct mirror *m, const char *key, const char *content,
    char out[65])
{
	struct strbuf	sb;
	uintptr_t	salt;

	salt = (uintptr_t)hmap_get(&m->salts, key);
	strbuf_init(&sb);
	strbuf_addf(&sb, "latticectl\n%s\n%s\n%s\n%" PRIuPTR, m->managed_by,
	    key, content, salt);
	sigv4_sha256_hex(sb.buf, sb.len, out);
	strbuf_free(&sb);
}

/* Change the salt of a logical key so its next token is new. */
void
mx_salt_bump(struct mirror *m, const char *key)
{
	uintptr_t	salt;

	salt = (uintptr_t)hmap_get(&m->salts, key);
	hmap_put(&m->salts, key, (void *)(salt + 1));
}

/* Does the error carry this code? */
int
mx_err_is(const struct aws_error *err, const char *code)
{
	return err->code != NULL && strcmp(err->code, code) == 0;
}

/* CREATE_IN_PROGRESS, DELETE_IN_PROGRESS, UPDATE_IN_PROGRESS. */
int
mx_transitional(const char *status)
{
	return status != NULL && strstr(status, "_IN_PROGRESS") != NULL;
}

/* "arn:...:targetgroup/tg-1" -> "tg-1"; an id is returned as is. */
const char *
mx_ident_id(const char *ident)
{
	const char	*slash;

	if (ident == NULL || strncmp(ident, "arn:", 4) != 0)
		return ident;
	slash = strrchr(ident, '/');
	return slash != NULL ? slash + 1 : ident;
}

/* The ARN and DNS name of a service known by name. */
int
mirror_service_info(struct mirror *m, const char *name, char **arn,
    char **dns)
{
	struct mx_service	*s;

	*arn = *dns = NULL;
	pthread_mutex_lock(&m->mu);
	if ((s = mx_svc_by_name(m, name)) != NULL) {
		*arn = xstrdup_or_null(s->s.arn);
		*dns = xstrdup_or_null(s->s.dns_entry.domain_name);
	}
	pthread_mutex_unlock(&m->mu);
	return s != NULL ? 0 : -1;
}

/* Copy the listed service networks (id, ARN, name). */
int
mirror_service_networks(struct mirror *m,
    struct lattice_service_network_list *out)
{
	const struct lattice_service_network	*sn;
	size_t					 i;
	int					 rc = -1;

	memset(out, 0, sizeof(*out));
	pthread_mutex_lock(&m->mu);
	if (m->loaded) {
		out->items = xcalloc(m->st.n_sns + 1, sizeof(*out->items));
		for (i = 0; i < m->st.n_sns; i++) {
			sn = &m->st.sns[i];
			out->items[i].id = xstrdup_or_null(sn->id);
			out->items[i].arn = xstrdup_or_null(sn->arn);
			out->items[i].name = xstrdup_or_null(sn->name);
			out->items[i].n_associated_vpcs = -1;
			out->items[i].n_associated_services = -1;
			out->items[i].n_associated_resource_configs = -1;
		}
		out->n = m->st.n_sns;
		rc = 0;
	}
	pthread_mutex_unlock(&m->mu);
	return rc;
}
