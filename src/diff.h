/* diff.h — line-by-line comparison of two texts, for the revision history. */
#ifndef MAILLAGE_DIFF_H
#define MAILLAGE_DIFF_H

#include <jansson.h>

#define DIFF_MAX_CELLS 4000000 /* lines(a) × lines(b) compared at most */

/* Returns the lines of b against a as a JSON array of {"op": "same" |
 * "added" | "removed", "text": line} (new reference), or NULL when the texts
 * are too long to compare line by line. */
json_t *diff_lines(const char *a, const char *b);

#endif
