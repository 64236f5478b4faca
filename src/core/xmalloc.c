/* xmalloc family: allocation wrappers that abort instead of returning NULL. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/xmalloc.h"

/* Report an allocation failure and abort: there is no sane way on. */
static void
xmalloc_fail(const char *what, size_t n)
{
	fprintf(stderr, "latticectl: %s: out of memory allocating %zu bytes\n",
	    what, n);
	abort();
}

/* Allocate size bytes (at least one). */
void *
xmalloc(size_t size)
{
	void	*p;

	if (size == 0)
		size = 1;
	if ((p = malloc(size)) == NULL)
		xmalloc_fail("xmalloc", size);
	return p;
}

/* Allocate a zeroed array of n elements of size bytes. */
void *
xcalloc(size_t n, size_t size)
{
	void	*p;

	if (n == 0 || size == 0)
		n = size = 1;
	if ((p = calloc(n, size)) == NULL)
		xmalloc_fail("xcalloc", n * size);
	return p;
}

/* Resize ptr to size bytes. */
void *
xrealloc(void *ptr, size_t size)
{
	return xreallocarray(ptr, 1, size);
}

/* Resize ptr to n elements of size bytes, checking for overflow. */
void *
xreallocarray(void *ptr, size_t n, size_t size)
{
	void	*p;

	if (n == 0 || size == 0)
		n = size = 1;
	if (size != 0 && n > SIZE_MAX / size)
		xmalloc_fail("xreallocarray (overflow)", SIZE_MAX);
	if ((p = realloc(ptr, n * size)) == NULL)
		xmalloc_fail("xreallocarray", n * size);
	return p;
}

/* Duplicate a string. */
char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

/* Duplicate at most n bytes of a string, always terminated. */
char *
xstrndup(const char *s, size_t n)
{
	size_t	 len = strnlen(s, n);
	char	*p = xmalloc(len + 1);

	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

/* Duplicate a string that may be NULL. */
char *
xstrdup_or_null(const char *s)
{
	return s == NULL ? NULL : xstrdup(s);
}

/* Format into a newly allocated string; returns its length. */
int
xasprintf(char **ret, const char *fmt, ...)
{
	va_list	ap;
	int	n;

	va_start(ap, fmt);
	n = xvasprintf(ret, fmt, ap);
	va_end(ap);
	return n;
}

/* Format a va_list into a newly allocated string; returns its length. */
int
xvasprintf(char **ret, const char *fmt, va_list ap)
{
	int	n;

	if ((n = vasprintf(ret, fmt, ap)) == -1)
		xmalloc_fail("xvasprintf", strlen(fmt));
	return n;
}

/* Free the pointer held at pp and clear it. */
void
xfree_ptr(void *pp)
{
	void	**p = pp;

	free(*p);
	*p = NULL;
}
