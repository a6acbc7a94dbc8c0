/* page_body.c — the network's bodies (« instances »): platforms, working
 * groups, local coordinations and others. */
#include <string.h>

#include "auth.h"
#include "db.h"
#include "page.h"

/* The kinds of bodies, in the order the list shows them. */
static const struct {
	const char *kind, *label;
} kinds[] = {
	{"platform", "Plateformes provinciales"},
	{"working_group", "Groupes de travail"},
	{"local_coordination", "Coordinations locales"},
	{"other", "Autres instances"},
};

/* Returns the French label of a body status. */
static const char *status_label(const char *status)
{
	if (status && strcmp(status, "dormant") == 0)
		return "en veille";
	if (status && strcmp(status, "closed") == 0)
		return "clôturée";
	return NULL;
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

/* GET /bodies?kind=&territory=&status= — the bodies, by kind. Internal ones
 * only for the board and the staff. */
int page_bodies(struct req *req, struct resp *resp)
{
	const char *kind = req_query(req, "kind"), *status = req_query(req, "status");
	const char *territory = req_query(req, "territory");
	bool staff = req->user.role >= ROLE_BOARD;
	json_t *groups = json_array(), *filters = json_array();
	size_t total = 0;
	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		json_array_append_new(filters, json_pack("{s:s, s:s, s:b}", "kind", kinds[k].kind,
							 "label", kinds[k].label, "current",
							 kind && strcmp(kind, kinds[k].kind) == 0));
		if (kind && *kind && strcmp(kind, kinds[k].kind) != 0)
			continue;
		json_t *rows = db_rows(
			"SELECT b.slug, b.name, b.axis, b.status, t.name AS territory, "
			"o.name AS pilot FROM body b LEFT JOIN territory t ON t.id = b.territory_id "
			"LEFT JOIN organisation o ON o.id = b.pilot_id WHERE b.kind = ? "
			"AND (b.visibility <> 'internal' OR ?) AND (? IS NULL OR ? = '' OR b.status = ?) "
			"AND (? IS NULL OR ? = '' OR t.slug = ?) ORDER BY b.name COLLATE NOCASE", "titttttt",
			kinds[k].kind, (long long)staff, status, status, status, territory, territory,
			territory);
		if (!rows) {
			json_decref(groups);
			json_decref(filters);
			return 500;
		}
		total += json_array_size(rows);
		label_statuses(rows);
		if (json_array_size(rows))
			json_array_append_new(groups, json_pack("{s:s, s:s, s:o}", "kind", kinds[k].kind,
								"label", kinds[k].label, "bodies", rows));
		else
			json_decref(rows);
	}
	json_t *d = page_data(req, "Instances");
	json_object_set_new(d, "groups", groups);
	json_object_set_new(d, "filters", filters);
	json_object_set_new(d, "all_current", json_boolean(!kind || !*kind));
	json_object_set_new(d, "total", json_integer((json_int_t)total));
	return page_render(req, resp, 200, "bodies", d);
}

/* GET /bodies/:slug — a body: description, pilot, territory, members. */
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
	json_t *members = db_rows("SELECT o.slug, o.name, o.acronym, m.role = 'pilot' AS is_pilot, "
				  "m.role = 'guest' AS is_guest FROM membership m "
				  "JOIN organisation o ON o.id = m.organisation_id WHERE m.body_id = ? "
				  "AND (m.end_date IS NULL OR m.end_date >= date('now')) "
				  "ORDER BY o.name COLLATE NOCASE", "i", id);
	json_t *d = page_data(req, json_string_value(json_object_get(b, "name")));
	json_t *meetings = page_meeting_rows(req, id, 100, 0);
	json_object_set_new(d, "meetings", meetings ? meetings : json_array());
	json_object_set_new(d, "body", b);
	json_object_set_new(d, "members", members ? members : json_array());
	return page_render(req, resp, 200, "body", d);
}
