/* URL helpers: RFC 3986 percent-encoding and query-free forms for logs. */
#include <string.h>

#include "latticectl/http.h"
#include "latticectl/strbuf.h"
#include "latticectl/xmalloc.h"

/* Whether c is an RFC 3986 unreserved character. */
static int
url_unreserved(unsigned char c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9'))
		return 1;
	return c == '-' || c == '.' || c == '_' || c == '~';
}

/* Value of hex digit c, or -1. */
static int
url_hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Percent-encode everything but unreserved characters (and '/'). */
char *
http_urlencode(const char *s, int keep_slash)
{
	static const char	 hex[] = "0123456789ABCDEF";
	struct strbuf		 sb;
	const unsigned char	*p;

	strbuf_init(&sb);
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (url_unreserved(*p) || (keep_slash && *p == '/')) {
			strbuf_addc(&sb, (char)*p);
			continue;
		}
		strbuf_addc(&sb, '%');
		strbuf_addc(&sb, hex[*p >> 4]);
		strbuf_addc(&sb, hex[*p & 0xf]);
	}
	return strbuf_detach(&sb, NULL);
}

/* Decode %XX escapes; malformed ones and %00 stay as written. */
char *
http_urldecode(const char *s)
{
	char	*out, *o;
	int	 hi, lo;

	out = o = xmalloc(strlen(s) + 1);
	while (*s != '\0') {
		if (s[0] == '%' && (hi = url_hexval((unsigned char)s[1])) != -1 &&
		    (lo = url_hexval((unsigned char)s[2])) != -1 &&
		    (hi != 0 || lo != 0)) {
			*o++ = (char)(hi << 4 | lo);
			s += 3;
		} else
			*o++ = *s++;
	}
	*o = '\0';
	return out;
}

/* Copy of url up to its query string or fragment. */
char *
http_url_noquery(const char *url)
{
	return xstrndup(url, strcspn(url, "?#"));
}
