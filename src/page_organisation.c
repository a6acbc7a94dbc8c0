/* page_organisation.c — the partners of the network and their memberships. */
#include <stdbool.h>
#include <stdlib.h>

#include "auth.h"
#include "db.h"
#include "page.h"
#include "text.h"

#define ORGANISATIONS_PER_PAGE 100

/* GET /organisations?page=N — the partner organisations, 100 a page. */
int page_organisations(struct req *req, struct resp *resp)
{
	long page = page_number(req);
	json_t *rows = db_rows("SELECT o.slug, o.name, o.acronym, c.name AS commune, "
			       "(SELECT count(*) FROM membership m JOIN body b ON b.id = m.body_id "
			       "WHERE m.organisation_id = o.id AND (b.visibility <> 'internal' OR ?)) "
			       "AS bodies FROM organisation o LEFT JOIN commune c ON c.nis = o.commune_nis "
			       "ORDER BY o.name COLLATE NOCASE LIMIT ? OFFSET ?", "iii",
			       (long long)(req->user.role >= ROLE_BOARD),
			       (long long)ORGANISATIONS_PER_PAGE + 1,
			       (long long)(page - 1) * ORGANISATIONS_PER_PAGE);
	if (!rows)
		return 500;
	bool more = page_trim(rows, ORGANISATIONS_PER_PAGE);
	json_t *d = page_data(req, "Organisations");
	json_object_set_new(d, "count", json_integer(db_int(0, "SELECT count(*) FROM organisation",
							    NULL)));
	page_pager(d, page, more);
	json_object_set_new(d, "organisations", rows);
	return page_render(req, resp, 200, "organisations", d);
}

#define ORG_ACTIONS 50 /* open actions shown on an organisation's page */

/* GET /organisations/:slug — a partner, its description, its bodies and
 * its open actions (the first ORG_ACTIONS by due date). */
int page_organisation(struct req *req, struct resp *resp)
{
	json_t *o = db_row("SELECT o.id, o.slug, o.name, o.acronym, o.website, o.description_html, "
			   "c.name AS commune, c.nis FROM organisation o "
			   "LEFT JOIN commune c ON c.nis = o.commune_nis WHERE o.slug = ?", "t",
			   req_param(req, "slug"));
	if (!o)
		return 404;
	json_t *bodies = db_rows("SELECT b.slug, b.name, m.role = 'pilot' AS is_pilot FROM membership m "
				 "JOIN body b ON b.id = m.body_id WHERE m.organisation_id = ? "
				 "AND (b.visibility <> 'internal' OR ?) ORDER BY b.name", "ii",
				 json_integer_value(json_object_get(o, "id")),
				 (long long)(req->user.role >= ROLE_BOARD));
	json_t *actions = db_rows(
		"SELECT a.text, a.due, a.due < date('now') AS overdue, m.id AS meeting_id, "
		"m.title AS meeting FROM action a JOIN meeting m ON m.id = a.meeting_id "
		"WHERE a.owner_organisation_id = ? AND a.state = 'open' AND m.deleted = 0 AND "
		AUTH_SEES_SQL("m.visibility", "m.body_id") " ORDER BY a.due IS NULL, a.due, a.id "
		"LIMIT ?", "iiii", json_integer_value(json_object_get(o, "id")),
		(long long)req->user.role, req->user.org_id, (long long)ORG_ACTIONS + 1);
	json_t *d = page_data(req, json_string_value(json_object_get(o, "name")));
	if (json_array_size(actions) > ORG_ACTIONS) { /* the rest on /actions */
		json_array_remove(actions, ORG_ACTIONS);
		json_object_set_new(d, "more_actions", json_integer(ORG_ACTIONS));
	}
	json_object_set_new(d, "actions", actions ? actions : json_array());
	json_object_set_new(d, "organisation", o);
	json_object_set_new(d, "bodies", bodies ? bodies : json_array());
	return page_render(req, resp, 200, "organisation", d);
}
