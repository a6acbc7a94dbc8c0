-- 007: interpellations. Letters (open letters, cartes blanches, memos…) with
-- their co-signers and the communes they concern; motions carried from
-- commune to commune, with their promoters and their state in each commune;
-- the dated events of a letter or of a motion in one commune. Letters,
-- motions and events join the search index (doc_source is redefined).
CREATE TABLE letter (
	id INTEGER PRIMARY KEY,
	slug TEXT NOT NULL UNIQUE,
	kind TEXT NOT NULL CHECK (kind IN ('open_letter', 'carte_blanche', 'memo', 'plaidoyer',
		'courrier', 'press_release', 'question')),
	level TEXT NOT NULL CHECK (level IN ('commune', 'province', 'region', 'federal', 'europe')),
	title TEXT NOT NULL,
	date TEXT NOT NULL,
	addressees TEXT NOT NULL DEFAULT '',
	text TEXT NOT NULL DEFAULT '',
	text_html TEXT NOT NULL DEFAULT '',
	text_text TEXT NOT NULL DEFAULT '',
	render_version INTEGER NOT NULL DEFAULT 0,
	link TEXT,
	status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'sent', 'answered', 'closed')),
	body_id INTEGER REFERENCES body(id),
	visibility TEXT NOT NULL DEFAULT 'public' CHECK (visibility IN ('public', 'members', 'internal')),
	next_followup TEXT,
	deleted INTEGER NOT NULL DEFAULT 0,
	created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
	modified TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX letter_date ON letter(date);
CREATE INDEX letter_followup ON letter(next_followup) WHERE next_followup IS NOT NULL;
CREATE INDEX letter_stale ON letter(render_version);

CREATE TABLE letter_signer (
	letter_id INTEGER NOT NULL REFERENCES letter(id),
	organisation_id INTEGER NOT NULL REFERENCES organisation(id),
	PRIMARY KEY (letter_id, organisation_id)
) WITHOUT ROWID;
CREATE INDEX letter_signer_organisation ON letter_signer(organisation_id);

CREATE TABLE letter_commune (
	letter_id INTEGER NOT NULL REFERENCES letter(id),
	commune_nis INTEGER NOT NULL REFERENCES commune(nis),
	PRIMARY KEY (letter_id, commune_nis)
) WITHOUT ROWID;
CREATE INDEX letter_commune_nis ON letter_commune(commune_nis);

CREATE TABLE motion (
	id INTEGER PRIMARY KEY,
	slug TEXT NOT NULL UNIQUE,
	title TEXT NOT NULL,
	text TEXT NOT NULL DEFAULT '',
	text_html TEXT NOT NULL DEFAULT '',
	text_text TEXT NOT NULL DEFAULT '',
	render_version INTEGER NOT NULL DEFAULT 0,
	body_id INTEGER REFERENCES body(id),
	visibility TEXT NOT NULL DEFAULT 'public' CHECK (visibility IN ('public', 'members', 'internal')),
	deleted INTEGER NOT NULL DEFAULT 0,
	created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
	modified TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX motion_stale ON motion(render_version);

CREATE TABLE motion_promoter (
	motion_id INTEGER NOT NULL REFERENCES motion(id),
	organisation_id INTEGER NOT NULL REFERENCES organisation(id),
	PRIMARY KEY (motion_id, organisation_id)
) WITHOUT ROWID;

-- a motion in one commune: a row exists once something happened there
-- (no row reads as not_started)
CREATE TABLE motion_commune (
	id INTEGER PRIMARY KEY,
	motion_id INTEGER NOT NULL REFERENCES motion(id),
	commune_nis INTEGER NOT NULL REFERENCES commune(nis),
	state TEXT NOT NULL DEFAULT 'not_started' CHECK (state IN ('not_started', 'contact',
		'concertation', 'submitted', 'adopted_college', 'adopted_council', 'rejected',
		'implementation', 'stalled')),
	next_step TEXT NOT NULL DEFAULT '',
	next_followup TEXT,
	created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
	modified TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
	UNIQUE (motion_id, commune_nis)
);
CREATE INDEX motion_commune_nis ON motion_commune(commune_nis);
CREATE INDEX motion_commune_followup ON motion_commune(next_followup)
	WHERE next_followup IS NOT NULL;

-- one dated step of a letter, or of a motion in one commune (state: the
-- state it moved the motion to, if it did)
CREATE TABLE event (
	id INTEGER PRIMARY KEY,
	letter_id INTEGER REFERENCES letter(id),
	motion_commune_id INTEGER REFERENCES motion_commune(id),
	date TEXT NOT NULL,
	kind TEXT NOT NULL CHECK (kind IN ('sent', 'answer', 'meeting', 'vote', 'result',
		'followup', 'note')),
	state TEXT,
	note TEXT NOT NULL DEFAULT '',
	meeting_id INTEGER REFERENCES meeting(id),
	user_id INTEGER REFERENCES user(id),
	created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
	modified TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
	CHECK ((letter_id IS NULL) <> (motion_commune_id IS NULL))
);
CREATE INDEX event_letter ON event(letter_id, date);
CREATE INDEX event_motion_commune ON event(motion_commune_id, date);
CREATE INDEX event_date ON event(date);

-- an event's title in search results: its kind in French (the parent's
-- title goes into its text, so that the letter or motion ranks first)
CREATE TABLE event_label (kind TEXT PRIMARY KEY, label TEXT NOT NULL) WITHOUT ROWID;
INSERT INTO event_label VALUES ('sent', 'Envoi'), ('answer', 'Réponse reçue'),
	('meeting', 'Rencontre'), ('vote', 'Vote'), ('result', 'Résultat'), ('followup', 'Relance'),
	('note', 'Note');

-- the search index's documents, now with letters (kind code 4), motions (5)
-- and events (6); a letter carries the tags of every commune it concerns
DROP VIEW doc_source;
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
FROM organisation o LEFT JOIN commune c ON c.nis = o.commune_nis
UNION ALL
SELECT ((CAST(julianday(l.date) AS INTEGER) - 2340587) << 32) | (4 << 28) | l.id, 'letter', l.id,
	l.title, trim(l.addressees || char(10) || l.text_text, char(9, 10, 13, 32)),
	'/letters/' || l.id, l.body_id,
	(SELECT min(lc.commune_nis) FROM letter_commune lc WHERE lc.letter_id = l.id), l.date,
	l.visibility, 'kletter v' || l.visibility || coalesce(' b' || l.body_id, '')
	|| coalesce((SELECT group_concat(' c' || lc.commune_nis || coalesce(' t' || c.territory_id, ''), '')
		FROM letter_commune lc JOIN commune c ON c.nis = lc.commune_nis
		WHERE lc.letter_id = l.id), '')
FROM letter l WHERE l.deleted = 0
UNION ALL
SELECT (5 << 28) | mo.id, 'motion', mo.id, mo.title, mo.text_text, '/motions/' || mo.slug,
	mo.body_id, NULL, NULL, mo.visibility,
	'kmotion v' || mo.visibility || coalesce(' b' || mo.body_id, '')
FROM motion mo WHERE mo.deleted = 0
UNION ALL
SELECT ((CAST(julianday(e.date) AS INTEGER) - 2340587) << 32) | (6 << 28) | e.id, 'event', e.id,
	event_label.label, trim(e.note || char(10) || l.title, char(9, 10, 13, 32)),
	'/letters/' || l.id, l.body_id, NULL, e.date, l.visibility,
	'kevent v' || l.visibility || coalesce(' b' || l.body_id, '')
FROM event e JOIN letter l ON l.id = e.letter_id JOIN event_label ON event_label.kind = e.kind
WHERE l.deleted = 0
UNION ALL
SELECT ((CAST(julianday(e.date) AS INTEGER) - 2340587) << 32) | (6 << 28) | e.id, 'event', e.id,
	c.name || ' : ' || lower(event_label.label),
	trim(e.note || char(10) || mo.title, char(9, 10, 13, 32)),
	'/motions/' || mo.slug || '/communes/' || c.nis,
	mo.body_id, c.nis, e.date, mo.visibility,
	'kevent v' || mo.visibility || coalesce(' b' || mo.body_id, '') || ' c' || c.nis
	|| coalesce(' t' || c.territory_id, '')
FROM event e JOIN motion_commune mc ON mc.id = e.motion_commune_id
JOIN motion mo ON mo.id = mc.motion_id JOIN commune c ON c.nis = mc.commune_nis
JOIN event_label ON event_label.kind = e.kind WHERE mo.deleted = 0;

-- a commune's territory is that of what lies in it or concerns it; its
-- name is in the title of its motions' events
DROP TRIGGER commune_doc_territory;
CREATE TRIGGER commune_doc_territory AFTER UPDATE OF territory_id, name ON commune
WHEN old.territory_id IS NOT new.territory_id OR old.name IS NOT new.name BEGIN
	DELETE FROM doc WHERE commune_nis = new.nis OR (kind = 'letter' AND ref IN
		(SELECT letter_id FROM letter_commune WHERE commune_nis = new.nis));
	INSERT INTO doc (id, kind, ref, title, url, body_id, commune_nis, date, visibility)
	SELECT id, kind, ref, title, url, body_id, commune_nis, date, visibility FROM doc_source
	WHERE commune_nis = new.nis OR (kind = 'letter' AND ref IN
		(SELECT letter_id FROM letter_commune WHERE commune_nis = new.nis));
END;

-- a letter, and its events (which share its title and visibility)
CREATE TRIGGER letter_doc_insert AFTER INSERT ON letter BEGIN
	INSERT INTO doc (id, kind, ref, title, url, body_id, commune_nis, date, visibility)
	SELECT id, kind, ref, title, url, body_id, commune_nis, date, visibility FROM doc_source WHERE kind = 'letter' AND ref = new.id;
END;
CREATE TRIGGER letter_doc_update AFTER UPDATE ON letter BEGIN
	DELETE FROM doc WHERE (kind = 'letter' AND ref = new.id)
		OR (kind = 'event' AND ref IN (SELECT id FROM event WHERE letter_id = new.id));
	INSERT INTO doc (id, kind, ref, title, url, body_id, commune_nis, date, visibility)
	SELECT id, kind, ref, title, url, body_id, commune_nis, date, visibility FROM doc_source
	WHERE (kind = 'letter' AND ref = new.id)
		OR (kind = 'event' AND ref IN (SELECT id FROM event WHERE letter_id = new.id));
END;
CREATE TRIGGER letter_doc_delete AFTER DELETE ON letter BEGIN
	DELETE FROM doc WHERE kind = 'letter' AND ref = old.id;
END;
CREATE TRIGGER letter_commune_doc_insert AFTER INSERT ON letter_commune BEGIN
	DELETE FROM doc WHERE kind = 'letter' AND ref = new.letter_id;
	INSERT INTO doc (id, kind, ref, title, url, body_id, commune_nis, date, visibility)
	SELECT id, kind, ref, title, url, body_id, commune_nis, date, visibility FROM doc_source WHERE kind = 'letter' AND ref = new.letter_id;
END;
CREATE TRIGGER letter_commune_doc_delete AFTER DELETE ON letter_commune BEGIN
	DELETE FROM doc WHERE kind = 'letter' AND ref = old.letter_id;
	INSERT INTO doc (id, kind, ref, title, url, body_id, commune_nis, date, visibility)
	SELECT id, kind, ref, title, url, body_id, commune_nis, date, visibility FROM doc_source WHERE kind = 'letter' AND ref = old.letter_id;
END;

-- a motion, and the events of its communes
CREATE TRIGGER motion_doc_insert AFTER INSERT ON motion BEGIN
	INSERT INTO doc (id, kind, ref, title, url, body_id, commune_nis, date, visibility)
	SELECT id, kind, ref, title, url, body_id, commune_nis, date, visibility FROM doc_source WHERE kind = 'motion' AND ref = new.id;
END;
CREATE TRIGGER motion_doc_update AFTER UPDATE ON motion BEGIN
	DELETE FROM doc WHERE (kind = 'motion' AND ref = new.id) OR (kind = 'event' AND ref IN
		(SELECT e.id FROM event e JOIN motion_commune mc ON mc.id = e.motion_commune_id
		 WHERE mc.motion_id = new.id));
	INSERT INTO doc (id, kind, ref, title, url, body_id, commune_nis, date, visibility)
	SELECT id, kind, ref, title, url, body_id, commune_nis, date, visibility FROM doc_source
	WHERE (kind = 'motion' AND ref = new.id) OR (kind = 'event' AND ref IN
		(SELECT e.id FROM event e JOIN motion_commune mc ON mc.id = e.motion_commune_id
		 WHERE mc.motion_id = new.id));
END;
CREATE TRIGGER motion_doc_delete AFTER DELETE ON motion BEGIN
	DELETE FROM doc WHERE kind = 'motion' AND ref = old.id;
END;

CREATE TRIGGER event_doc_insert AFTER INSERT ON event BEGIN
	INSERT INTO doc (id, kind, ref, title, url, body_id, commune_nis, date, visibility)
	SELECT id, kind, ref, title, url, body_id, commune_nis, date, visibility FROM doc_source WHERE kind = 'event' AND ref = new.id;
END;
CREATE TRIGGER event_doc_update AFTER UPDATE ON event BEGIN
	DELETE FROM doc WHERE kind = 'event' AND ref = new.id;
	INSERT INTO doc (id, kind, ref, title, url, body_id, commune_nis, date, visibility)
	SELECT id, kind, ref, title, url, body_id, commune_nis, date, visibility FROM doc_source WHERE kind = 'event' AND ref = new.id;
END;
CREATE TRIGGER event_doc_delete AFTER DELETE ON event BEGIN
	DELETE FROM doc WHERE kind = 'event' AND ref = old.id;
END;
