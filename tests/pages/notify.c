/* notify.c — page tests of what the network is told: invitations, updates,
 * cancellations and approved minutes in the outbox, webhooks, digests,
 * calendar and Atom feeds by the visibility rule, the personal calendar
 * link, and the administrator's outbox and webhooks pages. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>
#include <unistd.h>

#include "../../src/auth.h"
#include "../../src/buf.h"
#include "../../src/db.h"
#include "../../src/digest.h"
#include "../../src/mail.h"
#include "../../src/meeting.h"
#include "../../src/notify.h"
#include "../test.h"
#include "harness.h"
#include "pages.h"


/* Sends GET target from b (may be NULL); returns the status, body in out. */
static int fetch(struct browser *b, const char *target, struct buf *out)
{
	return harness_fetch(b, "GET", target, NULL, out);
}

/* Sends a POST with only the CSRF token; returns the status, body in out. */
static int post(struct browser *b, const char *target, const char *fields, struct buf *out)
{
	char form[600];
	snprintf(form, sizeof(form), "_csrf=%s%s%s", b->csrf, fields ? "&" : "", fields ? fields : "");
	return harness_fetch(b, "POST", target, form, out);
}

/* Tells whether the XML text is well-formed (Python's parser). */
static bool xml_ok(const char *xml)
{
	FILE *f = popen("/usr/bin/python3 -c 'import sys, xml.dom.minidom; "
			"xml.dom.minidom.parseString(sys.stdin.buffer.read())' 2>/dev/null", "w");
	if (!f)
		return false;
	fputs(xml, f);
	return pclose(f) == 0;
}

/* Adds three future meetings of the Namur local coordination, one per
 * visibility, with a word each; returns their ids in ids. */
static void three_meetings(long long ids[3])
{
	const char *vis[] = {"public", "members", "internal"};
	const char *title[] = {"Séance ouverte tamarin", "Séance membres ouistiti", "Séance interne gibbon"};
	for (int i = 0; i < 3; i++) {
		CHECK(db_exec("INSERT INTO meeting (body_id, title, start, status, visibility) SELECT id, "
			      "?, date('now', '+' || ? || ' days') || 'T14:00', 'planned', ? FROM body "
			      "WHERE slug = 'coordination-locale-namur'", "tit", title[i],
			      (long long)(10 + i), vis[i]) == 1);
		ids[i] = db_last_id();
	}
}

static long long meetings[3]; /* the group's three meetings (three_meetings) */

/* Public calendars hold public meetings only, whoever asks; a body's too,
 * an internal body has none; the personal link gives what its owner may
 * read, until revoked. The minutes feed holds approved public minutes. */
static void calendars_and_feeds(void)
{
	struct browser anon = {0}, coord = {0}, cpas = {0}, forem = {0};
	CHECK_INT(harness_login(&coord, "coord@pages.test", PASSWORD), 303);
	CHECK_INT(harness_login(&cpas, "cpas@pages.test", PASSWORD), 303);
	CHECK_INT(harness_login(&forem, "partenaire@pages.test", PASSWORD), 303);
	struct buf out = {0};
	struct browser *who[] = {&anon, &coord};
	for (int w = 0; w < 2; w++) {
		CHECK_INT(fetch(who[w], "/calendar.ics", &out), 200);
		CHECK(strstr(buf_str(&out), "tamarin") && !strstr(buf_str(&out), "ouistiti") &&
		      !strstr(buf_str(&out), "gibbon"));
		CHECK_INT(fetch(who[w], "/bodies/coordination-locale-namur/calendar.ics", &out), 200);
		CHECK(strstr(buf_str(&out), "tamarin") && !strstr(buf_str(&out), "ouistiti"));
	}
	CHECK(strncmp(buf_str(&out), "BEGIN:VCALENDAR\r\n", 17) == 0);
	CHECK_INT(fetch(&anon, "/bodies/bureau-du-conseil/calendar.ics", &out), 404);
	CHECK_INT(fetch(&anon, "/bodies/nulle-part/calendar.ics", &out), 404);
	/* the personal link: made, shown once, read without a session, revoked */
	CHECK_INT(post(&cpas, "/account/calendar", NULL, &out), 200);
	const char *at = strstr(buf_str(&out), "/calendar/");
	char path[128] = "";
	if (CHECK(at != NULL))
		snprintf(path, sizeof(path), "%.*s", (int)(strstr(at, ".ics") + 4 - at), at);
	CHECK_INT(db_int(0, "SELECT count(*) FROM user_token WHERE token_hash = ?", "t",
			 path + 10), 0); /* only its hash is kept */
	CHECK_INT(fetch(&anon, path, &out), 200);
	CHECK(strstr(buf_str(&out), "tamarin") && strstr(buf_str(&out), "ouistiti") &&
	      !strstr(buf_str(&out), "gibbon"));
	CHECK_INT(fetch(&anon, "/calendar/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.ics", &out), 404);
	CHECK_INT(fetch(&anon, "/calendar/court.ics", &out), 404);
	CHECK_INT(post(&cpas, "/account/calendar/delete", NULL, &out), 200);
	CHECK(strstr(buf_str(&out), "révoqué") != NULL);
	CHECK_INT(fetch(&anon, path, &out), 404);
	/* a partner of another organisation sees its own bodies only */
	CHECK_INT(post(&forem, "/account/calendar", NULL, &out), 200);
	at = strstr(buf_str(&out), "/calendar/");
	if (CHECK(at != NULL))
		snprintf(path, sizeof(path), "%.*s", (int)(strstr(at, ".ics") + 4 - at), at);
	CHECK_INT(fetch(&anon, path, &out), 200);
	CHECK(strstr(buf_str(&out), "tamarin") && !strstr(buf_str(&out), "ouistiti"));
	/* the minutes feed: approved minutes of public meetings only */
	CHECK_INT(fetch(&coord, "/feeds/minutes.atom", &out), 200);
	CHECK(xml_ok(buf_str(&out)));
	long long pub = db_int(0, "SELECT id FROM meeting WHERE visibility = 'public' AND status = "
			       "'minutes_approved' LIMIT 1", NULL);
	long long mem = db_int(0, "SELECT id FROM meeting WHERE visibility = 'members' AND status = "
			       "'minutes_approved' LIMIT 1", NULL);
	char link[64];
	snprintf(link, sizeof(link), "/meetings/%lld</id>", pub);
	CHECK(strstr(buf_str(&out), link) != NULL);
	snprintf(link, sizeof(link), "/meetings/%lld</id>", mem);
	CHECK(strstr(buf_str(&out), link) == NULL);
	CHECK_INT(fetch(&anon, "/feeds/interpellations.atom", &out), 200);
	CHECK(xml_ok(buf_str(&out)));
	buf_free(&out);
}

/* Returns the outbox's mails whose subject starts with prefix: how many,
 * and whether one went to address. */
static long long mails(const char *prefix, const char *address)
{
	return address ? db_int(0, "SELECT count(*) FROM outbox WHERE kind = 'mail' AND "
				"substr(subject, 1, length(?1)) = ?1 AND recipient = ?2", "tt", prefix,
				address)
		       : db_int(0, "SELECT count(*) FROM outbox WHERE kind = 'mail' AND "
				"substr(subject, 1, length(?1)) = ?1", "t", prefix);
}

/* Saves meeting id as it is, with one field changed, by the coordinator. */
static void save_with(long long id, long long user, const char *field, const char *value)
{
	json_t *m = db_row("SELECT body_id, slug, title, start, end, place, video, format, status, "
			   "visibility, agenda, minutes FROM meeting WHERE id = ?", "i", id);
	json_object_set_new(m, field, json_string(value));
#define S(k) json_string_value(json_object_get(m, k))
	struct meeting_in in = {
		.body_id = json_integer_value(json_object_get(m, "body_id")), .slug = S("slug"),
		.title = S("title"), .start = S("start"), .end = S("end"), .place = S("place"),
		.video = S("video"), .format = S("format"), .status = S("status"),
		.visibility = S("visibility"), .agenda = S("agenda"), .minutes = S("minutes")};
#undef S
	CHECK(meeting_save(id, &in, user) == id);
	json_decref(m);
}

/* An invitation goes to every contact of the member organisations and
 * nobody else; a new date sends an update (SEQUENCE 1), a cancellation a
 * CANCEL; approved minutes mail the members, and call the webhooks —
 * never for an internal meeting; a motion's new state calls them too. */
static void meeting_notifications(void)
{
	struct browser coord = {0}, forem = {0};
	CHECK_INT(harness_login(&coord, "coord@pages.test", PASSWORD), 303);
	CHECK_INT(harness_login(&forem, "partenaire@pages.test", PASSWORD), 303);
	long long user = db_int(0, "SELECT id FROM user WHERE email = 'coord@pages.test'", NULL);
	long long id = db_int(0, "SELECT id FROM meeting WHERE title = 'Séance membres ouistiti'", NULL);
	long long members = db_int(0, "SELECT count(DISTINCT u.email) FROM user u JOIN membership ms "
				   "ON ms.organisation_id = u.organisation_id JOIN meeting m ON "
				   "m.body_id = ms.body_id WHERE m.id = ? AND u.disabled = 0", "i", id);
	CHECK(members >= 2);
	char target[64];
	struct buf out = {0};
	snprintf(target, sizeof(target), "/meetings/%lld/invite", id);
	CHECK_INT(post(&forem, target, NULL, NULL), 403);
	CHECK_INT(mails("Invitation", NULL), 0);
	CHECK_INT(post(&coord, target, NULL, NULL), 303);
	CHECK_INT(mails("Invitation : Séance membres ouistiti", NULL), members);
	CHECK_INT(mails("Invitation", "cpas@pages.test"), 1);
	CHECK_INT(mails("Invitation", "partenaire@pages.test"), 0);
	CHECK_INT(db_int(0, "SELECT count(*) FROM outbox WHERE body LIKE '%method=REQUEST%'", NULL),
		  members);
	CHECK_INT(db_int(0, "SELECT count(*) FROM audit WHERE action = 'invite' AND object_id = ?",
			 "i", id), 1);
	snprintf(target, sizeof(target), "/meetings/%lld", id);
	CHECK_INT(fetch(&coord, target, &out), 200);
	CHECK(strstr(buf_str(&out), "Renvoyer l'invitation") != NULL);
	/* a new date: an update, SEQUENCE 1 */
	save_with(id, user, "start", "2031-01-05T10:00");
	CHECK_INT(mails("Modification : Séance membres ouistiti, 5 janvier 2031", NULL), members);
	CHECK_INT(db_int(0, "SELECT ics_sequence FROM meeting WHERE id = ?", "i", id), 1);
	save_with(id, user, "agenda", "Un point de plus"); /* not a calendar change */
	CHECK_INT(mails("Modification", NULL), members);
	save_with(id, user, "status", "cancelled");
	CHECK_INT(mails("Annulation : Séance membres ouistiti", NULL), members);
	CHECK_INT(db_int(0, "SELECT count(*) FROM outbox WHERE body LIKE '%method=CANCEL%'", NULL),
		  members);
	CHECK_INT(db_int(0, "SELECT ics_sequence FROM meeting WHERE id = ?", "i", id), 2);
	/* a meeting never invited is changed silently */
	long long pub = db_int(0, "SELECT id FROM meeting WHERE title = 'Séance ouverte tamarin'", NULL);
	save_with(pub, user, "start", "2031-02-01T10:00");
	CHECK_INT(mails("Modification : Séance ouverte", NULL), 0);
	/* approved minutes: mails and webhooks, not for an internal meeting */
	CHECK(db_exec("INSERT INTO webhook (url) VALUES ('https://chat.example.org/hook')", NULL) == 1);
	long long in = db_int(0, "SELECT id FROM meeting WHERE title = 'Séance interne gibbon'", NULL);
	save_with(pub, user, "minutes", "Décision : ouvrir un atelier.\n\nTexte confidentiel ? non.");
	save_with(pub, user, "status", "minutes_approved");
	CHECK_INT(mails("Procès-verbal approuvé : Séance ouverte tamarin", NULL), members);
	CHECK_INT(db_int(0, "SELECT count(*) FROM outbox WHERE kind = 'webhook' AND recipient = "
			 "'https://chat.example.org/hook' AND json_extract(body, '$.event') = "
			 "'minutes_approved' AND json_extract(body, '$.meeting.title') = "
			 "'Séance ouverte tamarin'", NULL), 1);
	save_with(in, user, "minutes", "Secret gibbon");
	save_with(in, user, "status", "minutes_approved");
	CHECK_INT(mails("Procès-verbal approuvé : Séance interne", NULL), 0);
	CHECK_INT(db_int(0, "SELECT count(*) FROM outbox WHERE body LIKE '%gibbon%'", NULL), 0);
	/* a motion's new state in a commune */
	struct buf form = {0};
	snprintf(target, sizeof(target), "/motions/commune-hospitaliere/communes/92094");
	CHECK_INT(post(&coord, target, "date=2025-07-01&kind=meeting&state=contact&note=Premier+"
		       "contact", NULL), 303);
	CHECK_INT(db_int(0, "SELECT count(*) FROM outbox WHERE kind = 'webhook' AND json_extract("
			 "body, '$.event') = 'motion_state' AND json_extract(body, '$.to') = 'contact' "
			 "AND json_extract(body, '$.commune.nis') = 92094", NULL), 1);
	buf_free(&form);
	buf_free(&out);
}

/* Each person gets one digest a day, only when something is due. */
static void digests(void)
{
	CHECK(db_exec("UPDATE action SET state = 'done'", NULL) >= 0);
	long long meeting = db_int(0, "SELECT id FROM meeting WHERE title = 'Séance ouverte tamarin'",
				   NULL);
	CHECK(db_exec("INSERT INTO action (meeting_id, position, text, owner_organisation_id, due) "
		      "SELECT ?, 99, 'Envoyer le cadastre', id, date('now', '-2 days') FROM "
		      "organisation WHERE slug = 'cpas-de-namur'", "i", meeting) == 1);
	CHECK(db_exec("UPDATE letter SET next_followup = NULL", NULL) >= 0);
	CHECK(db_exec("UPDATE motion_commune SET next_followup = NULL", NULL) >= 0);
	long long before = mails("Maillage : vos actions", NULL);
	int n = digest_send_today();
	CHECK_INT(n, 1);
	CHECK_INT(mails("Maillage : vos actions", "cpas@pages.test"), 1);
	CHECK_INT(digest_send_today(), 0); /* the same day: nothing again */
	CHECK_INT(mails("Maillage : vos actions", NULL), before + 1);
	/* a coordinator with a follow-up due gets one too */
	CHECK(db_exec("UPDATE letter SET next_followup = date('now') WHERE id = (SELECT min(id) FROM "
		      "letter WHERE deleted = 0)", NULL) == 1);
	CHECK_INT(digest_send_today(), 2); /* coord and admin: both coordinate */
	CHECK_INT(mails("Maillage : vos actions", "coord@pages.test"), 1);
	CHECK_INT(digest_send_today(), 0);
}

/* The administrator sees the outbox, sends a failed message again, and
 * manages the webhooks; nobody else may. */
static void admin_pages(void)
{
	struct browser admin = {0}, coord = {0};
	CHECK_INT(harness_login(&admin, "admin@pages.test", PASSWORD), 303);
	CHECK_INT(harness_login(&coord, "coord@pages.test", PASSWORD), 303);
	struct buf out = {0};
	/* a webhook and a message of its own in the outbox */
	CHECK(db_exec("INSERT OR IGNORE INTO webhook (url) VALUES ('https://chat.example.org/hook')",
		      NULL) >= 0);
	CHECK(db_exec("INSERT INTO outbox (kind, message_id, recipient, subject, body) VALUES ('mail', "
		      "'<admin-pages@pages.test>', 'cpas@pages.test', 'Invitation : Séance membres "
		      "ouistiti', 'x')", NULL) == 1);
	CHECK_INT(fetch(&coord, "/admin/outbox", &out), 403);
	CHECK_INT(fetch(&admin, "/admin/outbox", &out), 200);
	CHECK(strstr(buf_str(&out), "Séance membres ouistiti") != NULL);
	long long id = db_int(0, "SELECT min(id) FROM outbox", NULL);
	CHECK(db_exec("UPDATE outbox SET status = 'failed', last_error = 'Connection refused' WHERE "
		      "id = ?", "i", id) == 1);
	CHECK_INT(fetch(&admin, "/admin/outbox", &out), 200);
	CHECK(strstr(buf_str(&out), "Connection refused") && strstr(buf_str(&out), "Réessayer"));
	char target[64];
	snprintf(target, sizeof(target), "/admin/outbox/%lld/retry", id);
	CHECK_INT(post(&coord, target, NULL, NULL), 403);
	CHECK_INT(post(&admin, target, NULL, NULL), 303);
	CHECK_INT(db_int(0, "SELECT status = 'queued' AND expires > strftime('%Y-%m-%dT%H:%M:%SZ', "
			 "'now') FROM outbox WHERE id = ?", "i", id), 1);
	CHECK_INT(post(&admin, "/admin/outbox/999999/retry", NULL, NULL), 404);
	/* webhooks */
	CHECK_INT(fetch(&admin, "/admin/webhooks", &out), 200);
	CHECK(strstr(buf_str(&out), "https://chat.example.org/hook") != NULL);
	CHECK_INT(post(&admin, "/admin/webhooks", "url=http%3A%2F%2Fchat.example.org%2Fh", &out), 422);
	CHECK(strstr(buf_str(&out), "https://") && strstr(buf_str(&out), "http://chat.example.org/h"));
	CHECK_INT(post(&admin, "/admin/webhooks", "url=http%3A%2F%2F127.0.0.1%3A9%2Fh", &out), 422);
	CHECK(strstr(buf_str(&out), "--allow-local-webhooks") != NULL);
	CHECK_INT(post(&admin, "/admin/webhooks", "url=https%3A%2F%2Fchat.example.org%2Fhook", &out),
		  422);
	CHECK_INT(post(&admin, "/admin/webhooks", "url=https%3A%2F%2Fhooks.example.org%2Fb", NULL), 303);
	CHECK_INT(post(&coord, "/admin/webhooks", "url=https%3A%2F%2Fx.example.org%2Fb", NULL), 403);
	long long hook = db_int(0, "SELECT id FROM webhook WHERE url = 'https://hooks.example.org/b'",
				NULL);
	snprintf(target, sizeof(target), "/admin/webhooks/%lld/delete", hook);
	CHECK_INT(post(&admin, target, NULL, NULL), 303);
	CHECK_INT(db_int(0, "SELECT count(*) FROM webhook WHERE id = ?", "i", hook), 0);
	buf_free(&out);
}

/* Runs the notification page tests. */
/* The invitation's text part reads like the agenda: its numbers, its
 * nested items indented under their point, nothing glued. */
static void invitation_text(void)
{
	long long user = db_int(0, "SELECT id FROM user WHERE email = 'coord@pages.test'", NULL);
	long long id = db_int(0, "SELECT id FROM meeting WHERE title = 'Séance ouverte tamarin'", NULL);
	save_with(id, user, "agenda", "1. Accueil\n2. Retour sur le Forum Emploi Diversité\n"
				      "   - bilan des stands\n   - suites\n3. Divers\n");
	CHECK(notify_invite(id, user) > 0);
	struct buf text = {0};
	CHECK(harness_mail_text(NULL, "Invitation : Séance ouverte tamarin", &text));
	CHECKF(strstr(buf_str(&text), "Ordre du jour :\n\n1. Accueil\n2. Retour sur le Forum "
					"Emploi Diversité\n   - bilan des stands\n   - suites\n"
					"3. Divers\n") != NULL, "%s", buf_str(&text));
	CHECK(strstr(buf_str(&text), "Diversitébilan") == NULL);
	buf_free(&text);
}

/* The invitation links to the meeting's documents (links, no attachment),
 * a deleted one left out. */
static void invitation_documents(void)
{
	long long user = db_int(0, "SELECT id FROM user WHERE email = 'coord@pages.test'", NULL);
	long long id = db_int(0, "SELECT id FROM meeting WHERE title = 'Séance ouverte tamarin'", NULL);
	CHECK(db_exec("INSERT INTO blob (sha256, size) VALUES ('invitation', 9)", NULL) == 1);
	long long blob = db_last_id();
	CHECK(db_exec("INSERT INTO blob_part (blob_id, seq, data) VALUES (?, 0, CAST('%PDF-1.4\n' "
		      "AS BLOB))", "i", blob) == 1);
	CHECK(db_exec("INSERT INTO file (meeting_id, name, mime, blob_id) VALUES (?, 'Ordre du "
		      "jour.pdf', 'application/pdf', ?), (?, 'retiré.pdf', 'application/pdf', ?)",
		      "iiii", id, blob, id, blob) == 2);
	long long kept = db_int(0, "SELECT min(id) FROM file WHERE meeting_id = ?", "i", id);
	CHECK(db_exec("UPDATE file SET deleted = 1 WHERE name = 'retiré.pdf'", NULL) == 1);
	CHECK(notify_invite(id, user) > 0);
	struct buf text = {0}, want = {0};
	CHECK(harness_mail_text(NULL, "Invitation (rappel) : Séance ouverte tamarin", &text) ||
	      harness_mail_text(NULL, "Invitation : Séance ouverte tamarin", &text));
	buf_printf(&want, "Documents :\n\n- Ordre du jour.pdf (PDF, 9 octets) : %s/files/%lld/"
		   "ordre-du-jour.pdf\n", notify_site, kept);
	CHECKF(strstr(buf_str(&text), buf_str(&want)) != NULL, "%s", buf_str(&text));
	CHECK(strstr(buf_str(&text), "retiré") == NULL);
	json_t *r = db_row("SELECT body FROM outbox WHERE kind = 'mail' ORDER BY id DESC LIMIT 1",
			   NULL);
	CHECK(r && !strstr(db_str(r, "body"), "application/pdf")); /* no attachment */
	json_decref(r);
	buf_free(&text);
	buf_free(&want);
}

void pages_notify(void)
{
	harness_fresh();
	three_meetings(meetings);
	RUN(calendars_and_feeds);
	RUN(meeting_notifications);
	RUN(digests);
	RUN(invitation_text);
	RUN(invitation_documents);
	RUN(admin_pages);
}
