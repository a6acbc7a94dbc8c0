/* fuzz_csv.c — libFuzzer target for the CSV reader: every input is read
 * row by row to its end or refused with a message and a line, and what
 * csv_put writes is read back as the same field. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct csv c;
	struct buf err = {0};
	csv_open(&c, (const char *)data, size);
	int rc, rows = 0;
	while ((rc = csv_next(&c, &err)) == 1)
		if (++rows > 1000000 || c.n == 0 || c.n > CSV_MAX_FIELDS)
			abort();
	if (rc < 0 && err.len == 0)
		abort(); /* every refusal says why */
	csv_close(&c);
	/* a field written is read back whole (spreadsheet quoting aside) */
	char *field = malloc(size + 1);
	memcpy(field, data, size);
	field[size] = '\0';
	if (strlen(field) == size && size && !strpbrk(field, "\r") &&
	    memcmp(field, "\xEF\xBB\xBF", size < 3 ? size : 3) != 0) { /* a BOM opens a file only */
		struct buf out = {0};
		csv_put(&out, field, false);
		buf_puts(&out, ",x\n");
		buf_reset(&err);
		csv_open(&c, buf_str(&out), out.len);
		int got = csv_next(&c, &err);
		if ((got == 1 && (c.n != 2 || strcmp(c.fields[0], field) != 0)) ||
		    (got != 1 && err.len == 0))
			abort(); /* read back whole, or refused (bad UTF-8) with a reason */
		csv_close(&c);
		buf_free(&out);
	}
	free(field);
	buf_free(&err);
	return 0;
}
