/* page_motion.c — motions followed commune by commune: the list, one
 * motion with its map and its table of the province's communes, and the
 * timeline of one commune where coordinators add the next step. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "check.h"
#include "db.h"
#include "interp.h"
#include "meeting.h"
#include "page.h"
#include "svg.h"
#include "text.h"
#include "view.h"

/* The map's fill for each state, in the order of vocab_motion_states. */

/* Returns the position of state in vocab_motion_states (0 when unknown). */
static size_t state_index(const char *state)
{
	int i = vocab_index(&vocab_motion_states, state);
	return i < 0 ? 0 : (size_t)i;
}

/* Returns the motion of the request's :slug if the reader may see it, or NULL. */
static json_t *visible_motion(struct req *req)
{
	json_t *m = db_row("SELECT id, slug, title, text_html, visibility, coalesce(body_id, 0) AS "
			   "body_id, deleted FROM motion WHERE slug = ? AND (deleted = 0 OR ?)", "ti",
			   req_param(req, "slug"), (long long)(req->user.role >= ROLE_COORDINATOR));
	if (m && !auth_may_see(&req->user, json_string_value(json_object_get(m, "visibility")),
			       json_integer_value(json_object_get(m, "body_id")))) {
		json_decref(m);
		return NULL;
	}
	return m;
}

/* Returns today's date (UTC) as the database spells it. */
static const char *today(struct req *req)
{
	json_t *r = db_row("SELECT date('now') AS d", NULL);
	const char *d = arena_strdup(&req->arena, json_string_value(json_object_get(r, "d")));
	json_decref(r);
	return d;
}

/* Returns the state of motion_id in every commune of the province (or in
 * commune nis only, when not 0), rows {nis, name, territory, state,
 * state_label, next_step, next_followup, last, last_fr, stale} by name. */
static json_t *commune_states(struct req *req, long long motion_id, long long nis)
{
	json_t *rows = db_rows(
		"SELECT c.nis, c.name, t.name AS territory, coalesce(mc.state, 'not_started') AS state, "
		"coalesce(mc.next_step, '') AS next_step, coalesce(mc.next_followup, '') AS "
		"next_followup, (SELECT max(e.date) FROM event e WHERE e.motion_commune_id = mc.id) AS "
		"last FROM commune c LEFT JOIN territory t ON t.id = c.territory_id LEFT JOIN "
		"motion_commune mc ON mc.commune_nis = c.nis AND mc.motion_id = ? WHERE (? = 0 OR "
		"c.nis = ?2) ORDER BY c.name", "ii", motion_id, nis), *r;
	const char *now = today(req);
	size_t i;
	view_dates_fr(rows, "last", "last_fr");
	view_dates_fr(rows, "next_followup", "next_followup_fr");
	json_array_foreach(rows, i, r) {
		const char *state = json_string_value(json_object_get(r, "state"));
		const char *last = json_string_value(json_object_get(r, "last"));
		json_object_set_new(r, "state_label",
			json_string(vocab_motion_states.items[state_index(state)].label));
		json_object_set_new(r, "stale", json_boolean(interp_is_stale(state, last, now)));
		json_object_set_new(r, "started", json_boolean(strcmp(state, "not_started") != 0));
	}
	return rows ? rows : json_array();
}

/* Returns the map's legend: a swatch and a label for each state, then the
 * mark of a commune where nothing happened for six months. */
static json_t *state_legend(void)
{
	json_t *out = json_array();
	for (size_t i = 0; i <= vocab_motion_states.n; i++) {
		struct buf swatch = {0};
		bool mark = i == vocab_motion_states.n;
		svg_swatch(&swatch, mark ? 0 : svg_motion_shade(vocab_motion_states.items[i].value), mark);
		json_array_append_new(out, json_pack(
			"{s:s, s:s}", "swatch", buf_str(&swatch), "label",
			mark ? "hachures et astérisque (*) : rien depuis six mois"
			     : vocab_motion_states.items[i].label));
		buf_free(&swatch);
	}
	return out;
}

/* Returns the map of a motion's states (rows of commune_states), as SVG. */
static json_t *state_map(json_t *rows, const char *slug, const char *title)
{
	size_t n = json_array_size(rows), i;
	struct svg_tile *tiles = calloc(n ? n : 1, sizeof(*tiles));
	char (*values)[64] = calloc(n ? n : 1, sizeof(*values));
	char (*hrefs)[160] = calloc(n ? n : 1, sizeof(*hrefs));
	if (!tiles || !values || !hrefs)
		abort();
	json_t *r;
	json_array_foreach(rows, i, r) {
		const char *state = json_string_value(json_object_get(r, "state"));
		bool stale = json_is_true(json_object_get(r, "stale"));
		long long nis = json_integer_value(json_object_get(r, "nis"));
		snprintf(values[i], sizeof(values[i]), "%s%s",
			vocab_motion_states.items[state_index(state)].label,
			 stale ? " *" : "");
		snprintf(hrefs[i], sizeof(hrefs[i]), "/motions/%s/communes/%lld", slug, nis);
		tiles[i] = (struct svg_tile){nis, json_string_value(json_object_get(r, "name")),
					     values[i], hrefs[i], svg_motion_shade(state), stale};
	}
	struct buf svg = {0}, name = {0};
	buf_printf(&name, "État de la %s dans chaque commune", title);
	svg_commune_map(&svg, tiles, n, buf_str(&name));
	json_t *s = json_string(buf_str(&svg));
	buf_free(&svg);
	buf_free(&name);
	free(tiles);
	free(values);
	free(hrefs);
	return s;
}

/* GET /motions — the motions one may read, with how far they went. */
int page_motions(struct req *req, struct resp *resp)
{
	json_t *rows = db_rows(
		"SELECT mo.slug, mo.title, (SELECT count(*) FROM motion_commune mc WHERE mc.motion_id = "
		"mo.id AND mc.state IN ('adopted_college', 'adopted_council', 'implementation')) AS "
		"adopted, (SELECT count(*) FROM motion_commune mc WHERE mc.motion_id = mo.id AND "
		"mc.state NOT IN ('not_started', 'adopted_college', 'adopted_council', "
		"'implementation', 'rejected')) AS under_way FROM motion mo WHERE mo.deleted = 0 AND "
		AUTH_SEES_SQL("mo.visibility", "mo.body_id") " ORDER BY mo.title", "ii",
		(long long)req->user.role, req->user.org_id);
	if (!rows)
		return 500;
	size_t i;
	json_t *r;
	json_array_foreach(rows, i, r)
		view_count(r, "adopted_label", db_num(r, "adopted"), "commune", "communes");
	json_t *d = page_data(req, "Motions");
	json_object_set_new(d, "motions", rows);
	return page_render(req, resp, 200, "motions", d);
}

/* GET /motions/:slug — a motion: its text, promoters, the map and the
 * table of every commune with its state, last activity and next step. */
int page_motion(struct req *req, struct resp *resp)
{
	json_t *m = visible_motion(req);
	if (!m)
		return 404;
	long long id = json_integer_value(json_object_get(m, "id"));
	const char *title = json_string_value(json_object_get(m, "title"));
	json_t *rows = commune_states(req, id, 0);
	json_t *d = page_data(req, title);
	json_object_set_new(d, "legend", state_legend());
	json_object_set_new(d, "map_svg", state_map(rows, json_string_value(json_object_get(m, "slug")),
						    title));
	json_t *counts = json_array();
	for (size_t s = 0; s < vocab_motion_states.n; s++) {
		size_t i, n = 0;
		json_t *r;
		json_array_foreach(rows, i, r)
			n += strcmp(json_string_value(json_object_get(r, "state")),
				vocab_motion_states.items[s].value) == 0;
		if (n)
			json_array_append_new(counts, json_pack("{s:s, s:I}", "label",
				vocab_motion_states.items[s].label,
								"count", (json_int_t)n));
	}
	json_object_set_new(d, "counts", counts);
	json_object_set_new(d, "concerned", json_integer(db_int(0, "SELECT count(*) FROM "
		"motion_commune WHERE motion_id = ?", "i", id)));
	json_object_set_new(d, "communes", rows);
	json_object_set_new(d, "promoters", db_rows(
		"SELECT o.slug, o.name FROM motion_promoter p JOIN organisation o ON o.id = "
		"p.organisation_id WHERE p.motion_id = ? ORDER BY o.name COLLATE NOCASE", "i", id));
	json_object_set_new(d, "motion", m);
	page_files(req, d, "motion", id);
	return page_render(req, resp, 200, "motion", d);
}

/* Adds to a step of the timeline (an event row) its documents and, for
 * the coordination, what attaching more needs. */
static void step_files(struct req *req, json_t *e)
{
	page_files(req, e, "event", db_num(e, "id"));
	json_object_set_new(e, "show_files", json_boolean(req->user.role >= ROLE_COORDINATOR ||
		json_array_size(json_object_get(e, "files"))));
}

/* Renders a motion's timeline in one commune; event (consumed, may be
 * NULL) and problems ([{field, message}], consumed, may be NULL) are the
 * form's input and mistakes, shown again. */
static int commune_page(struct req *req, struct resp *resp, int status, json_t *event,
			json_t *problems)
{
	json_t *m = visible_motion(req);
	long long nis = atoll(req_param(req, "nis"));
	json_t *rows = m ? commune_states(req, json_integer_value(json_object_get(m, "id")), nis) : NULL;
	json_t *c = json_array_get(rows, 0);
	if (!c) {
		json_decref(m);
		json_decref(rows);
		json_decref(event);
		json_decref(problems);
		return 404;
	}
	const char *state = json_string_value(json_object_get(c, "state"));
	json_t *d = page_data(req, arena_printf(&req->arena, "%s — %s",
			json_string_value(json_object_get(m, "title")),
			json_string_value(json_object_get(c, "name"))));
	json_t *events = db_rows(
		"SELECT e.id, e.date, e.kind, e.state, e.note, " PAGE_LINKED_MEETING " FROM event e JOIN "
		"motion_commune mc ON mc.id = e.motion_commune_id LEFT JOIN meeting m ON "
		"m.id = e.meeting_id WHERE mc.motion_id = ? AND mc.commune_nis = ? ORDER BY e.date "
		"DESC, e.id DESC", "ii", json_integer_value(json_object_get(m, "id")), nis), *e;
	size_t i;
	page_linked_meetings(req, events);
	view_dates_fr(events, "date", "date_fr");
	json_array_foreach(events, i, e) {
		json_object_set_new(e, "kind_label", json_string(vocab_label(&vocab_event_kinds,
			json_string_value(json_object_get(e, "kind")))));
		const char *to = json_string_value(json_object_get(e, "state"));
		if (to)
			json_object_set_new(e, "state_label",
				json_string(vocab_motion_states.items[state_index(to)].label));
		step_files(req, e);
	}
	if (!event)
		event = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:I}", "date", "", "kind", "meeting",
				  "state", "", "note", "", "next_step", json_string_value(
				  json_object_get(c, "next_step")), "next_followup", "", "meeting_id",
				  (json_int_t)0);
	if (req->user.role >= ROLE_COORDINATOR)
		json_object_set_new(d, "meeting_choices", meeting_choices(json_integer_value(
			json_object_get(event, "meeting_id"))));
	const char *chosen = json_string_value(json_object_get(event, "state"));
	json_t *moves = json_array();
	for (size_t s = 0; s < vocab_motion_states.n; s++)
		if (interp_transition_allowed(state, vocab_motion_states.items[s].value))
			json_array_append_new(moves, json_pack("{s:s, s:s, s:b}", "value",
				vocab_motion_states.items[s].value, "label",
					vocab_motion_states.items[s].label, "selected",
				chosen && strcmp(chosen, vocab_motion_states.items[s].value) == 0));
	json_object_set_new(d, "moves", moves);
	json_object_set_new(d, "event_kinds", page_choices(&vocab_event_kinds, json_string_value(
		json_object_get(event, "kind"))));
	json_object_set_new(d, "event", event);
	json_object_set_new(d, "events", events ? events : json_array());
	json_object_set_new(d, "files_for", json_pack("{s:I}", "max_mb", /* the script, the hint */
						      (json_int_t)(upload_max() >> 20)));
	static const char *const targets[][2] = {{"date", "e-date"}, {"kind", "e-kind"},
						 {"state", "e-state"}, {"note", "e-note"},
						 {"next_step", "e-step"}, {"next_followup", "e-follow"},
						 {"meeting_id", "e-meeting"}, {NULL, NULL}};
	page_form_problems(d, problems, targets);
	json_object_set(d, "commune", c);
	json_decref(rows);
	json_object_set_new(d, "motion", m);
	return page_render(req, resp, status, "motion_commune", d);
}

/* GET /motions/:slug/communes/:nis — the motion in one commune: its state,
 * next step and timeline; coordinators add the next event. */
int page_motion_commune(struct req *req, struct resp *resp)
{
	return commune_page(req, resp, 200, NULL, NULL);
}

/* POST /motions/:slug/communes/:nis (date, kind, state, note, next_step,
 * next_followup, _csrf) — adds an event, which may move the state along an
 * allowed transition; the change is audited. */
int page_motion_event(struct req *req, struct resp *resp)
{
	json_t *m = visible_motion(req);
	long long nis = atoll(req_param(req, "nis"));
	if (!m || !db_int(0, "SELECT 1 FROM commune WHERE nis = ?", "i", nis)) {
		json_decref(m);
		return 404;
	}
	struct event_in e = {.motion_id = json_integer_value(json_object_get(m, "id")),
			     .commune_nis = nis, .date = req_form(req, "date"),
			     .kind = req_form(req, "kind"), .state = req_form(req, "state"),
			     .note = req_form(req, "note"), .next_step = req_form(req, "next_step"),
			     .next_followup = req_form(req, "next_followup"),
			     .meeting_id = req_form_id(req, "meeting_id")};
	const char *slug = arena_strdup(&req->arena, json_string_value(json_object_get(m, "slug")));
	json_decref(m);
	struct check c = {0};
	interp_event_rules(&e, &c);
	if (c.n) {
#define OR(s) ((s) ? (s) : "")
		return commune_page(req, resp, 422, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:I}",
			"date", OR(e.date), "kind", OR(e.kind), "state", OR(e.state), "note", OR(e.note),
			"next_step", OR(e.next_step), "next_followup", OR(e.next_followup), "meeting_id",
			(json_int_t)e.meeting_id), check_json(&c));
#undef OR
	}
	long long step = interp_event_add(&e, req->user.id);
	if (step < 0)
		return 500;
	return page_files_attach(req, resp, "event", step, arena_printf(&req->arena,
				 "/motions/%s/communes/%lld#etape-%lld", slug, nis, step), true);
}

/* Returns the motions in commune nis that the reader may see, rows {slug,
 * title, state, state_label, stale, next_step, last_fr} (new reference). */
json_t *page_motion_states(struct req *req, long long nis)
{
	json_t *motions = db_rows("SELECT id, slug, title FROM motion WHERE deleted = 0 AND "
				  AUTH_SEES_SQL("visibility", "body_id") " ORDER BY title", "ii",
				  (long long)req->user.role, req->user.org_id), *mo;
	json_t *out = json_array();
	size_t i;
	json_array_foreach(motions, i, mo) {
		json_t *rows = commune_states(req, json_integer_value(json_object_get(mo, "id")), nis);
		json_t *c = json_array_get(rows, 0);
		if (c) {
			json_object_set(c, "slug", json_object_get(mo, "slug"));
			json_object_set(c, "title", json_object_get(mo, "title"));
			json_array_append(out, c);
		}
		json_decref(rows);
	}
	json_decref(motions);
	return out;
}

/* Renders the motion form over fields (consumed: title, slug, visibility,
 * body_id, text, promoters as ids), with its problems ([{field, message}],
 * consumed, may be NULL). */
static int motion_form(struct req *req, struct resp *resp, int status, const char *slug,
		       json_t *fields, json_t *problems)
{
	const char *title = slug ? "Modifier la motion" : "Nouvelle motion";
	json_t *d = page_data(req, title);
	json_object_set_new(d, "heading", json_string(title));
	json_object_set_new(d, "action", json_string(slug ? arena_printf(&req->arena,
		"/motions/%s", slug) : "/motions"));
	json_object_set_new(d, "is_new", json_boolean(!slug));
	json_object_set_new(d, "visibilities", page_choices(&vocab_visibilities,
							    db_str(fields, "visibility")));
	json_t *bodies = db_rows("SELECT id, name, id = ? AS selected FROM body ORDER BY name "
				 "COLLATE NOCASE", "i", db_num(fields, "body_id"));
	json_object_set_new(d, "bodies", bodies ? bodies : json_array());
	json_t *orgs = db_rows("SELECT id, name FROM organisation WHERE deleted = 0 ORDER BY name COLLATE NOCASE", NULL);
	json_t *chosen = json_object_get(fields, "promoters"), *o, *v;
	size_t i, k;
	json_array_foreach(orgs, i, o)
		json_array_foreach(chosen, k, v)
			if (json_integer_value(v) == db_num(o, "id"))
				json_object_set_new(o, "promoter", json_true());
	json_object_set_new(d, "organisations", orgs ? orgs : json_array());
	char *nis = json_dumps(json_object_get(fields, "communes"), JSON_COMPACT);
	json_t *communes = db_rows("SELECT nis, name, nis IN (SELECT value FROM json_each(?)) AS "
				   "checked FROM commune ORDER BY name", "t", nis ? nis : "[]");
	free(nis);
	json_object_set_new(d, "commune_choices", communes ? communes : json_array());
	page_form_problems(d, problems, NULL);
	json_object_set_new(d, "m", fields);
	page_editor_help(d);
	return page_render(req, resp, status, "motion_form", d);
}

/* GET /motions/new — the form of a new motion. */
int page_motion_new(struct req *req, struct resp *resp)
{
	return motion_form(req, resp, 200, NULL, json_pack("{s:s, s:s, s:s, s:s, s:I, s:[], s:[]}",
		"title", "", "slug", "", "visibility", "public", "text", "", "body_id",
		(json_int_t)0, "promoters", "communes"), NULL);
}

/* Reads the motion form into m (strings of the request) and into a JSON
 * object to show it again. */
static json_t *read_motion_form(struct req *req, struct motion_in *m)
{
	json_t *promoters = json_array(), *communes = json_array();
	for (size_t i = 0; i < req->form.n; i++) {
		const char *k = req->form.items[i].key, *v = req->form.items[i].val;
		if (!text_is_digits(v) || strlen(v) >= 18)
			continue;
		if (strcmp(k, "promoters") == 0)
			json_array_append_new(promoters, json_integer(atoll(v)));
		else if (strcmp(k, "communes") == 0)
			json_array_append_new(communes, json_integer(atoll(v)));
	}
	const char *body = req_form(req, "body_id");
	*m = (struct motion_in){.title = req_form(req, "title"), .slug = req_form(req, "slug"),
				.visibility = req_form(req, "visibility"),
				.text = req_form(req, "text"), .promoters = promoters,
				.communes = communes,
				.body_id = body && text_is_digits(body) && strlen(body) < 18
						   ? atoll(body) : 0};
	return json_pack("{s:s?, s:s?, s:s?, s:s?, s:I, s:O, s:O}", "title", m->title, "slug",
			 m->slug, "visibility", m->visibility, "text", m->text, "body_id",
			 (json_int_t)m->body_id, "promoters", promoters, "communes", communes);
}

/* Checks and saves the motion form (a new one when slug is NULL). */
static int motion_submit(struct req *req, struct resp *resp, const char *slug)
{
	struct motion_in m;
	json_t *fields = read_motion_form(req, &m);
	struct check c = {0};
	interp_motion_rules(&m, &c);
	if (!slug) {
		struct buf b = {0};
		if (m.slug && *m.slug)
			buf_puts(&b, m.slug);
		else if (m.title)
			text_slugify(&b, m.title, strlen(m.title), 60);
		m.slug = arena_strdup(&req->arena, buf_str(&b));
		buf_free(&b);
		bool title_bad = c.n && strcmp(c.items[0].field, "title") == 0;
		check_if(&c, !title_bad && !text_is_slug(m.slug), "slug", "L'identifiant "
			 "d'adresse ne peut contenir que des minuscules, des chiffres et des tirets.");
		check_if(&c, text_is_slug(m.slug) && db_int(0, "SELECT 1 FROM motion WHERE slug = ?",
							    "t", m.slug), "slug",
			 "Une motion utilise déjà cet identifiant d'adresse.");
	}
	long long id = slug ? db_int(0, "SELECT id FROM motion WHERE slug = ?", "t", slug) : 0;
	long long saved = c.n ? -1 : interp_motion_save(id, &m, req->user.id);
	json_decref(m.promoters);
	json_decref(m.communes);
	if (c.n)
		return motion_form(req, resp, 422, slug, fields, check_json(&c));
	json_decref(fields);
	if (saved < 0)
		return 500;
	return resp_redirect(req, resp, 303, arena_printf(&req->arena, "/motions/%s",
							  slug ? slug : m.slug));
}

/* POST /motions (title, slug, visibility, body_id, promoters…, text,
 * _csrf) — creates a motion. */
int page_motion_create(struct req *req, struct resp *resp)
{
	return motion_submit(req, resp, NULL);
}

/* POST /motions/:slug (the fields of page_motion_create but slug) —
 * updates it. */
int page_motion_update(struct req *req, struct resp *resp)
{
	const char *slug = req_param(req, "slug");
	if (!db_int(0, "SELECT 1 FROM motion WHERE slug = ? AND deleted = 0", "t", slug))
		return 404;
	return motion_submit(req, resp, slug);
}

/* GET /motions/:slug/edit — the form of an existing motion. */
int page_motion_edit(struct req *req, struct resp *resp)
{
	const char *slug = req_param(req, "slug");
	json_t *f = db_row("SELECT id, title, slug, visibility, text, coalesce(body_id, 0) AS "
			   "body_id FROM motion WHERE slug = ? AND deleted = 0", "t", slug);
	if (!f)
		return 404;
	json_t *rows = db_rows("SELECT organisation_id FROM motion_promoter WHERE motion_id = ?", "i",
			       db_num(f, "id")), *r;
	json_t *ids = json_array();
	size_t i;
	json_array_foreach(rows, i, r)
		json_array_append(ids, json_object_get(r, "organisation_id"));
	json_decref(rows);
	json_object_set_new(f, "promoters", ids);
	rows = db_rows("SELECT commune_nis FROM motion_commune WHERE motion_id = ?", "i",
		       db_num(f, "id"));
	ids = json_array();
	json_array_foreach(rows, i, r)
		json_array_append(ids, json_object_get(r, "commune_nis"));
	json_decref(rows);
	json_object_set_new(f, "communes", ids);
	return motion_form(req, resp, 200, slug, f, NULL);
}

/* Sets the deleted flag of the request's motion, audited; redirects to it. */
static int set_motion_deleted(struct req *req, struct resp *resp, bool deleted)
{
	const char *slug = req_param(req, "slug");
	long long id = db_int(0, "SELECT id FROM motion WHERE slug = ? AND deleted = ?", "ti", slug,
			      (long long)!deleted);
	if (!id)
		return 404;
	if (db_begin() < 0)
		return 503;
	if (db_exec("UPDATE motion SET deleted = ?, modified = " DB_NOW " WHERE id = ?", "ii",
		    (long long)deleted, id) != 1 ||
	    db_audit(req->user.id, deleted ? "delete" : "undelete", "motion", id, NULL, NULL) < 0 ||
	    db_commit() < 0) {
		db_rollback();
		return 500;
	}
	return resp_redirect(req, resp, 303, arena_printf(&req->arena, "/motions/%s", slug));
}

/* POST /motions/:slug/delete (_csrf) — hides a motion (restorable). */
int page_motion_delete(struct req *req, struct resp *resp)
{
	return set_motion_deleted(req, resp, true);
}

/* POST /motions/:slug/undelete (_csrf) — brings it back. */
int page_motion_undelete(struct req *req, struct resp *resp)
{
	return set_motion_deleted(req, resp, false);
}
