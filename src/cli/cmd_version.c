/* `latticectl version`: the program and library versions. */
#include <stdio.h>
#include <string.h>

#include <curl/curl.h>

#include "latticectl/version.h"
#include "cli.h"

/* Print the version (and linked library versions with -v). */
int
cmd_version(struct cli_global *g, int argc, char **argv)
{
	(void)g;
	printf("latticectl %s\n", LATTICECTL_VERSION);
	if (argc > 1 && (strcmp(argv[1], "-v") == 0 ||
	    strcmp(argv[1], "--verbose") == 0))
		printf("%s\n", curl_version());
	return 0;
}
