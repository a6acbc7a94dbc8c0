/* page_api.c — the read-only JSON API under /api/v1/, after OParl 1.1:
 * the network's bodies (organizations), partners, meetings, papers
 * (letters and motions), consultations (a motion in a commune) and
 * communes, and for the coordination the date polls. Every object has id (its URL), type, web (its page), created,
 * modified and deleted; lists come 100 a page with a next link and take
 * modified_since. Anonymous callers read public data; an API token reads
 * what its owner may read (the visibility rule of auth.c). */
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "db.h"
#include "file.h"
#include "interp.h"
#include "notify.h"
#include "page.h"
#include "poll.h"
#include "text.h"

#define API_PER_PAGE 100
/* The visibility condition of what every reader may read (it names the
 * reader's role ?2 and organisation ?3 that every list query binds). */
#define API_EVERYONE "(?2 IS NOT NULL AND ?3 IS NOT NULL)"

/* Returns a, or b when a is NULL. */
static const char *str_or(const char *a, const char *b)
{
	return a ? a : b;
}

/* Returns site + path (arena). */
static const char *url(struct req *req, const char *fmt, const char *a)
{
	return arena_printf(&req->arena, "%s%s%s", notify_site, fmt, a ? a : "");
}

/* Adds id, web, created, modified and deleted (from row) to o. */
static void common(json_t *o, json_t *row, const char *id, const char *web, const char *type)
{
	json_object_set_new(o, "id", json_string(id));
	json_object_set_new(o, "type", json_string(type));
	if (web)
		json_object_set_new(o, "web", json_string(web));
	json_object_set(o, "created", json_object_get(row, "created"));
	json_object_set(o, "modified", json_object_get(row, "modified"));
	json_object_set_new(o, "deleted", json_boolean(json_integer_value(json_object_get(row,
										       "deleted"))));
}

/* Copies the fields of row named in keys (NULL-terminated) into o, the
 * NULL ones left out. */
static void copy(json_t *o, json_t *row, const char *const *keys)
{
	for (; *keys; keys++) {
		json_t *v = json_object_get(row, *keys);
		if (v && !json_is_null(v))
			json_object_set(o, *keys, v);
	}
}

/* Returns {markdown, html} of row's columns md and html. */
static json_t *text_of(json_t *row, const char *md, const char *html)
{
	return json_pack("{s:O, s:O}", "markdown", json_object_get(row, md), "html",
			 json_object_get(row, html));
}

/* Reads ?modified_since= (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ) into out;
 * false when it is malformed. */
static bool modified_since(struct req *req, const char **out)
{
	const char *s = req_query(req, "modified_since");
	*out = "";
	if (!s || !*s)
		return true;
	size_t n = strlen(s);
	if (!text_is_date(s) || (n != 10 && (n != 20 || s[10] != 'T' || s[13] != ':' ||
					     s[16] != ':' || s[19] != 'Z')))
		return false;
	*out = s;
	return true;
}

/* The shape of a list endpoint: its query (binding ?1 modified_since, ?2
 * role, ?3 organisation, ?4 limit, ?5 offset) and how a row becomes an
 * object. */
struct api_list {
	const char *path;
	const char *sql;
	json_t *(*object)(struct req *req, json_t *row);
};

/* Answers a list: one page of objects and the link to the next. */
static int list(struct req *req, struct resp *resp, const struct api_list *l)
{
	const char *since;
	if (!modified_since(req, &since))
		return page_error(req, resp, 400, "modified_since attend AAAA-MM-JJ ou "
						  "AAAA-MM-JJTHH:MM:SSZ.");
	const char *p = req_query(req, "page");
	if (p && (!text_is_digits(p) || strlen(p) > 6 || atol(p) < 1))
		return page_error(req, resp, 400, "page attend un nombre entier positif.");
	long page = p ? atol(p) : 1;
	json_t *rows = db_rows(l->sql, "tiiii", since, (long long)req->user.role, req->user.org_id,
			       (long long)API_PER_PAGE + 1, (long long)(page - 1) * API_PER_PAGE);
	if (!rows)
		return 500;
	bool more = page_trim(rows, API_PER_PAGE);
	json_t *data = json_array(), *row;
	size_t i;
	json_array_foreach(rows, i, row)
		json_array_append_new(data, l->object(req, row));
	json_decref(rows);
	json_t *links = json_object();
	const char *sep = *since ? "&" : "";
	json_object_set_new(links, "self", json_string(arena_printf(
		&req->arena, "%s%s?page=%ld%s%s%s", notify_site, l->path, page, sep,
		*since ? "modified_since=" : "", since)));
	if (more)
		json_object_set_new(links, "next", json_string(arena_printf(
			&req->arena, "%s%s?page=%ld%s%s%s", notify_site, l->path, page + 1, sep,
			*since ? "modified_since=" : "", since)));
	return page_json(resp, 200, json_pack("{s:o, s:{s:i, s:i}, s:o}", "data", data, "pagination",
					      "page", (int)page, "perPage", API_PER_PAGE, "links",
					      links));
}

/* Answers one object, or 404 when the list query with ?6 finds nothing. */
static int one(struct req *req, struct resp *resp, const char *sql, const char *key,
	       json_t *(*object)(struct req *req, json_t *row))
{
	json_t *rows = db_rows(sql, "tiiiit", "", (long long)req->user.role, req->user.org_id, 1LL,
			       0LL, key);
	json_t *row = json_array_get(rows, 0);
	int rc = row ? page_json(resp, 200, object(req, row)) : 404;
	json_decref(rows);
	return rc;
}

/* ---- files: the documents of meetings, papers and bodies ---- */

#define FILE_SQL                                                                            \
	"SELECT f.id, f.name, f.mime, f.created, f.modified, f.deleted OR s.record_deleted AS " \
	"deleted, b.size, b.sha512 FROM file f JOIN blob b ON b.id = f.blob_id JOIN file_scope " \
	"s ON s.file_id = f.id WHERE f.modified >= ?1 AND f.replaced_by IS NULL AND "           \
	AUTH_SEES_SQL("s.visibility", "s.body_id")

/* Returns a document as an OParl File. */
static json_t *file_object(struct req *req, json_t *row)
{
	char id[24];
	snprintf(id, sizeof(id), "%lld", db_num(row, "id"));
	struct buf at = {0};
	file_url(&at, db_num(row, "id"), db_str(row, "name"));
	const char *access = url(req, buf_str(&at), NULL);
	buf_free(&at);
	json_t *o = json_object();
	bool deleted = db_num(row, "deleted");
	common(o, row, url(req, "/api/v1/files/", id), deleted ? NULL : url(req, "/files/", id),
	       "https://schema.oparl.org/1.1/File");
	if (deleted)
		return o;
	const char *created = db_str(row, "created");
	json_object_set(o, "name", json_object_get(row, "name"));
	json_object_set(o, "fileName", json_object_get(row, "name"));
	json_object_set(o, "mimeType", json_object_get(row, "mime"));
	json_object_set(o, "size", json_object_get(row, "size"));
	if (*db_str(row, "sha512"))
		json_object_set(o, "sha512Checksum", json_object_get(row, "sha512"));
	json_object_set_new(o, "accessUrl", json_string(access));
	json_object_set_new(o, "downloadUrl", json_string(arena_printf(&req->arena, "%s?download=1",
									access)));
	json_object_set_new(o, "date", json_stringn(created, strlen(created) < 10 ? strlen(created) : 10));
	return o;
}

/* Returns the current documents of record id of kind as OParl Files (the
 * record is one the reader may read; its files follow it). */
static json_t *files_of(struct req *req, const char *kind, long long id)
{
	json_t *rows = db_rows("SELECT f.id, f.name, f.mime, f.created, f.modified, 0 AS deleted, "
			       "b.size, b.sha512 FROM file_scope s JOIN file f ON f.id = s.file_id "
			       "JOIN blob b ON b.id = f.blob_id WHERE s.kind = ? AND s.record_id = ? "
			       "AND f.replaced_by IS NULL AND f.deleted = 0 ORDER BY f.id", "ti", kind,
			       id), *r;
	json_t *a = json_array();
	size_t i;
	json_array_foreach(rows, i, r)
		json_array_append_new(a, file_object(req, r));
	json_decref(rows);
	return a;
}

/* GET /api/v1/files/:id — one document, under its record's visibility. */
int page_api_file(struct req *req, struct resp *resp)
{
	return one(req, resp, FILE_SQL " AND f.id = ?6 AND CAST(f.id AS TEXT) = ?6 "
		   "LIMIT ?4 OFFSET ?5",
		   req_param(req, "id"), file_object);
}

/* ---- organizations: the network's bodies ---- */

#define BODY_SQL                                                                           \
	"SELECT b.id, b.slug, b.name, b.kind, b.axis, b.status, b.description, "             \
	"b.description_html, t.name AS territory, o.slug AS pilot, b.created, b.modified, "   \
	"0 AS deleted FROM body b LEFT JOIN territory t ON t.id = b.territory_id LEFT JOIN "  \
	"organisation o ON o.id = b.pilot_id WHERE b.modified >= ?1 AND (b.visibility <> "    \
	"'internal' OR ?2 >= 2) AND " API_EVERYONE

/* Returns a body as an OParl Organization. */
static json_t *body_object(struct req *req, json_t *row)
{
	const char *slug = json_string_value(json_object_get(row, "slug"));
	const char *kind = json_string_value(json_object_get(row, "kind"));
	json_t *o = json_object();
	common(o, row, url(req, "/api/v1/organizations/", slug), url(req, "/bodies/", slug),
	       "https://schema.oparl.org/1.1/Organization");
	copy(o, row, (const char *const[]){"name", "axis", "status", "territory", NULL});
	json_object_set_new(o, "classification", json_string(str_or(vocab_label(&vocab_body_kinds, kind),
								     kind)));
	json_object_set_new(o, "description", text_of(row, "description", "description_html"));
	const char *pilot = json_string_value(json_object_get(row, "pilot"));
	if (pilot)
		json_object_set_new(o, "pilot", json_string(url(req, "/api/v1/partners/", pilot)));
	json_object_set_new(o, "auxiliaryFile", files_of(req, "body", db_num(row, "id")));
	return o;
}

/* GET /api/v1/organizations — the bodies one may read. */
int page_api_organizations(struct req *req, struct resp *resp)
{
	static const struct api_list l = {"/api/v1/organizations",
					  BODY_SQL " ORDER BY b.id LIMIT ?4 OFFSET ?5", body_object};
	return list(req, resp, &l);
}

/* GET /api/v1/organizations/:slug — one body. */
int page_api_organization(struct req *req, struct resp *resp)
{
	return one(req, resp, BODY_SQL " AND b.slug = ?6 LIMIT ?4 OFFSET ?5", req_param(req, "slug"),
		   body_object);
}

/* ---- partners: the organisations of the network ---- */

#define PARTNER_SQL                                                                        \
	"SELECT o.id, o.slug, o.name, o.acronym, o.kind, o.website, o.commune_nis, "          \
	"o.description, o.description_html, o.created, o.modified, o.deleted FROM "           \
	"organisation o WHERE o.modified >= ?1 AND " API_EVERYONE

/* Returns an organisation of the network as a Partner. */
static json_t *partner_object(struct req *req, json_t *row)
{
	const char *slug = json_string_value(json_object_get(row, "slug"));
	json_t *o = json_object();
	common(o, row, url(req, "/api/v1/partners/", slug), url(req, "/organisations/", slug),
	       "Partner");
	if (db_num(row, "deleted"))
		return o; /* a removed organisation says only that it is */
	copy(o, row, (const char *const[]){"name", "acronym", "kind", "website", NULL});
	json_object_set_new(o, "description", text_of(row, "description", "description_html"));
	long long nis = json_integer_value(json_object_get(row, "commune_nis"));
	if (nis)
		json_object_set_new(o, "commune", json_string(arena_printf(
			&req->arena, "%s/api/v1/communes/%lld", notify_site, nis)));
	return o;
}

/* GET /api/v1/partners — the network's organisations. */
int page_api_partners(struct req *req, struct resp *resp)
{
	static const struct api_list l = {"/api/v1/partners",
					  PARTNER_SQL " ORDER BY o.id LIMIT ?4 OFFSET ?5", partner_object};
	return list(req, resp, &l);
}

/* GET /api/v1/partners/:slug — one organisation. */
int page_api_partner(struct req *req, struct resp *resp)
{
	return one(req, resp, PARTNER_SQL " AND o.slug = ?6 LIMIT ?4 OFFSET ?5",
		   req_param(req, "slug"), partner_object);
}

/* ---- meetings ---- */

#define MEETING_SQL                                                                        \
	"SELECT m.id, m.title AS name, m.start, m.end, m.place AS location, m.video, m.format, " \
	"m.status, m.visibility, m.agenda, m.agenda_html, m.minutes, m.minutes_html, "         \
	"b.slug AS body, b.visibility AS body_visibility, m.created, m.modified, m.deleted "    \
	"FROM meeting m JOIN body b ON "                                                        \
	"b.id = m.body_id WHERE m.modified >= ?1 AND " AUTH_SEES_SQL("m.visibility", "m.body_id")

/* Returns a meeting; a deleted one says only that it is. */
static json_t *meeting_object(struct req *req, json_t *row)
{
	char id[24];
	snprintf(id, sizeof(id), "%lld", (long long)json_integer_value(json_object_get(row, "id")));
	json_t *o = json_object();
	bool deleted = json_integer_value(json_object_get(row, "deleted"));
	common(o, row, url(req, "/api/v1/meetings/", id),
	       deleted ? NULL : url(req, "/meetings/", id), "https://schema.oparl.org/1.1/Meeting");
	if (deleted)
		return o;
	copy(o, row, (const char *const[]){"name", "start", "end", "location", "video", "format",
					   "status", "visibility", NULL});
	/* an internal body is named only to those who may read it */
	if (strcmp(json_string_value(json_object_get(row, "body_visibility")), "internal") != 0 ||
	    req->user.role >= ROLE_BOARD)
		json_object_set_new(o, "organization", json_string(url(
			req, "/api/v1/organizations/", json_string_value(json_object_get(row, "body")))));
	json_object_set_new(o, "agenda", text_of(row, "agenda", "agenda_html"));
	json_object_set_new(o, "minutes", text_of(row, "minutes", "minutes_html"));
	json_object_set_new(o, "auxiliaryFile", files_of(req, "meeting", db_num(row, "id")));
	return o;
}

/* GET /api/v1/meetings — the meetings one may read. */
int page_api_meetings(struct req *req, struct resp *resp)
{
	static const struct api_list l = {"/api/v1/meetings",
					  MEETING_SQL " ORDER BY m.id LIMIT ?4 OFFSET ?5", meeting_object};
	return list(req, resp, &l);
}

/* GET /api/v1/meetings/:id — one meeting. */
int page_api_meeting(struct req *req, struct resp *resp)
{
	return one(req, resp, MEETING_SQL " AND CAST(m.id AS TEXT) = ?6 LIMIT ?4 OFFSET ?5",
		   req_param(req, "id"), meeting_object);
}

/* ---- papers: letters and motions ---- */

#define PAPER_SQL                                                                          \
	"SELECT * FROM (SELECT 'letter-' || l.id AS key, 'letter' AS what, l.id AS ref, "     \
	"l.title AS name, l.date, l.kind, l.level, l.status, l.addressees, l.text, "           \
	"l.text_html, l.link, l.visibility, l.body_id, l.created, l.modified, l.deleted FROM " \
	"letter l UNION ALL SELECT 'motion-' || mo.slug, 'motion', mo.id, mo.title, NULL, "    \
	"'motion', NULL, NULL, NULL, mo.text, mo.text_html, NULL, mo.visibility, mo.body_id, " \
	"mo.created, mo.modified, mo.deleted FROM motion mo) p WHERE p.modified >= ?1 AND "    \
	AUTH_SEES_SQL("p.visibility", "p.body_id")

/* Returns the URLs of the rows' column col under prefix (new reference). */
static json_t *urls(struct req *req, json_t *rows, const char *prefix, const char *col)
{
	json_t *a = json_array(), *r;
	size_t i;
	json_array_foreach(rows, i, r) {
		json_t *v = json_object_get(r, col);
		const char *s = json_is_string(v) ? json_string_value(v)
			: arena_printf(&req->arena, "%lld", (long long)json_integer_value(v));
		json_array_append_new(a, json_string(url(req, prefix, s)));
	}
	json_decref(rows);
	return a;
}

/* Returns events rows as {date, kind, state, note} objects. */
static json_t *events_of(json_t *rows)
{
	json_t *r;
	size_t i;
	json_array_foreach(rows, i, r)
		if (json_is_null(json_object_get(r, "state")))
			json_object_del(r, "state");
	return rows ? rows : json_array();
}

/* Returns a letter or a motion as an OParl Paper. */
static json_t *paper_object(struct req *req, json_t *row)
{
	const char *key = json_string_value(json_object_get(row, "key"));
	bool letter = strcmp(json_string_value(json_object_get(row, "what")), "letter") == 0;
	long long ref = json_integer_value(json_object_get(row, "ref"));
	json_t *o = json_object();
	bool deleted = json_integer_value(json_object_get(row, "deleted"));
	const char *web = letter ? arena_printf(&req->arena, "%s/letters/%lld", notify_site, ref)
				 : url(req, "/motions/", key + 7);
	common(o, row, url(req, "/api/v1/papers/", key), deleted ? NULL : web,
	       "https://schema.oparl.org/1.1/Paper");
	if (deleted)
		return o;
	const char *kind = json_string_value(json_object_get(row, "kind"));
	json_object_set_new(o, "paperType", json_string(letter ? str_or(vocab_label(
		&vocab_letter_kinds, kind), kind) : "motion"));
	copy(o, row, (const char *const[]){"name", "date", "level", "status", "addressees", "link",
					   NULL});
	json_object_set_new(o, "text", text_of(row, "text", "text_html"));
	json_object_set_new(o, "auxiliaryFile", files_of(req, letter ? "letter" : "motion", ref));
	if (letter) {
		json_object_set_new(o, "signers", urls(req, db_rows(
			"SELECT o.slug FROM letter_signer s JOIN organisation o ON o.id = "
			"s.organisation_id WHERE s.letter_id = ? ORDER BY o.slug", "i", ref),
			"/api/v1/partners/", "slug"));
		json_object_set_new(o, "communes", urls(req, db_rows(
			"SELECT commune_nis FROM letter_commune WHERE letter_id = ? ORDER BY 1", "i", ref),
			"/api/v1/communes/", "commune_nis"));
		json_object_set_new(o, "events", events_of(db_rows(
			"SELECT date, kind, state, note FROM event WHERE letter_id = ? ORDER BY date, id",
			"i", ref)));
	} else {
		json_object_set_new(o, "promoters", urls(req, db_rows(
			"SELECT o.slug FROM motion_promoter p JOIN organisation o ON o.id = "
			"p.organisation_id WHERE p.motion_id = ? ORDER BY o.slug", "i", ref),
			"/api/v1/partners/", "slug"));
		json_object_set_new(o, "consultations", urls(req, db_rows(
			"SELECT id FROM motion_commune WHERE motion_id = ? ORDER BY id", "i", ref),
			"/api/v1/consultations/", "id"));
	}
	return o;
}

/* GET /api/v1/papers — the letters and motions one may read. */
int page_api_papers(struct req *req, struct resp *resp)
{
	static const struct api_list l = {"/api/v1/papers",
					  PAPER_SQL " ORDER BY p.what, p.ref LIMIT ?4 OFFSET ?5",
					  paper_object};
	return list(req, resp, &l);
}

/* GET /api/v1/papers/:key — one letter (letter-ID) or motion (motion-SLUG). */
int page_api_paper(struct req *req, struct resp *resp)
{
	return one(req, resp, PAPER_SQL " AND p.key = ?6 LIMIT ?4 OFFSET ?5", req_param(req, "key"),
		   paper_object);
}

/* ---- consultations: a motion in a commune ---- */

#define CONSULTATION_SQL                                                                   \
	"SELECT mc.id, mo.slug AS motion, mc.commune_nis, mc.state, mc.next_step AS nextStep, " \
	"mc.next_followup AS nextFollowup, (SELECT max(e.date) FROM event e WHERE "           \
	"e.motion_commune_id = mc.id) AS lastActivity, mc.created, mc.modified, mo.deleted FROM motion_commune mc " \
	"JOIN motion mo ON mo.id = mc.motion_id WHERE mc.modified >= ?1 AND "                 \
	AUTH_SEES_SQL("mo.visibility", "mo.body_id")

/* Returns a motion in a commune, with its events. */
static json_t *consultation_object(struct req *req, json_t *row)
{
	long long id = json_integer_value(json_object_get(row, "id"));
	long long nis = json_integer_value(json_object_get(row, "commune_nis"));
	const char *motion = json_string_value(json_object_get(row, "motion"));
	const char *state = json_string_value(json_object_get(row, "state"));
	json_t *o = json_object();
	common(o, row, arena_printf(&req->arena, "%s/api/v1/consultations/%lld", notify_site, id),
	       arena_printf(&req->arena, "%s/motions/%s/communes/%lld", notify_site, motion, nis),
	       "https://schema.oparl.org/1.1/Consultation");
	json_object_set_new(o, "paper", json_string(arena_printf(
		&req->arena, "%s/api/v1/papers/motion-%s", notify_site, motion)));
	json_object_set_new(o, "commune", json_string(arena_printf(
		&req->arena, "%s/api/v1/communes/%lld", notify_site, nis)));
	json_object_set_new(o, "state", json_string(state));
	json_object_set_new(o, "stateLabel", json_string(str_or(vocab_label(&vocab_motion_states, state),
								 state)));
	copy(o, row, (const char *const[]){"nextStep", "nextFollowup", "lastActivity", NULL});
	json_object_set_new(o, "events", events_of(db_rows(
		"SELECT date, kind, state, note FROM event WHERE motion_commune_id = ? ORDER BY date, id",
		"i", id)));
	return o;
}

/* GET /api/v1/consultations — the motions' state in each commune. */
int page_api_consultations(struct req *req, struct resp *resp)
{
	static const struct api_list l = {"/api/v1/consultations",
					  CONSULTATION_SQL " ORDER BY mc.id LIMIT ?4 OFFSET ?5",
					  consultation_object};
	return list(req, resp, &l);
}

/* GET /api/v1/consultations/:id — one motion in one commune. */
int page_api_consultation(struct req *req, struct resp *resp)
{
	return one(req, resp, CONSULTATION_SQL " AND CAST(mc.id AS TEXT) = ?6 LIMIT ?4 OFFSET ?5",
		   req_param(req, "id"), consultation_object);
}

/* ---- communes ---- */

#define COMMUNE_SQL                                                                        \
	"SELECT c.nis, c.name, c.arrondissement, t.name AS territory, c.created, c.modified, " \
	"0 AS deleted FROM commune c LEFT JOIN territory t ON t.id = c.territory_id WHERE "    \
	"c.modified >= ?1 AND " API_EVERYONE

/* Returns a commune with its NIS code. */
static json_t *commune_object(struct req *req, json_t *row)
{
	char nis[24];
	snprintf(nis, sizeof(nis), "%lld", (long long)json_integer_value(json_object_get(row, "nis")));
	json_t *o = json_object();
	common(o, row, url(req, "/api/v1/communes/", nis), url(req, "/communes/", nis),
	       "Commune");
	copy(o, row, (const char *const[]){"nis", "name", "arrondissement", "territory", NULL});
	return o;
}

/* GET /api/v1/communes — the communes of the province. */
int page_api_communes(struct req *req, struct resp *resp)
{
	static const struct api_list l = {"/api/v1/communes",
					  COMMUNE_SQL " ORDER BY c.nis LIMIT ?4 OFFSET ?5", commune_object};
	return list(req, resp, &l);
}

/* GET /api/v1/communes/:nis — one commune. */
int page_api_commune(struct req *req, struct resp *resp)
{
	return one(req, resp, COMMUNE_SQL " AND CAST(c.nis AS TEXT) = ?6 LIMIT ?4 OFFSET ?5",
		   req_param(req, "nis"), commune_object);
}

/* ---- polls: the date polls, for the coordination only ---- */

#define POLL_LIST_SQL                                                                        \
	"SELECT p.id, p.created, p.modified, 0 AS deleted FROM poll p WHERE p.modified >= ?1 "  \
	"AND ?2 >= 3 AND ?3 IS NOT NULL"

/* Returns a date poll: its slots best first with their counts and the
 * organisations they bring (no person named), its state and its meeting. */
static json_t *poll_object(struct req *req, json_t *row)
{
	json_t *p = poll_results(db_num(row, "id"));
	char id[24];
	snprintf(id, sizeof(id), "%lld", db_num(row, "id"));
	json_t *o = json_object();
	common(o, row, url(req, "/api/v1/polls/", id), url(req, "/polls/", id),
	       url(req, "/api/v1#Poll", NULL)); /* Maillage's own type: OParl has none */
	if (!p)
		return o;
	json_object_set(o, "name", json_object_get(p, "title"));
	json_object_set_new(o, "organization", json_string(url(req, "/api/v1/organizations/",
								db_str(p, "body_slug"))));
	static const char *const keys[] = {"place", "video", "note", "closes", "state", "voters",
					   "answered", NULL};
	copy(o, p, keys);
	if (db_num(p, "meeting_id")) {
		snprintf(id, sizeof(id), "%lld", db_num(p, "meeting_id"));
		json_object_set_new(o, "meeting", json_string(url(req, "/api/v1/meetings/", id)));
	}
	json_t *slots = json_array(), *s;
	size_t i;
	json_array_foreach(json_object_get(p, "slots"), i, s)
		json_array_append_new(slots, json_pack("{s:O, s:O, s:I, s:I, s:I, s:s}", "start",
			json_object_get(s, "start"), "end", json_object_get(s, "end"), "yes",
			(json_int_t)db_num(s, "yes"), "maybe", (json_int_t)db_num(s, "maybe"), "no",
			(json_int_t)db_num(s, "no"), "organizations",
			db_str(s, "organisations") ? db_str(s, "organisations") : ""));
	json_object_set_new(o, "slots", slots);
	json_decref(p);
	return o;
}

/* GET /api/v1/polls — the date polls (the coordination only: others get
 * an empty list). */
int page_api_polls(struct req *req, struct resp *resp)
{
	static const struct api_list l = {"/api/v1/polls", POLL_LIST_SQL " ORDER BY p.id LIMIT ?4 "
					   "OFFSET ?5", poll_object};
	return list(req, resp, &l);
}

/* GET /api/v1/polls/:id — one date poll (404 for all but the coordination). */
int page_api_poll(struct req *req, struct resp *resp)
{
	return one(req, resp, POLL_LIST_SQL " AND CAST(p.id AS TEXT) = ?6 LIMIT ?4 OFFSET ?5",
		   req_param(req, "id"), poll_object);
}

/* GET /api/v1 — the entry point: what the API holds, and who reads it. */
int page_api_system(struct req *req, struct resp *resp)
{
	static const char *const lists[] = {"organizations", "partners", "meetings", "papers",
					    "consultations", "communes"};
	json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s}", "id", url(req, "/api/v1", NULL), "type",
			      "https://schema.oparl.org/1.1/System", "name", page_cfg.site_name,
			      "web", url(req, "/", NULL), "reader", req->user.id ? req->user.email
										: "anonyme");
	for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++)
		json_object_set_new(o, lists[i], json_string(url(req, "/api/v1/", lists[i])));
	if (req->user.role >= ROLE_COORDINATOR) /* the date polls are the coordination's */
		json_object_set_new(o, "polls", json_string(url(req, "/api/v1/", "polls")));
	return page_json(resp, 200, o);
}
