/*
 * Upstream-compatible Lattice names (research/upstream_controller.md 2.1),
 * with deterministic hash suffixes where upstream uses random letters or
 * timestamps (DESIGN "Deterministic names").
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "latticectl/lmodel.h"
#include "latticectl/xmalloc.h"

#define SVC_NAME_ROUTE_MAX	20
#define SVC_NAME_NS_MAX		18
#define TG_NAME_PART_MAX	55
#define SUFFIX_LEN		10

/* SHA-256 of s into out. */
static void
naming_hash(const char *s, unsigned char out[32])
{
	unsigned int	len = 32;

	if (EVP_Digest(s, strlen(s), out, &len, EVP_sha256(), NULL) != 1)
		memset(out, 0, 32);
}

/* First n bytes of s, then '-' stripped at both ends (upstream Truncate). */
char *
lm_trunc(const char *s, size_t n)
{
	size_t	start, end;

	end = strnlen(s, n);
	start = 0;
	while (start < end && s[start] == '-')
		start++;
	while (end > start && s[end - 1] == '-')
		end--;
	return xstrndup(s + start, end - start);
}

/* Map s onto the Lattice name alphabet: bytes outside [a-z0-9-] become
 * '-', runs of '-' collapse, '-' stripped at the ends. In place. */
static void
naming_clean(char *s)
{
	char	*r, *w;

	for (r = w = s; *r != '\0'; r++) {
		char c = *r;

		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
			c = '-';
		if (c == '-' && (w == s || w[-1] == '-'))
			continue;
		*w++ = c;
	}
	if (w > s && w[-1] == '-')
		w--;
	*w = '\0';
}

/* trunc(route,20) "-" trunc(ns,18), made Lattice-clean. */
char *
lm_service_name_default(const char *route_name, const char *ns)
{
	char	*r, *n, *out;

	r = lm_trunc(route_name, SVC_NAME_ROUTE_MAX);
	n = lm_trunc(ns, SVC_NAME_NS_MAX);
	xasprintf(&out, "%s-%s", r, n);
	free(r);
	free(n);
	naming_clean(out);	/* a no-op on valid names */
	return out;
}

/* The wire protocol of a listener. */
const char *
lm_listener_proto_str(enum lm_listener_proto p)
{
	switch (p) {
	case LM_PROTO_HTTPS:
		return "HTTPS";
	case LM_PROTO_TLS_PASSTHROUGH:
		return "TLS_PASSTHROUGH";
	case LM_PROTO_HTTP:
	default:
		return "HTTP";
	}
}

/* "<service>-<port>-<http|https|tls>". */
char *
lm_listener_name(const char *service_name, int port,
    enum lm_listener_proto p)
{
	const char	*suffix;
	char		*out;

	switch (p) {
	case LM_PROTO_HTTPS:
		suffix = "https";
		break;
	case LM_PROTO_TLS_PASSTHROUGH:
		suffix = "tls";
		break;
	case LM_PROTO_HTTP:
	default:
		suffix = "http";
		break;
	}
	xasprintf(&out, "%s-%d-%s", service_name, port, suffix);
	return out;
}

/* "k8s-<trunc(ns,55)>-<trunc(svc,55)>-<10 letters>", letters from a
 * SHA-256 of seed (upstream draws them at random). */
char *
lm_tg_name(const char *svc_ns, const char *svc_name, const char *seed)
{
	unsigned char	 h[32];
	char		 letters[SUFFIX_LEN + 1];
	char		*ns, *svc, *out;
	int		 i;

	naming_hash(seed, h);
	for (i = 0; i < SUFFIX_LEN; i++)
		letters[i] = (char)('a' + h[i] % 26);
	letters[SUFFIX_LEN] = '\0';
	ns = lm_trunc(svc_ns, TG_NAME_PART_MAX);
	svc = lm_trunc(svc_name, TG_NAME_PART_MAX);
	xasprintf(&out, "k8s-%s-%s-%s", ns, svc, letters);
	free(ns);
	free(svc);
	naming_clean(out);
	return out;
}

/* "k8s-<10 digits>-rule-<priority>": upstream puts the build time in
 * unix seconds where we put 10 digits of a hash of seed. */
char *
lm_rule_name(const char *seed, int priority)
{
	unsigned char	 h[32];
	uint64_t	 v;
	char		*out;
	int		 i;

	naming_hash(seed, h);
	v = 0;
	for (i = 0; i < 8; i++)
		v = (v << 8) | h[i];
	xasprintf(&out, "k8s-%010llu-rule-%d",
	    (unsigned long long)(v % 10000000000ULL), priority);
	return out;
}

/* The SourceTypeKey tag value of a source kind. */
const char *
lm_source_kind_str(enum lm_source_kind k)
{
	switch (k) {
	case LM_SRC_GRPCROUTE:
		return UP_SOURCE_GRPCROUTE;
	case LM_SRC_TLSROUTE:
		return UP_SOURCE_TLSROUTE;
	case LM_SRC_SERVICEEXPORT:
		return UP_SOURCE_SERVICEEXPORT;
	case LM_SRC_HTTPROUTE:
	default:
		return UP_SOURCE_HTTPROUTE;
	}
}

/* The RouteType tag value of a route kind ("" for a ServiceExport). */
const char *
lm_route_type_str(enum lm_source_kind k)
{
	switch (k) {
	case LM_SRC_HTTPROUTE:
		return UP_ROUTE_TYPE_HTTP;
	case LM_SRC_GRPCROUTE:
		return UP_ROUTE_TYPE_GRPC;
	case LM_SRC_TLSROUTE:
		return UP_ROUTE_TYPE_TLS;
	case LM_SRC_SERVICEEXPORT:
	default:
		return "";
	}
}
