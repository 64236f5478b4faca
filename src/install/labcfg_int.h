/*
 * lab.yaml internals (src/install/labcfg*.c): the field table that drives
 * the parser and the renderer, and string-list helpers. Tables are static
 * data; string lists own their strings.
 */
#ifndef LATTICECTL_LABCFG_INT_H
#define LATTICECTL_LABCFG_INT_H

#include <stddef.h>

#include "latticectl/install.h"

#define LAB_MAX_SIZE	(256 * 1024)

enum lab_ftype {
	LF_IGNORE,	/* accepted, not stored (apiVersion, kind) */
	LF_STR,
	LF_INT,
	LF_BOOL,
	LF_STRV,
	LF_MAP,
	LF_ENUM,
	LF_OBJ
};

struct lab_field {
	const char		*key;
	enum lab_ftype		 type;
	size_t			 off;	/* into struct lab_config */
	const struct lab_field	*sub;	/* LF_OBJ */
	int			(*parse)(const char *, int *, char **cause);
};

const struct lab_field *labcfg_fields(void);
int	 labcfg_parse_mode(const char *, int *, char **cause);
int	 labcfg_parse_identity(const char *, int *, char **cause);
void	 labcfg_finish(struct lab_config *);
void	 labcfg_strv_set(struct lab_strv *, const char *const *v, size_t n);
void	 labcfg_strv_add(struct lab_strv *, const char *);
void	 labcfg_strv_free(struct lab_strv *);

#endif
