/* interp.h — interpellations: letters, motions followed commune by commune,
 * their events, the motions' state machine, the stale rule and the
 * follow-ups (« à relancer »). Every change goes through here, checked and
 * audited, whether it comes from the web or from an import. */
#ifndef MAILLAGE_INTERP_H
#define MAILLAGE_INTERP_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "check.h"

#define INTERP_MAX_TEXT (1u << 20)  /* bytes of a letter's or motion's text */
#define INTERP_MAX_NOTE 10000       /* bytes of an event's note */
#define INTERP_STALE_MONTHS 6       /* no activity for this long: stale */
#define INTERP_FOLLOWUP_DAYS 14     /* follow-ups due within this many days are listed */

/* Tells whether a motion may go from state from to state to in a commune. */
bool interp_transition_allowed(const char *from, const char *to);
/* Tells whether a motion in a commune is stale on day today (YYYY-MM-DD):
 * something happened there once (state not not_started), the council has
 * not decided (not adopted_council, rejected nor implementation), and
 * nothing for INTERP_STALE_MONTHS months since last (YYYY-MM-DD, or NULL). */
bool interp_is_stale(const char *state, const char *last, const char *today);

struct letter_in {
	const char *slug;       /* YYYY-MM-DD-words: its content file's name */
	const char *kind, *level, *status, *visibility;
	const char *title, *date, *addressees, *link, *next_followup;
	const char *text;       /* Markdown */
	long long body_id;      /* producing body, or 0 */
	json_t *signers;        /* organisation ids (array of integers) */
	json_t *communes;       /* commune NIS codes (array of integers) */
};

/* Returns NULL when l can be saved, else what is wrong (French) and, in
 * *field, the field at fault. */
const char *interp_letter_check(const struct letter_in *l, const char **field);
/* Notes in c every problem of l, in the order of its form. */
void interp_letter_rules(const struct letter_in *l, struct check *c);
/* Creates (id 0) or updates letter id on behalf of user_id (0: an import),
 * in one transaction: text rendered, co-signers and communes replaced,
 * change audited; nothing written when nothing changed. Returns its id or -1. */
long long interp_letter_save(long long id, const struct letter_in *l, long long user_id);

struct motion_in {
	const char *slug;       /* its address and content file's name (new ones) */
	const char *title, *visibility;
	const char *text;       /* Markdown */
	long long body_id;      /* the body that carries it, or 0 */
	json_t *promoters;      /* organisation ids (array of integers) */
	json_t *communes;       /* NIS codes of the communes concerned, or NULL: unchanged */
};

/* Returns NULL when m can be saved, else what is wrong (French) and, in
 * *field, the field at fault. */
const char *interp_motion_check(const struct motion_in *m, const char **field);
/* Notes in c every problem of m, in the order of its form. */
void interp_motion_rules(const struct motion_in *m, struct check *c);
/* Creates (id 0) or updates motion id on behalf of user_id, in one
 * transaction: text rendered, promoters replaced, the communes concerned
 * followed (a commune no longer listed leaves unless something already
 * happened there), change audited. Returns its id or -1. */
long long interp_motion_save(long long id, const struct motion_in *m, long long user_id);

struct event_in {
	long long letter_id;         /* the letter, or 0 */
	long long motion_id;         /* or the motion … */
	long long commune_nis;       /* … in this commune */
	const char *date, *kind, *note;
	const char *state;           /* a motion's new state, or NULL/"" for none */
	const char *next_step;       /* a motion's next step in the commune (NULL: kept) */
	const char *next_followup;   /* the next follow-up date ("" clears, NULL: kept) */
	long long meeting_id;        /* a meeting it relates to, or 0 */
};

/* Returns NULL when e can be added, else what is wrong (French) and the
 * field at fault; checks the motion's transition from its current state. */
const char *interp_event_check(const struct event_in *e, const char **field);
/* Notes in c every problem of e, in the order of its form. */
void interp_event_rules(const struct event_in *e, struct check *c);
/* Adds event e on behalf of user_id (0: an import), in one transaction:
 * the motion's state and next step or the letter's status and follow-up
 * follow, and the change is audited. Returns the event's id, or -1. */
long long interp_event_add(const struct event_in *e, long long user_id);

/* What the interpellation lists are filtered by (NULL or "" for any). */
struct interp_filter {
	const char *year, *level, *kind, *status;
	const char *signer;       /* an organisation's slug */
	long long commune;        /* a NIS code, or 0 */
};

/* Takes the body's name and slug out of a row (columns body, body_slug,
 * body_visibility; the last always goes) when the body is internal and a
 * reader of role may not see it. */
void interp_hide_inner_body(json_t *row, int role);
/* Returns the letters a reader of role and organisation org_id may see
 * that match f, newest first, rows {id, title, kind, kind_label, level,
 * level_label, status, status_label, date, date_fr, addressees, link, body,
 * body_slug, signers, communes, next_followup, modified, text_html,
 * last_date, last_note (of its latest event)}
 * (new reference, NULL on error). */
json_t *interp_letters(const struct interp_filter *f, int role, long long org_id, long limit,
		       long offset);
/* Returns the counts of those letters per year and level, rows {year,
 * level, level_label, count}, the newest year first (new reference). */
json_t *interp_letter_counts(const struct interp_filter *f, int role, long long org_id);

/* Returns every commune with the number of those letters concerning it,
 * rows {nis, name, count} by NIS code (new reference). */
json_t *interp_letter_communes(const struct interp_filter *f, int role, long long org_id);

/* Returns the follow-ups due by INTERP_FOLLOWUP_DAYS days from now, the
 * oldest first, as rows {kind, title, url, due, due_fr, overdue}: every one
 * when territory_id and body_id are 0, else those of letters body_id
 * produced or concerning a commune of territory_id, and of motions in the
 * communes of territory_id (new reference). */
json_t *interp_followups(long long territory_id, long long body_id);

#endif
