-- 024: the bilans and perspectives in the search, as their body's texts
-- are: the current version of each body and year is a document of kind
-- « review » (its body's visibility, its body, commune and territory, dated
-- 31 December of its year); a new version takes the place of the last.
-- SQLite redefines a view only whole: doc_source is 019's with one arm
-- more.
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
WHERE f.deleted = 0 AND f.replaced_by IS NULL AND f.scan_state <> 'infected' AND mo.deleted = 0
UNION ALL
SELECT ((CAST(julianday(r.year || '-12-31') AS INTEGER) - 2340587) << 32) | (8 << 28) | r.id,
	'review', r.id, 'Bilan ' || r.year || ' — ' || b.name,
	trim(r.bilan_text || char(10) || r.perspectives_text, char(9, 10, 13, 32)),
	'/bodies/' || b.slug || '#bilan-' || r.year, b.id, b.commune_nis, r.year || '-12-31',
	CASE b.visibility WHEN 'internal' THEN 'internal' ELSE 'public' END,
	'kreview v' || CASE b.visibility WHEN 'internal' THEN 'internal' ELSE 'public' END
	|| ' b' || b.id || coalesce(' c' || b.commune_nis, '') || coalesce(' t' || b.territory_id, '')
	|| coalesce(' t' || c.territory_id, '')
FROM body_review r JOIN body b ON b.id = r.body_id LEFT JOIN commune c ON c.nis = b.commune_nis
WHERE r.id = (SELECT max(p.id) FROM body_review p WHERE p.body_id = r.body_id AND p.year = r.year);

CREATE TRIGGER review_doc_insert AFTER INSERT ON body_review BEGIN
	DELETE FROM doc WHERE kind = 'review' AND ref IN (SELECT id FROM body_review
		WHERE body_id = new.body_id AND year = new.year);
	INSERT INTO doc (id, kind, ref, title, url, body_id, commune_nis, date, visibility)
	SELECT id, kind, ref, title, url, body_id, commune_nis, date, visibility FROM doc_source
	WHERE kind = 'review' AND ref = new.id;
END;
CREATE TRIGGER review_doc_update AFTER UPDATE ON body_review BEGIN
	DELETE FROM doc WHERE kind = 'review' AND ref = new.id;
	INSERT INTO doc (id, kind, ref, title, url, body_id, commune_nis, date, visibility)
	SELECT id, kind, ref, title, url, body_id, commune_nis, date, visibility FROM doc_source
	WHERE kind = 'review' AND ref = new.id;
END;
CREATE TRIGGER body_review_doc AFTER UPDATE OF name, slug, visibility, commune_nis, territory_id
	ON body BEGIN
	DELETE FROM doc WHERE kind = 'review' AND body_id = new.id;
	INSERT INTO doc (id, kind, ref, title, url, body_id, commune_nis, date, visibility)
	SELECT id, kind, ref, title, url, body_id, commune_nis, date, visibility FROM doc_source
	WHERE kind = 'review' AND body_id = new.id;
END;

INSERT INTO doc (id, kind, ref, title, url, body_id, commune_nis, date, visibility)
SELECT id, kind, ref, title, url, body_id, commune_nis, date, visibility FROM doc_source
WHERE kind = 'review';
