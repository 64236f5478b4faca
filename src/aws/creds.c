/* The credential provider chain: order, cache, refresh; shared helpers. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#define LOG_MODULE "aws"
#include "latticectl/error.h"
#include "latticectl/json.h"
#include "latticectl/log.h"
#include "latticectl/timeutil.h"
#include "latticectl/xmalloc.h"

#include "aws_int.h"
#include "creds_int.h"

#define CREDS_REFRESH_WINDOW	300	/* refresh this near expiry */
#define CREDS_GRACE		60	/* failed refresh: keep if valid this long */
#define CREDS_MAX_SECRET_FILE	(64 * 1024)

struct aws_cred_chain {
	struct aws			*aws;
	const struct aws_shared_config	*shared;
	char				*profile;
	int				 profile_explicit;
	int				 profile_flag;	/* --profile */
	int				 no_imds;
	int				 have_static;
	struct aws_creds		 static_creds;
	pthread_mutex_t			 lock;
	int				 have_cache;
	struct aws_creds		 cache;
};

/* Append a note to the list of providers tried. */
void
creds_tried(struct creds_ctx *ctx, const char *fmt, ...)
{
	va_list	ap;

	if (ctx->tried == NULL)
		return;
	if (ctx->tried->len != 0)
		strbuf_adds(ctx->tried, ", ");
	va_start(ap, fmt);
	strbuf_vaddf(ctx->tried, fmt, ap);
	va_end(ap);
}

/* Is the environment variable set to "true" (any case)? */
int
creds_env_true(const char *name)
{
	const char	*v = getenv(name);

	return v != NULL && strcasecmp(v, "true") == 0;
}

/* A default role session name. */
char *
creds_session_name(void)
{
	char	*s;

	xasprintf(&s, "latticectl-%lld", (long long)time(NULL));
	return s;
}

/* Read a small secret file, trimmed of surrounding whitespace. */
char *
creds_read_secret(const char *path, char **cause)
{
	struct strbuf	 sb;
	char		 buf[4096];
	ssize_t		 n;
	size_t		 start, end;
	int		 fd;
	char		*s;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		error_set(cause, "%s: %s", path, strerror(errno));
		return NULL;
	}
	strbuf_init(&sb);
	while ((n = read(fd, buf, sizeof buf)) != 0) {
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 || sb.len + n > CREDS_MAX_SECRET_FILE) {
			error_set(cause, "%s: %s", path, n == -1 ?
			    strerror(errno) : "file too large");
			close(fd);
			explicit_bzero(sb.buf, sb.len);
			strbuf_free(&sb);
			return NULL;
		}
		strbuf_add(&sb, buf, n);
	}
	close(fd);
	explicit_bzero(buf, sizeof buf);
	for (start = 0; start < sb.len &&
	    strchr(" \t\r\n", sb.buf[start]) != NULL; start++)
		/* nothing */;
	for (end = sb.len; end > start &&
	    strchr(" \t\r\n", sb.buf[end - 1]) != NULL; end--)
		/* nothing */;
	s = xstrndup(sb.buf + start, end - start);
	explicit_bzero(sb.buf, sb.len);
	strbuf_free(&sb);
	return s;
}

/* Fill creds from AccessKeyId, SecretAccessKey, token_key, Expiration. */
int
creds_from_json(const cJSON *obj, const char *token_key, const char *what,
    struct aws_creds *out, char **cause)
{
	const char	*ak, *sk, *tok, *exp;
	struct timespec	 ts;

	ak = json_str(obj, "AccessKeyId");
	sk = json_str(obj, "SecretAccessKey");
	tok = token_key != NULL ? json_str(obj, token_key) : NULL;
	exp = json_str(obj, "Expiration");
	if (ak == NULL || *ak == '\0' || sk == NULL || *sk == '\0')
		return error_set(cause, "%s: missing AccessKeyId or "
		    "SecretAccessKey", what);
	if (exp != NULL && time_parse(exp, &ts) != 0)
		return error_set(cause, "%s: bad Expiration \"%s\"", what, exp);
	aws_creds_clear(out);
	out->access_key_id = xstrdup(ak);
	out->secret_access_key = xstrdup(sk);
	out->session_token = tok != NULL && *tok != '\0' ? xstrdup(tok) : NULL;
	out->expiration = exp != NULL ? ts.tv_sec : 0;
	return 0;
}

/* Credentials from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY. */
int
creds_env(struct aws_creds *out, char **cause)
{
	const char	*ak, *sk, *tok;

	ak = getenv("AWS_ACCESS_KEY_ID");
	sk = getenv("AWS_SECRET_ACCESS_KEY");
	tok = getenv("AWS_SESSION_TOKEN");
	if (ak != NULL && *ak == '\0')
		ak = NULL;
	if (sk != NULL && *sk == '\0')
		sk = NULL;
	if (ak == NULL && sk == NULL)
		return CREDS_NONE;
	if (ak == NULL || sk == NULL) {
		error_set(cause, "%s is set but %s is not",
		    ak != NULL ? "AWS_ACCESS_KEY_ID" : "AWS_SECRET_ACCESS_KEY",
		    ak != NULL ? "AWS_SECRET_ACCESS_KEY" : "AWS_ACCESS_KEY_ID");
		return CREDS_ERROR;
	}
	aws_creds_clear(out);
	out->access_key_id = xstrdup(ak);
	out->secret_access_key = xstrdup(sk);
	out->session_token = tok != NULL && *tok != '\0' ? xstrdup(tok) : NULL;
	out->source = xstrdup("env");
	return CREDS_FOUND;
}

/* A new chain for profile; static credentials in cfg bypass it. */
struct aws_cred_chain *
aws_cred_chain_new(struct aws *aws, const struct aws_shared_config *shared,
    const char *profile, const struct aws_config *cfg)
{
	struct aws_cred_chain	*ch;
	const char		*env;

	ch = xcalloc(1, sizeof *ch);
	ch->aws = aws;
	ch->shared = shared;
	ch->profile = xstrdup(profile != NULL ? profile : "default");
	env = getenv("AWS_PROFILE");
	ch->profile_flag = cfg != NULL && cfg->profile != NULL &&
	    *cfg->profile != '\0';
	ch->profile_explicit = ch->profile_flag ||
	    (env != NULL && *env != '\0');
	ch->no_imds = cfg != NULL && cfg->no_imds;
	if (cfg != NULL && cfg->static_creds != NULL) {
		aws_creds_copy(&ch->static_creds, cfg->static_creds);
		free(ch->static_creds.source);
		ch->static_creds.source = xstrdup("static");
		ch->have_static = 1;
	}
	pthread_mutex_init(&ch->lock, NULL);
	return ch;
}

/* Free a chain and its cached credentials. */
void
aws_cred_chain_free(struct aws_cred_chain *ch)
{
	if (ch == NULL)
		return;
	aws_creds_clear(&ch->static_creds);
	aws_creds_clear(&ch->cache);
	pthread_mutex_destroy(&ch->lock);
	free(ch->profile);
	free(ch);
}

/* Walk the providers in order. */
static int
chain_resolve(struct aws_cred_chain *ch, struct aws_creds *out, char **cause)
{
	struct creds_ctx	 ctx;
	struct strbuf		 tried;
	int			 rc;

	if (ch->profile_explicit &&
	    !aws_shared_config_has_profile(ch->shared, ch->profile))
		return error_set(cause, "profile %s not found in the AWS "
		    "config or credentials file", ch->profile);
	strbuf_init(&tried);
	memset(&ctx, 0, sizeof ctx);
	ctx.aws = ch->aws;
	ctx.shared = ch->shared;
	ctx.no_imds = ch->no_imds;
	ctx.tried = &tried;
	/* As botocore: keys in the environment lose to an explicit
	 * --profile (but not to AWS_PROFILE). */
	if (ch->profile_flag) {
		creds_tried(&ctx, "env (skipped for --profile)");
		rc = CREDS_NONE;
	} else if ((rc = creds_env(out, cause)) == CREDS_NONE)
		creds_tried(&ctx, "env");
	if (rc == CREDS_NONE)
		rc = creds_webid_env(&ctx, out, cause);
	if (rc == CREDS_NONE)
		rc = creds_profile(&ctx, ch->profile, out, cause);
	if (rc == CREDS_NONE)
		rc = creds_container(&ctx, out, cause);
	if (rc == CREDS_NONE && (rc = creds_imds(&ctx, out, cause)) ==
	    CREDS_ERROR) {
		creds_tried(&ctx, "imds (%s)", *cause);
		rc = CREDS_NONE;
	}
	if (rc == CREDS_NONE)
		error_set(cause, "no AWS credentials found (tried %s)",
		    tried.buf);
	strbuf_free(&tried);
	return rc == CREDS_FOUND ? 0 : -1;
}

/* Are these credentials due for a refresh? */
static int
chain_stale(const struct aws_creds *c, time_t now, time_t window)
{
	return c->expiration != 0 && c->expiration - now < window;
}

/* Have the logger scrub these secrets from every line (an echo of them
 * in a server's error message, say); values too short to be real
 * secrets would mask ordinary text. */
static void
creds_hide(const struct aws_creds *c)
{
	if (c->secret_access_key != NULL && strlen(c->secret_access_key) >= 8)
		log_add_secret(c->secret_access_key);
	if (c->session_token != NULL && strlen(c->session_token) >= 8)
		log_add_secret(c->session_token);
}

/* Resolve (or return cached) credentials. */
int
aws_cred_chain_get(struct aws_cred_chain *ch, struct aws_creds *out,
    char **cause)
{
	struct aws_creds	 fresh;
	char			*why = NULL;
	time_t			 now;
	int			 rc = 0;

	if (ch->have_static) {
		aws_creds_copy(out, &ch->static_creds);
		creds_hide(out);
		return 0;
	}
	memset(&fresh, 0, sizeof fresh);
	pthread_mutex_lock(&ch->lock);
	now = time(NULL);
	if (!ch->have_cache || chain_stale(&ch->cache, now,
	    CREDS_REFRESH_WINDOW)) {
		if (chain_resolve(ch, &fresh, &why) == 0) {
			aws_creds_clear(&ch->cache);
			ch->cache = fresh;
			ch->have_cache = 1;
			log_debug("credentials from %s", fresh.source);
		} else if (ch->have_cache && !chain_stale(&ch->cache, now,
		    CREDS_GRACE)) {
			log_warn("credential refresh failed, keeping the old "
			    "ones: %s", why);
			aws_creds_clear(&fresh);
		} else {
			aws_creds_clear(&fresh);
			error_set(cause, "%s", why != NULL ? why :
			    "no credentials");
			rc = -1;
		}
	}
	if (rc == 0)
		aws_creds_copy(out, &ch->cache);
	pthread_mutex_unlock(&ch->lock);
	if (rc == 0)
		creds_hide(out);
	free(why);
	return rc;
}
