/* mail.h — the outbox: mail (SMTP through libcurl, or .eml files when no
 * server is configured) and webhooks (JSON POSTs), written in the
 * transaction of the change that caused them and sent by one background
 * thread with retries. */
#ifndef MAILLAGE_MAIL_H
#define MAILLAGE_MAIL_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

struct mail_config {
	const char *smtp_url;      /* smtp://host:port, smtps://…; NULL: .eml files */
	const char *smtp_user, *smtp_password; /* sent only over TLS */
	const char *smtp_ca;       /* certificates to trust for the server; NULL: the system's */
	const char *from;          /* the sender's address */
	const char *eml_dir;       /* where .eml files go without a server */
	unsigned retry_base;       /* seconds before the first retry (doubling) */
	bool allow_local_webhooks; /* http:// to loopback, and inner addresses, accepted */
	const char *reminder_time; /* "HH:MM" (UTC) of the daily task, NULL: none */
	int (*daily)(void);        /* run once a day after reminder_time (the digests); -1 on error */
};

/* The configuration in force (set by mail_configure). */
extern struct mail_config mail_cfg;

/* Sets the configuration; 0, or -1 with a French message in err. */
int mail_configure(const struct mail_config *cfg, struct buf *err);

/* One message to write to the outbox. */
struct mail_msg {
	const char *to;            /* one address */
	const char *subject;       /* UTF-8, one line */
	const char *text;          /* the plain text part */
	const char *html;          /* the HTML part, or NULL */
	const char *ics;           /* an iCalendar attachment, or NULL */
	const char *ics_method;    /* its METHOD (REQUEST, CANCEL) */
	const char *unsubscribe;   /* the one-click unsubscribe address (RFC 8058), or NULL */
};

/* Returns NULL when address is one a message may go to, else why not. */
const char *mail_address_problem(const char *address);
/* Builds the whole RFC 5322 message of m with its Message-ID into out;
 * 0, or -1 when a header would be unsafe (CR or LF, bad address). */
int mail_build(const struct mail_msg *m, const char *message_id, struct buf *out);
/* Writes m to the outbox (in the caller's transaction, if any); 0 or -1. */
int mail_queue(const struct mail_msg *m);

/* Returns NULL when url may receive webhooks, else why not (French):
 * https:// only (http:// to this machine with allow_local_webhooks), and,
 * without allow_local_webhooks, no name that resolves to a loopback,
 * private, link-local, multicast or unspecified address. Each delivery
 * checks again the very address libcurl connects to. */
const char *mail_webhook_problem(const char *url);
/* Writes a JSON POST of body to every registered webhook; 0 or -1. */
int mail_queue_webhooks(const char *json_body);

/* Sends what is due in the outbox now, at most max messages; returns how
 * many were sent, or -1 when the database failed. */
int mail_send_due(int max);
/* Starts the background thread: the outbox, and the daily task. */
int mail_start(void);
/* Stops the background thread after its current message. */
void mail_stop(void);

/* Returns what libcurl's code rc means, in French, for the mail and
 * mailbox servers' usual failures. */
const char *mail_curl_error(int rc);

#endif
