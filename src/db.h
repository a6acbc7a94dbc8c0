/* db.h — the database: one SQLite connection per thread, numbered
 * migrations, cached statements and small typed query helpers.
 * Query helpers take a bind format: one letter per '?' parameter,
 * 'i' for a long long, 't' for a C string (NULL binds NULL), 'b' for bytes
 * (two arguments: a pointer, then a size_t length). Their SQL
 * should be a string literal: statements are cached by its address. */
#ifndef MAILLAGE_DB_H
#define MAILLAGE_DB_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

/* What the full-text index needs of every connection and transaction,
 * given by the search module (db.c knows no more of it than this): the
 * filter behind the index's French tokenizer (a filter per tokenizer, and
 * the term of each token, NULL to drop it), the statements that prepare a
 * new connection, and the flush that carries a transaction's noted changes
 * into the index just before it commits. */
struct db_index {
	void *(*filter_new)(void);
	void (*filter_free)(void *filter);
	const char *(*term)(void *filter, const char *text, size_t ntext, const char *tok,
			    size_t ntok, size_t end, bool prefix, size_t *n);
	const char *connection_sql;
	int (*flush)(void);
};
/* Installs the index's hooks (before db_open; search.c does it as the
 * program starts). */
void db_set_index(const struct db_index *index);

/* Sets the database path for every thread, creates the file when create is
 * set (refused otherwise when missing) and applies pending migrations;
 * returns 0, or -1 with a French message in err. */
int db_open(const char *path, bool create, struct buf *err);
/* Closes the calling thread's connection (others close at thread exit). */
void db_close(void);
/* Returns the schema version (PRAGMA user_version), or -1. */
int db_schema_version(void);
/* Returns the highest migration compiled into this binary. */
int db_latest_version(void);

/* Returns the string in column key of a row of db_row or db_rows (or of
 * any JSON object of named fields, such as a form's), or NULL when there is
 * no such string. */
const char *db_str(const json_t *row, const char *key);
/* Returns the integer in column key of a row, or 0. */
long long db_num(const json_t *row, const char *key);

/* The current UTC time as Maillage stores it (ISO 8601 to the second, with
 * Z), as an SQL expression; and shifted by modifier, itself SQL ('+1 day',
 * or ? for a bound one). */
#define DB_NOW "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"
#define DB_NOW_SHIFTED(modifier) "strftime('%Y-%m-%dT%H:%M:%SZ', 'now', " modifier ")"

/* Runs a statement that returns no rows; returns the changed rows or -1. */
int db_exec(const char *sql, const char *fmt, ...);
/* Runs a script of statements without parameters; 0 or -1. */
int db_script(const char *sql);
/* Returns the first column of the first row as an integer, or dflt. */
long long db_int(long long dflt, const char *sql, const char *fmt, ...);
/* Appends to out the bytes of the first column of the first row; returns
 * 1, 0 when there is no row, or -1. */
int db_blob(struct buf *out, const char *sql, const char *fmt, ...);
/* Returns the first row as a JSON object (new reference), or NULL. */
json_t *db_row(const char *sql, const char *fmt, ...);
/* Returns every row as a JSON array of objects (new reference), or NULL on error. */
json_t *db_rows(const char *sql, const char *fmt, ...);
/* Leaves the checkpoint that this thread's next commit would run (it
 * writes much: a document) to db_checkpoint, so that the request that made
 * it does not wait for it. */
void db_checkpoint_later(void);
/* Runs the checkpoint a commit left for later, if any (the file worker
 * calls it as it wakes). */
void db_checkpoint(void);
/* Returns the rowid of the last insert on this thread's connection. */
long long db_last_id(void);
/* Tells whether the last failure on this thread was a constraint violation. */
bool db_constraint_failed(void);
/* Tells whether the last failure on this thread was a full disk. */
bool db_disk_full(void);
/* Returns a number that grows with every commit to the database (from this
 * process or another): what was read under one value may be stale under
 * the next. */
long long db_generation(void);
/* Tells whether a statement failed on this thread since db_clear_error for
 * another reason than a constraint (a missing table, a lock held past the
 * timeout, an I/O error…): what was read then cannot be trusted. */
bool db_failed(void);
/* Forgets the last failure on this thread (each request starts clean). */
void db_clear_error(void);

/* Starts a write transaction (BEGIN IMMEDIATE), or a savepoint when one is
 * already open, so that helpers compose; 0 or -1. After a successful
 * db_begin, every failure calls db_rollback exactly once. */
int db_begin(void);
/* Commits the transaction or releases the savepoint; 0, or -1 with it still
 * open for the caller's db_rollback. */
int db_commit(void);
/* Rolls back the innermost db_begin, if one is open. */
void db_rollback(void);

/* How db_tokens reads a text: as a document, as a query, or raw (each
 * token folded but not stemmed, as for placing a snippet). */
enum db_tokens_mode { DB_TOKENS_DOCUMENT, DB_TOKENS_QUERY, DB_TOKENS_RAW };

/* Runs the search index's tokenizer over text[0..n), calling cb with each
 * term and the bytes [start, end) it comes from; 0 or -1. */
int db_tokens(const char *text, size_t n, enum db_tokens_mode mode,
	      void (*cb)(void *ctx, const char *tok, size_t n, size_t start, size_t end),
	      void *ctx);

/* Runs a query and calls row with each row's columns as text (NULL for a
 * NULL) and their lengths (at most 8 columns), without gathering the rows;
 * 0 or -1. */
int db_each(void (*row)(void *ctx, int ncol, const char *const *col, const size_t *len),
	    void *ctx, const char *sql, const char *fmt, ...);

/* The document frequencies of an expression's first phrases, as far as
 * they are known (-1: unknown, counted by FTS5). */
struct db_df {
	int n;
	const long long *docs;
};

/* A ranking pass over the search index (db_rank): the matches of an
 * expression on doc_fts, ranked by maillage_rank, newest first on a tie. */
struct db_rank {
	const char *match; /* the FTS5 expression */
	int ntags;	   /* the phrases at its end that only filter */
	struct db_df df;   /* the known document frequencies of its words */
	long long lo, hi;  /* the range of the ids */
	size_t keep;	   /* how many of the best to keep */
	long long kind;	   /* only those of this kind code (bits 28-31 of an id), or 0 */
	long long count[16]; /* out: the matches of each kind code, whatever r->kind */
	long long *ids;	     /* out: the best ids, best first (free it) */
	size_t n;	     /* out: how many */
};

/* Reads every match of r->match in one pass, counts them by kind and
 * keeps the r->keep best of r->kind, best first; 0 or -1. On an index of
 * 20,000 documents or more, a second thread ranks half of the ids. */
int db_rank(struct db_rank *r);
/* Sets from how many documents in the index db_rank uses a second thread,
 * 0 for the default (for the tests, which check that both ways agree). */
void db_rank_split(size_t min_documents);
/* Sets a function that a split db_rank calls between its two halves, which
 * then run one after the other (for the tests: a commit landing between
 * the two snapshots); NULL for none. */
void db_rank_between(void (*fn)(void));

/* Runs PRAGMA integrity_check and foreign_key_check; appends what is wrong
 * to problems (French, one line each) and returns how many problems. */
int db_check(struct buf *problems);

/* Copies the open database into a new file path (written aside, then
 * renamed), a consistent snapshot while other connections write, and
 * checks the copy; 0 or -1 with a French message in err. */
int db_backup(const char *path, struct buf *err);
/* Replaces the open database with the copy in path, after checking that
 * it is intact and of a schema this release knows; 0, or -1 with err set
 * and nothing changed. */
int db_restore(const char *path, struct buf *err);

/* Records an audit line: who (0 for the system), action, object, before/after. */
int db_audit(long long user_id, const char *action, const char *object, long long object_id,
	     const char *before, const char *after);

#endif
