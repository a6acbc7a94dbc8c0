-- 019: documents on a step of a motion in a commune (the council's decision,
-- the college's letter): such a file is a searchable document of its own with
-- the motion's visibility and body, the commune, and the step's date. Its
-- document follows the motion (visibility, deletion) and the step (its date).
-- Such a file is shown « joint à » the motion in its commune.
DROP VIEW file_scope;
CREATE VIEW file_scope AS
SELECT f.id AS file_id, 'meeting' AS kind, m.id AS record_id, m.visibility, m.body_id,
	m.deleted AS record_deleted, '/meetings/' || m.id AS url, m.title
	FROM file f JOIN meeting m ON m.id = f.meeting_id
UNION ALL
SELECT f.id, 'letter', l.id, l.visibility, l.body_id, l.deleted, '/letters/' || l.id, l.title
	FROM file f JOIN letter l ON l.id = f.letter_id
UNION ALL
SELECT f.id, 'motion', mo.id, mo.visibility, mo.body_id, mo.deleted, '/motions/' || mo.slug,
	mo.title
	FROM file f JOIN motion mo ON mo.id = f.motion_id
UNION ALL
SELECT f.id, 'event', e.id, coalesce(l.visibility, mo.visibility), coalesce(l.body_id, mo.body_id),
	coalesce(l.deleted, mo.deleted),
	CASE WHEN l.id IS NOT NULL THEN '/letters/' || l.id
	     ELSE '/motions/' || mo.slug || '/communes/' || mc.commune_nis END,
	coalesce(l.title, mo.title || ' à ' || c.name)
	FROM file f JOIN event e ON e.id = f.event_id
	LEFT JOIN letter l ON l.id = e.letter_id
	LEFT JOIN motion_commune mc ON mc.id = e.motion_commune_id
	LEFT JOIN motion mo ON mo.id = mc.motion_id
	LEFT JOIN commune c ON c.nis = mc.commune_nis
UNION ALL
SELECT f.id, 'body', b.id, CASE b.visibility WHEN 'internal' THEN 'internal' ELSE 'public' END,
	b.id, 0, '/bodies/' || b.slug, b.name
	FROM file f JOIN body b ON b.id = f.body_id;

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
JOIN event_label ON event_label.kind = e.kind WHERE mo.deleted = 0
UNION ALL
SELECT ((CAST(julianday(date(m.start)) AS INTEGER) - 2340587) << 32) | (7 << 28) | f.id, 'file',
	f.id, f.name, coalesce(ft.text, ''), '/files/' || f.id, m.body_id, b.commune_nis,
	substr(m.start, 1, 10), m.visibility,
	'kfile v' || m.visibility || ' b' || m.body_id || coalesce(' c' || b.commune_nis, '')
	|| coalesce(' t' || b.territory_id, '') || coalesce(' t' || c.territory_id, '')
FROM file f JOIN meeting m ON m.id = f.meeting_id JOIN body b ON b.id = m.body_id
LEFT JOIN commune c ON c.nis = b.commune_nis LEFT JOIN file_text ft ON ft.file_id = f.id
WHERE f.deleted = 0 AND f.replaced_by IS NULL AND f.scan_state <> 'infected' AND m.deleted = 0
UNION ALL
SELECT ((CAST(julianday(l.date) AS INTEGER) - 2340587) << 32) | (7 << 28) | f.id, 'file', f.id,
	f.name, coalesce(ft.text, ''), '/files/' || f.id, l.body_id,
	(SELECT min(lc.commune_nis) FROM letter_commune lc WHERE lc.letter_id = l.id), l.date,
	l.visibility, 'kfile v' || l.visibility || coalesce(' b' || l.body_id, '')
	|| coalesce((SELECT group_concat(' c' || lc.commune_nis || coalesce(' t' || c.territory_id, ''), '')
		FROM letter_commune lc JOIN commune c ON c.nis = lc.commune_nis
		WHERE lc.letter_id = l.id), '')
FROM file f JOIN letter l ON l.id = f.letter_id LEFT JOIN file_text ft ON ft.file_id = f.id
WHERE f.deleted = 0 AND f.replaced_by IS NULL AND f.scan_state <> 'infected' AND l.deleted = 0
UNION ALL
SELECT (7 << 28) | f.id, 'file', f.id, f.name, coalesce(ft.text, ''), '/files/' || f.id,
	mo.body_id, NULL, NULL, mo.visibility,
	'kfile v' || mo.visibility || coalesce(' b' || mo.body_id, '')
FROM file f JOIN motion mo ON mo.id = f.motion_id LEFT JOIN file_text ft ON ft.file_id = f.id
WHERE f.deleted = 0 AND f.replaced_by IS NULL AND f.scan_state <> 'infected' AND mo.deleted = 0
UNION ALL
SELECT (7 << 28) | f.id, 'file', f.id, f.name, coalesce(ft.text, ''), '/files/' || f.id, b.id,
	b.commune_nis, NULL, CASE b.visibility WHEN 'internal' THEN 'internal' ELSE 'public' END,
	'kfile v' || CASE b.visibility WHEN 'internal' THEN 'internal' ELSE 'public' END
	|| ' b' || b.id || coalesce(' c' || b.commune_nis, '') || coalesce(' t' || b.territory_id, '')
	|| coalesce(' t' || c.territory_id, '')
FROM file f JOIN body b ON b.id = f.body_id LEFT JOIN commune c ON c.nis = b.commune_nis
LEFT JOIN file_text ft ON ft.file_id = f.id
WHERE f.deleted = 0 AND f.replaced_by IS NULL AND f.scan_state <> 'infected'
UNION ALL
SELECT ((CAST(julianday(e.date) AS INTEGER) - 2340587) << 32) | (7 << 28) | f.id, 'file', f.id,
	f.name, coalesce(ft.text, ''), '/files/' || f.id, mo.body_id, c.nis, e.date, mo.visibility,
	'kfile v' || mo.visibility || coalesce(' b' || mo.body_id, '') || ' c' || c.nis
	|| coalesce(' t' || c.territory_id, '')
FROM file f JOIN event e ON e.id = f.event_id JOIN motion_commune mc ON mc.id = e.motion_commune_id
JOIN motion mo ON mo.id = mc.motion_id JOIN commune c ON c.nis = mc.commune_nis
LEFT JOIN file_text ft ON ft.file_id = f.id
WHERE f.deleted = 0 AND f.replaced_by IS NULL AND f.scan_state <> 'infected' AND mo.deleted = 0;

DROP TRIGGER motion_files_doc;
CREATE TRIGGER motion_files_doc AFTER UPDATE OF visibility, deleted, body_id ON motion BEGIN
	DELETE FROM doc WHERE kind = 'file' AND ref IN (SELECT id FROM file WHERE motion_id = new.id
		OR event_id IN (SELECT e.id FROM event e JOIN motion_commune mc ON
			mc.id = e.motion_commune_id WHERE mc.motion_id = new.id));
	INSERT INTO doc (id, kind, ref, title, url, body_id, commune_nis, date, visibility)
	SELECT id, kind, ref, title, url, body_id, commune_nis, date, visibility FROM doc_source
	WHERE kind = 'file' AND ref IN (SELECT id FROM file WHERE motion_id = new.id
		OR event_id IN (SELECT e.id FROM event e JOIN motion_commune mc ON
			mc.id = e.motion_commune_id WHERE mc.motion_id = new.id));
END;
CREATE TRIGGER event_files_doc AFTER UPDATE OF date, motion_commune_id ON event BEGIN
	DELETE FROM doc WHERE kind = 'file' AND ref IN (SELECT id FROM file WHERE event_id = new.id);
	INSERT INTO doc (id, kind, ref, title, url, body_id, commune_nis, date, visibility)
	SELECT id, kind, ref, title, url, body_id, commune_nis, date, visibility FROM doc_source
	WHERE kind = 'file' AND ref IN (SELECT id FROM file WHERE event_id = new.id);
END;
CREATE TRIGGER file_event_doc AFTER UPDATE OF event_id ON file BEGIN
	DELETE FROM doc WHERE kind = 'file' AND ref = new.id;
	INSERT INTO doc (id, kind, ref, title, url, body_id, commune_nis, date, visibility)
	SELECT id, kind, ref, title, url, body_id, commune_nis, date, visibility FROM doc_source
	WHERE kind = 'file' AND ref = new.id;
END;

-- files already on a step (none before this version had a form for them)
INSERT OR IGNORE INTO doc (id, kind, ref, title, url, body_id, commune_nis, date, visibility)
SELECT id, kind, ref, title, url, body_id, commune_nis, date, visibility FROM doc_source
WHERE kind = 'file' AND ref IN (SELECT id FROM file WHERE event_id IS NOT NULL);
