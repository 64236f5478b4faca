/*
 * xmalloc family: allocation that never returns NULL (the process aborts
 * with a message on exhaustion). Every pointer returned is owned by the
 * caller and released with free().
 */
#ifndef LATTICECTL_XMALLOC_H
#define LATTICECTL_XMALLOC_H

#include <stdarg.h>
#include <stddef.h>

void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xrealloc(void *, size_t);
void	*xreallocarray(void *, size_t, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);
/* Like xstrdup but NULL in, NULL out. */
char	*xstrdup_or_null(const char *);
int	 xasprintf(char **, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
int	 xvasprintf(char **, const char *, va_list)
	    __attribute__((format(printf, 2, 0)));
/* Free *pp and set it to NULL. */
void	 xfree_ptr(void *pp);

#endif
