/* safety.c — an independent check that rendered HTML cannot run script. */
#include "safety.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Decodes &amp; &quot; &lt; &gt; &#NN; and %XX of s into out (as a browser
 * would before reading a URL's scheme), dropping tabs and newlines. */
static void undo(const char *s, size_t n, struct buf *out)
{
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '&') {
			static const char *const names[][2] = {{"&amp;", "&"}, {"&quot;", "\""},
							      {"&lt;", "<"}, {"&gt;", ">"}};
			size_t k;
			for (k = 0; k < 4; k++)
				if (strncmp(s + i, names[k][0], strlen(names[k][0])) == 0)
					break;
			if (k < 4) {
				c = names[k][1][0];
				i += strlen(names[k][0]) - 1;
			}
		} else if (c == '%' && i + 2 < n && isxdigit((unsigned char)s[i + 1]) &&
			   isxdigit((unsigned char)s[i + 2])) {
			char hex[3] = {s[i + 1], s[i + 2], 0};
			c = (char)strtol(hex, NULL, 16);
			i += 2;
		}
		if (c != '\t' && c != '\n' && c != '\r')
			buf_putc(out, c);
	}
}

/* Tells whether the URL s[0..n) is allowed. */
static bool url_ok(const char *s, size_t n, struct buf *why)
{
	struct buf u = {0};
	undo(s, n, &u);
	struct buf again = {0};
	undo(buf_str(&u), u.len, &again); /* double escaping */
	const char *p = buf_str(&again);
	while (*p && (unsigned char)*p <= ' ')
		p++;
	size_t len = strspn(p, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+-.");
	bool ok = true;
	if (len && p[len] == ':' && isalpha((unsigned char)p[0])) {
		ok = (len == 4 && strncasecmp(p, "http", 4) == 0) ||
		     (len == 5 && strncasecmp(p, "https", 5) == 0) ||
		     (len == 6 && strncasecmp(p, "mailto", 6) == 0) ||
		     (len == 3 && strncasecmp(p, "tel", 3) == 0);
	}
	if (!ok)
		buf_printf(why, "URL refusée présente : %.80s", p);
	buf_free(&u);
	buf_free(&again);
	return ok;
}

/* Checks one tag s[0..n) (from '<' to '>'): attributes and URLs. */
static bool tag_ok(const char *s, size_t n, struct buf *why)
{
	if (n >= 7 && strncasecmp(s, "<script", 7) == 0) {
		buf_printf(why, "balise script");
		return false;
	}
	bool quoted = false;
	for (size_t i = 1; i < n; i++) {
		if (s[i] == '"') {
			quoted = !quoted;
			continue;
		}
		if (quoted || (s[i - 1] != ' ' && s[i - 1] != '\n' && s[i - 1] != '\t' && s[i - 1] != '/'))
			continue;
		if (strncasecmp(s + i, "on", 2) == 0) {
			buf_printf(why, "attribut d'événement : %.40s", s + i);
			return false;
		}
		size_t skip = strncasecmp(s + i, "href=\"", 6) == 0 ? 6
			      : strncasecmp(s + i, "src=\"", 5) == 0 ? 5
			      : strncasecmp(s + i, "action=\"", 8) == 0 ? 8 : 0;
		if (skip) {
			const char *v = s + i + skip, *end = memchr(v, '"', n - i - skip);
			if (end && !url_ok(v, (size_t)(end - v), why))
				return false;
		}
	}
	return true;
}

/* Tells whether html is safe (see safety.h); otherwise says why. */
bool safety_check(const char *html, struct buf *why)
{
	if (strcasestr(html, "<script")) {
		buf_printf(why, "balise script");
		return false;
	}
	for (const char *p = strchr(html, '<'); p; p = strchr(p + 1, '<')) {
		const char *end = strchr(p, '>');
		if (!end)
			break;
		if (!tag_ok(p, (size_t)(end - p), why))
			return false;
	}
	return true;
}
