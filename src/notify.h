/* notify.h — what the network is told: meeting invitations, their updates
 * and cancellations, approved minutes, motion steps (webhooks).
 * Everything is written to the outbox (mail.c) inside the
 * caller's transaction, so that a message exists exactly when its change
 * does. */
#ifndef MAILLAGE_NOTIFY_H
#define MAILLAGE_NOTIFY_H

#include <jansson.h>
#include <stdbool.h>

#include "buf.h"

/* The site's public address for links in mails and calendars (no slash
 * at the end); set by the server from --base-url or its address. */
extern const char *notify_site;

/* Queues the invitation of meeting id to every contact of its body's
 * member organisations (text, HTML and an iCalendar REQUEST); returns
 * how many, or -1. */
int notify_invite(long long meeting_id, long long user_id);
/* Tells the network what a saved change of meeting id means, before being
 * its fields before the change (NULL for a new one): an update or a
 * cancellation of a meeting already invited, approved minutes (mails and
 * webhooks, never for an internal meeting); 0 or -1. */
int notify_meeting_saved(long long meeting_id, json_t *before);
/* Queues the webhooks of a motion's state change in a commune; 0 or -1. */
int notify_motion_state(long long motion_commune_id, const char *from, const char *to);

/* Queues the mail that brings account id its one-time password link
 * token: the welcome of a new account, or the new password it asked for
 * (welcome false); 0 or -1. */
int notify_password_link(long long id, const char *token, bool welcome);

/* Returns the addresses of body_id's member organisations, each once:
 * their active accounts, and their named contacts who receive the
 * invitations and have not unsubscribed: {email, token (a contact's
 * unsubscribe token, or NULL), org, uid, pid} (new reference). */
json_t *notify_member_addresses(long long body_id);
/* Queues the mail of poll p (its row: id, title, body, closes, place,
 * video, note) to address with its personal link token — the first one,
 * or the reminder — and, for a contact, its unsubscribe token (may be
 * NULL); 0 or -1. */
int notify_poll(json_t *p, const char *address, const char *unsubscribe, const char *token,
		bool reminder);
/* Queues to address (the poll's author) the news that poll p reached its
 * closing date without a slot chosen; 0 or -1. */
int notify_poll_closed(json_t *p, const char *address);

/* Appends meeting row m (id, title, start, end, place, video, status,
 * ics_sequence, body) as a VEVENT, with attendee when not NULL. */
void notify_vevent(struct buf *out, json_t *m, const char *attendee);
#define NOTIFY_UID_MAX 96 /* bytes of a meeting's iCalendar UID */
/* Writes into out the iCalendar UID of meeting id, « meeting-ID@HOST » with
 * the host of the site's address: what a calendar's reply names. */
void notify_uid(long long id, char out[NOTIFY_UID_MAX]);

#endif
