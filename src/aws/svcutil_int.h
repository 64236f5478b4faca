/*
 * Private to the typed EC2, IAM and EKS clients: small helpers for string
 * arrays, growing result arrays, reading XML values and reporting a
 * response that could not be understood. Strings and arrays returned are
 * owned by the caller.
 */
#ifndef LATTICECTL_SVCUTIL_INT_H
#define LATTICECTL_SVCUTIL_INT_H

#include <stddef.h>
#include <time.h>

#include <cjson/cJSON.h>
#include <libxml/tree.h>

#include "latticectl/aws.h"

/* Make room for element n (0-based) of an array of size-byte elements
 * grown one at a time; the new element is zeroed. Returns the array. */
void	*svcutil_grow(void *v, size_t n, size_t size);

/* Append a copy of s to the string array (*v, *n). */
void	 svcutil_strs_add(char ***v, size_t *n, const char *s);
void	 svcutil_strs_free(char **v, size_t n);

/* Fill err for a response the client could not read (code
 * "InvalidResponse", status 0); returns -1. */
int	 svcutil_error(struct aws_error *, const char *service, const char *op,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* The text of an element itself (caller frees), never NULL. */
char	*svcutil_node_text(xmlNode *);
/* Append the text of every <item> child of from/path to (*v, *n). */
void	 svcutil_xml_strs(xmlNode *from, const char *path, const char *item,
	    char ***v, size_t *n);
/* Integer at path, or def when absent or not a number. */
long	 svcutil_xml_long(xmlNode *from, const char *path, long def);
/* Timestamp at path (ISO 8601); zero when absent or malformed. */
void	 svcutil_xml_time(xmlNode *from, const char *path, struct timespec *);
/* Read <path><item><key>k</key><value>v</value></item>... into tags. */
void	 svcutil_xml_tags(xmlNode *from, const char *path, const char *item,
	    const char *key, const char *value, struct aws_tags *);
/* Does the document's root element have this local name? */
int	 svcutil_xml_root_is(xmlDoc *, const char *name);

/* Add <prefix>.1=v[0], <prefix>.2=v[1], ... ("VpcId",
 * "ClientIDList.member"). */
void	 svcutil_params_list(struct aws_params *, const char *prefix,
	    const char *const *v, size_t n);

/* A JSON array of strings -> (*v, *n), non-strings skipped. */
void	 svcutil_json_strs(const cJSON *arr, char ***v, size_t *n);
/* (v, n) -> a new JSON array of strings. */
cJSON	*svcutil_json_array(const char *const *v, size_t n);
/* Copy of a JSON string member at a dotted path, or NULL. */
char	*svcutil_json_dup(const cJSON *obj, const char *path);

#endif
