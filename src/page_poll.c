/* page_poll.c — date polls on the web: the coordinator's form (slots by
 * day), the answer form reached by a personal link (no account) or by a
 * member from the body's page, the results best first, and choosing the
 * slot that makes the meeting. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "db.h"
#include "page.h"
#include "poll.h"
#include "text.h"

#define ROWS_SHOWN 6 /* empty slot rows the form offers at first, and each time more are asked */

/* Returns the body of the request's slug, when the reader may see it
 * ({id, slug, name}), or NULL (new reference). */
static json_t *body_of(struct req *req)
{
	json_t *b = db_row("SELECT id, slug, name, visibility FROM body WHERE slug = ?", "t",
			   req_param(req, "slug"));
	if (b && strcmp(db_str(b, "visibility"), "internal") == 0 && req->user.role < ROLE_BOARD) {
		json_decref(b);
		return NULL;
	}
	return b;
}

/* Reads the form into p (strings from req) and the rows as the form shows
 * them again into rows ([{n, date, start, end}]): the filled slots sorted
 * by day and hour, then empty rows. */
static void read_form(struct req *req, struct poll_in *p, json_t *rows, size_t empty)
{
	p->title = req_form(req, "title");
	p->place = req_form(req, "place");
	p->video = req_form(req, "video");
	p->note = req_form(req, "note");
	p->closes = req_form(req, "closes");
	p->show_answers = req_form(req, "show_answers") != NULL;
	for (int i = 1; i <= POLL_SLOTS_MAX + 20; i++) { /* a crafted form may send more */
		char k[3][24];
		snprintf(k[0], sizeof(k[0]), "date-%d", i);
		snprintf(k[1], sizeof(k[1]), "start-%d", i);
		snprintf(k[2], sizeof(k[2]), "end-%d", i);
		const char *date = req_form(req, k[0]), *start = req_form(req, k[1]),
			   *end = req_form(req, k[2]);
		if (!(date && *date) && !(start && *start) && !(end && *end))
			continue;
		if (p->nslots <= POLL_SLOTS_MAX)
			p->slots[p->nslots] = (struct poll_slot_in){date, start, end};
		p->nslots++;
	}
	size_t kept = p->nslots > POLL_SLOTS_MAX ? POLL_SLOTS_MAX : p->nslots;
	for (size_t i = 0; i < kept; i++)
		json_array_append_new(rows, json_pack("{s:s, s:s, s:s}", "date",
			p->slots[i].date ? p->slots[i].date : "", "start",
			p->slots[i].start ? p->slots[i].start : "", "end",
			p->slots[i].end ? p->slots[i].end : ""));
	for (size_t i = 0; i < empty && json_array_size(rows) < POLL_SLOTS_MAX; i++)
		json_array_append_new(rows, json_pack("{s:s, s:s, s:s}", "date", "", "start", "",
						      "end", ""));
}

/* Renders the poll form of body b (consumed) with the rows, the fields
 * given and the problems (consumed, may be NULL). */
static int form_page(struct req *req, struct resp *resp, int status, json_t *b, json_t *rows,
		     json_t *problems)
{
	json_t *d = page_data(req, "Proposer des dates");
	size_t i;
	json_t *r;
	json_array_foreach(rows, i, r) {
		json_object_set_new(r, "n", json_integer((json_int_t)i + 1));
		char field[32];
		snprintf(field, sizeof(field), "date-%zu", i + 1);
		json_t *pr;
		size_t k;
		json_array_foreach(problems, k, pr)
			if (strcmp(db_str(pr, "field"), field) == 0)
				json_object_set(r, "error", json_object_get(pr, "message"));
	}
	json_object_set_new(d, "rows", rows);
	json_object_set_new(d, "poll_form", json_true()); /* its script */
	json_object_set_new(d, "more", json_boolean(json_array_size(rows) < POLL_SLOTS_MAX));
	static const char *const keys[] = {"title", "place", "video", "note", "closes"};
	json_t *f = json_object();
	for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
		const char *v = req_form(req, keys[k]);
		json_object_set_new(f, keys[k], json_string(v && text_utf8_valid(v, strlen(v)) ? v : ""));
	}
	json_object_set_new(f, "show_answers", json_boolean(req_form(req, "show_answers") != NULL));
	json_object_set_new(d, "poll", f);
	json_object_set_new(d, "body", b);
	static const char *const targets[][2] = {{"slots", "date-1"}, {NULL, NULL}};
	page_form_problems(d, problems, targets);
	return page_render(req, resp, status, "poll_form", d);
}

/* GET /bodies/:slug/polls/new — the form proposing dates to the members. */
int page_poll_new(struct req *req, struct resp *resp)
{
	json_t *b = body_of(req);
	if (!b)
		return 404;
	struct poll_in p = {0};
	json_t *rows = json_array();
	read_form(req, &p, rows, ROWS_SHOWN);
	return form_page(req, resp, 200, b, rows, NULL);
}

/* POST /bodies/:slug/polls (title, place, video, closes, note,
 * show_answers, date-N, start-N, end-N, more, _csrf) — creates the poll
 * and mails its members; « more » shows the form again with more rows. */
int page_poll_create(struct req *req, struct resp *resp)
{
	json_t *b = body_of(req);
	if (!b)
		return 404;
	struct poll_in p = {.body_id = db_num(b, "id")};
	json_t *rows = json_array();
	bool more = req_form(req, "more") != NULL;
	read_form(req, &p, rows, more ? ROWS_SHOWN : 0);
	if (more)
		return form_page(req, resp, 200, b, rows, NULL);
	struct check c = {0};
	poll_rules(&p, &c);
	if (c.n) {
		for (size_t i = json_array_size(rows); i < POLL_SLOTS_MIN; i++)
			json_array_append_new(rows, json_pack("{s:s, s:s, s:s}", "date", "", "start",
							      "", "end", ""));
		return form_page(req, resp, 422, b, rows, check_json(&c));
	}
	json_decref(rows);
	json_decref(b);
	long long id = poll_create(&p, req->user.id);
	if (id < 0)
		return 500;
	return resp_redirect(req, resp, 303, arena_printf(&req->arena, "/polls/%lld?sent=1", id));
}

/* Tells whether the reader may read poll p's results: the coordination,
 * or a member of its body when the poll shows its answers. */
static bool sees_results(struct req *req, json_t *p)
{
	return req->user.role >= ROLE_COORDINATOR ||
	       (db_num(p, "show_answers") && req->user.org_id &&
		db_int(0, "SELECT 1 FROM membership WHERE body_id = ? AND organisation_id = ? AND "
		       "(end_date IS NULL OR end_date >= date('now'))", "ii", db_num(p, "body_id"),
		       req->user.org_id));
}

/* GET /polls/:id — the results, best slots first; the coordination chooses
 * the slot there. A member sees them when the poll allows it. */
int page_poll(struct req *req, struct resp *resp)
{
	long long id = atoll(req_param(req, "id"));
	json_t *p = poll_results(id);
	if (!p || !sees_results(req, p)) {
		json_decref(p);
		return 404;
	}
	json_t *d = page_data(req, json_string_value(json_object_get(p, "title")));
	struct buf closes = {0};
	text_date_fr(&closes, db_str(p, "closes"));
	json_object_set_new(p, "closes_fr", json_string(buf_str(&closes)));
	buf_free(&closes);
	json_object_set_new(d, "sent", json_boolean(req_query(req, "sent") != NULL));
	page_poll_rate(p);
	struct buf sent = {0};
	text_count(&sent, db_num(p, "voters"), "adresse", "adresses");
	json_object_set_new(p, "voters_label", json_string(buf_str(&sent)));
	buf_free(&sent);
	json_object_set_new(d, "poll", p);
	return page_render(req, resp, 200, "poll", d);
}

/* Renders the answer form of voter v (consumed) for the form's action,
 * with the answers given (an object slot id -> answer, may be NULL), a
 * problem and a notice. */
static int answer_page(struct req *req, struct resp *resp, int status, json_t *v,
		       const char *action, json_t *given, const char *problem, const char *notice)
{
	json_t *p = poll_row(db_num(v, "poll_id")); /* the results only when shown */
	if (p && db_num(p, "show_answers")) {
		json_decref(p);
		p = poll_results(db_num(v, "poll_id"));
	}
	if (!p) {
		json_decref(v);
		json_decref(given);
		return 404;
	}
	json_t *mine = db_rows("SELECT slot_id, answer FROM poll_answer WHERE voter_id = ?", "i",
			       db_num(v, "id")), *s, *a;
	size_t i, k;
	json_t *slots = db_rows("SELECT id, start, end FROM poll_slot WHERE poll_id = ? ORDER BY "
				"start, id", "i", db_num(v, "poll_id"));
	json_array_foreach(slots, i, s) {
		struct buf when = {0};
		text_span_fr(&when, db_str(s, "start"), db_str(s, "end"));
		json_object_set_new(s, "when", json_string(buf_str(&when)));
		buf_free(&when);
		char key[24];
		snprintf(key, sizeof(key), "%lld", db_num(s, "id"));
		const char *chosen = json_string_value(json_object_get(given, key));
		json_array_foreach(mine, k, a)
			if (!chosen && db_num(a, "slot_id") == db_num(s, "id"))
				chosen = db_str(a, "answer");
		json_object_set_new(s, "yes", json_boolean(chosen && !strcmp(chosen, "yes")));
		json_object_set_new(s, "maybe", json_boolean(chosen && !strcmp(chosen, "maybe")));
		json_object_set_new(s, "no", json_boolean(chosen && !strcmp(chosen, "no")));
	}
	json_t *d = page_data(req, json_string_value(json_object_get(p, "title")));
	struct buf closes = {0};
	text_date_fr(&closes, db_str(p, "closes"));
	json_object_set_new(p, "closes_fr", json_string(buf_str(&closes)));
	buf_free(&closes);
	json_object_set_new(d, "results", json_boolean(db_num(p, "show_answers")));
	json_object_set_new(d, "poll", p);
	json_object_set_new(d, "slots", slots ? slots : json_array());
	json_object_set_new(d, "voter", v);
	json_object_set_new(d, "action", json_string(action));
	if (problem)
		json_object_set_new(d, "problem", json_string(problem));
	if (notice)
		json_object_set_new(d, "notice", json_string(notice));
	json_decref(mine);
	json_decref(given);
	return page_render(req, resp, status, "poll_answer", d);
}

#define POLL_GONE "Ce lien de sondage n'est pas valable : vérifiez qu'il est complet. Il ne sert " \
		  "qu'à la personne qui l'a reçu, pour ce sondage."
#define POLL_CLOSED "Ce sondage est clos : il ne prend plus de réponses."

/* Records the answers of the form for voter v (consumed) and answers with
 * the form again (its notice or its problem). */
static int record(struct req *req, struct resp *resp, json_t *v, const char *action, long long user)
{
	if (!db_num(v, "open")) {
		json_decref(v);
		return page_error(req, resp, 410, POLL_CLOSED);
	}
	json_t *slots = db_rows("SELECT id FROM poll_slot WHERE poll_id = ?", "i",
				db_num(v, "poll_id")), *s;
	json_t *given = json_object();
	size_t i;
	json_array_foreach(slots, i, s) {
		char field[32], key[24];
		snprintf(field, sizeof(field), "slot-%lld", db_num(s, "id"));
		snprintf(key, sizeof(key), "%lld", db_num(s, "id"));
		const char *a = req_form(req, field);
		if (a && poll_answer_ok(a))
			json_object_set_new(given, key, json_string(a));
	}
	json_decref(slots);
	const char *comment = req_form(req, "comment");
	int rc = poll_answer(db_num(v, "id"), given, comment, user);
	if (rc < 0) {
		json_decref(v);
		json_decref(given);
		return 500;
	}
	if (rc > 0)
		return answer_page(req, resp, 422, v, action, given, "Répondez pour chaque créneau "
				   "(oui, si nécessaire ou non) ; le commentaire tient sur une ligne "
				   "de 1000 caractères au plus.", NULL);
	json_decref(given);
	return answer_page(req, resp, 200, v, action, NULL, NULL,
			   "Merci : vos réponses sont enregistrées. Vous pouvez les changer avec ce "
			   "même lien jusqu'à la clôture.");
}

/* GET /polls/answer/:token — the answer form of the person the link was
 * mailed to (no account). */
int page_poll_link(struct req *req, struct resp *resp)
{
	json_t *v = poll_voter_by_token(req_param(req, "token"));
	if (!v)
		return page_error(req, resp, 404, POLL_GONE);
	if (!db_num(v, "open")) {
		json_decref(v);
		return page_error(req, resp, 410, POLL_CLOSED);
	}
	const char *action = arena_printf(&req->arena, "/polls/answer/%s", req_param(req, "token"));
	return answer_page(req, resp, 200, v, action, NULL, NULL, NULL);
}

/* POST /polls/answer/:token (slot-N, comment) — records those answers (the
 * link is the authority: no session, no form token). */
int page_poll_link_answer(struct req *req, struct resp *resp)
{
	json_t *v = poll_voter_by_token(req_param(req, "token"));
	if (!v)
		return page_error(req, resp, 404, POLL_GONE);
	return record(req, resp, v, arena_printf(&req->arena, "/polls/answer/%s",
						 req_param(req, "token")), 0);
}

/* GET /polls/:id/answer — a member's answer form, from the body's page. */
int page_poll_member(struct req *req, struct resp *resp)
{
	long long id = atoll(req_param(req, "id"));
	json_t *v = poll_voter_of_user(id, req->user.id, false);
	if (!v)
		return 404;
	if (!db_num(v, "open")) {
		json_decref(v);
		return page_error(req, resp, 410, POLL_CLOSED);
	}
	return answer_page(req, resp, 200, v, arena_printf(&req->arena, "/polls/%lld/answer", id),
			   NULL, NULL, NULL);
}

/* POST /polls/:id/answer (slot-N, comment, _csrf) — a member's answers. */
int page_poll_member_answer(struct req *req, struct resp *resp)
{
	long long id = atoll(req_param(req, "id"));
	json_t *v = poll_voter_of_user(id, req->user.id, true);
	if (!v)
		return 404;
	return record(req, resp, v, arena_printf(&req->arena, "/polls/%lld/answer", id),
		      req->user.id);
}

/* POST /polls/:id/close (slot, _csrf) — closes the poll with that slot:
 * the meeting is made and its invitation sent. */
int page_poll_close(struct req *req, struct resp *resp)
{
	long long id = atoll(req_param(req, "id"));
	long long meeting = poll_close(id, req_form_id(req, "slot"), req->user.id);
	if (meeting < 0)
		return 500;
	if (meeting == 0)
		return page_error(req, resp, 409, "Ce sondage est déjà clos par une réunion, ou ce "
				  "créneau n'est pas l'un des siens.");
	return resp_redirect(req, resp, 303, arena_printf(&req->arena, "/meetings/%lld", meeting));
}

/* Adds to a poll's row its answer rate in words ("rate": « 1 réponse sur
 * 3 »), from its answered and voters. */
void page_poll_rate(json_t *row)
{
	struct buf b = {0};
	text_count(&b, db_num(row, "answered"), "réponse", "réponses");
	buf_printf(&b, " sur %lld", db_num(row, "voters"));
	json_object_set_new(row, "rate", json_string(buf_str(&b)));
	buf_free(&b);
}

/* Adds to d the open polls of body id the reader takes part in or runs
 * ("polls": {id, title, closes_fr, answered, voters, mine}). */
void page_poll_list(struct req *req, json_t *d, long long body_id)
{
	if (req->user.role < ROLE_PARTNER)
		return;
	json_t *rows = db_rows("SELECT p.id, p.title, p.closes, (SELECT count(*) FROM poll_voter v "
			       "WHERE v.poll_id = p.id) AS voters, (SELECT count(*) FROM poll_voter v "
			       "WHERE v.poll_id = p.id AND v.answered IS NOT NULL) AS answered FROM poll "
			       "p WHERE p.state = 'open' AND (?1 = 0 OR p.body_id = ?1) AND (?2 >= 3 OR "
			       "EXISTS (SELECT 1 FROM membership ms WHERE ms.body_id = p.body_id AND "
			       "ms.organisation_id = ?3 AND (ms.end_date IS NULL OR ms.end_date >= "
			       "date('now')))) ORDER BY p.closes, p.id", "iii", body_id,
			       (long long)req->user.role, req->user.org_id), *r;
	size_t i;
	json_array_foreach(rows, i, r) {
		struct buf closes = {0};
		text_date_fr(&closes, db_str(r, "closes"));
		json_object_set_new(r, "closes_fr", json_string(buf_str(&closes)));
		buf_free(&closes);
		page_poll_rate(r);
	}
	json_object_set_new(d, "polls", rows ? rows : json_array());
	json_object_set_new(d, "has_polls", json_boolean(json_array_size(rows) > 0));
}
