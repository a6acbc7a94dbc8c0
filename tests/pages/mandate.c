/* mandate.c — the centre's mandates: the public list without who sits,
 * the board's with it; the coordination adds, changes and deletes one,
 * and every bad input (an organisation not in the directory, dates
 * reversed or not dates, a commune not of the province, a 1 MB note,
 * HTML) is refused with the form kept and nothing saved; the year's
 * report lists the mandates in force that year. */
#include <stdio.h>
#include <string.h>

#include "../../src/buf.h"
#include "../../src/db.h"
#include "../test.h"
#include "harness.h"
#include "pages.h"

/* Counts the live mandates. */
static long long live(void)
{
	return db_int(-1, "SELECT count(*) FROM mandate WHERE deleted = 0", NULL);
}

/* The demo's mandates, as a visitor, the board and a partner read them. */
static void mandate_list(void)
{
	struct browser anon = {0}, board = {0};
	CHECK_INT(harness_login(&board, HARNESS_BOARD, PASSWORD), 303);
	struct call c;
	CHECK_INT(call(&c, &anon, "GET", "/mandates", NULL), 200);
	CHECK(body_has(&c, "Niveau régional") && body_has(&c, "Niveau provincial") &&
	      body_has(&c, "Niveau local"));
	CHECK(body_has(&c, "Plans de cohésion sociale des communes</a></strong> — comité "
			   "d&#39;accompagnement") ||
	      body_has(&c, "Plans de cohésion sociale des communes</a></strong> — comité "
			   "d&#x27;accompagnement"));
	CHECK(body_has(&c, "Jemeppe-sur-Sambre") && !body_has(&c, "Représentation :"));
	CHECK(!body_has(&c, "/mandates/new"));
	call_free(&c);
	CHECK_INT(call(&c, &board, "GET", "/mandates", NULL), 200);
	CHECK(body_has(&c, "Représentation : la direction") && !body_has(&c, "/mandates/new"));
	call_free(&c);
	CHECK_INT(call(&c, &anon, "GET", "/organisations/csa", NULL), 200);
	CHECK(body_has(&c, "Le centre y siège : assemblée générale."));
	call_free(&c);
	CHECK_INT(call(&c, &anon, "GET", "/organisations/moc", NULL), 200);
	CHECK(!body_has(&c, "Le centre y siège"));
	call_free(&c);
}

/* Adds, refuses, changes and deletes a mandate as the coordination. */
static void mandate_forms(void)
{
	struct browser coord = {0}, partner = {0};
	CHECK_INT(harness_login(&coord, HARNESS_COORD, PASSWORD), 303);
	CHECK_INT(harness_login(&partner, HARNESS_PARTNER, PASSWORD), 303);
	long long before = live();
	struct call c;
	CHECK_INT(call(&c, &coord, "GET", "/mandates/new", NULL), 200);
	CHECK(body_has(&c, "name=\"communes\" value=\"92094\"") && body_has(&c, "id=\"communes-first\""));
	call_free(&c);
	CHECK_INT(harness_post(&partner, "/mandates", (const char *[]){"organisation", "forem", "seat",
			       "board", "level", "local", NULL}, NULL), 403);
	struct buf big = {0};
	for (int i = 0; i < 1 << 20; i++)
		buf_putc(&big, 'x');
	const struct {
		const char *const pairs[20];
		const char *message;
	} bad[] = {
		{{"organisation", "atlantide", "seat", "board", "level", "local", NULL},
		 "Choisissez une organisation du répertoire"},
		{{"organisation", "forem", "seat", "board", "level", "local", "start", "2021-05-01",
		  "end", "2020-05-01", NULL}, "La fin du mandat précède son début."},
		{{"organisation", "forem", "seat", "board", "level", "local", "start", "2021-02-30",
		  NULL}, "Le début attend une date réelle"},
		{{"organisation", "forem", "seat", "trône", "level", "lunaire", NULL},
		 "Choisissez un siège de la liste."},
		{{"organisation", "forem", "seat", "board", "level", "local", "communes", "99999", NULL},
		 "Choisissez les communes dans la liste de la province."},
		{{"organisation", "forem", "seat", "board", "level", "local", "communes", "1' OR 1=1 --",
		  NULL}, "Choisissez les communes dans la liste de la province."},
		{{"organisation", "forem", "seat", "board", "level", "local", "note", buf_str(&big),
		  NULL}, "La note tient en 2 000 caractères au plus."},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct buf out = {0};
		CHECKF(harness_post(&coord, "/mandates", bad[i].pairs, &out) == 422, "%zu", i);
		CHECKF(strstr(buf_str(&out), bad[i].message) != NULL, "%s", bad[i].message);
		CHECKF(strstr(buf_str(&out), "value=\"forem\" selected") != NULL || i == 0, "%zu", i);
		buf_free(&out);
		CHECK_INT(live(), before);
	}
	buf_free(&big);
	CHECK_INT(harness_post(&coord, "/mandates", (const char *[]){"organisation", "forem", "seat",
			       "board", "level", "local", "communes", "92094", "communes", "92137",
			       "representative", "<b>la coordination</b>", "start", "2021-01-01",
			       "end", "2022-12-31", "note", "Un essai.", NULL}, NULL), 303);
	CHECK_INT(live(), before + 1);
	long long id = db_int(0, "SELECT max(id) FROM mandate", NULL);
	CHECK_INT(db_int(0, "SELECT count(*) FROM mandate_commune WHERE mandate_id = ?", "i", id), 2);
	CHECK_INT(call(&c, &coord, "GET", "/mandates?ended=1", NULL), 200);
	CHECK(body_has(&c, "&lt;b&gt;la coordination&lt;/b&gt;") && !body_has(&c, "<b>la coord"));
	CHECK(body_has(&c, "depuis le 1er janvier 2021") && body_has(&c, "jusqu&#39;au 31 décembre "
		"2022") + body_has(&c, "jusqu'au 31 décembre 2022") >= 1);
	call_free(&c);
	CHECK_INT(call(&c, &coord, "GET", "/mandates", NULL), 200); /* ended: not among the current */
	CHECK(!body_has(&c, "la coordination&lt;/b&gt;"));
	call_free(&c);
	char path[64];
	snprintf(path, sizeof(path), "/mandates/%lld/edit", id);
	CHECK_INT(call(&c, &coord, "GET", path, NULL), 200);
	CHECK(body_has(&c, "value=\"92094\" checked") && body_has(&c, "value=\"2022-12-31\""));
	call_free(&c);
	snprintf(path, sizeof(path), "/mandates/%lld", id);
	CHECK_INT(harness_post(&coord, path, (const char *[]){"organisation", "forem", "seat",
			       "general_assembly", "level", "provincial", "start", "2021-01-01", NULL},
			       NULL), 303);
	CHECK_INT(db_int(0, "SELECT count(*) FROM mandate WHERE id = ? AND seat = 'general_assembly' "
			 "AND end_date IS NULL", "i", id), 1);
	CHECK_INT(db_int(0, "SELECT count(*) FROM mandate_commune WHERE mandate_id = ?", "i", id), 0);
	CHECK_INT(call(&c, &coord, "GET", "/reports/2021", NULL), 200);
	CHECK(body_has(&c, "Le Forem — assemblée générale"));
	call_free(&c);
	CHECK_INT(call(&c, &coord, "GET", "/reports/2020", NULL), 200);
	CHECK(!body_has(&c, "Le Forem — assemblée générale")); /* it starts in 2021 */
	CHECK(body_has(&c, "Le Forem — groupes de travail (Andenne, Dinant, Namur, Sambreville)"));
	CHECK(body_has(&c, "<dt>PPLI</dt><dd>Plan provincial et local d&#39;intégration</dd>") ||
	      body_has(&c, "<dt>PPLI</dt><dd>Plan provincial et local d&#x27;intégration</dd>"));
	call_free(&c);
	snprintf(path, sizeof(path), "/mandates/%lld/delete", id);
	CHECK_INT(harness_post(&coord, path, (const char *[]){NULL}, NULL), 303);
	CHECK_INT(live(), before);
	CHECK_INT(harness_post(&coord, path, (const char *[]){NULL}, NULL), 404);
	CHECK_INT(db_int(0, "SELECT count(*) FROM audit WHERE object = 'mandate' AND object_id = ?",
			 "i", id), 3);
	snprintf(path, sizeof(path), "/mandates/%lld/edit", id); /* deleted: gone */
	const char *const gone[] = {"/mandates/999999/edit", "/mandates/abc/edit", path};
	for (size_t i = 0; i < 3; i++) {
		CHECKF(call(&c, &coord, "GET", gone[i], NULL) == 404, "%s", gone[i]);
		call_free(&c);
	}
}

/* Runs the mandate tests. */
void pages_mandates(void)
{
	harness_fresh();
	RUN(mandate_list);
	RUN(mandate_forms);
}
