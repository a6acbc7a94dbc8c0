/* search.h — the search: the French token filter behind the index's
 * tokenizer, user queries made safe for FTS5, results with their facets
 * and snippets, and the index's check and rebuild. */
#ifndef MAILLAGE_SEARCH_H
#define MAILLAGE_SEARCH_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

#define SEARCH_PAGE 20        /* results per page */
#define SEARCH_PAGES 100000   /* the last page shown */
#define SEARCH_MAX_TERMS 32   /* words of a query beyond these are ignored */
#define SEARCH_MAX_QUERY 1000 /* bytes of a query beyond these are ignored */

/* The French filter of one tokenizer: stems, folds ligatures, drops elided
 * articles. Not shared between threads. */
struct search_stemmer;

/* Returns a new filter (aborts when out of memory). */
struct search_stemmer *search_stemmer_new(void);
/* Frees the filter (NULL does nothing). */
void search_stemmer_free(struct search_stemmer *s);
/* Returns the indexed term for token tok[0..ntok) (lower case, diacritics
 * removed) that ends at byte end of text[0..ntext), setting *n; NULL drops
 * it (the « l » of « l'intégration »). A prefix is not stemmed. The result
 * lives until the next call. */
const char *search_term(struct search_stemmer *s, const char *text, size_t ntext,
			const char *tok, size_t ntok, size_t end, bool prefix, size_t *n);

/* Writes into out the FTS5 expression of a user's query: words ANDed,
 * "phrases", -exclusions, prefix*; everything else quoted as text. Leaves
 * out empty when the query has nothing to look for. */
void search_expression(const char *query, struct buf *out);

/* What a search asks: the words and the filters (0 or "" when unused). */
struct search_query {
	const char *q;
	const char *kind;      /* "meeting", "body", "organisation"… */
	long long body_id;
	long long commune;     /* NIS code */
	long long territory_id;
	char from[11], to[11]; /* YYYY-MM-DD, inclusive */
	long page;             /* from 1 */
	int role;              /* the reader's role and organisation */
	long long org_id;
};

/* The filters as a person gives them (NULL or "" when unused): body and
 * territory by slug, commune by NIS code, year or dates YYYY-MM-DD. */
struct search_form {
	const char *q, *kind, *body, *commune, *territory, *year, *from, *to;
};

/* Fills sq's words and filters from the form (sq->role set first); 0, or
 * -1 with a French message in err when a filter names nothing known, or
 * a body the reader may not see (answered the same way). */
int search_prepare(struct search_query *sq, const struct search_form *f, struct buf *err);

/* Runs the query; returns {"total", "results": [{kind, kind_label, title,
 * url, date, body, snippet, snippet_html}], "facets": [{kind, label, count}]}, or
 * NULL on a database error. */
json_t *search_run(const struct search_query *sq);
/* Returns the French label of a kind ("réunion"…), or NULL. */
const char *search_kind_label(const char *kind);
/* Returns the kinds as a JSON array of {value, label}. */
json_t *search_kinds(void);

/* The SQL each connection runs once open: the temporary triggers that note
 * the changes of doc for the full-text index. */
extern const char search_connection_sql[];
/* Carries the noted changes to the full-text index and to the document
 * counts of its terms; run by db.c before each commit (and after each
 * write outside a transaction); 0 or -1. */
int search_flush(void);
/* Gives db.c the index's hooks (tokenizer filter, connection statements,
 * flush); done as the program starts. */
void search_install(void);
/* Rebuilds the index from the data, then compacts it; 0 or -1. */
int search_reindex(void);
/* Merges the full-text index into one segment, for the searches after a
 * bulk write; 0 or -1. */
int search_compact(void);
/* Tells whether the data changed without the full-text index (written by
 * another tool), which then needs search_reindex. */
bool search_stale(void);
/* Appends to problems a French line for each difference between the index
 * and the data; returns how many. */
int search_check(struct buf *problems);

#endif
