/* network.c — page tests of the network's pages and files: documents
 * rendered again, communes, bodies, organisations, paging, the import of
 * content/, the body forms. Starts from the harness's pristine network
 * (harness_fresh). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "../../src/asset.h"
#include "../../src/auth.h"
#include "../../src/buf.h"
#include "../../src/content.h"
#include "../../src/db.h"
#include "../../src/doc.h"
#include "../../src/html.h"
#include "../../src/meeting.h"
#include "../../src/page.h"
#include "../../src/route.h"
#include "../test.h"
#include "harness.h"
#include "pages.h"

/* Documents stored by an older renderer are found and rendered again, with
 * the glossary and wiki links of the database. */
static void stale_documents_rerendered(void)
{
	CHECK(db_exec("INSERT OR REPLACE INTO glossary (acronym, expansion) VALUES ('GT', 'Groupe de travail')",
		      NULL) == 1);
	doc_glossary_changed(); /* written here behind content import's back */
	CHECK(db_exec("INSERT INTO body (slug, name, kind, description) VALUES "
		      "('gt-essai-rendu', 'GT Essai', 'working_group', '# Objectifs du GT\n\nVoir [[GT Essai]].')",
		      NULL) == 1);
	long long body = db_last_id();
	CHECK(db_exec("INSERT INTO meeting (body_id, title, start, agenda, minutes, render_version) "
		      "VALUES (?, 'Réunion', '2020-06-15T10:00', '1. Accueil', '- [ ] Relancer @CAI', ?)",
		      "ii", body, (long long)MD_RENDERER_VERSION - 1) == 1);
	CHECK_INT(doc_stale_count(), 2);
	CHECK_INT(doc_refresh_stale(), 2);
	CHECK_INT(doc_stale_count(), 0);
	json_t *b = db_row("SELECT description_html, description_text FROM body WHERE id = ?", "i", body);
	const char *html = json_string_value(json_object_get(b, "description_html"));
	CHECK(html && strstr(html, "<h1 id=\"objectifs-du-gt\">Objectifs du <abbr title=\"Groupe de travail\">GT</abbr></h1>"));
	CHECK(html && strstr(html, "<a href=\"/bodies/gt-essai-rendu\" class=\"wikilink\">GT Essai</a>"));
	const char *text = json_string_value(json_object_get(b, "description_text"));
	CHECK(text && strstr(text, "Voir GT Essai.") != NULL);
	json_decref(b);
	json_t *m = db_row("SELECT agenda_html, minutes_html FROM meeting WHERE body_id = ?", "i", body);
	CHECK(strstr(json_string_value(json_object_get(m, "agenda_html")), "<ol>") != NULL);
	CHECK(strstr(json_string_value(json_object_get(m, "minutes_html")), "task-list-item") != NULL);
	json_decref(m);
	CHECK_INT(doc_refresh_stale(), 0);
}

/* The communes: the list by reception office, one commune's page, and
 * typed NIS codes (anything else is 404). */
static void communes_pages(void)
{
	struct call c;
	CHECK_INT(call(&c, NULL, "GET", "/communes", NULL), 200);
	CHECK(body_has(&c, "Les 38 communes"));
	CHECK(body_has(&c, "Bureau de Philippeville"));
	CHECK(body_has(&c, "<a href=\"/communes/93088\">Walcourt</a>"));
	CHECK(body_has(&c, "<a href=\"/communes\" aria-current=\"page\">Communes</a>"));
	call_free(&c);
	CHECK_INT(call(&c, NULL, "GET", "/communes/92094", NULL), 200);
	CHECK(body_has(&c, "<h1>Namur</h1>") && body_has(&c, "Assesse") && !body_has(&c, ">Namur</a>"));
	CHECK(body_has(&c, "<a href=\"/bodies/coordination-locale-namur\">Coordination locale de Namur</a>"));
	CHECK(!body_has(&c, "Rencontre avec les services sociaux")); /* members only */
	call_free(&c);
	static const char *missing[] = {"/communes/12345", "/communes/9209", "/communes/92094x",
					"/communes/-9209", "/communes/%39%32%30%39%34%00"};
	for (size_t i = 0; i < sizeof(missing) / sizeof(missing[0]); i++) {
		int st = call(&c, NULL, "GET", missing[i], NULL);
		CHECKF(st == 404 || st == 400, "%s : %d", missing[i], st);
		call_free(&c);
	}
}

/* Writes text to a temporary file whose path is returned (static). */
static const char *temp_file(const char *text)
{
	static char path[64];
	snprintf(path, sizeof(path), "/tmp/maillage-content-XXXXXX");
	int fd = mkstemp(path);
	if (fd >= 0) {
		if (write(fd, text, strlen(text)) < 0)
			path[0] = '\0';
		close(fd);
	}
	return path;
}

/* A malformed communes file is refused with its path and line, and nothing
 * of it is kept; importing the same file twice changes nothing. */
static void commune_import_errors(void)
{
	static const char *bad[][2] = {
		{"nis,name,arrondissement,territory\n99999,Nouvelle,Namur,Namur\n9209a,X,Namur,Namur\n",
		 "ligne 3 : code INS « 9209a » invalide"},
		{"99999,Nouvelle,Namur,Namur\n99998,Seule\n", "ligne 2 : 4 colonnes attendues (nis, name"},
		{"99999,\"Nouvelle,Namur,Namur\n", "guillemet non refermé"},
		{"99999,Nouv\xFF" "elle,Namur,Namur\n", "UTF-8"},
		{"99999,,Namur,Namur\n", "obligatoires"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *path = temp_file(bad[i][0]);
		struct buf err = {0};
		CHECK_INT(content_import_communes(path, &err), -1);
		CHECKF(strstr(buf_str(&err), bad[i][1]) && strstr(buf_str(&err), path), "%s", buf_str(&err));
		CHECK_INT(db_int(-1, "SELECT count(*) FROM commune WHERE nis >= 99998", NULL), 0);
		buf_free(&err);
		unlink(path);
	}
	CHECK_INT(db_int(-1, "SELECT count(*) FROM commune", NULL), 38);
	struct buf err = {0};
	CHECK(db_exec("UPDATE commune SET modified = '2000-01-01T00:00:00Z'", NULL) == 38);
	CHECK_INT(content_import_communes("content/communes.csv", &err), 38);
	CHECK_INT(db_int(-1, "SELECT count(*) FROM commune WHERE modified <> '2000-01-01T00:00:00Z'",
			 NULL), 0);
	CHECK_INT(db_int(-1, "SELECT count(*) FROM territory", NULL), 8);
	CHECK_INT(content_import_communes("/nulle/part.csv", &err), -1);
	CHECK(strstr(buf_str(&err), "illisible") != NULL);
	buf_free(&err);
	/* wiki links now reach communes */
	struct buf html = {0};
	const char *md = "Rencontre à [[Ciney]] et à [[Atlantide]].";
	CHECK(doc_render(md, strlen(md), NULL, &html, NULL, NULL) == 0);
	CHECK(strstr(buf_str(&html), "<a href=\"/communes/91030\" class=\"wikilink\">Ciney</a>") != NULL);
	CHECK(strstr(buf_str(&html), "class=\"missing\"") != NULL);
	buf_free(&html);
}

/* The bodies: grouped by kind, filtered, one body's page; an internal body
 * exists only for the board and the staff. */
static void bodies_pages(void)
{
	struct browser anon = {0}, partner = {0}, admin = {0};
	struct call c;
	CHECK_INT(harness_login(&partner, HARNESS_PARTNER, PASSWORD), 303);
	CHECK_INT(harness_login(&admin, HARNESS_ADMIN, PASSWORD), 303);
	CHECK_INT(call(&c, &anon, "GET", "/bodies", NULL), 200);
	CHECK(body_has(&c, "<h2 id=\"k-platform\">Plateformes provinciales</h2>"));
	CHECK(body_has(&c, "<a href=\"/bodies/plateforme-citoyennete\">Plateforme citoyenneté</a>"));
	CHECK(body_has(&c, "Coordination locale d&#39;Andenne"));
	CHECK(!body_has(&c, "Bureau du conseil"));
	call_free(&c);
	CHECK_INT(call(&c, &partner, "GET", "/bodies", NULL), 200);
	CHECK(!body_has(&c, "Bureau du conseil"));
	call_free(&c);
	CHECK_INT(call(&c, &admin, "GET", "/bodies", NULL), 200);
	CHECK(body_has(&c, "Bureau du conseil"));
	call_free(&c);
	CHECK_INT(call(&c, &anon, "GET", "/bodies?kind=working_group", NULL), 200);
	CHECK(body_has(&c, "GT mobilité") && !body_has(&c, "Plateforme citoyenneté"));
	CHECK(body_has(&c, "href=\"/bodies?kind=working_group\" aria-current=\"page\""));
	call_free(&c);
	CHECK_INT(call(&c, &anon, "GET", "/bodies?kind=%3Cscript%3E&status=%27%20OR%201=1", NULL), 200);
	CHECK(body_has(&c, "Aucune instance") && !body_has(&c, "<script>"));
	call_free(&c);
	CHECK_INT(call(&c, &anon, "GET", "/bodies?axis=citoyennet%C3%A9", NULL), 200);
	CHECK(body_has(&c, "Plateforme citoyenneté</a>") && !body_has(&c, "Plateforme interculturelle</a>"));
	CHECK(body_has(&c, "<option value=\"citoyenneté\" selected>"));
	call_free(&c);
	CHECK_INT(call(&c, &anon, "GET", "/bodies?status=dormant", NULL), 200);
	CHECK(body_has(&c, "GT mobilité</a>") && !body_has(&c, "GT santé</a>"));
	call_free(&c);
	CHECK_INT(call(&c, &anon, "GET", "/bodies?territory=namur&kind=local_coordination", NULL), 200);
	CHECK(body_has(&c, "Coordination locale de Namur</a>") &&
	      !body_has(&c, "Coordination locale de Ciney</a>"));
	call_free(&c);
	CHECK_INT(call(&c, &anon, "GET", "/bodies/gt-mobilite", NULL), 200);
	CHECK(body_has(&c, "<span class=\"tag\">en veille</span>"));
	CHECK(body_has(&c, "<a href=\"/organisations/province-de-namur\">Province de Namur</a>"));
	CHECK(body_has(&c, "<p>A finalisé en 2020 le répertoire"));
	call_free(&c);
	CHECK_INT(call(&c, &anon, "GET", "/bodies/bureau-du-conseil", NULL), 404);
	call_free(&c);
	CHECK_INT(call(&c, &partner, "GET", "/bodies/bureau-du-conseil", NULL), 404);
	call_free(&c);
	CHECK_INT(call(&c, &admin, "GET", "/bodies/bureau-du-conseil", NULL), 200);
	call_free(&c);
	CHECK_INT(call(&c, &anon, "GET", "/bodies/Majuscules", NULL), 404);
	call_free(&c);
	CHECK_INT(call(&c, &anon, "GET", "/bodies/inconnue", NULL), 404);
	call_free(&c);
}

/* The organisations: the list, one partner's page and its bodies (without
 * the internal ones for visitors). */
static void organisations_pages(void)
{
	struct call c;
	CHECK_INT(call(&c, NULL, "GET", "/organisations", NULL), 200);
	CHECK(body_has(&c, "Les 37 organisations"));
	CHECK(body_has(&c, "<a href=\"/organisations/clps\">"));
	call_free(&c);
	CHECK_INT(call(&c, NULL, "GET", "/organisations/cai", NULL), 200);
	CHECK(body_has(&c, "(CAI)"));
	CHECK(body_has(&c, "Centre régional d'intégration de la province de Namur"));
	CHECK(body_has(&c, "<a href=\"/communes/92094\">Namur</a>"));
	CHECK(body_has(&c, "/bodies/plateforme-citoyennete") && !body_has(&c, "bureau-du-conseil"));
	CHECK(body_has(&c, "Mettre les capsules vidéo à disposition")); /* public meeting */
	CHECK(!body_has(&c, "Compléter le cadastre")); /* members only */
	call_free(&c);
	CHECK_INT(call(&c, NULL, "GET", "/organisations/personne", NULL), 404);
	call_free(&c);
}

/* Long lists come a hundred at a time, with links to the next page. */
static void pagination(void)
{
	for (int i = 0; i < 130; i++) {
		char slug[32], name[64];
		snprintf(slug, sizeof(slug), "gt-genere-%03d", i);
		snprintf(name, sizeof(name), "GT généré %03d", i);
		db_exec("INSERT INTO body (slug, name, kind) VALUES (?, ?, 'working_group')", "tt", slug, name);
		db_exec("INSERT INTO organisation (slug, name) VALUES (?, ?)", "tt", slug, name);
	}
	struct call c;
	CHECK_INT(call(&c, NULL, "GET", "/bodies?kind=working_group", NULL), 200);
	CHECK(body_has(&c, "GT généré 000") && !body_has(&c, "GT généré 120"));
	CHECK(body_has(&c, "href=\"/bodies?page=2&amp;kind=working_group\""));
	call_free(&c);
	CHECK_INT(call(&c, NULL, "GET", "/bodies?kind=working_group&page=2", NULL), 200);
	CHECK(body_has(&c, "GT généré 120") && !body_has(&c, "GT généré 000"));
	call_free(&c);
	CHECK_INT(call(&c, NULL, "GET", "/organisations", NULL), 200);
	CHECK(body_has(&c, "href=\"/organisations?page=2\""));
	call_free(&c);
	CHECK_INT(call(&c, NULL, "GET", "/organisations?page=2", NULL), 200);
	CHECK(body_has(&c, "GT généré 129"));
	call_free(&c);
	long long meeting = db_int(0, "SELECT id FROM meeting WHERE slug = '2020-11-27'", NULL);
	long long cai = db_int(0, "SELECT id FROM organisation WHERE slug = 'cai'", NULL);
	for (int i = 0; i < 120; i++)
		db_exec("INSERT INTO action (meeting_id, position, text, owner_organisation_id) "
			"VALUES (?, ?, ?, ?)", "iiti", meeting, (long long)100 + i, "Action générée", cai);
	CHECK_INT(call(&c, NULL, "GET", "/actions", NULL), 200);
	CHECK(body_has(&c, "href=\"/actions?page=2\""));
	call_free(&c);
	CHECK_INT(call(&c, NULL, "GET", "/actions?page=2", NULL), 200);
	CHECK(body_has(&c, "Action générée") && body_has(&c, "href=\"/actions?page=1\""));
	call_free(&c);
	/* an organisation's page shows its first 50 and leads to the rest */
	CHECK_INT(call(&c, NULL, "GET", "/organisations/cai", NULL), 200);
	int shown = 0;
	for (const char *p = buf_str(&c.resp.body); (p = strstr(p, "Action générée")); p++)
		shown++;
	long long others = db_int(-1, "SELECT count(*) FROM action a JOIN meeting m ON m.id = "
				  "a.meeting_id WHERE a.owner_organisation_id = ? AND a.state = 'open' AND "
				  "a.text <> 'Action générée' AND m.deleted = 0 AND m.visibility = "
				  "'public'", "i", cai);
	CHECK_INT(shown, 50 - others); /* its dated ones come first */
	CHECK(body_has(&c, "Les 50 premières par échéance") && body_has(&c, "href=\"/actions\""));
	call_free(&c);
	db_exec("DELETE FROM action WHERE text = 'Action générée'", NULL);
	db_exec("DELETE FROM body WHERE slug LIKE 'gt-genere-%'", NULL);
	db_exec("DELETE FROM organisation WHERE slug LIKE 'gt-genere-%'", NULL);
}

/* Copies content/ into a temporary folder and returns its path (static). */
static const char *content_copy(void)
{
	static char dir[64];
	char cmd[200];
	snprintf(dir, sizeof(dir), "/tmp/maillage-content-XXXXXX");
	if (!mkdtemp(dir))
		return "/nonexistent";
	snprintf(cmd, sizeof(cmd), "cp -r content/. %s/", dir);
	return system(cmd) == 0 ? dir : "/nonexistent";
}

/* Replaces a file of a content copy. */
static void put_file(const char *dir, const char *name, const char *text)
{
	char path[300];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

/* A malformed file stops the whole import with its path and line; nothing
 * of it is kept; a second import of the same files changes nothing. */
static void content_import(void)
{
	static const char *bad[][3] = {
		{"bodies/gt-sante/body.md", "---\nname: GT santé\nkind: working_group\ncolour: vert\n---\n",
		 "bodies/gt-sante/body.md, ligne 4 : clé inconnue « colour »"},
		{"bodies/gt-sante/body.md", "---\nname: GT santé\nkind: groupe\n---\n",
		 "ligne 3 : « groupe » inattendu pour kind"},
		{"bodies/gt-sante/body.md", "---\nname: GT\nkind: working_group\nmembers:\n  - atlantide\n---\n",
		 "membre inconnu « atlantide »"},
		{"bodies/gt-sante/body.md", "name: pas d'en-tête\n", "ligne 1 : l'en-tête « --- » manque"},
		{"organisations/cai.md", "---\nname: CAI\ncommune: Atlantis\n---\n",
		 "organisations/cai.md, ligne 3 : commune inconnue « Atlantis »"},
		{"organisations/cai.md", "---\nname: CAI\nwebsite: javascript:alert(1)\n---\n",
		 "le site doit commencer par https://"},
		{"organisations/Mauvais Nom.md", "---\nname: X\n---\n", "nom de fichier invalide"},
		{"bodies/gt-sante/2021-02-30.md", "---\ntitle: R\n---\n", "date du nom de fichier impossible"},
		{"bodies/gt-sante/2021-03-01.md", "---\ntitle: R\nstart: \"14:00\"\nend: \"09:00\"\n---\n",
		 "ligne 4 : La réunion ne peut pas finir avant de commencer."},
		{"bodies/gt-sante/2021-03-02.md", "---\ntitle: R\nformat: en ligne\n---\n",
		 "ligne 3 : Le format doit être"},
		{"bodies/gt-sante/2021-03-01.md", "---\ntitle: R\nstart: \"25:00\"\n---\n",
		 "ligne 3 : « start » attend une heure"},
		{"bodies/gt-sante/2021-03-01.md", "---\ntitle: R\nattendance:\n  cai: peut-être\n---\n",
		 "« peut-être » inattendu pour attendance"},
		{"bodies/gt-sante/notes.md", "---\ntitle: R\n---\n", "nom attendu AAAA-MM-JJ.md"},
	};
	json_t *before = db_row("SELECT (SELECT count(*) FROM body) AS b, (SELECT count(*) FROM membership) AS m, "
				"(SELECT group_concat(modified) FROM organisation) AS om", NULL);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *dir = content_copy();
		struct buf err = {0};
		put_file(dir, bad[i][0], bad[i][1]);
		db_exec("UPDATE body SET name = 'modifié' WHERE slug = 'gt-mobilite'", NULL);
		CHECK_INT(content_import_dir(dir, &err), -1);
		CHECKF(strstr(buf_str(&err), bad[i][2]) != NULL, "%s", buf_str(&err));
		CHECK_INT(db_int(0, "SELECT count(*) FROM body WHERE name = 'modifié'", NULL), 1);
		buf_free(&err);
		char cmd[128];
		snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
		CHECK(system(cmd) == 0);
	}
	struct buf err = {0};
	long long audits = db_int(0, "SELECT count(*) FROM audit WHERE action = 'import'", NULL);
	CHECK(audits >= 15 + 21); /* the first import: every organisation and body */
	CHECK_INT(content_import_dir("content", &err), 0);
	CHECK_INT(db_int(0, "SELECT count(*) FROM body WHERE name = 'modifié'", NULL), 0);
	CHECK_INT(db_int(0, "SELECT count(*) FROM audit WHERE action = 'import' AND object = 'body' "
			 "AND after = 'gt-mobilite' AND id > (SELECT max(id) - 5 FROM audit)", NULL), 1);
	audits = db_int(0, "SELECT count(*) FROM audit WHERE action = 'import'", NULL);
	db_exec("UPDATE organisation SET modified = '2000-01-01T00:00:00Z'", NULL);
	db_exec("UPDATE body SET modified = '2000-01-01T00:00:00Z'", NULL);
	db_exec("UPDATE membership SET modified = '2000-01-01T00:00:00Z'", NULL);
	long long ids = db_int(0, "SELECT sum(id) FROM membership", NULL);
	CHECK_INT(content_import_dir("content", &err), 0);
	CHECK_INT(db_int(-1, "SELECT count(*) FROM organisation WHERE modified <> '2000-01-01T00:00:00Z'",
			 NULL), 0);
	CHECK_INT(db_int(-1, "SELECT count(*) FROM body WHERE modified <> '2000-01-01T00:00:00Z'", NULL), 0);
	CHECK_INT(db_int(-1, "SELECT count(*) FROM membership WHERE modified <> '2000-01-01T00:00:00Z'",
			 NULL), 0);
	CHECK_INT(db_int(0, "SELECT sum(id) FROM membership", NULL), ids);
	CHECK_INT(db_int(0, "SELECT count(*) FROM audit WHERE action = 'import'", NULL), audits);
	json_t *after = db_row("SELECT (SELECT count(*) FROM body) AS b, (SELECT count(*) FROM membership) AS m, "
			       "(SELECT group_concat(modified) FROM organisation) AS om", NULL);
	CHECK(json_equal(json_object_get(before, "b"), json_object_get(after, "b")));
	CHECK(json_equal(json_object_get(before, "m"), json_object_get(after, "m")));
	json_decref(before);
	json_decref(after);
	buf_free(&err);
}

/* Coordinators create and edit bodies: checks, members, rendered
 * description, audit; partners may not. */
static void body_forms(void)
{
	struct browser coord = {0}, partner = {0};
	CHECK_INT(harness_login(&coord, "coord@pages.test", PASSWORD), 303);
	CHECK_INT(harness_login(&partner, HARNESS_PARTNER, PASSWORD), 303);
	long long cai = db_int(0, "SELECT id FROM organisation WHERE slug = 'cai'", NULL);
	long long clps = db_int(0, "SELECT id FROM organisation WHERE slug = 'clps'", NULL);
	struct buf form = {0};
	struct call c;
	CHECK_INT(call(&c, &coord, "GET", "/bodies/new", NULL), 200);
	CHECK(body_has(&c, "<input id=\"name\" name=\"name\" value=\"\""));
	call_free(&c);
	static const char *slugs[][2] = {{"../etc", "identifiant"}, {"gt-sante", "déjà cet identifiant"},
					  {"Majuscules", "identifiant"}};
	for (size_t i = 0; i < 3; i++) {
		buf_reset(&form);
		buf_printf(&form, "_csrf=%s&name=GT+logement&slug=", coord.csrf);
		html_url_encode(&form, slugs[i][0], strlen(slugs[i][0]));
		buf_puts(&form, "&kind=working_group&status=active&visibility=members");
		CHECK_INT(call(&c, &coord, "POST", "/bodies", buf_str(&form)), 422);
		CHECKF(body_has(&c, slugs[i][1]), "%s", slugs[i][0]);
		CHECK(body_has(&c, "value=\"GT logement\""));
		call_free(&c);
	}
	buf_reset(&form);
	buf_printf(&form, "_csrf=%s&name=GT+logement&slug=gt-logement&kind=working_group&status=active"
		   "&visibility=members&members=%lld&members=%lld&pilot_id=%lld&description=%s",
		   partner.csrf, cai, clps, cai, "Le+**logement**+des+primo-arrivants");
	CHECK_INT(call(&c, &partner, "POST", "/bodies", buf_str(&form)), 403);
	call_free(&c);
	buf_reset(&form);
	buf_printf(&form, "_csrf=%s&name=GT+logement&slug=gt-logement&kind=working_group&status=active"
		   "&visibility=members&members=%lld&members=%lld&pilot_id=%lld&description=%s",
		   coord.csrf, cai, clps, cai, "Le+**logement**+des+primo-arrivants");
	CHECK_INT(call(&c, &coord, "POST", "/bodies", buf_str(&form)), 303);
	CHECK_STR(resp_get_header(&c.resp, "Location"), "/bodies/gt-logement");
	call_free(&c);
	CHECK_INT(call(&c, &coord, "GET", "/bodies/gt-logement", NULL), 200);
	CHECK(body_has(&c, "<p>Le <strong>logement</strong> des primo-arrivants</p>"));
	CHECK(body_has(&c, "/organisations/clps"));
	call_free(&c);
	long long id = db_int(0, "SELECT id FROM body WHERE slug = 'gt-logement'", NULL);
	CHECK_INT(db_int(0, "SELECT count(*) FROM membership WHERE body_id = ?", "i", id), 2);
	CHECK_INT(db_int(0, "SELECT count(*) FROM audit WHERE object = 'body' AND object_id = ? AND "
			 "action = 'create'", "i", id), 1);
	buf_reset(&form);
	buf_printf(&form, "_csrf=%s&name=GT+logement&kind=working_group&status=dormant"
		   "&visibility=members&members=%lld&description=", coord.csrf, clps);
	CHECK_INT(call(&c, &coord, "POST", "/bodies/gt-logement", buf_str(&form)), 303);
	call_free(&c);
	CHECK_INT(db_int(0, "SELECT count(*) FROM membership WHERE body_id = ?", "i", id), 1);
	CHECK_INT(db_int(0, "SELECT count(*) FROM body WHERE id = ? AND status = 'dormant' AND "
			 "description_html = ''", "i", id), 1);
	CHECK_INT(call(&c, &coord, "GET", "/bodies/gt-logement/edit", NULL), 200);
	CHECK(body_has(&c, "value=\"dormant\" selected"));
	call_free(&c);
	CHECK_INT(call(&c, &coord, "POST", "/bodies/inconnue", buf_str(&form)), 404);
	call_free(&c);
	buf_free(&form);
}

/* Runs the network cases on a fresh copy of the network. */
void pages_network(void)
{
	harness_fresh();
	RUN(stale_documents_rerendered);
	RUN(communes_pages);
	RUN(commune_import_errors);
	RUN(bodies_pages);
	RUN(organisations_pages);
	RUN(pagination);
	RUN(content_import);
	RUN(body_forms);
}
