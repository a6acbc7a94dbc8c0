-- 001: organisations (the minimum accounts need), accounts, sessions,
-- login throttling and the audit log.
CREATE TABLE organisation (
	id INTEGER PRIMARY KEY,
	slug TEXT NOT NULL UNIQUE,
	name TEXT NOT NULL,
	acronym TEXT,
	kind TEXT NOT NULL DEFAULT 'asbl',
	website TEXT,
	created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
	modified TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

CREATE TABLE user (
	id INTEGER PRIMARY KEY,
	email TEXT NOT NULL UNIQUE COLLATE NOCASE,
	name TEXT NOT NULL,
	role TEXT NOT NULL CHECK (role IN ('admin', 'coordinator', 'board', 'partner')),
	organisation_id INTEGER REFERENCES organisation(id),
	password_hash TEXT,
	disabled INTEGER NOT NULL DEFAULT 0,
	created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
	modified TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX user_organisation ON user(organisation_id);

CREATE TABLE session (
	id INTEGER PRIMARY KEY,
	token_hash TEXT NOT NULL UNIQUE,
	user_id INTEGER NOT NULL REFERENCES user(id) ON DELETE CASCADE,
	csrf TEXT NOT NULL,
	expires TEXT NOT NULL,
	created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
	modified TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX session_user ON session(user_id);
CREATE INDEX session_expires ON session(expires);

CREATE TABLE login_failure (
	id INTEGER PRIMARY KEY,
	email TEXT NOT NULL COLLATE NOCASE,
	address TEXT NOT NULL,
	created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
	modified TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX login_failure_email ON login_failure(email, created);
CREATE INDEX login_failure_address ON login_failure(address, created);

CREATE TABLE audit (
	id INTEGER PRIMARY KEY,
	user_id INTEGER REFERENCES user(id) ON DELETE SET NULL,
	action TEXT NOT NULL,
	object TEXT NOT NULL,
	object_id INTEGER,
	before TEXT,
	after TEXT,
	created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
	modified TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX audit_object ON audit(object, object_id);
