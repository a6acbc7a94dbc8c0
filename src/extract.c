/* extract.c — the text inside documents, in the child process that
 * maillage extract-text runs (see extract.h for its answer). */
#include "extract.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <expat.h>
#include <fcntl.h>
#include <poppler.h>
#include <seccomp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "text.h"

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif

/* The text being gathered, never past EXTRACT_MAX_TEXT (then full). */
struct sink {
	struct buf text;
	bool full;
};

/* Appends p[0..n) to the sink, up to its limit. */
static void sink_put(struct sink *s, const char *p, size_t n)
{
	if (s->full)
		return;
	if (s->text.len + n > EXTRACT_MAX_TEXT) {
		n = EXTRACT_MAX_TEXT - s->text.len;
		while (n && ((unsigned char)p[n] & 0xC0) == 0x80)
			n--; /* never half a character */
		s->full = true;
	}
	buf_append(&s->text, p, n);
}

/* Writes the verdict line and the text into out. */
static void verdict(struct buf *out, const char *word, const char *why, const struct sink *s)
{
	buf_printf(out, "%s%s%s\n", word, why && *why ? " " : "", why ? why : "");
	if (s && strcmp(word, "done") == 0)
		buf_append(out, s->text.data ? s->text.data : "", s->text.len);
}

/* ---- OpenDocument and Office Open XML: XML parts of a zip ---- */

enum dialect { ODF, DOCX, XLSX, PPTX };

/* What expat's handlers share while reading one XML part. */
struct xml_reader {
	struct sink *s;
	enum dialect d;
	int in_text; /* inside an element whose characters are text */
};

/* Tells whether element name is called want (its prefix included). */
static bool named(const char *name, const char *want)
{
	return strcmp(name, want) == 0;
}

/* expat: an element opens. */
static void XMLCALL on_start(void *data, const char *name, const char **atts)
{
	(void)atts;
	struct xml_reader *r = data;
	switch (r->d) {
	case ODF:
		if (named(name, "text:p") || named(name, "text:h"))
			r->in_text++;
		else if (named(name, "text:tab"))
			sink_put(r->s, "\t", 1);
		else if (named(name, "text:s"))
			sink_put(r->s, " ", 1);
		else if (named(name, "text:line-break"))
			sink_put(r->s, "\n", 1);
		break;
	case DOCX:
		if (named(name, "w:t"))
			r->in_text++;
		else if (named(name, "w:tab"))
			sink_put(r->s, "\t", 1);
		else if (named(name, "w:br") || named(name, "w:cr"))
			sink_put(r->s, "\n", 1);
		break;
	case XLSX:
		r->in_text += named(name, "t");
		break;
	case PPTX:
		r->in_text += named(name, "a:t");
		break;
	}
}

/* expat: an element closes. */
static void XMLCALL on_end(void *data, const char *name)
{
	struct xml_reader *r = data;
	bool text = (r->d == ODF && (named(name, "text:p") || named(name, "text:h"))) ||
		    (r->d == DOCX && named(name, "w:t")) || (r->d == XLSX && named(name, "t")) ||
		    (r->d == PPTX && named(name, "a:t"));
	if (text && r->in_text > 0)
		r->in_text--;
	if ((r->d == ODF && (named(name, "text:p") || named(name, "text:h"))) ||
	    (r->d == DOCX && named(name, "w:p")) || (r->d == XLSX && named(name, "si")) ||
	    (r->d == PPTX && named(name, "a:p")))
		sink_put(r->s, "\n", 1);
}

/* expat: characters. */
static void XMLCALL on_chars(void *data, const char *s, int n)
{
	struct xml_reader *r = data;
	if (r->in_text > 0)
		sink_put(r->s, s, (size_t)n);
}

/* Returns the dialect of extension ext, or -1. */
static int dialect_of(const char *ext)
{
	if (!strcmp(ext, "odt") || !strcmp(ext, "ods") || !strcmp(ext, "odp"))
		return ODF;
	return !strcmp(ext, "docx") ? DOCX : !strcmp(ext, "xlsx") ? XLSX
		: !strcmp(ext, "pptx") ? PPTX : -1;
}

/* Returns the order of zip entry name among the parts of dialect d that
 * hold text (a slide's number, 0 for the one part of the others), or -1
 * when it holds none. */
static long part_order(enum dialect d, const char *name)
{
	if (d == ODF)
		return strcmp(name, "content.xml") == 0 ? 0 : -1;
	if (d == DOCX)
		return strcmp(name, "word/document.xml") == 0 ? 0 : -1;
	if (d == XLSX)
		return strcmp(name, "xl/sharedStrings.xml") == 0 ? 0 : -1;
	long n;
	char tail[8];
	if (sscanf(name, "ppt/slides/slide%ld%7s", &n, tail) == 2 && strcmp(tail, ".xml") == 0 &&
	    n > 0 && n <= 10000)
		return n;
	return -1;
}

/* One part read: its place among the others and its text. */
struct part {
	long order;
	struct sink s;
};

/* Orders parts by their place. */
static int part_cmp(const void *a, const void *b)
{
	long x = ((const struct part *)a)->order, y = ((const struct part *)b)->order;
	return x < y ? -1 : x > y;
}

/* Parses the current entry of a as XML into p's sink, counting the bytes
 * it unzips in *unzipped; 0, -1 when it is no XML, -2 past the cap. */
static int read_part(struct archive *a, enum dialect d, struct part *p, size_t *unzipped)
{
	XML_Parser x = XML_ParserCreate("UTF-8");
	struct xml_reader r = {.s = &p->s, .d = d};
	XML_SetUserData(x, &r);
	XML_SetElementHandler(x, on_start, on_end);
	XML_SetCharacterDataHandler(x, on_chars);
	char chunk[65536];
	la_ssize_t n;
	int rc = 0;
	while (rc == 0 && (n = archive_read_data(a, chunk, sizeof(chunk))) > 0) {
		*unzipped += (size_t)n;
		if (*unzipped > EXTRACT_MAX_UNZIPPED)
			rc = -2;
		else if (XML_Parse(x, chunk, (int)n, 0) != XML_STATUS_OK)
			rc = -1;
	}
	if (rc == 0 && (n < 0 || XML_Parse(x, "", 0, 1) != XML_STATUS_OK))
		rc = -1;
	XML_ParserFree(x);
	return rc;
}

/* Reads the text parts of an opened zip a of dialect d into out. */
static void read_office(struct archive *a, enum dialect d, struct buf *out)
{
	struct archive_entry *e;
	struct part *parts = NULL;
	size_t nparts = 0, unzipped = 0;
	int rc = 0, hr;
	while (rc == 0 && (hr = archive_read_next_header(a, &e)) == ARCHIVE_OK) {
		const char *name = archive_entry_pathname(e);
		long order = name ? part_order(d, name) : -1;
		if (order < 0 || nparts == 1000)
			continue;
		parts = realloc(parts, (nparts + 1) * sizeof(*parts));
		if (!parts)
			abort();
		parts[nparts] = (struct part){.order = order};
		rc = read_part(a, d, &parts[nparts++], &unzipped);
	}
	if (rc == 0 && hr != ARCHIVE_EOF && hr != ARCHIVE_OK)
		rc = -1;
	struct sink all = {0};
	if (rc == 0 && nparts) {
		qsort(parts, nparts, sizeof(*parts), part_cmp);
		for (size_t i = 0; i < nparts; i++) {
			if (i && d == PPTX)
				sink_put(&all, "\f", 1); /* one slide a page */
			sink_put(&all, parts[i].s.text.data ? parts[i].s.text.data : "", parts[i].s.text.len);
		}
	}
	if (rc == -2)
		verdict(out, "failed", "archive trop grande une fois décompressée (plus de 64 Mo)", NULL);
	else if (rc < 0)
		verdict(out, "failed", "fichier abîmé : son contenu ne se lit pas", NULL);
	else if (!nparts)
		verdict(out, "failed", "la partie qui porte le texte manque : fichier abîmé ?", NULL);
	else
		verdict(out, "done", all.full ? "texte coupé à 4 Mo" : NULL, &all);
	buf_free(&all.text);
	for (size_t i = 0; i < nparts; i++)
		buf_free(&parts[i].s.text);
	free(parts);
}

/* Opens a zip reader (libarchive), or NULL. */
static struct archive *zip_reader(void)
{
	struct archive *a = archive_read_new();
	if (a)
		archive_read_support_format_zip(a);
	return a;
}

/* Reads an office document held in memory. */
void extract_office_memory(const char *ext, const void *data, size_t n, struct buf *out)
{
	int d = dialect_of(ext);
	struct archive *a = d >= 0 ? zip_reader() : NULL;
	if (!a || archive_read_open_memory(a, data, n) != ARCHIVE_OK)
		verdict(out, "failed", "fichier abîmé : ce n'est pas une archive zip lisible", NULL);
	else
		read_office(a, (enum dialect)d, out);
	if (a)
		archive_read_free(a);
}

/* Reads an office document from a file. */
static void office_file(int d, const char *path, struct buf *out)
{
	struct archive *a = zip_reader();
	if (!a || archive_read_open_filename(a, path, 65536) != ARCHIVE_OK)
		verdict(out, "failed", "fichier abîmé : ce n'est pas une archive zip lisible", NULL);
	else
		read_office(a, (enum dialect)d, out);
	if (a)
		archive_read_free(a);
}

/* ---- PDF ---- */

/* Reads a PDF's pages with poppler-glib, a form feed after each. */
static void pdf_file(const char *path, struct buf *out)
{
	GError *err = NULL;
	char *full = realpath(path, NULL); /* a URI names a whole path */
	char *uri = full ? g_filename_to_uri(full, NULL, &err) : NULL;
	free(full);
	PopplerDocument *doc = uri ? poppler_document_new_from_file(uri, NULL, &err) : NULL;
	g_free(uri);
	if (!doc) {
		bool locked = err && err->domain == POPPLER_ERROR && err->code == POPPLER_ERROR_ENCRYPTED;
		verdict(out, "failed", locked ? "PDF protégé par un mot de passe"
					      : "PDF abîmé ou incomplet", NULL);
		if (err)
			g_error_free(err);
		return;
	}
	int pages = poppler_document_get_n_pages(doc);
	struct sink s = {0};
	bool letters = false;
	for (int i = 0; i < pages && i < EXTRACT_MAX_PAGES && !s.full; i++) {
		PopplerPage *page = poppler_document_get_page(doc, i);
		char *t = page ? poppler_page_get_text(page) : NULL;
		if (t) {
			for (const char *p = t; *p && !letters; p++)
				letters = (unsigned char)*p > ' ';
			sink_put(&s, t, strlen(t));
		}
		sink_put(&s, "\f", 1);
		g_free(t);
		if (page)
			g_object_unref(page);
	}
	g_object_unref(doc);
	char note[120] = "";
	if (pages > EXTRACT_MAX_PAGES)
		snprintf(note, sizeof(note), "texte des %d premières pages sur %d", EXTRACT_MAX_PAGES,
			 pages);
	else if (s.full)
		snprintf(note, sizeof(note), "texte coupé à 4 Mo");
	if (!letters)
		verdict(out, "none", "PDF sans texte : un document numérisé ?", NULL);
	else
		verdict(out, "done", note, &s);
	buf_free(&s.text);
}

/* ---- plain texts ---- */

/* Reads a text file: UTF-8 as it is, anything else as Latin-1. */
static void plain_file(const char *path, struct buf *out)
{
	struct buf raw = {0};
	if (buf_read_file(&raw, path) < 0) {
		verdict(out, "failed", "fichier illisible", NULL);
		return;
	}
	struct sink s = {0};
	if (text_utf8_valid(raw.data ? raw.data : "", raw.len)) {
		sink_put(&s, raw.data ? raw.data : "", raw.len);
	} else {
		struct buf utf8 = {0};
		for (size_t i = 0; i < raw.len; i++)
			text_utf8_put(&utf8, (unsigned char)raw.data[i]);
		sink_put(&s, utf8.data, utf8.len);
		buf_free(&utf8);
	}
	verdict(out, "done", s.full ? "texte coupé à 4 Mo" : NULL, &s);
	buf_free(&s.text);
	buf_free(&raw);
}

/* ---- the child ---- */

/* Limits the child: CPU time, memory (but under the sanitizers, which
 * reserve more than any limit), no file written, no network. */
static void sandbox(void)
{
	struct rlimit cpu = {EXTRACT_CPU_S, EXTRACT_CPU_S + 2}, none = {0, 0};
	setrlimit(RLIMIT_CPU, &cpu);
	setrlimit(RLIMIT_FSIZE, &none);
#ifndef UNDER_ASAN
	struct rlimit mem = {EXTRACT_MEMORY, EXTRACT_MEMORY};
	setrlimit(RLIMIT_AS, &mem);
#endif
	scmp_filter_ctx f = seccomp_init(SCMP_ACT_ALLOW);
	if (f) {
		seccomp_rule_add(f, SCMP_ACT_ERRNO(EACCES), SCMP_SYS(socket), 0);
		seccomp_rule_add(f, SCMP_ACT_ERRNO(EACCES), SCMP_SYS(connect), 0);
		seccomp_load(f);
		seccomp_release(f);
	}
}

/* Writes out to standard output; 0 or 1. */
static int emit(const struct buf *out)
{
	return fwrite(out->data ? out->data : "", 1, out->len, stdout) == out->len &&
	       fflush(stdout) == 0 ? 0 : 1;
}

/* The child's work; see extract.h. */
int extract_child(const char *ext, const char *path)
{
	sandbox();
	struct buf out = {0};
	int d = dialect_of(ext);
	if (d >= 0) {
		office_file(d, path, &out);
	} else if (!strcmp(ext, "pdf")) {
		pdf_file(path, &out);
	} else if (!strcmp(ext, "txt") || !strcmp(ext, "csv") || !strcmp(ext, "md")) {
		plain_file(path, &out);
	} else if (!strcmp(ext, "rtf")) { /* pandoc reads RTF; its text follows the verdict */
		const char *pandoc = getenv("MAILLAGE_PANDOC");
		pandoc = pandoc && *pandoc ? pandoc : "pandoc";
		fputs("done\n", stdout);
		fflush(stdout);
		execlp(pandoc, pandoc, "--from=rtf", "--to=plain", "--wrap=none", path, (char *)NULL);
		return 5; /* no pandoc */
	} else {
		verdict(&out, "none", "ce type de fichier n'a pas de texte à lire", NULL);
	}
	int rc = emit(&out);
	buf_free(&out);
	return rc;
}
