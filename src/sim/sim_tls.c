/* sim_tls: generate the simulator's CA and server certificate (OpenSSL). */
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "latticectl/error.h"
#include "latticectl/xmalloc.h"
#include "sim_tls.h"

/* Set *cause from the OpenSSL error queue. */
static int
sim_tls_error(char **cause, const char *what)
{
	unsigned long	e;
	char		buf[256];

	e = ERR_get_error();
	ERR_clear_error();
	if (e == 0)
		return error_set(cause, "tls: %s failed", what);
	ERR_error_string_n(e, buf, sizeof buf);
	return error_set(cause, "tls: %s: %s", what, buf);
}

/* A new EC P-256 key, or NULL. */
static EVP_PKEY *
sim_tls_key(void)
{
	return EVP_EC_gen("P-256");
}

/* Contents of a memory BIO as a string (caller frees). */
static char *
sim_tls_bio_str(BIO *b)
{
	char	*data;
	long	 len;

	len = BIO_get_mem_data(b, &data);
	return xstrndup(data, len < 0 ? 0 : (size_t)len);
}

/* PEM of a certificate (caller frees), or NULL. */
static char *
sim_tls_cert_pem(X509 *x)
{
	BIO	*b;
	char	*s = NULL;

	if ((b = BIO_new(BIO_s_mem())) == NULL)
		return NULL;
	if (PEM_write_bio_X509(b, x) == 1)
		s = sim_tls_bio_str(b);
	BIO_free(b);
	return s;
}

/* PKCS#8 PEM of a private key (caller frees), or NULL. */
static char *
sim_tls_key_pem(EVP_PKEY *k)
{
	BIO	*b;
	char	*s = NULL;

	if ((b = BIO_new(BIO_s_mem())) == NULL)
		return NULL;
	if (PEM_write_bio_PrivateKey(b, k, NULL, NULL, 0, NULL, NULL) == 1)
		s = sim_tls_bio_str(b);
	BIO_free(b);
	return s;
}

/* Add an extension in the config-string form ("critical,CA:TRUE"). */
static int
sim_tls_add_ext(X509 *x, X509 *issuer, int nid, const char *value)
{
	X509V3_CTX	 ctx;
	X509_EXTENSION	*ext;
	int		 ok;

	X509V3_set_ctx_nodb(&ctx);
	X509V3_set_ctx(&ctx, issuer, x, NULL, NULL, 0);
	if ((ext = X509V3_EXT_conf_nid(NULL, &ctx, nid, value)) == NULL)
		return -1;
	ok = X509_add_ext(x, ext, -1);
	X509_EXTENSION_free(ext);
	return ok == 1 ? 0 : -1;
}

/* A certificate skeleton: random serial, validity, subject CN, key. */
static X509 *
sim_tls_skeleton(const char *cn, EVP_PKEY *key, unsigned days)
{
	X509		*x;
	X509_NAME	*name;
	BIGNUM		*bn;
	ASN1_INTEGER	*serial;

	if ((x = X509_new()) == NULL)
		return NULL;
	X509_set_version(x, 2);
	bn = BN_new();
	if (bn != NULL && BN_rand(bn, 120, BN_RAND_TOP_ANY,
	    BN_RAND_BOTTOM_ANY)) {
		serial = X509_get_serialNumber(x);
		BN_to_ASN1_INTEGER(bn, serial);
	}
	BN_free(bn);
	X509_gmtime_adj(X509_getm_notBefore(x), -3600);
	X509_gmtime_adj(X509_getm_notAfter(x), (long)days * 86400);
	name = X509_get_subject_name(x);
	X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
	    (const unsigned char *)"latticectl simulator", -1, -1, 0);
	X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
	    (const unsigned char *)cn, -1, -1, 0);
	X509_set_pubkey(x, key);
	return x;
}

/* The subjectAltName value: loopback names plus the extra ones. */
static char *
sim_tls_san(const char *const *names)
{
	char	*out, *tmp;
	int	 is_ip;
	size_t	 i;

	out = xstrdup("DNS:localhost,IP:127.0.0.1,IP:0:0:0:0:0:0:0:1");
	for (i = 0; names != NULL && names[i] != NULL; i++) {
		if (*names[i] == '\0' || strchr(names[i], ',') != NULL)
			continue;
		is_ip = strspn(names[i], "0123456789.") == strlen(names[i]) ||
		    strchr(names[i], ':') != NULL;
		xasprintf(&tmp, "%s,%s:%s", out, is_ip ? "IP" : "DNS",
		    names[i]);
		free(out);
		out = tmp;
	}
	return out;
}

/* Make the self-signed CA into t. */
static int
sim_tls_make_ca(struct sim_tls *t, unsigned days, char **cause)
{
	EVP_PKEY	*key;
	X509		*x = NULL;
	int		 rc = -1;

	if ((key = sim_tls_key()) == NULL)
		return sim_tls_error(cause, "CA key");
	if ((x = sim_tls_skeleton("latticectl-sim-ca", key, days)) == NULL)
		goto out;
	X509_set_issuer_name(x, X509_get_subject_name(x));
	if (sim_tls_add_ext(x, x, NID_basic_constraints, "critical,CA:TRUE") ||
	    sim_tls_add_ext(x, x, NID_key_usage,
	    "critical,keyCertSign,cRLSign,digitalSignature") ||
	    sim_tls_add_ext(x, x, NID_subject_key_identifier, "hash") ||
	    X509_sign(x, key, EVP_sha256()) == 0)
		goto out;
	t->ca_cert_pem = sim_tls_cert_pem(x);
	t->ca_key_pem = sim_tls_key_pem(key);
	if (t->ca_cert_pem != NULL && t->ca_key_pem != NULL)
		rc = 0;
out:
	if (rc != 0)
		sim_tls_error(cause, "CA certificate");
	X509_free(x);
	EVP_PKEY_free(key);
	return rc;
}

/* Load the CA certificate and key from t's PEM strings. */
static int
sim_tls_load_ca(const struct sim_tls *t, X509 **ca, EVP_PKEY **cakey)
{
	BIO	*b;

	*ca = NULL;
	*cakey = NULL;
	if (t->ca_cert_pem == NULL || t->ca_key_pem == NULL)
		return -1;
	if ((b = BIO_new_mem_buf(t->ca_cert_pem, -1)) != NULL) {
		*ca = PEM_read_bio_X509(b, NULL, NULL, NULL);
		BIO_free(b);
	}
	if ((b = BIO_new_mem_buf(t->ca_key_pem, -1)) != NULL) {
		*cakey = PEM_read_bio_PrivateKey(b, NULL, NULL, NULL);
		BIO_free(b);
	}
	if (*ca != NULL && *cakey != NULL)
		return 0;
	X509_free(*ca);
	EVP_PKEY_free(*cakey);
	*ca = NULL;
	*cakey = NULL;
	return -1;
}

/* Sign a server certificate for names with the CA. */
static int
sim_tls_sign_server(struct sim_tls *t, X509 *ca, EVP_PKEY *cakey,
    const char *const *names, unsigned days)
{
	EVP_PKEY	*key;
	X509		*x;
	char		*san;
	int		 rc = -1;

	if ((key = sim_tls_key()) == NULL)
		return -1;
	if ((x = sim_tls_skeleton("latticectl-sim", key, days)) == NULL) {
		EVP_PKEY_free(key);
		return -1;
	}
	san = sim_tls_san(names);
	X509_set_issuer_name(x, X509_get_subject_name(ca));
	if (sim_tls_add_ext(x, ca, NID_basic_constraints, "critical,CA:"
	    "FALSE") == 0 && sim_tls_add_ext(x, ca, NID_key_usage, "critical,"
	    "digitalSignature,keyEncipherment") == 0 &&
	    sim_tls_add_ext(x, ca, NID_ext_key_usage, "serverAuth") == 0 &&
	    sim_tls_add_ext(x, ca, NID_subject_alt_name, san) == 0 &&
	    sim_tls_add_ext(x, ca, NID_authority_key_identifier, "keyid:"
	    "always") == 0 && X509_sign(x, cakey, EVP_sha256()) != 0) {
		free(t->cert_pem);
		free(t->key_pem);
		t->cert_pem = sim_tls_cert_pem(x);
		t->key_pem = sim_tls_key_pem(key);
		if (t->cert_pem != NULL && t->key_pem != NULL)
			rc = 0;
	}
	free(san);
	X509_free(x);
	EVP_PKEY_free(key);
	return rc;
}

/* Issue a server certificate from the CA already in t. */
int
sim_tls_issue(struct sim_tls *t, const char *const *names, unsigned days,
    char **cause)
{
	X509		*ca;
	EVP_PKEY	*cakey;
	int		 rc;

	if (days == 0)
		days = 365;
	if (sim_tls_load_ca(t, &ca, &cakey) != 0)
		return sim_tls_error(cause, "loading the CA");
	rc = sim_tls_sign_server(t, ca, cakey, names, days);
	X509_free(ca);
	EVP_PKEY_free(cakey);
	if (rc != 0)
		return sim_tls_error(cause, "server certificate");
	return 0;
}

/* Generate a fresh CA and server certificate into t (zeroed first). */
int
sim_tls_generate(struct sim_tls *t, const char *const *names, unsigned days,
    char **cause)
{
	memset(t, 0, sizeof *t);
	if (days == 0)
		days = 365;
	if (sim_tls_make_ca(t, days, cause) != 0 ||
	    sim_tls_issue(t, names, days, cause) != 0) {
		sim_tls_free(t);
		return -1;
	}
	return 0;
}

/* Release every PEM string. */
void
sim_tls_free(struct sim_tls *t)
{
	free(t->ca_cert_pem);
	if (t->ca_key_pem != NULL)
		OPENSSL_cleanse(t->ca_key_pem, strlen(t->ca_key_pem));
	free(t->ca_key_pem);
	free(t->cert_pem);
	if (t->key_pem != NULL)
		OPENSSL_cleanse(t->key_pem, strlen(t->key_pem));
	free(t->key_pem);
	memset(t, 0, sizeof *t);
}
