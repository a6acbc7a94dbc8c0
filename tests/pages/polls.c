/* polls.c — page tests of date polls: the coordinator's form and each of
 * its refusals, the mails with personal links (kept only hashed), answers
 * by link (a GET changes nothing, a wrong link is 404, a closed poll 410)
 * and by a member from the body's page, results best first, closing into
 * a meeting with its expected answers and invitation, the day's reminders
 * and closings, and slots across the changes of time. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/buf.h"
#include "../../src/db.h"
#include "../../src/poll.h"
#include "../test.h"
#include "harness.h"
#include "pages.h"

#define NEW "/bodies/coordination-locale-namur/polls/new"
#define CREATE "/bodies/coordination-locale-namur/polls"

/* Posts a poll as the coordinator with its fields then slots (each a
 * date, a start, an end) as NULL-terminated lists; returns the status,
 * the page in out when not NULL. */
static int propose(struct browser *coord, const char *const *fields, const char *const *slots,
		   struct buf *out)
{
	const char *pairs[200];
	size_t n = 0;
	char names[120][32];
	for (size_t i = 0; fields[i]; i++)
		pairs[n++] = fields[i];
	for (size_t i = 0; slots[i * 3] && i < 40; i++) {
		snprintf(names[i * 3], 32, "date-%zu", i + 1);
		snprintf(names[i * 3 + 1], 32, "start-%zu", i + 1);
		snprintf(names[i * 3 + 2], 32, "end-%zu", i + 1);
		for (size_t k = 0; k < 3; k++) {
			pairs[n++] = names[i * 3 + k];
			pairs[n++] = slots[i * 3 + k];
		}
	}
	pairs[n] = NULL;
	return harness_post(coord, CREATE, pairs, out);
}

/* A date n days from today, as the form writes it. */
static const char *day(int n)
{
	static char out[64][11]; /* the form-refusal cases hold many at once */
	static int next;
	char *d = out[next++ % 64];
	json_t *r = db_row("SELECT date('now', 'localtime', ? || ' days') AS d", "i", (long long)n);
	snprintf(d, 11, "%s", db_str(r, "d"));
	json_decref(r);
	return d;
}

/* Every refusal of the form, each with its French message, nothing made. */
static void form_refusals(void)
{
	struct browser coord = {0};
	CHECK_INT(harness_login(&coord, HARNESS_COORD, PASSWORD), 303);
	struct call c;
	CHECK_INT(call(&c, &coord, "GET", NEW, NULL), 200);
	CHECK(body_has(&c, "Proposer des dates") && body_has(&c, "id=\"date-6\""));
	call_free(&c);
	const char *ok[] = {"title", "Plateforme de mars", "closes", day(10), NULL};
	const char *two[] = {day(20), "14:00", "16:00", day(21), "09:30", "11:00", NULL};
	struct {
		const char *const *fields, *const *slots;
		const char *message;
	} cases[] = {
		{(const char *[]){"title", "", "closes", day(10), NULL}, two, "Le titre est obligatoire"},
		{(const char *[]){"title", "Ligne\nbrisée", "closes", day(10), NULL}, two,
		 "Le titre est obligatoire"},
		{ok, (const char *[]){day(20), "14:00", "16:00", NULL}, "au moins deux créneaux"},
		{ok, (const char *[]){day(20), "14:00", "16:00", day(-3), "09:00", "10:00", NULL},
		 "Ce créneau est passé"},
		{ok, (const char *[]){day(20), "16:00", "14:00", day(21), "09:00", "10:00", NULL},
		 "finit avant de commencer"},
		{ok, (const char *[]){day(20), "14:00", "16:00", day(20), "14:00", "16:00", NULL},
		 "proposé deux fois"},
		{ok, (const char *[]){day(5), "14:00", "16:00", day(21), "09:00", "10:00", NULL},
		 "avant la clôture"},
		{ok, (const char *[]){day(20), "25:00", "26:00", day(21), "09:00", "10:00", NULL},
		 "une heure de début"},
		{(const char *[]){"title", "T", "closes", day(-1), NULL}, two, "date de clôture"},
		{(const char *[]){"title", "T", "closes", "2027-02-30", NULL}, two, "date de clôture"},
		{(const char *[]){"title", "T", "closes", day(10), "video", "http://x.test", NULL}, two,
		 "doit commencer par https://"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct buf out = {0};
		CHECKF(propose(&coord, cases[i].fields, cases[i].slots, &out) == 422, "cas %zu", i);
		CHECKF(strstr(buf_str(&out), cases[i].message) != NULL, "cas %zu : %s\n%s", i,
		       cases[i].message, strstr(buf_str(&out), "<main") ? strstr(buf_str(&out), "<main") : "");
		buf_free(&out);
	}
	/* 31 slots (a form made by hand: the page offers 30 at most) */
	const char *many[31 * 3 + 1];
	char hours[31][6];
	for (int i = 0; i < 31; i++) {
		snprintf(hours[i], sizeof(hours[i]), "%02d:00", i % 12 + 8);
		many[i * 3] = day(20 + i / 12);
		many[i * 3 + 1] = hours[i];
		many[i * 3 + 2] = "21:00";
	}
	many[31 * 3] = NULL;
	struct buf out = {0};
	CHECK_INT(propose(&coord, ok, many, &out), 422);
	CHECK(strstr(buf_str(&out), "30 créneaux au plus") != NULL);
	buf_free(&out);
	/* hostile text is shown, never run */
	const char *hostile[] = {"title", "<script>alert(1)</script>", "closes", "x", NULL};
	CHECK_INT(propose(&coord, hostile, two, &out), 422);
	CHECK(!strstr(buf_str(&out), "<script>alert") && strstr(buf_str(&out), "&lt;script&gt;"));
	buf_free(&out);
	CHECK_INT(db_int(-1, "SELECT count(*) FROM poll WHERE state = 'open'", NULL), 0);
}

static long long poll; /* the group's poll */
/* Counts the answers given to the group's poll (the demo has its own). */
#define ANSWERS "SELECT count(*) FROM poll_answer a JOIN poll_voter v ON v.id = a.voter_id " \
		"WHERE v.poll_id = ?"

/* A poll goes to each address of the members, with a personal link whose
 * token the database keeps only hashed. */
static void create_and_mail(void)
{
	struct browser coord = {0};
	CHECK_INT(harness_login(&coord, HARNESS_COORD, PASSWORD), 303);
	const char *fields[] = {"title", "Coordination des disponibilités", "place", "Namur",
				"closes", day(10), "note", "Ordre du jour à suivre.", NULL};
	const char *slots[] = {day(20), "14:00", "16:00", day(21), "09:30", "11:30", day(22),
			       "14:00", "16:00", NULL};
	struct call c;
	CHECK_INT(propose(&coord, fields, slots, NULL), 303);
	poll = db_int(0, "SELECT max(id) FROM poll", NULL);
	CHECK(poll > 0);
	CHECK_INT(db_int(0, "SELECT count(*) FROM poll_slot WHERE poll_id = ?", "i", poll), 3);
	long long voters = db_int(0, "SELECT count(*) FROM poll_voter WHERE poll_id = ?", "i", poll);
	CHECK(voters >= 2);
	CHECK_INT(db_int(0, "SELECT count(*) FROM outbox WHERE subject = 'Quelle date vous convient "
			 "? : Coordination des disponibilités'", NULL), voters);
	CHECK_INT(db_int(0, "SELECT count(*) FROM poll_voter WHERE poll_id = ? AND email = ?", "it",
			 poll, HARNESS_MEMBER), 1);
	struct buf text = {0};
	CHECK(harness_mail_text(HARNESS_MEMBER, "Quelle date", &text));
	const char *at = strstr(buf_str(&text), "/polls/answer/");
	CHECK(at != NULL);
	char token[64] = "";
	if (at)
		snprintf(token, sizeof(token), "%.43s", at + 14);
	CHECK_INT(db_int(-1, "SELECT count(*) FROM poll_token WHERE token_hash = ?", "t", token), 0);
	CHECK_INT(db_int(-1, "SELECT count(*) FROM audit WHERE object = 'poll' AND action = "
			 "'create'", NULL), 1);
	buf_free(&text);
	char page[64];
	snprintf(page, sizeof(page), "/polls/%lld?sent=1", poll);
	CHECK_INT(call(&c, &coord, "GET", page, NULL), 200);
	CHECK(body_has(&c, "Le sondage part vers les membres"));
	call_free(&c);
}

/* Copies into out the answer link of the newest poll mail to address. */
static bool link_of(const char *address, char *out, size_t size)
{
	struct buf text = {0};
	bool ok = harness_mail_text(address, "Quelle date", &text) ||
		  harness_mail_text(address, "Rappel", &text);
	const char *at = ok ? strstr(buf_str(&text), "/polls/answer/") : NULL;
	if (at)
		snprintf(out, size, "%.*s", (int)strcspn(at, " \n"), at);
	buf_free(&text);
	return at != NULL;
}

/* Returns the form body answering the group's three slots with a, b, c
 * (NULL leaves one out) and comment. */
static const char *answers(const char *a, const char *b, const char *c, const char *comment)
{
	static char form[400];
	json_t *slots = db_rows("SELECT id FROM poll_slot WHERE poll_id = ? ORDER BY start", "i", poll);
	const char *v[3] = {a, b, c};
	size_t n = 0;
	for (size_t i = 0; i < 3; i++)
		if (v[i])
			n += (size_t)snprintf(form + n, sizeof(form) - n, "slot-%lld=%s&",
					      db_num(json_array_get(slots, i), "id"), v[i]);
	snprintf(form + n, sizeof(form) - n, "comment=%s", comment);
	json_decref(slots);
	return form;
}

/* Answers by the mailed link: a GET shows, a POST records, an incomplete
 * or wrong answer changes nothing, a wrong link is 404. */
static void link_answers(void)
{
	struct browser anon = {0};
	char link[200];
	CHECK(link_of(HARNESS_MEMBER, link, sizeof(link)));
	struct call c;
	CHECK_INT(call(&c, &anon, "GET", link, NULL), 200);
	CHECK(body_has(&c, "Si nécessaire") && body_has(&c, "Coordination des disponibilités"));
	call_free(&c);
	CHECK_INT(db_int(-1, ANSWERS, "i", poll), 0);
	CHECK_INT(call(&c, &anon, "POST", link, answers("yes", "no", NULL, "")), 422);
	CHECK(body_has(&c, "Répondez pour chaque créneau"));
	call_free(&c);
	CHECK_INT(call(&c, &anon, "POST", link, answers("yes", "oui", "no", "")), 422);
	call_free(&c);
	CHECK_INT(db_int(-1, ANSWERS, "i", poll), 0);
	CHECK_INT(call(&c, &anon, "POST", link, answers("yes", "maybe", "no", "Le%20matin")), 200);
	CHECK(body_has(&c, "vos réponses sont enregistrées"));
	call_free(&c);
	CHECK_INT(db_int(-1, "SELECT count(*) FROM poll_answer a JOIN poll_voter v ON v.id = "
			 "a.voter_id WHERE v.email = ?", "t", HARNESS_MEMBER), 3);
	/* changed before closing */
	CHECK_INT(call(&c, &anon, "POST", link, answers("no", "yes", "no", "Le%20matin")), 200);
	call_free(&c);
	CHECK_INT(db_int(-1, "SELECT count(*) FROM poll_answer a JOIN poll_voter v ON v.id = "
			 "a.voter_id WHERE v.email = ? AND a.answer = 'yes'", "t", HARNESS_MEMBER), 1);
	char wrong[200];
	snprintf(wrong, sizeof(wrong), "%s", link);
	wrong[strlen(wrong) - 1] = wrong[strlen(wrong) - 1] == 'A' ? 'B' : 'A';
	const char *const bad[] = {wrong, "/polls/answer/court", "/polls/answer/"
				   "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"};
	for (size_t i = 0; i < 3; i++) {
		CHECKF(call(&c, &anon, "GET", bad[i], NULL) == 404, "%s", bad[i]);
		call_free(&c);
		CHECKF(call(&c, &anon, "POST", bad[i], answers("yes", "yes", "yes", "")) == 404, "%s",
		       bad[i]);
		call_free(&c);
	}
	CHECK_INT(db_int(-1, ANSWERS " AND a.answer = 'yes'", "i", poll), 1);
}

/* A member answers from the body's page; a partner of no member
 * organisation may not; results show to members only when allowed. */
static void member_answers(void)
{
	struct browser member = {0}, other = {0};
	CHECK_INT(harness_login(&member, HARNESS_MEMBER, PASSWORD), 303);
	CHECK_INT(harness_login(&other, HARNESS_PARTNER, PASSWORD), 303);
	struct call c;
	CHECK_INT(call(&c, &member, "GET", "/bodies/coordination-locale-namur", NULL), 200);
	CHECK(body_has(&c, "Sondages de date en cours") &&
	      body_has(&c, "Coordination des disponibilités"));
	call_free(&c);
	char page[64], results[64];
	snprintf(page, sizeof(page), "/polls/%lld/answer", poll);
	snprintf(results, sizeof(results), "/polls/%lld", poll);
	CHECK_INT(call(&c, &member, "GET", page, NULL), 200);
	CHECK(body_has(&c, "checked")); /* the answers given by the link */
	call_free(&c);
	json_t *slots = db_rows("SELECT id FROM poll_slot WHERE poll_id = ? ORDER BY start", "i", poll);
	char f[3][32];
	for (int i = 0; i < 3; i++)
		snprintf(f[i], sizeof(f[i]), "slot-%lld", db_num(json_array_get(slots, i), "id"));
	json_decref(slots);
	CHECK_INT(harness_post(&member, page, (const char *[]){f[0], "yes", f[1], "yes", f[2],
							       "maybe", "comment", "Le matin", NULL}, NULL),
		  200);
	CHECK_INT(db_int(-1, ANSWERS " AND a.answer = 'yes'", "i", poll), 2);
	CHECK_INT(call(&c, &other, "GET", page, NULL), 404);
	call_free(&c);
	CHECK_INT(harness_post(&other, page, (const char *[]){f[0], "yes", f[1], "yes", f[2], "yes",
							      NULL}, NULL), 404);
	CHECK_INT(call(&c, &member, "GET", results, NULL), 404); /* not shown to members */
	call_free(&c);
	CHECK_INT(call(&c, &member, "GET", page, NULL), 200);
	CHECK(!body_has(&c, "Les réponses des membres"));
	call_free(&c);
	CHECK(db_exec("UPDATE poll SET show_answers = 1 WHERE id = ?", "i", poll) == 1);
	json_t *me = db_row("SELECT name FROM user WHERE email = ?", "t", HARNESS_MEMBER);
	CHECK_INT(call(&c, &member, "GET", page, NULL), 200); /* counts and names, now allowed */
	CHECK(body_has(&c, "Les réponses des membres") && body_has(&c, db_str(me, "name")));
	call_free(&c);
	json_decref(me);
	CHECK_INT(call(&c, &member, "GET", results, NULL), 200);
	CHECK(!body_has(&c, "Choisir ce créneau")); /* the coordination's */
	call_free(&c);
	CHECK_INT(call(&c, &other, "GET", results, NULL), 404);
	call_free(&c);
}

/* The results put the slot with the most yes first, then the most « si
 * nécessaire », then the most organisations; each names its organisations. */
static void results_ranked(void)
{
	struct browser coord = {0};
	CHECK_INT(harness_login(&coord, HARNESS_COORD, PASSWORD), 303);
	json_t *r = poll_results(poll);
	json_t *slots = json_object_get(r, "slots");
	CHECK_INT(json_array_size(slots), 3);
	long long prev_yes = 1000, prev_maybe = 1000;
	size_t i;
	json_t *s;
	json_array_foreach(slots, i, s) {
		long long yes = db_num(s, "yes"), maybe = db_num(s, "maybe");
		CHECK(yes < prev_yes || (yes == prev_yes && maybe <= prev_maybe));
		prev_yes = yes;
		prev_maybe = maybe;
	}
	/* the member answered yes on the second day: it comes first, with its organisation */
	json_t *first = json_array_get(slots, 0);
	CHECK_INT(db_num(first, "yes"), 1);
	json_t *org = db_row("SELECT coalesce(o.acronym, o.name) AS name FROM user u JOIN "
			     "organisation o ON o.id = u.organisation_id WHERE u.email = ?", "t",
			     HARNESS_MEMBER);
	CHECK(db_str(first, "organisations") && strstr(db_str(first, "organisations"),
						       db_str(org, "name")));
	json_decref(org);
	json_decref(r);
	char page[64];
	snprintf(page, sizeof(page), "/polls/%lld", poll);
	struct call c;
	CHECK_INT(call(&c, &coord, "GET", page, NULL), 200);
	CHECK(body_has(&c, "le plus suivi") && body_has(&c, "Choisir ce créneau"));
	CHECK(body_has(&c, "Pas encore de réponse") && body_has(&c, "Le matin"));
	call_free(&c);
	CHECK_INT(call(&c, &coord, "GET", "/", NULL), 200); /* the coordination's home */
	CHECK(body_has(&c, "Sondages de date en cours"));
	call_free(&c);
}

/* The day's work: one reminder, to the silent only; then, past the last
 * day, the poll closes and its author is told. */
static void reminders_and_closing(void)
{
	CHECK(db_exec("UPDATE poll SET closes = date('now', 'localtime', '+1 day') WHERE id = ?", "i",
		      poll) == 1);
	long long silent = db_int(0, "SELECT count(*) FROM poll_voter WHERE poll_id = ? AND "
				  "answered IS NULL", "i", poll);
	CHECK(silent >= 1);
	CHECK(poll_daily() >= silent);
	CHECK_INT(db_int(0, "SELECT count(*) FROM outbox WHERE subject LIKE 'Rappel%'", NULL), silent);
	CHECK_INT(db_int(0, "SELECT count(*) FROM outbox WHERE subject LIKE 'Rappel%' AND "
			 "recipient = ?", "t", HARNESS_MEMBER), 0);
	CHECK_INT(poll_daily(), 0); /* once */
	CHECK_INT(db_int(0, "SELECT count(*) FROM outbox WHERE subject LIKE 'Rappel%'", NULL), silent);
	char link[200];
	json_t *v = db_row("SELECT email FROM poll_voter WHERE poll_id = ? AND answered IS NULL "
			   "LIMIT 1", "i", poll);
	CHECK(link_of(db_str(v, "email"), link, sizeof(link))); /* the reminder's own link works */
	json_decref(v);
	struct browser anon = {0};
	struct call c;
	CHECK_INT(call(&c, &anon, "GET", link, NULL), 200);
	call_free(&c);
	/* a second poll past its last day closes, and its author hears of it */
	CHECK(db_exec("INSERT INTO poll (body_id, title, closes, user_id) SELECT b.id, 'Sondage "
		      "oublié', date('now', 'localtime', '-1 day'), u.id FROM body b, user u WHERE "
		      "b.slug = 'coordination-locale-namur' AND u.email = ?", "t", HARNESS_COORD) == 1);
	long long old = db_last_id();
	CHECK_INT(poll_daily(), 1);
	CHECK_INT(db_int(0, "SELECT count(*) FROM poll WHERE id = ? AND state = 'closed'", "i", old), 1);
	CHECK_INT(db_int(0, "SELECT count(*) FROM outbox WHERE subject = 'Sondage clos : Sondage "
			 "oublié' AND recipient = ?", "t", HARNESS_COORD), 1);
}

/* The API gives the coordination the polls with their counts and
 * organisations, and nobody else; no person is named in it. */
static void api_for_coordination(void)
{
	struct browser coord = {0}, member = {0};
	CHECK_INT(harness_login(&coord, HARNESS_COORD, PASSWORD), 303);
	CHECK_INT(harness_login(&member, HARNESS_MEMBER, PASSWORD), 303);
	struct call c;
	CHECK_INT(call(&c, &coord, "GET", "/api/v1/polls", NULL), 200);
	json_t *j = json_loads(buf_str(&c.resp.body), 0, NULL);
	call_free(&c);
	json_t *first = NULL, *each;
	size_t i;
	json_array_foreach(json_object_get(j, "data"), i, each) /* the demo's poll is there too */
		if (strcmp(json_string_value(json_object_get(each, "name")),
			   "Coordination des disponibilités") == 0)
			first = each;
	CHECK_STR(json_string_value(json_object_get(first, "name")), "Coordination des disponibilités");
	json_t *slot = json_array_get(json_object_get(first, "slots"), 0);
	CHECK_INT(json_integer_value(json_object_get(slot, "yes")), 1);
	CHECK(json_string_value(json_object_get(slot, "organizations"))[0] != '\0');
	char *text = json_dumps(j, 0);
	CHECK(!strstr(text, HARNESS_MEMBER) && !strstr(text, "Le matin"));
	free(text);
	json_decref(j);
	char one[64];
	snprintf(one, sizeof(one), "/api/v1/polls/%lld", poll);
	CHECK_INT(call(&c, &coord, "GET", one, NULL), 200);
	call_free(&c);
	CHECK_INT(call(&c, &member, "GET", "/api/v1/polls", NULL), 200);
	CHECK(body_has(&c, "\"data\": []") || body_has(&c, "\"data\":[]"));
	call_free(&c);
	CHECK_INT(call(&c, &member, "GET", one, NULL), 404);
	call_free(&c);
}

/* Choosing a slot makes the meeting at its hours, with the expected
 * answers of those who answered it, and sends its invitation; the poll
 * then takes no answer (410) and no second choice (409). */
static void close_makes_meeting(void)
{
	struct browser coord = {0}, anon = {0};
	CHECK_INT(harness_login(&coord, HARNESS_COORD, PASSWORD), 303);
	json_t *results = poll_results(poll);
	json_t *slot = db_row("SELECT id, start, end FROM poll_slot WHERE id = ?", "i",
			      db_num(json_array_get(json_object_get(results, "slots"), 0), "id"));
	json_decref(results);
	char target[64], id[24];
	snprintf(target, sizeof(target), "/polls/%lld/close", poll);
	snprintf(id, sizeof(id), "%lld", db_num(slot, "id"));
	CHECK_INT(harness_post(&coord, target, (const char *[]){"slot", id, NULL}, NULL), 303);
	long long m = db_int(0, "SELECT meeting_id FROM poll WHERE id = ?", "i", poll);
	CHECK(m > 0);
	CHECK_INT(db_int(0, "SELECT count(*) FROM meeting WHERE id = ? AND start = ? AND end = ? AND "
			 "status = 'planned' AND place = 'Namur' AND title = 'Coordination des "
			 "disponibilités'", "itt", m, db_str(slot, "start"), db_str(slot, "end")), 1);
	CHECK_INT(db_int(0, "SELECT count(*) FROM rsvp WHERE meeting_id = ? AND email = ? AND "
			 "answer = 'accepted'", "it", m, HARNESS_MEMBER), 1);
	CHECK(db_int(0, "SELECT count(*) FROM outbox WHERE subject LIKE 'Invitation : Coordination "
		     "des disponibilités%'", NULL) >= 2);
	char prepare[64];
	snprintf(prepare, sizeof(prepare), "/meetings/%lld/prepare", m);
	struct call c;
	CHECK_INT(call(&c, &coord, "GET", prepare, NULL), 200);
	CHECK(body_has(&c, "Cette réunion vient du sondage"));
	call_free(&c);
	CHECK_INT(harness_post(&coord, target, (const char *[]){"slot", id, NULL}, NULL), 409);
	char link[200];
	CHECK(link_of(HARNESS_MEMBER, link, sizeof(link)));
	CHECK_INT(call(&c, &anon, "POST", link, answers("yes", "yes", "yes", "")), 410);
	call_free(&c);
	json_decref(slot);
}

/* Slots on the days the clocks change keep their Brussels hours in the
 * meeting and in its invitation. */
static void clock_changes(void)
{
	struct browser coord = {0};
	CHECK_INT(harness_login(&coord, HARNESS_COORD, PASSWORD), 303);
	const char *fields[] = {"title", "Heure d'été", "closes", day(1), NULL};
	const char *slots[] = {"2030-03-31", "10:00", "12:00", "2030-10-27", "10:00", "12:00", NULL};
	CHECK_INT(propose(&coord, fields, slots, NULL), 303);
	long long p = db_int(0, "SELECT max(id) FROM poll", NULL);
	const char *days[] = {"2030-03-31T10:00", "2030-10-27T10:00"};
	const char *ics[] = {"DTSTART;TZID=Europe/Brussels:20300331T100000",
			     "DTSTART;TZID=Europe/Brussels:20301027T100000"};
	for (int i = 0; i < 2; i++) {
		long long slot = db_int(0, "SELECT id FROM poll_slot WHERE poll_id = ? AND start = ?",
					"it", p, days[i]);
		CHECK(slot > 0);
		if (i == 1)
			CHECK(db_exec("UPDATE poll SET state = 'open', meeting_id = NULL WHERE id = ?", "i",
				      p) == 1);
		long long m = poll_close(p, slot, 0);
		CHECK(m > 0);
		CHECK_INT(db_int(0, "SELECT count(*) FROM meeting WHERE id = ? AND start = ?", "it", m,
				 days[i]), 1);
		struct buf cal = {0};
		CHECK(harness_mail_part(HARNESS_MEMBER, "Invitation : Heure d'été", "text/calendar",
					&cal));
		CHECKF(strstr(buf_str(&cal), ics[i]) != NULL, "%s", ics[i]);
		buf_free(&cal);
	}
}

/* A member without a voter row yet (run last: it takes the member's row
 * away): reading the form writes nothing, answering makes the row. */
static void member_form_reads_only(void)
{
	struct browser member = {0};
	CHECK_INT(harness_login(&member, HARNESS_MEMBER, PASSWORD), 303);
	char page[64];
	snprintf(page, sizeof(page), "/polls/%lld/answer", poll);
	CHECK(db_exec("UPDATE poll SET state = 'open', closes = date('now', '+7 days') WHERE id = ?",
		      "i", poll) == 1);
	json_t *slots = db_rows("SELECT id FROM poll_slot WHERE poll_id = ? ORDER BY start", "i", poll);
	char f[3][32];
	for (int i = 0; i < 3; i++)
		snprintf(f[i], sizeof(f[i]), "slot-%lld", db_num(json_array_get(slots, i), "id"));
	json_decref(slots);
	struct call c;
	const char *voter = "SELECT count(*) FROM poll_voter WHERE poll_id = ? AND email = ?";
	CHECK(db_exec("DELETE FROM poll_answer WHERE voter_id IN (SELECT id FROM poll_voter WHERE "
		      "poll_id = ? AND email = ?)", "it", poll, HARNESS_MEMBER) >= 0 &&
	      db_exec("DELETE FROM poll_token WHERE voter_id IN (SELECT id FROM poll_voter WHERE "
		      "poll_id = ? AND email = ?)", "it", poll, HARNESS_MEMBER) >= 0 &&
	      db_exec("DELETE FROM poll_voter WHERE poll_id = ? AND email = ?", "it", poll,
		      HARNESS_MEMBER) >= 0);
	CHECK_INT(call(&c, &member, "GET", page, NULL), 200);
	CHECK(!body_has(&c, "checked"));
	call_free(&c);
	CHECK_INT(db_int(-1, voter, "it", poll, HARNESS_MEMBER), 0);
	CHECK_INT(harness_post(&member, page, (const char *[]){f[0], "no", f[1], "no", f[2], "no",
							       NULL}, NULL), 200);
	CHECK_INT(db_int(-1, voter, "it", poll, HARNESS_MEMBER), 1);
}

/* Runs the date poll tests. */
void pages_polls(void)
{
	harness_fresh();
	RUN(form_refusals);
	RUN(create_and_mail);
	RUN(link_answers);
	RUN(member_answers);
	RUN(results_ranked);
	RUN(api_for_coordination);
	RUN(reminders_and_closing);
	RUN(close_makes_meeting);
	RUN(clock_changes);
	RUN(member_form_reads_only);
}
