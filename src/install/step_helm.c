/* Controller mode helm: the helm CLI run with an argv exactly as the lab
 * typed it (never a shell), against the lab's kubeconfig context. The
 * release is observed with `helm list -o json`. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/error.h"
#include "latticectl/json.h"
#include "latticectl/proc.h"
#include "latticectl/strbuf.h"
#include "latticectl/xmalloc.h"

#include "install_int.h"

#define HELM_TIMEOUT_MS		(10 * 60 * 1000)
#define HELM_LIST_TIMEOUT_MS	(60 * 1000)
#define HELM_MAX_ARGS		32

/* The release as helm reports it. */
struct hm_obs {
	char	*status;	/* deployed, failed, pending-install, ... */
	char	*chart;
};

/* Free the observation data. */
static void
hm_free(void *p)
{
	struct hm_obs	*h = p;

	free(h->status);
	free(h->chart);
	free(h);
}

/* An argv under construction. */
struct hm_argv {
	char	*v[HELM_MAX_ARGS + 1];
	size_t	 n;
};

/* Append a copy of a word (or a formatted one). */
static void
hm_add(struct hm_argv *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void
hm_add(struct hm_argv *a, const char *fmt, ...)
{
	va_list	ap;

	if (a->n == HELM_MAX_ARGS)
		return;
	va_start(ap, fmt);
	xvasprintf(&a->v[a->n++], fmt, ap);
	va_end(ap);
	a->v[a->n] = NULL;
}

/* The helm program. */
static const char *
hm_prog(struct install *in)
{
	return in->s_helm != NULL ? in->s_helm : "helm";
}

/* --kubeconfig and --kube-context of the lab's cluster. */
static void
hm_target(struct install *in, struct hm_argv *a)
{
	hm_add(a, "--kubeconfig");
	hm_add(a, "%s", in->s_context != NULL && in->s_kubeconfig != NULL ?
	    in->s_kubeconfig : in->kubeconfig);
	hm_add(a, "--kube-context");
	hm_add(a, "%s", in->s_context != NULL ? in->s_context :
	    in->f.cluster_arn);
}

/* Free an argv. */
void
helm_argv_free(char **v)
{
	size_t	i;

	for (i = 0; v != NULL && v[i] != NULL; i++)
		free(v[i]);
	free(v);
}

/* Detach the argv as a NULL-terminated array. */
static char **
hm_detach(struct hm_argv *a)
{
	char	**v = xcalloc(a->n + 1, sizeof *v);

	memcpy(v, a->v, a->n * sizeof *v);
	return v;
}

/* `helm install` as the lab (deploy.md v1.0.3): chart, version,
 * serviceAccount.create=false, namespace, log level, and the values that
 * make IMDS unnecessary. upgrade: `helm upgrade --install`. */
char **
helm_install_argv(struct install *in, int upgrade)
{
	const struct lab_config	*lab = in->lab;
	struct hm_argv		 a = { { NULL }, 0 };

	hm_add(&a, "%s", hm_prog(in));
	hm_add(&a, upgrade ? "upgrade" : "install");
	if (upgrade)
		hm_add(&a, "--install");
	hm_add(&a, "%s", lab->controller.release);
	hm_add(&a, "%s", lab->controller.chart);
	hm_add(&a, "--version=%s", lab->controller.chart_version);
	hm_add(&a, "--set=serviceAccount.create=false");
	hm_add(&a, "--namespace");
	hm_add(&a, "%s", lab->ns);
	hm_add(&a, "--set=log.level=%s", lab->log_level);
	hm_add(&a, "--set=awsRegion=%s", in->f.region);
	hm_add(&a, "--set=clusterVpcId=%s", in->f.vpc_id != NULL ?
	    in->f.vpc_id : "<vpc id>");
	hm_add(&a, "--set=awsAccountId=%s", in->f.account);
	hm_add(&a, "--set=clusterName=%s", lab->cluster.name);
	if (lab->controller.default_sn != NULL)
		hm_add(&a, "--set=defaultServiceNetwork=%s",
		    lab->controller.default_sn);
	hm_target(in, &a);
	return hm_detach(&a);
}

/* Run helm; 0 with its stdout in *out (caller frees), or an error. */
static int
hm_run(struct irun *r, char **argv, long timeout_ms, char **out,
    char **cause)
{
	struct proc_opts	po = { 0 };
	struct proc_result	res;
	int			rc = 0;

	po.argv = argv;
	po.timeout_ms = timeout_ms;
	memset(&res, 0, sizeof res);
	if (proc_run(&po, &res, cause) != 0) {
		rc = res.exited || res.signal ? INST_RETRY : INST_FATAL;
		error_wrap(cause, "%s", argv[0]);
	} else if (proc_check(&res, cause) != 0) {
		error_wrap(cause, "%s %s", argv[0], argv[1]);
		rc = INST_RETRY;
	} else if (out != NULL)
		*out = xstrdup(res.out);
	proc_result_free(&res);
	if (rc == INST_FATAL)
		error_wrap(cause, "controller.mode helm needs the helm CLI "
		    "(or use controller.mode manifests)");
	(void)r;
	return rc;
}

/* Observe: `helm list -n NS -o json --filter ^RELEASE$`. */
int
helm_observe(struct irun *r, struct iobs *o, char **cause)
{
	struct install		*in = r->in;
	struct hm_obs		*h = xcalloc(1, sizeof *h);
	struct hm_argv		 a = { { NULL }, 0 };
	cJSON			*list, *e;
	char			*out = NULL;
	int			 rc;

	o->priv = h;
	o->priv_free = hm_free;
	if (!kubecfg_has(in->kubeconfig, in->f.cluster_arn, NULL) &&
	    in->s_context == NULL) {
		iobs_exists(o, "no Kubernetes API yet");
		iobs_set(o, in->o.dir == INSTALL_UP ? IHAVE_BLOCKED :
		    IHAVE_NONE, "NoCluster", "no kubeconfig context yet");
		return 0;
	}
	hm_add(&a, "%s", hm_prog(in));
	hm_add(&a, "list");
	hm_add(&a, "--namespace");
	hm_add(&a, "%s", in->lab->ns);
	hm_add(&a, "--output");
	hm_add(&a, "json");
	hm_add(&a, "--filter");
	hm_add(&a, "^%s$", in->lab->controller.release);
	hm_target(in, &a);
	rc = hm_run(r, a.v, HELM_LIST_TIMEOUT_MS, &out, cause);
	helm_argv_free(hm_detach(&a));
	if (rc != 0)
		return rc;
	list = cJSON_Parse(out);
	free(out);
	e = cJSON_GetArrayItem(list, 0);
	h->status = xstrdup_or_null(json_str(e, "status"));
	h->chart = xstrdup_or_null(json_str(e, "chart"));
	cJSON_Delete(list);
	if (h->status == NULL) {
		iobs_exists(o, "no helm release %s", in->lab->controller.release);
		o->have = IHAVE_NONE;
	} else {
		iobs_exists(o, "helm release %s %s (%s)",
		    in->lab->controller.release, h->status, h->chart != NULL ?
		    h->chart : "?");
		if (strncmp(h->status, "pending", 7) == 0 ||
		    strcmp(h->status, "uninstalling") == 0)
			iobs_set(o, IHAVE_WAIT, "Helm", "helm release is %s",
			    h->status);
		else
			o->have = strcmp(h->status, "deployed") == 0 ?
			    IHAVE_ALL : IHAVE_SOME;
	}
	return 0;
}

/* An argv as one command line (caller frees). */
static char *
hm_line(char **argv)
{
	struct strbuf	sb;
	size_t		i;

	strbuf_init(&sb);
	for (i = 0; argv[i] != NULL; i++) {
		if (i != 0)
			strbuf_addc(&sb, ' ');
		icmd_word(&sb, i == 0 ? "helm" : argv[i]);
	}
	return strbuf_detach(&sb, NULL);
}

/* Plan: install (or upgrade --install a failed release). */
void
helm_plan(struct irun *r, const struct iobs *o, struct iplan *p)
{
	const struct hm_obs	*h = o->priv;
	char			**argv;

	argv = helm_install_argv(r->in, h != NULL && h->status != NULL);
	iplan_add(p, hm_line(argv), "install the controller chart %s into %s "
	    "(helm release %s)", r->in->lab->controller.chart_version,
	    r->in->lab->ns, r->in->lab->controller.release);
	helm_argv_free(argv);
}

/* Apply: run helm install. */
int
helm_apply(struct irun *r, const struct iobs *o, char **cause)
{
	const struct hm_obs	*h = o->priv;
	char			**argv;
	int			  rc;

	argv = helm_install_argv(r->in, h->status != NULL);
	irun_log(r, "running %s %s %s", argv[0], argv[1], argv[2]);
	rc = hm_run(r, argv, HELM_TIMEOUT_MS, NULL, cause);
	helm_argv_free(argv);
	return rc;
}

/* The uninstall argv. */
static char **
hm_uninstall_argv(struct install *in)
{
	struct hm_argv	a = { { NULL }, 0 };

	hm_add(&a, "%s", hm_prog(in));
	hm_add(&a, "uninstall");
	hm_add(&a, "%s", in->lab->controller.release);
	hm_add(&a, "--namespace");
	hm_add(&a, "%s", in->lab->ns);
	hm_target(in, &a);
	return hm_detach(&a);
}

/* Plan an uninstall. */
void
helm_undo_plan(struct irun *r, const struct iobs *o, struct iplan *p)
{
	char	**argv = hm_uninstall_argv(r->in);

	(void)o;
	iplan_add(p, hm_line(argv), "uninstall helm release %s (the chart's "
	    "CRDs stay: Helm never deletes crds/)",
	    r->in->lab->controller.release);
	helm_argv_free(argv);
}

/* Undo: helm uninstall. */
int
helm_undo(struct irun *r, const struct iobs *o, char **cause)
{
	char	**argv = hm_uninstall_argv(r->in);
	int	  rc;

	(void)o;
	rc = hm_run(r, argv, HELM_TIMEOUT_MS, NULL, cause);
	helm_argv_free(argv);
	if (rc == 0)
		irun_left(r, "the chart's CRDs (Helm never deletes crds/): "
		    "kubectl get crd | grep -e gateway.networking.k8s.io -e "
		    "application-networking.k8s.aws");
	return rc;
}
