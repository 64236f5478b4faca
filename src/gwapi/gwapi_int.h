/*
 * gwapi internals: the allocation arena every parsed object lives in and
 * the parse context with typed, path-naming field getters.
 *
 * Arena: each allocation is its own malloc block on a list owned by the
 * arena (so sanitizers see every bound); gw_arena_free releases all.
 *
 * Getters: a getter reads member key of o (the object at path), returns
 * 0 (value stored, or the default when missing or JSON null) or -1 after
 * setting the parse error "<Kind> <ns>/<name>: <path>.<key>: <what>".
 */
#ifndef LATTICECTL_GWAPI_INT_H
#define LATTICECTL_GWAPI_INT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "latticectl/gwapi.h"

#define GWP_PATH_MAX	256

struct gw_arena;

struct gw_arena	*gw_arena_new(void);
void		 gw_arena_free(struct gw_arena *);
void		*gw_arena_alloc(struct gw_arena *, size_t);
void		*gw_arena_array(struct gw_arena *, size_t n, size_t size);
void		*gw_arena_realloc(struct gw_arena *, void *, size_t);
char		*gw_arena_strdup(struct gw_arena *, const char *);
char		*gw_arena_strndup(struct gw_arena *, const char *, size_t);
cJSON		*gw_arena_json(struct gw_arena *, const cJSON *);
char		*gw_arena_printf(struct gw_arena *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));

/* Parse context for one object. */
struct gwp {
	struct gw_arena	*arena;
	struct gw_meta	*meta;
	const char	*kind;
	int		 namespaced;
	char		**cause;
};

/* Start parsing obj as kind: allocate the arena and a zeroed object of
 * size bytes whose first member is a struct gw_meta, check the kind and
 * parse metadata. Returns the object or NULL with *cause set. */
void	*gwp_begin(struct gwp *, const cJSON *obj, const char *kind,
	    int namespaced, size_t size, char **cause);
/* Abandon a parse (frees everything); returns -1. */
int	 gwp_fail(struct gwp *);
/* Set the invalid-object error at path; returns -1. */
int	 gwp_invalid(struct gwp *, const char *path, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
/* Record an unsupported value / an ignored field at path. */
void	 gwp_problem(struct gwp *, const char *path, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
void	 gwp_ignored(struct gwp *, const char *path, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
/* "<Kind> <ns>/<name>" for messages (static per context; arena copy). */
const char *gwp_who(struct gwp *);

/* Join a path: buf = base + "." + key (or "[i]" when key is NULL). */
const char *gwp_join(char *buf, const char *base, const char *key);
const char *gwp_index(char *buf, const char *base, const char *key,
	    size_t i);

/* Member getters (see top). */
int	 gwp_str(struct gwp *, const cJSON *o, const char *path,
	    const char *key, int required, char **out);
int	 gwp_str_def(struct gwp *, const cJSON *o, const char *path,
	    const char *key, const char *def, char **out);
int	 gwp_int(struct gwp *, const cJSON *o, const char *path,
	    const char *key, int64_t min, int64_t max, int *has, int64_t *out);
int	 gwp_i32(struct gwp *, const cJSON *o, const char *path,
	    const char *key, int32_t min, int32_t max, int32_t def,
	    int32_t *out);
int	 gwp_bool(struct gwp *, const cJSON *o, const char *path,
	    const char *key, int *has, int *out);
int	 gwp_obj(struct gwp *, const cJSON *o, const char *path,
	    const char *key, const cJSON **out);
int	 gwp_arr(struct gwp *, const cJSON *o, const char *path,
	    const char *key, size_t max, const cJSON **out, size_t *n);
/* A string member that must be one of values (NULL-terminated); *idx
 * gets its index, def when missing. */
int	 gwp_enum(struct gwp *, const cJSON *o, const char *path,
	    const char *key, const char *const *values, int def, int *idx);
/* An array of strings. */
int	 gwp_strv(struct gwp *, const cJSON *o, const char *path,
	    const char *key, size_t max, char ***out, size_t *n);
/* A map of string to string. */
int	 gwp_map(struct gwp *, const cJSON *o, const char *path,
	    const char *key, struct gw_kv **out, size_t *n);
/* A metav1.LabelSelector at o.key. */
int	 gwp_selector(struct gwp *, const cJSON *o, const char *path,
	    const char *key, struct gw_selector *out);
/* A policy targetRef (required; namespace defaults to the policy's). */
int	 gwp_target_ref(struct gwp *, const cJSON *spec,
	    struct gw_target_ref *out);
/* Copy of the user tags annotation into the arena, noting skipped ones. */
void	 gwp_tags(struct gwp *, struct gw_kv **out, size_t *n);

/* Case-insensitive ASCII compare. */
int	 gw_strcaseeq(const char *, const char *);
/* NULL-safe equality. */
int	 gw_streq(const char *, const char *);

#endif
