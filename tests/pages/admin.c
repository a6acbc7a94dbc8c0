/* admin.c — page tests of accounts run from the browser: creation with a
 * mailed one-time link, its use, its refusals (expired, replayed, foreign,
 * of a deactivated account), role and organisation changes, deactivation,
 * the last administrator kept, « mot de passe oublié » and its throttling.
 * Starts from the harness's pristine network (harness_fresh). */
#include <stdio.h>
#include <string.h>

#include "../../src/auth.h"
#include "../../src/db.h"
#include "../test.h"
#include "harness.h"
#include "pages.h"

/* Returns how many messages the outbox holds for address with subject. */
static long long mails(const char *address, const char *subject)
{
	return db_int(-1, "SELECT count(*) FROM outbox WHERE recipient = ? AND subject = ?", "tt",
		      address, subject);
}

/* An administrator creates an account: it has no password, a link is
 * mailed; bad input is refused with a French message and nothing made. */
static void create_account(void)
{
	struct browser admin = {0}, coord = {0};
	CHECK_INT(harness_login(&admin, HARNESS_ADMIN, PASSWORD), 303);
	CHECK_INT(harness_login(&coord, HARNESS_COORD, PASSWORD), 303);
	struct buf out = {0};
	CHECK_INT(harness_fetch(&admin, "GET", "/admin/users", NULL, &out), 200);
	CHECK(strstr(buf_str(&out), "Créer le compte et envoyer le lien") != NULL);
	long long before = db_int(0, "SELECT count(*) FROM user", NULL);
	static const struct {
		const char *email, *name, *role, *org, *says;
	} bad[] = {
		{"", "Nom", "partner", "cpas-de-namur", "adresse e-mail de la personne"},
		{"pas-une-adresse", "Nom", "partner", "cpas-de-namur", "adresse e-mail invalide"},
		{"cpas@pages.test", "Doublon", "partner", "cpas-de-namur", "un compte existe déjà"},
		{"x@pages.test", "Nom", "superuser", "", "un rôle de la liste"},
		{"x@pages.test", "Nom", "partner", "", "choisissez-la"},
		{"x@pages.test", "Nom", "partner", "inconnue", "organisation inconnue"},
		{"x@pages.test", "", "board", "", "Indiquez le nom de la personne."},
		{"x\r\nBcc: y@pages.test", "Nom", "board", "", "adresse e-mail invalide"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int st = harness_post(&admin, "/admin/users", (const char *[]){"email", bad[i].email, "name",
			      bad[i].name, "role", bad[i].role, "organisation", bad[i].org, NULL}, &out);
		CHECKF(st == 422, "%s : %d", bad[i].email, st);
		CHECKF(strstr(buf_str(&out), bad[i].says) != NULL, "%s : %s", bad[i].email, bad[i].says);
	}
	/* several mistakes: all of them at once, each beside its field */
	CHECK_INT(harness_post(&admin, "/admin/users", (const char *[]){"email", "", "name", "",
		  "role", "partner", "organisation", "", NULL}, &out), 422);
	CHECK(strstr(buf_str(&out), "3 erreurs à corriger") != NULL);
	CHECK(strstr(buf_str(&out), "<p class=\"field-error\" id=\"email-error\">") &&
	      strstr(buf_str(&out), "<p class=\"field-error\" id=\"name-error\">") &&
	      strstr(buf_str(&out), "<p class=\"field-error\" id=\"organisation-error\">"));
	CHECK_INT(db_int(0, "SELECT count(*) FROM user", NULL), before);
	/* a coordinator may not */
	CHECK(harness_post(&coord, "/admin/users", (const char *[]){"email", "y@pages.test", "name", "Y",
		   "role", "admin", NULL}, NULL) != 303);
	/* the real thing; a name with HTML stays text */
	CHECK_INT(harness_post(&admin, "/admin/users", (const char *[]){"email", "nouvelle@pages.test", "name",
		       "<b>Nouvelle</b> Personne", "role", "partner", "organisation", "cpas-de-namur",
		       NULL}, NULL), 303);
	CHECK_INT(db_int(0, "SELECT count(*) FROM user u JOIN organisation o ON o.id = "
			 "u.organisation_id WHERE u.email = 'nouvelle@pages.test' AND u.role = "
			 "'partner' AND o.slug = 'cpas-de-namur' AND u.password_hash IS NULL", NULL), 1);
	CHECK_INT(db_int(0, "SELECT count(*) FROM password_link l JOIN user u ON u.id = l.user_id "
			 "WHERE u.email = 'nouvelle@pages.test' AND l.expires > " DB_NOW_SHIFTED("'+6 days'")
			 " AND l.expires < " DB_NOW_SHIFTED("'+8 days'"), NULL), 1);
	CHECK_INT(mails("nouvelle@pages.test", "Votre compte Maillage"), 1);
	CHECK_INT(db_int(0, "SELECT count(*) FROM audit a JOIN user u ON u.id = a.user_id WHERE "
			 "a.object = 'user' AND a.action = 'create' AND u.email = ?", "t",
			 HARNESS_ADMIN), 1);
	CHECK_INT(harness_fetch(&admin, "GET", "/admin/users", NULL, &out), 200);
	CHECK(strstr(buf_str(&out), "&lt;b&gt;Nouvelle&lt;/b&gt; Personne") &&
	      strstr(buf_str(&out), "mot de passe pas encore choisi"));
	/* no password yet: no way in */
	struct browser b = {0};
	CHECK(harness_login(&b, "nouvelle@pages.test", "") != 303);
	CHECK(harness_login(&b, "nouvelle@pages.test", PASSWORD) != 303);
	buf_free(&out);
}

/* The link: opens its form, sets the password once; expired, replayed,
 * foreign or of a deactivated account, it says so and changes nothing. */
static void password_link(void)
{
	long long id = db_int(0, "SELECT id FROM user WHERE email = ?", "t", HARNESS_MEMBER);
	char token[AUTH_TOKEN_LEN + 1], path[80];
	CHECK(auth_link_issue(id, token) == 0);
	snprintf(path, sizeof(path), "/password/%s", token);
	struct browser anon = {0}, cpas = {0};
	CHECK_INT(harness_login(&cpas, HARNESS_MEMBER, PASSWORD), 303);
	struct buf out = {0};
	CHECK_INT(harness_fetch(&anon, "GET", path, NULL, &out), 200);
	CHECK(strstr(buf_str(&out), "Membre du CPAS") && strstr(buf_str(&out), HARNESS_MEMBER));
	/* refusals keep the link */
	CHECK_INT(harness_post(&anon, path, (const char *[]){"password", "un nouveau secret", "confirm",
						     "un autre secret", NULL}, &out), 422);
	CHECK(strstr(buf_str(&out), "pas identiques") != NULL);
	CHECK_INT(harness_post(&anon, path, (const char *[]){"password", "court", "confirm", "court", NULL},
		       &out), 422);
	CHECK(strstr(buf_str(&out), "au moins 10 caractères") != NULL);
	/* both mistakes at once, each beside its field */
	CHECK_INT(harness_post(&anon, path, (const char *[]){"password", "court", "confirm", "autre",
							     NULL}, &out), 422);
	CHECK(strstr(buf_str(&out), "2 erreurs à corriger") &&
	      strstr(buf_str(&out), "<p class=\"field-error\" id=\"password-error\">") &&
	      strstr(buf_str(&out), "<p class=\"field-error\" id=\"confirm-error\">"));
	CHECK(auth_link_user(token) == id);
	/* set: the old password and sessions go, the link is spent */
	CHECK_INT(harness_post(&anon, path, (const char *[]){"password", "un nouveau secret", "confirm",
						     "un nouveau secret", NULL}, NULL), 303);
	CHECK(auth_link_user(token) == 0);
	CHECK_INT(harness_fetch(&anon, "GET", path, NULL, &out), 404);
	CHECK(strstr(buf_str(&out), "plus valable") != NULL);
	CHECK_INT(harness_post(&anon, path, (const char *[]){"password", "encore un secret", "confirm",
						     "encore un secret", NULL}, NULL), 404);
	CHECK_INT(harness_fetch(&cpas, "GET", "/account", NULL, NULL), 302); /* session ended */
	struct browser again = {0};
	CHECK(harness_login(&again, HARNESS_MEMBER, PASSWORD) != 303);
	CHECK_INT(harness_login(&again, HARNESS_MEMBER, "un nouveau secret"), 303);
	/* expired */
	CHECK(auth_link_issue(id, token) == 0);
	CHECK(db_exec("UPDATE password_link SET expires = " DB_NOW_SHIFTED("'-1 minute'")
		      " WHERE user_id = ?", "i", id) == 1);
	snprintf(path, sizeof(path), "/password/%s", token);
	CHECK_INT(harness_fetch(&anon, "GET", path, NULL, NULL), 404);
	/* foreign, malformed, hostile */
	static const char *const foreign[] = {
		"/password/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "/password/abc",
		"/password/%27%20OR%201%3D1--", "/password/%3Cscript%3E"};
	for (size_t i = 0; i < sizeof(foreign) / sizeof(foreign[0]); i++) {
		int st = harness_fetch(&anon, "GET", foreign[i], NULL, NULL);
		CHECKF(st == 404, "%s : %d", foreign[i], st);
	}
	/* a deactivated account's link does not open */
	CHECK(auth_link_issue(id, token) == 0);
	struct buf err = {0};
	CHECK(auth_user_set_disabled(HARNESS_MEMBER, true, 0, &err) == 0);
	snprintf(path, sizeof(path), "/password/%s", token);
	CHECK_INT(harness_fetch(&anon, "GET", path, NULL, NULL), 404);
	CHECK(auth_user_set_disabled(HARNESS_MEMBER, false, 0, &err) == 0);
	CHECK(auth_link_user(token) == 0); /* deactivating spent it */
	buf_free(&err);
	buf_free(&out);
}

/* Role and organisation, deactivation, a new link; the last active
 * administrator can be neither demoted nor deactivated. */
static void manage_accounts(void)
{
	struct browser admin = {0}, cpas = {0};
	CHECK_INT(harness_login(&admin, HARNESS_ADMIN, PASSWORD), 303);
	CHECK_INT(harness_login(&cpas, HARNESS_MEMBER, PASSWORD), 303);
	long long me = db_int(0, "SELECT id FROM user WHERE email = ?", "t", HARNESS_ADMIN);
	long long member = db_int(0, "SELECT id FROM user WHERE email = ?", "t", HARNESS_MEMBER);
	char path[80], sub[96];
	struct buf out = {0};
	CHECK_INT(harness_fetch(&admin, "GET", "/admin/users/999999", NULL, NULL), 404);
	CHECK_INT(harness_post(&admin, "/admin/users/999999/disable", (const char *[]){NULL}, NULL), 404);
	/* the last administrator */
	snprintf(path, sizeof(path), "/admin/users/%lld", me);
	CHECK_INT(harness_fetch(&admin, "GET", path, NULL, &out), 200);
	CHECK(!strstr(buf_str(&out), "Désactiver le compte")); /* not oneself */
	CHECK_INT(harness_post(&admin, path, (const char *[]){"role", "coordinator", "organisation", "", NULL},
		       &out), 422);
	CHECK(strstr(buf_str(&out), "dernier compte d&#39;administration") ||
	      strstr(buf_str(&out), "dernier compte d'administration"));
	snprintf(sub, sizeof(sub), "%s/disable", path);
	CHECK_INT(harness_post(&admin, sub, (const char *[]){NULL}, &out), 409);
	CHECK_INT(db_int(0, "SELECT count(*) FROM user WHERE id = ? AND role = 'admin' AND "
			 "disabled = 0", "i", me), 1);
	/* a partner moves to another organisation, then is deactivated: its session ends */
	snprintf(path, sizeof(path), "/admin/users/%lld", member);
	CHECK_INT(harness_post(&admin, path, (const char *[]){"role", "partner", "organisation", "forem", NULL},
		       NULL), 303);
	CHECK_INT(db_int(0, "SELECT count(*) FROM user u JOIN organisation o ON o.id = "
			 "u.organisation_id WHERE u.id = ? AND o.slug = 'forem'", "i", member), 1);
	CHECK_INT(harness_post(&admin, path, (const char *[]){"role", "dieu", "organisation", "forem", NULL},
		       &out), 422);
	CHECK_INT(harness_post(&admin, path, (const char *[]){"role", "partner", "organisation",
						      "n-existe-pas", NULL}, &out), 422);
	CHECK(strstr(buf_str(&out), "organisation de la liste") != NULL);
	CHECK_INT(harness_fetch(&cpas, "GET", "/account", NULL, NULL), 200);
	snprintf(sub, sizeof(sub), "%s/disable", path);
	CHECK_INT(harness_post(&admin, sub, (const char *[]){NULL}, NULL), 303);
	CHECK_INT(harness_fetch(&cpas, "GET", "/account", NULL, NULL), 302);
	snprintf(sub, sizeof(sub), "%s/link", path);
	CHECK_INT(harness_post(&admin, sub, (const char *[]){NULL}, &out), 409);
	snprintf(sub, sizeof(sub), "%s/enable", path);
	CHECK_INT(harness_post(&admin, sub, (const char *[]){NULL}, NULL), 303);
	CHECK_INT(harness_login(&cpas, HARNESS_MEMBER, PASSWORD), 303);
	/* a new link replaces the previous one */
	char old[AUTH_TOKEN_LEN + 1];
	CHECK(auth_link_issue(member, old) == 0);
	snprintf(sub, sizeof(sub), "%s/link", path);
	CHECK_INT(harness_post(&admin, sub, (const char *[]){NULL}, NULL), 303);
	CHECK(auth_link_user(old) == 0);
	CHECK_INT(mails(HARNESS_MEMBER, "Nouveau mot de passe Maillage"), 1);
	/* a second administrator: then the first may step down */
	CHECK_INT(harness_post(&admin, path, (const char *[]){"role", "admin", "organisation", "", NULL},
		       NULL), 303);
	snprintf(path, sizeof(path), "/admin/users/%lld", me);
	CHECK_INT(harness_post(&admin, path, (const char *[]){"role", "coordinator", "organisation", "cai",
						      NULL}, NULL), 303);
	CHECK_INT(db_int(0, "SELECT count(*) FROM audit WHERE object = 'user' AND action = 'change'",
			 NULL), 3);
	CHECK_INT(harness_fetch(&admin, "GET", "/admin/users/999999", NULL, NULL), 403); /* no longer admin */
	buf_free(&out);
}

/* « Mot de passe oublié »: the same answer whether the address has an
 * account or not; a mail only for an active account; throttled per
 * address (silently) and per client (429). */
static void forgotten_password(void)
{
	struct browser anon = {0};
	struct buf known = {0}, unknown = {0}, out = {0};
	CHECK_INT(harness_fetch(&anon, "GET", "/login", NULL, &out), 200);
	CHECK(strstr(buf_str(&out), "href=\"/password/forgot\"") != NULL);
	CHECK_INT(harness_fetch(&anon, "GET", "/password/forgot", NULL, NULL), 200);
	CHECK_INT(harness_post(&anon, "/password/forgot", (const char *[]){"email", HARNESS_PARTNER, NULL},
		       &known), 200);
	CHECK_INT(harness_post(&anon, "/password/forgot", (const char *[]){"email", "personne@pages.test",
		       NULL}, &unknown), 200);
	CHECK(strcmp(buf_str(&known), buf_str(&unknown)) == 0);
	CHECK_INT(mails(HARNESS_PARTNER, "Nouveau mot de passe Maillage"), 1);
	CHECK_INT(mails("personne@pages.test", "Nouveau mot de passe Maillage"), 0);
	CHECK_INT(harness_post(&anon, "/password/forgot", (const char *[]){"email", "<script>", NULL}, &out),
		  422);
	/* the same address: three mails an hour, then the same answer and no mail */
	for (int i = 0; i < 3; i++)
		CHECK_INT(harness_post(&anon, "/password/forgot", (const char *[]){"email", HARNESS_PARTNER,
			       NULL}, &out), 200);
	CHECK(strcmp(buf_str(&out), buf_str(&known)) == 0);
	CHECK_INT(mails(HARNESS_PARTNER, "Nouveau mot de passe Maillage"), AUTH_RESET_PER_EMAIL);
	/* one client: ten requests an hour */
	int last = 0;
	for (int i = 0; i < AUTH_RESET_PER_CLIENT; i++)
		last = harness_post(&anon, "/password/forgot", (const char *[]){"email", "autre@pages.test",
			    NULL}, &out);
	CHECK_INT(last, 429);
	CHECK(strstr(buf_str(&out), "Trop de demandes") != NULL);
	buf_free(&known);
	buf_free(&unknown);
	buf_free(&out);
}

/* Runs the accounts' tests, each from the pristine network. */
void pages_admin(void)
{
	harness_fresh();
	RUN(create_account);
	harness_fresh();
	RUN(password_link);
	harness_fresh();
	RUN(manage_accounts);
	harness_fresh();
	RUN(forgotten_password);
}
