/*
 * YAML over libyaml: multi-document streams into cJSON trees. Scalars keep
 * YAML 1.1/1.2 core types (null, bool, int, float, string; quoted scalars
 * are always strings). Errors carry "file:line:column: message".
 */
#ifndef LATTICECTL_YAML_H
#define LATTICECTL_YAML_H

#include <stddef.h>

#include <cjson/cJSON.h>

/* Parse a stream; *docs becomes a cJSON array, one item per document
 * (empty and null documents skipped). Aliases are expanded by copy, at
 * most 1,000,000 nodes and 256 levels per document. Caller owns *docs. */
int	 yaml_load(const char *buf, size_t len, const char *filename,
	    cJSON **docs, char **cause);
int	 yaml_load_file(const char *path, cJSON **docs, char **cause);
/* Render a tree as block YAML (caller frees). */
char	*yaml_dump(const cJSON *);
/* Render an array of documents as a stream, "---" before each one after
 * the first (caller frees). */
char	*yaml_dump_stream(const cJSON *docs);

#endif
