/* db.c — the only file that includes sqlite3.h: per-thread connections,
 * migrations compiled from src/schema/, cached statements, query helpers. */
#include "db.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "mem.h"
#include "text.h"

#define DB_CACHE 256 /* cached statements per connection */

/* Generated from src/schema/NNN_*.sql: db_schema_sql[i] is version i + 1. */
extern const char *const db_schema_sql[];
extern const int db_schema_count;

struct cached {
	const char *sql; /* the literal's address is the key */
	sqlite3_stmt *st;
};

/* What the open transaction changed in the search index, for the document
 * lengths kept in memory (lengths_apply, once it is committed). */
struct lengths_delta {
	long long before, after; /* search_state.fts_changes around the flush; -1: none */
	size_t n;
	long long *ids; /* ascending */
	int *len;       /* -1: the document left the index */
};

struct conn {
	sqlite3 *db;
	fts5_api *fts;           /* to reach the French tokenizer */
	Fts5Tokenizer *tokenizer; /* db_tokens' own, made on first use */
	struct cached cache[DB_CACHE];
	int last_err;
	bool failed; /* a statement failed (not for a constraint) since db_clear_error */
	int depth; /* open db_begin levels: the first a transaction, others savepoints */
	long long data_version; /* PRAGMA data_version when db_generation last looked */
	struct lengths_delta delta; /* of the transaction being committed */
	int epoch; /* db_open's count when it was opened: another database after */
};

static char *db_path;
static atomic_int epoch; /* grows at each db_open: older connections close */
static atomic_llong generation; /* see db_generation */
static pthread_key_t conn_key;
static pthread_once_t key_once = PTHREAD_ONCE_INIT;

static const struct db_index *index_hooks; /* see db_set_index */

/* Installs the full-text index's hooks. */
void db_set_index(const struct db_index *index)
{
	index_hooks = index;
}

/* The French tokenizer of the search index: FTS5's unicode61 with
 * diacritics removed, each token then filtered by the index's term. */
struct fr_tokenizer {
	fts5_tokenizer inner_api;
	Fts5Tokenizer *inner;
	void *filter;
};

/* One xTokenize call being filtered. */
struct fr_call {
	struct fr_tokenizer *t;
	void *ctx;
	int (*emit)(void *, int, const char *, int, int, int);
	const char *text;
	int ntext;
	bool prefix;
};

/* unicode61's token callback: passes on the filtered term, if any. */
static int fr_token(void *p, int tflags, const char *tok, int ntok, int start, int end)
{
	struct fr_call *c = p;
	size_t n;
	const char *term = index_hooks->term(c->t->filter, c->text, (size_t)c->ntext, tok,
					     (size_t)ntok, (size_t)end, c->prefix, &n);
	return term ? c->emit(c->ctx, tflags, term, (int)n, start, end) : SQLITE_OK;
}

/* FTS5 xCreate: a unicode61 without diacritics and a stemmer. */
static int fr_create(void *api, const char **args, int nargs, Fts5Tokenizer **out)
{
	(void)args, (void)nargs;
	fts5_api *fts = api;
	static const char *options[] = {"remove_diacritics", "2"};
	struct fr_tokenizer *t = calloc(1, sizeof(*t));
	void *ud = NULL;
	if (!t)
		return SQLITE_NOMEM;
	int rc = fts->xFindTokenizer(fts, "unicode61", &ud, &t->inner_api);
	if (rc == SQLITE_OK)
		rc = t->inner_api.xCreate(ud, options, 2, &t->inner);
	if (rc != SQLITE_OK) {
		free(t);
		return rc;
	}
	t->filter = index_hooks->filter_new();
	*out = (Fts5Tokenizer *)t;
	return SQLITE_OK;
}

/* FTS5 xDelete. */
static void fr_delete(Fts5Tokenizer *p)
{
	struct fr_tokenizer *t = (struct fr_tokenizer *)p;
	t->inner_api.xDelete(t->inner);
	index_hooks->filter_free(t->filter);
	free(t);
}

/* FTS5 xTokenize: unicode61's tokens, filtered. */
static int fr_tokenize(Fts5Tokenizer *p, void *ctx, int flags, const char *text, int ntext,
		       int (*emit)(void *, int, const char *, int, int, int))
{
	struct fr_tokenizer *t = (struct fr_tokenizer *)p;
	/* a prefix is not stemmed; nor is a document tokenized for a snippet,
	 * whose tokens only count positions */
	bool raw = flags & (FTS5_TOKENIZE_PREFIX | FTS5_TOKENIZE_AUX);
	struct fr_call c = {t, ctx, emit, text, ntext, raw};
	return t->inner_api.xTokenize(t->inner, &c, flags, text, ntext, fr_token);
}

/* What maillage_rank computes once per query: the IDF of each word
 * phrase and the average length of a document. */
struct rank_data {
	int nphrase;
	double avgdl;
	sqlite3_blob *sizes; /* on doc_fts_docsize, moved from match to match */
	size_t at;           /* where the last match was found in the lengths */
	double idf[];
};

/* The token count of every document of doc_fts, all columns together, as
 * of one state of the index: a search needs it for each of its thousands
 * of matches, which costs a B-tree search each (2,400 instructions through
 * a blob handle) and nothing from memory. Ids ascending, lengths beside;
 * shared by the threads, freed when the last search using it is done. */
struct doc_lengths {
	long long stamp; /* search_state.fts_changes when read: grows with each change */
	size_t n;
	long long *ids;
	int *len;
	int refs; /* searches using it, and one while it is the latest */
};

static struct doc_lengths *latest_lengths; /* under lengths_lock */
static pthread_mutex_t lengths_lock = PTHREAD_MUTEX_INITIALIZER;

/* Frees one reference to l, and l with the last. */
static void lengths_release(struct doc_lengths *l)
{
	if (!l)
		return;
	pthread_mutex_lock(&lengths_lock);
	bool last = --l->refs == 0;
	pthread_mutex_unlock(&lengths_lock);
	if (last) {
		free(l->ids);
		free(l->len);
		free(l);
	}
}

/* Makes l (one reference given) the latest lengths, dropping the former. */
static void lengths_publish(struct doc_lengths *l)
{
	pthread_mutex_lock(&lengths_lock);
	struct doc_lengths *old = latest_lengths;
	latest_lengths = l;
	pthread_mutex_unlock(&lengths_lock);
	lengths_release(old);
}

/* Returns l with the changes of d: documents gone dropped, documents
 * entering (or changed) given their new length; one reference, stamped
 * with d's stamp after. */
static struct doc_lengths *lengths_merge(const struct doc_lengths *l, const struct lengths_delta *d)
{
	struct doc_lengths *m = calloc(1, sizeof(*m));
	if (!m || !(m->ids = malloc((l->n + d->n + 1) * sizeof(*m->ids))) ||
	    !(m->len = malloc((l->n + d->n + 1) * sizeof(*m->len))))
		abort();
	size_t i = 0, j = 0;
	while (i < l->n || j < d->n) {
		bool from_delta = j < d->n && (i == l->n || d->ids[j] <= l->ids[i]);
		if (from_delta && i < l->n && d->ids[j] == l->ids[i])
			i++; /* the delta's entry replaces the former */
		long long id = from_delta ? d->ids[j] : l->ids[i];
		int len = from_delta ? d->len[j++] : l->len[i++];
		if (len >= 0)
			m->ids[m->n] = id, m->len[m->n++] = len;
	}
	m->stamp = d->after;
	m->refs = 1;
	return m;
}

/* Carries a committed delta to the latest lengths, when they are those
 * it started from (otherwise the next search reads them all again). */
static void lengths_apply(const struct lengths_delta *d)
{
	if (d->before < 0 || d->after < 0)
		return;
	pthread_mutex_lock(&lengths_lock);
	struct doc_lengths *l = latest_lengths;
	bool base = l && l->stamp == d->before;
	if (base)
		l->refs++;
	pthread_mutex_unlock(&lengths_lock);
	if (!base)
		return;
	struct doc_lengths *m = lengths_merge(l, d);
	pthread_mutex_lock(&lengths_lock);
	bool still = latest_lengths == l;
	if (still)
		latest_lengths = m;
	pthread_mutex_unlock(&lengths_lock);
	lengths_release(still ? l : m); /* the latest's former reference, or the merge */
	lengths_release(l);                /* ours */
}

/* What db_rank hands maillage_rank through its last argument. */
struct rank_args {
	const struct db_df *df;
	const struct doc_lengths *lengths; /* NULL: each length read from the table */
};

/* Frees the per-query data of maillage_rank (FTS5 auxdata destructor). */
static void rank_data_free(void *p)
{
	struct rank_data *d = p;
	sqlite3_blob_close(d->sizes);
	sqlite3_free(d);
}

/* Counts the rows of a phrase (xQueryPhrase callback). */
static int count_row(const Fts5ExtensionApi *api, Fts5Context *fts, void *p)
{
	(void)api, (void)fts;
	++*(sqlite3_int64 *)p;
	return SQLITE_OK;
}

/* Returns (making it on the first row) the per-query data of maillage_rank;
 * the document frequencies known to the caller (df, NULL for none) spare
 * FTS5 counting those phrases' rows. */
static struct rank_data *rank_data(const Fts5ExtensionApi *api, Fts5Context *fts, int ntags,
				   const struct db_df *df)
{
	struct rank_data *d = api->xGetAuxdata(fts, 0);
	if (d)
		return d;
	int np = api->xPhraseCount(fts) - ntags;
	np = np > 0 ? np : 0;
	d = sqlite3_malloc64(sizeof(*d) + (size_t)np * sizeof(double));
	if (!d)
		return NULL;
	sqlite3_int64 rows = 0, tokens = 0;
	api->xRowCount(fts, &rows);
	api->xColumnTotalSize(fts, -1, &tokens);
	d->nphrase = np;
	d->avgdl = rows ? (double)tokens / (double)rows : 1.0;
	d->sizes = NULL;
	d->at = 0;
	for (int i = 0; i < np; i++) {
		sqlite3_int64 hits = 0;
		if (df && i < df->n && df->docs[i] >= 0)
			hits = df->docs[i];
		else
			api->xQueryPhrase(fts, i, &hits, count_row);
		double idf = log(((double)rows - (double)hits + 0.5) / ((double)hits + 0.5));
		d->idf[i] = idf > 1e-6 ? idf : 1e-6;
	}
	if (api->xSetAuxdata(fts, d, rank_data_free) != SQLITE_OK)
		return NULL;
	return d;
}

/* Decodes the SQLite varints of sz[0..n) (one per column) and returns
 * their sum, at most INT_MAX. */
static int sum_varints(const unsigned char *sz, int n)
{
	long long total = 0, v = 0;
	for (int i = 0; i < n; i++) {
		v = (v << 7) | (sz[i] & 0x7f);
		if (!(sz[i] & 0x80))
			total += v, v = 0;
	}
	return total > INT_MAX ? INT_MAX : (int)total;
}

/* Finds id in l from d->at on (the matches come in ascending order: a
 * galloping search); true with *length set when it is there. */
static bool known_length(const struct doc_lengths *l, struct rank_data *d, long long id,
			 int *length)
{
	size_t lo = d->at < l->n && l->ids[d->at] <= id ? d->at : 0, step = 1;
	while (lo + step < l->n && l->ids[lo + step] <= id)
		lo += step, step *= 2;
	size_t hi = lo + step < l->n ? lo + step : l->n;
	while (lo + 1 < hi) { /* l->ids[lo] <= id < l->ids[hi] */
		size_t mid = lo + (hi - lo) / 2;
		if (l->ids[mid] <= id)
			lo = mid;
		else
			hi = mid;
	}
	d->at = lo;
	if (lo >= l->n || l->ids[lo] != id)
		return false;
	*length = l->len[lo];
	return true;
}

/* Sets *length to the tokens of the current match, all columns together,
 * as xColumnSize does: from the lengths in memory when given and holding
 * the match, otherwise through a blob handle moved from row to row (FTS5
 * runs a query per row for it, which costs twice as much), and through
 * xColumnSize when the handle fails; SQLITE_OK or an error. */
static int rank_length(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3 *db,
		       struct rank_data *d, const struct doc_lengths *known, int *length)
{
	sqlite3_int64 id = api->xRowid(fts);
	if (known && known_length(known, d, id, length))
		return SQLITE_OK;
	int rc = d->sizes ? sqlite3_blob_reopen(d->sizes, id)
			  : sqlite3_blob_open(db, "main", "doc_fts_docsize", "sz", id, 0, &d->sizes);
	unsigned char sz[32];
	int n = rc == SQLITE_OK ? sqlite3_blob_bytes(d->sizes) : 0;
	if (rc != SQLITE_OK || n > (int)sizeof(sz) ||
	    sqlite3_blob_read(d->sizes, sz, n, 0) != SQLITE_OK) {
		sqlite3_blob_close(d->sizes);
		d->sizes = NULL;
		return api->xColumnSize(fts, -1, length);
	}
	*length = sum_varints(sz, n);
	return SQLITE_OK;
}

/* maillage_rank(doc_fts, ntags[, args]): bm25 (k1 1.2, b 0.75) over the
 * phrases of the words, titles weighing 5 and texts 1; the last ntags
 * phrases (the filters' tags) are not read at all; args, a pointer bound
 * by db_rank, gives the document frequencies and lengths already known.
 * Lower is better, as with bm25(). */
static void rank_fn(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx,
		    int nval, sqlite3_value **val)
{
	static const double weight[] = {5.0, 1.0, 0.0};
	const struct rank_args *args =
		nval > 1 ? sqlite3_value_pointer(val[1], "maillage_rank_args") : NULL;
	struct rank_data *d = rank_data(api, fts, nval > 0 ? sqlite3_value_int(val[0]) : 0,
					args ? args->df : NULL);
	int length = 0;
	if (!d || rank_length(api, fts, sqlite3_context_db_handle(ctx), d,
			      args ? args->lengths : NULL, &length) != SQLITE_OK) {
		sqlite3_result_error(ctx, "maillage_rank", -1);
		return;
	}
	double score = 0, norm = 1.2 * (0.25 + 0.75 * (double)length / d->avgdl);
	for (int i = 0; i < d->nphrase; i++) {
		Fts5PhraseIter it;
		int col, off;
		double f = 0;
		for (api->xPhraseFirst(fts, i, &it, &col, &off); col >= 0;
		     api->xPhraseNext(fts, &it, &col, &off))
			f += col < 3 ? weight[col] : 0;
		if (f > 0)
			score += d->idf[i] * f * 2.2 / (f + norm);
	}
	sqlite3_result_double(ctx, -score);
}

/* Registers the "maillage" tokenizer and maillage_rank on a new
 * connection; 0 or -1. */
static int fr_register(struct conn *c)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(c->db, "SELECT fts5(?1)", -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_pointer(st, 1, &c->fts, "fts5_api_ptr", NULL);
	sqlite3_step(st);
	sqlite3_finalize(st);
	if (!c->fts)
		return -1;
	fts5_tokenizer methods = {fr_create, fr_delete, fr_tokenize};
	return c->fts->xCreateTokenizer(c->fts, "maillage", c->fts, &methods, NULL) == SQLITE_OK &&
		       c->fts->xCreateFunction(c->fts, "maillage_rank", NULL, rank_fn, NULL) ==
			       SQLITE_OK
		       ? 0 : -1;
}

/* Finalizes the cached statements and closes one connection. */
static void conn_free(void *p)
{
	struct conn *c = p;
	if (!c)
		return;
	for (size_t i = 0; i < DB_CACHE; i++)
		if (c->cache[i].st)
			sqlite3_finalize(c->cache[i].st);
	if (c->tokenizer)
		fr_delete(c->tokenizer);
	free(c->delta.ids);
	free(c->delta.len);
	sqlite3_close(c->db);
	free(c);
}

/* Creates the thread-local key whose destructor closes connections. */
static void make_key(void)
{
	pthread_key_create(&conn_key, conn_free);
}

static struct conn *conn_get(void);
static _Thread_local bool checkpoint_later; /* see db_checkpoint_later */
static atomic_bool checkpoint_due;          /* a checkpoint was left for db_checkpoint */

/* WAL hook: a commit of this connection is now visible to new readers, so
 * what was read before it may be stale (db_generation). It also does what
 * SQLite's own hook, which this one replaces, did: a passive checkpoint
 * once the log holds 1,000 pages (unless this commit leaves it for later). */
static int on_commit(void *arg, sqlite3 *db, const char *name, int pages)
{
	(void)arg;
	atomic_fetch_add(&generation, 1);
	if (checkpoint_later && pages >= 1000)
		atomic_store(&checkpoint_due, true);
	else if (pages >= 1000)
		sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
	checkpoint_later = false;
	return SQLITE_OK;
}

/* Leaves the checkpoint of this thread's next commit to db_checkpoint. */
void db_checkpoint_later(void)
{
	checkpoint_later = true;
}

/* Runs the checkpoint a commit left for later, if any. */
void db_checkpoint(void)
{
	struct conn *c = atomic_exchange(&checkpoint_due, false) ? conn_get() : NULL;
	if (c)
		sqlite3_wal_checkpoint_v2(c->db, "main", SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
}

/* Returns what SQLite's result code rc means, in French for what a
 * database file usually meets (not one, damaged, in use, full…); SQLite's
 * own words (detail) otherwise. */
static const char *db_words(int rc, const char *detail)
{
	switch (rc & 0xff) {
	case SQLITE_CANTOPEN: return "fichier impossible à ouvrir (dossier absent ou accès refusé)";
	case SQLITE_NOTADB: return "ce fichier n'est pas une base de données";
	case SQLITE_CORRUPT: return "base de données endommagée (essayez « maillage check », puis "
				   "une sauvegarde)";
	case SQLITE_BUSY: case SQLITE_LOCKED: return "base de données occupée par un autre programme";
	case SQLITE_READONLY: return "base de données en lecture seule";
	case SQLITE_FULL: return "plus de place sur le disque";
	case SQLITE_IOERR: return "erreur de lecture ou d'écriture du disque";
	case SQLITE_PERM: case SQLITE_AUTH: return "accès refusé";
	case SQLITE_NOMEM: return "mémoire insuffisante";
	default: return detail ? detail : sqlite3_errstr(rc);
	}
}

/* The same for the last failure on connection db. */
static const char *db_failure(sqlite3 *db)
{
	return db_words(sqlite3_extended_errcode(db), sqlite3_errmsg(db));
}

/* Opens a connection with Maillage's settings; NULL with err set on failure. */
static struct conn *conn_open(bool create, struct buf *err)
{
	struct conn *c = calloc(1, sizeof(*c));
	if (!c)
		abort();
	c->epoch = atomic_load(&epoch);
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
	int rc = sqlite3_open_v2(db_path, &c->db, flags, NULL);
	if (rc != SQLITE_OK) {
		if (err)
			buf_printf(err, "base de données %s inaccessible : %s%s", db_path,
				   db_words(rc, NULL),
				   rc == SQLITE_CANTOPEN && !create ? " (créez-la avec « maillage init »)" : "");
		sqlite3_close(c->db);
		free(c);
		return NULL;
	}
	sqlite3_busy_timeout(c->db, 5000);
	rc = sqlite3_exec(c->db,
			  "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON;"
			  "PRAGMA synchronous=FULL;", NULL, NULL, NULL);
	if (rc == SQLITE_OK && fr_register(c) < 0)
		rc = SQLITE_ERROR;
	sqlite3_wal_hook(c->db, on_commit, NULL);
	if (rc != SQLITE_OK) {
		if (err)
			buf_printf(err, "base de données %s illisible : %s", db_path,
				   db_failure(c->db));
		conn_free(c);
		return NULL;
	}
	return c;
}

/* Returns the calling thread's connection, opening it on first use. */
static struct conn *conn_get(void)
{
	pthread_once(&key_once, make_key);
	struct conn *c = pthread_getspecific(conn_key);
	if (c && c->epoch != atomic_load(&epoch)) { /* opened on a former database */
		conn_free(c);
		pthread_setspecific(conn_key, c = NULL);
	}
	if (!c && db_path) {
		struct buf err = {0};
		c = conn_open(false, &err);
		if (c && sqlite3_exec(c->db, index_hooks->connection_sql, NULL, NULL, NULL) != SQLITE_OK) {
			buf_printf(&err, "base de données %s : %s", db_path, db_failure(c->db));
			conn_free(c);
			c = NULL;
		}
		if (!c)
			log_error("%s", buf_str(&err));
		buf_free(&err);
		pthread_setspecific(conn_key, c);
	}
	return c;
}

/* Returns the schema version of c's database (PRAGMA user_version), or -1. */
static int user_version(struct conn *c)
{
	sqlite3_stmt *st = NULL;
	int v = sqlite3_prepare_v2(c->db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK &&
		sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
	sqlite3_finalize(st);
	return v;
}

/* Applies the migrations newer than the database; 0 or -1 with err set. */
static int migrate(struct conn *c, struct buf *err)
{
	sqlite3_stmt *st = NULL;
	int version = user_version(c), rc = -1;
	if (version == db_schema_count)
		return 0; /* up to date: no write lock, however busy the writers */
	if (sqlite3_exec(c->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK ||
	    (version = user_version(c)) < 0) /* again, under the lock */
		goto fail;
	if (version > db_schema_count) {
		buf_printf(err, "la base %s (schéma %d) vient d'une version plus récente de Maillage "
			   "(schéma %d)", db_path, version, db_schema_count);
		goto out;
	}
	for (int v = version + 1; v <= db_schema_count; v++) {
		char pragma[64];
		snprintf(pragma, sizeof(pragma), "PRAGMA user_version=%d", v);
		if (sqlite3_exec(c->db, db_schema_sql[v - 1], NULL, NULL, NULL) != SQLITE_OK ||
		    sqlite3_exec(c->db, pragma, NULL, NULL, NULL) != SQLITE_OK) {
			buf_printf(err, "migration %03d impossible : %s", v, sqlite3_errmsg(c->db));
			goto out;
		}
	}
	if (sqlite3_exec(c->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		goto fail;
	return 0;
fail:
	buf_printf(err, "base de données %s : %s", db_path, db_failure(c->db));
out:
	sqlite3_finalize(st);
	sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
	return rc;
}

/* Sets the path for every thread, opens (or creates) and migrates. */
int db_open(const char *path, bool create, struct buf *err)
{
	pthread_once(&key_once, make_key);
	if (!index_hooks) {
		buf_printf(err, "le module de recherche n'est pas installé (db_set_index)");
		return -1;
	}
	db_close();
	atomic_fetch_add(&epoch, 1);
	lengths_publish(NULL); /* another database's */
	free(db_path);
	db_path = mem_strdup(path);
	struct conn *c = conn_open(create, err);
	if (!c)
		return -1;
	if (migrate(c, err) < 0 ||
	    sqlite3_exec(c->db, index_hooks->connection_sql, NULL, NULL, NULL) != SQLITE_OK) {
		if (!err->len)
			buf_printf(err, "base de données %s : %s", db_path, db_failure(c->db));
		conn_free(c);
		return -1;
	}
	pthread_setspecific(conn_key, c);
	return 0;
}

/* Closes the calling thread's connection (others close at thread exit). */
void db_close(void)
{
	pthread_once(&key_once, make_key);
	conn_free(pthread_getspecific(conn_key));
	pthread_setspecific(conn_key, NULL);
}

/* Returns the highest migration compiled into this binary. */
int db_latest_version(void)
{
	return db_schema_count;
}

/* Returns a reset statement for sql, from the cache when possible. */
static sqlite3_stmt *prepare(struct conn *c, const char *sql, bool *cached)
{
	size_t h = ((size_t)sql >> 4) % DB_CACHE;
	for (size_t i = 0; i < DB_CACHE; i++) {
		struct cached *e = &c->cache[(h + i) % DB_CACHE];
		if (e->sql == sql && strcmp(sqlite3_sql(e->st), sql) == 0) {
			*cached = true;
			return e->st;
		}
		if (e->sql == sql)
			break; /* same address, other text: not a literal; prepare afresh */
		if (!e->sql) {
			if (sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &e->st,
					       NULL) != SQLITE_OK) {
				log_error("SQL : %s ; requête : %s", sqlite3_errmsg(c->db), sql);
				e->st = NULL;
				return NULL;
			}
			e->sql = sql;
			*cached = true;
			return e->st;
		}
	}
	sqlite3_stmt *st = NULL;
	*cached = false;
	if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) != SQLITE_OK)
		log_error("SQL : %s ; requête : %s", sqlite3_errmsg(c->db), sql);
	return st;
}

/* Releases a statement after use: reset when cached, finalized otherwise. */
static void release(sqlite3_stmt *st, bool cached)
{
	if (!st)
		return;
	if (cached) {
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
	} else {
		sqlite3_finalize(st);
	}
}

/* Binds the arguments described by fmt; 0 or -1. */
static int bind(sqlite3_stmt *st, const char *fmt, va_list ap)
{
	for (int i = 0; fmt && fmt[i]; i++) {
		int rc;
		if (fmt[i] == 'i') {
			rc = sqlite3_bind_int64(st, i + 1, va_arg(ap, long long));
		} else if (fmt[i] == 't') {
			const char *s = va_arg(ap, const char *);
			rc = s ? sqlite3_bind_text(st, i + 1, s, -1, SQLITE_STATIC)
			       : sqlite3_bind_null(st, i + 1);
		} else if (fmt[i] == 'b') {
			const void *p = va_arg(ap, const void *);
			size_t n = va_arg(ap, size_t);
			rc = sqlite3_bind_blob64(st, i + 1, p, n, SQLITE_STATIC);
		} else {
			return -1;
		}
		if (rc != SQLITE_OK)
			return -1;
	}
	return 0;
}

/* Prepares sql and binds the arguments; NULL on error (noted for
 * db_failed). */
static sqlite3_stmt *start(struct conn **cp, bool *cached, const char *sql, const char *fmt,
			   va_list ap)
{
	struct conn *c = *cp = conn_get();
	if (!c)
		return NULL;
	sqlite3_stmt *st = prepare(c, sql, cached);
	if (st && bind(st, fmt, ap) < 0) {
		log_error("paramètres SQL invalides pour : %s", sql);
		release(st, *cached);
		st = NULL;
	}
	if (!st) {
		c->last_err = SQLITE_ERROR;
		c->failed = true;
	}
	return st;
}

/* Notes a failed step for db_constraint_failed and db_failed, and logs it. */
static void step_failed(struct conn *c, int rc, const char *sql)
{
	c->last_err = rc;
	if ((rc & 0xff) != SQLITE_CONSTRAINT) {
		c->failed = true;
		log_error("SQL : %s ; requête : %s", sqlite3_errmsg(c->db), sql);
	}
}

#define DELTA_MAX 10000 /* more changes than this: the lengths are read again */

/* Returns the search index's change count (search_state.fts_changes),
 * which stamps the lengths in memory, or -1. */
static long long index_stamp(void)
{
	return db_int(-1, "SELECT fts_changes FROM search_state", NULL);
}

/* Tells whether lengths are kept in memory (none to keep up to date else). */
static bool lengths_kept(void)
{
	pthread_mutex_lock(&lengths_lock);
	bool kept = latest_lengths != NULL;
	pthread_mutex_unlock(&lengths_lock);
	return kept;
}

/* Notes the index's stamp and the documents about to change in it (up to
 * DELTA_MAX; none when no lengths are in memory: the next search that
 * wants them reads them whole anyway). */
static void delta_begin(struct conn *c)
{
	struct lengths_delta *d = &c->delta;
	d->n = 0;
	d->before = d->after = -1;
	json_t *ids = lengths_kept() &&
			      db_int(0, "SELECT count(*) FROM temp.doc_pending", NULL) <= DELTA_MAX
		? db_rows("SELECT DISTINCT id FROM temp.doc_pending ORDER BY id", NULL) : NULL;
	if (!ids)
		return;
	size_t n = json_array_size(ids);
	if (!(d->ids = realloc(d->ids, (n + 1) * sizeof(*d->ids))) ||
	    !(d->len = realloc(d->len, (n + 1) * sizeof(*d->len))))
		abort();
	for (size_t i = 0; i < n; i++)
		d->ids[i] = json_integer_value(json_object_get(json_array_get(ids, i), "id"));
	d->n = n;
	d->before = index_stamp();
	json_decref(ids);
}

/* Returns the length of document id in doc_fts (all columns), -1 when it
 * is not there, -2 on error. */
static int doc_length(struct conn *c, long long id)
{
	bool cached;
	sqlite3_stmt *st = prepare(c, "SELECT sz FROM doc_fts_docsize WHERE id = ?", &cached);
	if (!st)
		return -2;
	sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st), len = -2;
	if (rc == SQLITE_ROW)
		len = sum_varints(sqlite3_column_blob(st, 0), sqlite3_column_bytes(st, 0));
	else if (rc == SQLITE_DONE)
		len = -1;
	release(st, cached);
	return len;
}

/* Notes the new length of each noted document (-1 when it left the index)
 * and the index's new stamp; on an error, nothing. */
static void delta_end(struct conn *c)
{
	struct lengths_delta *d = &c->delta;
	for (size_t i = 0; i < d->n && d->before >= 0; i++)
		if ((d->len[i] = doc_length(c, d->ids[i])) < -1)
			d->before = -1;
	if (d->before >= 0)
		d->after = index_stamp();
}

/* Carries the changes of doc noted in the transaction to the search index
 * (the index's flush), when there are any, noting them for the lengths in
 * memory; 0 or -1. */
static int flush_search(struct conn *c)
{
	bool cached;
	c->delta.before = -1;
	sqlite3_stmt *st = prepare(c, "SELECT 1 FROM temp.doc_pending LIMIT 1", &cached);
	if (!st)
		return -1;
	int rc = sqlite3_step(st);
	release(st, cached);
	if (rc == SQLITE_DONE)
		return 0;
	delta_begin(c);
	if (index_hooks->flush() < 0) {
		c->delta.before = -1;
		log_error("index de recherche : les changements n'ont pas pu y être portés");
		return -1;
	}
	delta_end(c);
	return 0;
}

/* After a write outside any transaction, carries its changes to the search
 * index in a transaction of their own (on failure, search_state shows the
 * index behind and the server rebuilds it at start). */
static void flush_alone(struct conn *c)
{
	sqlite3_int64 last = sqlite3_last_insert_rowid(c->db); /* db_last_id stays the caller's */
	if (sqlite3_exec(c->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		return;
	if (flush_search(c) < 0 || sqlite3_exec(c->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
	else
		lengths_apply(&c->delta);
	sqlite3_set_last_insert_rowid(c->db, last);
}

/* Runs a statement that returns no rows; returns the changed rows or -1. */
int db_exec(const char *sql, const char *fmt, ...)
{
	struct conn *c;
	bool cached;
	va_list ap;
	va_start(ap, fmt);
	sqlite3_stmt *st = start(&c, &cached, sql, fmt, ap);
	va_end(ap);
	if (!st)
		return -1;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		;
	int out = rc == SQLITE_DONE ? sqlite3_changes(c->db) : -1;
	if (rc != SQLITE_DONE)
		step_failed(c, rc, sql);
	bool wrote = !sqlite3_stmt_readonly(st);
	release(st, cached);
	if (out >= 0 && wrote && c->depth == 0 && sqlite3_get_autocommit(c->db))
		flush_alone(c);
	return out;
}

/* Returns the first column of the first row as an integer, or dflt. */
long long db_int(long long dflt, const char *sql, const char *fmt, ...)
{
	struct conn *c;
	bool cached;
	va_list ap;
	va_start(ap, fmt);
	sqlite3_stmt *st = start(&c, &cached, sql, fmt, ap);
	va_end(ap);
	if (!st)
		return dflt;
	long long v = dflt;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
		v = sqlite3_column_int64(st, 0);
	else if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		step_failed(c, rc, sql);
	release(st, cached);
	return v;
}

/* Appends the bytes of the first column of the first row to out. */
int db_blob(struct buf *out, const char *sql, const char *fmt, ...)
{
	struct conn *c;
	bool cached;
	va_list ap;
	va_start(ap, fmt);
	sqlite3_stmt *st = start(&c, &cached, sql, fmt, ap);
	va_end(ap);
	if (!st)
		return -1;
	int found = 0, rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const void *p = sqlite3_column_blob(st, 0);
		buf_append(out, (const char *)p, (size_t)sqlite3_column_bytes(st, 0));
		found = 1;
	} else if (rc != SQLITE_DONE) {
		step_failed(c, rc, sql);
		found = -1;
	}
	release(st, cached);
	return found;
}

/* Converts the current row into a JSON object keyed by column name. */
static json_t *row_json(sqlite3_stmt *st)
{
	json_t *o = json_object();
	int n = sqlite3_column_count(st);
	for (int i = 0; i < n; i++) {
		json_t *v;
		switch (sqlite3_column_type(st, i)) {
		case SQLITE_INTEGER:
			v = json_integer(sqlite3_column_int64(st, i));
			break;
		case SQLITE_FLOAT:
			v = json_real(sqlite3_column_double(st, i));
			break;
		case SQLITE_NULL:
			v = json_null();
			break;
		default:
			v = json_stringn((const char *)sqlite3_column_text(st, i),
					 (size_t)sqlite3_column_bytes(st, i));
			if (!v)
				v = json_null();
		}
		json_object_set_new(o, sqlite3_column_name(st, i), v);
	}
	return o;
}

/* Runs a query and collects up to max rows (0: all) into an array. */
static json_t *collect(const char *sql, size_t max, const char *fmt, va_list ap)
{
	struct conn *c;
	bool cached;
	sqlite3_stmt *st = start(&c, &cached, sql, fmt, ap);
	if (!st)
		return NULL;
	json_t *rows = json_array();
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		json_array_append_new(rows, row_json(st));
		if (max && json_array_size(rows) == max) {
			rc = SQLITE_DONE;
			break;
		}
	}
	if (rc != SQLITE_DONE) {
		step_failed(c, rc, sql);
		json_decref(rows);
		rows = NULL;
	}
	release(st, cached);
	return rows;
}

/* Returns the first row as a JSON object (new reference), or NULL. */
json_t *db_row(const char *sql, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	json_t *rows = collect(sql, 1, fmt, ap);
	va_end(ap);
	json_t *row = json_array_get(rows, 0);
	json_incref(row);
	json_decref(rows);
	return row;
}

/* Returns every row as a JSON array of objects, or NULL on error. */
json_t *db_rows(const char *sql, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	json_t *rows = collect(sql, 0, fmt, ap);
	va_end(ap);
	return rows;
}

/* Runs a query and calls row with each row's columns as text (NULL for a
 * NULL) and their lengths, without gathering the rows; 0 or -1. */
int db_each(void (*row)(void *ctx, int ncol, const char *const *col, const size_t *len),
	    void *ctx, const char *sql, const char *fmt, ...)
{
	struct conn *c;
	bool cached;
	va_list ap;
	va_start(ap, fmt);
	sqlite3_stmt *st = start(&c, &cached, sql, fmt, ap);
	va_end(ap);
	if (!st)
		return -1;
	enum { MAX_COLS = 8 };
	const char *col[MAX_COLS];
	size_t len[MAX_COLS];
	int n = sqlite3_column_count(st) < MAX_COLS ? sqlite3_column_count(st) : MAX_COLS, rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		for (int i = 0; i < n; i++) {
			col[i] = (const char *)sqlite3_column_text(st, i);
			len[i] = (size_t)sqlite3_column_bytes(st, i);
		}
		row(ctx, n, col, len);
	}
	if (rc != SQLITE_DONE)
		step_failed(c, rc, sql);
	release(st, cached);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* One match kept by db_rank: its rank (lower is better) and its id. */
struct rank_entry {
	double rank;
	long long id;
};

/* Tells whether a comes after b in the results: ranked lower, or older
 * (a smaller id) on a tie. */
static bool rank_after(const struct rank_entry *a, const struct rank_entry *b)
{
	return a->rank > b->rank || (a->rank == b->rank && a->id < b->id);
}

/* Orders two entries best first (qsort). */
static int rank_cmp(const void *a, const void *b)
{
	return rank_after(a, b) ? 1 : rank_after(b, a) ? -1 : 0;
}

/* Restores the heap h[0..n) (the last in order on top) after h[i] changed. */
static void heap_fix(struct rank_entry *h, size_t n, size_t i)
{
	while (i > 0 && rank_after(&h[i], &h[(i - 1) / 2])) { /* up */
		struct rank_entry t = h[i];
		h[i] = h[(i - 1) / 2];
		h[i = (i - 1) / 2] = t;
	}
	for (;;) { /* down */
		size_t top = i, l = 2 * i + 1, r = l + 1;
		if (l < n && rank_after(&h[l], &h[top]))
			top = l;
		if (r < n && rank_after(&h[r], &h[top]))
			top = r;
		if (top == i)
			return;
		struct rank_entry t = h[i];
		h[i] = h[top];
		h[i = top] = t;
	}
}

/* One range of ids of a ranking pass (db_rank), ranked by one thread. */
struct rank_part {
	const struct db_rank *r;
	long long lo, hi;
	struct doc_lengths *lengths;
	struct rank_entry *best; /* a heap while ranking, then best first */
	size_t n, cap;
	long long count[16];
	int rc;
};

/* Offers one ranked match to the heap of the part's best r->keep. */
static void rank_offer(struct rank_part *p, struct rank_entry e)
{
	if (p->n < p->r->keep) {
		if (p->n == p->cap) {
			p->cap = p->cap ? 2 * p->cap : 64;
			if (!(p->best = realloc(p->best, p->cap * sizeof(*p->best))))
				abort();
		}
		p->best[p->n++] = e;
		heap_fix(p->best, p->n, p->n - 1);
	} else if (rank_after(&p->best[0], &e)) {
		p->best[0] = e;
		heap_fix(p->best, p->n, 0);
	}
}

/* Reads the length of every document of doc_fts; NULL on error. */
static struct doc_lengths *lengths_read(struct conn *c, long long stamp)
{
	sqlite3_stmt *st = NULL;
	struct doc_lengths *l = calloc(1, sizeof(*l));
	size_t cap = (size_t)db_int(0, "SELECT count(*) FROM doc_fts_docsize", NULL) + 16;
	if (!l || !(l->ids = malloc(cap * sizeof(*l->ids))) || !(l->len = malloc(cap * sizeof(*l->len))))
		abort();
	l->stamp = stamp;
	int rc = sqlite3_prepare_v2(c->db, "SELECT id, sz FROM doc_fts_docsize", -1, &st, NULL);
	while (st && (rc = sqlite3_step(st)) == SQLITE_ROW && l->n < cap) {
		l->ids[l->n] = sqlite3_column_int64(st, 0);
		l->len[l->n++] = sum_varints(sqlite3_column_blob(st, 1), sqlite3_column_bytes(st, 1));
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) { /* or more rows than counted: another writer */
		l->refs = 1;
		lengths_release(l);
		return NULL;
	}
	return l;
}

/* Returns the document lengths of the index as it is, read again when it
 * changed (one reference, for lengths_release), or NULL inside a
 * transaction, whose own changes they would not show. Changes that leave
 * the index alone (sessions, actions, the outbox) keep them. The stamp is
 * read just before the search's own statement: a commit of another
 * connection landing between the two gives that one search the lengths of
 * just before it (a document then missing is read from the table). */
static struct doc_lengths *lengths_get(struct conn *c)
{
	if (!sqlite3_get_autocommit(c->db))
		return NULL;
	long long stamp = index_stamp();
	pthread_mutex_lock(&lengths_lock);
	struct doc_lengths *l = latest_lengths;
	bool fresh = l && l->stamp == stamp;
	if (fresh)
		l->refs++;
	pthread_mutex_unlock(&lengths_lock);
	if (fresh)
		return l;
	if (stamp < 0 || !(l = lengths_read(c, stamp)))
		return NULL;
	l->refs = 2; /* the caller's and the latest's */
	lengths_publish(l);
	return l;
}

/* Reads every match of the part's range in one pass on the calling
 * thread's connection, counts them by kind and keeps the best of r->kind,
 * best first (only those are ranked); p->rc 0 or -1. */
static void rank_part(struct rank_part *p)
{
	static const char sql[] = "SELECT rowid, CASE WHEN ?5 = 0 OR (rowid >> 28) & 15 = ?5 "
				  "THEN maillage_rank(doc_fts, ?1, ?6) END FROM doc_fts "
				  "WHERE doc_fts MATCH ?2 AND rowid BETWEEN ?3 AND ?4";
	const struct db_rank *r = p->r;
	struct conn *c = conn_get();
	bool cached;
	sqlite3_stmt *st = c ? prepare(c, sql, &cached) : NULL;
	p->rc = -1;
	if (!st)
		return;
	sqlite3_bind_int(st, 1, r->ntags);
	sqlite3_bind_text(st, 2, r->match, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, p->lo);
	sqlite3_bind_int64(st, 4, p->hi);
	sqlite3_bind_int64(st, 5, r->kind);
	struct rank_args args = {&r->df, p->lengths};
	sqlite3_bind_pointer(st, 6, &args, "maillage_rank_args", NULL);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		long long id = sqlite3_column_int64(st, 0);
		p->count[(id >> 28) & 15]++;
		if (r->keep && sqlite3_column_type(st, 1) != SQLITE_NULL)
			rank_offer(p, (struct rank_entry){sqlite3_column_double(st, 1), id});
	}
	if (rc != SQLITE_DONE)
		step_failed(c, rc, sql);
	release(st, cached);
	if (p->n)
		qsort(p->best, p->n, sizeof(*p->best), rank_cmp);
	p->rc = rc == SQLITE_DONE ? 0 : -1;
}

#define SPLIT_MIN 20000 /* documents in the index from which a search uses two cores */
static atomic_size_t split_min = SPLIT_MIN;

/* The second core's share of the searches: a thread with its own
 * connection that ranks the upper half of the ids while the search ranks
 * the lower half. One search at a time has it (busy); the others, under
 * load, rank alone, as they would anyway. The two halves are read in two
 * snapshots: a commit landing between their starts can hide from that one
 * search a record whose date (and so id) it changed; the merge keeps a
 * record found in both halves once. */
static struct {
	pthread_mutex_t busy, lock;
	pthread_cond_t wake;
	bool running;
	struct rank_part *job; /* under lock: posted by the search, NULL once done */
} helper = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER,
	    false, NULL};

/* The helper thread: ranks each part it is given. */
static void *helper_main(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&helper.lock);
	for (;;) {
		while (!helper.job)
			pthread_cond_wait(&helper.wake, &helper.lock);
		struct rank_part *p = helper.job;
		pthread_mutex_unlock(&helper.lock);
		rank_part(p);
		pthread_mutex_lock(&helper.lock);
		helper.job = NULL;
		pthread_cond_broadcast(&helper.wake);
	}
	return NULL;
}

/* Takes the helper for one search, starting it the first time; false when
 * another search has it or it cannot start. */
static bool helper_take(void)
{
	if (pthread_mutex_trylock(&helper.busy) != 0)
		return false;
	pthread_t t;
	if (!helper.running && pthread_create(&t, NULL, helper_main, NULL) == 0) {
		pthread_detach(t);
		helper.running = true;
	}
	if (!helper.running)
		pthread_mutex_unlock(&helper.busy);
	return helper.running;
}

static void (*_Atomic between_parts)(void); /* see db_rank_between */

/* Ranks the two parts at once, the upper one on the helper (taken); one
 * after the other, with between_parts called in between, when it is set. */
static void rank_both(struct rank_part *lower, struct rank_part *upper)
{
	void (*between)(void) = atomic_load(&between_parts);
	if (between) {
		rank_part(lower);
		between();
	}
	pthread_mutex_lock(&helper.lock);
	helper.job = upper;
	pthread_cond_broadcast(&helper.wake);
	pthread_mutex_unlock(&helper.lock);
	if (!between)
		rank_part(lower);
	pthread_mutex_lock(&helper.lock);
	while (helper.job)
		pthread_cond_wait(&helper.wake, &helper.lock);
	pthread_mutex_unlock(&helper.lock);
	pthread_mutex_unlock(&helper.busy);
}

/* Sets from how many documents in the index a search uses two cores (0:
 * the default). */
void db_rank_split(size_t min_documents)
{
	atomic_store(&split_min, min_documents ? min_documents : SPLIT_MIN);
}

/* Sets what a split search calls between its two halves (NULL: none). */
void db_rank_between(void (*fn)(void))
{
	atomic_store(&between_parts, fn);
}

/* Tells whether the record of id (its kind and reference: the low 32 bits,
 * the date above them aside) is already in seen, adding it if not; seen
 * has cap slots (a power of two), zero for empty. */
static bool seen_before(uint32_t *seen, size_t cap, long long id)
{
	uint32_t key = (uint32_t)id;
	for (size_t i = (key * 2654435761u) & (cap - 1);; i = (i + 1) & (cap - 1)) {
		if (seen[i] == key)
			return true;
		if (!seen[i]) {
			seen[i] = key;
			return false;
		}
	}
}

/* Reads every match of r->match in one pass, counts them by kind and
 * keeps the r->keep best of r->kind, best first (only those are ranked);
 * on a large index, the upper half of the ids on the helper meanwhile.
 * 0 or -1. */
int db_rank(struct db_rank *r)
{
	struct conn *c = conn_get();
	if (!c)
		return -1;
	struct doc_lengths *lengths = lengths_get(c);
	struct rank_part part[2] = {{.r = r, .lo = r->lo, .hi = r->hi, .lengths = lengths},
				    {.r = r, .hi = r->hi, .lengths = lengths}};
	long long mid = lengths && lengths->n >= atomic_load(&split_min)
		? lengths->ids[lengths->n / 2] : r->lo;
	bool split = mid > r->lo && mid <= r->hi && helper_take();
	if (split) {
		part[0].hi = mid - 1, part[1].lo = mid;
		rank_both(&part[0], &part[1]);
	} else {
		rank_part(&part[0]);
	}
	lengths_release(lengths);
	/* the merge of the two best lists (the upper one empty when not split);
	 * a record whose date, and so id, changed between the two halves'
	 * snapshots is kept once, at its best */
	int rc = part[0].rc < 0 || part[1].rc < 0 ? -1 : 0;
	size_t i = 0, j = 0, cap = 2;
	while (split && cap < 2 * (part[0].n + part[1].n))
		cap *= 2;
	uint32_t *seen = split ? calloc(cap, sizeof(*seen)) : NULL;
	if (split && !seen)
		abort();
	r->n = 0;
	r->ids = mem_alloc((part[0].n + part[1].n + 1) * sizeof(*r->ids));
	for (int k = 0; k < 16; k++)
		r->count[k] = part[0].count[k] + part[1].count[k];
	while (rc == 0 && r->n < r->keep && (i < part[0].n || j < part[1].n)) {
		bool upper = j < part[1].n &&
			     (i == part[0].n || rank_after(&part[0].best[i], &part[1].best[j]));
		long long id = upper ? part[1].best[j++].id : part[0].best[i++].id;
		if (!split || !seen_before(seen, cap, id))
			r->ids[r->n++] = id;
	}
	free(seen);
	free(part[0].best);
	free(part[1].best);
	return rc;
}

/* Returns the string in column key of a row, or NULL. */
const char *db_str(const json_t *row, const char *key)
{
	return json_string_value(json_object_get(row, key));
}

/* Returns the integer in column key of a row, or 0. */
long long db_num(const json_t *row, const char *key)
{
	return json_integer_value(json_object_get(row, key));
}

/* Returns the rowid of the last insert on this thread's connection. */
long long db_last_id(void)
{
	struct conn *c = conn_get();
	return c ? sqlite3_last_insert_rowid(c->db) : 0;
}

/* Tells whether the last failure on this thread was a constraint violation. */
bool db_constraint_failed(void)
{
	struct conn *c = conn_get();
	return c && (c->last_err & 0xff) == SQLITE_CONSTRAINT;
}

/* Tells whether the last failure on this thread was a full disk. */
bool db_disk_full(void)
{
	struct conn *c = conn_get();
	return c && (c->last_err & 0xff) == SQLITE_FULL;
}

/* Tells whether a statement failed on this thread since db_clear_error,
 * for another reason than a constraint (or there is no connection). */
bool db_failed(void)
{
	struct conn *c = conn_get();
	return !c || c->failed;
}

/* Returns a number that grows with every commit to the database, from
 * this process (the WAL hook) or from another one (seen through this
 * thread's PRAGMA data_version): what was read under one value may be
 * stale under the next. */
long long db_generation(void)
{
	struct conn *c = conn_get();
	long long v = c ? db_int(-1, "PRAGMA data_version", NULL) : -1;
	if (c && v != c->data_version) {
		c->data_version = v;
		atomic_fetch_add(&generation, 1);
	}
	return atomic_load(&generation);
}

/* Forgets the last failure on this thread (each request starts clean). */
void db_clear_error(void)
{
	struct conn *c = conn_get();
	if (c) {
		c->last_err = SQLITE_OK;
		c->failed = false;
	}
}

/* Returns the schema version (PRAGMA user_version), or -1. */
int db_schema_version(void)
{
	return (int)db_int(-1, "PRAGMA user_version", NULL);
}

/* Starts a write transaction (BEGIN IMMEDIATE), or a savepoint inside one;
 * 0 or -1. */
int db_begin(void)
{
	struct conn *c = conn_get();
	if (!c)
		return -1;
	if (db_exec(c->depth ? "SAVEPOINT nested" : "BEGIN IMMEDIATE", NULL) < 0)
		return -1;
	c->depth++;
	return 0;
}

/* Commits the transaction or releases the savepoint; 0, or -1 with it still
 * open for the caller's db_rollback. */
int db_commit(void)
{
	struct conn *c = conn_get();
	if (!c || c->depth == 0)
		return -1;
	sqlite3_int64 last = sqlite3_last_insert_rowid(c->db);
	if (c->depth == 1 && flush_search(c) < 0)
		return -1;
	sqlite3_set_last_insert_rowid(c->db, last);
	if (db_exec(c->depth > 1 ? "RELEASE nested" : "COMMIT", NULL) < 0)
		return -1;
	if (c->depth == 1)
		lengths_apply(&c->delta);
	c->depth--;
	return 0;
}

/* Rolls back the innermost db_begin, if one is open. */
void db_rollback(void)
{
	struct conn *c = conn_get();
	if (!c || c->depth == 0)
		return;
	if (c->depth > 1)
		sqlite3_exec(c->db, "ROLLBACK TO nested; RELEASE nested", NULL, NULL, NULL);
	else if (!sqlite3_get_autocommit(c->db))
		sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
	c->depth--;
}

/* Runs the integrity and foreign-key checks; returns how many problems. */
int db_check(struct buf *problems)
{
	int count = 0;
	json_t *rows = db_rows("PRAGMA integrity_check", NULL);
	size_t i;
	json_t *row;
	json_array_foreach(rows, i, row) {
		const char *msg = json_string_value(json_object_get(row, "integrity_check"));
		if (msg && strcmp(msg, "ok") != 0) {
			buf_printf(problems, "intégrité : %s\n", msg);
			count++;
		}
	}
	json_decref(rows);
	rows = db_rows("PRAGMA foreign_key_check", NULL);
	json_array_foreach(rows, i, row) {
		buf_printf(problems, "référence cassée : table %s, ligne %lld vers %s\n",
			   json_string_value(json_object_get(row, "table")),
			   json_integer_value(json_object_get(row, "rowid")),
			   json_string_value(json_object_get(row, "parent")));
		count++;
	}
	json_decref(rows);
	return count;
}

/* Records an audit line: who (0 for the system), action, object, before/after. */
int db_audit(long long user_id, const char *action, const char *object, long long object_id,
	     const char *before, const char *after)
{
	return db_exec("INSERT INTO audit (user_id, action, object, object_id, before, after) "
		       "VALUES (nullif(?, 0), ?, ?, nullif(?, 0), ?, ?)", "ittitt",
		       user_id, action, object, object_id, before, after) < 0 ? -1 : 0;
}

/* Runs a script of statements without parameters; 0 or -1. */
int db_script(const char *sql)
{
	struct conn *c = conn_get();
	if (!c)
		return -1;
	char *msg = NULL;
	int rc = sqlite3_exec(c->db, sql, NULL, NULL, &msg);
	if (rc != SQLITE_OK)
		log_error("SQL : %s", msg ? msg : sqlite3_errstr(rc));
	sqlite3_free(msg);
	c->last_err = rc;
	c->failed = c->failed || (rc != SQLITE_OK && (rc & 0xff) != SQLITE_CONSTRAINT);
	return rc == SQLITE_OK ? 0 : -1;
}

/* Where the tokens of one db_tokens call go. */
struct token_sink {
	void (*cb)(void *ctx, const char *tok, size_t n, size_t start, size_t end);
	void *ctx;
};

/* Token callback of db_tokens. */
static int sink_token(void *p, int tflags, const char *tok, int n, int start, int end)
{
	(void)tflags;
	struct token_sink *s = p;
	s->cb(s->ctx, tok, (size_t)n, (size_t)start, (size_t)end);
	return SQLITE_OK;
}

/* Runs the index's tokenizer over text[0..n), calling cb for each term. */
int db_tokens(const char *text, size_t n, enum db_tokens_mode mode,
	      void (*cb)(void *ctx, const char *tok, size_t n, size_t start, size_t end),
	      void *ctx)
{
	struct conn *c = conn_get();
	if (!c || n > INT_MAX)
		return -1;
	if (!c->tokenizer && fr_create(c->fts, NULL, 0, &c->tokenizer) != SQLITE_OK) {
		c->tokenizer = NULL;
		return -1;
	}
	struct token_sink sink = {cb, ctx};
	static const int flags[] = {FTS5_TOKENIZE_DOCUMENT, FTS5_TOKENIZE_QUERY, FTS5_TOKENIZE_AUX};
	return fr_tokenize(c->tokenizer, &sink, flags[mode], text, (int)n, sink_token) == SQLITE_OK
		       ? 0 : -1;
}

/* Copies every page of src into dst with the backup API, in one step (a
 * snapshot: writers of src go on meanwhile, in WAL mode); 0 or -1. */
static int copy_pages(sqlite3 *dst, sqlite3 *src, struct buf *err)
{
	sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
	if (!b) {
		buf_printf(err, "copie impossible : %s", db_failure(dst));
		return -1;
	}
	int rc;
	while ((rc = sqlite3_backup_step(b, -1)) == SQLITE_BUSY || rc == SQLITE_LOCKED)
		sqlite3_sleep(50);
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE) {
		buf_printf(err, "copie interrompue : %s", db_words(rc, NULL));
		return -1;
	}
	return 0;
}

/* Tells whether the database file db passes integrity_check and has a
 * schema this release knows; appends why not to err. */
static bool usable(sqlite3 *db, struct buf *err)
{
	sqlite3_stmt *st = NULL;
	bool ok = sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL) == SQLITE_OK &&
		  sqlite3_step(st) == SQLITE_ROW &&
		  strcmp((const char *)sqlite3_column_text(st, 0), "ok") == 0;
	sqlite3_finalize(st);
	if (!ok) {
		buf_printf(err, "le fichier n'est pas une base SQLite intacte");
		return false;
	}
	int version = -1;
	if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		version = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (version < 1 || version > db_latest_version()) {
		buf_printf(err, "le fichier n'est pas une base de Maillage que cette version sait lire "
			   "(schéma %d)", version);
		return false;
	}
	return true;
}

/* Copies the open database into a new file path, consistent while others
 * write; 0 or -1 with err set. */
int db_backup(const char *path, struct buf *err)
{
	struct conn *c = conn_get();
	char tmp[4200];
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	unlink(tmp);
	sqlite3 *dst = NULL;
	int rc = -1;
	if (!c) {
		buf_printf(err, "base illisible");
	} else if (sqlite3_open_v2(tmp, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
		   SQLITE_OK) {
		buf_printf(err, "%s : écriture impossible", tmp);
	} else if (copy_pages(dst, c->db, err) == 0 && usable(dst, err)) {
		rc = 0;
	}
	if (dst && sqlite3_close(dst) != SQLITE_OK)
		rc = -1;
	if (rc == 0 && rename(tmp, path) < 0) {
		buf_printf(err, "%s : %s", path, text_errno(errno));
		rc = -1;
	}
	if (rc < 0)
		unlink(tmp);
	return rc;
}

/* Replaces the open database with the copy in path after checking it;
 * 0 or -1 with err set (nothing changed). */
int db_restore(const char *path, struct buf *err)
{
	struct conn *c = conn_get();
	sqlite3 *src = NULL;
	int rc = -1;
	if (!c)
		buf_printf(err, "base illisible");
	else if (sqlite3_open_v2(path, &src, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		buf_printf(err, "%s : illisible", path);
	else if (usable(src, err) && copy_pages(c->db, src, err) == 0)
		rc = 0;
	if (src)
		sqlite3_close(src);
	lengths_publish(NULL); /* the former database's */
	return rc;
}
