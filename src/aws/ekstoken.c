/* Native EKS bearer token: presigned STS GetCallerIdentity, base64url. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <openssl/evp.h>

#include "latticectl/ekstoken.h"
#include "latticectl/error.h"
#include "latticectl/json.h"
#include "latticectl/sigv4.h"
#include "latticectl/timeutil.h"
#include "latticectl/xmalloc.h"

#define EKSTOKEN_QUERY	"Action=GetCallerIdentity&Version=2011-06-15"

/* The STS host for a region. */
char *
ekstoken_sts_host(const char *region)
{
	char	*host;

	xasprintf(&host, "sts.%s.amazonaws.com%s", region,
	    strncmp(region, "cn-", 3) == 0 ? ".cn" : "");
	return host;
}

/* Is s non-empty and free of control characters (header-safe)? */
static int
ekstoken_printable(const char *s)
{
	const unsigned char	*p;

	if (s == NULL || *s == '\0')
		return 0;
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p < 0x20 || *p == 0x7f)
			return 0;
	}
	return 1;
}

/* Check the inputs every token needs. */
static int
ekstoken_check(const struct aws_creds *creds, const char *region,
    const char *cluster, char **cause)
{
	if (creds == NULL || creds->access_key_id == NULL ||
	    creds->secret_access_key == NULL)
		return error_set(cause, "eks token: no AWS credentials");
	if (!ekstoken_printable(region) || strchr(region, '/') != NULL)
		return error_set(cause, "eks token: invalid region");
	if (!ekstoken_printable(cluster))
		return error_set(cause, "eks token: invalid cluster name");
	return 0;
}

/* The presigned GetCallerIdentity URL. */
int
ekstoken_url(const struct aws_creds *creds, const char *region,
    const char *cluster, time_t now, char **url, char **cause)
{
	struct sigv4_params	 p;
	struct sigv4_request	 req;
	struct http_headers	 h = { NULL, 0, 0 };
	char			*host, *query = NULL;
	int			 rc;

	*url = NULL;
	if (ekstoken_check(creds, region, cluster, cause) != 0)
		return -1;
	host = ekstoken_sts_host(region);
	http_headers_add(&h, "Host", host);
	http_headers_add(&h, EKSTOKEN_HEADER, cluster);
	memset(&p, 0, sizeof p);
	p.access_key = creds->access_key_id;
	p.secret_key = creds->secret_access_key;
	p.session_token = creds->session_token;
	p.region = region;
	p.service = "sts";
	p.now = now;
	p.expires = EKSTOKEN_URL_EXPIRES;
	memset(&req, 0, sizeof req);
	req.method = "GET";
	req.path = "/";
	req.query = EKSTOKEN_QUERY;
	req.headers = &h;
	rc = sigv4_presign(&p, &req, &query, cause);
	if (rc == 0)
		xasprintf(url, "https://%s/?%s", host, query);
	else
		error_wrap(cause, "eks token");
	free(query);
	free(host);
	http_headers_free(&h);
	return rc;
}

/* base64url without padding of len bytes. */
static char *
ekstoken_b64url(const char *data, size_t len)
{
	char	*out, *p;

	out = xmalloc(4 * ((len + 2) / 3) + 1);
	EVP_EncodeBlock((unsigned char *)out, (const unsigned char *)data,
	    (int)len);
	for (p = out; *p != '\0'; p++) {
		if (*p == '+')
			*p = '-';
		else if (*p == '/')
			*p = '_';
		else if (*p == '=') {
			*p = '\0';
			break;
		}
	}
	return out;
}

/* The bearer token and its expiry. */
int
ekstoken_build(const struct aws_creds *creds, const char *region,
    const char *cluster, time_t now, char **token, time_t *expiry,
    char **cause)
{
	char	*url, *enc;

	*token = NULL;
	if (ekstoken_url(creds, region, cluster, now, &url, cause) != 0)
		return -1;
	enc = ekstoken_b64url(url, strlen(url));
	xasprintf(token, "%s%s", EKSTOKEN_PREFIX, enc);
	free(enc);
	free(url);
	if (expiry != NULL)
		*expiry = now + EKSTOKEN_LIFETIME;
	return 0;
}

/* The ExecCredential JSON for a token. */
char *
ekstoken_exec_credential(const char *token, time_t expiry,
    const char *api_version)
{
	struct timespec	 ts = { expiry, 0 };
	cJSON		*root, *status;
	char		 when[64], *out;

	time_format_rfc3339(&ts, 0, when, sizeof when);
	root = cJSON_CreateObject();
	cJSON_AddStringToObject(root, "kind", "ExecCredential");
	cJSON_AddStringToObject(root, "apiVersion", api_version != NULL ?
	    api_version : EKSTOKEN_API_VERSION);
	cJSON_AddItemToObject(root, "spec", cJSON_CreateObject());
	status = cJSON_AddObjectToObject(root, "status");
	cJSON_AddStringToObject(status, "expirationTimestamp", when);
	cJSON_AddStringToObject(status, "token", token);
	out = json_print(root);
	cJSON_Delete(root);
	return out;
}

/* Decode base64url text (no padding) to a NUL-terminated string;
 * -1 when it is not valid base64url. */
static int
ekstoken_unb64url(const char *s, size_t len, char **out, size_t *outlen)
{
	char	*in, *buf;
	size_t	 i, pad, n;
	int	 got;

	if (len % 4 == 1)
		return -1;
	pad = (4 - len % 4) % 4;
	in = xmalloc(len + pad + 1);
	for (i = 0; i < len; i++) {
		if (s[i] == '-')
			in[i] = '+';
		else if (s[i] == '_')
			in[i] = '/';
		else if (isascii((unsigned char)s[i]) &&
		    isalnum((unsigned char)s[i]))
			in[i] = s[i];
		else {
			free(in);
			return -1;
		}
	}
	memset(in + len, '=', pad);
	in[len + pad] = '\0';
	buf = xmalloc((len + pad) / 4 * 3 + 1);
	got = EVP_DecodeBlock((unsigned char *)buf, (unsigned char *)in,
	    (int)(len + pad));
	free(in);
	if (got < 0 || (size_t)got < pad) {
		free(buf);
		return -1;
	}
	n = (size_t)got - pad;
	buf[n] = '\0';
	*out = buf;
	*outlen = n;
	return 0;
}

/* Decode a token to its presigned URL. */
int
ekstoken_decode(const char *token, char **url, char **cause)
{
	const size_t	 plen = strlen(EKSTOKEN_PREFIX);
	size_t		 len, n;
	char		*dec;

	*url = NULL;
	if (token == NULL || strncmp(token, EKSTOKEN_PREFIX, plen) != 0)
		return error_set(cause, "eks token: missing %s prefix",
		    EKSTOKEN_PREFIX);
	len = strlen(token);
	if (len > EKSTOKEN_MAX_LEN)
		return error_set(cause, "eks token: longer than %d bytes",
		    EKSTOKEN_MAX_LEN);
	if (ekstoken_unb64url(token + plen, len - plen, &dec, &n) != 0)
		return error_set(cause, "eks token: not base64url");
	/* The scheme policy (https only, or the simulator on loopback) is
	 * the verifier's; here the text must just be an http(s) URL. */
	if (strlen(dec) != n || !ekstoken_printable(dec) ||
	    (strncmp(dec, "https://", 8) != 0 &&
	    strncmp(dec, "http://", 7) != 0)) {
		free(dec);
		return error_set(cause, "eks token: not an http(s) URL");
	}
	*url = dec;
	return 0;
}
