/* poll.h — date polls: a coordinator proposes slots to a body's members,
 * who answer yes / si nécessaire / non by a personal link (no account
 * needed) or from the body's page; the results put the slots that bring
 * the most people and organisations first; choosing one makes the meeting
 * and sends its invitation. */
#ifndef MAILLAGE_POLL_H
#define MAILLAGE_POLL_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "check.h"

#define POLL_SLOTS_MIN 2
#define POLL_SLOTS_MAX 30
#define POLL_TOKEN 43 /* characters of a link's token: 32 random bytes, base64url */

/* A proposed slot as the form gives it: a day and its hours. */
struct poll_slot_in {
	const char *date, *start, *end; /* YYYY-MM-DD, HH:MM, HH:MM (Brussels time) */
};

/* A poll as the form gives it. */
struct poll_in {
	long long body_id;
	const char *title, *place, *video, *note, *closes; /* closes: its last day */
	bool show_answers;
	struct poll_slot_in slots[POLL_SLOTS_MAX + 1];
	size_t nslots; /* the filled ones; more than POLL_SLOTS_MAX is refused */
};

/* Notes the problems of p in c (fields: title, place, video, note, closes,
 * slots, date-N for the Nth slot: the input its problem points to). */
void poll_rules(const struct poll_in *p, struct check *c);
/* Creates the poll of p by user_id: its slots, a voter for each address of
 * the body's members, and each voter's mail with a personal link (in the
 * outbox, same transaction); audited. The poll's id, or -1. */
long long poll_create(const struct poll_in *p, long long user_id);
/* Returns the voter a link's token names: {id, poll_id, email, comment,
 * organisation, open} (open: the poll still takes answers), or NULL (new
 * reference). */
json_t *poll_voter_by_token(const char *token);
/* Returns the voter row of user_id (by the account's address) in poll_id
 * when the account's organisation is a member of the poll's body, as
 * poll_voter_by_token does; a missing row is made with make, else given
 * with id 0 (reading a form writes nothing); or NULL (new reference). */
json_t *poll_voter_of_user(long long poll_id, long long user_id, bool make);
/* Tells whether answer is one of yes, maybe, no. */
bool poll_answer_ok(const char *answer);
/* Records the answers of voter_id (an object: slot id as text -> yes,
 * maybe or no; every slot of the poll must have one) and comment, by
 * user_id (0 for a link); audited. 0, 1 when something is missing or
 * wrong (nothing changed), -1 on failure. */
int poll_answer(long long voter_id, json_t *answers, const char *comment, long long user_id);
/* Returns the poll alone (title, place, closes, show_answers, state…)
 * (new reference), or NULL. */
json_t *poll_row(long long poll_id);
/* Returns the poll with its slots, best first (most yes, then most « si
 * nécessaire », then most organisations represented by a yes or a « si
 * nécessaire »), each with its counts, its people by answer and its
 * organisations; "voters", "answered" and "silent" (those who have not
 * answered) (new reference), or NULL. */
json_t *poll_results(long long poll_id);
/* Closes poll_id with slot_id by user_id: makes the planned meeting (the
 * poll's title, place, video, the slot's times), gives each voter who
 * answered that slot the expected answer (yes: accepted, maybe: tentative,
 * no: declined), and sends the invitation; audited. The meeting's id, 0
 * when the poll or slot is not one to close, -1 on failure. */
long long poll_close(long long poll_id, long long slot_id, long long user_id);
/* The day's work: reminds, once, those who have not answered a poll that
 * closes in two days or less; closes the polls past their last day and
 * tells their author. How many mails, or -1. */
int poll_daily(void);

#endif
