/* restyle.c — a word processor's document with some attributes changed:
 * its zip read and written by libarchive, its XML parts read by expat and
 * written again element by element. */
#include "restyle.h"

#include <archive.h>
#include <archive_entry.h>
#include <expat.h>
#include <stdbool.h>
#include <string.h>

#define RESTYLE_MAX_PART (8u << 20) /* bytes of one part read */
#define RESTYLE_DEPTH 64	    /* nesting followed; deeper, no rule applies */
#define RESTYLE_RULES 32	    /* rules of one list */

/* The centre's dark blue (the site's --brand) and a font every word
 * processor has or replaces with its metric twin. */
#define CENTRE_BLUE "1D5C63"
#define CENTRE_FONT "Arial"

const struct restyle_rule restyle_docx[] = {
	{"word/theme/theme1.xml", "a:srgbClr", "a:accent1", NULL, NULL, "val", CENTRE_BLUE},
	{"word/theme/theme1.xml", "a:latin", "a:majorFont", NULL, NULL, "typeface", CENTRE_FONT},
	{"word/theme/theme1.xml", "a:latin", "a:minorFont", NULL, NULL, "typeface", CENTRE_FONT},
	{"word/styles.xml", "w:lang", "w:rPrDefault", NULL, NULL, "w:val", "fr-BE"},
	{NULL, NULL, NULL, NULL, NULL, NULL, NULL},
};

const struct restyle_rule restyle_odt[] = {
	{"styles.xml", "style:text-properties", "style:style", "style:name", "Heading", "fo:color",
	 "#" CENTRE_BLUE},
	{"styles.xml", "style:text-properties", "style:default-style", "style:family", "paragraph",
	 "style:font-name", CENTRE_FONT},
	{"styles.xml", "style:text-properties", "style:default-style", "style:family", "paragraph",
	 "fo:language", "fr"},
	{"styles.xml", "style:text-properties", "style:default-style", "style:family", "paragraph",
	 "fo:country", "BE"},
	{NULL, NULL, NULL, NULL, NULL, NULL, NULL},
};

/* One part being written again. */
struct pass {
	const struct restyle_rule *rules[RESTYLE_RULES]; /* those of this part */
	size_t nrules;
	unsigned inside[RESTYLE_DEPTH]; /* per open element: the rules whose "within" it is */
	int depth;
	struct buf *out;
};

/* Appends s[0..n) escaped for XML text, or for an attribute value. */
static void escape(struct buf *out, const char *s, size_t n, bool attr)
{
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '&')
			buf_puts(out, "&amp;");
		else if (c == '<')
			buf_puts(out, "&lt;");
		else if (c == '>')
			buf_puts(out, "&gt;");
		else if (attr && c == '"')
			buf_puts(out, "&quot;");
		else if (attr && (c == '\n' || c == '\t' || c == '\r'))
			buf_printf(out, "&#%d;", c);
		else
			buf_putc(out, c);
	}
}

/* Returns the value of attribute name in expat's list, or NULL. */
static const char *attr_of(const XML_Char **attrs, const char *name)
{
	for (size_t i = 0; attrs[i]; i += 2)
		if (strcmp(attrs[i], name) == 0)
			return attrs[i + 1];
	return NULL;
}

/* Returns the rules element opens as their "within" (one bit each). */
static unsigned opened_rules(const struct pass *p, const char *name, const XML_Char **attrs)
{
	unsigned bits = 0;
	for (size_t r = 0; r < p->nrules; r++) {
		const struct restyle_rule *rule = p->rules[r];
		const char *v = rule->within_attr ? attr_of(attrs, rule->within_attr) : NULL;
		if (strcmp(rule->within, name) == 0 &&
		    (!rule->within_attr || (v && strcmp(v, rule->within_value) == 0)))
			bits |= 1u << r;
	}
	return bits;
}

/* Returns the rules that change element name here (one bit each). */
static unsigned rules_here(const struct pass *p, const char *name)
{
	unsigned active = 0, here = 0;
	for (int d = 0; d < p->depth && d < RESTYLE_DEPTH; d++)
		active |= p->inside[d];
	for (size_t r = 0; r < p->nrules; r++)
		if ((active >> r & 1) && strcmp(p->rules[r]->element, name) == 0)
			here |= 1u << r;
	return here;
}

/* Appends one attribute name="value". */
static void put_attr(struct buf *out, const char *name, const char *value)
{
	buf_printf(out, " %s=\"", name);
	escape(out, value, strlen(value), true);
	buf_putc(out, '"');
}

/* Writes a start tag again, with the attributes its rules set (expat's
 * handler). */
static void on_start(void *ctx, const XML_Char *name, const XML_Char **attrs)
{
	struct pass *p = ctx;
	unsigned here = rules_here(p, name), unset = here;
	buf_printf(p->out, "<%s", name);
	for (size_t i = 0; attrs[i]; i += 2) {
		const char *v = attrs[i + 1];
		for (size_t r = 0; r < p->nrules; r++)
			if ((here >> r & 1) && strcmp(attrs[i], p->rules[r]->attr) == 0) {
				v = p->rules[r]->value;
				unset &= ~(1u << r);
			}
		put_attr(p->out, attrs[i], v);
	}
	for (size_t r = 0; r < p->nrules; r++)
		if (unset >> r & 1)
			put_attr(p->out, p->rules[r]->attr, p->rules[r]->value);
	buf_putc(p->out, '>');
	if (p->depth < RESTYLE_DEPTH)
		p->inside[p->depth] = opened_rules(p, name, attrs);
	p->depth++;
}

/* Writes an end tag again (expat's handler). */
static void on_end(void *ctx, const XML_Char *name)
{
	struct pass *p = ctx;
	p->depth--;
	buf_printf(p->out, "</%s>", name);
}

/* Writes text again (expat's handler). */
static void on_text(void *ctx, const XML_Char *s, int n)
{
	struct pass *p = ctx;
	escape(p->out, s, (size_t)n, false);
}

/* Writes part[0..n) again into out with the rules of its name applied;
 * 0, or -1 when it is not well-formed XML. */
static int rewrite_part(const char *name, const char *part, size_t n,
			const struct restyle_rule *rules, struct buf *out)
{
	struct pass p = {.out = out};
	for (const struct restyle_rule *r = rules; r->part && p.nrules < RESTYLE_RULES; r++)
		if (strcmp(r->part, name) == 0)
			p.rules[p.nrules++] = r;
	if (!p.nrules) {
		buf_append(out, part, n);
		return 0;
	}
	XML_Parser x = XML_ParserCreate("UTF-8");
	if (!x)
		return -1;
	XML_SetUserData(x, &p);
	XML_SetElementHandler(x, on_start, on_end);
	XML_SetCharacterDataHandler(x, on_text);
	buf_puts(out, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n");
	int rc = n <= RESTYLE_MAX_PART && XML_Parse(x, part, (int)n, 1) == XML_STATUS_OK ? 0 : -1;
	XML_ParserFree(x);
	return rc;
}

/* Appends bytes to the zip being written (libarchive's write callback). */
static la_ssize_t zip_write(struct archive *a, void *ctx, const void *data, size_t n)
{
	(void)a;
	buf_append(ctx, data, n);
	return (la_ssize_t)n;
}

/* Copies one entry of in to out, its part rewritten; 0 or -1. */
static int copy_entry(struct archive *in, struct archive_entry *e, struct archive *out,
		      const struct restyle_rule *rules)
{
	struct buf part = {0}, again = {0};
	char chunk[65536];
	la_ssize_t got;
	while ((got = archive_read_data(in, chunk, sizeof(chunk))) > 0 &&
	       part.len <= RESTYLE_MAX_PART)
		buf_append(&part, chunk, (size_t)got);
	const char *name = archive_entry_pathname(e);
	bool dir = archive_entry_filetype(e) == AE_IFDIR;
	int rc = got < 0 || !name ? -1 : dir ? 0
		 : rewrite_part(name, buf_str(&part), part.len, rules, &again);
	struct archive_entry *copy = rc == 0 ? archive_entry_new() : NULL;
	if (copy) {
		archive_entry_set_pathname(copy, name);
		archive_entry_set_filetype(copy, dir ? AE_IFDIR : AE_IFREG);
		archive_entry_set_perm(copy, dir ? 0755 : 0644);
		archive_entry_set_size(copy, (la_int64_t)again.len);
		archive_entry_set_mtime(copy, archive_entry_mtime(e), 0);
		rc = archive_write_header(out, copy) == ARCHIVE_OK &&
			     archive_write_data(out, again.data ? again.data : "", again.len) ==
				     (la_ssize_t)again.len ? 0 : -1;
		archive_entry_free(copy);
	}
	buf_free(&part);
	buf_free(&again);
	return copy ? rc : -1;
}

/* Applies the rules to a zip of parts (see restyle.h). */
int restyle_zip(const char *zip, size_t n, const struct restyle_rule *rules, struct buf *out)
{
	struct archive *in = archive_read_new(), *w = archive_write_new();
	int rc = in && w ? 0 : -1;
	if (rc == 0) {
		archive_read_support_format_zip(in);
		archive_write_set_format_zip(w);
		/* every part stored, in the order read: an ODT's mimetype stays first and
		 * uncompressed, as readers look for it; no padding after the zip's end */
		archive_write_set_format_option(w, "zip", "compression", "store");
		archive_write_set_bytes_in_last_block(w, 1);
		rc = archive_read_open_memory(in, zip, n) == ARCHIVE_OK &&
			     archive_write_open(w, out, NULL, zip_write, NULL) == ARCHIVE_OK ? 0 : -1;
	}
	struct archive_entry *e;
	int hr = ARCHIVE_OK;
	while (rc == 0 && (hr = archive_read_next_header(in, &e)) == ARCHIVE_OK)
		rc = copy_entry(in, e, w, rules);
	if (rc == 0 && hr != ARCHIVE_EOF)
		rc = -1;
	if (w && archive_write_close(w) != ARCHIVE_OK)
		rc = -1;
	archive_write_free(w);
	archive_read_free(in);
	return rc;
}
