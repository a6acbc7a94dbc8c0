/* page_letter.c — letters (open letters, cartes blanches, memos…): the
 * list, one letter with its timeline, the coordinators' forms, and the
 * board's history of interpellations with its chart, CSV and Atom feed.
 * Everything goes through the visibility rule of auth.c. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "check.h"
#include "csv.h"
#include "db.h"
#include "feed.h"
#include "interp.h"
#include "meeting.h"
#include "notify.h"
#include "page.h"
#include "svg.h"
#include "text.h"
#include "view.h"

#define LETTERS_PER_PAGE 50
#define EXPORT_MAX 100000 /* letters in one CSV or feed, far above the network's */

static const char *const filter_keys[] = {"year", "level", "kind", "status", "commune", "signer"};

/* Reads the list filters of the request's query. */
static struct interp_filter read_filter(struct req *req)
{
	const char *commune = req_query(req, "commune");
	return (struct interp_filter){
		.year = req_query(req, "year"), .level = req_query(req, "level"),
		.kind = req_query(req, "kind"), .status = req_query(req, "status"),
		.signer = req_query(req, "signer"),
		.commune = commune && text_is_digits(commune) && strlen(commune) == 5 ? atoll(commune) : 0};
}

/* Adds the choices of the filter form to d, the request's selected. */
static void filter_choices(struct req *req, json_t *d, const struct interp_filter *f)
{
	char nis[24];
	snprintf(nis, sizeof(nis), "%lld", f->commune);
	long long role = req->user.role, org = req->user.org_id;
	json_object_set_new(d, "years", page_mark_selected(db_rows(
		"SELECT DISTINCT substr(l.date, 1, 4) AS value, substr(l.date, 1, 4) AS label FROM "
		"letter l WHERE l.deleted = 0 AND " AUTH_SEES_SQL("l.visibility", "l.body_id")
		" ORDER BY 1 DESC", "ii", role, org), f->year));
	json_object_set_new(d, "levels", page_choices(&vocab_levels, f->level));
	json_object_set_new(d, "kinds", page_choices(&vocab_letter_kinds, f->kind));
	json_object_set_new(d, "statuses", page_choices(&vocab_letter_statuses, f->status));
	json_object_set_new(d, "communes", page_mark_selected(db_rows(
		"SELECT CAST(nis AS TEXT) AS value, name AS label FROM commune ORDER BY name", NULL), nis));
	json_object_set_new(d, "signers", page_mark_selected(db_rows(
		"SELECT DISTINCT o.slug AS value, o.name AS label FROM letter_signer s JOIN organisation o "
		"ON o.id = s.organisation_id JOIN letter l ON l.id = s.letter_id WHERE l.deleted = 0 AND "
		AUTH_SEES_SQL("l.visibility", "l.body_id") " ORDER BY o.name COLLATE NOCASE", "ii", role,
		org), f->signer));
	struct buf q = {0};
	json_object_set_new(d, "filter_action", json_string(req->path));
	page_query_string(req, filter_keys, 6, NULL, &q);
	json_object_set_new(d, "query", json_string(buf_str(&q)));
	buf_free(&q);
}

/* Returns the letters of the request's filters, one page (NULL on error). */
static json_t *letters_of(struct req *req, const struct interp_filter *f, long page, bool *more)
{
	json_t *rows = interp_letters(f, req->user.role, req->user.org_id, LETTERS_PER_PAGE + 1,
				      (page - 1) * LETTERS_PER_PAGE);
	*more = page_trim(rows, LETTERS_PER_PAGE);
	return rows;
}

/* GET /letters?year=&level=&kind=&status=&commune=&signer=&page= — the
 * letters one may read, newest first. */
int page_letters(struct req *req, struct resp *resp)
{
	struct interp_filter f = read_filter(req);
	long page = page_number(req);
	bool more;
	json_t *rows = letters_of(req, &f, page, &more);
	if (!rows)
		return 500;
	json_t *d = page_data(req, page_term("letters"));
	json_object_set_new(d, "letters", rows);
	filter_choices(req, d, &f);
	page_pager(d, page, more);
	return page_render(req, resp, 200, "letters", d);
}

/* Returns the chart of counts per year and level, as SVG markup. */
static json_t *counts_chart(json_t *counts)
{
	size_t n = json_array_size(counts), i;
	struct svg_bar *bars = calloc(n ? n : 1, sizeof(*bars));
	if (!bars)
		abort();
	json_t *r;
	json_array_foreach(counts, i, r)
		bars[i] = (struct svg_bar){json_string_value(json_object_get(r, "year")),
					   json_string_value(json_object_get(r, "level_label")),
					   json_integer_value(json_object_get(r, "count"))};
	struct buf svg = {0};
	svg_bar_chart(&svg, bars, n, "Nombre d'interpellations par année et par niveau de pouvoir");
	free(bars);
	json_t *s = json_string(buf_str(&svg));
	buf_free(&svg);
	return s;
}

/* Returns the map of the number of letters concerning each commune. */
static json_t *letters_map(const struct interp_filter *f, int role, long long org_id)
{
	json_t *communes = interp_letter_communes(f, role, org_id), *c;
	size_t n = json_array_size(communes), i;
	struct svg_tile *tiles = calloc(n ? n : 1, sizeof(*tiles));
	char (*values)[48] = calloc(n ? n : 1, sizeof(*values));
	char (*hrefs)[48] = calloc(n ? n : 1, sizeof(*hrefs));
	if (!tiles || !values || !hrefs)
		abort();
	json_array_foreach(communes, i, c) {
		long long count = json_integer_value(json_object_get(c, "count"));
		long long nis = json_integer_value(json_object_get(c, "nis"));
		snprintf(values[i], sizeof(values[i]), count ? "%lld interpellation%s" : "aucune",
			 count, count > 1 ? "s" : "");
		snprintf(hrefs[i], sizeof(hrefs[i]), "/communes/%lld", nis);
		tiles[i] = (struct svg_tile){nis, json_string_value(json_object_get(c, "name")),
					     values[i], hrefs[i],
					     count == 0 ? 0 : count == 1 ? 2 : count < 4 ? 4 : 7, false};
	}
	struct buf svg = {0};
	svg_commune_map(&svg, tiles, n, "Interpellations concernant chaque commune");
	json_t *s = json_string(buf_str(&svg));
	buf_free(&svg);
	free(tiles);
	free(values);
	free(hrefs);
	json_decref(communes);
	return s;
}

/* GET /interpellations?year=&level=&kind=&status=&commune=&signer=&page= —
 * the board's history: the letters, counts per year and level, the map of
 * communes concerned, and links to the CSV and the feed. */
int page_interpellations(struct req *req, struct resp *resp)
{
	struct interp_filter f = read_filter(req);
	long page = page_number(req);
	bool more;
	json_t *rows = letters_of(req, &f, page, &more);
	if (!rows)
		return 500;
	json_t *d = page_data(req, page_term("interpellations"));
	json_t *counts = interp_letter_counts(&f, req->user.role, req->user.org_id);
	json_object_set_new(d, "chart_svg", counts_chart(counts));
	json_object_set_new(d, "has_counts", json_boolean(json_array_size(counts) > 0));
	json_decref(counts);
	json_object_set_new(d, "map_svg", letters_map(&f, req->user.role, req->user.org_id));
	json_object_set_new(d, "letters", rows);
	json_object_set_new(d, "motions", db_rows(
		"SELECT mo.slug, mo.title FROM motion mo WHERE mo.deleted = 0 AND "
		AUTH_SEES_SQL("mo.visibility", "mo.body_id") " ORDER BY mo.title", "ii",
		(long long)req->user.role, req->user.org_id));
	filter_choices(req, d, &f);
	page_pager(d, page, more);
	return page_render(req, resp, 200, "interpellations", d);
}

/* Appends an ISO date as a Belgian spreadsheet reads it (JJ/MM/AAAA);
 * anything else as it is. */
static void csv_date(struct buf *out, const char *iso, bool spreadsheet)
{
	if (iso && strlen(iso) >= 10 && text_is_date(iso))
		buf_printf(out, "%.2s/%.2s/%.4s", iso + 8, iso + 5, iso);
	else
		csv_put(out, iso ? iso : "", spreadsheet);
}

/* GET /interpellations.csv?…&sep= — the filtered letters as CSV (UTF-8
 * with a BOM, CRLF), separated by semicolons as a French-speaking
 * spreadsheet expects (sep=comma for commas), dates JJ/MM/AAAA, absolute
 * addresses, every cell safe to open in a spreadsheet. */
int page_interpellations_csv(struct req *req, struct resp *resp)
{
	struct interp_filter f = read_filter(req);
	const char *sep_name = req_query(req, "sep");
	char sep = sep_name && strcmp(sep_name, "comma") == 0 ? ',' : ';';
	json_t *rows = interp_letters(&f, req->user.role, req->user.org_id, EXPORT_MAX, 0), *r;
	if (!rows)
		return 500;
	static const struct {
		const char *key, *title;
		bool date;
	} cols[] = {
		{"date", "date", true}, {"title", "titre", false}, {"kind_label", "type", false},
		{"level_label", "niveau", false}, {"status_label", "état", false},
		{"addressees", "destinataires", false}, {"signers", "cosignataires", false},
		{"communes", "communes", false}, {"body", "instance", false},
		{"link", "publication", false}, {"next_followup", "prochaine relance", true},
		{"last_date", "dernière étape", true}, {"last_note", "note de la dernière étape", false}};
	struct buf *out = &resp->body;
	buf_reset(out);
	buf_puts(out, "\xEF\xBB\xBF");
	for (size_t c = 0; c < sizeof(cols) / sizeof(cols[0]); c++) {
		buf_puts(out, cols[c].title);
		buf_putc(out, sep);
	}
	buf_puts(out, "adresse\r\n");
	size_t i;
	json_array_foreach(rows, i, r) {
		for (size_t c = 0; c < sizeof(cols) / sizeof(cols[0]); c++) {
			const char *v = json_string_value(json_object_get(r, cols[c].key));
			if (cols[c].date)
				csv_date(out, v, true);
			else
				csv_put(out, v ? v : "", true);
			buf_putc(out, sep);
		}
		buf_printf(out, "%s/letters/%lld\r\n", notify_site,
			   (long long)json_integer_value(json_object_get(r, "id")));
	}
	json_decref(rows);
	resp->content_type = "text/csv; charset=utf-8";
	resp_header(resp, "Content-Disposition", "attachment; filename=\"interpellations.csv\"");
	return 200;
}

/* GET /feeds/interpellations.atom?… — the filtered public letters as an
 * Atom feed (the 50 newest): a feed is read by programs without a session,
 * and shared, so it holds what anyone may read, whoever asks. */
int page_interpellations_atom(struct req *req, struct resp *resp)
{
	struct interp_filter f = read_filter(req);
	json_t *rows = interp_letters(&f, ROLE_ANON, 0, 50, 0), *r;
	if (!rows)
		return 500;
	const char *updated = NULL;
	size_t i;
	json_array_foreach(rows, i, r) {
		const char *m = json_string_value(json_object_get(r, "modified"));
		if (!updated || strcmp(m, updated) > 0)
			updated = m;
	}
	struct buf *out = &resp->body;
	buf_reset(out);
	feed_begin(out, "Interpellations du réseau",
		   arena_printf(&req->arena, "%s/feeds/interpellations.atom", notify_site),
		   arena_printf(&req->arena, "%s/interpellations", notify_site),
		   updated ? updated : "2000-01-01T00:00:00Z");
	json_array_foreach(rows, i, r) {
		const char *url = arena_printf(&req->arena, "%s/letters/%lld", notify_site,
				(long long)json_integer_value(json_object_get(r, "id")));
		const char *title = arena_printf(&req->arena, "%s — %s, %s",
				json_string_value(json_object_get(r, "title")),
				json_string_value(json_object_get(r, "kind_label")),
				json_string_value(json_object_get(r, "date_fr")));
		feed_entry(out, url, title, json_string_value(json_object_get(r, "modified")),
			   json_string_value(json_object_get(r, "text_html")));
	}
	feed_end(out);
	json_decref(rows);
	resp->content_type = "application/atom+xml; charset=utf-8";
	return 200;
}

/* Returns the letter of the request's :id if the reader may see it
 * (deleted ones only for coordinators), or NULL. */
static json_t *visible_letter(struct req *req)
{
	json_t *l = db_row("SELECT l.id, l.slug, l.title, l.kind, l.level, l.status, l.date, "
			   "l.addressees, coalesce(l.link, '') AS link, l.text_html, l.visibility, "
			   "coalesce(l.body_id, 0) AS body_id, b.name AS body, b.slug AS body_slug, "
			   "b.visibility AS body_visibility, "
			   "coalesce(l.next_followup, '') AS next_followup, l.deleted FROM letter l "
			   "LEFT JOIN body b ON b.id = l.body_id WHERE l.id = ?", "i",
			   atoll(req_param(req, "id")));
	struct user *u = &req->user;
	if (l && ((json_integer_value(json_object_get(l, "deleted")) && u->role < ROLE_COORDINATOR) ||
		  !auth_may_see(u, json_string_value(json_object_get(l, "visibility")),
				json_integer_value(json_object_get(l, "body_id"))))) {
		json_decref(l);
		return NULL; /* what one may not see does not exist */
	}
	if (l)
		interp_hide_inner_body(l, u->role);
	return l;
}

/* Renders one letter with its timeline; event (consumed, may be NULL) and
 * problems ([{field, message}], consumed, may be NULL) are the event
 * form's input and mistakes, shown again. */
static int letter_page(struct req *req, struct resp *resp, int status, json_t *event,
		       json_t *problems)
{
	json_t *l = visible_letter(req);
	if (!l) {
		json_decref(event);
		json_decref(problems);
		return 404;
	}
	long long id = json_integer_value(json_object_get(l, "id"));
	json_t *one = json_pack("[O]", l);
	view_dates_fr(one, "date", "date_fr");
	view_dates_fr(one, "next_followup", "next_followup_fr");
	json_decref(one);
	json_object_set_new(l, "kind_label", json_string(vocab_label(&vocab_letter_kinds,
								       db_str(l, "kind"))));
	json_object_set_new(l, "level_label", json_string(vocab_label(&vocab_levels,
									db_str(l, "level"))));
	json_object_set_new(l, "status_label", json_string(vocab_label(&vocab_letter_statuses,
									 db_str(l, "status"))));
	json_t *d = page_data(req, db_str(l, "title"));
	json_object_set_new(d, "signers", db_rows(
		"SELECT o.slug, o.name FROM letter_signer s JOIN organisation o ON o.id = "
		"s.organisation_id WHERE s.letter_id = ? ORDER BY o.name COLLATE NOCASE", "i", id));
	json_object_set_new(d, "communes", db_rows(
		"SELECT c.nis, c.name FROM letter_commune lc JOIN commune c ON c.nis = lc.commune_nis "
		"WHERE lc.letter_id = ? ORDER BY c.name", "i", id));
	json_t *events = db_rows("SELECT e.date, e.kind, e.note, " PAGE_LINKED_MEETING " FROM event e "
				 "LEFT JOIN meeting m ON m.id = e.meeting_id WHERE e.letter_id = ? "
				 "ORDER BY e.date DESC, e.id DESC", "i", id), *e;
	size_t i;
	page_linked_meetings(req, events);
	view_dates_fr(events, "date", "date_fr");
	json_array_foreach(events, i, e)
		json_object_set_new(e, "kind_label", json_string(vocab_label(&vocab_event_kinds,
			json_string_value(json_object_get(e, "kind")))));
	json_object_set_new(d, "events", events ? events : json_array());
	if (!event)
		event = json_pack("{s:s, s:s, s:s, s:s, s:I}", "date", "", "kind", "sent", "note", "",
				  "next_followup", "", "meeting_id", (json_int_t)0);
	if (req->user.role >= ROLE_COORDINATOR)
		json_object_set_new(d, "meeting_choices", meeting_choices(json_integer_value(
			json_object_get(event, "meeting_id"))));
	json_object_set_new(d, "event_kinds", page_choices(&vocab_event_kinds, json_string_value(
		json_object_get(event, "kind"))));
	json_object_set_new(d, "event", event);
	static const char *const targets[][2] = {{"date", "e-date"}, {"kind", "e-kind"},
						 {"note", "e-note"}, {"next_followup", "e-follow"},
						 {"meeting_id", "e-meeting"}, {NULL, NULL}};
	page_form_problems(d, problems, targets);
	json_object_set_new(d, "letter", l);
	page_files(req, d, "letter", id);
	return page_render(req, resp, status, "letter", d);
}

/* GET /letters/:id — one letter: what, to whom, with whom, its timeline. */
int page_letter(struct req *req, struct resp *resp)
{
	return letter_page(req, resp, 200, NULL, NULL);
}

/* POST /letters/:id/events (date, kind, note, next_followup, _csrf) — adds
 * a step to the letter's timeline. */
int page_letter_event(struct req *req, struct resp *resp)
{
	json_t *l = visible_letter(req);
	if (!l)
		return 404;
	struct event_in e = {.letter_id = json_integer_value(json_object_get(l, "id")),
			     .date = req_form(req, "date"), .kind = req_form(req, "kind"),
			     .note = req_form(req, "note"), .next_followup = req_form(req, "next_followup"),
			     .meeting_id = req_form_id(req, "meeting_id")};
	json_decref(l);
	struct check c = {0};
	interp_event_rules(&e, &c);
	if (c.n)
		return letter_page(req, resp, 422, json_pack("{s:s, s:s, s:s, s:s, s:I}", "date",
			e.date ? e.date : "", "kind", e.kind ? e.kind : "", "note", e.note ? e.note : "",
			"next_followup", e.next_followup ? e.next_followup : "", "meeting_id",
			(json_int_t)e.meeting_id), check_json(&c));
	if (interp_event_add(&e, req->user.id) < 0)
		return 500;
	return resp_redirect(req, resp, 303, arena_printf(&req->arena, "/letters/%lld", e.letter_id));
}

/* Renders the letter form over fields f (consumed) with its problems
 * ([{field, message}], consumed, may be NULL). */
static int letter_form(struct req *req, struct resp *resp, int status, long long id, json_t *f,
		       json_t *problems)
{
	const char *heading = id ? "Modifier la lettre" : "Nouvelle lettre";
	json_t *d = page_data(req, heading);
	json_object_set_new(d, "heading", json_string(heading));
	json_object_set_new(d, "action", json_string(id ? arena_printf(&req->arena, "/letters/%lld", id)
							: "/letters"));
	json_object_set_new(d, "kinds", page_choices(&vocab_letter_kinds, db_str(f, "kind")));
	json_object_set_new(d, "levels", page_choices(&vocab_levels, db_str(f, "level")));
	json_object_set_new(d, "statuses", page_choices(&vocab_letter_statuses, db_str(f, "status")));
	json_object_set_new(d, "visibilities", page_choices(&vocab_visibilities,
							    db_str(f, "visibility")));
	char *signers = json_dumps(json_object_get(f, "signers"), JSON_COMPACT);
	char *communes = json_dumps(json_object_get(f, "communes"), JSON_COMPACT);
	json_object_set_new(d, "organisations", db_rows(
		"SELECT id, name, id IN (SELECT value FROM json_each(?)) AS checked FROM organisation "
		"WHERE deleted = 0 OR checked ORDER BY name COLLATE NOCASE", "t", signers));
	json_object_set_new(d, "all_communes", db_rows(
		"SELECT nis, name, nis IN (SELECT value FROM json_each(?)) AS checked FROM commune "
		"ORDER BY name", "t", communes));
	free(signers);
	free(communes);
	json_object_set_new(d, "bodies", db_rows(
		"SELECT id, name, id = ? AS selected FROM body ORDER BY name COLLATE NOCASE", "i",
		(long long)json_integer_value(json_object_get(f, "body_id"))));
	page_form_problems(d, problems, NULL);
	json_object_set_new(d, "l", f);
	page_editor_help(d);
	return page_render(req, resp, status, "letter_form", d);
}

/* GET /letters/new — the form of a new letter. */
int page_letter_new(struct req *req, struct resp *resp)
{
	json_t *f = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:[], s:[]}",
			      "title", "", "date", "", "kind", "open_letter", "level", "commune",
			      "status", "draft", "visibility", "internal", "addressees", "", "link", "",
			      "next_followup", "", "text", "", "body_id", (json_int_t)0, "signers",
			      "communes");
	return letter_form(req, resp, 200, 0, f, NULL);
}

/* Reads the integers of the repeated form field key into a JSON array. */
static json_t *form_ids(struct req *req, const char *key)
{
	json_t *ids = json_array();
	for (size_t i = 0; i < req->form.n; i++)
		if (strcmp(req->form.items[i].key, key) == 0 && text_is_digits(req->form.items[i].val))
			json_array_append_new(ids, json_integer(atoll(req->form.items[i].val)));
	return ids;
}

/* Checks and saves the letter form (id 0: a new one); redirects to the
 * letter, or shows the form again with the input and what is wrong. */
static int letter_submit(struct req *req, struct resp *resp, long long id)
{
	const char *body = req_form(req, "body_id");
	json_t *f = json_pack("{s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, s:I, "
			      "s:o, s:o}", "title", req_form(req, "title"), "date", req_form(req, "date"),
			      "kind", req_form(req, "kind"), "level", req_form(req, "level"), "status",
			      req_form(req, "status"), "visibility", req_form(req, "visibility"),
			      "addressees", req_form(req, "addressees"), "link", req_form(req, "link"),
			      "next_followup", req_form(req, "next_followup"), "text",
			      req_form(req, "text"), "body_id",
			      (json_int_t)(body && text_is_digits(body) ? atoll(body) : 0), "signers",
			      form_ids(req, "signers"), "communes", form_ids(req, "communes"));
	long long body_id = json_integer_value(json_object_get(f, "body_id"));
	if (body_id && !db_int(0, "SELECT 1 FROM body WHERE id = ?", "i", body_id))
		json_object_set_new(f, "body_id", json_integer(0));
	struct letter_in l = {
		.kind = db_str(f, "kind"), .level = db_str(f, "level"), .status = db_str(f, "status"),
		.visibility = db_str(f, "visibility"), .title = db_str(f, "title"),
		.date = db_str(f, "date"), .addressees = db_str(f, "addressees"),
		.link = db_str(f, "link"), .next_followup = db_str(f, "next_followup"),
		.text = db_str(f, "text"), .body_id = db_num(f, "body_id"),
		.signers = json_object_get(f, "signers"), .communes = json_object_get(f, "communes")};
	struct check c = {0};
	interp_letter_rules(&l, &c);
	if (c.n)
		return letter_form(req, resp, 422, id, f, check_json(&c));
	long long saved = interp_letter_save(id, &l, req->user.id);
	json_decref(f);
	if (saved < 0)
		return 500;
	return resp_redirect(req, resp, 303, arena_printf(&req->arena, "/letters/%lld", saved));
}

/* POST /letters (title, date, kind, level, status, visibility, addressees,
 * link, next_followup, body_id, signers…, communes…, text, _csrf). */
int page_letter_create(struct req *req, struct resp *resp)
{
	return letter_submit(req, resp, 0);
}

/* POST /letters/:id (the fields of page_letter_create) — updates it. */
int page_letter_update(struct req *req, struct resp *resp)
{
	long long id = atoll(req_param(req, "id"));
	if (!db_int(0, "SELECT 1 FROM letter WHERE id = ? AND deleted = 0", "i", id))
		return 404;
	return letter_submit(req, resp, id);
}

/* GET /letters/:id/edit — the form of an existing letter. */
int page_letter_edit(struct req *req, struct resp *resp)
{
	long long id = atoll(req_param(req, "id"));
	json_t *f = db_row("SELECT title, date, kind, level, status, visibility, addressees, "
			   "coalesce(link, '') AS link, coalesce(next_followup, '') AS next_followup, "
			   "text, coalesce(body_id, 0) AS body_id, (SELECT json_group_array("
			   "organisation_id) FROM letter_signer WHERE letter_id = ?1) AS signers, "
			   "(SELECT json_group_array(commune_nis) FROM letter_commune WHERE "
			   "letter_id = ?1) AS communes FROM letter WHERE id = ?1 AND deleted = 0", "i", id);
	if (!f)
		return 404;
	for (const char *const *k = (const char *const[]){"signers", "communes", NULL}; *k; k++)
		json_object_set_new(f, *k, json_loads(json_string_value(json_object_get(f, *k)), 0, NULL));
	return letter_form(req, resp, 200, id, f, NULL);
}

/* Sets the deleted flag of the request's letter, audited; redirects. */
static int set_deleted(struct req *req, struct resp *resp, bool deleted)
{
	long long id = atoll(req_param(req, "id"));
	if (db_begin() < 0)
		return 503;
	int changed = db_exec("UPDATE letter SET deleted = ?, modified = " DB_NOW
			      " WHERE id = ? AND deleted = ?", "iii", (long long)deleted, id,
			      (long long)!deleted);
	if (changed != 1 ||
	    db_audit(req->user.id, deleted ? "delete" : "undelete", "letter", id, NULL, NULL) < 0 ||
	    db_commit() < 0) {
		db_rollback();
		return changed == 0 ? 404 : 500;
	}
	return resp_redirect(req, resp, 303, deleted ? "/letters"
					   : arena_printf(&req->arena, "/letters/%lld", id));
}

/* POST /letters/:id/delete (_csrf) — soft-deletes a letter. */
int page_letter_delete(struct req *req, struct resp *resp)
{
	return set_deleted(req, resp, true);
}

/* POST /letters/:id/undelete (_csrf) — brings a deleted letter back. */
int page_letter_undelete(struct req *req, struct resp *resp)
{
	return set_deleted(req, resp, false);
}
