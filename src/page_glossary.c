/* page_glossary.c — the glossary of the network's acronyms: read by all,
 * kept by the coordination; each change renders again, there and then,
 * the stored documents that use the acronym (their abbreviations follow). */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "check.h"
#include "db.h"
#include "doc.h"
#include "page.h"
#include "text.h"
#include "view.h"

#define ACRONYM_MAX 30    /* bytes of an acronym */
#define EXPANSION_MAX 300 /* bytes of what it stands for */

/* Renders the glossary with the form's problems ([{field, message}],
 * consumed, may be NULL) and the fields typed. */
static int glossary_page(struct req *req, struct resp *resp, int status, json_t *problems,
			 const char *acronym, const char *expansion)
{
	json_t *rows = db_rows("SELECT id, acronym, expansion FROM glossary WHERE deleted = 0 "
			       "ORDER BY acronym COLLATE NOCASE", NULL);
	if (!rows)
		return 500;
	json_t *d = page_data(req, "Glossaire");
	json_object_set_new(d, "entries", rows);
	json_object_set_new(d, "count", json_integer((json_int_t)json_array_size(rows)));
	if (req->user.role >= ROLE_COORDINATOR) {
		json_t *gone = db_rows("SELECT id, acronym, expansion FROM glossary WHERE deleted = 1 "
				       "ORDER BY acronym COLLATE NOCASE", NULL);
		json_object_set_new(d, "has_removed", json_boolean(json_array_size(gone) > 0));
		json_object_set_new(d, "removed", gone ? gone : json_array());
	}
	page_form_problems(d, problems, NULL);
	json_object_set_new(d, "form", json_pack("{s:s, s:s}", "acronym", acronym ? acronym : "",
						 "expansion", expansion ? expansion : ""));
	const char *done = req_query(req, "refreshed");
	if (done && text_is_digits(done) && strlen(done) < 10)
		view_count(d, "refreshed", atoll(done), "document qui emploie ce sigle a été mis à jour",
			   "documents qui emploient ce sigle ont été mis à jour");
	return page_render(req, resp, status, "glossary", d);
}

/* GET /glossary — every acronym and what it stands for. */
int page_glossary(struct req *req, struct resp *resp)
{
	return glossary_page(req, resp, 200, NULL, NULL, NULL);
}

/* Tells whether s is one line of 1 to max bytes of valid UTF-8. */
static bool one_line(const char *s, size_t max)
{
	size_t n = s ? strlen(s) : 0;
	if (n == 0 || n > max || !text_utf8_valid(s, n))
		return false;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return false;
	return true;
}

/* Renders again the documents that mention acronym, after a change;
 * redirects to the glossary with how many. */
static int refresh(struct req *req, struct resp *resp, const char *acronym)
{
	doc_glossary_changed();
	long long n = doc_mark_mentioning(acronym);
	if (n < 0 || doc_refresh_stale() < 0)
		return 500;
	return resp_redirect(req, resp, 303, arena_printf(&req->arena, "/glossary?refreshed=%lld",
							  n));
}

/* POST /glossary (acronym, expansion, _csrf) — adds an acronym or changes
 * what it stands for, audited. */
int page_glossary_save(struct req *req, struct resp *resp)
{
	const char *acronym = req_form(req, "acronym"), *expansion = req_form(req, "expansion");
	struct check c = {0};
	check_if(&c, !one_line(acronym, ACRONYM_MAX) || strchr(acronym, ' '), "acronym",
		 "Le sigle tient en un mot de 30 caractères au plus.");
	check_if(&c, !one_line(expansion, EXPANSION_MAX), "expansion",
		 "Dites ce que le sigle veut dire, sur une ligne (300 caractères au plus).");
	if (c.n)
		return glossary_page(req, resp, 422, check_json(&c), acronym, expansion);
	if (db_begin() < 0)
		return 503;
	if (db_exec("INSERT INTO glossary (acronym, expansion) VALUES (?, ?) ON CONFLICT (acronym) "
		    "DO UPDATE SET expansion = excluded.expansion, deleted = 0, modified = " DB_NOW, "tt", acronym,
		    expansion) < 0 ||
	    db_audit(req->user.id, "save", "glossary", db_int(0, "SELECT id FROM glossary WHERE "
							       "acronym = ?", "t", acronym),
		     NULL, expansion) < 0 ||
	    db_commit() < 0) {
		db_rollback();
		return 500;
	}
	return refresh(req, resp, acronym);
}

/* Sets the deleted flag of the request's entry, audited, then renders
 * again the documents that use it. */
static int set_deleted(struct req *req, struct resp *resp, bool deleted)
{
	json_t *g = db_row("SELECT id, acronym, expansion FROM glossary WHERE id = ? AND deleted = ?",
			   "ii", atoll(req_param(req, "id")), (long long)!deleted);
	if (!g)
		return 404;
	const char *acronym = arena_strdup(&req->arena, db_str(g, "acronym"));
	int rc = db_begin() < 0 ? 503 : 0;
	if (rc == 0 && (db_exec("UPDATE glossary SET deleted = ?, modified = " DB_NOW " WHERE id = ?",
				"ii", (long long)deleted, db_num(g, "id")) != 1 ||
			db_audit(req->user.id, deleted ? "delete" : "undelete", "glossary",
				 db_num(g, "id"), NULL, NULL) < 0 || db_commit() < 0)) {
		db_rollback();
		rc = 500;
	}
	json_decref(g);
	return rc ? rc : refresh(req, resp, acronym);
}

/* POST /glossary/:id/delete (_csrf) — removes an acronym (restorable). */
int page_glossary_delete(struct req *req, struct resp *resp)
{
	return set_deleted(req, resp, true);
}

/* POST /glossary/:id/undelete (_csrf) — restores it. */
int page_glossary_undelete(struct req *req, struct resp *resp)
{
	return set_deleted(req, resp, false);
}
