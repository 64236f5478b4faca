/* The UI's snapshot model: immutable snapshots swapped under a short lock,
 * a wake pipe, and a bounded log ring. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "latticectl/ui.h"
#include "latticectl/xmalloc.h"

/* An empty snapshot (connecting, no rows). */
struct ui_snapshot *
ui_snapshot_new(void)
{
	return xcalloc(1, sizeof(struct ui_snapshot));
}

/* Free one item's strings and children (not the item itself). */
static void
ui_item_clear(struct ui_item *it)
{
	size_t	i;

	free(it->kind);
	free(it->ns);
	free(it->name);
	free(it->message);
	for (i = 0; i < UI_ITEM_MAXCELLS; i++)
		free(it->cells[i]);
	for (i = 0; i < it->nchildren; i++)
		ui_item_clear(&it->children[i]);
	free(it->children);
}

/* Free an array of strings and the array. */
static void
ui_strv_free(char **v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* Free the installer part of a snapshot. */
static void
ui_install_clear(struct ui_install *in)
{
	size_t	i;

	for (i = 0; i < in->nsteps; i++) {
		free(in->steps[i].id);
		free(in->steps[i].title);
		free(in->steps[i].reason);
		free(in->steps[i].message);
		free(in->steps[i].command);
		ui_strv_free(in->steps[i].log, in->steps[i].nlog);
	}
	free(in->steps);
	free(in->summary);
}

/* Free the workloads, details and doctor report of a snapshot. */
static void
ui_snapshot_clear_extra(struct ui_snapshot *s)
{
	size_t	i;

	for (i = 0; i < s->nworkloads; i++) {
		free(s->workloads[i].id);
		free(s->workloads[i].title);
	}
	free(s->workloads);
	for (i = 0; i < s->ndetails; i++) {
		free(s->details[i].key);
		ui_strv_free(s->details[i].lines, s->details[i].nlines);
	}
	free(s->details);
	cJSON_Delete(s->doctor);
}

/* Free a snapshot and everything in it. */
void
ui_snapshot_free(struct ui_snapshot *s)
{
	size_t	i, j;

	if (s == NULL)
		return;
	ui_install_clear(&s->install);
	ui_snapshot_clear_extra(s);
	free(s->readonly_why);
	for (i = 0; i < UI_LIST_COUNT; i++) {
		for (j = 0; j < s->lists[i].nitems; j++)
			ui_item_clear(&s->lists[i].items[j]);
		free(s->lists[i].items);
		for (j = 0; j < UI_ITEM_MAXCELLS; j++)
			free(s->lists[i].columns[j]);
	}
	free(s->context);
	free(s->server);
	free(s->conn_error);
	free(s);
}

/* Append an item to an item array. */
static struct ui_item *
ui_items_append(struct ui_item **items, size_t *n, const char *kind,
    const char *ns, const char *name)
{
	struct ui_item	*it;

	*items = xreallocarray(*items, *n + 1, sizeof **items);
	it = &(*items)[(*n)++];
	memset(it, 0, sizeof *it);
	it->kind = xstrdup(kind != NULL ? kind : "");
	it->ns = xstrdup(ns != NULL ? ns : "");
	it->name = xstrdup(name != NULL ? name : "");
	return it;
}

/* Add a top-level item to a list. */
struct ui_item *
ui_list_add(struct ui_list *l, const char *kind, const char *ns,
    const char *name)
{
	return ui_items_append(&l->items, &l->nitems, kind, ns, name);
}

/* Add a child item (e.g. a Lattice service below a route). The pointer
 * is valid until the next child is added to the same parent. */
struct ui_item *
ui_item_add_child(struct ui_item *parent, const char *kind, const char *ns,
    const char *name)
{
	return ui_items_append(&parent->children, &parent->nchildren, kind,
	    ns, name);
}

/* Set the list's column titles (NULL-terminated, at most the max). */
void
ui_list_set_columns(struct ui_list *l, const char *const *cols)
{
	size_t	i;

	for (i = 0; i < UI_ITEM_MAXCELLS; i++) {
		free(l->columns[i]);
		l->columns[i] = NULL;
	}
	for (i = 0; cols[i] != NULL && i < UI_ITEM_MAXCELLS; i++)
		l->columns[i] = xstrdup(cols[i]);
	l->ncolumns = i;
}

/* Set one cell of an item (copied). */
void
ui_item_set_cell(struct ui_item *it, size_t col, const char *s)
{
	if (col >= UI_ITEM_MAXCELLS)
		return;
	free(it->cells[col]);
	it->cells[col] = xstrdup(s != NULL ? s : "");
}

/* Set up the model: an empty snapshot, the wake pipe, the log ring. */
void
ui_model_init(struct ui_model *m, size_t log_lines)
{
	int	i;

	memset(m, 0, sizeof *m);
	pthread_mutex_init(&m->lock, NULL);
	m->cur = ui_snapshot_new();
	m->cur->refs = 1;
	if (pipe(m->wake) != 0) {
		m->wake[0] = m->wake[1] = -1;
	} else {
		for (i = 0; i < 2; i++) {
			fcntl(m->wake[i], F_SETFL, O_NONBLOCK);
			fcntl(m->wake[i], F_SETFD, FD_CLOEXEC);
		}
	}
	ui_ring_init(&m->log, log_lines);
}

/* Tear the model down (no producer may still run). */
void
ui_model_destroy(struct ui_model *m)
{
	ui_snapshot_free(m->cur);
	if (m->wake[0] >= 0) {
		close(m->wake[0]);
		close(m->wake[1]);
	}
	ui_ring_destroy(&m->log);
	pthread_mutex_destroy(&m->lock);
}

/* Make s current (owned), drop the model's reference on the old one. */
void
ui_model_publish(struct ui_model *m, struct ui_snapshot *s)
{
	struct ui_snapshot	*old;

	pthread_mutex_lock(&m->lock);
	s->version = ++m->version;
	s->refs = 1;
	old = m->cur;
	m->cur = s;
	if (--old->refs > 0)
		old = NULL;
	pthread_mutex_unlock(&m->lock);
	ui_snapshot_free(old);
	ui_model_wake(m);
}

/* Take a reference on the current snapshot. */
struct ui_snapshot *
ui_model_acquire(struct ui_model *m)
{
	struct ui_snapshot	*s;

	pthread_mutex_lock(&m->lock);
	s = m->cur;
	s->refs++;
	pthread_mutex_unlock(&m->lock);
	return s;
}

/* Drop a reference taken with ui_model_acquire. */
void
ui_snapshot_release(struct ui_model *m, struct ui_snapshot *s)
{
	int	last;

	if (s == NULL)
		return;
	pthread_mutex_lock(&m->lock);
	last = --s->refs == 0;
	pthread_mutex_unlock(&m->lock);
	if (last)
		ui_snapshot_free(s);
}

/* Wake the UI thread (a full pipe already means "wake"). */
void
ui_model_wake(struct ui_model *m)
{
	char	c = 1;
	ssize_t	n;

	if (m->wake[1] < 0)
		return;
	do
		n = write(m->wake[1], &c, 1);
	while (n < 0 && errno == EINTR);
}

/* Empty the wake pipe. */
void
ui_model_drain(struct ui_model *m)
{
	char	buf[64];

	if (m->wake[0] < 0)
		return;
	while (read(m->wake[0], buf, sizeof buf) > 0)
		;
}

/* Set up a ring keeping cap lines (at least 1). */
void
ui_ring_init(struct ui_ring *r, size_t cap)
{
	memset(r, 0, sizeof *r);
	pthread_mutex_init(&r->lock, NULL);
	r->cap = cap > 0 ? cap : 1;
	r->lines = xcalloc(r->cap, sizeof *r->lines);
}

/* Free the ring's lines. */
void
ui_ring_destroy(struct ui_ring *r)
{
	size_t	i;

	for (i = 0; i < r->cap; i++)
		free(r->lines[i]);
	free(r->lines);
	pthread_mutex_destroy(&r->lock);
}

/* Append a line, dropping the oldest when full. */
void
ui_ring_push(struct ui_ring *r, const char *line)
{
	size_t	slot;

	pthread_mutex_lock(&r->lock);
	if (r->len == r->cap) {
		slot = r->start;
		r->start = (r->start + 1) % r->cap;
	} else
		slot = (r->start + r->len++) % r->cap;
	free(r->lines[slot]);
	r->lines[slot] = xstrdup(line);
	r->total++;
	pthread_mutex_unlock(&r->lock);
}

/* Copy up to n lines starting at from (0 is the oldest kept). */
size_t
ui_ring_copy(struct ui_ring *r, size_t from, size_t n, char **out)
{
	size_t	i, k = 0;

	pthread_mutex_lock(&r->lock);
	for (i = from; i < r->len && k < n; i++)
		out[k++] = xstrdup(r->lines[(r->start + i) % r->cap]);
	pthread_mutex_unlock(&r->lock);
	return k;
}

/* Lines currently kept. */
size_t
ui_ring_len(struct ui_ring *r)
{
	size_t	n;

	pthread_mutex_lock(&r->lock);
	n = r->len;
	pthread_mutex_unlock(&r->lock);
	return n;
}
