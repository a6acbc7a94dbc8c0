/* text.c — byte-level text helpers: UTF-8, percent-decoding, slugs. */
#include "text.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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
	size_t o = text_url_unescape(dst, s, n, plus);
	return memchr(dst, '\0', o) || !text_utf8_valid(dst, o) ? -1 : (long)o;
}

/* Decodes %XX escapes (and '+' when plus is set) of s[0..n) into dst (at
 * least n+1 bytes), whatever bytes they give; returns the length. */
size_t text_url_unescape(char *dst, const char *s, size_t n, bool plus)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '%' && i + 2 < n && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0) {
			c = (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
			i += 2;
		} else if (c == '+' && plus) {
			c = ' ';
		}
		dst[o++] = c;
	}
	dst[o] = '\0';
	return o;
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

/* Returns a malloc'd, NUL-terminated copy of s[0..n). */
char *text_dup(const char *s, size_t n)
{
	char *p = malloc(n + 1);
	if (!p)
		abort();
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
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

/* Decodes the UTF-8 sequence at s into *cp; returns its length. */
size_t text_utf8_next(const char *s, size_t n, unsigned *cp)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = p[0] < 0x80 ? 1 : (p[0] & 0xE0) == 0xC0 ? 2 : (p[0] & 0xF0) == 0xE0 ? 3
		     : (p[0] & 0xF8) == 0xF0 ? 4 : 0;
	if (len == 0 || len > n || !text_utf8_valid(s, len)) {
		*cp = 0xFFFD;
		return 1;
	}
	unsigned c = len == 1 ? p[0] : p[0] & (0x7F >> len);
	for (size_t i = 1; i < len; i++)
		c = (c << 6) | (p[i] & 0x3F);
	*cp = c;
	return len;
}

/* Appends the UTF-8 encoding of code point cp (U+FFFD when invalid). */
void text_utf8_put(struct buf *out, unsigned cp)
{
	char b[4];
	if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		cp = 0xFFFD;
	if (cp < 0x80) {
		buf_putc(out, (char)cp);
	} else if (cp < 0x800) {
		b[0] = (char)(0xC0 | cp >> 6);
		b[1] = (char)(0x80 | (cp & 0x3F));
		buf_append(out, b, 2);
	} else if (cp < 0x10000) {
		b[0] = (char)(0xE0 | cp >> 12);
		b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		b[2] = (char)(0x80 | (cp & 0x3F));
		buf_append(out, b, 3);
	} else {
		b[0] = (char)(0xF0 | cp >> 18);
		b[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		b[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		b[3] = (char)(0x80 | (cp & 0x3F));
		buf_append(out, b, 4);
	}
}

/* Returns the lower-case ASCII spelling of a Latin letter, or NULL. */
const char *text_fold(unsigned cp)
{
	/* U+00C0 to U+00FF, then U+0100 to U+017F; '.' marks a non-letter */
	static const char latin1[] = "aaaaaaaceeeeiiiidnooooo.ouuuuyts"
				     "aaaaaaaceeeeiiiidnooooo.ouuuuyty";
	static const char ext_a[] = "aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiiiiijjkkk"
				    "llllllllllnnnnnnnnnoooooooorrrrrrssssssssttttttuuuuuuuuuuuuwwyyyzzzzzzs";
	static const char *const letters[] = {
		"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m",
		"n", "o", "p", "q", "r", "s", "t", "u", "v", "w", "x", "y", "z"};
	if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z'))
		return letters[(cp | 0x20) - 'a'];
	switch (cp) {
	case 0xC6: case 0xE6: return "ae";
	case 0xDF: return "ss";
	case 0xDE: case 0xFE: return "th";
	case 0x132: case 0x133: return "ij";
	case 0x152: case 0x153: return "oe";
	}
	char c = 0;
	if (cp >= 0xC0 && cp <= 0xFF)
		c = latin1[cp - 0xC0];
	else if (cp >= 0x100 && cp <= 0x17F)
		c = ext_a[cp - 0x100];
	return c >= 'a' && c <= 'z' ? letters[c - 'a'] : NULL;
}

/* Appends a readable slug of s[0..n): accents folded, lower case, '-'. */
void text_slugify(struct buf *out, const char *s, size_t n, size_t max)
{
	size_t start = out->len;
	bool dash = false;
	for (size_t i = 0; i < n;) {
		unsigned char c = (unsigned char)s[i];
		if (((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || (c >= '0' && c <= '9')) {
			/* ASCII letters and digits, the common case */
			if (out->len - start + 1 + dash > max)
				break;
			if (dash)
				buf_putc(out, '-');
			buf_putc(out, (char)(c >= 'A' && c <= 'Z' ? c | 0x20 : c));
			dash = false;
			i++;
			continue;
		}
		unsigned cp;
		i += text_utf8_next(s + i, n - i, &cp);
		const char *f = text_fold(cp);
		if (!f) {
			dash = out->len > start;
			continue;
		}
		size_t need = strlen(f) + (dash ? 1 : 0);
		if (out->len - start + need > max)
			break;
		if (dash)
			buf_putc(out, '-');
		buf_puts(out, f);
		dash = false;
	}
}

/* Tells whether s[0..10) is a real calendar date YYYY-MM-DD. */
bool text_is_date(const char *s)
{
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	for (int i = 0; i < 10; i++)
		if (i == 4 || i == 7 ? s[i] != '-' : (s[i] < '0' || s[i] > '9'))
			return false;
	int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return m >= 1 && m <= 12 && d >= 1 && d <= days[m - 1] + (m == 2 && leap);
}

/* Tells whether s[0..5) is a real hour of the day HH:MM. */
bool text_is_hour(const char *s)
{
	return s[0] >= '0' && s[0] <= '2' && s[1] >= '0' && s[1] <= '9' &&
	       (s[0] - '0') * 10 + (s[1] - '0') < 24 && s[2] == ':' && s[3] >= '0' && s[3] <= '5' &&
	       s[4] >= '0' && s[4] <= '9';
}

/* Returns the day of the week of a date, 0 for Sunday. */
static int weekday(int y, int m, int d)
{
	static const int t[] = {0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4};
	y -= m < 3;
	return (y + y / 4 - y / 100 + y / 400 + t[m - 1] + d) % 7;
}

/* Returns the date of the last Sunday of month m (31 days) of year y. */
static int last_sunday(int y, int m)
{
	return 31 - weekday(y, m, 31);
}

/* Writes the Brussels time of a UTC stamp "YYYY-MM-DDTHH:MM[:SS]Z" into
 * local ("YYYY-MM-DDTHH:MM"): one hour ahead, two in summer time (from the
 * last Sunday of March to the last Sunday of October, at 1 h UTC). */
static void brussels(const char *utc, char local[17])
{
	struct tm t = {.tm_year = atoi(utc) - 1900, .tm_mon = atoi(utc + 5) - 1,
		       .tm_mday = atoi(utc + 8), .tm_hour = atoi(utc + 11), .tm_min = atoi(utc + 14)};
	int y = t.tm_year + 1900, m = t.tm_mon + 1, day = t.tm_mday;
	long long at = (long long)m * 1000000 + day * 10000 + t.tm_hour * 100 + t.tm_min;
	bool summer = at >= 3000000LL + last_sunday(y, 3) * 10000 + 100 &&
		      at < 10000000LL + last_sunday(y, 10) * 10000 + 100;
	time_t secs = timegm(&t) + (summer ? 7200 : 3600);
	struct tm l;
	gmtime_r(&secs, &l);
	strftime(local, 17, "%Y-%m-%dT%H:%M", &l);
}

/* Appends an ISO date or date-time in French; a UTC stamp (ending in Z) is
 * given in Brussels time. */
void text_date_fr(struct buf *out, const char *iso)
{
	static const char *const months[] = {"janvier", "février", "mars", "avril", "mai", "juin",
					     "juillet", "août", "septembre", "octobre", "novembre",
					     "décembre"};
	if (!iso || strlen(iso) < 10 || !text_is_date(iso)) {
		buf_puts(out, iso ? iso : "");
		return;
	}
	char local[17];
	size_t n = strlen(iso);
	if (n >= 17 && iso[10] == 'T' && iso[n - 1] == 'Z') {
		brussels(iso, local);
		iso = local;
	}
	int d = atoi(iso + 8), m = atoi(iso + 5);
	buf_printf(out, "%d%s %s %.4s", d, d == 1 ? "er" : "", months[m - 1], iso);
	if (strlen(iso) >= 16 && iso[10] == 'T')
		buf_printf(out, ", %d h", atoi(iso + 11));
	if (strlen(iso) >= 16 && iso[10] == 'T' && strncmp(iso + 14, "00", 2) != 0)
		buf_printf(out, " %.2s", iso + 14);
}

/* Returns the edit distance between a and b (two neighbours swapped count
 * as one edit), ASCII letters compared without case, or max + 1 when it is
 * greater than max. */
size_t text_distance(const char *a, const char *b, size_t max)
{
	size_t n = strlen(a), m = strlen(b);
	if (n > 64 || m > 64)
		return max + 1;
	size_t rows[3][65], *before = rows[0], *prev = rows[1], *row = rows[2];
	for (size_t j = 0; j <= m; j++)
		prev[j] = j;
	for (size_t i = 1; i <= n; i++) {
		row[0] = i;
		size_t best = i;
		for (size_t j = 1; j <= m; j++) {
			bool same = (a[i - 1] | 0x20) == (b[j - 1] | 0x20);
			size_t v = prev[j - 1] + !same;
			if (prev[j] + 1 < v)
				v = prev[j] + 1;
			if (row[j - 1] + 1 < v)
				v = row[j - 1] + 1;
			if (i > 1 && j > 1 && (a[i - 1] | 0x20) == (b[j - 2] | 0x20) &&
			    (a[i - 2] | 0x20) == (b[j - 1] | 0x20) && before[j - 2] + 1 < v)
				v = before[j - 2] + 1;
			row[j] = v;
			if (v < best)
				best = v;
		}
		if (best > max)
			return max + 1;
		size_t *t = before;
		before = prev;
		prev = row;
		row = t;
	}
	return prev[m] > max ? max + 1 : prev[m];
}

/* Returns what the system error e means, in French for the errors a
 * file, a folder or a connection usually meets; the system's own words
 * otherwise. */
const char *text_errno(int e)
{
	static const struct {
		int e;
		const char *fr;
	} known[] = {
		{ENOENT, "fichier ou dossier introuvable"},
		{EACCES, "accès refusé"},
		{EPERM, "opération non permise"},
		{ENOSPC, "plus de place sur le disque"},
		{EDQUOT, "quota de disque atteint"},
		{EROFS, "disque en lecture seule"},
		{EIO, "erreur de lecture ou d'écriture du disque"},
		{EEXIST, "existe déjà"},
		{ENOTDIR, "un élément du chemin n'est pas un dossier"},
		{EISDIR, "c'est un dossier"},
		{ENOTEMPTY, "dossier non vide"},
		{EMFILE, "trop de fichiers ouverts"},
		{ENOMEM, "mémoire insuffisante"},
		{EFBIG, "fichier trop gros"},
		{EADDRINUSE, "adresse déjà utilisée par un autre programme"},
		{EADDRNOTAVAIL, "adresse absente de cette machine"},
		{ECONNREFUSED, "connexion refusée"},
		{ETIMEDOUT, "délai dépassé"},
	};
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (known[i].e == e)
			return known[i].fr;
	return strerror(e);
}

/* Appends a count with its noun in French: "1 adresse", "3 adresses" (0
 * takes the singular, as in French). */
void text_count(struct buf *out, long long n, const char *one, const char *many)
{
	buf_printf(out, "%lld %s", n, n >= -1 && n <= 1 ? one : many);
}

/* Appends when something runs, in French: "12 mars 2026, 14 h – 16 h" the
 * same day, "12 mars 2026, 14 h – 13 mars 2026, 10 h" across days, the
 * start alone without an end. */
void text_span_fr(struct buf *out, const char *start, const char *end)
{
	text_date_fr(out, start);
	if (!end || strlen(end) < 16 || end[10] != 'T' || !text_is_date(end))
		return;
	buf_puts(out, " – ");
	if (start && strncmp(start, end, 10) == 0) {
		buf_printf(out, "%d h", atoi(end + 11));
		if (strncmp(end + 14, "00", 2) != 0)
			buf_printf(out, " %.2s", end + 14);
	} else {
		text_date_fr(out, end);
	}
}

/* Counts the characters (code points) of the UTF-8 text s[0..n). */
size_t text_utf8_count(const char *s, size_t n)
{
	size_t c = 0;
	for (size_t i = 0; i < n; i++)
		c += ((unsigned char)s[i] & 0xC0) != 0x80;
	return c;
}

/* Returns the FNV-1a hash of s[0..n) (see text.h). */
uint32_t text_hash(const char *s, size_t n)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}
