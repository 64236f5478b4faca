/* XML reading helpers for query-protocol answers (libxml2 trees). */
#include <stdlib.h>
#include <string.h>

#include "latticectl/xmalloc.h"

#include "aws_int.h"

/* Is node an element with this local name? */
static int
aws_xml_is(xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE &&
	    xmlStrcmp(n->name, BAD_CAST name) == 0;
}

/* First element child of parent with the local name. */
xmlNode *
aws_xml_child(xmlNode *parent, const char *name)
{
	xmlNode	*n;

	if (parent == NULL)
		return NULL;
	for (n = parent->children; n != NULL; n = n->next) {
		if (aws_xml_is(n, name))
			return n;
	}
	return NULL;
}

/* Next sibling element after 'after' with the local name. */
xmlNode *
aws_xml_next(xmlNode *after, const char *name)
{
	xmlNode	*n;

	for (n = after->next; n != NULL; n = n->next) {
		if (aws_xml_is(n, name))
			return n;
	}
	return NULL;
}

/* Follow a "a/b/c" path of child element names. */
xmlNode *
aws_xml_path(xmlNode *from, const char *path)
{
	char	 name[128];
	size_t	 len;

	while (from != NULL && *path != '\0') {
		len = strcspn(path, "/");
		if (len == 0 || len >= sizeof name)
			return NULL;
		memcpy(name, path, len);
		name[len] = '\0';
		from = aws_xml_child(from, name);
		path += len;
		if (*path == '/')
			path++;
	}
	return from;
}

/* Text of the element at path (caller frees), or NULL when absent. */
char *
aws_xml_text(xmlNode *from, const char *path)
{
	xmlNode	*n = *path == '\0' ? from : aws_xml_path(from, path);
	xmlChar	*c;
	char	*s;

	if (n == NULL)
		return NULL;
	c = xmlNodeGetContent(n);
	s = xstrdup(c != NULL ? (const char *)c : "");
	xmlFree(c);
	return s;
}

/* Integer text at path; 0 on success. */
int
aws_xml_int(xmlNode *from, const char *path, long long *out)
{
	char	*s = aws_xml_text(from, path), *end;
	int	 r = -1;

	if (s != NULL && *s != '\0') {
		*out = strtoll(s, &end, 10);
		r = *end == '\0' ? 0 : -1;
	}
	free(s);
	return r;
}

/* Boolean text ("true"/"false") at path, or def. */
int
aws_xml_bool(xmlNode *from, const char *path, int def)
{
	char	*s = aws_xml_text(from, path);
	int	 r = def;

	if (s != NULL) {
		if (strcmp(s, "true") == 0)
			r = 1;
		else if (strcmp(s, "false") == 0)
			r = 0;
	}
	free(s);
	return r;
}

/* The <OpResult> element (IAM, STS) or the root element (EC2). */
xmlNode *
aws_xml_result(xmlDoc *doc, const char *op)
{
	xmlNode	*root = xmlDocGetRootElement(doc), *r;
	char	 name[160];

	if (root == NULL)
		return NULL;
	snprintf(name, sizeof name, "%sResult", op);
	r = aws_xml_child(root, name);
	return r != NULL ? r : root;
}
