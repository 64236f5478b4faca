/* Fuzz the shared config/credentials parser. The first byte picks the
 * file kind; lookups then walk what was parsed. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/creds.h"
#include "latticectl/xmalloc.h"

/* Parse one file's worth of bytes and query a few keys. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char	*profiles[] = { "default", "dev", "a", "" };
	struct aws_shared_config *cfg;
	char			*text, *cause = NULL;
	const char		*v;
	size_t			 i;

	if (size == 0)
		return 0;
	text = xstrndup((const char *)data + 1, size - 1);
	cfg = aws_shared_config_new();
	if (aws_shared_config_parse(cfg, text, "fuzz", data[0] & 1,
	    &cause) != 0 && cause == NULL)
		abort();
	free(cause);
	for (i = 0; i < sizeof profiles / sizeof profiles[0]; i++) {
		(void)aws_shared_config_has_profile(cfg, profiles[i]);
		v = aws_shared_config_get(cfg, profiles[i], "region");
		if (v != NULL && strlen(v) > size)
			abort();
		(void)aws_shared_config_get(cfg, profiles[i], "s3.x");
		v = aws_shared_config_get(cfg, profiles[i], "services");
		if (v != NULL)
			(void)aws_shared_config_section_get(cfg, "services", v,
			    "ec2.endpoint_url");
	}
	aws_shared_config_free(cfg);
	free(text);
	return 0;
}
