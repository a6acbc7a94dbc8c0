/* partners.c — page tests of the partners run from the browser: the
 * coordination creates and edits an organisation, makes it a member of a
 * body and ends that membership from its page; the visibility rule and
 * the export follow. Starts from the harness's pristine network. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/db.h"
#include "../../src/export.h"
#include "../test.h"
#include "harness.h"
#include "pages.h"

/* Posts the NULL-terminated pairs to target from b; the status (the body
 * in out when given). */
static int post(struct browser *b, const char *target, const char *const *pairs,
		struct buf *out)
{
	struct buf form = {0};
	harness_form(&form, b->csrf, pairs);
	int st = harness_fetch(b, "POST", target, buf_str(&form), out);
	buf_free(&form);
	return st;
}

/* A new organisation: refused with a French message on bad input, then
 * created with a readable address, its description rendered safely,
 * audited; then edited. */
static void organisation_forms(void)
{
	struct browser coord = {0};
	CHECK_INT(harness_login(&coord, HARNESS_COORD, PASSWORD), 303);
	struct buf out = {0};
	CHECK_INT(harness_fetch(&coord, "GET", "/organisations", NULL, &out), 200);
	CHECK(strstr(buf_str(&out), "href=\"/organisations/new\"") != NULL);
	CHECK_INT(harness_fetch(&coord, "GET", "/organisations/new", NULL, &out), 200);
	long long before = db_int(0, "SELECT count(*) FROM organisation", NULL);
	static const struct {
		const char *key, *val, *says;
	} bad[] = {
		{"name", "", "Le nom est obligatoire"},
		{"kind", "secte", "Choisissez un type"},
		{"website", "javascript:alert(1)", "https://"},
		{"website", "https://a.be/\"><script>", "https://"},
		{"commune_nis", "99999", "commune de la liste"},
		{"acronym", "UN SIGLE BEAUCOUP TROP LONG POUR ÊTRE", "30 caractères"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *pairs[] = {"name", "Maison des jeunes", "kind", "asbl", bad[i].key,
				       bad[i].val, NULL};
		if (strcmp(bad[i].key, "name") == 0 || strcmp(bad[i].key, "kind") == 0)
			pairs[strcmp(bad[i].key, "name") == 0 ? 1 : 3] = bad[i].val;
		CHECKF(post(&coord, "/organisations", pairs, &out) == 422, "%s", bad[i].val);
		CHECKF(strstr(buf_str(&out), bad[i].says) != NULL, "%s : %s", bad[i].val, bad[i].says);
	}
	CHECK_INT(db_int(0, "SELECT count(*) FROM organisation", NULL), before);
	CHECK(strstr(buf_str(&out), "value=\"Maison des jeunes\"") != NULL); /* kept */
	struct call c;
	struct buf form = {0};
	harness_form(&form, coord.csrf, (const char *[]){"name", "Maison des jeunes d'Andenne",
		     "acronym", "MJA", "kind", "asbl", "website", "https://mja.example.be",
		     "commune_nis", "92003", "description",
		     "Accueil **des jeunes** <script>alert(1)</script>", NULL});
	CHECK_INT(call(&c, &coord, "POST", "/organisations", buf_str(&form)), 303);
	CHECK(header_has(&c, "Location", "/organisations/maison-des-jeunes-d-andenne"));
	call_free(&c);
	CHECK_INT(harness_fetch(&coord, "GET", "/organisations/maison-des-jeunes-d-andenne", NULL,
				&out), 200);
	CHECK(strstr(buf_str(&out), "<strong>des jeunes</strong>") &&
	      !strstr(buf_str(&out), "<script>alert"));
	CHECK(strstr(buf_str(&out), "Andenne") && strstr(buf_str(&out), "https://mja.example.be"));
	CHECK_INT(db_int(0, "SELECT count(*) FROM audit a JOIN organisation o ON o.id = a.object_id "
			 "WHERE a.object = 'organisation' AND a.action = 'create' AND o.slug = "
			 "'maison-des-jeunes-d-andenne'", NULL), 1);
	/* the same name again: a second address, not a clash */
	CHECK_INT(call(&c, &coord, "POST", "/organisations", buf_str(&form)), 303);
	CHECK(header_has(&c, "Location", "/organisations/maison-des-jeunes-d-andenne-2"));
	call_free(&c);
	/* edited */
	CHECK_INT(harness_fetch(&coord, "GET", "/organisations/maison-des-jeunes-d-andenne/edit",
				NULL, &out), 200);
	CHECK(strstr(buf_str(&out), "value=\"MJA\"") && strstr(buf_str(&out), "<option value=\"92003\" selected>"));
	CHECK_INT(post(&coord, "/organisations/maison-des-jeunes-d-andenne", (const char *[]){
		       "name", "Maison des jeunes d'Andenne", "acronym", "MJ Andenne", "kind",
		       "collective", "website", "", "commune_nis", "92003", "description", "", NULL},
		       NULL), 303);
	CHECK_INT(db_int(0, "SELECT count(*) FROM organisation WHERE slug = "
			 "'maison-des-jeunes-d-andenne' AND acronym = 'MJ Andenne' AND kind = "
			 "'collective' AND website IS NULL", NULL), 1);
	CHECK_INT(post(&coord, "/organisations/nulle-part", (const char *[]){"name", "X", "kind",
		       "asbl", NULL}, NULL), 404);
	buf_free(&form);
	buf_free(&out);
}

/* Memberships from the organisation's page: joining opens the body's
 * members-only meetings to the organisation's accounts, ending closes
 * them, joining again restores; the export carries the current members. */
static void memberships(void)
{
	struct browser coord = {0}, forem = {0};
	CHECK_INT(harness_login(&coord, HARNESS_COORD, PASSWORD), 303);
	CHECK_INT(harness_login(&forem, HARNESS_PARTNER, PASSWORD), 303);
	CHECK(db_exec("INSERT INTO meeting (body_id, title, start, visibility) SELECT id, "
		      "'Réunion santé réservée', '2031-03-12', 'members' FROM body WHERE "
		      "slug = 'gt-sante'", NULL) == 1);
	char meeting[64];
	snprintf(meeting, sizeof(meeting), "/meetings/%lld", db_last_id());
	CHECK_INT(harness_fetch(&forem, "GET", meeting, NULL, NULL), 404);
	struct buf out = {0};
	CHECK_INT(post(&coord, "/organisations/forem/memberships", (const char *[]){"body",
		       "gt-sante", "role", "guest", NULL}, NULL), 303);
	CHECK_INT(harness_fetch(&forem, "GET", meeting, NULL, NULL), 200);
	CHECK_INT(harness_fetch(&coord, "GET", "/organisations/forem", NULL, &out), 200);
	const char *p = strstr(buf_str(&out), "<a href=\"/bodies/gt-sante\">");
	CHECK(p && strstr(p, "invitée") && strstr(p, "Retirer"));
	long long id = db_int(0, "SELECT m.id FROM membership m JOIN body b ON b.id = m.body_id "
			      "JOIN organisation o ON o.id = m.organisation_id WHERE b.slug = "
			      "'gt-sante' AND o.slug = 'forem'", NULL);
	char end[96];
	snprintf(end, sizeof(end), "/organisations/forem/memberships/%lld/end", id);
	/* bad input: no change, a message */
	CHECK_INT(post(&coord, "/organisations/forem/memberships", (const char *[]){"body",
		       "n-existe-pas", "role", "member", NULL}, NULL), 303);
	CHECK_INT(harness_fetch(&coord, "GET", "/organisations/forem?error=membership", NULL, &out),
		  200);
	CHECK(strstr(buf_str(&out), "Choisissez une instance") != NULL);
	CHECK_INT(post(&coord, "/organisations/forem/memberships", (const char *[]){"body",
		       "gt-sante", "role", "patron", NULL}, NULL), 303);
	CHECK_INT(db_int(0, "SELECT count(*) FROM membership WHERE id = ? AND role = 'guest'", "i", id), 1);
	CHECK_INT(post(&coord, "/organisations/cai/memberships/999999/end", (const char *[]){NULL},
		       NULL), 404);
	/* the export carries the membership; ended, it is neither seen nor exported */
	char dir[] = "/tmp/maillage-partners-XXXXXX", path[128], cmd[200];
	struct buf err = {0};
	CHECK(mkdtemp(dir) != NULL);
	CHECK(export_dir(dir, &err) == 0);
	snprintf(path, sizeof(path), "%s/bodies/gt-sante/body.md", dir);
	FILE *f = fopen(path, "r");
	char text[8192] = "";
	size_t n = f ? fread(text, 1, sizeof(text) - 1, f) : 0;
	text[n] = '\0';
	if (f)
		fclose(f);
	CHECK(strstr(text, "{organisation: forem, role: guest}") != NULL);
	CHECK_INT(post(&coord, end, (const char *[]){NULL}, NULL), 303);
	CHECK_INT(harness_fetch(&forem, "GET", meeting, NULL, NULL), 404);
	CHECK_INT(harness_fetch(&coord, "GET", "/organisations/forem", NULL, &out), 200);
	CHECK(!strstr(buf_str(&out), "<a href=\"/bodies/gt-sante\">GT"));
	CHECK(export_dir(dir, &err) == 0);
	f = fopen(path, "r");
	n = f ? fread(text, 1, sizeof(text) - 1, f) : 0;
	text[n] = '\0';
	if (f)
		fclose(f);
	CHECK(n > 0 && !strstr(text, "forem"));
	/* joined again: the same row, open again */
	CHECK_INT(post(&coord, "/organisations/forem/memberships", (const char *[]){"body",
		       "gt-sante", "role", "member", NULL}, NULL), 303);
	CHECK_INT(db_int(0, "SELECT count(*) FROM membership WHERE id = ? AND role = 'member' AND "
			 "end_date IS NULL", "i", id), 1);
	CHECK_INT(harness_fetch(&forem, "GET", meeting, NULL, NULL), 200);
	CHECK_INT(db_int(0, "SELECT count(*) FROM audit WHERE object = 'organisation' AND action IN "
			 "('join', 'leave')", NULL), 3);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	CHECK(system(cmd) == 0);
	buf_free(&err);
	buf_free(&out);
}

/* Runs the partners' tests. */
void pages_partners(void)
{
	harness_fresh();
	RUN(organisation_forms);
	RUN(memberships);
}
