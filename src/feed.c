/* feed.c — Atom feeds. */
#include "feed.h"

#include "html.h"

/* Appends s escaped, without the control characters XML 1.0 forbids. */
static void xml_text(struct buf *out, const char *s)
{
	const char *run = s;
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c < 32 && c != '\t' && c != '\n' && c != '\r') {
			html_escape(out, run, (size_t)(s - run));
			run = s + 1;
		}
	}
	if (run)
		html_escape(out, run, (size_t)(s - run));
}

/* Appends <name>escaped text</name>. */
static void element(struct buf *out, const char *name, const char *text)
{
	buf_printf(out, "<%s>", name);
	xml_text(out, text);
	buf_printf(out, "</%s>\n", name);
}

/* Starts a feed. */
void feed_begin(struct buf *out, const char *title, const char *self, const char *alternate,
		const char *updated)
{
	buf_puts(out, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
		      "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"fr\">\n");
	element(out, "title", title);
	element(out, "id", self);
	buf_puts(out, "<link rel=\"self\" type=\"application/atom+xml\" href=\"");
	xml_text(out, self);
	buf_puts(out, "\"/>\n<link rel=\"alternate\" type=\"text/html\" href=\"");
	xml_text(out, alternate);
	buf_puts(out, "\"/>\n");
	element(out, "updated", updated);
	buf_puts(out, "<author><name>");
	xml_text(out, title);
	buf_puts(out, "</name></author>\n");
}

/* Appends one entry. */
void feed_entry(struct buf *out, const char *url, const char *title, const char *updated,
		const char *summary_html)
{
	buf_puts(out, "<entry>\n");
	element(out, "title", title);
	element(out, "id", url);
	buf_puts(out, "<link rel=\"alternate\" type=\"text/html\" href=\"");
	xml_text(out, url);
	buf_puts(out, "\"/>\n");
	element(out, "updated", updated);
	buf_puts(out, "<summary type=\"html\">");
	xml_text(out, summary_html ? summary_html : "");
	buf_puts(out, "</summary>\n</entry>\n");
}

/* Ends the feed. */
void feed_end(struct buf *out)
{
	buf_puts(out, "</feed>\n");
}
