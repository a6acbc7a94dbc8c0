/* test_search.c — the French tokenizer, the making of FTS5 expressions from
 * what people type, and the index kept in step with the data. */
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../src/db.h"
#include "../../src/search.h"
#include "../test.h"
#include "unit.h"

/* Appends each term to a buffer, separated by spaces. */
static void join_token(void *ctx, const char *tok, size_t n, size_t start, size_t end)
{
	(void)start, (void)end;
	struct buf *b = ctx;
	if (b->len)
		buf_putc(b, ' ');
	buf_append(b, tok, n);
}

/* Returns the terms the index keeps for text (static buffer). */
static const char *terms(const char *text)
{
	static struct buf out;
	buf_reset(&out);
	if (db_tokens(text, strlen(text), DB_TOKENS_DOCUMENT, join_token, &out) < 0)
		return "(erreur)";
	return buf_str(&out);
}

/* Checks that two texts give the same terms, and at least one. */
#define SAME_TERMS(a, b)                                                                     \
	do {                                                                                 \
		char first_[256];                                                            \
		snprintf(first_, sizeof(first_), "%s", terms(a));                            \
		CHECKF(*first_ && strcmp(first_, terms(b)) == 0, "« %s » → %s, « %s » → %s", \
		       (a), first_, (b), terms(b));                                          \
	} while (0)

/* Accents, case and French endings: what people type finds what was written. */
static void tokenizer_french(void)
{
	SAME_TERMS("réunions", "réunion");
	SAME_TERMS("Réunions", "reunion");
	SAME_TERMS("accompagnées", "accompagnement");
	SAME_TERMS("accompagnees", "accompagnées");
	SAME_TERMS("interculturalite", "interculturalité");
	SAME_TERMS("Éducation", "education");
	SAME_TERMS("ÉDUCATION", "éducation");
	SAME_TERMS("communes", "Commune");
	char mobilite[64];
	snprintf(mobilite, sizeof(mobilite), "%s", terms("mobilité"));
	CHECK(*mobilite && strcmp(mobilite, terms("santé")) != 0);
}

/* Ligatures, apostrophes, hyphens, numbers, emoji and broken UTF-8. */
static void tokenizer_edges(void)
{
	SAME_TERMS("œuvre", "oeuvre");
	SAME_TERMS("Œuvres", "oeuvres");
	SAME_TERMS("ex æquo", "ex aequo");
	SAME_TERMS("l'intégration", "intégration");
	SAME_TERMS("l’intégration", "integration");
	SAME_TERMS("qu'il", "il");
	SAME_TERMS("jusqu’au", "au");
	CHECK_STR(terms("d"), "d"); /* a lone letter is kept; only an elision goes */
	CHECK_STR(terms("Jemeppe-sur-Sambre"), terms("jemeppe sur sambre"));
	CHECK_INT(strlen(terms("Jemeppe-sur-Sambre")) > 0, 1);
	CHECK_STR(terms("2020 15/03/2021"), "2020 15 03 2021");
	SAME_TERMS("réunion 🙂 🇧🇪", "réunion");
	CHECK_STR(terms("🙂"), "");
	CHECK_STR(terms(""), "");
	const char *broken = "r\xC3union \xFF\xFE mobilit\xC3\xA9 \xE2\x82";
	const char *t = terms(broken);
	CHECK(strstr(t, terms("mobilité")) != NULL);
	char long_word[5001];
	memset(long_word, 'a', 5000);
	long_word[5000] = '\0';
	CHECK_INT(strlen(terms(long_word)), 5000); /* too long to stem: kept whole */
}

/* Where db_tokens puts the raw tokens of a text: their bytes. */
struct raw_tokens {
	size_t n, cap;
	size_t (*at)[2];
};

/* Notes one raw token (db_tokens callback). */
static void note_raw(void *ctx, const char *tok, size_t n, size_t start, size_t end)
{
	(void)tok, (void)n;
	struct raw_tokens *r = ctx;
	if (r->n == r->cap && !(r->at = realloc(r->at, (r->cap = 2 * r->cap + 64) * sizeof(*r->at))))
		abort();
	r->at[r->n][0] = start, r->at[r->n++][1] = end;
}

/* A filter remembers the stems it computes: every word of the demo network
 * and of the activity report when it is beside the project (and words too
 * long to remember), through one filter that remembers,
 * collides and evicts, gives the term a new filter gives. */
static void stem_memo(void)
{
	struct buf text = {0};
	test_read_command("cat content/organisations/*.md content/bodies/*/*.md content/letters/*.md "
			  "content/motions/*.md; cat ../shared/seed/*.txt 2>/dev/null", &text);
	buf_puts(&text, " anticonstitutionnellement interculturalités accompagnées l'intégration");
	struct raw_tokens r = {0};
	db_tokens(text.data, text.len, DB_TOKENS_RAW, note_raw, &r);
	CHECKF(r.n > 3000, "%zu mots dans content/", r.n);
	struct search_stemmer *shared = search_stemmer_new();
	size_t differ = 0;
	for (int round = 0; round < 2; round++) /* the second round mostly from memory */
		for (size_t i = 0; i < r.n; i++) {
			const char *tok = text.data + r.at[i][0];
			size_t ntok = r.at[i][1] - r.at[i][0], n1 = 0, n2 = 0;
			const char *t1 = search_term(shared, text.data, text.len, tok, ntok, r.at[i][1],
						     false, &n1);
			char kept[256];
			snprintf(kept, sizeof(kept), "%.*s", t1 ? (int)n1 : 0, t1 ? t1 : "");
			struct search_stemmer *fresh = search_stemmer_new();
			const char *t2 = search_term(fresh, text.data, text.len, tok, ntok, r.at[i][1],
						     false, &n2);
			if ((t1 == NULL) != (t2 == NULL) || (t2 && (n1 != n2 || memcmp(kept, t2, n2) != 0)))
				differ++;
			search_stemmer_free(fresh);
		}
	CHECK_INT(differ, 0);
	search_stemmer_free(shared);
	free(r.at);
	buf_free(&text);
}

/* Checks the FTS5 expression made of a query. */
#define EXPR(query, expected)                                                 \
	do {                                                                  \
		search_expression((query), &e);                               \
		CHECKF(strcmp(buf_str(&e), (expected)) == 0, "« %s » → %s", \
		       (query), buf_str(&e));                                 \
	} while (0)

/* Words ANDed, phrases, exclusions, prefixes; operators typed by people
 * are only text. */
static void expressions(void)
{
	struct buf e = {0};
	EXPR("mobilité Ciney", "\"mobilité\" AND \"Ciney\"");
	EXPR("  \"santé mentale\"  ", "\"santé mentale\"");
	EXPR("mobilité -Ciney -Dinant", "(\"mobilité\") NOT \"Ciney\" NOT \"Dinant\"");
	EXPR("accomp*", "\"accomp\"*");
	EXPR("accomp**", "\"accomp\"*");
	EXPR("a* ré*", "\"a\" AND \"ré\"*");
	EXPR("-Ciney", "");
	EXPR("", "");
	EXPR("((( ))) : * - \"", "");
	EXPR("a OR b", "\"a\" AND \"OR\" AND \"b\"");
	EXPR("NEAR(a b)", "\"NEAR(a\" AND \"b)\"");
	EXPR("title:secret", "\"title:secret\"");
	EXPR("\"guillemet pas fermé", "\"guillemet pas fermé\"");
	EXPR("dit \"\"\"", "\"dit\"");
	EXPR("^début +plus", "\"^début\" AND \"+plus\"");
	EXPR("a\tb\x01" "c", "\"a\" AND \"b\" AND \"c\"");
	EXPR("mot 🙂", "\"mot\"");
	struct buf many = {0};
	for (int i = 0; i < 100; i++)
		buf_printf(&many, "mot%d ", i);
	search_expression(buf_str(&many), &e);
	CHECK(strstr(buf_str(&e), "\"mot31\"") && !strstr(buf_str(&e), "\"mot32\""));
	buf_free(&many);
	buf_free(&e);
}

/* Creates a small network: one body, two meetings (one for members only). */
static void small_network(void)
{
	CHECK(db_exec("INSERT INTO organisation (slug, name) VALUES ('cpas', 'CPAS de Ciney')",
		      NULL) == 1);
	CHECK(db_exec("INSERT INTO body (slug, name, kind, description_text) VALUES "
		      "('gt-mobilite', 'GT Mobilité', 'working_group', 'Le groupe de travail "
		      "sur la mobilité des personnes accompagnées.')", NULL) == 1);
	CHECK(db_exec("INSERT INTO meeting (body_id, title, start, visibility, minutes_text) "
		      "VALUES (1, 'Réunion de janvier', '2021-01-12T09:30', 'public', "
		      "'Les réunions de quartier reprennent à Ciney.'), "
		      "(1, 'Réunion de mars', '2021-03-09T09:30', 'members', "
		      "'Le covoiturage solidaire avance : zanzibar.')", NULL) == 2);
}

/* Returns the total of a search for q by role (organisation org). */
static long long total(const char *q, int role, long long org)
{
	struct search_query sq = {.q = q, .page = 1, .role = role, .org_id = org};
	json_t *r = search_run(&sq);
	long long n = r ? json_integer_value(json_object_get(r, "total")) : -1;
	json_decref(r);
	return n;
}

/* Returns the snippet of the first result of q for the coordination
 * (static until the next call). */
static const char *first_snippet(const char *q)
{
	static char out[1024];
	struct search_query sq = {.q = q, .page = 1, .role = 4};
	json_t *r = search_run(&sq);
	const char *s = json_string_value(
		json_object_get(json_array_get(json_object_get(r, "results"), 0), "snippet_html"));
	snprintf(out, sizeof(out), "%s", s ? s : "(aucun)");
	json_decref(r);
	return out;
}

/* Tells whether the index matches the data. */
static bool index_ok(void)
{
	struct buf p = {0};
	int n = search_check(&p);
	buf_free(&p);
	return n == 0;
}

/* The index follows inserts, edits, soft deletes and restores; check finds a
 * tampered index and reindex mends it. */
static void index_in_step(void)
{
	small_network();
	CHECK(index_ok());
	CHECK_INT(total("réunion", 4, 0), 2);
	CHECK_INT(total("zanzibar", 4, 0), 1);
	CHECK_INT(total("zanzibar", 0, 0), 0); /* members only */
	CHECK_INT(total("accompagnement", 0, 0), 1);
	/* snippets: stemmed and prefixed words marked, text escaped */
	CHECK_STR(first_snippet("réunion Ciney"),
		  "Les <mark>réunions</mark> de quartier reprennent à <mark>Ciney</mark>.");
	CHECK_STR(first_snippet("quart* -zanzibar"),
		  "Les réunions de <mark>quartier</mark> reprennent à Ciney.");
	CHECK(db_exec("UPDATE meeting SET minutes_text = 'Un <b>castor</b> & « des » mots.' "
		      "WHERE id = 1", NULL) == 1);
	CHECK_STR(first_snippet("castors"),
		  "Un &lt;b&gt;<mark>castor</mark>&lt;/b&gt; &amp; « des » mots.");
	CHECK(db_exec("UPDATE meeting SET minutes_text = 'Les réunions de quartier reprennent "
		      "à Ciney.' WHERE id = 1", NULL) == 1);
	CHECK(db_exec("UPDATE meeting SET minutes_text = 'Plus un mot : madagascar.' WHERE id = 2",
		      NULL) == 1);
	CHECK_INT(total("zanzibar", 4, 0), 0);
	CHECK_INT(total("madagascar", 4, 0), 1);
	CHECK(db_exec("UPDATE meeting SET deleted = 1 WHERE id = 2", NULL) == 1);
	CHECK_INT(total("madagascar", 4, 0), 0);
	CHECK(index_ok());
	CHECK(db_exec("UPDATE meeting SET deleted = 0 WHERE id = 2", NULL) == 1);
	CHECK_INT(total("madagascar", 4, 0), 1);
	CHECK(db_exec("UPDATE body SET name = 'Groupe mobilité et transport' WHERE id = 1",
		      NULL) == 1);
	CHECK_INT(total("transport", 4, 0), 1);
	CHECK(index_ok());
	/* another tool (without the connection's triggers) changes the data */
	CHECK(db_exec("DROP TRIGGER temp.doc_fts_delete", NULL) >= 0);
	CHECK(db_exec("DELETE FROM doc WHERE kind = 'meeting'", NULL) == 2);
	CHECK(search_stale());
	CHECK(!index_ok());
	CHECK(search_reindex() == 0);
	CHECK(!search_stale());
	CHECK(index_ok());
	CHECK_INT(total("madagascar", 4, 0), 1);
	/* the full-text index itself loses a row */
	CHECK(db_exec("DELETE FROM doc_fts WHERE rowid = (SELECT max(id) FROM doc)", NULL) == 1);
	CHECK(!index_ok());
	CHECK(search_reindex() == 0);
	CHECK(index_ok());
	/* the connection's triggers are back after a rebuild */
	CHECK(db_exec("UPDATE meeting SET minutes_text = 'Un dernier mot : tombouctou.' "
		      "WHERE id = 2", NULL) == 1);
	CHECK_INT(total("tombouctou", 4, 0), 1);
	CHECK(index_ok());
	/* one transaction: a meeting created and deleted, another kept; then a
	 * transaction rolled back leaves nothing behind */
	CHECK(db_begin() == 0);
	CHECK(db_exec("INSERT INTO meeting (body_id, title, start, minutes_text) VALUES "
		      "(1, 'Éphémère', '2021-05-01', 'capybara')", NULL) == 1);
	CHECK(db_exec("DELETE FROM meeting WHERE title = 'Éphémère'", NULL) == 1);
	CHECK(db_exec("INSERT INTO meeting (body_id, title, start, minutes_text) VALUES "
		      "(1, 'Durable', '2021-05-02', 'capybara')", NULL) == 1);
	CHECK(db_commit() == 0);
	CHECK_INT(total("capybara", 4, 0), 1);
	CHECK(db_begin() == 0);
	CHECK(db_exec("UPDATE meeting SET minutes_text = 'quokka' WHERE title = 'Durable'", NULL) == 1);
	db_rollback();
	CHECK_INT(total("quokka", 4, 0), 0);
	CHECK_INT(total("capybara", 4, 0), 1);
	CHECK(index_ok());
	/* ranking: a title outweighs a mention in a long text; maillage_rank
	 * orders as FTS5's bm25 with the same weights and the tags not counted */
	CHECK(db_exec("INSERT INTO meeting (body_id, title, start, visibility, minutes_text) VALUES "
		      "(1, 'Bilan', '2021-06-01', 'public', 'Un mot du covoiturage parmi bien "
		      "d''autres mots de ce long compte rendu de réunion.'), (1, 'Covoiturage', "
		      "'2020-06-01', 'public', 'Rien d''autre.'), (1, 'Covoiturage et covoiturage', "
		      "'2019-06-01', 'public', 'Encore du covoiturage.')", NULL) == 3);
	struct search_query sq = {.q = "covoiturage", .page = 1, .role = 0};
	json_t *r = search_run(&sq);
	json_t *results = json_object_get(r, "results");
	CHECK_INT(json_array_size(results), 3);
	CHECK_STR(json_string_value(json_object_get(json_array_get(results, 0), "title")),
		  "Covoiturage et covoiturage");
	CHECK_STR(json_string_value(json_object_get(json_array_get(results, 2), "title")), "Bilan");
	json_decref(r);
	const char *q = "{title text} : (\"covoiturage\" OR \"mot\") AND tags : (vpublic)";
	json_t *bm25 = db_rows("SELECT rowid FROM doc_fts WHERE doc_fts MATCH ? "
			       "ORDER BY bm25(doc_fts, 5.0, 1.0, 0.0), rowid DESC", "t", q);
	json_t *ours = db_rows("SELECT rowid FROM doc_fts WHERE doc_fts MATCH ? "
			       "ORDER BY maillage_rank(doc_fts, 1), rowid DESC", "t", q);
	CHECK(bm25 && json_array_size(bm25) >= 3 && json_equal(bm25, ours));
	json_decref(bm25);
	json_decref(ours);
}

/* Adds a body and n meetings whose texts repeat a few words a varying number
 * of times (short texts, texts over 128 and over 16,384 words, whose
 * lengths take two and three bytes in the index), some twins of each
 * other, one in two public. */
static void ranking_corpus(int n)
{
	static const char *const words[] = {"covoiturage", "logement", "emploi", "santé",
					    "permanence", "quartier", "accueil", "formation"};
	struct buf text = {0}, title = {0};
	CHECK(db_begin() == 0);
	CHECK(db_exec("INSERT INTO body (slug, name, kind) VALUES ('gt-classement', 'GT Classement', "
		      "'working_group')", NULL) == 1);
	long long body = db_last_id();
	for (int i = 0; i < n; i++) {
		int twin = i % 7 == 3 ? i - 1 : i; /* the same words as the meeting before */
		buf_reset(&text);
		buf_reset(&title);
		int len = twin % 50 == 0 ? 17000 : twin % 5 == 0 ? 300 : 3 + twin % 40;
		for (int w = 0; w < len; w++)
			buf_printf(&text, "%s ", w % (2 + twin % 9) == 0 ? words[(w + twin) % 8] : "mot");
		buf_printf(&title, "Réunion %s", twin % 4 == 0 ? words[twin % 8] : "ordinaire");
		char day[16];
		snprintf(day, sizeof(day), "2022-%02d-%02d", 1 + i % 12, 1 + i % 28);
		CHECK(db_exec("INSERT INTO meeting (body_id, title, start, visibility, minutes_text) "
			      "VALUES (?, ?, ?, ?, ?)", "itttt", body, buf_str(&title), day,
			      i % 2 ? "members" : "public", buf_str(&text)) == 1);
	}
	CHECK(db_commit() == 0);
	buf_free(&text);
	buf_free(&title);
}

/* Checks that db_rank on one thread or two (the index split in two ranges
 * of ids) keeps the keep best of expression q exactly as sorting every
 * match by maillage_rank would, newest first on a tie, and counts them all
 * (total). */
static void ranked_as_sorted(const char *q, int ntags, long long keep, int threads, size_t total)
{
	db_rank_split(threads == 2 ? 1 : 1000000);
	json_t *sorted = db_rows("SELECT rowid AS id FROM doc_fts WHERE doc_fts MATCH ? "
				 "ORDER BY maillage_rank(doc_fts, ?), rowid DESC LIMIT ?", "tii", q,
				 (long long)ntags, keep);
	struct db_rank r = {.match = q, .ntags = ntags, .lo = -(1LL << 62), .hi = 1LL << 62,
			    .keep = (size_t)keep};
	CHECK(db_rank(&r) == 0);
	CHECKF(r.n == json_array_size(sorted), "%s : %zu gardés sur %lld (%d fil%s)", q, r.n, keep,
	       threads, threads > 1 ? "s" : "");
	for (size_t i = 0; i < r.n && i < json_array_size(sorted); i++)
		CHECKF(r.ids[i] == json_integer_value(json_object_get(json_array_get(sorted, i), "id")),
		       "%s : rang %zu (%d fil%s)", q, i + 1, threads, threads > 1 ? "s" : "");
	CHECK_INT(r.count[1], total);
	free(r.ids);
	json_decref(sorted);
	db_rank_split(0);
}

/* The one-pass ranking keeps exactly what sorting every match would:
 * maillage_rank equals FTS5's bm25 with the same weights (the document
 * lengths it reads itself), and db_rank's best pages and counts equal
 * ORDER BY maillage_rank, newest first on a tie, and count(*). */
static void ranking_pass(void)
{
	ranking_corpus(400);
	static const char *const queries[] = {
		"{title text} : (\"covoiturage\") AND tags : (vpublic)",
		"{title text} : (\"mot\" AND \"emploi\") AND tags : (vpublic)",
		"{title text} : (\"reunion\" OR \"quarti\" OR \"sant\")",
		"{title text} : (\"mot\") AND tags : (vpublic OR vmembers)",
	};
	for (size_t q = 0; q < sizeof(queries) / sizeof(queries[0]); q++) {
		int ntags = strstr(queries[q], "tags") ? 1 + (strstr(queries[q], " OR v") != NULL) : 0;
		json_t *bm25 = db_rows("SELECT rowid AS id, bm25(doc_fts, 5.0, 1.0, 0.0) AS r FROM doc_fts "
				       "WHERE doc_fts MATCH ? ORDER BY rowid", "t", queries[q]);
		json_t *ours = db_rows("SELECT rowid AS id, maillage_rank(doc_fts, ?) AS r FROM "
				       "doc_fts WHERE doc_fts MATCH ? ORDER BY rowid", "it", (long long)ntags,
				       queries[q]);
		CHECKF(bm25 && json_array_size(bm25) > 40 && json_array_size(bm25) == json_array_size(ours),
		       "%s : %zu résultats", queries[q], json_array_size(bm25));
		for (size_t i = 0; ntags == 0 && i < json_array_size(bm25); i++) {
			double a = json_real_value(json_object_get(json_array_get(bm25, i), "r"));
			double b = json_real_value(json_object_get(json_array_get(ours, i), "r"));
			CHECKF(a < 0 && a - b < 1e-9 && b - a < 1e-9, "%s : bm25 %g, maillage_rank %g",
			       queries[q], a, b);
		}
		for (int threads = 1; threads <= 2; threads++)
			for (long long keep = 20; keep <= 60; keep += 40)
				ranked_as_sorted(queries[q], ntags, keep, threads, json_array_size(bm25));
		json_decref(bm25);
		json_decref(ours);
	}
	/* a page far beyond the last: the last page shown, empty, the total kept */
	struct search_query far = {.q = "covoiturage", .page = LONG_MAX, .role = 4};
	json_t *res = search_run(&far);
	CHECK(res && json_integer_value(json_object_get(res, "page")) == SEARCH_PAGES);
	CHECK(json_array_size(json_object_get(res, "results")) == 0 &&
	      json_integer_value(json_object_get(res, "total")) > 40 &&
	      json_is_false(json_object_get(res, "more")));
	json_decref(res);
	/* limited to one kind: only those ranked, every kind still counted */
	const char *both = "{title text} : (\"classement\" OR \"covoiturage\")";
	for (long long kind = 1; kind <= 2; kind++) {
		json_t *sorted = db_rows("SELECT rowid AS id FROM doc_fts WHERE doc_fts MATCH ? AND "
					 "(rowid >> 28) & 15 = ? ORDER BY maillage_rank(doc_fts, 0), "
					 "rowid DESC LIMIT 20", "ti", both, kind);
		struct db_rank r = {.match = both, .lo = -(1LL << 62), .hi = 1LL << 62, .keep = 20,
				    .kind = kind};
		CHECK(db_rank(&r) == 0);
		CHECK(r.n > 0 && r.n == json_array_size(sorted));
		for (size_t i = 0; i < r.n && i < json_array_size(sorted); i++)
			CHECK(r.ids[i] == json_integer_value(json_object_get(json_array_get(sorted, i), "id")));
		CHECK(r.count[1] > 20 && r.count[2] == 1);
		free(r.ids);
		json_decref(sorted);
	}
}

/* Checks that search_run's first page for q, read by role (anonymous or
 * the coordination), lists the documents in the order of FTS5's own bm25
 * (weights 5, 1, 0) over the same expression, newest first on a tie. */
static void same_as_bm25(const char *q, int role)
{
	struct search_query sq = {.q = q, .page = 1, .role = role};
	json_t *res = search_run(&sq);
	struct buf words = {0}, expr = {0};
	search_expression(q, &words);
	buf_printf(&expr, "{title text} : (%s)%s", buf_str(&words), role ? "" : " AND tags : (vpublic)");
	json_t *bm25 = db_rows("SELECT (SELECT url FROM doc WHERE id = f.rowid) AS url FROM doc_fts f "
			       "WHERE doc_fts MATCH ? ORDER BY bm25(doc_fts, 5.0, 1.0, 0.0), rowid DESC "
			       "LIMIT 20", "t", buf_str(&expr));
	json_t *results = json_object_get(res, "results");
	size_t n = json_array_size(results);
	CHECKF(n > 1 && n == json_array_size(bm25), "« %s » : %zu résultats, bm25 %zu", q, n,
	       json_array_size(bm25));
	size_t differ = 0;
	for (size_t i = 0; i < n && i < json_array_size(bm25); i++)
		differ += strcmp(json_string_value(json_object_get(json_array_get(results, i), "url")),
				 json_string_value(json_object_get(json_array_get(bm25, i), "url"))) != 0;
	CHECKF(differ == 0, "« %s » : %zu rangs différents de bm25", q, differ);
	json_decref(res);
	json_decref(bm25);
	buf_free(&words);
	buf_free(&expr);
}

/* Searches take the document counts of their words from doc_term (kept by
 * every change): the order stays bm25's, words of one term or several,
 * with a prefix or an exclusion; after edits and deletions too. On two
 * threads, as on a large index. */
static void ranking_counts(void)
{
	db_rank_split(1);
	same_as_bm25("covoiturage logement", 4);
	same_as_bm25("emploi quartier santé", 0);
	same_as_bm25("mot accueil -formation", 4);
	same_as_bm25("réunion perm*", 4);
	same_as_bm25("\"réunion covoiturage\" mot", 4);
	/* edits and deletions, alone and in a transaction (the lengths kept in
	 * memory follow them), new meetings between the others, a rollback */
	CHECK(db_exec("UPDATE meeting SET minutes_text = 'logement logement covoiturage' WHERE id IN "
		      "(SELECT id FROM meeting WHERE minutes_text LIKE '%emploi%' LIMIT 60)", NULL) == 60);
	CHECK(db_exec("UPDATE meeting SET deleted = 1 WHERE id IN (SELECT id FROM meeting WHERE "
		      "minutes_text LIKE '%covoiturage%' LIMIT 40)", NULL) == 40);
	same_as_bm25("covoiturage logement", 4);
	CHECK(db_begin() == 0);
	CHECK(db_exec("UPDATE meeting SET minutes_text = minutes_text || ' logement covoiturage "
		      "covoiturage mot mot mot' WHERE id % 3 = 0", NULL) > 50);
	CHECK(db_exec("INSERT INTO meeting (body_id, title, start, visibility, minutes_text) SELECT "
		      "body_id, 'Covoiturage ' || id, date(start, '+1 day'), 'public', 'logement "
		      "covoiturage' FROM meeting WHERE id % 10 = 1", NULL) > 20);
	CHECK(db_commit() == 0);
	same_as_bm25("covoiturage logement", 4);
	same_as_bm25("covoiturage logement", 0);
	CHECK(db_begin() == 0);
	CHECK(db_exec("UPDATE meeting SET minutes_text = 'covoiturage' WHERE id % 2 = 0", NULL) > 100);
	db_rollback();
	same_as_bm25("covoiturage logement", 4);
	CHECK(index_ok());
	db_rank_split(0);
}

/* One of the threads of ranking_threads: its searches and how many gave
 * other ids than the reference. */
struct ranker {
	const long long *expected;
	size_t n;
	int differ;
};

/* Ranks the reference query 30 times on this thread's own connection. */
static void *ranker_main(void *arg)
{
	struct ranker *k = arg;
	for (int i = 0; i < 30; i++) {
		struct db_rank r = {.match = "{title text} : (\"mot\")", .lo = -(1LL << 62),
				    .hi = 1LL << 62, .keep = 40};
		k->differ += db_rank(&r) != 0 || r.n != k->n ||
			     memcmp(r.ids, k->expected, k->n * sizeof(*r.ids)) != 0;
		free(r.ids);
	}
	db_close();
	return NULL;
}

/* Searches of three threads at once, each wanting the second core: those
 * that get it and those that rank alone find the same. */
static void ranking_threads(void)
{
	struct db_rank ref = {.match = "{title text} : (\"mot\")", .lo = -(1LL << 62),
			      .hi = 1LL << 62, .keep = 40};
	CHECK(db_rank(&ref) == 0 && ref.n == 40);
	db_rank_split(1);
	pthread_t t[3];
	struct ranker k[3];
	for (int i = 0; i < 3; i++) {
		k[i] = (struct ranker){ref.ids, ref.n, 0};
		CHECK(pthread_create(&t[i], NULL, ranker_main, &k[i]) == 0);
	}
	for (int i = 0; i < 3; i++) {
		pthread_join(t[i], NULL);
		CHECK_INT(k[i].differ, 0);
	}
	db_rank_split(0);
	free(ref.ids);
}

static long long moved_meeting; /* what the commit between the halves moves */

/* The commit between the two halves of a split search: the meeting moves
 * to a date, and so an id, in the upper half. */
static void move_meeting(void)
{
	CHECK(db_exec("UPDATE meeting SET start = '2099-12-31' WHERE id = ?", "i", moved_meeting) == 1);
}

/* A record whose id changes between the two halves' snapshots is found by
 * both; the search shows it once. */
static void split_shows_once(void)
{
	CHECK(db_exec("INSERT OR IGNORE INTO body (slug, name, kind) VALUES ('gt-dirigeables', "
		      "'GT Dirigeables', 'working_group')", NULL) >= 0);
	long long body = db_int(0, "SELECT id FROM body WHERE slug = 'gt-dirigeables'", NULL);
	CHECK(db_exec("INSERT INTO meeting (body_id, title, start, visibility, minutes_text) VALUES "
		      "(?1, 'Dirigeable', '1990-01-02', 'public', 'zeppelin zeppelin'), (?1, "
		      "'Ballon', '2090-01-02', 'public', 'zeppelin')", "i", body) == 2);
	for (int i = 0; i < 6; i++) /* later ones: the meeting that moves starts below the middle */
		CHECK(db_exec("INSERT INTO meeting (body_id, title, start, visibility, minutes_text) "
			      "VALUES (?, 'Montgolfière', '2080-01-0' || ?, 'public', 'nacelle')", "ii",
			      body, (long long)(i + 1)) == 1);
	moved_meeting = db_int(0, "SELECT id FROM meeting WHERE title = 'Dirigeable'", NULL);
	db_rank_split(1);
	db_rank_between(move_meeting);
	struct db_rank r = {.match = "{title text} : (\"zeppelin\")", .lo = -(1LL << 62),
			    .hi = 1LL << 62, .keep = 10};
	CHECK(db_rank(&r) == 0);
	db_rank_between(NULL);
	db_rank_split(0);
	CHECK_INT(r.n, 2);
	for (size_t i = 0; i < r.n; i++)
		for (size_t k = i + 1; k < r.n; k++)
			CHECKF((uint32_t)r.ids[i] != (uint32_t)r.ids[k], "rangs %zu et %zu : le même "
			       "document", i + 1, k + 1);
	free(r.ids);
	CHECK(db_exec("DELETE FROM meeting WHERE title IN ('Dirigeable', 'Ballon', 'Montgolfière')",
		      NULL) == 8);
}

static char index_db[160]; /* the path db_open is tried on without the index */

/* Without the search module's hooks, no database opens (its index could
 * not be kept); with them again, it does. */
static void index_hooks_required(void)
{
	struct buf err = {0};
	db_set_index(NULL);
	CHECK(db_open(index_db, true, &err) < 0);
	CHECK(strstr(buf_str(&err), "recherche") != NULL);
	CHECK(access(index_db, F_OK) != 0); /* nothing was created */
	search_install();
	buf_free(&err);
}

void unit_search(void)
{
	char dir[] = "/tmp/maillage-search-XXXXXX", path[128], cmd[200];
	struct buf err = {0};
	if (!mkdtemp(dir))
		return test_skip("search", "pas de dossier temporaire");
	snprintf(index_db, sizeof(index_db), "%s/sans-index.db", dir);
	RUN(index_hooks_required);
	snprintf(path, sizeof(path), "%s/s.db", dir);
	if (db_open(path, true, &err) < 0) {
		fprintf(stderr, "%s\n", buf_str(&err));
		buf_free(&err);
		return test_skip("search", "base temporaire impossible");
	}
	RUN(tokenizer_french);
	RUN(tokenizer_edges);
	RUN(stem_memo);
	RUN(expressions);
	RUN(index_in_step);
	RUN(ranking_pass);
	RUN(ranking_threads);
	RUN(ranking_counts);
	RUN(split_shows_once);
	db_close();
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "%s n'a pas pu être effacé\n", dir);
}
