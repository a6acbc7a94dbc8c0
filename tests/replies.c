/* replies.c — calendar replies as Thunderbird and Outlook write them (see
 * replies.h). */
#include "replies.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

/* Appends the VCALENDAR of reply r, lines ending in CRLF; outlook adds
 * what Exchange puts (its PRODID, a VTIMEZONE, CN and RSVP parameters). */
static void calendar(const struct reply *r, int outlook, struct buf *out)
{
	buf_printf(out, "BEGIN:VCALENDAR\r\nPRODID:%s\r\nVERSION:2.0\r\nMETHOD:REPLY\r\n",
		   outlook ? "Microsoft Exchange Server 2010"
			   : "-//Mozilla.org/NONSGML Mozilla Calendar V1.1//EN");
	if (outlook)
		buf_puts(out, "BEGIN:VTIMEZONE\r\nTZID:Romance Standard Time\r\nBEGIN:STANDARD\r\n"
			      "DTSTART:16010101T030000\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\n"
			      "RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=10\r\nEND:STANDARD\r\n"
			      "BEGIN:DAYLIGHT\r\nDTSTART:16010101T020000\r\nTZOFFSETFROM:+0100\r\n"
			      "TZOFFSETTO:+0200\r\nRRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=3\r\n"
			      "END:DAYLIGHT\r\nEND:VTIMEZONE\r\n");
	buf_puts(out, "BEGIN:VEVENT\r\n");
	if (outlook)
		buf_printf(out, "ATTENDEE;PARTSTAT=%s;CN=Partenaire:MAILTO:%s\r\n", r->partstat,
			   r->attendee);
	else
		buf_printf(out, "ATTENDEE;RSVP=TRUE;CN=Partenaire;PARTSTAT=%s;ROLE=REQ-PARTICIPANT:\r\n"
				" mailto:%s\r\n", r->partstat, r->attendee); /* a folded line */
	buf_printf(out, "ORGANIZER;CN=Maillage:mailto:maillage@localhost.localdomain\r\n"
			"UID:%s\r\nSEQUENCE:%lld\r\nDTSTAMP:20300601T080000Z\r\n"
			"SUMMARY;LANGUAGE=fr-BE:%s : Réunion\r\n"
			"DTSTART;TZID=%s:20300615T093000\r\nDTEND;TZID=%s:20300615T120000\r\n"
			"END:VEVENT\r\nEND:VCALENDAR\r\n",
		   r->uid, r->sequence, outlook ? "Accepté" : "Réponse",
		   outlook ? "Romance Standard Time" : "Europe/Brussels",
		   outlook ? "Romance Standard Time" : "Europe/Brussels");
}

/* Appends s in base64, 76 characters a line. */
static void base64(const char *s, size_t n, struct buf *out)
{
	size_t size = sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_ORIGINAL);
	char *b = malloc(size);
	sodium_bin2base64(b, size, (const unsigned char *)s, n, sodium_base64_VARIANT_ORIGINAL);
	for (size_t i = 0, len = strlen(b); i < len; i += 76)
		buf_printf(out, "%.76s\r\n", b + i);
	free(b);
}

/* Appends Thunderbird's reply. */
void reply_thunderbird(const struct reply *r, struct buf *out)
{
	struct buf cal = {0};
	calendar(r, 0, &cal);
	buf_printf(out, "From: Partenaire <%s>\r\nTo: maillage@localhost.localdomain\r\n"
			"Subject: =?UTF-8?Q?R=C3=A9ponse_=C3=A0_l=27invitation?=\r\n"
			"Message-ID: <tb-%lld-%s@thunderbird.test>\r\nMIME-Version: 1.0\r\n"
			"User-Agent: Mozilla Thunderbird\r\nContent-Type: multipart/mixed;\r\n"
			" boundary=\"------------tb0123456789\"\r\n\r\n"
			"This is a multi-part message in MIME format.\r\n"
			"--------------tb0123456789\r\nContent-Type: text/plain; charset=UTF-8\r\n"
			"Content-Transfer-Encoding: 8bit\r\n\r\n"
			"Partenaire a répondu à votre invitation.\r\n\r\n"
			"--------------tb0123456789\r\nContent-Type: text/calendar; charset=UTF-8; "
			"method=REPLY\r\nContent-Transfer-Encoding: 8bit\r\n\r\n%s\r\n"
			"--------------tb0123456789\r\nContent-Type: application/ics; name=\"invite.ics\"\r\n"
			"Content-Disposition: attachment; filename=\"invite.ics\"\r\n"
			"Content-Transfer-Encoding: base64\r\n\r\n",
		   r->from, r->sequence, r->partstat, buf_str(&cal));
	base64(cal.data, cal.len, out);
	buf_puts(out, "\r\n--------------tb0123456789--\r\n");
	buf_free(&cal);
}

/* Appends Outlook's reply. */
void reply_outlook(const struct reply *r, struct buf *out)
{
	struct buf cal = {0};
	calendar(r, 1, &cal);
	buf_printf(out, "From: Partenaire <%s>\r\nTo: Maillage <maillage@localhost.localdomain>\r\n"
			"Subject: =?utf-8?B?QWNjZXB0w6k6IFLDqXVuaW9u?=\r\nThread-Topic: Réunion\r\n"
			"Message-ID: <ol-%lld-%s@outlook.test>\r\nContent-Language: fr-BE\r\n"
			"X-MS-Has-Attach:\r\nMIME-Version: 1.0\r\nContent-Type: multipart/alternative;\r\n"
			"\tboundary=\"_000_OL0123_\"\r\n\r\n--_000_OL0123_\r\n"
			"Content-Type: text/plain; charset=\"utf-8\"\r\nContent-Transfer-Encoding: base64\r\n\r\n",
		   r->from, r->sequence, r->partstat);
	base64("\r\n", 2, out);
	buf_puts(out, "\r\n--_000_OL0123_\r\nContent-Type: text/html; charset=\"utf-8\"\r\n"
		      "Content-Transfer-Encoding: quoted-printable\r\n\r\n<html><body></body></html>\r\n"
		      "\r\n--_000_OL0123_\r\nContent-Type: text/calendar; charset=\"utf-8\"; "
		      "method=REPLY\r\nContent-Transfer-Encoding: base64\r\n\r\n");
	base64(cal.data, cal.len, out);
	buf_puts(out, "\r\n--_000_OL0123_--\r\n");
	buf_free(&cal);
}

/* Appends an ordinary mail. */
void reply_plain(const char *from, struct buf *out)
{
	buf_printf(out, "From: <%s>\r\nTo: maillage@localhost.localdomain\r\nSubject: Question\r\n"
			"MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n"
			"Bonjour, la salle est-elle accessible en chaise roulante ?\r\n", from);
}
