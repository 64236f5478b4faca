/* ui themes: the shipped files equal the built-ins, errors name file and
 * field, colour names and downgrades. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/ui.h"

/* Each themes/NAME.yaml parses to its built-in twin. */
static void
test_files_match_builtins(void **state)
{
	const char	*names[] = { "default", "16color", "mono", "light",
			    "high-contrast" };
	struct ui_theme	 f, b;
	char		 path[128], *cause = NULL;
	size_t		 i;

	(void)state;
	for (i = 0; i < 5; i++) {
		snprintf(path, sizeof path, "themes/%s.yaml", names[i]);
		assert_int_equal(ui_theme_load_file(path, &f, &cause), 0);
		assert_int_equal(ui_theme_builtin(names[i], &b), 0);
		assert_string_equal(f.name, b.name);
		assert_int_equal(f.colors, b.colors);
		assert_memory_equal(f.role, b.role, sizeof f.role);
	}
}

/* Errors carry the file name and the field path. */
static void
test_errors_name_field(void **state)
{
	struct ui_theme	 t;
	char		*cause = NULL;
	const char	*bad1 = "roles:\n  ok: { fg: purple }\n";
	const char	*bad2 = "roles:\n  nope: { fg: 1 }\n";
	const char	*bad3 = "roles:\n  warn: { attrs: [blink] }\n";
	const char	*bad4 = "colour: 3\n";

	(void)state;
	assert_int_equal(ui_theme_parse(bad1, strlen(bad1), "x.yaml", &t,
	    &cause), -1);
	assert_non_null(strstr(cause, "x.yaml"));
	assert_non_null(strstr(cause, "roles.ok.fg"));
	free(cause);
	cause = NULL;
	assert_int_equal(ui_theme_parse(bad2, strlen(bad2), "y.yaml", &t,
	    &cause), -1);
	assert_non_null(strstr(cause, "roles.nope"));
	free(cause);
	cause = NULL;
	assert_int_equal(ui_theme_parse(bad3, strlen(bad3), "z.yaml", &t,
	    &cause), -1);
	assert_non_null(strstr(cause, "roles.warn.attrs"));
	free(cause);
	cause = NULL;
	assert_int_equal(ui_theme_parse(bad4, strlen(bad4), "w.yaml", &t,
	    &cause), -1);
	assert_non_null(strstr(cause, "colour"));
	free(cause);
}

/* Names, hex and defaults; roles left out keep the default theme. */
static void
test_colors(void **state)
{
	struct ui_theme	 t, d;
	char		*cause = NULL;
	const char	*doc = "name: mine\nroles:\n  ok: { fg: bright-green, "
			    "bg: \"#000000\", attrs: \"bold,underline\" }\n";

	(void)state;
	assert_int_equal(ui_theme_parse(doc, strlen(doc), "m", &t, &cause), 0);
	ui_theme_builtin("default", &d);
	assert_string_equal(t.name, "mine");
	assert_int_equal(t.role[UI_ROLE_OK].fg, 10);
	assert_int_equal(t.role[UI_ROLE_OK].bg, 0);
	assert_int_equal(t.role[UI_ROLE_OK].attrs,
	    UI_ATTR_BOLD | UI_ATTR_UNDERLINE);
	assert_memory_equal(&t.role[UI_ROLE_ERROR], &d.role[UI_ROLE_ERROR],
	    sizeof d.role[0]);
	assert_int_equal(ui_color_to16(196), 9);	/* bright red */
	assert_int_equal(ui_color_to16(16), 0);		/* black */
	assert_int_equal(ui_color_to16(231), 15);	/* white */
	assert_int_equal(ui_color_to16(4), 4);
}

/* A missing theme falls back to the default with a warning. */
static void
test_find_fallback(void **state)
{
	struct ui_theme	 t;
	char		*warn = NULL;

	(void)state;
	assert_int_equal(ui_theme_find("no-such-theme", &t, &warn), 0);
	assert_string_equal(t.name, "default");
	assert_non_null(warn);
	assert_non_null(strstr(warn, "no-such-theme"));
	free(warn);
	warn = NULL;
	assert_int_equal(ui_theme_find("light", &t, &warn), 0);
	assert_string_equal(t.name, "light");
	assert_null(warn);
	assert_int_equal(ui_theme_builtin("nope", &t), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_files_match_builtins),
		cmocka_unit_test(test_errors_name_field),
		cmocka_unit_test(test_colors),
		cmocka_unit_test(test_find_fallback),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
