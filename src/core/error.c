/* Errors: the char **cause convention. */
#include <stdarg.h>
#include <stdlib.h>

#include "latticectl/error.h"
#include "latticectl/xmalloc.h"

/* Replace *cause with a formatted message; returns -1 for tail calls. */
int
error_set(char **cause, const char *fmt, ...)
{
	va_list	ap;

	if (cause == NULL)
		return -1;
	free(*cause);
	va_start(ap, fmt);
	xvasprintf(cause, fmt, ap);
	va_end(ap);
	return -1;
}

/* Prefix *cause with context; a missing cause becomes the context alone. */
int
error_wrap(char **cause, const char *fmt, ...)
{
	va_list	 ap;
	char	*ctx, *old;

	if (cause == NULL)
		return -1;
	va_start(ap, fmt);
	xvasprintf(&ctx, fmt, ap);
	va_end(ap);
	old = *cause;
	if (old == NULL)
		*cause = ctx;
	else {
		xasprintf(cause, "%s: %s", ctx, old);
		free(ctx);
		free(old);
	}
	return -1;
}
