/* report.h — the year's figures for the centre's annual activity report
 * (« Chiffres clés »): meetings held and cancelled, the share online,
 * presences and distinct organisations present, actions opened, closed
 * and overdue at year end, letters by level, communes by the motion's
 * state at 31 December — each with the year before — counted by a few
 * grouped queries under the visibility rule of the reader. */
#ifndef MAILLAGE_REPORT_H
#define MAILLAGE_REPORT_H

#include <jansson.h>

#include "buf.h"

#define REPORT_YEAR_MIN 1990 /* years a report may be asked for */
#define REPORT_YEAR_MAX 2100

/* Returns the key figures of year for a reader of role and organisation
 * org (0 for none): an array of {key, label, value, previous} in the
 * report's order, previous being the year before's (new reference), or
 * NULL on a database failure. */
json_t *report_figures(int year, int role, long long org);
/* Appends the figures as CSV (indicateur, année, valeur, année
 * précédente) to out. */
void report_csv(int year, json_t *figures, struct buf *out);
/* Appends the figures as a Markdown table to out. */
void report_markdown(int year, json_t *figures, struct buf *out);

#endif
