/* files.c — page tests of documents: attaching every accepted type and
 * refusing the others with a French reason, names cleaned, the headers
 * and ranges of a served file, its visibility for each kind of reader,
 * renaming, replacing (history kept), deleting and restoring.
 * The documents are written by tests/files/samples.py into a temporary
 * folder. Starts from the harness's pristine network (harness_fresh). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/db.h"
#include "../test.h"
#include "harness.h"
#include "pages.h"

static char samples[] = "/tmp/maillage-samples-XXXXXX";

/* Returns the path of sample name (in the samples' folder). */
static const char *sample(const char *name)
{
	static char path[64][200]; /* enough for one form of every type */
	static int next;
	char *p = path[next++ % 64];
	snprintf(p, sizeof(path[0]), "%s/%s", samples, name);
	return p;
}

/* Returns the id of a meeting of the Namur local coordination of the
 * given visibility, made for the test. */
static long long meeting_of(const char *visibility)
{
	CHECK(db_exec("INSERT INTO meeting (body_id, title, start, visibility) SELECT id, "
		      "'Réunion des documents ' || ?1, '2031-03-12T14:00', ?1 FROM body WHERE "
		      "slug = 'coordination-locale-namur'", "t", visibility) == 1);
	return db_last_id();
}

/* Attaches one file (path, named name) to meeting id as coord; returns
 * the status, the response left in c. */
static int attach(struct call *c, struct browser *coord, long long id, const char *path,
		  const char *name)
{
	char ids[24];
	snprintf(ids, sizeof(ids), "%lld", id);
	return harness_upload(c, coord, "/files", (const char *[]){"kind", "meeting", "id", ids, NULL},
			      (const char *[]){"files", path, name, NULL});
}

/* Tells whether c's response is of a type that contains s. */
static bool type_has(const struct call *c, const char *s)
{
	return c->resp.content_type && strstr(c->resp.content_type, s);
}

/* Returns the id of the newest file of meeting id, or 0. */
static long long newest_file(long long id)
{
	return db_int(0, "SELECT max(id) FROM file WHERE meeting_id = ?", "i", id);
}

/* Every accepted type goes in, all in one form, and is listed on the
 * meeting's page with its French type and size; the same bytes twice are
 * kept once. */
static void attach_every_type(void)
{
	static const char *const names[][2] = {
		{"ordre-du-jour.pdf", "PDF"}, {"compte-rendu.docx", "Document Word"},
		{"compte-rendu.odt", "Texte LibreOffice"}, {"compte-rendu.pptx", "Présentation PowerPoint"},
		{"compte-rendu.rtf", "Texte RTF"}, {"budget.xlsx", "Classeur Excel"},
		{"budget.ods", "Classeur LibreOffice"}, {"presentation.odp", "Présentation LibreOffice"},
		{"ancien.doc", "Document Word 97-2003"}, {"ancien.xls", "Classeur Excel 97-2003"},
		{"ancien.ppt", "Présentation PowerPoint 97-2003"}, {"notes.txt", "Texte"},
		{"presences.csv", "Tableau CSV"}, {"notes.md", "Texte Markdown"},
		{"photo.png", "Image PNG"}, {"photo.jpg", "Image JPEG"}, {"photo.webp", "Image WebP"},
		{"photo.gif", "Image GIF"}};
	enum { N = sizeof(names) / sizeof(names[0]) };
	struct browser coord = {0};
	CHECK_INT(harness_login(&coord, HARNESS_COORD, PASSWORD), 303);
	long long m = meeting_of("members");
	const char *files[(N + 1) * 3 + 1];
	for (size_t i = 0; i < N; i++) {
		files[i * 3] = "files";
		files[i * 3 + 1] = sample(names[i][0]);
		files[i * 3 + 2] = names[i][0];
	}
	files[N * 3] = "files", files[N * 3 + 1] = sample("notes.txt"), files[N * 3 + 2] = "copie.txt";
	files[(N + 1) * 3] = NULL;
	char ids[24];
	snprintf(ids, sizeof(ids), "%lld", m);
	struct call c;
	CHECK_INT(harness_upload(&c, &coord, "/files", (const char *[]){"kind", "meeting", "id", ids,
									 NULL}, files), 303);
	CHECKF(header_has(&c, "Location", "#documents"), "%s", buf_str(&c.resp.body));
	call_free(&c);
	CHECK_INT(db_int(0, "SELECT count(*) FROM file WHERE meeting_id = ?", "i", m), N + 1);
	CHECK_INT(db_int(0, "SELECT count(DISTINCT blob_id) FROM file WHERE meeting_id = ?", "i", m), N);
	char path[64];
	snprintf(path, sizeof(path), "/meetings/%lld", m);
	CHECK_INT(call(&c, &coord, "GET", path, NULL), 200);
	for (size_t i = 0; i < N; i++) {
		CHECKF(body_has(&c, names[i][0]), "%s absent", names[i][0]);
		char label[80];
		snprintf(label, sizeof(label), "%s, ", names[i][1]);
		CHECKF(body_has(&c, label), "%s absent", label);
	}
	CHECK(body_has(&c, "copie.txt"));
	CHECK(body_has(&c, "ajouté le "));
	call_free(&c);
}

/* Each refused file gets a French reason naming the type found; nothing
 * of them is kept, while the good one of the same form is. */
static void refuse_other_types(void)
{
	static const char *const cases[][3] = {
		{"refus/page.pdf", "page.pdf", "« page web (HTML) » (text/html)"},
		{"refus/dessin.svg", "dessin.svg", "« image SVG » (image/svg+xml)"},
		{"refus/programme.pdf", "programme.pdf", "« programme exécutable »"},
		{"refus/vide.pdf", "vide.pdf", "est vide"},
		{"refus/archive.zip", "archive.zip", "« archive compressée » (application/zip)"},
		{"notes.txt", "notes.pdf", "son nom se termine par .pdf, mais son contenu est du type "
					   "« Texte » (text/plain)"},
	};
	struct browser coord = {0};
	CHECK_INT(harness_login(&coord, HARNESS_COORD, PASSWORD), 303);
	long long m = meeting_of("public");
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct call c;
		CHECK_INT(attach(&c, &coord, m, sample(cases[i][0]), cases[i][1]), 422);
		CHECKF(body_has(&c, cases[i][2]), "%s : %s", cases[i][1], buf_str(&c.resp.body));
		CHECK(body_has(&c, "n&#39;est pas accepté") || body_has(&c, "est vide"));
		call_free(&c);
	}
	CHECK_INT(db_int(-1, "SELECT count(*) FROM file WHERE meeting_id = ?", "i", m), 0);
	/* one good and one bad in the same form: the good one stays, the page says both */
	char ids[24];
	snprintf(ids, sizeof(ids), "%lld", m);
	struct call c;
	CHECK_INT(harness_upload(&c, &coord, "/files", (const char *[]){"kind", "meeting", "id", ids,
									 NULL},
				 (const char *[]){"files", sample("photo.png"), "photo.png", "files",
						  sample("refus/dessin.svg"), "dessin.svg", NULL}),
		  422);
	CHECK(body_has(&c, "Ceux-ci sont bien joints") && body_has(&c, "photo.png"));
	call_free(&c);
	CHECK_INT(db_int(-1, "SELECT count(*) FROM file WHERE meeting_id = ?", "i", m), 1);
	/* a form without a file, and a script's reply in JSON */
	CHECK_INT(harness_upload(&c, &coord, "/files", (const char *[]){"kind", "meeting", "id", ids,
									 NULL}, (const char *[]){NULL}),
		  422);
	CHECK(body_has(&c, "Choisissez au moins un fichier"));
	call_free(&c);
	CHECK_INT(harness_upload(&c, &coord, "/files", (const char *[]){"kind", "meeting", "id", ids,
									 "reply", "json", NULL},
				 (const char *[]){"files", sample("refus/dessin.svg"), "dessin.svg",
						  NULL}),
		  200);
	CHECK(type_has(&c, "application/json"));
	CHECK(body_has(&c, "\"refused\"") && body_has(&c, "image SVG"));
	call_free(&c);
	/* no such record, no such kind */
	CHECK_INT(harness_upload(&c, &coord, "/files", (const char *[]){"kind", "meeting", "id",
									 "999999", NULL},
				 (const char *[]){"files", sample("photo.png"), "photo.png", NULL}),
		  404);
	call_free(&c);
	CHECK_INT(harness_upload(&c, &coord, "/files", (const char *[]){"kind", "user", "id", "1",
									 NULL},
				 (const char *[]){"files", sample("photo.png"), "photo.png", NULL}),
		  400);
	call_free(&c);
}

/* A name keeps no folder, no control or direction character, at most 200
 * characters with its extension; one without extension gets its type's. */
static void clean_names(void)
{
	struct browser coord = {0};
	CHECK_INT(harness_login(&coord, HARNESS_COORD, PASSWORD), 303);
	long long m = meeting_of("public");
	char longname[400];
	memset(longname, 'a', 300);
	strcpy(longname + 300, ".pdf");
	static char spoof[] = "rapport\xe2\x80\xae" "fdp.exe.pdf"; /* U+202E turns it around */
	const char *cases[][2] = {
		{"../../etc/passwd.pdf", "passwd.pdf"},
		{"C:\\Documents\\ordre.pdf", "ordre.pdf"},
		{spoof, "rapportfdp.exe.pdf"},
		{"ordre\x01\x1f\x7f du jour.pdf", "ordre du jour.pdf"},
		{"..pdf", "pdf.pdf"}, /* no hidden file; the type gives the extension */
		{"sans-extension", "sans-extension.pdf"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct call c;
		CHECK_INT(attach(&c, &coord, m, sample("ordre-du-jour.pdf"), cases[i][0]), 303);
		call_free(&c);
		json_t *f = db_row("SELECT name FROM file WHERE id = ?", "i", newest_file(m));
		CHECKF(f && strcmp(db_str(f, "name"), cases[i][1]) == 0, "%s → %s", cases[i][1],
		       f ? db_str(f, "name") : "?");
		json_decref(f);
	}
	struct call c;
	CHECK_INT(attach(&c, &coord, m, sample("ordre-du-jour.pdf"), longname), 303);
	call_free(&c);
	json_t *f = db_row("SELECT name, length(name) AS n FROM file WHERE id = ?", "i", newest_file(m));
	CHECK_INT(db_num(f, "n"), 200);
	CHECK(f && strcmp(db_str(f, "name") + 196, ".pdf") == 0);
	json_decref(f);
	/* a name the meeting holds already gets « (2) », then « (3) » */
	for (int k = 2; k <= 3; k++) {
		CHECK_INT(attach(&c, &coord, m, sample("ordre-du-jour.pdf"), "passwd.pdf"), 303);
		call_free(&c);
		json_t *f = db_row("SELECT name FROM file WHERE id = ?", "i", newest_file(m));
		char want[32];
		snprintf(want, sizeof(want), "passwd (%d).pdf", k);
		CHECK_STR(db_str(f, "name"), want);
		json_decref(f);
	}
	/* HTML in a name is shown as text */
	CHECK_INT(attach(&c, &coord, m, sample("ordre-du-jour.pdf"), "<img src=x onerror=alert(1)>.pdf"),
		  303);
	call_free(&c);
	char path[64];
	snprintf(path, sizeof(path), "/meetings/%lld", m);
	CHECK_INT(call(&c, &coord, "GET", path, NULL), 200);
	CHECK(!body_has(&c, "<img src=x") && body_has(&c, "&lt;img src=x onerror=alert(1)&gt;.pdf"));
	call_free(&c);
}

/* A served file: its type, the sandbox, nosniff, its disposition (inline
 * for PDF and pictures, with the real name in filename*), ETag and 304,
 * and ranges: first bytes, middle, suffix, past the end. */
static void serve_headers(void)
{
	struct browser coord = {0};
	CHECK_INT(harness_login(&coord, HARNESS_COORD, PASSWORD), 303);
	long long m = meeting_of("public");
	struct call c;
	CHECK_INT(attach(&c, &coord, m, sample("ordre-du-jour.pdf"), "Ordre du jour été.pdf"), 303);
	call_free(&c);
	long long pdf = newest_file(m);
	CHECK_INT(attach(&c, &coord, m, sample("compte-rendu.docx"), "compte-rendu.docx"), 303);
	call_free(&c);
	long long docx = newest_file(m);
	CHECK_INT(attach(&c, &coord, m, sample("photo.png"), "photo.png"), 303);
	call_free(&c);
	long long png = newest_file(m);
	struct buf want = {0};
	char cat[200];
	snprintf(cat, sizeof(cat), "cat %s", sample("ordre-du-jour.pdf"));
	CHECK(test_read_command(cat, &want) == 0);
	struct browser anon = {0};
	char path[80];
	snprintf(path, sizeof(path), "/files/%lld/ordre-du-jour-ete.pdf", pdf);
	CHECK_INT(call(&c, &anon, "GET", path, NULL), 200);
	CHECK(c.resp.body.len == want.len && memcmp(c.resp.body.data, want.data, want.len) == 0);
	CHECK(type_has(&c, "application/pdf"));
	CHECK(header_has(&c, "Content-Security-Policy", "sandbox; default-src 'none'"));
	CHECK(header_has(&c, "X-Content-Type-Options", "nosniff"));
	CHECK(header_has(&c, "Content-Disposition", "inline; filename=\"ordre-du-jour-ete.pdf\"; "
			 "filename*=UTF-8''Ordre%20du%20jour%20%C3%A9t%C3%A9.pdf"));
	CHECK(header_has(&c, "Accept-Ranges", "bytes"));
	const char *etag = resp_get_header(&c.resp, "ETag");
	char tag[80];
	snprintf(tag, sizeof(tag), "%s", etag ? etag : "");
	CHECK(strlen(tag) == 66);
	call_free(&c);
	anon.if_none_match = tag;
	CHECK_INT(call(&c, &anon, "GET", path, NULL), 304);
	CHECK(c.resp.body.len == 0);
	call_free(&c);
	anon.if_none_match = NULL;
	/* ranges */
	anon.range = "bytes=0-7";
	CHECK_INT(call(&c, &anon, "GET", path, NULL), 206);
	CHECK(c.resp.body.len == 8 && memcmp(c.resp.body.data, "%PDF-1.4", 8) == 0);
	CHECK(header_has(&c, "Content-Range", arena_printf(&c.req.arena, "bytes 0-7/%zu", want.len)));
	call_free(&c);
	anon.range = "bytes=9-14";
	CHECK_INT(call(&c, &anon, "GET", path, NULL), 206);
	CHECK(c.resp.body.len == 6 && memcmp(c.resp.body.data, want.data + 9, 6) == 0);
	call_free(&c);
	anon.range = "bytes=-6";
	CHECK_INT(call(&c, &anon, "GET", path, NULL), 206);
	CHECK(c.resp.body.len == 6 && memcmp(c.resp.body.data, "%%EOF\n", 6) == 0);
	call_free(&c);
	anon.range = "bytes=999999-";
	CHECK_INT(call(&c, &anon, "GET", path, NULL), 416);
	CHECK(header_has(&c, "Content-Range", arena_printf(&c.req.arena, "bytes */%zu", want.len)));
	call_free(&c);
	anon.range = "bytes=0-1,4-5"; /* several ranges: the whole file */
	CHECK_INT(call(&c, &anon, "GET", path, NULL), 200);
	CHECK(c.resp.body.len == want.len);
	call_free(&c);
	anon.range = NULL;
	/* a Word document downloads, a picture opens */
	snprintf(path, sizeof(path), "/files/%lld/compte-rendu.docx", docx);
	CHECK_INT(call(&c, &anon, "GET", path, NULL), 200);
	CHECK(header_has(&c, "Content-Disposition", "attachment; "));
	CHECK(type_has(&c, "wordprocessingml.document"));
	CHECK(header_has(&c, "Content-Security-Policy", "sandbox"));
	call_free(&c);
	snprintf(path, sizeof(path), "/files/%lld/photo.png", png);
	CHECK_INT(call(&c, &anon, "GET", path, NULL), 200);
	CHECK(header_has(&c, "Content-Disposition", "inline; "));
	CHECK(type_has(&c, "image/png"));
	call_free(&c);
	snprintf(path, sizeof(path), "/files/%lld/photo.png?download=1", png); /* the API's downloadUrl */
	CHECK_INT(call(&c, &anon, "GET", path, NULL), 200);
	CHECK(header_has(&c, "Content-Disposition", "attachment; filename=\"photo.png\""));
	call_free(&c);
	/* the polyglot is a PDF, and only ever served as one, under the sandbox */
	CHECK_INT(attach(&c, &coord, m, sample("polyglotte.pdf"), "polyglotte.pdf"), 303);
	call_free(&c);
	snprintf(path, sizeof(path), "/files/%lld/polyglotte.pdf", newest_file(m));
	CHECK_INT(call(&c, &anon, "GET", path, NULL), 200);
	CHECK(type_has(&c, "application/pdf"));
	CHECK(header_has(&c, "Content-Security-Policy", "sandbox; default-src 'none'"));
	CHECK(!header_has(&c, "Content-Security-Policy", "script-src"));
	call_free(&c);
	buf_free(&want);
}

/* A members-only meeting's file: 404 for the anonymous reader and for a
 * partner whose organisation is not a member (its page and its address),
 * open to a member, the board and the coordination; a deleted file or a
 * deleted meeting hides it from all but the coordination. */
static void visibility(void)
{
	struct browser coord = {0}, member = {0}, other = {0}, board = {0}, anon = {0};
	CHECK_INT(harness_login(&coord, HARNESS_COORD, PASSWORD), 303);
	CHECK_INT(harness_login(&member, HARNESS_MEMBER, PASSWORD), 303);
	CHECK_INT(harness_login(&other, HARNESS_PARTNER, PASSWORD), 303);
	CHECK_INT(harness_login(&board, HARNESS_BOARD, PASSWORD), 303);
	long long m = meeting_of("members");
	struct call c;
	CHECK_INT(attach(&c, &coord, m, sample("ordre-du-jour.pdf"), "reserve.pdf"), 303);
	call_free(&c);
	long long f = newest_file(m);
	char file[64], page[64];
	snprintf(file, sizeof(file), "/files/%lld/reserve.pdf", f);
	snprintf(page, sizeof(page), "/files/%lld", f);
	struct browser *const readers[] = {&anon, &other, &member, &board, &coord};
	const int want[] = {404, 404, 200, 200, 200};
	for (size_t i = 0; i < 5; i++) {
		CHECK_INT(call(&c, readers[i], "GET", file, NULL), want[i]);
		call_free(&c);
		CHECK_INT(call(&c, readers[i], "GET", page, NULL), want[i]);
		call_free(&c);
	}
	/* deleted: the coordination alone, who can restore it */
	char del[80];
	snprintf(del, sizeof(del), "/files/%lld/delete", f);
	CHECK_INT(harness_post(&coord, del, (const char *[]){NULL}, NULL), 303);
	CHECK_INT(db_int(0, "SELECT count(*) FROM audit WHERE object = 'file' AND object_id = ? AND "
			 "action = 'delete'", "i", f), 1);
	CHECK_INT(call(&c, &member, "GET", file, NULL), 404);
	call_free(&c);
	char mpage[64];
	snprintf(mpage, sizeof(mpage), "/meetings/%lld", m);
	CHECK_INT(call(&c, &member, "GET", mpage, NULL), 200);
	CHECK(!body_has(&c, "reserve.pdf"));
	call_free(&c);
	CHECK_INT(call(&c, &coord, "GET", mpage, NULL), 200);
	CHECK(body_has(&c, "reserve.pdf") && body_has(&c, "supprimé"));
	call_free(&c);
	CHECK_INT(call(&c, &coord, "GET", page, NULL), 200);
	CHECK(body_has(&c, "Rétablir le document"));
	call_free(&c);
	snprintf(del, sizeof(del), "/files/%lld/undelete", f);
	CHECK_INT(harness_post(&coord, del, (const char *[]){NULL}, NULL), 303);
	CHECK_INT(call(&c, &member, "GET", file, NULL), 200);
	call_free(&c);
	/* the meeting deleted: its files go with it */
	CHECK(db_exec("UPDATE meeting SET deleted = 1 WHERE id = ?", "i", m) == 1);
	CHECK_INT(call(&c, &member, "GET", file, NULL), 404);
	call_free(&c);
	CHECK_INT(call(&c, &board, "GET", file, NULL), 404);
	call_free(&c);
	CHECK(db_exec("UPDATE meeting SET deleted = 0 WHERE id = ?", "i", m) == 1);
	/* a partner may not attach */
	CHECK_INT(attach(&c, &member, m, sample("photo.png"), "photo.png"), 403);
	call_free(&c);
}

/* Renaming keeps the extension; replacing keeps the old version in the
 * history, still served; both are audited. */
static void rename_and_replace(void)
{
	struct browser coord = {0};
	CHECK_INT(harness_login(&coord, HARNESS_COORD, PASSWORD), 303);
	long long m = meeting_of("public");
	struct call c;
	CHECK_INT(attach(&c, &coord, m, sample("ordre-du-jour.pdf"), "ordre.pdf"), 303);
	call_free(&c);
	long long f = newest_file(m);
	char path[80];
	snprintf(path, sizeof(path), "/files/%lld/rename", f);
	CHECK_INT(harness_post(&coord, path, (const char *[]){"name", "Ordre du jour signé", NULL},
			       NULL), 303);
	json_t *row = db_row("SELECT name FROM file WHERE id = ?", "i", f);
	CHECK_STR(db_str(row, "name"), "Ordre du jour signé.pdf");
	json_decref(row);
	CHECK_INT(harness_post(&coord, path, (const char *[]){"name", "ordre.exe", NULL}, NULL), 303);
	row = db_row("SELECT name FROM file WHERE id = ?", "i", f);
	CHECK_STR(db_str(row, "name"), "ordre.exe.pdf");
	json_decref(row);
	CHECK_INT(db_int(0, "SELECT count(*) FROM audit WHERE object = 'file' AND object_id = ? AND "
			 "action = 'rename'", "i", f), 2);
	snprintf(path, sizeof(path), "/files/%lld/replace", f);
	CHECK_INT(harness_upload(&c, &coord, path, (const char *[]){NULL},
				 (const char *[]){"file", sample("compte-rendu.docx"), "ordre v2.docx",
						  NULL}), 303);
	call_free(&c);
	long long v2 = newest_file(m);
	CHECK(v2 != f);
	CHECK_INT(db_int(0, "SELECT replaced_by FROM file WHERE id = ?", "i", f), v2);
	char page[64];
	snprintf(page, sizeof(page), "/files/%lld", v2);
	CHECK_INT(call(&c, &coord, "GET", page, NULL), 200);
	CHECK(body_has(&c, "ordre v2.docx") && body_has(&c, "ordre.exe.pdf"));
	call_free(&c);
	snprintf(page, sizeof(page), "/meetings/%lld", m);
	CHECK_INT(call(&c, &coord, "GET", page, NULL), 200);
	CHECK(body_has(&c, "ordre v2.docx") && !body_has(&c, "ordre.exe.pdf"));
	call_free(&c);
	snprintf(page, sizeof(page), "/files/%lld/ordre.pdf", f); /* the old version stays */
	CHECK_INT(call(&c, &coord, "GET", page, NULL), 200);
	CHECK(type_has(&c, "application/pdf"));
	call_free(&c);
	snprintf(page, sizeof(page), "/files/%lld", f);
	CHECK_INT(call(&c, &coord, "GET", page, NULL), 200);
	CHECK(body_has(&c, "ancienne version"));
	call_free(&c);
	/* an old version is not replaced again, nor renamed */
	snprintf(path, sizeof(path), "/files/%lld/rename", f);
	CHECK_INT(harness_post(&coord, path, (const char *[]){"name", "x", NULL}, NULL), 404);
	snprintf(path, sizeof(path), "/files/%lld/replace", v2);
	CHECK_INT(harness_upload(&c, &coord, path, (const char *[]){NULL}, (const char *[]){NULL}),
		  422);
	CHECK(body_has(&c, "Choisissez un fichier"));
	call_free(&c);
}

/* Files attach to letters, motions and bodies too, listed on their pages. */
static void other_records(void)
{
	struct browser coord = {0};
	CHECK_INT(harness_login(&coord, HARNESS_COORD, PASSWORD), 303);
	const char *const kinds[][2] = {
		{"letter", "SELECT id, '/letters/' || id AS url FROM letter WHERE deleted = 0 AND "
			   "visibility = 'public' LIMIT 1"},
		{"motion", "SELECT id, '/motions/' || slug AS url FROM motion WHERE deleted = 0 AND "
			   "visibility = 'public' LIMIT 1"},
		{"body", "SELECT id, '/bodies/' || slug AS url FROM body WHERE visibility <> 'internal' "
			 "LIMIT 1"},
	};
	for (size_t i = 0; i < 3; i++) {
		json_t *r = db_row(kinds[i][1], NULL);
		CHECKF(r != NULL, "%s", kinds[i][0]);
		if (!r)
			continue;
		char ids[24];
		snprintf(ids, sizeof(ids), "%lld", db_num(r, "id"));
		struct call c;
		CHECK_INT(harness_upload(&c, &coord, "/files", (const char *[]){"kind", kinds[i][0],
										 "id", ids, NULL},
					 (const char *[]){"files", sample("ordre-du-jour.pdf"),
							  "piece-jointe.pdf", NULL}), 303);
		call_free(&c);
		struct browser anon = {0};
		CHECK_INT(call(&c, &anon, "GET", db_str(r, "url"), NULL), 200);
		CHECKF(body_has(&c, "piece-jointe.pdf"), "%s", kinds[i][0]);
		CHECK(!body_has(&c, "Joindre des documents")); /* the form is the coordination's */
		call_free(&c);
		CHECK_INT(call(&c, &coord, "GET", db_str(r, "url"), NULL), 200);
		CHECK(body_has(&c, "Joindre des documents"));
		call_free(&c);
		json_decref(r);
	}
}

/* Runs a search as b (NULL: anonymous); tells whether the page lists the
 * file named name. */
static bool finds(struct browser *b, const char *query, const char *name)
{
	struct call c;
	char target[300];
	snprintf(target, sizeof(target), "/search?q=%s", query);
	bool found = call(&c, b, "GET", target, NULL) == 200 && body_has(&c, name);
	call_free(&c);
	return found;
}

/* A step of a motion in a commune (the council's decision) takes its
 * documents: from the form that adds the step, and later on the step
 * itself; the commune's page lists them under their step, their text is
 * found in that commune, and they follow the motion's visibility and
 * deletion. A letter's step takes none. */
static void step_files(void)
{
	struct browser coord = {0}, anon = {0};
	CHECK_INT(harness_login(&coord, HARNESS_COORD, PASSWORD), 303);
	json_t *mo = db_row("SELECT mo.id, mo.slug, mc.commune_nis AS nis FROM motion mo JOIN "
			    "motion_commune mc ON mc.motion_id = mo.id WHERE mo.deleted = 0 AND "
			    "mo.visibility = 'public' ORDER BY mc.id LIMIT 1", NULL);
	CHECK(mo != NULL);
	if (!mo)
		return;
	long long motion = db_num(mo, "id"), nis = db_num(mo, "nis");
	char page[200], ids[24], anchor[40], search[120];
	snprintf(page, sizeof(page), "/motions/%s/communes/%lld", db_str(mo, "slug"), nis);
	json_decref(mo);
	struct call c;
	CHECK_INT(harness_upload(&c, &coord, page, (const char *[]){"date", "2024-02-10", "kind",
			"vote", "state", "", "note", "Délibération du conseil", "next_step", "",
			"next_followup", "", "meeting_id", "0", NULL},
			(const char *[]){"files", sample("notes.txt"), "deliberation.txt", NULL}), 303);
	long long step = db_int(0, "SELECT max(id) FROM event", NULL);
	snprintf(anchor, sizeof(anchor), "#etape-%lld", step);
	CHECKF(header_has(&c, "Location", anchor), "%s", buf_str(&c.resp.body));
	call_free(&c);
	CHECK_INT(db_int(0, "SELECT count(*) FROM file WHERE event_id = ?", "i", step), 1);
	/* later, on the step itself; a form of the step without a file goes back */
	snprintf(ids, sizeof(ids), "%lld", step);
	CHECK_INT(harness_upload(&c, &coord, "/files", (const char *[]){"kind", "event", "id", ids,
									 NULL},
				 (const char *[]){"files", sample("ordre-du-jour.pdf"), "decision.pdf",
						  NULL}), 303);
	CHECK(header_has(&c, "Location", anchor));
	call_free(&c);
	CHECK_INT(harness_post(&coord, page, (const char *[]){"date", "2024-02-11", "kind", "note",
			"state", "", "note", "Sans document", "next_step", "", "next_followup", "",
			"meeting_id", "0", NULL}, NULL), 303);
	/* everyone reads them under their step; the forms are the coordination's */
	CHECK_INT(call(&c, &anon, "GET", page, NULL), 200);
	CHECK(body_has(&c, "deliberation.txt") && body_has(&c, "decision.pdf"));
	CHECK(body_has(&c, anchor + 1) && !body_has(&c, "Joindre un document"));
	call_free(&c);
	CHECK_INT(call(&c, &coord, "GET", page, NULL), 200);
	CHECK(body_has(&c, "Joindre un document") && body_has(&c, "Documents de l'étape"));
	call_free(&c);
	/* their text in the search, in that commune */
	long long f = db_int(0, "SELECT id FROM file WHERE event_id = ? AND name = 'deliberation.txt'",
			     "i", step);
	CHECK(db_exec("INSERT INTO file_text (file_id, text, pages) VALUES (?, 'Le conseil adopte "
		      "la motion par sa délibération numérotée', 1)", "i", f) == 1);
	CHECK(finds(NULL, "numérotée", "deliberation.txt"));
	snprintf(search, sizeof(search), "/search?q=numérotée&commune=%lld", nis);
	CHECK_INT(call(&c, NULL, "GET", search, NULL), 200);
	CHECK(body_has(&c, "deliberation.txt") && body_has(&c, "Joint à <a href=\"/motions/"));
	json_t *commune = db_row("SELECT ' à ' || name || '</a>' AS shown FROM commune WHERE nis = ?",
				 "i", nis);
	CHECK(body_has(&c, db_str(commune, "shown"))); /* « joint à » the motion in its commune */
	json_decref(commune);
	call_free(&c);
	/* the motion kept for members, then deleted: gone from anonymous, then from everyone */
	char file[64];
	snprintf(file, sizeof(file), "/files/%lld", f);
	CHECK(db_exec("UPDATE motion SET visibility = 'members' WHERE id = ?", "i", motion) == 1);
	CHECK(!finds(NULL, "numérotée", "deliberation.txt"));
	CHECK_INT(call(&c, &anon, "GET", file, NULL), 404);
	call_free(&c);
	CHECK(db_exec("UPDATE motion SET visibility = 'public', deleted = 1 WHERE id = ?", "i",
		      motion) == 1);
	CHECK(!finds(&coord, "numérotée", "deliberation.txt"));
	CHECK(db_exec("UPDATE motion SET deleted = 0 WHERE id = ?", "i", motion) == 1);
	CHECK(finds(NULL, "numérotée", "deliberation.txt"));
	/* a letter's step is no record of documents */
	snprintf(ids, sizeof(ids), "%lld", db_int(0, "SELECT id FROM event WHERE letter_id IS NOT "
						   "NULL LIMIT 1", NULL));
	CHECK(strcmp(ids, "0") != 0);
	CHECK_INT(harness_upload(&c, &coord, "/files", (const char *[]){"kind", "event", "id", ids,
									 NULL},
				 (const char *[]){"files", sample("notes.txt"), "lettre.txt", NULL}),
		  404);
	call_free(&c);
}

/* A document's text is found by the search, under its record's rule:
 * with the page of a PDF, the record it is attached to, the « document »
 * filter; restricting or deleting the record (or the file) takes it away. */
static void text_in_search(void)
{
	struct browser coord = {0}, member = {0}, other = {0};
	CHECK_INT(harness_login(&coord, HARNESS_COORD, PASSWORD), 303);
	CHECK_INT(harness_login(&member, HARNESS_MEMBER, PASSWORD), 303);
	CHECK_INT(harness_login(&other, HARNESS_PARTNER, PASSWORD), 303);
	long long m = meeting_of("public");
	struct call c;
	CHECK_INT(attach(&c, &coord, m, sample("ordre-du-jour.pdf"), "programme.pdf"), 303);
	call_free(&c);
	long long f = newest_file(m);
	CHECK(db_exec("INSERT INTO file_text (file_id, text, pages) VALUES (?, 'Accueil des "
		      "participants\fLa passerelle vers l''emploi des primo-arrivants\fDivers', 3)",
		      "i", f) == 1);
	CHECK(db_exec("UPDATE file SET text_state = 'done' WHERE id = ?", "i", f) == 1);
	CHECK(finds(NULL, "passerelle", "programme.pdf"));
	CHECK_INT(call(&c, NULL, "GET", "/search?q=passerelle&kind=file", NULL), 200);
	CHECK(body_has(&c, "programme.pdf") && body_has(&c, "(page 2)"));
	CHECK(body_has(&c, "Joint à <a href=\"/meetings/"));
	CHECK(body_has(&c, "<mark>passerelle</mark>"));
	CHECK(body_has(&c, ">document <span class=\"n\">"));
	call_free(&c);
	/* a result without pages (the meeting itself) shows none */
	CHECK(db_exec("UPDATE meeting SET title = 'Une passerelle vers l''emploi' WHERE id = ?", "i",
		      m) == 1);
	CHECK_INT(call(&c, NULL, "GET", "/search?q=passerelle", NULL), 200);
	CHECK(body_has(&c, "programme.pdf") && body_has(&c, "<mark>passerelle</mark> vers"));
	CHECK(body_has(&c, "<strong>2 résultats</strong>"));
	CHECK(strstr(buf_str(&c.resp.body), "(page ") == strstr(buf_str(&c.resp.body), "(page 2)"));
	CHECK(!strstr(strstr(buf_str(&c.resp.body), "(page 2)") + 1, "(page "));
	call_free(&c);
	CHECK_INT(call(&c, NULL, "GET", "/search.json?q=passerelle", NULL), 200);
	CHECK(body_has(&c, "\"page\": 2") || body_has(&c, "\"page\":2"));
	call_free(&c);
	/* the body's search holds its documents */
	CHECK_INT(call(&c, NULL, "GET", "/search?q=passerelle&body=coordination-locale-namur", NULL),
		  200);
	CHECK(body_has(&c, "programme.pdf"));
	call_free(&c);
	/* the meeting kept for members: the member finds it, the others do not */
	char page[64];
	snprintf(page, sizeof(page), "/meetings/%lld", m);
	CHECK(db_exec("UPDATE meeting SET visibility = 'members' WHERE id = ?", "i", m) == 1);
	CHECK(!finds(NULL, "passerelle", "programme.pdf"));
	CHECK(!finds(&other, "passerelle", "programme.pdf"));
	CHECK(finds(&member, "passerelle", "programme.pdf"));
	/* deleted with its meeting, back with it; deleted alone */
	CHECK(db_exec("UPDATE meeting SET deleted = 1 WHERE id = ?", "i", m) == 1);
	CHECK(!finds(&coord, "passerelle", "programme.pdf"));
	CHECK(db_exec("UPDATE meeting SET deleted = 0 WHERE id = ?", "i", m) == 1);
	CHECK(finds(&coord, "passerelle", "programme.pdf"));
	char del[64];
	snprintf(del, sizeof(del), "/files/%lld/delete", f);
	CHECK_INT(harness_post(&coord, del, (const char *[]){NULL}, NULL), 303);
	CHECK(!finds(&coord, "passerelle", "programme.pdf"));
	/* a new version's text replaces the old one's */
	snprintf(del, sizeof(del), "/files/%lld/undelete", f);
	CHECK_INT(harness_post(&coord, del, (const char *[]){NULL}, NULL), 303);
	CHECK(finds(&coord, "passerelle", "programme.pdf"));
	char repl[64];
	snprintf(repl, sizeof(repl), "/files/%lld/replace", f);
	CHECK_INT(harness_upload(&c, &coord, repl, (const char *[]){NULL},
				 (const char *[]){"file", sample("notes.txt"), "programme-v2.txt", NULL}),
		  303);
	call_free(&c);
	CHECK(!finds(&coord, "passerelle", "programme.pdf"));
}

/* « Importer un document Word ou LibreOffice » on the edit form: the
 * minutes filled from a .docx or an .odt (nothing saved until the form
 * is), the original attached; a PDF, no file, approved minutes or a
 * missing pandoc each get their reason. */
static void minutes_from_document(void)
{
	struct browser coord = {0};
	CHECK_INT(harness_login(&coord, HARNESS_COORD, PASSWORD), 303);
	long long m = meeting_of("members");
	char path[80];
	snprintf(path, sizeof(path), "/meetings/%lld/minutes-document", m);
	const char *const docs[][2] = {{"compte-rendu.docx", "pv.docx"}, {"compte-rendu.odt", "pv.odt"}};
	for (int i = 0; i < 2; i++) {
		struct call c;
		CHECK_INT(harness_upload(&c, &coord, path, (const char *[]){NULL},
					 (const char *[]){"document", sample(docs[i][0]), docs[i][1], NULL}),
			  200);
		CHECK(body_has(&c, "La passerelle vers l’emploi est présentée aux partenaires."));
		CHECK(body_has(&c, "# Réunion de la plateforme"));
		char said[80];
		snprintf(said, sizeof(said), "vient de « %s »", docs[i][1]);
		CHECK(body_has(&c, said));
		call_free(&c);
		json_t *f = db_row("SELECT count(*) AS n FROM file WHERE meeting_id = ? AND name = ?",
				   "it", m, docs[i][1]);
		CHECK_INT(db_num(f, "n"), 1);
		json_decref(f);
	}
	CHECK_INT(db_int(-1, "SELECT minutes = '' FROM meeting WHERE id = ?", "i", m), 1);
	struct call c;
	CHECK_INT(harness_upload(&c, &coord, path, (const char *[]){NULL},
				 (const char *[]){"document", sample("ordre-du-jour.pdf"), "pv.pdf", NULL}),
		  422);
	CHECK(body_has(&c, "ni un document Word (.docx) ni un document LibreOffice (.odt)"));
	call_free(&c);
	CHECK_INT(harness_upload(&c, &coord, path, (const char *[]){NULL}, (const char *[]){NULL}),
		  422);
	CHECK(body_has(&c, "Choisissez un document .docx ou .odt."));
	call_free(&c);
	setenv("MAILLAGE_PANDOC", "/nonexistent/pandoc", 1);
	CHECK_INT(harness_upload(&c, &coord, path, (const char *[]){NULL},
				 (const char *[]){"document", sample("compte-rendu.odt"), "pv2.odt", NULL}),
		  422);
	unsetenv("MAILLAGE_PANDOC");
	CHECK(body_has(&c, "pandoc n&#39;est pas installé") || body_has(&c, "pandoc n'est pas installé"));
	call_free(&c);
	CHECK(db_exec("UPDATE meeting SET status = 'minutes_approved', minutes = 'Texte approuvé' "
		      "WHERE id = ?", "i", m) == 1);
	CHECK_INT(harness_upload(&c, &coord, path, (const char *[]){NULL},
				 (const char *[]){"document", sample("compte-rendu.odt"), "pv3.odt", NULL}),
		  422);
	CHECK(body_has(&c, "verrouillé"));
	call_free(&c);
	/* the edit page offers it while the minutes are not approved */
	CHECK(db_exec("UPDATE meeting SET status = 'held' WHERE id = ?", "i", m) == 1);
	snprintf(path, sizeof(path), "/meetings/%lld/edit", m);
	CHECK_INT(call(&c, &coord, "GET", path, NULL), 200);
	CHECK(body_has(&c, "Importer un document Word ou LibreOffice"));
	call_free(&c);
}

void pages_files(void)
{
	harness_fresh();
	struct buf out = {0};
	char cmd[100] = "";
	if (mkdtemp(samples))
		snprintf(cmd, sizeof(cmd), "python3 tests/files/samples.py %s", samples);
	if (!*cmd || test_read_command(cmd, &out) != 0) {
		test_skip("pages_files", "les documents d'essai n'ont pas pu être écrits");
		buf_free(&out);
		return;
	}
	buf_free(&out);
	RUN(attach_every_type);
	RUN(refuse_other_types);
	RUN(clean_names);
	RUN(serve_headers);
	RUN(visibility);
	RUN(rename_and_replace);
	RUN(other_records);
	RUN(step_files);
	RUN(text_in_search);
	RUN(minutes_from_document);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", samples);
	if (system(cmd) != 0)
		fprintf(stderr, "files: %s n'a pas pu être effacé\n", samples);
}
