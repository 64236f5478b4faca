/* Benchmark of the simulated Kubernetes API: load 1,000 routes' worth of
 * objects (HTTPRoute + Service + 2-replica Deployment each, so 2,000 pods
 * and 1,000 EndpointSlices), wait for the controllers, then report memory
 * and per-request latency over real HTTP. A report, not a pass/fail test. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curl/curl.h>

#include "latticectl/httpd.h"
#include "latticectl/json.h"
#include "latticectl/strbuf.h"
#include "latticectl/timeutil.h"
#include "latticectl/xmalloc.h"
#include "latticectl/yaml.h"
#include "../src/sim/sim_kube.h"

#define ROUTES		1000
#define CRD_PATH	"../shared/reference/crds/gateway-api-v1.5.1/" \
			"gateway.networking.k8s.io_httproutes.yaml"

/* Resident set size in MiB. */
static double
rss_mib(void)
{
	FILE	*f = fopen("/proc/self/statm", "r");
	long	 pages = 0, rss = 0;

	if (f == NULL)
		return 0;
	if (fscanf(f, "%ld %ld", &pages, &rss) != 2)
		rss = 0;
	fclose(f);
	return (double)rss * (double)sysconf(_SC_PAGESIZE) / (1024.0 * 1024.0);
}

/* Install the HTTPRoute CRD (the reference one, or a minimal stand-in). */
static void
load_crd(struct sim_kube *k)
{
	cJSON	*docs = NULL;
	char	*txt, *cause = NULL;

	if (yaml_load_file(CRD_PATH, &docs, &cause) == 0 &&
	    cJSON_GetArraySize(docs) > 0) {
		txt = json_print(cJSON_GetArrayItem(docs, 0));
		printf("crd: %d\n", sim_kube_request(k, "POST", "/apis/"
		    "apiextensions.k8s.io/v1/customresourcedefinitions", txt,
		    NULL, NULL));
		free(txt);
	} else {
		printf("crd: reference not found (%s), minimal CRD\n", cause);
		sim_kube_request(k, "POST",
		    "/apis/apiextensions.k8s.io/v1/customresourcedefinitions",
		    "{\"metadata\":{\"name\":"
		    "\"httproutes.gateway.networking.k8s.io\"},\"spec\":{"
		    "\"group\":\"gateway.networking.k8s.io\",\"scope\":"
		    "\"Namespaced\",\"names\":{\"plural\":\"httproutes\","
		    "\"kind\":\"HTTPRoute\"},\"versions\":[{\"name\":\"v1\","
		    "\"served\":true,\"storage\":true,\"subresources\":{"
		    "\"status\":{}}}]}}", NULL, NULL);
	}
	free(cause);
	cJSON_Delete(docs);
}

/* Create route i's Deployment, Service and HTTPRoute in process. */
static void
load_route(struct sim_kube *k, int i)
{
	char	*b;

	xasprintf(&b, "{\"metadata\":{\"name\":\"app-%d\"},\"spec\":{"
	    "\"replicas\":2,\"selector\":{\"matchLabels\":{\"app\":"
	    "\"app-%d\"}},\"template\":{\"metadata\":{\"labels\":{\"app\":"
	    "\"app-%d\"}},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":"
	    "\"img\",\"ports\":[{\"containerPort\":8090}]}]}}}}", i, i, i);
	sim_kube_request(k, "POST", "/apis/apps/v1/namespaces/default/"
	    "deployments", b, NULL, NULL);
	free(b);
	xasprintf(&b, "{\"metadata\":{\"name\":\"app-%d\"},\"spec\":{"
	    "\"selector\":{\"app\":\"app-%d\"},\"ports\":[{\"port\":80,"
	    "\"targetPort\":8090}]}}", i, i);
	sim_kube_request(k, "POST", "/api/v1/namespaces/default/services", b,
	    NULL, NULL);
	free(b);
	xasprintf(&b, "{\"apiVersion\":\"gateway.networking.k8s.io/v1\","
	    "\"kind\":\"HTTPRoute\",\"metadata\":{\"name\":\"route-%d\"},"
	    "\"spec\":{\"parentRefs\":[{\"name\":\"my-hotel\",\"sectionName\":"
	    "\"http\"}],\"rules\":[{\"backendRefs\":[{\"name\":\"app-%d\","
	    "\"kind\":\"Service\",\"port\":80}],\"matches\":[{\"path\":{"
	    "\"type\":\"PathPrefix\",\"value\":\"/app-%d\"}}]}]}}", i, i, i);
	sim_kube_request(k, "POST", "/apis/gateway.networking.k8s.io/v1/"
	    "namespaces/default/httproutes", b, NULL, NULL);
	free(b);
}

/* Number of ready endpoints over all slices. */
static int
ready_endpoints(struct sim_kube *k)
{
	char		*out = NULL;
	cJSON		*l;
	const cJSON	*s, *ep;
	int		 n = 0;

	sim_kube_request(k, "GET", "/apis/discovery.k8s.io/v1/endpointslices",
	    NULL, NULL, &out);
	l = cJSON_Parse(out);
	cJSON_ArrayForEach(s, json_path(l, "items")) {
		cJSON_ArrayForEach(ep, json_path(s, "endpoints"))
			n += json_bool(json_path(ep, "conditions"), "ready", 0);
	}
	cJSON_Delete(l);
	free(out);
	return n;
}

/* Discard a response body. */
static size_t
sink(char *p, size_t sz, size_t n, void *arg)
{
	(void)p;
	*(size_t *)arg += sz * n;
	return sz * n;
}

/* Time n GETs of url; prints mean, p50, p99 (ms). */
static void
time_gets(const char *what, const char *url, const char *accept, int n)
{
	CURL			*c = curl_easy_init();
	struct curl_slist	*h = NULL;
	double			*v = xcalloc((size_t)n, sizeof *v), sum = 0, t;
	size_t			 bytes = 0;
	uint64_t		 t0;
	int			 i, j;

	if (accept != NULL)
		h = curl_slist_append(h, accept);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_NOPROXY, "*");
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, sink);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &bytes);
	for (i = 0; i < n; i++) {
		t0 = time_mono_us();
		curl_easy_perform(c);
		v[i] = (double)(time_mono_us() - t0) / 1000.0;
		sum += v[i];
	}
	for (i = 1; i < n; i++)		/* insertion sort: small n */
		for (j = i; j > 0 && v[j - 1] > v[j]; j--) {
			t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	printf("%-34s n=%-4d mean %.2f ms  p50 %.2f ms  p99 %.2f ms  (%zu B "
	    "each)\n", what, n, sum / n, v[n / 2], v[(n * 99) / 100],
	    bytes / (size_t)n);
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
	free(v);
}

int
main(void)
{
	struct sim_kube_opts	 o;
	struct httpd_opts	 ho;
	struct sim_kube		*k;
	struct httpd		*h;
	char			*cause = NULL, url[256];
	uint64_t		 t0;
	double			 base = rss_mib();
	int			 i, ready = 0;

	memset(&o, 0, sizeof o);
	o.anonymous = 1;
	o.pod_ready_ms = 100;
	k = sim_kube_new(&o);
	load_crd(k);
	t0 = time_mono_ms();
	for (i = 0; i < ROUTES; i++)
		load_route(k, i);
	printf("load: %d routes (3 objects each) in %llu ms\n", ROUTES,
	    (unsigned long long)(time_mono_ms() - t0));
	while (time_mono_ms() - t0 < 300000 && (ready = ready_endpoints(k)) <
	    2 * ROUTES)
		time_sleep_ms(500);
	printf("controllers: %d ready endpoints after %llu ms\n", ready,
	    (unsigned long long)(time_mono_ms() - t0));
	printf("memory: %.1f MiB resident (%.1f MiB before loading)\n",
	    rss_mib(), base);
	memset(&ho, 0, sizeof ho);
	ho.listen = "127.0.0.1:0";
	if ((h = httpd_start(&ho, sim_kube_handle, k, &cause)) == NULL) {
		fprintf(stderr, "httpd: %s\n", cause);
		return 1;
	}
	curl_global_init(CURL_GLOBAL_DEFAULT);
	snprintf(url, sizeof url, "http://127.0.0.1:%d/apis/gateway.networking."
	    "k8s.io/v1/namespaces/default/httproutes/route-500", httpd_port(h));
	time_gets("GET one HTTPRoute", url, NULL, 500);
	snprintf(url, sizeof url, "http://127.0.0.1:%d/api/v1/namespaces/"
	    "default/pods/nonexistent", httpd_port(h));
	time_gets("GET missing pod (404)", url, NULL, 500);
	snprintf(url, sizeof url, "http://127.0.0.1:%d/apis/gateway.networking."
	    "k8s.io/v1/namespaces/default/httproutes?limit=500", httpd_port(h));
	time_gets("LIST 500 HTTPRoutes", url, NULL, 20);
	snprintf(url, sizeof url, "http://127.0.0.1:%d/api/v1/namespaces/"
	    "default/pods?labelSelector=app%%3Dapp-7", httpd_port(h));
	time_gets("LIST pods by label (of 2000)", url, NULL, 50);
	snprintf(url, sizeof url, "http://127.0.0.1:%d/api/v1/namespaces/"
	    "default/pods?limit=500", httpd_port(h));
	time_gets("LIST 500 pods as Table", url,
	    "Accept: application/json;as=Table;v=v1;g=meta.k8s.io", 20);
	httpd_stop(h);
	sim_kube_free(k);
	curl_global_cleanup();
	return 0;
}
