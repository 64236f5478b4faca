/* Fuzz json_parse: any input either fails with a cause or parses; a parsed
 * tree prints, reparses to an equal tree, and the getters walk it. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/json.h"
#include "latticectl/timeutil.h"

/* Whether the tree holds a number JSON cannot print (inf or nan). */
static int
fuzz_nonfinite(const cJSON *n)
{
	const cJSON	*c;

	if (cJSON_IsNumber(n) && !isfinite(n->valuedouble))
		return 1;
	for (c = n->child; c != NULL; c = c->next) {
		if (fuzz_nonfinite(c))
			return 1;
	}
	return 0;
}

/* Call every getter on each member of an object. */
static void
fuzz_getters(const cJSON *root)
{
	const cJSON	*c;
	struct timespec	 ts;
	int64_t		 v;

	if (!cJSON_IsObject(root))
		return;
	cJSON_ArrayForEach(c, root) {
		if (c->string == NULL)
			continue;
		(void)json_str(root, c->string);
		(void)json_int(root, c->string, &v);
		(void)json_num(root, c->string, 0);
		(void)json_bool(root, c->string, 0);
		(void)json_path(root, c->string);
		(void)time_from_json(c, &ts);
	}
	(void)json_path_str(root, "metadata.name");
}

/* One input. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cJSON	*root, *again;
	char	*cause = NULL, *text, *cause2 = NULL;

	root = json_parse((const char *)data, size, "fuzz", &cause);
	if (root == NULL) {
		if (cause == NULL || strncmp(cause, "fuzz: ", 6) != 0)
			abort();
		free(cause);
		return 0;
	}
	fuzz_getters(root);
	text = json_print(root);
	again = json_parse(text, strlen(text), "again", &cause2);
	if (again == NULL)
		abort();
	if (!fuzz_nonfinite(root) && !json_equal(root, again))
		abort();
	cJSON_Delete(again);
	free(text);
	cJSON_Delete(root);
	return 0;
}
