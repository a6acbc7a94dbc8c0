/* page_admin.c — the administrator's pages: accounts, the outbox and the
 * webhooks. */
#include <stdlib.h>

#include "auth.h"
#include "db.h"
#include "mail.h"
#include "page.h"

/* GET /admin/users — every account with its role and organisation. */
int page_admin_users(struct req *req, struct resp *resp)
{
	json_t *users = db_rows("SELECT u.id, u.email, u.name, u.role, u.disabled, u.created, "
				"o.name AS org_name FROM user u "
				"LEFT JOIN organisation o ON o.id = u.organisation_id "
				"ORDER BY u.name COLLATE NOCASE", NULL);
	if (!users)
		return 500;
	size_t i;
	json_t *u;
	json_array_foreach(users, i, u) {
		int role = auth_role_parse(json_string_value(json_object_get(u, "role")));
		json_object_set_new(u, "role_label", json_string(auth_role_label(role)));
	}
	json_t *d = page_data(req, "Comptes");
	json_object_set_new(d, "users", users);
	json_object_set_new(d, "count", json_integer((json_int_t)json_array_size(users)));
	return page_render(req, resp, 200, "admin_users", d);
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
	json_t *d = page_data(req, "Boîte d'envoi");
	json_object_set_new(d, "messages", rows);
	json_object_set_new(d, "counts", db_row(
		"SELECT coalesce(sum(status = 'queued'), 0) AS queued, coalesce(sum(status = 'sent'), 0) "
		"AS sent, coalesce(sum(status = 'failed'), 0) AS failed FROM outbox", NULL));
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
	json_t *d = page_data(req, "Webhooks");
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
