/* account.c — page tests of logging in and out, the cookies, one's password.
 * Starts from the harness's pristine network (harness_fresh). */
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

/* Login: French errors, cookie flags, safe "next", logout ends the session. */
static void login_and_logout(void)
{
	struct browser b = {0};
	struct call c;
	char form[400];
	call(&c, &b, "GET", "/login", NULL);
	call_free(&c);
	snprintf(form, sizeof(form), "_csrf=%s&email=" HARNESS_PARTNER "&password=faux", b.csrf);
	CHECK_INT(call(&c, &b, "POST", "/login", form), 200);
	CHECK(body_has(&c, "Adresse e-mail ou mot de passe incorrect."));
	CHECK(body_has(&c, "value=\"" HARNESS_PARTNER "\""));
	CHECK(!strstr(b.cookies, AUTH_SESSION_COOKIE));
	call_free(&c);
	snprintf(form, sizeof(form), "_csrf=%s&email=" HARNESS_PARTNER "&password=%s&next=//evil.example",
		 b.csrf, "un+mot+de+passe+assez+long");
	CHECK_INT(call(&c, &b, "POST", "/login", form), 303);
	CHECK_STR(resp_get_header(&c.resp, "Location"), "/");
	const char *cookie = resp_get_header(&c.resp, "Set-Cookie");
	CHECK(cookie && strstr(cookie, "HttpOnly") && strstr(cookie, "SameSite=Lax") &&
	      !strstr(cookie, "Secure"));
	call_free(&c);
	CHECK_INT(call(&c, &b, "GET", "/", NULL), 200);
	CHECK(body_has(&c, "<h1>Bonjour, Partenaire des tests</h1>"));
	CHECK(body_has(&c, "Se déconnecter"));
	call_free(&c);
	char logout[100];
	snprintf(logout, sizeof(logout), "_csrf=%s", b.csrf);
	char old_cookies[sizeof(b.cookies)];
	memcpy(old_cookies, b.cookies, sizeof(old_cookies));
	CHECK_INT(call(&c, &b, "POST", "/logout", logout), 303);
	call_free(&c);
	memcpy(b.cookies, old_cookies, sizeof(old_cookies)); /* replaying the old cookie */
	CHECK_INT(call(&c, &b, "GET", "/account", NULL), 302);
	call_free(&c);
}

/* An anonymous reader gets no cookie for reading; the login form's page
 * sets the CSRF cookie its token needs. */
static void no_cookie_for_reading(void)
{
	static const char *const reading[] = {"/", "/meetings", "/bodies", "/search?q=r%C3%A9union",
					      "/interpellations", "/communes/92094"};
	for (size_t i = 0; i < sizeof(reading) / sizeof(reading[0]); i++) {
		struct call c;
		CHECK_INT(call(&c, NULL, "GET", reading[i], NULL), 200);
		CHECKF(!resp_get_header(&c.resp, "Set-Cookie"), "%s pose un cookie", reading[i]);
		call_free(&c);
	}
	struct call c;
	CHECK_INT(call(&c, NULL, "GET", "/login", NULL), 200);
	const char *cookie = resp_get_header(&c.resp, "Set-Cookie");
	CHECK(cookie && strncmp(cookie, AUTH_CSRF_COOKIE "=", strlen(AUTH_CSRF_COOKIE) + 1) == 0);
	call_free(&c);
}

/* Behind https, the session cookie gets Secure. */
static void secure_cookie_behind_https(void)
{
	struct browser b = {0};
	page_cfg.base_url = "https://maillage.example.org";
	page_cfg.secure = true;
	b.origin = "https://maillage.example.org";
	struct call c;
	call(&c, &b, "GET", "/login", NULL);
	CHECK(header_has(&c, "Set-Cookie", "; Secure"));
	call_free(&c);
	char form[300];
	snprintf(form, sizeof(form), "_csrf=%s&email=" HARNESS_PARTNER "&password=%s", b.csrf,
		 "un+mot+de+passe+assez+long");
	CHECK_INT(call(&c, &b, "POST", "/login", form), 303);
	CHECK(header_has(&c, "Set-Cookie", "; Secure"));
	call_free(&c);
	page_cfg.base_url = NULL;
	page_cfg.secure = false;
}

/* Changing one's password checks the current one and keeps one logged in. */
static void password_change(void)
{
	struct browser b = {0};
	struct call c;
	char form[400];
	CHECK_INT(harness_login(&b, HARNESS_ADMIN, PASSWORD), 303);
	snprintf(form, sizeof(form), "_csrf=%s&current=faux&password=nouveau+secret+1&"
		 "confirm=nouveau+secret+1", b.csrf);
	CHECK_INT(call(&c, &b, "POST", "/account/password", form), 422);
	CHECK(body_has(&c, "mot de passe actuel est incorrect"));
	call_free(&c);
	/* three mistakes at once, each beside its field */
	snprintf(form, sizeof(form), "_csrf=%s&current=faux&password=court&confirm=autre", b.csrf);
	CHECK_INT(call(&c, &b, "POST", "/account/password", form), 422);
	CHECK(body_has(&c, "3 erreurs à corriger") &&
	      body_has(&c, "<p class=\"field-error\" id=\"current-error\">") &&
	      body_has(&c, "<p class=\"field-error\" id=\"password-error\">") &&
	      body_has(&c, "<p class=\"field-error\" id=\"confirm-error\">"));
	call_free(&c);
	snprintf(form, sizeof(form), "_csrf=%s&current=%s&password=court&confirm=court", b.csrf,
		 "un+mot+de+passe+assez+long");
	CHECK_INT(call(&c, &b, "POST", "/account/password", form), 422);
	CHECK(body_has(&c, "au moins 10 caractères"));
	call_free(&c);
	snprintf(form, sizeof(form), "_csrf=%s&current=%s&password=nouveau+secret+1&"
		 "confirm=nouveau+secret+1", b.csrf, "un+mot+de+passe+assez+long");
	CHECK_INT(call(&c, &b, "POST", "/account/password", form), 303);
	call_free(&c);
	CHECK_INT(call(&c, &b, "GET", "/account?ok=1", NULL), 200);
	CHECK(body_has(&c, "mot de passe a été changé"));
	call_free(&c);
	struct browser again = {0};
	CHECK_INT(harness_login(&again, HARNESS_ADMIN, "nouveau secret 1"), 303);
	struct buf err = {0};
	CHECK(auth_user_set_password(HARNESS_ADMIN, PASSWORD, 0, &err) == 0);
	buf_free(&err);
}

/* Runs the account cases on a fresh copy of the network. */
void pages_account(void)
{
	harness_fresh();
	RUN(login_and_logout);
	RUN(no_cookie_for_reading);
	RUN(secure_cookie_behind_https);
	RUN(password_change);
}
