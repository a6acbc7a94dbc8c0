/* page_editor.c — what the Markdown editor asks the server: the live
 * preview with the actions it found, the Markdown of a paste from Word,
 * LibreOffice or a web page, the pages a [[ link may name, and the help
 * panel's examples. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "action.h"
#include "auth.h"
#include "convert.h"
#include "db.h"
#include "doc.h"
#include "meeting.h"
#include "page.h"
#include "view.h"

/* Appends the list of the actions the text writes, with their warnings. */
static int preview_actions(const struct md_actions *actions, struct buf *out)
{
	char today[11];
	time_t now = time(NULL);
	struct tm tm;
	strftime(today, sizeof(today), "%Y-%m-%d", gmtime_r(&now, &tm));
	json_t *list = action_review(actions, today);
	json_t *d = json_pack("{s:o, s:b, s:I}", "actions", list, "has_actions",
			      json_array_size(list) > 0, "count", (json_int_t)json_array_size(list));
	int rc = view_fill("preview_actions", d, out);
	json_decref(d);
	return rc;
}

/* POST /preview (text, actions, _csrf) — the HTML the renderer makes of
 * text, as the server would store it (a fragment, for the editor's live
 * preview); with actions=1, followed by the actions found and their
 * warnings. */
int page_preview(struct req *req, struct resp *resp)
{
	const char *text = req_form(req, "text");
	if (!text)
		text = "";
	if (strlen(text) > MEETING_MAX_TEXT)
		return 413;
	/* wiki links resolve with the reader's own rights */
	struct md_actions actions = {0};
	int rc = doc_render(text, strlen(text), req->user.role >= ROLE_BOARD ? "internal" : "public",
			    &resp->body, NULL, &actions);
	const char *wanted = req_form(req, "actions");
	if (rc == 0 && wanted && strcmp(wanted, "1") == 0)
		rc = preview_actions(&actions, &resp->body);
	md_actions_free(&actions);
	if (rc < 0)
		return 500;
	resp->content_type = "text/html; charset=utf-8";
	return 200;
}

/* POST /paste (html, _csrf) — the Markdown of what was copied from Word,
 * LibreOffice or a web page (text/markdown); 503 when pandoc is absent (the
 * editor then pastes the plain text), 422 when the HTML cannot be read. */
int page_paste(struct req *req, struct resp *resp)
{
	const char *html = req_form(req, "html");
	if (!html || !*html)
		return page_error(req, resp, 400, "Rien à coller.");
	if (strlen(html) > CONVERT_MAX_INPUT)
		return page_error(req, resp, 413, "Ce qui a été copié dépasse 4 Mo : collez-le "
					     "en plusieurs fois.");
	int rc = convert_html_to_markdown(html, strlen(html), &resp->body);
	if (rc == 1)
		return page_error(req, resp, 503, "La conversion n'est pas installée sur ce serveur : "
					     "le texte est collé sans sa mise en forme.");
	if (rc < 0)
		return page_error(req, resp, 422, "Ce qui a été copié n'a pas pu être converti : "
					     "le texte est collé sans sa mise en forme.");
	resp->content_type = "text/markdown; charset=utf-8";
	return 200;
}

/* Writes into out the LIKE pattern of the names that start with q. */
static void prefix_pattern(const char *q, struct buf *out)
{
	for (; *q; q++) {
		if (*q == '%' || *q == '_' || *q == '\\')
			buf_putc(out, '\\');
		buf_putc(out, *q);
	}
	buf_putc(out, '%');
}

/* GET /suggest?q= — the communes, bodies (those the reader may see) and
 * organisations whose name (or acronym) starts with q, for a [[ link:
 * [{label, kind, slug}], at most 8; with kind=organisation and no q, every
 * organisation (the action form's list). */
int page_suggest(struct req *req, struct resp *resp)
{
	const char *q = req_query(req, "q"), *kind = req_query(req, "kind");
	bool orgs = kind && strcmp(kind, "organisation") == 0;
	if (!q)
		q = "";
	if ((!*q && !orgs) || strlen(q) > 80)
		return page_json(resp, 200, json_array());
	struct buf like = {0};
	prefix_pattern(q, &like);
	json_t *rows = orgs
		? db_rows("SELECT CASE WHEN acronym <> '' THEN acronym ELSE name END AS label, "
			  "'organisation' AS kind, slug, name FROM organisation WHERE deleted = 0 AND "
			  "(name LIKE ?1 ESCAPE '\\' OR acronym LIKE ?1 ESCAPE '\\') ORDER BY label "
			  "LIMIT 500", "t", buf_str(&like))
		: db_rows("SELECT label, kind, slug FROM (SELECT name AS label, 'commune' AS kind, "
			  "nis AS slug, 1 AS k FROM commune WHERE name LIKE ?1 ESCAPE '\\' UNION ALL "
			  "SELECT name, 'instance', slug, 2 FROM body WHERE name LIKE ?1 ESCAPE '\\' "
			  "AND (visibility <> 'internal' OR ?2) UNION ALL SELECT CASE WHEN acronym "
			  "LIKE ?1 ESCAPE '\\' AND acronym <> '' THEN acronym ELSE name END, "
			  "'organisation', slug, 3 FROM organisation WHERE deleted = 0 AND (name LIKE "
			  "?1 ESCAPE '\\' OR acronym LIKE ?1 ESCAPE '\\')) ORDER BY k, label LIMIT 8",
			  "ti", buf_str(&like), (long long)(req->user.role >= ROLE_BOARD));
	buf_free(&like);
	if (!rows)
		return 500;
	return page_json(resp, 200, rows);
}

/* Adds to a form page's data the help panel's examples. */
void page_editor_help(json_t *d)
{
	json_object_set_new(d, "md_help", doc_help());
}
