-- 003: the network and its meetings: territories (the reception offices),
-- communes, contacts, bodies and their members, meetings with attendance,
-- every saved revision of agendas and minutes, and the actions of minutes.
-- Markdown columns keep their rendered HTML and plain text beside them, with
-- the version of the renderer that made them (render_version).
CREATE TABLE territory (
	id INTEGER PRIMARY KEY,
	slug TEXT NOT NULL UNIQUE,
	name TEXT NOT NULL,
	created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
	modified TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

CREATE TABLE commune (
	nis INTEGER PRIMARY KEY,
	name TEXT NOT NULL,
	arrondissement TEXT NOT NULL,
	territory_id INTEGER REFERENCES territory(id),
	created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
	modified TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX commune_territory ON commune(territory_id);

CREATE TABLE person (
	id INTEGER PRIMARY KEY,
	organisation_id INTEGER NOT NULL REFERENCES organisation(id),
	name TEXT NOT NULL,
	email TEXT,
	created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
	modified TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX person_organisation ON person(organisation_id);

CREATE TABLE body (
	id INTEGER PRIMARY KEY,
	slug TEXT NOT NULL UNIQUE,
	name TEXT NOT NULL,
	kind TEXT NOT NULL CHECK (kind IN ('platform', 'working_group', 'local_coordination', 'other')),
	axis TEXT,
	territory_id INTEGER REFERENCES territory(id),
	commune_nis INTEGER REFERENCES commune(nis),
	status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'dormant', 'closed')),
	pilot_id INTEGER REFERENCES organisation(id),
	description TEXT NOT NULL DEFAULT '',
	description_html TEXT NOT NULL DEFAULT '',
	description_text TEXT NOT NULL DEFAULT '',
	render_version INTEGER NOT NULL DEFAULT 0,
	visibility TEXT NOT NULL DEFAULT 'members' CHECK (visibility IN ('public', 'members', 'internal')),
	created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
	modified TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX body_territory ON body(territory_id);
CREATE INDEX body_stale ON body(render_version);

CREATE TABLE membership (
	id INTEGER PRIMARY KEY,
	body_id INTEGER NOT NULL REFERENCES body(id),
	organisation_id INTEGER NOT NULL REFERENCES organisation(id),
	person_id INTEGER REFERENCES person(id),
	role TEXT NOT NULL DEFAULT 'member' CHECK (role IN ('pilot', 'member', 'guest')),
	start_date TEXT,
	end_date TEXT,
	created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
	modified TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX membership_body ON membership(body_id);
CREATE INDEX membership_organisation ON membership(organisation_id, body_id);

CREATE TABLE meeting (
	id INTEGER PRIMARY KEY,
	body_id INTEGER NOT NULL REFERENCES body(id),
	title TEXT NOT NULL,
	start TEXT NOT NULL,
	end TEXT,
	place TEXT,
	video TEXT,
	format TEXT NOT NULL DEFAULT 'on_site' CHECK (format IN ('on_site', 'remote', 'hybrid')),
	status TEXT NOT NULL DEFAULT 'planned'
		CHECK (status IN ('planned', 'held', 'minutes_draft', 'minutes_approved', 'cancelled')),
	visibility TEXT NOT NULL DEFAULT 'members' CHECK (visibility IN ('public', 'members', 'internal')),
	agenda TEXT NOT NULL DEFAULT '',
	agenda_html TEXT NOT NULL DEFAULT '',
	agenda_text TEXT NOT NULL DEFAULT '',
	minutes TEXT NOT NULL DEFAULT '',
	minutes_html TEXT NOT NULL DEFAULT '',
	minutes_text TEXT NOT NULL DEFAULT '',
	render_version INTEGER NOT NULL DEFAULT 0,
	deleted INTEGER NOT NULL DEFAULT 0,
	created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
	modified TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX meeting_body ON meeting(body_id, start);
CREATE INDEX meeting_start ON meeting(start);
CREATE INDEX meeting_stale ON meeting(render_version);

CREATE TABLE attendance (
	id INTEGER PRIMARY KEY,
	meeting_id INTEGER NOT NULL REFERENCES meeting(id),
	organisation_id INTEGER NOT NULL REFERENCES organisation(id),
	person_id INTEGER REFERENCES person(id),
	presence TEXT NOT NULL CHECK (presence IN ('present', 'excused', 'absent')),
	created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
	modified TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX attendance_meeting ON attendance(meeting_id);

CREATE TABLE revision (
	id INTEGER PRIMARY KEY,
	meeting_id INTEGER NOT NULL REFERENCES meeting(id),
	field TEXT NOT NULL CHECK (field IN ('agenda', 'minutes')),
	user_id INTEGER REFERENCES user(id),
	text TEXT NOT NULL,
	created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
	modified TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX revision_meeting ON revision(meeting_id, field, id);

CREATE TABLE action (
	id INTEGER PRIMARY KEY,
	meeting_id INTEGER NOT NULL REFERENCES meeting(id),
	position INTEGER NOT NULL,
	text TEXT NOT NULL,
	owner TEXT,
	owner_organisation_id INTEGER REFERENCES organisation(id),
	due TEXT,
	done INTEGER NOT NULL DEFAULT 0,
	created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
	modified TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX action_meeting ON action(meeting_id, position);
CREATE INDEX action_open ON action(done, due);
CREATE INDEX action_owner ON action(owner_organisation_id, done);
