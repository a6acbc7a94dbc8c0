/* html.c — HTML escaping and the few fragments built in C. */
#include "html.h"

#include <stdbool.h>
#include <string.h>

/* Which bytes need escaping: 1 always, 2 only with the apostrophe. */
static const unsigned char special[256] = {
	['&'] = 1, ['<'] = 1, ['>'] = 1, ['"'] = 1, ['\''] = 2,
};

/* Appends s[0..n) escaping & < > " and, when apostrophe is set, '. The
 * runs between special bytes are copied straight into reserved room. */
static void escape(struct buf *out, const char *s, size_t n, bool apostrophe)
{
	static const char *const entity[] = {
		['&'] = "&amp;", ['<'] = "&lt;", ['>'] = "&gt;", ['"'] = "&quot;", ['\''] = "&#39;",
	};
	static const unsigned char entity_len[] = {
		['&'] = 5, ['<'] = 4, ['>'] = 4, ['"'] = 6, ['\''] = 5,
	};
	const unsigned char *p = (const unsigned char *)s;
	unsigned char mask = apostrophe ? 3 : 1;
	buf_reserve(out, n);
	size_t start = 0;
	for (size_t i = 0;; i++) {
		while (i < n && !(special[p[i]] & mask))
			i++;
		memcpy(out->data + out->len, s + start, i - start);
		out->len += i - start;
		if (i == n)
			break;
		const char *e = entity[p[i]];
		size_t elen = entity_len[p[i]];
		buf_reserve(out, n - i + elen); /* the rest still fits after it */
		memcpy(out->data + out->len, e, elen);
		out->len += elen;
		start = i + 1;
	}
	out->data[out->len] = '\0';
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
