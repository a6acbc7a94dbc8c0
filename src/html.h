/* html.h — HTML escaping and the few fragments built in C. */
#ifndef MAILLAGE_HTML_H
#define MAILLAGE_HTML_H

#include <stddef.h>

#include "buf.h"

/* Appends s[0..n) to out with & < > " ' escaped. */
void html_escape(struct buf *out, const char *s, size_t n);
/* Appends s[0..n) with & < > " escaped: for text and double-quoted
 * attributes, as the Markdown renderer writes them. */
void html_escape_text(struct buf *out, const char *s, size_t n);
/* Appends the C string s to out, escaped (NULL appends nothing). */
void html_escape_str(struct buf *out, const char *s);
/* Appends s percent-encoded for a URL query component (unreserved kept). */
void html_url_encode(struct buf *out, const char *s, size_t n);

#endif
