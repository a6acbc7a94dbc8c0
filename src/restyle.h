/* restyle.h — the centre's styles in the documents pandoc writes: a copy
 * of a word processor's document (ODT or DOCX, a zip of XML parts) with
 * some attributes of some of its parts changed: read with libarchive,
 * each part re-read with expat and written again, nothing hand-parsed. */
#ifndef MAILLAGE_RESTYLE_H
#define MAILLAGE_RESTYLE_H

#include <stddef.h>

#include "buf.h"

/* One change: in part (the zip entry's name), the attribute attr of each
 * element named element is set to value (added when missing), when it
 * sits inside an element named within whose attribute within_attr is
 * within_value (within_attr NULL: any such element). */
struct restyle_rule {
	const char *part, *element, *within, *within_attr, *within_value, *attr, *value;
};

/* The centre's styles: headings in its dark blue and a sans-serif font,
 * for a DOCX (its theme) and an ODT (its heading styles); each list ends
 * with a rule whose part is NULL. */
extern const struct restyle_rule restyle_docx[];
extern const struct restyle_rule restyle_odt[];

/* Appends to out the zip zip[0..n) with the rules applied, its entries in
 * their order and stored (an ODT's "mimetype" stays first, uncompressed);
 * 0, or -1 when it is not a zip of well-formed parts. */
int restyle_zip(const char *zip, size_t n, const struct restyle_rule *rules, struct buf *out);

#endif
