/* ui table/tree widget logic, prompt editing and text fitting. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/ui.h"

static const char *const cols[] = { "NAME", "NAMESPACE", "AGE" };

/* A table of n routes r0..r(n-1); r1 has two children. */
static void
fill(struct ui_table *t, size_t n)
{
	struct ui_trow	*r;
	char		 key[32], name[32];
	size_t		 i;

	ui_table_clear(t);
	for (i = 0; i < n; i++) {
		snprintf(key, sizeof key, "k%zu", i);
		snprintf(name, sizeof name, "r%zu", i);
		r = ui_table_add(t, key, 0, UI_STATE_OK);
		ui_table_cell(r, t, 0, name);
		ui_table_cell(r, t, 1, i % 2 ? "prod" : "default");
		ui_table_cell(r, t, 2, "1");
		if (i == 1) {
			r = ui_table_add(t, "k1/svc", 1, UI_STATE_ERROR);
			ui_table_cell(r, t, 0, "lattice-svc");
			r = ui_table_add(t, "k1/tg", 1, UI_STATE_OK);
			ui_table_cell(r, t, 0, "tg");
		}
	}
	ui_table_refresh(t);
}

/* j/k, g/G and paging move and clamp the selection; top follows. */
static void
test_navigation(void **state)
{
	struct ui_table	t;

	(void)state;
	ui_table_init(&t, cols, 3);
	fill(&t, 20);
	t.page = 5;
	assert_int_equal(t.nvis, 22);
	assert_true(ui_table_key(&t, 'j'));
	assert_string_equal(ui_table_selected(&t)->key, "k1");
	ui_table_key(&t, 'k');
	ui_table_key(&t, 'k');
	assert_int_equal(t.sel, 0);
	ui_table_key(&t, 'G');
	assert_int_equal(t.sel, 21);
	assert_int_equal(t.top, 17);
	ui_table_key(&t, 'g');
	assert_int_equal(t.sel, 0);
	assert_int_equal(t.top, 0);
	ui_table_key(&t, 0522);		/* PgDn: page - 1 rows */
	assert_int_equal(t.sel, 4);
	assert_false(ui_table_key(&t, 'z'));
	ui_table_free(&t);
}

/* The selection stays on its row when rows are rebuilt and reordered. */
static void
test_selection_follows_key(void **state)
{
	struct ui_table	t;

	(void)state;
	ui_table_init(&t, cols, 3);
	fill(&t, 6);
	ui_table_key(&t, 'G');
	assert_string_equal(ui_table_selected(&t)->key, "k5");
	ui_table_sort(&t, 0);
	ui_table_sort(&t, 0);		/* descending: r5 first */
	assert_string_equal(t.rows[t.vis[0]].key, "k5");
	assert_int_equal(t.sel, 0);
	fill(&t, 6);
	assert_string_equal(ui_table_selected(&t)->key, "k5");
	ui_table_free(&t);
}

/* Filter matches any cell; a child match keeps its parent. */
static void
test_filter(void **state)
{
	struct ui_table	t;

	(void)state;
	ui_table_init(&t, cols, 3);
	fill(&t, 6);
	ui_table_set_filter(&t, "PROD");
	assert_int_equal(t.nvis, 5);	/* r1 (+2 children), r3, r5 */
	ui_table_set_filter(&t, "lattice-svc");
	assert_int_equal(t.nvis, 3);
	assert_string_equal(t.rows[t.vis[0]].key, "k1");
	ui_table_set_filter(&t, "nothing-matches");
	assert_int_equal(t.nvis, 0);
	assert_null(ui_table_selected(&t));
	ui_table_set_filter(&t, NULL);
	assert_int_equal(t.nvis, 8);
	ui_table_free(&t);
}

/* Space folds a parent; h/l collapse and expand; sort keeps subtrees. */
static void
test_tree(void **state)
{
	struct ui_table	t;

	(void)state;
	ui_table_init(&t, cols, 3);
	fill(&t, 3);
	assert_true(t.rows[1].has_children);
	ui_table_key(&t, 'j');
	ui_table_key(&t, ' ');
	assert_int_equal(t.nvis, 3);
	assert_true(ui_table_is_collapsed(&t, "k1"));
	ui_table_key(&t, 'l');
	assert_int_equal(t.nvis, 5);
	ui_table_key(&t, 'h');
	assert_int_equal(t.nvis, 3);
	ui_table_key(&t, 'l');
	ui_table_sort(&t, 0);
	ui_table_sort(&t, 0);		/* r2, r1, svc, tg, r0 */
	assert_string_equal(t.rows[t.vis[1]].key, "k1");
	assert_string_equal(t.rows[t.vis[2]].key, "k1/svc");
	assert_string_equal(t.rows[t.vis[4]].key, "k0");
	ui_table_free(&t);
}

/* The prompt edits, deletes words, cancels on esc or empty backspace. */
static void
test_prompt(void **state)
{
	struct ui_prompt	p;
	const char		*s = "ns prod";

	(void)state;
	ui_prompt_open(&p, ':', NULL);
	while (*s != '\0')
		assert_int_equal(ui_prompt_key(&p, *s++), UI_PROMPT_EDIT);
	assert_string_equal(p.buf, "ns prod");
	ui_prompt_key(&p, 23);
	assert_string_equal(p.buf, "ns ");
	ui_prompt_key(&p, 127);
	assert_string_equal(p.buf, "ns");
	assert_int_equal(ui_prompt_key(&p, '\r'), UI_PROMPT_DONE);
	ui_prompt_key(&p, 21);
	assert_int_equal(p.len, 0);
	assert_int_equal(ui_prompt_key(&p, 127), UI_PROMPT_CANCEL);
	assert_int_equal(p.lead, 0);
	ui_prompt_open(&p, '/', "ra");
	assert_int_equal(ui_prompt_key(&p, 27), UI_PROMPT_CANCEL);
}

/* Fitting cuts with an ellipsis and pads to the width. */
static void
test_text_fit(void **state)
{
	char	buf[64];

	(void)state;
	ui_text_fit("rates", 8, 1, 0, buf, sizeof buf);
	assert_string_equal(buf, "rates   ");
	ui_text_fit("parking-service", 6, 0, 0, buf, sizeof buf);
	assert_string_equal(buf, "parki~");
	assert_int_equal(ui_text_width("abc"), 3);
	assert_string_equal(ui_glyph(0, UI_GLYPH_OK), "+");
	assert_string_equal(ui_glyph(1, UI_GLYPH_OK), "\u2714");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_navigation),
		cmocka_unit_test(test_selection_follows_key),
		cmocka_unit_test(test_filter),
		cmocka_unit_test(test_tree),
		cmocka_unit_test(test_prompt),
		cmocka_unit_test(test_text_fit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
