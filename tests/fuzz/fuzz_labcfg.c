/* libFuzzer target: lab.yaml parsing and validation, then rendering and
 * parsing the rendering again (it must parse). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/install.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct lab_config	*c = NULL, *again = NULL;
	char			*cause = NULL, *y;

	if (lab_config_parse((const char *)data, len, "fuzz.yaml", &c,
	    &cause) != 0) {
		free(cause);
		return 0;
	}
	y = lab_config_yaml(c);
	if (lab_config_parse(y, strlen(y), "render.yaml", &again,
	    &cause) != 0)
		abort();
	lab_config_free(again);
	free(y);
	lab_config_free(c);
	return 0;
}
