/* gwapi arena: every block of a parsed object on one list, freed at once. */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/xmalloc.h"

#include "gwapi_int.h"

/* A block header; the union keeps the payload maximally aligned. */
struct gw_block {
	union {
		struct {
			struct gw_block	*prev;
			struct gw_block	*next;
		} l;
		max_align_t	 align;
	} u;
};

struct gw_arena {
	struct gw_block	 head;	/* circular list sentinel */
	cJSON		**json;	/* trees owned (gw_arena_json) */
	size_t		  njson;
};

/* A new empty arena. */
struct gw_arena *
gw_arena_new(void)
{
	struct gw_arena	*a;

	a = xcalloc(1, sizeof *a);
	a->head.u.l.prev = a->head.u.l.next = &a->head;
	return a;
}

/* Release every block and the arena (NULL allowed). */
void
gw_arena_free(struct gw_arena *a)
{
	struct gw_block	*b, *next;
	size_t		 i;

	if (a == NULL)
		return;
	for (i = 0; i < a->njson; i++)
		cJSON_Delete(a->json[i]);
	free(a->json);
	for (b = a->head.u.l.next; b != &a->head; b = next) {
		next = b->u.l.next;
		free(b);
	}
	free(a);
}

/* Link block b at the end of a's list. */
static void
gw_arena_link(struct gw_arena *a, struct gw_block *b)
{
	b->u.l.prev = a->head.u.l.prev;
	b->u.l.next = &a->head;
	a->head.u.l.prev->u.l.next = b;
	a->head.u.l.prev = b;
}

/* A zeroed allocation of size bytes owned by a. */
void *
gw_arena_alloc(struct gw_arena *a, size_t size)
{
	struct gw_block	*b;

	if (size > SIZE_MAX - sizeof *b)
		abort();
	b = xcalloc(1, sizeof *b + size);
	gw_arena_link(a, b);
	return b + 1;
}

/* A zeroed array of n elements of size bytes. */
void *
gw_arena_array(struct gw_arena *a, size_t n, size_t size)
{
	if (size != 0 && n > SIZE_MAX / size)
		abort();
	return gw_arena_alloc(a, n * size);
}

/* Resize an arena allocation (p NULL: allocate); new bytes are zero
 * only when p is NULL. */
void *
gw_arena_realloc(struct gw_arena *a, void *p, size_t size)
{
	struct gw_block	*b, *prev, *next;

	if (p == NULL)
		return gw_arena_alloc(a, size);
	if (size > SIZE_MAX - sizeof *b)
		abort();
	b = (struct gw_block *)p - 1;
	prev = b->u.l.prev;
	next = b->u.l.next;
	b = xrealloc(b, sizeof *b + size);
	prev->u.l.next = b;
	next->u.l.prev = b;
	return b + 1;
}

/* Copy of s (NULL in, NULL out). */
char *
gw_arena_strdup(struct gw_arena *a, const char *s)
{
	if (s == NULL)
		return NULL;
	return gw_arena_strndup(a, s, strlen(s));
}

/* Copy of the first n bytes of s, terminated. */
char *
gw_arena_strndup(struct gw_arena *a, const char *s, size_t n)
{
	char	*d;

	d = gw_arena_alloc(a, n + 1);
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

/* Formatted string owned by a. */
char *
gw_arena_printf(struct gw_arena *a, const char *fmt, ...)
{
	va_list	 ap;
	char	*tmp, *s;

	va_start(ap, fmt);
	xvasprintf(&tmp, fmt, ap);
	va_end(ap);
	s = gw_arena_strdup(a, tmp);
	free(tmp);
	return s;
}

/* A deep copy of j owned by a (deleted with the arena). */
cJSON *
gw_arena_json(struct gw_arena *a, const cJSON *j)
{
	cJSON	*c;

	if ((c = cJSON_Duplicate(j, 1)) == NULL)
		abort();
	a->json = xreallocarray(a->json, a->njson + 1, sizeof *a->json);
	a->json[a->njson++] = c;
	return c;
}
