/* extract.h — the text inside documents, read in a process of its own
 * (maillage extract-text), never in the server: PDF with poppler-glib,
 * OpenDocument and Office Open XML by their XML parts read from the zip
 * with libarchive and parsed with expat, RTF through pandoc, plain texts as
 * they are. The child has limits (CPU time, memory, no file written, no
 * network) and answers on its standard output with one line, its verdict,
 * then the text:
 *   done\n<text>            the text (a PDF's pages, a presentation's
 *                           slides separated by form feeds)
 *   done <note>\n<text>     the text, cut short (the note says where)
 *   none <reason>\n         no text to find (a picture, a scanned PDF)
 *   failed <reason>\n       the file could not be read (encrypted, broken,
 *                           a zip bomb…) */
#ifndef MAILLAGE_EXTRACT_H
#define MAILLAGE_EXTRACT_H

#include <stddef.h>

#include "buf.h"

#define EXTRACT_MAX_TEXT (4u << 20)    /* bytes of text kept */
#define EXTRACT_MAX_UNZIPPED (64u << 20) /* bytes of XML read from a zip */
#define EXTRACT_MAX_PAGES 2000         /* pages of a PDF read */
#define EXTRACT_CPU_S 30               /* seconds of CPU the child may use */
#define EXTRACT_MEMORY (768u << 20)    /* bytes of memory it may take */

/* The child's whole work: limits itself, reads the file at path as a file
 * of extension ext, writes the verdict and the text to standard output;
 * returns the exit status (0 once a verdict is written). */
int extract_child(const char *ext, const char *path);

/* Writes into out the verdict and text of an OpenDocument or Office Open
 * XML document (ext: odt, ods, odp, docx, xlsx, pptx) held in data[0..n)
 * (the fuzz target's way in; extract_child reads files the same way). */
void extract_office_memory(const char *ext, const void *data, size_t n, struct buf *out);

#endif
