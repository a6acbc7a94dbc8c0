/* page_commune.c — the communes of the province, by territory (reception
 * office), and one commune's page. */
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "db.h"
#include "interp.h"
#include "page.h"
#include "text.h"
#include "view.h"

/* GET /communes — every commune, grouped by territory. */
int page_communes(struct req *req, struct resp *resp)
{
	json_t *rows = db_rows("SELECT c.nis, c.name, c.arrondissement, t.name AS territory, "
			       "t.slug AS territory_slug FROM commune c "
			       "LEFT JOIN territory t ON t.id = c.territory_id "
			       "ORDER BY t.name, c.name", NULL);
	if (!rows)
		return 500;
	json_t *groups = json_array(), *group = NULL;
	size_t i;
	json_t *row;
	json_array_foreach(rows, i, row) {
		const char *t = json_string_value(json_object_get(row, "territory"));
		const char *slug = json_string_value(json_object_get(row, "territory_slug"));
		if (!group || strcmp(json_string_value(json_object_get(group, "name")), t ? t : "") != 0) {
			group = json_pack("{s:s, s:s, s:[]}", "name", t ? t : "", "slug",
					  slug ? slug : "", "communes");
			json_array_append_new(groups, group);
		}
		json_array_append(json_object_get(group, "communes"), row);
	}
	json_t *d = page_data(req, "Communes");
	json_object_set_new(d, "count", json_integer((json_int_t)json_array_size(rows)));
	json_object_set_new(d, "territories", groups);
	json_decref(rows);
	return page_render(req, resp, 200, "communes", d);
}

/* Returns the latest events that concern commune nis and that the reader
 * may see: its motions' steps and those of letters concerning it. */
static json_t *timeline(struct req *req, long long nis)
{
	json_t *rows = db_rows(
		"SELECT e.date, e.kind, e.note, mo.title, '/motions/' || mo.slug || '/communes/' || "
		"mc.commune_nis AS url FROM event e JOIN motion_commune mc ON mc.id = "
		"e.motion_commune_id JOIN motion mo ON mo.id = mc.motion_id WHERE mc.commune_nis = ?1 "
		"AND mo.deleted = 0 AND " AUTH_SEES_SQL("mo.visibility", "mo.body_id") " UNION ALL "
		"SELECT e.date, e.kind, e.note, l.title, '/letters/' || l.id FROM event e JOIN letter l "
		"ON l.id = e.letter_id JOIN letter_commune lc ON lc.letter_id = l.id WHERE "
		"lc.commune_nis = ?1 AND l.deleted = 0 AND " AUTH_SEES_SQL("l.visibility", "l.body_id")
		" ORDER BY 1 DESC LIMIT 50", "iiiii", nis, (long long)req->user.role, req->user.org_id,
		(long long)req->user.role, req->user.org_id), *r;
	size_t i;
	view_dates_fr(rows, "date", "date_fr");
	json_array_foreach(rows, i, r)
		json_object_set_new(r, "kind_label", json_string(vocab_label(&vocab_event_kinds,
			json_string_value(json_object_get(r, "kind")))));
	return rows ? rows : json_array();
}

/* GET /communes/:nis — a commune, its arrondissement and its territory, the
 * motions there, the letters concerning it, their timeline, and the
 * meetings of its local coordination. */
int page_commune(struct req *req, struct resp *resp)
{
	long long nis = atoll(req_param(req, "nis"));
	json_t *c = db_row("SELECT c.nis, c.name, c.arrondissement, t.name AS territory, "
			   "coalesce(c.territory_id, 0) AS territory_id FROM commune c LEFT JOIN "
			   "territory t ON t.id = c.territory_id WHERE c.nis = ?", "i", nis);
	if (!c)
		return 404;
	json_t *others = db_rows("SELECT nis, name FROM commune WHERE territory_id = "
				 "(SELECT territory_id FROM commune WHERE nis = ?) AND nis <> ? "
				 "ORDER BY name", "ii", nis, nis);
	json_t *coord = db_row("SELECT b.id, b.slug, b.name FROM body b JOIN commune c "
			       "ON c.territory_id = b.territory_id WHERE c.nis = ? AND "
			       "b.kind = 'local_coordination' LIMIT 1", "i", nis);
	json_t *d = page_data(req, json_string_value(json_object_get(c, "name")));
	if (coord) {
		json_object_set_new(d, "meetings", page_meeting_rows(
			req, json_integer_value(json_object_get(coord, "id")), 20, 0));
		json_object_set_new(d, "coordination", coord);
	}
	json_object_set_new(d, "motions", page_motion_states(req, nis));
	struct interp_filter f = {.commune = nis};
	json_t *letters = interp_letters(&f, req->user.role, req->user.org_id, 100, 0);
	json_object_set_new(d, "letters", letters ? letters : json_array());
	json_object_set_new(d, "timeline", timeline(req, nis));
	json_object_set_new(d, "commune", c);
	json_object_set_new(d, "neighbours", others ? others : json_array());
	if (req->user.role >= ROLE_COORDINATOR) {
		json_t *ts = db_rows("SELECT id, name, id = ? AS selected FROM territory ORDER BY name",
				     "i", db_num(c, "territory_id"));
		json_object_set_new(d, "territories", ts ? ts : json_array());
	}
	return page_render(req, resp, 200, "commune", d);
}

/* POST /communes/:nis (territory, _csrf) — changes the reception office a
 * commune belongs to (0: none), audited. */
int page_commune_update(struct req *req, struct resp *resp)
{
	long long nis = atoll(req_param(req, "nis"));
	const char *t = req_form(req, "territory");
	long long territory = t && text_is_digits(t) && strlen(t) < 12 ? atoll(t) : -1;
	long long was = db_int(-1, "SELECT coalesce(territory_id, 0) FROM commune WHERE nis = ?", "i",
			       nis);
	if (was < 0)
		return 404;
	if (territory < 0 ||
	    (territory && !db_int(0, "SELECT 1 FROM territory WHERE id = ?", "i", territory)))
		return page_error(req, resp, 422, "Choisissez un bureau d'accueil de la liste.");
	char before[24], after[24];
	snprintf(before, sizeof(before), "%lld", was);
	snprintf(after, sizeof(after), "%lld", territory);
	if (db_begin() < 0)
		return 503;
	if (db_exec("UPDATE commune SET territory_id = nullif(?, 0), modified = " DB_NOW
		    " WHERE nis = ?", "ii", territory, nis) != 1 ||
	    db_audit(req->user.id, "territory", "commune", nis, before, after) < 0 ||
	    db_commit() < 0) {
		db_rollback();
		return 500;
	}
	return resp_redirect(req, resp, 303, arena_printf(&req->arena, "/communes/%lld", nis));
}
