/* libFuzzer target: the theme parser (YAML into roles and colours). */
#include <stdint.h>
#include <stdlib.h>

#include "latticectl/ui.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Parse one input as a theme file; errors are fine, crashes are not. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct ui_theme	 t;
	char		*cause = NULL;

	if (ui_theme_parse((const char *)data, len, "fuzz.yaml", &t,
	    &cause) != 0)
		free(cause);
	return 0;
}
