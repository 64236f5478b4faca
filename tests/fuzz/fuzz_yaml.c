/* Fuzz yaml_load: any input either fails with a cause or loads; each
 * document dumps, and the dump loads back to an equal tree. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/json.h"
#include "latticectl/yaml.h"

#define FUZZ_MAX_INPUT	65536
#define FUZZ_MAX_NODES	50000	/* round-trip trees up to this size */

/* Count nodes, stopping early past the limit. */
static size_t
fuzz_size(const cJSON *n, size_t acc)
{
	const cJSON	*c;

	acc++;
	for (c = n->child; c != NULL && acc <= FUZZ_MAX_NODES; c = c->next)
		acc = fuzz_size(c, acc);
	return acc;
}

/* Dump one document and check that it loads back the same. */
static void
fuzz_roundtrip(const cJSON *doc)
{
	cJSON	*docs = NULL;
	char	*text, *cause = NULL;

	text = yaml_dump(doc);
	if (yaml_load(text, strlen(text), "dump", &docs, &cause) != 0)
		abort();
	if (cJSON_GetArraySize(docs) != 1 || !json_equal(docs->child, doc))
		abort();
	cJSON_Delete(docs);
	free(text);
}

/* One input. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cJSON		*docs = NULL;
	const cJSON	*d;
	char		*cause = NULL;

	if (size > FUZZ_MAX_INPUT)
		return 0;
	if (yaml_load((const char *)data, size, "fuzz", &docs, &cause) != 0) {
		if (cause == NULL || docs != NULL)
			abort();
		free(cause);
		return 0;
	}
	cJSON_ArrayForEach(d, docs) {
		if (fuzz_size(d, 0) <= FUZZ_MAX_NODES)
			fuzz_roundtrip(d);
	}
	cJSON_Delete(docs);
	return 0;
}
