/* Installer helpers: observations, plans, equivalent commands, step logs
 * and error classification. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define LOG_MODULE "install"
#include "latticectl/error.h"
#include "latticectl/log.h"
#include "latticectl/xmalloc.h"

#include "install_int.h"

/* An empty observation. */
void
iobs_init(struct iobs *o)
{
	memset(o, 0, sizeof *o);
	strbuf_init(&o->exists);
}

/* Release an observation. */
void
iobs_clear(struct iobs *o)
{
	strbuf_free(&o->exists);
	free(o->reason);
	free(o->msg);
	if (o->priv != NULL && o->priv_free != NULL)
		o->priv_free(o->priv);
	memset(o, 0, sizeof *o);
}

/* Append a fact ("; " between facts). */
void
iobs_exists(struct iobs *o, const char *fmt, ...)
{
	va_list	ap;

	if (o->exists.len != 0)
		strbuf_adds(&o->exists, "; ");
	va_start(ap, fmt);
	strbuf_vaddf(&o->exists, fmt, ap);
	va_end(ap);
}

/* Set have, reason and message. */
void
iobs_set(struct iobs *o, enum ihave have, const char *reason,
    const char *fmt, ...)
{
	va_list	ap;

	o->have = have;
	free(o->reason);
	o->reason = xstrdup_or_null(reason);
	free(o->msg);
	va_start(ap, fmt);
	xvasprintf(&o->msg, fmt, ap);
	va_end(ap);
}

/* Add an action (cmd taken). */
void
iplan_add(struct iplan *p, char *cmd, const char *fmt, ...)
{
	struct iaction	*a;
	va_list		 ap;

	p->v = xreallocarray(p->v, p->n + 1, sizeof *p->v);
	a = &p->v[p->n++];
	va_start(ap, fmt);
	xvasprintf(&a->what, fmt, ap);
	va_end(ap);
	a->cmd = cmd;
}

/* Free a plan's actions. */
void
iplan_free(struct iplan *p)
{
	size_t	i;

	for (i = 0; i < p->n; i++) {
		free(p->v[i].what);
		free(p->v[i].cmd);
	}
	free(p->v);
	p->v = NULL;
	p->n = 0;
}

/* Append one word, single-quoted when the shell would split or expand
 * it. */
void
icmd_word(struct strbuf *sb, const char *w)
{
	const char	*p;

	if (*w != '\0' && strspn(w, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:=,@+%") == strlen(w)) {
		strbuf_adds(sb, w);
		return;
	}
	strbuf_addc(sb, '\'');
	for (p = w; *p != '\0'; p++) {
		if (*p == '\'')
			strbuf_adds(sb, "'\\''");
		else
			strbuf_addc(sb, *p);
	}
	strbuf_addc(sb, '\'');
}

/* A command line from words (NULL-terminated). */
char *
icmd(const char *word, ...)
{
	struct strbuf	 sb;
	va_list		 ap;
	const char	*w;

	strbuf_init(&sb);
	va_start(ap, word);
	for (w = word; w != NULL; w = va_arg(ap, const char *)) {
		if (sb.len != 0)
			strbuf_addc(&sb, ' ');
		icmd_word(&sb, w);
	}
	va_end(ap);
	return strbuf_detach(&sb, NULL);
}

/* Add a line to the step's log tail. */
void
irun_log(struct irun *r, const char *fmt, ...)
{
	va_list	 ap;
	char	*line;

	va_start(ap, fmt);
	xvasprintf(&line, fmt, ap);
	va_end(ap);
	log_info("%s: %s", r->ops->id, line);
	pthread_mutex_lock(&r->in->lock);
	free(r->log[r->log_next]);
	r->log[r->log_next] = line;
	r->log_next = (r->log_next + 1) % INST_LOG_LINES;
	if (r->n_log < INST_LOG_LINES)
		r->n_log++;
	pthread_mutex_unlock(&r->in->lock);
}

/* Turn an AWS error into a cause; retry throttling, 5xx, transport. */
int
inst_aws_fail(struct aws_error *e, const char *what, char **cause)
{
	char	*s = aws_error_string(e);
	int	 retry;

	retry = e->throttling || e->retryable || e->status == 0 ||
	    e->status >= 500;
	error_set(cause, "%s: %s", what, s);
	free(s);
	aws_error_clear(e);
	return retry ? INST_RETRY : INST_FATAL;
}

/* Turn a Kubernetes error into a cause; retry 429, 5xx, 409, transport. */
int
inst_kube_fail(struct kube_error *e, const char *what, char **cause)
{
	char	*s = kube_error_string(e);
	int	 retry;

	retry = e->transport || e->status == 0 || e->status == 429 ||
	    e->status == 409 || e->status >= 500;
	error_set(cause, "%s: %s", what, s);
	free(s);
	kube_error_clear(e);
	return retry ? INST_RETRY : INST_FATAL;
}

/* Is the error's code one of the codes given? */
int
inst_aws_is(const struct aws_error *e, ...)
{
	va_list		 ap;
	const char	*c;
	int		 hit = 0;

	if (e->code == NULL)
		return 0;
	va_start(ap, e);
	while ((c = va_arg(ap, const char *)) != NULL)
		if (strcmp(c, e->code) == 0)
			hit = 1;
	va_end(ap);
	return hit;
}

/* Note something an uninstall leaves behind (and why). */
void
irun_left(struct irun *r, const char *fmt, ...)
{
	va_list	 ap;
	char	*s, *both;

	va_start(ap, fmt);
	xvasprintf(&s, fmt, ap);
	va_end(ap);
	pthread_mutex_lock(&r->in->lock);
	if (r->left == NULL)
		r->left = s;
	else {
		xasprintf(&both, "%s\n%s", r->left, s);
		free(r->left);
		free(s);
		r->left = both;
	}
	pthread_mutex_unlock(&r->in->lock);
}
