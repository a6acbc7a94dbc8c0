-- 008: mail, calendars, webhooks and personal tokens. Every message is
-- written to the outbox in the transaction of the change that caused it,
-- whole (its Message-ID and every byte fixed), then sent by the background
-- thread with retries until it goes out or expires (then failed, its last
-- error kept).
CREATE TABLE outbox (
	id INTEGER PRIMARY KEY,
	kind TEXT NOT NULL CHECK (kind IN ('mail', 'webhook')),
	message_id TEXT NOT NULL UNIQUE,
	recipient TEXT NOT NULL,              -- an address, or the webhook's URL
	subject TEXT NOT NULL DEFAULT '',
	body TEXT NOT NULL,                   -- the RFC 5322 message, or the JSON
	status TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'failed')),
	attempts INTEGER NOT NULL DEFAULT 0,
	next_attempt TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
	last_error TEXT,
	expires TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '+1 day')),
	sent TEXT,
	created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
	modified TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX outbox_due ON outbox(status, next_attempt);

-- a meeting's calendar identity: SEQUENCE grows with each change sent,
-- invited tells when the invitation first went out
ALTER TABLE meeting ADD COLUMN ics_sequence INTEGER NOT NULL DEFAULT 0;
ALTER TABLE meeting ADD COLUMN invited TEXT;

CREATE TABLE webhook (
	id INTEGER PRIMARY KEY,
	url TEXT NOT NULL UNIQUE,
	created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
	modified TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

-- each account's secrets: the link of its personal calendar, its API
-- token (only their hashes are kept; a new one replaces the old)
CREATE TABLE user_token (
	user_id INTEGER NOT NULL REFERENCES user(id) ON DELETE CASCADE,
	kind TEXT NOT NULL CHECK (kind IN ('calendar', 'api')),
	token_hash TEXT NOT NULL UNIQUE,
	created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
	modified TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
	PRIMARY KEY (user_id, kind)
) WITHOUT ROWID;

-- the daily digests sent: one per person and day
CREATE TABLE digest (
	user_id INTEGER NOT NULL REFERENCES user(id) ON DELETE CASCADE,
	day TEXT NOT NULL,
	created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
	modified TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
	PRIMARY KEY (user_id, day)
) WITHOUT ROWID;
