/* forms.c — every form of the coordination shows all its mistakes at once:
 * each beside its field (aria-invalid, aria-describedby), and a summary at
 * the top whose links lead to each field; nothing is saved.
 * Starts from the harness's pristine network (harness_fresh). */
#include <stdio.h>
#include <string.h>

#include "../../src/db.h"
#include "../test.h"
#include "harness.h"
#include "pages.h"

/* One form posted with several mistakes: where, what, which input ids
 * must carry an error, and the table whose rows must not change. */
struct bad_form {
	const char *target;
	const char *const *pairs;
	const char *ids[6];
	const char *table;
};

/* Posts f as the coordination and checks that each mistake is shown twice:
 * in the summary (a link to its input) and beside its input. */
static void check_form(struct browser *coord, const struct bad_form *f)
{
	long long before = db_int(-1, f->table, NULL);
	struct buf out = {0};
	int status = harness_post(coord, f->target, f->pairs, &out);
	CHECKF(status == 422, "%s : statut %d", f->target, status);
	const char *s = buf_str(&out);
	size_t n = 0;
	while (n < 6 && f->ids[n])
		n++;
	char want[160];
	snprintf(want, sizeof(want), "Le formulaire n'est pas enregistré : %zu erreurs à corriger.", n);
	CHECKF(strstr(s, want) != NULL, "%s : « %s » absent", f->target, want);
	for (size_t i = 0; i < n; i++) {
		snprintf(want, sizeof(want), "<li><a href=\"#%s\">", f->ids[i]);
		CHECKF(strstr(s, want) != NULL, "%s : pas de lien vers #%s", f->target, f->ids[i]);
		snprintf(want, sizeof(want), "aria-invalid=\"true\" aria-describedby=\"%s-error\"",
			 f->ids[i]);
		CHECKF(strstr(s, want) != NULL, "%s : %s sans aria-invalid", f->target, f->ids[i]);
		snprintf(want, sizeof(want), "<p class=\"field-error\" id=\"%s-error\">", f->ids[i]);
		CHECKF(strstr(s, want) != NULL, "%s : pas d'erreur à côté de %s", f->target, f->ids[i]);
	}
	CHECKF(db_int(-1, f->table, NULL) == before, "%s : quelque chose a été enregistré", f->target);
	buf_free(&out);
}

/* The letter, motion, body, organisation and glossary forms, the
 * timeline steps of a letter and of a motion in a commune, and the change
 * of an action. */
static void all_mistakes_at_once(void)
{
	struct browser coord = {0};
	CHECK_INT(harness_login(&coord, HARNESS_COORD, PASSWORD), 303);
	char letter[48], step[80], action[48];
	snprintf(action, sizeof(action), "/actions/%lld",
		 db_int(0, "SELECT min(id) FROM action", NULL));
	snprintf(letter, sizeof(letter), "/letters/%lld/events",
		 db_int(0, "SELECT min(id) FROM letter WHERE deleted = 0", NULL));
	snprintf(step, sizeof(step), "/motions/commune-hospitaliere/communes/91030");
	const struct bad_form forms[] = {
		{"/letters", (const char *[]){"title", "", "date", "2026-02-30", "kind", "memo",
					      "level", "commune", "status", "draft", "visibility",
					      "public", "link", "ftp://x", NULL},
		 {"title", "date", "link"}, "SELECT count(*) FROM letter"},
		{"/motions", (const char *[]){"title", "", "visibility", "partout", "text", "x", NULL},
		 {"title", "visibility"}, "SELECT count(*) FROM motion"},
		{"/bodies", (const char *[]){"name", "", "slug", "Pas Un Slug", "kind", "platform",
					     "status", "active", "visibility", "nulle", NULL},
		 {"name", "slug", "visibility"}, "SELECT count(*) FROM body"},
		{"/organisations", (const char *[]){"name", "", "kind", "asbl", "website", "ftp://x",
						    "acronym", "UN-SIGLE-BIEN-TROP-LONG-POUR-LE-CHAMP",
						    NULL},
		 {"name", "acronym", "website"}, "SELECT count(*) FROM organisation"},
		{"/glossary", (const char *[]){"acronym", "DEUX MOTS", "expansion", "", NULL},
		 {"acronym", "expansion"}, "SELECT count(*) FROM glossary"},
		{letter, (const char *[]){"date", "hier", "kind", "answer", "next_followup", "bientôt",
					  NULL},
		 {"e-date", "e-follow"}, "SELECT count(*) FROM event"},
		{step, (const char *[]){"date", "", "kind", "inconnu", "state", "contact",
					"note", "x", NULL},
		 {"e-date", "e-kind", "e-state"}, "SELECT count(*) FROM event"},
		{action, (const char *[]){"state", "peut-être", "due", "2026-02-30", "owner", "abc",
					  NULL},
		 {"state", "due", "owner"}, "SELECT count(*) FROM audit WHERE object = 'action'"},
	};
	for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++)
		check_form(&coord, &forms[i]);
}

void pages_forms(void)
{
	harness_fresh();
	RUN(all_mistakes_at_once);
}
