/* rsvp.h — who comes to a meeting: each invitee's answer (à confirmer, Je
 * viens, Peut-être, Je ne viens pas), given by a signed link of the
 * invitation (no login), on the meeting page, or by a calendar's reply. */
#ifndef MAILLAGE_RSVP_H
#define MAILLAGE_RSVP_H

#include <jansson.h>
#include <stdbool.h>

#define RSVP_TOKEN_MAX 64 /* a link's token: the row's number, a dot, its signature */
/* SQL: meeting m may still be answered (planned, not deleted, not over). */
#define RSVP_OPEN_SQL \
	"(m.deleted = 0 AND m.status = 'planned' AND date(coalesce(nullif(m.end, ''), " \
	"m.start)) >= date('now'))"

/* Returns the row of meeting_id for address email, made « à confirmer »
 * for organisation, user and person (0 for none) when missing, its
 * organisation kept up to date otherwise; -1 on failure. */
long long rsvp_invite(long long meeting_id, const char *email, long long organisation_id,
		      long long user_id, long long person_id);
/* Writes into out the signed token of row id (what the mail's links
 * carry); 0 or -1. */
int rsvp_token(long long id, char out[RSVP_TOKEN_MAX]);
/* Returns the row a token names when its signature holds, else 0. */
long long rsvp_verify(const char *token);
/* Tells whether answer is one a person gives (accepted, tentative,
 * declined). */
bool rsvp_answer_ok(const char *answer);
/* Returns row id with its meeting (title, start, end, place, video, body,
 * status) and whether it may still be answered (open: the meeting is
 * planned, not deleted, not over), or NULL (new reference). */
json_t *rsvp_row(long long id);
/* Records answer for row id, given via (link, page, calendar) to the
 * invitation of SEQUENCE sequence (-1: the current one), by user_id (0
 * for none); audited. 1 when it changed, 0 when it was already so, -1 on
 * failure. */
int rsvp_set(long long id, const char *answer, const char *via, long long sequence,
	     long long user_id);
/* Puts every answer of meeting_id back to « à confirmer » (its date or
 * place changed); how many, or -1. */
int rsvp_reset(long long meeting_id);
/* Returns the answers of meeting_id by member organisation: {organisation,
 * accepted, tentative, declined, invited}, and "silent", those who have not
 * answered ({name, organisation}) (new reference). */
json_t *rsvp_summary(long long meeting_id);

#endif
