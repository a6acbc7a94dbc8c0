-- 020: who is invited to a meeting and what they answered. An invitation
-- (or its update) makes one row per address it goes to — an account or a
-- named contact of a member organisation — with the organisation it speaks
-- for. answer is 'invited' (« à confirmer ») until the person says
-- accepted / tentative / declined: by a signed link of the mail, on the
-- meeting page, or by the reply of a calendar; a new date or place puts
-- every answer back to 'invited'. sequence is the invitation's iCalendar
-- SEQUENCE the answer was given to; via says how (link, page, calendar).
CREATE TABLE rsvp (
	id INTEGER PRIMARY KEY,
	meeting_id INTEGER NOT NULL REFERENCES meeting(id),
	email TEXT NOT NULL,
	organisation_id INTEGER REFERENCES organisation(id),
	user_id INTEGER REFERENCES user(id) ON DELETE SET NULL,
	person_id INTEGER REFERENCES person(id),
	answer TEXT NOT NULL DEFAULT 'invited'
		CHECK (answer IN ('invited', 'accepted', 'tentative', 'declined')),
	sequence INTEGER NOT NULL DEFAULT 0,
	via TEXT CHECK (via IN ('link', 'page', 'calendar')),
	answered TEXT,
	created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
	modified TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
	UNIQUE (meeting_id, email)
);
CREATE INDEX rsvp_user ON rsvp(user_id) WHERE user_id IS NOT NULL;

-- the keys Maillage signs its links with (a link in a mail that needs no
-- login: the answer to an invitation), drawn at random once per database
CREATE TABLE site_key (
	purpose TEXT PRIMARY KEY,
	key BLOB NOT NULL
) WITHOUT ROWID;
INSERT INTO site_key (purpose, key) VALUES ('rsvp', randomblob(32));
