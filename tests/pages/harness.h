/* harness.h — calls route() in process, as server.c would, against a
 * temporary database, and keeps the cookies of one simulated browser. */
#ifndef MAILLAGE_HARNESS_H
#define MAILLAGE_HARNESS_H

#include "../../src/buf.h"
#include "../../src/req.h"

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
};

/* Creates the temporary database, loads templates and assets; 0 or -1. */
int harness_setup(void);
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
/* Tells whether c's response has header name and its value contains s
 * (false, not a crash, when the header is missing). */
bool header_has(const struct call *c, const char *name, const char *s);
/* Frees a call. */
void call_free(struct call *c);
/* Logs b in as email/password; returns the final status (303 on success). */
int harness_login(struct browser *b, const char *email, const char *password);

#endif
