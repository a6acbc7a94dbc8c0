/* digest.h — the daily digest of actions and follow-ups, by mail. */
#ifndef MAILLAGE_DIGEST_H
#define MAILLAGE_DIGEST_H

/* Queues today's digest to each person with overdue or soon-due actions
 * or follow-ups, once a day at most, each in its own transaction; returns
 * how many, or -1. */
int digest_send_today(void);

#endif
