/* sim_kube label and field selectors: parse and match. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/error.h"
#include "latticectl/json.h"
#include "latticectl/xmalloc.h"
#include "kube_int.h"

#define KUBE_SEL_MAX_TERMS	64
#define KUBE_SEL_MAX_VALS	128

/* Trimmed copy of s[0..len) (caller frees). */
static char *
skube_sel_trim(const char *s, size_t len)
{
	while (len > 0 && isspace((unsigned char)*s)) {
		s++;
		len--;
	}
	while (len > 0 && isspace((unsigned char)s[len - 1]))
		len--;
	return xstrndup(s, len);
}

/* Whether a label key or value has only allowed characters. */
static int
skube_sel_word_ok(const char *s, int key)
{
	for (; *s != '\0'; s++) {
		if (!isalnum((unsigned char)*s) && strchr("-_.", *s) == NULL &&
		    !(key && *s == '/'))
			return 0;
	}
	return 1;
}

/* Add a value to a term. */
static void
skube_sel_addval(struct skube_sel_term *t, char *v)
{
	t->vals = xreallocarray(t->vals, t->nvals + 1, sizeof *t->vals);
	t->vals[t->nvals++] = v;
}

/* Parse "(a, b, c)" into the term's values. */
static int
skube_sel_set(struct skube_sel_term *t, const char *s, char **cause)
{
	const char	*close, *p, *comma;
	char		*v;

	while (isspace((unsigned char)*s))
		s++;
	if (*s != '(' || (close = strchr(s, ')')) == NULL)
		return error_set(cause, "set must be in parentheses");
	for (p = s + 1; p <= close &&
	    t->nvals < KUBE_SEL_MAX_VALS; p = comma + 1) {
		comma = memchr(p, ',', close - p);
		if (comma == NULL)
			comma = close;
		v = skube_sel_trim(p, comma - p);
		if (!skube_sel_word_ok(v, 0)) {
			free(v);
			return error_set(cause, "invalid value in set");
		}
		skube_sel_addval(t, v);
	}
	close++;
	while (isspace((unsigned char)*close))
		close++;
	if (*close != '\0')
		return error_set(cause, "unexpected text after set");
	return 0;
}

/* Parse "key in (..)" / "key notin (..)"; 1 when matched, 0 when not
 * this form, -1 on error. */
static int
skube_sel_setterm(struct skube_sel_term *t, const char *s, char **cause)
{
	const char	*sp;
	size_t		 klen;

	sp = s;
	while (*sp != '\0' && !isspace((unsigned char)*sp) && *sp != '(')
		sp++;
	klen = sp - s;
	while (isspace((unsigned char)*sp))
		sp++;
	if (strncmp(sp, "notin", 5) == 0 && (isspace((unsigned char)sp[5]) ||
	    sp[5] == '('))
		t->op = KUBE_SEL_NOTIN;
	else if (strncmp(sp, "in", 2) == 0 && (isspace((unsigned char)sp[2]) ||
	    sp[2] == '('))
		t->op = KUBE_SEL_IN;
	else
		return 0;
	t->key = xstrndup(s, klen);
	return skube_sel_set(t, sp + (t->op == KUBE_SEL_IN ? 2 : 5),
	    cause) == 0 ? 1 : -1;
}

/* Parse one comparison term ("k=v", "k==v", "k!=v", "k>n", "k<n"). */
static int
skube_sel_cmpterm(struct skube_sel_term *t, const char *s, int fields,
    char **cause)
{
	const char	*op;
	size_t		 oplen = 1;

	op = strpbrk(s, fields ? "!=" : "!=<>");
	if (op == NULL)
		return 0;
	if (op[0] == '!' && op[1] == '=') {
		t->op = KUBE_SEL_NEQ;
		oplen = 2;
	} else if (op[0] == '=') {
		t->op = KUBE_SEL_EQ;
		oplen = op[1] == '=' ? 2 : 1;
	} else if (op[0] == '>')
		t->op = KUBE_SEL_GT;
	else if (op[0] == '<')
		t->op = KUBE_SEL_LT;
	else
		return error_set(cause, "invalid operator");
	t->key = skube_sel_trim(s, op - s);
	skube_sel_addval(t, skube_sel_trim(op + oplen, strlen(op + oplen)));
	if (!fields && !skube_sel_word_ok(t->vals[0], 0))
		return error_set(cause, "invalid label value: \"%s\"",
		    t->vals[0]);
	return 1;
}

/* Parse one requirement into t. */
static int
skube_sel_term(struct skube_sel_term *t, const char *s, int fields,
    char **cause)
{
	int	rc;

	memset(t, 0, sizeof *t);
	if (!fields && *s == '!') {
		t->op = KUBE_SEL_NOTEXISTS;
		t->key = skube_sel_trim(s + 1, strlen(s + 1));
	} else if ((rc = skube_sel_cmpterm(t, s, fields, cause)) != 0) {
		if (rc < 0)
			return -1;
	} else if (!fields && (rc = skube_sel_setterm(t, s, cause)) != 0) {
		if (rc < 0)
			return -1;
	} else if (!fields) {
		t->op = KUBE_SEL_EXISTS;
		t->key = xstrdup(s);
	} else
		return error_set(cause, "invalid selector: '%s'; can't "
		    "understand '%s'", s, s);
	if (*t->key == '\0' || !skube_sel_word_ok(t->key, 1))
		return error_set(cause, "invalid key: \"%s\"", t->key);
	return 0;
}

/* Split at commas outside parentheses; returns the length of the next
 * requirement. */
static size_t
skube_sel_span(const char *s)
{
	size_t	i;
	int	depth = 0;

	for (i = 0; s[i] != '\0'; i++) {
		if (s[i] == '(')
			depth++;
		else if (s[i] == ')')
			depth--;
		else if (s[i] == ',' && depth <= 0)
			break;
	}
	return i;
}

/* Parse a label (fields 0) or field (fields 1) selector; "" matches all. */
int
skube_sel_parse(struct skube_sel *sel, const char *s, int fields, char **cause)
{
	char	*req;
	size_t	 len;
	int	 rc;

	memset(sel, 0, sizeof *sel);
	sel->fields = fields;
	while (s != NULL && *s != '\0') {
		len = skube_sel_span(s);
		req = skube_sel_trim(s, len);
		s += len + (s[len] == ',' ? 1 : 0);
		if (*req == '\0') {
			free(req);
			continue;
		}
		if (sel->n == KUBE_SEL_MAX_TERMS) {
			free(req);
			skube_sel_free(sel);
			return error_set(cause, "too many requirements");
		}
		sel->t = xreallocarray(sel->t, sel->n + 1, sizeof *sel->t);
		rc = skube_sel_term(&sel->t[sel->n++], req, fields, cause);
		free(req);
		if (rc != 0) {
			skube_sel_free(sel);
			return -1;
		}
	}
	return 0;
}

/* The value of a field path as text ("" when missing); buf for numbers. */
static const char *
skube_sel_field(const cJSON *obj, const char *path, char *buf, size_t len)
{
	const cJSON	*v = json_path(obj, path);

	if (cJSON_IsString(v))
		return v->valuestring;
	if (cJSON_IsNumber(v)) {
		snprintf(buf, len, "%lld", (long long)v->valuedouble);
		return buf;
	}
	if (cJSON_IsBool(v))
		return cJSON_IsTrue(v) ? "true" : "false";
	return "";
}

/* Whether one term holds for the label value (NULL: label missing). */
static int
skube_sel_holds(const struct skube_sel_term *t, const char *val)
{
	size_t	i;
	int	in = 0;

	for (i = 0; val != NULL && i < t->nvals; i++)
		in |= strcmp(t->vals[i], val) == 0;
	switch (t->op) {
	case KUBE_SEL_EQ:
	case KUBE_SEL_IN:
		return in;
	case KUBE_SEL_NEQ:
	case KUBE_SEL_NOTIN:
		return !in;
	case KUBE_SEL_EXISTS:
		return val != NULL;
	case KUBE_SEL_NOTEXISTS:
		return val == NULL;
	case KUBE_SEL_GT:
		return val != NULL && atoll(val) > atoll(t->vals[0]);
	case KUBE_SEL_LT:
		return val != NULL && atoll(val) < atoll(t->vals[0]);
	}
	return 0;
}

/* Whether obj matches every requirement. */
int
skube_sel_match(const struct skube_sel *sel, const cJSON *obj)
{
	const cJSON	*labels = json_path(obj, "metadata.labels");
	const char	*val;
	char		 buf[32];
	size_t		 i;

	for (i = 0; i < sel->n; i++) {
		if (sel->fields)
			val = skube_sel_field(obj, sel->t[i].key, buf,
			    sizeof buf);
		else
			val = json_str(labels, sel->t[i].key);
		if (!skube_sel_holds(&sel->t[i], val))
			return 0;
	}
	return 1;
}

/* Release a selector. */
void
skube_sel_free(struct skube_sel *sel)
{
	size_t	i, j;

	for (i = 0; i < sel->n; i++) {
		free(sel->t[i].key);
		for (j = 0; j < sel->t[i].nvals; j++)
			free(sel->t[i].vals[j]);
		free(sel->t[i].vals);
	}
	free(sel->t);
	memset(sel, 0, sizeof *sel);
}
