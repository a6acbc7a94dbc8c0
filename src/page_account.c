/* page_account.c — logging in and out, one's own account, and choosing a
 * password through a one-time link (a new account, a forgotten password). */
#include <string.h>

#include "auth.h"
#include "check.h"
#include "db.h"
#include "notify.h"
#include "page.h"

#define LOGIN_TITLE "Connexion"

/* Sets the session cookie to token (an empty token with max_age 0 deletes it). */
static void session_cookie(struct req *req, struct resp *resp, const char *token, int max_age)
{
	resp_header(resp, "Set-Cookie",
		    arena_printf(&req->arena, "%s=%s; Path=/; HttpOnly; SameSite=Lax; Max-Age=%d%s",
				 AUTH_SESSION_COOKIE, token, max_age,
				 page_cfg.secure ? "; Secure" : ""));
}

/* Renders the login form with an optional error and the typed email. */
static int login_form(struct req *req, struct resp *resp, int status, const char *error,
		      const char *email)
{
	json_t *d = page_data(req, LOGIN_TITLE);
	json_object_set_new(d, "next", json_string(page_safe_next(req_form(req, "next") ?
			    req_form(req, "next") : req_query(req, "next"))));
	if (email)
		json_object_set_new(d, "email", json_string(email));
	if (error)
		json_object_set_new(d, "error", json_string(error));
	if (req_query(req, "password"))
		json_object_set_new(d, "notice", json_string("Votre mot de passe est enregistré : "
							     "connectez-vous avec lui."));
	return page_render(req, resp, status, "login", d);
}

/* GET /login?next=PATH — the login form. */
int page_login_form(struct req *req, struct resp *resp)
{
	if (req->user.id)
		return resp_redirect(req, resp, 303, page_safe_next(req_query(req, "next")));
	return login_form(req, resp, 200, NULL, NULL);
}

/* POST /login (email, password, next, _csrf) — opens a session. */
int page_login(struct req *req, struct resp *resp)
{
	const char *email = req_form(req, "email"), *password = req_form(req, "password");
	char token[AUTH_TOKEN_LEN + 1];
	if (!email || !*email || !password || !*password)
		return login_form(req, resp, 422, "Indiquez votre adresse e-mail et votre mot de passe.",
				  email);
	if (strlen(email) > 254 || strlen(password) > 1024)
		return login_form(req, resp, 422, "Adresse e-mail ou mot de passe incorrect.", NULL);
	switch (auth_login(req, email, password, token)) {
	case AUTH_OK:
		break;
	case AUTH_THROTTLED:
		return login_form(req, resp, 429,
				  "Trop de tentatives de connexion en dix minutes. Patientez un peu "
				  "avant de réessayer, ou demandez un nouveau mot de passe à "
				  "l'administration.", email);
	case AUTH_BAD:
		return login_form(req, resp, 200, "Adresse e-mail ou mot de passe incorrect.", email);
	default:
		return 500;
	}
	session_cookie(req, resp, token, AUTH_SESSION_DAYS * 86400);
	return resp_redirect(req, resp, 303, page_safe_next(req_form(req, "next")));
}

/* POST /logout (_csrf) — ends the session. */
int page_logout(struct req *req, struct resp *resp)
{
	auth_logout(req);
	session_cookie(req, resp, "", 0);
	return resp_redirect(req, resp, 303, "/");
}

/* Returns the account page's data: which secrets the account holds. */
static json_t *account_data(struct req *req)
{
	json_t *d = page_data(req, "Mon compte");
	json_object_set_new(d, "has_calendar", json_boolean(auth_token_exists(req->user.id,
									      "calendar")));
	json_object_set_new(d, "has_api_token", json_boolean(auth_token_exists(req->user.id, "api")));
	return d;
}

/* Renders the account page with an optional message or error. */
static int account_page(struct req *req, struct resp *resp, int status, json_t *problems,
			const char *done)
{
	json_t *d = account_data(req);
	page_form_problems(d, problems, NULL);
	if (done)
		json_object_set_new(d, "done", json_string(done));
	return page_render(req, resp, status, "account", d);
}

/* Issues a new secret of kind ("calendar" or "api"; the old one stops
 * working) and shows it once on the account page, as field. */
static int show_secret(struct req *req, struct resp *resp, const char *kind, const char *field)
{
	char token[AUTH_TOKEN_LEN + 1];
	if (auth_token_issue(req->user.id, kind, token) < 0)
		return 500;
	json_t *d = account_data(req);
	json_object_set_new(d, field, json_string(strcmp(kind, "calendar") == 0
		? arena_printf(&req->arena, "%s/calendar/%s.ics", notify_site, token)
		: arena_strdup(&req->arena, token)));
	return page_render(req, resp, 200, "account", d);
}

/* Revokes the secret of kind and says so. */
static int revoke_secret(struct req *req, struct resp *resp, const char *kind, const char *done)
{
	if (auth_token_revoke(req->user.id, kind) < 0)
		return 500;
	return account_page(req, resp, 200, NULL, done);
}

/* POST /account/calendar (_csrf) — a new secret link to one's calendar. */
int page_account_calendar(struct req *req, struct resp *resp)
{
	return show_secret(req, resp, "calendar", "calendar_url");
}

/* POST /account/calendar/delete (_csrf) — revokes the secret link. */
int page_account_calendar_delete(struct req *req, struct resp *resp)
{
	return revoke_secret(req, resp, "calendar", "Le lien de votre agenda personnel est "
			     "révoqué : il ne donne plus rien.");
}

/* POST /account/api-token (_csrf) — a new API token, shown once. */
int page_account_api_token(struct req *req, struct resp *resp)
{
	return show_secret(req, resp, "api", "api_token");
}

/* POST /account/api-token/delete (_csrf) — revokes the API token. */
int page_account_api_token_delete(struct req *req, struct resp *resp)
{
	return revoke_secret(req, resp, "api", "Votre jeton d'API est révoqué : il ne donne plus "
			     "rien.");
}

/* GET /account — one's name, email, role, organisation, password form. */
int page_account(struct req *req, struct resp *resp)
{
	return account_page(req, resp, 200, NULL, req_query(req, "ok") ?
			    "Votre mot de passe a été changé. Reconnectez-vous sur vos autres "
			    "appareils. Votre jeton d'API et le lien de votre agenda personnel, "
			    "s'il y en avait, sont révoqués : créez-en de nouveaux ci-dessous si "
			    "vous en avez besoin." : NULL);
}

/* POST /account/password (current, password, confirm, _csrf) — changes it. */
int page_account_password(struct req *req, struct resp *resp)
{
	const char *current = req_form(req, "current"), *pw = req_form(req, "password"),
		   *confirm = req_form(req, "confirm");
	struct check c = {0};
	check_if(&c, !current || !*current, "current", "Indiquez votre mot de passe actuel.");
	if (current && *current) {
		switch (auth_check_password(req, req->user.email, current)) {
		case AUTH_OK:
			break;
		case AUTH_THROTTLED:
			return account_page(req, resp, 429, json_pack(
				"[{s:s, s:s}]", "field", "current", "message", "Trop d'essais du mot "
				"de passe actuel en dix minutes. Patientez un peu avant de réessayer."),
				NULL);
		case AUTH_BAD:
			check_if(&c, true, "current", "Le mot de passe actuel est incorrect.");
			break;
		default:
			return 500;
		}
	}
	const char *weak = pw && *pw ? auth_password_problem(pw) : NULL;
	check_if(&c, !pw || !*pw, "password",
		 "Choisissez un nouveau mot de passe (10 caractères au moins).");
	check_if(&c, weak != NULL, "password",
		 weak ? arena_printf(&req->arena, "Mot de passe refusé : %s.", weak) : "");
	check_if(&c, pw && *pw && (!confirm || strcmp(pw, confirm) != 0), "confirm",
		 "Les deux nouveaux mots de passe diffèrent.");
	if (c.n)
		return account_page(req, resp, 422, check_json(&c), NULL);
	struct buf err = {0};
	int rc = auth_user_set_password(req->user.email, pw, req->user.id, &err);
	if (rc < 0) {
		char *msg = arena_printf(&req->arena, "Mot de passe refusé : %s.", buf_str(&err));
		buf_free(&err);
		return account_page(req, resp, 422, json_pack("[{s:s, s:s}]", "field", "password",
							       "message", msg), NULL);
	}
	buf_free(&err);
	/* changing the password ended every session: open a fresh one here */
	char token[AUTH_TOKEN_LEN + 1];
	if (auth_login(req, req->user.email, pw, token) == AUTH_OK)
		session_cookie(req, resp, token, AUTH_SESSION_DAYS * 86400);
	return resp_redirect(req, resp, 303, "/account?ok=1");
}

#define FORGOT_TITLE "Mot de passe oublié"

/* Renders the form asking for a new password link, with an optional
 * message (sent: the answer given whatever the address). */
static int forgot_form(struct req *req, struct resp *resp, int status, const char *error,
		       bool sent)
{
	json_t *d = page_data(req, FORGOT_TITLE);
	if (error)
		json_object_set_new(d, "error", json_string(error));
	json_object_set_new(d, "sent", json_boolean(sent));
	return page_render(req, resp, status, "password_forgot", d);
}

/* GET /password/forgot — the form asking for a new password link. */
int page_password_forgot_form(struct req *req, struct resp *resp)
{
	return forgot_form(req, resp, 200, NULL, false);
}

/* POST /password/forgot (email, _csrf) — mails a new password link when
 * an active account has this address; the answer is the same either way
 * (it never tells whether an address has an account). Throttled per
 * client (429) and, silently, per address. */
int page_password_forgot(struct req *req, struct resp *resp)
{
	const char *email = req_form(req, "email");
	if (!email || !*email || strlen(email) > 254 || !auth_email_valid(email))
		return forgot_form(req, resp, 422, "Indiquez l'adresse e-mail de votre compte.", false);
	bool for_email;
	if (!auth_reset_allowed(email, req->remote_addr ? req->remote_addr : "", &for_email))
		return forgot_form(req, resp, 429, "Trop de demandes depuis votre connexion en une "
				   "heure. Réessayez plus tard.", false);
	long long id = db_int(0, "SELECT id FROM user WHERE email = ? AND disabled = 0", "t", email);
	char token[AUTH_TOKEN_LEN + 1];
	if (id && for_email) {
		if (db_begin() < 0)
			return 503;
		if (auth_link_issue(id, token) < 0 || notify_password_link(id, token, false) < 0 ||
		    db_audit(0, "link", "user", id, NULL, "oubli") < 0 || db_commit() < 0) {
			db_rollback();
			return 500;
		}
	}
	return forgot_form(req, resp, 200, NULL, true);
}

/* Renders the form choosing a password through link token, for account
 * row u, with an optional error. */
static int password_form(struct req *req, struct resp *resp, int status, const char *token,
			 json_t *u, json_t *problems)
{
	json_t *d = page_data(req, "Choisir votre mot de passe");
	json_object_set_new(d, "token", json_string(token));
	json_object_set_new(d, "account", u);
	page_form_problems(d, problems, NULL);
	return page_render(req, resp, status, "password_set", d);
}

/* The message of a link that does not (or no longer) work. */
#define LINK_GONE "Ce lien n'est plus valable : il a déjà servi, il a plus de " AUTH_LINK_DAYS \
		  " jours ou un lien plus récent l'a remplacé. Demandez-en un nouveau avec « Mot " \
		  "de passe oublié » sur la page de connexion."

/* GET /password/:token — the form choosing a password, when the link
 * works. */
int page_password_form(struct req *req, struct resp *resp)
{
	const char *token = req_param(req, "token");
	long long id = auth_link_user(token);
	if (!id)
		return page_error(req, resp, 404, LINK_GONE);
	resp_header(resp, "Cache-Control", "no-store");
	return password_form(req, resp, 200, token, db_row("SELECT email, name FROM user WHERE "
							   "id = ?", "i", id), NULL);
}

/* POST /password/:token (password, confirm, _csrf) — sets the password;
 * the link is then spent; goes to the login page. */
int page_password_set(struct req *req, struct resp *resp)
{
	const char *token = req_param(req, "token");
	long long id = auth_link_user(token);
	if (!id)
		return page_error(req, resp, 404, LINK_GONE);
	const char *pw = req_form(req, "password"), *again = req_form(req, "confirm");
	struct check c = {0};
	const char *weak = pw && *pw ? auth_password_problem(pw) : NULL;
	check_if(&c, !pw || !*pw, "password", "Choisissez un mot de passe (10 caractères au moins).");
	check_if(&c, weak != NULL, "password",
		 weak ? arena_printf(&req->arena, "Mot de passe refusé : %s.", weak) : "");
	check_if(&c, !again || !pw || strcmp(pw, again) != 0, "confirm",
		 "Les deux mots de passe ne sont pas identiques.");
	struct buf err = {0};
	if (!c.n && auth_link_use(token, pw, &err) < 0)
		check_if(&c, true, "password",
			 arena_printf(&req->arena, "Mot de passe refusé : %s.", buf_str(&err)));
	buf_free(&err);
	if (!c.n)
		return resp_redirect(req, resp, 303, "/login?password=1");
	return password_form(req, resp, 422, token, db_row("SELECT email, name FROM user WHERE "
							   "id = ?", "i", id), check_json(&c));
}