/* gwapi metadata helpers: annotations, labels, selectors, tags, names. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "latticectl/error.h"
#include "latticectl/xmalloc.h"

#include "gwapi_int.h"

/* Value of key in a kv array, or NULL. */
static const char *
gw_kv_get(const struct gw_kv *kv, size_t n, const char *key)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (strcmp(kv[i].key, key) == 0)
			return kv[i].value;
	}
	return NULL;
}

/* An annotation value, or NULL. */
const char *
gw_meta_annotation(const struct gw_meta *m, const char *key)
{
	return gw_kv_get(m->annotations, m->nannotations, key);
}

/* A label value, or NULL. */
const char *
gw_meta_label(const struct gw_meta *m, const char *key)
{
	return gw_kv_get(m->labels, m->nlabels, key);
}

/* Whether the object carries finalizer f. */
int
gw_meta_has_finalizer(const struct gw_meta *m, const char *f)
{
	size_t	i;

	for (i = 0; i < m->nfinalizers; i++) {
		if (strcmp(m->finalizers[i], f) == 0)
			return 1;
	}
	return 0;
}

/* "ns/name" or "name" into buf. */
char *
gw_meta_key(const struct gw_meta *m, char *buf, size_t len)
{
	if (m->ns != NULL)
		snprintf(buf, len, "%s/%s", m->ns, m->name);
	else
		snprintf(buf, len, "%s", m->name);
	return buf;
}

/* Whether value is one of values. */
static int
gw_in(const char *value, char *const *values, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (strcmp(values[i], value) == 0)
			return 1;
	}
	return 0;
}

/* Whether labels satisfy one expression. */
static int
gw_sel_expr_matches(const struct gw_sel_expr *x, const struct gw_kv *labels,
    size_t n)
{
	const char	*v;

	v = gw_kv_get(labels, n, x->key);
	switch (x->op) {
	case GW_SEL_IN:
		return v != NULL && gw_in(v, x->values, x->nvalues);
	case GW_SEL_NOT_IN:
		return v == NULL || !gw_in(v, x->values, x->nvalues);
	case GW_SEL_EXISTS:
		return v != NULL;
	case GW_SEL_DOES_NOT_EXIST:
		return v == NULL;
	}
	return 0;
}

/* Whether labels satisfy the selector (empty matches everything). */
int
gw_selector_matches(const struct gw_selector *s, const struct gw_kv *labels,
    size_t n)
{
	const char	*v;
	size_t		 i;

	for (i = 0; i < s->nmatch_labels; i++) {
		v = gw_kv_get(labels, n, s->match_labels[i].key);
		if (v == NULL || strcmp(v, s->match_labels[i].value) != 0)
			return 0;
	}
	for (i = 0; i < s->nexprs; i++) {
		if (!gw_sel_expr_matches(&s->exprs[i], labels, n))
			return 0;
	}
	return 1;
}

/* Whether every byte of s[0..len) fits the AWS tag pattern. */
static int
gw_tag_chars_ok(const char *s, size_t len)
{
	unsigned char	c;
	size_t		i;

	for (i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		if (c >= 0x80 || (c >= 'a' && c <= 'z') ||
		    (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
			continue;
		if (strchr(" _.:/=+-@", c) == NULL || c == '\0')
			return 0;
	}
	return 1;
}

/* Trim ASCII spaces around s[0..*len); returns the new start. */
static const char *
gw_trim(const char *s, size_t *len)
{
	while (*len > 0 && (*s == ' ' || *s == '\t' || *s == '\n' ||
	    *s == '\r' || *s == '\v' || *s == '\f')) {
		s++;
		(*len)--;
	}
	while (*len > 0 && (s[*len - 1] == ' ' || s[*len - 1] == '\t' ||
	    s[*len - 1] == '\n' || s[*len - 1] == '\r' ||
	    s[*len - 1] == '\v' || s[*len - 1] == '\f'))
		(*len)--;
	return s;
}

/* Whether key k is already in kv[0..n). */
static int
gw_kv_has(const struct gw_kv *kv, size_t n, const char *k)
{
	return gw_kv_get(kv, n, k) != NULL;
}

/* One "k=v" item into kv (returns 1 taken, 0 skipped). */
static int
gw_tag_item(const char *item, size_t len, struct gw_kv *kv, size_t n)
{
	const char	*eq, *k, *v;
	size_t		 klen, vlen;

	if ((eq = memchr(item, '=', len)) == NULL)
		return 0;
	klen = (size_t)(eq - item);
	vlen = len - klen - 1;
	k = gw_trim(item, &klen);
	v = gw_trim(eq + 1, &vlen);
	if (klen == 0 || vlen == 0 || klen > UP_TAG_KEY_MAX ||
	    vlen > UP_TAG_VALUE_MAX || !gw_tag_chars_ok(k, klen) ||
	    !gw_tag_chars_ok(v, vlen))
		return 0;
	kv[n].key = xstrndup(k, klen);
	if (gw_kv_has(kv, n, kv[n].key)) {
		free(kv[n].key);
		kv[n].key = NULL;
		return 0;
	}
	kv[n].value = xstrndup(v, vlen);
	return 1;
}

/* Whether a tag key is reserved (ours, or "aws:" in any case). */
static int
gw_tag_reserved(const char *k)
{
	return strncmp(k, UP_PREFIX, strlen(UP_PREFIX)) == 0 ||
	    strncasecmp(k, UP_TAG_RESERVED_AWS,
	    strlen(UP_TAG_RESERVED_AWS)) == 0;
}

/* Parse a tags annotation the upstream way (see gwapi.h). */
size_t
gw_tags_parse(const char *s, struct gw_kv **out, size_t *n)
{
	struct gw_kv	*kv;
	const char	*item, *end;
	size_t		 len, skipped = 0, taken = 0, i, j;

	*out = NULL;
	*n = 0;
	kv = xcalloc(UP_TAGS_MAX + 1, sizeof *kv);
	for (item = s; item != NULL; item = end != NULL ? end + 1 : NULL) {
		end = strchr(item, ',');
		len = end != NULL ? (size_t)(end - item) : strlen(item);
		item = gw_trim(item, &len);
		if (len == 0)
			continue;
		if (taken == UP_TAGS_MAX) {
			skipped++;
			continue;
		}
		if (gw_tag_item(item, len, kv, taken))
			taken++;
		else
			skipped++;
	}
	for (i = j = 0; i < taken; i++) {
		if (gw_tag_reserved(kv[i].key)) {
			free(kv[i].key);
			free(kv[i].value);
			skipped++;
			continue;
		}
		kv[j++] = kv[i];
	}
	if (j == 0) {
		free(kv);
		return skipped;
	}
	*out = kv;
	*n = j;
	return skipped;
}

/* Free a malloc'd kv array and its strings. */
void
gw_kv_free(struct gw_kv *kv, size_t n)
{
	size_t	i;

	if (kv == NULL)
		return;
	for (i = 0; i < n; i++) {
		free(kv[i].key);
		free(kv[i].value);
	}
	free(kv);
}

/* Check a service-name-override value (upstream's rules and messages). */
int
gw_service_name_check(const char *s, char **cause)
{
	size_t	len = strlen(s), i;

	if (len < UP_SVC_OVERRIDE_MIN)
		return error_set(cause, "invalid service name override '%s': "
		    "service name must be at least 3 characters long", s);
	if (len > UP_SVC_OVERRIDE_MAX)
		return error_set(cause, "invalid service name override '%s': "
		    "service name cannot exceed 40 characters", s);
	for (i = 0; i < len; i++) {
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return error_set(cause, "invalid service name override "
			    "'%s': service name must contain only lowercase "
			    "letters, numbers, and hyphens", s);
	}
	if (strncmp(s, "svc-", 4) == 0)
		return error_set(cause, "invalid service name override '%s': "
		    "service name cannot start with 'svc-'", s);
	if (s[0] == '-' || s[len - 1] == '-')
		return error_set(cause, "invalid service name override '%s': "
		    "service name cannot %s with a hyphen", s,
		    s[0] == '-' ? "start" : "end");
	if (strstr(s, "--") != NULL)
		return error_set(cause, "invalid service name override '%s': "
		    "service name cannot contain double hyphens", s);
	return 0;
}

/* Whether an annotation value means true ("true" trimmed, any case). */
int
gw_ann_true(const char *v)
{
	size_t		 len;
	const char	*s;

	if (v == NULL)
		return 0;
	len = strlen(v);
	s = gw_trim(v, &len);
	return len == 4 && strncasecmp(s, "true", 4) == 0;
}

/* Kind name of a route kind. */
const char *
gw_route_kind_name(enum gw_route_kind k)
{
	switch (k) {
	case GW_ROUTE_HTTP:
		return UP_KIND_HTTPROUTE;
	case GW_ROUTE_GRPC:
		return UP_KIND_GRPCROUTE;
	case GW_ROUTE_TLS:
		return UP_KIND_TLSROUTE;
	default:
		return NULL;
	}
}

/* RouteType tag value of a route kind. */
const char *
gw_route_type_tag(enum gw_route_kind k)
{
	switch (k) {
	case GW_ROUTE_HTTP:
		return UP_ROUTE_TYPE_HTTP;
	case GW_ROUTE_GRPC:
		return UP_ROUTE_TYPE_GRPC;
	case GW_ROUTE_TLS:
		return UP_ROUTE_TYPE_TLS;
	default:
		return NULL;
	}
}

/* Finalizer of a route kind. */
const char *
gw_route_finalizer(enum gw_route_kind k)
{
	switch (k) {
	case GW_ROUTE_HTTP:
		return UP_FIN_HTTPROUTE;
	case GW_ROUTE_GRPC:
		return UP_FIN_GRPCROUTE;
	case GW_ROUTE_TLS:
		return UP_FIN_TLSROUTE;
	default:
		return NULL;
	}
}

/* The route kind a kind string names. */
enum gw_route_kind
gw_route_kind_from_name(const char *s)
{
	if (s == NULL)
		return GW_ROUTE_ANY;
	if (strcmp(s, UP_KIND_HTTPROUTE) == 0)
		return GW_ROUTE_HTTP;
	if (strcmp(s, UP_KIND_GRPCROUTE) == 0)
		return GW_ROUTE_GRPC;
	if (strcmp(s, UP_KIND_TLSROUTE) == 0)
		return GW_ROUTE_TLS;
	return GW_ROUTE_ANY;
}
