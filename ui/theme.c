/* UI themes: semantic roles to colours, YAML files, built-in fallbacks. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "latticectl/error.h"
#include "latticectl/ui.h"
#include "latticectl/xmalloc.h"
#include "latticectl/yaml.h"

#ifndef LATTICECTL_SHARE_DIR
#define LATTICECTL_SHARE_DIR "/usr/local/share/latticectl"
#endif

#define D UI_COLOR_DEFAULT
#define B UI_ATTR_BOLD
#define U UI_ATTR_UNDERLINE
#define R UI_ATTR_REVERSE

static const char *const ui_role_names[UI_ROLE_COUNT] = {
	"normal", "header", "row", "selected", "ok", "warn", "error",
	"progressing", "dim", "border", "title", "keyhint"
};

/* Built-in themes; the files in themes/ say the same. */
static const struct ui_theme ui_builtin_themes[] = {
	{ "default", 256, {
	    { D, D, 0 }, { 231, 24, B }, { 252, D, 0 }, { 16, 75, B },
	    { 78, D, 0 }, { 214, D, B }, { 203, D, B }, { 75, D, 0 },
	    { 244, D, 0 }, { 67, D, 0 }, { 117, D, B }, { 16, 110, 0 } } },
	{ "16color", 16, {
	    { D, D, 0 }, { 15, 4, B }, { 7, D, 0 }, { 0, 6, 0 },
	    { 2, D, 0 }, { 3, D, B }, { 1, D, B }, { 6, D, 0 },
	    { 8, D, 0 }, { 4, D, 0 }, { 14, D, B }, { 0, 7, 0 } } },
	{ "mono", 0, {
	    { D, D, 0 }, { D, D, B | R }, { D, D, 0 }, { D, D, R },
	    { D, D, 0 }, { D, D, B }, { D, D, B | U }, { D, D, 0 },
	    { D, D, UI_ATTR_DIM }, { D, D, 0 }, { D, D, B }, { D, D, R } } },
	{ "light", 256, {
	    { 235, 255, 0 }, { 255, 25, B }, { 235, 255, 0 }, { 255, 31, B },
	    { 28, 255, 0 }, { 130, 255, B }, { 160, 255, B }, { 25, 255, 0 },
	    { 245, 255, 0 }, { 110, 255, 0 }, { 25, 255, B }, { 235, 252, 0 } } },
	{ "high-contrast", 16, {
	    { 15, 0, 0 }, { 0, 11, B }, { 15, 0, B }, { 0, 15, B },
	    { 10, 0, B }, { 11, 0, B }, { 9, 0, B | U }, { 14, 0, B },
	    { 7, 0, 0 }, { 15, 0, 0 }, { 11, 0, B }, { 0, 14, B } } },
};

static const struct {
	const char	*name;
	short		 n;
} ui_color_names[] = {
	{ "default", D }, { "black", 0 }, { "red", 1 }, { "green", 2 },
	{ "yellow", 3 }, { "blue", 4 }, { "magenta", 5 }, { "cyan", 6 },
	{ "white", 7 }, { "gray", 8 }, { "grey", 8 }, { "bright-black", 8 },
	{ "bright-red", 9 }, { "bright-green", 10 }, { "bright-yellow", 11 },
	{ "bright-blue", 12 }, { "bright-magenta", 13 }, { "bright-cyan", 14 },
	{ "bright-white", 15 },
};

static const struct {
	const char	*name;
	int		 bit;
} ui_attr_names[] = {
	{ "bold", UI_ATTR_BOLD }, { "underline", UI_ATTR_UNDERLINE },
	{ "reverse", UI_ATTR_REVERSE }, { "dim", UI_ATTR_DIM },
};

/* The name of a role as theme files spell it. */
const char *
ui_role_name(enum ui_role r)
{
	return (unsigned)r < UI_ROLE_COUNT ? ui_role_names[r] : "?";
}

/* Copy the built-in theme called name; -1 when there is none. */
int
ui_theme_builtin(const char *name, struct ui_theme *t)
{
	size_t	i;

	for (i = 0; i < sizeof ui_builtin_themes / sizeof *ui_builtin_themes;
	    i++) {
		if (strcmp(ui_builtin_themes[i].name, name) == 0) {
			*t = ui_builtin_themes[i];
			return 0;
		}
	}
	return -1;
}

/* Distance between two RGB triples. */
static int
ui_rgb_dist(int r1, int g1, int b1, int r2, int g2, int b2)
{
	return (r1 - r2) * (r1 - r2) + (g1 - g2) * (g1 - g2) +
	    (b1 - b2) * (b1 - b2);
}

/* The xterm palette's RGB for colour n (0-255). */
static void
ui_color_rgb(short n, int *r, int *g, int *b)
{
	static const int	lo[16][3] = {
		{ 0, 0, 0 }, { 205, 0, 0 }, { 0, 205, 0 }, { 205, 205, 0 },
		{ 0, 0, 238 }, { 205, 0, 205 }, { 0, 205, 205 },
		{ 229, 229, 229 }, { 127, 127, 127 }, { 255, 0, 0 },
		{ 0, 255, 0 }, { 255, 255, 0 }, { 92, 92, 255 },
		{ 255, 0, 255 }, { 0, 255, 255 }, { 255, 255, 255 }
	};
	static const int	cube[6] = { 0, 95, 135, 175, 215, 255 };

	if (n < 16) {
		*r = lo[n][0]; *g = lo[n][1]; *b = lo[n][2];
	} else if (n < 232) {
		n -= 16;
		*r = cube[n / 36]; *g = cube[(n / 6) % 6]; *b = cube[n % 6];
	} else {
		*r = *g = *b = 8 + (n - 232) * 10;
	}
}

/* Nearest of the 16 basic colours to n (default stays default). */
short
ui_color_to16(short n)
{
	int	r, g, b, r2, g2, b2, d, best = -1;
	short	i, bi = 7;

	if (n < 16)
		return n;
	ui_color_rgb(n, &r, &g, &b);
	for (i = 0; i < 16; i++) {
		ui_color_rgb(i, &r2, &g2, &b2);
		d = ui_rgb_dist(r, g, b, r2, g2, b2);
		if (best < 0 || d < best) {
			best = d;
			bi = i;
		}
	}
	return bi;
}

/* Nearest 256-palette colour to #rrggbb. */
static short
ui_color_from_hex(const char *s)
{
	unsigned	r, g, b;
	int		d, best = -1;
	int		r2, g2, b2;
	short		i, bi = 0;

	if (sscanf(s, "#%2x%2x%2x", &r, &g, &b) != 3)
		return -2;
	for (i = 0; i < 256; i++) {
		ui_color_rgb(i, &r2, &g2, &b2);
		d = ui_rgb_dist((int)r, (int)g, (int)b, r2, g2, b2);
		if (best < 0 || d < best) {
			best = d;
			bi = i;
		}
	}
	return bi;
}

/* Parse a colour value (number, name or #rrggbb); -2 when invalid. */
static short
ui_color_parse(const cJSON *v)
{
	size_t	i;

	if (cJSON_IsNumber(v)) {
		if (v->valuedouble < -1 || v->valuedouble > 255 ||
		    v->valuedouble != (int)v->valuedouble)
			return -2;
		return (short)v->valueint;
	}
	if (!cJSON_IsString(v))
		return -2;
	for (i = 0; i < sizeof ui_color_names / sizeof *ui_color_names; i++) {
		if (strcasecmp(ui_color_names[i].name, v->valuestring) == 0)
			return ui_color_names[i].n;
	}
	if (v->valuestring[0] == '#' && strlen(v->valuestring) == 7)
		return ui_color_from_hex(v->valuestring);
	return -2;
}

/* Parse one attribute name into its bit; 0 when unknown. */
static int
ui_attr_parse(const char *s)
{
	size_t	i;

	for (i = 0; i < sizeof ui_attr_names / sizeof *ui_attr_names; i++) {
		if (strcasecmp(ui_attr_names[i].name, s) == 0)
			return ui_attr_names[i].bit;
	}
	return 0;
}

/* Parse attrs: a list of names or one comma-separated string. */
static int
ui_attrs_parse(const cJSON *v, const char *where, int *out, char **cause)
{
	const cJSON	*it;
	char		*dup, *tok, *save = NULL;
	int		 bit, rc = 0;

	*out = 0;
	if (cJSON_IsString(v)) {
		dup = xstrdup(v->valuestring);
		for (tok = strtok_r(dup, ", ", &save); tok != NULL && rc == 0;
		    tok = strtok_r(NULL, ", ", &save)) {
			if ((bit = ui_attr_parse(tok)) == 0)
				rc = error_set(cause, "%s.attrs: unknown "
				    "attribute '%s' (bold, underline, reverse, "
				    "dim)", where, tok);
			*out |= bit;
		}
		free(dup);
		return rc;
	}
	if (!cJSON_IsArray(v))
		return error_set(cause, "%s.attrs: expected a list", where);
	cJSON_ArrayForEach(it, v) {
		if (!cJSON_IsString(it) ||
		    (bit = ui_attr_parse(it->valuestring)) == 0)
			return error_set(cause, "%s.attrs: unknown attribute "
			    "(bold, underline, reverse, dim)", where);
		*out |= bit;
	}
	return 0;
}

/* Parse one role's style mapping into st. */
static int
ui_style_parse(const cJSON *v, const char *where, struct ui_style *st,
    char **cause)
{
	const cJSON	*f;
	short		 c;

	if (!cJSON_IsObject(v))
		return error_set(cause, "%s: expected a mapping with fg, bg, "
		    "attrs", where);
	cJSON_ArrayForEach(f, v) {
		if (strcmp(f->string, "fg") == 0 || strcmp(f->string, "bg") == 0) {
			if ((c = ui_color_parse(f)) == -2)
				return error_set(cause, "%s.%s: not a colour "
				    "(0-255, a name or #rrggbb)", where,
				    f->string);
			if (f->string[0] == 'f')
				st->fg = c;
			else
				st->bg = c;
		} else if (strcmp(f->string, "attrs") == 0) {
			if (ui_attrs_parse(f, where, &st->attrs, cause) != 0)
				return -1;
		} else
			return error_set(cause, "%s.%s: unknown field (fg, bg, "
			    "attrs)", where, f->string);
	}
	return 0;
}

/* The role index for a name ("key-hint" and "key_hint" too); -1. */
static int
ui_role_find(const char *s)
{
	int	i;

	if (strcmp(s, "key-hint") == 0 || strcmp(s, "key_hint") == 0)
		return UI_ROLE_KEYHINT;
	for (i = 0; i < UI_ROLE_COUNT; i++) {
		if (strcmp(ui_role_names[i], s) == 0)
			return i;
	}
	return -1;
}

/* Parse the roles mapping of a theme. */
static int
ui_theme_roles(const cJSON *roles, struct ui_theme *t, char **cause)
{
	const cJSON	*r;
	char		 where[96];
	int		 i;

	if (!cJSON_IsObject(roles))
		return error_set(cause, "roles: expected a mapping");
	cJSON_ArrayForEach(r, roles) {
		if ((i = ui_role_find(r->string)) < 0)
			return error_set(cause, "roles.%.40s: unknown role",
			    r->string);
		snprintf(where, sizeof where, "roles.%s", ui_role_names[i]);
		if (ui_style_parse(r, where, &t->role[i], cause) != 0)
			return -1;
	}
	return 0;
}

/* Parse the top-level mapping of a theme document. */
static int
ui_theme_doc(const cJSON *doc, struct ui_theme *t, char **cause)
{
	const cJSON	*f;
	double		 n;

	if (!cJSON_IsObject(doc))
		return error_set(cause, "expected a mapping with name, colors, "
		    "roles");
	cJSON_ArrayForEach(f, doc) {
		if (strcmp(f->string, "name") == 0) {
			if (!cJSON_IsString(f))
				return error_set(cause, "name: expected a string");
			snprintf(t->name, sizeof t->name, "%s", f->valuestring);
		} else if (strcmp(f->string, "colors") == 0) {
			n = cJSON_IsNumber(f) ? f->valuedouble : -1;
			if (n != 0 && n != 8 && n != 16 && n != 256)
				return error_set(cause, "colors: expected 0, 8, "
				    "16 or 256");
			t->colors = (int)n;
		} else if (strcmp(f->string, "roles") == 0) {
			if (ui_theme_roles(f, t, cause) != 0)
				return -1;
		} else
			return error_set(cause, "%.40s: unknown field (name, "
			    "colors, roles)", f->string);
	}
	return 0;
}

/* Parse a theme; roles it leaves out keep the default theme's style. */
int
ui_theme_parse(const char *buf, size_t len, const char *filename,
    struct ui_theme *t, char **cause)
{
	cJSON	*docs = NULL;
	char	*why = NULL;
	int	 rc;

	ui_theme_builtin("default", t);
	t->name[0] = '\0';
	if (yaml_load(buf, len, filename, &docs, cause) != 0)
		return -1;
	if (cJSON_GetArraySize(docs) != 1)
		rc = error_set(&why, "expected one document");
	else
		rc = ui_theme_doc(cJSON_GetArrayItem(docs, 0), t, &why);
	cJSON_Delete(docs);
	if (rc != 0) {
		error_set(cause, "%s: %s", filename, why);
		free(why);
		return -1;
	}
	return 0;
}

/* Read and parse a theme file. */
int
ui_theme_load_file(const char *path, struct ui_theme *t, char **cause)
{
	FILE	*f;
	char	*buf;
	size_t	 len;
	int	 rc;

	if ((f = fopen(path, "r")) == NULL)
		return error_set(cause, "%s: cannot open", path);
	buf = xmalloc(65537);
	len = fread(buf, 1, 65536, f);
	fclose(f);
	buf[len] = '\0';
	rc = ui_theme_parse(buf, len, path, t, cause);
	free(buf);
	return rc;
}

/* Try dir/name.yaml; 1 found and loaded, 0 absent, -1 bad file. */
static int
ui_theme_try(const char *dir, const char *name, struct ui_theme *t,
    char **warning)
{
	char	*path;
	int	 rc = 0;

	if (dir == NULL || *dir == '\0')
		return 0;
	xasprintf(&path, "%s/%s.yaml", dir, name);
	if (access(path, R_OK) == 0)
		rc = ui_theme_load_file(path, t, warning) == 0 ? 1 : -1;
	free(path);
	return rc;
}

/* Find a theme by name or path, falling back to built-ins. */
int
ui_theme_find(const char *name, struct ui_theme *t, char **warning)
{
	const char	*dirs[3];
	size_t		 i;
	int		 rc;

	if (name == NULL || *name == '\0')
		name = "default";
	if (strchr(name, '/') != NULL) {
		if (ui_theme_load_file(name, t, warning) == 0)
			return 0;
		ui_theme_builtin("default", t);
		return 0;
	}
	dirs[0] = getenv("LATTICECTL_THEME_DIR");
	dirs[1] = "themes";
	dirs[2] = LATTICECTL_SHARE_DIR "/themes";
	for (i = 0; i < 3; i++) {
		if ((rc = ui_theme_try(dirs[i], name, t, warning)) > 0)
			return 0;
		if (rc < 0)
			break;
	}
	if (ui_theme_builtin(name, t) == 0)
		return 0;
	if (*warning == NULL)
		error_set(warning, "theme '%s' not found; using default", name);
	ui_theme_builtin("default", t);
	return 0;
}
