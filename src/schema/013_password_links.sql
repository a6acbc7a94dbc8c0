-- 013: accounts run from the web. A one-time link lets a new account (or
-- one that forgot it) choose its password: only the token's hash is kept,
-- for 7 days, and using it spends it. The requests for a new password are
-- counted, per address asked for and per client, to throttle them.
CREATE TABLE password_link (
	id INTEGER PRIMARY KEY,
	user_id INTEGER NOT NULL REFERENCES user(id) ON DELETE CASCADE,
	token_hash TEXT NOT NULL UNIQUE,
	expires TEXT NOT NULL,
	created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
	modified TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX password_link_user ON password_link(user_id);

CREATE TABLE reset_request (
	id INTEGER PRIMARY KEY,
	email TEXT NOT NULL COLLATE NOCASE,
	address TEXT NOT NULL,
	created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
	modified TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX reset_request_email ON reset_request(email, created);
CREATE INDEX reset_request_address ON reset_request(address, created);
