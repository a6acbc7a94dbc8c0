/* ical.h — iCalendar (RFC 5545) for meetings: feeds and invitations. */
#ifndef MAILLAGE_ICAL_H
#define MAILLAGE_ICAL_H

#include "buf.h"

/* One meeting as a VEVENT. Times are local to Europe/Brussels:
 * "YYYY-MM-DDTHH:MM", or "YYYY-MM-DD" for a whole day. */
struct ical_event {
	const char *uid;
	long long sequence;
	const char *start, *end;   /* end may be NULL */
	const char *summary, *description, *location, *url;
	const char *organizer;     /* an address, or NULL */
	const char *attendee;      /* an address, or NULL */
	const char *stamp;         /* when this was written, "YYYYMMDDTHHMMSSZ" */
	int cancelled;
};

/* Starts a calendar (METHOD when method is not NULL) with the Europe/Brussels
 * time zone, called name. */
void ical_begin(struct buf *out, const char *method, const char *name);
/* Appends one event. */
void ical_event(struct buf *out, const struct ical_event *e);
/* Ends the calendar. */
void ical_end(struct buf *out);
/* Writes the current UTC time as an iCalendar stamp. */
void ical_now(char out[17]);

#endif
