/* test_mailin.c — reading calendars' replies out of messages: what
 * Thunderbird and Outlook send is understood; anything else (an ordinary
 * mail, a request, no decision, several attendees, broken MIME, huge or
 * deeply nested messages, control bytes) is refused with its reason. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/buf.h"
#include "../../src/mailin.h"
#include "../replies.h"
#include "../test.h"
#include "unit.h"

#define UID "meeting-7@maillage.example.org"

/* Parses message m; returns mailin_parse's verdict, with why. */
static int parse(const struct buf *m, struct mailin_reply *r, const char **why)
{
	*why = NULL;
	return mailin_parse(m->data ? m->data : "", m->len, r, why);
}

/* Both mail readers' replies give the UID, the attendee (lower-cased, the
 * folded line and the upper-case MAILTO: read), the sender, the SEQUENCE
 * and the decision. */
static void mailin_readers(void)
{
	struct reply tb = {"Contact@ASBL-B.test", "Contact@ASBL-B.test", UID, 2, "ACCEPTED"};
	struct reply ol = {"membre@asbl-a.test", "membre@asbl-a.test", UID, 0, "DECLINED"};
	struct buf m = {0};
	struct mailin_reply r;
	const char *why;
	reply_thunderbird(&tb, &m);
	CHECK_INT(parse(&m, &r, &why), 0);
	CHECK_STR(r.uid, UID);
	CHECK_STR(r.attendee, "contact@asbl-b.test");
	CHECK_STR(r.from, "contact@asbl-b.test");
	CHECK_STR(r.answer, "accepted");
	CHECK_INT(r.sequence, 2);
	buf_reset(&m);
	reply_outlook(&ol, &m);
	CHECK_INT(parse(&m, &r, &why), 0);
	CHECK_STR(r.attendee, "membre@asbl-a.test");
	CHECK_STR(r.answer, "declined");
	CHECK_INT(r.sequence, 0);
	buf_reset(&m);
	ol.partstat = "TENTATIVE";
	reply_outlook(&ol, &m);
	CHECK_INT(parse(&m, &r, &why), 0);
	CHECK_STR(r.answer, "tentative");
	buf_free(&m);
}

/* Replaces the first "from" of m by "to" (a reply spoiled on purpose). */
static void spoil(struct buf *m, const char *from, const char *to)
{
	char *at = strstr(m->data, from);
	if (!at)
		return;
	struct buf b = {0};
	buf_append(&b, m->data, (size_t)(at - m->data));
	buf_puts(&b, to);
	buf_puts(&b, at + strlen(from));
	buf_reset(m);
	buf_append(m, b.data, b.len);
	buf_free(&b);
}

/* What is not a usable reply says why: an ordinary mail, a request, no
 * decision, no UID, two attendees. */
static void mailin_not_replies(void)
{
	struct reply tb = {"contact@asbl-b.test", "contact@asbl-b.test", UID, 0, "ACCEPTED"};
	struct buf m = {0};
	struct mailin_reply r;
	const char *why;
	reply_plain("contact@asbl-b.test", &m);
	CHECK_INT(parse(&m, &r, &why), 1);
	CHECK(why && strstr(why, "sans calendrier"));
	struct {
		const char *from, *to, *why;
	} cases[] = {
		{"METHOD:REPLY\r\n", "METHOD:REQUEST\r\n", "pas une réponse"},
		{"PARTSTAT=ACCEPTED", "PARTSTAT=NEEDS-ACTION", "sans décision"},
		{"UID:" UID "\r\n", "", "sans UID"},
		{"BEGIN:VEVENT\r\n", "BEGIN:VEVENT\r\nATTENDEE;PARTSTAT=ACCEPTED:mailto:x@y.test\r\n",
		 "exactement un participant"},
		{"BEGIN:VEVENT", "BEGIN:VTODO", "sans événement"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		buf_reset(&m);
		tb.partstat = "ACCEPTED";
		reply_outlook(&tb, &m); /* base64: the spoiling is done on the 8-bit one */
		buf_reset(&m);
		reply_thunderbird(&tb, &m);
		char *att = strstr(m.data, "--------------tb0123456789\r\nContent-Type: application/ics");
		if (att) /* the attachment (base64) would still hold the good reply */
			m.len = (size_t)(att - m.data), m.data[m.len] = '\0';
		spoil(&m, cases[i].from, cases[i].to);
		CHECKF(parse(&m, &r, &why) == 1 && why && strstr(why, cases[i].why), "%s: %s",
		       cases[i].why, why ? why : "(accepté)");
	}
	buf_free(&m);
}

/* Hostile messages: empty, 10 Mo, broken MIME, a calendar of 10,000
 * attendees, a NUL byte in the calendar, multiparts nested 20,000 deep,
 * invalid UTF-8 — each refused with a reason, none crashes. */
static void mailin_hostile(void)
{
	struct buf m = {0};
	struct mailin_reply r;
	const char *why;
	CHECK_INT(parse(&m, &r, &why), 1);
	CHECK(why && strstr(why, "vide"));
	char *big = malloc(10u << 20);
	memset(big, 'a', 10u << 20);
	CHECK_INT(mailin_parse(big, 10u << 20, &r, &why), 1);
	CHECK(why && strstr(why, "trop gros"));
	free(big);
	buf_puts(&m, "Content-Type: multipart/mixed; boundary=\"x\"\r\n\r\n--x\r\nContent-Type: "
		     "text/calendar\r\nContent-Transfer-Encoding: base64\r\n\r\n@@@@\r\n--x\r\n"
		     "Content-Type: text/calendar; method=REPLY\r\n\r\nBEGIN:VCALENDAR\r\nBEGIN:VEV");
	CHECK_INT(parse(&m, &r, &why), 1);
	buf_reset(&m); /* an empty calendar part (found by the fuzzer) */
	buf_puts(&m, "From: a@b.test\r\nContent-Type: text/calendar; method=REPLY\r\n\r\n");
	CHECK_INT(parse(&m, &r, &why), 1);
	CHECK(why && strstr(why, "calendrier illisible"));
	buf_reset(&m);
	buf_puts(&m, "From: a@b.test\r\nContent-Type: text/calendar; method=REPLY\r\n\r\n"
		     "BEGIN:VCALENDAR\r\nMETHOD:REPLY\r\nBEGIN:VEVENT\r\nUID:" UID "\r\n");
	for (int i = 0; i < 10000; i++)
		buf_printf(&m, "ATTENDEE;PARTSTAT=ACCEPTED:mailto:p%d@asbl.test\r\n", i);
	buf_puts(&m, "END:VEVENT\r\nEND:VCALENDAR\r\n");
	CHECK_INT(parse(&m, &r, &why), 1);
	CHECK(why && strstr(why, "trop grande"));
	buf_reset(&m);
	buf_puts(&m, "From: a@b.test\r\nContent-Type: text/calendar; method=REPLY\r\n\r\n"
		     "BEGIN:VCALENDAR\r\nMETHOD:REPLY\r\nBEGIN:VEVENT\r\nUID:" UID);
	buf_append(&m, "\0\r\n", 3);
	buf_puts(&m, "ATTENDEE;PARTSTAT=ACCEPTED:mailto:a@b.test\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n");
	CHECK_INT(parse(&m, &r, &why), 1);
	CHECK(why && strstr(why, "octet nul"));
	buf_reset(&m);
	for (int i = 0; i < 20000; i++)
		buf_printf(&m, "Content-Type: multipart/mixed; boundary=\"b%d\"\r\n\r\n--b%d\r\n", i, i);
	buf_puts(&m, "Content-Type: text/plain\r\n\r\nfond\r\n");
	CHECK_INT(parse(&m, &r, &why), 1);
	buf_reset(&m);
	buf_puts(&m, "From: \xff\xfe@b.test\r\nContent-Type: text/calendar; method=REPLY\r\n\r\n"
		     "BEGIN:VCALENDAR\r\nMETHOD:REPLY\r\nBEGIN:VEVENT\r\nUID:\xc3\x28\r\n"
		     "ATTENDEE;PARTSTAT=DECLINED:mailto:\x01\x7f@b.test\r\nEND:VEVENT\r\n"
		     "END:VCALENDAR\r\n");
	int rc = parse(&m, &r, &why);
	CHECK(rc == 1 || (rc == 0 && strcmp(r.from, r.attendee) != 0)); /* never matches anyone */
	buf_free(&m);
}

/* Runs the mail-in tests. */
void unit_mailin(void)
{
	RUN(mailin_readers);
	RUN(mailin_not_replies);
	RUN(mailin_hostile);
}
