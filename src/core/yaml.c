/* YAML: libyaml events into cJSON trees, and block-style YAML output. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <yaml.h>

#include "latticectl/error.h"
#include "latticectl/strbuf.h"
#include "latticectl/xmalloc.h"
#include "latticectl/yaml.h"

#define YAML_MAX_NODES	1000000		/* after alias expansion */
#define YAML_MAX_DEPTH	256
#define YAML_MAX_FILE	(64 * 1024 * 1024)

#define YAML_TAG_PREFIX	"tag:yaml.org,2002:"

/* An anchored node (it points into a tree kept until the document ends),
 * its size and its height. */
struct yaml_anchor {
	char	*name;
	cJSON	*node;
	size_t	 nodes;
	int	 height;
};

/* One load: the parser, anchors of the current document, counters. */
struct yaml_ctx {
	yaml_parser_t		 parser;
	const char		*file;
	const char		*buf;
	size_t			 len;
	char			**cause;
	struct yaml_anchor	*anchors;
	size_t			 nanchors;
	size_t			 nodes;
	cJSON			*keep;	/* merge sources, key anchors */
};

static cJSON	*yaml_node(struct yaml_ctx *, yaml_event_t *, int, int *);

/* Set an error at a libyaml mark (0-based, printed 1-based). */
static cJSON *
yaml_fail(struct yaml_ctx *ctx, const yaml_mark_t *mark, const char *msg)
{
	error_set(ctx->cause, "%s:%zu:%zu: %s", ctx->file, mark->line + 1,
	    mark->column + 1, msg);
	return NULL;
}

/* Line and column (1-based) of a byte offset into the input. */
static void
yaml_offset_mark(struct yaml_ctx *ctx, size_t off, yaml_mark_t *mark)
{
	size_t	i;

	memset(mark, 0, sizeof *mark);
	for (i = 0; i < off && i < ctx->len; i++) {
		if (ctx->buf[i] == '\n') {
			mark->line++;
			mark->column = 0;
		} else
			mark->column++;
	}
}

/* Turn the parser's error state into *cause. */
static void
yaml_parser_fail(struct yaml_ctx *ctx)
{
	yaml_parser_t	*p = &ctx->parser;
	yaml_mark_t	 mark = p->problem_mark;
	const char	*problem = p->problem != NULL ? p->problem : "error";

	if (p->error == YAML_READER_ERROR)
		yaml_offset_mark(ctx, p->problem_offset, &mark);
	if (p->error == YAML_MEMORY_ERROR)
		problem = "out of memory";
	if (p->context != NULL) {
		error_set(ctx->cause, "%s:%zu:%zu: %s (%s at line %zu column "
		    "%zu)", ctx->file, mark.line + 1, mark.column + 1, problem,
		    p->context, p->context_mark.line + 1,
		    p->context_mark.column + 1);
	} else
		yaml_fail(ctx, &mark, problem);
}

/* Read the next event; -1 with *cause set on a syntax error. */
static int
yaml_next(struct yaml_ctx *ctx, yaml_event_t *ev)
{
	if (!yaml_parser_parse(&ctx->parser, ev)) {
		yaml_parser_fail(ctx);
		return -1;
	}
	return 0;
}

/* Count a new node; fails past the expansion limit. */
static int
yaml_count(struct yaml_ctx *ctx, size_t n, const yaml_mark_t *mark)
{
	if (n > YAML_MAX_NODES || ctx->nodes + n > YAML_MAX_NODES) {
		yaml_fail(ctx, mark, "document too large (more than 1000000 "
		    "nodes after alias expansion)");
		return -1;
	}
	ctx->nodes += n;
	return 0;
}

/* Count the nodes in a tree. */
static size_t
yaml_tree_size(const cJSON *n)
{
	const cJSON	*c;
	size_t		 total = 1;

	for (c = n->child; c != NULL; c = c->next)
		total += yaml_tree_size(c);
	return total;
}

/* Remember an anchored node; nodes are never changed once complete. */
static void
yaml_anchor_add(struct yaml_ctx *ctx, const char *name, cJSON *node,
    size_t nodes, int height)
{
	struct yaml_anchor	*a;

	ctx->anchors = xreallocarray(ctx->anchors, ctx->nanchors + 1,
	    sizeof *ctx->anchors);
	a = &ctx->anchors[ctx->nanchors++];
	a->name = xstrdup(name);
	a->node = node;
	a->nodes = nodes;
	a->height = height;
}

/* The latest anchor called name, or NULL. */
static struct yaml_anchor *
yaml_anchor_find(struct yaml_ctx *ctx, const char *name)
{
	size_t	i;

	for (i = ctx->nanchors; i > 0; i--) {
		if (strcmp(ctx->anchors[i - 1].name, name) == 0)
			return &ctx->anchors[i - 1];
	}
	return NULL;
}

/* Forget all anchors and kept nodes (anchors do not cross documents). */
static void
yaml_anchor_clear(struct yaml_ctx *ctx)
{
	size_t	i;

	for (i = 0; i < ctx->nanchors; i++)
		free(ctx->anchors[i].name);
	free(ctx->anchors);
	ctx->anchors = NULL;
	ctx->nanchors = 0;
	cJSON_Delete(ctx->keep);
	ctx->keep = NULL;
}

/* Keep n alive until the document ends (anchors may point into it). */
static void
yaml_keep(struct yaml_ctx *ctx, cJSON *n)
{
	if (ctx->keep == NULL)
		ctx->keep = cJSON_CreateArray();
	cJSON_AddItemToArray(ctx->keep, n);
}

/* Whether s matches [-+]?[0-9]+ (decimal integer, YAML 1.2 core). */
static int
yaml_is_decimal(const char *s)
{
	if (*s == '-' || *s == '+')
		s++;
	if (*s == '\0')
		return 0;
	return s[strspn(s, "0123456789")] == '\0';
}

/* Whether s is a YAML 1.2 core float (digits with . or exponent). */
static int
yaml_is_float(const char *s)
{
	size_t	n;

	if (*s == '-' || *s == '+')
		s++;
	n = strspn(s, "0123456789");
	s += n;
	if (*s == '.') {
		s++;
		if (n == 0 && (*s < '0' || *s > '9'))
			return 0;
		s += strspn(s, "0123456789");
	} else if (n == 0)
		return 0;
	if (*s == 'e' || *s == 'E') {
		s++;
		if (*s == '-' || *s == '+')
			s++;
		if (*s < '0' || *s > '9')
			return 0;
		s += strspn(s, "0123456789");
	}
	return *s == '\0';
}

/* Resolve .inf/.nan spellings; 0 on a match. */
static int
yaml_special_float(const char *s, double *out)
{
	double	sign = 1;

	if (strcmp(s, ".nan") == 0 || strcmp(s, ".NaN") == 0 ||
	    strcmp(s, ".NAN") == 0) {
		*out = NAN;
		return 0;
	}
	if (*s == '-' || *s == '+') {
		sign = (*s == '-') ? -1 : 1;
		s++;
	}
	if (strcmp(s, ".inf") == 0 || strcmp(s, ".Inf") == 0 ||
	    strcmp(s, ".INF") == 0) {
		*out = sign * INFINITY;
		return 0;
	}
	return -1;
}

/* Parse a YAML 1.2 core int or float; 0 and *out on success. */
static int
yaml_number(const char *s, double *out)
{
	unsigned long long	 v;
	char			*end;
	int			 base = 0;

	if (s[0] == '0' && s[1] == 'x' && s[2] != '\0' &&
	    s[2 + strspn(s + 2, "0123456789abcdefABCDEF")] == '\0')
		base = 16;
	else if (s[0] == '0' && s[1] == 'o' && s[2] != '\0' &&
	    s[2 + strspn(s + 2, "01234567")] == '\0')
		base = 8;
	if (base != 0) {
		errno = 0;
		v = strtoull(s + 2, &end, base);
		if (errno != 0)
			return -1;
		*out = (double)v;
		return 0;
	}
	if (yaml_is_decimal(s) || yaml_is_float(s)) {
		*out = strtod(s, NULL);
		return 0;
	}
	return yaml_special_float(s, out);
}

/* Whether s is a YAML 1.2 core null. */
static int
yaml_is_null(const char *s)
{
	return *s == '\0' || strcmp(s, "~") == 0 || strcmp(s, "null") == 0 ||
	    strcmp(s, "Null") == 0 || strcmp(s, "NULL") == 0;
}

/* A YAML 1.2 core bool: 1 true, 0 false, -1 neither. */
static int
yaml_bool(const char *s)
{
	if (strcmp(s, "true") == 0 || strcmp(s, "True") == 0 ||
	    strcmp(s, "TRUE") == 0)
		return 1;
	if (strcmp(s, "false") == 0 || strcmp(s, "False") == 0 ||
	    strcmp(s, "FALSE") == 0)
		return 0;
	return -1;
}

/* Resolve a plain scalar by the core schema. */
static cJSON *
yaml_resolve_plain(const char *s)
{
	double	d;
	int	b;

	if (yaml_is_null(s))
		return cJSON_CreateNull();
	if ((b = yaml_bool(s)) != -1)
		return cJSON_CreateBool(b);
	if (yaml_number(s, &d) == 0)
		return cJSON_CreateNumber(d);
	return cJSON_CreateString(s);
}

/* Resolve a scalar with an explicit !!type tag. */
static cJSON *
yaml_resolve_tagged(struct yaml_ctx *ctx, const char *type, const char *s,
    const yaml_mark_t *mark)
{
	double	d;
	int	b;

	if (strcmp(type, "null") == 0 && yaml_is_null(s))
		return cJSON_CreateNull();
	if (strcmp(type, "bool") == 0 && (b = yaml_bool(s)) != -1)
		return cJSON_CreateBool(b);
	if ((strcmp(type, "int") == 0 || strcmp(type, "float") == 0) &&
	    yaml_number(s, &d) == 0)
		return cJSON_CreateNumber(d);
	if (strcmp(type, "null") != 0 && strcmp(type, "bool") != 0 &&
	    strcmp(type, "int") != 0 && strcmp(type, "float") != 0)
		return cJSON_CreateString(s);	/* str, binary, others */
	return yaml_fail(ctx, mark, "scalar does not match its !! tag");
}

/* Build a scalar node: plain ones are typed, others are strings. */
static cJSON *
yaml_scalar(struct yaml_ctx *ctx, const yaml_event_t *ev)
{
	const char	*s = (const char *)ev->data.scalar.value;
	const char	*tag = (const char *)ev->data.scalar.tag;
	cJSON		*n;

	if (tag != NULL && strncmp(tag, YAML_TAG_PREFIX,
	    strlen(YAML_TAG_PREFIX)) == 0)
		n = yaml_resolve_tagged(ctx, tag + strlen(YAML_TAG_PREFIX), s,
		    &ev->start_mark);
	else if (tag != NULL ||
	    ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		n = cJSON_CreateString(s);
	else
		n = yaml_resolve_plain(s);
	if (n == NULL && ctx->cause != NULL && *ctx->cause == NULL)
		yaml_fail(ctx, &ev->start_mark, "out of memory");
	return n;
}

/* Expand an alias to a copy of its anchored node. */
static cJSON *
yaml_alias(struct yaml_ctx *ctx, const yaml_event_t *ev, int depth,
    int *height)
{
	struct yaml_anchor	*a;
	cJSON			*n;

	a = yaml_anchor_find(ctx, (const char *)ev->data.alias.anchor);
	if (a == NULL)
		return yaml_fail(ctx, &ev->start_mark, "unknown anchor");
	if (depth + a->height - 1 > YAML_MAX_DEPTH)
		return yaml_fail(ctx, &ev->start_mark, "nesting too deep "
		    "(alias expansion)");
	if (yaml_count(ctx, a->nodes, &ev->start_mark) != 0)
		return NULL;
	if ((n = cJSON_Duplicate(a->node, 1)) == NULL)
		return yaml_fail(ctx, &ev->start_mark, "out of memory");
	*height = a->height;
	return n;
}

/* Build a sequence from the events up to its end. */
static cJSON *
yaml_sequence(struct yaml_ctx *ctx, int depth, int *height)
{
	yaml_event_t	 ev;
	cJSON		*seq, *item;
	int		 h;

	if ((seq = cJSON_CreateArray()) == NULL)
		return NULL;
	*height = 1;
	for (;;) {
		if (yaml_next(ctx, &ev) != 0)
			goto fail;
		if (ev.type == YAML_SEQUENCE_END_EVENT) {
			yaml_event_delete(&ev);
			return seq;
		}
		if ((item = yaml_node(ctx, &ev, depth + 1, &h)) == NULL)
			goto fail;
		cJSON_AddItemToArray(seq, item);
		if (h + 1 > *height)
			*height = h + 1;
	}
fail:
	cJSON_Delete(seq);
	return NULL;
}

/* Text of a scalar node used as a mapping key (alias targets). */
static char *
yaml_key_text(const cJSON *n)
{
	char	buf[64];

	if (cJSON_IsString(n))
		return xstrdup(n->valuestring);
	if (cJSON_IsNumber(n)) {
		snprintf(buf, sizeof buf, "%.17g", n->valuedouble);
		return xstrdup(buf);
	}
	if (cJSON_IsBool(n))
		return xstrdup(cJSON_IsTrue(n) ? "true" : "false");
	if (cJSON_IsNull(n))
		return xstrdup("null");
	return NULL;
}

/* Read a mapping key: a scalar's text, or an alias to a scalar. Sets
 * *merge for a plain "<<". Returns NULL at the mapping's end (*end = 1)
 * or on error. */
static char *
yaml_key(struct yaml_ctx *ctx, int *end, int *merge, yaml_mark_t *mark)
{
	yaml_event_t		 ev;
	struct yaml_anchor	*a;
	char			*key = NULL;

	*end = *merge = 0;
	if (yaml_next(ctx, &ev) != 0)
		return NULL;
	*mark = ev.start_mark;
	if (ev.type == YAML_MAPPING_END_EVENT)
		*end = 1;
	else if (ev.type == YAML_SCALAR_EVENT) {
		key = xstrdup((const char *)ev.data.scalar.value);
		*merge = ev.data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
		    strcmp(key, "<<") == 0;
		if (ev.data.scalar.anchor != NULL) {
			cJSON	*s = cJSON_CreateString(key);

			yaml_keep(ctx, s);
			yaml_anchor_add(ctx,
			    (const char *)ev.data.scalar.anchor, s, 1, 1);
		}
	} else if (ev.type == YAML_ALIAS_EVENT) {
		a = yaml_anchor_find(ctx, (const char *)ev.data.alias.anchor);
		if (a == NULL)
			yaml_fail(ctx, &ev.start_mark, "unknown anchor");
		else if ((key = yaml_key_text(a->node)) == NULL)
			yaml_fail(ctx, &ev.start_mark, "mapping key must be a "
			    "scalar");
	} else
		yaml_fail(ctx, &ev.start_mark, "mapping key must be a scalar");
	if (key != NULL && yaml_count(ctx, 1, &ev.start_mark) != 0)
		xfree_ptr(&key);
	yaml_event_delete(&ev);
	return key;
}

/* Merge copies of one "<<" source mapping into map: existing keys win. */
static int
yaml_merge_one(struct yaml_ctx *ctx, cJSON *map, const cJSON *src,
    const yaml_mark_t *mark)
{
	const cJSON	*c;
	cJSON		*dup;

	if (!cJSON_IsObject(src)) {
		yaml_fail(ctx, mark, "merge key value must be a mapping or a "
		    "list of mappings");
		return -1;
	}
	cJSON_ArrayForEach(c, src) {
		if (cJSON_GetObjectItemCaseSensitive(map, c->string) != NULL)
			continue;
		if (yaml_count(ctx, yaml_tree_size(c), mark) != 0)
			return -1;
		if ((dup = cJSON_Duplicate(c, 1)) == NULL) {
			yaml_fail(ctx, mark, "out of memory");
			return -1;
		}
		cJSON_AddItemToObject(map, c->string, dup);
	}
	return 0;
}

/* Apply the collected "<<" values (mappings or lists of mappings). */
static int
yaml_merge(struct yaml_ctx *ctx, cJSON *map, cJSON *merges,
    const yaml_mark_t *mark)
{
	cJSON	*m, *e;

	cJSON_ArrayForEach(m, merges) {
		if (!cJSON_IsArray(m)) {
			if (yaml_merge_one(ctx, map, m, mark) != 0)
				return -1;
			continue;
		}
		cJSON_ArrayForEach(e, m) {
			if (yaml_merge_one(ctx, map, e, mark) != 0)
				return -1;
		}
	}
	return 0;
}

/* Build a mapping from the events up to its end. */
static cJSON *
yaml_mapping(struct yaml_ctx *ctx, int depth, int *height,
    const yaml_mark_t *start)
{
	yaml_event_t	 ev;
	yaml_mark_t	 kmark;
	cJSON		*map, *merges, *val;
	char		*key;
	int		 end, merge, h;

	map = cJSON_CreateObject();
	merges = cJSON_CreateArray();
	*height = 1;
	for (;;) {
		key = yaml_key(ctx, &end, &merge, &kmark);
		if (end)
			break;
		if (key == NULL || yaml_next(ctx, &ev) != 0)
			goto fail;
		if ((val = yaml_node(ctx, &ev, depth + 1, &h)) == NULL)
			goto fail;
		if (h + 1 > *height)
			*height = h + 1;
		if (merge)
			cJSON_AddItemToArray(merges, val);
		else if (cJSON_GetObjectItemCaseSensitive(map, key) != NULL) {
			cJSON_Delete(val);
			yaml_fail(ctx, &kmark, "duplicate mapping key");
			goto fail;
		} else
			cJSON_AddItemToObject(map, key, val);
		free(key);
	}
	if (yaml_merge(ctx, map, merges, start) != 0)
		goto fail;
	yaml_keep(ctx, merges);		/* anchors may point into it */
	return map;
fail:
	free(key);
	cJSON_Delete(merges);
	cJSON_Delete(map);
	return NULL;
}

/* Build the node that ev starts (ev is consumed). */
static cJSON *
yaml_node(struct yaml_ctx *ctx, yaml_event_t *ev, int depth, int *height)
{
	cJSON		*n = NULL;
	char		*anchor = NULL;
	yaml_mark_t	 mark = ev->start_mark;
	size_t		 before = ctx->nodes;

	*height = 1;
	if (depth > YAML_MAX_DEPTH) {
		yaml_event_delete(ev);
		return yaml_fail(ctx, &mark, "nesting too deep");
	}
	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		anchor = xstrdup_or_null((char *)ev->data.scalar.anchor);
		if (yaml_count(ctx, 1, &mark) == 0)
			n = yaml_scalar(ctx, ev);
		yaml_event_delete(ev);
		break;
	case YAML_ALIAS_EVENT:
		n = yaml_alias(ctx, ev, depth, height);
		yaml_event_delete(ev);
		return n;
	case YAML_SEQUENCE_START_EVENT:
		anchor = xstrdup_or_null(
		    (char *)ev->data.sequence_start.anchor);
		yaml_event_delete(ev);
		if (yaml_count(ctx, 1, &mark) == 0)
			n = yaml_sequence(ctx, depth, height);
		break;
	case YAML_MAPPING_START_EVENT:
		anchor = xstrdup_or_null(
		    (char *)ev->data.mapping_start.anchor);
		yaml_event_delete(ev);
		if (yaml_count(ctx, 1, &mark) == 0)
			n = yaml_mapping(ctx, depth, height, &mark);
		break;
	default:
		yaml_event_delete(ev);
		return yaml_fail(ctx, &mark, "unexpected event");
	}
	if (n != NULL && anchor != NULL)
		yaml_anchor_add(ctx, anchor, n, ctx->nodes - before, *height);
	free(anchor);
	return n;
}

/* Parse one document after its start event; *root NULL when empty. */
static int
yaml_document(struct yaml_ctx *ctx, cJSON **root)
{
	yaml_event_t	ev;
	int		h;

	*root = NULL;
	if (yaml_next(ctx, &ev) != 0)
		return -1;
	if ((*root = yaml_node(ctx, &ev, 1, &h)) == NULL)
		return -1;
	if (yaml_next(ctx, &ev) != 0)
		return -1;
	if (ev.type != YAML_DOCUMENT_END_EVENT) {
		yaml_fail(ctx, &ev.start_mark, "expected document end");
		yaml_event_delete(&ev);
		return -1;
	}
	yaml_event_delete(&ev);
	yaml_anchor_clear(ctx);
	ctx->nodes = 0;
	return 0;
}

/* Parse the events of a whole stream into docs. */
static int
yaml_stream(struct yaml_ctx *ctx, cJSON *docs)
{
	yaml_event_t	 ev;
	cJSON		*root;

	for (;;) {
		if (yaml_next(ctx, &ev) != 0)
			return -1;
		switch (ev.type) {
		case YAML_STREAM_START_EVENT:
			break;
		case YAML_STREAM_END_EVENT:
			yaml_event_delete(&ev);
			return 0;
		case YAML_DOCUMENT_START_EVENT:
			if (yaml_document(ctx, &root) != 0) {
				cJSON_Delete(root);
				yaml_event_delete(&ev);
				return -1;
			}
			if (cJSON_IsNull(root))
				cJSON_Delete(root);	/* empty document */
			else
				cJSON_AddItemToArray(docs, root);
			break;
		default:
			yaml_fail(ctx, &ev.start_mark, "unexpected event");
			yaml_event_delete(&ev);
			return -1;
		}
		yaml_event_delete(&ev);
	}
}

/* Parse a YAML stream into an array of documents. */
int
yaml_load(const char *buf, size_t len, const char *filename, cJSON **docs,
    char **cause)
{
	struct yaml_ctx	 ctx;
	cJSON		*out;
	int		 rc;

	*docs = NULL;
	memset(&ctx, 0, sizeof ctx);
	ctx.file = filename != NULL ? filename : "<input>";
	ctx.buf = buf;
	ctx.len = len;
	ctx.cause = cause;
	if (!yaml_parser_initialize(&ctx.parser))
		return error_set(cause, "%s: yaml parser: out of memory",
		    ctx.file);
	yaml_parser_set_input_string(&ctx.parser,
	    (const unsigned char *)(buf != NULL ? buf : ""), len);
	out = cJSON_CreateArray();
	rc = yaml_stream(&ctx, out);
	yaml_anchor_clear(&ctx);
	yaml_parser_delete(&ctx.parser);
	if (rc != 0) {
		if (cause != NULL && *cause == NULL)
			error_set(cause, "%s: invalid YAML", ctx.file);
		cJSON_Delete(out);
		return -1;
	}
	*docs = out;
	return 0;
}

/* Read a file and parse it as a YAML stream. */
int
yaml_load_file(const char *path, cJSON **docs, char **cause)
{
	FILE		*f;
	struct strbuf	 sb;
	char		 chunk[65536];
	size_t		 n;
	int		 rc;

	*docs = NULL;
	if ((f = fopen(path, "rb")) == NULL)
		return error_set(cause, "%s: %s", path, strerror(errno));
	strbuf_init(&sb);
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
		strbuf_add(&sb, chunk, n);
		if (sb.len > YAML_MAX_FILE) {
			fclose(f);
			strbuf_free(&sb);
			return error_set(cause, "%s: file too large", path);
		}
	}
	if (ferror(f)) {
		rc = error_set(cause, "%s: read error", path);
		fclose(f);
		strbuf_free(&sb);
		return rc;
	}
	fclose(f);
	rc = yaml_load(sb.buf, sb.len, path, docs, cause);
	strbuf_free(&sb);
	return rc;
}

/* Decode one UTF-8 sequence at s; returns its length (0 when invalid). */
static size_t
yaml_utf8(const unsigned char *s, unsigned *cp)
{
	size_t		n, i;
	unsigned	v;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2;
		v = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		v = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		v = s[0] & 0x07;
	} else
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		v = (v << 6) | (s[i] & 0x3f);
	}
	if ((n == 3 && v < 0x800) || (n == 4 && (v < 0x10000 ||
	    v > 0x10ffff)) || (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*cp = v;
	return n;
}

/* Whether cp may appear unescaped in any scalar style. */
static int
yaml_printable(unsigned cp)
{
	if (cp >= 0x20 && cp <= 0x7e)
		return 1;
	if (cp < 0xa0 || cp == 0xfeff || cp == 0x2028 || cp == 0x2029)
		return 0;
	return cp < 0xd800 || (cp >= 0xe000 && cp <= 0xfffd) ||
	    cp >= 0x10000;
}

/* Whether s holds only printable text (plus \n when lines is set). */
static int
yaml_all_printable(const char *s, int lines)
{
	const unsigned char	*p = (const unsigned char *)s;
	unsigned		 cp;
	size_t			 n;

	while (*p != '\0') {
		if ((n = yaml_utf8(p, &cp)) == 0)
			return 0;
		if (!yaml_printable(cp) && !(lines && cp == '\n'))
			return 0;
		p += n;
	}
	return 1;
}

/* Whether a plain scalar s would load as something other than a string
 * here or in YAML 1.1 readers (yes/no/on/off, 0755, 1_000). */
static int
yaml_looks_typed(const char *s)
{
	static const char *const words[] = {
		"y", "n", "yes", "no", "on", "off", "true", "false", "null"
	};
	size_t	i;
	double	d;

	if (yaml_is_null(s) || yaml_bool(s) != -1 || yaml_number(s, &d) == 0)
		return 1;
	for (i = 0; i < sizeof words / sizeof words[0]; i++) {
		if (strcasecmp(s, words[i]) == 0)
			return 1;
	}
	if ((s[0] >= '0' && s[0] <= '9') || ((s[0] == '-' || s[0] == '+' ||
	    s[0] == '.') && ((s[1] >= '0' && s[1] <= '9') || s[1] == '.')))
		return 1;
	return strcasecmp(s, ".inf") == 0 || strcasecmp(s, "-.inf") == 0 ||
	    strcasecmp(s, "+.inf") == 0 || strcasecmp(s, ".nan") == 0;
}

/* Whether s can be written as a plain scalar. */
static int
yaml_plain_ok(const char *s)
{
	size_t	len = strlen(s);

	if (len == 0 || yaml_looks_typed(s) || !yaml_all_printable(s, 0))
		return 0;
	if (strchr("-?:,[]{}#&*!|>'\"%@` \t", s[0]) != NULL ||
	    s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == ':')
		return 0;
	if (strcmp(s, "<<") == 0 || strcmp(s, "=") == 0 ||
	    strncmp(s, "...", 3) == 0)
		return 0;
	if (strstr(s, ": ") != NULL || strstr(s, ":\t") != NULL ||
	    strstr(s, " #") != NULL || strstr(s, "\t#") != NULL)
		return 0;
	/* Quotes are fine inside a plain scalar; flow and node indicators
	 * are quoted anywhere to stay safe in any context. */
	return strpbrk(s, "{}[],&*!|>%@`#") == NULL;
}

/* Whether s can be a | block: printable lines, at least one non-empty,
 * the first non-empty one not starting with a blank, no blank-only lines. */
static int
yaml_literal_ok(const char *s)
{
	const char	*line = s, *nl;
	size_t		 n;
	int		 seen = 0;

	if (strchr(s, '\n') == NULL || !yaml_all_printable(s, 1))
		return 0;
	for (;;) {
		if ((nl = strchr(line, '\n')) == NULL)
			nl = line + strlen(line);
		n = (size_t)(nl - line);
		if (n > 0 && strspn(line, " ") >= n)
			return 0;
		if (n > 0 && !seen) {
			if (line[0] == ' ')
				return 0;
			seen = 1;
		}
		if (*nl == '\0')
			break;
		line = nl + 1;
	}
	return seen;
}

/* Append n spaces. */
static void
yaml_indent(struct strbuf *sb, int n)
{
	while (n-- > 0)
		strbuf_addc(sb, ' ');
}

/* Append s single-quoted (printable, one line). */
static void
yaml_single_quoted(struct strbuf *sb, const char *s)
{
	strbuf_addc(sb, '\'');
	for (; *s != '\0'; s++) {
		if (*s == '\'')
			strbuf_addc(sb, '\'');
		strbuf_addc(sb, *s);
	}
	strbuf_addc(sb, '\'');
}

/* Append s double-quoted with escapes for anything not printable. */
static void
yaml_double_quoted(struct strbuf *sb, const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;
	unsigned		 cp;
	size_t			 n;

	strbuf_addc(sb, '"');
	while (*p != '\0') {
		if ((n = yaml_utf8(p, &cp)) == 0) {
			strbuf_addf(sb, "\\x%02x", *p++);
			continue;
		}
		if (cp == '"' || cp == '\\')
			strbuf_addf(sb, "\\%c", (char)cp);
		else if (cp == '\n')
			strbuf_adds(sb, "\\n");
		else if (cp == '\t')
			strbuf_adds(sb, "\\t");
		else if (cp == '\r')
			strbuf_adds(sb, "\\r");
		else if (yaml_printable(cp))
			strbuf_add(sb, p, n);
		else if (cp <= 0xff)
			strbuf_addf(sb, "\\x%02x", cp);
		else
			strbuf_addf(sb, "\\u%04x", cp);
		p += n;
	}
	strbuf_addc(sb, '"');
}

/* Append s as a | block scalar whose lines sit at indent. */
static void
yaml_literal(struct strbuf *sb, const char *s, int indent)
{
	size_t		 len = strlen(s), trail = 0;
	const char	*line, *end, *nl, *stop;

	while (trail < len && s[len - 1 - trail] == '\n')
		trail++;
	strbuf_adds(sb, trail == 0 ? "|-" : trail == 1 ? "|" : "|+");
	strbuf_addc(sb, '\n');
	end = s + len - (trail > 0 ? 1 : 0);
	for (line = s;; line = nl + 1) {
		nl = memchr(line, '\n', (size_t)(end - line));
		stop = nl != NULL ? nl : end;
		if (stop > line) {
			yaml_indent(sb, indent);
			strbuf_add(sb, line, (size_t)(stop - line));
		}
		strbuf_addc(sb, '\n');
		if (nl == NULL)
			break;
	}
}

/* Append a string scalar in the simplest style that loads back as it. */
static void
yaml_string(struct strbuf *sb, const char *s, int indent, int allow_block)
{
	if (yaml_plain_ok(s))
		strbuf_adds(sb, s);
	else if (allow_block && yaml_literal_ok(s))
		yaml_literal(sb, s, indent);
	else if (strchr(s, '\n') == NULL && yaml_all_printable(s, 0))
		yaml_single_quoted(sb, s);
	else
		yaml_double_quoted(sb, s);
}

/* Append a number that reads back as the same double. */
static void
yaml_number_out(struct strbuf *sb, double d)
{
	char	buf[64];
	int	prec;

	if (isnan(d)) {
		strbuf_adds(sb, ".nan");
		return;
	}
	if (isinf(d)) {
		strbuf_adds(sb, d < 0 ? "-.inf" : ".inf");
		return;
	}
	if (d == floor(d) && fabs(d) < 1e18) {
		strbuf_addf(sb, "%.0f", d);
		return;
	}
	for (prec = 15; prec <= 17; prec++) {
		snprintf(buf, sizeof buf, "%.*g", prec, d);
		if (strtod(buf, NULL) == d)
			break;
	}
	strbuf_adds(sb, buf);
}

static void	yaml_dump_value(struct strbuf *, const cJSON *, int, int);
static void	yaml_dump_map(struct strbuf *, const cJSON *, int, int);

/* Whether n is written on its own lines (a non-empty collection). */
static int
yaml_is_block(const cJSON *n)
{
	return (cJSON_IsObject(n) || cJSON_IsArray(n)) && n->child != NULL;
}

/* Append a scalar (or an empty collection); block strings at indent. */
static void
yaml_scalar_out(struct strbuf *sb, const cJSON *n, int indent)
{
	if (cJSON_IsObject(n))
		strbuf_adds(sb, "{}");
	else if (cJSON_IsArray(n))
		strbuf_adds(sb, "[]");
	else if (cJSON_IsString(n) || cJSON_IsRaw(n))
		yaml_string(sb, n->valuestring != NULL ? n->valuestring : "",
		    indent, 1);
	else if (cJSON_IsNumber(n))
		yaml_number_out(sb, n->valuedouble);
	else if (cJSON_IsTrue(n))
		strbuf_adds(sb, "true");
	else if (cJSON_IsFalse(n))
		strbuf_adds(sb, "false");
	else
		strbuf_adds(sb, "null");
}

/* Append the value after "key:" for a mapping entry at indent; seq_indent
 * is where a block sequence value starts. */
static void
yaml_dump_entry_value(struct strbuf *sb, const cJSON *c, int indent,
    int seq_indent)
{
	if (cJSON_IsObject(c) && c->child != NULL) {
		strbuf_addc(sb, '\n');
		yaml_dump_map(sb, c, indent + 2, 0);
	} else if (cJSON_IsArray(c) && c->child != NULL) {
		strbuf_addc(sb, '\n');
		yaml_dump_value(sb, c, seq_indent, 0);
	} else {
		strbuf_addc(sb, ' ');
		yaml_dump_value(sb, c, indent + 2, 1);
	}
}

/* Append a mapping at indent; the first key goes on the current line
 * when inline_first (after "- "). Keys too long for a simple key use the
 * explicit "? key" form. */
static void
yaml_dump_map(struct strbuf *sb, const cJSON *map, int indent,
    int inline_first)
{
	const cJSON	*c;
	struct strbuf	 key;

	strbuf_init(&key);
	cJSON_ArrayForEach(c, map) {
		if (c != map->child || !inline_first)
			yaml_indent(sb, indent);
		strbuf_reset(&key);
		yaml_string(&key, c->string != NULL ? c->string : "", 0, 0);
		if (key.len <= 1000) {
			strbuf_add(sb, key.buf, key.len);
			strbuf_addc(sb, ':');
			yaml_dump_entry_value(sb, c, indent, indent);
			continue;
		}
		strbuf_adds(sb, "? ");
		strbuf_add(sb, key.buf, key.len);
		strbuf_addc(sb, '\n');
		yaml_indent(sb, indent);
		strbuf_addc(sb, ':');
		yaml_dump_entry_value(sb, c, indent, indent + 2);
	}
	strbuf_free(&key);
}

/* Append a sequence at indent, "- item" per line. */
static void
yaml_dump_seq(struct strbuf *sb, const cJSON *seq, int indent,
    int inline_first)
{
	const cJSON	*c;

	cJSON_ArrayForEach(c, seq) {
		if (c != seq->child || !inline_first)
			yaml_indent(sb, indent);
		strbuf_adds(sb, "- ");
		yaml_dump_value(sb, c, indent + 2, 1);
	}
}

/* Append any node at indent (first line inline when inline_first). */
static void
yaml_dump_value(struct strbuf *sb, const cJSON *n, int indent,
    int inline_first)
{
	if (cJSON_IsObject(n) && n->child != NULL)
		yaml_dump_map(sb, n, indent, inline_first);
	else if (cJSON_IsArray(n) && n->child != NULL)
		yaml_dump_seq(sb, n, indent, inline_first);
	else {
		if (!inline_first)
			yaml_indent(sb, indent);
		yaml_scalar_out(sb, n, indent);
		if (sb->len == 0 || sb->buf[sb->len - 1] != '\n')
			strbuf_addc(sb, '\n');
	}
}

/* Render a tree as block YAML, kubectl style. */
char *
yaml_dump(const cJSON *root)
{
	struct strbuf	sb;

	strbuf_init(&sb);
	if (root == NULL)
		strbuf_adds(&sb, "null\n");
	else if (yaml_is_block(root))
		yaml_dump_value(&sb, root, 0, 0);
	else {
		yaml_scalar_out(&sb, root, 2);
		if (sb.buf[sb.len - 1] != '\n')
			strbuf_addc(&sb, '\n');
	}
	return strbuf_detach(&sb, NULL);
}

/* Render each document of an array, separated by "---" lines. */
char *
yaml_dump_stream(const cJSON *docs)
{
	struct strbuf	 sb;
	const cJSON	*d;
	char		*one;

	strbuf_init(&sb);
	cJSON_ArrayForEach(d, docs) {
		if (d != docs->child)
			strbuf_adds(&sb, "---\n");
		one = yaml_dump(d);
		strbuf_adds(&sb, one);
		free(one);
	}
	return strbuf_detach(&sb, NULL);
}
