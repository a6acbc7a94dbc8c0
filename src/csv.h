/* csv.h — reading RFC 4180 CSV (quoted fields, CRLF or LF, a UTF-8 BOM). */
#ifndef MAILLAGE_CSV_H
#define MAILLAGE_CSV_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "buf.h"

#define CSV_MAX_FIELDS 64

struct csv {
	const char *p, *end;   /* what is left to read */
	int line;              /* line where the current row starts (1-based) */
	int next_line;         /* line where reading goes on */
	struct arena arena;    /* the current row's fields */
	char *fields[CSV_MAX_FIELDS];
	size_t n;              /* fields in the current row */
};

/* Starts reading data[0..len) (which must outlive the reader). */
void csv_open(struct csv *c, const char *data, size_t len);
/* Reads the next row into c->fields; returns 1, 0 at the end, or -1 with a
 * French message (with the line) in err. Blank lines are skipped. */
int csv_next(struct csv *c, struct buf *err);
/* Frees the reader's memory. */
void csv_close(struct csv *c);

/* Appends s as one CSV field, quoted when it holds a comma, a semicolon,
 * a quote or a line end (a French-locale spreadsheet splits on ';'). With
 * spreadsheet set, every place where a spreadsheet splitting on either
 * separator could start a formula (= + - @, a tab or a carriage return at
 * the field's start, or right after a comma, a semicolon or a line end
 * inside it) gets an apostrophe first, so that it shows as text and never
 * runs. */
void csv_put(struct buf *out, const char *s, bool spreadsheet);

#endif
