/* Service endpoints: configured URLs (env, config file) or the defaults. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "latticectl/error.h"
#include "latticectl/xmalloc.h"

#include "aws_int.h"

/* What we know about each service. */
struct ep_service {
	const char	*id;		/* our service id */
	const char	*env;		/* AWS_ENDPOINT_URL_<env> */
	const char	*key;		/* [services] sub-section key */
	const char	*alt_key;	/* also accepted there, or NULL */
	const char	*prefix;	/* endpoint host prefix */
	int		 global;	/* one per partition (IAM) */
};

static const struct ep_service ep_services[] = {
	{ "vpc-lattice", "VPC_LATTICE", "vpc_lattice", "vpc-lattice",
	  "vpc-lattice", 0 },
	{ "ec2", "EC2", "ec2", NULL, "ec2", 0 },
	{ "iam", "IAM", "iam", NULL, "iam", 1 },
	{ "sts", "STS", "sts", NULL, "sts", 0 },
	{ "eks", "EKS", "eks", NULL, "eks", 0 },
};

/* The table entry for a service id, or NULL. */
static const struct ep_service *
ep_find(const char *id)
{
	size_t	i;

	for (i = 0; i < sizeof ep_services / sizeof ep_services[0]; i++) {
		if (strcmp(ep_services[i].id, id) == 0)
			return &ep_services[i];
	}
	return NULL;
}

/* Free an endpoint's strings. */
void
aws_endpoint_clear(struct aws_endpoint *ep)
{
	free(ep->url);
	free(ep->host);
	free(ep->signing_region);
	free(ep->signing_name);
	free(ep->source);
	memset(ep, 0, sizeof *ep);
}

/* Is value "true" (any case)? */
static int
ep_true(const char *v)
{
	return v != NULL && strcasecmp(v, "true") == 0;
}

/* Are configured endpoint URLs switched off (env wins over profile)? */
static int
ep_ignore_configured(struct aws *aws)
{
	const char	*v;

	v = getenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS");
	if (v != NULL && *v != '\0')
		return ep_true(v);
	return ep_true(aws_shared_config_get(aws->shared, aws->profile,
	    "ignore_configured_endpoint_urls"));
}

/* The [services] section's endpoint_url for a service, or NULL. */
static const char *
ep_services_url(struct aws *aws, const struct ep_service *svc,
    const char **section)
{
	const char	*v;
	char		*key;

	*section = aws_shared_config_get(aws->shared, aws->profile,
	    "services");
	if (*section == NULL || **section == '\0')
		return NULL;
	xasprintf(&key, "%s.endpoint_url", svc->key);
	v = aws_shared_config_section_get(aws->shared, "services", *section,
	    key);
	free(key);
	if ((v == NULL || *v == '\0') && svc->alt_key != NULL) {
		xasprintf(&key, "%s.endpoint_url", svc->alt_key);
		v = aws_shared_config_section_get(aws->shared, "services",
		    *section, key);
		free(key);
	}
	return v != NULL && *v != '\0' ? v : NULL;
}

/* A configured URL and its source name (caller frees), or NULL. */
static const char *
ep_configured(struct aws *aws, const struct ep_service *svc, char **source)
{
	const char	*v, *section;
	char		 env[64];

	if (ep_ignore_configured(aws))
		return NULL;
	snprintf(env, sizeof env, "AWS_ENDPOINT_URL_%s", svc->env);
	if ((v = getenv(env)) != NULL && *v != '\0') {
		*source = xstrdup(env);
		return v;
	}
	if ((v = ep_services_url(aws, svc, &section)) != NULL) {
		xasprintf(source, "profile:%s services %s", aws->profile,
		    section);
		return v;
	}
	if ((v = getenv("AWS_ENDPOINT_URL")) != NULL && *v != '\0') {
		*source = xstrdup("AWS_ENDPOINT_URL");
		return v;
	}
	v = aws_shared_config_get(aws->shared, aws->profile, "endpoint_url");
	if (v != NULL && *v != '\0') {
		xasprintf(source, "profile:%s", aws->profile);
		return v;
	}
	return NULL;
}

/* Check a URL and fill ep->url (no trailing '/') and ep->host. */
static int
ep_set_url(struct aws_endpoint *ep, const char *url, char **cause)
{
	CURLU	*u;
	char	*scheme = NULL, *host = NULL, *port = NULL, *query = NULL;
	size_t	 len;
	int	 rc = -1;

	if ((u = curl_url()) == NULL)
		return error_set(cause, "out of memory");
	if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK)
		error_set(cause, "invalid endpoint URL \"%s\"", url);
	else if (strcasecmp(scheme, "http") != 0 &&
	    strcasecmp(scheme, "https") != 0)
		error_set(cause, "endpoint URL \"%s\": scheme must be http or "
		    "https", url);
	else if (curl_url_get(u, CURLUPART_QUERY, &query, 0) == CURLUE_OK)
		error_set(cause, "endpoint URL \"%s\" has a query", url);
	else {
		if (curl_url_get(u, CURLUPART_PORT, &port,
		    CURLU_NO_DEFAULT_PORT) != CURLUE_OK)
			port = NULL;
		if (port != NULL)
			xasprintf(&ep->host, "%s:%s", host, port);
		else
			ep->host = xstrdup(host);
		len = strlen(url);
		while (len > 0 && url[len - 1] == '/')
			len--;
		ep->url = xstrndup(url, len);
		rc = 0;
	}
	curl_free(scheme);
	curl_free(host);
	curl_free(port);
	curl_free(query);
	curl_url_cleanup(u);
	return rc;
}

/* The partition's global IAM endpoint and signing region. */
static void
ep_iam_default(const char *region, char **url, char **signing_region)
{
	if (strncmp(region, "cn-", 3) == 0) {
		*url = xstrdup("https://iam.cn-north-1.amazonaws.com.cn");
		*signing_region = xstrdup("cn-north-1");
	} else if (strncmp(region, "us-gov-", 7) == 0) {
		*url = xstrdup("https://iam.us-gov.amazonaws.com");
		*signing_region = xstrdup("us-gov-west-1");
	} else {
		*url = xstrdup("https://iam.amazonaws.com");
		*signing_region = xstrdup("us-east-1");
	}
}

/* The default URL and signing region for a service in region. */
static void
ep_default(const struct ep_service *svc, const char *region, char **url,
    char **signing_region)
{
	const char	*suffix;

	if (svc->global) {
		ep_iam_default(region, url, signing_region);
		return;
	}
	suffix = strncmp(region, "cn-", 3) == 0 ? "amazonaws.com.cn" :
	    "amazonaws.com";
	xasprintf(url, "https://%s.%s.%s", svc->prefix, region, suffix);
	*signing_region = xstrdup(region);
}

/* Resolve the endpoint for a service id; a configured URL keeps the
 * default signing region. */
int
aws_endpoint_resolve(struct aws *aws, const char *service,
    struct aws_endpoint *ep, char **cause)
{
	const struct ep_service	*svc;
	const char		*conf;
	char			*source = NULL, *url, *sr;

	memset(ep, 0, sizeof *ep);
	if ((svc = ep_find(service)) == NULL)
		return error_set(cause, "unknown service %s", service);
	if (aws->region == NULL || !aws_region_valid(aws->region))
		return error_set(cause, "%s: no valid region", service);
	ep_default(svc, aws->region, &url, &sr);
	if ((conf = ep_configured(aws, svc, &source)) != NULL) {
		free(url);
		url = xstrdup(conf);
	} else
		source = xstrdup("default");
	ep->signing_region = sr;
	ep->signing_name = xstrdup(svc->id);
	ep->source = source;
	if (ep_set_url(ep, url, cause) != 0) {
		error_wrap(cause, "%s endpoint from %s", service, source);
		free(url);
		aws_endpoint_clear(ep);
		return -1;
	}
	free(url);
	return 0;
}
