/* EKS token: decode our own token and re-verify it with the SigV4
 * primitives; compare with awscli/botocore where python3 has them. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "latticectl/ekstoken.h"
#include "latticectl/json.h"
#include "latticectl/sigv4.h"
#include "latticectl/xmalloc.h"
#include "testlib.h"

#define T_KEY		"AKIDEXAMPLE"
#define T_SECRET	"wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
#define T_NOW		1795847323	/* 2026-11-28T06:28:43Z */
#define T_HOST		"sts.us-west-2.amazonaws.com"

/* Query parameters of a URL, decoded, in order. */
struct tparams {
	char	*key[32];
	char	*value[32];
	size_t	 n;
};

/* Split the query of url (after '?') into p; returns the raw query. */
static const char *
tparams_parse(const char *url, struct tparams *p)
{
	const char	*q, *s, *end, *eq;
	char		*raw;

	memset(p, 0, sizeof *p);
	q = strchr(url, '?');
	assert_non_null(q);
	for (s = q + 1; *s != '\0'; s = *end == '\0' ? end : end + 1) {
		end = strchr(s, '&');
		if (end == NULL)
			end = s + strlen(s);
		eq = memchr(s, '=', (size_t)(end - s));
		assert_non_null(eq);
		assert_true(p->n < 32);
		p->key[p->n] = xstrndup(s, (size_t)(eq - s));
		raw = xstrndup(eq + 1, (size_t)(end - eq - 1));
		p->value[p->n++] = http_urldecode(raw);
		free(raw);
	}
	return q + 1;
}

/* The decoded value of key, or NULL; asserts it occurs at most once. */
static const char *
tparams_get(const struct tparams *p, const char *key)
{
	const char	*v = NULL;
	size_t		 i;

	for (i = 0; i < p->n; i++) {
		if (strcmp(p->key[i], key) == 0) {
			assert_null(v);
			v = p->value[i];
		}
	}
	return v;
}

/* Free p. */
static void
tparams_free(struct tparams *p)
{
	size_t	i;

	for (i = 0; i < p->n; i++) {
		free(p->key[i]);
		free(p->value[i]);
	}
	p->n = 0;
}

/* Verify a token the way STS would, with the primitives only: returns
 * the canonical request it rebuilt (caller frees). */
static char *
tverify(const char *token, const char *cluster, const char *session)
{
	struct sigv4_params	 sp;
	struct sigv4_request	 req;
	struct http_headers	 h = { NULL, 0, 0 };
	struct tparams		 p;
	unsigned char		 key[32];
	const char		*q, *sig, *date;
	char			*url, *query, *creq, *sts, *scope, mine[65];

	assert_int_equal(ekstoken_decode(token, &url, NULL), 0);
	assert_true(strncmp(url, "https://" T_HOST "/?", 9 + strlen(T_HOST)) == 0);
	q = tparams_parse(url, &p);
	sig = tparams_get(&p, "X-Amz-Signature");
	date = tparams_get(&p, "X-Amz-Date");
	assert_non_null(sig);
	assert_non_null(date);
	assert_string_equal(p.key[p.n - 1], "X-Amz-Signature");
	assert_string_equal(tparams_get(&p, "X-Amz-SignedHeaders"),
	    "host;x-k8s-aws-id");
	if (session != NULL)
		assert_string_equal(tparams_get(&p, "X-Amz-Security-Token"),
		    session);
	else
		assert_null(tparams_get(&p, "X-Amz-Security-Token"));
	query = xstrndup(q, (size_t)(strstr(q, "&X-Amz-Signature=") - q));
	http_headers_add(&h, "host", T_HOST);
	http_headers_add(&h, "x-k8s-aws-id", cluster);
	memset(&sp, 0, sizeof sp);
	sp.region = "us-west-2";
	sp.service = "sts";
	memset(&req, 0, sizeof req);
	req.method = "GET";
	req.path = "/";
	req.query = query;
	req.headers = &h;
	creq = sigv4_canonical_request(&sp, &req,
	    tparams_get(&p, "X-Amz-SignedHeaders"));
	scope = sigv4_scope(date, "us-west-2", "sts");
	assert_string_equal(tparams_get(&p, "X-Amz-Credential"),
	    session == NULL ? T_KEY "/20261128/us-west-2/sts/aws4_request" :
	    "ASIAEXAMPLE/20261128/us-west-2/sts/aws4_request");
	sts = sigv4_string_to_sign(date, scope, creq);
	sigv4_signing_key(T_SECRET, date, "us-west-2", "sts", key);
	sigv4_signature(key, sts, mine);
	assert_true(sigv4_equal(mine, sig));
	tparams_free(&p);
	http_headers_free(&h);
	free(scope);
	free(sts);
	free(query);
	free(url);
	return creq;
}

/* Our token decodes to the URL botocore would presign; every parameter
 * and the signature check out. */
static void
test_token(void **state)
{
	struct aws_creds	 c = { T_KEY, T_SECRET, NULL, 0, NULL };
	struct tparams		 p;
	char			*token, *url, *creq;
	time_t			 expiry = 0;
	const char		*want_creq =
	    "GET\n/\n"
	    "Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Algorithm="
	    "AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20261128%2F"
	    "us-west-2%2Fsts%2Faws4_request&X-Amz-Date=20261128T062843Z&"
	    "X-Amz-Expires=60&X-Amz-SignedHeaders=host%3Bx-k8s-aws-id\n"
	    "host:sts.us-west-2.amazonaws.com\n"
	    "x-k8s-aws-id:my-cluster\n"
	    "\n"
	    "host;x-k8s-aws-id\n" SIGV4_EMPTY_SHA256;

	(void)state;
	assert_int_equal(ekstoken_build(&c, "us-west-2", "my-cluster", T_NOW,
	    &token, &expiry, NULL), 0);
	assert_int_equal(expiry, T_NOW + 14 * 60);
	assert_true(strncmp(token, "k8s-aws-v1.", 11) == 0);
	assert_null(strpbrk(token + 11, "=+/"));
	assert_int_equal(ekstoken_decode(token, &url, NULL), 0);
	tparams_parse(url, &p);
	assert_int_equal(p.n, 8);
	assert_string_equal(p.key[0], "Action");
	assert_string_equal(p.value[0], "GetCallerIdentity");
	assert_string_equal(p.key[1], "Version");
	assert_string_equal(p.value[1], "2011-06-15");
	assert_string_equal(p.key[2], "X-Amz-Algorithm");
	assert_string_equal(p.value[2], "AWS4-HMAC-SHA256");
	assert_string_equal(p.key[3], "X-Amz-Credential");
	assert_string_equal(p.key[4], "X-Amz-Date");
	assert_string_equal(p.value[4], "20261128T062843Z");
	assert_string_equal(p.key[5], "X-Amz-Expires");
	assert_string_equal(p.value[5], "60");
	assert_string_equal(p.key[6], "X-Amz-SignedHeaders");
	assert_string_equal(p.key[7], "X-Amz-Signature");
	assert_int_equal(strlen(p.value[7]), 64);
	tparams_free(&p);
	creq = tverify(token, "my-cluster", NULL);
	assert_string_equal(creq, want_creq);
	free(creq);
	free(url);
	free(token);
}

/* Session credentials put a signed X-Amz-Security-Token in the URL. */
static void
test_token_session(void **state)
{
	struct aws_creds	 c = { "ASIAEXAMPLE", T_SECRET, "tok/en+=", 0,
				    NULL };
	char			*token, *creq;

	(void)state;
	assert_int_equal(ekstoken_build(&c, "us-west-2", "prod-1", T_NOW,
	    &token, NULL, NULL), 0);
	creq = tverify(token, "prod-1", "tok/en+=");
	assert_non_null(strstr(creq, "&X-Amz-Security-Token=tok%2Fen%2B%3D&"));
	free(creq);
	free(token);
}

/* Bad inputs are refused with a cause. */
static void
test_build_errors(void **state)
{
	struct aws_creds	 c = { T_KEY, T_SECRET, NULL, 0, NULL };
	struct aws_creds	 none = { NULL, NULL, NULL, 0, NULL };
	char			*token = (char *)"x", *cause = NULL, *host;

	(void)state;
	assert_int_equal(ekstoken_build(&none, "us-west-2", "a", T_NOW, &token,
	    NULL, &cause), -1);
	assert_null(token);
	assert_non_null(strstr(cause, "credentials"));
	assert_int_equal(ekstoken_build(&c, "us-west-2", "a\r\nX: y", T_NOW,
	    &token, NULL, &cause), -1);
	assert_non_null(strstr(cause, "cluster"));
	assert_int_equal(ekstoken_build(&c, "", "a", T_NOW, &token, NULL,
	    &cause), -1);
	assert_non_null(strstr(cause, "region"));
	free(cause);
	host = ekstoken_sts_host("cn-north-1");
	assert_string_equal(host, "sts.cn-north-1.amazonaws.com.cn");
	free(host);
}

/* Malformed tokens do not decode. */
static void
test_decode_errors(void **state)
{
	static const char *bad[] = {
		"", "k8s-aws-v2.aHR0cHM6Ly9h", "k8s-aws-v1.", "k8s-aws-v1.!!!!",
		"k8s-aws-v1.A", "k8s-aws-v1.ZnRwOi8veA",
		"k8s-aws-v1.aHR0cHM6Ly9hCmI", "k8s-aws-v1.aHR0cHM6Ly94AHk",
		"k8s-aws-v1.aHR0cHM6Ly9h=", "k8s-aws-v1. aHR0cHM6Ly9h",
	};
	char	*url = NULL, *cause = NULL, *big;
	size_t	 i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(ekstoken_decode(bad[i], &url, &cause), -1);
		assert_null(url);
		assert_non_null(cause);
	}
	assert_int_equal(ekstoken_decode(NULL, &url, &cause), -1);
	assert_int_equal(ekstoken_decode("k8s-aws-v1.aHR0cHM6Ly9zdHMudXMtd2Vz"
	    "dC0yLmFtYXpvbmF3cy5jb20vP2E9Yg", &url, NULL), 0);
	assert_string_equal(url, "https://sts.us-west-2.amazonaws.com/?a=b");
	free(url);
	big = xmalloc(EKSTOKEN_MAX_LEN + 2);
	memset(big, 'A', EKSTOKEN_MAX_LEN + 1);
	memcpy(big, "k8s-aws-v1.", 11);
	big[EKSTOKEN_MAX_LEN + 1] = '\0';
	assert_int_equal(ekstoken_decode(big, &url, &cause), -1);
	assert_non_null(strstr(cause, "longer"));
	free(big);
	free(cause);
}

/* The ExecCredential document. */
static void
test_exec_credential(void **state)
{
	const char	*versions[2] = { NULL, "client.authentication.k8s.io/v1" };
	cJSON		*doc;
	char		*s;
	size_t		 i;

	(void)state;
	for (i = 0; i < 2; i++) {
		s = ekstoken_exec_credential("k8s-aws-v1.abc", T_NOW + 840,
		    versions[i]);
		assert_non_null(doc = json_parse(s, strlen(s), "exec", NULL));
		assert_string_equal(json_str(doc, "kind"), "ExecCredential");
		assert_string_equal(json_str(doc, "apiVersion"), i == 0 ?
		    "client.authentication.k8s.io/v1beta1" : versions[i]);
		assert_true(cJSON_IsObject(cJSON_GetObjectItem(doc, "spec")));
		assert_string_equal(json_path_str(doc, "status.token"),
		    "k8s-aws-v1.abc");
		assert_string_equal(json_path_str(doc,
		    "status.expirationTimestamp"), "2026-11-28T06:42:43Z");
		cJSON_Delete(doc);
		free(s);
	}
}

/* awscli's own token generator (or botocore's presigner when awscli is
 * missing) with a frozen clock; prints the token. */
static const char *tpy_script =
    "import sys, base64, datetime\n"
    "import botocore.auth, botocore.session\n"
    "t = datetime.datetime.fromtimestamp(int(sys.argv[1]),"
    " datetime.timezone.utc).replace(tzinfo=None)\n"
    "botocore.auth.get_current_datetime = lambda *a, **k: t\n"
    "s = botocore.session.get_session()\n"
    "s.set_credentials(sys.argv[2], sys.argv[3], sys.argv[4] or None)\n"
    "region, cluster = sys.argv[5], sys.argv[6]\n"
    "try:\n"
    "    from awscli.customizations.eks.get_token import (\n"
    "        STSClientFactory, TokenGenerator)\n"
    "    sts = STSClientFactory(s).get_sts_client(region_name=region)\n"
    "    print('awscli', TokenGenerator(sts).get_token(cluster))\n"
    "except ImportError:\n"
    "    sts = s.create_client('sts', region_name=region)\n"
    "    def inject(request, **kw):\n"
    "        request.headers['x-k8s-aws-id'] = cluster\n"
    "    sts.meta.events.register('before-sign.sts.GetCallerIdentity',"
    " inject)\n"
    "    url = sts.generate_presigned_url('get_caller_identity', Params={},"
    " ExpiresIn=60, HttpMethod='GET')\n"
    "    print('botocore', 'k8s-aws-v1.' + base64.urlsafe_b64encode("
    "url.encode()).decode().rstrip('='))\n";

/* Our tokens equal awscli's (or botocore's) byte for byte. */
static void
test_botocore_token(void **state)
{
	static const struct {
		const char	*key, *token, *region, *cluster;
	} cases[] = {
		{ T_KEY, "", "us-west-2", "my-cluster" },
		{ "ASIAEXAMPLE", "FQoGZXIvYXdzEXAMPLE/tok+en==", "eu-west-1",
		  "lattice-lab" },
	};
	struct aws_creds	 c;
	char			*args[7], *out = NULL, *token, ts[32], *sp;
	size_t			 i;

	(void)state;
	if (!test_have_botocore()) {
		printf("SKIP: python3 with botocore not available\n");
		skip();
	}
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		snprintf(ts, sizeof ts, "%d", T_NOW);
		args[0] = ts;
		args[1] = (char *)cases[i].key;
		args[2] = (char *)T_SECRET;
		args[3] = (char *)cases[i].token;
		args[4] = (char *)cases[i].region;
		args[5] = (char *)cases[i].cluster;
		args[6] = NULL;
		assert_int_equal(test_python(tpy_script, args, &out), 0);
		out[strcspn(out, "\n")] = '\0';
		assert_non_null(sp = strchr(out, ' '));
		*sp = '\0';
		memset(&c, 0, sizeof c);
		c.access_key_id = (char *)cases[i].key;
		c.secret_access_key = (char *)T_SECRET;
		c.session_token = *cases[i].token ? (char *)cases[i].token : NULL;
		assert_int_equal(ekstoken_build(&c, cases[i].region,
		    cases[i].cluster, T_NOW, &token, NULL, NULL), 0);
		assert_string_equal(token, sp + 1);
		printf("ekstoken %s cross-check %zu: match\n", out, i + 1);
		free(token);
		free(out);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_token),
		cmocka_unit_test(test_token_session),
		cmocka_unit_test(test_build_errors),
		cmocka_unit_test(test_decode_errors),
		cmocka_unit_test(test_exec_credential),
		cmocka_unit_test(test_botocore_token),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
