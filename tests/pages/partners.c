/* partners.c — page tests of the partners run from the browser: the
 * coordination creates and edits an organisation, makes it a member of a
 * body and ends that membership from its page; the visibility rule and
 * the export follow. Starts from the harness's pristine network. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../src/content.h"
#include "../../src/db.h"
#include "../../src/export.h"
#include "../../src/meeting.h"
#include "../../src/review.h"
#include "../test.h"
#include "harness.h"
#include "pages.h"

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
		CHECKF(harness_post(&coord, "/organisations", pairs, &out) == 422, "%s", bad[i].val);
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
	CHECK_INT(harness_post(&coord, "/organisations/maison-des-jeunes-d-andenne", (const char *[]){
		       "name", "Maison des jeunes d'Andenne", "acronym", "MJ Andenne", "kind",
		       "collective", "website", "", "commune_nis", "92003", "description", "", NULL},
		       NULL), 303);
	CHECK_INT(db_int(0, "SELECT count(*) FROM organisation WHERE slug = "
			 "'maison-des-jeunes-d-andenne' AND acronym = 'MJ Andenne' AND kind = "
			 "'collective' AND website IS NULL", NULL), 1);
	CHECK_INT(harness_post(&coord, "/organisations/nulle-part", (const char *[]){"name", "X", "kind",
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
	CHECK_INT(harness_post(&coord, "/organisations/forem/memberships", (const char *[]){"body",
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
	CHECK_INT(harness_post(&coord, "/organisations/forem/memberships", (const char *[]){"body",
		       "n-existe-pas", "role", "member", NULL}, NULL), 303);
	CHECK_INT(harness_fetch(&coord, "GET", "/organisations/forem?error=membership", NULL, &out),
		  200);
	CHECK(strstr(buf_str(&out), "Choisissez une instance") != NULL);
	CHECK_INT(harness_post(&coord, "/organisations/forem/memberships", (const char *[]){"body",
		       "gt-sante", "role", "patron", NULL}, NULL), 303);
	CHECK_INT(db_int(0, "SELECT count(*) FROM membership WHERE id = ? AND role = 'guest'", "i", id), 1);
	CHECK_INT(harness_post(&coord, "/organisations/cai/memberships/999999/end", (const char *[]){NULL},
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
	CHECK_INT(harness_post(&coord, end, (const char *[]){NULL}, NULL), 303);
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
	CHECK_INT(harness_post(&coord, "/organisations/forem/memberships", (const char *[]){"body",
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

/* Returns how many mails of subject the outbox holds for address. */
static long long mails_to(const char *address, const char *subject_start)
{
	return db_int(-1, "SELECT count(*) FROM outbox WHERE recipient = ? AND subject LIKE ? || '%'",
		      "tt", address, subject_start);
}

/* Contacts from the organisation's page: added, checked, changed,
 * removed and restored; only the coordination sees them; each contact who
 * receives the invitations gets them, once per address, with the link and
 * the headers that stop them. */
static void contacts(void)
{
	struct browser coord = {0}, cpas = {0};
	CHECK_INT(harness_login(&coord, HARNESS_COORD, PASSWORD), 303);
	CHECK_INT(harness_login(&cpas, HARNESS_MEMBER, PASSWORD), 303);
	const char *target = "/organisations/cpas-de-namur/contacts";
	struct buf out = {0};
	static const struct {
		const char *name, *email, *says;
	} bad[] = {
		{"", "a@cpas.example", "Un contact a un nom"},
		{"Jeanne", "pas une adresse", "n&#39;est pas valide"},
		{"Jeanne", "a@b.be\r\nBcc: x@y.be", "n&#39;est pas valide"},
	};
	/* a mistake shows the page again: the message, and what was typed */
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CHECK_INT(harness_post(&coord, target, (const char *[]){"name", bad[i].name, "email",
			       bad[i].email, "invitations", "1", NULL}, &out), 422);
		CHECKF(strstr(buf_str(&out), bad[i].says) != NULL, "%s", bad[i].says);
		CHECK(strstr(buf_str(&out), "class=\"field-error\" id=\"contact-") != NULL);
		buf_reset(&out);
	}
	CHECK_INT(harness_post(&coord, target, (const char *[]){"name", "", "email", "pas une adresse",
		       "function", "Assistante", NULL}, &out), 422);
	CHECK(strstr(buf_str(&out), "2 erreurs à corriger") &&
	      strstr(buf_str(&out), "value=\"pas une adresse\"") &&
	      strstr(buf_str(&out), "value=\"Assistante\""));
	CHECK_INT(db_int(0, "SELECT count(*) FROM person", NULL), 0);
	CHECK_INT(harness_post(&coord, target, (const char *[]){"name", "<b>Service</b> social", "function",
		       "Assistante sociale", "email", "social@cpas.example", "invitations", "1", NULL},
		       NULL), 303);
	CHECK_INT(harness_post(&coord, target, (const char *[]){"name", "Direction", "email",
		       "direction@cpas.example", NULL}, NULL), 303); /* no invitations */
	CHECK_INT(harness_post(&coord, target, (const char *[]){"name", "Doublon", "email",
		       "SOCIAL@cpas.example", "invitations", "1", NULL}, &out), 422);
	CHECK(strstr(buf_str(&out), "déjà un contact avec cette adresse") != NULL);
	CHECK_INT(harness_post(&coord, target, (const char *[]){"name", "Accueil", "invitations", "1", NULL},
		       NULL), 303); /* no address: kept, receives nothing */
	CHECK_INT(harness_post(&coord, target, (const char *[]){"name", "Membre du CPAS", "email",
		       HARNESS_MEMBER, "invitations", "1", NULL}, NULL), 303); /* also an account */
	CHECK_INT(db_int(0, "SELECT count(*) FROM person", NULL), 4);
	CHECK_INT(db_int(0, "SELECT invitations FROM person WHERE name = 'Direction'", NULL), 0);
	/* a contact changed with mistakes: the summary leads to its row */
	long long direction = db_int(0, "SELECT id FROM person WHERE name = 'Direction'", NULL);
	char row[96], link[64];
	snprintf(row, sizeof(row), "%s/%lld", target, direction);
	snprintf(link, sizeof(link), "<li><a href=\"#contact-%lld\">", direction);
	buf_reset(&out);
	CHECK_INT(harness_post(&coord, row, (const char *[]){"name", "", "email", "x", NULL}, &out), 422);
	CHECK(strstr(buf_str(&out), link) && strstr(buf_str(&out), "2 erreurs à corriger"));
	CHECK_INT(db_int(0, "SELECT count(*) FROM person WHERE name = 'Direction'", NULL), 1);
	buf_reset(&out);
	CHECK_INT(harness_fetch(&coord, "GET", "/organisations/cpas-de-namur", NULL, &out), 200);
	CHECK(strstr(buf_str(&out), "value=\"&lt;b&gt;Service&lt;/b&gt; social\"") &&
	      strstr(buf_str(&out), "sans adresse : ne reçoit rien"));
	CHECK_INT(harness_fetch(&cpas, "GET", "/organisations/cpas-de-namur", NULL, &out), 200);
	CHECK(!strstr(buf_str(&out), "social@cpas.example") && !strstr(buf_str(&out), "Contacts"));
	/* an invitation: the contacts who receive them, each address once */
	long long meeting = db_int(0, "SELECT id FROM meeting WHERE slug = '2020-09-15'", NULL);
	CHECK(db_exec("UPDATE meeting SET status = 'planned', start = '2031-01-10' WHERE id = ?", "i",
		      meeting) == 1);
	char invite[64];
	snprintf(invite, sizeof(invite), "/meetings/%lld/invite", meeting);
	CHECK_INT(harness_post(&coord, invite, (const char *[]){NULL}, NULL), 303);
	CHECK_INT(mails_to("social@cpas.example", "Invitation"), 1);
	CHECK_INT(mails_to("direction@cpas.example", "Invitation"), 0);
	CHECK_INT(mails_to(HARNESS_MEMBER, "Invitation"), 1);
	json_t *mail = db_row("SELECT body FROM outbox WHERE recipient = 'social@cpas.example'", NULL);
	json_t *token = db_row("SELECT unsubscribe_token FROM person WHERE email = "
			       "'social@cpas.example'", NULL);
	char header[160];
	snprintf(header, sizeof(header), "List-Unsubscribe: <http://127.0.0.1:8080/unsubscribe/%s>",
		 db_str(token, "unsubscribe_token"));
	CHECK(mail && strstr(db_str(mail, "body"), header) &&
	      strstr(db_str(mail, "body"), "List-Unsubscribe-Post: List-Unsubscribe=One-Click"));
	json_decref(mail);
	mail = db_row("SELECT body FROM outbox WHERE recipient = ?", "t", HARNESS_MEMBER);
	CHECK(mail && !strstr(db_str(mail, "body"), "List-Unsubscribe")); /* an account: no link */
	json_decref(mail);
	/* removed: no more mails; restored: again */
	long long social = db_int(0, "SELECT id FROM person WHERE email = 'social@cpas.example'", NULL);
	char path[120];
	snprintf(path, sizeof(path), "%s/%lld/delete", target, social);
	CHECK_INT(harness_post(&coord, path, (const char *[]){NULL}, NULL), 303);
	CHECK_INT(harness_post(&coord, invite, (const char *[]){NULL}, NULL), 303);
	CHECK_INT(mails_to("social@cpas.example", "Invitation"), 1);
	snprintf(path, sizeof(path), "%s/%lld/undelete", target, social);
	CHECK_INT(harness_post(&coord, path, (const char *[]){NULL}, NULL), 303);
	/* changed: no invitations any more */
	snprintf(path, sizeof(path), "%s/%lld", target, social);
	CHECK_INT(harness_post(&coord, path, (const char *[]){"name", "Service social", "email",
		       "social@cpas.example", "function", "", NULL}, NULL), 303);
	CHECK_INT(harness_post(&coord, invite, (const char *[]){NULL}, NULL), 303);
	CHECK_INT(mails_to("social@cpas.example", "Invitation"), 1);
	CHECK_INT(db_int(0, "SELECT count(*) FROM audit WHERE object = 'person'", NULL), 7);
	json_decref(token);
	buf_free(&out);
}

/* The link in each mail: opening it asks, the POST (a mail reader's, with
 * no session and no form token) stops the mails; a foreign token says so. */
static void unsubscribe(void)
{
	CHECK(db_exec("INSERT INTO person (organisation_id, name, email) SELECT id, 'Contact B', "
		      "'contact-b@cpas.example' FROM organisation WHERE slug = 'cpas-de-namur'", NULL) == 1);
	long long id = db_last_id();
	json_t *p = db_row("SELECT unsubscribe_token FROM person WHERE id = ?", "i", id);
	char path[96];
	snprintf(path, sizeof(path), "/unsubscribe/%s", db_str(p, "unsubscribe_token"));
	json_decref(p);
	CHECK(strlen(path) == strlen("/unsubscribe/") + 40);
	struct browser anon = {0}, mailer = {0};
	struct buf out = {0};
	CHECK_INT(harness_fetch(&anon, "GET", path, NULL, &out), 200);
	CHECK(strstr(buf_str(&out), "Ne plus recevoir de messages") != NULL);
	CHECK_INT(db_int(0, "SELECT count(*) FROM person WHERE id = ? AND unsubscribed_at IS NULL",
			 "i", id), 1); /* opening the link changes nothing */
	CHECK_INT(harness_fetch(&mailer, "POST", path, "List-Unsubscribe=One-Click", &out), 200);
	CHECK(strstr(buf_str(&out), "C&#39;est fait") || strstr(buf_str(&out), "C'est fait"));
	CHECK_INT(db_int(0, "SELECT count(*) FROM person WHERE id = ? AND unsubscribed_at IS NOT "
			 "NULL", "i", id), 1);
	CHECK_INT(harness_fetch(&mailer, "POST", path, "List-Unsubscribe=One-Click", NULL), 200);
	CHECK_INT(db_int(0, "SELECT count(*) FROM audit WHERE object = 'person' AND action = "
			 "'unsubscribe'", NULL), 1);
	static const char *const foreign[] = {
		"/unsubscribe/0000000000000000000000000000000000000000", "/unsubscribe/abc",
		"/unsubscribe/%27%20OR%201%3D1--"};
	for (size_t i = 0; i < sizeof(foreign) / sizeof(foreign[0]); i++) {
		CHECKF(harness_fetch(&mailer, "POST", foreign[i], "List-Unsubscribe=One-Click", &out)
		       == 404, "%s", foreign[i]);
		CHECK(i == 2 || strstr(buf_str(&out), "ne correspond à aucun contact") != NULL);
	}
	/* another route still wants its form token */
	CHECK_INT(harness_fetch(&mailer, "POST", "/login", "email=a&password=b", NULL), 403);
	buf_free(&out);
}

/* The GDPR: the administration exports what is held about a contact, then
 * erases it: name and address gone from the pages, the mails and the
 * export, its attendance kept without a name. */
static void erase_contact(void)
{
	struct browser admin = {0}, coord = {0};
	CHECK_INT(harness_login(&admin, HARNESS_ADMIN, PASSWORD), 303);
	CHECK_INT(harness_login(&coord, HARNESS_COORD, PASSWORD), 303);
	CHECK(db_exec("INSERT INTO person (organisation_id, name, email, function) SELECT id, "
		      "'Jeanne Exemple', 'jeanne@cpas.example', 'Médiatrice' FROM organisation WHERE "
		      "slug = 'cpas-de-namur'", NULL) == 1);
	long long id = db_last_id();
	long long meeting = db_int(0, "SELECT id FROM meeting WHERE slug = '2020-09-15'", NULL);
	CHECK(db_exec("INSERT INTO attendance (meeting_id, organisation_id, person_id, presence) "
		      "SELECT ?, organisation_id, id, 'present' FROM person WHERE id = ?", "ii", meeting,
		      id) == 1);
	CHECK(db_exec("INSERT INTO outbox (kind, message_id, recipient, subject, body) VALUES "
		      "('mail', '<x@y>', 'jeanne@cpas.example', 'Invitation : test', 'corps')", NULL) == 1);
	char path[96];
	snprintf(path, sizeof(path), "/admin/contacts/%lld/export", id);
	struct buf out = {0};
	CHECK_INT(harness_fetch(&coord, "GET", path, NULL, NULL), 403);
	CHECK_INT(harness_fetch(&admin, "GET", path, NULL, &out), 200);
	json_t *j = json_loads(buf_str(&out), 0, NULL);
	CHECK(j && strcmp(json_string_value(json_object_get(json_object_get(j, "contact"), "email")),
			  "jeanne@cpas.example") == 0);
	CHECK(j && json_array_size(json_object_get(j, "attendance")) == 1 &&
	      json_array_size(json_object_get(j, "messages")) == 1);
	json_decref(j);
	snprintf(path, sizeof(path), "/admin/contacts/%lld/erase", id);
	struct buf form = {0};
	harness_form(&form, coord.csrf, (const char *[]){NULL});
	CHECK_INT(harness_fetch(&coord, "POST", path, buf_str(&form), NULL), 403);
	harness_form(&form, admin.csrf, (const char *[]){NULL});
	CHECK_INT(harness_fetch(&admin, "POST", path, buf_str(&form), NULL), 303);
	CHECK_INT(db_int(0, "SELECT count(*) FROM person WHERE id = ? AND email IS NULL AND name = "
			 "'Contact effacé' AND function = '' AND erased_at IS NOT NULL AND "
			 "unsubscribe_token IS NULL", "i", id), 1);
	CHECK_INT(db_int(0, "SELECT count(*) FROM outbox WHERE recipient = 'jeanne@cpas.example'",
			 NULL), 0);
	CHECK_INT(db_int(0, "SELECT count(*) FROM attendance WHERE person_id = ?", "i", id), 1);
	CHECK_INT(harness_fetch(&admin, "GET", "/organisations/cpas-de-namur", NULL, &out), 200);
	CHECK(!strstr(buf_str(&out), "Jeanne") && !strstr(buf_str(&out), "jeanne@"));
	CHECK_INT(harness_fetch(&admin, "POST", path, buf_str(&form), NULL), 404); /* once */
	CHECK_INT(db_int(0, "SELECT count(*) FROM audit WHERE (before LIKE '%jeanne%' OR after LIKE "
			 "'%jeanne%')", NULL), 0);
	buf_free(&form);
	buf_free(&out);
}

/* A commune's reception office, changed by the coordination from the
 * commune's page: refused outside the list, audited, exported. */
static void reception_office(void)
{
	struct browser coord = {0};
	CHECK_INT(harness_login(&coord, HARNESS_COORD, PASSWORD), 303);
	long long gembloux = db_int(0, "SELECT id FROM territory WHERE slug = 'gembloux'", NULL);
	char id[24];
	snprintf(id, sizeof(id), "%lld", gembloux);
	struct buf out = {0};
	CHECK_INT(harness_fetch(&coord, "GET", "/communes/92140", NULL, &out), 200);
	CHECK(strstr(buf_str(&out), "Changer le bureau d&#39;accueil") ||
	      strstr(buf_str(&out), "Changer le bureau d'accueil"));
	static const char *const bad[] = {"", "999999", "1 OR 1=1", "-3"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECKF(harness_post(&coord, "/communes/92140", (const char *[]){"territory", bad[i], NULL}, &out)
		       == 422, "%s", bad[i]);
	CHECK(strstr(buf_str(&out), "bureau d&#39;accueil de la liste") ||
	      strstr(buf_str(&out), "bureau d'accueil de la liste"));
	CHECK_INT(harness_post(&coord, "/communes/92140", (const char *[]){"territory", id, NULL}, NULL), 303);
	CHECK_INT(db_int(0, "SELECT territory_id FROM commune WHERE nis = 92140", NULL), gembloux);
	CHECK_INT(db_int(0, "SELECT count(*) FROM audit WHERE object = 'commune' AND object_id = "
			 "92140", NULL), 1);
	CHECK_INT(harness_post(&coord, "/communes/99999", (const char *[]){"territory", id, NULL}, NULL), 404);
	char dir[] = "/tmp/maillage-office-XXXXXX", path[96], cmd[128], line[256] = "";
	struct buf err = {0};
	CHECK(mkdtemp(dir) != NULL && export_dir(dir, &err) == 0);
	snprintf(path, sizeof(path), "%s/communes.csv", dir);
	FILE *f = fopen(path, "r");
	while (f && fgets(line, sizeof(line), f) && strncmp(line, "92140,", 6) != 0)
		;
	if (f)
		fclose(f);
	CHECK(strncmp(line, "92140,", 6) == 0 && strstr(line, ",Gembloux"));
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	CHECK(system(cmd) == 0);
	buf_free(&err);
	buf_free(&out);
}

/* Motions created and edited in the browser: refused on bad input, then
 * saved with their promoters and rendered text, following the visibility
 * rule, audited, exported. */
static void motion_forms(void)
{
	struct browser coord = {0}, cpas = {0}, anon = {0};
	CHECK_INT(harness_login(&coord, HARNESS_COORD, PASSWORD), 303);
	CHECK_INT(harness_login(&cpas, HARNESS_MEMBER, PASSWORD), 303);
	char cai[24], cpas_id[24], namur[24];
	snprintf(cai, sizeof(cai), "%lld", db_int(0, "SELECT id FROM organisation WHERE slug = 'cai'",
						  NULL));
	snprintf(cpas_id, sizeof(cpas_id), "%lld", db_int(0, "SELECT id FROM organisation WHERE "
							   "slug = 'cpas-de-namur'", NULL));
	snprintf(namur, sizeof(namur), "%lld", db_int(0, "SELECT id FROM body WHERE slug = "
						       "'coordination-locale-namur'", NULL));
	struct buf out = {0};
	CHECK_INT(harness_fetch(&coord, "GET", "/motions/new", NULL, &out), 200);
	long long before = db_int(0, "SELECT count(*) FROM motion", NULL);
	static const struct {
		const char *key, *val, *says;
	} bad[] = {
		{"title", "", "Le titre est obligatoire"},
		{"visibility", "secrète", "La visibilité doit"},
		{"body_id", "999999", "instance dans la liste"},
		{"promoters", "999999", "promoteurs dans la liste"},
		{"slug", "Pas Un Slug", "identifiant d&#39;adresse"},
		{"slug", "commune-hospitaliere", "déjà cet identifiant"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *pairs[] = {"title", "Motion d'essai", "visibility", "public", bad[i].key,
				       bad[i].val, NULL};
		if (strcmp(bad[i].key, "title") == 0 || strcmp(bad[i].key, "visibility") == 0)
			pairs[strcmp(bad[i].key, "title") == 0 ? 1 : 3] = bad[i].val;
		CHECKF(harness_post(&coord, "/motions", pairs, &out) == 422, "%s=%s", bad[i].key, bad[i].val);
		CHECKF(strstr(buf_str(&out), bad[i].says) != NULL, "%s=%s : %s", bad[i].key,
		       bad[i].val, bad[i].says);
	}
	CHECK_INT(db_int(0, "SELECT count(*) FROM motion", NULL), before);
	struct call c;
	struct buf form = {0};
	CHECK_INT(harness_post(&coord, "/motions", (const char *[]){"title", "Motion d'essai", "visibility",
		       "public", "communes", "99999", NULL}, &out), 422);
	CHECK(strstr(buf_str(&out), "communes dans la liste") != NULL);
	harness_form(&form, coord.csrf, (const char *[]){"title", "Motion pour l'accueil à Namur",
		     "visibility", "members", "body_id", namur, "promoters", cai, "promoters", cpas_id,
		     "communes", "92094", "communes", "92003",
		     "text", "## Considérant\n\nQue **chaque commune** <script>alert(1)</script>", NULL});
	CHECK_INT(call(&c, &coord, "POST", "/motions", buf_str(&form)), 303);
	CHECK(header_has(&c, "Location", "/motions/motion-pour-l-accueil-a-namur"));
	call_free(&c);
	const char *page = "/motions/motion-pour-l-accueil-a-namur";
	CHECK_INT(harness_fetch(&cpas, "GET", page, NULL, &out), 200);
	CHECK(strstr(buf_str(&out), "<strong>chaque commune</strong>") &&
	      !strstr(buf_str(&out), "<script>alert"));
	CHECK(strstr(buf_str(&out), "href=\"/organisations/cpas-de-namur\"") &&
	      strstr(buf_str(&out), "href=\"/organisations/cai\""));
	CHECK(strstr(buf_str(&out), "/motions/motion-pour-l-accueil-a-namur/communes/92094"));
	CHECK_INT(harness_fetch(&anon, "GET", page, NULL, NULL), 404); /* members only */
	CHECK_INT(db_int(0, "SELECT count(*) FROM audit a JOIN motion m ON m.id = a.object_id WHERE "
			 "a.object = 'motion' AND a.action = 'create' AND m.slug = "
			 "'motion-pour-l-accueil-a-namur'", NULL), 1);
	/* edited: a new title, one promoter, public */
	CHECK_INT(harness_fetch(&coord, "GET", "/motions/motion-pour-l-accueil-a-namur/edit", NULL,
				&out), 200);
	CHECK(strstr(buf_str(&out), "Considérant") != NULL);
	CHECK_INT(db_int(0, "SELECT count(*) FROM motion_commune mc JOIN motion m ON m.id = "
			 "mc.motion_id WHERE m.slug = 'motion-pour-l-accueil-a-namur' AND mc.state = "
			 "'not_started'", NULL), 2);
	CHECK(strstr(buf_str(&out), "Considérant") && strstr(buf_str(&out), "value=\"92003\" checked"));
	/* something happened in Namur: unchecked, it stays; Andenne, untouched, leaves */
	CHECK(db_exec("INSERT INTO event (motion_commune_id, date, kind, note) SELECT mc.id, "
		      "'2030-01-05', 'meeting', 'Rencontre' FROM motion_commune mc JOIN motion m ON "
		      "m.id = mc.motion_id WHERE m.slug = 'motion-pour-l-accueil-a-namur' AND "
		      "mc.commune_nis = 92094", NULL) == 1);
	CHECK_INT(harness_post(&coord, page, (const char *[]){"title", "Motion pour un accueil digne",
		       "visibility", "public", "body_id", namur, "promoters", cai, "text", "Texte revu.",
		       "communes", "93014", NULL}, NULL), 303);
	CHECK_INT(db_int(0, "SELECT count(*) FROM motion_commune mc JOIN motion m ON m.id = "
			 "mc.motion_id WHERE m.slug = 'motion-pour-l-accueil-a-namur' AND "
			 "mc.commune_nis IN (92094, 93014)", NULL), 2);
	CHECK_INT(db_int(0, "SELECT count(*) FROM motion_commune mc JOIN motion m ON m.id = "
			 "mc.motion_id WHERE m.slug = 'motion-pour-l-accueil-a-namur'", NULL), 2);
	CHECK_INT(db_int(0, "SELECT count(*) FROM motion m WHERE m.slug = "
			 "'motion-pour-l-accueil-a-namur' AND m.title = 'Motion pour un accueil digne' "
			 "AND m.visibility = 'public' AND (SELECT count(*) FROM motion_promoter p WHERE "
			 "p.motion_id = m.id) = 1", NULL), 1);
	CHECK_INT(harness_fetch(&anon, "GET", page, NULL, &out), 200);
	CHECK(strstr(buf_str(&out), "<dt>Communes concernées</dt><dd>2 sur 38</dd>") != NULL);
	CHECK_INT(harness_post(&coord, "/motions/nulle-part", (const char *[]){"title", "X", "visibility",
		       "public", NULL}, NULL), 404);
	/* removed: gone for the others, restorable by the coordination */
	CHECK_INT(harness_post(&coord, "/motions/motion-pour-l-accueil-a-namur/delete", (const char *[]){NULL},
		       NULL), 303);
	CHECK_INT(harness_fetch(&anon, "GET", page, NULL, NULL), 404);
	CHECK_INT(harness_fetch(&anon, "GET", "/motions", NULL, &out), 200);
	CHECK(!strstr(buf_str(&out), "accueil digne"));
	CHECK_INT(harness_fetch(&coord, "GET", page, NULL, &out), 200);
	CHECK(strstr(buf_str(&out), "Cette motion est supprimée") != NULL);
	CHECK_INT(harness_post(&coord, "/motions/motion-pour-l-accueil-a-namur/undelete",
		       (const char *[]){NULL}, NULL), 303);
	CHECK_INT(harness_fetch(&anon, "GET", page, NULL, NULL), 200);
	/* the export carries it */
	char dir[] = "/tmp/maillage-motion-XXXXXX", path[128], cmd[128], text[4096] = "";
	struct buf err = {0};
	CHECK(mkdtemp(dir) != NULL && export_dir(dir, &err) == 0);
	snprintf(path, sizeof(path), "%s/motions/motion-pour-l-accueil-a-namur.md", dir);
	FILE *f = fopen(path, "r");
	size_t n = f ? fread(text, 1, sizeof(text) - 1, f) : 0;
	text[n] = '\0';
	if (f)
		fclose(f);
	CHECK(strstr(text, "Motion pour un accueil digne") && strstr(text, "cai") &&
	      strstr(text, "Texte revu."));
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	CHECK(system(cmd) == 0);
	buf_free(&err);
	buf_free(&form);
	buf_free(&out);
}

/* Counts the texts of body's year (its bilan, its perspectives) whose
 * rendering holds html: 0, 1 or 2. */
static int review_has(long long body, int year, const char *html)
{
	json_t *r = review_current(body, year);
	int n = r ? (strstr(db_str(r, "bilan_html"), html) != NULL) +
		    (strstr(db_str(r, "perspectives_html"), html) != NULL) : 0;
	json_decref(r);
	return n;
}

/* The glossary kept in the browser: a new acronym appears, abbreviated,
 * in the stored minutes and bilans that use it (rendered again at once), a
 * new meaning replaces the old, a removed one goes; bad input is refused. */
static void glossary(void)
{
	struct browser coord = {0}, anon = {0};
	CHECK_INT(harness_login(&coord, HARNESS_COORD, PASSWORD), 303);
	long long body = db_int(0, "SELECT id FROM body WHERE slug = 'gt-sante'", NULL);
	struct meeting_in m = {.body_id = body, .title = "Réunion du glossaire", .start = "2030-02-02",
			       .format = "on_site", .status = "held", .visibility = "public",
			       .agenda = "", .minutes = "Le ZORGLUB a présenté son bilan."};
	long long id = meeting_save(0, &m, 0);
	CHECK_INT(review_save(body, 2030, "Le ZORGLUB a tenu parole.", "Revoir le ZORGLUB.", 0), 1);
	char page[64];
	snprintf(page, sizeof(page), "/meetings/%lld", id);
	struct buf out = {0};
	CHECK_INT(harness_fetch(&anon, "GET", page, NULL, &out), 200);
	CHECK(strstr(buf_str(&out), "Le ZORGLUB a présenté") != NULL);
	CHECK(review_has(body, 2030, "<abbr") == 0 && review_has(body, 2030, "ZORGLUB") == 2);
	static const struct {
		const char *acronym, *expansion;
	} bad[] = {{"", "Quelque chose"}, {"DEUX MOTS", "x"}, {"ZORGLUB", ""},
		   {"ZORGLUB", "une\nligne de trop"}, {"TROPLONGTROPLONGTROPLONGTROPLONG", "x"}};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECKF(harness_post(&coord, "/glossary", (const char *[]){"acronym", bad[i].acronym,
			    "expansion", bad[i].expansion, NULL}, &out) == 422, "%s", bad[i].acronym);
	CHECK_INT(db_int(0, "SELECT count(*) FROM glossary WHERE acronym = 'ZORGLUB'", NULL), 0);
	CHECK_INT(harness_post(&coord, "/glossary", (const char *[]){"acronym", "ZORGLUB", "expansion",
		       "Zone organisée de réflexion <b>globale</b>", NULL}, NULL), 303);
	CHECK_INT(harness_fetch(&anon, "GET", page, NULL, &out), 200);
	CHECK(strstr(buf_str(&out), "<abbr title=\"Zone organisée de réflexion &lt;b&gt;globale&lt;/b&gt;\">"
			  "ZORGLUB</abbr>") != NULL);
	CHECK_INT(harness_fetch(&anon, "GET", "/glossary", NULL, &out), 200);
	CHECK(strstr(buf_str(&out), "ZORGLUB") != NULL);
	CHECK_INT(harness_post(&coord, "/glossary", (const char *[]){"acronym", "ZORGLUB", "expansion",
		       "Zone de rencontre", NULL}, NULL), 303);
	CHECK_INT(harness_fetch(&anon, "GET", page, NULL, &out), 200);
	CHECK(strstr(buf_str(&out), "<abbr title=\"Zone de rencontre\">ZORGLUB</abbr>") != NULL);
	CHECK_INT(review_has(body, 2030, "<abbr title=\"Zone de rencontre\">ZORGLUB</abbr>"), 2);
	char del[64];
	snprintf(del, sizeof(del), "/glossary/%lld/delete",
		 db_int(0, "SELECT id FROM glossary WHERE acronym = 'ZORGLUB'", NULL));
	CHECK_INT(harness_post(&coord, del, (const char *[]){NULL}, NULL), 303);
	CHECK_INT(harness_fetch(&anon, "GET", page, NULL, &out), 200);
	CHECK(!strstr(buf_str(&out), "<abbr title=\"Zone") && strstr(buf_str(&out), "Le ZORGLUB"));
	CHECK(review_has(body, 2030, "<abbr") == 0 && review_has(body, 2030, "ZORGLUB") == 2);
	CHECK_INT(harness_post(&coord, del, (const char *[]){NULL}, NULL), 404);
	/* removed, not lost: the coordination restores it */
	CHECK_INT(harness_fetch(&coord, "GET", "/glossary", NULL, &out), 200);
	CHECK(strstr(buf_str(&out), "Sigles retirés") && strstr(buf_str(&out), "Zone de rencontre"));
	CHECK_INT(harness_fetch(&anon, "GET", "/glossary", NULL, &out), 200);
	CHECK(!strstr(buf_str(&out), "ZORGLUB"));
	char undel[64];
	snprintf(undel, sizeof(undel), "/glossary/%lld/undelete",
		 db_int(0, "SELECT id FROM glossary WHERE acronym = 'ZORGLUB'", NULL));
	CHECK_INT(harness_post(&coord, undel, (const char *[]){NULL}, NULL), 303);
	CHECK_INT(harness_fetch(&anon, "GET", page, NULL, &out), 200);
	CHECK(strstr(buf_str(&out), "<abbr title=\"Zone de rencontre\">ZORGLUB</abbr>") != NULL);
	CHECK_INT(db_int(0, "SELECT count(*) FROM audit WHERE object = 'glossary'", NULL), 4);
	buf_free(&out);
}

/* Reads file path into out (at most size - 1 bytes). */
static void slurp(const char *path, char *out, size_t size)
{
	FILE *f = fopen(path, "r");
	size_t n = f ? fread(out, 1, size - 1, f) : 0;
	out[n] = '\0';
	if (f)
		fclose(f);
}

/* The export carries the contacts (function, no invitations, an
 * unsubscription) and an import of it gives them back; a contact erased
 * is neither exported nor brought back; bad contacts are refused. */
static void contacts_carried(void)
{
	CHECK(db_exec("INSERT INTO person (organisation_id, name, email, function, invitations, "
		      "unsubscribed_at) SELECT id, 'Service « social »', 'social@cpas.example', "
		      "'Assistante sociale', 0, '2030-01-02T10:00:00Z' FROM organisation WHERE slug = "
		      "'cpas-de-namur'", NULL) == 1);
	long long social = db_last_id();
	CHECK(db_exec("INSERT INTO person (organisation_id, name, email, erased_at) SELECT id, "
		      "'Contact effacé', NULL, '2030-01-01' FROM organisation WHERE slug = "
		      "'cpas-de-namur'", NULL) == 1);
	char dir[] = "/tmp/maillage-contacts-XXXXXX", path[160], text[4096], cmd[200];
	struct buf err = {0};
	CHECK(mkdtemp(dir) != NULL && export_dir(dir, &err) == 0);
	snprintf(path, sizeof(path), "%s/organisations/cpas-de-namur.md", dir);
	slurp(path, text, sizeof(text));
	CHECK(strstr(text, "contacts:\n  - {name: \"Service « social »\", email: "
			   "\"social@cpas.example\", function: \"Assistante sociale\", invitations: "
			   "false, unsubscribed: 2030-01-02T10:00:00Z}\n") != NULL);
	CHECK(!strstr(text, "Contact effacé"));
	/* the contact removed here comes back, as it was, from the files */
	CHECK(db_exec("UPDATE person SET deleted = 1, function = 'autre', invitations = 1, "
		      "unsubscribed_at = NULL WHERE id = ?", "i", social) == 1);
	CHECK(content_import_dir(dir, &err) == 0);
	CHECK_INT(db_int(0, "SELECT count(*) FROM person WHERE id = ? AND deleted = 0 AND function = "
			 "'Assistante sociale' AND invitations = 0 AND unsubscribed_at = "
			 "'2030-01-02T10:00:00Z'", "i", social), 1);
	CHECK_INT(db_int(0, "SELECT count(*) FROM person WHERE erased_at IS NOT NULL AND email IS "
			 "NULL", NULL), 1);
	/* a bad contact: a French message, nothing changed */
	FILE *f = fopen(path, "w");
	fputs("---\nname: \"CPAS de Namur\"\ncontacts:\n  - {email: \"sans-nom@cpas.example\"}\n---\n",
	      f);
	fclose(f);
	buf_reset(&err);
	CHECK(content_import_dir(dir, &err) < 0);
	CHECK(strstr(buf_str(&err), "un contact a un nom") != NULL);
	CHECK_INT(db_int(0, "SELECT count(*) FROM person WHERE deleted = 0 AND erased_at IS NULL AND "
			 "function = 'Assistante sociale'", NULL), 1);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	CHECK(system(cmd) == 0);
	buf_free(&err);
}

/* An organisation that still takes part is not removed (its reasons are
 * said); one that no longer does is removed from the lists, the choices,
 * the API and the export, and restored. */
static void organisation_removed(void)
{
	struct browser coord = {0}, anon = {0};
	CHECK_INT(harness_login(&coord, HARNESS_COORD, PASSWORD), 303);
	struct buf out = {0};
	CHECK_INT(harness_post(&coord, "/organisations/cpas-de-namur/delete", (const char *[]){NULL}, &out),
		  409);
	CHECK(strstr(buf_str(&out), "prend encore part au réseau") &&
	      strstr(buf_str(&out), "1 compte actif"));
	CHECK_INT(db_int(0, "SELECT deleted FROM organisation WHERE slug = 'cpas-de-namur'", NULL), 0);
	CHECK_INT(harness_post(&coord, "/organisations", (const char *[]){"name", "Association disparue",
		       "kind", "asbl", NULL}, NULL), 303);
	CHECK_INT(harness_post(&coord, "/organisations/association-disparue/delete", (const char *[]){NULL},
		       NULL), 303);
	CHECK_INT(harness_fetch(&anon, "GET", "/organisations/association-disparue", NULL, NULL), 404);
	CHECK_INT(harness_fetch(&anon, "GET", "/organisations", NULL, &out), 200);
	CHECK(!strstr(buf_str(&out), "Association disparue"));
	CHECK_INT(harness_fetch(&coord, "GET", "/bodies/new", NULL, &out), 200);
	CHECK(!strstr(buf_str(&out), "Association disparue"));
	CHECK_INT(harness_fetch(&coord, "GET", "/organisations/association-disparue", NULL, &out), 200);
	CHECK(strstr(buf_str(&out), "Cette organisation est supprimée") != NULL);
	CHECK_INT(harness_fetch(&anon, "GET", "/api/v1/partners/association-disparue", NULL, &out), 200);
	json_t *j = json_loads(buf_str(&out), 0, NULL);
	CHECK(j && json_is_true(json_object_get(j, "deleted")) && !json_object_get(j, "name"));
	json_decref(j);
	char dir[] = "/tmp/maillage-removed-XXXXXX", path[128], cmd[128];
	struct buf err = {0};
	CHECK(mkdtemp(dir) != NULL && export_dir(dir, &err) == 0);
	snprintf(path, sizeof(path), "%s/organisations/association-disparue.md", dir);
	CHECK(access(path, F_OK) != 0);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	CHECK(system(cmd) == 0);
	CHECK_INT(harness_post(&coord, "/organisations/association-disparue/delete", (const char *[]){NULL},
		       NULL), 404); /* already */
	CHECK_INT(harness_post(&coord, "/organisations/association-disparue/undelete", (const char *[]){NULL},
		       NULL), 303);
	CHECK_INT(harness_fetch(&anon, "GET", "/organisations/association-disparue", NULL, NULL), 200);
	CHECK_INT(db_int(0, "SELECT count(*) FROM audit a JOIN organisation o ON o.id = a.object_id "
			 "WHERE a.object = 'organisation' AND a.action IN ('delete', 'undelete') AND "
			 "o.slug = 'association-disparue'", NULL), 2);
	buf_free(&err);
	buf_free(&out);
}

/* The same memberships from the body's page: joined with a role, listed
 * with « Retirer », ended; an organisation outside the list is refused. */
static void body_memberships(void)
{
	struct browser coord = {0}, forem = {0};
	CHECK_INT(harness_login(&coord, HARNESS_COORD, PASSWORD), 303);
	CHECK_INT(harness_login(&forem, HARNESS_PARTNER, PASSWORD), 303);
	struct buf out = {0};
	CHECK_INT(harness_fetch(&coord, "GET", "/bodies/gt-sante", NULL, &out), 200);
	CHECK(strstr(buf_str(&out), "<option value=\"forem\">") != NULL);
	CHECK_INT(harness_post(&coord, "/bodies/gt-sante/memberships", (const char *[]){"organisation", "forem",
		       "role", "pilot", NULL}, NULL), 303);
	CHECK_INT(harness_fetch(&forem, "GET", "/bodies/gt-sante", NULL, &out), 200);
	const char *p = strstr(buf_str(&out), "<a href=\"/organisations/forem\">");
	CHECK(p && strstr(p, "pilote") && !strstr(buf_str(&out), "Retirer"));
	long long id = db_int(0, "SELECT m.id FROM membership m JOIN body b ON b.id = m.body_id JOIN "
			      "organisation o ON o.id = m.organisation_id WHERE b.slug = 'gt-sante' AND "
			      "o.slug = 'forem' AND m.role = 'pilot' AND m.end_date IS NULL", NULL);
	CHECK(id > 0);
	struct call c;
	struct buf form = {0};
	harness_form(&form, coord.csrf, (const char *[]){"organisation", "nulle-part", "role",
		     "member", NULL});
	CHECK_INT(call(&c, &coord, "POST", "/bodies/gt-sante/memberships", buf_str(&form)), 303);
	CHECK(header_has(&c, "Location", "/bodies/gt-sante?error=membership"));
	call_free(&c);
	char end[96];
	snprintf(end, sizeof(end), "/bodies/gt-sante/memberships/%lld/end", id);
	CHECK_INT(harness_post(&coord, end, (const char *[]){NULL}, NULL), 303);
	CHECK_INT(db_int(0, "SELECT count(*) FROM membership WHERE id = ? AND end_date < date('now')",
			 "i", id), 1);
	CHECK_INT(harness_post(&coord, "/bodies/gt-sante/memberships/999999/end", (const char *[]){NULL}, NULL),
		  404);
	snprintf(end, sizeof(end), "/bodies/plateforme-citoyennete/memberships/%lld/end", id);
	CHECK_INT(harness_post(&coord, end, (const char *[]){NULL}, NULL), 404); /* not that body's */
	buf_free(&form);
	buf_free(&out);
}

/* Runs the partners' tests, the contacts' each from the pristine network. */
void pages_partners(void)
{
	harness_fresh();
	RUN(organisation_forms);
	RUN(memberships);
	harness_fresh();
	RUN(body_memberships);
	harness_fresh();
	RUN(contacts);
	harness_fresh();
	RUN(unsubscribe);
	harness_fresh();
	RUN(erase_contact);
	harness_fresh();
	RUN(contacts_carried);
	RUN(reception_office);
	RUN(motion_forms);
	RUN(glossary);
	RUN(organisation_removed);
}
