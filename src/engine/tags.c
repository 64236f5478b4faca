/*
 * Upstream-compatible tags (research/upstream_controller.md 2.2): the
 * ManagedBy value and the merge of user tags (parsed by gwapi).
 */
#include <stdlib.h>
#include <string.h>

#include "latticectl/lmodel.h"
#include "latticectl/xmalloc.h"

/* "<account>/<cluster>/<vpc>"; missing parts are empty. */
char *
lm_managed_by(const struct lm_config *cfg)
{
	char	*out;

	xasprintf(&out, "%s/%s/%s",
	    cfg->account_id != NULL ? cfg->account_id : "",
	    cfg->cluster_name != NULL ? cfg->cluster_name : "",
	    cfg->vpc_id != NULL ? cfg->vpc_id : "");
	return out;
}

/* Add user tags to sys where sys has no such key (system tags win). */
void
lm_tags_add_user(struct aws_tags *sys, const struct gw_kv *user, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (user[i].key == NULL || user[i].value == NULL)
			continue;
		if (aws_tags_get(sys, user[i].key) == NULL)
			aws_tags_set(sys, user[i].key, user[i].value);
	}
}
