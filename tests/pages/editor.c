/* editor.c — page tests of what the text editor asks the server: the
 * preview's list of actions and their warnings, the help panel's examples,
 * the [[ suggestions, and pastes from Word, LibreOffice or a web page
 * converted by the real pandoc (and plain text when it is absent).
 * Starts from the harness's pristine network (harness_fresh). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/db.h"
#include "../../src/doc.h"
#include "../../src/html.h"
#include "../test.h"
#include "harness.h"
#include "pages.h"

/* Returns the body of a POST of pairs to target by b, with its status. */
static int post_text(struct browser *b, const char *target, const char *const *pairs,
		     struct buf *out)
{
	buf_reset(out);
	return harness_post(b, target, pairs, out);
}

/* The preview lists the actions it finds, each with its line, and warns
 * beside it about an unknown owner (with the closest acronyms), a date that
 * is none, a date already past. */
static void preview_warnings(void)
{
	struct browser coord = {0};
	CHECK_INT(harness_login(&coord, HARNESS_COORD, PASSWORD), 303);
	struct buf out = {0};
	const char *text = "Suites\n\n"
			   "- [ ] Relancer les communes @CIA 15/03/2099\n"
			   "- [] Envoyer le compte rendu @CAI 2099-13-45\n"
			   "-[ ] Préparer la salle @CAI 01/02/2020\n";
	CHECK_INT(post_text(&coord, "/preview", (const char *[]){"text", text, "actions", "1", NULL},
			    &out), 200);
	const char *s = buf_str(&out);
	CHECK(strstr(s, "Actions trouvées : 3") != NULL);
	CHECK(strstr(s, "Ligne 3 :") && strstr(s, "Ligne 4 :") && strstr(s, "Ligne 5 :"));
	CHECK(strstr(s, "« @CIA » ne correspond à aucune organisation du réseau") != NULL);
	CHECKF(strstr(s, "Vouliez-vous dire : CAI, ") != NULL, "%s", strstr(s, "@CIA"));
	CHECK(strstr(s, "« 2099-13-45 » n&#39;est pas une date") != NULL ||
	      strstr(s, "« 2099-13-45 » n'est pas une date") != NULL);
	CHECK(strstr(s, "(1er février 2020) est déjà passée") != NULL);
	/* each warning sits in the item of its own line */
	const char *line3 = strstr(s, "Ligne 3 :"), *line4 = strstr(s, "Ligne 4 :");
	const char *cia = strstr(s, "@CIA »");
	CHECK(line3 && line4 && cia && cia > line3 && cia < line4);
	/* the preview itself never shows the raw syntax */
	const char *list = strstr(s, "preview-actions");
	CHECK(list != NULL);
	if (list) {
		CHECK(!memmem(s, (size_t)(list - s), "@CAI", 4));
		CHECK(memmem(s, (size_t)(list - s), "pour le 15 mars 2099", 20) != NULL);
	}
	/* without actions=1, no list; a text without actions says how to write one */
	CHECK_INT(post_text(&coord, "/preview", (const char *[]){"text", text, NULL}, &out), 200);
	CHECK(strstr(buf_str(&out), "Actions trouvées") == NULL);
	CHECK_INT(post_text(&coord, "/preview",
			    (const char *[]){"text", "Rien à faire.", "actions", "1", NULL}, &out), 200);
	CHECK(strstr(buf_str(&out), "Aucune action dans ce texte") != NULL);
	buf_free(&out);
}

/* Every example of the help panel renders as the panel says, and the form
 * pages show the panel with the renderer's own output. */
static void help_examples(void)
{
	for (size_t i = 0; i < doc_nexamples; i++) {
		struct buf html = {0};
		const char *md = doc_examples[i].source;
		CHECK(doc_render(md, strlen(md), "public", &html, NULL, NULL) == 0);
		CHECKF(strstr(buf_str(&html), doc_examples[i].expect) != NULL,
		       "l'exemple « %s » donne %s", doc_examples[i].title, buf_str(&html));
		buf_free(&html);
	}
	struct browser coord = {0};
	CHECK_INT(harness_login(&coord, HARNESS_COORD, PASSWORD), 303);
	static const char *const forms[] = {"/meetings/new", "/letters/new", "/motions/new",
					    "/bodies/new", "/organisations/new"};
	struct buf out = {0};
	for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		buf_reset(&out);
		CHECK_INT(harness_fetch(&coord, "GET", forms[i], NULL, &out), 200);
		CHECKF(strstr(buf_str(&out), "<summary>Aide à la mise en forme</summary>") != NULL,
		       "%s sans aide", forms[i]);
		CHECK(strstr(buf_str(&out), "<td class=\"prose\"><p>Le dossier est "
					    "<strong>prioritaire</strong>.</p>") != NULL);
		CHECK(strstr(buf_str(&out), "(Markdown") == NULL);
	}
	buf_free(&out);
}

/* [[ offers the communes, bodies and organisations that start with what
 * was typed, an internal body only to the board and the coordination. */
static void suggestions(void)
{
	struct browser coord = {0}, partner = {0}, anon = {0};
	CHECK_INT(harness_login(&coord, HARNESS_COORD, PASSWORD), 303);
	CHECK_INT(harness_login(&partner, HARNESS_PARTNER, PASSWORD), 303);
	struct buf out = {0};
	CHECK_INT(harness_fetch(&partner, "GET", "/suggest?q=And", NULL, &out), 200);
	CHECK(strstr(buf_str(&out), "{\"label\":\"Andenne\",\"kind\":\"commune\"") != NULL);
	const char *internal = "SELECT name FROM body WHERE visibility = 'internal' LIMIT 1";
	json_t *row = db_row(internal, NULL);
	CHECK(row != NULL);
	if (row) {
		char target[160], prefix[16];
		snprintf(prefix, sizeof(prefix), "%.6s", db_str(row, "name"));
		struct buf q = {0};
		html_url_encode(&q, prefix, strlen(prefix));
		snprintf(target, sizeof(target), "/suggest?q=%s", buf_str(&q));
		buf_reset(&out);
		CHECK_INT(harness_fetch(&partner, "GET", target, NULL, &out), 200);
		CHECK(strstr(buf_str(&out), db_str(row, "name")) == NULL);
		buf_reset(&out);
		CHECK_INT(harness_fetch(&coord, "GET", target, NULL, &out), 200);
		CHECK(strstr(buf_str(&out), db_str(row, "name")) != NULL);
		buf_free(&q);
		json_decref(row);
	}
	/* wildcards are letters like others; nothing typed, nothing offered */
	buf_reset(&out);
	CHECK_INT(harness_fetch(&coord, "GET", "/suggest?q=%25", NULL, &out), 200);
	CHECK_STR(buf_str(&out), "[]\n");
	buf_reset(&out);
	CHECK_INT(harness_fetch(&coord, "GET", "/suggest?q=", NULL, &out), 200);
	CHECK_STR(buf_str(&out), "[]\n");
	/* the action panel's list: every organisation, with its slug */
	buf_reset(&out);
	CHECK_INT(harness_fetch(&coord, "GET", "/suggest?kind=organisation", NULL, &out), 200);
	CHECK(strstr(buf_str(&out), "\"label\":\"CAI\",\"kind\":\"organisation\",\"slug\":\"cai\"") != NULL);
	CHECK(harness_fetch(&anon, "GET", "/suggest?q=And", NULL, NULL) != 200);
	buf_free(&out);
}

/* Writes Word's clipboard HTML of a known structure: a heading, bold and
 * italics, two numbered paragraphs, two bulleted ones (Word writes no
 * list), a table without header cells, a link. */
static void word_clipboard(struct buf *html)
{
	buf_puts(html, "<html xmlns:o=\"urn:schemas-microsoft-com:office:office\"><head>"
		       "<meta name=Generator content=\"Microsoft Word 15\"></head><body lang=FR>"
		       "<!--StartFragment--><h1>Réunion de la plateforme</h1>"
		       "<p class=MsoNormal><b>Présents</b> : <i>CAI</i>, CPAS</p>");
	static const char *const numbered[] = {"Approbation du procès-verbal", "Tour de table"};
	for (int i = 0; i < 2; i++)
		buf_printf(html, "<p class=MsoListParagraphCxSp%s style='text-indent:-18.0pt;"
			   "mso-list:l0 level1 lfo1'><![if !supportLists]><span style='mso-list:"
			   "Ignore'>%d.<span style='font:7.0pt \"Times New Roman\"'>&nbsp;&nbsp;"
			   "&nbsp;&nbsp; </span></span><![endif]>%s</p>", i ? "Last" : "First",
			   i + 1, numbered[i]);
	static const char *const bullets[] = {"Premier point", "Second point"};
	for (int i = 0; i < 2; i++)
		buf_printf(html, "<p class=MsoListParagraphCxSp%s style='mso-list:l1 level1 lfo2'>"
			   "<![if !supportLists]><span style='font-family:Symbol'><span style="
			   "'mso-list:Ignore'>·<span style='font:7.0pt \"Times New Roman\"'>"
			   "&nbsp;&nbsp;&nbsp;&nbsp;&nbsp; </span></span></span><![endif]>%s</p>",
			   i ? "Last" : "First", bullets[i]);
	buf_puts(html, "<table class=MsoTableGrid border=1><tr><td><p class=MsoNormal>Commune</p>"
		       "</td><td><p class=MsoNormal>Motion</p></td></tr><tr><td><p class=MsoNormal>"
		       "Andenne</p></td><td><p class=MsoNormal>votée</p></td></tr></table>"
		       "<p class=MsoNormal>Voir <a href=\"https://exemple.be/pv\">le site</a>.</p>"
		       "<!--EndFragment--></body></html>");
}

/* Writes LibreOffice's clipboard HTML of a known structure. */
static void libreoffice_clipboard(struct buf *html)
{
	buf_puts(html, "<!DOCTYPE HTML PUBLIC \"-//W3C//DTD HTML 4.0 Transitional//EN\"><html>"
		       "<head><meta name=\"generator\" content=\"LibreOffice 7.4\"></head><body "
		       "lang=\"fr-BE\"><h2 class=\"western\">Suites à donner</h2><p>Le groupe "
		       "<strong>valide</strong> le <em>calendrier</em>.</p><ol><li><p>Contacter "
		       "les communes</p></li><li><p>Préparer la motion</p></li></ol><table "
		       "cellpadding=\"4\"><tr><th><p>Action</p></th><th><p>Qui</p></th></tr><tr>"
		       "<td><p>Courrier</p></td><td><p>CAI</p></td></tr></table></body></html>");
}

/* Pastes html as b; returns the status, the Markdown in out. */
static int paste(struct browser *b, const char *html, struct buf *out)
{
	return post_text(b, "/paste", (const char *[]){"html", html, NULL}, out);
}

/* Word's and LibreOffice's clipboards become the expected Markdown. */
static void paste_office(void)
{
	struct browser coord = {0};
	CHECK_INT(harness_login(&coord, HARNESS_COORD, PASSWORD), 303);
	struct buf html = {0}, out = {0};
	word_clipboard(&html);
	CHECK_INT(paste(&coord, buf_str(&html), &out), 200);
	const char *md = buf_str(&out);
	CHECKF(strstr(md, "# Réunion de la plateforme\n") != NULL, "Word : %s", md);
	CHECK(strstr(md, "**Présents** : *CAI*, CPAS") != NULL);
	CHECK(strstr(md, "1.  Approbation du procès-verbal\n2.  Tour de table\n") != NULL);
	CHECK(strstr(md, "-   Premier point\n-   Second point\n") != NULL);
	CHECK(strstr(md, "| Commune | Motion |\n") != NULL && strstr(md, "| Andenne | votée  |") != NULL);
	CHECK(strstr(md, "[le site](https://exemple.be/pv)") != NULL);
	CHECK(strstr(md, "supportLists") == NULL && strstr(md, "mso-") == NULL);
	/* what the renderer makes of it: a real numbered list and a table */
	struct buf rendered = {0};
	CHECK(doc_render(md, strlen(md), "public", &rendered, NULL, NULL) == 0);
	CHECK(strstr(buf_str(&rendered), "<ol>\n<li>Approbation du procès-verbal</li>") != NULL);
	CHECK(strstr(buf_str(&rendered), "<th>Commune</th>") != NULL);
	buf_reset(&html);
	libreoffice_clipboard(&html);
	CHECK_INT(paste(&coord, buf_str(&html), &out), 200);
	md = buf_str(&out);
	CHECKF(strstr(md, "## Suites à donner\n") != NULL, "LibreOffice : %s", md);
	CHECK(strstr(md, "Le groupe **valide** le *calendrier*.") != NULL);
	CHECK(strstr(md, "1.  Contacter les communes\n\n2.  Préparer la motion\n") != NULL);
	CHECK(strstr(md, "| Action   | Qui |") != NULL || strstr(md, "| Action | Qui |") != NULL);
	buf_free(&rendered);
	buf_free(&html);
	buf_free(&out);
}

/* A hostile paste becomes inert Markdown: no script, no event handler, no
 * javascript: link, no raw HTML; bad requests get a clear 4xx. */
static void paste_hostile(void)
{
	struct browser coord = {0};
	CHECK_INT(harness_login(&coord, HARNESS_COORD, PASSWORD), 303);
	struct buf out = {0};
	CHECK_INT(paste(&coord, "<p>Bonjour <script>alert(1)</script><img src=x onerror=alert(2)>"
				"<a href=\"javascript:alert(3)\">clic</a> <a href=\"JaVaScRiPt&colon;"
				"alert(4)\">deux</a> <b onclick=\"alert(5)\">gras</b>"
				"<iframe src=\"https://exemple.be\"></iframe><div style=\"x\">"
				"<span>texte</span></div></p><style>p{}</style>", &out), 200);
	const char *md = buf_str(&out);
	CHECKF(!strstr(md, "script") && !strstr(md, "onerror") && !strstr(md, "onclick") &&
	       !strcasestr(md, "javascript") && !strstr(md, "<") && !strstr(md, "alert"),
	       "collage hostile : %s", md);
	CHECK(strstr(md, "clic") && strstr(md, "deux") && strstr(md, "**gras**"));
	/* the renderer would have refused it anyway: twice safe */
	CHECK_INT(paste(&coord, "", &out), 400);
	CHECK_INT(paste(&coord, "\x01\x02<p>\xff\xfe invalide</p>", &out), 400);
	struct buf big = {0};
	while (big.len <= (4u << 20))
		buf_puts(&big, "<p>Un paragraphe copié depuis un très long document.</p>");
	CHECK_INT(paste(&coord, buf_str(&big), &out), 413);
	CHECK(strstr(buf_str(&out), "dépasse 4 Mo") != NULL);
	buf_free(&big);
	buf_free(&out);
}

/* Without pandoc, the paste answers 503 in French: the editor pastes the
 * plain text instead. */
static void paste_without_pandoc(void)
{
	struct browser coord = {0};
	CHECK_INT(harness_login(&coord, HARNESS_COORD, PASSWORD), 303);
	struct buf out = {0};
	setenv("MAILLAGE_PANDOC", "/nonexistent/pandoc", 1);
	CHECK_INT(paste(&coord, "<p><b>Gras</b></p>", &out), 503);
	CHECK(strstr(buf_str(&out), "sans sa mise en forme") != NULL);
	/* a converter that fails is a 422, never a 500 */
	setenv("MAILLAGE_PANDOC", "false", 1);
	CHECK_INT(paste(&coord, "<p><b>Gras</b></p>", &out), 422);
	unsetenv("MAILLAGE_PANDOC");
	CHECK_INT(paste(&coord, "<p><b>Gras</b></p>", &out), 200);
	CHECK_STR(buf_str(&out), "**Gras**\n");
	buf_free(&out);
}

/* The meeting page's minutes show each action's owner as a link and its
 * date in words, never the raw syntax. */
static void minutes_without_syntax(void)
{
	json_t *m = db_row("SELECT id, minutes_html FROM meeting WHERE minutes LIKE '%- [ ]%@%' "
			   "AND visibility = 'public' AND deleted = 0 LIMIT 1", NULL);
	CHECK(m != NULL);
	if (!m)
		return;
	char target[48];
	snprintf(target, sizeof(target), "/meetings/%lld", db_num(m, "id"));
	struct browser anon = {0};
	struct buf out = {0};
	CHECK_INT(harness_fetch(&anon, "GET", target, NULL, &out), 200);
	const char *s = buf_str(&out);
	CHECK(strstr(s, "<span class=\"action-meta\">— <a href=\"/organisations/") != NULL);
	const char *task = strstr(s, "task-list-item\">");
	const char *end = task ? strstr(task, "</li>") : NULL;
	CHECK(end && !memmem(task, (size_t)(end - task), "@", 1));
	buf_free(&out);
	json_decref(m);
}

void pages_editor(void)
{
	harness_fresh();
	RUN(preview_warnings);
	RUN(help_examples);
	RUN(suggestions);
	RUN(paste_office);
	RUN(paste_hostile);
	RUN(paste_without_pandoc);
	RUN(minutes_without_syntax);
}
