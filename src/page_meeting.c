/* page_meeting.c — the meetings of the network's bodies: the list, and one
 * meeting with its agenda, minutes, actions and attendance. Everything goes
 * through the visibility rule of auth.c. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "convert.h"
#include "db.h"
#include "diff.h"
#include "doc.h"
#include "file.h"
#include "html.h"
#include "interp.h"
#include "meeting.h"
#include "notify.h"
#include "page.h"
#include "rsvp.h"
#include "text.h"
#include "view.h"

#define MEETINGS_PER_PAGE 50
#define PRESENCE_UNKNOWN "non renseignée" /* an organisation whose presence is not noted */

/* Adds French dates and status labels to meeting rows. */
void page_meeting_decorate(json_t *rows)
{
	size_t i;
	json_t *row;
	view_dates_fr(rows, "start", "when");
	json_array_foreach(rows, i, row) {
		const char *label = vocab_label(&vocab_meeting_statuses,
						json_string_value(json_object_get(row, "status")));
		json_object_set_new(row, "status_label", json_string(label ? label : ""));
	}
}

/* Returns the meetings req's user may see (of one body when body_id is not
 * 0; the query's body, territory, year and « mes instances » filters apply
 * when filter is set), in the order of when, with French dates (new
 * reference; NULL on error). */
static json_t *meeting_rows(struct req *req, long long body_id, bool filter,
			    enum meeting_when when, int limit, int offset)
{
	struct meeting_filter f = {.body_id = body_id, .when = when};
	if (filter) {
		f.body = req_query(req, "body"), f.territory = req_query(req, "territory");
		f.year = req_query(req, "year");
		f.member_of = req_query(req, "mine") ? req->user.org_id : 0;
	}
	json_t *rows = meeting_list(&f, req->user.role, req->user.org_id, limit, offset);
	page_meeting_decorate(rows);
	return rows;
}

/* Returns the meetings of one body (0: all) that req's user may see. */
json_t *page_meeting_rows(struct req *req, long long body_id, int limit, int offset)
{
	return meeting_rows(req, body_id, false, MEETING_ANY, limit, offset);
}

#define UPCOMING_MAX 50 /* meetings « à venir » on the list's first page */

/* GET /meetings?page=N&body=&territory=&year=&mine=1 — the meetings one
 * may see: those to come, soonest first (first page), then the past ones,
 * latest first, 50 a page. */
int page_meetings(struct req *req, struct resp *resp)
{
	long page = page_number(req);
	json_t *past = meeting_rows(req, 0, true, MEETING_PAST, MEETINGS_PER_PAGE + 1,
				    (int)((page - 1) * MEETINGS_PER_PAGE));
	json_t *upcoming = page == 1 ? meeting_rows(req, 0, true, MEETING_UPCOMING, UPCOMING_MAX,
						    0) : json_array();
	if (!past || !upcoming) {
		json_decref(past);
		json_decref(upcoming);
		return 500;
	}
	bool more = page_trim(past, MEETINGS_PER_PAGE);
	json_t *d = page_data(req, "Réunions");
	json_object_set_new(d, "first_page", json_boolean(page == 1));
	json_object_set_new(d, "upcoming", upcoming);
	json_object_set_new(d, "meetings", past);
	json_object_set_new(d, "can_filter_mine", json_boolean(req->user.org_id != 0));
	json_object_set_new(d, "mine", json_boolean(req_query(req, "mine") && req->user.org_id));
	page_place_choices(req, d);
	json_object_set_new(d, "years", page_mark_selected(meeting_years(req->user.role,
		req->user.org_id), req_query(req, "year")));
	struct buf query = {0};
	static const char *const keys[] = {"body", "territory", "year", "mine"};
	page_query_string(req, keys, 4, NULL, &query);
	if (query.len)
		json_object_set_new(d, "query", json_string(buf_str(&query)));
	buf_free(&query);
	page_pager(d, page, more);
	return page_render(req, resp, 200, "meetings", d);
}

/* GET /meetings/:id — one meeting, or 404 when one may not see it. */
int page_meeting(struct req *req, struct resp *resp)
{
	long long id = atoll(req_param(req, "id"));
	json_t *m = db_row("SELECT m.id, m.title, m.start, m.end, m.place, m.video, m.format, "
			   "m.status, m.visibility, m.body_id, m.agenda_html, m.minutes_html, m.deleted, "
			   "m.invited IS NOT NULL AS invited, m.status = 'planned' AND m.deleted = 0 AS "
			   "can_invite, m.status IN ('held', 'minutes_draft') AND trim(m.minutes) <> '' "
			   "AND m.deleted = 0 AS can_approve, m.status = 'minutes_approved' AS approved, "
			   "m.approved_at, (SELECT u.name FROM user u WHERE u.id = m.approved_by) AS "
			   "approved_by, b.name AS body, b.slug AS body_slug FROM meeting m "
			   "JOIN body b ON b.id = m.body_id WHERE m.id = ? AND (m.deleted = 0 OR ?)", "ii",
			   id, (long long)(req->user.role >= ROLE_COORDINATOR));
	if (!m || !auth_may_see(&req->user, json_string_value(json_object_get(m, "visibility")),
				json_integer_value(json_object_get(m, "body_id")))) {
		json_decref(m);
		return 404; /* what one may not see does not exist */
	}
	json_t *list = json_pack("[O]", m);
	page_meeting_decorate(list);
	view_dates_fr(list, "approved_at", "approved_when");
	page_labels(list, "format", &vocab_meeting_formats, "format_label");
	json_decref(list);
	struct buf span = {0};
	text_span_fr(&span, db_str(m, "start"), db_str(m, "end"));
	json_object_set_new(m, "when", json_string(buf_str(&span)));
	buf_free(&span);
	json_t *actions = db_rows("SELECT a.id, a.text, a.owner, a.due, a.state, "
				  "a.owner_organisation_id, o.slug AS owner_slug FROM action a "
				  "LEFT JOIN organisation o ON o.id = a.owner_organisation_id "
				  "WHERE a.meeting_id = ? ORDER BY a.position", "i", id);
	page_action_rows(req, actions);
	/* the members at the meeting's date, and whoever came: each with a state */
	json_t *attendance = db_rows(
		"SELECT o.slug, o.name, coalesce((SELECT t.presence FROM attendance t WHERE "
		"t.meeting_id = ?1 AND t.organisation_id = o.id), 'unknown') AS presence FROM "
		"organisation o WHERE o.id IN (SELECT organisation_id FROM attendance WHERE "
		"meeting_id = ?1 UNION SELECT ms.organisation_id FROM membership ms WHERE "
		"ms.body_id = ?2 AND (ms.start_date IS NULL OR ms.start_date <= substr(?3, 1, 10)) "
		"AND (ms.end_date IS NULL OR ms.end_date >= substr(?3, 1, 10))) "
		"ORDER BY o.name COLLATE NOCASE", "iit", id, db_num(m, "body_id"), db_str(m, "start"));
	page_labels(attendance, "presence", &vocab_presences, "presence_label");
	size_t k;
	json_t *row;
	json_array_foreach(attendance, k, row)
		if (!json_object_get(row, "presence_label"))
			json_object_set_new(row, "presence_label", json_string(PRESENCE_UNKNOWN));
	json_t *d = page_data(req, json_string_value(json_object_get(m, "title")));
	const char *invited = req_query(req, "invited");
	if (invited && text_is_digits(invited) && strlen(invited) < 6)
		view_count(d, "invited_now", atoll(invited), "adresse", "adresses");
	json_object_set_new(d, "meeting", m);
	json_object_set_new(d, "actions", actions ? actions : json_array());
	json_object_set_new(d, "attendance", attendance ? attendance : json_array());
	page_files(req, d, "meeting", id);
	page_rsvp_choices(req, d, id);
	return page_render(req, resp, 200, "meeting", d);
}

/* Returns the bodies a meeting may belong to, for the form's select, with
 * the current one selected. */
static json_t *body_choices(long long current)
{
	json_t *rows = db_rows("SELECT id, name, id = ? AS selected FROM body "
			       "ORDER BY name COLLATE NOCASE", "i", current);
	return rows ? rows : json_array();
}



/* Renders the meeting form over fields (consumed), with its problems
 * ([{field, message}], consumed, may be NULL): each beside its field and
 * all in a summary at the top; extra (consumed, may be NULL) adds to the
 * page's data. */
static int meeting_form(struct req *req, struct resp *resp, int status, long long id,
			json_t *fields, json_t *problems, json_t *extra)
{
	const char *title = id ? "Modifier la réunion" : "Nouvelle réunion";
	json_t *d = page_data(req, title);
	json_object_set_new(d, "heading", json_string(title));
	json_object_set_new(d, "action", json_string(id ? arena_printf(&req->arena, "/meetings/%lld", id)
							: "/meetings"));
	if (id)
		json_object_set_new(d, "id", json_integer(id));
	if (id && db_int(0, "SELECT status = 'minutes_approved' FROM meeting WHERE id = ?", "i", id))
		json_object_set_new(d, "locked", json_true()); /* said before one edits */
	json_object_set_new(d, "bodies",
			    body_choices(json_integer_value(json_object_get(fields, "body_id"))));
	json_object_set_new(d, "formats", page_choices(&vocab_meeting_formats,
						       db_str(fields, "format")));
	json_object_set_new(d, "statuses", page_choices(&vocab_meeting_statuses,
							db_str(fields, "status")));
	json_object_set_new(d, "visibilities",
			    page_choices(&vocab_visibilities, db_str(fields, "visibility")));
	/* the moment is typed in the date and end time fields */
	static const char *const targets[][2] = {{"start", "date"}, {"end", "end_time"}, {NULL, NULL}};
	page_form_problems(d, problems, targets);
	long long body = json_integer_value(json_object_get(fields, "body_id"));
	json_t *att = db_rows("SELECT o.id, o.name, coalesce((SELECT t.presence FROM attendance t "
			      "WHERE t.meeting_id = ? AND t.organisation_id = o.id), '') AS presence "
			      "FROM membership ms JOIN organisation o ON o.id = ms.organisation_id "
			      "WHERE ms.body_id = ? ORDER BY o.name COLLATE NOCASE", "ii", id, body);
	size_t i;
	json_t *a;
	json_array_foreach(att, i, a) {
		char key[40];
		snprintf(key, sizeof(key), "att_%lld", json_integer_value(json_object_get(a, "id")));
		const char *posted = req_form(req, key);
		const char *p = posted ? posted : json_string_value(json_object_get(a, "presence"));
		json_t *choices = page_choices(&vocab_presences, p);
		json_array_insert_new(choices, 0, json_pack("{s:s, s:s, s:b}", "value", "", "label",
							    PRESENCE_UNKNOWN, "selected", !p || !*p));
		json_object_set_new(a, "choices", choices);
	}
	json_object_set_new(d, "attendance", att ? att : json_array());
	json_object_set_new(d, "m", fields);
	if (extra)
		json_object_update(d, extra);
	json_decref(extra);
	page_editor_help(d);
	return page_render(req, resp, status, "meeting_form", d);
}

/* GET /meetings/new?body=SLUG — the form of a new meeting. */
int page_meeting_new(struct req *req, struct resp *resp)
{
	const char *slug = req_query(req, "body");
	long long body = slug ? db_int(0, "SELECT id FROM body WHERE slug = ?", "t", slug) : 0;
	/* every field present, so that no template name falls through to the
	 * page's own (its title, say) */
	json_t *fields = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}",
				   "body_id", (json_int_t)body, "title", "", "date", "", "start_time", "",
				   "end_time", "", "place", "", "video", "", "format", "on_site",
				   "status", "planned", "visibility", "members", "agenda", "",
				   "minutes", "");
	return meeting_form(req, resp, 200, 0, fields, NULL, NULL);
}

/* Reads the form's fields into m (strings in the request's arena) and into a
 * JSON object to show them again. */
static json_t *read_form(struct req *req, struct meeting_in *m)
{
	const char *date = req_form(req, "date"), *t0 = req_form(req, "start_time");
	const char *t1 = req_form(req, "end_time"), *body = req_form(req, "body_id");
	m->body_id = body && text_is_digits(body) ? atoll(body) : 0;
	m->title = req_form(req, "title");
	m->start = t0 && *t0 ? arena_printf(&req->arena, "%sT%s", date ? date : "", t0) : date;
	m->end = t1 && *t1 ? arena_printf(&req->arena, "%sT%s", date ? date : "", t1) : NULL;
	m->place = req_form(req, "place");
	m->video = req_form(req, "video");
	m->format = req_form(req, "format");
	m->status = req_form(req, "status");
	m->visibility = req_form(req, "visibility");
	m->agenda = req_form(req, "agenda");
	m->minutes = req_form(req, "minutes");
	return json_pack("{s:I, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?}",
			 "body_id", (json_int_t)m->body_id, "title", m->title, "date", date,
			 "start_time", t0, "end_time", t1, "place", m->place, "video", m->video,
			 "format", m->format, "status", m->status, "visibility", m->visibility,
			 "agenda", m->agenda, "minutes", m->minutes);
}

/* Stores the attendance fields (att_ORGANISATION = present | excused |
 * absent | empty) of the form; 0 or -1. */
static int save_attendance(struct req *req, long long meeting)
{
	static const char *const summary =
		"SELECT coalesce(group_concat(o.slug || ':' || t.presence, ' '), '') AS s FROM "
		"(SELECT * FROM attendance WHERE meeting_id = ? ORDER BY organisation_id) t "
		"JOIN organisation o ON o.id = t.organisation_id";
	json_t *before = db_row(summary, "i", meeting), *after = NULL;
	int rc = 0;
	for (size_t i = 0; i < req->form.n && rc == 0; i++) {
		const char *k = req->form.items[i].key, *v = req->form.items[i].val;
		if (strncmp(k, "att_", 4) != 0 || !text_is_digits(k + 4))
			continue;
		long long org = atoll(k + 4);
		if (db_exec("DELETE FROM attendance WHERE meeting_id = ? AND organisation_id = ? AND "
			    "person_id IS NULL", "ii", meeting, org) < 0 ||
		    ((strcmp(v, "present") == 0 || strcmp(v, "excused") == 0 ||
		      strcmp(v, "absent") == 0) &&
		     db_exec("INSERT INTO attendance (meeting_id, organisation_id, presence) SELECT ?, "
			     "id, ? FROM organisation WHERE id = ?", "iti", meeting, v, org) < 0))
			rc = -1;
	}
	if (rc == 0) {
		after = db_row(summary, "i", meeting);
		const char *b = json_string_value(json_object_get(before, "s"));
		const char *a = json_string_value(json_object_get(after, "s"));
		if (a && b && strcmp(a, b) != 0)
			rc = db_audit(req->user.id, "attendance", "meeting", meeting, b, a) < 0 ? -1 : 0;
	}
	json_decref(before);
	json_decref(after);
	return rc;
}

/* Checks and saves the form for meeting id (0: new); redirects to it, or
 * shows the form again with the user's input and a French message. */
static int save_form(struct req *req, struct resp *resp, long long id)
{
	struct meeting_in m = {0};
	json_t *fields = read_form(req, &m);
	json_t *problems = meeting_problems(&m);
	if (!db_int(0, "SELECT 1 FROM body WHERE id = ?", "i", m.body_id))
		json_array_insert_new(problems, 0, json_pack("{s:s, s:s}", "field", "body_id",
							     "message", "Choisissez l'instance de "
							     "la réunion."));
	if (id && m.status) {
		json_t *was = db_row("SELECT status, minutes FROM meeting WHERE id = ?", "i", id);
		bool locked = strcmp(json_string_value(json_object_get(was, "status")),
				     "minutes_approved") == 0 &&
			      strcmp(m.status, "minutes_approved") == 0 &&
			      strcmp(json_string_value(json_object_get(was, "minutes")),
				     m.minutes ? m.minutes : "") != 0;
		json_decref(was);
		if (locked)
			json_array_append_new(problems, json_pack(
				"{s:s, s:s}", "field", "minutes", "message",
				"Le procès-verbal approuvé est verrouillé : repassez la réunion à "
				"l'état « procès-verbal en projet » pour le modifier."));
	}
	if (json_array_size(problems))
		return meeting_form(req, resp, 422, id, fields, problems, NULL);
	json_decref(problems);
	json_decref(fields);
	if (db_begin() < 0)
		return 503;
	long long saved = meeting_save(id, &m, req->user.id);
	if (saved < 0 || save_attendance(req, saved) < 0 || db_commit() < 0) {
		db_rollback();
		return 500;
	}
	return resp_redirect(req, resp, 303, arena_printf(&req->arena, "/meetings/%lld", saved));
}

/* POST /meetings (body_id, title, date, start_time, end_time, place, video,
 * format, status, visibility, agenda, minutes, _csrf) — creates a meeting. */
int page_meeting_create(struct req *req, struct resp *resp)
{
	return save_form(req, resp, 0);
}

/* Returns the id of an existing meeting of the request's :id, or 0. */
static long long meeting_id(struct req *req)
{
	return db_int(0, "SELECT id FROM meeting WHERE id = ? AND deleted = 0", "i",
		      atoll(req_param(req, "id")));
}

/* POST /meetings/:id (the fields of page_meeting_create) — updates it. */
int page_meeting_update(struct req *req, struct resp *resp)
{
	long long id = meeting_id(req);
	return id ? save_form(req, resp, id) : 404;
}

/* Returns the edit form's fields of the request's meeting as stored, or
 * NULL when there is no such meeting (new reference). */
static json_t *stored_fields(struct req *req, long long *id)
{
	*id = meeting_id(req);
	return *id ? db_row("SELECT body_id, title, substr(start, 1, 10) AS date, "
			    "substr(start, 12, 5) AS start_time, substr(end, 12, 5) AS end_time, "
			    "place, video, format, status, visibility, agenda, minutes "
			    "FROM meeting WHERE id = ?", "i", *id) : NULL;
}

/* GET /meetings/:id/edit — the form of an existing meeting. */
int page_meeting_edit(struct req *req, struct resp *resp)
{
	long long id;
	json_t *m = stored_fields(req, &id);
	if (!m)
		return 404;
	return meeting_form(req, resp, 200, id, m, NULL, NULL);
}

/* Converts the Word or LibreOffice document of the request (field
 * "document") into Markdown in md and attaches the original to meeting id;
 * returns NULL, or a French reason to show beside the field. */
static const char *import_document(struct req *req, long long id, struct buf *md,
				   struct buf *name)
{
	struct upload *u = req_file(req, "document");
	struct buf mime = {0}, why = {0};
	const char *problem = NULL;
	if (!u)
		return "Choisissez un document .docx ou .odt.";
	file_clean_name(u->name, name);
	const struct file_type *t = file_check(u->path, name, &mime, &why);
	if (!t)
		problem = arena_strdup(&req->arena, buf_str(&why));
	else if (strcmp(t->ext, "docx") != 0 && strcmp(t->ext, "odt") != 0)
		problem = arena_printf(&req->arena, "« %s » n'est ni un document Word (.docx) ni un "
				       "document LibreOffice (.odt).", buf_str(name));
	int rc = problem ? 0 : convert_document_to_markdown(u->path, t->ext, md);
	if (rc == 1)
		problem = "pandoc n'est pas installé sur le serveur : le document ne peut pas être "
			  "converti. Prévenez l'administrateur.";
	else if (rc < 0)
		problem = arena_printf(&req->arena, "« %s » n'a pas pu être lu : le document est-il "
				       "abîmé ?", buf_str(name));
	else if (!problem && file_attach(u, buf_str(name), buf_str(&mime), "meeting", id,
					 req->user.id, 0) < 0)
		problem = "Le document n'a pas pu être joint à la réunion : réessayez.";
	buf_free(&mime);
	buf_free(&why);
	return problem;
}

/* POST /meetings/:id/minutes-document (document, _csrf) — fills the edit
 * form's minutes from a Word or LibreOffice document (converted by pandoc,
 * the original attached to the meeting), to read again and save. */
int page_meeting_minutes_document(struct req *req, struct resp *resp)
{
	long long id;
	json_t *m = stored_fields(req, &id);
	if (!m)
		return 404;
	struct buf md = {0}, name = {0};
	const char *problem = strcmp(db_str(m, "status"), "minutes_approved") == 0
		? "Le procès-verbal approuvé est verrouillé : remettez-le d'abord en projet."
		: import_document(req, id, &md, &name);
	if (!problem)
		json_object_set_new(m, "minutes", json_string(buf_str(&md)));
	json_t *said = json_pack("{s:s}", problem ? "import_error" : "imported_from",
				 problem ? problem : buf_str(&name));
	buf_free(&md);
	buf_free(&name);
	return meeting_form(req, resp, problem ? 422 : 200, id, m, NULL, said);
}

/* GET /meetings/:id/history — every saved version of the agenda and the
 * minutes, newest first, for whoever may read the meeting. */
int page_meeting_history(struct req *req, struct resp *resp)
{
	long long id = atoll(req_param(req, "id"));
	json_t *m = db_row("SELECT id, title, visibility, body_id FROM meeting WHERE id = ? AND "
			   "deleted = 0", "i", id);
	if (!m || !auth_may_see(&req->user, json_string_value(json_object_get(m, "visibility")),
				json_integer_value(json_object_get(m, "body_id")))) {
		json_decref(m);
		return 404;
	}
	json_t *revs = db_rows("SELECT r.id, r.field = 'minutes' AS is_minutes, r.created, r.text, "
			       "coalesce(u.name, 'import de fichiers') AS author, (SELECT max(p.id) "
			       "FROM revision p WHERE p.meeting_id = r.meeting_id AND p.field = r.field "
			       "AND p.id < r.id) AS previous FROM revision r "
			       "LEFT JOIN user u ON u.id = r.user_id WHERE r.meeting_id = ? "
			       "ORDER BY r.id DESC", "i", id);
	view_dates_fr(revs, "created", "when");
	json_t *approvals = db_rows("SELECT a.action = 'approve' AS approved, a.after AS reason, "
				    "a.created, coalesce(u.name, 'import de fichiers') AS author "
				    "FROM audit a LEFT JOIN user u ON u.id = a.user_id WHERE "
				    "a.object = 'meeting' AND a.object_id = ? AND a.action IN "
				    "('approve', 'reopen') ORDER BY a.id DESC", "i", id);
	view_dates_fr(approvals, "created", "when");
	json_t *d = page_data(req, "Historique");
	json_object_set_new(d, "meeting", m);
	json_object_set_new(d, "revisions", revs ? revs : json_array());
	json_object_set_new(d, "has_approvals", json_boolean(json_array_size(approvals) > 0));
	json_object_set_new(d, "approvals", approvals ? approvals : json_array());
	return page_render(req, resp, 200, "meeting_history", d);
}

/* Loads revision rev of meeting id when req's user may read the meeting. */
static json_t *readable_revision(struct req *req, long long id, const char *rev)
{
	if (!rev || !text_is_digits(rev))
		return NULL;
	json_t *r = db_row("SELECT r.id, r.field, r.text, r.created, m.visibility, m.body_id, "
			   "m.title FROM revision r JOIN meeting m ON m.id = r.meeting_id "
			   "WHERE r.id = ? AND r.meeting_id = ? AND m.deleted = 0", "ii", atoll(rev), id);
	if (r && !auth_may_see(&req->user, json_string_value(json_object_get(r, "visibility")),
			       json_integer_value(json_object_get(r, "body_id")))) {
		json_decref(r);
		return NULL;
	}
	return r;
}

/* GET /meetings/:id/diff?from=REV&to=REV — what changed between two
 * revisions of the same text, line by line. */
int page_meeting_diff(struct req *req, struct resp *resp)
{
	long long id = atoll(req_param(req, "id"));
	json_t *from = readable_revision(req, id, req_query(req, "from"));
	json_t *to = readable_revision(req, id, req_query(req, "to"));
	int status = 200;
	if (!from || !to) {
		status = 404;
	} else if (strcmp(json_string_value(json_object_get(from, "field")),
			  json_string_value(json_object_get(to, "field"))) != 0) {
		status = page_error(req, resp, 400, "Ces deux versions ne sont pas du même texte.");
	} else {
		json_t *lines = diff_lines(json_string_value(json_object_get(from, "text")),
					   json_string_value(json_object_get(to, "text")));
		json_t *d = page_data(req, "Comparaison");
		json_t *both = json_pack("[O, O]", from, to);
		view_dates_fr(both, "created", "created_fr");
		json_decref(both);
		json_object_set_new(d, "id", json_integer(id));
		json_object_set(d, "from", from);
		json_object_set(d, "to", to);
		json_object_set_new(d, "title", json_incref(json_object_get(to, "title")));
		if (lines)
			json_object_set_new(d, "lines", lines);
		else
			json_object_set_new(d, "too_long", json_true());
		status = page_render(req, resp, 200, "meeting_diff", d);
	}
	json_decref(from);
	json_decref(to);
	return status;
}

/* The columns stored() reads. */
#define STORED_SQL "SELECT body_id, slug, title, start, end, place, video, format, status, " \
		   "visibility, agenda, minutes FROM meeting WHERE id = ?"

/* Returns the meeting as stored, for meeting_save (strings borrowed from
 * row, a row of STORED_SQL). */
static struct meeting_in stored(const json_t *row)
{
	return (struct meeting_in){
		.body_id = db_num(row, "body_id"), .slug = db_str(row, "slug"),
		.title = db_str(row, "title"), .start = db_str(row, "start"),
		.end = db_str(row, "end"), .place = db_str(row, "place"),
		.video = db_str(row, "video"), .format = db_str(row, "format"),
		.status = db_str(row, "status"), .visibility = db_str(row, "visibility"),
		.agenda = db_str(row, "agenda"), .minutes = db_str(row, "minutes")};
}

/* POST /meetings/:id/restore (revision, _csrf) — makes an old version the
 * current text again, as a new revision (nothing is lost). */
int page_meeting_restore(struct req *req, struct resp *resp)
{
	long long id = meeting_id(req);
	json_t *rev = id ? readable_revision(req, id, req_form(req, "revision")) : NULL;
	json_t *m = rev ? db_row(STORED_SQL, "i", id) : NULL;
	if (!m) {
		json_decref(rev);
		return 404;
	}
	bool minutes = strcmp(json_string_value(json_object_get(rev, "field")), "minutes") == 0;
	const char *text = json_string_value(json_object_get(rev, "text"));
	struct meeting_in in = stored(m);
	if (minutes)
		in.minutes = text;
	else
		in.agenda = text;
	int status;
	if (minutes && strcmp(in.status, "minutes_approved") == 0)
		status = page_error(req, resp, 409, "Le procès-verbal approuvé est verrouillé : "
				    "repassez la réunion en projet avant de restaurer une version.");
	else if (meeting_save(id, &in, req->user.id) < 0)
		status = 500;
	else
		status = resp_redirect(req, resp, 303, arena_printf(&req->arena,
								    "/meetings/%lld/history", id));
	json_decref(m);
	json_decref(rev);
	return status;
}

/* GET /meetings/:id/prepare — what a coordinator needs before the meeting:
 * the body's last minutes, its open actions (overdue first, carried over
 * from earlier meetings), its members and who came last time. */
int page_meeting_prepare(struct req *req, struct resp *resp)
{
	long long id = meeting_id(req);
	json_t *m = id ? db_row("SELECT m.id, m.title, m.start, m.body_id, b.name AS body, "
				"b.slug AS body_slug, coalesce(b.territory_id, (SELECT c.territory_id "
				"FROM commune c WHERE c.nis = b.commune_nis), 0) AS territory_id "
				"FROM meeting m JOIN body b ON b.id = m.body_id WHERE m.id = ?", "i", id)
			: NULL;
	if (!m)
		return 404;
	long long body = json_integer_value(json_object_get(m, "body_id"));
	const char *start = json_string_value(json_object_get(m, "start"));
	json_t *last = db_row("SELECT id, title, start, minutes_html FROM meeting WHERE body_id = ? "
			      "AND deleted = 0 AND id <> ? AND start < ? AND minutes <> '' "
			      "ORDER BY start DESC LIMIT 1", "iit", body, id, start);
	json_t *actions = db_rows("SELECT a.id, a.text, a.owner, a.due, a.state, "
				  "a.owner_organisation_id, a.due < date('now') AS overdue, "
				  "m.id AS meeting_id, m.title AS meeting FROM action a "
				  "JOIN meeting m ON m.id = a.meeting_id WHERE m.body_id = ? AND "
				  "m.deleted = 0 AND a.state = 'open' AND m.start < ? "
				  "ORDER BY a.due IS NULL, a.due, a.id", "it", body, start);
	json_t *members = db_rows(
		"SELECT o.slug, o.name, (SELECT t.presence FROM attendance t WHERE t.meeting_id = ? "
		"AND t.organisation_id = o.id) = 'present' AS came FROM membership ms "
		"JOIN organisation o ON o.id = ms.organisation_id WHERE ms.body_id = ? AND "
		"(ms.end_date IS NULL OR ms.end_date >= date('now')) ORDER BY o.name COLLATE NOCASE",
		"ii", json_integer_value(json_object_get(last, "id")), body);
	json_t *list = json_pack("[O]", m);
	page_meeting_decorate(list);
	json_decref(list);
	if (last) {
		json_t *l = json_pack("[O]", last);
		page_meeting_decorate(l);
		json_decref(l);
	}
	page_action_rows(req, actions);
	json_t *d = page_data(req, "Préparer la réunion");
	json_t *answers = rsvp_summary(id);
	json_object_set_new(answers, "any", json_boolean(
		json_array_size(json_object_get(answers, "organisations")) > 0));
	json_object_set_new(d, "answers", answers);
	json_t *poll = db_row("SELECT p.id, p.title, (SELECT count(*) FROM poll_voter v WHERE "
			      "v.poll_id = p.id) AS voters, (SELECT count(*) FROM poll_voter v WHERE "
			      "v.poll_id = p.id AND v.answered IS NOT NULL) AS answered FROM poll p "
			      "WHERE p.meeting_id = ?", "i", id);
	if (poll) {
		page_poll_rate(poll);
		json_object_set_new(d, "poll", poll);
	}
	json_object_set_new(d, "meeting", m);
	if (last)
		json_object_set_new(d, "last", last);
	json_object_set_new(d, "actions", actions ? actions : json_array());
	json_object_set_new(d, "members", members ? members : json_array());
	json_object_set_new(d, "followups", interp_followups(
		json_integer_value(json_object_get(m, "territory_id")), body));
	return page_render(req, resp, 200, "meeting_prepare", d);
}

/* Sets the deleted flag of the request's meeting and audits it; redirects to
 * where one goes next. */
static int set_deleted(struct req *req, struct resp *resp, bool deleted)
{
	long long id = atoll(req_param(req, "id"));
	json_t *m = db_row("SELECT b.slug FROM meeting m JOIN body b ON b.id = m.body_id "
			   "WHERE m.id = ? AND m.deleted = ?", "ii", id, (long long)!deleted);
	if (!m)
		return 404;
	/* after a deletion, the meeting's page offers to undo it */
	const char *to = arena_printf(&req->arena, "/meetings/%lld", id);
	json_decref(m);
	if (db_begin() < 0)
		return 503;
	if (db_exec("UPDATE meeting SET deleted = ?, modified = " DB_NOW
		    " WHERE id = ?", "ii", (long long)deleted, id) != 1 ||
	    db_audit(req->user.id, deleted ? "delete" : "undelete", "meeting", id, NULL, NULL) < 0 ||
	    db_commit() < 0) {
		db_rollback();
		return 500;
	}
	return resp_redirect(req, resp, 303, to);
}

/* GET /meetings/:id/delete — asks whether to delete the meeting (a page
 * of its own, so that it works without JavaScript). */
int page_meeting_delete_confirm(struct req *req, struct resp *resp)
{
	long long id = atoll(req_param(req, "id"));
	json_t *m = db_row("SELECT m.title, m.start, b.name AS body FROM meeting m JOIN body b ON "
			   "b.id = m.body_id WHERE m.id = ? AND m.deleted = 0", "i", id);
	if (!m)
		return 404;
	struct buf when = {0};
	text_date_fr(&when, db_str(m, "start"));
	json_t *d = page_data(req, "Supprimer la réunion");
	json_object_set_new(d, "question", json_string(arena_printf(
		&req->arena, "Supprimer la réunion « %s » ?", db_str(m, "title"))));
	json_object_set_new(d, "explanation", json_string(arena_printf(
		&req->arena, "La réunion du %s (%s) disparaîtra des listes, des agendas et de la "
		"recherche. Seule la coordination pourra encore l'ouvrir et annuler la suppression.",
		buf_str(&when), db_str(m, "body"))));
	json_object_set_new(d, "action", json_string(arena_printf(&req->arena,
						     "/meetings/%lld/delete", id)));
	json_object_set_new(d, "back", json_string(arena_printf(&req->arena, "/meetings/%lld", id)));
	json_object_set_new(d, "back_label", json_string(db_str(m, "title")));
	buf_free(&when);
	json_decref(m);
	return page_render(req, resp, 200, "confirm_delete", d);
}

/* POST /meetings/:id/delete (_csrf) — hides a meeting (soft delete). */
int page_meeting_delete(struct req *req, struct resp *resp)
{
	return set_deleted(req, resp, true);
}

/* POST /meetings/:id/undelete (_csrf) — brings a deleted meeting back. */
int page_meeting_undelete(struct req *req, struct resp *resp)
{
	return set_deleted(req, resp, false);
}

/* Hides, in rows that name a meeting (meeting_id, meeting: its title, and
 * the meeting_visibility, meeting_body and meeting_deleted columns of
 * PAGE_LINKED_MEETING), each meeting req's reader may not open: its title
 * and link go, « meeting_hidden » says a reserved meeting is linked. */
void page_linked_meetings(struct req *req, json_t *rows)
{
	size_t i;
	json_t *r;
	json_array_foreach(rows, i, r) {
		if (!json_integer_value(json_object_get(r, "meeting_id")))
			continue;
		bool seen = !db_num(r, "meeting_deleted") &&
			    auth_may_see(&req->user, db_str(r, "meeting_visibility"),
					 db_num(r, "meeting_body"));
		if (!seen) {
			json_object_del(r, "meeting_id");
			json_object_del(r, "meeting");
			json_object_set_new(r, "meeting_hidden", json_true());
		}
		json_object_del(r, "meeting_visibility");
		json_object_del(r, "meeting_body");
		json_object_del(r, "meeting_deleted");
	}
}

/* POST /meetings/:id/invite (_csrf) — mails the invitation of a planned
 * meeting to every contact of its body's member organisations. */
int page_meeting_invite(struct req *req, struct resp *resp)
{
	long long id = meeting_id(req);
	json_t *m = id ? db_row("SELECT status FROM meeting WHERE id = ? AND deleted = 0", "i", id)
		       : NULL;
	const char *status = json_string_value(json_object_get(m, "status"));
	bool planned = status && strcmp(status, "planned") == 0;
	json_decref(m);
	if (!m)
		return 404;
	if (!planned)
		return page_error(req, resp, 409, "Seule une réunion prévue peut être annoncée.");
	int n = notify_invite(id, req->user.id);
	if (n < 0)
		return 500;
	return resp_redirect(req, resp, 303, arena_printf(&req->arena, "/meetings/%lld?invited=%d",
							  id, n));
}

/* Saves the request's meeting with a new status; when reason is given it
 * is audited beside the change (« reopen »). 303 to the meeting, or an
 * error status. */
static int change_status(struct req *req, struct resp *resp, long long id, const char *status,
			 const char *reason)
{
	json_t *m = db_row(STORED_SQL, "i", id);
	if (!m)
		return 404;
	struct meeting_in in = stored(m);
	in.status = status;
	int rc = db_begin() < 0 ? 503 : 0;
	if (rc == 0 && (meeting_save(id, &in, req->user.id) < 0 ||
			(reason && db_audit(req->user.id, "reopen", "meeting", id, NULL, reason) < 0) ||
			db_commit() < 0)) {
		db_rollback();
		rc = 500;
	}
	json_decref(m);
	return rc ? rc : resp_redirect(req, resp, 303, arena_printf(&req->arena, "/meetings/%lld",
								    id));
}

/* POST /meetings/:id/approve (_csrf) — approves the minutes of a meeting
 * held or in draft: records who and when, locks them, tells the network. */
int page_meeting_approve(struct req *req, struct resp *resp)
{
	long long id = meeting_id(req);
	if (!id)
		return 404;
	if (!db_int(0, "SELECT 1 FROM meeting WHERE id = ? AND status IN ('held', 'minutes_draft') "
		    "AND trim(minutes) <> ''", "i", id))
		return page_error(req, resp, 409, "Seul un procès-verbal rédigé, d'une réunion tenue "
				  "et pas encore approuvé, peut être approuvé.");
	return change_status(req, resp, id, "minutes_approved", NULL);
}

#define REASON_MAX 1000 /* bytes of the reason to reopen minutes */

/* POST /meetings/:id/reopen (reason, _csrf) — puts approved minutes back
 * in draft, for a reason kept in the history. */
int page_meeting_reopen(struct req *req, struct resp *resp)
{
	long long id = meeting_id(req);
	if (!id)
		return 404;
	const char *reason = req_form(req, "reason");
	size_t n = reason ? strlen(reason) : 0;
	while (n && (reason[n - 1] == ' ' || reason[n - 1] == '\n' || reason[n - 1] == '\r'))
		n--;
	if (n == 0 || n > REASON_MAX)
		return page_error(req, resp, 422, "Dites en quelques mots pourquoi le procès-verbal "
				  "repasse en projet (1 000 caractères au plus) : la raison reste dans "
				  "l'historique.");
	if (!db_int(0, "SELECT 1 FROM meeting WHERE id = ? AND status = 'minutes_approved'", "i", id))
		return page_error(req, resp, 409, "Ce procès-verbal n'est pas approuvé.");
	return change_status(req, resp, id, "minutes_draft", arena_printf(&req->arena, "%.*s",
									  (int)n, reason));
}
