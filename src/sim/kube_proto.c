/* sim_kube protobuf request bodies: kubectl's typed clients send built-in
 * objects as application/vnd.kubernetes.protobuf ("k8s\0" + runtime.Unknown
 * wrapping the generated message). Decoded into JSON through field tables
 * for the kinds kubectl creates; unknown fields are dropped. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "latticectl/error.h"
#include "latticectl/json.h"
#include "latticectl/timeutil.h"
#include "latticectl/xmalloc.h"
#include "kube_int.h"

#define KP_MAX_DEPTH	32

enum kp_kind {
	KP_STR,		/* string */
	KP_INT,		/* int32/int64 varint */
	KP_BOOL,
	KP_BYTES,	/* bytes -> base64 */
	KP_MSG,		/* nested message */
	KP_MAP_SS,	/* map<string,string> */
	KP_MAP_SB,	/* map<string,bytes> -> base64 values */
	KP_MAP_SQ,	/* map<string,Quantity> */
	KP_TIME,	/* meta.v1.Time -> RFC 3339 */
	KP_MTIME,	/* meta.v1.MicroTime -> RFC 3339 with micros */
	KP_IOS,		/* intstr.IntOrString */
	KP_QTY		/* resource.Quantity */
};

struct kp_field {
	unsigned		 num;
	const char		*name;
	enum kp_kind		 kind;
	int			 repeated;
	const struct kp_field	*sub;
	int			 ptr;	/* Go pointer: a zero value is kept */
};

/* Plain, repeated, message, repeated message, pointer scalar fields.
 * Zero scalars of plain fields are dropped, as Go's omitempty does. */
#define F(n, name, kind)	{ n, name, kind, 0, NULL, 0 }
#define R(n, name, kind)	{ n, name, kind, 1, NULL, 0 }
#define M(n, name, sub)		{ n, name, KP_MSG, 0, sub, 0 }
#define RM(n, name, sub)	{ n, name, KP_MSG, 1, sub, 0 }
#define P(n, name, kind)	{ n, name, kind, 0, NULL, 1 }
#define END			{ 0, NULL, KP_STR, 0, NULL, 0 }

static const struct kp_field kp_owner_ref[] = {
	F(1, "kind", KP_STR), F(3, "name", KP_STR), F(4, "uid", KP_STR),
	F(5, "apiVersion", KP_STR), P(6, "controller", KP_BOOL),
	P(7, "blockOwnerDeletion", KP_BOOL), END
};
static const struct kp_field kp_meta[] = {
	F(1, "name", KP_STR), F(2, "generateName", KP_STR),
	F(3, "namespace", KP_STR), F(5, "uid", KP_STR),
	F(6, "resourceVersion", KP_STR), F(7, "generation", KP_INT),
	F(8, "creationTimestamp", KP_TIME), F(9, "deletionTimestamp", KP_TIME),
	P(10, "deletionGracePeriodSeconds", KP_INT),
	F(11, "labels", KP_MAP_SS), F(12, "annotations", KP_MAP_SS),
	RM(13, "ownerReferences", kp_owner_ref), R(14, "finalizers", KP_STR),
	END
};
static const struct kp_field kp_type_meta[] = {
	F(1, "apiVersion", KP_STR), F(2, "kind", KP_STR), END
};
static const struct kp_field kp_ns_spec[] = {
	R(1, "finalizers", KP_STR), END
};
static const struct kp_field kp_namespace[] = {
	M(1, "metadata", kp_meta), M(2, "spec", kp_ns_spec), END
};
static const struct kp_field kp_configmap[] = {
	M(1, "metadata", kp_meta), F(2, "data", KP_MAP_SS),
	F(3, "binaryData", KP_MAP_SB), P(4, "immutable", KP_BOOL), END
};
static const struct kp_field kp_secret[] = {
	M(1, "metadata", kp_meta), F(2, "data", KP_MAP_SB),
	F(3, "type", KP_STR), F(4, "stringData", KP_MAP_SS),
	P(5, "immutable", KP_BOOL), END
};
static const struct kp_field kp_obj_ref[] = {
	F(1, "kind", KP_STR), F(2, "namespace", KP_STR), F(3, "name", KP_STR),
	F(4, "uid", KP_STR), F(5, "apiVersion", KP_STR),
	F(6, "resourceVersion", KP_STR), F(7, "fieldPath", KP_STR), END
};
static const struct kp_field kp_local_ref[] = {
	F(1, "name", KP_STR), END
};
static const struct kp_field kp_sa[] = {
	M(1, "metadata", kp_meta), RM(2, "secrets", kp_obj_ref),
	RM(3, "imagePullSecrets", kp_local_ref),
	P(4, "automountServiceAccountToken", KP_BOOL), END
};
static const struct kp_field kp_svc_port[] = {
	F(1, "name", KP_STR), F(2, "protocol", KP_STR), F(3, "port", KP_INT),
	F(4, "targetPort", KP_IOS), F(5, "nodePort", KP_INT),
	P(6, "appProtocol", KP_STR), END
};
static const struct kp_field kp_svc_spec[] = {
	RM(1, "ports", kp_svc_port), F(2, "selector", KP_MAP_SS),
	F(3, "clusterIP", KP_STR), F(4, "type", KP_STR),
	R(5, "externalIPs", KP_STR), F(7, "sessionAffinity", KP_STR),
	F(8, "loadBalancerIP", KP_STR), R(9, "loadBalancerSourceRanges",
	    KP_STR),
	F(10, "externalName", KP_STR), F(11, "externalTrafficPolicy", KP_STR),
	F(12, "healthCheckNodePort", KP_INT),
	F(13, "publishNotReadyAddresses", KP_BOOL), END
};
static const struct kp_field kp_service[] = {
	M(1, "metadata", kp_meta), M(2, "spec", kp_svc_spec), END
};
static const struct kp_field kp_container_port[] = {
	F(1, "name", KP_STR), F(2, "hostPort", KP_INT),
	F(3, "containerPort", KP_INT), F(4, "protocol", KP_STR),
	F(5, "hostIP", KP_STR), END
};
static const struct kp_field kp_env[] = {
	F(1, "name", KP_STR), F(2, "value", KP_STR), END
};
static const struct kp_field kp_resources[] = {
	F(1, "limits", KP_MAP_SQ), F(2, "requests", KP_MAP_SQ), END
};
static const struct kp_field kp_volume_mount[] = {
	F(1, "name", KP_STR), F(2, "readOnly", KP_BOOL),
	F(3, "mountPath", KP_STR), F(4, "subPath", KP_STR), END
};
static const struct kp_field kp_container[] = {
	F(1, "name", KP_STR), F(2, "image", KP_STR), R(3, "command", KP_STR),
	R(4, "args", KP_STR), F(5, "workingDir", KP_STR),
	RM(6, "ports", kp_container_port), RM(7, "env", kp_env),
	M(8, "resources", kp_resources), RM(9, "volumeMounts", kp_volume_mount),
	F(13, "terminationMessagePath", KP_STR),
	F(14, "imagePullPolicy", KP_STR), F(16, "stdin", KP_BOOL),
	F(17, "stdinOnce", KP_BOOL), F(18, "tty", KP_BOOL),
	F(20, "terminationMessagePolicy", KP_STR), END
};
static const struct kp_field kp_pod_spec[] = {
	RM(2, "containers", kp_container), F(3, "restartPolicy", KP_STR),
	P(4, "terminationGracePeriodSeconds", KP_INT),
	P(5, "activeDeadlineSeconds", KP_INT), F(6, "dnsPolicy", KP_STR),
	F(7, "nodeSelector", KP_MAP_SS), F(8, "serviceAccountName", KP_STR),
	F(9, "serviceAccount", KP_STR), F(10, "nodeName", KP_STR),
	F(11, "hostNetwork", KP_BOOL), RM(15, "imagePullSecrets", kp_local_ref),
	F(16, "hostname", KP_STR), F(17, "subdomain", KP_STR),
	F(19, "schedulerName", KP_STR), RM(20, "initContainers", kp_container),
	P(21, "automountServiceAccountToken", KP_BOOL), END
};
static const struct kp_field kp_pod_template[] = {
	M(1, "metadata", kp_meta), M(2, "spec", kp_pod_spec), END
};
static const struct kp_field kp_pod[] = {
	M(1, "metadata", kp_meta), M(2, "spec", kp_pod_spec), END
};
static const struct kp_field kp_sel_req[] = {
	F(1, "key", KP_STR), F(2, "operator", KP_STR), R(3, "values", KP_STR),
	END
};
static const struct kp_field kp_label_sel[] = {
	F(1, "matchLabels", KP_MAP_SS), RM(2, "matchExpressions", kp_sel_req),
	END
};
static const struct kp_field kp_rolling[] = {
	F(1, "maxUnavailable", KP_IOS), F(2, "maxSurge", KP_IOS), END
};
static const struct kp_field kp_strategy[] = {
	F(1, "type", KP_STR), M(2, "rollingUpdate", kp_rolling), END
};
static const struct kp_field kp_deploy_spec[] = {
	P(1, "replicas", KP_INT), M(2, "selector", kp_label_sel),
	M(3, "template", kp_pod_template), M(4, "strategy", kp_strategy),
	F(5, "minReadySeconds", KP_INT), P(6, "revisionHistoryLimit", KP_INT),
	F(7, "paused", KP_BOOL), P(9, "progressDeadlineSeconds", KP_INT), END
};
static const struct kp_field kp_deployment[] = {
	M(1, "metadata", kp_meta), M(2, "spec", kp_deploy_spec), END
};
static const struct kp_field kp_rule[] = {
	R(1, "verbs", KP_STR), R(2, "apiGroups", KP_STR),
	R(3, "resources", KP_STR), R(4, "resourceNames", KP_STR),
	R(5, "nonResourceURLs", KP_STR), END
};
static const struct kp_field kp_role[] = {
	M(1, "metadata", kp_meta), RM(2, "rules", kp_rule), END
};
static const struct kp_field kp_subject[] = {
	F(1, "kind", KP_STR), F(2, "apiGroup", KP_STR), F(3, "name", KP_STR),
	F(4, "namespace", KP_STR), END
};
static const struct kp_field kp_role_ref[] = {
	F(1, "apiGroup", KP_STR), F(2, "kind", KP_STR), F(3, "name", KP_STR),
	END
};
static const struct kp_field kp_binding[] = {
	M(1, "metadata", kp_meta), RM(2, "subjects", kp_subject),
	M(3, "roleRef", kp_role_ref), END
};
static const struct kp_field kp_lease_spec[] = {
	P(1, "holderIdentity", KP_STR), P(2, "leaseDurationSeconds", KP_INT),
	F(3, "acquireTime", KP_MTIME), F(4, "renewTime", KP_MTIME),
	P(5, "leaseTransitions", KP_INT), END
};
static const struct kp_field kp_lease[] = {
	M(1, "metadata", kp_meta), M(2, "spec", kp_lease_spec), END
};
static const struct kp_field kp_preconditions[] = {
	P(1, "uid", KP_STR), P(2, "resourceVersion", KP_STR), END
};
static const struct kp_field kp_delete_opts[] = {
	P(1, "gracePeriodSeconds", KP_INT),
	M(2, "preconditions", kp_preconditions),
	P(3, "orphanDependents", KP_BOOL), P(4, "propagationPolicy", KP_STR),
	R(5, "dryRun", KP_STR), END
};
static const struct kp_field kp_time[] = {
	F(1, "seconds", KP_INT), F(2, "nanos", KP_INT), END
};
static const struct kp_field kp_ios[] = {
	F(1, "type", KP_INT), F(2, "intVal", KP_INT), F(3, "strVal", KP_STR),
	END
};
static const struct kp_field kp_qty[] = {
	F(1, "string", KP_STR), END
};

/* The top-level kinds decoded, by kind name. */
static const struct {
	const char		*kind;
	const struct kp_field	*fields;
} kp_kinds[] = {
	{ "Namespace", kp_namespace }, { "ConfigMap", kp_configmap },
	{ "Secret", kp_secret }, { "ServiceAccount", kp_sa },
	{ "Service", kp_service }, { "Pod", kp_pod },
	{ "Deployment", kp_deployment }, { "Role", kp_role },
	{ "ClusterRole", kp_role }, { "RoleBinding", kp_binding },
	{ "ClusterRoleBinding", kp_binding }, { "Lease", kp_lease },
	{ "DeleteOptions", kp_delete_opts }, { NULL, NULL }
};

struct kp_in {
	const uint8_t	*p;
	size_t		 len;
	size_t		 off;
};

/* Read a base-128 varint; -1 when truncated or too long. */
static int
kp_varint(struct kp_in *in, uint64_t *v)
{
	unsigned	shift = 0;
	uint8_t		b;

	*v = 0;
	do {
		if (in->off >= in->len || shift > 63)
			return -1;
		b = in->p[in->off++];
		*v |= (uint64_t)(b & 0x7f) << shift;
		shift += 7;
	} while (b & 0x80);
	return 0;
}

/* Read a length-delimited field's extent. */
static int
kp_bytes(struct kp_in *in, const uint8_t **p, size_t *n)
{
	uint64_t	len;

	if (kp_varint(in, &len) != 0 || len > in->len - in->off)
		return -1;
	*p = in->p + in->off;
	*n = (size_t)len;
	in->off += (size_t)len;
	return 0;
}

/* Skip a field of the given wire type. */
static int
kp_skip(struct kp_in *in, unsigned wt)
{
	uint64_t	 v;
	const uint8_t	*p;
	size_t		 n;

	switch (wt) {
	case 0:
		return kp_varint(in, &v);
	case 1:
	case 5:
		n = wt == 1 ? 8 : 4;
		if (in->len - in->off < n)
			return -1;
		in->off += n;
		return 0;
	case 2:
		return kp_bytes(in, &p, &n);
	default:
		return -1;
	}
}

static cJSON	*kp_message(const struct kp_field *, const uint8_t *, size_t,
		    int);

/* A Time message as RFC 3339 text. */
static cJSON *
kp_time_value(const uint8_t *p, size_t n, int micro, int depth)
{
	cJSON		*t = kp_message(kp_time, p, n, depth + 1);
	struct timespec	 ts;
	char		 buf[48];

	if (t == NULL)
		return NULL;
	ts.tv_sec = (time_t)json_num(t, "seconds", 0);
	ts.tv_nsec = (long)json_num(t, "nanos", 0);
	if (ts.tv_nsec < 0 || ts.tv_nsec > 999999999)
		ts.tv_nsec = 0;
	cJSON_Delete(t);
	time_format_rfc3339(&ts, micro ? 6 : 0, buf, sizeof buf);
	return cJSON_CreateString(buf);
}

/* An IntOrString message as a number or a string. */
static cJSON *
kp_ios_value(const uint8_t *p, size_t n, int depth)
{
	cJSON	*t = kp_message(kp_ios, p, n, depth + 1), *v;

	if (t == NULL)
		return NULL;
	if (json_num(t, "type", 0) == 1)
		v = cJSON_CreateString(json_str(t, "strVal") != NULL ?
		    json_str(t, "strVal") : "");
	else
		v = cJSON_CreateNumber(json_num(t, "intVal", 0));
	cJSON_Delete(t);
	return v;
}

/* Add one map entry (key = 1, value = 2) to obj. */
static int
kp_map_entry(cJSON *obj, enum kp_kind kind, const uint8_t *p, size_t n,
    int depth)
{
	struct kp_in	 in = { p, n, 0 };
	const uint8_t	*kp = NULL, *vp = NULL, *bp;
	size_t		 kn = 0, vn = 0, bn;
	uint64_t	 key;
	char		*k, *v;
	cJSON		*q;

	while (in.off < in.len) {
		if (kp_varint(&in, &key) != 0)
			return -1;
		if ((key & 7) != 2) {
			if (kp_skip(&in, key & 7) != 0)
				return -1;
			continue;
		}
		if (kp_bytes(&in, &bp, &bn) != 0)
			return -1;
		if ((key >> 3) == 1) {
			kp = bp;
			kn = bn;
		} else if ((key >> 3) == 2) {
			vp = bp;
			vn = bn;
		}
	}
	k = xstrndup(kp != NULL ? (const char *)kp : "", kn);
	if (kind == KP_MAP_SB)
		v = skube_b64(vp != NULL ? vp : (const uint8_t *)"", vn);
	else if (kind == KP_MAP_SQ) {
		q = kp_message(kp_qty, vp != NULL ? vp : (const uint8_t *)"",
		    vn, depth + 1);
		v = xstrdup(json_str(q, "string") != NULL ?
		    json_str(q, "string") : "0");
		cJSON_Delete(q);
	} else
		v = xstrndup(vp != NULL ? (const char *)vp : "", vn);
	skube_set_str(obj, k, v);
	free(k);
	free(v);
	return 0;
}

/* A string item from n bytes (cut at an embedded NUL). */
static cJSON *
kp_str_item(const uint8_t *p, size_t n)
{
	char	*s = xstrndup((const char *)p, n);
	cJSON	*c = cJSON_CreateString(s);

	free(s);
	return c;
}

/* A base64 string item from n bytes. */
static cJSON *
kp_b64_item(const uint8_t *p, size_t n)
{
	char	*s = skube_b64(p, n);
	cJSON	*c = cJSON_CreateString(s);

	free(s);
	return c;
}

/* A Quantity message as its string. */
static cJSON *
kp_qty_value(const uint8_t *p, size_t n, int depth)
{
	cJSON	*q = kp_message(kp_qty, p, n, depth + 1), *c;

	if (q == NULL)
		return NULL;
	c = cJSON_CreateString(json_str(q, "string") != NULL ?
	    json_str(q, "string") : "0");
	cJSON_Delete(q);
	return c;
}

/* The JSON value of one length-delimited field. */
static cJSON *
kp_len_value(const struct kp_field *f, const uint8_t *p, size_t n, int depth)
{
	switch (f->kind) {
	case KP_STR:
		return kp_str_item(p, n);
	case KP_BYTES:
		return kp_b64_item(p, n);
	case KP_MSG:
		return kp_message(f->sub, p, n, depth + 1);
	case KP_TIME:
	case KP_MTIME:
		return kp_time_value(p, n, f->kind == KP_MTIME, depth);
	case KP_IOS:
		return kp_ios_value(p, n, depth);
	case KP_QTY:
		return kp_qty_value(p, n, depth);
	default:
		return NULL;
	}
}

/* The field of a table with this number, or NULL. */
static const struct kp_field *
kp_find(const struct kp_field *fields, unsigned num)
{
	for (; fields->name != NULL; fields++) {
		if (fields->num == num)
			return fields;
	}
	return NULL;
}

/* Store a decoded value under f's name (appending when repeated). */
static void
kp_store(cJSON *obj, const struct kp_field *f, cJSON *v)
{
	cJSON	*arr;

	if (!f->repeated) {
		skube_set_item(obj, f->name, v);
		return;
	}
	arr = skube_child(obj, f->name, cJSON_Array);
	cJSON_AddItemToArray(arr, v);
}

/* Whether a decoded value is Go's zero value that omitempty drops. */
static int
kp_is_zero(const struct kp_field *f, const cJSON *item)
{
	if (f->ptr || f->repeated)
		return 0;
	if ((f->kind == KP_STR || f->kind == KP_BYTES) && cJSON_IsString(item))
		return *item->valuestring == '\0';
	if (f->kind == KP_TIME || f->kind == KP_MTIME)
		return strncmp(item->valuestring, "1970-01-01T00:00:00",
		    19) == 0;
	return 0;
}

/* Decode one field with its wire type into obj. */
static int
kp_field(cJSON *obj, const struct kp_field *f, unsigned wt, struct kp_in *in,
    int depth)
{
	const uint8_t	*p;
	size_t		 n;
	uint64_t	 v;
	cJSON		*item;

	if (f->kind == KP_INT || f->kind == KP_BOOL) {
		if (wt != 0 || kp_varint(in, &v) != 0)
			return -1;
		if (v == 0 && !f->ptr && !f->repeated)
			return 0;
		item = f->kind == KP_BOOL ? cJSON_CreateBool(v != 0) :
		    cJSON_CreateNumber((double)(int64_t)v);
		kp_store(obj, f, item);
		return 0;
	}
	if (wt != 2 || kp_bytes(in, &p, &n) != 0)
		return -1;
	if (f->kind == KP_MAP_SS || f->kind == KP_MAP_SB ||
	    f->kind == KP_MAP_SQ)
		return kp_map_entry(skube_child(obj, f->name, cJSON_Object),
		    f->kind, p, n, depth);
	if ((item = kp_len_value(f, p, n, depth)) == NULL)
		return -1;
	if (kp_is_zero(f, item)) {
		cJSON_Delete(item);
		return 0;
	}
	kp_store(obj, f, item);
	return 0;
}

/* Decode a message with a field table; NULL when malformed. */
static cJSON *
kp_message(const struct kp_field *fields, const uint8_t *p, size_t n,
    int depth)
{
	struct kp_in		 in = { p, n, 0 };
	const struct kp_field	*f;
	cJSON			*obj;
	uint64_t		 key;

	if (depth > KP_MAX_DEPTH)
		return NULL;
	obj = cJSON_CreateObject();
	while (in.off < in.len) {
		if (kp_varint(&in, &key) != 0 || (key >> 3) == 0 ||
		    (key >> 3) > 0x1fffffff)
			goto bad;
		f = kp_find(fields, (unsigned)(key >> 3));
		if (f == NULL ? kp_skip(&in, key & 7) != 0 :
		    kp_field(obj, f, key & 7, &in, depth) != 0)
			goto bad;
	}
	return obj;
bad:
	cJSON_Delete(obj);
	return NULL;
}

/* The field table of a top-level kind, or NULL. */
static const struct kp_field *
kp_kind_fields(const char *kind)
{
	size_t	i;

	for (i = 0; kind != NULL && kp_kinds[i].kind != NULL; i++) {
		if (strcmp(kp_kinds[i].kind, kind) == 0)
			return kp_kinds[i].fields;
	}
	return NULL;
}

/* Split the runtime.Unknown envelope: TypeMeta (1), raw (2) and the
 * content encoding (3); -1 when malformed. */
static int
kp_envelope(const uint8_t *p, size_t n, cJSON **tm, const uint8_t **raw,
    size_t *rawlen, int *encoded)
{
	struct kp_in	 in = { p, n, 0 };
	const uint8_t	*bp;
	size_t		 bn;
	uint64_t	 key;

	*tm = NULL;
	*raw = NULL;
	*rawlen = 0;
	*encoded = 0;
	while (in.off < in.len) {
		if (kp_varint(&in, &key) != 0)
			goto bad;
		if ((key & 7) != 2) {
			if (kp_skip(&in, key & 7) != 0)
				goto bad;
			continue;
		}
		if (kp_bytes(&in, &bp, &bn) != 0)
			goto bad;
		if ((key >> 3) == 1 && *tm == NULL)
			*tm = kp_message(kp_type_meta, bp, bn, 1);
		else if ((key >> 3) == 2) {
			*raw = bp;
			*rawlen = bn;
		} else if ((key >> 3) == 3 && bn > 0)
			*encoded = 1;
	}
	if (*tm != NULL && *raw != NULL)
		return 0;
bad:
	cJSON_Delete(*tm);
	*tm = NULL;
	return -1;
}

/* Decode a protobuf request body ("k8s\0" + runtime.Unknown) of a
 * supported built-in kind into JSON; -1 with *cause otherwise. */
int
skube_proto_decode(const char *body, size_t len, cJSON **out, char **cause)
{
	const struct kp_field	*fields;
	const uint8_t		*raw;
	const char		*kind;
	size_t			 rawlen;
	cJSON			*tm;
	int			 encoded;

	*out = NULL;
	if (len < 4 || memcmp(body, "k8s\0", 4) != 0)
		return error_set(cause, "protobuf: missing the k8s envelope");
	if (kp_envelope((const uint8_t *)body + 4, len - 4, &tm, &raw, &rawlen,
	    &encoded) != 0)
		return error_set(cause, "protobuf: malformed envelope");
	kind = json_str(tm, "kind");
	if (encoded || (fields = kp_kind_fields(kind)) == NULL) {
		error_set(cause, "protobuf: unsupported kind %s",
		    kind != NULL ? kind : "(none)");
		cJSON_Delete(tm);
		return -1;
	}
	if ((*out = kp_message(fields, raw, rawlen, 0)) == NULL) {
		error_set(cause, "protobuf: malformed %s", kind);
		cJSON_Delete(tm);
		return -1;
	}
	if (json_str(tm, "apiVersion") != NULL)
		skube_set_str(*out, "apiVersion", json_str(tm, "apiVersion"));
	skube_set_str(*out, "kind", kind);
	cJSON_Delete(tm);
	return 0;
}
