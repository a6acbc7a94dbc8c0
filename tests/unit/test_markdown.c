/* test_markdown.c — the renderer's safety rules and the network's touches:
 * link schemes, raw HTML, remote images, heading ids, abbreviations, wiki
 * links, actions and pathological input. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../../src/buf.h"
#include "../../src/markdown.h"
#include "../../src/text.h"
#include "../safety.h"
#include "../test.h"
#include "unit.h"

static const struct md_glossary glossary[] = {
	{"CAI", "Centre d'action interculturelle"},
	{"CPAS", "Centre public d'action sociale"},
	{"PPLI", "Plan provincial et local d'intégration"},
};

/* Resolves [[Ciney]] and [[GT Mobilité]] only. */
static bool wiki(const char *target, struct buf *href, void *ctx)
{
	(void)ctx;
	if (strcmp(target, "Ciney") == 0)
		buf_puts(href, "/communes/91030");
	else if (strcmp(target, "GT Mobilité") == 0)
		buf_puts(href, "/bodies/gt-mobilite");
	else
		return false;
	return true;
}

static const struct md_opts normal = {.glossary = glossary, .nglossary = 3, .wiki = wiki};
static const struct md_opts spec_all = {.spec = true, .extensions = 0x7F};

/* Renders md with opts; returns the HTML (static, overwritten by each call). */
static const char *html_of(const char *md, const struct md_opts *opts)
{
	static struct buf out;
	buf_reset(&out);
	md_render(md, strlen(md), opts, &out, NULL, NULL);
	return buf_str(&out);
}

/* No hostile scheme becomes an href or a src, whatever its disguise. */
static void hostile_schemes(void)
{
	static const char *targets[] = {
		"javascript:alert(1)", "JaVaScRiPt:alert(1)", "java&#x09;script:alert(1)",
		"java&#9;script:alert(1)", "%6Aavascript:alert(1)", "%256Aavascript:alert(1)",
		"<%20javascript:alert(1)>", "< javascript:alert(1)>", "<\x01javascript:alert(1)>",
		"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", "vbscript:msgbox(1)",
		"javascript&colon;alert(1)", "jav&#97;script:alert(1)", "<java\nscript:alert(1)>",
	};
	for (size_t i = 0; i < sizeof(targets) / sizeof(targets[0]); i++) {
		char md[1024];
		const char *t = targets[i];
		snprintf(md, sizeof(md),
			 "[lien](%s) ![image](%s)\n\n[ref][r] ![imgref][r]\n\n[r]: %s\n\n<%s>\n",
			 t, t, t, t);
		for (int mode = 0; mode < 2; mode++) {
			struct buf bad = {0};
			const char *html = html_of(md, mode ? &spec_all : &normal);
			CHECKF(safety_check(html, &bad), "%s (mode %d) → %s\n%s", t, mode, buf_str(&bad), html);
			CHECK(!strcasestr(html, "href=\"java") && !strcasestr(html, "src=\"java"));
			CHECK(!strcasestr(html, "href=\"data") && !strcasestr(html, "src=\"data"));
			CHECK(!strcasestr(html, "vbscript:msgbox(1)\""));
			buf_free(&bad);
		}
	}
	/* refused links keep their text */
	CHECK_STR(html_of("[cliquez ici](javascript:alert(1))", &normal), "<p>cliquez ici</p>\n");
}

/* Allowed links: external ones get rel, others do not; a URL-encoded
 * relative link stays a link. */
static void allowed_links(void)
{
	CHECK_STR(html_of("[site](https://cai-namur.be/a?b=1&c=2)", &normal),
		  "<p><a href=\"https://cai-namur.be/a?b=1&amp;c=2\" rel=\"noopener nofollow\">"
		  "site</a></p>\n");
	CHECK_STR(html_of("[page](/meetings/12)", &normal), "<p><a href=\"/meetings/12\">page</a></p>\n");
	CHECK_STR(html_of("[écrire](mailto:info@exemple.be)", &normal),
		  "<p><a href=\"mailto:info@exemple.be\">écrire</a></p>\n");
	CHECK_STR(html_of("[appeler](tel:+3281000000)", &normal),
		  "<p><a href=\"tel:+3281000000\">appeler</a></p>\n");
	CHECK(strstr(html_of("[x](//ailleurs.example/x)", &normal), "rel=\"noopener nofollow\""));
	/* an empty target is a relative link to the page itself */
	CHECK_STR(html_of("[vide]()", &normal), "<p><a href=\"\">vide</a></p>\n");
	CHECK(strstr(html_of("voir www.cai-namur.be", &normal),
		     "<a href=\"http://www.cai-namur.be\" rel=\"noopener nofollow\">"));
}

/* Raw HTML, block or inline, is shown as text. */
static void raw_html_is_text(void)
{
	const char *h = html_of("<script>alert(1)</script>\n\nTexte <img src=x onerror=alert(1)> "
				"et <b onclick=\"x()\">gras</b>\n\n<div style=\"x\">\n*bloc*\n</div>\n",
				&normal);
	CHECK(!strstr(h, "<script") && !strstr(h, "<img") && !strstr(h, "<b ") &&
	      !strstr(h, "<div"));
	struct buf why = {0};
	CHECKF(safety_check(h, &why), "%s", buf_str(&why));
	buf_free(&why);
	CHECK(strstr(h, "&lt;script&gt;alert(1)&lt;/script&gt;") != NULL);
	CHECK(strstr(h, "&lt;img src=x onerror=alert(1)&gt;") != NULL);
	CHECK(strstr(html_of("`<b>`", &normal), "<code>&lt;b&gt;</code>") != NULL);
}

/* Images: local ones load, remote ones become links, alt text is escaped. */
static void images(void)
{
	CHECK_STR(html_of("![Plan \"A\"](/assets/plan.png \"titre\")", &normal),
		  "<p><img src=\"/assets/plan.png\" alt=\"Plan &quot;A&quot;\" title=\"titre\" /></p>\n");
	CHECK_STR(html_of("![carte](https://ailleurs.example/c.png)", &normal),
		  "<p><a href=\"https://ailleurs.example/c.png\" rel=\"noopener nofollow\" "
		  "class=\"remote-image\">carte</a></p>\n");
	/* a remote image inside a link is its alt text only (no nested links) */
	CHECK_STR(html_of("[![logo](https://x.example/l.png)](/bodies)", &normal),
		  "<p><a href=\"/bodies\">logo</a></p>\n");
	/* in conformance mode images stay images */
	CHECK(strstr(html_of("![a](https://x.example/l.png)", &spec_all), "<img src=") != NULL);
}

/* Headings get readable, unique ids with accents folded. */
static void heading_ids(void)
{
	CHECK_STR(html_of("# Ordre du jour", &normal), "<h1 id=\"ordre-du-jour\">Ordre du jour</h1>\n");
	CHECK(strstr(html_of("## Éducation permanente & Œuvres", &normal),
		     "id=\"education-permanente-oeuvres\""));
	const char *h = html_of("## Suivi\n\n## Suivi\n\n## Suivi", &normal);
	CHECK(strstr(h, "id=\"suivi\"") && strstr(h, "id=\"suivi-2\"") && strstr(h, "id=\"suivi-3\""));
	CHECK(strstr(html_of("# 🎉 !", &normal), "<h1 id=\"section\">"));
	/* a heading named like a suffixed one does not collide */
	h = html_of("## A 2\n\n## A\n\n## A\n\n## A", &normal);
	CHECK(strstr(h, "id=\"a-2\">A 2") && strstr(h, "id=\"a\">A<") && strstr(h, "id=\"a-3\">A<") &&
	      strstr(h, "id=\"a-4\">A<"));
	/* ten thousand equal headings stay unique */
	struct buf many = {0};
	for (int i = 0; i < 10000; i++)
		buf_puts(&many, "## Échanges\n\n");
	h = html_of(many.data, &normal);
	CHECK(strstr(h, "id=\"echanges-10000\"") && !strstr(h, "id=\"echanges-10001\""));
	buf_free(&many);
	CHECK(strstr(html_of("# Le *CAI* et [Ciney](/x)", &normal), "id=\"le-cai-et-ciney\""));
	CHECK(strstr(html_of("# Ordre du jour", &spec_all), "<h1>Ordre du jour</h1>"));
	CHECK(strstr(html_of("# \"><script>", &normal), "<h1 id=\"script\">&quot;&gt;&lt;script&gt;</h1>"));
}

/* The first use of each acronym is explained, whole words only, never in
 * links or code. */
static void abbreviations(void)
{
	CHECK_STR(html_of("Le CAI et le CAI.", &normal),
		  "<p>Le <abbr title=\"Centre d'action interculturelle\">CAI</abbr> et le CAI.</p>\n");
	/* inside a word, in code, in a link: not explained; the next use is */
	const char *h = html_of("CAIBS, PPLIs, `CAI`, [le CAI](/x) puis le CAI", &normal);
	CHECK(!strstr(h, "<abbr title=\"Centre d'action interculturelle\">CAI</abbr>BS"));
	CHECK(!strstr(h, "PPLI</abbr>"));
	CHECK(strstr(h, "<code>CAI</code>") && strstr(h, ">le CAI</a>"));
	CHECK(strstr(h, "puis le <abbr title=\"Centre d'action interculturelle\">CAI</abbr>"));
	/* each acronym once per document, not in conformance mode */
	h = html_of("CPAS\n\nCPAS et PPLI", &normal);
	CHECK(strstr(h, "<p><abbr title=\"Centre public d'action sociale\">CPAS</abbr></p>"));
	CHECK(strstr(h, "<p>CPAS et <abbr"));
	CHECK(!strstr(html_of("CAI", &spec_all), "<abbr"));
	/* in a heading: explained in the text, the id stays plain */
	CHECK(strstr(html_of("# Le CAI", &normal), "<h1 id=\"le-cai\">Le <abbr"));
}

/* Wiki links resolve to pages; unknown targets are marked, not linked. */
static void wiki_links(void)
{
	CHECK_STR(html_of("Voir [[Ciney]] et [[GT Mobilité|le GT]].", &normal),
		  "<p>Voir <a href=\"/communes/91030\" class=\"wikilink\">Ciney</a> et "
		  "<a href=\"/bodies/gt-mobilite\" class=\"wikilink\">le GT</a>.</p>\n");
	CHECK_STR(html_of("[[Atlantide]]", &normal),
		  "<p><span class=\"missing\" title=\"Page introuvable : Atlantide\">Atlantide</span></p>\n");
	const char *h = html_of("[[<script>alert(1)</script>]]", &normal);
	CHECK(!strstr(h, "<script") && strstr(h, "class=\"missing\""));
}

/* Actions: owner, due date in two formats, done; a bad date stays text. */
static void actions(void)
{
	const char *md = "- [ ] Envoyer le répertoire aux communes @CAI 2021-03-15\r\n"
			 "- [x] Relancer la commune de [[Ciney]] @gt-mobilite, 15/03/2021\r\n"
			 "- [ ] Vérifier le 31/02/2021\r\n"
			 "- [ ] Sans responsable ni date\r\n"
			 "  - [ ] Sous-tâche @CPAS\r\n"
			 "- Pas une tâche\r\n";
	struct md_actions a = {0};
	struct buf html = {0};
	CHECK(md_render(md, strlen(md), &normal, &html, NULL, &a) == 0);
	CHECK_INT(a.n, 5);
	if (a.n == 5) {
		CHECK_STR(a.items[0].text, "Envoyer le répertoire aux communes");
		CHECK_STR(a.items[0].owner, "CAI");
		CHECK_STR(a.items[0].due, "2021-03-15");
		CHECK(!a.items[0].done);
		CHECK_STR(a.items[1].text, "Relancer la commune de Ciney");
		CHECK_STR(a.items[1].owner, "gt-mobilite");
		CHECK_STR(a.items[1].due, "2021-03-15");
		CHECK(a.items[1].done);
		CHECK_STR(a.items[2].text, "Vérifier le 31/02/2021");
		CHECK(a.items[2].due == NULL);
		CHECK_STR(a.items[3].text, "Sans responsable ni date");
		CHECK(a.items[3].owner == NULL && a.items[3].due == NULL);
		CHECK_STR(a.items[4].text, "Sous-tâche");
		CHECK_STR(a.items[4].owner, "CPAS");
	}
	md_actions_free(&a);
	buf_free(&html);
	char iso[11];
	CHECK(md_parse_date("29/02/2024", 10, iso) && strcmp(iso, "2024-02-29") == 0);
	CHECK(!md_parse_date("29/02/2023", 10, iso));
	CHECK(!md_parse_date("2021-13-01", 10, iso));
	CHECK(!md_parse_date("2021-1-011", 10, iso));
}

/* The forms people type by mistake are actions too, each with its line;
 * inside a code fence they are text. */
static void action_variants(void)
{
	const char *md = "Suites\n"
			 "\n"
			 "- [] Sans espace @CAI\n"
			 "-[ ] Collé au tiret 2027-01-10\n"
			 "* [ ] Astérisque\n"
			 "1. [ ] Numérotée\n"
			 "2) [x] Parenthèse\n"
			 "-[] Les deux\n"
			 "```\n"
			 "-[] dans du code\n"
			 "```\n"
			 "- [a] pas une case\n";
	struct md_actions a = {0};
	struct buf html = {0};
	CHECK(md_render(md, strlen(md), &normal, &html, NULL, &a) == 0);
	CHECK_INT(a.n, 6);
	static const char *const texts[] = {"Sans espace", "Collé au tiret", "Astérisque",
					    "Numérotée", "Parenthèse", "Les deux"};
	static const size_t lines[] = {3, 4, 5, 6, 7, 8};
	for (size_t i = 0; i < a.n && i < 6; i++) {
		CHECK_STR(a.items[i].text, texts[i]);
		CHECK_INT(a.items[i].line, lines[i]);
	}
	if (a.n == 6) {
		CHECK_STR(a.items[0].owner, "CAI");
		CHECK_STR(a.items[1].due, "2027-01-10");
		CHECK(a.items[4].done && !a.items[5].done);
	}
	CHECK(strstr(buf_str(&html), "-[] dans du code") != NULL);
	CHECK(strstr(buf_str(&html), "[a] pas une case") != NULL);
	md_actions_free(&a);
	buf_free(&html);
	struct md_task_line t;
	CHECK(md_task_line("  - [ ] x", 9, &t) && !t.loose && t.text == 8);
	CHECK(md_task_line("-[x] x", 6, &t) && t.loose && t.mark == 'x');
	CHECK(!md_task_line("- [ ]", 5, &t));
	CHECK(!md_task_line("- [ ]   ", 8, &t));
	CHECK(!md_task_line("[ ] x", 5, &t));
	CHECK(!md_task_line("1234567890. [ ] x", 17, &t));
}

/* The rendered item never shows the raw syntax: the owner and the date
 * come after the text, in words; the checkbox follows the state. */
static void action_html(void)
{
	const char *html = html_of("- [ ] Envoyer le courrier @CAI 15/03/2021\n", &normal);
	CHECK(strstr(html, "@CAI") == NULL && strstr(html, "15/03/2021") == NULL);
	CHECK(strstr(html, "Envoyer le courrier <span class=\"action-meta\">— CAI, pour le 15 mars "
			   "2021</span>") != NULL);
	html = html_of("- [x] Fait @CAI\n", &normal);
	CHECK(strstr(html, "aria-label=\"fait\" disabled checked />Fait") != NULL);
	/* a link's text and a word glued to markup keep what they say */
	html = html_of("- [ ] Voir [@CAI 2021-03-15](https://exemple.be) **x**@CAI\n", &normal);
	CHECK(strstr(html, ">@CAI 2021-03-15</a>") != NULL);
	CHECK(strstr(html, "</strong>@") != NULL);
	/* an action holding a list: its owner and date right after its words */
	const char *nested = "- [ ] Préparer @CAI 2027-01-01\n  - [x] Salle @CPAS\n";
	html = html_of(nested, &normal);
	CHECK(strstr(html, "Préparer <span class=\"action-meta\">— CAI, pour le 1er janvier "
			   "2027</span><ul>") != NULL);
	struct buf text = {0};
	CHECK(md_render_text(nested, strlen(nested), &text) == 0);
	CHECK_STR(buf_str(&text), "- [ ] Préparer — CAI, pour le 1er janvier 2027\n"
				  "  - [x] Salle — CPAS");
	buf_free(&text);
}

/* The text part of mails reads like the page: numbers kept, nested lists
 * indented, tables in columns, links with their address, headings alone. */
static void mail_text(void)
{
	const char *md = "# Ordre du jour\n"
			 "Accueil.\n"
			 "\n"
			 "3. Retour sur le Forum Emploi Diversité\n"
			 "   - bilan des stands\n"
			 "   - suites\n"
			 "4. Divers\n"
			 "\n"
			 "Voir [le compte rendu](https://exemple.be/cr) ou <https://exemple.be>.\n"
			 "\n"
			 "| Commune | Motion |\n"
			 "|---|---|\n"
			 "| Andenne | votée |\n"
			 "| Fernelmont | en attente |\n"
			 "\n"
			 "## Suites\n"
			 "- [ ] Écrire &amp; envoyer @CAI 15/03/2027\n"
			 "- [x] Réserver la salle\n";
	struct buf out = {0};
	CHECK(md_render_text(md, strlen(md), &out) == 0);
	CHECK_STR(buf_str(&out), "Ordre du jour\n"
				 "=============\n"
				 "\n"
				 "Accueil.\n"
				 "\n"
				 "3. Retour sur le Forum Emploi Diversité\n"
				 "   - bilan des stands\n"
				 "   - suites\n"
				 "4. Divers\n"
				 "\n"
				 "Voir le compte rendu <https://exemple.be/cr> ou https://exemple.be.\n"
				 "\n"
				 "Commune     Motion\n"
				 "----------  ----------\n"
				 "Andenne     votée\n"
				 "Fernelmont  en attente\n"
				 "\n"
				 "Suites\n"
				 "------\n"
				 "\n"
				 "- [ ] Écrire & envoyer — CAI, pour le 15 mars 2027\n"
				 "- [x] Réserver la salle");
	buf_reset(&out);
	const char *quote = "> Citation\n> suite\n\n    code\n";
	CHECK(md_render_text(quote, strlen(quote), &out) == 0);
	CHECK_STR(buf_str(&out), "> Citation suite\n\n    code");
	buf_reset(&out);
	const char *links = "[x](javascript:alert(1)) [y](/meetings/1)";
	CHECK(md_render_text(links, strlen(links), &out) == 0);
	CHECK_STR(buf_str(&out), "x y");
	buf_free(&out);
}

/* The plain text for the index has the words, decoded, without markup. */
static void plain_text(void)
{
	struct buf html = {0}, plain = {0};
	const char *md = "# Réunion\n\nLe **CAI** &amp; le [CPAS](/x) &eacute;changent.\n\n"
			 "| a | b |\n|---|---|\n| c | d |\n";
	md_render(md, strlen(md), &normal, &html, &plain, NULL);
	CHECK(strstr(buf_str(&plain), "Réunion\n") != NULL);
	CHECK(strstr(buf_str(&plain), "Le CAI & le CPAS échangent.") != NULL);
	CHECK(strstr(buf_str(&plain), "c d") != NULL);
	CHECK(!strchr(buf_str(&plain), '<'));
	buf_free(&html);
	buf_free(&plain);
}

/* Deep nesting and a 20 MB line render without crashing, and the output
 * keeps the text. */
static void pathological_input(void)
{
	size_t n = 50000;
	struct buf md = {0}, html = {0};
	for (size_t i = 0; i < n; i++)
		buf_putc(&md, '>');
	buf_puts(&md, " fond\n");
	CHECK(md_render(md.data, md.len, &normal, &html, NULL, NULL) == 0);
	CHECK(strstr(buf_str(&html), "fond") != NULL);
	buf_reset(&md);
	buf_reset(&html);
	for (size_t i = 0; i < n; i++)
		buf_putc(&md, '[');
	buf_puts(&md, "x");
	for (size_t i = 0; i < n; i++)
		buf_puts(&md, "](/a)");
	CHECK(md_render(md.data, md.len, &normal, &html, NULL, NULL) == 0);
	CHECK(html.len > n);
	buf_reset(&md);
	buf_reset(&html);
	for (size_t i = 0; md.len < (20u << 20); i++)
		buf_puts(&md, "mot *CAI* [[Ciney]] ");
	CHECK(md_render(md.data, md.len, &normal, &html, NULL, NULL) == 0);
	CHECK(html.len > md.len);
	buf_free(&md);
	buf_free(&html);
}

/* The --ext names parse, and an unknown one is reported. */
static void extension_names(void)
{
	unsigned bits;
	struct buf bad = {0};
	CHECK(md_ext_parse("tables,wiki-links", &bits, &bad) == 0 && bits == (MDX_TABLES | MDX_WIKILINKS));
	CHECK(md_ext_parse("tables,emoji", &bits, &bad) == -1);
	CHECK_STR(buf_str(&bad), "emoji");
	buf_free(&bad);
}

/* Runs the renderer tests. */
void unit_markdown(void)
{
	RUN(hostile_schemes);
	RUN(allowed_links);
	RUN(raw_html_is_text);
	RUN(images);
	RUN(heading_ids);
	RUN(abbreviations);
	RUN(wiki_links);
	RUN(actions);
	RUN(action_variants);
	RUN(action_html);
	RUN(mail_text);
	RUN(plain_text);
	RUN(pathological_input);
	RUN(extension_names);
}
