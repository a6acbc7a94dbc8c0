/* markdown.c — the only file that includes md4c.h: renders through md4c's
 * callbacks with link filtering, escaped raw HTML, heading ids, wiki links,
 * glossary abbreviations and action extraction; and the plain text of
 * mails. */
#include "markdown.h"

#include <jansson.h>
#include <md4c.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "entities.h"
#include "html.h"
#include "text.h"

#define MD_MAX_ID 60 /* bytes of a heading id */

/* Appends a string literal, its length known at compile time. */
#define PUT(b, lit) buf_append((b), (lit), sizeof(lit) - 1)

/* What leave_span must close for a span that enter_span opened. */
enum closer { C_NONE, C_A, C_IMG, C_IMG_LINK, C_WIKI, C_MISSING, C_XWIKI };

enum url_kind { URL_UNSAFE, URL_RELATIVE, URL_EXTERNAL, URL_OTHER_SAFE };

/* The heading ids of a document: an open-addressing hash set, each id with
 * the last suffix tried for it, so that uniqueness stays linear. */
struct id_slot {
	char *id;
	uint32_t hash; /* of id, compared before the bytes */
	int last;      /* last "-N" suffix given for this base id */
};

struct id_set {
	struct id_slot *slots;
	size_t n, cap;
};

struct render {
	const struct md_opts *o;
	struct buf *html, *plain;
	struct md_actions *actions;
	struct buf tmp;           /* decoded attributes */
	struct buf probe;         /* URLs as their scheme is checked */
	struct buf href;          /* wiki-link targets */
	enum closer *spans;       /* stack of open spans */
	size_t nspans, capspans;
	int image_depth;          /* > 0: inside an image's alt text */
	int link_depth;           /* > 0: inside a link */
	bool heading;             /* inside a heading: collect its text */
	size_t heading_at;        /* where its id attribute goes in html */
	struct buf heading_text;
	struct id_set ids;        /* heading ids used so far */
	unsigned char *abbr_used; /* one flag per glossary entry */
	size_t abbr_left;         /* entries not used yet */
	uint32_t *gl_slots;       /* hash table of the acronyms */
	uint32_t gl_first;        /* bit c - 'A' set when an acronym starts with c */
	size_t gl_mask;
	bool word_before;         /* the last text ended inside a word */
	int li_depth;
	struct pending *pending;  /* task items being collected, innermost last */
	size_t npending, cappending;
};

/* The source lines that write actions, in order (outside code fences). */
struct task_lines {
	size_t *at;
	size_t n, cap;
};

/* A task-list item whose text is being collected into an action. */
struct pending {
	int depth;       /* li_depth of the item */
	size_t index;    /* its slot in actions, in document order */
	size_t box_at;   /* where its checkbox goes in html, once its state is known */
	bool done;
	struct buf text;
};

/* Appends s[0..n) to the plain text and to what is being collected. */
static void collect(struct render *r, const char *s, size_t n)
{
	if (r->plain)
		buf_append(r->plain, s, n);
	if (r->heading)
		buf_append(&r->heading_text, s, n);
	if (r->npending && r->pending[r->npending - 1].depth == r->li_depth)
		buf_append(&r->pending[r->npending - 1].text, s, n);
}

/* Appends the decoding of entity s[0..n) ("&amp;", "&#233;", "&#xE9;");
 * an unknown name is kept as written. */
static void decode_entity(struct buf *out, const char *s, size_t n)
{
	if (n >= 4 && s[1] == '#') {
		bool hex = s[2] == 'x' || s[2] == 'X';
		unsigned long cp = strtoul(s + 2 + hex, NULL, hex ? 16 : 10);
		text_utf8_put(out, n > 12 ? 0xFFFD : (unsigned)cp);
		return;
	}
	char name[64];
	if (n < 3 || n - 2 >= sizeof(name)) {
		buf_append(out, s, n);
		return;
	}
	memcpy(name, s + 1, n - 2);
	name[n - 2] = '\0';
	size_t lo = 0, hi = sizeof(entities) / sizeof(entities[0]);
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(name, entities[mid].name);
		if (c == 0) {
			buf_puts(out, entities[mid].utf8);
			return;
		}
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	buf_append(out, s, n);
}

/* Writes the decoded value of an md4c attribute into out (reset first). */
static void attr_decode(const MD_ATTRIBUTE *a, struct buf *out)
{
	buf_reset(out);
	for (int i = 0; a->substr_offsets[i] < a->size; i++) {
		const char *s = a->text + a->substr_offsets[i];
		size_t n = a->substr_offsets[i + 1] - a->substr_offsets[i];
		if (a->substr_types[i] == MD_TEXT_ENTITY)
			decode_entity(out, s, n);
		else if (a->substr_types[i] == MD_TEXT_NULLCHAR)
			text_utf8_put(out, 0xFFFD);
		else
			buf_append(out, s, n);
	}
}

/* Returns the value of hex digit c, or -1. */
static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)(c | 0x20);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Writes into out what url reads as once tabs and newlines are removed,
 * percent-escapes decoded (three rounds, whatever bytes they give) and
 * leading controls and spaces skipped: the form whose scheme is checked. */
static void url_probe(const char *url, struct buf *out)
{
	buf_reset(out);
	struct buf a = {0};
	buf_puts(&a, url);
	for (int round = 0; round < 3; round++) {
		buf_reset(out);
		for (size_t i = 0; i < a.len; i++) {
			char c = a.data[i];
			if (c == '%' && i + 2 < a.len && hex_value(a.data[i + 1]) >= 0 &&
			    hex_value(a.data[i + 2]) >= 0) {
				c = (char)(hex_value(a.data[i + 1]) * 16 + hex_value(a.data[i + 2]));
				i += 2;
			}
			if (c != '\t' && c != '\n' && c != '\r' && c != '\0')
				buf_putc(out, c);
		}
		bool same = out->len == a.len;
		buf_reset(&a);
		buf_append(&a, buf_str(out), out->len);
		if (same)
			break;
	}
	buf_free(&a);
	size_t skip = 0;
	while (skip < out->len && (unsigned char)out->data[skip] <= ' ')
		skip++;
	if (skip) {
		memmove(out->data, out->data + skip, out->len - skip + 1);
		out->len -= skip;
	}
}

/* Tells whether c may be part of a URL scheme. */
static bool scheme_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '+' || c == '-' || c == '.';
}

/* Classifies a link or image target: only http(s), mailto, tel and relative
 * URLs are allowed (checked the way a browser would read the scheme). */
static enum url_kind url_check(const char *url, struct buf *scratch)
{
	const char *s = url; /* the common case: nothing to undo */
	if (strpbrk(url, "%\t\n\r") || (unsigned char)url[0] <= ' ') {
		url_probe(url, scratch);
		s = buf_str(scratch);
	}
	size_t colon = 0;
	while (scheme_char((unsigned char)s[colon]))
		colon++;
	enum url_kind kind = URL_RELATIVE;
	bool alpha = (s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z');
	if (s[colon] == ':' && alpha) {
		if (colon == 4 && strncasecmp(s, "http", 4) == 0)
			kind = URL_EXTERNAL;
		else if (colon == 5 && strncasecmp(s, "https", 5) == 0)
			kind = URL_EXTERNAL;
		else if ((colon == 6 && strncasecmp(s, "mailto", 6) == 0) ||
			 (colon == 3 && strncasecmp(s, "tel", 3) == 0))
			kind = URL_OTHER_SAFE;
		else
			kind = URL_UNSAFE;
	} else if ((s[0] == '/' || s[0] == '\\') && (s[1] == '/' || s[1] == '\\')) {
		kind = URL_EXTERNAL;
	}
	return kind;
}

/* Tells whether byte c may stand as it is in an href or src. */
static bool url_safe_byte(unsigned char c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
		return true;
	switch (c) {
	case '-': case '_': case '.': case '+': case '!': case '*': case '(': case ')':
	case ',': case '%': case '#': case '@': case '?': case '=': case ';': case ':':
	case '/': case '$': case '~':
		return true;
	default:
		return false;
	}
}

/* Appends url percent-escaped for an href or src attribute. */
static void url_escape(struct buf *out, const char *url)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p = (const unsigned char *)url;
	while (*p) {
		const unsigned char *run = p;
		while (*p && url_safe_byte(*p))
			p++;
		buf_append(out, (const char *)run, (size_t)(p - run));
		if (!*p)
			break;
		if (*p == '&') {
			PUT(out, "&amp;");
		} else {
			char e[3] = {'%', hex[*p >> 4], hex[*p & 15]};
			buf_append(out, e, 3);
		}
		p++;
	}
}

/* Appends ` title="…"` when the attribute is not empty. */
static void title_attr(struct render *r, const MD_ATTRIBUTE *title)
{
	if (!title->text || title->size == 0)
		return;
	attr_decode(title, &r->tmp);
	PUT(r->html, " title=\"");
	html_escape_text(r->html, r->tmp.data, r->tmp.len);
	buf_putc(r->html, '"');
}

/* Pushes what the matching leave_span must close. */
static void push_span(struct render *r, enum closer c)
{
	if (r->nspans == r->capspans) {
		r->capspans = r->capspans ? r->capspans * 2 : 16;
		r->spans = realloc(r->spans, r->capspans * sizeof(*r->spans));
		if (!r->spans)
			abort();
	}
	r->spans[r->nspans++] = c;
}

/* Tells whether c is part of a word for abbreviations (letters, digits). */
static bool word_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c >= 0x80;
}

/* Builds the hash table of the glossary's acronyms (slot: index + 1). */
static void glossary_index(struct render *r)
{
	size_t cap = 16;
	while (cap < 2 * r->o->nglossary)
		cap *= 2;
	r->gl_slots = calloc(cap, sizeof(*r->gl_slots));
	if (!r->gl_slots)
		abort();
	r->gl_mask = cap - 1;
	for (size_t k = 0; k < r->o->nglossary; k++) {
		const char *a = r->o->glossary[k].acronym;
		size_t i = text_hash(a, strlen(a)) & r->gl_mask;
		while (r->gl_slots[i])
			i = (i + 1) & r->gl_mask;
		r->gl_slots[i] = (uint32_t)k + 1;
		if (a[0] >= 'A' && a[0] <= 'Z')
			r->gl_first |= 1u << (a[0] - 'A');
	}
}

/* Returns the glossary index of word s[0..n), or -1. */
static long glossary_find(const struct render *r, const char *s, size_t n)
{
	for (size_t i = text_hash(s, n) & r->gl_mask; r->gl_slots[i]; i = (i + 1) & r->gl_mask) {
		const char *a = r->o->glossary[r->gl_slots[i] - 1].acronym;
		if (strncmp(a, s, n) == 0 && a[n] == '\0')
			return (long)r->gl_slots[i] - 1;
	}
	return -1;
}

/* Writes normal text, wrapping the first use of each glossary acronym in
 * <abbr> (whole words only). Acronyms start with a capital letter, so the
 * scan jumps from one capital at the start of a word to the next. */
static void text_with_abbr(struct render *r, const char *s, size_t n)
{
	size_t done = 0;
	for (size_t i = 0; i < n && r->abbr_left; i++) {
		unsigned c = (unsigned char)s[i] - 'A';
		if (c > 25 || !(r->gl_first >> c & 1) ||
		    (i ? word_char((unsigned char)s[i - 1]) : r->word_before))
			continue;
		size_t end = i + 1;
		while (end < n && word_char((unsigned char)s[end]))
			end++;
		long k = glossary_find(r, s + i, end - i);
		if (k >= 0 && !r->abbr_used[k]) {
			r->abbr_used[k] = 1;
			r->abbr_left--;
			html_escape_text(r->html, s + done, i - done);
			PUT(r->html, "<abbr title=\"");
			html_escape_text(r->html, r->o->glossary[k].expansion,
					 strlen(r->o->glossary[k].expansion));
			PUT(r->html, "\">");
			html_escape_text(r->html, s + i, end - i);
			PUT(r->html, "</abbr>");
			done = end;
		}
		i = end - 1;
	}
	html_escape_text(r->html, s + done, n - done);
}

/* Writes normal text, with the glossary's abbreviations outside links. */
static void text_normal(struct render *r, const char *s, size_t n)
{
	if (!r->o->spec && r->o->nglossary && !r->link_depth && !r->image_depth)
		text_with_abbr(r, s, n);
	else
		html_escape_text(r->html, s, n);
}

/* Tells whether text now belongs to an action's own item (not to a list
 * nested in it, nor to a link). */
static bool in_action(const struct render *r)
{
	return r->npending && r->pending[r->npending - 1].depth == r->li_depth &&
	       !r->link_depth && !r->image_depth;
}

static bool action_token(const char *s, size_t n);

/* Writes the text of an action's item without its owner and due date,
 * which the end of the item gives in words. */
static void text_in_action(struct render *r, const char *s, size_t n)
{
	const struct buf *before = &r->pending[r->npending - 1].text;
	bool boundary = !before->len || before->data[before->len - 1] == ' ' ||
			before->data[before->len - 1] == '\n';
	size_t done = 0;
	for (size_t i = 0; i < n;) {
		if (s[i] == ' ' || s[i] == '\n') {
			boundary = true;
			i++;
			continue;
		}
		size_t start = i;
		while (i < n && s[i] != ' ' && s[i] != '\n')
			i++;
		if (boundary && action_token(s + start, i - start)) {
			size_t cut = start > done && s[start - 1] == ' ' ? start - 1 : start;
			text_normal(r, s + done, cut - done);
			done = i;
		}
		boundary = false;
	}
	text_normal(r, s + done, n - done);
}

/* md4c callback: a piece of text. */
static int on_text(MD_TEXTTYPE type, const MD_CHAR *s, MD_SIZE n, void *ud)
{
	struct render *r = ud;
	struct buf *out = r->html;
	switch (type) {
	case MD_TEXT_NULLCHAR:
		PUT(out, "\xEF\xBF\xBD");
		collect(r, "\xEF\xBF\xBD", 3);
		break;
	case MD_TEXT_BR:
		buf_puts(out, r->image_depth ? " " : "<br />\n");
		collect(r, "\n", 1);
		break;
	case MD_TEXT_SOFTBR:
		buf_puts(out, r->image_depth ? " " : "\n");
		collect(r, " ", 1);
		break;
	case MD_TEXT_ENTITY:
		buf_reset(&r->tmp);
		decode_entity(&r->tmp, s, n);
		html_escape_text(out, r->tmp.data, r->tmp.len);
		collect(r, r->tmp.data, r->tmp.len);
		break;
	case MD_TEXT_NORMAL:
		if (in_action(r))
			text_in_action(r, s, n);
		else
			text_normal(r, s, n);
		collect(r, s, n);
		break;
	default: /* code, raw HTML (shown as text), LaTeX */
		html_escape_text(out, s, n);
		collect(r, s, n);
	}
	r->word_before = type == MD_TEXT_NORMAL && n && word_char((unsigned char)s[n - 1]);
	return 0;
}

/* Opens a link, or nothing when its target is not allowed. */
static void enter_link(struct render *r, const MD_SPAN_A_DETAIL *d)
{
	attr_decode(&d->href, &r->tmp);
	enum url_kind kind = url_check(buf_str(&r->tmp), &r->probe);
	if (kind == URL_UNSAFE || r->link_depth) {
		push_span(r, C_NONE);
		return;
	}
	PUT(r->html, "<a href=\"");
	url_escape(r->html, buf_str(&r->tmp));
	buf_putc(r->html, '"');
	title_attr(r, &d->title);
	if (kind == URL_EXTERNAL)
		PUT(r->html, " rel=\"noopener nofollow\"");
	buf_putc(r->html, '>');
	push_span(r, C_A);
	r->link_depth++;
}

/* Opens an image: loaded when local, a link when remote (outside the
 * conformance mode), its alt text alone when its source is not allowed. */
static void enter_image(struct render *r, const MD_SPAN_IMG_DETAIL *d)
{
	if (r->image_depth++) {
		push_span(r, C_NONE);
		return;
	}
	attr_decode(&d->src, &r->tmp);
	enum url_kind kind = url_check(buf_str(&r->tmp), &r->probe);
	if (kind == URL_UNSAFE || (kind != URL_RELATIVE && !r->o->spec && r->link_depth)) {
		push_span(r, C_NONE);
	} else if (kind != URL_RELATIVE && !r->o->spec) {
		PUT(r->html, "<a href=\"");
		url_escape(r->html, buf_str(&r->tmp));
		PUT(r->html, "\" rel=\"noopener nofollow\" class=\"remote-image\">");
		push_span(r, C_IMG_LINK);
	} else {
		PUT(r->html, "<img src=\"");
		url_escape(r->html, buf_str(&r->tmp));
		PUT(r->html, "\" alt=\"");
		push_span(r, C_IMG);
	}
}

/* Opens a wiki link: a resolved link, a missing-target mark, or md4c's own
 * element in conformance mode. */
static void enter_wiki(struct render *r, const MD_SPAN_WIKILINK_DETAIL *d)
{
	attr_decode(&d->target, &r->tmp);
	if (r->o->spec) {
		PUT(r->html, "<x-wikilink data-target=\"");
		html_escape_text(r->html, r->tmp.data, r->tmp.len);
		PUT(r->html, "\">");
		push_span(r, C_XWIKI);
		return;
	}
	struct buf *href = &r->href;
	buf_reset(href);
	if (!r->link_depth && r->o->wiki && r->o->wiki(buf_str(&r->tmp), href, r->o->wiki_ctx) &&
	    url_check(buf_str(href), &r->probe) == URL_RELATIVE) {
		PUT(r->html, "<a href=\"");
		url_escape(r->html, buf_str(href));
		PUT(r->html, "\" class=\"wikilink\">");
		push_span(r, C_WIKI);
		r->link_depth++;
	} else {
		PUT(r->html, "<span class=\"missing\" title=\"Page introuvable : ");
		html_escape_text(r->html, r->tmp.data, r->tmp.len);
		PUT(r->html, "\">");
		push_span(r, C_MISSING);
	}
}

/* Returns the opening or closing tag of a plain inline span. */
static const char *span_tag(MD_SPANTYPE type, bool opening)
{
	switch (type) {
	case MD_SPAN_EM: return opening ? "<em>" : "</em>";
	case MD_SPAN_STRONG: return opening ? "<strong>" : "</strong>";
	case MD_SPAN_CODE: return opening ? "<code>" : "</code>";
	case MD_SPAN_DEL: return opening ? "<del>" : "</del>";
	case MD_SPAN_U: return opening ? "<u>" : "</u>";
	case MD_SPAN_LATEXMATH: return opening ? "<x-equation>" : "</x-equation>";
	case MD_SPAN_LATEXMATH_DISPLAY:
		return opening ? "<x-equation type=\"display\">" : "</x-equation>";
	default: return "";
	}
}

/* md4c callback: a span opens. */
static int on_enter_span(MD_SPANTYPE type, void *detail, void *ud)
{
	struct render *r = ud;
	if (type == MD_SPAN_IMG) {
		enter_image(r, detail);
	} else if (r->image_depth) {
		/* inside alt text only the text counts */
	} else if (type == MD_SPAN_A) {
		enter_link(r, detail);
	} else if (type == MD_SPAN_WIKILINK) {
		enter_wiki(r, detail);
	} else {
		buf_puts(r->html, span_tag(type, true));
	}
	return 0;
}

/* md4c callback: a span closes. */
static int on_leave_span(MD_SPANTYPE type, void *detail, void *ud)
{
	struct render *r = ud;
	if (type != MD_SPAN_IMG && type != MD_SPAN_A && type != MD_SPAN_WIKILINK) {
		if (!r->image_depth)
			buf_puts(r->html, span_tag(type, false));
		return 0;
	}
	if (type != MD_SPAN_IMG && r->image_depth)
		return 0;
	enum closer c = r->nspans ? r->spans[--r->nspans] : C_NONE;
	switch (c) {
	case C_A:
	case C_WIKI:
		PUT(r->html, "</a>");
		r->link_depth--;
		break;
	case C_IMG:
		buf_putc(r->html, '"');
		title_attr(r, &((MD_SPAN_IMG_DETAIL *)detail)->title);
		PUT(r->html, " />");
		break;
	case C_IMG_LINK:
		PUT(r->html, "</a>");
		break;
	case C_MISSING:
		PUT(r->html, "</span>");
		break;
	case C_XWIKI:
		PUT(r->html, "</x-wikilink>");
		break;
	case C_NONE:
		break;
	}
	if (type == MD_SPAN_IMG)
		r->image_depth--;
	return 0;
}

/* Returns the HTML of a task item's checkbox. */
static const char *checkbox(bool done)
{
	return done ? "<input type=\"checkbox\" class=\"task-list-item-checkbox\" aria-label=\"fait\" "
		      "disabled checked />"
		    : "<input type=\"checkbox\" class=\"task-list-item-checkbox\" "
		      "aria-label=\"à faire\" disabled />";
}

/* Starts collecting a task-list item as an action; its checkbox is written
 * when the item ends (the state may come from the action's row). */
static void enter_li(struct render *r, const MD_BLOCK_LI_DETAIL *d)
{
	r->li_depth++;
	if (!d->is_task) {
		PUT(r->html, "<li>");
		return;
	}
	bool done = d->task_mark == 'x' || d->task_mark == 'X';
	PUT(r->html, "<li class=\"task-list-item\">");
	if (!r->actions) { /* conformance mode: the checkbox as written */
		buf_puts(r->html, checkbox(done));
		return;
	}
	struct md_actions *as = r->actions;
	if (as->n == as->cap) {
		as->cap = as->cap ? as->cap * 2 : 8;
		as->items = realloc(as->items, as->cap * sizeof(*as->items));
		if (!as->items)
			abort();
	}
	as->items[as->n] = (struct md_action){.done = done};
	if (r->npending == r->cappending) {
		r->cappending = r->cappending ? r->cappending * 2 : 4;
		r->pending = realloc(r->pending, r->cappending * sizeof(*r->pending));
		if (!r->pending)
			abort();
	}
	r->pending[r->npending++] = (struct pending){.depth = r->li_depth, .index = as->n++,
						     .box_at = r->html->len, .done = done};
}

/* Tells whether year y is a leap year. */
static bool leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Reads the decimal number of digits s[0..n); -1 unless all are digits. */
static int digits(const char *s, size_t n)
{
	int v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* Parses a due date (YYYY-MM-DD or DD/MM/YYYY, a real day) into iso. */
bool md_parse_date(const char *s, size_t n, char iso[11])
{
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int y, m, d;
	if (n != 10)
		return false;
	if (s[4] == '-' && s[7] == '-') {
		y = digits(s, 4);
		m = digits(s + 5, 2);
		d = digits(s + 8, 2);
	} else if (s[2] == '/' && s[5] == '/') {
		d = digits(s, 2);
		m = digits(s + 3, 2);
		y = digits(s + 6, 4);
	} else {
		return false;
	}
	if (y < 1900 || y > 2999 || m < 1 || m > 12 || d < 1 ||
	    d > days[m - 1] + (m == 2 && leap(y)))
		return false;
	int parts[] = {y / 1000, y / 100 % 10, y / 10 % 10, y % 10, -1, m / 10, m % 10, -1,
		       d / 10, d % 10};
	for (int i = 0; i < 10; i++)
		iso[i] = parts[i] < 0 ? '-' : (char)('0' + parts[i]);
	iso[10] = '\0';
	return true;
}


/* Tells whether s[0..n) is an owner's name: ASCII letters, digits, - and _. */
static bool owner_word(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x80 || !(word_char(c) || c == '-' || c == '_'))
			return false;
	}
	return true;
}

/* Returns the length of token s[0..n) without its trailing punctuation. */
static size_t token_core(const char *s, size_t n)
{
	while (n > 1 && (s[n - 1] == ',' || s[n - 1] == ';' || s[n - 1] == '.' || s[n - 1] == ')'))
		n--;
	return n;
}

/* Tells whether word s[0..n) is an action's owner ("@CAI") or due date. */
static bool action_token(const char *s, size_t n)
{
	size_t core = token_core(s, n);
	char iso[11];
	return (s[0] == '@' && core > 1 && owner_word(s + 1, core - 1)) ||
	       md_parse_date(s, core, iso);
}

/* Writes who carries an action and when it is due, as a reader says it. */
static void action_meta(struct buf *html, const struct md_action *a)
{
	if (!a->owner && !a->due)
		return;
	PUT(html, " <span class=\"action-meta\">—");
	if (a->owner) {
		buf_putc(html, ' ');
		html_escape_text(html, a->owner, strlen(a->owner));
	}
	if (a->due) {
		buf_puts(html, a->owner ? ", pour le " : " pour le ");
		text_date_fr(html, a->due);
	}
	PUT(html, "</span>");
}

/* Splits the innermost collected item into text, @owner and due date, then
 * writes its checkbox and what follows its text. */
static void finish_action(struct render *r)
{
	struct pending *p = &r->pending[--r->npending];
	struct md_action a = {.done = p->done};
	struct buf text = {0};
	const char *s = buf_str(&p->text);
	size_t n = p->text.len;
	for (size_t i = 0; i < n;) {
		while (i < n && (s[i] == ' ' || s[i] == '\n'))
			i++;
		size_t start = i;
		while (i < n && s[i] != ' ' && s[i] != '\n')
			i++;
		if (i == start)
			break;
		size_t len = i - start, core = token_core(s + start, len);
		char iso[11];
		if (s[start] == '@' && core > 1 && owner_word(s + start + 1, core - 1)) {
			free(a.owner);
			a.owner = text_dup(s + start + 1, core - 1);
		} else if (md_parse_date(s + start, core, iso)) {
			free(a.due);
			a.due = text_dup(iso, 10);
		} else {
			if (text.len)
				buf_putc(&text, ' ');
			buf_append(&text, s + start, len);
		}
	}
	a.text = buf_detach(&text);
	struct buf meta = {0};
	bool done = r->o->action ? r->o->action(&a, p->index, &meta, r->o->action_ctx) : a.done;
	if (!r->o->action)
		action_meta(&meta, &a);
	buf_insert(r->html, p->box_at, checkbox(done), strlen(checkbox(done)));
	buf_append(r->html, meta.data ? meta.data : "", meta.len);
	buf_free(&meta);
	r->actions->items[p->index] = a;
	buf_free(&p->text);
}

/* Returns the slot of id (hashing to h) in the set, empty when absent;
 * cap must be a power of two. */
static struct id_slot *id_find(struct id_set *set, const char *id, uint32_t h)
{
	size_t mask = set->cap - 1;
	for (size_t i = h & mask;; i = (i + 1) & mask) {
		struct id_slot *slot = &set->slots[i];
		if (!slot->id || (slot->hash == h && strcmp(slot->id, id) == 0))
			return slot;
	}
}

/* Returns the slot of id[0..n) in the set, adding it (copied) when absent. */
static struct id_slot *id_add(struct id_set *set, const char *id, size_t n)
{
	if (2 * (set->n + 1) > set->cap) {
		struct id_set bigger = {.cap = set->cap ? set->cap * 2 : 16};
		bigger.slots = calloc(bigger.cap, sizeof(*bigger.slots));
		if (!bigger.slots)
			abort();
		for (size_t i = 0; i < set->cap; i++)
			if (set->slots[i].id)
				*id_find(&bigger, set->slots[i].id, set->slots[i].hash) = set->slots[i];
		free(set->slots);
		bigger.n = set->n;
		*set = bigger;
	}
	uint32_t h = text_hash(id, n);
	struct id_slot *slot = id_find(set, id, h);
	if (!slot->id) {
		slot->id = text_dup(id, n);
		slot->hash = h;
		set->n++;
	}
	return slot;
}

/* Tells whether id[0..n) is in the set. */
static bool id_taken(struct id_set *set, const char *id, size_t n)
{
	return set->cap && id_find(set, id, text_hash(id, n))->id;
}

/* Frees the set. */
static void id_free(struct id_set *set)
{
	for (size_t i = 0; i < set->cap; i++)
		free(set->slots[i].id);
	free(set->slots);
}

/* Inserts the unique id of the heading just closed, from its text. */
static void heading_id(struct render *r)
{
	struct buf id = {0};
	buf_puts(&id, " id=\"");
	size_t at = id.len;
	text_slugify(&id, r->heading_text.data, r->heading_text.len, MD_MAX_ID);
	if (id.len == at)
		buf_puts(&id, "section");
	size_t len = id.len;
	if (id_taken(&r->ids, id.data + at, len - at)) {
		/* taken: the next free "-N", remembering N on the base id */
		int k = id_add(&r->ids, id.data + at, len - at)->last;
		k = k > 1 ? k : 1;
		do {
			char num[16];
			int d = 0;
			for (int v = ++k; v; v /= 10)
				num[d++] = (char)('0' + v % 10);
			id.len = len;
			buf_putc(&id, '-');
			while (d)
				buf_putc(&id, num[--d]);
		} while (id_taken(&r->ids, id.data + at, id.len - at));
		id_add(&r->ids, id.data + at, id.len - at);
		id.data[len] = '\0';
		id_add(&r->ids, id.data + at, len - at)->last = k;
		id.data[len] = '-';
	} else {
		id_add(&r->ids, id.data + at, len - at);
	}
	buf_putc(&id, '"');
	buf_reserve(r->html, id.len);
	char *dst = r->html->data + r->heading_at;
	memmove(dst + id.len, dst, r->html->len - r->heading_at + 1);
	memcpy(dst, id.data, id.len);
	r->html->len += id.len;
	buf_free(&id);
}

/* Returns the HTML alignment attribute of a table cell. */
static const char *align_attr(const MD_BLOCK_TD_DETAIL *d)
{
	switch (d->align) {
	case MD_ALIGN_LEFT: return " align=\"left\"";
	case MD_ALIGN_CENTER: return " align=\"center\"";
	case MD_ALIGN_RIGHT: return " align=\"right\"";
	default: return "";
	}
}

/* md4c callback: a block opens. */
static int on_enter_block(MD_BLOCKTYPE type, void *detail, void *ud)
{
	struct render *r = ud;
	struct buf *out = r->html;
	r->word_before = false;
	switch (type) {
	case MD_BLOCK_DOC: break;
	case MD_BLOCK_QUOTE: PUT(out, "<blockquote>\n"); break;
	case MD_BLOCK_UL:
		if (in_action(r)) /* a list inside an action: the action's words end here */
			finish_action(r);
		PUT(out, "<ul>\n");
		break;
	case MD_BLOCK_OL: {
		if (in_action(r))
			finish_action(r);
		unsigned start = ((MD_BLOCK_OL_DETAIL *)detail)->start;
		if (start == 1)
			PUT(out, "<ol>\n");
		else
			buf_printf(out, "<ol start=\"%u\">\n", start);
		break;
	}
	case MD_BLOCK_LI: enter_li(r, detail); break;
	case MD_BLOCK_HR: PUT(out, "<hr />\n"); break;
	case MD_BLOCK_H:
		PUT(out, "<h");
		buf_putc(out, (char)('0' + ((MD_BLOCK_H_DETAIL *)detail)->level));
		if (!r->o->spec) {
			r->heading = true;
			r->heading_at = out->len;
			buf_reset(&r->heading_text);
		}
		buf_putc(out, '>');
		break;
	case MD_BLOCK_CODE: {
		const MD_BLOCK_CODE_DETAIL *d = detail;
		PUT(out, "<pre><code");
		if (d->lang.text && d->lang.size) {
			attr_decode(&d->lang, &r->tmp);
			PUT(out, " class=\"language-");
			html_escape_text(out, r->tmp.data, r->tmp.len);
			buf_putc(out, '"');
		}
		buf_putc(out, '>');
		break;
	}
	case MD_BLOCK_HTML: PUT(out, "<pre class=\"raw-html\">"); break;
	case MD_BLOCK_P: PUT(out, "<p>"); break;
	case MD_BLOCK_TABLE: PUT(out, "<table>\n"); break;
	case MD_BLOCK_THEAD: PUT(out, "<thead>\n"); break;
	case MD_BLOCK_TBODY: PUT(out, "<tbody>\n"); break;
	case MD_BLOCK_TR: PUT(out, "<tr>"); break;
	case MD_BLOCK_TH:
		PUT(out, "<th");
		buf_puts(out, align_attr(detail));
		buf_putc(out, '>');
		break;
	case MD_BLOCK_TD:
		PUT(out, "<td");
		buf_puts(out, align_attr(detail));
		buf_putc(out, '>');
		break;
	}
	return 0;
}

/* md4c callback: a block closes. */
static int on_leave_block(MD_BLOCKTYPE type, void *detail, void *ud)
{
	struct render *r = ud;
	struct buf *out = r->html;
	r->word_before = false;
	switch (type) {
	case MD_BLOCK_DOC: break;
	case MD_BLOCK_QUOTE: PUT(out, "</blockquote>\n"); break;
	case MD_BLOCK_UL: PUT(out, "</ul>\n"); break;
	case MD_BLOCK_OL: PUT(out, "</ol>\n"); break;
	case MD_BLOCK_LI:
		if (r->npending && r->pending[r->npending - 1].depth == r->li_depth)
			finish_action(r);
		PUT(out, "</li>\n");
		r->li_depth--;
		break;
	case MD_BLOCK_HR: break;
	case MD_BLOCK_H:
		PUT(out, "</h");
		buf_putc(out, (char)('0' + ((MD_BLOCK_H_DETAIL *)detail)->level));
		PUT(out, ">\n");
		if (r->heading) {
			heading_id(r);
			r->heading = false;
		}
		break;
	case MD_BLOCK_CODE: PUT(out, "</code></pre>\n"); break;
	case MD_BLOCK_HTML: PUT(out, "</pre>\n"); break;
	case MD_BLOCK_P: PUT(out, "</p>\n"); break;
	case MD_BLOCK_TABLE: PUT(out, "</table>\n"); break;
	case MD_BLOCK_THEAD: PUT(out, "</thead>\n"); break;
	case MD_BLOCK_TBODY: PUT(out, "</tbody>\n"); break;
	case MD_BLOCK_TR: PUT(out, "</tr>\n"); break;
	case MD_BLOCK_TH: PUT(out, "</th>"); break;
	case MD_BLOCK_TD: PUT(out, "</td>"); break;
	}
	if (type == MD_BLOCK_TH || type == MD_BLOCK_TD)
		collect(r, " ", 1);
	else if (type != MD_BLOCK_DOC && r->plain && r->plain->len &&
		 r->plain->data[r->plain->len - 1] != '\n')
		buf_putc(r->plain, '\n');
	return 0;
}

/* Returns md4c's flags for the options. */
static unsigned parser_flags(const struct md_opts *o)
{
	static const struct {
		unsigned ext, flag;
	} map[] = {
		{MDX_TABLES, MD_FLAG_TABLES},
		{MDX_STRIKETHROUGH, MD_FLAG_STRIKETHROUGH},
		{MDX_TASKLISTS, MD_FLAG_TASKLISTS},
		{MDX_URL_AUTOLINKS, MD_FLAG_PERMISSIVEURLAUTOLINKS},
		{MDX_WWW_AUTOLINKS, MD_FLAG_PERMISSIVEWWWAUTOLINKS},
		{MDX_EMAIL_AUTOLINKS, MD_FLAG_PERMISSIVEEMAILAUTOLINKS},
		{MDX_WIKILINKS, MD_FLAG_WIKILINKS},
		{MDX_UNDERLINE, MD_FLAG_UNDERLINE},
		{MDX_LATEX, MD_FLAG_LATEXMATHSPANS},
	};
	unsigned ext = o->spec ? o->extensions
			       : MDX_TABLES | MDX_STRIKETHROUGH | MDX_TASKLISTS | MDX_URL_AUTOLINKS |
				 MDX_WWW_AUTOLINKS | MDX_EMAIL_AUTOLINKS | MDX_WIKILINKS;
	unsigned flags = 0;
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (ext & map[i].ext)
			flags |= map[i].flag;
	return flags;
}

/* Tells whether line[0..n) writes an action, in any form people type. */
bool md_task_line(const char *line, size_t n, struct md_task_line *t)
{
	size_t i = 0;
	while (i < n && (line[i] == ' ' || line[i] == '\t'))
		i++;
	size_t marker = i;
	if (i < n && (line[i] == '-' || line[i] == '*' || line[i] == '+')) {
		i++;
	} else {
		while (i < n && i - marker < 9 && line[i] >= '0' && line[i] <= '9')
			i++;
		if (i == marker || i >= n || (line[i] != '.' && line[i] != ')'))
			return false;
		i++;
	}
	t->marker_end = i;
	while (i < n && line[i] == ' ')
		i++;
	bool spaced = i > t->marker_end;
	if (i >= n || line[i] != '[')
		return false;
	if (i + 1 < n && line[i + 1] == ']') {
		t->mark = ' ';
		i += 2;
	} else if (i + 2 < n && line[i + 2] == ']' &&
		   (line[i + 1] == ' ' || line[i + 1] == 'x' || line[i + 1] == 'X')) {
		t->mark = line[i + 1];
		i += 3;
	} else {
		return false;
	}
	t->loose = !spaced || line[i - 2] == '[';
	if (i >= n || (line[i] != ' ' && line[i] != '\t'))
		return false;
	while (i < n && (line[i] == ' ' || line[i] == '\t'))
		i++;
	t->text = i;
	return i < n;
}

/* Tells whether line[0..n) opens or closes a code fence; keeps the open
 * fence's character and length in fence (0: none open). */
static bool fence_line(const char *line, size_t n, char *fence, size_t *fence_len)
{
	size_t i = 0;
	while (i < n && i < 3 && line[i] == ' ')
		i++;
	if (i >= n || (line[i] != '`' && line[i] != '~'))
		return false;
	char c = line[i];
	size_t k = i;
	while (k < n && line[k] == c)
		k++;
	if (k - i < 3 || (*fence && (c != *fence || k - i < *fence_len)))
		return false;
	*fence = *fence ? 0 : c;
	*fence_len = k - i;
	return true;
}

/* Notes in lines the lines that write actions, and writes into out the
 * text with the forms people type by mistake ("- [] ", "-[ ] ") rewritten
 * as CommonMark reads them, outside code fences; returns false (out
 * untouched) when there is nothing to rewrite. */
static bool scan_tasks(const char *text, size_t len, struct buf *out, struct task_lines *lines)
{
	char fence = 0;
	size_t fence_len = 0, copied = 0, number = 0;
	for (size_t at = 0; at < len;) {
		const char *nl = memchr(text + at, '\n', len - at);
		size_t end = nl ? (size_t)(nl - text) : len;
		struct md_task_line t;
		number++;
		if (!fence_line(text + at, end - at, &fence, &fence_len) && !fence &&
		    md_task_line(text + at, end - at, &t)) {
			if (lines->n == lines->cap) {
				lines->cap = lines->cap ? lines->cap * 2 : 16;
				lines->at = realloc(lines->at, lines->cap * sizeof(*lines->at));
				if (!lines->at)
					abort();
			}
			lines->at[lines->n++] = number;
			if (t.loose) {
				buf_append(out, text + copied, at + t.marker_end - copied);
				buf_printf(out, " [%c] ", t.mark);
				copied = at + t.text;
			}
		}
		at = nl ? end + 1 : len;
	}
	if (!copied)
		return false;
	buf_append(out, text + copied, len - copied);
	return true;
}

/* Renders text into html, plain and actions (each may be NULL). */
int md_render(const char *text, size_t len, const struct md_opts *opts, struct buf *html,
	      struct buf *plain, struct md_actions *actions)
{
	struct buf scratch = {0}, fixed = {0};
	struct md_actions own = {0};
	struct task_lines lines = {0};
	if (!text)
		text = "", len = 0;
	if (!opts->spec && scan_tasks(text, len, &fixed, &lines)) {
		text = fixed.data;
		len = fixed.len;
	}
	bool terminated = opts->terminated || fixed.data;
	struct render r = {.o = opts, .html = html ? html : &scratch, .plain = plain,
			   .actions = opts->spec ? NULL : actions ? actions : &own};
	MD_PARSER parser = {
		.flags = parser_flags(opts),
		.enter_block = on_enter_block,
		.leave_block = on_leave_block,
		.enter_span = on_enter_span,
		.leave_span = on_leave_span,
		.text = on_text,
	};
	buf_reserve(r.html, len + len / 2); /* HTML is a little longer than its source */
	if (plain)
		buf_reserve(plain, len);
	if (opts->nglossary) {
		r.abbr_used = calloc(opts->nglossary, 1);
		if (!r.abbr_used)
			abort();
		r.abbr_left = opts->nglossary;
		glossary_index(&r);
	}
	/* md4c 0.4.8 reads a byte past the end of some inputs (a link
	 * destination cut by the end, for one): unless a NUL already follows
	 * the text, give it a NUL-padded copy so that this read stays in our
	 * memory and gives the same answer every time */
	char *copy = NULL;
	if (!terminated) {
		copy = malloc(len + 8);
		if (!copy)
			abort();
		memcpy(copy, text, len);
		memset(copy + len, 0, 8);
	}
	int rc = md_parse(copy ? copy : text, (MD_SIZE)len, &parser, &r);
	free(copy);
	free(r.abbr_used);
	free(r.gl_slots);
	free(r.spans);
	buf_free(&r.tmp);
	buf_free(&r.probe);
	buf_free(&r.href);
	buf_free(&r.heading_text);
	id_free(&r.ids);
	while (r.npending) /* only when the parser stopped early */
		finish_action(&r);
	free(r.pending);
	/* each action's line, when the lines found are the actions read */
	for (size_t i = 0; r.actions && lines.n == r.actions->n && i < lines.n; i++)
		r.actions->items[i].line = lines.at[i];
	free(lines.at);
	md_actions_free(&own);
	buf_free(&fixed);
	buf_free(&scratch);
	return rc == 0 ? 0 : -1;
}

/* The plain-text rendering of mails: what a reader of the text part sees. */
#define TEXT_LISTS 16 /* nesting kept; deeper lists take the last indent */

struct text_list {
	bool ordered;
	unsigned next;  /* the next item's number */
	size_t width;   /* the width of the current item's marker */
	size_t task_at; /* where the current item's text starts, if a task; else 0 */
};

struct text_render {
	struct buf *out;          /* where text goes: the mail, or a table cell */
	struct buf *mail;
	struct text_list lists[TEXT_LISTS];
	int nlists, quote;
	bool line_start;          /* the next character starts a line */
	bool code;                /* inside a code block */
	size_t heading_at;        /* where the heading's text starts in out */
	struct buf url;           /* the open link's target */
	size_t link_at;           /* where its text starts in out */
	int link_depth, image_depth;
	struct buf cell;          /* the table cell being written */
	json_t *rows;             /* the table's rows of cells */
	struct buf tmp;
};

/* Writes the start of a line: quote marks and the indent of the lists. */
static void text_prefix(struct text_render *t, int lists)
{
	for (int i = 0; i < t->quote; i++)
		PUT(t->out, "> ");
	for (int i = 0; i < lists && i < TEXT_LISTS; i++)
		for (size_t k = 0; k < t->lists[i].width; k++)
			buf_putc(t->out, ' ');
	if (t->code)
		PUT(t->out, "    ");
	t->line_start = false;
}

/* Writes s[0..n), each line starting with the prefix. */
static void text_put(struct text_render *t, const char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		if (t->line_start && t->out == t->mail)
			text_prefix(t, t->nlists);
		const char *nl = memchr(s + i, '\n', n - i);
		size_t end = nl ? (size_t)(nl - s) : n;
		buf_append(t->out, s + i, end - i);
		if (!nl)
			break;
		buf_putc(t->out, t->out == t->mail ? '\n' : ' ');
		t->line_start = t->out == t->mail;
		i = end + 1;
	}
}

/* Ends the line, and leaves a blank line when blank. */
static void text_break(struct text_render *t, bool blank)
{
	struct buf *o = t->out;
	if (!o->len)
		return;
	if (o->data[o->len - 1] != '\n')
		buf_putc(o, '\n');
	if (blank && !(o->len >= 2 && o->data[o->len - 2] == '\n')) {
		for (int i = 0; i < t->quote; i++)
			PUT(o, ">");
		buf_putc(o, '\n');
	}
	t->line_start = true;
}

/* Writes the collected table as aligned columns, a rule under its head. */
static void text_table(struct text_render *t)
{
	size_t widths[64] = {0}, ncols = 0, r;
	json_t *row, *cell;
	json_array_foreach(t->rows, r, row) {
		size_t c;
		json_array_foreach(row, c, cell) {
			if (c >= 64)
				break;
			size_t w = text_utf8_count(json_string_value(cell), json_string_length(cell));
			if (w > widths[c])
				widths[c] = w;
			if (c + 1 > ncols)
				ncols = c + 1;
		}
	}
	json_array_foreach(t->rows, r, row) {
		text_prefix(t, t->nlists);
		size_t c;
		for (c = 0; c < ncols; c++) {
			json_t *v = json_array_get(row, c);
			const char *s = v ? json_string_value(v) : "";
			size_t n = strlen(s), w = text_utf8_count(s, n);
			buf_append(t->out, s, n);
			for (size_t k = w; c + 1 < ncols && k < widths[c] + 2; k++)
				buf_putc(t->out, ' ');
		}
		while (t->out->len && t->out->data[t->out->len - 1] == ' ')
			t->out->len--;
		buf_putc(t->out, '\n');
		if (r == 0) {
			text_prefix(t, t->nlists);
			for (c = 0; c < ncols; c++) {
				for (size_t k = 0; k < widths[c]; k++)
					buf_putc(t->out, '-');
				if (c + 1 < ncols)
					PUT(t->out, "  ");
			}
			buf_putc(t->out, '\n');
		}
	}
	t->line_start = true;
}

/* Starts a list item: its number or dash, and its box when it is a task. */
static void text_item(struct text_render *t, const MD_BLOCK_LI_DETAIL *d)
{
	text_break(t, false);
	int top = (t->nlists > TEXT_LISTS ? TEXT_LISTS : t->nlists) - 1;
	if (top < 0)
		return;
	text_prefix(t, top);
	struct text_list *l = &t->lists[top];
	size_t at = t->out->len;
	if (l->ordered)
		buf_printf(t->out, "%u. ", l->next++);
	else
		PUT(t->out, "- ");
	l->width = t->out->len - at;
	l->task_at = 0;
	if (d->is_task) {
		buf_puts(t->out, d->task_mark == ' ' ? "[ ] " : "[x] ");
		l->task_at = t->out->len;
	}
}

/* Rewrites the one-line text of a task item from at: its owner and due
 * date leave the words and follow them, « — CAI, pour le 15 mars 2021 ». */
static void text_task(struct text_render *t, size_t at)
{
	struct buf *o = t->out;
	if (at > o->len || memchr(o->data + at, '\n', o->len - at))
		return; /* an item over several lines stays as written */
	struct buf words = {0}, owner = {0}, due = {0};
	const char *s = o->data + at;
	size_t n = o->len - at;
	for (size_t i = 0; i < n;) {
		while (i < n && s[i] == ' ')
			i++;
		size_t start = i;
		while (i < n && s[i] != ' ')
			i++;
		if (i == start)
			break;
		size_t core = token_core(s + start, i - start);
		char iso[11];
		if (s[start] == '@' && core > 1 && owner_word(s + start + 1, core - 1)) {
			buf_reset(&owner);
			buf_append(&owner, s + start + 1, core - 1);
		} else if (md_parse_date(s + start, core, iso)) {
			buf_reset(&due);
			text_date_fr(&due, iso);
		} else {
			if (words.len)
				buf_putc(&words, ' ');
			buf_append(&words, s + start, i - start);
		}
	}
	if (owner.len || due.len) {
		o->len = at;
		buf_append(o, words.data ? words.data : "", words.len);
		buf_printf(o, " —%s%s%s%s", owner.len ? " " : "", buf_str(&owner),
			   due.len ? (owner.len ? ", pour le " : " pour le ") : "", buf_str(&due));
	}
	buf_free(&words);
	buf_free(&owner);
	buf_free(&due);
}

/* md4c callback of the text rendering: a block opens. */
static int text_enter_block(MD_BLOCKTYPE type, void *detail, void *ud)
{
	struct text_render *t = ud;
	switch (type) {
	case MD_BLOCK_UL:
	case MD_BLOCK_OL:
		if (t->nlists >= 1 && t->nlists <= TEXT_LISTS && t->lists[t->nlists - 1].task_at) {
			/* a list inside an action: the action's words end here */
			text_task(t, t->lists[t->nlists - 1].task_at);
			t->lists[t->nlists - 1].task_at = 0;
		}
		if (t->nlists < TEXT_LISTS)
			t->lists[t->nlists] = (struct text_list){
				.ordered = type == MD_BLOCK_OL,
				.next = type == MD_BLOCK_OL ? ((MD_BLOCK_OL_DETAIL *)detail)->start : 0};
		t->nlists++;
		if (t->nlists == 1)
			text_break(t, true);
		break;
	case MD_BLOCK_LI: text_item(t, detail); break;
	case MD_BLOCK_QUOTE:
		text_break(t, true);
		t->quote++;
		break;
	case MD_BLOCK_H:
		text_break(t, true);
		text_prefix(t, t->nlists);
		t->heading_at = t->out->len;
		break;
	case MD_BLOCK_CODE:
		text_break(t, true);
		t->code = true;
		break;
	case MD_BLOCK_TABLE:
		text_break(t, true);
		t->rows = json_array();
		break;
	case MD_BLOCK_TR: json_array_append_new(t->rows, json_array()); break;
	case MD_BLOCK_TH:
	case MD_BLOCK_TD:
		buf_reset(&t->cell);
		t->out = &t->cell;
		break;
	case MD_BLOCK_P:
	case MD_BLOCK_HTML:
		/* the first paragraph of an item goes on the item's line */
		if (t->out->len && t->out->data[t->out->len - 1] != ' ')
			text_break(t, true);
		break;
	case MD_BLOCK_HR:
		text_break(t, true);
		text_prefix(t, t->nlists);
		PUT(t->out, "----------");
		break;
	default: break;
	}
	return 0;
}

/* md4c callback of the text rendering: a block closes. */
static int text_leave_block(MD_BLOCKTYPE type, void *detail, void *ud)
{
	struct text_render *t = ud;
	switch (type) {
	case MD_BLOCK_UL:
	case MD_BLOCK_OL:
		t->nlists--;
		break;
	case MD_BLOCK_LI:
		if (t->nlists >= 1 && t->nlists <= TEXT_LISTS && t->lists[t->nlists - 1].task_at)
			text_task(t, t->lists[t->nlists - 1].task_at);
		break;
	case MD_BLOCK_QUOTE:
		t->quote--;
		text_break(t, false);
		break;
	case MD_BLOCK_H: {
		unsigned level = ((MD_BLOCK_H_DETAIL *)detail)->level;
		size_t w = text_utf8_count(t->out->data + t->heading_at, t->out->len - t->heading_at);
		if (level <= 2 && w) {
			buf_putc(t->out, '\n');
			text_prefix(t, t->nlists);
			for (size_t i = 0; i < w; i++)
				buf_putc(t->out, level == 1 ? '=' : '-');
		}
		text_break(t, false);
		break;
	}
	case MD_BLOCK_CODE:
		t->code = false;
		text_break(t, false);
		break;
	case MD_BLOCK_TH:
	case MD_BLOCK_TD:
		t->out = t->mail;
		json_array_append_new(json_array_get(t->rows, json_array_size(t->rows) - 1),
				      json_stringn(t->cell.data ? t->cell.data : "", t->cell.len));
		break;
	case MD_BLOCK_TABLE:
		text_table(t);
		json_decref(t->rows);
		t->rows = NULL;
		text_break(t, false);
		break;
	case MD_BLOCK_P:
	case MD_BLOCK_HTML:
	case MD_BLOCK_HR:
		text_break(t, false);
		break;
	default: break;
	}
	return 0;
}

/* md4c callback of the text rendering: a span opens. */
static int text_enter_span(MD_SPANTYPE type, void *detail, void *ud)
{
	struct text_render *t = ud;
	if (type == MD_SPAN_A && !t->link_depth++) {
		attr_decode(&((MD_SPAN_A_DETAIL *)detail)->href, &t->url);
		t->link_at = t->out->len;
	} else if (type == MD_SPAN_IMG) {
		t->image_depth++;
	}
	return 0;
}

/* md4c callback of the text rendering: a span closes; a link's address
 * follows its text, « texte <https://…> », unless the text is the address. */
static int text_leave_span(MD_SPANTYPE type, void *detail, void *ud)
{
	(void)detail;
	struct text_render *t = ud;
	if (type == MD_SPAN_IMG)
		t->image_depth--;
	if (type != MD_SPAN_A || --t->link_depth)
		return 0;
	const char *url = buf_str(&t->url), *shown = t->out->data + t->link_at;
	size_t n = t->out->len - t->link_at;
	bool same = (n == t->url.len && memcmp(shown, url, n) == 0) ||
		    (strncmp(url, "mailto:", 7) == 0 && n == t->url.len - 7 &&
		     memcmp(shown, url + 7, n) == 0);
	enum url_kind kind = url_check(url, &t->tmp);
	if (!same && t->url.len && kind != URL_UNSAFE && url[0] != '#' && url[0] != '/' &&
	    !t->image_depth) {
		PUT(t->out, " <");
		url_escape(t->out, url);
		buf_putc(t->out, '>');
	}
	return 0;
}

/* md4c callback of the text rendering: a piece of text. */
static int text_text(MD_TEXTTYPE type, const MD_CHAR *s, MD_SIZE n, void *ud)
{
	struct text_render *t = ud;
	switch (type) {
	case MD_TEXT_NULLCHAR: text_put(t, "\xEF\xBF\xBD", 3); break;
	case MD_TEXT_BR:
		if (t->out == t->mail && !t->image_depth) {
			buf_putc(t->out, '\n');
			t->line_start = true;
		} else {
			buf_putc(t->out, ' ');
		}
		break;
	case MD_TEXT_SOFTBR: buf_putc(t->out, ' '); break;
	case MD_TEXT_ENTITY:
		buf_reset(&t->tmp);
		decode_entity(&t->tmp, s, n);
		text_put(t, t->tmp.data, t->tmp.len);
		break;
	default: text_put(t, s, n);
	}
	return 0;
}

/* Renders text as the plain-text part of a mail. */
int md_render_text(const char *text, size_t len, struct buf *out)
{
	struct buf fixed = {0};
	struct task_lines lines = {0};
	if (!text)
		text = "", len = 0;
	if (scan_tasks(text, len, &fixed, &lines)) {
		text = fixed.data;
		len = fixed.len;
	}
	free(lines.at);
	char *copy = malloc(len + 8); /* md4c may read a byte past the end */
	if (!copy)
		abort();
	memcpy(copy, text, len);
	memset(copy + len, 0, 8);
	struct text_render t = {.out = out, .mail = out, .line_start = true};
	MD_PARSER parser = {
		.flags = parser_flags(&(struct md_opts){0}),
		.enter_block = text_enter_block,
		.leave_block = text_leave_block,
		.enter_span = text_enter_span,
		.leave_span = text_leave_span,
		.text = text_text,
	};
	size_t start = out->len;
	int rc = md_parse(copy, (MD_SIZE)len, &parser, &t);
	while (out->len > start && (out->data[out->len - 1] == '\n' || out->data[out->len - 1] == ' '))
		out->len--;
	if (out->data)
		out->data[out->len] = '\0';
	free(copy);
	buf_free(&fixed);
	buf_free(&t.url);
	buf_free(&t.cell);
	buf_free(&t.tmp);
	json_decref(t.rows);
	return rc == 0 ? 0 : -1;
}

/* Parses "tables,strikethrough,…" into enum md_ext bits. */
int md_ext_parse(const char *list, unsigned *bits, struct buf *bad)
{
	static const struct {
		const char *name;
		unsigned bit;
	} names[] = {
		{"tables", MDX_TABLES},
		{"strikethrough", MDX_STRIKETHROUGH},
		{"tasklists", MDX_TASKLISTS},
		{"permissive-url-autolinks", MDX_URL_AUTOLINKS},
		{"permissive-www-autolinks", MDX_WWW_AUTOLINKS},
		{"permissive-email-autolinks", MDX_EMAIL_AUTOLINKS},
		{"wiki-links", MDX_WIKILINKS},
		{"underline", MDX_UNDERLINE},
		{"latex-math", MDX_LATEX},
	};
	*bits = 0;
	const char *p = list;
	while (*p) {
		size_t n = strcspn(p, ",");
		size_t i = 0;
		while (i < sizeof(names) / sizeof(names[0]) &&
		       !(strlen(names[i].name) == n && strncmp(names[i].name, p, n) == 0))
			i++;
		if (i == sizeof(names) / sizeof(names[0])) {
			if (n) {
				buf_append(bad, p, n);
				return -1;
			}
		} else {
			*bits |= names[i].bit;
		}
		p += n + (p[n] == ',');
	}
	return 0;
}

/* Frees the actions' strings and array. */
void md_actions_free(struct md_actions *a)
{
	for (size_t i = 0; i < a->n; i++) {
		free(a->items[i].text);
		free(a->items[i].owner);
		free(a->items[i].due);
	}
	free(a->items);
	memset(a, 0, sizeof(*a));
}
