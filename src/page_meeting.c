/* page_meeting.c — the meetings of the network's bodies: the list, and one
 * meeting with its agenda, minutes, actions and attendance. Everything goes
 * through the visibility rule of auth.c. */
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "db.h"
#include "page.h"
#include "text.h"

#define MEETINGS_PER_PAGE 50

/* Returns the French label of a meeting status. */
static const char *status_label(const char *status)
{
	static const char *const labels[][2] = {
		{"planned", "prévue"}, {"held", "tenue"}, {"minutes_draft", "procès-verbal en projet"},
		{"minutes_approved", "procès-verbal approuvé"}, {"cancelled", "annulée"}};
	for (size_t i = 0; i < sizeof(labels) / sizeof(labels[0]); i++)
		if (status && strcmp(status, labels[i][0]) == 0)
			return labels[i][1];
	return "";
}

/* Adds French dates and status labels to meeting rows. */
static void decorate(json_t *rows)
{
	size_t i;
	json_t *row;
	json_array_foreach(rows, i, row) {
		struct buf when = {0};
		text_date_fr(&when, json_string_value(json_object_get(row, "start")));
		json_object_set_new(row, "when", json_string(buf_str(&when)));
		json_object_set_new(row, "status_label",
				    json_string(status_label(json_string_value(json_object_get(row, "status")))));
		buf_free(&when);
	}
}

/* Returns the meetings req's user may see (of one body when body_id is not
 * 0), newest first, with French dates (new reference; NULL on error). */
json_t *page_meeting_rows(struct req *req, long long body_id, int limit, int offset)
{
	json_t *rows = db_rows(
		"SELECT m.id, m.title, m.start, m.status, m.visibility, b.name AS body, "
		"b.slug AS body_slug FROM meeting m JOIN body b ON b.id = m.body_id "
		"WHERE m.deleted = 0 AND (? = 0 OR m.body_id = ?) AND "
		AUTH_SEES_SQL("m.visibility", "m.body_id")
		" ORDER BY m.start DESC, m.id DESC LIMIT ? OFFSET ?", "iiiiii", body_id, body_id,
		(long long)req->user.role, req->user.org_id, (long long)limit, (long long)offset);
	decorate(rows);
	return rows;
}

/* GET /meetings?page=N — the meetings one may see, newest first. */
int page_meetings(struct req *req, struct resp *resp)
{
	const char *p = req_query(req, "page");
	long page = p && text_is_digits(p) ? atol(p) : 1;
	page = page < 1 ? 1 : page > 100000 ? 100000 : page;
	json_t *rows = page_meeting_rows(req, 0, MEETINGS_PER_PAGE + 1,
					 (int)((page - 1) * MEETINGS_PER_PAGE));
	if (!rows)
		return 500;
	bool more = json_array_size(rows) > MEETINGS_PER_PAGE;
	if (more)
		json_array_remove(rows, MEETINGS_PER_PAGE);
	json_t *d = page_data(req, "Réunions");
	json_object_set_new(d, "meetings", rows);
	if (more)
		json_object_set_new(d, "next_page", json_integer(page + 1));
	if (page > 1)
		json_object_set_new(d, "prev_page", json_integer(page - 1));
	return page_render(req, resp, 200, "meetings", d);
}

/* GET /meetings/:id — one meeting, or 404 when one may not see it. */
int page_meeting(struct req *req, struct resp *resp)
{
	long long id = atoll(req_param(req, "id"));
	json_t *m = db_row("SELECT m.id, m.title, m.start, m.end, m.place, m.video, m.format, "
			   "m.status, m.visibility, m.body_id, m.agenda_html, m.minutes_html, "
			   "b.name AS body, b.slug AS body_slug FROM meeting m "
			   "JOIN body b ON b.id = m.body_id WHERE m.id = ? AND m.deleted = 0", "i", id);
	if (!m || !auth_may_see(&req->user, json_string_value(json_object_get(m, "visibility")),
				json_integer_value(json_object_get(m, "body_id")))) {
		json_decref(m);
		return 404; /* what one may not see does not exist */
	}
	json_t *list = json_pack("[O]", m);
	decorate(list);
	json_decref(list);
	const char *fmt = json_string_value(json_object_get(m, "format"));
	json_object_set_new(m, "format_label", json_string(
		strcmp(fmt, "remote") == 0 ? "à distance" : strcmp(fmt, "hybrid") == 0 ? "hybride"
										  : "en présentiel"));
	json_t *actions = db_rows("SELECT a.text, a.owner, a.due, a.done, o.slug AS owner_slug "
				  "FROM action a LEFT JOIN organisation o ON o.id = a.owner_organisation_id "
				  "WHERE a.meeting_id = ? ORDER BY a.position", "i", id);
	size_t i;
	json_t *a;
	json_array_foreach(actions, i, a) {
		struct buf due = {0};
		text_date_fr(&due, json_string_value(json_object_get(a, "due")));
		if (due.len)
			json_object_set_new(a, "due_fr", json_string(buf_str(&due)));
		buf_free(&due);
	}
	json_t *attendance = db_rows("SELECT o.slug, o.name, t.presence = 'present' AS present, "
				     "t.presence = 'excused' AS excused FROM attendance t "
				     "JOIN organisation o ON o.id = t.organisation_id WHERE t.meeting_id = ? "
				     "ORDER BY o.name COLLATE NOCASE", "i", id);
	json_t *d = page_data(req, json_string_value(json_object_get(m, "title")));
	json_object_set_new(d, "meeting", m);
	json_object_set_new(d, "actions", actions ? actions : json_array());
	json_object_set_new(d, "attendance", attendance ? attendance : json_array());
	return page_render(req, resp, 200, "meeting", d);
}
