/* mailin.h — the answers calendars mail back. Thunderbird, Outlook and
 * phones answer an invitation's « Accepter / Peut-être / Refuser » with a
 * message holding an iCalendar METHOD:REPLY (RFC 5546, RFC 6047); such a
 * message (MIME read with GMime, the calendar with libical) whose UID,
 * attendee and SEQUENCE match an invitation sets that invitee's answer,
 * as the mail's links do. Anything else is left for a person to read. */
#ifndef MAILLAGE_MAILIN_H
#define MAILLAGE_MAILIN_H

#include <stddef.h>

#define MAILIN_MAX (4u << 20)       /* bytes of a message read at most */
#define MAILIN_CALENDAR_MAX (256u << 10) /* bytes of its iCalendar part */
#define MAILIN_ADDRESS_MAX 256      /* bytes of an address, with its NUL */

/* What a calendar's reply says. */
struct mailin_reply {
	char uid[200];                      /* the event's UID */
	char attendee[MAILIN_ADDRESS_MAX];  /* who answers, lower-cased */
	char from[MAILIN_ADDRESS_MAX];      /* the message's sender, lower-cased */
	const char *answer;                 /* accepted, tentative or declined */
	long long sequence;                 /* the invitation's SEQUENCE it answers */
};

/* Prepares GMime and libical; called once before any thread reads mail. */
void mailin_init(void);
/* Reads message data[0..len): 0 with r filled when it holds a calendar's
 * reply, 1 with why (in French) when it does not. */
int mailin_parse(const char *data, size_t len, struct mailin_reply *r, const char **why);
/* Sets the answer reply r gives: 0 when recorded (or already so), 1 with
 * why when it matches no invitation (unknown UID, attendee not invited,
 * another SEQUENCE, another sender, meeting over), -1 on a database
 * failure. */
int mailin_apply(const struct mailin_reply *r, const char **why);
/* Reads and applies one message, logging what became of it (source says
 * where it came from); 0 taken, 1 left with why, -1 on failure. */
int mailin_message(const char *data, size_t len, const char *source, const char **why);

#endif
