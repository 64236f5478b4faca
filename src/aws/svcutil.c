/* Helpers shared by the typed EC2, IAM and EKS clients. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "latticectl/json.h"
#include "latticectl/timeutil.h"
#include "latticectl/xmalloc.h"

#include "aws_int.h"
#include "svcutil_int.h"

/* Grow an array so index n exists; capacity doubles at powers of two. */
void *
svcutil_grow(void *v, size_t n, size_t size)
{
	char	*p = v;

	if (n == 0 || (n & (n - 1)) == 0)
		p = xreallocarray(p, n == 0 ? 1 : n * 2, size);
	memset(p + n * size, 0, size);
	return p;
}

/* Append a copy of s to a string array. */
void
svcutil_strs_add(char ***v, size_t *n, const char *s)
{
	*v = svcutil_grow(*v, *n, sizeof **v);
	(*v)[(*n)++] = xstrdup(s);
}

/* Free a string array and its strings. */
void
svcutil_strs_free(char **v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* Report an unreadable response as an aws_error. */
int
svcutil_error(struct aws_error *err, const char *service, const char *op,
    const char *fmt, ...)
{
	va_list	ap;

	if (err == NULL)
		return -1;
	aws_error_clear(err);
	err->code = xstrdup("InvalidResponse");
	va_start(ap, fmt);
	xvasprintf(&err->message, fmt, ap);
	va_end(ap);
	xasprintf(&err->op, "%s:%s", service, op);
	err->retry_after = -1;
	return -1;
}

/* Text content of one element. */
char *
svcutil_node_text(xmlNode *node)
{
	xmlChar	*c;
	char	*s;

	if (node == NULL || (c = xmlNodeGetContent(node)) == NULL)
		return xstrdup("");
	s = xstrdup((const char *)c);
	xmlFree(c);
	return s;
}

/* Collect the texts of the item children of from/path. */
void
svcutil_xml_strs(xmlNode *from, const char *path, const char *item,
    char ***v, size_t *n)
{
	xmlNode	*list, *it;
	char	*s;

	if ((list = aws_xml_path(from, path)) == NULL)
		return;
	AWS_XML_FOREACH(it, list, item) {
		s = svcutil_node_text(it);
		*v = svcutil_grow(*v, *n, sizeof **v);
		(*v)[(*n)++] = s;
	}
}

/* Integer value at path, or def. */
long
svcutil_xml_long(xmlNode *from, const char *path, long def)
{
	char	*s, *end;
	long	 val;

	if ((s = aws_xml_text(from, path)) == NULL)
		return def;
	errno = 0;
	val = strtol(s, &end, 10);
	if (end == s || *end != '\0' || errno != 0)
		val = def;
	free(s);
	return val;
}

/* Timestamp value at path, or zero. */
void
svcutil_xml_time(xmlNode *from, const char *path, struct timespec *ts)
{
	char	*s;

	ts->tv_sec = 0;
	ts->tv_nsec = 0;
	if ((s = aws_xml_text(from, path)) == NULL)
		return;
	if (time_parse(s, ts) != 0) {
		ts->tv_sec = 0;
		ts->tv_nsec = 0;
	}
	free(s);
}

/* Read a key/value tag list. Items without a key are skipped. */
void
svcutil_xml_tags(xmlNode *from, const char *path, const char *item,
    const char *key, const char *value, struct aws_tags *tags)
{
	xmlNode	*list, *it;
	char	*k, *v;

	if ((list = aws_xml_path(from, path)) == NULL)
		return;
	AWS_XML_FOREACH(it, list, item) {
		k = aws_xml_text(it, key);
		v = aws_xml_text(it, value);
		if (k != NULL)
			aws_tags_set(tags, k, v != NULL ? v : "");
		free(k);
		free(v);
	}
}

/* Compare the root element's local name. */
int
svcutil_xml_root_is(xmlDoc *doc, const char *name)
{
	xmlNode	*root;

	if (doc == NULL || (root = xmlDocGetRootElement(doc)) == NULL)
		return 0;
	return root->name != NULL &&
	    strcmp((const char *)root->name, name) == 0;
}

/* Add a 1-based numbered list of parameters. */
void
svcutil_params_list(struct aws_params *p, const char *prefix,
    const char *const *v, size_t n)
{
	char	*key;
	size_t	 i;

	for (i = 0; i < n; i++) {
		xasprintf(&key, "%s.%zu", prefix, i + 1);
		aws_params_add(p, key, v[i]);
		free(key);
	}
}

/* Strings of a JSON array. */
void
svcutil_json_strs(const cJSON *arr, char ***v, size_t *n)
{
	const cJSON	*it;

	if (!cJSON_IsArray(arr))
		return;
	cJSON_ArrayForEach(it, arr) {
		if (cJSON_IsString(it) && it->valuestring != NULL)
			svcutil_strs_add(v, n, it->valuestring);
	}
}

/* A JSON array of strings. */
cJSON *
svcutil_json_array(const char *const *v, size_t n)
{
	cJSON	*arr;
	size_t	 i;

	arr = cJSON_CreateArray();
	for (i = 0; i < n; i++)
		cJSON_AddItemToArray(arr, cJSON_CreateString(v[i]));
	return arr;
}

/* Copy of a string at a dotted path. */
char *
svcutil_json_dup(const cJSON *obj, const char *path)
{
	return xstrdup_or_null(json_path_str(obj, path));
}
