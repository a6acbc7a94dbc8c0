/* route.c — the table of every URL, matching, role and CSRF checks, error
 * pages and the headers every response carries. */
#include "route.h"

#include <stdio.h>
#include <string.h>

#include "auth.h"
#include "cache.h"
#include "db.h"
#include "html.h"
#include "log.h"
#include "page.h"
#include "text.h"

/* Every URL Maillage answers. Keep it sorted by family. */
static const struct route routes[] = {
	{"GET", "/", page_home, ROLE_ANON, ROUTE_CACHE},
	{"GET", "/healthz", page_healthz, ROLE_ANON, ROUTE_STATIC},
	{"GET", "/assets/:file", page_asset, ROLE_ANON, ROUTE_STATIC},

	{"GET", "/login", page_login_form, ROLE_ANON, 0},
	{"POST", "/login", page_login, ROLE_ANON, 0},
	{"POST", "/logout", page_logout, ROLE_PARTNER, 0},
	{"GET", "/account", page_account, ROLE_PARTNER, 0},
	{"POST", "/account/password", page_account_password, ROLE_PARTNER, 0},
	{"POST", "/account/calendar", page_account_calendar, ROLE_PARTNER, 0},
	{"POST", "/account/calendar/delete", page_account_calendar_delete, ROLE_PARTNER, 0},
	{"POST", "/account/api-token", page_account_api_token, ROLE_PARTNER, 0},
	{"POST", "/account/api-token/delete", page_account_api_token_delete, ROLE_PARTNER, 0},
	{"GET", "/password/forgot", page_password_forgot_form, ROLE_ANON, 0},
	{"POST", "/password/forgot", page_password_forgot, ROLE_ANON, 0},
	{"GET", "/password/:token", page_password_form, ROLE_ANON, 0},
	{"POST", "/password/:token", page_password_set, ROLE_ANON, 0},

	{"GET", "/bodies", page_bodies, ROLE_ANON, ROUTE_CACHE},
	{"GET", "/bodies/new", page_body_new, ROLE_COORDINATOR, 0},
	{"POST", "/bodies", page_body_create, ROLE_COORDINATOR, 0},
	{"GET", "/bodies/:slug", page_body, ROLE_ANON, ROUTE_CACHE},
	{"POST", "/bodies/:slug", page_body_update, ROLE_COORDINATOR, 0},
	{"GET", "/bodies/:slug/edit", page_body_edit, ROLE_COORDINATOR, 0},
	{"POST", "/bodies/:slug/memberships", page_body_membership_add, ROLE_COORDINATOR, 0},
	{"POST", "/bodies/:slug/memberships/:id/end", page_body_membership_end, ROLE_COORDINATOR, 0},
	{"GET", "/bodies/:slug/calendar.ics", page_body_calendar, ROLE_ANON, ROUTE_STATIC},
	{"GET", "/bodies/:slug/reviews/:year", page_review_edit, ROLE_COORDINATOR, 0},
	{"POST", "/bodies/:slug/reviews/:year", page_review_save, ROLE_COORDINATOR, 0},
	{"GET", "/bodies/:slug/polls/new", page_poll_new, ROLE_COORDINATOR, 0},
	{"POST", "/bodies/:slug/polls", page_poll_create, ROLE_COORDINATOR, 0},
	{"GET", "/polls/answer/:token", page_poll_link, ROLE_ANON, 0},
	{"POST", "/polls/answer/:token", page_poll_link_answer, ROLE_ANON, ROUTE_LINK},
	{"GET", "/polls/:id", page_poll, ROLE_PARTNER, 0},
	{"GET", "/polls/:id/answer", page_poll_member, ROLE_PARTNER, 0},
	{"POST", "/polls/:id/answer", page_poll_member_answer, ROLE_PARTNER, 0},
	{"POST", "/polls/:id/close", page_poll_close, ROLE_COORDINATOR, 0},
	{"GET", "/meetings", page_meetings, ROLE_ANON, ROUTE_CACHE},
	{"GET", "/meetings/new", page_meeting_new, ROLE_COORDINATOR, 0},
	{"POST", "/meetings", page_meeting_create, ROLE_COORDINATOR, 0},
	{"GET", "/meetings/:id", page_meeting, ROLE_ANON, ROUTE_CACHE},
	{"POST", "/meetings/:id", page_meeting_update, ROLE_COORDINATOR, 0},
	{"GET", "/meetings/:id/edit", page_meeting_edit, ROLE_COORDINATOR, 0},
	{"GET", "/meetings/:id/history", page_meeting_history, ROLE_ANON, ROUTE_CACHE},
	{"GET", "/meetings/:id/diff", page_meeting_diff, ROLE_ANON, 0},
	{"GET", "/meetings/:id/calendar.ics", page_meeting_calendar, ROLE_ANON, 0},
	{"GET", "/meetings/:id/prepare", page_meeting_prepare, ROLE_COORDINATOR, 0},
	{"POST", "/meetings/:id/restore", page_meeting_restore, ROLE_COORDINATOR, 0},
	{"GET", "/meetings/:id/delete", page_meeting_delete_confirm, ROLE_COORDINATOR, 0},
	{"POST", "/meetings/:id/delete", page_meeting_delete, ROLE_COORDINATOR, 0},
	{"POST", "/meetings/:id/undelete", page_meeting_undelete, ROLE_COORDINATOR, 0},
	{"POST", "/meetings/:id/invite", page_meeting_invite, ROLE_COORDINATOR, 0},
	{"POST", "/meetings/:id/rsvp", page_meeting_rsvp, ROLE_PARTNER, 0},
	{"POST", "/meetings/:id/approve", page_meeting_approve, ROLE_COORDINATOR, 0},
	{"POST", "/meetings/:id/reopen", page_meeting_reopen, ROLE_COORDINATOR, 0},
	{"POST", "/meetings/:id/minutes-document", page_meeting_minutes_document, ROLE_COORDINATOR,
	 0},
	{"POST", "/preview", page_preview, ROLE_PARTNER, 0},
	{"POST", "/paste", page_paste, ROLE_PARTNER, 0},
	{"GET", "/suggest", page_suggest, ROLE_PARTNER, 0},
	{"POST", "/files", page_file_attach, ROLE_COORDINATOR, 0},
	{"GET", "/files/:id", page_file, ROLE_ANON, 0},
	{"GET", "/files/:id/:name", page_file_get, ROLE_ANON, 0},
	{"POST", "/files/:id/rename", page_file_rename, ROLE_COORDINATOR, 0},
	{"POST", "/files/:id/replace", page_file_replace, ROLE_COORDINATOR, 0},
	{"POST", "/files/:id/delete", page_file_delete, ROLE_COORDINATOR, 0},
	{"POST", "/files/:id/undelete", page_file_undelete, ROLE_COORDINATOR, 0},
	{"GET", "/actions", page_actions, ROLE_ANON, ROUTE_CACHE},
	{"GET", "/actions/:id", page_action, ROLE_ANON, ROUTE_CACHE},
	{"POST", "/actions/:id", page_action_update, ROLE_PARTNER, 0},
	{"GET", "/letters", page_letters, ROLE_ANON, ROUTE_CACHE},
	{"GET", "/letters/new", page_letter_new, ROLE_COORDINATOR, 0},
	{"POST", "/letters", page_letter_create, ROLE_COORDINATOR, 0},
	{"GET", "/letters/:id", page_letter, ROLE_ANON, ROUTE_CACHE},
	{"POST", "/letters/:id", page_letter_update, ROLE_COORDINATOR, 0},
	{"GET", "/letters/:id/edit", page_letter_edit, ROLE_COORDINATOR, 0},
	{"POST", "/letters/:id/events", page_letter_event, ROLE_COORDINATOR, 0},
	{"POST", "/letters/:id/delete", page_letter_delete, ROLE_COORDINATOR, 0},
	{"POST", "/letters/:id/undelete", page_letter_undelete, ROLE_COORDINATOR, 0},
	{"GET", "/motions", page_motions, ROLE_ANON, ROUTE_CACHE},
	{"GET", "/motions/new", page_motion_new, ROLE_COORDINATOR, 0},
	{"POST", "/motions", page_motion_create, ROLE_COORDINATOR, 0},
	{"GET", "/motions/:slug", page_motion, ROLE_ANON, ROUTE_CACHE},
	{"POST", "/motions/:slug", page_motion_update, ROLE_COORDINATOR, 0},
	{"GET", "/motions/:slug/edit", page_motion_edit, ROLE_COORDINATOR, 0},
	{"POST", "/motions/:slug/delete", page_motion_delete, ROLE_COORDINATOR, 0},
	{"POST", "/motions/:slug/undelete", page_motion_undelete, ROLE_COORDINATOR, 0},
	{"GET", "/motions/:slug/communes/:nis", page_motion_commune, ROLE_ANON, ROUTE_CACHE},
	{"POST", "/motions/:slug/communes/:nis", page_motion_event, ROLE_COORDINATOR, 0},
	{"GET", "/mandates", page_mandates, ROLE_ANON, ROUTE_CACHE},
	{"GET", "/mandates/new", page_mandate_new, ROLE_COORDINATOR, 0},
	{"POST", "/mandates", page_mandate_create, ROLE_COORDINATOR, 0},
	{"GET", "/mandates/:id/edit", page_mandate_edit, ROLE_COORDINATOR, 0},
	{"POST", "/mandates/:id", page_mandate_update, ROLE_COORDINATOR, 0},
	{"POST", "/mandates/:id/delete", page_mandate_delete, ROLE_COORDINATOR, 0},
	{"GET", "/reports/:year", page_report, ROLE_ANON, ROUTE_CACHE},
	{"GET", "/reports/:year/figures.csv", page_report_csv, ROLE_ANON, 0},
	{"GET", "/reports/:year/rapport.odt", page_report_document, ROLE_ANON, 0},
	{"GET", "/reports/:year/rapport.docx", page_report_document, ROLE_ANON, 0},
	{"GET", "/interpellations", page_interpellations, ROLE_ANON, ROUTE_CACHE},
	{"GET", "/interpellations.csv", page_interpellations_csv, ROLE_ANON, 0},
	{"GET", "/feeds/interpellations.atom", page_interpellations_atom, ROLE_ANON, ROUTE_STATIC},
	{"GET", "/organisations", page_organisations, ROLE_ANON, ROUTE_CACHE},
	{"GET", "/organisations/new", page_organisation_new, ROLE_COORDINATOR, 0},
	{"POST", "/organisations", page_organisation_create, ROLE_COORDINATOR, 0},
	{"GET", "/organisations/:slug", page_organisation, ROLE_ANON, ROUTE_CACHE},
	{"POST", "/organisations/:slug", page_organisation_update, ROLE_COORDINATOR, 0},
	{"GET", "/organisations/:slug/edit", page_organisation_edit, ROLE_COORDINATOR, 0},
	{"POST", "/organisations/:slug/memberships", page_organisation_membership_add,
	 ROLE_COORDINATOR, 0},
	{"POST", "/organisations/:slug/memberships/:id/end", page_organisation_membership_end,
	 ROLE_COORDINATOR, 0},
	{"POST", "/organisations/:slug/delete", page_organisation_delete, ROLE_COORDINATOR, 0},
	{"POST", "/organisations/:slug/undelete", page_organisation_undelete, ROLE_COORDINATOR, 0},
	{"POST", "/organisations/:slug/contacts", page_contact_create, ROLE_COORDINATOR, 0},
	{"POST", "/organisations/:slug/contacts/:id", page_contact_update, ROLE_COORDINATOR, 0},
	{"POST", "/organisations/:slug/contacts/:id/delete", page_contact_delete, ROLE_COORDINATOR, 0},
	{"POST", "/organisations/:slug/contacts/:id/undelete", page_contact_undelete,
	 ROLE_COORDINATOR, 0},
	{"GET", "/rsvp/:token", page_rsvp_form, ROLE_ANON, 0},
	{"POST", "/rsvp/:token", page_rsvp_answer, ROLE_ANON, ROUTE_LINK},
	{"GET", "/unsubscribe/:token", page_unsubscribe_form, ROLE_ANON, 0},
	{"POST", "/unsubscribe/:token", page_unsubscribe, ROLE_ANON, ROUTE_LINK},
	{"GET", "/search", page_search, ROLE_ANON, 0},
	{"GET", "/search.json", page_search_json, ROLE_ANON, 0},
	{"GET", "/glossary", page_glossary, ROLE_ANON, ROUTE_CACHE},
	{"POST", "/glossary", page_glossary_save, ROLE_COORDINATOR, 0},
	{"POST", "/glossary/:id/delete", page_glossary_delete, ROLE_COORDINATOR, 0},
	{"POST", "/glossary/:id/undelete", page_glossary_undelete, ROLE_COORDINATOR, 0},
	{"GET", "/communes", page_communes, ROLE_ANON, ROUTE_CACHE},
	{"GET", "/communes/:nis", page_commune, ROLE_ANON, ROUTE_CACHE},
	{"POST", "/communes/:nis", page_commune_update, ROLE_COORDINATOR, 0},

	{"GET", "/calendar.ics", page_calendar, ROLE_ANON, ROUTE_STATIC},
	{"GET", "/calendar/:file", page_calendar_personal, ROLE_ANON, ROUTE_STATIC},
	{"GET", "/feeds/minutes.atom", page_minutes_atom, ROLE_ANON, ROUTE_STATIC},

	{"GET", "/api/v1", page_api_system, ROLE_ANON, ROUTE_TOKEN},
	{"GET", "/api/v1/organizations", page_api_organizations, ROLE_ANON, ROUTE_TOKEN},
	{"GET", "/api/v1/organizations/:slug", page_api_organization, ROLE_ANON, ROUTE_TOKEN},
	{"GET", "/api/v1/partners", page_api_partners, ROLE_ANON, ROUTE_TOKEN},
	{"GET", "/api/v1/partners/:slug", page_api_partner, ROLE_ANON, ROUTE_TOKEN},
	{"GET", "/api/v1/meetings", page_api_meetings, ROLE_ANON, ROUTE_TOKEN},
	{"GET", "/api/v1/meetings/:id", page_api_meeting, ROLE_ANON, ROUTE_TOKEN},
	{"GET", "/api/v1/papers", page_api_papers, ROLE_ANON, ROUTE_TOKEN},
	{"GET", "/api/v1/papers/:key", page_api_paper, ROLE_ANON, ROUTE_TOKEN},
	{"GET", "/api/v1/consultations", page_api_consultations, ROLE_ANON, ROUTE_TOKEN},
	{"GET", "/api/v1/consultations/:id", page_api_consultation, ROLE_ANON, ROUTE_TOKEN},
	{"GET", "/api/v1/communes", page_api_communes, ROLE_ANON, ROUTE_TOKEN},
	{"GET", "/api/v1/communes/:nis", page_api_commune, ROLE_ANON, ROUTE_TOKEN},
	{"GET", "/api/v1/files/:id", page_api_file, ROLE_ANON, ROUTE_TOKEN},
	{"GET", "/api/v1/polls", page_api_polls, ROLE_ANON, ROUTE_TOKEN},
	{"GET", "/api/v1/polls/:id", page_api_poll, ROLE_ANON, ROUTE_TOKEN},

	{"GET", "/admin/users", page_admin_users, ROLE_ADMIN, 0},
	{"POST", "/admin/users", page_admin_user_create, ROLE_ADMIN, 0},
	{"GET", "/admin/users/:id", page_admin_user, ROLE_ADMIN, 0},
	{"POST", "/admin/users/:id", page_admin_user_update, ROLE_ADMIN, 0},
	{"POST", "/admin/users/:id/disable", page_admin_user_disable, ROLE_ADMIN, 0},
	{"POST", "/admin/users/:id/enable", page_admin_user_enable, ROLE_ADMIN, 0},
	{"POST", "/admin/users/:id/link", page_admin_user_link, ROLE_ADMIN, 0},
	{"GET", "/admin/contacts/:id/export", page_contact_export, ROLE_ADMIN, 0},
	{"POST", "/admin/contacts/:id/erase", page_contact_erase, ROLE_ADMIN, 0},
	{"GET", "/admin/outbox", page_admin_outbox, ROLE_ADMIN, 0},
	{"POST", "/admin/outbox/:id/retry", page_admin_outbox_retry, ROLE_ADMIN, 0},
	{"GET", "/admin/webhooks", page_admin_webhooks, ROLE_ADMIN, 0},
	{"POST", "/admin/webhooks", page_admin_webhook_add, ROLE_ADMIN, 0},
	{"POST", "/admin/webhooks/:id/delete", page_admin_webhook_delete, ROLE_ADMIN, 0},
};

#define NROUTES (sizeof(routes) / sizeof(routes[0]))

/* Returns the route table and its length (for tests that walk it). */
const struct route *route_table(size_t *n)
{
	*n = NROUTES;
	return routes;
}

/* Tells whether value is acceptable for the typed parameter name. */
static bool param_ok(const char *name, size_t nlen, const char *value)
{
	size_t n = strlen(value);
	if (nlen == 2 && memcmp(name, "id", 2) == 0)
		return text_is_digits(value) && value[0] != '0';
	if (nlen == 3 && memcmp(name, "nis", 3) == 0)
		return n == 5 && text_is_digits(value);
	if (nlen == 4 && memcmp(name, "slug", 4) == 0)
		return text_is_slug(value);
	if (n == 0 || n > 100 || value[0] == '.')
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = value[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '_' || c == '.'))
			return false;
	}
	return true;
}

/* Matches path against pattern, collecting typed parameters into req
 * when req is not NULL; tells whether it matched. */
static bool match(const char *pattern, const char *path, struct req *req)
{
	struct kv params[8];
	size_t np = 0;
	const char *p = pattern, *s = path;
	while (*p && *s) {
		if (*p != '/' || *s != '/')
			return false;
		p++, s++;
		const char *pe = strchr(p, '/'), *se = strchr(s, '/');
		size_t plen = pe ? (size_t)(pe - p) : strlen(p);
		size_t slen = se ? (size_t)(se - s) : strlen(s);
		if (*p == ':') {
			char value[128];
			if (slen == 0 || slen >= sizeof(value) || np == 8)
				return false;
			memcpy(value, s, slen);
			value[slen] = '\0';
			if (!param_ok(p + 1, plen - 1, value))
				return false;
			if (req)
				params[np++] = (struct kv){arena_strndup(&req->arena, p + 1, plen - 1),
							   arena_strdup(&req->arena, value)};
		} else if (plen != slen || memcmp(p, s, plen) != 0) {
			return false;
		}
		p += plen, s += slen;
	}
	if (*p || *s)
		return false;
	if (req && np) {
		req->params.items = arena_alloc(&req->arena, np * sizeof(struct kv));
		memcpy(req->params.items, params, np * sizeof(struct kv));
		req->params.n = np;
	}
	return true;
}

/* Tells whether some route answers method on path. */
bool route_exists(const char *method, const char *path)
{
	for (size_t i = 0; i < NROUTES; i++)
		if (strcmp(routes[i].method, method) == 0 && match(routes[i].pattern, path, NULL))
			return true;
	return false;
}

/* Returns the origin (scheme://host[:port]) POSTs must come from. */
static const char *expected_origin(struct req *req)
{
	const char *base = page_cfg.base_url;
	if (base && *base) {
		const char *host = strstr(base, "://");
		const char *slash = host ? strchr(host + 3, '/') : NULL;
		return slash ? arena_strndup(&req->arena, base, (size_t)(slash - base)) : base;
	}
	return arena_printf(&req->arena, "http://%s", req->host ? req->host : "");
}

/* Tells whether a POST carries the session's CSRF token and no foreign origin. */
static bool csrf_ok(struct req *req)
{
	const char *token = req_form(req, "_csrf");
	if (!token || !*token || !req->csrf || !*req->csrf || req->csrf_new ||
	    !text_equal_ct(token, req->csrf))
		return false;
	if (req->sec_fetch_site && strcmp(req->sec_fetch_site, "cross-site") == 0)
		return false;
	return !req->origin || strcmp(req->origin, expected_origin(req)) == 0;
}

/* Adds the headers every response carries (CSP, nosniff, …). */
void route_security_headers(struct resp *resp)
{
	if (!resp_get_header(resp, "Content-Security-Policy")) /* a file has its own */
		resp_header(resp, "Content-Security-Policy",
		    "default-src 'self'; script-src 'self'; style-src 'self'; "
		    "img-src 'self' data:; font-src 'self'; connect-src 'self'; "
		    "object-src 'none'; base-uri 'none'; form-action 'self'; "
		    "frame-ancestors 'none'");
	resp_header(resp, "X-Content-Type-Options", "nosniff");
	resp_header(resp, "Referrer-Policy", "same-origin");
	resp_header(resp, "X-Frame-Options", "DENY");
	resp_header(resp, "Cross-Origin-Opener-Policy", "same-origin");
}

/* Adds the cookie that carries an anonymous visitor's CSRF token. */
static void csrf_cookie(struct req *req, struct resp *resp)
{
	resp_header(resp, "Set-Cookie",
		    arena_printf(&req->arena, "%s=%s; Path=/; HttpOnly; SameSite=Lax%s",
				 AUTH_CSRF_COOKIE, req->csrf, page_cfg.secure ? "; Secure" : ""));
}

/* Tells whether resp is a page with a form carrying req's new CSRF token:
 * only then does the visitor get the cookie (no cookie just for reading). */
static bool has_form(const struct req *req, const struct resp *resp)
{
	return strncmp(resp->content_type, "text/html", 9) == 0 && resp_carries_csrf(req, resp);
}

/* Sends an anonymous visitor to the login page, coming back here after. */
static int to_login(struct req *req, struct resp *resp)
{
	struct buf loc = {0};
	buf_puts(&loc, "/login?next=");
	html_url_encode(&loc, req->target, strlen(req->target));
	resp_redirect(req, resp, 302, buf_str(&loc));
	buf_free(&loc);
	return 302;
}

/* Finds the route for req; sets *status to 404 or 405 when there is none. */
static const struct route *find_route(struct req *req, struct resp *resp, int *status)
{
	struct buf allow = {0};
	const struct route *found = NULL;
	for (size_t i = 0; i < NROUTES && !found; i++) {
		if (!match(routes[i].pattern, req->path, NULL))
			continue;
		if (strcmp(routes[i].method, req->method) == 0) {
			match(routes[i].pattern, req->path, req);
			found = &routes[i];
		} else if (!strstr(buf_str(&allow), routes[i].method)) {
			buf_printf(&allow, "%s%s%s", allow.len ? ", " : "", routes[i].method,
				   strcmp(routes[i].method, "GET") == 0 ? ", HEAD" : "");
		}
	}
	if (!found) {
		*status = allow.len ? 405 : 404;
		if (allow.len)
			resp_header(resp, "Allow", arena_strdup(&req->arena, buf_str(&allow)));
	}
	buf_free(&allow);
	return found;
}

/* Runs r's handler; a write refused for a full disk becomes a 507 that
 * says so, and any other failed statement a 500 (never the 404 or the
 * empty list that the missing rows would have made, which the page cache
 * would then keep). */
static int handle(const struct route *r, struct req *req, struct resp *resp)
{
	db_clear_error();
	int status = r->handler(req, resp);
	if (status >= 500 && db_disk_full()) {
		log_error("%s %.200s : disque plein, écriture refusée", req->method, req->path);
		buf_reset(&resp->body);
		status = page_error(req, resp, 507, NULL);
	} else if (db_failed() && status != 500) {
		log_error("%s %.200s : la base de données a échoué, réponse %d remplacée par 500",
			  req->method, req->path, status);
		buf_reset(&resp->body);
		resp->nheaders = 0;
		status = page_error(req, resp, 500, NULL);
	}
	return status;
}

/* Runs a page anonymous visitors may get from the cache: from there when
 * a fresh copy is kept, else made and offered to the cache. */
static int handle_cached(const struct route *r, struct req *req, struct resp *resp)
{
	long long stamp;
	if (cache_get(req, resp, &stamp))
		return resp->status;
	resp->status = handle(r, req, resp);
	cache_put(req, resp, stamp);
	return resp->status;
}

/* Answers req into resp: the error page of status, a request refused
 * before routing (bad target, body too large, malformed form), or else
 * what its route answers. */
void route_answer(struct req *req, struct resp *resp, int status)
{
	if (!status) {
		route(req, resp);
		return;
	}
	if (!req->path)
		req->path = "/";
	resp->content_type = "text/html; charset=utf-8";
	page_error(req, resp, status, NULL);
	resp->status = status;
	route_security_headers(resp);
	resp_header(resp, "Connection", "close");
}

/* Answers req into resp: route, role, CSRF, handler, error page, headers. */
void route(struct req *req, struct resp *resp)
{
	int status = 0;
	resp->status = 200;
	resp->content_type = "text/html; charset=utf-8";
	const struct route *r = find_route(req, resp, &status);
	bool bearer = auth_bearer(req) != NULL;
	if (r && bearer && !(r->flags & ROUTE_TOKEN)) {
		resp_header(resp, "WWW-Authenticate", "Bearer error=\"insufficient_scope\"");
		status = page_error(req, resp, 401, "Un jeton d'API ne sert qu'à lire l'API "
				    "(/api/v1) : il n'ouvre ni les pages ni les formulaires.");
		r = NULL;
	} else if (!r || !(r->flags & ROUTE_STATIC)) {
		auth_load_session(req);
	}
	if (!r)
		;
	else if (req->bearer_refused) {
		resp_header(resp, "WWW-Authenticate", "Bearer");
		status = page_error(req, resp, 401, "Jeton d'API inconnu ou révoqué.");
	} else if (req->user.role < r->min_role)
		status = req->user.role == ROLE_ANON && strcmp(req->method, "GET") == 0
				 ? to_login(req, resp) : 403;
	else if (strcmp(req->method, "POST") == 0 && !(r->flags & ROUTE_LINK) && !csrf_ok(req))
		status = page_error(req, resp, 403,
				    "Ce formulaire a expiré ou vient d'un autre site. "
				    "Rechargez la page et envoyez-le à nouveau.");
	else if (r->flags & ROUTE_CACHE)
		status = handle_cached(r, req, resp);
	else
		status = handle(r, req, resp);
	resp->status = status;
	if (status >= 500)
		log_error("%s %.200s : erreur %d (voir les lignes précédentes)", req->method, req->path,
			  status);
	if (status >= 400 && resp->body.len == 0)
		page_error(req, resp, status, NULL);
	if (req->csrf_new && has_form(req, resp))
		csrf_cookie(req, resp);
	if (!resp_get_header(resp, "Cache-Control"))
		resp_header(resp, "Cache-Control", req->user.id ? "private, no-cache" : "no-cache");
	route_security_headers(resp);
}
