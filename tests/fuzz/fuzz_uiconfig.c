/* libFuzzer target: the UI config file parser (theme:, ascii:). */
#include <stdint.h>
#include <stdlib.h>

#include "latticectl/ui.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Parse one input as a config file; errors are fine, crashes are not. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct ui_config	 c;
	char			*cause = NULL;

	if (ui_config_parse((const char *)data, len, "config.yaml", &c,
	    &cause) != 0)
		free(cause);
	ui_config_free(&c);
	return 0;
}
