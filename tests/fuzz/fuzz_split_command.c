/* Fuzz the credential_process command-line splitter. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/creds.h"
#include "latticectl/xmalloc.h"

/* Split the input; every word must be no longer than the input. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	**argv, *text, *cause = NULL;
	size_t	  i;

	text = xstrndup((const char *)data, size);
	argv = aws_split_command(text, &cause);
	if (argv == NULL && cause == NULL)
		abort();
	for (i = 0; argv != NULL && argv[i] != NULL; i++) {
		if (strlen(argv[i]) > size)
			abort();
	}
	aws_argv_free(argv);
	free(cause);
	free(text);
	return 0;
}
