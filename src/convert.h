/* convert.h — foreign formats through pandoc (MAILLAGE_PANDOC names
 * another binary; the tests use it to make pandoc absent). */
#ifndef MAILLAGE_CONVERT_H
#define MAILLAGE_CONVERT_H

#include <stddef.h>

#include "buf.h"

#define CONVERT_MAX_INPUT (4u << 20)  /* bytes given to pandoc */
#define CONVERT_MAX_OUTPUT (4u << 20) /* bytes taken from it */
#define CONVERT_TIMEOUT_S 15          /* then it is stopped */

/* Appends to md the Markdown of pasted HTML html[0..n) (from Word,
 * LibreOffice or a web page): headings, emphasis, lists (Word's numbered
 * paragraphs too), tables and web links kept; scripts, raw HTML, images and
 * other links' targets left out. 0; 1 when pandoc is not installed; -1
 * when the conversion failed (too big, too long, refused). */
int convert_html_to_markdown(const char *html, size_t n, struct buf *md);

#define CONVERT_LATE (-2)     /* convert_spawn: the time was up */
#define CONVERT_TOO_LONG (-3) /* convert_spawn: the output went past its limit */

/* Runs argv (argv[0] looked up on the PATH) without a shell, its standard
 * error to /dev/null, its standard output into out up to max bytes, for at
 * most timeout seconds (then it is killed); 0 when it ended by itself, its
 * exit status in *status (128 + the signal when one ended it); 1 when it
 * cannot be started; CONVERT_LATE, CONVERT_TOO_LONG, or -1. */
int convert_spawn(char *const argv[], struct buf *out, int timeout, size_t max, int *status);
/* Appends to md the Markdown of the Word or LibreOffice document at path
 * (format "docx" or "odt"): headings, lists, emphasis, tables, web links;
 * images left out, and said at the end. 0; 1 when pandoc is not
 * installed; -1 when the conversion failed. */
int convert_document_to_markdown(const char *path, const char *format, struct buf *md);
/* Appends to out the document (format "odt", "docx", or "html": one page
 * with its pictures inside, titled by the first heading) pandoc writes
 * from Markdown md[0..n). 0; 1 when pandoc is not installed; -1 when it
 * failed. */
int convert_markdown_to(const char *md, size_t n, const char *format, struct buf *out);
/* Appends to png the picture rsvg-convert (librsvg; MAILLAGE_RSVG names
 * another binary) draws of svg[0..n), twice its size, on white. 0; 1 when
 * rsvg-convert is not installed; -1 when it failed. */
int convert_svg_to_png(const char *svg, size_t n, struct buf *png);

#endif
