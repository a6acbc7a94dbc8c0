/* feed.h — Atom feeds (RFC 4287). */
#ifndef MAILLAGE_FEED_H
#define MAILLAGE_FEED_H

#include "buf.h"

/* Starts a feed: its title, its own absolute URL (also its id), the page
 * it stands for, and when it last changed (ISO 8601 UTC). */
void feed_begin(struct buf *out, const char *title, const char *self, const char *alternate,
		const char *updated);
/* Appends one entry: its absolute URL (also its id), title, last change
 * (ISO 8601 UTC) and summary as HTML (escaped into the feed). */
void feed_entry(struct buf *out, const char *url, const char *title, const char *updated,
		const char *summary_html);
/* Ends the feed. */
void feed_end(struct buf *out);

#endif
