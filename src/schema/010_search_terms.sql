-- 010: how many documents hold each term of the index in their title or
-- text: bm25's document frequency, which FTS5 would otherwise count at
-- every search by reading the whole list of each word searched (a quarter
-- of a search's time at 100,000 meetings). search.c keeps it in the same
-- transaction as doc_fts (search_flush); here it is counted once from the
-- index itself.
CREATE TABLE doc_term (
	term TEXT PRIMARY KEY,
	docs INTEGER NOT NULL
) WITHOUT ROWID;

CREATE VIRTUAL TABLE temp.doc_term_source USING fts5vocab(main, doc_fts, instance);
INSERT INTO doc_term (term, docs)
SELECT term, count(*) FROM (SELECT DISTINCT term, doc FROM temp.doc_term_source WHERE col <> 'tags')
GROUP BY term;
DROP TABLE temp.doc_term_source;
