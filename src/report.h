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

/* Returns the year s names (four digits, REPORT_YEAR_MIN to
 * REPORT_YEAR_MAX), or 0 when it cannot be a report's. */
int report_year(const char *s);

/* Returns the key figures of year for a reader of role and organisation
 * org (0 for none): an array of {key, label, value, previous} in the
 * report's order, previous being the year before's (new reference), or
 * NULL on a database failure. */
json_t *report_figures(int year, int role, long long org);
/* Returns the report's chapters for the same reader (new reference), or
 * NULL: "bodies", the platforms, working groups and local coordinations
 * with meetings that year, by kind ({kind, label, bodies: [{name, slug,
 * held, organisations, online, meetings: [{id, date, format, place,
 * status}]}]}), each organisation present counted once per body;
 * "instances", the other bodies (the board, its bureau) alike; "letters"
 * by level ({label, letters: [{slug, title, date, kind, status,
 * signers}]}); "motions" with their communes' state at 31 December
 * ({title, slug, communes: [{commune, state}]}). */
json_t *report_chapters(int year, int role, long long org);
/* Appends the figures as CSV (indicateur, année, valeur, année
 * précédente) to out. */
void report_csv(int year, json_t *figures, struct buf *out);
/* Appends the figures as a Markdown table to out. */
void report_markdown(int year, json_t *figures, struct buf *out);
/* Appends the whole report of year for the reader as Markdown (what
 * pandoc turns into ODT and DOCX): its title, the key figures, then the
 * chapters and the annexes; with images (a folder), its charts and maps
 * drawn there as PNG and put in as pictures. 0, or -1 on a database
 * failure. */
int report_document(int year, int role, long long org, const char *images, struct buf *out);

#define REPORT_NO_DATA (-2) /* report_convert: the database failed */

/* Appends the report of year for the reader as pandoc writes it, with its
 * charts and maps as pictures: format "odt" or "docx" for a word
 * processor, "html" for one page that holds everything. 0; 1 when pandoc
 * is not installed; -1 when it failed; REPORT_NO_DATA. */
int report_convert(int year, int role, long long org, const char *format, struct buf *out);

#endif
