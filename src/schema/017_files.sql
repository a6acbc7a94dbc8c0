-- 017: documents. The bytes of every file are kept once, by their SHA-256,
-- in parts of 256 KiB (read one part at a time, so that serving a file never
-- holds it whole in memory nor a transaction open); a file is one of those
-- contents attached to one record (a meeting, a letter, a motion, a step of
-- a letter or of a motion in a commune, a body) under a name. Replacing a
-- file makes a new row and keeps the old one (replaced_by); deleting marks it.
-- With an antivirus (serve --clamd), a new file is held (scan_state pending)
-- until clamd says it is clean, and an infected one is never served (its
-- signature kept for the administrators).
CREATE TABLE blob (
	id INTEGER PRIMARY KEY,
	sha256 TEXT NOT NULL UNIQUE,
	sha512 TEXT NOT NULL DEFAULT '', -- for the API (OParl's sha512Checksum)
	size INTEGER NOT NULL,
	created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

CREATE TABLE blob_part (
	blob_id INTEGER NOT NULL REFERENCES blob(id),
	seq INTEGER NOT NULL,
	data BLOB NOT NULL,
	PRIMARY KEY (blob_id, seq)
);

CREATE TABLE file (
	id INTEGER PRIMARY KEY,
	meeting_id INTEGER REFERENCES meeting(id),
	letter_id INTEGER REFERENCES letter(id),
	motion_id INTEGER REFERENCES motion(id),
	event_id INTEGER REFERENCES event(id),
	body_id INTEGER REFERENCES body(id),
	name TEXT NOT NULL,
	mime TEXT NOT NULL,
	blob_id INTEGER NOT NULL REFERENCES blob(id),
	replaced_by INTEGER REFERENCES file(id),
	deleted INTEGER NOT NULL DEFAULT 0,
	scan_state TEXT NOT NULL DEFAULT 'clean' CHECK (scan_state IN ('pending', 'clean', 'infected')),
	scan_signature TEXT,
	user_id INTEGER REFERENCES user(id) ON DELETE SET NULL,
	created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
	modified TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
	CHECK ((meeting_id IS NOT NULL) + (letter_id IS NOT NULL) + (motion_id IS NOT NULL) +
	       (event_id IS NOT NULL) + (body_id IS NOT NULL) = 1)
);
CREATE INDEX file_meeting ON file(meeting_id) WHERE meeting_id IS NOT NULL;
CREATE INDEX file_letter ON file(letter_id) WHERE letter_id IS NOT NULL;
CREATE INDEX file_motion ON file(motion_id) WHERE motion_id IS NOT NULL;
CREATE INDEX file_event ON file(event_id) WHERE event_id IS NOT NULL;
CREATE INDEX file_body ON file(body_id) WHERE body_id IS NOT NULL;
CREATE INDEX file_blob ON file(blob_id);
CREATE INDEX file_scanning ON file(id) WHERE scan_state = 'pending';

-- what a file belongs to, as the visibility rule needs it: the record's
-- visibility, body and deletion, its page and its title (a body's page, so
-- its files, is open to all unless the body is internal)
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
	coalesce(l.title, mo.title)
	FROM file f JOIN event e ON e.id = f.event_id
	LEFT JOIN letter l ON l.id = e.letter_id
	LEFT JOIN motion_commune mc ON mc.id = e.motion_commune_id
	LEFT JOIN motion mo ON mo.id = mc.motion_id
UNION ALL
SELECT f.id, 'body', b.id, CASE b.visibility WHEN 'internal' THEN 'internal' ELSE 'public' END,
	b.id, 0, '/bodies/' || b.slug, b.name
	FROM file f JOIN body b ON b.id = f.body_id;
