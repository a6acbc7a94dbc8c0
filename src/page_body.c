/* page_body.c — the network's bodies (« instances »): platforms, working
 * groups, local coordinations and others. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auth.h"
#include "check.h"
#include "db.h"
#include "doc.h"
#include "markdown.h"
#include "page.h"
#include "review.h"
#include "text.h"
#include "view.h"

/* The kinds of bodies, in the order the list shows them. */
static const struct {
	const char *kind, *label;
} kinds[] = {
	{"platform", "Plateformes provinciales"},
	{"working_group", "Groupes de travail"},
	{"local_coordination", "Coordinations locales"},
	{"other", "Autres instances"},
};



/* Returns the French label of a body status, NULL for an active one (the
 * lists only mark the others). */
static const char *status_label(const char *status)
{
	return status && strcmp(status, "active") == 0 ? NULL
						       : vocab_label(&vocab_body_statuses, status);
}

/* Adds the French status label to each body of a list. */
static void label_statuses(json_t *rows)
{
	size_t i;
	json_t *row;
	json_array_foreach(rows, i, row) {
		const char *l = status_label(json_string_value(json_object_get(row, "status")));
		if (l)
			json_object_set_new(row, "status_label", json_string(l));
	}
}

#define BODIES_PER_PAGE 100

/* Returns the label of a body kind. */
static const char *kind_label(const char *kind)
{
	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
		if (kind && strcmp(kind, kinds[k].kind) == 0)
			return kinds[k].label;
	return "";
}

/* Groups rows (ordered by kind) into {kind, label, bodies} groups. */
static json_t *group_by_kind(json_t *rows)
{
	json_t *groups = json_array(), *group = NULL, *row;
	size_t i;
	json_array_foreach(rows, i, row) {
		const char *kind = json_string_value(json_object_get(row, "kind"));
		if (!group || strcmp(json_string_value(json_object_get(group, "kind")), kind) != 0) {
			group = json_pack("{s:s, s:s, s:[]}", "kind", kind, "label", kind_label(kind),
					  "bodies");
			json_array_append_new(groups, group);
		}
		json_array_append(json_object_get(group, "bodies"), row);
	}
	return groups;
}

/* GET /bodies?kind=&axis=&territory=&status=&page= — the bodies, grouped by
 * kind, 100 a page. Internal ones only for the board and the staff. */
int page_bodies(struct req *req, struct resp *resp)
{
	const char *kind = req_query(req, "kind"), *status = req_query(req, "status");
	const char *territory = req_query(req, "territory"), *axis = req_query(req, "axis");
	long page = page_number(req);
	json_t *rows = db_rows(
		"SELECT b.slug, b.name, b.kind, b.axis, b.status, t.name AS territory, "
		"o.name AS pilot FROM body b LEFT JOIN territory t ON t.id = b.territory_id "
		"LEFT JOIN organisation o ON o.id = b.pilot_id WHERE (b.visibility <> 'internal' OR ?) "
		"AND (coalesce(?, '') = '' OR b.kind = ?3) AND (coalesce(?, '') = '' OR b.status = ?5) "
		"AND (coalesce(?, '') = '' OR t.slug = ?7) AND (coalesce(?, '') = '' OR b.axis = ?9) "
		"ORDER BY CASE b.kind WHEN 'platform' THEN 1 WHEN 'working_group' THEN 2 "
		"WHEN 'local_coordination' THEN 3 ELSE 4 END, b.name COLLATE NOCASE LIMIT ? OFFSET ?",
		"ittttttttii", (long long)(req->user.role >= ROLE_BOARD), kind, kind, status, status,
		territory, territory, axis, axis, (long long)BODIES_PER_PAGE + 1,
		(long long)(page - 1) * BODIES_PER_PAGE);
	if (!rows)
		return 500;
	bool more = page_trim(rows, BODIES_PER_PAGE);
	label_statuses(rows);
	json_t *filters = json_array();
	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
		json_array_append_new(filters, json_pack("{s:s, s:s, s:b}", "kind", kinds[k].kind,
							 "label", kinds[k].label, "current",
							 kind && strcmp(kind, kinds[k].kind) == 0));
	json_t *d = page_data(req, "Instances");
	json_object_set_new(d, "groups", group_by_kind(rows));
	json_decref(rows);
	json_object_set_new(d, "filters", filters);
	json_object_set_new(d, "kind", json_string(kind ? kind : ""));
	json_object_set_new(d, "all_current", json_boolean(!kind || !*kind));
	json_object_set_new(d, "axes", page_mark_selected(db_rows(
		"SELECT DISTINCT axis AS value, axis AS label FROM body WHERE axis IS NOT NULL "
		"ORDER BY axis", NULL), axis));
	json_object_set_new(d, "territories", page_mark_selected(db_rows(
		"SELECT slug AS value, name AS label FROM territory ORDER BY name", NULL), territory));
	json_object_set_new(d, "statuses", page_choices(&vocab_body_statuses, status));
	page_pager(d, page, more);
	return page_render(req, resp, 200, "bodies", d);
}

/* Adds to d the body's bilans and perspectives, newest year first, and for
 * the coordinators the years they may write (this one and the last). */
static void body_reviews(struct req *req, json_t *d, long long id)
{
	json_t *years = review_years(id);
	json_object_set_new(d, "reviews", years ? years : json_array());
	if (req->user.role < ROLE_COORDINATOR)
		return;
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	json_object_set_new(d, "review_links", json_pack("[{s:i}, {s:i}]", "year",
							 tm.tm_year + 1900, "year", tm.tm_year + 1899));
}

/* GET /bodies/:slug — a body: description, pilot, territory, members,
 * bilans. */
int page_body(struct req *req, struct resp *resp)
{
	json_t *b = db_row("SELECT b.id, b.slug, b.name, b.kind, b.axis, b.status, b.visibility, "
			   "b.description_html, t.name AS territory, o.name AS pilot, o.slug AS pilot_slug "
			   "FROM body b LEFT JOIN territory t ON t.id = b.territory_id "
			   "LEFT JOIN organisation o ON o.id = b.pilot_id WHERE b.slug = ?", "t",
			   req_param(req, "slug"));
	const char *vis = json_string_value(json_object_get(b, "visibility"));
	if (!b || (strcmp(vis, "internal") == 0 && req->user.role < ROLE_BOARD)) {
		json_decref(b);
		return 404; /* what one may not see does not exist */
	}
	long long id = json_integer_value(json_object_get(b, "id"));
	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
		if (strcmp(json_string_value(json_object_get(b, "kind")), kinds[k].kind) == 0)
			json_object_set_new(b, "kind_label", json_string(kinds[k].label));
	const char *l = status_label(json_string_value(json_object_get(b, "status")));
	if (l)
		json_object_set_new(b, "status_label", json_string(l));
	json_t *members = db_rows("SELECT m.id, o.slug, o.name, o.acronym, m.role = 'pilot' AS "
				  "is_pilot, m.role = 'guest' AS is_guest FROM membership m "
				  "JOIN organisation o ON o.id = m.organisation_id WHERE m.body_id = ? "
				  "AND (m.end_date IS NULL OR m.end_date >= date('now')) "
				  "ORDER BY o.name COLLATE NOCASE", "i", id);
	json_t *d = page_data(req, json_string_value(json_object_get(b, "name")));
	page_poll_list(req, d, id);
	json_t *meetings = page_meeting_rows(req, id, 100, 0);
	json_object_set_new(d, "meetings", meetings ? meetings : json_array());
	json_t *next = db_row("SELECT m.id, m.title, m.start FROM meeting m WHERE m.body_id = ? AND "
			      "m.deleted = 0 AND m.status = 'planned' AND m.start >= date('now') AND "
			      AUTH_SEES_SQL("m.visibility", "m.body_id") " ORDER BY m.start LIMIT 1",
			      "iii", id, (long long)req->user.role, req->user.org_id);
	if (next) {
		json_t *one = json_pack("[o]", next);
		view_dates_fr(one, "start", "when");
		json_object_set(d, "next", next);
		json_decref(one);
	}
	/* from the body's meetings to their actions: CROSS JOIN keeps that
	 * order, and + keeps the flags (deleted, done: true for nearly every
	 * row) from choosing an index */
	json_t *actions = db_rows(
		"SELECT a.text, a.owner, a.due, a.due < date('now') AS overdue, m.id AS meeting_id "
		"FROM meeting m CROSS JOIN action a ON a.meeting_id = m.id WHERE m.body_id = ? AND "
		"+a.state = 'open' AND +m.deleted = 0 AND " AUTH_SEES_SQL("m.visibility", "m.body_id")
		" ORDER BY a.due IS NULL, a.due, a.id", "iii", id, (long long)req->user.role,
		req->user.org_id);
	json_object_set_new(d, "actions", actions ? actions : json_array());
	json_object_set_new(d, "body", b);
	json_object_set_new(d, "members", members ? members : json_array());
	if (req->user.role >= ROLE_COORDINATOR) {
		json_t *orgs = db_rows("SELECT slug AS value, name AS label FROM organisation WHERE "
				       "deleted = 0 AND id NOT IN (SELECT organisation_id FROM membership "
				       "WHERE body_id = ? AND (end_date IS NULL OR end_date >= "
				       "date('now'))) ORDER BY name COLLATE NOCASE", "i", id);
		json_object_set_new(d, "org_choices", orgs ? orgs : json_array());
		json_object_set_new(d, "member_roles", page_choices(&vocab_member_roles, "member"));
		if (req_query(req, "error"))
			json_object_set_new(d, "error", json_string("Choisissez une organisation et un "
								    "rôle de la liste."));
	}
	page_files(req, d, "body", id);
	body_reviews(req, d, id);
	return page_render(req, resp, 200, "body", d);
}

/* Renders the body form over fields (consumed) with its problems
 * ([{field, message}], consumed, may be NULL). */
static int body_form(struct req *req, struct resp *resp, int status, const char *slug,
		     json_t *fields, json_t *problems)
{
	json_t *d = page_data(req, slug ? "Modifier l'instance" : "Nouvelle instance");
	json_object_set_new(d, "heading", json_string(slug ? "Modifier l'instance" : "Nouvelle instance"));
	json_object_set_new(d, "action", json_string(slug ? arena_printf(&req->arena, "/bodies/%s", slug)
							  : "/bodies"));
	json_object_set_new(d, "is_new", json_boolean(!slug));
	const char *kind = json_string_value(json_object_get(fields, "kind"));
	json_object_set_new(d, "kinds", page_choices(&vocab_body_kinds, kind));
	json_object_set_new(d, "statuses", page_choices(&vocab_body_statuses, json_string_value(
		json_object_get(fields, "status"))));
	json_object_set_new(d, "visibilities", page_choices(&vocab_visibilities, json_string_value(
		json_object_get(fields, "visibility"))));
	json_t *orgs = db_rows("SELECT id, name FROM organisation WHERE deleted = 0 ORDER BY name COLLATE NOCASE", NULL);
	json_t *members = json_object_get(fields, "members"), *o;
	size_t i;
	json_array_foreach(orgs, i, o) {
		long long id = json_integer_value(json_object_get(o, "id"));
		size_t k;
		json_t *m;
		json_array_foreach(members, k, m)
			if (json_integer_value(m) == id)
				json_object_set_new(o, "member", json_true());
		if (id == json_integer_value(json_object_get(fields, "pilot_id")))
			json_object_set_new(o, "pilot", json_true());
	}
	json_object_set_new(d, "organisations", orgs ? orgs : json_array());
	json_t *ts = db_rows("SELECT id, name, id = ? AS selected FROM territory ORDER BY name", "i",
			     json_integer_value(json_object_get(fields, "territory_id")));
	json_object_set_new(d, "territories", ts ? ts : json_array());
	page_form_problems(d, problems, NULL);
	json_object_set_new(d, "b", fields);
	page_editor_help(d);
	return page_render(req, resp, status, "body_form", d);
}

/* GET /bodies/new — the form of a new body. */
int page_body_new(struct req *req, struct resp *resp)
{
	json_t *f = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:[]}", "name", "", "slug", "",
			      "axis", "", "kind", "working_group", "status", "active", "visibility",
			      "members", "description", "", "members");
	return body_form(req, resp, 200, NULL, f, NULL);
}

/* Reads the form into a JSON object (members as ids). */
static json_t *read_body_form(struct req *req)
{
	json_t *members = json_array();
	for (size_t i = 0; i < req->form.n; i++)
		if (strcmp(req->form.items[i].key, "members") == 0 &&
		    text_is_digits(req->form.items[i].val))
			json_array_append_new(members, json_integer(atoll(req->form.items[i].val)));
	const char *pilot = req_form(req, "pilot_id"), *territory = req_form(req, "territory_id");
	return json_pack("{s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, s:I, s:I, s:o}",
			 "name", req_form(req, "name"), "slug", req_form(req, "slug"),
			 "kind", req_form(req, "kind"), "axis", req_form(req, "axis"),
			 "status", req_form(req, "status"), "visibility", req_form(req, "visibility"),
			 "description", req_form(req, "description"), "pilot_id",
			 (json_int_t)(pilot && text_is_digits(pilot) ? atoll(pilot) : 0), "territory_id",
			 (json_int_t)(territory && text_is_digits(territory) ? atoll(territory) : 0),
			 "members", members);
}

/* Returns every problem of a body form ([{field, message}], new reference). */
static json_t *body_problems(json_t *f, bool is_new)
{
	const char *name = db_str(f, "name"), *slug = db_str(f, "slug"),
		   *desc = db_str(f, "description");
	struct check c = {0};
	check_if(&c, !name || !*name || strlen(name) > 200, "name",
		 "Le nom est obligatoire (200 caractères au plus).");
	check_if(&c, is_new && (!slug || !text_is_slug(slug)), "slug", "L'identifiant d'adresse ne "
		 "peut contenir que des minuscules, des chiffres et des tirets.");
	check_if(&c, is_new && slug && db_int(0, "SELECT 1 FROM body WHERE slug = ?", "t", slug) == 1,
		 "slug", "Une instance utilise déjà cet identifiant d'adresse.");
	check_if(&c, !vocab_has(&vocab_body_kinds, db_str(f, "kind")), "kind",
		 "Choisissez un type d'instance de la liste.");
	check_if(&c, !vocab_has(&vocab_body_statuses, db_str(f, "status")), "status",
		 "Choisissez un état de la liste.");
	check_if(&c, !vocab_has(&vocab_visibilities, db_str(f, "visibility")), "visibility",
		 "Choisissez une visibilité de la liste.");
	check_if(&c, desc && strlen(desc) > (1u << 20), "description", "La description dépasse 1 Mo.");
	return check_json(&c);
}

/* Saves a body form (new when slug is NULL), renders its description,
 * replaces its members and audits; returns the slug saved, or NULL. */
static const char *save_body(struct req *req, json_t *f, const char *slug)
{
	struct buf html = {0}, text = {0};
	const char *desc = db_str(f, "description") ? db_str(f, "description") : "";
	const char *target = slug ? slug : db_str(f, "slug");
	const char *name = db_str(f, "name"), *kind = db_str(f, "kind"), *axis = db_str(f, "axis"),
		   *status = db_str(f, "status"), *visibility = db_str(f, "visibility");
	long long pilot = db_num(f, "pilot_id"), territory = db_num(f, "territory_id");
	json_t *before = slug ? db_row("SELECT name, kind, axis, status, visibility, description, "
				       "pilot_id, territory_id FROM body WHERE slug = ?", "t", slug)
			      : NULL;
	bool ok = doc_render(desc, strlen(desc), visibility, &html, &text, NULL) == 0 &&
		  db_begin() == 0;
	if (ok) {
		ok = (slug ? db_exec("UPDATE body SET name = ?, kind = ?, axis = nullif(?, ''), status = ?, "
				     "visibility = ?, description = ?, description_html = ?, "
				     "description_text = ?, render_version = ?, pilot_id = nullif(?, 0), "
				     "territory_id = nullif(?, 0), modified = " DB_NOW
				     " WHERE slug = ?", "ttttttttiiit", name, kind, axis, status, visibility,
				     desc, buf_str(&html), buf_str(&text), (long long)MD_RENDERER_VERSION,
				     pilot, territory, slug)
			   : db_exec("INSERT INTO body (slug, name, kind, axis, status, visibility, "
				     "description, description_html, description_text, render_version, "
				     "pilot_id, territory_id) VALUES (?, ?, ?, nullif(?, ''), ?, ?, ?, ?, ?, ?, "
				     "nullif(?, 0), nullif(?, 0))", "tttttttttiii", target, name, kind, axis,
				     status, visibility, desc, buf_str(&html), buf_str(&text),
				     (long long)MD_RENDERER_VERSION, pilot, territory)) == 1;
		long long id = db_int(0, "SELECT id FROM body WHERE slug = ?", "t", target);
		char *members = json_dumps(json_object_get(f, "members"), JSON_COMPACT);
		ok = ok && db_exec("DELETE FROM membership WHERE body_id = ? AND person_id IS NULL AND "
				   "organisation_id NOT IN (SELECT value FROM json_each(?))", "it", id,
				   members) >= 0 &&
		     db_exec("INSERT OR IGNORE INTO membership (body_id, organisation_id) SELECT ?, o.id "
			     "FROM organisation o WHERE o.id IN (SELECT value FROM json_each(?))", "it", id,
			     members) >= 0;
		free(members);
		char *b = before ? json_dumps(before, JSON_COMPACT) : NULL, *a = json_dumps(f, JSON_COMPACT);
		ok = ok && db_audit(req->user.id, slug ? "update" : "create", "body", id, b, a) == 0;
		free(b);
		free(a);
		if (!ok || db_commit() < 0) {
			db_rollback();
			ok = false;
		}
	}
	json_decref(before);
	buf_free(&html);
	buf_free(&text);
	return ok ? arena_strdup(&req->arena, target) : NULL;
}

/* Checks and saves the body form; redirects, or shows it again. */
static int body_submit(struct req *req, struct resp *resp, const char *slug)
{
	json_t *f = read_body_form(req);
	json_t *problems = body_problems(f, !slug);
	if (json_array_size(problems))
		return body_form(req, resp, 422, slug, f, problems);
	json_decref(problems);
	const char *saved = save_body(req, f, slug);
	json_decref(f);
	if (!saved)
		return 500;
	return resp_redirect(req, resp, 303, arena_printf(&req->arena, "/bodies/%s", saved));
}

/* POST /bodies (name, slug, kind, axis, territory_id, status, pilot_id,
 * visibility, description, members…, _csrf) — creates a body. */
int page_body_create(struct req *req, struct resp *resp)
{
	return body_submit(req, resp, NULL);
}

/* POST /bodies/:slug (the fields of page_body_create but slug) — updates it. */
int page_body_update(struct req *req, struct resp *resp)
{
	const char *slug = req_param(req, "slug");
	if (!db_int(0, "SELECT 1 FROM body WHERE slug = ?", "t", slug))
		return 404;
	return body_submit(req, resp, slug);
}

/* GET /bodies/:slug/edit — the form of an existing body. */
int page_body_edit(struct req *req, struct resp *resp)
{
	const char *slug = req_param(req, "slug");
	json_t *f = db_row("SELECT id, slug, name, kind, coalesce(axis, '') AS axis, status, "
			   "visibility, description, coalesce(pilot_id, 0) AS pilot_id, "
			   "coalesce(territory_id, 0) AS territory_id FROM body WHERE slug = ?", "t", slug);
	if (!f)
		return 404;
	json_t *members = db_rows("SELECT organisation_id FROM membership WHERE body_id = ? AND "
				  "person_id IS NULL", "i", json_integer_value(json_object_get(f, "id")));
	json_t *ids = json_array(), *m;
	size_t i;
	json_array_foreach(members, i, m)
		json_array_append(ids, json_object_get(m, "organisation_id"));
	json_decref(members);
	json_object_set_new(f, "members", ids);
	return body_form(req, resp, 200, slug, f, NULL);
}

/* POST /bodies/:slug/memberships (organisation, role, _csrf) — makes an
 * organisation a member (pilot, member or guest) of the body, from today. */
int page_body_membership_add(struct req *req, struct resp *resp)
{
	const char *slug = req_param(req, "slug");
	long long body = db_int(0, "SELECT id FROM body WHERE slug = ?", "t", slug);
	if (!body)
		return 404;
	long long org = db_int(0, "SELECT id FROM organisation WHERE slug = ? AND deleted = 0", "t",
			       req_form(req, "organisation"));
	return page_membership_join(req, resp, body, org, req_form(req, "role"),
				    arena_printf(&req->arena, "/bodies/%s", slug));
}

/* POST /bodies/:slug/memberships/:id/end (_csrf) — ends one of the body's
 * memberships today. */
int page_body_membership_end(struct req *req, struct resp *resp)
{
	const char *slug = req_param(req, "slug");
	long long id = atoll(req_param(req, "id"));
	long long org = db_int(0, "SELECT m.organisation_id FROM membership m JOIN body b ON "
			       "b.id = m.body_id WHERE b.slug = ? AND m.id = ?", "ti", slug, id);
	return org ? page_membership_end(req, resp, id, org, arena_printf(&req->arena, "/bodies/%s",
									  slug)) : 404;
}
