/* ical.c — iCalendar (RFC 5545): content lines folded at 75 octets,
 * TEXT values escaped, times in the Europe/Brussels time zone. */
#include "ical.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define ICAL_FOLD 75 /* octets of a content line before folding */

/* Appends one content line, folded at 75 octets between characters. */
static void line(struct buf *out, const char *s)
{
	size_t n = strlen(s), width = 0;
	for (size_t i = 0; i < n;) {
		size_t k = 1;
		while (i + k < n && ((unsigned char)s[i + k] & 0xC0) == 0x80)
			k++; /* one whole UTF-8 character */
		if (width + k > ICAL_FOLD) {
			buf_puts(out, "\r\n ");
			width = 1;
		}
		buf_append(out, s + i, k);
		width += k;
		i += k;
	}
	buf_puts(out, "\r\n");
}

/* Appends name:value with value escaped as TEXT (\ ; , and newlines). */
static void text(struct buf *out, const char *name, const char *value)
{
	if (!value || !*value)
		return;
	struct buf b = {0};
	buf_printf(&b, "%s:", name);
	for (const char *p = value; *p; p++) {
		if (*p == '\\' || *p == ';' || *p == ',')
			buf_printf(&b, "\\%c", *p);
		else if (*p == '\n')
			buf_puts(&b, "\\n");
		else if ((unsigned char)*p >= 32 && *p != 127)
			buf_putc(&b, *p);
	}
	line(out, buf_str(&b));
	buf_free(&b);
}

/* Appends a property whose value is given as printf arguments. */
static void prop(struct buf *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void prop(struct buf *out, const char *fmt, ...)
{
	struct buf b = {0};
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	line(out, buf_str(&b));
	buf_free(&b);
}

/* Starts a calendar with the Europe/Brussels time zone. */
void ical_begin(struct buf *out, const char *method, const char *name)
{
	line(out, "BEGIN:VCALENDAR");
	line(out, "VERSION:2.0");
	line(out, "PRODID:-//Maillage//Maillage//FR");
	line(out, "CALSCALE:GREGORIAN");
	if (method)
		prop(out, "METHOD:%s", method);
	text(out, "X-WR-CALNAME", name);
	line(out, "X-WR-TIMEZONE:Europe/Brussels");
	line(out, "BEGIN:VTIMEZONE");
	line(out, "TZID:Europe/Brussels");
	line(out, "BEGIN:DAYLIGHT");
	line(out, "TZOFFSETFROM:+0100");
	line(out, "TZOFFSETTO:+0200");
	line(out, "TZNAME:CEST");
	line(out, "DTSTART:19700329T020000");
	line(out, "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU");
	line(out, "END:DAYLIGHT");
	line(out, "BEGIN:STANDARD");
	line(out, "TZOFFSETFROM:+0200");
	line(out, "TZOFFSETTO:+0100");
	line(out, "TZNAME:CET");
	line(out, "DTSTART:19701025T030000");
	line(out, "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU");
	line(out, "END:STANDARD");
	line(out, "END:VTIMEZONE");
}

/* Appends name as a local time ("YYYY-MM-DDTHH:MM") or a date. */
static void when(struct buf *out, const char *name, const char *iso, int days_after)
{
	int y, m, d, h = 0, mi = 0;
	if (!iso || sscanf(iso, "%4d-%2d-%2d", &y, &m, &d) != 3)
		return;
	if (strlen(iso) >= 16 && sscanf(iso + 11, "%2d:%2d", &h, &mi) == 2) {
		prop(out, "%s;TZID=Europe/Brussels:%04d%02d%02dT%02d%02d00", name, y, m, d, h, mi);
		return;
	}
	struct tm tm = {.tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d + days_after, .tm_hour = 12};
	timegm(&tm); /* normalises the day after */
	prop(out, "%s;VALUE=DATE:%04d%02d%02d", name, tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

/* Appends one event. */
void ical_event(struct buf *out, const struct ical_event *e)
{
	line(out, "BEGIN:VEVENT");
	text(out, "UID", e->uid);
	prop(out, "SEQUENCE:%lld", e->sequence);
	prop(out, "DTSTAMP:%s", e->stamp);
	when(out, "DTSTART", e->start, 0);
	bool timed = e->start && strlen(e->start) >= 16;
	if (e->end && *e->end)
		when(out, "DTEND", e->end, 0);
	else if (timed)
		line(out, "DURATION:PT2H");
	else
		when(out, "DTEND", e->start, 1);
	text(out, "SUMMARY", e->summary);
	text(out, "DESCRIPTION", e->description);
	text(out, "LOCATION", e->location);
	if (e->url && *e->url)
		prop(out, "URL:%s", e->url);
	if (e->organizer)
		prop(out, "ORGANIZER;CN=Maillage:mailto:%s", e->organizer);
	if (e->attendee)
		prop(out, "ATTENDEE;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:%s", e->attendee);
	line(out, e->cancelled ? "STATUS:CANCELLED" : "STATUS:CONFIRMED");
	line(out, "END:VEVENT");
}

/* Ends the calendar. */
void ical_end(struct buf *out)
{
	line(out, "END:VCALENDAR");
}

/* Writes the current UTC time as an iCalendar stamp. */
void ical_now(char out[17])
{
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(out, 17, "%Y%m%dT%H%M%SZ", &tm);
}
