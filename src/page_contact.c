/* page_contact.c — the named contacts of the partner organisations: kept
 * by the coordination from the organisation's page (added, changed,
 * removed and restored), one-click unsubscribe from the mails they get
 * (RFC 8058), and for the administration what the centre owes them under
 * the GDPR: everything held about one, and its erasure. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "check.h"
#include "db.h"
#include "mail.h"
#include "page.h"
#include "text.h"
#include "view.h"

/* Returns the contacts of organisation org for its page (coordination):
 * each with its state in words (new reference). */
json_t *page_contact_rows(long long org)
{
	json_t *rows = db_rows("SELECT id, name, coalesce(email, '') AS email, function, "
			       "invitations, unsubscribed_at, deleted, erased_at IS NOT NULL AS erased "
			       "FROM person WHERE organisation_id = ? AND erased_at IS NULL "
			       "ORDER BY deleted, name COLLATE NOCASE", "i", org);
	view_dates_fr(rows, "unsubscribed_at", "unsubscribed_fr");
	return rows ? rows : json_array();
}

/* Returns the request's organisation id (its :slug), or 0. */
static long long organisation_id(struct req *req)
{
	return db_int(0, "SELECT id FROM organisation WHERE slug = ?", "t", req_param(req, "slug"));
}

/* Returns the request's contact (its :id) of organisation org, or 0. */
static long long contact_id(struct req *req, long long org)
{
	return db_int(0, "SELECT id FROM person WHERE id = ? AND organisation_id = ? AND "
		      "erased_at IS NULL", "ii", atoll(req_param(req, "id")), org);
}

/* Goes back to the organisation's contacts. */
static int back(struct req *req, struct resp *resp)
{
	return resp_redirect(req, resp, 303, arena_printf(&req->arena, "/organisations/%s#contacts",
							  req_param(req, "slug")));
}

/* Returns every problem of a contact form ([{field, message}], new
 * reference): a name, a valid address when one is given, not twice in the
 * organisation. The fields of a contact being changed (id) are that
 * contact's row. */
static json_t *contact_problems(struct req *req, long long org, long long id)
{
	const char *name = req_form(req, "name"), *email = req_form(req, "email");
	const char *function = req_form(req, "function");
	char row[40];
	snprintf(row, sizeof(row), "contact-%lld", id);
	bool edit = id != 0;
	struct check c = {0};
	check_if(&c, !name || !*name || strlen(name) > 200 || !text_utf8_valid(name, strlen(name)),
		 edit ? row : "contact-name", "Un contact a un nom (200 caractères au plus).");
	check_if(&c, function && (strlen(function) > 200 ||
				  !text_utf8_valid(function, strlen(function))),
		 edit ? row : "contact-function", "La fonction compte 200 caractères au plus.");
	bool bad = email && *email && (mail_address_problem(email) || !auth_email_valid(email));
	check_if(&c, bad, edit ? row : "contact-email",
		 "L'adresse e-mail du contact n'est pas valide.");
	check_if(&c, !bad && email && *email &&
		 db_int(0, "SELECT 1 FROM person WHERE organisation_id = ? AND lower(email) = "
		       "lower(?) AND id <> ? AND erased_at IS NULL", "iti", org, email, id),
		 edit ? row : "contact-email", "Cette organisation a déjà un contact avec cette adresse.");
	json_t *out = check_json(&c);
	if (edit) { /* one row holds the three fields: its id is the link */
		size_t i;
		json_t *p;
		json_array_foreach(out, i, p)
			json_object_set_new(p, "field", json_string(row));
	}
	return out;
}

/* Shows the organisation's page again with the contact form as typed and
 * its problems (consumed). */
static int contact_again(struct req *req, struct resp *resp, json_t *problems)
{
	json_t *typed = json_pack("{s:s?, s:s?, s:s?, s:b}", "name", req_form(req, "name"),
				  "function", req_form(req, "function"), "email",
				  req_form(req, "email"), "invitations",
				  req_form(req, "invitations") != NULL);
	return page_organisation_show(req, resp, 422, typed, problems);
}

/* Saves the contact form into contact id (0: a new one) of org, audited. */
static int save_contact(struct req *req, long long org, long long id)
{
	const char *email = req_form(req, "email"), *function = req_form(req, "function");
	long long invitations = req_form(req, "invitations") != NULL;
	int rc = db_begin() < 0 ? -1 : 0;
	if (rc == 0)
		rc = (id ? db_exec("UPDATE person SET name = ?, email = nullif(?, ''), function = ?, "
				   "invitations = ?, modified = " DB_NOW " WHERE id = ?", "tttii",
				   req_form(req, "name"), email ? email : "", function ? function : "",
				   invitations, id)
			 : db_exec("INSERT INTO person (organisation_id, name, email, function, "
				   "invitations) VALUES (?, ?, nullif(?, ''), ?, ?)", "ittti", org,
				   req_form(req, "name"), email ? email : "", function ? function : "",
				   invitations)) == 1 ? 0 : -1;
	if (rc == 0 && db_audit(req->user.id, id ? "update" : "create", "person",
				id ? id : db_last_id(), NULL, NULL) < 0)
		rc = -1;
	if (rc < 0 || db_commit() < 0) {
		db_rollback();
		return -1;
	}
	return 0;
}

/* POST /organisations/:slug/contacts (name, email, function, invitations,
 * _csrf) — adds a named contact to an organisation. */
int page_contact_create(struct req *req, struct resp *resp)
{
	long long org = organisation_id(req);
	if (!org)
		return 404;
	json_t *problems = contact_problems(req, org, 0);
	if (json_array_size(problems))
		return contact_again(req, resp, problems);
	json_decref(problems);
	return save_contact(req, org, 0) < 0 ? 500 : back(req, resp);
}

/* POST /organisations/:slug/contacts/:id (the fields of the creation) —
 * changes a contact. */
int page_contact_update(struct req *req, struct resp *resp)
{
	long long org = organisation_id(req), id = org ? contact_id(req, org) : 0;
	if (!id)
		return 404;
	json_t *problems = contact_problems(req, org, id);
	if (json_array_size(problems))
		return page_organisation_show(req, resp, 422, NULL, problems);
	json_decref(problems);
	return save_contact(req, org, id) < 0 ? 500 : back(req, resp);
}

/* Sets the deleted flag of the request's contact, audited. */
static int set_deleted(struct req *req, struct resp *resp, bool deleted)
{
	long long org = organisation_id(req), id = org ? contact_id(req, org) : 0;
	if (!id)
		return 404;
	if (db_begin() < 0)
		return 503;
	if (db_exec("UPDATE person SET deleted = ?, modified = " DB_NOW " WHERE id = ?", "ii",
		    (long long)deleted, id) != 1 ||
	    db_audit(req->user.id, deleted ? "delete" : "undelete", "person", id, NULL, NULL) < 0 ||
	    db_commit() < 0) {
		db_rollback();
		return 500;
	}
	return back(req, resp);
}

/* POST /organisations/:slug/contacts/:id/delete (_csrf) — removes a
 * contact: no more mails; restorable. */
int page_contact_delete(struct req *req, struct resp *resp)
{
	return set_deleted(req, resp, true);
}

/* POST /organisations/:slug/contacts/:id/undelete (_csrf) — restores it. */
int page_contact_undelete(struct req *req, struct resp *resp)
{
	return set_deleted(req, resp, false);
}

/* Returns the contact an unsubscribe token names, or NULL (new reference). */
static json_t *by_token(struct req *req)
{
	const char *token = req_param(req, "token");
	if (strlen(token) != 40 || strspn(token, "0123456789abcdef") != 40)
		return NULL;
	return db_row("SELECT id, unsubscribed_at IS NOT NULL AS done FROM person WHERE "
		      "unsubscribe_token = ? AND erased_at IS NULL", "t", token);
}

#define UNSUBSCRIBE_GONE "Ce lien de désinscription ne correspond à aucun contact : il a peut-être " \
			 "été effacé. Écrivez à la coordination du réseau si vous recevez encore " \
			 "des messages."

/* GET /unsubscribe/:token — asks a contact to confirm it wants no more
 * mails (a link opened must not unsubscribe by itself: mail filters open
 * links). */
int page_unsubscribe_form(struct req *req, struct resp *resp)
{
	json_t *p = by_token(req);
	if (!p)
		return page_error(req, resp, 404, UNSUBSCRIBE_GONE);
	json_t *d = page_data(req, "Ne plus recevoir de messages");
	json_object_set_new(d, "token", json_string(req_param(req, "token")));
	json_object_set_new(d, "done", json_boolean(db_num(p, "done")));
	json_decref(p);
	return page_render(req, resp, 200, "unsubscribe", d);
}

/* POST /unsubscribe/:token — stops every mail to that contact: the
 * one-click POST of a mail reader (RFC 8058, no session, no form token:
 * the secret address is the authority) or the confirmation button. */
int page_unsubscribe(struct req *req, struct resp *resp)
{
	json_t *p = by_token(req);
	if (!p)
		return page_error(req, resp, 404, UNSUBSCRIBE_GONE);
	long long id = db_num(p, "id");
	bool done = db_num(p, "done");
	json_decref(p);
	if (!done) {
		if (db_begin() < 0)
			return 503;
		if (db_exec("UPDATE person SET unsubscribed_at = " DB_NOW ", modified = " DB_NOW
			    " WHERE id = ?", "i", id) != 1 ||
		    db_audit(0, "unsubscribe", "person", id, NULL, NULL) < 0 || db_commit() < 0) {
			db_rollback();
			return 500;
		}
	}
	json_t *d = page_data(req, "Désinscription enregistrée");
	json_object_set_new(d, "done", json_true());
	return page_render(req, resp, 200, "unsubscribe", d);
}

/* GET /admin/contacts/:id/export — everything Maillage holds about one
 * contact, as JSON (its row, organisation, memberships, attendance, the
 * messages sent to it, an account with its address, the audit lines). */
int page_contact_export(struct req *req, struct resp *resp)
{
	long long id = atoll(req_param(req, "id"));
	json_t *p = db_row("SELECT p.id, p.name, p.email, p.function, p.invitations, "
			   "p.unsubscribed_at, p.deleted, p.erased_at, p.created, p.modified, "
			   "o.name AS organisation FROM person p JOIN organisation o ON "
			   "o.id = p.organisation_id WHERE p.id = ?", "i", id);
	if (!p)
		return 404;
	const char *email = db_str(p, "email") ? db_str(p, "email") : "";
	json_t *all = json_pack("{s:o, s:o, s:o, s:o, s:o, s:o}", "contact", p, "memberships",
		db_rows("SELECT b.name AS body, m.role, m.start_date, m.end_date FROM membership m "
			"JOIN body b ON b.id = m.body_id WHERE m.person_id = ?", "i", id),
		"attendance", db_rows("SELECT m.title AS meeting, m.start, t.presence FROM attendance t "
				      "JOIN meeting m ON m.id = t.meeting_id WHERE t.person_id = ?",
				      "i", id),
		"messages", db_rows("SELECT subject, status, created, sent FROM outbox WHERE kind = "
				    "'mail' AND lower(recipient) = lower(?) ORDER BY id", "t", email),
		"accounts", db_rows("SELECT email, name, role, created, disabled FROM user WHERE "
				    "lower(email) = lower(?)", "t", email),
		"audit", db_rows("SELECT action, created FROM audit WHERE object = 'person' AND "
				 "object_id = ? ORDER BY id", "i", id));
	resp_header(resp, "Content-Disposition", arena_printf(&req->arena,
		    "attachment; filename=\"contact-%lld.json\"", id));
	resp_header(resp, "Cache-Control", "private, no-store");
	return page_json(resp, 200, all);
}

/* POST /admin/contacts/:id/erase (_csrf) — erases a contact for good: its
 * name, address and function go, the mails sent to it leave the outbox,
 * its attendance stays without a name. */
int page_contact_erase(struct req *req, struct resp *resp)
{
	long long id = atoll(req_param(req, "id"));
	json_t *p = db_row("SELECT p.email, o.slug FROM person p JOIN organisation o ON "
			   "o.id = p.organisation_id WHERE p.id = ? AND p.erased_at IS NULL", "i", id);
	if (!p)
		return 404;
	const char *email = db_str(p, "email") ? db_str(p, "email") : "";
	const char *slug = arena_strdup(&req->arena, db_str(p, "slug"));
	int rc = db_begin() < 0 ? 503 : 0;
	if (rc == 0 &&
	    (db_exec("UPDATE person SET name = 'Contact effacé', email = NULL, function = '', "
		     "unsubscribe_token = NULL, deleted = 1, erased_at = " DB_NOW ", modified = "
		     DB_NOW " WHERE id = ?", "i", id) != 1 ||
	     (*email && db_exec("DELETE FROM outbox WHERE kind = 'mail' AND lower(recipient) = "
				"lower(?) AND NOT EXISTS (SELECT 1 FROM user u WHERE lower(u.email) "
				"= lower(?))", "tt", email, email) < 0) ||
	     db_exec("UPDATE audit SET before = NULL, after = NULL WHERE object = 'person' AND "
		     "object_id = ?", "i", id) < 0 ||
	     db_audit(req->user.id, "erase", "person", id, NULL, NULL) < 0 || db_commit() < 0)) {
		db_rollback();
		rc = 500;
	}
	json_decref(p);
	return rc ? rc : resp_redirect(req, resp, 303, arena_printf(&req->arena,
		"/organisations/%s#contacts", slug));
}
