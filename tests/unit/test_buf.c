/* test_buf.c — buf, arena, html escaping and text helpers. */
#include <stdlib.h>
#include <string.h>

#include "../../src/arena.h"
#include "../../src/buf.h"
#include "../../src/diff.h"
#include "../../src/html.h"
#include "../../src/text.h"
#include "../test.h"
#include "unit.h"

/* Appends of every kind grow the buffer and keep it NUL-terminated. */
static void buf_grows(void)
{
	struct buf b = {0};
	CHECK_STR(buf_str(&b), "");
	for (int i = 0; i < 1000; i++)
		buf_printf(&b, "%d,", i);
	CHECK(b.len == strlen(b.data));
	CHECK(strncmp(b.data, "0,1,2,", 6) == 0);
	CHECK(strstr(b.data, "999,") != NULL);
	buf_reset(&b);
	CHECK_INT(b.len, 0);
	buf_append(&b, "a\0b", 3);
	CHECK_INT(b.len, 3);
	CHECK(b.data[1] == '\0' && b.data[3] == '\0');
	struct buf fresh = {0};
	buf_reserve(&fresh, 100);
	CHECK_STR(buf_str(&fresh), "");
	buf_free(&fresh);
	char *p = buf_detach(&b);
	CHECK(b.data == NULL && b.len == 0);
	free(p);
	buf_free(&b);
}

/* Arena allocations are aligned, zeroed, survive large blocks, and free. */
static void arena_allocates(void)
{
	struct arena a = {0};
	char *s = arena_strdup(&a, "réunion");
	CHECK_STR(s, "réunion");
	double *d = arena_alloc(&a, sizeof(double) * 3);
	CHECK(((unsigned long)d % _Alignof(double)) == 0 && d[2] == 0.0);
	char *big = arena_alloc(&a, 100000);
	big[99999] = 'x';
	CHECK_STR(s, "réunion");
	CHECK_STR(arena_printf(&a, "%s-%d", "gt", 7), "gt-7");
	CHECK(a.total >= 100000);
	arena_free(&a);
	CHECK(a.head == NULL && a.total == 0);
	CHECK_STR(arena_strndup(&a, "abcdef", 3), "abc");
	arena_free(&a);
}

/* The five HTML-significant characters are escaped, nothing else. */
static void html_escapes(void)
{
	struct buf b = {0};
	html_escape_str(&b, "<script>alert(\"x\" & 'y')</script> é");
	CHECK_STR(buf_str(&b), "&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt; é");
	buf_reset(&b);
	html_url_encode(&b, "a b&c=é/", 9);
	CHECK_STR(buf_str(&b), "a%20b%26c%3D%C3%A9%2F");
	buf_free(&b);
}

/* UTF-8 validation rejects overlongs, surrogates, truncation. */
static void utf8_validation(void)
{
	CHECK(text_utf8_valid("Éducation permanente — 🎉", strlen("Éducation permanente — 🎉")));
	CHECK(!text_utf8_valid("\xC0\xAF", 2));       /* overlong '/' */
	CHECK(!text_utf8_valid("\xED\xA0\x80", 3));   /* surrogate */
	CHECK(!text_utf8_valid("\xE2\x82", 2));       /* truncated */
	CHECK(!text_utf8_valid("\xFF", 1));
	CHECK(!text_utf8_valid("\xF4\x90\x80\x80", 4)); /* beyond U+10FFFF */
}

/* Percent-decoding refuses NUL and invalid UTF-8, keeps bad escapes. */
static void url_decoding(void)
{
	char out[64];
	CHECK_INT(text_url_decode(out, "a%20b+c", 7, true), 5);
	CHECK_STR(out, "a b c");
	CHECK_INT(text_url_decode(out, "a+b", 3, false), 3);
	CHECK_STR(out, "a+b");
	CHECK_INT(text_url_decode(out, "%C3%A9", 6, true), 2);
	CHECK_STR(out, "é");
	CHECK_INT(text_url_decode(out, "x%00y", 5, true), -1);
	CHECK_INT(text_url_decode(out, "%FF", 3, true), -1);
	CHECK_INT(text_url_decode(out, "100%", 4, true), 4);
	CHECK_INT(text_url_decode(out, "%zz%4", 5, true), 5);
}

/* Slugs and digit strings are recognised strictly. */
static void slugs_and_digits(void)
{
	CHECK(text_is_slug("gt-mobilite"));
	CHECK(!text_is_slug("../etc"));
	CHECK(!text_is_slug("-x"));
	CHECK(!text_is_slug(""));
	CHECK(!text_is_slug("Majuscule"));
	CHECK(text_is_digits("92094"));
	CHECK(!text_is_digits("92a"));
	CHECK(!text_is_digits("1234567890123456789"));
	CHECK(text_equal_ct("abc", "abc"));
	CHECK(!text_equal_ct("abc", "abd"));
	CHECK(!text_equal_ct("abc", "ab"));
}

/* Runs the buf, arena, html and text tests. */
/* The escaping scans eight bytes at a time: each special byte is found
 * wherever it falls, at every length, as a byte-by-byte escape would. */
static void html_escapes_every_position(void)
{
	static const char specials[] = "&<>\"'";
	for (size_t len = 1; len <= 40; len++) {
		for (size_t at = 0; at < len; at++) {
			for (size_t k = 0; specials[k]; k++) {
				char in[41];
				memset(in, 'a' + (char)(len % 26), len);
				in[len] = '\0';
				in[at] = specials[k];
				struct buf got = {0}, want = {0};
				html_escape(&got, in, len);
				for (size_t i = 0; i < len; i++) {
					const char *e = in[i] == '&' ? "&amp;" : in[i] == '<' ? "&lt;"
						: in[i] == '>' ? "&gt;" : in[i] == '"' ? "&quot;"
						: in[i] == '\'' ? "&#39;" : NULL;
					if (e)
						buf_puts(&want, e);
					else
						buf_putc(&want, in[i]);
				}
				CHECKF(strcmp(buf_str(&got), buf_str(&want)) == 0, "%zu/%zu/%c", len, at,
				       specials[k]);
				buf_reset(&got);
				html_escape_text(&got, in, len);
				CHECK((specials[k] == '\'') == (strstr(buf_str(&got), "'") != NULL));
				buf_free(&got);
				buf_free(&want);
			}
		}
	}
}

/* Returns text_date_fr of iso (static storage, for checks). */
static const char *fr(const char *iso)
{
	static struct buf b;
	buf_reset(&b);
	text_date_fr(&b, iso);
	return buf_str(&b);
}

/* Dates read in French; a UTC stamp is given in Brussels time, winter and
 * summer, across the changes of hour and of day. */
static void dates_in_french_and_brussels(void)
{
	CHECK_STR(fr("2026-03-12"), "12 mars 2026");
	CHECK_STR(fr("2026-03-01T14:00"), "1er mars 2026, 14 h");
	CHECK_STR(fr("2021-03-01T09:30"), "1er mars 2021, 9 h 30");
	CHECK_STR(fr("2026-01-15T13:05:00Z"), "15 janvier 2026, 14 h 05");
	CHECK_STR(fr("2026-07-15T13:00:00Z"), "15 juillet 2026, 15 h");
	CHECK_STR(fr("2026-12-31T23:30:00Z"), "1er janvier 2027, 0 h 30");
	/* 2026: summer time from 29 March to 25 October, at 1 h UTC */
	CHECK_STR(fr("2026-03-29T00:59:00Z"), "29 mars 2026, 1 h 59");
	CHECK_STR(fr("2026-03-29T01:00:00Z"), "29 mars 2026, 3 h");
	CHECK_STR(fr("2026-10-25T00:59:00Z"), "25 octobre 2026, 2 h 59");
	CHECK_STR(fr("2026-10-25T01:00:00Z"), "25 octobre 2026, 2 h");
	CHECK_STR(fr("2021-03-28T02:00:00Z"), "28 mars 2021, 4 h");
	CHECK_STR(fr("pas une date"), "pas une date");
}

/* Edit distances: letters without case, a swap of neighbours is one edit,
 * and the search stops past max. */
static void edit_distance(void)
{
	CHECK_INT(text_distance("CAI", "cai", 2), 0);
	CHECK_INT(text_distance("CIA", "CAI", 2), 1);
	CHECK_INT(text_distance("CPS", "CPAS", 2), 1);
	CHECK_INT(text_distance("", "CRI", 5), 3);
	CHECK_INT(text_distance("CAI", "ULiège", 2), 3);
	CHECK_INT(text_distance("abcdefgh", "hgfedcba", 2), 3);
}

void unit_buf(void)
{
	RUN(edit_distance);
	RUN(dates_in_french_and_brussels);
	RUN(buf_grows);
	RUN(arena_allocates);
	RUN(html_escapes);
	RUN(html_escapes_every_position);
	RUN(utf8_validation);
	RUN(url_decoding);
	RUN(slugs_and_digits);
}

/* Line diffs: removals before additions, identical texts all "same", and a
 * refusal beyond the size limit. */
static void line_diff(void)
{
	json_t *d = diff_lines("ordre\nancien point\nfin", "ordre\nnouveau point\nfin\najout");
	const char *want[][2] = {{"same", "ordre"}, {"removed", "ancien point"},
				 {"added", "nouveau point"}, {"same", "fin"}, {"added", "ajout"}};
	CHECK_INT(json_array_size(d), 5);
	for (size_t i = 0; i < 5 && i < json_array_size(d); i++) {
		json_t *l = json_array_get(d, i);
		CHECK_STR(json_string_value(json_object_get(l, "op")), want[i][0]);
		CHECK_STR(json_string_value(json_object_get(l, "text")), want[i][1]);
	}
	json_decref(d);
	d = diff_lines("", "");
	CHECK_INT(json_array_size(d), 0);
	json_decref(d);
	struct buf big = {0};
	for (int i = 0; i < 3000; i++)
		buf_printf(&big, "ligne %d\n", i);
	CHECK(diff_lines(big.data, big.data) == NULL);
	buf_free(&big);
}

/* Runs the diff tests. */
void unit_diff(void)
{
	RUN(line_diff);
}
