/*
 * Private to the src/aws/lattice*.c files: the call and pagination
 * plumbing, validation errors, and JSON field helpers. Strings returned
 * by the lattice_j* getters are owned by the caller.
 */
#ifndef LATTICECTL_LATTICE_INT_H
#define LATTICECTL_LATTICE_INT_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "latticectl/aws.h"
#include "latticectl/lattice.h"
#include "latticectl/strbuf.h"

#define LATTICE_PARAM_ERROR	"ParamValidationError"

/* One list operation and how to parse and free its items. */
struct lattice_pager {
	const char	*op;
	const char	*method;
	const char	*path;		/* already encoded */
	const char	*filters;	/* encoded query prefix, or NULL */
	const cJSON	*body;		/* ListTargets only */
	size_t		 item_size;
	void		(*parse)(const cJSON *, void *item);
	void		(*free_item)(void *item);
};

/* lattice.c: calls, paths, errors, pagination, generic arrays. */
int	 lattice_call(struct aws *, const char *op, const char *method,
	    const char *path, const char *query, const cJSON *body,
	    cJSON **out, struct aws_error *);
int	 lattice_do(struct aws *, const char *op, const char *method,
	    char *path, const char *query, cJSON *body, cJSON **out,
	    struct aws_error *);
char	*lattice_pathf(const char *fmt, ...);
int	 lattice_invalid(struct aws_error *, const char *op,
	    const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int	 lattice_require(struct aws_error *, const char *op, const char *name,
	    const char *value);
int	 lattice_check_page(struct aws_error *, const char *op,
	    const struct lattice_page *);
int	 lattice_paginate(struct aws *, const struct lattice_pager *,
	    const struct lattice_page *, void **items, size_t *n,
	    char **next_token, struct aws_error *);
void	 lattice_query_opt(struct strbuf *, const char *key, const char *value);
char	*lattice_query_take(struct strbuf *);
void	 lattice_add_client_token(cJSON *body, const char *given);
void	 lattice_add_tags(cJSON *body, const struct aws_tags *);
void	*lattice_array_add(void **items, size_t *n, size_t size);
void	 lattice_page_add(const cJSON *page, void **items, size_t *n,
	    size_t size, void (*parse)(const cJSON *, void *),
	    char **next_token);

/* lattice_json.c: reading and writing members. */
const cJSON *lattice_jarray(const cJSON *, const char *key);
char	*lattice_jstr(const cJSON *, const char *key);
int	 lattice_jint(const cJSON *, const char *key, int def);
int64_t	 lattice_jlong(const cJSON *, const char *key, int64_t def);
enum lattice_bool lattice_jbool(const cJSON *, const char *key);
void	 lattice_jtime(const cJSON *, const char *key, struct timespec *);
char	**lattice_jstrv(const cJSON *, const char *key, size_t *n);
void	 lattice_strv_free(char **, size_t);
void	 lattice_dns_entry_from_json(const cJSON *, struct lattice_dns_entry *);
void	 lattice_dns_options_from_json(const cJSON *,
	    struct lattice_dns_options *);
cJSON	*lattice_dns_options_to_json(const struct lattice_dns_options *);
void	 lattice_add_bool(cJSON *, const char *key, enum lattice_bool);
void	 lattice_add_int(cJSON *, const char *key, int value);
void	 lattice_add_strv(cJSON *, const char *key, const char *const *v,
	    size_t n);
int	 lattice_check_match(struct aws_error *, const char *op,
	    const struct lattice_rule_match *);
int	 lattice_check_action(struct aws_error *, const char *op,
	    const struct lattice_rule_action *);

#endif
