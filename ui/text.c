/* UI text helpers: state glyphs (UTF-8 or ASCII), display widths, fitting. */
#include <string.h>
#include <wchar.h>

#include "latticectl/ui.h"

/* The glyph for g in UTF-8 or plain ASCII. */
const char *
ui_glyph(int utf8, enum ui_glyph g)
{
	static const char *const u[UI_GLYPH_COUNT] = {
		"\u2714", "\u2716", "\u25cc", "!", "\u00b7", "\u25be",
		"\u25b8", " ", "\u2026", "\u29d7"
	};
	static const char *const a[UI_GLYPH_COUNT] = {
		"+", "x", "~", "!", ".", "v", ">", " ", "~", "?"
	};

	if ((unsigned)g >= UI_GLYPH_COUNT)
		return "?";
	return utf8 ? u[g] : a[g];
}

/* Decode one UTF-8 character from s; its byte length (1 for bad input). */
static size_t
ui_text_decode(const char *s, wchar_t *wc)
{
	mbstate_t	st;
	size_t		n;

	memset(&st, 0, sizeof st);
	n = mbrtowc(wc, s, strlen(s), &st);
	if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
		*wc = (unsigned char)*s;
		return 1;
	}
	return n;
}

/* Columns taken by one character (non-printables count 1). */
static size_t
ui_text_cw(wchar_t wc)
{
	int	w = wcwidth(wc);

	return w < 0 ? 1 : (size_t)w;
}

/* Display width of a UTF-8 string. */
size_t
ui_text_width(const char *s)
{
	size_t	w = 0;
	wchar_t	wc;

	while (*s != '\0') {
		s += ui_text_decode(s, &wc);
		w += ui_text_cw(wc);
	}
	return w;
}

/* Fit s into width columns, with an ellipsis where cut, padded if asked. */
void
ui_text_fit(const char *s, size_t width, int pad, int utf8, char *buf,
    size_t len)
{
	const char	*ell = ui_glyph(utf8, UI_GLYPH_ELLIPSIS);
	size_t		 used = 0, o = 0, n, cw;
	int		 cut = ui_text_width(s) > width;
	wchar_t		 wc;

	if (len == 0)
		return;
	while (*s != '\0' && width > 0) {
		n = ui_text_decode(s, &wc);
		cw = ui_text_cw(wc);
		if (used + cw + (cut ? 1 : 0) > width || o + n + 4 >= len)
			break;
		memcpy(buf + o, s, n);
		o += n;
		used += cw;
		s += n;
	}
	if (cut && width > 0 && o + strlen(ell) < len) {
		memcpy(buf + o, ell, strlen(ell));
		o += strlen(ell);
		used++;
	}
	while (pad && used < width && o + 1 < len) {
		buf[o++] = ' ';
		used++;
	}
	buf[o] = '\0';
}
