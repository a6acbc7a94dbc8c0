/* page_organisation.c — the partners of the network and their memberships:
 * the list, one organisation, and for the coordination its form and its
 * memberships of bodies (joined and ended from its page). */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "check.h"
#include "db.h"
#include "doc.h"
#include "markdown.h"
#include "page.h"
#include "text.h"
#include "vocab.h"

#define ORGANISATIONS_PER_PAGE 100

/* GET /organisations?page=N — the partner organisations, 100 a page. */
int page_organisations(struct req *req, struct resp *resp)
{
	long page = page_number(req);
	json_t *rows = db_rows("SELECT o.slug, o.name, o.acronym, c.name AS commune, "
			       "(SELECT count(*) FROM membership m JOIN body b ON b.id = m.body_id "
			       "WHERE m.organisation_id = o.id AND (b.visibility <> 'internal' OR ?)) "
			       "AS bodies FROM organisation o LEFT JOIN commune c ON c.nis = o.commune_nis "
			       "WHERE o.deleted = 0 ORDER BY o.name COLLATE NOCASE LIMIT ? OFFSET ?", "iii",
			       (long long)(req->user.role >= ROLE_BOARD),
			       (long long)ORGANISATIONS_PER_PAGE + 1,
			       (long long)(page - 1) * ORGANISATIONS_PER_PAGE);
	if (!rows)
		return 500;
	bool more = page_trim(rows, ORGANISATIONS_PER_PAGE);
	json_t *d = page_data(req, "Organisations");
	json_object_set_new(d, "count", json_integer(db_int(0, "SELECT count(*) FROM organisation "
							    "WHERE deleted = 0", NULL)));
	page_pager(d, page, more);
	json_object_set_new(d, "organisations", rows);
	return page_render(req, resp, 200, "organisations", d);
}

#define ORG_ACTIONS 50 /* open actions shown on an organisation's page */

/* Renders an organisation's page; contact (consumed, may be NULL) and
 * problems ([{field, message}], consumed, may be NULL) are a contact form
 * sent back with its mistakes. */
int page_organisation_show(struct req *req, struct resp *resp, int status, json_t *contact,
			   json_t *problems)
{
	json_t *o = db_row("SELECT o.id, o.slug, o.name, o.acronym, o.website, o.description_html, "
			   "o.deleted, c.name AS commune, c.nis FROM organisation o "
			   "LEFT JOIN commune c ON c.nis = o.commune_nis WHERE o.slug = ? AND "
			   "(o.deleted = 0 OR ?)", "ti", req_param(req, "slug"),
			   (long long)(req->user.role >= ROLE_COORDINATOR));
	if (!o) {
		json_decref(contact);
		json_decref(problems);
		return 404; /* a removed organisation exists for the coordination only */
	}
	json_t *bodies = db_rows("SELECT m.id, b.slug, b.name, m.role, m.role = 'pilot' AS is_pilot, "
				 "m.end_date FROM membership m JOIN body b ON b.id = m.body_id WHERE "
				 "m.organisation_id = ? AND m.person_id IS NULL AND (m.end_date IS NULL OR "
				 "m.end_date >= date('now')) AND (b.visibility <> 'internal' OR ?) "
				 "ORDER BY b.name", "ii",
				 json_integer_value(json_object_get(o, "id")),
				 (long long)(req->user.role >= ROLE_BOARD));
	json_t *actions = db_rows(
		"SELECT a.id, a.text, a.due, a.state, a.owner_organisation_id, a.due < date('now') AS "
		"overdue, m.id AS meeting_id, m.title AS meeting FROM action a JOIN meeting m ON "
		"m.id = a.meeting_id "
		"WHERE a.owner_organisation_id = ? AND a.state = 'open' AND m.deleted = 0 AND "
		AUTH_SEES_SQL("m.visibility", "m.body_id") " ORDER BY a.due IS NULL, a.due, a.id "
		"LIMIT ?", "iiii", json_integer_value(json_object_get(o, "id")),
		(long long)req->user.role, req->user.org_id, (long long)ORG_ACTIONS + 1);
	json_t *d = page_data(req, json_string_value(json_object_get(o, "name")));
	page_action_rows(req, actions);
	if (json_array_size(actions) > ORG_ACTIONS) { /* the rest on /actions */
		json_array_remove(actions, ORG_ACTIONS);
		json_object_set_new(d, "more_actions", json_integer(ORG_ACTIONS));
	}
	json_object_set_new(d, "actions", actions ? actions : json_array());
	json_object_set_new(d, "organisation", o);
	size_t i;
	json_t *b;
	json_array_foreach(bodies, i, b) {
		const char *label = vocab_label(&vocab_member_roles, db_str(b, "role"));
		json_object_set_new(b, "role_label", json_string(label ? label : ""));
	}
	json_object_set_new(d, "bodies", bodies ? bodies : json_array());
	json_t *seats = db_rows("SELECT seat FROM mandate WHERE organisation_id = ? AND deleted = 0 "
				"AND (end_date IS NULL OR end_date >= date('now')) ORDER BY id", "i",
				db_num(o, "id"));
	page_labels(seats, "seat", &vocab_mandate_seats, "seat_label");
	json_object_set_new(d, "mandates", seats ? seats : json_array());
	if (req->user.role >= ROLE_COORDINATOR) {
		json_t *choices = db_rows("SELECT slug AS value, name AS label FROM body WHERE id NOT IN "
					  "(SELECT body_id FROM membership WHERE organisation_id = ? AND "
					  "person_id IS NULL AND (end_date IS NULL OR end_date >= "
					  "date('now'))) ORDER BY name COLLATE NOCASE", "i", db_num(o, "id"));
		json_object_set_new(d, "body_choices", choices ? choices : json_array());
		json_object_set_new(d, "member_roles", page_choices(&vocab_member_roles, "member"));
	}
	if (req->user.role >= ROLE_COORDINATOR)
		json_object_set_new(d, "contacts", page_contact_rows(db_num(o, "id")));
	const char *error = req_query(req, "error");
	if (error && strcmp(error, "membership") == 0)
		json_object_set_new(d, "error", json_string("Choisissez une instance et un rôle de la "
							     "liste."));
	page_form_problems(d, problems, NULL);
	json_object_set_new(d, "contact_form", contact ? contact : json_pack("{s:b}", "invitations",
									     1));
	return page_render(req, resp, status, "organisation", d);
}

/* GET /organisations/:slug — a partner, its description, its bodies and
 * its open actions (the first ORG_ACTIONS by due date). */
int page_organisation(struct req *req, struct resp *resp)
{
	return page_organisation_show(req, resp, 200, NULL, NULL);
}

/* Renders the organisation form over fields (consumed), with its problems
 * ([{field, message}], consumed, may be NULL). */
static int org_form(struct req *req, struct resp *resp, int status, const char *slug,
		    json_t *fields, json_t *problems)
{
	const char *title = slug ? "Modifier l'organisation" : "Nouvelle organisation";
	json_t *d = page_data(req, title);
	json_object_set_new(d, "heading", json_string(title));
	json_object_set_new(d, "action", json_string(slug ? arena_printf(&req->arena,
		"/organisations/%s", slug) : "/organisations"));
	json_object_set_new(d, "kinds", page_choices(&vocab_organisation_kinds, db_str(fields, "kind")));
	json_t *communes = db_rows("SELECT nis AS value, name AS label, nis = ? AS selected FROM "
				   "commune ORDER BY name", "i", db_num(fields, "commune_nis"));
	json_object_set_new(d, "communes", communes ? communes : json_array());
	page_form_problems(d, problems, NULL);
	json_object_set_new(d, "o", fields);
	page_editor_help(d);
	return page_render(req, resp, status, "organisation_form", d);
}

/* GET /organisations/new — the form of a new partner organisation. */
int page_organisation_new(struct req *req, struct resp *resp)
{
	return org_form(req, resp, 200, NULL, json_pack("{s:s, s:s, s:s, s:s, s:s, s:I}", "name", "",
		"acronym", "", "kind", "asbl", "website", "", "description", "", "commune_nis",
		(json_int_t)0), NULL);
}

/* Reads the organisation form into a JSON object. */
static json_t *read_org_form(struct req *req)
{
	const char *nis = req_form(req, "commune_nis");
	return json_pack("{s:s?, s:s?, s:s?, s:s?, s:s?, s:I}", "name", req_form(req, "name"),
			 "acronym", req_form(req, "acronym"), "kind", req_form(req, "kind"),
			 "website", req_form(req, "website"), "description",
			 req_form(req, "description"), "commune_nis",
			 (json_int_t)(nis && text_is_digits(nis) && strlen(nis) == 5 ? atoll(nis) : 0));
}

/* Returns every problem of an organisation form ([{field, message}], new
 * reference). */
static json_t *org_problems(json_t *f)
{
	const char *name = db_str(f, "name"), *acronym = db_str(f, "acronym"),
		   *site = db_str(f, "website"), *desc = db_str(f, "description");
	struct check c = {0};
	check_if(&c, !name || !*name || strlen(name) > 200 || !text_utf8_valid(name, strlen(name)),
		 "name", "Le nom est obligatoire (200 caractères au plus).");
	check_if(&c, acronym && strlen(acronym) > 30, "acronym",
		 "Le sigle compte 30 caractères au plus.");
	check_if(&c, !vocab_has(&vocab_organisation_kinds, db_str(f, "kind")), "kind",
		 "Choisissez un type d'organisation de la liste.");
	check_if(&c, site && *site && ((strncmp(site, "https://", 8) != 0 &&
					strncmp(site, "http://", 7) != 0) ||
				       strlen(site) > 500 || strpbrk(site, " \"<>")), "website",
		 "L'adresse du site commence par https:// (500 caractères au plus).");
	check_if(&c, db_num(f, "commune_nis") && !db_int(0, "SELECT 1 FROM commune WHERE nis = ?",
							 "i", db_num(f, "commune_nis")),
		 "commune_nis", "Choisissez une commune de la liste.");
	check_if(&c, desc && strlen(desc) > (1u << 20), "description", "La description dépasse 1 Mo.");
	return check_json(&c);
}

/* Returns a free slug for a new organisation called name (in the arena). */
static const char *new_slug(struct req *req, const char *name)
{
	struct buf b = {0};
	text_slugify(&b, name, strlen(name), 60);
	if (!b.len)
		buf_puts(&b, "organisation");
	const char *slug = arena_strdup(&req->arena, buf_str(&b));
	for (int k = 2; db_int(0, "SELECT 1 FROM organisation WHERE slug = ?", "t", slug) && k < 1000;
	     k++)
		slug = arena_printf(&req->arena, "%s-%d", buf_str(&b), k);
	buf_free(&b);
	return slug;
}

/* Saves the form (a new organisation when slug is NULL), its description
 * rendered, audited; returns the slug, or NULL. */
static const char *save_org(struct req *req, json_t *f, const char *slug)
{
	struct buf html = {0}, text = {0};
	const char *desc = db_str(f, "description") ? db_str(f, "description") : "";
	const char *target = slug ? slug : new_slug(req, db_str(f, "name"));
	json_t *before = slug ? db_row("SELECT name, acronym, kind, website, description, "
				       "commune_nis FROM organisation WHERE slug = ?", "t", slug) : NULL;
	bool ok = doc_render(desc, strlen(desc), "public", &html, &text, NULL) == 0 &&
		  db_begin() == 0;
	if (ok) {
		ok = (slug ? db_exec("UPDATE organisation SET name = ?2, acronym = nullif(?3, ''), "
				     "kind = ?4, website = nullif(?5, ''), description = ?6, "
				     "description_html = ?7, description_text = ?8, render_version = ?9, "
				     "commune_nis = nullif(?10, 0), modified = " DB_NOW " WHERE slug = ?1",
				     "ttttttttii", target, db_str(f, "name"), db_str(f, "acronym"),
				     db_str(f, "kind"), db_str(f, "website"), desc, buf_str(&html),
				     buf_str(&text), (long long)MD_RENDERER_VERSION, db_num(f, "commune_nis"))
			   : db_exec("INSERT INTO organisation (slug, name, acronym, kind, website, "
				     "description, description_html, description_text, render_version, "
				     "commune_nis) VALUES (?1, ?2, nullif(?3, ''), ?4, nullif(?5, ''), ?6, "
				     "?7, ?8, ?9, nullif(?10, 0))", "ttttttttii", target, db_str(f, "name"),
				     db_str(f, "acronym"), db_str(f, "kind"), db_str(f, "website"), desc,
				     buf_str(&html), buf_str(&text), (long long)MD_RENDERER_VERSION,
				     db_num(f, "commune_nis"))) == 1;
		long long id = db_int(0, "SELECT id FROM organisation WHERE slug = ?", "t", target);
		char *b = before ? json_dumps(before, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
		char *a = json_dumps(f, JSON_COMPACT | JSON_SORT_KEYS);
		ok = ok && db_audit(req->user.id, slug ? "update" : "create", "organisation", id, b, a) == 0;
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
	return ok ? target : NULL;
}

/* Checks and saves the form; redirects to the organisation, or shows the
 * form again with what was typed. */
static int org_submit(struct req *req, struct resp *resp, const char *slug)
{
	json_t *f = read_org_form(req);
	json_t *problems = org_problems(f);
	if (json_array_size(problems))
		return org_form(req, resp, 422, slug, f, problems);
	json_decref(problems);
	const char *saved = save_org(req, f, slug);
	json_decref(f);
	return saved ? resp_redirect(req, resp, 303, arena_printf(&req->arena, "/organisations/%s",
								  saved)) : 500;
}

/* POST /organisations (name, acronym, kind, website, commune_nis,
 * description, _csrf) — creates a partner organisation. */
int page_organisation_create(struct req *req, struct resp *resp)
{
	return org_submit(req, resp, NULL);
}

/* POST /organisations/:slug (the fields of page_organisation_create) —
 * updates it. */
int page_organisation_update(struct req *req, struct resp *resp)
{
	const char *slug = req_param(req, "slug");
	if (!db_int(0, "SELECT 1 FROM organisation WHERE slug = ?", "t", slug))
		return 404;
	return org_submit(req, resp, slug);
}

/* GET /organisations/:slug/edit — the form of an existing organisation. */
int page_organisation_edit(struct req *req, struct resp *resp)
{
	const char *slug = req_param(req, "slug");
	json_t *f = db_row("SELECT name, coalesce(acronym, '') AS acronym, kind, coalesce(website, "
			   "'') AS website, description, coalesce(commune_nis, 0) AS commune_nis FROM "
			   "organisation WHERE slug = ?", "t", slug);
	return f ? org_form(req, resp, 200, slug, f, NULL) : 404;
}

/* Makes organisation org a member of body with role from today (a
 * membership that had ended starts again), audited; then goes to back, or
 * to back with ?error=membership when body, organisation or role is not
 * one of the lists. */
int page_membership_join(struct req *req, struct resp *resp, long long body, long long org,
			 const char *role, const char *back)
{
	if (!body || !org || !vocab_has(&vocab_member_roles, role))
		return resp_redirect(req, resp, 303, arena_printf(&req->arena, "%s?error=membership",
								  back));
	char after[96];
	snprintf(after, sizeof(after), "%lld %s", body, role);
	if (db_begin() < 0)
		return 503;
	if (db_exec("INSERT INTO membership (body_id, organisation_id, role, start_date) VALUES "
		    "(?, ?, ?, date('now')) ON CONFLICT DO UPDATE SET role = excluded.role, "
		    "end_date = NULL, modified = " DB_NOW, "iit", body, org, role) < 0 ||
	    db_audit(req->user.id, "join", "organisation", org, NULL, after) < 0 || db_commit() < 0) {
		db_rollback();
		return 500;
	}
	return resp_redirect(req, resp, 303, back);
}

/* Ends membership id of organisation org today (kept in the history;
 * joining again restores it), audited; then goes to back. */
int page_membership_end(struct req *req, struct resp *resp, long long id, long long org,
			const char *back)
{
	char before[32];
	snprintf(before, sizeof(before), "%lld", id);
	if (db_begin() < 0)
		return 503;
	if (db_exec("UPDATE membership SET end_date = date('now', '-1 day'), modified = " DB_NOW
		    " WHERE id = ?", "i", id) != 1 ||
	    db_audit(req->user.id, "leave", "organisation", org, before, NULL) < 0 || db_commit() < 0) {
		db_rollback();
		return 500;
	}
	return resp_redirect(req, resp, 303, back);
}

/* POST /organisations/:slug/memberships (body, role, _csrf) — makes the
 * organisation a member (pilot, member or guest) of a body, from today. */
int page_organisation_membership_add(struct req *req, struct resp *resp)
{
	const char *slug = req_param(req, "slug");
	long long org = db_int(0, "SELECT id FROM organisation WHERE slug = ?", "t", slug);
	if (!org)
		return 404;
	long long body = db_int(0, "SELECT id FROM body WHERE slug = ?", "t", req_form(req, "body"));
	return page_membership_join(req, resp, body, org, req_form(req, "role"),
				    arena_printf(&req->arena, "/organisations/%s", slug));
}

/* POST /organisations/:slug/memberships/:id/end (_csrf) — ends one of the
 * organisation's memberships today. */
int page_organisation_membership_end(struct req *req, struct resp *resp)
{
	const char *slug = req_param(req, "slug");
	long long id = atoll(req_param(req, "id"));
	long long org = db_int(0, "SELECT o.id FROM organisation o JOIN membership m ON "
			       "m.organisation_id = o.id WHERE o.slug = ? AND m.id = ?", "ti", slug, id);
	return org ? page_membership_end(req, resp, id, org, arena_printf(&req->arena,
					 "/organisations/%s", slug)) : 404;
}

/* Returns why organisation org cannot be removed (French), or NULL: it
 * still takes part in something. */
static const char *still_active(struct req *req, long long org)
{
	long long bodies = db_int(0, "SELECT count(*) FROM membership WHERE organisation_id = ? AND "
				  "(end_date IS NULL OR end_date >= date('now'))", "i", org);
	long long accounts = db_int(0, "SELECT count(*) FROM user WHERE organisation_id = ? AND "
				    "disabled = 0", "i", org);
	long long actions = db_int(0, "SELECT count(*) FROM action WHERE owner_organisation_id = ? "
				   "AND state = 'open'", "i", org);
	if (!bodies && !accounts && !actions)
		return NULL;
	struct buf b = {0}, c = {0}, a = {0};
	text_count(&b, bodies, "instance", "instances");
	text_count(&c, accounts, "compte actif", "comptes actifs");
	text_count(&a, actions, "action à faire", "actions à faire");
	const char *why = arena_printf(&req->arena, "Cette organisation prend encore part au "
				       "réseau : %s, %s, %s. Retirez-la de ses instances, désactivez "
				       "ses comptes et confiez ses actions à une autre organisation "
				       "avant de la supprimer.", buf_str(&b), buf_str(&c), buf_str(&a));
	buf_free(&b);
	buf_free(&c);
	buf_free(&a);
	return why;
}

/* Sets the deleted flag of the request's organisation, audited. */
static int set_org_deleted(struct req *req, struct resp *resp, bool deleted)
{
	const char *slug = req_param(req, "slug");
	long long org = db_int(0, "SELECT id FROM organisation WHERE slug = ? AND deleted = ?", "ti",
			       slug, (long long)!deleted);
	if (!org)
		return 404;
	const char *why = deleted ? still_active(req, org) : NULL;
	if (why)
		return page_error(req, resp, 409, why);
	if (db_begin() < 0)
		return 503;
	if (db_exec("UPDATE organisation SET deleted = ?, modified = " DB_NOW " WHERE id = ?", "ii",
		    (long long)deleted, org) != 1 ||
	    db_audit(req->user.id, deleted ? "delete" : "undelete", "organisation", org, NULL, NULL) < 0 ||
	    db_commit() < 0) {
		db_rollback();
		return 500;
	}
	return resp_redirect(req, resp, 303, arena_printf(&req->arena, "/organisations/%s", slug));
}

/* POST /organisations/:slug/delete (_csrf) — removes an organisation that
 * no longer takes part in anything (refused with the reason otherwise);
 * restorable. */
int page_organisation_delete(struct req *req, struct resp *resp)
{
	return set_org_deleted(req, resp, true);
}

/* POST /organisations/:slug/undelete (_csrf) — restores it. */
int page_organisation_undelete(struct req *req, struct resp *resp)
{
	return set_org_deleted(req, resp, false);
}
