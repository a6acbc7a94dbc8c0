/* text.c — byte-level text helpers: UTF-8, percent-decoding, slugs. */
#include "text.h"

#include <string.h>

/* Tells whether s[0..n) is valid UTF-8 (no overlongs, no surrogates). */
bool text_utf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + n;
	while (p < end) {
		unsigned c = *p;
		if (c < 0x80) {
			p++;
			continue;
		}
		size_t len;
		unsigned min, cp;
		if ((c & 0xE0) == 0xC0) { len = 2; min = 0x80; cp = c & 0x1F; }
		else if ((c & 0xF0) == 0xE0) { len = 3; min = 0x800; cp = c & 0x0F; }
		else if ((c & 0xF8) == 0xF0) { len = 4; min = 0x10000; cp = c & 0x07; }
		else return false;
		if ((size_t)(end - p) < len)
			return false;
		for (size_t i = 1; i < len; i++) {
			if ((p[i] & 0xC0) != 0x80)
				return false;
			cp = (cp << 6) | (p[i] & 0x3F);
		}
		if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return false;
		p += len;
	}
	return true;
}

/* Returns the value of hex digit c, or -1. */
static int hexval(char c)
{
	if (c >= '0' && c <= '9') return c - '0';
	if (c >= 'a' && c <= 'f') return c - 'a' + 10;
	if (c >= 'A' && c <= 'F') return c - 'A' + 10;
	return -1;
}

/* Decodes %XX escapes (and '+' as space when plus is set) into dst; returns
 * the decoded length, or -1 on a NUL byte or invalid UTF-8. */
long text_url_decode(char *dst, const char *s, size_t n, bool plus)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '%' && i + 2 < n && hexval(s[i + 1]) >= 0 &&
		    hexval(s[i + 2]) >= 0) {
			c = (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
			i += 2;
		} else if (c == '+' && plus) {
			c = ' ';
		}
		if (c == '\0')
			return -1;
		dst[o++] = c;
	}
	dst[o] = '\0';
	return text_utf8_valid(dst, o) ? (long)o : -1;
}

/* Tells whether s is a slug: 1 to 80 of [a-z0-9-], not starting with '-'. */
bool text_is_slug(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > 80 || s[0] == '-')
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return false;
	return true;
}

/* Tells whether s is made of 1 to 18 decimal digits. */
bool text_is_digits(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > 18)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

/* Compares two strings in time independent of where they differ. */
bool text_equal_ct(const char *a, const char *b)
{
	size_t na = strlen(a), nb = strlen(b);
	unsigned char d = na != nb;
	for (size_t i = 0; i < na && i < nb; i++)
		d |= (unsigned char)(a[i] ^ b[i]);
	return d == 0;
}
