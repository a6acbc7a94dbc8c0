/* csv.c — reading RFC 4180 CSV (quoted fields, CRLF or LF, a UTF-8 BOM). */
#include "csv.h"

#include <string.h>

#include "text.h"

/* Starts reading data[0..len). */
void csv_open(struct csv *c, const char *data, size_t len)
{
	memset(c, 0, sizeof(*c));
	c->p = data;
	c->end = data + len;
	c->line = c->next_line = 1;
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
		c->p += 3;
}

/* Reads one field into the arena; returns the character that ended it
 * (',' '\n' or 0 at the end), or -1 on an unterminated quote. */
static int read_field(struct csv *c, struct buf *f, int *lines)
{
	buf_reset(f);
	if (c->p < c->end && *c->p == '"') {
		c->p++;
		for (;;) {
			if (c->p >= c->end)
				return -1;
			char ch = *c->p++;
			if (ch == '"') {
				if (c->p < c->end && *c->p == '"') {
					buf_putc(f, '"');
					c->p++;
					continue;
				}
				break;
			}
			*lines += ch == '\n';
			buf_putc(f, ch);
		}
	}
	while (c->p < c->end && *c->p != ',' && *c->p != '\n' && *c->p != '\r')
		buf_putc(f, *c->p++);
	if (c->p < c->end && *c->p == '\r') {
		c->p++;
		if (c->p < c->end && *c->p != '\n')
			return '\n'; /* a lone CR ends the line */
	}
	if (c->p >= c->end)
		return 0;
	return *c->p++;
}

/* Reads the next row into c->fields; 1, 0 at the end, or -1 with err. */
int csv_next(struct csv *c, struct buf *err)
{
	arena_free(&c->arena);
	c->n = 0;
	while (c->p < c->end && (*c->p == '\n' || *c->p == '\r')) {
		c->next_line += *c->p == '\n';
		c->p++;
	}
	c->line = c->next_line;
	if (c->p >= c->end)
		return 0;
	struct buf f = {0};
	int lines = 0, end;
	do {
		end = read_field(c, &f, &lines);
		if (end < 0) {
			buf_printf(err, "ligne %d : guillemet non refermé", c->line);
			break;
		}
		if (c->n == CSV_MAX_FIELDS) {
			buf_printf(err, "ligne %d : plus de %d colonnes", c->line, CSV_MAX_FIELDS);
			end = -1;
			break;
		}
		if (!text_utf8_valid(buf_str(&f), f.len) || memchr(buf_str(&f), '\0', f.len)) {
			buf_printf(err, "ligne %d : texte qui n'est pas de l'UTF-8 valide", c->line);
			end = -1;
			break;
		}
		c->fields[c->n++] = arena_strndup(&c->arena, buf_str(&f), f.len);
	} while (end == ',');
	buf_free(&f);
	if (end < 0)
		return -1;
	c->next_line += 1 + lines;
	return 1;
}

/* Frees the reader's memory. */
void csv_close(struct csv *c)
{
	arena_free(&c->arena);
}

/* Tells whether c would start a formula in a spreadsheet's cell. */
static bool formula_char(char c)
{
	return c && strchr("=+-@\t\r", c);
}

/* Tells whether c may start a new cell when a spreadsheet splits a line
 * on either separator (or a line on its ends). */
static bool cell_break(char c)
{
	return c == ',' || c == ';' || c == '\n' || c == '\r';
}

/* Tells whether a spreadsheet could find a formula in s: at its start, or
 * after a comma, a semicolon or a line end inside it. */
static bool has_formula(const char *s)
{
	for (const char *p = s; *p; p++)
		if (formula_char(*p) && (p == s || cell_break(p[-1])))
			return true;
	return false;
}

/* Appends s as one CSV field (see csv.h). */
void csv_put(struct buf *out, const char *s, bool spreadsheet)
{
	bool formula = spreadsheet && has_formula(s);
	if (!formula && !strpbrk(s, ",;\"\n\r")) {
		buf_puts(out, s);
		return;
	}
	buf_putc(out, '"');
	for (const char *p = s; *p; p++) {
		if (spreadsheet && formula_char(*p) && (p == s || cell_break(p[-1])))
			buf_putc(out, '\'');
		if (*p == '"')
			buf_putc(out, '"');
		buf_putc(out, *p);
	}
	buf_putc(out, '"');
}
