/* imap.h — the mailbox Maillage reads calendars' replies from
 * (serve --imap-url): libcurl's IMAP, read every minute. A message that is
 * a reply to an invitation sets the answer and stays read; any other is
 * put back unread for a person, and logged once (mail_in remembers it). */
#ifndef MAILLAGE_IMAP_H
#define MAILLAGE_IMAP_H

#include "buf.h"

struct imap_config {
	const char *url;      /* imaps://host[:port]/FOLDER, or imap:// with STARTTLS */
	const char *user;     /* login */
	const char *password; /* its password (MAILLAGE_IMAP_PASSWORD) */
	const char *ca;       /* certificates of a private authority, or NULL */
	unsigned interval;    /* seconds between two readings (0: 60) */
};

/* Checks and keeps the configuration; 0, or -1 with a French message in
 * err. */
int imap_configure(const struct imap_config *cfg, struct buf *err);
/* Reads the mailbox once: every unread message not yet seen is fetched and
 * handed to mailin_message; returns how many were taken, or -1 when the
 * mailbox could not be read. */
int imap_poll(void);
/* Starts the thread reading the mailbox when one is configured; 0 or -1. */
int imap_start(void);
/* Stops it after its current reading. */
void imap_stop(void);

#endif
