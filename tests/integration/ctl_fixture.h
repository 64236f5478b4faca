/*
 * Fixture for the controller's integration tests: the simulator (both
 * halves, in process, plain HTTP), a Kubernetes client and an AWS context
 * pointed at it (each with a trace counting writes), the Gateway API and
 * AWS CRDs installed, the lab's objects applied from the reference
 * examples, the my-hotel service network created in the simulated
 * Lattice, and helpers to run the controller and read Lattice back.
 *
 * Static functions only (included by itest_controller*.c). Ownership:
 * struct cfx owns everything it starts (cfx_stop).
 */
#ifndef LATTICECTL_TESTS_CTL_FIXTURE_H
#define LATTICECTL_TESTS_CTL_FIXTURE_H

#include <dirent.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/aws.h"
#include "latticectl/controller.h"
#include "latticectl/json.h"
#include "latticectl/kube.h"
#include "latticectl/lattice.h"
#include "latticectl/timeutil.h"
#include "latticectl/upstream.h"
#include "latticectl/xmalloc.h"
#include "latticectl/yaml.h"
#include "testlib.h"
#include "../../src/sim/sim.h"
#include "../../src/sim/sim_aws.h"

#define CFX_FN		static __attribute__((unused))
#define CFX_CLUSTER	"c1"
#define CFX_VPC		"vpc-0123456789abcdef0"
#define CFX_MANAGED_BY	SIM_ACCOUNT_ID "/" CFX_CLUSTER "/" CFX_VPC
#define CFX_SN		"my-hotel"
#define CFX_WAIT_MS	60000

struct cfx {
	struct sim		*sim;
	struct kube_client	*kc;
	struct aws		*aws;
	char			*dir;
	char			*sn_arn;
	atomic_uint		 lattice_writes;	/* Create/Update/... */
	atomic_uint		 lattice_calls;
	atomic_uint		 kube_writes;		/* non-GET, no events */
};

/* Does a "vpc-lattice:Op" label name a writing operation? */
CFX_FN int
cfx_write_op(const char *op)
{
	static const char *const w[] = { "Create", "Update", "Delete",
	    "Register", "Deregister", "Tag", "Untag", "Batch", "Put", NULL };
	const char	*colon = op != NULL ? strchr(op, ':') : NULL;
	size_t		 i;

	for (i = 0; colon != NULL && w[i] != NULL; i++) {
		if (strncmp(colon + 1, w[i], strlen(w[i])) == 0)
			return 1;
	}
	return 0;
}

/* AWS trace: count Lattice calls and writes. */
CFX_FN void
cfx_trace_aws(void *arg, const struct http_trace *t)
{
	struct cfx	*f = arg;

	if (t->op == NULL || strncmp(t->op, "vpc-lattice:", 12) != 0)
		return;
	atomic_fetch_add(&f->lattice_calls, 1);
	if (cfx_write_op(t->op))
		atomic_fetch_add(&f->lattice_writes, 1);
}

/* Kubernetes trace: count writes other than events and leases. */
CFX_FN void
cfx_trace_kube(void *arg, const struct http_trace *t)
{
	struct cfx	*f = arg;

	if (t->method == NULL || strcmp(t->method, "GET") == 0 ||
	    strstr(t->url, "/events") != NULL ||
	    strstr(t->url, "/leases") != NULL)
		return;
	atomic_fetch_add(&f->kube_writes, 1);
}

/* An AWS context in the simulator's region with a few fast retries
 * (creds NULL: from the environment). */
CFX_FN struct aws *
cfx_aws_new(const struct aws_creds *creds)
{
	struct aws_config	 cfg;
	struct aws		*aws;
	char			*cause = NULL;

	memset(&cfg, 0, sizeof(cfg));
	cfg.region = SIM_REGION;
	cfg.no_imds = 1;
	cfg.static_creds = creds;
	if ((aws = aws_new(&cfg, &cause)) == NULL)
		fail_msg("aws_new: %s", cause);
	aws_set_retry(aws, 3, 5, 20);
	return aws;
}

/* An AWS context for the simulator's endpoint. */
CFX_FN struct aws *
cfx_aws(struct cfx *f)
{
	struct aws_creds	 creds;

	setenv("AWS_ENDPOINT_URL", sim_aws_url(f->sim), 1);
	setenv("AWS_CONFIG_FILE", "/dev/null", 1);
	setenv("AWS_SHARED_CREDENTIALS_FILE", "/dev/null", 1);
	memset(&creds, 0, sizeof(creds));
	creds.access_key_id = SIM_ACCESS_KEY;
	creds.secret_access_key = SIM_SECRET_KEY;
	creds.source = "static";
	return cfx_aws_new(&creds);
}

/* A Kubernetes client for the simulator. */
CFX_FN struct kube_client *
cfx_kube(struct cfx *f)
{
	struct kube_conn_params	 p;
	struct kube_client	*kc;
	char			*cause = NULL;

	memset(&p, 0, sizeof(p));
	p.server = sim_kube_url(f->sim);
	if ((kc = kube_client_new(kube_conn_new(&p), &cause)) == NULL)
		fail_msg("kube client: %s", cause);
	return kc;
}

/* Create every object of docs (kinds the client knows, each in its
 * metadata.namespace); where names them in failures; ok_exists: an
 * object already there is fine. */
CFX_FN void
cfx_create_docs(struct kube_client *kc, const cJSON *docs, const char *where,
    int ok_exists)
{
	struct kube_resource		 r;
	const struct kube_resource	*d;
	struct kube_error		 e;
	const cJSON			*doc;
	char				*cause = NULL;

	memset(&e, 0, sizeof(e));
	cJSON_ArrayForEach(doc, docs) {
		if ((d = kube_resource_find(json_str(doc, "kind"))) == NULL)
			fail_msg("%s: unknown kind %s", where, json_str(doc,
			    "kind"));
		if (kube_resource_resolve(kc, d, &r, &cause) != 0)
			fail_msg("%s: %s", where, cause);
		if (kube_create(kc, &r, NULL, doc, NULL, &e) != 0 &&
		    !(ok_exists && kube_error_is_already_exists(&e)))
			fail_msg("%s: create %s: %s", where, json_str(doc,
			    "kind"), e.message);
	}
	kube_error_clear(&e);
}

/* Create every object of a YAML file (kinds the client knows). */
CFX_FN void
cfx_apply_file(struct cfx *f, const char *path)
{
	cJSON	*docs = NULL;
	char	*cause = NULL;

	if (yaml_load_file(path, &docs, &cause) != 0)
		fail_msg("%s", cause);
	cfx_create_docs(f->kc, docs, path, 1);
	cJSON_Delete(docs);
}

/* Create an object from inline YAML. */
CFX_FN void
cfx_apply_text(struct cfx *f, const char *text)
{
	char	*path;

	xasprintf(&path, "%s/inline.yaml", f->dir);
	if (test_write_file(path, text, 0600) != 0)
		fail_msg("write %s", path);
	cfx_apply_file(f, path);
	free(path);
}

/* Apply a reference example by file name. */
CFX_FN void
cfx_apply_example(struct cfx *f, const char *name)
{
	char	*path;

	xasprintf(&path, "%s/examples/%s", test_reference_dir(), name);
	cfx_apply_file(f, path);
	free(path);
}

/* Install every CRD of a reference directory. */
CFX_FN void
cfx_crds(struct cfx *f, const char *rel)
{
	struct kube_error	 e;
	struct dirent		*de;
	DIR			*d;
	cJSON			*docs;
	char			*dir, *path, *cause = NULL;

	xasprintf(&dir, "%s/crds/%s", test_reference_dir(), rel);
	if ((d = opendir(dir)) == NULL)
		fail_msg("%s: cannot open", dir);
	memset(&e, 0, sizeof(e));
	while ((de = readdir(d)) != NULL) {
		if (strstr(de->d_name, ".yaml") == NULL)
			continue;
		xasprintf(&path, "%s/%s", dir, de->d_name);
		if (yaml_load_file(path, &docs, &cause) != 0)
			fail_msg("%s", cause);
		if (kube_create(f->kc, &KUBE_RES_CRDS, NULL,
		    cJSON_GetArrayItem(docs, 0), NULL, &e) != 0 &&
		    !kube_error_is_already_exists(&e))
			fail_msg("CRD %s: %s", path, e.message);
		cJSON_Delete(docs);
		free(path);
	}
	closedir(d);
	kube_error_clear(&e);
	free(dir);
	kube_discovery_invalidate(f->kc);
}

/* Ready endpoints of a Service's EndpointSlices. */
CFX_FN int
cfx_ready_endpoints(struct cfx *f, const char *svc)
{
	struct kube_list_opts	 lo;
	struct kube_error	 e;
	cJSON			*items = NULL;
	const cJSON		*s, *ep;
	char			*sel;
	int			 n = 0;

	xasprintf(&sel, "%s=%s", UP_LABEL_SERVICE_NAME, svc);
	memset(&lo, 0, sizeof(lo));
	lo.label_selector = sel;
	memset(&e, 0, sizeof(e));
	if (kube_list_all(f->kc, &KUBE_RES_ENDPOINTSLICES, "default", &lo,
	    &items, NULL, &e) == 0) {
		cJSON_ArrayForEach(s, items) {
			cJSON_ArrayForEach(ep, json_path(s, "endpoints")) {
				if (json_bool(json_path(ep, "conditions"),
				    "ready", 1))
					n++;
			}
		}
	}
	kube_error_clear(&e);
	cJSON_Delete(items);
	free(sel);
	return n;
}

/* Wait until a Service has want ready endpoints. */
CFX_FN void
cfx_wait_endpoints(struct cfx *f, const char *svc, int want)
{
	uint64_t	end = time_mono_ms() + CFX_WAIT_MS;

	while (cfx_ready_endpoints(f, svc) < want) {
		if (time_mono_ms() > end)
			fail_msg("%s: endpoints not ready", svc);
		time_sleep_ms(50);
	}
}

/* Start the simulator and the clients; install the CRDs. */
CFX_FN void
cfx_start(struct cfx *f, unsigned aws_delay_ms)
{
	struct sim_opts	 o;
	char		*cause = NULL;

	memset(f, 0, sizeof(*f));
	f->dir = test_tmpdir();
	memset(&o, 0, sizeof(o));
	o.listen = "127.0.0.1:0";
	o.aws_listen = "127.0.0.1:0";
	o.no_tls = 1;
	o.dir = f->dir;
	o.delay_ms = aws_delay_ms;
	if (sim_start(&o, &f->sim, &cause) != 0)
		fail_msg("sim: %s", cause);
	f->kc = cfx_kube(f);
	kube_client_set_trace(f->kc, cfx_trace_kube, f);
	f->aws = cfx_aws(f);
	aws_set_trace(f->aws, cfx_trace_aws, f);
	cfx_crds(f, "gateway-api-v1.5.1");
	cfx_crds(f, "aws-application-networking");
}

/* Create a service network; its ARN (caller frees). */
CFX_FN char *
cfx_create_sn(struct cfx *f, const char *name)
{
	struct lattice_create_service_network_input	 in;
	struct lattice_service_network			 sn;
	struct aws_error				 err;
	char						*arn;

	memset(&in, 0, sizeof(in));
	memset(&err, 0, sizeof(err));
	in.name = name;
	if (lattice_create_service_network(f->aws, &in, &sn, &err) != 0)
		fail_msg("create service network: %s", err.message);
	arn = xstrdup(sn.arn);
	lattice_service_network_free(&sn);
	return arn;
}

/* The GatewayClass of the lab. */
#define CFX_GATEWAYCLASS \
	"apiVersion: gateway.networking.k8s.io/v1\n" \
	"kind: GatewayClass\n" \
	"metadata:\n" \
	"  name: " UP_GATEWAYCLASS_NAME "\n" \
	"spec:\n" \
	"  controllerName: " UP_CONTROLLER_NAME "\n"

/* The lab: GatewayClass, my-hotel, parking, review, rates, inventory
 * (with ready endpoints) and the my-hotel service network. */
CFX_FN void
cfx_lab(struct cfx *f)
{
	cfx_apply_text(f, CFX_GATEWAYCLASS);
	cfx_apply_example(f, "my-hotel-gateway.yaml");
	cfx_apply_example(f, "parking.yaml");
	cfx_apply_example(f, "review.yaml");
	cfx_apply_example(f, "rate-route-path.yaml");
	cfx_apply_example(f, "inventory-ver1.yaml");
	cfx_apply_example(f, "inventory-route.yaml");
	f->sn_arn = cfx_create_sn(f, CFX_SN);
	cfx_wait_endpoints(f, "parking", 2);
	cfx_wait_endpoints(f, "review", 2);
	cfx_wait_endpoints(f, "inventory-ver1", 2);
}

/* Stop everything. */
CFX_FN void
cfx_stop(struct cfx *f)
{
	aws_free(f->aws);
	kube_client_free(f->kc);
	sim_stop(f->sim);
	test_rm_tree(f->dir);
	free(f->sn_arn);
}

/* The lab's controller settings. */
CFX_FN void
cfx_config(struct controller_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->account_id = SIM_ACCOUNT_ID;
	cfg->cluster_name = CFX_CLUSTER;
	cfg->vpc_id = CFX_VPC;
	cfg->once = 1;
	cfg->workers = 4;
	cfg->requeue_pending_s = 1;
}

/* Start a controller with cfg and wait until it converged; the
 * controller keeps running (caller frees). */
CFX_FN struct controller *
cfx_run(struct cfx *f, const struct controller_config *cfg,
    struct controller_summary *sum)
{
	struct controller	*c;
	char			*cause = NULL;

	if ((c = controller_new(f->kc, f->aws, cfg, &cause)) == NULL)
		fail_msg("controller_new: %s", cause);
	if (controller_start(c, CFX_WAIT_MS, &cause) != 0)
		fail_msg("controller_start: %s", cause);
	if (controller_wait_converged(c, CFX_WAIT_MS, sum) != 0)
		fail_msg("not converged in %d ms", CFX_WAIT_MS);
	return c;
}

/* Print the keys that did not converge (diagnostics). */
CFX_FN void
cfx_print_keys(struct controller *c)
{
	cJSON		*keys = controller_keys_json(c);
	const cJSON	*k;

	cJSON_ArrayForEach(k, keys)
		printf("  %s %s: %s\n", json_str(k, "state"), json_str(k,
		    "key"), json_str(k, "message"));
	cJSON_Delete(keys);
}

/* ---- reading Lattice back ---- */

/* The service named name (0), or -1 when there is none. */
CFX_FN int
cfx_service(struct cfx *f, const char *name, struct lattice_service *out)
{
	struct lattice_service_list	l;
	struct aws_error		err;
	size_t				i;
	int				rc = -1;

	memset(&err, 0, sizeof(err));
	memset(out, 0, sizeof(*out));
	if (lattice_list_services(f->aws, NULL, &l, &err) != 0)
		fail_msg("ListServices: %s", err.message);
	for (i = 0; i < l.n && rc != 0; i++) {
		if (strcmp(l.items[i].name, name) != 0)
			continue;
		if (lattice_get_service(f->aws, l.items[i].id, out, &err) != 0)
			fail_msg("GetService: %s", err.message);
		rc = 0;
	}
	lattice_service_list_free(&l);
	return rc;
}

/* Every target group (caller frees the list). */
CFX_FN void
cfx_tgs(struct cfx *f, struct lattice_target_group_list *l)
{
	struct lattice_list_target_groups_input	in;
	struct aws_error			err;

	memset(&in, 0, sizeof(in));
	memset(&err, 0, sizeof(err));
	if (lattice_list_target_groups(f->aws, &in, l, &err) != 0)
		fail_msg("ListTargetGroups: %s", err.message);
}

/* The target group whose name starts with prefix, as a copy of its id
 * (NULL: none); *count gets how many match. */
CFX_FN char *
cfx_tg_id(struct cfx *f, const char *prefix, int *count)
{
	struct lattice_target_group_list	l;
	char					*id = NULL;
	size_t					 i;

	cfx_tgs(f, &l);
	*count = 0;
	for (i = 0; i < l.n; i++) {
		if (strncmp(l.items[i].name, prefix, strlen(prefix)) != 0)
			continue;
		if ((*count)++ == 0)
			id = xstrdup(l.items[i].id);
	}
	lattice_target_group_list_free(&l);
	return id;
}

/* A route object from the server (caller frees), or NULL when gone. */
CFX_FN cJSON *
cfx_route(struct cfx *f, const char *name)
{
	struct kube_error	 e;
	cJSON			*o = NULL;

	memset(&e, 0, sizeof(e));
	if (kube_get(f->kc, &KUBE_RES_HTTPROUTES, "default", name, &o, &e) !=
	    0) {
		if (!kube_error_is_not_found(&e))
			fail_msg("get route %s: %s", name, e.message);
		o = NULL;
	}
	kube_error_clear(&e);
	return o;
}

#endif
