/* replies.h — calendar replies written as mail readers write them (RFC
 * 5546 METHOD:REPLY carried by RFC 6047 iMIP), for the tests of mail-in:
 * Thunderbird's (multipart/mixed, the calendar in 8 bits and again as an
 * .ics attachment) and Outlook's (multipart/alternative, base64). */
#ifndef MAILLAGE_REPLIES_H
#define MAILLAGE_REPLIES_H

#include "../src/buf.h"

/* What a reply says. */
struct reply {
	const char *from;     /* the message's sender */
	const char *attendee; /* the ATTENDEE answering (usually from) */
	const char *uid;      /* the invitation's UID */
	long long sequence;   /* its SEQUENCE */
	const char *partstat; /* ACCEPTED, TENTATIVE, DECLINED… */
};

/* Appends to out the reply r as Thunderbird mails it. */
void reply_thunderbird(const struct reply *r, struct buf *out);
/* Appends to out the reply r as Outlook mails it. */
void reply_outlook(const struct reply *r, struct buf *out);
/* Appends an ordinary mail from sender (no calendar). */
void reply_plain(const char *from, struct buf *out);

#endif
