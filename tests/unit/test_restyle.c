/* test_restyle.c — the centre's styles put into a word processor's
 * document: the attributes the rules name change where the rules say and
 * nowhere else, every other byte of every part is kept (text, escapes,
 * binary parts, the order of the entries), and what is not a zip of
 * well-formed parts is refused. */
#include <archive.h>
#include <archive_entry.h>
#include <string.h>

#include "../../src/buf.h"
#include "../../src/restyle.h"
#include "../test.h"
#include "unit.h"

/* Appends bytes to a buf (libarchive's write callback). */
static la_ssize_t to_buf(struct archive *a, void *ctx, const void *data, size_t n)
{
	(void)a;
	buf_append(ctx, data, n);
	return (la_ssize_t)n;
}

/* Writes a zip of the NULL-ended name, bytes, size triples into out. */
static void make_zip(struct buf *out, const char *const *parts, const size_t *sizes)
{
	struct archive *w = archive_write_new();
	archive_write_set_format_zip(w);
	archive_write_set_bytes_in_last_block(w, 1);
	archive_write_open(w, out, NULL, to_buf, NULL);
	for (size_t i = 0; parts[2 * i]; i++) {
		struct archive_entry *e = archive_entry_new();
		archive_entry_set_pathname(e, parts[2 * i]);
		archive_entry_set_filetype(e, AE_IFREG);
		archive_entry_set_perm(e, 0644);
		archive_entry_set_size(e, (la_int64_t)sizes[i]);
		archive_write_header(w, e);
		archive_write_data(w, parts[2 * i + 1], sizes[i]);
		archive_entry_free(e);
	}
	archive_write_close(w);
	archive_write_free(w);
}

/* Reads entry index of zip into out, its name into name; false when
 * missing. */
static bool read_entry(const struct buf *zip, int index, char *name, size_t size,
		       struct buf *out)
{
	struct archive *a = archive_read_new();
	archive_read_support_format_zip(a);
	struct archive_entry *e;
	bool found = false;
	if (archive_read_open_memory(a, zip->data, zip->len) == ARCHIVE_OK)
		for (int i = 0; !found && archive_read_next_header(a, &e) == ARCHIVE_OK; i++) {
			if (i != index)
				continue;
			snprintf(name, size, "%s", archive_entry_pathname(e));
			char chunk[4096];
			la_ssize_t n;
			while ((n = archive_read_data(a, chunk, sizeof(chunk))) > 0)
				buf_append(out, chunk, (size_t)n);
			found = n == 0;
		}
	archive_read_free(a);
	return found;
}

static const struct restyle_rule rules[] = {
	{"styles.xml", "t:p", "t:s", "t:name", "H", "t:c", "bleu & \"vif\""},
	{"styles.xml", "t:p", "t:s", "t:name", "H", "t:l", "fr"},
	{NULL, NULL, NULL, NULL, NULL, NULL, NULL},
};

/* The rules change the attributes of the elements inside the named
 * ancestor only, add a missing one, keep text and escapes; the other
 * parts and the order of the entries are kept byte for byte. */
static void restyle_rules(void)
{
	static const char styles[] =
		"<?xml version=\"1.0\"?><t:doc xmlns:t=\"urn:t\"><t:s t:name=\"H\"><t:p t:c=\"red\" "
		"t:x=\"a&amp;b\"/>1 &lt; 2 &amp; 3</t:s><t:s t:name=\"B\"><t:p t:c=\"red\"/></t:s>"
		"</t:doc>";
	static const char binary[] = {'P', 'N', 'G', 0, 1, 2, (char)0xFF, 0};
	const char *const parts[] = {"mimetype", "application/x-test", "styles.xml", styles,
				     "Pictures/a.png", binary, NULL, NULL};
	const size_t sizes[] = {18, sizeof(styles) - 1, sizeof(binary)};
	struct buf zip = {0}, out = {0}, part = {0};
	make_zip(&zip, parts, sizes);
	CHECK_INT(restyle_zip(zip.data, zip.len, rules, &out), 0);
	char name[64];
	CHECK(read_entry(&out, 0, name, sizeof(name), &part) && strcmp(name, "mimetype") == 0 &&
	      strcmp(buf_str(&part), "application/x-test") == 0);
	buf_reset(&part);
	CHECK(read_entry(&out, 1, name, sizeof(name), &part) && strcmp(name, "styles.xml") == 0);
	const char *s = buf_str(&part);
	CHECK(strstr(s, "<t:s t:name=\"H\"><t:p t:c=\"bleu &amp; &quot;vif&quot;\" t:x=\"a&amp;b\" "
		      "t:l=\"fr\"></t:p>1 &lt; 2 &amp; 3</t:s>") != NULL);
	CHECK(strstr(s, "<t:s t:name=\"B\"><t:p t:c=\"red\"></t:p></t:s>") != NULL);
	buf_reset(&part);
	CHECK(read_entry(&out, 2, name, sizeof(name), &part) && part.len == sizeof(binary) &&
	      memcmp(part.data, binary, sizeof(binary)) == 0);
	buf_free(&part);
	buf_free(&out);
	buf_free(&zip);
}

/* Not a zip, an empty input, a part of broken XML: refused. */
static void restyle_refusals(void)
{
	struct buf out = {0}, zip = {0};
	CHECK_INT(restyle_zip("pas un zip", 10, rules, &out), -1);
	buf_reset(&out);
	CHECK_INT(restyle_zip("", 0, rules, &out), -1);
	static const char broken[] = "<t:s t:name=\"H\"><t:p></t:s>";
	const char *const parts[] = {"styles.xml", broken, NULL, NULL};
	const size_t sizes[] = {sizeof(broken) - 1};
	make_zip(&zip, parts, sizes);
	buf_reset(&out);
	CHECK_INT(restyle_zip(zip.data, zip.len, rules, &out), -1);
	buf_free(&zip);
	buf_free(&out);
}

/* pandoc's own reference documents take the centre's styles: its blue in
 * the DOCX theme and on the ODT headings, French as the language. */
static void restyle_pandoc(void)
{
	const char *const formats[] = {"docx", "odt"};
	for (int i = 0; i < 2; i++) {
		char cmd[96];
		struct buf def = {0}, out = {0}, part = {0};
		snprintf(cmd, sizeof(cmd), "pandoc --print-default-data-file reference.%s", formats[i]);
		CHECKF(test_read_command(cmd, &def) == 0, "%s", formats[i]);
		CHECK_INT(restyle_zip(def.data, def.len, i ? restyle_odt : restyle_docx, &out), 0);
		char name[128];
		bool theme = false, styles = false;
		for (int k = 0; read_entry(&out, k, name, sizeof(name), &part); k++) {
			const char *s = buf_str(&part);
			if (strcmp(name, "word/theme/theme1.xml") == 0)
				theme = strstr(s, "<a:accent1><a:srgbClr val=\"1D5C63\">") != NULL;
			if (strcmp(name, "word/styles.xml") == 0)
				styles = strstr(s, "w:val=\"fr-BE\"") != NULL;
			if (strcmp(name, "styles.xml") == 0)
				theme = styles = strstr(s, "fo:color=\"#1D5C63\"") &&
						 strstr(s, "fo:language=\"fr\"");
			buf_reset(&part);
		}
		CHECKF(theme && styles, "%s", formats[i]);
		buf_free(&part);
		buf_free(&out);
		buf_free(&def);
	}
}

/* Runs the restyle tests. */
void unit_restyle(void)
{
	RUN(restyle_rules);
	RUN(restyle_refusals);
	RUN(restyle_pandoc);
}
