/* page_search.c — /search and /search.json: the search of search.c with
 * the reader's rights, its filters as a form, facets, pages and, when
 * nothing is found, the filters one could drop. */
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "page.h"
#include "search.h"

/* The query parameters a search keeps from page to page. */
static const char *const keys[] = {"q", "kind", "body", "commune", "territory", "year", "from",
				   "to"};
#define NKEYS (sizeof(keys) / sizeof(keys[0]))

/* The filters' French names, for the suggestions (keys[1..]). */
static const char *const filter_names[] = {"type", "instance", "commune", "bureau d'accueil",
					   "année", "depuis", "jusqu'au"};

/* Runs the request's search; sets *status to 400 with err for a bad filter.
 * Returns the result, or NULL on a database error. */
static json_t *run(struct req *req, int *status, struct buf *err)
{
	struct search_form f = {req_query(req, "q"),	   req_query(req, "kind"),
				req_query(req, "body"),	   req_query(req, "commune"),
				req_query(req, "territory"), req_query(req, "year"),
				req_query(req, "from"),	   req_query(req, "to")};
	struct search_query sq = {.page = page_number(req), .role = req->user.role,
				  .org_id = req->user.org_id};
	*status = 200;
	if (search_prepare(&sq, &f, err) < 0) {
		*status = 400;
		sq.q = ""; /* nothing is searched with a filter that names nothing */
	}
	json_t *res = search_run(&sq);
	if (res) {
		json_object_set_new(res, "q", json_string(f.q ? f.q : ""));
		json_object_del(res, "expression");
	}
	return res;
}

/* Returns links that each drop one of the filters in use. */
static json_t *suggestions(struct req *req)
{
	json_t *out = json_array();
	for (size_t k = 1; k < NKEYS; k++) {
		const char *v = req_query(req, keys[k]);
		if (!v || !*v)
			continue;
		struct buf q = {0};
		page_query_string(req, keys, NKEYS, keys[k], &q);
		json_array_append_new(out, json_pack("{s:s, s:s, s:s}", "query", buf_str(&q),
						     "filter", filter_names[k - 1], "value", v));
		buf_free(&q);
	}
	return out;
}

/* Adds the filters' choices to d, the request's ones selected. */
static void choices(struct req *req, json_t *d)
{
	json_object_set_new(d, "kinds", page_mark_selected(search_kinds(), req_query(req, "kind")));
	page_place_choices(req, d);
	json_object_set_new(d, "communes", page_mark_selected(db_rows(
		"SELECT CAST(nis AS TEXT) AS value, name AS label FROM commune ORDER BY name", NULL),
		req_query(req, "commune")));
	/* the years, newest first: one index seek per year, not a scan */
	json_object_set_new(d, "years", page_mark_selected(db_rows(
		"WITH RECURSIVE y(year) AS (SELECT substr(max(date), 1, 4) FROM doc UNION ALL "
		"SELECT (SELECT substr(max(date), 1, 4) FROM doc WHERE date < y.year) FROM y "
		"WHERE y.year IS NOT NULL) SELECT year AS value, year AS label FROM y "
		"WHERE year IS NOT NULL", NULL), req_query(req, "year")));
}

/* GET /search?q=… — the search page. */
int page_search(struct req *req, struct resp *resp)
{
	int status;
	struct buf err = {0}, query = {0}, facet_query = {0};
	json_t *res = run(req, &status, &err);
	if (!res) {
		buf_free(&err);
		return 500;
	}
	json_t *d = page_data(req, "Recherche");
	json_object_update(d, res);
	json_decref(res);
	json_object_del(d, "page"); /* a result without a page (a PDF's) must not show the pager's */
	if (err.len)
		json_object_set_new(d, "error", json_string(buf_str(&err)));
	json_object_set_new(d, "searched", json_boolean(!json_is_true(json_object_get(d, "empty"))));
	long long total = json_integer_value(json_object_get(d, "total"));
	json_object_set_new(d, "total_label", json_sprintf("%lld résultat%s", total,
							   total > 1 ? "s" : ""));
	page_query_string(req, keys, NKEYS, NULL, &query);
	page_query_string(req, keys, NKEYS, "kind", &facet_query);
	json_object_set_new(d, "query", json_string(buf_str(&query)));
	json_object_set_new(d, "facet_query", json_string(buf_str(&facet_query)));
	json_t *sugg = total == 0 ? suggestions(req) : json_array();
	json_object_set_new(d, "has_suggestions", json_boolean(json_array_size(sugg) > 0));
	json_object_set_new(d, "suggestions", sugg);
	json_object_set_new(d, "has_results", json_boolean(json_array_size(json_object_get(d, "results")) > 0));
	json_object_set_new(d, "has_facets", json_boolean(json_array_size(json_object_get(d, "facets")) > 0));
	const char *kind = req_query(req, "kind");
	json_object_set_new(d, "kind_chosen", json_boolean(kind && *kind));
	choices(req, d);
	page_pager(d, page_number(req), json_is_true(json_object_get(d, "more")));
	buf_free(&err);
	buf_free(&query);
	buf_free(&facet_query);
	return page_render(req, resp, status, "search", d);
}

/* GET /search.json?q=… — the same, as JSON. */
int page_search_json(struct req *req, struct resp *resp)
{
	int status;
	struct buf err = {0};
	json_t *res = run(req, &status, &err);
	if (!res) {
		buf_free(&err);
		return 500;
	}
	if (err.len)
		json_object_set_new(res, "error", json_string(buf_str(&err)));
	buf_free(&err);
	return page_json(resp, status, res);
}
