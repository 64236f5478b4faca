/* sim_form: percent-decoding and name=value lists for both halves. */
#include <stdlib.h>
#include <string.h>

#include "latticectl/xmalloc.h"

#include "sim_form.h"

/* Value of one hex digit, or -1. */
static int
sim_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Percent-decode len bytes; bad escapes stay as they are. */
char *
sim_unescape(const char *s, size_t len, int flags)
{
	char	*out;
	size_t	 i, o = 0;
	int	 hi, lo;

	out = xmalloc(len + 1);
	for (i = 0; i < len; i++) {
		if (s[i] == '%' && i + 2 < len &&
		    (hi = sim_hexval(s[i + 1])) >= 0 &&
		    (lo = sim_hexval(s[i + 2])) >= 0) {
			if (hi != 0 || lo != 0 ||
			    (flags & SIM_UNESCAPE_DROP_NUL) == 0)
				out[o++] = (char)(hi << 4 | lo);
			i += 2;
		} else if (s[i] == '+' && (flags & SIM_UNESCAPE_PLUS))
			out[o++] = ' ';
		else
			out[o++] = s[i];
	}
	out[o] = '\0';
	return out;
}

/* Split "a=1&b=2" into decoded pairs appended to the arrays. */
void
sim_form_parse(const char *s, size_t len, size_t max, int flags,
    char ***names, char ***values, size_t *n)
{
	const char	*end, *amp, *eq;

	if (s == NULL)
		return;
	end = s + len;
	while (s < end && *n < max) {
		amp = memchr(s, '&', (size_t)(end - s));
		if (amp == NULL)
			amp = end;
		if (amp > s) {
			eq = memchr(s, '=', (size_t)(amp - s));
			*names = xreallocarray(*names, *n + 1, sizeof **names);
			*values = xreallocarray(*values, *n + 1,
			    sizeof **values);
			(*names)[*n] = sim_unescape(s, (size_t)((eq != NULL ?
			    eq : amp) - s), flags);
			(*values)[*n] = eq != NULL ? sim_unescape(eq + 1,
			    (size_t)(amp - eq - 1), flags) : xstrdup("");
			(*n)++;
		}
		s = amp + 1;
	}
}

/* Free the pairs and the arrays. */
void
sim_form_free(char **names, char **values, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		free(names[i]);
		free(values[i]);
	}
	free(names);
	free(values);
}
