/* Fuzz time_parse: accepted timestamps format and parse back to the same
 * instant; nothing reads past the string. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/timeutil.h"

/* One input. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct timespec	 ts, back;
	char		*s, buf[64];

	if (size > 256)
		return 0;
	s = malloc(size + 1);
	memcpy(s, data, size);
	s[size] = '\0';
	if (time_parse(s, &ts) == 0) {
		if (ts.tv_nsec < 0 || ts.tv_nsec > 999999999)
			abort();
		time_format_rfc3339(&ts, 9, buf, sizeof buf);
		if (time_parse(buf, &back) != 0 || back.tv_sec != ts.tv_sec ||
		    back.tv_nsec != ts.tv_nsec)
			abort();
		time_format_amz(ts.tv_sec, buf, sizeof buf);
	}
	free(s);
	return 0;
}
