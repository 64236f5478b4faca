/* Fuzz the controller's typed store and the lookups the builder makes
 * over it: the input is a stream of "<kind digit><JSON object>\n" lines;
 * each object is put into (or, kind + 20, deleted from) the store, then
 * every route is built through the store's view. Also splits the input
 * as a reconcile key. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "latticectl/log.h"
#include "latticectl/xmalloc.h"
#include "../../src/engine/controller_int.h"

/* Put or delete one line's object. */
static void
fuzz_line(struct cstore *s, const char *line)
{
	cJSON	*o;
	char	*cause = NULL;
	int	 k = (unsigned char)line[0] % (2 * CS_KIND_MAX);

	if ((o = cJSON_Parse(line + 1)) == NULL)
		return;
	if (k < CS_KIND_MAX) {
		if (cs_put(s, (enum cs_kind)k, o, &cause) != 0)
			free(cause);
	} else
		cs_del(s, (enum cs_kind)(k - CS_KIND_MAX), o);
	cJSON_Delete(o);
}

/* Build every route in the store. */
static void
fuzz_build(struct cstore *s)
{
	const struct gw_route *const	*routes;
	struct lm_route_result		 br;
	struct lm_config		 cfg;
	struct cs_view			 v;
	size_t				 i, n;

	memset(&cfg, 0, sizeof(cfg));
	cfg.account_id = "123456789012";
	cfg.cluster_name = "c1";
	cfg.vpc_id = "vpc-0123456789abcdef0";
	cs_rdlock(s);
	cs_view_init(&v, s);
	n = cs_routes(s, &routes);
	for (i = 0; i < n && i < 16; i++) {
		lm_build_route(&cfg, &v.src, routes[i], &br);
		lm_route_result_free(&br);
	}
	cs_unlock(s);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cstore	*s;
	char		*buf, *line, *save = NULL, *k, *ns, *name;

	log_set_level(LOG_LEVEL_OFF);
	buf = xstrndup((const char *)data, size);
	if (ctl_key_split(buf, &k, &ns, &name) == 0) {
		free(k);
		free(ns);
		free(name);
	}
	s = cs_new();
	for (line = strtok_r(buf, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save))
		fuzz_line(s, line);
	fuzz_build(s);
	cs_free(s);
	free(buf);
	return 0;
}
