/* The UI's settings in the config file (theme, ascii): finding the file
 * and parsing it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/error.h"
#include "latticectl/ui.h"
#include "latticectl/xmalloc.h"
#include "latticectl/yaml.h"

#define UI_CONFIG_MAX	(256 * 1024)

/* Free the settings' strings and clear them. */
void
ui_config_free(struct ui_config *c)
{
	free(c->theme);
	memset(c, 0, sizeof *c);
}

/* Read the UI keys of the top-level mapping. */
static int
ui_config_doc(const cJSON *doc, struct ui_config *c, char **cause)
{
	const cJSON	*f;

	if (cJSON_IsNull(doc))
		return 0;
	if (!cJSON_IsObject(doc))
		return error_set(cause, "expected a mapping (theme:, ascii:)");
	cJSON_ArrayForEach(f, doc) {
		if (strcmp(f->string, "theme") == 0) {
			if (!cJSON_IsString(f) || *f->valuestring == '\0')
				return error_set(cause, "theme: expected a theme "
				    "name or path");
			free(c->theme);
			c->theme = xstrdup(f->valuestring);
		} else if (strcmp(f->string, "ascii") == 0) {
			if (!cJSON_IsBool(f))
				return error_set(cause, "ascii: expected true "
				    "or false");
			c->ascii = cJSON_IsTrue(f);
		}
	}
	return 0;
}

/* Parse a config document into c. */
int
ui_config_parse(const char *buf, size_t len, const char *filename,
    struct ui_config *c, char **cause)
{
	cJSON	*docs = NULL;
	char	*why = NULL;
	int	 rc = 0;

	memset(c, 0, sizeof *c);
	if (yaml_load(buf, len, filename, &docs, cause) != 0)
		return -1;
	if (cJSON_GetArraySize(docs) > 1)
		rc = error_set(&why, "expected one document");
	else if (cJSON_GetArraySize(docs) == 1)
		rc = ui_config_doc(cJSON_GetArrayItem(docs, 0), c, &why);
	cJSON_Delete(docs);
	if (rc != 0) {
		ui_config_free(c);
		error_set(cause, "%s: %s", filename, why);
		free(why);
		return -1;
	}
	return 0;
}

/* $XDG_CONFIG_HOME/latticectl/config.yaml or ~/.config/latticectl/... */
char *
ui_config_path(void)
{
	const char	*x = getenv("XDG_CONFIG_HOME"), *h = getenv("HOME");
	char		*p;

	if (x != NULL && *x == '/')
		xasprintf(&p, "%s/latticectl/config.yaml", x);
	else if (h != NULL && *h != '\0')
		xasprintf(&p, "%s/.config/latticectl/config.yaml", h);
	else
		p = NULL;
	return p;
}

/* Load the config file; a missing one leaves c empty and returns 0. */
int
ui_config_load(const char *path, struct ui_config *c, char **cause)
{
	char	*own = NULL, *buf;
	FILE	*f;
	size_t	 len;
	int	 rc;

	memset(c, 0, sizeof *c);
	if (path == NULL && (path = own = ui_config_path()) == NULL)
		return 0;
	if ((f = fopen(path, "r")) == NULL) {
		free(own);
		return 0;
	}
	buf = xmalloc(UI_CONFIG_MAX + 1);
	len = fread(buf, 1, UI_CONFIG_MAX, f);
	if (!feof(f) && len == UI_CONFIG_MAX)
		rc = error_set(cause, "%s: larger than %d bytes", path,
		    UI_CONFIG_MAX);
	else if (ferror(f))
		rc = error_set(cause, "%s: read error", path);
	else {
		buf[len] = '\0';
		rc = ui_config_parse(buf, len, path, c, cause);
	}
	fclose(f);
	free(buf);
	free(own);
	return rc;
}
