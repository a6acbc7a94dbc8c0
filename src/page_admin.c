/* page_admin.c — the administrator's pages: accounts (created with a
 * mailed link, changed, deactivated), the outbox and the webhooks. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "check.h"
#include "db.h"
#include "mail.h"
#include "notify.h"
#include "page.h"
#include "view.h"

/* The roles an administrator gives, as choices, current selected. */
static json_t *role_choices(const char *current)
{
	json_t *a = json_array();
	for (int r = ROLE_PARTNER; r <= ROLE_ADMIN; r++)
		json_array_append_new(a, json_pack("{s:s, s:s, s:b}", "value", auth_role_name(r),
						   "label", auth_role_label(r), "selected",
						   current && strcmp(current, auth_role_name(r)) == 0));
	return a;
}

/* The organisations as choices by slug, current selected. */
static json_t *organisation_choices(const char *current)
{
	json_t *rows = db_rows("SELECT slug AS value, name AS label, slug = ? AS selected FROM "
			       "organisation WHERE deleted = 0 OR slug = ?1 ORDER BY name COLLATE NOCASE", "t", current ? current : "");
	return rows ? rows : json_array();
}

/* Renders the accounts page: every account, and the creation form over
 * the fields typed (form may be NULL) with its problems ([{field,
 * message}], consumed, may be NULL). */
static int users_page(struct req *req, struct resp *resp, int status, json_t *form,
		      json_t *problems)
{
	json_t *users = db_rows("SELECT u.id, u.email, u.name, u.role, u.disabled, u.created, "
				"u.password_hash IS NULL AS no_password, o.name AS org_name "
				"FROM user u LEFT JOIN organisation o ON o.id = u.organisation_id "
				"ORDER BY u.name COLLATE NOCASE", NULL);
	if (!users) {
		json_decref(form);
		json_decref(problems);
		return 500;
	}
	size_t i;
	json_t *u;
	json_array_foreach(users, i, u)
		json_object_set_new(u, "role_label",
				    json_string(auth_role_label(auth_role_parse(db_str(u, "role")))));
	view_dates_fr(users, "created", "created_fr");
	json_t *d = page_data(req, "Comptes");
	json_object_set_new(d, "users", users);
	view_count(d, "count", (long long)json_array_size(users), "compte", "comptes");
	json_object_set_new(d, "roles", role_choices(form ? db_str(form, "role") : "partner"));
	json_object_set_new(d, "organisations",
			    organisation_choices(form ? db_str(form, "organisation") : NULL));
	page_form_problems(d, problems, NULL);
	json_object_set_new(d, "form", form ? form : json_object());
	return page_render(req, resp, status, "admin_users", d);
}

/* GET /admin/users — every account, and the form creating one. */
int page_admin_users(struct req *req, struct resp *resp)
{
	return users_page(req, resp, 200, NULL, NULL);
}

/* POST /admin/users (email, name, role, organisation, _csrf) — creates an
 * account without a password and mails it a one-time link to choose one. */
int page_admin_user_create(struct req *req, struct resp *resp)
{
	const char *email = req_form(req, "email"), *name = req_form(req, "name");
	const char *role = req_form(req, "role"), *org = req_form(req, "organisation");
	json_t *form = json_pack("{s:s?, s:s?, s:s?, s:s?}", "email", email, "name", name, "role",
				 role, "organisation", org);
	struct check c = {0};
	check_if(&c, !email || !*email, "email", "Indiquez l'adresse e-mail de la personne.");
	check_if(&c, !name || !*name, "name", "Indiquez le nom de la personne.");
	check_if(&c, !role || auth_role_parse(role) < ROLE_PARTNER, "role",
		 "Choisissez un rôle de la liste.");
	check_if(&c, role && strcmp(role, "partner") == 0 && (!org || !*org), "organisation",
		 "Un compte de partenaire appartient à une organisation : choisissez-la.");
	if (c.n)
		return users_page(req, resp, 422, form, check_json(&c));
	struct buf err = {0};
	char token[AUTH_TOKEN_LEN + 1];
	int rc = db_begin() < 0 ? 503 : 0;
	long long id = rc ? -1 : auth_user_add(email, name, role, org && *org ? org : NULL, NULL,
					       req->user.id, &err);
	if (!rc && (id < 0 || auth_link_issue(id, token) < 0 ||
		    notify_password_link(id, token, true) < 0 || db_commit() < 0)) {
		db_rollback();
		rc = 422;
	}
	if (rc == 422) {
		const char *why = err.len ? arena_printf(&req->arena, "Le compte n'est pas créé : %s.",
							buf_str(&err))
					  : "Le compte n'est pas créé (voir le journal).";
		buf_free(&err);
		return users_page(req, resp, 422, form, json_pack("[{s:s, s:s}]", "field", "email",
								  "message", why));
	}
	buf_free(&err);
	json_decref(form);
	return rc ? rc : resp_redirect(req, resp, 303, arena_printf(&req->arena,
		"/admin/users/%lld?sent=1", id));
}

/* Renders one account's page with an optional message. */
static int user_page(struct req *req, struct resp *resp, int status, long long id,
		     const char *error, const char *notice)
{
	json_t *u = db_row("SELECT u.id, u.email, u.name, u.role, u.disabled, u.created, "
			   "u.login_at, u.password_hash IS NULL AS no_password, o.slug AS org_slug, "
			   "(SELECT max(expires) FROM password_link l WHERE l.user_id = u.id AND "
			   "l.expires > " DB_NOW ") AS link_expires FROM user u LEFT JOIN organisation "
			   "o ON o.id = u.organisation_id WHERE u.id = ?", "i", id);
	if (!u)
		return 404;
	json_t *list = json_pack("[O]", u); /* the date helper works on lists */
	view_dates_fr(list, "created", "created_fr");
	view_dates_fr(list, "login_at", "login_fr");
	view_dates_fr(list, "link_expires", "link_fr");
	json_decref(list);
	json_t *d = page_data(req, db_str(u, "name"));
	json_object_set_new(d, "roles", role_choices(db_str(u, "role")));
	json_object_set_new(d, "organisations", organisation_choices(db_str(u, "org_slug")));
	json_object_set_new(d, "is_self", json_boolean(id == req->user.id));
	if (error)
		json_object_set_new(d, "error", json_string(error));
	if (notice)
		json_object_set_new(d, "notice", json_string(notice));
	json_object_set_new(d, "account", u);
	return page_render(req, resp, status, "admin_user", d);
}

/* GET /admin/users/:id — one account: its role and organisation, its
 * state, and what an administrator may do with it. */
int page_admin_user(struct req *req, struct resp *resp)
{
	return user_page(req, resp, 200, atoll(req_param(req, "id")), NULL,
			 req_query(req, "sent") ? "Le lien pour choisir le mot de passe est parti."
						: NULL);
}

/* Returns the id of the request's account, or 0. */
static long long user_id(struct req *req)
{
	return db_int(0, "SELECT id FROM user WHERE id = ?", "i", atoll(req_param(req, "id")));
}

/* POST /admin/users/:id (role, organisation, _csrf) — changes an
 * account's role and organisation. */
int page_admin_user_update(struct req *req, struct resp *resp)
{
	long long id = user_id(req);
	if (!id)
		return 404;
	const char *role = req_form(req, "role"), *org = req_form(req, "organisation");
	long long org_id = org && *org ? db_int(-1, "SELECT id FROM organisation WHERE slug = ?",
					       "t", org) : 0;
	struct buf err = {0};
	int rc;
	if (org_id < 0)
		rc = user_page(req, resp, 422, id, "Choisissez une organisation de la liste.", NULL);
	else if (auth_user_change(id, role ? role : "", org_id, req->user.id, &err) < 0)
		rc = user_page(req, resp, 422, id, arena_printf(&req->arena, "%s", buf_str(&err)),
			       NULL);
	else
		rc = resp_redirect(req, resp, 303, arena_printf(&req->arena, "/admin/users/%lld", id));
	buf_free(&err);
	return rc;
}

/* Deactivates or reactivates the request's account. */
static int set_disabled(struct req *req, struct resp *resp, bool disabled)
{
	long long id = user_id(req);
	if (!id)
		return 404;
	json_t *u = db_row("SELECT email FROM user WHERE id = ?", "i", id);
	struct buf err = {0};
	int rc = auth_user_set_disabled(db_str(u, "email"), disabled, req->user.id, &err) < 0
		 ? user_page(req, resp, 409, id, arena_printf(&req->arena, "Impossible : %s.",
							      buf_str(&err)), NULL)
		 : resp_redirect(req, resp, 303, arena_printf(&req->arena, "/admin/users/%lld", id));
	buf_free(&err);
	json_decref(u);
	return rc;
}

/* POST /admin/users/:id/disable (_csrf) — deactivates an account: its
 * sessions end at once. */
int page_admin_user_disable(struct req *req, struct resp *resp)
{
	return set_disabled(req, resp, true);
}

/* POST /admin/users/:id/enable (_csrf) — reactivates an account. */
int page_admin_user_enable(struct req *req, struct resp *resp)
{
	return set_disabled(req, resp, false);
}

/* POST /admin/users/:id/link (_csrf) — mails an active account a new
 * one-time link to choose its password (the previous one stops working). */
int page_admin_user_link(struct req *req, struct resp *resp)
{
	long long id = user_id(req);
	if (!id)
		return 404;
	if (db_int(0, "SELECT disabled FROM user WHERE id = ?", "i", id))
		return user_page(req, resp, 409, id, "Ce compte est désactivé : réactivez-le avant "
				 "de lui envoyer un lien.", NULL);
	char token[AUTH_TOKEN_LEN + 1];
	if (db_begin() < 0)
		return 503;
	if (auth_link_issue(id, token) < 0 ||
	    notify_password_link(id, token, !db_int(0, "SELECT password_hash IS NOT NULL FROM user "
						    "WHERE id = ?", "i", id)) < 0 ||
	    db_audit(req->user.id, "link", "user", id, NULL, NULL) < 0 || db_commit() < 0) {
		db_rollback();
		return 500;
	}
	return resp_redirect(req, resp, 303, arena_printf(&req->arena, "/admin/users/%lld?sent=1",
							  id));
}

/* GET /admin/outbox — the latest 200 messages of the outbox: status,
 * attempts, last error; failed ones can be sent again. */
int page_admin_outbox(struct req *req, struct resp *resp)
{
	json_t *rows = db_rows("SELECT id, kind, recipient, subject, status, attempts, last_error, "
			       "created, sent, status = 'failed' AS failed, status = 'queued' AS queued "
			       "FROM outbox ORDER BY id DESC LIMIT 200", NULL);
	if (!rows)
		return 500;
	page_labels(rows, "kind", &vocab_outbox_kinds, "kind_label");
	page_labels(rows, "status", &vocab_outbox_states, "status_label");
	view_dates_fr(rows, "created", "created_fr");
	json_t *d = page_data(req, "Boîte d'envoi");
	json_object_set_new(d, "messages", rows);
	json_t *counts = db_row("SELECT coalesce(sum(status = 'queued'), 0) AS queued, "
				"coalesce(sum(status = 'sent'), 0) AS sent, coalesce(sum(status = "
				"'failed'), 0) AS failed FROM outbox", NULL);
	view_count(d, "sent_label", db_num(counts, "sent"), "envoyé", "envoyés");
	json_object_set_new(d, "counts", counts);
	json_object_set_new(d, "smtp", json_string(mail_cfg.smtp_url ? mail_cfg.smtp_url : ""));
	json_object_set_new(d, "eml_dir", json_string(mail_cfg.eml_dir ? mail_cfg.eml_dir : ""));
	return page_render(req, resp, 200, "admin_outbox", d);
}

/* POST /admin/outbox/:id/retry (_csrf) — sends a message again, now, with
 * a new day before it fails. */
int page_admin_outbox_retry(struct req *req, struct resp *resp)
{
	long long id = atoll(req_param(req, "id"));
	int n = db_exec("UPDATE outbox SET status = 'queued', next_attempt = " DB_NOW
			", expires = " DB_NOW_SHIFTED("'+1 day'") ", modified = " DB_NOW " WHERE id = ? AND "
			"status <> 'sent'", "i", id);
	if (n < 0)
		return 500;
	if (n == 0)
		return 404;
	if (db_audit(req->user.id, "retry", "outbox", id, NULL, NULL) < 0)
		return 500;
	return resp_redirect(req, resp, 303, "/admin/outbox");
}

/* Renders the webhooks page with an optional error and the URL typed. */
static int webhooks_page(struct req *req, struct resp *resp, int status, const char *error,
			 const char *url)
{
	json_t *d = page_data(req, "Notifications vers d'autres applications");
	json_object_set_new(d, "hooks", db_rows("SELECT id, url, created FROM webhook ORDER BY id",
						 NULL));
	if (error)
		json_object_set_new(d, "error", json_string(error));
	json_object_set_new(d, "url", json_string(url ? url : ""));
	return page_render(req, resp, status, "admin_webhooks", d);
}

/* GET /admin/webhooks — the addresses told of approved minutes and of
 * motion steps, and the form to add one. */
int page_admin_webhooks(struct req *req, struct resp *resp)
{
	return webhooks_page(req, resp, 200, NULL, NULL);
}

/* POST /admin/webhooks (url, _csrf) — registers an address. */
int page_admin_webhook_add(struct req *req, struct resp *resp)
{
	const char *url = req_form(req, "url");
	const char *problem = mail_webhook_problem(url);
	if (problem)
		return webhooks_page(req, resp, 422, problem, url);
	if (db_int(0, "SELECT 1 FROM webhook WHERE url = ?", "t", url) == 1)
		return webhooks_page(req, resp, 422, "Cette adresse est déjà enregistrée.", url);
	if (db_exec("INSERT INTO webhook (url) VALUES (?)", "t", url) != 1 ||
	    db_audit(req->user.id, "create", "webhook", db_last_id(), NULL, url) < 0)
		return 500;
	return resp_redirect(req, resp, 303, "/admin/webhooks");
}

/* POST /admin/webhooks/:id/delete (_csrf) — removes an address. */
int page_admin_webhook_delete(struct req *req, struct resp *resp)
{
	long long id = atoll(req_param(req, "id"));
	int n = db_exec("DELETE FROM webhook WHERE id = ?", "i", id);
	if (n < 0)
		return 500;
	if (n == 0)
		return 404;
	if (db_audit(req->user.id, "delete", "webhook", id, NULL, NULL) < 0)
		return 500;
	return resp_redirect(req, resp, 303, "/admin/webhooks");
}
