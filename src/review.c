/* review.c — the bilans and perspectives of the bodies, year by year, each
 * save a new version. */
#include "review.h"

#include <stdio.h>
#include <string.h>

#include "db.h"
#include "doc.h"

/* The columns a version is read with (r: body_review, u: user). */
#define VERSION_COLUMNS                                                                   \
	"r.id, r.body_id, r.year, r.bilan, r.bilan_html, r.perspectives, r.perspectives_html, " \
	"r.created, coalesce(u.name, '') AS author FROM body_review r LEFT JOIN user u ON " \
	"u.id = r.user_id"

/* Notes the problems of a bilan and its perspectives (see review.h). */
void review_rules(const char *bilan, const char *perspectives, struct check *c)
{
	check_if(c, bilan && strlen(bilan) > REVIEW_MAX, "bilan",
		 "Le bilan dépasse 50 000 caractères : gardez-en l'essentiel.");
	check_if(c, perspectives && strlen(perspectives) > REVIEW_MAX, "perspectives",
		 "Les perspectives dépassent 50 000 caractères : gardez-en l'essentiel.");
}

/* Inserts a new version, rendered under visibility; 0 or -1. */
static int insert_version(long long body, int year, const char *bilan, const char *persp,
			  const char *visibility, long long user_id)
{
	struct buf html[2] = {{0}}, text[2] = {{0}};
	int rc = doc_render(bilan, strlen(bilan), visibility, &html[0], &text[0], NULL) == 0 &&
			 doc_render(persp, strlen(persp), visibility, &html[1], &text[1], NULL) == 0
		 ? 0 : -1;
	if (rc == 0)
		rc = db_exec("INSERT INTO body_review (body_id, year, bilan, bilan_html, bilan_text, "
			     "perspectives, perspectives_html, perspectives_text, render_version, "
			     "user_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, nullif(?, 0))", "iitttttiii",
			     body, (long long)year, bilan, buf_str(&html[0]), buf_str(&text[0]), persp,
			     buf_str(&html[1]), buf_str(&text[1]), (long long)MD_RENDERER_VERSION,
			     user_id) == 1 ? 0 : -1;
	for (int k = 0; k < 2; k++) {
		buf_free(&html[k]);
		buf_free(&text[k]);
	}
	return rc;
}

/* Saves a new version when the texts changed (see review.h). */
int review_save(long long body, int year, const char *bilan, const char *perspectives,
		long long user_id)
{
	bilan = bilan ? bilan : "";
	perspectives = perspectives ? perspectives : "";
	if (db_begin() < 0)
		return -1;
	json_t *now = review_current(body, year);
	bool same = now ? strcmp(db_str(now, "bilan"), bilan) == 0 &&
				  strcmp(db_str(now, "perspectives"), perspectives) == 0
			: !*bilan && !*perspectives;
	json_decref(now);
	if (same) {
		db_rollback();
		return db_failed() ? -1 : 0;
	}
	json_t *b = db_row("SELECT visibility FROM body WHERE id = ?", "i", body);
	int rc = b ? insert_version(body, year, bilan, perspectives, db_str(b, "visibility"),
				    user_id) : -1;
	json_decref(b);
	if (rc == 0) {
		char after[32];
		snprintf(after, sizeof(after), "{\"year\":%d}", year);
		rc = db_audit(user_id, "review", "body", body, NULL, after);
	}
	if (rc < 0 || db_commit() < 0) {
		db_rollback();
		return -1;
	}
	return 1;
}

/* Returns the current version of a body's year (see review.h). */
json_t *review_current(long long body, int year)
{
	return db_row("SELECT " VERSION_COLUMNS " WHERE r.body_id = ? AND r.year = ? ORDER BY r.id "
		      "DESC LIMIT 1", "ii", body, (long long)year);
}

/* Returns every version of a body's year (see review.h). */
json_t *review_history(long long body, int year)
{
	return db_rows("SELECT " VERSION_COLUMNS " WHERE r.body_id = ? AND r.year = ? ORDER BY r.id "
		       "DESC", "ii", body, (long long)year);
}

/* The last version of each body and year (r.id is the greatest of its
 * body and year). */
#define LAST_VERSION                                                                      \
	" r.id = (SELECT max(p.id) FROM body_review p WHERE p.body_id = r.body_id AND "   \
	"p.year = r.year)"

/* Returns the current version of every year of a body (see review.h). */
json_t *review_years(long long body)
{
	return db_rows("SELECT " VERSION_COLUMNS " WHERE r.body_id = ? AND" LAST_VERSION
		       " ORDER BY r.year DESC", "i", body);
}

/* Returns the current versions of a year by body (see review.h). */
json_t *review_of_year(int year)
{
	json_t *rows = db_rows("SELECT " VERSION_COLUMNS " WHERE r.year = ? AND" LAST_VERSION, "i",
			       (long long)year), *r;
	if (!rows)
		return NULL;
	json_t *by = json_object();
	size_t i;
	json_array_foreach(rows, i, r) {
		char key[24];
		snprintf(key, sizeof(key), "%lld", db_num(r, "body_id"));
		json_object_set(by, key, r);
	}
	json_decref(rows);
	return by;
}
