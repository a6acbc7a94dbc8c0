/* html.c — HTML escaping and the few fragments built in C. */
#include "html.h"

#include <stdbool.h>
#include <string.h>

/* Appends s[0..n) escaping & < > " and, when apostrophe is set, '. */
static void escape(struct buf *out, const char *s, size_t n, bool apostrophe)
{
	static const unsigned long long special =
		1ull << ('"' - '"') | 1ull << ('&' - '"') | 1ull << ('\'' - '"') |
		1ull << ('<' - '"') | 1ull << ('>' - '"');
	size_t start = 0;
	buf_reserve(out, n);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		/* one test keeps most bytes on the fast path: the five special
		 * characters all lie in '"' .. '>' and are flagged in this mask */
		if (c < '"' || c > '>' || !((1ull << (c - '"')) & special))
			continue;
		const char *rep;
		switch (c) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		default:
			if (!apostrophe)
				continue;
			rep = "&#39;";
		}
		buf_append(out, s + start, i - start);
		buf_puts(out, rep);
		start = i + 1;
	}
	buf_append(out, s + start, n - start);
}

/* Appends s[0..n) to out with & < > " ' escaped. */
void html_escape(struct buf *out, const char *s, size_t n)
{
	escape(out, s, n, true);
}

/* Appends s[0..n) with & < > " escaped (text, double-quoted attributes). */
void html_escape_text(struct buf *out, const char *s, size_t n)
{
	escape(out, s, n, false);
}

/* Appends the C string s to out, escaped (NULL appends nothing). */
void html_escape_str(struct buf *out, const char *s)
{
	if (s)
		html_escape(out, s, strlen(s));
}

/* Appends s percent-encoded for a URL query component (unreserved kept). */
void html_url_encode(struct buf *out, const char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~') {
			buf_putc(out, (char)c);
		} else {
			char e[3] = {'%', hex[c >> 4], hex[c & 15]};
			buf_append(out, e, 3);
		}
	}
}
