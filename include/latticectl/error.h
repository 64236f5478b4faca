/*
 * Errors: functions return 0 on success and -1 on failure, and on failure
 * set *cause (when cause is not NULL) to a newly allocated message the
 * caller frees. Messages name the file/field/operation that failed.
 */
#ifndef LATTICECTL_ERROR_H
#define LATTICECTL_ERROR_H

/* Set *cause to a formatted message (freeing any previous one); returns -1. */
int	error_set(char **cause, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* Prefix *cause with a formatted context, "context: old"; returns -1. */
int	error_wrap(char **cause, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

#endif
