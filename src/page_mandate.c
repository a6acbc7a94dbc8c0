/* page_mandate.c — the centre's mandates (/mandates): the public list of
 * its « Participations institutionnelles » by level, who represents it for
 * the board and the coordination, and the coordination's forms to add,
 * change and delete one. */
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "db.h"
#include "mandate.h"
#include "page.h"
#include "text.h"
#include "vocab.h"

/* GET /mandates?ended=1 — the mandates in force (and the ended ones too
 * with ended), by level. */
int page_mandates(struct req *req, struct resp *resp)
{
	bool ended = req_query(req, "ended") != NULL;
	json_t *levels = mandate_list(NULL, NULL, ended, req->user.role >= ROLE_BOARD);
	if (!levels)
		return 500;
	json_t *d = page_data(req, "Participations institutionnelles");
	json_object_set_new(d, "levels", levels);
	json_object_set_new(d, "ended", json_boolean(ended));
	json_object_set_new(d, "private", json_boolean(req->user.role >= ROLE_BOARD));
	return page_render(req, resp, 200, "mandates", d);
}

/* Reads the mandate form into m (strings in the request's arena). */
static void read_form(struct req *req, struct mandate_in *m)
{
	*m = (struct mandate_in){
		.organisation = req_form(req, "organisation"), .seat = req_form(req, "seat"),
		.level = req_form(req, "level"), .representative = req_form(req, "representative"),
		.note = req_form(req, "note"), .start = req_form(req, "start"),
		.end = req_form(req, "end")};
	for (size_t i = 0; i < req->form.n; i++) {
		if (strcmp(req->form.items[i].key, "communes") != 0)
			continue;
		const char *v = req->form.items[i].val;
		if (m->ncommunes < MANDATE_COMMUNES_MAX)
			m->communes[m->ncommunes] = text_is_digits(v) && strlen(v) < 10 ? atoll(v) : -1;
		m->ncommunes++;
	}
}

/* Returns the form's fields of m as the template reads them (new
 * reference). */
static json_t *fields_of(const struct mandate_in *m)
{
	return json_pack("{s:s, s:s, s:s, s:s}", "representative", m->representative ? m->representative
			 : "", "note", m->note ? m->note : "", "start", m->start ? m->start : "",
			 "end", m->end ? m->end : "");
}

/* Renders the form of mandate id (0: new) over m with its problems
 * (consumed, may be NULL). */
static int mandate_form(struct req *req, struct resp *resp, int status, long long id,
			const struct mandate_in *m, json_t *problems)
{
	json_t *d = page_data(req, id ? "Modifier le mandat" : "Nouveau mandat");
	json_object_set_new(d, "heading", json_string(id ? "Modifier le mandat" : "Nouveau mandat"));
	json_object_set_new(d, "action", json_string(id ? arena_printf(&req->arena, "/mandates/%lld",
								    id) : "/mandates"));
	json_object_set_new(d, "id", json_integer(id));
	json_object_set_new(d, "organisations", page_mark_selected(db_rows(
		"SELECT slug AS value, name AS label FROM organisation WHERE deleted = 0 ORDER BY "
		"name COLLATE NOCASE", NULL), m->organisation));
	json_object_set_new(d, "seats", page_choices(&vocab_mandate_seats, m->seat));
	json_object_set_new(d, "levels", page_choices(&vocab_mandate_levels, m->level));
	json_t *communes = db_rows("SELECT nis, name FROM commune ORDER BY name", NULL), *c;
	size_t i;
	json_object_set_new(json_array_get(communes, 0), "first", json_true());
	json_array_foreach(communes, i, c)
		for (size_t k = 0; k < m->ncommunes && k < MANDATE_COMMUNES_MAX; k++)
			if (m->communes[k] == db_num(c, "nis"))
				json_object_set_new(c, "checked", json_true());
	json_object_set_new(d, "communes", communes ? communes : json_array());
	json_object_set_new(d, "m", fields_of(m));
	page_form_problems(d, problems, (const char *const[][2]){{"communes", "communes-first"},
								  {NULL, NULL}});
	return page_render(req, resp, status, "mandate_form", d);
}

/* GET /mandates/new — the form of a new mandate. */
int page_mandate_new(struct req *req, struct resp *resp)
{
	struct mandate_in m = {.seat = "general_assembly", .level = "provincial"};
	return mandate_form(req, resp, 200, 0, &m, NULL);
}

/* Returns the live mandate the path names, or 0. */
static long long mandate_of(struct req *req)
{
	const char *id = req_param(req, "id");
	return id && text_is_digits(id) && strlen(id) < 19
		? db_int(0, "SELECT id FROM mandate WHERE id = ? AND deleted = 0", "i", atoll(id)) : 0;
}

/* GET /mandates/:id/edit — the form of a mandate. */
int page_mandate_edit(struct req *req, struct resp *resp)
{
	long long id = mandate_of(req);
	json_t *r = id ? db_row("SELECT o.slug AS organisation, m.seat, m.level, m.representative, "
				"m.note, coalesce(m.start_date, '') AS start, coalesce(m.end_date, '') "
				"AS end FROM mandate m JOIN organisation o ON o.id = m.organisation_id "
				"WHERE m.id = ?", "i", id) : NULL;
	if (!r)
		return 404;
	struct mandate_in m = {
		.organisation = db_str(r, "organisation"), .seat = db_str(r, "seat"),
		.level = db_str(r, "level"), .representative = db_str(r, "representative"),
		.note = db_str(r, "note"), .start = db_str(r, "start"), .end = db_str(r, "end")};
	json_t *cs = db_rows("SELECT commune_nis FROM mandate_commune WHERE mandate_id = ?", "i", id),
	       *c;
	size_t i;
	json_array_foreach(cs, i, c)
		if (m.ncommunes < MANDATE_COMMUNES_MAX)
			m.communes[m.ncommunes++] = db_num(c, "commune_nis");
	json_decref(cs);
	int status = mandate_form(req, resp, 200, id, &m, NULL);
	json_decref(r);
	return status;
}

/* Checks and saves the form as mandate id (0: new); back to the list, or
 * the form again with its problems. */
static int mandate_submit(struct req *req, struct resp *resp, long long id)
{
	struct mandate_in m;
	struct check c = {0};
	read_form(req, &m);
	mandate_rules(&m, &c);
	if (c.n)
		return mandate_form(req, resp, 422, id, &m, check_json(&c));
	if (mandate_save(id, &m, req->user.id) < 0)
		return 500;
	return resp_redirect(req, resp, 303, "/mandates");
}

/* POST /mandates (organisation, seat, level, communes…, representative,
 * start, end, note, _csrf) — adds a mandate. */
int page_mandate_create(struct req *req, struct resp *resp)
{
	return mandate_submit(req, resp, 0);
}

/* POST /mandates/:id (the fields of page_mandate_create) — changes it. */
int page_mandate_update(struct req *req, struct resp *resp)
{
	long long id = mandate_of(req);
	return id ? mandate_submit(req, resp, id) : 404;
}

/* POST /mandates/:id/delete (_csrf) — deletes a mandate (kept, marked
 * deleted, audited). */
int page_mandate_delete(struct req *req, struct resp *resp)
{
	long long id = mandate_of(req);
	int rc = id ? mandate_delete(id, req->user.id) : 0;
	if (rc < 0)
		return 500;
	return rc ? resp_redirect(req, resp, 303, "/mandates") : 404;
}
