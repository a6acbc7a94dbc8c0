/* text.h — byte-level text helpers: UTF-8, percent-decoding, slugs. */
#ifndef MAILLAGE_TEXT_H
#define MAILLAGE_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* Tells whether s[0..n) is valid UTF-8 (no overlongs, no surrogates). */
bool text_utf8_valid(const char *s, size_t n);
/* Decodes %XX escapes (and '+' as space when plus is set) of s[0..n) in place
 * into dst (at least n+1 bytes); returns the decoded length, or -1 when the
 * result holds a NUL byte or invalid UTF-8. */
long text_url_decode(char *dst, const char *s, size_t n, bool plus);
/* Tells whether s is a slug: 1 to 80 of [a-z0-9-], not starting with '-'. */
bool text_is_slug(const char *s);
/* Tells whether s is made of 1 to 18 decimal digits. */
bool text_is_digits(const char *s);
/* Compares two strings in time independent of where they differ. */
bool text_equal_ct(const char *a, const char *b);

#endif
