/* test_auth.c — password hashing, tokens and the session round trip. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../src/auth.h"
#include "../../src/db.h"
#include "../test.h"
#include "unit.h"

/* argon2id hashes verify the right password only, and are salted. */
static void password_hashing(void)
{
	char h1[AUTH_HASH_MAX], h2[AUTH_HASH_MAX];
	CHECK(auth_hash_password("coordination 2020", h1) == 0);
	CHECK(auth_hash_password("coordination 2020", h2) == 0);
	CHECK(strncmp(h1, "$argon2id$", 10) == 0);
	CHECK(strcmp(h1, h2) != 0);
	CHECK(auth_verify_password(h1, "coordination 2020"));
	CHECK(!auth_verify_password(h1, "coordination 2021"));
	CHECK(!auth_verify_password(h1, ""));
	CHECK(!auth_verify_password(NULL, "x"));
	CHECK(auth_password_problem("court") != NULL);
	CHECK(auth_password_problem("assez long pour passer") == NULL);
}

/* Tokens are 43 base64url characters and never repeat. */
static void tokens(void)
{
	char a[AUTH_TOKEN_LEN + 1], b[AUTH_TOKEN_LEN + 1];
	auth_random_token(a);
	auth_random_token(b);
	CHECK_INT(strlen(a), AUTH_TOKEN_LEN);
	CHECK(strspn(a, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") ==
	      AUTH_TOKEN_LEN);
	CHECK(strcmp(a, b) != 0);
	char pw[17];
	auth_random_password(pw);
	CHECK_INT(strlen(pw), 16);
	CHECK(strpbrk(pw, "0O1lI") == NULL);
}

/* Roles parse, order and have French labels. */
static void roles(void)
{
	CHECK_INT(auth_role_parse("admin"), ROLE_ADMIN);
	CHECK_INT(auth_role_parse("partner"), ROLE_PARTNER);
	CHECK_INT(auth_role_parse("anonymous"), -1);
	CHECK_INT(auth_role_parse("root"), -1);
	CHECK(ROLE_PARTNER < ROLE_BOARD && ROLE_BOARD < ROLE_COORDINATOR &&
	      ROLE_COORDINATOR < ROLE_ADMIN);
	CHECK_STR(auth_role_label(ROLE_COORDINATOR), "coordination");
}

/* Email addresses: plausible ones pass, header-injection shapes do not. */
static void emails(void)
{
	CHECK(auth_email_valid("coordination@cai-namur.test"));
	CHECK(!auth_email_valid("a@b"));
	CHECK(!auth_email_valid("pas une adresse"));
	CHECK(!auth_email_valid("x@y.be\r\nBcc: z@w.be"));
	CHECK(!auth_email_valid("<x@y.be>"));
	CHECK(!auth_email_valid("@y.be"));
}

/* A login creates a session that the cookie finds again, until logout;
 * only the token's hash is stored. */
static void session_round_trip(void)
{
	char dir[] = "/tmp/maillage-auth-XXXXXX", path[128];
	struct buf err = {0};
	CHECK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/a.db", dir);
	CHECK(db_open(path, true, &err) == 0);
	CHECK(auth_user_add("p@x.test", "Partenaire", "partner", NULL, "mot de passe long", 0, &err) > 0);
	CHECK(auth_user_add("P@X.test", "Doublon", "partner", NULL, "mot de passe long", 0, &err) < 0);
	CHECK(strstr(buf_str(&err), "existe déjà") != NULL);
	buf_reset(&err);
	CHECK(auth_user_add("q@x.test", "Q", "chef", NULL, "mot de passe long", 0, &err) < 0);
	CHECK(strstr(buf_str(&err), "rôle inconnu") != NULL);

	struct req req = {0};
	req.remote_addr = "127.0.0.1";
	char token[AUTH_TOKEN_LEN + 1], cookie[100];
	CHECK_INT(auth_login(&req, "p@x.test", "mauvais", token), AUTH_BAD);
	CHECK_INT(auth_login(&req, "p@x.test", "mot de passe long", token), AUTH_OK);
	CHECK_INT(db_int(-1, "SELECT count(*) FROM session WHERE token_hash = ?", "t", token), 0);
	CHECK_INT(db_int(-1, "SELECT count(*) FROM session", NULL), 1);
	snprintf(cookie, sizeof(cookie), "autre=1; " AUTH_SESSION_COOKIE "=%s", token);
	req_parse_cookies(&req, cookie);
	auth_load_session(&req);
	CHECK_STR(req.user.email, "p@x.test");
	CHECK_INT(req.user.role, ROLE_PARTNER);
	CHECK(req.csrf && strlen(req.csrf) == AUTH_TOKEN_LEN && !req.csrf_new);
	auth_logout(&req);
	auth_load_session(&req);
	CHECK_INT(req.user.id, 0);
	CHECK(req.csrf_new);
	/* an expired session is not found */
	CHECK_INT(auth_login(&req, "p@x.test", "mot de passe long", token), AUTH_OK);
	db_exec("UPDATE session SET expires = '2020-01-01T00:00:00Z'", NULL);
	snprintf(cookie, sizeof(cookie), AUTH_SESSION_COOKIE "=%s", token);
	req_parse_cookies(&req, cookie);
	auth_load_session(&req);
	CHECK_INT(req.user.id, 0);
	/* nine failures from one address, on nine accounts, block that address only */
	req.remote_addr = "192.0.2.9";
	for (int i = 0; i < AUTH_THROTTLE_MAX; i++) {
		char email[64];
		snprintf(email, sizeof(email), "inconnu%d@x.test", i);
		CHECK_INT(auth_login(&req, email, "devine", token), AUTH_BAD);
	}
	CHECK_INT(auth_login(&req, "p@x.test", "mot de passe long", token), AUTH_THROTTLED);
	req.remote_addr = "192.0.2.10";
	CHECK_INT(auth_login(&req, "p@x.test", "mot de passe long", token), AUTH_OK);
	req_free(&req);
	buf_free(&err);
	db_close();
	snprintf(path, sizeof(path), "rm -rf %s", dir);
	CHECK(system(path) == 0);
}

/* Runs the auth tests. */
void unit_auth(void)
{
	RUN(password_hashing);
	RUN(tokens);
	RUN(roles);
	RUN(emails);
	RUN(session_round_trip);
}
