/* mailtest.h — what the mail tests share (mail.c and imap.c): a real SMTP
 * server (python3-aiosmtpd) on a loopback port, Maillage sending to it,
 * and readers of what arrived. */
#ifndef MAILLAGE_MAILTEST_H
#define MAILLAGE_MAILTEST_H

#include <jansson.h>
#include <stdbool.h>
#include <sys/types.h>

#include "live.h"

/* The fake mail server. */
struct smtp {
	pid_t pid;
	int port;
	char maildir[96];
	const char *const *options; /* smtp.py's, or NULL */
};

/* Returns a free loopback port. */
int free_port(void);
/* Tells whether something accepts connections on the loopback port. */
bool listening(int port);
/* Sleeps for ms milliseconds. */
void pause_ms(long ms);
/* Stops aiosmtpd. */
void smtp_stop(struct smtp *m);
/* Waits (up to 60 s) until the maildir holds count messages; returns them. */
json_t *wait_for(const struct smtp *m, size_t count);
/* Runs an SQL script on the server's database with the sqlite3 shell. */
int sql(const struct live *s, const char *script);
/* Starts a real SMTP server (its maildir in a new folder named after tag)
 * and Maillage sending to it, with more serve options (NULL-terminated, or
 * NULL), the accounts and a small network (two member organisations, one
 * outsider, meeting 1 planned); false (nothing left running) on failure. */
bool mail_and_server(struct smtp *m, struct live *s, const char *tag, const char *const *more);
/* Finds the part of message m of the given type; returns its text. */
const char *part_text(json_t *m, const char *type);
/* Posts the invitation of meeting 1 as the coordinator; returns the status. */
long invite(struct client *c);
/* Returns the message of got sent to address (borrowed), or NULL. */
json_t *message_to(json_t *got, const char *address);

#define MAILTEST_PASSWORD "un mot de passe assez long" /* every test account's */

#endif
