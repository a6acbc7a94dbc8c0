-- 006: the search index. doc_source says once what is searchable; doc holds
-- one row per searchable thing with what filters it (kept by the triggers
-- below, in the same transaction as the change); doc_fts indexes its title
-- and text (rowid = doc.id) with the French tokenizer that db.c registers on
-- Maillage's connections. doc_fts is written by temporary triggers of those
-- connections (search.c): a change made with another tool (the sqlite3
-- shell) still updates doc, and search_state then tells that doc_fts needs
-- rebuilding.
CREATE VIEW doc_source AS
SELECT ((CAST(julianday(date(m.start)) AS INTEGER) - 2340587) << 32) | (1 << 28) | m.id AS id,
	'meeting' AS kind, m.id AS ref, m.title AS title,
	trim(m.agenda_text || char(10) || m.minutes_text, char(9, 10, 13, 32)) AS text,
	'/meetings/' || m.id AS url, m.body_id AS body_id, b.commune_nis AS commune_nis,
	substr(m.start, 1, 10) AS date, m.visibility AS visibility,
	'kmeeting v' || m.visibility || ' b' || m.body_id || coalesce(' c' || b.commune_nis, '')
	|| coalesce(' t' || b.territory_id, '') || coalesce(' t' || c.territory_id, '') AS tags
FROM meeting m JOIN body b ON b.id = m.body_id LEFT JOIN commune c ON c.nis = b.commune_nis
WHERE m.deleted = 0
UNION ALL
SELECT (2 << 28) | b.id, 'body', b.id, b.name, b.description_text, '/bodies/' || b.slug, b.id,
	b.commune_nis, NULL, CASE b.visibility WHEN 'internal' THEN 'internal' ELSE 'public' END,
	'kbody v' || CASE b.visibility WHEN 'internal' THEN 'internal' ELSE 'public' END
	|| ' b' || b.id || coalesce(' c' || b.commune_nis, '') || coalesce(' t' || b.territory_id, '')
	|| coalesce(' t' || c.territory_id, '')
FROM body b LEFT JOIN commune c ON c.nis = b.commune_nis
UNION ALL
SELECT (3 << 28) | o.id, 'organisation', o.id, o.name || coalesce(' (' || o.acronym || ')', ''),
	o.description_text, '/organisations/' || o.slug, NULL, o.commune_nis, NULL, 'public',
	'korganisation vpublic' || coalesce(' c' || o.commune_nis, '') || coalesce(' t' || c.territory_id, '')
FROM organisation o LEFT JOIN commune c ON c.nis = o.commune_nis;

-- doc.id is doc_source's: the document's day in its high bits, so that the
-- full-text index's rowid order is the documents' date order (a date range
-- is a rowid range; ties in rank go to the newest), then its kind and ref.
CREATE TABLE doc (
	id INTEGER PRIMARY KEY,
	kind TEXT NOT NULL,
	ref INTEGER NOT NULL,
	title TEXT NOT NULL,
	url TEXT NOT NULL,
	body_id INTEGER,
	commune_nis INTEGER,
	date TEXT,
	visibility TEXT NOT NULL
);
CREATE UNIQUE INDEX doc_ref ON doc(kind, ref);
CREATE INDEX doc_body ON doc(body_id);
CREATE INDEX doc_commune ON doc(commune_nis);
CREATE INDEX doc_date ON doc(date);

-- tags: what filters a document (kind, visibility, body, commune,
-- territory) as words, so that filters and the visibility rule are part of
-- the full-text query
CREATE VIRTUAL TABLE doc_fts USING fts5(title, text, tags, tokenize='maillage');

-- changes made to doc, and those that reached doc_fts: equal when in step
CREATE TABLE search_state (
	doc_changes INTEGER NOT NULL,
	fts_changes INTEGER NOT NULL
);
INSERT INTO search_state VALUES (0, 0);
CREATE TRIGGER doc_changed_insert AFTER INSERT ON doc BEGIN
	UPDATE search_state SET doc_changes = doc_changes + 1;
END;
CREATE TRIGGER doc_changed_delete AFTER DELETE ON doc BEGIN
	UPDATE search_state SET doc_changes = doc_changes + 1;
END;

CREATE TRIGGER meeting_doc_insert AFTER INSERT ON meeting BEGIN
	INSERT INTO doc (id, kind, ref, title, url, body_id, commune_nis, date, visibility)
	SELECT id, kind, ref, title, url, body_id, commune_nis, date, visibility FROM doc_source WHERE kind = 'meeting' AND ref = new.id;
END;
CREATE TRIGGER meeting_doc_update AFTER UPDATE ON meeting BEGIN
	DELETE FROM doc WHERE kind = 'meeting' AND ref = new.id;
	INSERT INTO doc (id, kind, ref, title, url, body_id, commune_nis, date, visibility)
	SELECT id, kind, ref, title, url, body_id, commune_nis, date, visibility FROM doc_source WHERE kind = 'meeting' AND ref = new.id;
END;
CREATE TRIGGER meeting_doc_delete AFTER DELETE ON meeting BEGIN
	DELETE FROM doc WHERE kind = 'meeting' AND ref = old.id;
END;

CREATE TRIGGER body_doc_insert AFTER INSERT ON body BEGIN
	INSERT INTO doc (id, kind, ref, title, url, body_id, commune_nis, date, visibility)
	SELECT id, kind, ref, title, url, body_id, commune_nis, date, visibility FROM doc_source WHERE kind = 'body' AND ref = new.id;
END;
CREATE TRIGGER body_doc_update AFTER UPDATE ON body BEGIN
	DELETE FROM doc WHERE kind = 'body' AND ref = new.id;
	INSERT INTO doc (id, kind, ref, title, url, body_id, commune_nis, date, visibility)
	SELECT id, kind, ref, title, url, body_id, commune_nis, date, visibility FROM doc_source WHERE kind = 'body' AND ref = new.id;
END;
-- a body's commune and territory are its meetings'
CREATE TRIGGER body_doc_place AFTER UPDATE OF commune_nis, territory_id ON body
WHEN old.commune_nis IS NOT new.commune_nis OR old.territory_id IS NOT new.territory_id BEGIN
	DELETE FROM doc WHERE kind = 'meeting' AND body_id = new.id;
	INSERT INTO doc (id, kind, ref, title, url, body_id, commune_nis, date, visibility)
	SELECT id, kind, ref, title, url, body_id, commune_nis, date, visibility FROM doc_source WHERE kind = 'meeting' AND body_id = new.id;
END;
CREATE TRIGGER body_doc_delete AFTER DELETE ON body BEGIN
	DELETE FROM doc WHERE kind = 'body' AND ref = old.id;
END;

-- a commune's territory is that of what lies in it
CREATE TRIGGER commune_doc_territory AFTER UPDATE OF territory_id ON commune
WHEN old.territory_id IS NOT new.territory_id BEGIN
	DELETE FROM doc WHERE commune_nis = new.nis;
	INSERT INTO doc (id, kind, ref, title, url, body_id, commune_nis, date, visibility)
	SELECT id, kind, ref, title, url, body_id, commune_nis, date, visibility FROM doc_source
	WHERE commune_nis = new.nis;
END;

CREATE TRIGGER organisation_doc_insert AFTER INSERT ON organisation BEGIN
	INSERT INTO doc (id, kind, ref, title, url, body_id, commune_nis, date, visibility)
	SELECT id, kind, ref, title, url, body_id, commune_nis, date, visibility FROM doc_source WHERE kind = 'organisation' AND ref = new.id;
END;
CREATE TRIGGER organisation_doc_update AFTER UPDATE ON organisation BEGIN
	DELETE FROM doc WHERE kind = 'organisation' AND ref = new.id;
	INSERT INTO doc (id, kind, ref, title, url, body_id, commune_nis, date, visibility)
	SELECT id, kind, ref, title, url, body_id, commune_nis, date, visibility FROM doc_source WHERE kind = 'organisation' AND ref = new.id;
END;
CREATE TRIGGER organisation_doc_delete AFTER DELETE ON organisation BEGIN
	DELETE FROM doc WHERE kind = 'organisation' AND ref = old.id;
END;

-- what the databases made before this migration already hold, indexed
INSERT INTO doc (id, kind, ref, title, url, body_id, commune_nis, date, visibility)
SELECT id, kind, ref, title, url, body_id, commune_nis, date, visibility FROM doc_source;
INSERT INTO doc_fts (rowid, title, text, tags) SELECT id, title, text, tags FROM doc_source;
UPDATE search_state SET fts_changes = doc_changes;
