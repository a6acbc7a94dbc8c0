/* security.c — page tests of what an attacker tried: an API token only
 * reads, a password change or a deactivation revokes the account's
 * secrets, the current-password check is throttled, records linked from
 * readable ones stay hidden from those who may not read them, and filter
 * choices come from what the reader may see. Makes its own accounts and
 * records. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/auth.h"
#include "../../src/buf.h"
#include "../../src/db.h"
#include "../../src/html.h"
#include "../../src/meeting.h"
#include "../test.h"
#include "harness.h"
#include "pages.h"

#define NEW_PASSWORD "un autre mot de passe bien long"
#define MEMBER "sec-membre@pages.test"  /* partner of a member of the Namur coordination */
#define OTHER "sec-autre@pages.test"    /* partner of an organisation outside it */
#define COORD "sec-coord@pages.test"
#define ADMIN_ "sec-admin@pages.test"
#define INTERNAL_TITLE "Réunion interne Zorglub"
#define MEMBERS_TITLE "Réunion des membres Quuxbar"
#define SECRET_BODY "Instance secrète Xyzzy" /* internal, slug instance-secrete-xyzzy */

/* Creates the test's accounts and its internal body once. */
static void accounts(void)
{
	CHECK(db_exec("INSERT OR IGNORE INTO body (slug, name, kind, status, visibility) VALUES "
		      "('instance-secrete-xyzzy', '" SECRET_BODY "', 'other', 'active', 'internal')",
		      NULL) >= 0);
	static const char *const a[][3] = {{MEMBER, "partner", "cpas-de-namur"},
					   {OTHER, "partner", "forem"},
					   {COORD, "coordinator", "cai"},
					   {ADMIN_, "admin", NULL}};
	for (size_t i = 0; i < sizeof(a) / sizeof(a[0]); i++) {
		struct buf err = {0};
		if (!db_int(0, "SELECT 1 FROM user WHERE email = ?", "t", a[i][0]))
			CHECKF(auth_user_add(a[i][0], "Compte de sécurité", a[i][1], a[i][2], PASSWORD,
					     0, &err) > 0, "%s : %s", a[i][0], buf_str(&err));
		buf_free(&err);
	}
}

/* Returns the id of the account with this email. */
static long long user_id(const char *email)
{
	return db_int(0, "SELECT id FROM user WHERE email = ?", "t", email);
}

/* Issues an API token for email and sets b to send it. */
static void token_browser(struct browser *b, const char *email, char bearer[64])
{
	char token[AUTH_TOKEN_LEN + 1] = "";
	memset(b, 0, sizeof(*b));
	CHECK(auth_token_issue(user_id(email), "api", token) == 0);
	snprintf(bearer, 64, "Bearer %s", token);
	b->authorization = bearer;
}

/* Makes a meeting of the Namur coordination; returns its id. */
static long long meeting(const char *title, const char *visibility, const char *start)
{
	CHECK(db_exec("INSERT INTO meeting (body_id, title, start, status, visibility) SELECT id, ?, ?, "
		      "'held', ? FROM body WHERE slug = 'coordination-locale-namur'", "ttt", title, start,
		      visibility) == 1);
	return db_last_id();
}

/* A token reads the API and nothing else: a coordinator's token with an
 * empty CSRF field cannot delete a meeting, an administrator's cannot add
 * a webhook, and pages, feeds and calendars refuse it with 401; a session
 * with an empty CSRF field is refused too. */
static void token_only_reads(void)
{
	accounts();
	long long id = meeting("Réunion du jeton", "public", "2030-02-02T10:00");
	struct browser coord, admin;
	char cb[64], ab[64], path[64];
	token_browser(&coord, COORD, cb);
	token_browser(&admin, ADMIN_, ab);
	snprintf(path, sizeof(path), "/meetings/%lld/delete", id);
	struct call c;
	CHECK_INT(call(&c, &coord, "POST", path, "_csrf="), 401);
	CHECK(resp_get_header(&c.resp, "WWW-Authenticate") != NULL);
	CHECK(strstr(buf_str(&c.resp.body), "ne sert qu") != NULL);
	call_free(&c);
	CHECK_INT(db_int(-1, "SELECT deleted FROM meeting WHERE id = ?", "i", id), 0);
	CHECK_INT(harness_fetch(&admin, "POST", "/admin/webhooks",
				"_csrf=&url=https%3A%2F%2F192.0.2.7%2Fjeton", NULL), 401);
	CHECK_INT(db_int(-1, "SELECT count(*) FROM webhook WHERE url LIKE '%jeton'", NULL), 0);
	static const char *const refused[] = {"/meetings", "/account", "/admin/users",
					      "/feeds/minutes.atom", "/calendar.ics",
					      "/feeds/interpellations.atom", "/search.json?q=r"};
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
		CHECKF(harness_fetch(&admin, "GET", refused[i], NULL, NULL) == 401, "%s", refused[i]);
	snprintf(path, sizeof(path), "/api/v1/meetings/%lld", id);
	CHECK_INT(harness_fetch(&coord, "GET", path, NULL, NULL), 200);
	CHECK_INT(harness_fetch(&coord, "HEAD", "/api/v1/meetings", NULL, NULL), 200);
	/* a session whose form sends an empty token */
	struct browser s = {0};
	CHECK_INT(harness_login(&s, COORD, PASSWORD), 303);
	snprintf(path, sizeof(path), "/meetings/%lld/delete", id);
	CHECK_INT(harness_fetch(&s, "POST", path, "_csrf=", NULL), 403);
	CHECK_INT(harness_fetch(&s, "POST", path, "x=1", NULL), 403);
	CHECK_INT(db_int(-1, "SELECT deleted FROM meeting WHERE id = ?", "i", id), 0);
}

/* Copies the secret shown in a <code class="secret"> of body into out. */
static void secret_of(const struct buf *body, char *out, size_t size)
{
	const char *p = strstr(buf_str(body), "<code class=\"secret\">");
	*out = '\0';
	if (CHECK(p != NULL)) {
		p += strlen("<code class=\"secret\">");
		snprintf(out, size, "%.*s", (int)strcspn(p, "<"), p);
	}
}

/* The calendar path (/calendar/….ics) of a personal link. */
static const char *calendar_path(const char *url)
{
	const char *p = strstr(url, "/calendar/");
	return p ? p : "/calendar/absent.ics";
}

/* A password change revokes the account's API token and calendar link
 * (the page says so); deactivating an account does too, and reactivating
 * it does not bring them back. */
static void password_change_revokes(void)
{
	accounts();
	struct browser me = {0}, api = {0};
	struct buf body = {0};
	char token[80], cal[300], bearer[100], form[300];
	CHECK_INT(harness_login(&me, MEMBER, PASSWORD), 303);
	CHECK_INT(harness_fetch(&me, "GET", "/account", NULL, NULL), 200);
	snprintf(form, sizeof(form), "_csrf=%s", me.csrf);
	CHECK_INT(harness_fetch(&me, "POST", "/account/api-token", form, &body), 200);
	secret_of(&body, token, sizeof(token));
	CHECK_INT(harness_fetch(&me, "POST", "/account/calendar", form, &body), 200);
	secret_of(&body, cal, sizeof(cal));
	snprintf(bearer, sizeof(bearer), "Bearer %s", token);
	api.authorization = bearer;
	CHECK_INT(harness_fetch(&api, "GET", "/api/v1/meetings", NULL, NULL), 200);
	CHECK_INT(harness_fetch(NULL, "GET", calendar_path(cal), NULL, NULL), 200);
	snprintf(form, sizeof(form), "_csrf=%s&current=%s&password=%s&confirm=%s", me.csrf,
		 "un+mot+de+passe+assez+long", "un+autre+mot+de+passe+bien+long",
		 "un+autre+mot+de+passe+bien+long");
	CHECK_INT(harness_fetch(&me, "POST", "/account/password", form, NULL), 303);
	CHECK_INT(harness_fetch(&me, "GET", "/account?ok=1", NULL, &body), 200);
	CHECK(strstr(buf_str(&body), "le lien de votre agenda personnel") != NULL);
	CHECK(strstr(buf_str(&body), "sont révoqués") != NULL);
	CHECK_INT(harness_fetch(&api, "GET", "/api/v1/meetings", NULL, NULL), 401);
	CHECK_INT(harness_fetch(NULL, "GET", calendar_path(cal), NULL, NULL), 404);
	CHECK_INT(db_int(-1, "SELECT count(*) FROM user_token WHERE user_id = ?", "i",
			 user_id(MEMBER)), 0);
	/* deactivation: sessions end, secrets go, and stay gone after reactivation */
	struct browser api2;
	char b2[64];
	token_browser(&api2, MEMBER, b2);
	CHECK_INT(harness_fetch(&api2, "GET", "/api/v1/meetings", NULL, NULL), 200);
	struct buf err = {0};
	CHECK(auth_user_set_disabled(MEMBER, true, 0, &err) == 0);
	CHECK_INT(harness_fetch(&api2, "GET", "/api/v1/meetings", NULL, NULL), 401);
	CHECK_INT(harness_fetch(&me, "GET", "/account", NULL, NULL), 302);
	CHECK_INT(harness_login(&me, MEMBER, NEW_PASSWORD), 200); /* refused: the form again */
	CHECK(auth_user_set_disabled(MEMBER, false, 0, &err) == 0);
	CHECK_INT(harness_fetch(&api2, "GET", "/api/v1/meetings", NULL, NULL), 401);
	CHECK_INT(harness_login(&me, MEMBER, NEW_PASSWORD), 303);
	CHECK(auth_user_set_disabled("personne@pages.test", true, 0, &err) < 0);
	CHECK(strstr(buf_str(&err), "aucun compte") != NULL);
	CHECK_INT(db_int(0, "SELECT count(*) FROM audit WHERE object = 'user' AND object_id = ? AND "
			 "action IN ('disable', 'enable')", "i", user_id(MEMBER)), 2);
	struct buf e2 = {0};
	CHECK(auth_user_set_password(MEMBER, PASSWORD, 0, &e2) == 0); /* back, for the tests after */
	buf_free(&e2);
	buf_free(&err);
	buf_free(&body);
}

/* The current password of the password form is throttled like the login:
 * the tenth try in ten minutes gets 429 even with the right password, for
 * the account and for the address. */
static void current_password_throttled(void)
{
	accounts();
	CHECK(db_exec("DELETE FROM login_failure", NULL) >= 0);
	struct browser me = {0};
	char form[300];
	CHECK_INT(harness_login(&me, OTHER, PASSWORD), 303);
	CHECK_INT(harness_fetch(&me, "GET", "/account", NULL, NULL), 200);
	for (int i = 0; i < AUTH_THROTTLE_MAX; i++) {
		snprintf(form, sizeof(form), "_csrf=%s&current=faux%d&password=x&confirm=x", me.csrf, i);
		CHECK_INT(harness_fetch(&me, "POST", "/account/password", form, NULL), 422);
	}
	struct buf body = {0};
	snprintf(form, sizeof(form), "_csrf=%s&current=%s&password=%s&confirm=%s", me.csrf,
		 "un+mot+de+passe+assez+long", "un+autre+mot+de+passe+bien+long",
		 "un+autre+mot+de+passe+bien+long");
	CHECK_INT(harness_fetch(&me, "POST", "/account/password", form, &body), 429);
	CHECK(strstr(buf_str(&body), "essais du mot de passe actuel") != NULL);
	json_t *u = db_row("SELECT password_hash FROM user WHERE email = ?", "t", OTHER);
	CHECK(auth_verify_password(json_string_value(json_object_get(u, "password_hash")), PASSWORD));
	json_decref(u);
	/* the address: failures of other accounts from it count too */
	CHECK(db_exec("DELETE FROM login_failure", NULL) >= 0);
	for (int i = 0; i < AUTH_THROTTLE_MAX; i++)
		CHECK(db_exec("INSERT INTO login_failure (email, address) VALUES (?, '127.0.0.1')", "t",
			      i % 2 ? "a@pages.test" : "b@pages.test") == 1);
	CHECK_INT(harness_fetch(&me, "POST", "/account/password", form, NULL), 429);
	CHECK(db_exec("DELETE FROM login_failure", NULL) >= 0);
	buf_free(&body);
}

/* The records that name the hidden meetings, for each reader to read. */
struct linked {
	long long internal, members, letter, motion;
	char letter_path[64], step_path[96], minutes_path[64];
};

/* Links an internal and a members-only meeting from a public letter's
 * timeline and a public motion's step in a commune. */
static void link_hidden_meetings(struct linked *l)
{
	l->internal = meeting(INTERNAL_TITLE, "internal", "2029-03-03T10:00");
	l->members = meeting(MEMBERS_TITLE, "members", "2029-03-04T10:00");
	CHECK(db_exec("INSERT INTO letter (slug, kind, level, title, date, status, visibility, body_id) "
		      "SELECT 'lettre-liens', 'courrier', 'commune', 'Lettre aux liens', '2029-03-05', "
		      "'sent', 'public', id FROM body WHERE slug = 'instance-secrete-xyzzy'", NULL) == 1);
	l->letter = db_last_id();
	CHECK(db_exec("INSERT INTO event (letter_id, date, kind, note, meeting_id) VALUES (?1, "
		      "'2029-03-06', 'meeting', 'Étape liée', ?2), (?1, '2029-03-07', 'meeting', "
		      "'Autre étape', ?3)", "iii", l->letter, l->internal, l->members) == 2);
	CHECK(db_exec("INSERT INTO motion (slug, title, visibility) VALUES ('motion-liens', "
		      "'Motion aux liens', 'public')", NULL) == 1);
	l->motion = db_last_id();
	CHECK(db_exec("INSERT INTO motion_commune (motion_id, commune_nis, state) VALUES (?, 92094, "
		      "'contact')", "i", l->motion) == 1);
	long long step = db_last_id();
	CHECK(db_exec("INSERT INTO event (motion_commune_id, date, kind, state, meeting_id) VALUES "
		      "(?1, '2029-03-08', 'meeting', 'contact', ?2), (?1, '2029-03-09', 'meeting', NULL, "
		      "?3)", "iii", step, l->internal, l->members) == 2);
	snprintf(l->letter_path, sizeof(l->letter_path), "/letters/%lld", l->letter);
	snprintf(l->step_path, sizeof(l->step_path), "/motions/motion-liens/communes/92094");
}

/* Tells whether text names the hidden meeting of this title or links to
 * its page. */
static bool names(const char *text, const char *title, long long id)
{
	char link[48];
	snprintf(link, sizeof(link), "/meetings/%lld\"", id);
	return strstr(text, title) || strstr(text, link);
}

/* A public letter's and a motion step's timeline, and every page, feed,
 * calendar, CSV and API answer that lists letters, motions or meetings,
 * never name a meeting the reader may not open: anonymous and a partner
 * outside the body see « une réunion réservée »; a member sees its body's
 * meeting but not the internal one; the coordination sees both. An
 * internal body that a public letter belongs to is not named either. */
static void linked_records_hidden(void)
{
	accounts();
	struct linked l;
	link_hidden_meetings(&l);
	struct browser anon = {0}, other = {0}, member = {0}, coord = {0};
	CHECK_INT(harness_login(&other, OTHER, PASSWORD), 303);
	CHECK_INT(harness_login(&member, MEMBER, PASSWORD), 303);
	CHECK_INT(harness_login(&coord, COORD, PASSWORD), 303);
	const char *pages[] = {l.letter_path, l.step_path, "/letters", "/interpellations",
			       "/interpellations.csv", "/feeds/interpellations.atom",
			       "/motions/motion-liens", "/motions", "/communes/92094", "/",
			       "/api/v1/papers", "/api/v1/consultations", "/api/v1/meetings",
			       "/search.json?q=liens", "/search?q=Zorglub", "/search.json?q=Quuxbar",
			       "/calendar.ics", "/feeds/minutes.atom", "/meetings", "/actions",
			       "/bodies/coordination-locale-namur"};
	struct {
		struct browser *b;
		const char *name;
		bool members;
	} readers[] = {{&anon, "anonyme", false}, {&other, "partenaire non membre", false},
		       {&member, "partenaire membre", true}};
	struct buf body = {0};
	for (size_t r = 0; r < sizeof(readers) / sizeof(readers[0]); r++) {
		for (size_t i = 0; i < sizeof(pages) / sizeof(pages[0]); i++) {
			int st = harness_fetch(readers[r].b, "GET", pages[i], NULL, &body);
			CHECKF(st == 200 || st == 400, "%s, %s : %d", pages[i], readers[r].name, st);
			CHECKF(!names(buf_str(&body), INTERNAL_TITLE, l.internal), "%s nomme la réunion "
			       "interne pour %s", pages[i], readers[r].name);
			CHECKF(readers[r].members || !names(buf_str(&body), MEMBERS_TITLE, l.members),
			       "%s nomme la réunion des membres pour %s", pages[i], readers[r].name);
			CHECKF(!strstr(buf_str(&body), SECRET_BODY), "%s nomme l'instance "
			       "interne pour %s", pages[i], readers[r].name);
		}
		for (int k = 0; k < 2; k++) {
			harness_fetch(readers[r].b, "GET", k ? l.step_path : l.letter_path, NULL, &body);
			CHECKF(strstr(buf_str(&body), "une réunion réservée") != NULL, "%s, %s",
			       k ? l.step_path : l.letter_path, readers[r].name);
			CHECKF(!readers[r].members || names(buf_str(&body), MEMBERS_TITLE, l.members),
			       "le membre ne voit pas sa réunion sur %s", k ? l.step_path : l.letter_path);
		}
	}
	for (int k = 0; k < 2; k++) {
		harness_fetch(&coord, "GET", k ? l.step_path : l.letter_path, NULL, &body);
		CHECK(names(buf_str(&body), INTERNAL_TITLE, l.internal));
		CHECK(names(buf_str(&body), MEMBERS_TITLE, l.members));
		CHECK(!strstr(buf_str(&body), "une réunion réservée"));
	}
	harness_fetch(&coord, "GET", l.letter_path, NULL, &body);
	CHECK(strstr(buf_str(&body), SECRET_BODY) != NULL);
	/* a deleted meeting is no longer named, even to the coordination */
	CHECK(db_exec("UPDATE meeting SET deleted = 1 WHERE id = ?", "i", l.members) == 1);
	harness_fetch(&coord, "GET", l.letter_path, NULL, &body);
	CHECK(!names(buf_str(&body), MEMBERS_TITLE, l.members));
	CHECK(db_exec("UPDATE meeting SET deleted = 0 WHERE id = ?", "i", l.members) == 1);
	buf_free(&body);
}

/* Saves a meeting whose minutes link [[target]] with this visibility;
 * returns the rendered minutes. */
static char *minutes_with_link(const char *visibility, const char *target)
{
	long long body = db_int(0, "SELECT id FROM body WHERE slug = 'coordination-locale-namur'", NULL);
	char minutes[200];
	snprintf(minutes, sizeof(minutes), "Voir [[%s]].", target);
	struct meeting_in m = {.body_id = body, .title = "Liens wiki", .start = "2029-04-01T10:00",
			       .format = "on_site", .status = "held", .visibility = visibility,
			       .minutes = minutes};
	const char *field, *problem = meeting_check(&m, &field);
	CHECKF(!problem, "%s : %s", field, problem ? problem : "");
	long long id = meeting_save(0, &m, 0);
	CHECK(id > 0);
	json_t *r = db_row("SELECT minutes_html FROM meeting WHERE id = ?", "i", id);
	const char *s = json_string_value(json_object_get(r, "minutes_html"));
	char *html = strdup(s ? s : "");
	json_decref(r);
	return html;
}

/* A wiki link resolves only to a page everyone who may read the text may
 * read: an internal body from public or members' minutes stays plain text,
 * from internal minutes it is a link; the preview resolves with the
 * reader's rights. */
static void wiki_links_follow_readers(void)
{
	accounts();
	const char *link = "href=\"/bodies/instance-secrete-xyzzy\"";
	static const char *const vis[] = {"public", "members", "internal"};
	for (int v = 0; v < 3; v++) {
		char *html = minutes_with_link(vis[v], SECRET_BODY);
		CHECKF((strstr(html, link) != NULL) == (v == 2), "%s : %s", vis[v], html);
		free(html);
	}
	char *html = minutes_with_link("public", "Coordination locale de Namur");
	CHECK(strstr(html, "href=\"/bodies/coordination-locale-namur\"") != NULL);
	free(html);
	struct browser partner = {0}, coord = {0};
	struct buf body = {0};
	char form[200];
	CHECK_INT(harness_login(&partner, MEMBER, PASSWORD), 303);
	CHECK_INT(harness_login(&coord, COORD, PASSWORD), 303);
	harness_fetch(&partner, "GET", "/account", NULL, NULL);
	snprintf(form, sizeof(form), "_csrf=%s&text=%%5B%%5Binstance-secrete-xyzzy%%5D%%5D", partner.csrf);
	CHECK_INT(harness_fetch(&partner, "POST", "/preview", form, &body), 200);
	CHECK(strstr(buf_str(&body), link) == NULL);
	harness_fetch(&coord, "GET", "/account", NULL, NULL);
	snprintf(form, sizeof(form), "_csrf=%s&text=%%5B%%5Binstance-secrete-xyzzy%%5D%%5D", coord.csrf);
	CHECK_INT(harness_fetch(&coord, "POST", "/preview", form, &body), 200);
	CHECK(strstr(buf_str(&body), link) != NULL);
	buf_free(&body);
}

/* Tells whether the page at target, for b, offers value as a choice. */
static bool offers(struct browser *b, const char *target, const char *value)
{
	struct buf body = {0}, needle = {0};
	harness_fetch(b, "GET", target, NULL, &body);
	buf_printf(&needle, "<option value=\"%s\"", value);
	bool found = strstr(buf_str(&body), buf_str(&needle)) != NULL;
	buf_free(&body);
	buf_free(&needle);
	return found;
}

/* The year and co-signer choices of /letters and /interpellations and the
 * year choices of /meetings come from what the reader may see; the
 * search's body filter answers the same for an internal body as for an
 * unknown one, to those who may not see it. */
static void filter_choices_follow_reader(void)
{
	accounts();
	CHECK(db_exec("INSERT INTO organisation (slug, name) VALUES ('signataire-cache', "
		      "'Signataire caché')", NULL) == 1);
	long long org = db_last_id();
	CHECK(db_exec("INSERT INTO letter (slug, kind, level, title, date, status, visibility) VALUES "
		      "('lettre-1987', 'courrier', 'commune', 'Lettre interne', '1987-05-05', 'sent', "
		      "'internal')", NULL) == 1);
	CHECK(db_exec("INSERT INTO letter_signer (letter_id, organisation_id) VALUES (?, ?)", "ii",
		      db_last_id(), org) == 1);
	meeting("Réunion interne de 1986", "internal", "1986-06-06T10:00");
	meeting("Réunion des membres de 1985", "members", "1985-05-05T10:00");
	struct browser anon = {0}, other = {0}, coord = {0}, member = {0};
	CHECK_INT(harness_login(&other, OTHER, PASSWORD), 303);
	CHECK_INT(harness_login(&member, MEMBER, PASSWORD), 303);
	CHECK_INT(harness_login(&coord, COORD, PASSWORD), 303);
	struct browser *readers[] = {&anon, &other};
	for (int r = 0; r < 2; r++) {
		CHECK(!offers(readers[r], "/letters", "1987"));
		CHECK(!offers(readers[r], "/interpellations", "1987"));
		CHECK(!offers(readers[r], "/letters", "signataire-cache"));
		CHECK(!offers(readers[r], "/interpellations", "signataire-cache"));
		CHECK(!offers(readers[r], "/meetings", "1986"));
		CHECK(!offers(readers[r], "/meetings", "1985"));
		CHECK(offers(readers[r], "/meetings", "2020"));
	}
	/* a member of the body sees the year of its members' meeting */
	CHECK(offers(&member, "/meetings", "1985") && !offers(&member, "/meetings", "1986"));
	CHECK(offers(&coord, "/meetings", "1985"));
	CHECK(offers(&coord, "/letters", "1987") && offers(&coord, "/interpellations", "1987"));
	CHECK(offers(&coord, "/letters", "signataire-cache"));
	CHECK(offers(&coord, "/meetings", "1986"));
	/* the search's body filter */
	struct buf a = {0}, b = {0};
	for (int r = 0; r < 2; r++) {
		int sa = harness_fetch(readers[r], "GET", "/search.json?q=xyzzy&body=instance-secrete-xyzzy",
				       NULL, &a);
		int sb = harness_fetch(readers[r], "GET", "/search.json?q=xyzzy&body=nulle-part", NULL, &b);
		CHECK_INT(sa, sb);
		CHECK_INT(sa, 400);
		CHECK_STR(buf_str(&a), buf_str(&b));
	}
	CHECK_INT(harness_fetch(&coord, "GET", "/search.json?q=xyzzy&body=instance-secrete-xyzzy", NULL,
				NULL), 200);
	buf_free(&a);
	buf_free(&b);
}

/* Runs the security cases. */
void pages_security(void)
{
	harness_fresh();
	RUN(token_only_reads);
	RUN(password_change_revokes);
	RUN(current_password_throttled);
	RUN(linked_records_hidden);
	RUN(wiki_links_follow_readers);
	RUN(filter_choices_follow_reader);
}
