/* Fuzz the watch stream decoder: the input decoded whole and decoded in
 * chunks (sizes taken from its first byte) gives the same events and the
 * same verdict; a small event limit is honoured. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/json.h"
#include "latticectl/kwatch.h"
#include "latticectl/strbuf.h"

/* Record "TYPE object" per event, checking the object is an object. */
static int
fuzz_event(void *arg, enum kube_watch_type t, cJSON *obj)
{
	struct strbuf	*sb = arg;
	char		*txt;

	if (!cJSON_IsObject(obj) || kube_watch_type_name(t) == NULL)
		abort();
	txt = json_print(obj);
	strbuf_addf(sb, "%s %s\n", kube_watch_type_name(t), txt);
	free(txt);
	(void)kube_watch_status_code(obj);
	cJSON_Delete(obj);
	return 0;
}

/* Decode data in chunks of step bytes (0: whole); the verdict. */
static int
fuzz_decode(const char *data, size_t len, size_t step, size_t max,
    struct strbuf *out)
{
	struct kube_watch_decoder	*d;
	char				*cause = NULL;
	size_t				 off = 0, n;
	int				 r = 0;

	d = kube_watch_decoder_new(max, fuzz_event, out);
	while (r == 0 && off < len) {
		n = step == 0 || step > len - off ? len - off : step;
		r = kube_watch_feed(d, data + off, n, &cause);
		off += n;
	}
	if (r == 0)
		r = kube_watch_finish(d, &cause);
	if ((r != 0) != (cause != NULL))
		abort();
	free(cause);
	kube_watch_decoder_free(d);
	return r;
}

/* One input. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct strbuf	 a = STRBUF_INIT, b = STRBUF_INIT;
	size_t		 step;
	int		 ra, rb;

	if (size == 0)
		return 0;
	step = (size_t)(data[0] % 17) + 1;
	data++;
	size--;
	ra = fuzz_decode((const char *)data, size, 0, 0, &a);
	rb = fuzz_decode((const char *)data, size, step, 0, &b);
	if (ra != rb || strcmp(strbuf_str(&a), strbuf_str(&b)) != 0)
		abort();
	strbuf_reset(&b);
	(void)fuzz_decode((const char *)data, size, step, 64, &b);
	strbuf_free(&a);
	strbuf_free(&b);
	return 0;
}
