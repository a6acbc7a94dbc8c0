/* rsvp.c — page tests of the answers to an invitation: the three signed
 * links of the mail (a GET shows, a POST records), wrong, foreign and
 * replayed links, a meeting over or cancelled, the member's answer on the
 * meeting page, answers set back by a new date, and the prepare page. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/buf.h"
#include "../../src/db.h"
#include "../../src/meeting.h"
#include "../test.h"
#include "harness.h"
#include "pages.h"

static long long meeting; /* the group's invited meeting */

/* Copies into out the address of the link of answer in the text part of
 * the newest invitation mail to address ("/rsvp/…?answer=…"); false
 * when there is none. */
static bool link_of(const char *address, const char *answer, char *out, size_t size)
{
	struct buf text = {0};
	bool ok = harness_mail_text(address, "Invitation", &text) ||
		  harness_mail_text(address, "Modification", &text);
	char want[64];
	snprintf(want, sizeof(want), "?answer=%s", answer);
	const char *end = ok ? strstr(buf_str(&text), want) : NULL, *start = end;
	while (start && start > buf_str(&text) && strncmp(start, "/rsvp/", 6) != 0)
		start--;
	ok = end && start && strncmp(start, "/rsvp/", 6) == 0 &&
	     (size_t)(end - start) + strlen(want) < size;
	if (ok)
		snprintf(out, size, "%.*s%s", (int)(end - start), start, want);
	buf_free(&text);
	return ok;
}

/* Returns the answer recorded for address at the group's meeting. */
static const char *answer_of(const char *address)
{
	static char answer[32];
	json_t *r = db_row("SELECT answer FROM rsvp WHERE meeting_id = ? AND email = ?", "it",
			   meeting, address);
	snprintf(answer, sizeof(answer), "%s", r ? db_str(r, "answer") : "(aucune)");
	json_decref(r);
	return answer;
}

/* The invitation carries three links per address; a GET shows the choice
 * and changes nothing, a POST records it, the same again says so. */
static void links_answer(void)
{
	struct browser coord = {0}, anon = {0};
	CHECK_INT(harness_login(&coord, HARNESS_COORD, PASSWORD), 303);
	char target[64], link[200];
	snprintf(target, sizeof(target), "/meetings/%lld/invite", meeting);
	CHECK_INT(harness_post(&coord, target, (const char *[]){NULL}, NULL), 303);
	CHECK(link_of(HARNESS_MEMBER, "accepted", link, sizeof(link)));
	CHECK_INT(db_int(0, "SELECT count(*) FROM rsvp WHERE meeting_id = ? AND answer = 'invited'",
			 "i", meeting), db_int(0, "SELECT count(*) FROM outbox WHERE subject LIKE "
					       "'Invitation%'", NULL));
	struct call c;
	CHECK_INT(call(&c, &anon, "GET", link, NULL), 200);
	CHECK(body_has(&c, "Confirmer : Je viens") && body_has(&c, "à confirmer"));
	call_free(&c);
	CHECK(strcmp(answer_of(HARNESS_MEMBER), "invited") == 0); /* a GET changes nothing */
	char *q = strchr(link, '?');
	*q = '\0';
	CHECK_INT(call(&c, &anon, "POST", link, "answer=accepted"), 200);
	CHECK(body_has(&c, "votre réponse « Je viens » est enregistrée"));
	call_free(&c);
	CHECK(strcmp(answer_of(HARNESS_MEMBER), "accepted") == 0);
	CHECK_INT(call(&c, &anon, "POST", link, "answer=accepted"), 200); /* replayed */
	CHECK(body_has(&c, "était déjà « Je viens »"));
	call_free(&c);
	CHECK_INT(db_int(0, "SELECT count(*) FROM audit WHERE object = 'rsvp' AND after = "
			 "'accepted'", NULL), 1);
	CHECK_INT(call(&c, &anon, "POST", link, "answer=tentative"), 200);
	call_free(&c);
	CHECK(strcmp(answer_of(HARNESS_MEMBER), "tentative") == 0);
	/* what is not an answer */
	const char *const bad[] = {"answer=invited", "answer=oui", "", "answer=%00"};
	for (size_t i = 0; i < 4; i++) {
		CHECK_INT(call(&c, &anon, "POST", link, bad[i]), 400);
		call_free(&c);
	}
	CHECK(strcmp(answer_of(HARNESS_MEMBER), "tentative") == 0);
}

/* A link altered, made for another row, cut or hostile is not one: 404,
 * nothing recorded. */
static void wrong_links(void)
{
	struct browser anon = {0};
	char link[200], forged[300];
	CHECK(link_of(HARNESS_MEMBER, "declined", link, sizeof(link)));
	*strchr(link, '?') = '\0';
	char *dot = strchr(link, '.');
	long long id = atoll(link + 6);
	snprintf(forged, sizeof(forged), "/rsvp/%lld%s", id + 1, dot); /* another row's number */
	const char *const wrong[] = {forged, "/rsvp/1", "/rsvp/abc", "/rsvp/1.", "/rsvp/-1.AAAA",
				     "/rsvp/1.%3Cscript%3E", "/rsvp/0.AAAAAAAAAAAAAAAAAAAAAA"};
	for (size_t i = 0; i < sizeof(wrong) / sizeof(wrong[0]); i++) {
		struct call c;
		CHECKF(call(&c, &anon, "GET", wrong[i], NULL) == 404, "%s", wrong[i]);
		CHECKF(i > 0 || body_has(&c, "lien de réponse n&#39;est pas valable"), "%s : %.300s",
		       wrong[i], buf_str(&c.resp.body)); /* some never reach it: the router's 404 */
		call_free(&c);
		CHECKF(call(&c, &anon, "POST", wrong[i], "answer=declined") == 404, "%s", wrong[i]);
		call_free(&c);
	}
	link[strlen(link) - 1] ^= 1; /* one character of the signature */
	struct call c;
	CHECK_INT(call(&c, &anon, "POST", link, "answer=declined"), 404);
	call_free(&c);
	char huge[300];
	memset(huge, '7', sizeof(huge) - 1);
	huge[sizeof(huge) - 1] = '\0';
	memcpy(huge, "/rsvp/", 6);
	CHECK_INT(call(&c, &anon, "GET", huge, NULL), 404);
	call_free(&c);
	CHECK_INT(db_int(0, "SELECT count(*) FROM rsvp WHERE answer = 'declined'", NULL), 0);
}

/* A member answers on the meeting page; a partner of no member
 * organisation sees no such form and may not post it. */
static void page_answer(void)
{
	struct browser member = {0}, other = {0}, anon = {0};
	CHECK_INT(harness_login(&member, HARNESS_MEMBER, PASSWORD), 303);
	CHECK_INT(harness_login(&other, HARNESS_PARTNER, PASSWORD), 303);
	char page[64], target[64];
	snprintf(page, sizeof(page), "/meetings/%lld", meeting);
	snprintf(target, sizeof(target), "/meetings/%lld/rsvp", meeting);
	struct call c;
	CHECK_INT(call(&c, &member, "GET", page, NULL), 200);
	CHECK(body_has(&c, "Votre présence") && body_has(&c, "Votre réponse : <strong>Peut-être"));
	call_free(&c);
	CHECK_INT(harness_post(&member, target, (const char *[]){"answer", "declined", NULL}, NULL),
		  303);
	CHECK(strcmp(answer_of(HARNESS_MEMBER), "declined") == 0);
	CHECK_INT(db_int(0, "SELECT count(*) FROM rsvp WHERE email = ? AND via = 'page'", "t",
			 HARNESS_MEMBER), 1);
	CHECK_INT(harness_post(&member, target, (const char *[]){"answer", "maybe", NULL}, NULL),
		  400);
	CHECK_INT(call(&c, &other, "GET", page, NULL), 200);
	CHECK(!body_has(&c, "Votre présence"));
	call_free(&c);
	CHECK_INT(harness_post(&other, target, (const char *[]){"answer", "accepted", NULL}, NULL),
		  404);
	CHECK_INT(call(&c, &anon, "GET", page, NULL), 200);
	CHECK(!body_has(&c, "Votre présence"));
	call_free(&c);
	CHECK_INT(db_int(0, "SELECT count(*) FROM rsvp WHERE email = ?", "t", HARNESS_PARTNER), 0);
}

/* The coordination's prepare page counts the answers by organisation and
 * names who has not answered. */
static void prepare_page(void)
{
	struct browser coord = {0};
	CHECK_INT(harness_login(&coord, HARNESS_COORD, PASSWORD), 303);
	char page[64];
	snprintf(page, sizeof(page), "/meetings/%lld/prepare", meeting);
	struct call c;
	CHECK_INT(call(&c, &coord, "GET", page, NULL), 200);
	CHECK(body_has(&c, "Réponses à l&#39;invitation") || body_has(&c, "Réponses à l'invitation"));
	json_t *org = db_row("SELECT o.name FROM user u JOIN organisation o ON o.id = "
			     "u.organisation_id WHERE u.email = ?", "t", HARNESS_MEMBER);
	char row[300];
	snprintf(row, sizeof(row), "<th scope=\"row\">%s</th><td>0</td><td>0</td><td>1</td>",
		 db_str(org, "name"));
	CHECKF(body_has(&c, row), "%s", row);
	json_decref(org);
	CHECK(body_has(&c, "Pas encore de réponse"));
	call_free(&c);
}

/* A new date sets every answer back to « à confirmer », and the update
 * says so; its links answer again. A meeting over or cancelled takes no
 * answer: 410. */
static void reset_and_close(void)
{
	long long user = db_int(0, "SELECT id FROM user WHERE email = ?", "t", HARNESS_COORD);
	json_t *m = db_row("SELECT body_id, slug, title, start, end, place, video, format, status, "
			   "visibility, agenda, minutes FROM meeting WHERE id = ?", "i", meeting);
#define S(k) json_string_value(json_object_get(m, k))
	struct meeting_in in = {
		.body_id = json_integer_value(json_object_get(m, "body_id")), .slug = S("slug"),
		.title = S("title"), .start = "2032-05-06T09:30", .end = S("end"),
		.place = S("place"), .video = S("video"), .format = S("format"),
		.status = S("status"), .visibility = S("visibility"), .agenda = S("agenda"),
		.minutes = S("minutes")};
#undef S
	CHECK(meeting_save(meeting, &in, user) == meeting);
	json_decref(m);
	CHECK(strcmp(answer_of(HARNESS_MEMBER), "invited") == 0);
	struct buf text = {0};
	CHECK(harness_mail_text(HARNESS_MEMBER, "Modification", &text));
	CHECK(strstr(buf_str(&text), "remises à « à confirmer »") != NULL);
	buf_free(&text);
	char link[200];
	CHECK(link_of(HARNESS_MEMBER, "accepted", link, sizeof(link)));
	*strchr(link, '?') = '\0';
	struct browser anon = {0};
	struct call c;
	CHECK_INT(call(&c, &anon, "POST", link, "answer=accepted"), 200);
	call_free(&c);
	CHECK_INT(db_int(0, "SELECT sequence FROM rsvp WHERE meeting_id = ? AND email = ?", "it",
			 meeting, HARNESS_MEMBER), 1); /* the update's SEQUENCE */
	CHECK(db_exec("UPDATE meeting SET status = 'cancelled' WHERE id = ?", "i", meeting) == 1);
	CHECK_INT(call(&c, &anon, "GET", link, NULL), 410);
	CHECK(body_has(&c, "on ne peut plus y répondre"));
	call_free(&c);
	CHECK(db_exec("UPDATE meeting SET status = 'planned', start = '2001-05-06T09:30', end = "
		      "'2001-05-06T11:00' WHERE id = ?", "i", meeting) == 1);
	CHECK_INT(call(&c, &anon, "POST", link, "answer=declined"), 410);
	call_free(&c);
	CHECK(strcmp(answer_of(HARNESS_MEMBER), "accepted") == 0);
}

void pages_rsvp(void)
{
	harness_fresh();
	CHECK(db_exec("INSERT INTO meeting (body_id, title, start, end, place, status, visibility) "
		      "SELECT id, 'Réunion des réponses', date('now', '+20 days') || 'T14:00', "
		      "date('now', '+20 days') || 'T16:00', 'Namur', 'planned', 'public' FROM body "
		      "WHERE slug = 'coordination-locale-namur'", NULL) == 1);
	meeting = db_last_id();
	RUN(links_answer);
	RUN(wrong_links);
	RUN(page_answer);
	RUN(prepare_page);
	RUN(reset_and_close);
}
