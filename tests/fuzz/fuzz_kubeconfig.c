/* Fuzz the kubeconfig loader: any input either fails with a cause naming
 * the file or yields a connection whose accessors answer. No process is
 * spawned and no file is read for credentials (static kinds only). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/kube.h"
#include "latticectl/log.h"

#define FUZZ_MAX_INPUT	65536

/* Read what a loaded connection exposes. */
static void
fuzz_use(struct kube_conn *c)
{
	struct http_client_opts	 o;
	struct kube_creds	 cr;
	const char		*kind;

	if (kube_conn_server(c) == NULL || kube_conn_namespace(c) == NULL ||
	    kube_conn_context(c) == NULL)
		abort();
	kube_conn_http_opts(c, &o);
	kind = kube_conn_auth_kind(c);
	if (strcmp(kind, "token") != 0 && strcmp(kind, "basic") != 0 &&
	    strcmp(kind, "none") != 0 && strcmp(kind, "client-cert") != 0)
		return;
	if (kube_conn_creds(c, &cr, NULL) != 0)
		abort();
	kube_creds_clear(&cr);
}

/* One input: load it as a kubeconfig named /fuzz/config. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kube_conn	*c = NULL;
	char			*cause = NULL;

	if (size > FUZZ_MAX_INPUT)
		return 0;
	log_set_level(LOG_LEVEL_OFF);
	if (kube_conn_load_text((const char *)data, size, "/fuzz/config", NULL,
	    &c, &cause) != 0) {
		if (c != NULL || cause == NULL ||
		    strstr(cause, "/fuzz/config") == NULL)
			abort();
		free(cause);
		return 0;
	}
	fuzz_use(c);
	kube_conn_free(c);
	return 0;
}
