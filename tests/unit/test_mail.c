/* test_mail.c — messages built safely (no header injection, RFC 2047
 * subjects, base64 lines), webhook addresses, and iCalendar and Atom
 * output by their RFCs' rules. */
#include <curl/curl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/buf.h"
#include "../../src/feed.h"
#include "../../src/ical.h"
#include "../../src/mail.h"
#include "../../src/text.h"
#include "../test.h"
#include "unit.h"

/* Tells whether every line of s ends with CRLF and is at most max octets. */
static bool lines_within(const char *s, size_t max)
{
	for (const char *p = s; *p;) {
		const char *e = strstr(p, "\r\n");
		if (!e || (size_t)(e - p) > max)
			return false;
		p = e + 2;
	}
	return true;
}

/* Titles, names and addresses cannot add a header; a French subject is
 * encoded and decodes back; every line is CRLF and short. */
static void mail_headers(void)
{
	struct mail_config cfg = {.from = "reseau@maillage.test"};
	struct buf err = {0}, out = {0};
	CHECK(mail_configure(&cfg, &err) == 0);
	struct mail_msg m = {.to = "a@b.test", .subject = "Réunion « été » : ordre du jour — 15 juin",
			     .text = "Bonjour\nligne 2", .html = "<p>Bonjour</p>"};
	CHECK(mail_build(&m, "<x@maillage.test>", &out) == 0);
	const char *s = buf_str(&out);
	CHECK(strstr(s, "\r\nSubject: =?UTF-8?B?") != NULL);
	CHECK(strstr(s, "To: <a@b.test>\r\n") && strstr(s, "Message-ID: <x@maillage.test>\r\n"));
	CHECK(strstr(s, "From: Maillage <reseau@maillage.test>\r\n") == s);
	CHECK(lines_within(s, 78));
	/* a mail reader decodes the subject and the text back */
	FILE *f = popen("/usr/bin/python3 -c 'import sys, email, email.policy; "
			"m = email.message_from_string(sys.stdin.read(), policy=email.policy.default); "
			"print(m[\"Subject\"]); print(m.get_body((\"plain\",)).get_content())' > "
			"/tmp/maillage-subject.txt", "w");
	CHECK(f != NULL);
	if (f) {
		fputs(s, f);
		pclose(f);
	}
	struct buf back = {0};
	buf_read_file(&back, "/tmp/maillage-subject.txt");
	CHECK(strncmp(buf_str(&back), "Réunion « été » : ordre du jour — 15 juin\nBonjour\nligne 2",
		      strlen("Réunion « été » : ordre du jour — 15 juin\nBonjour\nligne 2")) == 0);
	buf_free(&back);
	remove("/tmp/maillage-subject.txt");
	const char *bad_subjects[] = {"a\r\nBcc: x@y.test", "a\nBcc: x@y.test", "a\rb"};
	for (size_t i = 0; i < 3; i++) {
		buf_reset(&out);
		m.subject = bad_subjects[i];
		CHECKF(mail_build(&m, "<x@y>", &out) < 0, "sujet %zu", i);
	}
	m.subject = "ok";
	const char *bad_to[] = {"a@b.test\r\nBcc: x@y.test", "a@b.test>, <x@y.test", "\"x\"@y.test",
				"pas une adresse", "", "a@b.test\n"};
	for (size_t i = 0; i < sizeof(bad_to) / sizeof(bad_to[0]); i++) {
		buf_reset(&out);
		m.to = bad_to[i];
		CHECKF(mail_build(&m, "<x@y>", &out) < 0, "adresse %zu", i);
		CHECKF(mail_address_problem(bad_to[i]) != NULL, "adresse %zu", i);
	}
	m.to = "a@b.test";
	buf_reset(&out);
	CHECK(mail_build(&m, "<x@y>\r\nBcc: z@w.test", &out) < 0);
	cfg.from = "x@y.test\r\nBcc: z@w.test";
	CHECK(mail_configure(&cfg, &err) < 0);
	cfg.from = "reseau@maillage.test";
	cfg.smtp_url = "ftp://serveur";
	CHECK(mail_configure(&cfg, &err) < 0);
	cfg.smtp_url = NULL;
	cfg.reminder_time = "25:00";
	CHECK(mail_configure(&cfg, &err) < 0);
	cfg.reminder_time = "07:30";
	CHECK(mail_configure(&cfg, &err) == 0);
	buf_free(&out);
	buf_free(&err);
}

/* Webhooks go to https:// addresses, or to this machine over http:// when
 * allowed. */
static void webhook_addresses(void)
{
	struct mail_config cfg = {.from = "reseau@maillage.test"};
	struct buf err = {0};
	CHECK(mail_configure(&cfg, &err) == 0);
	CHECK(mail_webhook_problem("https://192.0.2.10/hooks/abc") == NULL);
	CHECK(mail_webhook_problem("https://172.32.0.1/h") == NULL);
	CHECK(mail_webhook_problem("https://[2001:db8::1]/h") == NULL);
	CHECK(mail_webhook_problem("http://chat.example.org/hooks/abc") != NULL);
	CHECK(mail_webhook_problem("http://127.0.0.1:9000/h") != NULL);
	CHECK(mail_webhook_problem("file:///etc/passwd") != NULL);
	CHECK(mail_webhook_problem("https://") != NULL);
	CHECK(mail_webhook_problem("https://x.test/a b") != NULL);
	CHECK(mail_webhook_problem("https://x.test/\r\nX: y") != NULL);
	CHECK(mail_webhook_problem(NULL) != NULL);
	cfg.allow_local_webhooks = true;
	CHECK(mail_configure(&cfg, &err) == 0);
	CHECK(mail_webhook_problem("http://127.0.0.1:9000/h") == NULL);
	CHECK(mail_webhook_problem("http://localhost/h") == NULL);
	CHECK(mail_webhook_problem("http://10.0.0.1/h") != NULL);
	cfg.allow_local_webhooks = false;
	mail_configure(&cfg, &err);
	buf_free(&err);
}

/* Webhooks go only outside: each refused range, as a literal address, as
 * a name resolving to it, and in the other spellings getaddrinfo accepts,
 * is refused with the address and the range in French. */
static void webhook_ranges(void)
{
	struct mail_config cfg = {.from = "reseau@maillage.test"};
	struct buf err = {0};
	CHECK(mail_configure(&cfg, &err) == 0);
	static const struct {
		const char *url, *range;
	} refused[] = {
		{"https://127.0.0.1/h", "boucle locale"}, {"https://127.8.9.10:8443/h", "boucle locale"},
		{"https://localhost/h", "boucle locale"}, {"https://2130706433/h", "boucle locale"},
		{"https://0x7f.1/h", "boucle locale"}, {"https://[::1]/h", "boucle locale"},
		{"https://[::ffff:127.0.0.1]/h", "boucle locale"}, {"https://10.1.2.3/h", "réseau privé"},
		{"https://172.16.0.1/h", "réseau privé"}, {"https://172.31.255.255/h", "réseau privé"},
		{"https://192.168.1.1/h", "réseau privé"}, {"https://[fc00::1]/h", "réseau privé"},
		{"https://[fd12:3456::1]/h", "réseau privé"}, {"https://100.64.0.1/h", "opérateur"},
		{"https://169.254.169.254/latest", "lien local"}, {"https://[fe80::1]/h", "lien local"},
		{"https://[64:ff9b::a9fe:a9fe]/h", "lien local"}, {"https://224.0.0.1/h", "multidiffusion"},
		{"https://239.255.255.250/h", "multidiffusion"}, {"https://[ff02::1]/h", "multidiffusion"},
		{"https://0.0.0.0/h", "non spécifiée"}, {"https://[::]/h", "non spécifiée"},
		{"https://255.255.255.255/h", "réservée"},
	};
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		const char *why = mail_webhook_problem(refused[i].url);
		CHECKF(why && strstr(why, refused[i].range), "%s : %s", refused[i].url, why ? why : "accepté");
	}
	const char *why = mail_webhook_problem("https://localhost:8443/h");
	CHECK(why && strstr(why, "127.0.0.1") && strstr(why, "--allow-local-webhooks"));
	cfg.allow_local_webhooks = true;
	CHECK(mail_configure(&cfg, &err) == 0);
	CHECK(mail_webhook_problem("https://192.168.1.1/h") == NULL);
	cfg.allow_local_webhooks = false;
	mail_configure(&cfg, &err);
	buf_free(&err);
}

/* iCalendar: CRLF lines of at most 75 octets folded between characters,
 * TEXT escaped, the required properties, whole days and cancellations. */
static void icalendar(void)
{
	struct buf out = {0};
	ical_begin(&out, "REQUEST", "Agenda; test");
	struct ical_event e = {
		.uid = "meeting-7@maillage.test", .sequence = 3, .start = "2030-03-31T09:30",
		.end = NULL, .stamp = "20301101T120000Z", .url = "https://m.test/meetings/7",
		.summary = "Réunion, « bilan »; suite\\fin\nligne deux — "
			   "éééééééééééééééééééééééééééééééééééééééééééééééééé",
		.location = "Salle 1; Namur", .organizer = "r@m.test", .attendee = "a@b.test"};
	ical_event(&out, &e);
	struct ical_event day = {.uid = "meeting-8@m", .start = "2030-12-31", .stamp = "20301101T120000Z",
				 .summary = "Journée", .cancelled = 1};
	ical_event(&out, &day);
	ical_end(&out);
	const char *s = buf_str(&out);
	CHECK(lines_within(s, 75));
	CHECK(strncmp(s, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:", 37) == 0);
	CHECK(strstr(s, "METHOD:REQUEST\r\n") && strstr(s, "X-WR-CALNAME:Agenda\\; test\r\n"));
	CHECK(strstr(s, "SEQUENCE:3\r\n") && strstr(s, "DTSTAMP:20301101T120000Z\r\n"));
	CHECK(strstr(s, "DTSTART;TZID=Europe/Brussels:20300331T093000\r\nDURATION:PT2H\r\n"));
	CHECK(strstr(s, "LOCATION:Salle 1\\; Namur\r\n"));
	CHECK(strstr(s, "DTSTART;VALUE=DATE:20301231\r\nDTEND;VALUE=DATE:20310101\r\n"));
	CHECK(strstr(s, "STATUS:CANCELLED\r\n") && strstr(s, "STATUS:CONFIRMED\r\n"));
	CHECK(strstr(s, "END:VCALENDAR\r\n") == s + out.len - 15);
	/* unfolded, the summary is the escaped text */
	struct buf unfolded = {0};
	for (const char *p = s; *p; p++) {
		if (p[0] == '\r' && p[1] == '\n' && p[2] == ' ') {
			p += 2;
			continue;
		}
		buf_putc(&unfolded, *p);
	}
	CHECK(strstr(buf_str(&unfolded), "SUMMARY:Réunion\\, « bilan »\\; suite\\\\fin\\nligne deux — "
					 "ééééééééééééééééééééééééééééééééééééééééééééééééé") != NULL);
	/* folding never cuts a character: every line is valid UTF-8 */
	for (const char *p = s; *p;) {
		const char *e = strstr(p, "\r\n");
		CHECK(e && (((unsigned char)*p & 0xC0) != 0x80));
		p = e + 2;
		if (*p == ' ')
			CHECK(((unsigned char)p[1] & 0xC0) != 0x80);
	}
	buf_free(&unfolded);
	buf_free(&out);
}

/* Atom: the required elements, text escaped, control characters dropped. */
static void atom(void)
{
	struct buf out = {0};
	feed_begin(&out, "Fil <test>", "https://m.test/f.atom", "https://m.test/", "2030-01-01T00:00:00Z");
	feed_entry(&out, "https://m.test/a?x=1&y=2", "Titre \x01 & co", "2030-01-02T00:00:00Z",
		   "<p>texte</p>");
	feed_end(&out);
	const char *s = buf_str(&out);
	CHECK(strstr(s, "<feed xmlns=\"http://www.w3.org/2005/Atom\""));
	CHECK(strstr(s, "<title>Fil &lt;test&gt;</title>") && strstr(s, "<id>https://m.test/f.atom</id>"));
	CHECK(strstr(s, "<updated>2030-01-01T00:00:00Z</updated>") && strstr(s, "<author><name>"));
	CHECK(strstr(s, "<title>Titre  &amp; co</title>") && !strchr(s, '\x01'));
	CHECK(strstr(s, "href=\"https://m.test/a?x=1&amp;y=2\""));
	CHECK(strstr(s, "<summary type=\"html\">&lt;p&gt;texte&lt;/p&gt;</summary>"));
	FILE *f = popen("/usr/bin/python3 -c 'import sys, xml.dom.minidom; "
			"xml.dom.minidom.parseString(sys.stdin.read())'", "w");
	CHECK(f != NULL);
	if (f) {
		fputs(s, f);
		CHECK(pclose(f) == 0);
	}
	buf_free(&out);
}

/* The failures an administrator reads (the outbox, the logs, the command
 * line) are said in French: a file's, a connection's, a mail server's. */
static void errors_in_french(void)
{
	CHECK_STR(text_errno(ENOENT), "fichier ou dossier introuvable");
	CHECK_STR(text_errno(ENOSPC), "plus de place sur le disque");
	CHECK_STR(text_errno(EADDRINUSE), "adresse déjà utilisée par un autre programme");
	CHECK(*text_errno(EXDEV)); /* an unusual one: the system's words */
	CHECK_STR(mail_curl_error(CURLE_COULDNT_CONNECT), "connexion au serveur impossible");
	CHECK_STR(mail_curl_error(CURLE_LOGIN_DENIED), "identifiant ou mot de passe refusé");
	CHECK_STR(mail_curl_error(CURLE_OPERATION_TIMEDOUT), "le serveur n'a pas répondu à temps");
	CHECK(*mail_curl_error(CURLE_BAD_FUNCTION_ARGUMENT));
}

/* Runs the mail, calendar and feed tests. */
void unit_mail(void)
{
	RUN(errors_in_french);
	RUN(mail_headers);
	RUN(webhook_addresses);
	RUN(webhook_ranges);
	RUN(icalendar);
	RUN(atom);
}
