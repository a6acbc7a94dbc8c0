/* safety.h — an independent check that rendered HTML cannot run script:
 * used by the unit tests and the fuzz targets. */
#ifndef MAILLAGE_SAFETY_H
#define MAILLAGE_SAFETY_H

#include <stdbool.h>

#include "../src/buf.h"

/* Tells whether html holds no <script, no on…= attribute, and only hrefs
 * and srcs that are http(s), mailto, tel or relative once entities,
 * percent-escapes, controls and case are undone; otherwise says why. */
bool safety_check(const char *html, struct buf *why);

#endif
