/* search.c — the search: the French token filter that db.c plugs into FTS5,
 * user queries turned into safe FTS5 expressions, one filtered query for the
 * results and one for the facets, snippets escaped then marked, and the
 * index's check and rebuild. What is indexed is said once, by the view
 * doc_source (src/schema/006_search.sql), kept by triggers. */
#include "search.h"

#include <libstemmer.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "db.h"
#include "html.h"
#include "text.h"

#define SEARCH_STEM_MAX 64 /* longer tokens are indexed as they are */
#define MEMO_SLOTS 2048     /* words whose stem a filter remembers */
#define MEMO_WORD 24        /* longest word (and stem) remembered, in bytes */

/* One remembered word (as given to the stemmer) and its folded stem. */
struct memo_slot {
	unsigned char nword, nstem; /* 0: empty */
	char word[MEMO_WORD], stem[MEMO_WORD];
};

struct search_stemmer {
	struct sb_stemmer *sb;
	struct buf word;
	struct memo_slot *memo; /* MEMO_SLOTS, made on first use */
};

/* The searchable kinds, in the order of the facets; the position (from 1)
 * is the kind's code in the documents' ids (doc_source). */
static const struct {
	const char *kind, *label;
} kinds[] = {
	{"meeting", "réunion"},
	{"body", "instance"},
	{"organisation", "organisation"},
	{"letter", "lettre"},
	{"motion", "motion"},
	{"event", "suivi d'interpellation"},
	{"file", "document"},
	{"review", "bilan"},
};

/* Returns a new filter (aborts when out of memory). */
struct search_stemmer *search_stemmer_new(void)
{
	struct search_stemmer *s = calloc(1, sizeof(*s));
	if (!s || !(s->sb = sb_stemmer_new("french", "UTF_8")))
		abort();
	return s;
}

/* Frees the filter (NULL does nothing). */
void search_stemmer_free(struct search_stemmer *s)
{
	if (!s)
		return;
	sb_stemmer_delete(s->sb);
	buf_free(&s->word);
	free(s->memo);
	free(s);
}

/* Tells whether an apostrophe (' or ’) starts at text[at]. */
static bool apostrophe_at(const char *text, size_t ntext, size_t at)
{
	return (at < ntext && text[at] == '\'') ||
	       (at + 3 <= ntext && memcmp(text + at, "\xE2\x80\x99", 3) == 0);
}

/* Tells whether tok[0..n) is an elided word (« l' », « qu' »…). */
static bool elided(const char *tok, size_t n)
{
	static const char *const words[] = {"l", "d", "j", "m", "n", "s", "t", "c",
					    "qu", "jusqu", "lorsqu", "puisqu", "quoiqu"};
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strlen(words[i]) == n && memcmp(words[i], tok, n) == 0)
			return true;
	return false;
}

/* Appends s[0..n) to out with each Latin letter folded to ASCII (œ → oe,
 * é → e); other characters stay as they are. */
static void fold(struct buf *out, const char *s, size_t n)
{
	size_t ascii = 0;
	while (ascii < n && (unsigned char)s[ascii] < 0x80)
		ascii++;
	buf_append(out, s, ascii); /* most words: in one go */
	for (size_t i = ascii; i < n;) {
		unsigned cp;
		size_t len = text_utf8_next(s + i, n - i, &cp);
		const char *f = cp >= 0x80 ? text_fold(cp) : NULL;
		if (f)
			buf_puts(out, f);
		else
			buf_append(out, s + i, len);
		i += len;
	}
}

/* Gives back to an unaccented word the accent of the suffixes the French
 * stemmer needs it on (« accompagnees » → « accompagnées »), so that a word
 * typed without accents and its accented spelling share their stem. */
static void reaccent(struct buf *w)
{
	static const char *const suffixes[][2] = {
		{"ees", "ées"}, {"ee", "ée"}, {"ites", "ités"}, {"ite", "ité"},
		{"ieres", "ières"}, {"iere", "ière"},
	};
	for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		size_t n = strlen(suffixes[i][0]);
		if (w->len > n + 1 && memcmp(w->data + w->len - n, suffixes[i][0], n) == 0) {
			w->len -= n;
			buf_puts(w, suffixes[i][1]);
			return;
		}
	}
}

/* Tells whether cp is a pictograph or one of its modifiers (emoji, arrows,
 * dingbats, joiners), which is never a word. */
static bool pictograph(unsigned cp)
{
	return (cp >= 0x2190 && cp <= 0x2BFF) || (cp >= 0x1F000 && cp <= 0x1FAFF) ||
	       (cp >= 0xFE00 && cp <= 0xFE0F) || cp == 0x200D || (cp >= 0xE0000 && cp <= 0xE007F);
}

/* Tells whether tok[0..n) holds something other than pictographs. */
static bool wordlike(const char *tok, size_t n)
{
	for (size_t i = 0; i < n;) {
		unsigned cp;
		i += text_utf8_next(tok + i, n - i, &cp);
		if (!pictograph(cp))
			return true;
	}
	return false;
}

/* Returns the memo slot of word w[0..n). */
static struct memo_slot *memo_slot(struct search_stemmer *s, const char *w, size_t n)
{
	return &s->memo[text_hash(w, n) & (MEMO_SLOTS - 1)];
}

/* Replaces s->word by its stem, folded to ASCII: the Snowball stemmer is
 * a pure function and most of its time, so the stems of short words are
 * remembered (a slot per hash, the last word wins). */
static void stem_word(struct search_stemmer *s)
{
	if (!s->memo && !(s->memo = calloc(MEMO_SLOTS, sizeof(*s->memo))))
		abort();
	struct buf *w = &s->word;
	struct memo_slot *m = w->len < MEMO_WORD ? memo_slot(s, w->data, w->len) : NULL;
	if (m && m->nword == w->len && memcmp(m->word, w->data, w->len) == 0) {
		buf_reset(w);
		buf_append(w, m->stem, m->nstem);
		return;
	}
	const sb_symbol *stem = sb_stemmer_stem(s->sb, (const sb_symbol *)w->data, (int)w->len);
	if (!stem)
		return;
	if (m) /* the word, before it gives way to its stem */
		memcpy(m->word, w->data, w->len), m->nword = (unsigned char)w->len, m->nstem = 0;
	buf_reset(w);
	fold(w, (const char *)stem, (size_t)sb_stemmer_length(s->sb));
	if (m && w->len < MEMO_WORD)
		memcpy(m->stem, w->data, w->len), m->nstem = (unsigned char)w->len;
	else if (m)
		m->nword = 0; /* a stem too long to remember: the slot stays empty */
}

/* Returns the indexed term of one token, or NULL to drop it: ligatures
 * spelt out, suffix accents given back, stemmed, folded to ASCII again. */
const char *search_term(struct search_stemmer *s, const char *text, size_t ntext,
			const char *tok, size_t ntok, size_t end, bool prefix, size_t *n)
{
	if ((apostrophe_at(text, ntext, end) && elided(tok, ntok)) || !wordlike(tok, ntok))
		return NULL;
	buf_reset(&s->word);
	fold(&s->word, tok, ntok);
	if (!prefix && s->word.len <= SEARCH_STEM_MAX) {
		reaccent(&s->word);
		stem_word(s);
	}
	*n = s->word.len;
	return buf_str(&s->word);
}

/* Copies query into out as valid UTF-8 without control characters (each
 * becomes a space), at most SEARCH_MAX_QUERY bytes, cut between characters. */
static void clean_query(const char *query, struct buf *out)
{
	size_t n = strlen(query);
	for (size_t i = 0; i < n;) {
		unsigned cp;
		size_t len = text_utf8_next(query + i, n - i, &cp);
		if (out->len + len > SEARCH_MAX_QUERY)
			break;
		if (cp < 0x20 || cp == 0x7F || cp == 0xFFFD)
			buf_putc(out, ' ');
		else
			buf_append(out, query + i, len);
		i += len;
	}
}

/* One term of a query: a word or a phrase, maybe a prefix, maybe excluded. */
struct term {
	const char *s;
	size_t n;
	bool prefix, excluded;
};

/* Reads the term at s[*i..n) and moves *i past it; false at the end. */
static bool next_term(const char *s, size_t n, size_t *i, struct term *t)
{
	while (*i < n && s[*i] == ' ')
		++*i;
	if (*i >= n)
		return false;
	*t = (struct term){0};
	if (s[*i] == '-' && *i + 1 < n && s[*i + 1] != ' ') {
		t->excluded = true;
		++*i;
	}
	if (s[*i] == '"') { /* a phrase, to the next quote or the end */
		size_t start = ++*i;
		while (*i < n && s[*i] != '"')
			++*i;
		t->s = s + start, t->n = *i - start;
		if (*i < n)
			++*i;
		return true;
	}
	size_t start = *i;
	while (*i < n && s[*i] != ' ' && s[*i] != '"')
		++*i;
	t->s = s + start, t->n = *i - start;
	while (t->n && t->s[t->n - 1] == '*') {
		t->prefix = true;
		t->n--;
	}
	if (t->n < 2) /* a one-letter prefix would read the whole vocabulary */
		t->prefix = false;
	return true;
}

/* Appends term t as an FTS5 string ("…" with quotes doubled, then * for a
 * prefix). */
static void put_term(struct buf *out, const struct term *t)
{
	buf_putc(out, '"');
	for (size_t i = 0; i < t->n; i++) {
		if (t->s[i] == '"')
			buf_putc(out, '"');
		buf_putc(out, t->s[i]);
	}
	buf_putc(out, '"');
	if (t->prefix)
		buf_putc(out, '*');
}

/* The terms a snippet marks: the stems of the query's wanted words, and
 * which of them are prefixes (« accomp* »). */
struct highlight {
	char *terms[SEARCH_MAX_TERMS * 4];
	bool prefix[SEARCH_MAX_TERMS * 4];
	size_t n;
	struct search_stemmer *stemmer;
};

/* Where the tokens of one query term go: counted, and kept as terms to
 * mark when the term is wanted and a highlight is being made. */
struct term_sink {
	size_t count;
	struct highlight *h;
	struct buf *first; /* the first token, when asked */
};

/* The document frequencies of an expression's phrases (-1: unknown), in
 * their order: the wanted words, then the excluded ones, whose count no
 * match needs (none holds them): 0. */
struct phrase_df {
	long long docs[SEARCH_MAX_TERMS];
	int nwanted, nexcluded;
};

/* Takes one token of a query term (db_tokens callback). */
static void take_token(void *ctx, const char *tok, size_t n, size_t start, size_t end)
{
	(void)start, (void)end;
	struct term_sink *sink = ctx;
	struct highlight *h = sink->h;
	if (sink->first && !sink->count)
		buf_append(sink->first, tok, n);
	sink->count++;
	if (h && h->n < sizeof(h->terms) / sizeof(h->terms[0])) {
		h->prefix[h->n] = false;
		h->terms[h->n++] = text_dup(tok, n);
	}
}

/* Frees the terms. */
static void highlight_free(struct highlight *h)
{
	for (size_t i = 0; i < h->n; i++)
		free(h->terms[i]);
	search_stemmer_free(h->stemmer);
}

/* Notes the document frequency of a query term read into sink: that of
 * doc_term for a word of one term, unknown for a phrase or a prefix; an
 * excluded word is only counted. */
static void note_df(struct phrase_df *df, const struct term *t, const struct term_sink *sink)
{
	if (t->excluded)
		df->nexcluded++;
	else
		df->docs[df->nwanted++] =
			sink->count == 1 && !t->prefix
				? db_int(-1, "SELECT docs FROM doc_term WHERE term = ?", "t",
					 buf_str(sink->first))
				: -1;
}

/* Reads a user's query once: writes its FTS5 expression into out and, when
 * h is given, the terms its snippets mark (those of the wanted words), and
 * when df is, the document frequencies of its phrases. */
static void parse_query(const char *query, struct buf *out, struct highlight *h,
			struct phrase_df *df)
{
	struct buf clean = {0}, excluded = {0}, first = {0};
	clean_query(query ? query : "", &clean);
	struct term t;
	size_t i = 0;
	int terms = 0;
	buf_reset(out);
	while (terms < SEARCH_MAX_TERMS && next_term(clean.data, clean.len, &i, &t)) {
		buf_reset(&first);
		struct term_sink sink = {0, t.excluded ? NULL : h, df ? &first : NULL};
		size_t before = h ? h->n : 0;
		if (db_tokens(t.s, t.n, DB_TOKENS_QUERY, take_token, &sink) < 0 || !sink.count)
			continue; /* punctuation, emoji, a lone operator */
		terms++;
		if (df)
			note_df(df, &t, &sink);
		if (h && t.prefix && h->n > before)
			h->prefix[h->n - 1] = true;
		struct buf *to = t.excluded ? &excluded : out;
		if (to->len)
			buf_puts(to, t.excluded ? " NOT " : " AND ");
		put_term(to, &t);
	}
	if (out->len && excluded.len) { /* (a AND b) NOT c NOT d */
		buf_reset(&clean);
		buf_printf(&clean, "(%s) NOT %s", buf_str(out), buf_str(&excluded));
		buf_reset(out);
		buf_append(out, clean.data, clean.len);
	}
	for (int k = 0; df && k < df->nexcluded; k++)
		df->docs[df->nwanted + k] = 0;
	buf_free(&clean);
	buf_free(&excluded);
	buf_free(&first);
}

/* Writes the FTS5 expression of a user's query into out. */
void search_expression(const char *query, struct buf *out)
{
	parse_query(query, out, NULL, NULL);
}

/* Returns the code of a kind in the ids' bits (1 meeting, 2 body,
 * 3 organisation…), or 0 for none. */
static long long kind_code(const char *kind)
{
	for (size_t k = 0; kind && *kind && k < sizeof(kinds) / sizeof(kinds[0]); k++)
		if (strcmp(kind, kinds[k].kind) == 0)
			return (long long)k + 1;
	return 0;
}

/* Returns the French label of a kind, or NULL. */
const char *search_kind_label(const char *kind)
{
	long long code = kind_code(kind);
	return code ? kinds[code - 1].label : NULL;
}

/* Returns the kinds as a JSON array of {value, label}. */
json_t *search_kinds(void)
{
	json_t *a = json_array();
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		json_array_append_new(a, json_pack("{s:s, s:s}", "value", kinds[i].kind, "label",
						   kinds[i].label));
	return a;
}

/* Tells whether s is set (not NULL, not empty). */
static bool given(const char *s)
{
	return s && *s;
}

/* Fills sq's words and filters from the form. */
int search_prepare(struct search_query *sq, const struct search_form *f, struct buf *err)
{
	sq->q = f->q ? f->q : "";
	sq->kind = "";
	if (given(f->kind) && !search_kind_label(f->kind)) {
		buf_puts(err, "Type de document inconnu.");
		return -1;
	}
	if (given(f->kind))
		sq->kind = f->kind;
	/* a body the reader may not see is unknown to them, like one that is not */
	if (given(f->body) && (sq->body_id = db_int(0, "SELECT id FROM body WHERE slug = ? AND "
						     "(visibility <> 'internal' OR ? >= 2)", "ti",
						     f->body, (long long)sq->role)) == 0) {
		buf_puts(err, "Instance inconnue.");
		return -1;
	}
	if (given(f->territory) &&
	    (sq->territory_id = db_int(0, "SELECT id FROM territory WHERE slug = ?", "t",
				       f->territory)) == 0) {
		buf_puts(err, "Bureau d'accueil inconnu.");
		return -1;
	}
	if (given(f->commune) &&
	    (!text_is_digits(f->commune) || strlen(f->commune) > 6 ||
	     (sq->commune = db_int(0, "SELECT nis FROM commune WHERE nis = ?", "i",
				   atoll(f->commune))) == 0)) {
		buf_puts(err, "Commune inconnue (code INS attendu).");
		return -1;
	}
	if (given(f->year)) {
		if (strlen(f->year) != 4 || !text_is_digits(f->year)) {
			buf_puts(err, "L'année doit s'écrire avec quatre chiffres.");
			return -1;
		}
		snprintf(sq->from, sizeof(sq->from), "%s-01-01", f->year);
		snprintf(sq->to, sizeof(sq->to), "%s-12-31", f->year);
	}
	const char *dates[2] = {f->from, f->to};
	char *dst[2] = {sq->from, sq->to};
	for (int i = 0; i < 2; i++) {
		if (!given(dates[i]))
			continue;
		if (strlen(dates[i]) != 10 || !text_is_date(dates[i])) {
			buf_puts(err, "Les dates s'écrivent AAAA-MM-JJ (par exemple 2020-09-29).");
			return -1;
		}
		memcpy(dst[i], dates[i], 11);
	}
	return 0;
}

/* Turns FTS5's snippet (terms between \x02 and \x03) into escaped HTML with
 * the terms in <mark> (stray markers never unbalance the tags) and into
 * plain text; trailing blanks go. */
static void snippet_forms(const char *s, json_t *row)
{
	struct buf html = {0}, plain = {0};
	bool open = false;
	size_t n = s ? strlen(s) : 0, start = 0;
	while (n && (s[n - 1] == '\n' || s[n - 1] == ' '))
		n--;
	for (size_t i = 0; i <= n; i++) {
		if (i < n && s[i] != '\x02' && s[i] != '\x03')
			continue;
		html_escape_text(&html, s + start, i - start);
		buf_append(&plain, s + start, i - start);
		if (i < n && s[i] == '\x02' && !open)
			buf_puts(&html, "<mark>"), open = true;
		else if (i < n && s[i] == '\x03' && open)
			buf_puts(&html, "</mark>"), open = false;
		start = i + 1;
	}
	if (open)
		buf_puts(&html, "</mark>");
	json_object_set_new(row, "snippet", json_string(buf_str(&plain)));
	json_object_set_new(row, "snippet_html", json_string(buf_str(&html)));
	buf_free(&html);
	buf_free(&plain);
}

/* One token of a document: its bytes and whether the query wants it. */
struct spot {
	size_t start, end;
	bool hit;
};

/* The tokens of the document a snippet is cut from. */
struct spots {
	const struct highlight *h;
	const char *text;
	size_t len;
	struct spot *at;
	size_t n, cap;
};

/* Tells whether folded token tok[0..n) is one the query wants: a prefix's
 * beginning, or a term's stem (stemmed only when its first two letters
 * could give that stem). */
static bool wanted(const struct spots *s, const char *tok, size_t n, size_t end)
{
	const char *stem = NULL;
	size_t sn = 0;
	for (size_t k = 0; k < s->h->n; k++) {
		const char *term = s->h->terms[k];
		size_t tn = strlen(term);
		if (s->h->prefix[k]) {
			if (n >= tn && memcmp(tok, term, tn) == 0)
				return true;
			continue;
		}
		if (memcmp(tok, term, n < 2 || tn < 2 ? 1 : 2) != 0)
			continue;
		if (!stem && !(stem = search_term(s->h->stemmer, s->text, s->len, tok, n, end,
						  false, &sn)))
			return false;
		if (sn == tn && memcmp(stem, term, tn) == 0)
			return true;
	}
	return false;
}

/* Notes one token of the document (db_tokens callback). */
static void add_spot(void *ctx, const char *tok, size_t n, size_t start, size_t end)
{
	struct spots *s = ctx;
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 256;
		s->at = realloc(s->at, s->cap * sizeof(*s->at));
		if (!s->at)
			abort();
	}
	s->at[s->n++] = (struct spot){start, end, n && wanted(s, tok, n, end)};
}

#define SNIPPET_WORDS 30

/* Writes into out the passage of about 30 words of text holding the most
 * wanted terms, each between \x02 and \x03, with « … » where it is cut;
 * returns where in text the passage's first wanted term is. */
static size_t snippet(const struct highlight *h, const char *text, struct buf *out)
{
	struct spots s = {.h = h, .text = text ? text : "", .len = text ? strlen(text) : 0};
	db_tokens(s.text, s.len, DB_TOKENS_RAW, add_spot, &s);
	size_t best = 0, best_hits = 0, hits = 0;
	for (size_t i = 0; i < s.n; i++) { /* hits in the window ending at i */
		hits += s.at[i].hit;
		if (i >= SNIPPET_WORDS)
			hits -= s.at[i - SNIPPET_WORDS].hit;
		if (hits > best_hits) {
			best_hits = hits;
			best = i >= SNIPPET_WORDS ? i - SNIPPET_WORDS + 1 : 0;
		}
	}
	size_t to = best + SNIPPET_WORDS < s.n ? best + SNIPPET_WORDS : s.n, first = 0;
	for (size_t i = to; i > best; i--)
		if (s.at[i - 1].hit)
			first = s.at[i - 1].start;
	if (best > 0)
		buf_puts(out, "…");
	for (size_t i = best; i < to; i++) { /* from the text's start when the passage is */
		size_t gap = i > best ? s.at[i - 1].end : best ? s.at[i].start : 0;
		buf_append(out, s.text + gap, s.at[i].start - gap);
		if (s.at[i].hit)
			buf_putc(out, '\x02');
		buf_append(out, s.text + s.at[i].start, s.at[i].end - s.at[i].start);
		if (s.at[i].hit)
			buf_putc(out, '\x03');
	}
	if (to < s.n)
		buf_puts(out, "…");
	else if (s.n) /* and to its end */
		buf_append(out, s.text + s.at[s.n - 1].end, s.len - s.at[s.n - 1].end);
	free(s.at);
	return first;
}

/* Adds kind labels and French dates to the result rows. */
static void decorate(json_t *rows)
{
	size_t i;
	json_t *row;
	json_array_foreach(rows, i, row) {
		const char *kind = json_string_value(json_object_get(row, "kind"));
		json_object_set_new(row, "kind_label", json_string(search_kind_label(kind)));
		const char *date = json_string_value(json_object_get(row, "date"));
		if (date) {
			struct buf fr = {0};
			text_date_fr(&fr, date);
			json_object_set_new(row, "date_fr", json_string(buf_str(&fr)));
			buf_free(&fr);
		}
	}
}

/* Counts the tags (words other than AND and OR) of a tag condition. */
static int count_tags(const char *s)
{
	int n = 0;
	for (const char *p = s; *p;) {
		p += strspn(p, " ()");
		size_t len = strcspn(p, " ()");
		if (len && !(len == 3 && strncmp(p, "AND", 3) == 0) &&
		    !(len == 2 && strncmp(p, "OR", 2) == 0))
			n++;
		p += len;
	}
	return n;
}

/* Writes the tag condition of the query's filters and of the reader's
 * visibility rule (empty when there is none). */
static void filter_tags(const struct search_query *sq, struct buf *tags)
{
	if (sq->body_id)
		buf_printf(tags, "b%lld", sq->body_id);
	if (sq->commune)
		buf_printf(tags, "%sc%lld", tags->len ? " AND " : "", sq->commune);
	if (sq->territory_id)
		buf_printf(tags, "%st%lld", tags->len ? " AND " : "", sq->territory_id);
	struct buf rule = {0};
	if (auth_sees_fts(sq->role, sq->org_id, &rule))
		buf_printf(tags, "%s%s", tags->len ? " AND " : "", buf_str(&rule));
	buf_free(&rule);
}

/* Writes the full-text query of a search: the words on titles and texts,
 * then the tags. Returns how many tag phrases end it. */
static int full_query(const char *words, const char *tags, struct buf *out)
{
	buf_reset(out);
	buf_printf(out, "{title text} : (%s)", words);
	if (*tags)
		buf_printf(out, " AND tags : (%s)", tags);
	return count_tags(tags);
}

/* The rowid range of the query's dates (the day sits in the high bits of
 * a document's id; undated documents fall outside any range). */
static void date_range(const struct search_query *sq, long long *lo, long long *hi)
{
	*lo = *sq->from ? db_int(0, "SELECT (CAST(julianday(?) AS INTEGER) - 2340587) << 32", "t",
				 sq->from)
			: -(1LL << 62);
	*hi = *sq->to ? db_int(0, "SELECT ((CAST(julianday(?) AS INTEGER) - 2340587 + 1) << 32) - 1",
			       "t", sq->to)
		      : 1LL << 62;
}

/* Returns the facets (each kind found, with its count) from the counts by
 * kind code, and sets *total to the count of the chosen kind (code wanted),
 * or of all kinds. */
static json_t *facets(const long long *count, long long wanted, long long *total)
{
	json_t *out = json_array();
	*total = 0;
	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		long long n = count[k + 1];
		bool chosen = wanted == (long long)k + 1;
		if (!n)
			continue;
		if (!wanted || chosen)
			*total += n;
		json_array_append_new(out, json_pack("{s:s, s:s, s:I, s:b}", "kind", kinds[k].kind,
						     "label", kinds[k].label, "count", (json_int_t)n,
						     "chosen", chosen));
	}
	return out;
}

/* Returns the result rows of the given ids: the details and snippet of
 * each, and its body unless that is internal and the reader of role may
 * not see it. */
static json_t *page_rows(const long long *ids, size_t n, const struct highlight *h, int role)
{
	json_t *rows = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *row = db_row("SELECT d.kind, d.ref, d.title, d.url, d.date, b.name AS body, "
				     "b.slug AS body_slug, f.text AS text FROM doc d "
				     "JOIN doc_fts f ON f.rowid = d.id "
				     "LEFT JOIN body b ON b.id = d.body_id AND d.kind <> 'body' AND "
				     "(b.visibility <> 'internal' OR ? >= 2) WHERE d.id = ?", "ii",
				     (long long)role, ids[i]);
		if (!row)
			continue;
		if (strcmp(db_str(row, "kind"), "file") == 0) { /* the record it is attached to */
			json_t *r = db_row("SELECT title AS record, url AS record_url FROM file_scope "
					   "WHERE file_id = ?", "i", db_num(row, "ref"));
			if (r)
				json_object_update(row, r);
			json_decref(r);
		}
		json_object_del(row, "ref");
		struct buf marked = {0};
		const char *text = json_string_value(json_object_get(row, "text"));
		size_t at = snippet(h, text, &marked);
		long long page = 1; /* a PDF's pages are separated by form feeds */
		for (size_t k = 0; text && k < at && text[k]; k++)
			page += text[k] == '\f';
		if (page > 1 || (text && strchr(text, '\f')))
			json_object_set_new(row, "page", json_integer(page));
		for (char *p = marked.data; p && *p; p++)
			if (*p == '\f')
				*p = ' ';
		json_object_del(row, "text");
		snippet_forms(buf_str(&marked), row);
		buf_free(&marked);
		json_array_append_new(rows, row);
	}
	return rows;
}

/* Ranks the matches of the words and filters in one pass over the index
 * (maillage_rank: bm25 over the words, titles weighted, tags not read;
 * the newest first on a tie), counting them by kind on the way; returns
 * the page's rows and sets *f to the facets and *total. */
static json_t *ranked_page(const struct search_query *sq, const char *words,
			   const struct phrase_df *df, const struct highlight *h, long page,
			   json_t **f, long long *total)
{
	struct buf tags = {0}, q = {0};
	long long lo, hi;
	date_range(sq, &lo, &hi);
	filter_tags(sq, &tags);
	int ntags = full_query(words, buf_str(&tags), &q);
	struct db_rank r = {.match = buf_str(&q), .ntags = ntags, .lo = lo, .hi = hi,
			    .df = {df->nwanted + df->nexcluded, df->docs},
			    .keep = (size_t)page * SEARCH_PAGE, .kind = kind_code(sq->kind)};
	json_t *rows = NULL;
	if (db_rank(&r) == 0) {
		size_t first = (size_t)(page - 1) * SEARCH_PAGE;
		rows = page_rows(r.ids + first, r.n > first ? r.n - first : 0, h, sq->role);
		*f = facets(r.count, r.kind, total);
	}
	free(r.ids);
	buf_free(&q);
	buf_free(&tags);
	return rows;
}

/* Runs the query: results of the page, total and facets. */
json_t *search_run(const struct search_query *sq)
{
	struct buf expr = {0};
	struct highlight h = {0};
	struct phrase_df df = {0};
	parse_query(sq->q, &expr, &h, &df);
	long page = sq->page < 1 ? 1 : sq->page > SEARCH_PAGES ? SEARCH_PAGES : sq->page;
	json_t *out = json_pack("{s:s, s:b, s:I}", "expression", buf_str(&expr), "empty",
				expr.len == 0, "page", (json_int_t)page);
	if (!expr.len) {
		json_object_set_new(out, "total", json_integer(0));
		json_object_set_new(out, "results", json_array());
		json_object_set_new(out, "facets", json_array());
		buf_free(&expr);
		highlight_free(&h);
		return out;
	}
	long long total = 0;
	json_t *f = NULL;
	h.stemmer = search_stemmer_new();
	json_t *rows = ranked_page(sq, buf_str(&expr), &df, &h, page, &f, &total);
	buf_free(&expr);
	highlight_free(&h);
	if (!rows) {
		json_decref(out);
		return NULL;
	}
	decorate(rows);
	json_object_set_new(out, "total", json_integer(total));
	json_object_set_new(out, "results", rows);
	json_object_set_new(out, "facets", f);
	json_object_set_new(out, "more", json_boolean(page * SEARCH_PAGE < total));
	return out;
}

/* Each connection's temporary triggers note doc's changes in doc_pending
 * (with the text to index); search_flush carries them to doc_fts once
 * per transaction, before it commits (FTS5 would otherwise write a segment
 * for every statement of a long import). */
const char search_connection_sql[] =
	"CREATE TEMP TABLE IF NOT EXISTS doc_pending (seq INTEGER PRIMARY KEY, "
	"id INTEGER NOT NULL, gone INTEGER NOT NULL, title TEXT, text TEXT, tags TEXT);"
	"CREATE TEMP TRIGGER IF NOT EXISTS doc_fts_insert AFTER INSERT ON main.doc BEGIN "
	"INSERT INTO doc_pending (id, gone, title, text, tags) SELECT new.id, 0, new.title, s.text, "
	"s.tags FROM doc_source s WHERE s.kind = new.kind AND s.ref = new.ref; END;"
	"CREATE TEMP TRIGGER IF NOT EXISTS doc_fts_delete AFTER DELETE ON main.doc BEGIN "
	"INSERT INTO doc_pending (id, gone) VALUES (old.id, 1); END;";

/* The rows of doc_pending that enter doc_fts: the last text of each row
 * still in doc. */
#define PENDING_ENTERING                                                               \
	"seq IN (SELECT max(seq) FROM temp.doc_pending WHERE NOT gone GROUP BY id) " \
	"AND id IN (SELECT id FROM main.doc)"

/* Carries the pending changes to doc_fts: rows gone first, then those
 * entering; counts them in search_state. */
static const char flush_sql[] =
	"DELETE FROM doc_fts WHERE rowid IN (SELECT id FROM temp.doc_pending WHERE gone);"
	"INSERT INTO doc_fts (rowid, title, text, tags) SELECT id, title, text, tags "
	"FROM temp.doc_pending WHERE " PENDING_ENTERING ";"
	"UPDATE search_state SET fts_changes = fts_changes + (SELECT count(*) FROM temp.doc_pending);"
	"DELETE FROM temp.doc_pending;";

#define FTS5_TOKEN_MAX 32768 /* FTS5 keeps no more of a token than this */

/* A term and the documents gained (or lost) by it. */
struct term_count {
	char *term;
	size_t n;
	long long docs;
	unsigned long doc; /* the last document that counted it */
};

/* The document counts of terms while documents enter (sign 1) or leave
 * (sign -1) the index: open addressing over a power of two. */
struct term_counts {
	struct term_count *at;
	size_t cap, used;
	unsigned long doc; /* the document being read: a term counts once in it */
	int sign;
};

/* Doubles the table (or makes it). */
static void counts_grow(struct term_counts *tc)
{
	size_t cap = tc->cap ? 2 * tc->cap : 1024;
	struct term_count *at = calloc(cap, sizeof(*at));
	if (!at)
		abort();
	for (size_t i = 0; i < tc->cap; i++) {
		if (!tc->at[i].term)
			continue;
		size_t j = text_hash(tc->at[i].term, tc->at[i].n) & (cap - 1);
		while (at[j].term)
			j = (j + 1) & (cap - 1);
		at[j] = tc->at[i];
	}
	free(tc->at);
	tc->at = at;
	tc->cap = cap;
}

/* Counts one term of the current document (db_tokens callback), once. */
static void count_term(void *ctx, const char *tok, size_t n, size_t start, size_t end)
{
	(void)start, (void)end;
	struct term_counts *tc = ctx;
	if (n > FTS5_TOKEN_MAX)
		n = FTS5_TOKEN_MAX;
	if (2 * (tc->used + 1) > tc->cap)
		counts_grow(tc);
	size_t i = text_hash(tok, n) & (tc->cap - 1);
	while (tc->at[i].term && (tc->at[i].n != n || memcmp(tc->at[i].term, tok, n) != 0))
		i = (i + 1) & (tc->cap - 1);
	struct term_count *e = &tc->at[i];
	if (!e->term) {
		*e = (struct term_count){text_dup(tok, n), n, 0, 0};
		tc->used++;
	}
	if (e->doc != tc->doc) {
		e->docs += tc->sign;
		e->doc = tc->doc;
	}
}

/* Counts the terms of one document: its title and text (db_each row). */
static void count_document(void *ctx, int ncol, const char *const *col, const size_t *len)
{
	struct term_counts *tc = ctx;
	tc->doc++;
	for (int i = 0; i < ncol && i < 2; i++)
		if (col[i])
			db_tokens(col[i], len[i], DB_TOKENS_DOCUMENT, count_term, tc);
}

/* Counts the terms of the documents (title, text) that sql selects, each
 * with sign; 0 or -1. */
static int count_documents(struct term_counts *tc, int sign, const char *sql)
{
	tc->sign = sign;
	return db_each(count_document, tc, sql, NULL);
}

/* Frees the counts. */
static void counts_free(struct term_counts *tc)
{
	for (size_t i = 0; i < tc->cap; i++)
		free(tc->at[i].term);
	free(tc->at);
}

/* Adds the counts to doc_term, dropping the terms no document holds any
 * more; 0 or -1. */
static int counts_store(const struct term_counts *tc)
{
	for (size_t i = 0; i < tc->cap; i++) {
		const struct term_count *e = &tc->at[i];
		if (!e->term || !e->docs)
			continue;
		if (db_exec("INSERT INTO doc_term (term, docs) VALUES (?, ?) ON CONFLICT (term) "
			    "DO UPDATE SET docs = docs + excluded.docs", "ti", e->term, e->docs) < 0 ||
		    (e->docs < 0 &&
		     db_exec("DELETE FROM doc_term WHERE term = ? AND docs <= 0", "t", e->term) < 0))
			return -1;
	}
	return 0;
}

/* Carries the pending changes to doc_fts and the counts of their terms to
 * doc_term, reading each document's terms as FTS5 does; 0 or -1. */
int search_flush(void)
{
	struct term_counts tc = {0};
	int rc = count_documents(&tc, -1, "SELECT title, text FROM doc_fts WHERE rowid IN "
				 "(SELECT id FROM temp.doc_pending WHERE gone)");
	if (rc == 0)
		rc = count_documents(&tc, 1, "SELECT title, text FROM temp.doc_pending WHERE "
				     PENDING_ENTERING);
	if (rc == 0)
		rc = db_script(flush_sql);
	if (rc == 0)
		rc = counts_store(&tc);
	counts_free(&tc);
	return rc;
}

/* Counts the terms of every document of doc_fts into doc_term, emptied
 * first; 0 or -1. */
static int recount_terms(void)
{
	struct term_counts tc = {0};
	int rc = db_exec("DELETE FROM doc_term", NULL) < 0 ? -1
		 : count_documents(&tc, 1, "SELECT title, text FROM doc_fts");
	if (rc == 0)
		rc = counts_store(&tc);
	counts_free(&tc);
	return rc;
}

/* Returns how many terms doc_term counts wrongly, or lacks, or keeps for
 * nothing, after counting every document of doc_fts again; -1 on error. */
static long long terms_astray(void)
{
	struct term_counts tc = {0};
	long long astray = -1, found = 0;
	if (count_documents(&tc, 1, "SELECT title, text FROM doc_fts") == 0) {
		astray = 0;
		for (size_t i = 0; i < tc.cap; i++) {
			if (!tc.at[i].term)
				continue;
			long long docs = db_int(0, "SELECT docs FROM doc_term WHERE term = ?", "t",
						tc.at[i].term);
			found += docs > 0;
			astray += docs != tc.at[i].docs;
		}
		astray += db_int(0, "SELECT count(*) FROM doc_term", NULL) - found;
	}
	counts_free(&tc);
	return astray;
}

/* Rebuilds the index from the data, in one transaction; 0 or -1. The
 * connection's triggers are set aside: one rebuild replaces their work. */
int search_reindex(void)
{
	if (db_begin() < 0)
		return -1;
	if (db_exec("DROP TRIGGER IF EXISTS temp.doc_fts_insert", NULL) < 0 ||
	    db_exec("DROP TRIGGER IF EXISTS temp.doc_fts_delete", NULL) < 0 ||
	    db_exec("DELETE FROM temp.doc_pending", NULL) < 0 ||
	    db_exec("DELETE FROM doc", NULL) < 0 || db_exec("DELETE FROM doc_fts", NULL) < 0 ||
	    db_exec("INSERT INTO doc (id, kind, ref, title, url, body_id, commune_nis, date, "
		    "visibility) SELECT id, kind, ref, title, url, body_id, commune_nis, date, "
		    "visibility FROM doc_source", NULL) < 0 ||
	    db_exec("INSERT INTO doc_fts (rowid, title, text, tags) SELECT id, title, text, tags "
		    "FROM doc_source", NULL) < 0 ||
	    recount_terms() < 0 ||
	    db_exec("UPDATE search_state SET fts_changes = doc_changes", NULL) < 0 ||
	    db_script(search_connection_sql) < 0 || db_commit() < 0) {
		db_rollback();
		db_script(search_connection_sql); /* the rollback brought them back, or this does */
		return -1;
	}
	return search_compact();
}

/* Merges the full-text index into one segment (FTS5's optimize): a bulk
 * write leaves it in a dozen large segments, which every search then
 * reads side by side (a third of its time at 100,000 meetings). The few
 * small segments of day-to-day edits cost little and are left to FTS5's
 * own merging. 0 or -1 (the index stays right, only slower). */
int search_compact(void)
{
	return db_exec("INSERT INTO doc_fts (doc_fts) VALUES ('optimize')", NULL) < 0 ? -1 : 0;
}

/* Tells whether doc changed without doc_fts (another tool wrote to the
 * data): the index then needs search_reindex. */
bool search_stale(void)
{
	return db_int(0, "SELECT doc_changes <> fts_changes FROM search_state", NULL) != 0;
}

/* Appends a line per difference between the index and the data. */
int search_check(struct buf *problems)
{
	if (search_stale()) {
		buf_puts(problems, "index de recherche : des données ont changé sans lui (outil "
				   "extérieur) ; le serveur le reconstruit au démarrage, ou "
				   "« maillage reindex »\n");
		return 1;
	}
	long long missing = db_int(-1, "SELECT count(*) FROM (SELECT * FROM doc_source EXCEPT "
				   "SELECT d.id, d.kind, d.ref, f.title, f.text, d.url, d.body_id, "
				   "d.commune_nis, d.date, d.visibility, f.tags FROM doc d "
				   "JOIN doc_fts f ON f.rowid = d.id)", NULL);
	long long extra = db_int(-1, "SELECT (SELECT count(*) FROM (SELECT d.id, d.kind, d.ref, "
				 "f.title, f.text, d.url, d.body_id, d.commune_nis, d.date, "
				 "d.visibility, f.tags FROM doc d LEFT JOIN doc_fts f ON f.rowid = d.id "
				 "EXCEPT SELECT * FROM doc_source)) + (SELECT count(*) FROM doc_fts "
				 "WHERE rowid NOT IN (SELECT id FROM doc))", NULL);
	bool broken = db_exec("INSERT INTO doc_fts(doc_fts) VALUES ('integrity-check')", NULL) < 0;
	long long astray = terms_astray();
	if (missing)
		buf_printf(problems, "index de recherche : %lld document(s) absent(s) ou périmé(s)\n",
			   missing);
	if (extra)
		buf_printf(problems, "index de recherche : %lld document(s) en trop\n", extra);
	if (broken)
		buf_puts(problems, "index de recherche : l'index plein texte est abîmé\n");
	if (astray)
		buf_printf(problems, "index de recherche : %lld mot(s) au décompte de documents "
			   "faux\n", astray);
	int found = (missing != 0) + (extra != 0) + broken + (astray != 0);
	if (found)
		buf_puts(problems, "  (« maillage reindex » reconstruit l'index)\n");
	return found;
}

/* The filter of a new tokenizer, for db.c. */
static void *filter_new(void)
{
	return search_stemmer_new();
}

/* Frees a tokenizer's filter, for db.c. */
static void filter_free(void *filter)
{
	search_stemmer_free(filter);
}

/* The term of a token, for db.c's tokenizer. */
static const char *term_of(void *filter, const char *text, size_t ntext, const char *tok,
			   size_t ntok, size_t end, bool prefix, size_t *n)
{
	return search_term(filter, text, ntext, tok, ntok, end, prefix, n);
}

/* Gives db.c the index's hooks. */
void search_install(void)
{
	static const struct db_index hooks = {filter_new, filter_free, term_of,
					      search_connection_sql, search_flush};
	db_set_index(&hooks);
}

/* Installs the hooks as the program starts, before any database is opened
 * (db_open refuses to open one without them). */
__attribute__((constructor)) static void install_at_start(void)
{
	search_install();
}
