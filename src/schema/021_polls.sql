-- 021: date polls. A coordinator proposes 2 to 30 slots (Europe/Brussels
-- local times, as meetings) to a body's members until a closing date;
-- each member — an account or a named contact of a member organisation —
-- answers yes / si nécessaire / non to every slot, with a comment, by a
-- personal link (a random token kept only by its hash, valid for that
-- person and that poll until it closes) or from the body's page. Choosing a
-- slot closes the poll and makes the meeting (meeting_id), the answers
-- becoming the invitees' expected answers.
CREATE TABLE poll (
	id INTEGER PRIMARY KEY,
	body_id INTEGER NOT NULL REFERENCES body(id),
	title TEXT NOT NULL,
	place TEXT NOT NULL DEFAULT '',
	video TEXT NOT NULL DEFAULT '',
	note TEXT NOT NULL DEFAULT '',
	closes TEXT NOT NULL,                       -- its last day (YYYY-MM-DD)
	show_answers INTEGER NOT NULL DEFAULT 0,    -- respondents see counts and names
	state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'closed')),
	meeting_id INTEGER REFERENCES meeting(id),  -- made from the chosen slot
	reminded TEXT,                              -- when the silent were reminded
	user_id INTEGER REFERENCES user(id) ON DELETE SET NULL,
	created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
	modified TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX poll_body ON poll(body_id);
CREATE INDEX poll_open ON poll(closes) WHERE state = 'open';

CREATE TABLE poll_slot (
	id INTEGER PRIMARY KEY,
	poll_id INTEGER NOT NULL REFERENCES poll(id),
	start TEXT NOT NULL,                        -- YYYY-MM-DDTHH:MM, Brussels time
	end TEXT NOT NULL
);
CREATE INDEX poll_slot_poll ON poll_slot(poll_id);

CREATE TABLE poll_voter (
	id INTEGER PRIMARY KEY,
	poll_id INTEGER NOT NULL REFERENCES poll(id),
	email TEXT NOT NULL,
	organisation_id INTEGER REFERENCES organisation(id),
	user_id INTEGER REFERENCES user(id) ON DELETE SET NULL,
	person_id INTEGER REFERENCES person(id),
	comment TEXT NOT NULL DEFAULT '',
	answered TEXT,
	UNIQUE (poll_id, email)
);

-- a voter's links (the first mail's, the reminder's), by their hash
CREATE TABLE poll_token (
	token_hash TEXT PRIMARY KEY,
	voter_id INTEGER NOT NULL REFERENCES poll_voter(id)
) WITHOUT ROWID;

CREATE TABLE poll_answer (
	voter_id INTEGER NOT NULL REFERENCES poll_voter(id),
	slot_id INTEGER NOT NULL REFERENCES poll_slot(id),
	answer TEXT NOT NULL CHECK (answer IN ('yes', 'maybe', 'no')),
	PRIMARY KEY (voter_id, slot_id)
) WITHOUT ROWID;
CREATE INDEX poll_answer_slot ON poll_answer(slot_id);
