/* text.h — byte-level text helpers: UTF-8, percent-decoding, slugs. */
#ifndef MAILLAGE_TEXT_H
#define MAILLAGE_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"

/* Tells whether s[0..n) is valid UTF-8 (no overlongs, no surrogates). */
bool text_utf8_valid(const char *s, size_t n);
/* Decodes %XX escapes (and '+' as space when plus is set) of s[0..n) in place
 * into dst (at least n+1 bytes); returns the decoded length, or -1 when the
 * result holds a NUL byte or invalid UTF-8. */
long text_url_decode(char *dst, const char *s, size_t n, bool plus);
/* Decodes %XX escapes (and '+' as space when plus is set) of s[0..n) into
 * dst (at least n+1 bytes), whatever bytes they give; returns the length. */
size_t text_url_unescape(char *dst, const char *s, size_t n, bool plus);
/* Tells whether s is a slug: 1 to 80 of [a-z0-9-], not starting with '-'. */
bool text_is_slug(const char *s);
/* Tells whether s is made of 1 to 18 decimal digits. */
bool text_is_digits(const char *s);
/* Decodes the UTF-8 sequence at s (n bytes left) into *cp; returns its
 * length (1 for an invalid byte, decoded as U+FFFD). */
size_t text_utf8_next(const char *s, size_t n, unsigned *cp);
/* Appends the UTF-8 encoding of code point cp (U+FFFD when invalid). */
void text_utf8_put(struct buf *out, unsigned cp);
/* Returns the lower-case ASCII spelling of a Latin letter (é → "e", œ → "oe"),
 * or NULL for anything else. */
const char *text_fold(unsigned cp);
/* Appends a readable slug of s[0..n): accents folded, lower case, words
 * joined by '-', at most max bytes; nothing when s has no letter or digit. */
void text_slugify(struct buf *out, const char *s, size_t n, size_t max);
/* Returns a malloc'd, NUL-terminated copy of s[0..n); aborts when out of memory. */
char *text_dup(const char *s, size_t n);
/* Appends an ISO date or date-time ("2020-09-29" or "2020-09-29T09:30") in
 * French: "29 septembre 2020" (", 9 h 30" or ", 14 h" when a time is given;
 * a UTC stamp ending in Z is given in Brussels time). */
void text_date_fr(struct buf *out, const char *iso);
/* Appends when something runs: "12 mars 2026, 14 h – 16 h" the same day,
 * both dates across days, the start alone without an end (or NULL). */
void text_span_fr(struct buf *out, const char *start, const char *end);
/* Tells whether s[0..10) is a real calendar date YYYY-MM-DD. */
bool text_is_date(const char *s);
/* Tells whether s[0..5) is a real hour of the day HH:MM. */
bool text_is_hour(const char *s);
/* Compares two strings in time independent of where they differ. */
bool text_equal_ct(const char *a, const char *b);

/* Counts the characters (code points) of the UTF-8 text s[0..n). */
size_t text_utf8_count(const char *s, size_t n);
/* Returns the 32-bit FNV-1a hash of s[0..n). */
uint32_t text_hash(const char *s, size_t n);
/* Returns the edit distance between a and b (two neighbours swapped count
 * as one; letters compared without case; strings of at most 64 bytes), or
 * max + 1 when greater than max. */
size_t text_distance(const char *a, const char *b, size_t max);

/* Appends a count with its noun in French: "1 adresse", "3 adresses" (0
 * and 1 take the singular). */
void text_count(struct buf *out, long long n, const char *one, const char *many);
/* Returns what the system error e means, in French for the usual ones. */
const char *text_errno(int e);

#endif
