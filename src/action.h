/* action.h — the actions of the minutes after the minutes: each keeps its
 * origin (its meeting, its line and text) while its state, due date and
 * owner change on the web, audited, without touching the approved text. */
#ifndef MAILLAGE_ACTION_H
#define MAILLAGE_ACTION_H

#include <jansson.h>
#include <stdbool.h>

#include "check.h"
#include "markdown.h"
#include "req.h"

/* A change to an action; a NULL member keeps the current value. */
struct action_change {
	const char *state; /* "open", "done" or "cancelled" */
	const char *due;   /* "YYYY-MM-DD", or "" for no due date */
	const char *owner; /* an organisation's id, or "" for none */
};

/* Replaces the actions of meeting id with those of its minutes, keeping
 * what was changed on the web for an action whose text is unchanged; in
 * the caller's transaction. 0 or -1. */
int action_replace(long long meeting_id, const struct md_actions *a);
/* Returns action id with its meeting (title, visibility, body_id, deleted),
 * its owner organisation and who closed it, or NULL (new reference). */
json_t *action_get(long long id);
/* Tells whether user u may change action a (a row of action_get): the
 * coordination, and the accounts of the organisation that owns it. */
bool action_may_change(const struct user *u, const json_t *a);
/* Notes in k every problem of c (fields state, due, owner). */
void action_rules(const struct action_change *c, struct check *k);
/* Returns NULL when c can be applied, else what is wrong (French). */
const char *action_check(const struct action_change *c);
/* Applies c to action id on behalf of user_id, audited, in a transaction
 * of its own; 1 when something changed, 0 when nothing did, -1 on error. */
int action_change(long long id, const struct action_change *c, long long user_id);
/* Returns the actions a text writes, as the editor lists them under its
 * preview: line, text, owner, due (in French), done, and the warnings of
 * each in French (an owner that is no organisation, with the closest
 * acronyms; a word that looks like a date but is none; a due date before
 * today, "YYYY-MM-DD"). */
json_t *action_review(const struct md_actions *a, const char *today);

#endif
