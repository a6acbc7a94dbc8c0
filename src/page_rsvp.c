/* page_rsvp.c — answering an invitation: the three links of the mail
 * (« Je viens », « Peut-être », « Je ne viens pas ») open a page that shows
 * the choice and records it only when confirmed (a GET changes nothing:
 * mail filters follow links); a member answers on the meeting page too. */
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "db.h"
#include "page.h"
#include "rsvp.h"
#include "text.h"
#include "view.h"

#define RSVP_GONE "Ce lien de réponse n'est pas valable : vérifiez qu'il est complet, ou " \
		  "répondez depuis la page de la réunion."
#define RSVP_CLOSED "Cette réunion est passée, annulée ou supprimée : on ne peut plus y répondre."

/* Adds to d the choices of an answer ({value, label, current, chosen}). */
static void choices(json_t *d, const char *current, const char *chosen)
{
	static const char *const answers[] = {"accepted", "tentative", "declined"};
	json_t *list = json_array();
	for (size_t i = 0; i < 3; i++)
		json_array_append_new(list, json_pack("{s:s, s:s, s:b, s:b}", "value", answers[i],
			"label", vocab_label(&vocab_rsvp_answers, answers[i]), "current",
			current && strcmp(current, answers[i]) == 0, "chosen",
			chosen && strcmp(chosen, answers[i]) == 0));
	json_object_set_new(d, "choices", list);
	json_object_set_new(d, "answer_label", json_string(vocab_label(&vocab_rsvp_answers,
								       current)));
}

/* Returns the row the request's token names, or NULL; *status is 404 for
 * a wrong token, 410 for a meeting no longer answered. */
static json_t *by_token(struct req *req, int *status)
{
	json_t *r = rsvp_row(rsvp_verify(req_param(req, "token")));
	*status = !r ? 404 : !db_num(r, "open") ? 410 : 200;
	if (*status != 200) {
		json_decref(r);
		return NULL;
	}
	return r;
}

/* Renders the answer page of row r (consumed) with status. */
static int answer_page(struct req *req, struct resp *resp, int status, json_t *r,
		       const char *chosen, const char *said)
{
	json_t *d = page_data(req, "Votre réponse à l'invitation");
	struct buf when = {0};
	text_date_fr(&when, db_str(r, "start"));
	json_object_set_new(r, "when", json_string(buf_str(&when)));
	buf_free(&when);
	choices(d, db_str(r, "answer"), chosen);
	json_object_set_new(d, "token", json_string(req_param(req, "token")));
	if (said)
		json_object_set_new(d, "said", json_string(said));
	json_object_set_new(d, "invitation", r);
	return page_render(req, resp, status, "rsvp", d);
}

/* GET /rsvp/:token?answer=… — the invitation, the answer given so far and
 * the one the link stands for, to confirm. */
int page_rsvp_form(struct req *req, struct resp *resp)
{
	int status;
	json_t *r = by_token(req, &status);
	if (!r)
		return page_error(req, resp, status, status == 404 ? RSVP_GONE : RSVP_CLOSED);
	const char *chosen = req_query(req, "answer");
	return answer_page(req, resp, 200, r, rsvp_answer_ok(chosen) ? chosen : NULL, NULL);
}

/* POST /rsvp/:token (answer) — records the answer (no session, no form
 * token: the signed address is the authority); answering the same again
 * changes nothing and says so. */
int page_rsvp_answer(struct req *req, struct resp *resp)
{
	int status;
	json_t *r = by_token(req, &status);
	if (!r)
		return page_error(req, resp, status, status == 404 ? RSVP_GONE : RSVP_CLOSED);
	const char *answer = req_form(req, "answer");
	if (!rsvp_answer_ok(answer)) {
		json_decref(r);
		return page_error(req, resp, 400, "Choisissez une réponse : Je viens, Peut-être ou "
				  "Je ne viens pas.");
	}
	int changed = rsvp_set(db_num(r, "id"), answer, "link", -1, 0);
	if (changed < 0) {
		json_decref(r);
		return 500;
	}
	json_object_set_new(r, "answer", json_string(answer));
	const char *label = vocab_label(&vocab_rsvp_answers, answer);
	return answer_page(req, resp, 200, r, NULL, arena_printf(&req->arena, changed
		? "Merci : votre réponse « %s » est enregistrée."
		: "Votre réponse était déjà « %s » : rien n'a changé.", label));
}

/* POST /meetings/:id/rsvp (answer, _csrf) — a member's own answer, from
 * the meeting page. */
int page_meeting_rsvp(struct req *req, struct resp *resp)
{
	long long meeting = atoll(req_param(req, "id"));
	json_t *m = page_rsvp_meeting(req, meeting);
	if (!m)
		return 404;
	json_decref(m);
	const char *answer = req_form(req, "answer");
	if (!rsvp_answer_ok(answer))
		return 400;
	long long id = rsvp_invite(meeting, req->user.email, req->user.org_id, req->user.id, 0);
	if (id <= 0 || rsvp_set(id, answer, "page", -1, req->user.id) < 0)
		return 500;
	return resp_redirect(req, resp, 303, arena_printf(&req->arena, "/meetings/%lld#presence",
							  meeting));
}

/* Returns meeting id with the reader's answer when the reader is a member
 * invited to it (an account of a member organisation of its body) and it
 * may still be answered: {answer}, or NULL (new reference). */
json_t *page_rsvp_meeting(struct req *req, long long id)
{
	if (req->user.role < ROLE_PARTNER || !req->user.org_id)
		return NULL;
	json_t *m = db_row("SELECT m.visibility, m.body_id, coalesce((SELECT answer FROM rsvp WHERE "
			   "meeting_id = m.id AND email = lower(?2)), 'invited') AS answer FROM "
			   "meeting m JOIN membership ms ON ms.body_id = m.body_id AND "
			   "ms.organisation_id = ?3 AND (ms.end_date IS NULL OR ms.end_date >= "
			   "date('now')) WHERE m.id = ?1 AND " RSVP_OPEN_SQL " LIMIT 1",
			   "iti", id, req->user.email, req->user.org_id);
	if (m && !auth_may_see(&req->user, db_str(m, "visibility"), db_num(m, "body_id"))) {
		json_decref(m);
		return NULL;
	}
	return m;
}

/* Adds to d the reader's answer to meeting id and its choices ("rsvp"),
 * when the reader may answer (see page_rsvp_meeting). */
void page_rsvp_choices(struct req *req, json_t *d, long long id)
{
	json_t *m = page_rsvp_meeting(req, id);
	if (!m)
		return;
	json_t *r = json_object();
	choices(r, db_str(m, "answer"), NULL);
	json_object_set_new(d, "rsvp", r);
	json_decref(m);
}
