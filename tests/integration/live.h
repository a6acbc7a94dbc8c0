/* live.h — the real maillage binary on a random loopback port, driven over
 * HTTP with libcurl (and raw sockets where a client must misbehave). */
#ifndef MAILLAGE_LIVE_H
#define MAILLAGE_LIVE_H

#include <curl/curl.h>
#include <stdbool.h>
#include <sys/types.h>

#include "../../src/buf.h"

struct live {
	pid_t pid;
	int port;
	char dir[64];   /* temporary folder holding the database and logs */
	char log[128];  /* the server's standard error (access log) */
};

struct client {
	CURL *curl;
	const struct live *srv;
	char csrf[64];  /* the last CSRF token seen in a page */
	void *mime;     /* the multipart form of the next POST (client_upload) */
};

struct answer {
	long status;
	struct buf body;
	struct buf headers;
};

/* Returns the binary under test (MAILLAGE_BIN, else the sanitized build). */
const char *live_binary(void);
/* Creates a database with the given accounts ("email role password" lines)
 * and starts the server on a free port, with up to 18 extra serve options
 * (NULL-terminated, or NULL); 0 or -1. */
int live_start(struct live *s, const char *accounts, const char *const *extra);
/* Starts the server again on the database of s (after it was killed). */
int live_resume(struct live *s, const char *const *extra);
/* Runs "maillage ARGS" (a shell fragment) with input on stdin, collecting
 * stdout and stderr into out; returns the exit status. */
int live_cli(const char *args, const char *input, struct buf *out);
/* Sends SIGTERM, waits, removes the folder; returns the exit status or -1. */
int live_stop(struct live *s);
/* Returns the first integer query gives on the database file db, or -1. */
long long live_sql_file(const char *db, const char *query);
/* Returns the first integer query gives on the server's database, or -1. */
long long live_sql_int(const struct live *s, const char *query);
/* Tells whether the server's log contains s. */
bool live_log_has(const struct live *s, const char *text);

/* Opens a client with its own cookie jar. */
void client_open(struct client *c, const struct live *s);
/* Closes a client. */
void client_close(struct client *c);
/* Sends a request (form body for POST, NULL for none); fills a (free with
 * answer_free) and keeps the page's CSRF token; returns the status. */
long client_send(struct client *c, const char *method, const char *path, const char *form,
		 struct answer *a);
/* Posts fields (NULL-terminated pairs, the CSRF token added) and files
 * (NULL-terminated triples: field, path of the bytes, name sent) as a
 * multipart form to path; fills a; returns the status (-1: no answer). */
long client_upload(struct client *c, const char *path, const char *const *fields,
		   const char *const *files, struct answer *a);
/* Logs in with the page's CSRF token; returns the status of the POST. */
long client_login(struct client *c, const char *email, const char *password);
/* Tells whether the client holds a cookie called name. */
bool client_has_cookie(struct client *c, const char *name);
/* Writes the client's cookies as a Cookie header value into out. */
void client_cookie_header(struct client *c, struct buf *out);
/* Frees an answer. */
void answer_free(struct answer *a);

/* Connects a raw TCP socket to the server; returns it or -1. */
int raw_connect(const struct live *s);
/* The same from the loopback address from ("127.0.0.2"…; NULL: any). */
int raw_connect_from(const struct live *s, const char *from);
/* Writes all of s; 0 or -1. */
int raw_write(int fd, const char *s, size_t n);
/* Reads until the peer closes (or 5 s pass) into out. */
void raw_read_all(int fd, struct buf *out);

#endif
