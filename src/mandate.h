/* mandate.h — the centre's mandates (« Participations institutionnelles »):
 * the organisations outside the network where it sits, in which seat
 * (conseil d'administration, assemblée générale, comité de pilotage…), at
 * which level (regional, provincial, local) and for which communes, who
 * represents it, from and until when. */
#ifndef MAILLAGE_MANDATE_H
#define MAILLAGE_MANDATE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "check.h"

#define MANDATE_COMMUNES_MAX 64 /* the province has 38 */

/* A mandate as a form or a content/ row gives it. */
struct mandate_in {
	const char *organisation;   /* the organisation's slug */
	const char *seat, *level;   /* vocab_mandate_seats, vocab_mandate_levels */
	const char *representative; /* who sits for the centre (a function or a name) */
	const char *note;           /* a sentence on the mandate */
	const char *start, *end;    /* YYYY-MM-DD, or empty when not known / still running */
	long long communes[MANDATE_COMMUNES_MAX]; /* NIS codes */
	size_t ncommunes;	    /* more than MANDATE_COMMUNES_MAX is refused */
};

/* Notes the problems of m in c (fields: organisation, seat, level,
 * representative, note, start, end, communes). */
void mandate_rules(const struct mandate_in *m, struct check *c);
/* Saves m as mandate id (0: a new one) by user_id (0: an import), its
 * communes replaced; audited. The mandate's id, or -1. */
long long mandate_save(long long id, const struct mandate_in *m, long long user_id);
/* Tells whether mandate id says exactly what m says. */
bool mandate_same(long long id, const struct mandate_in *m);
/* Marks mandate id deleted by user_id; audited. 1, 0 when there is no such
 * mandate, or -1. */
int mandate_delete(long long id, long long user_id);
/* Returns the live mandate of organisation (a slug) in seat, or 0. */
long long mandate_find(const char *organisation, const char *seat);
/* Returns the mandates in force some day of [from, to) (NULL: every one;
 * ended ones too when ended is set), by level: [{level, label, mandates:
 * [{id, organisation, organisation_slug, seat, seat_label, communes,
 * representative, note, start, end, since, until}]}], the representative
 * and note only when private is set (new reference), or NULL. */
json_t *mandate_list(const char *from, const char *to, bool ended, bool private);

#endif
