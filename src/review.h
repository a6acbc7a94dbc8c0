/* review.h — a body's own words for a year of the annual report: its
 * « Bilan » and its « Perspectives », in Markdown, written by the
 * coordinators. Every save keeps the earlier text: the last version of a
 * body and year is the text, the others its history. */
#ifndef MAILLAGE_REVIEW_H
#define MAILLAGE_REVIEW_H

#include <jansson.h>

#include "check.h"

#define REVIEW_MAX 50000 /* bytes of each text: a bilan is a few paragraphs */

/* Notes the problems of a bilan and its perspectives in c (fields: bilan,
 * perspectives). */
void review_rules(const char *bilan, const char *perspectives, struct check *c);
/* Saves the bilan and perspectives of body for year by user_id (0: an
 * import), rendered under the body's visibility, as a new version when they
 * differ from the current one; audited. 1 saved, 0 unchanged, -1 on error. */
int review_save(long long body, int year, const char *bilan, const char *perspectives,
		long long user_id);
/* Returns the current version of body's year ({id, year, bilan,
 * bilan_html, perspectives, perspectives_html, created, author}) or NULL
 * when there is none (new reference). */
json_t *review_current(long long body, int year);
/* Returns every version of body's year, newest first, as review_current
 * (new reference), or NULL on error. */
json_t *review_history(long long body, int year);
/* Returns the current version of every year of body, newest year first
 * (new reference), or NULL on error. */
json_t *review_years(long long body);
/* Returns {body id: current version} of every body for year (new
 * reference), or NULL on error. */
json_t *review_of_year(int year);

#endif
