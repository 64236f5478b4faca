/* Step "controller": the AWS Gateway API Controller (mode helm, see
 * step_helm.c) or a manifest applied object by object (modes manifests:
 * the official deploy-vX.Y.Z.yaml or --manifest FILE; latticectl: this
 * project's own), then its pods Ready. */
#include <stdlib.h>
#include <string.h>

#include "latticectl/error.h"
#include "latticectl/json.h"
#include "latticectl/kube.h"
#include "latticectl/strbuf.h"
#include "latticectl/xmalloc.h"

#include "install_int.h"

/* Object states seen. */
struct ct_obs {
	int	n;		/* objects considered */
	int	present;	/* up to date (or kept) */
	int	differ;
	int	deleting;
	int	crds;
};

/* Is the object one another step owns (the lab's namespace and
 * ServiceAccount)? */
static int
ct_foreign(struct install *in, const cJSON *obj)
{
	const char	*name = json_path_str(obj, "metadata.name");

	if (name == NULL)
		return 1;
	if (kapply_is(obj, "Namespace"))
		return strcmp(name, in->lab->ns) == 0;
	if (kapply_is(obj, "ServiceAccount"))
		return strcmp(name, in->lab->service_account) == 0;
	return 0;
}

/* An existing CRD is kept as it is in latticectl mode. */
static int
ct_keep_crd(struct install *in, const cJSON *obj)
{
	return in->lab->controller.mode == LAB_MODE_LATTICECTL &&
	    kapply_is(obj, "CustomResourceDefinition");
}

/* May an uninstall delete this live object? A CRD kept in latticectl
 * mode only when it carries the annotation latticectl puts on its own. */
static int
ct_ours(struct install *in, const cJSON *obj, const cJSON *live)
{
	if (!ct_keep_crd(in, obj) || live == NULL)
		return 1;
	return json_str(json_path(live, "metadata.annotations"),
	    "latticectl/schema") != NULL;
}

/* The applier over the lab's cluster (made once). */
static struct kapply *
ct_kapply(struct install *in, struct kube_client *kube)
{
	struct kapply	*ka;

	pthread_mutex_lock(&in->kube_lock);
	if (in->ka == NULL)
		in->ka = kapply_new(kube);
	ka = in->ka;
	pthread_mutex_unlock(&in->kube_lock);
	return ka;
}

/* Count the objects' states. */
static int
ct_count(struct irun *r, struct kapply *ka, const cJSON *objs,
    struct ct_obs *s, char **cause)
{
	const cJSON	*obj;
	cJSON		*live;
	int		 st, down = r->in->o.dir == INSTALL_DOWN;

	cJSON_ArrayForEach(obj, objs) {
		if (down && ct_foreign(r->in, obj))
			continue;
		if ((st = kapply_state(ka, obj, r->in->lab->ns, &live,
		    cause)) < 0)
			return st;
		if (down && !ct_ours(r->in, obj, live))
			st = 0;
		cJSON_Delete(live);
		s->n++;
		s->crds += kapply_is(obj, "CustomResourceDefinition");
		if (st == 1 || (st == 2 && ct_keep_crd(r->in, obj)))
			s->present++;
		else if (st == 2)
			s->differ++;
		else if (st == 3)
			s->deleting++;
	}
	return 0;
}

/* "latticectl's manifest" or "manifest deploy-v1.0.3.yaml" (caller
 * frees). */
static char *
ct_label(struct install *in)
{
	const char	*src = in->s_manifest != NULL ? in->s_manifest :
	    in->lab->controller.manifest, *base;
	char		*s, *url = NULL;

	if (in->lab->controller.mode == LAB_MODE_LATTICECTL && src == NULL)
		return xstrdup("latticectl's own manifest");
	if (src == NULL)
		src = url = ctl_manifest_url(in->lab->controller.chart_version);
	base = strrchr(src, '/') != NULL ? strrchr(src, '/') + 1 : src;
	xasprintf(&s, "manifest %s", base);
	free(url);
	return s;
}

/* Decide from the counts. */
static void
ct_have(struct irun *r, const struct ct_obs *s, struct iobs *o)
{
	char	*label = ct_label(r->in);

	iobs_exists(o, "%s: %d/%d objects present%s%s", label,
	    s->present + s->differ, s->n, s->differ ? ", some differ" : "",
	    s->deleting ? ", some being deleted" : "");
	free(label);
	if (s->deleting)
		iobs_set(o, IHAVE_WAIT, "Deleting", "%d objects are being "
		    "deleted", s->deleting);
	else if (r->in->o.dir == INSTALL_DOWN)
		o->have = s->present + s->differ ? IHAVE_SOME : IHAVE_NONE;
	else
		o->have = s->present == s->n ? IHAVE_ALL :
		    s->present + s->differ ? IHAVE_SOME : IHAVE_NONE;
}

/* Observe (manifest modes). */
static int
ct_observe_manifest(struct irun *r, struct iobs *o, char **cause)
{
	struct kube_client	*kube;
	struct ct_obs		*s = xcalloc(1, sizeof *s);
	cJSON			*objs;
	int			 rc;

	o->priv = s;
	o->priv_free = free;
	if ((rc = ctl_manifest_load(r, &objs, cause)) != 0)
		return rc;
	if ((rc = inst_kube_obs(r, o, &kube, cause)) != 0) {
		iobs_exists(o, "%d objects to apply", cJSON_GetArraySize(objs));
		return rc == 1 ? 0 : rc;
	}
	if ((rc = ct_count(r, ct_kapply(r->in, kube), objs, s, cause)) != 0)
		return rc;
	ct_have(r, s, o);
	return 0;
}

/* Observe. */
static int
ct_observe(struct irun *r, struct iobs *o, char **cause)
{
	if (r->in->lab->controller.mode == LAB_MODE_HELM)
		return helm_observe(r, o, cause);
	return ct_observe_manifest(r, o, cause);
}

/* The kinds of a manifest in words ("13 CRDs, ClusterRole x, ..."). */
static char *
ct_summary(const cJSON *objs)
{
	struct strbuf	 sb;
	const cJSON	*obj;
	char		*name;
	int		 crds = 0;

	strbuf_init(&sb);
	cJSON_ArrayForEach(obj, objs) {
		if (kapply_is(obj, "CustomResourceDefinition")) {
			crds++;
			continue;
		}
		name = kapply_name(obj, NULL);
		strbuf_addf(&sb, ", %s", name);
		free(name);
	}
	name = NULL;
	xasprintf(&name, "%d CRDs%s", crds, sb.buf);
	strbuf_free(&sb);
	return name;
}

/* The source to name in commands. */
static const char *
ct_source(struct install *in, char **url)
{
	*url = NULL;
	if (in->lab->controller.mode == LAB_MODE_LATTICECTL &&
	    in->s_manifest == NULL && in->lab->controller.manifest == NULL)
		return NULL;
	if (in->s_manifest != NULL)
		return in->s_manifest;
	if (in->lab->controller.manifest != NULL)
		return in->lab->controller.manifest;
	*url = ctl_manifest_url(in->lab->controller.chart_version);
	return *url;
}

/* Plan (both directions) for the manifest modes. */
static void
ct_plan_manifest(struct irun *r, struct iplan *p, int up)
{
	cJSON		*objs = r->in->ctl_objs;
	const char	*src;
	char		*url, *sum, *cmd = NULL, *label;

	src = ct_source(r->in, &url);
	sum = ct_summary(objs);
	label = ct_label(r->in);
	if (src != NULL)
		cmd = icmd("kubectl", up ? "apply" : "delete", "-f", src, NULL);
	if (up)
		iplan_add(p, cmd, "apply %s object by object: %s", label, sum);
	else
		iplan_add(p, cmd, "delete the objects of %s in reverse order "
		    "(not namespace %s nor ServiceAccount %s: their steps do): "
		    "%s", label, r->in->lab->ns, r->in->lab->service_account,
		    sum);
	free(label);
	free(url);
	free(sum);
}

/* Plan an install. */
static void
ct_plan(struct irun *r, const struct iobs *o, struct iplan *p)
{
	if (r->in->lab->controller.mode == LAB_MODE_HELM)
		helm_plan(r, o, p);
	else
		ct_plan_manifest(r, p, 1);
}

/* Apply every object that is missing or differs; stop after CRDs were
 * created so that their kinds are served before the rest. */
static int
ct_apply_manifest(struct irun *r, char **cause)
{
	struct kube_client	*kube;
	struct kapply		*ka;
	const cJSON		*obj;
	cJSON			*objs;
	int			 rc, changed, crds = 0;

	if ((rc = ctl_manifest_load(r, &objs, cause)) != 0 ||
	    (rc = inst_kube(r->in, &kube, cause)) != 0)
		return rc == 1 ? INST_RETRY : rc;
	ka = ct_kapply(r->in, kube);
	cJSON_ArrayForEach(obj, objs) {
		if (crds && !kapply_is(obj, "CustomResourceDefinition"))
			break;
		if (ct_keep_crd(r->in, obj) && kapply_state(ka, obj,
		    r->in->lab->ns, NULL, NULL) == 2)
			continue;
		if ((rc = kapply_apply(ka, obj, r->in->lab->ns, &changed,
		    cause)) != 0)
			return rc;
		if (changed)
			irun_log(r, "applied %s", json_path_str(obj,
			    "metadata.name"));
		crds |= changed && kapply_is(obj, "CustomResourceDefinition");
	}
	if (crds) {
		kapply_rediscover(ka);
		kube_discovery_invalidate(kube);
	}
	return 0;
}

/* Apply. */
static int
ct_apply(struct irun *r, const struct iobs *o, char **cause)
{
	if (r->in->lab->controller.mode == LAB_MODE_HELM)
		return helm_apply(r, o, cause);
	return ct_apply_manifest(r, cause);
}

/* "k=v,k=v" of a Deployment's matchLabels (caller frees). */
static char *
ct_selector(const cJSON *dep)
{
	struct strbuf	 sb;
	const cJSON	*l;

	strbuf_init(&sb);
	cJSON_ArrayForEach(l, json_path(dep, "spec.selector.matchLabels"))
		if (cJSON_IsString(l))
			strbuf_addf(&sb, "%s%s=%s", sb.len ? "," : "",
			    l->string, l->valuestring);
	return strbuf_detach(&sb, NULL);
}

/* Verify: the pods of every Deployment (helm: of the release) Ready. */
static int
ct_verify(struct irun *r, const struct iobs *o, char **cause)
{
	struct kube_client	*kube;
	const cJSON		*obj;
	char			*sel;
	const char		*ns;
	int			 rc = 0;

	(void)o;
	if ((rc = inst_kube(r->in, &kube, cause)) != 0)
		return rc == 1 ? INST_WAIT : rc;
	if (r->in->lab->controller.mode == LAB_MODE_HELM) {
		xasprintf(&sel, "app.kubernetes.io/instance=%s",
		    r->in->lab->controller.release);
		rc = ctl_pods_ready(kube, r->in->lab->ns, sel, cause);
		free(sel);
		return rc;
	}
	cJSON_ArrayForEach(obj, r->in->ctl_objs) {
		if (!kapply_is(obj, "Deployment") || rc != 0)
			continue;
		ns = json_path_str(obj, "metadata.namespace");
		sel = ct_selector(obj);
		rc = ctl_pods_ready(kube, ns != NULL ? ns : r->in->lab->ns,
		    sel, cause);
		free(sel);
	}
	return rc;
}

/* Plan an uninstall. */
static void
ct_undo_plan(struct irun *r, const struct iobs *o, struct iplan *p)
{
	if (r->in->lab->controller.mode == LAB_MODE_HELM)
		helm_undo_plan(r, o, p);
	else
		ct_plan_manifest(r, p, 0);
}

/* Delete one object unless another step owns it or it is a CRD this
 * mode keeps (latticectl: only the CRDs it made, by annotation). */
static int
ct_delete_one(struct irun *r, struct kapply *ka, const cJSON *obj,
    char **cause)
{
	cJSON		*live = NULL;
	int		 st, ours;

	if (ct_foreign(r->in, obj))
		return 0;
	if ((st = kapply_state(ka, obj, r->in->lab->ns, &live, cause)) < 0)
		return st;
	ours = ct_ours(r->in, obj, live);
	cJSON_Delete(live);
	if (st == 0 || st == 3)
		return 0;
	if (!ours) {
		irun_left(r, "%s: not made by latticectl, kept",
		    json_path_str(obj, "metadata.name"));
		return 0;
	}
	return kapply_delete(ka, obj, r->in->lab->ns, cause);
}

/* Undo (manifest modes): reverse order. */
static int
ct_undo_manifest(struct irun *r, char **cause)
{
	struct kube_client	*kube;
	struct kapply		*ka;
	cJSON			*objs;
	int			 rc, i;

	if ((rc = ctl_manifest_load(r, &objs, cause)) != 0)
		return rc;
	if ((rc = inst_kube(r->in, &kube, cause)) != 0)
		return rc == 1 ? 0 : rc;
	ka = ct_kapply(r->in, kube);
	for (i = cJSON_GetArraySize(objs) - 1; i >= 0; i--) {
		if ((rc = ct_delete_one(r, ka, cJSON_GetArrayItem(objs, i),
		    cause)) != 0)
			return rc;
	}
	irun_log(r, "deleted the manifest's objects");
	return 0;
}

/* Undo. */
static int
ct_undo(struct irun *r, const struct iobs *o, char **cause)
{
	if (r->in->lab->controller.mode == LAB_MODE_HELM)
		return helm_undo(r, o, cause);
	return ct_undo_manifest(r, cause);
}

const struct istep_ops istep_controller = {
	.id = "controller",
	.title = "AWS Gateway API Controller",
	.deps = { "namespace", "service-account", NULL },
	.observe = ct_observe,
	.plan = ct_plan,
	.apply = ct_apply,
	.verify = ct_verify,
	.undo_plan = ct_undo_plan,
	.undo = ct_undo,
};
