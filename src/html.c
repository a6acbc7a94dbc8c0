/* html.c — HTML escaping and the few fragments built in C. */
#include "html.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

/* Which bytes need escaping: 1 always, 2 only with the apostrophe. */
static const unsigned char special[256] = {
	['&'] = 1, ['<'] = 1, ['>'] = 1, ['"'] = 1, ['\''] = 2,
};

/* Tells whether one of the 8 bytes of w equals the byte repeated in c8. */
static inline bool has_byte(uint64_t w, uint64_t c8)
{
	uint64_t x = w ^ c8;
	return ((x - 0x0101010101010101ULL) & ~x & 0x8080808080808080ULL) != 0;
}

/* Returns the index of the first byte of p[i..n) to escape (n if none),
 * looking at eight bytes at a time while none of them is special. */
static size_t next_special(const unsigned char *p, size_t i, size_t n, unsigned char mask)
{
	static const uint64_t amp = 0x2626262626262626ULL, lt = 0x3C3C3C3C3C3C3C3CULL,
			      gt = 0x3E3E3E3E3E3E3E3EULL, quot = 0x2222222222222222ULL,
			      apos = 0x2727272727272727ULL;
	for (; i + 8 <= n; i += 8) {
		uint64_t w;
		memcpy(&w, p + i, 8);
		if (has_byte(w, amp) || has_byte(w, lt) || has_byte(w, gt) || has_byte(w, quot) ||
		    ((mask & 2) && has_byte(w, apos)))
			break;
	}
	while (i < n && !(special[p[i]] & mask))
		i++;
	return i;
}

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
		i = next_special(p, i, n, mask);
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
