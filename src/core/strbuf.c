/* strbuf: growable NUL-terminated byte buffer. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/strbuf.h"
#include "latticectl/xmalloc.h"

/* Make sb an empty buffer with storage. */
void
strbuf_init(struct strbuf *sb)
{
	sb->cap = 64;
	sb->len = 0;
	sb->buf = xmalloc(sb->cap);
	sb->buf[0] = '\0';
}

/* Release the storage; sb may be initialised again. */
void
strbuf_free(struct strbuf *sb)
{
	free(sb->buf);
	sb->buf = NULL;
	sb->len = sb->cap = 0;
}

/* Empty the buffer, keeping its storage. */
void
strbuf_reset(struct strbuf *sb)
{
	strbuf_truncate(sb, 0);
}

/* Make room for n more bytes plus the terminator. */
void
strbuf_grow(struct strbuf *sb, size_t n)
{
	size_t	need;

	if (sb->buf == NULL)
		strbuf_init(sb);
	need = sb->len + n + 1;
	if (need <= sb->cap)
		return;
	while (sb->cap < need)
		sb->cap = sb->cap < 64 ? 64 : sb->cap * 2;
	sb->buf = xrealloc(sb->buf, sb->cap);
}

/* Append n bytes. */
void
strbuf_add(struct strbuf *sb, const void *data, size_t n)
{
	strbuf_grow(sb, n);
	if (n != 0)
		memcpy(sb->buf + sb->len, data, n);
	sb->len += n;
	sb->buf[sb->len] = '\0';
}

/* Append a C string. */
void
strbuf_adds(struct strbuf *sb, const char *s)
{
	strbuf_add(sb, s, strlen(s));
}

/* Append one byte. */
void
strbuf_addc(struct strbuf *sb, char c)
{
	strbuf_add(sb, &c, 1);
}

/* Append formatted text. */
void
strbuf_addf(struct strbuf *sb, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	strbuf_vaddf(sb, fmt, ap);
	va_end(ap);
}

/* Append formatted text from a va_list. */
void
strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
{
	va_list	ap2;
	int	n;

	strbuf_grow(sb, 64);
	va_copy(ap2, ap);
	n = vsnprintf(sb->buf + sb->len, sb->cap - sb->len, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return;
	if ((size_t)n >= sb->cap - sb->len) {
		strbuf_grow(sb, (size_t)n);
		vsnprintf(sb->buf + sb->len, sb->cap - sb->len, fmt, ap);
	}
	sb->len += (size_t)n;
}

/* Cut the buffer to len bytes (no-op when already shorter). */
void
strbuf_truncate(struct strbuf *sb, size_t len)
{
	if (sb->buf == NULL)
		strbuf_init(sb);
	if (len < sb->len) {
		sb->len = len;
		sb->buf[len] = '\0';
	}
}

/* Hand the contents to the caller; sb becomes empty. */
char *
strbuf_detach(struct strbuf *sb, size_t *lenp)
{
	char	*p;

	if (sb->buf == NULL)
		strbuf_init(sb);
	p = sb->buf;
	if (lenp != NULL)
		*lenp = sb->len;
	sb->buf = NULL;
	sb->len = sb->cap = 0;
	return p;
}

/* Read-only view of the contents. */
const char *
strbuf_str(const struct strbuf *sb)
{
	return sb->buf == NULL ? "" : sb->buf;
}
