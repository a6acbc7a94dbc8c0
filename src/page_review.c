/* page_review.c — a body's bilan and perspectives of a year, the report's
 * own words for it: the coordinators' form with the text's history
 * (/bodies/:slug/reviews/:year). The body's page shows the current
 * version of each year. */
#include <stdio.h>
#include <string.h>

#include "auth.h"
#include "db.h"
#include "page.h"
#include "report.h"
#include "review.h"
#include "view.h"

/* Returns the body the path names ({id, slug, name}), or NULL. */
static json_t *body_of(struct req *req)
{
	return db_row("SELECT id, slug, name FROM body WHERE slug = ?", "t",
		      req_param(req, "slug"));
}

/* Renders the form of body's year over its texts (fields: bilan,
 * perspectives), with its problems (consumed, may be NULL) and history. */
static int review_form(struct req *req, struct resp *resp, int status, json_t *body, int year,
		       json_t *fields, json_t *problems)
{
	char title[400];
	snprintf(title, sizeof(title), "Bilan %d — %s", year, db_str(body, "name"));
	json_t *d = page_data(req, title);
	json_t *history = review_history(db_num(body, "id"), year);
	view_dates_fr(history, "created", "when");
	json_object_set_new(d, "history", history ? history : json_array());
	json_object_set_new(d, "year", json_integer(year));
	json_object_set_new(d, "body", body);
	json_object_set_new(d, "r", fields);
	page_form_problems(d, problems, NULL);
	page_editor_help(d);
	return page_render(req, resp, status, "review_form", d);
}

/* GET /bodies/:slug/reviews/:year — the form, filled with the current
 * version, and every earlier one below. */
int page_review_edit(struct req *req, struct resp *resp)
{
	json_t *body = body_of(req);
	int year = report_year(req_param(req, "year"));
	if (!body || !year) {
		json_decref(body);
		return 404;
	}
	json_t *now = review_current(db_num(body, "id"), year);
	json_t *fields = json_pack("{s:s, s:s}", "bilan", now ? db_str(now, "bilan") : "",
				   "perspectives", now ? db_str(now, "perspectives") : "");
	json_decref(now);
	return review_form(req, resp, 200, body, year, fields, NULL);
}

/* POST /bodies/:slug/reviews/:year (bilan, perspectives, _csrf) — saves a
 * new version when the texts changed; back to the body's page. */
int page_review_save(struct req *req, struct resp *resp)
{
	json_t *body = body_of(req);
	int year = report_year(req_param(req, "year"));
	if (!body || !year) {
		json_decref(body);
		return 404;
	}
	const char *bilan = req_form(req, "bilan"), *persp = req_form(req, "perspectives");
	struct check c = {0};
	review_rules(bilan, persp, &c);
	if (c.n)
		return review_form(req, resp, 422, body, year, json_pack("{s:s, s:s}", "bilan",
				   bilan ? bilan : "", "perspectives", persp ? persp : ""),
				   check_json(&c));
	int rc = review_save(db_num(body, "id"), year, bilan, persp, req->user.id);
	const char *to = arena_printf(&req->arena, "/bodies/%s#bilan-%d", db_str(body, "slug"),
				      year);
	json_decref(body);
	return rc < 0 ? 500 : resp_redirect(req, resp, 303, to);
}
