/* page_home.c — the home page of each kind of reader, the health check
 * and the static files. */
#include <stdbool.h>
#include <string.h>

#include "asset.h"
#include "auth.h"
#include "db.h"
#include "interp.h"
#include "page.h"
#include "view.h"
#include "vocab.h"

/* The columns of a meeting in a home's list, and its body. */
#define HOME_MEETING "SELECT m.id, m.title, m.start, m.status, b.name AS body, " \
		     "b.slug AS body_slug FROM meeting m JOIN body b ON b.id = m.body_id "
/* The reader's organisation's current memberships, joined to meetings m. */
#define HOME_MINE "JOIN membership ms ON ms.body_id = m.body_id AND ms.organisation_id = ? " \
		  "AND (ms.end_date IS NULL OR ms.end_date >= date('now')) "
#define HOME_LIST 8 /* rows of each list of a home */

/* Sets d[key] to rows (an empty list on error), meeting rows decorated. */
static void put_list(json_t *d, const char *key, json_t *rows, bool meetings)
{
	if (meetings)
		page_meeting_decorate(rows);
	json_object_set_new(d, key, rows ? rows : json_array());
}

/* Fills a partner's home: their organisation's bodies with the next
 * meeting of each, the next meetings, the minutes approved lately (new
 * since the previous login marked), the open actions and the letters
 * co-signed. */
static void partner_home(struct req *req, json_t *d)
{
	long long org = req->user.org_id, role = req->user.role;
	json_t *prev = db_row("SELECT previous_login_at FROM user WHERE id = ?", "i", req->user.id);
	const char *since = db_str(prev, "previous_login_at");
	json_t *bodies = db_rows(
		"SELECT b.slug, b.name, ms.role, n.id AS next_id, n.title AS next_title, n.start "
		"FROM membership ms JOIN body b ON b.id = ms.body_id LEFT JOIN meeting n ON n.id = "
		"(SELECT m.id FROM meeting m WHERE m.body_id = b.id AND m.start >= date('now') AND "
		"m.deleted = 0 AND m.status <> 'cancelled' AND (m.visibility <> 'internal' OR ? >= 2) "
		"ORDER BY m.start LIMIT 1) WHERE ms.organisation_id = ? AND (ms.end_date IS NULL OR "
		"ms.end_date >= date('now')) ORDER BY b.name COLLATE NOCASE", "ii", role, org);
	view_dates_fr(bodies, "start", "next_when");
	put_list(d, "my_bodies", bodies, false);
	put_list(d, "upcoming", db_rows(HOME_MEETING HOME_MINE "WHERE m.start >= date('now') AND "
					"m.deleted = 0 AND (m.visibility <> 'internal' OR ? >= 2) "
					"ORDER BY m.start, m.id LIMIT ?", "iii", org, role,
					(long long)HOME_LIST), true);
	json_t *minutes = db_rows(
		"SELECT m.id, m.title, m.start, m.status, b.name AS body, b.slug AS body_slug, "
		"m.approved_at > coalesce(?, '') AS new FROM meeting m JOIN body b ON "
		"b.id = m.body_id " HOME_MINE "WHERE m.approved_at >= min(coalesce(?1, '9'), "
		DB_NOW_SHIFTED("'-60 days'") ") AND m.deleted = 0 AND (m.visibility <> 'internal' "
		"OR ? >= 2) ORDER BY m.approved_at DESC LIMIT ?", "tiii", since, org, role,
		(long long)HOME_LIST);
	put_list(d, "minutes", minutes, true);
	json_decref(prev);
	json_t *actions = db_rows(
		"SELECT a.id, a.text, a.owner, a.due, a.state, a.owner_organisation_id, "
		"a.due < date('now') AS overdue, m.id AS meeting_id, m.title AS meeting FROM action a "
		"JOIN meeting m ON m.id = a.meeting_id WHERE a.owner_organisation_id = ? AND "
		"a.state = 'open' AND m.deleted = 0 AND " AUTH_SEES_SQL("m.visibility", "m.body_id")
		" ORDER BY a.due IS NULL, a.due, a.id LIMIT 20", "iii", org, role, org);
	page_action_rows(req, actions);
	put_list(d, "actions", actions, false);
	json_t *letters = db_rows(
		"SELECT l.id, l.title, l.date, l.status FROM letter_signer s JOIN letter l ON "
		"l.id = s.letter_id WHERE s.organisation_id = ? AND l.deleted = 0 AND "
		AUTH_SEES_SQL("l.visibility", "l.body_id") " ORDER BY l.date DESC LIMIT ?", "iiii",
		org, role, org, (long long)HOME_LIST);
	view_dates_fr(letters, "date", "when");
	put_list(d, "signed", letters, false);
}

/* Adds the French label of each row's state of vocabulary v. */
static void state_labels(json_t *rows, const struct vocab *v, const char *key)
{
	size_t i;
	json_t *r;
	json_array_foreach(rows, i, r) {
		const char *label = vocab_label(v, db_str(r, key));
		json_object_set_new(r, "state_label", json_string(label ? label : ""));
	}
}

/* Fills the board's home: the latest interpellations, letters awaiting an answer, the motions'
 * progress (by state, and the last 30 days), the board's next meetings
 * (those of internal bodies) and the year's key figures. */
static void board_home(json_t *d)
{
	json_t *latest = db_rows("SELECT id, title, date, status FROM letter WHERE deleted = 0 AND "
				 "status <> 'draft' ORDER BY date DESC, id DESC LIMIT 5", NULL);
	view_dates_fr(latest, "date", "when");
	state_labels(latest, &vocab_letter_statuses, "status");
	put_list(d, "latest", latest, false);
	json_t *waiting = db_rows("SELECT id, title, date, level FROM letter WHERE deleted = 0 AND "
				  "status = 'sent' ORDER BY date DESC, id DESC LIMIT ?", "i",
				  (long long)HOME_LIST);
	view_dates_fr(waiting, "date", "when");
	put_list(d, "waiting", waiting, false);
	json_t *states = db_rows("SELECT mc.state, count(*) AS n FROM motion_commune mc JOIN motion "
				 "mo ON mo.id = mc.motion_id WHERE mo.deleted = 0 AND mc.state <> "
				 "'not_started' GROUP BY mc.state ORDER BY count(*) DESC", NULL);
	state_labels(states, &vocab_motion_states, "state");
	put_list(d, "motion_states", states, false);
	json_t *moves = db_rows(
		"SELECT e.date, e.state, c.name AS commune, c.nis, mo.slug, mo.title FROM event e "
		"JOIN motion_commune mc ON mc.id = e.motion_commune_id JOIN motion mo ON "
		"mo.id = mc.motion_id JOIN commune c ON c.nis = mc.commune_nis WHERE e.date >= "
		"date('now', '-30 days') AND e.state IS NOT NULL AND mo.deleted = 0 "
		"ORDER BY e.date DESC, e.id DESC LIMIT ?", "i", (long long)HOME_LIST);
	state_labels(moves, &vocab_motion_states, "state");
	view_dates_fr(moves, "date", "when");
	put_list(d, "motion_moves", moves, false);
	put_list(d, "upcoming", db_rows(HOME_MEETING "WHERE b.visibility = 'internal' AND "
					"m.start >= date('now') AND m.deleted = 0 ORDER BY m.start "
					"LIMIT ?", "i", (long long)HOME_LIST), true);
	json_t *figures = db_row(
		"SELECT strftime('%Y', 'now') AS year, "
		"(SELECT count(*) FROM meeting WHERE deleted = 0 AND start >= strftime('%Y', 'now') "
		"AND start < date('now', '+1 day') AND status IN ('held', 'minutes_draft', "
		"'minutes_approved')) AS meetings, "
		"(SELECT count(*) FROM meeting WHERE deleted = 0 AND status = 'minutes_approved' AND "
		"approved_at >= strftime('%Y', 'now')) AS approved, "
		"(SELECT count(*) FROM letter WHERE deleted = 0 AND status <> 'draft' AND "
		"date >= strftime('%Y', 'now')) AS letters, "
		"(SELECT count(*) FROM action WHERE state = 'done' AND closed_at >= "
		"strftime('%Y', 'now')) AS actions_done, "
		"(SELECT count(DISTINCT mc.commune_nis) FROM event e JOIN motion_commune mc ON "
		"mc.id = e.motion_commune_id WHERE e.date >= strftime('%Y', 'now')) AS communes",
		NULL);
	json_object_set_new(d, "figures", figures ? figures : json_object());
}

/* Fills a coordinator's home: this week's and next week's meetings, the
 * minutes left in draft more than 14 days after their meeting, overdue
 * actions, the follow-ups and the recent changes made by others. */
static void coordinator_home(struct req *req, json_t *d)
{
	put_list(d, "upcoming", db_rows(HOME_MEETING "WHERE m.start >= date('now', '-6 days', "
					"'weekday 1') AND m.start < date('now', '-6 days', "
					"'weekday 1', '+14 days') AND m.deleted = 0 ORDER BY m.start, "
					"m.id LIMIT 30", NULL), true);
	put_list(d, "late_minutes", db_rows(HOME_MEETING "WHERE m.status IN ('planned', 'held', "
					    "'minutes_draft') AND m.start < date('now', '-14 days') "
					    "AND m.deleted = 0 ORDER BY m.start DESC LIMIT ?", "i",
					    (long long)HOME_LIST), true);
	json_t *late = db_rows(
		"SELECT a.id, a.text, a.owner, a.due, a.state, a.owner_organisation_id, 1 AS overdue, "
		"o.name AS owner_name, o.slug AS owner_slug, m.id AS meeting_id, m.title AS meeting "
		"FROM action a JOIN meeting m ON m.id = a.meeting_id LEFT JOIN organisation o ON "
		"o.id = a.owner_organisation_id WHERE a.state = 'open' AND a.due < date('now') AND "
		"m.deleted = 0 ORDER BY a.due, a.id LIMIT 20", NULL);
	page_action_rows(req, late);
	put_list(d, "late_actions", late, false);
	json_object_set_new(d, "followups", interp_followups(0, 0));
	page_poll_list(req, d, 0);
	json_t *changes = db_rows(
		"SELECT a.created, u.name AS author, a.object || ' ' || a.action AS verb, "
		"CASE a.object WHEN 'meeting' THEN (SELECT title FROM meeting WHERE id = a.object_id) "
		"WHEN 'letter' THEN (SELECT title FROM letter WHERE id = a.object_id) "
		"WHEN 'action' THEN (SELECT text FROM action WHERE id = a.object_id) "
		"WHEN 'body' THEN (SELECT name FROM body WHERE id = a.object_id) "
		"ELSE (SELECT mo.title || ' — ' || c.name FROM motion_commune mc JOIN motion mo ON "
		"mo.id = mc.motion_id JOIN commune c ON c.nis = mc.commune_nis WHERE "
		"mc.id = a.object_id) END AS label, "
		"CASE a.object WHEN 'meeting' THEN '/meetings/' || a.object_id "
		"WHEN 'letter' THEN '/letters/' || a.object_id "
		"WHEN 'action' THEN '/actions/' || a.object_id "
		"WHEN 'body' THEN (SELECT '/bodies/' || slug FROM body WHERE id = a.object_id) "
		"ELSE (SELECT '/motions/' || mo.slug || '/communes/' || mc.commune_nis FROM "
		"motion_commune mc JOIN motion mo ON mo.id = mc.motion_id WHERE mc.id = a.object_id) "
		"END AS href FROM audit a JOIN user u ON u.id = a.user_id WHERE a.user_id <> ? AND "
		"a.object IN ('meeting', 'letter', 'action', 'body', 'motion_commune') "
		"ORDER BY a.id DESC LIMIT 10", "i", req->user.id);
	size_t i;
	json_t *r;
	json_array_foreach(changes, i, r) {
		const char *verb = vocab_label(&vocab_audit_verbs, db_str(r, "verb"));
		json_object_set_new(r, "verb", json_string(verb ? verb : "a modifié"));
	}
	view_dates_fr(changes, "created", "when");
	put_list(d, "changes", changes, false);
}

/* Fills the anonymous front page: the next public meetings, the latest
 * public minutes and letters. */
static void public_home(json_t *d)
{
	put_list(d, "upcoming", db_rows(HOME_MEETING "WHERE m.deleted = 0 AND m.visibility = "
					"'public' AND m.start >= date('now') ORDER BY m.start "
					"LIMIT ?", "i", (long long)HOME_LIST), true);
	put_list(d, "minutes", db_rows(HOME_MEETING "WHERE m.deleted = 0 AND m.visibility = "
				       "'public' AND m.status = 'minutes_approved' ORDER BY m.start "
				       "DESC LIMIT 5", NULL), true);
	json_t *letters = db_rows("SELECT id, title, date FROM letter WHERE deleted = 0 AND "
				  "visibility = 'public' AND status <> 'draft' ORDER BY date DESC, "
				  "id DESC LIMIT 5", NULL);
	view_dates_fr(letters, "date", "when");
	put_list(d, "letters", letters, false);
}

/* GET / — each reader's own things first: the front page for visitors,
 * a partner's bodies, meetings, minutes and actions, the board's follow-up
 * of letters and motions, the coordination's week and what is late. */
int page_home(struct req *req, struct resp *resp)
{
	json_t *d = page_data(req, NULL);
	json_object_set_new(d, "is_home", json_true());
	if (req->user.role >= ROLE_COORDINATOR) {
		json_object_set_new(d, "home_coordinator", json_true());
		coordinator_home(req, d);
	} else if (req->user.role == ROLE_BOARD) {
		json_object_set_new(d, "home_board", json_true());
		board_home(d);
	} else if (req->user.role == ROLE_PARTNER) {
		json_object_set_new(d, "home_partner", json_true());
		partner_home(req, d);
	} else {
		json_object_set_new(d, "home_public", json_true());
		public_home(d);
	}
	return page_render(req, resp, 200, "home", d);
}

/* GET /assets/:file — a static file with ETag and long caching. */
int page_asset(struct req *req, struct resp *resp)
{
	const struct asset *a = asset_find(req_param(req, "file"));
	if (!a)
		return 404;
	const char *v = req_query(req, "v");
	resp_header(resp, "ETag", a->etag);
	resp_header(resp, "Cache-Control", v && strcmp(v, asset_version()) == 0
			   ? "public, max-age=31536000, immutable" : "public, max-age=3600");
	resp->content_type = a->type;
	if (req->if_none_match && strstr(req->if_none_match, a->etag))
		return 304;
	buf_append(&resp->body, a->data, a->len);
	return 200;
}

/* GET /healthz — 200 and the schema version when the database answers. */
int page_healthz(struct req *req, struct resp *resp)
{
	(void)req;
	int version = db_schema_version();
	if (version < 0)
		return page_json(resp, 503, json_pack("{s:s}", "status", "database unavailable"));
	return page_json(resp, 200, json_pack("{s:s, s:i}", "status", "ok", "schema", version));
}
