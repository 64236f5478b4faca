/* The controller's manifest (the project's own, a file, or the official
 * deploy-vX.Y.Z.yaml by URL), the applier over the lab's cluster, and
 * pod readiness. */
#include <stdlib.h>
#include <string.h>

#include "latticectl/error.h"
#include "latticectl/http.h"
#include "latticectl/json.h"
#include "latticectl/kube.h"
#include "latticectl/kutil.h"
#include "latticectl/strbuf.h"
#include "latticectl/xmalloc.h"
#include "latticectl/yaml.h"

#include "install_int.h"

#define CTL_URL_BASE	"https://raw.githubusercontent.com/aws/aws-" \
	"application-networking-k8s/main/files/controller-installation"
#define CTL_MAX_BYTES	(8 * 1024 * 1024)

/* The official deploy manifest of a version. */
char *
ctl_manifest_url(const char *version)
{
	char	*u;

	xasprintf(&u, "%s/deploy-%s%s.yaml", CTL_URL_BASE, version[0] == 'v' ?
	    "" : "v", version);
	return u;
}

/* GET an https URL into a YAML stream. */
static int
ctl_fetch(const char *url, cJSON **docs, char **cause)
{
	struct http_client_opts	 ho = { 0 };
	struct http_request	 req = { 0 };
	struct http_response	 resp;
	struct http_client	*hc;
	int			 rc = -1;

	if ((hc = http_client_new(&ho, cause)) == NULL)
		return -1;
	http_response_init(&resp);
	req.method = "GET";
	req.url = url;
	req.op = "manifest";
	if (http_do(hc, &req, &resp, cause) != 0)
		goto out;
	if (resp.status != 200)
		error_set(cause, "GET %s: HTTP %ld", url, resp.status);
	else if (resp.body.len > CTL_MAX_BYTES)
		error_set(cause, "GET %s: larger than %d bytes", url,
		    CTL_MAX_BYTES);
	else
		rc = yaml_load(resp.body.buf, resp.body.len, url, docs, cause);
out:
	http_response_free(&resp);
	http_client_free(hc);
	return rc;
}

/* A latticectl manifest from a file (deploy/latticectl-controller.yaml):
 * the CRDs first, then its objects with the lab's values. */
static void
ctl_latticectl_file(struct install *in, cJSON **docs)
{
	cJSON	*all = install_lab_crds(), *o;

	while ((o = cJSON_DetachItemFromArray(*docs, 0)) != NULL)
		cJSON_AddItemToArray(all, o);
	cJSON_Delete(*docs);
	install_lab_values(all, in->lab, in->f.region, in->f.account,
	    in->f.vpc_id);
	*docs = all;
}

/* Read the manifest of the lab's mode (not cached). */
static int
ctl_read(struct irun *r, cJSON **docs, char **cause)
{
	struct install		*in = r->in;
	const struct lab_config	*lab = in->lab;
	const char		*src;
	char			*url = NULL;
	int			 rc;

	src = in->s_manifest != NULL ? in->s_manifest : lab->controller.manifest;
	if (lab->controller.mode == LAB_MODE_LATTICECTL && src == NULL) {
		*docs = install_lab_manifest(lab, in->f.region, in->f.account,
		    in->f.vpc_id);
		return 0;
	}
	if (src == NULL)
		src = url = ctl_manifest_url(lab->controller.chart_version);
	if (strncmp(src, "https://", 8) == 0)
		rc = ctl_fetch(src, docs, cause);
	else
		rc = yaml_load_file(src, docs, cause);
	if (rc == 0)
		irun_log(r, "manifest %s: %d objects", src,
		    cJSON_GetArraySize(*docs));
	if (rc == 0 && lab->controller.mode == LAB_MODE_LATTICECTL)
		ctl_latticectl_file(in, docs);
	free(url);
	return rc;
}

/* The manifest, ordered for apply (read once per run). */
int
ctl_manifest_load(struct irun *r, cJSON **objs, char **cause)
{
	struct install	*in = r->in;
	cJSON		*docs = NULL;
	int		 rc = 0;

	pthread_mutex_lock(&in->kube_lock);
	if (in->ctl_objs == NULL) {
		if (ctl_read(r, &docs, cause) != 0)
			rc = INST_FATAL;
		else
			in->ctl_objs = kapply_order(docs);
		cJSON_Delete(docs);
	}
	*objs = in->ctl_objs;
	pthread_mutex_unlock(&in->kube_lock);
	return rc;
}

/* Is a pod Ready (and not going away)? */
static int
ctl_pod_ready(const cJSON *pod)
{
	const cJSON	*conds = json_path(pod, "status.conditions");

	if (json_path(pod, "metadata.deletionTimestamp") != NULL)
		return 0;
	return kube_conditions_is(conds, "Ready", "True");
}

/* Every pod of the selector Ready (at least one). */
int
ctl_pods_ready(struct kube_client *kube, const char *ns,
    const char *selector, char **cause)
{
	struct kube_list_opts	 lo = { 0 };
	struct kube_error	 e = { 0 };
	cJSON			*items = NULL, *p;
	int			 n = 0, ready = 0;

	lo.label_selector = selector;
	if (kube_list_all(kube, &KUBE_RES_PODS, ns, &lo, &items, NULL,
	    &e) != 0)
		return inst_kube_fail(&e, "list pods", cause);
	cJSON_ArrayForEach(p, items) {
		n++;
		ready += ctl_pod_ready(p);
	}
	cJSON_Delete(items);
	if (n > 0 && ready == n)
		return 0;
	error_set(cause, "%d/%d pods Ready (%s in %s)", ready, n, selector, ns);
	return INST_WAIT;
}
