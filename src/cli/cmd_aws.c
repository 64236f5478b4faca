/* latticectl aws whoami: identity, region, credential source, endpoints. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "latticectl/aws.h"
#include "latticectl/creds.h"
#include "latticectl/sts.h"
#include "latticectl/xmalloc.h"

#include "cli.h"

#define AWS_N_SERVICES 5

static const char *aws_services[AWS_N_SERVICES] = {
	"vpc-lattice", "ec2", "iam", "sts", "eks"
};

/* Everything whoami reports. */
struct whoami {
	struct sts_identity	 id;
	const char		*region;
	const char		*region_source;
	const char		*profile;
	char			*cred_source;
	struct aws_endpoint	 ep[AWS_N_SERVICES];
	char			*ep_error[AWS_N_SERVICES];
};

/* Print usage for the aws command. */
static void
aws_usage(FILE *f)
{
	fprintf(f, "usage: latticectl aws whoami [-o text|json]\n");
}

/* Gather the report; on failure *cause says why. */
static int
whoami_collect(struct aws *aws, struct whoami *w, char **cause)
{
	struct aws_error	err;
	struct aws_creds	creds;
	size_t			i;

	memset(&creds, 0, sizeof creds);
	if (aws_get_creds(aws, &creds, cause) != 0)
		return -1;
	w->cred_source = xstrdup(creds.source != NULL ? creds.source : "?");
	aws_creds_clear(&creds);
	memset(&err, 0, sizeof err);
	if (sts_get_caller_identity(aws, &w->id, &err) != 0) {
		*cause = aws_error_string(&err);
		aws_error_clear(&err);
		return -1;
	}
	w->region = aws_region(aws);
	w->region_source = aws_region_source(aws);
	w->profile = aws_profile(aws);
	for (i = 0; i < AWS_N_SERVICES; i++)
		aws_endpoint_resolve(aws, aws_services[i], &w->ep[i],
		    &w->ep_error[i]);
	return 0;
}

/* Free the report. */
static void
whoami_free(struct whoami *w)
{
	size_t	i;

	sts_identity_clear(&w->id);
	free(w->cred_source);
	for (i = 0; i < AWS_N_SERVICES; i++) {
		aws_endpoint_clear(&w->ep[i]);
		free(w->ep_error[i]);
	}
}

/* Print the report as aligned text. */
static void
whoami_text(const struct whoami *w)
{
	size_t	i;

	printf("%-12s %s\n", "Account", w->id.account);
	printf("%-12s %s\n", "Arn", w->id.arn);
	printf("%-12s %s\n", "UserId", w->id.user_id != NULL ?
	    w->id.user_id : "");
	printf("%-12s %s (%s)\n", "Region", w->region, w->region_source);
	printf("%-12s %s\n", "Profile", w->profile);
	printf("%-12s %s\n", "Credentials", w->cred_source);
	printf("Endpoints\n");
	for (i = 0; i < AWS_N_SERVICES; i++) {
		if (w->ep_error[i] != NULL)
			printf("  %-12s error: %s\n", aws_services[i],
			    w->ep_error[i]);
		else
			printf("  %-12s %s (%s, signed for %s)\n",
			    aws_services[i], w->ep[i].url, w->ep[i].source,
			    w->ep[i].signing_region);
	}
}

/* Print the report as a JSON object. */
static void
whoami_json(const struct whoami *w)
{
	cJSON	*o, *eps, *e;
	char	*s;
	size_t	 i;

	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "Account", w->id.account);
	cJSON_AddStringToObject(o, "Arn", w->id.arn);
	cJSON_AddStringToObject(o, "UserId", w->id.user_id != NULL ?
	    w->id.user_id : "");
	cJSON_AddStringToObject(o, "Region", w->region);
	cJSON_AddStringToObject(o, "RegionSource", w->region_source);
	cJSON_AddStringToObject(o, "Profile", w->profile);
	cJSON_AddStringToObject(o, "CredentialSource", w->cred_source);
	eps = cJSON_AddObjectToObject(o, "Endpoints");
	for (i = 0; i < AWS_N_SERVICES; i++) {
		e = cJSON_AddObjectToObject(eps, aws_services[i]);
		if (w->ep_error[i] != NULL) {
			cJSON_AddStringToObject(e, "Error", w->ep_error[i]);
			continue;
		}
		cJSON_AddStringToObject(e, "Url", w->ep[i].url);
		cJSON_AddStringToObject(e, "Source", w->ep[i].source);
		cJSON_AddStringToObject(e, "SigningRegion",
		    w->ep[i].signing_region);
		cJSON_AddStringToObject(e, "SigningName",
		    w->ep[i].signing_name);
	}
	s = cJSON_Print(o);
	printf("%s\n", s);
	cJSON_free(s);
	cJSON_Delete(o);
}

/* Parse whoami's options; 0 ok, -1 usage error. */
static int
whoami_args(int argc, char **argv, int *json)
{
	const char	*v;
	int		 i;

	*json = 0;
	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "-o") == 0 ||
		    strcmp(argv[i], "--output") == 0) {
			if (++i == argc)
				return -1;
			v = argv[i];
		} else if (strncmp(argv[i], "--output=", 9) == 0)
			v = argv[i] + 9;
		else if (strncmp(argv[i], "-o", 2) == 0)
			v = argv[i] + 2;
		else
			return -1;
		if (strcmp(v, "json") == 0)
			*json = 1;
		else if (strcmp(v, "text") != 0)
			return -1;
	}
	return 0;
}

/* latticectl aws whoami [-o text|json] */
static int
aws_whoami(struct cli_global *g, int argc, char **argv)
{
	struct aws_config	 cfg;
	struct aws		*aws;
	struct whoami		 w;
	char			*cause = NULL;
	int			 json, rc = 0;

	if (whoami_args(argc, argv, &json) != 0) {
		aws_usage(stderr);
		return 2;
	}
	memset(&cfg, 0, sizeof cfg);
	cfg.region = g->region;
	cfg.profile = g->profile;
	if ((aws = aws_new(&cfg, &cause)) == NULL) {
		fprintf(stderr, "latticectl: aws whoami: %s\n", cause);
		free(cause);
		return 1;
	}
	memset(&w, 0, sizeof w);
	if (whoami_collect(aws, &w, &cause) != 0) {
		fprintf(stderr, "latticectl: aws whoami: %s\n", cause);
		free(cause);
		rc = 1;
	} else if (json)
		whoami_json(&w);
	else
		whoami_text(&w);
	whoami_free(&w);
	aws_free(aws);
	return rc;
}

/* latticectl aws <subcommand>: argv[0] is "aws". */
int
cmd_aws(struct cli_global *g, int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "--help") == 0) {
		aws_usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	if (strcmp(argv[1], "whoami") == 0)
		return aws_whoami(g, argc - 2, argv + 2);
	fprintf(stderr, "latticectl: aws: unknown command %s\n", argv[1]);
	aws_usage(stderr);
	return 2;
}
