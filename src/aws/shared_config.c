/* Shared AWS config and credentials files (the botocore INI dialect). */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "latticectl/creds.h"
#include "latticectl/error.h"
#include "latticectl/strbuf.h"
#include "latticectl/xmalloc.h"

#define SC_MAX_FILE	(16 * 1024 * 1024)

enum sc_kind {
	SC_PROFILE,
	SC_SERVICES,
	SC_SSO_SESSION,
	SC_OTHER
};

struct sc_entry {
	char	*key;
	char	*value;
};

struct sc_section {
	enum sc_kind	 kind;
	int		 from_credentials;
	char		*name;
	struct sc_entry	*v;
	size_t		 n;
	size_t		 cap;
};

struct aws_shared_config {
	struct sc_section	*v;
	size_t			 n;
	size_t			 cap;
};

/* Parser state for one file. */
struct sc_parser {
	struct aws_shared_config	*cfg;
	const char			*filename;
	int				 is_credentials;
	unsigned			 line;
	long				 sec;	/* -1 before any */
	long				 key;	/* entry, -1 none */
	size_t				 key_indent;
	int				 key_nested; /* "key =" alone */
};

/* A new, empty configuration. */
struct aws_shared_config *
aws_shared_config_new(void)
{
	return xcalloc(1, sizeof(struct aws_shared_config));
}

/* Free a configuration and every string in it. */
void
aws_shared_config_free(struct aws_shared_config *cfg)
{
	size_t	i, j;

	if (cfg == NULL)
		return;
	for (i = 0; i < cfg->n; i++) {
		for (j = 0; j < cfg->v[i].n; j++) {
			free(cfg->v[i].v[j].key);
			free(cfg->v[i].v[j].value);
		}
		free(cfg->v[i].v);
		free(cfg->v[i].name);
	}
	free(cfg->v);
	free(cfg);
}

/* Is c blank (space or tab)? */
static int
sc_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Copy [s, s+len) without leading and trailing blanks. */
static char *
sc_trimdup(const char *s, size_t len)
{
	while (len > 0 && (sc_blank(*s) || *s == '\r')) {
		s++;
		len--;
	}
	while (len > 0 && (sc_blank(s[len - 1]) || s[len - 1] == '\r'))
		len--;
	return xstrndup(s, len);
}

/* Lower-case an ASCII string in place. */
static void
sc_lower(char *s)
{
	for (; *s != '\0'; s++)
		*s = tolower((unsigned char)*s);
}

/* Append a section and return its index. */
static long
sc_add_section(struct aws_shared_config *cfg, enum sc_kind kind,
    const char *name, int from_credentials)
{
	struct sc_section	*sec;

	if (cfg->n == cfg->cap) {
		cfg->cap = cfg->cap == 0 ? 8 : cfg->cap * 2;
		cfg->v = xreallocarray(cfg->v, cfg->cap, sizeof *cfg->v);
	}
	sec = &cfg->v[cfg->n];
	memset(sec, 0, sizeof *sec);
	sec->kind = kind;
	sec->name = xstrdup(name);
	sec->from_credentials = from_credentials;
	return (long)cfg->n++;
}

/* Set key in a section (a repeated key replaces the value); entry index. */
static long
sc_set(struct sc_section *sec, const char *key, const char *value)
{
	size_t	i;

	for (i = 0; i < sec->n; i++) {
		if (strcmp(sec->v[i].key, key) == 0) {
			free(sec->v[i].value);
			sec->v[i].value = xstrdup(value);
			return (long)i;
		}
	}
	if (sec->n == sec->cap) {
		sec->cap = sec->cap == 0 ? 8 : sec->cap * 2;
		sec->v = xreallocarray(sec->v, sec->cap, sizeof *sec->v);
	}
	sec->v[sec->n].key = xstrdup(key);
	sec->v[sec->n].value = xstrdup(value);
	return (long)sec->n++;
}

/* A section's value for key (stored keys are lower-case), or NULL. */
static const char *
sc_section_value(const struct sc_section *sec, const char *key)
{
	size_t	i;

	for (i = 0; i < sec->n; i++) {
		if (strcasecmp(sec->v[i].key, key) == 0)
			return sec->v[i].value;
	}
	return NULL;
}

/*
 * Split "<type> <name>" (name optionally quoted) from a config-file
 * header; *name is caller-freed. 0 when the header has that form.
 */
static int
sc_split_header(const char *header, const char *type, char **name)
{
	size_t	 tlen = strlen(type), len;
	const char *p;

	if (strncmp(header, type, tlen) != 0 || !sc_blank(header[tlen]))
		return -1;
	p = header + tlen;
	while (sc_blank(*p))
		p++;
	len = strlen(p);
	if (len >= 2 && (p[0] == '"' || p[0] == '\'') && p[len - 1] == p[0]) {
		p++;
		len -= 2;
	} else if (strpbrk(p, " \t") != NULL)
		return -1;
	if (len == 0)
		return -1;
	*name = xstrndup(p, len);
	return 0;
}

/* Classify a config-file section header and add the section. */
static long
sc_config_section(struct aws_shared_config *cfg, const char *header)
{
	static const struct {
		const char	*type;
		enum sc_kind	 kind;
	} types[] = {
		{ "profile", SC_PROFILE },
		{ "services", SC_SERVICES },
		{ "sso-session", SC_SSO_SESSION },
	};
	char	*name;
	long	 idx;
	size_t	 i;

	if (strcmp(header, "default") == 0)
		return sc_add_section(cfg, SC_PROFILE, "default", 0);
	for (i = 0; i < sizeof types / sizeof types[0]; i++) {
		if (sc_split_header(header, types[i].type, &name) != 0)
			continue;
		idx = sc_add_section(cfg, types[i].kind, name, 0);
		free(name);
		return idx;
	}
	return sc_add_section(cfg, SC_OTHER, header, 0);
}

/* Handle a "[...]" line. */
static int
sc_parse_header(struct sc_parser *p, const char *s, size_t len, char **cause)
{
	const char	*end;
	char		*header;
	size_t		 i;

	end = NULL;
	for (i = len; i > 1; i--) {
		if (s[i - 1] == ']') {
			end = s + i - 1;
			break;
		}
	}
	if (end == NULL)
		return error_set(cause, "%s:%u: unterminated section header",
		    p->filename, p->line);
	for (i = end - s + 1; i < len && sc_blank(s[i]); i++)
		/* nothing */;
	if (i < len && s[i] != '#' && s[i] != ';')
		return error_set(cause, "%s:%u: text after section header",
		    p->filename, p->line);
	header = sc_trimdup(s + 1, end - s - 1);
	if (*header == '\0') {
		free(header);
		return error_set(cause, "%s:%u: empty section name",
		    p->filename, p->line);
	}
	if (p->is_credentials)
		p->sec = sc_add_section(p->cfg, SC_PROFILE, header, 1);
	else
		p->sec = sc_config_section(p->cfg, header);
	free(header);
	p->key = -1;
	return 0;
}

/* Handle an indented line under the previous key. */
static int
sc_parse_continuation(struct sc_parser *p, const char *s, size_t len,
    char **cause)
{
	struct sc_section	*sec = &p->cfg->v[p->sec];
	struct sc_entry		*e = &sec->v[p->key];
	const char		*eq;
	char			*sub, *val, *full;

	if (!p->key_nested) {
		xasprintf(&full, "%s\n%.*s", e->value, (int)len, s);
		free(e->value);
		e->value = full;
		return 0;
	}
	eq = memchr(s, '=', len);
	if (eq == NULL)
		return error_set(cause, "%s:%u: expected 'key = value' in "
		    "nested section", p->filename, p->line);
	sub = sc_trimdup(s, eq - s);
	if (*sub == '\0') {
		free(sub);
		return error_set(cause, "%s:%u: empty key", p->filename,
		    p->line);
	}
	sc_lower(sub);
	val = sc_trimdup(eq + 1, len - (eq + 1 - s));
	xasprintf(&full, "%s.%s", e->key, sub);
	sc_set(sec, full, val);
	free(full);
	free(sub);
	free(val);
	return 0;
}

/* Handle a "key = value" line. */
static int
sc_parse_option(struct sc_parser *p, const char *s, size_t len,
    size_t indent, char **cause)
{
	const char	*eq;
	char		*key, *val;

	if (p->sec < 0)
		return error_set(cause, "%s:%u: line outside a section",
		    p->filename, p->line);
	eq = memchr(s, '=', len);
	if (eq == NULL)
		return error_set(cause, "%s:%u: expected 'key = value'",
		    p->filename, p->line);
	key = sc_trimdup(s, eq - s);
	if (*key == '\0') {
		free(key);
		return error_set(cause, "%s:%u: empty key", p->filename,
		    p->line);
	}
	sc_lower(key);
	val = sc_trimdup(eq + 1, len - (eq + 1 - s));
	p->key = sc_set(&p->cfg->v[p->sec], key, val);
	p->key_indent = indent;
	p->key_nested = (*val == '\0');
	free(key);
	free(val);
	return 0;
}

/* Parse one line (no newline). */
static int
sc_parse_line(struct sc_parser *p, const char *line, size_t len,
    char **cause)
{
	size_t	indent = 0;

	while (len > 0 && (sc_blank(line[len - 1]) || line[len - 1] == '\r'))
		len--;
	while (indent < len && sc_blank(line[indent]))
		indent++;
	line += indent;
	len -= indent;
	if (len == 0 || line[0] == '#' || line[0] == ';')
		return 0;
	if (indent > 0 && p->key >= 0 && indent > p->key_indent)
		return sc_parse_continuation(p, line, len, cause);
	if (line[0] == '[')
		return sc_parse_header(p, line, len, cause);
	return sc_parse_option(p, line, len, indent, cause);
}

/* Parse one file's text into cfg. */
int
aws_shared_config_parse(struct aws_shared_config *cfg, const char *text,
    const char *filename, int is_credentials, char **cause)
{
	struct sc_parser	 p;
	const char		*nl;

	memset(&p, 0, sizeof p);
	p.cfg = cfg;
	p.filename = filename != NULL ? filename : "(config)";
	p.is_credentials = is_credentials;
	p.sec = -1;
	p.key = -1;
	if (strncmp(text, "\xef\xbb\xbf", 3) == 0)
		text += 3;
	while (*text != '\0') {
		p.line++;
		nl = strchr(text, '\n');
		if (nl == NULL)
			nl = text + strlen(text);
		if (sc_parse_line(&p, text, nl - text, cause) != 0)
			return -1;
		text = *nl == '\0' ? nl : nl + 1;
	}
	return 0;
}

/* Look key up in profile sections of one file, later sections first. */
static const char *
sc_profile_value(const struct aws_shared_config *cfg, const char *profile,
    const char *key, int from_credentials)
{
	const struct sc_section	*sec;
	const char		*v;
	size_t			 i;

	for (i = cfg->n; i > 0; i--) {
		sec = &cfg->v[i - 1];
		if (sec->kind != SC_PROFILE ||
		    sec->from_credentials != from_credentials ||
		    strcmp(sec->name, profile) != 0)
			continue;
		if ((v = sc_section_value(sec, key)) != NULL)
			return v;
	}
	return NULL;
}

/* A profile's key; the credentials file wins over the config file. */
const char *
aws_shared_config_get(const struct aws_shared_config *cfg,
    const char *profile, const char *key)
{
	const char	*v;

	if (cfg == NULL || profile == NULL)
		return NULL;
	if ((v = sc_profile_value(cfg, profile, key, 1)) != NULL)
		return v;
	return sc_profile_value(cfg, profile, key, 0);
}

/* Is there a section for profile in either file? */
int
aws_shared_config_has_profile(const struct aws_shared_config *cfg,
    const char *profile)
{
	size_t	i;

	if (cfg == NULL || profile == NULL)
		return 0;
	for (i = 0; i < cfg->n; i++) {
		if (cfg->v[i].kind == SC_PROFILE &&
		    strcmp(cfg->v[i].name, profile) == 0)
			return 1;
	}
	return 0;
}

/* A key of a "[services x]" or "[sso-session x]" config section. */
const char *
aws_shared_config_section_get(const struct aws_shared_config *cfg,
    const char *type, const char *name, const char *key)
{
	enum sc_kind	 kind;
	const char	*v;
	size_t		 i;

	if (cfg == NULL || name == NULL)
		return NULL;
	if (strcmp(type, "services") == 0)
		kind = SC_SERVICES;
	else if (strcmp(type, "sso-session") == 0)
		kind = SC_SSO_SESSION;
	else
		return NULL;
	for (i = cfg->n; i > 0; i--) {
		if (cfg->v[i - 1].kind != kind ||
		    strcmp(cfg->v[i - 1].name, name) != 0)
			continue;
		if ((v = sc_section_value(&cfg->v[i - 1], key)) != NULL)
			return v;
	}
	return NULL;
}

/* The home directory ($HOME, else the password database), or NULL. */
static char *
sc_home(void)
{
	struct passwd	 pw, *res;
	char		 buf[4096];
	const char	*h;

	h = getenv("HOME");
	if (h != NULL && *h != '\0')
		return xstrdup(h);
	if (getpwuid_r(getuid(), &pw, buf, sizeof buf, &res) != 0 ||
	    res == NULL || pw.pw_dir == NULL)
		return NULL;
	return xstrdup(pw.pw_dir);
}

/* The path of a shared file: env (with "~/" expanded) or ~/.aws/<name>. */
static char *
sc_path(const char *env, const char *name)
{
	const char	*v;
	char		*home, *path;

	v = getenv(env);
	if (v != NULL && *v != '\0' && strncmp(v, "~/", 2) != 0)
		return xstrdup(v);
	if ((home = sc_home()) == NULL)
		return NULL;
	if (v != NULL && *v != '\0')
		xasprintf(&path, "%s/%s", home, v + 2);
	else
		xasprintf(&path, "%s/.aws/%s", home, name);
	free(home);
	return path;
}

/* Read a whole file; 1 when it does not exist. */
static int
sc_read(const char *path, struct strbuf *sb, char **cause)
{
	char	buf[8192];
	ssize_t	n;
	int	fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		if (errno == ENOENT || errno == ENOTDIR)
			return 1;
		return error_set(cause, "%s: %s", path, strerror(errno));
	}
	for (;;) {
		n = read(fd, buf, sizeof buf);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		strbuf_add(sb, buf, n);
		if (sb->len > SC_MAX_FILE) {
			close(fd);
			return error_set(cause, "%s: file too large", path);
		}
	}
	if (n == -1) {
		error_set(cause, "%s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

/* Load one file into cfg; a missing file is fine. */
static int
sc_load_file(struct aws_shared_config *cfg, const char *env,
    const char *name, int is_credentials, char **cause)
{
	struct strbuf	 sb;
	char		*path;
	int		 rc;

	if ((path = sc_path(env, name)) == NULL)
		return 0;
	strbuf_init(&sb);
	rc = sc_read(path, &sb, cause);
	if (rc == 0 && memchr(sb.buf, '\0', sb.len) != NULL)
		rc = error_set(cause, "%s: file contains NUL bytes", path);
	if (rc == 0)
		rc = aws_shared_config_parse(cfg, sb.buf, path,
		    is_credentials, cause);
	strbuf_free(&sb);
	free(path);
	return rc == 1 ? 0 : rc;
}

/* Load ~/.aws/config and ~/.aws/credentials (or the env overrides). */
int
aws_shared_config_load(struct aws_shared_config **out, char **cause)
{
	struct aws_shared_config	*cfg;

	cfg = aws_shared_config_new();
	if (sc_load_file(cfg, "AWS_CONFIG_FILE", "config", 0, cause) != 0 ||
	    sc_load_file(cfg, "AWS_SHARED_CREDENTIALS_FILE", "credentials", 1,
	    cause) != 0) {
		aws_shared_config_free(cfg);
		*out = NULL;
		return -1;
	}
	*out = cfg;
	return 0;
}
