/* page_feed.c — calendars (the public one, a body's, a person's private
 * one by its secret link) and the Atom feed of approved public minutes.
 * Feeds are read by programs without a session: the public ones hold only
 * public things, whoever asks; a personal one what its owner may read. */
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "db.h"
#include "feed.h"
#include "ical.h"
#include "notify.h"
#include "page.h"
#include "text.h"

#define CALENDAR_PAST "-365 days" /* how far back calendars go */

/* Fills resp with the calendar of the meetings rows, called name. */
static int calendar(struct resp *resp, json_t *rows, const char *name)
{
	if (!rows)
		return 500;
	struct buf *out = &resp->body;
	buf_reset(out);
	ical_begin(out, "PUBLISH", name);
	size_t i;
	json_t *m;
	json_array_foreach(rows, i, m)
		notify_vevent(out, m, NULL);
	ical_end(out);
	json_decref(rows);
	resp->content_type = "text/calendar; charset=utf-8";
	return 200;
}

/* Returns the meetings of the last year and to come that a reader of role
 * and organisation org may see, of body_id only when not 0. */
static json_t *meetings_for(int role, long long org, long long body_id)
{
	return db_rows("SELECT m.id, m.title, m.start, m.end, m.place, m.video, m.status, "
		       "m.ics_sequence, b.name AS body FROM meeting m JOIN body b ON b.id = m.body_id "
		       "WHERE m.deleted = 0 AND m.start >= date('now', '" CALENDAR_PAST "') AND "
		       "(? = 0 OR m.body_id = ?1) AND " AUTH_SEES_SQL("m.visibility", "m.body_id")
		       " ORDER BY m.start", "iii", body_id, (long long)role, org);
}

/* GET /calendar.ics — the public meetings of every body. */
int page_calendar(struct req *req, struct resp *resp)
{
	(void)req;
	return calendar(resp, meetings_for(ROLE_ANON, 0, 0), "Réunions publiques du réseau");
}

/* GET /bodies/:slug/calendar.ics — a body's public meetings. */
int page_body_calendar(struct req *req, struct resp *resp)
{
	json_t *b = db_row("SELECT id, name FROM body WHERE slug = ? AND visibility <> 'internal'",
			   "t", req_param(req, "slug"));
	if (!b)
		return 404;
	int rc = calendar(resp, meetings_for(ROLE_ANON, 0, json_integer_value(json_object_get(b, "id"))),
			  json_string_value(json_object_get(b, "name")));
	json_decref(b);
	return rc;
}

/* GET /calendar/:token.ics — every meeting the owner of the secret link
 * may read; 404 for an unknown or revoked link. */
int page_calendar_personal(struct req *req, struct resp *resp)
{
	const char *file = req_param(req, "file");
	size_t n = strlen(file);
	if (n != AUTH_TOKEN_LEN + 4 || strcmp(file + AUTH_TOKEN_LEN, ".ics") != 0)
		return 404;
	char token[AUTH_TOKEN_LEN + 1];
	memcpy(token, file, AUTH_TOKEN_LEN);
	token[AUTH_TOKEN_LEN] = '\0';
	int role;
	long long org;
	if (!auth_token_owner("calendar", token, &role, &org))
		return 404;
	resp_header(resp, "Cache-Control", "private, no-store");
	return calendar(resp, meetings_for(role, org, 0), "Mes réunions du réseau");
}

/* GET /meetings/:id/calendar.ics — one meeting, to add to one's own
 * calendar (« Ajouter à mon agenda »), for whoever may read it. */
int page_meeting_calendar(struct req *req, struct resp *resp)
{
	long long id = atoll(req_param(req, "id"));
	json_t *rows = db_rows("SELECT m.id, m.title, m.start, m.end, m.place, m.video, m.status, "
			       "m.ics_sequence, b.name AS body FROM meeting m JOIN body b ON "
			       "b.id = m.body_id WHERE m.id = ? AND m.deleted = 0 AND "
			       AUTH_SEES_SQL("m.visibility", "m.body_id"), "iii", id,
			       (long long)req->user.role, req->user.org_id);
	if (rows && json_array_size(rows) == 0) {
		json_decref(rows);
		return 404;
	}
	resp_header(resp, "Content-Disposition", arena_printf(&req->arena,
		    "attachment; filename=\"reunion-%lld.ics\"", id));
	resp_header(resp, "Cache-Control", "private, no-store");
	return calendar(resp, rows, "Réunion du réseau");
}

/* GET /feeds/minutes.atom — the 50 latest approved minutes of public
 * meetings, with their public text. */
int page_minutes_atom(struct req *req, struct resp *resp)
{
	(void)req;
	json_t *rows = db_rows("SELECT m.id, m.title, m.start, m.minutes_html, m.modified, b.name AS "
			       "body FROM meeting m JOIN body b ON b.id = m.body_id WHERE m.deleted = 0 "
			       "AND m.visibility = 'public' AND m.status = 'minutes_approved' ORDER BY "
			       "m.modified DESC, m.id DESC LIMIT 50", NULL), *r;
	if (!rows)
		return 500;
	struct buf *out = &resp->body, self = {0}, alt = {0};
	buf_reset(out);
	buf_printf(&self, "%s/feeds/minutes.atom", notify_site);
	buf_printf(&alt, "%s/meetings", notify_site);
	r = json_array_get(rows, 0);
	feed_begin(out, "Procès-verbaux du réseau", buf_str(&self), buf_str(&alt),
		   r ? json_string_value(json_object_get(r, "modified")) : "2000-01-01T00:00:00Z");
	size_t i;
	json_array_foreach(rows, i, r) {
		struct buf url = {0}, title = {0};
		buf_printf(&url, "%s/meetings/%lld", notify_site,
			   (long long)json_integer_value(json_object_get(r, "id")));
		buf_printf(&title, "%s — %s, ", json_string_value(json_object_get(r, "title")),
			   json_string_value(json_object_get(r, "body")));
		text_date_fr(&title, json_string_value(json_object_get(r, "start")));
		feed_entry(out, buf_str(&url), buf_str(&title),
			   json_string_value(json_object_get(r, "modified")),
			   json_string_value(json_object_get(r, "minutes_html")));
		buf_free(&url);
		buf_free(&title);
	}
	feed_end(out);
	buf_free(&self);
	buf_free(&alt);
	json_decref(rows);
	resp->content_type = "application/atom+xml; charset=utf-8";
	return 200;
}
