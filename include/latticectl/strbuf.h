/*
 * strbuf: a growable byte buffer, always NUL-terminated. The strbuf owns
 * buf; strbuf_detach() hands ownership to the caller.
 */
#ifndef LATTICECTL_STRBUF_H
#define LATTICECTL_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

struct strbuf {
	char	*buf;	/* never NULL after strbuf_init */
	size_t	 len;
	size_t	 cap;
};

#define STRBUF_INIT { NULL, 0, 0 }

void	 strbuf_init(struct strbuf *);
void	 strbuf_free(struct strbuf *);
void	 strbuf_reset(struct strbuf *);
void	 strbuf_grow(struct strbuf *, size_t);
void	 strbuf_add(struct strbuf *, const void *, size_t);
void	 strbuf_adds(struct strbuf *, const char *);
void	 strbuf_addc(struct strbuf *, char);
void	 strbuf_addf(struct strbuf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	 strbuf_vaddf(struct strbuf *, const char *, va_list)
	    __attribute__((format(printf, 2, 0)));
void	 strbuf_truncate(struct strbuf *, size_t);
/* Return the buffer (caller frees) and leave sb empty but usable. */
char	*strbuf_detach(struct strbuf *, size_t *);
/* The contents; "" for a buffer never written. */
const char *strbuf_str(const struct strbuf *);

#endif
