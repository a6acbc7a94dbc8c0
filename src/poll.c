/* poll.c — date polls (see poll.h): checking and creating a poll, its
 * voters and their mailed links, answers, the results ranked, closing
 * into a meeting, and the day's reminders and closings. */
#include "poll.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "db.h"
#include "meeting.h"
#include "notify.h"
#include "rsvp.h"
#include "text.h"

/* Tells whether s is an hour "HH:MM". */
static bool hour(const char *s)
{
	return s && strlen(s) == 5 && text_is_hour(s);
}

/* Tells whether s is empty or a line of at most max bytes of valid UTF-8
 * without control characters. */
static bool line_ok(const char *s, size_t max)
{
	size_t n = s ? strlen(s) : 0;
	if (n > max || (n && !text_utf8_valid(s, n)))
		return false;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return false;
	return true;
}

/* Notes the problems of p (see poll.h). */
void poll_rules(const struct poll_in *p, struct check *c)
{
	static const char *const fields[POLL_SLOTS_MAX] = { /* a slot's problem: its date input */
		"date-1", "date-2", "date-3", "date-4", "date-5", "date-6", "date-7", "date-8",
		"date-9", "date-10", "date-11", "date-12", "date-13", "date-14", "date-15",
		"date-16", "date-17", "date-18", "date-19", "date-20", "date-21", "date-22",
		"date-23", "date-24", "date-25", "date-26", "date-27", "date-28", "date-29",
		"date-30"};
	char today[11];
	snprintf(today, sizeof(today), "%s", "0000-00-00");
	json_t *now = db_row("SELECT date('now', 'localtime') AS d", NULL);
	if (now)
		snprintf(today, sizeof(today), "%s", db_str(now, "d"));
	json_decref(now);
	check_if(c, !p->title || !*p->title || !line_ok(p->title, 200), "title",
		 "Le titre est obligatoire (200 caractères au plus, sur une ligne).");
	check_if(c, !line_ok(p->place, 300), "place", "Le lieu tient sur une ligne de 300 caractères "
		 "au plus.");
	check_if(c, p->video && *p->video && (strncmp(p->video, "https://", 8) != 0 ||
					      !line_ok(p->video, 500)), "video",
		 "Le lien de visioconférence doit commencer par https://.");
	check_if(c, p->note && (strlen(p->note) > 10000 ||
				!text_utf8_valid(p->note, strlen(p->note))), "note",
		 "La note dépasse 10 000 caractères ou contient des caractères invalides.");
	bool closes = p->closes && strlen(p->closes) == 10 && text_is_date(p->closes);
	check_if(c, !closes || strcmp(p->closes, today) < 0, "closes",
		 "La date de clôture doit être une date d'aujourd'hui ou plus tard (AAAA-MM-JJ).");
	check_if(c, p->nslots < POLL_SLOTS_MIN || p->nslots > POLL_SLOTS_MAX, "slots",
		 p->nslots > POLL_SLOTS_MAX ? "30 créneaux au plus : retirez-en."
					   : "Proposez au moins deux créneaux.");
	for (size_t i = 0; i < p->nslots && i < POLL_SLOTS_MAX; i++) {
		const struct poll_slot_in *s = &p->slots[i];
		bool day = s->date && strlen(s->date) == 10 && text_is_date(s->date);
		bool times = hour(s->start) && hour(s->end);
		check_if(c, !day || !times, fields[i], "Ce créneau demande une date (AAAA-MM-JJ), une "
			 "heure de début et une heure de fin (HH:MM).");
		check_if(c, day && times && strcmp(s->end, s->start) <= 0, fields[i],
			 "Ce créneau finit avant de commencer.");
		bool past = day && strcmp(s->date, today) < 0;
		check_if(c, past, fields[i], "Ce créneau est passé.");
		check_if(c, day && !past && closes && strcmp(s->date, p->closes) < 0, fields[i],
			 "Ce créneau tombe avant la clôture du sondage.");
		for (size_t k = 0; k < i; k++)
			check_if(c, day && times && p->slots[k].date && p->slots[k].start &&
				 p->slots[k].end && strcmp(s->date, p->slots[k].date) == 0 &&
				 strcmp(s->start, p->slots[k].start) == 0 &&
				 strcmp(s->end, p->slots[k].end) == 0, fields[i],
				 "Ce créneau est proposé deux fois.");
	}
}

/* Issues a new link for voter id: writes its token into out and keeps its
 * hash; 0 or -1. */
static int new_link(long long voter, char out[AUTH_TOKEN_LEN + 1])
{
	char hash[65];
	auth_random_token(out);
	auth_token_hash(out, hash);
	return db_exec("INSERT INTO poll_token (token_hash, voter_id) VALUES (?, ?)", "ti", hash,
		       voter) == 1 ? 0 : -1;
}

/* The poll's row for its mails and pages. */
#define POLL_SQL                                                                             \
	"SELECT p.id, p.title, p.place, p.video, p.note, p.closes, p.show_answers, p.state, "  \
	"p.meeting_id, p.body_id, p.user_id, b.name AS body, b.slug AS body_slug, "             \
	"p.state = 'open' AND p.closes >= date('now', 'localtime') AS open FROM poll p "        \
	"JOIN body b ON b.id = p.body_id WHERE p.id = ?"

/* Creates a poll (see poll.h). */
long long poll_create(const struct poll_in *p, long long user_id)
{
	if (db_begin() < 0)
		return -1;
	long long id = db_exec("INSERT INTO poll (body_id, title, place, video, note, closes, "
			       "show_answers, user_id) VALUES (?, ?, ?, ?, ?, ?, ?, nullif(?, 0))",
			       "itttttii", p->body_id, p->title, p->place ? p->place : "",
			       p->video ? p->video : "", p->note ? p->note : "", p->closes,
			       (long long)p->show_answers, user_id) == 1 ? db_last_id() : -1;
	for (size_t i = 0; id > 0 && i < p->nslots; i++) {
		char start[17], end[17];
		snprintf(start, sizeof(start), "%.10sT%.5s", p->slots[i].date, p->slots[i].start);
		snprintf(end, sizeof(end), "%.10sT%.5s", p->slots[i].date, p->slots[i].end);
		if (db_exec("INSERT INTO poll_slot (poll_id, start, end) VALUES (?, ?, ?)", "itt", id,
			    start, end) != 1)
			id = -1;
	}
	json_t *poll = id > 0 ? db_row(POLL_SQL, "i", id) : NULL;
	json_t *to = poll ? notify_member_addresses(p->body_id) : NULL, *r;
	size_t i;
	json_array_foreach(to, i, r) {
		char token[AUTH_TOKEN_LEN + 1];
		long long voter = id > 0 && db_exec("INSERT INTO poll_voter (poll_id, email, "
			"organisation_id, user_id, person_id) VALUES (?, ?, nullif(?, 0), nullif(?, 0), "
			"nullif(?, 0))", "itiii", id, db_str(r, "email"), db_num(r, "org"),
			db_num(r, "uid"), db_num(r, "pid")) == 1 ? db_last_id() : -1;
		if (voter < 0 || new_link(voter, token) < 0 ||
		    notify_poll(poll, db_str(r, "email"), db_str(r, "token"), token, false) < 0)
			id = -1;
	}
	char count[24];
	snprintf(count, sizeof(count), "%zu", json_array_size(to));
	if (id < 0 || !poll || db_audit(user_id, "create", "poll", id, NULL, count) < 0 ||
	    db_commit() < 0) {
		db_rollback();
		id = -1;
	}
	json_decref(to);
	json_decref(poll);
	return id;
}

/* The voter's row as the answer pages need it. */
#define VOTER_SQL                                                                            \
	"SELECT v.id, v.poll_id, v.email, v.comment, v.answered IS NOT NULL AS answered, "     \
	"coalesce(o.acronym, o.name) AS organisation, p.state = 'open' AND p.closes >= "       \
	"date('now', 'localtime') AS open FROM poll_voter v JOIN poll p ON p.id = v.poll_id "   \
	"LEFT JOIN organisation o ON o.id = v.organisation_id "

/* Returns the voter a link names (see poll.h). */
json_t *poll_voter_by_token(const char *token)
{
	if (!token || strlen(token) != AUTH_TOKEN_LEN)
		return NULL;
	char hash[65];
	auth_token_hash(token, hash);
	return db_row(VOTER_SQL "JOIN poll_token t ON t.voter_id = v.id WHERE t.token_hash = ?",
		      "t", hash);
}

/* Returns an account's voter row, made when asked (see poll.h). */
json_t *poll_voter_of_user(long long poll_id, long long user_id, bool make)
{
	json_t *u = db_row("SELECT u.email, u.organisation_id FROM user u JOIN poll p ON p.id = ?1 "
			   "JOIN membership ms ON ms.body_id = p.body_id AND ms.organisation_id = "
			   "u.organisation_id AND (ms.end_date IS NULL OR ms.end_date >= date('now')) "
			   "WHERE u.id = ?2 AND u.disabled = 0", "ii", poll_id, user_id);
	if (u && make && db_exec("INSERT INTO poll_voter (poll_id, email, organisation_id, user_id) "
				 "VALUES (?, lower(?), ?, ?) ON CONFLICT (poll_id, email) DO NOTHING",
				 "itii", poll_id, db_str(u, "email"), db_num(u, "organisation_id"),
				 user_id) < 0) {
		json_decref(u);
		return NULL;
	}
	json_t *v = u ? db_row(VOTER_SQL "WHERE v.poll_id = ? AND v.email = lower(?)", "it",
			       poll_id, db_str(u, "email")) : NULL;
	if (u && !v && !make) /* not a voter yet: the row its answers will make */
		v = db_row("SELECT 0 AS id, p.id AS poll_id, lower(?) AS email, '' AS comment, 0 AS "
			   "answered, (SELECT coalesce(acronym, name) FROM organisation WHERE id = ?) "
			   "AS organisation, p.state = 'open' AND p.closes >= date('now', "
			   "'localtime') AS open FROM poll p WHERE p.id = ?", "tii",
			   db_str(u, "email"), db_num(u, "organisation_id"), poll_id);
	json_decref(u);
	return v;
}

/* Tells whether answer is one of yes, maybe, no. */
bool poll_answer_ok(const char *answer)
{
	return answer && (!strcmp(answer, "yes") || !strcmp(answer, "maybe") || !strcmp(answer, "no"));
}

/* Records a voter's answers (see poll.h). */
int poll_answer(long long voter_id, json_t *answers, const char *comment, long long user_id)
{
	json_t *slots = db_rows("SELECT s.id FROM poll_slot s JOIN poll_voter v ON v.poll_id = "
				"s.poll_id WHERE v.id = ? ORDER BY s.id", "i", voter_id), *s;
	size_t i;
	int rc = slots && json_array_size(slots) ? 0 : 1;
	json_array_foreach(slots, i, s) {
		char key[24];
		snprintf(key, sizeof(key), "%lld", db_num(s, "id"));
		if (!poll_answer_ok(json_string_value(json_object_get(answers, key))))
			rc = 1;
	}
	if (json_object_size(answers) != json_array_size(slots) || !line_ok(comment, 1000))
		rc = 1;
	if (rc == 0 && db_begin() < 0)
		rc = -1;
	json_array_foreach(slots, i, s) {
		char key[24];
		snprintf(key, sizeof(key), "%lld", db_num(s, "id"));
		if (rc == 0 && db_exec("INSERT INTO poll_answer (voter_id, slot_id, answer) VALUES "
				       "(?, ?, ?) ON CONFLICT (voter_id, slot_id) DO UPDATE SET "
				       "answer = excluded.answer", "iit", voter_id, db_num(s, "id"),
				       json_string_value(json_object_get(answers, key))) < 0)
			rc = -1;
	}
	char *after = rc == 0 ? json_dumps(answers, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	if (rc == 0 && (db_exec("UPDATE poll_voter SET comment = ?, answered = " DB_NOW " WHERE "
				"id = ?", "ti", comment ? comment : "", voter_id) != 1 ||
			db_audit(user_id, "answer", "poll_voter", voter_id, NULL, after) < 0 ||
			db_commit() < 0)) {
		db_rollback();
		rc = -1;
	}
	free(after);
	json_decref(slots);
	return rc;
}

/* Returns the people of slot answering answer, as text (« Ana (CAI),
 * … »), or "—" for nobody (new reference). */
static json_t *people(long long slot, const char *answer)
{
	json_t *r = db_row("SELECT group_concat(who, ', ') AS who FROM (SELECT coalesce(u.name, "
			   "pe.name, v.email) || coalesce(' (' || coalesce(o.acronym, o.name) || ')', "
			   "'') AS who FROM poll_answer a JOIN poll_voter v ON v.id = a.voter_id LEFT "
			   "JOIN user u ON u.id = v.user_id LEFT JOIN person pe ON pe.id = v.person_id "
			   "LEFT JOIN organisation o ON o.id = v.organisation_id WHERE a.slot_id = ? AND "
			   "a.answer = ? ORDER BY 1)", "it", slot, answer);
	json_t *who = json_string(db_str(r, "who") ? db_str(r, "who") : "—");
	json_decref(r);
	return who;
}

/* Returns the poll alone (see poll.h). */
json_t *poll_row(long long poll_id)
{
	return db_row(POLL_SQL, "i", poll_id);
}

/* Returns the poll with its slots ranked (see poll.h). */
json_t *poll_results(long long poll_id)
{
	json_t *p = poll_row(poll_id);
	if (!p)
		return NULL;
	json_t *slots = db_rows(
		"SELECT s.id, s.start, s.end, sum(a.answer = 'yes') AS yes, sum(a.answer = 'maybe') "
		"AS maybe, sum(a.answer = 'no') AS no, (SELECT group_concat(name, ', ') FROM (SELECT "
		"DISTINCT coalesce(o.acronym, o.name) AS name FROM poll_answer a2 JOIN poll_voter v "
		"ON v.id = a2.voter_id JOIN organisation o ON o.id = v.organisation_id WHERE "
		"a2.slot_id = s.id AND a2.answer IN ('yes', 'maybe') ORDER BY 1)) AS organisations, "
		"(SELECT count(DISTINCT v.organisation_id) FROM poll_answer a2 JOIN poll_voter v ON "
		"v.id = a2.voter_id WHERE a2.slot_id = s.id AND a2.answer IN ('yes', 'maybe')) AS "
		"norgs FROM poll_slot s LEFT JOIN poll_answer a ON a.slot_id = s.id WHERE s.poll_id "
		"= ? GROUP BY s.id ORDER BY coalesce(sum(a.answer = 'yes'), 0) DESC, "
		"coalesce(sum(a.answer = 'maybe'), 0) DESC, norgs DESC, s.start", "i", poll_id), *s;
	size_t i;
	json_array_foreach(slots, i, s) {
		struct buf when = {0};
		text_span_fr(&when, db_str(s, "start"), db_str(s, "end"));
		json_object_set_new(s, "when", json_string(buf_str(&when)));
		buf_free(&when);
		json_object_set_new(s, "best", json_boolean(i == 0 && db_num(s, "yes") > 0));
		json_object_set_new(s, "yes_people", people(db_num(s, "id"), "yes"));
		json_object_set_new(s, "maybe_people", people(db_num(s, "id"), "maybe"));
		json_object_set_new(s, "no_people", people(db_num(s, "id"), "no"));
	}
	json_object_set_new(p, "slots", slots ? slots : json_array());
	json_t *silent = db_rows("SELECT coalesce(u.name, pe.name, v.email) AS name, "
				 "coalesce(o.acronym, o.name) AS organisation FROM poll_voter v LEFT "
				 "JOIN user u ON u.id = v.user_id LEFT JOIN person pe ON pe.id = "
				 "v.person_id LEFT JOIN organisation o ON o.id = v.organisation_id "
				 "WHERE v.poll_id = ? AND v.answered IS NULL ORDER BY 2, 1", "i", poll_id);
	json_object_set_new(p, "silent", silent ? silent : json_array());
	json_object_set_new(p, "voters", json_integer(db_int(0, "SELECT count(*) FROM poll_voter "
							     "WHERE poll_id = ?", "i", poll_id)));
	json_object_set_new(p, "answered", json_integer(db_int(0, "SELECT count(*) FROM poll_voter "
							       "WHERE poll_id = ? AND answered IS NOT "
							       "NULL", "i", poll_id)));
	json_t *comments = db_rows("SELECT coalesce(u.name, pe.name, v.email) AS name, v.comment "
				   "FROM poll_voter v LEFT JOIN user u ON u.id = v.user_id LEFT JOIN "
				   "person pe ON pe.id = v.person_id WHERE v.poll_id = ? AND "
				   "v.comment <> '' ORDER BY v.answered", "i", poll_id);
	json_object_set_new(p, "comments", comments ? comments : json_array());
	return p;
}

/* Closes a poll into a meeting (see poll.h). */
long long poll_close(long long poll_id, long long slot_id, long long user_id)
{
	json_t *p = db_row(POLL_SQL, "i", poll_id);
	json_t *s = p ? db_row("SELECT start, end FROM poll_slot WHERE id = ? AND poll_id = ?",
			       "ii", slot_id, poll_id) : NULL;
	json_t *body = p ? db_row("SELECT visibility FROM body WHERE id = ?", "i",
				  db_num(p, "body_id")) : NULL;
	long long meeting = 0;
	if (!p || !s || db_num(p, "meeting_id") || db_begin() < 0)
		goto out;
	const char *place = db_str(p, "place"), *video = db_str(p, "video");
	struct meeting_in in = {
		.body_id = db_num(p, "body_id"), .title = db_str(p, "title"),
		.start = db_str(s, "start"), .end = db_str(s, "end"), .place = place, .video = video,
		.format = *video ? (*place ? "hybrid" : "remote") : "on_site", .status = "planned",
		.visibility = strcmp(db_str(body, "visibility"), "internal") == 0 ? "internal"
										   : "members",
		.agenda = db_str(p, "note"), .minutes = ""};
	meeting = meeting_save(0, &in, user_id);
	json_t *voters = meeting > 0 ? db_rows("SELECT v.email, v.organisation_id, v.user_id, "
					       "v.person_id, a.answer FROM poll_voter v JOIN "
					       "poll_answer a ON a.voter_id = v.id WHERE "
					       "a.slot_id = ?", "i", slot_id) : NULL, *v;
	size_t i;
	json_array_foreach(voters, i, v) {
		const char *a = db_str(v, "answer");
		long long r = rsvp_invite(meeting, db_str(v, "email"), db_num(v, "organisation_id"),
					  db_num(v, "user_id"), db_num(v, "person_id"));
		if (r <= 0 || db_exec("UPDATE rsvp SET answer = ? WHERE id = ?", "ti",
				      !strcmp(a, "yes") ? "accepted" : !strcmp(a, "maybe") ? "tentative"
				      : "declined", r) != 1)
			meeting = -1;
	}
	json_decref(voters);
	char after[24];
	snprintf(after, sizeof(after), "%lld", slot_id);
	if (meeting <= 0 ||
	    db_exec("UPDATE poll SET state = 'closed', meeting_id = ?, modified = " DB_NOW
		    " WHERE id = ?", "ii", meeting, poll_id) != 1 ||
	    db_audit(user_id, "close", "poll", poll_id, NULL, after) < 0 || db_commit() < 0) {
		db_rollback();
		meeting = -1;
	}
	if (meeting > 0 && notify_invite(meeting, user_id) < 0)
		meeting = -1; /* the meeting stands; its invitation can be sent again from its page */
out:
	json_decref(p);
	json_decref(s);
	json_decref(body);
	return meeting;
}

/* Reminds the silent voters of poll p once; how many, or -1. */
static int remind(json_t *p)
{
	json_t *silent = db_rows("SELECT v.id, v.email, per.unsubscribe_token AS token FROM "
				 "poll_voter v LEFT JOIN person per ON per.id = v.person_id AND "
				 "v.user_id IS NULL WHERE v.poll_id = ? AND v.answered IS NULL", "i",
				 db_num(p, "id")), *v;
	size_t i;
	int n = 0;
	json_array_foreach(silent, i, v) {
		char token[AUTH_TOKEN_LEN + 1];
		if (n >= 0 && (new_link(db_num(v, "id"), token) < 0 ||
			       notify_poll(p, db_str(v, "email"), db_str(v, "token"), token, true) < 0))
			n = -1;
		else if (n >= 0)
			n++;
	}
	json_decref(silent);
	return n;
}

/* The day's reminders and closings (see poll.h). */
int poll_daily(void)
{
	json_t *due = db_rows("SELECT id, reminded IS NULL AND closes <= date('now', 'localtime', "
			      "'+2 days') AS remind, closes < date('now', 'localtime') AS over FROM "
			      "poll WHERE state = 'open' AND (reminded IS NULL OR closes < "
			      "date('now', 'localtime')) ORDER BY id", NULL), *d;
	size_t i;
	int total = 0;
	json_array_foreach(due, i, d) {
		if (!db_num(d, "remind") && !db_num(d, "over"))
			continue;
		json_t *p = db_row(POLL_SQL, "i", db_num(d, "id"));
		int n = p && db_begin() == 0 ? 0 : -1;
		if (n == 0 && db_num(d, "remind") && !db_num(d, "over"))
			n = remind(p);
		if (n >= 0 && db_num(d, "remind") && !db_num(d, "over"))
			n = db_exec("UPDATE poll SET reminded = " DB_NOW " WHERE id = ?", "i",
				    db_num(d, "id")) == 1 ? n : -1;
		if (n >= 0 && db_num(d, "over")) {
			json_t *author = db_row("SELECT email FROM user WHERE id = ?", "i",
						db_num(p, "user_id"));
			n = db_exec("UPDATE poll SET state = 'closed', modified = " DB_NOW " WHERE id = ?",
				    "i", db_num(d, "id")) == 1 &&
			    db_audit(0, "close", "poll", db_num(d, "id"), NULL, NULL) == 0 &&
			    (!author || notify_poll_closed(p, db_str(author, "email")) == 0) ? 1 : -1;
			json_decref(author);
		}
		if (n < 0 || db_commit() < 0) {
			db_rollback();
			total = -1;
		} else if (total >= 0) {
			total += n;
		}
		json_decref(p);
	}
	json_decref(due);
	return total;
}
