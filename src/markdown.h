/* markdown.h — the safe Markdown renderer: one pass gives the HTML, the plain
 * text for the search index and the actions found in task-list items. */
#ifndef MAILLAGE_MARKDOWN_H
#define MAILLAGE_MARKDOWN_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

/* Stored beside every rendered document; raising it re-renders them. */
#define MD_RENDERER_VERSION 4

/* Extensions, for the conformance mode (the normal mode has them all but
 * underline and LaTeX). */
enum md_ext {
	MDX_TABLES = 1 << 0,
	MDX_STRIKETHROUGH = 1 << 1,
	MDX_TASKLISTS = 1 << 2,
	MDX_URL_AUTOLINKS = 1 << 3,
	MDX_WWW_AUTOLINKS = 1 << 4,
	MDX_EMAIL_AUTOLINKS = 1 << 5,
	MDX_WIKILINKS = 1 << 6,
	MDX_UNDERLINE = 1 << 7,
	MDX_LATEX = 1 << 8,
};

/* One task-list item of minutes. */
struct md_action {
	char *text;   /* the item without its owner and date */
	char *owner;  /* acronym or slug after '@', or NULL */
	char *due;    /* YYYY-MM-DD, or NULL */
	bool done;
	size_t line;  /* the line of the source that writes it (from 1), 0 if unsure */
};

struct md_glossary {
	const char *acronym;   /* sorted by strcmp */
	const char *expansion;
};

struct md_opts {
	bool spec;             /* conformance mode: CommonMark + extensions only */
	bool terminated;       /* the text is followed by a readable NUL byte */
	unsigned extensions;   /* spec mode: enum md_ext bits */
	const struct md_glossary *glossary;
	size_t nglossary;
	/* Resolves a wiki-link target: appends its URL to href and returns
	 * true, or returns false when nothing has that name. */
	bool (*wiki)(const char *target, struct buf *href, void *ctx);
	void *wiki_ctx;
	/* Writes what follows action index (0-based, in document order) in its
	 * item: who carries it, when it is due, its state; returns whether it
	 * is done (the item's checkbox). NULL: the owner and date as written. */
	bool (*action)(const struct md_action *a, size_t index, struct buf *html, void *ctx);
	void *action_ctx;
};

struct md_actions {
	struct md_action *items;
	size_t n, cap;
};

/* Renders text[0..len) into html, plain (both may be NULL) and actions (may
 * be NULL); returns 0, or -1 when the parser fails (out of memory). */
int md_render(const char *text, size_t len, const struct md_opts *opts, struct buf *html,
	      struct buf *plain, struct md_actions *actions);
/* Appends the plain-text part of a mail made from text[0..len): numbered
 * lists keep their numbers, nested lists are indented, tables are aligned
 * columns, links are written « texte <https://…> », headings stand on
 * their own lines; 0, or -1 when the parser fails. */
int md_render_text(const char *text, size_t len, struct buf *out);
/* Parses "tables,strikethrough,…" into enum md_ext bits; returns 0, or -1
 * and the unknown name in bad. */
int md_ext_parse(const char *list, unsigned *bits, struct buf *bad);
/* A line that writes an action: "- [ ] ", "* [x] ", "1. [ ] ", and the
 * forms people type by mistake ("- [] ", "-[ ] "). */
struct md_task_line {
	size_t marker_end;   /* the list marker is line[indent..marker_end) */
	size_t text;         /* the item's text starts here */
	char mark;           /* ' ', 'x' or 'X' */
	bool loose;          /* written in a form CommonMark does not read */
};
/* Tells whether line[0..n) (no newline) writes an action; fills t. */
bool md_task_line(const char *line, size_t n, struct md_task_line *t);
/* Frees the actions' strings and array. */
void md_actions_free(struct md_actions *a);
/* Parses a due date (YYYY-MM-DD or DD/MM/YYYY, a real calendar day) into
 * iso (11 bytes); tells whether it was one. */
bool md_parse_date(const char *s, size_t n, char iso[11]);

#endif
