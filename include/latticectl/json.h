/*
 * JSON helpers over cJSON. Trees returned are owned by the caller
 * (cJSON_Delete); strings returned by the getters point into the tree.
 */
#ifndef LATTICECTL_JSON_H
#define LATTICECTL_JSON_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

/* Parse len bytes; on error *cause names what (e.g. a file) and line:column. */
cJSON	*json_parse(const char *buf, size_t len, const char *what, char **cause);
/* Member key of obj as a string, or NULL when missing or not a string. */
const char *json_str(const cJSON *obj, const char *key);
/* Member as an integer; returns 0 and sets *out, or -1 when missing/not integral. */
int	 json_int(const cJSON *obj, const char *key, int64_t *out);
/* Member as a double, or def. */
double	 json_num(const cJSON *obj, const char *key, double def);
/* Member as a boolean, or def when missing or not a boolean. */
int	 json_bool(const cJSON *obj, const char *key, int def);
/* Walk a dotted path ("metadata.name"); NULL when any step is missing. */
const cJSON *json_path(const cJSON *obj, const char *path);
const char *json_path_str(const cJSON *obj, const char *path);
/* Compact text (caller frees with free()). */
char	*json_print(const cJSON *);
/* Add a string member only when val is not NULL. */
void	 json_add_str_opt(cJSON *obj, const char *key, const char *val);
/* Deep-compare two trees (key order ignored for objects; numbers equal
 * within cJSON's print precision, as cJSON_Compare; NaN equals NaN). */
int	 json_equal(const cJSON *, const cJSON *);

#endif
