/* fuzz_extract.c — libFuzzer target for the text extractor of
 * OpenDocument and Office Open XML files. The first byte chooses the
 * format (and, with its high bit, whether the rest is read as the zip
 * itself); otherwise the rest is the XML part that holds the text, put
 * into a zip here (libarchive's writer), so that the fuzzer reaches the
 * XML reading without having to invent a zip. Every input ends in a
 * verdict (done, none or failed), and the text never passes its limit. */
#include <archive.h>
#include <archive_entry.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/extract.h"

/* The formats, and the zip entry that holds each one's text. */
static const char *const formats[][2] = {
	{"odt", "content.xml"}, {"docx", "word/document.xml"}, {"xlsx", "xl/sharedStrings.xml"},
	{"pptx", "ppt/slides/slide1.xml"}, {"ods", "content.xml"}, {"odp", "content.xml"},
};

/* Writes a zip holding data[0..n) as entry name into out; 0 or -1. */
static int zip_of(const char *name, const uint8_t *data, size_t n, struct buf *out)
{
	size_t cap = n + 4096, used = 0;
	char *mem = malloc(cap);
	struct archive *a = archive_write_new();
	archive_write_set_format_zip(a);
	int rc = archive_write_open_memory(a, mem, cap, &used) == ARCHIVE_OK ? 0 : -1;
	struct archive_entry *e = archive_entry_new();
	archive_entry_set_pathname(e, name);
	archive_entry_set_size(e, (la_int64_t)n);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0644);
	if (rc == 0 && (archive_write_header(a, e) != ARCHIVE_OK ||
			archive_write_data(a, data, n) != (la_ssize_t)n))
		rc = -1;
	archive_entry_free(e);
	if (archive_write_close(a) != ARCHIVE_OK)
		rc = -1;
	archive_write_free(a);
	if (rc == 0)
		buf_append(out, mem, used);
	free(mem);
	return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	const char *const *f = formats[(data[0] & 0x7f) % (sizeof(formats) / sizeof(formats[0]))];
	struct buf zip = {0}, out = {0};
	if (data[0] & 0x80)
		buf_append(&zip, (const char *)data + 1, size - 1);
	else if (zip_of(f[1], data + 1, size - 1, &zip) < 0)
		abort(); /* the writer must take any bytes */
	extract_office_memory(f[0], zip.data ? zip.data : "", zip.len, &out);
	const char *s = buf_str(&out);
	if (strncmp(s, "done", 4) != 0 && strncmp(s, "none", 4) != 0 && strncmp(s, "failed", 6) != 0)
		abort(); /* always a verdict */
	if (!strchr(s, '\n') || out.len > EXTRACT_MAX_TEXT + 200)
		abort();
	buf_free(&zip);
	buf_free(&out);
	return 0;
}
