/* harness.h — calls route() in process, as server.c would, against a
 * temporary database, and keeps the cookies of one simulated browser. */
#ifndef MAILLAGE_HARNESS_H
#define MAILLAGE_HARNESS_H

#include "../../src/buf.h"
#include "../../src/req.h"

/* The accounts every test may log in as (harness_setup makes them), all
 * with the password PASSWORD: administration, a partner of the Forem
 * (outside most bodies), a partner of the CPAS (a member of Namur's
 * coordination), the board, the coordination (of the CAI). */
#define PASSWORD "un mot de passe assez long"
#define HARNESS_ADMIN "admin@pages.test"
#define HARNESS_PARTNER "partenaire@pages.test"
#define HARNESS_MEMBER "cpas@pages.test"
#define HARNESS_BOARD "ca@pages.test"
#define HARNESS_COORD "coord@pages.test"

/* One request and its response; free with call_free. */
struct call {
	struct req req;
	struct resp resp;
};

/* A browser: its cookies ("name=value; …") and the last CSRF token seen. */
struct browser {
	char cookies[512];
	char csrf[64];
	const char *origin; /* Origin header sent with POSTs, or NULL */
	const char *authorization; /* Authorization header sent, or NULL */
	const char *range;         /* Range header sent, or NULL */
	const char *if_none_match; /* If-None-Match header sent, or NULL */
	const char *const *files;  /* files of the next POST: field, path, name… NULL */
};

/* Creates the temporary database with the network of content/ and the
 * test accounts, keeps a pristine copy of it, loads templates and assets;
 * 0 or -1. */
int harness_setup(void);
/* Puts the database back as harness_setup left it (each group of tests
 * starts from there, whatever the groups before it changed). */
void harness_fresh(void);
/* Returns the path of the temporary database. */
const char *harness_db_path(void);
/* Removes the temporary database. */
void harness_teardown(void);
/* Sends method target (form body for POST) from browser b (or none);
 * keeps Set-Cookie and the page's CSRF token in b; returns the status. */
int call(struct call *c, struct browser *b, const char *method, const char *target,
	 const char *form);
/* Sends method target (form for POST) from b; copies the body into *body
 * when body is not NULL; returns the status. */
int harness_fetch(struct browser *b, const char *method, const char *target, const char *form,
		  struct buf *body);
/* Writes into out a form body: the CSRF token, then the NULL-terminated
 * key/value pairs, URL-encoded. */
void harness_form(struct buf *out, const char *csrf, const char *const *pairs);
/* Posts the NULL-terminated key/value pairs (with b's CSRF token) to
 * target from b; copies the body into *out when out is not NULL; returns
 * the status. */
int harness_post(struct browser *b, const char *target, const char *const *pairs,
		 struct buf *out);
/* Posts the pairs and the files (NULL-terminated triples: field, path of
 * the bytes, name the browser gives) as a multipart form to target from b,
 * the response left in c (free with call_free); returns the status. */
int harness_upload(struct call *c, struct browser *b, const char *target,
		   const char *const *pairs, const char *const *files);
/* Tells whether c's response body contains s. */
bool body_has(const struct call *c, const char *s);
/* Tells whether c's response has header name and its value contains s
 * (false, not a crash, when the header is missing). */
bool header_has(const struct call *c, const char *name, const char *s);
/* Appends to out the text part of the newest mail of the outbox whose
 * subject starts with prefix (to address, unless NULL); false when there
 * is none. */
bool harness_mail_text(const char *address, const char *prefix, struct buf *out);
/* The same for the part of the given type (text/calendar…). */
bool harness_mail_part(const char *address, const char *prefix, const char *type, struct buf *out);
/* Frees a call. */
void call_free(struct call *c);
/* Logs b in as email/password; returns the final status (303 on success). */
int harness_login(struct browser *b, const char *email, const char *password);

#endif
